"""False errors of the blind set dev8 (issue 15): each cause, checked on sentences written here in other words,
beside a wrong sentence the same reading must still flag.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# fixed RCA scar (segments 4, 5, 10, 11, 15: scores 4, 2, 3, 2, 2; 19% of the LV); the prior is a report of
# 2023-03-14 ("severe, medium, fixed" RCA defect, LVEF 40%); rules: moderate (predominant score), large (5 segments)
LBBB = "dev8_spect_lbbb_adenosine_fixed_inferior_scar_dominant_rca_stable_prior_report"
# stress-only normal study, CAC 38; the prior of 2022 is given as measurements with score-1 anterior segments only
BREAST = "dev8_spect_exercise_stress_only_normal_woman_breast_atten_prior_meas_cac38_duke_pos10"
# large severe reversible LAD defect; segment 12 (mid anterolateral, LCx) scores 1
DOBUT = "dev8_spect_dobutamine_atropine_bronchospasm_large_lad_ischemia_tid"
# LAD defect of scores 2, 2, 2, 2, 1 with two score-1 LCx segments; SSS 11 (moderately abnormal)
PET = "dev8_pet_rb82_regadenoson_lad_lcx_ischemia_low_mfr_tid_visual_cac"
# LAD ischemia that is worse than on its prior of October 2024
WORSE = "dev7_spect_exercise_lad_ischemia_worse_vs_prior_tid_duke_neg8"


def warnings(text: str, study: Study) -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope="full") if f.severity.value == "warning")


CASES = [
    # a prior report's grade words against the rules' grades of the same defect by another convention (severity
    # of its worst segments, extent by % of the LV): "unchanged" is a reading (a warning), not a contradiction
    (LBBB, "Appearances are stable compared with the March 2023 study.", []),
    (LBBB, "The inferior and inferolateral infarct is unchanged from 2023.", []),
    (WORSE, "Unchanged since October 2024.", ["G702"]),
    # "no interval change in the defect" denies the change, not the defect
    (LBBB, "Compared with 14 March 2023: no interval change in the fixed RCA defect.", []),
    (LBBB, "Without progression of the inferolateral infarct compared with 2023.", []),
    (LBBB, "No inferior scar.", ["G601", "G601"]),
    # a prior measured with score-1 segments: a reader may call them a small mild defect, in their walls only
    (BREAST, "The 2022 scan showed a faint anterior defect, which is not seen today.", []),
    (BREAST, "Compared with the 2022 study (small mild anterior defect), perfusion is now normal.", []),
    (BREAST, "The previously described inferolateral defect is no longer seen.", ["G702"]),
    # a denial after a placed defect is a claim of its own: the walls it lists are denied, not the defect's
    (LBBB, "Fixed inferior scar and no ischemia anywhere else, the anterior wall and septum included.", []),
    (LBBB, "Dense inferolateral infarct, while there is no reversible defect in any territory, LAD included.", []),
    (
        DOBUT,
        "Small fixed inferior defect, and no ischemia elsewhere, anterior wall included.",
        ["G202", "G601", "G601"],
    ),
    # a later clause that grades an amount of calcium is not denied by the negation of the clause before it
    (BREAST, "No ischaemic ST changes and mild coronary calcification (Agatston 38).", []),
    (BREAST, "Negative ECG, with just a small amount of coronary calcium in the LAD.", []),
    (BREAST, "No ST changes and no coronary calcium.", ["G601"]),
    # a wall of mildly reduced (score-1) segments next to the defect: a warning, not an error
    (DOBUT, "Severe reversible LAD ischemia extending slightly into the mid anterolateral wall.", []),
    (DOBUT, "Severe reversible LAD ischemia extending into the inferior wall.", ["G202"]),
    # a grade one segment holds is accepted only where the summed stress score grades the study so too
    (PET, "Mild anterior defect.", ["G301"]),
    (PET, "Moderate reversible anterior and apical defect.", []),
    # values joined by slashes belong to their label (or to each of the labels joined the same way), in the order
    # of a phase pair beside them; they are not a blood pressure
    (PET, "LVEF rest/stress 57/50%.", []),
    (PET, "LVEF 57/50% (rest/stress).", []),
    (LBBB, "SSS/SRS/SDS 13/13/0.", []),
    (LBBB, "EDV 165/160 mL.", []),
    (PET, "SDS 11/16%.", []),  # a score and its share of the LV: not two phases
    (PET, "LVEF rest/stress 57/40%.", ["G101"]),
    (PET, "LVEF stress/rest 57/50%.", ["G101", "G101"]),
    (LBBB, "SSS/SRS/SDS 13/13/4.", ["G104"]),
    (PET, "BP 150/80 at peak.", ["G108"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev8_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def test_grade_convention_comparison_is_still_shown(study_of: Callable[[str], Study]) -> None:
    assert warnings("Appearances are stable compared with the March 2023 study.", study_of(LBBB)) == ["G702"]


def test_score_one_wall_is_still_shown(study_of: Callable[[str], Study]) -> None:
    text = "Severe reversible LAD ischemia extending slightly into the mid anterolateral wall."
    assert warnings(text, study_of(DOBUT)) == ["G202"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fixed inferior scar without ischemia. The EF remains reduced, at 39%.", []),
        ("Fixed inferior scar without ischemia. Ejection fraction still 39%.", []),
        ("Fixed inferior scar without ischemia. LV function remains reduced.", []),
        ("Fixed inferior scar without ischemia.", ["G504"]),
    ],
)
def test_reduced_lvef_said_as_remaining(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert errors(text, study_of(LBBB), scope="impression") == expected
