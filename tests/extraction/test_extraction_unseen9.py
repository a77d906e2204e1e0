"""Issue 16, ninth round (struct_test6, after its two sealed scorings): one test per general mechanism.

Each report below is a paraphrase written for the test, not the wording of the blind report; the test names
the mechanism it checks, and controls show what the mechanism leaves alone. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import span_at, value_at

# --- European wording: "/min" rates, "heart frequency", a space before %, "not dilated", verdict words ---------


def test_heart_frequency_with_per_minute_rates_and_a_spaced_percent(structure: Any) -> None:
    """'Heart frequency' is the heart rate; '64/min at rest and 141/min at maximum' are rest and peak;
    '88 % of the age-predicted maximal heart frequency' is %MPHR (concepts.json HR, MPHR)."""
    text = (
        "Stress test: bicycle ergometry up to 150 W. Heart frequency 64/min at rest and 141/min at maximum "
        "(88 % of the age-predicted maximal heart frequency). No angina.\n"
        "Findings: Regular perfusion of all segments.\n"
    )
    out = structure(text)
    assert value_at(out, "stress_test.rest_hr_bpm") == 64
    assert value_at(out, "stress_test.peak_hr_bpm") == 141
    assert value_at(out, "stress_test.percent_mphr") == 88
    assert span_at(out, text, "stress_test.percent_mphr") == "88 %"


def test_lvef_after_stress_then_at_rest(structure: Any) -> None:
    """'LVEF 52 % after stress, at rest 57 %': the first is the stress (main) LVEF, the second the rest LVEF."""
    text = "Findings: Gated SPECT: LVEF 52 % after stress, at rest 57 %, normokinetic walls.\n"
    out = structure(text)
    assert value_at(out, "function.lvef_percent") == 52
    assert value_at(out, "function.rest_lvef_percent") == 57


def test_a_left_ventricle_that_is_not_dilated_is_of_normal_size(structure: Any) -> None:
    out = structure("Findings: Normal wall motion; the left ventricle is not dilated.\n")
    assert value_at(out, "function.lv_size") == "normal"
    control = structure("Findings: Normal wall motion; the left ventricle is dilated.\n")
    assert value_at(control, "function.lv_size") == "dilated"


@pytest.mark.parametrize(
    ("sentence", "verdict"),
    [
        ("Altogether a pathological finding.", "abnormal"),
        ("In conclusion, an unremarkable scintigraphy.", "normal"),
        ("Pathologic perfusion study.", "abnormal"),
        ("In summary a normal finding.", "normal"),
    ],
)
def test_summing_up_verdict_words_of_european_reports(structure: Any, sentence: str, verdict: str) -> None:
    """'pathological'/'unremarkable' verdicts of a finding or study, after a summing-up opener
    (wording.json title_verdicts, title_openers, study_nouns)."""
    text = "Findings: Reduced uptake of the inferior wall.\nAssessment:\nSee above. " + sentence + "\n"
    out = structure(text)
    assert value_at(out, "impression.overall") == verdict


def test_a_pathological_word_that_is_no_verdict_of_the_study(structure: Any) -> None:
    """Control: 'pathological Q waves' names no study noun, so it gives no overall verdict."""
    text = "Findings: Reduced uptake of the inferior wall.\nAssessment:\nPathological Q waves on the resting ECG.\n"
    out = structure(text)
    assert value_at(out, "impression.overall") is None


def test_ischemia_typical_st_depression_is_an_ischemic_ecg(structure: Any) -> None:
    text = "Stress: Ergometry to 125 W. ECG: ischemia-typical horizontal ST depression in V5-V6.\n"
    out = structure(text)
    assert value_at(out, "stress_test.ecg_response") == "ischemic"


# --- a misspelt stress agent or tracer name --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "agent"),
    [("Regadenosin", "regadenoson"), ("dipyridamol", "dipyridamole"), ("Adenosin", "adenosine")],
)
def test_a_misspelt_agent_is_the_agent(structure: Any, word: str, agent: str) -> None:
    """One edit from an agent name of eight or more letters (wording.json misspelt_names)."""
    text = f"Procedure: {word} 0.4 mg IV was given; Tc-99m tetrofosmin at peak.\nFindings: Normal perfusion.\n"
    out = structure(text)
    assert value_at(out, "study.stress_agent") == agent
    assert value_at(out, "study.stress_type") == "pharmacologic"
    assert span_at(out, text, "study.stress_agent") == word


def test_a_misspelt_tracer_is_the_tracer(structure: Any) -> None:
    text = "Technique: Thalium 3 mCi injected at rest, redistribution images at 4 hours.\nFindings: Normal.\n"
    out = structure(text)
    assert [t["value"] for t in out["study"]["tracers"]] == ["Tl-201"]


@pytest.mark.parametrize("word", ["adenoma", "thalamus", "domination", "persistent", "cardiogenic", "dobutamines"])
def test_ordinary_words_near_a_name_are_no_agent(structure: Any, word: str) -> None:
    """Controls: words more than one edit from every name, or shorter than the names that may be misspelt."""
    out = structure(f"Clinical notes: {word} mentioned. Exercise treadmill test, Bruce protocol.\nFindings: Normal.\n")
    assert value_at(out, "study.stress_agent") is None
    assert out["study"]["tracers"] == []


# --- a report pasted into a discharge summary ----------------------------------------------------------------


DISCHARGE = (
    "DISCHARGE SUMMARY\n"
    "Admitted: 2026-03-09    Discharged: 2026-03-12\n\n"
    "Reason for admission: 64F with an hour of chest pressure, troponins normal, nondiagnostic ECG.\n\n"
    "Hospital course:\n1. Chest pressure, ACS excluded. Stress imaging requested.\n\n"
    "NM CARDIAC PERFUSION SPECT (STRESS/REST), 11-Mar-2026\n"
    "Protocol: Regadenoson 0.4 mg. No chest pain during the infusion. ECG: no ST changes. HR 70 at rest, 92 peak.\n"
    "Findings: Normal perfusion. LVEF 63%.\n"
    "Impression: Normal.\n"
)


def test_a_pasted_report_keeps_its_own_date_chest_pain_and_ecg(structure: Any) -> None:
    """The title line's date labels the study (wording.json DATE target); the admission reason holds no finding
    of the test (sections.json); the protocol's denial is the test's chest pain (extraction.assemble)."""
    out = structure(DISCHARGE)
    assert value_at(out, "study.study_date") == "2026-03-11"
    assert span_at(out, DISCHARGE, "study.study_date") == "11-Mar-2026"
    assert value_at(out, "stress_test.chest_pain") == "absent"
    assert value_at(out, "stress_test.ecg_response") == "nonischemic"


def test_a_title_line_without_a_date_labels_nothing(structure: Any) -> None:
    """Control: a title line that goes on after its date ('..., 11-Mar-2026 showed') is prose, not a label."""
    text = "Comparison: MPI 11-Mar-2019 showed a small fixed inferior defect.\nFindings: Normal perfusion.\n"
    out = structure(text)
    assert value_at(out, "study.study_date") is None


# --- a treadmill ECG test ------------------------------------------------------------------------------------


def test_a_rhythm_rate_without_unit_and_no_st_deviation(structure: Any) -> None:
    """'Baseline: sinus rhythm, rate 61' is the resting rate; 'No ST-segment deviation' is a nonischemic ECG."""
    text = (
        "EXERCISE TREADMILL TEST\nBaseline: sinus rhythm, rate 61, BP 118/70.\n"
        "Peak HR 160 bpm. ECG: No ST-segment deviation during exercise or recovery.\n"
        "Conclusion: Normal exercise ECG test.\n"
    )
    out = structure(text)
    assert value_at(out, "stress_test.rest_hr_bpm") == 61
    assert value_at(out, "stress_test.peak_hr_bpm") == 160
    assert value_at(out, "stress_test.ecg_response") == "nonischemic"


def test_st_deviation_that_is_present_is_not_nonischemic(structure: Any) -> None:
    """Control: an ST deviation that is there is no denial."""
    text = "ECG: 2 mm horizontal ST-segment deviation in V4-V6 at peak exercise, ischemic.\n"
    out = structure(text)
    assert value_at(out, "stress_test.ecg_response") == "ischemic"


# --- reversibility in other words ----------------------------------------------------------------------------


SPECT = "Technique: Tc-99m sestamibi gated SPECT, rest and stress.\n"


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None]]:
    return [(d["walls"], d["reversibility"]) for d in out["perfusion"]["defects"]]


def test_a_defect_less_marked_at_rest_is_partially_reversible(structure: Any) -> None:
    text = SPECT + (
        "Findings: A small region of mildly decreased counts in the mid lateral wall on the stress images, which "
        "looks less marked on the rest images.\nImpression: Abnormal.\n"
    )
    assert _defects(structure(text)) == [(["lateral"], "partially reversible")]


def test_a_sentence_opening_with_its_reversibility_speaks_of_the_defect_before(structure: Any) -> None:
    """'Marked redistribution on the delayed images ... (partially reversible)': no wall, no defect word, the
    sentence opens with the reversibility, so it is the previous defect's; the stated partial one wins."""
    text = SPECT + (
        "Findings:\n1. Inferior wall: severe defect on the early images. Marked redistribution on the delayed "
        "images, more so at 24 hours (partially reversible).\nImpression: Abnormal.\n"
    )
    assert _defects(structure(text)) == [(["inferior"], "partially reversible")]


