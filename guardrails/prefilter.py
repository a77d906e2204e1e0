"""A literal test that tells, before a regular expression is searched, that it cannot match.

Claim reading searches some fifty cue patterns in every sentence, and most of them find nothing: a
pattern whose every match must contain one of a few words ("recommended", "advised", ...) cannot match
a sentence that holds none of them, and ``word in sentence`` costs a fraction of a search (Python's
``re`` tries a pattern that starts with an alternation at every position).

``required(rx)``: the lower-case ASCII strings one of which every match of ``rx`` contains, read from
the pattern's parse tree (Python's own parser of ``re``); ``None`` where no such set is found (then
the pattern is always searched). ``may_match(rx, hay)``: False only when that test proves no match,
so ``rx.search(s) if may_match(rx, haystack(s)) else None`` is ``rx.search(s)``, whatever the cues say.

Case: a match with ``re.IGNORECASE`` may differ in case from the pattern, so the test compares lower
case. Four non-ASCII characters match an ASCII letter under ``re.IGNORECASE`` (U+0130, U+0131, U+017F,
U+212A: "İ", "ı", "ſ" and the Kelvin sign); in a text that holds one, ``haystack`` gives ``None``
and every pattern is searched.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from extraction.regex_gate import _first_chars, gated  # the gate lives where extraction can use it too

__all__ = [
    "FOLDS_TO_ASCII",
    "finditer",
    "first",
    "gated",
    "haystack",
    "may_match",
    "may_match_any",
    "required",
    "search",
]

#: The non-ASCII characters that ``re.IGNORECASE`` matches with an ASCII letter (a test checks the list).
FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"
_FOLDING = re.compile(f"[{FOLDS_TO_ASCII}]")


def haystack(text: str) -> str | None:
    """What ``may_match`` looks in: ``text`` in lower case, or ``None`` where case folding may deceive it."""
    return None if _FOLDING.search(text) else text.lower()


def may_match(rx: re.Pattern[str], hay: str | None) -> bool:
    """False only if no match of ``rx`` can lie in the text whose ``haystack`` is ``hay``."""
    if hay is None:
        return True
    needed = _required_of(rx)
    return needed is None or any(map(hay.__contains__, needed))


# The requirement of each pattern seen, by identity. ``required`` is cached by the pattern, and hashing a
# compiled pattern hashes its whole compiled code at every lookup (CPython keeps no hash of it): about
# 30 us for the largest cue, more than the search it saves. Patterns are long-lived (compiled once per
# process); an entry keeps its pattern (or group), so an id is never reused while it is here.
_BY_ID: dict[int, tuple[Any, tuple[str, ...] | None]] = {}


def _required_of(rx: re.Pattern[str]) -> tuple[str, ...] | None:
    entry = _BY_ID.get(id(rx))
    if entry is None or entry[0] is not rx:
        entry = _BY_ID[id(rx)] = (rx, required(rx))
    return entry[1]


@functools.cache
def required(rx: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case ASCII strings, one of which is in every match of ``rx``; ``None`` if none is found."""
    try:
        from re import _parser  # type: ignore[attr-defined]  # the parser re compiles with (Python >= 3.11)

        return _sequence(_parser.parse(rx.pattern, rx.flags))
    except Exception:  # a parser of another Python version: no prefilter, every pattern searched
        return None


def _sequence(items: Any) -> tuple[str, ...] | None:
    """The most selective requirement of a sequence: a run of literals, or a group's requirement."""
    from re import _constants as sre  # type: ignore[attr-defined]

    candidates: list[tuple[str, ...]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append(("".join(run),))
            run.clear()

    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        flush()
        inner: tuple[str, ...] | None = None
        if op is sre.SUBPATTERN:
            inner = _sequence(av[3])
        elif op is sre.ATOMIC_GROUP:
            inner = _sequence(av)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            inner = _sequence(av[2])
        elif op is sre.BRANCH:
            alternatives = [_sequence(alt) for alt in av[1]]
            if all(alt is not None for alt in alternatives):
                inner = tuple(sorted({word for alt in alternatives if alt is not None for word in alt}))
        if inner is not None:
            candidates.append(inner)
    flush()
    usable = [tuple(sorted({w.lower() for w in c})) for c in candidates if c and all(w and w.isascii() for w in c)]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(map(len, c)), -len(c)))


