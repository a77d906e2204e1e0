"""``ncreport db upgrade | users add | audit verify`` on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from reporter.cli import app
from reporter.settings import get_settings


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("NCREPORT_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_upgrade_add_users_and_verify_then_detect_an_altered_entry(cli: CliRunner, db_url: str) -> None:
    upgraded = cli.invoke(app, ["db", "upgrade"])
    assert (upgraded.exit_code, upgraded.output) == (0, "database at revision ownership\n")
    added = cli.invoke(app, ["users", "add", "alice", "--role", "physician"])
    assert added.exit_code == 0, added.output
    first, token = added.output.splitlines()
    assert first == "user alice (physician) added. API token (shown once; store it now):"
    assert len(token) == 43
    assert cli.invoke(app, ["users", "add", "bob", "--role", "admin"]).exit_code == 0
    again = cli.invoke(app, ["users", "add", "alice", "--role", "qa"])
    assert again.exit_code == 2 and "[E401] a user named 'alice' exists" in again.output
    wrong_role = cli.invoke(app, ["users", "add", "carol", "--role", "surgeon"])
    assert wrong_role.exit_code == 2 and "role: one of technologist, physician, qa, admin" in wrong_role.output

    intact = cli.invoke(app, ["audit", "verify"])
    assert intact.exit_code == 0
    assert intact.output.startswith("audit trail intact: 2 entries; last hash ")

    engine = create_engine(db_url)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP TRIGGER audit_entries_no_update ON audit_entries"))
        else:
            conn.execute(text("DROP TRIGGER audit_entries_no_update"))
        conn.execute(text("UPDATE audit_entries SET detail = 'alice (admin)' WHERE seq = 1"))
    engine.dispose()
    broken = cli.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert broken.output == (
        "audit trail BROKEN after 0 good entries: audit entry 1: its content does not match its hash: altered\n"
    )


def test_serve_refuses_to_start_without_a_secret(cli: CliRunner) -> None:
    refused = cli.invoke(app, ["serve"])
    assert refused.exit_code == 2
    assert "NCREPORT_SECRET is not set" in refused.output


def test_demo_without_example_studies_says_where_it_looked(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NCREPORT_DATABASE_URL", raising=False)
    refused = cli.invoke(app, ["serve", "--demo", "--examples", str(tmp_path)])
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"error: [E201] --demo: no example studies (*.json) in {tmp_path}; run it from the "
        "ncreport checkout or give --examples DIR\n"
    )


def test_a_short_secret_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from reporter.settings import Settings

    monkeypatch.setenv("NCREPORT_SECRET", "short")
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings()
    monkeypatch.setenv("NCREPORT_SECRET", "x" * 40)
    monkeypatch.setenv("NCREPORT_CORS_ORIGINS", '["*"]')
    with pytest.raises(ValidationError, match="'\\*' is refused"):
        Settings()


def test_the_demo_loads_every_example_and_one_working_token_per_role(sessions: Any, examples_dir: Path) -> None:
    from reporter.cli.serve import load_demo
    from reporter.service import reading_room as rr
    from reporter.service.access import Role, authenticate_token

    tokens = load_demo(sessions, examples_dir)
    assert sorted(tokens) == ["demo-admin", "demo-physician", "demo-qa", "demo-technologist"]
    with sessions() as session:
        actors = {name: authenticate_token(session, token) for name, token in tokens.items()}
        assert {a.role for a in actors.values()} == set(Role)
        studies = rr.list_studies(session, actors["demo-physician"])
        assert len(studies) == len(list(examples_dir.glob("*.json"))) == 8
        assert {s.modality for s in studies} == {"SPECT", "PET"}
        assert [s.modality for s in rr.list_studies(session, actors["demo-qa"], modality="PET")] == ["PET"]


@pytest.mark.parametrize(
    ("option", "variable"), [("--templates", "NCREPORT_TEMPLATES_DIR"), ("--risk-model", "NCREPORT_RISK_MODEL_DIR")]
)
def test_serve_refuses_a_site_directory_that_does_not_exist(
    cli: CliRunner, tmp_path: Path, option: str, variable: str
) -> None:
    result = cli.invoke(app, ["serve", option, str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert result.output == (
        f"error: [E104] the service's settings are invalid\n  - {variable}: {tmp_path / 'missing'} is not a directory\n"
    )
