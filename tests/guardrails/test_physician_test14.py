"""Physician-written impressions of the released blind set test14 (round 13): each cause of a former false error or
miss, checked on sentences written here in other words, beside a sentence the same mechanism must still flag (or
leave alone); and the set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from guardrails import verify
from reporter.domain.study import Study

# Rb-82 PET, regadenoson, normal perfusion, MFR 2.6 (RCA 2.57), LVEF 62 -> 69 %, CAC 0; low risk
PET = "test14_pet_rb82_regadenoson_obese_woman_normal_mfr26_cac0"
# exercise tetrofosmin: large severe reversible LAD defect (worst segment 4), limiting chest pain, TID 1.28; high risk
EXERCISE = "test14_spect_exercise_tetrofosmin_prox_lad_ischemia_ste_v1v3_hypotension"
# dipyridamole after CABG: medium severe fixed inferior (RCA) scar, small new lateral (LCx) ischaemia; prior 2024
GRAFTS = "test14_spect_dipyridamole_post_cabg_inferior_scar_new_lateral_ischemia_ef48"
# dobutamine, normal perfusion; frequent PVCs and a 6-beat run of non-sustained VT
DOBUTAMINE = "test14_spect_dobutamine_copd_normal_perfusion_ef62_pvcs_nsvt"
# two-day adenosine sestamibi: fixed LAD and LCx defects (segments graded 2 to 4), SDS 2, LVEF 28 % (35 % in 2021)
CARDIOMYOPATHY = "test14_spect_adenosine_twoday_sestamibi_icm_ef28_fixed_lad_lcx_prior2021_ef35"

CASES = [
    # a stress test or modality the patient was not fit for is not the one done
    (PET, "Arthritis and her size made exercise and a SPECT scan impractical, so she had a rubidium PET.", []),
    (PET, "An exercise test was not feasible; regadenoson PET.", []),
    (PET, "She walked on a treadmill and had SPECT imaging.", ["G605", "G605", "G606"]),
    # the bar of a registry line ends a field: a grade or a change word belongs to its own field's finding
    (GRAFTS, "SCAR=RCA inferior, severe, fixed | ISCHEMIA=LCx lateral, moderate, reversible", []),
    (GRAFTS, "SCAR=RCA inferior, severe, reversible | ISCHEMIA=LCx lateral, moderate, reversible", ["G303"]),
    (GRAFTS, "PRIOR=inferior fixed defect | NOW=new lateral ischaemia", []),
    (GRAFTS, "PRIOR=lateral ischaemia | NOW=new inferior fixed defect", ["G702", "G702", "G702"]),
    # a comparison clause whose defects changed unlike each other is not judged by the LVEF of the next clause
    (CARDIOMYOPATHY, "Against 2021: perfusion much the same (fixed LAD and LCx), yet LVEF fell from 35% to 28%.", []),
    (CARDIOMYOPATHY, "Against 2021: the LAD defect has improved, yet LVEF fell from 35% to 28%.", ["G702"]),
    # a grade of segments holds where some segments of the defect have it
    (
        CARDIOMYOPATHY,
        "The anterior wall and apex show absent uptake, although SPECT can underrate viability in moderately "
        "reduced segments.",
        [],
    ),
    (
        CARDIOMYOPATHY,
        "The anterior wall and apex show absent uptake, although SPECT can underrate viability in mildly reduced "
        "segments.",
        ["G301"],
    ),
    # plain words: walls coordinated under one noun, "scarred", "short of blood", "loses its blood supply"
    (CARDIOMYOPATHY, "Most of the front and side walls are scarred. Pumping function 28%.", []),
    (CARDIOMYOPATHY, "Most of the bottom and side walls are scarred. Pumping function 28%.", ["G202"]),
    (EXERCISE, "A big area at the front and tip of the heart loses its blood supply during exercise.", []),
    (EXERCISE, "A big area at the bottom and side walls loses its blood supply during exercise.", ["G202", "G202"]),
    # a scar, then a reduction beside it that reverses: a defect that reverses in part
    (
        CARDIOMYOPATHY,
        "Most of the front and side walls are scarred, with only a sliver of muscle that runs short of blood under "
        "stress.",
        [],
    ),
    # a normal verdict denied
    (PET, "Her scan was normal.", []),
    (PET, "The scan is not normal.", ["G602"]),
    # the LVEF reserve graded with an aside between the grade and its noun
    (PET, "LVEF 62% at rest, 69% with stress: normal (positive) LVEF reserve.", []),
    (PET, "LVEF 62% at rest, 69% with stress: impaired (negative) LVEF reserve.", ["G409"]),
    # a scar's own grade, though a wall-motion abnormality follows in its clause
    (GRAFTS, "The inferior defect is a medium, severe scar with inferior akinesis.", []),
    (GRAFTS, "The inferior defect is a medium, mild scar with inferior akinesis.", ["G301"]),
    # the defect's worst grade by its label, inside parentheses
    (EXERCISE, "Large reversible LAD defect (maximum severity: severe, at the apex).", []),
    (EXERCISE, "Large reversible LAD defect (maximum severity: moderate, at the apex).", ["G301"]),
    # a risk level after the outcome it is the risk of
    (PET, "Her risk of a cardiac event over the next few years is low.", []),
    (PET, "Her risk of a cardiac event over the next few years is high.", ["G801"]),
    # a flow sentence's clause that grades the territories after the grade
    (PET, "Stress MBF 2.39 mL/min/g, MFR 2.6, normal; also normal in the LAD and RCA territories.", []),
    (PET, "Stress MBF 2.39 mL/min/g, MFR 2.6, normal; reduced in the LAD territory only.", ["G301"]),
    # what ended the test, where limiting angina did
    (EXERCISE, "He stopped the treadmill because of chest pain.", []),
    (EXERCISE, "He stopped the treadmill because of leg fatigue.", ["G410"]),
    # ventricular tachycardia sustained or not, and how often the ectopics came
    (DOBUTAMINE, "A short burst of VT, self-terminating, at the top dose.", []),
    (DOBUTAMINE, "Sustained VT needing cardioversion at the top dose.", ["G409"]),
    (DOBUTAMINE, "No sustained VT and no frequent ectopy.", []),
    (DOBUTAMINE, "Frequent ventricular ectopics during the infusion.", []),
    (DOBUTAMINE, "Occasional VPCs during the infusion.", ["G409"]),
    # an LVEF value, then a risk level after a comma: not a grade of the LVEF
    (DOBUTAMINE, "Normal dobutamine SPECT, EF 62%, low risk.", []),
    # a one-day protocol where the study took two days
    (CARDIOMYOPATHY, "Stress-first sestamibi over two days; adenosine.", []),
    (CARDIOMYOPATHY, "Same-day rest/stress sestamibi; adenosine.", ["G604"]),
    # coronary calcium in plain words
    (PET, "There was no calcium in the heart arteries.", []),
    (PET, "There was calcium in the heart arteries.", ["G409"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test14_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the LVEF a change reaches, and the kind of defect quoted where the comparison calls it unchanged, are
        # this study's
        ("Against 2021: perfusion unchanged (fixed LAD and LCx), yet LVEF fell from 35% to 28%. SDS 2. High risk.", []),
        ("Against 2021: perfusion unchanged, yet LVEF fell. SDS 2. High risk.", ["G502", "G504"]),
        # plain words name the scar, the ischaemia and so an abnormal perfusion
        (
            "The front and side walls are scarred, with a little muscle short of blood under stress. "
            "Pumping function 28%.",
            [],
        ),
        ("The front and side walls move poorly. Pumping function 28%.", ["G501", "G502", "G505"]),
    ],
)
def test_test14_missing_findings(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    codes = errors(text, study_of(CARDIOMYOPATHY), "impression")
    assert [c for c in codes if c in ("G501", "G502", "G504", "G505")] == expected


def test_test14_similar_over_defects_that_changed_unlike_is_a_warning(study_of: Callable[[str], Study]) -> None:
    flags = verify("Against 2021: perfusion unchanged (fixed LAD and LCx).", study_of(CARDIOMYOPATHY))
    assert [(f.code.value, f.severity.value) for f in flags if f.code.value == "G702"] == [("G702", "warning")]


def test_test14_revascularisation_for_minimal_ischaemia_is_against_the_facts(
    study_of: Callable[[str], Study],
) -> None:
    flags = verify("He should be referred for PCI to relieve the ischaemia.", study_of(CARDIOMYOPATHY))
    assert [(f.code.value, f.severity.value) for f in flags] == [("G412", "warning")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Normal dobutamine SPECT, low risk; a run of NSVT at peak dose.", []),
        (
            "Normal dobutamine SPECT, low risk.",
            ["The impression does not mention the ventricular tachycardia during stress."],
        ),
    ],
)
def test_test14_ventricular_tachycardia_left_out(
    study_of: Callable[[str], Study], text: str, expected: list[str]
) -> None:
    flags = verify(text, study_of(DOBUTAMINE), scope="impression")
    assert [f.message for f in flags if f.code.value == "G506"] == expected


def test_test14_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: every correct impression free of error flags, 67 of 69 corruptions found (the
    risk "for ischaemic events" since guard53: read without the arrhythmia that lets the table say high)."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_test14")
    assert (clean, flagged, corrupted) == (20, [], 69)
    assert missed == [
        "test14_spect_adenosine_twoday_sestamibi_icm_ef28_fixed_lad_lcx_prior2021_ef35/b:negation",
        "test14_spect_dobutamine_copd_normal_perfusion_ef62_pvcs_nsvt/a:omission",
    ]
