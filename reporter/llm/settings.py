"""LLM configuration: which backend, where its model is, and the generation settings.

Defaults are declared once here; every value can come from the environment
(``NCREPORT_LLM_BACKEND=openai``, ``NCREPORT_LLM_URL=...``) or the CLI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["GenerationSettings", "LLMConfig"]


class GenerationSettings(BaseModel):
    """Deterministic decoding: greedy (temperature 0), a fixed seed, bounded tokens and time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    temperature: float = Field(0.0, ge=0, le=2)
    seed: int = 0
    max_new_tokens: int = Field(80, ge=8, le=1024)
    timeout_s: float = Field(30.0, gt=0, le=600)
    repetition_penalty: float = Field(1.0, ge=1.0, le=2.0)


class LLMConfig(BaseSettings):
    """Which backend drafts the narrative. ``none`` is the rule-based text alone."""

    model_config = SettingsConfigDict(env_prefix="NCREPORT_LLM_", extra="forbid", frozen=True)

    # The service keeps the model loaded and drafts with it (a job per draft). The one-shot command line
    # `ncreport draft` chooses "none" for itself (reporter/cli/draft.py): a cold process on a busy 2-core
    # machine spent over 60 s loading and prefilling before its rule-text fallback.
    backend: str = Field("embedded", description="none | embedded | openai | llamacpp | fake")
    model_path: Path | None = Field(None, description="embedded/llamacpp: a GGUF file or a model directory")
    url: str | None = Field(None, description="openai: base URL of an OpenAI-compatible server, e.g. vLLM")
    model: str | None = Field(None, description="openai: the served model name")
    api_key: str = Field("EMPTY", repr=False)
    threads: int = Field(2, ge=1, le=256)
    generation: GenerationSettings = GenerationSettings()

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.backend == "openai" and (not self.url or not self.model):
            raise ValueError("the openai backend needs --llm-url and --llm-model")
        return self

    @field_validator("url")
    @classmethod
    def _plain_url(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        if url is not None and "@" in urlsplit(url).netloc:
            # The URL is recorded in every report's provenance; a secret must not be.
            raise ValueError("must not carry credentials (user:password@); set NCREPORT_LLM_API_KEY instead")
        return url
