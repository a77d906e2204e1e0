"""The command line's one file reader: size limits from the settings, UTF-8, errors naming the file.

Every command reads its study, threshold and text files here (bytes through
:func:`reporter.inputs.read_bytes`, parsed by :mod:`reporter.inputs`), then calls a use-case.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from reporter.errors import InputFormatError

if TYPE_CHECKING:
    from reporter.domain.study import Study
    from reporter.domain.thresholds import Thresholds

__all__ = ["read_study", "read_text", "read_thresholds", "text_of"]


def read_text(path: Path, limit: int | None = None, *, allow_empty: bool = True) -> str:
    """A text file as UTF-8; bytes that are not UTF-8 are replaced, with a warning on stderr.

    A binary file (an image, an archive) is refused: decoded with replacement it could still yield values.
    """
    from reporter.inputs import read_bytes
    from reporter.settings import get_settings

    data = read_bytes(path, limit if limit is not None else get_settings().max_text_bytes)
    return text_of(data, path.name, allow_empty=allow_empty)


def text_of(data: bytes, name: str, *, allow_empty: bool = True) -> str:
    """The text of a file's bytes, read as :func:`read_text` reads it (for a caller that also hashes them)."""
    from reporter.inputs import decode_text, looks_binary

    if not allow_empty and not data.strip():
        raise InputFormatError(f"{name} is empty")
    if looks_binary(data):
        raise InputFormatError(f"{name} is not a text file (binary content)")
    text, replaced = decode_text(data)
    if replaced:
        typer.echo(f"warning: {name} is not valid UTF-8; invalid bytes were replaced", err=True)
    return text


def read_study(path: Path) -> Study:
    """A validated Study from a JSON file."""
    from reporter.inputs import parse_study, read_bytes
    from reporter.settings import get_settings

    limit = get_settings().max_study_bytes
    return parse_study(read_bytes(path, limit), what=path.name, limit=limit)


def read_thresholds(path: Path) -> Thresholds:
    """Site thresholds from a JSON file of overrides."""
    from reporter.inputs import parse_thresholds, read_bytes
    from reporter.settings import get_settings

    return parse_thresholds(read_bytes(path, get_settings().max_study_bytes), what=path.name)
