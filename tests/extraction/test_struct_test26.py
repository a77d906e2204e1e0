"""Issue 16, struct_test26 (released after its sealed scoring): one test per general mechanism.

Each report below is another writer's wording of the layout or phrasing, not the blind report's; controls show what
each mechanism leaves alone. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

from report_fields import span_at, value_at

# --- a comparison table after an inline "Prior exam:" header; a bar between a label list and its values -------


_COMPARISON_TABLE = (
    "FOLLOW-UP MYOCARDIAL PERFUSION SPECT\n"
    "This exam: dipyridamole SPECT, 04/14/2026. Previous exam: treadmill SPECT, 02/02/2024.\n"
    "\n"
    "Item              | Today (04/14/2026)                       | Previous (02/02/2024)\n"
    "------------------|------------------------------------------|----------------------\n"
    "Isotope           | Tc-99m sestamibi                         | Tc-99m sestamibi\n"
    "Baseline HR / BP  | 58 bpm / 150/90                          | 64 bpm / 128/70\n"
    "EDV / ESV         | 132 mL / 70 mL                           | 110 mL / 48 mL\n"
    "SSS / SRS / SDS   | 9 / 2 / 7                                | 3 / 3 / 0\n"
    "Finding 1         | Moderate, reversible: lateral wall (LCx)  | Absent\n"
    "LV volumes        | Moderately increased                     | Normal\n"
    "\n"
    "IMPRESSION: Abnormal study, new lateral ischemia. Intermediate risk. Worse than 02/02/2024.\n"
)


def test_a_comparison_table_after_an_inline_prior_header_is_the_studys_own(structure: Any) -> None:
    """'Previous exam: ...' opens a prior-study section on its line; the table under it has a current column, so its
    rows are the study's own (pipeline._comparison_table_next), and the prior column is read as blank."""
    out = structure(_COMPARISON_TABLE)
    assert [t["value"] for t in out["study"]["tracers"]] == ["Tc-99m sestamibi"]
    assert value_at(out, "perfusion.sss") == 9
    assert value_at(out, "perfusion.srs") == 2
    assert value_at(out, "perfusion.sds") == 7
    defects = out["perfusion"]["defects"]
    assert [(d["walls"], d["certainty"], d["reversibility"]) for d in defects] == [
        (["lateral"], "affirmed", "reversible")
    ]


def test_a_bar_between_a_label_list_and_its_values(structure: Any) -> None:
    """'EDV / ESV | 132 mL / 70 mL', 'Baseline HR / BP | 58 bpm / 150/90': a table's bar separates a slash-joined
    label list from its values as a colon does (assemble._LIST_VALUES_LEAD)."""
    out = structure(_COMPARISON_TABLE)
    assert value_at(out, "function.edv_ml") == 132
    assert value_at(out, "function.esv_ml") == 70
    assert value_at(out, "stress_test.rest_hr_bpm") == 58
    assert value_at(out, "stress_test.rest_bp") == "150/90"
    assert value_at(out, "function.lv_size") == "dilated"


def test_a_prior_header_followed_by_prose_still_holds_the_prior_study(structure: Any) -> None:
    """Control: 'Prior exam:' with its value on its line, then the prior study's prose (no table with a current
    column): the prose stays the prior study's, its LVEF is not the study's."""
    text = (
        "Tc-99m tetrofosmin SPECT MPI.\n"
        "Prior exam: SPECT 2022.\n"
        "That study showed an LVEF of 44% and an inferior scar.\n"
        "\n"
        "IMPRESSION: Normal myocardial perfusion.\n"
    )
    out = structure(text)
    assert value_at(out, "function.lvef_percent") in (None, 44)
    assert out["function"]["lvef_percent"] is None or out["function"]["lvef_percent"]["certainty"] == "historical"


# --- a defect's grades as a list ending with a colon before its walls ----------------------------------------------


def test_grades_before_a_colon_grade_the_walls_after_it(structure: Any) -> None:
    """'Moderate, fixed: mid anterior wall' lists the grades, then the walls: 'fixed:' is the value, not a key
    (assemble._PROPERTY_NAME; only a property's name before a colon is a key)."""
    text = (
        "Tc-99m myocardial perfusion SPECT.\n"
        "FINDINGS:\n"
        "Defect 1: Small, moderate, fixed: mid anterior wall.\n"
        "IMPRESSION: Abnormal study.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["extent"], d["severity"], d["reversibility"]) for d in defects] == [
        (["anterior"], "small", "moderate", "fixed")
    ]


# --- a template's N/A and "Not performed" answers ----------------------------------------------------------------


