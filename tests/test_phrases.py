"""The phrase macros of templates/phrases.j2 that word coded values (every sentence comes from templates/)."""

from __future__ import annotations

from typing import Any

import pytest

from reporter.domain.vocabulary import HighRiskFeature, RiskReason
from reporter.render import template_set

_FEATURE_CASES = [
    (
        {"feature": "ischemic_burden", "ischemic_percent": 11.8, "threshold": 10.0},
        "ischemia of 11.8% of the LV (>= 10%)",
    ),
    (
        {"feature": "multivessel_defects", "territories": ("LAD", "RCA")},
        "perfusion defects in multiple vascular territories (LAD and RCA)",
    ),
    ({"feature": "large_defect", "territory": "LCx"}, "large LCx perfusion defect"),
    ({"feature": "transient_ischemic_dilation", "ratio": 1.16}, "transient ischemic dilation (TID ratio 1.16)"),
    ({"feature": "low_lvef", "lvef": 30.0, "threshold": 35.0}, "LVEF 30% (< 35%)"),
    ({"feature": "post_stress_lvef_drop", "drop_points": 6.0}, "post-stress LVEF drop of 6 points"),
    ({"feature": "high_esv", "esv_ml": 82.0, "threshold": 70.0}, "post-stress ESV 82 mL (> 70 mL)"),
    ({"feature": "lung_uptake", "ratio": 0.62}, "increased lung uptake (lung/heart ratio 0.62)"),
    ({"feature": "duke_high_risk", "score": -12.5}, "Duke treadmill score -12.5"),
    ({"feature": "exercise_hypotension"}, "exercise-induced hypotension"),
    ({"feature": "severely_reduced_mfr", "mfr": 1.35}, "severely reduced global myocardial flow reserve (1.35)"),
]


@pytest.mark.parametrize(("values", "words"), _FEATURE_CASES)
def test_high_risk_feature_words(values: dict[str, Any], words: str) -> None:
    assert template_set().words("high_risk_feature", values) == words


def test_every_high_risk_feature_and_risk_reason_has_words() -> None:
    assert {v["feature"] for v, _ in _FEATURE_CASES} == {f.value for f in HighRiskFeature}
    assert {r.value for r in RiskReason} == {
        "nondiagnostic_images",
        "perfusion",
        "lvef",
        "flow_reserve",
        "calcium",
        "duke_intermediate",
        "normal_lvef",
    }


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"reason": "nondiagnostic_images"}, "non-diagnostic perfusion images"),
        ({"reason": "perfusion", "category": "probably normal"}, "probably normal myocardial perfusion"),
        ({"reason": "lvef", "category": "mildly reduced", "lvef": 46.0}, "mildly reduced LVEF (46%)"),
        ({"reason": "flow_reserve", "category": "reduced", "mfr": 1.8}, "reduced myocardial flow reserve (1.8)"),
        (
            {"reason": "flow_reserve", "category": "reduced", "mfr": 1.6, "territory": "LCx"},
            "reduced LCx-territory myocardial flow reserve (1.6)",
        ),
        ({"reason": "calcium", "agatston": 450.0, "threshold": 400.0}, "coronary artery calcium score 450 (>= 400)"),
        ({"reason": "duke_intermediate", "score": 2.0}, "intermediate Duke treadmill score (2)"),
        ({"reason": "normal_lvef"}, "normal LVEF"),
        ({"feature": "exercise_hypotension"}, "exercise-induced hypotension"),
    ],
)
def test_risk_reason_words(values: dict[str, Any], words: str) -> None:
    assert template_set().words("risk_reason", values) == words


def test_defect_summary_words() -> None:
    values = {
        "extent": "large",
        "severity": "moderate-to-severe",
        "reversibility": "partially reversible",
        "territory": "RCA",
        "walls": ("inferoseptal", "inferior"),
    }
    assert template_set().words("defect_summary", values) == (
        "large-sized partially reversible defect with moderately to severely reduced uptake in the RCA territory"
        " (inferoseptal, inferior)"
    )


@pytest.mark.parametrize(
    ("macro", "values", "words"),
    [
        ("defect_change", {"change": "more severe"}, "more severe"),
        ("defect_change", {"change": "smaller"}, "smaller"),
        (
            "defect_change",
            {"change": "reversibility", "now": "fixed", "previously": "reversible"},
            "now fixed (previously reversible)",
        ),
        ("comparison_change", {"change": "new_defect", "territory": "LCx"}, "new LCx-territory defect"),
        ("comparison_change", {"change": "resolved_defect", "territory": "LAD"}, "resolved LAD-territory defect"),
        (
            "comparison_change",
            {
                "change": "changed_defect",
                "territory": "RCA",
                "changes": ({"change": "larger"}, {"change": "less severe"}),
            },
            "RCA-territory defect larger and less severe",
        ),
        ("comparison_change", {"change": "ischemia", "direction": "increased"}, "ischemia increased"),
        ("comparison_change", {"change": "lvef", "direction": "decreased"}, "LVEF decreased"),
    ],
)
def test_comparison_change_words(macro: str, values: dict[str, Any], words: str) -> None:
    assert template_set().words(macro, values) == words


def test_unknown_macro_is_a_config_error() -> None:
    from reporter.errors import ConfigError

    with pytest.raises(ConfigError, match="phrase macro no_such_macro failed"):
        template_set().words("no_such_macro", {})
