"""How many requests one server process works on at once (``NCREPORT_REQUEST_THREADS``)."""

from __future__ import annotations

import pytest
from anyio import to_thread
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from reporter.api.main import create_app
from reporter.settings import Settings


def _request_threads(client: TestClient) -> float:
    assert client.portal is not None

    async def tokens() -> float:
        return to_thread.current_default_thread_limiter().total_tokens

    return client.portal.call(tokens)


def test_the_thread_pool_of_the_running_app_is_bounded_by_the_setting(sessions: sessionmaker[Session]) -> None:
    with TestClient(create_app(Settings(request_threads=3), sessions)) as client:
        assert _request_threads(client) == 3
        assert client.get("/api/health").status_code == 200
    with TestClient(create_app(Settings(), sessions)) as client:
        assert _request_threads(client) == 2  # the default


@pytest.mark.parametrize("value", [0, 257])
def test_a_request_thread_count_out_of_range_is_refused(value: int) -> None:
    with pytest.raises(ValidationError, match="request_threads"):
        Settings(request_threads=value)
