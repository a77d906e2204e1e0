"""What a page route may ask for: the logged-in user (cookie session), a CSRF-checked form post, the templates.

PageUser      the user of the session cookie (no cookie: the error handler sends them to /login)
FormUser      the same, for a state-changing post: its ``csrf`` field must be the session's token
Pages         the page templates (``templates/pages/``)
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.templating import Jinja2Templates

from reporter.api.deps import SessionDep
from reporter.api.sessions import COOKIE, SessionData
from reporter.errors import AuthenticationError, PermissionDeniedError
from reporter.service.access import Actor, Permission, actor_by_id

__all__ = ["FormUser", "PageUser", "Pages", "Viewer"]


@dataclass(frozen=True, slots=True)
class Viewer:
    """The logged-in user and their session's CSRF token (every form of the page carries it)."""

    actor: Actor
    session: SessionData

    @property
    def csrf(self) -> str:
        return self.session.csrf

    def may(self, permission: str) -> bool:
        return self.actor.may(Permission[permission])


def _viewer(request: Request, db: SessionDep) -> Viewer:
    page_session = request.app.state.session_codec.read(request.cookies.get(COOKIE, ""))
    if page_session is None:
        raise AuthenticationError("please log in")
    actor = actor_by_id(db, page_session.user_id)
    db.commit()  # end the read: on SQLite a transaction holds the write lock
    request.state.user = actor
    return Viewer(actor, page_session)


PageUser = Annotated[Viewer, Depends(_viewer)]


def _form_viewer(viewer: PageUser, csrf: Annotated[str | None, Form(max_length=100)] = None) -> Viewer:
    if not csrf or not secrets.compare_digest(csrf, viewer.csrf):
        raise PermissionDeniedError("the form is stale or came from another site (CSRF token); reload the page")
    return viewer


FormUser = Annotated[Viewer, Depends(_form_viewer)]


def _pages(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.pages
    return templates


Pages = Annotated[Jinja2Templates, Depends(_pages)]
