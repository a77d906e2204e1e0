"""struct_dev20 round (helper struct37): one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the development set (bench/data/struct_dev20); each test names the
mechanism it checks, and each mechanism has a control. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

_MPI = "Technique: Same-day rest/stress Tc-99m sestamibi gated SPECT with regadenoson.\n"


def _val(out: dict[str, Any], section: str, key: str) -> Any:
    found = out[section][key]
    return None if found is None else found["value"]


# --- a blood-pool study that says perfusion is not assessed has no perfusion result --------------------------

_BLOOD_POOL = (
    "GATED BLOOD POOL VENTRICULOGRAPHY AT REST\n"
    "Method: red cells labelled in vitro, Tc-99m pertechnetate 22 mCi, planar gated LAO view.\n"
    "Results: LV size normal. Wall motion normal. LVEF 61%. {line}\n"
    "Conclusion: LVEF 61%, stable.\n"
)


def test_a_blood_pool_study_saying_no_perfusion_assessment_applies_has_no_perfusion_result(structure: Any) -> None:
    out = structure(_BLOOD_POOL.format(line="No perfusion defect evaluation is applicable to this test."))
    assert _val(out, "perfusion", "result") is None
    assert out["perfusion"]["defects"] == []
    assert _val(out, "function", "rest_lvef_percent") == 61


def test_no_perfusion_assessment_control_a_perfusion_study_keeps_its_normal_result(structure: Any) -> None:
    out = structure(_MPI + "Findings: No perfusion defect is seen. LVEF 61%.\nImpression: Normal study.\n")
    assert _val(out, "perfusion", "result") == "normal"


# --- an ejection fraction "a N-point decrease from baseline" is a worse comparison ----------------------------


def test_an_lvef_with_a_point_decrease_from_baseline_is_worsened(structure: Any) -> None:
    text = _BLOOD_POOL.format(line="") + "Summary: LVEF 49%, an 11-point decline from baseline; below 50%.\n"
    assert _val(structure(text), "impression", "comparison") == "worsened"


def test_decrease_from_baseline_control_a_heart_rate_from_baseline_is_no_comparison(structure: Any) -> None:
    text = _MPI + "Stress: HR rose from baseline 64 to 92 bpm.\nImpression: Normal perfusion. LVEF 60%.\n"
    assert _val(structure(text), "impression", "comparison") is None


def test_an_ecg_unchanged_from_its_own_baseline_is_no_comparison_with_an_earlier_study(structure: Any) -> None:
    # the stress tracing against the resting one (an MTSamples wording, tests/validation's mts_1784): a bare
    # "baseline" in a sentence about the ECG, the heart rate or the blood pressure is this test's own
    for line in (
        "Peak-stress ECG: no change from baseline.",
        "The blood pressure response was unchanged from baseline.",
    ):
        text = _MPI + line + "\nImpression: Normal perfusion. LVEF 60%.\n"
        assert _val(structure(text), "impression", "comparison") is None, line
    named = _MPI + "Impression: Normal perfusion. LVEF 60%, unchanged from the baseline scan.\n"
    assert _val(structure(named), "impression", "comparison") == "unchanged"


# --- a table of vital signs with a column per measure and a row per phase -------------------------------------


def test_a_vitals_table_with_phase_rows_gives_rest_and_peak(structure: Any) -> None:
    text = (
        _MPI + "VITAL SIGNS\n"
        "               Heart rate (bpm)     Blood pressure (mmHg)\n"
        "  Baseline          71                  141/79\n"
        "  Peak              102                 129/73\n"
        "\nImpression: Normal perfusion.\n"
    )
    out = structure(text)
    assert _val(out, "stress_test", "rest_hr_bpm") == 71
    assert _val(out, "stress_test", "peak_hr_bpm") == 102
    assert _val(out, "stress_test", "rest_bp") == "141/79"
    assert _val(out, "stress_test", "peak_bp") == "129/73"


def test_vitals_table_control_stage_rows_are_no_phase(structure: Any) -> None:
    text = (
        _MPI + "Stage\tMin\tHR (bpm)\tBP (mmHg)\n"
        "Stage 1\t3\t118\t150/80\n"
        "Stage 2\t6\t139\t166/82\n"
        "\nImpression: Normal perfusion.\n"
    )
    out = structure(text)
    assert _val(out, "stress_test", "rest_hr_bpm") is None
    assert _val(out, "stress_test", "rest_bp") is None


# --- a denial followed by the measures in brackets: the measures stand -----------------------------------------


def test_measures_in_brackets_after_a_denied_finding_are_read(structure: Any) -> None:
    text = _MPI + "Gated: Left ventricle not enlarged (EDV 104 ml, ESV 41 ml). LVEF 61%.\n"
    out = structure(text)
    assert _val(out, "function", "edv_ml") == 104
    assert _val(out, "function", "esv_ml") == 41
    assert _val(out, "function", "lv_size") == "normal"


def test_denied_measure_control_a_volume_said_not_computed_stays_empty(structure: Any) -> None:
    text = _MPI + "Gated: EDV not computed because of arrhythmia. LVEF 61%.\n"
    assert _val(structure(text), "function", "edv_ml") is None


# --- the rest ejection fraction in the clause after a semicolon ----------------------------------------------


def test_rest_lvef_after_a_semicolon_with_decimal_commas(structure: Any) -> None:
    text = _MPI + "Gated SPECT: LVEF 47,5 % post stress; at rest 50,0 %.\n"
    out = structure(text)
    assert _val(out, "function", "lvef_percent") == 47.5
    assert _val(out, "function", "rest_lvef_percent") == 50.0


def test_semicolon_clause_control_another_statement_after_it_is_no_rest_lvef(structure: Any) -> None:
    text = _MPI + "Gated SPECT: LVEF 47%; rest perfusion normal.\n"
    out = structure(text)
    assert _val(out, "function", "lvef_percent") == 47
    assert _val(out, "function", "rest_lvef_percent") is None


# --- a dictation: "L V" for LV, and a spoken "Impression" after a full stop ---------------------------------------

_DICTATED = (
    "Community Imaging dictation. Exam 02/20/2026. A 61 year old woman referred for clearance before hip "
    "replacement surgery. Dipyridamole stress with Tc-99m sestamibi, rest then stress. The heart rate went from "
    "66 to 84 and the blood pressure from 152/88 to 140/82. She had a mild headache and some flushing but no "
    "chest discomfort. The tracer uptake is homogeneous with no defect. The  L V is normal in size and the L V "
    "ejection fraction is 63 percent. Impression normal dipyridamole perfusion study, low risk."
)


def test_a_dictation_reads_split_lv_and_a_spoken_impression(structure: Any) -> None:
    out = structure(_DICTATED)
    assert _val(out, "function", "lv_size") == "normal"
    assert _val(out, "impression", "overall") == "normal"
    assert _val(out, "study", "indication") == "clearance before hip replacement surgery"
    start, _ = out["function"]["lv_size"]["span"]
    assert _DICTATED[start : start + 3] == "L V"


def test_dictation_control_a_typed_report_keeps_its_sentence_word(structure: Any) -> None:
    text = (
        _MPI + "Findings: Normal perfusion. Impression formation was limited by motion.\nConclusion: Abnormal study.\n"
    )
    assert _val(structure(text), "impression", "overall") == "abnormal"


def test_dictation_view_reads_a_spoken_header_only_in_a_dictation_without_typed_headers() -> None:
    from extraction.pipeline import dictation_view

    body = "The scan was done. " * 20
    view, _, _ = dictation_view(body + "Impression normal study.")
    assert view == body[:-1] + "\nImpression:normal study."
    typed = "Findings: done. " + body + "Impression normal study."
    assert dictation_view(typed)[0] == typed
    short = "No defect. Impression normal study."
    assert dictation_view(short)[0] == short


# --- a short question after the reason is part of the indication ----------------------------------------------


def test_a_question_after_the_reason_is_part_of_the_indication(structure: Any) -> None:
    text = "Indication: Old inferior infarct, stent to the RCA in 2020. Viability? Residual ischemia?\n" + _MPI
    assert _val(structure(text), "study", "indication") == (
        "Old inferior infarct, stent to the RCA in 2020. Viability? Residual ischemia?"
    )
    text = "Indication: Breathless on hills; diabetic. Query coronary disease.\n" + _MPI
    assert _val(structure(text), "study", "indication") == "Breathless on hills; diabetic. Query coronary disease"


def test_question_control_a_fact_after_the_reason_is_not_the_indication(structure: Any) -> None:
    text = "Indication: Breathless on hills; diabetic. Resting ECG normal.\n" + _MPI
    assert _val(structure(text), "study", "indication") == "Breathless on hills; diabetic"


# --- an artifact set aside as the other explanation, and an addendum that settles an open differential ----------


def test_scar_rather_than_attenuation_is_no_artifact_verdict(structure: Any) -> None:
    text = _MPI + "Findings: Fixed inferior defect, in keeping with infarction rather than attenuation.\n"
    assert _val(structure(text), "perfusion", "artifact") is None


def test_an_addendum_setting_attenuation_aside_settles_the_reading_above(structure: Any) -> None:
    text = (
        _MPI + "Findings: Inferior defect on stress; ischemia or soft tissue attenuation is possible.\n"
        "Addendum: The rest images show the inferior defect is fixed, consistent with infarction rather than "
        "attenuation.\n"
    )
    assert _val(structure(text), "perfusion", "artifact") is None


def test_artifact_control_a_plain_denial_is_none_and_a_hedge_stays(structure: Any) -> None:
    out = structure(_MPI + "Findings: Normal perfusion. No attenuation or motion artifact.\n")
    assert _val(out, "perfusion", "artifact") == "none"
    out = structure(_MPI + "Findings: Mild fixed inferior defect, possibly attenuation.\n")
    assert _val(out, "perfusion", "artifact") == "attenuation"


def test_an_opening_without_phrase_denies_nothing_after_its_comma(structure: Any) -> None:
    text = _MPI + "Findings: Without prone images, breast attenuation is seen over the anterior wall.\n"
    assert _val(structure(text), "perfusion", "artifact") == "attenuation"
    text = _MPI + "Findings: Normal perfusion. Without significant motion, attenuation or other artifact.\n"
    assert _val(structure(text), "perfusion", "artifact") == "none"
