"""Shared fixtures: the example studies, a builder for minimal valid studies, the service's databases."""

from __future__ import annotations

import copy
import itertools
import json
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from reporter.domain.study import Study
from reporter.service.access import Actor, Role, create_user
from reporter.storage import make_engine, make_sessionmaker, upgrade

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"


def _segments(stress: dict[int, int], rest: dict[int, int] | None) -> list[dict[str, int]]:
    out = []
    for n in range(1, 18):
        row = {"segment": n, "stress": stress.get(n, 0)}
        if rest is not None:
            row["rest"] = rest.get(n, 0)
        out.append(row)
    return out


_BASE: dict[str, Any] = {
    "patient": {"age_years": 60, "sex": "male"},
    "clinical": {"indication": "Chest pain."},
    "procedure": {
        "modality": "SPECT",
        "protocol": "rest-stress",
        "tracers": [
            {"tracer": "Tc-99m sestamibi", "phase": "rest", "activity": {"value": 10, "unit": "mCi"}},
            {"tracer": "Tc-99m sestamibi", "phase": "stress", "activity": {"value": 30, "unit": "mCi"}},
        ],
    },
    "stress": {"type": "pharmacologic", "agent": "regadenoson", "agent_dose": "0.4 mg IV"},
    "perfusion": {"segments": _segments({}, {})},
}


@pytest.fixture
def study_dict() -> Callable[..., dict[str, Any]]:
    """A minimal valid study as a dict; keyword arguments replace top-level blocks."""

    def make(
        stress_scores: dict[int, int] | None = None, rest_scores: dict[int, int] | None = None, **blocks: Any
    ) -> dict[str, Any]:
        data = copy.deepcopy(_BASE)
        if stress_scores is not None or rest_scores is not None:
            data["perfusion"] = {
                "segments": _segments(stress_scores or {}, rest_scores if rest_scores is not None else {})
            }
        for key, value in blocks.items():
            data[key] = value
        return data

    return make


@pytest.fixture
def make_study(study_dict: Callable[..., dict[str, Any]]) -> Callable[..., Study]:
    def make(*args: Any, **kwargs: Any) -> Study:
        return Study.model_validate(study_dict(*args, **kwargs))

    return make


@pytest.fixture
def example() -> Callable[[str], Study]:
    def load(stem: str) -> Study:
        return Study.model_validate(json.loads((EXAMPLES / f"{stem}.json").read_text()))

    return load


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def tl201_redistribution_dict() -> dict[str, Any]:
    """A Tl-201 exercise stress / 4-hour redistribution study: one 3.5 mCi injection at peak stress, no rest dose;
    a medium, severe inferior (RCA) defect that redistributes (segments 4, 10: stress 3, redistribution 1;
    segment 15: 2 -> 0): SSS 8, summed redistribution score 2, SDS 6. A test fixture, not an example, so the
    examples' benches and drafts stay as they are."""
    return json.loads((REPO / "tests" / "fixtures" / "spect_tl201_stress_redistribution.json").read_text("utf-8"))


@pytest.fixture
def tl201_redistribution(tl201_redistribution_dict: dict[str, Any]) -> Study:
    return Study.model_validate(tl201_redistribution_dict)


@pytest.fixture
def rest_redistribution_dict() -> dict[str, Any]:
    """A Tl-201 rest / 4-hour redistribution viability study, no stress: a medium RCA defect whose basal and mid
    inferior segments (4, 10: rest 3, redistribution 1) redistribute, basal inferoseptal 3 stays moderate (2/2) and
    the apical inferior segment 15 stays absent (4/4); summed rest score 12, summed redistribution score 8; rest
    LVEF 38%."""
    return json.loads((REPO / "tests" / "fixtures" / "spect_tl201_rest_redistribution.json").read_text("utf-8"))


@pytest.fixture
def rest_redistribution(rest_redistribution_dict: dict[str, Any]) -> Study:
    return Study.model_validate(rest_redistribution_dict)


