"""Physician-written impressions of the blind set dev4 (issue 15): each mechanism of a former false error,
checked on sentences written here in other words than the set's, so that the mechanism and not the phrase
is what passes.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# 3 segments (4, 10, 15) at SSS 5 (7.4% of the LV): medium by segment count, small by % of the LV
FOLLOWUP = "dev4_spect_followup_prior_report_lad_resolved_new_rca"
# 5 segments at SSS 12 (17.6%): large by segment count, medium by %; rest Tl-201 without gating
DUAL = "dev4_spect_dual_isotope_exercise_rca_ischemia"
# N-13 PET, LAD ischemia, regional flow LAD 0.96/1.06 (MFR 1.10), LCx 0.93/2.42 (2.60), RCA 0.95/2.30 (2.42)
PET = "dev4_pet_n13_regadenoson_lad_ischemia_flow"
# exercise, normal perfusion, Duke +6.5
NORMAL = "dev4_spect_normal_submaximal_beta_blocker_atten"
# large fixed inferior scar
SCAR = "dev4_spect_adenosine_inferior_scar_low_ef"
# other sets' studies: new LAD + LCx ischemia and a small fixed inferior scar after CABG (prior 2023-09-14);
# a large LAD scar with mild peri-infarct ischemia
POST_CABG = "test_spect_post_cabg_worse_lcx_lad_ischemia_tid"
LAD_SCAR = "test_spect_lad_scar_peri_infarct_low_ef"


CASES = [
    # extent: by segment count or by % of the LV (ASNC-SPECT-2018 gives both); a word neither gives is wrong
    (FOLLOWUP, "A small inferior reversible defect in the RCA territory.", []),
    (FOLLOWUP, "Medium-sized reversible defect of the inferior wall.", []),
    (FOLLOWUP, "A large reversible inferior defect.", ["G302"]),
    (DUAL, "Large reversible inferior and inferoseptal defect (RCA).", []),
    (DUAL, "A defect of medium extent, reversible, in the inferior wall.", []),
    (DUAL, "A small reversible inferior defect.", ["G302"]),
    (SCAR, "A large fixed inferior defect.", []),
    (SCAR, "Small fixed inferior defect.", ["G302"]),
    # a range of grades written with a dash, slash or abbreviation is one concept
    (FOLLOWUP, "Inferior ischemia (RCA), mild/moderate in intensity.", []),
    (FOLLOWUP, "Reversible inferior defect, mild - mod.", []),
    (FOLLOWUP, "Reversible inferior defect, severe.", ["G301"]),
    # a risk category judged and denied in one clause
    (FOLLOWUP, "The inferior ischemia does not, by itself, place the patient in a high-risk group.", []),
    (FOLLOWUP, "This is not considered high risk given its limited extent.", []),
    (FOLLOWUP, "Its extent places the patient in a high-risk group.", ["G801"]),
    (PET, "These findings are not reassuring and place the patient at high risk.", []),
    (FOLLOWUP, "These findings are not reassuring and place the patient at high risk.", ["G801"]),
    # a denial of ischemia that names a place denies it there only
    (FOLLOWUP, "No residual ischemia in the anterior wall after LAD stenting.", []),
    (FOLLOWUP, "The LAD territory ischaemia seen in 2024 has resolved.", []),
    (FOLLOWUP, "LAD territory: no residual ischaemia.", []),
    (FOLLOWUP, "RCA territory: no ischaemia.", ["G601", "G601"]),
    (FOLLOWUP, "No ischemia in the inferior wall.", ["G601", "G601"]),
    (FOLLOWUP, "No ischemia.", ["G601"]),
    # a comparison section quotes either study's value
    (FOLLOWUP, "Comparison: SPECT of 03/2024, reversible LAD defect; ejection fraction 58%.", []),
    (FOLLOWUP, "Comparison: SPECT of 03/2024, reversible LAD defect; ejection fraction 48%.", ["G101"]),
    # regional flow values keep the territory of their sentence; a flow value is not the reserve
    (PET, "Reduced LAD flow (stress 1.06 mL/min/g; reserve 1.10), normal elsewhere.", []),
    (PET, "In the LAD territory (hyperemic flow 1.06 mL/min/g; MFR 1.10) flow is severely reduced.", []),
    (PET, "In the LAD territory (hyperemic flow 1.06 mL/min/g; MFR 1.60) flow is reduced.", ["G106"]),
    (PET, "The LAD shows a regional flow reserve of 1.10.", []),
    (PET, "The LAD shows a regional MFR of 1.60.", ["G106"]),
    (PET, "Stress flow 1.06 mL/min/g in the LAD; the LCx and RCA territories are normal at 2.60 and 2.42.", []),
    (PET, "Stress flow 1.06 mL/min/g in the LAD; the LCx and RCA territories are normal at 2.90 and 2.42.", ["G111"]),
    # a verdict on the rest images is compared with the rest images
    (PET, "Perfusion at rest is normal, so no infarct.", []),
    (PET, "Normal resting perfusion.", []),
    (SCAR, "Rest perfusion is normal.", ["G602"]),
    # a sign in words (the flag shows it: "minus 6.5")
    (DUAL, "Duke treadmill score of minus 4.5 (intermediate).", []),
    (DUAL, "DTS plus 4.5.", ["G109"]),
    (NORMAL, "Duke score minus 6.5.", ["G109"]),
    (NORMAL, "Duke score +6.5, low risk.", []),
    # a risk word joined by a hyphen, a Duke score named after it as a ground, a negation before a comma
    (SCAR, "These findings mark a high-risk patient because of LV dysfunction.", []),
    (SCAR, "These findings mark a low-risk patient.", ["G801"]),
    (NORMAL, "Overall risk: high, by perfusion and Duke.", ["G801"]),
    (NORMAL, "Overall risk: low, by perfusion and Duke.", []),
    (SCAR, "No TID, the findings indicating a high-risk patient.", []),
    # a relative clause about the prior ends where the main clause begins
    (
        FOLLOWUP,
        "Compared with the prior SPECT, which showed an anterior defect, the anterior ischemia is unchanged.",
        ["G202", "G702"],
    ),
    (
        FOLLOWUP,
        "Compared with the prior SPECT, which showed an anterior LAD defect, there is now inferior ischemia.",
        [],
    ),
    # the prior's defect named in a sentence that denies it today is checked against the prior
    (FOLLOWUP, "The previously seen anterior ischemia has gone.", []),
    (FOLLOWUP, "The previously seen lateral ischaemia is no longer present.", ["G702"]),
    # a grade right after a flow-reserve value is the grade of whose value it is
    (PET, "Global MFR of 1.87, reduced.", []),
    (PET, "Flow reserve 1.87 (normal).", ["G301"]),
    (PET, "Circumflex MFR 2.60 (normal), LAD MFR 1.10 (severely reduced).", []),
    (PET, "LAD reserve: MFR 1.10 (normal).", ["G301"]),
    # a finding named without a value is stated
    (FOLLOWUP, "Normal wall motion, with TID.", ["G404"]),
    (FOLLOWUP, "Normal wall motion, with TID 1.02.", []),
    # a tracer named with its phase is that phase's tracer (dual isotope: rest Tl-201, stress sestamibi)
    (DUAL, "Rest thallium and stress sestamibi images.", []),
    (DUAL, "Sestamibi at stress, thallium-201 at rest.", []),
    (DUAL, "Stress thallium images.", ["G604"]),
    (DUAL, "Rest sestamibi, stress thallium-201.", ["G604", "G604"]),
    # a territory with its value in parentheses labels the value, not a defect's place
    (PET, "LAD ischemia; the LCx (2.60) and RCA (2.42) flow reserves are preserved.", []),
    (PET, "LAD ischemia; the LCx (2.60) and RCA (2.92) flow reserves are preserved.", ["G111"]),
    (PET, "Reversible defect in the RCA (inferior wall).", ["G201", "G202"]),
    # an LVEF fall written as a negative reserve
    (PET, "LVEF reserve of -7 points.", []),
    (PET, "LVEF reserve of -4 points.", ["G101"]),
    # a numeric date read day-first or month-first
    (FOLLOWUP, "Compared with the prior of 11/03/2024.", []),
    (FOLLOWUP, "Compared with the prior of 03/11/2024.", []),
    (FOLLOWUP, "Compared with the prior of 12/04/2024.", ["G112"]),
    # the defect's size at stress or at rest as % of the LV (summed score / 68)
    (SCAR, "A fixed defect involving 25% of the LV at stress.", []),
    (SCAR, "A fixed defect involving 45% of the LV at stress.", ["G105"]),
    # a month inside a date is no wall ("Sept")
    (POST_CABG, "New LAD and LCx ischemia since the study of 14 Sept 2023.", []),
    # an extent word of the ischemic part of a scar is not the defect's extent
    (LAD_SCAR, "Extensive anterior and apical scar with a small amount of residual ischemia.", []),
    (LAD_SCAR, "Small anterior and apical defect.", ["G302"]),
    # a scar with its own place after a comma is a defect of its own; a clause that reads the defect is not
    (POST_CABG, "New ischemia in the LCx and LAD territories, with a small fixed inferior scar.", []),
    (POST_CABG, "New ischemia in the LCx and LAD territories, with a small fixed septal scar.", ["G202"]),
    ("spect_inferior_scar_attenuation", "Fixed inferior defect, consistent with an old LAD infarction.", ["G201"]),
    # a prior finding said to go on is a claim about this study; one said to have resolved is the prior's
    (FOLLOWUP, "Small reversible inferior defect; the prior LAD ischemia is still present.", ["G201"]),
    (FOLLOWUP, "Small reversible inferior defect; the previous anterior ischaemia persists.", ["G202"]),
    (FOLLOWUP, "Prior anterior ischemia resolved; new inferior ischemia.", []),
    (FOLLOWUP, "Prior inferior ischemia resolved; new inferior ischemia.", ["G702"]),
    (FOLLOWUP, "The previous LAD defect has resolved.", []),
    (FOLLOWUP, "The previous RCA defect has resolved.", ["G702"]),
    # an LVEF grade after its value, in parentheses, after a comma or a dash
    (LAD_SCAR, "EF 28%, severely reduced.", []),
    (LAD_SCAR, "EF 28%, mildly reduced.", ["G304"]),
    (SCAR, "LVEF 34% - moderately reduced.", []),
    (SCAR, "Ejection fraction: 34% (normal).", ["G602"]),
    (NORMAL, "EF 63%, normal wall motion.", []),
    # a proposed test is not this one
    (NORMAL, "A vasodilator stress study could be considered if symptoms persist.", []),
    (NORMAL, "Vasodilator stress myocardial perfusion study.", ["G605"]),
]


@pytest.mark.parametrize(("stem", "text", "codes"), CASES)
def test_physician_sentence(stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]) -> None:
    assert errors(text, study_of(stem)) == codes


def test_stunning_without_a_rest_lvef_is_a_reading(study_of: Callable[[str], Study]) -> None:
    # rest Tl-201 without gating: no rest LVEF shows a drop, but the post-stress hypokinesis lies over segments
    # whose perfusion improves at rest, which is stunning as the Study records it (issue 15, dev6: regional
    # stunning is derived from the wall motion, not from the LVEF); where no post-stress wall-motion abnormality
    # was recorded and the rest LVEF shows no drop, it is an error
    flags = verify("Post-stress inferior hypokinesis, probably stunned myocardium, i.e. stunning.", study_of(DUAL))
    assert [(f.code.value, f.severity.value) for f in flags if f.code.value == "G409"] == []
    assert errors("Findings in keeping with post-ischemic stunning.", study_of(FOLLOWUP)) == ["G409"]


def test_a_sign_in_words_is_shown_in_the_flag(study_of: Callable[[str], Study]) -> None:
    flags = verify("Duke score minus 6.5.", study_of(NORMAL))
    assert [f.message for f in flags] == ["The text gives Duke treadmill score minus 6.5; the study gives 6.5."]


@pytest.mark.parametrize(
    ("stem", "advice", "expected"),
    [
        # advice in other words is shown: unverified, or against a normal low-risk study
        (SCAR, "Urgent surgical revascularisation of the RCA is the way forward.", [("G411", "warning")]),
        (NORMAL, "We would refer him for coronary angiography.", [("G412", "warning")]),
        (SCAR, "Optimised guideline-directed medical therapy is the most appropriate course.", [("G411", "info")]),
        (NORMAL, "Patient referred for chest pain; normal perfusion at a submaximal heart rate.", []),
    ],
)
def test_advice_in_other_words_is_shown(
    stem: str, advice: str, expected: list[tuple[str, str]], study_of: Callable[[str], Study]
) -> None:
    flags = verify(advice, study_of(stem))
    assert [(f.code.value, f.severity.value) for f in flags] == expected


@pytest.mark.parametrize(
    ("stem", "text", "expected"),
    [
        # the LVEF fall said as numbers, a negative reserve or both phases side by side, a large defect abbreviated
        (PET, "Lg reversible LAD defect, SDS 15. LVEF 62%→55%. High risk.", []),
        (PET, "Large reversible LAD defect, SDS 15; negative EF reserve. High risk.", []),
        (PET, "Large reversible LAD defect, SDS 15; LVEF 55% at stress and 62% at rest. High risk.", []),
        (PET, "Large reversible LAD defect, SDS 15; LVEF 55%. High risk.", ["G506"]),
        # a normal result at a submaximal heart rate says so, in any of several words
        (NORMAL, "Normal perfusion; blunted chronotropic response on metoprolol. Low risk.", []),
        (NORMAL, "Normal perfusion at 75% of the age-predicted maximum. Low risk.", []),
        (NORMAL, "Normal perfusion, with reduced sensitivity. Low risk.", []),
        (NORMAL, "Normal myocardial perfusion. LVEF 63%. Low risk.", ["G509"]),
        # regadenoson with low-level exercise needs no heart-rate target
        ("test_spect_normal_regadenoson_lowlevel_ex_severe_cac_nongated", "Normal perfusion. LVEF 70%. Low risk.", []),
    ],
)
def test_impression_omissions(stem: str, text: str, expected: list[str], study_of: Callable[[str], Study]) -> None:
    flags = verify(text, study_of(stem), scope="impression")
    assert sorted(f.code.value for f in flags if f.code.value in ("G506", "G509")) == expected


def test_extent_by_percent_bands_are_thresholds() -> None:
    from pydantic import ValidationError

    from reporter.domain.thresholds import DEFAULT_THRESHOLDS, Band, Thresholds

    assert [DEFAULT_THRESHOLDS.extent_by_percent(p).value for p in (7.4, 10.0, 17.6, 19.9, 20.0, 25.0)] == [
        "small",
        "medium",
        "medium",
        "medium",
        "large",
        "large",
    ]
    with pytest.raises(ValidationError, match="extent_percent_bands"):
        Thresholds(extent_percent_bands=(Band(label="tiny", upper=10), Band(label="large", lower=10)))
