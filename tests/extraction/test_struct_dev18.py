"""struct_dev18 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the development set; each test names the mechanism it checks, and most
have a control where the value must still be read (or must not be). Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest

_MPI = "Technique: Rest/stress Tc-99m sestamibi gated SPECT.\n"


def _value(out: dict[str, Any], section: str, field: str) -> Any:
    item = out[section][field]
    return None if item is None else item["value"]


def _span(out: dict[str, Any], text: str, section: str, field: str) -> str:
    a, b = out[section][field]["span"]
    return text[a:b]


# --- an unproofread dictation: homophones, decimals said as words, labels shortened ---------------------------------


_DICTATION = (
    "Exam date: June 2 2025\n"
    "The patient had a same day wrest stress sestamibi study. Exercise on a Bruce protocol reached eight point one "
    "mets. The EKG is non diagnostic for ischemia due to left bundle branch block. Transient ischemic dilation ratio "
    "1 point 09. Summed stress score 4 summed rest score 1 summed difference 3.\n"
    "Impression: abnormal study with mild inferior ischemia.\n"
)


def test_wrest_is_read_as_the_rest_phase(structure: Any) -> None:
    out = structure(_DICTATION)
    assert _value(out, "study", "protocol") == "rest-stress"
    # the homophone keeps its length: blanks before the word read, so the span lies inside the word as written
    assert _span(out, _DICTATION, "study", "protocol") in "wrest stress"


def test_wrest_as_a_verb_is_left_alone() -> None:
    from extraction.pipeline import dictation_view

    text = "He tried to wrest control of the treadmill rail."
    assert dictation_view(text)[0] == text


def test_a_decimal_point_said_as_a_word_between_digits(structure: Any) -> None:
    out = structure(_DICTATION)
    assert _value(out, "function", "tid_ratio") == 1.09
    assert _span(out, _DICTATION, "function", "tid_ratio") == "1 point 09"


def test_a_summed_difference_without_the_word_score(structure: Any) -> None:
    out = structure(_DICTATION)
    assert (_value(out, "perfusion", "sss"), _value(out, "perfusion", "srs"), _value(out, "perfusion", "sds")) == (
        4,
        1,
        3,
    )


def test_non_diagnostic_in_two_words_is_not_diagnostic_for_ischemia(structure: Any) -> None:
    assert _value(structure(_DICTATION), "stress_test", "ecg_response") == "nondiagnostic"


# --- a translated report: decimal commas, translated labels and verdicts --------------------------------------------


_TRANSLATED = (
    "Hospital of the Valley - Nuclear Medicine\n"
    "Patient: J. Ortega          Nr. History: 2025-004417\n"
    "Date of exploration: 05/06/2025\n"
    "Clinical motive: Dyspnea on effort in a diabetic man.\n"
    "Protocol: one day study, stress and then rest, with 99mTc-sestamibi.\n"
    "Effort test: treadmill, reaching 8,7 METS. Basal arterial tension 125/75, maximal 160/80 mmHg. Heart frequency "
    "70 lpm basal, 150 lpm maximal (91 % of the theoretical maximum). The electrocardiogram was electrically "
    "negative.\n"
    "Results: Homogeneous captation in all segments. Segmental motility and thickening preserved.\n"
    "Conclusion: Normal study. Do not exist previous examinations to compare.\n"
)


def test_a_decimal_comma_before_its_label(structure: Any) -> None:
    out = structure(_TRANSLATED)
    assert _value(out, "stress_test", "mets") == 8.7
    assert _span(out, _TRANSLATED, "stress_test", "mets") == "8,7 METS"


def test_arterial_tension_is_a_blood_pressure(structure: Any) -> None:
    out = structure(_TRANSLATED)
    assert _value(out, "stress_test", "rest_bp") == "125/75"
    assert _value(out, "stress_test", "peak_bp") == "160/80"


def test_a_percent_of_the_theoretical_maximum_is_the_mphr(structure: Any) -> None:
    assert _value(structure(_TRANSLATED), "stress_test", "percent_mphr") == 91


def test_an_electrically_negative_ecg_is_nonischemic(structure: Any) -> None:
    assert _value(structure(_TRANSLATED), "stress_test", "ecg_response") == "nonischemic"


def test_an_electrically_positive_ecg_is_ischemic(structure: Any) -> None:
    text = _MPI + "Stress: treadmill, 7 minutes. ECG: electrically positive, 2 mm ST depression.\nImpression: Normal.\n"
    assert _value(structure(text), "stress_test", "ecg_response") == "ischemic"


def test_motility_said_preserved_is_normal_wall_motion(structure: Any) -> None:
    assert _value(structure(_TRANSLATED), "function", "wall_motion") == "normal"


def test_previous_studies_said_not_to_exist_is_no_prior(structure: Any) -> None:
    out = structure(_TRANSLATED)
    assert _value(out, "impression", "comparison") == "no prior"


def test_the_clinical_motive_is_the_indication_and_a_record_number_is_not(structure: Any) -> None:
    out = structure(_TRANSLATED)
    assert _value(out, "study", "indication") == "Dyspnea on effort in a diabetic man"


def test_an_indication_of_digits_alone_is_none(structure: Any) -> None:
    text = _MPI + "History: 44-118-20\nImpression: Normal study.\n"
    assert _value(structure(text), "study", "indication") is None


# --- a markdown report with tables ruled by bars ---------------------------------------------------------------------


_MARKDOWN = (
    "# Heart Imaging Report\n"
    "**Study date:** 2025-09-14 | **MRN:** 55-201\n"
    "**Indication:** Palpitations and a positive calcium score\n"
    "**Exam:** Rb-82 PET/CT, rest/stress, dipyridamole\n\n"
    "| Parameter | Baseline | Peak |\n"
    "|---|---|---|\n"
    "| Heart rate (bpm) | 71 | 90 |\n"
    "| Symptoms | - | none |\n\n"
    "| Measure | Rest | Stress |\n"
    "|:--|--:|--:|\n"
    "| LVEF (%) | 48 | 55 |\n"
    "| EDV (mL) | - | 132 |\n\n"
    "## Impression\n"
    "Normal myocardial perfusion. Low risk.\n"
)


def test_a_table_column_head_gives_each_lvef_its_phase(structure: Any) -> None:
    out = structure(_MARKDOWN)
    assert _value(out, "function", "lvef_percent") == 55
    assert _value(out, "function", "rest_lvef_percent") == 48


def test_a_symptoms_row_that_denies_is_no_chest_pain(structure: Any) -> None:
    assert _value(structure(_MARKDOWN), "stress_test", "chest_pain") == "absent"


def test_a_symptoms_row_with_a_symptom_in_its_last_cell_is_chest_pain(structure: Any) -> None:
    text = _MARKDOWN.replace("| Symptoms | - | none |", "| Symptoms | none | chest pain |")
    assert _value(structure(text), "stress_test", "chest_pain") == "present"


def test_a_key_in_strong_emphasis_is_a_header(structure: Any) -> None:
    out = structure(_MARKDOWN)
    assert _value(out, "study", "indication") == "Palpitations and a positive calcium score"


# --- a report that opens with the prior study's paragraph ------------------------------------------------------------


_PRIOR_FIRST = (
    "COMPARISON: Rb-82 PET of 03/02/2022 showed mild reversible inferior ischemia.\n\n"
    "EXAMINATION: N-13 ammonia PET/CT myocardial perfusion imaging at rest and during adenosine stress.\n\n"
    "TECHNIQUE: 10 mCi of N-13 ammonia at rest and 10 mCi at peak stress.\n\n"
    "FINDINGS: Normal perfusion.\n\n"
    "IMPRESSION: Normal study. Improved compared with 03/02/2022.\n"
)


def test_an_examination_header_ends_the_comparison_paragraph(structure: Any) -> None:
    out = structure(_PRIOR_FIRST)
    tracers = out["study"]["tracers"]
    assert [t["value"] for t in tracers] == ["N-13 ammonia"]
    assert _PRIOR_FIRST[tracers[0]["span"][0] :].startswith("N-13 ammonia PET/CT")


def test_imaging_at_rest_and_during_stress_is_a_rest_stress_protocol(structure: Any) -> None:
    assert _value(structure(_PRIOR_FIRST), "study", "protocol") == "rest-stress"


# --- a clinic paragraph without headers ------------------------------------------------------------------------------


_CLINIC = (
    "Seen in clinic 09/30/2025 (DOB 02/02/1960) to go over his regadenoson SPECT done here on 09/22/2025 for "
    "exertional dyspnea. The sestamibi images were interpreted by Dr. Osei as probably normal, with no ischemia, "
    "EF 58%, low risk. Plan: continue current medications, return in 6 months."
)


def test_a_study_done_here_on_a_date_gives_the_study_date(structure: Any) -> None:
    assert _value(structure(_CLINIC), "study", "study_date") == "2025-09-22"


def test_a_study_done_on_a_date_for_a_reason_gives_the_indication(structure: Any) -> None:
    assert _value(structure(_CLINIC), "study", "indication") == "exertional dyspnea"


def test_images_interpreted_by_a_reader_as_a_verdict(structure: Any) -> None:
    out = structure(_CLINIC)
    assert _value(out, "impression", "overall") == "probably normal"
    assert _value(out, "perfusion", "result") == "probably normal"


# --- a note that pastes a result, and a non-perfusion control --------------------------------------------------------


def test_the_notes_own_date_label_is_not_the_study_date(structure: Any) -> None:
    text = (
        "DATE OF NOTE: MAR 10, 2025@09:15\n"
        "NUCLEAR MEDICINE RESULT:\n"
        "Exam: MYOCARDIAL PERFUSION SPECT, TC-99M SESTAMIBI\n"
        "Exam date: 03/03/2025\n"
        "Impression: Normal study.\n"
    )
    assert _value(structure(text), "study", "study_date") == "2025-03-03"


_AMYLOID = (
    "EXAM: Tc-99m DPD planar and SPECT/CT imaging of the chest.\n"
    "FINDINGS: Diffuse myocardial uptake, Perugini grade 2. No perfusion evaluation is possible with this tracer.\n"
    "IMPRESSION:\n"
    "1. Clearly positive Tc-99m DPD scan, suggestive of ATTR amyloidosis.\n"
)


def test_a_positive_scan_is_an_abnormal_verdict(structure: Any) -> None:
    assert _value(structure(_AMYLOID), "impression", "overall") == "abnormal"


def test_a_study_whose_perfusion_cannot_be_assessed_has_no_perfusion_result(structure: Any) -> None:
    assert _value(structure(_AMYLOID), "perfusion", "result") is None


@pytest.mark.parametrize(
    ("written", "expected"),
    [("1 point 02", 1.02), ("0 point 9", 0.9), ("12 point 5", 12.5)],
)
def test_a_digit_decimal_said_with_point_is_read(written: str, expected: float) -> None:
    from extraction.lexicon import parse_number_token

    assert parse_number_token(written) == expected
