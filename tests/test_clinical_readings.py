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
        "No ischemia (summed difference score 0); scar: 13.2% of the left ventricle (summed rest score 9 of 68).")


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
    study = make_study({1: 1, 7: 2, 13: 1}, {1: 1, 7: 2, 13: 1}, function=_normal_motion(),
                       patient={"age_years": 58, "sex": "female"})
    assert sentences(study, Section.PERFUSION)[1] == (
        "There is a medium-sized fixed perfusion defect with mildly reduced uptake in the LAD territory involving "
        "the anterior wall (segments 1, 7, 13; 3 of 17 segments); with normal wall motion and thickening it is "
        "consistent with breast attenuation rather than scar.")
    # SSS 4 is mildly abnormal, so the impression stays equivocal, naming the attenuation
    assert sentences(study, Section.IMPRESSION)[0] == (
        "Equivocal myocardial perfusion; the fixed LAD-territory defect is consistent with breast attenuation.")


def test_lbbb_septal_defect_sparing_the_apex_is_the_conduction_pattern(
    make_study: Callable[..., Study],
) -> None:
    study = make_study({2: 2, 8: 2, 3: 1}, {}, stress={"type": "pharmacologic", "agent": "regadenoson",
                                                       "baseline_ecg": "left bundle branch block"})
    assert sentences(study, Section.PERFUSION)[1] == (
        "There is a small-sized reversible perfusion defect with moderately reduced uptake in the LAD territory "
        "involving the anteroseptal wall (segments 2, 8; 2 of 17 segments); with left bundle branch block or "
        "septal dyssynchrony, a septal defect that spares the apex is the conduction pattern and is not specific "
        "for ischemia.")
    impression = sentences(study, Section.IMPRESSION)[0]
    assert "left bundle branch block pattern" in impression and "consistent with ischemia" not in impression


def test_dobutamine_heart_rate_target_not_reached_is_said(make_study: Callable[..., Study]) -> None:
    study = make_study(stress={"type": "pharmacologic", "agent": "dobutamine", "agent_dose": "40 mcg/kg/min",
                               "atropine_mg": 0.5, "rest_hr_bpm": 70, "peak_hr_bpm": 120})
    stress = sentences(study, Section.STRESS)
    assert stress[:2] == [
        "Pharmacologic stress with dobutamine 40 mcg/kg/min, with atropine 0.5 mg.",
        "Heart rate rose from 70 bpm at rest to 120 bpm at peak stress (75% of the age-predicted maximum of 160 "
        "bpm); the target heart rate for dobutamine stress (>= 85%) was not reached, which lowers the "
        "sensitivity for ischemia.",
    ]
    assert "Submaximal dobutamine stress (75% of age-predicted maximal heart rate; target 85% not reached)." in (
        sentences(study, Section.IMPRESSION))


def test_poor_image_quality_qualifies_the_impression(study_dict: Callable[..., dict[str, Any]]) -> None:
    data = study_dict({4: 2, 10: 2}, {})
    data["perfusion"]["image_quality"] = "poor"
    assert sentences(Study.model_validate(data), Section.IMPRESSION)[0] == (
        "Abnormal myocardial perfusion: small-sized reversible defect with moderately reduced uptake in the RCA "
        "territory (inferior), consistent with ischemia; ischemic myocardium 5.9% of the left ventricle (mild); "
        "interpretation is limited by poor image quality.")


def test_abnormal_prior_without_location_is_not_compared_by_location(make_study: Callable[..., Study]) -> None:
    study = make_study({4: 2, 10: 2}, {}, study_date="2026-05-01",
                       prior={"study_date": "2024-01-10", "perfusion_result": "abnormal"})
    assert sentences(study, Section.COMPARISON) == [
        "The prior study of 2024-01-10 was reported as abnormal without a defect location, so the current "
        "defects cannot be compared with it by location."]
    assert ("The prior study of 2024-01-10 was abnormal; its defect locations are not known, so change cannot "
            "be assessed.") in sentences(study, Section.IMPRESSION)


def test_risk_is_qualified_by_the_patients_features(make_study: Callable[..., Study]) -> None:
    # HACHAMOVITCH-NORMAL-2003, HAKEEM-2008: a normal regadenoson study in an older diabetic with CKD is not < 1 %.
    study = make_study(patient={"age_years": 78, "sex": "female"},
                       clinical={"indication": "Dyspnea.", "risk_factors": ["diabetes", "chronic kidney disease"]},
                       function={"stress_lvef_percent": 62})
    assert sentences(study, Section.IMPRESSION)[-1] == (
        "Low risk of cardiac events, based on normal myocardial perfusion and normal LVEF; the annual rate of "
        "cardiac death or myocardial infarction, < 1% for such findings in general, is higher with this "
        "patient's pharmacologic stress, diabetes, chronic kidney disease and age of 78.")


def test_calcium_from_the_attenuation_ct_is_said_and_is_a_separate_long_term_risk(
    example: Callable[[str], Study],
) -> None:
    study = example("spect_normal_cac_450")
    assert sentences(study, Section.ANCILLARY) == [
        "Coronary artery calcium score (Agatston) 450 on the attenuation-correction CT (not ECG-gated; the score "
        "is an estimate of the gated score): severe (LAD 280, LCx 60, RCA 110)."]
    assert sentences(study, Section.IMPRESSION)[-1] == (
        "Low risk of cardiac events (expected annual rate of cardiac death or myocardial infarction < 1%), based "
        "on normal myocardial perfusion and normal LVEF; the coronary calcium score of 450 (>= 300) adds a "
        "long-term risk of coronary events beyond that of the perfusion study.")


def test_wording_of_the_stress_test(example: Callable[[str], Study]) -> None:
    assert "The test was stopped when the target heart rate was reached." in sentences(
        example("spect_normal_cac_450"), Section.STRESS)
    assert "Limiting angina occurred during stress." in sentences(
        example("spect_multivessel_high_risk"), Section.STRESS)


def test_two_day_protocol_says_which_day_came_first(study_dict: Callable[..., dict[str, Any]]) -> None:
    data = study_dict()
    data["procedure"]["protocol"], data["procedure"]["first_day"] = "two-day", "stress"
    assert sentences(Study.model_validate(data), Section.PROCEDURE)[0] == (
        "Two-day (stress first) gated SPECT myocardial perfusion imaging with Tc-99m sestamibi, without "
        "attenuation correction.")


def test_comparison_wording_says_unchanged_within_reproducibility(example: Callable[[str], Study]) -> None:
    comparison = sentences(example("spect_followup_new_lateral_ischemia"), Section.COMPARISON)
    assert comparison[-1] == "LVEF is unchanged (60% then, 56% now), within the 5-point reproducibility of gated LVEF."
