"""Whether a finding the guardrails read with their own patterns is denied by a cue before it.

One vocabulary of denial cues (``resources/denial.json``) serves every topic; a topic differs only in how far its
cue reaches and in the cues of its own. ``before(topic)`` is a pattern that matches at the end of the text before
the finding: ``before("arrhythmia").search(sentence, 0, hit.start())``.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reporter.errors import ConfigError

__all__ = ["before", "topics"]


class _Words(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    words: int = Field(ge=0, le=10)


class _Chars(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    chars: int = Field(ge=0, le=400)
    stop: str = Field(min_length=1)


class _Topic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    reach: _Words | _Chars
    also: tuple[str, ...] = ()


class _DenialFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    description: str
    cues: tuple[str, ...] = Field(min_length=1)
    topics: dict[str, _Topic]


Topic = Literal[
    "arrhythmia", "stress_symptom", "new_defect", "feature_in_words", "calcium", "obstructive_disease", "device",
    "advice", "territory", "ecg_leads", "normal_feature",
]  # fmt: skip


@functools.cache
def _file() -> _DenialFile:
    path = resources.files("guardrails") / "resources" / "denial.json"
    try:
        return _DenialFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValidationError, json.JSONDecodeError) as exc:
        raise ConfigError(f"guardrails denial file is invalid: {exc}") from exc


def _cue(phrase: str) -> str:
    """A cue as a pattern: a phrase of whole words ("absence of"), or a contraction's ending ("n't", also "n’t")."""
    if phrase == "n't":
        return r"n['\u2019]t\b"
    words = r"\s+".join(re.escape(w) for w in phrase.split())
    return rf"\b{words}(?![\w/])"


def topics() -> tuple[str, ...]:
    """The topics of the denial file."""
    return tuple(_file().topics)


@functools.cache
def before(topic: Topic) -> re.Pattern[str]:
    """The pattern of a cue that denies ``topic``'s finding, matched at the end of the text before it."""
    data = _file()
    try:
        spec = data.topics[topic]
    except KeyError as exc:
        raise ConfigError(f"denial.json: no topic {topic!r}") from exc
    cues = "|".join(_cue(c) for c in sorted({*data.cues, *spec.also}, key=len, reverse=True))
    # a denial denied affirms ("not free of angina", "not without ectopy", "never denied chest pain")
    cues = rf"(?<!\bnot\s)(?<!\bnever\s)(?<!n't\s)(?<!n\u2019t\s)(?:{cues})(?!\s+(?:{cues}))"
    if isinstance(spec.reach, _Words):
        reach = rf"\s+(?:[\w/-]+\s+){{0,{spec.reach.words}}}$"
    else:
        reach = rf"[^{re.escape(spec.reach.stop)}]{{0,{spec.reach.chars}}}$"
    return re.compile(rf"(?:{cues}){reach}", re.I)
