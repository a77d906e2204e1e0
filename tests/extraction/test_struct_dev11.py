"""Issue 16, struct_dev11 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the blind set; each test names the mechanism it checks, and each
mechanism has a control where the value must still be read (or must not be). Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import span_at, value_at

from extraction.pipeline import layout_view


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None, str | None]]:
    return [(d["walls"], d["territory"], d["reversibility"]) for d in out["perfusion"]["defects"]]


# --- a study of another organ: its title may stand on the line after the institution's ---------------------------

_OTHER_ORGAN = (
    "LAKESIDE GENERAL - DEPT OF NUCLEAR MEDICINE\n"
    "{title}\n"
    "\n"
    "Date of exam: 02/14/2025\n"
    "History: Hypertension. Rule out renal artery stenosis.\n"
    "Technique: 10 mCi Tc-99m MAG3 with captopril; dynamic posterior images for 30 minutes.\n"
    "Findings: Time to peak 4 minutes on the right and 11 minutes on the left.\n"
    "Impression: Abnormal study. Reduced perfusion and delayed transit of the left kidney after captopril.\n"
)


def test_an_other_organ_title_on_the_second_line_gives_no_perfusion(structure: Any) -> None:
    """The institution's name fills the first line and the examination's title the second: the report is a
    renal scan, so its 'Abnormal study' and the kidney's 'reduced perfusion' are no myocardial perfusion result."""
    out = structure(_OTHER_ORGAN.format(title="CAPTOPRIL RENOGRAPHY"))
    assert value_at(out, "perfusion.result") is None
    assert value_at(out, "impression.overall") == "abnormal"


def test_a_cardiac_title_on_the_second_line_keeps_the_perfusion_reading(structure: Any) -> None:
    """Control: the same layout with a myocardial perfusion title and findings is read as a perfusion study."""
    text = (
        "LAKESIDE GENERAL - DEPT OF NUCLEAR MEDICINE\n"
        "MYOCARDIAL PERFUSION SPECT\n\n"
        "Technique: Regadenoson stress, 30 mCi Tc-99m sestamibi.\n"
        "Findings: Moderate reversible defect of the anterior wall.\n"
        "Impression: Abnormal study.\n"
    )
    out = structure(text)
    assert value_at(out, "perfusion.result") == "abnormal"
    assert [t["value"] for t in out["study"]["tracers"]] == ["Tc-99m sestamibi"]


# --- a dated test in the patient's history is a prior test ----------------------------------------------------------


def _history(said: str) -> str:
    return (
        "Exam date: 05/20/2025\n"
        f"History: {said}\n"
        "Procedure: Treadmill exercise, Bruce protocol.\n"
        "Findings: Normal perfusion.\n"
        "Impression: Normal study.\n"
    )


@pytest.mark.parametrize(
    "said",
    [
        "Diabetes. Normal adenosine sestamibi stress test 2021.",  # a sentence of its own: the history goes on
        "Remote MI; sestamibi stress test in 2022 without ischemia.",
        "Anterior MI; dipyridamole thallium imaging 03/2021 negative.",
    ],
)
def test_a_dated_test_in_the_history_gives_no_tracer_or_agent(structure: Any, said: str) -> None:
    """A history's test named with its earlier date is that test: neither its tracer nor its agent is this
    exercise study's."""
    out = structure(_history(said))
    assert out["study"]["tracers"] == []
    assert (value_at(out, "study.stress_type"), value_at(out, "study.stress_agent")) == ("exercise", None)


def test_an_undated_test_named_in_the_indication_is_this_study(structure: Any) -> None:
    """Control: the test an indication asks for, with no date of its own, is this study's."""
    out = structure(_history("Chest pain; dipyridamole sestamibi SPECT requested."))
    assert [t["value"] for t in out["study"]["tracers"]] == ["Tc-99m sestamibi"]


# --- a question mark before a word asks about it; after a word it ends the sentence -------------------------------


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        (
            "Exertional breathlessness for six weeks, ? angina. Smoker, diabetic.",
            "Exertional breathlessness for six weeks, ? angina",
        ),
        ("Is this exertional angina? Diabetic on insulin, smoker for many years.", "Is this exertional angina?"),
    ],
)
def test_a_query_mark_before_its_word_stays_in_the_indication(structure: Any, details: str, expected: str) -> None:
    out = structure(f"Clinical details: {details}\nSestamibi SPECT: normal perfusion.\n")
    assert value_at(out, "study.indication") == expected


# --- an addendum that moves a defect replaces its walls and vessel --------------------------------------------------

_MOVED = (
    "Rest/stress Tc-99m sestamibi SPECT.\n"
    "FINDINGS: Medium-sized, moderate reversible defect of the mid anterior wall in the LAD territory.\n"
    "IMPRESSION: Abnormal study with anterior ischemia.\n"
    "ADDENDUM: After review of the raw data, {said}\n"
)


def test_an_addendum_that_moves_the_defect_replaces_its_walls_and_territory(structure: Any) -> None:
    """'is situated in the lateral wall ... rather than the anterior wall': the defect is where the addendum puts
    it (its own walls and vessel), not in both places; severity, extent and reversibility stay the body's."""
    said = "the reversible defect is situated in the mid lateral wall (circumflex), rather than the anterior wall."
    text = _MOVED.format(said=said)
    out = structure(text)
    assert _defects(out) == [(["lateral"], "LCx", "reversible")]
    (defect,) = out["perfusion"]["defects"]
    assert (defect["severity"], defect["extent"]) == ("moderate", "medium")
    assert "situated in the mid lateral wall" in text[defect["span"][0] : defect["span"][1]]


