"""Physician-written impressions of the blind set test24 (round 17's sealed set, released at the start of round 18):
each cause of a former false error or miss, checked on sentences written here in other words, beside a wrong sentence
the same mechanism must still flag; and the set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from reporter.domain.study import Study

# Rb-82 regadenoson PET after CABG: fixed inferior RCA scar (segments 4, 10, 15), new severe reversible anterolateral
# LCx ischaemia (SDS 8); MFR LAD 2.40, LCx 1.30, RCA 1.91; LVEF 45 % rest -> 50 % stress; prior PET of 2022-10-27
PET = "test24_pet_rb82_regadenoson_postcabg_inferior_scar_new_anterolateral_ischemia_lcx_mfr13"
# dipyridamole: bronchospasm reversed with aminophylline; moderate reversible inferolateral LCx defect (SDS 4);
# TID 1.04; no prior study (an outside report of 2019 could not be obtained)
COPD = "test24_spect_dipyridamole_copd_aminophylline_moderate_inferolateral_ischemia_ef52"
# dobutamine: large severe fixed LAD scar, apical aneurysm, LVEF 30 % rest / 29 % stress
AS = "test24_spect_dobutamine_severe_as_pretavi_large_fixed_lad_scar_apical_aneurysm_ef30"
# regadenoson stress-only, CT attenuation correction, normal perfusion, LVEF 65 %, CAC 0; chest tightness, no block
STRESS_ONLY = "test24_spect_regadenoson_stress_only_normal_ctac_cac0_chest_tightness"

_PET_BASE = "Inferior scar unchanged; new severe reversible anterolateral LCx ischaemia, SDS 8. LVEF 45% rising to 50%."
_COPD_BASE = "Moderate reversible inferolateral LCx defect, SDS 4, LVEF 52%. Intermediate risk."
_STRESS_ONLY_BASE = "Normal stress-only perfusion, LVEF 65%, CAC 0. Low risk."

CASES = [
    # a registry key with a lower-case word after its underscore is one label ("EF_rest=30")
    (AS, "Large severe fixed LAD scar with an apical aneurysm; no ischaemia. EF_rest=30, EF_stress=29. High risk.", []),
    (AS, "Large severe fixed LAD scar with an apical aneurysm; no ischaemia. EF_rest=45, EF_stress=29. High risk.",
     ["G101"]),
    # a prior's keyed line ends at the next key: the keys after it are this study's
    (PET, _PET_BASE + " High risk; graft angiography.\nPREVIOUS STUDY 2022-10-27: inferior scar only\n"
     "INTERVAL CHANGE: new lateral ischaemia\nRISK CATEGORY: high", []),
    (PET, _PET_BASE + " High risk; graft angiography.\nPREVIOUS STUDY 2022-10-27: inferior scar only\n"
     "INTERVAL CHANGE: new lateral ischaemia\nRISK CATEGORY: low", ["G801"]),
    # ... and the prior's own line is still the prior's
    (PET, _PET_BASE + " High risk; graft angiography.\nPREVIOUS STUDY 2022-10-27: inferior scar and lateral ischaemia\n"
     "RISK CATEGORY: high", ["G702", "G702"]),
    # territories joined by slashes before values joined by slashes: each value is its territory's
    (PET, _PET_BASE + " High risk. Flow reserve LAD/LCx/RCA 2.4/1.3/1.9.", []),
    (PET, _PET_BASE + " High risk. Flow reserve LAD/LCx/RCA 1.3/2.4/1.9.", ["G106", "G106"]),
    # segment numbers in parentheses after a finding are its segments
    (PET, "Unchanged inferior infarct (4, 10,15); new severe reversible anterolateral LCx ischaemia, SDS 8. LVEF 45% "
     "rising to 50%. High risk.", []),
    (PET, "Unchanged inferior infarct (4,10,16); new severe reversible anterolateral LCx ischaemia, SDS 8. LVEF 45% "
     "rising to 50%. High risk.", ["G203"]),
    # a comparison said to be impossible is no comparison
    (COPD, _COPD_BASE + " No comparison could be made, the earlier report being unavailable.", []),
    (COPD, _COPD_BASE + " Unchanged from the 2019 SPECT.", ["G701"]),
    # a grade after its scar, in Romance word order, grades the scar beside an aneurysm
    (AS, "Infarct large of the anterior wall, septum and apex, with aneurysm of the apex and no ischaemia. EF 30%. "
     "High risk.", []),
    (AS, "Infarct small of the anterior wall, septum and apex, with aneurysm of the apex and no ischaemia. EF 30%. "
     "High risk.", ["G302"]),
    # a TID said to point to disease calls the TID abnormal; one said to speak against it does not
    (COPD, _COPD_BASE + " TID ratio 1.04, which speaks against balanced ischaemia.", []),
    (COPD, _COPD_BASE + " The TID of 1.04 does not point to three-vessel disease.", []),
    (COPD, _COPD_BASE + " The TID of 1.04 points to three-vessel disease.", ["G404"]),
    # the LV function in plain words, said to fail to rise with stress, where the LVEF rose
    (PET, "Inferior scar unchanged; new severe reversible anterolateral LCx ischaemia, SDS 8. High risk. LVEF 45% at "
     "rest; the systolic function then improves to 50% with regadenoson.", []),
    (PET, "Inferior scar unchanged; new severe reversible anterolateral LCx ischaemia, SDS 8. High risk. LVEF 45% at "
     "rest; the systolic function is modest and fails to improve with regadenoson.", ["G409"]),
    # rest images said acquired in a stress-only study; reversibility shown where perfusion is normal
    (STRESS_ONLY, _STRESS_ONLY_BASE + " Rest images were not acquired.", []),
    (STRESS_ONLY, _STRESS_ONLY_BASE + " Rest images were then acquired.", ["G604"]),
    (STRESS_ONLY, "Normal perfusion, LVEF 65%, CAC 0. Low risk. Stress images demonstrated no reversibility.", []),
    (STRESS_ONLY, "Normal perfusion, LVEF 65%, CAC 0. Low risk. Stress images demonstrated reversibility in the apex.",
     ["G402"]),
    # images said read without attenuation correction where the study used CT correction
    (STRESS_ONLY, "Normal stress-only perfusion on images corrected with CT attenuation correction, LVEF 65%, CAC 0. "
     "Low risk.", []),
    (STRESS_ONLY, "Normal stress-only perfusion on images read without attenuation correction, LVEF 65%, CAC 0. "
     "Low risk.", ["G604"]),
    # a test called uneventful where the stress record names a complication; not where it records none
    (COPD, _COPD_BASE + " The dipyridamole infusion was complicated by wheeze, reversed with aminophylline.", []),
    (COPD, _COPD_BASE + " The dipyridamole infusion was uneventful.", ["G601"]),
    (STRESS_ONLY, _STRESS_ONLY_BASE + " The regadenoson infusion was uneventful.", []),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test24_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def test_test24_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: every correct impression free of error flags; three corruptions left, each
    arguable (see the set's README): an apical-thinning clause and a side-effect sentence left out, both leaving true
    text, and a moderate defect called mild where its SDS of 4 is a mild amount of ischaemia by the summed grade."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_test24")
    assert (clean, flagged) == (22, [])
    assert corrupted == 70
    assert missed == [
        "test24_spect_dipyridamole_copd_aminophylline_moderate_inferolateral_ischemia_ef52/d:severity",
        "test24_spect_exercise_young_woman_palpitations_apical_thinning_rate_related_st_low_risk/d:omission",
        "test24_spect_regadenoson_stress_only_normal_ctac_cac0_chest_tightness/c:omission",
    ]
