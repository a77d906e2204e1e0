"""The wording targets, gated (``extraction.regex_gate.gated``): the same matches as the patterns themselves."""

from __future__ import annotations

import re

import pytest

from extraction.pipeline import _anchored_matches
from extraction.regex_gate import gated
from extraction.rules import load_wording
from guardrails import prefilter

# Texts of our own: prose, key-value lines, a table, odd casing and the characters IGNORECASE folds to ASCII.
TEXTS = (
    "Pharmacologic + low level exercise stress. Peak heart rate 141 bpm, resting rate of 58.\n"
    "The stress images show a mildly reduced uptake in the inferior wall which fills in on the rest images.\n"
    "LV cavity size: normal. WM: nl. Summed stress score 6, summed rest score 2.\n",
    "IMPRESSION\n1. No prior study is available for comparison.\n2. LVEF 48 %, which has fallen from 56 % "
    "previously; a new small apical defect.\nSPECT MPI performed on 03/11/2026. Low  risk.\n",
    "RR 132/84  HR 77\tQGS_LVSize enlarged\nthe l a d territory | T I D ratio 1.31\n"
    "This was your first heart scan. The bottom and side walls get less blood supply at stress.\n",
    "ſtress rest redistribution images Kelvin \u212a, dotless \u0131nferior, \u0130SCHEMIA; "
    "partial redistribution of the LATERAL defect; CHEST PAIN and left arm discomfort denied.\n",
    "",
)


def _all(rx: re.Pattern[str], text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[object, ...]]:
    hits = rx.finditer(text, pos, len(text) if endpos is None else endpos)
    return [(m.span(), m.groups(), tuple(sorted(m.groupdict().items()))) for m in hits]


def test_nearly_every_target_is_gated_and_the_guardrails_use_the_same_gate() -> None:
    targets = load_wording().targets
    assert sum(gated(t.pattern) is not t.pattern for t in targets) >= len(targets) - 5
    assert prefilter.gated is gated  # one function, imported by the guardrails' prefilter


@pytest.mark.parametrize("text", TEXTS)
def test_the_gated_targets_find_the_matches_of_the_targets(text: str) -> None:
    for target in load_wording().targets:
        rx = target.pattern
        assert _all(gated(rx), text) == _all(rx, text), rx.pattern
        # windows, as the pipeline searches around anchors: a look-behind still sees the text before pos
        for a, b in ((5, 60), (40, len(text)), (0, 17)):
            assert _all(gated(rx), text, a, b) == _all(rx, text, a, b), (rx.pattern, a, b)


def test_the_anchored_matches_of_the_gated_targets() -> None:
    text = TEXTS[0]
    found = []
    for target in load_wording().targets:
        hits = _anchored_matches(target.pattern, text, text.lower(), target.anchors)
        found += [(target.label, text[m.start() : m.end()]) for m in hits]
    assert sorted(found) == [
        ("DEFECT", "mildly reduced uptake"),
        ("HR", "resting rate"),
        ("LV_SIZE", "LV cavity size: normal"),
        ("PHARM_STRESS", "Pharmacologic + low level exercise"),
        ("REVERSIBILITY", "fills in on the rest images"),
        ("WALL_MOTION", "WM: nl"),
    ]
