"""The guardrails compare coded Findings: high-risk features by code, statement checks by concept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from guardrails import verify
from guardrails.checks import FINDING_CHECKS
from guardrails.facts import facts_of
from reporter.domain.rules import evaluate
from reporter.domain.study import Study
from reporter.domain.vocabulary import HighRiskFeature


def test_statement_checks_are_registered_per_concept_in_report_order() -> None:
    assert list(FINDING_CHECKS) == [
        "ischemia", "scar", "tid", "wall_motion", "artifact", "lung_uptake", "rv", "lvef_drop", "hypotension",
        "hypertensive_response", "esv_high", "balanced", "wall_motion_abnormal", "apical_thinning", "aneurysm",
        "thrombus", "lbbb_artifact",
            "allograft_vasculopathy", "lv_size",
        "calcification", "perfusion_result", "defect", "segment_score", "lvef_category", "ecg", "agent",
        "stress_type", "protocol", "tracer", "modality", "chest_pain", "stress_course", "attenuation_correction",
        "stop_reason", "vt", "svt",
        "ectopy", "bundle_branch_block", "exercise_capacity", "ecg_event_course", "av_block_degree", "advice",
        "ischemia_grade", "mfr_grade", "stress_flow_grade",
        "flow_confined", "cac_grade", "cac_drs", "calcium_vessel", "calcium_most",
        "culprit", "obstructive_cad", "restenosis", "cardiomyopathy", "study_result", "verdict_grade", "hr_adequacy",
        "infarct_history", "artifact_after_ac", "artifact_resolved_by_ac",
    ]  # fmt: skip


def test_high_risk_facts_carry_the_code_and_the_template_words(multivessel: Study) -> None:
    fx = facts_of(multivessel, evaluate(multivessel))
    assert [(h.feature, h.words) for h in fx.high_risk_features] == [
        (HighRiskFeature.ISCHEMIC_BURDEN, "ischemia of 33.8% of the LV (>= 10%)"),
        (HighRiskFeature.MULTIVESSEL_DEFECTS, "perfusion defects in multiple vascular territories (LAD and LCx)"),
        (HighRiskFeature.LARGE_DEFECT, "large LAD perfusion defect"),
        (HighRiskFeature.TRANSIENT_ISCHEMIC_DILATION, "transient ischemic dilation (TID ratio 1.34)"),
        (HighRiskFeature.LOW_LVEF, "post-stress LVEF 31% (< 35%)"),
        (HighRiskFeature.POST_STRESS_LVEF_DROP, "post-stress LVEF drop of 7 points"),
        (HighRiskFeature.HIGH_ESV, "post-stress ESV 116 mL (> 70 mL)"),
        (HighRiskFeature.DUKE_HIGH_RISK, "Duke treadmill score -16.5"),
        (HighRiskFeature.EXERCISE_HYPOTENSION, "exercise-induced hypotension"),
    ]
    assert fx.esv_limit_ml == 70.0


def test_missing_high_risk_feature_is_named_in_the_template_words(multivessel: Study) -> None:
    flags = verify("Abnormal perfusion with ischemia. High risk.", multivessel, scope="impression")
    assert [(f.code.value, f.message) for f in flags] == [
        ("G504", "The impression does not mention the reduced LVEF."),
        # "abnormal perfusion with ischemia" names no wall or territory (a warning)
        ("G505", "The impression does not say where the defect lies."),
        # every missing high-risk feature is its own flag (they share code and an empty span)
        ("G506", "The impression does not mention ischemia of 33.8% of the LV (>= 10%)."),
        ("G506", "The impression does not mention perfusion defects in multiple vascular territories (LAD and LCx)."),
        ("G506", "The impression does not mention large LAD perfusion defect."),
        ("G506", "The impression does not mention transient ischemic dilation (TID ratio 1.34)."),
        ("G506", "The impression does not mention post-stress LVEF 31% (< 35%)."),
        ("G506", "The impression does not mention post-stress LVEF drop of 7 points."),
        ("G506", "The impression does not mention post-stress ESV 116 mL (> 70 mL)."),
        ("G506", "The impression does not mention Duke treadmill score -16.5."),
        ("G506", "The impression does not mention exercise-induced hypotension."),
        # the ventricular tachycardia of the stress data (a warning: an ACC-AHA-SIHD-2012 high-risk ECG finding)
        ("G506", "The impression does not mention the ventricular tachycardia during stress."),
        # an exercise test's ischemic ECG, concordant with the perfusion, is still stated (a warning)
        ("G510", "The impression does not mention the ischemic stress ECG response."),
    ]


def _rv_study(study_dict: Callable[..., dict[str, Any]], uptake: str | None) -> Study:
    data = study_dict()
    if uptake is not None:
        data["perfusion"]["rv_uptake"] = uptake
    return Study.model_validate(data)


@pytest.mark.parametrize(
    ("uptake", "text", "flags"),
    [
        # the study's perfusion.rv_uptake decides a claim of RV uptake, either way
        ("normal", "Tracer uptake in the RV wall is mildly increased.", [("G408", "error")]),
        ("normal", "Prominent RV visualization, in keeping with pressure overload.", [("G408", "error")]),
        ("increased", "Tracer uptake in the RV wall is mildly increased.", []),
        ("increased", "There is no increased right ventricular tracer uptake.", [("G601", "error")]),
        ("normal", "There is no increased right ventricular tracer uptake.", []),
        # ... and increased uptake says nothing of its size: denying an enlarged RV is no error
        ("increased", "Without RV enlargement.", []),
        # normal uptake says nothing of the RV's size: a dilated RV stays unverified (a warning), not an error
        ("normal", "The right ventricle appears enlarged.", [("G408", "warning")]),
        ("normal", "The right ventricle appears enlarged, with normal tracer uptake.", [("G408", "warning")]),
        # a study without the field: as before, an RV claim is unverified
        (None, "Tracer uptake in the RV wall is mildly increased.", [("G408", "warning")]),
        (None, "There is no increased right ventricular tracer uptake.", []),
    ],
)
def test_rv_claims_are_decided_by_the_recorded_rv_uptake(
    study_dict: Callable[..., dict[str, Any]], uptake: str | None, text: str, flags: list[tuple[str, str]]
) -> None:
    got = verify(text, _rv_study(study_dict, uptake))
    assert [(f.code.value, f.severity.value) for f in got] == flags
