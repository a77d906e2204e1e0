"""The engines a server process loads before its first request (reporter/service/warmup.py)."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from reporter.api.main import create_app
from reporter.domain.study import Study
from reporter.service import warmup
from reporter.service.reading_room import draft_study
from reporter.settings import Settings


def test_warm_up_drafts_and_structures() -> None:
    assert sorted(warmup.warm_up()) == ["draft", "structure"]


def test_the_made_up_study_drafts_to_a_text_its_verification_passes() -> None:
    _, text, flags = draft_study(Study.model_validate(warmup._STUDY), {"backend": "none"})
    assert "normal" in text.lower()
    assert [f["code"] for f in flags if f["severity"] == "error"] == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_each_app_warms_up_before_it_serves_unless_told_not_to(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    monkeypatch.setattr(warmup, "warm_up", lambda: calls.append("warm") or {"draft": 1.0})
    with TestClient(create_app(Settings(), sessions)) as client:
        assert calls == ["warm"]  # during startup, before the first request
        assert client.get("/api/health").status_code == 200
    with TestClient(create_app(Settings(warm_up=False), sessions)):
        assert calls == ["warm"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_failed_warm_up_is_logged_and_the_service_still_starts(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> dict[str, float]:
        raise RuntimeError("no pipeline")

    monkeypatch.setattr(warmup, "warm_up", broken)
    with caplog.at_level(logging.ERROR, logger="ncreport.serve"), TestClient(create_app(Settings(), sessions)) as c:
        assert c.get("/api/health").status_code == 200
    assert [r.getMessage() for r in caplog.records if r.name == "ncreport.serve"] == [
        "warm-up failed: the first draft, edit or structuring will load the engines"
    ]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_what_the_warm_up_loaded_is_frozen_out_of_the_collector_only_when_it_succeeded(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from reporter.api import main

    events: list[str] = []

    def collect(*_: object) -> int:
        events.append("collect")
        return 0

    def warm() -> dict[str, float]:
        events.append("warm")
        return {"draft": 1.0}

    monkeypatch.setattr(main.gc, "collect", collect)
    monkeypatch.setattr(main.gc, "freeze", lambda: events.append("freeze"))
    monkeypatch.setattr(warmup, "warm_up", warm)
    with TestClient(create_app(Settings(), sessions)):
        assert events == ["warm", "collect", "freeze"]  # the garbage of the warm-up collected first, then frozen

    def broken() -> dict[str, float]:
        raise RuntimeError("no pipeline")

    events.clear()
    monkeypatch.setattr(warmup, "warm_up", broken)
    with TestClient(create_app(Settings(), sessions)):
        assert events == []
    assert main.gc is gc