_NA_TEMPLATE = (
    "CARDIAC SPECT WORKSHEET\n"
    "Stress mode ............ Treadmill (Bruce)\n"
    "Vasodilator ............ N/A\n"
    "% MPHR ................. 89%\n"
    "Stress / rest / diff ... 2 / n/a / n/a\n"
    "SSS / SRS / SDS ........ 2 / n/a / n/a\n"
    "Rest EF ................ not applicable\n"
    "CAC SCORING ............ not done\n"
    "\n"
    "IMPRESSION\n"
    "Conclusion ............. Normal stress-only SPECT study\n"
)


def test_an_unanswered_key_states_nothing(structure: Any) -> None:
    """'Vasodilator .... N/A' names no vasodilator stress; 'CAC SCORING .... not done' says nothing of calcium
    (wording.json unanswered_values; assemble._Ctx._read_unanswered_keys)."""
    out = structure(_NA_TEMPLATE)
    assert value_at(out, "study.stress_type") == "exercise"
    assert value_at(out, "calcium.cac_present") is None
    assert value_at(out, "function.rest_lvef_percent") is None


def test_a_not_given_score_holds_its_place_in_a_list(structure: Any) -> None:
    """'2 / n/a / n/a' after 'SSS / SRS / SDS': the SSS is 2, the others are not given (null, not a number)."""
    out = structure(_NA_TEMPLATE)
    assert value_at(out, "perfusion.sss") == 2
    assert value_at(out, "perfusion.srs") is None
    assert value_at(out, "perfusion.sds") is None


def test_a_leader_key_that_opens_with_a_percent_sign(structure: Any) -> None:
    """'% MPHR ....... 89%': a key may open with a sign (pipeline._LEADER)."""
    out = structure(_NA_TEMPLATE)
    assert value_at(out, "stress_test.percent_mphr") == 89


def test_a_verdict_after_a_conclusion_key(structure: Any) -> None:
    """'Conclusion .... Normal stress-only SPECT study' is a title verdict after its key (wording.json
    title_openers)."""
    out = structure(_NA_TEMPLATE)
    assert value_at(out, "impression.overall") == "normal"


def test_a_none_answer_is_still_a_denial(structure: Any) -> None:
    """Control: 'None' is an answer, not an unanswered key: 'Symptoms: None' still denies chest pain."""
    text = "Exercise Tc-99m SPECT.\nSymptoms ........ None\nCAC SCORING ...... 0\nIMPRESSION: Normal study.\n"
    out = structure(text)
    assert value_at(out, "stress_test.chest_pain") == "absent"
    assert value_at(out, "calcium.cac_score") == 0


# --- a dumped DICOM structured report -------------------------------------------------------------------------


_SR_DUMP = (
    "StructuredReport export\n"
    "CreationDate: 20260505   StudyDate: 20260430\n"
    "CONTAINER: Nuclear cardiology report\n"
    "> CODE: Procedure = Myocardial perfusion imaging, SPECT\n"
    "> CONTAINER: Clinical information\n"
    "> > TEXT: Reason for study = Syncope with exertion\n"
    "> > TEXT: Clinical history = Remote anterior MI treated with LAD stent\n"
    "> CONTAINER: Stress\n"
    "> > CODE: Agent = Regadenoson\n"
    "> > NUM: Regadenoson infusion duration = 1 min\n"
    "> CONTAINER: Findings\n"
    "> > TEXT: Finding = Large, severe, fixed defect of the anterior and anteroseptal walls, LAD territory\n"
    "> > NUM: LVEF = 39 %\n"
    "> CONTAINER: Impression\n"
    "> > TEXT: Impression = Abnormal study, large LAD scar. High risk.\n"
)


def test_an_sr_dump_reads_its_items_as_keys(structure: Any) -> None:
    """'> > TEXT: Reason for study = ...': the depth marks and the value type are layout
    (pipeline.sr_dump_view); the history item opens its history section, whose MI is no defect."""
    out = structure(_SR_DUMP)
    assert value_at(out, "study.indication") == "Syncope with exertion"
    defects = out["perfusion"]["defects"]
    assert [(d["walls"], d["territory"], d["reversibility"]) for d in defects] == [
        (["anterior", "anteroseptal"], "LAD", "fixed")
    ]
    assert value_at(out, "function.lvef_percent") == 39


def test_a_documents_creation_date_is_not_the_study_date(structure: Any) -> None:
    """'CreationDate: 20260505' dates the document (assemble._OTHER_EVENT); 'StudyDate' is the study's."""
    out = structure(_SR_DUMP)
    assert value_at(out, "study.study_date") == "2026-04-30"


def test_an_infusion_duration_is_no_exercise_time(structure: Any) -> None:
    """'Regadenoson infusion duration = 1 min' lasts the infusion, not an exercise (assemble._OTHER_DURATION_BEFORE);
    control: 'Exercise duration: 8 min' stays."""
    assert value_at(structure(_SR_DUMP), "stress_test.exercise_duration_min") is None
    out = structure("Exercise Tc-99m SPECT.\nExercise duration: 8 min. Acquisition time: 14 min.\n")
    assert value_at(out, "stress_test.exercise_duration_min") == 8


