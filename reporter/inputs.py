"""Reading a Study from bytes or a file: the edge where foreign errors become ours.

Read tolerantly, fail clearly: every problem names the field, the value and the reason, and
the identifiers of the study are never echoed back in an error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reporter.domain.limits import MAX_STUDY_BYTES
from reporter.domain.study import Study
from reporter.domain.thresholds import Thresholds
from reporter.errors import (
    ConfigError,
    FieldProblem,
    InputFormatError,
    InputTooLargeError,
    NotFoundError,
    StudyValidationError,
)

__all__ = [
    "decode_text",
    "load_study",
    "looks_binary",
    "parse_study",
    "parse_thresholds",
    "problems_from",
    "read_bytes",
]
_PHI_FIELDS = {"name", "mrn", "birth_date", "accession"}


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


def problems_from(exc: ValidationError) -> list[FieldProblem]:
    """Pydantic errors as FieldProblems; values of identifier fields and of unknown keys are withheld.

    An unknown key's value may be an identifier under another name ("nickname": a name), so only the
    key is named.
    """
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-after")))
        field = _dotted(loc)
        value = err.get("input")
        if (
            _PHI_FIELDS.intersection(str(p) for p in loc)
            or isinstance(value, dict | list)
            or err["type"] == "extra_forbidden"
        ):
            value = None
        message = err["msg"].removeprefix("Value error, ")
        problems.append(FieldProblem(field=field, message=message, value=value))
    return problems


def read_bytes(path: Path, limit: int) -> bytes:
    """A file's bytes: the one place files are read. NotFoundError, InputTooLargeError, InputFormatError."""
    if not path.is_file():
        raise NotFoundError(f"{path} does not exist or is not a file")
    size = path.stat().st_size
    if size > limit:
        raise InputTooLargeError(f"{path.name} is {size:,} bytes; the limit is {limit:,} bytes")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputFormatError(f"{path.name} cannot be read ({exc.strerror})") from exc


def looks_binary(data: bytes) -> bool:
    """Whether bytes are not text at all (an image, an archive): a NUL byte, or many control bytes.

    A report in Latin-1 or with a few stray bytes is still text (decoded with replacement).
    """
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and control / len(head) > 0.05


def decode_text(data: bytes) -> tuple[str, bool]:
    """Text from bytes as UTF-8 (a BOM dropped), and whether invalid bytes had to be replaced."""
    try:
        return data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), True


def _decode_json(data: bytes, what: str) -> Any:
    if not data.strip():
        raise InputFormatError(f"{what} is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFormatError(f"{what} is not UTF-8 text (byte {exc.start})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFormatError(f"{what} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    except RecursionError as exc:  # [[[[...]]]]: no study nests more than a few levels
        raise InputFormatError(f"{what} is nested too deeply to be a study") from exc


def parse_study(data: bytes | str, what: str = "study", limit: int = MAX_STUDY_BYTES) -> Study:
    """A validated Study from JSON bytes; raises InputError subclasses with field-level problems."""
    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > limit:
        raise InputTooLargeError(f"{what} is {len(raw)} bytes; the limit is {limit} bytes")
    obj = _decode_json(raw, what)
    if not isinstance(obj, dict):
        raise InputFormatError(f"{what} must be a JSON object, not {type(obj).__name__}")
    try:
        return Study.model_validate(obj)
    except ValidationError as exc:
        problems = problems_from(exc)
        raise StudyValidationError(f"{what} is not a valid study ({len(problems)} problem(s))", problems) from exc


def load_study(path: Path, limit: int = MAX_STUDY_BYTES) -> Study:
    """A validated Study from a JSON file."""
    return parse_study(read_bytes(path, limit), what=path.name, limit=limit)


def parse_thresholds(data: bytes, what: str = "thresholds") -> Thresholds:
    """Site thresholds: a JSON object of fields to override; unknown keys are rejected."""
    obj = _decode_json(data, what)
    if not isinstance(obj, dict):
        raise ConfigError(f"{what} must be a JSON object of threshold overrides")
    try:
        return Thresholds.model_validate(obj)
    except ValidationError as exc:
        problems = problems_from(exc)
        raise ConfigError(f"{what} holds invalid thresholds ({len(problems)} problem(s))", problems) from exc
