"""The decision-support tasks, their features, and the mapping from a Study to those features.

Pure Python, no I/O and no numeric libraries: the CLI imports this module to list tasks, so
``ncreport --help`` stays instant. A task is data (:class:`TaskSpec`), chosen by name from
:data:`TASKS`; the training code never branches on the task's name.

Codes follow the UCI attribute documentation (``heart-disease.names``; Detrano R et al.,
Am J Cardiol 1989;64:304-310) and the SPECTF documentation (Kurgan LA et al., Artif Intell Med
2001;23:149-169), so a site CSV that uses the same codes needs no value mapping.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from reporter.domain.vocabulary import BaselineEcg, Sex
from reporter.errors import ConfigError

if TYPE_CHECKING:
    from reporter.domain.study import Study

__all__ = [
    "TASKS",
    "FeatureSpec",
    "LabelSpec",
    "PublishedFigure",
    "StudyFeatures",
    "TaskSpec",
    "get_task",
    "study_features",
]


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """One model input: canonical column name, words for explanations, unit and codes."""

    name: str
    label: str
    unit: str | None = None
    codes: Mapping[float, str] | None = None

    @property
    def is_coded(self) -> bool:
        return self.codes is not None

    def describe(self, value: float | None) -> str:
        """The input in words: ``"age 67 years"``, ``"chest pain: asymptomatic"``."""
        if value is None or math.isnan(value):
            return f"{self.label} (missing)"
        if self.codes is not None:
            return f"{self.label}: {self.codes.get(float(value), f'code {value:g}')}"
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.label} {value:g}{unit}"


@dataclass(frozen=True, slots=True)
class LabelSpec:
    """Which column holds the outcome and which of its values count as positive (abnormal)."""

    column: str
    positive: tuple[float, ...]
    negative: tuple[float, ...]
    meaning: str


@dataclass(frozen=True, slots=True)
class PublishedFigure:
    """A published result on the same data, to compare against (never to tune on)."""

    metric: str
    value: float
    source: str


@dataclass(frozen=True, slots=True)
class TaskSpec:
    """A prediction task: its question, inputs, outcome and the public data it is trained on."""

    name: str
    title: str
    question: str
    features: tuple[FeatureSpec, ...]
    label: LabelSpec
    data: str
    headerless_columns: tuple[str, ...] = ()
    published: tuple[PublishedFigure, ...] = ()
    from_study: bool = False
    leakage_excluded: Mapping[str, str] = field(default_factory=dict)
    outcome: str = "an abnormal result"  # what the probability is of, as a report line says it

    @property
    def needs_exercise(self) -> bool:
        """True when the task's inputs include exercise-test variables."""
        return any(f.name in _EXERCISE_NAMES for f in self.features)

    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.features)

    def feature(self, name: str) -> FeatureSpec:
        return next(f for f in self.features if f.name == name)


_NO_YES = MappingProxyType({0.0: "no", 1.0: "yes"})

