"""The page in process: every page route needs a session, the cookie's attributes, CSRF, the login limit,
role checks as in the API, the sign refusal and the critical-result record."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts

from reporter.api.web import page_app
from reporter.settings import Settings

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

OPEN = {("GET", "/login"), ("POST", "/login")}
# Every page route, written out: a new one must be added here (and so is walked by the test below).
PAGE_ROUTES = [
    ("GET", "/"),
    ("GET", "/admin"),
    ("GET", "/login"),
    ("GET", "/monitoring"),
    ("GET", "/qa"),
    ("GET", "/reports/{report_id}"),
    ("GET", "/reports/{report_id}/export.txt"),
    ("GET", "/studies/{study_id}"),
    ("GET", "/submit"),
    ("POST", "/admin/users"),
    ("POST", "/login"),
    ("POST", "/logout"),
    ("POST", "/qa"),
    ("POST", "/reports/{report_id}/accept-model-text"),
    ("POST", "/reports/{report_id}/addenda"),
    ("POST", "/reports/{report_id}/addenda/{addendum_id}/sign"),
    ("POST", "/reports/{report_id}/edit"),
    ("POST", "/reports/{report_id}/flags/{flag_key}"),
    ("POST", "/reports/{report_id}/send"),
    ("POST", "/reports/{report_id}/sign"),
    ("POST", "/studies/{study_id}/assign"),
    ("POST", "/studies/{study_id}/draft"),
    ("POST", "/studies/{study_id}/draft-job"),
    ("POST", "/submit"),
]


def _page_routes() -> list[tuple[str, str]]:
    app = page_app(Settings(), None, None, None)  # type: ignore[arg-type]  # routes only: no request is made
    return sorted({(m, str(r.path)) for r in iter_route_contexts(app.routes) for m in r.methods or () if m != "HEAD"})


def test_every_page_route_but_login_sends_an_anonymous_user_to_the_login(page_client: Any) -> None:
    routes = _page_routes()
    assert routes == PAGE_ROUTES
    for method, path in routes:
        if (method, path) in OPEN:
            continue
        url = re.sub(r"\{[a-z_]+\}", "1", path)
        answer = page_client.request(method, url, follow_redirects=False)
        assert answer.status_code == 303, (method, path, answer.status_code)
        assert answer.headers["location"] == "/login"


def test_the_session_cookie_is_httponly_and_strict(page_client: Any) -> None:
    answer = page_client.post(
        "/login", data={"name": "physician1", "password": "correct-horse-battery"}, follow_redirects=False
    )
    assert answer.status_code == 303
    session_cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("ncreport_session="))
    assert "HttpOnly" in session_cookie and "SameSite=strict" in session_cookie and "Max-Age=28800" in session_cookie


def test_the_cookies_are_secure_unless_the_site_says_otherwise(sessions: Any) -> None:
    from fastapi.testclient import TestClient

    from reporter.api.main import create_app
    from reporter.service.access import Role, create_user, set_password

    with sessions() as session:
        create_user(session, "physician1", Role.PHYSICIAN)
        set_password(session, "physician1", "correct-horse-battery")
    with TestClient(create_app(Settings(), sessions)) as client:
        answer = client.post(
            "/login", data={"name": "physician1", "password": "correct-horse-battery"}, follow_redirects=False
        )
    assert all("Secure" in c for c in answer.headers.get_list("set-cookie"))


def test_a_post_without_the_sessions_csrf_token_is_refused(page_client: Any, login: Any) -> None:
    csrf = login("physician1")
    for token in (None, "not-the-token"):
        answer = page_client.post("/studies/1/draft", data={} if token is None else {"csrf": token})
        assert answer.status_code == 403
        assert "E502" in answer.text and "CSRF" in answer.text
    assert page_client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303


def test_five_failed_logins_block_the_sixth_even_with_the_right_password(page_client: Any) -> None:
    for _ in range(5):
        assert page_client.post("/login", data={"name": "physician1", "password": "wrong"}).status_code == 401
    blocked = page_client.post("/login", data={"name": "physician1", "password": "correct-horse-battery"})
    assert blocked.status_code == 429
    assert "Too many failed log-ins" in blocked.text
    assert page_client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_a_wrong_password_says_so_without_naming_which_part(page_client: Any) -> None:
    answer = page_client.post("/login", data={"name": "nobody", "password": "x"})
    assert answer.status_code == 401
    assert "The user name or the password is not right." in answer.text


def test_a_forged_cookie_is_a_fresh_login(page_client: Any, login: Any) -> None:
    login("physician1")
    page_client.cookies.clear()
    page_client.cookies.set("ncreport_session", "eyJ1IjoxLCJjIjoieCJ9.forged.signature")
    answer = page_client.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_a_technologist_posting_a_draft_gets_the_apis_403_code(
    page_client: Any, login: Any, high_risk_study: dict[str, Any]
) -> None:
    csrf = login("technologist1")
    files = {"study": ("study.json", json.dumps(high_risk_study), "application/json")}
    submitted = page_client.post("/submit", data={"csrf": csrf}, files=files, follow_redirects=False)
    assert submitted.status_code == 303 and submitted.headers["location"] == "/studies/1"
    study = page_client.get("/studies/1")
    assert "Draft the report" not in study.text and "Sign version" not in study.text
    refused = page_client.post("/studies/1/draft", data={"csrf": csrf})
    assert refused.status_code == 403
    assert "E502" in refused.text and "the technologist role may not draft" in refused.text


def test_sign_is_refused_with_its_reason_while_an_error_flag_is_open(
    page_client: Any, login: Any, high_risk_study: dict[str, Any]
) -> None:
    tech = login("technologist1")
    files = {"study": ("study.json", json.dumps(high_risk_study), "application/json")}
    page_client.post("/submit", data={"csrf": tech}, files=files)
    csrf = login("physician1")
    page_client.post("/studies/1/draft", data={"csrf": csrf})
    page = page_client.get("/studies/1").text
    draft = re.search(r'<textarea id="edit-text" name="text"[^>]*>(.*?)</textarea>', page, re.S)
    assert draft is not None
    wrong = html.unescape(draft.group(1)).replace("(rest LVEF 38%)", "(rest LVEF 55%)")
    edited = page_client.post("/reports/1/edit", data={"csrf": csrf, "text": wrong, "base_version": "1"})
    assert edited.status_code == 200
    assert re.search(r'<mark class="flagged sev-error"[^>]*>55%<sup class="flag-code">G101', edited.text)
    assert "Signing is refused (E402)" in edited.text
    refused = page_client.post(
        "/reports/1/sign",
        data={"csrf": csrf, "version": "2", "to_whom": "Dr. Lee", "when": "2026-06-11T14:30", "how": "telephone"},
    )
    assert refused.status_code == 409
    assert "E402" in refused.text and "G101" in refused.text


def test_a_high_risk_report_is_signed_only_with_how_the_result_was_communicated(
    page_client: Any, login: Any, high_risk_study: dict[str, Any]
) -> None:
    tech = login("technologist1")
    files = {"study": ("study.json", json.dumps(high_risk_study), "application/json")}
    page_client.post("/submit", data={"csrf": tech}, files=files)
    csrf = login("physician1")
    drafted = page_client.post("/studies/1/draft", data={"csrf": csrf})
    # the stored text carries no banner: the page says around it that it is a draft
    assert '<span class="badge draft-badge">Draft · not signed</span>' in drafted.text
    assert "<strong>Draft: requires your review and signature.</strong>" in drafted.text
    assert "DRAFT" not in drafted.text and "not yet signed" not in drafted.text
    missing = page_client.post("/reports/1/sign", data={"csrf": csrf, "version": "1"})
    assert missing.status_code == 400
    assert "E102" in missing.text and "to_whom" in missing.text and "how" in missing.text
    bad = page_client.post(
        "/reports/1/sign",
        data={"csrf": csrf, "version": "1", "to_whom": "Dr. Lee", "when": "yesterday", "how": "pigeon"},
    )
    assert bad.status_code == 400 and "when" in bad.text and "telephone" in bad.text
    signed = page_client.post(
        "/reports/1/sign",
        data={"csrf": csrf, "version": "1", "to_whom": "Dr. Lee", "when": "2026-06-11T14:30", "how": "telephone"},
    )
    assert signed.status_code == 200
    assert "Signed · read-only" in signed.text and "Draft · not signed" not in signed.text
    assert re.search(
        r'<div class="report-text signed-text" id="report-text">MYOCARDIAL PERFUSION IMAGING REPORT\n\n'
        r"Patient: not given in the study input\n.*\n\nElectronically signed by physician1 \(physician\) "
        r"on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\.\nMeaning of this signature: I have reviewed the images "
        r"and data and approve this report as the final result\.\n</div>",
        signed.text,
        re.S,
    )
    assert "Critical result communicated to <strong>Dr. Lee</strong> on 2026-06-11 14:30 by telephone" in signed.text
    assert 'name="text" rows="18"' not in signed.text  # no edit box on a signed report
    export = page_client.get("/reports/1/export.txt")
    assert export.status_code == 200 and export.text.startswith("MYOCARDIAL PERFUSION IMAGING REPORT\n\nPatient: ")
    assert "DRAFT" not in export.text and "not yet signed" not in export.text
    assert "\nElectronically signed by physician1 (physician) on " in export.text


def test_qa_and_admin_pages_follow_the_roles(page_client: Any, login: Any) -> None:
    login("qa1")
    assert page_client.get("/qa").status_code == 200
    monitoring = page_client.get("/monitoring")
    assert monitoring.status_code == 200
    assert "No risk model configured. The drift of the studies' inputs is shown when" in monitoring.text
    assert page_client.get("/admin").status_code == 403
    login("admin1")
    admin = page_client.get("/admin")
    assert admin.status_code == 200 and "Chain intact" in admin.text and "physician1" in admin.text
    assert "Entries 1 to 8 of 8." in admin.text  # four users, each created and given a password
    assert page_client.get("/", follow_redirects=False).headers["location"] == "/admin"
    assert page_client.get("/qa").status_code == 403


def test_static_files_are_served_from_the_package(page_client: Any) -> None:
    htmx = page_client.get("/static/htmx.min.js")
    assert htmx.status_code == 200 and htmx.text.startswith("var htmx=")
    assert page_client.get("/static/page.css").status_code == 200


def test_the_worklist_filters_by_modality_and_status(page_client: Any, login: Any, examples_dir: Any) -> None:
    csrf = login("technologist1")
    for name in ("pet_rb82_balanced_ischemia", "spect_lad_ischemia"):
        files = {"study": (f"{name}.json", (examples_dir / f"{name}.json").read_text(), "application/json")}
        assert page_client.post("/submit", data={"csrf": csrf}, files=files).status_code == 200
    rows = re.compile(r'<a class="row-link" href="/studies/(\d+)">')
    assert rows.findall(page_client.get("/").text) == ["2", "1"]  # newest first
    assert rows.findall(page_client.get("/?modality=PET").text) == ["1"]
    assert rows.findall(page_client.get("/?status=signed").text) == []
    assert "No study matches." in page_client.get("/?status=signed").text


def test_a_language_model_draft_is_queued_and_the_page_polls_until_it_is_done(
    page_client: Any, login: Any, high_risk_study: dict[str, Any]
) -> None:
    tech = login("technologist1")
    files = {"study": ("study.json", json.dumps(high_risk_study), "application/json")}
    page_client.post("/submit", data={"csrf": tech}, files=files)
    csrf = login("physician1")
    page = page_client.post("/studies/1/draft-job", data={"csrf": csrf})
    assert page.status_code == 200
    assert 'hx-trigger="every 3s"' in page.text and "A language-model draft is being written." in page.text
    assert "Draft with the language model" not in page.text  # not twice


def test_model_sentences_are_marked_in_the_text_until_accepted(
    page_client: Any, login: Any, sessions: Any, high_risk_study: dict[str, Any]
) -> None:
    from sqlalchemy import select

    from reporter.storage.models import ReportVersion

    tech = login("technologist1")
    page_client.post(
        "/submit", data={"csrf": tech}, files={"study": ("study.json", json.dumps(high_risk_study), "application/json")}
    )
    csrf = login("physician1")
    page_client.post("/studies/1/draft", data={"csrf": csrf})
    with sessions() as session:  # as a language-model draft stores its sentences
        version = session.scalar(select(ReportVersion))
        data = json.loads(version.report_json)
        sentence = data["sections"][0]["sentences"][0]
        sentence["origin"] = "fake"
        version.report_json = json.dumps(data)
        session.commit()
    page = page_client.get("/studies/1").text
    marked = f'<span class="model" title="phrased by a language model; not yet accepted">{sentence["text"]}</span>'
    assert marked in page
    accepted = page_client.post("/reports/1/accept-model-text", data={"csrf": csrf}).text
    assert 'class="model"' not in accepted


def test_qa_of_the_signed_reports(page_client: Any, login: Any, high_risk_study: dict[str, Any]) -> None:
    tech = login("technologist1")
    page_client.post(
        "/submit", data={"csrf": tech}, files={"study": ("study.json", json.dumps(high_risk_study), "application/json")}
    )
    csrf = login("physician1")
    page_client.post("/studies/1/draft", data={"csrf": csrf})
    page_client.post(
        "/reports/1/sign",
        data={"csrf": csrf, "version": "1", "to_whom": "Dr. Lee", "when": "2026-06-11T14:30", "how": "telephone"},
    )
    qa = login("qa1")
    summary = page_client.post("/qa", data={"csrf": qa, "source": "signed"})
    assert summary.status_code == 200
    assert "Summary: 1 report(s)" in summary.text and "report 1 (study 1)" in summary.text
    assert page_client.post("/qa", data={"csrf": qa, "source": "upload"}).status_code == 400  # no file chosen


def test_an_admin_adds_a_user_who_can_then_log_in(page_client: Any, login: Any) -> None:
    csrf = login("admin1")
    added = page_client.post(
        "/admin/users", data={"csrf": csrf, "name": "alice", "role": "physician", "password": "a-long-enough-password"}
    )
    assert added.status_code == 200
    assert "User <strong>alice</strong> added." in added.text
    short = page_client.post("/admin/users", data={"csrf": csrf, "name": "bob", "role": "qa", "password": "short"})
    assert short.status_code == 422 and "E100" in short.text and "<code>password</code>" in short.text
    taken = page_client.post(
        "/admin/users", data={"csrf": csrf, "name": "alice", "role": "qa", "password": "a-long-enough-password"}
    )
    assert taken.status_code == 409 and "E401" in taken.text
    alice = login("alice", "a-long-enough-password")
    assert page_client.get("/").status_code == 200
    assert (
        page_client.post(
            "/admin/users", data={"csrf": alice, "name": "eve", "role": "admin", "password": "a-long-enough-password"}
        ).status_code
        == 403
    )


def test_the_monitoring_page_charts_the_input_drift_of_a_configured_risk_model(
    sessions: Any, pretest_model_dir: Any, high_risk_study: dict[str, Any]
) -> None:
    from fastapi.testclient import TestClient

    from reporter.api.main import create_app
    from reporter.service import reading_room as rr
    from reporter.service.access import Role, create_user, set_password

    with sessions() as session:
        tech = create_user(session, "technologist1", Role.TECHNOLOGIST)[0]
        create_user(session, "qa1", Role.QA)
        set_password(session, "qa1", "correct-horse-battery")
        rr.submit_study(session, tech, high_risk_study)
    app = create_app(Settings(cookie_secure=False, risk_model_dir=pretest_model_dir), sessions)
    with TestClient(app, raise_server_exceptions=False) as client:
        client.post("/login", data={"name": "qa1", "password": "correct-horse-battery"})
        page = client.get("/monitoring?weeks=2").text
    assert '<svg class="psi"' in page and 'aria-label="PSI per model input and week"' in page
    assert page.count('<g class="psi-none">') == 2 * 11  # two weeks without a study, eleven inputs
    # this week, one 63-year-old man: sex against Cleveland's 68 % men
    assert re.search(r"<title>sex, \d{4}-W\d\d: PSI 2\.6947 \(major\); missing 0 % \(training 0 %\)</title>", page)
    assert "0.1 to 0.25: moderate shift, investigate" in page


EXPORT_LINKS = (
    '<a class="button" href="/api/reports/1/export/text" hx-boost="false" download>Text</a> '
    '<a class="button" href="/api/reports/1/export/pdf" hx-boost="false" download>PDF</a> '
    '<a class="button" href="/api/reports/1/export/dicom-sr" hx-boost="false" download>DICOM SR</a> '
    '<a class="button" href="/api/reports/1/export/dicom-pdf" hx-boost="false" download>DICOM PDF</a> '
    '<a class="button" href="/api/reports/1/export/fhir" hx-boost="false" download>FHIR</a> '
)
HL7_LINK = '<a class="button" href="/api/reports/1/export/hl7" hx-boost="false" download>HL7 v2</a>'
NO_HL7 = "HL7 v2 is not offered: the study gives no patient identifier (MRN) to file the result under."


def _signed_high_risk(client: Any, login: Any, high_risk_study: dict[str, Any]) -> str:
    tech = login("technologist1")
    client.post(
        "/submit", data={"csrf": tech}, files={"study": ("study.json", json.dumps(high_risk_study), "application/json")}
    )
    csrf = login("physician1")
    client.post("/studies/1/draft", data={"csrf": csrf})
    signed = client.post(
        "/reports/1/sign",
        data={"csrf": csrf, "version": "1", "to_whom": "Dr. Lee", "when": "2026-06-11T14:30", "how": "telephone"},
    )
    assert signed.status_code == 200
    return csrf


def test_a_signed_report_offers_each_export_and_no_send_without_a_pacs(
    page_client: Any, login: Any, high_risk_study: dict[str, Any]
) -> None:
    _signed_high_risk(page_client, login, {**high_risk_study, "patient": {**high_risk_study["patient"], "mrn": "M-1"}})
    page = page_client.get("/studies/1").text
    assert EXPORT_LINKS + HL7_LINK in page and NO_HL7 not in page
    assert "Send to PACS" not in page
    fhir = page_client.get("/api/reports/1/export/fhir")  # the link works with the page's session cookie
    assert (fhir.status_code, fhir.headers["content-type"]) == (200, "application/fhir+json")
    login("qa1")
    assert EXPORT_LINKS in page_client.get("/studies/1").text


def test_send_to_a_pacs_that_is_down_is_an_error_page_naming_it_and_is_listed(
    page_client_with_pacs: Any, high_risk_study: dict[str, Any], down_pacs_port: int
) -> None:
    client = page_client_with_pacs

    def login(name: str) -> str:
        answer = client.post("/login", data={"name": name, "password": "correct-horse-battery"})
        match = re.search(r'name="csrf" value="([^"]+)"', answer.text)
        assert match is not None
        return match.group(1)

    csrf = _signed_high_risk(client, login, high_risk_study)
    page = client.get("/studies/1").text
    assert '<button type="submit">Send to PACS</button>' in page
    failed = client.post("/reports/1/send", data={"csrf": csrf})
    assert failed.status_code == 502
    assert "E701" in failed.text and f"PACS DOWNPACS@127.0.0.1:{down_pacs_port}: no answer" in failed.text
    listed = client.get("/studies/1").text
    assert (
        f"Not sent to DOWNPACS@127.0.0.1:{down_pacs_port}: PACS DOWNPACS@127.0.0.1:{down_pacs_port}: no answer"
        in listed
    )


def test_another_physician_sees_the_owner_and_takes_the_report_over_with_a_reason(
    page_client: Any, login: Any, sessions: Any, high_risk_study: dict[str, Any]
) -> None:
    from reporter.service.access import Role, create_user, set_password

    with sessions() as session:
        create_user(session, "physician2", Role.PHYSICIAN)
        set_password(session, "physician2", "correct-horse-battery")
    tech = login("technologist1")
    page_client.post(
        "/submit", data={"csrf": tech}, files={"study": ("study.json", json.dumps(high_risk_study), "application/json")}
    )
    csrf = login("physician1")
    page_client.post("/studies/1/draft", data={"csrf": csrf})
    assert "Owner: <strong>physician1</strong> (you)" in page_client.get("/studies/1").text
    csrf = login("physician2")
    page = page_client.get("/studies/1").text
    assert "Owner: <strong>physician1</strong></p>" in page and "Take over this report" in page
    refused = page_client.post("/reports/1/edit", data={"csrf": csrf, "text": "Edited.", "base_version": "1"})
    assert refused.status_code == 403 and "E504" in refused.text
    no_reason = page_client.post("/studies/1/assign", data={"csrf": csrf, "reason": ""})
    assert no_reason.status_code == 400
    taken = page_client.post(
        "/studies/1/assign", data={"csrf": csrf, "reason": "covering the list"}, follow_redirects=True
    )
    assert taken.status_code == 200 and "Owner: <strong>physician2</strong> (you)" in taken.text
    assert "Take over this report" not in taken.text


def test_a_study_without_an_mrn_offers_no_hl7_export_and_says_why(
    page_client: Any, login: Any, high_risk_study: dict[str, Any]
) -> None:
    _signed_high_risk(page_client, login, high_risk_study)  # the example gives no MRN
    page = page_client.get("/studies/1").text
    assert EXPORT_LINKS in page and HL7_LINK not in page and NO_HL7 in page
