"""The page's routes: parse the form, call one use-case, render a template or redirect (post/redirect/get).

The use-cases check every permission (a technologist who posts to a sign URL gets the same E502
as from the API); the templates only hide the controls a role cannot use.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from reporter.api.deps import SessionDep, SettingsDep
from reporter.api.outbound import call_outbound
from reporter.api.schemas import MAX_ID
from reporter.api.sessions import COOKIE, CSRF_COOKIE
from reporter.api.web import forget, views
from reporter.api.web.deps import FormUser, Pages, PageUser, Viewer
from reporter.errors import (
    AuthenticationError,
    FieldProblem,
    InputFormatError,
    InputTooLargeError,
    TooManyAttemptsError,
)
from reporter.service import exporting, monitoring, qa_texts, review
from reporter.service import reading_room as rr
from reporter.service.access import Permission, Role, authenticate_password, create_user, require, set_password
from reporter.service.checking import load_elements, qa_table
from reporter.settings import DEMO_PASSWORD, Settings

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=200_000)]
Short = Annotated[str | None, Form(max_length=2000)]


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# ---- login ----------------------------------------------------------------------------------------


def _demo(settings: Settings) -> str | None:
    """The demo users' password, shown on the login page of ``serve --demo`` only."""
    return DEMO_PASSWORD if settings.demo else None


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, pages: Pages, settings: SettingsDep) -> Response:
    return pages.TemplateResponse(request, "pages/login.html.j2", {"error": None, "name": "", "demo": _demo(settings)})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    pages: Pages,
    db: SessionDep,
    settings: SettingsDep,
    name: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    limiter = request.app.state.login_limiter
    name, address = name.strip(), request.client.host if request.client else "unknown"
    try:
        limiter.check(name, address)
        actor = authenticate_password(db, name, password)
    except TooManyAttemptsError:
        return pages.TemplateResponse(
            request,
            "pages/login.html.j2",
            status_code=429,
            context={
                "demo": _demo(settings),
                "name": name,
                "error": "Too many failed log-ins: wait a quarter of an hour, then try again.",
            },
        )
    except AuthenticationError:
        limiter.failed(name, address)
        return pages.TemplateResponse(
            request,
            "pages/login.html.j2",
            status_code=401,
            context={"demo": _demo(settings), "name": name, "error": "The user name or the password is not right."},
        )
    limiter.succeeded(name, address)
    codec = request.app.state.session_codec
    cookie, data = codec.new(actor.id)
    response = _see_other("/")
    # the API's cookies (reporter.api.routes.session): the page's forms carry data.csrf in a hidden field
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=codec.max_age_s,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        path="/",
    )
    response.set_cookie(
        CSRF_COOKIE,
        data.csrf,
        max_age=codec.max_age_s,
        httponly=False,
        samesite="strict",
        secure=settings.cookie_secure,
        path="/",
    )
    return response


@router.post("/logout")
def logout(viewer: FormUser) -> Response:
    response = _see_other("/login")
    forget(response)
    return response


# ---- worklist and study ---------------------------------------------------------------------------

SORTS = {"unsigned": "newest unsigned first", "date": "study date, newest first", "flags": "open error flags"}


@router.get("/", response_class=HTMLResponse)
def worklist(
    request: Request,
    pages: Pages,
    viewer: PageUser,
    db: SessionDep,
    status: Annotated[str | None, Query(max_length=20)] = None,
    modality: Annotated[str | None, Query(max_length=20)] = None,
    sort: Annotated[str, Query(max_length=20)] = "unsigned",
) -> Response:
    if not viewer.may("READ_WORKLIST"):
        return _see_other("/admin")
    items = rr.worklist(db, viewer.actor, status or None, modality=modality or None)
    if sort == "date":
        items.sort(key=lambda i: (i.study.study_date or "", i.study.id), reverse=True)
    elif sort == "flags":
        items.sort(key=lambda i: (i.open_error_flags, i.study.id), reverse=True)
    return pages.TemplateResponse(
        request,
        "pages/worklist.html.j2",
        {
            "viewer": viewer,
            "items": items,
            "who": {i.study.id: views.who(rr.study_json(i.study, viewer.actor)) for i in items},
            "status": status or "",
            "modality": modality or "",
            "sort": sort,
            "sorts": SORTS,
            "statuses": rr.STATUSES,
            "modalities": ("SPECT", "PET"),
        },
    )


