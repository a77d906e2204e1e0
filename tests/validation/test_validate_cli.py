"""``ncreport validate-site`` on folders: pairing, per-pair errors, the page and its JSON, the exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from reporter.cli import app

runner = CliRunner()


def test_validate_site_writes_the_page_and_the_json_and_lists_what_it_could_not_pair(
    site_folders: tuple[Path, Path], tmp_path: Path
) -> None:
    studies, reports = site_folders
    out = tmp_path / "validation.html"
    result = runner.invoke(app, ["validate-site", "--studies", str(studies), "--reports", str(reports),
                                 "-o", str(out), "--operator", "QA lead"])
    assert result.exit_code == 0, result.output
    v = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert v["unmatched"] == {"studies_without_report": ["orphan_study.json"],
                              "reports_without_study": ["orphan_report.txt"]}
    assert [e["pair"] for e in v["errors"]] == ["broken"]
    assert v["errors"][0]["error"].startswith("[E101]")
    assert (v["pairs"], v["compared_pairs"]) == (11, 10)
    assert v["record"]["operator"] == "QA lead"
    assert len(v["record"]["inputs"]) == 11
    page = out.read_text(encoding="utf-8")
    assert "<svg" in page and "contra_lvef_mts_1605" in page and "orphan_report.txt" in page
    assert "--thresholds" in page
    assert "10 of 11 pairs compared, 17 disagreement(s), 1 pair(s) not read" in result.output


def test_validate_site_qualifies_a_named_backend_and_scores_the_labelled_sample(
    data_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "v.html"
    site = tmp_path / "site.json"
    site.write_text(json.dumps({"flag_severity": {"G507": "info"}}), encoding="utf-8")
    result = runner.invoke(app, [
        "validate-site", "--studies", str(data_dir / "studies"), "--reports", str(data_dir / "reports"),
        "--labelled", str(data_dir / "labelled"), "--site-config", str(site), "--llm", "fake", "-o", str(out),
    ])
    assert result.exit_code == 0, result.output
    v = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert [(b["backend"], b["qualified"]) for b in v["llm"]] == [("fake.v1", True)]
    assert v["record"]["models"] == [{"backend": "fake.v1", "model": "scripted", "weights_sha256": None}]
    assert v["record"]["site_config"] == {"flag_severity": {"G507": "info"}}
    assert v["structuring"]["reports"] == 2
    assert "fake.v1 (scripted): qualified" in result.output


def test_validate_site_refuses_folders_with_no_pair(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "r").mkdir()
    result = runner.invoke(app, ["validate-site", "--studies", str(tmp_path / "s"), "--reports", str(tmp_path / "r"),
                                 "-o", str(tmp_path / "v.html")])
    assert result.exit_code == 2
    assert "[E102]" in result.output


def test_validate_site_refuses_a_bad_site_configuration(data_dir: Path, tmp_path: Path) -> None:
    site = tmp_path / "site.json"
    site.write_text(json.dumps({"flag_severity": {"G999": "warning"}}), encoding="utf-8")
    result = runner.invoke(app, ["validate-site", "--studies", str(data_dir / "studies"), "--reports",
                                 str(data_dir / "reports"), "--site-config", str(site), "-o", str(tmp_path / "v.html")])
    assert result.exit_code == 2
    assert "[E104]" in result.output and "flag_severity.G999" in result.output
