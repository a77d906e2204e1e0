"""Reading and verifying the audit trail (admin through the API; the database's owner through the CLI)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from reporter.service.access import Actor, Permission, require
from reporter.storage.audit import AuditProblem, verify_chain
from reporter.storage.models import AuditEntry

__all__ = ["ChainCheck", "check_chain", "entries", "verify"]


@dataclass(frozen=True, slots=True)
class ChainCheck:
    entries: int
    problem: AuditProblem | None
    last_hash: str | None  # keep it elsewhere: a deletion at the end of the chain shows only against it


def entries(session: Session, actor: Actor, after: int = 0, limit: int = 100) -> list[AuditEntry]:
    require(actor, Permission.READ_AUDIT)
    return list(session.scalars(select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq).limit(limit)))


def check_chain(session: Session) -> ChainCheck:
    """Walk the whole chain (``ncreport audit verify``)."""
    count, problem = verify_chain(session)
    last = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1))
    return ChainCheck(entries=count, problem=problem, last_hash=last)


def verify(session: Session, actor: Actor) -> ChainCheck:
    require(actor, Permission.READ_AUDIT)
    return check_chain(session)
