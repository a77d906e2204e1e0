"""How an impression states a high-risk feature or the risk in other words than the cues of ``check_missing``.

A warning that fires on correct impressions teaches the reader to skip it (issue 15): on the released physician
sets the omission warnings G506 (a high-risk feature) and G507 (the risk) fired on a third or more of the correct
impressions, mostly where the impression had said the thing in words the cues did not know. Each reading here is
a general rule of how a reader states a finding (a number bound to the study's own value, an extent word of the
defect's own extents, a fall of the LVEF said as a fall, a prognosis said as a prognosis); the cues stay in
``guardrails.checks._HIGH_RISK_CUES``. Pure functions of (text, claims, facts), like the checks.
"""

from __future__ import annotations

import re

from guardrails.claims import Claims
from guardrails.facts import Facts, HighRiskFact
from reporter.domain.thresholds import DEFAULT_THRESHOLDS
from reporter.domain.vocabulary import HighRiskFeature, walls_of

__all__ = ["feature_said", "lv_function_said", "risk_said", "septal_motion_said"]

H = HighRiskFeature

# the LV's size or volume stated ("the left ventricle is dilated", "EDV 190 mL", "enlarged end-systolic volume")
_LV_SIZE = re.compile(
    r"\bdilat\w*|\benlarg\w*|\bremodel\w*|\b(?:LV)?E[DS]Vi?\b|\bend[- ](?:diastolic|systolic)\s+volume"
    r"|\bLV\s+volumes?\b",
    re.I,
)
# a defect's or the ischemia's amount in extent words beyond "small" (its severity words are not its amount)
_AMOUNT_WORD = re.compile(
    r"\b(?:medium|large|extensive|substantial|sizeable|sizable|considerable|big|moderate(?=[-\s]+sized?\b))\b"
    r"(?:[-\s]+sized?)?(?:[^.;]{0,40}?\b(?:ischa?emi|reversib|hypoperfus|defect|inducible)|[^.;]{0,80}?\bblood\b)",
    re.I,
)
# the ischemia graded by the claim reader ("ischaemia of moderate extent", "moderate in amount", "extensive")
_GRADES_NOT_AMOUNT = frozenset({"minimal", "mild", "small", "trivial", "none"})
# a large defect in the words of size (the cue knows "large", "extensive", "lg")
_LARGE_WORDS = re.compile(r"\b(?:big|sizeable|sizable|substantial)\b", re.I)
# the post-stress fall of the LVEF said in a sentence that names the LV function, a fall and the stress
_LV_FUNCTION = re.compile(r"\b(?:LV)?EF\b|ejection fraction|\bpump\w*|systolic function", re.I)
_FALL = re.compile(
    r"\b(?:drops?|dropped|dropping|declin(?:es|ed|ing)|decreas(?:e|es|ed|ing)|down\s+from|less\s+well|lower|"
    r"improving\s+to|rising\s+to|recover\w*\s+to)\b|↓",
    re.I,
)
_STRESS_PHASE = re.compile(r"\b(?:stress|exercise|peak|post-?stress)\b", re.I)
_TREADMILL_SCORE = re.compile(r"\bDTS\b|\btreadmill\s+score\b", re.I)
# the LV cavity larger after stress than at rest, in words
_TRANSIENT_DILATION = re.compile(
    r"\btransient\w*\s+(?:\w+\s+){0,2}dilat\w*|\bdilates?\s+transiently|"
    r"\b(?:enlarg\w*|dilat\w*|larger)\b[^.;]{0,40}\b(?:after|with|during|on|post)[- ](?:the\s+)?(?:stress|exercise)",
    re.I,
)
_BP_FELL = re.compile(
    r"\b(?:blood\s+pressure|S?BP)\b[^.;]{0,30}\b(?:fell|falls?|falling|dropped|drops?|declin\w*|decreas\w*)\b",
    re.I,
)
_LUNG_RATIO = re.compile(r"\bLHR\b", re.I)
# the risk said as a prognosis (ASNC-SPECT-2018: "risk statement or prognosis"; the packaged reporting element
# accepts both): the outlook, an annual event rate, the likelihood of events
_PROGNOSIS = re.compile(
    r"\bprognos\w*|\boutlook\b|\b(?:event|mortality|death)\s+rates?\b|\bannual\w*\s+(?:\w+\s+){0,2}"
    r"(?:mortality|events?)\b|\blikelihood\s+of\s+(?:\w+\s+){0,2}events?\b"
    r"|\b(?:annual|yearly)\s+risk\b|\brisk\s+of\s+(?:\w+\s+){0,2}(?:death|events?|MI|infarction)\b",
    re.I,
)
# a graded risk with a qualifier between grade and noun ("a low short-term risk", "low scintigraphic risk")
_QUALIFIED_RISK = re.compile(r"\b(low|intermediate|moderate|high)(?:[\s-]+[a-z]+){1,2}?[\s-]+risk\b", re.I)
# the grade after the noun, or shortened ("risk not low", "RISK_PERFUSION=low", "Interm risk")
_RISK_THEN_GRADE = re.compile(r"\brisk\w*\s*(?:[:=]\s*|is\s+)?(?:not\s+)?(low|intermediate|moderate|high)\b", re.I)
_SHORT_INTERMEDIATE = re.compile(r"\binterm(?:ed)?\.?[\s-]+risk\b", re.I)


