"""Use-cases of interoperability: DICOM results and headers in, a study submitted from DICOM files.

Exports of stored reports are in :mod:`reporter.service.exporting`.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reporter.errors import FieldProblem, InputFormatError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from reporter.interop.dicom_in import IngestResult
    from reporter.service.access import Actor
    from reporter.storage.models import StudyRow

__all__ = ["ingest", "submit_dicom"]

MAX_FILES = 64  # DICOM files in one submission: an SR and a few NM/PT headers, not a whole series archive
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def ingest(paths: Sequence[Path]) -> IngestResult:
    """DICOM SR measurement reports and NM/PT image headers -> one Study's fields, warnings, sources."""
    from reporter.interop.dicom_in import ingest as read

    return read(list(paths))


def _merged(base: dict[str, Any], read: dict[str, Any]) -> dict[str, Any]:
    """``base`` (what the submitter typed) with what the DICOM files carry written over it, block by block."""
    out = dict(base)
    for key, value in read.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _file_names(names: Sequence[str]) -> list[str]:
    """Upload names made safe as file names in one folder (no path, no clash); the errors name these."""
    out: list[str] = []
    for index, name in enumerate(names, start=1):
        safe = _UNSAFE.sub("_", Path(name or "").name).strip("._") or f"upload-{index}.dcm"
        while safe in out:
            safe = f"{index}-{safe}"
        out.append(safe)
    return out


def submit_dicom(session: Session, actor: Actor, files: Sequence[tuple[str, bytes]], study: dict[str, Any] | None,
                 prior_report: str | None, limit: int) -> tuple[StudyRow, tuple[str, ...]]:
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
        raise InputFormatError(f"{len(files)} files; at most {MAX_FILES} in one submission",
                               [FieldProblem("files", f"at most {MAX_FILES}", len(files))])
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
        "instances": [{"file": i.file, "sop_class_uid": i.sop_class_uid, "sop_instance_uid": i.sop_instance_uid,
                       "study_instance_uid": i.study_instance_uid, "series_instance_uid": i.series_instance_uid,
                       "modality": i.modality} for i in result.sources],
    }
    row = submit_study(session, actor, _merged(study or {}, result.study_dict), prior_report, limit=limit,
                       dicom_source=dicom_source)
    return row, result.warnings
