"""Recall sweep (recall54): corruptions the released physician sets still missed, fixed by mechanism.

- extent: the size of "an area of (old) scarring" is the scar's own (its claim's extent); "the affected area is
  small" grades the defect stated a few sentences back; of several defects of one territory, the walls a claim names
  pick the defect whose size it gives.
- the grade of a flow reserve set after "is <value>," ("global MFR is 2.0, severely reduced").
- a defect in plain words with an adverb ("is clearly short of blood").
- a denied normal verdict of the perfusion images ("the perfusion images do not look normal").
- a comparison against a prior named by several words ("than the dipyridamole sestamibi SPECT of 2025").
- a marked LVEF change against a prior whose LVEF the rules find unchanged ("much lower than last time").
- hiatal-hernia activity is an extracardiac artifact (its wall is checked).
- a vessel named with its calcium noun before a number ("heavy LAD burden (620)") binds the number to that vessel.

Studies (bench/data/physician_studies):
- test21 LAD scar: large, severe, fixed LAD defect (anterior, anteroseptal, apex); prior SPECT of 2025-01-20 with the
  same scar, LVEF 29 % then, 28 % now (unchanged).
- dev20 LAD+LCx: large reversible LAD and LCx defects (anterior, septal, lateral walls).
- test18 Tl-201 viability: large LAD defect (anterior, anteroseptal, septal) and a small fixed apical scar.
- test13 N-13 PET: normal perfusion, global MFR normal (2.0), RCA MFR reduced.
- test21 balanced low flow: relative perfusion probably normal.
- test17 dialysis: normal perfusion, subdiaphragmatic activity recorded beside the inferior wall.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from guardrails import verify
from guardrails.claims import read_claims
from reporter.domain.study import Study

SCAR = "test21_spect_adenosine_lad_scar_apical_aneurysm_ef28_unchanged"
TWO_TERRITORIES = "dev20_spect_exercise_lad_lcx_ischemia_tid_duke_high"
VIABILITY = "test18_tl201_rest_redistribution_viability_lad_hibernation_ef31"
FLOW = "test13_pet_n13_regadenoson_woman_dm_normal_perfusion_borderline_mfr_cac1210"
BALANCED = "test21_pet_n13_regadenoson_post_cabg_balanced_low_flow_mfr12_prior"
HERNIA = "test17_spect_regadenoson_dialysis_normal_enlarged_lv_ef50_hiatal_hernia_artifact"


def _errors(text: str, study: Study) -> set[str]:
    return {f.code.value for f in verify(text, study, scope="full") if f.severity.value == "error"}


# --- extent -----------------------------------------------------------------------------------------------------


def test_the_size_of_an_area_of_old_scarring_is_the_scar_s() -> None:
    (claim,) = read_claims("Imaging shows a small area of old scarring across the anterior wall and apex.").defects
    assert claim.extent is not None and claim.extent[0] == "small"
    (claim,) = read_claims("There is a medium region of healed infarction in the inferior wall.").defects
    assert claim.extent is not None and claim.extent[0] == "medium"


def test_an_area_of_scar_said_beside_ischemia_stays_ungraded_as_the_defect() -> None:
    # the scar is then a part of one partly reversible defect, its size not the defect's
    (claim,) = read_claims("A small area of scarring in the inferior wall with reversible ischemia around it.").defects
    assert claim.extent is None


def test_a_scar_area_called_small_against_a_large_scar_is_an_error(study_of: Callable[[str], Study]) -> None:
    study = study_of(SCAR)
    assert "G302" in _errors("Imaging shows a small area of old scarring across the anterior wall and apex.", study)
    assert _errors("Imaging shows a large area of old scarring across the anterior wall and apex.", study) == set()


def test_the_affected_area_grades_the_defect_stated_a_few_sentences_back(study_of: Callable[[str], Study]) -> None:
    study = study_of(TWO_TERRITORIES)
    opening = (
        "On the treadmill the front and side walls of the heart were short of blood, recovering at rest. "
        "Two arteries are probably narrowed. The ECG changed too. "
    )
    assert "G302" in _errors(opening + "Since the affected area is limited, we would start with medication.", study)
    assert "G302" not in _errors(opening + "As the region involved is extensive, we advise an angiogram.", study)


def test_a_pronoun_still_grades_only_the_sentence_right_before_it() -> None:
    text = "A reversible inferior defect is seen. The LVEF is 50%. The ECG is normal. It is small."
    assert [d.extent for d in read_claims(text).defects if d.extent] == []


def test_the_named_walls_pick_which_defect_of_a_territory_is_sized(study_of: Callable[[str], Study]) -> None:
    study = study_of(VIABILITY)
    assert "G302" in _errors("Small LAD defect of the anterior and anteroseptal walls, which redistributes.", study)
    assert "G302" not in _errors("Large LAD defect of the anterior and anteroseptal walls, which redistributes.", study)
    # the apex is the small scar of the same territory: its size is small
    assert "G302" not in _errors("Small fixed LAD defect at the apex.", study)


# --- flow reserve graded after its value ---------------------------------------------------------------------------


def test_a_grade_after_the_value_of_a_flow_reserve_is_read() -> None:
    claims = read_claims("Global MFR is 1.9, moderately reduced.")
    values = [s.value for s in claims.statements if s.concept == "mfr_grade"]
    assert values == ["global:moderately reduced"]


def test_a_global_reserve_called_severely_reduced_when_it_is_normal_is_an_error(
    study_of: Callable[[str], Study],
) -> None:
    study = study_of(FLOW)
    assert "G301" in _errors("Her global MFR is 2.0, severely reduced; the RCA reserve is reduced.", study)
    assert "G301" not in _errors("Her global MFR is 2.0, normal; the RCA reserve is reduced.", study)


# --- ischemia in plain words with an adverb -------------------------------------------------------------------------


def test_heart_muscle_clearly_short_of_blood_is_a_defect_and_its_denial_is_not(
    study_of: Callable[[str], Study],
) -> None:
    study = study_of(FLOW)
    said = "The scan found {} part of the heart muscle that is clearly short of blood under stress."
    assert {"G401", "G402"} <= _errors(said.format("a"), study)
    assert _errors(said.format("no"), study) == set()


# --- a normal verdict denied ----------------------------------------------------------------------------------------


def test_perfusion_images_that_do_not_look_normal_are_called_abnormal(study_of: Callable[[str], Study]) -> None:
    values = [
        (s.concept, s.value)
        for s in read_claims("The perfusion pictures do not look normal.").statements
        if s.concept == "perfusion_result"
    ]
    assert values == [("perfusion_result", "abnormal")]
    assert "G602" in _errors("The perfusion images do not look normal at all.", study_of(BALANCED))
    assert "G602" not in _errors("The perfusion images look close to normal.", study_of(BALANCED))


# --- comparisons ----------------------------------------------------------------------------------------------------


def test_a_comparative_against_a_prior_named_by_several_words_is_a_comparison(
    study_of: Callable[[str], Study],
) -> None:
    text = "Worse than the pharmacological sestamibi SPECT of January 2025."
    assert [s.value for s in read_claims(text).statements if s.concept == "comparison"] == ["changed"]
    assert "G702" in _errors(text, study_of(SCAR))


@pytest.mark.parametrize(
    "text",
    [
        "The pumping strength is 28%, far lower than on the scan in 2025.",
        "LVEF 28%, significantly worse than on the previous study.",
    ],
)
def test_a_marked_lvef_change_against_an_unchanged_prior_is_an_error(
    study_of: Callable[[str], Study], text: str
) -> None:
    assert "G702" in _errors(text, study_of(SCAR))


@pytest.mark.parametrize(
    "text",
    [
        "LVEF 28%, lower than on the previous study (29%).",
        "LVEF 28%, significantly reduced, as on the previous study.",
        "The LVEF is 28%, much the same as the prior.",
    ],
)
def test_an_unchanged_lvef_said_plainly_lower_or_graded_is_no_error(
    study_of: Callable[[str], Study], text: str
) -> None:
    assert "G702" not in _errors(text, study_of(SCAR))


# --- artifacts ------------------------------------------------------------------------------------------------------


def test_hiatal_hernia_activity_is_an_artifact_whose_wall_is_checked(study_of: Callable[[str], Study]) -> None:
    study = study_of(HERNIA)
    assert "G202" in _errors("Perfusion is normal despite hiatal hernia activity next to the anterior wall.", study)
    assert "G202" not in _errors("Perfusion is normal despite hiatal hernia activity next to the inferior wall.", study)


# --- a vessel's calcium named by its noun -------------------------------------------------------------------------


def test_a_vessel_burden_before_a_number_binds_it_as_that_vessel_s_calcium() -> None:
    (_, n) = read_claims("Agatston 1210, with a heavy LAD burden (620).").numbers
    assert (n.quantity, n.territory, n.value) == ("cac", "LAD", 620.0)


def test_the_wrong_vessel_for_a_calcium_burden_is_an_error(study_of: Callable[[str], Study]) -> None:
    study = study_of(FLOW)  # LAD 620, RCA 380
    assert "G107" in _errors("Agatston 1210, with a heavy RCA burden (620).", study)
    assert "G107" not in _errors("Agatston 1210, with a heavy LAD burden (620).", study)
    assert "G107" not in _errors("Agatston 1210; RCA load 380.", study)
