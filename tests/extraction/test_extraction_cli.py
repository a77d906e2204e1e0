"""The ``structure`` command, driven through Typer's CliRunner on the ncreport app."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reporter.cli import app

runner = CliRunner()


def test_single_file_prints_one_json_object(report_dir: Path) -> None:
    result = runner.invoke(app, ["structure", str(report_dir / "a.txt")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["function"]["lvef_percent"]["value"] == 62


def test_folder_with_out_writes_one_json_per_report(report_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "structured"
    result = runner.invoke(app, ["structure", str(report_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json"]
    b = json.loads((out / "b.json").read_text(encoding="utf-8"))
    assert b["perfusion"]["defects"][0]["walls"] == ["inferior"]


def test_jsonl(report_dir: Path) -> None:
    result = runner.invoke(app, ["structure", str(report_dir), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["file"] for r in rows] == ["a.txt", "b.txt"]


def test_csv_has_one_row_per_report(report_dir: Path) -> None:
    result = runner.invoke(app, ["structure", str(report_dir), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["file"] for r in rows] == ["a.txt", "b.txt"]
    assert rows[1]["study.stress_agent"] == "regadenoson"
    assert rows[1]["perfusion.defect_count"] == "1"


def test_non_utf8_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Résumé: LVEF 60%. Sestamibi SPECT.\n".encode("latin-1"))
    result = runner.invoke(app, ["structure", str(path)])
    assert result.exit_code == 0, result.output
    assert "not valid UTF-8" in result.stderr
    assert json.loads(result.stdout)["function"]["lvef_percent"]["value"] == 60


def test_too_large_input_is_refused_with_its_code(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("LVEF 60%. " * 200, encoding="utf-8")
    result = runner.invoke(app, ["structure", str(path), "--max-bytes", "100"])
    assert result.exit_code == 2
    assert "[E103]" in result.stderr
    assert "Traceback" not in result.output


def test_a_limit_above_a_million_bytes_structures_the_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Gated SPECT: LVEF 64%. Normal perfusion.\n" * 30_000, encoding="utf-8")  # 1.23 MB
    result = runner.invoke(app, ["structure", str(path), "--max-bytes", "2000000"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["function"]["lvef_percent"]["value"] == 64


def test_missing_path_is_not_found(tmp_path: Path) -> None:
    result = runner.invoke(app, ["structure", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "[E201]" in result.stderr


def test_a_broken_file_does_not_stop_the_batch(report_dir: Path, tmp_path: Path) -> None:
    (report_dir / "huge.txt").write_text("x" * 500, encoding="utf-8")
    out = tmp_path / "structured"
    result = runner.invoke(app, ["structure", str(report_dir), "--out", str(out), "--max-bytes", "400"])
    assert result.exit_code == 2
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json"]
    assert "huge.txt" in result.stderr
    assert "1 of 3 report(s) failed" in result.stderr


@pytest.mark.slow  # two worker processes each build the pipeline
def test_worker_processes_give_the_same_output_in_the_same_order(report_dir: Path) -> None:
    one = runner.invoke(app, ["structure", str(report_dir), "--format", "jsonl"])
    two = runner.invoke(
        app, ["structure", str(report_dir), "--format", "jsonl", "--processes", "2", "--batch-size", "1"]
    )
    assert two.exit_code == 0, two.output
    assert [json.loads(line)["file"] for line in two.stdout.splitlines()] == ["a.txt", "b.txt"]
    assert two.stdout == one.stdout
