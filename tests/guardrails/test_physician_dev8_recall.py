"""Corruptions the blind set dev8 found unflagged (issue 15), each as the mechanism that missed it, checked on
sentences written here in other words and on other studies than the set's: the wrong sentence flagged, a
correct wording clean.

``errors``: the sorted error-severity codes; ``warned``: the sorted warning and error codes (advice and an
omission are warnings in a physician's text).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# regadenoson SPECT, moderate LAD ischemia, LVEF 55%, intermediate risk, no history of infarction
LAD = "spect_lad_ischemia"
# LVEF 28%, LAD scar with peri-infarct ischemia, high risk
LOW_EF = "test_spect_lad_scar_peri_infarct_low_ef"
# high risk: LAD and LCx defects, TID, angina during stress
MULTIVESSEL = "spect_multivessel_high_risk"
# exercise SPECT, normal perfusion, low risk
NORMAL_EXERCISE = "spect_normal_exercise"
# dobutamine SPECT: severe LAD and moderate RCA ischemia
DOBUTAMINE = "dev_spect_dobutamine_lad_rca_multivessel"
# fixed inferior defect, prior inferior MI in the history
INFERIOR_SCAR = "spect_inferior_scar_attenuation"
# normal perfusion, calcium score 450 (by vessel)
CAC_450 = "spect_normal_cac_450"
# the prior, as segment scores: equivocal (score 1) anterior, septal and apical segments
PRIOR_SCORES = "dev6_spect_exercise_carvedilol_submax_lad_resolved_prior_meas"
# a stable LCx scar, compared with the prior's report of an LCx defect
STABLE_SCAR = "dev_spect_lcx_scar_stable_vs_prior_report"
# normal perfusion; breast attenuation that resolves on the CT attenuation-corrected images
AC_RESOLVED = "dev_spect_exercise_normal_breast_atten"
# breast attenuation, no note that attenuation correction resolved it
AC_UNKNOWN = "spect_poor_quality_attenuation"


def warned(text: str, study: Study, scope: str = "full") -> list[str]:
    flags = verify(text, study, scope=scope)  # type: ignore[arg-type]
    return sorted(f.code.value for f in flags if f.severity.value in ("error", "warning"))


ERROR_CASES = [
    # a grade word beside one territory of several grades that territory's defect
    (DOBUTAMINE, "Mild reversible RCA defect and severe reversible LAD defect.", ["G301"]),
    (DOBUTAMINE, "Moderate reversible RCA defect and severe reversible LAD defect.", []),
    (DOBUTAMINE, "Reversible defects in the LAD (mild) and RCA (moderate) territories.", ["G301"]),
    (DOBUTAMINE, "Reversible defects in the LAD (severe) and RCA (moderate) territories.", []),
    (DOBUTAMINE, "Reversible defects in the LAD and RCA territories, severe and moderate respectively.", []),
    # a summed score joined to its value by a verb
    (LAD, "The summed difference score amounts to 9.", ["G104"]),
    (LAD, "The summed difference score amounts to 6.", []),
    # LV dilation said with a verb
    (NORMAL_EXERCISE, "The left ventricle appears enlarged.", ["G409"]),
    (NORMAL_EXERCISE, "The left ventricle is not dilated.", []),
    # an old infarct that neither the history nor the images give
    (LAD, "Anterior ischemia in a patient with an old infarct.", ["G403"]),
    (INFERIOR_SCAR, "Fixed inferior defect consistent with his old infarct.", []),
    # calcium said to lie all in one vessel
    (CAC_450, "Calcium score 450 (all RCA).", ["G107"]),
    (CAC_450, "Calcium score 450, LAD only.", []),
    # a possible defect of the prior, in the walls of the prior's scored segments
    (PRIOR_SCORES, "Prior study: small mild inferior defect (likely attenuation), not reproduced.", ["G702"]),
    (PRIOR_SCORES, "Prior study: small mild anterior defect (likely attenuation), not reproduced.", []),
    # a scar called new where the prior had a defect
    (STABLE_SCAR, "The fixed LCx defect is new since the prior report.", ["G702"]),
    (STABLE_SCAR, "The fixed LCx defect is unchanged from the prior report.", []),
    # a reduction said to persist on attenuation-corrected images the study records as resolving it
    (AC_RESOLVED, "The breast shadow persists despite attenuation correction.", ["G406"]),
    (AC_RESOLVED, "The breast shadow resolves with attenuation correction.", []),
    (AC_UNKNOWN, "The breast shadow persists despite attenuation correction.", []),
]


@pytest.mark.parametrize(("stem", "text", "expected"), ERROR_CASES)
def test_errors(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


WARNING_CASES = [
    # device therapy advised above the LVEF at which the guidelines consider it (AHA-ACC-HRS-2017: <= 35%)
    (LAD, "An ICD should be considered.", ["G412"]),
    (LAD, "Refer for CRT-D implantation.", ["G412"]),
    (LAD, "No ICD is indicated at this ejection fraction.", ["G411"]),
    (LOW_EF, "Referral for ICD evaluation is suggested.", ["G411"]),
    (LAD, "He already has an ICD implanted.", []),  # a device in the history is no advice
    # deferral by months, or "no further w/u", against a high-risk study
    (MULTIVESSEL, "Repeat SPECT in 6 months.", ["G412"]),
    (MULTIVESSEL, "Rec reassurance, no further w/u.", ["G412", "G412"]),
    # advice said as what the reader would do
    (MULTIVESSEL, "I would send him for angiography.", []),
    (NORMAL_EXERCISE, "I'd send her for coronary angiography.", ["G412"]),
    # ... and as what the reader will arrange: booking, scheduling, listing someone for a procedure
    (NORMAL_EXERCISE, "We'll book her for an angiogram next week.", ["G412"]),
    (NORMAL_EXERCISE, "I will schedule him for a cath.", ["G412"]),
    (INFERIOR_SCAR, "I'll list him for PCI to the RCA.", ["G411"]),
    (NORMAL_EXERCISE, "Book her a follow-up appointment with her GP.", []),  # no one booked *for* a procedure
    # a left heart catheterisation is invasive angiography by its abbreviation too
    (NORMAL_EXERCISE, "Refer for LHC.", ["G412"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), WARNING_CASES)
def test_warnings(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert warned(text, study_of(stem)) == expected


def test_a_normal_impression_must_say_this_studys_perfusion(study_of: Callable[[str], Study]) -> None:
    # ASNC reporting: perfusion is the study's primary result; what the text says of the prior is not it
    study = study_of(NORMAL_EXERCISE)
    assert warned("Normal LV function. Low risk.", study, scope="impression") == ["G505"]
    assert warned("Normal perfusion. Normal LV function. Low risk.", study, scope="impression") == []
