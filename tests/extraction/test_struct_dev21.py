"""struct_dev21 round (helper struct40): one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the development set (bench/data/struct_dev21); each test names the
mechanism it checks, and each mechanism has a control. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

from extraction.pipeline import dictation_view, hyphen_view

_MPI = "Technique: Same-day rest/stress Tc-99m tetrofosmin gated SPECT with treadmill exercise.\n"


def _val(out: dict[str, Any], section: str, key: str) -> Any:
    found = out[section][key]
    return None if found is None else found["value"]


# --- OCR layout family: a word hyphenated across a line break reads whole ------------------------------------


def test_hyphen_view_joins_a_rule_word_split_at_a_line_end_and_keeps_the_length() -> None:
    text = "Septal thickening is abnor-\nmal here."
    view, changed = hyphen_view(text)
    assert len(view) == len(text)
    assert view.startswith("Septal thickening is abnormal  ")
    assert changed  # the characters as written are kept for quoting


def test_hyphen_view_leaves_a_compound_that_joins_into_no_rule_word() -> None:
    text = "A one-day stress-\nonly protocol was used."
    assert hyphen_view(text) == (text, ())


def test_scanned_report_reads_words_split_over_line_ends(structure: Any) -> None:
    text = (
        _MPI + "Findings: The patient exercised for 8 minutes. Rest-\ning heart rate 64 bpm, peak heart rate 151 bpm.\n"
        "Perfusion is normal. Regional wall motion is nor-\nmal throughout.\n"
        "Impression: Normal study. No evidence of infarc-\ntion or ischemia.\n"
    )
    out = structure(text)
    assert _val(out, "function", "wall_motion") == "normal"
    assert _val(out, "impression", "infarction") == "absent"
    assert _val(out, "stress_test", "rest_hr_bpm") == 64


def test_hyphenated_line_end_control_words_without_a_split_read_as_before(structure: Any) -> None:
    text = _MPI + "Findings: Resting heart rate 64 bpm. Wall motion is normal.\nImpression: Normal study.\n"
    out = structure(text)
    assert _val(out, "function", "wall_motion") == "normal"
    assert _val(out, "stress_test", "rest_hr_bpm") == 64


# --- dictation family: a spoken self-correction keeps the corrected value -------------------------------------


def test_a_spoken_correction_retracts_the_number_before_it(structure: Any) -> None:
    text = _MPI + "Findings: The left ventricular ejection fraction is forty eight, correction, fifty eight percent.\n"
    assert _val(structure(text), "function", "lvef_percent") == 58


def test_scratch_that_retracts_a_number_written_in_digits(structure: Any) -> None:
    text = _MPI + "Findings: Exercise time 6 minutes, scratch that, 9 minutes on the Bruce protocol.\n"
    assert _val(structure(text), "stress_test", "exercise_duration_min") == 9


def test_a_spoken_correction_retracts_the_wall_it_replaces(structure: Any) -> None:
    text = (
        _MPI + "Findings: There is a moderate fixed defect in the anterior wall, make that the anterolateral wall.\n"
        "Impression: Abnormal study.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [d["walls"] for d in defects] == [["anterolateral"]]


def test_a_correction_of_the_risk_keeps_the_last_said(structure: Any) -> None:
    text = (
        _MPI + "Impression: Abnormal study with mild ischemia. High risk, correction, intermediate risk, "
        "make that low risk.\n"
    )
    assert _val(structure(text), "impression", "risk") == "low"


def test_self_correction_control_a_word_correction_without_the_comma_is_no_cue() -> None:
    text = "CT attenuation correction was applied; images were of good quality."
    view, changed, _ = dictation_view(text)
    assert view == text
    assert changed == ()


def test_a_mark_said_and_also_written_is_not_part_of_the_indication(structure: Any) -> None:
    text = (
        "Voice recognition draft. Patient Doe, Jane. Date of study March fourth twenty twenty six.\n\n"
        "This is a pharmacologic nuclear stress test with regadenoson, one day rest stress protocol, technetium "
        "sestamibi, SPECT imaging. Indication palpitations and presyncope, period. Paragraph.\n\n"
        "The patient received regadenoson without symptoms. There were no ST changes. Perfusion images are "
        "normal without any defect. Ejection fraction sixty percent. Impression. Number one, normal "
        "pharmacologic myocardial perfusion study. Number two, low risk. End of dictation.\n"
    )
    assert _val(structure(text), "study", "indication") == "palpitations and presyncope"
