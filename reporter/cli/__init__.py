"""The ``ncreport`` command line: one Typer app, one error handler, one file reader.

Each subcommand parses its options, reads its files (:mod:`reporter.cli.files`), calls one
use-case of :mod:`reporter.service` and prints the result. Errors from :mod:`reporter.errors` are
mapped to exit codes in one place (:class:`_ErrorMappingGroup`): 2 for bad input, 3 for a
failing model backend, 1 for bugs. Heavy modules load inside the commands that need them, so
``ncreport --help`` is instant.

    reporter/cli/__init__.py   the app and the error handler
    reporter/cli/files.py      reading study, threshold and text files (size limits, UTF-8)
    reporter/cli/draft.py      draft, validate, schema, demo
    reporter/cli/structure.py  structure
    reporter/cli/check.py      verify, qa
    reporter/cli/ingest.py     ingest (DICOM SR / NM / PT -> Study JSON)
    reporter/cli/exporting.py  export, send (a stored report as DICOM SR / PDF / FHIR / HL7; C-STORE to a PACS)
    reporter/cli/risk.py       risk train | predict | evaluate | drift
    reporter/cli/serve.py      serve, db upgrade, users add | password, audit verify
    reporter/cli/validate.py   validate-site (agreement with signed reports, flags, LLM qualification);
                               validations add | list (the records in the service's database)
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from reporter.errors import NcreportError

__all__ = ["app", "main"]


class _ErrorMappingGroup(TyperGroup):
    """Turns every NcreportError raised below into a message on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except NcreportError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_ErrorMappingGroup,
    help="Nuclear cardiology reporting assistant: draft, validate and structure reports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _register() -> None:
    """Every subcommand, from its module; each keeps its heavy imports inside its commands."""
    from reporter.cli import check, draft, exporting, ingest, risk, serve, structure, validate

    app.command()(draft.draft)
    app.command()(draft.validate)
    app.command()(draft.schema)
    app.command()(draft.demo)
    app.command("structure")(structure.structure_command)
    app.command("verify")(check.verify_command)
    app.command("qa")(check.qa_command)
    app.command("ingest")(ingest.ingest_command)
    app.command("export")(exporting.export_command)
    app.command("send")(exporting.send_command)
    app.command("validate-site")(validate.validate_site_command)
    app.add_typer(validate.validations_app, name="validations")
    app.add_typer(risk.app, name="risk", help="Decision-support risk models (xgboost + SHAP).")
    app.command("serve")(serve.serve)
    app.add_typer(serve.db_app, name="db")
    app.add_typer(serve.users_app, name="users")
    app.add_typer(serve.audit_app, name="audit")


_register()


def main() -> None:
    app()