def _own(claims: Claims, start: int, end: int) -> list[tuple[str | None, str | None, float, str | None]]:
    """(quantity, unit, value, phase) of this study's numbers between ``start`` and ``end``."""
    return [
        (n.quantity, n.unit, n.value, n.phase)
        for n in claims.numbers
        if start <= n.span[0] < end and not claims.in_prior(n.span[0])
    ]


def _values(facts: Facts, quantity: str, phase: str | None = None) -> list[float]:
    return [
        float(q.value)
        for q in facts.quantities.get(quantity, [])
        if isinstance(q.value, int | float) and (phase is None or q.phase == phase)
    ]


def _drop_said(summary: str, numbers: list[tuple[str | None, str | None, float, str | None]], facts: Facts) -> bool:
    """The post-stress fall of the LVEF: both of this study's LVEF values, at rest and after stress, side by side,
    or a sentence that names the LV function, a fall and the stress."""
    rest, peak = _values(facts, "lvef", "rest"), _values(facts, "lvef", "peak")
    given = [v for q, u, v, _ in numbers if q == "lvef" or u == "%"]
    if (
        any(q == "lvef" for q, _, _, _ in numbers)
        and any(abs(v - r) < 0.5 for v in given for r in rest)
        and any(abs(v - p) < 0.5 for v in given for p in peak)
    ):
        return True
    return any(
        _LV_FUNCTION.search(sentence) and _FALL.search(sentence) and _STRESS_PHASE.search(sentence)
        for sentence in re.split(r"(?<=[.;])\s+|\n", summary)
    )


def feature_said(feature: HighRiskFact, summary: str, s0: int, claims: Claims, facts: Facts) -> bool:
    """Whether the impression's summary (``summary`` at ``s0`` of the claims' text) states ``feature`` in other
    words than its cue."""
    kind = feature.feature
    numbers = _own(claims, s0, s0 + len(summary))
    if kind is H.HIGH_ESV:
        # a post-stress ESV above 70 mL (SHARIR-1999) is a dilated or poorly emptying ventricle: said where the
        # impression states the LV's size or volume, or its reduced systolic function (ESV = EDV x (1 - LVEF));
        # neither the ACC-AHA-SIHD-2012 table nor the ASNC impression elements name the volume itself
        # (a post-stress fall of the LVEF, or a post-stress LVEF below the preserved range, is the same emptying
        # seen after stress)
        reduced = facts.lvef_category not in (None, "normal") and (
            any(q == "lvef" for q, _, _, _ in numbers)
            or any(
                st.concept == "lvef_category" and st.value != "normal" and s0 <= st.span[0] < s0 + len(summary)
                for st in claims.statements
            )
        )
        low = any(q == "lvef" and v < DEFAULT_THRESHOLDS.lvef_preserved_min for q, _, v, _ in numbers)
        return reduced or low or _drop_said(summary, numbers, facts) or bool(_LV_SIZE.search(summary))
    if kind is H.ISCHEMIC_BURDEN:
        # its amount as this study's SDS or share of the LV, or a grade of the ischemia beyond mild
        burden = _values(facts, "ischemic_percent")
        if any(q in ("sds", "ischemic_percent") for q, _, _, _ in numbers) or any(
            (u == "lv%" or (u == "%" and q is None)) and any(abs(v - b) <= 1.5 for b in burden)
            for q, u, v, _ in numbers
        ):
            return True
        graded = any(
            st.concept == "ischemia_grade"
            and st.present
            and st.value is not None
            and st.value.split(":")[-1] not in _GRADES_NOT_AMOUNT
            and s0 <= st.span[0] < s0 + len(summary)
            for st in claims.statements
        )
        return graded or bool(_AMOUNT_WORD.search(summary))
    if kind is H.LARGE_DEFECT:
        if _LARGE_WORDS.search(summary):
            return True
        # a defect large by its segment count (ASNC-SPECT-2018) but medium by its share of the LV
        # (ASNC-REPORTING-2009) is sized by either convention: its other extent word, or its share as a number
        territories = [
            d
            for d in facts.defects
            if d.kind == "defect" and d.extent == "large" and d.territory and d.territory in feature.words
        ]
        two_conventions = bool(territories) and all(len(d.extents) > 1 for d in territories)
        if not two_conventions:
            return False
        extents = {e for d in territories for e in d.extents}
        told = any(
            d.extent is not None and d.extent[0] in extents and s0 <= d.span[0] < s0 + len(summary)
            for d in claims.defects
            if d.kind == "perfusion" and d.certainty != "negated"
        )
        return told or any(q in ("sds", "sss", "ischemic_percent") or u == "lv%" for q, u, _, _ in numbers)
    if kind is H.POST_STRESS_LVEF_DROP:
        return _drop_said(summary, numbers, facts)
    if kind is H.DUKE_HIGH_RISK:
        return bool(_TREADMILL_SCORE.search(summary))
    if kind is H.TRANSIENT_ISCHEMIC_DILATION:
        return bool(_TRANSIENT_DILATION.search(summary))
    if kind is H.EXERCISE_HYPOTENSION:
        return bool(_BP_FELL.search(summary))
    if kind is H.LUNG_UPTAKE:
        return bool(_LUNG_RATIO.search(summary))
    return False


