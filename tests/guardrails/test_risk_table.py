"""A stated risk category that the ACC-AHA-SIHD-2012 table of noninvasive risk stratification gives the study's
facts is a reading, shown as a warning with the table's words; a category the table does not give stays an error.

The rules grade any abnormal perfusion intermediate whatever its extent and an LVEF below the ASE normal limit
intermediate; the table grades a defect under 5 % of the myocardium and an LVEF of 50 % or more low risk.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flag_codes import errors

from guardrails import verify
from guardrails.facts import facts_of
from reporter.domain.rules import evaluate
from reporter.domain.study import Study

EXAMPLES = Path(__file__).parents[2] / "examples"


def _study(scores: dict[int, tuple[int, int]], **function: Any) -> Study:
    """The regadenoson SPECT example with these (stress, rest) segment scores (others 0) and function values."""
    data = json.loads((EXAMPLES / "spect_lad_ischemia.json").read_text(encoding="utf-8"))
    for seg in data["perfusion"]["segments"]:
        seg["stress"], seg["rest"] = scores.get(seg["segment"], (0, 0))
    data["perfusion"].pop("stress_tpd_percent", None)
    data["function"].update(function)
    return Study.model_validate(data)


# one mid anterior segment, stress 2 / rest 0: SDS 2 = 2.9 % of the myocardium; LVEF 55 % post-stress, 58 % at rest
SMALL = {7: (2, 0)}
# three LAD segments, stress 2 / rest 0: SDS 6 = 8.8 %
MEDIUM = {1: (2, 0), 7: (2, 0), 13: (2, 0)}
# LAD and RCA defects: several territories
TWO_TERRITORIES = {7: (2, 0), 13: (2, 0), 4: (2, 0), 10: (2, 0)}


def _table(study: Study) -> tuple[str, str] | None:
    fx = facts_of(study, evaluate(study))
    return (fx.risk_table[0], fx.risk_table[1]) if fx.risk_table else None


def _risk_flags(text: str, study: Study) -> list[str]:
    return [str(f.severity) for f in verify(text, study, scope="impression") if f.code == "G801"]


@pytest.mark.parametrize(
    ("scores", "function", "rules", "table"),
    [
        (SMALL, {}, "intermediate", ("low", "low")),
        (MEDIUM, {}, "intermediate", ("intermediate", "intermediate")),
        (TWO_TERRITORIES, {}, "high", ("high", "high")),
        ({}, {}, "low", ("low", "low")),
        # an LVEF of 48 % is intermediate in the table whatever the perfusion
        (SMALL, {"stress_lvef_percent": 48, "rest_lvef_percent": 48}, "intermediate", ("intermediate", "intermediate")),
        # an LVEF of 30 % is high in both
        (SMALL, {"stress_lvef_percent": 30, "rest_lvef_percent": 31}, "high", ("high", "high")),
        # stress-induced dilation is high in both
        (SMALL, {"tid_ratio": 1.5}, "high", ("high", "high")),
        # a post-stress ESV above 70 mL is high for the rules only: the table has no volume criterion
        ({}, {"stress_edv_ml": 160, "stress_esv_ml": 75}, "high", ("intermediate", "high")),
    ],
)
def test_the_table_reading_of_a_study(
    scores: dict[int, tuple[int, int]], function: dict[str, Any], rules: str, table: tuple[str, str]
) -> None:
    study = _study(scores, **function)
    assert str(facts_of(study, evaluate(study)).risk) == rules
    assert _table(study) == table


def test_a_defect_under_five_percent_called_low_risk_is_a_warning_with_the_tables_words() -> None:
    study = _study(SMALL)
    text = "A small area of mild anterior ischaemia. Preserved LVEF. Low risk; medical therapy."
    flags = [f for f in verify(text, study, scope="impression") if f.code == "G801"]
    assert [str(f.severity) for f in flags] == ["warning"]
    assert "ACC-AHA-SIHD-2012 table supports low risk" in flags[0].message
    assert "abnormality 2.9% of the myocardium; LVEF 55-58%" in flags[0].message


@pytest.mark.parametrize(
    ("scores", "function", "text"),
    [
        # the table gives a normal study low risk only
        ({}, {}, "Normal perfusion and function. High risk."),
        # a medium (5-9.9 %) defect is intermediate in the table, not low
        (MEDIUM, {}, "Anterior ischaemia in the LAD territory. Low risk."),
        # footnote of the table: not low with an LVEF below 35 %
        (SMALL, {"stress_lvef_percent": 30, "rest_lvef_percent": 31}, "Small anterior ischaemia; LVEF 30%. Low risk."),
        # nor with stress-induced dilation
        (SMALL, {"tid_ratio": 1.5}, "Small anterior ischaemia with TID. Low risk."),
        # ESV beyond the table: never low
        ({}, {"stress_edv_ml": 160, "stress_esv_ml": 75}, "Normal perfusion. Low risk."),
    ],
)
def test_a_category_the_table_does_not_give_stays_an_error(
    scores: dict[int, tuple[int, int]], function: dict[str, Any], text: str
) -> None:
    assert "error" in _risk_flags(text, _study(scores, **function))


def test_several_territories_called_intermediate_stay_an_error() -> None:
    assert _risk_flags("Ischaemia in the LAD and RCA territories. Intermediate risk.", _study(TWO_TERRITORIES)) == [
        "error"
    ]


def test_the_lowest_reading_leaves_out_a_bundle_branch_block_pattern(study_of: Callable[[str], Study]) -> None:
    """LBBB: a septal defect the rules read as the conduction pattern beside a small lateral ischaemia (SDS 3 of
    the SDS 6): the table's lowest reading counts the lateral defect only (4.4 %), its highest the whole SDS."""
    study = study_of("dev16_spect_regadenoson_lbbb_septal_artifact_small_lcx_ischemia_prior2023")
    assert _table(study) == ("low", "intermediate")
    text = "Septal perfusion change of the bundle branch block; small lateral ischaemia. EF 52%. Low risk."
    assert _risk_flags(text, study) == ["warning"]
    assert "G801" not in errors(text, study, scope="impression")


