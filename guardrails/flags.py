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
    # a claim the study cannot decide (its deciding input is absent, or the Study has no field for it): nothing
    # contradicts it, so a warning in a physician's text and an error in a model's (verify(origin=...))
    unverified: bool = Field(default=False, exclude=True, description="the study does not record what decides it")

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
    *,
    unverified: bool = False,
) -> Flag:
    """A flag with the catalogue's default severity unless one is given; ``unverified``: a claim the study does
    not record the deciding fact of (a warning; :func:`guardrails.verify` makes it an error in a model's text)."""
    return Flag(
        code=code,
        severity=FlagSeverity.WARNING if unverified else severity or CATALOGUE[code].severity,
        message=message,
        span=span,
        evidence=evidence,
        unverified=unverified,
    )
