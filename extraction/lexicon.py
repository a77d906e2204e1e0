"""The number, unit and date lexicon of ncreport's two text readers.

Structuring (:mod:`extraction.values`, :mod:`extraction.assemble`) and the guardrails' claim
reader (:mod:`guardrails.claims`) read numbers, units, blood pressures and dates with these
patterns and functions, so the two agree on what "64 %", "1.2 mL/min/g", "120/80 mmHg" or
"Aug 27, 2024" is. Pure regular expressions over strings; no spaCy.

Numbers are read two ways, for two jobs:

- :data:`NUMBER_RE`, a value as a reader writes it in prose: digits (a sign, a decimal point or a
  decimal comma) or words ("twenty five", "seven and a half"). Structuring reads the value after
  a label with it.
- :data:`WRITTEN_NUMBER_RE`, a number written in digits with its thousands separators ("1,250")
  and its written decimals, so a claim can be compared with a fact at the precision it states.
  The claim reader checks every number of a text with it. It has no decimal comma: a number
  written "2,1" is not claimed as 2.1 (a checked number is compared exactly, and "2,1" may be a
  list), while structuring, which only reads the value a label announces, reads it as 2.1.

Units are one table (:data:`UNITS`): a name, the UCUM code and the spellings both readers accept.
Dates are one pattern (:data:`DATE_RE`) for every format either reader accepts, read by
:func:`date_iso`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from extraction.plausible import PLAUSIBLE

__all__ = [
    "BP_RE",
    "COMPACT_DATE_RE",
    "DATE_RE",
    "DURATION_RE",
    "NUMBER_RE",
    "RANGE_END_RE",
    "SPOKEN_BP_RE",
    "THOUSANDS_RE",
    "UNITS",
    "WRITTEN_NUMBER_RE",
    "Unit",
    "bp_plausible",
    "date_iso",
    "iter_dates",
    "parse_number_token",
    "parse_written_number",
    "read_unit",
    "unit_named",
    "unit_pattern",
    "units_re",
    "words_to_number",
]

# --- numbers ------------------------------------------------------------------------------------

_ONES: dict[str, int] = {
    "zero": 0, "none": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
# "oh": a spoken zero inside a number ("one point oh four", "one oh five"), never one alone.
_ZERO = "oh"
_WORD = "|".join(sorted([*_ONES, *_TENS, "hundred", "half", _ZERO], key=len, reverse=True))
_DIGITS_IN_WORDS = [w for w, n in _ONES.items() if n < 10 and w not in ("none", "nil")]
_DIGIT_WORD = "|".join(sorted([*_DIGITS_IN_WORDS, _ZERO], key=len, reverse=True))
# A number in words, with a sign ("minus two", a Duke score) and spoken decimals ("ten point one",
# "one point oh four"): dictated reports spell out what a transcriptionist hears. "and" and "a" join
# number words ("seven and a half", "one hundred and two") but never end a number: "sixty two and the
# peak heart rate" is sixty-two. "and" joins only after "hundred" or before a half: between two numbers it
# is the "and" of a list ("eighty two and one thirty over seventy six": two pressures, not 82 + 130).
WORD_NUMBER = (
    rf"(?:(?:minus[\s-]+)?(?:{'|'.join(sorted([*_ONES, *_TENS], key=len, reverse=True))})"
    rf"(?:[\s-]+(?:(?:(?<=hundred[\s-])and|and(?=[\s-]+(?:a[\s-]+)?half)|a(?=[\s-]+half))[\s-]+)*"
    rf"(?:{_WORD})(?![\w]))*"
    rf"(?:\s+point(?:\s+(?:{_DIGIT_WORD})(?![\w]))+)?)"
)
# Digits with an optional sign (hyphen, unicode minus, en dash or plus) and a decimal point or comma, or the point
# said as a word between digits, as speech recognition writes a dictated decimal ("1 point 02").
DIGITS = r"[-−–+]?\d+(?:[.,]\d+|\s+point\s+\d+(?![.,]?\d))?"
NUMBER_RE = re.compile(rf"(?<![\w.])(?:{DIGITS}|{WORD_NUMBER})(?![\w])", re.IGNORECASE)
# "1,250": a thousands separator, not a decimal comma (read by NUMBER_RE as one token).
THOUSANDS_RE = re.compile(r"\d+,\d{3}")
# The upper bound of a range written after a number: "55-60", "55 – 60", "55 to 60", "fifty five to sixty".
RANGE_END_RE = re.compile(rf"\s*(?:-|–|to)\s*(\d+(?:\.\d+)?|{WORD_NUMBER}(?![\w]))", re.IGNORECASE)
WRITTEN_NUMBER_RE = re.compile(r"(?<![\w.,/])([-−]?(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?:\.\d+)?)(?![\w]|\.\d)")


def words_to_number(text: str) -> float | None:
    """'twenty five' -> 25, 'seven and a half' -> 7.5, 'zero' -> 0, 'minus two' -> -2,
    'ten point one' -> 10.1; None if not a number."""
    words = re.split(r"[\s-]+", text.lower().strip())
    sign = 1.0
    if len(words) > 1 and words[0] == "minus":
        sign, words = -1.0, words[1:]
    decimals = ""
    if "point" in words:
        at = words.index("point")
        digits = [0 if w == _ZERO else _ONES.get(w) for w in words[at + 1 :]]
        if not digits or any(d is None or d > 9 for d in digits):
            return None
        decimals = "".join(str(d) for d in digits)
        words = words[:at]
    whole = _whole_words(words)
    if whole is None or (decimals and not whole.is_integer()):
        return None
    return sign * (float(f"{int(whole)}.{decimals}") if decimals else whole)


def _whole_words(words: list[str]) -> float | None:
    """The value of number words without sign or decimals ('one hundred forty two' -> 142).

    Spoken hundreds without the word "hundred", as blood pressures and heart rates are dictated: a digit
    word, then a tens or teens word or "oh", is that many hundreds ('one thirty-eight' -> 138, 'one
    fifteen' -> 115, 'one oh five' -> 105).
    """
    current = 0.0
    seen = False
    digit_only = False  # the value so far is one digit word ("one"), which a spoken hundred may follow
    for word in words:
        spoken_hundred = digit_only and (word in _TENS or word == _ZERO or 10 <= _ONES.get(word, 0) <= 19)
        if spoken_hundred:
            current *= 100
        if word == _ZERO:
            if not spoken_hundred:
                return None
        elif word in _ONES:
            current += _ONES[word]
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
        digit_only = not seen and word in _ONES and 1 <= _ONES[word] <= 9
        seen = True
    if words and words[-1] == _ZERO:
        return None  # "one oh": a spoken hundred without its last digit
    return current if seen else None


def parse_number_token(text: str) -> float | None:
    """A number written in digits (unicode minus or en dash, decimal comma) or in words."""
    t = text.strip().replace("−", "-").replace("–", "-")
    if re.fullmatch(r"[-+]?\d+[.,]\d+|[-+]?\d+", t):
        return float(t.replace(",", "."))
    spoken = re.fullmatch(r"([-+]?\d+)\s+point\s+(\d+)", t, re.IGNORECASE)
    if spoken:
        return float(f"{spoken.group(1)}.{spoken.group(2)}")
    return words_to_number(t)


def parse_written_number(text: str) -> tuple[float, int]:
    """A number of :data:`WRITTEN_NUMBER_RE` as (value, written decimals): '1,250' -> (1250, 0)."""
    raw = text.replace("−", "-").replace(",", "")
    return float(raw), len(raw.split(".")[1]) if "." in raw else 0


# --- units --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit as written after a number: its name, UCUM code and spellings (regular expressions)."""

    name: str
    ucum: str
    spellings: tuple[str, ...]

    @property
    def pattern(self) -> str:
        """The spellings as one alternation, ending where a word ends."""
        return rf"(?:{'|'.join(self.spellings)})(?![A-Za-z])"


_PERCENT_OF = r"(?:%|percent)\s*of\s+(?:the\s+)?"
# Order matters where one unit's spelling starts another's: the first match wins.
UNITS: tuple[Unit, ...] = (
    # "28% of the LV", and the shorthand "(~18% LV)"
    Unit("lv%", "%", (rf"{_PERCENT_OF}(?:left ventricle|LV|left ventricular myocardium|myocardium)", r"%\s*LV\b")),
    Unit("mphr%", "%", (rf"{_PERCENT_OF}(?:age-predicted|predicted|maximum|maximal|max|target)",)),
    Unit("%", "%", ("%", "percent", "pct")),
    Unit("flow", "mL/min/g", (r"(?:ml|cc)\s*/\s*(?:min\s*/\s*g(?:ram)?|g\s*/\s*min)",)),
    Unit("mL", "mL", ("ml", "cc", r"millilit(?:er|re)s?")),
    Unit("bpm", "/min", ("bpm", r"beats\s*(?:per|/)\s*min(?:ute)?s?", "/min")),
    Unit("mmHg", "mm[Hg]", (r"mm\s*hg",)),
    Unit("MBq", "MBq", ("mbq",)),
    Unit("mCi", "mCi", ("mci",)),
    Unit("mg", "mg", ("mg", "mcg", "µg", "ug", r"micrograms?")),
    Unit("METs", "{MET}", ("mets?", r"metabolic\s+equivalents?")),
    Unit("min", "min", ("minutes?", "mins?")),
    Unit("s", "s", ("seconds?", "secs?")),
    Unit("mm", "mm", ("mm",)),
    Unit("points", "%", (r"(?:percentage\s+)?points?",)),
    Unit("age", "a", (r"-?\s*(?:years?|yo|y/o)",)),
    Unit("count", "{segments}", (r"(?:of\s+17\s+)?segments?",)),
)
_BY_NAME = {u.name: u for u in UNITS}


def unit_named(name: str) -> Unit:
    """The unit of :data:`UNITS` called ``name`` (KeyError if none)."""
    return _BY_NAME[name]


def unit_pattern(*names: str) -> str:
    """One alternation of the spellings of the units ``names`` (for a larger pattern)."""
    return "(?:" + "|".join(_BY_NAME[n].pattern for n in names) + ")"


@functools.cache
def units_re(*names: str) -> re.Pattern[str]:
    """A unit of ``names`` right after a number (after optional spaces), compiled once per list."""
    return re.compile(rf"\s*{unit_pattern(*names)}", re.IGNORECASE)


# Every unit in one pattern: at a fixed start an alternation takes its first matching member, as a
# loop over UNITS in order would.
_ANY_UNIT = re.compile(r"\s*(?:" + "|".join(f"(?P<u{i}>{u.pattern})" for i, u in enumerate(UNITS)) + ")", re.I)


def read_unit(text: str) -> tuple[Unit, int] | None:
    """The unit that ``text`` starts with (after optional spaces) and where it ends, if any."""
    m = _ANY_UNIT.match(text)
    if m is None or m.lastgroup is None:
        return None
    return UNITS[int(m.lastgroup[1:])], m.end()


# Durations: "9:00 min", "6 min 0 sec", "seven minutes 30 seconds", "9 m 30 s", and minutes and seconds as primes
# ("7'15\"", "7\u2032 15\u2033", "7' 15''"). In a duration the short forms ("min.", "m", "sec.", "s") are minutes
# and seconds; alone after a number they are not.
_MIN = r"(?:minutes?|mins?|min\.?|m)\b"
_SEC = r"(?:seconds?|secs?|sec\.?|s)\b"
DURATION_RE = re.compile(
    rf"(?P<mm>\d{{1,2}}):(?P<ss>\d{{2}})(?:\s*(?:min(?:utes?)?|mins|m)\b)?"
    r"|(?<![\d.])(?P<pm>\d{1,2})[ \t]*['\u2032\u2019][ \t]*(?P<ps>[0-5]?\d)[ \t]*(?:\"|''|\u2033|\u201d)"
    rf"|(?P<min>{DIGITS}|{WORD_NUMBER})\s*(?:-\s*)?{_MIN}"
    rf"(?:\s*(?:,|and)?\s*(?P<sec>\d{{1,2}}|{WORD_NUMBER})\s*{_SEC})?",
    re.IGNORECASE,
)

# --- blood pressure -----------------------------------------------------------------------------

# "120/80", "120 / 80 mmHg": systolic and diastolic, with the unit when written.
BP_RE = re.compile(rf"(?<![\d/.])(\d{{2,3}})\s*/\s*(\d{{2,3}})(?![\d/])(?P<unit>\s*{unit_pattern('mmHg')})?", re.I)
# A dictated pressure: "one thirty-eight over eighty-four", "138 over 84", "one forty slash ninety" (words read
# by words_to_number).
SPOKEN_BP_RE = re.compile(
    rf"(?<![\w.])(\d{{2,3}}|{WORD_NUMBER})\s+(?:over|slash)\s+(\d{{2,3}}|{WORD_NUMBER})(?![\w])"
    rf"(?P<unit>\s*{unit_pattern('mmHg')})?",
    re.I,
)


def bp_plausible(systolic: int, diastolic: int) -> bool:
    """A 'SYS/DIA' pair that can be a blood pressure (not a fraction, a date or a score pair)."""
    return (
        systolic in PLAUSIBLE["systolic_bp_mmhg"]
        and diastolic in PLAUSIBLE["diastolic_bp_mmhg"]
        and systolic > diastolic
    )


# --- dates --------------------------------------------------------------------------------------

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")]
    )
    for m in names
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# The day of a month as an ordinal in words, as dictation writes it ("December fifth 2024", "the twenty-first of
# March 2025").
_ORDINAL_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9,
}  # fmt: skip
_ORDINAL_DAYS: dict[str, int] = {
    **_ORDINAL_UNITS, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "thirtieth": 30,
    **{f"{tens}{sep}{unit}": n + u for tens, n in (("twenty", 20), ("thirty", 30)) for unit, u in _ORDINAL_UNITS.items()
       for sep in ("-", " ") if n + u <= 31},
}  # fmt: skip
_ORDINAL_DAY = "|".join(re.escape(w) for w in sorted(_ORDINAL_DAYS, key=len, reverse=True))
_DAY = rf"\d{{1,2}}(?:st|nd|rd|th)?|{_ORDINAL_DAY}"
# A year as dictation says it, after a month and a day ("June second two thousand twenty six", "March 4th twenty
# twenty five", "January third nineteen sixty"): read by _year_value.
_UNIT_WORD = "one|two|three|four|five|six|seven|eight|nine"
_TEEN_WORD = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS_WORD = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_SPOKEN_YEAR = (
    rf"(?:nineteen|twenty)[\s-]+(?:(?:{_TENS_WORD})(?:[\s-]+(?:{_UNIT_WORD}))?|{_TEEN_WORD}|oh?[\s-]+(?:{_UNIT_WORD}))"
    rf"|two[\s-]+thousand(?:[\s-]+and)?(?:[\s-]+(?:(?:{_TENS_WORD})(?:[\s-]+(?:{_UNIT_WORD}))?|{_TEEN_WORD}|{_UNIT_WORD}))?"
)
# Numeric dates with one separator, year first ("2024-08-27", "2024/8/7") or last ("08/27/2024",
# "27.08.2024", "8-27-24"; a year of two or four digits, not followed by another dotted number: "1.2.840.99999"
# is a DICOM UID), and
# month-name dates either way round ("Aug. 27th, 2024", "27 August 2024", "12-Jan-2025", "December fifth 2024",
# "the 3rd of May 2025").
DATE_RE = re.compile(
    r"(?<!\d)(?P<y>\d{4})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"
    r"|(?<!\d)(?P<a>\d{1,2})(?P<sep2>[/.-])(?P<b>\d{1,2})(?P=sep2)(?P<c>\d{4}|\d{2})(?!\d|\.\d)"
    rf"|(?<![A-Za-z])(?P<month>{_MONTH})(?![A-Za-z])\.?\s+(?:the\s+)?(?P<day>{_DAY})(?![A-Za-z]),?\s+"
    rf"(?P<year>\d{{4}}(?!\d)|(?:{_SPOKEN_YEAR})(?![\w-]))"
    rf"|(?<![\dA-Za-z])(?P<day2>{_DAY})(?:\s+of)?(?:\s+|-)(?P<month2>{_MONTH})(?![A-Za-z])\.?,?(?:\s+|-)(?P<year2>\d{{4}})(?!\d)",
    re.IGNORECASE,
)


