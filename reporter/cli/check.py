"""``ncreport verify`` and ``ncreport qa``: the guardrails' use-cases on files.

Exit codes: ``verify`` 0 when no error-severity flag, 1 when there is one, 2 on bad input (an
:class:`reporter.errors.InputError`, mapped by the ``ncreport`` app). ``qa`` 0 when the reports
were read (a bad file in a batch is reported, not fatal), 2 on bad input. Heavy modules load inside the commands.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from reporter.errors import InputFormatError, NcreportError, NotFoundError

__all__ = ["qa_command", "verify_command"]


def verify_command(
    study: Annotated[Path, typer.Option("--study", help="Study JSON file (the facts).", show_default=False)],
    text: Annotated[Path, typer.Option("--text", help="Narrative text file to verify.", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the flags as JSON.")] = False,
    scope: Annotated[
        str, typer.Option("--scope", help="'impression' also flags missing significant findings; 'full' does not.")
    ] = "full",
) -> None:
    """Verify a narrative against a study: every claim without a supporting fact is flagged."""
    from reporter.cli.files import read_study, read_text
    from reporter.service.checking import has_error, verify_text

    if scope not in ("impression", "full"):
        raise InputFormatError(f"--scope must be 'impression' or 'full', got {scope!r}")
    facts = read_study(study)
    narrative = read_text(text)
    flags = verify_text(narrative, facts, scope=scope)
    if as_json:
        typer.echo(json.dumps([f.model_dump(mode="json") for f in flags], indent=2))
    else:
        _print_flags(narrative, flags, text.name)
    if has_error(flags):
        raise typer.Exit(1)


def _print_flags(narrative: str, flags: list[Any], name: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not flags:
        console.print(f"[green]{name}: no flags[/green]")
        return
    table = Table(title=f"{name}: {len(flags)} flag(s)")
    for column in ("code", "severity", "text", "message", "evidence"):
        table.add_column(column)
    style = {"error": "red", "warning": "yellow", "info": "cyan"}
    for f in flags:
        shown = narrative[f.span[0] : f.span[1]] if f.span else "(missing)"
        table.add_row(f.code.value, f"[{style[f.severity.value]}]{f.severity.value}[/]", shown, f.message, f.evidence)
    console.print(table)


def qa_command(
    path: Annotated[
        Path, typer.Argument(help="A report text file, or a directory of *.txt reports.", show_default=False)
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Write .html, .csv or .json instead of the terminal.")
    ] = None,
    elements_file: Annotated[
        Path | None, typer.Option("--elements", help="A department's reporting-element JSON file.")
    ] = None,
) -> None:
    """Check finished reports for the ASNC reporting elements and internal consistency."""
    from reporter.cli.files import read_text
    from reporter.service.checking import load_elements, qa_texts

    if not path.exists():
        raise NotFoundError(f"{path} does not exist")
    if out is not None and out.suffix.lower() not in (".html", ".csv", ".json"):
        raise InputFormatError(f"--out must end in .html, .csv or .json, got {out.name}")
    elements = load_elements(elements_file)
    files = sorted(p for p in path.glob("*.txt") if p.is_file()) if path.is_dir() else [path]
    if not files:
        raise InputFormatError(f"no *.txt reports in {path}")
    results = qa_texts(((file.name, _read_or_error(read_text, file)) for file in _progress(files)), elements)
    unread = [r for r in results if r.error]
    if out is None:
        _print_qa(results)
    else:
        _write_qa(out, results, elements)
    if unread:  # the others are reported; the batch still says that it is incomplete
        typer.echo(f"{len(unread)} of {len(results)} report(s) could not be read:", err=True)
        for r in unread:
            typer.echo(f"  {r.name}: {r.error}", err=True)
        raise typer.Exit(2)


def _write_qa(out: Path, results: list[Any], elements: Any) -> None:
    from reporter.service.checking import qa_table

    suffix = out.suffix.lower()
    if suffix in (".html", ".csv"):
        out.write_text(qa_table(results, elements, suffix[1:]), encoding="utf-8")
    else:
        out.write_text(json.dumps([_as_json(r) for r in results], indent=2), encoding="utf-8")
    typer.echo(f"wrote {out} ({len(results)} reports)", err=True)


def _read_or_error(read: Any, file: Path) -> str | NcreportError:
    """The file's text, or the error that kept it from being read (one bad file must not stop a batch)."""
    try:
        return str(read(file))
    except NcreportError as exc:
        return exc


def _progress(files: list[Path]) -> Any:
    if len(files) == 1 or not sys.stderr.isatty():
        return files
    from rich.progress import track

    return track(files, description="QA", console=_stderr_console(), transient=True)


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _as_json(r: Any) -> dict[str, Any]:
    return {
        "report": r.name,
        "error": r.error,
        "required_present": r.required_score,
        "elements": [
            {
                "id": e.element.id,
                "tier": e.element.tier,
                "condition": e.element.condition,
                "status": e.status,
                "span": list(e.span) if e.span else None,
            }
            for e in r.elements
        ],
        "flags": [f.model_dump(mode="json") for f in r.flags],
    }


def _print_qa(results: list[Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for r in results:
        if r.error:
            continue  # listed on stderr at the end
        score = r.required_score
        table = Table(title=f"{r.name}: required elements present {'n/a' if score is None else f'{100 * score:.0f}%'}")
        for column in ("element", "tier", "condition", "status", "found"):
            table.add_column(column)
        for e in r.elements:
            colour = {"present": "green", "missing": "red"}.get(e.status, "dim")
            found = r.text[e.span[0] : e.span[1]][:50] if e.span else ""
            table.add_row(e.element.name, e.element.tier, e.element.condition_text, f"[{colour}]{e.status}[/]", found)
        console.print(table)
        for f in r.flags:
            console.print(f"[red]{f.code.value} {f.severity.value}[/red]: {f.message}")
