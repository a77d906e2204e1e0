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


# --- a date said in words, its year too -----------------------------------------------------------------------


def test_a_date_said_with_its_year_in_words_is_the_study_date(structure: Any) -> None:
    text = (
        "Study date: October ninth two thousand twenty five.\n" + _MPI + "Findings: Perfusion is normal.\n"
        "Impression: Normal study.\n"
    )
    assert _val(structure(text), "study", "study_date") == "2025-10-09"


def test_a_year_said_as_two_pairs_reads_as_one_year() -> None:
    from extraction.lexicon import date_iso, iter_dates

    found = [date_iso(m) for m in iter_dates("scanned on November 1st twenty twenty four")]
    assert found == ["2024-11-01"]


def test_spoken_year_control_a_month_and_day_without_a_year_is_no_date() -> None:
    from extraction.lexicon import iter_dates

    assert list(iter_dates("seen on March fourth for review")) == []


# --- a dictated header said as a sentence of its own ---------------------------------------------------------

_DICTATED = (
    "Dictated report, unedited. Patient Roe, Sam. This is a nuclear stress test, exercise treadmill, one day rest "
    "stress protocol with technetium sestamibi. The patient walked for nine minutes with no chest pain and no ST "
    "changes. Perfusion images show a small reversible defect in the apical lateral wall. Ejection fraction sixty "
    "one percent.\n\n{header} Number one, {verdict} exercise myocardial perfusion study. Number two, low risk.\n"
)


def test_a_header_said_as_its_own_sentence_opens_the_impression(structure: Any) -> None:
    out = structure(_DICTATED.format(header="Impression.", verdict="mildly abnormal"))
    assert _val(out, "impression", "overall") == "abnormal"


def test_dictated_header_control_a_findings_sentence_that_opens_a_line_stays_a_sentence() -> None:
    text = "Gated images were reviewed and are of good quality here.\nFindings show normal perfusion throughout."
    view, _, _ = dictation_view(text)
    assert "Findings:" not in view


# --- a non-perfusion scan's own verdict: "negative" is normal; in a perfusion study it is the ECG's -----------


def test_a_negative_amyloid_scan_is_a_normal_study_without_a_perfusion_result(structure: Any) -> None:
    text = (
        "EXAM: Tc-99m PYP cardiac amyloid imaging, planar and SPECT/CT.\n"
        "TECHNIQUE: No stress test or perfusion imaging was done.\n"
        "FINDINGS: Myocardial uptake less than rib, grade 0.\n"
        "IMPRESSION: Negative Tc-99m PYP study; ATTR amyloidosis is unlikely.\n"
    )
    out = structure(text)
    assert _val(out, "impression", "overall") == "normal"
    assert _val(out, "perfusion", "result") is None


def test_negative_verdict_control_a_perfusion_study_keeps_its_own_verdict(structure: Any) -> None:
    text = (
        _MPI + "Findings: Moderate reversible inferior defect.\n"
        "Impression:\n1. Negative exercise stress test.\n"
        "2. Abnormal myocardial perfusion study with inferior ischemia.\n"
    )
    assert _val(structure(text), "impression", "overall") == "abnormal"


# --- vendor keys and abbreviations ------------------------------------------------------------------------------


def test_a_camel_case_symptoms_key_that_denies_gives_no_chest_pain(structure: Any) -> None:
    text = "StudyType=MPI SPECT\nStressType=Exercise\nExerciseSymptoms=None\nResult=Normal\n"
    assert _val(structure(text), "stress_test", "chest_pain") == "absent"


def test_an_abbreviated_nondiagnostic_ecg_verdict_wins_over_a_denied_change(structure: Any) -> None:
    text = (
        "TECHNIQUE: REGADENOSON 0.4 MG. TC99M TETROFOSMIN SPECT.\n"
        "ECG: LBBB, NO NEW ST CHANGES W/ REGADENOSON - NONDX FOR ISCHEMIA.\n"
        "IMPRESSION: NL STUDY.\n"
    )
    assert _val(structure(text), "stress_test", "ecg_response") == "nondiagnostic"


def test_a_wall_named_after_adj_to_is_a_landmark_not_a_wall_of_the_defect(structure: Any) -> None:
    text = (
        "FINDINGS: SM MILD REVERSIBLE DEFECT ANTLAT WALL ADJ TO ANT WALL.\n"
        "TECHNIQUE: TC99M SESTAMIBI SPECT, TREADMILL.\nIMPRESSION: ABNL STUDY.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [d["walls"] for d in defects] == [["anterolateral"]]


def test_an_agent_with_abbreviated_treadmill_walking_is_a_combined_stress(structure: Any) -> None:
    text = (
        "TECHNIQUE: TC99M SESTAMIBI SPECT. REGADENOSON 0.4 MG W/ LOW LEVEL TMILL EXERCISE.\n"
        "FINDINGS: NL PERFUSION.\nIMPRESSION: NL STUDY.\n"
    )
    assert _val(structure(text), "study", "stress_type") == "exercise+pharmacologic"


def test_an_abbreviated_clinical_history_header_gives_the_reason(structure: Any) -> None:
    text = (
        "CLIN HX: 66 YO F W/ HTN, DM2.\nPALPITATIONS X 3 WKS. R/O ISCHEMIA.\n"
        "TECHNIQUE: TC99M SESTAMIBI SPECT, TREADMILL.\nIMPRESSION: NL STUDY.\n"
    )
    assert _val(structure(text), "study", "indication") == "PALPITATIONS X 3 WKS. R/O ISCHEMIA"


# --- the stress day of a two-day study named in its title line ------------------------------------------------


def test_a_title_line_with_stress_and_rest_days_gives_the_stress_day(structure: Any) -> None:
    text = (
        "Re: Mr John Smith, DOB 02/11/1950\nMyocardial perfusion scintigraphy: stress 19/05/2026, rest 21/05/2026\n"
        "Findings: Normal perfusion.\nImpression: Normal scan.\n"
    )
    assert _val(structure(text), "study", "study_date") == "2026-05-19"


def test_stress_day_control_a_stress_date_outside_a_title_line_is_no_label(structure: Any) -> None:
    text = (
        "Myocardial perfusion SPECT, 03/02/2026\nHistory: an outside stress 11/14/2025 was abnormal.\n"
        "Findings: Normal perfusion.\nImpression: Normal scan.\n"
    )
    assert _val(structure(text), "study", "study_date") == "2026-03-02"


def test_a_value_quoted_up_to_a_split_word_ends_where_the_word_ends_as_written(structure: Any) -> None:
    text = _MPI + "Findings: Perfusion is normal. Regional wall motion is nor-\nmal.\nImpression: Normal study.\n"
    out = structure(text)
    s, e = out["function"]["wall_motion"]["span"]
    assert text[s:e].endswith("nor-\nmal")


def test_negative_verdict_control_a_treadmill_test_alone_gives_no_overall(structure: Any) -> None:
    text = (
        "TREADMILL ECG TEST (no imaging)\nProtocol: Bruce, 9 minutes, 10.1 METs. No chest pain.\n"
        "ECG: No ST changes.\nConclusion: Negative exercise treadmill test for ischemia.\n"
    )
    assert _val(structure(text), "impression", "overall") is None
