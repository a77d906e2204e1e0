"""Exporting a stored report (text, PDF, DICOM SR, DICOM Encapsulated PDF, FHIR R4, HL7 v2) and sending it to a PACS.

Only a signed report exports; a draft only when the caller marks it preliminary. What exports is
the signed version's text, mapped onto the exporters' Report (its sections and sentences; the
identification header and the unsigned-signature footer of the drafted layout are left out: the
exporters write the patient block from the study, so de-identification covers it) and an
Attestation (signer, time, meaning, the signed addenda). The coded conclusions of the draft (the
perfusion result, the level of risk) go into the SR and FHIR only when the physician signed the
drafted text unchanged: after an edit, they could contradict the text signed.

The DICOM objects of a signed report are made once per report state (as first signed; with N signed
addenda) and kept (``dicom_objects``): every export and send of that state is the same instance, and
the SR of an addended report references the original as its predecessor. De-identified and
preliminary objects are made fresh each time and not kept.

Each export and each send (or failed send) is an audit entry: who, which version, the format or the
destination and SOP Instance UIDs, the hash of what left; never a patient identifier.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reporter.errors import ConflictError, DeliveryError, FieldProblem, InputFormatError, InternalError, NotFoundError
from reporter.service.access import Actor, Permission, require
from reporter.storage import audit
from reporter.storage.models import (
    Addendum,
    AuditEntry,
    DicomObject,
    Report,
    ReportVersion,
    Signature,
    StudyRow,
    User,
)

if TYPE_CHECKING:
    from reporter.domain.study import Study
    from reporter.interop.dicom_send import Pacs
    from reporter.interop.signature import Attestation
    from reporter.report import Report as DraftedReport
    from reporter.settings import Settings

__all__ = [
    "FORMATS",
    "ExportedFile",
    "SendRecord",
    "SendResult",
    "export_report",
    "pacs_configured",
    "pacs_from_settings",
    "send_report",
    "sends",
]

# format -> (media type, file extension)
FORMATS: dict[str, tuple[str, str]] = {
    "text": ("text/plain; charset=utf-8", "txt"),
    "pdf": ("application/pdf", "pdf"),
    "dicom-sr": ("application/dicom", "dcm"),
    "dicom-pdf": ("application/dicom", "dcm"),
    "fhir": ("application/fhir+json", "json"),
    "hl7": ("x-application/hl7-v2+er7; charset=utf-8", "hl7"),
}
KEPT = ("dicom-sr", "dicom-pdf")  # the formats whose signed objects are kept (same instance on every export)
DEIDENTIFIABLE = ("pdf", "dicom-sr", "dicom-pdf")
_FOOTER = re.compile(r"^(Interpreting physician:|Electronically signed by|---\s*$)")
_NUMBERED = re.compile(r"^\d{1,2}\.\s+")

Who = Actor | str  # a user of the service, or the local operator of the CLI (who holds the database's keys)


@dataclass(frozen=True, slots=True)
class ExportedFile:
    data: bytes
    media_type: str
    filename: str
    status: str  # preliminary | final | appended
    sop_instance_uid: str | None = None


@dataclass(frozen=True, slots=True)
class SendResult:
    destination: str
    sop_instance_uids: tuple[str, ...]
    warnings: tuple[str, ...] = ()


def _check(who: Who, permission: Permission) -> str:
    if isinstance(who, Actor):
        require(who, permission)
        return who.name
    return who


def _sha256(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


# ---- the stored report as the exporters' Report + Attestation ----------------------------------


@dataclass(frozen=True, slots=True)
class _State:
    """A report as it exports: the version, its signature (None: preliminary) and the signed addenda."""

    report: Report
    study: StudyRow
    version: ReportVersion
    signature: Signature | None
    addenda: tuple[tuple[Addendum, Signature], ...]

    @property
    def status(self) -> str:
        if self.signature is None:
            return "preliminary"
        return "appended" if self.addenda else "final"


def _state(session: Session, report_id: int, preliminary: bool) -> _State:
    report = session.get(Report, report_id)
    if report is None:
        raise NotFoundError(f"no report {report_id}", [FieldProblem("report_id", "unknown id", report_id)])
    study = session.get(StudyRow, report.study_id)
    versions = list(
        session.scalars(
            select(ReportVersion).where(ReportVersion.report_id == report.id).order_by(ReportVersion.number)
        )
    )
    if study is None or not versions:
        raise InternalError(f"report {report_id} has no study or no version")
    signed = session.scalars(select(Signature).where(Signature.version_id.in_([v.id for v in versions]))).first()
    if signed is None:
        if not preliminary:
            raise ConflictError(
                f"report {report_id} is not signed; only a signed report is exported "
                "(a draft only when marked preliminary)"
            )
        return _State(report, study, versions[-1], None, ())
    if preliminary:
        raise ConflictError(f"report {report_id} is signed: it exports as final, not as preliminary")
    version = next(v for v in versions if v.id == signed.version_id)
    # the signature binds the final document (title, this version's text, the signature line: issue 18)
    if _sha256(signed.signed_text) != signed.text_sha256 or version.text.strip() not in signed.signed_text:
        raise InternalError(f"the stored text of report {report_id} is not the text that was signed")
    addenda = []
    for addendum in session.scalars(select(Addendum).where(Addendum.report_id == report.id).order_by(Addendum.id)):
        sig = session.scalar(select(Signature).where(Signature.addendum_id == addendum.id))
        if sig is not None:  # an addendum exports once it is signed
            addenda.append((addendum, sig))
    return _State(report, study, version, signed, tuple(addenda))


def _sections(text: str) -> tuple[Any, ...]:
    """The report text's sections (by their headings), each line a sentence; header and footer left out.

    A text whose headings were all removed by an edit exports as one section holding every line.
    """
    from reporter.domain.finding import Section
    from reporter.report import ReportSection, Sentence

    headings = {section.heading.upper(): section for section in Section}
    found: list[tuple[Section, str, list[str]]] = []
    lines = text.splitlines()
    for line in (raw.strip() for raw in lines):
        if _FOOTER.match(line):
            break
        if line in headings:
            section = headings[line]
            found.append((section, section.heading, []))
        elif found and line:
            found[-1][2].append(_NUMBERED.sub("", line) if found[-1][0] is Section.IMPRESSION else line)
    if not any(sentences for _, _, sentences in found):
        body = [line.strip() for line in lines if line.strip()]
        found = [(Section.PERFUSION, "Report", body)]
    return tuple(
        ReportSection(key=key, title=title, sentences=tuple(Sentence(text=s, codes=(), evidence=()) for s in sentences))
        for key, title, sentences in found
        if sentences
    )


def _drafted(session: Session, report_id: int) -> DraftedReport:
    from reporter.report import Report as DraftedReport

    row = session.scalar(
        select(ReportVersion)
        .where(ReportVersion.report_id == report_id, ReportVersion.report_json.is_not(None))
        .order_by(ReportVersion.number.desc())
        .limit(1)
    )
    if row is None or row.report_json is None:
        raise InternalError(f"report {report_id} has no drafted version")
    return DraftedReport.model_validate_json(row.report_json)


def _exported_report(session: Session, state: _State) -> DraftedReport:
    """The version's text as the exporters' Report; the draft's coded findings only for an unedited draft."""
    from reporter.report import Report as DraftedReport

    if state.version.report_json is not None:
        drafted = DraftedReport.model_validate_json(state.version.report_json)
        findings = drafted.findings
    else:
        drafted, findings = _drafted(session, state.report.id), ()
    return drafted.model_copy(update={"sections": _sections(state.version.text), "findings": findings, "flags": ()})


