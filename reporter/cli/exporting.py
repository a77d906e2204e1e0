"""``ncreport export`` and ``ncreport send``: a stored report out of the service's database.

Both read the database ``ncreport serve`` uses (``NCREPORT_DATABASE_URL``, else the SQLite file in
``NCREPORT_DATA_DIR``) and act as the local operator, who holds its keys; each export and send is
an audit entry under ``cli:<login>``. An unknown report, an unsigned one, a PACS that refuses or
is down: exit 2 with the report or the PACS named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["export_command", "send_command"]

_FORMATS = "dicom-sr | dicom-pdf | fhir | hl7 | pdf | text"


def _operator() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "cli"


def export_command(
    report_id: Annotated[int, typer.Argument(min=1, help="The report's id (as the API and the page show it).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=_FORMATS)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Write the export here.")],
    deidentify: Annotated[
        bool,
        typer.Option(
            "--deidentify", help="DICOM PS3.15 basic profile (pdf, dicom-sr, dicom-pdf): for research, not the EHR."
        ),
    ] = False,
    preliminary: Annotated[
        bool,
        typer.Option(
            "--preliminary", help="Export an unsigned draft, marked preliminary (FHIR status preliminary, HL7 P)."
        ),
    ] = False,
) -> None:
    """Export a signed report: DICOM SR, Encapsulated PDF, FHIR R4 Bundle, HL7 v2.5.1 ORU, PDF or text."""
    from reporter.cli.serve import _database, _url
    from reporter.service.exporting import export_report
    from reporter.settings import get_settings

    with _database(_url(get_settings())) as sessions, sessions() as session:
        exported = export_report(session, _operator(), report_id, fmt, deidentify=deidentify, preliminary=preliminary)
    output.write_bytes(exported.data)
    uid = f", SOP Instance UID {exported.sop_instance_uid}" if exported.sop_instance_uid else ""
    typer.echo(
        f"wrote {output}: report {report_id} ({exported.status}) as {fmt}, {len(exported.data):,} bytes{uid}", err=True
    )


def send_command(
    report_id: Annotated[int, typer.Argument(min=1, help="The report's id.")],
    to: Annotated[str, typer.Option("--to", help="Destination: pacs (the configured NCREPORT_PACS_*).")] = "pacs",
    host: Annotated[str | None, typer.Option(help="PACS host (default NCREPORT_PACS_HOST).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="PACS port (default NCREPORT_PACS_PORT).")] = None,
    called_ae: Annotated[
        str | None, typer.Option("--called-ae", help="The PACS's AE title (default NCREPORT_PACS_AE_TITLE).")
    ] = None,
    calling_ae: Annotated[
        str | None, typer.Option("--calling-ae", help="ncreport's AE title (default NCREPORT_PACS_CALLING_AE_TITLE).")
    ] = None,
) -> None:
    """Send a signed report's DICOM SR and Encapsulated PDF to the PACS (C-STORE)."""
    from reporter.cli.serve import _database, _url
    from reporter.errors import ConfigError, FieldProblem
    from reporter.service.exporting import pacs_from_settings, send_report
    from reporter.settings import get_settings

    if to != "pacs":
        raise ConfigError(f"unknown destination {to!r}", [FieldProblem("--to", "pacs", to)])
    settings = get_settings()
    pacs = pacs_from_settings(settings, host=host, port=port, called_ae=called_ae, calling_ae=calling_ae)
    with _database(_url(settings)) as sessions, sessions() as session:
        result = send_report(session, _operator(), report_id, pacs)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(f"sent report {report_id} to {result.destination}: {len(result.sop_instance_uids)} instance(s)")
    for uid in result.sop_instance_uids:
        typer.echo(f"  {uid}")
