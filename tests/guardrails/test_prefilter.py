"""The literal prefilter of claim reading: it skips a search only where the search finds nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from guardrails import claims
from guardrails.prefilter import (
    FOLDS_TO_ASCII,
    finditer,
    first,
    gated,
    haystack,
    may_match,
    may_match_any,
    required,
    search,
)

REPO = Path(__file__).resolve().parents[2]


def test_the_words_a_match_needs_are_read_from_the_pattern() -> None:
    advice = re.compile(r"\b(?:is|are)\s+(?:strongly\s+)?(?:recommended|advised)\b", re.I)
    assert required(advice) == ("advised", "recommended")
    assert required(re.compile(r"\bLV(?:EF)?\s+\d+\s*%")) == ("lv",)
    assert required(re.compile(r"(?:foo|bar)+ baz(?:qux)?", re.I)) == (" baz",)
    assert required(re.compile(r"(?-i:\b(?:HK|AK)\b)", re.I)) == ("ak", "hk")
    assert required(re.compile(r"[A-Za-z]-\d+")) == ("-",)


@pytest.mark.parametrize("pattern", [r"\d+", r"a?b*", r"foo|\d+", r"[A-Za-z]+\d", r"(?:x)?"])
def test_a_pattern_without_a_needed_word_is_always_searched(pattern: str) -> None:
    rx = re.compile(pattern)
    assert required(rx) is None
    assert may_match(rx, "nothing here") is True


def test_a_sentence_without_the_words_is_not_searched() -> None:
    rx = re.compile(r"\b(?:is|are)\s+(?:recommended|advised)\b", re.I)
    assert may_match(rx, haystack("Normal myocardial perfusion.")) is False
    assert may_match(rx, haystack("Statin therapy is ADVISED.")) is True
    assert search(rx, "Statin therapy is ADVISED.", haystack("Statin therapy is ADVISED.")) is not None


def test_the_first_pattern_of_a_group_that_matches_gives_the_match() -> None:
    group = (re.compile(r"\bRV\s+dilat\w*", re.I), re.compile(r"\b(?:dilated|enlarged)\s+RV\b", re.I))
    text = "Enlarged RV; RV dilatation is not seen."
    hit = first(group, text, haystack(text))
    assert hit is not None and hit.group(0) == "RV dilatation"
    assert first(group, "Normal RV size.", haystack("Normal RV size.")) is None
    assert first((re.compile(r"\d+"), *group), "LVEF 55%", haystack("LVEF 55%")).group(0) == "55"  # type: ignore[union-attr]


def test_case_folding_to_ascii_turns_the_prefilter_off() -> None:
    rx = re.compile("ascites", re.I)
    assert rx.search("a\u017fcites") is not None  # the long s matches "s" under IGNORECASE
    assert haystack("a\u017fcites") is None
    assert may_match(rx, haystack("a\u017fcites")) is True


def test_the_folding_characters_are_all_that_ignorecase_matches_with_an_ascii_letter() -> None:
    every = "".join(chr(c) for c in range(128, 0x110000) if not 0xD800 <= c < 0xE000)
    assert "".join(re.findall("[a-z]", every, re.I)) == FOLDS_TO_ASCII


def _texts() -> list[str]:
    texts = []
    for path in sorted((REPO / "bench" / "data").glob("physician_impressions*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        written = {item["id"]: item["text"] for item in data["impressions"]}
        texts += written.values()
        texts += [written[c["of"]].replace(c["find"], c["replace"]) for c in data.get("corruptions", [])]
    return texts


def test_no_cue_that_matches_is_skipped() -> None:
    c = claims.cues()
    patterns = [p for _, group in (*c.features, *c.lvef_category, *c.quantities) for p in group]
    patterns += [v for v in vars(claims).values() if isinstance(v, re.Pattern)]
    patterns += [getattr(c, name) for name in ("advice", "suggestion", "no_prior", "comparison_claim", "risk")]
    pieces = [piece for text in _texts() for piece in (text, *re.split(r"(?<=[.;])\s+|\n", text))]
    checked = skipped = 0
    for rx in patterns:
        for piece in pieces:
            hay = haystack(piece)
            if rx.search(piece):
                checked += 1
                assert may_match(rx, hay), (rx.pattern, piece)
            elif not may_match(rx, hay):
                skipped += 1
    assert checked > 1000 and skipped > 10000


def test_a_gated_pattern_is_tried_only_where_a_match_can_start() -> None:
    rx = re.compile(r"\b(?:the |a )?(?:prior|earlier)\s+study\b|\(previously[^)]*\)", re.I)
    assert gated(rx).pattern == r"(?=[\(AEPTaept])(?:" + rx.pattern + ")"
    text = "Compared with the prior study (previously normal), an EARLIER STUDY and a prior  study."
    assert [m.span() for m in gated(rx).finditer(text)] == [(14, 29), (30, 49), (54, 67), (72, 86)]
    assert [m.span() for m in gated(rx).finditer(text)] == [m.span() for m in rx.finditer(text)]
    assert gated(rx) is gated(rx)  # built once per pattern
    # under IGNORECASE "k" and "s" also match the Kelvin sign and the long s
    assert gated(re.compile(r"\bkey|sign", re.I)).pattern == "(?=[KSks\u017f\u212a])(?:\\bkey|sign)"


@pytest.mark.parametrize(
    "pattern",
    [r"\bnormal|\w+ly", r"(?:the )?(?:prior)?", r"[^.]*defect", r"(?x) prior  # a comment", r"(?i:prior)|study"],
)
def test_a_pattern_that_may_start_anywhere_is_not_gated(pattern: str) -> None:
    rx = re.compile(pattern)
    assert gated(rx) is rx


def test_the_gated_prior_clauses_are_the_same() -> None:
    rx = claims.cues().prior_clause
    texts = [p.read_text() for p in sorted((REPO / "bench" / "data").glob("struct_*/*.txt"))]
    assert gated(rx) is not rx
    assert sum(len(list(rx.finditer(t))) for t in texts) > 0
    assert [[m.span() for m in gated(rx).finditer(t)] for t in texts] == [
        [m.span() for m in rx.finditer(t)] for t in texts
    ]


def test_a_pattern_that_starts_with_a_digit_or_an_uncased_symbol_is_gated() -> None:
    date = re.compile(r"(?<!\d)\d{1,2}/\d{4}\b")
    assert gated(date).pattern == "(?=[\\d])(?:(?<!\\d)\\d{1,2}/\\d{4}\\b)"
    text = "Stress 03/2024, rest ٠٣/٢٠٢٤, 12/2025."  # Arabic-Indic digits are digits to re's \d too
    assert [m.span() for m in gated(date).finditer(text)] == [(7, 14), (21, 28), (30, 37)]
    arrow = re.compile(r"(?:->|\u2192)\s*cath", re.I)
    assert gated(arrow).pattern == "(?=[\\-\u2192])(?:(?:->|\\u2192)\\s*cath)"


def test_a_cue_of_many_alternatives_finds_the_match_of_the_whole_pattern() -> None:
    rx = re.compile(r"\bfollow-?up\b|\bcath\w*|\bangiograph\w*|\bstatins?\b|\bdefect\b", re.I)
    text = "Defect noted; consider CATH, then follow up, then follow-up."
    hay = haystack(text)
    hit = search(rx, text, hay)
    assert hit is not None and hit.span() == (0, 6)  # the leftmost match
    assert [m.span() for m in finditer(rx, text, hay)] == [(0, 6), (23, 27), (50, 59)]
    assert [m.span() for m in finditer(rx, text, hay)] == [m.span() for m in rx.finditer(text)]
    # at one start the first alternative that matches wins, as in the whole pattern
    tie = re.compile(r"ab|abc|x1|x2|x3")
    assert search(tie, "zabc", haystack("zabc")).group(0) == "ab"  # type: ignore[union-attr]
    assert search(rx, "Normal perfusion.", haystack("Normal perfusion.")) is None


def test_the_matches_of_the_live_alternatives_merge_as_the_whole_pattern_finds_them() -> None:
    # at one start the first alternative wins; a match inside an earlier match is skipped; "\\b" after the end of
    # a match still sees the character before it
    rx = re.compile(r"ab|abc|bcd\b|\bcd|x1|x2|x3")
    for text in ("zabcd abc cd", "abcd", "bcd cd", "xabc bcd"):
        assert [m.span() for m in finditer(rx, text, haystack(text))] == [m.span() for m in rx.finditer(text)]
    assert [m.group(0) for m in finditer(rx, "zabcd abc cd", haystack("zabcd abc cd"))] == ["ab", "ab", "cd"]
    # an alternative that may match empty: the whole pattern is scanned (a match may follow an empty one at its start)
    maybe_empty = re.compile(r"q?|abc|x1|x2|x3")
    assert [m.span() for m in finditer(maybe_empty, "abc", haystack("abc"))] == [(0, 0), (0, 3), (3, 3)]


def test_one_test_of_every_group_s_words_tells_a_sentence_that_holds_none() -> None:
    groups = (
        ("rv", (re.compile(r"\bRV\s+dilat\w*", re.I),)),
        ("tid", (re.compile(r"\btransient\s+dilat\w*", re.I),)),
    )
    assert may_match_any(groups, haystack("Normal perfusion.")) is False
    assert may_match_any(groups, haystack("Transient dilation.")) is True
    assert may_match_any(groups, None) is True


def test_the_gated_and_split_cues_find_what_the_cues_find_in_the_reports() -> None:
    texts = [p.read_text() for p in sorted((REPO / "bench" / "data").glob("struct_*/*.txt"))]
    cues = claims.cues()
    for rx in (cues.advice, cues.prior_clause, cues.comparison_context):
        for text in texts:
            hay = haystack(text)
            assert [m.span() for m in finditer(rx, text, hay)] == [m.span() for m in rx.finditer(text)]
            for line in text.splitlines():
                hit, want = search(rx, line, haystack(line)), rx.search(line)
                assert (hit and hit.span()) == (want and want.span())
