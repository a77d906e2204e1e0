"""Issue 16, struct_dev13 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the blind set; each test names the mechanism it checks, and each
mechanism has a control where the value must still be read (or must not be). Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import span_at, value_at

# The technique line of a myocardial perfusion study: the reports below are perfusion studies.
_MPI = "Technique: Rest/stress Tc-99m sestamibi gated SPECT.\n"


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None, str | None, str | None]]:
    return [(d["walls"], d["territory"], d["severity"], d["reversibility"]) for d in out["perfusion"]["defects"]]


# --- a vendor key written as an identifier names its section; a header set off by rules ---------------------------


@pytest.mark.parametrize(
    ("key", "sep"),
    [("REASON_FOR_STUDY", "="), ("Clinical_Indication", ":"), ("INDICATION_FOR_TEST", "=")],
)
def test_an_identifier_key_opens_the_indication(structure: Any, key: str, sep: str) -> None:
    """'REASON_FOR_STUDY=...' is the header 'reason for study' written as an identifier: its line is the
    indication, and the key lines after it are still the study's own values."""
    text = (
        "STUDY_DATE=20250412\n"
        f"{key}{sep}Exertional dyspnea, diabetes\n"
        "HR_REST=64\n"
        "HR_PEAK=121\n"
        "SSS=0\n"
        "IMPRESSION=Normal myocardial perfusion.\n"
    )
    out = structure(text)
    assert value_at(out, "study.indication") == "Exertional dyspnea, diabetes"
    assert value_at(out, "stress_test.rest_hr_bpm") == 64
    assert value_at(out, "stress_test.peak_hr_bpm") == 121


def test_an_identifier_key_of_a_value_stays_with_its_value(structure: Any) -> None:
    """Control: 'ECG_Response: NEGATIVE' is a value's key (the stress ECG), not a section header."""
    out = structure("Stress_Agent: Regadenoson\nECG_Response: NEGATIVE\nImpression: Normal study.\n")
    assert value_at(out, "stress_test.ecg_response") == "nonischemic"


@pytest.mark.parametrize(
    "header", ["=== READER COMMENTS ===", "--- Physician comment ---", "[Impression]", "### Impression"]
)
def test_a_ruled_header_line_opens_its_section(structure: Any, header: str) -> None:
    """A header alone on its line between rules, in brackets or as a pasted markdown heading is a header: here the
    reader's comment, the impression of an export, whose verdict and ischemia are the study's."""
    text = (
        "SSS=8\nSDS=6\n"
        "Defect: moderate reversible inferior defect (RCA)\n"
        f"{header}\n"
        "Inferior ischemia in the RCA territory. Intermediate risk. Abnormal.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.overall") == "abnormal"
    assert value_at(out, "impression.ischemia") == "present"
    assert value_at(out, "impression.risk") == "intermediate"


def test_a_ruled_line_of_other_words_is_no_header(structure: Any) -> None:
    """Control: '--- RAW DATA ---' names no section; a verdict under it is no impression."""
    out = structure("--- RAW DATA ---\nCounts abnormal.\n")
    assert value_at(out, "impression.overall") is None


# --- a bare verdict that is a sentence of its own in the impression ------------------------------------------------


def test_a_bare_verdict_after_other_sentences_of_the_impression(structure: Any) -> None:
    text = (
        "Findings: Moderate reversible defect of the anterior wall.\n"
        "Impression: Anterior ischemia. Intermediate risk. Abnormal.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.overall") == "abnormal"
    assert span_at(out, text, "impression.overall") == "Abnormal"


def test_a_bare_word_that_is_a_labels_value_is_no_verdict(structure: Any) -> None:
    """Control: 'LV size: normal.' on its own line is the value of its label, not the study's verdict."""
    out = structure("Impression: Small fixed apical defect.\nLV size: normal.\n")
    assert value_at(out, "impression.overall") != "normal"


