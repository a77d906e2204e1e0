"""The check of a text about a Tl-201 rest-redistribution (viability) study, which has no stress test.

Such a study shows viable (redistributing) myocardium and scar (ASNC-PROTOCOLS-2016, DILSIZIAN-BONOW-1993); it
has no stress test, so no stress ECG response, no Duke treadmill score and no stress-test risk category
(ACC-AHA-SIHD-2012 grades stress results). A text that states one reports a test that was never done. The
stress agent, the stress type and inducible ischemia are checked by the checks of their concepts against the
study's facts (no agent, no stress, no ischemia).
"""

from __future__ import annotations

import re

from guardrails.claims import Claims
from guardrails.facts import Facts
from guardrails.flags import Flag, FlagCode, FlagSeverity, make_flag
from reporter.domain.thresholds import DEFAULT_THRESHOLDS
from reporter.domain.vocabulary import Protocol, RiskCategory

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
            # severe resting LV dysfunction (LVEF < 35 %) is a high-risk finding whatever the stress
            # (ACC-AHA-SIHD-2012): "high risk" says it, a lower grade contradicts it; "high risk" for a better LVEF
            # (a large hibernating or scarred territory) is a reading beyond the rules, shown as a warning
            severe = facts.lvef is not None and facts.lvef < DEFAULT_THRESHOLDS.high_risk_lvef_below
            if severe and s.value == RiskCategory.HIGH.value:
                continue
            if severe:
                message = (
                    f"The text states {s.value} risk; the resting LVEF {facts.lvef:g}% is below "
                    f"{DEFAULT_THRESHOLDS.high_risk_lvef_below:g}%, a high-risk finding (ACC-AHA-SIHD-2012)."
                )
            else:
                message = (
                    f"The text states {s.value} risk; a rest-redistribution viability study has no stress test, "
                    "and the rules grade no stress-test risk category."
                )
            out.append(
                make_flag(
                    FlagCode.RISK,
                    message,
                    s.span,
                    evidence=evidence,
                    severity=FlagSeverity.WARNING if s.value == RiskCategory.HIGH.value else None,
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
    out.extend(_viability_misplaced(claims, facts, evidence))
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


# words that call myocardium viable: redistribution, hibernation, life, a recovery to come ("is likely to recover",
# "expected to recover function"); not where denied ("no redistribution", "non-viable", "unlikely to recover")
_VIABLE = re.compile(
    r"\b(?:viable|viability|hibernat\w*|alive|living|redistribut\w*|recoverable|fills?\s+in|filling\s+in"
    r"|(?:(?:likely|expected|able|predicted|set)\s+to|will(?:\s+\w+)?|should|may|might|could|would)\s+recover)\b",
    re.I,
)
_VIABLE_DENIED = re.compile(
    r"(?:\b(?:no|not|non|without|nor|never|absent|lack\w*|little|minimal)\b[^.;:,]{0,25}|\bnon-?|\bun)$", re.I
)


def _viability_misplaced(claims: Claims, facts: Facts, evidence: str) -> list[Flag]:
    """Viability (redistribution, hibernation, a recovery to come) said of walls none of whose segments redistribute
    (DILSIZIAN-BONOW-1993): the scar, or normal myocardium, called viable. The places are the sentence's own, or,
    where it names none, those of the sentence before it on the same line ("...; with redistribution")."""
    viable = {d for d in facts.defects if d.reversibility == "reversible"}
    viable_walls = {w for d in viable for w in d.walls}
    viable_territories = {d.territory for d in viable if d.territory}
    out: list[Flag] = []
    text = claims.text
    for sent, (s0, s1) in enumerate(claims.sentences):
        hits = [
            h
            for h in _VIABLE.finditer(text, s0, s1)
            if not _VIABLE_DENIED.search(text, max(s0, h.start() - 30), h.start())
        ]
        if not hits:
            continue
        places = [m for m in claims.mentions if m.sent == sent and m.label in ("WALL", "TERRITORY") and m.value]
        if not places and sent > 0 and "\n" not in text[claims.sentences[sent - 1][1] : s0]:
            places = [m for m in claims.mentions if m.sent == sent - 1 and m.label in ("WALL", "TERRITORY") and m.value]
        if not places or any(
            (m.value in viable_walls) if m.label == "WALL" else (m.value in viable_territories) for m in places
        ):
            continue
        named = ", ".join(dict.fromkeys(str(m.value) for m in places))
        where = ", ".join(sorted(viable_walls)) or "no wall"
        out.append(
            make_flag(
                FlagCode.REVERSIBILITY,
                f"The text calls the {named} viable (redistributing or recovering); none of its segments "
                f"redistributes. Viable (redistributing) myocardium lies only in: {where}.",
                (hits[0].start(), hits[0].end()),
                evidence=evidence,
            )
        )
    return out
