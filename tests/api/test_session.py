"""The page's login: session cookie (HttpOnly, SameSite=Strict, Secure), CSRF on changes, rate-limited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from reporter.service.access import Role, create_user, set_password

PASSWORD = "correct horse battery staple"


@pytest.fixture
def browser(app: FastAPI, sessions: sessionmaker[Session], lad_study: dict[str, Any]) -> Iterator[TestClient]:
    from reporter.service import reading_room as rr

    with sessions() as session:
        tech, _ = create_user(session, "tech", Role.TECHNOLOGIST)
        create_user(session, "dr", Role.PHYSICIAN)
        set_password(session, "dr", PASSWORD)
        rr.submit_study(session, tech, lad_study)
    with TestClient(app, base_url="https://testserver") as client:
        yield client


def test_login_sets_a_strict_httponly_cookie_and_changes_need_the_csrf_token(browser: TestClient) -> None:
    assert browser.get("/api/session").status_code == 401
    wrong = browser.post("/api/session/login", json={"name": "dr", "password": "wrong password"})
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (401, "E501")
    nobody = browser.post("/api/session/login", json={"name": "nobody", "password": PASSWORD})
    assert nobody.json() == {
        **wrong.json(),
        "error": {**wrong.json()["error"], "request_id": nobody.json()["error"]["request_id"]},
    }

    logged = browser.post("/api/session/login", json={"name": "dr", "password": PASSWORD})
    assert logged.status_code == 200
    body = logged.json()
    assert (body["name"], body["role"]) == ("dr", "physician")
    cookies = logged.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("ncreport_session="))
    assert "HttpOnly" in session_cookie and "SameSite=strict" in session_cookie and "Secure" in session_cookie
    csrf_cookie = next(c for c in cookies if c.startswith("ncreport_csrf="))
    assert "HttpOnly" not in csrf_cookie

    assert browser.get("/api/session").json()["name"] == "dr"
    forged = browser.post("/api/studies/1/draft")
    assert (forged.status_code, forged.json()["error"]["code"]) == (403, "E502")
    wrong_token = browser.post("/api/studies/1/draft", headers={"X-CSRF-Token": "guess"})
    assert wrong_token.status_code == 403
    drafted = browser.post("/api/studies/1/draft", headers={"X-CSRF-Token": body["csrf_token"]})
    assert drafted.status_code == 201

    assert browser.post("/api/session/logout").status_code == 204
    assert browser.get("/api/session").status_code == 401


def test_failed_logins_are_rate_limited(browser: TestClient) -> None:
    for _ in range(5):
        assert browser.post("/api/session/login", json={"name": "dr", "password": "nope"}).status_code == 401
    limited = browser.post("/api/session/login", json={"name": "dr", "password": PASSWORD})
    assert (limited.status_code, limited.json()["error"]["code"]) == (429, "E503")


def test_a_forged_cookie_is_refused(browser: TestClient) -> None:
    from reporter.api.sessions import SessionCodec

    user_id = 2  # dr
    forged, _ = SessionCodec("another secret of at least thirty-two chars", 3600).new(user_id)
    browser.cookies.set("ncreport_session", forged)
    assert browser.get("/api/session").status_code == 401
    browser.cookies.set("ncreport_session", "not-even-signed")
    assert browser.get("/api/session").status_code == 401