def _signature(session: Session, sig: Signature) -> Any:
    from reporter.interop.signature import Signature as Signed
    from reporter.interop.signature import SignatureMeaning, Signer

    name = session.get(User, sig.signer_id)
    login = "unknown" if name is None else name.name
    meaning = sig.meaning.lower()
    kind = (
        SignatureMeaning.VERIFICATION
        if "verif" in meaning
        else SignatureMeaning.AUTHOR
        if "author" in meaning
        else SignatureMeaning.APPROVAL
    )
    # To the second: dcmtk (dsrdump) refuses a DICOM DT with fractional seconds and a time zone offset.
    return Signed(Signer(family=login, identifier=login), sig.signed_at.replace(microsecond=0), kind)


def _attestation(session: Session, state: _State, report: DraftedReport, upto: int | None = None) -> Attestation:
    """The attestation of ``report`` with the first ``upto`` signed addenda (all: None)."""
    from reporter.interop.signature import Addendum as Added
    from reporter.interop.signature import Attestation, ReportStatus, text_sha256

    addenda = state.addenda if upto is None else state.addenda[:upto]
    if state.signature is None:
        status = ReportStatus.PRELIMINARY
    else:
        status = ReportStatus.APPENDED if addenda else ReportStatus.FINAL
    return Attestation(
        status=status,
        text_sha256=text_sha256(report),
        signature=None if state.signature is None else _signature(session, state.signature),
        addenda=tuple(Added(a.text, _signature(session, sig)) for a, sig in addenda),
        signed_text_sha256=None if state.signature is None else state.signature.text_sha256,
    )