def risk_said(text: str, claims: Claims, facts: Facts) -> bool:
    """Whether the impression states the risk without a category the claim reader takes as the study's: a risk
    level denied ("not a low-risk study", "risk not low"), the Duke score's risk where it is the rules' category, a
    category with a qualifier or shortened ("low short-term risk", "interm risk") that is the rules' category, or a
    prognosis."""
    if claims.of("risk") or _RISK_THEN_GRADE.search(text):
        return True
    if facts.risk is not None and any(s.present and s.value == facts.risk for s in claims.of("duke_risk")):
        return True
    graded = {
        "intermediate" if m.group(1).lower() == "moderate" else m.group(1).lower()
        for m in _QUALIFIED_RISK.finditer(text)
    } | ({"intermediate"} if _SHORT_INTERMEDIATE.search(text) else set())
    if facts.risk is not None and str(facts.risk) in graded:
        return True
    return bool(_PROGNOSIS.search(text))


# the LV function named with a grade, in either order ("ejection fraction is normal", "normal global flow reserve and
# LV function", "your heart pumps normally")
_LV_FUNCTION_NAMED = (
    r"(?:\b(?:LV)?EF\b|ejection fraction|\bpump\w*"
    r"|(?:\bLV|left ventricular|ventricular|systolic|global)\s+(?:systolic\s+)?function)"
)
_FUNCTION_GRADE = r"\b(?:normal\w*|preserved|good|fine|reduced|impaired|depressed|less\s+well)\b"
_LV_FUNCTION_GRADED = re.compile(
    rf"{_LV_FUNCTION_NAMED}[^.;]{{0,40}}?{_FUNCTION_GRADE}|{_FUNCTION_GRADE}[^.;]{{0,40}}?{_LV_FUNCTION_NAMED}", re.I
)
_LVEF_LABEL_VALUE = re.compile(r"(?:\b(?:LV)?EF\b|ejection fraction)[^.;\d]{0,15}(\d+(?:\.\d+)?)", re.I)


def lv_function_said(text: str, claims: Claims, facts: Facts) -> bool:
    """Whether an impression states the LV function in words the claim reader does not bind: the function named
    with a grade, this study's LVEF value after its label, or a post-stress fall of the LVEF."""
    if _LV_FUNCTION_GRADED.search(text):
        return True
    own = _values(facts, "lvef", "rest") + _values(facts, "lvef", "peak")
    if any(abs(float(m.group(1)) - v) < 0.5 for m in _LVEF_LABEL_VALUE.finditer(text) for v in own):
        return True
    return _drop_said(text, _own(claims, 0, len(text)), facts)


# the septum's motion said abnormal ("paradoxical septal motion", "septal dyssynchrony", "the septum moves oddly")
_SEPTAL_MOTION = re.compile(
    r"\b(?:paradoxical\w*|dyssynchron\w*|abnormal|dyskine\w*|odd\w*)\b[^.;]{0,30}\bsept\w*|\bsept\w*[^.;]{0,40}"
    r"\b(?:paradoxical\w*|dyssynchron\w*|abnormal\w*|dyskine\w*|odd\w*|mov\w+\s+(?:paradoxical|abnormal|odd)\w*)",
    re.I,
)


def septal_motion_said(text: str, segments: list[int]) -> bool:
    """Akinetic or dyskinetic segments all in the septum (an LBBB's or a paced rhythm's paradoxical motion) that the
    impression states as the septum's abnormal motion in its own words."""
    walls = {w.value for w in walls_of(segments)}
    return bool(walls) and walls <= {"anteroseptal", "inferoseptal", "septal"} and bool(_SEPTAL_MOTION.search(text))
