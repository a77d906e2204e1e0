"""Fixtures of the interop tests: DICOM files built here with pydicom/highdicom, reports, signatures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def pydicom_code_index() -> dict[tuple[str, str], set[str]]:
    """(scheme, value) -> meanings, from pydicom's copy of the DICOM code dictionary (PS3.16)."""
    from pydicom.sr.codedict import codes

    index: dict[tuple[str, str], set[str]] = {}
    for scheme in ("SCT", "DCM", "LN"):
        collection = getattr(codes, scheme)
        for keyword in collection.dir():
            try:
                code = getattr(collection, keyword)
            except (AttributeError, RuntimeError):  # a keyword shared by two codes cannot be got by name
                continue
            index.setdefault((scheme, code.value), set()).add(code.meaning)
    return index


# --- DICOM files built for the tests -------------------------------------------------------------
# Literal codes on purpose: a wrong entry in reporter.domain.codes must fail the tests, not follow them.

NM_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.20"
PET_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.128"
STUDY_UID = "1.2.826.0.1.3680043.10.511.3.1001"
PATIENT = {"PatientName": "Doe^Jane^Q", "PatientID": "MRN-4711-0815", "PatientBirthDate": "19590317",
           "PatientSex": "F", "PatientAge": "067Y", "AccessionNumber": "ACC-20260502-77"}
REST, STRESS = ("SCT", "128975004", "Resting State"), ("SCT", "432655005", "Cardiac Stress State")
LVEF = ("LN", "10230-1", "Left ventricular Ejection fraction")
EDV, ESV = ("LN", "8821-1", "Left Ventricular ED Volume"), ("LN", "8823-7", "Left Ventricular ES Volume")
TID = ("SCT", "428832008", "Transient ischemic dilatation ratio of left ventricular cavity")
SSS, SRS, SDS = (("99NCREPORT", c, m) for c, m in (("SSS", "Summed stress score"), ("SRS", "Summed rest score"),
                                                   ("SDS", "Summed difference score")))
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

    def make(phase: str, tracer: tuple[str, str, str] = ("SCT", "424118002", "Tc-99m tetrofosmin"),
             mbq: str | None = "1110", start: str = "20260502101500", name: str | None = None, **extra: Any) -> Path:
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
        modifier = hd.sr.CodeContentItem(name=_hd(("DCM", "109054", "Patient State")), value=_hd(state),
                                         relationship_type=hd.sr.RelationshipTypeValues.HAS_CONCEPT_MOD)
        num_item = m[0]
        if "ContentSequence" in num_item:
            num_item.ContentSequence.append(modifier)
        else:
            num_item.ContentSequence = hd.sr.ContentSequence([modifier])
    return m


@pytest.fixture
def measurement_sr(tmp_path: Path) -> Callable[..., Path]:
    """A TID 1500 measurement report as quantitative software exports it: one group per block."""

    def make(groups: dict[str, Sequence[Num]], name: str = "results_sr.dcm",
             group_sites: dict[str, tuple[str, str, str]] | None = None, **extra: Any) -> Path:
        import highdicom as hd
        from pydicom.uid import generate_uid

        evidence = _base(NM_IMAGE_STORAGE, "NM", "STRESS GATED SPECT", **extra)
        observer = hd.sr.ObserverContext(
            observer_type=hd.sr.CodedConcept("121007", "DCM", "Device"),
            observer_identifying_attributes=hd.sr.DeviceObserverIdentifyingAttributes(uid=generate_uid(),
                                                                                      name="QPS"),
        )
        report = hd.sr.MeasurementReport(
            observation_context=hd.sr.ObservationContext(observer_device_context=observer),
            procedure_reported=_hd(("DCM", "122782", "Rest technetium/stress technetium 1 day procedure")),
            imaging_measurements=[
                hd.sr.MeasurementsAndQualitativeEvaluations(
                    tracking_identifier=hd.sr.TrackingIdentifier(uid=generate_uid(), identifier=group),
                    measurements=[_measurement(n) for n in nums],
                    finding_sites=[hd.sr.FindingSite(anatomic_location=_hd(site))]
                    if (site := (group_sites or {}).get(group)) else None,
                )
                for group, nums in groups.items()
            ],
        )
        sr = hd.sr.Comprehensive3DSR(
            evidence=[evidence], content=report, series_instance_uid=generate_uid(), series_number=99,
            sop_instance_uid=generate_uid(), instance_number=1, manufacturer="Test QPS",
        )
        path = tmp_path / name
        sr.save_as(path, enforce_file_format=True)
        return path

    return make


