"""Issue 15, round 19: polarity flips of the negation battery that the claim reader did not read.

The ECG's verdict written as a sign ("ECG -:", "EKG (+)") or as a diagnostic ST shift in a clause that names no
ECG; a bare "not" before a verb of an ECG event's course, as a non-native writer drops the auxiliary ("it not
disappear"); plain-language scar ("damaged muscle") and weak pumping ("pumps poorly"); a denial's scope ended by a
conclusion drawn with "so" and its finding ("no reversible component so ischaemia to treat") and by "and some".

Wordings written for these tests (not the battery's sentences), on the released physician studies; literal flag codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from reporter.domain.study import Study

# adenosine stopped early for transient Mobitz I block; small RCA ischaemia; no angina; non-ischaemic ECG
AV_BLOCK = "test18_spect_adenosine_stopped_av_block_small_rca_ischemia_ef60"
# regadenoson, severe RCA ischaemia, chest pressure during the infusion, 1 mm ischaemic ST depression
RCA_ANGINA = "dev18_spect_twoday_stress_first_severe_rca_ischemia_tid125_ef_drop_prior_lad_pci"
# Bruce exercise, normal perfusion, LVEF normal
NORMAL = "test18_spect_exercise_mibi_young_woman_normal_duke11_recovery_std"
# large fixed anteroapical scar, no ischaemia, LVEF 28%
SCAR = "test18_spect_regadenoson_anteroapical_scar_aneurysm_ef28_no_ischemia"


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        (AV_BLOCK, "Adenosine infusion; EKG (+).", ["G607"]),
        (AV_BLOCK, "Adenosine infusion; EKG (-).", []),
        (RCA_ANGINA, "Stress ECG -, typical chest pressure.", ["G607"]),
        (RCA_ANGINA, "Stress ECG +, typical chest pressure.", []),
        # the ECG named by its ST shift alone
        (AV_BLOCK, "The tracing developed a diagnostic ST change during the infusion.", ["G607"]),
        (AV_BLOCK, "No diagnostic ST change developed during the infusion.", []),
        (RCA_ANGINA, "No diagnostic ST change developed during the infusion.", ["G607"]),
        # not a sign: an ECG-gated acquisition, a verdict in words
        (AV_BLOCK, "ECG-gated images were acquired.", []),
    ],
)
def test_the_ecg_verdict_as_a_sign_or_a_diagnostic_st_shift(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("The infusion stopped for Wenckebach, which not resolve before the images.", ["G601"]),
        ("The infusion stopped for Wenckebach, which disappears within a minute.", []),
        ("The infusion stopped for Wenckebach, which resolved within a minute.", []),
    ],
)
def test_a_bare_not_before_the_course_of_an_ecg_event(
    text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(AV_BLOCK)) == codes


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        (NORMAL, "The scan shows an area of damaged muscle.", ["G403"]),
        (NORMAL, "There is no muscle damage.", []),
        (NORMAL, "Your heart is pumping poorly.", ["G602"]),
        (NORMAL, "Your heart is pumping well.", []),
        (SCAR, "The heart pumps weakly.", []),
    ],
)
def test_plain_language_scar_and_weak_pumping(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # a conclusion drawn with "so"/"therefore" and its finding is stated, not denied by the "no" before it
        (SCAR, "large apical defect with no redistribution therefore ischemia in the LAD territory", ["G402"]),
        (SCAR, "large apical defect with no redistribution therefore no ischemia in the LAD territory", []),
        (SCAR, "large apical defect with no redistribution so scar in the LAD territory", []),
        # "and some" opens an item of its own
        (NORMAL, "No blockage and some scarring of the heart wall.", ["G403"]),
        (NORMAL, "No blockage and no scarring of the heart wall.", []),
    ],
)
def test_a_denial_ends_before_a_conclusion_or_a_quantified_item(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


# inferior defect larger and more severe than on the prior, still fixed (scar), no significant ischaemia
FIXED_INFERIOR = "dev15_spect_regadenoson_twoday_large_inferior_scar_ef38_worse_prior_report"


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # a lead group that did not change is the ECG's verdict, not a comparison with a prior study
        (RCA_ANGINA, "Regadenoson given; the inferior leads stayed unchanged.", ["G607"]),
        (RCA_ANGINA, "Regadenoson given; the limb leads didn't change.", ["G607"]),
        (AV_BLOCK, "Adenosine given; the lateral leads didn't change.", []),
        # not where the text places an ST change in other leads: the group speaks for itself only
        (RCA_ANGINA, "1 mm ST depression in II, III and aVF; the precordial leads did not change.", []),
    ],
)
def test_a_lead_group_unchanged_is_the_ecg_verdict(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("There is a large inferior perfusion defect. This is now reversible.", ["G303"]),
        ("There is a large inferior perfusion defect. This remains fixed.", []),
        # two defects before the pronoun: which one it names is not said
        ("Large inferior defect and a small apical defect. It is reversible.", []),
    ],
)
def test_a_pronoun_gives_the_course_of_the_defect_before_it(
    text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(FIXED_INFERIOR)) == codes


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # a bare present verb that ends its clause: the fall of this study's LVEF after stress
        (NORMAL, "Gated images: the LVEF drops.", ["G409"]),
        (NORMAL, "Gated images: the LVEF does not drop.", []),
        (RCA_ANGINA, "Gated images: the EF doesn't drop.", ["G601"]),
        (RCA_ANGINA, "Gated images: the EF drops.", []),
    ],
)
def test_an_lvef_fall_said_with_a_bare_verb(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        (NORMAL, "Your scan shows evidence of a blocked artery.", ["G402"]),
        (NORMAL, "The scan found no evidence of a blocked artery.", []),
        (RCA_ANGINA, "The scan shows signs of a blockage in the right coronary artery.", []),
        # a blockage told as history, without its sign, is no conclusion of this study
        (NORMAL, "You had a blockage treated with a stent in 2019.", []),
    ],
)
def test_a_blockage_in_plain_words(stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]) -> None:
    assert errors(text, study_of(stem)) == codes
