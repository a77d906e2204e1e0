"""Site validations: file the record ``ncreport validate-site`` wrote (admin), list them (admin, qa)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query, status

from reporter.api.deps import SessionDep, ValidationFiler, ValidationReader
from reporter.api.schemas import ValidationOut
from reporter.service import validation_records as vr

router = APIRouter(prefix="/api/validations", tags=["validations"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ValidationOut)
def file(body: vr.ValidationRecordIn, actor: ValidationFiler, session: SessionDep) -> ValidationOut:
    """File a validation: the ``record`` of validate-site's JSON. Its hashes are checked (422 naming the field);
    it is stored with its audit entry, and its language-model verdicts are what NCREPORT_REQUIRE_QUALIFIED_LLM
    looks up."""
    return ValidationOut.model_validate(asdict(vr.file_validation(session, actor, body)))


@router.get("", response_model=list[ValidationOut])
def list_(
    actor: ValidationReader, session: SessionDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[ValidationOut]:
    """The validations on record, newest first."""
    return [ValidationOut.model_validate(asdict(v)) for v in vr.list_validations(session, actor, limit)]
