"""The page's login: a signed session cookie, a CSRF token per session, and a login rate limit.

The cookie holds ``{"u": user id, "c": CSRF token}`` signed and time-stamped with the installation's
secret (itsdangerous); it is HttpOnly (no script reads it), SameSite=Strict (no other site sends
it) and Secure when the request came over https. Every state-changing form carries the session's
CSRF token in a hidden field; a post without the token of its own cookie is refused (E502), so a
page of another origin cannot act for the user even where SameSite is not honoured. The user is
looked up on every request, so a deactivated user is out at once. The API keeps its bearer tokens.

Failed logins are limited per client address and per user name (:class:`LoginLimiter`): in this
process only; several processes behind a proxy also need the proxy's own limit (README, deploy).
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from reporter.errors import AuthenticationError, PermissionDeniedError

__all__ = ["COOKIE", "SESSION_S", "LoginLimiter", "PageSession", "Sessions"]

COOKIE = "ncreport_session"
SESSION_S = 8 * 3600  # one reading-room shift; then the physician logs in again
# OWASP Authentication Cheat Sheet: throttle repeated failures per account and per source.
MAX_FAILURES = 5
FAILURE_WINDOW_S = 300


@dataclass(frozen=True, slots=True)
class PageSession:
    user_id: int
    csrf: str


class Sessions:
    """Issues, reads and clears the session cookie."""

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="ncreport.page.session")

    def issue(self, request: Request, response: Response, user_id: int) -> PageSession:
        session = PageSession(user_id, secrets.token_urlsafe(32))
        response.set_cookie(COOKIE, self._serializer.dumps({"u": session.user_id, "c": session.csrf}),
                            max_age=SESSION_S, httponly=True, samesite="strict", path="/",
                            secure=request.url.scheme == "https")
        return session

    def read(self, request: Request) -> PageSession:
        """The session of the request's cookie; AuthenticationError when there is none or it is forged/expired."""
        raw = request.cookies.get(COOKIE)
        if not raw:
            raise AuthenticationError("please log in")
        try:
            data: Any = self._serializer.loads(raw, max_age=SESSION_S)
            return PageSession(int(data["u"]), str(data["c"]))
        except (BadSignature, KeyError, TypeError, ValueError):
            raise AuthenticationError("your session has expired; please log in again") from None

    @staticmethod
    def clear(response: Response) -> None:
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")

    @staticmethod
    def check_csrf(session: PageSession, token: str | None) -> None:
        if not token or not hmac.compare_digest(token, session.csrf):
            raise PermissionDeniedError("the form is stale or came from another site (CSRF token); reload the page")


class LoginLimiter:
    """At most MAX_FAILURES failed logins per key in FAILURE_WINDOW_S (sliding window, this process)."""

    def __init__(self, max_failures: int = MAX_FAILURES, window_s: float = FAILURE_WINDOW_S,
                 max_keys: int = 10_000) -> None:
        self.max_failures, self.window_s, self.max_keys = max_failures, window_s, max_keys
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] > self.window_s:
            times.popleft()
        return times

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.max_failures for k in keys)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._failures) > self.max_keys:  # bound the memory an attacker can make us hold
                self._failures = {k: v for k, v in self._failures.items() if v and now - v[-1] <= self.window_s}
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
