"""struct_test25 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set; each test names the mechanism it checks, and most
have a control where the value must still be read (or must not be). Expected values are literal.
"""

from __future__ import annotations

from typing import Any

from extraction.pipeline import hl7_view


def _value(out: dict[str, Any], section: str, field: str) -> Any:
    item = out[section][field]
    return None if item is None else item["value"]


def _walls(out: dict[str, Any]) -> list[list[str]]:
    return [d["walls"] for d in out["perfusion"]["defects"]]


# --- HL7 v2: an observation's local alternate name, a named free-text field, repetitions as lines ----------------

_ORU = (
    "MSH|^~\\&|CAMSYS|CARDIO_NM|HIS|MERCY|20260304120000||ORU^R01|MX0093|P|2.5.1\n"
    "PID|1||MX551^^^MERCY^MR||DOE^JANE||19580101|F\n"
    "OBR|1|ORD77|ACC77|MPI^Myocardial perfusion^L|||202603031015\n"
    "OBX|1|ST|NM.TRC^Isotope^L||Tc-99m sestamibi||||||F\n"
    "OBX|2|ST|NM.ST^Stress type^L||Regadenoson||||||F\n"
    "OBX|3|NM|8867-4^Heart rate^LN^VS.HR1^Baseline heart rate^L||66|/min|||||F\n"
    "OBX|4|NM|8867-4^Heart rate^LN^VS.HR2^Peak heart rate^L||91|/min|||||F\n"
    "OBX|5|TX|NM.REASON^Indication^L||Atypical chest discomfort with diabetes||||||F\n"
    "OBX|6|NM|NM.EF^Left ventricular ejection fraction (gated stress)^L||57|%|50-75|N|||F\n"
    "OBX|7|TX|NM.IMP^Impression^L||1. Normal regadenoson myocardial perfusion study.~"
    "2. No evidence of infarction.~3. Low risk.||||||F\n"
)


def test_hl7_alternate_text_names_an_observation_coded_alike() -> None:
    view = hl7_view(_ORU)
    assert len(view) == len(_ORU)
    assert "Baseline heart rate: 66" in view
    assert "Peak heart rate: 91" in view


def test_hl7_named_free_text_field_gets_its_name_and_repetitions_become_lines() -> None:
    view = hl7_view(_ORU)
    assert "Indication: Atypical chest discomfort" in view
    assert "Impression: 1. Normal regadenoson" in view
    assert "\n2. No evidence of infarction.\n3. Low risk." in view


def test_hl7_message_with_alternates_and_free_text_is_structured(structure: Any) -> None:
    out = structure(_ORU)
    assert _value(out, "stress_test", "rest_hr_bpm") == 66
    assert _value(out, "stress_test", "peak_hr_bpm") == 91
    assert _value(out, "study", "indication") == "Atypical chest discomfort with diabetes"
    assert _value(out, "function", "lvef_percent") == 57
    assert _value(out, "impression", "overall") == "normal"
    assert _value(out, "impression", "infarction") == "absent"
    assert _value(out, "impression", "risk") == "low"


def test_hl7_report_text_carried_line_by_line_gets_no_header_of_its_name() -> None:
    # control: one free-text observation repeated a line each is the report itself; its lines keep their headers
    text = (
        "MSH|^~\\&|A|B|C|D|20260101||ORU^R01|1|P|2.5\n"
        "PID|1||X1\n"
        "OBX|1|TX|RPT^Report text^L||WESTFIELD CARDIAC IMAGING||||||F\n"
        "OBX|2|TX|RPT^Report text^L||FINDINGS: Normal perfusion.||||||F\n"
    )
    view = hl7_view(text)
    assert "Report text" not in view
    assert "WESTFIELD CARDIAC IMAGING" in view
    assert "FINDINGS: Normal perfusion." in view


# --- an LVEF label with two phase words in brackets is no aside ------------------------------------------------


def test_lvef_label_with_phase_and_gating_in_brackets(structure: Any) -> None:
    text = "Technique: Stress-only Tc-99m sestamibi SPECT.\nEjection fraction (gated post-stress): 61 %\n"
    assert _value(structure(text), "function", "lvef_percent") == 61


def test_lvef_bracket_of_another_test_with_a_phase_is_still_an_aside(structure: Any) -> None:
    # control: a bracket that names another test beside a phase word is an aside, not the study's phase
    text = "Technique: Stress-only Tc-99m sestamibi SPECT.\nLVEF (TTE, rest): 45 %\n"
    assert _value(structure(text), "function", "lvef_percent") is None


def test_lvef_bracket_of_rest_and_gating_gives_the_rest_value(structure: Any) -> None:
    text = "Technique: Rest/stress Tc-99m sestamibi SPECT.\nLVEF (rest gated): 52 %\nLVEF (stress gated): 49 %\n"
    out = structure(text)
    assert _value(out, "function", "lvef_percent") == 49
    assert _value(out, "function", "rest_lvef_percent") == 52


# --- a score table ruled under its heads, its sum row's label with a bracket ----------------------------------------


