"""Use-cases of interoperability: DICOM results and headers in (exports come with the reading room)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reporter.errors import FieldProblem, InputFormatError

if TYPE_CHECKING:
    from reporter.domain.study import Study
    from reporter.interop.dicom_in import IngestResult

__all__ = ["ingest", "study_from_dicom"]

_TO_ADD = "not in the DICOM files, to add before drafting"  # ingest's last warning (reporter.interop.dicom_in)


def ingest(paths: Sequence[Path]) -> IngestResult:
    """DICOM SR measurement reports and NM/PT image headers -> one Study's fields, warnings, sources."""
    from reporter.interop.dicom_in import ingest as read

    return read(list(paths))


def _merge(dicom: dict[str, Any], supplement: dict[str, Any], where: str, conflicts: list[str]) -> dict[str, Any]:
    """The DICOM fields completed by the supplement's; a field both give with different values is a conflict."""
    merged = dict(dicom)
    for key, value in supplement.items():
        path = f"{where}.{key}" if where else key
        if key not in merged:
            merged[key] = value
        elif isinstance(merged[key], dict) and isinstance(value, dict):
            merged[key] = _merge(merged[key], value, path, conflicts)
        elif merged[key] != value:
            conflicts.append(path)
    return merged


def study_from_dicom(
    paths: Sequence[Path], supplement: dict[str, Any] | None = None, what: str = "study"
) -> tuple[Study, tuple[str, ...]]:
    """A Study from DICOM files (:func:`ingest`) completed by a supplement, and the reader's warnings.

    DICOM carries the imaging results and the acquisition; the stress lab's data (``clinical``, ``stress``) and
    anything else DICOM lacks come from ``supplement``, a partial Study JSON. A field given by both with
    different values is refused (InputFormatError naming the field, never its value: it may be an identifier).
    """
    from reporter.inputs import parse_study

    result = ingest(paths)
    conflicts: list[str] = []
    merged = _merge(result.study_dict, supplement or {}, "", conflicts)
    if conflicts:
        raise InputFormatError(f"{what}: the DICOM files and the supplement disagree",
                               [FieldProblem(c, "given by both with different values") for c in conflicts])
    study = parse_study(json.dumps(merged).encode(), what=what)
    # The study is complete now: ingest's note of what to add before drafting was answered by the supplement.
    warnings = tuple(w for w in result.warnings if not w.startswith(_TO_ADD))
    return study, warnings
