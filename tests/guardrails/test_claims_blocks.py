"""A report read block by block (a blank line, then a section header) has the claims and the flags of
the same report read at once; a block's claims are remembered by its text."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from guardrails.claims import Claims, _block_claims, _blocks, claims_of_text, read_claims
from reporter.domain.study import Study
from reporter.service.drafting import DraftOptions, draft, render

verify_module = importlib.import_module("guardrails.verify")  # the package exports a function of that name
EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))
DEV_REPORTS = sorted((Path(__file__).resolve().parents[3] / "shared" / "data" / "reports" / "dev").glob("*.txt"))
FIELDS = ("sentences", "mentions", "numbers", "dates", "defects", "statements", "prior_defects", "prior_statements")
# What a physician does to a draft: append, change a value, add a comparison that crosses a blank line, ...
EDITS: dict[str, Callable[[str], str]] = {
    "as drafted": lambda t: t,
    "a sentence appended": lambda t: t + "\nReviewed by the reading physician.",
    "a value changed": lambda t: t.replace("%", "0%", 1),
    "a prior clause up to the next header": lambda t: t.replace("\n\n", "\n\nThe prior study showed a defect\n\n", 1),
    "a comparison paragraph": lambda t: t.replace("IMPRESSION\n", "IMPRESSION\nCompared with the prior study, "
                                                                  "no change\n\n"),
    "blank lines with spaces": lambda t: t.replace("\n\n", "\n \n"),
}


def _drafted(path: Path) -> tuple[str, Study]:
    study = Study.model_validate(json.loads(path.read_text()))
    return render(draft(study, DraftOptions(llm={"backend": "none"})).report, "text"), study


def _same_claims(blocks: Claims, whole: Claims) -> None:
    assert blocks.text == whole.text
    for name in FIELDS:  # the same claims; listed block by block rather than pass by pass
        assert sorted(map(repr, getattr(blocks, name))) == sorted(map(repr, getattr(whole, name))), name
    assert (blocks.has_sections, blocks.prior_regions) == (whole.has_sections, whole.prior_regions)


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_draft_read_by_blocks_has_the_claims_and_flags_of_the_whole(
    path: Path, edit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    drafted, study = _drafted(path)
    text = EDITS[edit](drafted)
    assert len(_blocks(text)) >= 8  # title, indication, procedure, stress, perfusion, function, comparison, impression
    _same_claims(read_claims(text), claims_of_text(text))
    by_blocks = verify_module.verify(text, study)
    monkeypatch.setattr(verify_module, "read_claims", claims_of_text)
    assert by_blocks == verify_module.verify(text, study)


@pytest.mark.skipif(not DEV_REPORTS, reason="the shared development reports are not here")
def test_physicians_reports_read_by_blocks_have_the_claims_of_the_whole() -> None:
    for path in DEV_REPORTS:
        text = path.read_text(encoding="utf-8")
        _same_claims(read_claims(text), claims_of_text(text))


def test_a_block_is_read_once_and_an_edit_rereads_only_its_block(example: Callable[[str], Study]) -> None:
    text, _ = _drafted(EXAMPLES[0])
    edited = text.replace("IMPRESSION\n", "IMPRESSION\nReviewed.\n")
    _block_claims.cache_clear()
    read_claims(text)
    first = _block_claims.cache_info()
    read_claims(edited)
    second = _block_claims.cache_info()
    assert (first.hits, first.misses) == (0, len(_blocks(text)))
    assert (second.hits - first.hits, second.misses - first.misses) == (len(_blocks(edited)) - 1, 1)


def test_a_long_block_is_read_but_not_kept(example: Callable[[str], Study]) -> None:
    text, _ = _drafted(EXAMPLES[0])
    long_text = text.replace("IMPRESSION\n", "IMPRESSION\n" + "Reviewed. " * 500 + "\n")
    _block_claims.cache_clear()
    _same_claims(read_claims(long_text), claims_of_text(long_text))
    assert _block_claims.cache_info().currsize == len(_blocks(long_text)) - 1
