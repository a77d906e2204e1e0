"""The rule engine, one behaviour per test, with literal expected findings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from reporter.domain.finding import Finding, FindingCode
from reporter.domain.rules import codes, evaluate
from reporter.domain.study import Study
from reporter.domain.thresholds import Thresholds
from reporter.domain.vocabulary import Severity, SeverityRange

C = FindingCode


def only(findings: list[Finding], code: FindingCode) -> Finding:
    matches = [f for f in findings if f.code is code]
    assert len(matches) == 1, codes(findings)
    return matches[0]


def all_of(findings: list[Finding], code: FindingCode) -> list[Finding]:
    return [f for f in findings if f.code is code]


def test_reversible_lad_defect_from_segment_scores(make_study: Callable[..., Study]) -> None:
    # Segments 1, 7, 13 scored 2 at stress and 0 at rest.
    found = evaluate(make_study({1: 2, 7: 2, 13: 2}, {}))
    defect = only(found, C.PERFUSION_DEFECT)
    assert defect.territory == "LAD"
    assert defect.segments == (1, 7, 13)
    assert defect.walls == ("anterior",)
    assert defect.severity == SeverityRange(Severity.MODERATE, Severity.MODERATE)
    assert str(defect.severity) == "moderate"
    assert defect.extent == "medium"
    assert defect.reversibility == "reversible"
    assert "percent_lv" not in defect.values  # the one "% of the LV" is the ischemic burden (SDS / 68)
    assert defect.values["summed_difference"] == 6
    assert defect.values["ischemia"] is True
    assert defect.values["scar"] is False
    assert defect.guideline == "ASNC-SPECT-2018"
    assert defect.evidence[:3] == (
        "perfusion.segments[1].stress",
        "perfusion.segments[7].stress",
        "perfusion.segments[13].stress",
    )
    burden = only(found, C.ISCHEMIC_BURDEN)
    assert burden.values == {
        "ischemic_percent": 8.8,
        "basis": "SDS",
        "category": "mild",
        "scar_percent": None,
        "ischemia": True,
        "sds": 6,
        "srs": 0,
        "max_score": 68,
    }


@pytest.mark.parametrize(
    ("stress", "rest", "reversibility", "severity"),
    [
        ({4: 3, 10: 3}, {4: 3, 10: 3}, "fixed", "severe"),
        # a rest score of 1 is within normal variation, not scar (same threshold as a defect: >= 2)
        ({4: 3, 10: 2}, {4: 1, 10: 0}, "reversible", "severe"),
        ({4: 3, 10: 3}, {4: 2, 10: 0}, "partially reversible", "severe"),
        # graded by the predominant segment score (ties: the more severe), not as a range
        ({3: 2, 4: 2, 10: 3}, {3: 0, 4: 0, 10: 0}, "reversible", "moderate"),
        ({4: 4, 10: 1}, {4: 0, 10: 0}, "reversible", "severe"),
    ],
)
def test_reversibility_and_severity_from_stress_and_rest(
    make_study: Callable[..., Study],
    stress: dict[int, int],
    rest: dict[int, int],
    reversibility: str,
    severity: str,
) -> None:
    defect = only(evaluate(make_study(stress, rest)), C.PERFUSION_DEFECT)
    assert (defect.territory, defect.reversibility, str(defect.severity)) == ("RCA", reversibility, severity)


@pytest.mark.parametrize(
    ("segments", "extent"),
    [
        ((5,), "small"),
        ((5, 6), "small"),
        ((5, 6, 11), "medium"),
        ((5, 6, 11, 12), "medium"),
        ((5, 6, 11, 12, 16), "large"),
    ],
)
def test_extent_by_number_of_segments(make_study: Callable[..., Study], segments: tuple[int, ...], extent: str) -> None:
    defect = only(evaluate(make_study(dict.fromkeys(segments, 2), {})), C.PERFUSION_DEFECT)
    assert (defect.territory, defect.extent) == ("LCx", extent)


def test_score_one_alone_is_equivocal_not_a_defect(make_study: Callable[..., Study]) -> None:
    found = evaluate(make_study({3: 1}, {}))
    assert all_of(found, C.PERFUSION_DEFECT) == []
    region = only(found, C.PERFUSION_EQUIVOCAL_REGION)
    assert (region.territory, region.segments, region.certainty) == ("RCA", (3,), "uncertain")
    assert only(found, C.IMPRESSION_PERFUSION).values["category"] == "probably normal"


def test_territory_override_moves_a_segment(
    make_study: Callable[..., Study], study_dict: Callable[..., dict[str, Any]]
) -> None:
    data = study_dict({15: 2}, {})
    data["perfusion"]["territory_overrides"] = {"15": "LAD"}  # a wrap-around LAD supplies the inferior apex
    defect = only(evaluate(Study.model_validate(data)), C.PERFUSION_DEFECT)
    assert (defect.territory, defect.segments) == ("LAD", (15,))


def test_two_territories_are_a_high_risk_multivessel_pattern(make_study: Callable[..., Study]) -> None:
    found = evaluate(make_study({1: 2, 7: 2, 4: 2, 10: 2}, {}))
    assert [d.territory for d in all_of(found, C.PERFUSION_DEFECT)] == ["LAD", "RCA"]
    features = [f.values for f in all_of(found, C.HIGH_RISK_FEATURE)]
    assert features == [
        {"feature": "ischemic_burden", "ischemic_percent": 11.8, "threshold": 10.0},
        {"feature": "multivessel_defects", "territories": ("LAD", "RCA")},
    ]
    assert only(found, C.RISK).values["category"] == "high"


@pytest.mark.parametrize(
    ("prior_mi", "features", "risk"),
    [
        (True, [], "intermediate"),
        (False, [{"feature": "large_defect", "territory": "LCx"}], "high"),
    ],
)
def test_a_large_fixed_defect_is_high_risk_only_without_a_known_infarct(
    make_study: Callable[..., Study], prior_mi: bool, features: list[dict[str, Any]], risk: str
) -> None:
    # ACC-AHA-SIHD-2012: a resting abnormality >= 10 % is high risk "in patients without prior history or evidence
    # of MI"; with a known MI the large scar is graded by the LV function it leaves (here LVEF 45 %: intermediate)
    scar = dict.fromkeys((5, 6, 11, 12, 16), 3)
    found = evaluate(
        make_study(
            scar, scar, clinical={"indication": "Dyspnoea.", "prior_mi": prior_mi}, function={"stress_lvef_percent": 45}
        )
    )
    assert [(d.reversibility, d.extent) for d in all_of(found, C.PERFUSION_DEFECT)] == [("fixed", "large")]
    assert [f.values for f in all_of(found, C.HIGH_RISK_FEATURE)] == features
    assert only(found, C.RISK).values["category"] == risk


def test_normal_study_is_low_risk(make_study: Callable[..., Study]) -> None:
    found = evaluate(make_study(function={"stress_lvef_percent": 63}))
    assert only(found, C.PERFUSION_NORMAL).certainty == "negated"
    assert only(found, C.IMPRESSION_PERFUSION).values["category"] == "normal"
    assert only(found, C.RISK).values == {
        "category": "low",
        "reasons": ({"reason": "perfusion", "category": "normal"}, {"reason": "normal_lvef"}),
        "annual_rate_lower": None,
        "annual_rate_upper": 1.0,
        "qualifiers": ("pharmacologic stress",),
        "age_years": 60,
        "quality_limited": False,
        "calcium_long_term": None,
        "calcium_threshold": 300.0,
    }


@pytest.mark.parametrize(
    ("sex", "lvef", "category"),
    [
        ("male", 52, "normal"),
        ("male", 51, "mildly reduced"),
        ("female", 53, "mildly reduced"),
        ("female", 54, "normal"),
        ("male", 41, "mildly reduced"),
        ("male", 40, "moderately reduced"),
        ("female", 30, "moderately reduced"),
        ("female", 29, "severely reduced"),
    ],
)
def test_lvef_category_uses_sex_specific_limits(
    make_study: Callable[..., Study], sex: str, lvef: float, category: str
) -> None:
    study = make_study(patient={"age_years": 60, "sex": sex}, function={"stress_lvef_percent": lvef})
    assert only(evaluate(study), C.LVEF).values["category"] == category


def test_low_lvef_and_post_stress_drop_are_high_risk(make_study: Callable[..., Study]) -> None:
    found = evaluate(make_study(function={"stress_lvef_percent": 30, "rest_lvef_percent": 36}))
    assert only(found, C.POST_STRESS_LVEF_DROP).values == {
        "drop_points": 6.0,
        "rest": 36.0,
        "stress": 30.0,
        "pet": False,
        "reserve": None,
        "abnormal": True,
    }
    assert [f.values for f in all_of(found, C.HIGH_RISK_FEATURE)] == [
        {"feature": "low_lvef", "lvef": 30.0, "threshold": 35.0, "phase": "post-stress"},
        {"feature": "post_stress_lvef_drop", "drop_points": 6.0, "pet": False},
    ]


@pytest.mark.parametrize(
    ("modality_block", "stress_block", "ratio", "limit", "abnormal"),
    [
        (None, None, 1.30, 1.36, False),  # Tc-99m vasodilator SPECT
        (None, {"type": "exercise", "exercise_protocol": "Bruce"}, 1.30, 1.22, True),  # Tc-99m exercise SPECT
        (
            {
                "modality": "PET",
                "protocol": "rest-stress",
                "tracers": [{"tracer": "Rb-82", "phase": "rest"}, {"tracer": "Rb-82", "phase": "stress"}],
            },
            None,
            1.15,
            1.13,
            True,
        ),
    ],
)
def test_tid_limit_depends_on_protocol_and_tracer(
    make_study: Callable[..., Study],
    modality_block: dict[str, Any] | None,
    stress_block: dict[str, Any] | None,
    ratio: float,
    limit: float,
    abnormal: bool,
) -> None:
    blocks: dict[str, Any] = {"function": {"tid_ratio": ratio}}
    if modality_block:
        blocks["procedure"] = modality_block
    if stress_block:
        blocks["stress"] = stress_block
    tid = only(evaluate(make_study(**blocks)), C.TID)
    assert (tid.values["upper_normal"], tid.values["abnormal"]) == (limit, abnormal)


def test_site_thresholds_change_the_tid_call(make_study: Callable[..., Study]) -> None:
    site = Thresholds.model_validate({"tid_limits": [{"upper_normal": 1.10, "source": "our lab normal database"}]})
    tid = only(evaluate(make_study(function={"tid_ratio": 1.12}), site), C.TID)
    assert tid.values["abnormal"] is True
    assert tid.values["limit_source"] == "our lab normal database"


@pytest.mark.parametrize(
    ("angina", "st_mm", "minutes", "score", "category"),
    [
        ("none", 0.0, 9.0, 9.0, "low risk"),
        ("non-limiting", 1.0, 6.0, -3.0, "moderate risk"),
        ("limiting", 2.0, 3.0, -15.0, "high risk"),
    ],
)
def test_duke_treadmill_score(
    make_study: Callable[..., Study], angina: str, st_mm: float, minutes: float, score: float, category: str
) -> None:
    stress = {
        "type": "exercise",
        "exercise_protocol": "Bruce",
        "exercise_duration_min": minutes,
        "angina": angina,
        "st_depression_mm": st_mm,
        "st_slope": "horizontal",
    }
    assert only(evaluate(make_study(stress=stress)), C.DUKE_SCORE).values == {
        "score": score,
        "category": category,
        "limited": None,
    }


def test_a_low_duke_score_at_a_submaximal_heart_rate_is_said_to_reassure_less(
    make_study: Callable[..., Study],
) -> None:
    stress = {
        "type": "exercise",
        "exercise_protocol": "Bruce",
        "exercise_duration_min": 9,
        "angina": "none",
        "st_depression_mm": 0,
        "rest_hr_bpm": 60,
        "peak_hr_bpm": 120,
    }
    assert only(evaluate(make_study(stress=stress)), C.DUKE_SCORE).values == {
        "score": 9.0,
        "category": "low risk",
        "limited": "submaximal heart rate",
    }


def test_duke_score_needs_bruce_and_st_data(make_study: Callable[..., Study]) -> None:
    stress = {"type": "exercise", "exercise_protocol": "Bruce", "exercise_duration_min": 9, "angina": "none"}
    assert all_of(evaluate(make_study(stress=stress)), C.DUKE_SCORE) == []


@pytest.mark.parametrize(
    ("peak_hr", "st_mm", "slope", "baseline", "response"),
    [
        (150, 0.0, None, "normal", "nonischemic"),
        (120, 0.0, None, "normal", "nondiagnostic"),
        (150, 1.5, "horizontal", "normal", "ischemic"),
        (150, 1.5, "upsloping", "normal", "equivocal"),
        (150, 0.0, None, "left bundle branch block", "nondiagnostic"),
        # RBBB: ST depression outside V1-V3 stays readable (ACC-AHA-EXERCISE-2002)
        (150, 2.0, "downsloping", "right bundle branch block", "ischemic"),
        (150, 0.0, None, "right bundle branch block", "nonischemic"),
    ],
)
def test_exercise_ecg_response(
    make_study: Callable[..., Study], peak_hr: int, st_mm: float, slope: str | None, baseline: str, response: str
) -> None:
    stress = {
        "type": "exercise",
        "rest_hr_bpm": 70,
        "peak_hr_bpm": peak_hr,
        "st_depression_mm": st_mm,
        "st_slope": slope,
        "baseline_ecg": baseline,
    }
    # age 60: maximum 160 bpm; 150 bpm is 94 %, 120 bpm is 75 %
    assert only(evaluate(make_study(stress=stress)), C.STRESS_ECG).values["response"] == response


def test_rbbb_baseline_cites_the_exercise_guideline(make_study: Callable[..., Study]) -> None:
    found = evaluate(make_study(stress={"type": "exercise", "baseline_ecg": "right bundle branch block"}))
    baseline = only(found, C.BASELINE_ECG)
    assert (baseline.values, baseline.guideline) == ({"baseline": "right bundle branch block"}, "ACC-AHA-EXERCISE-2002")


@pytest.mark.parametrize(("uptake", "found"), [("increased", [{"uptake": "increased"}]), ("normal", []), (None, [])])
def test_increased_rv_uptake_is_a_finding(
    study_dict: Callable[..., dict[str, Any]], uptake: str | None, found: list[dict[str, str]]
) -> None:
    data = study_dict()
    if uptake is not None:
        data["perfusion"]["rv_uptake"] = uptake
    rv = all_of(evaluate(Study.model_validate(data)), C.RV_UPTAKE)
    assert [f.values for f in rv] == found
    assert [(f.guideline, f.evidence, f.section.value) for f in rv] == [
        ("ASNC-SPECT-2018", ("perfusion.rv_uptake",), "ancillary")
    ] * len(found)


def test_exercise_hypotension_is_high_risk(make_study: Callable[..., Study]) -> None:
    stress = {"type": "exercise", "rest_sbp_mmhg": 150, "rest_dbp_mmhg": 80, "peak_sbp_mmhg": 135}
    found = evaluate(make_study(stress=stress))
    assert only(found, C.STRESS_BLOOD_PRESSURE).values["hypotensive"] is True
    assert [f.values for f in all_of(found, C.HIGH_RISK_FEATURE)] == [{"feature": "exercise_hypotension"}]


@pytest.mark.parametrize(("mfr", "category"), [(2.3, "normal"), (1.9, "reduced"), (1.4, "severely reduced")])
def test_pet_flow_reserve_category(make_study: Callable[..., Study], mfr: float, category: str) -> None:
    pet = {
        "modality": "PET",
        "protocol": "rest-stress",
        "tracers": [{"tracer": "Rb-82", "phase": "rest"}, {"tracer": "Rb-82", "phase": "stress"}],
    }
    found = evaluate(make_study(procedure=pet, flow={"mfr": mfr}))
    assert only(found, C.FLOW_GLOBAL).values["category"] == category


_PET = {
    "modality": "PET",
    "protocol": "rest-stress",
    "tracers": [{"tracer": "Rb-82", "phase": "rest"}, {"tracer": "Rb-82", "phase": "stress"}],
}


def _regional_flow(rca_mfr: float) -> dict[str, object]:
    """Global flow reserve 2.4 (normal); LAD and LCx 2.6, the RCA's as given."""
    return {
        "mfr": 2.4,
        "territories": [
            {"territory": "LAD", "rest_mbf_ml_min_g": 0.9, "stress_mbf_ml_min_g": 2.34},
            {"territory": "LCx", "rest_mbf_ml_min_g": 0.9, "stress_mbf_ml_min_g": 2.34},
            {"territory": "RCA", "rest_mbf_ml_min_g": 0.9, "stress_mbf_ml_min_g": round(0.9 * rca_mfr, 2)},
        ],
    }


