"""Physician-written impressions of the blind set test23 (round 17's sealed set, released after its first wave): each
cause of a former false error or miss, checked on sentences written here in other words, beside a sentence the same
mechanism must leave alone; and the set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from guardrails import verify
from reporter.domain.study import Study

# N-13 ammonia dipyridamole PET: new moderate reversible RCA defect (11.8 % of the LV), RCA MFR 1.40 (LAD 2.80, LCx
# 2.70), LVEF 58 % at rest; normal SPECT of 2023
PET = "test23_pet_n13_dipyridamole_new_rca_ischemia_low_rca_mfr_cac450"
# treadmill converted to regadenoson: small mild reversible lateral defect, LVEF 64 %, no angina
CONV = "test23_spect_exercise_converted_regadenoson_knee_pain_small_mild_lateral"
# adenosine in LBBB: large severe LAD + LCx ischemia beyond a mild fixed septal (LBBB) pattern, LVEF 35 %
LBBB = "test23_spect_adenosine_lbbb_large_lad_lcx_ischemia_tid135_ef35_dilated"
# two-day rest-first study, BMI 47: normal, inferior diaphragmatic attenuation resolved prone and with CT AC
OBESE = "test23_spect_twoday_rest_first_bmi47_prone_ac_normal_diaphragm"
# Tl-201 treadmill: inferior scar, partly redistributing inferolateral ischemia, LVEF 46 % post-stress and 50 % at
# redistribution, LHR 0.56
TL = "test23_spect_tl201_exercise_inferolateral_mixed_scar_ischemia_lhr056_duke_neg3_new_vs_prior"

OB_TAIL = " LVEF 68%, normal wall motion. Low risk."
LB_TAIL = " TID 1.35, post-stress LVEF 35%. High risk; catheterisation advised."

CASES = [
    # a flow-reserve grade bound by an anaphor to the territory named before it; reduced there, with the reversible
    # defect, it names the ischemia by its PET measure (a missing-ischemia warning, not an error)
    (PET, "Dipyridamole ammonia PET: stress hypoperfusion of the inferior wall, right coronary territory, new since "
     "2023. Flow reserve in this territory is reduced; LVEF 58%. Intermediate risk.", []),
    (PET, "Dipyridamole ammonia PET: stress hypoperfusion of the inferior wall, right coronary territory, new since "
     "2023. Flow reserve in this territory is normal; LVEF 58%. Intermediate risk.", ["G301", "G501"]),
    # an elided flow subject: the territories of the clause after "and"/"but" take its grade
    (PET, "Moderate reversible inferior ischaemia (RCA). Flow reserve of the RCA is low, but in the LAD and LCx it is "
     "normal. LVEF 58%. Intermediate risk.", []),
    (PET, "Moderate reversible inferior ischaemia (RCA). Flow reserve of the RCA is low, and in the LAD and LCx it is "
     "reduced as well. LVEF 58%. Intermediate risk.", ["G301", "G301"]),
    # LV function graded by a denied verb: its polarity is its grade
    (CONV, "Small mild reversible lateral defect. The heart is pumping well. Low risk.", []),
    (CONV, "Small mild reversible lateral defect. The heart is not pumping well. Low risk.", ["G602"]),
    (CONV, "Small mild reversible lateral defect. Pumping function is not normal. Low risk.", ["G602"]),
    # a defect beyond the septum said to be explained by the conduction disorder is read as the LBBB artifact
    (LBBB, "Large severe reversible anterior, apical and lateral defect that LBBB alone cannot account for." + LB_TAIL,
     []),
    (LBBB, "Large severe reversible anterior, apical and lateral defect, which is entirely accounted for by the "
     "bundle branch block." + LB_TAIL, ["G406"]),
    # a key's value set off by a dash is read as after a colon; a graded bare verdict after its topic too
    (OBESE, "Perfusion \u2013 normal, attenuation of the inferior wall corrected by AC." + OB_TAIL, []),
    (OBESE, "Perfusion \u2013 normal. LVEF 68%, normal wall motion. Risk \u2013 high.", ["G801"]),
    (OBESE, "Perfusion: minimally abnormal. LVEF 68%, normal wall motion. Risk - low.", ["G602"]),
    # the phase labelled "day 1" of a two-day protocol is its first day
    (OBESE, "Two-day study (rest day 1, regadenoson stress day 2): normal perfusion." + OB_TAIL, []),
    (OBESE, "Two-day study (stress day 1, rest day 2): normal perfusion." + OB_TAIL, ["G604"]),
    # an artifact given as the reading of a count loss placed earlier in its sentence is bound to that wall
    (OBESE, "Normal perfusion; a supine inferior count loss cleared on prone views, consistent with diaphragmatic "
     "attenuation." + OB_TAIL, []),
    (OBESE, "Normal perfusion; a supine septal count loss cleared on prone views, consistent with diaphragmatic "
     "attenuation." + OB_TAIL, ["G202"]),
    # a numbered item's label ("Finding 2:") orders the list and measures nothing; a number in the item still does
    (TL, "Finding 1: fixed severe inferior scar (RCA)\nFinding 2: inferolateral ischaemia with partial redistribution\n"
     "LHR 0.56, LVEF 46% post-stress, high risk", []),
    (TL, "Finding 1: fixed severe inferior scar (RCA)\nFinding 2: inferolateral ischaemia with partial redistribution\n"
     "LHR 0.66, LVEF 46% post-stress, high risk", ["G111"]),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test23_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def _codes(text: str, study: Study, severity: str) -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope="impression") if f.severity.value == severity)


def test_test23_mild_post_stress_lvef_left_out_stays_an_error(study_of: Callable[[str], Study]) -> None:
    """46 % after stress, 50 % at redistribution: its omission stays an error. Reading it as borderline (a warning)
    would clear one correct impression of this set but lose a corruption of dev18 (48 % after stress, 50 % at rest,
    deleted), so it is left (see the set's README)."""
    text = "Inferior scar and inferolateral ischaemia with partial redistribution; LHR 0.56. High risk."
    assert "G504" in _codes(text, study_of(TL), "error")


def test_test23_set_scores_what_was_reached() -> None:
    """The set as the bench scores it."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_test23")
    assert clean == 24
    # left: an impression that omits a mildly reduced post-stress LVEF (46 %) whose redistribution LVEF is 50 %
    assert flagged == ["test23_spect_tl201_exercise_inferolateral_mixed_scar_ischemia_lhr056_duke_neg3_new_vs_prior/b"]
    assert corrupted == 69
    # left: chest pain graded "typical" in a bare telegraphic item (read as the referral symptom), and an artifact
    # said to persist on prone images (the study records its resolution in a free-text note only)
    assert missed == [
        "test23_spect_exercise_converted_regadenoson_knee_pain_small_mild_lateral/d:stress_symptom",
        "test23_spect_twoday_rest_first_bmi47_prone_ac_normal_diaphragm/d:negation",
    ]
