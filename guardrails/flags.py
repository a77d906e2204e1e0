"""Flags: what a guardrail check reports.

Every flag has a stable code from the one catalogue (:mod:`reporter.domain.flags`), a severity, a
message a physician understands, the ``[start, end)`` span of the text it concerns (None for
something missing from the text) and the evidence: the fact it contradicts, or "no supporting fact".
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reporter.domain.flags import CATALOGUE, CodeSpec, FlagCode, FlagSeverity

__all__ = ["CATALOGUE", "NO_SUPPORT", "CodeSpec", "Flag", "FlagCode", "FlagSeverity", "make_flag"]

NO_SUPPORT = "no supporting fact"


class Flag(BaseModel):
    """One problem found in a text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: FlagCode
    severity: FlagSeverity
    message: str = Field(min_length=1)
    span: tuple[int, int] | None = Field(description="[start, end) into the text; None for a missing finding")
    evidence: str = Field(min_length=1, description="the fact it contradicts, or 'no supporting fact'")
    check: str = Field(default="", description="the registered check that raised it")

    @model_validator(mode="after")
    def _span_ordered(self) -> Flag:
        if self.span is not None and not 0 <= self.span[0] <= self.span[1]:
            raise ValueError(f"span must satisfy 0 <= start <= end, got {self.span}")
        return self

    @property
    def title(self) -> str:
        return CATALOGUE[self.code].title


def make_flag(
    code: FlagCode,
    message: str,
    span: tuple[int, int] | None,
    evidence: str = NO_SUPPORT,
    severity: FlagSeverity | None = None,
) -> Flag:
    """A flag with the catalogue's default severity unless one is given."""
    return Flag(
        code=code,
        severity=severity or CATALOGUE[code].severity,
        message=message,
        span=span,
        evidence=evidence,
    )
