"""Physician-written impressions of the blind set test20 (round 15's second sealed set, released at the start of
round 16): each cause of a former false error or miss, checked on sentences written here in other words, beside a
wrong sentence the same mechanism must still flag; and the set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); readings are checked by
their warning codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from guardrails import verify
from reporter.domain.study import Study

# Rb-82 dipyridamole PET: small mild fixed apical defect (segments 13, 17 at 1/1), no ischemia; prior SPECT of 2022
PET = "test20_pet_rb82_dipyridamole_diabetic_woman_mild_fixed_apical_mfr26_cac352_prior2022_equivocal"
# dobutamine stopped for AF with a rapid response at 81 % MPHR (submaximal), normal perfusion, no angina, no prior
DOB = "test20_spect_dobutamine_af_rvr_submaximal_81pct_normal_perfusion"
# treadmill stopped for exercise-induced hypotension, chest tightness, large severe reversible LAD + LCx defect
EXH = "test20_spect_exercise_hypotension_lad_lcx_ischemia_tid128_duke_neg11_5"
# regadenoson in severe COPD: normal LV perfusion and function
COPD = "test20_spect_regadenoson_severe_copd_rv_hypertrophy_rv_uptake_normal_lv"
# adenosine two-day: moderate inferolateral defect 2/1 in three segments (SRS 3 from score-1 rest segments), LVEF 45 %,
# hypokinesis of segments 5, 11, 16
TWO = "test20_spect_twoday_stressfirst_tetrofosmin_adenosine_inferolateral_partial_reversible_ef45"

CASES = [
    # a scar qualified as a little, where the rest images keep score-1 segments, is a reading (warning); a dense one
    # is not
    (TWO, "Moderate inferolateral defect that mostly fills in at rest, with a little scarring left behind; EF 45%.",
     []),
    (TWO, "Moderate inferolateral defect; dense transmural scar. EF 45%.", ["G403", "G501"]),
    # the prior's modality named by an adjective of age or by the prior's year is the prior's; bare, it is this study's
    (PET, "Her old SPECT was equivocal at the apex; today a small mild fixed apical defect, no ischaemia.", []),
    (PET, "The 2022 SPECT was called equivocal; small mild fixed apical defect now, no ischaemia.", []),
    (PET, "The SPECT shows a small mild fixed apical defect, no ischaemia.", ["G606"]),
    # a finding a reading speaks or argues against is denied: its territories place no defect; a true one denied flips
    (PET, "Small mild fixed apical defect. Flow reserve is normal in every territory (LAD 2.5, LCx 2.6, RCA 2.7), "
     "which speaks against balanced three-vessel ischaemia.", []),
    (EXH, "Large severe reversible LAD and LCx defect. The ECG argues against ischaemia in the LAD.", ["G601"]),
    # an agent called unsuitable is not the agent given
    (DOB, "Dobutamine was chosen since regadenoson was unsuitable given her wheeze. Normal perfusion.", []),
    (DOB, "Regadenoson stress. Normal perfusion.", ["G603"]),
    # a test ended before the heart rate reached its target is submaximal
    (DOB, "The infusion ended before the heart rate reached target. Normal perfusion.", []),
    (DOB, "The heart rate reached the target. Normal perfusion.", ["G602"]),
    # heading fields: "angina: none" denies the symptom, "ECG: no change" is the ECG's, not a comparison
    (DOB, "ANGINA: none; ECG: no change; PERFUSION: normal.", []),
    (DOB, "STRESS: dobutamine; angina: typical; perfusion: normal.", ["G410"]),
    (EXH, "ANGINA: none; PERFUSION: large severe reversible LAD and LCx defect.", ["G601"]),
    # a defect set aside by a contrast is no defect statement
    (COPD, "Normal perfusion. The breathlessness reflects lung disease rather than an LV perfusion abnormality.", []),
    (COPD, "Normal wall motion. There is an LV perfusion abnormality.", ["G401"]),
    # after a cited prior and its relative clause, a clause about today's study is this study's
    (PET, "Set against the 2022 SPECT, which was called equivocal, today's study shows a small fixed apical "
     "defect with mild ischaemia.", ["G402"]),
    (PET, "Set against the 2022 SPECT, which was called equivocal, today's study shows a small fixed apical "
     "defect with no ischaemia.", []),
    # dilation said as the cavity dilating under stress is TID
    (PET, "Small mild fixed apical defect. EF 66% at stress, and the cavity dilates under stress.", ["G404"]),
    # a wall-motion grade as the wall's adjective is checked against that wall's worst segment
    (TWO, "Moderate partially reversible inferolateral defect, EF 45%. Inferolateral hypokinesis and an akinetic "
     "apex.", ["G405"]),
    (TWO, "Moderate partially reversible inferolateral defect, EF 45%. Hypokinetic inferolateral wall.", []),
    # a maximal test and a full sensitivity state an adequate heart rate, each of a sentence's adequacies is read
    (DOB, "Peak heart rate 118, 81% MPHR: maximal. Normal perfusion.", ["G602"]),
    (DOB, "Sub-maximal stress, so the sensitivity is reduced. Normal perfusion.", []),
    (DOB, "Submaximal dobutamine stress; normal perfusion with full sensitivity.", ["G602"]),
    # a hypertensive response said where the pressure fell is an error; denied, nothing
    (EXH, "Large severe reversible LAD and LCx defect. His blood pressure rose excessively during exercise.",
     ["G409"]),
    (EXH, "Large severe reversible LAD and LCx defect; no hypertensive response.", []),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test20_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def _warnings(text: str, study: Study) -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope="impression") if f.severity.value == "warning")


def test_test20_a_little_scar_over_score_one_rest_segments_is_a_reading(study_of: Callable[[str], Study]) -> None:
    text = "Moderate inferolateral defect that mostly fills in at rest, with a little scarring left behind; EF 45%."
    assert "G403" in _warnings(text, study_of(TWO))


def test_test20_hypertensive_response_beside_the_limit_is_a_reading(study_of: Callable[[str], Study]) -> None:
    """No fall in pressure recorded (a pharmacologic test): the response is graded by an SBP limit only, shown."""
    text = "Normal perfusion; an exaggerated blood pressure response to dobutamine."
    assert errors(text, study_of(DOB), "impression") == []
    assert "G409" in _warnings(text, study_of(DOB))


def test_test20_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: no correct impression is flagged (the RV and echo-pressure claims, which the
    study has no field for, are unverified warnings since unver49)."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_test20")
    assert clean == 20
    assert flagged == []
    assert corrupted == 70
    # left: two omissions graded as warnings (a small mild fixed defect; the submaximal caveat said once more), the
    # CHA2DS2-VASc score (no field), and three RV claims (the RV check's branch)
    assert missed == [
        "test20_pet_rb82_dipyridamole_diabetic_woman_mild_fixed_apical_mfr26_cac352_prior2022_equivocal/d:omission",
        "test20_spect_dobutamine_af_rvr_submaximal_81pct_normal_perfusion/b:omission",
        # an added "the right ventricle is enlarged": once caught only as a misread LV dilation; the study has no RV
        # field, so a physician's RV claim is an unverified warning, not an error
        "test20_spect_dobutamine_af_rvr_submaximal_81pct_normal_perfusion/c:added_finding",
        "test20_spect_dobutamine_af_rvr_submaximal_81pct_normal_perfusion/c:number",
        "test20_spect_regadenoson_severe_copd_rv_hypertrophy_rv_uptake_normal_lv/b:omission",
        "test20_spect_regadenoson_severe_copd_rv_hypertrophy_rv_uptake_normal_lv/c:location",
        "test20_spect_regadenoson_severe_copd_rv_hypertrophy_rv_uptake_normal_lv/d:severity",
    ]
