"""Physician-written impressions of the released blind set test13 (round 12): each cause of a former false error,
checked on sentences written here in other words, beside a wrong sentence the same mechanism must still flag; and
the set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from guardrails import verify
from reporter.domain.study import Study

# N-13 PET, normal relative perfusion, global MFR 2.00, RCA MFR 1.65, CAC 1210 (LAD 620); the rules: low risk by
# perfusion with a long-term risk added by the calcium score
PET = "test13_pet_n13_regadenoson_woman_dm_normal_perfusion_borderline_mfr_cac1210"
# Tl-201 exercise: small mild LCx defect, TID 1.30, lung/heart 0.58 (high risk); Duke -6.5 (moderate band)
THALLIUM = "test13_spect_tl201_exercise_small_inferolateral_tid130_lhr058"
# dialysis: LCx scar with peri-infarct ischaemia (SDS 7), LVEF 44/46 %; prior 2025-05-20 (18 months), fixed defect
DIALYSIS = "test13_spect_regadenoson_dialysis_inferolateral_scar_periinfarct_ischemia_worse_prior"
# AF, adenosine: LAD + RCA ischaemia, SDS 29, LVEF 55 -> 42 %
AFIB = "test13_spect_adenosine_afib_severe_lad_rca_ischemia_lvef_drop"

CASES = [
    # a risk word set after a Duke value and a comma is the band of that score, not the study's risk
    (THALLIUM, "Treadmill score: -6.5, moderate risk. Overall a high-risk scan.", []),
    (THALLIUM, "Treadmill score: -6.5, low risk. Overall a high-risk scan.", ["G801"]),
    (THALLIUM, "Duke -6.5, intermediate risk; study high risk on TID and lung uptake.", []),
    (THALLIUM, "Duke -6.5, high risk; study high risk on TID and lung uptake.", ["G801"]),
    # low risk denied where a severe calcium score adds long-term risk to the perfusion's low: a reading
    (PET, "Perfusion normal, but with an Agatston score of 1210 I would not call her low risk.", []),
    # ... the denial of a category the rules do not give stays an error
    (PET, "Perfusion normal, Agatston score 1210, not an intermediate or high risk study; she is not high risk.", []),
    # a bound on the calcium score at one of its cut-points holds on the study's side of it
    (PET, "Agatston 1210, i.e. above 1000.", []),
    (PET, "Agatston 1210, i.e. below 1000.", ["G111"]),
    (PET, "CALCIUM=1210 (>400)", []),
    (PET, "CALCIUM=1210 (<400)", ["G111"]),
    # a diagnosis named as the object of a possibility is weighed, not stated (a warning only)
    (PET, "Borderline reserve of 2.0 with heavy calcium raises the question of balanced disease.", []),
    (PET, "Borderline reserve of 2.0 with heavy calcium shows balanced disease.", ["G409"]),
    # a finding "not seen before" is new since the prior, not denied now
    (DIALYSIS, "Moderate peri-infarct ischaemia that was not present before.", []),
    (DIALYSIS, "No peri-infarct ischaemia, as before.", ["G601"]),
    # an approximation said after the number and its unit
    (DIALYSIS, "Ejection fraction 45% or so.", []),
    (DIALYSIS, "Ejection fraction 39% or so.", ["G101"]),
    # the months since the prior, placed before this study
    (DIALYSIS, "LVEF has fallen since the scan 18 months earlier.", []),
    (DIALYSIS, "LVEF has fallen since the scan 31 months earlier.", ["G111"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test13_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # this study's own SDS says there is ischaemia and that perfusion is abnormal: G501 a warning, no G505
        ("SDS 29 with a fall of LVEF to 42% and TID 1.24: high risk, multivessel LAD and RCA disease.", []),
        ("A fall of LVEF to 42% and TID 1.24: high risk, multivessel LAD and RCA disease.", ["G501", "G505"]),
    ],
)
def test_test13_own_sds_names_ischemia(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert [c for c in errors(text, study_of(AFIB), "impression") if c in ("G501", "G505")] == expected


def test_test13_risk_with_a_reduced_regional_flow_reserve(study_of: Callable[[str], Study]) -> None:
    # the RCA flow reserve of 1.65 under normal relative perfusion makes the rules' risk intermediate (round 20,
    # SNMMI-ASNC-PET-FLOW-2018): denying low risk agrees with it, calling it low is an error (it was a warning while
    # the rules said low and the calcium argued against it)
    def g801(text: str) -> list[tuple[str, str]]:
        return [(f.code.value, f.severity.value) for f in verify(text, study_of(PET)) if f.code.value == "G801"]

    assert g801("Normal perfusion; CAC 1210; this is not a low risk study.") == []
    assert g801("Normal perfusion; CAC 1210; this is a low risk study.") == [("G801", "error")]


def test_test13_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: every correct impression free of error flags."""
    clean, flagged, corrupted, _ = score_physician_set("physician_impressions_test13")
    assert (clean, flagged, corrupted) == (20, [], 70)
