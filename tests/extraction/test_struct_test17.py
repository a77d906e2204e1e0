"""struct_test17 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set; each test names the mechanism it checks, with a
control where the value must still be read. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest

_MPI = "Technique: Stress/rest Tc-99m sestamibi gated SPECT.\n"


def _value(out: dict[str, Any], section: str, field: str) -> Any:
    item = out[section][field]
    return None if item is None else item["value"]


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None, str | None, str | None]]:
    return [(d["walls"], d["territory"], d["severity"], d["reversibility"]) for d in out["perfusion"]["defects"]]


# --- a row of a table of defects that grades no abnormality lists no defect ----------------------------------------


@pytest.mark.parametrize("blank", ["normal", "-", "WNL", "none", ""])
def test_a_normal_row_of_a_defect_table_is_no_defect(structure: Any, blank: str) -> None:
    text = (
        _MPI + "| Region | Stress | Rest | Type | Vessel |\n"
        f"| Septal | {blank} | {blank} | {blank} | LAD |\n"
        "| Lateral | severe | mild | partially reversible | LCx |\n"
        f"| Inferior | {blank} | {blank} | {blank} | RCA |\n"
        "\nConclusion: Abnormal study with lateral ischemia.\n"
    )
    assert _defects(structure(text)) == [(["lateral"], "LCx", "severe", "partially reversible")]


def test_a_numbered_normal_row_is_no_defect_and_a_graded_one_is(structure: Any) -> None:
    text = (
        _MPI + "Segment no. | Location | Severity | Reversibility\n"
        "4 | basal inferior | normal | -\n"
        "9 | mid inferoseptal | moderate | fixed\n"
    )
    assert _defects(structure(text)) == [(["inferoseptal"], None, "moderate", "fixed")]


# --- a footnote under a table takes back the row that carries its mark ----------------------------------------------


@pytest.mark.parametrize(
    "note",
    [
        "* reduced counts in this wall with preserved thickening = breast attenuation.",
        "* felt to be soft tissue attenuation artifact.",
        "* seen on supine images only, not a true perfusion defect.",
    ],
)
def test_a_row_footnoted_as_an_artifact_is_no_defect(structure: Any, note: str) -> None:
    text = (
        _MPI + "| Location | Stress | Reversibility | Territory |\n"
        "| Anterior | mild * | fixed | LAD |\n"
        "| Inferolateral | moderate | reversible | LCx |\n" + note + "\n\nConclusion: Abnormal study.\n"
    )
    assert _defects(structure(text)) == [(["inferolateral"], "LCx", "moderate", "reversible")]


def test_a_footnote_that_only_may_be_an_artifact_keeps_the_row(structure: Any) -> None:
    """Control: a hedged footnote ("may represent attenuation") leaves the row's defect."""
    text = (
        _MPI + "| Location | Stress | Reversibility | Territory |\n"
        "| Anterior | mild * | fixed | LAD |\n"
        "* may represent breast attenuation.\n"
    )
    assert [d[0] for d in _defects(structure(text))] == [["anterior"]]


def test_a_footnote_that_says_something_else_keeps_the_row(structure: Any) -> None:
    """Control: a footnote that explains the grade, not an artifact, leaves the row's defect."""
    text = (
        _MPI + "| Location | Stress | Reversibility | Territory |\n"
        "| Anterior | mild * | fixed | LAD |\n"
        "* graded on the short-axis slices.\n"
    )
    assert _defects(structure(text)) == [(["anterior"], "LAD", "mild", "fixed")]


# --- "not a true defect" in apposition says the finding is no defect ------------------------------------------------


def test_an_apposition_not_a_true_defect_takes_the_finding_back(structure: Any) -> None:
    text = (
        _MPI + "Findings: Slightly reduced apical counts, not a real perfusion defect. "
        "Moderate reversible defect of the inferolateral wall.\n"
    )
    assert [d[0] for d in _defects(structure(text))] == [["inferolateral"]]


def test_a_true_defect_beside_its_denial_elsewhere_stays(structure: Any) -> None:
    """Control: "not" that denies something other than a true defect leaves the defect."""
    text = _MPI + "Findings: Moderate reversible inferolateral defect, not a feature of the prior study.\n"
    assert [d[0] for d in _defects(structure(text))] == [["inferolateral"]]


# --- the anterior and inferior parts of the septum are the anteroseptal and inferoseptal walls ---------------------


@pytest.mark.parametrize(
    ("words", "wall"),
    [("ANTERIOR SEPTUM", "anteroseptal"), ("inferior septum", "inferoseptal")],
)
def test_the_anterior_or_inferior_septum_is_one_wall(structure: Any, words: str, wall: str) -> None:
    text = _MPI + f"Findings: A small severe fixed defect of the {words}.\n"
    assert [d[0] for d in _defects(structure(text))] == [[wall]]


def test_the_septum_alone_stays_septal(structure: Any) -> None:
    text = _MPI + "Findings: A small severe fixed defect of the septum.\n"
    assert [d[0] for d in _defects(structure(text))] == [["septal"]]


# --- "the rest of the myocardium" is the remainder, not the study's verdict ------------------------------------------


def test_normal_perfusion_of_the_rest_of_the_myocardium_is_no_normal_result(structure: Any) -> None:
    text = (
        _MPI + "Findings: Severe reversible defect of the inferolateral wall. The rest of the left ventricle shows "
        "normal perfusion.\nConclusion:\n- Abnormal perfusion scan.\n- Inferolateral ischemia.\n"
    )
    assert _value(structure(text), "perfusion", "result") == "abnormal"


