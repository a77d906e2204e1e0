"""``ncreport structure``: free-text reports -> structured JSON (one file, or a folder in batch).

    ncreport structure prior.txt                          # JSON to stdout
    ncreport structure reports/ --out structured/         # one <stem>.json per input file
    ncreport structure reports/ --format jsonl > all.jsonl
    ncreport structure reports/ --format csv > table.csv  # one row per report, flat columns

The lead mounts ``structure_command`` (or ``app``) on the main CLI. A file that cannot be read or
structured is reported at the end without stopping the batch (exit code 2). Errors print their
code and message, never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from extraction.api import DEFAULT_MAX_CHARS
from reporter.errors import InputFormatError, InputTooLargeError, NcreportError, NotFoundError

__all__ = ["OutputFormat", "app", "flatten", "read_report", "structure_command"]

DEFAULT_MAX_BYTES = 1_000_000
_SUFFIXES = {".txt", ".text", ".rpt", ".report", ""}


class OutputFormat(StrEnum):
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


def read_report(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, bool]:
    """The text of a report file and whether bytes had to be replaced (not UTF-8)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise NotFoundError(f"{path}: no such file") from exc
    if size > max_bytes:
        raise InputTooLargeError(f"{path.name}: {size:,} bytes is above the limit of {max_bytes:,} bytes")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputFormatError(f"{path.name}: cannot be read ({exc.strerror})") from exc
    try:
        return raw.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), True


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
    from extraction.assemble import empty_report

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
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Folder for one <stem>.json per report.")
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="json, jsonl or csv.")] = OutputFormat.JSON,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Refuse input files larger than this.")
    ] = DEFAULT_MAX_BYTES,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Documents per nlp.pipe batch.")] = 32,
    processes: Annotated[
        int, typer.Option("--processes", "-p", min=1, help="Worker processes for a folder (each builds the pipeline).")
    ] = 1,
) -> None:
    """Structure free-text nuclear cardiology reports (schema: structured_report.schema.json)."""
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
    from extraction.api import structure

    try:
        text, replaced = read_report(path, max_bytes)
        if replaced:
            typer.echo(f"warning: {path.name} is not valid UTF-8; undecodable bytes were replaced", err=True)
        report = structure(text, max_chars=max(max_bytes, DEFAULT_MAX_CHARS))
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


def _structure_doc_or_error(doc: Any) -> tuple[dict[str, Any] | None, str | None]:
    from extraction.assemble import structure_doc

    try:
        return structure_doc(doc), None
    except Exception as exc:  # one broken report must not stop the batch
        return None, f"[E900] could not be structured ({type(exc).__name__})"


def _structure_chunk(texts: list[str], batch_size: int) -> list[tuple[dict[str, Any] | None, str | None]]:
    """Worker side of ``--processes``: the reports of one chunk, in order (pipeline built once per worker)."""
    from extraction.pipeline import get_pipeline

    return [_structure_doc_or_error(doc) for doc in get_pipeline().pipe(texts, batch_size=batch_size)]


def _results(
    readable: list[tuple[Path, str]], batch_size: int, processes: int
) -> Iterator[tuple[Path, dict[str, Any] | None, str | None]]:
    """(file, report, error) in input order, streamed through ``nlp.pipe`` in this or in worker processes."""
    if processes <= 1 or len(readable) < 2:
        from extraction.pipeline import get_pipeline

        docs = get_pipeline().pipe(((t, p) for p, t in readable), as_tuples=True, batch_size=batch_size)
        for doc, p in docs:
            yield (p, *_structure_doc_or_error(doc))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Chunks of a few batches: large enough to amortise the transfer, small enough to share the work.
    size = max(batch_size, 1)
    chunks = [readable[i : i + size] for i in range(0, len(readable), size)]
    # "spawn": a fresh interpreter per worker (forking a process that has threads is unsafe).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(processes, len(chunks)), mp_context=context) as pool:
        results = pool.map(_structure_chunk, [[t for _, t in c] for c in chunks], [batch_size] * len(chunks))
        for chunk, done in zip(chunks, results, strict=True):
            for (p, _), (report, error) in zip(chunk, done, strict=True):
                yield p, report, error


def _batch(
    files: list[Path], out: Path | None, fmt: OutputFormat, max_bytes: int, batch_size: int, processes: int = 1
) -> list[tuple[str, str]]:
    failures: list[tuple[str, str]] = []
    readable: list[tuple[Path, str]] = []
    for p in files:
        try:
            text, replaced = read_report(p, max_bytes)
        except NcreportError as exc:
            failures.append((p.name, str(exc)))
            continue
        if replaced:
            typer.echo(f"warning: {p.name} is not valid UTF-8; undecodable bytes were replaced", err=True)
        readable.append((p, text))

    csv_writer: csv.DictWriter[str] | None = None
    if out is None and fmt is OutputFormat.CSV:
        csv_writer = csv.DictWriter(sys.stdout, fieldnames=_columns(), extrasaction="ignore")
        csv_writer.writeheader()
    json_items: list[dict[str, Any]] = []

    with _progress(len(readable)) as advance:
        for p, report, error in _results(readable, batch_size, processes):
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


app = typer.Typer(add_completion=False, help="Prior-report structuring.")
app.command("structure")(structure_command)
