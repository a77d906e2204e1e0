"""A stateful test (hypothesis) of the report life cycle: whatever the sequence of calls, no signed report
is edited, nobody but a physician signs, and no version, signature or audit entry is lost."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from reporter.errors import ConflictError, InputError, NcreportError, PermissionDeniedError, SignRefusedError
from reporter.service import reading_room as rr
from reporter.service.access import Role, create_user
from reporter.storage import make_engine, make_sessionmaker, upgrade
from reporter.storage.audit import verify_chain

STUDY = json.loads((Path(__file__).resolve().parents[2] / "examples" / "spect_lad_ischemia.json").read_text())
EDITS = st.sampled_from([
    "", "\nReviewed.", "\nLVEF 35%.", "\nNo ischemia.", "\nComparison: prior study 2020.", "\nRCA territory defect.",
])
ROLES = st.sampled_from(list(Role))


class LifeCycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.engine = make_engine(f"sqlite+pysqlite:///{self.folder.name}/t.sqlite3")
        upgrade(self.engine)
        self.session = make_sessionmaker(self.engine)()
        self.users = {role: create_user(self.session, role.value, role)[0] for role in Role}
        row = rr.submit_study(self.session, self.users[Role.TECHNOLOGIST], STUDY)
        view = rr.draft_now(self.session, self.users[Role.PHYSICIAN], row.id)
        self.report_id, self.base = view.id, view.current.text
        self.texts = [view.current.text]  # every version's text, as saved
        self.signed_version: int | None = None
        self.addenda: list[int] = []
        self.signed_addenda: set[int] = set()

    def teardown(self) -> None:
        self.session.close()
        self.engine.dispose()
        self.folder.cleanup()

    @rule(role=ROLES, edit=EDITS, stale=st.booleans())
    def edit(self, role: Role, edit: str, stale: bool) -> None:
        base_version = len(self.texts) - (1 if stale and len(self.texts) > 1 else 0)
        text = self.base + edit
        try:
            version = rr.edit(self.session, self.users[role], self.report_id, text, base_version)
        except PermissionDeniedError:
            assert role is not Role.PHYSICIAN
        except ConflictError:
            assert self.signed_version is not None or base_version != len(self.texts)
        else:
            assert role is Role.PHYSICIAN and self.signed_version is None and base_version == len(self.texts)
            assert version.number == len(self.texts) + 1
            self.texts.append(text)
        finally:
            self.session.rollback()

    @rule(role=ROLES, override=st.booleans())
    def decide_all(self, role: Role, override: bool) -> None:
        view = rr.get_report(self.session, self.users[Role.PHYSICIAN], self.report_id)
        for flag in view.current.flags:
            try:
                rr.decide_flag(self.session, self.users[role], self.report_id, flag.key,
                               "override" if override else "accept", "checked against the images")
            except PermissionDeniedError:
                assert role is not Role.PHYSICIAN
            except ConflictError:
                assert self.signed_version is not None
            finally:
                self.session.rollback()

    @rule(role=ROLES)
    def sign(self, role: Role) -> None:
        try:
            view = rr.sign(self.session, self.users[role], self.report_id, len(self.texts))
        except PermissionDeniedError:
            assert role is not Role.PHYSICIAN
        except ConflictError:
            assert self.signed_version is not None
        except SignRefusedError:
            current = rr.get_report(self.session, self.users[Role.PHYSICIAN], self.report_id).current
            assert any(f.open_error for f in current.flags)
        else:
            assert role is Role.PHYSICIAN and self.signed_version is None
            assert view.current.signature is not None
            signature = view.current.signature
            assert signature.text_sha256 == rr.sha256(signature.signed_text)
            body = self.texts[-1].strip("\n")
            assert signature.signed_text.startswith(f"MYOCARDIAL PERFUSION IMAGING REPORT\n\n{body}\n\n")
            self.signed_version = len(self.texts)
        finally:
            self.session.rollback()

    @rule(role=ROLES)
    def addendum(self, role: Role) -> None:
        try:
            added = rr.add_addendum(self.session, self.users[role], self.report_id, "Addendum.")
        except PermissionDeniedError:
            assert role is not Role.PHYSICIAN
        except ConflictError:
            assert self.signed_version is None
        else:
            assert self.signed_version is not None
            self.addenda.append(added.id)
        finally:
            self.session.rollback()

    @rule(role=ROLES, which=st.integers(0, 3))
    def sign_addendum(self, role: Role, which: int) -> None:
        if not self.addenda:
            return
        addendum_id = self.addenda[which % len(self.addenda)]
        try:
            rr.sign_addendum(self.session, self.users[role], self.report_id, addendum_id)
        except PermissionDeniedError:
            assert role is not Role.PHYSICIAN
        except ConflictError:
            assert addendum_id in self.signed_addenda
        except (InputError, NcreportError) as exc:
            raise AssertionError(exc) from exc
        else:
            assert role is Role.PHYSICIAN and addendum_id not in self.signed_addenda
            self.signed_addenda.add(addendum_id)
        finally:
            self.session.rollback()

    @invariant()
    def nothing_is_lost_or_changed(self) -> None:
        view = rr.get_report(self.session, self.users[Role.QA], self.report_id)
        assert [v.text for v in view.versions] == self.texts
        assert view.status == ("signed" if self.signed_version is not None else "draft")
        signed = [v.number for v in view.versions if v.signature is not None]
        assert signed == ([] if self.signed_version is None else [self.signed_version])
        assert {a.id for a in view.addenda if a.signature is not None} == self.signed_addenda
        assert [a.id for a in view.addenda] == self.addenda
        count, problem = verify_chain(self.session)
        assert problem is None and count > 0
        self.session.rollback()


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_the_life_cycle_holds_under_any_sequence_of_calls() -> None:
    LifeCycle.TestCase.settings = settings(max_examples=12, stateful_step_count=12, deadline=None,
                                           suppress_health_check=list(HealthCheck), database=None)
    LifeCycle.TestCase().runTest()