def _source(row: StudyRow) -> Any:
    """The DICOM study the report is about: the ingested instances, or a Study Instance UID made on the first
    export of a study submitted as JSON and kept with it (in the caller's transaction), so that all its
    exports are in one study."""
    from pydicom.uid import generate_uid

    from reporter.interop.dicom_in import SourceInstance
    from reporter.interop.export_common import DicomSource

    source = row.dicom_source or {}
    if not source.get("study_instance_uid"):
        source = {"study_instance_uid": str(generate_uid()), "instances": []}
        row.dicom_source = source  # a new value: the JSON column sees the change
    instances = tuple(SourceInstance(**instance) for instance in source.get("instances", ()))
    return DicomSource(
        study_instance_uid=source["study_instance_uid"], study_id=source.get("study_id", ""), instances=instances
    )


# ---- export -------------------------------------------------------------------------------------


def _check_format(fmt: str, deidentify: bool) -> None:
    if fmt not in FORMATS:
        raise InputFormatError(
            f"unknown export format {fmt!r}", [FieldProblem("format", f"one of {', '.join(FORMATS)}", fmt)]
        )
    if deidentify and fmt not in DEIDENTIFIABLE:
        raise InputFormatError(
            f"de-identification is offered for {', '.join(DEIDENTIFIABLE)}, not {fmt}",
            [FieldProblem("deidentify", f"not offered for {fmt}", True)],
        )


def _text(state: _State) -> bytes:
    """The text layout: exactly the signed documents (as export.txt), or a draft headed as preliminary."""
    from reporter.service.reading_room import signed_documents

    if state.signature is None:
        text = "\n".join(["PRELIMINARY REPORT: not signed; subject to change", "", state.version.text.rstrip()]) + "\n"
    else:
        text = signed_documents([state.signature.signed_text, *(sig.signed_text for _, sig in state.addenda)])
    return text.encode("utf-8")


def _build(
    session: Session,
    state: _State,
    fmt: str,
    deidentify: bool,
    upto: int | None = None,
    predecessor: bytes | None = None,
) -> bytes:
    from reporter.interop.export import export
    from reporter.interop.export_common import ExportOptions
    from reporter.service.reading_room import load_study

    report = _exported_report(session, state)
    study: Study = load_study(state.study)
    attestation = _attestation(session, state, report, upto)
    options = ExportOptions(source=_source(state.study), deidentify=deidentify, predecessor_sr=predecessor)
    if fmt == "pdf":
        from reporter.interop.dicom_pdf import render_pdf

        return render_pdf(report, study, attestation, options)
    return export(fmt, report, study, attestation, options)


