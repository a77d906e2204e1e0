"""Issue 16, struct_dev23 (development set): one test per general mechanism.

Each report below is another writer's wording of the layout or phrasing, not the set's report; controls show what
each mechanism leaves alone. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

from report_fields import span_at, value_at

from extraction.pipeline import current_column_tables

# --- a current-vs-prior table under a COMPARISON header: the current column is the study's own ------------------


_COMPARED_TABLE = (
    "REST/STRESS SPECT MPI\n"
    "\n"
    "COMPARISON:\n"
    "Outside SPECT of 2023 showed a small reversible anterior defect.\n"
    "\n"
    "                        Today (04/02/2026)     Previous (2023)\n"
    "  Summed scores         SSS 3, SRS 1, SDS 2    SSS 8, SRS 2, SDS 6\n"
    "  Gated EF              58%                    49%\n"
    "  TID ratio             0.98                   1.19\n"
    "\n"
    "FINDINGS: No perfusion defect at stress.\n"
    "IMPRESSION: Normal study.\n"
)


def test_a_current_column_under_a_comparison_header_gives_the_studys_values(structure: Any) -> None:
    out = structure(_COMPARED_TABLE)
    assert value_at(out, "perfusion.sss") == 3
    assert value_at(out, "perfusion.srs") == 1
    assert value_at(out, "perfusion.sds") == 2
    assert value_at(out, "function.lvef_percent") == 58
    assert value_at(out, "function.tid_ratio") == 0.98


def test_prose_under_a_comparison_header_stays_the_earlier_studys(structure: Any) -> None:
    """Only the table read by its current column leaves the comparison section: the earlier study's prose values
    stay out, and a table whose earlier column no head names (rows wider than the heads) stays in it."""
    out = structure(
        "REST/STRESS SPECT MPI\n"
        "\n"
        "COMPARISON:\n"
        "Prior SPECT of 2023: SSS 8, SDS 6, LVEF 49%, TID 1.19.\n"
        "                        Current\n"
        "  TID ratio             0.98      1.19\n"
        "\n"
        "FINDINGS: No perfusion defect.\n"
    )
    assert value_at(out, "perfusion.sss") is None
    assert value_at(out, "perfusion.sds") is None
    assert out["function"]["lvef_percent"] is None or out["function"]["lvef_percent"]["certainty"] == "historical"
    assert value_at(out, "function.tid_ratio") is None


def test_a_table_with_an_earlier_head_left_is_no_current_column_table() -> None:
    text = "      Current     Prior\n  EF   58%         49%\n"
    assert current_column_tables(text) == []
    assert current_column_tables("          Current\n  EF      58%\n") == [(0, 31)]


# --- a finding of the earlier study said to be gone, the earlier study named in the phrase ----------------------


def test_a_finding_of_the_prior_said_gone_is_an_improved_comparison(structure: Any) -> None:
    out = structure(
        "Findings: Normal perfusion.\n"
        "Impression: Normal. Disappearance of the anterior defect noted on the prior study of 2024.\n"
    )
    assert value_at(out, "impression.comparison") == "improved"
    text = (
        "Findings: Normal perfusion.\n"
        "Impression: Normal study; the previously described lateral ischemia is no longer present.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.comparison") == "improved"
    assert span_at(out, text, "impression.comparison") == "previously described lateral ischemia is no longer present"


def test_a_resolution_not_tied_to_an_earlier_study_is_no_comparison(structure: Any) -> None:
    out = structure(
        "Stress: chest pain at peak with resolution of the ST depression in recovery.\n"
        "Impression: Small reversible inferior defect.\n"
    )
    assert value_at(out, "impression.comparison") is None


# --- a day-first study date after the key 'Examination of' --------------------------------------------------


def test_examination_of_labels_the_study_date(structure: Any) -> None:
    out = structure(
        "Patient: X Y, born 21.09.1950\n"
        "Examination of: 14.10.2026\n"
        "Rest/stress SPECT with tetrofosmin. Normal perfusion.\n"
    )
    assert value_at(out, "study.study_date") == "2026-10-14"


def test_the_examination_of_a_compared_date_is_no_study_date(structure: Any) -> None:
    out = structure(
        "Rest/stress SPECT with tetrofosmin.\n"
        "Fixed inferior defect.\n"
        "Conclusion: compared to the examination of 14.03.2023, the aspect is stable.\n"
    )
    assert value_at(out, "study.study_date") is None


# --- the ECG verdict: an 'ST response' and a change noun before the ST segment -----------------------------------


def test_an_ischemic_st_response_is_an_ischemic_ecg(structure: Any) -> None:
    out = structure("Dobutamine stress. Peak HR 141. Ischaemic ST-segment response at peak.\nNormal perfusion.\n")
    assert value_at(out, "stress_test.ecg_response") == "ischemic"


def test_no_change_of_the_st_segment_is_a_nonischemic_ecg(structure: Any) -> None:
    out = structure("ECG: sinus rhythm, without relevant alteration of the ST segments during the infusion.\n")
    assert value_at(out, "stress_test.ecg_response") == "nonischemic"
    out = structure("ECG: sinus rhythm, 2 mm horizontal ST depression with modification of the ST segments in V5.\n")
    assert value_at(out, "stress_test.ecg_response") != "nonischemic"


# --- dictation mishearings read as meant ------------------------------------------------------------------------


def test_a_split_tracer_name_with_a_misheard_head_is_the_tracer(structure: Any) -> None:
    out = structure("Rest stress SPECT with 10 millicuries of ses tamibi at rest. Normal perfusion.\n")
    assert [t["value"] for t in out["study"]["tracers"]] == ["Tc-99m sestamibi"]
    out = structure("Rest stress SPECT. The session was tame and brief. Normal perfusion.\n")
    assert out["study"]["tracers"] == []


def test_misheard_walls_and_summed_scores_in_a_dictation(structure: Any) -> None:
    out = structure(
        "there is a moderate fixed defect in the in fear septal wall period "
        "st depression in the in fear your leads period some stress score 9 some rest score 8 "
        "some difference score 1 period\n"
    )
    defects = out["perfusion"]["defects"]
    assert [d["walls"] for d in defects] == [["inferoseptal"]]
    assert value_at(out, "perfusion.sss") == 9
    assert value_at(out, "perfusion.srs") == 8
    assert value_at(out, "perfusion.sds") == 1


def test_the_word_some_elsewhere_is_no_summed_score(structure: Any) -> None:
    out = structure("Some stress images show motion; some rest images too. Normal perfusion.\n")
    assert value_at(out, "perfusion.sss") is None
    assert value_at(out, "perfusion.srs") is None


def test_a_dictated_header_at_its_lines_start_opens_its_passage(structure: Any) -> None:
    words = " ".join(["the patient walked on the treadmill without any problem period"] * 6)
    text = (
        "myocardial perfusion spect\n\n"
        f"indication shortness of breath on exertion period\n\n{words}\n\n"
        "impression normal study period\n"
    )
    out = structure(text)
    assert value_at(out, "study.indication") == "shortness of breath on exertion"


# --- an addendum that revises the defect ----------------------------------------------------------------------


_REVISED = (
    "Rest/stress Tc-99m sestamibi SPECT MPI.\n"
    "Findings: Large, severe fixed anterior and apical defect. No attenuation artifact identified.\n"
    "Impression: Anterior infarct, no ischemia.\n"
    "\n"
    "ADDENDUM 04/03/2026:\n"
    "On re-review the large severe anterior defect is partially reversible. "
    "Revised impression: anterior infarction with moderate peri-infarct ischemia.\n"
)


def test_an_addendum_revising_the_defect_keeps_the_reads_denial_and_the_defects_grade(structure: Any) -> None:
    out = structure(_REVISED)
    assert value_at(out, "perfusion.artifact") == "none"
    defects = out["perfusion"]["defects"]
    assert len(defects) == 1
    assert defects[0]["severity"] == "severe"
    assert defects[0]["reversibility"] == "partially reversible"


def test_an_addendum_overruling_a_blamed_artifact_still_drops_it(structure: Any) -> None:
    out = structure(
        "Findings: Mild fixed inferior defect, likely diaphragmatic attenuation. No motion artifact.\n"
        "\n"
        "ADDENDUM 04/03/2026:\n"
        "On review of the prone images I disagree: the mild inferior defect is a true defect, consistent with scar.\n"
    )
    assert value_at(out, "perfusion.artifact") is None


def test_residual_ischemia_without_a_scar_in_its_clause_keeps_its_grade(structure: Any) -> None:
    """The grade of ischemia left over is the defect's where its clause names no scar or defect beside it."""
    out = structure(
        "Rest/stress Tc-99m sestamibi SPECT MPI.\n"
        "Impression: Small area of mild residual ischemia of the basal inferior wall (RCA territory).\n"
    )
    assert [(d["walls"], d["severity"]) for d in out["perfusion"]["defects"]] == [(["inferior"], "mild")]
