"""Physician-written impressions of the blind set dev10 (issue 15): each cause of a former false error or miss,
checked on sentences written here in other words (and on other studies than the set's where the mechanism
allows), beside a wrong sentence the same mechanism must still flag.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# dual-isotope exercise SPECT: reversible inferior RCA defect (scores 3, 3, 2), SDS 7 = 10.3% of the LV (the rules:
# high risk by that burden alone); non-limiting chest heaviness; ischemic ECG; TID 1.04; LVEF 58/60%
DUAL = "dev10_dual_isotope_exercise_inferior_ischemia_duke_neg1"
# N-13 PET: reversible LCx defect of five segments (large by count, 11.8% of the LV); LCx MFR 1.45 reduced, LAD and
# RCA normal; flushing and dyspnoea only
PET = "dev10_pet_n13_regadenoson_lcx_ischemia_flow_cac412"
# large fixed LAD infarct with SDS 2 (2.9%, minimal ischemia); LVEF 33/35%; prior report of 2024-02-19 (fixed LAD
# defect, LVEF 41%)
SCAR = "dev10_spect_regadenoson_lad_scar_ef33_worse_prior_report"
# normal exercise SPECT; mild fixed inferior reduction recorded as diaphragmatic attenuation
ATTEN = "dev10_spect_exercise_normal_diaphragm_atten_duke_pos10"
# dobutamine-atropine SPECT: LAD and RCA ischemia, SDS 15 (22%); limiting chest pressure; TID 1.30
DOBU = "dev10_spect_dobutamine_atropine_submax_lad_rca_ischemia_tid"
# reversible RCA defect, SDS 9 = 13.2% of the LV: high risk beyond the edge of the band
RCA13 = "spect_dobutamine_rca_ischemia"
# fixed inferior scar, no ischemia
DIPY = "dev7_spect_dipyridamole_lbbb_dilated_lv_ef24_inferior_scar_worse_prior"
# new lateral ischemia since a normal prior
NEW_LATERAL = "spect_followup_new_lateral_ischemia"


def codes(text: str, study: Study, severity: str) -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope="impression") if f.severity.value == severity)


CASES = [
    # a high risk resting only on an ischemic burden at the edge of the band (10-12.5%, or a defect large by its
    # segment count only): "intermediate" is a reading (a warning); "low" and other high-risk studies stay errors
    (DUAL, "Overall I would grade this as intermediate risk.", []),
    (PET, "Risk: intermediate.", []),
    (DUAL, "No high-risk markers are present; intermediate risk overall.", []),
    (DUAL, "Not a high-risk study.", ["G801"]),
    (DUAL, "A low-risk scan overall.", ["G801"]),
    (RCA13, "I would regard this as intermediate risk.", ["G801"]),
    (DOBU, "Intermediate-risk study.", ["G801"]),
    # the grade of a reversible defect may be its amount of ischemia (10.3%: moderate), not its intensity only
    (DUAL, "A moderate, fully reversible perfusion defect of the inferior wall.", []),
    (DUAL, "Reversible RCA-territory ischaemia, moderate in amount.", []),
    (DUAL, "A mild reversible perfusion defect of the inferior wall.", ["G301"]),
    (DUAL, "A moderate-intensity reversible inferior defect.", ["G301"]),
    # a denied infarct denies the scar only, a denied ischemia the reversal only
    (DUAL, "The faint basal inferior residue at rest is trivial and does not represent infarction.", []),
    (DIPY, "There is no ischaemia in the inferior wall.", []),
    (DIPY, "There is no infarct in the inferior wall.", ["G601", "G601"]),
    # a hedge says which part of a partial reversal dominates
    (SCAR, "The anterior and apical defect is largely fixed.", []),
    (SCAR, "Essentially fixed LAD-territory perfusion defect.", []),
    (SCAR, "The anterior and apical defect is reversible.", ["G303"]),
    # a prior named as a report, with its date, and what it described
    (SCAR, "Compared with the outside report dated 19 Feb 2024, which gave an ejection fraction of 41%, it fell.", []),
    (SCAR, "Function has declined; the ejection fraction is 41%.", ["G101"]),
    # a number placed in the prior by what follows it
    (SCAR, "The EF has fallen; it was 41% on the previous study.", []),
    (SCAR, "An ejection fraction of 41% in March 2024 has fallen to 33%.", []),
    (SCAR, "Ejection fraction 41% at rest.", ["G101"]),
    # a bound belongs to the nearest label: "(LVEF <=35%)" in a risk sentence is no event rate
    (SCAR, "High risk (EF < 35%).", []),
    (SCAR, "High risk (annual event rate > 5%).", ["G111"]),
    # minimal ischemia (< 5% of the LV) denied as significant is true; called significant it is not
    (SCAR, "No significant peri-infarct ischaemia.", []),
    (SCAR, "Significant peri-infarct ischaemia.", ["G301"]),
    # a defect stated unchanged whose only change is a trivial reversal; "new" when the prior had it
    (SCAR, "Compared with the 2024 report, the anterior infarct is unchanged.", []),
    (SCAR, "Compared with the 2024 report, the anterior infarct is new.", ["G702"]),
    (SCAR, "Compared with the 2024 report, no new defect in the other territories.", []),
    # "the other territories", "elsewhere": those the text has not named before (none named: nothing to check)
    (NEW_LATERAL, "New lateral ischemia. No new defect elsewhere.", []),
    (NEW_LATERAL, "New ischemia in the circumflex territory; nothing new elsewhere, no new defect elsewhere.", []),
    (NEW_LATERAL, "Inferior wall unchanged; no new defect in the other territories.", ["G702"]),
    # ... and a denied change in named territories is checked against those territories' defects
    (SCAR, "Anterior infarct unchanged; no new defect in the circumflex or right coronary territories.", []),
    (NEW_LATERAL, "No new defect in the LCx territory.", ["G702"]),
    # angina that stopped the test or did not
    (DUAL, "Chest heaviness during exercise, not limiting.", []),
    (DUAL, "Exercise was stopped because of chest heaviness.", ["G410"]),
    (DOBU, "The infusion was terminated because of chest pressure.", []),
    (DOBU, "Non-limiting chest pressure during the infusion.", ["G410"]),
    # chest symptoms denied as a group
    (DUAL, "No chest symptoms during exercise.", ["G601"]),
    (PET, "No chest symptoms with regadenoson.", []),
    # transient dilatation named without "ischemic"
    (DUAL, "No transient cavity dilatation.", []),
    (DUAL, "There is transient cavity dilatation.", ["G404"]),
    (DOBU, "Transient dilation of the LV cavity.", []),
    # the size of an area of ischemia against the ischemic burden's band
    (DOBU, "A large area of inducible ischaemia in two territories.", []),
    (DOBU, "A small region of reversible ischaemia.", ["G301"]),
    (DUAL, "A small zone of inferior ischemia.", ["G301", "G302"]),
    # in a sentence about flow, the territories it has not named
    (PET, "Flow reserve is reduced in the LCx territory (1.45); the remaining territories are normal.", []),
    (PET, "LCx flow reserve 1.45, reduced; other territories also reduced.", ["G301"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev10_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def test_intermediate_risk_at_the_edge_warns_and_is_an_error_in_model_text(study_of: Callable[[str], Study]) -> None:
    study = study_of(DUAL)
    text = "Reversible inferior ischaemia (RCA), SDS 7, ischaemic ST depression. EF 58%. Intermediate risk."
    assert codes(text, study, "error") == []
    assert codes(text, study, "warning").count("G801") == 1
    assert "G503" not in codes(text, study, "warning")  # G801 shows the reading; one flag for one disagreement
    assert "G503" in codes(text.replace("Intermediate", "Low"), study, "error")
    model = verify(text, study, scope="impression", origin="model")
    assert sorted(f.code.value for f in model if f.severity.value == "error") == ["G801"]


def test_minimal_ischemia_told_by_its_score_is_not_an_omission(study_of: Callable[[str], Study]) -> None:
    study = study_of(SCAR)
    told = "Large severe fixed LAD infarct, SDS 2. LVEF 33%. High risk."
    assert "G501" not in codes(told, study, "error")
    assert "G501" in codes(told, study, "warning")
    assert "G501" in codes("Large severe fixed LAD infarct. LVEF 33%. High risk.", study, "error")


def test_lvef_grade_with_the_subject_first_states_the_reduced_lvef(study_of: Callable[[str], Study]) -> None:
    study = study_of(SCAR)
    base = "Large fixed LAD infarct with minimal peri-infarct ischaemia. High risk."
    assert "G504" in codes(base, study, "error")
    assert "G504" not in codes(base + " Systolic function is moderately impaired.", study, "error")
    assert "G504" not in codes(base + " LV function is moderately-to-severely reduced.", study, "error")
    assert "G304" in codes(base + " LV function is mildly reduced.", study, "error")


def test_ischemic_ecg_beside_abnormal_perfusion_told_only_by_a_duke_score_warns(
    study_of: Callable[[str], Study],
) -> None:
    study = study_of(DUAL)
    text = "Reversible inferior ischaemia, RCA, SDS 7. Duke -1. EF 58%. Intermediate risk."
    assert "G510" in codes(text, study, "warning")
    told = text.replace("Duke -1.", "1 mm ST depression, Duke -1.")
    assert "G510" not in codes(told, study, "warning")


def test_defect_stated_where_an_artifact_is_recorded_without_saying_so_warns(
    study_of: Callable[[str], Study],
) -> None:
    study = study_of(ATTEN)
    bare = "Normal perfusion study. Mild fixed inferior defect. EF 64%. Low risk."
    assert "G401" in codes(bare, study, "warning")
    said = bare.replace("inferior defect.", "inferior defect, diaphragmatic attenuation.")
    assert "G401" not in codes(said, study, "warning")
    assert codes(said, study, "error") == []


def test_plan_said_in_the_first_person_is_advice(study_of: Callable[[str], Study]) -> None:
    study = study_of(DIPY)
    assert "G411" in codes("Fixed inferior scar, no ischaemia. We will arrange coronary angiography.", study, "warning")
    assert "G411" not in codes("Fixed inferior scar, no ischaemia. I would call this high risk.", study, "warning")
