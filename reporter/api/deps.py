"""What a route may ask for: a database session, the current user, a permission of their role.

SessionDep                    a session for this request (closed when the request ends)
CurrentUser                   the user of the bearer token (401 without a valid one)
Signer, Editor, Exporter, ... the current user, if their role holds that permission (403 otherwise;
                              the table is reporter.service.access.GRANTS)
SettingsDep                   the settings the app was made with
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from reporter.api.schemas import MAX_ID
from reporter.errors import AuthenticationError, PermissionDeniedError
from reporter.service.access import Actor, Permission, actor_by_id, authenticate_token, require
from reporter.settings import Settings

__all__ = [
    "Assigner",
    "AuditReader",
    "CurrentUser",
    "Drafter",
    "Editor",
    "Exporter",
    "Id",
    "QaRunner",
    "ReportReader",
    "ReportSender",
    "SessionDep",
    "SettingsDep",
    "Signer",
    "Submitter",
    "TextChecker",
    "UserAdmin",
    "ValidationFiler",
    "ValidationReader",
    "WorklistReader",
]

_bearer = HTTPBearer(auto_error=False, description="an API token (`ncreport users add NAME --role ROLE`)")


def _session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SessionDep = Annotated[Session, Depends(_session)]
Id = Annotated[int, Path(ge=1, le=MAX_ID, description="a record's id (32-bit)")]
SettingsDep = Annotated[Settings, Depends(_settings)]


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _from_cookie(request: Request, session: Session) -> Actor:
    """The page's user: a valid session cookie and, for a change, the CSRF token in its header."""
    from reporter.api.sessions import COOKIE, CSRF_HEADER

    data = request.app.state.session_codec.read(request.cookies.get(COOKIE, ""))
    if data is None:
        raise AuthenticationError("a bearer token or a login session is required")
    if request.method not in _SAFE_METHODS and not secrets.compare_digest(
        request.headers.get(CSRF_HEADER, ""), data.csrf
    ):
        raise PermissionDeniedError(f"the {CSRF_HEADER} header is missing or wrong")
    return actor_by_id(session, data.user_id)


def _current_user(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    if credentials is not None and credentials.credentials:
        actor = authenticate_token(session, credentials.credentials)
    else:
        actor = _from_cookie(request, session)
    session.commit()  # end the read: on SQLite a transaction holds the write lock
    request.state.user = actor
    return actor


CurrentUser = Annotated[Actor, Depends(_current_user)]


def _requiring(permission: Permission) -> Callable[..., Actor]:
    def check(actor: CurrentUser) -> Actor:
        require(actor, permission)
        return actor

    check.__name__ = f"requires_{permission.name.lower()}"
    return check


def _requiring_any(*permissions: Permission) -> Callable[..., Actor]:
    def check(actor: CurrentUser) -> Actor:
        if not any(actor.may(p) for p in permissions):
            require(actor, permissions[0])  # raises, naming the first
        return actor

    check.__name__ = "requires_" + "_or_".join(p.name.lower() for p in permissions)
    return check


Submitter = Annotated[Actor, Depends(_requiring(Permission.SUBMIT_STUDY))]
WorklistReader = Annotated[Actor, Depends(_requiring(Permission.READ_WORKLIST))]
ReportReader = Annotated[Actor, Depends(_requiring(Permission.READ_REPORT))]
Drafter = Annotated[Actor, Depends(_requiring(Permission.DRAFT))]
Editor = Annotated[Actor, Depends(_requiring(Permission.EDIT))]
Signer = Annotated[Actor, Depends(_requiring(Permission.SIGN))]
TextChecker = Annotated[Actor, Depends(_requiring(Permission.CHECK_TEXT))]
QaRunner = Annotated[Actor, Depends(_requiring(Permission.RUN_QA))]
UserAdmin = Annotated[Actor, Depends(_requiring(Permission.MANAGE_USERS))]
AuditReader = Annotated[Actor, Depends(_requiring(Permission.READ_AUDIT))]
ValidationFiler = Annotated[Actor, Depends(_requiring(Permission.FILE_VALIDATION))]
ValidationReader = Annotated[Actor, Depends(_requiring(Permission.READ_VALIDATIONS))]
Exporter = Annotated[Actor, Depends(_requiring(Permission.EXPORT_REPORT))]
ReportSender = Annotated[Actor, Depends(_requiring(Permission.SEND_REPORT))]
Assigner = Annotated[Actor, Depends(_requiring_any(Permission.TAKE_OVER, Permission.ASSIGN_REPORTS))]
