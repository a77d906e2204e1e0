"""Use-cases of interoperability: DICOM results and headers in, a study submitted from DICOM files.

Exports of stored reports are in :mod:`reporter.service.exporting`.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reporter.errors import FieldProblem, InputFormatError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from reporter.domain.study import Study
    from reporter.interop.dicom_in import IngestResult
    from reporter.service.access import Actor
    from reporter.storage.models import StudyRow

__all__ = ["ingest", "study_from_dicom", "submit_dicom"]

MAX_FILES = 64  # DICOM files in one submission: an SR and a few NM/PT headers, not a whole series archive
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
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


def _completed(dicom: dict[str, Any], supplement: dict[str, Any] | None, disagree: str) -> dict[str, Any]:
    """The DICOM fields completed by the supplement's; a field both give differently is refused (``disagree``),
    naming the field, never its value (it may be an identifier)."""
    conflicts: list[str] = []
    merged = _merge(dicom, supplement or {}, "", conflicts)
    if conflicts:
        raise InputFormatError(disagree, [FieldProblem(c, "given by both with different values") for c in conflicts])
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
    merged = _completed(result.study_dict, supplement, f"{what}: the DICOM files and the supplement disagree")
    study = parse_study(json.dumps(merged).encode(), what=what)
    # The study is complete now: ingest's note of what to add before drafting was answered by the supplement.
    warnings = tuple(w for w in result.warnings if not w.startswith(_TO_ADD))
    return study, warnings


def _file_names(names: Sequence[str]) -> list[str]:
    """Upload names made safe as file names in one folder (no path, no clash); the errors name these."""
    out: list[str] = []
    for index, name in enumerate(names, start=1):
        safe = _UNSAFE.sub("_", Path(name or "").name).strip("._") or f"upload-{index}.dcm"
        while safe in out:
            safe = f"{index}-{safe}"
        out.append(safe)
    return out


def submit_dicom(
    session: Session,
    actor: Actor,
    files: Sequence[tuple[str, bytes]],
    study: dict[str, Any] | None,
    prior_report: str | None,
    limit: int,
) -> tuple[StudyRow, tuple[str, ...]]:
    """A study from DICOM files (SR measurements, NM/PT headers), completed by ``study`` (clinical and stress
    data the files do not carry); the instances' UIDs are kept for the exports to reference.

    Returns the stored row and the reader's warnings (codes it did not know, files without cardiac values).
    """
    from reporter.interop.export_common import DicomSource
    from reporter.service.access import Permission, require
    from reporter.service.reading_room import submit_study

    require(actor, Permission.SUBMIT_STUDY)
    if not files:
        raise InputFormatError("no DICOM file given", [FieldProblem("files", "at least one DICOM file")])
    if len(files) > MAX_FILES:
        raise InputFormatError(
            f"{len(files)} files; at most {MAX_FILES} in one submission",
            [FieldProblem("files", f"at most {MAX_FILES}", len(files))],
        )
    with tempfile.TemporaryDirectory(prefix="ncreport-upload-") as folder:
        paths = []
        for name, (_, data) in zip(_file_names([n for n, _ in files]), files, strict=True):
            path = Path(folder) / name
            path.write_bytes(data)
            paths.append(path)
        result = ingest(paths)
    source = DicomSource.from_instances(result.sources)
    dicom_source = {
        "study_instance_uid": source.study_instance_uid,
        "instances": [
            {
                "file": i.file,
                "sop_class_uid": i.sop_class_uid,
                "sop_instance_uid": i.sop_instance_uid,
                "study_instance_uid": i.study_instance_uid,
                "series_instance_uid": i.series_instance_uid,
                "modality": i.modality,
            }
            for i in result.sources
        ],
    }
    merged = _completed(result.study_dict, study, "the DICOM files and the study JSON disagree")
    row = submit_study(session, actor, merged, prior_report, limit=limit, dicom_source=dicom_source)
    return row, result.warnings
