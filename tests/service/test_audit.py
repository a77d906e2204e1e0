"""The audit trail: the database refuses UPDATE and DELETE; what is changed anyway is found by the chain walk."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from reporter.service import reading_room as rr
from reporter.service.access import Actor, Role
from reporter.storage.audit import AuditProblem, verify_chain
from reporter.storage.models import AuditEntry


@pytest.fixture
def trail(session: Session, users: dict[Role, Actor], lad_study: dict[str, Any]) -> int:
    """A few entries (4 users, submit, draft, edit): their count."""
    row = rr.submit_study(session, users[Role.TECHNOLOGIST], lad_study)
    view = rr.draft_now(session, users[Role.PHYSICIAN], row.id)
    rr.edit(session, users[Role.PHYSICIAN], view.id, view.current.text + "\nNote.", base_version=1)
    count, problem = verify_chain(session)
    assert problem is None
    session.close()  # on SQLite every transaction holds the write lock (BEGIN IMMEDIATE): end it
    return count


def _drop_triggers(engine: Engine) -> None:
    """What an attacker with the schema owner's rights would do first."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP TRIGGER audit_entries_no_update ON audit_entries"))
        else:
            conn.execute(text("DROP TRIGGER audit_entries_no_update"))
            conn.execute(text("DROP TRIGGER audit_entries_no_delete"))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entries SET actor = 'mallory' WHERE seq = 5",
        "DELETE FROM audit_entries WHERE seq = 5",
        "DELETE FROM audit_entries",
    ],
)
def test_the_database_refuses_update_and_delete(engine: Engine, trail: int, statement: str) -> None:
    with pytest.raises(DBAPIError, match="audit trail is append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    with Session(engine) as session:
        assert verify_chain(session) == (trail, None)


def test_an_altered_entry_is_found(engine: Engine, trail: int) -> None:
    _drop_triggers(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 6"))
    with Session(engine) as session:
        assert verify_chain(session) == (5, AuditProblem(6, "its content does not match its hash: altered"))


def test_an_altered_entry_with_its_hash_recomputed_breaks_the_next_link(engine: Engine, trail: int) -> None:
    from reporter.storage.audit import _HASHED, entry_hash

    _drop_triggers(engine)
    with Session(engine) as session:
        entry = session.get(AuditEntry, 6)
        assert entry is not None
        entry.actor = "mallory"
        entry.hash = entry_hash({k: getattr(entry, k) for k in _HASHED})
        session.commit()
        count, problem = verify_chain(session)
    assert (count, problem) == (6, AuditProblem(7, "does not link to the entry before it: deleted or reordered"))


def test_a_deleted_entry_is_found(engine: Engine, trail: int) -> None:
    _drop_triggers(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE seq = 5"))
    with Session(engine) as session:
        assert verify_chain(session) == (4, AuditProblem(6, "expected entry 5 here: deleted or reordered"))


def test_reordered_entries_are_found(engine: Engine, trail: int) -> None:
    _drop_triggers(engine)
    with engine.begin() as conn:  # swap entries 5 and 6, each keeping its own hash
        conn.execute(text("UPDATE audit_entries SET seq = -1 WHERE seq = 5"))
        conn.execute(text("UPDATE audit_entries SET seq = 5 WHERE seq = 6"))
        conn.execute(text("UPDATE audit_entries SET seq = 6 WHERE seq = -1"))
    with Session(engine) as session:
        problem = AuditProblem(5, "does not link to the entry before it: deleted or reordered")
        assert verify_chain(session) == (4, problem)


def test_entries_record_the_draft_inputs_and_outputs(session: Session, trail: int) -> None:
    draft = session.scalar(select(AuditEntry).where(AuditEntry.action == "report.draft"))
    assert draft is not None
    assert (draft.actor, draft.model, draft.weights_hash) == ("physician1", "rules", None)
    assert draft.input_hash is not None and len(draft.input_hash) == 64
    assert draft.output_hash is not None and len(draft.output_hash) == 64
