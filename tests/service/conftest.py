"""Reports to export; the database fixtures (SQLite and PostgreSQL) live in tests/conftest.py."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from reporter.service import reading_room as rr
from reporter.service.access import Actor, Role


@pytest.fixture
def drafted_report(session: Session, users: dict[Role, Actor], lad_study: dict[str, Any]) -> rr.ReportView:
    """The LAD example (with a name and an MRN) drafted by the rules, unsigned."""
    row = rr.submit_study(session, users[Role.TECHNOLOGIST], lad_study)
    view = rr.draft_now(session, users[Role.PHYSICIAN], row.id)
    session.commit()  # end the read (SQLite: its write lock), so a CLI under test can open the database
    return view


@pytest.fixture
def signed_report(session: Session, users: dict[Role, Actor], drafted_report: rr.ReportView) -> rr.ReportView:
    """The drafted LAD report signed as drafted (version 1)."""
    view = rr.sign(session, users[Role.PHYSICIAN], drafted_report.id, 1)
    session.commit()
    return view
