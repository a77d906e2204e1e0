"""The report life cycle through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
from typing import Any

from reporter.service.access import Role

from .conftest import MAX_BODY, As

T, P, Q = Role.TECHNOLOGIST, Role.PHYSICIAN, Role.QA


def _submit(as_: As, study: dict[str, Any]) -> int:
    answer = as_[T].post("/api/studies", json={"study": study})
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def test_submit_draft_edit_override_sign_addendum_export(as_: As, lad_study: dict[str, Any]) -> None:
    study_id = _submit(as_, lad_study)
    assert as_[T].get("/api/studies").json()[0]["status"] == "new"

    drafted = as_[P].post(f"/api/studies/{study_id}/draft")
    assert drafted.status_code == 201
    report = drafted.json()
    report_id, text = report["id"], report["current"]["text"]
    assert (report["status"], report["versions"], report["can_sign"]) == ("draft", [1], True)

    wrong = text.replace("(LVEF 55%)", "(LVEF 35%)", 1)
    edited = as_[P].post(f"/api/reports/{report_id}/versions", json={"text": wrong, "base_version": 1})
    assert edited.status_code == 201
    start = wrong.index("(LVEF 35%)") + len("(LVEF ")
    errors = [f for f in edited.json()["flags"] if f["severity"] == "error"]
    assert [(f["code"], f["span"]) for f in errors] == [("G101", [start, start + 3]), ("G901", [start, start + 3])]
    worklist = as_[P].get("/api/studies").json()
    assert (worklist[0]["status"], worklist[0]["report_id"], worklist[0]["open_error_flags"]) == (
        "edited",
        report_id,
        2,
    )

    refused = as_[P].post(f"/api/reports/{report_id}/sign", json={"version": 2})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "E402"
    assert [f["field"] for f in refused.json()["error"]["fields"]] == [f"flags.{f['key']}" for f in errors]

    no_reason = as_[P].post(f"/api/reports/{report_id}/flags/{errors[0]['key']}", json={"decision": "override"})
    assert (no_reason.status_code, no_reason.json()["error"]["fields"][0]["field"]) == (400, "reason")
    for flag in errors:
        decided = as_[P].post(
            f"/api/reports/{report_id}/flags/{flag['key']}",
            json={"decision": "override", "reason": "LVEF 35% by echocardiography today"},
        )
        assert (decided.status_code, decided.json()["decision"]) == (200, "override")

    stale = as_[P].post(f"/api/reports/{report_id}/sign", json={"version": 1})
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "E401")
    signed = as_[P].post(f"/api/reports/{report_id}/sign", json={"version": 2})
    assert signed.status_code == 200
    signature = signed.json()["current"]["signature"]
    assert (signature["signer"], signed.json()["status"]) == ("physician1", "signed")

    after = as_[P].post(f"/api/reports/{report_id}/versions", json={"text": "changed", "base_version": 2})
    assert (after.status_code, after.json()["error"]["code"]) == (409, "E401")

    addendum = as_[P].post(f"/api/reports/{report_id}/addenda", json={"text": "Addendum: echo LVEF 35% confirmed."})
    assert addendum.status_code == 201 and addendum.json()["signature"] is None
    addendum_id = addendum.json()["id"]
    signed_addendum = as_[P].post(f"/api/reports/{report_id}/addenda/{addendum_id}/sign", json={})
    assert signed_addendum.json()["signature"]["signer"] == "physician1"

    exported = as_[Q].get(f"/api/reports/{report_id}/export.txt")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/plain")
    assert exported.text.startswith("MYOCARDIAL PERFUSION IMAGING REPORT\n\n" + wrong.rstrip())
    assert exported.text.startswith(signature["signed_text"])
    assert hashlib.sha256(signature["signed_text"].encode()).hexdigest() == signature["text_sha256"]
    assert signature["role"] == "physician"
    assert "\n\n\nADDENDUM 1 TO THE MYOCARDIAL PERFUSION IMAGING REPORT\n" in exported.text
    assert (
        "\n\nAddendum: echo LVEF 35% confirmed.\n\nElectronically signed by physician1 (physician) on " in exported.text
    )
    assert "DRAFT" not in exported.text and "not yet signed" not in exported.text

    versions = as_[Q].get(f"/api/reports/{report_id}").json()
    assert versions["versions"] == [1, 2]
    assert as_[Q].get(f"/api/reports/{report_id}/versions/1").json()["text"] == text
    assert as_[T].get(f"/api/studies/{study_id}").json()["status"] == "addended"

    trail = as_[Role.ADMIN].get("/api/audit/verify").json()
    assert (trail["ok"], trail["first_problem"]) == (True, None)
    actions = [e["action"] for e in as_[Role.ADMIN].get("/api/audit", params={"limit": 1000}).json()]
    assert actions[4:] == [
        "study.submit",
        "report.draft",
        "report.edit",
        "flag.override",
        "flag.override",
        "report.sign",
        "addendum.create",
        "addendum.sign",
    ]


def test_qa_sees_no_identifiers_and_the_technologist_does(as_: As, lad_study: dict[str, Any]) -> None:
    study_id = _submit(as_, lad_study)
    assert as_[T].get(f"/api/studies/{study_id}").json()["study"]["patient"]["mrn"] == "MRN-93817264"
    seen_by_qa = as_[Q].get(f"/api/studies/{study_id}").text
    assert "MRN-93817264" not in seen_by_qa and "Zebediah" not in seen_by_qa


def test_a_draft_job_is_accepted_and_polled(as_: As, lad_study: dict[str, Any], sessions: Any) -> None:
    from reporter.service.jobs import run_pending

    study_id = _submit(as_, lad_study)
    queued = as_[P].post(f"/api/studies/{study_id}/draft-jobs", json={"llm": "fake"})
    assert queued.status_code == 202
    job_id = queued.json()["id"]
    assert as_[P].get(f"/api/jobs/{job_id}").json()["state"] == "queued"
    assert run_pending(sessions) == 1
    job = as_[P].get(f"/api/jobs/{job_id}").json()
    assert (job["state"], job["error"]) == ("done", None)
    report = as_[P].get(f"/api/reports/{job['result']['report_id']}").json()
    assert report["current"]["origin"] == "draft:fake.v1"


def test_bad_input_is_a_4xx_naming_the_field_never_a_500(as_: As, lad_study: dict[str, Any]) -> None:
    lad_study["patient"]["age_years"] = 300
    invalid = as_[T].post("/api/studies", json={"study": lad_study})
    assert invalid.status_code == 422
    body = invalid.json()["error"]
    assert (body["code"], [f["field"] for f in body["fields"]]) == ("E101", ["patient.age_years"])
    assert "Traceback" not in invalid.text and "MRN-93817264" not in invalid.text

    not_json = as_[T].post("/api/studies", content=b"{not json", headers={"Content-Type": "application/json"})
    assert (not_json.status_code, not_json.json()["error"]["code"]) == (422, "E100")
    extra = as_[T].post("/api/studies", json={"study": {}, "surprise": 1})
    assert extra.status_code == 422
    assert "body.surprise" in [f["field"] for f in extra.json()["error"]["fields"]]
    too_big = as_[T].post("/api/studies", content=b"x" * (MAX_BODY + 1), headers={"Content-Type": "application/json"})
    assert (too_big.status_code, too_big.json()["error"]["code"]) == (413, "E103")
    missing = as_[P].get("/api/reports/999")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "E201")
    unknown = as_[P].get("/api/nothing-here")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "E201")
    bad_id = as_[P].get("/api/reports/abc")
    assert (bad_id.status_code, bad_id.json()["error"]["fields"][0]["field"]) == (422, "path.report_id")
    assert invalid.headers["x-request-id"] == body["request_id"]


def test_cors_is_off_unless_an_allow_list_is_configured(client: Any) -> None:
    asked = client.options(
        "/api/studies", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in asked.headers


def test_metrics_count_requests_drafts_flags_and_jobs(as_: As, lad_study: dict[str, Any]) -> None:
    study_id = _submit(as_, lad_study)
    as_[P].post(f"/api/studies/{study_id}/draft")
    metrics = as_[P].get("/metrics").text
    assert 'ncreport_http_request_seconds_count{method="POST",route="/api/studies",status="201"} 1.0' in metrics
    assert 'ncreport_draft_seconds_count{backend="rules"} 1.0' in metrics
    assert 'ncreport_jobs{state="queued"} 0.0' in metrics


def test_cors_answers_only_the_configured_origins(sessions: Any) -> None:
    from fastapi.testclient import TestClient

    from reporter.api.main import create_app
    from reporter.settings import Settings

    app = create_app(Settings(cors_origins=("https://reading.example",)), sessions)
    with TestClient(app) as client:
        allowed = client.options(
            "/api/studies", headers={"Origin": "https://reading.example", "Access-Control-Request-Method": "POST"}
        )
        other = client.options(
            "/api/studies", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
        )
    assert allowed.headers["access-control-allow-origin"] == "https://reading.example"
    assert "access-control-allow-origin" not in other.headers


def test_the_in_process_worker_drafts_and_reports_its_metrics(
    sessions: Any, tokens: dict[Role, str], lad_study: dict[str, Any]
) -> None:
    import re
    import time

    from fastapi.testclient import TestClient

    from reporter.api.main import create_app
    from reporter.settings import Settings

    with TestClient(create_app(Settings(), sessions, worker=True)) as client:
        as_ = As(client, tokens)
        study_id = _submit(as_, lad_study)
        job_id = as_[P].post(f"/api/studies/{study_id}/draft-jobs", json={"llm": "fake"}).json()["id"]
        for _ in range(300):
            if as_[P].get(f"/api/jobs/{job_id}").json()["state"] == "done":
                break
            time.sleep(0.1)
        metrics = as_[P].get("/metrics").text
    assert 'ncreport_draft_seconds_count{backend="fake.v1"} 1.0' in metrics
    passed = re.search(r'ncreport_llm_sentences_total\{outcome="passed"\} (\d+)', metrics)
    assert passed is not None and int(passed.group(1)) > 0
    assert 'ncreport_llm_sentences_total{outcome="replaced"} 0.0' in metrics
    assert 'ncreport_jobs{state="done"} 1.0' in metrics


def test_a_qa_batch_of_signed_reports_runs_as_a_job(as_: As, lad_study: dict[str, Any], sessions: Any) -> None:
    from reporter.service.jobs import run_pending

    study_id = _submit(as_, lad_study)
    report = as_[P].post(f"/api/studies/{study_id}/draft").json()
    as_[P].post(f"/api/reports/{report['id']}/sign", json={"version": 1})
    unknown = as_[Q].post("/api/qa-jobs", json={"report_ids": [report["id"], 999]})
    assert (unknown.status_code, unknown.json()["error"]["fields"][0]["value"]) == (404, 999)
    queued = as_[Q].post("/api/qa-jobs", json={})
    assert queued.status_code == 202
    job_id = queued.json()["id"]
    assert as_[P].get(f"/api/jobs/{job_id}").status_code == 403  # a physician polls draft jobs only
    assert run_pending(sessions) == 1
    job = as_[Q].get(f"/api/jobs/{job_id}").json()
    assert job["state"] == "done"
    (row,) = job["result"]["reports"]
    assert (row["report_id"], row["error"]) == (report["id"], None)
    assert job["result"]["summary"]["reports"] == 1
    assert row["required_score"] == job["result"]["summary"]["mean_required_score"]


def test_a_database_that_is_gone_is_a_503_not_a_500(tmp_path: Any) -> None:
    import shutil

    from fastapi.testclient import TestClient
    from sqlalchemy.pool import NullPool

    from reporter.api.main import create_app
    from reporter.settings import Settings
    from reporter.storage import make_engine, make_sessionmaker, upgrade

    folder = tmp_path / "db"
    folder.mkdir()
    engine = make_engine(f"sqlite+pysqlite:///{folder / 'gone.sqlite3'}", poolclass=NullPool)
    upgrade(engine)
    shutil.rmtree(folder)
    with TestClient(create_app(Settings(), make_sessionmaker(engine)), raise_server_exceptions=False) as client:
        answer = client.get("/api/studies", headers={"Authorization": "Bearer some-token"})
    assert (answer.status_code, answer.json()["error"]["code"]) == (503, "E601")
    engine.dispose()


def test_a_job_streams_its_state_until_done(as_: As, lad_study: dict[str, Any], sessions: Any) -> None:
    import json
    import threading
    import time

    from reporter.service.jobs import run_pending

    study_id = _submit(as_, lad_study)
    job_id = as_[P].post(f"/api/studies/{study_id}/draft-jobs", json={"llm": "fake"}).json()["id"]
    assert as_[T].get(f"/api/jobs/{job_id}/events").status_code == 403
    assert as_[P].get("/api/jobs/999/events").status_code == 404

    def worker_later() -> None:
        time.sleep(0.6)
        run_pending(sessions)

    thread = threading.Thread(target=worker_later)
    thread.start()
    states = []
    with as_[P].stream("GET", f"/api/jobs/{job_id}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if line.startswith("data: "):
                states.append(json.loads(line.removeprefix("data: "))["state"])
    thread.join(60)
    assert states[0] == "queued" and states[-1] == "done"
    assert states == sorted(set(states), key=states.index)  # one event per change
