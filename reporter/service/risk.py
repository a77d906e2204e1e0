"""Use-cases of the decision-support models: train, predict, evaluate, drift.

Thin: each is one function of :mod:`reporter.risk.training` or :mod:`reporter.risk.explain`,
named here so that the CLI and the API reach the risk engine through one door.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reporter.domain.study import Study
    from reporter.risk.drift import DriftReport
    from reporter.risk.explain import RiskExplanation
    from reporter.risk.manifest import EvaluationRecord

__all__ = ["drift", "evaluate", "predict_rows", "predict_study", "tasks", "train"]


def tasks() -> Mapping[str, Any]:
    """The model tasks by name (features, label, published figures)."""
    from reporter.risk.features import TASKS

    return TASKS


def train(task: str, data: Path, output: Path, **options: Any) -> Any:
    """Train, cross-validate against a logistic baseline, write model + manifest + card; the training result."""
    from reporter.risk.training import train_and_save

    return train_and_save(task, data, output, **options)


def predict_study(model_dir: Path, study: Study) -> RiskExplanation:
    """The probability for one study with its SHAP contributions (InputError when the model does not apply)."""
    from reporter.risk.explain import explain_study
    from reporter.risk.model import RiskModel

    return explain_study(RiskModel.load(model_dir), study)


def predict_rows(model_dir: Path, data: Path, mapping: Path | None = None) -> list[RiskExplanation]:
    """The probability for each row of a CSV file."""
    from reporter.risk.training import predict_file

    return predict_file(model_dir, data, mapping=mapping)


def evaluate(model_dir: Path, data: Path, mapping: Path | None = None, plot: Path | None = None) -> EvaluationRecord:
    """AUC with CI, Brier score and accuracy on a labelled file, and a calibration plot."""
    from reporter.risk.training import evaluate_file

    return evaluate_file(model_dir, data, mapping=mapping, plot=plot)


def drift(model_dir: Path, data: Path, mapping: Path | None = None) -> DriftReport:
    """Population stability per feature of new data against the training data."""
    from reporter.risk.training import drift_file

    return drift_file(model_dir, data, mapping=mapping)
