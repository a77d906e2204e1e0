"""Physician-written impressions of the blind set dev18 (round 14): each cause of a former false error or miss,
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

# Rb-82 adenosine PET: large severe LAD scar (segments 1, 2, 8 at 2/1; 7 at 4/3; 13, 17 at 4/4; 14 at 3/2), partly
# reversible, SDS 5 = 7.4% of the LV (mild ischemia); LVEF 38/37%; LAD MFR 1.3; CAC 1800; no prior; high risk
SCAR = "dev18_pet_rb82_adenosine_lad_scar_periinfarct_ischemia_ef38_lad_mfr13_cac1800"
# dobutamine tetrofosmin in LBBB: small fixed apical defect (13 at 1/1, 17 at 2/2), no ischemia, LVEF 55%,
# unchanged against the prior of 2024-04-10
FIXED = "dev18_spect_dobutamine_lbbb_small_fixed_apical_defect_ef55_stable_prior"
# Bruce tetrofosmin: normal perfusion, LVEF 66%, frequent PVCs in recovery (no VT), Duke +6, low risk
NORMAL = "dev18_spect_exercise_tetrofosmin_bruce_normal_hypertensive_response_pvcs_duke6"
# regadenoson sestamibi in AF: moderate reversible LCx ischemia, SDS 10, LVEF 48%, new since a normal 2022 study
LCX = "dev18_spect_regadenoson_afib_lcx_moderate_ischemia_ef48_new_vs_2022"
# two-day stress-first sestamibi after an LAD stent: severe reversible RCA ischemia (segments 3, 4, 15 at 3/0, 9 at
# 2/0, 10 at 4/1), LVEF 60% at rest and 49% after stress, TID 1.25; the LAD territory normal; no prior imaging
RCA = "dev18_spect_twoday_stress_first_severe_rca_ischemia_tid125_ef_drop_prior_lad_pci"

CASES = [
    # "reduced or absent at rest" grades the uptake at rest (a fixed defect), not a defect gone at rest
    (SCAR, "The apex and apical anterior wall are severely reduced to absent at rest: infarction.", []),
    (SCAR, "The anterior defect normalizes at rest.", ["G303"]),
    # a grade beside segments named by level and wall is their grade, at stress or (said so) at rest
    (
        SCAR,
        "An anterior infarct; the basal anterior and basal anteroseptal segments show moderately reduced "
        "stress and mildly reduced rest counts.",
        [],
    ),
    (
        SCAR,
        "An anterior infarct; the basal anterior, mid anterior and apical septal segments show mildly reduced uptake.",
        ["G301"],
    ),
    # the grade said of the peri-infarct ischemia is the amount of that ischemia, not the scar's intensity
    (SCAR, "Large anterior infarct with peri-infarct ischemia (SDS 5) that is slight, mild at most.", []),
    (SCAR, "Large anterior infarct with peri-infarct ischemia (SDS 5) that is extensive and severe.", ["G301"]),
    # a bound on the LVEF holds where the measured LVEF lies beyond it
    (SCAR, "No defibrillator for now: LVEF over 35%.", []),
    (SCAR, "LVEF above 45%, so no defibrillator.", ["G111"]),
    # a denied reduction of blood supply "with stress" denies the stress-induced kind (ischemia) only
    (FIXED, "A small fixed apical patch; no reduced blood supply with stress.", []),
    (FIXED, "No reduced blood supply anywhere.", ["G601"]),
    # "nothing has changed" says unchanged
    (FIXED, "Nothing much has changed since the 2024 scan.", []),
    (FIXED, "Things have changed since the 2024 scan.", ["G702"]),
    # a comparison with a test named by its agent and date, or with "your last scan"
    (FIXED, "Better than the dobutamine SPECT of 10 April 2024.", ["G702"]),
    (RCA, "The stented area looks better than on your last scan.", ["G701"]),
    # the vessel of a stent names the patient's history, not the place of a defect; "the stented territory" does
    (RCA, "Severe reversible inferior ischaemia in a man with an old LAD stent.", []),
    (RCA, "Severe reversible inferior ischaemia, and ischaemia in the LAD stent territory too.", ["G201"]),
    # a range of grades at stress beside a residual grade at rest; walls graded "on stress" grade perfusion
    (
        RCA,
        "Inferior walls mildly to severely reduced on stress with slight residual reduction at rest, EF 60% at rest.",
        [],
    ),
    # ventricular tachycardia the stress data do not record; denied or as history it states nothing of this test
    (NORMAL, "Frequent PVCs in recovery with a brief salvo of ventricular tachycardia.", ["G409"]),
    (NORMAL, "Frequent PVCs in recovery, no ventricular tachycardia.", []),
    (NORMAL, "Referred with a history of VT; frequent PVCs in recovery.", []),
    (NORMAL, "Frequent PVCs in recovery; ventricular tachycardia did not occur.", []),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev18_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def _codes(text: str, study: Study, severity: str, scope: str = "impression") -> list[str]:
    flags = verify(text, study, scope=scope)  # type: ignore[arg-type]
    return sorted(f.code.value for f in flags if f.severity.value == severity)


def _numbers(text: str, study: Study) -> list[str]:
    return [text[f.span[0] : f.span[1]] for f in verify(text, study) if f.code.value == "G111" and f.span]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an annual event rate in parentheses after the risk of the outcome it is the rate of
        ("The chance of cardiac death or MI each year is thought to be low (<1%).", []),
        ("The chance of cardiac death or MI each year is thought to be low (<3%).", ["3%"]),
    ],
)
def test_dev18_event_rate_after_its_grade(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert _numbers(text, study_of(NORMAL)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # plain words: too little blood under stress is ischemia, and the scan is abnormal
        (
            "The lower wall of your heart gets far too little blood when the heart is stressed. We advise angiography.",
            [],
        ),
        ("The lower wall of your heart looks fine. We advise an angiogram.", ["G501", "G505"]),
    ],
)
def test_dev18_too_little_blood_is_ischemia(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert [c for c in _codes(text, study_of(RCA), "error") if c in ("G501", "G505")] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a reduction "at rest too" is fixed, also beside a stress reduction said with a denial of its own ("does
        # not get enough blood when stressed": the denial is the plain words' own, not of the stress)
        (
            "The side wall is short of blood when the heart is stressed, and does not get enough at rest either.",
            ["G303"],
        ),
        ("The side wall does not get enough blood when stressed, and not enough at rest either.", ["G303"]),
        ("The side wall does not get enough blood when stressed but is fine at rest.", []),
    ],
)
def test_dev18_less_blood_at_rest_too_is_fixed(
    study_of: Callable[[str], Study], text: str, expected: list[str]
) -> None:
    assert errors(text, study_of(LCX)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the days of the protocol as the value of its field
        ("PROTOCOL: same-day, rest first; regadenoson.", ["G604"]),
        ("PROTOCOL: two days, stress first; regadenoson.", []),
    ],
)
def test_dev18_protocol_field(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert errors(text, study_of(RCA)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an exaggerated blood-pressure response to exercise (peak 232 mmHg in a man) is owed by the impression
        ("Normal perfusion, low risk; exaggerated BP response to exercise.", []),
        ("Normal perfusion, low risk; blood pressure climbed to 232/104.", []),
        ("Normal perfusion, low risk.", ["hypertensive"]),
    ],
)
def test_dev18_hypertensive_response_is_owed(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    flags = verify(text, study_of(NORMAL), scope="impression")
    assert ["hypertensive" for f in flags if f.code.value == "G506" and "hypertensive" in f.message] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the fall of LVEF after stress and the transient dilation, in plain words
        (
            "Large reversible RCA defect. Your heart pumped less strongly after the stress and looked bigger after "
            "the stress. High risk.",
            [],
        ),
        ("Large reversible RCA defect. High risk.", ["post-stress LVEF drop"]),
    ],
)
def test_dev18_lvef_drop_in_plain_words(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    flags = verify(text, study_of(RCA), scope="impression")
    assert [f.evidence.split(" of ")[0] for f in flags if f.code.value == "G506" and "LVEF drop" in f.evidence] == (
        expected
    )


@pytest.mark.parametrize(
    ("stem", "text", "expected"),
    [
        # revascularization where the study has no ischemia and a normal LVEF is against the facts
        (FIXED, "Small fixed apical defect; she should have the LAD stented.", ["G412"]),
        (LCX, "Moderate LCx ischaemia; she should have the circumflex stented.", ["G411"]),
        (FIXED, "Small fixed apical defect; we recommend aspirin after her previous stent.", ["G411"]),
        # "... might be considered" proposes; CT coronary angiography is no invasive test
        (NORMAL, "Normal scan; CT coronary angiography could be considered.", ["G411"]),
        (NORMAL, "Normal scan; invasive angiography could be considered.", ["G412"]),
    ],
)
def test_dev18_advice(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    codes = _codes(text, study_of(stem), "warning", scope="full") + _codes(text, study_of(stem), "info", "full")
    assert [c for c in codes if c in ("G411", "G412")] == expected


def test_dev18_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: every correct impression free of error flags; the misses left are listed."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_dev18")
    assert (clean, flagged) == (20, [])
    assert corrupted == 68
    assert missed == []
