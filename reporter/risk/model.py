"""The gradient-boosted risk model, in scikit-learn style, saved as xgboost JSON plus a manifest.

``RiskModel(task, ...)`` stores its parameters; ``fit`` sets the learned attributes (ending in
``_``). A trained model lives in a directory::

    model.json      the xgboost booster (JSON, never pickle)
    manifest.json   task, features, version, training-data sha256, metrics, drift reference
    MODEL_CARD.md   intended use, data, metrics, limits
    calibration.png cross-validated calibration plot

The hyperparameters are fixed a priori for small tabular data (shallow trees, slow learning
rate, row and column subsampling); they were not tuned, on the test split or otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import numpy as np
from pydantic import ValidationError

from reporter.errors import ConfigError, FieldProblem, InputFormatError, NotFoundError
from reporter.risk._optional import require
from reporter.risk.drift import build_reference
from reporter.risk.features import TaskSpec, get_task
from reporter.risk.manifest import (
    MANIFEST_NAME,
    MODEL_NAME,
    EvaluationRecord,
    FeatureRecord,
    FeatureReference,
    Hyperparameters,
    Manifest,
    TrainingRecord,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RiskModel"]


class RiskModel:
    """Binary classifier (xgboost ``binary:logistic``) for one task of :data:`TASKS`."""

    def __init__(
        self,
        task: str,
        *,
        n_estimators: int = 200,
        max_depth: int = 2,
        learning_rate: float = 0.05,
        subsample: float = 0.8,
        colsample_bytree: float = 0.8,
        min_child_weight: float = 1.0,
        reg_lambda: float = 1.0,
        random_state: int = 0,
        n_jobs: int = 1,
    ) -> None:
        self.task = task
        self.n_estimators = n_estimators
        self.max_depth = max_depth
        self.learning_rate = learning_rate
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.min_child_weight = min_child_weight
        self.reg_lambda = reg_lambda
        self.random_state = random_state
        self.n_jobs = n_jobs

    def get_params(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "n_estimators": self.n_estimators,
            "max_depth": self.max_depth,
            "learning_rate": self.learning_rate,
            "subsample": self.subsample,
            "colsample_bytree": self.colsample_bytree,
            "min_child_weight": self.min_child_weight,
            "reg_lambda": self.reg_lambda,
            "random_state": self.random_state,
            "n_jobs": self.n_jobs,
        }

    @property
    def task_spec(self) -> TaskSpec:
        return get_task(self.task)

    # --- learning ---------------------------------------------------------------------------

    def fit(self, features: pd.DataFrame, label: np.ndarray) -> Self:
        xgb = require("xgboost")
        matrix = self._matrix(features, label)
        params = {
            "objective": "binary:logistic",
            "eval_metric": "logloss",
            "max_depth": self.max_depth,
            "eta": self.learning_rate,
            "subsample": self.subsample,
            "colsample_bytree": self.colsample_bytree,
            "min_child_weight": self.min_child_weight,
            "lambda": self.reg_lambda,
            "seed": self.random_state,
            "nthread": self.n_jobs,
            "tree_method": "hist",
        }
        self.booster_ = xgb.train(params, matrix, num_boost_round=self.n_estimators)
        self.feature_names_in_ = self.task_spec.feature_names
        self.n_features_in_ = len(self.feature_names_in_)
        self.reference_: tuple[FeatureReference, ...] = build_reference(features[list(self.feature_names_in_)])
        self.n_train_ = len(label)
        self.prevalence_ = float(np.mean(label))
        return self

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        """Shape (n, 2): probability of class 0 (normal) and class 1 (abnormal)."""
        positive = np.asarray(self.booster_.predict(self._matrix(features)), dtype=float)
        return np.column_stack([1 - positive, positive])

    def contributions(self, features: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """TreeSHAP values in log-odds, shape (n, k), and the base log-odds per row, shape (n,).

        Exact path-dependent TreeSHAP (xgboost ``pred_contribs``, identical to
        ``shap.TreeExplainer``); each row's values plus its base sum to the model's log-odds.
        """
        raw = np.asarray(self.booster_.predict(self._matrix(features), pred_contribs=True), dtype=float)
        return raw[:, :-1], raw[:, -1]

    def base_log_odds(self) -> float:
        """The model's baseline (expected log-odds): the TreeSHAP bias, the same for every row."""
        import pandas as pd

        empty = pd.DataFrame({name: [math.nan] for name in self.task_spec.feature_names})
        return float(self.contributions(empty)[1][0])

    def _matrix(self, features: pd.DataFrame, label: np.ndarray | None = None) -> Any:
        xgb = require("xgboost")
        names = self.task_spec.feature_names
        absent = [FieldProblem(n, "column missing") for n in names if n not in features.columns]
        if absent:
            raise InputFormatError(f"inputs lack features of task {self.task}", absent)
        values = features[list(names)].to_numpy(dtype=float)
        return xgb.DMatrix(values, label=label, feature_names=list(names), missing=math.nan, nthread=self.n_jobs)

    # --- persistence ------------------------------------------------------------------------

    def model_json(self) -> bytes:
        return bytes(self.booster_.save_raw(raw_format="json"))

    def build_manifest(
        self,
        *,
        training: TrainingRecord,
        cross_validation: EvaluationRecord,
        holdout: EvaluationRecord | None = None,
        created: dt.datetime | None = None,
    ) -> Manifest:
        spec = self.task_spec
        model_sha = hashlib.sha256(self.model_json()).hexdigest()
        params = Hyperparameters.model_validate(
            {k: v for k, v in self.get_params().items() if k not in ("task", "n_jobs")}
        )
        return Manifest(
            name=f"ncreport.risk.{spec.name}",
            version=model_sha[:12],
            task=spec.name,
            title=spec.title,
            created=created or dt.datetime.now(dt.UTC).replace(microsecond=0),
            model_sha256=model_sha,
            features=tuple(
                FeatureRecord(
                    name=f.name,
                    label=f.label,
                    unit=f.unit,
                    codes=None if f.codes is None else {f"{k:g}": v for k, v in f.codes.items()},
                )
                for f in spec.features
            ),
            label=spec.label.meaning,
            hyperparameters=params,
            base_log_odds=self.base_log_odds(),
            training=training,
            cross_validation=cross_validation,
            holdout=holdout,
            drift_reference=self.reference_,
            software={"xgboost": require("xgboost").__version__, "ncreport": _ncreport_version()},
        )

    def save(self, directory: Path, manifest: Manifest) -> None:
        """Write ``model.json`` and ``manifest.json`` into ``directory`` (created if needed)."""
        payload = self.model_json()
        if hashlib.sha256(payload).hexdigest() != manifest.model_sha256:
            raise ConfigError("manifest does not describe this model (model sha256 differs)")
        directory.mkdir(parents=True, exist_ok=True)
        (directory / MODEL_NAME).write_bytes(payload)
        (directory / MANIFEST_NAME).write_text(manifest.model_dump_json(indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> Self:
        """Load a model directory; the manifest is validated and the model file's hash checked."""
        xgb = require("xgboost")
        if not directory.is_dir():
            raise NotFoundError(f"model directory {directory} does not exist")
        manifest_path = directory / MANIFEST_NAME
        if not manifest_path.is_file():
            raise NotFoundError(f"model directory {directory} has no {MANIFEST_NAME}")
        try:
            manifest = Manifest.model_validate_json(manifest_path.read_bytes())
        except ValidationError as exc:
            problems = [FieldProblem(".".join(map(str, e["loc"])), e["msg"]) for e in exc.errors()[:5]]
            raise ConfigError(f"{manifest_path.name} in {directory} is invalid", problems) from exc
        model_path = directory / manifest.model_file
        if not model_path.is_file():
            raise NotFoundError(f"model directory {directory} has no {manifest.model_file}")
        payload = model_path.read_bytes()
        if hashlib.sha256(payload).hexdigest() != manifest.model_sha256:
            raise ConfigError(f"{manifest.model_file} in {directory} does not match its manifest (sha256 differs)")
        model = cls(manifest.task, **manifest.hyperparameters.model_dump())
        model.booster_ = xgb.Booster(model_file=str(model_path))
        model.booster_.set_param({"nthread": model.n_jobs})
        model.feature_names_in_ = model.task_spec.feature_names
        model.n_features_in_ = len(model.feature_names_in_)
        model.reference_ = manifest.drift_reference
        model.n_train_ = manifest.training.n_rows
        model.prevalence_ = manifest.training.n_positive / manifest.training.n_rows
        model.manifest_ = manifest
        return model

    manifest_: Manifest


def _ncreport_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ncreport")
    except PackageNotFoundError:
        return "unknown"
