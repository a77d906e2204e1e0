"""The ``ncreport`` command line: one entry point, subcommands.

Errors from :mod:`reporter.errors` are mapped to exit codes in one place
(:class:`_ErrorMappingGroup`): 2 for bad input, 3 for a failing model backend, 1 for bugs.
Heavy modules load inside the commands that need them, so ``ncreport --help`` is instant.
"""

from __future__ import annotations

import json
import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from reporter.errors import NcreportError

if TYPE_CHECKING:
    from reporter.domain.study import Study
    from reporter.report import Report, Sentence

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


class OutputFormat(StrEnum):
    TEXT = "text"
    HTML = "html"
    JSON = "json"


class SchemaName(StrEnum):
    STUDY = "study"
    FINDING = "finding"
    REPORT = "report"
    THRESHOLDS = "thresholds"


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
class LlmBackend(StrEnum):
    NONE = "none"
    EMBEDDED = "embedded"
    OPENAI = "openai"
    LLAMACPP = "llamacpp"
    FAKE = "fake"


LlmOpt = Annotated[
    LlmBackend,
    typer.Option("--llm", envvar="NCREPORT_LLM_BACKEND",
                 help="Who phrases the impression: none (rules only), embedded (CPU model), openai (e.g. vLLM), "
                      "llamacpp (extra)."),
]
LlmUrlOpt = Annotated[str | None, typer.Option("--llm-url", envvar="NCREPORT_LLM_URL",
                                               help="openai: base URL, e.g. http://gpu-host:8000/v1")]
LlmModelOpt = Annotated[str | None, typer.Option("--llm-model", envvar="NCREPORT_LLM_MODEL",
                                                 help="openai: served model name")]
LlmPathOpt = Annotated[Path | None, typer.Option("--llm-model-path", envvar="NCREPORT_LLM_MODEL_PATH",
                                                 help="embedded/llamacpp: a local GGUF file or model directory")]
RiskModelOpt = Annotated[
    Path | None,
    typer.Option("--risk-model", help="Directory of a trained risk model: adds a labelled decision-support line."),
]


def _decision_support(model_dir: Path, study: Study) -> tuple[Sentence, ...]:
    """The risk model's line for the report, or nothing (with a warning) when it does not apply."""
    from reporter.errors import InputError
    from reporter.report import Sentence
    from reporter.risk import RiskModel, explain_study

    model = RiskModel.load(model_dir)
    try:
        explanation = explain_study(model, study)
    except InputError as exc:
        typer.echo(f"warning: decision-support line left out: {exc}", err=True)
        return ()
    return (
        Sentence(
            text=explanation.summary(),
            codes=("DECISION_SUPPORT",),
            evidence=tuple(f"model input: {c.description}" for c in explanation.top(3)),
            origin=f"risk model {explanation.model_name} {explanation.model_version}",
        ),
    )


def _narrate(report: Report, study: Study, llm: LlmBackend, url: str | None, model: str | None,
             model_path: Path | None) -> Report:
    """Phrase the impression with the chosen backend; a failing backend leaves it rule-based, flagged."""
    from pydantic import ValidationError

    from reporter.errors import BackendError, ConfigError
    from reporter.inputs import problems_from
    from reporter.report import no_llm_flag

    if llm is LlmBackend.NONE:
        return report
    try:
        from reporter.llm.backends import make_backend
        from reporter.llm.drafter import draft_with_llm
        from reporter.llm.settings import LLMConfig

        config = LLMConfig(backend=llm.value, url=url, model=model, model_path=model_path)
    except ValidationError as exc:
        raise ConfigError("the LLM settings are incomplete", problems_from(exc)) from exc
    except ImportError as exc:  # LangChain missing: the base install without [llm]
        return report.model_copy(update={"flags": (*report.flags, no_llm_flag(str(exc)))})
    try:
        backend = make_backend(config)
    except BackendError as exc:
        return report.model_copy(update={"flags": (*report.flags, no_llm_flag(f"{exc.code}: {exc.message}"))})
    return draft_with_llm(report, study, backend, config.generation)


