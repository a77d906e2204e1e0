"""Physician-written impressions of the blind set test18 (round 14's sealed set, released at the start of round 15):
each cause of a former false error or miss, checked on sentences written here in other words, beside a wrong sentence
the same mechanism must still flag; and the set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); readings are checked by
their warning codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from guardrails import verify
from reporter.domain.study import Study

# treadmill, normal perfusion, Duke +11; the stress note records 1.5 mm upsloping ST depression in V4-V6 in recovery
# only (minutes 2-5, gone by 6 min), the exercise-phase ST measure is 0
EXERCISE = "test18_spect_exercise_mibi_young_woman_normal_duke11_recovery_std"
# Rb-82 regadenoson PET after CABG: new medium, severe, reversible LCx defect, SSS 10 / SDS 10 (14.7 % of the LV)
PET = "test18_pet_rb82_regadenoson_post_cabg_new_inferolateral_ischemia_lcx_mfr15"
# regadenoson: large fixed LAD scar, segments 13 and 17 dyskinetic, LVEF 28 %
SCAR = "test18_spect_regadenoson_anteroapical_scar_aneurysm_ef28_no_ischemia"
# adenosine stopped for Mobitz I AV block, recorded as transient; small reversible RCA defect
AV_BLOCK = "test18_spect_adenosine_stopped_av_block_small_rca_ischemia_ef60"
# an exercise study whose stress record has no note of recovery (exercise ST measure only)
EXERCISE_NO_NOTE = "test17_spect_exercise_mibi_diltiazem_submax_small_mild_anterior_ischemia_duke2"

CASES = [
    # a value said of recovery is not the exercise-phase ST measure: checked against the stress notes instead
    (EXERCISE, "Normal perfusion, EF 68%. The ST segments dipped 1.5 mm after she stopped exercising; low risk.", []),
    (EXERCISE, "Normal perfusion, EF 68%. Upsloping ST depression of 1.5 mm during recovery, back to baseline at "
     "6 min; low risk.", []),
    # ... a recovery value the notes give otherwise is wrong
    (EXERCISE, "Normal perfusion, EF 68%. ST depression of 2.5 mm in recovery; low risk.", ["G109"]),
    (EXERCISE, "Normal perfusion, EF 68%. ST depression of 1.5 mm in recovery, back to baseline at 9 min; low risk.",
     ["G109"]),
    # ... and the same value said of the exercise itself stays an error
    (EXERCISE, "Normal perfusion, EF 68%. 1.5 mm ST depression at peak exercise; low risk.", ["G111"]),
    # the leads of an ST change are checked against the stress note that places it
    (EXERCISE, "Normal perfusion, EF 68%. Recovery ST depression in V5 and V6 only; low risk.", []),
    (EXERCISE, "Normal perfusion, EF 68%. Recovery ST depression in leads II, III, aVF; low risk.", ["G202"]),
    # an aneurysm is what a dyskinetic segment shows
    (SCAR, "Large severe fixed LAD defect; the apex bulges in systole (aneurysmal). EF 28%, high risk.", []),
    # ... a thrombus nothing in the study records is an added finding, its denial is not
    (SCAR, "Large severe fixed LAD defect with apical aneurysm and mural thrombus. EF 28%, high risk.", ["G409"]),
    (SCAR, "Large severe fixed LAD defect with apical aneurysm; no LV thrombus seen. EF 28%, high risk.", []),
    # a conclusion drawn with "so" opens its own clause: the denial before it does not reach it
    (SCAR, "Large severe fixed LAD defect without any reversibility, so it is infarct scar. EF 28%, high risk.", []),
    # "and the extent of" grades what follows it: the denial of ischemia before it does not deny the defect
    (SCAR, "EF 28%, high risk. Surgery will not help, in view of the absence of ischaemia and the extent of the fixed "
     "LAD defect.", []),
    (SCAR, "EF 28%, high risk. No ischaemia and no fixed LAD defect.", ["G502", "G601"]),
    # a percentage dictated in words is read as its digits would be
    (SCAR, "large severe fixed LAD defect with no reversibility, ejection fraction twenty seven percent, high risk",
     []),
    (SCAR, "large severe fixed LAD defect with no reversibility, ejection fraction fifty seven percent, high risk",
     ["G101"]),
    # a denial said of the prior study, named with the patient between the study and its verb, is the prior's
    (PET, "New severe reversible inferolateral ischaemia, medium; the 2023 PET of this bypass patient showed no "
     "ischaemia. EF 52%.", []),
    (PET, "Medium severe reversible inferolateral defect. No ischaemia. EF 52%.", ["G601"]),
    # an abbreviated stress agent names its agent
    (SCAR, "Dipy/tetrofosmin: large severe fixed LAD defect, EF 28%, high risk.", ["G603"]),
    (SCAR, "Rega/tetrofosmin: large severe fixed LAD defect, EF 28%, high risk.", []),
    # an arrhythmia said to persist, where the stress data record it as transient
    (AV_BLOCK, "Adenosine halted for Wenckebach block, which persisted and required temporary pacing. Small "
     "reversible inferior defect, EF 60%.", ["G601"]),
    (AV_BLOCK, "Adenosine halted for Wenckebach block, which settled within a minute. Small reversible inferior "
     "defect, EF 60%.", []),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test18_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def _warnings(text: str, study: Study) -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope="impression") if f.severity.value == "warning")


def test_test18_recovery_value_without_a_note_is_unverified(study_of: Callable[[str], Study]) -> None:
    """Where the stress record says nothing of recovery, a recovery ST value cannot be checked: a warning."""
    text = "Small mild reversible anterior defect. 2 mm ST depression in recovery. Duke +2, intermediate risk."
    study = study_of(EXERCISE_NO_NOTE)
    assert "G111" not in errors(text, study, "impression")
    assert "G111" in _warnings(text, study)


def test_test18_recovery_st_owed_by_the_impression(study_of: Callable[[str], Study]) -> None:
    """The ST change the notes record in recovery is the study's one ECG finding: leaving it out is an omission."""
    study = study_of(EXERCISE)
    assert "G510" in _warnings("Normal perfusion, EF 68%, no ST change on the treadmill; low risk.", study)
    assert "G510" not in _warnings("Normal perfusion, EF 68%; minor ST depression in recovery only; low risk.", study)


