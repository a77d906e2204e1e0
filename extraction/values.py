"""Value normalisation: numbers (digits or words), units, ranges, blood pressures, durations, dates.

The structuring side of :mod:`extraction.lexicon` (whose patterns the guardrails' claim reader
shares): pure functions over strings with character offsets; no spaCy. Every parser returns the
value and the ``[start, end)`` offsets of the text that states it, relative to the string it was
given.

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

from dataclasses import dataclass

from extraction.lexicon import (
    BP_RE,
    COMPACT_DATE_RE,
    DURATION_RE,
    NUMBER_RE,
    RANGE_END_RE,
    SPOKEN_BP_RE,
    THOUSANDS_RE,
    bp_plausible,
    date_iso,
    iter_dates,
    parse_number_token,
    units_re,
    words_to_number,
)

__all__ = [
    "Found",
    "find_bp",
    "find_date",
    "find_duration",
    "find_number",
    "parse_number_token",
    "words_to_number",
]


@dataclass(frozen=True, slots=True)
class Found:
    """A value found in a string, with the offsets of the text that states it."""

    value: int | float | str
    start: int
    end: int
    low: float | None = None
    high: float | None = None


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

    ``units`` names units of :data:`extraction.lexicon.UNITS` ("%", "mL", "flow", "bpm"...).

    A range "55-60" or "55 to 60" gives the midpoint with ``low``/``high`` set.
    """
    m = NUMBER_RE.search(text, skip)
    if m is None:
        return None
    raw = m.group(0)
    if THOUSANDS_RE.fullmatch(raw):  # "1,250" is a thousands separator, not a decimal comma
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
        r = RANGE_END_RE.match(text, end)
        upper = parse_number_token(r.group(1)) if r else None
        if r and upper is not None and upper > value >= 0:
            low, high = value, upper
            value = (low + high) / 2
            end = r.end()
    if units:
        u = units_re(*units).match(text, end)
        if u:
            end = u.end()
    return Found(_clean(value), start, end, low, high)


def find_bp(text: str, skip: int = 0) -> Found | None:
    """The first blood pressure, 'SYS/DIA' or dictated ('one thirty-eight over eighty-four'), as 'SYS/DIA'
    (with 'mmHg' in the span when written)."""
    m = BP_RE.search(text, skip)
    spoken = SPOKEN_BP_RE.search(text, skip, m.start() if m is not None else len(text))
    if spoken is not None:
        s, d = parse_number_token(spoken.group(1)), parse_number_token(spoken.group(2))
        if s is None or d is None or not (s.is_integer() and d.is_integer()):
            return None
        m, sys_, dia = spoken, int(s), int(d)
    elif m is None:
        return None
    else:
        sys_, dia = int(m.group(1)), int(m.group(2))
    if not bp_plausible(sys_, dia):
        return None
    return Found(f"{sys_}/{dia}", m.start(), m.end())


def find_duration(text: str, skip: int = 0) -> Found | None:
    """The first duration in decimal minutes: '9:00 min', '6 min 0 sec', 'nine minutes'."""
    for m in DURATION_RE.finditer(text, skip):
        if m.group("mm") is not None:
            minutes = float(m.group("mm")) + float(m.group("ss")) / 60
        elif m.group("pm") is not None:
            minutes = float(m.group("pm")) + float(m.group("ps")) / 60
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


def find_date(text: str, skip: int = 0, *, compact: bool = False) -> Found | None:
    """The first calendar date, as ISO 'YYYY-MM-DD' ('20250314' too with ``compact``)."""
    found: Found | None = None
    for m in iter_dates(text, skip):
        iso = date_iso(m)
        if iso is not None:
            found = Found(iso, m.start(), m.end())
            break
    if compact:
        c = COMPACT_DATE_RE.search(text, skip)
        if c is not None and (found is None or c.start() < found.start):
            found = Found(f"{c.group('y')}-{c.group('m')}-{c.group('d')}", c.start(), c.end())
    return found
