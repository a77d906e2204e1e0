"""A site's report templates (``ncreport serve --templates DIR``, NCREPORT_TEMPLATES_DIR) lay out the service's drafts
and signed reports, as they do ``ncreport draft --templates DIR``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from reporter.api.main import create_app
from reporter.service.access import Role
from reporter.settings import Settings

from .conftest import As


def test_drafts_and_signed_reports_use_the_sites_templates(
    sessions: sessionmaker[Session], tokens: dict[Role, str], site_templates: Path, lad_study: dict[str, Any]
) -> None:
    app = create_app(Settings(templates_dir=site_templates), sessions)
    with TestClient(app, raise_server_exceptions=False) as client:
        as_ = As(client, tokens)
        study_id = as_[Role.TECHNOLOGIST].post("/api/studies", json={"study": lad_study}).json()["id"]
        drafted = as_[Role.PHYSICIAN].post(f"/api/studies/{study_id}/draft").json()
        assert "\nCOMPARISON\nKeine Voruntersuchung vorhanden.\n" in drafted["current"]["text"]
        signed = as_[Role.PHYSICIAN].post(f"/api/reports/{drafted['id']}/sign", json={"version": 1}).json()
        signed_text = signed["current"]["signature"]["signed_text"]
        assert signed_text.startswith("BEFUND: MYOKARDSZINTIGRAPHIE\n\nPatient: Zebediah Quuxworth\n")
        assert signed_text.endswith("\n\nElektronisch signiert: physician1 (physician)\n")
        assert as_[Role.QA].get(f"/api/reports/{drafted['id']}/export.txt").text == signed_text


def test_a_template_directory_that_does_not_exist_is_refused_at_start(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as info:
        Settings(templates_dir=tmp_path / "missing")
    assert [e["loc"] for e in info.value.errors()] == [("templates_dir",)]
