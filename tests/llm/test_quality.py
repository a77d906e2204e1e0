"""The rule that says whether a verified model sentence is worth more than the rule sentence."""

from __future__ import annotations

import pytest

from reporter.llm.quality import Comparison, compare, problems

REF = "Normal left ventricular systolic function (LVEF 55%)."


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        (REF, REF, "identical"),
        ("Left ventricular systolic function normal (LVEF 55%).", REF, "order_only"),
        (
            "Left ventricular systolic function is normal, with no evidence of decreased left ventricular systolic "
            "function.",
            REF,
            "worse",
        ),
        (
            "The exercise test was Adequate exercise test (94% of age-predicted maximal heart rate).",
            "Adequate exercise test (94% of age-predicted maximal heart rate) with a nonischemic ECG response.",
            "worse",
        ),
        ("Normal LV systolic function (LVEF 55%).", REF, "better"),
        ("Left ventricular systolic function is normal, with an LVEF of 55%.", REF, "other"),
    ],
)
def test_comparison_with_the_reference(text: str, reference: str, expected: str) -> None:
    assert compare(text, reference) == Comparison(expected)


def test_the_problems_are_named() -> None:
    assert problems("Perfusion is normal, normal perfusion is normal perfusion.", "Normal myocardial perfusion.") == [
        "duplicated phrase: 'perfusion is normal'"
    ]
    assert problems(
        "Left ventricular systolic function is normal, with no evidence of decreased left ventricular "
        "systolic function.",
        REF,
    ) == [
        "duplicated phrase: 'left ventricular systolic'",
        "tautology: 'left ventricular systolic function' negated after being stated",
    ]
    assert problems("The exercise test was Adequate exercise test (94%).", "Adequate exercise test (94%).") == [
        "rule fragment pasted in: 'Adequate exercise test'"
    ]
