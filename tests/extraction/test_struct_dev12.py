"""Issue 16, struct_dev12 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the blind set; each test names the mechanism it checks, and each
mechanism has a control where the value must still be read (or must not be). Expected values are literal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bench_modules import bench_module
from report_fields import span_at, value_at
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[2]


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None, str | None]]:
    return [(d["walls"], d["territory"], d["reversibility"]) for d in out["perfusion"]["defects"]]


# --- a report exactly as received: Windows line endings stay two characters, and spans index them ----------------

_EXPORT = (
    "RAD RESULT|FINAL\n"
    "EXAM: Tc-99m sestamibi SPECT, rest and exercise\n"
    "stress.\n"
    "\n"
    "HISTORY: Dyspnea on exertion, prior nondiagnostic\n"
    " treadmill test.\n"
    "\n"
    "FINDINGS: Resting HR 72, BP 130/80. Peak HR 150, BP 170/80. Patient denied chest\n"
    "pain. The ECG showed no ST\n"
    "changes. LVEF 58%.\n"
    "There is a moderate reversible defect of the\n"
    "inferior wall, RCA territory.\n"
    "\n"
    "IMPRESSION: Abnormal study. Moderate inferior ischemia in the RCA territory\n"
    ", medium in extent.\n"
)


def test_the_bench_reads_a_report_with_its_windows_line_endings(tmp_path: Path) -> None:
    """The bench reads a report's bytes as the product does: '\\r\\n' stays two characters, so a gold span
    computed on the file (after the first line break) points at the same words."""
    path = tmp_path / "r01.txt"
    path.write_bytes(b"EXAM: SPECT\r\nLVEF 58%.\r\n")
    assert bench_module("extraction_eval").read_report(path) == "EXAM: SPECT\r\nLVEF 58%.\r\n"


def test_the_bench_scores_spans_after_a_windows_line_break_as_exact(tmp_path: Path) -> None:
    """A whole gold report in CRLF scored by the bench: the LVEF's span after two line breaks matches exactly."""
    text = _EXPORT.replace("\n", "\r\n")
    (tmp_path / "r01.txt").write_bytes(text.encode())
    from extraction import structure

    gold = structure(text)
    start = text.index("58%")
    assert span_at(gold, text, "function.lvef_percent") == "58%"
    gold["function"]["lvef_percent"]["span"] = [start, start + 3]
    (tmp_path / "r01.json").write_text(json.dumps(gold), encoding="utf-8")
    result = bench_module("extraction_eval").evaluate(tmp_path)
    assert result["span_exact"] == 1.0


def test_the_structure_command_keeps_windows_line_endings_in_its_spans(tmp_path: Path) -> None:
    """``ncreport structure`` on a CRLF file: the spans index the file's text as it is (its '\\r\\n' counted)."""
    from reporter.cli import app

    text = _EXPORT.replace("\n", "\r\n")
    path = tmp_path / "export.txt"
    path.write_bytes(text.encode())
    result = CliRunner().invoke(app, ["structure", str(path)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert span_at(out, text, "function.lvef_percent") == "58%"
    assert span_at(out, text, "stress_test.peak_bp") == "170/80"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_report_reads_the_same_whatever_its_line_endings(structure: Any, newline: str) -> None:
    """Unix, Windows and old Macintosh line endings give the same values; each span indexes the text as given."""
    text = _EXPORT.replace("\n", newline)
    out = structure(text)
    assert value_at(out, "study.indication") == "Dyspnea on exertion, prior nondiagnostic treadmill test"
    assert value_at(out, "stress_test.chest_pain") == "absent"
    assert value_at(out, "stress_test.ecg_response") == "nonischemic"
    assert value_at(out, "function.lvef_percent") == 58
    assert span_at(out, text, "function.lvef_percent") == "58%"
    assert span_at(out, text, "stress_test.peak_hr_bpm") == "150"
    assert _defects(out) == [(["inferior"], "RCA", "reversible")]
    assert value_at(out, "impression.overall") == "abnormal"


# --- a line broken mid-phrase: the statement goes on on the next line ---------------------------------------------


@pytest.mark.parametrize(
    "findings",
    [
        "Regadenoson given; peak\nHR 96, BP 128/70.",  # a label's qualifier at the end of the line
        "Regadenoson given; at peak the\nHR was 96 and the BP 128/70.",  # an article at the end of the line
    ],
)
def test_a_capital_after_a_word_that_cannot_end_a_statement_goes_on(structure: Any, findings: str) -> None:
    text = f"EXAM: Regadenoson SPECT.\nFINDINGS: Resting HR 64, BP 140/84. {findings}\nIMPRESSION: Normal study.\n"
    out = structure(text)
    assert value_at(out, "stress_test.peak_hr_bpm") == 96
    assert value_at(out, "stress_test.peak_bp") == "128/70"


def test_a_key_on_the_next_line_still_starts_its_own_statement(structure: Any) -> None:
    """Control: 'Ischemia: No' then 'Infarction: Yes' -- the line ends with 'No', but the next line is a key."""
    text = (
        "MYOCARDIAL PERFUSION SPECT\nFINDINGS: Fixed severe inferior defect.\nIMPRESSION:\nIschemia: No\n"
        "Infarction: Yes\n"
    )
    out = structure(text)
    assert value_at(out, "impression.ischemia") == "absent"
    assert value_at(out, "impression.infarction") == "present"


@pytest.mark.parametrize("wrap", ["\n", "\n  ", " \n", "\r\n"])
def test_a_phrase_broken_across_lines_is_one_phrase(structure: Any, wrap: str) -> None:
    """'no ST' then 'changes' on the next line, indented or not, with a trailing blank or a Windows line end."""
    text = (
        "EXAM: Exercise sestamibi SPECT.\n"
        f"FINDINGS: Peak HR 150. No chest pain. No ST{wrap}changes. Normal perfusion.\n"
        "IMPRESSION: Normal study.\n"
    )
    assert value_at(structure(text), "stress_test.ecg_response") == "nonischemic"


def test_a_title_in_capitals_does_not_run_into_the_next_line(structure: Any) -> None:
    """Control: a title in capitals stays its own line ('NUCLEAR STRESS' then 'normal perfusion')."""
    text = "EXAM: Sestamibi SPECT.\nIMPRESSION\nnormal perfusion, no ischemia.\n"
    out = structure(text)
    assert value_at(out, "impression.ischemia") == "absent"


# --- a report written in abbreviations: the short forms of walls, grades, risk, artifact and the ECG verdict --------


@pytest.mark.parametrize(
    ("said", "walls"),
    [
        ("mod, rev defect of the mid inflat wall", ["inferolateral"]),
        ("sm fixed defect, basal infsep wall", ["inferoseptal"]),
        ("lg, sev, rev defect antsep wall and apex", ["anteroseptal", "apex"]),
        ("mild rev defect antlat wall", ["anterolateral"]),
    ],
)
def test_abbreviated_walls_name_the_wall(structure: Any, said: str, walls: list[str]) -> None:
    text = f"Proto: 1-day r/s MIBI SPECT, ETT.\nMPI: {said}.\nImp: Abnl MPI.\n"
    assert [d["walls"] for d in structure(text)["perfusion"]["defects"]] == [walls]


def test_abbreviated_grades_are_read(structure: Any) -> None:
    out = structure("Proto: r/s MIBI SPECT.\nMPI: lg, sev, fixed defect of the inf wall, RCA terr.\nImp: Abnl.\n")
    d = out["perfusion"]["defects"][0]
    assert (d["walls"], d["extent"], d["severity"], d["reversibility"]) == (["inferior"], "large", "severe", "fixed")


@pytest.mark.parametrize(
    ("said", "risk"),
    [("Int risk.", "intermediate"), ("Intermed. risk for events.", "intermediate"), ("Low risk.", "low")],
)
def test_an_abbreviated_risk_is_read(structure: Any, said: str, risk: str) -> None:
    text = f"Proto: r/s MIBI SPECT.\nMPI: mild rev defect inf wall.\nImp: Abnl MPI. {said}\n"
    assert value_at(structure(text), "impression.risk") == risk


@pytest.mark.parametrize(
    ("said", "artifact"),
    [("No attn.", "none"), ("Breast attn noted.", "attenuation"), ("Mild diaphragmatic attn artifact.", "attenuation")],
)
def test_an_abbreviated_attenuation_is_read(structure: Any, said: str, artifact: str) -> None:
    text = f"Proto: r/s MIBI SPECT.\nMPI: Nl perfusion. {said}\nImp: Normal MPI.\n"
    assert value_at(structure(text), "perfusion.artifact") == artifact


@pytest.mark.parametrize(
    ("said", "verdict"),
    [
        ("ECG: 2 mm horizontal STD in V4-6 -> pos for isch.", "ischemic"),
        ("ECG: 1.5 mm downsloping ST depression, positive for isch.", "ischemic"),
        ("ECG: no STD, neg for isch.", "nonischemic"),
    ],
)
def test_an_abbreviated_ecg_verdict_is_read(structure: Any, said: str, verdict: str) -> None:
    text = f"Proto: r/s MIBI SPECT, TM ETT.\nETT: 8:00 min. {said}\nMPI: Nl perfusion.\nImp: Normal MPI.\n"
    assert value_at(structure(text), "stress_test.ecg_response") == verdict


@pytest.mark.parametrize(("label", "duration"), [("ETT: 7:45 min", 7.75), ("GXT: 9 min 30 sec", 9.5)])
def test_the_exercise_test_abbreviation_labels_its_duration(structure: Any, label: str, duration: float) -> None:
    text = f"Proto: r/s MIBI SPECT.\n{label}, 9.2 METs. HR 61->148.\nMPI: Nl perfusion.\nImp: Normal MPI.\n"
    assert value_at(structure(text), "stress_test.exercise_duration_min") == duration


# --- walls spared by a defect: every wall the 'sparing' phrase coordinates ---------------------------------------


@pytest.mark.parametrize(
    "spared",
    [
        "sparing the inferior and lateral walls",
        "sparing the inferior wall and the lateral wall",
        "with sparing of the inferior and lateral segments",
    ],
)
def test_every_spared_wall_is_none_of_the_defect(structure: Any, spared: str) -> None:
    text = (
        "MYOCARDIAL PERFUSION SPECT\n"
        f"FINDINGS: Large severe fixed defect of the anterior and anteroseptal walls, {spared}.\n"
        "IMPRESSION: Abnormal study.\n"
    )
    assert [d["walls"] for d in structure(text)["perfusion"]["defects"]] == [["anterior", "anteroseptal"]]


# --- an addendum that puts a wall's hedged finding down to an artifact takes that defect back ---------------------


@pytest.mark.parametrize(
    "addendum",
    [
        "ADDENDUM 03/04/2025: On prone images the inferior finding resolves and is attributed to diaphragmatic "
        "attenuation.",
        "Addendum (Dr Hale): the inferior wall abnormality normalizes on attenuation-corrected images, consistent "
        "with diaphragmatic attenuation.",
        "ADDENDUM: Review of the upright images shows that the inferior abnormality represents attenuation.",
    ],
)
def test_an_addendum_resolving_a_hedged_defect_as_artifact_removes_it(structure: Any, addendum: str) -> None:
    text = (
        "MYOCARDIAL PERFUSION SPECT\n"
        "FINDINGS: Moderate reversible defect of the anterior wall. Possible mild defect of the inferior wall that "
        "may represent diaphragmatic attenuation.\n"
        "IMPRESSION: Abnormal study. Anterior ischemia.\n"
        f"\n{addendum}\n"
    )
    out = structure(text)
    assert _defects(out) == [(["anterior"], None, "reversible")]
    assert value_at(out, "perfusion.artifact") == "attenuation"


def test_without_the_addendum_the_hedged_defect_stays_uncertain(structure: Any) -> None:
    """Control: the same report without its addendum keeps the inferior defect, uncertain."""
    text = (
        "MYOCARDIAL PERFUSION SPECT\n"
        "FINDINGS: Moderate reversible defect of the anterior wall. Possible mild defect of the inferior wall that "
        "may represent diaphragmatic attenuation.\n"
        "IMPRESSION: Abnormal study. Anterior ischemia.\n"
    )
    out = structure(text)
    assert [(d["walls"], d["certainty"]) for d in out["perfusion"]["defects"]] == [
        (["anterior"], "affirmed"),
        (["inferior"], "uncertain"),
    ]


# --- a denial for one wall or vessel leaves the study's own ischemia standing ------------------------------------


@pytest.mark.parametrize(
    "denial",
    ["There is no inferior ischemia.", "No ischemia in the RCA territory.", "No ischemia of the lateral wall."],
)
def test_a_regional_denial_does_not_deny_the_studys_ischemia(structure: Any, denial: str) -> None:
    text = (
        "MYOCARDIAL PERFUSION SPECT\n"
        "FINDINGS: Medium moderate reversible defect of the anterior wall.\n"
        "IMPRESSION: Abnormal study. Anterior wall ischemia, LAD territory.\n"
        f"ADDENDUM 04/05/2025: {denial}\n"
    )
    assert value_at(structure(text), "impression.ischemia") == "present"


def test_a_regional_denial_alone_still_answers(structure: Any) -> None:
    """Control: with nothing else said of ischemia, 'no inferior ischemia' is the impression's answer."""
    text = "MYOCARDIAL PERFUSION SPECT\nFINDINGS: Normal perfusion.\nIMPRESSION: No inferior ischemia.\n"
    assert value_at(structure(text), "impression.ischemia") == "absent"


# --- a one-paragraph dictation that says where its impression starts ------------------------------------------------


@pytest.mark.parametrize("opener", ["impression is", "my impression is", "the conclusion is"])
def test_a_said_impression_opens_the_conclusion(structure: Any, opener: str) -> None:
    text = (
        "Rest/stress sestamibi SPECT with regadenoson, the patient had no chest pain and no ST changes; images show "
        "a medium moderate fixed defect of the inferior wall without reversibility, normal wall motion elsewhere; "
        f"{opener} an inferior infarct without ischemia, low risk."
    )
    out = structure(text)
    assert value_at(out, "impression.infarction") == "present"
    assert value_at(out, "impression.ischemia") == "absent"


# --- the overall verdict: a qualified title, or the ischemia or infarct the impression places -----------------------


@pytest.mark.parametrize(
    ("title", "verdict"),
    [
        ("Abnormal but stable myocardial perfusion study.", "abnormal"),
        ("Abnormal, yet unchanged, SPECT study.", "abnormal"),
        ("Normal and unchanged perfusion scan.", "normal"),
    ],
)
def test_a_verdict_qualified_by_a_comparison_is_the_title_verdict(structure: Any, title: str, verdict: str) -> None:
    text = f"MYOCARDIAL PERFUSION SPECT\nFINDINGS: see below.\nIMPRESSION: {title} Low risk.\n"
    assert value_at(structure(text), "impression.overall") == verdict


@pytest.mark.parametrize(
    "impression",
    [
        "1. Mild ischemia in the LCx territory, small in extent. 2. Preserved global MFR.",
        "Large fixed anterior/apical infarct (LAD territory) with mild peri-infarct ischemia.",
        "Moderate inferolateral wall ischemia.",
    ],
)
def test_an_impression_that_places_ischemia_or_infarct_is_abnormal(structure: Any, impression: str) -> None:
    text = f"MYOCARDIAL PERFUSION SPECT\nFINDINGS: see impression.\nIMPRESSION: {impression}\n"
    assert value_at(structure(text), "impression.overall") == "abnormal"


@pytest.mark.parametrize(
    "impression",
    [
        "No ischemia in the LAD territory.",
        "Possible mild inferior ischemia, likely attenuation.",
        "History of inferior infarct in 2019; referred for dyspnea.",
    ],
)
def test_a_denied_hedged_or_past_ischemia_gives_no_verdict(structure: Any, impression: str) -> None:
    """Control: a denied, hedged or historical ischemia or infarct says nothing of the study's verdict."""
    text = f"MYOCARDIAL PERFUSION SPECT\nFINDINGS: see impression.\nIMPRESSION: {impression}\n"
    assert value_at(structure(text), "impression.overall") is None


# --- a comparison paragraph that describes this study's defect ------------------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "Compared with the study of 03/2022, there is again a medium severe fixed inferior defect.",
        "Relative to the prior exam the medium severe fixed inferior defect persists.",
        "Versus the 2022 study, a medium severe fixed inferior defect is still present.",
    ],
)
def test_a_defect_seen_again_in_the_comparison_is_current(structure: Any, said: str) -> None:
    text = (
        f"MYOCARDIAL PERFUSION SPECT\nFINDINGS: LVEF 50%.\nCOMPARISON: {said}\nIMPRESSION: Abnormal study, unchanged.\n"
    )
    out = structure(text)
    assert [(d["walls"], d["reversibility"], d["certainty"]) for d in out["perfusion"]["defects"]] == [
        (["inferior"], "fixed", "affirmed")
    ]


def test_a_defect_the_prior_study_showed_stays_historical(structure: Any) -> None:
    """Control: a comparison paragraph that tells what the prior showed keeps that defect the prior's."""
    text = (
        "MYOCARDIAL PERFUSION SPECT\nFINDINGS: Normal perfusion. LVEF 60%.\n"
        "COMPARISON: The prior study of 03/2022 showed a small reversible inferior defect.\n"
        "IMPRESSION: Normal study.\n"
    )
    out = structure(text)
    assert [(d["walls"], d["certainty"]) for d in out["perfusion"]["defects"]] == [(["inferior"], "historical")]


# --- a comparison: a change set against what is unchanged, and a change in function ------------------------------


@pytest.mark.parametrize(
    ("said", "comparison"),
    [
        ("Compared with 2021 the infarct size is unchanged but the LVEF has fallen from 45%.", "worsened"),
        (
            "Compared with the prior study, perfusion is unchanged; however the ejection fraction has declined.",
            "worsened",
        ),
        ("Compared with the prior study the defect is unchanged, but LV function has improved.", "improved"),
        ("Compared with the prior study the defect is unchanged and the LVEF is similar.", "unchanged"),
    ],
)
def test_a_change_set_against_what_is_unchanged_is_the_comparison(structure: Any, said: str, comparison: str) -> None:
    text = (
        "MYOCARDIAL PERFUSION SPECT\nFINDINGS: Large fixed anterior defect. LVEF 38%.\n"
        f"IMPRESSION: Abnormal study. {said}\n"
    )
    assert value_at(structure(text), "impression.comparison") == comparison


