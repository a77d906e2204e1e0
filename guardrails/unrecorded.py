"""Quantities a Study has no field for (``resources/unrecorded_quantities.json``): a number bound to one of their labels
("PASP 52 mmHg on echo", "BNP of 840") can be neither supported nor contradicted by the study, so it is shown as
unverified rather than as a value that "matches no value of the study"."""

from __future__ import annotations

import functools
import json
import re
from importlib import resources

__all__ = ["CONNECTOR", "unrecorded_label"]

#: what may stand between a label and its number: a verb, "of", "estimated at", a colon or equals sign
CONNECTOR = (
    r"(?:\s*(?:[:=~\u2248]|\bof\b|\bis\b|\bwas\b|\bat\b|\bestimated\b|\bapprox(?:imately|\.)?|\babout\b|"
    r"\bon\s+echo(?:cardiography)?\b|\bby\s+echo(?:cardiography)?\b))*\s*$"
)


@functools.cache
def _labels() -> tuple[tuple[str, re.Pattern[str]], ...]:
    path = resources.files("guardrails") / "resources" / "unrecorded_quantities.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        (q["name"], re.compile(f"(?:{p}){CONNECTOR}", re.I)) for q in data["quantities"] for p in q["patterns"]
    )


def unrecorded_label(text: str, start: int, floor: int = 0) -> str | None:
    """The name of the unrecorded quantity whose label ends just before ``text[start]`` (looked at from ``floor``,
    the start of the number's sentence, at most 60 characters back), or None."""
    window = text[max(floor, start - 60) : start]
    return next((name for name, pattern in _labels() if pattern.search(window)), None)
