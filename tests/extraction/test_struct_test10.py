"""Issue 16, struct_test10 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set (bench/data/struct_test10); each test names the
mechanism it checks, with several wordings of its family, and each mechanism has a control where the value must
still be read (or must not be). Expected values are literal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bench_modules import bench_module
from report_fields import value_at

REPO = Path(__file__).resolve().parents[2]

# The technique line of a myocardial perfusion study: the reports below are perfusion studies.
_MPI = "Technique: Rest/stress Tc-99m sestamibi gated SPECT.\n"
_PET = "Technique: Rb-82 PET/CT with regadenoson stress.\n"


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None, str]]:
    return [(d["walls"], d["reversibility"], d["certainty"]) for d in out["perfusion"]["defects"]]


# --- a finding the report calls an artifact with 'this is' ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Findings: Mild fixed reduction of counts in the inferior wall. This is diaphragmatic attenuation.\n"
        "Impression: Normal study.",
        "Findings: Slightly decreased uptake in the anterior wall on both image sets. This is breast attenuation.\n"
        "Impression: Normal perfusion.",
        "Findings: Small mild reversible anterior defect.\nImpression: Small anterior ischemia.\n"
        "ADDENDUM: On the prone images the anterior count reduction normalizes. This is breast attenuation, "
        "not ischemia.",
    ],
)
def test_a_finding_the_next_sentence_says_is_attenuation_is_no_defect(structure: Any, text: str) -> None:
    """'This is <artifact>' right after a finding (or in the addendum that reviews it) puts the finding down to the
    artifact without a hedge: no defect, the artifact kept (the attribution's 'is' took a word after it, so an
    artifact right after 'is' was never read as the attribution)."""
    out = structure(_MPI + text)
    assert _defects(out) == []
    assert value_at(out, "perfusion.artifact") == "attenuation"


def test_a_finding_that_may_be_attenuation_stays_an_uncertain_defect(structure: Any) -> None:
    """Control: 'This may be attenuation' only hedges; the defect stays, uncertain."""
    out = structure(
        _MPI + "Findings: Mild fixed reduction of counts in the inferior wall. This may be diaphragmatic "
        "attenuation.\nImpression: Probably normal study."
    )
    assert _defects(out) == [(["inferior"], "fixed", "uncertain")]


# --- an impression that places an artifact at the wall of the findings' count reduction ----------------------------


@pytest.mark.parametrize(
    ("finding", "impression"),
    [
        (
            "Mildly reduced counts in the inferior wall on rest and stress images.",
            "1. Normal myocardial perfusion.\n2. Diaphragmatic attenuation inferiorly.",
        ),
        (
            "Mildly reduced counts in the anterior wall on both image sets.",
            "1. Normal myocardial perfusion.\n2. Anterior breast attenuation.",
        ),
        (
            "Mildly reduced counts in the anterior wall on both image sets.",
            "Normal perfusion. Attenuation of the anterior wall by breast tissue.",
        ),
    ],
)
def test_an_impression_artifact_at_the_walls_of_a_finding_takes_it_back(
    structure: Any, finding: str, impression: str
) -> None:
    """The impression names an artifact at the finding's wall, the wall part of the artifact's phrase: the
    finding is that artifact, not a defect."""
    out = structure(_MPI + f"Findings: {finding}\nImpression:\n{impression}")
    assert _defects(out) == []
    assert value_at(out, "perfusion.artifact") == "attenuation"
    assert value_at(out, "perfusion.result") == "normal"


@pytest.mark.parametrize(
    "impression",
    [
        "1. Small reversible inferior defect consistent with ischemia.\n2. Mild diaphragmatic attenuation inferiorly.",
        "1. Inferior ischemia.\n2. Possible diaphragmatic attenuation inferiorly.",
    ],
)
def test_an_impression_artifact_beside_a_wall_it_calls_abnormal_leaves_the_defect(
    structure: Any, impression: str
) -> None:
    """Control: the impression also calls the wall ischemic (or only hedges the artifact): the defect stays."""
    out = structure(_MPI + f"Findings: Small reversible inferior defect.\nImpression:\n{impression}")
    assert _defects(out) == [(["inferior"], "reversible", "affirmed")]


# --- a prior's findings quoted in parentheses after a change against its date --------------------------------------


@pytest.mark.parametrize(
    "comparison",
    [
        "Worse than 11/2023 (then: small fixed apical defect).",
        "More extensive than 2022-05-14 (then: small fixed apical defect).",
        "Deterioration versus 2021 (then a small fixed apical defect only).",
    ],
)
def test_a_parenthesis_after_a_dated_change_quotes_the_prior(structure: Any, comparison: str) -> None:
    """A change said against a dated study, then the prior's findings in parentheses: that defect is the prior's
    (historical), not a second defect of this study."""
    out = structure(
        _MPI + f"Findings: Large severe reversible anterior defect.\nImpression: Anterior ischemia. {comparison}"
    )
    assert _defects(out) == [(["anterior"], "reversible", "affirmed"), (["apex"], "fixed", "historical")]
    assert value_at(out, "impression.comparison") == "worsened"


def test_a_parenthesis_without_a_prior_is_this_studys_defect(structure: Any) -> None:
    """Control: a parenthesis of properties after a current finding, no prior named, is the finding's own."""
    out = structure(_MPI + "Findings: New moderate reversible inferior defect (RCA).\nImpression: Inferior ischemia.")
    assert _defects(out) == [(["inferior"], "reversible", "affirmed")]


