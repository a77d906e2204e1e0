"""De-identification (DICOM PS3.15 basic profile) of the SR and PDF exports: no input identifier survives."""

from __future__ import annotations

import io

import pytest
from pydicom import dcmread

from reporter.interop.export import export
from reporter.interop.export_common import DEIDENTIFIED, ExportOptions

SOURCE_STUDY_UID = "1.2.826.0.1.3680043.10.511.3.2002"
SOURCE_SOP_UID = "1.2.826.0.1.3680043.10.511.3.2002.1.1"
# Everything that identifies the patient, the study or the signer, in the spellings a file could hold.
IDENTIFIERS = [
    "Doe",
    "Jane",
    "MRN-4711-0815",
    "4711-0815",
    "19590317",
    "1959-03-17",
    "03/17/1959",
    "17.03.1959",
    "ACC-20260502-77",
    "Smith",
    "Anna",
    "NPI-1234567890",
    "Heart Center",
    SOURCE_STUDY_UID,
    SOURCE_SOP_UID,
]


@pytest.mark.parametrize("fmt", ["dicom-sr", "dicom-pdf"])
@pytest.mark.parametrize("status", ["final", "appended"])
def test_no_identifier_survives_anywhere_in_the_output(
    fmt, status, drafted, identified_study, attest, source, inflated
):
    options = ExportOptions(source=source, deidentify=True, institution="Heart Center")
    if status == "appended":
        original = export("dicom-sr", drafted, identified_study, attest(), ExportOptions(source=source))
        options = ExportOptions(source=source, deidentify=True, institution="Heart Center", predecessor_sr=original)
    data = export(
        fmt,
        drafted,
        identified_study,
        attest(status, "Reviewed with Dr Smith." if status == "appended" else None),
        options,
    )
    haystack = inflated(data)
    for text in (haystack, haystack.decode("latin-1").lower().encode("latin-1")):
        found = [i for i in IDENTIFIERS if i.encode() in text or i.lower().encode() in text]
        assert found == []


def test_the_identified_export_does_hold_them(drafted, identified_study, attest, source, inflated):
    """The check above can fail: without de-identification every identifier is there."""
    data = inflated(export("dicom-pdf", drafted, identified_study, attest(), ExportOptions(source=source)))
    assert [i for i in ["Doe", "MRN-4711-0815", "1959-03-17", "ACC-20260502-77", "Smith"] if i.encode() in data] == [
        "Doe",
        "MRN-4711-0815",
        "1959-03-17",
        "ACC-20260502-77",
        "Smith",
    ]


@pytest.mark.parametrize("fmt", ["dicom-sr", "dicom-pdf"])
def test_the_deidentified_object_says_how(fmt, drafted, identified_study, attest, source):
    ds = dcmread(
        io.BytesIO(export(fmt, drafted, identified_study, attest(), ExportOptions(source=source, deidentify=True)))
    )
    assert ds.PatientIdentityRemoved == "YES"
    assert [c.CodeValue for c in ds.DeidentificationMethodCodeSequence] == ["113100", "113105", "113108", "113106"]
    assert (ds.PatientName, ds.PatientID, ds.PatientBirthDate, ds.AccessionNumber) == ("", "", "", "")
    assert ds.StudyInstanceUID != SOURCE_STUDY_UID
    assert (ds.PatientSex, ds.StudyDate) == ("M", "20260502")  # retained: patient characteristics, full dates


def test_free_text_identifiers_are_replaced_in_the_sr(drafted, identified_study, attest, source):
    ds = dcmread(
        io.BytesIO(
            export("dicom-sr", drafted, identified_study, attest(), ExportOptions(source=source, deidentify=True))
        )
    )
    indication = next(
        c
        for c in ds.ContentSequence
        if c.ValueType == "CONTAINER" and c.ConceptNameCodeSequence[0].CodeMeaning == "Indications for Procedure"
    )
    assert (
        indication.ContentSequence[0].TextValue == f"Exertional chest pressure (chart {DEIDENTIFIED}); "
        "unable to exercise."
    )
    assert ds.VerifyingObserverSequence[0].VerifyingObserverName == "DEIDENTIFIED^"


def test_clinical_text_stays_when_identifiers_go(drafted, identified_study, attest, source):
    ds = dcmread(
        io.BytesIO(
            export(
                "dicom-sr",
                drafted,
                identified_study,
                attest(),
                ExportOptions(source=source, deidentify=True, institution="Heart Center"),
            )
        )
    )
    stress = next(
        c
        for c in ds.ContentSequence
        if c.ValueType == "CONTAINER" and c.ConceptNameCodeSequence[0].CodeMeaning == "Stress Protocol"
    )
    texts = [c.TextValue for c in stress.ContentSequence if c.ValueType == "TEXT"]
    assert "Heart rate rose from 72 bpm at rest to 98 bpm at peak stress." in texts


def test_with_a_salt_the_sr_and_pdf_share_one_deidentified_study(drafted, identified_study, attest, source):
    options = ExportOptions(source=source, deidentify=True, deid_salt="site-secret-2026")
    sr = dcmread(io.BytesIO(export("dicom-sr", drafted, identified_study, attest(), options)))
    pdf = dcmread(io.BytesIO(export("dicom-pdf", drafted, identified_study, attest(), options)))
    assert sr.StudyInstanceUID == pdf.StudyInstanceUID != SOURCE_STUDY_UID
    unsalted = dcmread(
        io.BytesIO(
            export("dicom-pdf", drafted, identified_study, attest(), ExportOptions(source=source, deidentify=True))
        )
    )
    assert unsalted.StudyInstanceUID != sr.StudyInstanceUID
