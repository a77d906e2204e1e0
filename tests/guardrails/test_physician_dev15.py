"""Physician-written impressions of the blind set dev15 (issue 15): each cause of a former false error or miss,
checked on sentences written here in other words, beside a wrong sentence the same mechanism must still flag; and
the set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); the omissions and
the advice, which are warnings in a physician's text, are checked by their warning codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from guardrails import verify
from reporter.domain.study import Study

# N-13 PET: reversible RCA defect (SDS 11, 16.2 %), RCA MFR 1.5 (reduced), LAD 3.0, LCx 2.8, global 2.5, CAC 640
PET = "dev15_pet_n13_adenosine_rca_ischemia_low_rca_mfr_cac640"
# dobutamine-atropine SPECT on metoprolol, 78 % MPHR: mild fixed inferior reduction read as diaphragmatic attenuation
DOBUTAMINE = "dev15_spect_dobutamine_atropine_asthma_metoprolol_submax_probably_normal_diaphragm_atten"
# exercise SPECT: LAD and LCx ischaemia (SDS 23), 2.5 mm ST depression, limiting angina, Duke -14.5
EXERCISE = "dev15_spect_exercise_metoprolol_submax_lad_lcx_ischemia_tid131_ef_drop_duke_neg14_5"
# two-day regadenoson SPECT: large severe fixed RCA scar, LVEF 38 %; prior report 2024-05-10 moderate, LVEF 45 %
SCAR = "dev15_spect_regadenoson_twoday_large_inferior_scar_ef38_worse_prior_report"
# exercise Tl-201 of a woman: normal perfusion, 2 mm ST depression in II, III, aVF, V4-V6, Duke -5
WOMAN = "dev15_spect_tl201_exercise_woman_normal_positive_ecg_duke_neg5"

CASES = [
    # a vessel alone in parentheses after a value labels that value, whatever territory the sentence named first
    (PET, "Flow reserve 1.5 in the RCA against 3.0 (LAD) and 2.8 (LCx).", []),
    (PET, "Stress flow 1.20 mL/min/g in the RCA versus 2.49 mL/min/g (left anterior descending).", []),
    (PET, "MFR: RCA 1.50, then 2.8 (LAD) and 3.0 (LCx).", ["G106"]),
    (PET, "RCA stress MBF 1.20 vs 2.30 (LAD).", ["G106"]),
    # an agent said to be unsuitable or contraindicated after its name is not the agent given
    (DOBUTAMINE, "Dobutamine was chosen since regadenoson-type agents are contraindicated in asthma.", []),
    (DOBUTAMINE, "Dobutamine stress; adenosine was considered unsafe given her asthma.", []),
    (DOBUTAMINE, "Adenosine stress perfusion study, probably normal.", ["G603"]),
    (DOBUTAMINE, "Adenosine was used as the stressor.", ["G603"]),
    # the length of a plan or an instruction is no measurement of the study
    (DOBUTAMINE, "Consider repeating the test after stopping metoprolol for 2 days.", []),
    (DOBUTAMINE, "Repeat within 18 months if symptoms persist.", []),
    (DOBUTAMINE, "Peak HR 48 bpm.", ["G108"]),
    # "pumping function" labels the LVEF
    (SCAR, "His heart's pumping function is down to 38%.", []),
    (SCAR, "Pump function 45%.", ["G101"]),
    # a heading that names the prior, and a clause "previously reported as ...", give the prior's values
    (
        SCAR,
        "Large severe fixed inferior scar, LVEF 38%.\nPrior study (05/2024): moderate fixed inferior defect; LVEF 45%.",
        [],
    ),
    (
        SCAR,
        "Large severe fixed inferior scar.\nPREVIOUS: moderate fixed inferior defect; EF 45%; now LVEF 45%.",
        ["G101"],
    ),
    (
        SCAR,
        "The inferior scar, formerly described as moderate with an EF of 45%, is now severe and large; LVEF 38%.",
        [],
    ),
    (SCAR, "Previously read as a moderate inferior defect with LVEF 45%, it is now severe and large, LVEF 38%.", []),
    (
        SCAR,
        "Previously read as a moderate inferior defect with LVEF 45%, it is now severe and large, LVEF 45%.",
        ["G101"],
    ),
    # a "Change:" heading is a comparison: its word is checked against the prior
    (SCAR, "Large severe fixed inferior scar, LVEF 38%.\nCHANGE: improved.", ["G702"]),
    (SCAR, "Large severe fixed inferior scar, LVEF 38%.\nChange since last study: better.", ["G702"]),
    (SCAR, "Large severe fixed inferior scar, LVEF 38%.\nInterval change: worse.", []),
    # the ischemic burden graded by a predicate
    (PET, "About 16% of the myocardium is ischaemic, a burden that is mild.", ["G301"]),
    (PET, "The ischemic burden, at roughly 16%, is considered minimal.", ["G301"]),
    (PET, "Ischaemic myocardium 16%: a burden most would regard as moderate.", []),
    # a one-line defect record cut at its semicolons is one defect; a field's name is no value
    (SCAR, "DEFECT: RCA; walls inferior, inferoseptal; severity mild; extent large; reversibility fixed.", ["G301"]),
    (SCAR, "Defect 1: inferior; severity: severe; extent: large; reversibility: fixed.", []),
    (SCAR, "Defect 1: inferior; severity: severe; extent: small; reversibility: fixed.", ["G302"]),
    (SCAR, "Defect 1: inferior; severity: severe; extent: large; reversibility: reversible.", ["G303"]),
    # a perfusion verdict with an adverb before it, or with no verb
    (WOMAN, "Stress images were definitely abnormal.", ["G602"]),
    (WOMAN, "Thallium scan abnormal; LVEF 66%.", ["G602"]),
    (WOMAN, "Perfusion imaging normal; LVEF 66%.", []),
    (WOMAN, "The thallium images look normal.", []),
    # a positive or negative exercise (treadmill) test is the ECG response
    (EXERCISE, "Negative treadmill test despite limiting angina.", ["G607"]),
    (EXERCISE, "Positive exercise tolerance test with limiting angina.", []),
    # a contrast ends a denial's scope: the angina after "despite" is affirmed
    (EXERCISE, "Negative ECG in spite of limiting angina.", ["G607"]),
    (EXERCISE, "No angina despite 2.5 mm ST depression.", ["G601"]),
    (WOMAN, "Positive exercise test, normal perfusion.", []),
    (WOMAN, "Negative exercise test, normal perfusion.", ["G607"]),
    # leads named one by one: none of them recorded the ST changes
    (WOMAN, "2 mm ST depression in V1 and V2.", ["G202"]),
    (WOMAN, "Downsloping ST depression of 2 mm in leads I and aVL.", ["G202"]),
    (WOMAN, "Downsloping ST depression of 2 mm in leads II, III and aVF.", []),
    (WOMAN, "2 mm STD V4-V6.", []),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev15_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def _warnings(text: str, study: Study, scope: str = "full") -> list[str]:
    flags = verify(text, study, scope=scope)  # type: ignore[arg-type]
    return sorted(f.code.value for f in flags if f.severity.value == "warning")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an angiogram denied is no advice against the facts; one arranged for a normal low-risk study is
        ("I don't believe she needs an angiogram on these results.", ["G411"]),
        ("She does not need cardiac catheterisation.", ["G411"]),
        ("She needs an angiogram.", ["G412"]),
        ("An urgent angiogram has been booked.", ["G412"]),
    ],
)
def test_dev15_denied_angiogram(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert [c for c in _warnings(text, study_of(WOMAN)) if c in ("G411", "G412")] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a flow reserve reduced in one territory is owed in a PET impression that says nothing of flow
        ("Reversible RCA defect, 16% of the LV. No scar. LVEF 54% to 60%. CAC 640. High risk.", ["G508"]),
        ("Reversible RCA defect with a reduced RCA flow reserve. LVEF 54% to 60%. CAC 640. High risk.", []),
        ("Reversible RCA defect; regional MFR low in the RCA. LVEF 54% to 60%. CAC 640. High risk.", []),
    ],
)
def test_dev15_reduced_regional_flow_owed(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert [c for c in _warnings(text, study_of(PET), "impression") if c == "G508"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the submaximal caveat in the words of a letter ("% of target", "less sensitive")
        ("Probably normal; her heart rate reached 78% of target, which makes the test less sensitive.", []),
        ("The scan was probably normal, though the test is less sensitive at this heart rate.", []),
        ("Probably normal perfusion, mild inferior attenuation. LVEF 67%. Low risk.", ["G509"]),
    ],
)
def test_dev15_submaximal_caveat(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert [c for c in _warnings(text, study_of(DOBUTAMINE), "impression") if c == "G509"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the LVEF in a letter's words says the reduced LVEF; left out, it is missing
        ("Large inferior scar; his pumping function has fallen to 38%. High risk.", []),
        ("Large inferior scar, bigger than in 2024. High risk.", ["G504"]),
    ],
)
def test_dev15_lvef_in_lay_words(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert [c for c in errors(text, study_of(SCAR), "impression") if c == "G504"] == expected


def test_dev15_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: every correct impression free of error flags, and every corruption but one
    (the ST depression's sentence deleted from an impression that still calls the ECG positive) detected."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_dev15")
    assert (clean, flagged) == (23, [])
    assert (corrupted, missed) == (69, [f"{WOMAN}/e:omission"])
