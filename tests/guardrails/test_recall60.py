"""Physician-written impressions of the blind set test28 (round 20): each cause of a missed corruption, checked on
sentences written here in other words (read as sentences, not whole impressions), beside a correct sentence the same
mechanism must leave alone.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); for advice, the codes
of the warnings (the advice flags are warnings).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# exercise SPECT, 54M with RBBB: 10.5 METs (good for age), a hypertensive BP response (232/104), normal perfusion
RBBB = "test28_spect_exercise_rbbb_hypertensive_response_normal_duke_low"
# regadenoson SPECT after CABG: new moderate reversible inferior (RCA) ischaemia, 8.8 %; prior 2022 normal
CABG = "test28_spect_regadenoson_post_cabg_new_inferior_ischemia_vein_graft"
# regadenoson SPECT, pulmonary arterial hypertension: normal LV perfusion and function
PAH = "test28_spect_pulmonary_hypertension_rv_uptake_septal_flattening_normal_lv"

CASES = [
    # an exercise capacity graded without a verb ("capacity poor for age", "tolerance: limited") is graded as with one
    (RBBB, "Functional capacity: poor (10.5 METs).", ["G109"]),
    (RBBB, "Effort tolerance very limited for his age.", ["G109"]),
    (RBBB, "Exercise capacity - excellent, 10.5 METs.", []),
    (RBBB, "Exercise capacity low-risk by Duke.", []),  # a risk word after the noun is not its grade
    # a normal blood-pressure response (in words or as a registry field) denies the hypertensive response
    (RBBB, "The blood pressure response to exercise was normal.", ["G601"]),
    (RBBB, "bp response: appropriate", ["G601"]),
    (RBBB, "Normal heart rate and blood pressure response to exercise.", ["G601"]),
    (RBBB, "Hypertensive blood pressure response to exercise (peak 232/104).", []),
    (RBBB, "Not a normal BP response: it rose to 232/104.", []),
    # a perfusion verdict after a verb of appearance and a grade ("look severely abnormal") is a verdict
    (PAH, "The myocardial perfusion images look severely abnormal at stress.", ["G602"]),
    (PAH, "Perfusion appears mildly abnormal at rest and stress.", ["G602"]),
    (PAH, "The perfusion images look entirely normal.", []),
    # a question on the finding just named ("Was it present in 2022?") is no claim; its answer speaks of that finding
    (CABG, "Inferior reversible ischaemia (RCA territory). Was it present in 2022? Yes, it was already seen then.",
     ["G702"]),
    (CABG, "Inferior reversible ischaemia (RCA graft territory). Is this new? No, it is unchanged.", ["G702"]),
    (CABG, "Inferior reversible ischaemia (RCA graft territory). Is it new? Yes - the 2022 scan was normal.", []),
    # a failing or occluded graft is the culprit of the finding: its target vessel is the finding's place
    (CABG, "New inferior ischaemia. The most likely explanation is an occluded LIMA to the LAD.", ["G201"]),
    (CABG, "New inferior ischaemia, explained by failure of the SVG to the OM.", ["G201"]),
    (CABG, "New inferior ischaemia. The most likely explanation is an occluded SVG to the RCA.", []),
    (CABG, "New inferior ischaemia. Known occluded SVG to the OM since 2019; LIMA to LAD patent.", []),  # history
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test28_recall_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


ADVICE = [
    # stopping aspirin or a statin (told to a recipient, or in the passive) where the images show ischemia: against
    # the facts (G412); where they show none, advice no fact verifies (G411); a stop denied is not one
    (CABG, "We have recommended to the referring team that his statin be discontinued.", ["G412"]),
    (CABG, "Aspirin and atorvastatin may safely be stopped.", ["G412"]),
    (CABG, "I have recommended to his cardiologist that he undergo graft angiography.", ["G411"]),
    (CABG, "His aspirin should not be stopped.", []),
    (RBBB, "His atorvastatin can be stopped.", ["G411"]),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), ADVICE)
def test_test28_advice_against_facts(
    study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]
) -> None:
    flags = verify(text, study_of(stem))
    advice = [f.code.value for f in flags if f.code.value in ("G411", "G412") and f.severity.value == "warning"]
    assert sorted(advice) == expected