def test_an_addendum_that_widens_the_defect_keeps_its_walls(structure: Any) -> None:
    """Control: 'also extends into the lateral wall' adds a wall to the defect; the body's wall and vessel stay."""
    text = _MOVED.format(said="the reversible defect also extends into the mid anterolateral wall.")
    out = structure(text)
    assert _defects(out) == [(["anterior", "anterolateral"], "LAD", "reversible")]


# --- a tab-separated export: the tab after a key is its separator ---------------------------------------------------

_TAB_EXPORT = (
    "RIS EXPORT\tsite 4\tnode 2\n"
    "ExamDt\t2025-03-11\n"
    "Isotope\tTc-99m sestamibi 10 mCi\n"
    "StressType\tRegadenoson\n"
    "Indication\tShortness of breath on exertion\n"
    "Perfusion\tNormal\n"
    "Chest pain\tNone\n"
    "Regional wall motion\tNormal\n"
    "Summary\tNormal stress perfusion. No ischaemia or scar.\n"
)


def test_a_tab_separated_export_reads_its_verdict_keys(structure: Any) -> None:
    out = structure(_TAB_EXPORT)
    assert value_at(out, "study.indication") == "Shortness of breath on exertion"
    assert value_at(out, "impression.overall") == "normal"
    assert value_at(out, "impression.ischemia") == "absent"
    assert value_at(out, "impression.infarction") == "absent"
    assert span_at(out, _TAB_EXPORT, "impression.overall") == "Normal stress perfusion"
    assert value_at(out, "stress_test.chest_pain") == "absent"
    assert span_at(out, _TAB_EXPORT, "stress_test.chest_pain") == "None"  # a key's value is its span


def test_the_tab_view_keeps_offsets_and_leaves_tables_and_prose() -> None:
    """Only a key's tab on a two-column line of an export becomes its colon; a line of three columns (a table row)
    and a report with one tabbed line keep their tabs."""
    view = layout_view(_TAB_EXPORT + "LAD\t2.1\t0.9\n")
    assert len(view) == len(_TAB_EXPORT) + len("LAD\t2.1\t0.9\n")
    assert view.splitlines()[:2] == ["RIS EXPORT\tsite 4\tnode 2", "ExamDt:2025-03-11"]
    assert view.endswith("LAD\t2.1\t0.9\n")
    prose = "Sestamibi SPECT.\nImpression\tNormal study.\n"
    assert layout_view(prose) == prose


# --- wording families: abbreviations, regional function, denials by a verb, motion in words, delayed images -------


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        # 'nl' (normal) before LV size; control: a dilated cavity stays dilated
        ("function.lv_size", "Sestamibi SPECT.\nGated: EF 61%, nl LV cavity size, normal wall motion.\n", "normal"),
        ("function.lv_size", "Sestamibi SPECT.\nGated: EF 61%, LV cavity size is mildly dilated.\n", "dilated"),
        # regional function called normal or preserved is normal wall motion; control: akinesis is abnormal
        ("function.wall_motion", "Sestamibi SPECT.\nGated: EF 57%. Regional LV function was preserved.\n", "normal"),
        ("function.wall_motion", "Rb-82 PET.\nLVEF 62% at rest with normal global and regional function.\n", "normal"),
        ("function.wall_motion", "Sestamibi SPECT.\nGated images: EF 40%. Apical akinesis.\n", "abnormal"),
        # an artifact that a verb excludes is denied; control: one that 'cannot be excluded' is not
        (
            "perfusion.artifact",
            "Sestamibi SPECT.\nFindings: Supine and prone acquisition rules out diaphragmatic attenuation.\n",
            "none",
        ),
        (
            "perfusion.artifact",
            "Sestamibi SPECT.\nFindings: Normal perfusion. Breast attenuation is excluded by the corrected images.\n",
            "none",
        ),
        (
            "perfusion.artifact",
            "Sestamibi SPECT.\nFindings: Mild anterior reduction; breast attenuation cannot be excluded.\n",
            "attenuation",
        ),
        # the patient said to have moved during an acquisition is a motion artifact; control: an instruction is none
        (
            "perfusion.artifact",
            "Sestamibi SPECT.\nFindings: Normal perfusion. The pt moved briefly during the stress acquisition.\n",
            "motion",
        ),
        ("perfusion.artifact", "Sestamibi SPECT.\nThe patient was told not to move during imaging.\n", None),
        # redistribution images named with their delay after a stress: stress first; control: a rest study has none
        (
            "study.protocol",
            "Thallium-201 3 mCi at peak treadmill exercise; SPECT at 10 min and 3 hr redistribution imaging.\n",
            "stress-rest",
        ),
        (
            "study.protocol",
            "Rest thallium-201 viability study: 3.0 mCi injected at rest, with 4-hour redistribution images.\n",
            None,
        ),
    ],
)
def test_wording_families(structure: Any, path: str, text: str, expected: str | None) -> None:
    assert value_at(structure(text), path) == expected
