"""validate-site on DICOM studies: read by the ingest use-case, paired by name, a malformed one listed as unread."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reporter.cli import app
from reporter.errors import InputFormatError
from reporter.service.interop import study_from_dicom

runner = CliRunner()
STROKE_VOLUME = "measurement code not mapped to a Study field: Stroke Volume (90096001, SCT)"


def test_dicom_studies_are_paired_by_name_and_a_malformed_one_is_listed_with_its_reason(
    dicom_site: tuple[Path, Path], tmp_path: Path
) -> None:
    studies, reports = dicom_site
    out = tmp_path / "v.html"
    result = runner.invoke(app, ["validate-site", "--studies", str(studies), "--reports", str(reports), "-o", str(out)])
    assert result.exit_code == 0, result.output
    v = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert (v["pairs"], v["compared_pairs"]) == (5, 2)
    assert v["errors"] == [
        {
            "pair": "conflict",
            "error": "[E102] conflict/: the DICOM files and the supplement disagree\n"
            "  - procedure.modality: given by both with different values",
        },
        {"pair": "empty", "error": "[E102] empty/ holds no .dcm file"},
        {"pair": "truncated", "error": "[E102] truncated.dcm is truncated (element (7FE0,0010) is cut short)"},
    ]
    assert v["reading_warnings"] == [
        {"pair": "lad_dicom", "warning": f"results_sr.dcm: {STROKE_VOLUME}"},
        {"pair": "lad_sr", "warning": f"lad_sr.dcm: {STROKE_VOLUME}"},
    ]
    compared = {a["element"]: (a["compared"], a["agree"]) for a in v["agreement"]}
    assert (compared["ischemia"], compared["lvef_grade"]) == ((2, 2), (2, 2))
    # The signed text calls the three-segment LAD defect small: medium by its segment count, small by its summed
    # stress score as % of the LV (under 10%); ASNC 2018 gives both conventions, so no G302.
    assert [(f["code"], f["count"]) for f in v["flags"]["by_code"]] == [("G507", 2)]
    inputs = v["record"]["inputs"]
    assert [(i["pair"], len(i["study_sha256"])) for i in inputs] == [
        ("conflict", 64),
        ("empty", 0),
        ("lad_dicom", 64),
        ("lad_sr", 64),
        ("truncated", 64),
    ]  # unread: by their bytes
    assert "2 of 5 pairs compared, 0 disagreement(s), 3 pair(s) not read" in result.output
    assert "truncated.dcm is truncated" in out.read_text(encoding="utf-8")


def test_a_dicom_study_is_completed_by_its_supplement(measurement_sr: Any, spect_groups: Any, nm_image: Any) -> None:
    files = [measurement_sr(spect_groups), nm_image("rest", mbq="370", start="20260502081500"), nm_image("stress")]
    study, warnings = study_from_dicom(
        files,
        {
            "clinical": {"indication": "Exertional chest pain."},
            "stress": {"type": "pharmacologic", "agent": "regadenoson"},
        },
    )
    assert (study.perfusion.summed_stress_score, study.perfusion.summed_difference_score) == (6, 6)
    assert (study.procedure.protocol.value, study.stress.agent is not None, study.patient.age_years) == (
        "rest-stress",
        True,
        67,
    )
    assert warnings == (f"results_sr.dcm: {STROKE_VOLUME}",)


def test_a_dicom_study_without_the_stress_labs_data_names_what_is_missing(nm_image: Any) -> None:
    from reporter.errors import StudyValidationError

    with pytest.raises(StudyValidationError) as missing:
        study_from_dicom([nm_image("rest", mbq="370", start="20260502081500"), nm_image("stress")], what="s1/")
    assert sorted(p.field for p in missing.value.problems) == ["clinical", "perfusion", "stress"]


def test_an_identifier_in_conflict_is_named_but_never_echoed(nm_image: Any) -> None:
    with pytest.raises(InputFormatError) as conflict:
        study_from_dicom([nm_image("stress")], {"patient": {"name": "Someone^Else"}})
    assert str(conflict.value) == (
        "[E102] study: the DICOM files and the supplement disagree\n"
        "  - patient.name: given by both with different values"
    )
