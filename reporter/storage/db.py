"""Engines, sessions and migrations: a SQLite file by default, PostgreSQL (psycopg 3) by URL.

SQLite is made safe for several threads and processes: WAL, a busy timeout, foreign keys on,
and ``BEGIN IMMEDIATE`` so that a transaction takes the write lock when it starts (no
read-then-write upgrade that fails under load). Migrations are Alembic's, packaged in
``reporter/storage/alembic`` and run programmatically (:func:`upgrade`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from reporter.errors import ConfigError, StorageUnavailableError

__all__ = ["current_revision", "default_url", "is_postgres", "make_engine", "make_sessionmaker", "upgrade"]

_MIGRATIONS = Path(__file__).with_name("alembic")


def default_url(data_dir: Path) -> str:
    """The SQLite file of a data folder (created when missing)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite+pysqlite:///{(data_dir / 'ncreport.sqlite3').resolve()}"


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def _normalise(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (SQLAlchemy's own default is psycopg2)."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError("NCREPORT_DATABASE_URL is not a database URL") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(f"database {parsed.get_backend_name()!r} is not supported: use sqlite or postgresql")
    return parsed.render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and immediate transactions.

    ``hide_parameters``: a database error's message never carries the values of the statement (a study's
    JSON holds the patient's identifiers), so neither can a log line that quotes it.
    """
    url = _normalise(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True, **kwargs
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            if ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Bring the database to ``revision`` (Alembic); returns the revision it is at."""
    from alembic import command

    try:
        command.upgrade(_alembic_config(engine), revision)
    except OperationalError as exc:
        raise StorageUnavailableError(f"the database cannot be reached or written ({type(exc.orig).__name__})") from exc
    return current_revision(engine) or ""


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
