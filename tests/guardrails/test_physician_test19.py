"""Physician-written impressions of the blind set test19 (round 15's sealed set, released within the round): each
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

# Rb-82 regadenoson PET, paced rhythm with septal dyssynchrony: medium, moderate, reversible lateral (LCx) ischemia
PET = "test19_pet_rb82_regadenoson_paced_septal_dyssynchrony_lcx_moderate_ischemia_regional_mfr"
# treadmill athlete: normal perfusion, EDV 168-172 mL (above the reference limit) with a normal ESV and TID
ATHLETE = "test19_spect_exercise_athlete_bradycardia_15mets_normal_duke13_mild_lv_dilation"
# dipyridamole reversed with aminophylline 125 mg: medium LAD ischemia, small fixed inferior scar, LVEF 44 % rest /
# 42 % post-stress; the 2019 prior was normal with LVEF 61 %
DIPY = "test19_spect_dipyridamole_aminophylline_bronchospasm_inferior_scar_anterior_ischemia_ef44_prior2019_normal"
# dobutamine-atropine: ventricular bigeminy at peak, recorded as resolved in recovery; small fixed lateral scar
DOBUTAMINE = "test19_spect_dobutamine_atropine_bigeminy_lcx_stent_small_stable_lateral_scar_prior2024"
# stress-only CZT regadenoson: normal; chest discomfort during the infusion
CZT = "test19_spect_czt_regadenoson_stress_only_upright_supine_normal_cac0_chest_pain"

CASES = [
    # ischemia named as what a test cannot be read for is no claim on ischemia; a denial still is
    (PET, "Moderate reversible lateral (LCx) ischaemia; the paced ECG is not readable for ischemia.", []),
    (PET, "The paced ECG is uninterpretable for ischaemia. No ischemia on the images.", ["G501", "G505", "G601"]),
    # an ischemic cause denied to a wall's motion denies no ischemia of the study, nor places a defect in that wall
    (PET, "Moderate reversible lateral ischaemia. Abnormal septal wall motion due to the pacemaker, not ischemic.", []),
    (PET, "Moderate reversible lateral ischaemia. The septal wall motion should not be taken as ischemic; it reflects "
     "pacing.", []),
    (PET, "Moderate reversible lateral ischaemia. Septal ischemia.", ["G202"]),
    # exercise named as what the drug stands in for, or as the test the pacemaker makes unreadable, is not the test
    (PET, "Regadenoson was given to simulate exercise; moderate reversible lateral ischaemia.", []),
    (PET, "Regadenoson was used because the pacemaker makes an exercise ECG difficult to interpret; moderate "
     "reversible lateral ischaemia.", []),
    (PET, "Exercise stress; moderate reversible lateral ischaemia.", ["G605"]),
    # a chest pain whose cause the text weighs is the patient's complaint, not a symptom denied during the test
    (CZT, "Normal stress-only perfusion. His chest pressure is not due to blocked arteries.", []),
    (CZT, "Normal stress-only perfusion. He had no chest pain during the infusion.", ["G601"]),
    # a dose in mg the stress notes record (the drug that reversed the stress) is a value of the study
    (DIPY, "Wheeze during dipyridamole, reversed with aminophylline 125 mg; moderate anterior ischaemia and small "
     "inferior scar, EF 44%.", []),
    (DIPY, "Wheeze during dipyridamole, reversed with aminophylline 100 mg; moderate anterior ischaemia and small "
     "inferior scar, EF 44%.", ["G110"]),
    # "neither of which" denies every finding before it of the prior; "both of which" states them there
    (DIPY, "New moderate anterior ischaemia and a small inferior scar, neither of which was seen on the 2019 study. "
     "EF 44%.", []),
    (DIPY, "Moderate anterior ischaemia and a small inferior scar, both of which were seen on the 2019 study. EF 44%.",
     ["G702"]),
    # an agent preferred for a future test is not the agent of this one
    (DIPY, "Moderate anterior ischaemia and small inferior scar, EF 44%. A dobutamine study would be preferable next "
     "time.", []),
    (DIPY, "Moderate anterior ischaemia and small inferior scar, EF 44%. For any future stress test, use dobutamine.",
     []),
    (DIPY, "Moderate anterior ischaemia and small inferior scar after dobutamine, EF 44%.", ["G603"]),
    # an adjective carrying its adverb ("a small, clinically silent, inferior infarct") opens the next finding
    (DIPY, "Moderate LAD ischaemia of medium extent next to a small, clinically silent, inferior infarct. EF 44%.", []),
    (DIPY, "Moderate LAD ischaemia of medium extent next to a large, clinically silent, inferior infarct. EF 44%.",
     ["G302"]),
    # an LVEF fallen to its rest value, below the prior's, fell since the prior, not after stress
    (DIPY, "Moderate anterior ischaemia, small inferior scar. The drop in EF to 44% reflects the new scar.", []),
    (DIPY, "Moderate anterior ischaemia, small inferior scar. The EF drops after stress, to 42%.", ["G409"]),
    # LV dilation where the end-diastolic volume is above the reference limit: a reading; where it is not, an error
    (ATHLETE, "Normal perfusion; EDV 168 mL, a mildly dilated LV in keeping with training.", []),
    (PET, "Moderate reversible lateral ischaemia; LV dilated.", ["G409"]),
    # the course of an ECG event of the test against the stress data, and an event of a kind they do not record
    (DOBUTAMINE, "Small fixed lateral scar, no ischaemia; ventricular bigeminy at peak, which resolved.", []),
    (DOBUTAMINE, "Small fixed lateral scar, no ischaemia; ventricular bigeminy at peak, which persisted into "
     "recovery.", ["G601"]),
    (DOBUTAMINE, "Small fixed lateral scar, no ischaemia; atrial flutter at peak, transient.", ["G409"]),
    # a registry value the parser cut from its key at the equals sign is read with its key
    (PET, "STRESS=regadenoson; ECG_RESPONSE=nondiagnostic; DEFECT=LCx/lateral/moderate/medium/reversible; "
     "RISK=intermediate", []),
    (PET, "STRESS=regadenoson; ECG_RESPONSE=ischemic; DEFECT=LCx/lateral/moderate/medium/reversible; "
     "RISK=intermediate", ["G607"]),
    # side effects denied deny the chest discomfort the stress data record
    (CZT, "Normal stress-only perfusion; regadenoson caused brief chest discomfort and flushing.", []),
    (CZT, "Normal stress-only perfusion; regadenoson was given without any adverse effects.", ["G601"]),
    # a bare risk band after a Duke score's value grades the score
    (ATHLETE, "Normal perfusion, 15 METs; Duke +13 -> low.", []),
    (ATHLETE, "Normal perfusion, 15 METs; Duke +13 -> intermediate.", ["G801"]),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test19_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def _warnings(text: str, study: Study) -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope="impression") if f.severity.value == "warning")


def test_test19_dilation_by_end_diastolic_volume_is_shown_as_a_reading(study_of: Callable[[str], Study]) -> None:
    """EDV 168 mL in a man is above the ASE-EACVI-2015 upper limit (150 mL), which no rule grades: a warning."""
    text = "Normal perfusion; EDV 168 mL, a mildly dilated LV in keeping with training."
    assert "G409" in _warnings(text, study_of(ATHLETE))


@pytest.mark.parametrize(
    ("stem", "text", "expected"),
    [
        # advice in the perfect tense ("we have booked") and by a verb with a gerund ("I recommend replacing")
        (DIPY, "Moderate anterior ischaemia and small inferior scar, EF 44%. We have booked her in for a "
         "defibrillator (ICD) implant.", ["G412"]),
        (DIPY, "Moderate anterior ischaemia and small inferior scar, EF 44%. We have booked coronary angiography.", []),
        (PET, "Moderate reversible lateral ischaemia. I recommend replacing the pacemaker, which causes the reduced "
         "flow.", ["G411"]),
        (PET, "Moderate reversible lateral ischaemia. I recommend arranging a coronary angiogram.", []),
    ],
)  # fmt: skip
def test_test19_advice_read(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert [c for c in _warnings(text, study_of(stem)) if c in ("G411", "G412")] == expected


def test_test19_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: every correct impression free of error flags."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_test19")
    assert (clean, flagged) == (21, [])
    assert corrupted == 70
    # left: an extent said in a sentence of its own ("the area is moderate in size") and a grade of LV dilation;
    # sev46's graded old scar caught a fourth, and recall56's Duke score in words ("plus thirteen") a third
    assert missed == [
        "test19_pet_rb82_regadenoson_paced_septal_dyssynchrony_lcx_moderate_ischemia_regional_mfr/c:severity",
        "test19_spect_exercise_athlete_bradycardia_15mets_normal_duke13_mild_lv_dilation/b:severity",
    ]
