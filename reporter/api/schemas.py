"""Request and response bodies of the API: separate models, never the database's rows.

Requests forbid unknown fields and bound every string; responses are built from the use-cases'
views (:mod:`reporter.service.reading_room`). Patient identifiers appear only in
``StudyOut.study``, and only for roles that need them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from reporter.service import reading_room as rr
from reporter.service.access import Role

MAX_TEXT = 200_000  # characters of a report text in one request (a report is a few thousand)
MAX_ID = 2**31 - 1  # ids and version numbers are 32-bit integers in both databases


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


# ---- errors -------------------------------------------------------------------------------------


class FieldError(_Out):
    field: str
    message: str
    value: Any = None


class ErrorBody(_Out):
    code: str = Field(description="ncreport error code, e.g. E101")
    message: str
    fields: list[FieldError] = []
    request_id: str | None = None


class ErrorOut(_Out):
    error: ErrorBody


# ---- studies ------------------------------------------------------------------------------------


class StudyIn(_In):
    study: dict[str, Any] = Field(description="the Study JSON (`ncreport schema study`)")
    prior_report: str | None = Field(None, max_length=MAX_TEXT, description="a prior report's free text")


class StudySummary(_Out):
    id: int
    status: str
    modality: str
    study_date: str | None
    created_at: dt.datetime
    report_id: int | None = None
    open_error_flags: int = 0
    owner: str | None = Field(None, description="the physician who owns the report (drafted or claimed it)")


class StudyOut(StudySummary):
    study: dict[str, Any] = Field(description="as submitted; identifiers only for roles that need them")
    has_prior_report: bool
    prior_structured: dict[str, Any] | None = Field(None, description="the prior report, structured on arrival")


# ---- reports ------------------------------------------------------------------------------------


class FlagOut(_Out):
    key: str = Field(description="identifies the flag across versions (code, text pointed at, evidence)")
    code: str
    severity: str
    message: str
    span: tuple[int, int] | None = Field(description="[start, end) into the version's text")
    evidence: str
    source: Literal["verify", "draft"]
    decision: Literal["accept", "override"] | None = None
    reason: str | None = None
    decided_by: str | None = None

    @classmethod
    def of(cls, view: rr.FlagView) -> FlagOut:
        return cls(
            key=view.key,
            code=view.code,
            severity=view.severity,
            message=view.message,
            span=view.span,
            evidence=view.evidence,
            source=view.source,
            decision=view.decision,
            reason=view.reason,
            decided_by=view.decided_by,
        )


class SignatureOut(_Out):
    signer: str
    role: str
    signed_at: dt.datetime
    meaning: str
    signed_text: str = Field(description="the final document signed: plain title, text, electronic signature line")
    text_sha256: str = Field(description="sha256 of signed_text (UTF-8)")

    @classmethod
    def of(cls, view: rr.SignatureView | None) -> SignatureOut | None:
        if view is None:
            return None
        return cls(
            signer=view.signer,
            role=view.role,
            signed_at=view.signed_at,
            meaning=view.meaning,
            signed_text=view.signed_text,
            text_sha256=view.text_sha256,
        )


class VersionOut(_Out):
    number: int
    text: str
    text_sha256: str
    origin: str
    author: str
    created_at: dt.datetime
    flags: list[FlagOut]
    signature: SignatureOut | None = None

    @classmethod
    def of(cls, view: rr.VersionView) -> VersionOut:
        return cls(
            number=view.number,
            text=view.text,
            text_sha256=view.text_sha256,
            origin=view.origin,
            author=view.author,
            created_at=view.created_at,
            flags=[FlagOut.of(f) for f in view.flags],
            signature=SignatureOut.of(view.signature),
        )


class AddendumOut(_Out):
    id: int
    text: str
    text_sha256: str
    author: str
    created_at: dt.datetime
    signature: SignatureOut | None

    @classmethod
    def of(cls, view: rr.AddendumView) -> AddendumOut:
        return cls(
            id=view.id,
            text=view.text,
            text_sha256=view.text_sha256,
            author=view.author,
            created_at=view.created_at,
            signature=SignatureOut.of(view.signature),
        )


class ReportOut(_Out):
    id: int
    study_id: int
    status: Literal["draft", "signed"]
    current: VersionOut
    versions: list[int] = Field(description="every version number, oldest first")
    addenda: list[AddendumOut]
    can_sign: bool = Field(description="no error flag of the current version is open")
    owner: str | None = Field(None, description="the physician who may edit, decide flags and sign (E504 otherwise)")

    @classmethod
    def of(cls, view: rr.ReportView) -> ReportOut:
        return cls(
            id=view.id,
            study_id=view.study_id,
            status=view.status,
            owner=view.owner,
            current=VersionOut.of(view.current),
            versions=[v.number for v in view.versions],
            addenda=[AddendumOut.of(a) for a in view.addenda],
            can_sign=view.status == "draft" and not any(f.open_error for f in view.current.flags),
        )


class EditIn(_In):
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    base_version: int = Field(ge=1, le=MAX_ID, description="the version the editor started from (must be current)")


class FlagDecisionIn(_In):
    decision: Literal["accept", "override"]
    reason: str | None = Field(None, max_length=rr.MAX_REASON, description="required for an override")


class SignIn(_In):
    version: int = Field(ge=1, le=MAX_ID, description="the version the physician read: refused if not the current one")
    meaning: str = Field(rr.SIGN_MEANING, min_length=1, max_length=200)


class AddendumIn(_In):
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class SignAddendumIn(_In):
    meaning: str = Field(rr.SIGN_MEANING, min_length=1, max_length=200)


class AssignIn(_In):
    reason: str = Field(min_length=1, max_length=rr.MAX_REASON, description="why the report changes hands (audited)")
    to: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        description="the physician to assign it to (admin); default: the caller takes it over",
    )


class AssignmentOut(_Out):
    study_id: int
    report_id: int | None
    owner: str
    previous_owner: str | None


# ---- jobs ---------------------------------------------------------------------------------------


class DraftJobIn(_In):
    llm: Literal["embedded", "openai", "llamacpp", "fake"] | None = Field(
        None,
        description="the backend (default: the server's, NCREPORT_LLM_BACKEND, else embedded); its URL, "
        "model and settings are the server's (NCREPORT_LLM_*)",
    )


class SendOut(_Out):
    """What the PACS stored: the report's DICOM SR and Encapsulated PDF."""

    destination: str = Field(description="AE title@host:port of the PACS")
    sop_instance_uids: list[str]
    warnings: list[str] = []


