"""The plausible range of each number structuring reads, taken from the domain's Study models.

The domain (:mod:`reporter.domain.study`) is the one place a range is declared: a value read from
a report outside it is a misreading (a date, a dose, a list number), and one inside it can always
become a :class:`~reporter.domain.study.PriorStudy`. Only the quantities the Study has no field for
(Duke treadmill score, percent of maximal predicted heart rate) keep a range here.
"""

from __future__ import annotations

import math
import typing
from dataclasses import dataclass
from typing import Any

import annotated_types
from pydantic import BaseModel

from reporter.domain.study import Calcium, GatedFunction, Perfusion, PetFlow, StressTest

__all__ = ["PLAUSIBLE", "Bounds", "bounds_of"]


@dataclass(frozen=True, slots=True)
class Bounds:
    """A closed or half-open interval of plausible values."""

    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, (int, float)):
            return False
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below


def _constraints(annotation: Any) -> list[Any]:
    """The annotated-types constraints inside ``Annotated[...]`` members of an annotation."""
    out: list[Any] = []
    if typing.get_origin(annotation) is typing.Annotated:
        for meta in typing.get_args(annotation)[1:]:
            out.extend(getattr(meta, "metadata", [meta]))
    for arg in typing.get_args(annotation):
        if typing.get_origin(arg) is typing.Annotated:
            out.extend(_constraints(arg))
    return out


def bounds_of(model: type[BaseModel], field: str) -> Bounds:
    """The range a domain model's field accepts (its ``ge``/``gt``/``le``/``lt`` constraints)."""
    info = model.model_fields[field]
    low, high, low_open, high_open = -math.inf, math.inf, False, False
    for c in [*info.metadata, *_constraints(info.annotation)]:
        if isinstance(c, annotated_types.Ge):
            low, low_open = float(c.ge), False  # type: ignore[arg-type]
        elif isinstance(c, annotated_types.Gt):
            low, low_open = float(c.gt), True  # type: ignore[arg-type]
        elif isinstance(c, annotated_types.Le):
            high, high_open = float(c.le), False  # type: ignore[arg-type]
        elif isinstance(c, annotated_types.Lt):
            high, high_open = float(c.lt), True  # type: ignore[arg-type]
    return Bounds(low, high, low_open, high_open)


# Structured-report field -> its plausible range.
PLAUSIBLE: dict[str, Bounds] = {
    "exercise_duration_min": bounds_of(StressTest, "exercise_duration_min"),
    "mets": bounds_of(StressTest, "mets"),
    "heart_rate_bpm": bounds_of(StressTest, "rest_hr_bpm"),
    "systolic_bp_mmhg": bounds_of(StressTest, "rest_sbp_mmhg"),
    "diastolic_bp_mmhg": bounds_of(StressTest, "rest_dbp_mmhg"),
    # Duke treadmill score = minutes - 5 x ST mm - 4 x angina index (Mark DB et al., NEJM 1991;
    # 325:849): about -25 to +15 on a Bruce test; the Study computes it and has no field to bound.
    "duke_treadmill_score": Bounds(-30, 20),
    # Percent of age-predicted maximal heart rate: a Study property (peak HR / (220 - age)).
    "percent_mphr": Bounds(30, 150),
    "sss": bounds_of(Perfusion, "summed_stress_score"),
    "srs": bounds_of(Perfusion, "summed_rest_score"),
    "sds": bounds_of(Perfusion, "summed_difference_score"),
    "stress_tpd_percent": bounds_of(Perfusion, "stress_tpd_percent"),
    "ischemic_tpd_percent": bounds_of(Perfusion, "ischemic_tpd_percent"),
    "lvef_percent": bounds_of(GatedFunction, "stress_lvef_percent"),
    "edv_ml": bounds_of(GatedFunction, "stress_edv_ml"),
    "esv_ml": bounds_of(GatedFunction, "stress_esv_ml"),
    "tid_ratio": bounds_of(GatedFunction, "tid_ratio"),
    "stress_mbf": bounds_of(PetFlow, "stress_mbf_ml_min_g"),
    "rest_mbf": bounds_of(PetFlow, "rest_mbf_ml_min_g"),
    "mfr": bounds_of(PetFlow, "mfr"),
    "cac_score": bounds_of(Calcium, "agatston_total"),
}
