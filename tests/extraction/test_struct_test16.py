"""struct_test16 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set; each test names the mechanism it checks, with a
control where the value must still be read. Expected values are literal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bench_modules import bench_module

REPO = Path(__file__).resolve().parents[2]

_MPI = "Technique: Stress/rest Tc-99m tetrofosmin gated SPECT.\n"


def _value(out: dict[str, Any], section: str, field: str) -> Any:
    item = out[section][field]
    return None if item is None else item["value"]


# --- ischemia named inside the stress ECG's verdict is the ECG's, not the images' ----------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The exercise ECG was positive for ischemia, but the perfusion images are normal.",
        "ECG positive for ischemia; perfusion normal, so the ECG is probably a false positive.",
    ],
)
def test_the_ecgs_positive_verdict_is_no_ischemia_of_a_normal_study(structure: Any, sentence: str) -> None:
    text = _MPI + "Conclusion: Normal myocardial perfusion. " + sentence + "\n"
    out = structure(text)
    assert _value(out, "impression", "ischemia") == "absent"
    assert _value(out, "stress_test", "ecg_response") == "ischemic"


def test_ischemia_of_the_images_beside_the_ecg_verdict_stays(structure: Any) -> None:
    text = (
        _MPI + "Findings: Moderate reversible inferior defect.\n"
        "Conclusion: Abnormal study with inferior ischemia. The stress ECG was negative for ischemia.\n"
    )
    assert _value(structure(text), "impression", "ischemia") == "present"


# --- a verb of reaching a value is its peak phase -----------------------------------------------------------------


@pytest.mark.parametrize("verb", ["peaked at", "reached", "climbed to"])
def test_a_heart_rate_that_peaked_is_the_peak(structure: Any, verb: str) -> None:
    text = _MPI + f"Stress: Baseline heart rate 61 bpm. With regadenoson the heart rate {verb} 99 bpm.\n"
    out = structure(text)
    assert _value(out, "stress_test", "rest_hr_bpm") == 61
    assert _value(out, "stress_test", "peak_hr_bpm") == 99


def test_a_pressure_after_a_peaked_rate_shares_its_phase(structure: Any) -> None:
    text = _MPI + "Stress: Resting BP 150/90. The heart rate peaked at 102 bpm and the blood pressure was 141/80.\n"
    out = structure(text)
    assert _value(out, "stress_test", "rest_bp") == "150/90"
    assert _value(out, "stress_test", "peak_bp") == "141/80"


# --- a run of semicolon facts: the clause after a closed label holds its value --------------------------------------


def test_a_duration_in_the_clause_after_the_protocol_name(structure: Any) -> None:
    text = _MPI + "Exercise: modified Bruce; 6:45 min; 7.2 METs; no CP.\nImpression: Normal study.\n"
    assert _value(structure(text), "stress_test", "exercise_duration_min") == 6.75


def test_a_clause_without_a_time_gives_no_duration(structure: Any) -> None:
    text = _MPI + "Exercise: Bruce; stopped for leg fatigue; 7.2 METs.\nImpression: Normal study.\n"
    assert _value(structure(text), "stress_test", "exercise_duration_min") is None


# --- abbreviated sizes ---------------------------------------------------------------------------------------------


def test_a_mod_size_defect_is_medium(structure: Any) -> None:
    text = _MPI + "MPI: mod-size, mild severity reversible defect of the lateral wall.\nImp: abnl MPI.\n"
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["extent"]) for d in defects] == [(["lateral"], "medium")]


def test_struct_test16_scores_what_this_round_reached() -> None:
    """main before this round: field micro-F1 0.974, defect F1 1.000 (strict 0.800)."""
    result = bench_module("extraction_eval").evaluate(REPO / "bench" / "data" / "struct_test16")
    assert round(result["field_micro_f1"], 3) >= 0.977
    assert round(result["defect_f1"], 3) >= 1.000
