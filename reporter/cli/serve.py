"""``ncreport serve | db | users | audit``: the reading-room service and its database.

ncreport serve [--demo]            the API on http://127.0.0.1:8000 (migrations run first)
ncreport db upgrade                Alembic migrations to the newest schema
ncreport users add NAME --role R   a user and their API token (printed once, stored hashed)
ncreport users password NAME       set the password of the page's login (argon2)
ncreport audit verify              walk the audit chain; exit 1 naming the first broken entry
"""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reporter.errors import ConfigError, NotFoundError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from reporter.settings import Settings

__all__ = ["audit_app", "db_app", "serve", "users_app"]

db_app = typer.Typer(
    help="The service's database (SQLite by default, PostgreSQL by NCREPORT_DATABASE_URL).", no_args_is_help=True
)
users_app = typer.Typer(help="Users of the reading room and their roles.", no_args_is_help=True)
audit_app = typer.Typer(help="The append-only, hash-chained audit trail.", no_args_is_help=True)

DEMO_SECRET = "ncreport-demo-secret-not-for-use-with-patient-data"


def _url(settings: Settings) -> str:
    from reporter.storage import default_url

    return settings.database_url.get_secret_value() if settings.database_url else default_url(settings.data_dir)


@contextlib.contextmanager
def _database(url: str, migrate: bool = True) -> Iterator[sessionmaker[Session]]:
    """Sessions on the database at ``url`` (migrated first), its connections closed at the end."""
    from reporter.storage import make_engine, make_sessionmaker, upgrade

    engine = make_engine(url)
    try:
        if migrate:
            upgrade(engine)
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database to the newest schema (also run by `serve` on start)."""
    from reporter.settings import get_settings
    from reporter.storage.db import current_revision

    with _database(_url(get_settings())) as sessions:
        revision = current_revision(sessions.kw["bind"])
    typer.echo(f"database at revision {revision}")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ - @).")],
    role: Annotated[str, typer.Option("--role", help="technologist | physician | qa | admin")],
) -> None:
    """Add a user; prints their API token once (only its hash is stored)."""
    from reporter.service.access import create_user
    from reporter.settings import get_settings

    with _database(_url(get_settings())) as sessions, sessions() as session:
        user, token = create_user(session, name, role, by="cli")
    typer.echo(f"user {user.name} ({user.role}) added. API token (shown once; store it now):")
    typer.echo(token)


@users_app.command("password")
def users_password(
    name: Annotated[str, typer.Argument(help="User name.")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Set a user's password for the page's login (hashed with argon2)."""
    from reporter.service.access import set_password
    from reporter.settings import get_settings

    with _database(_url(get_settings())) as sessions, sessions() as session:
        set_password(session, name, password)
    typer.echo(f"password of {name} set")


@audit_app.command("verify")
def audit_verify() -> None:
    """Walk the hash chain; exit 1 naming the first entry that was altered, deleted or reordered."""
    from reporter.service.audit_trail import check_chain
    from reporter.settings import get_settings

    with _database(_url(get_settings()), migrate=False) as sessions, sessions() as session:
        check = check_chain(session)
    if check.problem is not None:
        typer.echo(f"audit trail BROKEN after {check.entries} good entries: {check.problem}", err=True)
        raise typer.Exit(1)
    typer.echo(f"audit trail intact: {check.entries} entries; last hash {check.last_hash}")


def load_demo(sessions: sessionmaker[Session], examples: Path) -> dict[str, str]:
    """One user per role (fresh tokens, the page password DEMO_PASSWORD) and the example studies; tokens by name."""
    from reporter.service import reading_room as rr
    from reporter.service.access import Role, create_user, set_password
    from reporter.settings import DEMO_PASSWORD

    tokens = {}
    with sessions() as session:
        actors = {}
        for role in Role:
            actors[role], tokens[f"demo-{role.value}"] = create_user(session, f"demo-{role.value}", role, by="demo")
            set_password(session, f"demo-{role.value}", DEMO_PASSWORD, by="demo")
        for path in sorted(examples.glob("*.json")):
            rr.submit_study(session, actors[Role.TECHNOLOGIST], json.loads(path.read_text(encoding="utf-8")))
    return tokens


