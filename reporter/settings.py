"""Settings of one ncreport installation, read once from the environment (``NCREPORT_*``).

Each default is declared once: size limits in :mod:`reporter.domain.limits`, clinical
thresholds in :mod:`reporter.domain.thresholds`, the language model's settings in
:mod:`reporter.llm.settings` (``NCREPORT_LLM_*``). Interfaces (CLI, API) read
:func:`get_settings`; engines take the values as parameters.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from reporter.domain.limits import MAX_STUDY_BYTES, MAX_TEXT_CHARS

__all__ = ["DEMO_PASSWORD", "Settings", "get_settings"]

DEMO_PASSWORD = "ncreport-demo"  # `serve --demo`: every demo user's page password (printed, and on the login page)


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
    session_hours: float = Field(8.0, gt=0, le=24 * 7, description="page login lifetime")
    cookie_secure: bool = Field(True, description="Secure cookies (browsers accept them on http://127.0.0.1 too)")
    login_attempts: int = Field(5, ge=1, le=100, description="failed logins per name and address per 15 min")
    demo: bool = Field(False, description="set by `serve --demo`: the login page names the demo users")
    job_lease_s: int = Field(900, ge=10, le=86400, description="a running job not finished by then is stale")
    require_qualified_llm: bool = Field(
        False, description="refuse a language-model draft (E450) unless the backend's latest qualification on record "
                           "passed (`ncreport validate-site --llm ...`, filed with `ncreport validations add`)")

    @field_validator("secret")
    @classmethod
    def _strong_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < 32:
            raise ValueError("must be at least 32 characters, e.g. from `python -c 'import secrets; "
                             "print(secrets.token_urlsafe())'`")
        return value

    @field_validator("cors_origins")
    @classmethod
    def _explicit_origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for origin in value:
            if origin == "*" or not origin.startswith(("https://", "http://")):
                raise ValueError(f"{origin!r}: list explicit origins (scheme://host[:port]); '*' is refused")
        return value


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (read once)."""
    return Settings()
