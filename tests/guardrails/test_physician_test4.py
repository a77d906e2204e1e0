"""Physician-written impressions of the blind set test4 (issue 15): each cause of a former false error or a
miss, checked on sentences written here in other words and on other studies than the set's, beside a sentence
the same mechanism must still flag (or leave clean).

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

LCX = "pet_n13_lcx_ischemia"  # reversible LCx (anterolateral, inferolateral) defect
NORMAL_CAC0 = "spect_normal_cac_zero"  # normal perfusion
NEW_RCA = "dev4_spect_followup_prior_report_lad_resolved_new_rca"  # LAD ischemia resolved, new RCA ischemia
IMPROVED_LAD = "spect_followup_improved_lad"  # LAD defect better than on the prior
INFERIOR_SCAR = "dev4_spect_adenosine_inferior_scar_low_ef"  # fixed inferior (RCA) defect
CAC145 = "test_spect_stress_only_normal_cac145"  # Agatston 145: moderate (CAC-DRS A2)
RCA_PCI = "test_pet_rb82_followup_improved_after_rca_pci"  # the prior's inferior ischemia resolved: none now
STABLE_LCX = "dev_spect_lcx_scar_stable_vs_prior_report"  # rest LVEF 45% against the prior's 47%: unchanged
# LAD segments 1, 7, 13, 14, 17 (stress 13, rest 2: SDS 11) and RCA 4, 10, 15 (SDS 7); SSS 20, SDS 18
MULTIVESSEL = "dev_spect_dobutamine_lad_rca_multivessel"


CASES = [
    # "completely reversible ischemia": the longer grade wins the concept match, the ischemia it grades is still
    # read (else a later "no infarct" became the defect's trigger and denied it)
    (LCX, "Completely reversible ischemia in the lateral wall (LCx), there is no infarct.", []),
    (LCX, "Fully reversible ischaemia of the anterolateral wall, with no infarction.", []),
    (NORMAL_CAC0, "Completely reversible ischemia in the lateral wall, there is no infarct.", ["G401", "G402"]),
    # "No new defect" opening a sentence: the capital "No" denies the change word too
    (NEW_RCA, "No new defect in the LAD territory.", []),
    (IMPROVED_LAD, "No new defect is seen.", []),
    (IMPROVED_LAD, "A new defect.", ["G702"]),
    # a summed score given per defect: the sum of the segment scores of a territory the sentence names
    (MULTIVESSEL, "Ischemia in the LAD (SDS 11) and RCA (SDS 7) territories, SDS 18 in all.", []),
    (MULTIVESSEL, "Reversible defects: RCA with a summed stress score of 7, LAD with SSS 13.", []),
    (MULTIVESSEL, "Ischemia in the LAD (SDS 12) and RCA (SDS 7) territories.", ["G104"]),
    (MULTIVESSEL, "Reversible defect, SDS 7.", ["G104"]),
    # an approximate number ("of the order of", "roughly", "~") stands for a value within 5 % of it (14.7 %)
    (LCX, "Lateral ischemia (LCx) involving roughly 14% of the left ventricle.", []),
    (LCX, "Lateral ischemia (LCx), ischemic myocardium ~14%.", []),
    (LCX, "Lateral ischemia (LCx) involving 14% of the left ventricle.", ["G105"]),
    (LCX, "Lateral ischemia (LCx) involving roughly 12% of the left ventricle.", ["G105"]),
    # an LVEF change the text itself calls slight, in the direction the values move, where the rules find it
    # within the change threshold: a warning (a reading of a small difference); unqualified, or the other way, an error
    (STABLE_LCX, "Ejection fraction 45%, marginally decreased compared with the prior.", []),
    (NEW_RCA, "LVEF 62%, mildly improved since the prior study.", []),
    (STABLE_LCX, "Ejection fraction 45%, decreased compared with the prior.", ["G702"]),
    (STABLE_LCX, "Ejection fraction 45%, slightly improved compared with the prior.", ["G702"]),
    # "rev" read as reversible is checked as such
    (INFERIOR_SCAR, "Rev perf defect inf wall (RCA).", ["G303"]),
    (INFERIOR_SCAR, "Fixed inf defect (RCA).", []),
    # a prior's finding said to go on, with its place between ("the previously seen ischemia in the inferior wall
    # persists"), is stated of this study too
    (RCA_PCI, "The previously seen ischemia in the inferior wall persists.", ["G402"]),
    (RCA_PCI, "The previously seen ischemia in the inferior wall has resolved.", []),
    # a result word and the perfusion it grades, with protocol words between
    (NORMAL_CAC0, "Abnormal gated SPECT myocardial perfusion.", ["G602"]),
    (NORMAL_CAC0, "Normal gated SPECT myocardial perfusion.", []),
    (LCX, "Abnormal vasodilator PET myocardial perfusion.", []),
    (LCX, "Normal vasodilator PET myocardial perfusion.", ["G602"]),
    # an ungraded impairment of LV function, with "is" or before it, is a reduced LVEF
    (NORMAL_CAC0, "Left ventricular function is impaired.", ["G602"]),
    (NORMAL_CAC0, "Impaired LV function.", ["G602"]),
    (INFERIOR_SCAR, "Left ventricular function is impaired.", []),
    (INFERIOR_SCAR, "Impaired LV function.", []),
    # the distribution a calcium clause ends with ("..., mainly in the circumflex") places the calcium
    (CAC145, "A calcium score of 145 means coronary atherosclerosis, mainly in the left anterior descending.", []),
    (CAC145, "A calcium score of 145 means coronary atherosclerosis, mainly in the circumflex.", ["G107"]),
    # a calcium grade after its label, on the same line or after a "Calcium:" heading of its own
    (CAC145, "Perfusion: Normal.\nCalcium: Moderate (Agatston 145).", []),
    (CAC145, "Perfusion: Normal.\nCalcium: Severe (Agatston 145).", ["G301"]),
    (CAC145, "Coronary calcium score - moderate, Agatston 145.", []),
    (CAC145, "Coronary calcium score - mild, Agatston 145.", ["G301"]),
]

IMPRESSION_CASES = [
    # the telegraphic "rev" before the defect word is its reversibility: the impression states the ischemia
    (LCX, "Mod rev defect lat wall (LCx). High risk.", []),
]


@pytest.mark.parametrize(("stem", "text", "expected"), IMPRESSION_CASES)
def test_test4_impressions(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), scope="impression") == expected


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test4_causes(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def advice(text: str, study: Study) -> list[str]:
    """The severity of each advice flag (G411): info where a fact supports the advice, warning where none does."""
    return [f.severity.value for f in verify(text, study) if f.code.value == "G411"]


ADVICE_CASES = [
    # standing down ("no additional imaging", "medical management only") is decided by no fact: the medical
    # therapy beside it does not make it supported
    (NEW_RCA, "Continue medical management only; no additional cardiac imaging needed.", ["warning"]),
    # ... and after a high-risk study it is advice against the facts (G412: test_physician_dev6_recall.py)
    (MULTIVESSEL, "Continue medical management only; no additional cardiac imaging needed.", []),
    (INFERIOR_SCAR, "Aspirin and statin are recommended.", ["info"]),
    # a telegraphic arrow to a management term is advice; "revasc" is the revascularization no fact decides
    (INFERIOR_SCAR, "Fixed inf defect -> med Rx.", ["info"]),
    (INFERIOR_SCAR, "Fixed inf defect -> cath for revasc.", ["warning"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), ADVICE_CASES)
def test_test4_advice(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert advice(text, study_of(stem)) == expected


REDUCED_MFR = "dev_pet_n13_normal_perfusion_reduced_mfr_cac0"  # normal perfusion, globally reduced MFR


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "flow-limiting" grades a stenosis: it does not state the measured flow reserve
        ("Normal myocardial perfusion, with no sign of a flow-limiting stenosis.", ["G508"]),
        ("Normal myocardial perfusion; reduced flow reserve, no flow-limiting stenosis.", []),
    ],
)
def test_test4_flow_reserve_omitted(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    flags = verify(text, study_of(REDUCED_MFR), scope="impression")
    assert [f.code.value for f in flags if f.code.value == "G508"] == expected
