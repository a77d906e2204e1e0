"""Honest evaluation: out-of-fold predictions, AUC with DeLong 95% CI, Brier, calibration.

* Cross-validation is stratified k-fold with a fixed seed; every patient's probability comes
  from a model that never saw that patient. AUC and its CI are computed on the pooled
  out-of-fold predictions.
* AUC variance by DeLong's method (DeLong ER et al., Biometrics 1988;44:837-845), fast form of
  Sun X, Xu W (IEEE Signal Process Lett 2014;21:1389-1393); paired test for two models on the
  same patients from the same papers. Accuracy CI: Wilson score interval.
* The baseline is a logistic regression (median/mode imputation, one-hot coded categories,
  standardized numbers, L2 with C=1) run on the same folds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from reporter.risk._optional import require
from reporter.risk.features import TaskSpec
from reporter.risk.manifest import EvaluationRecord, MetricSet
from reporter.risk.model import RiskModel

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CrossValidation",
    "auc_difference_test",
    "calibration_curve",
    "cross_validate",
    "delong_auc",
    "logistic_baseline",
    "metric_set",
    "plot_calibration",
    "wilson_interval",
]

_Z95 = 1.959963984540054
THRESHOLD = 0.5


# --- statistics ------------------------------------------------------------------------------


def _midranks(x: np.ndarray) -> np.ndarray:
    order = np.argsort(x, kind="mergesort")
    ordered = x[order]
    ranks = np.empty(len(x))
    i = 0
    while i < len(x):
        j = i
        while j < len(x) and ordered[j] == ordered[i]:
            j += 1
        ranks[i:j] = 0.5 * (i + j - 1) + 1
        i = j
    out = np.empty(len(x))
    out[order] = ranks
    return out


def _delong_components(label: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """AUCs of each score row (k, n) and the structural components V10 (k, m), V01 (k, n_neg)."""
    pos, neg = scores[:, label == 1], scores[:, label == 0]
    m, n = pos.shape[1], neg.shape[1]
    tx = np.array([_midranks(r) for r in pos])
    ty = np.array([_midranks(r) for r in neg])
    tz = np.array([_midranks(r) for r in np.concatenate([pos, neg], axis=1)])
    aucs = tz[:, :m].sum(axis=1) / (m * n) - (m + 1) / (2 * n)
    v10 = (tz[:, :m] - tx) / n
    v01 = 1 - (tz[:, m:] - ty) / m
    return aucs, v10, v01


def _delong_covariance(v10: np.ndarray, v01: np.ndarray) -> np.ndarray:
    s10 = np.atleast_2d(np.cov(v10))
    s01 = np.atleast_2d(np.cov(v01))
    return s10 / v10.shape[1] + s01 / v01.shape[1]


def delong_auc(label: np.ndarray, probability: np.ndarray) -> tuple[float, float, float] | None:
    """ROC AUC with its DeLong 95% CI (clipped to [0, 1]); None when one class is absent."""
    label = np.asarray(label)
    if label.min() == label.max() or min(np.sum(label == 1), np.sum(label == 0)) < 2:
        return None
    aucs, v10, v01 = _delong_components(label, np.asarray(probability, dtype=float)[None, :])
    se = math.sqrt(max(float(_delong_covariance(v10, v01)[0, 0]), 0.0))
    auc = float(aucs[0])
    return auc, max(0.0, auc - _Z95 * se), min(1.0, auc + _Z95 * se)


def auc_difference_test(label: np.ndarray, first: np.ndarray, second: np.ndarray) -> float | None:
    """Two-sided p-value of DeLong's paired test that two AUCs on the same patients are equal."""
    label = np.asarray(label)
    if label.min() == label.max():
        return None
    scores = np.vstack([np.asarray(first, dtype=float), np.asarray(second, dtype=float)])
    aucs, v10, v01 = _delong_components(label, scores)
    cov = _delong_covariance(v10, v01)
    var = float(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1])
    if var <= 0:
        return 1.0
    z = abs(float(aucs[0] - aucs[1])) / math.sqrt(var)
    return math.erfc(z / math.sqrt(2))