# ---- databases for the reading-room service (tests/service, tests/api) ----------------------------
# Every test that asks for `db_url` runs on SQLite and on a real PostgreSQL: a throwaway cluster
# made with Debian's binaries (initdb and pg_ctl of /usr/lib/postgresql/*/bin) in a temporary
# folder, on 127.0.0.1 and a free port, started once per session and stopped at its end; each test
# gets a database of its own. As root the cluster runs as the `postgres` user (PostgreSQL refuses
# to run as root). Without the binaries the PostgreSQL cases are skipped, except under CI=true,
# where that is a failure.

_PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
_counter = itertools.count()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Cluster:
    def __init__(self, bin_dir: Path) -> None:
        self.bin, self.port = bin_dir, _free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ncreport-pg-"))
        self.data = self.dir / "data"
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self._as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as_user, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"
        )
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start"
        )

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[_Cluster]:
    if not _PG_BIN:
        message = "PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI=true requires the PostgreSQL cases to run")
        pytest.skip(message)
    cluster = _Cluster(_PG_BIN[-1].parent)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new database in the PostgreSQL cluster."""
    if request.param == "sqlite":
        yield f"sqlite+pysqlite:///{tmp_path / 'ncreport.sqlite3'}"
        return
    cluster: _Cluster = request.getfixturevalue("pg_cluster")
    name = f"t{os.getpid()}_{next(_counter)}"
    admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield cluster.url(name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session:
        yield session


@pytest.fixture
def users(session: Session) -> dict[Role, Actor]:
    """One user per role."""
    return {role: create_user(session, f"{role.value}1", role)[0] for role in Role}


@pytest.fixture
def lad_study(examples_dir: Path) -> dict[str, Any]:
    """The LAD ischemia example with a patient name and MRN added (identifiers the service must keep to itself)."""
    study: dict[str, Any] = json.loads((examples_dir / "spect_lad_ischemia.json").read_text())
    study["patient"] = {**study["patient"], "name": "Zebediah Quuxworth", "mrn": "MRN-93817264"}
    return study


# ---- site validation records (tests/api, tests/service, tests/validation) ---------------------------

FAKE_QUALIFIED = {
    "backend": "fake.v1",
    "model": "scripted",
    "weights_sha256": None,
    "url": None,
    "qualified": True,
    "replaced": 0.0,
    "max_replaced": 0.2,
    "studies": 2,
    "sentences": 5,
    "not_qualified_because": [],
}
FAKE_FAILED = {
    **FAKE_QUALIFIED,
    "qualified": False,
    "replaced": 0.6,
    "not_qualified_because": ["60% of sentences replaced (site limit 20%)"],
}


@pytest.fixture
def validation_record() -> Callable[..., dict[str, Any]]:
    """The record validate-site writes (``reporter.service.validation.record``) for two pairs; models as given."""
    import datetime as dt

    from reporter.domain.thresholds import Thresholds
    from reporter.service.validation import PairInput, SiteConfig, record

    def make(
        models: tuple[dict[str, Any], ...] = (FAKE_QUALIFIED,), day: int = 1, operator: str = "QA lead"
    ) -> dict[str, Any]:
        pairs = [
            PairInput(name="p1", study_sha256="a" * 64, report_sha256="b" * 64),
            PairInput(name="p2", study_sha256="c" * 64, report_sha256="d" * 64),
        ]
        return record(
            pairs, Thresholds(), operator, SiteConfig(), models, now=dt.datetime(2026, 12, day, 9, 0, tzinfo=dt.UTC)
        )

    return make


@pytest.fixture
def fake_qualified() -> dict[str, Any]:
    """The scripted backend's qualification as validate-site records it: passed."""
    return dict(FAKE_QUALIFIED)


@pytest.fixture
def fake_failed() -> dict[str, Any]:
    """The scripted backend's qualification: not qualified (60 % of sentences replaced)."""
    return dict(FAKE_FAILED)


