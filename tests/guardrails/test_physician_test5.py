"""Physician-written impressions of the blind set test5 (issue 15): each cause of a former false error or a miss,
checked on sentences written here in other words (and, where the cause is not the study's, on other studies than
the set's), beside a sentence the same mechanism must still flag.

The expected value is the sorted list of error-severity codes (an empty list: no error flag), or for omissions and
advice the warning codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.rules import evaluate
from reporter.domain.study import Study
from reporter.domain.vocabulary import HighRiskFeature, RiskCategory

# prior inferior MI (fixed RCA scar, unchanged) and new moderate LAD ischaemia (7.4%), LAD MFR 1.56 only, PET LVEF
# 50% at rest and 48% at peak stress, peak-stress ESV 73 mL
PET_SCAR_NEW_LAD = "test5_pet_rb82_prior_inferior_scar_new_lad_ischaemia"
# seg 4 2/1, seg 10 1/1 (SDS 1, below the ischemia threshold), inferior attenuation and bowel activity
ATTENUATION = "test5_spect_adenosine_inferior_attenuation_gut_uptake"
# normal dobutamine study at 75% MPHR; prior normal SPECT of 2022 with LVEF 65% (now 66% rest, 68% post-stress)
DOBUTAMINE = "test5_spect_dobutamine_submaximal_beta_blocker_normal_prior"
# Agatston 620 (LAD 410, RCA 170, LCx 40, LM 0), normal stress-only perfusion, low perfusion risk
CAC620 = "test4_spect_stress_only_normal_cac620"
# Agatston 860 (RCA 460, LAD 310, LCx 90)
CAC860 = "dev_spect_regadenoson_rca_ischemia_cac860"
# reversible severe LAD defect, high risk
LAD_HIGH = "test5_spect_dual_isotope_exercise_lad_ischaemia"


def codes(text: str, study: Study, severity: str) -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope="impression") if f.severity.value == severity)


def test_known_infarct_beside_new_single_territory_ischaemia_is_intermediate_risk(
    study_of: Callable[[str], Study],
) -> None:
    # ACC-AHA-SIHD-2012: ischemia 5-9.9% in one territory is intermediate; the known infarct's fixed defect is a
    # resting abnormality, a 2-point PET LVEF fall with one territory's flow reduced is no high-risk feature, and
    # the SPECT post-stress ESV limit does not apply to PET's peak-stress gating
    risk = next(f for f in evaluate(study_of(PET_SCAR_NEW_LAD)) if f.code.value == "RISK")
    assert risk.values["category"] == RiskCategory.INTERMEDIATE
    assert not [f for f in evaluate(study_of(PET_SCAR_NEW_LAD)) if f.code.value == "HIGH_RISK_FEATURE"]


def test_multivessel_defects_without_a_known_infarct_stay_high_risk(study_of: Callable[[str], Study]) -> None:
    study = study_of(PET_SCAR_NEW_LAD)
    no_mi = study.model_copy(update={"clinical": study.clinical.model_copy(update={"prior_mi": False})})
    features = [f.values["feature"] for f in evaluate(no_mi) if f.code.value == "HIGH_RISK_FEATURE"]
    assert features == [HighRiskFeature.MULTIVESSEL_DEFECTS]


CASES = [
    # the risk the rules now give, said in several words; a lower category stays an error
    (PET_SCAR_NEW_LAD, "New reversible LAD ischaemia; old inferior scar. Moderate risk.", []),
    (PET_SCAR_NEW_LAD, "Old inferior MI, new reversible anterior defect (LAD). Risk - intermediate.", []),
    (PET_SCAR_NEW_LAD, "Old inferior MI, new reversible anterior defect (LAD). Low risk.", ["G801"]),
    # the prior's modality in a sentence that compares ("vs", "versus", "unchanged")
    (PET_SCAR_NEW_LAD, "Inferior infarct as before (versus the SPECT of 2024); new reversible LAD defect.", []),
    (PET_SCAR_NEW_LAD, "Fixed inferior scar, no different vs 2024 SPECT; new reversible LAD defect.", []),
    (PET_SCAR_NEW_LAD, "Reversible LAD defect on this SPECT.", ["G606"]),
    # ischaemia around an infarct is the infarct's partial reversal: none here
    (PET_SCAR_NEW_LAD, "The inferior infarct shows no peri-infarct ischaemia; new reversible LAD defect.", []),
    (
        PET_SCAR_NEW_LAD,
        "The inferior infarct has peri-infarct ischemia at its edges; new reversible LAD defect.",
        ["G303"],
    ),
    # a grade of "an area of ischaemia" is the defect's grade where no infarct shares the clause
    (PET_SCAR_NEW_LAD, "There is a moderate zone of reversible ischemia in the LAD territory.", []),
    (PET_SCAR_NEW_LAD, "There is a severe region of inducible ischaemia in the LAD territory.", ["G301"]),
    # a sentence that opens by placing its findings on the prior
    (PET_SCAR_NEW_LAD, "As before, there is a fixed inferior defect in keeping with infarction.", []),
    (PET_SCAR_NEW_LAD, "As on the 2024 scan, reversible ischaemia is present in the LAD territory.", ["G702"]),
    # "fixed" for a defect whose rest scores stay above zero and whose ischemia is below the SDS threshold
    (ATTENUATION, "Inferior wall: small, mild, essentially fixed defect, probably attenuation.", []),
    # size and grade words of the patient or the body, not of the defect
    (ATTENUATION, "A large gentleman with a mild inferior defect, favoured to be attenuation.", []),
    (ATTENUATION, "Severe obesity; mild inferior defect, likely attenuation artefact.", []),
    (ATTENUATION, "A large inferior defect, likely attenuation artefact.", ["G302"]),
    # a certain word for ischemia below the SDS threshold is an error; the plain word a reading
    (ATTENUATION, "Mild inferior defect with definite inducible ischaemia.", ["G301"]),
    (ATTENUATION, "Mild inferior defect without convincing ischaemia.", []),
    # the prior's values in a parenthesis after "unchanged from / similar to the ... study"
    (DOBUTAMINE, "Normal perfusion; similar to the normal SPECT of 2022 (EF 65%).", []),
    (DOBUTAMINE, "Normal perfusion; no change from the earlier study (LVEF 65%).", []),
    (DOBUTAMINE, "Normal perfusion, LVEF 65%.", ["G101"]),
    # calcium: a number in Agatston units, the vessel with the most, a grade beside the score
    (CAC620, "Normal perfusion. Calcium burden is high at 620 AU. Low risk.", []),
    (CAC620, "Normal perfusion. Calcium burden is high at 260 AU. Low risk.", ["G107"]),
    (CAC620, "Normal perfusion. Calcium score 620, mostly within the LAD. Low risk.", []),
    (CAC620, "Normal perfusion. Calcium score 620, the RCA carrying the heaviest burden. Low risk.", ["G107"]),
    (CAC860, "Coronary calcium 860, the most being in the right coronary artery.", []),
    (CAC860, "Coronary calcium 860, the most being in the LAD.", ["G107"]),
    (CAC620, "Normal perfusion. CAC 620 (severe). Low risk.", []),
    (CAC620, "Normal perfusion. CAC 620 (moderate). Low risk.", ["G301"]),
    (CAC620, "Perfusion: normal.\nCalcium: Agatston 620 (LAD 410, RCA 170, LCx 40) - severe.", []),
    (CAC620, "Perfusion: normal.\nCalcium: Agatston 620 (LAD 410, RCA 170, LCx 40) - moderate.", ["G301"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test5_mechanisms(stem: str, text: str, expected: list[str], study_of: Callable[[str], Study]) -> None:
    assert errors(text, study_of(stem)) == expected


@pytest.mark.parametrize(
    ("stem", "text", "expected"),
    [
        # a severe calcium score beside a low perfusion risk is an element of the impression
        (CAC620, "Normal stress-only perfusion, LVEF 65%. Low risk.", ["G506"]),
        (CAC620, "Normal stress-only perfusion, LVEF 65%. Low risk; coronary calcification 620.", []),
    ],
)
def test_calcium_omission(stem: str, text: str, expected: list[str], study_of: Callable[[str], Study]) -> None:
    assert [c for c in codes(text, study_of(stem), "warning") if c == "G506"] == expected


@pytest.mark.parametrize(
    ("stem", "text", "expected"),
    [
        # advice in a later clause is advice of its own
        (ATTENUATION, "Probably normal, which should be read as low risk.", ["G411"]),
        (
            ATTENUATION,
            "Probably normal, which should be read as low risk; refer to cardiology for angiography.",
            ["G411", "G411"],
        ),
        # "angio" is the angiography a high-risk ischemic study supports (shown for information only)
        (LAD_HIGH, "Severe reversible LAD defect, high risk: refer for angio.", []),
        (LAD_HIGH, "Severe reversible LAD defect, high risk: refer for bypass surgery.", ["G411"]),
    ],
)
def test_advice_by_clause(stem: str, text: str, expected: list[str], study_of: Callable[[str], Study]) -> None:
    assert [c for c in codes(text, study_of(stem), "warning") if c == "G411"] == expected