def _exercise(**stress: Any) -> Study:
    """The normal Bruce exercise example (9 min, no angina) with these stress values."""
    data = json.loads((EXAMPLES / "spect_normal_exercise.json").read_text(encoding="utf-8"))
    data["stress"].update(stress)
    return Study.model_validate(data)


def test_st_depression_of_two_millimetres_at_a_low_workload_lets_a_reader_call_a_normal_scan_high_risk() -> None:
    """The table's ECG criterion, a highest reading only (the images grade the study for the rules)."""
    study = _exercise(st_depression_mm=2.5, st_slope="downsloping", exercise_duration_min=3.0, mets=4.2)
    assert _table(study) == ("low", "high")
    assert _risk_flags("Normal perfusion, but 2.5 mm downsloping ST depression: high risk.", study) == ["warning"]


def test_st_depression_at_a_high_workload_with_normal_images_called_high_risk_stays_an_error() -> None:
    study = _exercise(st_depression_mm=2.5, st_slope="downsloping")  # 10.1 METs; Duke 9 - 12.5 = -3.5, intermediate
    assert _table(study) == ("low", "intermediate")
    assert _risk_flags("Normal perfusion despite the ST depression. High risk.", study) == ["error"]


def test_ventricular_tachycardia_with_stress_lets_a_reader_say_high_risk() -> None:
    study = _exercise(arrhythmias=["non-sustained ventricular tachycardia"])
    assert _table(study) == ("low", "high")
    assert _risk_flags("Normal perfusion. Runs of VT at peak exercise; high risk.", study) == ["warning"]


def test_a_normal_exercise_scan_with_a_normal_ecg_called_high_risk_stays_an_error() -> None:
    assert _risk_flags("Normal perfusion. High risk.", _exercise()) == ["error"]
