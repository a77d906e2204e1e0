"""Structuring's plausible ranges are the domain's (extraction.plausible)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from extraction.plausible import PLAUSIBLE, Bounds, bounds_of
from reporter.domain.study import GatedFunction, PriorStudy


@pytest.mark.parametrize(
    ("field", "low", "high"),
    [
        ("exercise_duration_min", 0, 60),
        ("mets", 0.5, 30),
        ("heart_rate_bpm", 20, 260),
        ("systolic_bp_mmhg", 40, 300),
        ("diastolic_bp_mmhg", 10, 200),
        ("duke_treadmill_score", -30, 20),
        ("percent_mphr", 30, 150),
        ("sss", 0, 68),
        ("srs", 0, 68),
        ("sds", -68, 68),
        ("stress_tpd_percent", 0, 100),
        ("ischemic_tpd_percent", 0, 100),
        ("lvef_percent", 0, 100),
        ("edv_ml", 0, 1000),
        ("esv_ml", 0, 1000),
        ("tid_ratio", 0.5, 3.0),
        ("stress_mbf", 0, 10),
        ("rest_mbf", 0, 10),
        ("mfr", 0, 10),
        ("cac_score", 0, 20000),
    ],
)
def test_each_range(field: str, low: float, high: float) -> None:
    bounds = PLAUSIBLE[field]
    assert (bounds.low, bounds.high) == (low, high)


def test_an_open_bound_excludes_its_end() -> None:
    assert PLAUSIBLE["edv_ml"] == Bounds(0, 1000, low_open=True)
    assert 0 not in PLAUSIBLE["edv_ml"]
    assert 0 in PLAUSIBLE["esv_ml"]
    assert "64" not in PLAUSIBLE["lvef_percent"]


def test_a_field_without_constraints_is_unbounded() -> None:
    assert bounds_of(PriorStudy, "perfusion_result") == Bounds(-math.inf, math.inf)


@pytest.mark.parametrize(
    ("field", "model", "domain_field"),
    [
        ("lvef_percent", PriorStudy, "lvef_percent"),
        ("tid_ratio", PriorStudy, "tid_ratio"),
        ("mfr", PriorStudy, "mfr"),
        ("cac_score", PriorStudy, "agatston_total"),
        ("tid_ratio", GatedFunction, "tid_ratio"),
    ],
)
def test_every_value_read_from_a_prior_report_fits_the_prior_study(field: str, model: Any, domain_field: str) -> None:
    assert PLAUSIBLE[field] == bounds_of(model, domain_field)


def test_values_at_the_domain_limits_are_read(structure: Any) -> None:
    report = structure("FINDINGS: TID ratio 2.8. SSS 2, SRS 4, SDS -2. Coronary calcium score 25000.")
    assert report["function"]["tid_ratio"]["value"] == 2.8
    assert report["perfusion"]["sds"]["value"] == -2
    assert report["calcium"]["cac_score"] is None  # above the 20000 the Study accepts