@pytest.mark.parametrize(
    ("rca_mfr", "category", "reasons"),
    [
        # a territory's flow reserve below 2.0 that the relative images do not show raises the risk as a globally
        # reduced reserve does (SNMMI-ASNC-PET-FLOW-2018; ASNC-SNMMI-PET-MBF-2021)
        (1.7, "intermediate", [{"reason": "flow_reserve", "category": "reduced", "mfr": 1.7, "territory": "RCA"}]),
        (
            1.3,
            "intermediate",
            [{"reason": "flow_reserve", "category": "severely reduced", "mfr": 1.3, "territory": "RCA"}],
        ),
        # every territory at 2.0 or above: low risk
        (2.1, "low", [{"reason": "perfusion", "category": "normal"}]),
    ],
)
def test_a_regional_flow_reserve_reduction_without_a_defect_raises_the_risk(
    make_study: Callable[..., Study], rca_mfr: float, category: str, reasons: list[dict[str, object]]
) -> None:
    risk = only(evaluate(make_study(procedure=_PET, flow=_regional_flow(rca_mfr))), C.RISK)
    assert (risk.values["category"], list(risk.values["reasons"])) == (category, reasons)


def test_a_regional_flow_reserve_reduction_under_a_defect_is_graded_by_the_defect(
    make_study: Callable[..., Study],
) -> None:
    # a small reversible inferior (RCA) defect: the RCA's reduced reserve is its flow correlate, no second reason
    perfusion = {
        "segments": [{"segment": n, "stress": 2 if n in (4, 10) else 0, "rest": 0} for n in range(1, 18)],
    }
    found = evaluate(make_study(procedure=_PET, perfusion=perfusion, flow=_regional_flow(1.5)))
    reasons = only(found, C.RISK).values["reasons"]
    assert [r.get("reason") for r in reasons] == ["perfusion"]


