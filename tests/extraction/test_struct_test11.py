"""Issue 16, struct_test11 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set; each test names the mechanism it checks, and most
mechanisms have a control where the value must still be read (or must not be). Expected values are literal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bench_modules import bench_module
from report_fields import span_at, value_at

REPO = Path(__file__).resolve().parents[2]

# The technique line of a myocardial perfusion study: the reports below are perfusion studies.
_MPI = "Technique: Rest/stress Tc-99m sestamibi gated SPECT.\n"


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None, str | None, str]]:
    return [(d["walls"], d["territory"], d["reversibility"], d["certainty"]) for d in out["perfusion"]["defects"]]


# --- a record's key that ends with a free-text header opens that section ------------------------------------------


@pytest.mark.parametrize(
    ("reason_key", "summary_key"),
    [("Req.Reason", "Rpt.Summary"), ("Exam.Indication", "Final.Impression"), ("Visit_Reason", "Reader_Conclusion")],
)
def test_a_record_key_ending_in_a_header_opens_its_section(structure: Any, reason_key: str, summary_key: str) -> None:
    """'Req.Reason:' is the reason header behind a record name; 'Rpt.Summary:' the impression's."""
    text = (
        "Exam.Mode: SPECT\n"
        f"{reason_key}: Dyspnoea on exertion, diabetic\n"
        "HR.Rest: 66\n"
        "HR.Peak: 140\n"
        f"{summary_key}: Normal myocardial perfusion.\n"
    )
    out = structure(text)
    assert value_at(out, "study.indication") == "Dyspnoea on exertion, diabetic"
    assert value_at(out, "impression.overall") == "normal"
    assert value_at(out, "stress_test.peak_hr_bpm") == 140


def test_a_record_key_of_the_patient_opens_no_block(structure: Any) -> None:
    """Control: 'Patient.Name:' and 'Patient.DOB:' are values of the patient line; the date key after them is read."""
    out = structure("Patient.Name: DOE^JANE\nPatient.DOB: 1950-01-02\nStudy.Date: 2025-04-09\nSSS: 0\n")
    assert value_at(out, "study.study_date") == "2025-04-09"


@pytest.mark.parametrize("header", ["Clinical history / reason:", "History and indication:", "Indication & history:"])
def test_two_headers_joined_open_the_first(structure: Any, header: str) -> None:
    """Two headers joined by a slash, '&' or 'and' are one header: the reason below is the indication, not the
    technique section that the line before opened."""
    text = f"Exam: Rb-82 PET/CT\n{header} Exertional chest tightness.\n" + _MPI + "Impression: Normal study.\n"
    out = structure(text)
    assert value_at(out, "study.indication") == "Exertional chest tightness"


# --- an export's ECG and calcium keys answered by a word ----------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("EKG.Interpretation: POSITIVE", "ischemic"),
        ("ECG_Findings = negative", "nonischemic"),
        ("Stress ECG result: negative", "nonischemic"),
        ("ECG.Reading: Normal", "nonischemic"),
    ],
)
def test_an_ecg_key_answered_by_a_word(structure: Any, line: str, expected: str) -> None:
    out = structure(f"Stress.Agent: Regadenoson\n{line}\nImpression: Normal study.\n")
    assert value_at(out, "stress_test.ecg_response") == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [("CAC.Assessment: NONE", "absent"), ("Coronary_Calcium: Present", "present"), ("CAC.Visual = absent", "absent")],
)
def test_a_calcium_key_answered_without_a_score(structure: Any, line: str, expected: str) -> None:
    out = structure(_MPI + f"{line}\nImpression: Normal study.\n")
    assert value_at(out, "calcium.cac_present") == expected
    assert value_at(out, "calcium.cac_score") is None


def test_a_calcium_score_wins_over_an_answer(structure: Any) -> None:
    """Control: with a score, the score is the calcium value."""
    out = structure(_MPI + "CAC.Score: 120\nImpression: Normal study.\n")
    assert value_at(out, "calcium.cac_score") == 120
    assert value_at(out, "calcium.cac_present") is None


# --- dates: a UID is no date, a fax stamp is no study date, an exam-date label in another language ---------------


@pytest.mark.parametrize("text", ["1.2.840.10008.5.1", "UID 1.3.12.2.1107.5", "code 5.6.201"])
def test_a_dotted_identifier_is_no_date(text: str) -> None:
    from extraction.values import find_date

    assert find_date(text) is None


