"""The use cases behind the CLI: train and save, evaluate, check drift, predict from a file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reporter.risk.card import render_model_card
from reporter.risk.datasets import ColumnMapping, TabularData, load_mapping, load_table
from reporter.risk.drift import DriftReport, drift_report
from reporter.risk.evaluation import cross_validate, holdout_record, metric_set, plot_calibration
from reporter.risk.explain import RiskExplanation, explain_rows
from reporter.risk.features import get_task
from reporter.risk.manifest import MODEL_CARD_NAME, EvaluationRecord, Manifest, TrainingRecord
from reporter.risk.model import RiskModel

__all__ = ["TrainingResult", "drift_file", "evaluate_file", "predict_file", "train_and_save"]

CALIBRATION_PLOT = "calibration.png"
HOLDOUT_PLOT = "calibration_test.png"


@dataclass(frozen=True, slots=True)
class TrainingResult:
    manifest: Manifest
    directory: Path
    plots: tuple[Path, ...]


def _mapping(path: Path | None) -> ColumnMapping | None:
    return None if path is None else load_mapping(path)


def train_and_save(
    task_name: str,
    data: Path,
    output: Path,
    *,
    mapping: Path | None = None,
    holdout: Path | None = None,
    folds: int = 10,
    seed: int = 0,
    model_params: dict[str, Any] | None = None,
) -> TrainingResult:
    """Cross-validate (model and logistic baseline), fit on all rows, save model, manifest, card, plots."""
    task = get_task(task_name)
    columns = _mapping(mapping)
    train = load_table(data, task, mapping=columns)
    assert train.label is not None  # load_table requires it by default
    model = RiskModel(task.name, random_state=seed, **(model_params or {}))
    cv = cross_validate(model, train.features, train.label, folds=folds, seed=seed)
    model.fit(train.features, train.label)
    plots = [
        plot_calibration(
            output / CALIBRATION_PLOT,
            cv.label,
            {"xgboost": cv.xgboost, "logistic": cv.logistic},
            title=f"{task.name}: {cv.scheme}",
        )
    ]
    holdout_eval: EvaluationRecord | None = None
    if holdout is not None:
        test = load_table(holdout, task, mapping=columns)
        assert test.label is not None
        holdout_eval, p_xgb, p_lr = holdout_record(
            model,
            train.features,
            train.label,
            test.features,
            test.label,
            data_source=test.source,
            data_sha256=test.sha256,
            seed=seed,
        )
        plots.append(
            plot_calibration(
                output / HOLDOUT_PLOT,
                test.label,
                {"xgboost": p_xgb, "logistic": p_lr},
                title=f"{task.name}: fixed test split {test.source}",
            )
        )
    manifest = model.build_manifest(
        training=_training_record(train, mapped=columns is not None),
        cross_validation=cv.record(train.source, train.sha256),
        holdout=holdout_eval,
    )
    model.save(output, manifest)
    (output / MODEL_CARD_NAME).write_text(render_model_card(manifest), encoding="utf-8")
    return TrainingResult(manifest=manifest, directory=output, plots=tuple(plots))


def _training_record(data: TabularData, *, mapped: bool) -> TrainingRecord:
    assert data.label is not None
    return TrainingRecord(
        source=data.source,
        sha256=data.sha256,
        n_rows=data.n_rows,
        n_positive=int(data.label.sum()),
        n_unlabelled_dropped=data.n_unlabelled,
        column_mapping=mapped,
    )


def evaluate_file(
    model_dir: Path, data: Path, *, mapping: Path | None = None, plot: Path | None = None
) -> EvaluationRecord:
    """AUC (DeLong CI), Brier and accuracy of a saved model on a labelled file, and a calibration plot."""
    model = RiskModel.load(model_dir)
    table = load_table(data, model.task_spec, mapping=_mapping(mapping))
    assert table.label is not None
    probability = model.predict_proba(table.features)[:, 1]
    if plot is not None:
        plot_calibration(plot, table.label, {model.manifest_.name: probability}, title=f"{model.task}: {table.source}")
    return EvaluationRecord(
        scheme=f"saved model {model.manifest_.version} applied to the whole file",
        data_source=table.source,
        data_sha256=table.sha256,
        xgboost=metric_set(table.label, probability),
    )


def drift_file(model_dir: Path, data: Path, *, mapping: Path | None = None) -> DriftReport:
    """PSI, out-of-range and missing shares per feature of a file against the training data."""
    model = RiskModel.load(model_dir)
    table = load_table(data, model.task_spec, mapping=_mapping(mapping), require_label=False)
    return drift_report(
        table.features,
        model.reference_,
        {f.name: f.label for f in model.task_spec.features},
        model_name=model.manifest_.name,
        model_version=model.manifest_.version,
        data_source=table.source,
    )


def predict_file(model_dir: Path, data: Path, *, mapping: Path | None = None) -> list[RiskExplanation]:
    """An explanation per row of a CSV (labels, if present, are ignored)."""
    model = RiskModel.load(model_dir)
    table = load_table(data, model.task_spec, mapping=_mapping(mapping), require_label=False)
    return explain_rows(model, table.features)