def test_a_few_code_lines_are_no_sr_dump(structure: Any) -> None:
    """Control: a line of prose that opens with 'Code:' is kept as written (three content items at least)."""
    from extraction.pipeline import sr_dump_view

    text = "Code: 78452\nIndication: chest pain\n"
    assert sr_dump_view(text) == text


# --- a translated European report -------------------------------------------------------------------------------


def test_an_other_event_word_on_the_line_above_a_date_label(structure: Any) -> None:
    """'... heart failure clinic' ends the line above 'Date of examination: 05.02.2026': the clinic names no event of
    that date (the other-event word must stand on the label's line)."""
    text = (
        "Myocardial perfusion scintigraphy (SPECT).\n"
        "Sender: Dr. Weber, heart failure clinic\n"
        "Date of examination: 05.02.2026\n"
    )
    assert value_at(structure(text), "study.study_date") == "2026-02-05"
    control = "Myocardial perfusion scintigraphy (SPECT).\nClinic visit date: 05.03.2026\n"
    assert value_at(structure(control), "study.study_date") is None


def test_the_other_phase_fraction_after_an_aside_of_volumes(structure: Any) -> None:
    """'LVEF 47 % post-stress (EDV 120 ml, ESV 64 ml), 50 % at rest': the aside holds the volumes, the fraction after
    it is the rest LVEF (assemble._ASIDE_THEN_PHASE_VALUE); an aside then a fraction with no phase is not read."""
    text = "Gated SPECT: LVEF 47 % post-stress (EDV 120 ml, ESV 64 ml), 50 % at rest.\n"
    out = structure(text)
    assert value_at(out, "function.lvef_percent") == 47
    assert value_at(out, "function.rest_lvef_percent") == 50
    assert value_at(out, "function.esv_ml") == 64
    control = structure("Gated SPECT: LVEF 47 % (EDV 120 ml, ESV 64 ml), 50 % by echo in 2023.\n")
    assert value_at(control, "function.rest_lvef_percent") != 50


def test_german_vessel_abbreviations_and_regular_wall_motion(structure: Any) -> None:
    """'RCX' (ramus circumflexus) is the LCx, 'RIVA' the LAD; 'regular wall motion' is normal."""
    text = (
        "Myocardial perfusion scintigraphy (SPECT).\n"
        "Findings: Small, mild reversible defect of the lateral wall in the RCX supply area. "
        "Gated SPECT: wall motion regular throughout.\n"
        "Assessment: Pathological scintigraphy.\n"
    )
    out = structure(text)
    assert [(d["walls"], d["territory"]) for d in out["perfusion"]["defects"]] == [(["lateral"], "LCx")]


# --- a bilingual report --------------------------------------------------------------------------------------------


def test_translated_keys_read_as_the_english_key(structure: Any) -> None:
    """'COMPARISON / VERGLEICH: none' in a report whose keys carry a translation: the key is the English one
    (pipeline.bilingual_view)."""
    text = (
        "PATIENT / PATIENTIN: DOE, JANE\n"
        "EXAMINATION / UNTERSUCHUNG: Tc-99m SPECT MPI, exercise\n"
        "FINDINGS / BEFUND: Normal perfusion.\n"
        "IMPRESSION / BEURTEILUNG: Normal study.\n"
        "COMPARISON / VERGLEICH: none\n"
    )
    out = structure(text)
    assert value_at(out, "impression.comparison") == "no prior"
    assert span_at(out, text, "impression.comparison") is not None


def test_two_measures_joined_by_a_slash_are_no_translation() -> None:
    """Control: 'Rest / Stress:' and 'HR / BP:' name two measures; they are not blanked."""
    from extraction.pipeline import bilingual_view

    text = "HR / BP: 60 / 120/80\nRest / Stress: 55 / 60\nEDV / ESV: 90 / 40\n"
    assert bilingual_view(text) == text


# --- an echo's method in brackets; a clock time after a date ----------------------------------------------------


def test_a_method_in_brackets_before_the_fraction(structure: Any) -> None:
    """'LVEF (modified Simpson's) 41%': a bracket of method words is no aside holding another value."""
    out = structure("Transthoracic echocardiogram.\nLVEF (modified Simpson's) 41%\n")
    assert value_at(out, "function.lvef_percent") == 41


def test_a_clock_time_after_a_date_is_no_exercise_time(structure: Any) -> None:
    """'TREADMILL EXERCISE SPECT  Performed 03/03/2026 10:40': the time of day of the date, not the exercise time;
    the exercise time told later is the one."""
    text = "TREADMILL EXERCISE SPECT  Performed 03/03/2026 10:40\nBruce protocol, exercised 6 min 30 sec.\n"
    assert value_at(structure(text), "stress_test.exercise_duration_min") == 6.5