def test_balanced_reduction_when_all_territories_reduced_and_perfusion_normal(
    example: Callable[[str], Study],
) -> None:
    found = evaluate(example("pet_rb82_balanced_ischemia"))
    assert only(found, C.FLOW_GLOBAL).values["mfr"] == 1.35
    assert [f.values["category"] for f in all_of(found, C.FLOW_REGIONAL)] == ["severely reduced"] * 3
    assert only(found, C.FLOW_BALANCED_REDUCTION).certainty == "uncertain"


@pytest.mark.parametrize(
    ("score", "category"),
    [
        (0, "no identifiable coronary calcium"),
        (1, "mild"),
        (99, "mild"),
        (100, "moderate"),
        (299, "moderate"),
        (300, "severe"),
    ],
)
def test_cac_category(make_study: Callable[..., Study], score: float, category: str) -> None:
    found = evaluate(make_study(calcium={"agatston_total": score}))
    assert only(found, C.CALCIUM).values["category"] == category


def test_normal_perfusion_with_cac_450_is_low_risk_with_calcium_as_a_separate_long_term_risk(
    example: Callable[[str], Study],
) -> None:
    risk = only(evaluate(example("spect_normal_cac_450")), C.RISK)
    assert risk.values == {
        "category": "low",
        "reasons": ({"reason": "perfusion", "category": "normal"}, {"reason": "normal_lvef"}),
        "annual_rate_lower": None,
        "annual_rate_upper": 1.0,
        "qualifiers": (),
        "age_years": 61,
        "quality_limited": False,
        "calcium_long_term": 450.0,
        "calcium_threshold": 300.0,
    }