def serve(
    host: Annotated[str, typer.Option(help="Address to bind (loopback by default; put a TLS proxy in front).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="A fresh demo database: example studies, one user per role (tokens printed). Never for patient data.",
        ),
    ] = False,
    examples: Annotated[Path, typer.Option(help="--demo: folder of example studies.")] = Path("examples"),
    workers: Annotated[
        int,
        typer.Option(
            min=1, max=64, help="Server processes (each with its own drafting worker); more than 1 wants PostgreSQL."
        ),
    ] = 1,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="A site's report templates (as for "
            "`ncreport draft --templates`): drafts and signed reports "
            "(NCREPORT_TEMPLATES_DIR).",
        ),
    ] = None,
    risk_model: Annotated[
        Path | None,
        typer.Option(
            "--risk-model",
            help="A decision-support model directory: the "
            "monitoring page shows the submitted studies' input drift "
            "(NCREPORT_RISK_MODEL_DIR).",
        ),
    ] = None,
) -> None:
    """The reading-room API (OpenAPI docs at /docs); runs the migrations first."""
    import os

    import uvicorn

    from reporter.api.logs import configure_logging
    from reporter.api.main import create_app
    from reporter.settings import DEMO_PASSWORD, Settings, get_settings, settings_of

    settings = get_settings()
    chosen = {k: v for k, v in {"templates_dir": templates, "risk_model_dir": risk_model}.items() if v is not None}
    if chosen:  # over the environment's values, validated as they are (an existing directory)
        settings = settings_of(**chosen)
    if demo:
        if settings.database_url is not None:
            raise ConfigError("--demo uses its own SQLite file: unset NCREPORT_DATABASE_URL")
        if not any(examples.glob("*.json")):  # an empty worklist would say nothing of why
            raise NotFoundError(
                f"--demo: no example studies (*.json) in {examples.resolve()}; run it from the "
                "ncreport checkout or give --examples DIR"
            )
        demo_db = settings.data_dir / "demo.sqlite3"
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        for stale in settings.data_dir.glob("demo.sqlite3*"):
            stale.unlink()
        url = f"sqlite+pysqlite:///{demo_db.resolve()}"
        settings = Settings.model_validate(
            {**settings.model_dump(), "secret": settings.secret or DEMO_SECRET, "demo": True}
        )
    else:
        if settings.secret is None:
            raise ConfigError(
                "NCREPORT_SECRET is not set: give it 32+ random characters "
                f"(e.g. {secrets.token_urlsafe(32)}), or run with --demo"
            )
        url = _url(settings)
    configure_logging()
    with _database(url) as sessions:
        if demo:
            tokens = load_demo(sessions, examples)
            typer.echo(
                f"demo users: log in to the page with the password {DEMO_PASSWORD!r}; "
                "the API takes the bearer tokens (this run only):"
            )
            for name, token in tokens.items():
                typer.echo(f"  {name:<20} {token}")
        typer.echo(f"ncreport reading room on http://{host}:{port} (the page at /, API docs at /docs)")
        if workers == 1:
            app = create_app(settings, sessions, worker=settings.worker_threads > 0)
            uvicorn.run(app, host=host, port=port, access_log=False, log_config=None)
            return
    # Several processes: each builds its app from the environment (reporter.api.main.app_from_environment).
    os.environ["NCREPORT_DATABASE_URL"] = url
    os.environ["NCREPORT_DEMO"] = "true" if settings.demo else "false"
    for name, value in (
        ("NCREPORT_TEMPLATES_DIR", settings.templates_dir),
        ("NCREPORT_RISK_MODEL_DIR", settings.risk_model_dir),
    ):
        if value is not None:
            os.environ[name] = str(value.resolve())
    if settings.secret is not None:
        os.environ["NCREPORT_SECRET"] = settings.secret.get_secret_value()
    uvicorn.run(
        "reporter.api.main:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        access_log=False,
        log_config=None,
    )
