"""Size limits on what ncreport reads, declared once (settings may lower or raise them per site).

A study JSON is a few kB and a report a few thousand characters; the limits are far above
both and keep a wrong file (an image, a database dump) from being parsed at all.
"""

from __future__ import annotations

__all__ = ["MAX_STUDY_BYTES", "MAX_TEXT_CHARS"]

#: Largest study (or thresholds) JSON file read, in bytes.
MAX_STUDY_BYTES = 5 * 1024 * 1024
#: Largest report or narrative text read, in characters (and, for files, in bytes).
MAX_TEXT_CHARS = 1_000_000
