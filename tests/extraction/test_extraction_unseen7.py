"""Issue 16, seventh round (struct_dev6 g03, g04, g05, g07): one test per general mechanism.

Each report below is a paraphrase written for the test (no sentence is copied from the blind set), in
the style of the report family it stands for. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import span_at, value_at

# --- checkbox templates: the box marker decides ------------------------------------------------------

_TEMPLATE = (
    "Cardiac Imaging Worksheet\n"
    "Exam date: 02/14/2026\n"
    "Indication: [ ] Chest pain  [x] Abnormal ECG  [ ] Dyspnea  Other: LBBB on routine ECG before chemotherapy\n"
    "\n"
    "Stress type: [x] Exercise  [ ] Vasodilator  [ ] Dobutamine\n"
    "Radiotracer: [ ] Rb-82  [x] Tc-99m sestamibi  [ ] Tl-201\n"
    "Protocol: [ ] Stress only  [x] 1-day rest/stress  [ ] 2-day\n"
    "Symptoms: [ ] None  [ ] Chest pain  [x] Fatigue  [x] Leg pain\n"
    "Stress ECG: [ ] Ischemic  [ ] Nonischemic  [x] Nondiagnostic\n"
    "\n"
    "Perfusion: [x] Normal  [ ] Abnormal  [ ] Equivocal\n"
    "Artifact: [ ] None  [x] Attenuation  [ ] Motion\n"
    "LV size: [ ] Normal  [x] Dilated\n"
    "\n"
    "Summary: [x] Normal study  [ ] Abnormal study\n"
    "Ischemia: [ ] Yes  [x] No     Infarct: [ ] Yes  [x] No\n"
    "Risk: [x] Low  [ ] Intermediate  [ ] High\n"
)


def test_checked_box_is_the_answer_and_an_unchecked_one_no_statement(structure: Any) -> None:
    """Only the checked item of a list is read (wording.json "checkboxes", extraction.pipeline.checkbox_view):
    the unchecked alternatives give no stress type, tracer, protocol, verdict or risk."""
    out = structure(_TEMPLATE)
    assert value_at(out, "study.stress_type") == "exercise"
    assert [t["value"] for t in out["study"]["tracers"]] == ["Tc-99m sestamibi"]
    assert value_at(out, "study.protocol") == "rest-stress"
    assert value_at(out, "stress_test.ecg_response") == "nondiagnostic"
    assert value_at(out, "perfusion.result") == "normal"
    assert value_at(out, "perfusion.artifact") == "attenuation"
    assert value_at(out, "function.lv_size") == "dilated"
    assert value_at(out, "impression.overall") == "normal"
    assert value_at(out, "impression.risk") == "low"
    assert span_at(out, _TEMPLATE, "impression.risk") == "Risk: [x] Low"


def test_unchecked_symptom_is_denied_and_its_box_is_the_span(structure: Any) -> None:
    """A concept of polarity in an unchecked item is denied ('[ ] Chest pain' among checked symptoms: no chest
    pain), with the box in its span; the unchecked chest pain of the indication list is no finding of the test."""
    out = structure(_TEMPLATE)
    assert value_at(out, "stress_test.chest_pain") == "absent"
    assert span_at(out, _TEMPLATE, "stress_test.chest_pain") == "[ ] Chest pain"


def test_yes_no_boxes_answer_the_key(structure: Any) -> None:
    """'Ischemia: [ ] Yes  [x] No': the checked answer of the key, not the cue of an unchecked 'No'."""
    out = structure(_TEMPLATE)
    assert value_at(out, "impression.ischemia") == "absent"
    assert value_at(out, "impression.infarction") == "absent"
    text = "Impression: abnormal study.\nInfarct: [x] Yes  [ ] No     Ischemia: [x] Yes  [ ] No\n"
    out = structure(text)
    assert value_at(out, "impression.infarction") == "present"
    assert value_at(out, "impression.ischemia") == "present"
    assert span_at(out, text, "impression.ischemia") == "Yes"


def test_free_text_after_a_checkbox_list_is_the_indication(structure: Any) -> None:
    """'Other:' after a list of reasons introduces the writer's own reason (checkboxes free_text_labels)."""
    out = structure(_TEMPLATE)
    assert value_at(out, "study.indication") == "LBBB on routine ECG before chemotherapy"


