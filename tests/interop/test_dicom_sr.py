"""DICOM Comprehensive SR export: structure, codes, references, signature, addenda; read back by ingest."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pydicom import dcmread

from reporter.errors import InputError
from reporter.interop.dicom_in import ingest
from reporter.interop.dicom_sr import export_dicom_sr
from reporter.interop.export_common import ExportOptions

SOURCE_STUDY_UID = "1.2.826.0.1.3680043.10.511.3.2002"
SOURCE_SOP_UID = "1.2.826.0.1.3680043.10.511.3.2002.1.1"


def _read(data: bytes):
    return dcmread(io.BytesIO(data))


def _meaning(item) -> str:
    return item.ConceptNameCodeSequence[0].CodeMeaning


def _child(item, meaning: str):
    return next(c for c in item.ContentSequence if _meaning(c) == meaning)


@pytest.fixture(scope="module")
def final_sr(drafted, identified_study, attest, source):
    options = ExportOptions(source=source, institution="Heart Center")
    return export_dicom_sr(drafted, identified_study, attest(), options)


def test_the_sr_is_a_signed_final_comprehensive_sr_of_the_source_study(final_sr):
    ds = _read(final_sr)
    assert ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.88.33"
    assert (ds.Modality, ds.PreliminaryFlag, ds.CompletionFlag, ds.VerificationFlag) == (
        "SR",
        "FINAL",
        "COMPLETE",
        "VERIFIED",
    )
    observer = ds.VerifyingObserverSequence[0]
    assert (observer.VerifyingObserverName, observer.VerifyingOrganization, observer.VerificationDateTime) == (
        "Smith^Anna^^^MD",
        "Heart Center",
        "20260502143000+0200",
    )
    assert ds.StudyInstanceUID == SOURCE_STUDY_UID
    evidence = ds.CurrentRequestedProcedureEvidenceSequence[0]
    assert evidence.StudyInstanceUID == SOURCE_STUDY_UID
    assert evidence.ReferencedSeriesSequence[0].ReferencedSOPSequence[0].ReferencedSOPInstanceUID == SOURCE_SOP_UID
    assert (str(ds.PatientName), ds.PatientID, ds.PatientBirthDate, ds.PatientSex, ds.AccessionNumber) == (
        "Doe^Jane^Q",
        "MRN-4711-0815",
        "19590317",
        "M",
        "ACC-20260502-77",
    )
    assert (ds.ContentDate, ds.ContentTime) == ("20260502", "143000")


def test_the_content_tree_follows_tid_3300(final_sr):
    ds = _read(final_sr)
    assert ds.ConceptNameCodeSequence[0].CodeValue == "49118-3"
    top = [(c.ValueType, _meaning(c)) for c in ds.ContentSequence]
    assert top == [
        ("CODE", "Language of Content Item and Descendants"),
        ("CODE", "Observer Type"),
        ("UIDREF", "Device Observer UID"),
        ("TEXT", "Device Observer Name"),
        ("CODE", "Observer Type"),
        ("PNAME", "Person Observer Name"),
        ("CODE", "Procedure reported"),
        ("CONTAINER", "Indications for Procedure"),
        ("CONTAINER", "Current Procedure Descriptions"),
        ("CONTAINER", "Stress Protocol"),
        ("CONTAINER", "Imaging Measurements"),
        ("CONTAINER", "Findings"),
        ("CONTAINER", "Summary"),
        ("CONTAINER", "Conclusions"),
    ]
    procedure = _child(ds, "Procedure reported").ConceptCodeSequence[0]
    assert (procedure.CodeValue, procedure.CodingSchemeDesignator) == ("122782", "DCM")


def test_stress_and_radiopharmaceuticals_are_coded(final_sr):
    ds = _read(final_sr)
    stress = _child(ds, "Stress Protocol")
    assert [c.ConceptCodeSequence[0].CodeValue for c in stress.ContentSequence if c.ValueType == "CODE"] == [
        "424064009",
        "432062000",
    ]
    procedure = _child(ds, "Current Procedure Descriptions")
    doses = [c for c in procedure.ContentSequence if _meaning(c) == "Radiopharmaceutical"]
    assert [d.ConceptCodeSequence[0].CodeValue for d in doses] == ["424118002", "424118002"]
    stress_dose = doses[1]
    assert _child(stress_dose, "Patient State").ConceptCodeSequence[0].CodeValue == "432655005"
    dose = _child(stress_dose, "Radionuclide Total Dose").MeasuredValueSequence[0]
    assert (float(dose.NumericValue), dose.MeasurementUnitsCodeSequence[0].CodeValue) == (1110.0, "MBq")


def test_the_defect_result_and_risk_are_coded(final_sr):
    ds = _read(final_sr)
    findings = _child(ds, "Findings")
    coded = {_meaning(c): c for c in findings.ContentSequence if c.ValueType == "CODE"}
    assert coded["Overall study quality"].ConceptCodeSequence[0].CodeValue == "122741"
    assert coded["Myocardial perfusion"].ConceptCodeSequence[0].CodeValue == "263654008"
    defect = coded["Finding"]
    assert defect.ConceptCodeSequence[0].CodeValue == "251055003"  # reversible myocardial perfusion defect
    modifiers = [(_meaning(m), m.ConceptCodeSequence[0].CodeValue) for m in defect.ContentSequence]
    assert modifiers == [
        ("Finding Site", "59438005"),
        ("Finding Site", "264850008"),
        ("Finding Site", "264848000"),
        ("Finding Site", "264844003"),
        ("Severity", "6736007"),
        ("Extent", "EXTENT-MEDIUM"),
    ]
    summary = [(_meaning(c), c.ConceptCodeSequence[0].CodeValue) for c in _child(ds, "Summary").ContentSequence]
    assert summary == [("Stress imaging summary", "408574004"), ("Level of risk", "25594002")]


def test_every_sentence_is_in_the_sr_under_its_heading(final_sr, drafted):
    ds = _read(final_sr)
    conclusions = [c.TextValue for c in _child(ds, "Conclusions").ContentSequence]
    assert conclusions == [s.text for s in drafted.sections[-1].sentences]
    assert conclusions[0].startswith("Abnormal myocardial perfusion: medium-sized reversible defect with moderately")
    texts = [
        c.TextValue
        for container in ds.ContentSequence
        if container.ValueType == "CONTAINER"
        for c in container.ContentSequence
        if c.ValueType == "TEXT"
    ]
    assert len(texts) == sum(len(s.sentences) for s in drafted.sections)


def test_ingest_reads_the_exported_measurements_back(final_sr, tmp_path):
    path = tmp_path / "report_sr.dcm"
    path.write_bytes(final_sr)
    study = ingest([path]).study_dict
    assert study["function"] == {
        "stress_lvef_percent": 55.0,
        "rest_lvef_percent": 58.0,
        "stress_edv_ml": 110.0,
        "stress_esv_ml": 50.0,
        "tid_ratio": 1.12,
    }
    perfusion = study["perfusion"]
    assert (
        perfusion["summed_stress_score"],
        perfusion["summed_rest_score"],
        perfusion["summed_difference_score"],
        perfusion["stress_tpd_percent"],
    ) == (6, 0, 6, 9.0)
    assert [s["stress"] for s in perfusion["segments"]] == [2, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0]
    assert study["patient"] == {
        "age_years": 67,
        "sex": "male",
        "name": "Doe^Jane^Q",
        "mrn": "MRN-4711-0815",
        "birth_date": "1959-03-17",
    }


def test_ingest_lists_the_coded_statements_it_does_not_read(final_sr, tmp_path):
    path = tmp_path / "report_sr.dcm"
    path.write_bytes(final_sr)
    warnings = ingest([path]).warnings
    assert warnings[0] == (
        "report_sr.dcm: coded statements not read into the Study: Finding (121071, DCM), Level of risk "
        "(LEVEL-OF-RISK, 99NCREPORT), Myocardial perfusion (251053005, SCT), Overall study quality (122739, DCM), "
        "Procedure reported (121058, DCM), Radiopharmaceutical (123001, DCM) x2, Stress agent (STRESS-AGENT, "
        "99NCREPORT), Stress imaging summary (STRESS-IMAGING-SUMMARY, 99NCREPORT), Stress test procedure "
        "(STRESS-TEST, 99NCREPORT)"
    )


def test_a_preliminary_sr_is_unverified(drafted, identified_study, attest):
    ds = _read(export_dicom_sr(drafted, identified_study, attest("preliminary")))
    assert (ds.PreliminaryFlag, ds.CompletionFlag, ds.VerificationFlag) == ("PRELIMINARY", "PARTIAL", "UNVERIFIED")
    assert "VerifyingObserverSequence" not in ds
    assert "Person Observer Name" not in [_meaning(c) for c in ds.ContentSequence]


def test_without_a_source_study_a_new_study_uid_is_made(drafted, identified_study, attest):
    ds = _read(export_dicom_sr(drafted, identified_study, attest()))
    assert re.fullmatch(r"[0-9.]{10,64}", ds.StudyInstanceUID)
    assert "CurrentRequestedProcedureEvidenceSequence" not in ds


def test_an_addendum_is_a_new_sr_that_references_the_original(final_sr, drafted, identified_study, attest, source):
    original = _read(final_sr)
    options = ExportOptions(source=source, predecessor_sr=final_sr)
    addendum = _read(
        export_dicom_sr(drafted, identified_study, attest("appended", "LAD stenosis 80% on angiography."), options)
    )
    assert addendum.SOPInstanceUID != original.SOPInstanceUID
    assert addendum.StudyInstanceUID == original.StudyInstanceUID
    ref = addendum.PredecessorDocumentsSequence[0]
    assert ref.StudyInstanceUID == original.StudyInstanceUID
    assert ref.ReferencedSeriesSequence[0].ReferencedSOPSequence[0].ReferencedSOPInstanceUID == original.SOPInstanceUID
    block = _child(addendum, "Addendum")
    assert [(c.ValueType, _meaning(c)) for c in block.ContentSequence] == [
        ("TEXT", "Addendum"),
        ("PNAME", "Person Observer Name"),
        ("DATETIME", "Date and time of signature"),
    ]
    assert block.ContentSequence[0].TextValue == "LAD stenosis 80% on angiography."
    assert block.ContentSequence[2].DateTime == "20260503143000+0200"


def test_an_addendum_without_the_original_is_refused(drafted, identified_study, attest):
    with pytest.raises(InputError, match="references the original"):
        export_dicom_sr(drafted, identified_study, attest("appended", "More."))


def test_an_addendum_to_something_that_is_not_an_sr_is_refused(drafted, identified_study, attest, tmp_path):
    with pytest.raises(InputError, match="not a readable DICOM SR"):
        export_dicom_sr(
            drafted, identified_study, attest("appended", "More."), ExportOptions(predecessor_sr=b"not dicom")
        )


def test_a_pet_study_sr_has_the_pet_title_and_flow(measurement_sr, attest, signer):
    import datetime as dt
    import json

    from reporter.domain.study import Study
    from reporter.interop.signature import Attestation, ReportStatus, Signature, text_sha256
    from reporter.report import draft_report

    root = Path(__file__).resolve().parents[2]
    study = Study.model_validate(json.loads((root / "examples" / "pet_rb82_balanced_ischemia.json").read_text()))
    report = draft_report(study, now=dt.datetime(2026, 5, 2, tzinfo=dt.UTC))
    attestation = Attestation(
        ReportStatus.FINAL, text_sha256(report), Signature(signer, dt.datetime(2026, 5, 2, 15, 0, tzinfo=dt.UTC))
    )
    ds = _read(export_dicom_sr(report, study, attestation))
    assert ds.ConceptNameCodeSequence[0].CodeValue == "44136-0"
    groups = _child(ds, "Imaging Measurements").ContentSequence
    flow = next(g for g in groups if g.ContentSequence[0].TextValue == "Myocardial blood flow")
    mfr = [n for n in flow.ContentSequence if n.ValueType == "NUM" and _meaning(n) == "Coronary Flow reserve"]
    assert [float(n.MeasuredValueSequence[0].NumericValue) for n in mfr] == [1.35, 1.33, 1.38, 1.36]
