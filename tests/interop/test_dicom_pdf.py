"""Encapsulated PDF export: the DICOM wrapper and the PDF, which shows signer, time and meaning."""

from __future__ import annotations

import io

from pydicom import dcmread

from reporter.interop.dicom_pdf import export_dicom_pdf, render_pdf
from reporter.interop.export_common import ExportOptions

SOURCE_STUDY_UID = "1.2.826.0.1.3680043.10.511.3.2002"


def test_the_encapsulated_pdf_carries_the_pdf_in_the_source_study(drafted, identified_study, attest, source):
    ds = dcmread(io.BytesIO(export_dicom_pdf(drafted, identified_study, attest(), ExportOptions(source=source))))
    assert ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.104.1"
    assert (ds.Modality, ds.MIMETypeOfEncapsulatedDocument, ds.BurnedInAnnotation) == ("DOC", "application/pdf", "YES")
    assert ds.StudyInstanceUID == SOURCE_STUDY_UID
    document = bytes(ds.EncapsulatedDocument)[: ds.EncapsulatedDocumentLength]
    assert document.startswith(b"%PDF-1.")
    assert document.endswith(b"%%EOF\n")
    assert (str(ds.PatientName), ds.PatientID, ds.AccessionNumber) == ("Doe^Jane^Q", "MRN-4711-0815", "ACC-20260502-77")
    assert ds.ConceptNameCodeSequence[0].CodeValue == "49118-3"


def test_the_pdf_shows_signer_time_and_meaning(drafted, identified_study, attest, read_pdf_text):
    text = read_pdf_text(render_pdf(drafted, identified_study, attest()))
    lines = text.splitlines()
    assert lines[:2] == ["Myocardial Perfusion Imaging Report", "FINAL REPORT"]
    assert "Approval Signature: Anna Smith, MD, signed 2026-05-02 14:30 UTC+02:00" in lines
    assert "Organization: Heart Center" in lines
    patient = "Patient: Doe^Jane^Q    MRN: MRN-4711-0815    Date of birth: 1959-03-17    Accession: ACC-20260502-77"
    assert patient in lines
    at = lines.index("IMPRESSION")
    assert lines[at + 1] == (
        "1. Abnormal myocardial perfusion: medium-sized reversible defect with moderately reduced uptake in the LAD"
    )


def test_a_preliminary_pdf_says_it_is_not_signed(drafted, identified_study, attest, read_pdf_text):
    lines = read_pdf_text(render_pdf(drafted, identified_study, attest("preliminary"))).splitlines()
    assert lines[1] == "PRELIMINARY REPORT - not signed; subject to change"
    assert "Not signed: preliminary report, not for clinical decisions." in lines
    assert not any("Signature:" in line for line in lines)


def test_an_appended_pdf_shows_the_addendum_and_its_signature(drafted, identified_study, attest, read_pdf_text):
    lines = read_pdf_text(render_pdf(drafted, identified_study, attest("appended", "LAD stenosis 80%."))).splitlines()
    assert lines[1] == "FINAL REPORT WITH ADDENDUM"
    at = lines.index("ADDENDUM")
    assert lines[at + 1 : at + 3] == [
        "LAD stenosis 80%.",
        "Approval Signature: Anna Smith, MD, signed 2026-05-03 14:30 UTC+02:00",
    ]


def test_characters_outside_the_pdf_font_are_replaced_by_look_alikes():
    from reporter.interop.dicom_pdf import _latin

    assert _latin("LVEF ≥ 50 % − fine, café, 1–3 %") == "LVEF >= 50 % - fine, café, 1–3 %"
