"""Issue 16, struct_dev14 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the blind set; each test names the mechanism it checks, and most have a
control where the value must still be read (or must not be). Expected values are literal.
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


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None, str | None, str | None, str]]:
    return [
        (d["walls"], d["territory"], d["severity"], d["reversibility"], d["certainty"])
        for d in out["perfusion"]["defects"]
    ]


# --- an export writes each item of its verdict block as a key of its own -------------------------------------------


@pytest.mark.parametrize("header", ["Impression", "Conclusion", "IMPRESSION", "Summary"])
def test_the_items_of_an_exported_verdict_block_are_the_impression(structure: Any, header: str) -> None:
    text = (
        "Radiotracer: Tc99m sestamibi\n"
        "SSS: 12 | SDS: 9\n"
        f"{header}_Result: Abnormal\n"
        f"{header}_Infarct: Absent\n"
        f"{header}_Risk: High\n"
    )
    out = structure(text)
    assert value_at(out, "impression.overall") == "abnormal"
    assert value_at(out, "impression.infarction") == "absent"
    assert value_at(out, "impression.risk") == "high"
    assert span_at(out, text, "impression.risk") == "High"


def test_a_value_key_that_starts_with_another_header_word_is_no_impression(structure: Any) -> None:
    """Control: 'Stress_Agent', 'Perfusion_Result' name values; only the verdict block's keys open the impression."""
    out = structure("Radiotracer: Tc99m sestamibi\nStress_Agent: Adenosine\nPerfusion_Result: Normal\n")
    assert value_at(out, "study.stress_agent") == "adenosine"
    assert value_at(out, "impression.overall") is None


@pytest.mark.parametrize(
    ("line", "risk"),
    [("Risk: Low", "low"), ("Risk category = moderate", "intermediate"), ("Study_Risk: HIGH", "high")],
)
def test_a_risk_key_with_its_grade_alone(structure: Any, line: str, risk: str) -> None:
    out = structure(_MPI + "Findings: Reversible inferior defect.\n" + line + "\n")
    assert value_at(out, "impression.risk") == risk


@pytest.mark.parametrize("line", ["Pretest risk: High", "Surgical_Risk: Intermediate", "ASCVD_Risk: High"])
def test_a_risk_key_of_the_patient_is_not_the_studys(structure: Any, line: str) -> None:
    out = structure(_MPI + "Findings: Normal perfusion.\n" + line + "\n")
    assert value_at(out, "impression.risk") is None


@pytest.mark.parametrize(
    ("line", "said", "quote"),
    [
        ("CAC_Visual: Present (mild, RCA)", "present", "Present"),
        ("Coronary calcium = absent", "absent", "absent"),
        ("CAC: yes (LAD and RCA)", "present", "yes"),
    ],
)
def test_a_calcium_key_with_a_yes_or_no(structure: Any, line: str, said: str, quote: str) -> None:
    text = _MPI + line + "\n"
    out = structure(text)
    assert value_at(out, "calcium.cac_present") == said
    assert span_at(out, text, "calcium.cac_present") == quote
    assert value_at(out, "calcium.cac_score") is None


def test_a_calcium_key_with_a_number_is_a_score(structure: Any) -> None:
    out = structure(_MPI + "CAC score: 112\n")
    assert value_at(out, "calcium.cac_score") == 112
    assert value_at(out, "calcium.cac_present") is None


@pytest.mark.parametrize(
    ("hr", "bp"),
    [
        ("HR_Rest / HR_Peak: 66 / 118 bpm", "BP_Rest / BP_Peak: 134/82 / 120/70"),
        ("HR.Baseline / HR.Max = 66 / 118", "BP.Baseline / BP.Max = 134/82 / 120/70"),
        ("HR Rest / HR Peak: 66/118", "BP Rest / BP Peak: 134/82 / 120/70 mmHg"),
    ],
)
def test_a_phase_pair_key_that_writes_its_label_twice(structure: Any, hr: str, bp: str) -> None:
    out = structure(f"Stress_Agent: Regadenoson\n{hr}\n{bp}\n")
    assert value_at(out, "stress_test.rest_hr_bpm") == 66
    assert value_at(out, "stress_test.peak_hr_bpm") == 118
    assert value_at(out, "stress_test.rest_bp") == "134/82"
    assert value_at(out, "stress_test.peak_bp") == "120/70"


