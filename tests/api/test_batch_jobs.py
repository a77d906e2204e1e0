"""Verify and structure batches as jobs: 202 and a job id, polled or streamed like a draft job; results stored."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from reporter.service.access import Role
from reporter.service.jobs import run_pending

from .conftest import As

T, P, Q = Role.TECHNOLOGIST, Role.PHYSICIAN, Role.QA


def test_a_verify_batch_flags_each_text_against_its_study(
    as_: As, lad_study: dict[str, Any], sessions: sessionmaker[Session]
) -> None:
    study_id = as_[T].post("/api/studies", json={"study": lad_study}).json()["id"]
    wrong = "Post-stress LVEF is 35%."
    queued = as_[P].post(
        "/api/verify-jobs",
        json={
            "items": [
                {"study_id": study_id, "text": "Post-stress LVEF is 55%."},
                {"study_id": study_id, "text": wrong},
            ]
        },
    )
    assert queued.status_code == 202
    job = queued.json()
    assert (job["kind"], job["state"], job["result"]) == ("verify", "queued", None)
    assert run_pending(sessions) == 1
    done = as_[P].get(f"/api/jobs/{job['id']}").json()
    assert done["state"] == "done"
    first, second = done["result"]["results"]
    assert (first["passed"], first["flags"], first["error"]) == (True, [], None)
    assert second["passed"] is False
    start = wrong.index("35")
    assert [(f["code"], f["span"]) for f in second["flags"] if f["severity"] == "error"] == [
        ("G101", [start, start + 3])
    ]
    assert done["result"]["summary"] == {"texts": 2, "passed": 1, "errors": 0}


def test_a_structure_batch_reads_each_report(as_: As, sessions: sessionmaker[Session]) -> None:
    queued = as_[Q].post(
        "/api/structure-jobs",
        json={
            "texts": [
                "IMPRESSION: Normal myocardial perfusion. LVEF 62%.",
                "Gated SPECT: LVEF 41%, moderately reduced.",
            ]
        },
    )
    assert queued.status_code == 202
    assert run_pending(sessions) == 1
    done = as_[Q].get(f"/api/jobs/{queued.json()['id']}").json()
    assert done["state"] == "done"
    assert [r["report"]["function"]["lvef_percent"]["value"] for r in done["result"]["results"]] == [62, 41]
    assert done["result"]["summary"] == {"texts": 2, "errors": 0}


def test_batches_are_bounded_and_name_the_unknown_study(as_: As, lad_study: dict[str, Any]) -> None:
    study_id = as_[T].post("/api/studies", json={"study": lad_study}).json()["id"]
    too_many = as_[P].post("/api/verify-jobs", json={"items": [{"study_id": study_id, "text": "LVEF 55%."}] * 101})
    assert (too_many.status_code, too_many.json()["error"]["fields"][0]["field"]) == (422, "body.items")
    too_many_texts = as_[P].post("/api/structure-jobs", json={"texts": ["LVEF 55%."] * 201})
    assert (too_many_texts.status_code, too_many_texts.json()["error"]["fields"][0]["field"]) == (422, "body.texts")
    unknown = as_[P].post(
        "/api/verify-jobs",
        json={"items": [{"study_id": study_id, "text": "LVEF 55%."}, {"study_id": 999, "text": "LVEF 55%."}]},
    )
    assert unknown.status_code == 404
    assert unknown.json()["error"]["fields"] == [{"field": "items.1.study_id", "message": "unknown id", "value": 999}]


def test_only_the_creator_follows_a_batch_job_and_it_streams_to_done(as_: As, sessions: sessionmaker[Session]) -> None:
    job_id = as_[P].post("/api/structure-jobs", json={"texts": ["LVEF 55%."]}).json()["id"]
    other = as_[Q].get(f"/api/jobs/{job_id}")
    assert (other.status_code, other.json()["error"]["code"]) == (403, "E502")
    assert run_pending(sessions) == 1
    with as_[P].stream("GET", f"/api/jobs/{job_id}/events") as stream:
        events = [json.loads(line.removeprefix("data: ")) for line in stream.iter_lines() if line.startswith("data: ")]
    assert [(e["kind"], e["state"]) for e in events] == [("structure", "done")]
