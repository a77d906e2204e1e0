"""Physician-written impressions of the blind set dev13 (issue 15): each cause of a former false error or miss,
checked on sentences written here in other words, beside a wrong sentence the same mechanism must still flag.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from reporter.domain.study import Study

# Rb-82 regadenoson PET: small reversible inferior RCA defect (no fixed part); global MFR 1.70, LAD 2.00
PET = "dev13_pet_rb82_regadenoson_small_rca_ischemia_low_global_mfr"
# dobutamine-atropine SPECT: fixed severe inferior RCA scar, new small reversible anterior/anteroseptal LAD defect;
# LVEF 46% against the prior report's 45% (2023-05-10)
DOB = "dev13_spect_dobutamine_atropine_inferior_scar_stable_new_lad_ischemia_prior_report"
# normal exercise SPECT with an inferior (diaphragmatic) attenuation artifact; no flow measured
NORMAL = "dev13_spect_exercise_normal_diaphragm_atten_duke_pos10"
# regadenoson SPECT: small apical LAD defect with TID 1.38, 2 mm ST depression and LVEF 60% -> 52%; no flow measured
APEX = "dev13_spect_regadenoson_small_apical_lad_tid_st_depression_ef_drop"
# Tl-201 exercise stress/redistribution: reversible lateral LCx defect; normal lung/heart ratio
TL = "dev13_spect_tl201_exercise_atenolol_submax_lcx_ischemia_duke_neg2"
# adenosine SPECT of dev12: LAD scar with peri-infarct ischemia (partially reversible)
MIXED = "dev12_spect_adenosine_lad_scar_periinfarct_ischemia_ef36_prior_report"

CASES = [
    # a verdict on the rest images, the phase inside it or after it, is checked against the rest images only; one
    # that names the stress images too is the whole study's
    (PET, "Reversible inferior RCA defect; normal resting perfusion.", []),
    (PET, "Reversible inferior RCA ischaemia, with normal perfusion on the rest images.", []),
    (PET, "Reversible inferior RCA ischaemia with abnormal rest perfusion.", ["G602"]),
    (PET, "Reversible inferior RCA ischaemia; normal rest and stress perfusion.", ["G602"]),
    (DOB, "Normal rest perfusion; new reversible anterior LAD defect.", ["G602"]),
    # ischemia denied at the infarct ("peri-infarct", "around the scar", "at the margins of the infarct") is denied
    # in the scar's territory and walls only; the scar that places it is not denied
    (DOB, "Stable inferior infarct, no peri-infarct ischaemia; new small reversible anterior LAD defect.", []),
    (DOB, "Inferior scar without residual ischemia around the scar; new small reversible anterior LAD defect.", []),
    (DOB, "No ischaemia at the margins of the old inferior infarct; small new reversible anterior LAD defect.", []),
    (DOB, "Inferior scar. No ischaemia.", ["G601"]),
    (DOB, "No ischaemia in the inferior scar; new small reversible anterior LAD defect.", []),
    (MIXED, "Fixed anterior LAD infarct, no peri-infarct ischaemia.", ["G303", "G601"]),
    (MIXED, "Anterior LAD infarct without ischaemia around the scar.", ["G601"]),
    # LV function named in words is the subject of its comparison (the LVEF's change), not the study's overall one
    (DOB, "Left ventricular systolic function remains mildly reduced, much as on the prior study.", []),
    (DOB, "Global systolic function is mildly impaired and comparable to the 2023 study.", []),
    (DOB, "LV function is mildly reduced and unchanged from the prior report.", []),
    (DOB, "Left ventricular systolic function has deteriorated since the 2023 study.", ["G702"]),
    # a letter in plain words: walls ("front wall of the heart"), a reduced blood supply as a defect, "on stress" /
    # "when the heart is working hard" as reversible, "at rest and on stress" as fixed, "heart attack" or
    # "damaged heart muscle" as infarction
    (
        DOB,
        "A new small area where the heart muscle is not getting enough blood on stress, in the front of the heart "
        "(left anterior descending artery).",
        [],
    ),
    (
        DOB,
        "A new small area where the heart muscle is not getting enough blood on stress, in the side wall of the "
        "heart, supplied by the circumflex artery.",
        ["G201", "G202"],
    ),
    (DOB, "The blood supply to the front wall of the heart is reduced when the heart is stressed.", []),
    (
        DOB,
        "His old heart attack has left a scar in the bottom wall of the heart, where the blood supply is reduced "
        "both at rest and on stress.",
        [],
    ),
    (
        DOB,
        "His old heart attack has left a scar in the side wall of the heart, where the blood supply is reduced "
        "both at rest and on stress.",
        ["G202"],
    ),
    (DOB, "An area of damaged heart muscle in the bottom wall of the heart from his old heart attack.", []),
    (
        NORMAL,
        "An area of damaged heart muscle in the bottom wall of the heart from an old heart attack.",
        ["G401", "G403"],
    ),
    (DOB, "No heart muscle damage.", ["G601"]),
    (NORMAL, "The scan shows a normal blood supply to the heart muscle.", []),
    (APEX, "The scan shows a normal blood supply to the heart muscle.", ["G602"]),
    (NORMAL, "The scan shows an abnormal blood supply to the heart muscle.", ["G602"]),
    (NORMAL, "The heart muscle receives a normal blood supply both at rest and during exercise.", []),
    (APEX, "Blood supply to the heart muscle is normal at rest and under stress.", ["G602"]),
    (APEX, "Blood supply to the heart muscle is normal at rest.", []),
    (PET, "The blood supply is reduced in the front wall of the heart when stressed.", ["G202"]),
    (NORMAL, "There is reduced blood supply to the heart muscle on stress.", ["G402"]),
    # balanced ischemia on SPECT (no flow measured) is a reading of TID, a post-stress LVEF drop or lung uptake:
    # raised where they are, not ruled out against them, an error where the study shows none (or flow decides)
    (APEX, "The TID and the fall in ejection fraction raise the possibility of balanced three-vessel ischaemia.", []),
    (APEX, "Balanced multivessel disease is excluded.", ["G601"]),
    (APEX, "Balanced ischaemia can be ruled out.", ["G601"]),
    (NORMAL, "TID suggests balanced multivessel ischaemia.", ["G404", "G409"]),
    (PET, "Balanced three-vessel ischaemia.", ["G409"]),
    # a tracer or agent that modifies a denied noun ("lung thallium uptake", "regadenoson-induced") is still named
    (TL, "No increased lung thallium uptake.", []),
    (TL, "No increased lung tetrofosmin uptake.", ["G604"]),
    (TL, "Lung MIBI uptake is not increased.", ["G604"]),
    (TL, "Lung thallium activity is increased.", ["G407"]),
    (APEX, "No regadenoson-induced arrhythmia.", []),
    (APEX, "No adenosine-induced arrhythmia.", ["G603"]),
    (APEX, "No dipyridamole side effects.", ["G603"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev13_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected
