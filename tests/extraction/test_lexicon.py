"""The number/unit/date lexicon both text readers share (extraction.lexicon)."""

from __future__ import annotations

from typing import Any

import pytest

from extraction.lexicon import (
    BP_RE,
    NUMBER_RE,
    WRITTEN_NUMBER_RE,
    bp_plausible,
    date_iso,
    iter_dates,
    parse_number_token,
    parse_written_number,
    read_unit,
    unit_named,
    words_to_number,
)
from extraction.values import find_date, find_duration, find_number
from guardrails.claims import read_claims


@pytest.mark.parametrize(
    ("after", "name", "end"),
    [
        ("% of the left ventricle", "lv%", 23),
        (" percent of age-predicted", "mphr%", 25),
        ("%", "%", 1),
        (" percent", "%", 8),
        (" pct", "%", 4),
        (" mL/min/g", "flow", 9),
        (" ml / g / min", "flow", 13),
        (" cc/min/gram", "flow", 12),
        (" mL", "mL", 3),
        (" cc", "mL", 3),
        (" millilitres", "mL", 12),
        (" bpm", "bpm", 4),
        (" beats per minute", "bpm", 17),
        (" beats/min", "bpm", 10),
        ("/min", "bpm", 4),
        (" mmHg", "mmHg", 5),
        (" mm Hg", "mmHg", 6),
        (" MBq", "MBq", 4),
        (" mCi", "mCi", 4),
        (" mg", "mg", 3),
        (" mcg/kg/min", "mg", 4),
        (" micrograms", "mg", 11),
        (" METs", "METs", 5),
        (" metabolic equivalents", "METs", 22),
        (" minutes", "min", 8),
        (" sec", "s", 4),
        (" mm", "mm", 3),
        (" percentage points", "points", 18),
        ("-year", "age", 5),
        (" y/o", "age", 4),
        (" of 17 segments", "count", 15),
    ],
)
def test_each_unit_is_read_with_its_span(after: str, name: str, end: int) -> None:
    found = read_unit(after)
    assert found is not None
    unit, stop = found
    assert (unit.name, stop) == (name, end)


def test_a_word_that_starts_with_a_unit_is_not_that_unit() -> None:
    assert read_unit(" mlx") is None
    assert read_unit(" mgs") is None


@pytest.mark.parametrize(
    ("name", "ucum"),
    [
        ("%", "%"),
        ("mL", "mL"),
        ("flow", "mL/min/g"),
        ("bpm", "/min"),
        ("mmHg", "mm[Hg]"),
        ("METs", "{MET}"),
        ("MBq", "MBq"),
        ("mCi", "mCi"),
        ("min", "min"),
    ],
)
def test_units_carry_their_ucum_code(name: str, ucum: str) -> None:
    assert unit_named(name).ucum == ucum


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024-08-27", "2024-08-27"),
        ("2024/8/7", "2024-08-07"),
        ("08/27/2024", "2024-08-27"),
        ("03/04/2023", "2023-03-04"),
        ("21/03/2023", "2023-03-21"),
        ("27.08.2024", "2024-08-27"),
        ("8-27-24", "2024-08-27"),
        ("3/4/99", "1999-03-04"),
        ("Aug 27, 2024", "2024-08-27"),
        ("Sept. 3rd, 2024", "2024-09-03"),
        ("August 27 2024", "2024-08-27"),
        ("27 August 2024", "2024-08-27"),
        ("3rd Sep. 2024", "2024-09-03"),
    ],
)
def test_every_date_format_of_both_readers(text: str, iso: str) -> None:
    matches = list(iter_dates(f"on {text}."))
    assert [(m.group(0), date_iso(m)) for m in matches] == [(text, iso)]


def test_a_date_shape_that_is_no_calendar_date_is_found_but_not_read() -> None:
    (m,) = iter_dates("13/45/2020")
    assert date_iso(m) is None
    assert find_date("13/45/2020 and 02/03/2021") is not None
    assert find_date("13/45/2020 and 02/03/2021").value == "2021-02-03"  # type: ignore[union-attr]


