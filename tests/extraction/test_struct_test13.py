"""struct_test13 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set; each test names the mechanism it checks, and most
have a control where the value must still be read. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest

# The technique line of a myocardial perfusion study: the reports below are perfusion studies unless said otherwise.
_MPI = "Technique: Rest/stress Tc-99m sestamibi gated SPECT.\n"


def _value(out: dict[str, Any], section: str, field: str) -> Any:
    item = out[section][field]
    return None if item is None else item["value"]


# --- a test dated months before this study, in the reason for it, is an earlier test --------------------------------


def test_an_echo_dated_earlier_in_the_same_year_is_the_history(structure: Any) -> None:
    """'Echo 03/2024 showed an EF of 45%' in the reason of a study of 07/2024: the echo's, not this study's."""
    out = structure(
        "Study date: 07/22/2024\n"
        "Indication: Dyspnoea on exertion. Echo 03/2024 showed an ejection fraction of 45% and normal wall motion.\n"
        + _MPI
        + "Findings: Normal perfusion. Gated LVEF 63%.\nImpression: Normal study.\n"
    )
    assert _value(out, "function", "lvef_percent") == 63


def test_an_echo_of_the_month_of_the_study_is_not_made_earlier(structure: Any) -> None:
    """Control: a month-year equal to the study's month is not an earlier one (the value is read as before). (A stress
    test, not an echo: a value of another imaging test named in its sentence, "Echo 07/2024 showed ...", stays history
    whatever its date, as the gold of every set has it; struct26.)"""
    out = structure(
        "Study date: 07/22/2024\n"
        "Indication: Dyspnoea on exertion. Stress test 07/2024 showed an ejection fraction of 45%.\n"
        + _MPI
        + "Impression: Normal perfusion.\n"
    )
    assert _value(out, "function", "lvef_percent") == 45


# --- a recommended perfusion study is no perfusion study -------------------------------------------------------------


def test_a_treadmill_ecg_report_recommending_perfusion_imaging_has_no_perfusion_result(structure: Any) -> None:
    """An ECG-only treadmill test whose impression advises nuclear imaging: its verdict is the ECG's."""
    out = structure(
        "Exercise ECG stress test\nDate: 04/02/2025\n"
        "Indication: Atypical chest pain.\n"
        "Exercise: Bruce protocol for 6 minutes. Peak heart rate 140 bpm.\n"
        "ECG: 1.5 mm downsloping ST depression in V5-V6.\n"
        "Conclusion: Positive exercise treadmill test. Suggest myocardial perfusion scan for localisation.\n"
    )
    assert out["perfusion"]["result"] is None
    assert out["perfusion"]["defects"] == []


def test_a_perfusion_study_with_a_recommendation_keeps_its_result(structure: Any) -> None:
    """Control: a perfusion study that also advises something keeps its own perfusion verdict."""
    out = structure(
        _MPI + "Findings: Normal myocardial perfusion.\nImpression: Normal study. Recommend risk factor control.\n"
    )
    assert _value(out, "perfusion", "result") == "normal"


# --- a formula's result is the value, not its first term --------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Duke treadmill score = 6 - (5 x 2) - (4 x 1) = -8", -8),
        ("DTS: 11 - 5*0 - 4*0 = 11", 11),
        ("Duke treadmill score: 7.5", 7.5),  # control: no formula
    ],
)
def test_the_result_of_a_written_formula_is_the_value(structure: Any, line: str, expected: float) -> None:
    text = "Exercise stress test: Bruce protocol, 7 minutes.\n" + line + "\nImpression: Abnormal ECG response.\n"
    out = structure(text)
    assert _value(out, "stress_test", "duke_treadmill_score") == expected


# --- a prior study's finding put down to an artifact is no prior defect ----------------------------------------------


def test_a_prior_finding_attributed_to_attenuation_is_no_historical_defect(structure: Any) -> None:
    out = structure(
        _MPI + "Findings: Normal perfusion.\n"
        "Comparison: A study on 02/03/2020 showed a mild fixed inferior defect that was attributed to diaphragmatic "
        "attenuation.\nImpression: Normal study.\n"
    )
    assert out["perfusion"]["defects"] == []


def test_a_prior_defect_without_an_artifact_stays_historical(structure: Any) -> None:
    """Control: the prior study's reversible defect, told without an artifact, is a historical defect."""
    out = structure(
        _MPI + "Findings: Normal perfusion.\n"
        "Comparison: A study on 02/03/2020 showed a mild reversible inferior defect.\nImpression: Normal study.\n"
    )
    assert [(d["walls"], d["certainty"]) for d in out["perfusion"]["defects"]] == [(["inferior"], "historical")]


# --- a column's unit in parentheses is no aside -----------------------------------------------------------------------


def test_a_table_row_with_the_unit_in_the_label_gives_the_ejection_fractions(structure: Any) -> None:
    out = structure(
        "| Item | Result |\n|---|---|\n| Tracer | Tc-99m sestamibi |\n| Stress EF (%) | 38 |\n| Rest EF (%) | 44 |\n"
        "IMPRESSION: Abnormal perfusion study with a fixed inferior defect.\n"
    )
    assert _value(out, "function", "lvef_percent") == 38
    assert _value(out, "function", "rest_lvef_percent") == 44


def test_an_aside_in_parentheses_is_still_skipped(structure: Any) -> None:
    """Control: 'LVEF (outside echo) 45%' is an aside; the gated value is the study's."""
    out = structure(_MPI + "Findings: Normal perfusion. LVEF (outside echo) 45%. Gated LVEF 58%.\n")
    assert _value(out, "function", "lvef_percent") == 58


# --- 'Indic:' abbreviates the indication header ----------------------------------------------------------------------


def test_the_abbreviated_indication_header(structure: Any) -> None:
    out = structure("Exam: Exercise MPI\nIndic: SOB, abnormal resting ECG\n" + _MPI + "Imp: Normal study.\n")
    assert _value(out, "study", "indication") == "SOB, abnormal resting ECG"
