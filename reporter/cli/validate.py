"""``ncreport validate-site`` and ``ncreport validations``: validate on a site's own data, file the record.

Pairs are matched by name: ``reports/NAME.txt`` with ``studies/NAME.json`` (a Study JSON) or a DICOM study,
``studies/NAME.dcm`` or a folder ``studies/NAME/`` of ``.dcm`` files, read by the ingest use-case
(``ncreport ingest``); beside DICOM, ``NAME.json`` holds what DICOM does not carry (``clinical``, ``stress``)
and a field both give differently is refused. Files without a partner are listed in the output, a study
that cannot be read (a malformed DICOM file, an invalid study) is listed with its reason and the run goes on.
Writes the HTML page and a JSON beside it (same name, ``.json``). Exit 0 when the validation ran; 1 when a
language model was named and is not qualified; 2 on bad input.

    ncreport validations add validation.json   file the record in the service's database (as POST /api/validations)
    ncreport validations list                  the validations on record, newest first
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from reporter.errors import InputFormatError, NcreportError, NotFoundError

__all__ = ["validate_site_command", "validations_app"]

validations_app = typer.Typer(
    help="Site validations on record (what NCREPORT_REQUIRE_QUALIFIED_LLM looks up).", no_args_is_help=True
)


def _files(directory: Path, suffix: str, option: str) -> dict[str, Path]:
    if not directory.is_dir():
        raise NotFoundError(f"{option} {directory} is not a directory")
    return {p.stem: p for p in sorted(directory.iterdir()) if p.is_file() and p.suffix.lower() == suffix}


@dataclass(frozen=True, slots=True)
class _StudySource:
    """Where one study is: a Study JSON, or DICOM files (one NAME.dcm, or NAME/*.dcm) with an optional NAME.json."""

    label: str  # as listed to the user: NAME.json, NAME.dcm or NAME/
    json_file: Path | None = None  # the Study JSON; beside DICOM files, the supplement (clinical, stress, ...)
    dicom: tuple[Path, ...] | None = None  # None: a Study JSON; () a folder without a .dcm file


def _study_sources(directory: Path) -> dict[str, _StudySource]:
    """NAME -> its study in ``--studies``: NAME.json, NAME.dcm, or a folder NAME/ of .dcm files (DICOM wins)."""
    if not directory.is_dir():
        raise NotFoundError(f"--studies {directory} is not a directory")
    entries = sorted(p for p in directory.iterdir() if not p.name.startswith("."))
    jsons = {p.stem: p for p in entries if p.is_file() and p.suffix.lower() == ".json"}
    sources = {name: _StudySource(path.name, json_file=path) for name, path in jsons.items()}
    for path in entries:
        if path.is_file() and path.suffix.lower() == ".dcm":
            sources[path.stem] = _StudySource(path.name, jsons.get(path.stem), (path,))
        elif path.is_dir():
            files = tuple(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".dcm"))
            sources[path.name] = _StudySource(f"{path.name}/", jsons.get(path.name), files)
    return sources


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _read_study(source: _StudySource, limit: int) -> tuple[str, Callable[[], tuple[Any, tuple[str, ...]]]]:
    """The sha256 of the study's input, and how to parse it into (Study, reader's warnings).

    The hash comes first, so a study that does not parse is still on record by its hash; for DICOM it covers
    each file's name and bytes, and the supplement's.
    """
    from reporter.inputs import parse_study, read_bytes

    if source.dicom is None and source.json_file is not None:
        data = read_bytes(source.json_file, limit)
        return hashlib.sha256(data).hexdigest(), lambda: (parse_study(data, what=source.label, limit=limit), ())
    files = source.dicom
    if not files:
        raise InputFormatError(f"{source.label} holds no .dcm file")
    from reporter.service.interop import study_from_dicom

    lines = [f"{p.name}\0{_file_sha256(p)}\n" for p in files]
    supplement = b"{}"
    if source.json_file is not None:
        supplement = read_bytes(source.json_file, limit)
        lines.append(f"{source.json_file.name}\0{hashlib.sha256(supplement).hexdigest()}\n")

    def parse() -> tuple[Any, tuple[str, ...]]:
        name = source.json_file.name if source.json_file is not None else "supplement"
        try:
            fields = json.loads(supplement.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputFormatError(f"{name} is not JSON: {exc}") from exc
        if not isinstance(fields, dict):
            raise InputFormatError(f"{name} must be a JSON object (the fields DICOM lacks)")
        return study_from_dicom(files, fields, what=source.label)

    return hashlib.sha256("".join(lines).encode()).hexdigest(), parse


def _read_pair(name: str, source: _StudySource, report_path: Path) -> Any:
    """The pair as read once, through the size limits, with the hashes of exactly the bytes read."""
    from reporter.cli.files import text_of
    from reporter.inputs import read_bytes
    from reporter.service.validation import PairInput
    from reporter.settings import get_settings

    settings = get_settings()
    study_sha256 = report_sha256 = ""
    try:
        report_bytes = read_bytes(report_path, settings.max_text_bytes)
        report_sha256 = hashlib.sha256(report_bytes).hexdigest()
        text = text_of(report_bytes, report_path.name, allow_empty=False)
        study_sha256, parse = _read_study(source, settings.max_study_bytes)
        study, warnings = parse()
    except NcreportError as exc:
        return PairInput(name=name, error=str(exc), study_sha256=study_sha256, report_sha256=report_sha256)
    return PairInput(
        name=name, study=study, text=text, study_sha256=study_sha256, report_sha256=report_sha256, warnings=warnings
    )


def _labelled(directory: Path) -> tuple[list[tuple[str, str, dict[str, Any]]], list[tuple[str, str]]]:
    """(name, text, gold) for each NAME.txt with a NAME.json in the shared schema, and their hashes."""
    from reporter.cli.files import text_of
    from reporter.inputs import read_bytes
    from reporter.settings import get_settings

    settings = get_settings()
    texts, golds = _files(directory, ".txt", "--labelled"), _files(directory, ".json", "--labelled")
    items, hashes = [], []
    for name in sorted(set(texts) & set(golds)):
        text_bytes = read_bytes(texts[name], settings.max_text_bytes)
        gold_bytes = read_bytes(golds[name], settings.max_study_bytes)
        try:
            gold = json.loads(gold_bytes.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputFormatError(f"{golds[name].name} is not a JSON structured report: {exc}") from exc
        items.append((name, text_of(text_bytes, texts[name].name), gold))
        hashes.append((name, hashlib.sha256(text_bytes + gold_bytes).hexdigest()))
    if not items:
        raise InputFormatError(f"--labelled {directory} holds no NAME.txt with its NAME.json")
    return items, hashes


def _site_config(path: Path | None) -> Any:
    from reporter.service.validation import SiteConfig

    if path is None:
        return SiteConfig()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NotFoundError(f"--site-config {path} does not exist") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputFormatError(f"{path.name} is not JSON: {exc}") from exc
    return SiteConfig.from_json(data, what=path.name)


def validate_site_command(
    studies: Annotated[
        Path,
        typer.Option(
            "--studies",
            help="Directory of studies: Study JSON (NAME.json), or DICOM (NAME.dcm, or a folder NAME/ of "
            ".dcm files) with an optional NAME.json of what DICOM lacks (clinical, stress).",
            show_default=False,
        ),
    ],
    reports: Annotated[
        Path, typer.Option("--reports", help="Directory of signed reports (NAME.txt).", show_default=False)
    ],
    out: Annotated[Path, typer.Option("-o", "--out", help="HTML page to write; the JSON goes beside it.")] = Path(
        "validation.html"
    ),
    labelled: Annotated[
        Path | None,
        typer.Option("--labelled", help="Hand-labelled sample: NAME.txt with NAME.json (structured_report schema)."),
    ] = None,
    thresholds: Annotated[Path | None, typer.Option("--thresholds", help="Site thresholds JSON (overrides).")] = None,
    site_config: Annotated[
        Path | None,
        typer.Option("--site-config", help='Site settings JSON, e.g. {"flag_severity": {"G111": "warning"}}.'),
    ] = None,
    llm: Annotated[str | None, typer.Option("--llm", help="Qualify this LLM backend (embedded, openai, ...).")] = None,
    llm_url: Annotated[str | None, typer.Option("--llm-url", help="Base URL of an OpenAI-compatible server.")] = None,
    llm_model: Annotated[str | None, typer.Option("--llm-model", help="Model name on that server.")] = None,
    with_embedded: Annotated[
        bool, typer.Option("--with-embedded", help="Qualify the embedded default beside the named backend.")
    ] = False,
    max_replaced: Annotated[
        float | None,
        typer.Option(
            "--max-replaced",
            min=0.0,
            max=1.0,
            help="Largest share of model sentences replaced for a qualified backend [default: 0.2].",
        ),
    ] = None,
    operator: Annotated[str, typer.Option("--operator", help="Who ran the validation (recorded).")] = "unknown",
    record_to_service: Annotated[
        bool,
        typer.Option(
            "--record-to-service",
            help="Also file the record in the service's database (NCREPORT_DATABASE_URL, "
            "else the data folder's SQLite), as `ncreport validations add` does.",
        ),
    ] = False,
) -> None:
    """Validate on the site's own studies and signed reports: agreement, flags, structuring, LLM, record."""
    from rich.progress import Progress

    from reporter.cli.files import read_thresholds
    from reporter.domain.thresholds import DEFAULT_THRESHOLDS
    from reporter.service import validation as v

    max_replaced = v.DEFAULT_MAX_REPLACED if max_replaced is None else max_replaced
    limits = read_thresholds(thresholds) if thresholds else DEFAULT_THRESHOLDS
    config = _site_config(site_config)
    study_files, report_files = _study_sources(studies), _files(reports, ".txt", "--reports")
    matched, no_report, no_study = v.match_pairs(study_files, report_files)
    if not matched:
        raise InputFormatError(f"no study in {studies} (NAME.json, NAME.dcm or NAME/) has a NAME.txt in {reports}")
    sample = _labelled(labelled) if labelled else None
    with Progress(transient=True) as bar:
        task = bar.add_task("reading pairs", total=len(matched))
        pairs = []
        for name in matched:
            pairs.append(_read_pair(name, study_files[name], report_files[name]))
            bar.advance(task)
        task = bar.add_task("comparing", total=len(pairs))
        result = v.validate_pairs(pairs, limits, config, progress=partial(_advance, bar, task))
        result["unmatched"] = {
            "studies_without_report": [study_files[n].label for n in no_report],
            "reports_without_study": [report_files[n].name for n in no_study],
        }
        result["reading_warnings"] = [{"pair": p.name, "warning": w} for p in pairs for w in p.warnings]
        result["structuring"] = v.structuring_accuracy(sample[0]) if sample else None
        good = [(p.name, p.study) for p in pairs if p.study is not None and p.text is not None]
        backends = []
        for settings in _llm_settings(llm, llm_url, llm_model, with_embedded):
            drafting = bar.add_task(f"drafting with {settings['backend']}", total=len(good))
            backends.append(v.qualify_llm(good, settings, limits, max_replaced, partial(_advance, bar, drafting)))
        result["llm"] = backends
    result["record"] = v.record(pairs, limits, operator, config, backends, sample[1] if sample else ())
    _write(result, out)
    if record_to_service:  # after the files are written: a database that is down loses nothing
        stored = _file_record(result["record"])
        result["stored"] = f"filed in the service as validation {stored.id} (record sha256 {stored.record_sha256})"
        _write(result, out)
    _summary(result, out)
    if any(not b["qualified"] for b in backends[:1]):
        raise typer.Exit(1)


def _write(result: dict[str, Any], out: Path) -> None:
    from reporter.service.validation import validation_html

    out.with_suffix(".json").write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    out.write_text(validation_html(result), encoding="utf-8")


def _file_record(data: Any) -> Any:
    """Validate and store a record in the configured database (migrated first), as the database's owner."""
    from reporter.cli.serve import _database, _url  # the database the service uses, migrated
    from reporter.service.validation_records import parse_record, store
    from reporter.settings import get_settings

    record = parse_record(data)
    with _database(_url(get_settings())) as sessions, sessions() as session:
        return store(session, record, by="cli")


@validations_app.command("add")
def validations_add(
    file: Annotated[
        Path, typer.Argument(help="The JSON validate-site wrote (or its record alone).", show_default=False)
    ],
) -> None:
    """File a validation record in the service's database (checked as POST /api/validations checks it)."""
    from reporter.inputs import read_bytes
    from reporter.settings import get_settings

    raw = read_bytes(file, get_settings().max_body_bytes)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputFormatError(f"{file.name} is not JSON: {exc}") from exc
    stored = _file_record(data)
    verdicts = (
        "; ".join(f"{m.backend} {m.model}: {'qualified' if m.qualified else 'NOT qualified'}" for m in stored.models)
        or "no language model"
    )
    typer.echo(
        f"validation {stored.id} filed: {stored.pairs} pairs of {stored.validated_at.isoformat()} by "
        f"{stored.operator}; {verdicts}; record sha256 {stored.record_sha256}"
    )


@validations_app.command("list")
def validations_list(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many, newest first.")] = 20,
) -> None:
    """The validations on record, newest first, with each language model's verdict."""
    from reporter.cli.serve import _database, _url  # the database the service uses, migrated
    from reporter.service.validation_records import stored_validations
    from reporter.settings import get_settings

    with _database(_url(get_settings())) as sessions, sessions() as session:
        views = stored_validations(session, limit)
    if not views:
        typer.echo("no validation on record")
    for view in views:
        verdicts = (
            "; ".join(
                f"{m.backend} {m.model}{' at ' + m.url if m.url else ''}"
                f"{' weights ' + m.weights_sha256[:12] if m.weights_sha256 else ''}: "
                f"{'qualified' if m.qualified else 'NOT qualified'}"
                for m in view.models
            )
            or "no language model"
        )
        typer.echo(f"{view.id}\t{view.validated_at.isoformat()}\t{view.operator}\t{view.pairs} pairs\t{verdicts}")


def _advance(bar: Any, task: Any, _name: str) -> None:
    bar.advance(task)


def _llm_settings(llm: str | None, url: str | None, model: str | None, with_embedded: bool) -> list[dict[str, Any]]:
    named = [{"backend": llm, "url": url, "model": model}] if llm and llm != "none" else []
    if with_embedded and llm != "embedded":
        named.append({"backend": "embedded"})
    return named


def _summary(result: dict[str, Any], out: Path) -> None:
    typer.echo(
        f"{result['compared_pairs']} of {result['pairs']} pairs compared, "
        f"{len(result['disagreements'])} disagreement(s), {len(result['errors'])} pair(s) not read"
    )
    if result["reading_warnings"]:
        typer.echo(f"{len(result['reading_warnings'])} reading warning(s) (DICOM values not placed): see the JSON")
    for side, names in result["unmatched"].items():
        if names:
            typer.echo(f"{side.replace('_', ' ')}: {', '.join(names)}")
    for b in result["llm"]:
        verdict = "qualified" if b["qualified"] else "NOT qualified: " + "; ".join(b["not_qualified_because"])
        typer.echo(f"{b['backend']} ({b['model']}): {verdict}")
    typer.echo(f"wrote {out} and {out.with_suffix('.json')}")
