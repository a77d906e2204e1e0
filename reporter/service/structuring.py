"""Use-cases of prior-report structuring: one text, or a batch streamed over worker processes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

__all__ = ["empty_report", "require_readable", "structure_batch", "structure_text"]

K = TypeVar("K")


def require_readable(text: str, what: str = "text") -> None:
    """Refuse text that looks like binary or garbled content (nothing in it can be read as a report)."""
    from extraction.assemble import unreadable
    from reporter.errors import FieldProblem, InputFormatError

    if unreadable(text):
        raise InputFormatError(
            f"{what} looks like binary or garbled content; nothing was read from it",
            [FieldProblem(what, "readable report text")],
        )


def structure_text(text: str, max_chars: int | None = None) -> dict[str, Any]:
    """One report's structured form (``structured_report.schema.json``); garbled text is refused."""
    from extraction.api import DEFAULT_MAX_CHARS, structure

    require_readable(text)
    return structure(text, max_chars=max_chars or DEFAULT_MAX_CHARS)


def _structure_doc_or_error(doc: Any) -> tuple[dict[str, Any] | None, str | None]:
    from extraction.assemble import structure_doc
    from extraction.pipeline import doc_text
    from reporter.errors import InputFormatError

    try:
        require_readable(doc_text(doc))
        return structure_doc(doc), None
    except InputFormatError as exc:
        return None, str(exc)
    except Exception as exc:  # one broken report must not stop the batch
        return None, f"[E900] could not be structured ({type(exc).__name__})"


def _structure_chunk(texts: list[str], batch_size: int) -> list[tuple[dict[str, Any] | None, str | None]]:
    """Worker side of ``processes > 1``: the reports of one chunk, in order (pipeline built once per worker)."""
    from extraction.pipeline import get_pipeline

    return [_structure_doc_or_error(doc) for doc in get_pipeline().pipe(texts, batch_size=batch_size)]


def structure_batch(
    items: Sequence[tuple[K, str]], batch_size: int = 32, processes: int = 1
) -> Iterator[tuple[K, dict[str, Any] | None, str | None]]:
    """(key, report, error) for each (key, text), in input order, through ``nlp.pipe`` here or in workers."""
    if processes <= 1 or len(items) < 2:
        from extraction.pipeline import get_pipeline

        docs = get_pipeline().pipe(((t, k) for k, t in items), as_tuples=True, batch_size=batch_size)
        for doc, key in docs:
            yield (key, *_structure_doc_or_error(doc))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Chunks of a few batches: large enough to amortise the transfer, small enough to share the work.
    size = max(batch_size, 1)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    # "spawn": a fresh interpreter per worker (forking a process that has threads is unsafe).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(processes, len(chunks)), mp_context=context) as pool:
        results = pool.map(_structure_chunk, [[t for _, t in c] for c in chunks], [batch_size] * len(chunks))
        for chunk, done in zip(chunks, results, strict=True):
            for (key, _), (report, error) in zip(chunk, done, strict=True):
                yield key, report, error


def empty_report() -> dict[str, Any]:
    """A structured report with every field empty (the full set of fields, e.g. for CSV columns)."""
    from extraction.assemble import empty_report as empty

    return empty()
