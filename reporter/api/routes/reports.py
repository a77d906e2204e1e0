"""Reports: read, edit (a new version, re-verified), decide on flags, sign, addenda, export."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import PlainTextResponse
from fastapi.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from reporter.api.deps import (
    CurrentUser,
    Editor,
    Exporter,
    Id,
    ReportReader,
    ReportSender,
    SessionDep,
    SettingsDep,
    Signer,
)
from reporter.api.outbound import call_outbound
from reporter.api.schemas import (
    AddendumIn,
    AddendumOut,
    EditIn,
    ErrorOut,
    FlagDecisionIn,
    FlagOut,
    JobOut,
    ReportOut,
    SendOut,
    SignAddendumIn,
    SignIn,
    VersionOut,
)
from reporter.service import exporting, jobs
from reporter.service import reading_room as rr

router = APIRouter(prefix="/api", tags=["reports"])
EVENTS_POLL_S = 0.5  # how often a job's stream looks at the job
EVENTS_FOR_S = 600.0  # a stream ends after this; the page reconnects


@router.get("/reports/{report_id}", response_model=ReportOut)
def get(report_id: Id, actor: ReportReader, session: SessionDep) -> ReportOut:
    return ReportOut.of(rr.get_report(session, actor, report_id))


@router.get("/reports/{report_id}/versions/{number}", response_model=VersionOut)
def get_version(report_id: Id, number: Id, actor: ReportReader, session: SessionDep) -> VersionOut:
    from reporter.errors import NotFoundError

    view = rr.get_report(session, actor, report_id)
    version = next((v for v in view.versions if v.number == number), None)
    if version is None:
        raise NotFoundError(f"report {report_id} has no version {number}")
    return VersionOut.of(version)


@router.post("/reports/{report_id}/versions", status_code=status.HTTP_201_CREATED, response_model=VersionOut)
def edit(
    report_id: Id, body: EditIn, actor: Editor, session: SessionDep, settings: SettingsDep, request: Request
) -> VersionOut:
    """Save an edit as a new version; it is verified against the study and its flags returned with spans."""
    version = rr.edit(session, actor, report_id, body.text, body.base_version, limit=settings.max_text_bytes)
    request.app.state.metrics.observe_edit(f.code for f in version.flags)
    return VersionOut.of(version)


@router.post("/reports/{report_id}/flags/{flag_key}", response_model=FlagOut)
def decide(report_id: Id, flag_key: str, body: FlagDecisionIn, actor: Editor, session: SessionDep) -> FlagOut:
    """Accept a flag (it must be fixed) or override it (it is wrong here) with a reason."""
    return FlagOut.of(rr.decide_flag(session, actor, report_id, flag_key, body.decision, body.reason))


@router.post("/reports/{report_id}/sign", response_model=ReportOut)
def sign(report_id: Id, body: SignIn, actor: Signer, session: SessionDep, settings: SettingsDep) -> ReportOut:
    """Sign the version read; refused (409, E402) while an error flag is neither fixed nor overridden.

    The signature holds the final document (plain title, the version's text, the electronic signature line)."""
    return ReportOut.of(
        rr.sign(session, actor, report_id, body.version, body.meaning, templates_dir=settings.templates_dir)
    )


@router.post("/reports/{report_id}/addenda", status_code=status.HTTP_201_CREATED, response_model=AddendumOut)
def add_addendum(
    report_id: Id, body: AddendumIn, actor: Editor, session: SessionDep, settings: SettingsDep
) -> AddendumOut:
    return AddendumOut.of(rr.add_addendum(session, actor, report_id, body.text, limit=settings.max_text_bytes))


@router.post("/reports/{report_id}/addenda/{addendum_id}/sign", response_model=AddendumOut)
def sign_addendum(
    report_id: Id, addendum_id: Id, body: SignAddendumIn, actor: Signer, session: SessionDep, settings: SettingsDep
) -> AddendumOut:
    return AddendumOut.of(
        rr.sign_addendum(session, actor, report_id, addendum_id, body.meaning, templates_dir=settings.templates_dir)
    )


@router.get(
    "/reports/{report_id}/export.txt",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}}}},
)
def export_text(report_id: Id, actor: ReportReader, session: SessionDep) -> PlainTextResponse:
    """The signed report and its signed addenda, each exactly the text signed."""
    return PlainTextResponse(rr.export_text(session, actor, report_id))


