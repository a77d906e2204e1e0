"""Output validity on the development reports and the negative controls."""

from __future__ import annotations

from typing import Any

import jsonschema


def test_dev_reports_validate_against_the_schema(
    structure: Any, schema: dict[str, Any], dev_reports: list[tuple[str, str, dict[str, Any]]]
) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    for name, text, _gold in dev_reports:
        errors = [e.message for e in validator.iter_errors(structure(text))]
        assert errors == [], name


def test_every_span_lies_inside_the_text(structure: Any, dev_reports: list[tuple[str, str, Any]]) -> None:
    for name, text, _gold in dev_reports:
        report = structure(text)
        for section in report.values():
            for value in section.values():
                items = value if isinstance(value, list) else [value]
                for item in items:
                    if item is not None:
                        s, e = item["span"]
                        assert 0 <= s <= e <= len(text), name


def test_dev_values_match_gold_for_the_headline_fields(
    structure: Any, dev_reports: list[tuple[str, str, dict[str, Any]]]
) -> None:
    for name, text, gold in dev_reports:
        r = structure(text)
        for section, field in (
            ("function", "lvef_percent"),
            ("perfusion", "result"),
            ("perfusion", "sss"),
            ("impression", "overall"),
        ):
            g = gold[section][field]
            p = r[section][field]
            assert (None if g is None else g["value"]) == (None if p is None else p["value"]), (name, field)


def test_negative_controls_have_no_perfusion_findings(
    structure: Any, negative_controls: list[tuple[str, str]]
) -> None:
    for ident, text in negative_controls:
        r = structure(text)
        assert r["perfusion"]["result"] is None, ident
        assert r["perfusion"]["defects"] == [], ident