def test_defect_template_line_reads_its_checked_grades(structure: Any) -> None:
    """A templated defect line: size, severity and reversibility from the checked boxes; the property's own
    key ('Reversibility:') is no reversibility."""
    text = (
        "Perfusion: [ ] Normal  [x] Abnormal\n"
        "Defect: Walls: apical and mid anterior   Extent: [x] Small [ ] Medium [ ] Large   "
        "Severity: [ ] Mild [x] Moderate [ ] Severe   Reversibility: [x] Reversible [ ] Fixed   Territory: LAD\n"
        "Conclusion: [ ] Normal study  [x] Abnormal study\n"
    )
    out = structure(text)
    (defect,) = out["perfusion"]["defects"]
    assert (defect["extent"], defect["severity"], defect["reversibility"]) == ("small", "moderate", "reversible")
    assert defect["territory"] == "LAD"
    assert value_at(out, "perfusion.result") == "abnormal"
    assert value_at(out, "impression.overall") == "abnormal"


def test_unicode_ballot_boxes(structure: Any) -> None:
    """The ballot-box characters are box markers too (☒ checked, ☐ unchecked)."""
    text = "Risk: ☐ Low  ☐ Intermediate  ☒ High\nMyocardial perfusion: ☐ Normal  ☒ Abnormal\n"
    out = structure(text)
    assert value_at(out, "impression.risk") == "high"
    assert value_at(out, "perfusion.result") == "abnormal"


@pytest.mark.parametrize(
    "text",
    [
        "IMPRESSION: Normal myocardial perfusion [1]. Low risk.",
        "FINDINGS: Normal perfusion. No defect.\nIMPRESSION: Normal study.",
    ],
)
def test_text_without_boxes_is_read_as_it_is(text: str) -> None:
    """A report without a box marker is left unchanged ('[1]' is a reference, not a box)."""
    from extraction.pipeline import checkbox_view

    assert checkbox_view(text) == (text, ())


# --- polarity: an agent that was avoided is not the stress ------------------------------------------


@pytest.mark.parametrize(
    ("text", "stress_type", "agent"),
    [
        (
            "HISTORY: Exertional chest tightness. Severe COPD, hence adenosine avoided.\n"
            "PROCEDURE: Treadmill exercise, Bruce protocol, 8 minutes.\nIMPRESSION: Normal perfusion study.",
            "exercise",
            None,
        ),
        (
            "PROCEDURE: Dipyridamole avoided, regadenoson 0.4 mg IV given.\nIMPRESSION: Normal perfusion study.",
            "pharmacologic",
            "regadenoson",
        ),
        (
            "PROCEDURE: We avoided adenosine; regadenoson 0.4 mg IV given.\nIMPRESSION: Normal perfusion study.",
            "pharmacologic",
            "regadenoson",
        ),
    ],
)
def test_avoided_agent_is_not_the_stress(structure: Any, text: str, stress_type: str, agent: str | None) -> None:
    """'X avoided' negates the agent or stress named before it, 'avoided X' the one after it; the agent
    after a comma keeps its certainty (context_rules.json)."""
    out = structure(text)
    assert value_at(out, "study.stress_type") == stress_type
    assert value_at(out, "study.stress_agent") == agent


# --- wording: thallium protocols and incomplete redistribution --------------------------------------


def test_stress_then_delayed_redistribution_title_is_stress_rest(structure: Any) -> None:
    """'stress / 24-hour redistribution' in a title: stress first (wording target PROTOCOL)."""
    text = "STUDY: Tl-201 treadmill stress / 24-hour redistribution SPECT\nIMPRESSION: Normal perfusion study."
    out = structure(text)
    assert value_at(out, "study.protocol") == "stress-rest"
    assert span_at(out, text, "study.protocol") == "stress / 24-hour redistribution"


@pytest.mark.parametrize(
    "sentence",
    [
        "Stress images show a medium-sized, severe inferior defect with marked but incomplete redistribution.",
        "There is a moderate inferior defect which incompletely normalizes at rest.",
    ],
)
def test_incomplete_reversal_is_partially_reversible(structure: Any, sentence: str) -> None:
    out = structure(f"FINDINGS: {sentence}\nIMPRESSION: Abnormal perfusion study.")
    (defect,) = out["perfusion"]["defects"]
    assert defect["walls"] == ["inferior"]
    assert defect["reversibility"] == "partially reversible"


# --- vendor exports: the value of the field's own key ----------------------------------------------

