"""Physician-written impressions of the blind set dev16 (round 12): each cause of a former false error or miss,
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

# Rb-82 dipyridamole PET: reversible LAD + LCx defects (SDS 13), global MFR 1.60, LVEF 58% rest -> 53% peak; prior
# 2024-09-10 normal
PET = "dev16_pet_rb82_dipyridamole_lad_lcx_ischemia_mfr16_neg_lvef_reserve"
# dobutamine SPECT after LAD PCI: apical anterior infarct with mild peri-infarct ischaemia, LVEF 40% (prior 36%),
# ESV 90 mL; prior 2025-02-11 large LAD defect
DOBUTAMINE = "dev16_spect_dobutamine_atropine_apical_anterior_infarct_periinfarct_ischemia_ef40_improved"
# Bruce 4:00, no ST change, no angina, baseline LVH with strain (the rules give no Duke score); normal perfusion
EXERCISE = "dev16_spect_exercise_normal_5mets_hypertensive_response_lvh_duke4"
# LBBB: septal reduction (dyssynchrony, same as 2023) and a new small LCx defect; SDS 6; prior 2023-06-20
LBBB = "dev16_spect_regadenoson_lbbb_septal_artifact_small_lcx_ischemia_prior2023"
# stress-only regadenoson SPECT, normal; CAC 220 (LAD 160, LCx 35, RCA 25)
STRESS_ONLY = "dev16_spect_regadenoson_stress_only_normal_ctac_cac220"

CASES = [
    # a Duke score the baseline ECG forbids: its inputs' arithmetic is a reading (warning), another value an error
    (EXERCISE, "Treadmill: 4 minutes of Bruce; DTS of +4 computed despite the strain pattern.", []),
    (EXERCISE, "Treadmill: 4 minutes of Bruce; DTS of -4.", ["G111"]),
    (EXERCISE, "Duke score 4 (intermediate band).", []),
    (EXERCISE, "Duke treadmill score +4, low risk.", ["G801"]),
    # the LBBB artifact said of the septum beside a defect elsewhere; said of the lateral wall it stays an error
    (LBBB, "The septal reduction is an LBBB artefact.", []),
    (LBBB, "The lateral wall reduction is an LBBB artefact.", ["G406"]),
    # "septal" names the anteroseptal region the rules compare with the prior
    (LBBB, "The septal reduction is no different from the 2023 study.", []),
    (LBBB, "The lateral defect is no different from the 2023 study.", ["G702"]),
    # a finding said absent on the prior is a finding new since (the prior had the anteroseptal reduction)
    (LBBB, "The anteroseptal defect was already there on the 2023 study.", []),
    (LBBB, "The anteroseptal defect was absent on the 2023 study.", ["G702"]),
    # a risk range with its second end after the first, and a grade set against another ("rather than")
    (LBBB, "Overall risk: low to intermediate.", []),
    # "low" alone: a lateral defect of 4.4 % of the LV with an LVEF of 52 % is low risk by the ACC-AHA-SIHD-2012
    # table (under 5 % of the myocardium), a reading the rules grade intermediate (a warning, risk28); "high" is wrong
    (LBBB, "Overall risk: low.", []),
    (LBBB, "Overall risk: high.", ["G801"]),
    (
        DOBUTAMINE,
        "LVEF 40% puts him in the intermediate, not to say high, category; intermediate rather than low risk.",
        [],
    ),
    (DOBUTAMINE, "He is at low rather than intermediate risk.", ["G801"]),
    # the study as a whole as the subject of a comparison, with the prior's description before it
    (DOBUTAMINE, "Against the 2025 scan, which had an LVEF of 36%, this study is better.", []),
    (DOBUTAMINE, "Against the 2025 scan, which had an LVEF of 36%, this study is unchanged.", ["G702"]),
    # a wall that "does not move" named then by its grade is the abnormality itself
    (DOBUTAMINE, "The apex does not move (akinetic).", []),
    (DOBUTAMINE, "Wall motion is normal.", ["G602"]),
    # a prior named after "vs" by a word, its modality and its date is the prior's verdict
    (PET, "Now abnormal, vs unremarkable PET 09/2024.", []),
    (PET, "Normal PET.", ["G602"]),
    # a registry key for the prior holds the prior's state
    (PET, "PRIOR=2024-09-10 normal; CHANGE=worse", []),
    (PET, "PRIOR=2024-09-10 abnormal, LCx ischemia; CHANGE=worse", ["G702", "G702", "G702"]),
    # the vessel named in plain words, then by its abbreviation, holds the most calcium
    (STRESS_ONLY, "Calcium is present, mainly in the big artery at the front, the LAD.", []),
    (STRESS_ONLY, "Calcium is present, mainly in the right-hand artery, the RCA.", ["G107"]),
    # chest pain said of "the medicine" is a stress symptom
    (STRESS_ONLY, "The medicine gave her some chest tightness.", ["G410"]),
    (STRESS_ONLY, "The medicine made her breathless.", []),
    # the protocol: rest images said of a stress-only study
    (STRESS_ONLY, "Normal stress-only regadenoson SPECT.", []),
    (STRESS_ONLY, "Normal one-day rest/stress regadenoson SPECT.", ["G604"]),
    (STRESS_ONLY, "normal scan she had stress only nausea no chest pain", []),
    # the plaque burden graded in a sentence on the calcium score is the calcium's grade (CAC-DRS-2018)
    (STRESS_ONLY, "A calcium score of 220 shows moderate coronary atherosclerosis.", []),
    (STRESS_ONLY, "A calcium score of 220 shows severe coronary atherosclerosis.", ["G301"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev16_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def _codes(text: str, study: Study, severity: str, scope: str = "impression") -> list[str]:
    flags = verify(text, study, scope=scope)  # type: ignore[arg-type]
    return sorted(f.code.value for f in flags if f.severity.value == severity)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the Duke score of the inputs and its band: shown as readings
        ("Duke +4 (intermediate risk).", ["G111", "G801"]),
        ("Bruce 4 min, Duke +4.", ["G111"]),
    ],
)
def test_dev16_duke_reading_is_a_warning(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert [c for c in _codes(text, study_of(EXERCISE), "warning", "full") if c in ("G111", "G801")] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ischemia of this study says perfusion is abnormal; a stated SDS above zero says there is ischemia
        ("Ischaemia in two territories, about a fifth of the LV. Global MFR 1.6. LVEF falls at peak. High risk.", []),
        ("Global MFR 1.6. LVEF falls at peak. High risk.", ["G501", "G505"]),
    ],
)
def test_dev16_what_says_abnormal_perfusion(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert [c for c in errors(text, study_of(PET), "impression") if c in ("G501", "G505")] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The lateral defect appeared since 2023; SDS 6 today. LVEF 52%. Intermediate risk.", []),
        ("The lateral defect appeared since 2023; SDS 0 today. LVEF 52%. Intermediate risk.", ["G501"]),
    ],
)
def test_dev16_sds_names_ischemia(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert [c for c in errors(text, study_of(LBBB), "impression") if c == "G501"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a fall of the LVEF in words of its own is the high-risk feature mentioned
        ("LAD and LCx ischaemia, SDS 13; the ejection fraction fails to rise with stress. MFR 1.6. High risk.", []),
        ("LAD and LCx ischaemia, SDS 13. MFR 1.6. High risk.", ["G506"]),
    ],
)
def test_dev16_lvef_drop_in_words(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert [c for c in _codes(text, study_of(PET), "warning") if c == "G506"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("His pumping function is slightly better at 40%.", []),
        ("His pumping function has improved a little, to 40%.", []),
    ],
)
def test_dev16_slight_lvef_change_is_a_reading(
    study_of: Callable[[str], Study], text: str, expected: list[str]
) -> None:
    assert errors(text, study_of(DOBUTAMINE)) == expected


def test_dev16_stent_advice_on_a_normal_study(study_of: Callable[[str], Study]) -> None:
    assert "G412" in _codes("Normal scan; she needs stenting of the LAD.", study_of(STRESS_ONLY), "warning")


def test_dev16_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: every correct impression free of error flags; the misses left are listed."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_dev16")
    assert (clean, flagged) == (23, [])
    assert corrupted == 69
    # left (README): a grade word the rules read as the ischemic amount (19% of the LV, severe by HACHAMOVITCH-2003),
    # a blood-pressure response graded "mildly elevated" and a calcium score the rules do not grade or owe, an
    # artifact reading denied (a reading either way), an attribution whose finding its clause does not name
    assert sorted(missed) == sorted(
        [
            f"{PET}/a:severity",
            f"{EXERCISE}/d:severity",
            f"{LBBB}/a:prior_attribution",
            f"{LBBB}/c:negation",
            f"{STRESS_ONLY}/d:omission",
        ]
    )
