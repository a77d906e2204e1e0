"""The reading room's workflow: submit, draft, edit, decide on flags, sign, add an addendum, export.

Each change is one transaction holding the change and its audit entry (:mod:`reporter.storage.audit`):
both are committed or neither. Nothing is overwritten: an edit is a new version, re-verified
(:func:`reporter.service.checking.verify_text`) with its flags and their spans; a decision on a
flag is a row; a signature binds the signer, the time, its meaning and the sha256 of exactly
the text signed. A signed report is final; it can only be extended by addenda, each signed on
its own.

What is stored and edited is the report's body (:meth:`reporter.render.TemplateSet.body`): no
title banner, no signature line; the page shows the draft status around it. Signing renders
the final document (:meth:`~reporter.render.TemplateSet.signed`: the plain title, the body as
saved, the electronic signature line with the signer's name and role, the UTC time and the
meaning) and the signature holds that text and its sha256; an addendum likewise. A site's
templates (``templates_dir``, ``NCREPORT_TEMPLATES_DIR``) lay out drafts and signed documents.

Flags are identified across versions by a key (code, the text they point at, the evidence), so a
decision taken on one version still applies when an unrelated sentence is edited. Signing is
refused while an error flag of the version to sign is neither fixed (gone from the text) nor
overridden with a reason; accepting a flag says the physician agrees it must be fixed.

A study's report has an owner: the physician who first drafts it (or queues its draft, or claims
it). Another physician may read it, but drafting, editing, deciding its flags and signing are
refused (:class:`~reporter.errors.NotOwnerError`, naming the owner) until the report is assigned to
them with a reason (:func:`assign`: to oneself, or by an admin to a named physician; audited).
Addenda to a signed report are open to any physician: each carries its own author and signer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reporter.domain.limits import MAX_TEXT_CHARS
from reporter.errors import (
    ConflictError,
    FieldProblem,
    InputFormatError,
    InputTooLargeError,
    NotFoundError,
    NotOwnerError,
    PermissionDeniedError,
    SignRefusedError,
)
from reporter.render import Signing
from reporter.service.access import Actor, Permission, require
from reporter.storage import audit
from reporter.storage.models import (
    Addendum,
    FlagDecision,
    Job,
    Report,
    ReportVersion,
    Signature,
    StudyRow,
    User,
    utcnow,
)

if TYPE_CHECKING:
    from reporter.domain.study import Study
    from reporter.report import Report as DraftedReport

__all__ = [
    "IDENTIFIER_FIELDS",
    "STATUSES",
    "AddendumView",
    "FlagView",
    "ReportView",
    "SignatureView",
    "VersionView",
    "WorklistItem",
    "add_addendum",
    "assign",
    "decide_flag",
    "draft_now",
    "edit",
    "export_text",
    "get_report",
    "get_study",
    "list_studies",
    "load_study",
    "owner_name",
    "prepare_draft",
    "qa_of_reports",
    "queue_draft",
    "queue_qa",
    "sign",
    "sign_addendum",
    "study_json",
    "submit_study",
    "worklist",
]

STATUSES = ("new", "drafting", "drafted", "edited", "signed", "addended")
IDENTIFIER_FIELDS = {"patient": ("name", "mrn", "birth_date"), "": ("accession",)}
SIGN_MEANING = "I have reviewed the images and data and approve this report as the final result."
MAX_REASON = 2000


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# ---- studies ------------------------------------------------------------------------------------


def submit_study(
    session: Session,
    actor: Actor,
    study: dict[str, Any],
    prior_report: str | None = None,
    limit: int = MAX_TEXT_CHARS,
    dicom_source: dict[str, Any] | None = None,
) -> StudyRow:
    """Validate and store a study (and a prior report's text, structured on arrival).

    ``dicom_source``: the UIDs of the DICOM instances it was ingested from (:mod:`reporter.service.interop`).
    """
    from reporter.inputs import parse_study

    require(actor, Permission.SUBMIT_STUDY)
    raw = json.dumps(study, sort_keys=True, ensure_ascii=False)
    parsed = parse_study(raw.encode(), what="study")
    prior_structured = None
    if prior_report is not None:
        if len(prior_report) > limit:
            raise InputTooLargeError(f"the prior report is {len(prior_report):,} characters; the limit is {limit:,}")
        from reporter.prior import attach_prior_report

        prior = attach_prior_report(parsed, prior_report).prior  # structured on arrival, once
        prior_structured = None if prior is None else prior.model_dump_json()
    row = StudyRow(
        study_json=raw,
        prior_report=prior_report,
        prior_structured=prior_structured,
        modality=parsed.procedure.modality.value,
        study_date=None if parsed.study_date is None else parsed.study_date.isoformat(),
        input_sha256=sha256(raw),
        submitted_by=actor.id,
        dicom_source=dicom_source,
    )
    session.add(row)
    session.flush()
    audit.append(session, actor=actor.name, action="study.submit", study_id=row.id, input_hash=row.input_sha256)
    session.commit()
    return row


def _study_row(session: Session, study_id: int) -> StudyRow:
    row = session.get(StudyRow, study_id)
    if row is None:
        raise NotFoundError(f"no study {study_id}")
    return row


def get_study(session: Session, actor: Actor, study_id: int) -> StudyRow:
    require(actor, Permission.READ_WORKLIST)
    return _study_row(session, study_id)


def list_studies(
    session: Session,
    actor: Actor,
    status: str | None = None,
    limit: int = 200,
    modality: str | None = None,
    mine: bool = False,
) -> list[StudyRow]:
    """The worklist: newest first (unsigned before signed), optionally one status and one modality;
    ``mine``: only the studies whose report the actor owns."""
    require(actor, Permission.READ_WORKLIST)
    query = select(StudyRow)
    if mine:
        query = query.where(StudyRow.owner_id == actor.id)
    if modality is not None:
        query = query.where(StudyRow.modality == modality)
    if status is not None:
        if status not in STATUSES:
            raise InputFormatError("unknown status", [FieldProblem("status", f"one of {', '.join(STATUSES)}", status)])
        query = query.where(StudyRow.status == status)
    signed = StudyRow.status.in_(("signed", "addended"))
    return list(session.scalars(query.order_by(signed, StudyRow.id.desc()).limit(limit)))


@dataclass(frozen=True, slots=True)
class WorklistItem:
    study: StudyRow
    report_id: int | None
    open_error_flags: int
    owner: str | None = None


def worklist(
    session: Session,
    actor: Actor,
    status: str | None = None,
    limit: int = 200,
    modality: str | None = None,
    mine: bool = False,
) -> list[WorklistItem]:
    """The worklist with each study's report, its owner and how many error flags of its current version are open."""
    rows = list_studies(session, actor, status, limit, modality, mine)
    reports = {r.study_id: r for r in session.scalars(select(Report).where(Report.study_id.in_([s.id for s in rows])))}
    owners = _names(session, {s.owner_id for s in rows if s.owner_id is not None})
    items = []
    for row in rows:
        report = reports.get(row.id)
        open_errors = 0
        if report is not None and report.status == "draft":
            overridden = {
                d.flag_key: d.decision
                for d in session.scalars(
                    select(FlagDecision).where(FlagDecision.report_id == report.id).order_by(FlagDecision.id)
                )
            }
            flags = _latest(session, report).flags
            open_errors = sum(f["severity"] == "error" and overridden.get(f["key"]) != "override" for f in flags)
        items.append(
            WorklistItem(
                row,
                None if report is None else report.id,
                open_errors,
                None if row.owner_id is None else owners[row.owner_id],
            )
        )
    return items


def study_json(row: StudyRow, actor: Actor) -> dict[str, Any]:
    """The study as submitted; identifiers removed unless the actor's role needs them."""
    data: dict[str, Any] = json.loads(row.study_json)
    if actor.may(Permission.SEE_IDENTIFIERS):
        return data
    for key in IDENTIFIER_FIELDS[""]:
        data.pop(key, None)
    for key in IDENTIFIER_FIELDS["patient"]:
        data.get("patient", {}).pop(key, None)
    return data


def load_study(row: StudyRow) -> Study:
    """The stored study, with its prior report (when one was attached) as ``study.prior``, structured on arrival."""
    from reporter.domain.study import PriorStudy
    from reporter.inputs import parse_study

    study = parse_study(row.study_json.encode(), what="study")
    if row.prior_structured is None:
        return study
    return study.model_copy(update={"prior": PriorStudy.model_validate_json(row.prior_structured)})


# ---- flags --------------------------------------------------------------------------------------


def _flag_key(code: str, pointed: str, evidence: str) -> str:
    return sha256(f"{code}\x1f{pointed}\x1f{evidence}")[:16]


def flags_for(text: str, study: Study, drafted: DraftedReport | None = None) -> list[dict[str, Any]]:
    """The verification flags of ``text`` (with spans) and, for a draft, the drafter's own flags."""
    from reporter.service.checking import verify_text

    out: list[dict[str, Any]] = []
    # a draft's Findings are the rules' on this study (default thresholds, as verification's): not evaluated twice
    for flag in verify_text(text, study, scope="full", findings=None if drafted is None else drafted.findings):
        span = None if flag.span is None else [flag.span[0], flag.span[1]]
        pointed = "" if span is None else text[span[0] : span[1]]
        out.append(
            {
                "key": _flag_key(flag.code.value, pointed, flag.evidence),
                "code": flag.code.value,
                "severity": flag.severity.value,
                "message": flag.message,
                "span": span,
                "evidence": flag.evidence,
                "source": "verify",
            }
        )
    for report_flag in () if drafted is None else drafted.flags:
        out.append(
            {
                "key": _flag_key(report_flag.code, "", report_flag.message),
                "code": report_flag.code,
                "severity": report_flag.severity,
                "message": report_flag.message,
                "span": None,
                "evidence": "",
                "source": "draft",
            }
        )
    return out


@dataclass(frozen=True, slots=True)
class FlagView:
    key: str
    code: str
    severity: str
    message: str
    span: tuple[int, int] | None
    evidence: str
    source: str
    decision: str | None = None
    reason: str | None = None
    decided_by: str | None = None

    @property
    def open_error(self) -> bool:
        return self.severity == "error" and self.decision != "override"


@dataclass(frozen=True, slots=True)
class SignatureView:
    signer: str
    role: str
    signed_at: dt.datetime
    meaning: str
    signed_text: str  # the final document signed (title, body, signature line)
    text_sha256: str  # of signed_text


@dataclass(frozen=True, slots=True)
class VersionView:
    number: int
    text: str
    text_sha256: str
    origin: str
    author: str
    created_at: dt.datetime
    flags: tuple[FlagView, ...]
    signature: SignatureView | None = None


@dataclass(frozen=True, slots=True)
class AddendumView:
    id: int
    text: str
    text_sha256: str
    author: str
    created_at: dt.datetime
    signature: SignatureView | None


@dataclass(frozen=True, slots=True)
class ReportView:
    id: int
    study_id: int
    status: str
    versions: tuple[VersionView, ...]
    addenda: tuple[AddendumView, ...] = field(default=())
    owner: str | None = None

    @property
    def current(self) -> VersionView:
        return self.versions[-1]

    @property
    def signature(self) -> SignatureView | None:
        """The signature of the report (of its signed version); None while it is a draft."""
        return next((v.signature for v in self.versions if v.signature is not None), None)


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    return {i: name for i, (name, _) in _people(session, ids).items()}


def _people(session: Session, ids: set[int], actor: Actor | None = None) -> dict[int, tuple[str, str]]:
    """(name, role) by user id; no query when the only one is ``actor`` (authenticated in this request)."""
    if not ids:
        return {}
    if actor is not None and ids == {actor.id}:
        return {actor.id: (actor.name, actor.role.value)}
    return {
        row[0]: (row[1], row[2])
        for row in session.execute(select(User.id, User.name, User.role).where(User.id.in_(ids)))
    }


def _signature_view(sig: Signature | None, people: dict[int, tuple[str, str]]) -> SignatureView | None:
    if sig is None:
        return None
    signer, role = people[sig.signer_id]
    return SignatureView(
        signer=signer,
        role=role,
        signed_at=sig.signed_at,
        meaning=sig.meaning,
        signed_text=sig.signed_text,
        text_sha256=sig.text_sha256,
    )


def _report(session: Session, report_id: int, *, for_update: bool = False) -> Report:
    query = select(Report).where(Report.id == report_id)
    if for_update and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    report = session.scalar(query)
    if report is None:
        raise NotFoundError(f"no report {report_id}")
    return report


def _versions(session: Session, report: Report) -> list[ReportVersion]:
    """The report's versions, oldest first."""
    return list(
        session.scalars(
            select(ReportVersion).where(ReportVersion.report_id == report.id).order_by(ReportVersion.number)
        )
    )


def _decisions(session: Session, report: Report) -> dict[str, FlagDecision]:
    """The decision on each flag key of the report (the latest decision on a flag holds)."""
    decisions: dict[str, FlagDecision] = {}
    for decision in session.scalars(
        select(FlagDecision).where(FlagDecision.report_id == report.id).order_by(FlagDecision.id)
    ):
        decisions[decision.flag_key] = decision
    return decisions


def _view(session: Session, report: Report) -> ReportView:
    versions = _versions(session, report)
    decisions = _decisions(session, report)
    addenda = list(session.scalars(select(Addendum).where(Addendum.report_id == report.id).order_by(Addendum.id)))
    signatures = {
        (s.version_id, s.addendum_id): s
        for s in session.scalars(
            select(Signature).where(
                Signature.version_id.in_([v.id for v in versions]) | Signature.addendum_id.in_([a.id for a in addenda])
            )
        )
    }
    owner_id = session.scalar(select(StudyRow.owner_id).where(StudyRow.id == report.study_id))
    return _assemble_view(session, report, versions, decisions, addenda, signatures, owner_id)


def _assemble_view(
    session: Session,
    report: Report,
    versions: Sequence[ReportVersion],
    decisions: dict[str, FlagDecision],
    addenda: Sequence[Addendum],
    signatures: dict[tuple[int | None, int | None], Signature],
    owner_id: int | None,
    actor: Actor | None = None,
) -> ReportView:
    """The view of a report from its rows (read by :func:`_view`, or known to the use-case that just wrote them)."""
    ids = {v.author_id for v in versions} | {d.decided_by for d in decisions.values()}
    ids |= {a.author_id for a in addenda} | {s.signer_id for s in signatures.values()}
    people = _people(session, ids | ({owner_id} if owner_id is not None else set()), actor)
    names = {i: name for i, (name, _) in people.items()}
    return ReportView(
        id=report.id,
        study_id=report.study_id,
        status=report.status,
        versions=tuple(_version_view(v, decisions, names, signatures.get((v.id, None)), people) for v in versions),
        addenda=tuple(
            AddendumView(
                id=a.id,
                text=a.text,
                text_sha256=a.text_sha256,
                author=names[a.author_id],
                created_at=a.created_at,
                signature=_signature_view(signatures.get((None, a.id)), people),
            )
            for a in addenda
        ),
        owner=None if owner_id is None else names[owner_id],
    )


def _version_view(
    v: ReportVersion,
    decisions: dict[str, FlagDecision],
    names: dict[int, str],
    signature: Signature | None,
    people: dict[int, tuple[str, str]],
) -> VersionView:
    def flag_view(raw: dict[str, Any]) -> FlagView:
        decision = decisions.get(raw["key"])
        return FlagView(
            key=raw["key"],
            code=raw["code"],
            severity=raw["severity"],
            message=raw["message"],
            span=None if raw["span"] is None else (raw["span"][0], raw["span"][1]),
            evidence=raw["evidence"],
            source=raw["source"],
            decision=None if decision is None else decision.decision,
            reason=None if decision is None else decision.reason,
            decided_by=None if decision is None else names[decision.decided_by],
        )

    return VersionView(
        number=v.number,
        text=v.text,
        text_sha256=v.text_sha256,
        origin=v.origin,
        author=names[v.author_id],
        created_at=v.created_at,
        flags=tuple(flag_view(f) for f in v.flags),
        signature=_signature_view(signature, people),
    )


def get_report(session: Session, actor: Actor, report_id: int) -> ReportView:
    require(actor, Permission.READ_REPORT)
    return _view(session, _report(session, report_id))


def report_of_study(session: Session, study_id: int) -> Report | None:
    return session.scalar(select(Report).where(Report.study_id == study_id))


# ---- ownership ----------------------------------------------------------------------------------


def _locked_study(session: Session, study_id: int) -> StudyRow:
    """The study row, locked against a concurrent owner change (PostgreSQL; SQLite's write lock serialises)."""
    query = select(StudyRow).where(StudyRow.id == study_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = session.scalar(query)
    if row is None:
        raise NotFoundError(f"no study {study_id}")
    return row


def _own(session: Session, actor: Actor, row: StudyRow) -> None:
    """Refuse (NotOwnerError, naming the owner) unless the actor owns the study's report; a report
    without an owner becomes the actor's (the caller commits it with its change)."""
    if row.owner_id is None:
        row.owner_id = actor.id
        return
    if row.owner_id != actor.id:
        owner = _names(session, {row.owner_id})[row.owner_id]
        raise NotOwnerError(
            f"the report of study {row.id} is owned by {owner}; take it over first "
            f"(POST /api/studies/{row.id}/assign with a reason)",
            [FieldProblem("owner", "the physician who owns the report", owner)],
        )


def _check_reason(reason: str | None, required_for: str) -> str | None:
    reason = (reason or "").strip() or None
    if reason is None and required_for:
        raise InputFormatError(
            f"{required_for} needs a reason", [FieldProblem("reason", f"required for {required_for}")]
        )
    if reason is not None and len(reason) > MAX_REASON:
        raise InputTooLargeError(f"the reason is {len(reason):,} characters; the limit is {MAX_REASON:,}")
    return reason


def owner_name(session: Session, row: StudyRow) -> str | None:
    """The user name of the physician who owns the study's report (None: nobody yet)."""
    return None if row.owner_id is None else _names(session, {row.owner_id})[row.owner_id]


@dataclass(frozen=True, slots=True)
class Assignment:
    study_id: int
    report_id: int | None
    owner: str
    previous_owner: str | None


def assign(session: Session, actor: Actor, study_id: int, reason: str, to: str | None = None) -> Assignment:
    """Make a physician the owner of a study's report, with a reason (audited): the actor themselves
    (a physician taking it over, ``to`` None or their own name), or, for an admin, the physician ``to``."""
    reason_given = _check_reason(reason, "an assignment")
    if to is None or to == actor.name:
        require(actor, Permission.TAKE_OVER)
        target_id, target_name = actor.id, actor.name
    else:
        if not actor.may(Permission.ASSIGN_REPORTS):
            raise PermissionDeniedError(f"the {actor.role} role may assign a report only to themselves")
        user = session.scalar(select(User).where(User.name == to))
        if user is None or not user.active or user.role != "physician":
            raise InputFormatError("not an active physician", [FieldProblem("to", "an active physician's user name")])
        target_id, target_name = user.id, user.name
    row = _locked_study(session, study_id)
    report = report_of_study(session, study_id)
    if report is not None and report.status == "signed":
        raise ConflictError(f"report {report.id} is signed and final; write an addendum instead")
    previous = None if row.owner_id is None else _names(session, {row.owner_id})[row.owner_id]
    if row.owner_id != target_id:
        row.owner_id = target_id
        session.flush()
        audit.append(
            session,
            actor=actor.name,
            action="report.assign",
            study_id=row.id,
            report_id=None if report is None else report.id,
            detail=f"owner {previous or '(none)'} -> {target_name}; reason: {reason_given}",
        )
    session.commit()
    return Assignment(row.id, None if report is None else report.id, target_name, previous)


# ---- drafting -----------------------------------------------------------------------------------


def _llm_audit(drafted: DraftedReport) -> dict[str, Any]:
    llm = drafted.provenance.llm or {}
    return {
        "model": f"{llm['backend']}:{llm['model']}" if llm else "rules",
        "weights_hash": llm.get("weights_sha256"),
        "prompt_versions": {k: llm[k] for k in ("prompt_template", "repair_template") if k in llm} or None,
    }


def add_draft_version(
    session: Session, actor: Actor, study_id: int, drafted: DraftedReport, text: str, flags: list[dict[str, Any]]
) -> ReportView:
    """Store a drafted report, with its flags, as the next version of the study's report (the actor owns it).

    The view returned is read before the caller commits: a first draft's is made from the rows just written
    (one version, the actor's; no decision, addendum or signature yet), a later draft's is read whole.
    """
    study_row = _locked_study(session, study_id)
    _own(session, actor, study_row)
    report = report_of_study(session, study_row.id)
    if report is not None and report.status == "signed":
        raise ConflictError(f"report {report.id} is signed and final; write an addendum instead")
    study_row.status = "drafted"  # flushed with the report's row: one UPDATE of the study (owner and status)
    first = report is None
    if report is None:
        report = Report(study_id=study_row.id)
        session.add(report)
        session.flush()
    number = (
        1
        if first
        else (session.scalar(select(func.max(ReportVersion.number)).where(ReportVersion.report_id == report.id)) or 0)
        + 1
    )
    llm = drafted.provenance.llm
    version = ReportVersion(
        report_id=report.id,
        number=number,
        text=text,
        text_sha256=sha256(text),
        origin="draft:rules" if not llm else f"draft:{llm['backend']}",
        flags=flags,
        report_json=drafted.model_dump_json(),
        author_id=actor.id,
    )
    session.add(version)
    session.flush()
    audit.append(
        session,
        actor=actor.name,
        action="report.draft",
        study_id=study_row.id,
        report_id=report.id,
        version_id=version.id,
        input_hash=study_row.input_sha256,
        output_hash=version.text_sha256,
        **_llm_audit(drafted),
    )
    if first:
        return _assemble_view(session, report, [version], {}, [], {}, study_row.owner_id, actor)
    return _view(session, report)


def prepare_draft(
    study_row: StudyRow, llm: dict[str, Any], templates_dir: Path | None = None
) -> tuple[DraftedReport, str, list[dict[str, Any]]]:
    """The drafted report, its body text and the text's flags (slow work: run it outside a write transaction).

    The body has no DRAFT banner and no signature line: the page says it is a draft, and signing
    adds the title and the signature (:func:`sign`).
    """
    study = load_study(study_row)  # the prior report, when there is one, is attached here
    return draft_study(study, llm, templates_dir)


def draft_study(
    study: Study, llm: dict[str, Any], templates_dir: Path | None = None
) -> tuple[DraftedReport, str, list[dict[str, Any]]]:
    """A study's drafted report, its body text laid out by ``templates_dir`` and the text's flags."""
    from reporter.render import template_set
    from reporter.service.drafting import DraftOptions, draft

    drafted = draft(study, DraftOptions(llm=llm, templates_dir=templates_dir)).report
    text = template_set(templates_dir).body(drafted)
    return drafted, text, flags_for(text, study, drafted)


def draft_now(session: Session, actor: Actor, study_id: int, templates_dir: Path | None = None) -> ReportView:
    """The rule-based draft, at once, as a new version of the study's report (laid out by ``templates_dir``)."""
    require(actor, Permission.DRAFT)
    row = _study_row(session, study_id)
    if row.owner_id is not None:
        _own(session, actor, row)  # refused before the work; checked again under the lock
    session.commit()  # end the read first: on SQLite every transaction holds the write lock (BEGIN IMMEDIATE)
    drafted, text, flags = prepare_draft(row, {"backend": "none"}, templates_dir)
    view = add_draft_version(session, actor, study_id, drafted, text, flags)
    session.commit()
    return view


def queue_draft(
    session: Session,
    actor: Actor,
    study_id: int,
    llm: dict[str, Any],
    templates_dir: Path | None = None,
    require_qualified: bool = False,
) -> Job:
    """A language-model draft as a job (run by a worker: :mod:`reporter.service.jobs`), laid out by
    ``templates_dir``.

    ``require_qualified`` (``NCREPORT_REQUIRE_QUALIFIED_LLM``): refused (E450) unless the backend's latest
    qualification on record passed (:mod:`reporter.service.validation_records`).
    """
    from reporter.service.drafting import llm_config

    require(actor, Permission.DRAFT)
    if require_qualified:  # first: hashing the weights (once per file) must not hold SQLite's write lock
        from reporter.service.validation_records import require_qualified as check_qualified

        check_qualified(session, llm)
    row = _locked_study(session, study_id)
    _own(session, actor, row)  # queueing a draft claims the report
    report = report_of_study(session, study_id)
    if report is not None and report.status == "signed":
        raise ConflictError(f"report {report.id} is signed and final; write an addendum instead")
    llm_config(llm)  # incomplete settings are refused now, not in the worker
    payload = {
        "study_id": study_id,
        "llm": llm,
        "templates_dir": None if templates_dir is None else str(templates_dir),
        "require_qualified": require_qualified,
    }
    job = Job(kind="draft", payload=payload, created_by=actor.id)
    session.add(job)
    if row.status == "new":
        row.status = "drafting"
    session.flush()
    audit.append(
        session,
        actor=actor.name,
        action="job.queue",
        detail=f"job {job.id}: draft",
        study_id=study_id,
        input_hash=row.input_sha256,
    )
    session.commit()
    return job


def queue_qa(session: Session, actor: Actor, report_ids: list[int] | None = None) -> Job:
    """A QA batch over stored reports (the signed version, else the current one) as a job; None: every signed one.

    Only ids go into the job: report texts stay in their version rows.
    """
    require(actor, Permission.RUN_QA)
    if report_ids is None:
        report_ids = list(session.scalars(select(Report.id).where(Report.status == "signed").order_by(Report.id)))
    else:
        found = set(session.scalars(select(Report.id).where(Report.id.in_(report_ids))))
        missing = [i for i in report_ids if i not in found]
        if missing:
            raise NotFoundError(f"no report {missing[0]}", [FieldProblem("report_ids", "unknown id", missing[0])])
    job = Job(kind="qa", payload={"report_ids": report_ids}, created_by=actor.id)
    session.add(job)
    session.flush()
    audit.append(session, actor=actor.name, action="job.queue", detail=f"job {job.id}: qa of {len(report_ids)}")
    session.commit()
    return job


def qa_of_reports(session: Session, report_ids: list[int]) -> dict[str, Any]:
    """The ASNC checklist of each report's signed (else current) version, and the department's summary."""
    from reporter.service.checking import qa_texts

    named = []
    for report_id in report_ids:
        report = _report(session, report_id)
        view = _view(session, report)
        named.append((str(report_id), view.current.text if view.signature is None else view.signature.signed_text))
    session.commit()
    results = qa_texts(named)
    rows: list[dict[str, Any]] = [
        {
            "report_id": int(r.name),
            "required_score": r.required_score,
            "error": r.error,
            "missing_required": [e.element.id for e in r.missing("required")],
            "flags": [f.code.value for f in r.flags],
        }
        for r in results
    ]
    scores = [r.required_score for r in results if r.required_score is not None]
    return {
        "reports": rows,
        "summary": {
            "reports": len(rows),
            "mean_required_score": round(sum(scores) / len(scores), 3) if scores else None,
            "with_flags": sum(1 for r in results if r.flags),
        },
    }


# ---- edit, flags, sign, addenda -----------------------------------------------------------------


def _check_text(text: str, limit: int, what: str = "text") -> str:
    if not text.strip():
        raise InputFormatError(f"the {what} is empty", [FieldProblem(what, "must not be empty")])
    if len(text) > limit:
        raise InputTooLargeError(f"the {what} is {len(text):,} characters; the limit is {limit:,}")
    return text


def _latest(session: Session, report: Report) -> ReportVersion:
    version = session.scalar(
        select(ReportVersion).where(ReportVersion.report_id == report.id).order_by(ReportVersion.number.desc()).limit(1)
    )
    if version is None:  # a report row is only created with its first version
        raise NotFoundError(f"report {report.id} has no version")
    return version


def _expect_current(report: Report, latest: ReportVersion, base_version: int) -> None:
    if report.status == "signed":
        raise ConflictError(f"report {report.id} is signed and final; write an addendum instead")
    if base_version != latest.number:
        raise ConflictError(
            f"report {report.id} is at version {latest.number}, not {base_version}: reload it",
            [FieldProblem("base_version", f"the current version is {latest.number}", base_version)],
        )


def edit(
    session: Session, actor: Actor, report_id: int, text: str, base_version: int, limit: int = MAX_TEXT_CHARS
) -> VersionView:
    """Save ``text`` as the next version of the report, re-verified; ``base_version`` is the one the editor saw."""
    require(actor, Permission.EDIT)
    _check_text(text, limit)
    study_row = _study_row(session, _report(session, report_id).study_id)
    if study_row.owner_id is not None:
        _own(session, actor, study_row)  # refused before the verification; checked again under the lock
    session.commit()  # end the read first: on SQLite every transaction holds the write lock (BEGIN IMMEDIATE)
    flags = flags_for(text, load_study(study_row))  # outside any transaction; the state is checked again below
    report = _report(session, report_id, for_update=True)
    latest = _latest(session, report)
    _expect_current(report, latest, base_version)
    study_row = _locked_study(session, report.study_id)
    _own(session, actor, study_row)
    version = ReportVersion(
        report_id=report.id,
        number=latest.number + 1,
        text=text,
        text_sha256=sha256(text),
        origin="edit",
        flags=flags,
        author_id=actor.id,
    )
    session.add(version)
    study_row.status = "edited"
    session.flush()
    audit.append(
        session,
        actor=actor.name,
        action="report.edit",
        study_id=report.study_id,
        report_id=report.id,
        version_id=version.id,
        input_hash=latest.text_sha256,
        output_hash=version.text_sha256,
    )
    # the new version's view, read in this transaction: its flags with the decisions taken on earlier versions
    # (a draft version has no signature); the report's other versions are not part of the answer
    decisions = _decisions(session, report)
    people = _people(session, {actor.id} | {d.decided_by for d in decisions.values()}, actor)
    view = _version_view(version, decisions, {i: name for i, (name, _) in people.items()}, None, people)
    session.commit()
    return view


def decide_flag(
    session: Session, actor: Actor, report_id: int, flag_key: str, decision: str, reason: str | None = None
) -> FlagView:
    """Accept (it must be fixed) or override (it is wrong; a reason is required) a flag of the current version."""
    require(actor, Permission.EDIT)
    if decision not in ("accept", "override"):
        raise InputFormatError("unknown decision", [FieldProblem("decision", "accept or override", decision)])
    reason = _check_reason(reason, "an override" if decision == "override" else "")
    report = _report(session, report_id, for_update=True)
    if report.status == "signed":
        raise ConflictError(f"report {report.id} is signed and final")
    _own(session, actor, _locked_study(session, report.study_id))
    latest = _latest(session, report)
    flag = next((f for f in latest.flags if f["key"] == flag_key), None)
    if flag is None:
        raise NotFoundError(f"version {latest.number} of report {report.id} has no flag {flag_key}")
    session.add(
        FlagDecision(
            report_id=report.id,
            version_id=latest.id,
            flag_key=flag_key,
            code=flag["code"],
            decision=decision,
            reason=reason,
            decided_by=actor.id,
        )
    )
    session.flush()
    audit.append(
        session,
        actor=actor.name,
        action=f"flag.{decision}",
        study_id=report.study_id,
        report_id=report.id,
        version_id=latest.id,
        output_hash=latest.text_sha256,
        flag_decisions=[{"key": flag_key, "code": flag["code"], "decision": decision, "reason": reason}],
    )
    session.commit()
    return next(f for f in _view(session, report).current.flags if f.key == flag_key)


def _signing(actor: Actor, meaning: str) -> Signing:
    return Signing(signer=actor.name, role=actor.role.value, signed_at=utcnow().replace(microsecond=0), meaning=meaning)


def _open_errors(
    session: Session, report: Report, latest: ReportVersion, decided: dict[str, FlagDecision] | None = None
) -> list[FlagView]:
    """The error flags of ``latest`` neither fixed nor overridden (the latest decision on a flag holds);
    what signing checks, without building the whole report's view (``decided``: the report's decisions, read)."""
    decisions = {k: d.decision for k, d in (_decisions(session, report) if decided is None else decided).items()}
    return [
        FlagView(
            key=f["key"],
            code=f["code"],
            severity=f["severity"],
            message=f["message"],
            span=None,
            evidence=f["evidence"],
            source=f["source"],
            decision=decisions.get(f["key"]),
        )
        for f in latest.flags
        if f["severity"] == "error" and decisions.get(f["key"]) != "override"
    ]


def _signature(session: Session, actor: Actor, signing: Signing, text: str, **target: int) -> Signature:
    """The signature row: the final text signed, its sha256, who, when and what it means."""
    sig = Signature(
        signer_id=actor.id,
        meaning=signing.meaning,
        signed_at=signing.signed_at,
        signed_text=text,
        text_sha256=sha256(text),
        **target,
    )
    session.add(sig)
    session.flush()
    return sig


def _signature_record(actor: Actor, sig: Signature) -> dict[str, Any]:
    return {
        "signer": actor.name,
        "signed_at": sig.signed_at.isoformat(),
        "meaning": sig.meaning,
        "text_sha256": sig.text_sha256,
    }


def sign(
    session: Session,
    actor: Actor,
    report_id: int,
    version: int,
    meaning: str = SIGN_MEANING,
    templates_dir: Path | None = None,
) -> ReportView:
    """Sign ``version`` (the one the physician read); refused while an error flag is open. Signed is final.

    The signature holds the final document (:meth:`reporter.render.TemplateSet.signed`: the plain title,
    the version's body, the electronic signature line) and the sha256 of exactly that text.
    """
    from reporter.render import template_set

    require(actor, Permission.SIGN)
    report = _report(session, report_id, for_update=True)
    versions = _versions(session, report)
    if not versions:  # a report row is only created with its first version
        raise NotFoundError(f"report {report.id} has no version")
    latest = versions[-1]
    _expect_current(report, latest, version)
    study_row = _locked_study(session, report.study_id)
    _own(session, actor, study_row)
    decisions = _decisions(session, report)
    open_errors = _open_errors(session, report, latest, decisions)
    if open_errors:
        raise SignRefusedError(
            f"version {latest.number} has {len(open_errors)} error flag(s) neither fixed nor overridden",
            [FieldProblem(f"flags.{f.key}", f"{f.code}: {f.message}") for f in open_errors],
        )
    signing = _signing(actor, meaning)
    final = template_set(templates_dir).signed(latest.text, signing)
    sig = _signature(session, actor, signing, final, version_id=latest.id)
    report.status = "signed"
    study_row.status = "signed"
    session.flush()
    audit.append(
        session,
        actor=actor.name,
        action="report.sign",
        study_id=report.study_id,
        report_id=report.id,
        version_id=latest.id,
        input_hash=latest.text_sha256,
        output_hash=sig.text_sha256,
        signature=_signature_record(actor, sig),
    )
    # the signed report's view, from the rows of this transaction: a report is signed once, and has no
    # addendum before (an addendum needs a signed report), so this signature is its only one
    view = _assemble_view(session, report, versions, decisions, [], {(latest.id, None): sig}, study_row.owner_id, actor)
    session.commit()
    return view


def add_addendum(
    session: Session, actor: Actor, report_id: int, text: str, limit: int = MAX_TEXT_CHARS
) -> AddendumView:
    """An addendum to a signed report (its own text, signed separately)."""
    require(actor, Permission.EDIT)
    _check_text(text, limit)
    report = _report(session, report_id, for_update=True)
    if report.status != "signed":
        raise ConflictError(f"report {report.id} is not signed: edit it instead of adding an addendum")
    latest = _latest(session, report)
    addendum = Addendum(
        report_id=report.id, signed_version_id=latest.id, text=text, text_sha256=sha256(text), author_id=actor.id
    )
    session.add(addendum)
    session.flush()
    audit.append(
        session,
        actor=actor.name,
        action="addendum.create",
        study_id=report.study_id,
        report_id=report.id,
        version_id=latest.id,
        output_hash=addendum.text_sha256,
    )
    session.commit()
    return next(a for a in _view(session, report).addenda if a.id == addendum.id)


def sign_addendum(
    session: Session,
    actor: Actor,
    report_id: int,
    addendum_id: int,
    meaning: str = SIGN_MEANING,
    templates_dir: Path | None = None,
) -> AddendumView:
    """Sign an addendum: its final document (title naming the report, its text, the signature line) and sha256."""
    from reporter.render import template_set

    require(actor, Permission.SIGN)
    report = _report(session, report_id, for_update=True)
    addendum = session.get(Addendum, addendum_id)
    if addendum is None or addendum.report_id != report.id:
        raise NotFoundError(f"report {report.id} has no addendum {addendum_id}")
    if session.scalar(select(Signature).where(Signature.addendum_id == addendum.id)) is not None:
        raise ConflictError(f"addendum {addendum_id} is already signed")
    report_signature = session.scalar(select(Signature).where(Signature.version_id == addendum.signed_version_id))
    if report_signature is None:  # an addendum is only written to a signed report
        raise ConflictError(f"report {report.id} is not signed")
    people = _people(session, {report_signature.signer_id})
    signed_by, role = people[report_signature.signer_id]
    number = 1 + (
        session.scalar(
            select(func.count()).select_from(Addendum).where(Addendum.report_id == report.id, Addendum.id < addendum.id)
        )
        or 0
    )
    signing = _signing(actor, meaning)
    final = template_set(templates_dir).signed_addendum(
        addendum.text, signing, number, Signing(signed_by, role, report_signature.signed_at, report_signature.meaning)
    )
    sig = _signature(session, actor, signing, final, addendum_id=addendum.id)
    _study_row(session, report.study_id).status = "addended"
    audit.append(
        session,
        actor=actor.name,
        action="addendum.sign",
        study_id=report.study_id,
        report_id=report.id,
        version_id=addendum.signed_version_id,
        input_hash=addendum.text_sha256,
        output_hash=sig.text_sha256,
        signature={**_signature_record(actor, sig), "addendum_id": addendum.id},
    )
    session.commit()
    return next(a for a in _view(session, report).addenda if a.id == addendum.id)


def export_text(session: Session, actor: Actor, report_id: int) -> str:
    """The signed report as text: exactly the signed document, then each signed addendum's, a blank line apart."""
    view = get_report(session, actor, report_id)
    if view.signature is None:
        raise ConflictError(f"report {report_id} is not signed; only a signed report is exported")
    return signed_documents(
        [view.signature.signed_text, *(a.signature.signed_text for a in view.addenda if a.signature is not None)]
    )


def signed_documents(texts: Sequence[str]) -> str:
    """The signed report then its signed addenda, each exactly as signed, a blank line apart (export.txt)."""
    return "\n\n\n".join(text.rstrip("\n") for text in texts) + "\n"
