"""Site validations on record (POST/GET /api/validations) and the refusal of an unqualified language model."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from reporter.service.access import Role

from .conftest import As


def test_an_admin_files_a_validation_and_qa_lists_it_with_its_audit_entry(
    as_: As, validation_record: Any, fake_qualified: dict[str, Any]
) -> None:
    record = validation_record((fake_qualified,))
    filed = as_[Role.ADMIN].post("/api/validations", json=record)
    assert filed.status_code == 201, filed.text
    body = filed.json()
    assert {k: body[k] for k in ("id", "validated_at", "operator", "pairs", "inputs_sha256", "stored_by")} == {
        "id": 1,
        "validated_at": "2026-12-01T09:00:00Z",
        "operator": "QA lead",
        "pairs": 2,
        "inputs_sha256": record["inputs_sha256"],
        "stored_by": "admin1",
    }
    assert body["models"] == [
        {
            "backend": "fake.v1",
            "model": "scripted",
            "weights_sha256": None,
            "url": None,
            "qualified": True,
            "replaced": 0.0,
            "max_replaced": 0.2,
        }
    ]
    listed = as_[Role.QA].get("/api/validations")
    assert listed.status_code == 200
    assert [(v["id"], v["operator"], v["record_sha256"]) for v in listed.json()] == [
        (1, "QA lead", body["record_sha256"])
    ]
    entry = as_[Role.ADMIN].get("/api/audit").json()[-1]
    assert (entry["actor"], entry["action"], entry["detail"]) == (
        "admin1",
        "validation.file",
        "validation 1 of 2026-12-01T09:00:00+00:00: 2 pairs; fake.v1 scripted: qualified",
    )
    assert (entry["input_hash"], entry["output_hash"], entry["model"]) == (
        record["inputs_sha256"],
        body["record_sha256"],
        "fake.v1:scripted",
    )
    assert as_[Role.ADMIN].get("/api/audit/verify").json()["ok"] is True


def test_the_newest_validation_is_listed_first(as_: As, validation_record: Any) -> None:
    for day in (3, 1, 2):
        assert as_[Role.ADMIN].post("/api/validations", json=validation_record(day=day)).status_code == 201
    listed = as_[Role.ADMIN].get("/api/validations?limit=2").json()
    assert [(v["id"], v["validated_at"]) for v in listed] == [(1, "2026-12-03T09:00:00Z"), (3, "2026-12-02T09:00:00Z")]


def _fields(answer: Any) -> list[tuple[str, str]]:
    return [(f["field"], f["message"]) for f in answer.json()["error"]["fields"]]


def test_a_record_changed_after_the_run_is_refused_naming_the_hash(as_: As, validation_record: Any) -> None:
    record = validation_record()
    record["inputs"][0]["report_sha256"] = "e" * 64
    answer = as_[Role.ADMIN].post("/api/validations", json=record)
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "E100")
    assert _fields(answer) == [
        ("body", "Value error, inputs_sha256 is not the sha256 of the inputs listed: the record was changed")
    ]
    record = validation_record()
    record["thresholds"]["lvef_lower_normal_male"] = 50.0
    answer = as_[Role.ADMIN].post("/api/validations", json=record)
    assert _fields(answer) == [
        ("body", "Value error, thresholds_sha256 is not the sha256 of the thresholds given: the record was changed")
    ]


def test_each_bad_field_of_a_record_is_named(as_: As, validation_record: Any, fake_qualified: dict[str, Any]) -> None:
    record = validation_record((fake_qualified,))
    record["thresholds"]["lvef_lower_normal_male"] = 200
    record["models"][0]["weights_sha256"] = "not-a-hash"
    record["date"] = "2026-12-01T09:00:00"  # no offset
    record["nickname"] = "x"
    answer = as_[Role.ADMIN].post("/api/validations", json=record)
    assert answer.status_code == 422
    assert sorted(f for f, _ in _fields(answer)) == [
        "body.date",
        "body.models.0.weights_sha256",
        "body.nickname",
        "body.thresholds.lvef_lower_normal_male",
    ]


def test_a_record_over_the_body_limit_is_refused_before_it_is_read(as_: As, validation_record: Any) -> None:
    record = validation_record()
    record["inputs"] = record["inputs"] * 2000  # 4000 pairs: over the test app's 256 KiB body limit
    answer = as_[Role.ADMIN].post("/api/validations", json=record)
    assert (answer.status_code, answer.json()["error"]["code"]) == (413, "E103")


def test_qa_may_read_but_not_file_a_validation(as_: As, validation_record: Any) -> None:
    answer = as_[Role.QA].post("/api/validations", json=validation_record())
    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "E502")


# ---- NCREPORT_REQUIRE_QUALIFIED_LLM -----------------------------------------------------------------


def _submit(client: As, study: dict[str, Any]) -> int:
    answer = client[Role.TECHNOLOGIST].post("/api/studies", json={"study": study})
    assert answer.status_code == 201, answer.text
    study_id: int = answer.json()["id"]
    return study_id


def test_an_unqualified_backend_is_refused_naming_it_and_how_to_qualify_it(
    strict: As, lad_study: dict[str, Any]
) -> None:
    study_id = _submit(strict, lad_study)
    refused = strict[Role.PHYSICIAN].post(f"/api/studies/{study_id}/draft-jobs", json={"llm": "fake"})
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "E450"
    assert error["message"] == (
        "this site drafts only with a qualified language model (NCREPORT_REQUIRE_QUALIFIED_LLM) and fake.v1 model "
        "'scripted' has no qualification on record: qualify it with `ncreport validate-site --studies DIR --reports "
        "DIR --llm fake` and file the JSON it writes (`ncreport validations add validation.json`, or POST "
        "/api/validations as an admin); the rule-based draft is still available"
    )
    assert _fields(refused) == [("llm", "fake.v1 'scripted' is not qualified")]
    rules = strict[Role.PHYSICIAN].post(f"/api/studies/{study_id}/draft")
    assert rules.status_code == 201


def test_a_qualified_backend_drafts_until_a_later_validation_fails_it(
    strict: As,
    lad_study: dict[str, Any],
    validation_record: Any,
    fake_qualified: dict[str, Any],
    fake_failed: dict[str, Any],
) -> None:
    study_id = _submit(strict, lad_study)
    assert (
        strict[Role.ADMIN].post("/api/validations", json=validation_record((fake_qualified,), day=1)).status_code == 201
    )
    queued = strict[Role.PHYSICIAN].post(f"/api/studies/{study_id}/draft-jobs", json={"llm": "fake"})
    assert queued.status_code == 202, queued.text
    assert strict[Role.ADMIN].post("/api/validations", json=validation_record((fake_failed,), day=2)).status_code == 201
    refused = strict[Role.PHYSICIAN].post(f"/api/studies/{study_id}/draft-jobs", json={"llm": "fake"})
    assert refused.json()["error"]["code"] == "E450"
    assert (
        "fake.v1 model 'scripted' failed its latest qualification (validation 2 of 2026-12-02)"
        in (refused.json()["error"]["message"])
    )


def test_a_job_queued_before_its_backend_was_revoked_fails_with_the_reason_when_it_runs(
    strict: As,
    lad_study: dict[str, Any],
    validation_record: Any,
    fake_qualified: dict[str, Any],
    fake_failed: dict[str, Any],
    sessions: Any,
) -> None:
    from reporter.service.jobs import run_pending

    study_id = _submit(strict, lad_study)
    strict[Role.ADMIN].post("/api/validations", json=validation_record((fake_qualified,), day=1))
    job = strict[Role.PHYSICIAN].post(f"/api/studies/{study_id}/draft-jobs", json={"llm": "fake"}).json()
    strict[Role.ADMIN].post("/api/validations", json=validation_record((fake_failed,), day=2))
    assert run_pending(sessions) == 1
    ran = strict[Role.PHYSICIAN].get(f"/api/jobs/{job['id']}").json()
    assert ran["state"] == "failed", ran
    assert ran["error"].startswith("E450: this site drafts only with a qualified language model")
    assert "failed its latest qualification (validation 2 of 2026-12-02)" in ran["error"]
    assert strict[Role.PHYSICIAN].get(f"/api/studies/{study_id}").json()["report_id"] is None  # no model draft


def test_without_the_setting_no_qualification_is_needed(as_: As, lad_study: dict[str, Any]) -> None:
    study_id = _submit(as_, lad_study)
    queued = as_[Role.PHYSICIAN].post(f"/api/studies/{study_id}/draft-jobs", json={"llm": "fake"})
    assert queued.status_code == 202, queued.text


def test_the_page_refuses_an_unqualified_backend_with_the_same_code(
    strict: As, strict_app: Any, lad_study: dict[str, Any], sessions: Any
) -> None:
    import re

    from reporter.service.access import set_password

    study_id = _submit(strict, lad_study)
    with sessions() as session:
        set_password(session, "physician1", "correct-horse-battery")
    with TestClient(strict_app, raise_server_exceptions=False) as page:
        logged_in = page.post("/login", data={"name": "physician1", "password": "correct-horse-battery"})
        match = re.search(r'name="csrf" value="([^"]+)"', logged_in.text)
        assert match is not None, logged_in.text
        answer = page.post(f"/studies/{study_id}/draft-job", data={"csrf": match.group(1)})
    assert answer.status_code == 409
    assert "E450" in answer.text and "has no qualification on record" in answer.text
