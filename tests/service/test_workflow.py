"""The reading room's life cycle on SQLite and PostgreSQL: submit, draft, edit, flags, sign, addendum."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from reporter.errors import (
    ConflictError,
    InputFormatError,
    PermissionDeniedError,
    SignRefusedError,
    StudyValidationError,
)
from reporter.service import reading_room as rr
from reporter.service.access import Actor, Role
from reporter.storage.audit import verify_chain
from reporter.storage.models import AuditEntry, ReportVersion, Signature


def _wrong_lvef(text: str) -> str:
    """The report with its LVEF changed to a value the study does not support."""
    assert "(LVEF 55%)" in text
    return text.replace("(LVEF 55%)", "(LVEF 35%)", 1)


@pytest.fixture
def drafted(session: Session, users: dict[Role, Actor], lad_study: dict[str, Any]) -> rr.ReportView:
    row = rr.submit_study(session, users[Role.TECHNOLOGIST], lad_study)
    return rr.draft_now(session, users[Role.PHYSICIAN], row.id)


def test_submit_stores_the_study_and_withholds_identifiers_from_qa(
    session: Session, users: dict[Role, Actor], lad_study: dict[str, Any]
) -> None:
    row = rr.submit_study(session, users[Role.TECHNOLOGIST], lad_study)
    assert (row.status, row.modality, row.study_date) == ("new", "SPECT", "2026-05-02")
    assert rr.study_json(row, users[Role.PHYSICIAN])["patient"]["mrn"] == "MRN-93817264"
    assert "mrn" not in rr.study_json(row, users[Role.QA])["patient"]
    assert "name" not in rr.study_json(row, users[Role.QA])["patient"]
    assert [s.id for s in rr.list_studies(session, users[Role.QA])] == [row.id]


def test_an_invalid_study_is_refused_with_its_field(
    session: Session, users: dict[Role, Actor], lad_study: dict[str, Any]
) -> None:
    lad_study["patient"]["age_years"] = 300
    with pytest.raises(StudyValidationError) as info:
        rr.submit_study(session, users[Role.TECHNOLOGIST], lad_study)
    assert [p.field for p in info.value.problems] == ["patient.age_years"]


def test_only_a_technologist_submits(session: Session, users: dict[Role, Actor], lad_study: dict[str, Any]) -> None:
    with pytest.raises(PermissionDeniedError):
        rr.submit_study(session, users[Role.QA], lad_study)


def test_draft_is_version_one_with_no_open_error(drafted: rr.ReportView) -> None:
    assert (drafted.status, len(drafted.versions), drafted.current.number) == ("draft", 1, 1)
    assert drafted.current.origin == "draft:rules"
    # the stored body: no title banner and no signature line (the page shows the draft status around it)
    assert drafted.current.text.startswith(
        "Patient: Zebediah Quuxworth\nMRN: MRN-93817264\nStudy date: 2026-05-02\n\nINDICATION\n"
    )
    assert drafted.current.text.endswith("SHARIR-1999, SLOMKA-2005, TID-ABIDOV-2003.\n")
    assert "DRAFT" not in drafted.current.text and "Interpreting physician" not in drafted.current.text
    assert [f for f in drafted.current.flags if f.open_error] == []


def test_edit_makes_a_new_version_and_flags_a_wrong_number_on_its_span(
    session: Session, users: dict[Role, Actor], drafted: rr.ReportView
) -> None:
    physician = users[Role.PHYSICIAN]
    wrong = _wrong_lvef(drafted.current.text)
    version = rr.edit(session, physician, drafted.id, wrong, base_version=1)
    assert version.number == 2
    errors = [(f.code, f.span) for f in version.flags if f.severity == "error"]
    start = wrong.index("(LVEF 35%)") + len("(LVEF ")
    assert errors == [("G101", (start, start + 3)), ("G901", (start, start + 3))]
    assert wrong[start : start + 3] == "35%"
    view = rr.get_report(session, physician, drafted.id)
    assert [v.number for v in view.versions] == [1, 2]
    assert view.versions[0].text == drafted.current.text  # nothing overwritten


def test_an_edit_from_a_stale_version_is_refused(
    session: Session, users: dict[Role, Actor], drafted: rr.ReportView
) -> None:
    physician = users[Role.PHYSICIAN]
    rr.edit(session, physician, drafted.id, drafted.current.text + "\nA.", base_version=1)
    with pytest.raises(ConflictError) as info:
        rr.edit(session, physician, drafted.id, drafted.current.text + "\nB.", base_version=1)
    assert info.value.code == "E401"


def test_sign_is_refused_while_an_error_flag_is_open_then_allowed_after_override(
    session: Session, users: dict[Role, Actor], drafted: rr.ReportView
) -> None:
    physician = users[Role.PHYSICIAN]
    version = rr.edit(session, physician, drafted.id, _wrong_lvef(drafted.current.text), base_version=1)
    error, second = (f for f in version.flags if f.severity == "error")
    with pytest.raises(SignRefusedError) as info:
        rr.sign(session, physician, drafted.id, version=2)
    assert [p.field for p in info.value.problems] == [f"flags.{error.key}", f"flags.{second.key}"]
    rr.decide_flag(session, physician, drafted.id, error.key, "accept")
    rr.decide_flag(session, physician, drafted.id, second.key, "override", "the impression is meant")
    with pytest.raises(SignRefusedError) as info:  # accepting says it must be fixed: still refused
        rr.sign(session, physician, drafted.id, version=2)
    assert [p.field for p in info.value.problems] == [f"flags.{error.key}"]
    with pytest.raises(InputFormatError):
        rr.decide_flag(session, physician, drafted.id, error.key, "override")  # no reason
    decided = rr.decide_flag(session, physician, drafted.id, error.key, "override", "measured 35% on the echo")
    assert (decided.decision, decided.reason, decided.decided_by) == (
        "override",
        "measured 35% on the echo",
        "physician1",
    )
    signed = rr.sign(session, physician, drafted.id, version=2)
    assert signed.status == "signed"
    sig = signed.current.signature
    assert sig is not None and (sig.signer, sig.role) == ("physician1", "physician")
    assert sig.signed_text == (
        "MYOCARDIAL PERFUSION IMAGING REPORT\n\n" + signed.current.text.rstrip("\n") + "\n\n"
        f"Electronically signed by physician1 (physician) on {sig.signed_at:%Y-%m-%d %H:%M:%S} UTC.\n"
        "Meaning of this signature: I have reviewed the images and data and approve this report as the final result.\n"
    )
    assert sig.text_sha256 == rr.sha256(sig.signed_text)


def test_a_fixed_flag_no_longer_blocks(session: Session, users: dict[Role, Actor], drafted: rr.ReportView) -> None:
    physician = users[Role.PHYSICIAN]
    wrong = rr.edit(session, physician, drafted.id, _wrong_lvef(drafted.current.text), base_version=1)
    assert any(f.open_error for f in wrong.flags)
    fixed = rr.edit(session, physician, drafted.id, drafted.current.text, base_version=2)
    assert not any(f.open_error for f in fixed.flags)
    assert rr.sign(session, physician, drafted.id, version=3).status == "signed"


def test_signed_is_final_and_an_addendum_is_signed_separately(
    session: Session, users: dict[Role, Actor], drafted: rr.ReportView
) -> None:
    physician = users[Role.PHYSICIAN]
    rr.sign(session, physician, drafted.id, version=1)
    with pytest.raises(ConflictError):
        rr.edit(session, physician, drafted.id, "changed", base_version=1)
    with pytest.raises(ConflictError):
        rr.draft_now(session, physician, drafted.study_id)
    addendum = rr.add_addendum(session, physician, drafted.id, "Addendum: coronary CTA recommended.")
    assert addendum.signature is None
    signed = rr.sign_addendum(session, physician, drafted.id, addendum.id)
    report_sig = rr.get_report(session, physician, drafted.id).signature
    assert signed.signature is not None and report_sig is not None
    at, report_at = signed.signature.signed_at, report_sig.signed_at
    assert signed.signature.signed_text == (
        "ADDENDUM 1 TO THE MYOCARDIAL PERFUSION IMAGING REPORT\n"
        f"(report signed by physician1 on {report_at:%Y-%m-%d %H:%M} UTC)\n\n"
        "Addendum: coronary CTA recommended.\n\n"
        f"Electronically signed by physician1 (physician) on {at:%Y-%m-%d %H:%M:%S} UTC.\n"
        "Meaning of this signature: I have reviewed the images and data and approve this report as the final result.\n"
    )
    assert signed.signature.text_sha256 == rr.sha256(signed.signature.signed_text)
    with pytest.raises(ConflictError):
        rr.sign_addendum(session, physician, drafted.id, addendum.id)
    exported = rr.export_text(session, physician, drafted.id)
    assert exported == report_sig.signed_text + "\n\n" + signed.signature.signed_text
    assert exported.count("Electronically signed by physician1 (physician)") == 2
    assert rr.get_study(session, physician, drafted.study_id).status == "addended"


def test_only_a_physician_signs(session: Session, users: dict[Role, Actor], drafted: rr.ReportView) -> None:
    for role in (Role.QA, Role.TECHNOLOGIST, Role.ADMIN):
        with pytest.raises(PermissionDeniedError):
            rr.sign(session, users[role], drafted.id, version=1)
    assert session.scalar(select(func.count()).select_from(Signature)) == 0


def test_every_change_has_its_audit_entry_and_the_chain_verifies(
    session: Session, users: dict[Role, Actor], drafted: rr.ReportView
) -> None:
    physician = users[Role.PHYSICIAN]
    rr.edit(session, physician, drafted.id, drafted.current.text + "\nNote.", base_version=1)
    rr.sign(session, physician, drafted.id, version=2)
    actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))
    assert actions[-4:] == ["study.submit", "report.draft", "report.edit", "report.sign"]
    sign_entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert sign_entry is not None and sign_entry.signature is not None
    version2 = session.scalar(select(ReportVersion).where(ReportVersion.number == 2))
    assert version2 is not None
    signed = rr.get_report(session, physician, drafted.id).signature
    assert signed is not None and sign_entry.input_hash == version2.text_sha256
    assert json.loads(sign_entry.signature)["text_sha256"] == rr.sha256(signed.signed_text) == sign_entry.output_hash
    assert verify_chain(session) == (len(actions), None)


def test_the_signed_text_and_its_export_say_nothing_of_a_draft_and_name_the_signer(
    session: Session, users: dict[Role, Actor], drafted: rr.ReportView
) -> None:
    physician = users[Role.PHYSICIAN]
    signed = rr.sign(session, physician, drafted.id, version=1).signature
    addendum = rr.add_addendum(session, physician, drafted.id, "Addendum: coronary CTA recommended.")
    rr.sign_addendum(session, physician, drafted.id, addendum.id)
    exported = rr.export_text(session, physician, drafted.id)
    assert signed is not None
    for text in (signed.signed_text, exported):
        assert "DRAFT" not in text and "not yet signed" not in text and "______" not in text
    assert signed.signed_text.startswith("MYOCARDIAL PERFUSION IMAGING REPORT\n\nPatient: Zebediah Quuxworth\n")
    assert signed.signed_text.splitlines()[-2].startswith("Electronically signed by physician1 (physician) on ")
    assert exported.startswith(signed.signed_text)


def test_a_sites_templates_lay_out_the_draft_and_the_signed_report(
    session: Session, users: dict[Role, Actor], lad_study: dict[str, Any], site_templates: Path
) -> None:
    row = rr.submit_study(session, users[Role.TECHNOLOGIST], lad_study)
    drafted = rr.draft_now(session, users[Role.PHYSICIAN], row.id, templates_dir=site_templates)
    assert "\nCOMPARISON\nKeine Voruntersuchung vorhanden.\n" in drafted.current.text
    signed = rr.sign(session, users[Role.PHYSICIAN], drafted.id, version=1, templates_dir=site_templates).signature
    assert signed is not None
    assert signed.signed_text.startswith("BEFUND: MYOKARDSZINTIGRAPHIE\n\nPatient: Zebediah Quuxworth\n")
    assert signed.signed_text.endswith("\nElektronisch signiert: physician1 (physician)\n")
    assert signed.text_sha256 == rr.sha256(signed.signed_text)


def test_drafting_and_editing_verify_with_no_transaction_open(
    sessions: sessionmaker[Session],
    users: dict[Role, Actor],
    lad_study: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The slow part of a draft or an edit (reading the text's claims) holds no lock: on SQLite every
    transaction takes the database's write lock, so a verification inside one made every other request
    of every server process wait for it."""
    with sessions() as session:
        study_id = rr.submit_study(session, users[Role.TECHNOLOGIST], lad_study).id
    session = sessions()  # a new request's session: nothing of the study is loaded yet
    verify = rr.flags_for
    open_during: list[bool] = []

    def watched(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        open_during.append(session.in_transaction())
        return verify(*args, **kwargs)

    monkeypatch.setattr(rr, "flags_for", watched)
    view = rr.draft_now(session, users[Role.PHYSICIAN], study_id)
    session.close()
    session = sessions()
    rr.edit(session, users[Role.PHYSICIAN], view.id, view.current.text + "\nEdited.", view.current.number)
    session.close()
    assert open_during == [False, False]
