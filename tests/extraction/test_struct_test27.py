"""Issue 16, struct_test27 (released after its sealed scoring): one test per general mechanism.

Each report below is another writer's wording of the layout or phrasing, not the blind report's; controls show what
each mechanism leaves alone. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

from report_fields import span_at, value_at

from extraction.pipeline import comparison_view

# --- a comparison table whose head row has no label cell and heads the earlier column with its date --------------


_DATED_COLUMNS = (
    "FOLLOW-UP EXERCISE SPECT\n"
    "Study date: 05/11/2026\n"
    "\n"
    "Findings set beside the earlier scan:\n"
    "                      This study               11/02/2022\n"
    "  METs                9.2                      11.4\n"
    "  SSS / SRS / SDS     2 / 1 / 1                14 / 4 / 10\n"
    "  TID                 1.02                     1.22\n"
    "\n"
    "IMPRESSION: Normal perfusion. Low risk.\n"
)


def test_a_dated_column_beside_a_current_column_is_the_earlier_studys(structure: Any) -> None:
    """A column headed by a date (or a year) beside a current column ("This study", "Today") is an earlier study's,
    also where the head row leaves the label column blank (pipeline.comparison_view)."""
    view = comparison_view(_DATED_COLUMNS)
    assert "11/02/2022" not in view and "11.4" not in view and "14 / 4 / 10" not in view
    assert "9.2" in view and "2 / 1 / 1" in view
    out = structure(_DATED_COLUMNS)
    assert value_at(out, "stress_test.mets") == 9.2
    assert value_at(out, "perfusion.sss") == 2
    assert value_at(out, "perfusion.sds") == 1
    assert value_at(out, "function.tid_ratio") == 1.02


def test_a_table_of_dates_without_a_current_column_is_read_as_written() -> None:
    text = (
        "Visit log\n"
        "                      11/02/2022            05/11/2026\n"
        "  Weight kg            81                    79\n"
    )
    assert comparison_view(text) == text


# --- a phase pair joined as a sequence in the label ("rest -> peak", "rest to peak") -----------------------------


def test_a_sequence_of_phases_in_the_label_orders_the_sequence_of_values(structure: Any) -> None:
    out = structure(
        "Stress data:\n"
        "  Heart rate (rest to peak): 58 to 131 bpm\n"
        "  Blood pressure rest → peak   118/72 → 162/80 mmHg\n"
        "Normal perfusion.\n"
    )
    assert value_at(out, "stress_test.rest_hr_bpm") == 58
    assert value_at(out, "stress_test.peak_hr_bpm") == 131
    assert value_at(out, "stress_test.rest_bp") == "118/72"
    assert value_at(out, "stress_test.peak_bp") == "162/80"


def test_a_slash_pair_of_phases_still_reads_its_slash_pair_of_values(structure: Any) -> None:
    out = structure("BP (rest / stress) = 124/78 / 172/80. HR rest/peak: 61 / 140 bpm.\nNormal perfusion.\n")
    assert value_at(out, "stress_test.rest_bp") == "124/78"
    assert value_at(out, "stress_test.peak_bp") == "172/80"
    assert value_at(out, "stress_test.rest_hr_bpm") == 61
    assert value_at(out, "stress_test.peak_hr_bpm") == 140


# --- an LVEF whose second phase and value are both bracketed ("stress (rest)  62% (64%)") ------------------------


def test_a_bracketed_phase_takes_the_bracketed_fraction(structure: Any) -> None:
    out = structure("Gated SPECT.\nEjection fraction rest (post-stress): 48% (52%).\nNormal perfusion.\n")
    assert value_at(out, "function.rest_lvef_percent") == 48
    assert value_at(out, "function.lvef_percent") == 52


def test_a_bracketed_phase_with_its_own_word_is_left_to_the_usual_reading(structure: Any) -> None:
    out = structure("Gated SPECT.\nLVEF 55% (rest 60%).\nNormal perfusion.\n")
    assert value_at(out, "function.lvef_percent") == 55
    assert value_at(out, "function.rest_lvef_percent") == 60


# --- "only" after a stress phase qualifies a finding, not the protocol -------------------------------------------


def test_a_finding_on_stress_only_names_no_stress_only_protocol(structure: Any) -> None:
    out = structure(
        "One-day rest/stress Tc-99m sestamibi SPECT.\n"
        "Mild septal thinning at stress only; inferior hypokinesis on post-stress only.\n"
    )
    assert value_at(out, "study.protocol") == "rest-stress"


def test_a_stress_only_protocol_is_still_read(structure: Any) -> None:
    assert value_at(structure("Technique: stress only imaging with tetrofosmin.\n"), "study.protocol") == "stress-only"
    assert value_at(structure("Stress-only protocol. Tc-99m sestamibi.\n"), "study.protocol") == "stress-only"


# --- a title's slash pair after a kind of stress says less of the order than the technique's statement ---------


def test_a_kind_of_stress_before_the_titles_pair_yields_to_the_technique(structure: Any) -> None:
    out = structure("VASODILATOR STRESS/REST PET\nRb-82. A 1-day rest/stress protocol was used.\n")
    assert value_at(out, "study.protocol") == "rest-stress"


def test_the_titles_pair_stands_where_nothing_else_states_the_order(structure: Any) -> None:
    out = structure("PHARMACOLOGIC STRESS / REST SPECT\nTechnique: regadenoson, Tc-99m sestamibi.\n")
    assert value_at(out, "study.protocol") == "stress-rest"


# --- the study named by a pronoun and a day word, its date in apposition ----------------------------------------


def test_a_pronoun_and_a_day_word_date_the_study_just_named(structure: Any) -> None:
    text = (
        "CARDIOLOGY PROGRESS NOTE\n\n"
        "Imaging: an exercise Tc-99m sestamibi SPECT, which was performed today, 05/06/2026, shows normal perfusion.\n"
    )
    out = structure(text)
    assert value_at(out, "study.study_date") == "2026-05-06"
    assert span_at(out, text, "study.study_date") == "05/06/2026"


def test_a_pronoun_without_a_day_word_dates_nothing(structure: Any) -> None:
    text = "PROGRESS NOTE\n\nEcho: it was done 04/01/2026 at an outside clinic.\nRegadenoson SPECT: normal.\n"
    assert value_at(structure(text), "study.study_date") is None


# --- a resolution naming part of the prior defect's walls is that prior defect's --------------------------------


_PRIOR_THEN_RESOLVED = (
    "REGADENOSON SPECT\nStudy date: 06/01/2026\n\n"
    "She had a SPECT on 02/10/2023. That study showed a large reversible defect of the anterior and anteroseptal "
    "walls, and she had LAD stenting.\n\n"
    "FINDINGS: Homogeneous tracer uptake.\n"
    "IMPRESSION: Normal perfusion. The {walls} ischemia seen in 2023 has resolved. Low risk.\n"
)


def test_a_resolution_of_part_of_the_prior_defects_walls_is_no_defect_of_its_own(structure: Any) -> None:
    out = structure(_PRIOR_THEN_RESOLVED.format(walls="anterior"))
    defects = out["perfusion"]["defects"]
    assert [(d["walls"], d["certainty"]) for d in defects] == [(["anterior", "anteroseptal"], "historical")]


def test_a_resolution_reaching_beyond_the_prior_defects_walls_stays_a_denial(structure: Any) -> None:
    out = structure(_PRIOR_THEN_RESOLVED.format(walls="inferior and anterior"))
    assert [(d["walls"], d["certainty"]) for d in out["perfusion"]["defects"]] == [
        (["anterior", "anteroseptal"], "historical"),
        (["inferior", "anterior"], "negated"),
    ]


# --- a prior study's findings told before the referral are no results that end the search for the reason ---------


def test_a_referral_after_a_prior_studys_findings_is_the_reason(structure: Any) -> None:
    out = structure(
        "STRESS SPECT\nStudy date: 09/09/2026\n\n"
        "Ms. Quill had a perfusion study on 01/15/2025. That study showed a small reversible lateral defect, treated "
        "medically. She was referred for reassessment of ischemia on medical therapy.\n\n"
        "Findings: normal perfusion.\n"
    )
    assert value_at(out, "study.indication") == "reassessment of ischemia on medical therapy"


def test_a_referral_after_this_studys_results_is_still_no_reason(structure: Any) -> None:
    out = structure("STRESS SPECT\n\nFindings: normal perfusion. She was referred for cardiac rehabilitation.\n")
    assert value_at(out, "study.indication") is None