# ---- DICOM files built for the tests (tests/interop, tests/validation) -----------------------------
# Literal codes on purpose: a wrong entry in reporter.domain.codes must fail the tests, not follow them.

NM_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.20"
PET_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.128"
STUDY_UID = "1.2.826.0.1.3680043.10.511.3.1001"
PATIENT = {
    "PatientName": "Doe^Jane^Q",
    "PatientID": "MRN-4711-0815",
    "PatientBirthDate": "19590317",
    "PatientSex": "F",
    "PatientAge": "067Y",
    "AccessionNumber": "ACC-20260502-77",
}
REST, STRESS = ("SCT", "128975004", "Resting State"), ("SCT", "432655005", "Cardiac Stress State")
LVEF = ("LN", "10230-1", "Left ventricular Ejection fraction")
EDV, ESV = ("LN", "8821-1", "Left Ventricular ED Volume"), ("LN", "8823-7", "Left Ventricular ES Volume")
TID = ("SCT", "428832008", "Transient ischemic dilatation ratio of left ventricular cavity")
SSS, SRS, SDS = (
    ("99NCREPORT", c, m)
    for c, m in (("SSS", "Summed stress score"), ("SRS", "Summed rest score"), ("SDS", "Summed difference score"))
)
TPD = ("99NCREPORT", "TPD", "Total perfusion deficit")
MBF = ("99NCREPORT", "MBF", "Myocardial blood flow")
MFR = ("DCM", "122217", "Coronary Flow reserve")
AGATSTON = ("DCM", "112058", "Calcium score")
LAD, LCX, RCA = ("SCT", "59438005", "LAD"), ("SCT", "57396003", "LCx"), ("SCT", "13647002", "RCA")
STROKE_VOLUME = ("SCT", "90096001", "Stroke Volume")
Num = tuple[tuple[str, str, str], float, str, tuple[str, str, str] | None, tuple[str, str, str] | None]


def _base(sop_class: str, modality: str, series_description: str, **extra: Any) -> Any:
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = sop_class
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID, ds.SOPInstanceUID = sop_class, ds.file_meta.MediaStorageSOPInstanceUID
    ds.Modality, ds.SeriesDescription = modality, series_description
    ds.StudyInstanceUID, ds.SeriesInstanceUID = STUDY_UID, generate_uid()
    ds.StudyDate, ds.StudyTime, ds.StudyID = "20260502", "091500", "S1"
    ds.ReferringPhysicianName = "Referrer^Rita"
    ds.Manufacturer = "Test Gamma Camera Co."
    ds.SeriesNumber, ds.InstanceNumber = 1, 1
    for key, value in {**PATIENT, **extra}.items():
        setattr(ds, key, value)
    return ds


def _pixels(ds: Any, frames: int = 2) -> None:
    import numpy as np

    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.Rows = ds.Columns = 8
    ds.NumberOfFrames = frames
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 16, 15, 0
    ds.PixelData = (np.arange(frames * 64, dtype=np.uint16) % 97).tobytes()


def _code_seq(code: tuple[str, str, str]) -> Any:
    from pydicom.dataset import Dataset

    item = Dataset()
    item.CodingSchemeDesignator, item.CodeValue, item.CodeMeaning = code
    return [item]


@pytest.fixture
def nm_image(tmp_path: Path) -> Callable[..., Path]:
    """An NM Image Storage file (gated SPECT) with the radiopharmaceutical of one injection."""

    def make(
        phase: str,
        tracer: tuple[str, str, str] = ("SCT", "424118002", "Tc-99m tetrofosmin"),
        mbq: str | None = "1110",
        start: str = "20260502101500",
        name: str | None = None,
        **extra: Any,
    ) -> Path:
        from pydicom.dataset import Dataset

        ds = _base(NM_IMAGE_STORAGE, "NM", f"{phase.upper()} GATED SPECT", **extra)
        ds.ImageType = ["ORIGINAL", "PRIMARY", "GATED TOMO", "EMISSION"]
        item = Dataset()
        item.RadiopharmaceuticalCodeSequence = _code_seq(tracer)
        item.Radiopharmaceutical = tracer[2]
        if mbq is not None:
            item.RadionuclideTotalDose = mbq  # NM Isotope Module: MBq
        item.RadiopharmaceuticalStartDateTime = start
        ds.RadiopharmaceuticalInformationSequence = [item]
        _pixels(ds)
        path = tmp_path / (name or f"nm_{phase}.dcm")
        ds.save_as(path, enforce_file_format=True)
        return path

    return make


