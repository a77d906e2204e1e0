"""Defect sweep (branch struct21): one test per general mechanism of the remaining defect differences.

The texts are written for these tests, in other words than the regression sets; expected values are literal.
"""

from __future__ import annotations

from typing import Any

_TITLE = "REGADENOSON Tc-99m TETROFOSMIN SPECT MYOCARDIAL PERFUSION STUDY\n"


def _defects(out: dict[str, Any]) -> list[dict[str, Any]]:
    return list(out["perfusion"]["defects"])


# --- "apical" as a wall name of its own in a list of walls, or as the place of a finding -----------------


def test_apical_in_a_list_that_ends_as_walls_is_the_apical_walls(structure: Any) -> None:
    """'the septal, inferoseptal and apical walls' names the apical walls, as the list names the others."""
    text = (
        "Findings: Stress images show a medium-sized, moderate, reversible defect of the septal, inferoseptal "
        "and apical walls.\nImpression: Abnormal study. Ischemia in the LAD territory."
    )
    (d,) = _defects(structure(_TITLE + text))
    assert d["walls"] == ["septal", "inferoseptal", "apical"]
    assert d["reversibility"] == "reversible"


def test_apical_ending_a_key_value_item_is_the_apical_walls(structure: Any) -> None:
    """A vendor key's list of walls ('Walls: inferior, apical;') uses the wall names themselves."""
    text = (
        "PERFUSION\nDefect_B: mild severity, small extent, fixed; Walls: inferior, apical; Territory: RCA\n"
        "Impression: Abnormal. Small inferior scar."
    )
    (d,) = _defects(structure(_TITLE + text))
    assert d["walls"] == ["inferior", "apical"]
    assert d["territory"] == "RCA"


def test_apical_before_the_finding_noun_is_the_apex(structure: Any) -> None:
    """'lateral and apical defect' and 'a small, mild apical defect' place the finding at the apex."""
    text = "Findings: There is a moderate fixed lateral and apical defect.\nImpression: Abnormal study."
    (d,) = _defects(structure(_TITLE + text))
    assert d["walls"] == ["lateral", "apex"]
    text2 = "Findings: A small, mild apical defect is seen at stress only.\nImpression: Probably normal."
    (d2,) = _defects(structure(_TITLE + text2))
    assert d2["walls"] == ["apex"]


def test_apical_level_of_a_named_wall_is_unchanged(structure: Any) -> None:
    """'the mid and apical lateral wall and the apex' stays the lateral wall and the apex."""
    text = (
        "Findings: A mild, small reversible defect involves the mid and apical lateral wall and the apex.\n"
        "Impression: Abnormal."
    )
    (d,) = _defects(structure(_TITLE + text))
    assert d["walls"] == ["lateral", "apex"]


# --- a denial's scope ends where a comma and a participle say what the finding means ---------------------


def test_interpretation_after_a_denied_reversal_keeps_the_scar_and_its_vessel(structure: Any) -> None:
    """'no fill-in (fixed), reflecting scar in the LCx territory': the vessel is the defect's, not denied."""
    text = (
        "Findings:\n1. Lateral wall: severe defect showing no redistribution (fixed), reflecting scar in the LCx "
        "territory.\nImpression: Lateral infarct."
    )
    (d,) = _defects(structure(_TITLE + text))
    assert d["walls"] == ["lateral"]
    assert d["territory"] == "LCx"
    assert d["reversibility"] == "fixed"
    assert d["certainty"] == "affirmed"


def test_denial_without_an_interpretation_still_denies_its_list(structure: Any) -> None:
    """Without the participle the denial reaches its whole list: no territory is read from a denied one."""
    text = "Findings: Normal perfusion; no defect in the LAD or LCx territory.\nImpression: Normal study."
    out = structure(_TITLE + text)
    assert _defects(out) == []


# --- an impression sentence that gives the study's finding before it speaks of the ECG ---------------------


def test_finding_stated_before_the_ecg_gives_the_defect_its_vessel(structure: Any) -> None:
    """'Abnormal perfusion study showing lateral ischemia in the LCx territory, with an ischemic ECG': the
    ischemia is the images', so its vessel is the lateral defect's."""
    text = (
        "Findings: A small, moderate defect of the lateral wall and the basal anterolateral segment reverses at "
        "rest.\nImpression: Abnormal treadmill perfusion study showing lateral ischemia in the LCx territory, "
        "with an ischemic ECG response."
    )
    (d,) = _defects(structure(_TITLE + text))
    assert d["walls"] == ["lateral", "anterolateral"]
    assert d["territory"] == "LCx"


def test_ecg_sentence_naming_an_infarct_gives_no_defect(structure: Any) -> None:
    """'The resting ECG shows an old inferior infarction': the ECG's finding, no perfusion defect."""
    text = (
        "Stress: The resting ECG shows an old inferior infarction pattern.\nFindings: Normal perfusion of all "
        "walls.\nImpression: Normal perfusion study."
    )
    assert _defects(structure(_TITLE + text)) == []