# --- a table of defects, one defect a row ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "table",
    [
        "Segment | Severity | Reversibility | Vessel\n"
        "basal inferior | severe | fixed | RCA\n"
        "apical anterior | mild | reversible | LAD\n",
        "| Region | Intensity | Type | Territory |\n"
        "|---|---|---|---|\n"
        "| basal inferior | severe | fixed | RCA |\n"
        "| apical anterior | mild | reversible | LAD |\n",
        "Wall\tSeverity\tReversibility\tTerritory\n"
        "basal inferior\tsevere\tfixed\tRCA\n"
        "apical anterior\tmild\treversible\tLAD\n",
    ],
)
def test_each_row_of_a_defect_table_is_a_defect(structure: Any, table: str) -> None:
    text = _MPI + "PERFUSION DEFECTS\n" + table + "\nImpression: Abnormal study.\n"
    out = structure(text)
    assert _defects(out) == [
        (["inferior"], "RCA", "severe", "fixed"),
        (["anterior", "apical"], "LAD", "mild", "reversible"),
    ]


def test_a_partial_reversal_abbreviated_in_a_row(structure: Any) -> None:
    text = _MPI + "Location | Severity | Extent | Reversibility\nlateral | moderate | small | partial rev\n"
    assert _defects(structure(text)) == [(["lateral"], None, "moderate", "partially reversible")]


def test_a_table_without_a_defect_column_gives_no_defect(structure: Any) -> None:
    """Control: a table of segment scores (no column of severity, extent or reversibility) lists no defect."""
    text = (
        "Segment | Stress score | Rest score\n"
        "basal inferior | 0 | 0\n"
        "apical anterior | 0 | 0\n"
        "Impression: Normal myocardial perfusion.\n"
    )
    out = structure(text)
    assert _defects(out) == []
    assert value_at(out, "perfusion.result") == "normal"


# --- a hedged normal verdict ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "quoted"),
    [
        ("Likely normal study.", "Likely normal study"),
        ("Most likely normal myocardial perfusion study.", "Most likely normal myocardial perfusion study"),
        ("Presumably normal sestamibi study.", "Presumably normal sestamibi study"),
    ],
)
def test_a_hedged_normal_verdict_is_probably_normal(structure: Any, said: str, quoted: str) -> None:
    text = f"Findings: Mild apical thinning.\nImpression: {said} Low risk.\n"
    out = structure(text)
    assert value_at(out, "impression.overall") == "probably normal"
    assert span_at(out, text, "impression.overall") == quoted
    assert out["impression"]["overall"]["certainty"] == "affirmed"


def test_an_unhedged_normal_verdict_stays_normal(structure: Any) -> None:
    out = structure("Impression: Normal sestamibi study. Low risk.\n")
    assert value_at(out, "impression.overall") == "normal"


# --- the impression reads a finding of the findings as an artifact --------------------------------------------------


_READ_AS_ARTIFACT = (
    _MPI + "Findings: There is a mild fixed reduction in counts in the anterior wall on the stress and rest images.\n"
    "Impression: {said} No ischemia. Low risk.\n"
)


@pytest.mark.parametrize(
    "said",
    [
        "The anterior finding represents breast attenuation.",
        "The anterior wall reduction is attributed to breast attenuation.",
        "Anterior count reduction due to breast attenuation.",
    ],
)
def test_the_impression_calls_the_finding_an_artifact(structure: Any, said: str) -> None:
    out = structure(_READ_AS_ARTIFACT.format(said=said))
    assert _defects(out) == []
    assert value_at(out, "perfusion.artifact") == "attenuation"


def test_a_hedged_artifact_reading_leaves_the_defect(structure: Any) -> None:
    """Control: 'may represent' leaves the finding a defect."""
    out = structure(_READ_AS_ARTIFACT.format(said="The anterior finding may represent breast attenuation."))
    assert [d[0] for d in _defects(out)] == [["anterior"]]


def test_an_artifact_of_another_wall_leaves_the_defect(structure: Any) -> None:
    """Control: the impression puts another wall's finding down to an artifact."""
    out = structure(_READ_AS_ARTIFACT.format(said="The inferior finding represents diaphragmatic attenuation."))
    assert [d[0] for d in _defects(out)] == [["anterior"]]


# --- a wall's motion called normal ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "said", ["Gated images show normal septal wall motion and thickening.", "Normal anterior and apical wall motion."]
)
def test_a_walls_normal_motion_is_normal_wall_motion(structure: Any, said: str) -> None:
    out = structure(f"Findings: Small fixed septal defect, LBBB pattern. {said} LVEF 58%.\n")
    assert value_at(out, "function.wall_motion") == "normal"


