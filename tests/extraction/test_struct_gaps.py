"""Mechanism gaps left by the round's helpers (struct24): one test per mechanism, in wordings written for the test.

Each test has a control where the value must still be read (or must not be). Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest

_MPI = "Gated rest/stress Tc-99m tetrofosmin SPECT myocardial perfusion imaging.\n"


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None, str | None, str | None, str]]:
    return [
        (d["walls"], d["territory"], d["severity"], d["reversibility"], d["certainty"])
        for d in out["perfusion"]["defects"]
    ]


def _imp(out: dict[str, Any], key: str) -> str | None:
    v = out["impression"][key]
    return None if v is None else v["value"]


# --- 1. polarity: "no prior <finding>" denies the finding's history; it says nothing of a prior study ---------------


@pytest.mark.parametrize(
    "line",
    [
        "IMPRESSION: Normal perfusion study. No prior infarction. No inducible ischemia.",
        "IMPRESSION: Normal perfusion study. No previous MI. No inducible ischemia.",
        "IMPRESSION: Normal perfusion study. No prior myocardial infarction. No inducible ischemia.",
        "IMPRESSION: Normal perfusion study. No prior inferior infarct. No inducible ischemia.",
    ],
)
def test_no_prior_finding_denies_the_finding_not_a_prior_study(structure: Any, line: str) -> None:
    out = structure(_MPI + "PERFUSION: Uniform tracer uptake throughout.\n" + line + "\n")
    assert _imp(out, "infarction") == "absent"
    assert _imp(out, "ischemia") == "absent"
    assert out["impression"]["comparison"] is None


def test_no_prior_study_is_still_a_comparison_statement(structure: Any) -> None:
    text = (
        _MPI + "PERFUSION: Uniform tracer uptake.\nIMPRESSION: Normal study. No prior studies on file for comparison.\n"
    )
    out = structure(text)
    assert _imp(out, "comparison") == "no prior"
    # and a finding in the next sentence is not denied by it
    out = structure(_MPI + "IMPRESSION: No prior study available. Moderate inferolateral ischemia.\n")
    assert _imp(out, "comparison") == "no prior"
    assert _imp(out, "ischemia") == "present"


def test_an_infarct_said_to_be_prior_stays_present(structure: Any) -> None:
    out = structure(_MPI + "IMPRESSION: Fixed inferior defect consistent with prior myocardial infarction.\n")
    assert _imp(out, "infarction") == "present"


# --- 2. a numbered defect written in words keeps its key:value items together ------------------------------------


def test_numbered_defect_key_list_is_one_defect(structure: Any) -> None:
    text = (
        _MPI + "PERFUSION:\n"
        "Defect 1: Severe severity; Walls: anterior, anteroseptal; Territory: LAD; Reversibility: reversible\n"
        "Defect #2: Mild; Walls: inferolateral; Territory: LCx; Reversibility: fixed\n"
        "IMPRESSION: Abnormal study.\n"
    )
    assert _defects(structure(text)) == [
        (["anterior", "anteroseptal"], "LAD", "severe", "reversible", "affirmed"),
        (["inferolateral"], "LCx", "mild", "fixed", "affirmed"),
    ]


def test_numbered_defect_line_still_splits_off_a_statement_of_its_own(structure: Any) -> None:
    text = (
        _MPI + "PERFUSION:\nDefect 1: small mild apical defect; the lateral wall is normally perfused\n"
        "IMPRESSION: Abnormal.\n"
    )
    assert _defects(structure(text)) == [(["apex"], None, "mild", None, "affirmed")]


# --- 3. a misspelt word of a reversibility, artifact or ischemia phrase -----------------------------------------------


def test_misspelt_word_inside_a_two_word_phrase(structure: Any) -> None:
    text = (
        _MPI + "PERFUSION: Medium-sized moderate lateral defect showing partial redistributon.\nIMPRESSION: Abnormal.\n"
    )
    assert _defects(structure(text)) == [(["lateral"], None, "moderate", "partially reversible", "affirmed")]
    text = _MPI + "PERFUSION: Severe reversble defect in the apex.\nIMPRESSION: Abnormal.\n"
    assert _defects(structure(text)) == [(["apex"], None, "severe", "reversible", "affirmed")]


@pytest.mark.parametrize("word", ["ischmia", "ishemia", "ischaemmia"])
def test_misspelt_ischemia(structure: Any, word: str) -> None:
    out = structure(_MPI + f"IMPRESSION: Mild apical {word}.\n")
    assert _imp(out, "ischemia") == "present"


def test_misspelt_attenuation_artifact(structure: Any) -> None:
    out = structure(
        _MPI + "PERFUSION: Mild anterior count reduction from breast attentuation artifact.\nIMPRESSION: Normal.\n"
    )
    assert out["perfusion"]["artifact"]["value"] == "attenuation"


def test_ordinary_words_are_not_corrected() -> None:
    from extraction.pipeline import _corrected_word

    for word in (
        "attenuated", "attenuating", "redistributed", "reversal", "reverse", "reversing", "chemical", "ischium",
        "ischial", "schema", "artificial", "artifice", "patients", "normalized", "partial", "imagine", "diaphragms",
    ):  # fmt: skip
        assert _corrected_word(word) is None, word
    assert _corrected_word("redistrubution") == "redistribution"
    assert _corrected_word("ishemia") == "ischemia"


def test_an_ordinary_word_next_to_a_phrase_word_gives_no_finding(structure: Any) -> None:
    out = structure(_MPI + "PERFUSION: Normal perfusion. Images were reversed for display.\nIMPRESSION: Normal.\n")
    assert out["perfusion"]["defects"] == []
    assert _imp(out, "ischemia") in (None, "absent")


# --- 4. a defect put down with a hedge to a cause other than coronary disease is uncertain ---------------------------


@pytest.mark.parametrize(
    "finding",
    [
        "Small mild fixed septal defect, probably related to the left bundle branch block.",
        "Mild fixed septal defect. This likely reflects RV pacing.",
        "Mild fixed inferoseptal defect, possibly due to paced rhythm.",
    ],
)
def test_defect_hedged_as_a_non_coronary_cause_is_uncertain(structure: Any, finding: str) -> None:
    out = structure(_MPI + f"PERFUSION: {finding}\nIMPRESSION: No ischemia.\n")
    assert [d[-1] for d in _defects(out)] == ["uncertain"]


def test_lbbb_named_without_a_hedge_on_the_defect_leaves_it_affirmed(structure: Any) -> None:
    text = (
        _MPI + "PERFUSION: Moderate reversible septal defect. The ECG showed LBBB at baseline.\nIMPRESSION: Abnormal.\n"
    )
    assert [d[-1] for d in _defects(structure(text))] == ["affirmed"]
    text = _MPI + "PERFUSION: Severe reversible septal defect in a patient with known LBBB.\nIMPRESSION: Abnormal.\n"
    assert [d[-1] for d in _defects(structure(text))] == ["affirmed"]
