"""struct_test20 round (helper struct33): one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set (bench/data/struct_test20); each test names the
mechanism it checks, and each mechanism has a control. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest

_MPI = "Technique: Same-day rest/stress Tc-99m tetrofosmin gated SPECT with adenosine.\n"


def _val(out: dict[str, Any], section: str, key: str) -> Any:
    found = out[section][key]
    return None if found is None else found["value"]


# --- a final read in a banner line supersedes the preliminary read's restated measures -------------------------


_PRELIM_THEN_FINAL = (
    _MPI + "*** PRELIMINARY READ (on-call fellow, 02:10) ***\n"
    "Findings: Homogeneous perfusion; probable breast attenuation anteriorly.\n"
    "Gated: LVEF 62%, EDV 90 mL, ESV 34 mL.\n"
    "Prelim impression: Normal study.\n\n"
    "*** FINAL REPORT (attending, 09:30) ***\n"
    "On re-review there is a small, moderate, reversible perfusion defect of the mid anterior wall.\n"
    "Recalculated gated values: LVEF 49%, EDV 118 mL, ESV 60 mL.\n\n"
    "IMPRESSION:\n1. Abnormal perfusion study with mild anterior ischemia.\n"
)


def test_a_banner_final_read_replaces_the_preliminary_values(structure: Any) -> None:
    out = structure(_PRELIM_THEN_FINAL)
    assert _val(out, "function", "lvef_percent") == 49
    assert _val(out, "function", "edv_ml") == 118
    assert _val(out, "function", "esv_ml") == 60
    assert _val(out, "perfusion", "result") == "abnormal"


def test_a_preliminary_value_the_final_read_does_not_restate_stays(structure: Any) -> None:
    """Control: the final read says nothing of the volumes, so the preliminary read's stand."""
    text = _PRELIM_THEN_FINAL.replace("Recalculated gated values: LVEF 49%, EDV 118 mL, ESV 60 mL.\n", "")
    out = structure(text)
    assert _val(out, "function", "edv_ml") == 90
    assert _val(out, "function", "esv_ml") == 34


def test_a_denial_inside_a_parenthesis_ends_there(structure: Any) -> None:
    out = structure(_MPI + "Gated SPECT: LVEF 47% (previously quoted as 55%, not 55%), EDV 131 mL, ESV 69 mL.\n")
    assert _val(out, "function", "edv_ml") == 131
    control = structure(_MPI + "Gated SPECT: LVEF 47%. No EDV reported.\n")
    assert control["function"]["edv_ml"] is None


# --- a pronoun subject after a sentence that names a dated earlier study is that study's -----------------------


def test_it_showed_after_a_dated_outside_study_is_historical(structure: Any) -> None:
    text = (
        "Study date: 04/02/2026\n" + _MPI + "Findings: Normal perfusion. Gated post-stress LVEF 58%.\n"
        "Impression: Normal study.\n"
        "Addendum: A perfusion scan from an outside hospital dated 05/11/2021 became available. "
        "It showed a medium, severe, fixed inferior defect with an LVEF of 41%.\n"
    )
    out = structure(text)
    assert _val(out, "function", "lvef_percent") == 58
    defects = out["perfusion"]["defects"]
    assert [d["certainty"] for d in defects] == ["historical"]
    assert defects[0]["walls"] == ["inferior"]


