"""Physician-written impressions of the blind set test15 (round 13, second wave): each cause of a former false error
or miss, checked on sentences written here in other words, beside a wrong sentence the same mechanism must still
flag; and the set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); omissions and advice
are checked by their warning codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from guardrails import verify
from reporter.domain.study import Study

# adenosine tetrofosmin with CT AC, normal; artifact notes: breast attenuation (anterior), apical thinning (apex)
ADENO = "test15_spect_adenosine_woman_breast_atten_ctac_normal_apical_thinning"
# dobutamine-atropine: mild (score-1) reversible inferior reduction, SDS 4, equivocal by the rules; an artifact note
# records increased right ventricular tracer uptake
RV = "test15_spect_dobutamine_atropine_copd_mild_rca_ischemia_rv_uptake"
# Rb-82 PET after CABG: small fixed inferior scar; prior regadenoson SPECT of 2021-11-18
CABG = "test15_pet_rb82_dipyridamole_post_cabg_small_fixed_inferior_improved_vs_spect2021"
# Rb-82 PET: normal perfusion, global MFR 2.4 (normal), CAC 852 (severe), low risk
CAC = "test15_pet_rb82_regadenoson_normal_mfr24_cac852"
# treadmill sestamibi: large severe reversible LAD defect, segment stress scores 2 and 3, rest 0
LAD = "test15_spect_exercise_large_severe_lad_ischemia_st3_hypotension_duke_neg18"
# Bruce tetrofosmin, normal perfusion, no artifact notes (dev17)
PLAIN = "dev17_spect_exercise_metoprolol_submax_normal_nondiagnostic_ecg"

CASES = [
    # a finding the study records in an artifact's note is supported; elsewhere it is still unsupported
    (RV, "The right ventricle shows prominent tracer uptake, as in chronic lung disease.", []),
    # ... elsewhere the study cannot decide it (no RV field): unverified, a warning in a physician's text
    # (tests/guardrails/test_unrecorded.py), no error
    (PLAIN, "The right ventricle shows prominent tracer uptake.", []),
    (ADENO, "Thinning of the apex, a normal variant.", []),
    (PLAIN, "Apical thinning is present.", ["G409"]),
    # a count reduction given a normal variant or an artifact as its reading ("read as", "is considered", "=")
    (ADENO, "Slight apical count reduction, read as apical thinning.", []),
    (ADENO, "Faint anterior reduction on the uncorrected set = breast shadow attenuation.", []),
    (PLAIN, "Faint apical count reduction, read as apical thinning.", ["G401", "G409"]),
    (ADENO, "A mild inferior defect, not apical thinning.", ["G401", "G601"]),
    # a run-on conclusion joined by "and overall" / "and this is" is out of the reach of a denial before it
    (ADENO, "no ECG changes of ischemia and overall she is at low risk", []),
    (ADENO, "there was no ischemia and this is a high risk scan", ["G801"]),
    # a parenthesis after the prior's date keeps the relative clause that follows the prior's
    (
        CABG,
        "Compared with the SPECT of November 2021 (done before surgery), which showed a medium, moderate, partially "
        "reversible inferior defect, today's scan is better: a small fixed inferior scar only.",
        [],
    ),
    (
        CABG,
        "Compared with the SPECT of November 2021 (done before surgery), which showed a small inferior defect, "
        "today's scan is worse: a large reversible anterior defect.",
        ["G202", "G402", "G702"],
    ),
    # "better than the 2021 SPECT" names the prior's modality
    (CABG, "Small inferior scar; better than the 2021 SPECT.", []),
    (CABG, "SPECT today shows a small inferior scar.", ["G606"]),
    # registry keys joined by underscores read as labels
    (CAC, "PERF_RESULT=normal; FLOW_RESERVE=2.4 (normal)", []),
    (CAC, "PERF_RESULT=normal; FLOW_RESERVE=2.4 (reduced)", ["G301"]),
    # "abnl" wall motion
    (ADENO, "LVEF 68%; abnl wall motion.", ["G405"]),
    (ADENO, "LVEF 68%; normal wall motion.", []),
    # segment scores in the plural are the segments' own grades
    (LAD, "Stress scores of 3 in the apical segments, 0 at rest.", []),
    (LAD, "Stress scores of 1 in the apical segments, 0 at rest.", ["G203"]),
    # the amount of calcium in a letter's words
    (CAC, "The heart CT found a great deal of calcium in the arteries.", []),
    (CAC, "The heart CT found only a small amount of calcium in the arteries.", ["G301"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test15_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def _codes(text: str, study: Study, severity: str, scope: str = "impression") -> list[str]:
    flags = verify(text, study, scope=scope)  # type: ignore[arg-type]
    return sorted(f.code.value for f in flags if f.severity.value == severity)


@pytest.mark.parametrize(
    ("stem", "text", "code", "expected"),
    [
        # the RV finding the study records is owed in the impression; RV uptake is no statement of LV perfusion
        (RV, "Dobutamine stress. LVEF 62%. Mild inferior ischaemia, SDS 4. Low risk.", "G505", ["G505"]),
        (RV, "Dobutamine stress. LVEF 62%. Mild inferior ischaemia, SDS 4. RV uptake prominent. Low risk.", "G505", []),
        (RV, "Dobutamine stress. LVEF 62%. Tracer uptake in the right ventricle is increased. Low risk.", "G505",
         ["G505"]),  # (the one G505: perfusion left unsaid)
        # a normal LVEF left unsaid is a warning
        (ADENO, "Normal perfusion on the corrected images; low risk.", "G504", ["G504"]),
        (ADENO, "Normal perfusion on the corrected images; EF 68%; low risk.", "G504", []),
        # a procedure denied as the meaning of a finding is not advised; said to be its meaning, it is
        (CAC, "Perfusion normal. The calcium does not mean there is a narrowing that needs a stent.", "G412", []),
        (CAC, "Perfusion normal. The calcium means there is a narrowing that needs a stent.", "G412", ["G412"]),
        # "suggest redo ..." is advice
        (CABG, "Small inferior scar, no ischaemia. We suggest redo angiography.", "G411", ["G411"]),
    ],
)  # fmt: skip
def test_test15_warnings(
    study_of: Callable[[str], Study], stem: str, text: str, code: str, expected: list[str]
) -> None:
    assert [c for c in _codes(text, study_of(stem), "warning") if c == code] == expected


def test_test15_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: every correct impression free of error flags; the misses left are listed."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_test15")
    assert (clean, flagged) == (23, [])
    assert corrupted == 70
    # none left: "the defect persists at rest", said of an anaphoric "the defect" in a clause on attenuation, is bound
    # to the defect of the clause before it since recall56; the reason after "stopped:" is read since recall55
    assert missed == []
