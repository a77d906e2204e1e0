"""Physician-written impressions of the blind set test21 (round 16's first sealed set, released after its first
wave): each cause of a former false error or miss, checked on sentences written here in other words, beside a wrong
sentence the same mechanism must still flag; and the set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); readings are checked by
their warning codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from guardrails import verify
from reporter.domain.study import Study

# two-day regadenoson with low-level exercise: a small moderate fixed defect of the apex (segment 17 at 2/2) with
# normal motion, chest tightness with an angina index of none
APX = "test21_spect_twoday_regadenoson_lowlevel_exercise_apical_thinning_chest_tightness"
# N-13 ammonia PET after CABG: near-normal relative perfusion, global MFR 1.2 (prior of 2024: MFR 2.1), high risk
PET = "test21_pet_n13_regadenoson_post_cabg_balanced_low_flow_mfr12_prior"
# adenosine: large fixed LAD scar, apical aneurysm (dyskinesis), LVEF 28 %, gated
LAD = "test21_spect_adenosine_lad_scar_apical_aneurysm_ef28_unchanged"
# dobutamine-atropine: moderate reversible lateral defect (LCx), LVEF 50 %
DOB = "test21_spect_dobutamine_atropine_asthma_lateral_ischemia_ef50_nsvt"

CASES = [
    # a moderate fixed apical-only reduction that moves normally may be read as apical thinning (shown, not an error),
    # and infarction denied of it in that reading is the reader's call; a reversible apical defect is not thinning
    (APX, "Small fixed defect of the apical cap with normal motion, read as apical thinning; no ischemia; EF 62%; "
     "low risk.", []),
    (APX, "Small fixed apex defect; apical thinning is the likeliest explanation, not an infarct. No ischaemia. "
     "EF 62%. Low risk.", []),
    (APX, "Small reversible apical defect; no ischemia; EF 62%; low risk.", ["G303", "G402", "G502"]),
    # angina denied where the angina index is none agrees, though a chest symptom is recorded; chest discomfort
    # denied does not
    (APX, "He had chest tightness with the regadenoson but no anginal pain; ECG unchanged. Small fixed apical defect, "
     "apical thinning. No ischemia, EF 62%, low risk.", []),
    (APX, "No chest discomfort at all during stress. Small fixed apical defect, apical thinning. No ischemia, EF 62%, "
     "low risk.", ["G601"]),
    # a normal verdict conceded as what part of the findings would suggest, then overruled, is not the verdict
    (PET, "Relative uptake looks uniform and could be taken for a normal scan, but flow reserve is reduced everywhere "
     "(global 1.2): balanced ischaemia, high risk.", []),
    (PET, "Probably a normal study; global MFR 1.2 with balanced ischaemia, high risk.", ["G602"]),
    # a value in a clause dated to the prior, in the past tense, is the prior's
    (PET, "Global MFR 1.2 now. Back in 2024 the reserve had been 2.1. Balanced ischaemia, high risk.", []),
    (PET, "Global MFR 1.2 now. In 2024 the reserve was 3.4. Balanced ischaemia, high risk.", ["G111"]),
    # a flow reserve graded after its value by an adverb and its participle
    (PET, "Global MFR 1.2, moderately reduced everywhere; balanced ischaemia, high risk.", ["G301"]),
    (PET, "Global MFR 1.2, severely reduced everywhere; balanced ischaemia, high risk.", []),
    # a finding a further test is to look for is sought, not stated
    (LAD, "Large fixed LAD scar, apical aneurysm, EF 28%, no ischaemia, unchanged from 2025; high risk. Suggest echo "
     "to exclude apical thrombus.", []),
    (LAD, "Large fixed LAD scar, apical aneurysm with a thrombus in it, EF 28%, no ischaemia, unchanged from 2025; "
     "high risk.", ["G409"]),
    # a reduced blood supply in plain words ("gets less blood") is the defect; on stress only, a reversible one
    (DOB, "Part of the lateral wall received less blood when stressed than when resting, pointing to a narrowed "
     "circumflex artery. Pumping 50%. High risk.", []),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test21_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def _codes(text: str, study: Study, severity: str) -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope="impression") if f.severity.value == severity)


def _apex(study: Study, stress: int, rest: int, motion: str = "normal") -> Study:
    """The two-day study with its apex (segment 17) rescored, and its apical motion regraded."""
    data = study.model_dump(mode="json")
    for seg in data["perfusion"]["segments"]:
        if seg["segment"] == 17:
            seg["stress"], seg["rest"] = stress, rest
    p = data["perfusion"]  # (the summed scores follow the apex's, the only scored segment)
    p["summed_stress_score"], p["summed_rest_score"], p["summed_difference_score"] = stress, rest, stress - rest
    for m in data["function"]["wall_motion"]:
        if m["segment"] == 17:
            m["motion"] = motion
    return Study.model_validate(data)


THINNING = "Small fixed apical defect in keeping with apical thinning; EF 62%."


def test_test21_moderate_fixed_apex_leaves_thinning_unverified(study_of: Callable[[str], Study]) -> None:
    study = study_of(APX)
    assert "G409" not in _codes(THINNING, study, "error")
    assert "G409" in _codes(THINNING, study, "warning")


def test_test21_mild_fixed_apex_supports_thinning(study_of: Callable[[str], Study]) -> None:
    study = _apex(study_of(APX), 1, 1)
    assert "G409" not in _codes(THINNING, study, "error") + _codes(THINNING, study, "warning")


@pytest.mark.parametrize(
    ("stress", "rest", "motion"),
    [(3, 3, "normal"), (2, 0, "normal"), (2, 2, "akinetic")],
    ids=["severe", "reversible", "akinetic"],
)
def test_test21_apex_that_is_not_thinning_contradicts_it(
    study_of: Callable[[str], Study], stress: int, rest: int, motion: str
) -> None:
    study = _apex(study_of(APX), stress, rest, motion)
    assert "G409" in _codes("Apical thinning; EF 62%.", study, "error")


def test_test21_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: no correct impression is flagged."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_test21")
    assert clean == 20
    assert flagged == []
    assert corrupted == 70
    # left: a severity flip the summed score allows, an added RV/lung finding and an advice (the flipped comparisons,
    # the scar called small and the perfusion called abnormal are caught since recall54)
    assert missed == [
        "test21_spect_dobutamine_atropine_asthma_lateral_ischemia_ef50_nsvt/b:added_finding",
        "test21_spect_dobutamine_atropine_asthma_lateral_ischemia_ef50_nsvt/c:severity",
        "test21_spect_twoday_regadenoson_lowlevel_exercise_apical_thinning_chest_tightness/c:unsupported_advice",
    ]
