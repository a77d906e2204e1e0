"""Use-cases of the guardrails: verify a narrative against a study, QA finished reports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reporter.errors import InputFormatError, NcreportError

if TYPE_CHECKING:
    from guardrails.completeness import ReportingElement, ReportQa
    from guardrails.flags import Flag
    from reporter.domain.finding import Finding
    from reporter.domain.study import Study
    from reporter.domain.thresholds import Thresholds

__all__ = ["has_error", "load_elements", "qa_table", "qa_texts", "verify_text"]


def verify_text(
    text: str,
    study: Study,
    scope: str = "full",
    thresholds: Thresholds | None = None,
    findings: Sequence[Finding] | None = None,
) -> list[Flag]:
    """Flags for every claim of ``text`` that the study does not support (``scope='impression'``: omissions too).

    ``thresholds``: the site's (the facts are the rules' Findings under them); the defaults otherwise.
    ``findings``: the rules' Findings of the study, when the caller has them already (a draft's own).
    """
    from guardrails.verify import verify

    if scope not in ("impression", "full"):
        raise InputFormatError(f"--scope must be 'impression' or 'full', got {scope!r}")
    if not text.strip():  # an empty text states nothing, so it cannot pass as verified
        raise InputFormatError("the text to verify is empty")
    if thresholds is not None and findings is None:
        from reporter.domain.rules import evaluate

        findings = evaluate(study, thresholds)
    return verify(text, study, findings, scope=scope)  # type: ignore[arg-type]


def has_error(flags: Sequence[Flag]) -> bool:
    """Whether any flag has error severity (verification failed)."""
    return any(f.severity.value == "error" for f in flags)


def load_elements(path: Path | None = None) -> tuple[ReportingElement, ...]:
    """The ASNC reporting elements (packaged, or a department's file)."""
    from guardrails.completeness import load_elements as load

    return load(path)


def qa_texts(
    named: Iterable[tuple[str, str | NcreportError]], elements: Sequence[ReportingElement] | None = None
) -> list[ReportQa]:
    """The checklist of each (name, text) report; a report that could not be read keeps its error, in order."""
    from guardrails.completeness import ReportQa, qa_report
    from reporter.service.structuring import require_readable

    results: list[ReportQa] = []
    for name, text in named:
        if isinstance(text, NcreportError):
            results.append(ReportQa(name=name, text="", error=str(text)))
            continue
        if not text.strip():
            results.append(ReportQa(name=name, text="", error=str(InputFormatError(f"{name} is empty"))))
            continue
        try:
            require_readable(text, name)
            results.append(qa_report(text, name, elements))
        except NcreportError as exc:
            results.append(ReportQa(name=name, text="", error=str(exc)))
    return results


def qa_table(results: Sequence[ReportQa], elements: Sequence[ReportingElement], fmt: str) -> str:
    """The department's QA results as ``html`` (checklists, summary and chart) or ``csv`` (a row per report)."""
    from guardrails.completeness import batch_csv, batch_html

    return batch_html(results, elements) if fmt == "html" else batch_csv(results, elements)
