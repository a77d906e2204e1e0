"""Which language model a backend is, for the qualification rule: the same backend, or another one.

"The same backend" (decided for the site validation, issue 20) is:

    embedded, llamacpp   the backend's versioned name + the model's name + the sha256 of its weights
                         (the file, or each ``*.safetensors`` of a directory in name order)
    openai               the versioned name + the server's base URL (without a trailing "/") + the served
                         model name: the weights sit behind the server, out of ncreport's sight, so a
                         site that swaps them under the same URL and name must qualify again
    fake                 the versioned name + "scripted" (tests)

The identity is computed from the settings without loading the model (the weights are hashed, once per
file version), so a draft job can be refused at once, before it is queued.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reporter.errors import ConfigError

if TYPE_CHECKING:
    from reporter.llm.backends import Backend
    from reporter.llm.settings import LLMConfig

__all__ = ["BackendIdentity", "backend_identity", "identity_of", "versioned", "weights_sha256"]

_MODEL_BACKENDS = ("embedded.v1", "openai.v1", "llamacpp.v1", "fake.v1")


def versioned(name: str) -> str:
    """'embedded' -> 'embedded.v1', as the registry names backends."""
    return name if "." in name else f"{name}.v1"


def _url(url: str | None) -> str | None:
    return None if url is None else url.rstrip("/")


@dataclass(frozen=True, slots=True)
class BackendIdentity:
    """A language-model backend as the qualification rule compares it."""

    backend: str
    model: str
    weights_sha256: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", _url(self.url))

    def __str__(self) -> str:
        parts = [f"{self.backend} model {self.model!r}"]
        if self.url is not None:
            parts.append(f"at {self.url}")
        if self.weights_sha256 is not None:
            parts.append(f"weights sha256 {self.weights_sha256[:12]}…")
        return " ".join(parts)


_hashes: dict[tuple[str, int, int], str] = {}
_lock = threading.Lock()


def _file_sha256(path: Path) -> str:
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    with _lock:
        if key in _hashes:
            return _hashes[key]
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    with _lock:
        _hashes[key] = digest.hexdigest()
    return _hashes[key]


def weights_sha256(path: Path) -> str:
    """The sha256 of a model's weights: the file's, or for a directory the sha256 of its safetensors' digests."""
    if path.is_dir():
        digests = "".join(_file_sha256(p) for p in sorted(path.glob("*.safetensors")))
        return hashlib.sha256(digests.encode()).hexdigest()
    return _file_sha256(path)


def backend_identity(config: LLMConfig) -> BackendIdentity | None:
    """The identity of the backend ``config`` names, without loading it; None for the rule-based ``none``."""
    name = versioned(config.backend)
    if name == "none.v1":
        return None
    if name not in _MODEL_BACKENDS:
        raise ConfigError(f"unknown LLM backend {config.backend!r}")
    if name == "openai.v1":
        return BackendIdentity(name, str(config.model), url=config.url)
    if name == "fake.v1":
        return BackendIdentity(name, "scripted")
    if config.model_path is not None:
        path = config.model_path.expanduser().resolve()
        if not path.exists():
            raise ConfigError(f"{name.split('.')[0]} model path {path} does not exist")
    else:
        from reporter.llm.embedded import default_gguf

        path = default_gguf().resolve()
    return BackendIdentity(name, path.stem, weights_sha256=weights_sha256(path))


def identity_of(backend: Backend) -> BackendIdentity | None:
    """The identity of a built backend (what a qualification records); None for ``none``."""
    if backend.name == "none.v1":
        return None
    url = backend.details.get("url")
    return BackendIdentity(backend.name, backend.model, backend.weights_sha256, url if isinstance(url, str) else None)