ExportFormat = Literal["text", "pdf", "dicom-sr", "dicom-pdf", "fhir", "hl7"]


@router.get(
    "/reports/{report_id}/export/{fmt}",
    response_class=Response,
    responses={
        200: {
            "content": {media_type.split(";")[0]: {} for media_type, _ in exporting.FORMATS.values()},
            "description": "the file",
        }
    },
)
def export(
    report_id: Id,
    fmt: ExportFormat,
    actor: Exporter,
    session: SessionDep,
    deidentify: Annotated[bool, Query(description="DICOM PS3.15 basic profile (pdf, dicom-sr, dicom-pdf)")] = False,
    preliminary: Annotated[bool, Query(description="export an unsigned draft, marked preliminary")] = False,
) -> Response:
    """A signed report (a draft only when marked preliminary) as a file: text, PDF, DICOM SR, DICOM
    Encapsulated PDF, FHIR R4 Bundle or HL7 v2.5.1 ORU^R01."""
    exported = exporting.export_report(session, actor, report_id, fmt, deidentify=deidentify, preliminary=preliminary)
    return Response(
        exported.data,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )


@router.post(
    "/reports/{report_id}/send",
    response_model=SendOut,
    responses={502: {"model": ErrorOut, "description": "the PACS refused or could not be reached (E701)"}},
)
async def send(report_id: Id, actor: ReportSender, session: SessionDep, settings: SettingsDep) -> SendOut:
    """Store the signed report's DICOM SR and Encapsulated PDF in the configured PACS (C-STORE)."""
    result = await call_outbound(
        exporting.send_report, session, actor, report_id, exporting.pacs_from_settings(settings)
    )
    return SendOut(
        destination=result.destination, sop_instance_uids=list(result.sop_instance_uids), warnings=list(result.warnings)
    )


def _job_to_follow(job_id: Id, actor: CurrentUser, session: SessionDep) -> int:
    """The job's id, once the caller may follow it (refused before the stream starts)."""
    job_id = jobs.get_job(session, actor, job_id).id
    session.commit()  # this session lives as long as the stream: hold no transaction (SQLite: its write lock)
    return job_id


@router.get("/jobs/{job_id}/events", response_class=EventSourceResponse, tags=["jobs"])
async def job_events(followed: Annotated[int, Depends(_job_to_follow)], request: Request) -> AsyncIterator[JobOut]:
    """The job's state as server-sent events: one now, one on each change, until it is done or failed.

    Async, so an open stream holds no worker thread; each look at the job is a short query in one.
    """
    sessions = request.app.state.sessions

    def look() -> JobOut:
        with sessions() as session:
            return JobOut.model_validate(jobs.peek(session, followed), from_attributes=True)

    last: JobOut | None = None
    deadline = time.monotonic() + EVENTS_FOR_S
    while time.monotonic() < deadline and not await request.is_disconnected():
        current = await run_in_threadpool(look)
        if current != last:
            yield current
            last = current
        if current.state in ("done", "failed"):
            return
        await asyncio.sleep(EVENTS_POLL_S)


@router.get("/jobs/{job_id}", response_model=JobOut, tags=["jobs"])
def get_job(job_id: Id, actor: CurrentUser, session: SessionDep) -> JobOut:
    """A draft job (physician), a QA job (qa), or a verify or structure batch (its creator)."""
    return JobOut.model_validate(jobs.get_job(session, actor, job_id), from_attributes=True)