class JobOut(_Out):
    id: int
    kind: str
    state: Literal["queued", "running", "done", "failed"]
    attempts: int
    error: str | None
    result: dict[str, Any] | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


# ---- checks -------------------------------------------------------------------------------------


class VerifyIn(_In):
    study_id: int = Field(ge=1, le=MAX_ID)
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    scope: Literal["impression", "full"] = "full"


class CheckFlagOut(_Out):
    code: str
    severity: str
    message: str
    span: tuple[int, int] | None
    evidence: str


class VerifyOut(_Out):
    flags: list[CheckFlagOut]
    passed: bool


class StructureIn(_In):
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class QaReportIn(_In):
    name: str = Field(min_length=1, max_length=200)
    # min_length=1: guardrails' claim reader fails on an empty text (IndexError; reported to the lead)
    text: str = Field(min_length=1, max_length=MAX_TEXT)


class QaIn(_In):
    reports: list[QaReportIn] = Field(min_length=1, max_length=500)


class VerifyJobIn(_In):
    items: list[VerifyIn] = Field(
        min_length=1, max_length=100, description="each text with the study it is verified against (at most 100)"
    )


class StructureJobIn(_In):
    texts: list[Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]] = Field(
        min_length=1, max_length=200, description="free-text reports (at most 200)"
    )


class QaJobIn(_In):
    report_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(
        None, max_length=10_000, description="default: every signed report"
    )


class QaElementOut(_Out):
    id: str
    name: str
    tier: str
    status: Literal["present", "missing", "n/a"]
    span: tuple[int, int] | None


class QaReportOut(_Out):
    name: str
    required_score: float | None
    elements: list[QaElementOut]
    flags: list[CheckFlagOut]
    error: str | None


# ---- admin --------------------------------------------------------------------------------------


class UserIn(_In):
    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._@-]+$")
    role: Role


class UserOut(_Out):
    id: int
    name: str
    role: Role
    active: bool
    created_at: dt.datetime


class NewUserOut(_Out):
    id: int
    name: str
    role: Role
    token: str = Field(description="shown once; only its hash is stored")


class AuditEntryOut(_Out):
    seq: int
    at: str
    actor: str
    action: str
    detail: str | None
    study_id: int | None
    report_id: int | None
    version_id: int | None
    model: str | None
    weights_hash: str | None
    prompt_versions: str | None
    input_hash: str | None
    output_hash: str | None
    flag_decisions: str | None
    signature: str | None
    prev_hash: str
    hash: str


class AuditVerifyOut(_Out):
    entries: int
    ok: bool
    first_problem: str | None
    last_hash: str | None


class LoginIn(_In):
    name: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


class SessionOut(_Out):
    name: str
    role: Role
    permissions: list[str]
    csrf_token: str | None = Field(None, description="send it as X-CSRF-Token on every POST of this session")


class HealthOut(_Out):
    status: Literal["ok"]
    database: str


# ---- site validations ---------------------------------------------------------------------------
# The request body is the record itself: reporter.service.validation_records.ValidationRecordIn.


class QualificationOut(_Out):
    backend: str
    model: str
    weights_sha256: str | None
    url: str | None
    qualified: bool
    replaced: float | None
    max_replaced: float


class ValidationOut(_Out):
    id: int
    validated_at: dt.datetime
    operator: str
    pairs: int
    inputs_sha256: str
    thresholds_sha256: str
    ncreport_version: str
    record_sha256: str = Field(description="sha256 of the record as stored (canonical JSON)")
    stored_by: str
    stored_at: dt.datetime
    models: list[QualificationOut]
