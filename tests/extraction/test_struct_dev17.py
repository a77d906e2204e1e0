"""struct_dev17 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the development set; each test names the mechanism it checks, and most
have a control where the value must still be read (or must not be). Expected values are literal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bench_modules import bench_module

REPO = Path(__file__).resolve().parents[2]

_MPI = "Technique: Rest/stress Tc-99m sestamibi gated SPECT.\n"


def _value(out: dict[str, Any], section: str, field: str) -> Any:
    item = out[section][field]
    return None if item is None else item["value"]


def _span(out: dict[str, Any], text: str, section: str, field: str) -> str:
    a, b = out[section][field]["span"]
    return text[a:b]


# --- a vendor export whose identifier keys carry a record name, a phase and a unit ---------------------------------

_EXPORT = (
    "ExamDate: 20250610\n"
    "Tracer: Tc99m-Tetrofosmin\n"
    "ProtocolName: 1DAY_STRESS_REST\n"
    "StressMode: Treadmill\n"
    "HRBaselineBpm: 70\n"
    "PercentPredictedMaxHR: 88\n"
    "AnginaDuringExercise: No\n"
    "ExerciseEcgResult: Positive\n"
    "GATED_StressEFPct: 61\n"
    "GATED_RestEFPct: 64\n"
    "GATED_StressEDVMl: 90\n"
    "GATED_StressESVMl: 35\n"
    "GATED_LVSize: Normal\n"
    "PhysicianSummary: Normal myocardial perfusion. No infarct. No ischemia.\n"
)


def test_an_identifier_key_with_its_unit_joined_gives_the_volumes(structure: Any) -> None:
    out = structure(_EXPORT)
    assert _value(out, "function", "edv_ml") == 90
    assert _value(out, "function", "esv_ml") == 35
    assert _span(out, _EXPORT, "function", "edv_ml") == "90"


def test_the_phase_inside_an_identifier_key_decides_the_lvef(structure: Any) -> None:
    out = structure(_EXPORT)
    assert _value(out, "function", "lvef_percent") == 61
    assert _value(out, "function", "rest_lvef_percent") == 64


def test_a_yes_no_key_with_its_setting_in_capitals_is_answered(structure: Any) -> None:
    out = structure(_EXPORT)
    assert _value(out, "stress_test", "chest_pain") == "absent"
    assert _span(out, _EXPORT, "stress_test", "chest_pain") == "No"


def test_an_ecg_key_in_capitals_gives_its_verdict(structure: Any) -> None:
    assert _value(structure(_EXPORT), "stress_test", "ecg_response") == "ischemic"


def test_a_percent_of_predicted_key_gives_the_mphr(structure: Any) -> None:
    assert _value(structure(_EXPORT), "stress_test", "percent_mphr") == 88


def test_a_record_name_before_a_key_leaves_its_value(structure: Any) -> None:
    assert _value(structure(_EXPORT), "function", "lv_size") == "normal"


def test_the_physician_summary_key_is_the_impression(structure: Any) -> None:
    out = structure(_EXPORT)
    assert _value(out, "impression", "overall") == "normal"
    assert _value(out, "impression", "infarction") == "absent"
    assert _value(out, "impression", "ischemia") == "absent"


def test_prose_ecg_words_keep_their_boundaries(structure: Any) -> None:
    text = _MPI + "Stress: the patient walked 9 minutes; the ECGs were not reviewed.\nImpression: Normal study.\n"
    assert _value(structure(text), "stress_test", "ecg_response") is None


# --- second-language wordings of the measures and findings --------------------------------------------------------


_SECOND_LANGUAGE = (
    "Date of exam: 11/04/2025\n"
    "Method: stress-rest gated SPECT over two days with 99mTc-sestamibi. Stress with dipyridamole 0,56 mg/kg.\n"
    "Arterial pressure basal 132/78 mmHg, at peak 120/70 mmHg. The patient referred thoracic oppression.\n"
    "Results: No perfusion defects. Ejection fraction 61,5 % after stress, with telediastolic volume 88 ml and "
    "telesystolic volume 34 ml. Left ventricle of normal dimensions.\n"
    "Conclusions: Normal myocardial scintigraphy. No signs of necrosis. Low risk.\n"
)


def test_arterial_pressure_is_a_blood_pressure(structure: Any) -> None:
    out = structure(_SECOND_LANGUAGE)
    assert _value(out, "stress_test", "rest_bp") == "132/78"
    assert _value(out, "stress_test", "peak_bp") == "120/70"


def test_thoracic_oppression_is_chest_pain(structure: Any) -> None:
    assert _value(structure(_SECOND_LANGUAGE), "stress_test", "chest_pain") == "present"


def test_tele_diastolic_and_tele_systolic_volumes(structure: Any) -> None:
    out = structure(_SECOND_LANGUAGE)
    assert _value(out, "function", "edv_ml") == 88
    assert _value(out, "function", "esv_ml") == 34


def test_a_ventricle_of_normal_dimensions_is_normal_size(structure: Any) -> None:
    assert _value(structure(_SECOND_LANGUAGE), "function", "lv_size") == "normal"


def test_a_denial_of_necrosis_is_no_infarction(structure: Any) -> None:
    assert _value(structure(_SECOND_LANGUAGE), "impression", "infarction") == "absent"


def test_avascular_necrosis_is_no_infarction(structure: Any) -> None:
    text = _MPI + "Indication: avascular necrosis of the hip, unable to exercise.\nImpression: Normal study.\n"
    assert _value(structure(text), "impression", "infarction") == "absent"


def test_a_spect_over_two_days_is_a_two_day_protocol(structure: Any) -> None:
    assert _value(structure(_SECOND_LANGUAGE), "study", "protocol") == "two-day"


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        ("Ejection fraction 61,5 % after stress.", "2025-04-11"),
        ("Ejection fraction 61.5 % after stress.", "2025-11-04"),
    ],
)
def test_a_decimal_comma_says_the_dates_are_day_first(structure: Any, measure: str, expected: str) -> None:
    text = "Date of exam: 11/04/2025\n" + _MPI + "Results: " + measure + "\nImpression: Normal study.\n"
    assert _value(structure(text), "study", "study_date") == expected


def test_a_thousands_comma_is_no_decimal_comma(structure: Any) -> None:
    text = "Date of exam: 11/04/2025\n" + _MPI + "Results: 1,250 counts.\nImpression: Normal study.\n"
    assert _value(structure(text), "study", "study_date") == "2025-11-04"


# --- "apical segments" named as a place of its own ----------------------------------------------------------------


def test_apical_segments_coordinated_with_a_wall_are_the_apical_ring(structure: Any) -> None:
    text = (
        _MPI + "Findings: There is a reversible defect of mild severity in the apical segments and in the septal "
        "wall.\nImpression: Abnormal study.\n"
    )
    assert [d["walls"] for d in structure(text)["perfusion"]["defects"]] == [["apical", "septal"]]


# --- defects listed in the order the report tells them -----------------------------------------------------------


def test_a_prior_defect_told_first_is_listed_first(structure: Any) -> None:
    text = (
        _MPI + "Comparison: The study of 02/14/2022 showed a small fixed defect of the lateral wall.\n"
        "Findings: A small fixed lateral wall defect is again seen.\nImpression: Abnormal study, unchanged.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["certainty"]) for d in defects] == [(["lateral"], "historical"), (["lateral"], "affirmed")]


# --- a template's picklist value in brackets reads as its word ----------------------------------------------------


def test_a_bracketed_picklist_verdict_is_the_overall(structure: Any) -> None:
    text = _MPI + "Conclusion: [Normal] stress perfusion study without ischemia.\n"
    out = structure(text)
    assert _value(out, "impression", "overall") == "normal"
    assert _span(out, text, "impression", "overall").startswith("Normal")


def test_a_bracketed_picklist_risk(structure: Any) -> None:
    text = _MPI + "Conclusion: Abnormal study, small apical ischemia. [Intermediate] risk.\n"
    assert _value(structure(text), "impression", "risk") == "intermediate"


def test_a_checkbox_mark_is_no_picklist_value(structure: Any) -> None:
    text = _MPI + "Findings: Perfusion normal.\nIschemia: [x] No  [ ] Yes\nImpression: Normal study.\n"
    assert _value(structure(text), "impression", "ischemia") == "absent"


# --- a verb of change between the rest and the stress LVEF --------------------------------------------------------


@pytest.mark.parametrize("verb", ["rose", "increased", "climbed"])
def test_a_rest_lvef_that_rose_at_stress(structure: Any, verb: str) -> None:
    text = _MPI + f"Gated: the ejection fraction was 49% at rest and {verb} to 56% after stress.\n"
    out = structure(text)
    assert _value(out, "function", "rest_lvef_percent") == 49
    assert _value(out, "function", "lvef_percent") == 56


# --- the protocol from the phases named with the stress agent, without doses --------------------------------------


def test_rest_then_agent_stress_names_the_protocol_without_doses(structure: Any) -> None:
    text = "Findings: An N-13 ammonia PET with rest and adenosine stress imaging shows normal perfusion.\n"
    out = structure(text)
    assert _value(out, "study", "protocol") == "rest-stress"
    assert _span(out, text, "study", "protocol") == "rest and adenosine stress"


def test_rest_and_stress_without_doses_or_agent_names_no_protocol(structure: Any) -> None:
    text = "Findings: Rest and stress images show normal perfusion; LVEF 60 % at 3 points.\nImpression: Normal.\n"
    assert _value(structure(text), "study", "protocol") is None


# --- the findings' own denial where the impression is silent -------------------------------------------------------


def test_a_denial_in_the_findings_answers_a_silent_impression(structure: Any) -> None:
    text = (
        _MPI + "Findings: Small reversible lateral defect, and no fixed defect that would indicate infarction.\n"
        "Impression: Abnormal study with lateral ischemia.\n"
    )
    out = structure(text)
    assert _value(out, "impression", "infarction") == "absent"
    assert _value(out, "impression", "ischemia") == "present"


def test_an_ecg_denial_is_no_findings_denial(structure: Any) -> None:
    text = _MPI + "Findings: Fixed inferior defect. Stress ECG without ischemic changes.\nImpression: Abnormal.\n"
    assert _value(structure(text), "impression", "ischemia") is None


def test_struct_dev17_scores_what_this_round_reached() -> None:
    """main before this round: field micro-F1 0.932, defect F1 0.875."""
    result = bench_module("extraction_eval").evaluate(REPO / "bench" / "data" / "struct_dev17")
    assert round(result["field_micro_f1"], 3) >= 0.980
    assert round(result["defect_f1"], 3) == 1.000  # m06's "apical segments" are the apical ring since round 14
