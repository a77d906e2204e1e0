"""Reading one field of a structured report in the tests: its value, and the words its span points at."""

from __future__ import annotations

from typing import Any


def value_at(report: dict[str, Any], path: str) -> Any:
    """The value of ``section.name`` (None when the field is null)."""
    section, name = path.split(".")
    value = report[section][name]
    return None if value is None else value["value"]


def span_at(report: dict[str, Any], text: str, path: str) -> str:
    """The words of ``text`` that the span of ``section.name`` points at."""
    section, name = path.split(".")
    s, e = report[section][name]["span"]
    return text[s:e]
