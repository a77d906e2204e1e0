"""Physician-written impressions of the blind set test17 (round 14's sealed set, released within the round): each
cause of a former false error, checked on sentences written here in other words, beside a wrong sentence the same
mechanism must still flag; and the set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); readings are checked by
their warning codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from guardrails import verify
from reporter.domain.study import Study

# N-13 ammonia PET: near-normal relative perfusion, global MFR 1.3, negative LVEF reserve, CAC 2500
PET = "test17_pet_n13_regadenoson_balanced_global_mfr13_neg_lvef_reserve_cac2500"
# submaximal treadmill on diltiazem: small, mild, reversible anterior (LAD) defect; Duke +2
EXERCISE = "test17_spect_exercise_mibi_diltiazem_submax_small_mild_anterior_ischemia_duke2"
# inferior scar with large peri-infarct ischemia, LVEF 35 %, worse than 2020
SCAR = "test17_spect_adenosine_inferior_scar_large_periinfarct_ischemia_ef35_worse_prior2020"
# dialysis: normal perfusion, LV enlarged (post-stress ESV 92 mL: the rules' only high-risk feature), LVEF 50 %
DIALYSIS = "test17_spect_regadenoson_dialysis_normal_enlarged_lv_ef50_hiatal_hernia_artifact"
# dobutamine stopped for NSVT: medium, moderate, reversible lateral (LCx) ischemia
NSVT = "test17_spect_dobutamine_atropine_nsvt_stopped_moderate_lateral_ischemia"

CASES = [
    # a wall word placing an ST deviation names its ECG leads, not a wall of the LV; a defect placed so stays a wall
    (EXERCISE, "Small mild reversible anterior defect; 1 mm horizontal ST depression inferiorly on the treadmill.", []),
    (EXERCISE, "Small mild reversible anterior defect with lateral ST depression during exercise.", []),
    (EXERCISE, "Small mild reversible defect inferiorly.", ["G202"]),
    (EXERCISE, "Small mild reversible lateral defect.", ["G202"]),
    # a denial distributes over "or": the scar joined to a denied defect is denied with it, where it is absent ...
    (
        DIALYSIS,
        "Our images did not show any segment of the left ventricle that is short of blood or scarred. EF 50%.",
        [],
    ),
    # ... and the same denial of a study with scar and ischemia is still wrong
    (
        SCAR,
        "Our images did not show any segment of the left ventricle that is short of blood or scarred. EF 35%.",
        ["G501", "G502", "G505", "G601", "G601"],
    ),
    # "low risk" beside a dilated LV the text names, where the rules' high rests only on the LV's volume: a reading
    (DIALYSIS, "Perfusion normal, EF 50%, LV dilated (EDV 184 mL); low risk.", []),
    (DIALYSIS, "The heart looks a little larger than normal, EF 50%; otherwise a low-risk scan.", []),
    # ... without the dilation named, the low risk contradicts the rules
    (DIALYSIS, "Perfusion normal, LVEF 50%; low risk.", ["G503", "G801"]),
    # ... and never where the rules' high rests on more than the volume (a globally reduced flow reserve)
    (PET, "Near-normal relative perfusion, global MFR 1.3, LV dilated; low risk.", ["G503", "G801"]),
    # a verdict quoting a perfusion score in its parenthesis is a verdict on perfusion; a bare one is on the study
    (DIALYSIS, "Normal study (SSS 0); LV enlarged, EF 50%.", []),
    (DIALYSIS, "Normal study; LV enlarged, EF 50%.", ["G602"]),
    # a target heart rate said reached by a participle is reached; "before reaching" it is not
    (NSVT, "Having attained his predicted target heart rate, moderate reversible lateral ischaemia, 13%, EF 60%.",
     ["G602"]),
    (NSVT, "The infusion was halted before reaching target heart rate; moderate reversible lateral ischaemia, 13%, "
     "EF 60%.", []),
    # the size before "area of" and the grade inside "an area of severely reduced blood flow" grade that defect
    (EXERCISE, "There is a large area of severely reduced blood flow in the anterior wall at stress, normal at rest.",
     ["G301", "G302"]),
    (EXERCISE, "There is a small area of mildly reduced blood flow in the anterior wall at stress, normal at rest.",
     []),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test17_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def _warnings(text: str, study: Study) -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope="impression") if f.severity.value == "warning")


def test_test17_low_risk_beside_named_dilation_is_shown_as_a_reading(study_of: Callable[[str], Study]) -> None:
    """The rules' high risk (post-stress ESV > 70 mL, SHARIR) and the text's low risk by perfusion: a warning."""
    assert _warnings("Perfusion normal, EF 50%, LV dilated (EDV 184 mL); low risk.", study_of(DIALYSIS)) == ["G801"]


@pytest.mark.parametrize(
    ("stem", "text", "expected"),
    [
        # standing down at high risk, in a non-native writer's "we advice", with "no further tests"
        (SCAR, "High-risk study; we advice to keep the same tablets and no further tests.", ["G412"]),
        (SCAR, "High-risk study; we advice coronary angiography.", []),
        # bypass surgery with no ischemia and no defect at all (nothing to revascularize, whatever the LVEF)
        (DIALYSIS, "No ischaemia or scar, EF 50%, enlarged LV; she is listed for coronary bypass operation.", ["G412"]),
        (DIALYSIS, "No ischaemia or scar, EF 50%, enlarged LV; echocardiography advised.", []),
    ],
)
def test_test17_advice_against_facts(
    study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]
) -> None:
    assert [c for c in _warnings(text, study_of(stem)) if c == "G412"] == expected


def _omitted(text: str, study: Study) -> list[str]:
    return [f.message for f in verify(text, study, scope="impression") if f.code.value == "G506"]


def test_test17_lvef_drop_in_plain_words(study_of: Callable[[str], Study]) -> None:
    """The heart's pumping said to become weaker during stress states the negative LVEF reserve."""
    drop = "The impression does not mention fall in LVEF of 6 points from rest to peak stress (negative LVEF reserve)."
    said = "The heart's pumping became weaker, not stronger, during stress; flow reserve 1.3 everywhere; high risk."
    assert drop not in _omitted(said, study_of(PET))
    assert drop in _omitted("Flow reserve 1.3 everywhere; high risk.", study_of(PET))


def test_test17_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: every correct impression free of error flags."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_test17")
    assert (clean, flagged) == (20, [])
    assert corrupted == 70
    # left: readings (a lateral defect of five segments is large by the segment count), a reassurance and an
    # arrhythmia the guardrails do not read, and high risk where the rules give high by the LV's volume alone (the
    # added thrombus is read since guard41: a finding no field or note of the study records; the artifact's wall since
    # recall54: hiatal-hernia activity is an extracardiac artifact; an atrial arrhythmia given as the reason where
    # the record names a ventricular one since recall55)
    assert len(missed) == 4
