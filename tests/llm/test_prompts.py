"""The few-shot examples of the rephrase prompt: verified answers, never the benchmark's own sentences."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from guardrails import check_paraphrase, verify
from reporter.domain.finding import Finding, FindingCode, Section
from reporter.domain.study import Study
from reporter.inputs import load_study
from reporter.llm.drafter import Shot, _Ask, _prompt, _repair_messages, shot_dir, shot_for, shots
from reporter.report import draft_report


def test_the_shots_cover_the_narrative_codes_the_model_phrases() -> None:
    assert sorted(shots()) == sorted(
        [
            FindingCode.IMPRESSION_PERFUSION,
            FindingCode.IMPRESSION_FUNCTION,
            FindingCode.IMPRESSION_STRESS,
            FindingCode.IMPRESSION_FLOW,
            FindingCode.IMPRESSION_CALCIUM,
            FindingCode.COMPARISON_DEFECT_CHANGED,
            FindingCode.COMPARISON_ISCHEMIA,
            FindingCode.COMPARISON_LVEF,
        ]
    )
    assert [s.reference for s in shots()[FindingCode.IMPRESSION_FUNCTION]] == [
        "Mildly reduced left ventricular systolic function (LVEF 46%).",
        "Normal left ventricular systolic function (rest LVEF 60%).",
    ]


ALL_SHOTS = [shot for code in sorted(shots()) for shot in shots()[code]]


@pytest.mark.parametrize("shot", ALL_SHOTS, ids=[f"{s.finding.code}-{s.study}" for s in ALL_SHOTS])
def test_each_shot_answer_passes_the_guardrails_and_its_rejected_answer_does_not(shot: Shot) -> None:
    study = load_study(shot_dir() / shot.study)
    errors = [
        f.code
        for f in [*verify(shot.answer, study), *check_paraphrase(shot.reference, shot.answer)]
        if f.severity == "error"
    ]
    assert errors == []
    assert len(shot.rejected_problems) >= 1


def test_the_shot_of_a_finding_is_the_one_sharing_most_of_its_values(example: Callable[[str], Study]) -> None:
    findings = {f.code: f for f in draft_report(example("spect_lad_ischemia")).findings}
    assert shot_for(findings[FindingCode.IMPRESSION_FUNCTION]).reference == (  # type: ignore[union-attr]
        "Normal left ventricular systolic function (rest LVEF 60%)."
    )
    findings = {f.code: f for f in draft_report(example("spect_inferior_scar_attenuation")).findings}
    assert shot_for(findings[FindingCode.IMPRESSION_FUNCTION]).reference == (  # type: ignore[union-attr]
        "Mildly reduced left ventricular systolic function (LVEF 46%)."
    )
    assert shot_for(findings[FindingCode.RISK]) is None


def test_a_finding_is_shown_only_a_worked_example_of_its_kind(example: Callable[[str], Study]) -> None:
    # a normal study is not shown the abnormal example, a pharmacologic test not the exercise one
    findings = {f.code: f for f in draft_report(example("spect_normal_exercise")).findings}
    assert shot_for(findings[FindingCode.IMPRESSION_PERFUSION]).study == "spect_normal_regadenoson.json"  # type: ignore[union-attr]
    assert shot_for(findings[FindingCode.IMPRESSION_STRESS]).study == "spect_followup_rca.json"  # type: ignore[union-attr]
    findings = {f.code: f for f in draft_report(example("spect_lad_ischemia")).findings}
    assert shot_for(findings[FindingCode.IMPRESSION_STRESS]) is None  # pharmacologic: no example, rule text
    assert shot_for(findings[FindingCode.IMPRESSION_PERFUSION]).study == "spect_followup_rca.json"  # type: ignore[union-attr]
    # a fixed defect (scar) is not the kind of the one abnormal example (ischemia): no example
    findings = {f.code: f for f in draft_report(example("spect_inferior_scar_attenuation")).findings}
    assert shot_for(findings[FindingCode.IMPRESSION_PERFUSION]) is None


def test_the_facts_leave_out_absent_features_but_not_absent_ischemia_or_scar(example: Callable[[str], Study]) -> None:
    report = draft_report(example("spect_normal_exercise"))
    by_code = {s.codes[0]: s for section in report.sections for s in section.sentences}
    function = by_code[FindingCode.IMPRESSION_FUNCTION]
    perfusion = by_code[FindingCode.IMPRESSION_PERFUSION]
    assert function.finding is not None and perfusion.finding is not None
    assert _prompt(report.findings[function.finding], function.text)["user"] == (
        "Facts:\n- lvef: 64\n- category: normal\nReference: Normal left ventricular systolic function (LVEF 64%)."
    )
    assert _prompt(report.findings[perfusion.finding], perfusion.text)["user"] == (
        "Facts:\n- category: normal\n- ischemia: False\n- scar: False\n- certainty: negated\n"
        "Reference: Normal myocardial perfusion, without evidence of ischemia or infarction."
    )


def test_the_repair_shows_the_worked_example_rejected_then_answered(example: Callable[[str], Study]) -> None:
    study = example("spect_normal_exercise")
    report = draft_report(study)
    sentence = next(
        s for section in report.sections for s in section.sentences if s.codes[0] == FindingCode.IMPRESSION_FUNCTION
    )
    assert sentence.finding is not None
    ask = _Ask(Section.IMPRESSION, 1, sentence, report.findings[sentence.finding])
    ask.answers, ask.problems = ["LVEF is fine."], [["G904: the number 64 of the reference is missing"]]
    messages = _repair_messages(ask)
    assert messages[5].content == (
        'An earlier answer was rejected: "Left ventricular systolic function is normal, with no evidence of '
        'decreased left ventricular systolic function."\nProblems: the number 60 of the reference is missing; '
        "'negation' is not in the reference; 'reduced' is not in the reference; the phrase 'left ventricular "
        "systolic' is repeated.\nAnswer again without these problems.\nFacts:\n- lvef: 60\n- category: normal\n"
        "- phase: rest\n"
        "Reference: Normal left ventricular systolic function (rest LVEF 60%)."
    )
    assert messages[6].content == "Left ventricular systolic function is normal, with a rest LVEF of 60%."
    assert messages[7].content.startswith('An earlier answer was rejected: "LVEF is fine."\nProblems: the number 64')


def test_no_shot_is_a_sentence_of_the_examples_the_benchmark_drafts(examples_dir: Path) -> None:
    fixed = _prompt(*_function_finding())["examples"][:2]
    references = {s.reference for s in ALL_SHOTS} | {s.answer for s in ALL_SHOTS}
    # the fixed examples too, except the normal-perfusion sentence: it has no value, every normal study has it
    references |= {line for e in fixed for line in (e["assistant"], e["user"].rsplit("Reference: ", 1)[1])}
    references -= {"Normal myocardial perfusion, without evidence of ischemia or infarction."}
    assert len(references) == 21
    for path in sorted(examples_dir.glob("*.json")):
        report = draft_report(load_study(path))
        assert references.isdisjoint(s.text for section in report.sections for s in section.sentences), path.name


def _function_finding() -> tuple[Finding, str]:
    shot = shots()[FindingCode.IMPRESSION_FUNCTION][0]
    return shot.finding, shot.reference


def test_numbers_are_given_as_the_reference_writes_them(example: Callable[[str], Study]) -> None:
    prompt = _prompt(*_function_finding())
    assert prompt["user"].startswith("Facts:\n- lvef: 46\n- category: mildly reduced\n")


def test_a_prompt_carries_the_shot_of_its_code_after_the_shared_examples(example: Callable[[str], Study]) -> None:
    study = example("spect_lad_ischemia")
    report = draft_report(study)
    by_code = {
        report.findings[s.finding].code: (report.findings[s.finding], s.text)
        for section in report.sections
        for s in section.sentences
        if s.finding is not None
    }
    with_shot = _prompt(*by_code[FindingCode.IMPRESSION_FUNCTION])
    assert [e["assistant"] for e in with_shot["examples"]] == [
        "Left ventricular systolic function is normal, with an LVEF of 61%.",
        "Myocardial perfusion is normal, with no evidence of ischemia or infarction.",
        "Left ventricular systolic function is normal, with a rest LVEF of 60%.",
    ]
    assert with_shot["user"].endswith("Reference: Normal left ventricular systolic function (LVEF 55%).")
    without = _prompt(*by_code[FindingCode.RISK])
    assert len(without["examples"]) == 2
