"""Input drift on the monitoring page: PSI per feature of each week's submitted studies against the risk model's
training distribution (the reference bins stored in its manifest); alert levels 0.1 and 0.25 (Siddiqi 2006)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from reporter.errors import PermissionDeniedError
from reporter.risk.manifest import FeatureReference
from reporter.service import monitoring
from reporter.service import reading_room as rr
from reporter.service.access import Actor, Role

REFERENCE = (
    FeatureReference(name="age", edges=(60.0,), proportions=(0.5, 0.5, 0.0), minimum=40.0, maximum=80.0),
    FeatureReference(name="sex", edges=(0.5,), proportions=(0.5, 0.5, 0.0), minimum=0.0, maximum=1.0),
)
LABELS = {"age": "age", "sex": "sex"}


def _psi(week: monitoring.DriftWeek) -> dict[str, tuple[float, str]]:
    return {f.feature: (f.psi, f.level.value) for f in week.features}


def test_psi_per_feature_per_week_against_the_reference_bins() -> None:
    rows = [
        ("2026-W48", {"age": 50.0, "sex": 0.0}),
        ("2026-W48", {"age": 55.0, "sex": 1.0}),
        ("2026-W48", {"age": 65.0, "sex": 0.0}),
        ("2026-W48", {"age": 70.0, "sex": 1.0}),
        # older, all men, one age missing
        ("2026-W49", {"age": 65.0, "sex": 1.0}),
        ("2026-W49", {"age": 70.0, "sex": 1.0}),
        ("2026-W49", {"age": 72.0, "sex": 1.0}),
        ("2026-W49", {"age": None, "sex": 1.0}),
    ]
    weeks = monitoring.psi_by_week(rows, REFERENCE, LABELS, ["2026-W48", "2026-W49", "2026-W50"])
    assert [(w.week, w.studies) for w in weeks] == [("2026-W48", 4), ("2026-W49", 4), ("2026-W50", 0)]
    assert _psi(weeks[0]) == {"age": (0.0, "stable"), "sex": (0.0, "stable")}
    # age: shares (0, 0.75, 0.25) against (0.5, 0.5, 0): empty bins floored at 1e-4
    # (1e-4 - 0.5) ln(1e-4 / 0.5) + 0.25 ln(1.5) + (0.25 - 1e-4) ln(0.25 / 1e-4) = 6.3143
    assert _psi(weeks[1]) == {"age": (6.3143, "major"), "sex": (4.6043, "major")}
    assert weeks[2].features == ()


def test_a_small_shift_is_moderate_between_0_1_and_0_25() -> None:
    rows = [
        ("2026-W49", {"age": a, "sex": s})
        for a, s in (
            (50.0, 0.0),
            (55.0, 0.0),
            (52.0, 1.0),
            (58.0, 1.0),
            (57.0, 0.0),
            (65.0, 1.0),
            (70.0, 0.0),
            (75.0, 1.0),
        )
    ]
    (week,) = monitoring.psi_by_week(rows, REFERENCE, LABELS, ["2026-W49"])
    # age: (5/8, 3/8) against (1/2, 1/2): 0.125 ln(1.25) - 0.125 ln(0.75) = 0.0639; sex 4 and 4: 0
    assert _psi(week) == {"age": (0.0639, "stable"), "sex": (0.0, "stable")}
    rows += [("2026-W49", {"age": 45.0, "sex": 1.0}), ("2026-W49", {"age": 45.0, "sex": 0.0})]
    (week,) = monitoring.psi_by_week(rows, REFERENCE, LABELS, ["2026-W49"])
    # age: (7/10, 3/10): 0.2 ln(1.4) - 0.2 ln(0.6) = 0.1695
    assert _psi(week) == {"age": (0.1695, "moderate"), "sex": (0.0, "stable")}


def test_without_a_risk_model_the_page_says_so(session: Session, users: dict[Role, Actor]) -> None:
    assert monitoring.input_drift(session, users[Role.QA], None) == monitoring.InputDrift(
        note="no risk model configured"
    )


def test_the_submitted_studies_against_the_trained_models_reference(
    session: Session, users: dict[Role, Actor], lad_study: dict[str, Any], pretest_model_dir: Path
) -> None:
    for _ in range(3):
        rr.submit_study(session, users[Role.TECHNOLOGIST], lad_study)
    now = dt.datetime.now(dt.UTC)
    drift = monitoring.input_drift(session, users[Role.QA], pretest_model_dir, weeks=1, now=now)
    assert drift.model is not None and drift.model.startswith("ncreport.risk.pretest-abnormal-perfusion ")
    assert (drift.moderate, drift.major, drift.small_sample, drift.note) == (0.1, 0.25, 100, None)
    assert [w.studies for w in drift.weeks] == [0, 3]
    this_week = {f.feature: f.psi for f in drift.weeks[-1].features}
    # Cleveland: 31.9 % women, 68.1 % men; three men: (1e-4 - 0.3189) ln(1e-4 / 0.3189) + 0.3189 ln(1 / 0.6811)
    assert this_week["sex"] == 2.6947
    assert list(this_week) == [
        "age",
        "sex",
        "cp",
        "trestbps",
        "chol",
        "fbs",
        "restecg",
        "thalach",
        "exang",
        "oldpeak",
        "slope",
    ]


def test_only_qa_and_admin_see_the_drift(session: Session, users: dict[Role, Actor]) -> None:
    with pytest.raises(PermissionDeniedError):
        monitoring.input_drift(session, users[Role.PHYSICIAN], None)
