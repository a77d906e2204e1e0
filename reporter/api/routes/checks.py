"""Verify, structure and QA as calls: the same use-cases as ``ncreport verify | structure | qa``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from reporter.api.deps import QaRunner, SessionDep, TextChecker
from reporter.api.schemas import (
    CheckFlagOut,
    JobOut,
    QaElementOut,
    QaIn,
    QaJobIn,
    QaReportOut,
    StructureIn,
    StructureJobIn,
    VerifyIn,
    VerifyJobIn,
    VerifyOut,
)
from reporter.service import batches, qa_texts, structure_text, verify_text
from reporter.service import reading_room as rr

router = APIRouter(prefix="/api", tags=["checks"])


def _flag(flag: Any) -> CheckFlagOut:
    return CheckFlagOut(
        code=flag.code.value, severity=flag.severity.value, message=flag.message, span=flag.span, evidence=flag.evidence
    )


@router.post("/verify", response_model=VerifyOut)
def verify(body: VerifyIn, actor: TextChecker, session: SessionDep) -> VerifyOut:
    """Flags for every claim of the text that the stored study does not support."""
    study = rr.load_study(rr.get_study(session, actor, body.study_id))
    flags = [_flag(f) for f in verify_text(body.text, study, body.scope)]
    return VerifyOut(flags=flags, passed=not any(f.severity == "error" for f in flags))


@router.post("/structure", response_model=dict[str, Any])
def structure(body: StructureIn, actor: TextChecker) -> dict[str, Any]:
    """A free-text report's structured form (``structured_report.schema.json``)."""
    return structure_text(body.text)


@router.post("/qa", response_model=list[QaReportOut])
def qa(body: QaIn, actor: QaRunner) -> list[QaReportOut]:
    """The ASNC checklist and consistency flags of each report."""
    results = qa_texts((r.name, r.text) for r in body.reports)
    return [
        QaReportOut(
            name=r.name,
            required_score=r.required_score,
            error=r.error,
            flags=[_flag(f) for f in r.flags],
            elements=[
                QaElementOut(id=e.element.id, name=e.element.name, tier=e.element.tier, status=e.status, span=e.span)
                for e in r.elements
            ],
        )
        for r in results
    ]


@router.post("/qa-jobs", status_code=status.HTTP_202_ACCEPTED, response_model=JobOut)
def queue_qa(body: QaJobIn, actor: QaRunner, session: SessionDep) -> JobOut:
    """QA of stored reports (default: every signed one) as a job; the result holds each checklist and a summary."""
    return JobOut.model_validate(rr.queue_qa(session, actor, body.report_ids), from_attributes=True)


@router.post("/verify-jobs", status_code=status.HTTP_202_ACCEPTED, response_model=JobOut)
def queue_verify(body: VerifyJobIn, actor: TextChecker, session: SessionDep) -> JobOut:
    """A batch of texts verified against their studies, as a job (poll ``GET /api/jobs/{id}`` or stream its
    events); the result holds each text's flags and whether it passed."""
    items = [(i.study_id, i.text, i.scope) for i in body.items]
    return JobOut.model_validate(batches.queue_verify(session, actor, items), from_attributes=True)


@router.post("/structure-jobs", status_code=status.HTTP_202_ACCEPTED, response_model=JobOut)
def queue_structure(body: StructureJobIn, actor: TextChecker, session: SessionDep) -> JobOut:
    """A batch of free-text reports structured as a job; the result holds each structured report (or its error)."""
    return JobOut.model_validate(batches.queue_structure(session, actor, body.texts), from_attributes=True)
