"""Physician-written impressions of the blind set test29: each cause of a missed corruption, checked on sentences
written here in other words (read as sentences, not whole impressions), beside a correct sentence the same mechanism
must leave alone.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from reporter.domain.study import Study

# regadenoson SPECT on haemodialysis: normal perfusion, no chest pain during the infusion, EF 45 % (global hypokinesis)
DIALYSIS = "test29_spect_regadenoson_haemodialysis_lvh_normal_perfusion_ef45_global_hypokinesis_listing"

CASES = [
    # the first clause of a run-on sentence keeps the stress named before a ";" (spaCy may cut the sentence there):
    # chest pain after it is a stress symptom even where a later clause ("and the ECG was ...") makes it a run-on
    (DIALYSIS, "Lexiscan SPECT; she was nauseated and then developed chest pressure, and the ECG showed no ST change.",
     ["G410"]),
    (DIALYSIS, "Regadenoson MPI; felt hot and breathless but had angina, and the ECG was nondiagnostic for ischaemia.",
     ["G410"]),
    (DIALYSIS, "Lexiscan SPECT; she was nauseated but had no chest pressure, and the ECG showed no ST change.", []),
    # the reason for the test before the ";" is no stress symptom
    (DIALYSIS, "Regadenoson stress for exertional chest pain; he felt flushed, and the ECG was nondiagnostic.", []),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test29_recall_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected
