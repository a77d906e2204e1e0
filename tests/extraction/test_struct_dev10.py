"""Issue 16, struct_dev10 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the blind set; each test names the mechanism it checks, and most
mechanisms have a control where the value must not be read (a prose semicolon, a comparison date, a conclusion,
a real verdict). Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import value_at


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None, str | None]]:
    return [(d["walls"], d["territory"], d["reversibility"]) for d in out["perfusion"]["defects"]]


# --- vendor exports: numbered keys, identifier keys --------------------------------------------------------------

_EXPORT = (
    "[EXPORT] NucWorks 4.1 summary\n"
    "Study_Date: 20250611\n"
    "Exam_Title: Regadenoson SPECT MPI, Tc-99m tetrofosmin\n"
    "Perf_Finding_1: Medium, severe, reversible defect; inferior and inferoseptal walls (RCA)\n"
    "LVEF_Stress_pct: 49\n"
    "Conclusion_1: Abnormal regadenoson SPECT study.\n"
    "Conclusion_2: Moderate ischemia in the RCA territory.\n"
    "Conclusion_3: No infarct.\n"
)


def test_numbered_export_keys_are_items_of_their_section(structure: Any) -> None:
    """'Conclusion_1:', 'Conclusion_2:' ... are the impression: its verdict, ischemia and infarction."""
    out = structure(_EXPORT)
    assert value_at(out, "impression.overall") == "abnormal"
    assert value_at(out, "impression.ischemia") == "present"
    assert value_at(out, "impression.infarction") == "absent"


def test_an_identifier_keys_value_is_one_statement_across_its_semicolons(structure: Any) -> None:
    """'Perf_Finding_1: <grades>; <walls> (<vessel>)': the walls after the semicolon are the defect's."""
    out = structure(_EXPORT)
    assert _defects(out) == [(["inferior", "inferoseptal"], "RCA", "reversible")]


@pytest.mark.parametrize("key", ["Perf_Comment:", "PerfComment:", "Perf_Comment ="])
@pytest.mark.parametrize(
    "own", ["the anterior wall is normally perfused", "normal anterior wall motion", "anterior wall has thickened"]
)
def test_a_part_of_a_keys_value_that_states_something_of_its_own_keeps_its_walls(
    structure: Any, key: str, own: str
) -> None:
    """After a key's semicolon, a part with a verb or a finding of its own is no item of the defect's list."""
    text = (
        "Study_Date: 20250611\n"
        "Exam_Title: Exercise SPECT MPI, Tc-99m sestamibi\n"
        f"{key} Mild fixed defect of the inferior wall; {own}.\n"
        "Conclusion_1: Abnormal study.\n"
    )
    assert _defects(structure(text)) == [(["inferior"], None, "fixed")]


def test_a_prose_semicolon_still_ends_the_defects_clause(structure: Any) -> None:
    """Control: under a header in prose, the clause after the semicolon speaks of another wall."""
    text = (
        "Myocardial perfusion SPECT, Tc-99m sestamibi, regadenoson.\n"
        "Findings: mild fixed defect of the inferior wall; the anterior wall is normally perfused.\n"
        "Impression: abnormal study.\n"
    )
    assert _defects(structure(text)) == [(["inferior"], None, "fixed")]


# --- the study date in a dictation: a verb that dates the study, a comparison that dates another --------------

_DICTATION = (
    "Outpatient nuclear cardiology. A 58-year-old woman with diabetes presents with exertional dyspnea and "
    "was scanned on 4 March 2025 with a one-day rest/stress Myoview protocol. She walked 6 minutes on the Bruce "
    "protocol. Perfusion is normal. Compared with the study of 2/9/2022 there is no change."
)


def test_the_patient_scanned_on_a_date_dates_the_study(structure: Any) -> None:
    """'was scanned on <date>' labels the study's date, though it follows a complaint ('presents with'); the date
    of the study it is compared with is not."""
    assert value_at(structure(_DICTATION), "study.study_date") == "2025-03-04"


def test_a_date_named_by_a_comparison_is_not_the_study_date(structure: Any) -> None:
    """Control: a one-line dictation whose only date is the compared study's gives no study date."""
    text = (
        "Outpatient nuclear cardiology. Regadenoson Myoview SPECT. Perfusion is normal. "
        "Compared with the prior study of 2/9/2022 there is no change."
    )
    assert value_at(structure(text), "study.study_date") is None


def test_the_complaint_a_headerless_report_presents_is_its_reason(structure: Any) -> None:
    """'presents with <complaint> and was scanned on ...': the reason ends where the sentence narrates the test."""
    assert value_at(structure(_DICTATION), "study.indication") == "exertional dyspnea"


def test_a_complaint_told_after_the_results_is_no_reason(structure: Any) -> None:
    """Control: 'presents with' after the study's results is a conclusion, not the reason for the study."""
    text = (
        "Outpatient nuclear cardiology. Regadenoson Myoview SPECT. Perfusion is normal, LVEF 61%. "
        "The patient presents with exertional dyspnea that is likely non-cardiac."
    )
    assert value_at(structure(text), "study.indication") is None


def test_a_complaint_after_the_patients_description_is_the_reason(structure: Any) -> None:
    """An age in words and a history, then 'who complains of' the symptom: the reason is the complaint."""
    text = (
        "INDICATION: This is a sixty-one-year-old man with hypertension and tobacco use who complains of exertional "
        "chest tightness.\nExercise sestamibi SPECT. Perfusion normal.\n"
    )
    assert value_at(structure(text), "study.indication") == "exertional chest tightness"


