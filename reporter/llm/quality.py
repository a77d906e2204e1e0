"""How a verified model sentence compares with the rule sentence it rephrases: a rule, not a judgement.

The guardrails decide whether a model sentence is *true* (facts and paraphrase checks). This module
decides whether it is worth having, for the benchmark (``bench/draft_llm.py``):

- ``identical``: the reference, unchanged;
- ``order_only``: the same words in another order (nothing gained for the reader);
- ``worse``: a defect a reader sees: a phrase said twice (a duplicated run of 3 words or more), a
  tautology (a content word of the subject negated back onto itself: "function is normal, with no
  evidence of decreased ... function"), or a rule fragment pasted in (a capitalised word mid-sentence
  that starts the reference: "The exercise test was Adequate exercise test");
- ``better``: none of those, and shorter than the reference (fewer words for the same verified facts);
- ``other``: different, neither worse nor shorter.
"""

from __future__ import annotations

import re
from collections import Counter
from enum import StrEnum

__all__ = ["Comparison", "compare", "problems"]

_WORD = re.compile(r"[A-Za-z0-9]+(?:[-'.][A-Za-z0-9]+)*%?")
_NEGATION = {"no", "not", "without", "never", "none"}
_STOP = {
    "the",
    "a",
    "an",
    "of",
    "in",
    "with",
    "and",
    "or",
    "is",
    "are",
    "was",
    "were",
    "to",
    "by",
    "for",
    "on",
    "at",
    "as",
    "its",
    "this",
    "that",
    "there",
    "be",
    "evidence",
}


class Comparison(StrEnum):
    IDENTICAL = "identical"
    ORDER_ONLY = "order_only"
    WORSE = "worse"
    BETTER = "better"
    OTHER = "other"


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def problems(text: str, reference: str) -> list[str]:
    """What makes a model sentence worse than its reference (empty when nothing does)."""
    out: list[str] = []
    words = [w.lower() for w in _words(text)]
    trigrams = Counter(tuple(words[i : i + 3]) for i in range(len(words) - 2))
    ref = [w.lower() for w in _words(reference)]
    in_reference = Counter(tuple(ref[i : i + 3]) for i in range(len(ref) - 2))
    # a phrase the reference itself repeats (two defects, each "reversible defect with ...") is not the model's
    repeated = [" ".join(g) for g, n in trigrams.items() if n > max(1, in_reference[g]) and not set(g) <= _STOP]
    if repeated:
        out.append(f"duplicated phrase: {repeated[0]!r}")
    negated_at = [i for i, w in enumerate(words) if w in _NEGATION]
    for i in negated_at:
        before = {w for w in words[:i] if w not in _STOP and not w[0].isdigit()}
        after = [w for w in words[i + 1 : i + 8] if w not in _STOP and not w[0].isdigit()]
        echoed = [w for w in after if w in before and w not in ("normal", "reduced")]
        if len(echoed) >= 2:
            out.append(f"tautology: {' '.join(echoed)!r} negated after being stated")
            break
    ref_words = _words(reference)
    if ref_words:
        first = ref_words[0]
        original = _words(text)
        for i, w in enumerate(original[1:], start=1):
            if w == first and first[0].isupper() and original[i - 1][0].islower():
                out.append(f"rule fragment pasted in: {' '.join(original[i : i + 3])!r}")
                break
    return out


def compare(text: str, reference: str) -> Comparison:
    """The class of a (verified) model sentence against its reference; see the module docstring."""
    if text.strip() == reference.strip():
        return Comparison.IDENTICAL
    if problems(text, reference):
        return Comparison.WORSE
    words, ref = _words(text.lower()), _words(reference.lower())
    if Counter(words) == Counter(ref):
        return Comparison.ORDER_ONLY
    return Comparison.BETTER if len(words) < len(ref) else Comparison.OTHER