STRESS_FIRST = (
    "type",
    "agent",
    "agent_dose",
    "exercise_protocol",
    "exercise_duration_min",
    "mets",
    "rest_hr_bpm",
    "peak_hr_bpm",
    "rest_sbp_mmhg",
    "rest_dbp_mmhg",
    "peak_sbp_mmhg",
    "peak_dbp_mmhg",
    "angina",
    "st_depression_mm",
    "st_slope",
    "st_leads",
    "termination_reason",
)
FUNCTION_FIRST = (
    "stress_lvef_percent",
    "rest_lvef_percent",
    "stress_edv_ml",
    "stress_esv_ml",
    "rest_edv_ml",
    "rest_esv_ml",
    "tid_ratio",
)


@router.get("/studies/{study_id}", response_class=HTMLResponse)
def study_page(
    request: Request, study_id: int, pages: Pages, viewer: PageUser, db: SessionDep, settings: SettingsDep
) -> Response:
    row = rr.get_study(db, viewer.actor, study_id)
    study = rr.load_study(row)
    submitted = rr.study_json(row, viewer.actor)
    report_row = rr.report_of_study(db, study_id)
    context: dict[str, Any] = {
        "viewer": viewer,
        "row": row,
        "study": study,
        "submitted": submitted,
        "maps": views.polar_maps(study),
        "prior": views.prior_comparison(study),
        "facts": {
            "Stress": views.facts(submitted.get("stress"), STRESS_FIRST),
            "Function": views.facts(submitted.get("function"), FUNCTION_FIRST),
            "Flow": views.facts(submitted.get("flow")),
            "Calcium": views.facts(submitted.get("calcium")),
        },
        "report": None,
    }
    if report_row is not None and viewer.may("READ_REPORT"):
        report = rr.get_report(db, viewer.actor, report_row.id)
        model = review.model_sentences(db, viewer.actor, report.id)
        current = report.current
        context.update(
            report=report,
            current=current,
            model=model,
            signed_version=next((v for v in report.versions if v.signature is not None), None),
            runs=views.marked_text(current.text, current.flags, [m.text for m in model]),
            open_errors=[f for f in current.flags if f.open_error],
            high_risk=review.high_risk_features(db, viewer.actor, report.id),
            communications=review.communications(db, viewer.actor, report.id),
            how_options=review.HOW,
            meaning=rr.SIGN_MEANING,
        )
        context.update(exports=_exports(db, viewer, report.id, settings, has_mrn=study.patient.mrn is not None))
    return pages.TemplateResponse(request, "pages/study.html.j2", context)


def _exports(db: Session, viewer: Viewer, report_id: int, settings: Settings, has_mrn: bool) -> dict[str, Any]:
    """What the export block of a signed report shows (templates/pages/_export.html.j2). An HL7 v2 result is
    filed by the patient's identifier: without an MRN in the study it is not offered, and the page says why."""
    formats = [("text", "Text"), ("pdf", "PDF"), ("dicom-sr", "DICOM SR"), ("dicom-pdf", "DICOM PDF"), ("fhir", "FHIR")]
    return {
        "formats": [*formats, ("hl7", "HL7 v2")] if has_mrn else formats,
        "hl7_missing_mrn": not has_mrn,
        "pacs": exporting.pacs_configured(settings),
        "sends": exporting.sends(db, viewer.actor, report_id),
    }


@router.post("/studies/{study_id}/draft")
def draft(study_id: int, viewer: FormUser, db: SessionDep, settings: SettingsDep) -> Response:
    rr.draft_now(db, viewer.actor, study_id, settings.templates_dir)
    return _see_other(f"/studies/{study_id}#report")


@router.post("/studies/{study_id}/draft-job")
def queue_draft(study_id: int, viewer: FormUser, db: SessionDep, settings: SettingsDep) -> Response:
    """A language-model draft as a job, with the server's model settings (``NCREPORT_LLM_*``)."""
    rr.queue_draft(
        db, viewer.actor, study_id, {}, settings.templates_dir, require_qualified=settings.require_qualified_llm
    )
    return _see_other(f"/studies/{study_id}")


@router.post("/studies/{study_id}/assign")
def take_over(study_id: int, viewer: FormUser, db: SessionDep, reason: Short = None) -> Response:
    """A physician takes over another physician's report (with a reason; audited)."""
    rr.assign(db, viewer.actor, study_id, reason or "")
    return _see_other(f"/studies/{study_id}#report")


@router.post("/reports/{report_id}/edit")
def edit(
    report_id: int,
    viewer: FormUser,
    db: SessionDep,
    settings: SettingsDep,
    text: Text,
    base_version: Annotated[int, Form(ge=1)],
) -> Response:
    rr.edit(db, viewer.actor, report_id, text.replace("\r\n", "\n"), base_version, limit=settings.max_text_bytes)
    return _see_other(f"/reports/{report_id}#report")