@pytest.mark.parametrize(
    ("text", "expected_errors", "expected_g801"),
    [
        # 14.7 % ischemic with SSS 10 (moderately abnormal, ASNC-SPECT-2018; 2-3 % a year, HACHAMOVITCH-1998):
        # "intermediate" is a reading shown as unverified, "low" stays an error
        ("New medium severe reversible LCx defect (SDS 10), EF 52%; intermediate risk; angiography advised.", [],
         ["G801"]),
        ("New medium severe reversible LCx defect (SDS 10), EF 52%; low risk.", ["G503", "G801"], []),
    ],
)  # fmt: skip
def test_test18_intermediate_risk_at_moderately_abnormal_sss(
    study_of: Callable[[str], Study], text: str, expected_errors: list[str], expected_g801: list[str]
) -> None:
    study = study_of(PET)
    assert errors(text, study, "impression") == expected_errors
    assert [c for c in _warnings(text, study) if c == "G801"] == expected_g801


def test_test18_set_scores_what_was_reached() -> None:
    """The set as the bench scores it, its five studies (the rest-redistribution study loads since viab43): every
    correct impression free of error flags; one corruption of the viability study is not detected (a viability
    sentence left out; the large defect called small is caught since recall54, by the walls the claim names)."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_test18")
    assert (clean, flagged) == (20, [])
    assert corrupted == 66
    assert missed == [
        "test18_tl201_rest_redistribution_viability_lad_hibernation_ef31/a:omission",
    ]
