"""What the reading-room page adds to the workflow: model wording to accept, critical results, signed texts.

- **Model wording**: the sentences a language model phrased (``Sentence.origin`` is not ``rules``)
  are shown as such until the physician accepts them (an audit entry ``report.accept_model_text``).
- **Critical results**: a report whose draft holds a high-risk feature (the rules'
  ``HIGH_RISK_FEATURE`` Findings) is signed only with how the result was communicated (to whom,
  when, how); that record is an audit entry written in the signing transaction, so both are
  committed or neither (ACR practice parameter for communication of diagnostic imaging findings).
- **Signed texts** for a batch QA of the department's own reports.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reporter.errors import FieldProblem, InputFormatError
from reporter.service import reading_room as rr
from reporter.service.access import Actor, Permission, require
from reporter.storage import audit
from reporter.storage.models import AuditEntry, Report, ReportVersion, Signature

__all__ = [
    "CriticalResult",
    "ModelSentence",
    "accept_model_text",
    "communications",
    "high_risk_features",
    "model_sentences",
    "sign",
    "signed_texts",
]

ACCEPT_MODEL_TEXT = "report.accept_model_text"
COMMUNICATED = "critical_result.communicated"
HOW = ("telephone", "in person", "secure message", "page")
MAX_FIELD = 200


@dataclass(frozen=True, slots=True)
class ModelSentence:
    text: str
    origin: str


@dataclass(frozen=True, slots=True)
class CriticalResult:
    """How a critical (high-risk) result reached the referring team."""

    to_whom: str
    when: dt.datetime
    how: str

    @classmethod
    def parse(cls, to_whom: str | None, when: str | None, how: str | None) -> CriticalResult:
        problems = []
        to_whom, how = (to_whom or "").strip(), (how or "").strip()
        if not to_whom or len(to_whom) > MAX_FIELD:
            problems.append(FieldProblem("to_whom", f"who received the result (1-{MAX_FIELD} characters)"))
        if how not in HOW:
            problems.append(FieldProblem("how", f"one of {', '.join(HOW)}", how or None))
        moment = None
        try:
            moment = dt.datetime.fromisoformat((when or "").strip())
        except ValueError:
            problems.append(FieldProblem("when", "a date and time (YYYY-MM-DDTHH:MM)", None))
        if problems or moment is None:
            raise InputFormatError("a high-risk result needs how it was communicated", problems)
        return cls(to_whom, moment, how)

    def detail(self) -> str:
        return json.dumps(
            {"to_whom": self.to_whom, "when": self.when.isoformat(timespec="minutes"), "how": self.how}, sort_keys=True
        )


def _drafted(session: Session, report_id: int) -> ReportVersion | None:
    """The newest drafted version (the one holding the structured draft)."""
    return session.scalar(
        select(ReportVersion)
        .where(ReportVersion.report_id == report_id, ReportVersion.report_json.is_not(None))
        .order_by(ReportVersion.number.desc())
        .limit(1)
    )


def _draft_json(session: Session, report_id: int) -> dict[str, Any]:
    version = _drafted(session, report_id)
    if version is None or version.report_json is None:
        return {}
    data: dict[str, Any] = json.loads(version.report_json)
    return data


def _entries(session: Session, report_id: int, action: str) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.report_id == report_id, AuditEntry.action == action)
            .order_by(AuditEntry.seq)
        )
    )


def high_risk_features(session: Session, actor: Actor, report_id: int) -> list[str]:
    """The high-risk features the rules found in the report's study (empty: not a critical result)."""
    from reporter.render import template_set

    require(actor, Permission.READ_REPORT)
    findings = _draft_json(session, report_id).get("findings", [])
    words = template_set().words  # the rules emit codes; the templates word them, as in the report
    return [
        words("high_risk_feature", f["values"])
        for f in findings
        if isinstance(f, dict) and f.get("code") == "HIGH_RISK_FEATURE"
    ]


def model_sentences(session: Session, actor: Actor, report_id: int) -> list[ModelSentence]:
    """The sentences of the newest draft that a language model phrased, unless the physician accepted them."""
    require(actor, Permission.READ_REPORT)
    drafted = _drafted(session, report_id)
    if drafted is None:
        return []
    accepted = [e for e in _entries(session, report_id, ACCEPT_MODEL_TEXT) if (e.version_id or 0) >= drafted.id]
    if accepted:
        return []
    sections = _draft_json(session, report_id).get("sections", [])
    return [
        ModelSentence(str(s["text"]), str(s["origin"]))
        for section in sections
        if isinstance(section, dict)
        for s in section.get("sentences", [])
        if s.get("origin", "rules") != "rules"
    ]


def accept_model_text(session: Session, actor: Actor, report_id: int) -> None:
    """The physician has read the model's wording of the newest draft and takes it as their own."""
    require(actor, Permission.EDIT)
    report = session.get(Report, report_id)
    drafted = _drafted(session, report_id)
    if report is None or drafted is None:
        from reporter.errors import NotFoundError

        raise NotFoundError(f"no drafted report {report_id}")
    audit.append(
        session,
        actor=actor.name,
        action=ACCEPT_MODEL_TEXT,
        study_id=report.study_id,
        report_id=report.id,
        version_id=drafted.id,
        output_hash=drafted.text_sha256,
    )
    session.commit()


def sign(
    session: Session,
    actor: Actor,
    report_id: int,
    version: int,
    critical: CriticalResult | None = None,
    templates_dir: Path | None = None,
) -> rr.ReportView:
    """Sign; a high-risk report only with how its result was communicated (recorded in the same transaction)."""
    require(actor, Permission.SIGN)
    features = high_risk_features(session, actor, report_id)
    if features and critical is None:
        raise InputFormatError(
            "a high-risk result needs how it was communicated",
            [FieldProblem(name, "required for a high-risk report") for name in ("to_whom", "when", "how")],
        )
    if critical is not None:
        report = session.get(Report, report_id)
        audit.append(
            session,
            actor=actor.name,
            action=COMMUNICATED,
            detail=critical.detail(),
            study_id=None if report is None else report.study_id,
            report_id=report_id,
        )
    try:
        # commits the record with the signature
        return rr.sign(session, actor, report_id, version, templates_dir=templates_dir)
    except Exception:
        session.rollback()
        raise


def communications(session: Session, actor: Actor, report_id: int) -> list[dict[str, str]]:
    """How the report's critical result was communicated, with who recorded it."""
    require(actor, Permission.READ_REPORT)
    return [
        {**json.loads(e.detail or "{}"), "recorded_by": e.actor, "recorded_at": e.at}
        for e in _entries(session, report_id, COMMUNICATED)
    ]


def signed_texts(session: Session, actor: Actor, limit: int = 500) -> list[tuple[str, str]]:
    """(name, text) of the department's signed reports, newest first, for a batch QA."""
    require(actor, Permission.RUN_QA)
    rows = session.execute(
        select(Report.id, Report.study_id, Signature.signed_text)
        .join(ReportVersion, ReportVersion.report_id == Report.id)
        .join(Signature, Signature.version_id == ReportVersion.id)
        .order_by(Report.id.desc())
        .limit(limit)
    )
    return [(f"report {r.id} (study {r.study_id})", r.signed_text) for r in rows]