@pytest.fixture
def spect_groups() -> dict[str, list[Num]]:
    """Perfusion and gated function of a reversible LAD defect, as QPS/QGS would report them."""
    stress = {1: 2, 7: 2, 13: 2}
    perfusion: list[Num] = [(SSS, 6, "{score}", None, None), (SRS, 0, "{score}", None, None),
                            (SDS, 6, "{score}", None, None), (TPD, 9.0, "%", STRESS, None)]
    segments: list[Num] = []
    for n, site in enumerate(SEGMENT_CODES, start=1):
        segments += [(("99NCREPORT", "SEGMENT-SCORE", "Segmental perfusion score (0-4)"), stress.get(n, 0),
                      "{score}", STRESS, site),
                     (("99NCREPORT", "SEGMENT-SCORE", "Segmental perfusion score (0-4)"), 0, "{score}", REST, site)]
    function: list[Num] = [(LVEF, 55, "%", STRESS, None), (LVEF, 58, "%", REST, None),
                           (EDV, 110, "ml", STRESS, None), (ESV, 50, "ml", STRESS, None),
                           (TID, 1.12, "{ratio}", None, None), (STROKE_VOLUME, 60, "ml", STRESS, None)]
    return {"Perfusion": perfusion, "Segments": segments, "Function": function}


SEGMENT_CODES = [("SCT", c, f"segment {i}") for i, c in enumerate(
    ["264850008", "396482007", "396646008", "264846001", "396652009", "396654005", "264848000", "396647004",
     "396649001", "264847005", "396655006", "396656007", "264844003", "264845002", "264849008", "264853005",
     "128564006"], start=1)]


@pytest.fixture
def ingest_app() -> Any:
    """The ``ncreport`` app (its ``ingest`` command and its one error mapping)."""
    from reporter.cli import app

    return app


# --- reports to export -------------------------------------------------------------------------------

SIGNED_AT = dt.datetime(2026, 5, 2, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
SOURCE_STUDY_UID = "1.2.826.0.1.3680043.10.511.3.2002"
SOURCE_SOP_UID = "1.2.826.0.1.3680043.10.511.3.2002.1.1"


@pytest.fixture(scope="session")
def identified_study() -> Any:
    """The LAD-ischemia example with identifiers; the indication quotes the MRN, as free text can."""
    import json

    from reporter.domain.study import Study

    root = Path(__file__).resolve().parents[2]
    data = json.loads((root / "examples" / "spect_lad_ischemia.json").read_text(encoding="utf-8"))
    data["patient"].update(name="Doe^Jane^Q", mrn="MRN-4711-0815", birth_date="1959-03-17")
    data["accession"] = "ACC-20260502-77"
    data["clinical"]["indication"] = "Exertional chest pressure (chart MRN-4711-0815); unable to exercise."
    return Study.model_validate(data)


@pytest.fixture(scope="session")
def drafted(identified_study: Any) -> Any:
    from reporter.report import draft_report

    return draft_report(identified_study, now=dt.datetime(2026, 5, 2, 12, 0, tzinfo=dt.UTC))


@pytest.fixture(scope="session")
def signer() -> Any:
    from reporter.interop.signature import Signer

    return Signer(family="Smith", given="Anna", suffix="MD", identifier="NPI-1234567890")


@pytest.fixture(scope="session")
def attest(drafted: Any, signer: Any) -> Callable[..., Any]:
    """An attestation of the drafted report: final and signed unless told otherwise."""
    from reporter.interop.signature import (
        Addendum,
        Attestation,
        ReportStatus,
        Signature,
        SignatureMeaning,
        text_sha256,
    )

    def make(status: str = "final", addendum: str | None = None) -> Any:
        signature = None if status == "preliminary" else Signature(signer, SIGNED_AT, SignatureMeaning.APPROVAL)
        addenda = ()
        if addendum is not None:
            addenda = (Addendum(addendum, Signature(signer, SIGNED_AT + dt.timedelta(days=1))),)
        return Attestation(ReportStatus(status), text_sha256(drafted), signature, addenda, organization="Heart Center")

    return make


@pytest.fixture(scope="session")
def source() -> Any:
    from reporter.interop.dicom_in import SourceInstance
    from reporter.interop.export_common import DicomSource

    instance = SourceInstance(file="nm_stress.dcm", sop_class_uid=NM_IMAGE_STORAGE, sop_instance_uid=SOURCE_SOP_UID,
                              study_instance_uid=SOURCE_STUDY_UID, series_instance_uid=SOURCE_STUDY_UID + ".1",
                              modality="NM")
    return DicomSource.from_instances([instance])


def pdf_text(document: bytes) -> str:
    """The strings a PDF draws (fpdf2 core-font text: ``(...) Tj`` in Flate-compressed content streams)."""
    import re
    import zlib

    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", document, re.S):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            content = stream
        for raw in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content):
            texts.append(re.sub(rb"\\(.)", rb"\1", raw).decode("cp1252"))
    return "\n".join(texts)


@pytest.fixture(scope="session")
def read_pdf_text() -> Callable[[bytes], str]:
    return pdf_text


@pytest.fixture(scope="session")
def inflated() -> Callable[[bytes], bytes]:
    """The bytes of a file with every Flate stream of an embedded PDF inflated and appended (for leak checks)."""
    import re
    import zlib

    def inflate(data: bytes) -> bytes:
        out = [data]
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
            try:
                out.append(zlib.decompress(stream))
            except zlib.error:
                continue
        return b"\n".join(out)

    return inflate
