"""Physician-written impressions of the blind development set dev21 (round 17): each cause of a former false error
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

# Rb-82 adenosine PET: large LAD and medium LCx ischaemia, global MFR 1.50, LAD 1.30, LCx 1.20, RCA 2.20, high risk
PET = "dev21_pet_rb82_adenosine_lad_lcx_ischemia_tid_neg_ef_reserve_cac1240"
# Bruce, stopped for an 8-beat run of NSVT, hypertensive response, 12.4 METs, normal perfusion; no beta-blocker
VT = "dev21_spect_exercise_bruce_nsvt_hypertensive_response_normal"
# regadenoson: small mild partly reversible anterior region with breast attenuation; no angina
REG = "dev21_spect_regadenoson_woman_small_mild_anterior_breast_atten_equivocal"
# dobutamine-atropine, carvedilol held, ICD in the history: moderate fixed inferior scar, LVEF 38 %, prior 10/2024
DOB = "dev21_spect_dobutamine_atropine_icd_fixed_inferior_scar_ef38_unchanged"
# Bruce on metoprolol (taken), stopped for fatigue at 77 % MPHR, non-limiting chest pressure, Duke -1
STENT = "dev21_spect_exercise_lad_stent_submax_bb_apical_ischemia_duke_neg1"

CASES = [
    # a flow value followed by "in the <vessel>" is that vessel's, though "global" stood earlier in the sentence; two
    # vessels coordinated after it leave it to the territory reading
    (PET, "Large LAD and LCx ischaemia, high risk. Flow reserve 1.50 overall; regional reserve 1.30 in the LAD and "
     "1.20 in the circumflex.", []),
    (PET, "Large LAD and LCx ischaemia, high risk. Flow reserve 1.30 in the LAD and LCx territories.", []),
    (PET, "Large LAD and LCx ischaemia, high risk. Global flow reserve 1.50, with a regional value of 1.90 in the LAD "
     "territory.", ["G111"]),
    # "identical to / similar to <date> (...)" cites the prior: the value in the parenthesis is the prior's
    (DOB, "Moderate fixed inferior scar without ischaemia, EF 38%. Identical to 10/2024 (EF 37%).", []),
    (DOB, "Moderate fixed inferior scar without ischaemia, EF 38%. Similar to October 2024 (EF 37%).", []),
    (DOB, "Moderate fixed inferior scar without ischaemia, EF 38%. Identical to 10/2024 (EF 31%).", ["G101"]),
    # a grade denied right before it is not a grade the text gives the defect
    (DOB, "Fixed inferior scar, moderate, not severe; no ischaemia; EF 38%.", []),
    (DOB, "Fixed inferior scar, severe and not moderate; no ischaemia; EF 38%.", ["G301"]),
    # "none of it/them" denies the word after it, not the finding before it
    (DOB, "Fixed inferior scar, moderate, none of it severe; no ischaemia; EF 38%.", []),
    (DOB, "Moderate inferior defect, none of it reversible; EF 38%.", []),
    (PET, "Large severe anterior and lateral defect, none of it reversible; high risk.", ["G303", "G501"]),
    # a sign word between a label and its value ("Duke score negative (-1)"): the value is still the label's
    (STENT, "Treadmill: Duke score negative (-1), intermediate. Small moderate reversible apical defect.", []),
    (STENT, "Treadmill: Duke score positive (+4). Small moderate reversible apical defect.", ["G109"]),
    # why the test stopped, against the stress record (fatigue and breathlessness are one kind)
    (VT, "Exercise halted because of a run of non-sustained VT at peak; perfusion normal; low risk.", []),
    (VT, "Exercise halted because of breathlessness; perfusion normal; low risk.", ["G410"]),
    (STENT, "Test ended due to exhaustion at 77% MPHR on metoprolol; small moderate reversible apical defect.", []),
    # (non-limiting chest pressure did not stop it)
    (STENT, "Test ended due to chest pressure at 77% MPHR; small moderate reversible apical defect.",
     ["G410", "G410"]),
    # the beta-blocker status of the day, against clinical.beta_blocker
    (STENT, "On metoprolol, so only 77% MPHR was reached; small moderate reversible apical defect.", []),
    (STENT, "Metoprolol withheld before the test; 77% MPHR; small moderate reversible apical defect.", ["G601"]),
    (DOB, "Carvedilol was stopped 48 h beforehand. Moderate fixed inferior scar, no ischaemia, EF 38%.", []),
    (DOB, "Stress despite ongoing carvedilol. Moderate fixed inferior scar, no ischaemia, EF 38%.", ["G601"]),
    (VT, "Not on a beta-blocker; 94% MPHR. Normal perfusion, low risk.", []),
    (VT, "On a beta-blocker; 94% MPHR. Normal perfusion, low risk.", ["G601"]),
    # an implanted device the clinical record names may not be denied; the device as a modifier is not denied
    (DOB, "Defibrillator in place. Moderate fixed inferior scar, no ischaemia, EF 38%; no ICD artefact on the images.",
     []),
    (DOB, "The patient has no defibrillator. Moderate fixed inferior scar, no ischaemia, EF 38%.", ["G601"]),
    # a risk said of ischaemic events is not raised by the arrhythmia
    (VT, "Normal perfusion; low ischaemic risk. NSVT at peak.", []),
    (VT, "Normal perfusion; high risk for coronary events. NSVT at peak.", ["G801"]),
    # METs in words
    (VT, "Normal perfusion. He managed twelve point four METs. NSVT at peak.", []),
    (VT, "Normal perfusion. He managed eleven point two METs. NSVT at peak.", ["G109"]),
    # a graded symptom after a comma is not in the denial before the comma; a bare list stays denied
    (REG, "Small mild anterior defect, probably breast attenuation. No ST change, no chest pain; low risk.", []),
    (REG, "Small mild anterior defect, probably breast attenuation. No ST change, chest pain or arrhythmia; low risk.",
     []),
    (REG, "Small mild anterior defect, probably breast attenuation. No ST change, limiting chest pain with the "
     "regadenoson; low risk.", ["G410"]),
    # "X excluded" denies X; "could not be excluded" leaves it possible
    (PET, "Large LAD and LCx ischaemia; left main disease could not be excluded. High risk.", []),
    (PET, "Ischaemia of the LAD territory excluded. High risk.", ["G501", "G601", "G601"]),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev21_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def _codes(text: str, study: Study, severity: str) -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope="impression") if f.severity.value == severity)


def test_dev21_unscoped_high_risk_is_a_reading_of_the_table(study_of: Callable[[str], Study]) -> None:
    """Ventricular tachycardia with stress lets the ACC-AHA table read high risk: unscoped, a warning only."""
    text = "Normal perfusion; high risk. NSVT at peak."
    assert "G801" not in _codes(text, study_of(VT), "error")
    assert "G801" in _codes(text, study_of(VT), "warning")


def test_dev21_plain_words_for_ventricular_tachycardia(study_of: Callable[[str], Study]) -> None:
    """A letter's plain words for the arrhythmia say it; a rhythm monitor planned does not."""
    said = (
        "Normal scan and good exercise capacity, low risk; a brief fast irregular rhythm from the lower chambers "
        "near peak and high blood pressure on exercise need review."
    )
    left_out = (
        "Normal scan and good exercise capacity, low risk; high blood pressure on exercise needs review; a "
        "heart-rhythm monitor is planned."
    )
    assert _codes(said, study_of(VT), "warning").count("G506") == 1
    assert _codes(left_out, study_of(VT), "warning").count("G506") == 2


def test_dev21_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: no correct impression is flagged."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_dev21")
    assert clean == 25
    assert flagged == []
    assert corrupted == 70
    # left: the study's rules read the anterior region as probably normal (attenuation), so ischaemia excluded, or
    # the clause that keeps it open left out, contradicts no recorded fact
    assert missed == [
        "dev21_spect_regadenoson_woman_small_mild_anterior_breast_atten_equivocal/a:omission",
        "dev21_spect_regadenoson_woman_small_mild_anterior_breast_atten_equivocal/e:negation",
    ]