# --- a date with its day in words, as dictated ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "iso"),
    [
        ("performed December fifth 2024", "2024-12-05"),
        ("performed on the twenty-first of March 2025", "2025-03-21"),
        ("Study date: May 3rd 2025", "2025-05-03"),
        ("Exam: the second of June 2024", "2024-06-02"),
    ],
)
def test_a_dictated_date_with_its_day_in_words_is_read(structure: Any, said: str, iso: str) -> None:
    text = f"Sestamibi SPECT {said}, read by Dr Lane: normal perfusion, LVEF 60%. Normal study."
    assert value_at(structure(text), "study.study_date") == iso


# --- a blood pressure or heart rate told against the stress event -------------------------------------------------


@pytest.mark.parametrize(
    ("said", "rest", "peak"),
    [
        ("Resting BP 148/86; BP after regadenoson 138/80.", "148/86", "138/80"),
        ("BP before the dipyridamole 150/90, BP following dipyridamole 128/76.", "150/90", "128/76"),
        ("BP 132/78 at rest; BP with adenosine 120/70.", "132/78", "120/70"),
    ],
)
def test_a_pressure_told_against_the_stress_event_has_its_phase(
    structure: Any, said: str, rest: str, peak: str
) -> None:
    text = f"Regadenoson SPECT.\nHEMODYNAMICS: {said}\nFINDINGS: Normal perfusion.\nIMPRESSION: Normal study.\n"
    out = structure(text)
    assert (value_at(out, "stress_test.rest_bp"), value_at(out, "stress_test.peak_bp")) == (rest, peak)


