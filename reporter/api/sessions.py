"""The page's login: a signed session cookie (HttpOnly, SameSite=Strict) and a CSRF token.

The cookie holds the user id, a CSRF token and the login time, signed with ``NCREPORT_SECRET``
(itsdangerous); nothing is stored server-side, and the user is read again on every request (a
deactivated user is out at once). A state-changing request authenticated by the cookie must send
the CSRF token in ``X-CSRF-Token`` (the page reads it from the login answer or the ``ncreport_csrf``
cookie, which is not HttpOnly); bearer-token requests need none, as browsers never send them on
their own. Failed logins are limited per user name and client address.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

from reporter.errors import TooManyAttemptsError

__all__ = ["COOKIE", "CSRF_COOKIE", "CSRF_HEADER", "LoginLimiter", "SessionCodec", "SessionData"]

COOKIE = "ncreport_session"
CSRF_COOKIE = "ncreport_csrf"
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True, slots=True)
class SessionData:
    user_id: int
    csrf: str


class SessionCodec:
    def __init__(self, secret: str, max_age_s: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="ncreport-session")
        self.max_age_s = max_age_s

    def new(self, user_id: int) -> tuple[str, SessionData]:
        data = SessionData(user_id=user_id, csrf=secrets.token_urlsafe(32))
        return self._serializer.dumps({"u": data.user_id, "c": data.csrf}), data

    def read(self, cookie: str) -> SessionData | None:
        try:
            raw = self._serializer.loads(cookie, max_age=self.max_age_s)
        except BadSignature:  # also SignatureExpired
            return None
        if not isinstance(raw, dict) or not isinstance(raw.get("u"), int) or not isinstance(raw.get("c"), str):
            return None
        return SessionData(user_id=raw["u"], csrf=raw["c"])


class LoginLimiter:
    """At most ``attempts`` failed logins per (name, address) in ``window_s``; a success clears them."""

    def __init__(self, attempts: int, window_s: float = 900.0) -> None:
        self.attempts, self.window_s = attempts, window_s
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] < now - self.window_s:
            failures.popleft()
        return failures

    def check(self, name: str, address: str) -> None:
        with self._lock:
            if len(self._recent((name, address), time.monotonic())) >= self.attempts:
                raise TooManyAttemptsError("too many failed logins; try again later")

    def failed(self, name: str, address: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent((name, address), now).append(now)

    def succeeded(self, name: str, address: str) -> None:
        with self._lock:
            self._failures.pop((name, address), None)
