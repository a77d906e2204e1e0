"""PSI per feature against the binned training distribution stored in the manifest."""

from __future__ import annotations

import pandas as pd
import pytest

from reporter.risk.drift import (
    DriftLevel,
    DriftReport,
    build_reference,
    drift_report,
    population_stability_index,
)


def _report(features: pd.DataFrame, training: pd.DataFrame) -> DriftReport:
    return drift_report(features, build_reference(training), {}, model_name="m", model_version="v", data_source="s")


def test_psi_of_two_distributions() -> None:
    assert population_stability_index([0.25] * 4, [0.1, 0.2, 0.3, 0.4]) == pytest.approx(0.2282, abs=1e-4)
    assert population_stability_index([0.5, 0.5, 0.0], [0.4, 0.6, 0.0]) == pytest.approx(0.0405, abs=1e-4)


@pytest.mark.parametrize(("psi", "level"), [(0.0, "stable"), (0.0999, "stable"), (0.1, "moderate"), (0.25, "major")])
def test_alert_levels_are_0_1_and_0_25(psi: float, level: str) -> None:
    assert DriftLevel.of(psi) == level


def test_reference_bins_deciles_and_one_bin_per_code(cleveland_features: pd.DataFrame) -> None:
    age, sex = build_reference(cleveland_features)[:2]
    assert age.edges == (42.0, 45.0, 50.0, 53.0, 56.0, 58.0, 60.0, 62.0, 66.0)
    assert (age.minimum, age.maximum) == (29.0, 77.0)
    assert (sex.edges, sex.proportions) == ((0.5,), (0.318937, 0.681063, 0.0))


def test_the_training_data_does_not_drift_from_itself(cleveland_features: pd.DataFrame) -> None:
    report = _report(cleveland_features, cleveland_features)
    assert (report.level, report.max_psi, report.rows_out_of_range_share) == ("stable", 0.0, 0.0)


def test_an_older_population_is_a_major_shift_with_out_of_range_ages(cleveland_features: pd.DataFrame) -> None:
    older = cleveland_features.assign(age=cleveland_features["age"] + 15)
    age = _report(older, cleveland_features).features[0]
    assert (age.level, age.psi, age.out_of_range_share) == ("major", 2.6989, 0.1993)


def test_a_variable_that_stops_being_recorded_shows_as_missing_drift(cleveland_features: pd.DataFrame) -> None:
    report = _report(cleveland_features.assign(chol=float("nan")), cleveland_features)
    chol = next(f for f in report.features if f.feature == "chol")
    assert (chol.level, chol.missing_share, chol.training_missing_share) == ("major", 1.0, 0.0)
