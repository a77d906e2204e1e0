"""The manifest saved beside every model: what it predicts, from what, how well, trained on what.

Validated on load (unknown keys are errors), so a model directory that exists and loads is
complete. Pure pydantic: no numeric libraries.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "MANIFEST_NAME",
    "MODEL_CARD_NAME",
    "MODEL_NAME",
    "EvaluationRecord",
    "FeatureRecord",
    "FeatureReference",
    "Hyperparameters",
    "Manifest",
    "MetricSet",
    "TrainingRecord",
]

MODEL_NAME = "model.json"
MANIFEST_NAME = "manifest.json"
MODEL_CARD_NAME = "MODEL_CARD.md"


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MetricSet(_Record):
    """Discrimination and calibration of one set of predicted probabilities."""

    n: int = Field(ge=1)
    n_positive: int = Field(ge=0)
    auc: float | None = Field(description="ROC AUC; None when only one class is present")
    auc_ci_low: float | None
    auc_ci_high: float | None
    auc_ci_method: Literal["DeLong"] = "DeLong"
    brier: float = Field(ge=0, le=1)
    accuracy: float = Field(ge=0, le=1, description="at a probability threshold of 0.5")
    accuracy_ci_low: float = Field(ge=0, le=1)
    accuracy_ci_high: float = Field(ge=0, le=1)
    accuracy_ci_method: Literal["Wilson"] = "Wilson"


class EvaluationRecord(_Record):
    """One evaluation: the scheme, the data, and the model against its logistic baseline."""

    scheme: str = Field(description="e.g. 'stratified 10-fold CV, seed 0' or 'fixed test split'")
    data_source: str
    data_sha256: str
    xgboost: MetricSet
    logistic: MetricSet | None = None
    auc_difference_p: float | None = Field(
        default=None, description="paired DeLong test, xgboost vs logistic, two-sided"
    )


class FeatureRecord(_Record):
    name: str
    label: str
    unit: str | None = None
    codes: dict[str, str] | None = None


class FeatureReference(_Record):
    """The training distribution of one feature, binned, for drift checks (PSI)."""

    name: str
    edges: tuple[float, ...] = Field(description="interior cut points; bin i holds edges[i-1] < x <= edges[i]")
    proportions: tuple[float, ...] = Field(description="share of training rows per bin, then missing last")
    minimum: float | None
    maximum: float | None


class Hyperparameters(_Record):
    """The xgboost settings a model was trained with (see :class:`reporter.risk.model.RiskModel`)."""

    n_estimators: int
    max_depth: int
    learning_rate: float
    subsample: float
    colsample_bytree: float
    min_child_weight: float
    reg_lambda: float
    random_state: int


class TrainingRecord(_Record):
    source: str = Field(description="file name only, never a path that could identify a person")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    n_rows: int = Field(ge=1)
    n_positive: int = Field(ge=0)
    n_unlabelled_dropped: int = Field(ge=0)
    column_mapping: bool = False


class Manifest(_Record):
    format: Literal["ncreport.risk-model.v1"] = "ncreport.risk-model.v1"
    name: str
    version: str = Field(description="first 12 hex digits of the model file's sha256")
    task: str
    title: str
    created: dt.datetime
    model_file: str = MODEL_NAME
    model_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    features: tuple[FeatureRecord, ...]
    label: str
    hyperparameters: Hyperparameters
    base_log_odds: float
    training: TrainingRecord
    cross_validation: EvaluationRecord
    holdout: EvaluationRecord | None = None
    drift_reference: tuple[FeatureReference, ...]
    software: dict[str, str]
