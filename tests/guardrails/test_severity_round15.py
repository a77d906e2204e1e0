"""Issue 15, round 15: a severity or extent word bound to the finding it grades, and checked.

A grade before a scar told with its age ("a small, old lateral infarct") grades a scar of this study, not the
patient's history; a reduction the writer reads as a normal variant ("a mild fixed apical reduction ... apical
thinning") is a possible defect whose grades the study still checks; a range of extents ("medium-to-large") names
each of its ends; the size of an area said before the defect's own words ("a large area of severe reversible
hypoperfusion") is the defect's extent (ASNC-REPORTING-2009: small, medium, large).

Wordings written for these tests, on the released physician studies; literal flag codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from reporter.domain.study import Study

# dobutamine; small-to-medium, mild, fixed lateral defect (LCx, segments 6, 12, 16); no ischaemia
SCAR = "test19_spect_dobutamine_atropine_bigeminy_lcx_stent_small_stable_lateral_scar_prior2024"
# adenosine; HCM; one mild fixed apical segment (equivocal); no ischaemia; LVEF 79 %
HCM = "dev19_spect_adenosine_hcm_asymmetric_septal_hypertrophy_no_ischemia_mild_fixed_apical_ef79"
# regadenoson; large, severe, fixed LAD defect (7 segments); LVEF 31 %
LAD_SCAR = "test10_spect_regadenoson_large_fixed_lad_scar_ef31_worse_vs_prior_report"
# exercise; large, severe, reversible LAD defect (7 segments, SSS 19)
LAD_ISCHEMIA = "test9_spect_exercise_large_lad_ischemia_tid_stunning_duke_neg16"


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("A small, old infarct of the lateral wall (LCx); no ischaemia.", []),
        ("A large, old infarct of the lateral wall (LCx); no ischaemia.", ["G302"]),
        ("Mild remote lateral scar, no ischaemia.", []),
        ("Severe remote lateral scar, no ischaemia.", ["G301"]),
        # a history of infarct, told without a grade, stays the patient's history
        ("Known old lateral MI. No ischaemia.", []),
        ("History of an old inferior infarct. Mild fixed lateral defect, no ischaemia.", []),
    ],
)
def test_a_graded_old_scar_is_a_finding_of_this_study(
    text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(SCAR)) == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Mild fixed apical reduction, which I read as apical thinning; no ischaemia.", []),
        ("Severe fixed apical reduction, which I read as apical thinning; no ischaemia.", ["G301"]),
        ("There is a small fixed apical reduction, a normal variant.", []),
        ("There is a large fixed apical reduction, a normal variant.", ["G302"]),
        ("Apical thinning, a normal variant. No ischaemia.", []),
    ],
)
def test_the_grades_of_a_finding_read_as_a_normal_variant_are_checked(
    text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(HCM)) == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Medium-to-large, severe, fixed anterior and apical defect.", []),
        ("A moderate to large fixed anterior defect.", []),
        ("Small-to-medium, severe, fixed anterior and apical defect.", ["G302"]),
    ],
)
def test_a_range_of_extents_names_both_its_ends(text: str, codes: list[str], study_of: Callable[[str], Study]) -> None:
    assert errors(text, study_of(LAD_SCAR)) == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("A large area of severe reversible hypoperfusion of the anterior wall and apex.", []),
        ("A small area of severe reversible hypoperfusion of the anterior wall and apex.", ["G302"]),
    ],
)
def test_the_size_of_an_area_of_hypoperfusion_is_the_defects_extent(
    text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(LAD_ISCHEMIA)) == codes


def test_a_small_area_of_ischaemia_beside_a_large_scar_grades_a_part(study_of: Callable[[str], Study]) -> None:
    text = "A large fixed anterior defect with a small area of peri-infarct ischaemia."
    assert errors(text, study_of(LAD_SCAR)) == []
