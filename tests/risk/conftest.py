"""Fixtures for the decision-support tests: the real UCI files and small models trained on them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from reporter.domain.study import Study
from reporter.risk.datasets import load_table
from reporter.risk.features import get_task
from reporter.risk.model import RiskModel
from reporter.risk.training import TrainingResult, train_and_save

if TYPE_CHECKING:
    import pandas as pd

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
RAW = SHARED / "data" / "raw"
CLEVELAND = RAW / "uci_heart_disease_cleveland" / "processed.cleveland.data"
CLEVELAND_WITH_HEADER = RAW / "uci_heart_disease_cleveland" / "processed_cleveland_with_header.csv"
SPECTF_TRAIN = RAW / "uci_spect_heart" / "spectf_train.csv"
SPECTF_TEST = RAW / "uci_spect_heart" / "spectf_test.csv"

# Small and fast: 50 trees, 5 folds, one thread (deterministic).
SMALL = {"n_estimators": 50}
FOLDS = 5


@pytest.fixture(scope="session")
def cleveland() -> Path:
    return CLEVELAND


@pytest.fixture(scope="session")
def cleveland_with_header() -> Path:
    return CLEVELAND_WITH_HEADER


@pytest.fixture(scope="session")
def spectf_train() -> Path:
    return SPECTF_TRAIN


@pytest.fixture(scope="session")
def spectf_test() -> Path:
    return SPECTF_TEST


@pytest.fixture(scope="session")
def cleveland_features() -> pd.DataFrame:
    return load_table(CLEVELAND, get_task("pretest-abnormal-perfusion")).features


@pytest.fixture(scope="session")
def pretest_trained(tmp_path_factory: pytest.TempPathFactory) -> TrainingResult:
    out = tmp_path_factory.mktemp("models") / "pretest"
    return train_and_save("pretest-abnormal-perfusion", CLEVELAND, out, folds=FOLDS, model_params=SMALL)


@pytest.fixture(scope="session")
def spectf_trained(tmp_path_factory: pytest.TempPathFactory) -> TrainingResult:
    out = tmp_path_factory.mktemp("models") / "spectf"
    return train_and_save("spectf-abnormal", SPECTF_TRAIN, out, holdout=SPECTF_TEST, folds=FOLDS, model_params=SMALL)


@pytest.fixture(scope="session")
def pretest_model(pretest_trained: TrainingResult) -> RiskModel:
    return RiskModel.load(pretest_trained.directory)


def study_dict(**stress: Any) -> dict[str, Any]:
    return {
        "patient": {"age_years": 67, "sex": "male"},
        "clinical": {
            "indication": "Chest pain on exertion.",
            "chest_pain_type": "asymptomatic",
            "total_cholesterol_mg_dl": 286,
            "fasting_glucose_mg_dl": 100,
        },
        "procedure": {
            "modality": "SPECT",
            "protocol": "rest-stress",
            "tracers": [
                {"tracer": "Tc-99m sestamibi", "phase": "rest"},
                {"tracer": "Tc-99m sestamibi", "phase": "stress"},
            ],
        },
        "stress": {
            "rest_sbp_mmhg": 160,
            "rest_dbp_mmhg": 90,
            "baseline_ecg": "LVH with repolarization abnormality",
            **stress,
        },
        "perfusion": {"summed_stress_score": 0},
    }


@pytest.fixture
def exercise_study_dict() -> dict[str, Any]:
    """Cleveland row 2 (67-year-old man, asymptomatic, BP 160, chol 286, LVH) as Study JSON."""
    return study_dict(
        type="exercise",
        peak_hr_bpm=108,
        angina="limiting",
        st_depression_mm=1.5,
        st_slope="horizontal",
    )


@pytest.fixture
def exercise_study(exercise_study_dict: dict[str, Any]) -> Study:
    return Study.model_validate(exercise_study_dict)


@pytest.fixture
def pharmacologic_study() -> Study:
    return Study.model_validate(study_dict(type="pharmacologic", agent="regadenoson"))


@pytest.fixture
def site_csv(tmp_path: Path) -> Path:
    """A site's own CSV: other column names, words for sex, a text outcome, one missing value."""
    path = tmp_path / "site.csv"
    path.write_text(
        "AgeYears,Sex,ChestPain,SBP,Chol,FBS,ECG,SPECT\n"
        "63,M,1,145,233,1,2,abnormal\n"
        "67,M,4,160,,0,2,normal\n"
        "41,F,2,130,204,0,2,normal\n"
        "57,F,4,120,354,0,0,not read\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def site_mapping() -> dict[str, Any]:
    return {
        "columns": {
            "age": "AgeYears",
            "sex": "Sex",
            "cp": "ChestPain",
            "trestbps": "SBP",
            "chol": "Chol",
            "fbs": "FBS",
            "restecg": "ECG",
        },
        "values": {"sex": {"M": 1, "F": 0}},
        "label": {"column": "SPECT", "positive": ["abnormal"], "negative": ["normal"]},
        "missing": ["", "not read"],
    }
