"""Per-user ownership of a study's report: the physician who drafts (or claims) it owns it; another
physician reads it but is refused (403, E504, naming the owner) until it is assigned to them."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from reporter.service.access import Role, create_user

from .conftest import As

T, P, A = Role.TECHNOLOGIST, Role.PHYSICIAN, Role.ADMIN


@pytest.fixture
def second(sessions: sessionmaker[Session]) -> str:
    """The token of a second physician, physician2."""
    with sessions() as session:
        return create_user(session, "physician2", Role.PHYSICIAN)[1]


def _as(client: TestClient, token: str) -> TestClient:
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def _drafted(as_: As, study: dict[str, Any]) -> tuple[int, int]:
    study_id = as_[T].post("/api/studies", json={"study": study}).json()["id"]
    report = as_[P].post(f"/api/studies/{study_id}/draft").json()
    return int(study_id), int(report["id"])


def test_the_drafting_physician_owns_the_report_and_another_is_refused_naming_the_owner(
    as_: As, client: TestClient, second: str, lad_study: dict[str, Any]
) -> None:
    study_id, report_id = _drafted(as_, lad_study)
    report = as_[P].get(f"/api/reports/{report_id}").json()
    assert report["owner"] == "physician1"

    other = _as(client, second)
    read = other.get(f"/api/reports/{report_id}")
    assert (read.status_code, read.json()["owner"]) == (200, "physician1")
    text = report["current"]["text"] + "\nReviewed."
    attempts = {
        "edit": other.post(f"/api/reports/{report_id}/versions", json={"text": text, "base_version": 1}),
        "sign": other.post(f"/api/reports/{report_id}/sign", json={"version": 1}),
        "redraft": other.post(f"/api/studies/{study_id}/draft"),
        "draft job": other.post(f"/api/studies/{study_id}/draft-jobs", json={"llm": "fake"}),
    }
    for what, answer in attempts.items():
        assert answer.status_code == 403, what
        error = answer.json()["error"]
        assert (error["code"], error["fields"]) == (
            "E504",
            [{"field": "owner", "message": "the physician who owns the report", "value": "physician1"}],
        ), what
        assert "MRN-93817264" not in answer.text and "Zebediah" not in answer.text
    assert as_[P].get(f"/api/reports/{report_id}").json()["versions"] == [1]


def test_a_flag_decision_by_another_physician_is_refused(
    as_: As, client: TestClient, second: str, lad_study: dict[str, Any]
) -> None:
    _, report_id = _drafted(as_, lad_study)
    text = as_[P].get(f"/api/reports/{report_id}").json()["current"]["text"].replace("(LVEF 55%)", "(LVEF 35%)", 1)
    flags = as_[P].post(f"/api/reports/{report_id}/versions", json={"text": text, "base_version": 1}).json()["flags"]
    key = next(f["key"] for f in flags if f["code"] == "G101")
    refused = _as(client, second).post(
        f"/api/reports/{report_id}/flags/{key}", json={"decision": "override", "reason": "echo today"}
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "E504")


def test_taking_a_report_over_needs_a_reason_is_audited_and_moves_the_right_to_sign(
    as_: As, client: TestClient, second: str, lad_study: dict[str, Any]
) -> None:
    study_id, report_id = _drafted(as_, lad_study)
    no_reason = _as(client, second).post(f"/api/studies/{study_id}/assign", json={"reason": "  "})
    assert (no_reason.status_code, no_reason.json()["error"]["fields"][0]["field"]) == (400, "reason")
    not_to_others = _as(client, second).post(
        f"/api/studies/{study_id}/assign", json={"reason": "cover", "to": "physician1"}
    )
    assert (not_to_others.status_code, not_to_others.json()["error"]["code"]) == (403, "E502")

    taken = _as(client, second).post(f"/api/studies/{study_id}/assign", json={"reason": "physician1 off sick"})
    assert taken.status_code == 200
    assert taken.json() == {
        "study_id": study_id,
        "report_id": report_id,
        "owner": "physician2",
        "previous_owner": "physician1",
    }
    signed = _as(client, second).post(f"/api/reports/{report_id}/sign", json={"version": 1})
    assert (signed.status_code, signed.json()["current"]["signature"]["signer"]) == (200, "physician2")
    first = as_[P].post(f"/api/studies/{study_id}/assign", json={"reason": "back"})
    assert (first.status_code, first.json()["error"]["code"]) == (409, "E401")  # signed: final

    entries = as_[A].get("/api/audit", params={"limit": 1000}).json()
    (entry,) = [e for e in entries if e["action"] == "report.assign"]
    assert (entry["actor"], entry["study_id"], entry["report_id"], entry["detail"]) == (
        "physician2",
        study_id,
        report_id,
        "owner physician1 -> physician2; reason: physician1 off sick",
    )
    assert as_[A].get("/api/audit/verify").json()["ok"] is True


def test_an_admin_assigns_to_a_named_physician_only(
    as_: As, client: TestClient, second: str, lad_study: dict[str, Any]
) -> None:
    study_id = as_[T].post("/api/studies", json={"study": lad_study}).json()["id"]
    not_a_physician = as_[A].post(f"/api/studies/{study_id}/assign", json={"reason": "rota", "to": "qa1"})
    assert (not_a_physician.status_code, not_a_physician.json()["error"]["fields"][0]["field"]) == (400, "to")
    assigned = as_[A].post(f"/api/studies/{study_id}/assign", json={"reason": "rota", "to": "physician2"})
    assert assigned.json() == {"study_id": study_id, "report_id": None, "owner": "physician2", "previous_owner": None}
    refused = as_[P].post(f"/api/studies/{study_id}/draft")  # claimed before any draft: physician1 may not draft
    assert (refused.status_code, refused.json()["error"]["fields"][0]["value"]) == (403, "physician2")
    drafted = _as(client, second).post(f"/api/studies/{study_id}/draft")
    assert (drafted.status_code, drafted.json()["owner"]) == (201, "physician2")


def test_the_worklist_filters_mine_and_shows_each_owner(
    as_: As, client: TestClient, second: str, lad_study: dict[str, Any]
) -> None:
    mine_id, _ = _drafted(as_, lad_study)
    theirs_id = as_[T].post("/api/studies", json={"study": lad_study}).json()["id"]
    _as(client, second).post(f"/api/studies/{theirs_id}/draft")
    nobody_id = as_[T].post("/api/studies", json={"study": lad_study}).json()["id"]
    everything = as_[P].get("/api/studies").json()
    assert [(s["id"], s["owner"]) for s in everything] == [
        (nobody_id, None),
        (theirs_id, "physician2"),
        (mine_id, "physician1"),
    ]
    assert [s["id"] for s in as_[P].get("/api/studies", params={"mine": True}).json()] == [mine_id]
    assert [s["id"] for s in _as(client, second).get("/api/studies", params={"mine": True}).json()] == [theirs_id]
    assert as_[T].get(f"/api/studies/{theirs_id}").json()["owner"] == "physician2"