def test_an_abnormal_wall_elsewhere_wins(structure: Any) -> None:
    """Control: a hypokinetic wall named as well makes the motion abnormal."""
    out = structure("Findings: Normal septal wall motion. Inferior hypokinesis. LVEF 48%.\n")
    assert value_at(out, "function.wall_motion") == "abnormal"


# --- a denial of one place or kind yields to the impression's affirmed ischemia -------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "Anterior scar without peri-infarct ischemia; new moderate ischemia of the inferior wall.",
        "No ischemia in the LAD territory. Moderate inferior ischemia (RCA).",
        "Moderate inferior ischemia. No other ischemia.",
        "No ischemia in the remaining myocardium; moderate inferior ischemia.",
    ],
)
def test_a_partial_denial_yields_to_affirmed_ischemia(structure: Any, said: str) -> None:
    out = structure(f"Findings: Moderate reversible defect of the inferior wall.\nImpression: {said}\n")
    assert value_at(out, "impression.ischemia") == "present"


def test_a_plain_denial_stands(structure: Any) -> None:
    """Control: a denial of ischemia of any place, with an infarct named, is ischemia absent."""
    out = structure("Findings: Severe fixed inferior defect.\nImpression: Inferior infarct. No ischemia.\n")
    assert value_at(out, "impression.ischemia") == "absent"
    assert value_at(out, "impression.infarction") == "present"


# --- an infarct or ischemia placed on a wall in the impression is an abnormal study --------------------------------


def test_an_impression_infarct_on_a_wall_is_abnormal(structure: Any) -> None:
    text = _MPI + "Findings: Fixed inferolateral defect.\nImpression: Moderate inferolateral infarct (LCx).\n"
    out = structure(text)
    assert value_at(out, "impression.overall") == "abnormal"


def test_a_denied_infarct_gives_no_verdict(structure: Any) -> None:
    """Control: 'No inferior infarct' is no abnormal study."""
    out = structure("Findings: Uniform uptake.\nImpression: No inferior infarct. Low risk.\n")
    assert value_at(out, "impression.overall") != "abnormal"


# --- the impression's reversibility is the final reading ------------------------------------------------------------


def test_the_impressions_reversibility_wins(structure: Any) -> None:
    text = (
        _MPI + "Findings: Medium, severe defect of the anterior wall, fixed.\n"
        "Impression: Anterior defect, partially reversible on review of the rest images (LAD).\n"
    )
    assert _defects(structure(text)) == [(["anterior"], "LAD", "severe", "partially reversible")]


def test_an_impression_without_a_reversibility_keeps_the_findings(structure: Any) -> None:
    """Control: an impression that names the defect without its reversibility leaves the findings' reading."""
    text = _MPI + "Findings: Medium, severe defect of the anterior wall, fixed.\nImpression: Anterior defect (LAD).\n"
    assert _defects(structure(text)) == [(["anterior"], "LAD", "severe", "fixed")]


# --- a symptom dated before the test ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "She reports chest tightness three weeks ago, and she had no chest pain during the infusion.",
        "He had chest pain last week which has since settled; no chest pain with exercise.",
    ],
)
def test_a_past_episode_is_not_the_tests_symptom(structure: Any, said: str) -> None:
    out = structure(f"PROCEDURE: Regadenoson 0.4 mg IV. {said} Peak HR 98.\n")
    assert value_at(out, "stress_test.chest_pain") == "absent"


def test_a_past_episode_alone_says_nothing_of_the_test(structure: Any) -> None:
    out = structure("PROCEDURE: The patient had chest pain two days ago. Regadenoson 0.4 mg IV. Peak HR 98.\n")
    assert value_at(out, "stress_test.chest_pain") is None


def test_a_symptom_of_the_test_that_has_since_resolved(structure: Any) -> None:
    """Control: chest pain at peak exercise 'which has since resolved' is the test's."""
    out = structure("PROCEDURE: Bruce protocol. Chest pain at peak exercise which has since resolved. Peak HR 150.\n")
    assert value_at(out, "stress_test.chest_pain") == "present"


def test_an_impression_that_still_calls_it_a_defect_keeps_it(structure: Any) -> None:
    """Control: 'the anterior defect is attributed to breast attenuation' still calls the finding a defect (the
    shared dev set's reading): it stays a defect, not a removed one."""
    out = structure(_READ_AS_ARTIFACT.format(said="The anterior defect is attributed to breast attenuation."))
    assert [d[0] for d in _defects(out)] == [["anterior"]]
