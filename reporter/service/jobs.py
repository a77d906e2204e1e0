"""Drafting jobs: rows in the database, claimed by workers, never run twice, never lost.

A worker claims the oldest queued job in one statement: ``SELECT ... FOR UPDATE SKIP LOCKED`` on
PostgreSQL (several service processes share the queue), an atomic ``UPDATE ... WHERE
state='queued'`` on SQLite (whose write lock serialises the claim). The model runs outside any
transaction; its result (a new report version, its audit entry, the job marked done) is written
in one. A backend that is down gives the rule-based draft with its N103 flag (the draft
use-case degrades), so the job is done with a version either way; only an error of ours fails it,
with the reason.

A job whose worker died (process killed) stays ``running`` with a lease: :func:`recover` requeues
it (or fails it, with the reason, after :data:`MAX_ATTEMPTS`) once the lease has passed, or at
once when its worker was a process of this host that no longer exists.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from reporter.errors import NcreportError, NotFoundError, PermissionDeniedError
from reporter.service.access import Actor, Permission, Role, require
from reporter.storage import audit
from reporter.storage.models import Job, StudyRow, User

__all__ = [
    "MAX_ATTEMPTS",
    "DraftDone",
    "Worker",
    "claim",
    "get_job",
    "peek",
    "recover",
    "run_job",
    "run_pending",
    "worker_id",
]

MAX_ATTEMPTS = 3
_log = logging.getLogger("ncreport.jobs")
_LIVE_WORKERS: set[str] = set()  # the workers of this process that run now


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)  # SQLite drops the zone


_JOB_PERMISSION = {
    "draft": Permission.DRAFT,
    "qa": Permission.RUN_QA,
    "verify": Permission.CHECK_TEXT,
    "structure": Permission.CHECK_TEXT,
}
_OWN_JOBS_ONLY = ("verify", "structure")  # their payload is the caller's texts


def get_job(session: Session, actor: Actor, job_id: int) -> Job:
    """A job, for a role that may run jobs of its kind (a verify or structure batch: its creator only)."""
    if not any(actor.may(p) for p in _JOB_PERMISSION.values()):
        raise PermissionDeniedError(f"the {actor.role} role runs no jobs")
    job = session.get(Job, job_id)
    if job is None:
        raise NotFoundError(f"no job {job_id}")
    require(actor, _JOB_PERMISSION[job.kind])
    if job.kind in _OWN_JOBS_ONLY and job.created_by != actor.id:
        raise PermissionDeniedError(f"job {job_id} is another user's batch")
    return job


def peek(session: Session, job_id: int) -> Job:
    """A job's current row, for a caller already allowed to see it (:func:`get_job`)."""
    job = session.get(Job, job_id)
    if job is None:
        raise NotFoundError(f"no job {job_id}")
    return job


def claim(session: Session, worker: str, lease_s: int) -> Job | None:
    """The oldest queued job, now ``running`` for ``worker`` (committed), or None."""
    lease = _now() + dt.timedelta(seconds=lease_s)
    if session.get_bind().dialect.name == "postgresql":
        job = session.scalar(
            select(Job).where(Job.state == "queued").order_by(Job.id).limit(1).with_for_update(skip_locked=True)
        )
        if job is None:
            session.rollback()
            return None
        job.state, job.worker, job.lease_until, job.attempts = "running", worker, lease, job.attempts + 1
        session.commit()
        return job
    oldest = select(Job.id).where(Job.state == "queued").order_by(Job.id).limit(1).scalar_subquery()
    job_id = session.scalar(
        update(Job)
        .where(Job.id == oldest, Job.state == "queued")
        .values(state="running", worker=worker, lease_until=lease, attempts=Job.attempts + 1)
        .returning(Job.id)
    )
    session.commit()
    return None if job_id is None else session.get(Job, job_id)


def _finish(
    session: Session, job: Job, state: str, *, error: str | None = None, result: dict[str, Any] | None = None
) -> None:
    job.state, job.error, job.result, job.finished_at, job.lease_until = state, error, result, _now(), None


def _fail(session: Session, job: Job, error: str) -> None:
    """A job that failed: its reason on the job and in the audit trail, committed."""
    _finish(session, job, "failed", error=error)
    audit.append(
        session,
        actor="worker",
        action="job.fail",
        detail=f"job {job.id}: {job.error}",
        study_id=job.payload.get("study_id"),
    )
    session.commit()


@dataclass(frozen=True, slots=True)
class DraftDone:
    """What a finished draft job reports to the metrics."""

    backend: str
    seconds: float
    llm: dict[str, Any]  # the drafter's provenance: sentences passed, repaired, replaced, ...
    flag_codes: tuple[str, ...]


Observer = Callable[[DraftDone], None]


