"""Training, saving and explaining: xgboost JSON + manifest, honest metrics, SHAP in words."""

from __future__ import annotations

import json
import math
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reporter.domain.study import Study
from reporter.errors import NcreportError
from reporter.risk.datasets import load_table
from reporter.risk.explain import explain_rows, explain_study
from reporter.risk.features import get_task, study_features
from reporter.risk.model import RiskModel
from reporter.risk.training import TrainingResult


def test_a_model_directory_holds_json_files_a_card_and_a_plot_and_no_pickle(
    pretest_trained: TrainingResult,
) -> None:
    names = sorted(p.name for p in pretest_trained.directory.iterdir())
    assert names == ["MODEL_CARD.md", "calibration.png", "manifest.json", "model.json"]
    assert (pretest_trained.directory / "calibration.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    json.loads((pretest_trained.directory / "model.json").read_text())  # xgboost JSON


def test_the_manifest_records_task_features_data_hash_and_metrics(pretest_trained: TrainingResult) -> None:
    m = pretest_trained.manifest
    assert (m.name, m.task, m.version) == ("ncreport.risk.pretest-abnormal-perfusion", m.task, m.model_sha256[:12])
    assert [f.name for f in m.features] == list(get_task(m.task).feature_names)
    assert m.training.sha256 == "a74b7efa387bc9d108d7d0115d831fe9b414b29ae7124f331b622b4efa0427c8"
    assert (m.training.n_rows, m.training.n_positive, m.training.n_unlabelled_dropped) == (301, 135, 2)
    assert m.hyperparameters.n_estimators == 50


def test_cross_validated_metrics_against_the_logistic_baseline(pretest_trained: TrainingResult) -> None:
    cv = pretest_trained.manifest.cross_validation
    assert cv.scheme.startswith("stratified 5-fold cross-validation, seed 0")
    assert cv.logistic is not None
    observed = (cv.xgboost.auc, cv.xgboost.auc_ci_low, cv.xgboost.auc_ci_high, cv.xgboost.brier, cv.logistic.auc)
    assert observed == pytest.approx((0.8086, 0.7604, 0.8569, 0.1795, 0.8032), abs=2e-3)


def test_spectf_is_evaluated_once_on_the_fixed_test_split(spectf_trained: TrainingResult) -> None:
    holdout = spectf_trained.manifest.holdout
    assert holdout is not None and holdout.logistic is not None
    assert (holdout.data_source, holdout.xgboost.n, holdout.xgboost.n_positive) == ("spectf_test.csv", 187, 172)
    assert (holdout.xgboost.auc, holdout.xgboost.accuracy) == pytest.approx((0.7868, 0.7112), abs=2e-3)
    assert (holdout.logistic.auc, holdout.logistic.accuracy) == pytest.approx((0.7477, 0.7273), abs=2e-3)
    card = (spectf_trained.directory / "MODEL_CARD.md").read_text()
    assert "Published: accuracy 77 %" in card
    assert "Decision support, not a diagnosis." in card


def test_a_loaded_model_predicts_what_the_trained_one_did(
    pretest_trained: TrainingResult, pretest_model: RiskModel, cleveland_features: pd.DataFrame
) -> None:
    first = pretest_model.predict_proba(cleveland_features.iloc[:5])[:, 1]
    again = RiskModel.load(pretest_trained.directory).predict_proba(cleveland_features.iloc[:5])[:, 1]
    assert first.tolist() == again.tolist()


def test_shap_contributions_add_up_to_the_log_odds(pretest_model: RiskModel, cleveland_features: pd.DataFrame) -> None:
    shap, base = pretest_model.contributions(cleveland_features)
    p = pretest_model.predict_proba(cleveland_features)[:, 1]
    assert np.allclose(1 / (1 + np.exp(-(shap.sum(axis=1) + base))), p, atol=1e-6)


def test_a_tampered_model_file_is_refused(pretest_trained: TrainingResult, tmp_path: Path) -> None:
    copy = tmp_path / "model"
    shutil.copytree(pretest_trained.directory, copy)
    (copy / "model.json").write_text((copy / "model.json").read_text().replace('"50"', '"49"', 1))
    with pytest.raises(NcreportError) as info:
        RiskModel.load(copy)
    assert info.value.code == "E104"


def test_a_directory_without_a_manifest_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(NcreportError) as info:
        RiskModel.load(tmp_path)
    assert info.value.code == "E201"


def test_a_study_maps_to_the_cleveland_coding(exercise_study: Study) -> None:
    taken = study_features(get_task("pretest-abnormal-perfusion"), exercise_study)
    assert dict(taken.values) == {
        "age": 67.0, "sex": 1.0, "cp": 4.0, "trestbps": 160.0, "chol": 286.0, "fbs": 0.0, "restecg": 2.0,
        "thalach": 108.0, "exang": 1.0, "oldpeak": 1.5, "slope": 2.0,
    }  # fmt: skip
    assert dict(taken.missing) == {}


def test_explain_study_equals_the_same_patient_as_a_table_row(
    pretest_model: RiskModel, exercise_study: Study, cleveland_features: pd.DataFrame
) -> None:
    # The exercise study is Cleveland's second row written as a Study.
    from_study = explain_study(pretest_model, exercise_study)
    from_row = explain_rows(pretest_model, cleveland_features.iloc[[1]])[0]
    assert from_study == from_row
    assert from_study.probability == pytest.approx(0.7227, abs=2e-3)


def test_probability_contributions_keep_sign_and_add_up_to_the_change_from_baseline(
    pretest_model: RiskModel, exercise_study: Study
) -> None:
    e = explain_study(pretest_model, exercise_study)
    assert sum(c.probability for c in e.contributions) == pytest.approx(
        e.probability - e.baseline_probability, abs=2e-3
    )
    assert all(math.copysign(1, c.probability) == math.copysign(1, c.log_odds) for c in e.contributions if c.log_odds)
    top = e.top(1)[0]
    assert top.sentence == (f"sex: male raised the probability by {top.probability:.2f} (log-odds {top.log_odds:+.2f})")
    assert e.summary().endswith("Decision support, not a diagnosis.")


def test_missing_study_values_are_listed_with_a_reason_and_a_caution(
    cleveland: Path, pharmacologic_study: Study
) -> None:
    task = get_task("pretest-clinical-abnormal-perfusion")
    data = load_table(cleveland, task)
    model = RiskModel(task.name, n_estimators=50).fit(data.features, data.label)
    study = pharmacologic_study.model_copy(
        update={"clinical": pharmacologic_study.clinical.model_copy(update={"total_cholesterol_mg_dl": None})}
    )
    e = explain_study(model, study)
    assert [(m.feature, m.reason) for m in e.missing_inputs] == [("chol", "not recorded in the study")]
    assert e.warnings == (
        "missing input(s) never missing in the training data (total cholesterol): the model sends them "
        "down a default branch, so the probability is less reliable",
    )
    assert e.model_version.endswith("(unsaved)")


def test_an_exercise_model_refuses_a_pharmacologic_study(pretest_model: RiskModel, pharmacologic_study: Study) -> None:
    with pytest.raises(NcreportError) as info:
        explain_study(pretest_model, pharmacologic_study)
    assert (info.value.code, info.value.problems[0].field) == ("E101", "stress.type")


def test_contributions_are_exactly_shap_tree_explainer_values(
    pretest_model: RiskModel, cleveland_features: pd.DataFrame
) -> None:
    with warnings.catch_warnings():
        # shap 0.51 calls a matplotlib colormap method that matplotlib marks for deprecation.
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        import shap

    explainer = shap.TreeExplainer(pretest_model.booster_)
    expected = explainer.shap_values(cleveland_features.to_numpy(dtype=float))
    phi, base = pretest_model.contributions(cleveland_features)
    assert np.abs(expected - phi).max() < 1e-6
    assert float(explainer.expected_value) == pytest.approx(base[0], abs=1e-6)
