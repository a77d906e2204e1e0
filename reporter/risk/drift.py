"""Input drift: population stability index (PSI) per feature against the training distribution.

PSI = sum over bins of (a - e) * ln(a / e), with e the training share and a the new share of a
bin. Bins are the training deciles (features with at most 10 distinct values get one bin per
value), plus one bin for missing values, so a site that stops recording a variable shows up.
Empty bins are floored at 1e-4 so the logarithm stays finite (common practice).

Alert levels, the usual credit-scoring convention (Siddiqi N. Credit Risk Scorecards. Wiley,
2006; also Yurdakul B, "Statistical properties of population stability index", 2018):
PSI < 0.1 stable, 0.1 to 0.25 moderate shift (investigate), >= 0.25 major shift (the model's
figures no longer describe this population). PSI from fewer than about 100 rows is noisy.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, ConfigDict

from reporter.risk.manifest import FeatureReference

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "PSI_MAJOR",
    "PSI_MODERATE",
    "DriftLevel",
    "DriftReport",
    "FeatureDrift",
    "build_reference",
    "drift_report",
    "population_stability_index",
]

PSI_MODERATE = 0.1  # Siddiqi 2006
PSI_MAJOR = 0.25  # Siddiqi 2006
MAX_BINS = 10
SMALL_SAMPLE_ROWS = 100
_FLOOR = 1e-4


class DriftLevel(StrEnum):
    STABLE = "stable"
    MODERATE = "moderate"
    MAJOR = "major"

    @classmethod
    def of(cls, psi: float) -> DriftLevel:
        if psi >= PSI_MAJOR:
            return cls.MAJOR
        return cls.MODERATE if psi >= PSI_MODERATE else cls.STABLE


class FeatureDrift(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    feature: str
    label: str
    psi: float
    level: DriftLevel
    out_of_range_share: float
    missing_share: float
    training_missing_share: float


class DriftReport(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    model_name: str
    model_version: str
    data_source: str
    n_rows: int
    level: DriftLevel
    max_psi: float
    rows_out_of_range_share: float
    features: tuple[FeatureDrift, ...]
    small_sample: bool


def _edges(values: np.ndarray) -> np.ndarray:
    present = values[~np.isnan(values)]
    distinct = np.unique(present)
    if len(distinct) <= 1:
        return np.empty(0)
    if len(distinct) <= MAX_BINS:
        return (distinct[:-1] + distinct[1:]) / 2
    cuts = np.quantile(present, np.linspace(0, 1, MAX_BINS + 1)[1:-1])
    return np.unique(cuts)


def _proportions(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    missing = np.isnan(values)
    bins = np.searchsorted(edges, values[~missing], side="left")
    counts = np.bincount(bins, minlength=len(edges) + 1).astype(float)
    counts = np.append(counts, missing.sum())
    return counts / max(len(values), 1)


def build_reference(features: pd.DataFrame) -> tuple[FeatureReference, ...]:
    """Binned training distributions, stored in the manifest."""
    refs = []
    for name in features.columns:
        values = features[name].to_numpy(dtype=float)
        edges = _edges(values)
        present = values[~np.isnan(values)]
        refs.append(
            FeatureReference(
                name=str(name),
                edges=tuple(float(e) for e in edges),
                proportions=tuple(round(float(p), 6) for p in _proportions(values, edges)),
                minimum=float(present.min()) if len(present) else None,
                maximum=float(present.max()) if len(present) else None,
            )
        )
    return tuple(refs)


def population_stability_index(expected: Sequence[float] | np.ndarray, actual: Sequence[float] | np.ndarray) -> float:
    """PSI between two binned distributions (shares), empty bins floored at 1e-4."""
    e = np.clip(np.asarray(expected, dtype=float), _FLOOR, None)
    a = np.clip(np.asarray(actual, dtype=float), _FLOOR, None)
    return float(np.sum((a - e) * np.log(a / e)))


def drift_report(
    features: pd.DataFrame,
    reference: Sequence[FeatureReference],
    labels: dict[str, str],
    *,
    model_name: str,
    model_version: str,
    data_source: str,
) -> DriftReport:
    """PSI, out-of-range share and missing share per feature of ``features`` against ``reference``."""
    rows_out = np.zeros(len(features), dtype=bool)
    drifts = []
    for ref in reference:
        values = features[ref.name].to_numpy(dtype=float)
        actual = _proportions(values, np.asarray(ref.edges, dtype=float))
        psi = population_stability_index(ref.proportions, actual)
        present = ~np.isnan(values)
        out = np.zeros(len(values), dtype=bool)
        if ref.minimum is not None and ref.maximum is not None:
            out[present] = (values[present] < ref.minimum) | (values[present] > ref.maximum)
        rows_out |= out
        drifts.append(
            FeatureDrift(
                feature=ref.name,
                label=labels.get(ref.name, ref.name),
                psi=round(psi, 4),
                level=DriftLevel.of(psi),
                out_of_range_share=round(float(out[present].mean()) if present.any() else 0.0, 4),
                missing_share=round(float((~present).mean()), 4),
                training_missing_share=ref.proportions[-1],
            )
        )
    max_psi = max((d.psi for d in drifts), default=0.0)
    return DriftReport(
        model_name=model_name,
        model_version=model_version,
        data_source=data_source,
        n_rows=len(features),
        level=DriftLevel.of(max_psi),
        max_psi=max_psi,
        rows_out_of_range_share=round(float(rows_out.mean()), 4),
        features=tuple(drifts),
        small_sample=len(features) < SMALL_SAMPLE_ROWS,
    )
