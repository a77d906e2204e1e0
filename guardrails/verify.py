"""``verify(text, study)``: read a narrative back and compare its claims with the study's facts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from guardrails.checks import CHECKS, MISSING_CHECK
from guardrails.claims import Claims, read_claims
from guardrails.facts import study_facts
from guardrails.flags import Flag, FlagCode, FlagSeverity
from reporter.domain.finding import Finding
from reporter.domain.limits import MAX_TEXT_CHARS
from reporter.domain.study import Study
from reporter.errors import InputFormatError, InputTooLargeError

__all__ = ["MAX_TEXT_CHARS", "Origin", "Scope", "verify"]

Scope = Literal["impression", "full"]
#: Who wrote the text: a physician's advice or conclusion is shown as unverified (a warning); a model
#: sentence must not add one (an error).
Origin = Literal["physician", "model"]
#: Codes a physician's text may raise as a warning where it reads the study differently from the rules
#: (advice or a conclusion; a risk category read from more than the rules weigh, or not graded at all; an ECG
#: graded nondiagnostic; ischemia below the SDS threshold denied or left out; a prior wall its report did not
#: name) but a model sentence may not: the model states what the rules state.
_MODEL_ERRORS = frozenset(
    {
        FlagCode.UNSUPPORTED_ADVICE,
        FlagCode.ADVICE_AGAINST_FACTS,
        FlagCode.RISK,
        FlagCode.MISSING_HIGH_RISK,
        FlagCode.ECG_RESPONSE,
        FlagCode.NEGATION_FLIP,
        FlagCode.MISSING_ISCHEMIA,
        FlagCode.COMPARISON_CONTRADICTS_PRIOR,
    }
)


def verify(
    text: str,
    study: Study,
    findings: Sequence[Finding] | None = None,
    *,
    scope: Scope = "full",
    checks: Sequence[str] | None = None,
    origin: Origin = "physician",
) -> list[Flag]:
    """Flags for every claim of ``text`` that the study's facts do not support, in text order.

    ``findings`` default to ``reporter.domain.rules.evaluate(study)``.
    ``scope``: ``"impression"`` when the text is an impression (or any summary that must state
    every clinically significant fact): the missing-finding check runs too. ``"full"`` (default)
    for a sentence, a findings section or a whole report: only what the text says is checked.
    ``checks``: names from :data:`guardrails.checks.CHECKS` (default: all that apply to the scope).
    ``origin``: ``"physician"`` (default) or ``"model"``; advice or a conclusion no fact verifies
    (G411), and the readings of :data:`_MODEL_ERRORS` (a risk category the rules give only in part, an
    ECG graded nondiagnostic...), and a claim the study does not record at all (``Flag.unverified``: a right
    ventricle, a quantity it has no value of), are warnings in a physician's text and errors in a model's.
    """
    if not isinstance(text, str):
        raise InputFormatError(f"text must be a string, got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise InputTooLargeError(f"text has {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}")
    if scope not in ("impression", "full"):
        raise InputFormatError(f"scope must be 'impression' or 'full', got {scope!r}")
    if origin not in ("physician", "model"):
        raise InputFormatError(f"origin must be 'physician' or 'model', got {origin!r}")
    names = list(checks) if checks is not None else [n for n in CHECKS if scope == "impression" or n != MISSING_CHECK]
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        raise InputFormatError(f"unknown guardrail checks {unknown}; known: {sorted(CHECKS)}")
    # an empty text states nothing (and spaCy is not loaded for it)
    claims = read_claims(text) if text.strip() else Claims(text=text, sentences=[(0, len(text))], mentions=[])
    facts = study_facts(study, findings)
    # a checkbox template is checked as its checked boxes state it ("Risk: [ ] Low  [x] Intermediate" states
    # intermediate; same offsets, so each flag's span is the text's): extraction.pipeline.checkbox_view
    stated = _as_checked(text)
    flags: list[Flag] = []
    for name in names:
        flags.extend(f.model_copy(update={"check": name}) for f in CHECKS[name](stated, claims, facts))
    flags = _one_flag_per_contradiction(flags, claims)
    if origin == "model":
        # ... and a claim the study does not record (flag.unverified): the model must not add a fact
        flags = [
            f.model_copy(update={"severity": FlagSeverity.ERROR}) if f.code in _MODEL_ERRORS or f.unverified else f
            for f in flags
        ]
    return sorted(_dedupe(flags), key=lambda f: (f.span is None, f.span or (0, 0), f.code.value))


def _as_checked(text: str) -> str:
    """The text as its checked boxes state it (a text without a box is returned as it is)."""
    if "[" not in text:
        return text
    from extraction.pipeline import checkbox_view  # the pipeline module (spaCy) is loaded on first use

    return checkbox_view(text)[0]


#: a check that reads a comparison clause by clause where the others read it sentence by sentence or by its
#: concepts: its flag is dropped where another check already flags a finding, its place or grade, or the comparison
#: in the same sentence ("the prior LAD ischemia is still present": G201 for the LAD, not a second flag)
_CLAUSE_CHECK = "guardrails.attribution.v1"
_FINDING_FAMILIES = ("G2", "G3", "G4", "G6", "G7")


def _one_flag_per_contradiction(flags: list[Flag], claims: Claims) -> list[Flag]:
    """One flag for one contradiction: a clause check's flag only where no other check flags its sentence."""

    def sentence(f: Flag) -> int | None:
        if f.span is None:
            return None
        return next((i for i, (a, b) in enumerate(claims.sentences) if a <= f.span[0] < b), None)

    others = {
        sentence(f)
        for f in flags
        if f.check != _CLAUSE_CHECK and f.severity is FlagSeverity.ERROR and f.code.value.startswith(_FINDING_FAMILIES)
    }
    return [f for f in flags if f.check != _CLAUSE_CHECK or sentence(f) not in others]


def _dedupe(flags: list[Flag]) -> list[Flag]:
    seen: set[tuple[str, tuple[int, int] | None, str]] = set()
    out = []
    for f in flags:
        # flags without a span (a missing finding) are told apart by their message
        key = (f.code.value, f.span, f.message if f.span is None else "")
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