def run_job(session: Session, job: Job, observe: Observer | None = None) -> None:
    """Run one claimed job to done or failed (with the reason); commits."""
    from reporter.service.reading_room import add_draft_version, prepare_draft

    try:
        if job.kind == "qa":
            from reporter.service.reading_room import qa_of_reports

            result = qa_of_reports(session, job.payload["report_ids"])
            _finish(session, job, "done", result=result)
            session.commit()
            return
        if job.kind in ("verify", "structure"):
            from reporter.service import batches

            result = batches.run(session, job)
            _finish(session, job, "done", result=result)
            session.commit()
            return
        if job.kind != "draft":
            raise NotFoundError(f"unknown job kind {job.kind!r}")
        row = session.get(StudyRow, job.payload["study_id"])
        user = session.get(User, job.created_by)
        if row is None or user is None:
            raise NotFoundError("the job's study or user no longer exists")
        if job.payload.get("require_qualified"):  # checked again when it runs: a validation since may have revoked it
            from reporter.service.validation_records import require_qualified

            require_qualified(session, job.payload["llm"])
        session.commit()  # no transaction (no lock) held while the model runs
        started = time.perf_counter()
        templates = job.payload.get("templates_dir")  # the site's templates when the job was queued
        drafted, text, flags = prepare_draft(row, job.payload["llm"], None if templates is None else Path(templates))
        seconds = time.perf_counter() - started
        session.commit()
        actor = Actor(id=user.id, name=user.name, role=Role(user.role))
        view = add_draft_version(session, actor, row.id, drafted, text, flags)
        _finish(session, job, "done", result={"report_id": view.id, "version": view.current.number})
        session.commit()
        if observe is not None:
            llm = drafted.provenance.llm or {}
            observe(
                DraftDone(
                    backend=str(llm.get("backend", "rules")),
                    seconds=seconds,
                    llm=llm,
                    flag_codes=tuple(f["code"] for f in flags),
                )
            )
    except NcreportError as exc:
        session.rollback()
        _fail(session, job, f"{exc.code}: {exc.message}")
    except Exception as exc:  # a bug: recorded on the job, not lost; the worker goes on
        session.rollback()
        _log.exception("job %s failed", job.id)
        _fail(session, job, f"E900: internal error ({type(exc).__name__})")


def _alive_here(worker: str | None) -> bool | None:
    """Whether a job's worker still runs, when it ran on this host (None: another host, cannot tell)."""
    host, _, rest = (worker or "").partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return None
    if int(pid_text) == os.getpid():
        return worker in _LIVE_WORKERS
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(session: Session) -> list[int]:
    """Requeue (or fail, after MAX_ATTEMPTS) every running job whose worker is gone; the ids handled."""
    handled = []
    now = _now()
    query = select(Job).where(Job.state == "running").order_by(Job.id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)  # two processes starting at once recover each job once
    for job in session.scalars(query):
        expired = job.lease_until is None or _aware(job.lease_until) < now
        if not (expired or _alive_here(job.worker) is False):
            continue
        if job.attempts >= MAX_ATTEMPTS:
            _finish(
                session,
                job,
                "failed",
                error=f"E900: its worker stopped while running it, {job.attempts} times; not retried",
            )
        else:
            job.state, job.worker, job.lease_until = "queued", None, None
        audit.append(
            session,
            actor="worker",
            action="job.recover",
            detail=f"job {job.id}: {job.state}",
            study_id=job.payload.get("study_id"),
        )
        handled.append(job.id)
    session.commit()
    return handled


def run_pending(
    sessions: sessionmaker[Session], lease_s: int = 900, worker: str | None = None, observe: Observer | None = None
) -> int:
    """Run queued jobs until none is left; how many were run."""
    worker = worker or worker_id()
    count = 0
    with sessions() as session:
        while (job := claim(session, worker, lease_s)) is not None:
            run_job(session, job, observe)
            count += 1
    return count


class Worker:
    """An in-process worker thread (started by ``ncreport serve``): recover, then claim and run jobs."""

    def __init__(
        self, sessions: sessionmaker[Session], lease_s: int = 900, poll_s: float = 1.0, observe: Observer | None = None
    ) -> None:
        self._sessions, self._lease_s, self._poll_s, self._observe = sessions, lease_s, poll_s, observe
        self._stop = threading.Event()
        self.id = worker_id()
        self._thread = threading.Thread(target=self._loop, name=f"ncreport-worker-{self.id}", daemon=True)

    def start(self) -> None:
        _LIVE_WORKERS.add(self.id)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
        _LIVE_WORKERS.discard(self.id)

    def _loop(self) -> None:
        self._guard(lambda: recover_with(self._sessions))
        while not self._stop.is_set():
            ran = self._guard(lambda: run_pending(self._sessions, self._lease_s, self.id, self._observe))
            if not ran:
                self._stop.wait(self._poll_s)

    @staticmethod
    def _guard(step: Callable[[], Any]) -> Any:
        try:
            return step()
        except Exception:  # a database that is briefly away: log, wait, try again
            _log.exception("job worker step failed")
            return 0


def recover_with(sessions: sessionmaker[Session]) -> list[int]:
    with sessions() as session:
        return recover(session)


def count_by_state(session: Session) -> dict[str, int]:
    """How many jobs are in each state (for the metrics)."""
    from sqlalchemy import func

    counts = {state: 0 for state in ("queued", "running", "done", "failed")}
    for state, n in session.execute(select(Job.state, func.count()).group_by(Job.state)):
        counts[state] = n
    return counts