# --- a treadmill ECG test without imaging: its verdict on ischemia is the ECG response only -------------------------


@pytest.mark.parametrize(
    "conclusion",
    [
        "Negative exercise treadmill test for ischemia.",
        "Treadmill ECG stress test negative for ischemia.",
        "Positive exercise test for ischemia at a moderate workload.",
    ],
)
def test_a_treadmill_ecg_tests_verdict_is_no_impression_ischemia(structure: Any, conclusion: str) -> None:
    text = (
        "EXERCISE TREADMILL ECG TEST (no imaging)\nProtocol: Bruce, 9 minutes, 10.1 METs.\n"
        "ECG: 2 mm horizontal ST depression in V4-V6.\n"
        f"Conclusion: {conclusion} No myocardial perfusion imaging was performed.\n"
    )
    assert value_at(structure(text), "impression.ischemia") is None


def test_a_stress_echos_ischemia_is_still_read(structure: Any) -> None:
    """Control: a stress echocardiogram (another imaging test) states its own ischemia."""
    text = (
        "DOBUTAMINE STRESS ECHOCARDIOGRAM\nFindings: normal wall thickening at peak dobutamine.\n"
        "Impression: Negative dobutamine stress echocardiogram for inducible ischemia.\n"
    )
    assert value_at(structure(text), "impression.ischemia") == "absent"


