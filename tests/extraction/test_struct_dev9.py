"""Issue 16, struct_dev9 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the blind set; each test names the mechanism it checks, and each
mechanism has a control where the value must not be read (an unticked box, a prior's value, a denial).
Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import span_at, value_at


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None, str]]:
    return [(d["walls"], d["reversibility"], d["certainty"]) for d in out["perfusion"]["defects"]]


# --- checkbox template: rows indented under a block header belong to that block --------------------------------

_TEMPLATE = (
    "NUCLEAR CARDIOLOGY WORKSHEET\n"
    "EXAM DATE: 04/22/2025\n"
    "TRACER:    [x] Tc-99m sestamibi   [ ] Tl-201\n"
    "PERFUSION:\n"
    "   Overall:    [{p_norm}] Normal   [{p_abn}] Abnormal\n"
    "   Scores:     SSS 6   SRS 1   SDS 5\n"
    "IMPRESSION:\n"
    "   Study:      [{s_norm}] Normal   [{s_abn}] Abnormal\n"
    "   Infarct/scar:  [{i_yes}] Yes  [{i_no}] No\n"
    "   Risk:       [ ] Low  [x] Intermediate  [ ] High\n"
)


def test_template_rows_under_a_block_header_give_the_block_its_verdicts(structure: Any) -> None:
    """'Overall:' (an impression header) under PERFUSION is the perfusion verdict; 'Study:' (a technique header)
    under IMPRESSION is the study verdict; 'Infarct/scar: [ ] Yes [x] No' is a key with two names."""
    text = _TEMPLATE.format(p_norm=" ", p_abn="x", s_norm=" ", s_abn="x", i_yes=" ", i_no="x")
    out = structure(text)
    assert value_at(out, "perfusion.result") == "abnormal"
    assert value_at(out, "impression.overall") == "abnormal"
    assert value_at(out, "impression.infarction") == "absent"
    assert value_at(out, "impression.risk") == "intermediate"


def test_template_rows_read_only_their_ticked_box(structure: Any) -> None:
    """Control: the same template with the other boxes ticked; the unticked 'Abnormal' and 'No' say nothing."""
    text = _TEMPLATE.format(p_norm="x", p_abn=" ", s_norm="x", s_abn=" ", i_yes="x", i_no=" ")
    out = structure(text)
    assert value_at(out, "perfusion.result") == "normal"
    assert value_at(out, "impression.overall") == "normal"
    assert value_at(out, "impression.infarction") == "present"


# --- addenda and statements of a prior study --------------------------------------------------------------------


def test_an_addendum_headed_with_its_date_label_amends_the_comparison(structure: Any) -> None:
    """'ADDENDUM      Date/Time: ...' opens an addendum; the prior it introduces with a colon owns the line after the
    colon (its 'normal perfusion' and LVEF are not this study's); its comparison replaces the template's."""
    text = (
        "FINDINGS: Moderate reversible defect of the apex and apical anterior wall. SSS 7, SDS 6.\n"
        "Gated: LVEF 52 %.\n"
        "IMPRESSION: Abnormal study with apical ischemia.\n"
        "Comparison: No prior study available.\n"
        "Signed: J. Doe, MD 05/02/2025\n\n"
        "ADDENDUM          Date/Time: 05/04/2025 09:10\n"
        "A prior SPECT from 2019 performed at another hospital has been obtained:\n"
        "normal perfusion, LVEF 64 %.\n"
        "Compared with that study the apical ischemia is new.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.comparison") == "worsened"
    assert value_at(out, "perfusion.result") == "abnormal"
    assert value_at(out, "impression.overall") == "abnormal"
    assert value_at(out, "function.lvef_percent") == 52


def test_a_study_of_a_date_as_subject_speaks_of_that_study(structure: Any) -> None:
    """'The scan of June 2020 showed ...' and 'a finding seen in 2020 that has not recurred' are the prior's: the
    defect is historical, and this study has none."""
    text = (
        "Exam date: 05/06/2025\n"
        "The perfusion images are normal with no defect. Ejection fraction 61 percent.\n"
        "We reviewed two earlier studies. The scan of June twenty twenty showed a mild reversible defect of the "
        "inferior wall. The anterior study? No. The inferior ischemia seen in 2020 has not recurred.\n"
        "IMPRESSION: Normal study.\n"
    )
    out = structure(text)
    assert _defects(out) == [(["inferior"], "reversible", "historical")]
    assert value_at(out, "perfusion.result") == "normal"


@pytest.mark.parametrize(
    "sentence",
    [
        "This study shows a moderate reversible defect of the inferior wall.",
        "The scan of 05/06/2025 showed a moderate reversible defect of the inferior wall.",
    ],
)
def test_the_present_study_as_subject_is_current(structure: Any, sentence: str) -> None:
    """Control: a sentence whose subject is this study, or a study of this study's own date, is not a quote."""
    text = f"Exam date: 05/06/2025\nTc-99m sestamibi gated SPECT.\n{sentence}\nIMPRESSION: Inferior ischemia.\n"
    assert _defects(structure(text)) == [(["inferior"], "reversible", "affirmed")]


def test_a_defect_called_unchanged_in_the_comparison_is_the_current_one(structure: Any) -> None:
    """'COMPARISON: ... the lateral scar is unchanged' speaks of this study's scar, listed once."""
    text = (
        "Tc-99m tetrofosmin SPECT.\nFINDINGS: Large severe fixed defect of the lateral wall.\n"
        "COMPARISON: SPECT of 02/2022. The lateral scar is unchanged.\n"
        "IMPRESSION: Lateral infarct without ischemia.\n"
    )
    assert _defects(structure(text)) == [(["lateral"], "fixed", "affirmed")]


def test_a_prior_that_showed_a_similar_defect_is_listed_as_historical(structure: Any) -> None:
    """Control: 'the prior study showed a similar fixed lateral defect' quotes the prior: a historical entry."""
    text = (
        "Tc-99m tetrofosmin SPECT.\nFINDINGS: Large severe fixed defect of the lateral wall.\n"
        "COMPARISON: The prior study of 02/2022 showed a similar fixed lateral defect.\n"
        "IMPRESSION: Lateral infarct without ischemia.\n"
    )
    assert _defects(structure(text)) == [(["lateral"], "fixed", "affirmed"), (["lateral"], "fixed", "historical")]


# --- wording families -----------------------------------------------------------------------------------------


def test_percent_of_a_possessive_age_predicted_maximum(structure: Any) -> None:
    text = "Exercise: HR 68 to 149 bpm, 87% of his age-predicted maximum. BP 128/80 to 166/82.\n"
    out = structure(text)
    assert value_at(out, "stress_test.percent_mphr") == 87
    assert span_at(out, text, "stress_test.percent_mphr") == "87%"


def test_an_age_predicted_maximum_without_a_percentage_gives_none(structure: Any) -> None:
    """Control: the age-predicted maximum named as a rate is no percentage."""
    out = structure("Exercise: peak HR 151 bpm; age-predicted maximum 165 bpm.\n")
    assert value_at(out, "stress_test.percent_mphr") is None


@pytest.mark.parametrize(
    ("title", "date"),
    [
        ("Rest/stress SPECT, performed 03/14/2025", "2025-03-14"),
        ("Myocardial perfusion scintigraphy, done 11/28/2025", "2025-11-28"),
    ],
)
def test_a_title_line_with_a_comma_before_its_performed_date(structure: Any, title: str, date: str) -> None:
    text = f"Imaging Unit\nRe: Mr A. Sample, hospital no. 0000\n{title}\n\nDear colleague, perfusion is normal.\n"
    out = structure(text)
    assert value_at(out, "study.study_date") == date


def test_a_delay_after_performed_is_no_date(structure: Any) -> None:
    """Control: 'performed 3 hours later' is a delay, not a date."""
    out = structure("Stress images, performed 3 hours later, show normal perfusion.\n")
    assert value_at(out, "study.study_date") is None


@pytest.mark.parametrize(
    ("sentence", "wall_motion", "lv_size"),
    [
        ("Normal LV size and wall motion.", "normal", "normal"),
        ("Normal wall motion and LV volumes.", "normal", "normal"),
        ("LV size and regional wall motion are normal.", "normal", "normal"),
    ],
)
def test_one_verdict_shared_by_two_coordinated_nouns(
    structure: Any, sentence: str, wall_motion: str, lv_size: str
) -> None:
    out = structure(f"Gated SPECT: LVEF 63%. {sentence}\n")
    assert value_at(out, "function.wall_motion") == wall_motion
    assert value_at(out, "function.lv_size") == lv_size


def test_a_second_verdict_of_its_own_is_not_shared(structure: Any) -> None:
    """Control: 'normal LV size and abnormal wall motion' gives each noun its own verdict."""
    out = structure("Gated SPECT: LVEF 41%. Normal LV size and abnormal wall motion of the apex.\n")
    assert value_at(out, "function.lv_size") == "normal"
    assert value_at(out, "function.wall_motion") == "abnormal"


@pytest.mark.parametrize(
    ("sentence", "size"),
    [
        ("The left ventricle is markedly dilated.", "dilated"),
        ("The LV remains severely enlarged.", "dilated"),
        ("The left ventricle is not dilated.", "normal"),
    ],
)
def test_left_ventricle_dilated_with_a_word_of_degree(structure: Any, sentence: str, size: str) -> None:
    out = structure(f"Findings: {sentence} Fixed apical defect.\n")
    assert value_at(out, "function.lv_size") == size


def test_relative_perfusion_verdict_and_the_study_verdict_of_a_flow_study(structure: Any) -> None:
    """A PET impression that calls relative perfusion normal and the study abnormal (reduced global flow): the first
    is perfusion's, the second the study's."""
    text = (
        "Rb-82 PET/CT rest/regadenoson stress.\n"
        "IMPRESSION:\n"
        "1. Normal relative perfusion; no regional ischemia or scar.\n"
        "2. Abnormal study due to a globally reduced flow reserve (MFR 1.6).\n"
    )
    out = structure(text)
    assert value_at(out, "perfusion.result") == "normal"
    assert value_at(out, "impression.overall") == "abnormal"


def test_abnormal_relative_perfusion(structure: Any) -> None:
    """Control: relative perfusion called abnormal is an abnormal perfusion result."""
    text = "Rb-82 PET/CT.\nIMPRESSION: Relative perfusion was abnormal, with a small reversible apical defect.\n"
    assert value_at(structure(text), "perfusion.result") == "abnormal"


# --- polarity and attribution -----------------------------------------------------------------------------------


def test_a_denial_ends_at_the_concept_it_denies_before_a_comma(structure: Any) -> None:
    """'negative for ischaemia, Duke score of 9': the denial is the ischaemia's, the score is stated."""
    out = structure("Exercise: ST segments negative for ischaemia, Duke treadmill score of 9, good capacity.\n")
    assert value_at(out, "stress_test.duke_treadmill_score") == 9


def test_a_duke_score_denied_next_to_its_label_gives_none(structure: Any) -> None:
    """Control: a score said not to have been calculated has no value."""
    out = structure("Exercise: no Duke treadmill score (pharmacological stress), 0.4 mg regadenoson.\n")
    assert value_at(out, "stress_test.duke_treadmill_score") is None


def test_no_new_and_no_current_deny_what_follows(structure: Any) -> None:
    text = (
        "Findings: Fixed inferior defect as before. There is no new wall motion abnormality.\n"
        "Compared with the study of 2021 there is no new perfusion defect.\n"
        "The patient has no current chest pain.\n"
    )
    out = structure(text)
    assert value_at(out, "function.wall_motion") is None
    assert value_at(out, "impression.comparison") is None
    assert value_at(out, "stress_test.chest_pain") == "absent"


def test_a_new_defect_compared_with_a_prior_is_worsened(structure: Any) -> None:
    """Control: the change stated, not denied."""
    out = structure("Findings: Compared with the study of 2021 there is a new perfusion defect of the apex.\n")
    assert value_at(out, "impression.comparison") == "worsened"


def test_two_defects_sharing_a_wall_with_unlike_properties(structure: Any) -> None:
    """A large severe fixed defect and, beside it, a small moderate reversible one in a shared wall: two defects;
    the impression's restatement of the second joins it."""
    text = (
        "Tl-201 SPECT.\nFindings: Large, severe, fixed defect of the septum and apex. Beyond its border, the apical "
        "and mid lateral segments show a small defect of moderate severity which is reversible.\n"
        "Impression: 1. Septal and apical scar. 2. Small moderate lateral and apical ischemia.\n"
    )
    out = structure(text)
    walls = [(d["walls"], d["reversibility"]) for d in out["perfusion"]["defects"]]
    assert walls == [(["septal", "apex"], "fixed"), (["apex", "lateral"], "reversible")]


def test_a_restated_defect_with_the_same_properties_is_one_defect(structure: Any) -> None:
    """Control: the impression names the same fixed defect with fewer walls: one entry."""
    text = (
        "Tc-99m sestamibi SPECT.\nFindings: Large, severe, fixed defect of the inferior and inferolateral walls.\n"
        "Impression: Large fixed inferior defect (scar).\n"
    )
    assert [d["walls"] for d in structure(text)["perfusion"]["defects"]] == [["inferior", "inferolateral"]]


def test_the_chest_pain_said_with_the_test_data_before_the_history(structure: Any) -> None:
    """The history's 'had chest pain last week' is no statement of the test; the exercise paragraph's is."""
    text = (
        "Mr B is a 58-year-old man who had an episode of chest pain last week and is referred for risk assessment.\n"
        "\n"
        "He walked for 8 minutes on the Bruce protocol to a peak heart rate of 150 bpm. He had no chest pain at any "
        "stage. The ECG was negative for ischemia.\n"
    )
    out = structure(text)
    assert value_at(out, "stress_test.chest_pain") == "absent"
    assert span_at(out, text, "stress_test.chest_pain") == "no chest pain"


def test_a_referral_reason_starts_after_its_article(structure: Any) -> None:
    text = "Many thanks for referring this 71 year old man with a three-month history of exertional breathlessness.\n"
    out = structure(text)
    assert value_at(out, "study.indication") == "three-month history of exertional breathlessness"


def test_a_normal_verdict_on_the_uptake_of_the_whole_myocardium(structure: Any) -> None:
    """'normal uniform radiotracer uptake throughout the myocardium' is the perfusion verdict, wherever it stands."""
    text = (
        "Procedure: One-day Tc-99m tetrofosmin rest/stress SPECT. Stress and rest images show normal uniform "
        "radiotracer uptake throughout the myocardium, SSS 0.\n"
        "Impression: Low-risk study.\n"
    )
    out = structure(text)
    assert value_at(out, "perfusion.result") == "normal"
    assert span_at(out, text, "perfusion.result") == "normal uniform radiotracer uptake throughout"


def test_normal_uptake_of_one_wall_is_no_verdict(structure: Any) -> None:
    """Control: a wall's uptake called normal beside a defect says nothing of the whole."""
    text = (
        "Procedure: Tc-99m tetrofosmin SPECT. Severe fixed inferior defect; normal tracer uptake in the anterior "
        "wall.\n"
    )
    assert value_at(structure(text), "perfusion.result") != "normal"


def test_a_ct_reviewed_for_calcium_states_no_calcium(structure: Any) -> None:
    """'reviewed for coronary calcium' is the purpose of a reading, not its finding."""
    text = "Rb-82 PET/CT. The attenuation CT was also reviewed for coronary calcium.\nImpression: Normal study.\n"
    assert value_at(structure(text), "calcium.cac_present") is None


def test_calcium_found_on_the_reviewed_ct(structure: Any) -> None:
    """Control: the calcification the reading found."""
    text = "Rb-82 PET/CT. The attenuation CT was reviewed: moderate coronary calcification.\nImpression: Normal.\n"
    assert value_at(structure(text), "calcium.cac_present") == "present"
