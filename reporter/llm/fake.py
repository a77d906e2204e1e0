"""A scripted chat model for tests of the drafting loop (no model, no network).

Each call returns the next scripted answer; the special answer :data:`TIMEOUT` raises the
backend timeout error, :data:`DOWN` the unavailable error, exactly as a real backend would.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from reporter.errors import BackendTimeoutError, BackendUnavailableError
from reporter.llm.backends import Backend

__all__ = ["DOWN", "ECHO", "TIMEOUT", "ScriptedChatModel", "scripted_backend"]

TIMEOUT = "<timeout>"
DOWN = "<down>"
ECHO = "<echo>"  # answer with the reference sentence of the prompt, unchanged


class ScriptedChatModel(BaseChatModel):
    """Returns scripted answers in order (the last one repeats).

    A draft asks about all its sentences at once: the first answers go to the sentences in report
    order, then the repair answers to the sentences that failed, in the same order.
    """

    answers: list[str]
    calls: int = 0
    seen: list[BaseMessage] = Field(default_factory=list)  # every message sent, for tests of what reached the model

    @property
    def _llm_type(self) -> str:
        return "ncreport-scripted"

    def _next(self) -> str:
        answer = self.answers[min(self.calls, len(self.answers) - 1)]
        self.calls += 1
        return answer

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.seen.extend(messages)
        answer = self._next()
        if answer == TIMEOUT:
            raise BackendTimeoutError("scripted backend timed out")
        if answer == DOWN:
            raise BackendUnavailableError("scripted backend is down")
        if answer == ECHO:
            answer = _reference(messages)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=answer))])


def _reference(messages: Sequence[BaseMessage]) -> str:
    text = str(messages[-1].content)
    return text.rsplit("Reference: ", 1)[-1].strip()


def scripted_backend(*answers: str) -> Backend:
    """The ``fake`` backend with these answers; one conversation at a time, so the order holds."""
    return Backend(
        name="fake.v1", chat=ScriptedChatModel(answers=list(answers) or [ECHO]), model="scripted", max_concurrency=1
    )
