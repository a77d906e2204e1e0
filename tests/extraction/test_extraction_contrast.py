"""Issue 16, polarity: a denial does not reach past a contrast ("no chest pain, but 2 mm ST depression").

medspaCy 1.3.1's span overlap test missed a span containing the other, so a TERMINATE cue whose scope is its
sentence never ended a negation whose scope max_scope caps (extraction.pipeline); and the ECG verdict
"no <words> ST depression" (wording.json) read across a "but". The texts are written for these tests.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import value_at


@pytest.mark.parametrize(
    "text",
    [
        "STRESS ECG: The patient had no chest pain but there was 2 mm horizontal ST depression in V4-V6.",
        "There was no chest pain, but 1.5 mm ST depression was seen in the inferior leads.",
        "Stress: no symptoms, however 2 mm downsloping ST depression developed at peak exercise.",
        "Exercise ECG: no arrhythmia but 2 mm downsloping ST depression in the lateral leads.",
        "No chest pain although ischemic ST changes were seen at peak.",
    ],
)
def test_a_denial_before_a_contrast_leaves_the_st_depression_ischemic(structure: Any, text: str) -> None:
    r = structure(text)
    assert value_at(r, "stress_test.ecg_response") == "ischemic"


@pytest.mark.parametrize(
    "text",
    [
        "There was no chest pain and no ST depression.",
        "No chest pain or ST depression during the infusion.",
        "There was no significant ST depression.",
        "No ischemic ECG changes.",
    ],
)
def test_a_denial_of_the_st_segments_is_still_nonischemic(structure: Any, text: str) -> None:
    assert value_at(structure(text), "stress_test.ecg_response") == "nonischemic"


def test_chest_pain_denied_before_the_contrast_stays_absent(structure: Any) -> None:
    r = structure("There was no chest pain, but 1.5 mm ST depression was seen in the inferior leads.")
    assert value_at(r, "stress_test.chest_pain") == "absent"


def test_a_backward_cue_after_which_reaches_the_noun_before_it(structure: Any) -> None:
    # "which" ends a forward scope, but the hedge of a relative clause is about the noun before it
    text = (
        "Regadenoson Tc-99m sestamibi SPECT.\nIMPRESSION: Small fixed inferior defect, most likely diaphragmatic "
        "attenuation; a small inferior infarct, which cannot be excluded, is the alternative.\n"
    )
    r = structure(text)
    assert r["impression"]["infarction"]["certainty"] == "uncertain"
