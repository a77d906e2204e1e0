"""Corruptions the blind set dev6 found unflagged (issue 15), each as the mechanism that missed it, checked on
sentences written here in other words and on other studies than the set's: the wrong sentence flagged, a
correct paraphrase clean.

``errors``: the sorted error-severity codes; ``warned``: the sorted warning and error codes (advice and a
missing limitation are warnings in a physician's text).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# exercise Tc-99m sestamibi SPECT, normal perfusion, low risk, no chest pain
NORMAL_EXERCISE = "spect_normal_exercise"
# Rb-82 PET: globally reduced flow, the LVEF falls with stress (negative LVEF reserve); rules' risk high
BALANCED_PET = "pet_rb82_balanced_ischemia"
# Rb-82 PET with LCx ischemia whose LVEF does not fall with stress
LCX_PET = "dev5_pet_rb82_lcx_flow_reduction"
# high risk: LAD and LCx defects, angina during stress
MULTIVESSEL = "spect_multivessel_high_risk"
# normal PET now; the prior showed inferior (RCA) ischemia before PCI
IMPROVED_PRIOR = "test_pet_rb82_followup_improved_after_rca_pci"
# new LAD and LCx ischemia around an unchanged scar; the prior's defects were fixed (no ischemia then)
POST_CABG = "test_spect_post_cabg_worse_lcx_lad_ischemia_tid"
# new RCA ischemia; the prior (a report) was a regadenoson Tc-99m tetrofosmin study, as this one is
PRIOR_REPORT = "dev4_spect_followup_prior_report_lad_resolved_new_rca"
PRIOR_CLAUSE = "Compared with the prior {} study, which showed LAD ischemia, there is new RCA ischemia."
# probably normal perfusion at a submaximal heart rate on a beta-blocker; low risk
SUBMAXIMAL = "dev4_spect_normal_submaximal_beta_blocker_atten"


def warned(text: str, study: Study, scope: str = "full") -> list[str]:
    flags = verify(text, study, scope=scope)  # type: ignore[arg-type]
    return sorted(f.code.value for f in flags if f.severity.value in ("error", "warning"))


ERROR_CASES = [
    # a negation governs the finding it names first, not the test named after it ("on ... imaging")
    (NORMAL_EXERCISE, "No evidence of ischemia on exercise thallium-201 SPECT.", ["G604"]),
    (NORMAL_EXERCISE, "No ischemia on regadenoson imaging.", ["G603"]),
    (NORMAL_EXERCISE, "No evidence of ischemia on exercise sestamibi SPECT.", []),
    (NORMAL_EXERCISE, "Without ischemia or infarction on treadmill Tc-99m sestamibi imaging.", []),
    # a tracer or agent named in the clause about the prior is compared with the prior's (or this study's)
    (PRIOR_REPORT, PRIOR_CLAUSE.format("Tl-201"), ["G604"]),
    (PRIOR_REPORT, PRIOR_CLAUSE.format("adenosine"), ["G603"]),
    (PRIOR_REPORT, PRIOR_CLAUSE.format("tetrofosmin"), []),
    # the LVEF response to stress stated in the words of its normal, or of its failure
    (BALANCED_PET, "Ejection fraction rises appropriately with stress.", ["G601"]),
    (BALANCED_PET, "The ejection fraction does not rise normally with stress.", []),
    (BALANCED_PET, "The ejection fraction failed to rise with vasodilator stress.", []),
    (LCX_PET, "LVEF fails to augment with stress.", ["G409"]),
    (LCX_PET, "LVEF augments normally with vasodilator stress.", []),
    (LCX_PET, "There is no rise in LVEF with stress.", ["G409"]),
    (BALANCED_PET, "There is a blunted rise in LVEF with stress.", []),
    # the abbreviation "w/o" denies symptoms as "without" does
    (MULTIVESSEL, "Peak stress w/o symptoms.", ["G601"]),
    (NORMAL_EXERCISE, "Peak stress w/o sx.", []),
    (MULTIVESSEL, "The patient was symptom-free throughout the infusion.", ["G601"]),
    (MULTIVESSEL, "Angina-free since his PCI.", []),
    # a prior's finding that its own clause says goes on is a finding of this study
    (IMPROVED_PRIOR, "Comparison: the inferior ischemia on the prior PET persists.", ["G402"]),
    (IMPROVED_PRIOR, "Comparison: the inferior ischemia on the prior PET is again seen on this study.", ["G402"]),
    (IMPROVED_PRIOR, "Comparison: the inferior ischemia on the prior PET remains present.", ["G402"]),
    (IMPROVED_PRIOR, "Comparison: the inferior ischemia on the prior PET has resolved.", []),
    (IMPROVED_PRIOR, "Persistence of the inferior ischemia seen on the prior PET.", ["G402"]),
    (IMPROVED_PRIOR, "Interval resolution of the inferior ischemia seen on the prior PET.", []),
    (IMPROVED_PRIOR, "No residual ischemia in the inferior wall seen on the prior PET.", []),
    # a relative clause places this study's finding on the prior too (or denies it there)
    # two readings of one wrong clause: the prior given ischemia, and "already present" read as unchanged
    (POST_CABG, "Anterior ischemia, which was already present on the prior study.", ["G702", "G702"]),
    (POST_CABG, "Anterior ischemia, seen on the prior study as well.", ["G702"]),
    (POST_CABG, "Anterior ischemia, as on the prior study.", ["G702"]),
    (POST_CABG, "Anterior ischemia that was already present previously.", ["G702"]),
    (POST_CABG, "Anterior ischemia, again seen compared with the prior study.", ["G702"]),
    (POST_CABG, "Anterior ischemia that was not seen on the prior study.", []),
    (POST_CABG, "Anterior ischemia that was not present previously.", []),
    (POST_CABG, "New anterior ischemia, not seen on the prior study.", []),
    # a risk range written as one phrase holds both its ends
    (BALANCED_PET, "Intermediate to high risk.", []),
    (BALANCED_PET, "Low risk.", ["G801"]),
    (BALANCED_PET, "Low to intermediate risk.", ["G801"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), ERROR_CASES)
def test_errors(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


WARNING_CASES = [
    # standing down (no further testing, discharge, repeat imaging years away) from a high-risk study
    (MULTIVESSEL, "Clinical follow-up with repeat imaging in two years.", ["G412"]),
    (MULTIVESSEL, "He may be discharged from cardiology clinic.", ["G412"]),
    (MULTIVESSEL, "No further cardiac testing is needed.", ["G412"]),
    (MULTIVESSEL, "Coronary angiography is not needed.", ["G412"]),
    (MULTIVESSEL, "Routine follow-up.", ["G412"]),
    (MULTIVESSEL, "He may safely proceed with the planned hip surgery.", ["G412"]),
    (MULTIVESSEL, "He can proceed to coronary angiography.", []),
    (MULTIVESSEL, "Continued medical therapy alone is recommended.", ["G411"]),
    # ... also in a sentence that weighs the rules' own differential of globally reduced flow
    (BALANCED_PET, "Balanced ischemia cannot be excluded, so no further testing is needed.", ["G412"]),
    (BALANCED_PET, "Balanced ischemia or microvascular disease should be considered.", []),
    (MULTIVESSEL, "He should not be discharged from cardiology follow-up.", ["G411"]),
    (MULTIVESSEL, "Coronary angiography is recommended.", []),
    # the same deferral after a normal low-risk study is advice no fact verifies, not one against the facts
    (NORMAL_EXERCISE, "Repeat stress imaging in two years if symptoms recur.", ["G411"]),
    (NORMAL_EXERCISE, "Coronary angiography is not needed.", ["G411"]),
    (NORMAL_EXERCISE, "Coronary angiography is recommended.", ["G412"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), WARNING_CASES)
def test_warnings(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert warned(text, study_of(stem)) == expected


def test_a_submaximal_test_is_a_required_limitation_of_a_normal_impression(study_of: Callable[[str], Study]) -> None:
    # ASNC reporting: the adequacy of stress belongs in the impression where it limits a normal reading; the
    # heart rate and the drug that explain it are details of the stress section (dev6's omission keeps the
    # limitation: "the submaximal heart rate makes it a little less sensitive")
    study = study_of(SUBMAXIMAL)
    without = "Probably normal perfusion with inferior attenuation, no ischemia. Normal LV function. Low risk."
    with_it = (
        "Probably normal perfusion with inferior attenuation, no ischemia; the submaximal heart rate lowers "
        "sensitivity. Normal LV function. Low risk."
    )
    assert warned(without, study, scope="impression") == ["G509"]
    assert warned(with_it, study, scope="impression") == []