def test_summed_scores_from_a_ruled_pipe_table(structure: Any) -> None:
    text = (
        "Technique: Rest/stress Tc-99m tetrofosmin SPECT.\n"
        "SCORES\n"
        "| Item                | Stress | Rest | Note        |\n"
        "|---------------------|--------|------|-------------|\n"
        "| Summed score (20-seg)| 9     | 2    | SDS 7       |\n"
    )
    out = structure(text)
    assert _value(out, "perfusion", "sss") == 9
    assert _value(out, "perfusion", "srs") == 2
    assert _value(out, "perfusion", "sds") == 7


# --- "w/o" denies ischemic ECG changes --------------------------------------------------------------------------


def test_without_abbreviated_denies_ischemic_ecg_changes(structure: Any) -> None:
    text = "Tc-99m sestamibi SPECT with regadenoson; HR 70 -> 95, EKG w/o ischemic changes, no CP; perfusion normal.\n"
    assert _value(structure(text), "stress_test", "ecg_response") == "nonischemic"


def test_ischemic_ecg_changes_still_read_with_abbreviations(structure: Any) -> None:
    # control: affirmed changes stay ischemic
    text = "Tc-99m sestamibi SPECT with treadmill exercise; ECG w/ 2 mm ischemic ST depression; perfusion normal.\n"
    assert _value(structure(text), "stress_test", "ecg_response") == "ischemic"


# --- walls named as the place of a wall motion are no defect's walls ---------------------------------------------


def test_walls_of_wall_motion_in_the_defect_clause_are_not_the_defects(structure: Any) -> None:
    text = (
        "Tc-99m tetrofosmin rest/stress SPECT, regadenoson; scan shows a medium severe fixed defect of the "
        "anterior wall in LAD terr, SSS 12, EF 38%, anterior akinesis and lateral hypokinesis, TID 1.1; "
        "impression: abnormal study.\n"
    )
    assert _walls(structure(text)) == [["anterior"]]


def test_walls_after_a_motion_word_with_of(structure: Any) -> None:
    text = (
        "Technique: Rest/stress Tc-99m sestamibi SPECT, exercise.\n"
        "Findings: There is a small severe reversible defect of the apex, with hypokinesis of the inferior wall "
        "on gated images.\n"
    )
    assert _walls(structure(text)) == [["apex"]]


def test_defect_named_only_by_hypokinetic_walls_keeps_them(structure: Any) -> None:
    # control: where every wall of the defect is a wall of the motion, the walls stay
    text = (
        "Technique: Rest/stress Tc-99m sestamibi SPECT.\n"
        "Findings: Fixed defect with hypokinesis of the inferior wall.\n"
    )
    assert _walls(structure(text)) == [["inferior"]]


# --- an addendum that puts a preliminary wall finding down to an artifact and denies it takes the defect back --------


_PRELIM = (
    "PRELIMINARY REPORT\n"
    "Findings: A medium, moderate, reversible defect is seen in the apical anterior wall. LVEF 58%.\n"
    "Impression: Mild anterior ischemia.\n\n"
    "ADDENDUM\n"
    "Review of the raw frames shows patient motion during stress. The apical anterior finding of the first read "
    "is explained by motion artifact and does not represent ischemia.\n"
    "Revised impression: Normal perfusion.\n"
)


def test_addendum_artifact_then_denial_takes_the_defect_back(structure: Any) -> None:
    out = structure("Technique: Rest/stress Tc-99m sestamibi SPECT, exercise.\n" + _PRELIM)
    assert out["perfusion"]["defects"] == []
    assert _value(out, "perfusion", "artifact") == "motion"
    assert _value(out, "function", "lvef_percent") == 58


def test_addendum_that_keeps_the_defect_as_real(structure: Any) -> None:
    # control: an addendum that denies the artifact keeps the defect
    text = (
        "Technique: Rest/stress Tc-99m sestamibi SPECT, exercise.\n"
        "Findings: A medium, moderate, reversible defect is seen in the anterior wall.\n\n"
        "ADDENDUM\n"
        "Review of the raw frames shows no patient motion. The anterior defect is real and represents ischemia.\n"
    )
    assert _walls(structure(text)) == [["anterior"]]


# --- a study with neither stress nor perfusion imaging has no stress-test vitals ---------------------------------


def test_heart_rate_at_injection_of_an_innervation_scan_is_no_rest_hr(structure: Any) -> None:
    text = (
        "CARDIAC I-123 MIBG IMAGING\n"
        "Technique: 10 mCi I-123 MIBG IV at rest, heart rate 64 bpm, blood pressure 128/74. "
        "Planar images at 15 minutes and 4 hours. No stress test and no perfusion imaging were performed.\n"
        "Findings: Late heart-to-mediastinum ratio 1.42.\n"
        "Impression: Abnormal MIBG study.\n"
    )
    out = structure(text)
    assert _value(out, "stress_test", "rest_hr_bpm") is None
    assert _value(out, "stress_test", "rest_bp") is None


def test_resting_vitals_of_a_stress_study_are_kept(structure: Any) -> None:
    # control: a perfusion study with a stress keeps its resting heart rate
    text = (
        "Technique: Rest/stress Tc-99m sestamibi SPECT with regadenoson.\n"
        "Resting heart rate 64 bpm, blood pressure 128/74; peak heart rate 90 bpm.\n"
        "Impression: Normal perfusion.\n"
    )
    out = structure(text)
    assert _value(out, "stress_test", "rest_hr_bpm") == 64
    assert _value(out, "stress_test", "rest_bp") == "128/74"
