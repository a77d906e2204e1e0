"""The one place errors become HTTP responses: ``{"error": {"code", "message", "fields", "request_id"}}``.

Errors of :mod:`reporter.errors` keep their code and their status (``http_status``); pydantic's
request validation is a 422 naming each field (the values are not echoed: they may be
identifiers); an unknown route or method keeps its 404/405; a database that is down or busy is a
503 (E601); anything else is a bug: a 500 with
the request id and no traceback (the traceback goes to the log, which holds no identifiers).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from reporter.api.schemas import ErrorBody, ErrorOut, FieldError
from reporter.errors import AuthenticationError, NcreportError, StorageUnavailableError

__all__ = ["error_response", "install"]

_log = logging.getLogger("ncreport.api")


def _request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    fields: list[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorOut(error=ErrorBody(code=code, message=message, fields=fields or [], request_id=_request_id(request)))
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def _ours(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, NcreportError)
    fields = [
        FieldError(field=p.field, message=p.message, value=p.value if _plain(p.value) else None) for p in exc.problems
    ]
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, AuthenticationError) else None
    return error_response(request, exc.http_status, exc.code, exc.message, fields, headers)


def _plain(value: Any) -> bool:
    return isinstance(value, int | float | bool) or (isinstance(value, str) and len(value) <= 100)


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(root)"


def _invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    fields = [
        FieldError(field=_dotted(tuple(e.get("loc", ()))), message=str(e.get("msg", "invalid"))) for e in exc.errors()
    ]
    return error_response(request, 422, "E100", f"the request is not valid ({len(fields)} problem(s))", fields)


def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "E201", 405: "E102", 413: "E103"}.get(exc.status_code, "E100")
    return error_response(request, exc.status_code, code, str(exc.detail), headers=exc.headers)


def _database(request: Request, exc: Exception) -> JSONResponse:
    """The database is down, or busy past its timeout: not a bug, and not the caller's fault (503)."""
    _log.warning("database unavailable (%s) in request %s", type(exc).__name__, _request_id(request))
    return _ours(request, StorageUnavailableError("the database is unavailable; retry shortly"))


def _bug(request: Request, exc: Exception) -> JSONResponse:
    _log.error("unhandled error %s in request %s", type(exc).__name__, _request_id(request), exc_info=exc)
    return error_response(request, 500, "E900", "internal error; quote the request id when reporting it")


def install(app: FastAPI) -> None:
    app.add_exception_handler(NcreportError, _ours)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(OperationalError, _database)
    app.add_exception_handler(Exception, _bug)
