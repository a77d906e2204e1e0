"""Studies: submit, the worklist, one study; drafting (rule-based at once, a language model as a job)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

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
from reporter.errors import FieldProblem, InputFormatError
from reporter.service import reading_room as rr
from reporter.service.access import Actor
from reporter.service.interop import MAX_FILES, submit_dicom
from reporter.storage.models import StudyRow

router = APIRouter(prefix="/api/studies", tags=["studies"])


def _summary(item: rr.WorklistItem) -> StudySummary:
    row = item.study
    return StudySummary(
        id=row.id,
        status=row.status,
        modality=row.modality,
        study_date=row.study_date,
        created_at=row.created_at,
        report_id=item.report_id,
        open_error_flags=item.open_error_flags,
        owner=item.owner,
    )


def _study_out(row: StudyRow, actor: Actor, report_id: Id | None, owner: str | None = None) -> StudyOut:
    return StudyOut(
        id=row.id,
        status=row.status,
        modality=row.modality,
        study_date=row.study_date,
        created_at=row.created_at,
        report_id=report_id,
        owner=owner,
        study=rr.study_json(row, actor),
        has_prior_report=row.prior_report is not None,
        prior_structured=None if row.prior_structured is None else json.loads(row.prior_structured),
    )


@dataclass(frozen=True, slots=True)
class _Submission:
    study: dict[str, Any]
    prior_report: str | None
    files: tuple[tuple[str, bytes], ...] = ()


_MULTIPART = {
    "type": "object",
    "required": ["files"],
    "properties": {
        "files": {
            "type": "array",
            "items": {"type": "string", "format": "binary"},
            "description": "DICOM files: SR measurement reports, NM/PT images (headers)",
        },
        "study": {"type": "string", "description": "Study JSON with what the files do not carry (clinical, stress)"},
        "prior_report": {"type": "string", "description": "a prior report's free text"},
    },
}


async def _submission(request: Request, settings: SettingsDep) -> _Submission:
    """The body: a StudyIn as JSON, or DICOM files (multipart) with optional study JSON and prior report."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        try:
            body = StudyIn.model_validate_json(await request.body())
        except ValidationError as exc:
            raise RequestValidationError(
                [
                    {**e, "loc": ("body", *e["loc"])}  # where FastAPI puts a body's fields
                    for e in exc.errors(include_url=False, include_context=False)
                ]
            ) from None
        return _Submission(body.study, body.prior_report)
    try:
        async with request.form(max_files=MAX_FILES, max_fields=8) as form:  # closes the spooled files
            files = tuple(
                [(f.filename or "", await f.read()) for f in form.getlist("files") if isinstance(f, UploadFile)]
            )
            study, prior = form.get("study"), form.get("prior_report")
    except (MultiPartException, HTTPException) as exc:
        why = exc.message if isinstance(exc, MultiPartException) else exc.detail
        raise InputFormatError(
            f"the upload cannot be read: {why}", [FieldProblem("files", "a multipart/form-data upload")]
        ) from None
    parsed: dict[str, Any] = {}
    if isinstance(study, str) and study.strip():
        try:
            parsed = json.loads(study)
        except ValueError:
            parsed = None  # type: ignore[assignment]
        if not isinstance(parsed, dict):
            raise InputFormatError("the study field is not a JSON object", [FieldProblem("study", "a JSON object")])
    if not isinstance(prior, str) or not prior.strip():
        prior = None
    if len(files) == 0:
        raise InputFormatError("no DICOM file given", [FieldProblem("files", "at least one DICOM file")])
    return _Submission(parsed, prior, files)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=StudyOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": StudyIn.model_json_schema()},
                "multipart/form-data": {"schema": _MULTIPART},
            },
        }
    },
)
def submit(
    actor: Submitter,
    submission: Annotated[_Submission, Depends(_submission)],
    session: SessionDep,
    settings: SettingsDep,
) -> StudyOut:
    """A study as Study JSON, or as DICOM files (multipart ``files``: SR measurements, NM/PT headers) completed by
    ``study`` JSON; a file that is not readable DICOM is refused (400) by its name."""
    if submission.files:
        row, _ = submit_dicom(
            session, actor, submission.files, submission.study, submission.prior_report, limit=settings.max_text_bytes
        )
    else:
        row = rr.submit_study(session, actor, submission.study, submission.prior_report, limit=settings.max_text_bytes)
    return _study_out(row, actor, None)


@router.get("", response_model=list[StudySummary])
def worklist(
    actor: WorklistReader,
    session: SessionDep,
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
def draft(study_id: Id, actor: Drafter, session: SessionDep, settings: SettingsDep, request: Request) -> ReportOut:
    """The rule-based draft, at once (a new version when the study has a draft already)."""
    started = time.perf_counter()
    view = rr.draft_now(session, actor, study_id, settings.templates_dir)
    request.app.state.metrics.observe_draft(
        "rules", time.perf_counter() - started, (f.code for f in view.current.flags)
    )
    return ReportOut.of(view)


@router.post("/{study_id}/draft-jobs", status_code=status.HTTP_202_ACCEPTED, response_model=JobOut)
def queue_draft(study_id: Id, body: DraftJobIn, actor: Drafter, session: SessionDep, settings: SettingsDep) -> JobOut:
    """A language-model draft as a job: poll ``GET /api/jobs/{id}``; a backend that is down gives the rule-based
    draft with its N103 flag. Refused (409, E450) when the site requires a qualified backend and this one has
    no passing qualification on record."""
    job = rr.queue_draft(
        session,
        actor,
        study_id,
        {"backend": body.llm},
        settings.templates_dir,
        require_qualified=settings.require_qualified_llm,
    )
    return JobOut.model_validate(job, from_attributes=True)


@router.post("/{study_id}/assign", response_model=AssignmentOut)
def assign(study_id: Id, body: AssignIn, actor: Assigner, session: SessionDep) -> AssignmentOut:
    """Take a study's report over (a physician, to themselves) or assign it to a physician (an admin), with a
    reason; audited. Only the owner may draft, edit, decide flags and sign (403, E504, naming the owner)."""
    done = rr.assign(session, actor, study_id, body.reason, body.to)
    return AssignmentOut(
        study_id=done.study_id, report_id=done.report_id, owner=done.owner, previous_owner=done.previous_owner
    )