@pytest.mark.parametrize(("text", "iso"), [("on 14.03.2024.", "2024-03-14"), ("on 3/4/25-3/5/25", "2025-03-04")])
def test_a_date_at_a_sentence_end_or_in_a_range_is_still_read(text: str, iso: str) -> None:
    """Control: a full stop or a range dash after a date is no identifier."""
    from extraction.values import find_date

    found = find_date(text)
    assert found is not None and found.value == iso


def test_a_key_that_goes_on_after_a_date_word_is_no_date_label(structure: Any) -> None:
    """'Exam.UID:' opens with the date label word 'exam' but names an identifier: the date key is read."""
    out = structure("Exam.UID: 1.2.840.113619.2.20250307.1\nExam.Date: 2025-03-09\nSSS: 0\n")
    assert value_at(out, "study.study_date") == "2025-03-09"


@pytest.mark.parametrize("stamp", ["FAX 12.03.2025 08:15 FROM RADIOLOGY", "Telefax: 12.03.2025 08:15 Page 1/2"])
def test_a_fax_stamp_is_no_study_date(structure: Any, stamp: str) -> None:
    out = structure(f"{stamp}\nMyocardial perfusion SPECT.\nUntersuchungsdatum: 27.02.2025\nSSS 0.\n")
    assert value_at(out, "study.study_date") == "2025-02-27"


def test_a_fax_stamp_alone_gives_no_study_date(structure: Any) -> None:
    out = structure("TELEFAX 2025-03-12 10:01\nMyocardial perfusion SPECT. Normal study.\n")
    assert value_at(out, "study.study_date") is None


@pytest.mark.parametrize("label", ["Datum der Untersuchung", "Fecha del estudio", "Untersuchung am"])
def test_an_exam_date_label_in_another_language(structure: Any, label: str) -> None:
    out = structure(f"Printed 30/04/2025\n{label}: 22/04/2025\nSSS 0.\n")
    assert value_at(out, "study.study_date") == "2025-04-22"


# --- an LVEF pair: one label, two phases, two values joined by slashes ------------------------------------------


@pytest.mark.parametrize(
    ("said", "rest", "stress"),
    [
        ("EF at rest/stress: 52/57 %", 52, 57),
        ("LVEF 63/59% (stress/rest)", 59, 63),
        ("Stress/rest LVEF: 48/51%", 51, 48),
        ("Ejection fraction (rest / post-stress) 60 / 64%", 60, 64),
    ],
)
def test_an_ejection_fraction_phase_pair(structure: Any, said: str, rest: int, stress: int) -> None:
    out = structure(_MPI + f"Gated: {said}. Normal wall motion.\n")
    assert value_at(out, "function.rest_lvef_percent") == rest
    assert value_at(out, "function.lvef_percent") == stress


def test_a_single_ejection_fraction_keeps_its_value(structure: Any) -> None:
    """Control: no phase pair, one value."""
    out = structure(_MPI + "Gated: LVEF 58% post-stress.\n")
    assert value_at(out, "function.lvef_percent") == 58
    assert value_at(out, "function.rest_lvef_percent") is None


# --- LV size in a note without a verb, and a ventricle called normal-sized -----------------------------------


@pytest.mark.parametrize(
    ("said", "size"),
    [
        ("LV moderately enlarged.", "dilated"),
        ("Left ventricle dilated at stress and rest.", "dilated"),
        ("Normal thickening and a normal-sized LV cavity.", "normal"),
        ("The ventricle is of normal size.", "normal"),
        ("Normal size left ventricle.", "normal"),
    ],
)
def test_lv_size_said_in_a_note(structure: Any, said: str, size: str) -> None:
    out = structure(_MPI + f"Gated: {said}\n")
    assert value_at(out, "function.lv_size") == size


@pytest.mark.parametrize("said", ["History of LV dilated cardiomyopathy.", "A normal-sized right ventricle."])
def test_no_lv_size_from_a_cardiomyopathy_or_the_right_ventricle(structure: Any, said: str) -> None:
    out = structure(_MPI + f"Findings: {said}\n")
    assert value_at(out, "function.lv_size") is None


# --- RR (Riva-Rocci) labels a blood pressure, never a respiratory rate -------------------------------------------


def test_rr_before_pressures_is_the_blood_pressure(structure: Any) -> None:
    out = structure("Ergometry: 25 W steps. RR 140/85 mmHg at rest, 180/90 mmHg at peak.\n")
    assert value_at(out, "stress_test.rest_bp") == "140/85"
    assert value_at(out, "stress_test.peak_bp") == "180/90"


