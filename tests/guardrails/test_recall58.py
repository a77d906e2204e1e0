"""Physician-written impressions of the blind development set dev23 (round 19): each cause of a missed corruption,
checked on sentences written here in other words (read as sentences, not whole impressions), beside a correct
sentence the same mechanism must leave alone.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); advice is checked by
its warning codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# Rb-82 regadenoson PET: old fixed LAD scar unchanged, new moderate reversible LCx ischaemia (~12 %) vs 2024, LVEF
# 47 % falling to 43 % at stress, Agatston 1120 (severe); high risk
PET = "dev23_pet_rb82_regadenoson_old_lad_scar_new_lcx_ischaemia_vs_2024"
# adenosine SPECT, ischaemic cardiomyopathy with an ICD: fixed inferior/inferolateral scar, SDS 2, LVEF 28 %, dilated
ICM = "dev23_spect_adenosine_ischaemic_cm_ef28_icd_large_inferolateral_scar_unchanged_vs_2025"
# dobutamine-atropine, hypertrophic cardiomyopathy: normal perfusion, hyperdynamic small LV (EDV 58 mL), no prior
HCM = "dev23_spect_dobutamine_atropine_hcm_septal_hypertrophy_no_ischaemia_hyperdynamic"
# Bruce 98 % MPHR, 2 mm ST depression, normal perfusion, TID 0.95; no prior study
WOMAN = "dev23_spect_exercise_woman_2mm_st_depression_false_positive_normal_perfusion"
# Bruce stopped for new AF and a hypertensive response: small moderate reversible inferior (RCA) ischaemia
AF = "dev23_spect_treadmill_af_hypertensive_small_inferior_rca_ischaemia_duke_intermediate"

CASES = [
    # a field's label asked as a question is answered by its value, read as after a colon
    (PET, "New ischaemia: lateral, moderate, reversible, absent in 2024. Overall risk? Low.", ["G801"]),
    (PET, "New ischaemia: lateral, moderate, reversible, absent in 2024. Overall risk? High.", []),
    (PET, "New reversible lateral ischaemia since 2024; high risk. Coronary calcification? Mild (Agatston 1120).",
     ["G301"]),
    (PET, "New reversible lateral ischaemia since 2024; high risk. Coronary calcification? Extensive, Agatston 1120.",
     []),
    # a "Yes" answer that states its finding in its own words is read apart from a question asked with a verb
    (PET, "Has a new defect appeared? Yes, lateral reversible ischaemia, which was already present on the 2024 scan.",
     ["G702", "G702"]),
    (PET, "Has a new defect appeared? Yes, lateral reversible ischaemia, not seen on the 2024 scan.", []),
    # obstructive coronary disease in a patient's words, and after "evidence of"
    (HCM, "Your scan is normal and there are signs of a blocked heart artery.", ["G402"]),
    (HCM, "Your scan is normal and there are no signs of a blocked heart artery.", []),
    (HCM, "Normal perfusion at an adequate heart rate: evidence of significant coronary disease.", ["G402"]),
    (HCM, "Normal perfusion at an adequate heart rate: no evidence of significant coronary disease.", []),
    # transient dilation said with a participle
    (WOMAN, "Normal stress and rest perfusion, EF 68%, with the LV cavity enlarging after exercise.", ["G404"]),
    (WOMAN, "Normal stress and rest perfusion, EF 68%, with the LV cavity not enlarging after exercise.", []),
    # the cavity graded before its name is the LV's size
    (HCM, "Normal perfusion; EF 79% with an enlarged cavity.", ["G409"]),
    (HCM, "Normal perfusion; EF 79% with a small cavity.", []),
    # a blunted rise of the heart rate is a submaximal chronotropic stress
    (WOMAN, "Bruce 11 min with a poor chronotropic response; normal perfusion; low risk.", ["G602"]),
    (WOMAN, "Bruce 11 min with no chronotropic incompetence; normal perfusion; low risk.", []),
    # a comparison with a dated study where the study has none
    (WOMAN, "Normal perfusion compared to her SPECT of June 2022; low risk.", ["G701"]),
    (WOMAN, "Normal perfusion, no prior study for comparison; low risk.", []),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev23_recall_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def _warnings(text: str, study: Study) -> list[str]:
    return sorted(f.code.value for f in verify(text, study) if f.severity.value == "warning")


@pytest.mark.parametrize(
    ("stem", "advised", "kept"),
    [
        # stopping a named cardiac drug is no medical therapy the facts support
        (AF, "Small reversible inferior ischaemia, intermediate risk; I suggest discontinuing his bisoprolol.",
         "Small reversible inferior ischaemia, intermediate risk; I suggest optimising his anti-anginal therapy."),
        (HCM, "Normal perfusion, low risk; please come off the diltiazem.",
         "Normal perfusion, low risk; she had stopped her diltiazem two days before the test."),
        # a defibrillator switched off
        (ICM, "Fixed inferior scar, LVEF 28%; we would turn off the defibrillator.",
         "Fixed inferior scar, LVEF 28%; the defibrillator should not be deactivated."),
    ],
)  # fmt: skip
def test_dev23_stopping_a_drug_or_a_device_is_unsupported_advice(
    study_of: Callable[[str], Study], stem: str, advised: str, kept: str
) -> None:
    assert _warnings(advised, study_of(stem)).count("G411") > _warnings(kept, study_of(stem)).count("G411")
