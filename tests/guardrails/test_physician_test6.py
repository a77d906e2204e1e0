"""Physician-written impressions of the blind set test6 (issue 15): each cause of a former false error, checked on
sentences written here in other words (on other studies than the set's where the cause is not the study's), beside
a sentence the same mechanism must still flag.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# Rb-82 PET, normal perfusion, global MFR 1.61 (LAD 1.50, LCx 1.72, RCA 1.64), Agatston 845 (LAD 480, LCx 140,
# RCA 225, LM 0)
PET_CAC845 = "dev6_pet_rb82_normal_perfusion_low_global_mfr_cac845"
# adenosine SPECT with LBBB: normal perfusion and wall motion, septal dyssynchrony from the conduction abnormality
LBBB = "test6_spect_adenosine_lbbb_normal"
# Rb-82 PET, normal perfusion and flow, Agatston 0, low risk
PET_CAC0 = "test6_pet_rb82_regadenoson_normal_flow_cac0"
# Tc-99m dipyridamole SPECT, TID 1.31 (the rules' vasodilator limit 1.36; most laboratories' 1.22)
TID_131 = "test6_spect_dipyridamole_lad_lcx_high_risk_tid"
# Rb-82 PET after RCA PCI; prior SPECT of 2025-11-18: severe reversible RCA defect (inferior, inferoseptal), LVEF 52%
AFTER_RCA_PCI = "test_pet_rb82_followup_improved_after_rca_pci"
# SPECT after LAD PCI: prior LVEF 48%, TID 1.22; now LVEF 57%, TID 1.02, small fixed apical defect
AFTER_LAD_PCI = "test6_spect_regadenoson_followup_lad_pci_improved"


CASES = [
    # a vessel's number belongs to the label nearest before it in its clause, however far dictation runs on
    (PET_CAC845, "reduced global flow reserve MFR 1.61 LAD 1.50 left circumflex 1.72 RCA 1.64 calcium score 845", []),
    (
        PET_CAC845,
        "reduced global flow reserve MFR 1.61 LAD 1.90 left circumflex 1.72 RCA 1.64 calcium score 845",
        ["G106"],
    ),
    (PET_CAC845, "flow reserve 1.61 calcium score 845 with LAD 480 and RCA 225", []),
    (PET_CAC845, "flow reserve 1.61 calcium score 845 with LAD 480 and RCA 300", ["G107"]),
    # in dictation without punctuation a negation ends at a concept that states its own value
    (PET_CAC0, "normal perfusion no ischemia calcium score zero low risk", []),
    (PET_CAC0, "normal perfusion no ischemia calcium score zero high risk", ["G801"]),
    # a TID ratio between the limits laboratories use for its acquisition is a reading either way
    (TID_131, "TID of 1.31 is abnormal.", []),
    (TID_131, "Abnormal transient ischemic dilation of the LV cavity.", []),
    # "2/2" before a condition is "secondary to"; a score pair with its phase is still a score
    (PET_CAC0, "Resting ECG nondx 2/2 LVH with strain.", []),
    (PET_CAC0, "ECG nondx. SSS 2/2.", ["G104"]),
    # the prior's findings in other words: a defect "seen then" with its aside, a "vs <date>:" line
    (
        AFTER_LAD_PCI,
        "Compared with the 09/2025 scan: the large, severe reversible defect seen then "
        "(anteroseptal and apical walls) is gone.",
        [],
    ),
    (
        AFTER_LAD_PCI,
        "Small fixed apical defect. No ischemia.\n- vs 9/2025: large anteroseptal LAD ischemia (SDS 17).",
        [],
    ),
    (AFTER_LAD_PCI, "Reversible anteroseptal defect.", ["G202", "G402"]),
    # "vs <date>" is a comparison, not the "X vs Y" of a differential: the prior's territory is checked
    (AFTER_LAD_PCI, "No ischemia now.\n- versus 09/2025: extensive RCA ischemia.", ["G702"]),
    (AFTER_LAD_PCI, "No ischemia now.\n- versus 09/2025: extensive LAD ischemia.", []),
    (AFTER_RCA_PCI, "Severe reversible inferoseptal defect.", ["G401", "G401", "G402"]),
    # a proposal cue reaches the test it names, not one named far back in the same run-on sentence
    (
        TID_131,
        "abnormal adenosine sestamibi study with severe LAD and circumflex ischemia recommend catheterization",
        ["G603"],
    ),
    (TID_131, "Severe LAD and circumflex ischemia. If needed, consider adenosine PET later.", []),
    # a wall's dyssynchrony is that wall's motion: the conduction abnormality explains the septum's only
    (LBBB, "Septal dyssynchrony due to the bundle branch block.", []),
    (LBBB, "Inferior wall dyssynchrony, likely from the bundle branch block.", ["G405"]),
    (LBBB, "No anterior wall dyssynchrony.", []),
    # a change written with an arrow is a comparison: the first value may be the prior's
    (AFTER_RCA_PCI, "LVEF rose 52% -> 58%.", []),
    (AFTER_RCA_PCI, "LVEF rose 45% -> 58%.", ["G101"]),
    # an unlabelled value after "prior" is one of the prior's values
    (AFTER_LAD_PCI, "TID today 1.02 (prior 1.22).", []),
    (AFTER_LAD_PCI, "TID today 1.02 (prior 1.35).", ["G111"]),
]


@pytest.mark.parametrize(("name", "text", "expected"), CASES)
def test_physician_wording(study_of: Callable[[str], Study], name: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(name)) == expected


def test_standing_down_without_further_testing_on_a_high_risk_study_is_flagged(
    study_of: Callable[[str], Study],
) -> None:
    text = "Extensive ischaemia. Medical treatment without additional investigation is advised."
    flags = verify(text, study_of(TID_131))
    assert [f.code.value for f in flags if f.code.value == "G412"] == ["G412"]


def test_tid_below_every_published_limit_stated_abnormal_stays_an_error(study_of: Callable[[str], Study]) -> None:
    study = study_of(TID_131)
    low = study.model_copy(update={"function": study.function.model_copy(update={"tid_ratio": 1.05})})
    assert errors("TID of 1.05 is abnormal.", low) == ["G404"]