def search(rx: re.Pattern[str], text: str, hay: str | None) -> re.Match[str] | None:
    """``rx.search(text)``, skipped where ``may_match`` proves it finds nothing (``hay``: ``haystack(text)``).

    A pattern of many alternatives (the advice cue has some forty) is tried alternative by alternative at every
    position; where the text holds the words of only a few of them, those few are searched alone (see
    ``_alternatives``) and the match is the one the whole pattern finds.
    """
    if not may_match(rx, hay):
        return None
    alternatives = _alternatives_of(rx) if hay is not None else None
    if hay is not None and alternatives is not None:
        live = [alt for alt, needed in alternatives if needed is None or any(map(hay.__contains__, needed))]
        if len(live) <= _FEW_ALTERNATIVES:
            return _leftmost(live, text)
    return gated(rx).search(text)  # the same match, found sooner (see gated)


def finditer(rx: re.Pattern[str], text: str, hay: str | None) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` (``hay``: ``haystack(text)``), by scans of only the top-level alternatives whose words
    the text holds: the others match nowhere in it, so every match is the same (see ``_alternatives`` and
    ``_merged``)."""
    if not may_match(rx, hay):
        return iter(())
    alternatives = _alternatives_of(rx) if hay is not None else None
    if hay is None or alternatives is None:
        return gated(rx).finditer(text)
    live = [alt for alt, need in alternatives if need is None or any(map(hay.__contains__, need))]
    if not live:
        return iter(())
    if len(live) == len(alternatives) or any(_may_be_empty(alt) for alt in live):
        return gated(rx).finditer(text)
    return _merged(live, text)


def _merged(alternatives: list[re.Pattern[str]], text: str) -> Iterator[re.Match[str]]:
    """The matches of ``a|b|c`` (alternatives none of which matches empty) from scans of ``a``, ``b`` and ``c``:
    after the end of the last match, the leftmost start, and at one start the first alternative, as the regex
    engine tries them. Each alternative's next match is kept while it starts at or after that end: no match of
    it starts earlier, so a scan from there finds the same one (``search(text, pos)`` sees the text before
    ``pos`` for lookbehinds and ``\\b``). Compiling the live alternatives into one pattern instead cost more
    than every scan: which alternatives are live differs from text to text."""
    scans = [gated(alt) for alt in alternatives]
    pending: list[re.Match[str] | None] = [scan.search(text) for scan in scans]
    pos = 0
    while True:
        best = None
        for i, hit in enumerate(pending):
            if hit is not None and hit.start() < pos:
                hit = pending[i] = scans[i].search(text, pos)
            if hit is not None and (best is None or hit.start() < best.start()):
                best = hit
        if best is None:
            return
        yield best
        pos = best.end()


def _may_be_empty(rx: re.Pattern[str]) -> bool:
    entry = _NULLABLE.get(id(rx))
    if entry is None or entry[0] is not rx:
        try:
            from re import _parser  # type: ignore[attr-defined]

            nullable = _first_chars(_parser.parse(rx.pattern, rx.flags))[1]
        except Exception:  # a parser of another Python version: assume it may
            nullable = True
        entry = _NULLABLE[id(rx)] = (rx, nullable)
    return entry[1]


# Whether each alternative seen may match the empty string (by identity, as extraction.regex_gate's _GATED).
_NULLABLE: dict[int, tuple[re.Pattern[str], bool]] = {}


def _alternatives_of(rx: re.Pattern[str]) -> tuple[tuple[re.Pattern[str], tuple[str, ...] | None], ...] | None:
    entry = _ALTERNATIVES.get(id(rx))
    if entry is None or entry[0] is not rx:
        entry = _ALTERNATIVES[id(rx)] = (rx, _alternatives(rx))
    return entry[1]


# Up to this many alternatives whose words the text holds are searched one by one (each a scan of the text).
_FEW_ALTERNATIVES = 3
# The top-level alternatives of each pattern seen (by identity, as _BY_ID), each with its requirement; None for
# a pattern that is not split (see _alternatives).
_ALTERNATIVES: dict[int, tuple[re.Pattern[str], tuple[tuple[re.Pattern[str], tuple[str, ...] | None], ...] | None]]
_ALTERNATIVES = {}


def _leftmost(alternatives: list[re.Pattern[str]], text: str) -> re.Match[str] | None:
    """The match of ``a|b|c`` from the matches of ``a``, ``b`` and ``c``: the leftmost start, and at one start the
    first alternative, as the regex engine tries them (a pattern without groups: the span is the whole match)."""
    best: re.Match[str] | None = None
    for alt in alternatives:
        hit = gated(alt).search(text)
        if hit is not None and (best is None or hit.start() < best.start()):
            best = hit
    return best


def _alternatives(rx: re.Pattern[str]) -> tuple[tuple[re.Pattern[str], tuple[str, ...] | None], ...] | None:
    """The top-level alternatives of ``rx`` compiled alone (with its flags), each with its ``required`` words;
    None for a pattern with groups (a match's groups would be numbered otherwise), comments, global inline flags,
    or fewer alternatives than are worth splitting. An alternative whose words a text lacks cannot match in it,
    so the others find the whole pattern's match."""
    if rx.groups or rx.flags & re.VERBOSE or re.match(r"\(\?[aiLmsux]+\)", rx.pattern):
        return None
    parts, depth, start, i, source = [], 0, 0, 0, rx.pattern
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a class: "]" right after "[" or "[^" is a literal
            i += 2 if source.startswith("[^", i) else 1
            i += 1 if i < len(source) and source[i] == "]" else 0
            while i < len(source) and source[i] != "]":
                i += 2 if source[i] == "\\" else 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    if len(parts) <= _FEW_ALTERNATIVES:
        return None
    try:
        compiled = [re.compile(part, rx.flags) for part in parts]
    except re.error:  # a cut that is no alternative: the pattern is searched whole
        return None
    if any(alt.groups for alt in compiled):
        return None
    return tuple((alt, required(alt)) for alt in compiled)


def first(patterns: tuple[re.Pattern[str], ...], text: str, hay: str | None) -> re.Match[str] | None:
    """The match of the first of ``patterns`` that matches ``text``, as a loop of ``rx.search`` finds it.

    One test of the words of the whole group first: most sentences hold none of a cue's words.
    """
    if hay is not None:
        entry = _BY_ID.get(id(patterns))
        if entry is None or entry[0] is not patterns:
            entry = _BY_ID[id(patterns)] = (patterns, _group_required(patterns))
        needed = entry[1]
        if needed is not None and not any(map(hay.__contains__, needed)):
            return None
    for rx in patterns:
        hit = search(rx, text, hay)
        if hit:
            return hit
    return None


def may_match_any(groups: tuple[tuple[Any, tuple[re.Pattern[str], ...]], ...], hay: str | None) -> bool:
    """False only if no pattern of the ``(key, patterns)`` groups can match the text whose ``haystack`` is ``hay``
    (one test for a loop of ``first`` over the groups)."""
    if hay is None:
        return True
    entry = _BY_ID.get(id(groups))
    if entry is None or entry[0] is not groups:
        needed = [_group_required(patterns) for _, patterns in groups]
        words = None if any(n is None for n in needed) else tuple(sorted({w for n in needed for w in n or ()}))
        entry = _BY_ID[id(groups)] = (groups, words)
    return entry[1] is None or any(map(hay.__contains__, entry[1]))


@functools.cache
def _group_required(patterns: tuple[re.Pattern[str], ...]) -> tuple[str, ...] | None:
    """The words one of which a match of any of ``patterns`` needs (``None`` if one pattern has none)."""
    words: set[str] = set()
    for rx in patterns:
        needed = required(rx)
        if needed is None:
            return None
        words.update(needed)
    return tuple(sorted(words))
