"""The API's exports of a signed report, its send to a PACS (a real Orthanc), and studies submitted as DICOM files."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydicom import dcmread

from reporter.service.access import Role

from .conftest import As

COMPREHENSIVE_SR, ENCAPSULATED_PDF = "1.2.840.10008.5.1.4.1.1.88.33", "1.2.840.10008.5.1.4.1.1.104.1"


@pytest.mark.parametrize(
    ("fmt", "media_type", "filename"),
    [
        ("text", "text/plain; charset=utf-8", "report-1.txt"),
        ("pdf", "application/pdf", "report-1.pdf"),
        ("dicom-sr", "application/dicom", "report-1-dicom-sr.dcm"),
        ("dicom-pdf", "application/dicom", "report-1-dicom-pdf.dcm"),
        ("fhir", "application/fhir+json", "report-1.json"),
        ("hl7", "x-application/hl7-v2+er7; charset=utf-8", "report-1.hl7"),
    ],
)
def test_each_format_downloads_with_its_media_type_and_file_name(
    as_: As, signed_report_id: int, fmt: str, media_type: str, filename: str
) -> None:
    answer = as_[Role.QA].get(f"/api/reports/{signed_report_id}/export/{fmt}")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == media_type
    assert answer.headers["content-disposition"] == f'attachment; filename="{filename}"'
    assert len(answer.content) > 1000


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_unsigned_report_is_409_and_a_preliminary_one_exports(as_: As, lad_study: dict[str, Any]) -> None:
    as_[Role.TECHNOLOGIST].post("/api/studies", json={"study": lad_study})
    as_[Role.PHYSICIAN].post("/api/studies/1/draft")
    refused = as_[Role.PHYSICIAN].get("/api/reports/1/export/hl7")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "E401")
    preliminary = as_[Role.PHYSICIAN].get("/api/reports/1/export/hl7", params={"preliminary": "true"})
    assert preliminary.headers["content-disposition"] == 'attachment; filename="report-1-preliminary.hl7"'
    obr = next(s for s in preliminary.content.decode().split("\r") if s.startswith("OBR|"))
    assert obr.split("|")[25] == "P"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/reports/1/export/docx", 422, "E100"),
        ("/api/reports/1/export/fhir?deidentify=true", 400, "E102"),
        ("/api/reports/1/export/pdf?deidentify=maybe", 422, "E100"),
        ("/api/reports/99/export/pdf", 404, "E201"),
    ],
)
def test_bad_export_requests_are_4xx(as_: As, signed_report_id: int, url: str, status: int, code: str) -> None:
    answer = as_[Role.QA].get(url)
    assert (answer.status_code, answer.json()["error"]["code"]) == (status, code)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_deidentified_export_downloads_without_identifiers(as_: As, signed_report_id: int) -> None:
    answer = as_[Role.QA].get("/api/reports/1/export/dicom-sr", params={"deidentify": "true"})
    assert answer.headers["content-disposition"] == 'attachment; filename="report-1-deidentified-dicom-sr.dcm"'
    assert b"MRN-93817264" not in answer.content and b"Quuxworth" not in answer.content


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_send_without_a_configured_pacs_is_422(as_: As, signed_report_id: int) -> None:
    answer = as_[Role.ADMIN].post("/api/reports/1/send")
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "E104")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_admin_sends_the_report_to_the_pacs(
    pacs_client: TestClient,
    tokens: dict[Role, str],
    orthanc: Any,
    signed_report_id: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    pacs_client.headers["Authorization"] = f"Bearer {tokens[Role.ADMIN]}"
    answer = pacs_client.post(f"/api/reports/{signed_report_id}/send")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["destination"] == f"ORTHANC_TEST@127.0.0.1:{orthanc.dicom_port}"
    pacs_client.headers["Authorization"] = f"Bearer {tokens[Role.QA]}"
    sr = dcmread(io.BytesIO(pacs_client.get(f"/api/reports/{signed_report_id}/export/dicom-sr").content))
    pdf = dcmread(io.BytesIO(pacs_client.get(f"/api/reports/{signed_report_id}/export/dicom-pdf").content))
    assert body["sop_instance_uids"] == [sr.SOPInstanceUID, pdf.SOPInstanceUID]  # what was sent is what exports
    assert orthanc.find(sr.StudyInstanceUID) == sorted(
        [(COMPREHENSIVE_SR, sr.SOPInstanceUID, "SR"), (ENCAPSULATED_PDF, pdf.SOPInstanceUID, "DOC")]
    )
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Quuxworth" not in logged and "MRN-93817264" not in logged  # pynetdicom's dataset lines are held back


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_study_submitted_as_dicom_keeps_its_uids_for_the_exports(
    as_: As, signed_report_id: int, lad_study: dict[str, Any]
) -> None:
    sr = as_[Role.QA].get(f"/api/reports/{signed_report_id}/export/dicom-sr").content  # an SR with measurements
    source_uid = dcmread(io.BytesIO(sr)).StudyInstanceUID
    del lad_study["function"]["stress_lvef_percent"], lad_study["function"]["rest_lvef_percent"]  # the SR has them
    # so has it the patient (as DICOM writes the name): a study JSON naming the patient otherwise is refused
    del lad_study["patient"]["name"], lad_study["patient"]["mrn"]
    answer = as_[Role.TECHNOLOGIST].post(
        "/api/studies",
        files=[("files", ("results.dcm", sr, "application/dicom"))],
        data={"study": json.dumps(lad_study)},
    )
    assert answer.status_code == 201, answer.text
    study_id = answer.json()["id"]
    function = answer.json()["study"]["function"]
    assert (function["stress_lvef_percent"], function["rest_lvef_percent"]) == (55, 58)
    report = as_[Role.PHYSICIAN].post(f"/api/studies/{study_id}/draft").json()
    as_[Role.PHYSICIAN].post(f"/api/reports/{report['id']}/sign", json={"version": 1})
    again = dcmread(io.BytesIO(as_[Role.QA].get(f"/api/reports/{report['id']}/export/dicom-pdf").content))
    assert again.StudyInstanceUID == source_uid  # the report is filed in the study it came from


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("files", "data", "message"),
    [
        (
            [("files", ("broken.dcm", b"not a dicom file at all", "application/dicom"))],
            {},
            "broken.dcm is not a DICOM file (no DICM preamble)",
        ),
        ([("files", ("empty.dcm", b"", "application/dicom"))], {}, "empty.dcm is empty"),
        ([("other", ("x.dcm", b"x", "application/dicom"))], {}, "no DICOM file given"),
        (
            [("files", ("broken.dcm", b"x", "application/dicom"))],
            {"study": "[1, 2]"},
            "the study field is not a JSON object",
        ),
    ],
)
def test_a_malformed_dicom_upload_is_400_naming_the_file(
    as_: As, files: list[Any], data: dict[str, str], message: str
) -> None:
    answer = as_[Role.TECHNOLOGIST].post("/api/studies", files=files, data=data)
    assert (answer.status_code, answer.json()["error"]["code"], answer.json()["error"]["message"]) == (
        400,
        "E102",
        message,
    )