_EXPORT = (
    "SCANNER=CZT cardiac camera\n"
    "EXAM_TITLE=MYOCARDIAL PERFUSION SPECT, STRESS ONLY\n"
    "PROTOCOL=stress-only\n"
    "STRESS=treadmill exercise\n"
    "PERFUSION_RESULT=ABNORMAL\n"
    "ARTIFACT=none\n"
    "IMPRESSION=Abnormal stress-only CZT perfusion study with mild inferior ischemia.\n"
)


def test_export_spans_are_the_values_of_the_fields_own_keys(structure: Any) -> None:
    """The artifact and the perfusion result come from their own keys (span on the value); the modality from
    where it is named outright rather than implied by the camera; the protocol from its own key."""
    out = structure(_EXPORT)
    assert value_at(out, "perfusion.artifact") == "none"
    assert span_at(out, _EXPORT, "perfusion.artifact") == "none"
    assert value_at(out, "perfusion.result") == "abnormal"
    assert span_at(out, _EXPORT, "perfusion.result") == "ABNORMAL"
    assert value_at(out, "study.modality") == "SPECT"
    assert span_at(out, _EXPORT, "study.modality") == "SPECT"
    assert value_at(out, "study.protocol") == "stress-only"
    assert span_at(out, _EXPORT, "study.protocol") == "stress-only"


@pytest.mark.parametrize(
    "checkboxes",
    [
        {"checked": ["\\[x\\]"]},  # no unchecked marker
        {"checked": ["\\[x\\]"], "unchecked": ["\\[ \\]"], "polarity_labels": ["SYMPTOM"]},  # not a label
        {"checked": ["[x"], "unchecked": ["\\[ \\]"]},  # not a regular expression
        {"checked": ["\\[x\\]"], "unchecked": ["\\[ \\]"], "tick": ["v"]},
    ],
)
def test_invalid_checkbox_rules_are_refused(tmp_path: Any, checkboxes: dict[str, object]) -> None:
    import json

    from extraction.rules import load_wording, resource_path
    from reporter.errors import ConfigError

    data = json.loads(resource_path("wording.json").read_text(encoding="utf-8"))
    path = tmp_path / "wording.json"
    path.write_text(json.dumps({**data, "checkboxes": checkboxes}), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_wording(path)
    assert info.value.code == "E104"


def test_checked_reasons_without_free_text_are_the_indication(structure: Any) -> None:
    """Without an 'Other:' answer, the checked reasons are the indication, listed; the unchecked one is left out."""
    text = (
        "Reason for exam: [x] Known CAD  [ ] Syncope  [x] Preop evaluation\n"
        "Impression: ( ) Normal study  (x) Abnormal study\n"
    )
    out = structure(text)
    assert value_at(out, "study.indication") == "Known CAD, Preop evaluation"
    assert value_at(out, "impression.overall") == "abnormal"


def test_boxes_written_after_their_items(structure: Any) -> None:
    """A line whose last box ends it writes each box after its item ('Normal [ ]  Abnormal [x]'): the item
    before an empty box is no statement, so the polarity is not turned round."""
    text = (
        "Perfusion: Normal [ ]  Abnormal [x]  Equivocal [ ]\n"
        "Symptoms: Chest pain [ ]  Dyspnea [x]\n"
        "Risk: Low [ ]  Intermediate [ ]  High [x]\n"
    )
    out = structure(text)
    assert value_at(out, "perfusion.result") == "abnormal"
    assert value_at(out, "impression.risk") == "high"
    assert value_at(out, "stress_test.chest_pain") == "absent"
    assert span_at(out, text, "stress_test.chest_pain") == "Chest pain"


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("STRESS_MODE=EX+PHARM\nPERF_RESULT=NORMAL\n", "EX+PHARM"),
        ("Stress: exercise + pharmacologic (regadenoson 0.4 mg).\nImpression: Normal perfusion study.", None),
    ],
)
def test_combined_stress_mode_code(structure: Any, text: str, span: str | None) -> None:
    """A stress mode that joins exercise and a pharmacologic stress with a plus is combined, even without an
    agent named; its span is the code (wording target PHARM_STRESS, extraction.assemble._stress)."""
    out = structure(text)
    assert value_at(out, "study.stress_type") == "exercise+pharmacologic"
    if span is not None:
        assert span_at(out, text, "study.stress_type") == span
