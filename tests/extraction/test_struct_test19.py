"""Issue 16, struct_test19 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set (bench/data/struct_test19); each test names the
mechanism it checks, with several wordings of its family, and each mechanism has a control. Expected values are
literal.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import value_at

from extraction.pipeline import comparison_view

_MPI = "Technique: Rest/stress Tc-99m sestamibi gated SPECT.\n"


# --- a table of the prior study's values beside the current study's: the current column is the study's ------------


@pytest.mark.parametrize(
    "table",
    [
        "Measure                Previous (2022)     Today\n"
        "Exercise duration      10:00               7:30\n"
        "METs                   11.2                8.4\n"
        "Stress LVEF            61%                 48%\n",
        "Item                   Earlier study       Current study\n"
        "=====================  ==================  ==================\n"
        "Exercise duration      10:00               7:30\n"
        "METs                   11.2                8.4\n"
        "Stress LVEF            61%                 48%\n",
    ],
)
def test_a_comparison_table_gives_the_current_columns_values(structure: Any, table: str) -> None:
    """A padded table with a prior column between the row labels and the current column: every value is the
    current column's, never the earlier study's (which stands nearer the label)."""
    out = structure(_MPI + table + "\nImpression: Abnormal study.")
    assert value_at(out, "stress_test.exercise_duration_min") == 7.5
    assert value_at(out, "stress_test.mets") == 8.4
    assert value_at(out, "function.lvef_percent") == 48


def test_a_comparison_table_with_the_current_column_first_gives_that_column(structure: Any) -> None:
    out = structure(
        _MPI + "Parameter        This study     Prior study\nStress LVEF      44%            58%\nTID ratio        "
        "1.21           1.01\n\nImpression: Abnormal study."
    )
    assert value_at(out, "function.lvef_percent") == 44
    assert value_at(out, "function.tid_ratio") == 1.21


def test_a_ruled_comparison_table_gives_the_current_cell(structure: Any) -> None:
    out = structure(_MPI + "| Measure | Prior | Current |\n|---|---|---|\n| Post-stress LVEF | 63% | 51% |\n")
    assert value_at(out, "function.lvef_percent") == 51


@pytest.mark.parametrize(
    "text",
    [
        "Parameter     Rest     Stress\nLVEF          58%      55%\n",
        "Compared with the prior study of 2021, the LVEF is now 55%.\n",
        "Previous      normal study in 2020.\n",
    ],
)
def test_a_text_without_a_prior_and_a_current_column_reads_as_written(text: str) -> None:
    assert comparison_view(text) == text


# --- a pair of keys, each with its own phase and label, joined by a slash -------------------------------------------


@pytest.mark.parametrize(
    ("line", "rest", "peak"),
    [
        ("Resting HR / peak HR: 64 / 141", 64, 141),
        ("Rest HR / Peak HR (bpm)    59 / 128", 59, 128),
        ("Baseline HR / max HR = 81 / 152", 81, 152),
    ],
)
def test_two_keys_joined_by_a_slash_give_the_rest_and_peak_rates(
    structure: Any, line: str, rest: int, peak: int
) -> None:
    out = structure(_MPI + line + "\n")
    assert value_at(out, "stress_test.rest_hr_bpm") == rest
    assert value_at(out, "stress_test.peak_hr_bpm") == peak


def test_two_pressure_keys_joined_by_a_slash_give_the_rest_and_peak_pressures(structure: Any) -> None:
    out = structure(_MPI + "Rest BP / Peak BP:   118/72 / 160/80\n")
    assert value_at(out, "stress_test.rest_bp") == "118/72"
    assert value_at(out, "stress_test.peak_bp") == "160/80"


# --- abbreviations of old templates ----------------------------------------------------------------------------------


def test_pmhr_is_the_percent_of_the_predicted_maximum(structure: Any) -> None:
    out = structure(_MPI + "TREADMILL: HR 66 -> 139 (86% PMHR). NO ANGINA.\n")
    assert value_at(out, "stress_test.percent_mphr") == 86


# --- the impression's risk is the perfusion study's ------------------------------------------------------------------


def test_a_study_without_perfusion_imaging_has_no_perfusion_risk(structure: Any) -> None:
    out = structure(
        "EXAM: Cardiac sympathetic imaging with I-123 MIBG.\nNo myocardial perfusion imaging was performed.\n"
        "FINDINGS: Heart-to-mediastinum ratio 1.4 on delayed images.\n"
        "IMPRESSION: Reduced cardiac innervation; a high risk of ventricular arrhythmia."
    )
    assert value_at(out, "impression.risk") is None


def test_a_perfusion_study_keeps_its_risk(structure: Any) -> None:
    out = structure(_MPI + "Findings: Large severe reversible anterior defect.\nImpression: High-risk study.")
    assert value_at(out, "impression.risk") == "high"


# --- another test's fraction in a letter: the study's own fraction stands before it --------------------------------


def test_the_studys_fraction_stands_before_an_echo_fraction_written_earlier(structure: Any) -> None:
    out = structure(
        "Dear colleague,\nHis echocardiogram in March showed an ejection fraction of 40%. The stress perfusion "
        "scan with Tc-99m sestamibi showed no ischaemia, and the gated images gave an ejection fraction of 52%.\n"
    )
    assert value_at(out, "function.lvef_percent") == 52


def test_an_echo_fraction_alone_is_still_read(structure: Any) -> None:
    out = structure(_MPI + "Echocardiogram: ejection fraction of 40%.\n")
    assert value_at(out, "function.lvef_percent") == 40