@pytest.fixture
def pet_image(tmp_path: Path) -> Callable[..., Path]:
    """A PET Image Storage file (Rb-82) whose dose is in Bq, as the PET Isotope Module says."""

    def make(phase: str, bq: str = "1110000000", start: str = "20260502101500") -> Path:
        from pydicom.dataset import Dataset

        ds = _base(PET_IMAGE_STORAGE, "PT", f"Rb82 {phase} dynamic")
        item = Dataset()
        item.RadiopharmaceuticalCodeSequence = _code_seq(("SCT", "129503007", "Rubidium chloride Rb^82^"))
        item.RadionuclideTotalDose = bq
        item.RadiopharmaceuticalStartDateTime = start
        ds.RadiopharmaceuticalInformationSequence = [item]
        _pixels(ds, frames=1)
        path = tmp_path / f"pt_{phase}.dcm"
        ds.save_as(path, enforce_file_format=True)
        return path

    return make


def _hd(code: tuple[str, str, str]) -> Any:
    import highdicom as hd

    return hd.sr.CodedConcept(value=code[1], scheme_designator=code[0], meaning=code[2])


def _measurement(num: Num) -> Any:
    import highdicom as hd

    concept, value, unit, state, site = num
    finding_sites = [hd.sr.FindingSite(anatomic_location=_hd(site))] if site else None
    m = hd.sr.Measurement(name=_hd(concept), value=value, unit=_hd(("UCUM", unit, unit)), finding_sites=finding_sites)
    if state is not None:
        modifier = hd.sr.CodeContentItem(
            name=_hd(("DCM", "109054", "Patient State")),
            value=_hd(state),
            relationship_type=hd.sr.RelationshipTypeValues.HAS_CONCEPT_MOD,
        )
        num_item = m[0]
        if "ContentSequence" in num_item:
            num_item.ContentSequence.append(modifier)
        else:
            num_item.ContentSequence = hd.sr.ContentSequence([modifier])
    return m


@pytest.fixture
def measurement_sr(tmp_path: Path) -> Callable[..., Path]:
    """A TID 1500 measurement report as quantitative software exports it: one group per block."""

    def make(
        groups: dict[str, Sequence[Num]],
        name: str = "results_sr.dcm",
        group_sites: dict[str, tuple[str, str, str]] | None = None,
        **extra: Any,
    ) -> Path:
        import highdicom as hd
        from pydicom.uid import generate_uid

        evidence = _base(NM_IMAGE_STORAGE, "NM", "STRESS GATED SPECT", **extra)
        observer = hd.sr.ObserverContext(
            observer_type=hd.sr.CodedConcept("121007", "DCM", "Device"),
            observer_identifying_attributes=hd.sr.DeviceObserverIdentifyingAttributes(uid=generate_uid(), name="QPS"),
        )
        report = hd.sr.MeasurementReport(
            observation_context=hd.sr.ObservationContext(observer_device_context=observer),
            procedure_reported=_hd(("DCM", "122782", "Rest technetium/stress technetium 1 day procedure")),
            imaging_measurements=[
                hd.sr.MeasurementsAndQualitativeEvaluations(
                    tracking_identifier=hd.sr.TrackingIdentifier(uid=generate_uid(), identifier=group),
                    measurements=[_measurement(n) for n in nums],
                    finding_sites=[hd.sr.FindingSite(anatomic_location=_hd(site))]
                    if (site := (group_sites or {}).get(group))
                    else None,
                )
                for group, nums in groups.items()
            ],
        )
        sr = hd.sr.Comprehensive3DSR(
            evidence=[evidence],
            content=report,
            series_instance_uid=generate_uid(),
            series_number=99,
            sop_instance_uid=generate_uid(),
            instance_number=1,
            manufacturer="Test QPS",
        )
        path = tmp_path / name
        sr.save_as(path, enforce_file_format=True)
        return path

    return make


