"""Exporting a stored report: every format of a signed report, preliminary drafts, addenda, de-identification."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pydicom import dcmread
from sqlalchemy import select
from sqlalchemy.orm import Session

from reporter.errors import ConflictError, InputFormatError, NotFoundError, PermissionDeniedError
from reporter.service import reading_room as rr
from reporter.service.access import Actor, Role
from reporter.service.exporting import export_report
from reporter.storage.audit import verify_chain
from reporter.storage.models import AuditEntry, DicomObject

COMPREHENSIVE_SR, ENCAPSULATED_PDF = "1.2.840.10008.5.1.4.1.1.88.33", "1.2.840.10008.5.1.4.1.1.104.1"
NAME, MRN = "Zebediah Quuxworth", "MRN-93817264"


def _hl7_status(data: bytes) -> str:
    obr = next(s for s in data.decode().split("\r") if s.startswith("OBR|"))
    return obr.split("|")[25]


def _fhir_report(data: bytes) -> dict[str, object]:
    bundle = json.loads(data)
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "DiagnosticReport")


@pytest.mark.parametrize(
    ("fmt", "media_type", "filename", "starts"),
    [
        ("text", "text/plain; charset=utf-8", "report-1.txt", b"MYOCARDIAL PERFUSION IMAGING REPORT"),
        ("pdf", "application/pdf", "report-1.pdf", b"%PDF-1."),
        ("dicom-sr", "application/dicom", "report-1-dicom-sr.dcm", b"\0" * 128 + b"DICM"),
        ("dicom-pdf", "application/dicom", "report-1-dicom-pdf.dcm", b"\0" * 128 + b"DICM"),
        ("fhir", "application/fhir+json", "report-1.json", b'{\n  "resourceType": "Bundle"'),
        ("hl7", "x-application/hl7-v2+er7; charset=utf-8", "report-1.hl7", b"MSH|^~\\&|NCREPORT"),
    ],
)
def test_a_signed_report_exports_in_each_format(
    session: Session,
    users: dict[Role, Actor],
    signed_report: rr.ReportView,
    fmt: str,
    media_type: str,
    filename: str,
    starts: bytes,
) -> None:
    exported = export_report(session, users[Role.QA], signed_report.id, fmt)
    assert (exported.media_type, exported.filename, exported.status) == (media_type, filename, "final")
    assert exported.data.startswith(starts)


def test_the_final_report_is_final_in_fhir_and_hl7_and_verified_in_the_sr(
    session: Session, users: dict[Role, Actor], signed_report: rr.ReportView
) -> None:
    qa = users[Role.QA]
    assert _fhir_report(export_report(session, qa, signed_report.id, "fhir").data)["status"] == "final"
    assert _hl7_status(export_report(session, qa, signed_report.id, "hl7").data) == "F"
    sr = dcmread(io.BytesIO(export_report(session, qa, signed_report.id, "dicom-sr").data))
    assert (sr.CompletionFlag, sr.VerificationFlag) == ("COMPLETE", "VERIFIED")
    assert str(sr.VerifyingObserverSequence[0].VerifyingObserverName) == "physician1^"
    assert (sr.PatientName, sr.PatientID) == ("Quuxworth^Zebediah", MRN)


def test_the_exported_text_is_the_signed_text_without_its_header(
    session: Session, users: dict[Role, Actor], signed_report: rr.ReportView
) -> None:
    sr = dcmread(io.BytesIO(export_report(session, users[Role.QA], signed_report.id, "dicom-sr").data))
    texts = [
        item.TextValue
        for container in sr.ContentSequence
        if "ContentSequence" in container
        for item in container.ContentSequence
        if item.ValueType == "TEXT"
    ]
    assert texts[0] == "Exertional chest pressure; unable to exercise because of knee osteoarthritis."
    assert texts[-1].startswith("Intermediate risk of cardiac events, based on abnormal myocardial perfusion")
    assert not any("not yet signed" in t or MRN in t or "Drafted by" in t for t in texts)


def test_each_export_of_a_signed_report_is_the_same_dicom_instance(
    session: Session, users: dict[Role, Actor], signed_report: rr.ReportView
) -> None:
    first = export_report(session, users[Role.QA], signed_report.id, "dicom-sr")
    again = export_report(session, users[Role.PHYSICIAN], signed_report.id, "dicom-sr")
    pdf = export_report(session, users[Role.QA], signed_report.id, "dicom-pdf")
    assert (again.data, again.sop_instance_uid) == (first.data, first.sop_instance_uid)
    kept = {o.kind: o for o in session.scalars(select(DicomObject))}
    assert sorted(kept) == ["dicom-pdf", "dicom-sr"]
    assert kept["dicom-sr"].study_instance_uid == kept["dicom-pdf"].study_instance_uid  # one study
    assert (kept["dicom-sr"].sop_class_uid, kept["dicom-pdf"].sop_class_uid) == (COMPREHENSIVE_SR, ENCAPSULATED_PDF)
    assert kept["dicom-pdf"].sop_instance_uid == pdf.sop_instance_uid


def test_an_unsigned_report_is_refused_naming_it(
    session: Session, users: dict[Role, Actor], drafted_report: rr.ReportView
) -> None:
    with pytest.raises(ConflictError) as info:
        export_report(session, users[Role.QA], drafted_report.id, "fhir")
    assert info.value.code == "E401"
    assert info.value.message.startswith(f"report {drafted_report.id} is not signed")


def test_an_unknown_report_is_not_found(session: Session, users: dict[Role, Actor]) -> None:
    with pytest.raises(NotFoundError, match="no report 999"):
        export_report(session, users[Role.QA], 999, "hl7")


def test_a_draft_marked_preliminary_exports_as_preliminary(
    session: Session, users: dict[Role, Actor], drafted_report: rr.ReportView
) -> None:
    qa = users[Role.QA]
    fhir = export_report(session, qa, drafted_report.id, "fhir", preliminary=True)
    assert (fhir.status, fhir.filename) == ("preliminary", "report-1-preliminary.json")
    assert _fhir_report(fhir.data)["status"] == "preliminary"
    assert _hl7_status(export_report(session, qa, drafted_report.id, "hl7", preliminary=True).data) == "P"
    sr = dcmread(io.BytesIO(export_report(session, qa, drafted_report.id, "dicom-sr", preliminary=True).data))
    assert (sr.CompletionFlag, sr.VerificationFlag) == ("PARTIAL", "UNVERIFIED")
    assert session.scalars(select(DicomObject)).all() == []  # preliminary objects are not kept


def test_a_signed_report_is_not_exported_as_preliminary(
    session: Session, users: dict[Role, Actor], signed_report: rr.ReportView
) -> None:
    with pytest.raises(ConflictError, match="is signed: it exports as final"):
        export_report(session, users[Role.QA], signed_report.id, "hl7", preliminary=True)


def test_an_addended_report_is_appended_and_its_sr_references_the_original(
    session: Session, users: dict[Role, Actor], signed_report: rr.ReportView
) -> None:
    physician, qa = users[Role.PHYSICIAN], users[Role.QA]
    original = export_report(session, qa, signed_report.id, "dicom-sr")
    addendum = rr.add_addendum(session, physician, signed_report.id, "Coronary angiography: LAD 80% stenosis.")
    unsigned = export_report(session, qa, signed_report.id, "fhir")
    assert _fhir_report(unsigned.data)["status"] == "final"  # an addendum counts once it is signed
    rr.sign_addendum(session, physician, signed_report.id, addendum.id)
    fhir = export_report(session, qa, signed_report.id, "fhir")
    assert (fhir.status, _fhir_report(fhir.data)["status"]) == ("appended", "appended")
    assert _hl7_status(export_report(session, qa, signed_report.id, "hl7").data) == "C"
    appended = export_report(session, qa, signed_report.id, "dicom-sr")
    assert appended.sop_instance_uid != original.sop_instance_uid
    sr = dcmread(io.BytesIO(appended.data))
    predecessor = sr.PredecessorDocumentsSequence[0].ReferencedSeriesSequence[0].ReferencedSOPSequence[0]
    assert predecessor.ReferencedSOPInstanceUID == original.sop_instance_uid
    text = export_report(session, qa, signed_report.id, "text").data.decode()
    assert "\n\n\nADDENDUM 1 TO THE MYOCARDIAL PERFUSION IMAGING REPORT\n(report signed by physician1 on " in text
    assert "\n\nCoronary angiography: LAD 80% stenosis.\n\nElectronically signed by physician1 (physician) on " in text


def test_an_edited_report_exports_its_text_without_the_drafts_coded_conclusions(
    session: Session, users: dict[Role, Actor], drafted_report: rr.ReportView
) -> None:
    physician = users[Role.PHYSICIAN]
    text = drafted_report.current.text.replace("Image quality is good.", "Image quality is good; no motion.")
    rr.edit(session, physician, drafted_report.id, text, base_version=1)
    rr.sign(session, physician, drafted_report.id, 2)
    fhir = _fhir_report(export_report(session, users[Role.QA], drafted_report.id, "fhir").data)
    assert "conclusionCode" not in fhir  # the draft's coded result may not say what the edited text says
    sr = export_report(session, users[Role.QA], drafted_report.id, "dicom-sr").data
    assert b"Image quality is good; no motion." in sr


def test_the_pdf_shows_the_signer_the_time_and_the_hash_the_signature_is_bound_to(
    session: Session, users: dict[Role, Actor], signed_report: rr.ReportView
) -> None:
    from tests.interop.conftest import pdf_text

    signature = signed_report.versions[0].signature
    assert signature is not None
    lines = pdf_text(export_report(session, users[Role.QA], signed_report.id, "pdf").data).splitlines()
    assert lines[:2] == ["Myocardial Perfusion Imaging Report", "FINAL REPORT"]
    assert f"Approval Signature: physician1, signed {signature.signed_at:%Y-%m-%d %H:%M} UTC" in lines
    assert f"Signed text sha256: {signature.text_sha256}" in lines
    assert "Patient: Zebediah Quuxworth    MRN: MRN-93817264    Date of birth: -    Accession: -" in lines


def test_a_deidentified_export_holds_no_identifier(
    session: Session, users: dict[Role, Actor], signed_report: rr.ReportView
) -> None:
    from tests.interop.conftest import pdf_text

    identified = export_report(session, users[Role.QA], signed_report.id, "dicom-sr").data
    assert MRN.encode() in identified and b"Quuxworth" in identified
    for fmt in ("dicom-sr", "dicom-pdf"):
        exported = export_report(session, users[Role.QA], signed_report.id, fmt, deidentify=True)
        assert exported.filename == f"report-1-deidentified-{fmt}.dcm"
        inflated = exported.data + pdf_text(exported.data).encode() if fmt == "dicom-pdf" else exported.data
        for secret in (MRN, "Quuxworth", "Zebediah", "physician1"):
            assert secret.encode() not in inflated, (fmt, secret)
        assert dcmread(io.BytesIO(exported.data)).PatientIdentityRemoved == "YES"


def test_fhir_and_hl7_and_text_are_not_deidentified(
    session: Session, users: dict[Role, Actor], signed_report: rr.ReportView
) -> None:
    with pytest.raises(InputFormatError) as info:
        export_report(session, users[Role.QA], signed_report.id, "fhir", deidentify=True)
    assert [p.field for p in info.value.problems] == ["deidentify"]


def test_an_unknown_format_is_refused_naming_the_field(
    session: Session, users: dict[Role, Actor], signed_report: rr.ReportView
) -> None:
    with pytest.raises(InputFormatError) as info:
        export_report(session, users[Role.QA], signed_report.id, "docx")
    assert str(info.value.problems[0]) == ("format: one of text, pdf, dicom-sr, dicom-pdf, fhir, hl7 (got 'docx')")


@pytest.mark.parametrize("role", [Role.TECHNOLOGIST, Role.ADMIN])
def test_a_technologist_and_an_admin_do_not_export(
    session: Session, users: dict[Role, Actor], signed_report: rr.ReportView, role: Role
) -> None:
    with pytest.raises(PermissionDeniedError):
        export_report(session, users[role], signed_report.id, "pdf")


def test_each_export_is_an_audit_entry_without_identifiers(
    session: Session, users: dict[Role, Actor], signed_report: rr.ReportView
) -> None:
    exported = export_report(session, users[Role.QA], signed_report.id, "dicom-sr")
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "report.export")).one()
    assert (entry.actor, entry.report_id) == ("qa1", signed_report.id)
    assert json.loads(entry.detail or "") == {
        "bytes": len(exported.data),
        "deidentified": False,
        "format": "dicom-sr",
        "sop_instance_uid": exported.sop_instance_uid,
        "status": "final",
    }
    assert verify_chain(session)[1] is None
    for row in session.scalars(select(AuditEntry)):
        assert MRN not in str(vars(row)) and "Quuxworth" not in str(vars(row))


# ---- the exported files pass Debian's dcmtk and dicom3tools ----------------------------------------


def _errors(tool: str, path: Path) -> list[str]:
    binary = shutil.which(tool)
    if binary is None:
        pytest.skip(f"{tool} is not installed (apt-get install -y dcmtk dicom3tools)")
    result = subprocess.run([binary, str(path)], capture_output=True, text=True, timeout=60, check=False)
    lines = (result.stdout + result.stderr).splitlines()
    return [line for line in lines if line.startswith(("E:", "F:", "Error"))]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("fmt", "deidentify", "tools"),
    [
        ("dicom-sr", False, ("dsrdump", "dciodvfy")),
        ("dicom-pdf", False, ("dcmdump", "dciodvfy")),
        ("dicom-sr", True, ("dsrdump", "dciodvfy")),
        ("dicom-pdf", True, ("dcmdump", "dciodvfy")),
    ],
)
def test_the_services_dicom_exports_pass_dcmtk_and_dciodvfy(
    session: Session,
    users: dict[Role, Actor],
    signed_report: rr.ReportView,
    tmp_path: Path,
    fmt: str,
    deidentify: bool,
    tools: tuple[str, ...],
) -> None:
    path = tmp_path / "export.dcm"
    path.write_bytes(export_report(session, users[Role.QA], signed_report.id, fmt, deidentify=deidentify).data)
    for tool in tools:
        assert _errors(tool, path) == [], tool


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_addendum_sr_passes_dsrdump_and_dciodvfy(
    session: Session, users: dict[Role, Actor], signed_report: rr.ReportView, tmp_path: Path
) -> None:
    physician = users[Role.PHYSICIAN]
    addendum = rr.add_addendum(session, physician, signed_report.id, "Coronary angiography: LAD 80% stenosis.")
    rr.sign_addendum(session, physician, signed_report.id, addendum.id)
    path = tmp_path / "addendum.dcm"
    path.write_bytes(export_report(session, users[Role.QA], signed_report.id, "dicom-sr").data)
    assert _errors("dsrdump", path) == []
    assert _errors("dciodvfy", path) == []