# --- abbreviated grades ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("finding", "severity", "extent"),
    [
        ("mod sized, mod sev defect of the inferior wall, reversible", "moderate", "medium"),
        ("mod-sized fixed apical defect of mod severity", "moderate", "medium"),
        ("small, mod sev reversible defect of the lateral wall", "moderate", "small"),
        ("severe, mod sized fixed defect of the septum", "severe", "medium"),
    ],
)
def test_mod_abbreviates_moderate_in_a_grade(structure: Any, finding: str, severity: str, extent: str) -> None:
    """'mod sev' is moderate severity (not 'sev', severe), 'mod sized' a medium extent."""
    d = structure(_MPI + f"Findings: Stress images: {finding}.")["perfusion"]["defects"]
    assert [(x["severity"], x["extent"]) for x in d] == [(severity, extent)]


# --- ECG verdicts written +ve / -ve ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ECG: +ve for ischaemia at 88% MPHR.", "ischemic"),
        ("ECG response: +ve", "ischemic"),
        ("TMT: Positive for inducible ischemia.", "ischemic"),
        ("TMT -ve for inducible ischaemia.", "nonischemic"),
        ("ECG: -ve for ischemia at 92% MPHR.", "nonischemic"),
        ("TMT: negative for exercise-induced ischaemia.", "nonischemic"),
    ],
)
def test_an_ecg_verdict_written_plus_or_minus_ve(structure: Any, line: str, expected: str) -> None:
    """'+ve' and '-ve' are positive and negative; a treadmill test's (TMT) verdict is its ECG's."""
    assert value_at(structure(_MPI + f"Stress: {line}\n"), "stress_test.ecg_response") == expected


# --- minutes and seconds written as primes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "minutes"),
    [
        ("Ex time: 8'30\" (stage III).", 8.5),
        ("Exercise time 6\u2032 45\u2033 on the Bruce protocol.", 6.75),
        ("Total exercise time 10' 00''.", 10),
    ],
)
def test_an_exercise_time_in_primes(structure: Any, line: str, minutes: float) -> None:
    assert value_at(structure(_MPI + line), "stress_test.exercise_duration_min") == minutes


def test_a_height_in_feet_and_inches_is_no_exercise_time(structure: Any) -> None:
    """Control: primes after no exercise label (a height) leave the exercise time to its own statement."""
    text = _MPI + "Exercise: Bruce protocol. Height 5'10\", weight 80 kg. Exercised for 7 minutes."
    assert value_at(structure(text), "stress_test.exercise_duration_min") == 7


# --- the complaint as a header --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("C/o: exertional breathlessness x 3 months.", "exertional breathlessness x 3 months"),
        ("Complaints : chest tightness on exertion, 6 weeks", "chest tightness on exertion, 6 weeks"),
        ("Presenting symptoms: palpitations and presyncope.", "palpitations and presyncope"),
    ],
)
def test_a_complaint_header_is_the_indication(structure: Any, header: str, expected: str) -> None:
    """'C/o' (complains of), 'Complaints', 'Presenting symptoms' head the reason for the study; the complaint is
    not a symptom of the test."""
    out = structure(f"{header}\n{_MPI}Impression: Normal study.")
    assert value_at(out, "study.indication") == expected
    assert value_at(out, "stress_test.chest_pain") is None


