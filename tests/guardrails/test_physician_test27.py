"""Physician-written impressions of the blind set test27 (round 20): each cause of a former false error, checked on
sentences written here in other words, beside a wrong sentence the same mechanism must still flag; and the set itself
scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from reporter.domain.study import Study

# Rb-82 dipyridamole PET, woman with diabetes: normal relative perfusion, global MFR 1.65 (rest 1.10, stress 1.82),
# LVEF 66 % rest / 70 % stress, CAC 0
PET = "test27_pet_rb82_dipyridamole_diabetic_woman_normal_perfusion_cac0_global_mfr16_cmd"
# dual-isotope SPECT after a LAD stent: new moderate reversible anteroseptal/apical defect (SDS 6), LVEF 58 %; prior
# 2024-11-05 normal
DUAL = "test27_spect_dual_isotope_post_lad_stent_new_moderate_anteroseptal_apical_ischemia_angina_std_duke_minus7"
# stress-only regadenoson tetrofosmin, BMI 45: normal perfusion (SSS 0), LVEF 64 %, low risk
BMI = "test27_spect_stress_only_regadenoson_bmi45_ct_ac_normal_rest_cancelled"

DUAL_CORE = "Moderate reversible anteroseptal and apical defect (LAD), SDS 6; LVEF 58%"

CASES = [
    # a limit of normal quoted beside the value it grades is a reference, not a value of the study, when the value
    # lies on the side the text gives it; a limit the value does not meet as the text says is still wrong
    (BMI, "Ejection fraction 64% (normal: at least 50%). Normal stress perfusion.", []),
    (BMI, "Ejection fraction 64% (normal: at least 70%). Normal stress perfusion.", ["G111"]),
    (BMI, "Ejection fraction 64%, comfortably above the cut-off of 50%. Normal stress perfusion.", []),
    (BMI, "Ejection fraction 64%, below the cut-off of 50%. Normal stress perfusion.", ["G111"]),
    (PET, "Flow reserve 1.65 (stress 1.82 mL/min/g), under the accepted threshold of 2.0; normal perfusion.", []),
    # a finding placed on an earlier study by where it was seen is what that study showed; the same finding said of
    # this study, or "as on" the earlier one, is still checked against this study
    (DUAL, f"Perfusion had been normal on the earlier study; the LAD ischaemia is new. {DUAL_CORE}.", []),
    (DUAL, f"Perfusion was normal in the 2024 SPECT. {DUAL_CORE}, new.", []),
    (DUAL, f"Perfusion normal, as on the earlier study. {DUAL_CORE}.", ["G602"]),
    # a checkbox template states what its checked boxes say: an unchecked option states nothing, an empty box denies a
    # finding, and a checked option states its option
    (BMI, "Stress: [ ] Treadmill  [x] Regadenoson\nFindings: [ ] Ischemia  [ ] Scar  [x] Normal\nRisk: [x] Low", []),
    (BMI, "Stress: [x] Treadmill  [ ] Regadenoson\nFindings: [x] Normal", ["G605"]),
    (BMI, "Findings: [ ] Normal  [x] Ischemia", ["G402"]),
    (BMI, "Findings: [x] Normal\nRisk: [ ] Low  [x] High", ["G801"]),
    (DUAL, f"Perfusion: [x] Normal  [ ] Ischemia. {DUAL_CORE}.", ["G601", "G602"]),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test27_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def test_test27_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: no correct impression is flagged."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_test27")
    assert clean == 22
    assert flagged == []
    assert corrupted == 70
    assert len(missed) <= 14
