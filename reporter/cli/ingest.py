"""``ncreport ingest``: DICOM results and headers -> Study JSON.

Errors are raised as :mod:`reporter.errors` exceptions; the app's one error handler turns them into
exit 2 with the file named. Warnings (codes not mapped, files without cardiac values) go to stderr.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

__all__ = ["ingest_command"]


def ingest_command(
    files: Annotated[
        list[Path], typer.Argument(help="DICOM files: SR measurement reports, NM/PT images.", show_default=False)
    ],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the Study JSON here.")] = None,
) -> None:
    """Read imaging results (DICOM SR) and NM/PT headers into one Study JSON; unknown codes are listed."""
    from reporter.service.interop import ingest

    result = ingest(files)
    text = json.dumps(result.study_dict, indent=2, ensure_ascii=False) + "\n"
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output} from {len(result.sources)} file(s)", err=True)