def test_mixed_separators_and_month_lookalikes_are_not_dates() -> None:
    assert list(iter_dates("08/27.2024")) == []
    assert list(iter_dates("Marching 12, 2020")) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("64", 64.0),
        ("-3", -3.0),
        ("−3", -3.0),
        ("1,5", 1.5),
        ("1.25", 1.25),
        ("twenty five", 25.0),
        ("seven and a half", 7.5),
        ("zero", 0.0),
        ("one hundred", 100.0),
    ],
)
def test_prose_numbers(text: str, value: float) -> None:
    assert parse_number_token(text) == value


def test_words_that_are_not_a_number() -> None:
    assert words_to_number("mild") is None


def test_prose_number_scanner_reads_words_and_not_parts_of_words() -> None:
    assert [m.group(0) for m in NUMBER_RE.finditer("EF sixty-two, v2 and 3.5")] == ["sixty-two", "3.5"]


@pytest.mark.parametrize(
    ("text", "written", "value", "decimals"),
    [("CAC 1,250.", "1,250", 1250.0, 0), ("TID 1.10", "1.10", 1.1, 2), ("SDS −2", "−2", -2.0, 0)],
)
def test_written_numbers_keep_their_decimals(text: str, written: str, value: float, decimals: int) -> None:
    (m,) = WRITTEN_NUMBER_RE.finditer(text)
    assert m.group(1) == written
    assert parse_written_number(m.group(1)) == (value, decimals)


def test_written_number_scanner_has_no_decimal_comma() -> None:
    assert [m.group(1) for m in WRITTEN_NUMBER_RE.finditer("MFR 2,1")] == ["2"]


@pytest.mark.parametrize(
    ("text", "low", "high", "value"),
    [("EF 55-60%", 55.0, 60.0, 57.5), ("EF 55 to 60 %", 55.0, 60.0, 57.5), ("EF 55 – 60%", 55.0, 60.0, 57.5)],
)
def test_a_range_is_its_midpoint_with_bounds(text: str, low: float, high: float, value: float) -> None:
    found = find_number(text, ("%",))
    assert found is not None
    assert (found.value, found.low, found.high, text[found.start : found.end]) == (value, low, high, text[3:])


def test_signed_and_decimal_comma_numbers() -> None:
    assert find_number("Duke score -7") is not None
    assert find_number("Duke score -7").value == -7  # type: ignore[union-attr]
    assert find_number("MFR 2,1").value == 2.1  # type: ignore[union-attr]
    assert find_number("CAC 1,250").value == 1250  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("9:00 min", 9), ("6 min 30 sec", 6.5), ("seven minutes and 30 seconds", 7.5), ("9 m 30 s", 9.5)],
)
def test_durations_in_decimal_minutes(text: str, minutes: float) -> None:
    found = find_duration(text)
    assert found is not None and found.value == minutes


def test_blood_pressure_with_its_unit() -> None:
    (m,) = BP_RE.finditer("BP 142/84 mm Hg at peak")
    assert (m.group(1), m.group(2), m.group(0)) == ("142", "84", "142/84 mm Hg")


@pytest.mark.parametrize(
    ("sys_", "dia", "ok"),
    [(120, 80, True), (300, 200, True), (50, 30, True), (39, 20, False), (120, 9, False), (80, 90, False)],
)
def test_blood_pressure_plausibility(sys_: int, dia: int, ok: bool) -> None:
    assert bp_plausible(sys_, dia) is ok


def test_structuring_and_the_claim_reader_read_one_text_alike(structure: Any) -> None:
    text = "FINDINGS: Post-stress LVEF 55 pct. EDV 80 millilitres. Study date: 27 August 2024."
    report = structure(text)
    claims = read_claims(text)
    assert [(n.value, n.unit, n.quantity, n.span) for n in claims.numbers] == [
        (55.0, "%", "lvef", (27, 33)),
        (80.0, "mL", "edv", (39, 53)),
    ]
    assert report["function"]["lvef_percent"]["span"] == [27, 33]
    assert report["function"]["edv_ml"]["span"] == [39, 53]
    assert claims.dates == [("27 August 2024", (67, 81))]
    assert report["study"]["study_date"] == {"value": "2024-08-27", "span": [67, 81], "certainty": "affirmed"}
