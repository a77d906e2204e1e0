"""The public entry points: ``structure(text)``, ``structure_typed(text)`` and ``structure_many(texts)``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from reporter.domain.limits import MAX_TEXT_CHARS
from reporter.errors import InputFormatError, InputTooLargeError

if TYPE_CHECKING:
    from extraction.model import StructuredReport

__all__ = ["DEFAULT_MAX_CHARS", "structure", "structure_many", "structure_typed"]

# Declared once: the largest text structured in one call (about 1 MB of characters).
DEFAULT_MAX_CHARS = MAX_TEXT_CHARS  # declared once, in reporter.domain.limits


def _check(text: object, max_chars: int) -> str:
    from extraction.pipeline import MAX_DOC_CHARS

    if not isinstance(text, str):
        raise InputFormatError(f"report text must be a string, got {type(text).__name__}")
    limit = min(max_chars, MAX_DOC_CHARS)
    if len(text) > limit:
        raise InputTooLargeError(f"report text has {len(text):,} characters; the limit is {limit:,}")
    return text


def structure(text: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> dict[str, Any]:
    """Structure one free-text report into the object of ``structured_report.schema.json``."""
    from extraction.assemble import structure_doc
    from extraction.pipeline import get_pipeline

    nlp = get_pipeline()
    return structure_doc(nlp(_check(text, max_chars)))


def structure_typed(text: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> StructuredReport:
    """Structure one free-text report into the typed :class:`~extraction.model.StructuredReport`."""
    from extraction.assemble import structure_doc_typed
    from extraction.pipeline import get_pipeline

    nlp = get_pipeline()
    return structure_doc_typed(nlp(_check(text, max_chars)))


def structure_many(
    texts: Iterable[str], *, batch_size: int = 32, max_chars: int = DEFAULT_MAX_CHARS
) -> Iterator[dict[str, Any]]:
    """Structure many reports, streamed through ``nlp.pipe``; results come in input order."""
    from extraction.assemble import structure_doc
    from extraction.pipeline import get_pipeline

    nlp = get_pipeline()
    checked = (_check(t, max_chars) for t in texts)
    for doc in nlp.pipe(checked, batch_size=batch_size):
        yield structure_doc(doc)
