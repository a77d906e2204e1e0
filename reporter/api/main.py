"""The app, assembled: settings, database, routes, the error handlers, the request envelope, CORS, metrics.

``create_app()`` is all there is; it holds no logic of its own. ``ncreport serve`` runs the
migrations and then uvicorn on it (with the in-process drafting worker).
"""

from __future__ import annotations

import gc
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy.orm import Session, sessionmaker

from reporter.api import errors
from reporter.api.metrics import Metrics
from reporter.api.middleware import RequestEnvelope
from reporter.api.routes import admin, checks, reports, session, studies, validations
from reporter.api.schemas import ErrorOut
from reporter.api.sessions import LoginLimiter, SessionCodec
from reporter.settings import Settings, get_settings

_log = logging.getLogger("ncreport.serve")

__all__ = ["app_from_environment", "create_app"]

# Every route may answer these, each with the one error body (reporter.api.errors).
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in {
        400: "malformed input (E102)",
        401: "no valid bearer token (E501)",
        403: "the role may not (E502)",
        404: "no such record (E201)",
        409: "the record's state or the site's policy forbids it (E401, E402, E450)",
        413: "body or text too large (E103)",
        422: "invalid input, per field (E100, E101, E104)",
        429: "too many failed logins (E503)",
        503: "the database is unavailable (E601)",
    }.items()
}


def _database(settings: Settings) -> sessionmaker[Session]:
    from reporter.storage import default_url, make_engine, make_sessionmaker

    url = settings.database_url.get_secret_value() if settings.database_url else default_url(settings.data_dir)
    return make_sessionmaker(make_engine(url))


def _warm_up() -> None:
    """Load the engines before the first request (:mod:`reporter.service.warmup`); a failure is logged, and the
    requests that need the engine report it."""
    from reporter.service.warmup import warm_up

    try:
        took = warm_up()
    except Exception:  # a broken engine must not keep the API (and its health check) from starting
        _log.exception("warm-up failed: the first draft, edit or structuring will load the engines")
        return
    # what is loaded now (the pipeline, cues, templates: some 220,000 objects the collector tracks) lives as long as
    # the process; frozen, a full collection no longer walks it (~100 ms that stopped one request in some dozens)
    gc.collect()
    gc.freeze()
    _log.info("warmed up in %.0f ms (%s)", sum(took.values()), ", ".join(f"{k} {v:.0f} ms" for k, v in took.items()))


def create_app(
    settings: Settings | None = None, sessions: sessionmaker[Session] | None = None, worker: bool = False
) -> FastAPI:
    """The API over ``sessions`` (default: the settings' database); ``worker`` runs drafting jobs in-process."""
    from importlib.metadata import PackageNotFoundError, version

    from reporter.service import jobs

    try:
        app_version = version("ncreport")
    except PackageNotFoundError:  # a source checkout without an install
        app_version = "0"

    settings = settings or get_settings()
    sessions = sessions or _database(settings)

    def count_jobs() -> dict[str, int]:
        with sessions() as session:
            return jobs.count_by_state(session)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        def observe(done: jobs.DraftDone) -> None:
            app.state.metrics.observe_llm_draft(done.backend, done.seconds, done.llm, done.flag_codes)

        running = [
            jobs.Worker(sessions, lease_s=settings.job_lease_s, observe=observe)
            for _ in range(settings.worker_threads if worker else 0)
        ]
        # the request threads (FastAPI runs each plain `def` route and dependency in AnyIO's thread pool)
        to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        if settings.warm_up:
            await to_thread.run_sync(_warm_up)
        for each in running:
            each.start()
        try:
            yield
        finally:
            for each in running:
                each.stop()

    app = FastAPI(
        title="ncreport reading room",
        version=app_version,
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
        description="Draft, edit, verify and sign nuclear cardiology reports. "
        "Every request but /api/health and /metrics needs a bearer token.",
    )
    app.state.settings, app.state.sessions = settings, sessions
    app.state.metrics = Metrics(count_jobs)
    secret = settings.secret.get_secret_value() if settings.secret else secrets.token_urlsafe(32)  # tests: per app
    app.state.session_codec = SessionCodec(secret, int(settings.session_hours * 3600))
    app.state.login_limiter = LoginLimiter(settings.login_attempts)
    for router in (session.router, studies.router, reports.router, checks.router, admin.router, validations.router):
        app.include_router(router)
    errors.install(app)
    from reporter.api.web import page_app

    # last: the API's routes match first
    app.mount("/", page_app(settings, sessions, app.state.session_codec, app.state.login_limiter))
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_credentials=False,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(RequestEnvelope, max_body_bytes=settings.max_body_bytes, metrics=app.state.metrics)
    return app


def app_from_environment() -> FastAPI:
    """The app of one of several server processes (``ncreport serve --workers N``): settings from the environment."""
    from reporter.api.logs import configure_logging

    configure_logging()
    settings = get_settings()
    return create_app(settings, worker=settings.worker_threads > 0)
