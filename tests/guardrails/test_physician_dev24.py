"""Physician-written impressions of the development set dev24 (round 20): each cause of a former false error, checked
on sentences written here in other words, beside a wrong sentence the same mechanism must still flag; and the set
itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from reporter.domain.study import Study

# N-13 ammonia PET: mild small reversible defects (SDS 3), global MFR 1.6 (rest 0.85, stress 1.36), LAD 1.6, LCx 1.5,
# RCA 1.7; LVEF 60 % rest / 52 % stress, TID 1.25: high risk
PET = "dev24_pet_n13_regadenoson_balanced_three_vessel_low_mfr_tid125_ef_drop"
# dobutamine/atropine sestamibi: moderate reversible LAD defect (SDS 8), NSVT, no scar, no artifact recorded
DOB = "dev24_spect_dobutamine_atropine_copd_lad_ischemia_nsvt"
# beta-blocked treadmill, 75 % MPHR (submaximal), normal perfusion, LVEF 63 %, no angina, low risk
EXE = "dev24_spect_exercise_betablocker_submaximal_75pct_normal_perfusion"
# regadenoson sestamibi against 2024-11-12: new reversible LCx defect, LVEF 46 % (prior 55 %), intermediate risk
REG = "dev24_spect_regadenoson_new_lateral_ischemia_ef46_worse_vs_2024"
# Tl-201 stress-redistribution: large severe fixed inferior/inferoseptal scar (RCA), mild peri-infarct reversibility
# in the inferolateral border (LCx), LVEF 42 %, no prior
TL = "dev24_spect_tl201_regadenoson_inferior_scar_periinfarct_ischemia_ef42"

PET_CORE = "Mild reversible defects, SDS 3; global MFR 1.6; TID 1.25"
DOB_CORE = "Moderate reversible anterior and apical defect (LAD), SDS 8"
EXE_CORE = "Normal perfusion, LVEF 63%"
REG_CORE = "Small fixed inferior scar; new reversible LCx defect, SDS 6"
TL_CORE = (
    "Large severe fixed inferior and inferoseptal defect, mild peri-infarct ischaemia (SDS 2); post-stress LVEF 42%"
)

CASES = [
    # a risk conceded to a part of the findings and overruled by the text's own later call is not its risk; conceded
    # with no other call, or with the same call, it is the text's
    (PET, f"{PET_CORE}. The relative images alone might suggest low risk. Taken together we call this high risk.", []),
    (PET, f"{PET_CORE}. The relative images alone might suggest low risk.", ["G503", "G801"]),
    (PET, f"{PET_CORE}. The relative images alone would look low risk. Overall: low risk.", ["G503", "G801", "G801"]),
    # a registry line's territory labels its own value ("MFR_LAD=1.6") and a later pipe field is not an earlier one's
    (PET, "SDS=3 | REST_MBF=0.85 | STRESS_MBF=1.36 | MFR_GLOBAL=1.6 | MFR_LAD=1.6 | MFR_RCA=1.7 | TID=1.25", []),
    (PET, "SDS=3 | REST_MBF=0.95 | STRESS_MBF=1.36 | MFR_GLOBAL=1.6 | MFR_LAD=1.6 | TID=1.25", ["G106"]),
    (PET, "Stress MBF 1.36 mL/min/g in the LAD. SDS 3, TID 1.25.", ["G106"]),
    # a question-and-answer layout: an answer marker ("A:") before the denial, "Not seen" as the answer
    (DOB, f"Q: Infarct? A: None. Q: Ischaemia? A: Yes. {DOB_CORE}.", []),
    (DOB, f"Scar? Not seen. {DOB_CORE}.", []),
    (DOB, f"Q: Infarct? A: No. Ischaemia? Yes, {DOB_CORE}.", []),
    (DOB, f"Q: Scar? A: Yes, anterior. {DOB_CORE}.", ["G403"]),
    # an artifact reading offered to be rejected, or denied as the cause of a finding, is denied; accepted or stated
    # as the reading it is still an artifact
    (DOB, f"Some would read the anterior defect as breast artefact, but that is wrong. {DOB_CORE}.", []),
    (DOB, f"{DOB_CORE}, with apical hypokinesis, which attenuation cannot explain.", []),
    (DOB, f"It is tempting to call the anterior defect attenuation, and I agree. {DOB_CORE}.", ["G406"]),
    (DOB, f"The anterior count loss is attenuation, which does not explain the ST depression. {DOB_CORE}.", ["G406"]),
    # an exclusion of coronary disease asked (an indirect or a direct question) is not claimed; claimed, it is still
    # wrong after a submaximal stress
    (EXE, f"The referrer wants to know if the study rules out coronary disease. It cannot. {EXE_CORE}.", []),
    (EXE, f"Does this normal scan rule out CAD? Not entirely. {EXE_CORE}.", []),
    (EXE, f"{EXE_CORE}; this rules out coronary disease.", ["G412"]),
    # the patient's symptom as the condition of a plan is not a symptom of the test; one during the test still is
    (EXE, f"{EXE_CORE}. A repeat test off metoprolol is advised should the chest pain recur.", []),
    (EXE, f"{EXE_CORE}. Your doctor will arrange another test if the chest tightness persists.", []),
    (EXE, f"{EXE_CORE}. The test was stopped when chest pain developed.", ["G410"]),
    # a text headed by a comparison with a dated prior may give the prior's value before an arrow; without the
    # heading, or with a value neither study has, it is this study's
    (REG, f"Stress MPI vs 11/2024. {REG_CORE}. LVEF 55->46%.", []),
    (REG, "Regadenoson SPECT compared with 11/2024: new reversible LCx defect, SDS 6. Small fixed inferior scar. "
     "LVEF 55 -> 46%.", []),
    (REG, f"Stress MPI. {REG_CORE}. LVEF 55->46%.", ["G101"]),
    (REG, f"Stress MPI vs 11/2024. {REG_CORE}. LVEF 65->46%.", ["G101"]),
    # where the patient lies is no measurement; a number of the study beside it still is
    (TL, f"Patient in room 7B, ward 4. {TL_CORE}.", []),
    (TL, f"Patient in room 7B. {TL_CORE}, SDS 12.", ["G104"]),
    # a defect "the same" or "identical" on the delayed images is fixed; "reversible" there is not
    (TL, f"Severe inferior defect, identical at redistribution; scar. {TL_CORE}.", []),
    (TL, f"Severe inferior defect, the same on the redistribution images. {TL_CORE}.", []),
    (TL, f"Severe inferior defect, reversible at redistribution. {TL_CORE}.", ["G303"]),
    # a later item of the ECG's heading field is the ECG's, not a comparison; a prior named after it still is
    (TL, f"Symptoms: dyspnoea. ECG: baseline nonspecific ST-T changes, no change. {TL_CORE}.", []),
    (TL, f"ECG: baseline nonspecific ST-T changes, no change since 2021. {TL_CORE}.", ["G701"]),
    # ischemia denied of the defect the sentence calls something else instead is denied there only
    (TL, f"{TL_CORE}; the inferior defect stays the same at 4 hours: this is scar rather than ischemia.", []),
    (TL, f"{TL_CORE}. The inferolateral defect is partly reversible, so it is infarct, not ischaemia.", ["G601"]),
    (TL, f"{TL_CORE}. Inferior defect. This is scar, not ischaemia.", ["G601"]),
    # a bound said over a set of values (none above, each under, all below) holds when every value lies within it,
    # whether or not the number is one of them; one value beyond it is a wrong bound
    (PET, f"{PET_CORE}. Reserve is reduced in each vessel (1.6 overall); none of the three is above 1.8.", []),
    (PET, f"{PET_CORE}. Flow reserve 1.6 globally, with no vessel exceeding 1.7 mL/min/g or so.", []),
    (PET, f"{PET_CORE}. The MFR was impaired in every territory, each under 2.0.", []),
    (PET, f"{PET_CORE}. Hyperaemic flow stayed below 1.5 mL/min/g in all three territories.", []),
    (PET, f"{PET_CORE}. Flow reserve 1.6 globally, with no territory exceeding 1.6.", ["G106"]),
    (PET, f"{PET_CORE}. The MFR was impaired in every territory, each under 1.6.", ["G106"]),
    (PET, f"{PET_CORE}. Hyperaemic flow stayed below 1.4 mL/min/g in all three territories.", ["G106"]),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev24_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def test_dev24_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: the correct impressions still flagged are those of mechanisms left open (a
    scar's border reversibility without its wall); recall holds."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_dev24")
    assert clean == 22
    assert flagged == [
        f"{TL}/e",
    ]
    assert corrupted == 70
    assert len(missed) <= 12