# --- a finding the report says it could not judge --------------------------------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "Infarction cannot be assessed on this non-gated study.",
        "Scar could not be reliably evaluated because of motion.",
        "Unable to assess for infarct without rest images.",
        "Myocardial infarction is not assessable.",
    ],
)
def test_a_finding_not_assessed_is_left_open(structure: Any, said: str) -> None:
    out = structure(_MPI + f"Impression: Abnormal study with anterior ischemia. {said}\n")
    assert value_at(out, "impression.infarction") is None
    assert value_at(out, "impression.ischemia") == "present"


def test_a_finding_that_cannot_be_excluded_is_possible(structure: Any) -> None:
    """Control: 'cannot be excluded' says the finding may be there; it is not left open."""
    out = structure(_MPI + "Impression: Small inferior defect; infarct cannot be excluded.\n")
    assert value_at(out, "impression.infarction") == "present"


# --- a bare verdict as a numbered item ---------------------------------------------------------------------------


@pytest.mark.parametrize("item", ["1. Normal.", "(1) Normal.", "1) Normal", "- Normal."])
def test_a_numbered_item_that_is_only_a_verdict(structure: Any, item: str) -> None:
    text = _MPI + f"Conclusion:\n{item}\n2. LVEF 61%.\n"
    out = structure(text)
    assert value_at(out, "impression.overall") == "normal"


def test_a_labelled_item_is_no_bare_verdict(structure: Any) -> None:
    """Control: '1. LV size: Normal.' is the value of a label, not the study's verdict."""
    out = structure(_MPI + "Conclusion:\n1. LV size: Normal.\n")
    assert value_at(out, "impression.overall") is None


# --- a study whose perfusion imaging was not done -------------------------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "Perfusion imaging (N-13 ammonia) was not performed today.",
        "Rest perfusion imaging (Rb-82) could not be performed.",
        "Myocardial perfusion images could not be acquired.",
    ],
)
def test_an_inflammation_scan_without_its_perfusion_study(structure: Any, said: str) -> None:
    text = (
        "F-18 FDG PET/CT for cardiac sarcoidosis.\n"
        f"Technique: FDG after a ketogenic diet. {said}\n"
        "Findings: FDG uptake in the basal anteroseptal and inferolateral walls.\n"
        "Impression:\n1. Abnormal.\n2. Findings in keeping with active myocardial inflammation.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.overall") == "abnormal"
    assert value_at(out, "perfusion.result") is None
    assert out["perfusion"]["defects"] == []


# --- a header in capitals inside one paragraph of prose -------------------------------------------------------


@pytest.mark.parametrize("joint", ["; ", ". "])
def test_a_capital_header_after_a_clause_of_a_one_paragraph_note(structure: Any, joint: str) -> None:
    text = (
        "58 yo M with dyspnea, treadmill Tc-99m sestamibi SPECT, stress images with uniform tracer uptake, "
        f"EF 64%{joint}IMPRESSION normal stress-only SPECT, no infarct, low risk.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.overall") == "normal"
    assert value_at(out, "impression.infarction") == "absent"
    assert value_at(out, "impression.risk") == "low"


def test_an_acronym_after_a_clause_is_no_header(structure: Any) -> None:
    """Control: 'SPECT images' after a semicolon is an acronym opening a clause, not a header."""
    out = structure("Treadmill stress with sestamibi; SPECT images show an abnormal perfusion study.\n")
    assert value_at(out, "impression.overall") is None


# --- a normal verdict of every wall that then lists one -------------------------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "Normal perfusion in all walls including the apex.",
        "Homogeneous normal perfusion of every segment, the apex included.",
        "Normal perfusion throughout all myocardial segments, incl the inferior wall.",
    ],
)
def test_a_normal_verdict_of_all_walls_is_the_studys(structure: Any, said: str) -> None:
    out = structure(_MPI + f"Findings: {said}\n")
    assert value_at(out, "perfusion.result") == "normal"


def test_a_normal_verdict_of_one_wall_stays_regional(structure: Any) -> None:
    """Control: 'normal perfusion of the lateral wall' says nothing of the others."""
    out = structure(_MPI + "Findings: Normal perfusion of the lateral wall.\n")
    assert value_at(out, "perfusion.result") is None


# --- the indication ends where the note says how the test was done --------------------------------------------