# --- calcification of named coronary arteries -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("CT: Calcification in the proximal LAD and RCA.", "present"),
        ("Attenuation CT: RCA calcification is noted.", "present"),
        ("CT: dense calcification of the left circumflex and right coronary arteries.", "present"),
        ("Attenuation CT: no calcification of the LAD, LCx or RCA.", None),
        ("CT: no left main calcium; calcification of the LAD and RCA.", "present"),
        ("Attenuation CT: calcification of the aortic valve.", None),
    ],
)
def test_calcification_of_a_named_coronary_artery_is_coronary_calcium(
    structure: Any, line: str, expected: str | None
) -> None:
    """The vessels named in place of the word 'coronary' still say coronary calcium was seen (a valve's does not);
    a denial in named vessels speaks of those vessels only, not of the coronary arteries as a whole."""
    assert value_at(structure(_MPI + line), "calcium.cac_present") == expected


# --- flow told of one vessel's territory is regional ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("flow", "expected"),
    [
        (
            "In the RCA territory stress MBF was 1.10 mL/min/g and rest MBF 0.80 mL/min/g. Global stress MBF 2.30 "
            "mL/min/g, rest MBF 0.90 mL/min/g, global MFR 2.6.",
            (0.9, 2.3, 2.6),
        ),
        (
            "LAD: stress flow 1.0 mL/min/g, rest flow 0.9, flow reserve 1.1. For the whole LV, stress flow 2.2 "
            "mL/min/g, rest flow 0.95 mL/min/g and flow reserve 2.3.",
            (0.95, 2.2, 2.3),
        ),
        ("In the LCx territory rest flow was 0.7 and stress flow 1.4 mL/min/g.", (None, None, None)),
        ("Stress MBF 2.4 mL/min/g, rest MBF 0.8 mL/min/g, MFR 3.0.", (0.8, 2.4, 3)),
    ],
)
def test_flow_of_a_vessels_territory_is_not_the_global_flow(
    structure: Any, flow: str, expected: tuple[float | None, ...]
) -> None:
    """The flow fields are the whole ventricle's: a value in a clause about one vessel's territory is that region's
    (none where the report gives only regions); a value with no territory is global (the last case, the control)."""
    out = structure(_PET + f"Flow: {flow}")
    got = tuple(value_at(out, f"flow.{k}") for k in ("rest_mbf", "stress_mbf", "mfr"))
    assert got == expected


# --- the comparison of a study with one finding unchanged and another changed ---------------------------------------


@pytest.mark.parametrize(
    ("impression", "expected"),
    [
        (
            "1. Fixed inferior scar, unchanged from 2020.\n2. New anterior ischemia compared with the prior study.",
            "worsened",
        ),
        (
            "Apical infarct stable since 2019; the lateral ischemia seen then has improved compared with that study.",
            "improved",
        ),
        (
            "1. Apical scar unchanged compared with 2021.\n2. Compared with 2021 there is a new moderate reversible "
            "lateral defect.",
            "worsened",
        ),
        ("Fixed inferior defect, unchanged compared with the prior study of 2022.", "unchanged"),
    ],
)
def test_one_finding_changed_makes_the_study_changed(structure: Any, impression: str, expected: str) -> None:
    """A finding the same and another changed is a study that changed: the comparison is the change (the last case,
    the control, changes nothing)."""
    assert value_at(structure(_MPI + f"Impression:\n{impression}"), "impression.comparison") == expected


# --- an ejection fraction stated, then its change ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("LVEF 41%, decreased by 12 points since the March 2024 study.", "worsened"),
        ("LVEF 41%, a decline of 10 percentage points compared with the prior study.", "worsened"),
        ("EF 55%, up from 40% compared with the 2023 study.", "improved"),
        ("Stress LVEF 49%, down from 52% at rest.", None),
    ],
)
def test_an_ejection_fraction_then_its_change_since_the_prior(
    structure: Any, sentence: str, expected: str | None
) -> None:
    """'LVEF 41%, decreased by 12 points since ...': a change of function since the prior study is the comparison;
    a fall from rest to stress (the control) is no comparison."""
    assert value_at(structure(_MPI + f"Impression: {sentence}"), "impression.comparison") == expected