# Cleveland codes, from heart-disease.names.
_CLINICAL = (
    FeatureSpec("age", "age", "years"),
    FeatureSpec("sex", "sex", codes=MappingProxyType({0.0: "female", 1.0: "male"})),
    FeatureSpec(
        "cp",
        "chest pain",
        codes=MappingProxyType(
            {1.0: "typical angina", 2.0: "atypical angina", 3.0: "non-anginal pain", 4.0: "asymptomatic"}
        ),
    ),
    FeatureSpec("trestbps", "resting systolic BP", "mmHg"),
    FeatureSpec("chol", "total cholesterol", "mg/dL"),
    FeatureSpec("fbs", "fasting glucose > 120 mg/dL", codes=_NO_YES),
    FeatureSpec(
        "restecg",
        "resting ECG",
        codes=MappingProxyType({0.0: "normal", 1.0: "ST-T abnormality", 2.0: "left ventricular hypertrophy"}),
    ),
)
_EXERCISE = (
    FeatureSpec("thalach", "peak heart rate", "bpm"),
    FeatureSpec("exang", "exercise-induced angina", codes=_NO_YES),
    FeatureSpec("oldpeak", "exercise ST depression", "mm"),
    FeatureSpec(
        "slope",
        "peak-exercise ST slope",
        codes=MappingProxyType({1.0: "upsloping", 2.0: "horizontal", 3.0: "downsloping"}),
    ),
)
_EXERCISE_NAMES = frozenset(f.name for f in _EXERCISE)
_CLEVELAND_COLUMNS = (
    "age", "sex", "cp", "trestbps", "chol", "fbs", "restecg",
    "thalach", "exang", "oldpeak", "slope", "ca", "thal", "num",
)  # fmt: skip
_ABNORMAL_PERFUSION = LabelSpec(
    column="thal",
    positive=(6.0, 7.0),
    negative=(3.0,),
    meaning="abnormal thallium perfusion scan (thal 6 fixed or 7 reversible defect; 3 normal)",
)
# Both are measured after the perfusion result is known, or are the angiographic outcome.
_CLEVELAND_LEAKAGE = MappingProxyType(
    {
        "ca": "vessels seen at fluoroscopy (angiography): measured after imaging",
        "num": "angiographic diagnosis: the downstream outcome",
    }
)
_CLEVELAND_DATA = "UCI Heart Disease, Cleveland Clinic (303 patients, 1981-1984; Detrano et al. 1989)"

_SPECTF_FEATURES = tuple(
    FeatureSpec(f"F{roi}{phase[0].upper()}", f"ROI {roi} {phase} counts")
    for roi in range(1, 23)
    for phase in ("rest", "stress")
)

TASKS: Mapping[str, TaskSpec] = MappingProxyType(
    {
        task.name: task
        for task in (
            TaskSpec(
                name="pretest-abnormal-perfusion",
                title="Probability of an abnormal perfusion scan, from clinical and exercise-ECG data",
                question="How likely is this patient's perfusion scan to be abnormal, before the images "
                "are read? (stress-first protocols: can the rest scan be skipped?)",
                features=_CLINICAL + _EXERCISE,
                label=_ABNORMAL_PERFUSION,
                data=_CLEVELAND_DATA,
                headerless_columns=_CLEVELAND_COLUMNS,
                from_study=True,
                leakage_excluded=_CLEVELAND_LEAKAGE,
                outcome="an abnormal perfusion scan",
            ),
            TaskSpec(
                name="pretest-clinical-abnormal-perfusion",
                title="Probability of an abnormal perfusion scan, from clinical data only",
                question="How likely is the perfusion scan to be abnormal, from data known before any "
                "stress test (pharmacologic stress, or scheduling)?",
                features=_CLINICAL,
                label=_ABNORMAL_PERFUSION,
                data=_CLEVELAND_DATA,
                headerless_columns=_CLEVELAND_COLUMNS,
                from_study=True,
                leakage_excluded=_CLEVELAND_LEAKAGE,
                outcome="an abnormal perfusion scan",
            ),
            TaskSpec(
                name="spectf-abnormal",
                title="Normal/abnormal SPECT study from 44 rest/stress ROI count features",
                question="Is this SPECT study abnormal, judged from regional rest and stress counts?",
                features=_SPECTF_FEATURES,
                label=LabelSpec(
                    column="OVERALL_DIAGNOSIS",
                    positive=(1.0,),
                    negative=(0.0,),
                    meaning="overall cardiologist diagnosis of the SPECT study (1 abnormal, 0 normal)",
                ),
                data="UCI SPECTF Heart (267 patients; fixed split 80 train / 187 test; Kurgan et al. 2001)",
                outcome="a SPECT study read as abnormal",
                published=(
                    PublishedFigure(
                        "accuracy",
                        0.77,
                        "Kurgan LA et al., Artif Intell Med 2001;23:149-169 (CLIP3, SPECTF test split)",
                    ),
                ),
            ),
        )
    }
)


