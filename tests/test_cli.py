"""The ncreport command line, run in-process through Typer's test runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reporter.cli import app

runner = CliRunner()


def test_draft_prints_a_text_report(examples_dir: Path) -> None:
    result = runner.invoke(app, ["draft", str(examples_dir / "spect_lad_ischemia.json"), "--llm", "none"])
    assert result.exit_code == 0
    assert "\nIMPRESSION\n1. Abnormal myocardial perfusion: medium-sized reversible defect" in result.stdout


def test_draft_html_to_file(examples_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(
        app,
        [
            "draft",
            str(examples_dir / "spect_normal_exercise.json"),
            "--format",
            "html",
            "-o",
            str(out),
            "--llm",
            "none",
        ],
    )
    assert result.exit_code == 0
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_draft_json(examples_dir: Path) -> None:
    result = runner.invoke(
        app, ["draft", str(examples_dir / "spect_normal_cac_450.json"), "--format", "json", "--llm", "none"]
    )
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert [s["key"] for s in report["sections"]][-1] == "impression"


def test_bad_study_exits_2_naming_the_fields(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    source = json.loads((Path(__file__).resolve().parents[1] / "examples" / "spect_normal_exercise.json").read_text())
    source["function"]["stress_lvef_percent"] = 150
    source["stress"]["type"] = "treadmill"
    bad.write_text(json.dumps(source))
    result = runner.invoke(app, ["draft", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: [E101] bad.json is not a valid study (2 problem(s))",
        "  - stress.type: Input should be 'exercise', 'pharmacologic' or 'exercise+pharmacologic' (got 'treadmill')",
        "  - function.stress_lvef_percent: Input should be less than or equal to 100 (got 150)",
    ]


def test_not_json_and_missing_file_exit_2(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("not json")
    result = runner.invoke(app, ["draft", str(tmp_path / "x.json")])
    assert (result.exit_code, result.stderr) == (
        2,
        "error: [E102] x.json is not valid JSON: Expecting value at line 1, column 1\n",
    )
    result = runner.invoke(app, ["draft", str(tmp_path / "missing.json")])
    assert result.exit_code == 2
    assert "[E201]" in result.stderr


def test_validate_reports_each_file(examples_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "empty.json").write_text("")
    result = runner.invoke(
        app, ["validate", str(examples_dir / "spect_normal_exercise.json"), str(tmp_path / "empty.json")]
    )
    assert result.exit_code == 2
    assert result.stdout.splitlines()[-2:] == [f"{tmp_path / 'empty.json'}: INVALID", "[E102] empty.json is empty"]


def test_schema_of_the_study(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema", "study"])
    schema = json.loads(result.stdout)
    assert schema["title"] == "Study"
    assert sorted(schema["required"]) == ["clinical", "patient", "perfusion", "procedure"]
    assert schema["else"] == {"required": ["stress"]}  # stress is optional for rest-redistribution only


def test_site_thresholds_file_with_unknown_key_is_refused(examples_dir: Path, tmp_path: Path) -> None:
    site = tmp_path / "site.json"
    site.write_text('{"tid_upper": 1.2}')
    result = runner.invoke(app, ["draft", str(examples_dir / "spect_lad_ischemia.json"), "--thresholds", str(site)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1] == "  - tid_upper: Extra inputs are not permitted"  # value withheld


def test_demo_drafts_all_examples(examples_dir: Path) -> None:
    result = runner.invoke(app, ["demo", str(examples_dir), "--llm", "none"])
    assert result.exit_code == 0
    assert "8 example studies drafted" in result.stderr
    assert "MYOCARDIAL PERFUSION IMAGING REPORT" in result.stdout
