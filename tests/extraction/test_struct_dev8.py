"""Issue 16, struct_dev8 round: one test per general mechanism, with a control the mechanism must leave alone.

The reports below are written for the tests in several house styles (dictation, letter, structured report, vendor
export); none is the wording of the blind set. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import span_at, value_at


def _defects(report: dict[str, Any]) -> list[tuple[list[str], str | None, str | None]]:
    return [(d["walls"], d["reversibility"], d["territory"]) for d in report["perfusion"]["defects"]]


# --- two defects in one sentence, the first with its walls before its defect word ------------------------------


def test_second_defect_after_a_first_whose_walls_precede_its_defect_word(structure: Any) -> None:
    text = (
        "FINDINGS: The perfusion images show a medium-sized, severe anterior and anteroseptal defect that does not "
        "change at rest, and a small, mild defect of the basal inferolateral wall that reverses completely on the "
        "rest images, in keeping with ischemia in the circumflex territory.\n"
    )
    out = structure(text)
    assert _defects(out) == [(["anterior", "anteroseptal"], "fixed", None), (["inferolateral"], "reversible", "LCx")]


def test_a_defect_named_again_without_walls_stays_one_defect(structure: Any) -> None:
    """Control: the second defect word has no walls of its own, so the sentence describes one defect."""
    text = (
        "MYOCARDIAL PERFUSION SPECT\n"
        "FINDINGS: There is a severe inferior and inferolateral defect, and this defect does not reverse at rest.\n"
    )
    out = structure(text)
    assert _defects(out) == [(["inferior", "inferolateral"], "fixed", None)]


# --- "redistribution" that names a phase of the protocol ---------------------------------------------------------


def test_redistribution_in_the_protocol_phrase_is_no_reversal(structure: Any) -> None:
    text = (
        "Planar and SPECT thallium images at peak exercise and 3-hour redistribution demonstrate a large inferior "
        "defect without redistribution.\n"
    )
    out = structure(text)
    assert _defects(out) == [(["inferior"], "fixed", None)]


def test_redistribution_of_the_defect_is_still_a_reversal(structure: Any) -> None:
    """Control: the defect itself redistributes on the delayed images."""
    text = "Thallium SPECT: a moderate anterior defect with complete redistribution on the delayed images.\n"
    out = structure(text)
    assert _defects(out) == [(["anterior"], "reversible", None)]


# --- a fixed defect that its own description calls a scar shows infarction ----------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "A severe fixed defect of the inferior wall, consistent with her old RCA infarct.",
        "Large inferolateral perfusion defect with no reversibility, compatible with known scar.",
    ],
)
def test_a_fixed_defect_called_a_scar_shows_infarction(structure: Any, sentence: str) -> None:
    out = structure(f"PERFUSION: {sentence}\nCONCLUSION: Abnormal study.\n")
    assert value_at(out, "impression.infarction") == "present"


@pytest.mark.parametrize(
    "sentence",
    [
        "A mild fixed defect of the anterior wall, likely breast attenuation rather than scar.",
        "A moderate reversible anterior defect; no scar.",
    ],
)
def test_no_infarction_from_a_scar_that_is_doubted_or_denied(structure: Any, sentence: str) -> None:
    """Controls: a scar named as the rejected alternative, or denied, shows no infarction."""
    out = structure(f"PERFUSION: {sentence}\nCONCLUSION: Abnormal study.\n")
    assert value_at(out, "impression.infarction") != "present"


# --- a phase word before the next label belongs to that label ------------------------------------------------------


def test_rest_in_front_of_the_next_lvef_label_is_that_labels_phase(structure: Any) -> None:
    text = "GATED SPECT: Stress LVEF 58% (resting LVEF 61%). Normal volumes.\n"
    out = structure(text)
    assert value_at(out, "function.lvef_percent") == 58
    assert value_at(out, "function.rest_lvef_percent") == 61


def test_a_phase_word_after_the_value_still_names_its_phase(structure: Any) -> None:
    """Control: "61% (rest)" is a rest value: the phase follows it and no label comes after."""
    out = structure("Gated images: LVEF 54% (stress), 61% (rest).\n")
    assert value_at(out, "function.lvef_percent") == 54
    assert value_at(out, "function.rest_lvef_percent") == 61


# --- a denied artifact of one kind says nothing of another ----------------------------------------------------------


def test_a_named_artifact_wins_over_the_denial_of_another_kind(structure: Any) -> None:
    text = (
        "Perfusion: No bowel activity near the inferior wall. Mildly reduced anterior counts on the stress and rest "
        "images, in keeping with breast attenuation. Otherwise normal.\n"
    )
    out = structure(text)
    assert value_at(out, "perfusion.artifact") == "attenuation"


def test_only_denied_artifacts_give_none(structure: Any) -> None:
    """Control: every artifact named is denied."""
    out = structure("Perfusion: Normal. No attenuation or motion artifact.\n")
    assert value_at(out, "perfusion.artifact") == "none"


# --- a combined stress code whose exercise is qualified by its level ----------------------------------------------


def test_pharmacologic_plus_a_level_qualified_exercise_is_combined(structure: Any) -> None:
    text = "STRESS_TYPE: PHARMACOLOGIC + SUBMAXIMAL EXERCISE\nAGENT: Adenosine 140 mcg/kg/min\n"
    out = structure(text)
    assert value_at(out, "study.stress_type") == "exercise+pharmacologic"
    assert span_at(out, text, "study.stress_type") == "PHARMACOLOGIC + SUBMAXIMAL EXERCISE"


def test_pharmacologic_alone_is_not_combined(structure: Any) -> None:
    """Control: no exercise named with the pharmacologic stress."""
    out = structure("STRESS_TYPE: PHARMACOLOGIC\nAGENT: Adenosine 140 mcg/kg/min\n")
    assert value_at(out, "study.stress_type") == "pharmacologic"


# --- %MPHR phrases with or without a determiner after "of" ---------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "percent"),
    [
        ("He reached 152 bpm, 91 percent of his age-predicted maximal heart rate.", 91),
        ("Peak heart rate 139/min, which was 86% of the predicted maximum.", 86),
        ("HR max 160 (94% of the age predicted maximum).", 94),
    ],
)
def test_percent_of_a_predicted_maximum_with_a_determiner(structure: Any, sentence: str, percent: int) -> None:
    out = structure(f"EXERCISE: Bruce protocol. {sentence}\n")
    assert value_at(out, "stress_test.percent_mphr") == percent


def test_a_rate_that_is_no_percent_of_the_maximum_gives_no_mphr(structure: Any) -> None:
    """Control: the number before the phrase is a rate in bpm, not a percentage."""
    out = structure("EXERCISE: He reached 150 bpm of the age predicted maximum of 165 bpm.\n")
    assert value_at(out, "stress_test.percent_mphr") is None


# --- one normal verdict said of coordinated function properties ----------------------------------------------------


def test_normal_before_coordinated_properties(structure: Any) -> None:
    out = structure("GATED: Normal regional wall motion and LV cavity size. EF 64%.\n")
    assert value_at(out, "function.wall_motion") == "normal"
    assert value_at(out, "function.lv_size") == "normal"


def test_normal_after_coordinated_properties(structure: Any) -> None:
    out = structure("Function: Wall motion and wall thickening normal; LV volumes and systolic function are normal.\n")
    assert value_at(out, "function.wall_motion") == "normal"
    assert value_at(out, "function.lv_size") == "normal"


def test_a_property_with_its_own_verdict_keeps_it(structure: Any) -> None:
    """Control: "LV size is moderately dilated" has a verdict of its own after the coordination."""
    out = structure("Function: Normal wall motion and LV size is moderately dilated.\n")
    assert value_at(out, "function.wall_motion") == "normal"
    assert value_at(out, "function.lv_size") == "dilated"


# --- a change word beside a named earlier study; an addendum placed above the report -------------------------------


def test_an_addendum_comparing_with_an_outside_study_replaces_no_prior(structure: Any) -> None:
    text = (
        "ADDENDUM (02/14/2026): The outside MPI (St. Vincent's, 2021) was received and reviewed. "
        "The present study is unchanged.\n\n"
        "FINDINGS: Normal perfusion.\n"
        "IMPRESSION: Normal study. No previous studies for comparison.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.comparison") == "unchanged"


def test_unchanged_without_an_earlier_study_is_no_comparison(structure: Any) -> None:
    """Control: "unchanged" said of the ECG during the test names no earlier study."""
    out = structure("ECG: ST segments unchanged throughout stress and recovery.\nIMPRESSION: Normal perfusion.\n")
    assert value_at(out, "impression.comparison") is None


def test_no_sentence_break_after_an_abbreviation_in_parentheses() -> None:
    from extraction.pipeline import get_pipeline

    doc = get_pipeline()("Images were compared with the SPECT done elsewhere (Dr. Osei, St. Mary's) last year.")
    assert len(list(doc.sents)) == 1


# --- a verdict dated to an earlier study ("at that time") ----------------------------------------------------------


def test_a_verdict_at_that_time_is_the_prior_studys(structure: Any) -> None:
    text = (
        "ADDENDUM: The 2019 outside SPECT has been reviewed; perfusion was abnormal at that time.\n"
        "FINDINGS: Homogeneous tracer uptake.\n"
        "IMPRESSION: Normal myocardial perfusion.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.overall") == "normal"
    assert value_at(out, "perfusion.result") == "normal"


def test_a_value_measured_at_that_time_of_this_test_is_kept(structure: Any) -> None:
    """Control: "at that time" here is a moment of this test; a measured value keeps its certainty."""
    text = (
        "Stress images were acquired 30 minutes later; the gated LVEF at that time was 58%.\n"
        "IMPRESSION: Normal myocardial perfusion.\n"
    )
    out = structure(text)
    assert value_at(out, "function.lvef_percent") == 58


def test_an_addendum_verdict_on_this_study_still_replaces_the_impression(structure: Any) -> None:
    """Control: an addendum's verdict about this study amends it."""
    text = (
        "ADDENDUM: On re-review, perfusion is abnormal, with a small reversible apical defect.\n"
        "IMPRESSION: Normal myocardial perfusion.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.overall") == "abnormal"


# --- the reason after a stress test named as what the patient came for -------------------------------------------


def test_a_letter_that_names_the_test_and_its_reason(structure: Any) -> None:
    text = (
        "Dear Dr. Lindgren,\n\nI saw Mrs. Ahn, 64, who underwent a regadenoson stress test for atypical chest "
        "pain with exertional dyspnoea. She had no chest pain during the infusion. Perfusion was normal.\n"
    )
    out = structure(text)
    assert value_at(out, "study.indication") == "atypical chest pain with exertional dyspnoea"


def test_a_prior_test_and_its_reason_are_no_indication(structure: Any) -> None:
    """Control: the reason of a previous test is not this study's."""
    text = "Compared with her previous SPECT for chest pain in 2020, perfusion is unchanged and normal.\n"
    out = structure(text)
    assert value_at(out, "study.indication") is None


def test_an_indication_header_wins_over_a_named_test(structure: Any) -> None:
    text = (
        "INDICATION: Syncope.\nPROCEDURE: The patient was brought for a nuclear stress test for risk stratification.\n"
    )
    out = structure(text)
    assert value_at(out, "study.indication") == "Syncope"
