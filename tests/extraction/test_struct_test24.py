"""struct_test24 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set; each test names the mechanism it checks, and most
have a control where the value must still be read (or must not be). Expected values are literal.
"""

from __future__ import annotations

from typing import Any

_MPI = "Technique: Rest/stress Tc-99m tetrofosmin gated SPECT.\n"


def _value(out: dict[str, Any], section: str, field: str) -> Any:
    item = out[section][field]
    return None if item is None else item["value"]


def _span(out: dict[str, Any], text: str, section: str, field: str) -> str:
    a, b = out[section][field]["span"]
    return text[a:b]


# --- a template's menu of options in brackets is none of the options; the value after it is the one chosen -------

_MENU_TEMPLATE = (
    "Exam date: 04/14/2026\n"
    "Reason: [reason for test] Dyspnea on exertion and diabetes\n"
    "Isotope: [Tc-99m tetrofosmin/Tc-99m sestamibi/Rb-82] Tc-99m sestamibi\n"
    "Stress type: [pharmacologic/exercise] exercise on the treadmill\n"
    "Duration: 8:00 min   METs: 9.2\n"
    "HR: 70 bpm at rest, 150 bpm at peak   Percent MPHR: [__]% 91%\n"
    "ST response: [nondiagnostic/ischemic/nonischemic] nonischemic\n"
    "Duke score: [__] 8\n"
    "Defect: a [large/medium/small] small, [severe/moderate/mild] mild, [fixed/reversible] reversible defect of the "
    "inferior wall.\n"
    "TID: [__] 1.05\n"
    "LV size: [dilated/normal] normal\n"
    "Impression: [Abnormal/Normal] Abnormal study. [Low/Intermediate/High] Low risk.\n"
)


def test_a_menu_in_brackets_gives_the_value_after_it(structure: Any) -> None:
    out = structure(_MENU_TEMPLATE)
    assert _value(out, "study", "stress_type") == "exercise"
    assert [t["value"] for t in out["study"]["tracers"]] == ["Tc-99m sestamibi"]
    assert _value(out, "stress_test", "ecg_response") == "nonischemic"
    assert _value(out, "function", "lv_size") == "normal"
    assert _value(out, "impression", "overall") == "abnormal"
    assert _value(out, "impression", "risk") == "low"


def test_a_filled_blank_in_brackets_gives_its_number(structure: Any) -> None:
    out = structure(_MENU_TEMPLATE)
    assert _value(out, "stress_test", "percent_mphr") == 91
    assert _value(out, "stress_test", "duke_treadmill_score") == 8
    assert _value(out, "function", "tid_ratio") == 1.05


def test_a_menu_of_grades_gives_the_grades_chosen(structure: Any) -> None:
    (defect,) = structure(_MENU_TEMPLATE)["perfusion"]["defects"]
    assert (defect["extent"], defect["severity"], defect["reversibility"]) == ("small", "mild", "reversible")


def test_a_placeholder_label_is_not_in_the_reason(structure: Any) -> None:
    text = _MENU_TEMPLATE
    out = structure(text)
    assert _value(out, "study", "indication") == "Dyspnea on exertion and diabetes"
    assert text[slice(*out["study"]["tracers"][0]["span"])] == "Tc-99m sestamibi"


def test_an_unfilled_menu_gives_no_value(structure: Any) -> None:
    text = _MPI + "Findings: Perfusion is normal.\nRest LVEF: [__] %\nLV size: [normal/dilated]\nImpression: Normal.\n"
    out = structure(text)
    assert _value(out, "function", "rest_lvef_percent") is None
    assert _value(out, "function", "lv_size") is None


def test_a_date_in_brackets_is_no_menu(structure: Any) -> None:
    text = "Study date: [05/11/2026]\n" + _MPI + "Impression: Normal perfusion study.\n"
    assert _value(structure(text), "study", "study_date") == "2026-05-11"


# --- a transthoracic echo named by its abbreviation is another test -----------------------------------------------


def test_a_tte_fraction_is_not_the_study_lvef(structure: Any) -> None:
    text = (
        "Course: admitted with chest pain. A TTE on 05/02 showed EF 60-65% and mild mitral regurgitation. "
        "Adenosine sestamibi SPECT on 05/03/2026 showed a small reversible apical defect, gated EF 49%.\n"
    )
    assert _value(structure(text), "function", "lvef_percent") == 49


def test_a_tee_fraction_is_not_the_study_lvef(structure: Any) -> None:
    text = _MPI + "History: TEE last year, ejection fraction 40%.\nFindings: normal perfusion. Gated LVEF 58%.\n"
    assert _value(structure(text), "function", "lvef_percent") == 58


# --- a discharge summary tells the study's verdict in its prose ---------------------------------------------------


def test_a_verdict_predicated_of_the_study_in_a_discharge_summary(structure: Any) -> None:
    text = (
        "Admit: 02/02/2026   Discharge: 02/04/2026\n"
        "Hospital course: Troponins were negative. Exercise tetrofosmin SPECT on 02/03/2026 was normal, with no "
        "ischemia and LVEF 66%. He was discharged home.\n"
        "Medications: aspirin 81 mg daily.\n"
    )
    out = structure(text)
    assert _value(out, "impression", "overall") == "normal"
    assert _span(out, text, "impression", "overall").endswith("normal")


