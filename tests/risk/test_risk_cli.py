"""``ncreport risk`` through Typer's test runner: tables, --json, coded errors, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reporter.cli.risk import app
from reporter.risk.training import TrainingResult

runner = CliRunner()


def test_train_writes_a_model_and_prints_its_metrics(cleveland: Path, tmp_path: Path) -> None:
    out = tmp_path / "pretest"
    args = ["train", "--data", str(cleveland), "--task", "pretest-clinical-abnormal-perfusion", "-o", str(out)]
    result = runner.invoke(app, [*args, "--trees", "20", "--folds", "3", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["name"] == "ncreport.risk.pretest-clinical-abnormal-perfusion"
    assert payload["cross_validation"]["xgboost"]["n"] == 301
    assert (out / "manifest.json").is_file()


def test_train_rejects_an_unknown_task(cleveland: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "--data", str(cleveland), "--task", "nope", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "pretest-abnormal-perfusion" in result.output


def test_predict_a_study(pretest_trained: TrainingResult, tmp_path: Path, exercise_study_dict: dict[str, Any]) -> None:
    study = tmp_path / "study.json"
    study.write_text(json.dumps(exercise_study_dict), encoding="utf-8")
    result = runner.invoke(app, ["predict", "--model", str(pretest_trained.directory), "--study", str(study)])
    assert result.exit_code == 0, result.output
    assert "sex: male" in result.stdout
    assert "Decision support, not a diagnosis." in result.stdout
    as_json = runner.invoke(app, ["predict", "-m", str(pretest_trained.directory), "-s", str(study), "--json"])
    [explanation] = json.loads(as_json.stdout)
    assert explanation["probability"] == pytest.approx(0.7227, abs=2e-3)
    assert explanation["contributions"][0]["feature"] == "sex"
    assert explanation["missing_inputs"] == []


def test_predict_rows_of_a_csv(spectf_trained: TrainingResult, spectf_test: Path) -> None:
    result = runner.invoke(
        app, ["predict", "-m", str(spectf_trained.directory), "--data", str(spectf_test), "--json", "--top", "2"]
    )
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 187


def test_evaluate_reports_auc_with_ci_and_writes_a_calibration_plot(
    spectf_trained: TrainingResult, spectf_test: Path, tmp_path: Path
) -> None:
    plot = tmp_path / "cal.png"
    args = ["evaluate", "-m", str(spectf_trained.directory), "-d", str(spectf_test), "--plot", str(plot)]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    xgb = json.loads(result.stdout)["xgboost"]
    assert (xgb["n"], xgb["auc_ci_method"]) == (187, "DeLong")
    assert xgb["auc"] == pytest.approx(0.7868, abs=2e-3)
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_drift_of_the_spectf_test_split_against_its_training_split(
    spectf_trained: TrainingResult, spectf_test: Path
) -> None:
    result = runner.invoke(app, ["drift", "-m", str(spectf_trained.directory), "-d", str(spectf_test), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["n_rows"], report["level"], report["rows_out_of_range_share"]) == (187, "major", 0.492)
    table = runner.invoke(app, ["drift", "-m", str(spectf_trained.directory), "-d", str(spectf_test)])
    assert "Siddiqi 2006" in table.stdout


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (["predict", "--model", "{empty}", "--study", "{study}"], "[E201]"),  # no manifest
        (["evaluate", "--model", "{model}", "--data", "{bad_csv}"], "[E102]"),  # missing columns
        (["drift", "--model", "{model}", "--data", "{nowhere}"], "[E201]"),  # no such file
        (["predict", "--model", "{model}", "--study", "{bad_csv}"], "[E102]"),  # not JSON
        (["predict", "--model", "{model}", "--study", "{not_a_study}"], "[E101]"),  # JSON, not a Study
        (["predict", "--model", "{model}"], "[E102]"),  # neither --study nor --data
    ],
)
def test_bad_input_prints_a_coded_error_and_exits_2_without_a_traceback(
    pretest_trained: TrainingResult, tmp_path: Path, command: list[str], code: str
) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (tmp_path / "not_a_study.json").write_text('{"patient": {"age_years": 300}}', encoding="utf-8")
    paths = {
        "empty": tmp_path / "empty",
        "model": pretest_trained.directory,
        "bad_csv": tmp_path / "bad.csv",
        "nowhere": tmp_path / "nowhere.csv",
        "study": tmp_path / "study.json",
        "not_a_study": tmp_path / "not_a_study.json",
    }
    result = runner.invoke(app, [part.format(**paths) for part in command])
    assert result.exit_code == 2
    assert result.stderr.startswith(code)
    assert "Traceback" not in result.output


def test_importing_the_cli_loads_no_heavy_library() -> None:
    code = (
        "import sys, reporter.cli.risk, reporter.risk; "
        "print(sorted(m for m in ('numpy', 'pandas', 'xgboost', 'sklearn', 'matplotlib', 'shap') "
        "if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == "[]"


def test_draft_adds_a_labelled_decision_support_line(
    pretest_trained: TrainingResult, tmp_path: Path, exercise_study_dict: dict[str, Any]
) -> None:
    from reporter.cli import app as main_app

    study = tmp_path / "study.json"
    study.write_text(json.dumps(exercise_study_dict), encoding="utf-8")
    result = CliRunner().invoke(
        main_app, ["draft", str(study), "--risk-model", str(pretest_trained.directory), "--llm", "none"]
    )
    assert result.exit_code == 0
    section = result.stdout.split("DECISION SUPPORT (MODEL OUTPUT, NOT A DIAGNOSIS)\n")[1].split("\n")[0]
    assert section.startswith("Model ncreport.risk.pretest-abnormal-perfusion (")
    assert "): probability of an abnormal perfusion scan 0.7" in section
    assert section.endswith("Decision support, not a diagnosis.")


def test_draft_leaves_the_line_out_when_inputs_are_missing(pretest_trained: TrainingResult) -> None:
    from reporter.cli import app as main_app

    examples = Path(__file__).resolve().parents[2] / "examples"
    result = CliRunner().invoke(
        main_app,
        [
            "draft",
            str(examples / "spect_normal_exercise.json"),
            "--risk-model",
            str(pretest_trained.directory),
            "--llm",
            "none",
        ],
    )
    assert result.exit_code == 0
    assert "DECISION SUPPORT" not in result.stdout
    assert result.stderr.startswith("warning: decision-support line left out: the model lacks ")


def test_predict_refuses_missing_inputs_unless_allowed(
    pretest_trained: TrainingResult, tmp_path: Path, exercise_study_dict: dict[str, Any]
) -> None:
    del exercise_study_dict["clinical"]["total_cholesterol_mg_dl"]
    study = tmp_path / "study.json"
    study.write_text(json.dumps(exercise_study_dict), encoding="utf-8")
    refused = runner.invoke(app, ["predict", "-m", str(pretest_trained.directory), "-s", str(study)])
    assert refused.exit_code == 2
    assert " ".join(refused.stderr.split()) == (  # the console wraps long lines
        "[E102] model inputs missing in the study: chol (not recorded in the study); give them, or pass "
        "--allow-missing to predict anyway"
    )
    allowed = runner.invoke(
        app, ["predict", "-m", str(pretest_trained.directory), "-s", str(study), "--json", "--allow-missing"]
    )
    assert allowed.exit_code == 0
    assert [m["feature"] for m in json.loads(allowed.stdout)[0]["missing_inputs"]] == ["chol"]


def test_draft_leaves_the_line_out_when_the_model_does_not_apply(pretest_trained: TrainingResult) -> None:
    from reporter.cli import app as main_app

    examples = Path(__file__).resolve().parents[2] / "examples"
    result = CliRunner().invoke(
        main_app,
        [
            "draft",
            str(examples / "spect_lad_ischemia.json"),
            "--risk-model",
            str(pretest_trained.directory),
            "--llm",
            "none",
        ],
    )
    assert result.exit_code == 0
    assert "DECISION SUPPORT" not in result.stdout
    assert result.stderr.startswith("warning: decision-support line left out: [E101]")
