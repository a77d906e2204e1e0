"""Calls that wait on another system (a PACS's C-STORE, up to its timeout) run in threads of their own.

A server process works on ``NCREPORT_REQUEST_THREADS`` requests at once (default 2: Python runs one
thread at a time, so more threads only share a core and hold database locks while they wait for it).
A send to a PACS that does not answer would hold one of those threads for its whole timeout, and two
such sends would stop the process; here they wait in a pool of their own instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from anyio import CapacityLimiter, to_thread
from anyio.lowlevel import RunVar

__all__ = ["OUTBOUND_THREADS", "call_outbound"]

T = TypeVar("T")

#: Sends waiting on other systems at once, per process (more queue in order).
OUTBOUND_THREADS = 8

_LIMITER: RunVar[CapacityLimiter] = RunVar("ncreport_outbound_limiter")


def _limiter() -> CapacityLimiter:
    """The event loop's outbound pool (one per loop, as AnyIO keeps its own default pool)."""
    try:
        return _LIMITER.get()
    except LookupError:
        limiter = CapacityLimiter(OUTBOUND_THREADS)
        _LIMITER.set(limiter)
        return limiter


async def call_outbound(func: Callable[..., T], *args: Any) -> T:
    """``func(*args)`` in the outbound pool, holding none of the request threads while it waits."""
    return await to_thread.run_sync(functools.partial(func, *args), limiter=_limiter())
