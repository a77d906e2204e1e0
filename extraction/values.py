"""Value normalisation: numbers (digits or words), units, ranges, blood pressures, durations, dates.

Pure functions over strings with character offsets; no spaCy. Every parser returns the value and
the ``[start, end)`` offsets of the text that states it, relative to the string it was given.

Decisions:
- A range ("EF 55-60%", "55 to 60 %") is reported as its **midpoint** (57.5) with the bounds kept
  in an extra ``range`` field: the midpoint is the unbiased point estimate of a reader's range, and
  the bounds stay available to anyone who prefers the lower bound.
- A duration is reported in decimal minutes ("9:00 min" -> 9, "7 minutes 30 seconds" -> 7.5).
- A blood pressure is the string "SYS/DIA" as the schema asks.
- Dates are ISO ``YYYY-MM-DD``; "03/04/2023" is read month-first (US) unless the first number
  cannot be a month ("21/03/2023").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

__all__ = [
    "Found",
    "find_bp",
    "find_date",
    "find_duration",
    "find_number",
    "parse_number_token",
    "words_to_number",
]

_UNITS: dict[str, int] = {
    "zero": 0, "none": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
_WORD = "|".join(sorted([*_UNITS, *_TENS, "hundred", "and", "a", "half"], key=len, reverse=True))
_WORD_NUMBER = rf"(?:(?:{'|'.join(sorted([*_UNITS, *_TENS], key=len, reverse=True))})(?:[\s-]+(?:{_WORD}))*)"
_DIGITS = r"[-−–+]?\d+(?:[.,]\d+)?"
NUMBER_RE = re.compile(rf"(?<![\w.])(?:{_DIGITS}|{_WORD_NUMBER})(?![\w])", re.IGNORECASE)
_THOUSANDS = re.compile(r"\d+,\d{3}")
_RANGE_END = re.compile(r"\s*(?:-|–|to)\s*(\d+(?:\.\d+)?)")
_BP_RE = re.compile(r"(?<![\d/])(\d{2,3})\s*/\s*(\d{2,3})(?![\d/])")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")]
    )
    for m in names
}  # fmt: skip
_DATE_NUMERIC = re.compile(r"(?<!\d)(\d{1,4})([/.-])(\d{1,2})\2(\d{2,4})(?!\d)")
_DATE_WORDS = re.compile(
    r"(?<![A-Za-z])([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)"
    r"|(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})(?!\d)"
)
_DURATION_RE = re.compile(
    rf"(?P<mm>\d{{1,2}}):(?P<ss>\d{{2}})(?:\s*(?:min(?:utes?)?|mins|m)\b)?"
    rf"|(?P<min>{_DIGITS}|{_WORD_NUMBER})\s*(?:-\s*)?(?:minutes?|mins?|min\.?|m)\b"
    rf"(?:\s*(?:,|and)?\s*(?P<sec>\d{{1,2}}|{_WORD_NUMBER})\s*(?:seconds?|secs?|sec\.?|s)\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Found:
    """A value found in a string, with the offsets of the text that states it."""

    value: int | float | str
    start: int
    end: int
    low: float | None = None
    high: float | None = None


def words_to_number(text: str) -> float | None:
    """'twenty five' -> 25, 'seven and a half' -> 7.5, 'zero' -> 0; None if not a number."""
    total = 0.0
    current = 0.0
    seen = False
    for word in re.split(r"[\s-]+", text.lower().strip()):
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "half" and seen:
            current += 0.5
        elif word in ("and", "a"):
            continue
        else:
            return None
        seen = True
    total += current
    return total if seen else None


def parse_number_token(text: str) -> float | None:
    """A number written in digits (unicode minus, decimal comma) or in words."""
    t = text.strip().replace("−", "-").replace("–", "-")
    if re.fullmatch(r"[-+]?\d+[.,]\d+|[-+]?\d+", t):
        return float(t.replace(",", "."))
    return words_to_number(t)


def _clean(value: float) -> int | float:
    """Integers as ``int`` (JSON "64", not "64.0"); other values rounded to 2 decimals."""
    return int(value) if float(value).is_integer() else round(value, 2)


def find_number(
    text: str,
    units: tuple[str, ...] = (),
    *,
    allow_range: bool = True,
    skip: int = 0,
) -> Found | None:
    """The first number in ``text[skip:]`` with an optional trailing unit (included in the span).

    A range "55-60" or "55 to 60" gives the midpoint with ``low``/``high`` set.
    """
    m = NUMBER_RE.search(text, skip)
    if m is None:
        return None
    raw = m.group(0)
    if _THOUSANDS.fullmatch(raw):  # "1,250" is a thousands separator, not a decimal comma
        raw = raw.replace(",", "")
        value = float(raw)
    else:
        parsed = parse_number_token(raw)
        if parsed is None:
            return None
        value = parsed
    start, end = m.start(), m.end()
    low = high = None
    if allow_range:
        r = _RANGE_END.match(text, end)
        if r and float(r.group(1)) > value >= 0:
            low, high = value, float(r.group(1))
            value = (low + high) / 2
            end = r.end()
    if units:
        u = _unit_re(units).match(text, end)
        if u:
            end = u.end()
    return Found(_clean(value), start, end, low, high)


@functools.cache
def _unit_re(units: tuple[str, ...]) -> re.Pattern[str]:
    """A unit of ``units`` right after a number (longest first), compiled once per unit list."""
    alternatives = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return re.compile(rf"\s*(?:{alternatives})(?![A-Za-z])", re.IGNORECASE)


def find_bp(text: str, skip: int = 0) -> Found | None:
    """The first 'SYS/DIA' blood pressure (with 'mmHg' in the span when written)."""
    m = _BP_RE.search(text, skip)
    if m is None:
        return None
    sys_, dia = int(m.group(1)), int(m.group(2))
    if not (60 <= sys_ <= 300 and 20 <= dia <= 200 and sys_ > dia):
        return None
    end = m.end()
    u = re.match(r"\s*mm\s*hg", text[end:], re.IGNORECASE)
    if u:
        end += u.end()
    return Found(f"{sys_}/{dia}", m.start(), end)


def find_duration(text: str, skip: int = 0) -> Found | None:
    """The first duration in decimal minutes: '9:00 min', '6 min 0 sec', 'nine minutes'."""
    for m in _DURATION_RE.finditer(text, skip):
        if m.group("mm") is not None:
            minutes = float(m.group("mm")) + float(m.group("ss")) / 60
        else:
            base = parse_number_token(m.group("min"))
            if base is None:
                continue
            minutes = base
            if m.group("sec"):
                sec = parse_number_token(m.group("sec"))
                minutes += (sec or 0) / 60
        return Found(_clean(minutes), m.start(), m.end())
    return None


def _iso(y: int, mo: int, d: int) -> str | None:
    if y < 100:
        y += 2000 if y < 50 else 1900
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def find_date(text: str, skip: int = 0) -> Found | None:
    """The first calendar date, as ISO 'YYYY-MM-DD'."""
    best: Found | None = None
    for m in _DATE_NUMERIC.finditer(text, skip):
        a, b, c = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if len(m.group(1)) == 4:
            iso = _iso(a, b, c)
        elif a > 12:
            iso = _iso(c, b, a)
        else:
            iso = _iso(c, a, b)
        if iso:
            best = Found(iso, m.start(), m.end())
            break
    for m in _DATE_WORDS.finditer(text, skip):
        if m.group(1):
            month, day, year = m.group(1), m.group(2), m.group(3)
        else:
            day, month, year = m.group(4), m.group(5), m.group(6)
        mo = _MONTHS.get(month.lower())
        iso = _iso(int(year), mo, int(day)) if mo else None
        if iso and (best is None or m.start() < best.start):
            best = Found(iso, m.start(), m.end())
        if iso:
            break
    return best
