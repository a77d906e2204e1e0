"""Studies: submit, the worklist, one study; drafting (rule-based at once, a language model as a job)."""

from __future__ import annotations

import json
import time
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, status

from reporter.api.deps import Assigner, Drafter, Id, SessionDep, SettingsDep, Submitter, WorklistReader
from reporter.api.schemas import (
    AssignIn,
    AssignmentOut,
    DraftJobIn,
    JobOut,
    ReportOut,
    StudyIn,
    StudyOut,
    StudySummary,
)
from reporter.service import reading_room as rr
from reporter.service.access import Actor
from reporter.storage.models import StudyRow

router = APIRouter(prefix="/api/studies", tags=["studies"])


def _summary(item: rr.WorklistItem) -> StudySummary:
    row = item.study
    return StudySummary(id=row.id, status=row.status, modality=row.modality, study_date=row.study_date,
                        created_at=row.created_at, report_id=item.report_id, open_error_flags=item.open_error_flags,
                        owner=item.owner)


def _study_out(row: StudyRow, actor: Actor, report_id: Id | None, owner: str | None = None) -> StudyOut:
    return StudyOut(id=row.id, status=row.status, modality=row.modality, study_date=row.study_date,
                    created_at=row.created_at, report_id=report_id, owner=owner, study=rr.study_json(row, actor),
                    has_prior_report=row.prior_report is not None,
                    prior_structured=None if row.prior_structured is None else json.loads(row.prior_structured))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=StudyOut)
def submit(body: StudyIn, actor: Submitter, session: SessionDep, settings: SettingsDep) -> StudyOut:
    row = rr.submit_study(session, actor, body.study, body.prior_report, limit=settings.max_text_bytes)
    return _study_out(row, actor, None)


@router.get("", response_model=list[StudySummary])
def worklist(
    actor: WorklistReader, session: SessionDep,
    status_: Annotated[str | None, Query(alias="status", max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    modality: Annotated[Literal["SPECT", "PET"] | None, Query()] = None,
    mine: Annotated[bool, Query(description="only the studies whose report the caller owns")] = False,
) -> list[StudySummary]:
    """The worklist: unsigned studies first, newest first; filter by status, modality and owner."""
    return [_summary(item) for item in rr.worklist(session, actor, status_, limit, modality, mine)]


@router.get("/{study_id}", response_model=StudyOut)
def get(study_id: Id, actor: WorklistReader, session: SessionDep) -> StudyOut:
    row = rr.get_study(session, actor, study_id)
    report = rr.report_of_study(session, study_id)
    return _study_out(row, actor, None if report is None else report.id, rr.owner_name(session, row))


@router.post("/{study_id}/draft", status_code=status.HTTP_201_CREATED, response_model=ReportOut)
def draft(study_id: Id, actor: Drafter, session: SessionDep, request: Request) -> ReportOut:
    """The rule-based draft, at once (a new version when the study has a draft already)."""
    started = time.perf_counter()
    view = rr.draft_now(session, actor, study_id)
    request.app.state.metrics.observe_draft("rules", time.perf_counter() - started,
                                            (f.code for f in view.current.flags))
    return ReportOut.of(view)


@router.post("/{study_id}/draft-jobs", status_code=status.HTTP_202_ACCEPTED, response_model=JobOut)
def queue_draft(study_id: Id, body: DraftJobIn, actor: Drafter, session: SessionDep) -> JobOut:
    """A language-model draft as a job: poll ``GET /api/jobs/{id}``; a backend that is down gives the rule-based
    draft with its N103 flag."""
    job = rr.queue_draft(session, actor, study_id, {"backend": body.llm})
    return JobOut.model_validate(job, from_attributes=True)


@router.post("/{study_id}/assign", response_model=AssignmentOut)
def assign(study_id: Id, body: AssignIn, actor: Assigner, session: SessionDep) -> AssignmentOut:
    """Take a study's report over (a physician, to themselves) or assign it to a physician (an admin), with a
    reason; audited. Only the owner may draft, edit, decide flags and sign (403, E504, naming the owner)."""
    done = rr.assign(session, actor, study_id, body.reason, body.to)
    return AssignmentOut(study_id=done.study_id, report_id=done.report_id, owner=done.owner,
                         previous_owner=done.previous_owner)