def test_rr_before_a_rate_is_no_blood_pressure(structure: Any) -> None:
    out = structure("Vitals at rest: RR 18/min, SpO2 97%.\n")
    assert value_at(out, "stress_test.rest_bp") is None


# --- chest pain: a complaint during the test, pain free, a symptom over before the test --------------------------


@pytest.mark.parametrize(
    "said",
    [
        "She complained of chest tightness at peak exercise, relieved by rest.",
        "During the infusion the patient complained of mild chest pressure that settled in recovery.",
    ],
)
def test_a_complaint_during_the_test_happened(structure: Any, said: str) -> None:
    out = structure(_MPI + f"Stress: Treadmill exercise. {said}\n")
    assert value_at(out, "stress_test.chest_pain") == "present"


def test_a_complaint_in_a_history_sentence_is_not_the_tests(structure: Any) -> None:
    """Control: 'complained of chest pain for three weeks' names no test: no chest pain of the test."""
    out = structure(_MPI + "Findings: He complained of chest pain for three weeks. Normal perfusion.\n")
    assert value_at(out, "stress_test.chest_pain") is None


@pytest.mark.parametrize(
    "said",
    [
        "He remained pain-free during the infusion.",
        "The patient was chest pain free throughout the test.",
        "Mild chest discomfort on arrival had resolved before the infusion and he remained pain free throughout.",
        "Some chest ache in the waiting room had settled prior to the test, and she stayed pain-free on the treadmill.",
    ],
)
def test_pain_free_during_the_test_is_no_chest_pain(structure: Any, said: str) -> None:
    out = structure(_MPI + f"Stress: Regadenoson 0.4 mg. {said}\n")
    assert value_at(out, "stress_test.chest_pain") == "absent"


@pytest.mark.parametrize(
    "said",
    [
        "Referred by Dr Lee for investigation of exertional chest tightness, ? angina.",
        "Sent for work-up of chest pain on exertion.",
    ],
)
def test_the_symptom_under_investigation_is_no_finding_of_the_test(structure: Any, said: str) -> None:
    out = structure(f"{said} Treadmill exercise, no ECG changes. Normal myocardial perfusion SPECT.")
    assert value_at(out, "stress_test.chest_pain") is None


def test_a_query_mark_before_a_word_ends_no_sentence(structure: Any) -> None:
    """'? angina' queries the word after it: the indication runs on to it."""
    out = structure("Indication: Exertional breathlessness, ? angina. Known diabetic.\n" + _MPI)
    assert value_at(out, "study.indication") == "Exertional breathlessness, ? angina"


# --- the comparison: a change set beside what is unchanged ----------------------------------------------------


@pytest.mark.parametrize(
    ("said", "comparison"),
    [
        ("Compared with the 2020 study the apical scar is unchanged; the lateral ischemia is new.", "worsened"),
        ("Relative to the prior scan the fixed inferior defect is unchanged, and there is new anterior ischemia.",
         "worsened"),
        ("Compared with the 2020 study the apical scar is unchanged; no new defect is seen.", "unchanged"),
    ],
)  # fmt: skip
def test_a_change_beside_what_is_unchanged(structure: Any, said: str, comparison: str) -> None:
    out = structure(_MPI + f"Impression: Abnormal study. {said}\n")
    assert value_at(out, "impression.comparison") == comparison


# --- a prior study told after a lead and a place, a value taken from 'that' test ---------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "Of note, an exercise SPECT at an outside hospital in 2019 reported a small fixed inferior defect.",
        "For comparison, a scan performed elsewhere in 03/2020 showed a small fixed inferior defect.",
    ],
)
def test_a_prior_study_told_after_a_lead_and_a_place(structure: Any, said: str) -> None:
    text = "Exam date: 05/06/2025\n" + _MPI + "Findings: Normal perfusion at stress and rest.\n" + said + "\n"
    out = structure(text)
    assert _defects(out) == [(["inferior"], None, "fixed", "historical")]


def test_a_value_from_that_test_is_the_earlier_tests(structure: Any) -> None:
    text = (
        "Exam date: 05/06/2025\nHistory: chest pain; CT angiogram last year.\n"
        + _MPI
        + "Impression: Normal perfusion.\nThe calcium score from that CT angiogram was 250.\n"
    )
    out = structure(text)
    assert value_at(out, "calcium.cac_score") == 250
    assert out["calcium"]["cac_score"]["certainty"] == "historical"


