"""Physician-written impressions of the blind development set dev24 (round 20): each cause of a missed corruption,
checked on sentences written here in other words (read as sentences, not whole impressions), beside a correct
sentence the same mechanism must leave alone.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); advice and the
limitation an impression must state are checked by their warning codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# regadenoson Tl-201, 4 h redistribution: large severe fixed inferior/inferoseptal (RCA) scar, mild peri-infarct
# inferolateral reversibility, LVEF 42 %; no prior
TL = "dev24_spect_tl201_regadenoson_inferior_scar_periinfarct_ischemia_ef42"
# regadenoson N-13 ammonia PET: mild small defects, MFR 1.6 in every territory, TID 1.25, LVEF 60 -> 52 %; high risk
PET = "dev24_pet_n13_regadenoson_balanced_three_vessel_low_mfr_tid125_ef_drop"
# Bruce on metoprolol, 75 % MPHR (submaximal), normal perfusion, Duke +7
EX = "dev24_spect_exercise_betablocker_submaximal_75pct_normal_perfusion"
# dobutamine-atropine: moderate reversible LAD defect (11.8 %), NSVT, 1 mm ST depression V3-V5; high risk
DOB = "dev24_spect_dobutamine_atropine_copd_lad_ischemia_nsvt"
# regadenoson vs 2024: new moderate reversible lateral (LCx) defect, unchanged fixed inferior one, LVEF 55 -> 46 %,
# TID 1.06; intermediate risk, worse than the prior
FU = "dev24_spect_regadenoson_new_lateral_ischemia_ef46_worse_vs_2024"

CASES = [
    # an old scar the sentence infers from the images' fixed reading is this study's scar: its territory is checked
    (TL, "Severe fixed inferior defect, consistent with an old LAD infarct.", ["G201"]),
    (TL, "Large severe inferior defect, non-reversible -> remote inferior infarction (LAD territory).", ["G201"]),
    (TL, "Severe fixed inferior defect, consistent with an old RCA infarct.", []),
    # a reversal timed by the delay of the late images is a reversal
    (TL, "The inferior and inferoseptal defect fills in at 4 h.", ["G303"]),
    (TL, "The inferior and inferoseptal defect does not fill in at 4 h.", []),
    # the grades of a defect's segments in parentheses right after it are the defect's grades
    (FU, "Lateral defect (basal lateral severe; mid lateral moderate), reversible.", ["G301"]),
    (FU, "Lateral defect (basal and mid lateral moderate), reversible.", []),
    # the risk asked as a question and answered by the next sentence
    (DOB, "What is the overall risk? Low, in my view.", ["G801"]),
    (DOB, "What is the overall risk? High, in my view.", []),
    # an ST shift said in the direction the study does not record; a reciprocal or denied elevation is not one
    (DOB, "1 mm horizontal ST-segment elevation in V3-V5 at peak dobutamine.", ["G607"]),
    (DOB, "1 mm horizontal ST depression in V3-V5 with ST elevation in aVR.", []),
    (DOB, "1 mm horizontal ST depression in V3-V5; no ST elevation.", []),
    # transient dilation in lay words, stated or denied
    (FU, "The left ventricle got bigger under stress.", ["G404"]),
    (FU, "There is no sign that the heart dilates under stress.", []),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev24_recall_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def _warnings(text: str, study: Study, scope: str = "full") -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope=scope) if f.severity.value == "warning")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("stem", "advised", "expected"),
    [
        # standing down at high risk: an invasive test said not needed, a discharge to primary care
        (PET, "No cardiac catheterisation is required; discharge back to his GP.", ["G412", "G412"]),
        (PET, "Invasive angiography is recommended.", []),
        # ... or where the study is worse than its prior and the risk is not low
        (FU, "No further testing is required at present.", ["G412"]),
        (FU, "Coronary angiography is recommended.", ["G411"]),
    ],
)  # fmt: skip
def test_dev24_standing_down_against_the_facts(
    study_of: Callable[[str], Study], stem: str, advised: str, expected: list[str]
) -> None:
    assert _warnings(advised, study_of(stem)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the submaximal stress said in lay words: a share of the target in words, a test less able to find disease
        ("Your heart only got to two-thirds of its expected maximum. The scan pictures were normal.", []),
        ("The pictures were normal, but the test was less likely to detect a narrowing today.", []),
        ("The scan pictures were normal.", ["G509"]),
    ],
)  # fmt: skip
def test_dev24_submaximal_stress_in_lay_words(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert [c for c in _warnings(text, study_of(EX), "impression") if c == "G509"] == expected
