"""Fixtures of the interop tests: DICOM files built here with pydicom/highdicom, reports, signatures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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


# The DICOM builders (nm_image, pet_image, measurement_sr, spect_groups) are in tests/conftest.py: the site
# validation (tests/validation) reads DICOM studies too.

NM_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.20"


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

    instance = SourceInstance(
        file="nm_stress.dcm",
        sop_class_uid=NM_IMAGE_STORAGE,
        sop_instance_uid=SOURCE_SOP_UID,
        study_instance_uid=SOURCE_STUDY_UID,
        series_instance_uid=SOURCE_STUDY_UID + ".1",
        modality="NM",
    )
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
