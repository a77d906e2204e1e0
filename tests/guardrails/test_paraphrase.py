"""A rephrased sentence keeps every number and clinical term of its reference and adds none."""

from __future__ import annotations

import pytest

from guardrails import check_paraphrase

LVEF = "Normal left ventricular systolic function (LVEF 55%)."
LAD = (
    "Abnormal myocardial perfusion: medium, moderate, reversible defect in the LAD territory (anterior), "
    "consistent with ischemia; ischemic myocardium 8.8% of the left ventricle (mild)."
)


def codes(reference: str, candidate: str) -> list[tuple[str, str]]:
    return [(f.code.value, f.message) for f in check_paraphrase(reference, candidate)]


@pytest.mark.parametrize(
    "candidate",
    [
        "Left ventricular systolic function is normal, with an LVEF of 55%.",
        "Left ventricular systolic function is normal (ejection fraction 55%).",
    ],
)
def test_faithful_rephrasings_pass(candidate: str) -> None:
    assert codes(LVEF, candidate) == []


def test_an_added_organ_and_a_dropped_subject_are_flagged() -> None:
    assert codes(LVEF, "Lung function is normal, with a drop of 55% of normal.") == [
        ("G905", "'normal' is said more often than in the reference"),
        ("G905", "'reduced' is not in the reference"),
        ("G905", "'lung' is not in the reference"),
        ("G904", "'systolic function' of the reference is missing"),
    ]


def test_a_summary_that_loses_location_and_burden_is_flagged() -> None:
    assert [c for c, _ in codes(LAD, "Mild ischemic myocardium is consistent with ischemia.")] == ["G904"] * 8


def test_numbers_must_match_exactly() -> None:
    assert codes(LVEF, "Left ventricular systolic function is normal (LVEF 65%).") == [
        ("G904", "the number 55 of the reference is missing"),
        ("G905", "the number 65 is not in the reference"),
    ]


def test_a_dropped_negation_is_flagged() -> None:
    reference = "Normal myocardial perfusion, without evidence of ischemia or infarction."
    assert codes(reference, "Normal myocardial perfusion, with evidence of ischemia or infarction.") == [
        ("G904", "'negation' of the reference is missing")
    ]


@pytest.mark.parametrize(
    ("reference", "candidate", "message"),
    [
        (LVEF, "Normal LV function is normal (LVEF 55%).", "'normal' is said more often than in the reference"),
        (
            "Nonischemic ECG response to pharmacologic stress.",
            "The nonischemic ECG response to pharmacologic stress was nonischemic.",
            "'nonischemic' is said more often than in the reference",
        ),
        (
            LVEF,
            "Normal left ventricular systolic function, left ventricular systolic function (LVEF 55%).",
            "the phrase 'left ventricular systolic' is repeated",
        ),
        (
            LVEF,
            "Normal left ventricular systolic function (LVEF 55%); coronary angiography is recommended.",
            "advice or a conclusion is not in the reference",
        ),
    ],
)
def test_tautologies_repetitions_and_added_advice_are_flagged(reference: str, candidate: str, message: str) -> None:
    assert ("G905", message) in codes(reference, candidate)


def test_a_rephrasing_may_split_one_negation_in_two() -> None:
    reference = "Normal myocardial perfusion, without evidence of ischemia or infarction."
    assert codes(reference, "Myocardial perfusion is normal, with no ischemia and no infarction.") == []