@router.post("/reports/{report_id}/flags/{flag_key}")
def decide(
    report_id: int,
    flag_key: str,
    viewer: FormUser,
    db: SessionDep,
    decision: Annotated[str, Form(max_length=10)],
    reason: Short = None,
) -> Response:
    rr.decide_flag(db, viewer.actor, report_id, flag_key, decision, reason)
    return _see_other(f"/reports/{report_id}#flag-{flag_key}")


@router.post("/reports/{report_id}/accept-model-text")
def accept_model_text(report_id: int, viewer: FormUser, db: SessionDep) -> Response:
    review.accept_model_text(db, viewer.actor, report_id)
    return _see_other(f"/reports/{report_id}#report")


@router.post("/reports/{report_id}/sign")
def sign(
    report_id: int,
    viewer: FormUser,
    db: SessionDep,
    settings: SettingsDep,
    version: Annotated[int, Form(ge=1)],
    to_whom: Short = None,
    when: Short = None,
    how: Short = None,
) -> Response:
    critical = None if not (to_whom or when or how) else review.CriticalResult.parse(to_whom, when, how)
    review.sign(db, viewer.actor, report_id, version, critical, templates_dir=settings.templates_dir)
    return _see_other(f"/reports/{report_id}#report")


@router.post("/reports/{report_id}/addenda")
def add_addendum(report_id: int, viewer: FormUser, db: SessionDep, settings: SettingsDep, text: Text) -> Response:
    rr.add_addendum(db, viewer.actor, report_id, text.replace("\r\n", "\n"), limit=settings.max_text_bytes)
    return _see_other(f"/reports/{report_id}#addenda")


@router.post("/reports/{report_id}/addenda/{addendum_id}/sign")
def sign_addendum(
    report_id: int, addendum_id: int, viewer: FormUser, db: SessionDep, settings: SettingsDep
) -> Response:
    rr.sign_addendum(db, viewer.actor, report_id, addendum_id, templates_dir=settings.templates_dir)
    return _see_other(f"/reports/{report_id}#addenda")


@router.post("/reports/{report_id}/send")
async def send(report_id: int, viewer: FormUser, db: SessionDep, settings: SettingsDep) -> Response:
    """The signed report's DICOM SR and PDF to the configured PACS; a failure is an error page naming the PACS."""
    await call_outbound(exporting.send_report, db, viewer.actor, report_id, exporting.pacs_from_settings(settings))
    return _see_other(f"/reports/{report_id}#export")


@router.get("/reports/{report_id}")
def report_page(report_id: int, viewer: PageUser, db: SessionDep) -> Response:
    """The study page of a report (where a post about a report sends the browser back to)."""
    return _see_other(f"/studies/{rr.get_report(db, viewer.actor, report_id).study_id}")


@router.get("/reports/{report_id}/export.txt")
def export_text(report_id: int, viewer: PageUser, db: SessionDep) -> Response:
    return PlainTextResponse(
        rr.export_text(db, viewer.actor, report_id),
        headers={"Content-Disposition": f'attachment; filename="report-{report_id}.txt"'},
    )


# ---- technologist: submit a study -----------------------------------------------------------------


@router.get("/submit", response_class=HTMLResponse)
def submit_form(request: Request, pages: Pages, viewer: PageUser) -> Response:
    require(viewer.actor, Permission.SUBMIT_STUDY)
    return pages.TemplateResponse(request, "pages/submit.html.j2", {"viewer": viewer})


