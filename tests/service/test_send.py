"""``ncreport export`` and ``ncreport send`` on the service database; the send goes to a real Orthanc on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydicom import dcmread
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from reporter.cli import app
from reporter.service import reading_room as rr
from reporter.service.access import Actor, Role
from reporter.settings import get_settings
from reporter.storage.models import AuditEntry, DicomObject

COMPREHENSIVE_SR, ENCAPSULATED_PDF = "1.2.840.10008.5.1.4.1.1.88.33", "1.2.840.10008.5.1.4.1.1.104.1"
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("NCREPORT_DATABASE_URL", db_url)
    for name in ("HOST", "PORT", "AE_TITLE", "CALLING_AE_TITLE"):
        monkeypatch.delenv(f"NCREPORT_PACS_{name}", raising=False)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


@pytest.fixture
def pacs_env(orthanc, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import NCREPORT_TEST_AET, ORTHANC_AET

    monkeypatch.setenv("NCREPORT_PACS_HOST", "127.0.0.1")
    monkeypatch.setenv("NCREPORT_PACS_PORT", str(orthanc.dicom_port))
    monkeypatch.setenv("NCREPORT_PACS_AE_TITLE", ORTHANC_AET)
    monkeypatch.setenv("NCREPORT_PACS_CALLING_AE_TITLE", NCREPORT_TEST_AET)
    get_settings.cache_clear()


def test_export_writes_the_file(cli: CliRunner, signed_report: rr.ReportView, tmp_path: Path) -> None:
    out = tmp_path / "report.dcm"
    result = cli.invoke(app, ["export", str(signed_report.id), "--format", "dicom-sr", "-o", str(out)])
    assert result.exit_code == 0, result.output
    ds = dcmread(out)
    assert (ds.SOPClassUID, ds.CompletionFlag) == (COMPREHENSIVE_SR, "COMPLETE")
    assert result.output == (
        f"wrote {out}: report 1 (final) as dicom-sr, {out.stat().st_size:,} bytes, "
        f"SOP Instance UID {ds.SOPInstanceUID}\n"
    )


def test_export_of_a_draft_needs_preliminary(cli: CliRunner, drafted_report: rr.ReportView, tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    refused = cli.invoke(app, ["export", "1", "--format", "fhir", "-o", str(out)])
    assert refused.exit_code == 2
    assert refused.output.startswith("error: [E401] report 1 is not signed; only a signed report is exported")
    assert not out.exists()
    allowed = cli.invoke(app, ["export", "1", "--format", "fhir", "-o", str(out), "--preliminary"])
    assert allowed.exit_code == 0, allowed.output
    diagnostic = next(
        e["resource"]
        for e in json.loads(out.read_text())["entry"]
        if e["resource"]["resourceType"] == "DiagnosticReport"
    )
    assert diagnostic["status"] == "preliminary"


def test_export_of_an_unknown_report_names_it(cli: CliRunner, signed_report: rr.ReportView, tmp_path: Path) -> None:
    result = cli.invoke(app, ["export", "42", "--format", "hl7", "-o", str(tmp_path / "r.hl7")])
    assert result.exit_code == 2
    assert result.output == "error: [E201] no report 42\n  - report_id: unknown id (got 42)\n"


def test_send_stores_the_sr_and_the_pdf_in_orthanc(
    cli: CliRunner,
    pacs_env: None,
    orthanc,
    session: Session,  # type: ignore[no-untyped-def]
    users: dict[Role, Actor],
    signed_report: rr.ReportView,
) -> None:
    result = cli.invoke(app, ["send", str(signed_report.id), "--to", "pacs"])
    assert result.exit_code == 0, result.output
    kept = {o.kind: o for o in session.scalars(select(DicomObject))}
    destination = f"ORTHANC_TEST@127.0.0.1:{orthanc.dicom_port}"
    assert result.output == (
        f"sent report 1 to {destination}: 2 instance(s)\n"
        f"  {kept['dicom-sr'].sop_instance_uid}\n  {kept['dicom-pdf'].sop_instance_uid}\n"
    )
    found = orthanc.find(kept["dicom-sr"].study_instance_uid)
    assert found == sorted(
        [
            (COMPREHENSIVE_SR, kept["dicom-sr"].sop_instance_uid, "SR"),
            (ENCAPSULATED_PDF, kept["dicom-pdf"].sop_instance_uid, "DOC"),
        ]
    )
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "report.send")).one()
    detail = json.loads(entry.detail or "")
    assert (
        entry.actor.startswith("cli"),
        entry.report_id,
        detail["destination"],
        detail["sop_instance_uids"],
        detail["status"],
    ) == (True, 1, destination, [kept["dicom-sr"].sop_instance_uid, kept["dicom-pdf"].sop_instance_uid], "final")
    session.commit()
    again = cli.invoke(app, ["send", "1"])  # the same instances again: the PACS keeps one of each
    assert again.exit_code == 0, again.output
    assert orthanc.find(kept["dicom-sr"].study_instance_uid) == found


def test_a_refused_association_names_the_pacs_and_loses_nothing(
    cli: CliRunner,
    pacs_env: None,
    orthanc,  # type: ignore[no-untyped-def]
    session: Session,
    signed_report: rr.ReportView,
) -> None:
    result = cli.invoke(app, ["send", "1", "--calling-ae", "STRANGER"])
    assert result.exit_code == 2
    assert result.output == (
        f"error: [E701] PACS ORTHANC_TEST@127.0.0.1:{orthanc.dicom_port}: the association was "
        "rejected (is ncreport's AE title 'STRANGER' registered at the PACS as a modality?); "
        "nothing was sent\n"
    )
    assert sorted(o.kind for o in session.scalars(select(DicomObject))) == ["dicom-pdf", "dicom-sr"]
    failed = session.scalars(select(AuditEntry).where(AuditEntry.action == "report.send_failed")).one()
    assert json.loads(failed.detail or "")["reason"].endswith("nothing was sent")


def test_a_pacs_that_is_down_names_the_pacs(cli: CliRunner, signed_report: rr.ReportView) -> None:
    from tests.conftest import _free_port

    port = _free_port()  # nothing listens there
    result = cli.invoke(app, ["send", "1", "--host", "127.0.0.1", "--port", str(port), "--called-ae", "DOWN"])
    assert result.exit_code == 2
    assert result.output == (
        f"error: [E701] PACS DOWN@127.0.0.1:{port}: no answer (the PACS is down, or the host "
        "or port is wrong: Connection refused); nothing was sent\n"
    )


def test_send_without_a_configured_pacs_says_how_to_configure_one(cli: CliRunner, signed_report: rr.ReportView) -> None:
    result = cli.invoke(app, ["send", "1"])
    assert result.exit_code == 2
    assert result.output.startswith("error: [E104] no PACS is configured: set NCREPORT_PACS_HOST")


def test_send_of_an_unsigned_report_names_it(cli: CliRunner, pacs_env: None, drafted_report: rr.ReportView) -> None:
    result = cli.invoke(app, ["send", "1"])
    assert result.exit_code == 2
    assert result.output.startswith("error: [E401] report 1 is not signed")
