"""Numbers a study implies but does not store (guardrails.facts._derived, checks._derived_holds, claims'
exercise times): each rule on wordings written here, not the battery's (bench/number_battery.py) nor the blind
sets': the correct number clean, a changed digit flagged with its literal code, and a derived value without the
words that name it still unsupported.

``errors``: the sorted error-severity codes of a sentence verified alone (scope "full").
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails.facts import study_facts
from reporter.domain.study import Study

# Bruce 4.0 min, limiting angina, ST 2.5 mm (Duke -16.5); age 63 (APMHR 157); HR 76 -> 128, SBP 146 -> 130;
# LVEF 38% rest, 31% post-stress; 10 / 30 mCi; LAD (7 segments) and LCx (4 segments) defects
MULTIVESSEL = "spect_multivessel_high_risk"
# prior 2024-11-05 (LVEF 58%), this study 2026-11-20; LVEF 56% rest, 47% post-stress; HR 66 -> 140
RCA_WORSE = "dev_spect_followup_worse_rca_exercise"
# Bruce 6.5 min
SUBMAXIMAL = "dev4_spect_normal_submaximal_beta_blocker_atten"


@pytest.mark.parametrize(
    ("right", "wrong", "code"),
    [
        # heart-rate rise and systolic fall, peak - rest
        ("Heart rate climbed by 52 bpm.", "Heart rate climbed by 42 bpm.", "G108"),
        ("Systolic pressure fell 16 mmHg at peak.", "Systolic pressure fell 26 mmHg at peak.", "G108"),
        # double product, peak HR x peak SBP = 16,640, at the text's precision or to its last non-zero digit
        ("Peak rate-pressure product 16,640.", "Peak rate-pressure product 16,460.", "G111"),
        ("DP at peak 16,600.", "DP at peak 16,900.", "G111"),
        ("DP at peak about 16,600.", "DP at peak about 18,600.", "G111"),
        # 85 % of (220 - 63) = 133.45 bpm
        ("The 85% target of 133 bpm was not reached.", "The 85% target of 143 bpm was not reached.", "G108"),
        # (38 - 31) / 38 = 18.4 %
        (
            "Ejection fraction 38% falling to 31% after stress, a relative decline of roughly 18%.",
            "Ejection fraction 38% falling to 31% after stress, a relative decline of roughly 28%.",
            "G111",
        ),
        # 30 mCi = 1110 MBq = 1.11 GBq
        ("Stress dose 1.1 GBq sestamibi.", "Stress dose 1.4 GBq sestamibi.", "G111"),
        # the defects' segments together: 7 + 4
        (
            "Reversible defects occupy 11 of the 17 segments.",
            "Reversible defects occupy 13 of the 17 segments.",
            "G111",
        ),
        # exercise time in minutes and seconds
        ("Exercise 4:00 on the Bruce protocol.", "Exercise 4:40 on the Bruce protocol.", "G109"),
    ],
)
def test_numbers_the_multivessel_study_implies(
    study_of: Callable[[str], Study], right: str, wrong: str, code: str
) -> None:
    study = study_of(MULTIVESSEL)
    assert errors(right, study) == []
    assert errors(wrong, study) == [code]


def test_a_derived_value_needs_the_words_that_name_it(study_of: Callable[[str], Study]) -> None:
    study = study_of(MULTIVESSEL)
    # 16,640 is the double product only where the text says so; 52 bpm is the rise, not a resting rate
    assert errors("Heart rate at peak 128 bpm; 16,640 in all.", study) == ["G111"]
    assert errors("Heart rate 52 bpm at rest.", study) == ["G108"]
    # the weights of the Duke formula are its terms only beside a multiplication in a Duke sentence
    assert errors("Duke score -16.5 (4 - 5 x 2.5 - 4 x 2).", study) == []


def test_the_derived_numbers_of_the_facts(study_of: Callable[[str], Study]) -> None:
    fx = study_facts(study_of(MULTIVESSEL))
    assert (52.0, "change", "hr") in fx.derived["bpm"]
    assert (-16.0, "change", "bp") in fx.derived["mmHg"]
    assert (16640.0, "product", None) in fx.derived["none"]
    assert (0.85 * 157, "target", "hr") in fx.derived["bpm"]
    assert {5.0, 4.0, 2.0} <= {v for v, kind, _ in fx.derived["none"] if kind == "duke_term"}
    assert 11.0 in fx.bag["count"]


def test_changes_since_the_prior_and_the_years_between(study_of: Callable[[str], Study]) -> None:
    study = study_of(RCA_WORSE)
    assert errors("The previous scan, 2 years ago, showed milder inferior ischaemia.", study) == []
    assert errors("The previous scan, 3 years ago, showed milder inferior ischaemia.", study) == ["G111"]
    assert errors("Resting LVEF 56%, 2 points below the prior's 58%.", study) == []
    assert errors("Resting LVEF 56%, 4 points below the prior's 58%.", study) == ["G101"]
    assert errors("Post-stress LVEF 47%, 11 points lower than the prior study.", study) == []
    assert errors("Post-stress LVEF 47%, 12 points lower than the prior study.", study) == ["G101"]
    assert errors("HR 66 to 140 bpm, up 74 bpm.", study) == []
    assert errors("HR 66 to 140 bpm, up 84 bpm.", study) == ["G108"]


def test_exercise_time_in_minutes_and_seconds(study_of: Callable[[str], Study]) -> None:
    study = study_of(SUBMAXIMAL)  # 6.5 min
    assert errors("Treadmill time 6 min 30 s on a Bruce protocol.", study) == []
    assert errors("Treadmill time 6 min 50 s on a Bruce protocol.", study) == ["G109"]
    assert errors("Bruce exercise for 6'30\".", study) == []
    assert errors("Bruce exercise for 5'30\".", study) == ["G109"]
    # a time of day outside a sentence about the exercise is no value
    assert errors("Tracer injected at 10:30.", study) == []


def test_a_duke_score_the_reader_computes_where_the_baseline_ecg_is_nondiagnostic(
    example: Callable[[str], Study],
) -> None:
    data = example("spect_normal_exercise").model_dump(mode="json")  # Bruce 9 min, no ST change, no angina
    data["stress"]["baseline_ecg"] = "LVH with repolarization abnormality"
    study = Study.model_validate(data)
    assert study.duke_treadmill_score is None  # the rules give none
    assert errors("Duke treadmill score 9 (ECG nondiagnostic for ischemia).", study) == []
    assert errors("Duke treadmill score 7 (ECG nondiagnostic for ischemia).", study) == ["G111"]
