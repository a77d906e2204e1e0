"""The reading-room page in a real browser: the physician, technologist and QA flows of issue 18."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow  # starts a server and a browser

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HIGH_RISK_STUDY = 5  # examples/spect_multivessel_high_risk.json, the fifth submitted by --demo


def test_physician(page: Any, shots: Any, log_in: Any) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.locator(".demo-hint")).to_contain_text("demo-physician")  # a new user needs no documentation
    shots("01-login")
    log_in("demo-physician")
    rows = page.locator("table.worklist tbody tr")
    expect(rows).to_have_count(8)
    expect(rows.first.locator(".status")).to_have_text("new")
    shots("02-worklist")

    page.get_by_role("link", name=f"Study {HIGH_RISK_STUDY}", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(f"Study {HIGH_RISK_STUDY}"))).to_be_visible()
    expect(page.locator("figure.polar")).to_have_count(3)  # stress, rest, difference
    expect(page.locator("figure.polar figcaption").first).to_have_text("Stress (SSS) 28")
    shots("03-study-new")

    page.get_by_role("button", name="Draft the report").click()
    expect(page.locator("#report-text")).to_contain_text("(rest LVEF 38%)")
    expect(page.locator("#flags")).to_contain_text("No flag")
    expect(page.locator(".badge.draft-badge")).to_have_text("Draft · not signed")  # the status, around the text
    expect(page.locator("#report-text")).not_to_contain_text("DRAFT")
    expect(page.locator("#report-text")).not_to_contain_text("not yet signed")
    shots("04-drafted")

    page.get_by_text("Edit the text").click()
    box = page.get_by_label("Report text")
    box.fill(box.input_value().replace("(rest LVEF 38%)", "(rest LVEF 55%)"))
    page.get_by_role("button", name="Save and re-check").click()
    flagged = page.locator("#report-text mark.flagged.sev-error")
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text("55")
    expect(flagged.locator(".flag-code")).to_contain_text("G101")
    assert "G101" in (flagged.get_attribute("title") or "")
    errors = page.locator(".flag-item.sev-error")
    assert "G101" in errors.locator(".code-label").all_inner_texts()
    expect(page.locator("#sign .alert")).to_contain_text("Signing is refused (E402)")
    expect(page.get_by_role("button", name="Sign version 2")).to_be_disabled()
    shots("05-wrong-lvef-flagged")
    flagged.focus()  # the code and message also without a mouse
    assert "G101: The text gives LVEF 55%" in (flagged.get_attribute("data-tip") or "")
    shots("05b-flag-focused")

    for _ in range(errors.count()):
        item = page.locator(".flag-item.sev-error:not(.decided)").first
        item.get_by_label("Reason").fill("Checked against the rest gated study; the value stands as written.")
        item.get_by_role("button", name="Override").click()
        expect(page.locator(".flag-item.sev-error:not(.decided)")).to_have_count(errors.count() - 1 - _)
    expect(page.locator(".flag-item.sev-error .badge").first).to_contain_text("overridden by demo-physician")
    expect(page.get_by_role("button", name="Sign version 2")).to_be_enabled()
    shots("06-overridden")

    critical = page.locator("fieldset.critical")
    expect(critical).to_contain_text("high-risk features")
    critical.get_by_label("To whom").fill("Dr. Lee, referring cardiologist")
    critical.get_by_label("When").fill("2026-06-11T14:30")
    critical.get_by_label("How").select_option("telephone")
    page.locator("#sign .confirm input").check()
    shots("07-before-signing")
    page.get_by_role("button", name="Sign version 2").click()
    expect(page.locator(".badge.signed").first).to_have_text("Signed · read-only")
    expect(page.get_by_label("Report text")).to_have_count(0)
    expect(page.get_by_role("button", name="Override")).to_have_count(0)
    expect(page.locator(".critical-record")).to_contain_text("Dr. Lee, referring cardiologist")
    expect(page.locator(".critical-record")).to_contain_text("telephone")
    signed = page.locator("#report-text")  # the signed document: plain title, text, electronic signature
    expect(signed).to_contain_text(re.compile(r"^MYOCARDIAL PERFUSION IMAGING REPORT\n\nPatient: "))
    expect(signed).to_contain_text(
        re.compile(
            r"\nElectronically signed by demo-physician \(physician\) on "
            r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\.\nMeaning of this signature: "
        )
    )
    expect(signed).not_to_contain_text("DRAFT")
    shots("08-signed-read-only")

    page.get_by_label("New addendum").fill("Addendum: the referring cardiologist was told of the LVEF again.")
    page.get_by_role("button", name="Save the addendum").click()
    page.locator(".addendum .confirm input").check()
    page.get_by_role("button", name="Sign addendum 1").click()
    expect(page.locator(".addendum .badge.signed")).to_contain_text("Signed by demo-physician")
    expect(page.locator(".addendum .report-text")).to_contain_text(
        re.compile(r"^ADDENDUM 1 TO THE MYOCARDIAL PERFUSION IMAGING REPORT\n")
    )
    shots("09-addendum-signed")

    page.goto("/")
    expect(page.locator("table.worklist tbody tr").last.locator(".status")).to_have_text("addended")
    for path in shots.taken:
        assert path.stat().st_size > 10_000, path


def test_keyboard_worklist_and_flags(page: Any, shots: Any, log_in: Any) -> None:
    log_in("demo-physician")
    for _ in range(40):  # Tab through the header and the filters to the first row
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('row-link')"):
            break
    focused = page.evaluate("document.activeElement.textContent")
    assert re.fullmatch(r"Study \d+", focused), focused
    shots("01-row-focused")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/studies/\d+$"))
    if page.get_by_role("button", name="Draft the report").count():
        page.get_by_role("button", name="Draft the report").focus()
        page.keyboard.press("Enter")
        expect(page.locator("#report-text")).to_be_visible()
    page.get_by_text("Edit the text").focus()
    page.keyboard.press("Enter")
    box = page.get_by_label("Report text")
    box.fill(box.input_value() + "\nThe LVEF is 80%.")
    page.get_by_role("button", name="Save and re-check").focus()
    page.keyboard.press("Enter")
    reason = page.locator(".flag-item.sev-error").first.get_by_label("Reason")
    reason.focus()
    page.keyboard.type("A keyboard override.")
    page.keyboard.press("Enter")  # submits the override form
    expect(page.locator(".flag-item.sev-error .badge").first).to_contain_text("overridden")
    shots("02-flag-overridden-by-keyboard")
    assert all(p.exists() for p in shots.taken)


def test_technologist(page: Any, shots: Any, log_in: Any, server: Any, tmp_path: Any) -> None:
    log_in("demo-technologist")
    expect(page.locator("table.worklist tbody tr")).to_have_count(8)
    shots("01-worklist")
    page.get_by_role("link", name="Submit a study").first.click()
    study = tmp_path / "study.json"
    study.write_text((EXAMPLES / "spect_lad_ischemia.json").read_text())
    page.get_by_label("Study JSON").set_input_files(str(study))
    shots("02-submit")
    page.get_by_role("button", name="Submit").click()
    expect(page.get_by_role("heading", name=re.compile(r"Study \d+"))).to_contain_text("new")
    expect(page.get_by_role("button", name="Draft the report")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Sign"))).to_have_count(0)
    expect(page.get_by_label("Report text")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("your role sees the study only")
    shots("03-study-no-controls")

    answer = httpx.post(
        f"{server.url}/api/studies/1/draft", headers={"Authorization": f"Bearer {server.tokens['demo-technologist']}"}
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "E502"
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    bypass = page.request.post("/studies/1/draft", form={"csrf": csrf}, max_redirects=0)
    assert bypass.status == 403
    assert "E502" in bypass.text()
    assert all(p.exists() for p in shots.taken)


def test_qa(page: Any, shots: Any, log_in: Any, tmp_path: Any) -> None:
    from reporter.inputs import parse_study
    from reporter.service import DraftOptions, draft, render

    names = ("spect_normal_exercise", "pet_rb82_balanced_ischemia")
    files = []
    for name in names:
        study = parse_study((EXAMPLES / f"{name}.json").read_bytes(), what="study")
        path = tmp_path / f"{name}.txt"
        path.write_text(render(draft(study, DraftOptions(llm={"backend": "none"})).report, "text"))
        files.append(str(path))
    log_in("demo-qa")
    expect(page.get_by_role("button", name="Draft the report")).to_have_count(0)
    page.get_by_role("link", name="Batch QA").click()
    shots("01-qa-form")
    page.get_by_label("or upload finished reports (.txt)").set_input_files(files)
    page.get_by_role("button", name="Run QA on these files").click()
    summary = page.locator("#qa-summary")
    expect(summary.get_by_role("heading")).to_have_text("Summary: 2 report(s)")
    expect(summary.locator("table.qa-table tbody tr, table.qa-table tr:has(th[scope=row])")).to_have_count(2)
    expect(summary.locator("svg.bars rect")).to_have_count(2)
    shots("02-qa-summary")
    page.get_by_role("link", name="Monitoring").click()
    expect(page.get_by_role("heading", name=re.compile("Monitoring"))).to_be_visible()
    drift = page.locator("#drift svg.psi")  # the demo's eight studies against the risk model's training data
    expect(drift).to_be_visible()
    expect(drift.locator("g.psi-major, g.psi-moderate, g.psi-stable")).to_have_count(11)
    shots("03-monitoring")
    assert all(p.exists() for p in shots.taken)


def test_admin(page: Any, shots: Any, log_in: Any) -> None:
    log_in("demo-admin")
    expect(page.get_by_role("heading", name="Users and audit")).to_be_visible()
    expect(page.locator(".ok")).to_contain_text("Chain intact")
    expect(page.get_by_role("rowheader", name="demo-physician")).to_be_visible()
    expect(page.get_by_role("link", name="Worklist")).to_have_count(0)
    shots("01-users-and-audit")
    assert all(p.exists() for p in shots.taken)


def test_an_error_after_a_boosted_post_is_shown_with_the_apis_code(page: Any, shots: Any, log_in: Any) -> None:
    log_in("demo-physician")
    page.goto("/studies/3")
    page.get_by_role("button", name="Draft the report").click()
    expect(page.locator("#report-text")).to_be_visible()
    page.get_by_text("Edit the text").click()
    page.evaluate("document.querySelector('input[name=base_version]').value = '7'")  # as if edited elsewhere
    page.get_by_role("button", name="Save and re-check").click()
    expect(page.locator(".error-page .code")).to_have_text("E401")
    expect(page.locator(".error-page")).to_contain_text("not 7: reload it")
    shots("01-stale-edit")
    assert all(p.exists() for p in shots.taken)
