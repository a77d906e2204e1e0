"""Issue 16, struct_test28 (released after its sealed scoring): one test per general mechanism.

Each report below is another writer's wording of the layout or phrasing, not the blind report's; controls show what
each mechanism leaves alone. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

from report_fields import span_at, value_at

from extraction.pipeline import layout_view


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None, str | None, str | None, str]]:
    return [
        (d["walls"], d["severity"], d["extent"], d["reversibility"], d["certainty"])
        for d in out["perfusion"]["defects"]
    ]


# --- a defect phrase whose walls follow it, then one whose walls precede its defect word -----------------------


def test_a_second_phrase_with_its_walls_before_its_defect_word_is_a_second_defect(structure: Any) -> None:
    out = structure(
        "FINDINGS: There is a severe reversible defect in the anterior wall (LAD territory), and a mild fixed "
        "basal inferior defect.\nIMPRESSION: Abnormal myocardial perfusion.\n"
    )
    assert _defects(out) == [
        (["anterior"], "severe", None, "reversible", "affirmed"),
        (["inferior"], "mild", None, "fixed", "affirmed"),
    ]
    assert [d["territory"] for d in out["perfusion"]["defects"]] == ["LAD", None]


def test_a_prior_list_of_two_such_phrases_gives_two_historical_defects(structure: Any) -> None:
    out = structure(
        "COMPARISON: The 2023 SPECT showed a large severe defect of the lateral wall (LCx territory) and a small "
        "fixed apical defect.\nFINDINGS: Normal perfusion today.\nIMPRESSION: Normal myocardial perfusion.\n"
    )
    assert _defects(out) == [
        (["lateral"], "severe", "large", None, "historical"),
        (["apex"], None, "small", "fixed", "historical"),
    ]


def test_a_wall_list_that_runs_on_is_no_second_defect(structure: Any) -> None:
    out = structure(
        "FINDINGS: There is a moderate defect of the inferior wall and the inferolateral wall, a fixed defect.\n"
        "IMPRESSION: Abnormal perfusion.\n"
    )
    assert [d["walls"] for d in out["perfusion"]["defects"]] == [["inferior", "inferolateral"]]


# --- a template's numbered finding, one row per property --------------------------------------------------------


_ROWS = (
    "NUCLEAR MPI TEMPLATE\n"
    "Modality ............. SPECT\n"
    "Radiotracer .......... Tc-99m sestamibi\n"
    "Stress agent ......... Regadenoson\n"
    "Overall .............. Abnormal\n"
    "Defect 1 location .... Anterior / apex\n"
    "Defect 1 extent ...... Large\n"
    "Defect 1 severity .... Severe\n"
    "Defect 1 vessel ...... LAD\n"
    "Defect 2 location .... Inferior\n"
    "Defect 2 severity .... Mild\n"
    "LVEF (at stress) ... 47 %\n"
)


def test_the_rows_of_a_numbered_defect_grade_it_and_not_the_next_one(structure: Any) -> None:
    out = structure(_ROWS)
    assert _defects(out) == [
        (["anterior", "apex"], "severe", "large", None, "affirmed"),
        (["inferior"], "mild", None, None, "affirmed"),
    ]


def test_a_three_dot_leader_in_a_leader_export_is_a_leader(structure: Any) -> None:
    out = structure(_ROWS)
    assert value_at(out, "function.lvef_percent") == 47
    assert span_at(out, _ROWS, "function.lvef_percent") == "47 %"


def test_a_key_that_fills_its_column_reads_as_a_key() -> None:
    text = (
        "Modality ............. PET\n"
        "Tracer ............... Rb-82\n"
        "Stress agent ......... Dipyridamole\n"
        "Lesion 2 reversibility Partial\n"
    )
    view = layout_view(text)
    assert "Lesion 2 reversibility:Partial" in view
    assert len(view) == len(text)


def test_prose_keeps_its_ellipsis_and_its_blanks() -> None:
    text = "Patient tolerated the test well... 5 minutes of exercise.\nMild chest tightness at peak\n"
    assert layout_view(text) == text


# --- a comment under a template that corrects a row: the comment wins ------------------------------------------


_CORRECTED = (
    "[PERFUSION]\n"
    "Overall .............. Abnormal\n"
    "Defect 1 location .... Inferolateral\n"
    "Defect 1 size ........ Small\n"
    "Defect 1 reversibility Reversible\n"
    "Defect 2 location .... ___\n"
    "[IMPRESSION]\n"
    "Ischemia ............. --\n"
    "Infarction ........... Present\n"
    "Risk ................. Low\n"
    "\n"
    "[COMMENTS]\n"
    "The reversibility picked above was entered in error: the inferolateral defect does not change at rest and is "
    "fixed, in keeping with a small scar.\n"
)


def test_a_comment_that_corrects_the_rows_is_the_final_reading(structure: Any) -> None:
    out = structure(_CORRECTED)
    assert _defects(out) == [(["inferolateral"], None, "small", "fixed", "affirmed")]


def test_an_empty_row_states_nothing(structure: Any) -> None:
    out = structure(_CORRECTED)
    assert value_at(out, "impression.ischemia") is None
    assert value_at(out, "impression.infarction") == "present"


def test_a_comment_that_corrects_nothing_leaves_the_row(structure: Any) -> None:
    out = structure(_CORRECTED.replace("The reversibility picked above was entered in error: the", "The"))
    assert _defects(out)[0][3] == "reversible"


# --- a two-part report: each part's impression under a qualified header -----------------------------------------


_TWO_PARTS = (
    "SECTION A - TREADMILL TEST\n"
    "Bruce protocol, 9 min 30 sec, 10.9 METs. No chest pain.\n"
    "Exercise ECG impression: negative for ischemia at a good workload.\n"
    "\n"
    "SECTION B - MYOCARDIAL PERFUSION\n"
    "Tc-99m tetrofosmin SPECT. Small mild reversible apical defect.\n"
    "SPECT impression:\n"
    "1. Mildly abnormal myocardial perfusion with a small area of apical ischemia.\n"
    "2. Low risk.\n"
)


def test_each_parts_qualified_impression_header_is_read_as_its_own(structure: Any) -> None:
    out = structure(_TWO_PARTS)
    assert value_at(out, "impression.overall") == "abnormal"
    assert value_at(out, "stress_test.ecg_response") == "nonischemic"
    assert value_at(out, "impression.ischemia") == "present"
    assert value_at(out, "impression.risk") == "low"


# --- an artifact considered and set aside --------------------------------------------------------------------


def test_an_artifact_weighed_and_set_aside_is_neither_found_nor_denied(structure: Any) -> None:
    out = structure(
        "Tc-99m sestamibi SPECT.\n"
        "FINDINGS: Medium moderate reversible inferior defect. Diaphragmatic attenuation was considered, however the "
        "defect persists on prone images and is not thought to be artifact.\nIMPRESSION: Inferior ischemia.\n"
    )
    assert value_at(out, "perfusion.artifact") is None
    assert _defects(out) == [(["inferior"], "moderate", "medium", "reversible", "affirmed")]


def test_an_artifact_named_plainly_is_still_the_studys(structure: Any) -> None:
    out = structure("Tc-99m sestamibi SPECT.\nFINDINGS: Mild diaphragmatic attenuation inferiorly. Normal perfusion.\n")
    assert value_at(out, "perfusion.artifact") == "attenuation"


# --- a clinic letter: its own date, another test's values, the patient's course ---------------------------------


_LETTER = (
    "RIVERSIDE CARDIOLOGY\n"
    "Date: 3 March 2026\n"
    "\n"
    "Dear Dr Moreau,\n"
    "\n"
    "I reviewed Ms Patel today. Her breathlessness has improved since furosemide was started.\n"
    "Results:\n"
    "- Echocardiogram (January 2026): LV dilated, LVEF 41%.\n"
    "- Myocardial perfusion scan on 14/02/2026: regadenoson Tc-99m sestamibi SPECT, small mild fixed inferior "
    "defect, gated EF 44%. Low risk.\n"
    "\n"
    "Kind regards,\n"
    "Dr Ana Ruiz\n"
)


def test_a_letters_date_is_its_own_and_the_study_is_dated_where_it_is_named(structure: Any) -> None:
    out = structure(_LETTER)
    assert value_at(out, "study.study_date") == "2026-02-14"
    assert span_at(out, _LETTER, "study.study_date") == "14/02/2026"


def test_a_letter_leaves_the_other_tests_size_and_the_patients_course_out(structure: Any) -> None:
    out = structure(_LETTER)
    assert value_at(out, "function.lv_size") is None
    assert value_at(out, "impression.comparison") is None
    assert value_at(out, "function.lvef_percent") == 44


def test_a_reports_date_label_is_still_the_studys(structure: Any) -> None:
    out = structure("MYOCARDIAL PERFUSION SPECT\nDate: 03/17/2026\nFindings: Normal perfusion.\n")
    assert value_at(out, "study.study_date") == "2026-03-17"


def test_a_change_of_the_images_is_still_a_comparison(structure: Any) -> None:
    out = structure(
        "FINDINGS: Small reversible apical defect.\n"
        "IMPRESSION: Perfusion has improved compared with the prior study of 2024.\n"
    )
    assert value_at(out, "impression.comparison") == "improved"


# --- a fall of the LVEF from the baseline study to a value of now --------------------------------------------------


def test_a_fall_from_baseline_to_a_value_of_now_is_worse(structure: Any) -> None:
    out = structure(
        "GATED BLOOD POOL SCAN\nFindings: LVEF 44%.\n"
        "Impression: LVEF 44%, a fall of 9 percentage points from baseline to under the lower limit of normal.\n"
    )
    assert value_at(out, "impression.comparison") == "worsened"


def test_a_fall_from_baseline_to_peak_stress_is_no_comparison(structure: Any) -> None:
    out = structure(
        "Gated SPECT: LVEF 52% post-stress, a drop of 6 percentage points from baseline to peak stress.\n"
        "Impression: Normal perfusion.\n"
    )
    assert value_at(out, "impression.comparison") is None