def test_this_studys_value_stays_current(structure: Any) -> None:
    """Control: a calcium score of this study's CT is current."""
    out = structure(_MPI + "CT: Agatston score 250 on the attenuation CT.\nImpression: Normal perfusion.\n")
    assert out["calcium"]["cac_score"]["certainty"] == "affirmed"


# --- a modality that names a department -------------------------------------------------------------------------


def test_a_department_named_by_its_modality_is_no_modality(structure: Any) -> None:
    text = "DEPARTMENT OF NUCLEAR MEDICINE AND PET/CT\nWhole body bone scan (Tc-99m MDP). Normal bone scan.\n"
    assert value_at(structure(text), "study.modality") is None


@pytest.mark.parametrize(
    "text",
    [
        "PET/CT Department, 2nd floor\nCardiac SPECT, rest/stress sestamibi.\n",
        "Imaged in the nuclear unit using SPECT.\n",
    ],
)
def test_the_studys_modality_beside_a_department(structure: Any, text: str) -> None:
    """Control: the study's own modality is read, beside a department's name or in prose about a unit."""
    out = structure(text)
    assert value_at(out, "study.modality") == "SPECT"
    assert span_at(out, text, "study.modality").endswith("SPECT")


# --- a finding of another kind with walls of its own is a second defect ------------------------------------------


def test_a_restatement_turning_to_another_kind_of_finding_grades_each_defect(structure: Any) -> None:
    text = (
        _MPI + "Findings: Severe fixed apical defect. Moderate reversible defect of the lateral wall.\n"
        "Impression: Apical scar (LAD territory), with moderate reversible ischemia of the lateral wall.\n"
    )
    assert _defects(structure(text)) == [
        (["apex"], "LAD", "fixed", "affirmed"),
        (["lateral"], None, "reversible", "affirmed"),
    ]


def test_a_scar_said_of_the_defect_before_it_stays_with_it(structure: Any) -> None:
    """Control: 'a severe inferior defect, consistent with known RCA scar, and a moderate anteroseptal defect': the
    scar is the first defect's, the second defect's wall stands before its own defect word."""
    text = (
        _MPI + "Findings: There is a severe inferior defect without redistribution, consistent with his known "
        "RCA scar, and a moderate anteroseptal defect that reverses at rest.\n"
    )
    assert _defects(structure(text)) == [
        (["inferior"], "RCA", "fixed", "affirmed"),
        (["anteroseptal"], None, "reversible", "affirmed"),
    ]


@pytest.mark.parametrize(
    ("said", "walls"),
    [
        ("A large inferior defect extending to the inferolateral wall, and a small reversible apical defect.",
         [["inferior", "inferolateral"], ["apex"]]),
        ("A severe fixed anterior defect and a moderate inferior and inferolateral defect that reverses.",
         [["anterior"], ["inferior", "inferolateral"]]),
    ],
)  # fmt: skip
def test_a_second_defect_with_its_walls_before_its_word(structure: Any, said: str, walls: list[list[str]]) -> None:
    """Two defect phrases, each with its walls before its defect word, are two defects; walls joined by 'and' stay
    with their phrase."""
    out = structure(_MPI + f"Findings: {said}\n")
    assert [d["walls"] for d in out["perfusion"]["defects"]] == walls


# --- headers as OCR reads them ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "closing"), [("lndication:", "lmpression:"), ("Hlstory:", "Concluslon:"), ("Indicatlon:", "Surnmary:")]
)
def test_a_header_as_ocr_reads_it(structure: Any, reason: str, closing: str) -> None:
    text = f"{reason} Exertional dyspnoea.\n" + _MPI + f"{closing} Normal myocardial perfusion.\n"
    out = structure(text)
    assert value_at(out, "study.indication") == "Exertional dyspnoea"
    assert value_at(out, "impression.overall") == "normal"


# --- the released set scores what this round reached ------------------------------------------------------------


def test_struct_test11_scores_what_this_round_reached() -> None:
    """main before this round: field micro-F1 0.911, defect F1 1.000 (strict 0.833)."""
    result = bench_module("extraction_eval").evaluate(REPO / "bench" / "data" / "struct_test11")
    assert result["field_micro_f1"] >= 0.97
    assert result["defect_f1"] == 1.0
    assert result["defect_strict_f1"] == 1.0
