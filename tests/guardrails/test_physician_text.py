"""Physician-written impressions (issue 15): each mechanism of a former false error, and each former miss.

Texts in several writers' styles, not the product's templates; the expected value is the sorted list of
error-severity codes (an empty list: no error flag), or the codes of every severity where a warning is
the point.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

CORRECT = [
    # numbers bind to the label that fits their unit
    ("spect_normal_exercise", "Adequate Bruce exercise (9 minutes, 10.1 METs, 95% MPHR)."),
    ("spect_stress_only_normal", "Bruce exercise (10.1 METs, 96% of age-predicted maximum heart rate)."),
    ("spect_normal_exercise", "Low annual risk of cardiac events (<1 %)."),
    ("spect_followup_improved_lad", "LVEF 57% (rest 59%), normal wall motion."),
    ("spect_lbbb_normal_perfusion", "LV ejection fraction mildly reduced at 44 %."),
    ("pet_n13_lcx_ischemia", "Global MFR is preserved at 2.47 (LAD 3.02, RCA 2.82)."),
    ("pet_rb82_balanced_ischemia", "Severely reduced flow reserve (1.35; LAD 1.33, LCx 1.38, RCA 1.36)."),
    # negation and scope
    ("spect_inferior_scar_attenuation", "Inferior infarct; no peri-infarct ischemia."),
    ("spect_lad_ischemia", "Reversible anterior defect. No fixed defect to suggest scar."),
    (
        "spect_poor_quality_attenuation",
        "Low risk, with the caveat that image quality reduces sensitivity for ischemia.",
    ),
    ("spect_lbbb_normal_perfusion", "ECG uninterpretable for ischemia because of LBBB."),
    (
        "spect_equivocal_inferior_score1",
        "Mild inferior count reduction, most likely attenuation rather than infarction.",
    ),
    ("spect_normal_cac_zero", "Normal regadenoson SPECT. Zero coronary calcium."),
    ("spect_normal_exercise", "No chest pain; ECG non-ischaemic."),
    # the prior's words are the prior's
    ("spect_followup_new_lateral_ischemia", "Compared with the normal study of 27 August 2024, there is a new defect."),
    (
        "spect_followup_new_lateral_ischemia",
        "The prior study of 2024-08-27 showed normal perfusion and an LVEF of 60%.",
    ),
    ("spect_followup_improved_lad", "The prior study showed a large, severe reversible LAD defect; it is now smaller."),
    # defects described in other words
    ("spect_inferior_scar_attenuation", "Fixed inferoseptal and inferior defect with akinesis of the inferior wall."),
    (
        "spect_multivessel_high_risk",
        "Severe inducible ischaemia in the LAD and LCx territories and a small fixed component.",
    ),
    ("spect_followup_new_lateral_ischemia", "A large lateral perfusion defect, predominantly reversible."),
    # score-1 regions: a small, mild defect with minimal ischemia is not wrong
    ("spect_equivocal_inferior_score1", "Small, mild inferior wall defect with minimal ischemia (SSS 2, SDS 2)."),
    # category words
    ("spect_lad_ischemia", "Moderate risk overall."),
    ("spect_inferior_scar_attenuation", "Mild LV systolic impairment (EF 47 %)."),
    ("pet_rb82_balanced_ischemia", "Abnormal rubidium PET: balanced reduction of flow reserve with TID."),
    ("pet_rb82_balanced_ischemia", "Perfusion probably normal, but global MFR severely reduced at 1.35."),
    ("pet_rb82_balanced_ischemia", "TID 1.16 and a post-stress LVEF drop (58% to 52%)."),
    (
        "spect_followup_new_lateral_ischemia",
        "In comparison with the prior normal study dated 2024-08-27, a new defect.",
    ),
]


@pytest.mark.parametrize(("stem", "text"), CORRECT)
def test_correct_physician_sentence_has_no_error(stem: str, text: str, study_of: Callable[[str], Study]) -> None:
    assert errors(text, study_of(stem)) == []


WRONG = [
    # stress symptoms
    ("spect_lad_ischemia", "Typical angina during regadenoson infusion.", ["G410"]),
    ("spect_followup_new_lateral_ischemia", "No chest pain with regadenoson.", ["G601"]),
    # tracer and modality words inside another concept
    ("pet_n13_lcx_ischemia", "Abnormal Rb-82 PET.", ["G604"]),
    ("spect_three_vessel_tl201", "Severely abnormal stress-only sestamibi study.", ["G604"]),
    # a study verdict against its perfusion and its high-risk signs
    ("spect_lad_ischemia", "Normal regadenoson SPECT.", ["G602"]),
    ("pet_rb82_balanced_ischemia", "Normal rubidium PET.", ["G602"]),
    # claims about the prior, against the prior
    (
        "spect_followup_new_lateral_ischemia",
        "Compared with the abnormal study of 27 August 2024, the defect is new.",
        ["G702"],
    ),
    ("spect_followup_improved_lad", "The prior study showed a large RCA defect.", ["G702"]),
    (
        "spect_followup_new_lateral_ischemia",
        "In comparison with the prior abnormal study dated 2024-08-27, a new defect.",
        ["G702"],
    ),
    ("spect_followup_improved_lad", "Residual anterior ischaemia, more than on the previous scan.", ["G702"]),
    # grades: ischemic burden, flow reserve, calcium, LV function
    ("spect_followup_new_lateral_ischemia", "Ischemic burden 14.7% (severe).", ["G301"]),
    ("pet_rb82_balanced_ischemia", "A mildly reduced global MFR of 1.35.", ["G301"]),
    ("pet_n13_lcx_ischemia", "Reduced global flow reserve.", ["G301"]),
    ("spect_normal_cac_450", "Mild coronary calcification.", ["G301"]),
    ("spect_lbbb_normal_perfusion", "LV ejection fraction severely reduced at 44 %.", ["G304"]),
    # regional values against their own territory
    (
        "pet_rb82_balanced_ischemia",
        "Severely reduced flow reserve (1.35; LAD 1.38, LCx 1.33, RCA 1.36).",
        ["G106", "G106"],
    ),
    # findings in other word orders
    ("spect_lbbb_normal_perfusion", "An ischemic cardiomyopathy should be considered.", ["G402"]),
    ("spect_three_vessel_tl201", "Normal lung uptake.", ["G601"]),
    ("spect_dobutamine_rca_ischemia", "Abnormal TID (1.08).", ["G404"]),
    ("spect_inferior_scar_attenuation", "There is a reversible component (SDS 0).", ["G402"]),
    ("spect_normal_cac_zero", "Apical thinning and normal wall motion.", ["G409"]),
    # (the study records nothing of the RV: unverified, a warning for a physician; tests/guardrails/test_unrecorded.py)
    ("spect_normal_exercise", "RV uptake is increased.", []),
    ("spect_normal_cac_zero", "High annual event risk.", ["G801"]),
    ("spect_normal_exercise", "The Duke treadmill score of -9 places the patient at low risk.", ["G109"]),
]


@pytest.mark.parametrize(("stem", "text", "codes"), WRONG)
def test_wrong_physician_sentence_has_its_error(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


def test_missing_features_are_each_flagged(study_of: Callable[[str], Study]) -> None:
    study = study_of("spect_three_vessel_tl201")
    text = "Defects in the LAD, LCx and RCA territories. EF 38%, ESV 99 mL. Duke score -13. High risk."
    flags = verify(text, study, scope="impression")
    assert [(f.code.value, f.severity.value) for f in flags if f.code.value == "G506"] == [
        ("G506", "warning")
    ]  # increased lung uptake (lung/heart ratio 0.62) is the one high-risk feature left out
    assert "lung" in next(f.message for f in flags if f.code.value == "G506")


def test_deleted_lvef_sentence_is_missing_even_with_the_prior_lvef(study_of: Callable[[str], Study]) -> None:
    study = study_of("spect_multivessel_high_risk")
    text = "Extensive ischemia of the LAD and LCx territories. The previous LVEF was 45%. High risk."
    assert "G504" in [f.code.value for f in verify(text, study, scope="impression")]


@pytest.mark.parametrize(
    "advice",
    [
        "Stress testing in six months is recommended.",
        "The patient can safely undergo surgery.",
        "These findings exclude significant coronary disease.",
        "No further cardiac testing is needed.",
    ],
)
def test_advice_is_unverified_for_a_physician_and_an_error_for_the_model(
    advice: str, study_of: Callable[[str], Study]
) -> None:
    study = study_of("spect_normal_exercise")
    by_physician = [(f.code.value, f.severity.value) for f in verify(advice, study)]
    by_model = [(f.code.value, f.severity.value) for f in verify(advice, study, origin="model")]
    assert by_physician == [("G411", "warning")]
    assert by_model == [("G411", "error")]


def test_defects_without_a_named_territory_state_abnormal_perfusion(study_of: Callable[[str], Study]) -> None:
    study = study_of("spect_three_vessel_tl201")
    text = "Thallium stress images show defects in all three coronary territories. EF 38%. High risk."
    assert "G505" not in [f.code.value for f in verify(text, study, scope="impression")]


def test_missing_scar_component_stays_an_error(study_of: Callable[[str], Study]) -> None:
    # a decision: the scar of a partially reversible defect is an infarct the impression must state, even
    # beside extensive ischemia (the multivessel example with rest scores of 2 in the apical LAD segments)
    data = study_of("spect_multivessel_high_risk").model_dump(mode="json", exclude_none=True)
    for row in data["perfusion"]["segments"]:
        if row["segment"] in (13, 17):
            row["rest"] = 2
    data["perfusion"].pop("summed_rest_score", None)
    data["perfusion"].pop("summed_difference_score", None)
    study = Study.model_validate(data)
    flags = verify("Abnormal perfusion with ischemia. High risk.", study, scope="impression")
    assert [(f.code.value, f.severity.value) for f in flags if f.code.value == "G502"] == [("G502", "error")]


def test_rest_scores_below_the_defect_threshold_make_a_partial_reading_a_warning(
    study_of: Callable[[str], Study],
) -> None:
    # the multivessel example's defects keep rest scores of 1: reversible by the rules, "predominantly
    # reversible, small fixed component" by some readers; shown as a warning, not an error
    text = "Severe inducible ischaemia in the LAD and LCx territories and a small fixed component."
    flags = verify(text, study_of("spect_multivessel_high_risk"))
    assert [(f.code.value, f.severity.value) for f in flags] == [("G303", "warning"), ("G403", "warning")]
    flags = verify("Reversible LAD defect with a large scar.", study_of("spect_lad_ischemia"))
    assert [(f.code.value, f.severity.value) for f in flags] == [("G403", "error")]


def test_a_change_from_the_prior_value_reads_the_first_number_as_the_prior(
    study_of: Callable[[str], Study],
) -> None:
    from reporter.prior import attach_prior_report

    study = attach_prior_report(study_of("spect_lad_ischemia"), "Normal myocardial perfusion. LVEF 60%.")
    assert verify("LVEF has decreased from 60% to 55%, a change of at least 5 points.", study) == []
    assert [f.code.value for f in verify("LVEF is 60%.", study)] == ["G101"]


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # segment scores 3, 2, 3, 2: the rules grade the defect by its predominant score (severe); a reader
        # may give the grades its segments span
        ("pet_n13_lcx_ischemia", "Moderate to severe reversible LCx defect.", []),
        ("pet_n13_lcx_ischemia", "Moderate reversible LCx defect.", []),
        ("pet_n13_lcx_ischemia", "Mild reversible LCx defect.", ["G301"]),
        # scores 2 and 1 (segments 7 and 13): "mild" is in the span, "severe" is not
        ("spect_followup_improved_lad", "Small, mild residual reversible anterior defect (LAD).", []),
        ("spect_followup_improved_lad", "Small, severe residual reversible anterior defect (LAD).", ["G301"]),
    ],
)
def test_a_defect_may_be_graded_by_the_span_of_its_segment_scores(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


def test_calcium_raised_risk_is_a_physicians_reading_and_a_models_error(study_of: Callable[[str], Study]) -> None:
    # low risk by perfusion; a calcium score of 450 (>= 300) adds long-term risk (CAC-DRS-2018)
    study = study_of("spect_normal_cac_450")
    text = "Normal perfusion. Severe CAC (450). Intermediate risk."
    assert [(f.code.value, f.severity.value) for f in verify(text, study)] == [("G801", "warning")]
    assert [(f.code.value, f.severity.value) for f in verify(text, study, origin="model")] == [("G801", "error")]
    assert errors("Normal perfusion. Severe CAC (450). High risk.", study) == ["G801"]
    assert errors("Normal perfusion. Severe CAC (450). Low risk.", study) == []


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # a list item's number after a sentence end is not a value ("... 1.12. 4) Peak HR")
        ("spect_lad_ischemia", "1) Reversible anterior defect. 2) TID ratio 1.12. 4) Peak HR 98 bpm.", []),
        # coordinated territories take the values that follow them in order
        ("pet_n13_lcx_ischemia", "LAD and RCA flow normal (stress 2.6 and 2.4 mL/min/g).", []),
        ("pet_n13_lcx_ischemia", "LAD and RCA flow normal (stress 2.4 and 2.6 mL/min/g).", ["G106"]),
        # "all three coronary territories" names LAD, LCx and RCA
        (
            "spect_three_vessel_tl201",
            "Defects in all three coronary territories (anterior and apical, inferolateral, inferior).",
            [],
        ),
        ("spect_multivessel_high_risk", "Defects in all three coronary territories.", ["G201"]),
        # "previously <finding>" is the prior's; ", now smaller" carries it on into this study
        ("spect_followup_improved_lad", "Previously large severe LAD ischemia, now small and mild.", []),
        ("spect_followup_new_lateral_ischemia", "Previously normal perfusion, now a new lateral defect.", []),
    ],
)
def test_binding_of_list_numbers_coordinated_territories_and_prior_clauses(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


def test_a_finding_the_prior_clause_carries_on_counts_as_stated(study_of: Callable[[str], Study]) -> None:
    study = study_of("spect_followup_improved_lad")
    text = "Previously large severe LAD ischemia, now small and mild. LVEF 57%. Intermediate risk."
    assert [f.code.value for f in verify(text, study, scope="impression") if f.severity.value == "error"] == []
    ended = "Previously large severe LAD ischemia, now resolved. LVEF 57%. Intermediate risk."
    # ... and ended where the study still shows LAD ischemia: a resolution the rules contradict (G702), and the
    # ischemia of this study left unstated (G501)
    assert [f.code.value for f in verify(ended, study, scope="impression") if f.severity.value == "error"] == [
        "G702",
        "G501",
    ]


@pytest.mark.parametrize(
    ("stem", "text", "flags"),
    [
        ("spect_lad_ischemia", "Nondiagnostic ECG response.", [("G607", "warning")]),
        ("spect_lad_ischemia", "Ischemic ECG response.", [("G607", "error")]),
        ("spect_followup_new_lateral_ischemia", "Equivocal ECG response.", [("G607", "warning")]),
        ("spect_followup_new_lateral_ischemia", "Nonischemic ECG response.", [("G607", "error")]),
        ("spect_lbbb_normal_perfusion", "Ischemic ECG response.", [("G607", "error")]),
    ],
)
def test_ecg_grading_differences_are_warnings_and_polarity_errors(
    stem: str, text: str, flags: list[tuple[str, str]], study_of: Callable[[str], Study]
) -> None:
    assert [(f.code.value, f.severity.value) for f in verify(text, study_of(stem))] == flags


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # wall motion the study explains without regional data: septal with LBBB, global with a reduced LVEF
        ("spect_lbbb_normal_perfusion", "Septal wall motion is abnormal due to LBBB.", []),
        ("spect_lbbb_normal_perfusion", "Mild global hypokinesis with an EF of 44%.", []),
        ("spect_lbbb_normal_perfusion", "Hypokinesis of the lateral wall.", ["G405", "G405"]),
        ("spect_poor_quality_attenuation", "Septal hypokinesis.", ["G405", "G405"]),
        ("spect_poor_quality_attenuation", "Global hypokinesis.", ["G405", "G405"]),
        # an annual event rate is a risk band, not a measured value
        ("spect_normal_exercise", "Favorable prognosis; annual event rate <1%.", []),
        # "compared with the study of <date>, which showed ...": the relative clause is the prior's
        (
            "spect_followup_improved_lad",
            "Small reversible anterior defect, improved compared with the study of 2025-10-15, which showed a "
            "large severe anterior/anteroseptal defect.",
            [],
        ),
        (
            "spect_followup_improved_lad",
            "Small reversible anterior defect, improved compared with the study of 2025-10-15, which showed a "
            "large severe inferior defect.",
            ["G702"],
        ),
    ],
)
def test_wall_motion_risk_band_and_relative_prior_clause(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("The prior study showed a large anterior defect.", []),
        # a wall of the prior defect's own territory (LAD) that its report did not name: unverified
        ("The prior study showed a large anterior and apical defect.", [("G702", "warning")]),
        ("The prior study showed a large inferior defect.", [("G702", "error")]),
    ],
)
def test_the_walls_said_of_the_prior_against_the_prior(
    text: str, flags: list[tuple[str, str]], study_of: Callable[[str], Study]
) -> None:
    study = study_of("spect_followup_improved_lad")  # prior: large severe reversible LAD defect, anterior/anteroseptal
    assert [(f.code.value, f.severity.value) for f in verify(text, study)] == flags


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # the prior's verdict in other word orders
        ("spect_followup_new_lateral_ischemia", "New LCx ischemia since 2024-08-27 (prior normal).", []),
        ("spect_followup_new_lateral_ischemia", "New LCx ischemia since 2024-08-27 (prior abnormal).", ["G702"]),
        ("spect_followup_new_lateral_ischemia", "New lateral defect. The previous scan was abnormal.", ["G702"]),
        ("spect_followup_new_lateral_ischemia", "New lateral defect. Comparison: 2024-08-27, abnormal.", ["G702"]),
        ("spect_followup_improved_lad", "The prior showed reduced LV function.", []),
        # risk in other word orders, and a stated range that holds the rules' category
        ("spect_lad_ischemia", "Annual event risk intermediate.", []),
        ("spect_lad_ischemia", "Annual event risk low.", ["G801"]),
        ("spect_lad_ischemia", "Risk: high.", ["G801"]),
        ("spect_lad_ischemia", "Low-intermediate risk.", []),
        ("spect_normal_exercise", "Intermediate-to-high risk.", ["G801"]),
        # hyphenated units: "a 6-point drop"
        ("pet_rb82_balanced_ischemia", "TID 1.16 and a 6-point drop in LVEF; stress MBF 1.38 mL/min/g.", []),
        ("pet_rb82_balanced_ischemia", "TID 1.16 and a 9-point drop in LVEF; stress MBF 1.38 mL/min/g.", ["G101"]),
        # per-vessel calcium after "CAC"
        ("spect_normal_cac_450", "CAC 450 (LAD 280, RCA 110, LCx 60).", []),
        ("spect_normal_cac_450", "CAC 450 (LAD 280, RCA 150, LCx 60).", ["G107"]),
    ],
)
def test_prior_verdicts_risk_orders_and_units(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("stem", "text", "flags"),
    [
        # invasive testing after a normal, low-risk study: the facts argue against it
        ("spect_normal_exercise", "Coronary angiography is recommended.", [("G412", "warning")]),
        # where ischemia makes the risk high, angiography is what the facts support: shown for information
        ("spect_followup_new_lateral_ischemia", "Coronary angiography is recommended.", [("G411", "info")]),
        # medical therapy is always supported
        ("spect_lad_ischemia", "Aggressive risk-factor management is advised.", [("G411", "info")]),
        ("spect_lad_ischemia", "Coronary angiography is recommended.", [("G411", "warning")]),
    ],
)
def test_advice_the_facts_support_or_argue_against(
    stem: str, text: str, flags: list[tuple[str, str]], study_of: Callable[[str], Study]
) -> None:
    study = study_of(stem)
    assert [(f.code.value, f.severity.value) for f in verify(text, study)] == flags
    assert {f.severity.value for f in verify(text, study, origin="model")} == {"error"}


@pytest.mark.parametrize(
    ("stem", "text", "flags"),
    [
        # ischemia below the SDS threshold (SDS 1, one segment 2 -> 1): the rules read the defect as fixed
        # (issue 14), so "fixed, no ischemia" is their reading; stating a little ischemia is a reading of the
        # one improving segment (a warning); calling it significant is an error
        (
            "dev_spect_lcx_scar_stable_vs_prior_report",
            "Fixed inferolateral/lateral defect (LCx) = prior infarct; no ischemia (SDS 1).",
            [],
        ),
        (
            "dev_spect_lcx_scar_stable_vs_prior_report",
            "LCx infarct with minimal residual peri-infarct ischemia.",
            [("G402", "warning")],
        ),
        (
            "dev_spect_lcx_scar_stable_vs_prior_report",
            "LCx infarct with significant residual peri-infarct ischemia.",
            [("G402", "error")],
        ),
        # an equivocal score-1 region with rest scores of 1: "fixed" is how it reads
        ("dev_spect_poor_quality_obese_probably_normal", "Mild fixed anterior defect, likely attenuation.", []),
        # a reversible defect states ischemia
        (
            "dev_spect_poor_quality_obese_probably_normal",
            "Probably normal; small reversible defect.",
            [("G402", "error")],
        ),
        # a proposed next test is not this study's modality
        (
            "dev_spect_poor_quality_obese_probably_normal",
            "If clinical suspicion remains high, PET myocardial perfusion imaging would be a reasonable next step.",
            [("G411", "warning")],
        ),
        # a negation does not cross a comma into a list item that states its own value
        (
            "dev_spect_exercise_normal_breast_atten",
            "Bruce 9.5 min, no angina, ECG positive for ischemia.",
            [("G607", "error")],
        ),
        # ischemia said of the perfusion images where only the flow reserve is reduced
        (
            "dev_pet_n13_normal_perfusion_reduced_mfr_cac0",
            "Relative myocardial perfusion is normal, with evidence of ischemia.",
            [("G402", "error")],
        ),
        (
            "dev_pet_n13_normal_perfusion_reduced_mfr_cac0",
            "Globally reduced flow reserve, balanced ischemia or microvascular disease.",
            [],
        ),
    ],
)
def test_dev_set_mechanisms(
    stem: str, text: str, flags: list[tuple[str, str]], study_of: Callable[[str], Study]
) -> None:
    study = study_of(stem)
    got = [(f.code.value, f.severity.value) for f in verify(text, study) if f.code.value not in ("G506", "G507")]
    assert got == flags


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # a label reaches its number over grade and place words ("LVEF is normal at 63%")
        ("dev_spect_poor_quality_obese_probably_normal", "LVEF is normal at 68%.", ["G101"]),
        ("dev_pet_rb82_lad_ischemia_flow", "Flow reserve in the LAD territory is markedly reduced at 1.13.", ["G106"]),
        ("dev_pet_rb82_lad_ischemia_flow", "Flow reserve in the LAD territory is markedly reduced at 1.31.", []),
        # the diseased vessel a conclusion names
        ("dev_pet_rb82_lad_ischemia_flow", "Consistent with a flow-limiting stenosis of the LAD.", []),
        ("dev_pet_rb82_lad_ischemia_flow", "Consistent with a flow-limiting stenosis of the circumflex.", ["G201"]),
        ("dev_pet_rb82_lad_ischemia_flow", "RCA disease is unlikely.", []),
        # CAC-DRS Agatston category
        ("dev_spect_regadenoson_rca_ischemia_cac860", "CAC 860, A3/N3.", []),
        ("dev_spect_regadenoson_rca_ischemia_cac860", "CAC 860, A2/N3.", ["G107"]),
        # abbreviations and findings a Study does not carry
        ("dev_spect_followup_worse_rca_exercise", "Ex MPI + no CP, 2 mm STD.", ["G601"]),
        ("dev_spect_poor_quality_obese_probably_normal", "EF 63%, ant HK.", ["G405"]),
        ("dev_spect_lcx_scar_stable_vs_prior_report", "LCx scar without aneurysm.", []),
        ("dev_spect_lcx_scar_stable_vs_prior_report", "LCx scar and an apical aneurysm.", ["G409"]),
    ],
)
def test_dev_set_numbers_vessels_and_words(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        # the defect was fixed on the prior and, its ischemia below the SDS threshold, is read as fixed now
        ("Appearances are unchanged from the previous scan two years ago.", []),
        ("Appearances are improved from the previous scan two years ago.", [("G702", "error")]),
    ],
)
def test_the_comparison_with_the_prior_follows_the_rules_reading(
    text: str, flags: list[tuple[str, str]], study_of: Callable[[str], Study]
) -> None:
    study = study_of("dev_spect_lcx_scar_stable_vs_prior_report")
    assert [(f.code.value, f.severity.value) for f in verify(text, study)] == flags


def test_a_reduced_global_flow_reserve_left_out_of_the_impression(study_of: Callable[[str], Study]) -> None:
    study = study_of("dev_pet_n13_normal_perfusion_reduced_mfr_cac0")  # global MFR 1.70 (reduced, not severe)
    said = "No perfusion defect. Globally reduced flow reserve (1.70). Normal LV function. Intermediate risk."
    left_out = "No perfusion defect. Normal LV function. Intermediate risk."
    assert [f.code.value for f in verify(said, study, scope="impression")] == []
    assert [(f.code.value, f.severity.value) for f in verify(left_out, study, scope="impression")] == [
        ("G508", "warning")
    ]


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # a second value keeps its own phase words ("47% versus 56% at rest"); "previously 4" is the prior's
        (
            "dev_spect_followup_worse_rca_exercise",
            "Worse since 11/2024 (SDS 14, previously 4). Post-stress LVEF 47% versus 56% at rest.",
            [],
        ),
        (
            "dev_spect_followup_worse_rca_exercise",
            "Worse since 11/2024 (SDS 14, previously 6). Post-stress LVEF 47% versus 56% at rest.",
            ["G104"],
        ),
        # an annual event rate "below 1%" is a risk band
        ("dev_spect_exercise_normal_breast_atten", "Low risk, annual event rate below 1%.", []),
        # a defect's extent in parentheses after its territory is not a value of the territory
        ("dev_pet_rb82_lad_ischemia_flow", "Large area of severe ischemia in the LAD territory (21% of the LV).", []),
        (
            "dev_pet_rb82_lad_ischemia_flow",
            "Large area of severe ischemia in the RCA territory (21% of the LV).",
            ["G201"],
        ),
    ],
)
def test_second_values_risk_bands_and_extent_in_parentheses(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


def test_a_known_infarct_named_as_history_is_still_named(study_of: Callable[[str], Study]) -> None:
    study = study_of("dev_spect_lcx_scar_stable_vs_prior_report")
    text = "Known circumflex infarct, unchanged; no inducible ischemia. Mildly reduced EF 44%. High risk."
    assert [f.code.value for f in verify(text, study, scope="impression") if f.severity.value == "error"] == []


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # Tl-201: the delayed (redistribution) images are the defect's reversibility
        ("test_spect_tl201_exercise_lcx_ischemia", "Reversible lateral wall defect (LCx) on redistribution.", []),
        ("test_spect_tl201_exercise_lcx_ischemia", "Fixed lateral wall defect (LCx).", ["G303"]),
        # "V5-6" names leads, not a number; the Duke "moderate" group is the "intermediate" risk readers write
        ("test_spect_tl201_exercise_lcx_ischemia", "1.5 mm horizontal STD I/aVL/V5-6, DTS -4.5 (intermed).", []),
        ("test_spect_tl201_exercise_lcx_ischemia", "Duke score -4.5, intermediate risk.", []),
        ("test_spect_tl201_exercise_lcx_ischemia", "Duke score -4.5, high risk.", ["G801"]),
        # "predominantly fixed", "fixed with mild reversibility at its margins": a partial reversal
        ("test_spect_lad_scar_peri_infarct_low_ef", "Large, severe, predominantly fixed anterior defect (LAD).", []),
        (
            "test_spect_lad_scar_peri_infarct_low_ef",
            "Severe fixed anterior/apical defect (LAD) with mild reversibility at its margins.",
            [],
        ),
        ("test_spect_lad_scar_peri_infarct_low_ef", "Large, severe, fixed anterior defect (LAD).", ["G303"]),
        # "no ECG ischemia" is the ECG's response; a test proposed "may be considered" is not this study's
        ("test_spect_lad_scar_peri_infarct_low_ef", "Regadenoson, flushing only, no ECG ischemia.", []),
        ("test_spect_lad_scar_peri_infarct_low_ef", "Viability assessment (FDG PET) may be considered.", []),
        ("test_spect_lad_scar_peri_infarct_low_ef", "Abnormal FDG PET.", ["G604", "G606"]),
    ],
)
def test_redistribution_partial_reversal_leads_and_proposed_tests(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # values by territory in parentheses after a labelled value are that quantity's
        (
            "test_pet_rb82_dipyridamole_balanced_ischemia",
            "Stress MBF 1.05 mL/min/g, MFR 1.17 (LAD 1.20, LCx 1.11, RCA 1.18).",
            [],
        ),
        (
            "test_pet_rb82_dipyridamole_balanced_ischemia",
            "Stress MBF 1.05 mL/min/g, MFR 1.17 (LAD 1.20, LCx 1.41, RCA 1.18).",
            ["G106"],
        ),
        # a territory that labels its own value does not reach back to the number before it
        ("test_pet_rb82_followup_improved_after_rca_pci", "MFR 2.79, RCA 2.57.", []),
        ("test_pet_rb82_followup_improved_after_rca_pci", "MFR 2.97, RCA 2.57.", ["G106"]),
        # "flow reserve 1.17 in all three territories" grades the flow, not the place of the defect
        (
            "test_pet_rb82_dipyridamole_balanced_ischemia",
            "Small mild inferolateral defect, with flow reserve 1.17 in all three territories.",
            [],
        ),
    ],
)
def test_flow_values_listed_by_territory(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # "unchanged" said of the old fixed defect, by its wall, its kind or its clause in a run-on sentence
        ("Small fixed basal-mid inferior defect (old MI), unchanged from 2023.", []),
        ("Worse vs 9/2023. Fixed inf scar unchanged.", []),
        ("The established inferior infarct is unchanged.", []),
        ("The established inferior infarct is new.", ["G702"]),
        (
            "Compared to the September 2023 study there are new areas of reversible ischemia, severe in the "
            "anterolateral wall, suggesting disease in the circumflex territory, the small fixed inferior defect "
            "from the old infarct is unchanged, there is transient ischemic dilation.",
            [],
        ),
        (
            "Compared to the September 2023 study there are new areas of reversible ischemia, severe in the "
            "anterolateral wall, suggesting disease in the circumflex territory, the small fixed inferior defect "
            "from the old infarct is new, there is transient ischemic dilation.",
            ["G702"],
        ),
    ],
)
def test_a_comparison_binds_to_the_defect_its_clause_names(
    text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of("test_spect_post_cabg_worse_lcx_lad_ischemia_tid")) == codes


def test_the_rule_sentence_on_a_submaximal_ecg_is_not_called_nonischemic(study_of: Callable[[str], Study]) -> None:
    study = study_of("spect_inferior_scar_attenuation")
    submaximal = study.model_copy(
        update={
            "patient": study.patient.model_copy(update={"age_years": 47}),
            "stress": study.stress.model_copy(update={"peak_hr_bpm": 134}),
        }
    )
    rule = "There were no ischemic ST-segment changes, but at a submaximal heart rate the ECG is non-diagnostic."
    assert [f.code.value for f in verify(rule, submaximal, origin="model")] == []
    alone = verify("No ischemic ST-segment changes.", submaximal, origin="model")
    assert [(f.code.value, f.severity.value) for f in alone] == [("G607", "error")]


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # a denied risk level is not a stated one; denying the rules' own level is an error
        ("test_spect_exercise_small_apical_lad_ischemia", "DTS +8. Not high risk.", []),
        ("test_spect_exercise_small_apical_lad_ischemia", "DTS +8. High risk.", ["G801"]),
        ("test_spect_tl201_exercise_lcx_ischemia", "Lateral ischemia. Not high risk.", ["G801"]),
        # a grade word before "ischaemia" grades its amount (the ischemic burden), not the defect's intensity
        (
            "test_spect_exercise_small_apical_lad_ischemia",
            "Small, moderate reversible apical defect, suggestive of mild inducible ischaemia in the LAD territory.",
            [],
        ),
        (
            "test_spect_exercise_small_apical_lad_ischemia",
            "Small, moderate reversible apical defect, suggestive of severe inducible ischaemia in the LAD territory.",
            ["G301"],
        ),
    ],
)
def test_denied_risk_and_the_grade_of_the_ischemia(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # a bound on the ischemic myocardium at a cut-point holds when the study's value lies on its side
        ("test_spect_exercise_small_apical_lad_ischemia", "Ischemic burden <10%: medical therapy favored.", []),
        ("test_spect_exercise_small_apical_lad_ischemia", "Ischemic burden >10%: revascularization.", ["G111"]),
        # ... and so does a bound at any other number (5.9 % of the LV; guard32): one on the wrong side is flagged
        ("test_spect_exercise_small_apical_lad_ischemia", "Ischemic burden <8%.", []),
        ("test_spect_exercise_small_apical_lad_ischemia", "Ischemic burden <4%.", ["G111"]),
        ("test_spect_exercise_small_apical_lad_ischemia", "Ischemic burden >8%.", ["G111"]),
        # a medication's dose is not a value of the study
        ("test_spect_stress_only_normal_cac145", "Statin plus aspirin 81 mg are recommended.", []),
        ("test_spect_stress_only_normal_cac145", "Tetrofosmin 81 mCi.", ["G110"]),
        # "ischaemic events" is a prognosis, not a finding
        ("test_spect_normal_regadenoson_lowlevel_ex_severe_cac_nongated", "Risk: low for ischaemic events.", []),
        ("test_spect_normal_regadenoson_lowlevel_ex_severe_cac_nongated", "Inferior ischaemia.", ["G401", "G402"]),
        # the prior's modality in a sentence about both studies
        (
            "test_pet_rb82_followup_improved_after_rca_pci",
            "Differences between SPECT and PET should be borne in mind when comparing the two studies.",
            [],
        ),
        (
            "test_pet_rb82_followup_improved_after_rca_pci",
            "The current SPECT study shows no perfusion abnormality.",
            ["G606"],
        ),
    ],
)
def test_bounds_medication_doses_prognosis_and_the_priors_modality(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


def test_a_finding_named_and_doubted_is_a_warning(study_of: Callable[[str], Study]) -> None:
    study = study_of("test_spect_exercise_small_apical_lad_ischemia")
    doubted = verify("Apical thinning is considered less likely given the reversibility.", study)
    assert [(f.code.value, f.severity.value) for f in doubted] == [("G409", "warning")]
    assert errors("Apical thinning.", study) == ["G409"]


def test_a_submaximal_nonischemic_reading_does_not_hide_an_ischemic_one(study_of: Callable[[str], Study]) -> None:
    study = study_of("spect_lad_ischemia")
    text = "There were no ischemic ST-segment changes (0.5 mm upsloping ST depression): a ischemic ECG response."
    assert [f.code.value for f in verify(text, study, origin="model")] == ["G607"]


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # lung uptake said after its noun ("uptake is increased")
        ("test_spect_tl201_exercise_lcx_ischemia", "Lung thallium uptake is not increased (ratio 0.38).", []),
        ("test_spect_tl201_exercise_lcx_ischemia", "Lung thallium uptake is increased (ratio 0.38).", ["G407"]),
        # the ischemia of a mostly fixed defect is graded by what reverses, not by its stress grade
        ("test_spect_lad_scar_peri_infarct_low_ef", "Mild peri-infarct ischaemia only (SDS 4).", []),
        ("test_spect_lad_scar_peri_infarct_low_ef", "Severe peri-infarct ischaemia (SDS 4).", ["G301"]),
    ],
)
def test_lung_uptake_after_its_noun_and_the_ischemia_of_a_scar(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # a finding denied after its noun, in the same clause
        ("Transient ischaemic dilatation and a post-stress fall in ejection fraction are present.", []),
        ("Transient ischaemic dilatation and a post-stress fall in ejection fraction are absent.", ["G601", "G602"]),
        # "but" ends the scope: the scar alone is denied
        ("Transient ischaemic dilatation is present, but scar is absent.", ["G601"]),
    ],
)
def test_a_finding_denied_after_its_noun(text: str, codes: list[str], study_of: Callable[[str], Study]) -> None:
    assert errors(text, study_of("test_spect_post_cabg_worse_lcx_lad_ischemia_tid")) == codes


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # a stress agent inside a study verdict ("Abnormal adenosine SPECT")
        ("test_spect_post_cabg_worse_lcx_lad_ischemia_tid", "1. Abnormal adenosine SPECT, high risk.", []),
        ("test_spect_post_cabg_worse_lcx_lad_ischemia_tid", "1. Abnormal regadenoson SPECT, high risk.", ["G603"]),
        # a defect attributed after it to another study ("seen on the SPECT study of November 2025") is the prior's
        (
            "test_pet_rb82_followup_improved_after_rca_pci",
            "The reversible inferior and inferoseptal defect seen on the SPECT study of November 2025 has resolved.",
            [],
        ),
        (
            "test_pet_rb82_followup_improved_after_rca_pci",
            "The reversible anterior and anteroseptal defect seen on the SPECT study of November 2025 has resolved.",
            ["G702", "G702"],
        ),
    ],
)
def test_agents_inside_a_verdict_and_a_defect_attributed_after_it(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # "a fixed defect" states scar, as "a reversible defect" states ischemia
        ("test_spect_tl201_exercise_lcx_ischemia", "No fixed defect to suggest prior infarction.", []),
        ("test_spect_tl201_exercise_lcx_ischemia", "A fixed defect suggests prior infarction.", ["G403"]),
    ],
)
def test_a_fixed_defect_states_scar(stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]) -> None:
    assert errors(text, study_of(stem)) == codes


def test_warrants_is_advice(study_of: Callable[[str], Study]) -> None:
    study = study_of("test_spect_normal_regadenoson_lowlevel_ex_severe_cac_nongated")
    flags = verify("Normal perfusion; the calcium burden warrants invasive coronary angiography.", study)
    assert [(f.code.value, f.severity.value) for f in flags] == [("G412", "warning")]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # a grade in parentheses beside the defect's territory grades the defect
        ("New reversible defects: apical lateral (LCx, severe) and basal-mid anterior (LAD, moderate).", []),
        ("New reversible defects: apical lateral (LCx, mild) and basal-mid anterior (LAD, moderate).", ["G301"]),
    ],
)
def test_a_grade_beside_the_territory_in_parentheses(
    text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of("test_spect_post_cabg_worse_lcx_lad_ischemia_tid")) == codes


def test_a_segment_list_headed_by_reversibility_and_a_prior_heading(study_of: Callable[[str], Study]) -> None:
    study = study_of("test_spect_post_cabg_worse_lcx_lad_ischemia_tid")
    text = (
        "Reversible (stress/rest): basal anterolateral 3/0, mid anterolateral 3/0. Fixed: basal inferior 2/2. "
        "SSS 16, SRS 4, SDS 12. Prior (09/2023): fixed basal and mid inferior only, SSS 4."
    )
    # ischemia, scar and abnormal perfusion are stated by the list; what it leaves out are warnings
    assert [f.code.value for f in verify(text, study, scope="impression") if f.severity.value == "error"] == []
    unheaded = verify(text.replace("Reversible (stress/rest)", "Segments"), study, scope="impression")
    # unheaded, the study's own SDS 12 still names the ischemia by its measure (guard31): the missing word a warning
    assert [f.code.value for f in unheaded if f.severity.value == "error"] == []
    assert "G501" in [f.code.value for f in unheaded if f.severity.value == "warning"]
    assert errors(text.replace("SSS 16", "SSS 4"), study) == ["G104"]
