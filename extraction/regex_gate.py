"""Where a regular expression's match may start: ``gated(rx)``, the same pattern tried only at those positions.

Python's ``re`` tries a pattern that opens with a look-behind or an alternation at every position of the
text; a lookahead on the characters that can start a match rejects most positions in one test, and the
matches are the same, in the same order. The extraction pipeline gates its ``wording.json`` targets with
it; claim reading (``guardrails.prefilter``, which sits above extraction) gates its cues with the same
function, imported from here.
"""

from __future__ import annotations

import _sre  # whether IGNORECASE folds a character, as re's compiler asks it
import re
from typing import Any

__all__ = ["gated"]

_I_FOLDS = {"i": "\u0130\u0131", "s": "\u017f", "k": "\u212a"}  # what IGNORECASE matches besides the case pair


def gated(rx: re.Pattern[str]) -> re.Pattern[str]:
    """``rx``, tried only at the positions whose character may start one of its matches.

    Python's ``re`` tries a pattern that opens with ``\\b`` and an alternation at every position of the
    text, each of its branches in turn; a lookahead on the characters that can start a match (read from the
    pattern's parse tree, both cases under IGNORECASE) rejects most positions in one test. The matches are
    the same, found in the same order: the lookahead consumes nothing and only refuses positions where no
    match can start. ``rx`` itself where no such set is found (a match may start with any character, or
    be empty), or the pattern cannot be wrapped.
    """
    entry = _GATED.get(id(rx))
    if entry is None or entry[0] is not rx:
        entry = _GATED[id(rx)] = (rx, _gated(rx))
    return entry[1]


_GATED: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}


def _gated(rx: re.Pattern[str]) -> re.Pattern[str]:
    try:
        from re import _parser  # type: ignore[attr-defined]

        if rx.flags & re.VERBOSE:
            return rx  # a comment at its end would swallow the closing parenthesis
        starts, nullable = _first_chars(_parser.parse(rx.pattern, rx.flags))
        if starts is None or nullable or not starts:
            return rx
        escapes = {c for c in starts if c in _CATEGORY_ESCAPES.values()}
        chars = starts - escapes
        if rx.flags & re.IGNORECASE:
            for c in list(chars):
                if not c.isascii() and _sre.unicode_iscased(ord(c)):
                    return rx  # a non-ASCII letter's case folding: no gate (an arrow, "→", matches only itself)
                chars |= {c.lower(), c.upper(), *_I_FOLDS.get(c.lower(), "")}
        lookahead = "".join(sorted(escapes)) + "".join(re.escape(c) for c in sorted(chars))
        return re.compile(f"(?=[{lookahead}])(?:{rx.pattern})", rx.flags)
    except Exception:  # a parser of another Python version, a pattern with global inline flags: no gate
        return rx


def _category_escapes() -> dict[Any, str]:
    from re import _constants as sre  # type: ignore[attr-defined]

    return {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_SPACE: r"\s"}


# A class escape in a set of first characters, as the gate writes it into its own class. The gate is compiled
# with the pattern's flags, so "\d" there is the pattern's "\d" (every Unicode digit unless re.ASCII). Only
# the narrow classes: a pattern that may start with any word character ("\w") gains nothing from a gate.
_CATEGORY_ESCAPES = _category_escapes()


def _first_chars(items: Any) -> tuple[set[str] | None, bool]:
    """The characters a match of the sequence ``items`` may start with (None: any), and whether it may be empty."""
    from re import _constants as sre  # type: ignore[attr-defined]

    found: set[str] = set()
    for op, av in items:
        if op is sre.AT or op in (sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero width: the next item starts the match
        if op is sre.LITERAL:
            return found | {chr(av)}, False
        if op is sre.IN:
            chars: set[str] = set()
            for kind, value in av:
                if kind is sre.LITERAL:
                    chars.add(chr(value))
                elif kind is sre.RANGE and value[1] - value[0] < 64:
                    chars.update(chr(c) for c in range(value[0], value[1] + 1))
                elif kind is sre.CATEGORY and value in _CATEGORY_ESCAPES:
                    chars.add(_CATEGORY_ESCAPES[value])  # kept as written ("\\d"): the gate's class means the same
                else:
                    return None, False  # a category, a negated set, a wide range
            return found | chars, False
        if op is sre.SUBPATTERN:
            if av[1] or av[2]:
                return None, False  # flags set inside the pattern
            inner, nullable = _first_chars(av[3])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            inner, nullable = _first_chars(av[2])
            nullable = nullable or av[0] == 0
        elif op is sre.ATOMIC_GROUP:
            inner, nullable = _first_chars(av)
        elif op is sre.BRANCH:
            inner, nullable = set(), False
            for alternative in av[1]:
                chars_of, empty = _first_chars(alternative)
                if chars_of is None:
                    return None, False
                inner |= chars_of
                nullable = nullable or empty
        else:
            return None, False  # any character, a category, a back reference...
        if inner is None:
            return None, False
        found |= inner
        if not nullable:
            return found, False
    return found, True
