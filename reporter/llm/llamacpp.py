"""llama-cpp-python as a LangChain chat model: the faster CPU engine on the same GGUF (optional extra).

Build it with ``pip install 'ncreport[llamacpp]'`` (a source build of about 6 minutes on 2 cores;
pip caches the wheel). Greedy decoding gives the same text as transformers on the same weights.
"""

from __future__ import annotations

import time
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, convert_to_openai_messages
from langchain_core.outputs import ChatGeneration, ChatResult

from reporter.errors import BackendUnavailableError
from reporter.llm.settings import LLMConfig

__all__ = ["LlamaCppChat", "load_llamacpp"]


class LlamaCppChat(BaseChatModel):
    """Chat completions from an in-process ``llama_cpp.Llama``."""

    llama: Any
    temperature: float = 0.0
    seed: int = 0
    max_tokens: int = 80

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-python"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        chat = convert_to_openai_messages(messages)
        out = self.llama.create_chat_completion(
            messages=chat,
            temperature=self.temperature,
            seed=self.seed,
            max_tokens=self.max_tokens,
            stop=stop,
        )
        text = out["choices"][0]["message"]["content"] or ""
        usage = out.get("usage") or {}
        message = AIMessage(
            content=text,
            usage_metadata={
                "input_tokens": int(usage.get("prompt_tokens", 0)),
                "output_tokens": int(usage.get("completion_tokens", 0)),
                "total_tokens": int(usage.get("total_tokens", 0)),
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])


def load_llamacpp(config: LLMConfig) -> tuple[LlamaCppChat, str, float, str]:
    try:
        from llama_cpp import Llama
    except ImportError as exc:
        raise BackendUnavailableError(
            "the llamacpp backend needs llama-cpp-python: pip install 'ncreport[llamacpp]' (builds from source)"
        ) from exc
    from reporter.llm.embedded import default_gguf
    from reporter.llm.identity import weights_sha256

    path = config.model_path or default_gguf()
    start = time.perf_counter()
    llama = Llama(
        model_path=str(path), n_threads=config.threads, n_ctx=2048, seed=config.generation.seed, verbose=False
    )
    seconds = round(time.perf_counter() - start, 2)
    digest = weights_sha256(path)
    g = config.generation
    chat = LlamaCppChat(llama=llama, temperature=g.temperature, seed=g.seed, max_tokens=g.max_new_tokens)
    return chat, digest, seconds, path.stem