def test_a_complaint_lead_after_a_described_symptom_keeps_both(structure: Any) -> None:
    """Control: the description names a symptom already; the reason keeps it with the complaint after the lead."""
    text = (
        "INDICATION: A 65 yo woman with atypical chest pain who presents with worsening exertional dyspnea.\n"
        "Exercise sestamibi SPECT. Perfusion normal.\n"
    )
    expected = "A 65 yo woman with atypical chest pain who presents with worsening exertional dyspnea"
    assert value_at(structure(text), "study.indication") == expected


def test_a_description_without_a_complaint_lead_stays_whole(structure: Any) -> None:
    """Control: the symptom inside the description itself, no complaint lead: the sentence is the reason."""
    text = (
        "INDICATION: This is a 61-year-old man with exertional chest tightness and hypertension.\n"
        "Exercise sestamibi SPECT. Perfusion normal.\n"
    )
    expected = "This is a 61-year-old man with exertional chest tightness and hypertension"
    assert value_at(structure(text), "study.indication") == expected


# --- a test not part of the examination; a partial reversal named beside a reversal word --------------------------

_VIABILITY = (
    "THALLIUM VIABILITY STUDY\n"
    "Date of study: 3 June 2025\n"
    "Technique: Tl-201 rest and 4-hour redistribution imaging. Rest images show a large severe defect of the "
    "inferior and inferolateral walls with marked redistribution (partially reversible) on the delayed images.\n"
    "Conclusion: Viable inferior and inferolateral myocardium. {closing}\n"
)


def test_ischemia_whose_testing_was_not_part_of_the_study_is_not_stated(structure: Any) -> None:
    """'Ischemia assessment was not part of this examination' says nothing of ischemia, present or absent."""
    out = structure(_VIABILITY.format(closing="Ischemia assessment was not part of this examination."))
    assert value_at(out, "impression.ischemia") is None


def test_a_protocol_that_did_not_include_ischemia_testing_does_not_deny_ischemia(structure: Any) -> None:
    """'did not include ischemia testing' is no denial of ischemia ('not' is no negation of the finding)."""
    out = structure(_VIABILITY.format(closing="The protocol did not include ischemia testing."))
    assert value_at(out, "impression.ischemia") is None


def test_a_defect_left_out_of_the_scores_is_still_a_defect(structure: Any) -> None:
    """Control: 'not included in the summed scores' leaves the defect it is said of affirmed (the rule is limited
    to ischemia and infarction)."""
    text = (
        "Exercise Tc-99m sestamibi SPECT.\n"
        "Findings: Small mild fixed defect of the apex, which was not included in the summed scores. SSS 2.\n"
        "Impression: Probably normal study.\n"
    )
    assert _defects(structure(text)) == [(["apex"], None, "fixed")]


def test_a_partial_reversal_beside_a_reversal_word_is_partially_reversible(structure: Any) -> None:
    """'marked redistribution (partially reversible)': the partial reversal qualifies the redistribution."""
    out = structure(_VIABILITY.format(closing=""))
    assert _defects(out) == [(["inferior", "inferolateral"], None, "partially reversible")]


# --- a verdict said of one wall; a verdict on another imaging test ------------------------------------------------


@pytest.mark.parametrize(
    "regional",
    [
        "Inferior perfusion is normal.",
        "Normal perfusion of the lateral wall.",
        "The inferior wall shows normal perfusion.",
    ],
)
def test_normal_perfusion_of_one_wall_is_not_the_studys_result(structure: Any, regional: str) -> None:
    """A normal verdict said of one wall beside an apical scar: the result is the impression's 'probably normal'."""
    text = (
        "Exercise Tc-99m sestamibi SPECT.\n"
        f"Findings: There is a small fixed defect of the apex, consistent with scar. {regional} LVEF 58%.\n"
        "Impression: Probably normal study with a small apical scar.\n"
    )
    assert value_at(structure(text), "perfusion.result") == "probably normal"


def test_normal_myocardial_perfusion_is_the_result(structure: Any) -> None:
    """Control: perfusion said normal of the myocardium, no wall its subject, is the result."""
    text = (
        "Exercise Tc-99m sestamibi SPECT.\n"
        "Findings: Myocardial perfusion is normal. LVEF 58%.\n"
        "Impression: Probably normal study.\n"
    )
    assert value_at(structure(text), "perfusion.result") == "normal"


def test_a_stress_echo_titled_normal_is_a_normal_study(structure: Any) -> None:
    """A report without perfusion imaging: 'Normal dobutamine stress echo.' is its overall verdict."""
    text = (
        "DOBUTAMINE STRESS ECHO REPORT\n"
        "Dobutamine infused up to 40 mcg/kg/min. Peak HR 141 bpm. No chest pain.\n"
        "Summary: Normal dobutamine stress echo. No inducible wall motion abnormality.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.overall") == "normal"
    assert value_at(out, "perfusion.result") is None


def test_an_echo_named_normal_in_a_perfusion_impression_is_not_the_verdict(structure: Any) -> None:
    """Control: in a perfusion study, 'Normal resting echocardiogram on file' is another test's verdict."""
    text = (
        "Regadenoson Tc-99m tetrofosmin SPECT MPI.\n"
        "Findings: Medium reversible defect of the apex and anterior wall. LVEF 55%.\n"
        "Impression: Normal resting echocardiogram on file. Reversible apical and anterior defect, LAD ischemia.\n"
    )
    assert value_at(structure(text), "impression.overall") == "abnormal"
