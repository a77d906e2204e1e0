"""Settings of one ncreport installation, read once from the environment (``NCREPORT_*``).

Each default is declared once: size limits in :mod:`reporter.domain.limits`, clinical
thresholds in :mod:`reporter.domain.thresholds`, the language model's settings in
:mod:`reporter.llm.settings` (``NCREPORT_LLM_*``). Interfaces (CLI, API) read
:func:`get_settings`; engines take the values as parameters.
"""

from __future__ import annotations

import functools

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from reporter.domain.limits import MAX_STUDY_BYTES, MAX_TEXT_CHARS

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """``NCREPORT_MAX_TEXT_BYTES=2000000`` raises the text limit, and so on."""

    model_config = SettingsConfigDict(env_prefix="NCREPORT_", extra="ignore", frozen=True)

    max_study_bytes: int = Field(MAX_STUDY_BYTES, ge=1024, le=100 * 1024 * 1024)
    max_text_bytes: int = Field(MAX_TEXT_CHARS, ge=1024, le=100 * 1024 * 1024)


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (read once)."""
    return Settings()
