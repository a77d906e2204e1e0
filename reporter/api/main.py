"""The app, assembled: settings, database, routes, the error handlers, the request envelope, CORS, metrics.

``create_app()`` is all there is; it holds no logic of its own. ``ncreport serve`` runs the
migrations and then uvicorn on it (with the in-process drafting worker).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy.orm import Session, sessionmaker

from reporter.api import errors
from reporter.api.metrics import Metrics
from reporter.api.middleware import RequestEnvelope
from reporter.api.routes import admin, checks, reports, studies
from reporter.settings import Settings, get_settings

__all__ = ["create_app"]


def _database(settings: Settings) -> sessionmaker[Session]:
    from reporter.storage import default_url, make_engine, make_sessionmaker

    url = settings.database_url.get_secret_value() if settings.database_url else default_url(settings.data_dir)
    return make_sessionmaker(make_engine(url))


def create_app(settings: Settings | None = None, sessions: sessionmaker[Session] | None = None,
               worker: bool = False) -> FastAPI:
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
        running = jobs.Worker(sessions, lease_s=settings.job_lease_s) if worker else None
        if running is not None:
            running.start()
        try:
            yield
        finally:
            if running is not None:
                running.stop()

    app = FastAPI(title="ncreport reading room", version=app_version, lifespan=lifespan,
                  description="Draft, edit, verify and sign nuclear cardiology reports. "
                              "Every request but /api/health and /metrics needs a bearer token.")
    app.state.settings, app.state.sessions = settings, sessions
    app.state.metrics = Metrics(count_jobs)
    for router in (studies.router, reports.router, checks.router, admin.router):
        app.include_router(router)
    errors.install(app)
    from reporter.api.web import page_app

    app.mount("/", page_app(settings, sessions))  # last: the API's routes match first
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_credentials=False,
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(RequestEnvelope, max_body_bytes=settings.max_body_bytes, metrics=app.state.metrics)
    return app
