"""One exception tree, mapped once to exit codes and HTTP statuses."""

from __future__ import annotations

import pytest

from reporter import errors


def _all_error_classes() -> list[type[errors.NcreportError]]:
    found, todo = [], [errors.NcreportError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_codes_are_unique() -> None:
    classes = _all_error_classes()
    assert len({c.code for c in classes}) == len(classes)


@pytest.mark.parametrize(
    ("cls", "exit_code", "http"),
    [
        (errors.StudyValidationError, 2, 422),
        (errors.InputFormatError, 2, 400),
        (errors.InputTooLargeError, 2, 413),
        (errors.ConfigError, 2, 422),
        (errors.NotFoundError, 2, 404),
        (errors.BackendUnavailableError, 3, 503),
        (errors.BackendTimeoutError, 3, 504),
        (errors.InternalError, 1, 500),
        (errors.ConflictError, 2, 409),
        (errors.SignRefusedError, 2, 409),
        (errors.AuthenticationError, 2, 401),
        (errors.PermissionDeniedError, 2, 403),
        (errors.NotOwnerError, 2, 403),
        (errors.TooManyAttemptsError, 2, 429),
        (errors.StorageUnavailableError, 3, 503),
        (errors.DeliveryError, 2, 502),
    ],
)
def test_each_error_has_a_mapping(cls: type[errors.NcreportError], exit_code: int, http: int) -> None:
    exc = cls("x")
    assert (errors.exit_code_for(exc), errors.http_status_for(exc)) == (exit_code, http)


def test_every_input_error_is_a_4xx() -> None:
    for cls in _all_error_classes():
        if issubclass(cls, errors.InputError) or cls is errors.NotFoundError:
            assert 400 <= cls.http_status < 500


def test_foreign_exceptions_are_bugs() -> None:
    assert (errors.exit_code_for(KeyError("x")), errors.http_status_for(KeyError("x"))) == (1, 500)
