"""Physician-written impressions of the released set test7 (issue 15): each cause of a former false error or miss,
checked on sentences written here in other words, beside a wrong sentence the same mechanism must still flag.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# N-13 PET: reversible LAD and LCx defects, SDS 12 (17.6%); flow LAD 1.15 (MFR 1.25), LCx 1.45 (1.48), RCA 2.30
# (2.40); global stress 1.62, MFR 1.71
PET = "test7_pet_n13_adenosine_lad_lcx_ischemia_low_flow_tid"
# submaximal dobutamine SPECT, no ischemia, mild fixed inferior attenuation; prior 2022-08 with regadenoson
DOBU = "test7_spect_dobutamine_submaximal_bb_inferior_attenuation_stable"
# exercise SPECT, new reversible inferior (RCA) defect, SDS 6 (8.8%), intermediate risk; prior 2023-05 normal
RCA = "test7_spect_exercise_rca_ischemia_new_vs_normal_prior_duke_neg2p5"
# fixed LCx scar, no ischemia, LVEF 38%; high risk by the rules through its post-stress ESV only; prior report of
# 2023-02-14 (LVEF 40%)
# normal Rb-82 PET, global MFR 2.8, CAC 0
NORMAL_PET = "test6_pet_rb82_regadenoson_normal_flow_cac0"
SCAR = "test7_spect_lbbb_regadenoson_fixed_lcx_scar_ef38_stable_prior_report"


def codes(text: str, study: Study, severity: str) -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope="impression") if f.severity.value == severity)


CASES = [
    # a label inside a closed parenthesis labels that parenthesis's value only: the next territory's bare number is
    # of the list's own kind (here the territory's stress flow), not a flow reserve
    (PET, "Per-vessel hyperaemic flow: LAD 1.15 mL/min/g (MFR 1.25), circumflex 1.45 (MFR 1.48), RCA 2.30.", []),
    (PET, "Stress MBF by vessel - LAD 1.15 mL/min/g (flow reserve 1.25); RCA 2.30 (flow reserve 2.40).", []),
    (PET, "Per-vessel hyperaemic flow: LAD 1.15 mL/min/g (MFR 1.25), circumflex 1.95 (MFR 1.48).", ["G106"]),
    # a wall of one territory named after the territories and before the number places the number in it
    (
        PET,
        "Reversible LAD and LCx defects, stress flow lowest in the anterior wall (1.15 mL/min/g) with a flow "
        "reserve of just 1.25 there.",
        [],
    ),
    (PET, "Ischemia in the LAD and circumflex territories, the anterolateral wall reaching only 1.45 mL/min/g.", []),
    (PET, "Reversible LAD and LCx defects, and in the anterior wall a flow reserve of only 1.48.", ["G106"]),
    # the prior named as a study with its date and test words after "unchanged from", "a change from", "new since":
    # the words are the prior's (its agent, its verdict), still checked against the prior
    (DOBU, "No change from the 08/2022 regadenoson scan.", []),
    (DOBU, "Appearances are identical to the 2022 regadenoson SPECT.", []),
    (DOBU, "No change from the 08/2022 adenosine scan.", ["G603"]),
    (RCA, "The inferior defect marks a change from the entirely normal 2023 scan.", []),
    (RCA, "Inferior ischaemia, new since the normal SPECT of May 2023.", []),
    (RCA, "Inferior ischaemia, new since the abnormal SPECT of May 2023.", ["G702"]),
    # the sensitivity (accuracy, yield) of the test for a finding is about the test, not a finding
    (DOBU, "Beta-blockade lowers the sensitivity of the stress test for ischemia.", []),
    (DOBU, "The yield of a submaximal study for ischaemia is limited.", []),
    (DOBU, "The sensitivity of this study is limited, and there is inferior ischaemia.", ["G402"]),
    # a negation set off by an aside in commas still denies what follows it
    (RCA, "Not, on my reading, a high-risk study.", []),
    (RCA, "Not, I think, an intermediate-risk scan.", ["G801"]),
    # a denied high risk that names the kind of its features ("ischaemic", "perfusion") holds where the rules'
    # high risk rests on features of another kind (here LV function)
    (SCAR, "There are no high-risk perfusion markers; the outlook rests on the ventricular function.", []),
    (SCAR, "No high-risk features of ischaemia; prognosis is set by the LV dysfunction.", []),
    (SCAR, "No high-risk features.", ["G801"]),
    (PET, "No ischemic high-risk markers.", ["G601", "G801"]),
    # a prior report named with its date after "unchanged from": the parenthesis after it is the prior's
    (SCAR, "Unchanged compared with the outside report from March 2023 (LVEF 40%).", []),
    (SCAR, "No change from the report of 14 Feb 2023 (ejection fraction 40%).", []),
    (SCAR, "No change from the report of 14 Feb 2023 (ejection fraction 46%).", ["G101"]),
    # a wall called normal in words of dictation, in a later clause of a run-on sentence, is no place of the
    # wall-motion abnormality stated after it
    (
        SCAR,
        "Severe fixed inferolateral defect, no reversible component so no ischaemia, the apex looks fine, and "
        "the infarcted wall is akinetic.",
        [],
    ),
    (
        SCAR,
        "Severe fixed inferolateral defect, no reversible component so no ischaemia, the anterior wall is okay "
        "to my eye, the scar is akinetic.",
        [],
    ),
    (
        SCAR,
        "Severe fixed inferolateral defect, no reversible component so no ischaemia, the septum is akinetic.",
        ["G202"],
    ),
    # a list of places (or a value in parentheses) continues the clause before it: the places are what it calls
    # normal; "against" takes hyphenated words after it
    (
        NORMAL_PET,
        "Preserved flow reserve globally (2.8) and in the LAD, circumflex and RCA territories, which speaks "
        "against balanced three-vessel ischemia.",
        [],
    ),
    (
        NORMAL_PET,
        "2. Reserve normal overall and in the LAD, LCx and RCA territories, arguing against balanced "
        "multi-vessel ischaemia.",
        [],
    ),
    (
        NORMAL_PET,
        "Flow reserve normal globally (2.8), the circumflex territory showing reversible ischemia.",
        ["G401", "G402"],
    ),
    # coronary disease called excluded after a submaximal chronotropic stress: the facts say the test cannot
    (
        DOBU,
        "Heart rate 77% of predicted on metoprolol; perfusion normal, so obstructive CAD is effectively excluded.",
        ["G412"],
    ),
    (DOBU, "No ischaemia at 77% of predicted; this rules out significant coronary disease.", ["G412"]),
    (DOBU, "No ischaemia at 77% of predicted; coronary disease is not excluded by a submaximal test.", []),
    (DOBU, "No ischaemia at 77% of predicted, which cannot rule out coronary disease.", []),
    (RCA, "Perfusion is abnormal; CAD is not excluded.", []),
    # the vessels a count of diseased vessels lists, or that stand coordinated before "disease", are named diseased
    (PET, "Pattern suggests two-vessel (LAD/LCx) coronary disease.", []),
    (PET, "Pattern suggests two-vessel (LAD/RCA) coronary disease.", ["G201"]),
    (PET, "In keeping with LAD and circumflex disease.", []),
    (PET, "In keeping with LAD and right coronary disease.", ["G201"]),
    # values in parentheses after "compared with <date>" are the prior's
    (RCA, "Compared with 05/2023 (SDS 0, EF 60%), the inferior ischaemia is new.", []),
    (RCA, "Versus March 2023 (SSS 0), a new reversible inferior defect, SDS 6.", []),
    (RCA, "Versus March 2023 (SSS 0), a new reversible inferior defect, SDS 9.", ["G104"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test7_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def test_urgent_invasive_advice_where_the_risk_is_not_high_is_against_the_facts(
    study_of: Callable[[str], Study],
) -> None:
    rca, pet = study_of(RCA), study_of(PET)
    urgent = "Inferior ischaemia, intermediate risk. I would arrange emergency cardiac catheterisation."
    assert "G412" in codes(urgent, rca, "warning")
    assert "G412" in codes("Intermediate risk; immediate PCI of the RCA is advised.", rca, "warning")
    assert "G412" not in codes(urgent.replace("emergency ", ""), rca, "warning")
    assert "G412" not in codes("High risk; urgent invasive angiography is recommended.", pet, "warning")


def test_ischemia_named_without_its_amount_or_grade_warns(study_of: Callable[[str], Study]) -> None:
    study = study_of(RCA)
    bare = "Exercise ECG ischaemic, Duke -2.5. Compared with 05/2023 (SSS 0), the inferior ischaemia is new. LVEF 58%."
    assert "G501" in codes(bare, study, "warning")
    assert "G501" not in codes(bare, study, "error")
    for told in ("SDS 6", "about 9% of the LV", "mild in amount"):
        assert "G501" not in codes(bare.replace("is new.", f"is new ({told})."), study, "warning"), told


def test_a_nondiagnostic_ecg_does_not_say_the_heart_rate_was_submaximal(study_of: Callable[[str], Study]) -> None:
    study = study_of(DOBU)
    assert "G509" in codes("No ischaemia on the images. EKG non-diagnostic. LVEF 61%.", study, "warning")
    assert "G509" in codes("No ischaemia; the ECG was nondiagnostic. LVEF 61%.", study, "warning")
    assert "G509" not in codes("No ischaemia, but a non-diagnostic test for CAD. LVEF 61%.", study, "warning")
    assert "G509" not in codes("No ischaemia at 77% of predicted; EKG non-diagnostic.", study, "warning")
