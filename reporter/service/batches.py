"""Verify and structure batches as jobs: queued as rows, run by the drafting worker, results stored on the job.

The same use-cases as ``ncreport verify`` (:func:`reporter.service.checking.verify_text`) and
``ncreport structure`` (:func:`reporter.service.structuring.structure_batch`). The texts travel in
the job's payload (they are the caller's, like a study's JSON) and only the user who queued a
batch may read its job. One text that cannot be checked keeps its error; the batch goes on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reporter.errors import FieldProblem, InputTooLargeError, NcreportError, NotFoundError
from reporter.service.access import Actor, Permission, require
from reporter.storage import audit
from reporter.storage.models import Job, StudyRow

__all__ = ["KINDS", "MAX_STRUCTURE_BATCH", "MAX_VERIFY_BATCH", "queue_structure", "queue_verify", "run"]

# A verification is ~20 ms of CPU, a structuring ~10 ms: a batch is a few seconds of one worker at most,
# so one batch cannot hold the drafting queue for long.
MAX_VERIFY_BATCH = 100
MAX_STRUCTURE_BATCH = 200
KINDS = ("verify", "structure")


def _bounded(n: int, limit: int, what: str) -> None:
    if n > limit:
        raise InputTooLargeError(
            f"{n} {what} in one batch; the limit is {limit}", [FieldProblem(what, f"at most {limit}", n)]
        )


def _queue(session: Session, actor: Actor, kind: str, payload: dict[str, Any], count: int) -> Job:
    job = Job(kind=kind, payload=payload, created_by=actor.id)
    session.add(job)
    session.flush()
    audit.append(session, actor=actor.name, action="job.queue", detail=f"job {job.id}: {kind} of {count}")
    session.commit()
    return job


def queue_verify(session: Session, actor: Actor, items: Sequence[tuple[int, str, str]]) -> Job:
    """A batch of (study id, text, scope) to verify, each against its stored study, as a job."""
    require(actor, Permission.CHECK_TEXT)
    _bounded(len(items), MAX_VERIFY_BATCH, "items")
    wanted = {study_id for study_id, _, _ in items}
    found = set(session.scalars(select(StudyRow.id).where(StudyRow.id.in_(wanted))))
    missing = next((i for i, (study_id, _, _) in enumerate(items) if study_id not in found), None)
    if missing is not None:
        study_id = items[missing][0]
        raise NotFoundError(f"no study {study_id}", [FieldProblem(f"items.{missing}.study_id", "unknown id", study_id)])
    payload = {"items": [{"study_id": s, "text": t, "scope": scope} for s, t, scope in items]}
    return _queue(session, actor, "verify", payload, len(items))


def queue_structure(session: Session, actor: Actor, texts: Sequence[str]) -> Job:
    """A batch of free-text reports to structure, as a job."""
    require(actor, Permission.CHECK_TEXT)
    _bounded(len(texts), MAX_STRUCTURE_BATCH, "texts")
    return _queue(session, actor, "structure", {"texts": list(texts)}, len(texts))


def _verify(session: Session, items: list[dict[str, Any]]) -> dict[str, Any]:
    from reporter.service.checking import has_error, verify_text
    from reporter.service.reading_room import load_study

    studies: dict[int, Any] = {}
    results: list[dict[str, Any]] = []
    for item in items:
        try:
            if item["study_id"] not in studies:
                row = session.get(StudyRow, item["study_id"])
                if row is None:
                    raise NotFoundError(f"no study {item['study_id']}")
                studies[item["study_id"]] = load_study(row)
            flags = verify_text(item["text"], studies[item["study_id"]], item["scope"])
        except NcreportError as exc:
            results.append({"study_id": item["study_id"], "passed": None, "flags": [], "error": str(exc)})
            continue
        results.append(
            {
                "study_id": item["study_id"],
                "passed": not has_error(flags),
                "error": None,
                "flags": [
                    {
                        "code": f.code.value,
                        "severity": f.severity.value,
                        "message": f.message,
                        "span": None if f.span is None else list(f.span),
                        "evidence": f.evidence,
                    }
                    for f in flags
                ],
            }
        )
    session.commit()
    return {
        "results": results,
        "summary": {
            "texts": len(results),
            "passed": sum(r["passed"] is True for r in results),
            "errors": sum(r["error"] is not None for r in results),
        },
    }


def _structure(texts: list[str]) -> dict[str, Any]:
    from reporter.service.structuring import structure_batch

    results = [{"report": report, "error": error} for _, report, error in structure_batch(list(enumerate(texts)))]
    return {
        "results": results,
        "summary": {"texts": len(results), "errors": sum(r["error"] is not None for r in results)},
    }


def run(session: Session, job: Job) -> dict[str, Any]:
    """The result of a claimed verify or structure job."""
    if job.kind == "verify":
        return _verify(session, job.payload["items"])
    session.commit()  # no transaction held while spaCy runs
    return _structure(job.payload["texts"])
