"""Fixtures of the extraction tests.

Data come from the shared test material, a sibling of the repository (``<repo>/../shared``):
``data/reports/dev`` (gold development reports), ``data/raw/mtsamples/negative_controls.jsonl``
and ``schemas/structured_report.schema.json``. Tests that need them are skipped if it is absent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared test material not found: {path}")
    return path


@pytest.fixture(scope="session")
def structure() -> Any:
    """``extraction.structure`` with the pipeline already built (built once per session)."""
    from extraction import structure as fn

    fn("warm up")
    return fn


@pytest.fixture(scope="session")
def structure_typed(structure: Any) -> Any:
    """``extraction.structure_typed`` (the pipeline built by ``structure``)."""
    from extraction import structure_typed as fn

    return fn


@pytest.fixture(scope="session")
def plain_english() -> Any:
    """spaCy's blank English pipeline with the key=value word breaks the pipeline adds (and nothing else)."""
    import spacy

    from extraction.pipeline import with_key_value_breaks

    nlp = spacy.blank("en")
    nlp.tokenizer.infix_finditer = with_key_value_breaks(nlp.tokenizer.infix_finditer)
    return nlp


@pytest.fixture(scope="session")
def schema() -> dict[str, Any]:
    path = _need(SHARED / "schemas" / "structured_report.schema.json")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def dev_reports() -> list[tuple[str, str, dict[str, Any]]]:
    """(name, text, gold) of each development report."""
    folder = _need(SHARED / "data" / "reports" / "dev")
    return [
        (p.stem, p.with_suffix(".txt").read_text(encoding="utf-8"), json.loads(p.read_text(encoding="utf-8")))
        for p in sorted(folder.glob("*.json"))
    ]


@pytest.fixture(scope="session")
def struct_dev2_reports() -> list[tuple[str, str, dict[str, Any]]]:
    """(name, text, gold) of the blind writer's reports kept in the repository (bench/data/struct_dev2)."""
    folder = Path(__file__).resolve().parents[2] / "bench" / "data" / "struct_dev2"
    return [
        (p.stem, p.with_suffix(".txt").read_text(encoding="utf-8"), json.loads(p.read_text(encoding="utf-8")))
        for p in sorted(folder.glob("d*.json"))
    ]


@pytest.fixture(scope="session")
def negative_controls() -> list[tuple[str, str]]:
    path = _need(SHARED / "data" / "raw" / "mtsamples" / "negative_controls.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["id"], r["transcription"]) for r in rows]


@pytest.fixture()
def report_dir(tmp_path: Path) -> Path:
    """A folder of two small reports (written for these tests, not copied from anywhere)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "PROCEDURE: One-day rest/stress Tc-99m sestamibi gated SPECT.\n"
        "FINDINGS: Normal myocardial perfusion. SSS 0. LVEF 62%.\n"
        "IMPRESSION: Normal myocardial perfusion study. Low risk.\n",
        encoding="utf-8",
    )
    (folder / "b.txt").write_text(
        "Myoview SPECT with Lexiscan 0.4 mg.\n"
        "FINDINGS: There is a small, mild, fixed inferior defect. LVEF 48%.\n"
        "IMPRESSION: Abnormal myocardial perfusion study.\n",
        encoding="utf-8",
    )
    return folder
