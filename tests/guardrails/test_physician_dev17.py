"""Physician-written impressions of the blind set dev17 (round 13): each cause of a former false error or miss,
checked on sentences written here in other words, beside a wrong sentence the same mechanism must still flag; and
the set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); readings shown as
unverified, omissions and advice are checked by their warning codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from guardrails import verify
from reporter.domain.study import Study

# Bruce sestamibi: reversible LCx defect of five segments, worst score 2 (moderate), SDS 9 = 13.2% of the LV; 1.5 mm
# ST depression in II, III, aVF, V5, V6; Duke -3.5; the rules: high risk (ischemia >= 10%, large by segment count)
LCX = "dev17_spect_mibi_bruce_lcx_moderate_ischemia_st15_duke_neg3_5"
# N-13 ammonia adenosine PET: normal perfusion, global MFR 1.7 (reduced), LVEF 60 -> 66%, CAC 0; intermediate risk
FLOW = "dev17_pet_n13_adenosine_normal_perfusion_global_mfr17_cac0_woman"
# regadenoson sestamibi: large inferior scar, SDS 2, LVEF 33/35%, TID 1.24; prior 2022-06-14 with LVEF 44%
SCAR = "dev17_spect_regadenoson_large_inferior_scar_periinfarct_ischemia_ef33_tid_worse_2022"
# Bruce tetrofosmin on metoprolol: 75% of the age-predicted maximum, ECG nondiagnostic, normal perfusion
SUBMAX = "dev17_spect_exercise_metoprolol_submax_normal_nondiagnostic_ecg"
# Rb-82 regadenoson PET: LAD and RCA ischemia, SDS 21 (large), TID 1.28, LVEF 58 -> 51%
RB82 = "dev17_pet_rb82_regadenoson_lad_rca_ischemia_tid_neg_lvef_reserve"
# reversible RCA defect of severe intensity, SDS 9 = 13.2% of the LV (a study of the first physician set)
RCA13 = "spect_dobutamine_rca_ischemia"

CASES = [
    # wall words of a coordinated ECG lead group name leads, not the defect's walls
    (LCX, "Horizontal ST depression in the inferior and lateral leads; a reversible lateral wall defect.", []),
    (LCX, "Horizontal ST depression in the lateral leads; a reversible inferior wall defect.", ["G202"]),
    # "no sign(s) of" denies every item of its list, as "no evidence of" does
    (FLOW, "We found no sign of a narrowed artery or of any scarring after a heart attack.", []),
    (FLOW, "We found damage from a heart attack.", ["G403"]),
    # a repeat of the test proposed, with another stress, is no statement of this test's stress
    (SUBMAX, "Normal perfusion; should his pain come back, we could redo the scan with dipyridamole.", []),
    (SUBMAX, "Normal perfusion after dipyridamole.", ["G603"]),
    (SUBMAX, "If her symptoms persist, repeat the study as a vasodilator stress test.", []),
    (SUBMAX, "Normal vasodilator stress study.", ["G605"]),
    # a value in parentheses after a finding "documented then" (on the prior) is the prior's
    (SCAR, "Worse since 2022: the inferior infarct documented then (LVEF 44%) has grown; LVEF now 33%.", []),
    (SCAR, "Worse since 2022: the inferior infarct has grown; LVEF now 44%.", ["G101"]),
    # a segment's score named without its segment is one of the study's segment scores
    (SCAR, "The basal inferior segment shows no uptake at all (score 4).", []),
    (SCAR, "The basal inferior segment shows reduced uptake (segment score 7).", ["G203"]),
    # a finding set against the ground of the risk ("because of A, not B") is denied as the ground, not as present
    (SCAR, "Her risk is high owing to the dilated, poorly contracting ventricle, not the small rim of ischemia.", []),
    (SCAR, "High risk; there is no ischemia.", ["G601"]),
    # LV function graded in plain words
    (FLOW, "Her heart's pumping action is normal.", []),
    (FLOW, "The heart pump is somewhat weakened.", ["G602"]),
    (SCAR, "The heart pumps well.", ["G602"]),
    # "+" between two words in shorthand joins two territories; grades after the finding are its grades
    (RB82, "LAD+RCA ischaemia, large/severe, SDS 21.", []),
    (RB82, "LAD+RCA ischaemia, small/mild, SDS 21.", ["G301", "G302"]),
    # "intermediate" for a high risk resting on ischemia that is moderate by amount (10-14.9%) and by intensity is a
    # reading; "low" stays an error, and so does "intermediate" where the defect is severe in intensity
    (LCX, "Moderate reversible LCx ischaemia, SDS 9, about 13% of the LV; intermediate risk.", []),
    (LCX, "Moderate reversible LCx ischaemia, SDS 9, about 13% of the LV; low risk.", ["G801"]),
    (RCA13, "Reversible RCA ischaemia, SDS 9; intermediate risk.", ["G801"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev17_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def _codes(text: str, study: Study, severity: str, scope: str = "impression") -> list[str]:
    flags = verify(text, study, scope=scope)  # type: ignore[arg-type]
    return sorted(f.code.value for f in flags if f.severity.value == severity)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an artery "not supplying enough blood" under stress is ischemia, so abnormal perfusion, in plain words
        ("The front and right arteries are not supplying enough blood when the heart is stressed. High risk.", []),
        ("The front and right arteries look fine. High risk.", ["G501", "G505"]),
    ],
)
def test_dev17_ischemia_in_plain_words(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert [c for c in _codes(text, study_of(RB82), "error") if c in ("G501", "G505")] == expected


def test_dev17_intermediate_risk_for_moderate_ischemia_is_shown(study_of: Callable[[str], Study]) -> None:
    text = "Moderate reversible LCx ischaemia, SDS 9; ischaemic ST depression. LVEF 62%. Intermediate risk."
    # (one warning for one disagreement: G801 shows the reading, G503 does not repeat it)
    assert [c for c in _codes(text, study_of(LCX), "warning") if c in ("G503", "G801")] == ["G801"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Scan normal, low risk; we have scheduled her for bypass surgery.", ["G411"]),
        ("Scan normal, low risk; we will talk about lifestyle.", []),
    ],
)
def test_dev17_a_booked_procedure_is_advice(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert [c for c in _codes(text, study_of(FLOW), "warning") if c == "G411"] == expected


def test_dev17_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: every correct impression free of error flags; the misses left are listed."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_dev17")
    assert (clean, flagged) == (22, [])
    assert corrupted == 70
    # left: a nondiagnostic ECG left unsaid beside the submaximal heart rate that explains it (the limitation the
    # impression owes is stated), and "not a revascularization target" turned round, which no fact of the study decides
    assert sorted(missed) == sorted([f"{SUBMAX}/a:omission", f"{SCAR}/d:negation"])