@pytest.mark.parametrize(
    "how",
    [
        "performed with regadenoson due to knee pain",
        "done as a stress-first protocol on the CZT camera",
        "carried out using a one-day rest/stress protocol",
    ],
)
def test_a_clause_that_says_how_the_test_was_done_ends_the_indication(structure: Any, how: str) -> None:
    text = f"62 yo F referred for exertional chest pressure and palpitations, {how}; EF 60%, normal perfusion.\n"
    out = structure(text)
    assert value_at(out, "study.indication") == "exertional chest pressure and palpitations"


# --- a closing interpretation followed by a comparison line -------------------------------------------------------


@pytest.mark.parametrize("comparison", ["Comparison: none.", "Comparison: prior study of 2021, unchanged."])
def test_a_comparison_after_the_interpretation_keeps_it_the_impression(structure: Any, comparison: str) -> None:
    text = (
        "Tl-201 rest and 3-hour redistribution SPECT.\n"
        "Findings: Severe fixed inferior defect. LVEF 31%.\n\n"
        "INTERPRETATION:\n1. Abnormal thallium viability study.\n2. Nonviable inferior scar.\n\n"
        f"{comparison}\n"
    )
    out = structure(text)
    assert value_at(out, "impression.overall") == "abnormal"
    assert value_at(out, "impression.infarction") == "present"


# --- the vessel of a region named in an impression item that is no defect statement ----------------------------------


def test_an_impression_item_names_the_vessel_of_the_same_walls(structure: Any) -> None:
    text = (
        "Tl-201 rest-redistribution viability study.\n"
        "Findings: Large severe defect of the lateral and inferolateral walls with partial redistribution.\n"
        "Impression:\n1. Abnormal viability study.\n"
        "2. Hibernating, viable myocardium of the lateral and inferolateral walls (LCx territory).\n"
    )
    assert _defects(structure(text)) == [
        (["lateral", "inferolateral"], "LCx", "severe", "partially reversible", "affirmed")
    ]


@pytest.mark.parametrize(
    "item",
    [
        "2. Viable myocardium of the lateral and inferolateral walls (LCx or RCA territory).",
        "2. Viable myocardium of the lateral wall (LCx territory).",
    ],
)
def test_an_item_of_two_vessels_or_other_walls_names_none(structure: Any, item: str) -> None:
    """Controls: two vessels for the region, or an item about other walls, leave the vessel open."""
    text = (
        "Tl-201 rest-redistribution viability study.\n"
        "Findings: Large severe defect of the lateral and inferolateral walls with partial redistribution.\n"
        f"Impression:\n1. Abnormal viability study.\n{item}\n"
    )
    assert [d[1] for d in _defects(structure(text))] == [None]


# --- the predicted maximum after an article or a possessive ----------------------------------------------------


@pytest.mark.parametrize(
    ("said", "pct"),
    [
        ("peak HR 148 bpm, 89% of the age predicted maximum heart rate", 89),
        ("peak HR 148, which was 91 percent of his predicted maximal heart rate", 91),
        ("peak heart rate 150 (93% of her maximum age-predicted heart rate)", 93),
    ],
)
def test_the_predicted_maximum_after_an_article_or_possessive(structure: Any, said: str, pct: int) -> None:
    out = structure(_MPI + f"Stress: Bruce protocol, {said}.\n")
    assert value_at(out, "stress_test.percent_mphr") == pct


# --- an addendum that disagrees with the read and finds a defect --------------------------------------------------

_PRELIMINARY = (
    _MPI + "Findings: Mildly reduced counts in the anterior wall, probably breast attenuation. LVEF 60%.\n"
    "Impression: Probably normal study.\n\n"
)


@pytest.mark.parametrize(
    ("addendum", "artifact"),
    [
        ("ADDENDUM: I disagree with the preliminary reading. There is a small reversible anterior defect (LAD).", None),
        ("Addendum: After review the interpretation is revised: a mild reversible defect of the anterior wall.", None),
        # the addendum's own denial of an artifact is the final word on it
        ("ADDENDUM: I do not agree that this is artifact; the anterior defect is reversible.", "none"),
    ],
)
def test_an_addendum_that_overrules_the_read_drops_its_artifact(
    structure: Any, addendum: str, artifact: str | None
) -> None:
    out = structure(_PRELIMINARY + addendum + "\n")
    assert value_at(out, "perfusion.artifact") == artifact
    assert [d[0] for d in _defects(out)] == [["anterior"]]


def test_an_addendum_that_agrees_keeps_the_artifact(structure: Any) -> None:
    """Control: an addendum that agrees with the read and finds no defect leaves its artifact standing."""
    out = structure(_PRELIMINARY + "ADDENDUM: Agree with the above. No change.\n")
    assert value_at(out, "perfusion.artifact") == "attenuation"


