"""Use-cases: what a user of ncreport can ask for, whatever the interface.

The CLI (``reporter.cli``) and the HTTP API call these functions and nothing below them; the
engines (rules and templates, the language model, the guardrails, structuring, risk models) are
composed here. A use-case takes validated values and returns values: no printing, no exit codes,
no file paths except the model directories a site configures.

    draft      prior report + rules + decision support + narrative (LLM) + fallback flags
    verify     a narrative against a study's facts -> flags
    structure  free-text reports -> structured reports (one, or a batch over worker processes)
    qa         finished reports -> ASNC checklist and consistency flags
    risk       train, predict, evaluate and drift of the decision-support models
    validation a site's studies and signed reports -> agreement, flags, structuring accuracy, LLM qualification
"""

from reporter.service.checking import qa_texts, verify_text
from reporter.service.drafting import DraftOptions, DraftResult, draft, render
from reporter.service.structuring import structure_batch, structure_text

__all__ = [
    "DraftOptions",
    "DraftResult",
    "draft",
    "qa_texts",
    "render",
    "structure_batch",
    "structure_text",
    "verify_text",
]