def test_another_tests_verdict_in_a_discharge_summary_is_not_the_studys(structure: Any) -> None:
    text = (
        "Hospital course: Echocardiogram was abnormal with LVEF 35%. Regadenoson sestamibi SPECT showed a fixed "
        "inferior defect.\nMedications: lisinopril.\n"
    )
    assert _value(structure(text), "impression", "overall") is None


# --- a discharge diagnosis and a presentation are the patient's story, not the test's symptom -----------------------


def test_a_principal_diagnosis_of_angina_is_no_chest_pain_of_the_test(structure: Any) -> None:
    text = (
        "Principal diagnosis: Stable angina, ruled out for myocardial infarction\n"
        "Hospital course: Regadenoson sestamibi SPECT on 06/06/2026 was normal.\n"
    )
    assert _value(structure(text), "stress_test", "chest_pain") is None


def test_ruled_out_for_denies_what_follows_only(structure: Any) -> None:
    text = "Admitted with angina, ruled out for myocardial infarction. Sestamibi SPECT was abnormal.\n"
    out = structure(text)
    assert _value(out, "stress_test", "chest_pain") is None  # "angina" is the admission's story, never "absent"


def test_a_presenting_complaint_is_no_symptom_of_the_test(structure: Any) -> None:
    text = (
        "Hospital course: 58F presented with chest tightness at rest for two hours. Regadenoson tetrofosmin SPECT "
        "was normal.\nMedications: none.\n"
    )
    assert _value(structure(text), "stress_test", "chest_pain") is None


def test_a_symptom_during_the_stress_is_still_read(structure: Any) -> None:
    text = (
        "Hospital course: 58F presented with palpitations. During the regadenoson infusion she had chest tightness. "
        "Tetrofosmin SPECT was normal.\n"
    )
    assert _value(structure(text), "stress_test", "chest_pain") == "present"


# --- the phases named before the tracer give the protocol ----------------------------------------------------


def test_rest_and_stress_before_the_tracer_is_rest_first(structure: Any) -> None:
    text = "Technique: Rest and stress Rb-82 PET/CT with dipyridamole.\nImpression: Normal perfusion.\n"
    out = structure(text)
    assert _value(out, "study", "protocol") == "rest-stress"
    assert _span(out, text, "study", "protocol") == "Rest and stress"


def test_rest_and_stress_before_the_camera_only_says_no_order(structure: Any) -> None:
    text = "Technique: Rest and stress PET/CT with dipyridamole and Rb-82.\nImpression: Normal perfusion.\n"
    assert _value(structure(text), "study", "protocol") is None


def test_stress_and_rest_images_say_no_order(structure: Any) -> None:
    text = "Tc-99m sestamibi SPECT with exercise.\nFindings: Stress and rest sestamibi images are normal.\n"
    assert _value(structure(text), "study", "protocol") is None


# --- wall motion said to look normal -------------------------------------------------------------------------------


def test_wall_motion_that_looked_normal(structure: Any) -> None:
    text = _MPI + "Findings: Normal perfusion. Gated LVEF 60%; regional wall motion appeared normal.\n"
    out = structure(text)
    assert _value(out, "function", "wall_motion") == "normal"
    assert _span(out, text, "function", "wall_motion") == "regional wall motion appeared normal"


def test_wall_motion_that_did_not_look_normal_is_not_normal(structure: Any) -> None:
    text = _MPI + "Findings: Normal perfusion. Wall motion does not look normal.\n"
    assert _value(structure(text), "function", "wall_motion") != "normal"


# --- a denial as the reading set aside for a likelier one is hedged ------------------------------------------------


def test_a_denial_set_aside_for_a_likely_reading_is_uncertain(structure: Any) -> None:
    text = _MPI + (
        "Findings: Mild fixed apical defect.\n"
        "Impression: The apical defect most likely reflects apical thinning rather than scar. No ischemia.\n"
    )
    item = structure(text)["impression"]["infarction"]
    assert (item["value"], item["certainty"]) == ("absent", "uncertain")


def test_a_denial_set_aside_without_a_hedge_stays_affirmed(structure: Any) -> None:
    text = _MPI + (
        "Findings: Mild fixed septal defect.\nImpression: The septal defect is due to the bundle branch block rather "
        "than infarction. No ischemia.\n"
    )
    item = structure(text)["impression"]["infarction"]
    assert (item["value"], item["certainty"]) == ("absent", "affirmed")


# --- the calcium assessment named as a procedure is no calcium found ----------------------------------------------


def test_a_calcium_assessment_in_the_technique_is_no_finding(structure: Any) -> None:
    text = (
        "Technique: Rb-82 PET/CT; the CT was used for attenuation correction and coronary calcium scoring.\n"
        "Impression: Normal perfusion.\n"
    )
    assert _value(structure(text), "calcium", "cac_present") is None


def test_calcium_seen_after_a_technique_mention_is_read(structure: Any) -> None:
    text = (
        "Technique: Rb-82 PET/CT with CT for coronary calcium assessment.\n"
        "CT: Extensive coronary artery calcification in the LAD.\nImpression: Normal perfusion.\n"
    )
    out = structure(text)
    assert _value(out, "calcium", "cac_present") == "present"
    assert _span(out, text, "calcium", "cac_present") == "coronary artery calcification"
