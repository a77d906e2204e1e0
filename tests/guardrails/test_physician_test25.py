"""Physician-written impressions of the blind set test25 (round 18's sealed set, released after its first wave): each
cause of a former false error or miss, checked on sentences written here in other words, beside a wrong sentence the
same mechanism must still flag; and the set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); the advice cases compare
the warning codes, as the bench counts advice.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from guardrails import verify
from reporter.domain.study import Study

# N-13 ammonia PET: near-normal relative perfusion (mild apical/anterior defect, SSS 2); global MBF 0.90 rest ->
# 0.99 stress, MFR 1.1; LAD 0.92 -> 1.01, LCx 0.88 -> 0.97, RCA 0.90 -> 1.08; TID 1.22; LVEF 58 % -> 49 %; high risk
PET = "test25_pet_n13_regadenoson_balanced_multivessel_low_global_mfr11_tid_ef_drop"
# treadmill: LBBB from HR 128 bpm (recorded in the arrhythmias), peak HR 160, rest 72; normal perfusion; low risk
LBBB = "test25_spect_exercise_rate_related_lbbb_normal_perfusion_good_capacity_duke8"
# dipyridamole Tl-201 stress-redistribution: severe medium lateral LCx defect that reverses almost fully (SDS 12,
# 17.6 % ischaemic), LHR 0.58; high risk
TL = "test25_spect_tl201_dipyridamole_redistribution_lcx_ischemia_increased_lung_uptake"
# regadenoson, haemodialysis: anterior LAD scar with mild peri-infarct ischaemia, unchanged from the 2023 study
DIALYSIS = "test25_spect_regadenoson_dialysis_moderate_anterior_scar_periinfarct_ischemia_ef45_unchanged_vs_2023"

_PET_BASE = "High-risk PET: TID 1.22, LVEF 58% falling to 49% at stress."
_TL_BASE = "High-risk study: lung/heart ratio raised at 0.58."

CASES = [
    # the flow a stress MBF rises from is the rest flow; values before a list of territories are none of them alone
    (PET, _PET_BASE + " Hyperaemic MBF only increases from 0.90 to 0.99 mL/min/g, low in the LAD, LCx and RCA.", []),
    (PET, _PET_BASE + " Hyperaemic MBF only increases from 0.70 to 0.99 mL/min/g, low in the LAD, LCx and RCA.",
     ["G106"]),
    (PET, _PET_BASE + " Hyperaemic MBF only increases from 0.90 to 1.30 mL/min/g, low in the LAD, LCx and RCA.",
     ["G106"]),
    # a clause about the measured flow after a placed defect: its territories are not the defect's
    (PET, _PET_BASE + " Only a small mild apical defect on the relative images, whereas the quantitative data "
     "disagree: MFR 1.1 globally, and it is reduced evenly in the LAD, LCx and RCA.", []),
    (PET, _PET_BASE + " Only a small mild apical defect in the RCA territory on the relative images.", ["G201"]),
    # ... and a pronoun that takes up the flow reserve is graded
    (PET, _PET_BASE + " Small mild apical defect. The MFR is 1.1, and it is preserved in the LAD, LCx and RCA.",
     ["G301"]),
    # the rise of the flow in % of the rest flow is the flow reserve less one
    (PET, _PET_BASE + " Put simply, the blood flow goes up by only about 10% with the drug, not the usual doubling.",
     []),
    (PET, _PET_BASE + " Put simply, the blood flow goes up by only about 40% with the drug, not the usual doubling.",
     ["G111"]),
    # the heart rate an ECG event began at, said before the event, is the event's rate
    (LBBB, "Normal perfusion, low risk. From a rate of 128 bpm the QRS widened into a left bundle branch block.", []),
    (LBBB, "Normal perfusion, low risk. At around 128 the tracing showed LBBB, which settled in recovery.", []),
    (LBBB, "Normal perfusion, low risk. At around 140 the tracing showed LBBB, which settled in recovery.", ["G111"]),
    (LBBB, "Normal perfusion, low risk. Peak heart rate 128 bpm with LBBB.", ["G108"]),
    # "a new area of ischaemia" compares with the prior
    (DIALYSIS, "Anterior scar with mild peri-infarct ischaemia, as on the 2023 study; LVEF 45%. No new region of "
     "ischaemia is seen.", []),
    (DIALYSIS, "Anterior scar with mild peri-infarct ischaemia; LVEF 45%. Compared with 2023 there is a new region "
     "of ischaemia.", ["G702"]),
    # the size of an area of ischaemia in plain words, with the term in parentheses
    (TL, _TL_BASE + " There is a sizeable zone of poor blood supply (ischaemia) in the lateral wall, circumflex "
     "territory.", []),
    (TL, _TL_BASE + " There is a tiny zone of poor blood supply (ischaemia) in the lateral wall, circumflex "
     "territory.", ["G301", "G302"]),
    # "redistribution study" names the late images, not the defect's course; the defect's own verb then decides
    (TL, "Stress and 4 h redistribution imaging: severe lateral LCx defect that fills in almost completely. "
     + _TL_BASE, []),
    (TL, "Stress and 4 h redistribution imaging: severe lateral LCx defect that does not redistribute. "
     + _TL_BASE, ["G303"]),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test25_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def _advice_warnings(text: str, study: Study) -> list[str]:
    flags = verify(text, study, scope="impression")
    return sorted(f.code.value for f in flags if f.severity.value == "warning" and f.code.value in ("G411", "G412"))


ADVICE = [
    # an invasive test advised after a normal low-risk study (the telegraphic "angiography indicated" is not read as
    # advice: reading it raised unverified warnings on correct impressions, see the set's README)
    (LBBB, "Normal perfusion, low risk. Cardiac catheterisation is warranted given the bundle branch block.",
     ["G412"]),
    # stopping antiplatelet therapy where the images show ischaemia is advice against the facts (ACC-AHA-SIHD-2012;
    # round 20's recall60 made it G412 from G411, advice that no fact verifies)
    (TL, _TL_BASE + " Severe reversible lateral LCx ischaemia. He may discontinue the aspirin now.", ["G412"]),
    (TL, _TL_BASE + " Severe reversible lateral LCx ischaemia. He should keep taking aspirin.", []),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), ADVICE)
def test_test25_advice(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert _advice_warnings(text, study_of(stem)) == expected


def test_test25_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: every correct impression free of error flags; the corruptions left are
    listed in the set's README (a lay septum, an added TID, an LBBB said not to resolve, an equivocal clause)."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_test25")
    assert (clean, flagged) == (21, [])
    assert corrupted == 70
    assert missed == [
        "test25_spect_exercise_diltiazem_submaximal_small_fixed_apical_defect_equivocal_attenuation_vs_infarct/c:omission",
        "test25_spect_exercise_diltiazem_submaximal_small_fixed_apical_defect_equivocal_attenuation_vs_infarct/d:added_finding",
        "test25_spect_exercise_rate_related_lbbb_normal_perfusion_good_capacity_duke8/b:negation",
        "test25_spect_exercise_rate_related_lbbb_normal_perfusion_good_capacity_duke8/b:added_finding",
        "test25_spect_exercise_rate_related_lbbb_normal_perfusion_good_capacity_duke8/d:unsupported_advice",
    ]
