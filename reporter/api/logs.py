"""Log records as JSON lines on stderr: the access log's line as it is, the others wrapped."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

__all__ = ["configure_logging"]


class _JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name == "ncreport.access":
            return message
        line: dict[str, Any] = {"level": record.levelname.lower(), "logger": record.name, "message": message}
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, separators=(",", ":"))


def configure_logging() -> None:
    """ncreport's and uvicorn's loggers to stderr as JSON lines (once per process)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonLines())
    for name in ("ncreport", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers, logger.propagate = [handler], False
        logger.setLevel(logging.INFO)
