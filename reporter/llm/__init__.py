"""Narrative drafting with a language model: backends (one registry), prompts, the guarded loop.

LangChain's chat-model interface is the seam: every backend is a ``BaseChatModel`` (or none), so
the drafting loop is one piece of code whatever runs the model.
"""

__all__ = ["BACKENDS", "GenerationSettings", "LLMConfig", "draft_with_llm", "make_backend"]


def __getattr__(name: str) -> object:  # lazy: importing reporter.llm must not import torch or LangChain
    if name in ("BACKENDS", "make_backend"):
        from reporter.llm import backends

        return getattr(backends, name)
    if name in ("GenerationSettings", "LLMConfig"):
        from reporter.llm import settings

        return getattr(settings, name)
    if name == "draft_with_llm":
        from reporter.llm.drafter import draft_with_llm

        return draft_with_llm
    raise AttributeError(name)