def get_task(name: str) -> TaskSpec:
    """The task registered under ``name``; ConfigError naming the known tasks otherwise."""
    try:
        return TASKS[name]
    except KeyError:
        raise ConfigError(f"unknown risk task {name!r}; known tasks: {', '.join(TASKS)}") from None


# --- Study -> features ---------------------------------------------------------------------

_CHEST_PAIN_CODE = MappingProxyType(
    {"typical angina": 1.0, "atypical angina": 2.0, "non-anginal pain": 3.0, "asymptomatic": 4.0}
)
# Cleveland restecg: 0 normal, 1 ST-T abnormality, 2 LVH (Estes). Patterns with no Cleveland
# equivalent stay missing rather than being forced into a code the model never saw for them.
_RESTECG_CODE = MappingProxyType(
    {
        BaselineEcg.NORMAL: 0.0,
        BaselineEcg.NONSPECIFIC_ST_T: 1.0,
        BaselineEcg.RESTING_ST_DEPRESSION: 1.0,
        BaselineEcg.DIGOXIN: 1.0,
        BaselineEcg.LVH_STRAIN: 2.0,
    }
)
_ANGINA_CODE = MappingProxyType({"none": 0.0, "non-limiting": 1.0, "limiting": 1.0})
_SLOPE_CODE = MappingProxyType({"upsloping": 1.0, "horizontal": 2.0, "downsloping": 3.0})
# Cleveland fbs is "fasting blood sugar > 120 mg/dl".
_FBS_THRESHOLD_MG_DL = 120.0


@dataclass(frozen=True, slots=True)
class StudyFeatures:
    """Feature values taken from a Study; ``missing`` says why each absent value is absent."""

    values: Mapping[str, float | None]
    missing: Mapping[str, str]


def study_features(task: TaskSpec, study: Study) -> StudyFeatures:
    """The task's inputs read from a Study: the one place where Study fields meet model columns.

    Exercise variables (peak HR, exercise angina, ST depression and slope) are taken only from
    an exercise test: a vasodilator stress test does not produce comparable values.
    """
    if not task.from_study:
        raise ConfigError(
            f"model task {task.name!r} needs inputs a Study does not carry ({task.data}); "
            "give them as a CSV with --data"
        )
    if study.stress is None:
        raise ConfigError(
            f"model task {task.name!r} needs a stress test; a rest-redistribution (viability) study has none"
        )
    stress, clinical = study.stress, study.clinical
    glucose = clinical.fasting_glucose_mg_dl
    values: dict[str, float | None] = {
        "age": float(study.patient.age_years),
        "sex": 1.0 if study.patient.sex is Sex.MALE else 0.0,
        "cp": None if clinical.chest_pain_type is None else _CHEST_PAIN_CODE[clinical.chest_pain_type.value],
        "trestbps": stress.rest_sbp_mmhg,
        "chol": clinical.total_cholesterol_mg_dl,
        "fbs": None if glucose is None else float(glucose > _FBS_THRESHOLD_MG_DL),
        "restecg": _RESTECG_CODE.get(stress.baseline_ecg),
    }
    missing: dict[str, str] = {}
    if values["restecg"] is None:
        missing["restecg"] = (
            f"baseline ECG '{stress.baseline_ecg.value}' has no equivalent in the training data's coding"
        )
    if stress.is_exercise:
        values["thalach"] = stress.peak_hr_bpm
        values["exang"] = None if stress.angina is None else _ANGINA_CODE[stress.angina.value]
        values["oldpeak"] = stress.st_depression_mm
        values["slope"] = None if stress.st_slope is None else _SLOPE_CODE[stress.st_slope.value]
    else:
        for name in ("thalach", "exang", "oldpeak", "slope"):
            values[name] = None
            missing[name] = "not an exercise stress test"
    wanted = {name: values[name] for name in task.feature_names}
    for name, value in wanted.items():
        if value is None and name not in missing:
            missing[name] = "not recorded in the study"
    kept = {name: reason for name, reason in missing.items() if name in wanted}
    return StudyFeatures(values=MappingProxyType(wanted), missing=MappingProxyType(kept))
