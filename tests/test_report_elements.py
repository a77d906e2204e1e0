"""The product's own drafts carry every required ASNC reporting element, as its own `qa` measures them."""

from __future__ import annotations

from pathlib import Path

import pytest

from guardrails.completeness import qa_report
from reporter.inputs import load_study
from reporter.render import template_set
from reporter.report import draft_report

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_qa_scores_each_rule_based_draft_at_100_percent_of_required_elements(path: Path) -> None:
    text = template_set().render(draft_report(load_study(path)), "text")
    result = qa_report(text, path.stem)
    assert [e.element.id for e in result.missing()] == []
    assert result.required_score == 1.0