def test_it_showed_without_a_dated_study_before_it_is_this_study(structure: Any) -> None:
    """Control: the sentence before names no earlier study."""
    text = (
        "Study date: 04/02/2026\n" + _MPI + "Findings: Stress and rest images were reviewed on the workstation. "
        "It showed a medium, severe, fixed inferior defect.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [d["certainty"] for d in defects] == ["affirmed"]


# --- the lowest blood pressure is neither rest nor peak ----------------------------------------------------------


def test_the_lowest_pressure_is_not_the_peak(structure: Any) -> None:
    text = _MPI + (
        "Stress: Resting BP 146/82 mmHg; nadir blood pressure during the infusion 118/66 mmHg, at peak 130/74 mmHg.\n"
    )
    out = structure(text)
    assert _val(out, "stress_test", "rest_bp") == "146/82"
    assert _val(out, "stress_test", "peak_bp") == "130/74"


# --- an artifact that was corrected, where the reader denies any artifact ---------------------------------------


def test_a_corrected_motion_with_a_verdict_of_no_artifact_is_none(structure: Any) -> None:
    text = _MPI + (
        "Quality: Patient motion during the stress acquisition was detected and was corrected by the software. "
        "Final images are free of significant artifact.\n"
        "Findings: Normal perfusion.\n"
    )
    assert _val(structure(text), "perfusion", "artifact") == "none"


def test_a_corrected_motion_without_a_separate_verdict_stays_motion(structure: Any) -> None:
    """Control: only the same sentence says no residual artifact (the struct_dev9 convention)."""
    text = _MPI + (
        "Quality: Patient motion during the stress acquisition was corrected with no residual artifact.\n"
        "Findings: Normal perfusion.\n"
    )
    assert _val(structure(text), "perfusion", "artifact") == "motion"


def test_a_denial_of_attenuation_said_of_a_finding_is_no_artifact_verdict(structure: Any) -> None:
    text = _MPI + (
        "Findings: The anterior count reduction does not represent attenuation; there is a small, mild, "
        "reversible defect of the anterior wall.\n"
    )
    assert structure(text)["perfusion"]["artifact"] is None


# --- a number that a dictation gap interrupts is refused ---------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "section", "key"),
    [
        ("Transient ischemic dilation ratio one point [unintelligible].", "function", "tid_ratio"),
        ("Duke treadmill score plus six point [inaudible].", "stress_test", "duke_treadmill_score"),
        ("Summed stress score [inaudible] seven.", "perfusion", "sss"),
    ],
)
def test_a_value_cut_by_a_gap_is_refused(structure: Any, sentence: str, section: str, key: str) -> None:
    text = "Exercise Tc-99m sestamibi SPECT, Bruce protocol, dictated.\n" + sentence + "\n"
    assert structure(text)[section][key] is None


def test_a_whole_value_beside_a_gap_is_kept(structure: Any) -> None:
    """Control: the unit closes the number before the gap; a gap elsewhere cuts nothing."""
    text = (
        "Exercise Tc-99m sestamibi SPECT, Bruce protocol, dictated.\n"
        "The post stress ejection fraction is fifty eight percent [inaudible] normal wall motion. "
        "TID ratio 1.02. Compared with [inaudible].\n"
    )
    out = structure(text)
    assert _val(out, "function", "lvef_percent") == 58
    assert _val(out, "function", "tid_ratio") == 1.02


# --- abbreviations spelled letter by letter in a dictation --------------------------------------------------------


def test_spelled_letters_of_the_ecg_and_the_artery(structure: Any) -> None:
    text = _MPI + (
        "Findings: There is a medium, moderate, reversible defect of the inferior wall in the R C A territory.\n"
        "Stress: The E C G was positive for ischaemia, with S T depression of one and a half millimetres.\n"
    )
    out = structure(text)
    assert [d["territory"] for d in out["perfusion"]["defects"]] == ["RCA"]
    assert _val(out, "stress_test", "ecg_response") == "ischemic"


def test_letters_without_a_territory_word_are_no_artery(structure: Any) -> None:
    """Control: "r c a" with no word of a territory after it names nothing."""
    text = _MPI + "Findings: There is a medium, moderate, reversible defect of the inferior wall. Note r c a.\n"
    assert [d["territory"] for d in structure(text)["perfusion"]["defects"]] == [None]


# --- an aneurysm of a vessel is no wall motion --------------------------------------------------------------------


@pytest.mark.parametrize(
    "history",
    [
        "Patient: Test, Person   DOB: 02/05/1991\n"
        "Background: Kawasaki disease with a large aneurysm of the proximal RCA.\n",
        "Patient: Test, Person   DOB: 02/05/1951\nBackground: Abdominal aortic aneurysm, for repair next month.\n",
        "Patient: Test, Person   DOB: 02/05/1981\nBackground: Known coronary artery aneurysms.\n",
    ],
)
def test_a_vessels_aneurysm_is_no_wall_motion(structure: Any, history: str) -> None:
    out = structure(history + _MPI + "Gated: LVEF 60%, normal regional wall motion.\n")
    assert _val(out, "function", "wall_motion") == "normal"


