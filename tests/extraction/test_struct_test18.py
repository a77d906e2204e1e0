"""struct_test18 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set; each test names the mechanism it checks, with a
control where the value must still be read. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest

from extraction.pipeline import export_row, export_row_view

_MPI = "Technique: Stress/rest Tc-99m tetrofosmin gated SPECT.\n"


def _value(out: dict[str, Any], section: str, field: str) -> Any:
    item = out[section][field]
    return None if item is None else item["value"]


def _spanned(text: str, out: dict[str, Any], section: str, field: str) -> str:
    start, end = out[section][field]["span"]
    return text[start:end]


def _walls(out: dict[str, Any]) -> list[list[str]]:
    return [d["walls"] for d in out["perfusion"]["defects"]]


# --- a delimited export's value row is bound to its header line by column ------------------------------------------

_HEADER = "acc_no;scan_date;mod;peak_hr;rest_hr;lvef_post;lvef_rest;sss;sds;tid;cac_score\n"
_ROW = "RX-24-07731;2025-11-04;PET;101;64;58;61;9;6;1.11;\n"


def test_an_export_row_binds_each_value_to_its_column() -> None:
    found = export_row(_HEADER + _ROW)
    assert found is not None
    block, bound = found
    text = _HEADER + _ROW
    assert block == (0, len(text) - 1)
    assert [(name, text[a:b]) for name, a, b in bound][:4] == [
        ("acc_no", "RX-24-07731"),
        ("scan_date", "2025-11-04"),
        ("mod", "PET"),
        ("peak_hr", "101"),
    ]
    assert "cac_score" not in [name for name, _, _ in bound]  # an empty cell binds nothing


def test_the_export_view_blanks_the_table_and_keeps_the_offsets() -> None:
    text = "Nuclear export\n" + _HEADER + _ROW + "Comment: normal perfusion.\n"
    view, values = export_row_view(text)
    assert len(view) == len(text)
    assert view.startswith("Nuclear export\n") and view.endswith("Comment: normal perfusion.\n")
    assert "RX-24" not in view
    assert ("tid", "1.11", text.index("1.11"), text.index("1.11") + 4) in values


def test_export_values_are_read_by_column_with_their_cells_as_spans(structure: Any) -> None:
    text = _HEADER + _ROW + "\nInterpretation: mild reversible inferior defect. LVEF 58%. Impression: abnormal study.\n"
    out = structure(text)
    assert _value(out, "stress_test", "rest_hr_bpm") == 64
    assert _value(out, "stress_test", "peak_hr_bpm") == 101
    assert _value(out, "function", "rest_lvef_percent") == 61
    assert _value(out, "perfusion", "sss") == 9
    assert _value(out, "perfusion", "sds") == 6
    assert _value(out, "function", "tid_ratio") == 1.11
    assert _value(out, "study", "study_date") == "2025-11-04"
    assert out["function"]["lvef_percent"]["span"] == [text.index(";58;") + 1, text.index(";58;") + 3]
    # the accession number above the empty calcium column is no calcium score
    assert out["calcium"]["cac_score"] is None
    # the prose fills what the row has no column for
    assert _value(out, "impression", "overall") == "abnormal"


def test_a_quoted_cell_with_the_delimiter_is_one_value() -> None:
    text = 'id,name,dob,modality,lvef,sss\n7,"DOE, JANE",1950-01-01,SPECT,62,0\n'
    found = export_row(text)
    assert found is not None
    assert [(n, text[a:b]) for n, a, b in found[1]][1] == ("name", "DOE, JANE")


@pytest.mark.parametrize(
    "text",
    [
        # several records: which row is this study's is not said
        "id,date,lvef,sss,sds\n1,2025-01-01,55,0,0\n2,2025-02-01,48,6,4\n",
        # a sentence with commas is no header line
        "The rest, stress, gated, attenuation-corrected and prone images were reviewed.\nLVEF 55%, SSS 0, SDS 0.\n",
        # the counts of cells differ
        "id,date,lvef,sss,sds\n1,2025-01-01,55\n",
    ],
)
def test_what_is_not_one_header_and_one_row_binds_nothing(text: str) -> None:
    assert export_row(text) is None


def test_a_duration_key_that_ends_with_its_unit_gives_its_number(structure: Any) -> None:
    assert _value(structure("Exercise minutes: 7.5\n\nMETs: 9.1\n"), "stress_test", "exercise_duration_min") == 7.5


# --- a trainee's preliminary read gives way to the later read that restates it --------------------------------------

_PRELIMINARY = (
    _MPI + "Fellow's preliminary interpretation (Dr A):\n"
    "Mild fixed apical reduction, likely breast attenuation. Probably normal myocardial perfusion. Low risk.\n\n"
)


def test_the_attending_verdict_supersedes_the_preliminary_one(structure: Any) -> None:
    text = (
        _PRELIMINARY + "Attestation:\n"
        "I disagree: the apical finding is a true reversible defect in the LAD territory.\n\n"
        "Impression: Abnormal myocardial perfusion with apical ischemia. Intermediate risk.\n"
    )
    out = structure(text)
    assert _value(out, "perfusion", "result") == "abnormal"
    assert _value(out, "impression", "risk") == "intermediate"
    assert out["perfusion"]["artifact"] is None


def test_a_preliminary_read_that_nobody_restates_stands(structure: Any) -> None:
    """Control: an attestation that only agrees leaves the preliminary read's verdict, risk and artifact."""
    text = _PRELIMINARY + "Attestation:\nI have reviewed the images and agree with the interpretation above.\n"
    out = structure(text)
    assert _value(out, "perfusion", "result") == "probably normal"
    assert _value(out, "impression", "risk") == "low"
    assert _value(out, "perfusion", "artifact") == "attenuation"


def test_an_artifact_denied_of_one_finding_says_nothing_of_the_study(structure: Any) -> None:
    text = _MPI + "The anterior defect is not due to breast attenuation; it is reversible. Abnormal study.\n"
    assert structure(text)["perfusion"]["artifact"] is None


def test_a_study_level_denial_of_artifact_is_still_none(structure: Any) -> None:
    """Control: "no attenuation artifact" said of the study is its artifact field's "none"."""
    text = _MPI + "There is no attenuation artifact. Normal myocardial perfusion.\n"
    assert _value(structure(text), "perfusion", "artifact") == "none"


# --- a list of measures that share one head, and a serial comma in its values ----------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The summed stress, rest, and difference scores were 14, 5, and 9.",
        "Summed stress/rest/difference scores: 14/5/9.",
        "Summed stress, rest and difference scores of 14, 5 and 9.",
    ],
)
def test_elided_summed_scores_are_read_one_a_label(structure: Any, sentence: str) -> None:
    out = structure(_MPI + sentence + "\n")
    assert (_value(out, "perfusion", "sss"), _value(out, "perfusion", "srs"), _value(out, "perfusion", "sds")) == (
        14,
        5,
        9,
    )


def test_elided_volumes_are_read_one_a_label(structure: Any) -> None:
    """Control: volumes named in full, then listed, keep their order."""
    out = structure(_MPI + "End-diastolic and end-systolic volumes were 131 and 62 mL.\n")
    assert (_value(out, "function", "edv_ml"), _value(out, "function", "esv_ml")) == (131, 62)


def test_a_serial_comma_joins_a_list_of_labels(structure: Any) -> None:
    out = structure(_MPI + "SSS, SRS, and SDS were 6, 2, and 4.\n")
    assert (_value(out, "perfusion", "sss"), _value(out, "perfusion", "srs"), _value(out, "perfusion", "sds")) == (
        6,
        2,
        4,
    )


# --- a first-person report: its attribution of a finding and its impression -----------------------------------------


def test_a_finding_we_attribute_to_attenuation_is_no_defect(structure: Any) -> None:
    text = (
        _MPI + "We identified a moderate reversible defect of the lateral wall. We also saw a mild fixed inferior "
        "defect, which we attribute to diaphragmatic attenuation.\n"
    )
    out = structure(text)
    assert _walls(out) == [["lateral"]]
    assert _value(out, "perfusion", "artifact") == "attenuation"


def test_a_first_person_impression_header_opens_the_impression(structure: Any) -> None:
    text = _MPI + "No perfusion defect was seen.\n\nOur conclusion: a normal scan. There is no ischemia.\n"
    out = structure(text)
    assert _value(out, "impression", "overall") == "normal"
    assert _spanned(text, out, "impression", "ischemia") == "no ischemia"


# --- vocabulary: anginal equivalents, the right ventricle's ejection fraction ---------------------------------------


def test_jaw_discomfort_during_the_test_is_chest_pain(structure: Any) -> None:
    text = _MPI + "Stress: Bruce protocol, 8 minutes. She developed jaw pain at peak exercise, settling in recovery.\n"
    assert _value(structure(text), "stress_test", "chest_pain") == "present"


def test_the_right_ventricular_ejection_fraction_is_not_the_lvef(structure: Any) -> None:
    text = "Gated blood pool study.\nRight ventricular ejection fraction 51%.\nLeft ventricular ejection fraction 38%."
    assert _value(structure(text), "function", "lvef_percent") == 38


# --- an ECG statement that concludes with its verdict after a semicolon ---------------------------------------------


def test_the_verdict_that_concludes_an_ecg_statement_is_its_span(structure: Any) -> None:
    text = _MPI + "Stress ECG: no ST shift at peak exercise or in recovery; negative for ischemia.\n"
    out = structure(text)
    assert _value(out, "stress_test", "ecg_response") == "nonischemic"
    assert _spanned(text, out, "stress_test", "ecg_response") == "negative for ischemia"


def test_two_lines_of_comma_lists_in_prose_are_no_export() -> None:
    text = "Hypertension, diabetes, dyslipidaemia, obesity, smoker\nAspirin, bisoprolol, ramipril, metformin, statin\n"
    assert export_row(text) is None
