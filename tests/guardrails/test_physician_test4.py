"""Physician-written impressions of the blind set test4 (issue 15): each cause of a former false error or a
miss, checked on sentences written here in other words and on other studies than the set's, beside a sentence
the same mechanism must still flag (or leave clean).

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from guardrails import verify
from reporter.domain.study import Study

LCX = "pet_n13_lcx_ischemia"  # reversible LCx (anterolateral, inferolateral) defect
NORMAL_CAC0 = "spect_normal_cac_zero"  # normal perfusion
NEW_RCA = "dev4_spect_followup_prior_report_lad_resolved_new_rca"  # LAD ischemia resolved, new RCA ischemia
IMPROVED_LAD = "spect_followup_improved_lad"  # LAD defect better than on the prior


def errors(text: str, study: Study, scope: str = "full") -> list[str]:
    flags = verify(text, study, scope=scope)  # type: ignore[arg-type]
    return sorted(f.code.value for f in flags if f.severity.value == "error")


CASES = [
    # "completely reversible ischemia": the longer grade wins the concept match, the ischemia it grades is still
    # read (else a later "no infarct" became the defect's trigger and denied it)
    (LCX, "Completely reversible ischemia in the lateral wall (LCx), there is no infarct.", []),
    (LCX, "Fully reversible ischaemia of the anterolateral wall, with no infarction.", []),
    (NORMAL_CAC0, "Completely reversible ischemia in the lateral wall, there is no infarct.", ["G401", "G402"]),
    # "No new defect" opening a sentence: the capital "No" denies the change word too
    (NEW_RCA, "No new defect in the LAD territory.", []),
    (IMPROVED_LAD, "No new defect is seen.", []),
    (IMPROVED_LAD, "A new defect.", ["G702"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test4_causes(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected
