"""Corruptions the blind set dev9 found unflagged (issue 15), each as the mechanism that missed it, checked on
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

# adenosine SPECT, LAD and LCx ischemia, TID abnormal (not at its limit), high risk
LAD_LCX = "test4_spect_adenosine_lad_lcx_ischemia"
# exercise SPECT, normal perfusion, low risk, target heart rate reached, no chest pain
NORMAL_EXERCISE = "spect_normal_exercise"
# probably normal perfusion at a submaximal heart rate on a beta-blocker
SUBMAXIMAL = "dev4_spect_normal_submaximal_beta_blocker_atten"
# regadenoson SPECT, moderate LAD ischemia, intermediate risk
LAD = "spect_lad_ischemia"
# Rb-82 PET, globally reduced flow reserve, high risk
BALANCED_PET = "pet_rb82_balanced_ischemia"
# Rb-82 PET with normal flow
NORMAL_FLOW_PET = "test6_pet_rb82_regadenoson_normal_flow_cac0"
# inferior scar, its ischemic myocardium below the SDS threshold
SUBTHRESHOLD = "dev4_spect_adenosine_inferior_scar_low_ef"
# Tl-201: lung uptake increased / normal
TL_LUNG = "dev6_spect_tl201_exercise_lad_high_risk_duke_neg13"
TL_NO_LUNG = "test_spect_tl201_exercise_lcx_ischemia"
# score-1 (equivocal) inferior region only
EQUIVOCAL = "spect_equivocal_inferior_score1"
# follow-up; the prior (a report) had LAD ischemia
PRIOR_LAD = "dev4_spect_followup_prior_report_lad_resolved_new_rca"
# high risk, angina during stress
MULTIVESSEL = "spect_multivessel_high_risk"


def warned(text: str, study: Study, scope: str = "full") -> list[str]:
    flags = verify(text, study, scope=scope)  # type: ignore[arg-type]
    return sorted(f.code.value for f in flags if f.severity.value in ("error", "warning"))


ERROR_CASES = [
    # TID said as a verb, or denied so
    (NORMAL_EXERCISE, "The left ventricle dilates transiently after stress.", ["G404"]),
    (NORMAL_EXERCISE, "The LV does not dilate transiently.", []),
    (LAD_LCX, "The ventricle does not dilate transiently.", ["G602"]),
    (LAD_LCX, "The LV cavity dilates transiently with stress.", []),
    # flow graded in plain words
    (BALANCED_PET, "The flows are fine everywhere.", ["G301"]),
    (BALANCED_PET, "Flows are poor throughout.", []),
    (NORMAL_FLOW_PET, "Flow is fine everywhere.", []),
    # the heart rate of a chronotropic stress called submaximal or adequate
    (SUBMAXIMAL, "Target heart rate was achieved.", ["G602"]),
    (SUBMAXIMAL, "The heart rate response was not submaximal.", ["G602"]),
    (SUBMAXIMAL, "She did not reach her target heart rate.", []),
    (NORMAL_EXERCISE, "Submaximal exercise test.", ["G602"]),
    (NORMAL_EXERCISE, "He reached his target heart rate.", []),
    (LAD, "Submaximal heart rate response to regadenoson.", []),  # a vasodilator has no heart-rate target
    # ischemia below the SDS threshold called meaningful is an error, not a reading
    (SUBTHRESHOLD, "There is meaningful peri-infarct ischemia.", ["G402"]),
    (SUBTHRESHOLD, "There is minimal peri-infarct ischemia.", []),
    # the lung-to-heart ratio in hyphenated and abbreviated forms
    (TL_NO_LUNG, "Lung-to-heart ratio increased.", ["G407"]),
    (TL_NO_LUNG, "The LHR is elevated.", ["G407"]),
    (TL_NO_LUNG, "The lung-heart ratio is normal.", []),
    (TL_LUNG, "The lung-to-heart thallium ratio is increased.", []),
    # a stress symptom after the indication's chest pain in the same sentence
    (
        NORMAL_EXERCISE,
        "A woman referred with atypical chest pain who walked 9 minutes on the Bruce protocol with typical angina "
        "at peak.",
        ["G410"],
    ),
    (
        NORMAL_EXERCISE,
        "A woman referred with atypical chest pain who walked 9 minutes on the Bruce protocol without angina.",
        [],
    ),
    # the whole study graded against the rules' risk and ischemic burden
    (LAD_LCX, "Mildly abnormal adenosine SPECT.", ["G301"]),
    (LAD_LCX, "This study is only mildly abnormal.", ["G301"]),
    (LAD_LCX, "Markedly abnormal adenosine SPECT.", []),
    (LAD, "Mildly abnormal regadenoson SPECT.", []),
    # a count reduction named by its wall and read as an artifact: its grade is checked
    (EQUIVOCAL, "A severe inferior reduction, likely diaphragmatic attenuation.", ["G301"]),
    (EQUIVOCAL, "A mild inferior reduction, likely diaphragmatic attenuation.", []),
    (NORMAL_EXERCISE, "An inferior reduction resolves on the attenuation-corrected images.", []),
    # a prior's defect in shorthand after "vs <date> report (...)"
    (PRIOR_LAD, "vs 05/2021 report (reversible RCA defect): new RCA ischemia.", ["G702"]),
    (PRIOR_LAD, "vs 05/2021 report (reversible LAD defect): new RCA ischemia.", []),
]


@pytest.mark.parametrize(("stem", "text", "expected"), ERROR_CASES)
def test_errors(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


WARNING_CASES = [
    # advice said as "should go to"; a normal low-risk study does not support angiography
    (NORMAL_EXERCISE, "She should go straight to the cath lab.", ["G412"]),
    # reassurance against a high-risk study
    (MULTIVESSEL, "Reassurance and discharge, no further w/u.", ["G412", "G412"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), WARNING_CASES)
def test_warnings(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert warned(text, study_of(stem)) == expected


def test_a_beta_blocker_to_hold_for_a_repeat_is_not_the_limitation(study_of: Callable[[str], Study]) -> None:
    # the submaximal heart rate must be said; a beta-blocker named only as one to hold next time does not say it
    study = study_of(SUBMAXIMAL)
    held = "Probably normal perfusion, no ischemia. Low risk. A repeat with the beta-blocker held may be considered."
    taken = "Probably normal perfusion, no ischemia, on a beta-blocker. Low risk."
    assert "G509" in warned(held, study, scope="impression")
    assert "G509" not in warned(taken, study, scope="impression")
