"""Predictions with their SHAP explanation in words, as value objects the report can quote.

The SHAP values are exact TreeSHAP values in **log-odds** (they add up, with the model's
baseline, to the log-odds of the prediction). For the sentence "age 67 raised the probability
by 0.08" each log-odds value is multiplied by the secant slope of the logistic function
between the baseline and this prediction, (p - p0) / (logit(p) - logit(p0)): the rescale rule of
DeepLIFT (Shrikumar A et al., ICML 2017). The probability-scale figures keep the sign and the
ranking of the log-odds values and add up exactly to p - p0; they are a faithful rescaling,
not probability-scale Shapley values, and both scales are reported.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from reporter.errors import FieldProblem, StudyValidationError
from reporter.risk.features import TaskSpec, study_features

if TYPE_CHECKING:
    import pandas as pd

    from reporter.domain.study import Study
    from reporter.risk.model import RiskModel

__all__ = ["DISCLAIMER", "Contribution", "MissingInput", "RiskExplanation", "explain_rows", "explain_study"]

DISCLAIMER = "Decision support, not a diagnosis."
_NEGLIGIBLE = 0.005
_UNSEEN_MISSING = (
    "missing input(s) never missing in the training data ({}): the model sends them down a default "
    "branch, so the probability is less reliable"
)


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Contribution(_Value):
    """One input's share of the prediction."""

    feature: str
    description: str = Field(description="the input in words, e.g. 'age 67 years'")
    value: float | None
    log_odds: float
    probability: float = Field(description="log-odds value rescaled to the probability scale")

    @property
    def sentence(self) -> str:
        if abs(self.probability) < _NEGLIGIBLE:
            return f"{self.description} changed the probability by less than {_NEGLIGIBLE:.3f}"
        verb = "raised" if self.probability > 0 else "lowered"
        size = f"{abs(self.probability):.2f} (log-odds {self.log_odds:+.2f})"
        return f"{self.description} {verb} the probability by {size}"


class MissingInput(_Value):
    feature: str
    label: str
    reason: str


class RiskExplanation(_Value):
    """A model's probability for one patient, why, and what it did not know."""

    model_name: str
    model_version: str
    task: str
    outcome: str = Field("an abnormal result", description="what the probability is of")
    probability: float = Field(ge=0, le=1)
    baseline_probability: float = Field(ge=0, le=1, description="the model's expected probability")
    contributions: tuple[Contribution, ...] = Field(description="all inputs, largest absolute effect first")
    missing_inputs: tuple[MissingInput, ...] = ()
    warnings: tuple[str, ...] = ()
    scale: str = "probability: log-odds SHAP rescaled by the logistic secant slope (DeepLIFT rescale rule)"
    disclaimer: str = DISCLAIMER

    def top(self, n: int = 5) -> tuple[Contribution, ...]:
        return self.contributions[:n]

    def summary(self, n: int = 3) -> str:
        """One line for a report: probability, main reasons, missing inputs, disclaimer."""
        reasons = "; ".join(c.sentence for c in self.top(n))
        missing = ""
        if self.missing_inputs:
            missing = f" Not available to the model: {', '.join(m.label for m in self.missing_inputs)}."
        caution = f" Caution: {'; '.join(self.warnings)}." if self.warnings else ""
        return (
            f"Model {self.model_name} ({self.model_version}): probability of {self.outcome} "
            f"{self.probability:.2f} (baseline {self.baseline_probability:.2f}). "
            f"{reasons[:1].upper()}{reasons[1:]}.{missing}"
            f"{caution} {self.disclaimer}"
        )


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _secant_slope(base: float, margin: float) -> float:
    """(sigmoid(margin) - sigmoid(base)) / (margin - base), the derivative where they meet."""
    if abs(margin - base) < 1e-9:
        p = _sigmoid(base)
        return p * (1 - p)
    return (_sigmoid(margin) - _sigmoid(base)) / (margin - base)


def _model_identity(model: RiskModel) -> tuple[str, str]:
    manifest = getattr(model, "manifest_", None)
    if manifest is not None:
        return manifest.name, manifest.version
    import hashlib

    return f"ncreport.risk.{model.task}", hashlib.sha256(model.model_json()).hexdigest()[:12] + " (unsaved)"


def explain_rows(
    model: RiskModel, features: pd.DataFrame, missing: Mapping[int, Mapping[str, str]] | None = None
) -> list[RiskExplanation]:
    """One explanation per row of ``features``; ``missing`` gives reasons per row for absent values."""
    task: TaskSpec = model.task_spec
    name, version = _model_identity(model)
    shap, base = model.contributions(features)
    values = features[list(task.feature_names)].to_numpy(dtype=float)
    explanations = []
    for i in range(len(features)):
        margin = float(base[i] + shap[i].sum())
        slope = _secant_slope(float(base[i]), margin)
        contributions = [
            Contribution(
                feature=spec.name,
                description=spec.describe(float(values[i, j])),
                value=None if math.isnan(values[i, j]) else float(values[i, j]),
                log_odds=round(float(shap[i, j]), 4),
                probability=round(float(shap[i, j]) * slope, 4),
            )
            for j, spec in enumerate(task.features)
        ]
        contributions.sort(key=lambda c: (-abs(c.log_odds), c.feature))
        reasons = dict(missing.get(i, {})) if missing else {}
        unseen = [
            spec.label
            for j, spec in enumerate(task.features)
            if math.isnan(values[i, j]) and model.reference_[j].proportions[-1] == 0
        ]
        absent = [
            MissingInput(feature=spec.name, label=spec.label, reason=reasons.get(spec.name, "empty in the input"))
            for j, spec in enumerate(task.features)
            if math.isnan(values[i, j])
        ]
        explanations.append(
            RiskExplanation(
                model_name=name,
                model_version=version,
                task=task.name,
                outcome=task.outcome,
                probability=round(_sigmoid(margin), 4),
                baseline_probability=round(_sigmoid(float(base[i])), 4),
                contributions=tuple(contributions),
                missing_inputs=tuple(absent),
                warnings=(_UNSEEN_MISSING.format(", ".join(unseen)),) if unseen else (),
            )
        )
    return explanations


def explain_study(model: RiskModel, study: Study) -> RiskExplanation:
    """The model's probability for a Study, its top SHAP contributions and the inputs it lacked.

    Pure: reads the Study, returns a value; the report generator may quote ``summary()``.
    """
    import pandas as pd

    task = model.task_spec
    if task.needs_exercise and (study.stress is None or not study.stress.is_exercise):
        given = study.stress.type.value if study.stress is not None else "none"  # none: a rest-only study
        raise StudyValidationError(
            f"model {task.name} needs exercise-test inputs and this is a {given} stress "
            "test; use a pretest-clinical-abnormal-perfusion model",
            [FieldProblem("stress.type", "not an exercise test", given)],
        )
    taken = study_features(task, study)
    row = pd.DataFrame({k: [math.nan if v is None else float(v)] for k, v in taken.values.items()})
    return explain_rows(model, row, {0: taken.missing})[0]