# --- pyrophosphate that labels red cells is no tracer ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("technique", "tracers"),
    [
        ("Red cells labelled in vivo with stannous pyrophosphate, then 25 mCi Tc-99m pertechnetate. MUGA.", []),
        ("Cold PYP injected 20 minutes before Tc-99m pertechnetate for blood pool imaging.", []),
        ("Tc-99m pyrophosphate 15 mCi, planar and SPECT at 1 hour.", ["Tc-99m PYP"]),
    ],
)
def test_stannous_pyrophosphate_is_no_pyp_tracer(structure: Any, technique: str, tracers: list[str]) -> None:
    """Stannous (cold) pyrophosphate reduces the red cells for their labelling; the PYP scan's tracer (the control)
    is labelled pyrophosphate."""
    out = structure(f"Technique: {technique} Findings: LVEF 55%.")
    assert [t["value"] for t in out["study"]["tracers"]] == tracers


# --- the indication: a sentence that asks, a question inside the paragraph, a placeholder ---------------------------


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        (
            "62-year-old woman with breast cancer on trastuzumab; baseline LV function assessment before next dose. "
            "She reports mild fatigue and dyspnea.",
            "62-year-old woman with breast cancer on trastuzumab; baseline LV function assessment before next dose",
        ),
        (
            "58-year-old man with diabetes and CKD, evaluate for ischemia before transplant listing. Occasional "
            "palpitations.",
            "58-year-old man with diabetes and CKD, evaluate for ischemia before transplant listing",
        ),
        ("K/c/o DM, HTN. C/o chest pain on exertion for 2 months.", "chest pain on exertion for 2 months"),
    ],
)
def test_a_sentence_that_asks_the_question_is_the_reason(structure: Any, history: str, expected: str) -> None:
    """A first sentence that states what the study is for (assessment, evaluate) is the reason, though a symptom
    follows in the history; a first sentence of known history only (the control) gives way to the complaint."""
    assert value_at(structure(f"History: {history}\n{_MPI}"), "study.indication") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Clinical details: Atypical chest pain, smoker. Question: ischemia?",
            "Atypical chest pain, smoker. Question: ischemia?",
        ),
        ("Clinical information: Exertional dyspnoea, diabetes.\nQuestion: ischaemia?", "ischaemia?"),
        ("History: 60M, HTN. Indication: chest pain on exertion.", "chest pain on exertion"),
        ("History: Exertional angina. Reason: pre-operative assessment.", "pre-operative assessment"),
    ],
)
def test_a_question_inside_the_indication_paragraph_belongs_to_it(structure: Any, text: str, expected: str) -> None:
    """A question label inside the paragraph of the clinical information asks the question of that complaint: the
    paragraph is the indication. A question on a line of its own, or a header that names the reason (controls),
    stays the indication by itself."""
    assert value_at(structure(f"{text}\n{_MPI}"), "study.indication") == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("INDICATION: dyspnea on exertion ***", "dyspnea on exertion"),
        ("Reason for study: chest pain, r/o ischemia ___", "chest pain, r/o ischemia"),
    ],
)
def test_an_unfilled_placeholder_ends_the_indication(structure: Any, line: str, expected: str) -> None:
    assert value_at(structure(f"{line}\n{_MPI}"), "study.indication") == expected


# --- speech recognition: SPECT heard as 'spec', TID spelled out -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Isotope was technetium sestamibi, same day rest stress protocol, gated spec imaging. LVEF 60%.",
        "Rest and stress spec images were obtained with sestamibi.",
    ],
)
def test_spect_heard_as_spec(structure: Any, text: str) -> None:
    assert value_at(structure(text), "study.modality") == "SPECT"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gated SPECT. Normal wall motion. The T I D ratio was 1.05.", 1.05),
        ("Gated SPECT. T ID index 0.98.", 0.98),
        ("Gated SPECT. Metoprolol 25 mg t i d. Ratio of 2 noted.", None),
    ],
)
def test_tid_spelled_letter_by_letter(structure: Any, text: str, expected: float | None) -> None:
    """The letters of TID apart, then 'ratio' or 'index', name TID; a dose 't i d' (control) ends its sentence."""
    assert value_at(structure(text), "function.tid_ratio") == expected


# --- the released set scores what this round reached ---------------------------------------------------------------


def test_struct_test10_scores_what_this_round_reached() -> None:
    """bench/data/struct_test10 after this round: field micro-F1 0.993 (0.944 before), defect F1 1.000 (0.857).
    What is left: z04's indication runs over three sentences in the gold (an extent convention), and z07's
    walking time with regadenoson is not annotated there, as it is in the other sets."""
    result = bench_module("extraction_eval").evaluate(REPO / "bench" / "data" / "struct_test10")
    assert round(result["field_micro_f1"], 3) >= 0.993
    assert result["defect_f1"] == 1.0
    assert result["defect_strict_f1"] == 1.0
