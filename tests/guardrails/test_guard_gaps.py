"""False errors on correct statements, each a general mechanism, with the wrong statements still flagged:

1. a denial whose scope is the prior study ("... was absent on the 2023 study") does not deny the finding now;
2. an LVEF said lower at rest or lower than the prior's is a change against the prior, not a post-stress drop;
3. a bound on the ischemic myocardium (">20% of the LV") holds for any value on its side, not only at the cut-points;
4. a grade word after another measure's label ("lv_function: mildly reduced") is not the defect's; an adjacent
   grade of the ischemia that a defect's severity gives ("of moderate degree") is a reading (a warning);
5. a new finding listed after a comparison key is this study's; a sentence's comparison is read where its first word is;
6. "non-reversible" is fixed;
7. "the defect of <date> persists" says that defect is there now.

Wordings written for these tests.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

NEW_LCX_2023 = "dev16_spect_regadenoson_lbbb_septal_artifact_small_lcx_ischemia_prior2023"  # small LCx ischemia, mild
FIXED_LCX_STABLE = "test7_spect_lbbb_regadenoson_fixed_lcx_scar_ef38_stable_prior_report"  # prior had the LCx scar
EF36_PRIOR41 = "dev12_spect_adenosine_lad_scar_periinfarct_ischemia_ef36_prior_report"  # rest 38 %, prior 41 %
EF61_PRIOR52 = "dev14_spect_exercise_post_lad_pci_improved_prior_meas_duke_pos9"  # LVEF rose since May 2026
EF40_APICAL = "dev16_spect_dobutamine_atropine_apical_anterior_infarct_periinfarct_ischemia_ef40_improved"
INFERIOR_SCAR_NEW_LAD = "dev13_spect_dobutamine_atropine_inferior_scar_stable_new_lad_ischemia_prior_report"
FIXED_LAD = "test10_spect_regadenoson_large_fixed_lad_scar_ef31_worse_vs_prior_report"
LAD_RESOLVED = "dev4_spect_followup_prior_report_lad_resolved_new_rca"  # anterior defect of March 2024 resolved


def _codes(text: str, study: Study, severity: str) -> list[str]:
    return sorted(f.code.value for f in verify(text, study) if f.severity.value == severity)


@pytest.mark.parametrize(
    ("stem", "text"),
    [
        (NEW_LCX_2023, "The lateral defect was absent on the 2023 study."),
        (NEW_LCX_2023, "The lateral ischemia was not present on the June 2023 scan."),
        ("spect_followup_new_lateral_ischemia", "The lateral defect was not seen on the prior study."),
    ],
)
def test_a_denial_scoped_to_the_prior_study_does_not_deny_the_finding_now(
    stem: str, text: str, study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == []


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        (NEW_LCX_2023, "The lateral defect is absent.", ["G601"]),
        (NEW_LCX_2023, "The lateral defect is absent on the current study.", ["G601"]),
        (FIXED_LCX_STABLE, "The lateral defect was absent on the February 2023 study.", ["G702"]),
    ],
)
def test_a_denial_of_the_finding_now_or_of_the_prior_that_had_it_is_flagged(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    "text",
    [
        "Resting LVEF is 3 points lower (38 % vs 41 %).",
        "Rest LVEF is 3 points lower than in March 2024.",
        "The LVEF is 3 points lower than on the prior study.",
    ],
)
def test_an_lvef_lower_at_rest_or_than_the_prior_is_no_post_stress_drop(
    text: str, study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(EF36_PRIOR41)) == []


def test_a_post_stress_drop_and_a_wrong_direction_against_the_prior_are_still_flagged(
    study_of: Callable[[str], Study],
) -> None:
    assert errors("There is a drop in LVEF after stress.", study_of(EF36_PRIOR41)) == ["G409"]
    assert errors("Resting LVEF is 9 points lower than in May 2026.", study_of(EF61_PRIOR52)) == ["G702"]


@pytest.mark.parametrize(
    "text",
    [
        "Ischemia >20 % of the LV.",
        "Ischemia involving more than 20 % of the myocardium.",
        "Ischemia of at least 25 % of the LV.",
        "Ischemic burden over 30%.",
    ],
)
def test_a_bound_on_the_ischemic_myocardium_holds_for_any_value_on_its_side(text: str, multivessel: Study) -> None:
    assert errors(text, multivessel) == []  # 33.8 % of the LV


@pytest.mark.parametrize(
    "text",
    ["Ischemia <20 % of the LV.", "Ischemia of less than 30 % of the LV.", "Ischemia >40 % of the LV.",
     "Ischemia 20 % of the LV."],
)  # fmt: skip
def test_a_bound_on_the_wrong_side_or_a_wrong_value_is_flagged(text: str, multivessel: Study) -> None:
    assert errors(text, multivessel) == ["G105"]


def test_a_grade_after_another_measures_label_is_not_the_defects(study_of: Callable[[str], Study]) -> None:
    study = study_of(EF36_PRIOR41)
    assert errors("Large, severe, partially reversible anterior defect, lv_function: mildly reduced", study) == []
    assert errors("Large, mild, partially reversible anterior defect, lv_function: mildly reduced", study) == ["G301"]


def test_an_adjacent_ischemia_grade_a_defect_has_by_its_severity_is_a_reading(
    study_of: Callable[[str], Study],
) -> None:
    study = study_of(NEW_LCX_2023)  # 8.8 % of the LV (mild burden); the defects mild to moderate, reversible
    assert _codes("Ischaemia of moderate degree.", study, "error") == []
    assert _codes("Ischaemia of moderate degree.", study, "warning") == ["G301"]
    assert errors("Ischaemia of severe degree.", study) == ["G301"]
    assert errors("Ischaemia, moderate in extent.", study) == ["G301"]  # the amount, by name


@pytest.mark.parametrize(
    "text",
    [
        "COMPARISON: May 2023 study, fixed inferior defect unchanged, new LAD defect.",
        "Comparison: May 2023, new reversible LAD defect.",
        "COMPARISON: prior study of May 2023; stable inferior scar, new LAD defect.",
    ],
)
def test_a_new_finding_listed_after_a_comparison_key_is_this_studys(
    text: str, study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(INFERIOR_SCAR_NEW_LAD)) == []


@pytest.mark.parametrize(
    "text",
    [
        "COMPARISON: May 2023 study, fixed inferior defect new, new LAD defect.",
        "COMPARISON: May 2023 study, new inferior defect.",
    ],
)
def test_the_old_defect_called_new_after_a_comparison_key_is_flagged(
    text: str, study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(INFERIOR_SCAR_NEW_LAD)) == ["G702"]


def test_non_reversible_is_fixed(study_of: Callable[[str], Study]) -> None:
    study = study_of(FIXED_LAD)
    assert errors("A severe, non-reversible reduction in uptake in the anterior wall.", study) == []
    assert errors("A severe non-reversible anterior defect.", study) == []
    assert errors("A severe, reversible reduction in uptake in the anterior wall.", study) == ["G303", "G402"]


def test_a_dated_prior_defect_said_to_persist_must_be_there_now(study_of: Callable[[str], Study]) -> None:
    assert errors("The anterior defect of March 2024 persists.", study_of(LAD_RESOLVED)) == ["G702"]
    assert errors("The moderate reversible anterior defect of March 2024 persists.", study_of(LAD_RESOLVED)) == ["G702"]
    assert errors("The anterior defect of March 2024 has resolved.", study_of(LAD_RESOLVED)) == []
    assert errors("The fixed inferior defect of May 2023 persists.", study_of(INFERIOR_SCAR_NEW_LAD)) == []


SCAR_NO_PRIOR_ISCHEMIA = "dev5_spect_adenosine_lad_scar_periinfarct_prior"  # the prior's LAD defect was fixed


def test_again_of_a_mostly_fixed_defect_does_not_give_the_prior_its_reversible_component(
    study_of: Callable[[str], Study],
) -> None:
    study = study_of(SCAR_NO_PRIOR_ISCHEMIA)
    text = "Against May 2024, the large LAD-territory defect is again mostly fixed with a mild reversible component."
    assert errors(text, study) == []
    assert errors("Against May 2024, the anterior ischemia persists.", study) == ["G702"]
