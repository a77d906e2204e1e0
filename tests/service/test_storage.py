"""The migration builds exactly the models' schema, on both databases; times come back in UTC."""

from __future__ import annotations

import datetime as dt
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from reporter.service import reading_room as rr
from reporter.service.access import Actor, Role
from reporter.storage.db import current_revision
from reporter.storage.models import Base


def test_the_migrated_schema_is_the_models_schema(engine: Engine) -> None:
    assert current_revision(engine) == "ownership"
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_stored_times_are_aware_utc(session: Session, users: dict[Role, Actor], lad_study: dict[str, Any]) -> None:
    row = rr.submit_study(session, users[Role.TECHNOLOGIST], lad_study)
    session.close()
    again = rr.get_study(session, users[Role.QA], row.id)
    assert again.created_at.tzinfo is not None
    assert again.created_at.utcoffset() == dt.timedelta(0)
