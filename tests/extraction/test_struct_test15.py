"""struct_test15 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set; each test names the mechanism it checks, and most
have a control where the value must still be read (or must not be). Expected values are literal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bench_modules import bench_module

from extraction.pipeline import hl7_view

REPO = Path(__file__).resolve().parents[2]

# The technique line of a myocardial perfusion study: the reports below are perfusion studies unless said otherwise.
_MPI = "Technique: Rest/stress Tc-99m sestamibi gated SPECT.\n"


def _value(out: dict[str, Any], section: str, field: str) -> Any:
    item = out[section][field]
    return None if item is None else item["value"]


# --- an HL7 v2 result message reads as the key/value report its segments carry ------------------------------------

_HL7 = (
    "MSH|^~\\&|NUCSYS|WESTSIDE|EHR|WESTSIDE|20250918120500||ORU^R01|M1|P|2.5\n"
    "PID|1||44120^^^WS^MR||DOE^JANE||19570203|F\n"
    "OBR|1|O55|A55|78452^NM HEART SPECT^CPT4|||20250917101500|||||||||77^SMITH^ANN||||||20250918120000|||F\n"
    "OBX|1|ST|IND^Reason for study||Exertional chest tightness||||||F\n"
    "OBX|2|CE|AGENT^Stress agent||REGA^Regadenoson 0.4 mg||||||F\n"
    "OBX|3|NM|HRR^Resting heart rate||64|/min|||||F\n"
    "OBX|4|NM|HRP^Peak heart rate||88|/min|||||F\n"
    "OBX|5|CE|CP^Chest pain during infusion||Y^Yes||||||F\n"
    "OBX|6|NM|EF^LVEF post-stress||57|%|50-70||||F\n"
    "OBX|7|NM|SSS^Summed stress score||2||||||F\n"
    "OBX|8|CE|RES^Perfusion||NL^Normal||||||F\n"
    "NTE|1||IMPRESSION: Normal regadenoson myocardial perfusion study without ischemia or\n"
    "NTE|2||infarction. Low risk.\n"
)


def test_hl7_view_keeps_offsets_and_reads_each_segment() -> None:
    view = hl7_view(_HL7)
    lines = view.split("\n")
    assert len(view) == len(_HL7)
    assert lines[0].strip() == ""  # the message header is no statement
    assert lines[1].strip() == ""  # nor is the patient (with the date of birth)
    assert " ".join(lines[2].split()) == "NM HEART SPECT Exam date: 20250917101500"
    assert lines[3].strip() == "Reason for study: Exertional chest tightness"
    assert lines[4].strip() == "Stress agent: Regadenoson 0.4 mg"  # a coded value reads as its text
    assert lines[5].strip() == "Resting heart rate: 64 /min"
    assert lines[8].strip() == "LVEF post-stress: 57 %"  # the reference range is blank
    assert lines[11].strip() == "IMPRESSION: Normal regadenoson myocardial perfusion study without ischemia or"


def test_a_value_keeps_its_offset_in_the_view() -> None:
    at = _HL7.index("||64|") + 2
    assert hl7_view(_HL7)[at : at + 2] == "64"


def test_a_text_with_vertical_bars_but_no_segments_is_as_written() -> None:
    text = "Location | Extent\nlateral | small\nFindings: SSS 4.\n"
    assert hl7_view(text) is text


def test_an_hl7_message_is_structured(structure: Any) -> None:
    out = structure(_HL7)
    assert _value(out, "study", "study_date") == "2025-09-17"  # the observation time, not the message's or birth
    assert _value(out, "study", "indication") == "Exertional chest tightness"
    assert _value(out, "study", "stress_agent") == "regadenoson"
    assert _value(out, "stress_test", "rest_hr_bpm") == 64
    assert _value(out, "stress_test", "peak_hr_bpm") == 88
    assert _value(out, "stress_test", "chest_pain") == "present"
    assert _value(out, "function", "lvef_percent") == 57
    assert _value(out, "perfusion", "sss") == 2
    assert _value(out, "perfusion", "result") == "normal"
    assert _value(out, "impression", "risk") == "low"


def test_an_hl7_time_stamp_after_a_date_label_is_a_date(structure: Any) -> None:
    out = structure("Exam date: 202403150930\n" + _MPI + "Impression: Normal study.\n")
    assert _value(out, "study", "study_date") == "2024-03-15"


# --- a yes/no key qualified by its setting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Angina with exercise: no", "absent"),
        ("Chest discomfort during infusion: Yes", "present"),
        ("Chest pain at peak stress: none", "absent"),
        ("Chest pain: no", "absent"),  # control: the plain key
    ],
)
def test_a_yes_no_key_with_a_setting_is_answered(structure: Any, line: str, expected: str) -> None:
    out = structure(_MPI + line + "\nImpression: Normal study.\n")
    assert _value(out, "stress_test", "chest_pain") == expected


# --- a change of the LVEF stated against the earlier study's value ------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("LVEF 44%, down from 56% in June 2024.", "worsened"),
        ("Ejection fraction 61%, increased from 50% on the study of 2/2/2024.", "improved"),
        ("LVEF 49% after stress, down from 53% at rest.", None),  # control: rest to stress is no comparison
    ],
)
def test_an_lvef_change_against_the_earlier_value_is_a_comparison(
    structure: Any, sentence: str, expected: str | None
) -> None:
    out = structure("Exam: Resting gated blood pool ventriculography.\nImpression: " + sentence + "\n")
    assert _value(out, "impression", "comparison") == expected


# --- second-language wordings (rules as data) ---------------------------------------------------------------------


def test_a_pathologic_study_is_abnormal(structure: Any) -> None:
    out = structure(_MPI + "Conclusion: Pathologic perfusion scan with a fixed inferior defect.\n")
    assert _value(out, "perfusion", "result") == "abnormal"


def test_a_pathological_st_response_is_ischemic(structure: Any) -> None:
    out = structure(_MPI + "Exercise ECG: 2 mm horizontal ST depression. Pathological ST response.\n")
    assert _value(out, "stress_test", "ecg_response") == "ischemic"


@pytest.mark.parametrize("sentence", ["Not previously examined with myocardial scintigraphy.", "No earlier study."])
def test_not_examined_before_is_no_prior(structure: Any, sentence: str) -> None:
    out = structure(_MPI + "Conclusion: Normal perfusion study. " + sentence + "\n")
    assert _value(out, "impression", "comparison") == "no prior"


# --- a verdict labelled as the whole study's ----------------------------------------------------------------------


def test_an_overall_verdict_is_preferred_to_a_perfusion_only_one(structure: Any) -> None:
    out = structure(
        "Exam: Rb-82 PET/CT with regadenoson.\n"
        "IMPRESSION:\n1. Normal relative perfusion.\n2. Severely reduced global flow reserve.\n"
        "Overall assessment: abnormal study.\n"
    )
    assert _value(out, "impression", "overall") == "abnormal"
    assert _value(out, "perfusion", "result") == "normal"


def test_without_an_overall_label_the_first_verdict_stands(structure: Any) -> None:
    out = structure("Exam: Rb-82 PET/CT with regadenoson.\nIMPRESSION:\n1. Normal perfusion study.\n")
    assert _value(out, "impression", "overall") == "normal"


# --- the released set's figures -----------------------------------------------------------------------------------


def test_struct_test15_scores_what_this_round_reached() -> None:
    """main before this round: field micro-F1 0.911, defect F1 0.857 (strict 0.857). o04's "the apical segments"
    alone, the apical walls in the writer's gold, is the apical ring since round 14 (it was the apex before)."""
    result = bench_module("extraction_eval").evaluate(REPO / "bench" / "data" / "struct_test15")
    assert round(result["field_micro_f1"], 3) >= 0.990  # 0.911 before
    assert round(result["defect_f1"], 3) == 1.000  # 0.857 before
