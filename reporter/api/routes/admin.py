"""Users and the audit trail (admin), health and metrics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import Response

from reporter.api.deps import AuditReader, SessionDep, UserAdmin
from reporter.api.metrics import CONTENT_TYPE
from reporter.api.schemas import MAX_ID, AuditEntryOut, AuditVerifyOut, HealthOut, NewUserOut, UserIn, UserOut
from reporter.service import audit_trail
from reporter.service.access import create_user, list_users

router = APIRouter(tags=["admin"])


@router.get("/api/users", response_model=list[UserOut])
def users(actor: UserAdmin, session: SessionDep) -> list[UserOut]:
    return [UserOut.model_validate(u, from_attributes=True) for u in list_users(session, actor)]


@router.post("/api/users", status_code=status.HTTP_201_CREATED, response_model=NewUserOut)
def add_user(body: UserIn, actor: UserAdmin, session: SessionDep) -> NewUserOut:
    """A new user; the token is in this response only."""
    user, token = create_user(session, body.name, body.role, by=actor.name)
    return NewUserOut(id=user.id, name=user.name, role=user.role, token=token)


@router.get("/api/audit", response_model=list[AuditEntryOut])
def audit(
    actor: AuditReader,
    session: SessionDep,
    after: Annotated[int, Query(ge=0, le=MAX_ID, description="entries after this sequence number")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditEntryOut]:
    return [
        AuditEntryOut.model_validate(e, from_attributes=True) for e in audit_trail.entries(session, actor, after, limit)
    ]


@router.get("/api/audit/verify", response_model=AuditVerifyOut)
def audit_verify(actor: AuditReader, session: SessionDep) -> AuditVerifyOut:
    result = audit_trail.verify(session, actor)
    return AuditVerifyOut(
        entries=result.entries,
        ok=result.problem is None,
        first_problem=None if result.problem is None else str(result.problem),
        last_hash=result.last_hash,
    )


@router.get("/api/health", response_model=HealthOut, tags=["health"])
def health(request: Request) -> HealthOut:
    return HealthOut(status="ok", database=request.app.state.sessions.kw["bind"].dialect.name)


@router.get("/metrics", response_class=Response, tags=["health"], responses={200: {"content": {CONTENT_TYPE: {}}}})
def metrics(request: Request) -> Response:
    """Prometheus metrics (latency per route, drafts, flags, edits, jobs)."""
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE)