def test_normal_perfusion_at_rest_and_stress_is_still_normal(structure: Any) -> None:
    """Control: "rest" the phase, not the remainder."""
    text = _MPI + "Findings: Normal perfusion at rest and stress.\nConclusion: Normal scan.\n"
    assert _value(structure(text), "perfusion", "result") == "normal"


# --- British spelling of a new finding on comparison ----------------------------------------------------------------


def test_new_ischaemia_against_a_prior_is_worse(structure: Any) -> None:
    text = (
        _MPI + "Findings: Mild reversible apical defect.\nConclusion:\n- Abnormal scan.\n"
        "- Compared to the scan of March 2020 (normal), new ischaemia.\n"
    )
    assert _value(structure(text), "impression", "comparison") == "worsened"


# --- a British institution or title writes its dates day first ------------------------------------------------------


@pytest.mark.parametrize(
    "signature",
    ["Reported by Dr A. Byrne, Consultant Cardiologist", "Glenmoor Royal Infirmary, Department of Nuclear Medicine"],
)
def test_a_british_institution_or_title_reads_dates_day_first(structure: Any, signature: str) -> None:
    text = signature + "\nScan date: 03/08/2024\nFDG PET, 5 mCi; no myocardial uptake.\nConclusion: Normal.\n"
    assert _value(structure(text), "study", "study_date") == "2024-08-03"


def test_a_us_report_in_mci_reads_dates_month_first(structure: Any) -> None:
    """Control: no British writing, an activity in mCi: month first."""
    text = "Scan date: 03/08/2024\nFDG PET, 5 mCi; no myocardial uptake.\nConclusion: Normal.\n"
    assert _value(structure(text), "study", "study_date") == "2024-03-08"


# --- OCR: a small l written for the capital I inside a word in capitals ---------------------------------------------


def test_ocr_reads_a_small_l_in_a_word_in_capitals_as_i() -> None:
    from extraction.pipeline import ocr_view

    view, _ = ocr_view("TRACER: THALLlUM. TlD 1.12. Tl-201 given; Dr. Al Reyes.")
    assert view == "TRACER: THALLIUM. TID 1.12. Tl-201 given; Dr. Al Reyes."


def test_an_ocr_report_in_capitals_gives_its_tid_and_tracer(structure: Any) -> None:
    text = "MYOCARDlAL PERFUSlON SPECT WlTH TETROFOSMlN\nFlNDlNGS: Normal perfusion. TlD 1.31.\n"
    out = structure(text)
    assert _value(out, "function", "tid_ratio") == 1.31
    assert [t["value"] for t in out["study"]["tracers"]] == ["Tc-99m tetrofosmin"]


# --- an ST change "diagnostic of ischemia" is an ischemic ECG -------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "response"),
    [
        ("The ST segment changes in the inferior leads were diagnostic of myocardial ischemia.", "ischemic"),
        ("Upsloping ST depression, not diagnostic of ischemia.", "nonischemic"),
        ("ST changes nondiagnostic for ischemia because of LBBB.", "nondiagnostic"),
    ],
)
def test_an_st_change_diagnostic_of_ischemia(structure: Any, said: str, response: str) -> None:
    text = _MPI + "Stress: Treadmill, Bruce protocol, 8 minutes. " + said + "\n"
    assert _value(structure(text), "stress_test", "ecg_response") == response


# --- "rate" after its phase word is the heart rate -------------------------------------------------------------------


def test_a_resting_rate_is_the_resting_heart_rate(structure: Any) -> None:
    text = _MPI + "Stress: HEART RATE ROSE TO 151 (90 PERCENT OF PREDICTED) FROM A BASELINE RATE OF 66.\n"
    out = structure(text)
    assert _value(out, "stress_test", "rest_hr_bpm") == 66
    assert _value(out, "stress_test", "peak_hr_bpm") == 151


def test_a_rate_pressure_product_is_no_heart_rate(structure: Any) -> None:
    """Control: "peak rate-pressure product" names no heart rate."""
    text = _MPI + "Stress: Treadmill 7 minutes; peak rate-pressure product 24500.\n"
    assert _value(structure(text), "stress_test", "peak_hr_bpm") is None


# --- a word broken in two by OCR is the word ------------------------------------------------------------------------


@pytest.mark.parametrize("words", ["chest pres sure", "chest discom fort"])
def test_a_chest_symptom_broken_in_two_is_chest_pain(structure: Any, words: str) -> None:
    text = _MPI + f"Stress: Dipyridamole infusion; the patient reported {words} at 3 minutes.\n"
    assert _value(structure(text), "stress_test", "chest_pain") == "present"


def test_two_words_that_join_into_no_symptom_are_no_chest_pain(structure: Any) -> None:
    """Control: "chest wall" then another word: no symptom named."""
    text = _MPI + "Stress: Dipyridamole infusion; chest wall tender to palpation before the test.\n"
    assert _value(structure(text), "stress_test", "chest_pain") is None


def test_a_peak_rate_in_percent_is_no_heart_rate(structure: Any) -> None:
    """Control: "peak rate 88 % MPHR" is the share of the predicted maximum, not a heart rate."""
    text = _MPI + "Stress: Treadmill 7 minutes. Resting rate 62 bpm; peak rate 88 % MPHR.\n"
    out = structure(text)
    assert _value(out, "stress_test", "rest_hr_bpm") == 62
    assert _value(out, "stress_test", "peak_hr_bpm") is None
    assert _value(out, "stress_test", "percent_mphr") == 88