def test_fixed_defect_with_normal_motion_in_attenuated_wall_is_uncertain(make_study: Callable[..., Study]) -> None:
    perfusion = {
        "segments": [
            {"segment": n, "stress": 2 if n in (4, 10) else 0, "rest": 2 if n in (4, 10) else 0} for n in range(1, 18)
        ],
        "artifacts": [{"kind": "attenuation", "wall": "inferior", "note": "diaphragmatic"}],
    }
    function = {"stress_lvef_percent": 60, "wall_motion": [{"segment": n, "motion": "normal"} for n in range(1, 18)]}
    found = evaluate(make_study(perfusion=perfusion, function=function))
    defect = only(found, C.PERFUSION_DEFECT)
    assert (defect.reversibility, defect.certainty, defect.values["scar"]) == ("fixed", "uncertain", False)
    # SSS 4 is mildly abnormal, so a likely-artifact defect makes the study equivocal, not normal
    assert only(found, C.IMPRESSION_PERFUSION).values["category"] == "equivocal"


def test_new_defect_compared_with_a_normal_prior(example: Callable[[str], Study]) -> None:
    found = evaluate(example("spect_followup_new_lateral_ischemia"))
    new = only(found, C.COMPARISON_DEFECT_NEW)
    assert (new.territory, new.values["prior_date"]) == ("LCx", "2024-08-27")
    assert only(found, C.COMPARISON_ISCHEMIA).values["direction"] == "increased"
    assert only(found, C.COMPARISON_LVEF).values == {
        "prior": 60.0,
        "current": 56.0,
        "delta": -4.0,
        "direction": "unchanged",
        "stunning_rest": None,
        "threshold": 5.0,
    }
    assert only(found, C.COMPARISON_OVERALL).values["changed"] is True


