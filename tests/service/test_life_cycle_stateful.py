"""A stateful test (hypothesis) of the report life cycle: whatever the sequence of calls, no signed report
is edited, nobody but a physician signs, only the physician who owns the report (drafted it, or had it
assigned) edits, decides flags or signs it, and no version, signature, assignment or audit entry is lost."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import func, select

from reporter.errors import (
    ConflictError,
    InputError,
    NcreportError,
    NotOwnerError,
    PermissionDeniedError,
    SignRefusedError,
)
from reporter.service import reading_room as rr
from reporter.service.access import Role, create_user
from reporter.storage import make_engine, make_sessionmaker, upgrade
from reporter.storage.audit import verify_chain
from reporter.storage.models import AuditEntry

STUDY = json.loads((Path(__file__).resolve().parents[2] / "examples" / "spect_lad_ischemia.json").read_text())
EDITS = st.sampled_from(
    [
        "",
        "\nReviewed.",
        "\nLVEF 35%.",
        "\nNo ischemia.",
        "\nComparison: prior study 2020.",
        "\nRCA territory defect.",
    ]
)
ROLES = st.sampled_from(list(Role))
# Who calls: a user per role, and a second physician who does not own the report until it is assigned.
WHO = st.sampled_from([*(role.value for role in Role), "physician2"])


class LifeCycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.engine = make_engine(f"sqlite+pysqlite:///{self.folder.name}/t.sqlite3")
        upgrade(self.engine)
        self.session = make_sessionmaker(self.engine)()
        self.users = {role: create_user(self.session, role.value, role)[0] for role in Role}
        self.by_name = {actor.name: actor for actor in self.users.values()}
        self.by_name["physician2"] = create_user(self.session, "physician2", Role.PHYSICIAN)[0]
        row = rr.submit_study(self.session, self.users[Role.TECHNOLOGIST], STUDY)
        view = rr.draft_now(self.session, self.users[Role.PHYSICIAN], row.id)
        self.study_id, self.report_id, self.base = row.id, view.id, view.current.text
        self.owner = "physician"  # the drafting physician
        self.assignments = 0
        self.texts = [view.current.text]  # every version's text, as saved
        self.signed_version: int | None = None
        self.addenda: list[int] = []
        self.signed_addenda: set[int] = set()

    def teardown(self) -> None:
        self.session.close()
        self.engine.dispose()
        self.folder.cleanup()

    def _is_physician(self, who: str) -> bool:
        return self.by_name[who].role is Role.PHYSICIAN

    @rule(who=WHO, edit=EDITS, stale=st.booleans())
    def edit(self, who: str, edit: str, stale: bool) -> None:
        base_version = len(self.texts) - (1 if stale and len(self.texts) > 1 else 0)
        text = self.base + edit
        try:
            version = rr.edit(self.session, self.by_name[who], self.report_id, text, base_version)
        except NotOwnerError as exc:
            assert self._is_physician(who) and who != self.owner
            assert exc.problems[0].value == self.owner
        except PermissionDeniedError:
            assert not self._is_physician(who)
        except ConflictError:
            assert self.signed_version is not None or base_version != len(self.texts)
        else:
            assert who == self.owner and self.signed_version is None and base_version == len(self.texts)
            assert version.number == len(self.texts) + 1
            self.texts.append(text)
        finally:
            self.session.rollback()

    @rule(who=WHO, override=st.booleans())
    def decide_all(self, who: str, override: bool) -> None:
        view = rr.get_report(self.session, self.users[Role.PHYSICIAN], self.report_id)
        for flag in view.current.flags:
            try:
                rr.decide_flag(
                    self.session,
                    self.by_name[who],
                    self.report_id,
                    flag.key,
                    "override" if override else "accept",
                    "checked against the images",
                )
            except NotOwnerError:
                assert self._is_physician(who) and who != self.owner and self.signed_version is None
            except PermissionDeniedError:
                assert not self._is_physician(who)
            except ConflictError:
                assert self.signed_version is not None
            else:
                assert who == self.owner and self.signed_version is None
            finally:
                self.session.rollback()

    @rule(who=WHO)
    def sign(self, who: str) -> None:
        try:
            view = rr.sign(self.session, self.by_name[who], self.report_id, len(self.texts))
        except NotOwnerError:
            assert self._is_physician(who) and who != self.owner and self.signed_version is None
        except PermissionDeniedError:
            assert not self._is_physician(who)
        except ConflictError:
            assert self.signed_version is not None
        except SignRefusedError:
            current = rr.get_report(self.session, self.users[Role.PHYSICIAN], self.report_id).current
            assert any(f.open_error for f in current.flags)
        else:
            assert who == self.owner and self.signed_version is None
            assert view.current.signature is not None
            signature = view.current.signature
            assert signature.text_sha256 == rr.sha256(signature.signed_text)
            body = self.texts[-1].strip("\n")
            assert signature.signed_text.startswith(f"MYOCARDIAL PERFUSION IMAGING REPORT\n\n{body}\n\n")
            self.signed_version = len(self.texts)
        finally:
            self.session.rollback()

    @rule(who=WHO, to=st.sampled_from(["physician", "physician2"]))
    def assign(self, who: str, to: str) -> None:
        """A physician takes the report over; an admin assigns it to a physician; anyone else is refused."""
        try:
            done = rr.assign(
                self.session,
                self.by_name[who],
                self.study_id,
                "covering the list",
                None if self._is_physician(who) else to,
            )
        except PermissionDeniedError:
            assert self.by_name[who].role not in (Role.PHYSICIAN, Role.ADMIN)
        except ConflictError:
            assert self.signed_version is not None
        else:
            new_owner = who if self._is_physician(who) else to
            assert self.by_name[who].role in (Role.PHYSICIAN, Role.ADMIN) and self.signed_version is None
            assert (done.owner, done.previous_owner) == (new_owner, self.owner)
            self.assignments += new_owner != self.owner
            self.owner = new_owner
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
        assert view.owner == self.owner
        count, problem = verify_chain(self.session)
        assert problem is None and count > 0
        assigned = self.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "report.assign")
        )
        assert assigned == self.assignments
        self.session.rollback()


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
def test_the_life_cycle_holds_under_any_sequence_of_calls() -> None:
    LifeCycle.TestCase.settings = settings(
        max_examples=12, stateful_step_count=12, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    LifeCycle.TestCase().runTest()