def _render(
    study_path: Path,
    fmt: OutputFormat,
    thresholds: Path | None,
    templates: Path | None,
    risk_model: Path | None,
    prior_report: Path | None,
    llm: tuple[LlmBackend, str | None, str | None, Path | None] = (LlmBackend.NONE, None, None, None),
) -> str:
    from reporter.domain.thresholds import DEFAULT_THRESHOLDS
    from reporter.inputs import load_study, load_thresholds
    from reporter.render import template_set
    from reporter.report import draft_report

    study = load_study(study_path)
    if prior_report is not None:
        from reporter.inputs import load_text
        from reporter.prior import attach_prior_report

        study = attach_prior_report(study, load_text(prior_report))
    limits = load_thresholds(thresholds) if thresholds else DEFAULT_THRESHOLDS
    tset = template_set(templates.resolve() if templates else None)
    support = _decision_support(risk_model, study) if risk_model else ()
    report = _narrate(draft_report(study, limits, tset, decision_support=support), study, *llm)
    if fmt is OutputFormat.JSON:
        return report.model_dump_json(indent=2) + "\n"
    return tset.render(report, fmt.value)


@app.command()
def draft(
    study: StudyPath,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.TEXT,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    thresholds: ThresholdsOpt = None,
    templates: TemplatesOpt = None,
    risk_model: RiskModelOpt = None,
    prior_report: PriorReportOpt = None,
    llm: LlmOpt = LlmBackend.EMBEDDED,
    llm_url: LlmUrlOpt = None,
    llm_model: LlmModelOpt = None,
    llm_model_path: LlmPathOpt = None,
) -> None:
    """Draft a structured report from one study's results; a local LLM phrases the verified impression."""
    text = _render(study, fmt, thresholds, templates, risk_model, prior_report,
                   (llm, llm_url, llm_model, llm_model_path))
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)


@app.command()
def validate(studies: Annotated[list[Path], typer.Argument(help="Study JSON files.", show_default=False)]) -> None:
    """Check study files; print each problem with its field, value and reason."""
    from reporter.inputs import load_study

    failed = 0
    for path in studies:
        try:
            load_study(path)
        except NcreportError as exc:
            failed += 1
            typer.echo(f"{path}: INVALID\n{exc}")
        else:
            typer.echo(f"{path}: ok")
    if failed:
        raise typer.Exit(2)


@app.command()
def schema(name: Annotated[SchemaName, typer.Argument(help="Which schema.")] = SchemaName.STUDY) -> None:
    """Print the JSON Schema of the input (study), a finding, a report, or the thresholds."""
    from pydantic import BaseModel

    from reporter.domain.finding import Finding
    from reporter.domain.study import Study
    from reporter.domain.thresholds import Thresholds
    from reporter.report import Report

    models: dict[str, type[BaseModel]] = {
        "study": Study, "finding": Finding, "report": Report, "thresholds": Thresholds,
    }
    model = models[name.value]
    typer.echo(json.dumps(model.model_json_schema(), indent=2))


@app.command()
def demo(
    examples: Annotated[Path, typer.Argument(help="Directory of example studies.")] = Path("examples"),
    show: Annotated[str, typer.Option(help="Stem of the example whose full report is printed.")] = (
        "spect_lad_ischemia"
    ),
    llm: LlmOpt = LlmBackend.EMBEDDED,
) -> None:
    """Draft every example study (rules), print a summary table and one full report phrased by --llm."""
    from rich.console import Console
    from rich.table import Table

    from reporter.domain.finding import FindingCode
    from reporter.inputs import load_study
    from reporter.render import template_set
    from reporter.report import draft_report

    paths = sorted(examples.glob("*.json"))
    if not paths:
        raise typer.BadParameter(f"no *.json studies in {examples}")
    table = Table(title=f"ncreport: {len(paths)} example studies drafted")
    for column in ("study", "perfusion", "risk", "sentences", "ms"):
        table.add_column(column)
    shown = None
    for path in paths:
        start = time.perf_counter()
        report = draft_report(load_study(path))
        ms = (time.perf_counter() - start) * 1000
        impression = next(f for f in report.findings if f.code is FindingCode.IMPRESSION_PERFUSION)
        risk = next(f for f in report.findings if f.code is FindingCode.RISK)
        n = sum(len(s.sentences) for s in report.sections)
        table.add_row(path.stem, str(impression.values["category"]), str(risk.values["category"]), str(n), f"{ms:.1f}")
        if path.stem == show:
            shown = (report, load_study(path))
    Console(stderr=True).print(table)
    if shown is not None:
        typer.echo(template_set().render(_narrate(shown[0], shown[1], llm, None, None, None), "text"), nl=False)


def _mount_optional() -> None:
    """Sub-apps of other packages; each keeps its heavy imports inside its commands."""
    from extraction.cli import structure_command
    from guardrails.cli import qa_command, verify_command
    from reporter.risk.cli import app as risk_app

    app.command("structure")(structure_command)
    app.command("verify")(verify_command)
    app.command("qa")(qa_command)
    app.add_typer(risk_app, name="risk", help="Decision-support risk models (xgboost + SHAP).")


_mount_optional()


def main() -> None:
    app()
