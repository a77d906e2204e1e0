"""Physician-written impressions of the blind set dev6 (issue 15): each cause of a former false error, checked
on sentences written here in other words (and on other studies than the set's where the mechanism allows), beside
a wrong sentence the same mechanism must still flag.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from reporter.domain.study import Study

# dobutamine with 1.0 mg atropine; reversible inferior/inferoseptal defect; post-stress inferior hypokinesis of
# segments 4 and 10 (scores 3/1, 3/0); LVEF 54% stress / 57% rest (a 3-point fall, below the rules' drop)
DOBUTAMINE = "dev6_spect_dobutamine_bb_submax_rca_ischemia"
# exercise Tl-201: SBP 146 at rest, 138 at peak (a fall of 8 mmHg, under the rules' 10 mmHg high-risk cut);
# reversible LAD defect with post-stress hypokinesis of segments 7, 13, 17; no prior
THALLIUM = "dev6_spect_tl201_exercise_lad_high_risk_duke_neg13"
# exercise, SBP 132 -> 168; segments 13 and 17 scored 1/1 (a fixed equivocal apical region), wall motion normal;
# prior (segment scores) of 2025-02-20: SDS 9, LVEF 55%
APICAL = "dev6_spect_exercise_carvedilol_submax_lad_resolved_prior_meas"
# LBBB, septal dyssynchrony; partially reversible LCx defect (lateral, inferolateral, anterolateral); prior report
# of 2023 with a fixed lateral defect
LBBB_LCX = "dev6_spect_lbbb_regadenoson_lcx_scar_periinfarct_prior_report"
# normal relative perfusion, global MFR 1.61: the rules' risk is high
PET_FLOW = "dev6_pet_rb82_normal_perfusion_low_global_mfr_cac845"
# other sets' studies
DOBUTAMINE_NO_ATROPINE = "spect_dobutamine_rca_ischemia"
LBBB_SEPTAL = "dev5_spect_lbbb_regadenoson_septal_fixed"  # score-1 septal segments, not apical
NORMAL = "spect_normal_exercise"
TL_LCX = "test_spect_tl201_exercise_lcx_ischemia"


CASES = [
    # the atropine given with dobutamine is a dose of the study, not a number no fact supports
    (DOBUTAMINE, "Dobutamine infusion supplemented with atropine 1 mg.", []),
    (DOBUTAMINE, "Dobutamine infusion supplemented with atropine 0.6 mg.", ["G110"]),
    (DOBUTAMINE_NO_ATROPINE, "Dobutamine infusion supplemented with atropine 1 mg.", ["G110"]),
    # exertional hypotension read from the pressures: a peak systolic pressure below the resting one
    (THALLIUM, "Hypotensive response to exercise.", []),
    (THALLIUM, "Exercise-induced hypotension was noted.", []),
    (APICAL, "Exertional hypotension.", ["G409"]),
    # stunning read from a post-stress wall-motion abnormality over ischemic segments; the LVEF drop stays the rules'
    (DOBUTAMINE, "Inferior wall hypokinetic on the post-stress images, in keeping with stunning.", []),
    (DOBUTAMINE, "Post-stress drop in LVEF.", ["G409"]),
    (APICAL, "Stunning of the anterior wall.", ["G409"]),
    (LBBB_LCX, "Lateral akinesis consistent with stunning.", ["G409"]),
    # apical thinning read from a mild fixed apical region with normal wall motion
    (APICAL, "Mild fixed reduction at the apex, likely apical thinning.", []),
    (DOBUTAMINE, "Apical thinning.", ["G409"]),
    (LBBB_SEPTAL, "Apical thinning.", ["G409"]),
    # a qualified scar for a fixed score-1 region is a reading (a warning); an unqualified infarct is not
    (APICAL, "Minimal fixed apical defect, perhaps a small scar.", []),
    (APICAL, "Apical infarction.", ["G403"]),
    (NORMAL, "Minimal fixed apical defect, perhaps a small scar.", ["G401", "G401", "G403"]),
    # a perfusion verdict on the walls or territory its clause names, which the defects do not reach
    (LBBB_LCX, "Perfusion of the anterior wall is normal.", []),
    (LBBB_LCX, "Normal inferior perfusion.", []),
    (DOBUTAMINE, "Normal perfusion in the LAD territory.", []),
    (LBBB_LCX, "Lateral wall perfusion is normal.", ["G602"]),
    (DOBUTAMINE, "Normal perfusion in the LAD and LCx territories, inferior ischemia.", []),
    (DOBUTAMINE, "Normal perfusion in the RCA territory.", ["G602"]),
    (DOBUTAMINE, "Normal perfusion in the LAD, LCx and RCA territories.", ["G602"]),
    # septal motion put down to the conduction abnormality the study records is not a wrong wall
    (LBBB_LCX, "Paradoxical septal motion due to the LBBB.", []),
    (LBBB_LCX, "Lateral hypokinesis and septal dyssynchrony from the LBBB.", []),
    (LBBB_LCX, "Normal septal perfusion, so no false-positive septal defect from the left bundle branch block.", []),
    (
        LBBB_LCX,
        "Known lateral infarct with some reversibility at the margins, and the septal wall motion abnormality "
        "reflects the bundle branch block.",
        [],
    ),
    (LBBB_LCX, "Septal hypokinesis.", ["G202"]),
    (LBBB_LCX, "Reversible septal defect; dyssynchrony from LBBB.", ["G202"]),
    # an aside on the prior study (after its date, or after "prior <finding>") gives the prior's values
    (APICAL, "Compared with the SPECT of 2/2025 (anterior ischaemia, SDS 9), a small fixed apical defect.", []),
    (APICAL, "Compared with the SPECT of 2/2025 (anterior ischaemia, SDS 4), a small fixed apical defect.", ["G104"]),
    (APICAL, "The prior anterior isch (SDS 9) has resolved.", []),
    (APICAL, "The prior anterior isch (SDS 6) has resolved.", ["G104"]),
    (APICAL, "The previously seen anterior defect (SDS 9 now) is smaller.", ["G104"]),
    # a relative clause that says what the prior study reported describes the prior
    (
        LBBB_LCX,
        "Peri-infarct ischemia at the lateral margins is new compared with the 2023 study, which reported a fixed "
        "lateral defect.",
        [],
    ),
    (LBBB_LCX, "The peri-infarct ischemia was already seen on the 2023 study.", ["G702"]),
    # a change within this test (its pressures, its rest and stress LVEF) is no comparison with a prior study
    (
        THALLIUM,
        "Systolic pressure fell from 146 to 138 mmHg during exercise and the LVEF fell from 54% at rest to 46% "
        "post-stress.",
        [],
    ),
    (THALLIUM, "The LVEF falls from 54% at rest to 46% after stress, with increased lung uptake.", []),
    (THALLIUM, "Ischemia has increased from the previous study.", ["G701"]),
    # reversibility stated of an infarct is a partial one
    (LBBB_LCX, "Lateral infarct with mild reversibility at its margins.", []),
    (LBBB_LCX, "Lateral defect, completely reversible.", ["G303"]),
    (LBBB_LCX, "Reversible lateral defect beside an old infarct.", ["G303"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev6_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


HIGH_RISK_FEATURES = "TID 1.28, increased lung uptake, LVEF 46% post-stress vs 54% at rest, Duke -13."
IMPRESSION_CASES = [
    # a risk range the extraction rules read as one phrase still states both ends
    (PET_FLOW, "Overall intermediate to high risk given the flow data; normal relative perfusion, MFR 1.61.", []),
    (PET_FLOW, "Normal relative perfusion; globally reduced flow reserve (MFR 1.61). Moderate to high risk.", []),
    (
        PET_FLOW,
        "Normal relative perfusion; globally reduced flow reserve (MFR 1.61). Low to intermediate risk.",
        ["G503", "G801"],
    ),
    # a defect that fills in at rest is reversible: the impression states ischemia
    (THALLIUM, f"Large severe anterior and apical defect that fills in at rest. High risk. {HIGH_RISK_FEATURES}", []),
    (
        THALLIUM,
        f"Large severe anterior and apical defect that does not fill in at rest. High risk. {HIGH_RISK_FEATURES}",
        ["G303", "G501"],
    ),
    (TL_LCX, "Lateral defect that fills in on delayed images.", []),
]


@pytest.mark.parametrize(("stem", "text", "expected"), IMPRESSION_CASES)
def test_dev6_impressions(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), scope="impression") == expected