def test_a_later_sentence_with_its_own_wall_is_no_reversibility_of_the_defect_before(structure: Any) -> None:
    """Control: the next sentence names a defect of its own, so its reversibility stays there."""
    text = SPECT + (
        "Findings: Severe defect of the inferior wall on the early images. Marked redistribution of a "
        "lateral defect on the delayed images.\nImpression: Abnormal.\n"
    )
    out = structure(text)
    assert _defects(out)[0] == (["inferior"], None)


def test_a_scar_is_a_fixed_defect(structure: Any) -> None:
    text = SPECT + "Findings: Scar of the basal inferior wall.\nImpression: Abnormal.\n"
    assert _defects(structure(text)) == [(["inferior"], "fixed")]
    control = structure(SPECT + "Findings: Scar of the basal inferior wall with reversible ischemia at its border.\n")
    assert _defects(control)[0][1] != "fixed"


def test_a_nondiagnostic_verdict_after_a_denied_st_deviation(structure: Any) -> None:
    text = (
        "Stress: Bruce protocol. ECG: left bundle branch block; no further ST deviation with exercise. "
        "The ECG response is uninterpretable because of the bundle branch block.\n"
    )
    assert value_at(structure(text), "stress_test.ecg_response") == "nondiagnostic"
    control = "Stress: Bruce protocol. ECG: no ST deviation with exercise.\nThe patient was uninterpretable.\n"
    assert value_at(structure(control), "stress_test.ecg_response") == "nonischemic"


