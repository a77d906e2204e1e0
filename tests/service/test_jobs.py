"""Drafting jobs: claimed once, run to done (a down backend still gives a draft), recovered after a crash."""

from __future__ import annotations

import socket
import threading
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from reporter.errors import ConfigError
from reporter.service import jobs
from reporter.service import reading_room as rr
from reporter.service.access import Actor, Role
from reporter.storage.models import Job


@pytest.fixture
def study_id(session: Session, users: dict[Role, Actor], lad_study: dict[str, Any]) -> int:
    return rr.submit_study(session, users[Role.TECHNOLOGIST], lad_study).id


def test_a_fake_backend_draft_job_runs_to_a_version(
    sessions: sessionmaker[Session], session: Session, users: dict[Role, Actor], study_id: int
) -> None:
    job = rr.queue_draft(session, users[Role.PHYSICIAN], study_id, {"backend": "fake"})
    assert (job.state, rr.get_study(session, users[Role.PHYSICIAN], study_id).status) == ("queued", "drafting")
    session.close()  # on SQLite every transaction holds the write lock (BEGIN IMMEDIATE): end it
    assert jobs.run_pending(sessions) == 1
    done = jobs.get_job(session, users[Role.PHYSICIAN], job.id)
    assert (done.state, done.attempts, done.error) == ("done", 1, None)
    assert done.result is not None
    view = rr.get_report(session, users[Role.PHYSICIAN], done.result["report_id"])
    assert view.current.origin == "draft:fake.v1"
    assert [f.code for f in view.current.flags if f.source == "draft"] == []


def test_a_backend_that_is_down_gives_the_rule_based_draft_with_n103(
    sessions: sessionmaker[Session],
    session: Session,
    users: dict[Role, Actor],
    study_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("NCREPORT_LLM_URL", f"http://127.0.0.1:{port}/v1")
    monkeypatch.setenv("NCREPORT_LLM_MODEL", "absent")
    job = rr.queue_draft(session, users[Role.PHYSICIAN], study_id, {"backend": "openai"})
    session.close()
    assert jobs.run_pending(sessions) == 1
    done = jobs.get_job(session, users[Role.PHYSICIAN], job.id)
    assert done.state == "done" and done.result is not None
    view = rr.get_report(session, users[Role.PHYSICIAN], done.result["report_id"])
    assert [(f.code, f.severity) for f in view.current.flags if f.source == "draft"] == [("N103", "warning")]


def test_incomplete_llm_settings_are_refused_when_queued(
    session: Session, users: dict[Role, Actor], study_id: int
) -> None:
    with pytest.raises(ConfigError):
        rr.queue_draft(session, users[Role.PHYSICIAN], study_id, {"backend": "openai", "url": None})
    assert session.scalar(select(Job)) is None


def test_two_workers_never_claim_the_same_job(
    sessions: sessionmaker[Session], session: Session, users: dict[Role, Actor], study_id: int
) -> None:
    for _ in range(6):
        rr.queue_draft(session, users[Role.PHYSICIAN], study_id, {"backend": "fake"})
    session.close()
    claimed: list[int] = []
    lock = threading.Lock()

    def claim_all(worker: str) -> None:
        with sessions() as own:
            while (job := jobs.claim(own, worker, 60)) is not None:
                with lock:
                    claimed.append(job.id)

    threads = [threading.Thread(target=claim_all, args=(f"w{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(claimed) == [1, 2, 3, 4, 5, 6]


def test_a_job_left_running_by_a_killed_process_is_requeued_then_failed_with_a_reason(
    sessions: sessionmaker[Session], session: Session, users: dict[Role, Actor], study_id: int
) -> None:
    job = rr.queue_draft(session, users[Role.PHYSICIAN], study_id, {"backend": "fake"})
    dead = f"{socket.gethostname()}:4194304:gone"  # above any pid_max: no such process
    for attempt in (1, 2, 3):
        assert jobs.claim(session, dead, 3600) is not None
        assert jobs.recover(session) == [job.id]
        session.refresh(job)
        assert (job.attempts, job.state) == (attempt, "queued" if attempt < 3 else "failed")
    assert job.error == "E900: its worker stopped while running it, 3 times; not retried"


def test_a_running_job_of_a_live_worker_elsewhere_is_left_alone_until_its_lease_ends(
    session: Session, users: dict[Role, Actor], study_id: int
) -> None:
    job = rr.queue_draft(session, users[Role.PHYSICIAN], study_id, {"backend": "fake"})
    assert jobs.claim(session, "other-host:12:abc", 3600) is not None
    assert jobs.recover(session) == []
    assert jobs.claim(session, "x", 60) is None
    job.lease_until = job.lease_until.replace(year=2000) if job.lease_until else None
    session.commit()
    assert jobs.recover(session) == [job.id]


def test_the_worker_thread_runs_queued_jobs(
    sessions: sessionmaker[Session], session: Session, users: dict[Role, Actor], study_id: int
) -> None:
    job = rr.queue_draft(session, users[Role.PHYSICIAN], study_id, {"backend": "fake"})
    worker = jobs.Worker(sessions, poll_s=0.05)
    worker.start()
    try:
        for _ in range(200):
            state = jobs.get_job(session, users[Role.PHYSICIAN], job.id).state
            session.close()
            if state == "done":
                break
            threading.Event().wait(0.05)
    finally:
        worker.stop()
    assert jobs.get_job(session, users[Role.PHYSICIAN], job.id).state == "done"


def test_an_llm_server_that_dies_mid_request_gives_the_rule_based_draft(
    sessions: sessionmaker[Session],
    session: Session,
    users: dict[Role, Actor],
    study_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server that accepts the request, reads it, and drops the connection without answering."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    dropped: list[int] = []

    def accept_and_drop() -> None:
        server.settimeout(30)
        try:
            while True:
                conn, _ = server.accept()
                with conn:
                    conn.recv(65536)
                    dropped.append(1)
        except OSError:
            return

    thread = threading.Thread(target=accept_and_drop, daemon=True)
    thread.start()
    monkeypatch.setenv("NCREPORT_LLM_URL", f"http://127.0.0.1:{server.getsockname()[1]}/v1")
    monkeypatch.setenv("NCREPORT_LLM_MODEL", "dies")
    try:
        job = rr.queue_draft(session, users[Role.PHYSICIAN], study_id, {"backend": "openai"})
        session.close()
        assert jobs.run_pending(sessions) == 1
    finally:
        server.close()
        thread.join(5)
    assert dropped, "the model server was never asked"
    done = jobs.get_job(session, users[Role.PHYSICIAN], job.id)
    assert done.state == "done" and done.result is not None
    view = rr.get_report(session, users[Role.PHYSICIAN], done.result["report_id"])
    assert [f.code for f in view.current.flags if f.source == "draft"] == ["N103"]
    assert view.current.origin == "draft:openai.v1"