@pytest.fixture
def spect_groups() -> dict[str, list[Num]]:
    """Perfusion and gated function of a reversible LAD defect, as QPS/QGS would report them."""
    stress = {1: 2, 7: 2, 13: 2}
    perfusion: list[Num] = [
        (SSS, 6, "{score}", None, None),
        (SRS, 0, "{score}", None, None),
        (SDS, 6, "{score}", None, None),
        (TPD, 9.0, "%", STRESS, None),
    ]
    segments: list[Num] = []
    for n, site in enumerate(SEGMENT_CODES, start=1):
        segments += [
            (
                ("99NCREPORT", "SEGMENT-SCORE", "Segmental perfusion score (0-4)"),
                stress.get(n, 0),
                "{score}",
                STRESS,
                site,
            ),
            (("99NCREPORT", "SEGMENT-SCORE", "Segmental perfusion score (0-4)"), 0, "{score}", REST, site),
        ]
    function: list[Num] = [
        (LVEF, 55, "%", STRESS, None),
        (LVEF, 58, "%", REST, None),
        (EDV, 110, "ml", STRESS, None),
        (ESV, 50, "ml", STRESS, None),
        (TID, 1.12, "{ratio}", None, None),
        (STROKE_VOLUME, 60, "ml", STRESS, None),
    ]
    return {"Perfusion": perfusion, "Segments": segments, "Function": function}


SEGMENT_CODES = [
    ("SCT", c, f"segment {i}")
    for i, c in enumerate(
        [
            "264850008",
            "396482007",
            "396646008",
            "264846001",
            "396652009",
            "396654005",
            "264848000",
            "396647004",
            "396649001",
            "264847005",
            "396655006",
            "396656007",
            "264844003",
            "264845002",
            "264849008",
            "264853005",
            "128564006",
        ],
        start=1,
    )
]


@pytest.fixture
def site_templates(tmp_path: Path) -> Path:
    """A site's template directory: one phrase in German and its own signed layout (the rest packaged)."""
    site = tmp_path / "site_templates"
    site.mkdir()
    phrases = (REPO / "templates" / "phrases.j2").read_text(encoding="utf-8")
    (site / "phrases.j2").write_text(
        phrases.replace("No prior study was provided for comparison.", "Keine Voruntersuchung vorhanden."),
        encoding="utf-8",
    )
    (site / "signed.txt.j2").write_text(
        "BEFUND: MYOKARDSZINTIGRAPHIE\n\n{{ body }}\n\nElektronisch signiert: {{ signature.signer }} "
        "({{ signature.role }})\n",
        encoding="utf-8",
    )
    return site


