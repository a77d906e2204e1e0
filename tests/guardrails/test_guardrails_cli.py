"""verify and qa commands: outputs and exit codes (0 clean, 1 error flag, 2 bad input)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from reporter.cli.check import qa_command, verify_command

app = typer.Typer()
app.command("verify")(verify_command)
app.command("qa")(qa_command)
runner = CliRunner()


def _verify(examples_dir: Path, text_path: Path, *extra: str) -> object:
    study = str(examples_dir / "spect_lad_ischemia.json")
    return runner.invoke(app, ["verify", "--study", study, "--text", str(text_path), *extra])


def test_verify_exit_0_on_a_clean_text(tmp_path: Path, examples_dir: Path) -> None:
    path = tmp_path / "ok.txt"
    path.write_text("Normal left ventricular systolic function (LVEF 55%).", encoding="utf-8")
    result = _verify(examples_dir, path)
    assert result.exit_code == 0  # type: ignore[attr-defined]


def test_verify_exit_1_and_json_flags(tmp_path: Path, examples_dir: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("Post-stress LVEF is 45%.", encoding="utf-8")
    result = _verify(examples_dir, path, "--json")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    flags = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert [(f["code"], f["span"]) for f in flags] == [("G101", [20, 23])]


def test_verify_exit_2_on_bad_input(tmp_path: Path, examples_dir: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (1024 * 1024 + 1))
    from reporter.errors import InputTooLargeError, NotFoundError

    result = _verify(examples_dir, big)
    assert isinstance(result.exception, InputTooLargeError)  # type: ignore[attr-defined]
    assert result.exception.exit_code == 2  # type: ignore[attr-defined]
    result = _verify(examples_dir, tmp_path / "missing.txt")
    assert isinstance(result.exception, NotFoundError)  # type: ignore[attr-defined]
    assert result.exception.exit_code == 2  # type: ignore[attr-defined]


def test_ncreport_verify_maps_input_errors_to_exit_2(tmp_path: Path, examples_dir: Path) -> None:
    from reporter.cli import app

    result = runner.invoke(
        app,
        ["verify", "--study", str(examples_dir / "spect_lad_ischemia.json"), "--text", str(tmp_path / "missing.txt")],
    )
    assert result.exit_code == 2


def test_verify_reads_invalid_utf8_with_a_warning(tmp_path: Path, examples_dir: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Normal left ventricular systolic function (LVEF 55%) \xe9.".encode("latin-1"))
    result = _verify(examples_dir, path)
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert "not valid UTF-8" in result.stderr  # type: ignore[attr-defined]


def test_qa_batch_to_csv_keeps_going_after_a_bad_file(reports_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "qa.csv"
    result = runner.invoke(app, ["qa", str(reports_dir), "--out", str(out)])
    assert result.exit_code == 0
    rows = out.read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[0] for r in rows[1:]] == ["a.txt", "b.txt", "c.txt"]


def test_qa_batch_to_html(reports_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "qa.html"
    assert runner.invoke(app, ["qa", str(reports_dir), "--out", str(out)]).exit_code == 0
    assert "<svg" in out.read_text(encoding="utf-8")


def test_qa_single_report_to_terminal(reports_dir: Path) -> None:
    result = runner.invoke(app, ["qa", str(reports_dir / "a.txt")])
    assert result.exit_code == 0
    assert "G902" in result.stdout


def test_qa_refuses_an_unknown_output_format(reports_dir: Path, tmp_path: Path) -> None:
    from reporter.errors import InputFormatError

    result = runner.invoke(app, ["qa", str(reports_dir), "--out", str(tmp_path / "qa.pdf")])
    assert isinstance(result.exception, InputFormatError)


def test_verify_text_takes_the_site_thresholds() -> None:
    from reporter.domain.thresholds import Thresholds
    from reporter.inputs import parse_study
    from reporter.service.checking import verify_text

    study = json.loads((Path(__file__).resolve().parents[2] / "examples" / "spect_normal_exercise.json").read_text())
    study["function"]["stress_lvef_percent"] = 52  # a woman: below the default limit of 54 %
    facts = parse_study(json.dumps(study))
    text = "Normal left ventricular systolic function (LVEF 52%)."
    assert [(f.code.value, f.severity.value) for f in verify_text(text, facts)] == [("G602", "error")]
    assert verify_text(text, facts, thresholds=Thresholds(lvef_lower_normal_female=50)) == []
