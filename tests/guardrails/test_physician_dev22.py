"""Physician-written impressions of the blind development set dev22 (round 18): each cause of a former false error
or miss, checked on sentences written here in other words, beside a wrong sentence the same mechanism must still
flag; and the set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); readings and omissions
are checked by their warning codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from guardrails import verify
from reporter.domain.study import Study

# dobutamine-atropine after CABG, RBBB: medium severe reversible inferior/inferoseptal ischaemia (16 %), no scar,
# LVEF 50 % rest / 48 % post-stress, worse than a prior of 2024; patient 72
DOB = "dev22_spect_dobutamine_atropine_rbbb_post_cabg_inferior_ischemia_worse_vs_2024"
# Bruce stopped for hypotension and NSVT: large severe LAD ischaemia, SSS 19, SRS 1, SDS 18, TID 1.28, high risk
VT = "dev22_spect_exercise_hypotension_vt_stopped_large_lad_ischemia_tid_duke_neg12"
# stress-only tetrofosmin, obese man on atenolol, submaximal (79 %), supine inferior attenuation gone prone: normal
OBESE = "dev22_spect_exercise_tetrofosmin_obese_man_prone_imaging_diaphragmatic_attenuation_normal_submax_bb"
# Rb-82 adenosine PET, normal: a transient Mobitz I AV block during the infusion, resolved by itself
PET = "dev22_pet_rb82_adenosine_transient_av_block_normal_perfusion_cac0_normal_mfr_lvef_reserve"
# regadenoson, nonischaemic dilated cardiomyopathy: normal perfusion, LVEF 25 %, dilated LV; high risk by the LV
NICM = "dev22_spect_regadenoson_nonischemic_dilated_cardiomyopathy_ef25_no_defects_icd"

DOB_CORE = "Severe reversible inferior and inferoseptal ischaemia, 16% of the LV"
NICM_CORE = "Normal perfusion, no scar; LVEF 25% with a dilated, globally hypokinetic LV"

CASES = [
    # the time since an event of the history ("9 years post-CABG") is no value of the study; an age still is
    (DOB, f"He is now 9 years post-CABG. {DOB_CORE}, worse than 2024; EF 50%; intermediate-to-high risk.", []),
    (DOB, f"A 72-year-old man, 9 years after bypass surgery. {DOB_CORE}, worse than 2024; EF 50%; "
     "intermediate-to-high risk.", []),
    (DOB, f"A 79-year-old man, 9 years after bypass surgery. {DOB_CORE}, worse than 2024; EF 50%; "
     "intermediate-to-high risk.", ["G111"]),
    # a question and answer layout: the answer is read with its label ("EF? 50%"), a "None" answer denies it
    (DOB, "Reversible ischaemia? Yes, inferior and inferoseptal, severe, 16% of the LV. Infarct? None. EF? 50% at "
     "rest, 48% after stress. Change since 2024? Worse. Risk? Intermediate-to-high.", []),
    (DOB, "Reversible ischaemia? Yes, inferior and inferoseptal, severe, 16% of the LV. Infarct? Yes, inferior. EF? "
     "50% at rest, 48% after stress. Change since 2024? Worse. Risk? Intermediate-to-high.", ["G403"]),
    (DOB, "Reversible ischaemia? Yes, inferior and inferoseptal, severe, 16% of the LV. Infarct? None. EF? 60% at "
     "rest, 48% after stress. Change since 2024? Worse. Risk? Intermediate-to-high.", ["G101"]),
    # ... a change asked and answered "No" is denied, and the answer's own words are not under that "No"
    (DOB, f"{DOB_CORE}; EF 50%; intermediate-to-high risk. Progressed since 2024? Yes, larger and more severe.", []),
    (DOB, f"{DOB_CORE}; EF 50%; intermediate-to-high risk. Progressed since 2024? No, stable.", ["G702"]),
    (DOB, f"{DOB_CORE}; EF 50%; intermediate-to-high risk. Worse than in 2024? No, unchanged.", ["G702"]),
    # a field's label answered by a denial alone
    (DOB, f"{DOB_CORE}, worse than 2024; EF 50%; intermediate-to-high risk. Scar: nil.", []),
    (DOB, f"{DOB_CORE}, worse than 2024; EF 50%; intermediate-to-high risk. Infarction - none.", []),
    (DOB, f"{DOB_CORE}, worse than 2024; EF 50%; intermediate-to-high risk. Scar: inferior, small.",
     ["G302", "G403"]),
    # a graft named after a place noun places the defect in its target vessel's territory
    (DOB, f"{DOB_CORE}, in the distribution of the vein graft to the RCA; worse than 2024; EF 50%; "
     "intermediate-to-high risk.", []),
    (DOB, f"{DOB_CORE}, in the distribution of the LIMA to the LAD; worse than 2024; EF 50%; "
     "intermediate-to-high risk.", ["G201"]),
    # the degree of an AV block against the one the stress data record
    (PET, "Normal Rb-82 adenosine PET, low risk; a brief Mobitz I block during the infusion settled by itself.", []),
    (PET, "Normal Rb-82 adenosine PET, low risk; no complete heart block; a brief Wenckebach block resolved.", []),
    (PET, "Normal Rb-82 adenosine PET, low risk; a brief complete heart block during the infusion settled by "
     "itself.", ["G409"]),
    # "global" between a grade and "LV systolic dysfunction" keeps the grade the LV function's
    (NICM, f"{NICM_CORE}; severe global left ventricular dysfunction from a nonischaemic cardiomyopathy.", []),
    (NICM, f"{NICM_CORE}; mild global left ventricular dysfunction from a nonischaemic cardiomyopathy.", ["G304"]),
    # a grade of the flow reserve given by a verb of judgement ("would be regarded as")
    (PET, "Normal Rb-82 adenosine PET, low risk; a global flow reserve of 3.1 would usually be considered normal.",
     []),
    (PET, "Normal Rb-82 adenosine PET, low risk; a global flow reserve of 3.1 would usually be considered mildly "
     "reduced.", ["G301"]),
    # a balanced obstruction is the balanced reduction in other words: against normal flow, stated or argued against
    (PET, "Normal Rb-82 adenosine PET, low risk; flow reserve 3.1, which speaks against a balanced three-vessel "
     "obstruction.", []),
    (PET, "Normal Rb-82 adenosine PET, low risk; flow reserve 3.1, in keeping with a balanced three-vessel "
     "obstruction.", ["G409"]),
    # a dead heart muscle in lay words is scar
    (VT, "A large area at the front of your heart is short of blood on exercise but recovers at rest; the heart "
     "muscle is not dead. High risk.", []),
    (VT, "A large area at the front of your heart is short of blood on exercise and at rest: the heart muscle has "
     "died. High risk.", ["G303", "G403", "G501"]),
    # scores joined by slashes after their slashed labels are one value each, not a day/month/year
    (VT, "Large severe reversible LAD ischaemia, TID 1.28, high risk. Scores SSS/SRS/SDS: 19/1/18.", []),
    (VT, "Large severe reversible LAD ischaemia, TID 1.28, high risk. Scores SSS/SRS/SDS: 19/1/12.", ["G104"]),
    (VT, "Large severe reversible LAD ischaemia, TID 1.28, high risk. Compared with the study of 19/1/18: new.",
     ["G112", "G701"]),
    # a defect a copula names as an artifact ("is simply diaphragmatic attenuation") is read as the artifact
    (OBESE, "Normal perfusion, low risk; the mild inferior reduction on supine images is simply diaphragmatic "
     "attenuation, gone prone. Submaximal on atenolol (79% MPHR), so sensitivity is reduced.", []),
    (OBESE, "Low risk. The inferior defect is seen despite diaphragmatic attenuation. Submaximal on atenolol (79% "
     "MPHR), so sensitivity is reduced.", ["G401"]),
    # a "low probability" after a risk label is a likelihood of coronary disease, not a risk category
    (NICM, "Normal perfusion, no ischaemia or scar. LVEF 25%, dilated LV, global hypokinesis. Risk: low probability "
     "that coronary disease is the cause; prognosis is set by the LV.", []),
    (NICM, "Normal perfusion, no ischaemia or scar. LVEF 25%, dilated LV, global hypokinesis. Risk: low.",
     ["G503", "G801"]),
    # a risk of ischaemic events, with normal perfusion, is graded apart from the LV's: low is a reading, high wrong
    (NICM, f"{NICM_CORE}: the ischaemic risk is low, though his overall risk is high because of the LV.", []),
    (NICM, f"{NICM_CORE}: high risk for future ischaemic events.", ["G801"]),
    (NICM, f"{NICM_CORE}; high risk.", []),
    # a name warned against is not stated
    (NICM, f"{NICM_CORE}, a nonischaemic cardiomyopathy; please do not label this ischaemic because of the EF.", []),
    (NICM, f"{NICM_CORE}; I would label this ischaemic.", ["G402"]),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev22_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def _codes(text: str, study: Study, severity: str) -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope="impression") if f.severity.value == severity)


def test_dev22_low_ischemic_risk_is_a_reading_and_leaves_the_high_risk_unsaid(study_of: Callable[[str], Study]) -> None:
    """'Low risk for ischaemic events' of the cardiomyopathy: G801 as a warning, and G503 a warning, not an error."""
    text = f"{NICM_CORE}; low risk for ischaemic events."
    assert _codes(text, study_of(NICM), "error") == []
    assert _codes(text, study_of(NICM), "warning") == ["G503", "G801"]


def test_dev22_pacing_for_a_block_that_resolved_is_against_the_record(study_of: Callable[[str], Study]) -> None:
    """A pacemaker advised for an AV block the stress data record as transient: G412 (a warning); none advised, not."""
    advised = (
        "Normal Rb-82 adenosine PET, low risk; Wenckebach block with adenosine, resolved. We have referred her for a "
        "permanent pacemaker."
    )
    declined = "Normal Rb-82 adenosine PET, low risk; Wenckebach block with adenosine, resolved; no pacemaker needed."
    assert _codes(advised, study_of(PET), "warning").count("G412") == 1
    assert "G412" not in _codes(declined, study_of(PET), "warning")


def test_dev22_urgent_angiography_without_ischemia_or_scar(study_of: Callable[[str], Study]) -> None:
    """Urgent angiography for a study high risk by a nonischaemic LV only: G412; for large ischaemia, not."""
    urgent = f"{NICM_CORE}; high risk. Urgent coronary angiography is advised."
    assert "G412" in _codes(urgent, study_of(NICM), "warning")
    text = "Large severe reversible LAD ischaemia, TID 1.28, high risk; urgent coronary angiography is advised."
    assert "G412" not in _codes(text, study_of(VT), "warning")


def test_dev22_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: no correct impression is flagged."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_dev22")
    assert clean == 23
    assert flagged == []
    assert corrupted == 69
    # left: an artifact's wall and its prone course in lay words ("front wall ... looked faint ... effect of the
    # diaphragm"); wall motion confined by "only" (no reading of confinement for wall motion); grades around an arrow
    # read as prior -> now; the transient Wenckebach and the submaximal caveat left out (arguable: see the README)
    assert missed == [
        f"{PET}/d:omission",
        f"{DOB}/c:prior_attribution",
        f"{OBESE}/a:location",
        f"{OBESE}/a:negation",
        f"{OBESE}/c:omission",
        f"{NICM}/a:location",
    ]
