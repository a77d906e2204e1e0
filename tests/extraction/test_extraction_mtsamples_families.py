"""Issue 16, families found again in real transcribed reports (third MTSamples round), one test per mechanism.

The texts are paraphrases written for these tests, not copied from any report; each test names the family
it checks, and the controls state what must not change.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import span_at, value_at


def _defects(report: dict[str, Any]) -> list[tuple[list[str], str | None]]:
    return [(d["walls"], d["territory"]) for d in report["perfusion"]["defects"]]


# --- a territory is attached only from a statement that affirms an abnormality there ----------------------

_SPECT = "Regadenoson Tc-99m tetrofosmin SPECT.\nFINDINGS: "


@pytest.mark.parametrize(
    "denial",
    [
        "The LAD territory shows no perfusion abnormality.",
        "No evidence of a perfusion defect within the left anterior descending distribution.",
    ],
)
def test_a_territory_denied_in_the_next_sentence_is_not_the_defects(structure: Any, denial: str) -> None:
    finding = "There is a medium fixed defect of moderate intensity in the inferolateral wall and the apex."
    text = f"{_SPECT}{finding} {denial}\n"
    r = structure(text)
    assert _defects(r) == [(["inferolateral", "apex"], None)]


def test_a_territory_denied_by_a_pronoun_sentence_is_not_the_defects(structure: Any) -> None:
    text = f"{_SPECT}There is a small fixed defect of mild intensity at the apex. It is not in the LAD territory.\n"
    assert _defects(structure(text)) == [(["apex"], None)]


@pytest.mark.parametrize(
    ("finding", "expected"),
    [
        (
            "There is a small fixed defect of mild intensity at the apex. It is in the LAD territory.",
            [(["apex"], "LAD")],
        ),
        (
            "There is a medium fixed defect of moderate intensity in the inferolateral wall. "
            "This is in the LCx territory.",
            [(["inferolateral"], "LCx")],
        ),
        (
            "There is a medium reversible defect of moderate intensity in the anterior wall. Ischemia is present in "
            "the LAD territory.",
            [(["anterior"], "LAD")],
        ),
    ],
)
def test_control_a_territory_affirmed_in_the_next_sentence_still_attaches(
    structure: Any, finding: str, expected: list[tuple[list[str], str]]
) -> None:
    assert _defects(structure(f"{_SPECT}{finding}\n")) == expected


# --- a denial that lists several things reaches the ECG among them (wording.json ecg_verdicts) ------------


@pytest.mark.parametrize(
    ("stress", "verdict_words"),
    [
        (
            "Peak heart rate 150. She reported mild fatigue but had no dyspnea or ECG changes.",
            "no dyspnea or ECG changes",
        ),
        (
            "During the infusion, no significant ST-segment, T-wave changes, or ectopy were observed.",
            "no significant ST-segment, T-wave changes",
        ),
        (
            "Apart from a baseline left bundle branch block, no other significant electrographic "
            "abnormalities appeared.",
            "no other significant electrographic abnormalities",
        ),
        ("Underlying rhythm was sinus with no change during the dobutamine infusion.", "no change"),
    ],
)
def test_a_denial_of_ecg_changes_in_a_list_is_nonischemic(structure: Any, stress: str, verdict_words: str) -> None:
    text = f"Treadmill Tc-99m sestamibi SPECT.\nSTRESS: {stress}\n"
    r = structure(text)
    assert value_at(r, "stress_test.ecg_response") == "nonischemic"
    assert span_at(r, text, "stress_test.ecg_response") == verdict_words


def test_control_a_denied_chest_pain_does_not_reach_a_stated_st_depression(structure: Any) -> None:
    stress = "No chest pain; 2 mm horizontal ST depression in V4-V6 at peak exercise."
    text = f"Treadmill sestamibi SPECT.\nSTRESS: {stress}\n"
    r = structure(text)
    assert value_at(r, "stress_test.ecg_response") == "ischemic"
    assert value_at(r, "stress_test.chest_pain") == "absent"


# --- a denial of all symptoms during the test is a denial of chest pain ----------------------------------


@pytest.mark.parametrize(
    ("stress", "denial_words"),
    [
        (
            "Heart rate rose from 64 to 96 after regadenoson. The ECG was unchanged. No symptoms were reported.",
            "No symptoms",
        ),
        (
            "He walked 7 minutes on the treadmill and did not report any symptoms during exercise.",
            "did not report any symptoms",
        ),
    ],
)
def test_no_symptoms_during_the_test_is_no_chest_pain(structure: Any, stress: str, denial_words: str) -> None:
    text = f"Regadenoson sestamibi SPECT.\nSTRESS: {stress}\n"
    r = structure(text)
    assert value_at(r, "stress_test.chest_pain") == "absent"
    assert span_at(r, text, "stress_test.chest_pain") == denial_words


@pytest.mark.parametrize(
    "text",
    [
        # the history, under its header
        "HISTORY: 71 year old man with diabetes, no symptoms at present, referred for risk assessment.\n\n"
        "Regadenoson sestamibi SPECT.\nFINDINGS: Normal perfusion.\n",
        # the history, in prose: a sentence about the patient, not the test
        "Regadenoson sestamibi SPECT. 71 year old man with diabetes, referred for screening. He has no symptoms.\n\n"
        "FINDINGS: Normal perfusion.\n",
        # other symptoms listed: no denial
        "Adenosine sestamibi SPECT.\nSTRESS: During the infusion she had flushing and dyspnea.\n",
    ],
)
def test_control_symptoms_of_the_history_or_other_symptoms_are_no_chest_pain_value(structure: Any, text: str) -> None:
    assert value_at(structure(text), "stress_test.chest_pain") is None


# --- compound wall words and landmarks -------------------------------------------------------------------


def test_a_compound_apical_wall_word_gives_the_wall_and_its_apical_level(structure: Any) -> None:
    # dev gold convention (dev32): "apical inferior segment" is inferior + apical
    text = "Rest Tc-99m tetrofosmin SPECT.\nFINDINGS: A small inferoapical defect of mild intensity is seen.\n"
    assert _defects(structure(text)) == [(["inferior", "apical"], None)]


def test_a_wall_named_as_a_landmark_is_not_a_wall_of_the_defect(structure: Any) -> None:
    finding = "A fixed defect involves the anterolateral wall, reaching close to the apex."
    text = f"Rest Tc-99m tetrofosmin SPECT.\nFINDINGS: {finding}\n"
    assert _defects(structure(text)) == [(["anterolateral"], None)]


def test_control_a_wall_named_with_and_is_a_wall_of_the_defect(structure: Any) -> None:
    text = "Rest Tc-99m tetrofosmin SPECT.\nFINDINGS: A fixed defect involves the anterolateral wall and the apex.\n"
    assert _defects(structure(text)) == [(["anterolateral", "apex"], None)]


def test_control_a_symptom_named_with_the_denial_of_others_decides(structure: Any) -> None:
    stress = "During the regadenoson infusion there were no symptoms apart from brief chest tightness."
    text = f"Regadenoson sestamibi SPECT.\nSTRESS: {stress}\n"
    r = structure(text)
    assert value_at(r, "stress_test.chest_pain") == "present"
    assert span_at(r, text, "stress_test.chest_pain") == "chest tightness"


def test_control_a_resting_rhythm_without_change_is_no_stress_ecg_verdict(structure: Any) -> None:
    stress = "Resting rhythm was sinus with no acute changes. At peak exercise, 2 mm horizontal ST depression in V5."
    text = f"Treadmill sestamibi SPECT.\nSTRESS: {stress}\n"
    assert value_at(structure(text), "stress_test.ecg_response") == "ischemic"
