"""``ncreport validate-site`` on folders: pairing, per-pair errors, the page and its JSON, the exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from reporter.cli import app

runner = CliRunner()


def test_validate_site_writes_the_page_and_the_json_and_lists_what_it_could_not_pair(
    site_folders: tuple[Path, Path], tmp_path: Path
) -> None:
    studies, reports = site_folders
    out = tmp_path / "validation.html"
    result = runner.invoke(
        app,
        [
            "validate-site",
            "--studies",
            str(studies),
            "--reports",
            str(reports),
            "-o",
            str(out),
            "--operator",
            "QA lead",
        ],
    )
    assert result.exit_code == 0, result.output
    v = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert v["unmatched"] == {
        "studies_without_report": ["orphan_study.json"],
        "reports_without_study": ["orphan_report.txt"],
    }
    assert [e["pair"] for e in v["errors"]] == ["broken"]
    assert v["errors"][0]["error"].startswith("[E101]")
    assert (v["pairs"], v["compared_pairs"]) == (11, 10)
    assert v["record"]["operator"] == "QA lead"
    assert len(v["record"]["inputs"]) == 11
    page = out.read_text(encoding="utf-8")
    assert "<svg" in page and "contra_lvef_mts_1605" in page and "orphan_report.txt" in page
    assert "--thresholds" in page
    assert "10 of 11 pairs compared, 17 disagreement(s), 1 pair(s) not read" in result.output


def test_validate_site_qualifies_a_named_backend_and_scores_the_labelled_sample(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "v.html"
    site = tmp_path / "site.json"
    site.write_text(json.dumps({"flag_severity": {"G507": "info"}}), encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "validate-site",
            "--studies",
            str(data_dir / "studies"),
            "--reports",
            str(data_dir / "reports"),
            "--labelled",
            str(data_dir / "labelled"),
            "--site-config",
            str(site),
            "--llm",
            "fake",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    v = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert [(b["backend"], b["qualified"]) for b in v["llm"]] == [("fake.v1", True)]
    assert v["record"]["models"] == [
        {
            "backend": "fake.v1",
            "model": "scripted",
            "weights_sha256": None,
            "url": None,
            "qualified": True,
            "replaced": 0.0,
            "max_replaced": 0.2,
            "studies": 10,
            "sentences": 18,
            "not_qualified_because": [],
        }
    ]
    assert v["record"]["site_config"] == {"flag_severity": {"G507": "info"}}
    assert v["structuring"]["reports"] == 2
    assert "fake.v1 (scripted): qualified" in result.output


def test_validate_site_refuses_folders_with_no_pair(tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "r").mkdir()
    result = runner.invoke(
        app,
        [
            "validate-site",
            "--studies",
            str(tmp_path / "s"),
            "--reports",
            str(tmp_path / "r"),
            "-o",
            str(tmp_path / "v.html"),
        ],
    )
    assert result.exit_code == 2
    assert "[E102]" in result.output


def test_validate_site_refuses_a_bad_site_configuration(data_dir: Path, tmp_path: Path) -> None:
    site = tmp_path / "site.json"
    site.write_text(json.dumps({"flag_severity": {"G999": "warning"}}), encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "validate-site",
            "--studies",
            str(data_dir / "studies"),
            "--reports",
            str(data_dir / "reports"),
            "--site-config",
            str(site),
            "-o",
            str(tmp_path / "v.html"),
        ],
    )
    assert result.exit_code == 2
    assert "[E104]" in result.output and "flag_severity.G999" in result.output


def test_validations_add_files_validate_sites_json_and_list_shows_it(
    service_db: str, tmp_path: Path, validation_record: Any, fake_failed: dict[str, Any]
) -> None:
    out = tmp_path / "validation.json"
    out.write_text(json.dumps({"pairs": 2, "record": validation_record((fake_failed,))}), encoding="utf-8")
    filed = runner.invoke(app, ["validations", "add", str(out)])
    assert filed.exit_code == 0, filed.output
    assert filed.output.startswith(
        "validation 1 filed: 2 pairs of 2026-12-01T09:00:00+00:00 by QA lead; "
        "fake.v1 scripted: NOT qualified; record sha256 "
    )
    listed = runner.invoke(app, ["validations", "list"])
    assert listed.output == ("1\t2026-12-01T09:00:00+00:00\tQA lead\t2 pairs\tfake.v1 scripted: NOT qualified\n")
    audit = runner.invoke(app, ["audit", "verify"])
    assert audit.output.startswith("audit trail intact: 1 entries")


def test_validations_add_names_the_bad_field(service_db: str, tmp_path: Path, validation_record: Any) -> None:
    record = validation_record()
    record["operator"] = ""
    path = tmp_path / "validation.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    refused = runner.invoke(app, ["validations", "add", str(path)])
    assert refused.exit_code == 2
    assert "[E102] the validation record is not valid (1 problem(s))" in refused.output
    assert "operator: String should have at least 1 character" in refused.output
    assert runner.invoke(app, ["validations", "list"]).output == "no validation on record\n"


def test_validate_site_records_to_the_service(service_db: str, data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "v.html"
    result = runner.invoke(
        app,
        [
            "validate-site",
            "--studies",
            str(data_dir / "studies"),
            "--reports",
            str(data_dir / "reports"),
            "--llm",
            "fake",
            "-o",
            str(out),
            "--operator",
            "QA lead",
            "--record-to-service",
        ],
    )
    assert result.exit_code == 0, result.output
    v = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert v["stored"].startswith("filed in the service as validation 1 (record sha256 ")
    assert "filed in the service as validation 1" in out.read_text(encoding="utf-8")
    listed = runner.invoke(app, ["validations", "list"])
    assert listed.output.endswith("\tQA lead\t10 pairs\tfake.v1 scripted: qualified\n")
