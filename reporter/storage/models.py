"""The reading room's tables (SQLAlchemy 2 declarative models).

Nothing is overwritten: an edit is a new ``report_versions`` row, a decision on a flag a new
``flag_decisions`` row, a signature a ``signatures`` row holding exactly the text signed (the final
rendering: plain title, body, electronic signature line) and its sha256. ``audit_entries`` is
append-only and hash-chained; the database refuses UPDATE and DELETE on it (triggers created by the
migration, :mod:`reporter.storage.alembic`).

Patient identifiers live in ``studies.study_json`` (and the prior report's text) only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "Addendum",
    "AuditEntry",
    "Base",
    "DicomObject",
    "FlagDecision",
    "Job",
    "LlmQualification",
    "Report",
    "ReportVersion",
    "Signature",
    "StudyRow",
    "User",
    "ValidationRecord",
    "utcnow",
]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A UTC time, aware on the way out on every database (SQLite stores it without its zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        return None if value is None else value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: UtcDateTime(), dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012 (SQLAlchemy reads it)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class StudyRow(Base):
    __tablename__ = "studies"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_json: Mapped[str] = mapped_column(Text, doc="the submitted Study JSON, validated; holds the identifiers")
    prior_report: Mapped[str | None] = mapped_column(Text)
    prior_structured: Mapped[str | None] = mapped_column(Text, doc="the prior report as a PriorStudy (JSON)")
    modality: Mapped[str] = mapped_column(String(20))
    study_date: Mapped[str | None] = mapped_column(String(10))
    input_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    dicom_source: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, doc="the DICOM instances the study was ingested from (UIDs only), referenced by its exports"
    )
    submitted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), index=True, doc="the physician who owns the study's report (drafted or claimed it)"
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    reports: Mapped[list[Report]] = relationship(back_populates="study", order_by="Report.id")


class Report(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft | signed
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    study: Mapped[StudyRow] = relationship(back_populates="reports")
    versions: Mapped[list[ReportVersion]] = relationship(back_populates="report", order_by="ReportVersion.number")
    addenda: Mapped[list[Addendum]] = relationship(back_populates="report", order_by="Addendum.id")


class ReportVersion(Base):
    __tablename__ = "report_versions"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    origin: Mapped[str] = mapped_column(String(40))  # draft:rules | draft:<backend> | edit
    flags: Mapped[list[Any]] = mapped_column(default=list)
    report_json: Mapped[str | None] = mapped_column(Text, doc="the structured draft (findings, provenance)")
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    report: Mapped[Report] = relationship(back_populates="versions")


class FlagDecision(Base):
    __tablename__ = "flag_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id"))
    flag_key: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(10))
    decision: Mapped[str] = mapped_column(String(10))  # accept | override
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Signature(Base):
    __tablename__ = "signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("report_versions.id"), unique=True)
    addendum_id: Mapped[int | None] = mapped_column(ForeignKey("addenda.id"), unique=True)
    signer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    meaning: Mapped[str] = mapped_column(String(200))
    signed_text: Mapped[str] = mapped_column(Text, doc="the final document signed: title, body, signature line")
    text_sha256: Mapped[str] = mapped_column(String(64), doc="sha256 of signed_text")


class Addendum(Base):
    __tablename__ = "addenda"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    signed_version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id"))
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    report: Mapped[Report] = relationship(back_populates="addenda")


class DicomObject(Base):
    """A DICOM object made of a signed report (its SR or its Encapsulated PDF), kept so that every export
    and send of one report state is the same instance, and an addendum's SR can reference the original.

    ``addenda`` is how many signed addenda the object includes (0: the report as first signed).
    """

    __tablename__ = "dicom_objects"
    __table_args__ = (UniqueConstraint("report_id", "kind", "addenda"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("report_versions.id"))
    kind: Mapped[str] = mapped_column(String(20))  # dicom-sr | dicom-pdf
    addenda: Mapped[int] = mapped_column(Integer)
    sop_class_uid: Mapped[str] = mapped_column(String(64))
    sop_instance_uid: Mapped[str] = mapped_column(String(64), unique=True)
    study_instance_uid: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, doc="the DICOM Part 10 file (holds the identifiers)")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), default="queued", index=True)  # queued|running|done|failed
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    worker: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[dt.datetime | None] = mapped_column()
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column()


class AuditEntry(Base):
    """One append-only entry; ``hash`` covers every other column and ``prev_hash`` chains it."""

    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40), doc="ISO 8601, UTC")
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text, doc="what the action was about (a user's name and role)")
    study_id: Mapped[int | None] = mapped_column()
    report_id: Mapped[int | None] = mapped_column()
    version_id: Mapped[int | None] = mapped_column()
    model: Mapped[str | None] = mapped_column(String(200))
    weights_hash: Mapped[str | None] = mapped_column(String(200))
    prompt_versions: Mapped[str | None] = mapped_column(Text)
    input_hash: Mapped[str | None] = mapped_column(String(64))
    output_hash: Mapped[str | None] = mapped_column(String(64))
    flag_decisions: Mapped[str | None] = mapped_column(Text)
    signature: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class ValidationRecord(Base):
    """A site validation filed by the department (``ncreport validate-site``'s record), stored as given."""

    __tablename__ = "validations"

    id: Mapped[int] = mapped_column(primary_key=True)
    validated_at: Mapped[dt.datetime] = mapped_column(doc="when validate-site ran (the record's date)")
    operator: Mapped[str] = mapped_column(String(200), doc="who ran it, as the record says")
    pairs: Mapped[int] = mapped_column(Integer)
    inputs_sha256: Mapped[str] = mapped_column(String(64))
    thresholds_sha256: Mapped[str] = mapped_column(String(64))
    ncreport_version: Mapped[str] = mapped_column(String(50))
    record_json: Mapped[str] = mapped_column(Text, doc="the record as validated, canonical JSON")
    record_sha256: Mapped[str] = mapped_column(String(64))
    stored_by: Mapped[str] = mapped_column(String(100), doc="the user who filed it, or 'cli'")
    stored_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    qualifications: Mapped[list[LlmQualification]] = relationship(
        back_populates="validation", order_by="LlmQualification.id"
    )


class LlmQualification(Base):
    """One language-model backend qualified (or not) by a stored validation: what the drafting rule looks up."""

    __tablename__ = "llm_qualifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    validation_id: Mapped[int] = mapped_column(ForeignKey("validations.id"), index=True)
    backend: Mapped[str] = mapped_column(String(40), index=True)  # versioned: embedded.v1, openai.v1, ...
    model: Mapped[str] = mapped_column(String(200))
    weights_sha256: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(String(500))
    qualified: Mapped[bool] = mapped_column()
    replaced: Mapped[float | None] = mapped_column(Float)
    max_replaced: Mapped[float] = mapped_column(Float)

    validation: Mapped[ValidationRecord] = relationship(back_populates="qualifications")
