"""Omission warnings (G503, G504, G506, G507) read what an impression says in other words, and each omission is said
once: a warning that fires on correct text is learned to be skipped (issue 15). The true omissions stay flagged."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from guardrails import verify
from reporter.domain.study import Study

INFEROLATERAL_SCAR = "dev14_spect_regadenoson_inferolateral_scar_periinfarct_ef41"  # high risk by its ESV only
RCA_FIVE_SEGMENTS = "dev6_spect_dobutamine_bb_submax_rca_ischemia"  # large by segment count, medium by % of the LV
LBBB_SEPTUM = "dev16_spect_regadenoson_lbbb_septal_artifact_small_lcx_ischemia_prior2023"  # dyskinetic septum


def _messages(text: str, study: Study, code: str) -> list[str]:
    return [f.message for f in verify(text, study, scope="impression") if f.code.value == code]


def _codes(text: str, study: Study) -> list[tuple[str, str]]:
    return [(f.code.value, f.severity.value) for f in verify(text, study, scope="impression")]


@pytest.mark.parametrize(
    "text",
    [
        # the LV's size, or its reduced function (the volume's other face)
        "Severe LAD and LCx ischaemia, SDS 23, with TID. LVEF 31%. The ventricle is enlarged. High risk.",
        "Severe LAD and LCx ischaemia, SDS 23, with TID. EDV 190 mL. High risk.",
        # a post-stress fall of the LVEF is the same poor emptying after stress
        "Severe LAD and LCx ischaemia, SDS 23, with TID; the ejection fraction declined after exercise. High risk.",
    ],
)
def test_a_high_end_systolic_volume_is_said_by_the_lv_size_or_its_reduced_function(
    multivessel: Study, text: str
) -> None:
    assert "The impression does not mention post-stress ESV 116 mL (> 70 mL)." not in _messages(
        text, multivessel, "G506"
    )


def test_a_high_end_systolic_volume_left_unsaid_is_still_flagged(multivessel: Study) -> None:
    text = "Severe LAD and LCx ischaemia, SDS 23, with TID. High risk."
    assert "The impression does not mention post-stress ESV 116 mL (> 70 mL)." in _messages(text, multivessel, "G506")


@pytest.mark.parametrize(
    "text",
    [
        "Reversible LAD and LCx defects involving roughly 34% of the left ventricle. High risk.",  # its own share
        "Substantial inducible ischaemia in the LAD and LCx beds. High risk.",  # an extent word beyond small
    ],
)
def test_the_ischemic_burden_is_said_by_its_share_or_an_extent_word(multivessel: Study, text: str) -> None:
    assert "The impression does not mention ischemia of 33.8% of the LV (>= 10%)." not in _messages(
        text, multivessel, "G506"
    )


def test_an_ischemic_burden_named_only_as_in_the_high_risk_range_is_still_flagged(multivessel: Study) -> None:
    # ("the burden is high-risk" says no amount; a deletion of the defect leaves only such a sentence)
    text = "LAD and LCx territories. The ischaemic burden is in the high-risk range. LVEF 31%. High risk."
    assert "The impression does not mention ischemia of 33.8% of the LV (>= 10%)." in _messages(
        text, multivessel, "G506"
    )


@pytest.mark.parametrize(
    "text",
    [
        "LAD and LCx ischaemia, SDS 23. EF 38% resting and 31% after exercise. High risk.",  # both values
        "LAD and LCx ischaemia, SDS 23. LVEF 31%; the ejection fraction declined after exercise. High risk.",
    ],
)
def test_a_post_stress_fall_of_the_lvef_is_said_by_both_values_or_as_a_fall(multivessel: Study, text: str) -> None:
    assert "The impression does not mention post-stress LVEF drop of 7 points." not in _messages(
        text, multivessel, "G506"
    )


def test_treadmill_score_blood_pressure_fall_and_transient_dilation_in_other_words(multivessel: Study) -> None:
    text = (
        "LAD and LCx ischaemia, SDS 23; DTS -16.5; systolic BP fell on exertion; the cavity dilates transiently "
        "after exercise. LVEF 31%. High risk."
    )
    assert _messages(text, multivessel, "G506") == [
        "The impression does not mention large LAD perfusion defect.",
        "The impression does not mention the ventricular tachycardia during stress.",
    ]


def test_a_missing_exercise_hypotension_is_still_flagged(multivessel: Study) -> None:
    text = "LAD and LCx ischaemia, SDS 23; DTS -16.5; TID 1.34; EF 38% at rest, 31% post-stress. Large LAD defect."
    assert "The impression does not mention exercise-induced hypotension." in _messages(text, multivessel, "G506")


def test_a_defect_large_by_segments_but_medium_by_share_is_sized_by_either_convention(
    study_of: Callable[[str], Study],
) -> None:
    text = (
        "Medium-sized reversible inferior and inferoseptal defect, RCA, "
        "about 16% of the myocardium. LVEF 54%. High risk."
    )
    assert _messages(text, study_of(RCA_FIVE_SEGMENTS), "G506") == []


def test_no_risk_graded_at_high_risk_is_one_warning_g503_not_also_g507(multivessel: Study) -> None:
    codes = _codes("LAD and LCx ischaemia, SDS 23. LVEF 31%.", multivessel)
    assert ("G503", "warning") in codes
    assert ("G507", "warning") not in codes


def test_intermediate_risk_read_for_a_volume_only_high_risk_is_shown_once_by_g801(
    study_of: Callable[[str], Study],
) -> None:
    text = (
        "Old inferior and inferolateral infarct, fixed, little peri-infarct ischaemia (SDS 2). LVEF 41% with "
        "inferior akinesis. Intermediate risk."
    )
    codes = _codes(text, study_of(INFEROLATERAL_SCAR))
    assert ("G801", "warning") in codes
    assert [c for c in codes if c[0] == "G503"] == []


@pytest.mark.parametrize(
    "closing",
    [
        "The annual event rate is expected to be about 1-3%.",  # a prognosis
        "Risk is not low.",  # the grade after its noun, denied
        "Interm. risk.",  # shortened
        "An intermediate overall risk.",  # a qualifier between grade and noun
    ],
)
def test_a_risk_stated_in_other_words_is_a_risk_statement(lad: Study, closing: str) -> None:
    text = f"Anterior reversible defect, LAD territory, moderate in extent. LVEF normal. {closing}"
    assert _messages(text, lad, "G507") == []


def test_no_risk_statement_at_all_is_still_flagged(lad: Study) -> None:
    text = "Anterior reversible defect, LAD territory, moderate in extent. LVEF normal."
    assert _messages(text, lad, "G507") == ["The impression states no risk category."]


def test_a_qualified_risk_of_another_category_is_not_taken_as_the_risk_statement(lad: Study) -> None:
    # ("high" is not the rules' category; a qualified grade no check verifies does not silence G507)
    text = "Anterior reversible defect, LAD territory, moderate in extent. LVEF normal. A high cardiac-event risk."
    assert _messages(text, lad, "G507") == ["The impression states no risk category."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Normal perfusion; the ejection fraction is normal. Low risk.", []),
        ("Normal perfusion and normal global LV function. Low risk.", []),
        ("Normal perfusion. Low risk.", ["The impression does not state the LV function."]),
    ],
)
def test_a_normal_lv_function_named_with_its_grade_is_stated(
    normal_exercise: Study, text: str, expected: list[str]
) -> None:
    assert _messages(text, normal_exercise, "G504") == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The septum moves paradoxically from the LBBB.", []),
        ("Septal dyssynchrony from the bundle branch block.", []),
        (
            "",
            ["The impression does not mention the regional wall motion abnormality (dyskinetic segments 2, 8, 9)."],
        ),
    ],
)
def test_a_dyskinetic_septum_is_said_as_its_paradoxical_motion(
    study_of: Callable[[str], Study], sentence: str, expected: list[str]
) -> None:
    text = f"Small reversible lateral defect (LCx), new since 2023. {sentence} EF 52%. Low to intermediate risk."
    assert [m for m in _messages(text, study_of(LBBB_SEPTUM), "G504") if "wall motion" in m] == expected
