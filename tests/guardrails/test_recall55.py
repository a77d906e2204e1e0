"""Recall on physician text (issue 15, branch recall55): each mechanism checked on sentences written here, beside a
correct sentence the same mechanism must leave alone.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from reporter.domain.study import Study

# Rb-82 regadenoson PET: severe reversible LAD and RCA defects (32 % of the LV); the stented LCx territory normal
PET = "dev19_pet_rb82_regadenoson_lad_rca_ischemia_tid122_cac1420_lcx_stent_worse_vs_2023"
# treadmill stopped for limiting angina and a fall in systolic pressure: large severe reversible LAD defect
EXERCISE = "test15_spect_exercise_large_severe_lad_ischemia_st3_hypotension_duke_neg18"
# dobutamine-atropine stopped by an 8-beat run of non-sustained ventricular tachycardia: moderate lateral ischemia
DOBUTAMINE = "test17_spect_dobutamine_atropine_nsvt_stopped_moderate_lateral_ischemia"

PET_HEAD = "Rb-82 PET: severe reversible defects in the LAD and RCA territories, 32% of the LV. "
DOB_TAIL = " Moderate reversible lateral ischaemia."

CASES = [
    # a territory called normal as a whole denies a defect there; "otherwise normal" concedes one, and a normal flow
    # measure of the territory is not its perfusion
    (PET, PET_HEAD + "The circumflex territory is normal. High risk.", []),
    (PET, PET_HEAD + "The right coronary territory is normal. High risk.", ["G601"]),
    (PET, PET_HEAD + "RCA territory: normal. High risk.", ["G601"]),
    (PET, PET_HEAD + "The RCA territory is otherwise normal. High risk.", []),
    (PET, PET_HEAD + "RCA territory: normal flow reserve at rest. High risk.", []),
    # ... nor is a territory that a measure is taken in (the measure's own check reads it), nor the prior's territory
    (PET, PET_HEAD + "Flow reserve in the circumflex territory is normal. High risk.", []),
    (PET, PET_HEAD + "Flow reserve in the RCA territory is normal. High risk.", ["G301"]),
    (PET, PET_HEAD + "In 2023 the RCA territory was normal. High risk.", []),
    # the reason a test stopped, given after a colon in a note's shorthand
    (EXERCISE, "Treadmill 5 min, terminated: chest pain and a fall in blood pressure. Large severe reversible LAD "
     "defect. High risk.", []),
    (EXERCISE, "Treadmill 5 min, terminated: leg fatigue. Large severe reversible LAD defect. High risk.", ["G410"]),
    # an atrial arrhythmia given as the reason where the record names a ventricular one
    (DOBUTAMINE, "Dobutamine infusion halted early: a run of ventricular tachycardia." + DOB_TAIL, []),
    (DOBUTAMINE, "Dobutamine infusion halted early: atrial flutter." + DOB_TAIL, ["G410"]),
    (DOBUTAMINE, "The infusion was stopped because of nonsustained VT." + DOB_TAIL, []),
    (DOBUTAMINE, "The infusion was stopped because of atrial fibrillation." + DOB_TAIL, ["G410"]),
    (DOBUTAMINE, "The infusion was stopped because of SVT." + DOB_TAIL, ["G410"]),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_recall55_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected
