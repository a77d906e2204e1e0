"""The page's use-cases on SQLite and PostgreSQL: critical results, model wording, signed texts, monitoring."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from reporter.errors import InputFormatError, PermissionDeniedError, SignRefusedError
from reporter.service import monitoring, review
from reporter.service import reading_room as rr
from reporter.service.access import Actor, Role
from reporter.storage.audit import verify_chain
from reporter.storage.models import AuditEntry, ReportVersion

CALL = review.CriticalResult("Dr. Lee", dt.datetime(2026, 6, 11, 14, 30), "telephone")


def test_the_high_risk_features_are_the_rules_own(
    session: Session, users: dict[Role, Actor], drafted_high_risk: Any
) -> None:
    features = review.high_risk_features(session, users[Role.PHYSICIAN], drafted_high_risk.id)
    assert "post-stress LVEF 31% (< 35%)" in features
    assert "post-stress ESV 116 mL (> 70 mL)" in features


def test_a_high_risk_report_is_not_signed_without_the_communication(
    session: Session, users: dict[Role, Actor], drafted_high_risk: Any
) -> None:
    with pytest.raises(InputFormatError) as refused:
        review.sign(session, users[Role.PHYSICIAN], drafted_high_risk.id, 1)
    assert [p.field for p in refused.value.problems] == ["to_whom", "when", "how"]
    assert rr.get_report(session, users[Role.PHYSICIAN], drafted_high_risk.id).status == "draft"


def test_the_communication_is_recorded_in_the_signing_transaction(
    session: Session, users: dict[Role, Actor], drafted_high_risk: Any
) -> None:
    signed = review.sign(session, users[Role.PHYSICIAN], drafted_high_risk.id, 1, CALL)
    assert signed.status == "signed"
    actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
    assert actions[-2:] == ["critical_result.communicated", "report.sign"]
    assert review.communications(session, users[Role.QA], drafted_high_risk.id)[0] | {"recorded_at": ""} == {
        "to_whom": "Dr. Lee",
        "when": "2026-06-11T14:30",
        "how": "telephone",
        "recorded_by": "physician1",
        "recorded_at": "",
    }
    assert verify_chain(session)[1] is None


def test_a_refused_signature_records_no_communication(
    session: Session, users: dict[Role, Actor], drafted_high_risk: Any
) -> None:
    text = drafted_high_risk.current.text.replace("(rest LVEF 38%)", "(rest LVEF 55%)")
    rr.edit(session, users[Role.PHYSICIAN], drafted_high_risk.id, text, 1)
    with pytest.raises(SignRefusedError):
        review.sign(session, users[Role.PHYSICIAN], drafted_high_risk.id, 2, CALL)
    assert review.communications(session, users[Role.PHYSICIAN], drafted_high_risk.id) == []
    assert verify_chain(session)[1] is None


@pytest.mark.parametrize(
    ("to_whom", "when", "how", "fields"),
    [
        ("", "2026-06-11T14:30", "telephone", ["to_whom"]),
        ("Dr. Lee", "soon", "telephone", ["when"]),
        ("Dr. Lee", "2026-06-11T14:30", "fax", ["how"]),
    ],
)
def test_each_missing_part_of_the_communication_is_named(to_whom: str, when: str, how: str, fields: list[str]) -> None:
    with pytest.raises(InputFormatError) as refused:
        review.CriticalResult.parse(to_whom, when, how)
    assert [p.field for p in refused.value.problems] == fields


def test_model_sentences_are_marked_until_accepted(
    session: Session, users: dict[Role, Actor], drafted_high_risk: Any
) -> None:
    version = session.scalar(select(ReportVersion).where(ReportVersion.report_id == drafted_high_risk.id))
    assert version is not None and version.report_json is not None
    data = json.loads(version.report_json)
    data["sections"][0]["sentences"][0]["origin"] = "fake"  # as a language-model draft stores it
    version.report_json = json.dumps(data)
    session.commit()
    physician = users[Role.PHYSICIAN]
    marked = review.model_sentences(session, physician, drafted_high_risk.id)
    assert [m.origin for m in marked] == ["fake"]
    assert marked[0].text == data["sections"][0]["sentences"][0]["text"]
    with pytest.raises(PermissionDeniedError):
        review.accept_model_text(session, users[Role.QA], drafted_high_risk.id)
    review.accept_model_text(session, physician, drafted_high_risk.id)
    assert review.model_sentences(session, physician, drafted_high_risk.id) == []


def test_signed_texts_for_qa(session: Session, users: dict[Role, Actor], drafted_high_risk: Any) -> None:
    assert review.signed_texts(session, users[Role.QA]) == []
    review.sign(session, users[Role.PHYSICIAN], drafted_high_risk.id, 1, CALL)
    texts = review.signed_texts(session, users[Role.QA])
    assert [name for name, _ in texts] == [f"report {drafted_high_risk.id} (study {drafted_high_risk.study_id})"]
    with pytest.raises(PermissionDeniedError):
        review.signed_texts(session, users[Role.PHYSICIAN])


def test_monitoring_counts_drafts_flags_and_changed_sentences_per_week(
    session: Session, users: dict[Role, Actor], drafted_high_risk: Any
) -> None:
    physician = users[Role.PHYSICIAN]
    text = drafted_high_risk.current.text.replace("(rest LVEF 38%)", "(rest LVEF 55%)")
    version = rr.edit(session, physician, drafted_high_risk.id, text, 1)
    for flag in version.flags:
        rr.decide_flag(session, physician, drafted_high_risk.id, flag.key, "override", "checked")
    review.sign(session, physician, drafted_high_risk.id, 2, CALL)
    weeks = monitoring.weekly(session, users[Role.QA], weeks=2)
    assert len(weeks) == 3
    this = weeks[-1]
    assert (this.drafts, this.model_drafts, this.passed, this.repaired, this.replaced) == (1, 0, 0, 0, 0)
    assert dict(this.flags) == {"G101": 1, "G901": 1}
    assert this.changed_sentences == 1
    assert this.drafted_sentences_signed == 33  # issue 14 added report elements (identification, medications, ...)
    assert [w.drafts for w in weeks[:-1]] == [0, 0]
    with pytest.raises(PermissionDeniedError):
        monitoring.weekly(session, physician)
