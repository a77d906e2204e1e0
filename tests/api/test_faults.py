"""Fault tests: a worker process SIGKILLed holding a job, the server SIGKILLed with jobs queued, then restarted.

Every job must end done (or failed with its reason), and no draft, version or audit entry may be lost.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from reporter.service import reading_room as rr
from reporter.service.access import Actor, Role
from reporter.service.audit_trail import check_chain
from reporter.storage.models import Job, ReportVersion

REPO = Path(__file__).resolve().parents[2]
CLAIM_AND_HANG = """
import sys, time
from reporter.service.jobs import claim, worker_id
from reporter.storage import make_engine, make_sessionmaker
with make_sessionmaker(make_engine(sys.argv[1]))() as session:
    job = claim(session, worker_id(), 3600)
    print("claimed", job.id, flush=True)
    time.sleep(600)
"""


def _env(db_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "NCREPORT_DATABASE_URL": db_url,
        "NCREPORT_SECRET": "f" * 40,
        "PYTHONPATH": f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    }


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(db_url: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "reporter.cli", "serve", "--port", str(port)],
        env=_env(db_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    pytest.fail("the server did not start")


def _states(sessions: sessionmaker[Session]) -> dict[int, tuple[str, str | None]]:
    with sessions() as session:
        return {j.id: (j.state, j.error) for j in session.scalars(select(Job).order_by(Job.id))}


@pytest.mark.slow
def test_killed_worker_and_killed_server_lose_no_job(
    db_url: str,
    sessions: sessionmaker[Session],
    session: Session,
    users: dict[Role, Actor],
    lad_study: dict[str, Any],
) -> None:
    physician = users[Role.PHYSICIAN]
    studies = [rr.submit_study(session, users[Role.TECHNOLOGIST], lad_study).id for _ in range(3)]
    for study_id in studies:
        rr.queue_draft(session, physician, study_id, {"backend": "fake"})
    session.close()

    claimer = subprocess.Popen(
        [sys.executable, "-c", CLAIM_AND_HANG, db_url], env=_env(db_url), stdout=subprocess.PIPE, text=True
    )
    assert claimer.stdout is not None
    assert claimer.stdout.readline().strip() == "claimed 1"
    claimer.send_signal(signal.SIGKILL)
    claimer.wait(10)
    claimer.stdout.close()
    assert _states(sessions)[1] == ("running", None)

    port = _port()
    first = _serve(db_url, port)  # recovers job 1 (its worker is dead) and starts on the queue
    first.send_signal(signal.SIGKILL)
    first.wait(10)

    second = _serve(db_url, port)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            states = _states(sessions)
            if all(state in ("done", "failed") for state, _ in states.values()):
                break
            time.sleep(0.2)
    finally:
        second.terminate()
        second.wait(30)
    assert _states(sessions) == {1: ("done", None), 2: ("done", None), 3: ("done", None)}
    with sessions() as check:
        assert check.scalar(select(func.count()).select_from(ReportVersion)) == 3
        assert {rr.report_of_study(check, s) is not None for s in studies} == {True}
        chain = check_chain(check)
        assert chain.problem is None
