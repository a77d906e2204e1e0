"""``ncreport risk``: train, predict, evaluate and check drift of the decision-support models.

Thin: each command parses options, calls one use-case of :mod:`reporter.service.risk` and
prints a Rich table (or JSON with ``--json``). Heavy libraries load inside the commands, so
``ncreport --help`` stays instant. Errors from :mod:`reporter.errors` are printed without a
traceback and exit with their ``exit_code``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from reporter.errors import InputFormatError, NcreportError
from reporter.service.risk import tasks

TASKS = tasks()

if TYPE_CHECKING:
    from reporter.risk.drift import DriftReport
    from reporter.risk.explain import RiskExplanation
    from reporter.risk.manifest import EvaluationRecord, MetricSet

__all__ = ["app"]

app = typer.Typer(
    help="Decision support: pre-test and SPECT-feature risk models with SHAP explanations, "
    "model cards and drift checks. Decision support, not a diagnosis.",
    no_args_is_help=True,
)

_out = Console()
_err = Console(stderr=True)

ModelDir = Annotated[
    Path, typer.Option("--model", "-m", help="Model directory written by 'risk train' (holds manifest.json).")
]
DataFile = Annotated[
    Path,
    typer.Option("--data", "-d", help="CSV with a header of the task's column names, or the UCI file (see README)."),
]
Mapping = Annotated[
    Path | None,
    typer.Option("--mapping", help="Column-mapping file (JSON or YAML) for a site's own CSV."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON instead of tables.")]


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except NcreportError as exc:
        _err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(exc.exit_code) from None


def _print_json(payload: Any) -> None:
    typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))


def _task_option(value: str) -> str:
    if value not in TASKS:
        raise typer.BadParameter(f"choose one of: {', '.join(TASKS)}")
    return value


@app.command()
def train(
    data: DataFile,
    task: Annotated[str, typer.Option("--task", "-t", help=f"One of: {', '.join(TASKS)}.", callback=_task_option)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Directory to write the model into.")],
    mapping: Mapping = None,
    holdout: Annotated[
        Path | None,
        typer.Option("--holdout", help="Fixed test file, evaluated once after training (never used to tune)."),
    ] = None,
    folds: Annotated[int, typer.Option(min=2, max=50, help="Cross-validation folds.")] = 10,
    seed: Annotated[int, typer.Option(help="Seed for folds and subsampling.")] = 0,
    trees: Annotated[int | None, typer.Option(min=1, max=5000, help="Boosting rounds (default 200).")] = None,
    as_json: AsJson = False,
) -> None:
    """Train a model, cross-validate it against a logistic baseline, write model + manifest + card."""
    with _errors():
        from reporter.service import risk

        result = risk.train(
            task,
            data,
            output,
            mapping=mapping,
            holdout=holdout,
            folds=folds,
            seed=seed,
            model_params=None if trees is None else {"n_estimators": trees},
        )
    manifest = result.manifest
    if as_json:
        _print_json(
            {
                "directory": str(result.directory),
                "name": manifest.name,
                "version": manifest.version,
                "cross_validation": manifest.cross_validation.model_dump(mode="json"),
                "holdout": None if manifest.holdout is None else manifest.holdout.model_dump(mode="json"),
                "plots": [str(p) for p in result.plots],
            }
        )
        return
    _out.print(f"[bold]{manifest.name}[/bold] version {manifest.version} written to {result.directory}")
    _out.print(_evaluation_table("cross-validation", manifest.cross_validation))
    if manifest.holdout is not None:
        _out.print(_evaluation_table("fixed test split", manifest.holdout))
    for figure in TASKS[task].published:
        _out.print(f"Published {figure.metric}: {figure.value:.0%} ({figure.source})")
    _out.print("Model card: " + str(result.directory / "MODEL_CARD.md"))


@app.command()
def predict(
    model: ModelDir,
    study: Annotated[Path | None, typer.Option("--study", "-s", help="Study JSON (pre-test models).")] = None,
    data: Annotated[Path | None, typer.Option("--data", "-d", help="CSV of inputs, one patient per row.")] = None,
    mapping: Mapping = None,
    top: Annotated[int, typer.Option(min=1, max=50, help="How many SHAP contributions to show.")] = 5,
    as_json: AsJson = False,
    allow_missing: Annotated[
        bool,
        typer.Option(
            "--allow-missing",
            help="Predict even when inputs are missing (the trees' default branch: the probability may change a "
            "lot). Without it, missing inputs are refused.",
        ),
    ] = False,
) -> None:
    """Probability of an abnormal result with the top SHAP contributions in words."""
    with _errors():
        if (study is None) == (data is None):
            raise InputFormatError("give exactly one of --study or --data")
        from reporter.cli.files import read_study
        from reporter.service import risk

        if study is not None:
            explanations = [risk.predict_study(model, read_study(study))]
        else:
            assert data is not None
            explanations = risk.predict_rows(model, data, mapping=mapping)
        incomplete = [(i, e) for i, e in enumerate(explanations, start=1) if e.missing_inputs]
        if incomplete and not allow_missing:
            row, first = incomplete[0]
            where = "the study" if study is not None else f"{len(incomplete)} row(s), first row {row}"
            absent = ", ".join(f"{m.feature} ({m.reason})" for m in first.missing_inputs)
            raise InputFormatError(
                f"model inputs missing in {where}: {absent}; give them, or pass --allow-missing to predict anyway"
            )
    if as_json:
        _print_json([e.model_dump(mode="json") for e in explanations])
        return
    for i, explanation in enumerate(explanations):
        _out.print(_explanation_table(explanation, top, row=None if study is not None else i + 1))


@app.command()
def evaluate(
    model: ModelDir,
    data: DataFile,
    mapping: Mapping = None,
    plot: Annotated[Path, typer.Option("--plot", help="Where to write the calibration plot (PNG).")] = Path(
        "calibration.png"
    ),
    as_json: AsJson = False,
) -> None:
    """AUC with 95% CI, Brier score, accuracy and a calibration plot on a labelled file."""
    with _errors():
        from reporter.service import risk

        record = risk.evaluate(model, data, mapping=mapping, plot=plot)
    if as_json:
        _print_json({**record.model_dump(mode="json"), "plot": str(plot)})
        return
    _out.print(_evaluation_table(record.scheme, record))
    _out.print(f"Calibration plot: {plot}")


@app.command()
def drift(model: ModelDir, data: DataFile, mapping: Mapping = None, as_json: AsJson = False) -> None:
    """Population stability index per feature against the training data (0.1 moderate, 0.25 major)."""
    with _errors():
        from reporter.service import risk

        report = risk.drift(model, data, mapping=mapping)
    if as_json:
        _print_json(report.model_dump(mode="json"))
        return
    _out.print(_drift_table(report))


# --- rendering -------------------------------------------------------------------------------


def _auc(ms: MetricSet) -> str:
    if ms.auc is None or ms.auc_ci_low is None or ms.auc_ci_high is None:
        return "n/a (one class)"
    return f"{ms.auc:.3f} ({ms.auc_ci_low:.3f}–{ms.auc_ci_high:.3f})"


def _evaluation_table(title: str, record: EvaluationRecord) -> Table:
    table = Table(title=f"{title} — {record.data_source}", title_justify="left")
    for column in ("model", "n", "abnormal", "AUC (95% CI, DeLong)", "Brier", "accuracy (95% CI)"):
        table.add_column(column)
    rows: list[tuple[str, MetricSet]] = [("xgboost", record.xgboost)]
    if record.logistic is not None:
        rows.append(("logistic baseline", record.logistic))
    for name, ms in rows:
        table.add_row(
            name,
            str(ms.n),
            str(ms.n_positive),
            _auc(ms),
            f"{ms.brier:.3f}",
            f"{ms.accuracy:.1%} ({ms.accuracy_ci_low:.1%}–{ms.accuracy_ci_high:.1%})",
        )
    if record.auc_difference_p is not None:
        table.caption = f"xgboost vs logistic AUC: paired DeLong p = {record.auc_difference_p:.3f}"
    return table


def _explanation_table(explanation: RiskExplanation, top: int, row: int | None) -> Table:
    where = "" if row is None else f"row {row}: "
    table = Table(
        title=f"{where}probability of {explanation.outcome} {explanation.probability:.2f} "
        f"(baseline {explanation.baseline_probability:.2f}) — "
        f"{explanation.model_name} {explanation.model_version}",
        title_justify="left",
        caption=explanation.disclaimer,
    )
    table.add_column("input")
    table.add_column("Δ probability", justify="right")
    table.add_column("Δ log-odds", justify="right")
    table.add_column("in words")
    for c in explanation.top(top):
        table.add_row(c.description, f"{c.probability:+.3f}", f"{c.log_odds:+.3f}", c.sentence)
    for m in explanation.missing_inputs:
        table.add_row(f"[dim]{m.label}[/dim]", "", "", f"[dim]missing: {m.reason}[/dim]")
    for warning in explanation.warnings:
        table.add_row("[yellow]warning[/yellow]", "", "", f"[yellow]{warning}[/yellow]")
    return table


_LEVEL_STYLE: dict[str, str] = {"stable": "green", "moderate": "yellow", "major": "bold red"}


def _style(level: str) -> str:
    return f"[{_LEVEL_STYLE[level]}]{level}[/]"


def _drift_table(report: DriftReport) -> Table:
    table = Table(
        title=f"drift of {report.data_source} ({report.n_rows} rows) vs training data of "
        f"{report.model_name} {report.model_version}: "
        f"{_style(report.level.value)} (max PSI {report.max_psi:.3f})",
        title_justify="left",
        caption=f"rows with an input outside the training range: {report.rows_out_of_range_share:.1%}. "
        "PSI < 0.1 stable, 0.1–0.25 moderate, ≥ 0.25 major (Siddiqi 2006)."
        + (" Fewer than 100 rows: PSI is noisy." if report.small_sample else ""),
    )
    for column in ("feature", "PSI", "level", "out of range", "missing (training)"):
        table.add_column(column)
    for d in report.features:
        table.add_row(
            d.label,
            f"{d.psi:.3f}",
            _style(d.level.value),
            f"{d.out_of_range_share:.1%}",
            f"{d.missing_share:.1%} ({d.training_missing_share:.1%})",
        )
    return table
