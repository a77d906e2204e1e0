"""``ncreport draft | validate | schema | demo``: the rule-based report and its narrative."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from reporter.errors import NcreportError

__all__ = ["demo", "draft", "schema", "validate"]


class OutputFormat(StrEnum):
    TEXT = "text"
    HTML = "html"
    JSON = "json"


class SchemaName(StrEnum):
    STUDY = "study"
    FINDING = "finding"
    REPORT = "report"
    THRESHOLDS = "thresholds"


class LlmBackend(StrEnum):
    NONE = "none"
    EMBEDDED = "embedded"
    OPENAI = "openai"
    LLAMACPP = "llamacpp"
    FAKE = "fake"


StudyPath = Annotated[Path, typer.Argument(help="Study JSON file.", show_default=False)]
ThresholdsOpt = Annotated[
    Path | None, typer.Option("--thresholds", help="JSON file overriding clinical thresholds for this site.")
]
TemplatesOpt = Annotated[
    Path | None, typer.Option("--templates", help="Directory of site templates overriding the packaged ones.")
]
PriorReportOpt = Annotated[
    Path | None,
    typer.Option("--prior-report", help="Free-text prior report: structured and used for the comparison."),
]
LLM_HELP = "Who phrases the impression: none (rules only), embedded (CPU model), openai (e.g. vLLM), llamacpp (extra)."
# ncreport draft: rules unless told (NCREPORT_LLM_BACKEND or --llm). Unlike the service (the settings' default,
# embedded, loaded once), a cold process on a busy 2-core machine spent over 60 s loading and prefilling the
# embedded model before falling back to the rule text (issue 14's measurement).
DraftLlmOpt = Annotated[LlmBackend, typer.Option("--llm", envvar="NCREPORT_LLM_BACKEND", help=LLM_HELP)]
# ncreport demo: no default here; the settings' (reporter.llm.settings) decides.
LlmOpt = Annotated[LlmBackend | None, typer.Option("--llm", show_default="the settings' (embedded)", help=LLM_HELP)]
LlmUrlOpt = Annotated[str | None, typer.Option("--llm-url", help="openai: base URL, e.g. http://gpu-host:8000/v1")]
LlmModelOpt = Annotated[str | None, typer.Option("--llm-model", help="openai: served model name")]
LlmPathOpt = Annotated[
    Path | None, typer.Option("--llm-model-path", help="embedded/llamacpp: a local GGUF file or model directory")
]
RiskModelOpt = Annotated[
    Path | None,
    typer.Option("--risk-model", help="Directory of a trained risk model: adds a labelled decision-support line."),
]


def draft(
    study: StudyPath,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.TEXT,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    thresholds: ThresholdsOpt = None,
    templates: TemplatesOpt = None,
    risk_model: RiskModelOpt = None,
    prior_report: PriorReportOpt = None,
    llm: DraftLlmOpt = LlmBackend.NONE,
    llm_url: LlmUrlOpt = None,
    llm_model: LlmModelOpt = None,
    llm_model_path: LlmPathOpt = None,
    mark_model_sentences: Annotated[
        bool,
        typer.Option(
            "--mark-model-sentences",
            help="Tag the sentences the language model phrased in the text/HTML report (drafting notes stay in "
            "the JSON and are listed on stderr).",
        ),
    ] = False,
) -> None:
    """Draft a structured report from one study's results; a local LLM phrases the verified impression."""
    from reporter.cli.files import read_study, read_text, read_thresholds
    from reporter.service import DraftOptions, draft, render

    facts = read_study(study)
    templates_dir = templates.resolve() if templates else None
    options = DraftOptions(
        templates_dir=templates_dir,
        prior_report=read_text(prior_report, allow_empty=False) if prior_report else None,
        risk_model_dir=risk_model,
        llm={"backend": llm.value, "url": llm_url, "model": llm_model, "model_path": llm_model_path},
    )
    if thresholds is not None:
        options = replace(options, thresholds=read_thresholds(thresholds))
    result = draft(facts, options)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if fmt is not OutputFormat.JSON:
        for flag in result.report.flags:  # drafting notes: for the user, not in the text a physician signs
            typer.echo(f"note: [{flag.code} {flag.severity}] {flag.message}", err=True)
    text = render(result.report, fmt.value, templates_dir, mark_model_sentences)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)


def validate(studies: Annotated[list[Path], typer.Argument(help="Study JSON files.", show_default=False)]) -> None:
    """Check study files; print each problem with its field, value and reason."""
    from reporter.cli.files import read_study

    failed = 0
    for path in studies:
        try:
            read_study(path)
        except NcreportError as exc:
            failed += 1
            typer.echo(f"{path}: INVALID\n{exc}")
        else:
            typer.echo(f"{path}: ok")
    if failed:
        raise typer.Exit(2)


def schema(name: Annotated[SchemaName, typer.Argument(help="Which schema.")] = SchemaName.STUDY) -> None:
    """Print the JSON Schema of the input (study), a finding, a report, or the thresholds."""
    from pydantic import BaseModel

    from reporter.domain.finding import Finding
    from reporter.domain.study import Study
    from reporter.domain.thresholds import Thresholds
    from reporter.report import Report

    models: dict[str, type[BaseModel]] = {
        "study": Study,
        "finding": Finding,
        "report": Report,
        "thresholds": Thresholds,
    }
    typer.echo(json.dumps(models[name.value].model_json_schema(), indent=2))


def demo(
    examples: Annotated[Path, typer.Argument(help="Directory of example studies.")] = Path("examples"),
    show: Annotated[str, typer.Option(help="Stem of the example whose full report is printed.")] = (
        "spect_lad_ischemia"
    ),
    llm: LlmOpt = None,
) -> None:
    """Draft every example study (rules), print a summary table and one full report phrased by --llm."""
    from rich.console import Console
    from rich.table import Table

    from reporter.cli.files import read_study
    from reporter.domain.finding import FindingCode
    from reporter.service import DraftOptions, draft, render

    paths = sorted(examples.glob("*.json"))
    if not paths:
        raise typer.BadParameter(f"no *.json studies in {examples}")
    table = Table(title=f"ncreport: {len(paths)} example studies drafted")
    for column in ("study", "perfusion", "risk", "sentences", "ms"):
        table.add_column(column)
    shown = None
    for path in paths:
        study = read_study(path)
        start = time.perf_counter()
        report = draft(study).report
        ms = (time.perf_counter() - start) * 1000
        impression = next(f for f in report.findings if f.code is FindingCode.IMPRESSION_PERFUSION)
        risk = next(f for f in report.findings if f.code is FindingCode.RISK)
        n = sum(len(s.sentences) for s in report.sections)
        table.add_row(path.stem, str(impression.values["category"]), str(risk.values["category"]), str(n), f"{ms:.1f}")
        if path.stem == show:
            shown = study
    Console(stderr=True).print(table)
    if shown is not None:
        # the demo shows the settings' model (embedded unless told otherwise; the draft command's default is rules)
        narrated = draft(shown, DraftOptions(llm={"backend": llm.value if llm else None})).report
        typer.echo(render(narrated, "text"), nl=False)
