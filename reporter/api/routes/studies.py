"""Studies: submit, the worklist, one study; drafting (rule-based at once, a language model as a job)."""

from __future__ import annotations

import json
import time
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, status

from reporter.api.deps import Drafter, Id, SessionDep, SettingsDep, Submitter, WorklistReader
from reporter.api.schemas import DraftJobIn, JobOut, ReportOut, StudyIn, StudyOut, StudySummary
from reporter.service import reading_room as rr
from reporter.service.access import Actor
from reporter.storage.models import StudyRow

router = APIRouter(prefix="/api/studies", tags=["studies"])


def _summary(item: rr.WorklistItem) -> StudySummary:
    row = item.study
    return StudySummary(id=row.id, status=row.status, modality=row.modality, study_date=row.study_date,
                        created_at=row.created_at, report_id=item.report_id, open_error_flags=item.open_error_flags)


def _study_out(row: StudyRow, actor: Actor, report_id: Id | None) -> StudyOut:
    return StudyOut(id=row.id, status=row.status, modality=row.modality, study_date=row.study_date,
                    created_at=row.created_at, report_id=report_id, study=rr.study_json(row, actor),
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
) -> list[StudySummary]:
    """The worklist: unsigned studies first, newest first; filter by status and modality."""
    return [_summary(item) for item in rr.worklist(session, actor, status_, limit, modality)]


@router.get("/{study_id}", response_model=StudyOut)
def get(study_id: Id, actor: WorklistReader, session: SessionDep) -> StudyOut:
    row = rr.get_study(session, actor, study_id)
    report = rr.report_of_study(session, study_id)
    return _study_out(row, actor, None if report is None else report.id)


@router.post("/{study_id}/draft", status_code=status.HTTP_201_CREATED, response_model=ReportOut)
def draft(study_id: Id, actor: Drafter, session: SessionDep, request: Request) -> ReportOut:
    """The rule-based draft, at once (a new version when the study has a draft already)."""
    started = time.perf_counter()
    view = rr.draft_now(session, actor, study_id)
    request.app.state.metrics.observe_draft("rules", time.perf_counter() - started,
                                            (f.code for f in view.current.flags))
    return ReportOut.of(view)


@router.post("/{study_id}/draft-jobs", status_code=status.HTTP_202_ACCEPTED, response_model=JobOut)
def queue_draft(study_id: Id, body: DraftJobIn, actor: Drafter, session: SessionDep,
                settings: SettingsDep) -> JobOut:
    """A language-model draft as a job: poll ``GET /api/jobs/{id}``; a backend that is down gives the rule-based
    draft with its N103 flag. Refused (409, E450) when the site requires a qualified backend and this one has
    no passing qualification on record."""
    job = rr.queue_draft(session, actor, study_id, {"backend": body.llm},
                         require_qualified=settings.require_qualified_llm)
    return JobOut.model_validate(job, from_attributes=True)
