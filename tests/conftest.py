"""Shared fixtures: the example studies and a builder for minimal valid studies."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reporter.domain.study import Study

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"


def _segments(stress: dict[int, int], rest: dict[int, int] | None) -> list[dict[str, int]]:
    out = []
    for n in range(1, 18):
        row = {"segment": n, "stress": stress.get(n, 0)}
        if rest is not None:
            row["rest"] = rest.get(n, 0)
        out.append(row)
    return out


_BASE: dict[str, Any] = {
    "patient": {"age_years": 60, "sex": "male"},
    "clinical": {"indication": "Chest pain."},
    "procedure": {
        "modality": "SPECT",
        "protocol": "rest-stress",
        "tracers": [
            {"tracer": "Tc-99m sestamibi", "phase": "rest", "activity": {"value": 10, "unit": "mCi"}},
            {"tracer": "Tc-99m sestamibi", "phase": "stress", "activity": {"value": 30, "unit": "mCi"}},
        ],
    },
    "stress": {"type": "pharmacologic", "agent": "regadenoson", "agent_dose": "0.4 mg IV"},
    "perfusion": {"segments": _segments({}, {})},
}


@pytest.fixture
def study_dict() -> Callable[..., dict[str, Any]]:
    """A minimal valid study as a dict; keyword arguments replace top-level blocks."""

    def make(stress_scores: dict[int, int] | None = None, rest_scores: dict[int, int] | None = None,
             **blocks: Any) -> dict[str, Any]:
        data = copy.deepcopy(_BASE)
        if stress_scores is not None or rest_scores is not None:
            data["perfusion"] = {"segments": _segments(stress_scores or {}, rest_scores if rest_scores is not None
                                                       else {})}
        for key, value in blocks.items():
            data[key] = value
        return data

    return make


@pytest.fixture
def make_study(study_dict: Callable[..., dict[str, Any]]) -> Callable[..., Study]:
    def make(*args: Any, **kwargs: Any) -> Study:
        return Study.model_validate(study_dict(*args, **kwargs))

    return make


@pytest.fixture
def example() -> Callable[[str], Study]:
    def load(stem: str) -> Study:
        return Study.model_validate(json.loads((EXAMPLES / f"{stem}.json").read_text()))

    return load


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES
