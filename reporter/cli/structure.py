"""``ncreport structure``: free-text reports -> structured JSON (one file, or a folder in batch).

    ncreport structure prior.txt                          # JSON to stdout
    ncreport structure reports/ --out structured/         # one <stem>.json per input file
    ncreport structure reports/ --format jsonl > all.jsonl
    ncreport structure reports/ --format csv > table.csv  # one row per report, flat columns

A file that cannot be read or structured is reported at the end without stopping the batch (exit
code 2). Errors print their code and message, never a traceback. The structuring itself is the
use-case :mod:`reporter.service.structuring`.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from reporter.domain.limits import MAX_TEXT_CHARS
from reporter.errors import NcreportError, NotFoundError

__all__ = ["OutputFormat", "flatten", "structure_command"]

_SUFFIXES = {".txt", ".text", ".rpt", ".report", ""}


class OutputFormat(StrEnum):
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


def flatten(report: dict[str, Any]) -> dict[str, Any]:
    """One flat row: ``section.field`` -> value, ``section.field.span`` / ``.certainty``; defects summarised."""
    row: dict[str, Any] = {}
    for section, fields in report.items():
        if not isinstance(fields, dict):
            continue
        for name, value in fields.items():
            key = f"{section}.{name}"
            if name == "tracers":
                row[key] = ";".join(t["value"] for t in value)
            elif name == "defects":
                row["perfusion.defect_count"] = sum(1 for d in value if d.get("certainty") != "negated")
                row[key] = json.dumps(value, separators=(",", ":")) if value else ""
            elif isinstance(value, dict):
                row[key] = value.get("value")
                row[f"{key}.span"] = f"{value['span'][0]}-{value['span'][1]}"
                row[f"{key}.certainty"] = value.get("certainty", "affirmed")
            else:
                row[key] = None
                row[f"{key}.span"] = None
                row[f"{key}.certainty"] = None
    return row


def _columns() -> list[str]:
    from reporter.service.structuring import empty_report

    empty = empty_report()
    cols = ["file"]
    for section, fields in empty.items():
        for name in fields:
            key = f"{section}.{name}"
            if name == "tracers":
                cols.append(key)
            elif name == "defects":
                cols += ["perfusion.defect_count", key]
            else:
                cols += [key, f"{key}.span", f"{key}.certainty"]
    return cols


def _inputs(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in _SUFFIXES)
        if not files:
            raise NotFoundError(f"{path}: no report files (.txt) in this folder")
        return files
    if path.is_file():
        return [path]
    raise NotFoundError(f"{path}: no such file or folder")


def _fail(exc: NcreportError) -> None:
    typer.echo(str(exc), err=True)
    raise typer.Exit(exc.exit_code)


def structure_command(
    path: Annotated[Path, typer.Argument(help="A report text file, or a folder of .txt reports.")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Folder for one <stem>.json per report.")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="json, jsonl or csv.")] = OutputFormat.JSON,
    max_bytes: Annotated[
        int | None,
        typer.Option(
            "--max-bytes",
            min=1,
            show_default=str(MAX_TEXT_CHARS),
            help="Refuse input files larger than this (default: NCREPORT_MAX_TEXT_BYTES).",
        ),
    ] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents per nlp.pipe batch.")] = 32,
    processes: Annotated[
        int, typer.Option("--processes", "-p", min=1, help="Worker processes for a folder (each builds the pipeline).")
    ] = 1,
) -> None:
    """Structure free-text nuclear cardiology reports (schema: structured_report.schema.json)."""
    from reporter.settings import get_settings

    max_bytes = max_bytes or get_settings().max_text_bytes
    try:
        files = _inputs(path)
    except NcreportError as exc:
        _fail(exc)
        return
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    if len(files) == 1 and path.is_file() and out is None:
        _single(files[0], fmt, max_bytes)
        return
    failures = _batch(files, out, fmt, max_bytes, batch_size, processes)
    if failures:
        typer.echo(f"{len(failures)} of {len(files)} report(s) failed:", err=True)
        for name, message in failures:
            typer.echo(f"  {name}: {message}", err=True)
        raise typer.Exit(2)


def _single(path: Path, fmt: OutputFormat, max_bytes: int) -> None:
    from reporter.cli.files import read_text
    from reporter.service.structuring import structure_text

    try:
        text = read_text(path, max_bytes)
        report = structure_text(text, max_chars=max(max_bytes, MAX_TEXT_CHARS))
    except NcreportError as exc:
        _fail(exc)
        return
    _emit_stdout([(path, report)], fmt)


def _emit_stdout(items: list[tuple[Path, dict[str, Any]]], fmt: OutputFormat) -> None:
    if fmt is OutputFormat.CSV:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=_columns(), extrasaction="ignore")
        writer.writeheader()
        for p, report in items:
            writer.writerow({"file": p.name, **flatten(report)})
        sys.stdout.write(buf.getvalue())
    elif fmt is OutputFormat.JSONL:
        for p, report in items:
            sys.stdout.write(json.dumps({"file": p.name, **report}, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(json.dumps(items[0][1] if len(items) == 1 else [r for _, r in items], indent=2) + "\n")
    sys.stdout.flush()


def _batch(
    files: list[Path], out: Path | None, fmt: OutputFormat, max_bytes: int, batch_size: int, processes: int = 1
) -> list[tuple[str, str]]:
    from reporter.cli.files import read_text
    from reporter.service.structuring import structure_batch

    failures: list[tuple[str, str]] = []
    readable: list[tuple[Path, str]] = []
    for p in files:
        try:
            readable.append((p, read_text(p, max_bytes)))
        except NcreportError as exc:
            failures.append((p.name, str(exc)))

    csv_writer: csv.DictWriter[str] | None = None
    if out is None and fmt is OutputFormat.CSV:
        csv_writer = csv.DictWriter(sys.stdout, fieldnames=_columns(), extrasaction="ignore")
        csv_writer.writeheader()
    json_items: list[dict[str, Any]] = []

    with _progress(len(readable)) as advance:
        for p, report, error in structure_batch(readable, batch_size, processes):
            if report is None:
                failures.append((p.name, error or "[E900] could not be structured"))
                advance()
                continue
            if out is not None:
                target = out / f"{p.stem}.json"
                target.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            elif csv_writer is not None:
                csv_writer.writerow({"file": p.name, **flatten(report)})
            elif fmt is OutputFormat.JSONL:
                sys.stdout.write(json.dumps({"file": p.name, **report}, ensure_ascii=False) + "\n")
            else:
                json_items.append({"file": p.name, **report})
            advance()
    if out is None and fmt is OutputFormat.JSON:
        sys.stdout.write(json.dumps(json_items, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return failures


class _progress:
    """A Rich progress bar on stderr when it is a terminal; otherwise nothing."""

    def __init__(self, total: int) -> None:
        self.total = total
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Any:
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.__enter__()
            self._task = self._bar.add_task("structuring", total=self.total)
            return lambda: self._bar.advance(self._task)
        return lambda: None

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