# --- a chest ache; a referral to the writer's department ----------------------------------------------------


def test_a_chest_ache_during_the_test_is_chest_pain(structure: Any) -> None:
    text = "Exercise: Bruce protocol, 8 min. He reported a dull chest ache at peak exercise, gone in recovery.\n"
    assert value_at(structure(text), "stress_test.chest_pain") == "present"
    control = "Exercise: Bruce protocol, 8 min. No chest ache or dyspnoea during exercise.\n"
    assert value_at(structure(control), "stress_test.chest_pain") == "absent"


def test_a_referral_to_the_department_names_the_indication(structure: Any) -> None:
    text = (
        "Dear colleague,\nthe patient was referred to our department for assessment of exertional dyspnoea "
        "after stenting of the LAD.\n\nFindings: Normal perfusion.\n"
    )
    out = structure(text)
    assert value_at(out, "study.indication") == "assessment of exertional dyspnoea after stenting of the LAD"


def test_the_territory_of_the_sentence_that_gives_the_reversibility(structure: Any) -> None:
    """The sentence that opens with the previous defect's reversibility names its vessel too."""
    text = SPECT + (
        "Findings:\n1. Apex and distal anterior wall: severe, large defect on the stress images. Substantial "
        "improvement on the rest images (partially reversible), consistent with hibernating myocardium in the "
        "LAD territory.\n"
        "Impression: Abnormal.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["territory"], d["reversibility"]) for d in defects] == [
        (["apex", "anterior"], "LAD", "partially reversible")
    ]


def test_gut_uptake_near_a_wall_is_extracardiac_activity(structure: Any) -> None:
    text = SPECT + "Findings: Image quality fair; some bowel uptake close to the inferior wall. Normal perfusion.\n"
    assert value_at(structure(text), "perfusion.artifact") == "extracardiac activity"