# A compact date as vendor exports write it ("StudyDate=20250314"), or an HL7 time stamp with its time of day
# ("20250314083000"): read only after a date label, since any eight digits would match.
COMPACT_DATE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?:(?:[01]\d|2[0-3])[0-5]\d(?:[0-5]\d)?)?(?!\d)"
)


def _iso(y: int, mo: int, d: int) -> str | None:
    if y < 100:
        y += 2000 if y < 50 else 1900
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def date_iso(m: re.Match[str]) -> str | None:
    """The ISO date a :data:`DATE_RE` match states, or None when it is not a calendar date.

    A numeric date is year-first when its first number has four digits, else month-first (US)
    unless the first number cannot be a month ("21/03/2023").
    """
    if m.group("y") is not None:
        return _iso(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    if m.group("a") is not None:
        a, b, c = int(m.group("a")), int(m.group("b")), int(m.group("c"))
        return _iso(c, b, a) if a > 12 else _iso(c, a, b)
    if m.group("month") is not None:
        month, day, year = m.group("month"), m.group("day"), m.group("year")
    else:
        month, day, year = m.group("month2"), m.group("day2"), m.group("year2")
    year_value = _year_value(year)
    return None if year_value is None else _iso(year_value, _MONTHS[month.lower()], _day_of_month(day))


def _year_value(year: str) -> int | None:
    """'2026' -> 2026; a year said in words: 'two thousand twenty six' -> 2026, 'twenty twenty six' -> 2026,
    'nineteen sixty' -> 1960, 'twenty oh five' -> 2005."""
    if year.isdigit():
        return int(year)
    words = [w for w in re.split(r"[\s-]+", year.lower()) if w and w != "and"]
    if words[:2] == ["two", "thousand"]:
        rest = words_to_number(" ".join(words[2:])) if words[2:] else 0.0
        return None if rest is None else 2000 + int(rest)
    tail = words[1:] if words[1:2] not in (["o"], ["oh"]) else words[2:]
    rest = words_to_number(" ".join(tail)) if tail else None
    if rest is None or not words or words[0] not in ("nineteen", "twenty"):
        return None
    return (1900 if words[0] == "nineteen" else 2000) + int(rest)


def _day_of_month(day: str) -> int:
    """'5', '5th' or 'fifth' -> 5."""
    digits = re.match(r"\d+", day)
    return int(digits.group()) if digits else _ORDINAL_DAYS[" ".join(day.lower().split())]


def iter_dates(text: str, skip: int = 0) -> Iterator[re.Match[str]]:
    """Every date-shaped string of ``text[skip:]``, in order (:func:`date_iso` says if it is a date)."""
    return DATE_RE.finditer(text, skip)