async def _read_upload(upload: UploadFile, limit: int, field: str) -> str:
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise InputTooLargeError(f"{field} is above {limit:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputFormatError("not UTF-8 text", [FieldProblem(field, "a UTF-8 text file")]) from None


@router.post("/submit")
async def submit(
    viewer: FormUser,
    db: SessionDep,
    settings: SettingsDep,
    study: UploadFile,
    prior_report: Annotated[UploadFile | None, Form()] = None,
) -> Response:
    raw = await _read_upload(study, settings.max_study_bytes, "study")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputFormatError(
            "the study file is not JSON", [FieldProblem("study", f"line {exc.lineno}: {exc.msg}")]
        ) from None
    if not isinstance(data, dict):
        raise InputFormatError("the study file is not a JSON object", [FieldProblem("study", "a JSON object")])
    prior = None
    if prior_report is not None and prior_report.filename:
        prior = await _read_upload(prior_report, settings.max_text_bytes, "prior_report")
    row = rr.submit_study(db, viewer.actor, data, prior, limit=settings.max_text_bytes)
    return _see_other(f"/studies/{row.id}")


# ---- QA, monitoring, admin ------------------------------------------------------------------------


@router.get("/qa", response_class=HTMLResponse)
def qa_form(request: Request, pages: Pages, viewer: PageUser) -> Response:
    require(viewer.actor, Permission.RUN_QA)
    return pages.TemplateResponse(request, "pages/qa.html.j2", {"viewer": viewer, "results": None})


@router.post("/qa", response_class=HTMLResponse)
async def qa(
    request: Request,
    pages: Pages,
    viewer: FormUser,
    db: SessionDep,
    settings: SettingsDep,
    source: Annotated[str, Form(max_length=10)] = "signed",
    reports: Annotated[list[UploadFile] | None, Form()] = None,
) -> Response:
    require(viewer.actor, Permission.RUN_QA)
    if source == "upload":
        named = [
            (r.filename or "report", await _read_upload(r, settings.max_text_bytes, "reports"))
            for r in reports or ()
            if r.filename
        ]
        if not named:
            raise InputFormatError("no report chosen", [FieldProblem("reports", "choose one or more .txt files")])
    else:
        named = review.signed_texts(db, viewer.actor)
    results = qa_texts(named)
    elements = load_elements()
    scores = [r.required_score for r in results if r.required_score is not None]
    return pages.TemplateResponse(
        request,
        "pages/qa.html.j2",
        {
            "viewer": viewer,
            "results": results,
            "department": qa_table(results, elements, "html"),
            "mean_score": sum(scores) / len(scores) if scores else None,
            "chart": views.bars(
                [(r.name, None if r.required_score is None else 100 * r.required_score) for r in results],
                fmt="{:.0f} %",
                top=100,
            ),
        },
    )


@router.get("/monitoring", response_class=HTMLResponse)
def monitoring_page(
    request: Request,
    pages: Pages,
    viewer: PageUser,
    db: SessionDep,
    settings: SettingsDep,
    weeks: Annotated[int, Query(ge=1, le=104)] = 12,
) -> Response:
    data = monitoring.weekly(db, viewer.actor, weeks)
    drift = monitoring.input_drift(db, viewer.actor, settings.risk_model_dir, weeks)
    codes = sorted({c for w in data for c in w.flags})
    return pages.TemplateResponse(
        request,
        "pages/monitoring.html.j2",
        {
            "viewer": viewer,
            "weeks": data,
            "codes": codes,
            "drift": drift,
            "grid": views.psi_grid(drift),
            "drafts": views.bars([(w.week, w.drafts) for w in data]),
            "changed": views.bars(
                [(w.week, None if w.changed_share is None else 100 * w.changed_share) for w in data],
                fmt="{:.0f} %",
                top=100,
            ),  # a share: 3 % is a short bar, not a full one
            "latency": views.bars([(w.week, w.median_job_s) for w in data], fmt="{:.1f} s"),
            "flags": views.bars([(c, sum(w.flags[c] for w in data)) for c in codes]),
        },
    )


def _admin_page(
    request: Request,
    pages: Pages,
    viewer: Viewer,
    db: Session,
    after: int | None,
    new_user: tuple[str, str] | None = None,
) -> Response:
    from reporter.service import audit_trail
    from reporter.service.access import list_users

    check = audit_trail.verify(db, viewer.actor)
    shown = 200
    after = max(check.entries - shown, 0) if after is None else after  # the newest entries unless asked
    return pages.TemplateResponse(
        request,
        "pages/admin.html.j2",
        {
            "viewer": viewer,
            "users": list_users(db, viewer.actor),
            "check": check,
            "after": after,
            "shown": shown,
            "entries": audit_trail.entries(db, viewer.actor, after, shown),
            "roles": list(Role),
            "new_user": new_user,
        },
    )


@router.get("/admin", response_class=HTMLResponse)
def admin(
    request: Request,
    pages: Pages,
    viewer: PageUser,
    db: SessionDep,
    after: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
) -> Response:
    return _admin_page(request, pages, viewer, db, after)


@router.post("/admin/users", response_class=HTMLResponse)
def add_user(
    request: Request,
    pages: Pages,
    viewer: FormUser,
    db: SessionDep,
    name: Annotated[str, Form(max_length=100)],
    role: Annotated[str, Form(max_length=20)],
    password: Annotated[str, Form(min_length=12, max_length=1000)],
) -> Response:
    """A user with their page password; their API token is shown once, on the answer."""
    user, token = create_user(db, name, role, by=viewer.actor.name)
    set_password(db, user.name, password, by=viewer.actor.name)
    return _admin_page(request, pages, viewer, db, None, new_user=(user.name, token))