def test_resolved_and_unchanged_defects_against_a_structured_prior(make_study: Callable[..., Study]) -> None:
    prior = {
        "study_date": "2024-01-01",
        "defects": [
            {"territory": "LAD", "severity": "moderate", "extent": "medium", "reversibility": "reversible"},
            {"walls": ["inferior"], "severity": "moderate", "extent": "small", "reversibility": "fixed"},
        ],
    }
    study = make_study({4: 2, 10: 2}, {4: 2, 10: 2}, prior=prior, study_date="2026-01-01")
    found = evaluate(study)
    assert [(f.code.value, f.territory) for f in found if f.section == "comparison"] == [
        ("COMPARISON_DEFECT_RESOLVED", "LAD"),
        ("COMPARISON_DEFECT_UNCHANGED", "RCA"),
    ]


def test_no_prior_says_so(make_study: Callable[..., Study]) -> None:
    assert only(evaluate(make_study()), C.COMPARISON_NONE).certainty == "negated"


@pytest.mark.parametrize(
    ("stem", "perfusion", "risk"),
    [
        ("spect_normal_exercise", "normal", "low"),
        ("spect_lad_ischemia", "abnormal", "intermediate"),
        ("spect_inferior_scar_attenuation", "abnormal", "intermediate"),
        ("spect_multivessel_high_risk", "abnormal", "high"),
        ("pet_rb82_balanced_ischemia", "probably normal", "high"),
        ("spect_normal_cac_450", "normal", "low"),
        ("spect_stress_only_normal", "normal", "low"),
        ("spect_followup_new_lateral_ischemia", "abnormal", "high"),
    ],
)
def test_examples_impression_and_risk(example: Callable[[str], Study], stem: str, perfusion: str, risk: str) -> None:
    found = evaluate(example(stem))
    assert only(found, C.IMPRESSION_PERFUSION).values["category"] == perfusion
    assert only(found, C.RISK).values["category"] == risk


