"""One exception tree for ncreport, mapped once to CLI exit codes and HTTP status codes.

    NcreportError                      code    exit  http
    ├── InputError                     E1xx      2    422   bad input: the caller can fix it
    │   ├── StudyValidationError       E101      2    422   a Study (or prior) failed validation
    │   ├── InputFormatError           E102      2    400   empty file, not JSON, not UTF-8, wrong shape
    │   ├── InputTooLargeError         E103      2    413   text or file above the configured limit
    │   └── ConfigError                E104      2    422   site configuration (thresholds, templates) is invalid
    ├── NotFoundError                  E201      2    404   a file, template, model or record named does not exist
    ├── WorkflowError                  E4xx      2    409   the request is valid but the record's state forbids it
    │   ├── ConflictError              E401      2    409   edited since the version the caller saw; signed: final
    │   ├── SignRefusedError           E402      2    409   an error flag is neither fixed nor overridden
    │   └── BackendNotQualifiedError   E450      2    409   the site requires a qualified LLM and this one has none
    ├── AccessError                    E5xx      2    403
    │   ├── AuthenticationError        E501      2    401   no valid credentials
    │   ├── PermissionDeniedError      E502      2    403   the user's role may not do this
    │   │   └── NotOwnerError          E504      2    403   another physician owns the report: assign it first
    │   └── TooManyAttemptsError       E503      2    429   too many failed logins: wait
    ├── BackendError                   E3xx      3    502   a model backend failed (the draft falls back to rules)
    │   ├── BackendUnavailableError    E301      3    503
    │   └── BackendTimeoutError        E302      3    504
    ├── StorageUnavailableError        E601      3    503   the database cannot be reached or is busy: retry
    ├── DeliveryError                  E701      2    502   a destination (PACS) refused or could not be reached
    └── InternalError                  E900      1    500   a bug: never raised for bad input

Tests assert the codes, not the wording. Foreign errors are translated at the adapter
(``raise InputFormatError(...) from exc``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "AccessError",
    "AuthenticationError",
    "BackendError",
    "BackendNotQualifiedError",
    "BackendTimeoutError",
    "BackendUnavailableError",
    "ConfigError",
    "ConflictError",
    "DeliveryError",
    "FieldProblem",
    "InputError",
    "InputFormatError",
    "InputTooLargeError",
    "InternalError",
    "NcreportError",
    "NotFoundError",
    "NotOwnerError",
    "PermissionDeniedError",
    "SignRefusedError",
    "StorageUnavailableError",
    "StudyValidationError",
    "TooManyAttemptsError",
    "WorkflowError",
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


class WorkflowError(NcreportError):
    code = "E400"
    exit_code = 2
    http_status = 409


class ConflictError(WorkflowError):
    code = "E401"


class SignRefusedError(WorkflowError):
    code = "E402"


class BackendNotQualifiedError(WorkflowError):
    """The site requires a passing qualification on record (NCREPORT_REQUIRE_QUALIFIED_LLM) and the backend has none.

    E45x: refusals by the site's policy (E401/E402 are the record's own state).
    """

    code = "E450"


class AccessError(NcreportError):
    code = "E500"
    exit_code = 2
    http_status = 403


class AuthenticationError(AccessError):
    code = "E501"
    http_status = 401


class PermissionDeniedError(AccessError):
    code = "E502"


class NotOwnerError(PermissionDeniedError):
    """Another physician owns the report; the field ``owner`` names them (a user name, never patient data)."""

    code = "E504"


class TooManyAttemptsError(AccessError):
    code = "E503"
    http_status = 429


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


class StorageUnavailableError(NcreportError):
    code = "E601"
    exit_code = 3
    http_status = 503


class DeliveryError(NcreportError):
    """A report could not be delivered (PACS down, association refused, a store failed); nothing was lost."""

    code = "E701"
    exit_code = 2
    http_status = 502


class InternalError(NcreportError):
    code = "E900"


def exit_code_for(exc: BaseException) -> int:
    """The CLI exit code of an exception (1 for anything unexpected)."""
    return exc.exit_code if isinstance(exc, NcreportError) else 1


def http_status_for(exc: BaseException) -> int:
    """The HTTP status of an exception (500 only for bugs)."""
    return exc.http_status if isinstance(exc, NcreportError) else 500
