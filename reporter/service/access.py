"""Who may do what in the reading room: roles, permissions, and the users' credentials.

One table (:data:`GRANTS`) says which role holds which permission; the use-cases check it and
the API's dependencies check the same table before a route runs. Tokens are 256-bit random
strings stored as their sha256 (a token is as strong as a key; a slow hash adds nothing);
passwords are hashed with argon2 (pwdlib), for the page's login.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reporter.errors import AuthenticationError, ConflictError, FieldProblem, InputFormatError, PermissionDeniedError
from reporter.storage import audit
from reporter.storage.models import User

__all__ = [
    "GRANTS",
    "Actor",
    "Permission",
    "Role",
    "actor_by_id",
    "authenticate_password",
    "authenticate_token",
    "create_user",
    "ensure_user",
    "list_users",
    "require",
    "set_password",
]


class Role(StrEnum):
    TECHNOLOGIST = "technologist"
    PHYSICIAN = "physician"
    QA = "qa"
    ADMIN = "admin"


class Permission(StrEnum):
    SUBMIT_STUDY = "submit study"
    READ_WORKLIST = "read worklist"
    READ_REPORT = "read report"
    SEE_IDENTIFIERS = "see patient identifiers"
    DRAFT = "draft"
    EDIT = "edit"
    SIGN = "sign"
    TAKE_OVER = "take a report over from another physician"
    ASSIGN_REPORTS = "assign a report to a physician"
    CHECK_TEXT = "verify or structure a text"
    RUN_QA = "run QA"
    MANAGE_USERS = "manage users"
    READ_AUDIT = "read audit trail"
    READ_MONITORING = "read the drafting monitoring"
    FILE_VALIDATION = "file a site validation"
    READ_VALIDATIONS = "read the site validations"
    EXPORT_REPORT = "export a report"
    SEND_REPORT = "send a report to the PACS"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.TECHNOLOGIST: frozenset({Permission.SUBMIT_STUDY, Permission.READ_WORKLIST, Permission.SEE_IDENTIFIERS}),
    Role.PHYSICIAN: frozenset(
        {
            Permission.READ_WORKLIST,
            Permission.READ_REPORT,
            Permission.SEE_IDENTIFIERS,
            Permission.DRAFT,
            Permission.EDIT,
            Permission.SIGN,
            Permission.CHECK_TEXT,
            Permission.EXPORT_REPORT,
            Permission.SEND_REPORT,
            Permission.TAKE_OVER,
        }
    ),
    Role.QA: frozenset(
        {
            Permission.READ_WORKLIST,
            Permission.READ_REPORT,
            Permission.CHECK_TEXT,
            Permission.RUN_QA,
            Permission.READ_MONITORING,
            Permission.READ_VALIDATIONS,
            Permission.EXPORT_REPORT,
        }
    ),
    # An admin may (re)send a signed report to the PACS without reading it (the objects go, not the text).
    Role.ADMIN: frozenset(
        {
            Permission.MANAGE_USERS,
            Permission.READ_AUDIT,
            Permission.READ_MONITORING,
            Permission.FILE_VALIDATION,
            Permission.READ_VALIDATIONS,
            Permission.SEND_REPORT,
            Permission.ASSIGN_REPORTS,
        }
    ),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated user a use-case acts for."""

    id: int
    name: str
    role: Role

    def may(self, permission: Permission) -> bool:
        return permission in GRANTS[self.role]


def require(actor: Actor, permission: Permission) -> None:
    """PermissionDeniedError unless the actor's role holds ``permission``."""
    if not actor.may(permission):
        raise PermissionDeniedError(f"the {actor.role} role may not {permission}")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _actor(user: User) -> Actor:
    return Actor(id=user.id, name=user.name, role=Role(user.role))


def _check_name(name: str) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 100 or not all(c.isalnum() or c in "._-@" for c in name):
        raise InputFormatError("invalid user name", [FieldProblem("name", "1-100 letters, digits or . _ - @")])
    return name


def create_user(session: Session, name: str, role: Role | str, by: str = "cli") -> tuple[Actor, str]:
    """A new user and their API token (shown once; only its hash is stored)."""
    try:
        role = Role(role)
    except ValueError:
        raise InputFormatError("unknown role", [FieldProblem("role", f"one of {', '.join(Role)}", str(role))]) from None
    token = secrets.token_urlsafe(32)
    user = User(name=_check_name(name), role=role.value, token_hash=_token_hash(token))
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise ConflictError(f"a user named {name!r} exists", [FieldProblem("name", "already taken")]) from None
    audit.append(session, actor=by, action="user.create", detail=f"{user.name} ({role.value})")
    session.commit()
    return _actor(user), token


def ensure_user(session: Session, name: str, role: Role, token: str) -> Actor:
    """The user ``name`` with exactly this token (the demo's fixed users); created when missing."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        user = User(name=name, role=role.value, token_hash=_token_hash(token))
        session.add(user)
        session.flush()
        audit.append(session, actor="demo", action="user.create", detail=f"{name} ({role.value})")
        session.commit()
    return _actor(user)


def list_users(session: Session, actor: Actor) -> list[User]:
    require(actor, Permission.MANAGE_USERS)
    return list(session.scalars(select(User).order_by(User.id)))


def actor_by_id(session: Session, user_id: int) -> Actor:
    """The active user ``user_id`` (a page session's user); AuthenticationError otherwise."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise AuthenticationError("invalid or expired credentials")
    return _actor(user)


def authenticate_token(session: Session, token: str) -> Actor:
    """The active user holding ``token``; AuthenticationError otherwise (never says which part was wrong)."""
    user = session.scalar(select(User).where(User.token_hash == _token_hash(token), User.active.is_(True)))
    if user is None:
        raise AuthenticationError("invalid or expired credentials")
    return _actor(user)


def set_password(session: Session, name: str, password: str, by: str = "cli") -> None:
    """Set a user's password for the page's login (argon2)."""
    from pwdlib import PasswordHash

    if len(password) < 12:
        raise InputFormatError("password too short", [FieldProblem("password", "at least 12 characters")])
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        from reporter.errors import NotFoundError

        raise NotFoundError(f"no user named {name!r}")
    user.password_hash = PasswordHash.recommended().hash(password)
    audit.append(session, actor=by, action="user.password", detail=name)
    session.commit()


def authenticate_password(session: Session, name: str, password: str) -> Actor:
    from pwdlib import PasswordHash

    hasher = PasswordHash.recommended()
    user = session.scalar(select(User).where(User.name == name, User.active.is_(True)))
    if user is None or user.password_hash is None:
        hasher.hash(password)  # same time whether or not the user exists
        raise AuthenticationError("invalid or expired credentials")
    if not hasher.verify(password, user.password_hash):
        raise AuthenticationError("invalid or expired credentials")
    return _actor(user)
