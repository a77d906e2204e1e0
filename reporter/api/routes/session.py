"""The page's login: a session cookie and a CSRF token; who is logged in."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from reporter.api.deps import CurrentUser, SessionDep, SettingsDep
from reporter.api.schemas import LoginIn, SessionOut
from reporter.api.sessions import COOKIE, CSRF_COOKIE
from reporter.errors import AuthenticationError
from reporter.service.access import GRANTS, Actor, authenticate_password

router = APIRouter(prefix="/api/session", tags=["session"])


def _out(actor: Actor, csrf: str | None) -> SessionOut:
    return SessionOut(
        name=actor.name,
        role=actor.role,
        permissions=sorted(p.name.lower() for p in GRANTS[actor.role]),
        csrf_token=csrf,
    )


@router.post("/login", response_model=SessionOut)
def login(
    body: LoginIn, request: Request, response: Response, session: SessionDep, settings: SettingsDep
) -> SessionOut:
    """Log in with a password (``ncreport users password NAME``); sets the session cookie."""
    limiter = request.app.state.login_limiter
    address = request.client.host if request.client else "unknown"
    limiter.check(body.name, address)
    try:
        actor = authenticate_password(session, body.name, body.password)
    except AuthenticationError:
        limiter.failed(body.name, address)
        raise
    limiter.succeeded(body.name, address)
    cookie, data = request.app.state.session_codec.new(actor.id)
    max_age = request.app.state.session_codec.max_age_s
    response.set_cookie(
        COOKIE, cookie, max_age=max_age, httponly=True, samesite="strict", secure=settings.cookie_secure, path="/"
    )
    response.set_cookie(
        CSRF_COOKIE,
        data.csrf,
        max_age=max_age,
        httponly=False,
        samesite="strict",
        secure=settings.cookie_secure,
        path="/",
    )
    return _out(actor, data.csrf)


@router.post("/logout", status_code=204, response_class=Response)
def logout(response: Response) -> Response:
    """Forget the session cookie in this browser."""
    response.status_code = 204
    response.delete_cookie(COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


@router.get("", response_model=SessionOut)
def whoami(actor: CurrentUser) -> SessionOut:
    """The logged-in user, their role and what it may do."""
    return _out(actor, None)
