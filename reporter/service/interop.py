"""Use-cases of interoperability: DICOM results and headers in (exports come with the reading room)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reporter.interop.dicom_in import IngestResult

__all__ = ["ingest"]


def ingest(paths: Sequence[Path]) -> IngestResult:
    """DICOM SR measurement reports and NM/PT image headers -> one Study's fields, warnings, sources."""
    from reporter.interop.dicom_in import ingest as read

    return read(list(paths))
