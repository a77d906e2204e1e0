"""Statistics of the evaluation, checked against hand-computable cases."""

from __future__ import annotations

import numpy as np
import pytest

from reporter.risk.evaluation import auc_difference_test, delong_auc, metric_set, wilson_interval

LABEL = np.array([0, 0, 1, 1, 0, 1, 1, 0])
PROB = np.array([0.1, 0.4, 0.35, 0.8, 0.2, 0.7, 0.9, 0.6])


def test_delong_auc_and_ci_match_the_placement_value_formula() -> None:
    auc, low, high = delong_auc(LABEL, PROB)  # type: ignore[misc]
    assert (auc, round(low, 4), high) == (0.875, 0.5921, 1.0)


def test_auc_is_undefined_with_one_class() -> None:
    assert delong_auc(np.array([1, 1, 1]), np.array([0.2, 0.5, 0.9])) is None


def test_wilson_interval_of_8_of_10() -> None:
    assert tuple(round(x, 4) for x in wilson_interval(8, 10)) == (0.4902, 0.9433)


def test_metric_set() -> None:
    ms = metric_set(LABEL, PROB)
    assert (ms.n, ms.n_positive, ms.auc, ms.brier, ms.accuracy) == (8, 4, 0.875, 0.1416, 0.75)
    assert (ms.accuracy_ci_low, ms.accuracy_ci_high) == (0.4093, 0.9285)


def test_paired_delong_test() -> None:
    assert auc_difference_test(LABEL, PROB, PROB) == 1.0
    assert auc_difference_test(LABEL, PROB, PROB[::-1]) == pytest.approx(0.0928, abs=1e-4)