@pytest.fixture(scope="session")
def pretest_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small pre-test risk model trained on UCI Cleveland (its reference bins are Cleveland's, whatever the trees)."""
    from reporter.risk.training import train_and_save

    data = SHARED / "data" / "raw" / "uci_heart_disease_cleveland" / "processed.cleveland.data"
    out = tmp_path_factory.mktemp("risk") / "pretest"
    return train_and_save("pretest-abnormal-perfusion", data, out, folds=2, model_params={"n_estimators": 5}).directory


# ---- a real PACS for `ncreport send` (tests/service/test_send.py) --------------------------------
# Debian's Orthanc, started once per session with a temporary configuration: free loopback ports
# for DICOM and HTTP, a temporary storage folder, no plugins, HTTP for the loopback only and
# without authentication, and only the test's AE title (from 127.0.0.1) allowed to store and query.
# Without /usr/sbin/Orthanc the tests skip, except under CI=true, where that is a failure.

_ORTHANC = shutil.which("Orthanc") or next((p for p in ("/usr/sbin/Orthanc",) if Path(p).exists()), None)
ORTHANC_AET, NCREPORT_TEST_AET = "ORTHANC_TEST", "NCREPORT_TEST"


class Orthanc:
    def __init__(self, binary: str) -> None:
        self.binary, self.dicom_port, self.http_port = binary, _free_port(), _free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ncreport-orthanc-"))
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        import time
        import urllib.request

        config = {
            "Name": "ncreport-test",
            "StorageDirectory": str(self.dir / "storage"),
            "IndexDirectory": str(self.dir / "storage"),
            "Plugins": [],
            "HttpServerEnabled": True,
            "HttpPort": self.http_port,
            "RemoteAccessAllowed": False,
            "AuthenticationEnabled": False,
            "SslEnabled": False,
            "DicomServerEnabled": True,
            "DicomAet": ORTHANC_AET,
            "DicomPort": self.dicom_port,
            "DicomCheckCalledAet": True,
            "DicomAlwaysAllowStore": False,
            "DicomAlwaysAllowEcho": False,
            "DicomCheckModalityHost": True,
            "DicomModalities": {"ncreport": [NCREPORT_TEST_AET, "127.0.0.1", 104]},
            "StorageCompression": False,
            "SaveJobs": False,
        }
        path = self.dir / "orthanc.json"
        path.write_text(json.dumps(config), encoding="utf-8")
        (self.dir / "log").mkdir()
        self.process = subprocess.Popen(
            [self.binary, f"--logdir={self.dir / 'log'}", str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                logs = "".join(p.read_text(errors="replace")[-2000:] for p in (self.dir / "log").glob("*"))
                raise RuntimeError(f"Orthanc exited with {self.process.returncode}: {logs}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/system", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("Orthanc did not answer within 60 s")

    def stop(self) -> None:
        try:
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def find(self, study_instance_uid: str) -> list[tuple[str, str, str]]:
        """C-FIND (Study Root, IMAGE level) as a registered modality: (SOP Class, SOP Instance, Modality) sorted."""
        from pydicom.dataset import Dataset
        from pynetdicom import AE
        from pynetdicom.sop_class import StudyRootQueryRetrieveInformationModelFind  # type: ignore[attr-defined]

        query = Dataset()
        query.QueryRetrieveLevel = "IMAGE"
        query.StudyInstanceUID = study_instance_uid
        query.SeriesInstanceUID = ""
        query.SOPInstanceUID = ""
        query.SOPClassUID = ""
        query.Modality = ""
        ae = AE(ae_title=NCREPORT_TEST_AET)
        ae.add_requested_context(StudyRootQueryRetrieveInformationModelFind)
        assoc = ae.associate("127.0.0.1", self.dicom_port, ae_title=ORTHANC_AET)
        assert assoc.is_established, "Orthanc refused the C-FIND association"
        found = []
        try:
            for status, identifier in assoc.send_c_find(query, StudyRootQueryRetrieveInformationModelFind):
                if status and status.Status in (0xFF00, 0xFF01) and identifier is not None:
                    found.append(
                        (
                            str(identifier.SOPClassUID),
                            str(identifier.SOPInstanceUID),
                            str(identifier.get("Modality", "")),
                        )
                    )
        finally:
            assoc.release()
        return sorted(found)


@pytest.fixture(scope="session")
def orthanc() -> Iterator[Orthanc]:
    if _ORTHANC is None:
        message = "Orthanc not found (/usr/sbin/Orthanc; apt-get install orthanc)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI=true requires the PACS tests to run")
        pytest.skip(message)
    server = Orthanc(_ORTHANC)
    try:
        server.start()
        yield server
    finally:
        server.stop()
