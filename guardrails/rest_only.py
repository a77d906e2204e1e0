"""The check of a text about a Tl-201 rest-redistribution (viability) study, which has no stress test.

Such a study shows viable (redistributing) myocardium and scar (ASNC-PROTOCOLS-2016, DILSIZIAN-BONOW-1993); it
has no stress test, so no stress ECG response, no Duke treadmill score and no stress-test risk category
(ACC-AHA-SIHD-2012 grades stress results). A text that states one reports a test that was never done. The
stress agent, the stress type and inducible ischemia are checked by the checks of their concepts against the
study's facts (no agent, no stress, no ischemia).
"""

from __future__ import annotations

from guardrails.claims import Claims
from guardrails.facts import Facts
from guardrails.flags import Flag, FlagCode, make_flag
from reporter.domain.vocabulary import Protocol

__all__ = ["check_rest_only"]

#: The numbers a stress test yields, by the quantity the claim reader gives them.
_STRESS_QUANTITIES = {"duke": "a Duke treadmill score", "mphr": "a share of the age-predicted heart rate"}


def check_rest_only(text: str, claims: Claims, facts: Facts) -> list[Flag]:
    """Statements of a stress test's results (risk category, ECG response, Duke score) in a rest-only study, and scar
    placed in walls that redistribute (DILSIZIAN-BONOW-1993)."""
    if facts.protocol != Protocol.REST_REDISTRIBUTION.value:
        return []
    evidence = "protocol: rest-redistribution (Tl-201 viability, no stress performed)"
    out: list[Flag] = []
    for s in claims.statements:
        if not s.present or s.uncertain:
            continue
        if s.concept == "risk":
            out.append(
                make_flag(
                    FlagCode.RISK,
                    f"The text states {s.value} risk; a rest-redistribution viability study has no stress test, "
                    "and the rules grade no stress-test risk category.",
                    s.span,
                    evidence=evidence,
                )
            )
        elif s.concept == "ecg":
            out.append(
                make_flag(
                    FlagCode.STRESS_TYPE,
                    "The text states a stress ECG response; no stress was performed (rest-redistribution).",
                    s.span,
                    evidence=evidence,
                )
            )
    for d in claims.defects:
        # scar placed where every segment fills in on the redistribution images: that myocardium is viable
        scar = d.trigger == "INFARCTION" and d.certainty == "affirmed" and d.walls
        if scar and facts.residual_walls is not None and not set(d.walls) & facts.residual_walls:
            where = ", ".join(sorted(facts.residual_walls)) or "no wall"
            out.append(
                make_flag(
                    FlagCode.FALSE_SCAR,
                    f"The text places scar in the {', '.join(d.walls)}; those segments redistribute (viable). "
                    f"Segments stay abnormal on the redistribution images only in: {where}.",
                    d.span,
                    evidence=evidence,
                )
            )
    for n in claims.numbers:
        if n.quantity in _STRESS_QUANTITIES:
            out.append(
                make_flag(
                    FlagCode.STRESS_TYPE,
                    f"The text states {_STRESS_QUANTITIES[n.quantity]}; no stress was performed (rest-redistribution).",
                    n.span,
                    evidence=evidence,
                )
            )
    return out
