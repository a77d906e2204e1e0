"""struct_test22 round (helper struct36): one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set (bench/data/struct_test22); each test names the
mechanism it checks, and most mechanisms have a control. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

_MPI = "Technique: Same-day rest/stress Tc-99m tetrofosmin gated SPECT after a Bruce treadmill test.\n"


def _val(out: dict[str, Any], section: str, key: str) -> Any:
    found = out[section][key]
    return None if found is None else found["value"]


# --- a table pasted with tabs: a line of heads over one row of values, and a stage table's rows ---------------


def test_tab_table_heads_over_one_row_give_each_column_its_value(structure: Any) -> None:
    text = _MPI + "Summed scores\tSSS\tSRS\tSDS\n\t11\t3\t8\n\nImpression: Reversible inferior defect.\n"
    out = structure(text)
    assert (_val(out, "perfusion", "sss"), _val(out, "perfusion", "srs"), _val(out, "perfusion", "sds")) == (11, 3, 8)


def test_tab_table_control_a_key_and_its_value_on_one_line_is_read_as_before(structure: Any) -> None:
    text = _MPI + "Gated data:\tLVEF\t61%\tEDV\t84 ml\n\nImpression: Normal perfusion.\n"
    out = structure(text)
    assert _val(out, "function", "lvef_percent") == 61
    assert _val(out, "function", "edv_ml") == 84


_STAGES = (
    "Stage\tDuration\tHR (bpm)\tBP (mmHg)\tNotes\n"
    "Supine\t-\t61\t124/76\t\n"
    "Stage 1\t3:00\t98\t140/78\t\n"
    "Stage 2\t6:00\t131\t158/80\tmax effort\n"
    "Recovery 4\t-\t88\t130/74\t\n"
    "\n"
)


def test_stage_table_rest_row_and_peak_row_give_the_phases_recovery_none(structure: Any) -> None:
    out = structure(_MPI + _STAGES + "Total exercise 6 minutes 10 seconds.\nImpression: Normal perfusion.\n")
    st = out["stress_test"]
    assert (st["rest_hr_bpm"]["value"], st["rest_bp"]["value"]) == (61, "124/76")
    assert (st["peak_hr_bpm"]["value"], st["peak_bp"]["value"]) == (131, "158/80")


def test_stage_table_times_are_no_exercise_duration_the_prose_total_is(structure: Any) -> None:
    out = structure(_MPI + _STAGES + "Total exercise 6 minutes 10 seconds.\nImpression: Normal perfusion.\n")
    assert abs(_val(out, "stress_test", "exercise_duration_min") - 6.1667) < 0.01


def test_stage_table_control_no_row_says_peak_so_the_table_gives_no_peak(structure: Any) -> None:
    table = "Stage\tHR (bpm)\tBP (mmHg)\nBaseline\t70\t130/82\nStage 1\t112\t150/84\n\n"
    out = structure(_MPI + table + "Impression: Normal perfusion.\n")
    assert _val(out, "stress_test", "rest_hr_bpm") == 70
    assert _val(out, "stress_test", "peak_hr_bpm") is None


# --- an LVEF whose bracket names only its view or method ("(LAO)") is no aside holding another value ----------


def test_a_view_in_capitals_between_label_and_value_is_no_aside(structure: Any) -> None:
    text = (
        "Indication: anthracycline therapy (pre-treatment EF 64%), surveillance.\n"
        "Resting MUGA.\nResults:\nLVEF (LAO): 52%\n"
    )
    out = structure(text)
    assert _val(out, "function", "lvef_percent") == 52
    assert _val(out, "function", "rest_lvef_percent") == 52


def test_view_bracket_control_another_test_in_the_bracket_stays_an_aside(structure: Any) -> None:
    text = _MPI + "Findings: Normal perfusion.\nLVEF (TTE) 45%, gated SPECT LVEF 57%.\n"
    assert _val(structure(text), "function", "lvef_percent") == 57


# --- a change of the ejection fraction told by its size in points --------------------------------------------


def test_a_fall_of_points_in_a_comparison_is_worsened(structure: Any) -> None:
    text = (
        "Resting MUGA.\nResults: LVEF 47%.\n"
        "Comparison with the MUGA of March 2026 (LVEF 58%): a drop of 11 percentage points.\n"
    )
    assert _val(structure(text), "impression", "comparison") == "worsened"


def test_a_rise_of_points_in_a_comparison_is_improved(structure: Any) -> None:
    text = "Resting MUGA.\nResults: LVEF 55%.\nCompared with the prior study: absolute increase of 9 points.\n"
    assert _val(structure(text), "impression", "comparison") == "improved"


def test_points_control_a_fall_outside_a_comparison_sentence_is_no_comparison(structure: Any) -> None:
    text = _MPI + "Systolic pressure showed a fall of 15 points at peak.\nImpression: Normal perfusion.\n"
    assert _val(structure(text), "impression", "comparison") is None


# --- a flow value the label calls regional is not the global flow ---------------------------------------------

_PET = "Exam: Rb-82 PET/CT, rest and dipyridamole stress.\n"


def test_a_regional_flow_label_is_not_the_global_value(structure: Any) -> None:
    text = (
        _PET + "Flow: rest MBF 0.81 mL/min/g, stress MBF 2.05 mL/min/g.\n"
        "Addendum: the septal reduction is real (segmental stress MBF 1.22 mL/min/g).\n"
    )
    assert _val(structure(text), "flow", "stress_mbf") == 2.05


def test_regional_flow_control_a_lone_flow_label_is_the_global_value(structure: Any) -> None:
    text = _PET + "Flow: stress MBF 1.22 mL/min/g, rest MBF 0.81 mL/min/g.\nImpression: Normal.\n"
    assert _val(structure(text), "flow", "stress_mbf") == 1.22


# --- an addendum that amends the verdict overrules the artifact the body blamed -------------------------------


def test_an_amending_addendum_that_finds_a_defect_drops_the_body_artifact(structure: Any) -> None:
    text = (
        _PET + "Perfusion: Mild fixed apical reduction, felt to be due to diaphragmatic attenuation.\n"
        "Impression: Probably normal study.\n"
        "ADDENDUM (review of the raw data): the interpretation is amended: a small reversible apical defect is "
        "present and is not attenuation.\n"
    )
    assert _val(structure(text), "perfusion", "artifact") is None


def test_amending_addendum_control_an_addendum_of_another_matter_keeps_the_artifact(structure: Any) -> None:
    text = (
        _PET + "Perfusion: Mild fixed apical reduction, felt to be due to diaphragmatic attenuation.\n"
        "Impression: Probably normal study.\n"
        "ADDENDUM: the referring office was called with the result.\n"
    )
    assert _val(structure(text), "perfusion", "artifact") == "attenuation"


# --- dates: a consultation's date is no study date; a study "at <Place> on <date>" ----------------------------


def test_a_consultation_date_is_not_the_study_date(structure: Any) -> None:
    text = (
        "Date of consultation: 05/20/2026\n"
        "He had an adenosine SPECT here on 05/19/2026, which showed normal perfusion. LVEF 60%.\n"
    )
    assert _val(structure(text), "study", "study_date") == "2026-05-19"


def test_a_study_done_at_a_named_place_on_a_date_is_dated(structure: Any) -> None:
    text = (
        "DISCHARGE SUMMARY\nAdmitted: 03/05/2026      Discharged: 03/07/2026\n\nHOSPITAL COURSE:\n"
        "Earlier he had a treadmill test with perfusion imaging at Birch Hill on 03/04/2026. Per that report: normal "
        "perfusion.\n"
    )
    assert _val(structure(text), "study", "study_date") == "2026-03-04"


# --- another test's calcium: a diagnostic chest CT's incidental calcification is not the study's ------------


def test_calcification_on_a_chest_ct_listed_elsewhere_is_not_the_study_calcium(structure: Any) -> None:
    text = (
        "Exercise SPECT quoted from the outside report: normal myocardial perfusion.\n"
        "Other results:\n- Chest CT (pulmonary embolism protocol): no embolus; coronary calcification seen.\n"
    )
    assert _val(structure(text), "calcium", "cac_present") is None


def test_other_ct_control_the_study_own_spect_ct_calcium_is_read(structure: Any) -> None:
    text = _MPI + "Findings: Normal perfusion. The SPECT/CT of the chest shows coronary artery calcification.\n"
    assert _val(structure(text), "calcium", "cac_present") == "present"


# --- a verdict told inside a note with no findings or impression header ---------------------------------------


def test_a_note_without_result_headers_takes_the_verdict_of_its_study(structure: Any) -> None:
    text = (
        "Cardiology note\nPt: Doe, J\n"
        "He had a dipyridamole SPECT yesterday. Attending read: normal perfusion study; "
        "no ischemia. LVEF 62%.\nPlan: discharge home.\n"
    )
    out = structure(text)
    assert _val(out, "impression", "overall") == "normal"


def test_a_quoted_outside_conclusion_opening_with_a_perfusion_verdict_is_the_overall_one(structure: Any) -> None:
    text = (
        'Clinic note\nShe brought the outside report of her exercise SPECT, which reads: "Normal myocardial '
        'perfusion. No ischemia. LVEF 66%. Low risk."\nPlan: reassurance.\n'
    )
    assert _val(structure(text), "impression", "overall") == "normal"


def test_embedded_verdict_control_a_hedged_verdict_is_not_taken(structure: Any) -> None:
    text = "Cardiology note\nHe had a dipyridamole SPECT yesterday, possibly abnormal study; awaiting the final read.\n"
    assert _val(structure(text), "impression", "overall") is None


# --- a letter to the patient in lay words ------------------------------------------------------------------


_LETTER = (
    "Dear Mr. Ash,\n\n"
    "I ordered the scan to look into your shortness of breath on the stairs. You exercised on the treadmill for "
    "8 minutes and your heart rate reached 92% of the target for your age. Your ECG showed no changes of "
    "reduced blood flow. The pictures of your heart were taken with Tc-99m tetrofosmin. The heart walls were "
    "squeezing normally. Overall, the result is entirely normal. It was your first nuclear test, so we had "
    "nothing to compare it with.\n\nKind regards,\nDr. Lin\n"
)


def test_letter_lay_words_give_the_fields(structure: Any) -> None:
    out = structure(_LETTER)
    assert _val(out, "stress_test", "percent_mphr") == 92
    assert _val(out, "stress_test", "ecg_response") == "nonischemic"
    assert _val(out, "function", "wall_motion") == "normal"
    assert _val(out, "impression", "overall") == "normal"
    assert _val(out, "impression", "comparison") == "no prior"
    assert _val(out, "study", "indication") == "your shortness of breath on the stairs"


def test_letter_result_adverb_mildly_is_the_verdict(structure: Any) -> None:
    text = "Dear Ms. Oak,\n\nYour nuclear stress test on the treadmill went well. The result was mildly abnormal.\n"
    assert _val(structure(text), "impression", "overall") == "abnormal"


def test_letter_ecg_control_changes_of_reduced_blood_flow_are_ischemic(structure: Any) -> None:
    text = "Dear Ms. Oak,\n\nOn the treadmill your ECG showed changes of reduced blood flow. Your scan was normal.\n"
    assert _val(structure(text), "stress_test", "ecg_response") == "ischemic"


# --- headers and the extent of the reason: "Reason for consultation", a short request sentence after it -------


def test_reason_for_consultation_is_an_indication_header(structure: Any) -> None:
    text = "Reason for consultation: chest tightness before knee surgery\n" + _MPI + "Impression: Normal perfusion.\n"
    assert _val(structure(text), "study", "indication") == "chest tightness before knee surgery"


def test_a_short_request_sentence_after_the_reason_goes_on_with_it(structure: Any) -> None:
    text = "Indication: Dilated cardiomyopathy, LVEF 25% on MRI. Ischemia assessment before ICD.\n" + _MPI
    assert _val(structure(text), "study", "indication") == (
        "Dilated cardiomyopathy, LVEF 25% on MRI. Ischemia assessment before ICD"
    )


def test_request_sentence_control_a_fact_sentence_after_the_reason_is_cut(structure: Any) -> None:
    text = "Indication: Exertional chest tightness for six weeks. Former smoker, treated hypertension.\n" + _MPI
    assert _val(structure(text), "study", "indication") == "Exertional chest tightness for six weeks"


# --- the vessel named in the next sentence about the same defect ---------------------------------------------


def test_the_next_sentence_back_reference_names_the_defect_vessel(structure: Any) -> None:
    text = (
        _MPI + "Findings: A small mild reversible defect of the apex is seen. "
        "This most likely reflects a stenosis of the LAD.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["territory"]) for d in defects] == [(["apex"], "LAD")]


def test_next_sentence_vessel_control_a_sentence_without_back_reference_lends_no_vessel(structure: Any) -> None:
    text = (
        _MPI + "Findings: A small mild reversible defect of the apex is seen. "
        "Perfusion of the RCA territory is normal.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["territory"]) for d in defects] == [(["apex"], None)]
