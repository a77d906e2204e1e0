"""Physician-written impressions of the blind development set dev23 (round 19): each cause of a former false error,
checked on sentences written here in other words, beside a wrong sentence the same mechanism must still flag; and the
set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from reporter.domain.study import Study

# Bruce stopped for new-onset atrial fibrillation (reverted in recovery) and a hypertensive response: small, moderate,
# reversible inferior (RCA) ischaemia, 8.8 %; LVEF 60 %; no prior
AF = "dev23_spect_treadmill_af_hypertensive_small_inferior_rca_ischaemia_duke_intermediate"
# Rb-82 regadenoson PET: an old fixed severe LAD scar (7, 13, 14, 17), new moderate reversible LCx ischaemia; prior 2024
PET = "dev23_pet_rb82_regadenoson_old_lad_scar_new_lcx_ischaemia_vs_2024"
# adenosine SPECT, ischaemic cardiomyopathy: a fixed severe scar of the inferior (RCA: 3, 4, 10, 15) and inferolateral
# (LCx: 5, 11, 16) walls, 7 segments, SSS 21 (30.9 %), each territory's part medium and fixed (one grade better at
# rest in 15 and in 16: SDS 1 each, 2 together); LVEF 28 %, unchanged from 2025
ICM = "dev23_spect_adenosine_ischaemic_cm_ef28_icd_large_inferolateral_scar_unchanged_vs_2025"
# Bruce, 2.0 mm horizontal ST depression (the study's maximum) with normal perfusion: a false-positive ECG
ST = "dev23_spect_exercise_woman_2mm_st_depression_false_positive_normal_perfusion"

AF_CORE = "Small, moderate, reversible inferior ischaemia (RCA); EF 60%; intermediate risk."
PET_CORE = "LVEF 47% at rest, 43% at stress; high risk; angiography advised."
ICM_CORE = "LVEF 28%, dilated LV; unchanged from November 2025; high risk because of the LV."
ST_CORE = "Normal perfusion at stress and rest, EF 68%, no TID; low risk by imaging."

CASES = [
    # a change word of a rhythm event of the test ("new-onset atrial fibrillation", "newly developed AF") is no
    # comparison with a prior, even where the sentence names a time before ("before the images were taken")
    (AF, "He went into new-onset atrial fibrillation, which had reverted to sinus rhythm before the images were "
     f"taken. {AF_CORE}", []),
    (AF, f"Exercise was halted by newly developed AF that settled before imaging. {AF_CORE}", []),
    (AF, "He went into new-onset atrial fibrillation, which had reverted to sinus rhythm before the images were "
     "taken. Small, moderate, reversible inferior ischaemia (RCA), new since the last scan; EF 60%; intermediate "
     "risk.", ["G701"]),
    # an additive preposition ("in addition to", "as well as", "on top of") opens a defect of its own: the scar after it
    # is placed by its own walls, not by the ischaemia's territory before it
    (PET, f"New moderate reversible ischaemia of the lateral wall (circumflex) as well as the old fixed anteroapical "
     f"scar. {PET_CORE}", []),
    (PET, f"New moderate reversible ischaemia of the lateral wall (circumflex) as well as the old fixed inferior "
     f"scar. {PET_CORE}", ["G202"]),
    # ... and an old scar the images read ("old fixed") is the images' finding, its place checked
    (PET, f"New moderate reversible ischaemia of the lateral wall (circumflex), in addition to an old fixed apical "
     f"LAD infarct. {PET_CORE}", []),
    (PET, f"New moderate reversible ischaemia of the lateral wall (circumflex), in addition to an old fixed inferior "
     f"infarct. {PET_CORE}", ["G202"]),
    # defects of two territories described as one by a wall of each: graded large and reversed together (7 segments,
    # SSS 21; SDS 2 together: a scar with a rim of ischaemia)
    (ICM, f"Extensive fixed infarction of the inferior and inferolateral walls with a sliver of reversibility at its "
     f"apical margin (SDS 2). {ICM_CORE}", []),
    (ICM, f"Inferior plus inferolateral scar: large, severe, fixed. {ICM_CORE}", []),
    (ICM, f"Extensive infarction of the inferior and inferolateral walls, partially reversible at its apical margin "
     f"(SDS 2). {ICM_CORE}", []),
    (ICM, f"Small fixed infarction of the inferior and inferolateral walls (SDS 2). {ICM_CORE}", ["G302"]),
    (ICM, f"Extensive infarction of the inferior and inferolateral walls, completely reversible. {ICM_CORE}",
     ["G303"]),
    # ... one wall named: that territory's own defect (medium)
    (ICM, f"Large fixed inferior infarction (SDS 2). {ICM_CORE}", ["G302"]),
    # a range of ST depression up to the study's recorded maximum (the deepest lead) is the spread over the leads
    (ST, f"ST segments depressed 1.5 to 2 mm (horizontal) in II, III, aVF and V4-V6. {ST_CORE}", []),
    (ST, f"Horizontal ST depression, 1.5-2 mm, in II, III, aVF and V4-V6. {ST_CORE}", []),
    (ST, f"ST segments depressed 2 to 2.5 mm (horizontal) in II, III, aVF and V4-V6. {ST_CORE}", ["G111"]),
    (ST, f"ST segments depressed 0.5 to 1 mm (horizontal) in II, III, aVF and V4-V6. {ST_CORE}", ["G111", "G111"]),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev23_false_error_mechanisms(
    study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]
) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def test_dev23_set_is_clean_and_keeps_its_recall() -> None:
    """The set as the bench scores it: no correct impression is flagged, and at least the 55 of 70 corruptions
    detected at its first scoring still are (its misses are another round's work)."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_dev23")
    assert clean == 22
    assert flagged == []
    assert corrupted == 70
    assert corrupted - len(missed) >= 55
