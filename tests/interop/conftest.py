"""Fixtures of the interop tests: DICOM files built here with pydicom/highdicom, reports, signatures."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def pydicom_code_index() -> dict[tuple[str, str], set[str]]:
    """(scheme, value) -> meanings, from pydicom's copy of the DICOM code dictionary (PS3.16)."""
    from pydicom.sr.codedict import codes

    index: dict[tuple[str, str], set[str]] = {}
    for scheme in ("SCT", "DCM", "LN"):
        collection = getattr(codes, scheme)
        for keyword in collection.dir():
            try:
                code = getattr(collection, keyword)
            except (AttributeError, RuntimeError):  # a keyword shared by two codes cannot be got by name
                continue
            index.setdefault((scheme, code.value), set()).add(code.meaning)
    return index
