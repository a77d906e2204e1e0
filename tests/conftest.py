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
from collections.abc import Callable, Iterator
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

    def make(stress_scores: dict[int, int] | None = None, rest_scores: dict[int, int] | None = None,
             **blocks: Any) -> dict[str, Any]:
        data = copy.deepcopy(_BASE)
        if stress_scores is not None or rest_scores is not None:
            data["perfusion"] = {"segments": _segments(stress_scores or {}, rest_scores if rest_scores is not None
                                                       else {})}
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
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"),
                  "-w", "start")

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
            "Name": "ncreport-test", "StorageDirectory": str(self.dir / "storage"),
            "IndexDirectory": str(self.dir / "storage"), "Plugins": [],
            "HttpServerEnabled": True, "HttpPort": self.http_port, "RemoteAccessAllowed": False,
            "AuthenticationEnabled": False, "SslEnabled": False,
            "DicomServerEnabled": True, "DicomAet": ORTHANC_AET, "DicomPort": self.dicom_port,
            "DicomCheckCalledAet": True, "DicomAlwaysAllowStore": False, "DicomAlwaysAllowEcho": False,
            "DicomCheckModalityHost": True,
            "DicomModalities": {"ncreport": [NCREPORT_TEST_AET, "127.0.0.1", 104]},
            "StorageCompression": False, "SaveJobs": False,
        }
        path = self.dir / "orthanc.json"
        path.write_text(json.dumps(config), encoding="utf-8")
        (self.dir / "log").mkdir()
        self.process = subprocess.Popen([self.binary, f"--logdir={self.dir / 'log'}", str(path)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
                    found.append((str(identifier.SOPClassUID), str(identifier.SOPInstanceUID),
                                  str(identifier.get("Modality", ""))))
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
