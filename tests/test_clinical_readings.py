"""Clinical readings of issue 14, each as the literal sentence a nuclear cardiologist would sign."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from reporter.domain.finding import Section
from reporter.domain.study import Study
from reporter.report import draft_report

NOW = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)


def sentences(study: Study, section: Section) -> list[str]:
    found = draft_report(study, now=NOW).section(section)
    return [s.text for s in found.sentences] if found else []


def test_pet_balanced_reduction_leads_the_impression_in_pet_wording(example: Callable[[str], Study]) -> None:
    # SNMMI-ASNC-PET-FLOW-2018: a severely reduced global flow reserve with near-normal relative perfusion is
    # possible balanced multivessel or left-main disease; Rb-82 gates at peak stress (DORBALA-2007).
    impression = sentences(example("pet_rb82_balanced_ischemia"), Section.IMPRESSION)
    assert impression[:3] == [
        "Severely reduced global myocardial flow reserve (1.35), reduced in all territories with near-normal "
        "relative perfusion, with a drop in LVEF at peak stress and transient ischemic dilation, suggesting "
        "multivessel or left-main coronary artery disease with a balanced reduction of flow (diffuse "
        "microvascular disease is the alternative).",
        "Probably normal myocardial perfusion on the relative images, without definite evidence of regional "
        "ischemia or infarction; relative perfusion can appear normal when flow is reduced in all territories.",
        "Normal left ventricular systolic function (rest LVEF 58%), with transient ischemic dilation and a drop "
        "in LVEF at peak stress.",
    ]
    function = sentences(example("pet_rb82_balanced_ischemia"), Section.FUNCTION)
    assert function[:2] == [
        "Rest LVEF is 58% (normal; lower limit of normal 54%); peak-stress LVEF is 52%.",
        "LVEF falls by 6 points from 58% at rest to 52% at peak stress (a negative LVEF reserve; it normally "
        "rises), a marker of severe left-main or multivessel disease.",
    ]
    assert not any("post-stress" in s or "stunning" in s for s in function)


def test_a_rest_score_of_one_is_not_scar(make_study: Callable[..., Study]) -> None:
    # ASNC-SPECT-2018: a segment is definitely abnormal from score 2, at rest as at stress.
    study = make_study({5: 2, 6: 2, 11: 3}, {11: 1})
    assert sentences(study, Section.PERFUSION)[1:] == [
        "There is a medium-sized reversible perfusion defect with moderately reduced uptake in the LCx territory "
        "involving the inferolateral and anterolateral walls (segments 5, 6, 11; 3 of 17 segments), consistent "
        "with ischemia.",
        "Summed stress score 7, summed rest score 1, summed difference score 6 (SSS mildly abnormal).",
        "Ischemic myocardium: 8.8% of the left ventricle (mild), the summed difference score of 6 as a share of "
        "the maximum score of 68.",
    ]


def test_no_ischemia_instead_of_zero_percent_minimal(example: Callable[[str], Study]) -> None:
    perfusion = sentences(example("spect_inferior_scar_attenuation"), Section.PERFUSION)
    assert perfusion[-1] == (
        "No ischemia (summed difference score 0); scar: 13.2% of the left ventricle (summed rest score 9 of 68)."
    )


def test_attenuation_is_named_and_linked_to_the_scarred_wall(example: Callable[[str], Study]) -> None:
    perfusion = sentences(example("spect_inferior_scar_attenuation"), Section.PERFUSION)
    assert perfusion[1:3] == [
        "Diaphragmatic attenuation is noted over the inferior wall.",
        "There is a medium-sized fixed perfusion defect with severely reduced uptake in the RCA territory "
        "involving the inferoseptal and inferior walls (segments 3, 4, 10, 15; 4 of 17 segments), consistent "
        "with scar (infarction); the abnormal wall motion in this region indicates scar rather than the "
        "diaphragmatic attenuation noted.",
    ]


def _normal_motion() -> dict[str, Any]:
    return {"stress_lvef_percent": 60, "wall_motion": [{"segment": n, "motion": "normal"} for n in range(1, 18)]}


def test_fixed_mild_defect_with_normal_motion_is_breast_attenuation(make_study: Callable[..., Study]) -> None:
    study = make_study(
        {1: 1, 7: 2, 13: 1}, {1: 1, 7: 2, 13: 1}, function=_normal_motion(), patient={"age_years": 58, "sex": "female"}
    )
    assert sentences(study, Section.PERFUSION)[1] == (
        "There is a medium-sized fixed perfusion defect with mildly reduced uptake in the LAD territory involving "
        "the anterior wall (segments 1, 7, 13; 3 of 17 segments); with normal wall motion and thickening it is "
        "consistent with breast attenuation rather than scar."
    )
    # SSS 4 is mildly abnormal, so the impression stays equivocal, naming the attenuation
    assert sentences(study, Section.IMPRESSION)[0] == (
        "Equivocal myocardial perfusion; the fixed LAD-territory defect is consistent with breast attenuation."
    )


def test_lbbb_septal_defect_sparing_the_apex_is_the_conduction_pattern(
    make_study: Callable[..., Study],
) -> None:
    study = make_study(
        {2: 2, 8: 2, 3: 1},
        {},
        stress={"type": "pharmacologic", "agent": "regadenoson", "baseline_ecg": "left bundle branch block"},
    )
    assert sentences(study, Section.PERFUSION)[1] == (
        "There is a small-sized reversible perfusion defect with moderately reduced uptake in the LAD territory "
        "involving the anteroseptal wall (segments 2, 8; 2 of 17 segments); with left bundle branch block or "
        "septal dyssynchrony, a septal defect that spares the apex is the conduction pattern and is not specific "
        "for ischemia."
    )
    impression = sentences(study, Section.IMPRESSION)[0]
    assert "left bundle branch block pattern" in impression and "consistent with ischemia" not in impression


def test_dobutamine_heart_rate_target_not_reached_is_said(make_study: Callable[..., Study]) -> None:
    study = make_study(
        stress={
            "type": "pharmacologic",
            "agent": "dobutamine",
            "agent_dose": "40 mcg/kg/min",
            "atropine_mg": 0.5,
            "rest_hr_bpm": 70,
            "peak_hr_bpm": 120,
        }
    )
    stress = sentences(study, Section.STRESS)
    assert stress[:2] == [
        "Pharmacologic stress with dobutamine 40 mcg/kg/min, with atropine 0.5 mg.",
        "Heart rate rose from 70 bpm at rest to 120 bpm at peak stress (75% of the age-predicted maximum of 160 "
        "bpm); the target heart rate for dobutamine stress (>= 85%) was not reached, which lowers the "
        "sensitivity for ischemia.",
    ]
    assert "Submaximal dobutamine stress (75% of age-predicted maximal heart rate; target 85% not reached)." in (
        sentences(study, Section.IMPRESSION)
    )


def test_poor_image_quality_qualifies_the_impression(study_dict: Callable[..., dict[str, Any]]) -> None:
    data = study_dict({4: 2, 10: 2}, {})
    data["perfusion"]["image_quality"] = "poor"
    assert sentences(Study.model_validate(data), Section.IMPRESSION)[0] == (
        "Abnormal myocardial perfusion: small-sized reversible defect with moderately reduced uptake in the RCA "
        "territory (inferior), consistent with ischemia; ischemic myocardium 5.9% of the left ventricle (mild); "
        "interpretation is limited by poor image quality."
    )


def test_abnormal_prior_without_location_is_not_compared_by_location(make_study: Callable[..., Study]) -> None:
    study = make_study(
        {4: 2, 10: 2}, {}, study_date="2026-05-01", prior={"study_date": "2024-01-10", "perfusion_result": "abnormal"}
    )
    assert sentences(study, Section.COMPARISON) == [
        "The prior study of 2024-01-10 was reported as abnormal without a defect location, so the current "
        "defects cannot be compared with it by location."
    ]
    assert (
        "The prior study of 2024-01-10 was abnormal; its defect locations are not known, so change cannot be assessed."
    ) in sentences(study, Section.IMPRESSION)


def test_risk_is_qualified_by_the_patients_features(make_study: Callable[..., Study]) -> None:
    # HACHAMOVITCH-NORMAL-2003, HAKEEM-2008: a normal regadenoson study in an older diabetic with CKD is not < 1 %.
    study = make_study(
        patient={"age_years": 78, "sex": "female"},
        clinical={"indication": "Dyspnea.", "risk_factors": ["diabetes", "chronic kidney disease"]},
        function={"stress_lvef_percent": 62},
    )
    assert sentences(study, Section.IMPRESSION)[-1] == (
        "Low risk of cardiac events, based on normal myocardial perfusion and normal LVEF; the annual rate of "
        "cardiac death or myocardial infarction, < 1% for such findings in general, is higher with this "
        "patient's pharmacologic stress, diabetes, chronic kidney disease and age of 78."
    )


def test_calcium_from_the_attenuation_ct_is_said_and_is_a_separate_long_term_risk(
    example: Callable[[str], Study],
) -> None:
    study = example("spect_normal_cac_450")
    assert sentences(study, Section.ANCILLARY) == [
        "Coronary artery calcium score (Agatston) 450 on the attenuation-correction CT (not ECG-gated; the score "
        "is an estimate of the gated score): severe (LAD 280, LCx 60, RCA 110)."
    ]
    assert sentences(study, Section.IMPRESSION)[-1] == (
        "Low risk of cardiac events (expected annual rate of cardiac death or myocardial infarction < 1%), based "
        "on normal myocardial perfusion and normal LVEF; the coronary calcium score of 450 (>= 300) adds a "
        "long-term risk of coronary events beyond that of the perfusion study."
    )


def test_wording_of_the_stress_test(example: Callable[[str], Study]) -> None:
    assert "The test was stopped when the target heart rate was reached." in sentences(
        example("spect_normal_cac_450"), Section.STRESS
    )
    assert "Limiting angina occurred during stress." in sentences(
        example("spect_multivessel_high_risk"), Section.STRESS
    )


def test_two_day_protocol_says_which_day_came_first(study_dict: Callable[..., dict[str, Any]]) -> None:
    data = study_dict()
    data["procedure"]["protocol"], data["procedure"]["first_day"] = "two-day", "stress"
    assert sentences(Study.model_validate(data), Section.PROCEDURE)[0] == (
        "Two-day (stress first) gated SPECT myocardial perfusion imaging with Tc-99m sestamibi, without "
        "attenuation correction."
    )


def test_comparison_wording_says_unchanged_within_reproducibility(example: Callable[[str], Study]) -> None:
    comparison = sentences(example("spect_followup_new_lateral_ischemia"), Section.COMPARISON)
    assert comparison[-1] == "LVEF is unchanged (60% then, 56% now), within the 5-point reproducibility of gated LVEF."


# --- readings of the outside writer's studies (guard_dev), each reduced to the input that decides it -------


def test_one_grade_of_rest_improvement_in_a_scar_is_fixed_and_unchanged(make_study: Callable[..., Study]) -> None:
    # Stress 2 -> rest 1 in one segment of an infarct (SDS 1) is scoring variability, not ischemia: the defect is
    # fixed, as the global "no ischemia" below SDS 2 says (HACHAMOVITCH-2003), and unchanged from a fixed prior.
    study = make_study(
        {5: 3, 11: 4, 12: 2, 16: 2},
        {5: 3, 11: 4, 12: 2, 16: 1},
        study_date="2026-06-16",
        function={"stress_lvef_percent": 44, "rest_lvef_percent": 45},
        prior={
            "study_date": "2024-06-12",
            "perfusion_result": "abnormal",
            "lvef_percent": 47,
            "defects": [
                {
                    "territory": "LCx",
                    "walls": ["inferolateral", "lateral"],
                    "severity": "severe",
                    "extent": "medium",
                    "reversibility": "fixed",
                }
            ],
        },
    )
    assert sentences(study, Section.PERFUSION)[1] == (
        "There is a medium-sized fixed perfusion defect with severely reduced uptake in the LCx territory involving "
        "the inferolateral, lateral and anterolateral walls (segments 5, 11, 12, 16; 4 of 17 segments), consistent "
        "with scar (infarction)."
    )
    assert sentences(study, Section.COMPARISON)[0] == (
        "Compared with the prior study of 2024-06-12, the defect in the LCx territory is unchanged."
    )
    assert sentences(study, Section.IMPRESSION)[:3] == [
        "Abnormal myocardial perfusion: medium-sized fixed defect with severely reduced uptake in the LCx territory "
        "(inferolateral, lateral, anterolateral), consistent with scar (infarction) without ischemia.",
        "Mildly reduced left ventricular systolic function (LVEF 44%).",
        "No significant change since the prior study of 2024-06-12.",
    ]


def test_stunning_grades_function_on_the_rest_lvef_and_is_not_a_fall_since_the_prior(
    make_study: Callable[..., Study],
) -> None:
    # JOHNSON-1997: a post-stress LVEF >= 5 points below rest is stunning; the resting function is the rest LVEF
    # (56%, normal), not "mildly reduced (47%)", and 58% -> 47% since the prior is stunning, not a lower resting EF.
    study = make_study(
        {3: 3, 4: 3, 9: 3, 10: 3, 15: 3},
        {4: 1},
        study_date="2026-11-20",
        function={"stress_lvef_percent": 47, "rest_lvef_percent": 56},
        prior={"study_date": "2024-11-05", "perfusion_result": "abnormal", "lvef_percent": 58},
    )
    assert sentences(study, Section.FUNCTION)[:2] == [
        "Rest LVEF is 56% (normal; lower limit of normal 52%); post-stress LVEF is 47%.",
        "Post-stress LVEF is 9 points lower than at rest (56% to 47%), suggesting post-ischemic stunning.",
    ]
    assert sentences(study, Section.COMPARISON)[-1] == (
        "Post-stress LVEF has decreased from 58% to 47%; the rest LVEF of 56% is within 5 points of the prior "
        "value, so the fall is post-ischemic stunning rather than a lower resting function."
    )
    assert sentences(study, Section.IMPRESSION)[1:3] == [
        "Normal left ventricular systolic function (rest LVEF 56%), with a post-stress drop in LVEF to 47% "
        "(post-ischemic stunning).",
        "Changed since the prior study of 2024-11-05: post-stress LVEF decreased (post-ischemic stunning; rest LVEF "
        "unchanged).",
    ]


def test_a_low_post_stress_lvef_stays_high_risk_when_graded_at_rest(make_study: Callable[..., Study]) -> None:
    # ACC-AHA-SIHD-2012: severe stress-induced LV dysfunction is high risk even where the rest LVEF is 38%.
    study = make_study({1: 3, 7: 3, 13: 3}, {}, function={"stress_lvef_percent": 31, "rest_lvef_percent": 38})
    impression = sentences(study, Section.IMPRESSION)
    assert impression[1] == (
        "Moderately reduced left ventricular systolic function (rest LVEF 38%), with a post-stress drop in LVEF to "
        "31% (post-ischemic stunning)."
    )
    assert "post-stress LVEF 31% (< 35%)" in impression[-1]


def test_an_artifact_note_names_its_source_and_keeps_the_readers_words(
    study_dict: Callable[..., dict[str, Any]],
) -> None:
    # Corrected breast attenuation over normal scores costs the study nothing: normal, not "probably normal".
    data = study_dict(function={"stress_lvef_percent": 67})
    data["procedure"]["attenuation_correction"] = "CT"
    data["perfusion"]["artifacts"] = [
        {"kind": "attenuation", "wall": "anterior", "note": "breast; resolves on CT attenuation-corrected images"}
    ]
    study = Study.model_validate(data)
    assert sentences(study, Section.PERFUSION)[1] == (
        "Breast attenuation is noted over the anterior wall (resolves on CT attenuation-corrected images)."
    )
    assert sentences(study, Section.IMPRESSION)[0] == (
        "Normal myocardial perfusion, without evidence of ischemia or infarction."
    )


def test_a_mild_fixed_region_under_breast_attenuation_is_named_on_poor_images(
    study_dict: Callable[..., dict[str, Any]],
) -> None:
    # ASNC-SPECT-2018: a fixed mild reduction that moves and thickens normally is attenuation; bowel activity lies
    # beside the inferior wall, not in it.
    data = study_dict(
        {1: 1, 7: 1},
        {1: 1, 7: 1},
        patient={"age_years": 58, "sex": "female"},
        function={
            "stress_lvef_percent": 63,
            "rest_lvef_percent": 64,
            "wall_motion": [{"segment": n, "motion": "normal"} for n in range(1, 18)],
        },
    )
    data["perfusion"]["image_quality"] = "poor"
    data["perfusion"]["artifacts"] = [
        {"kind": "attenuation", "wall": "anterior", "note": "breast"},
        {"kind": "extracardiac activity", "wall": "inferior", "note": "subdiaphragmatic bowel activity"},
    ]
    study = Study.model_validate(data)
    assert sentences(study, Section.PERFUSION)[1:4] == [
        "Breast attenuation is noted over the anterior wall.",
        "Extracardiac activity (subdiaphragmatic bowel activity) is noted adjacent to the inferior wall.",
        "Possible mildly reduced uptake in the anterior wall (segments 1, 7), not definitely abnormal; fixed, with "
        "normal wall motion and thickening, it is consistent with breast attenuation.",
    ]
    assert sentences(study, Section.IMPRESSION)[0] == (
        "Probably normal myocardial perfusion, without definite evidence of ischemia or infarction (the mild fixed "
        "reduction in the anterior wall is consistent with breast attenuation); interpretation is limited by poor "
        "image quality."
    )


def _pet(study_dict: Callable[..., dict[str, Any]], stress: dict[int, int], **blocks: Any) -> Study:
    data = study_dict(stress, {}, **blocks)
    data["procedure"] = {
        "modality": "PET",
        "protocol": "rest-stress",
        "attenuation_correction": "CT",
        "gated": True,
        "tracers": [
            {"tracer": "Rb-82", "phase": "rest", "activity": {"value": 1110, "unit": "MBq"}},
            {"tracer": "Rb-82", "phase": "stress", "activity": {"value": 1110, "unit": "MBq"}},
        ],
    }
    return Study.model_validate(data)


def _territories(lad: float, lcx: float, rca: float) -> list[dict[str, Any]]:
    return [{"territory": "LAD", "mfr": lad}, {"territory": "LCx", "mfr": lcx}, {"territory": "RCA", "mfr": rca}]


def test_pet_regional_flow_reserve_matches_its_defect_and_a_falling_lvef_is_not_called_multivessel(
    study_dict: Callable[..., dict[str, Any]],
) -> None:
    # SNMMI-ASNC-PET-FLOW-2018: a regional MFR < 1.5 with preserved global MFR is the flow correlate of the LAD
    # defect; DORBALA-2007's falling LVEF marks extensive ischemia, and the flow shows one territory, not three.
    study = _pet(
        study_dict,
        {1: 1, 2: 1, 7: 3, 8: 2, 13: 3, 14: 2, 17: 2},
        flow={"mfr": 2.24, "territories": _territories(1.31, 2.81, 2.84)},
        function={"stress_lvef_percent": 55, "rest_lvef_percent": 61},
        calcium={"visual_grade": "moderate", "acquisition": "attenuation-correction CT"},
    )
    assert sentences(study, Section.FUNCTION)[1] == (
        "LVEF falls by 6 points from 61% at rest to 55% at peak stress (a negative LVEF reserve; it normally "
        "rises), a high-risk marker of extensive ischemia."
    )
    assert sentences(study, Section.IMPRESSION)[2] == (
        "Severely reduced myocardial flow reserve in the LAD territory (1.31), matching the perfusion defect; "
        "global myocardial flow reserve is normal (2.24)."
    )
    # a visual grade is no score: nothing to call an estimate of the gated score
    assert sentences(study, Section.ANCILLARY) == [
        "Coronary artery calcium, graded visually on the attenuation-correction CT (not ECG-gated): moderate."
    ]


def test_globally_reduced_flow_reserve_with_zero_calcium_favours_microvascular_dysfunction(
    study_dict: Callable[..., dict[str, Any]],
) -> None:
    # SNMMI-ASNC-PET-FLOW-2018: homogeneously reduced MFR with normal relative perfusion and CAC 0 points to the
    # microvasculature rather than balanced three-vessel obstruction.
    study = _pet(
        study_dict,
        {},
        flow={"mfr": 1.7, "territories": _territories(1.73, 1.67, 1.68)},
        calcium={"agatston_total": 0, "acquisition": "ECG-gated calcium scan"},
    )
    assert sentences(study, Section.FLOW)[-1] == (
        "Flow reserve is reduced in all territories while relative perfusion is normal; with no coronary calcium, "
        "this favors diffuse coronary microvascular dysfunction over balanced multivessel obstructive disease."
    )
    assert sentences(study, Section.IMPRESSION)[1] == (
        "Reduced global myocardial flow reserve (1.7), reduced in all territories with normal relative perfusion and "
        "no coronary calcium: this favors coronary microvascular dysfunction over balanced multivessel disease."
    )


def test_every_reason_for_stopping_is_kept_and_no_chest_pain_is_said_plainly(
    make_study: Callable[..., Study],
) -> None:
    study = make_study(
        clinical={"indication": "Follow-up after MI.", "chest_pain_type": "asymptomatic"},
        stress={
            "type": "pharmacologic",
            "agent": "dobutamine",
            "rest_hr_bpm": 72,
            "peak_hr_bpm": 150,
            "termination_reason": "target heart rate achieved; chest pressure",
        },
    )
    assert "The test was stopped when the target heart rate was reached, with chest pressure." in sentences(
        study, Section.STRESS
    )
    assert sentences(study, Section.INDICATION)[1] == "60-year-old man; no chest pain (asymptomatic)."


def test_stress_only_defects_say_ischemia_and_scar_cannot_be_told_apart(
    study_dict: Callable[..., dict[str, Any]],
) -> None:
    # ASNC-SPECT-2018: without rest images a defect is neither ischemia nor scar; three territories read as a list.
    data = study_dict({1: 3, 7: 3, 5: 2, 11: 2, 4: 3, 10: 3}, function={"stress_lvef_percent": 55})
    data["procedure"]["protocol"] = "stress-only"
    data["procedure"]["tracers"] = [data["procedure"]["tracers"][1]]
    for row in data["perfusion"]["segments"]:
        row.pop("rest")
    impression = sentences(Study.model_validate(data), Section.IMPRESSION)
    assert impression[0] == (
        "Abnormal myocardial perfusion: small-sized defect with severely reduced uptake in the LAD territory "
        "(anterior); small-sized defect with moderately reduced uptake in the LCx territory (inferolateral); "
        "small-sized defect with severely reduced uptake in the RCA territory (inferior); without rest images, "
        "ischemia cannot be distinguished from scar."
    )
    assert "perfusion defects in multiple vascular territories (LAD, LCx and RCA)" in impression[-1]


def test_a_low_duke_score_on_a_submaximal_test_is_qualified(make_study: Callable[..., Study]) -> None:
    # ACC-AHA-EXERCISE-2002: a negative test below 85% of the predicted maximum is less reassuring.
    study = make_study(
        stress={
            "type": "exercise",
            "exercise_protocol": "Bruce",
            "exercise_duration_min": 6,
            "angina": "none",
            "st_depression_mm": 0,
            "rest_hr_bpm": 58,
            "peak_hr_bpm": 118,
        }
    )
    assert sentences(study, Section.STRESS)[-1] == (
        "The Duke treadmill score was 6 (low risk, less reassuring at a submaximal heart rate)."
    )


def test_poor_images_limit_a_low_risk_estimate(study_dict: Callable[..., dict[str, Any]]) -> None:
    data = study_dict(function={"stress_lvef_percent": 63})
    data["perfusion"]["image_quality"] = "poor"
    assert sentences(Study.model_validate(data), Section.IMPRESSION)[-1] == (
        "Low risk of cardiac events, based on normal myocardial perfusion and normal LVEF; the annual rate of "
        "cardiac death or myocardial infarction, < 1% for such findings in general, is higher with this patient's "
        "pharmacologic stress; the poor image quality limits this estimate."
    )


def test_an_equivocal_study_does_not_call_its_small_defect_consistent_with_ischemia(
    make_study: Callable[..., Study],
) -> None:
    # SSS 3 is within normal limits (ASNC-SPECT-2018): the small reversible defect may be ischemia, no more.
    study = make_study({7: 2, 13: 1}, {})
    assert sentences(study, Section.IMPRESSION)[0] == (
        "Equivocal myocardial perfusion: small-sized reversible defect with moderately reduced uptake in the LAD "
        "territory (anterior), which may represent ischemia; ischemic myocardium 4.4% of the left ventricle "
        "(minimal)."
    )


def test_attenuation_away_from_the_usual_sites_is_soft_tissue_attenuation(make_study: Callable[..., Study]) -> None:
    # a fixed mild lateral region that moves normally in a man: neither breast nor diaphragm
    study = make_study({6: 1, 12: 1}, {6: 1, 12: 1}, function=_normal_motion())
    assert sentences(study, Section.PERFUSION)[1] == (
        "Possible mildly reduced uptake in the anterolateral wall (segments 6, 12), not definitely abnormal; fixed, "
        "with normal wall motion and thickening, it is consistent with soft-tissue attenuation."
    )
