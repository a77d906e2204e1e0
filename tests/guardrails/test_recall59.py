"""Physician-written impressions of the blind set test27 (round 19): each cause of a missed corruption, checked on
sentences written here in other words (read as sentences, not whole impressions), beside a correct sentence the same
mechanism must leave alone.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from reporter.domain.study import Study

# Rb-82 dipyridamole PET: normal relative perfusion, CAC 0, globally and homogeneously reduced MFR 1.65 (microvascular)
PET = "test27_pet_rb82_dipyridamole_diabetic_woman_normal_perfusion_cac0_global_mfr16_cmd"
# stress-only regadenoson SPECT with CT AC: normal stress perfusion, rest cancelled, EF 64 %; low risk
STRESS_ONLY = "test27_spect_stress_only_regadenoson_bmi45_ct_ac_normal_rest_cancelled"
# dobutamine-atropine, hypertrophic cardiomyopathy: normal perfusion (dev23)
HCM = "dev23_spect_dobutamine_atropine_hcm_septal_hypertrophy_no_ischaemia_hyperdynamic"

CASES = [
    # a normal verdict denied of the stress (or SPECT) images is an abnormal perfusion verdict; "not entirely normal"
    # is a lesser doubt and states nothing
    (STRESS_ONLY, "Her SPECT pictures are not normal, although the EF is 64%.", ["G602"]),
    (HCM, "The stress images are not normal; EF 79%.", ["G602"]),
    (HCM, "The stress images were not entirely normal; EF 79%.", []),
    (HCM, "The stress images were normal; EF 79%.", []),
    # an unticked option of a checkbox risk line is no end of a range
    (STRESS_ONLY, "Overall risk:  Low [ ]   Intermediate [x]   High [ ]", ["G801"]),
    (STRESS_ONLY, "Risk category: [ ] low [ ] intermediate [x] high", ["G801"]),
    (STRESS_ONLY, "Risk category: [x] low [ ] intermediate [ ] high", []),
    (STRESS_ONLY, "Low-to-intermediate risk.", []),  # a written range still holds its lower end
    # obstructive epicardial disease stated as present against normal perfusion and a calcium score of 0, even where
    # the flow reserve is reduced (the microvascular differential); a hedged or denied one stays unflagged
    (PET, "Normal perfusion; the blunted reserve is due to obstructive epicardial coronary disease.", ["G402"]),
    (PET, "Normal relative perfusion and reduced reserve: significant obstructive CAD likely.", ["G402"]),
    (PET, "Normal relative perfusion and reduced reserve: obstructive CAD cannot be excluded.", []),
    (PET, "Normal relative perfusion with reduced reserve and CAC 0; no obstructive epicardial disease.", []),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test27_recall_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected
