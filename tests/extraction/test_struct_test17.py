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
        "| Inferolateral | moderate | reversible | LCx |\n"
        + note
        + "\n\nConclusion: Abnormal study.\n"
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