# --- the reason for the study said in a sentence of its own, under a procedure or technique header ------------------


@pytest.mark.parametrize(
    ("said", "reason"),
    [
        (
            "Reason for study is dyspnea on exertion and a family history of CAD.",
            "dyspnea on exertion and a family history of CAD",
        ),
        (
            "The indication was preoperative risk assessment before hip replacement.",
            "preoperative risk assessment before hip replacement",
        ),
        ("Prior LAD stent 2020. Follow-up for recurrent atypical chest pain.", "recurrent atypical chest pain"),
    ],
)
def test_a_reason_told_in_a_sentence_is_the_indication(structure: Any, said: str, reason: str) -> None:
    text = (
        "NUCLEAR MEDICINE\n"
        f"PROCEDURE: Exercise rest/stress Tc-99m sestamibi SPECT. {said}\n"
        "FINDINGS: Normal perfusion. LVEF 62%.\n"
        "IMPRESSION: Normal study.\n"
    )
    assert value_at(structure(text), "study.indication") == reason


def test_a_reason_ends_before_the_narration_of_the_test(structure: Any) -> None:
    """'referred for worsening angina and was given ... mCi': the reason ends where the test is narrated."""
    text = (
        "Dual isotope SPECT, this 70 year old man was referred for worsening angina and was given 3 mCi of "
        "thallium-201 at rest followed by 25 mCi of Tc-99m sestamibi with dipyridamole; images show normal "
        "perfusion; impression is a normal study."
    )
    assert value_at(structure(text), "study.indication") == "worsening angina"