# --- a pasted prior report under its own header line --------------------------------------------------------------


def test_a_pasted_prior_report_keeps_its_headers_the_priors(structure: Any) -> None:
    text = (
        "Exam: Rest/stress Tc-99m tetrofosmin SPECT, 03/02/2025.\n"
        "Findings: Small fixed apical defect. LVEF 55%.\n"
        "Impression: Abnormal study, low risk.\n\n"
        "Prior report (01/10/2021) rest/stress SPECT:\n"
        "IMPRESSION: Abnormal. Large reversible anterior defect. High risk.\n\n"
        "Plan: continue medical therapy.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.risk") == "low"
    assert _defects(out) == [
        (["apex"], None, None, "fixed", "affirmed"),
        (["anterior"], None, None, "reversible", "historical"),
    ]


def test_a_prior_line_that_is_a_sentence_opens_no_block(structure: Any) -> None:
    """Control: 'Prior study: normal in 2020.' is a line of its own; the impression after it is this study's."""
    text = _MPI + "Prior study: normal in 2020.\nIMPRESSION: Abnormal. Reversible inferior defect. High risk.\n"
    out = structure(text)
    assert value_at(out, "impression.risk") == "high"
    assert [d[4] for d in _defects(out)] == ["affirmed"]


# --- ischemia of other walls after a defect -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "Medium fixed inferior defect with mild peri-infarct ischemia in the inferolateral wall.",
        "Fixed inferior defect (old infarct) with mild peri-infarct ischaemia of the inferolateral wall.",
    ],
)
def test_ischemia_of_other_walls_is_a_second_defect(structure: Any, said: str) -> None:
    defects = _defects(structure(_MPI + f"Findings: {said}\n"))
    assert [(d[0], d[3]) for d in defects] == [(["inferior"], "fixed"), (["inferolateral"], "reversible")]


def test_ischemia_of_the_defects_own_walls_stays_one_defect(structure: Any) -> None:
    """Control: ischemia around the same walls is the defect's reversible part, not a second defect."""
    said = "Large fixed inferior defect with mild peri-infarct ischemia in the inferior wall."
    out = structure(_MPI + f"Findings: {said}\n")
    assert [d[0] for d in _defects(out)] == [["inferior"]]


# --- a flow table whose column heads follow its title -------------------------------------------------------------


def test_a_flow_table_with_its_heads_after_the_title(structure: Any) -> None:
    text = (
        "Rb-82 PET/CT rest/regadenoson stress.\n"
        "MBF (mL/min/g)        Rest    Stress    MFR\n"
        "  LAD                 0.70    1.10      1.57\n"
        "  Global              0.92    2.30      2.50\n"
        "  RCA                 0.95    2.60      2.74\n"
    )
    out = structure(text)
    assert value_at(out, "flow.rest_mbf") == 0.92
    assert value_at(out, "flow.stress_mbf") == 2.3
    assert value_at(out, "flow.mfr") == 2.5


# --- the blind set scores what this round reached -------------------------------------------------------------------


def test_struct_dev14_scores_what_the_round_reached() -> None:
    result = bench_module("extraction_eval").evaluate(REPO / "bench" / "data" / "struct_dev14")
    assert round(result["field_micro_f1"], 3) >= 0.997  # first scoring 0.932
    assert round(result["defect_f1"], 3) >= 0.889  # first scoring 0.750


# --- a question-mark request after the reason is part of the indication --------------------------------------------


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        (
            "Clinical question: Breathless on exertion, diabetic. ? inducible ischaemia.",
            "Breathless on exertion, diabetic. ? inducible ischaemia",
        ),
        ("Indication: Atypical chest pain in a smoker. ?IHD", "Atypical chest pain in a smoker. ?IHD"),
    ],
)
def test_a_question_mark_request_goes_with_the_reason(structure: Any, written: str, reason: str) -> None:
    out = structure(f"{written}\n" + _MPI + "Findings: Normal perfusion.\n")
    assert value_at(out, "study.indication") == reason


def test_a_sentence_after_the_reason_is_not_the_indication(structure: Any) -> None:
    """Control: a sentence of other facts after the reason stays out of it."""
    out = structure("Indication: Atypical chest pain in a smoker. Resting ECG normal.\n" + _MPI)
    assert value_at(out, "study.indication") == "Atypical chest pain in a smoker"
