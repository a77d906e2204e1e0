"""The reading-room page, served at ``/`` beside the API: server-rendered Jinja2 with htmx (vendored).

``page_app()`` is a FastAPI app mounted under the API's (``reporter.api.main``): it shares the
database, the settings and the request envelope, but answers in HTML: its errors are pages that
keep the API's code and status (E402 sign refused, E502 not for this role, ...), and a request
without a session goes to the log-in page. The login is the API's (:mod:`reporter.api.sessions`): the
same signed cookie (HttpOnly, SameSite=Strict, Secure unless ``NCREPORT_COOKIE_SECURE=false``), the
same limiter; every form that changes something carries the session's CSRF token in a hidden field.
Templates are ``templates/pages/*.html.j2`` (packaged with the other templates); CSS, htmx and its
licence are in ``static/``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from reporter.api.sessions import COOKIE, CSRF_COOKIE, LoginLimiter, SessionCodec
from reporter.errors import AuthenticationError, NcreportError
from reporter.settings import Settings

__all__ = ["STATIC", "forget", "page_app"]

STATIC = Path(__file__).parent / "static"


def _templates() -> Jinja2Templates:
    import jinja2

    from reporter.render import packaged_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(packaged_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def _error_page(request: Request, status: int, code: str, message: str, fields: list[tuple[str, str]]) -> Response:
    pages: Jinja2Templates = request.app.state.pages
    return pages.TemplateResponse(
        request,
        "pages/error.html.j2",
        status_code=status,
        context={
            "code": code,
            "message": message,
            "fields": fields,
            "back": request.headers.get("referer") if request.method == "POST" else None,
        },
    )


def _ours(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NcreportError)
    if isinstance(exc, AuthenticationError):
        response = RedirectResponse("/login", status_code=303)
        forget(response)
        return response
    return _error_page(request, exc.http_status, exc.code, exc.message, [(p.field, p.message) for p in exc.problems])


def _invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = [
        (".".join(str(p) for p in e.get("loc", ())[1:]) or "form", str(e.get("msg", "invalid"))) for e in exc.errors()
    ]
    return _error_page(request, 422, "E100", "the form is not valid", fields)


def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "E201", 405: "E102"}.get(exc.status_code, "E100")
    if request.url.path.startswith("/api/"):  # an unknown API path falls through to the page: answer as the API
        from reporter.api.errors import error_response

        return error_response(request, exc.status_code, code, str(exc.detail), headers=exc.headers)
    return _error_page(request, exc.status_code, code, str(exc.detail), [])


def forget(response: Response) -> None:
    """Clear the login cookies in this browser."""
    response.delete_cookie(COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


def page_app(
    settings: Settings, sessions: sessionmaker[Session], codec: SessionCodec, limiter: LoginLimiter
) -> FastAPI:
    """The page over the API's database, its login the API's: the same session cookie, codec and limiter."""
    from reporter.api.web import routes

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    app.state.settings, app.state.sessions = settings, sessions
    app.state.session_codec, app.state.login_limiter = codec, limiter
    app.state.pages = _templates()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(routes.router)
    app.add_exception_handler(NcreportError, _ours)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http)
    return app