def _kept(session: Session, state: _State, kind: str, upto: int) -> DicomObject:
    """The kept DICOM object of the report with ``upto`` signed addenda; made (and kept) when missing."""
    found = session.scalar(
        select(DicomObject).where(
            DicomObject.report_id == state.report.id, DicomObject.kind == kind, DicomObject.addenda == upto
        )
    )
    if found is not None:
        return found
    predecessor = None
    if kind == "dicom-sr" and upto > 0:  # an addendum's SR references the SR it adds to
        predecessor = _kept(session, state, kind, upto - 1).data
    data = _build(session, state, kind, deidentify=False, upto=upto, predecessor=predecessor)
    from pydicom import dcmread

    ds = dcmread(io.BytesIO(data), stop_before_pixels=True)
    row = DicomObject(
        report_id=state.report.id,
        version_id=state.version.id,
        kind=kind,
        addenda=upto,
        sop_class_uid=str(ds.SOPClassUID),
        sop_instance_uid=str(ds.SOPInstanceUID),
        study_instance_uid=str(ds.StudyInstanceUID),
        sha256=_sha256(data),
        data=data,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # made at the same moment by another request: take that one
        again = session.scalar(
            select(DicomObject).where(
                DicomObject.report_id == state.report.id, DicomObject.kind == kind, DicomObject.addenda == upto
            )
        )
        if again is None:
            raise
        return again
    return row


def export_report(
    session: Session, who: Who, report_id: int, fmt: str, *, deidentify: bool = False, preliminary: bool = False
) -> ExportedFile:
    """A signed report (or a draft marked ``preliminary``) in format ``fmt`` (:data:`FORMATS`)."""
    actor = _check(who, Permission.EXPORT_REPORT)
    _check_format(fmt, deidentify)
    state = _state(session, report_id, preliminary)
    media_type, extension = FORMATS[fmt]
    uid = None
    if fmt == "text":
        if deidentify:
            raise InternalError("unreachable: text is not de-identifiable")
        data = _text(state)
    elif fmt in KEPT and state.signature is not None and not deidentify:
        kept = _kept(session, state, fmt, len(state.addenda))
        data, uid = kept.data, kept.sop_instance_uid
    else:
        data = _build(session, state, fmt, deidentify)
    detail = {"format": fmt, "status": state.status, "deidentified": deidentify, "bytes": len(data)}
    if uid is not None:
        detail["sop_instance_uid"] = uid
    audit.append(
        session,
        actor=actor,
        action="report.export",
        detail=json.dumps(detail, sort_keys=True),
        study_id=state.report.study_id,
        report_id=state.report.id,
        version_id=state.version.id,
        input_hash=state.version.text_sha256,
        output_hash=_sha256(data),
    )
    session.commit()
    suffix = "-deidentified" if deidentify else "-preliminary" if state.signature is None else ""
    name = f"report-{state.report.id}{suffix}{'-' + fmt if fmt.startswith('dicom') else ''}.{extension}"
    return ExportedFile(data, media_type, name, state.status, uid)


# ---- send ---------------------------------------------------------------------------------------


def pacs_from_settings(
    settings: Settings,
    *,
    host: str | None = None,
    port: int | None = None,
    called_ae: str | None = None,
    calling_ae: str | None = None,
) -> Pacs:
    """The configured PACS (``NCREPORT_PACS_*``), each part overridable; ConfigError when none is configured."""
    from reporter.errors import ConfigError
    from reporter.interop.dicom_send import Pacs

    host = host or settings.pacs_host
    if not host:
        raise ConfigError(
            "no PACS is configured: set NCREPORT_PACS_HOST (and _PORT, _AE_TITLE, _CALLING_AE_TITLE) or give --host",
            [FieldProblem("pacs_host", "required")],
        )
    try:
        return Pacs(
            host=host,
            port=port or settings.pacs_port,
            called_ae=called_ae or settings.pacs_ae_title,
            calling_ae=calling_ae or settings.pacs_calling_ae_title,
            timeout_s=settings.pacs_timeout_s,
        )
    except ValueError as exc:
        raise ConfigError(f"the PACS settings are invalid: {exc}") from exc


def pacs_configured(settings: Settings) -> bool:
    return bool(settings.pacs_host)


def send_report(session: Session, who: Who, report_id: int, pacs: Pacs) -> SendResult:
    """C-STORE the signed report's SR and Encapsulated PDF to ``pacs``; each try is an audit entry.

    The objects are kept (committed) before the association opens, so a failed send loses nothing:
    sending again sends the same instances.
    """
    from reporter.interop.dicom_send import store

    actor = _check(who, Permission.SEND_REPORT)
    state = _state(session, report_id, preliminary=False)
    objects = [_kept(session, state, kind, len(state.addenda)) for kind in KEPT]
    files = [o.data for o in objects]
    record: dict[str, Any] = {
        "destination": str(pacs),
        "sop_instance_uids": [o.sop_instance_uid for o in objects],
        "status": state.status,
    }
    session.commit()
    started = dt.datetime.now(dt.UTC)
    try:
        result = store(pacs, files)
    except DeliveryError as exc:
        audit.append(
            session,
            actor=actor,
            action="report.send_failed",
            detail=json.dumps({**record, "reason": exc.message}, sort_keys=True),
            study_id=state.report.study_id,
            report_id=state.report.id,
            version_id=state.version.id,
            input_hash=state.version.text_sha256,
        )
        session.commit()
        raise
    record["seconds"] = round((dt.datetime.now(dt.UTC) - started).total_seconds(), 3)
    if result.warnings:
        record["warnings"] = list(result.warnings)
    audit.append(
        session,
        actor=actor,
        action="report.send",
        detail=json.dumps(record, sort_keys=True),
        study_id=state.report.study_id,
        report_id=state.report.id,
        version_id=state.version.id,
        input_hash=state.version.text_sha256,
    )
    session.commit()
    return SendResult(result.destination, result.sop_instance_uids, result.warnings)


@dataclass(frozen=True, slots=True)
class SendRecord:
    """One try to send a report, from the audit trail."""

    at: str
    actor: str
    destination: str
    sent: bool
    reason: str | None


def sends(session: Session, actor: Actor, report_id: int) -> list[SendRecord]:
    """The report's sends to a PACS (and failed tries), oldest first."""
    if not (actor.may(Permission.READ_REPORT) or actor.may(Permission.SEND_REPORT)):
        require(actor, Permission.SEND_REPORT)
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.report_id == report_id, AuditEntry.action.in_(("report.send", "report.send_failed")))
        .order_by(AuditEntry.seq)
    )
    out = []
    for entry in entries:
        detail = json.loads(entry.detail or "{}")
        out.append(
            SendRecord(
                at=entry.at,
                actor=entry.actor,
                destination=str(detail.get("destination", "")),
                sent=entry.action == "report.send",
                reason=detail.get("reason"),
            )
        )
    return out
