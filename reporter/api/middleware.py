"""The request's envelope: a request id, a body size limit, one JSON log line, latency metrics.

One line per request on the ``ncreport.access`` logger, as JSON: request id, method, the route's
template (``/api/reports/{report_id}``, never the raw path or the query), status, milliseconds,
user name. Nothing from the body, so no patient identifier can reach the log.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reporter.api.metrics import Metrics

__all__ = ["RequestEnvelope"]

_access = logging.getLogger("ncreport.access")


class _TooLarge(Exception):
    pass


class RequestEnvelope:
    """Pure ASGI middleware (streams are not buffered): id, limit, log line, metrics."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, metrics: Metrics) -> None:
        self.app, self.limit, self.metrics = app, max_body_bytes, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = {"code": 500, "sent": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"], status["sent"] = message["status"], True
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", request_id.encode())]}
            await send(message)

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        try:
            declared = dict(scope.get("headers", [])).get(b"content-length")
            if declared is not None and declared.isdigit() and int(declared) > self.limit:
                raise _TooLarge
            await self.app(scope, limited_receive, send_with_id)
        except _TooLarge:
            if not status["sent"]:
                await self._too_large(request_id, send_with_id)
        finally:
            self._log(scope, request_id, int(status["code"]), started)

    async def _too_large(self, request_id: str, send: Send) -> None:
        body = json.dumps(
            {
                "error": {
                    "code": "E103",
                    "message": f"the request body is above {self.limit:,} bytes",
                    "fields": [],
                    "request_id": request_id,
                }
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _log(self, scope: Scope, request_id: str, status: int, started: float) -> None:
        route: Any = scope.get("route")
        template = getattr(route, "path", None) or "(unmatched)"
        seconds = time.perf_counter() - started
        user = scope.get("state", {}).get("user")
        self.metrics.observe_request(scope["method"], template, status, seconds)
        _access.info(
            json.dumps(
                {
                    "request_id": request_id,
                    "method": scope["method"],
                    "route": template,
                    "status": status,
                    "ms": round(seconds * 1000, 1),
                    "user": None if user is None else user.name,
                },
                separators=(",", ":"),
            )
        )