def wilson_interval(successes: int, n: int) -> tuple[float, float]:
    """Wilson score 95% interval of a proportion."""
    p = successes / n
    centre = (p + _Z95**2 / (2 * n)) / (1 + _Z95**2 / n)
    half = _Z95 * math.sqrt(p * (1 - p) / n + _Z95**2 / (4 * n * n)) / (1 + _Z95**2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def metric_set(label: np.ndarray, probability: np.ndarray) -> MetricSet:
    """AUC (DeLong CI), Brier score and accuracy at 0.5 (Wilson CI)."""
    label = np.asarray(label, dtype=int)
    probability = np.asarray(probability, dtype=float)
    auc = delong_auc(label, probability)
    correct = int(np.sum((probability >= THRESHOLD).astype(int) == label))
    low, high = wilson_interval(correct, len(label))
    return MetricSet(
        n=len(label),
        n_positive=int(label.sum()),
        auc=None if auc is None else round(auc[0], 4),
        auc_ci_low=None if auc is None else round(auc[1], 4),
        auc_ci_high=None if auc is None else round(auc[2], 4),
        brier=round(float(np.mean((probability - label) ** 2)), 4),
        accuracy=round(correct / len(label), 4),
        accuracy_ci_low=round(low, 4),
        accuracy_ci_high=round(high, 4),
    )


def calibration_curve(
    label: np.ndarray, probability: np.ndarray, n_bins: int = 10
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean predicted vs observed share per quantile bin of the prediction, and bin sizes."""
    probability = np.asarray(probability, dtype=float)
    label = np.asarray(label, dtype=float)
    edges = np.unique(np.quantile(probability, np.linspace(0, 1, n_bins + 1)))
    bins = np.clip(np.searchsorted(edges, probability, side="right") - 1, 0, max(len(edges) - 2, 0))
    used = np.unique(bins)
    predicted = np.array([probability[bins == b].mean() for b in used])
    observed = np.array([label[bins == b].mean() for b in used])
    counts = np.array([np.sum(bins == b) for b in used])
    return predicted, observed, counts


# --- models ----------------------------------------------------------------------------------


def logistic_baseline(task: TaskSpec, *, random_state: int = 0) -> Any:
    """The scikit-learn logistic-regression pipeline every model is compared with."""
    compose = require("sklearn.compose")
    impute = require("sklearn.impute")
    linear = require("sklearn.linear_model")
    pipeline = require("sklearn.pipeline")
    preprocessing = require("sklearn.preprocessing")

    coded = [f.name for f in task.features if f.is_coded and len(f.codes or {}) > 2]
    numeric = [f.name for f in task.features if f.name not in coded]
    columns = compose.ColumnTransformer(
        [
            (
                "coded",
                pipeline.make_pipeline(
                    impute.SimpleImputer(strategy="most_frequent"),
                    preprocessing.OneHotEncoder(handle_unknown="ignore"),
                ),
                coded,
            ),
            (
                "numeric",
                pipeline.make_pipeline(impute.SimpleImputer(strategy="median"), preprocessing.StandardScaler()),
                numeric,
            ),
        ]
    )
    return pipeline.make_pipeline(columns, linear.LogisticRegression(C=1.0, max_iter=5000, random_state=random_state))


@dataclass(frozen=True, slots=True)
class CrossValidation:
    """Out-of-fold probabilities of the model and of the logistic baseline, same folds."""

    label: np.ndarray
    xgboost: np.ndarray
    logistic: np.ndarray
    folds: int
    seed: int

    @property
    def scheme(self) -> str:
        return f"stratified {self.folds}-fold cross-validation, seed {self.seed}, pooled out-of-fold predictions"

    def record(self, data_source: str, data_sha256: str) -> EvaluationRecord:
        return EvaluationRecord(
            scheme=self.scheme,
            data_source=data_source,
            data_sha256=data_sha256,
            xgboost=metric_set(self.label, self.xgboost),
            logistic=metric_set(self.label, self.logistic),
            auc_difference_p=_round(auc_difference_test(self.label, self.xgboost, self.logistic)),
        )


def cross_validate(
    model: RiskModel, features: pd.DataFrame, label: np.ndarray, *, folds: int = 10, seed: int = 0
) -> CrossValidation:
    """Stratified k-fold out-of-fold predictions for ``model`` (refitted per fold) and the baseline."""
    model_selection = require("sklearn.model_selection")
    base = require("sklearn.base")

    splitter = model_selection.StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    p_xgb = np.empty(len(label))
    p_lr = np.empty(len(label))
    task = model.task_spec
    for train, test in splitter.split(features, label):
        fold_model = RiskModel(**model.get_params()).fit(features.iloc[train], label[train])
        p_xgb[test] = fold_model.predict_proba(features.iloc[test])[:, 1]
        baseline = base.clone(logistic_baseline(task, random_state=seed))
        baseline.fit(features.iloc[train], label[train])
        p_lr[test] = baseline.predict_proba(features.iloc[test])[:, 1]
    return CrossValidation(label=np.asarray(label), xgboost=p_xgb, logistic=p_lr, folds=folds, seed=seed)


def holdout_record(
    model: RiskModel,
    train_features: pd.DataFrame,
    train_label: np.ndarray,
    test_features: pd.DataFrame,
    test_label: np.ndarray,
    *,
    data_source: str,
    data_sha256: str,
    seed: int = 0,
) -> tuple[EvaluationRecord, np.ndarray, np.ndarray]:
    """Evaluate a fitted model and a baseline fitted on the same training data on a fixed test set."""
    baseline = logistic_baseline(model.task_spec, random_state=seed).fit(train_features, train_label)
    p_xgb = model.predict_proba(test_features)[:, 1]
    p_lr = np.asarray(baseline.predict_proba(test_features)[:, 1], dtype=float)
    record = EvaluationRecord(
        scheme="fixed test split (model trained once on the training file; no tuning on this split)",
        data_source=data_source,
        data_sha256=data_sha256,
        xgboost=metric_set(test_label, p_xgb),
        logistic=metric_set(test_label, p_lr),
        auc_difference_p=_round(auc_difference_test(test_label, p_xgb, p_lr)),
    )
    return record, p_xgb, p_lr


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# --- plot ------------------------------------------------------------------------------------


def plot_calibration(
    path: Path, label: np.ndarray, curves: Mapping[str, np.ndarray], *, title: str, n_bins: int = 10
) -> Path:
    """Reliability diagram (PNG) of one or more probability sets against the same labels."""
    matplotlib = require("matplotlib")
    matplotlib.use("Agg")
    plt = require("matplotlib.pyplot")

    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(5.5, 6.5), sharex=True, gridspec_kw={"height_ratios": [3, 1]}, layout="constrained"
    )
    top.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="perfect calibration")
    for name, probability in curves.items():
        predicted, observed, _ = calibration_curve(label, probability, n_bins)
        brier = float(np.mean((np.asarray(probability) - label) ** 2))
        top.plot(predicted, observed, marker="o", label=f"{name} (Brier {brier:.3f})")
        bottom.hist(probability, bins=20, range=(0, 1), histtype="step", label=name)
    top.set_ylabel("observed share abnormal")
    top.set_xlim(0, 1)
    top.set_ylim(0, 1)
    top.set_title(title, fontsize=10)
    top.legend(loc="lower right", fontsize=8)
    bottom.set_xlabel("predicted probability of an abnormal result")
    bottom.set_ylabel("patients")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120, metadata={"Software": None})
    plt.close(fig)
    return path
