"""Site validations on record: file one, list them, and the rule that refuses an unqualified language model.

A department runs ``ncreport validate-site`` on its own studies and signed reports; the JSON it writes
holds a ``record`` (:func:`reporter.service.validation.record`): input hashes, versions, thresholds,
who ran it and when, and each language-model backend it qualified or not. Filing the record stores it
as validated here (:class:`ValidationRecordIn`, bounded in size, its hashes checked) with one
``llm_qualifications`` row per backend, in one transaction with its audit entry.

With ``NCREPORT_REQUIRE_QUALIFIED_LLM=true`` a language-model draft is refused (E450) unless the latest
qualification on record of the same backend (:mod:`reporter.llm.identity`) passed; the rule-based draft
is never refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Annotated, Any, Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from reporter.domain.thresholds import Thresholds
from reporter.errors import BackendNotQualifiedError, FieldProblem, InputFormatError
from reporter.service.access import Actor, Permission, require
from reporter.storage import audit
from reporter.storage.models import LlmQualification, ValidationRecord

__all__ = [
    "MAX_INPUTS",
    "QualificationIn",
    "QualificationView",
    "ValidationRecordIn",
    "ValidationView",
    "file_validation",
    "list_validations",
    "parse_record",
    "require_qualified",
    "store",
    "stored_validations",
]

MAX_INPUTS = 10_000  # pairs in one validation: 200 is a month of a busy lab; this bounds a year's
_Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
_Text = Annotated[str, Field(min_length=1, max_length=200)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InputHashIn(_Record):
    pair: _Text
    study_sha256: _Sha256 | Annotated[str, Field(max_length=0)] = Field(description="empty: the file was not read")
    report_sha256: _Sha256 | Annotated[str, Field(max_length=0)]


class LabelledHashIn(_Record):
    report: _Text
    sha256: _Sha256


class SiteConfigIn(_Record):
    flag_severity: dict[Annotated[str, Field(max_length=10)], Annotated[str, Field(max_length=20)]] = Field(
        default_factory=dict, max_length=200
    )


class QualificationIn(_Record):
    """One backend as validate-site qualified it (the fields of ``qualify_backend`` the rule needs)."""

    backend: str = Field(pattern=r"^[a-z][a-z0-9_]*\.v[0-9]+$", max_length=40, description="e.g. embedded.v1")
    model: _Text
    weights_sha256: _Sha256 | None = None
    url: str | None = Field(None, max_length=500, pattern=r"^https?://[^@\s]+$")
    qualified: bool
    replaced: float | None = Field(None, ge=0, le=1, description="share of sentences replaced by the rule text")
    max_replaced: float = Field(ge=0, le=1, description="the site's limit on that share")
    studies: int = Field(ge=0, le=MAX_INPUTS)
    sentences: int = Field(ge=0, le=10_000_000)
    not_qualified_because: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _verdict(self) -> Self:
        if self.qualified and self.not_qualified_because:
            raise ValueError("qualified is true but not_qualified_because gives reasons")
        if not self.qualified and not self.not_qualified_because:
            raise ValueError("qualified is false and not_qualified_because is empty")
        return self


class ValidationRecordIn(_Record):
    """The record ``ncreport validate-site`` writes (the ``record`` of its JSON), as filed with the service."""

    date: AwareDatetime = Field(description="when the validation ran (ISO 8601 with its offset)")
    operator: _Text = Field(description="who ran it")
    ncreport_version: str = Field(min_length=1, max_length=50)
    scikit_learn_version: str = Field(min_length=1, max_length=50)
    inputs: list[InputHashIn] = Field(min_length=1, max_length=MAX_INPUTS)
    inputs_sha256: _Sha256
    labelled: list[LabelledHashIn] = Field(default_factory=list, max_length=MAX_INPUTS)
    thresholds: Thresholds
    thresholds_sha256: _Sha256
    site_config: SiteConfigIn = SiteConfigIn()
    models: list[QualificationIn] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _hashes(self) -> Self:
        # The same digests validate-site computed (reporter.service.validation.record): a record edited
        # after the run no longer matches them.
        inputs = hashlib.sha256("".join(f"{i.pair}{i.study_sha256}{i.report_sha256}" for i in self.inputs).encode())
        if inputs.hexdigest() != self.inputs_sha256:
            raise ValueError("inputs_sha256 is not the sha256 of the inputs listed: the record was changed")
        if hashlib.sha256(self.thresholds.model_dump_json().encode()).hexdigest() != self.thresholds_sha256:
            raise ValueError("thresholds_sha256 is not the sha256 of the thresholds given: the record was changed")
        return self


def parse_record(data: Any) -> ValidationRecordIn:
    """A record from JSON data: validate-site's whole output (its ``record`` is taken) or the record alone.

    InputFormatError naming each field otherwise (values withheld: an operator's name is not echoed).
    """
    if isinstance(data, dict) and isinstance(data.get("record"), dict):
        data = data["record"]
    if not isinstance(data, dict):
        raise InputFormatError("a validation record must be a JSON object", [FieldProblem("(root)", "not an object")])
    try:
        return ValidationRecordIn.model_validate(data)
    except ValidationError as exc:
        problems = [
            FieldProblem(".".join(str(p) for p in e["loc"]) or "(root)", e["msg"].removeprefix("Value error, "))
            for e in exc.errors(include_url=False)
        ]
        raise InputFormatError(f"the validation record is not valid ({len(problems)} problem(s))", problems) from None


# ---- views ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QualificationView:
    backend: str
    model: str
    weights_sha256: str | None
    url: str | None
    qualified: bool
    replaced: float | None
    max_replaced: float


@dataclass(frozen=True, slots=True)
class ValidationView:
    id: int
    validated_at: dt.datetime
    operator: str
    pairs: int
    inputs_sha256: str
    thresholds_sha256: str
    ncreport_version: str
    record_sha256: str
    stored_by: str
    stored_at: dt.datetime
    models: tuple[QualificationView, ...]


def _view(row: ValidationRecord) -> ValidationView:
    return ValidationView(
        id=row.id,
        validated_at=row.validated_at,
        operator=row.operator,
        pairs=row.pairs,
        inputs_sha256=row.inputs_sha256,
        thresholds_sha256=row.thresholds_sha256,
        ncreport_version=row.ncreport_version,
        record_sha256=row.record_sha256,
        stored_by=row.stored_by,
        stored_at=row.stored_at,
        models=tuple(
            QualificationView(q.backend, q.model, q.weights_sha256, q.url, q.qualified, q.replaced, q.max_replaced)
            for q in row.qualifications
        ),
    )


# ---- use-cases -----------------------------------------------------------------------------------


def store(session: Session, record: ValidationRecordIn, by: str) -> ValidationView:
    """Store a validated record and its qualifications, with the audit entry, in one transaction."""
    canonical = record.model_dump_json()
    row = ValidationRecord(
        validated_at=record.date,
        operator=record.operator,
        pairs=len(record.inputs),
        inputs_sha256=record.inputs_sha256,
        thresholds_sha256=record.thresholds_sha256,
        ncreport_version=record.ncreport_version,
        record_json=canonical,
        record_sha256=hashlib.sha256(canonical.encode()).hexdigest(),
        stored_by=by,
    )
    row.qualifications = [
        LlmQualification(
            backend=m.backend,
            model=m.model,
            weights_sha256=m.weights_sha256,
            url=None if m.url is None else m.url.rstrip("/"),
            qualified=m.qualified,
            replaced=m.replaced,
            max_replaced=m.max_replaced,
        )
        for m in record.models
    ]
    session.add(row)
    session.flush()
    verdicts = (
        ", ".join(f"{m.backend} {m.model}: {'qualified' if m.qualified else 'not qualified'}" for m in record.models)
        or "no language model"
    )
    audit.append(
        session,
        actor=by,
        action="validation.file",
        detail=f"validation {row.id} of {record.date.isoformat()}: {len(record.inputs)} pairs; {verdicts}",
        input_hash=record.inputs_sha256,
        output_hash=row.record_sha256,
        model=None if not record.models else f"{record.models[0].backend}:{record.models[0].model}",
        weights_hash=None if not record.models else record.models[0].weights_sha256,
    )
    session.commit()
    return _view(row)


def file_validation(session: Session, actor: Actor, record: ValidationRecordIn) -> ValidationView:
    """File a validation record (admin)."""
    require(actor, Permission.FILE_VALIDATION)
    return store(session, record, by=actor.name)


def stored_validations(session: Session, limit: int = 100) -> list[ValidationView]:
    """The validations on record, newest first (the database's owner: ``ncreport validations list``)."""
    rows = session.scalars(
        select(ValidationRecord).order_by(ValidationRecord.validated_at.desc(), ValidationRecord.id.desc()).limit(limit)
    )
    views = [_view(row) for row in rows]
    session.commit()
    return views


def list_validations(session: Session, actor: Actor, limit: int = 100) -> list[ValidationView]:
    require(actor, Permission.READ_VALIDATIONS)
    return stored_validations(session, limit)


def _how_to_qualify(llm: Any) -> str:
    backend = llm.backend.split(".")[0]
    options = f"--llm {backend}"
    if backend == "openai":
        options += f" --llm-url {llm.url} --llm-model {llm.model}"
    return (
        f"qualify it with `ncreport validate-site --studies DIR --reports DIR {options}` and file the JSON it "
        "writes (`ncreport validations add validation.json`, or POST /api/validations as an admin); "
        "the rule-based draft is still available"
    )


def require_qualified(session: Session, llm: dict[str, Any]) -> None:
    """BackendNotQualifiedError (E450) unless the latest qualification on record of this backend passed."""
    from reporter.llm.identity import backend_identity
    from reporter.service.drafting import llm_config

    config = llm_config(llm)
    identity = backend_identity(config)
    if identity is None:  # the rule-based narrative needs no qualification
        return
    query = (
        select(LlmQualification, ValidationRecord)
        .join(ValidationRecord, LlmQualification.validation_id == ValidationRecord.id)
        .where(LlmQualification.backend == identity.backend, LlmQualification.model == identity.model)
    )
    if identity.weights_sha256 is not None:
        query = query.where(LlmQualification.weights_sha256 == identity.weights_sha256)
    if identity.url is not None:
        query = query.where(LlmQualification.url == identity.url)
    latest = session.execute(
        query.order_by(ValidationRecord.validated_at.desc(), ValidationRecord.id.desc()).limit(1)
    ).first()
    session.commit()  # end the read (on SQLite a transaction holds the write lock)
    if latest is not None and latest[0].qualified:
        return
    if latest is None:
        why = "has no qualification on record"
    else:
        record = latest[1]
        why = f"failed its latest qualification (validation {record.id} of {record.validated_at.date().isoformat()})"
    raise BackendNotQualifiedError(
        f"this site drafts only with a qualified language model (NCREPORT_REQUIRE_QUALIFIED_LLM) and {identity} "
        f"{why}: {_how_to_qualify(config)}",
        [FieldProblem("llm", f"{identity.backend} {identity.model!r} is not qualified")],
    )
