"""Physician-written impressions of the blind set dev11 (issue 15): each cause of a former false error or miss,
checked on sentences written here in other words (and on other studies where the mechanism allows), beside a
wrong sentence the same mechanism must still flag.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# normal exercise SPECT (Duke +10, LVEF 69%); anterior breast attenuation recorded as an artifact
NORMAL = "dev11_spect_exercise_normal_breast_atten_duke_pos10"
# small mild LCx defect on regadenoson, SDS 2 (2.9% of the LV)
SMALL = "dev11_spect_regadenoson_small_lcx_equivocal_obese_cac86"
# Rb-82 PET: reversible RCA defect (SSS 11, 16%); regional MFR RCA 1.16, LAD 2.60, LCx 2.33; LVEF 58% -> 52%
PET = "dev11_pet_rb82_regadenoson_rca_ischemia_low_regional_mfr_lvef_drop"
# fixed LAD scar, new LCx ischemia (SDS 5); LVEF 44%; prior report of 2024-03-12 (fixed LAD defect, no ischemia)
PRIOR = "dev11_spect_dobutamine_atropine_lad_scar_new_lcx_ischemia_prior_report"
# Tl-201 exercise: reversible defects of the RCA (segments 4, 10, 15) and LCx (5, 11, 16), SSS 14 = 20.6% together
TL = "dev11_spect_tl201_exercise_metoprolol_submax_rca_lcx_ischemia_duke_neg14"
# LVEF 53% in a woman (mildly reduced by the ASE limits; 'preserved' by the heart-failure guidelines)
EF53 = "test4_spect_followup_lcx_resolved_inferior_scar"


def codes(text: str, study: Study, severity: str, scope: str = "full") -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope=scope) if f.severity.value == severity)  # type: ignore[arg-type]


CASES = [
    # territories with their own flow value in parentheses, graded normal before or after the list, are no place
    # of a defect
    (
        PET,
        "Regional reserve is preserved in the circumflex (MFR 2.33) and LAD (MFR 2.60) territories but severely "
        "reduced in the right coronary territory (MFR 1.16), where the reversible inferior defect lies.",
        [],
    ),
    (
        PET,
        "A completely reversible inferior defect with a marked regional drop in RCA flow (stress MBF 1.02, MFR "
        "1.16), while LCx (MFR 2.33) and LAD (MFR 2.60) reserve stay normal.",
        [],
    ),
    (PET, "A reversible defect in the LCx territory.", ["G201"]),
    (PET, "Reversible defects in the LCx, LAD and RCA, with normal wall motion.", ["G201", "G201"]),
    # a value said to be (essentially) stable belongs to its label
    (
        PRIOR,
        "Against the 2024 SPECT the anterior infarct is unchanged, and the ejection fraction is essentially "
        "stable at 44%.",
        [],
    ),
    (
        PRIOR,
        "Against the 2024 SPECT the anterior infarct is unchanged, and the ejection fraction is essentially "
        "stable at 64%.",
        ["G101"],
    ),
    # the prior named by its date in a finding's relative clause, past the finding's place and its parenthesis
    (
        PRIOR,
        "A small area of reversible ischaemia in the basal and mid anterolateral walls (circumflex, SDS 5), "
        "which was not evident on 03/12/2024.",
        [],
    ),
    (
        PRIOR,
        "A small area of reversible ischaemia in the basal and mid anterolateral walls (circumflex, SDS 5), "
        "which was already evident on 03/12/2024.",
        ["G702"],
    ),
    (PRIOR, "Lateral ischaemia (LCx territory, 7% of the LV), which was already seen in 2024.", ["G702"]),
    # an artifact given as the reading of a reduction, through a word in parentheses
    (
        NORMAL,
        "The faint anterior count reduction is probably due to soft-tissue (breast) attenuation rather than a defect.",
        [],
    ),
    (NORMAL, "A slight anterior reduction in counts, attributed to overlying (breast) tissue attenuation.", []),
    (NORMAL, "A slight anterior reduction in counts.", ["G401"]),
    # the risk of the events it predicts as the subject; a Duke score among the grounds of the overall risk
    (
        NORMAL,
        "Given the excellent exercise capacity and a Duke score of +10, the yearly risk of cardiac death or MI is low.",
        [],
    ),
    (
        NORMAL,
        "Given the excellent exercise capacity and a Duke score of +10, the yearly risk of cardiac death or MI "
        "is high.",
        ["G801"],
    ),
    (
        NORMAL,
        "Taken together with the Duke score of +10, the annual risk of major adverse cardiac events is high.",
        ["G801"],
    ),
    # LV function graded after its subject
    (NORMAL, "Left ventricular systolic function is normal.", []),
    (NORMAL, "LV systolic function is abnormal.", ["G602"]),
    # a bound on the ischemic burden whose ischemia is named earlier in its sentence
    (SMALL, "Any ischaemia here, if genuine, is limited (below 5% of the LV).", []),
    (SMALL, "Any ischaemia here, if genuine, is limited (about 15% of the LV).", ["G105"]),
    # contiguous defects of two territories described as one: their extent together
    (
        TL,
        "A large reversible defect spans the inferior and inferolateral walls (right coronary and circumflex "
        "territories).",
        [],
    ),
    (
        TL,
        "Extensive reversible ischaemia across the inferior and inferolateral walls, in both the RCA and LCx "
        "territories.",
        [],
    ),
    (TL, "A large reversible inferior defect in the RCA territory.", ["G302"]),
    # the study called positive or negative as a whole
    (TL, "Strongly positive test, despite a submaximal heart rate.", []),
    (TL, "Negative test, despite a submaximal heart rate.", ["G602"]),
    (TL, "Positive exercise ECG test.", []),
    # a grade word of a regional flow reduction is not the defect's grade
    (
        PET,
        "A mild, fully reversible inferior defect with a severe regional reduction in the RCA territory (MFR 1.16).",
        ["G301"],
    ),
    (
        PET,
        "A moderate-to-severe, fully reversible inferior defect with a severe regional reduction in the RCA "
        "territory (MFR 1.16).",
        [],
    ),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev11_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def test_preserved_lvef_of_50_or_more_is_a_reading_normal_is_not(study_of: Callable[[str], Study]) -> None:
    study = study_of(EF53)
    for text in ("Left ventricular function is preserved (EF 53%).", "Preserved left ventricular function."):
        assert codes(text, study, "error") == []
        assert codes(text, study, "warning") == ["G602"]
    assert codes("Left ventricular function is normal (EF 53%).", study, "error") == ["G602"]


def test_high_risk_feature_told_only_in_the_findings_is_missing_from_the_impression(
    study_of: Callable[[str], Study],
) -> None:
    study = study_of(PET)
    head = "Findings:\n1. Gated: LVEF 58% at rest and 52% at stress.\nImpression:\n"
    body = "1. Reversible inferior RCA-territory ischemia, 16% of the LV, SDS 11; reserve 1.16 in the RCA.\n"
    without = head + body + "2. High-risk study."
    told = head + body + "2. Impaired LVEF reserve.\n3. High-risk study."
    # (the RCA defect, large by its 5 segments, is sized by its 16% of the LV: medium by that convention)
    assert codes(without, study, "warning", "impression").count("G506") == 1
    assert codes(told, study, "warning", "impression").count("G506") == 0


def test_need_or_emergency_of_a_procedure_is_advice(study_of: Callable[[str], Study]) -> None:
    study = study_of(PRIOR)
    assert codes("The lateral ischaemia needs emergency catheterisation.", study, "warning") == ["G411"]
    assert codes("The lateral ischaemia is stable.", study, "warning") == []
