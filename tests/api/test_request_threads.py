"""How many requests one server process works on at once (``NCREPORT_REQUEST_THREADS``)."""

from __future__ import annotations

import socket
import threading

import pytest
from anyio import to_thread
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from reporter.api.main import create_app
from reporter.service.access import Role
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


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_send_to_a_pacs_that_does_not_answer_holds_no_request_thread(
    sessions: sessionmaker[Session], tokens: dict[Role, str], signed_report_id: int
) -> None:
    with socket.socket() as silent:  # a PACS whose connections the kernel accepts and nobody answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        silent.settimeout(30)
        settings = Settings(
            request_threads=1, pacs_host="127.0.0.1", pacs_port=silent.getsockname()[1], pacs_timeout_s=3
        )
        with TestClient(create_app(settings, sessions), raise_server_exceptions=False) as client:
            answers: list[tuple[str, int]] = []

            def send() -> None:
                answer = client.post(
                    f"/api/reports/{signed_report_id}/send", headers={"Authorization": f"Bearer {tokens[Role.ADMIN]}"}
                )
                answers.append(("send", answer.status_code))

            sending = threading.Thread(target=send)
            sending.start()
            waiting, _ = silent.accept()  # the send is now waiting on the PACS
            with waiting:
                listed = client.get("/api/studies", headers={"Authorization": f"Bearer {tokens[Role.QA]}"})
                answers.append(("list", listed.status_code))
                sending.join(timeout=60)
    # the one request thread served the list while the send waited; the send then failed naming the PACS
    assert answers == [("list", 200), ("send", 502)]
