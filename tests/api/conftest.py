"""The API over each test database (SQLite and PostgreSQL, tests/conftest.py), one user per role."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from reporter.api.main import create_app
from reporter.service.access import Role, create_user
from reporter.settings import Settings

MAX_BODY = 256 * 1024


@pytest.fixture
def app(sessions: sessionmaker[Session]) -> FastAPI:
    return create_app(Settings(max_body_bytes=MAX_BODY), sessions)


@pytest.fixture
def tokens(sessions: sessionmaker[Session]) -> dict[Role, str]:
    with sessions() as session:
        return {role: create_user(session, f"{role.value}1", role)[1] for role in Role}


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


class As:
    """Requests as one role: ``as_[Role.PHYSICIAN].post(...)``."""

    def __init__(self, client: TestClient, tokens: dict[Role, str]) -> None:
        self.client, self.tokens = client, tokens

    def __getitem__(self, role: Role) -> TestClient:
        self.client.headers["Authorization"] = f"Bearer {self.tokens[role]}"
        return self.client


@pytest.fixture
def as_(client: TestClient, tokens: dict[Role, str]) -> As:
    return As(client, tokens)


# ---- site validations (tests/api/test_validations.py) ---------------------------------------------


@pytest.fixture
def strict_app(sessions: sessionmaker[Session]) -> FastAPI:
    """The app of a site that drafts only with a qualified language model (NCREPORT_REQUIRE_QUALIFIED_LLM)."""
    return create_app(Settings(max_body_bytes=MAX_BODY, require_qualified_llm=True, cookie_secure=False), sessions)


@pytest.fixture
def strict(strict_app: FastAPI, tokens: dict[Role, str]) -> Iterator[As]:
    with TestClient(strict_app, raise_server_exceptions=False) as client:
        yield As(client, tokens)


@pytest.fixture
def signed_report_id(as_: As, lad_study: dict[str, Any]) -> int:
    """The LAD example (name and MRN added) submitted, drafted by the rules and signed as drafted, through the API."""
    assert as_[Role.TECHNOLOGIST].post("/api/studies", json={"study": lad_study}).status_code == 201
    report = as_[Role.PHYSICIAN].post("/api/studies/1/draft").json()
    signed = as_[Role.PHYSICIAN].post(f"/api/reports/{report['id']}/sign", json={"version": 1})
    assert signed.status_code == 200, signed.text
    return int(report["id"])


@pytest.fixture
def pacs_client(sessions: sessionmaker[Session], orthanc: Any) -> Iterator[TestClient]:
    """The API with the test Orthanc as its PACS (tests/conftest.py starts it)."""
    from tests.conftest import NCREPORT_TEST_AET, ORTHANC_AET

    settings = Settings(
        max_body_bytes=MAX_BODY,
        pacs_host="127.0.0.1",
        pacs_port=orthanc.dicom_port,
        pacs_ae_title=ORTHANC_AET,
        pacs_calling_ae_title=NCREPORT_TEST_AET,
    )
    with TestClient(create_app(settings, sessions), raise_server_exceptions=False) as client:
        yield client
