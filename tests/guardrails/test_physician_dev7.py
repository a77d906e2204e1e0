"""Physician-written impressions of the blind set dev7 (issue 15): each cause of a former false error or miss,
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

# N-13 ammonia PET: reversible LCx defect; LVEF 57% rest, 51% stress; TID 1.06 (PET limit 1.13); LAD/RCA MFR normal
PET = "dev7_pet_n13_regadenoson_lcx_flow_lvef_reserve"
# fixed inferior RCA scar; LVEF 24/26%, diffuse hypokinesis, akinesis of segments 4 and 10; prior of May 2022
# with LVEF 45%
DIPY = "dev7_spect_dipyridamole_lbbb_dilated_lv_ef24_inferior_scar_worse_prior"
# exercise SPECT, LAD ischemia; LVEF 50% post-stress, 57% rest; TID 1.22 (the Tc-99m exercise limit, 1.22);
# prior of October 2024 with SDS 3, LVEF 60%
LAD = "dev7_spect_exercise_lad_ischemia_worse_vs_prior_tid_duke_neg8"
# every segment scored 0; anterior breast attenuation recorded; ECG nonischemic
BREAST = "dev7_spect_exercise_normal_woman_breast_atten_duke_pos9"
# small fixed inferior defect that the rules read as possible attenuation (probably normal), no scar
SMALL = "dev7_spect_regadenoson_small_fixed_inferior_uncertain_cac0"
NORMAL = "spect_normal_exercise"


def codes(text: str, study: Study, severity: str) -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope="impression") if f.severity.value == severity)


CASES = [
    # the change of the LVEF from rest to stress, in points or "%", signed or not, is a value of the study
    (PET, "Ejection fraction declines by 6% with stress.", []),
    (PET, "EF reserve of -6 points on the gated images.", []),
    (PET, "EF reserve of -9%.", ["G111"]),
    # a negation reaches across an "or" list of alternatives denied together; "and" does not carry it
    (PET, "Reserve is preserved elsewhere, which speaks against microvascular dysfunction or balanced disease.", []),
    (PET, "Balanced multivessel ischemia.", ["G409"]),
    # a comparison with a dated study ("than in 2022", "vs 05/2022") may quote the prior's numbers
    (DIPY, "Function is worse than in 2022 (EF 45%).", []),
    (DIPY, "Larger defect vs 05/2022, when the EF was 45%.", []),
    (DIPY, "Dilated ventricle, EF 45%.", ["G101"]),
    # a nonischemic process set in a differential beside a scar is a reading; stated, it contradicts the scar
    (DIPY, "A superimposed non-ischemic cardiomyopathy cannot be excluded.", []),
    (DIPY, "Findings may reflect a mixed picture with a nonischaemic cardiomyopathy.", []),
    (DIPY, "Nonischemic dilated cardiomyopathy.", ["G601"]),
    # a TID ratio at its lab-specific limit: dilation stated is a reading (warning); below it, an error
    (LAD, "The TID ratio of 1.22 indicates transient ischaemic dilatation.", []),
    (PET, "Transient ischemic dilatation is present.", ["G404"]),
    # a value followed by a phase of this study is this study's, after "from" too
    (LAD, "LVEF dropped to 50% from 57% at rest.", []),
    (LAD, "LVEF dropped to 50% from 61% at rest.", ["G101"]),
    # scores listed right after what the prior showed are the prior's
    (LAD, "Reversible LAD defect with SDS 12; previously only a mild apical defect, SDS 3.", []),
    (LAD, "Reversible LAD defect with SDS 3.", ["G104"]),
    # a likelihood denied over a causal cue ("unlikely to be caused by") denies the conclusion
    (BREAST, "Her symptoms are unlikely to be caused by obstructive CAD.", []),
    (BREAST, "Her symptoms are likely due to obstructive coronary disease.", ["G402"]),
    # the ECG verdict in the clause that names the ECG, in structuring's ECG wording
    (BREAST, "Perfusion is normal, and the treadmill ECG was negative.", []),
    (BREAST, "Perfusion is normal, and the treadmill ECG was positive.", ["G607"]),
    (BREAST, "The exercise electrocardiogram was negative.", []),
    (BREAST, "The exercise electrocardiogram was positive.", ["G607"]),
    (LAD, "The exercise electrocardiogram was positive.", []),
    # a count reduction read as the recorded artifact: not a defect, but its wall and grade are checked
    (BREAST, "Slight fixed decrease in anterior uptake, likely due to breast tissue attenuation.", []),
    (BREAST, "Mild fixed reduction of counts in the anterior wall, compatible with breast attenuation.", []),
    (BREAST, "Mild fixed reduction of counts in the inferior wall, compatible with breast attenuation.", ["G202"]),
    (BREAST, "Moderate fixed reduction of counts in the anterior wall, compatible with breast attenuation.", ["G301"]),
    (BREAST, "Mild fixed anterior defect.", ["G401"]),
    # the alternative weighed and found less likely is not stated
    (SMALL, "The fixed inferior defect is more probably attenuation than a small infarct.", []),
    (SMALL, "The inferior defect is an infarct.", ["G403"]),
    # a wall-motion grade needs that grade in a segment of its wall
    (DIPY, "Global hypokinesis; the inferior wall is akinetic.", []),
    (DIPY, "Akinesis of the inferior wall.", []),
    (DIPY, "Global hypokinesis with dyskinesis of the apex.", ["G405"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev7_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def test_prior_lvef_alone_does_not_state_the_reduced_lvef(study_of: Callable[[str], Study]) -> None:
    study = study_of(DIPY)
    prior_only = "Fixed inferior scar, no ischemia. Worse than in 2022 (EF 45%). High risk; LV dilated, ESV 188 mL."
    assert "G504" in codes(prior_only, study, "error")
    assert "G504" not in codes(prior_only.replace("High risk;", "EF now 24%. High risk;"), study, "error")


def test_possible_defect_left_unsaid_warns(study_of: Callable[[str], Study]) -> None:
    study = study_of(SMALL)
    assert "G505" in codes("No inducible ischemia. Normal LV function, EF 65%. Low risk.", study, "warning")
    said = "No inducible ischemia; small fixed inferior defect, most likely diaphragmatic attenuation. Low risk."
    assert "G505" not in codes(said, study, "warning")


def test_tid_at_the_limit_left_unsaid_warns(study_of: Callable[[str], Study]) -> None:
    study = study_of(LAD)
    text = "Reversible LAD ischemia, SDS 12. High risk."
    assert "G506" in codes(text, study, "warning")
    assert codes(text + " TID 1.22.", study, "warning").count("G506") == codes(text, study, "warning").count("G506") - 1


def test_viability_study_without_a_fixed_defect_is_unverified(study_of: Callable[[str], Study]) -> None:
    study = study_of(LAD)
    assert "G411" in codes("High risk. Angiography and a PET viability study are advised.", study, "warning")
    assert "G411" not in codes("High risk. Angiography is advised.", study, "warning")
    assert "G411" not in codes("Viability assessment with FDG PET may help.", study_of(DIPY), "error")
