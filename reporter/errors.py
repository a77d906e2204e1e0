"""One exception tree for ncreport, mapped once to CLI exit codes and HTTP status codes.

    NcreportError                      code    exit  http
    ├── InputError                     E1xx      2    422   bad input: the caller can fix it
    │   ├── StudyValidationError       E101      2    422   a Study (or prior) failed validation
    │   ├── InputFormatError           E102      2    400   empty file, not JSON, not UTF-8, wrong shape
    │   ├── InputTooLargeError         E103      2    413   text or file above the configured limit
    │   └── ConfigError                E104      2    422   site configuration (thresholds, templates) is invalid
    ├── NotFoundError                  E201      2    404   a file, template or model that was named does not exist
    ├── BackendError                   E3xx      3    502   a model backend failed (the draft falls back to rules)
    │   ├── BackendUnavailableError    E301      3    503
    │   └── BackendTimeoutError        E302      3    504
    └── InternalError                  E900      1    500   a bug: never raised for bad input

Tests assert the codes, not the wording. Foreign errors are translated at the adapter
(``raise InputFormatError(...) from exc``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BackendError",
    "BackendTimeoutError",
    "BackendUnavailableError",
    "ConfigError",
    "FieldProblem",
    "InputError",
    "InputFormatError",
    "InputTooLargeError",
    "InternalError",
    "NcreportError",
    "NotFoundError",
    "StudyValidationError",
    "exit_code_for",
    "http_status_for",
]


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One field-level problem: where (a dotted path), what value, and why."""

    field: str
    message: str
    value: object = None

    def __str__(self) -> str:
        shown = "" if self.value is None else f" (got {self.value!r})"
        return f"{self.field}: {self.message}{shown}"


class NcreportError(Exception):
    """Base of every error ncreport raises on purpose."""

    code = "E000"
    exit_code = 1
    http_status = 500

    def __init__(self, message: str, problems: Sequence[FieldProblem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = tuple(problems)

    def __str__(self) -> str:
        lines = [f"[{self.code}] {self.message}"]
        lines.extend(f"  - {p}" for p in self.problems)
        return "\n".join(lines)


class InputError(NcreportError):
    code = "E100"
    exit_code = 2
    http_status = 422


class StudyValidationError(InputError):
    code = "E101"


class InputFormatError(InputError):
    code = "E102"
    http_status = 400


class InputTooLargeError(InputError):
    code = "E103"
    http_status = 413


class ConfigError(InputError):
    code = "E104"


class NotFoundError(NcreportError):
    code = "E201"
    exit_code = 2
    http_status = 404


class BackendError(NcreportError):
    code = "E300"
    exit_code = 3
    http_status = 502


class BackendUnavailableError(BackendError):
    code = "E301"
    http_status = 503


class BackendTimeoutError(BackendError):
    code = "E302"
    http_status = 504


class InternalError(NcreportError):
    code = "E900"


def exit_code_for(exc: BaseException) -> int:
    """The CLI exit code of an exception (1 for anything unexpected)."""
    return exc.exit_code if isinstance(exc, NcreportError) else 1


def http_status_for(exc: BaseException) -> int:
    """The HTTP status of an exception (500 only for bugs)."""
    return exc.http_status if isinstance(exc, NcreportError) else 500
