"""Decision support: gradient-boosted risk models with SHAP explanations, model cards and drift.

Two tasks are trained on public data (see :data:`TASKS`): the probability of an abnormal
perfusion scan from pre-test data (UCI Cleveland), and normal/abnormal SPECT from 44 ROI count
features (UCI SPECTF). Everything here is decision support, not a diagnosis.

Names are loaded on first use (PEP 562), so importing this package does not import numpy,
pandas or xgboost.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reporter.risk.drift import DriftReport, FeatureDrift
    from reporter.risk.explain import Contribution, MissingInput, RiskExplanation, explain_study
    from reporter.risk.features import TASKS, TaskSpec, get_task, study_features
    from reporter.risk.manifest import Manifest
    from reporter.risk.model import RiskModel

__all__ = [
    "TASKS",
    "Contribution",
    "DriftReport",
    "FeatureDrift",
    "Manifest",
    "MissingInput",
    "RiskExplanation",
    "RiskModel",
    "TaskSpec",
    "explain_study",
    "get_task",
    "study_features",
]

_HOME = {
    "TASKS": "features",
    "TaskSpec": "features",
    "get_task": "features",
    "study_features": "features",
    "Contribution": "explain",
    "MissingInput": "explain",
    "RiskExplanation": "explain",
    "explain_study": "explain",
    "DriftReport": "drift",
    "FeatureDrift": "drift",
    "Manifest": "manifest",
    "RiskModel": "model",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'reporter.risk' has no attribute {name!r}")
    return getattr(import_module(f"reporter.risk.{_HOME[name]}"), name)