def test_an_aneurysm_of_the_ventricle_is_abnormal_motion(structure: Any) -> None:
    """Control: an apical aneurysm in a vessel's territory is the ventricle's."""
    out = structure(_MPI + "Gated: LVEF 38%, with an apical aneurysm in the LAD territory.\n")
    assert _val(out, "function", "wall_motion") == "abnormal"


# --- a "Conclusion of scan" header; a date after "performed" --------------------------------------------------------


def test_conclusion_of_scan_heads_the_impression(structure: Any) -> None:
    text = (
        "NUCLEAR PERFUSION STUDY (performed 14 April 2026, Nuclear Medicine)\n"
        + _MPI
        + "Findings: Homogeneous uptake.\n"
        "Conclusion of scan: Normal myocardial perfusion. No evidence of infarction.\n"
    )
    out = structure(text)
    assert _val(out, "study", "study_date") == "2026-04-14"
    assert _val(out, "impression", "overall") == "normal"
    assert _val(out, "impression", "infarction") == "absent"


# --- an HL7 text segment is a line of the report, with its own headers -------------------------------------------


_HL7 = (
    "MSH|^~\\&|NMIS|EASTFIELD|EMR|EASTFIELD|202605040915||ORU^R01|77123|P|2.5.1\n"
    "PID|1||E-55120||DOE^JANE||19600101|F\n"
    "OBR|1|||NMMPI^Nuclear MPI|||202605040800\n"
    "OBX|1|NM|LVEF^Ejection fraction^L||44|%|||||F\n"
    "OBX|2|TX|TEXT^Narrative^L||REASON FOR STUDY: Palpitations and atypical chest pain.||||||F\n"
    "OBX|3|TX|TEXT^Narrative^L||FINDINGS: Medium, severe, fixed defect of the inferior wall.||||||F\n"
    "OBX|4|TX|TEXT^Narrative^L||CONCLUSION: Abnormal scan, inferior scar without ischemia.||||||F\n"
)


def test_headers_inside_hl7_text_segments_open_sections(structure: Any) -> None:
    out = structure(_HL7)
    assert _val(out, "study", "indication") == "Palpitations and atypical chest pain"
    assert _val(out, "impression", "overall") == "abnormal"
    assert _val(out, "impression", "infarction") == "present"
    assert _val(out, "function", "lvef_percent") == 44


# --- a "Tracer/protocol" key; a phase pair that names a table's columns ------------------------------------------


def test_a_column_legend_is_no_protocol(structure: Any) -> None:
    text = (
        "Tracer/protocol: Tc-99m sestamibi, one-day rest/stress SPECT\n"
        "Stress: Treadmill exercise, Bruce protocol, 8 min.\n"
        "Polar map scores (stress / rest)\n 1 basal anterior  0 / 0\n 2 mid anterior  2 / 0\n"
    )
    assert _val(structure(text), "study", "protocol") == "rest-stress"


def test_a_stress_rest_statement_is_still_read(structure: Any) -> None:
    """Control: a phase pair that is not a column legend names the protocol."""
    text = "Stress: Treadmill exercise, Bruce protocol, 8 min. Stress/rest Tc-99m sestamibi SPECT.\n"
    assert _val(structure(text), "study", "protocol") == "stress-rest"


# --- an ungraded finding whose wall a later sentence calls normal is no defect -----------------------------------


def test_an_ungraded_finding_of_a_wall_called_normal_is_no_defect(structure: Any) -> None:
    text = _MPI + (
        "Findings: The septal count reduction is not artifact on the corrected images. There is a medium, moderate, "
        "reversible defect of the anterolateral wall. The septum itself is normal.\n"
    )
    assert [d["walls"] for d in structure(text)["perfusion"]["defects"]] == [["anterolateral"]]


def test_a_graded_defect_stays_when_another_wall_is_called_normal(structure: Any) -> None:
    """Control: the defect is graded and the wall called normal is another one."""
    text = _MPI + ("Findings: There is a small, mild, fixed defect of the septum. The lateral wall is normal.\n")
    assert [d["walls"] for d in structure(text)["perfusion"]["defects"]] == [["septal"]]
