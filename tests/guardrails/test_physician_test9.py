"""Physician-written impressions of the released sealed set test9 (issue 15): each cause of a former false error,
checked on sentences written here in other words, beside a wrong sentence the same mechanism must still flag.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from reporter.domain.study import Study

# dobutamine-atropine SPECT after an inferior MI: inferior RCA scar with mild peri-infarct ischemia (partially
# reversible), moderate reversible LCx ischemia (SDS 5, 7.4%), LVEF 40%, post-stress ESV 90 mL; the rules: high
DOBU = "test9_spect_dobutamine_atropine_copd_inferior_scar_lcx_ischemia_ef40"
# dual-isotope exercise SPECT on metoprolol, submaximal (75% MPHR): normal perfusion, inferior attenuation, Duke +7
SUBMAX = "test9_spect_dual_isotope_exercise_metoprolol_submax_normal_inferior_atten_duke_pos7"
# LBBB regadenoson SPECT: no ischemia now, mild fixed anteroseptal reduction (LBBB), LVEF 52% (prior 55%)
LBBB = "test9_spect_lbbb_regadenoson_lcx_ischemia_resolved_after_pci_prior_meas"
# exercise SPECT: large severe reversible LAD defect, TID 1.31, LVEF 56% at rest and 41% post-stress, Duke -16
LAD = "test9_spect_exercise_large_lad_ischemia_tid_stunning_duke_neg16"
# N-13 ammonia PET, regadenoson: reversible RCA defect (SDS 6, 8.8%), RCA MFR 1.46, global MFR 2.21, CAC 630; the
# ECG nonischemic
PET = "test9_pet_n13_regadenoson_rca_ischemia_low_regional_mfr_cac630"

CASES = [
    # places listed with their flow values in words, after a clause that calls them normal, hold no defect
    (
        PET,
        "Unlike the other beds, whose hyperaemic flow is normal (LAD stress flow 2.05 with a reserve of 2.70), the "
        "RCA shows a reversible inferior defect.",
        [],
    ),
    (
        PET,
        "Unlike the other beds (LAD stress flow 2.05 with a reserve of 2.70), the LAD shows a reversible defect.",
        ["G201"],
    ),
    # a feature weighed as the less likely reading ("favouring X over Y") is not stated
    (
        PET,
        "The low RCA reserve with a matching defect favours a single stenosis over diffuse microvascular disease.",
        [],
    ),
    (PET, "The low RCA reserve with a matching defect is best explained by diffuse microvascular disease.", ["G409"]),
    # "-ve for", "neg for": "negative for" in shorthand
    (PET, "Lexiscan, flushing; stress ECG -ve for ischaemia; mod inferior RCA defect, reversible.", []),
    (PET, "Pharmacological stress; ECG - neg for ischemia; reversible inferior RCA defect.", []),
    (LAD, "Treadmill; ECG -ve for ischaemia; large severe reversible LAD defect.", ["G607"]),
    # a comma between the adjectives of one noun phrase does not end it: the grade before it is the next defect's
    (
        DOBU,
        "Fixed inferior scar from the old MI, with also an unmistakable, moderate, mainly reversible "
        "inferolateral defect in the circumflex bed.",
        [],
    ),
    (
        DOBU,
        "Fixed inferior scar from the old MI, with also an unmistakable, severe, mainly reversible "
        "inferolateral defect in the circumflex bed.",
        ["G301"],
    ),
    # a grade said of the residual at rest beside the stress grade of the same defect: each checked as its own
    (
        LAD,
        "Against rest images that look normal but for a minimal residual reduction in the mid anteroseptum, the "
        "stress images show a large severe defect across the anterior wall and apex.",
        [],
    ),
    (
        LAD,
        "Against rest images that look normal but for a minimal residual reduction in the mid anteroseptum, the "
        "stress images show a large mild defect across the anterior wall and apex.",
        ["G301"],
    ),
    # a reversal qualified as modest ("improves modestly at rest", "modestly improves") is a partial one
    (
        DOBU,
        "Beside the inferior scar, the inferoseptal and apical inferior segments improve modestly on the rest "
        "images, some peri-infarct ischaemia.",
        [],
    ),
    (
        DOBU,
        "Beside the inferior scar, the inferoseptal and apical inferior segments fully normalize on the rest "
        "images, some peri-infarct ischaemia.",
        ["G303"],
    ),
    # "+" in shorthand adds a finding of its own, with its own place
    (DOBU, "Dx: remote inferior infarct + ischaemia in the circumflex bed; intermediate risk.", []),
    (DOBU, "Dx: remote inferior infarct + ischaemia in the LAD bed; intermediate risk.", ["G201"]),
    # ... but between places it joins the places of one finding
    (LAD, "Reversible ant + apical defects, c/w LAD ischaemia.", []),
    # a hedge between a label and its value ("seems to be", "appears", "probably") keeps the value the label's
    (LBBB, "The ejection fraction would seem to be roughly 52%, low risk.", []),
    (LBBB, "The ejection fraction would seem to be roughly 62%, low risk.", ["G101"]),
    (DOBU, "Ejection fraction probably moderately reduced at 40 %.", []),
    # a finding denied after it with a hedge ("does not appear to be present")
    (DOBU, "Transient dilation doesn't seem to be present, ratio 1.06.", []),
    (DOBU, "Transient dilation seems to be present, ratio 1.06.", ["G404"]),
    # the sensitivity caveat told after the finding: what the test may have failed to show, not ischemia stated
    (SUBMAX, "On beta-blockade, a modest region of ischaemia might have been overlooked.", []),
    (SUBMAX, "Given the low heart rate, mild ischemia cannot be entirely ruled out.", []),
    (SUBMAX, "Mild inferior ischaemia is present, which might matter clinically.", ["G401", "G402"]),
    # after a known MI, the infarct's territory with ischemia at its margin beside one other ischemic territory:
    # "intermediate" is a reading of the rules' high (a warning); "low" stays wrong
    (DOBU, "Old inferior infarct with a little peri-infarct ischemia, and circumflex ischemia: intermediate risk.", []),
    (DOBU, "Overall I would grade this study as intermediate risk.", []),
    (DOBU, "Overall I would grade this study as low risk.", ["G801"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test9_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected
