"""Backends by versioned name; each builds a LangChain chat model (``none`` builds nothing).

    none.v1       rule-based narrative only (always available, deterministic)
    embedded.v1   SmolLM2-135M-Instruct (or a configured local model) through transformers, CPU
    openai.v1     any OpenAI-compatible server: vLLM on GPUs in production, llama.cpp's server on CPU
    llamacpp.v1   llama-cpp-python on the same GGUF, in process (the [llamacpp] extra)
    fake.v1       scripted answers, for tests of the drafting loop

Heavy libraries are imported inside the factory that needs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reporter.errors import BackendUnavailableError, ConfigError
from reporter.llm.settings import LLMConfig

__all__ = ["BACKENDS", "CANCEL_KEY", "Backend", "make_backend"]


#: Key of a call's cancel event in ``batch(..., config={"configurable": {CANCEL_KEY: event}})``: the drafter
#: sets it when its time is up; the in-process engine stops at its next step (see ``embedded.TransformersChat``).
CANCEL_KEY = "ncreport_cancel"


@dataclass
class Backend:
    """A ready chat model and what the report's provenance must say about it."""

    name: str
    chat: Any  # langchain_core BaseChatModel, or None for the rule-based backend
    model: str
    weights_sha256: str | None = None
    load_seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)
    max_concurrency: int | None = None  # conversations answered at once by ``batch``; 1 for in-process engines


def _none(config: LLMConfig) -> Backend:
    return Backend(name="none.v1", chat=None, model="rule-based")


def _embedded(config: LLMConfig) -> Backend:
    from reporter.llm.embedded import TransformersChat, load_embedded

    loaded = load_embedded(config.model_path, threads=config.threads)
    g = config.generation
    chat = TransformersChat(
        loaded=loaded, max_new_tokens=g.max_new_tokens, repetition_penalty=g.repetition_penalty, max_time=g.timeout_s
    )
    details = {"source": loaded.source, "dtype": str(loaded.model.dtype).removeprefix("torch.")}
    return Backend(
        name="embedded.v1",
        chat=chat,
        model=loaded.name,
        weights_sha256=loaded.weights_sha256,
        load_seconds=loaded.load_seconds,
        details=details,
    )


def _openai(config: LLMConfig) -> Backend:
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise BackendUnavailableError("the openai backend needs ncreport[llm] (langchain-openai)") from exc
    g = config.generation
    chat = ChatOpenAI(
        base_url=config.url,
        api_key=config.api_key,
        model=config.model,
        temperature=g.temperature,
        seed=g.seed,
        max_tokens=g.max_new_tokens,
        timeout=g.timeout_s,
        max_retries=0,
    )
    return Backend(name="openai.v1", chat=chat, model=str(config.model), details={"url": config.url})


def _llamacpp(config: LLMConfig) -> Backend:
    from reporter.llm.llamacpp import load_llamacpp

    chat, weights_sha256, seconds, name = load_llamacpp(config)
    return Backend(
        name="llamacpp.v1",
        chat=chat,
        model=name,
        weights_sha256=weights_sha256,
        load_seconds=seconds,
        max_concurrency=1,
    )  # one llama.cpp context: not safe for concurrent calls


def _fake(config: LLMConfig) -> Backend:
    from reporter.llm.fake import scripted_backend

    return scripted_backend()


BACKENDS: dict[str, Callable[[LLMConfig], Backend]] = {
    "none.v1": _none,
    "embedded.v1": _embedded,
    "openai.v1": _openai,
    "llamacpp.v1": _llamacpp,
    "fake.v1": _fake,
}

_cache: dict[str, Backend] = {}


def make_backend(config: LLMConfig) -> Backend:
    """The backend a config names ('embedded' or 'embedded.v1'), built once per process and config."""
    name = config.backend if "." in config.backend else f"{config.backend}.v1"
    if name not in BACKENDS:
        raise ConfigError(
            f"unknown LLM backend {config.backend!r}; choose one of {', '.join(n.split('.')[0] for n in BACKENDS)}"
        )
    key = config.model_dump_json()
    if name in ("embedded.v1", "llamacpp.v1") and key in _cache:
        return _cache[key]  # keep a loaded model loaded
    backend = BACKENDS[name](config)
    _cache[key] = backend
    return backend
