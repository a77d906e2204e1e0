"""Settings of one ncreport installation, read once from the environment (``NCREPORT_*``).

Each default is declared once: size limits in :mod:`reporter.domain.limits`, clinical
thresholds in :mod:`reporter.domain.thresholds`, the language model's settings in
:mod:`reporter.llm.settings` (``NCREPORT_LLM_*``). Interfaces (CLI, API) read
:func:`get_settings`; engines take the values as parameters.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from reporter.domain.limits import MAX_STUDY_BYTES, MAX_TEXT_CHARS
from reporter.errors import ConfigError, FieldProblem

__all__ = ["DEMO_PASSWORD", "Settings", "check_ae_title", "get_settings", "settings_of"]

DEMO_PASSWORD = "ncreport-demo"  # `serve --demo`: every demo user's page password (printed, and on the login page)


def check_ae_title(value: str) -> str:
    """A DICOM AE title (PS3.5 AE: 1-16 printable ASCII characters, no backslash, not only spaces)."""
    value = value.strip()
    if not 1 <= len(value) <= 16 or not all(" " <= c <= "~" and c != "\\" for c in value):
        raise ValueError(f"{value!r} is not an AE title: 1-16 printable ASCII characters, no backslash")
    return value


class Settings(BaseSettings):
    """``NCREPORT_MAX_TEXT_BYTES=2000000`` raises the text limit, and so on."""

    model_config = SettingsConfigDict(env_prefix="NCREPORT_", extra="ignore", frozen=True)

    max_study_bytes: int = Field(MAX_STUDY_BYTES, ge=1024, le=100 * 1024 * 1024)
    max_text_bytes: int = Field(MAX_TEXT_CHARS, ge=1024, le=100 * 1024 * 1024)

    # The reading-room service (``ncreport serve``).
    data_dir: Path = Field(Path("ncreport-data"), description="SQLite file and job files when no database URL")
    database_url: SecretStr | None = Field(None, description="postgresql://user:pw@host/db; default SQLite")
    secret: SecretStr | None = Field(None, description="signs session cookies; required unless --demo")
    cors_origins: tuple[str, ...] = Field((), description="allow-list of origins; empty: CORS off")
    max_body_bytes: int = Field(6 * 1024 * 1024, ge=1024, le=100 * 1024 * 1024, description="request body limit")
    worker_threads: int = Field(1, ge=0, le=32, description="in-process drafting workers (0: none)")
    warm_up: bool = Field(
        True,
        description="draft and verify a made-up study in each process before it serves (the "
        "spaCy pipeline, cues and templates load then, not in a user's request)",
    )
    request_threads: int = Field(
        2,
        ge=1,
        le=256,
        description="requests one server process works on at once; the others wait their turn in "
        "order (Python runs one thread at a time: more threads share one core and hold "
        "database locks while they wait for it)",
    )
    session_hours: float = Field(8.0, gt=0, le=24 * 7, description="page login lifetime")
    cookie_secure: bool = Field(True, description="Secure cookies (browsers accept them on http://127.0.0.1 too)")
    login_attempts: int = Field(5, ge=1, le=100, description="failed logins per name and address per 15 min")
    demo: bool = Field(False, description="set by `serve --demo`: the login page names the demo users")
    job_lease_s: int = Field(900, ge=10, le=86400, description="a running job not finished by then is stale")
    require_qualified_llm: bool = Field(
        False,
        description="refuse a language-model draft (E450) unless the backend's latest qualification on record "
        "passed (`ncreport validate-site --llm ...`, filed with `ncreport validations add`)",
    )
    templates_dir: Path | None = Field(
        None,
        description="a site's report templates (drafts and signed documents); "
        "its files take precedence over the packaged ones",
    )
    risk_model_dir: Path | None = Field(
        None,
        description="a decision-support model directory (`ncreport risk "
        "train`): the monitoring page shows the input drift",
    )

    @field_validator("templates_dir", "risk_model_dir")
    @classmethod
    def _existing_dir(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"{value} is not a directory")
        return value

    # The PACS that `ncreport send` and the API's send store to (DICOM C-STORE); no host: none configured.
    pacs_host: str | None = Field(None, min_length=1, max_length=253, description="PACS host name or address")
    pacs_port: int = Field(104, ge=1, le=65535, description="PACS DICOM port")
    pacs_ae_title: str = Field("PACS", description="the PACS's AE title (called AE)")
    pacs_calling_ae_title: str = Field("NCREPORT", description="ncreport's AE title (calling AE), as the PACS knows it")
    pacs_timeout_s: float = Field(30.0, gt=0, le=600, description="connection, association and store timeout")

    @field_validator("secret")
    @classmethod
    def _strong_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError(
                "must be at least 32 characters, e.g. from `python -c 'import secrets; print(secrets.token_urlsafe())'`"
            )
        return value

    @field_validator("pacs_ae_title", "pacs_calling_ae_title")
    @classmethod
    def _ae_title(cls, value: str) -> str:
        return check_ae_title(value)

    @field_validator("cors_origins")
    @classmethod
    def _explicit_origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for origin in value:
            if origin == "*" or not origin.startswith(("https://", "http://")):
                raise ValueError(f"{origin!r}: list explicit origins (scheme://host[:port]); '*' is refused")
        return value


def settings_of(**values: Any) -> Settings:
    """Settings from the environment with ``values`` over it; ConfigError naming each variable if one is refused."""
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = [
            FieldProblem(f"NCREPORT_{'_'.join(map(str, e['loc'])).upper()}", e["msg"].removeprefix("Value error, "))
            for e in exc.errors(include_url=False)
        ]
        raise ConfigError("the service's settings are invalid", problems) from None


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (read once); ConfigError naming the variable that is refused."""
    return settings_of()
