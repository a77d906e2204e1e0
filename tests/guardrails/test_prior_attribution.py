"""What a comparison says of the prior study and of this one (issue 15, prior attribution): each mechanism on
wordings written here, not the battery's (bench/prior_attribution_battery.py) nor the blind sets': the wrong
sentence flagged with its literal codes, the correct one clean.

``errors``: the sorted error-severity codes of a sentence verified alone (scope "full").
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# prior report: severe fixed LAD defect; now the same fixed LAD defect (unchanged), no ischemia
LAD_SCAR_STABLE = "dev9_spect_lbbb_regadenoson_lad_fixed_scar_unchanged_prior_report"
# prior normal (08/2024); now new moderate reversible LCx defect
NEW_LATERAL = "spect_followup_new_lateral_ischemia"
# prior report: severe fixed LCx defect; now partially reversible (peri-infarct ischemia)
LCX_PERI_INFARCT = "dev6_spect_lbbb_regadenoson_lcx_scar_periinfarct_prior_report"
# prior report: severe reversible RCA defect (no scar); now normal
RCA_RESOLVED = "test_pet_rb82_followup_improved_after_rca_pci"
# prior measurements: LAD ischemia, SDS 9; now normal
LAD_RESOLVED = "dev6_spect_exercise_carvedilol_submax_lad_resolved_prior_meas"
# prior report: mild fixed RCA defect; now new LAD ischemia
NEW_LAD = "test8_spect_lbbb_regadenoson_new_lad_ischemia_prior_report"
# prior measurements: LCx and RCA defects with ischemia; now the LCx ischemia resolved, the inferior scar unchanged
LCX_GONE_SCAR_STAYS = "test4_spect_followup_lcx_resolved_inferior_scar"
# prior measurements: LCx ischemia, SDS 9; now normal after PCI
LCX_RESOLVED = "test9_spect_lbbb_regadenoson_lcx_ischemia_resolved_after_pci_prior_meas"
# prior measurements: mild RCA ischemia (SDS 4); now severe (SDS 14), ischemia increased
RCA_WORSE = "dev_spect_followup_worse_rca_exercise"
# prior measurements: LAD scar; now the same scar with peri-infarct ischemia, LVEF 38% -> 31% (decreased)
LAD_SCAR_EF_DOWN = "dev5_spect_adenosine_lad_scar_periinfarct_prior"


@pytest.mark.parametrize(
    ("stem", "wrong", "right"),
    [
        # a finding that persists called new, or gone
        (
            LAD_SCAR_STABLE,
            "The anterior and apical infarct, compared with 2023, is new.",
            "The anterior and apical infarct is unchanged from 2023.",
        ),
        (
            LAD_SCAR_STABLE,
            "Against September 2023 the LAD infarct has disappeared.",
            "Against September 2023 the LAD infarct looks identical.",
        ),
        (
            LCX_GONE_SCAR_STAYS,
            "The inferior infarct, seen in February 2025, has gone.",
            "The lateral ischaemia seen in February 2025 has gone.",
        ),
        # a new finding said to be there on the prior (a normal prior)
        (
            NEW_LATERAL,
            "Lateral wall ischaemia, already there on the August 2024 scan.",
            "Lateral wall ischaemia, not there on the August 2024 scan.",
        ),
        # the prior's grade: reversible where its report said fixed, scar where it showed ischemia only
        (
            LCX_PERI_INFARCT,
            "Compared with the 2023 report, when the lateral infarct was reversible, there is now peri-infarct "
            "ischaemia.",
            "Compared with the 2023 report, when the lateral infarct was fixed, there is now peri-infarct ischaemia.",
        ),
        (
            RCA_RESOLVED,
            "The inferior scar described on the November 2025 PET is no longer seen.",
            "The inferior ischaemia described on the November 2025 PET is no longer seen.",
        ),
        # the prior's territory, in a clause on the prior that says it cleared, or in a relative clause on the prior
        (
            LAD_RESOLVED,
            "The lateral ischaemia documented in February 2025 has cleared.",
            "The apical ischaemia documented in February 2025 has cleared.",
        ),
        (
            NEW_LAD,
            "Unlike the 2023 scan, which showed an anterior infarct, there is now LAD ischaemia.",
            "Unlike the 2023 scan, which showed an inferior infarct, there is now LAD ischaemia.",
        ),
        # a change of size against the rules' (arrows; a denied increase); an LVEF called higher where it fell
        (RCA_WORSE, "Inferior ischaemia ↓ since 11/2024.", "Inferior ischaemia ↑ since 11/2024."),
        (
            RCA_WORSE,
            "The inferior ischaemia is not larger than in 2024.",
            "The inferior ischaemia is larger than in 2024.",
        ),
        (
            LAD_SCAR_EF_DOWN,
            "Compared with May 2024 there is a higher LVEF.",
            "Compared with May 2024 there is a lower LVEF.",
        ),
    ],
)
def test_what_is_said_of_the_prior_and_of_this_study(
    stem: str, wrong: str, right: str, study_of: Callable[[str], Study]
) -> None:
    study = study_of(stem)
    assert errors(wrong, study) == ["G702"]
    assert errors(right, study) == []


def test_a_finding_gone_since_the_prior_is_not_stated_of_this_study(study_of: Callable[[str], Study]) -> None:
    # "has, reassuringly, not returned": the circumflex ischemia "of March 2025" was the prior's (read as this
    # study's it was G201 and G402); "returned" says it is here again, where the rules find it resolved
    study = study_of(LCX_RESOLVED)
    assert errors("The circumflex ischaemia of March 2025 has, reassuringly, not returned.", study) == []
    assert errors("The circumflex ischaemia of March 2025 has, reassuringly, returned.", study) == ["G702"]


def test_after_the_colon_of_a_dated_comparison_new_is_this_study(study_of: Callable[[str], Study]) -> None:
    study = study_of(NEW_LATERAL)
    assert errors("Compared with 08/2024: new lateral ischaemia in the LCx territory.", study) == []
    assert errors("Compared with 08/2024: unchanged lateral ischaemia in the LCx territory.", study) == [
        "G702",
        "G702",
        "G702",
        "G702",
    ]


def test_the_value_before_an_arrow_after_a_comparison_lead_is_the_priors(study_of: Callable[[str], Study]) -> None:
    study = study_of(RCA_RESOLVED)  # prior LVEF 52%, now 64% at peak
    assert errors("vs 11/2025: inferior ischaemia resolved. EF 52 -> 64%.", study) == []
    assert errors("vs 11/2025: inferior ischaemia resolved. EF 45 -> 64%.", study) == ["G101"]


def test_one_flag_where_another_check_already_flags_the_sentence(study_of: Callable[[str], Study]) -> None:
    # the LAD defect resolved: "still present" is G201 (no LAD defect now); the clause check adds no second flag
    study = study_of("dev4_spect_followup_prior_report_lad_resolved_new_rca")
    flags = verify("Small reversible inferior defect; the prior LAD ischemia is still present.", study)
    assert [(f.code.value, f.check) for f in flags if f.severity.value == "error"] == [
        ("G201", "guardrails.location.v1")
    ]


def test_as_before_of_a_defect_resolved_at_the_threshold_is_a_reading(study_of: Callable[[str], Study]) -> None:
    # the prior's mild fixed inferior defect: the rules call it resolved, score-1 segments remain there
    study = study_of(NEW_LAD)
    flags = verify("Compared with June 2023, the small mild fixed inferior defect persists.", study)
    assert [(f.code.value, f.severity.value) for f in flags] == [("G702", "warning")]
