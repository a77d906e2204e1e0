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


# prior report: LAD ischemia, resolved now; a new moderate reversible RCA (inferior) defect
LAD_GONE_NEW_RCA = "dev4_spect_followup_prior_report_lad_resolved_new_rca"
# prior report: fixed inferior and inferolateral scar; a dominant RCA, so the rules place the defect in the RCA
INFERIOR_SCAR_DOMINANT_RCA = "dev8_spect_lbbb_adenosine_fixed_inferior_scar_dominant_rca_stable_prior_report"


@pytest.mark.parametrize(
    "text",
    [
        # a gone finding whose noun carries its place and the study that showed it after it, in a letter's words
        "The blockage at the front of the heart described previously no longer appears, but a new area of reduced "
        "blood flow has turned up on the underside of the heart.",
        "The narrowing in the front wall reported on the 2024 scan no longer shows, but the underside of the heart "
        "now has a new area of reduced blood flow.",
        "The area of reduced blood supply at the front of the heart noted on the previous scan has gone, but there "
        "is new reduced blood supply on stress in the lower wall.",
    ],
)
def test_a_gone_finding_dated_after_its_noun_is_the_priors(text: str, study_of: Callable[[str], Study]) -> None:
    # read as this study's, its front wall joined the new inferior defect of the sentence (G202)
    assert errors(text, study_of(LAD_GONE_NEW_RCA)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the finding said gone is here now, or the new one is put where the prior had its defect
        (
            "The blockage at the front of the heart described previously still appears, but a new area of reduced "
            "blood flow has turned up on the underside of the heart.",
            ["G202"],
        ),
        (
            "The inferior defect noted in March 2024 is no longer seen, but a new reversible anterior defect has "
            "appeared.",
            ["G202", "G702"],
        ),
    ],
)
def test_a_dated_finding_still_checked_where_it_is_wrong(
    text: str, expected: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(LAD_GONE_NEW_RCA)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The area of reduced blood supply in the lower wall, which was mild last year, is now severe.",
        "The patch of poorer blood supply in the lower wall, which had been small at that time, is now much bigger.",
        "The defect in the bottom of the heart, which was only mild in November 2024, has grown.",
        "The inferior defect, which was small on the previous scan, is now large and severe.",
    ],
)
def test_a_past_tense_relative_clause_dated_to_the_prior_grades_the_prior(
    text: str, study_of: Callable[[str], Study]
) -> None:
    # the prior's mild RCA ischemia (SDS 4) is now large and severe: "which was mild last year" is the prior's grade
    assert errors(text, study_of(RCA_WORSE)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # in the present tense the relative clause grades this study's defect
        ("The inferior defect, which is small, is larger than on the previous scan.", ["G302"]),
        ("The inferior defect, which is mild, has grown since the previous scan.", ["G301"]),
        # the prior's grade read as the prior's, the change still checked
        ("The inferior defect, which was small on the previous scan, is now smaller.", ["G702"]),
    ],
)
def test_a_relative_clause_on_this_study_still_grades_it(
    text: str, expected: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(RCA_WORSE)) == expected


def test_a_scar_said_gone_is_found_in_the_walls_of_a_dominant_rca(study_of: Callable[[str], Study]) -> None:
    # the rules place the inferior and inferolateral scar in the RCA (dominant); the text's inferolateral wall
    # names the LCx: the scar is here now in both territories the text names
    study = study_of(INFERIOR_SCAR_DOMINANT_RCA)
    assert errors("The inferior and inferolateral scar seen on the prior scan has vanished.", study) == ["G702"]
    assert errors("The scar in the inferior and inferolateral walls described in 2023 has now resolved.", study) == [
        "G702"
    ]
    assert errors("The inferior and inferolateral scar seen on the prior scan persists.", study) == []
    assert errors("The scar in the inferior and inferolateral walls described in 2023 is again seen.", study) == []


def test_a_relative_clause_placing_the_finding_on_the_prior_too_is_still_checked(
    study_of: Callable[[str], Study],
) -> None:
    # "already", "also": there then and now, the comparison's claim (not the prior's words alone); the prior's defect
    # was anterior, the inferior ischemia is new
    study = study_of(LAD_GONE_NEW_RCA)
    assert errors("The inferior ischaemia, which was already present in March 2024, is moderate.", study) == [
        "G702",
        "G702",
    ]
    assert errors("The inferior ischaemia, which was also there on the prior scan, is moderate.", study) == ["G702"]


@pytest.mark.parametrize(
    "text",
    [
        "The lateral ischaemia, which was not evident on the previous scan, is moderate.",
        "The lateral ischaemia, which was never seen on the 2024 scan, is moderate and reversible.",
        "The reversible lateral defect, which was not present in August 2024, is of moderate size.",
    ],
)
def test_a_finding_denied_on_the_prior_in_its_relative_clause_is_this_studys(
    text: str, study_of: Callable[[str], Study]
) -> None:
    # the prior was normal; "which was not evident on the previous scan" says the finding is new (read as the prior's
    # finding it was G702 twice: a lateral defect and ischemia on a normal prior)
    assert errors(text, study_of(NEW_LATERAL)) == []


def test_a_finding_denied_on_the_prior_is_still_checked_against_this_study(study_of: Callable[[str], Study]) -> None:
    study = study_of(NEW_LATERAL)
    assert errors("The lateral scar, which was not evident on the previous scan, is moderate.", study) == ["G403"]
    assert errors("The lateral ischaemia, which was already evident on the previous scan, is moderate.", study) == [
        "G702",
        "G702",
        "G702",
    ]