def test_every_finding_names_its_evidence_and_a_known_rule(example: Callable[[str], Study]) -> None:
    for finding in evaluate(example("spect_multivessel_high_risk")):
        assert finding.evidence
        assert finding.rule


def test_changed_defect_lists_coded_changes_and_the_template_words_them(make_study: Callable[..., Study]) -> None:
    from reporter.render import template_set

    prior = {
        "study_date": "2024-01-01",
        "defects": [{"territory": "LAD", "severity": "severe", "extent": "small", "reversibility": "fixed"}],
    }
    found = evaluate(make_study({1: 2, 7: 2, 13: 2}, {}, prior=prior, study_date="2026-01-01"))
    changed = only(found, C.COMPARISON_DEFECT_CHANGED)
    assert changed.values["changes"] == (
        {"change": "less severe"},
        {"change": "larger"},
        {"change": "reversibility", "now": "reversible", "previously": "fixed"},
    )
    assert template_set().phrase(changed) == (
        "Compared with the prior study of 2024-01-01, the defect in the LAD territory is less severe, larger "
        "and now reversible (previously fixed)."
    )
    overall = only(found, C.COMPARISON_OVERALL)
    assert overall.values["changes"][0]["change"] == "changed_defect"
    assert template_set().phrase(overall) == (
        "Changed since the prior study of 2024-01-01: LAD-territory defect less severe and larger and now reversible "
        "(previously fixed)."
    )


def test_a_mild_region_the_same_at_rest_is_fixed(make_study: Callable[..., Study]) -> None:
    # the guardrails read "mild fixed anterior defect" against it (no reversibility is claimed for 1 -> 0)
    found = evaluate(make_study({1: 1, 7: 1, 4: 1}, {1: 1, 7: 1}))
    assert [(f.territory, f.reversibility) for f in all_of(found, C.PERFUSION_EQUIVOCAL_REGION)] == [
        ("LAD", "fixed"),
        ("RCA", None),
    ]
