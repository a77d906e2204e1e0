"""Does a rephrased sentence say exactly what the sentence it rephrases says?

The language model only rephrases rule-based sentences, so besides verifying the new sentence
against the study's facts (``verify``), the drafter checks it against its reference: every number
and every clinical term of the reference must survive, and no number or clinical term may be
added. A sentence that passes the facts check but quietly drops "LAD" or "abnormal", or that
adds "lung", fails here. The terms are data (``resources/paraphrase_terms.json``).

A rephrasing also fails (G905) where it says a clinical term more often than its reference
("Normal LV function is normal", "The nonischemic ECG response ... was nonischemic"), repeats a
phrase of three words or more, or adds advice or a conclusion (the claim reader's ``advice`` cue).
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from importlib.resources import files

from guardrails.claims import cues
from guardrails.flags import Flag, FlagCode, make_flag

__all__ = ["check_paraphrase"]

_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?")
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*", re.I)
# Terms a faithful rephrasing may say more often than its reference ("no ischemia and no infarction").
_MAY_REPEAT = frozenset({"negation"})


def _repeated_phrase(text: str, size: int = 3) -> str | None:
    """The first phrase of ``size`` words said twice in ``text``, if any."""
    words = [w.lower() for w in _WORD.findall(text)]
    seen: set[tuple[str, ...]] = set()
    for i in range(len(words) - size + 1):
        gram = tuple(words[i : i + size])
        if gram in seen:
            return " ".join(gram)
        seen.add(gram)
    return None


@functools.cache
def _terms() -> dict[str, re.Pattern[str]]:
    data = json.loads(files("guardrails").joinpath("resources/paraphrase_terms.json").read_text("utf-8"))
    unknown = set(data) - {"_comment", "terms"}
    if unknown:
        raise ValueError(f"paraphrase_terms.json: unknown keys {sorted(unknown)}")
    return {
        name: re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
        for name, patterns in data["terms"].items()
    }


def _numbers(text: str) -> Counter[float]:
    return Counter(float(m.group()) for m in _NUMBER.finditer(text))


def check_paraphrase(reference: str, candidate: str) -> list[Flag]:
    """Flags (G904 dropped, G905 added) where the candidate's facts differ from the reference's."""
    flags: list[Flag] = []
    ref_numbers, cand_numbers = _numbers(reference), _numbers(candidate)
    for number in sorted((ref_numbers - cand_numbers).elements()):
        flags.append(
            make_flag(
                FlagCode.PARAPHRASE_DROPS,
                f"the number {number:g} of the reference is missing",
                None,
                evidence=reference,
            )
        )
    for match in _NUMBER.finditer(candidate):
        if float(match.group()) not in ref_numbers:
            flags.append(
                make_flag(
                    FlagCode.PARAPHRASE_ADDS,
                    f"the number {match.group()} is not in the reference",
                    (match.start(), match.end()),
                    evidence=reference,
                )
            )
    for name, pattern in _terms().items():
        in_ref, found = pattern.search(reference), pattern.search(candidate)
        if in_ref and not found:
            flags.append(
                make_flag(FlagCode.PARAPHRASE_DROPS, f"'{name}' of the reference is missing", None, evidence=reference)
            )
        elif found and not in_ref:
            flags.append(
                make_flag(
                    FlagCode.PARAPHRASE_ADDS,
                    f"'{name}' is not in the reference",
                    (found.start(), found.end()),
                    evidence=reference,
                )
            )
        elif found and name not in _MAY_REPEAT:
            times = list(pattern.finditer(candidate))
            if len(times) > len(pattern.findall(reference)):  # "Normal LV function is normal"
                flags.append(
                    make_flag(
                        FlagCode.PARAPHRASE_ADDS,
                        f"'{name}' is said more often than in the reference",
                        (times[-1].start(), times[-1].end()),
                        evidence=reference,
                    )
                )
    phrase = _repeated_phrase(candidate)
    if phrase is not None and _repeated_phrase(reference) is None:
        flags.append(
            make_flag(FlagCode.PARAPHRASE_ADDS, f"the phrase '{phrase}' is repeated", None, evidence=reference)
        )
    advice = cues().advice.search(candidate)
    if advice and not cues().advice.search(reference):  # a model sentence must not add advice or a conclusion
        flags.append(
            make_flag(
                FlagCode.PARAPHRASE_ADDS,
                "advice or a conclusion is not in the reference",
                (advice.start(), advice.end()),
                evidence=reference,
            )
        )
    return flags
