"""Input that is not a normal report: very long text, binary or garbled content (issue 16, item 5)."""

from __future__ import annotations

from typing import Any

import pytest


def test_a_text_over_a_million_characters_is_structured(structure: Any) -> None:
    text = "Gated SPECT: LVEF 64%. Normal perfusion.\n" * 26_000  # 1,066,000 characters: spaCy's default refuses it
    r = structure(text, max_chars=2_000_000)
    assert (r["function"]["lvef_percent"]["value"], r["function"]["lvef_percent"]["span"]) == (64, [18, 21])


def test_a_text_over_the_pipeline_ceiling_is_refused_with_e103(structure: Any) -> None:
    from extraction.pipeline import MAX_DOC_CHARS
    from reporter.errors import InputTooLargeError

    with pytest.raises(InputTooLargeError) as err:
        structure("x" * (MAX_DOC_CHARS + 1), max_chars=MAX_DOC_CHARS * 2)
    assert err.value.code == "E103"


def test_binary_garbage_gives_no_values_and_a_warning(structure: Any) -> None:
    from extraction.assemble import UnreadableTextWarning, empty_report

    garbage = (bytes(range(256)) * 8 + b"LVEF 64% " + bytes(range(255, -1, -1)) * 8).decode("utf-8", "replace")
    with pytest.warns(UnreadableTextWarning):
        r = structure(garbage)
    assert r == empty_report()


def test_a_report_with_a_few_odd_characters_is_still_read(structure: Any) -> None:
    r = structure("Gated SPECT: LVEF 64%.\x0c Normal perfusion \ufffd study.\n")
    assert r["function"]["lvef_percent"]["value"] == 64
