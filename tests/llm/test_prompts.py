"""The few-shot examples of the rephrase prompt: verified answers, never the benchmark's own sentences."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from guardrails import check_paraphrase, verify
from reporter.domain.finding import FindingCode
from reporter.domain.study import Study
from reporter.inputs import load_study
from reporter.llm.drafter import _prompt, shot_dir, shots
from reporter.report import draft_report


def test_the_shots_cover_the_narrative_codes_the_model_phrases() -> None:
    assert sorted(shots()) == sorted([
        FindingCode.IMPRESSION_PERFUSION, FindingCode.IMPRESSION_FUNCTION, FindingCode.IMPRESSION_STRESS,
        FindingCode.IMPRESSION_FLOW, FindingCode.IMPRESSION_CALCIUM, FindingCode.COMPARISON_DEFECT_CHANGED,
        FindingCode.COMPARISON_ISCHEMIA, FindingCode.COMPARISON_LVEF,
    ])
    function = shots()[FindingCode.IMPRESSION_FUNCTION]
    assert function.reference == "Mildly reduced left ventricular systolic function (LVEF 46%)."


@pytest.mark.parametrize("code", sorted(shots()))
def test_each_shot_answer_passes_the_guardrails(code: FindingCode) -> None:
    shot = shots()[code]
    study = load_study(shot_dir() / shot.study)
    errors = [f.code for f in [*verify(shot.answer, study), *check_paraphrase(shot.reference, shot.answer)]
              if f.severity == "error"]
    assert errors == []


def test_no_shot_is_a_sentence_of_the_examples_the_benchmark_drafts(examples_dir: Path) -> None:
    references = {s.reference for s in shots().values()} | {s.answer for s in shots().values()}
    for path in sorted(examples_dir.glob("*.json")):
        report = draft_report(load_study(path))
        assert references.isdisjoint(s.text for section in report.sections for s in section.sentences), path.name


def test_a_prompt_carries_the_shot_of_its_code_after_the_shared_examples(example: Callable[[str], Study]) -> None:
    study = example("spect_lad_ischemia")
    report = draft_report(study)
    by_code = {report.findings[s.finding].code: (report.findings[s.finding], s.text)
               for section in report.sections for s in section.sentences if s.finding is not None}
    with_shot = _prompt(*by_code[FindingCode.IMPRESSION_FUNCTION])
    assert [e["assistant"] for e in with_shot["examples"]] == [
        "Left ventricular systolic function is normal, with an LVEF of 64%.",
        "Myocardial perfusion is normal, with no evidence of ischemia or infarction.",
        "Left ventricular systolic function is mildly reduced, with an LVEF of 46%.",
    ]
    assert with_shot["user"].endswith("Reference: Normal left ventricular systolic function (LVEF 55%).")
    without = _prompt(*by_code[FindingCode.RISK])
    assert len(without["examples"]) == 2
