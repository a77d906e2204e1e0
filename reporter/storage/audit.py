"""The audit trail: append-only, hash-chained, verified by walking the chain.

Each entry's ``hash`` is the sha256 of its canonical JSON (every column but ``hash``, keys
sorted), which includes ``seq`` and the previous entry's hash. Appending serialises writers: on
PostgreSQL a transaction-scoped advisory lock, on SQLite the write lock every transaction takes
at ``BEGIN IMMEDIATE`` (:mod:`reporter.storage.db`). The database refuses UPDATE and DELETE on
the table (triggers of the first migration); :func:`verify_chain` finds what was changed anyway
by someone who dropped them: an altered entry, a deleted one (a gap in ``seq``, or a broken
link), entries reordered.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, select, text
from sqlalchemy.orm import Session

from reporter.storage.models import AuditEntry

__all__ = ["GENESIS", "AuditProblem", "append", "entry_hash", "verify_chain"]

GENESIS = "0" * 64
_LOCK_KEY = 0x6E637270  # 'ncrp': the advisory lock that orders appends on PostgreSQL
_HASHED = (
    "seq",
    "at",
    "actor",
    "action",
    "detail",
    "study_id",
    "report_id",
    "version_id",
    "model",
    "weights_hash",
    "prompt_versions",
    "input_hash",
    "output_hash",
    "flag_decisions",
    "signature",
    "prev_hash",
)


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(values: Mapping[str, Any]) -> str:
    """The sha256 of an entry's hashed columns as canonical JSON."""
    canonical = json.dumps({k: values.get(k) for k in _HASHED}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


_INSERT = cast(Table, AuditEntry.__table__).insert()


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    detail: str | None = None,
    study_id: int | None = None,
    report_id: int | None = None,
    version_id: int | None = None,
    model: str | None = None,
    weights_hash: str | None = None,
    prompt_versions: Any = None,
    input_hash: str | None = None,
    output_hash: str | None = None,
    flag_decisions: Any = None,
    signature: Any = None,
) -> AuditEntry:
    """Add the next entry to the chain, in the caller's transaction (committed with the change it records)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    last = session.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    values: dict[str, Any] = {
        "seq": 1 if last is None else last.seq + 1,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "detail": detail,
        "study_id": study_id,
        "report_id": report_id,
        "version_id": version_id,
        "model": model,
        "weights_hash": weights_hash,
        "prompt_versions": _json(prompt_versions),
        "input_hash": input_hash,
        "output_hash": output_hash,
        "flag_decisions": _json(flag_decisions),
        "signature": _json(signature),
        "prev_hash": GENESIS if last is None else last.hash,
    }
    values["hash"] = entry_hash(values)
    # a plain INSERT in the session's transaction (the ORM's unit of work for one row costs twice as much);
    # the entry returned is not attached to the session
    session.execute(_INSERT, values)
    return AuditEntry(**values)


@dataclass(frozen=True, slots=True)
class AuditProblem:
    """The first entry where the chain breaks, and why."""

    seq: int
    reason: str

    def __str__(self) -> str:
        return f"audit entry {self.seq}: {self.reason}"


@contextlib.contextmanager
def _entries(session: Session) -> Iterator[Iterator[AuditEntry]]:
    """Every entry in order, streamed (a server-side cursor on PostgreSQL, closed however the walk ends)."""
    result = session.scalars(select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=500))
    try:
        yield iter(result)
    finally:
        result.close()


def verify_chain(session: Session) -> tuple[int, AuditProblem | None]:
    """Walk the chain from the start: (entries checked, the first problem or None).

    A deletion at the very end of the chain leaves no trace in the chain itself; compare the count
    and the last hash with a copy kept elsewhere (``ncreport audit verify`` prints both).
    """
    expected_prev, expected_seq, count = GENESIS, 1, 0
    with _entries(session) as entries:
        for entry in entries:
            values = {k: getattr(entry, k) for k in _HASHED}
            if entry.seq != expected_seq:
                return count, AuditProblem(entry.seq, f"expected entry {expected_seq} here: deleted or reordered")
            if entry.prev_hash != expected_prev:
                return count, AuditProblem(entry.seq, "does not link to the entry before it: deleted or reordered")
            if entry_hash(values) != entry.hash:
                return count, AuditProblem(entry.seq, "its content does not match its hash: altered")
            expected_prev, expected_seq, count = entry.hash, expected_seq + 1, count + 1
    return count, None
