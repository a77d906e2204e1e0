"""A whole workflow with a patient's name and MRN in the study: no log line and no prompt carries them."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from reporter.service.access import Role

from .conftest import As

NAME, MRN = "Zebediah Quuxworth", "MRN-93817264"


def test_logs_and_prompts_carry_no_identifiers(
    as_: As, lad_study: dict[str, Any], sessions: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from reporter.llm import backends
    from reporter.service.jobs import run_pending

    caplog.set_level(logging.DEBUG)
    backends._cache.clear()
    lad_study["accession"] = "ACC-5550123"
    prior = f"Patient {NAME} ({MRN}). Normal myocardial perfusion. LVEF 60%."
    submitted = as_[Role.TECHNOLOGIST].post("/api/studies", json={"study": lad_study, "prior_report": prior})
    assert submitted.status_code == 201, submitted.text
    study_id = submitted.json()["id"]
    as_[Role.PHYSICIAN].post(f"/api/studies/{study_id}/draft-jobs", json={"llm": "fake"})
    assert run_pending(sessions) == 1
    report = as_[Role.PHYSICIAN].get(f"/api/studies/{study_id}").json()
    assert report["prior_structured"]["lvef_percent"] == 60  # structured on arrival
    assert report["prior_structured"]["perfusion_result"] == "normal"
    report_id = report["report_id"]
    text = as_[Role.PHYSICIAN].get(f"/api/reports/{report_id}").json()["current"]["text"]
    as_[Role.PHYSICIAN].post(
        f"/api/reports/{report_id}/versions", json={"text": text + "\nReviewed.", "base_version": 1}
    )
    signed = as_[Role.PHYSICIAN].post(f"/api/reports/{report_id}/sign", json={"version": 2})
    assert signed.status_code == 200, signed.text
    as_[Role.QA].get(f"/api/reports/{report_id}/export.txt")
    bad = json.loads(json.dumps(lad_study))
    bad["patient"]["age_years"] = -1
    as_[Role.TECHNOLOGIST].post("/api/studies", json={"study": bad})  # an error on a study with identifiers

    access = [r for r in caplog.records if r.name == "ncreport.access"]
    assert len(access) == 8
    lines = [json.loads(r.getMessage()) for r in access]
    assert len({line["request_id"] for line in lines}) == 8
    assert [line["status"] for line in lines] == [201, 202, 200, 200, 201, 200, 200, 422]
    for record in caplog.records:
        logged = caplog.handler.format(record)
        for identifier in (NAME, "Quuxworth", MRN, "ACC-5550123"):
            assert identifier not in logged

    fakes = [b for b in backends._cache.values() if b.name == "fake.v1"]
    assert len(fakes) == 1
    prompts = [str(m.content) for m in fakes[0].chat.seen]  # type: ignore[attr-defined]
    assert prompts, "the fake model was asked nothing"
    for prompt in prompts:
        for identifier in (NAME, "Quuxworth", MRN, "ACC-5550123"):
            assert identifier not in prompt
