"""QA of finished reports: the ASNC checklist and internal consistency."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guardrails.completeness import batch_csv, batch_html, load_elements, qa_report
from reporter.errors import ConfigError


def test_checklist_of_a_small_report(small_report: str) -> None:
    qa = qa_report(small_report, "a.txt")
    status = {r.element.id: r.status for r in qa.elements}
    assert status["indication"] == "present"
    assert status["tracer"] == "present"
    assert status["tracer_dose"] == "present"
    assert status["stress_agent"] == "present"
    assert status["signature"] == "missing"
    assert status["exercise_duration"] == "n/a"  # required only if exercise stress
    found = {r.element.id: small_report[r.span[0] : r.span[1]] for r in qa.elements if r.span}
    assert found["tracer"] == "Tc-99m sestamibi"
    assert found["tracer_dose"] == "10 mCi"


def test_consistency_flags_of_a_small_report(small_report: str) -> None:
    qa = qa_report(small_report, "a.txt")
    shown = [(f.code.value, small_report[f.span[0] : f.span[1]]) for f in qa.flags if f.span]
    assert ("G901", "Normal myocardial perfusion") in shown
    assert ("G902", "ADENOSINE") in shown


def test_a_consistent_report_has_no_flags() -> None:
    text = "FINDINGS: Normal perfusion. LVEF is 60%.\n\nIMPRESSION: Normal myocardial perfusion. LVEF 60%.\n"
    assert qa_report(text).flags == []


def test_element_file_rejects_unknown_keys(tmp_path: Path) -> None:
    bad = {"elements": [{"id": "x", "name": "X", "tier": "required", "source": "s", "patterns": ["x"], "colour": 1}]}
    path = tmp_path / "elements.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(ConfigError):
        load_elements(path)


def test_element_file_rejects_an_unknown_tier(tmp_path: Path) -> None:
    bad = {"elements": [{"id": "x", "name": "X", "tier": "nice", "source": "s", "patterns": ["x"]}]}
    path = tmp_path / "elements.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(ConfigError):
        load_elements(path)


def test_batch_outputs(small_report: str) -> None:
    elements = load_elements()
    results = [qa_report(small_report, "a.txt")]
    rows = batch_csv(results, elements).splitlines()
    assert rows[0].split(",")[:3] == ["report", "patient_id", "study_date"]
    assert rows[1].startswith("a.txt,missing,")
    page = batch_html(results, elements)
    assert "<svg" in page and "<script" not in page and "Department summary" in page


def test_qa_page_escapes_report_text_and_shows_an_unread_report() -> None:
    from guardrails.completeness import ReportQa

    page = batch_html([ReportQa(name="a & <b>", text="", error='can\'t read "x"')], load_elements())
    assert page.startswith("<!doctype html><html><head><meta charset='utf-8'><title>ncreport QA</title><style>\n")
    assert "<h1>Report QA: 1 reports</h1>" in page
    assert (
        "<h3>a &amp; &lt;b&gt;</h3>\n<p class='flag'>not read: can&#x27;t read &quot;x&quot;</p>\n</body></html>"
    ) in page
    assert page.endswith("</body></html>")


def test_qa_page_bar_of_an_element_present_in_every_report(small_report: str) -> None:
    elements = [e for e in load_elements() if e.id == "indication"]
    page = batch_html([qa_report(small_report, "a.txt")], elements)
    assert (
        '<svg xmlns="http://www.w3.org/2000/svg" width="650" height="38" role="img" '
        'aria-label="compliance per element">'
        '<text x="324" y="21" font-size="11" text-anchor="end">Indication / reason for the test</text>'
        '<rect x="330" y="10" width="260" height="14" fill="#eee"/>'
        '<rect x="330" y="10" width="260.0" height="14" fill="#c0392b"/>'
        '<text x="594" y="21" font-size="11">100%</text></svg>\n'
    ) in page
