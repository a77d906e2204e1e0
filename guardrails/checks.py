"""Guardrail checks: pure functions ``check(text, claims, facts) -> list[Flag]``, registered by name.

A check never blocks, repairs or highlights; it only reports. ``CHECKS`` holds the checks that
compare a text with a study's facts; ``MISSING_CHECK`` runs only for impression-like texts
(``scope="impression"``); ``INTERNAL_CHECK`` compares the sections of one text with each other and
needs no facts (it is also the consistency part of QA).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence

from guardrails import denial
from guardrails.attribution import check_attribution
from guardrails.claims import (
    AV_BLOCK_DEGREE,
    IMPRESSION,
    INFREQUENT_ECTOPY_WORDS,
    MAX_SEVERITY_LABEL,
    MONTH_WORD,
    NEGATED_CHANGE_BEFORE,
    Claims,
    DefectClaim,
    Mention,
    NumberClaim,
    Statement,
    av_block_degree,
    cues,
    grade_of,
    segment_named,
)
from guardrails.facts import (
    BALANCED_FLOW_MARKER,
    DEFECT_SHARE,
    DEVICE_KINDS,
    PROTOCOL_EXCLUDES,
    RISK_ORDER,
    DefectFact,
    Facts,
    QuantityFact,
    score_grade,
)
from guardrails.flags import NO_SUPPORT, Flag, FlagCode, FlagSeverity, make_flag
from guardrails.rest_only import check_rest_only
from guardrails.said_otherwise import feature_said, lv_function_said, risk_said, septal_motion_said
from guardrails.unrecorded import unrecorded_label
from reporter.domain.rules import Defect
from reporter.domain.thresholds import DEFAULT_THRESHOLDS, MAX_SUMMED_SCORE
from reporter.domain.vocabulary import (
    SEGMENTS,
    BaselineEcg,
    Certainty,
    HighRiskFeature,
    Level,
    LvefGrade,
    PerfusionResult,
    Reversibility,
    RiskCategory,
    Severity,
    Territory,
)

__all__ = ["CHECKS", "INTERNAL_CHECK", "MISSING_CHECK", "Check", "check_internal", "check_missing"]

Check = Callable[[str, Claims, Facts], list[Flag]]
F = FlagCode

_QUANTITY_CODE = {
    "lvef": F.LVEF, "lvef_drop": F.LVEF, "edv": F.LV_VOLUME, "esv": F.LV_VOLUME, "tid": F.TID_RATIO,
    "sss": F.SUMMED_SCORE, "srs": F.SUMMED_SCORE, "sds": F.SUMMED_SCORE,
    "stress_tpd": F.PERFUSION_PERCENT, "rest_tpd": F.PERFUSION_PERCENT, "ischemic_tpd": F.PERFUSION_PERCENT,
    "ischemic_percent": F.PERFUSION_PERCENT, "scar_percent": F.PERFUSION_PERCENT,
    "stress_mbf": F.FLOW, "rest_mbf": F.FLOW, "mfr": F.FLOW, "cac": F.CALCIUM, "hr": F.HEMODYNAMICS,
    "bp": F.HEMODYNAMICS, "mets": F.EXERCISE, "duration": F.EXERCISE, "duke": F.EXERCISE, "mphr": F.EXERCISE,
    "st_deviation": F.EXERCISE, "lung_heart_ratio": F.UNSUPPORTED_NUMBER, "dose_mbq": F.DOSE,
    "dose_mci": F.DOSE,
    "normal_limit": F.UNSUPPORTED_NUMBER, "risk_band": F.UNSUPPORTED_NUMBER, "segment_score": F.SEGMENT,
}  # fmt: skip
_QUANTITY_NAME = {
    "lvef": "LVEF", "lvef_drop": "post-stress LVEF drop", "edv": "end-diastolic volume", "esv": "end-systolic volume",
    "tid": "TID ratio", "sss": "summed stress score", "srs": "summed rest score", "sds": "summed difference score",
    "stress_tpd": "stress TPD", "rest_tpd": "rest TPD", "ischemic_tpd": "ischemic TPD",
    "ischemic_percent": "ischemic myocardium", "scar_percent": "scar extent", "stress_mbf": "stress MBF",
    "rest_mbf": "rest MBF", "mfr": "myocardial flow reserve", "cac": "calcium score", "hr": "heart rate",
    "bp": "blood pressure", "mets": "METs", "duration": "exercise duration", "duke": "Duke treadmill score",
    "mphr": "% of age-predicted maximal heart rate", "st_deviation": "ST deviation",
    "lung_heart_ratio": "lung/heart ratio", "normal_limit": "limit of normal",
    "risk_band": "annual event rate", "dose_mbq": "injected activity (MBq)", "dose_mci": "injected activity (mCi)",
    "segment_score": "segment score",
}  # fmt: skip
_UNIT_CODE = {
    "%": F.UNSUPPORTED_NUMBER, "lv%": F.PERFUSION_PERCENT, "mphr%": F.EXERCISE, "flow": F.FLOW, "mL": F.LV_VOLUME,
    "bpm": F.HEMODYNAMICS, "mmHg": F.HEMODYNAMICS, "MBq": F.DOSE, "mCi": F.DOSE, "mg": F.DOSE, "METs": F.EXERCISE,
    "min": F.EXERCISE, "points": F.LVEF,
}  # fmt: skip
_UNIT_POOLS = {"%": ("%", "lv%", "mphr%"), "lv%": ("lv%", DEFECT_SHARE)}


def _fmt(v: float | str) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _matches(n: NumberClaim, v: float) -> bool:
    return abs(n.value - v) <= 0.5 * 10 ** (-n.decimals) + 1e-9


# A number the text gives as an approximation ("of the order of 30%", "about 30", "~30")
_APPROXIMATELY = re.compile(
    r"(?:~|\u2248|\b(?:about|approximately|approx\.?|around|roughly|circa|ca\.|some|nearly|almost|"
    r"(?:of|in|on) the order of))\s*$",
    re.I,
)


# the approximation said after the number and its unit ("45 percent about", "45% or so", "45 % approx.")
_APPROXIMATELY_AFTER = re.compile(
    r"\s*(?:%|percent|per\s*cent|mL|ml)?\s*(?:about|approximately|approx\.?|roughly|or\s+so|or\s+thereabouts)\b",
    re.I,
)


def _stated_approximately(text: str, n: NumberClaim) -> bool:
    """The number is given as an approximation (then ``_within_rounding`` of a value stands for it)."""
    return bool(
        _APPROXIMATELY.search(text[max(0, n.span[0] - 20) : n.span[0]])
        or _APPROXIMATELY_AFTER.match(text, n.span[1], n.span[1] + 24)
    )


def _within_rounding(n: NumberClaim, v: float) -> bool:
    """An approximate number stands for a value within 5 % of it ("of the order of 30%" for 30.9 %): a rounding a
    reader makes, not another value (11 for 10, 2 for 2.9 stay wrong)."""
    return abs(n.value - v) <= 0.05 * abs(v) + 1e-9


# --- numbers ----------------------------------------------------------------------------------


# words just before a number that make it the prior's value ("SDS then 4", "14 vs 4 in 11/2024", "prior 47%"), the
# prior's date between them too ("Prior 11/2025 MFR 2.4", "previous (March 2024) EF 52%", "prior 2024-03-12: SDS 6")
_PRIOR_DATE = (
    r"(?:\s*[(,:]?\s*(?:of\s+|on\s+|in\s+|from\s+)?(?:(?:\d{1,2}/){1,2}(?:19|20)?\d\d|(?:\d{1,2}[.-]){2}(?:19|20)\d\d)"
    r"(?![\d.])"
    r"|\s*[(,:]?\s*(?:of\s+|on\s+|in\s+|from\s+)?(?:\d{1,2}\s+)?(?:" + MONTH_WORD + r"\s+)?(?:19|20)\d\d"
    r"(?:-\d\d-\d\d)?\b)\s*[),:]?"
)
_PRIOR_BEFORE = re.compile(
    rf"\b(?:then|previously|prior|earlier|vs\.?|versus)\b(?:{_PRIOR_DATE})?[^,;()\d]{{0,15}}$", re.I
)


# "LVEF improved to 57% from 49%": the value after "from", following the value reached, is the prior's
_TO_FROM_BEFORE = re.compile(r"\bto\s+\d+(?:\.\d+)?\s*%?\s*,?\s*from\s+$", re.I)
# "EF down from 44%", "LVEF has fallen from 52%": a change from a value, with no value reached after it, starts at
# the prior's
_CHANGED_FROM_BEFORE = re.compile(
    r"\b(?:down|up|fallen|fell|dropped|decreased|declined|increased|risen|rose|improved|worsened|changed)\s+from\s+$",
    re.I,
)
_TO_AFTER = re.compile(r"\s*%?\s*(?:to|->|\u2192)\s*\d", re.I)


# words just after a number that place it in the prior ("41% quoted in the 2024 report", "SDS 9 on the previous
# scan", "EF 48% in March 2023", "SDS 4 in 9/2024")
_PRIOR_AFTER = re.compile(
    r"\s*%?\s*,?\s*(?:(?:as\s+)?(?:quoted|reported|described|documented|stated|given|recorded|measured|seen|noted)\s+)?"
    r"(?:in|on|at|from)\s+(?:the\s+)?(?:(?:prior|previous|earlier|outside|old|last|preceding)\b"
    r"|(?:(?:\d{1,2}\s+)?[A-Z][a-z]+\s+)?(?:19|20)\d\d\b|(?:\d{1,2}/){1,2}(?:19|20)\d\d\b)"
    # ... or a time word of its own ("from 38% then to 31% now", "EF 45% previously"; not "56% then 49%" nor "56%
    # then falls to 49%", a sequence)
    r"|\s*%?\s*,?\s*(?:then(?=\s*(?:[,;)]|to\b|and\b|vs\b|versus\b|compared\b|$))|previously|formerly"
    r"|at\s+(?:that|the)\s+time)\b(?!\s*\d)"
)
# a time word of this study right after a number ("to about 31% now", "SDS 12 currently"): the number is this study's
# whatever word of the prior stands before it
# (not a "now" that heads the next value: "TID then 1.00, now 1.24")
_NOW_AFTER = re.compile(r"\s*%?\s+(?:now|currently|today|at\s+present|this\s+time)\b(?!\s*(?:[:=]\s*)?[-+]?\d)", re.I)
_LISTED_VALUES = re.compile(r"(?:\s*%?\s*(?:,|/|&|\band\b)\s*(?:[A-Za-z]{2,6}\s*[:=]?\s*)?\d+(?:\.\d+)?)+")
_OWN_PHASE_AFTER = re.compile(
    r"\s*%?\s*(?:at\s+|on\s+|with\s+|after\s+)?(?:rest|resting|stress|post-stress|peak)\b", re.I
)


# after a prior cue, a word of this study ("previously is now 31%") or a change that runs on from it ("then fell to
# 31%") makes the number this study's
_CURRENT_SINCE_CUE = re.compile(
    r"\b(?:now|currently|today|at\s+present)\b"
    r"|^then\s+(?:fell|falls|dropped|drops|declined|declines|decreased|rose|rises|increased|improved|went)\b",
    re.I,
)
_CHANGE_TO_BEFORE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s*%?\s*(?:-+>|\u2192|=>|\bto\b)\s*$", re.I)


# a clause that opens on an earlier date and speaks in the past tense up to the number ("In 2024 the reserve was 2.1",
# "on 3 May 2023, LVEF had been 58%"): the value of the study of that date
_DATED_PAST_BEFORE = re.compile(
    r"(?:^|[.;:]\s*|,\s*)(?:back\s+)?(?:in|on)\s+(?:(?:\d{1,2}\s+)?[a-z]{3,9}\.?,?\s+)?(?:19|20)\d\d\b,?"
    r"\s+(?:[^.;,\d]{0,40}?\s)?(?:was|were|had(?:\s+been)?|measured|showed)\s+(?:(?:only|about|around|then)\s+)?$",
    re.I,
)


def _of_prior(n: NumberClaim, claims: Claims) -> bool:
    """The number is the prior study's: inside what the text says of the prior, or right after a prior cue
    (a number with its own phase, "vs 58% at rest", is this study's)."""
    a = claims.sentences[n.sent][0]
    if _NOW_AFTER.match(claims.text, n.span[1]):
        return False
    if claims.in_prior(n.span[0]):
        # "(SDS 3 -> 8)", "LVEF 60 to 56%" after the prior's date: a change runs from the prior's value to this study's
        return not _CHANGE_TO_BEFORE.search(claims.text, max(a, n.span[0] - 20), n.span[0])
    # (wide enough for a date between a prior cue and the value: "previously (12/11/2025) flow reserve 2.4")
    before = claims.text[max(a, n.span[0] - 45) : n.span[0]]
    if n.phase is not None or _OWN_PHASE_AFTER.match(claims.text, n.span[1]):
        return False  # "to 50% from 57% at rest": a value with a phase of this study is this study's
    # "SSS 4 and SDS 4 in 9/2024": the date after a list of values dates each of them
    listed = _LISTED_VALUES.match(claims.text, n.span[1])
    cue = _PRIOR_BEFORE.search(before)
    if cue is not None and _CURRENT_SINCE_CUE.search(cue.group(0)):
        cue = None  # "EF of 38% previously is now 31%", "then fell to 31%": this study's value
    return bool(
        cue
        or _DATED_PAST_BEFORE.search(claims.text[a : n.span[0]])
        or _TO_FROM_BEFORE.search(before)
        or _PRIOR_AFTER.match(claims.text, n.span[1])
        or (_CHANGED_FROM_BEFORE.search(before) and not _TO_AFTER.match(claims.text, n.span[1]))
        or (listed and _PRIOR_AFTER.match(claims.text, listed.end()))
    )


# "vs 11/25: RCA isch resolved. EF 52 -> 64%.": in a comparison's shorthand the value before the arrow may be the
# prior's (elsewhere, "LVEF 58% -> 64%", it is the rest value)
_ARROW_AFTER = re.compile(r"\s*%?\s*(?:->|→|=>|⇒)\s*\d")
_COMPARISON_LEAD = re.compile(r"\s*(?:vs\.?|versus|compared\s+(?:with|to)|cf\.?)\s", re.I)
# a shorthand text's heading naming the study against a dated prior ("Reg MPI vs 11/2024.", "Stress PET versus
# 2023:"): the comparison every line under it makes
_COMPARISON_HEADING = re.compile(
    r"\s*(?:[\w/-]+\s+){0,3}(?:vs\.?|versus|compared\s+(?:with|to)|cf\.?)\s+(?:the\s+)?(?:prior\s+|previous\s+)?"
    r"(?:\d{1,2}/(?:\d{1,2}/)?\d{2,4}|(?:19|20)\d\d\b|[A-Z][a-z]+\s+(?:19|20)\d\d\b)\s*(?::|\.?\s*$)",
    re.I,
)


def _after_comparison_lead(claims: Claims, sent: int) -> bool:
    """The sentence, or the one before it, opens with a comparison ("vs 11/25: ..."), or the text opens with a
    heading that compares it with a dated prior ("Reg MPI vs 11/2024. ... EF 55->46%")."""
    return any(_COMPARISON_LEAD.match(claims.text, claims.sentences[i][0]) for i in (sent, sent - 1) if i >= 0) or bool(
        _COMPARISON_HEADING.match(claims.sentence_text(0))
    )


def _candidates(n: NumberClaim, facts: list[QuantityFact], claims: Claims) -> list[QuantityFact]:
    pool = [f for f in facts if f.phase != "prior"]
    if any(f.phase == "prior" for f in facts):
        if _of_prior(n, claims):  # "(prior 47%)", "SDS then 4", "14 vs 4": the prior's value only
            pool = [f for f in facts if f.phase == "prior"]
        elif (
            n.section == "comparison"
            or cues().comparison_context.search(claims.sentence_text(n.sent))
            or (_ARROW_AFTER.match(claims.text, n.span[1]) and _after_comparison_lead(claims, n.sent))
        ):
            pool = list(facts)  # a comparison sentence or section may quote either study's value
    if n.territory is not None:
        # where the study gives values per territory or vessel, a territory it has no value for is wrong
        # ("LM (60)" when no LM calcium was measured); otherwise the territory is only a hint
        own = [f for f in pool if f.territory == n.territory]
        pool = own or ([] if n.quantity == "cac" and any(f.territory for f in pool) else pool)
    else:
        pool = [f for f in pool if f.territory is None] or pool
    if n.phase is not None:
        pool = [f for f in pool if f.phase in (n.phase, None)] or pool
    return pool


def _shown(f: QuantityFact) -> str:
    return f"{_fmt(f.value)}{f' ({f.phase})' if f.phase else ''}{f' in {f.territory}' if f.territory else ''}"


# A number stated as a bound ("ischemic burden <10%", "under 10% of the myocardium"), not as a value
_BELOW = re.compile(r"(?:<|\u2264|<=|\b(?:below|under|less than|at most))\s*$", re.I)
_ABOVE = re.compile(r"(?:>|\u2265|>=|\b(?:above|over|more than|greater than|at least|exceed\w*(?:\s+the)?))\s*$", re.I)


# The cut-points of the ischemic myocardium a reader may state as a bound (HACHAMOVITCH-2003 / ESC-CCS-2019:
# 5, 10, 15 % of the LV; the high-risk 10 %).
_BURDEN_CUTS = frozenset(
    {DEFAULT_THRESHOLDS.high_risk_ischemic_percent}
    | {b for band in DEFAULT_THRESHOLDS.ischemic_myocardium_bands for b in (band.lower, band.upper) if b is not None}
)


# The cut-points of the Agatston score a reader may state as a bound: the CAC-DRS-2018 band edges (100, 300) and
# the classical extensive (> 400) and very high (>= 1000) bands of SCCT-STR-2016
_CAC_CUTS = frozenset(
    {b for band in DEFAULT_THRESHOLDS.cac_bands for b in (band.lower, band.upper) if b is not None} | {400.0, 1000.0}
)
_CAC_NAMED = re.compile(r"\b(?:CAC|calcium|calcification|Agatston)", re.I)
# the amount a bound's percentage is of, named just before it ("ischemic burden >20%", "scar extent under 10%")
# the LVEF named just before a bound on it ("EF above 35%", "LVEF > 40%")
_LVEF_JUST_BEFORE = re.compile(r"\b(?:LVEF|EF|ejection\s+fraction)\s*(?:(?:is|was|remains|of)\s+)?(?:still\s+)?$", re.I)
_AMOUNT_JUST_BEFORE = re.compile(r"\b(?:ischa?emi\w*|scar\w*|infarct\w*|burden|extent)\b[^.;,\d]{0,25}$", re.I)


def _bound_holds(claims: Claims, n: NumberClaim, facts: Facts) -> bool:
    """A bound on the ischemic (or scarred) myocardium or on the calcium score ("ischemic burden <10%", "ischemia
    >20% of the LV", "Agatston 1210, > 1000") holds when the study's value lies on its side. Other numbers are checked
    as values: the rules' own thresholds are facts."""
    text = claims.text
    before = text[max(0, n.span[0] - 40) : n.span[0]]
    below, above = _BELOW.search(before), _ABOVE.search(before)
    if not (below or above):
        return False
    # the quantity the bound is of may be named anywhere before it in its sentence ("The ischaemic burden, if real,
    # is small (under 5% of the myocardium)"), or as the registry key that opens it ("CAC=1210 (>1000)")
    start = claims.sentences[n.sent][0]
    subject = text[start : n.span[0]]
    burden = _burden_bound(n, facts, before, below, above, subject)
    if burden is not None:
        return burden
    cue = below or above
    # (the percent sign may be left out after the LVEF's name, as its values are: "EF 42 ... (EF <45)")
    percent = n.unit == "%" or (n.unit is None and 0 < n.value < 100)
    if percent and cue is not None and _LVEF_JUST_BEFORE.search(before, 0, cue.start()):
        # "ICD not indicated (EF above 35%)": a bound on the LVEF, the threshold of a guideline, not a value
        lvef = [
            float(f.value)
            for f in facts.quantities.get("lvef", [])
            if f.phase != "prior" and isinstance(f.value, float | int)
        ]
        return bool(lvef) and all(v < n.value if below else v > n.value for v in lvef)
    key = re.search(r"\b[A-Za-z][\w-]{0,20}\s*[=:]\s*$", text[max(0, start - 24) : start])
    if n.value in _CAC_CUTS and _CAC_NAMED.search((key.group(0) if key else "") + subject):
        pool = facts.quantities.get("cac", [])
        pool = [f for f in pool if f.territory is None] or pool  # the whole score, not a vessel's share of it
        values = [float(f.value) for f in pool if isinstance(f.value, float | int)]
        return bool(values) and any(v < n.value if below else v > n.value for v in values)
    return False


# A bound said over a set of values, not a value ("a reserve of 1.6, with no territory exceeding 1.7", "stress flow
# under 2.0 in all three territories", "none above 1.8", "each vessel below 2.0"): a quantifier over the set (none,
# no ..., all, each, every, both) and a comparison before the number. It is true when every value of the set lies
# within it, and false when any lies beyond, whether or not the number is itself one of the values.
_SET_NONE = r"\b(?:no|none|not\s+(?:one|any)|neither|nor|without\s+(?:a|any))\b"
_SET_ALL = r"\b(?:all|each|every|both)\b"
_SET_ABOVE = r"(?:exceed\w*|above|over|greater\s+than|more\s+than|higher\s+than|>)"
_SET_BELOW = r"(?:below|under|less\s+than|lower\s+than|beneath|<)"
_SET_BOUND_BEFORE = re.compile(
    rf"(?:(?P<none>{_SET_NONE})|(?P<all>{_SET_ALL}))(?P<words>(?:\s+(?!(?:and|but|or|while|whereas|although|with)\b)[^\s.;:,()\d<>]+){{0,6}}?)"
    rf"\s*(?:(?P<above>{_SET_ABOVE})|(?P<below>{_SET_BELOW}))\s*(?:the\s+)?$",
    re.I,
)
# ... the set it quantifies, said after the bound instead ("under 2.0 in all three territories", "below 2.0
# everywhere")
_SET_BOUND_CUE = re.compile(rf"(?:(?P<above>{_SET_ABOVE})|(?P<below>{_SET_BELOW}))\s*$", re.I)
_SET_AFTER = re.compile(
    r"\s*(?:mL/min/g\s*|ml/min/g\s*)?(?:in|across|of|for)\s+(?:(?:the\s+)?(?:all|each|every|both)\b|all\s+the\b)"
    r"[^.;:,()\d]{0,25}?\b(?:territor\w*|vessels?|regions?|walls?|segments?|arter\w*)\b|\s*everywhere\b",
    re.I,
)
# the quantities measured per territory a set bound may be said of, by their names in the text (the last named
# before the bound is the one it bounds; a flow unit right after the number names a flow, not the reserve)
_SET_QUANTITY_NAMES = (
    ("mfr", re.compile(r"\b(?:MFR|CFR|(?:myocardial\s+|coronary\s+)?(?:flow\s+)?reserve)\b", re.I)),
    ("rest_mbf", re.compile(r"\brest(?:ing)?\s+(?:myocardial\s+)?(?:blood\s+)?(?:flow|MBF)\b", re.I)),
    (
        "stress_mbf",
        re.compile(
            r"\b(?:(?:stress|peak|hyperaemic|hyperemic)\s+(?:myocardial\s+)?(?:blood\s+)?(?:flow|MBF)|MBF|blood\s+flow"
            r"|flow(?!\s+reserve))\b",
            re.I,
        ),
    ),
)
_FLOW_UNIT_AFTER = re.compile(r"\s*m[lL]\s*/\s*min\s*/\s*g\b")


def _set_bound(text: str, n: NumberClaim, claims: Claims, facts: Facts) -> tuple[bool, str, str] | None:
    """Whether a bound said over a set of values holds, with the quantity it bounds and the values it was checked
    on; None where the number is no such bound, or its quantity has no set of values in the study."""
    s0 = claims.sentences[n.sent][0]
    before = text[max(s0, n.span[0] - 90) : n.span[0]]
    hit = _SET_BOUND_BEFORE.search(before)
    quantified = hit is not None
    if hit is None:
        hit = _SET_BOUND_CUE.search(before)
        after = _SET_AFTER.match(text, n.span[1])
        if hit is None or after is None:
            return None
    # the quantity: the number's own, else the one named last before the bound in its sentence
    quantity = n.quantity if n.quantity in ("mfr", "stress_mbf", "rest_mbf") else None
    if quantity is None:
        named = text[s0 : n.span[0] - len(before) + hit.start()]
        if quantified and hit.group("words"):
            named += hit.group("words")
        last = [
            (m.start(), q)
            for q, pattern in _SET_QUANTITY_NAMES
            for m in pattern.finditer(named)
            if not (q == "mfr" and _FLOW_UNIT_AFTER.match(text, n.span[1]))
        ]
        if not last and n.sent > 0:  # named in the sentence before ("MFR 1.6 globally. None above 1.8.")
            p0 = claims.sentences[n.sent - 1][0]
            last = [(m.start(), q) for q, pattern in _SET_QUANTITY_NAMES for m in pattern.finditer(text, p0, s0)]
        if not last:
            return None
        quantity = max(last)[1]
    pool = [
        float(f.value)
        for f in facts.quantities.get(quantity, [])
        if f.phase != "prior" and isinstance(f.value, float | int)
    ]
    if len({f.territory for f in facts.quantities.get(quantity, []) if f.phase != "prior"} - {None}) < 2:
        return None  # one value is no set: the number is checked as a value
    negated = quantified and hit.group("none") is not None
    above = hit.group("above") is not None
    if negated:  # "none above 1.7": every value at most 1.7; "none below 1.0": every value at least 1.0
        holds = all(v <= n.value if above else v >= n.value for v in pool)
    else:  # "all below 2.0": every value under it; "each over 1.0": every value over it
        holds = all(v > n.value if above else v < n.value for v in pool)
    return holds, quantity, ", ".join(_fmt(v) for v in pool)


# A limit of normal the text quotes beside a value ("64%, normal is above 50%", "MFR 1.65, below the conventional
# threshold of 2.0", "(normal > 50%)", "a cut-off of 2.0"): a reference, not a value of the study. It holds when the
# value it grades (the number before it in its sentence, else the study's) lies on the side the text gives it: the
# normal side, unless the text calls that value abnormal or says it is below/above the limit.
_LIMIT_NORMAL_BEFORE = re.compile(
    r"\bnormal(?:\s+(?:values?|range|limits?|LVEF|EF|MFR))?\s*(?:(?:is|are|being|would\s+be|should\s+be)\s+|[:=]\s*)?"
    r"(?P<cmp>[<>\u2264\u2265]=?|=>|>=|above|over|below|under|greater\s+than|more\s+than|less\s+than|at\s+least)?\s*$",
    re.I,
)
# ... its side said after it ("normal is 50% or more")
_LIMIT_SIDE_AFTER = re.compile(r"\s*%?\s*or\s+(?P<cmp>more|above|higher|greater|over|less|below|lower|under)\b", re.I)
_LIMIT_NAMED_BEFORE = re.compile(
    r"(?:\b(?P<cmp>below|under|above|over|beneath|exceed\w*|less\s+than|more\s+than|greater\s+than)\s+)?"
    r"(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,2}?(?:threshold|cut-?off|cut-?point|limit\s+of\s+normal|normal\s+limit"
    r"|reference\s+(?:value|limit))\s*(?:of|at|is|[:=])?\s*(?:[<>\u2264\u2265]=?\s*)?$",
    re.I,
)
# ... unless the value is said to sit at it ("at the lower limit of normal at 54%")
_AT_THE_LIMIT_BEFORE = re.compile(r"\b(?:at|on)\s+$", re.I)
_VALUE_CALLED_ABNORMAL = re.compile(r"\b(?:abnormal|reduced|low|impaired|blunted|depressed|decreased)\b", re.I)


def _reference_limit_holds(text: str, n: NumberClaim, claims: Claims, facts: Facts) -> bool:
    """The number is a limit of normal (or a threshold) quoted beside the value it grades, on the side it gives."""
    s0 = claims.sentences[n.sent][0]
    before = text[max(s0, n.span[0] - 60) : n.span[0]]
    named = _LIMIT_NAMED_BEFORE.search(before)
    if named is not None and not named.group("cmp") and _AT_THE_LIMIT_BEFORE.search(before, 0, named.start()):
        return False  # "LVEF at the lower limit of normal at 54%": the value said to sit at the limit, not the limit
    normal = None if named else _LIMIT_NORMAL_BEFORE.search(before)
    if named is None and normal is None:
        return False
    cue = (named or normal).group("cmp")  # type: ignore[union-attr]
    if normal is not None and not cue:
        side = _LIMIT_SIDE_AFTER.match(text, n.span[1])
        if side is None:
            return False  # "normal 64%": a grade and a value, no limit
        cue = "above" if re.match(r"more|above|higher|greater|over", side.group("cmp"), re.I) else "below"
    prior = [x for x in claims.numbers if x.sent == n.sent and x.span[1] <= n.span[0] and x.unit == n.unit]
    if prior:
        graded = [prior[-1].value]
    else:
        pool = facts.quantities.get(n.quantity or "", [])
        graded = [float(f.value) for f in pool if f.phase != "prior" and isinstance(f.value, float | int)]
    if not graded:
        return False
    if named is not None:
        if not cue:
            return True  # "a threshold of 2.0": named as a limit, no side given
        under = bool(re.match(r"below|under|beneath|less", cue, re.I))
        return all(v < n.value if under else v > n.value for v in graded)
    # "normal is above 50%": the value lies on the normal side, or on the other where the text calls it abnormal
    normal_above = bool(re.match(r"[>\u2265=]|above|over|greater|more|at\s+least", cue, re.I))
    abnormal = bool(_VALUE_CALLED_ABNORMAL.search(text, s0, n.span[0] - len(before) + normal.start()))  # type: ignore[union-attr]
    return all((v >= n.value) == (normal_above != abnormal) for v in graded)


def _burden_bound(
    n: NumberClaim, facts: Facts, before: str, below: re.Match[str] | None, above: re.Match[str] | None, subject: str
) -> bool | None:
    """Whether a bound on the ischemic or scarred share of the LV holds (any value beyond it satisfies it); None where
    the number is no such bound. A bare percentage is one at the burden cut-points only, or named just after the
    amount."""
    if n.quantity not in (None, "ischemic_percent", "scar_percent"):
        return None
    cue = below or above
    if not (
        n.value in _BURDEN_CUTS
        or n.unit == "lv%"
        or (n.unit == "%" and cue is not None and _AMOUNT_JUST_BEFORE.search(before, 0, cue.start()))
    ):
        return None
    ischemia = list(re.finditer(r"\bischa?emi", subject, re.I))
    scar = list(re.finditer(r"\b(?:scar|infarct)", subject, re.I))
    if not ischemia and not scar:
        return None
    # the amount named last before the bound is the one it bounds
    last_scar = bool(scar) and (not ischemia or scar[-1].start() > ischemia[-1].start())
    of = "scar_percent" if last_scar or n.quantity == "scar_percent" else "ischemic_percent"
    amount = [float(f.value) for f in facts.quantities.get(of, []) if isinstance(f.value, float | int)]
    return any(v < n.value if below else v > n.value for v in amount)


# A range quoted as a reference (a guideline's category, a score's span), not as a value of the study: "LVEF 46%
# (ACC/AHA 35-49% range)", "intermediate Duke category (range -10 to +4)". Its ends are no values of the study;
# the range holds when the study's value lies in it.
_RANGE = re.compile(
    r"(?<![\d.])(?P<lo>[-+\u2212]?\d+(?:\.\d+)?)\s*%?\s*(?:-|\u2013|\u2014|to)\s*"
    r"(?P<hi>[-+\u2212]?\d+(?:\.\d+)?)(?![\d.])\s*%?",
    re.I,
)
_RANGE_NAMED_BEFORE = re.compile(
    r"(?:\b(?:range|category|band|interval)(?:\s+(?:of|from|is|was))?\s*[:=]?"
    r"|\b(?:ACC/AHA|AHA/ACC|ASNC|ESC|SCCT|SNMMI|EACVI|guidelines?)\b[^.;()\d]{0,15}?)\s*\(?\s*$",
    re.I,
)
_RANGE_NAMED_AFTER = re.compile(r"\s*\)?\s*(?:range|band|category|interval)\b", re.I)


def _quoted_range_holds(text: str, n: NumberClaim, claims: Claims, values: Iterable[float]) -> bool:
    """The number is an end of a reference range the text names as one, and the value it grades lies in it."""
    s0, s1 = claims.sentences[n.sent]
    for m in _RANGE.finditer(text, s0, s1):
        if not m.start() <= n.span[0] < m.end():
            continue
        if not (
            _RANGE_NAMED_BEFORE.search(text, max(s0, m.start() - 30), m.start())
            or _RANGE_NAMED_AFTER.match(text, m.end())
        ):
            return False
        lo, hi = sorted(float(m.group(g).replace("\u2212", "-")) for g in ("lo", "hi"))
        # the range grades the value stated before it ("LVEF of 46% ... (35-49% range)"); else the study's values
        before = sorted((x.span, x.value) for x in claims.numbers if x.sent == n.sent and x.span[1] <= m.start())
        graded = [v for _, v in before]
        return any(lo <= v <= hi for v in (graded[-1:] or values))
    return False


# the quantities a study records as the largest of several sites' values: the ST deviation is the deepest of the
# leads' (stress.st_depression_mm), so a range of the leads' depths ("1.5-2.0 mm of ST depression") ends at it
_RECORDED_AS_MAXIMUM = frozenset({"st_deviation"})
_RANGE_TO = re.compile(r"\s*(?:mm\s*)?(?:-|\u2013|\u2014|to)\s*", re.I)


def _range_up_to_maximum(text: str, n: NumberClaim, claims: Claims, facts: Facts) -> bool:
    """The number is the lower end of a range whose upper end is the study's recorded maximum of its quantity
    ("1.5-2.0 mm horizontal ST depression" where the deepest was 2.0 mm): the spread over the sites, up to the
    deepest; a range beyond it ("2.0-2.5 mm") leaves its upper end unsupported."""
    gap = _RANGE_TO.match(text, n.span[1])
    if gap is None:
        return False
    hi = next((x for x in claims.numbers if x.span[0] == gap.end() and x.sent == n.sent), None)
    if hi is None or not 0 <= n.value < hi.value:
        return False
    quantity = n.quantity or hi.quantity
    if quantity is None and hi.unit == "mm" and _ST_WORDS.search(text, *claims.sentences[n.sent]):
        quantity = "st_deviation"  # "1.5-2.0 mm horizontal ST depression": the unit and the ST after the range
    return quantity in _RECORDED_AS_MAXIMUM and any(
        isinstance(f.value, float | int) and _matches(hi, float(f.value)) for f in facts.quantities.get(quantity, [])
    )


# The words by which a text names a number the study implies (facts.Facts.derived), by kind: a change ("rose by 62
# bpm", "+22 bpm", "3 points lower than then", "a relative fall of 21%", "heart-rate response 31%"), a double
# product, a target heart rate, the years since the prior, an activity in GBq, a term of a Duke formula ("4 x 2").
_DERIVED_CUE_NEAR = {
    "change": re.compile(
        r"\b(?:ros[ea]|rises?|rising|risen|increas\w*|up|fell|falls?|fallen|falling|drop\w*|decreas\w*|declin\w*|"
        r"lower|higher|below|above|less|more|chang\w*|reduc\w*|respon\w*|augment\w*|delta|differen\w*|reserve|"
        r"relative|gain\w*|loss|lost|dip\w*|blunted|improve\w*|worse\w*|by)\b|\u0394",
        re.I,
    ),
    "product": re.compile(r"\bdouble[- ]product\b|\brate[- ]pressure\s+product\b|\b(?:RPP|DP)\b", re.I),
    "target": re.compile(r"\btarget\b|\bTHR\b|\b85\s*%", re.I),
    "years": re.compile(r"\b(?:ago|earlier|before|since|prior|previous\w*|interval|later|apart|then)\b", re.I),
}
_DERIVED_CUE_AFTER = {
    "gbq": re.compile(r"\s*GBq\b", re.I),
    # the months since the prior: the unit and what places them before this study ("18 months ago", "14 months
    # earlier", "6 months before this one")
    "months": re.compile(r"\s*(?:-\s*)?months?\s+(?:ago|earlier|before|previously|prior)\b", re.I),
}
_DUKE_WORD = re.compile(r"\bDuke\b", re.I)
# the quantity a derived value of a labelled number is computed from ("LVEF ... 3 points lower": the LVEF's change)
_DERIVED_OF = {"lvef_drop": "lvef", "dose_mbq": "dose", "dose_mci": "dose"}
# the words naming the quantity a change in "%" or without a unit is of: the one named nearest before the number
# ("EF reserve of -9%" is the LVEF's, not the systolic pressure's relative fall)
_DERIVED_NAMES = {
    "hr": r"\bheart[- ]rates?\b|\bHR\b|\bpulse\b|chronotrop\w*",
    "bp": r"\bpressures?\b|\bS?BP\b|\bsystolic\b",
    "lvef": r"\bL?VEF\b|\bEF\b|ejection fraction",
    "tid": r"\bTID\b|dilat\w*",
    "mfr": r"\bMFR\b|flow reserve",
    "stress_mbf": r"\bMBF\b|\bflow\b",
    "rest_mbf": r"\bMBF\b|\bflow\b",
    "sss": r"\bSSS\b|summed stress",
    "srs": r"\bSRS\b|summed rest",
    "sds": r"\bSDS\b|summed difference",
    "cac": r"\bCAC\b|calcium|agatston",
}
_DERIVED_NAME = re.compile("|".join(f"(?P<{k}>{v})" for k, v in _DERIVED_NAMES.items()), re.I)


def _named_nearest(text: str, s0: int, n: NumberClaim) -> str | None:
    """The quantity of _DERIVED_NAMES named last before the number in its sentence, else just after it."""
    before = [m.lastgroup for m in _DERIVED_NAME.finditer(text, s0, n.span[0])]
    if before:
        return before[-1]
    after = _DERIVED_NAME.search(text, n.span[1], min(len(text), n.span[1] + 30))
    return after.lastgroup if after else None


_TIMES_BEFORE = re.compile(r"[x\u00d7*]\s*$", re.I)
_TIMES_AFTER = re.compile(r"\s*[x\u00d7*](?![a-z])", re.I)
_SIGN_BEFORE = re.compile(r"[+\u2212\u0394-]\s*$")


def _derived_holds(text: str, n: NumberClaim, claims: Claims, facts: Facts) -> bool:
    """The number is one the study implies (facts.Facts.derived) in the unit the text gives it, and the words around
    it name the kind of that number: a change, a product, a target, years since the prior, GBq, a term of the Duke
    formula. Matched at the text's precision, or within the rounding of an approximation (``_within_rounding``), or,
    for a whole number of 1000 or more ending in zeros, at the place of its last non-zero digit ("19,600" for
    19,596): a changed digit stays wrong."""
    candidates = facts.derived.get(n.unit or "none", [])
    if not candidates:
        return False
    s0, s1 = claims.sentences[n.sent]
    near = text[max(s0, n.span[0] - 50) : min(s1, n.span[1] + 30)]
    sentence = text[s0:s1]
    approximate = _stated_approximately(text, n)
    digits = n.text_value.replace(",", "").lstrip("+-\u2212")
    zeros = len(digits) - len(digits.rstrip("0")) if n.decimals == 0 and abs(n.value) >= 1000 else 0
    tolerance = 0.5 * 10 ** (zeros if zeros else -n.decimals) + 1e-9
    own = _DERIVED_OF.get(n.quantity or "", n.quantity)
    if own is None and n.unit in (None, "%"):
        own = _named_nearest(text, s0, n)  # a share or a unitless change: of the quantity the sentence names
    for value, kind, quantity in candidates:
        if own is not None and quantity is not None and quantity != own:
            continue  # a labelled number is a derived value of its own quantity only ("Duke -9" is no SDS change)
        if not (abs(n.value - value) <= tolerance or (approximate and _within_rounding(n, value))):
            continue
        if kind == "formula":
            if n.quantity == quantity:
                return True  # "Duke score 4" where the rules give none: the formula's value, under its own label
            continue
        if kind == "duke_term":
            if _DUKE_WORD.search(sentence) and (
                _TIMES_BEFORE.search(text, max(s0, n.span[0] - 3), n.span[0]) or _TIMES_AFTER.match(text, n.span[1])
            ):
                return True
            continue
        if kind in _DERIVED_CUE_AFTER:
            if _DERIVED_CUE_AFTER[kind].match(text, n.span[1]):
                return True
            continue
        if kind == "change" and (
            _SIGN_BEFORE.search(text, max(s0, n.span[0] - 2), n.span[0])
            or n.text_value.startswith(("+", "-", "\u2212"))
        ):
            return True  # "+22 bpm", "LVEF reserve -6%"
        if _DERIVED_CUE_NEAR[kind].search(near if kind == "change" else sentence):
            return True
    return False


# a heart rate in an ECG event's record ("from HR 138 bpm", "resolved at 112 bpm")
_RATE_IN_RECORD = re.compile(r"\b(?:HR|heart\s+rate|rate)\s*(?:of\s*)?(\d{2,3})\b|\b(\d{2,3})\s*(?:bpm|beats)\b", re.I)
# a word that gives a heart rate to the test's own phases rather than to the event named before it
_RATE_OF_PHASE = re.compile(r"\b(?:peak|max\w*|rest\w*|baseline|target|predicted|achieved)\b", re.I)


def _event_rate_holds(text: str, n: NumberClaim, claims: Claims, facts: Facts) -> bool:
    """A heart rate said of the ECG event named just before it ("rate-related LBBB from a heart rate of 138", "the
    block appeared at 138 bpm"): the rate at which the stress data record that event, not the test's rest or peak
    rate."""
    if n.unit not in (None, "bpm") and n.quantity != "hr":
        return False
    s0 = claims.sentences[n.sent][0]
    lo = max(s0, n.span[0] - 80)
    for _key, rx in cues().ecg_events:
        records = [r for r in facts.arrhythmias if rx.search(r)]
        rates = {float(m.group(1) or m.group(2)) for r in records for m in _RATE_IN_RECORD.finditer(r)}
        if not any(_matches(n, v) for v in rates):
            continue
        named = [m for m in rx.finditer(text, lo, n.span[0])]
        if named and not _RATE_OF_PHASE.search(text, named[-1].end(), n.span[0]):
            return True
        # "at a heart rate of about 128, the tracing changed to LBBB", "at 128 bpm appear LBBB": the rate the
        # event began at, said before it, in the same sentence and before any other number
        later = rx.search(text, n.span[1], min(claims.sentences[n.sent][1], n.span[1] + 120))
        if (
            later is not None
            and _ONSET_RATE_BEFORE.search(text, max(s0, n.span[0] - 40), n.span[0])
            and not re.search(r"\d", text[n.span[1] : later.start()])
            and not _RATE_OF_PHASE.search(text, max(s0, n.span[0] - 40), later.start())
        ):
            return True
    return False


# "at (a heart rate of) (about) N", "from HR N": the words that give a rate as the point where something began
_ONSET_RATE_BEFORE = re.compile(
    r"\b(?:at|from)\s+(?:an?\s+|the\s+)?(?:(?:heart\s+)?rate\s+(?:of\s+)?|HR\s*(?:of\s+)?)?"
    r"(?:about\s+|around\s+|approximately\s+|~\s*)?$",
    re.I,
)


_PLURAL_SCORES_BEFORE = re.compile(r"\bscores\s+(?:of|were|are)\s*$", re.I)

# the phase a number of the exercise ECG belongs to: recovery (after the exercise stopped) or the exercise itself; the
# nearer of the two in the number's clause decides ("1.5 mm STD in recovery only, none during exercise")
_RECOVERY_PHASE = re.compile(
    r"\brecover(?:y|ing)\b|\bpost-?exercise\b|\b(?:after|once)\s+(?:\w+\s+){0,3}?(?:stopp\w*|stop|exercis\w*|exertion"
    r"|finish\w*|terminat\w*)\b",
    re.I,
)
_EXERCISE_PHASE = re.compile(
    r"\b(?:during|on|with|at)\s+(?:the\s+)?(?:peak\s+)?(?:exercise|exertion|stress|treadmill)\b|\bat\s+peak\b", re.I
)
_CLAUSE_END = re.compile(r"[.;\n](?:\s|$)|[.;\n]$")
# a value of the recovery ECG as a stress note words it: "1.5 mm", "6 min", "(min 2-5)"
_NOTED_VALUE = re.compile(r"(\d+(?:\.\d+)?)\s*(mm|min)\b|\b(min)(?:utes?)?\s+(\d+)(?:\s*[-\u2013]\s*(\d+))?", re.I)


def _in_recovery(text: str, n: NumberClaim, claims: Claims) -> bool:
    """Whether an ST deviation or a time (mm, min) is said of the recovery phase: the nearer phase word of its
    clause is one of recovery."""
    if not (n.quantity == "st_deviation" or n.unit in ("mm", "min")):
        return False
    s0, s1 = claims.sentences[n.sent]
    a = max((m.end() for m in _CLAUSE_END.finditer(text, s0, n.span[0])), default=s0)
    end = _CLAUSE_END.search(text, n.span[1], s1)
    b = end.start() if end else s1
    near = [
        (min(abs(m.start() - n.span[1]), abs(n.span[0] - m.end())), rec)
        for rec, pattern in ((True, _RECOVERY_PHASE), (False, _EXERCISE_PHASE))
        for m in pattern.finditer(text, a, b)
    ]
    return bool(near) and min(near)[1]


def _recovery_values(facts: Facts) -> dict[str, set[float]]:
    """The values (mm, min) that the study's stress notes give of the recovery phase."""
    out: dict[str, set[float]] = {}
    for note in facts.stress_notes:
        if not _RECOVERY_PHASE.search(note):
            continue
        for m in _NOTED_VALUE.finditer(note):
            unit = (m.group(2) or m.group(3)).lower()
            values = [m.group(1)] if m.group(1) else [m.group(4), m.group(5)]
            out.setdefault(unit, set()).update(float(v) for v in values if v)
    return out


def _recovery_flags(text: str, n: NumberClaim, claims: Claims, facts: Facts, code: FlagCode) -> list[Flag] | None:
    """A number said of the recovery phase that the exercise-phase measures do not hold, checked against the study's
    notes of recovery: none when a note gives it, an error when the notes give that measure another value, a warning
    when they give none (unverifiable, not wrong). None: not a number of the recovery phase."""
    if not _in_recovery(text, n, claims):
        return None
    noted = _recovery_values(facts).get("mm" if n.quantity == "st_deviation" else str(n.unit), set())
    if any(_matches(n, v) for v in noted):
        return []
    shown = text[n.span[0] : n.span[1]]
    if noted:
        values = " or ".join(f"{v:g}" for v in sorted(noted))
        return [
            make_flag(
                code,
                f"The text gives {shown} in recovery; the study's notes give {values}.",
                n.span,
                evidence=f"recovery: {values}",
            )
        ]
    return [
        make_flag(
            code,
            f"The text gives {shown} in recovery; the study records no value of the recovery phase to check it with.",
            n.span,
            severity=FlagSeverity.WARNING,
        )
    ]


def check_numbers(text: str, claims: Claims, facts: Facts) -> list[Flag]:
    """Every number against the fact of its quantity, or its unit class, or any fact at all."""
    out: list[Flag] = []
    for n in claims.numbers:
        if n.unit == "segment":
            continue  # segment numbers are locations: see check_location
        shown = text[n.span[0] : n.span[1]]
        if (bound := _set_bound(text, n, claims, facts)) is not None:
            holds, bounded, within = bound
            if not holds:  # "no territory exceeding 1.5" where a territory has 1.7
                name = _QUANTITY_NAME.get(bounded, bounded)
                msg = f"The text bounds every {name} at {shown}; the study gives {within}."
                out.append(make_flag(_QUANTITY_CODE.get(bounded, F.UNSUPPORTED_NUMBER), msg, n.span))
            continue
        if n.quantity is not None and n.quantity in facts.quantities:
            pool = _candidates(n, facts.quantities[n.quantity], claims)
            name = _QUANTITY_NAME.get(n.quantity, n.quantity)
            if n.quantity == "bp":
                ok = any(str(f.value) == n.text_value for f in pool)
            else:
                approximate = _stated_approximately(text, n)  # once per number, not once per value compared
                ok = any(
                    isinstance(f.value, float | int)
                    and (_matches(n, float(f.value)) or (approximate and _within_rounding(n, float(f.value))))
                    for f in pool
                )
            if not ok and n.quantity in ("sss", "srs", "sds"):
                ok = _defect_score_holds(n, claims, facts)
            if (
                not ok
                and n.quantity == "segment_score"
                # (not scores in the plural: "stress scores of 3 throughout" are the segments' own scores)
                and not _PLURAL_SCORES_BEFORE.search(text, max(0, n.span[0] - 30), n.span[0])
            ):  # "mild ischaemia (score 4)": a summed score, unnamed
                ok = any(_matches(n, v) for v in facts.bag.get("any", set()))
            if not ok:
                own = (float(f.value) for f in pool if isinstance(f.value, float | int))
                ok = _quoted_range_holds(text, n, claims, own)
            if not ok:
                ok = _derived_holds(text, n, claims, facts)  # "heart rate rose 28 bpm": a change, not a rate
            if not ok:
                ok = _range_up_to_maximum(text, n, claims, facts)  # "ST depression of 1.5-2.0 mm": to the deepest
            if not ok and n.quantity == "hr":
                ok = _event_rate_holds(text, n, claims, facts)  # "LBBB from a heart rate of 138": the event's rate
            if not ok:
                ok = _reference_limit_holds(text, n, claims, facts)  # "(normal > 50%)": a limit, not a value
            code = _QUANTITY_CODE.get(n.quantity, F.UNSUPPORTED_NUMBER)
            if not ok and (recovery := _recovery_flags(text, n, claims, facts, code)) is not None:
                out.extend(recovery)  # "1.5 mm ST depression in recovery": not the exercise-phase ST measure
                continue
            if not ok:
                measured = " or ".join(_shown(f) for f in pool) or f"no value for {n.territory}"
                out.append(
                    make_flag(
                        _QUANTITY_CODE.get(n.quantity, F.UNSUPPORTED_NUMBER),
                        f"The text gives {name} {shown}; the study gives {measured}.",
                        n.span,
                        evidence=f"{name}: {measured}",
                    )
                )
            continue
        if n.quantity == "duke" and facts.duke_reading is not None and not _derived_holds(text, n, claims, facts):
            out.append(_duke_reading(n, shown, facts.duke_reading, facts.duke_reading_basis))
            continue
        if (
            n.quantity is not None
            and n.quantity not in ("ischemic_percent", "scar_percent", "st_deviation")
            and not _derived_holds(text, n, claims, facts)
        ):
            name = _QUANTITY_NAME.get(n.quantity, n.quantity)
            if n.quantity in PROTOCOL_EXCLUDES.get(facts.protocol or "", ()):  # "TID 1.30" of a stress-only study
                msg = f"The text gives {name} {shown}, but the {facts.protocol} protocol has no {name}."
                out.append(make_flag(F.UNSUPPORTED_NUMBER, msg, n.span))
            elif _derived_inputs_recorded(n.quantity, facts):  # "6 points lower" where rest and stress LVEF show none
                msg = f"The text gives {name} {shown}, but the study's measurements show no {name}."
                out.append(make_flag(F.UNSUPPORTED_NUMBER, msg, n.span))
            else:  # a value the study could hold but does not record: neither supported nor contradicted
                msg = f"The text gives {name} {shown}; the study does not record {name}: shown as unverified."
                out.append(make_flag(F.UNSUPPORTED_NUMBER, msg, n.span, unverified=True))
            continue
        unit = n.unit
        if unit == "flow" and n.territory is not None and _territory_flow_holds(n, facts):
            continue  # "LCx and RCA preserved at 2.60 and 2.42": an unlabelled flow value of its territory
        pools = _UNIT_POOLS.get(unit or "", (unit,)) if unit is not None and unit in facts.bag else ("any",)
        if DEFECT_SHARE in pools and not _one_defect_share(claims, n):
            pools = tuple(p for p in pools if p != DEFECT_SHARE)
        values = set().union(*(facts.bag.get(p or "any", set()) for p in pools))
        approximate = _stated_approximately(text, n)  # once per number, not once per value compared
        if any(_matches(n, v) or (approximate and _within_rounding(n, v)) for v in values):
            continue
        if _bound_holds(claims, n, facts):
            continue
        if _derived_holds(text, n, claims, facts):
            continue
        if _quoted_range_holds(text, n, claims, values or facts.bag.get("any", set())):
            continue
        if _range_up_to_maximum(text, n, claims, facts):
            continue
        if _event_rate_holds(text, n, claims, facts):
            continue
        if _reference_limit_holds(text, n, claims, facts):
            continue  # "MFR 1.65, below the conventional threshold of 2.0": a limit of normal, not a value
        if _score_transition_holds(text, n, facts):
            continue  # "anterior 2-3 -> 1 on redistribution": the segments' grades, initial and late
        if _of_prior(n, claims) and any(
            f.phase == "prior" and isinstance(f.value, float | int) and _matches(n, float(f.value))
            for pool in facts.quantities.values()
            for f in pool
        ):
            continue  # "TID now 1.02 (prior 1.22)": an unlabelled value of the prior, one of the prior's values
        if (label := unrecorded_label(text, n.span[0], claims.sentences[n.sent][0])) is not None:
            # "PASP 52 mmHg on echo": a quantity the Study has no field for, neither supported nor contradicted
            msg = f"The text gives {label} ({shown}); the study does not record it: shown as unverified."
            out.append(make_flag(F.UNSUPPORTED_NUMBER, msg, n.span, unverified=True))
            continue
        code = _UNIT_CODE.get(unit or "", F.UNSUPPORTED_NUMBER) if unit in facts.bag else F.UNSUPPORTED_NUMBER
        if (recovery := _recovery_flags(text, n, claims, facts, code)) is not None:
            out.extend(recovery)
            continue
        out.append(make_flag(code, f"The number {shown} matches no value of the study.", n.span))
    out.extend(_check_dates(claims, facts))
    out.extend(_share_beside_current_scores(text, claims, facts))
    return out


# a share said to be of several findings together ("together about 31% of the myocardium", "in total", "combined")
_TOTAL_SHARE_BEFORE = re.compile(r"\b(?:together|total|in\s+all|overall|combined|altogether|sum)\b[^.;]{0,25}$", re.I)


def _one_defect_share(claims: Claims, n: NumberClaim) -> bool:
    """A share of the LV that may be one defect's own (facts.DEFECT_SHARE): its sentence names one territory at most
    and does not call the share a total."""
    a, b = claims.sentences[n.sent]
    places = {m.value for m in claims.mentions if m.label == "TERRITORY" and a <= m.start < b and m.value}
    return len(places) <= 1 and not _TOTAL_SHARE_BEFORE.search(claims.text, max(a, n.span[0] - 40), n.span[0])


# a quantity the study derives from a value it records in more than one phase (the LVEF at rest and after stress):
# where the study records both and derives none, a text's value of it is contradicted, not unverified
_DERIVED_FROM = {"lvef_drop": "lvef"}


def _derived_inputs_recorded(quantity: str, facts: Facts) -> bool:
    source = _DERIVED_FROM.get(quantity)
    phases = {f.phase for f in facts.quantities.get(source or "", []) if f.phase != "prior"}
    return "rest" in phases and len(phases) >= 2


# why the rules give no Duke score where a reader may still compute one (Facts.duke_reading_basis)
_DUKE_NONE = {
    "baseline ECG": "the baseline ECG does not allow ST analysis",
    "modified Bruce": (
        "it is defined on the Bruce protocol; a modified Bruce test is scored on its Bruce-equivalent time"
    ),
}


def _duke_reading(n: NumberClaim, shown: str, value: float, basis: str) -> Flag:
    """A Duke score quoted where the rules give none (the baseline ECG forbids ST analysis, or the protocol is the
    modified Bruce, DUKE-1991): its own arithmetic from the study's inputs is a reading, shown as unverified; any other
    value is an error."""
    ok = _matches(n, value)
    return make_flag(
        F.UNSUPPORTED_NUMBER,
        f"The text gives Duke treadmill score {shown}; the rules give none ({_DUKE_NONE[basis]}), and the study's "
        f"minutes, ST deviation and angina give {_fmt(value)}" + (": a reading, shown as unverified." if ok else "."),
        n.span,
        evidence=f"Duke treadmill score of the inputs: {_fmt(value)} "
        + ("(baseline ECG not interpretable)" if basis == "baseline ECG" else f"({basis}, Bruce-equivalent time)"),
        severity=FlagSeverity.WARNING if ok else None,
    )


# between a summed score and the share of the LV that goes with it: a comma, an "about"
_SHARE_GAP = re.compile(
    r"^\s*[,;:/(]?\s*(?:(?:about|approximately|approx\.?|around|roughly|nearly|almost|some|ca\.?|c\.)\s*|~\s*)?$", re.I
)


def _share_beside_current_scores(text: str, claims: Claims, facts: Facts) -> list[Flag]:
    """A share of the LV listed right after this study's summed score ("(SSS 2, SDS 2, about 3% of the myocardium)")
    is that score's share (score / 68, ASNC-SPECT-2018) or the study's ischemic or scar share: not a value of the
    prior study or of the change since, which the number check accepts of any share of the LV."""
    own: set[float] = set()
    for q in ("sss", "srs", "sds"):
        own |= {
            100 * float(f.value) / MAX_SUMMED_SCORE
            for f in facts.quantities.get(q, [])
            if f.phase != "prior" and isinstance(f.value, int | float)
        }
    for q in ("ischemic_percent", "scar_percent"):
        own |= {float(f.value) for f in facts.quantities.get(q, []) if isinstance(f.value, int | float)}
    if not own:
        return []
    out = []
    # this study's scores only: a prior's score quoted outside a prior clause ("the 2024 baseline (SDS 4, ~6%)") is
    # not one, and nor is its share
    current = {
        (q, float(f.value))
        for q in ("sss", "srs", "sds")
        for f in facts.quantities.get(q, [])
        if f.phase != "prior" and isinstance(f.value, int | float)
    }
    scores = [
        m
        for m in claims.numbers
        if m.quantity in ("sss", "srs", "sds") and (m.quantity, m.value) in current and not claims.in_prior(m.span[0])
    ]
    for n in claims.numbers:
        if n.unit != "lv%" or n.quantity is not None or claims.in_prior(n.span[0]):
            continue
        beside = any(
            m.sent == n.sent and m.span[1] <= n.span[0] and _SHARE_GAP.match(text[m.span[1] : n.span[0]])
            for m in scores
        )
        approximate = _stated_approximately(text, n)
        if not beside or any(_matches(n, v) or (approximate and _within_rounding(n, v)) for v in own):
            continue
        shown = text[n.span[0] : n.span[1]]
        out.append(
            make_flag(
                F.PERFUSION_PERCENT,
                f"The text gives {shown} beside this study's summed score; its share of the LV is "
                f"{' or '.join(sorted({_fmt(round(v, 1)) + '%' for v in own}))}.",
                n.span,
                evidence="summed scores / 68 (ASNC-SPECT-2018)",
            )
        )
    return out


def _defect_score_holds(n: NumberClaim, claims: Claims, facts: Facts) -> bool:
    """A summed score given per defect ("LAD territory (...; SDS 12) and the LCx territory (...; SDS 9)"): the
    sum of the segment scores (ASNC-SPECT-2018 17-segment model) of a defect whose territory the sentence names."""
    if not facts.segment_scores:
        return False
    sentence = claims.sentence_text(n.sent)
    for d in facts.defects:
        if d.territory is None or not re.search(rf"\b{re.escape(d.territory)}\b", sentence, re.I):
            continue
        scores = [facts.segment_scores[x] for x in d.segments if x in facts.segment_scores]
        stress = sum(sc for sc, _ in scores)
        rest = sum(min(later, default=0) for _, later in scores)
        own = {"sss": stress, "srs": rest, "sds": stress - rest}
        if scores and _matches(n, float(own[n.quantity or ""])) and not _global_scores_beside(n, claims, facts, own):
            return True
    return False


_SCORE_LIST_GAP = 24  # characters between two scores of one list ("SSS 19, SRS 0, SDS 9")


def _global_scores_beside(n: NumberClaim, claims: Claims, facts: Facts, own: dict[str, int]) -> bool:
    """Another summed score of the sentence is the study's whole-heart value, not this defect's ("SSS 19, SRS 0,
    SDS 9" where SSS 19 is global): the scores of one list are of one heart, so the number is not the defect's."""
    for m in claims.numbers:
        # (a score of another kind, listed with it: "SSS 19, SRS 0, SDS 9"; not the sum of the territories' SDS
        # after them, "SDS 12 ... SDS 9, together SDS 21")
        if m.sent != n.sent or m.quantity == n.quantity or m.quantity not in own:
            continue
        if min(abs(m.span[0] - n.span[1]), abs(n.span[0] - m.span[1])) > _SCORE_LIST_GAP:
            continue
        whole = [f.value for f in facts.quantities.get(m.quantity or "", []) if isinstance(f.value, int | float)]
        if any(_matches(m, float(v)) for v in whole) and not _matches(m, float(own[m.quantity or ""])):
            return True
    return False


def _territory_flow_holds(n: NumberClaim, facts: Facts) -> bool:
    """A flow number with no label of its own matches one of its territory's flow values (stress or rest MBF, or
    flow reserve): the sentence names the territory, not which of them."""
    return any(
        f.territory == n.territory and isinstance(f.value, float | int) and _matches(n, float(f.value))
        for q in ("stress_mbf", "rest_mbf", "mfr")
        for f in facts.quantities.get(q, [])
    )


def _swapped_date(raw: str) -> set[str]:
    """The other reading of a numeric date whose day and month may be either ("11/03/2024": 11 March in most of
    the world, 3 November in the US): a writer's convention is not an error."""
    m = re.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*", raw)
    if m is None or int(m.group(1)) > 12 or int(m.group(2)) > 12:
        return set()
    a, b, year = int(m.group(1)), int(m.group(2)), m.group(3)
    return {f"{year}-{a:02d}-{b:02d}", f"{year}-{b:02d}-{a:02d}"}


# segment grades written as a change between the two image sets ("2-3 -> 1", "3 to 1 on redistribution"): the
# initial grade (or a range of them) before the arrow, the late (rest or redistribution) grade after it
_SCORE_TRANSITION = re.compile(
    r"(?<![\d.])(?P<a>[0-4])(?:\s*[-\u2013/]\s*(?P<b>[0-4]))?\s*(?:->|\u2192|=>|>|\bto\b)\s*(?P<c>[0-4])(?![\d.%])"
)


def _score_transition_holds(text: str, n: NumberClaim, facts: Facts) -> bool:
    """An unlabelled grade of a change of segment scores that the study's segments hold: the grades before the
    arrow among the initial (stress) scores, the one after it among the late (rest, redistribution) scores."""
    start = max(0, n.span[0] - 12)
    for hit in _SCORE_TRANSITION.finditer(text, start, n.span[1] + 12):
        if not hit.start() <= n.span[0] < hit.end():
            continue
        initial = {float(a) for a, _ in facts.segment_scores.values() if a}
        late = {float(v) for _, later in facts.segment_scores.values() for v in later}
        before = [float(g) for g in (hit.group("a"), hit.group("b")) if g is not None]
        if before and all(g in initial for g in before) and float(hit.group("c")) in late:
            return True
    return False


def _check_dates(claims: Claims, facts: Facts) -> list[Flag]:
    from extraction.values import find_date

    out = []
    for raw, span in claims.dates:
        found = find_date(raw)
        if found is None:
            continue
        if str(found.value) not in facts.dates and not _swapped_date(raw) & facts.dates:
            known = ", ".join(sorted(facts.dates)) or NO_SUPPORT
            out.append(
                make_flag(
                    F.DATE,
                    f"The date {raw} is neither the study date nor the prior-study date.",
                    span,
                    evidence=f"dates: {known}",
                )
            )
    return out


# --- location and character of defects --------------------------------------------------------

_WALL_FAMILY = {
    "septal": {"septal", "anteroseptal", "inferoseptal"},
    "lateral": {"lateral", "anterolateral", "inferolateral"},
    "apex": {"apex", "apical"},  # ("apical": the wall an artifact may be recorded in)
    "apical": {"apex", "septal", "lateral"},
}
# The territories each wall lies in (AHA 17-segment model).
_WALL_TERRITORIES: dict[str, set[str]] = {}
for _seg in SEGMENTS.values():
    _WALL_TERRITORIES.setdefault(_seg.wall.value, set()).add(_seg.territory.value)
# The apical ring and the apex (AHA 17-segment model: segments 13-17).
_APICAL_SEGMENTS = {n for n, seg in SEGMENTS.items() if seg.level in (Level.APICAL, Level.APEX)}


def _wall_ok(wall: str, facts_walls: set[str], segments: set[int]) -> bool:
    if wall in facts_walls:
        return True
    if wall == "apex" and segments & _APICAL_SEGMENTS:
        return True
    return bool(_WALL_FAMILY.get(wall, set()) & facts_walls)


def _mention_span(claims: Claims, sent: int, label: str, value: str) -> tuple[int, int]:
    for m in claims.mentions:
        if m.sent == sent and m.label == label and m.value == value:
            return (m.start, m.end)
    return claims.sentences[sent]


def _describe(pool: Iterable[DefectFact]) -> str:
    items = [d.describe() for d in pool]
    return "; ".join(items) if items else NO_SUPPORT


def check_location(text: str, claims: Claims, facts: Facts) -> list[Flag]:
    """Territory, wall, segment, severity, extent and reversibility of each stated defect."""
    out: list[Flag] = []
    for claim in claims.defects:
        if claim.certainty == "negated":
            out.extend(_negated_defect(claims, claim, facts))
            continue
        if facts.septal_motion_expected and (explained := _septum_by_conduction(claims, claim)):
            claim = dataclasses.replace(claim, walls=tuple(w for w in claim.walls if w not in explained))
        if claim.kind == "wall_motion":
            out.extend(_wall_motion_location(claims, claim, facts))
            continue
        pool = facts.defects + facts.equivocal
        if not pool:
            if claim.certainty == "uncertain" and facts.artifacts:
                out.extend(_artifact_place(claims, claim, facts))
                continue
            sev = FlagSeverity.WARNING if claim.certainty == "uncertain" else None
            out.append(
                make_flag(
                    F.FALSE_DEFECT,
                    "The text describes a perfusion defect; the study shows none.",
                    claim.span,
                    evidence="perfusion: no defect",
                    severity=sev,
                )
            )
            continue
        if (
            claim.trigger == "INFARCTION"
            and not facts.ischemia
            and claim.reversibility is not None
            and re.match(r"isch", claims.text[claim.reversibility[1] :], re.I)
        ):
            # "infarct with peri-infarct ischaemia" where the study has no ischemia: the ischemia statement says so
            claim = dataclasses.replace(claim, reversibility=None)
        # the grade of a reversible defect may be the amount of its ischemia ("moderate reversible inferior
        # defect" for an ischemic burden of 10.3 %, HACHAMOVITCH-2003 bands), as "moderate ischemia" may be the
        # grade of a moderate reversible defect (see _ischemia_grade)
        amount = (
            _ISCHEMIA_WORDS.get(facts.ischemic_category, {facts.ischemic_category})
            if facts.ischemic_category and facts.ischemia and not facts.ischemia_marginal
            else set()
        )
        out.extend(
            _defect_location(
                claims,
                claim,
                pool,
                facts.wall_motion,
                facts.ischemia_marginal,
                _summed_grade(facts),
                amount,
                facts.segment_scores,
            )
        )
    out.extend(_lead_groups(claims, facts))
    out.extend(_territory_called_normal(claims, facts))
    return out


# a coronary territory declared normal as a whole ("the RCA territory remains normal", "circumflex territory: normal"):
# the denial of any defect there (not "otherwise normal", which concedes one; not a flow or reserve called normal)
_TERRITORY_NORMAL = re.compile(
    r"(?:\s+territor(?:y|ies))?\s*(?::|\s(?:is|was|remains|remained|appears|appeared|looks|looked|stays|stayed))"
    r"\s+(?:(?:entirely|completely|perfectly|totally|still|now|again|quite)\s+)?"
    r"(?:normal(?:ly\s+perfused)?|unremarkable|free\s+of\s+(?:any\s+)?defects?)\b(?!\s+(?:flow|MFR|reserve|MBF))",
    re.I,
)


_PAST_VERB = re.compile(r"\b(?:was|remained|appeared|looked|stayed)\b", re.I)
_PRIOR_STUDY_NAMED = re.compile(
    r"\b(?:prior|previous(?:ly)?|earlier|before|then|last\s+(?:study|scan|time)|compared|comparison|(?:19|20)\d\d)\b",
    re.I,
)
_TERRITORY_AS_OBJECT = re.compile(r"\b(?:in|of|within|to|for|across|at)\s+(?:the\s+)?(?:stented\s+)?$", re.I)


def _territory_called_normal(claims: Claims, facts: Facts) -> list[Flag]:
    """A territory called normal as a whole where the study shows an affirmed defect in it (the "stented RCA territory
    remains normal" of a study with a reversible RCA defect): the denial of that defect."""
    out = []
    for m in claims.mentions:
        if m.label != "TERRITORY" or m.negated or m.uncertain or claims.in_prior(m.start):
            continue
        said = _TERRITORY_NORMAL.match(claims.text, m.end)
        if said is None or _TERRITORY_AS_OBJECT.search(claims.text, max(0, m.start - 20), m.start):
            continue  # "hyperemic MBF in the RCA is normal": the territory of a measure, which is what is normal
        if _PAST_VERB.search(said.group(0)) and _PRIOR_STUDY_NAMED.search(claims.sentence_text(m.sent)):
            continue  # "in 2023 the RCA territory was normal": the prior study's territory
        shown = [d for d in facts.defects if d.certainty == "affirmed" and d.territory == m.value]
        if shown:
            out.append(
                make_flag(
                    F.NEGATION_FLIP,
                    f"The text calls the {m.value} territory normal; the study shows a {shown[0].describe()}.",
                    (m.start, said.end()),
                    evidence=shown[0].describe(),
                )
            )
    return out


def _summed_grade(facts: Facts) -> str | None:
    """The grade of the study's summed stress score ("mild" for SSS 4-8, ASNC-SPECT-2018) where one defect makes
    it: the other convention a reader grades a single defect by."""
    sss = [
        float(f.value)
        for f in facts.quantities.get("sss", [])
        if f.phase != "prior" and isinstance(f.value, int | float)
    ]
    if len(facts.defects) != 1 or len(sss) != 1:
        return None
    category = DEFAULT_THRESHOLDS.sss_category(sss[0]).value
    return {"mildly abnormal": "mild", "moderately abnormal": "moderate", "severely abnormal": "severe"}.get(category)


# the conduction abnormality that moves the septum, or the motion it causes
_CONDUCTION = re.compile(r"\b(?:bundle branch|LBBB|paced|pacing|pacemaker|dyssynchron\w*|paradoxical)\b", re.I)
_SEPTAL_WALLS = frozenset(_WALL_FAMILY["septal"])
_NORMAL_CLAUSE = re.compile(r"\b(?:normal(?:ly)?|nl|preserved|intact|spared)\b", re.I)
_NAMES_DEFECT = re.compile(r"ischa?emi|defect|scar|infarct|reduc|hypo|akin|dyskin", re.I)


def _septum_by_conduction(claims: Claims, claim: DefectClaim) -> set[str]:
    """The septal walls a claim names only in clauses that put the septum's appearance down to the conduction
    abnormality the study records (LBBB, a paced rhythm, septal dyssynchrony): "septal dyssynchrony from the
    LBBB", "the septal motion abnormality is from the bundle branch block", "a septal defect LBBB may produce".
    A septal wall named anywhere else ("reversible septal defect; dyssynchrony from LBBB") is still checked."""
    a, b = claim.span
    if not _CONDUCTION.search(claims.text, a, b):
        return set()
    by_wall: dict[str, list[bool]] = {}
    for m in claims.mentions:
        if m.label == "WALL" and m.value in _SEPTAL_WALLS and a <= m.start < b:
            c0 = max(claims.text.rfind(ch, a, m.start) for ch in ",;:(") + 1
            ends = [i for i in (claims.text.find(ch, m.end, b) for ch in ",;:)") if i >= 0]
            clause = claims.text[max(a, c0) : min(ends) if ends else b]
            # a clause that calls the septum normal ("septal perfusion is preserved") places no defect either
            normal = _NORMAL_CLAUSE.search(clause) and not _NAMES_DEFECT.search(clause)
            by_wall.setdefault(str(m.value), []).append(bool(_CONDUCTION.search(clause) or normal))
    return {w for w, explained in by_wall.items() if all(explained)}


# The leads of each group a text names ST changes in (AHA-ECG-2009: inferior II, III, aVF; lateral I, aVL, V5,
# V6; septal V1, V2; anterior V3, V4)
_LEAD_GROUPS = {
    "inferior": {"II", "III", "AVF"},
    "lateral": {"I", "AVL", "V5", "V6"},
    "septal": {"V1", "V2"},
    "anterior": {"V1", "V2", "V3", "V4"},
    "anteroseptal": {"V1", "V2", "V3", "V4"},
    "anterolateral": {"I", "AVL", "V3", "V4", "V5", "V6"},
    "inferolateral": {"II", "III", "AVF", "V5", "V6"},
    "precordial": {"V1", "V2", "V3", "V4", "V5", "V6"},
    "limb": {"I", "II", "III", "AVR", "AVL", "AVF"},
}
_GROUP = "|".join(_LEAD_GROUPS)
_LEAD_GROUP = re.compile(rf"\b({_GROUP})(?:\s*(?:,|and|&|/)\s*({_GROUP}))?\s+(?:ECG\s+)?leads\b", re.I)
_LEADS_DENIED = denial.before("ecg_leads")
# ... or after them: "the precordial leads did not change", "the lateral leads stayed unchanged", and the leads
# called free of change ("lateral leads clean", "the inferior leads were normal", "lateral leads negative")
_LEADS_UNCHANGED_AFTER = re.compile(
    r"\s+(?:(?:did|do|does)\s+not|didn't|don't|doesn't)\s+change\b"
    r"|\s+(?:were|was|remained|stayed)\s+unchanged\b|\s+(?:showed|had)\s+no\s+(?:ST\s+)?changes?\b"
    r"|\s*(?:[:=]\s*|\s(?:(?:are|were|was|is|remained|stayed|looked|appeared)\s+)?(?:entirely\s+|completely\s+)?)"
    r"(?:clean|clear|normal|negative|unremarkable|isoelectric|quiet|free\s+of\s+(?:ST\s+)?(?:changes?|depression))\b",
    re.I,
)
# leads named one by one or as a precordial range ("V1-V3", "V4 to V6", "II, III and aVF"); a limb lead in Roman
# numerals only beside another lead or after "lead(s)" ("I" alone is a pronoun)
_PRECORDIAL_RANGE = re.compile(r"\bV([1-6])\s*(?:-|\u2013|to|through)\s*V?([1-6])\b", re.I)
_NAMED_LEAD = re.compile(
    r"\b(V[1-6]|aV[FLR])\b|(?:\bleads?\s+|(?<=,)\s*|(?<=,\s)|(?<=\band\s))(III|II|I)\b(?=\s*(?:,|and\b|/|$|\.|;|aV|\)))"
    r"|\b(III|II)\b(?=\s*(?:,|/)\s*(?:III|II|aV[FLR])\b)",
)
_ST_WORDS = re.compile(r"\bST\b|\bSTD\b|\bSTE\b", re.I)


def _named_leads(sentence: str) -> set[str]:
    """The leads a sentence names explicitly, ranges expanded (``V1-V3``: V1, V2, V3)."""
    out: set[str] = set()
    for m in _PRECORDIAL_RANGE.finditer(sentence):
        lo, hi = sorted((int(m.group(1)), int(m.group(2))))
        out |= {f"V{i}" for i in range(lo, hi + 1)}
    for m in _NAMED_LEAD.finditer(sentence):
        out.add((m.group(1) or m.group(2) or m.group(3)).upper())
    return out


# grades a reader may give a count reduction the software scored normal (score 0; ASNC-SPECT-2018 5-point scale)
_UNSCORED_GRADES = frozenset({"minimal", "mild", "slight", "subtle"})


def _artifact_place(claims: Claims, claim: DefectClaim, facts: Facts) -> list[Flag]:
    """A count reduction the text reads as an artifact, where the study has no defect: its walls are the recorded
    artifact's, and where the software scored those segments normal it is at most mild."""
    walls = {w for a in facts.artifacts for w in a.walls}
    if not walls:
        return []
    evidence = "; ".join(f"{a.certainty} artifact ({', '.join(a.walls)})" for a in facts.artifacts)
    out = [
        make_flag(
            F.WALL,
            f"The text places the artifact in the {w} wall; the study records it in the {', '.join(sorted(walls))}.",
            _mention_span(claims, claim.sent, "WALL", w),
            evidence=evidence,
        )
        for w in claim.walls
        if not _wall_ok(w, walls, set())
    ]
    if out or not facts.segment_scores or any(sc for sc, _ in facts.segment_scores.values()):
        return out
    for word, span in zip(
        claim.severities, claim.severity_spans or (claim.span,) * len(claim.severities), strict=False
    ):
        if word not in _UNSCORED_GRADES:
            out.append(
                make_flag(
                    F.SEVERITY,
                    f"The text calls the count reduction {word}; every segment is scored normal.",
                    span,
                    evidence=evidence,
                )
            )
            break
    return out


def _noted_st_leads(facts: Facts) -> tuple[str, ...]:
    """The ST leads of the ECG finding, or else those a stress note names beside an ST change ("1.5 mm upsloping
    ST depression V4-V6 in recovery only"): the record's free text places the change where no field does."""
    if facts.st_leads:
        return facts.st_leads
    named: set[str] = set()
    for note in facts.stress_notes:
        for clause in re.split(r"[;,](?![^(]*\))", note):
            if _ST_WORDS.search(clause) and not _NOTE_DENIES.search(clause):  # not "no ST change in V1-V6"
                named |= _named_leads(clause)
    return tuple(sorted(named, key=_LEAD_ORDER.index)) if named <= set(_LEAD_ORDER) else ()


_NOTE_DENIES = re.compile(r"\b(?:no|not|none|without)\b", re.I)
_LEAD_ORDER = ("I", "II", "III", "AVR", "AVL", "AVF", "V1", "V2", "V3", "V4", "V5", "V6")


def _recovery_st_noted(facts: Facts) -> str | None:
    """The clause of a stress note that records an ST change in recovery, not denied ("1.5 mm upsloping ST
    depression V4-V6 in recovery only"), where no exercise-phase ST deviation was measured."""
    if facts.st_leads or any(f.value for f in facts.quantities.get("st_deviation", [])):
        return None
    for note in facts.stress_notes:
        if not _RECOVERY_PHASE.search(note):
            continue
        for clause in re.split(r"[;,](?![^(]*\))", note):
            if _ST_WORDS.search(clause) and not _NOTE_DENIES.search(clause):
                return clause.strip()
    return None


def _recovery_told(text: str) -> bool:
    """Whether a sentence of the text speaks of the ECG (or a change of it) in recovery."""
    return any(
        _RECOVERY_PHASE.search(sentence) and _ECG_OF_RECOVERY.search(sentence)
        for sentence in re.split(r"(?<=[.;!?])\s+|\n", text)
    )


_ECG_OF_RECOVERY = re.compile(r"\bST\b|\bSTD\b|\bECG\b|\bEKG\b|electrocardiog\w*|\bchange\b", re.I)


def _lead_groups(claims: Claims, facts: Facts) -> list[Flag]:
    """ST changes placed in a lead group that holds none of the study's ST leads."""
    st_leads = _noted_st_leads(facts)
    leads = {x.upper() for x in st_leads}
    if not leads:
        return []
    out: list[Flag] = []
    for hit in _LEAD_GROUP.finditer(claims.text):
        s0 = claims.sentences[_sentence_of(claims, hit.start())][0]
        if (
            _LEADS_DENIED.search(claims.text[s0 : hit.start()])
            or _LEADS_UNCHANGED_AFTER.match(claims.text, hit.end())
            or claims.in_prior(hit.start())
        ):
            continue
        for g in (x for x in hit.groups() if x):
            if not _LEAD_GROUPS[g.lower()] & leads:
                out.append(
                    make_flag(
                        F.WALL,
                        f"The text places the ST changes in the {g.lower()} leads; they were recorded in "
                        f"{', '.join(st_leads)}.",
                        hit.span(),
                        evidence=f"ST leads: {', '.join(st_leads)}",
                    )
                )
                break
    if out:
        return out
    # leads named one by one: ST changes in leads none of which recorded them ("ST depression in V1-V3" where it
    # was in II, III, aVF and V4-V6); a reader may name fewer leads than were recorded, not others
    # (clause by clause: "no ST change during exercise; 1.5 mm ST depression in V5-V6 in recovery" denies the one,
    # places the other)
    clauses = [
        (s0 + m.start(), s0 + m.end()) for s0, s1 in claims.sentences for m in re.finditer(r"[^;]+", claims.text[s0:s1])
    ]
    for s0, s1 in clauses:
        sentence = claims.text[s0:s1]
        if not _ST_WORDS.search(sentence) or claims.in_prior(s0):
            continue
        named = _named_leads(sentence)
        if named and not named & leads and not _LEADS_DENIED.search(sentence):
            out.append(
                make_flag(
                    F.WALL,
                    f"The text places the ST changes in {', '.join(sorted(named))}; they were recorded in "
                    f"{', '.join(st_leads)}.",
                    (s0, s1),
                    evidence=f"ST leads: {', '.join(st_leads)}",
                )
            )
    return out


def _sentence_of(claims: Claims, pos: int) -> int:
    return next((i for i, (a, b) in enumerate(claims.sentences) if a <= pos < b), len(claims.sentences) - 1)


def _told_as_one(claim: DefectClaim, matched: list[DefectFact]) -> list[DefectFact]:
    """The defects of two or more territories that the claim describes as one defect, by naming each one's territory
    ("a large defect ..., RCA and LCx territories") or a wall of each ("a large fixed inferior and inferolateral
    scar"): the rules split a defect at the territories' borders, a reader need not. Empty where it names one."""
    defects = [d for d in matched if d.kind == "defect"]
    if len({d.territory for d in defects}) < 2:
        return []
    if len(claim.territories) >= 2:
        return defects
    each_walled = all(any(_wall_ok(w, set(d.walls), set(d.segments)) for w in claim.walls) for d in defects)
    return defects if len(claim.walls) >= 2 and each_walled else []


def _joint_reversibility(
    defects: list[DefectFact], segment_scores: dict[int, tuple[int, frozenset[int]]]
) -> str | None:
    """The reversibility of defects described as one, read as the rules read a defect (reporter.domain.rules.Defect)
    on all their segments together: two scars of one grade's improvement each are, together, a scar with ischemia
    at the SDS threshold (HACHAMOVITCH-2003: SDS >= 2), "a fixed defect with a rim of reversible ischemia"."""
    segments = sorted({n for d in defects for n in d.segments})
    territory = defects[0].territory if defects else None
    if not segments or territory is None or any(not segment_scores.get(n, (0, frozenset()))[1] for n in segments):
        return None
    t = DEFAULT_THRESHOLDS
    joint = Defect(
        territory=Territory(territory),
        segments=tuple(segments),
        stress_scores=tuple(segment_scores[n][0] for n in segments),
        rest_scores=tuple(min(segment_scores[n][1]) for n in segments),
        abnormal_min=t.defect_min_segment_score,
        ischemia_min_difference=t.ischemia_min_sds,
    )
    return joint.reversibility.value if joint.reversibility else None


def _joint_extents(claim: DefectClaim, matched: list[DefectFact]) -> set[str]:
    """The extent of contiguous defects the text describes as one ("a large defect of the inferior and inferolateral
    walls, RCA and LCx territories"): its segments counted together and its summed stress scores added (% of the
    LV, score / 68), by both conventions of ASNC-SPECT-2018 (segment count; ASNC-REPORTING-2009 % of the LV)."""
    defects = _told_as_one(claim, matched)
    if not defects:
        return set()
    t = DEFAULT_THRESHOLDS
    by_count = t.extent_by_segments(len({s for d in defects for s in d.segments})).value
    summed = sum(d.summed_stress for d in defects)
    return {by_count} | ({t.extent_by_percent(100 * summed / MAX_SUMMED_SCORE).value} if summed else set())


# the extent words of a range said as one ("small-to-medium", "moderate to large"): the scale's categories
# (ASNC-REPORTING-2009: small, medium, large)
_EXTENT_WORD = re.compile(
    r"\b(?:(?P<small>small)|(?P<medium>medium|moderate|intermediate)|(?P<large>large|extensive))\b", re.I
)


def _defects_of_walls(claim: DefectClaim, matched: list[DefectFact]) -> list[DefectFact]:
    """Of several defects of one territory, those whose walls the claim names ("a large LAD defect, anterior and
    anteroseptal" where the LAD has a large anterior defect and a small apical scar): the defects its extent is of;
    all of them where the claim names no wall, or a wall none or all of them hold."""
    if len(matched) < 2 or not claim.walls:
        return matched
    named = [d for d in matched if any(_wall_ok(w, set(d.walls), set(d.segments)) for w in claim.walls)]
    covered = all(any(_wall_ok(w, set(d.walls), set(d.segments)) for d in named) for w in claim.walls)
    return named if named and covered else matched


def _range_extents(text: str, claim: DefectClaim) -> set[str]:
    """The extents a range of the claim's extent names ("medium-to-large": medium and large); one word, none."""
    assert claim.extent is not None
    words = {m.lastgroup for m in _EXTENT_WORD.finditer(text, claim.extent[1], claim.extent[2]) if m.lastgroup}
    return words if len(words) > 1 else set()


def _severity_flag(word: str, defects: Sequence[DefectFact], span: tuple[int, int]) -> Flag:
    """A defect called ``word`` where the study grades ``defects`` otherwise."""
    return make_flag(
        F.SEVERITY,
        f"The text calls the defect {word}; the study grades it "
        f"{' or '.join(sorted({str(d.severity or '') for d in defects}))}.",
        span,
        evidence=_describe(defects),
    )


def _defect_location(
    claims: Claims,
    claim: DefectClaim,
    pool: list[DefectFact],
    wall_motion: list[DefectFact],
    facts_marginal: bool = False,
    summed_grade: str | None = None,
    ischemic_amount: set[str] | frozenset[str] = frozenset(),
    segment_scores: dict[int, tuple[int, frozenset[int]]] | None = None,
) -> list[Flag]:
    out: list[Flag] = []
    evidence = _describe(pool)
    known_territories = {d.territory for d in pool}
    for t in claim.territories:
        if t not in known_territories:
            out.append(
                make_flag(
                    F.TERRITORY,
                    f"The text places a defect in the {t} territory; the study has none there.",
                    _mention_span(claims, claim.sent, "TERRITORY", t),
                    evidence=evidence,
                )
            )
    # ischemia placed in a territory whose defect is fixed, where the clause names no scar ("new ischaemia in the
    # LCx and RCA territories" when the RCA defect is a scar)
    scar_named = any(
        m.label == "INFARCTION" or (m.label == "REVERSIBILITY" and m.value == "fixed")
        for m in claims.mentions
        if claim.span[0] <= m.start < claim.span[1]
    )
    if claim.trigger == "ISCHEMIA" and not scar_named and not out:
        for t in claim.territories:
            there = [d for d in pool if d.territory == t]
            if there and all(d.reversibility == Reversibility.FIXED for d in there):
                out.append(
                    make_flag(
                        F.TERRITORY,
                        f"The text places ischemia in the {t} territory; its defect there is fixed (scar).",
                        _mention_span(claims, claim.sent, "TERRITORY", t),
                        evidence=evidence,
                    )
                )
    matched = [d for d in pool if d.territory in claim.territories]
    if not matched:
        # a wall named in a wider word than the rules' ("septal" for anteroseptal and inferoseptal regions)
        matched = (
            [d for d in pool if any(_wall_ok(w, set(d.walls), set(d.segments)) for w in claim.walls)]
            if claim.walls
            else list(pool)
        )
    walls = {w for d in (matched or pool) for w in d.walls}
    segs = {s for d in (matched or pool) for s in d.segments}
    if claim.with_wall_motion:  # "fixed inferior defect with akinesis of the inferior wall"
        walls |= {w for d in wall_motion for w in d.walls}
        segs |= {s for d in wall_motion for s in d.segments}
    # the walls of mildly reduced (score-1) regions: "a minor extension into the anterolateral wall" names them
    equivocal = [d for d in pool if d.kind == "equivocal"]
    for w in claim.walls:
        if not _wall_ok(w, walls, segs):
            out.append(
                make_flag(
                    F.WALL,
                    f"The text names the {w} wall; the defect involves {', '.join(sorted(walls))}"
                    + (
                        " (mildly reduced, score-1 segments there)."
                        if (mild := any(_wall_ok(w, set(d.walls), set(d.segments)) for d in equivocal))
                        else "."
                    ),
                    _mention_span(claims, claim.sent, "WALL", w),
                    evidence=evidence,
                    severity=FlagSeverity.WARNING if mild else None,
                )
            )
    if not out and len(claim.territories) > 1:
        out.extend(_paired_walls(claims, claim, pool, evidence))
    all_segs = {s for d in pool for s in d.segments}
    out.extend(_segment_flags(claims, claim, segs if matched else all_segs, evidence))
    if out or not matched:
        return out
    severities = {s for d in matched for s in d.severity_range}
    if summed_grade in {g.value for d in matched for g in d.segment_grades}:
        # segments of 2, 1, 2 with SSS 5: "mild" by the summed score, a grade one of its segments holds
        severities.add(summed_grade)
    if _graded_as_ischemia(claims, claim, matched):
        severities |= ischemic_amount
    at_rest: set[str] = set()
    stress_grades = set(severities)
    if _AT_REST.search(claims.text, *claim.span):
        # "a mild residual defect at rest": the rest images' grade of the same segments
        at_rest = {g.value for d in matched for g in d.rest_grades}
        severities |= at_rest
    span_ = {s for d in matched for s in d.severity_span}
    # a range ("mild to severe") may reach the mildest segment if it holds a grade a reader may give alone
    ranged = len(claim.severities) > 1 and bool(set(claim.severities) & severities)
    spans = claim.severity_spans or ((claim.span),) * len(claim.severities)
    residual_spans = {span for span in spans if _RESIDUAL_GRADE.search(claims.text, max(0, span[0] - 12), span[1] + 12)}
    # the grades are read once each; with a residual among them, each span's own word is read
    pairs = (
        [(word, (a, b)) for a, b in spans if (word := grade_of(claims.text[a:b])) is not None]
        if residual_spans and len(spans) > 1
        else list(zip(claim.severities, spans, strict=False))
    )
    for word, span in pairs:
        if at_rest and span in residual_spans:
            if word in at_rest:
                continue  # "minimal residual reduction" beside a severe stress defect: the rest grade, not a range
        elif at_rest and residual_spans and word not in stress_grades:
            if len(ends := _range_grades(claims.text[span[0] : span[1]])) > 1 and ends <= set(span_):
                continue  # "moderately to severely reduced on stress": a range its segments span
            # the other grade of a defect told with its residual at rest is the stress images' grade
            out.append(_severity_flag(word, matched, span))
            break
        if MAX_SEVERITY_LABEL.search(claims.text, max(0, span[0] - 30), span[0]):
            # "maximal severity: mildly reduced uptake": the grade of its worst segment, not a range's end
            worst = {max(d.segment_grades, key=list(Severity).index).value for d in matched if d.segment_grades}
            if worst and word not in worst:
                out.append(_severity_flag(word, matched, span))
                break
            continue
        if _GRADES_SEGMENTS.match(claims.text, span[1]) and word in {
            g.value for d in matched for g in d.segment_grades
        }:
            continue  # "moderately reduced segments": the grade of some of its segments, not of the whole defect
        if (
            ischemic_amount
            and any(d.reversibility == Reversibility.PARTIALLY_REVERSIBLE for d in matched)
            and _nearest_finding(claims, claim, span) == "ISCHEMIA"
        ):
            # "the peri-infarct ischemia ... is real even if mild": the grade of the ischemic part of a scar, its amount
            if word in ischemic_amount:
                continue
            out.append(
                make_flag(
                    F.SEVERITY,
                    f"The text calls the ischemia {word}; the study grades its amount "
                    f"{' or '.join(sorted(ischemic_amount))}.",
                    span,
                    evidence=_describe(matched),
                )
            )
            break
        if word in _named_segment_grades(claims, claim, span, segment_scores or {}):
            continue  # "the basal anteroseptal segments ... moderately reduced": the grade of the segments it names
        own = _own_territory_severities(claims, claim, span, matched)
        if own is not None and word not in own[0]:
            out.append(_severity_flag(word, [d for d in matched if d.territory in own[1]], span))
            break
        if severities and word not in (span_ if ranged else severities):
            out.append(_severity_flag(word, matched, span))
            break
    # an equivocal region (score-1 segments) may be described as a small, mild defect (see _EQUIVOCAL_WORDS)
    sized = _defects_of_walls(claim, matched)
    extents = (
        {e for d in sized for e in d.extents}
        | {d.extent or ("small" if d.kind == "equivocal" else None) for d in sized}
        | _joint_extents(claim, sized)
    )
    ranged_extents = _range_extents(claims.text, claim) if claim.extent is not None else set()
    if claim.extent is not None and claim.extent[0] not in extents and not ranged_extents & extents:
        value, a, b = claim.extent
        out.append(
            make_flag(
                F.EXTENT,
                f"The text calls the defect {value}; the study grades it "
                f"{' or '.join(sorted({e for e in extents if e}) or ['n/a'])}.",
                (a, b),
                evidence=_describe(matched),
            )
        )
    # defects described as one are read together too ("fixed inferior and inferolateral scar, a rim of ischaemia")
    joint = _joint_reversibility(_told_as_one(claim, sized), segment_scores or {})
    joint_reversibility = {joint} if joint is not None else set()
    dominant = _dominant_part_denied(claims, claim, matched)
    if dominant is not None:
        assert claim.reversibility is not None
        out.append(
            make_flag(
                F.REVERSIBILITY,
                f"The text calls the defect mostly {dominant[0]}; the study's partially reversible defect is mostly "
                f"{dominant[1]} (its reversible part is {dominant[2]:.0%} of its stress grades).",
                claim.reversibility[1:],
                evidence=_describe(matched),
            )
        )
    elif (
        claim.reversibility is not None
        and not _reversibility_fits(claims, claim, {d.reversibility for d in matched} | joint_reversibility)
        and not _reversing_component(claims, claim, matched)
    ):
        value, a, b = claim.reversibility
        shown = " or ".join(sorted({d.reversibility or "not assessable" for d in matched}))
        # rest scores of 1 left in a reversible defect: "partially reversible" is a reading, not an error;
        # so is "fixed" for a partially reversible defect whose ischemia is below the SDS threshold
        residual = value == "partially reversible" and any(d.residual_rest for d in matched)
        marginal = (
            # "an infarct with minimal peri-infarct ischemia" where the study's ischemia is below the SDS threshold
            value == "partially reversible" and facts_marginal
        ) or (
            value == "fixed"
            and facts_marginal
            # a "reversible" defect whose rest scores stay above zero is a partial reversal too (stress 2 -> rest 1)
            and all(d.reversibility == "partially reversible" or d.residual_rest for d in matched)
        )
        out.append(
            make_flag(
                F.REVERSIBILITY,
                f"The text calls the defect {value}; the study shows it {shown}"
                + (" (its rest scores are below the defect threshold)." if residual else "")
                + (" (its ischemia is below the ischemia threshold of the SDS)." if marginal and not residual else "")
                + ("" if residual or marginal else "."),
                (a, b),
                evidence=_describe(matched),
                severity=FlagSeverity.WARNING if residual or marginal else None,
            )
        )
    return out


# segments named by level and wall (AHA 17-segment names), levels coordinated before one wall ("the mid and apical
# anterior walls", "basal anterior, basal anteroseptal and mid anteroseptal segments"), and the apex (segment 17)
_LEVELS = r"(?:basal|basilar|mid(?:-?ventricular)?|apical)"
_NAMED_SEGMENTS = re.compile(
    rf"\b(?P<levels>{_LEVELS}(?:\s*(?:,|/|&|\band\b|\bor\b)\s*{_LEVELS})*)[\s-]+"
    r"(?P<wall>anteroseptal|inferoseptal|anterolateral|inferolateral|anterior|inferior|septal|lateral)\b|\b(?P<apex>apex)\b",
    re.I,
)
# the phase a segment grade is of, named right after it ("moderately reduced stress and mildly reduced rest uptake")
_GRADE_PHASE_AFTER = re.compile(
    r"[\s-]+(?:(?:reduced|decreased|diminished|low)\s+)?(?:(?:at|on|in)\s+)?(?P<phase>rest(?:ing)?|redistribution)\b",
    re.I,
)


def _named_segment_grades(
    claims: Claims, claim: DefectClaim, span: tuple[int, int], scores: dict[int, tuple[int, frozenset[int]]]
) -> set[str]:
    """The grade every segment a claim names by level and wall shares, at stress or, for a grade said of the rest
    images, at rest: what a grade beside named segments grades (empty where it names none, or segments of
    different grades: a list of segments graded "mild" names no mild defect where only one of them is)."""
    numbers: set[int] = set()
    for hit in _NAMED_SEGMENTS.finditer(claims.text, *claim.span):
        if hit.group("apex"):
            numbers.add(17)
            continue
        wall = hit.group("wall")
        for level in re.findall(_LEVELS, hit.group("levels"), re.I):
            if (n := segment_named(level, wall)) is not None:
                numbers.add(n)
    at_rest = _GRADE_PHASE_AFTER.match(claims.text, span[1]) is not None
    shared: set[str | None] | None = None
    for n in numbers & scores.keys():
        stress, rest = scores[n]
        own = {score_grade(r) for r in rest} if at_rest else {score_grade(stress)}
        shared = own if shared is None else shared & own
    return {g for g in shared or () if g is not None}


def _nearest_finding(claims: Claims, claim: DefectClaim, span: tuple[int, int]) -> str | None:
    """The label of the stated finding (defect, ischemia, scar) of the claim nearest to a grade word: the one
    the grade is said of."""
    found = [
        m
        for m in claims.mentions
        if m.label in ("DEFECT", "ISCHEMIA", "INFARCTION")
        and not m.negated
        and claim.span[0] <= m.start < claim.span[1]
    ]
    near = min(found, key=lambda m: max(m.start - span[1], span[0] - m.end, 0), default=None)
    return near.label if near is not None else None


def _range_grades(words: str) -> set[str]:
    """The grades of the ends of a range of grades ("moderately to severely": moderate and severe)."""
    return {g for part in re.split(r"\s*(?:-|\bto\b|/)\s*", words) if (g := grade_of(part)) is not None}


# a grade word that grades segments, not the defect ("in moderately reduced segments", "severe segments")
_GRADES_SEGMENTS = re.compile(r"[\s-]*(?:(?:reduced|decreased|diminished|hypoperfused|abnormal)\s+)?segments\b", re.I)


# a grade word next to one territory of several ("mild reversible LAD defect plus moderate LCx defect", "the LAD
# (moderate) and circumflex (mild) territories") grades that territory's defect, not another's
_OWN_TERRITORY_REACH = 25
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
_OWN_GAP_AFTER = re.compile(r"^[^();,.]*$")
_OWN_GAP_BEFORE = re.compile(r"^\s*(?:territory\s*)?[(:]\s*$", re.I)


def _own_territory_severities(
    claims: Claims, claim: DefectClaim, span: tuple[int, int], matched: list[DefectFact]
) -> tuple[set[str], set[str]] | None:
    """The grades a reader may give the defect of the one territory a grade word of a claim of several
    territories stands next to, and that territory; None when the word stands by no one territory."""
    if len(claim.territories) < 2 or span == claim.span:
        return None
    a, b = claims.sentences[claim.sent]
    if _RESPECTIVELY.search(claims.text, a, b):
        return None
    places = [m for m in claims.mentions if m.label == "TERRITORY" and claim.span[0] <= m.start < claim.span[1]]
    text = claims.text
    near = [
        m.value
        for m in places
        # the territory the word grades: next after it in the same phrase ("mild reversible LAD defect"), or
        # right before it, its grade in parentheses or after a colon ("LAD (moderate)", "LAD: mild")
        if (
            m.start >= span[1]
            and m.start - span[1] <= _OWN_TERRITORY_REACH
            and _OWN_GAP_AFTER.match(text[span[1] : m.start])
        )
        or (m.end <= span[0] and _OWN_GAP_BEFORE.match(text[m.end : span[0]]))
    ]
    if len(set(near)) != 1:
        return None
    territory = str(near[0])
    pool = [d for d in matched if d.territory == territory]
    if not pool:
        return None
    return {g for d in pool for g in d.severity_range}, {territory}


_INTENSITY_AFTER = re.compile(r"[\s-]*(?:in\s+)?(?:severity|intensity)\b", re.I)


def _graded_as_ischemia(claims: Claims, claim: DefectClaim, matched: list[DefectFact]) -> bool:
    """Whether the claim's grade may be the amount of ischemia: a defect stated reversible (or as ischemia) whose
    study defects are all reversible, graded without "severity" or "intensity" after the word."""
    stated = claim.trigger == "ISCHEMIA" or (claim.reversibility is not None and claim.reversibility[0] == "reversible")
    return (
        stated
        and bool(matched)
        and all(d.reversibility == Reversibility.REVERSIBLE for d in matched)
        and not any(_INTENSITY_AFTER.match(claims.text, b) for _, b in claim.severity_spans)
    )


# "largely fills in", "predominantly reversible", "mostly fixed": a hedge between the word and partial reversal
_MOSTLY_HEDGE = re.compile(
    r"\b(?:predominantly|mostly|largely|mainly|almost|nearly|essentially|virtually|substantially)\b", re.I
)


# a defect described on the rest images ("residual defect at rest", "on the rest images", "the rest defect")
# a grade word said of what stays at rest ("minimal residual reduction", "residual mild defect")
_RESIDUAL_GRADE = re.compile(r"\bresidual\b", re.I)
_AT_REST = re.compile(
    r"\b(?:at|on|in)\s+(?:the\s+)?(?:rest|redistribution)\b(?!\s+(?:ECG|EKG|heart|HR|BP))|"
    r"\b(?:rest|resting|redistribution)\s+(?:images?|imaging|defects?|perfusion)\b",
    re.I,
)


# the share of a partially reversible defect's stress grades that reverses at rest beyond which one part clearly
# dominates: below a third the defect is mostly fixed, above two thirds mostly reversible; between, either reading
_MOSTLY_FIXED_BELOW = 1 / 3
_MOSTLY_REVERSIBLE_ABOVE = 2 / 3


def _dominant_part_denied(
    claims: Claims, claim: DefectClaim, matched: list[DefectFact]
) -> tuple[str, str, float] | None:
    """("reversible", "fixed", share) where the text hedges a partially reversible defect as mostly one part
    ("predominantly reversible", "mostly fixed") and the study's defect is clearly mostly the other: the summed
    grades of its segments at stress against those left at rest (mild 1 ... absent 4, as segment scores)."""
    if claim.reversibility is None or claim.reversibility[0] != "partially reversible" or not matched:
        return None
    if any(d.reversibility != Reversibility.PARTIALLY_REVERSIBLE or not d.segment_grades for d in matched):
        return None
    c0, c1 = claim.span
    said = {
        m.value
        for m in claims.mentions
        if m.label == "REVERSIBILITY"
        and c0 <= m.start < c1
        and m.value in ("fixed", "reversible")
        and _MOSTLY_HEDGE.search(claims.text[max(0, m.start - 20) : m.end])
    }
    if len(said) != 1:
        return None
    rank = {g: i for i, g in enumerate(_GRADE_ORDER)}
    stress = sum(rank[str(g)] for d in matched for g in d.segment_grades)
    rest = sum(rank[str(g)] for d in matched for g in d.rest_grades)
    share = max(0.0, (stress - rest) / stress) if stress else 0.0
    word = said.pop()
    if word == "reversible" and share < _MOSTLY_FIXED_BELOW:
        return ("reversible", "fixed", share)
    if word == "fixed" and share > _MOSTLY_REVERSIBLE_ABOVE:
        return ("fixed", "reversible", share)
    return None


def _reversibility_fits(claims: Claims, claim: DefectClaim, shown: set[str | None]) -> bool:
    """Whether the reversibility a defect claim states is one the study's defect may be read as."""
    assert claim.reversibility is not None
    value = claim.reversibility[0]
    if value in shown:
        return True
    text = claims.text
    c0, c1 = claim.span
    hedged = [
        m
        for m in claims.mentions
        if m.label == "REVERSIBILITY"
        and c0 <= m.start < c1
        and _MOSTLY_HEDGE.search(text[max(0, m.start - 20) : m.end])
    ]
    if value == "partially reversible" and hedged:
        return {m.value for m in hedged} <= shown
    # "predominantly fixed", "essentially fixed" or "mostly reversible" for a partial reversal: the hedge says
    # which part dominates
    if hedged and shown == {Reversibility.PARTIALLY_REVERSIBLE} and any(m.value == value for m in hedged):
        return True
    # the infarct of a partially reversible defect is its fixed part: "fixed LAD infarct with peri-infarct
    # ischemia" names both parts; so does a fixed defect followed, in the same sentence or the clause a semicolon
    # joins to it, by its reversible part ("fixed anterior defect (LAD infarct); mild reversible peri-infarct
    # component")
    if value != "fixed" or shown != {Reversibility.PARTIALLY_REVERSIBLE}:
        return False
    if _WHOLLY_BEFORE.search(text, max(0, claim.reversibility[1] - 20), claim.reversibility[1]):
        return False  # "entirely fixed", "completely fixed": the whole defect, not the fixed part of a partial one
    if claim.trigger == "INFARCTION":
        return any(st.concept == "ischemia" and st.present and st.sent == claim.sent for st in claims.statements)
    joined = {claim.sent}
    if claims.sentence_text(claim.sent).rstrip().endswith(";"):
        joined.add(claim.sent + 1)
    return any(
        st.concept == "ischemia" and st.present and st.sent in joined and st.span[0] > claim.reversibility[1]
        for st in claims.statements
    )


# a reversibility said of the whole defect ("entirely fixed", "completely non-reversible")
_WHOLLY_BEFORE = re.compile(r"\b(?:entirely|completely|totally|purely|wholly|fully|100\s*%)\s+$", re.I)


# the reversible part of a defect named as such ("a minor peri-infarct reversible component", "reversible portion")
_REVERSING_PART = re.compile(
    r"\b(?:reversib\w*|ischa?emic|inducible)\s+(?:[\w-]+\s+)?(?:component|part|portion|element|fraction|rim)\b|"
    r"\bperi-?\s?infarct\w*\s+(?:[\w-]+\s+)?(?:reversib\w*|ischa?emi\w*)",
    re.I,
)
_GRADE_ORDER = ("normal", "mild", "moderate", "severe", "absent")


def _reversing_component(claims: Claims, claim: DefectClaim, matched: list[DefectFact]) -> bool:
    """A reversible component (or peri-infarct reversibility) of a defect the rules read as fixed, where one of
    its segments does improve at rest (a grade lower on the rest images than at stress): a part of the defect
    reverses, as the text says, though below what makes the defect reversible."""
    assert claim.reversibility is not None
    if claim.reversibility[0] not in ("reversible", "partially reversible") or not matched:
        return False
    # the reversibility word is the part's own ("reversible component"), not a full reversal told beside it ("the
    # segments fully normalize at rest, some peri-infarct ischaemia")
    c0, c1 = claim.span
    words = [(m.start, m.end) for m in claims.mentions if m.label == "REVERSIBILITY" and c0 <= m.start < c1]
    parts = [p.span() for p in _REVERSING_PART.finditer(claims.text, c0, c1)]
    if not any(p0 <= a < p1 for p0, p1 in parts for a, _ in words):
        return False
    # the grades' scores summed (a segment normal at rest has no rest grade): lower at rest where a part reverses
    rank = {g: i for i, g in enumerate(_GRADE_ORDER)}
    return any(sum(rank[str(g)] for g in d.segment_grades) > sum(rank[str(g)] for g in d.rest_grades) for d in matched)


def _paired_walls(claims: Claims, claim: DefectClaim, pool: list[DefectFact], evidence: str) -> list[Flag]:
    """In a sentence naming several territories, the walls written beside one territory ("anterior and
    apical (LAD), inferior (RCA)"; "in the LAD territory (anterior, apex)") against that territory's defect."""
    a, b = claim.span
    text = claims.text
    ms = [m for m in claims.mentions if a <= m.start < b and m.label in ("WALL", "TERRITORY")]
    out: list[Flag] = []
    for open_, close in _paren_spans(text, a, b):
        inside = [m for m in ms if open_ < m.start < close]
        terrs = [m for m in inside if m.label == "TERRITORY"]
        walls = [m for m in inside if m.label == "WALL"]
        if len(terrs) == 1 and not walls:  # "anterior and apical (LAD)": walls since the last boundary
            start = max(max(text.rfind(ch, a, open_) for ch in ",;:)") + 1, a)
            walls = [m for m in ms if m.label == "WALL" and start <= m.start < open_]
            territory = terrs[0].value
        elif walls and not terrs:  # "in the LAD territory (anterior, apex)"
            before = [m for m in ms if m.label == "TERRITORY" and m.end <= open_ and open_ - m.end <= 12]
            if not before:
                continue
            territory = before[-1].value
        else:
            continue
        own = [d for d in pool if d.territory == territory]
        if not own:
            continue
        known = {w for d in own for w in d.walls}
        segs = {s for d in own for s in d.segments}
        for w in walls:
            if not _wall_ok(w.value or "", known, segs):
                out.append(
                    make_flag(
                        F.WALL,
                        f"The text names the {w.value} wall for the {territory} territory; its defect involves "
                        f"{', '.join(sorted(known))}.",
                        (w.start, w.end),
                        evidence=evidence,
                    )
                )
    return out


def _paren_spans(text: str, a: int, b: int) -> list[tuple[int, int]]:
    spans, depth, start = [], 0, a
    for i in range(a, b):
        if text[i] == "(":
            if depth == 0:
                start = i
            depth += 1
        elif text[i] == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i))
    return spans


def _segment_flags(claims: Claims, claim: DefectClaim, allowed: set[int], evidence: str) -> list[Flag]:
    out = []
    for n in claims.numbers:
        if n.sent == claim.sent and n.unit == "segment" and int(n.value) not in allowed:
            out.append(
                make_flag(
                    F.SEGMENT, f"Segment {int(n.value)} is not part of the abnormal region.", n.span, evidence=evidence
                )
            )
    return out


def _wall_motion_location(claims: Claims, claim: DefectClaim, facts: Facts) -> list[Flag]:
    if not facts.wall_motion and _motion_explained(claims, claim.span, claim.sent, facts):
        return []
    if not facts.wall_motion:
        evidence = "wall motion: normal in all segments" if facts.wall_motion_known else NO_SUPPORT
        return [
            make_flag(
                F.FALSE_WALL_MOTION,
                "The text describes a wall-motion abnormality; the study shows none.",
                claim.span,
                evidence=evidence,
            )
        ]
    wm = facts.wall_motion
    walls = {w for d in wm for w in d.walls}
    segs = {s for d in wm for s in d.segments}
    out = []
    evidence = _describe(wm)
    for w in claim.walls:
        if not _wall_ok(w, walls, segs):
            out.append(
                make_flag(
                    F.WALL,
                    f"The text names the {w} wall; wall motion is abnormal in {', '.join(sorted(walls))}.",
                    _mention_span(claims, claim.sent, "WALL", w),
                    evidence=evidence,
                )
            )
    out.extend(_segment_flags(claims, claim, segs, evidence))
    if not out:
        out.extend(_motion_grade(claims, claim, facts))
    return out


# a wall-motion grade beyond hypokinesis and the wall it is given to ("apical dyskinesis", "akinesis of the
# inferior wall"); the grade needs a segment of that wall graded so (an akinetic wall called dyskinetic: a
# warning; a wall hypokinetic at most: an error). An aneurysm is the "aneurysm" feature's check.
_GRADE_WORD = {"dyskines": "dyskinetic", "dyskinetic": "dyskinetic", "akines": "akinetic",
               "akinetic": "akinetic", "AK": "akinetic", "DK": "dyskinetic"}  # fmt: skip
_MOTION_GRADE = re.compile(r"\b(dyskines|dyskinetic|akines|akinetic)\w*|(?-i:\b(AK|DK)\b)", re.I)
_MOTION_ORDER = ("normal", "hypokinetic", "akinetic", "dyskinetic")
_WALL_AT_GRADE = re.compile(r"\s*(?:(?:wall|segments?|region)\s+)?$", re.I)
# (the grade as the wall's adjective too: "akinetic apex", "akinetic mid inferior wall")
_WALL_AFTER_GRADE = re.compile(
    r"\s+(?:(?:of|in|involving|at)\s+(?:the\s+)?(?:[\w-]+\s+)?|(?:(?:basal|mid|distal|apical)\s+)?)$", re.I
)


def _wall_segments(wall: str) -> set[int]:
    if wall in ("apex", "apical"):
        return set(_APICAL_SEGMENTS)
    family = _WALL_FAMILY.get(wall, set()) | {wall}
    return {n for n, seg in SEGMENTS.items() if seg.wall.value in family}


def _motion_grade(claims: Claims, claim: DefectClaim, facts: Facts) -> list[Flag]:
    if not facts.segment_motion:
        return []
    text = claims.text
    a, b = claims.sentences[claim.sent]
    walls = [m for m in claims.mentions if m.sent == claim.sent and m.label == "WALL" and m.value]
    out = []
    for hit in _MOTION_GRADE.finditer(text, a, b):
        word = _GRADE_WORD[hit.group(1).lower() if hit.group(1) else hit.group(2)]
        wall = next(
            (m for m in walls if m.end <= hit.start() and _WALL_AT_GRADE.match(text[m.end : hit.start()])), None
        )
        wall = wall or next(
            (m for m in walls if m.start >= hit.end() and _WALL_AFTER_GRADE.match(text[hit.end() : m.start])), None
        )
        if wall is None or re.search(
            r"\b(?:no|not|without)\s+(?:\w+\s+){0,2}$", text[max(a, hit.start() - 25) : hit.start()], re.I
        ):
            continue
        segs = _wall_segments(wall.value or "")
        graded = [facts.segment_motion[n] for n in segs if n in facts.segment_motion]
        if not graded:
            continue
        worst = max(graded, key=_MOTION_ORDER.index)
        if _MOTION_ORDER.index(worst) >= _MOTION_ORDER.index(word):
            continue
        out.append(
            make_flag(
                F.FALSE_WALL_MOTION,
                f"The text calls the {wall.value} wall {word}; its worst segment is {worst}.",
                (hit.start(), hit.end()),
                evidence=f"{wall.value}: {worst}",
                severity=FlagSeverity.WARNING if worst == "akinetic" else None,
            )
        )
    return out


# the reversibilities a denial of one kind of defect contradicts ("no ischemia in the inferior wall" does not deny
# the inferior scar; "no scar in the LAD territory" does not deny its ischemia)
_DENIED_KIND = {
    "scar": frozenset({Reversibility.FIXED, Reversibility.PARTIALLY_REVERSIBLE}),
    "ischemia": frozenset({Reversibility.REVERSIBLE, Reversibility.PARTIALLY_REVERSIBLE}),
}


def _denied_kind(claim: DefectClaim) -> str | None:
    said = claim.reversibility[0] if claim.reversibility else None
    if claim.trigger == "INFARCTION" or (claim.trigger == "DEFECT" and said == Reversibility.FIXED):
        return "scar"
    if claim.trigger == "ISCHEMIA" or (claim.trigger == "DEFECT" and said == Reversibility.REVERSIBLE):
        return "ischemia"
    return None


def _negated_defect(claims: Claims, claim: DefectClaim, facts: Facts) -> list[Flag]:
    out = []
    kind = _denied_kind(claim)
    for d in facts.defects:
        if d.certainty != "affirmed":
            continue
        if kind is not None and d.reversibility is not None and d.reversibility not in _DENIED_KIND[kind]:
            continue
        if d.territory in claim.territories or set(d.walls) & set(claim.walls):
            # scar denied of a fixed apical defect the study leaves open to a reading of apical thinning ("thinning
            # rather than infarction"): a reader's reading of it, shown, not an error
            thinning = kind == "scar" and _thinning_reading([d], facts)
            out.append(
                make_flag(
                    F.NEGATION_FLIP,
                    f"The text denies a defect where the study shows a {d.describe()}"
                    + ("; its reading as apical thinning is a reader's." if thinning else "."),
                    claim.span,
                    evidence=d.describe(),
                    severity=FlagSeverity.WARNING if thinning else None,
                )
            )
            break
    return out


# --- findings stated present or absent --------------------------------------------------------

_FEATURE_CODE = {
    "lung_uptake": F.FALSE_LUNG_UPTAKE, "rv": F.FALSE_RV, "wall_motion_abnormal": F.FALSE_WALL_MOTION,
    "lbbb_artifact": F.FALSE_ARTIFACT,
}  # fmt: skip
_FEATURE_NAME = {
    "lung_uptake": "increased lung uptake", "rv": "a right-ventricular abnormality",
    "lvef_drop": "a post-stress LVEF drop",
    "hypotension": "exercise-induced hypotension", "hypertensive_response": "a hypertensive blood-pressure response",
    "esv_high": "an end-systolic volume above {esv_limit_ml:g} mL",
    "balanced": "globally (balanced) reduced flow reserve", "wall_motion_abnormal": "a wall-motion abnormality",
    "apical_thinning": "apical thinning", "aneurysm": "a left-ventricular aneurysm",
    "thrombus": "a left-ventricular thrombus",
    "lbbb_artifact": "a conduction (LBBB) artifact, which the septum alone would hold",
    "allograft_vasculopathy": "cardiac allograft vasculopathy (a globally reduced flow reserve)",
}  # fmt: skip
_R = PerfusionResult
_COMPATIBLE = {
    _R.NORMAL: {_R.NORMAL, _R.PROBABLY_NORMAL},
    _R.PROBABLY_NORMAL: {_R.NORMAL, _R.PROBABLY_NORMAL, _R.EQUIVOCAL},
    _R.EQUIVOCAL: {_R.EQUIVOCAL, _R.PROBABLY_NORMAL, _R.ABNORMAL},
    _R.ABNORMAL: {_R.ABNORMAL, _R.EQUIVOCAL},
}
# "reduced" is how a text may grade LV function without saying how much.
_REDUCED = {g.value for g in LvefGrade if g is not LvefGrade.NORMAL} | {"reduced"}


def _flag(
    code: FlagCode, msg: str, s: Statement, evidence: str = NO_SUPPORT, warn: bool = False, unverified: bool = False
) -> Flag:
    return make_flag(
        code, msg, s.span, evidence=evidence, severity=FlagSeverity.WARNING if warn else None, unverified=unverified
    )


# what the study lacks that would decide a finding of Facts.undecided: a claim of one is shown as unverified
_UNRECORDED = {
    "rv": "the study records nothing of the right ventricle",
    "thrombus": "no gated function was recorded, and perfusion images do not show one",
    "aneurysm": "no gated function was recorded",
    "wall_motion_abnormal": "no gated function was recorded",
    "apical_thinning": "no segment was scored, or its fixed, moderate apical reduction with normal motion may be"
    " thinning or a small scar",
    "rv_size": "only the right ventricle's tracer uptake is recorded, which does not show its size or motion",
    "tid": "no TID ratio was recorded",
    "lv_size": "neither LV volumes nor a TID ratio were recorded",
}


# a statement of the right ventricle's tracer uptake (what perfusion.rv_uptake records), not of its size or motion
_RV_UPTAKE_WORD = re.compile(r"\b(?:uptake|activity|visuali[sz]\w*|tracer|counts)\b", re.I)


def _names_rv_uptake(claims: Claims, s: Statement) -> bool:
    """The RV statement is one of tracer uptake: in its words or the words right after them, up to a comma
    ("prominent RV visualization", not "an enlarged RV, with normal uptake")."""
    end = claims.sentences[s.sent][1]
    after = re.split(r"[,;:(]", claims.text[s.span[1] : min(end, s.span[1] + 30)], maxsplit=1)[0]
    return _RV_UPTAKE_WORD.search(claims.text[s.span[0] : s.span[1]] + after) is not None


def _unrecorded(concept: str, name: str, s: Statement, code: FlagCode) -> Flag:
    """A finding the study cannot decide (Facts.undecided): not contradicted, shown as unverified."""
    verb = "raises" if s.uncertain else "states"
    msg = f"The text {verb} {name}; the study does not record it ({_UNRECORDED[concept]}): shown as unverified."
    return _flag(code, msg, s, unverified=True)


#: One statement of a concept against the facts (see :data:`FINDING_CHECKS`).
StatementCheck = Callable[[Statement, Claims, Facts], list[Flag]]


# Words that make a statement of ischemia one about flow (balanced ischemia is a reading of flow, not of
# the relative perfusion images).
_FLOW_WORDS = re.compile(r"\bflow\b|\breserve\b|\bMFR\b|\bMBF\b|balanced|microvascular|multi-?vessel", re.I)


_SIGNIFICANT = re.compile(
    # (or certain: "convincing", "definite", "unequivocal" ischemia is not a reading of a sub-threshold SDS either)
    r"(?<!\bnot )(?<!\bno )\b(?:significant|substantial|extensive|large|moderate|severe|marked|convincing|definite|"
    r"definitive|unequivocal|clear-cut|obvious|frank|meaningful|relevant|important|considerable|sizeable|sizable|"
    r"high-risk|high risk)\b(?![^,;]*\b(?:no|not|without)\b)",
    re.I,
)


# a grade of the amount of ischemia that minimal ischemia is not (its denial is true of it: "no significant
# ischaemia"); not the certainty words of _SIGNIFICANT ("definite")
_SIGNIFICANT_AMOUNT = re.compile(
    r"\b(?:(?:clinically|haemodynamically|hemodynamically)\s+)?(?:significant|substantial|important|relevant"
    r"|appreciable|meaningful|extensive|large|moderate|severe|marked)\b(?=(?:\s+[\w-]+)?\s*$)",
    re.I,
)


_ISCHEMIA_NOUN = re.compile(r"ischa?emi", re.I)


def _ischemia(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    flow_only = facts.ischemia_markers == (BALANCED_FLOW_MARKER,)
    if flow_only and s.present and not facts.ischemia and not _FLOW_WORDS.search(claims.sentence_text(s.sent)):
        return [
            _flag(
                F.FALSE_ISCHEMIA,
                "The text states ischemia on the perfusion images; only the flow reserve is reduced.",
                s,
                f"perfusion: {facts.perfusion_category}; {BALANCED_FLOW_MARKER}",
                warn=s.uncertain,
            )
        ]
    if s.present and not facts.ischemia and (not facts.ischemia_markers or _ischemia_of_images(s, claims, facts)):
        # a score-1 region whose scores improve at rest, or ischemic myocardium below the SDS threshold:
        # ischemia is a reading the rules leave open (a warning), unless the text calls it significant
        equivocal = any(d.reversibility in ("reversible", "partially reversible") for d in facts.equivocal)
        a = max(claims.sentences[s.sent][0], s.span[0] - 40)
        significant = _SIGNIFICANT.search(claims.text[a : s.span[0]]) is not None
        subthreshold = facts.ischemia_subthreshold and not significant
        why = (
            " (only a region of score 1 that improves at rest)."
            if equivocal
            else " (only ischemic myocardium below the ischemia threshold of the SDS)."
            if facts.ischemia_subthreshold
            else "."
        )
        return [
            _flag(
                F.FALSE_ISCHEMIA,
                "The text states ischemia; the study shows none" + why,
                s,
                f"perfusion: {facts.perfusion_category}, no ischemic defect",
                warn=s.uncertain or equivocal or subthreshold,
            )
        ]
    if s.present and facts.ischemia_marginal:
        a = max(claims.sentences[s.sent][0], s.span[0] - 40)
        grade = _SIGNIFICANT.search(claims.text[a : s.span[0]])
        if grade:
            return [
                _flag(
                    F.SEVERITY,
                    f"The text calls the ischemia {grade.group(0)}; it is below the ischemia threshold of the SDS.",
                    s,
                    "; ".join(facts.ischemia_markers),
                )
            ]
    # "no significant ischemia" of a minimal ischemic burden (< 5 % of the LV, HACHAMOVITCH-2003) is true, and
    # "significant ischemia" of it is not
    if (
        facts.ischemia
        and facts.ischemic_category == "minimal"
        and _ISCHEMIA_NOUN.match(claims.text, s.span[0])
        and not claims.in_prior(s.span[0])
    ):
        a = max(claims.sentences[s.sent][0], s.span[0] - 40)
        amount = _SIGNIFICANT_AMOUNT.search(claims.text[a : s.span[0]])
        if amount and not s.present:
            return []
        if amount and s.present and not facts.ischemia_marginal:
            return [
                _flag(
                    F.SEVERITY,
                    f"The text calls the ischemia {amount.group(0)}; the rules grade it minimal.",
                    s,
                    "; ".join(facts.ischemia_markers),
                )
            ]
    if not s.present and facts.ischemia and not _denied_elsewhere(s, claims, facts):
        return [
            _flag(
                F.NEGATION_FLIP,
                "The text denies ischemia; the study shows ischemia"
                + (" below the ischemia threshold of the summed difference score." if facts.ischemia_marginal else "."),
                s,
                "; ".join(facts.ischemia_markers),
                warn=facts.ischemia_marginal,
            )
        ]
    return []


# what names the stress ECG (its ischemia is the ECG's, not the images'), and what names the perfusion images
_ECG_WORDS = re.compile(
    r"\b(?:ECG|EKG|electrocardiogra\w*|electrical\w*|ST\b|ST[- ]?(?:segment|depression|elevation|changes?)|"
    r"treadmill|Duke|DTS|leads?)\b|ST\s*(?:\u2193|\u2191)",
    re.I,
)
_IMAGES_WORDS = re.compile(
    r"\b(?:perfusion|scintigra\w*|SPECT|PET|MPI|images?|imaging|scan|defects?|tracer|uptake|myocardial\s+perfusion)\b",
    re.I,
)


def _ischemia_of_images(s: Statement, claims: Claims, facts: Facts) -> bool:
    """Ischemia stated of the perfusion images ("normal perfusion study with evidence of ischemia", "Scintigraphy:
    no perfusion defect, but ischaemia present") of a study with normal images whose one marker of ischemia is
    its stress ECG: the ECG's ischemia does not make the images' true (a clause naming the ECG may mean it)."""
    if set(facts.ischemia_markers) != {"ischemic ECG response"}:
        return False
    if facts.perfusion_category not in (PerfusionResult.NORMAL, PerfusionResult.PROBABLY_NORMAL):
        return False  # defects whose ischemia the study leaves open (stress-only images): not a false ischemia
    # its line's clause, read past the parser's cut after a heading ("SPECT positive for ischaemia")
    text = claims.text
    a = max((m.end() for m in _CLAUSE_END.finditer(text, 0, s.span[0])), default=0)
    end = _CLAUSE_END.search(text, s.span[1])
    clause = text[a : end.start() if end else len(text)]
    return bool(_IMAGES_WORDS.search(clause)) and not _ECG_WORDS.search(clause)


_CLAUSE_END = re.compile(r"\.(?!\d)|[;\n]")


# Words that make a scar a small or partial one: what rest scores below the defect threshold may be read as
_QUALIFIED_SCAR = re.compile(
    r"\b(?:small|minimal|minor|mild|slight\w*|subtle|tiny|trace|partial\w*|partly|in\s+part|a\s+little|component|"
    r"residual|some|limited|"
    r"non-?transmural|possibl[ey]|probabl[ey]|cannot\s+be\s+(?:entirely\s+)?excluded)\b",
    re.I,
)


# ischemia placed at the infarct ("no peri-infarct ischaemia", "no residual ischemia around the scar", "without
# ischaemia at the infarct margins", "no inducible ischemia within the infarcted territory")
_AT_SCAR_BEFORE = re.compile(r"\bperi-?\s?infarct(?:ion|ed)?\s+(?:[\w-]+\s+)?$", re.I)
_AT_SCAR_AFTER = re.compile(
    r"\s+(?:(?:is|was)\s+(?:seen|present|noted)\s+)?(?:around|surrounding|adjacent\s+to|bordering|within|in|at|"
    r"near|about)\s+(?:the\s+)?(?:(?:borders?|margins?|edges?|rim|periphery|border\s+zone)\s+of\s+(?:the\s+|this\s+|that\s+)?)?"
    r"(?:(?:known|old|prior|previous|inferior|anterior|lateral|septal|apical|fixed)\s+)*"
    r"(?:infarct\w*|scar\w*|MI\b|fixed\s+defect)",
    re.I,
)


def _at_the_scar(s: Statement, claims: Claims) -> bool:
    """The ischemia the statement speaks of is placed at the infarct (see _AT_SCAR_BEFORE, _AT_SCAR_AFTER)."""
    a, b = s.span
    s0, s1 = claims.sentences[s.sent]
    return bool(_AT_SCAR_BEFORE.search(claims.text, max(s0, a - 30), a) or _AT_SCAR_AFTER.match(claims.text, b, s1))


def _denied_elsewhere(s: Statement, claims: Claims, facts: Facts) -> bool:
    """A denial of ischemia that names where ("resolution of the LAD ischemia", "no anterior ischemia") denies it
    there only: not the study's ischemia when none of its ischemic defects lies in that territory or wall.
    A denial of the ischemia at an infarct ("no peri-infarct ischaemia") denies it in the scar's territories and
    walls only: not the study's ischemia when it lies in another territory, apart from every scar."""
    ischemic = [d for d in facts.defects if d.reversibility in ("reversible", "partially reversible")]
    scars = [d for d in facts.defects if d.reversibility in ("fixed", "partially reversible")]
    if scars and _at_the_scar(s, claims):
        where = {d.territory for d in scars if d.territory} | {w for d in scars for w in d.walls}
        return not any(
            d.reversibility == "partially reversible" or d.territory in where or set(d.walls) & where for d in ischemic
        )
    # the places the denial reaches: those negated with it in its sentence, or named in its clause ("LAD
    # territory: no residual ischaemia")
    a, b = claims.sentences[s.sent]
    lo = max((m.end() for m in re.finditer(r"[,;]", claims.text[a : s.span[0]])), default=0) + a
    hi = next((m.start() for m in re.finditer(r"[,;]", claims.text[s.span[1] : b])), b - s.span[1]) + s.span[1]
    places = {
        m.value
        for m in claims.mentions
        if m.sent == s.sent and m.label in ("TERRITORY", "WALL") and (m.negated or lo <= m.start < hi)
    }
    if not places and _CALLED_OTHER_BEFORE.search(claims.text, max(a, s.span[0] - 60), s.span[0]):
        # "the inferior defect does not redistribute, so it is infarct, not ischaemia": the ischemia is denied of
        # the defect the sentence placed before, which is called something else instead
        places = {
            m.value
            for m in claims.mentions
            if m.sent == s.sent and m.label in ("TERRITORY", "WALL") and not m.negated and m.start < s.span[0]
        }
    if not places:
        return False
    return not any(d.territory in places or set(d.walls) & places for d in ischemic)


# a finding called one thing instead of ischemia ("it is infarct, not ischaemia", "this is scar rather than
# ischemia", "represents attenuation and not ischaemia")
_CALLED_OTHER_BEFORE = re.compile(
    r"\b(?:is|are|was|were|represents?|reflects?|indicates?|means?|=)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:infarct\w*|scar\w*|MI|fibrosis|necrosis|non-?viable|artefact\w*|artifact\w*|attenuation)\s*,?\s*"
    r"(?:and\s+|but\s+)?(?:not|rather\s+than|instead\s+of)\s+(?:[\w-]+\s+)?$",
    re.I,
)


def _scar(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    if s.present and not facts.scar:
        # a defect with rest scores of 1 left: "a small fixed component" is a reading of them, so a warning; an
        # unqualified fixed defect or infarct ("a fixed defect is present to suggest infarction") is not
        a, b = _clause(claims, s)
        # ... and so is a qualified scar ("possibly a small area of scar") for a fixed region of score 1
        residual = (
            any(d.residual_rest for d in facts.defects if d.kind == "defect")
            or any(d.reversibility == Reversibility.FIXED for d in facts.equivocal)
        ) and bool(_QUALIFIED_SCAR.search(claims.text, a, b))
        return [
            _flag(
                F.FALSE_SCAR,
                "The text states scar or infarction; the study shows none"
                + (" (only rest scores below the defect threshold)." if residual else "."),
                s,
                f"perfusion: {facts.perfusion_category}, no fixed defect",
                warn=s.uncertain or residual,
            )
        ]
    if not s.present and facts.scar:
        fixed = [d for d in facts.defects if d.reversibility != Reversibility.REVERSIBLE]
        thinning = _thinning_reading(fixed, facts)
        return [
            _flag(
                F.NEGATION_FLIP,
                "The text denies scar; the study shows scar"
                + ("; its reading as apical thinning is a reader's." if thinning else "."),
                s,
                _describe(fixed),
                warn=thinning,
            )
        ]
    return []


def _thinning_reading(defects: Sequence[DefectFact], facts: Facts) -> bool:
    """The scar denied lies only in apical segments the study leaves open to a reading of apical thinning (a fixed,
    mild or moderate apical-only reduction that moves normally: facts.readings, facts.undecided)."""
    segments = {n for d in defects for n in d.segments}
    return bool(segments) and segments <= _APICAL_SEGMENTS and "apical_thinning" in facts.readings | facts.undecided


def _tid_statement(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    # a ratio at its lab-specific limit: dilation stated or denied is a reading, shown as a warning
    edge = facts.tid_borderline
    if s.value == "abnormal" and "tid" in facts.undecided:
        return [_unrecorded("tid", "transient ischemic dilation", s, F.FALSE_TID)]
    if s.value == "abnormal" and not facts.tid_abnormal:
        ev = NO_SUPPORT if facts.tid_abnormal is None else f"TID ratio {_tid(facts)} (normal)"
        msg = "The text states transient ischemic dilation; the study does not show it."
        return [_flag(F.FALSE_TID, msg, s, f"{ev}, at the limit" if edge else ev, warn=edge)]
    if s.value == "normal" and facts.tid_abnormal:
        return [
            _flag(
                F.NORMAL_ABNORMAL,
                "The text calls the TID ratio normal; it is abnormal.",
                s,
                f"TID ratio {_tid(facts)} (abnormal{', at the limit' if edge else ''})",
                warn=edge,
            )
        ]
    return []


_SEPTAL_MOTION = re.compile(r"\b(?:sept(?:um|al)|paradoxical|dyssynchron\w*|bundle branch|LBBB|paced|pacing)\b", re.I)
_GLOBAL_MOTION = re.compile(r"\b(?:global(?:ly)?|diffuse(?:ly)?|generali[sz]ed)\b", re.I)


def _motion_explained(claims: Claims, span: tuple[int, int], sent: int, facts: Facts) -> bool:
    """Abnormal wall motion the study explains without regional data: septal motion with LBBB, a paced
    rhythm or septal dyssynchrony; global hypokinesis with a reduced LVEF."""
    a, b = claims.sentences[sent]
    left = max(claims.text.rfind(ch, a, span[0]) for ch in ",;(") + 1
    clause = claims.text[max(a, left) : b]
    # a wall other than the septum named in the clause ("lateral wall dyssynchrony") is no conduction effect
    walls = {m.value for m in claims.mentions if m.label == "WALL" and max(a, left) <= m.start < b}
    if facts.septal_motion_expected and _SEPTAL_MOTION.search(clause) and walls <= _SEPTAL_WALLS:
        return True
    return facts.lvef_category in _REDUCED and bool(_GLOBAL_MOTION.search(clause))


_DYSSYNCHRONY = re.compile(r"\bdyssynchron\w*", re.I)
_SEPTAL_WALL_NAMES = frozenset({"septal", "anteroseptal", "inferoseptal"})


def _wall_motion(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    wm_sents = {d.sent for d in claims.defects if d.kind == "wall_motion"}
    if s.value == "abnormal" and not facts.wall_motion and _motion_explained(claims, s.span, s.sent, facts):
        return []
    if s.value == "abnormal" and not facts.wall_motion and s.sent not in wm_sents:
        ev = "wall motion: normal in all segments" if facts.wall_motion_known else NO_SUPPORT
        return [_flag(F.FALSE_WALL_MOTION, "The text states a wall-motion abnormality; the study shows none.", s, ev)]
    if (
        s.value == "normal"
        and facts.features.get("septal_dyssynchrony")
        and _DYSSYNCHRONY.search(_said(claims, s))
        # (of the septum or of no wall named: "no anterior wall dyssynchrony" denies another wall's)
        and not any(
            m.label == "WALL"
            and s.span[0] - 30 <= m.start < s.span[1]
            and not re.search(r"[,;:]", claims.text[m.end : s.span[0]])
            and m.value not in _SEPTAL_WALL_NAMES
            for m in claims.mentions
        )
    ):
        # "without septal dyssynchrony" where the gated study records it: a denial of a recorded finding
        return [
            _flag(
                F.NEGATION_FLIP,
                "The text denies septal dyssynchrony; the study records it.",
                s,
                "function.septal_dyssynchrony: true",
            )
        ]
    if s.value == "normal" and facts.wall_motion:
        return [
            _flag(
                F.NORMAL_ABNORMAL,
                "The text calls wall motion normal; it is abnormal.",
                s,
                _describe(facts.wall_motion),
            )
        ]
    if s.value == "normal" and not facts.wall_motion_known:
        return [
            _flag(F.FALSE_WALL_MOTION, "The text states normal wall motion; no wall motion was given.", s, warn=True)
        ]
    return []


def _artifact(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    possible = any(d.certainty == Certainty.UNCERTAIN for d in facts.defects)
    if s.present and facts.artifacts:
        known = {w for a in facts.artifacts for w in a.walls}
        a, b = _clause(claims, s)
        if _ARTIFACT_AS_READING.match(claims.text[a : s.span[0]]) and not any(
            m.label == "WALL" and a <= m.start < b for m in claims.mentions
        ):
            # "the apparent anterior count loss ..., in keeping with diaphragmatic attenuation": the artifact is
            # the reading of what the sentence placed before it, so it lies in that finding's wall
            a = claims.sentences[s.sent][0]
        for m in claims.mentions:
            if m.label == "WALL" and a <= m.start < b and known and not _wall_ok(m.value or "", known, set()):
                return [
                    make_flag(
                        F.WALL,
                        f"The text places the artifact in the {m.value} wall; it is recorded in "
                        f"{', '.join(sorted(known))}.",
                        (m.start, m.end),
                        evidence=f"artifact: {', '.join(sorted(known))}",
                        # "possible inferior attenuation": a hedged reading of another wall, shown, not an error
                        severity=FlagSeverity.WARNING if s.uncertain else None,
                    )
                ]
    if s.present and not facts.artifacts and not possible:
        if s.uncertain and facts.equivocal:
            return []  # "most likely attenuation": a reading of an equivocal region the rules leave open
        return [
            _flag(F.FALSE_ARTIFACT, f"The text states an artifact ({s.value}); none is recorded.", s, warn=s.uncertain)
        ]
    return []


# an artifact given as the reading of the finding before it, its clause's first words ("..., in keeping with
# attenuation", "..., due to diaphragmatic attenuation")
_ARTIFACT_AS_READING = re.compile(
    r"^\s*(?:(?:most\s+)?(?:likely|probably)\s+)?(?:in\s+keeping\s+with|consistent\s+with|compatible\s+with|"
    r"due\s+to|caused\s+by|from|reflecting|representing|attributable\s+to|=)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}$",
    re.I,
)


def _clause(claims: Claims, s: Statement) -> tuple[int, int]:
    """The clause of a statement: its sentence cut at commas and semicolons."""
    a, b = claims.sentences[s.sent]
    text = claims.text
    left = max(text.rfind(",", a, s.span[0]), text.rfind(";", a, s.span[0]), a - 1) + 1
    ends = [i for i in (text.find(",", s.span[1], b), text.find(";", s.span[1], b)) if i >= 0]
    return left, min(ends) if ends else b


# a statement's own words that name angina (the Duke angina index), not chest pain or discomfort
_NAMES_ANGINA = re.compile(r"(?:typical\s+)?anginal?(?:\s+(?:pain|symptoms?))?", re.I)


def _chest_pain(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    if facts.chest_pain is None:
        return (
            []
            if not s.present
            else [
                _flag(
                    F.FALSE_SYMPTOM,
                    "The text states chest pain during stress; the stress data give no symptoms.",
                    s,
                    warn=True,
                )
            ]
        )
    if s.present and not facts.chest_pain:
        return [
            _flag(
                F.FALSE_SYMPTOM,
                "The text states chest pain or angina during stress; the stress data say none.",
                s,
                "stress: no angina",
            )
        ]
    if not s.present and facts.chest_pain and facts.angina_none and _NAMES_ANGINA.fullmatch(claims.text, *s.span):
        return []  # "no angina" where the angina index is none: the recorded chest symptom was not angina
    if not s.present and facts.chest_pain:
        return [
            _flag(
                F.NEGATION_FLIP,
                "The text denies chest pain during stress; the stress data record it.",
                s,
                "stress: angina",
            )
        ]
    said = _angina_limiting(claims, s) if s.present and facts.angina_limiting is not None else None
    if said is not None and said != facts.angina_limiting:
        word = "limiting" if facts.angina_limiting else "non-limiting"
        return [
            _flag(
                F.FALSE_SYMPTOM,
                f"The text calls the angina {'limiting' if said else 'non-limiting'}; the stress data grade it {word}.",
                s,
                f"stress: {word} angina (Duke angina index)",
            )
        ]
    return []


# Whether angina stopped the test (the Duke angina index, DUKE-1991), said beside the symptom: "non-limiting chest
# pain", "chest heaviness that did not stop the test"; "limiting angina", "chest pressure that ended the infusion"
_NOT_LIMITING = re.compile(
    r"\bnon-?\s?limiting\b|\bnot\s+(?:test-?\s?)?limiting\b|\b(?:did\s+not|didn't|did n't|without|not)\s+"
    r"(?:stop|limit|terminat|end|halt)\w*\b",
    re.I,
)
_LIMITING = re.compile(
    r"\b(?:test-?\s?|exercise-?\s?)?limiting\b|\b(?:stopp|terminat|end|halt|limit)(?:ed|ing|s)\s+(?:the\s+)?"
    r"(?:test|exercise|infusion|study|stress|protocol)\b|\bled\s+to\s+(?:early\s+)?(?:termination|stopping)\b"
    r"|\b(?:stopped|terminated|ended|halted|limited)\s+(?:early\s+)?(?:because\s+of|due\s+to|owing\s+to|by|for)\b",
    re.I,
)


def _angina_limiting(claims: Claims, s: Statement) -> bool | None:
    """Whether the text calls the stated angina limiting (True), non-limiting (False), or neither (None): the
    words right before it or in what follows it up to the next clause."""
    a, b = claims.sentences[s.sent]
    before = claims.text[max(a, s.span[0] - 40) : s.span[0]]
    after = re.split(r"[,;]|\band\b", claims.text[s.span[1] : min(b, s.span[1] + 50)], maxsplit=1)[0]
    for part in (before, claims.text[s.span[0] : s.span[1]], after):
        if _NOT_LIMITING.search(part):
            return False
        if _LIMITING.search(part):
            return True
    return None


# an invasive test or treatment named as the alternative not chosen ("optimise medical therapy rather than an
# angiogram at this stage")
_SET_AGAINST_ADVICE = re.compile(
    r"\b(?:rather\s+than|instead\s+of|as\s+opposed\s+to|in\s+preference\s+to|in\s+place\s+of)\s+"
    r"(?:(?:an?|the|any|further|invasive|immediate|early|proceed(?:ing)?\s+(?:to|with)|go(?:ing)?\s+to|"
    r"referr(?:al|ing)\s+for)\s+){0,3}$",
    re.I,
)


def _advice(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    # No fact of a Study verifies advice or a conclusion about management or disease likelihood, except
    # the rules' own differential of globally reduced flow reserve ("balanced multivessel ischemia or
    # diffuse microvascular disease should be considered").
    sentence = claims.sentence_text(s.sent)
    kinds = dict(cues().advice_supported)
    # standing down ("no further testing", "discharge from follow-up", "repeat imaging in two years") where the
    # rules give high risk contradicts the study, whatever else the sentence weighs (ACC-AHA-SIHD-2012: a
    # high-risk result is referred for angiography)
    # (medical therapy alone is not standing down: after the ISCHEMIA trial (Maron DJ et al., NEJM 2020) an
    # initial conservative strategy is a reading of a high-risk study, shown as unverified advice)
    down = next(
        (
            h
            for h in kinds["stand_down"].finditer(sentence)
            if not _ADVICE_DENIED_BEFORE.search(sentence, 0, h.start()) and not _MEDICAL.search(h.group(0))
        ),
        None,
    )
    if down is not None and facts.risk == RiskCategory.HIGH:
        return [
            _flag(
                F.ADVICE_AGAINST_FACTS,
                f"The text advises {down.group(0)}; the rules give high risk.",
                s,
                f"risk: {facts.risk}",
                warn=True,
            )
        ]
    if down is not None and facts.prior_trend == "worse" and facts.risk not in (None, RiskCategory.LOW):
        # ... and so does standing down where a defect is new or larger than on the prior and the risk is not low:
        # a progression of ischemic disease is evaluated further (ACC-AHA-SIHD-2012), not closed
        return [
            _flag(
                F.ADVICE_AGAINST_FACTS,
                f"The text advises {down.group(0)}; compared with the prior the defects are worse and the rules give "
                f"{facts.risk} risk.",
                s,
                f"comparison: worse; risk: {facts.risk}",
                warn=True,
            )
        ]
    stopped = next(
        (
            h
            for h in kinds["stop_therapy"].finditer(sentence)
            if _SECONDARY_PREVENTION.search(h.group(0)) and not _ADVICE_DENIED_BEFORE.search(sentence, 0, h.start())
        ),
        None,
    )
    if stopped is not None and (facts.ischemia or facts.scar or facts.ischemia_markers):
        # stopping antiplatelet or statin therapy where the images show coronary disease (ischemia or scar): both
        # are the standard therapy of stable ischemic heart disease (ACC-AHA-SIHD-2012)
        return [
            _flag(
                F.ADVICE_AGAINST_FACTS,
                f"The text advises {stopped.group(0)}; the study shows ischemia or scar.",
                s,
                "ischemia or scar on the images",
                warn=True,
            )
        ]
    device = _device_advised(sentence, kinds["device"])
    if device is not None and facts.lvef is not None and facts.lvef > DEFAULT_THRESHOLDS.device_lvef_max:
        # a primary-prevention ICD or CRT is considered only at LVEF <= 35% (AHA-ACC-HRS-2017)
        return [
            _flag(
                F.ADVICE_AGAINST_FACTS,
                f"The text advises {device}; the LVEF is {_fmt(facts.lvef)}% "
                f"(> {_fmt(DEFAULT_THRESHOLDS.device_lvef_max)}%).",
                s,
                f"LVEF {_fmt(facts.lvef)}%",
                warn=True,
            )
        ]
    pacing = _PACEMAKER.search(sentence)
    if pacing and not _DEVICE_DENIED_BEFORE.search(sentence, 0, pacing.start()):
        blocks = [r for r in (*facts.arrhythmias, facts.baseline_ecg) if r and _AV_BLOCK_RECORD.search(r)]
        if blocks and all(_RECORD_RESOLVED.search(r) for r in blocks):
            # permanent pacing is for a persistent or symptomatic high-grade block (ACC-AHA-HRS-2018), not for one
            # that resolved by itself during a vasodilator infusion (an adenosine effect)
            shown = "; ".join(blocks)
            return [
                _flag(
                    F.ADVICE_AGAINST_FACTS,
                    f"The text advises {pacing.group(0)}; the stress data record {shown}.",
                    s,
                    f"ECG: {shown}",
                    warn=True,
                )
            ]
    if facts.features.get("balanced") and re.search(r"\bbalanced\b|microvascular", sentence, re.I):
        return []
    invasive = kinds["high_risk"].search(sentence) or kinds["treatment"].search(sentence)
    if invasive and down is not None and down.start() <= invasive.start() < down.end():
        invasive = None  # "angiography is not needed": the invasive test stood down, not advised
    said_at = s.span[0] - claims.sentences[s.sent][0]  # where the advice's own words begin ("needs an angiogram")
    if invasive and any(_ADVICE_DENIED_BEFORE.search(sentence, 0, at) for at in (invasive.start(), said_at) if at >= 0):
        invasive = None  # "I do not think she needs an angiogram", "he does not require cath": denied, not advised
    if invasive and _SET_AGAINST_ADVICE.search(sentence, 0, invasive.start()):
        invasive = None  # "medical therapy rather than an angiogram": the alternative set aside, not advised
    urgent = kinds["urgent"].search(sentence)
    # ... nor where the high risk has no ischemia or scar in it (a nonischemic LV): nothing for an urgent angiogram
    unischemic = (
        facts.risk == RiskCategory.HIGH and not facts.ischemia and not facts.ischemia_markers and not facts.scar
    )
    if invasive and urgent and facts.risk is not None and (facts.risk != RiskCategory.HIGH or unischemic):
        # an urgent invasive strategy belongs to an acute coronary syndrome (ACC-AHA-NSTE-ACS-2014); after a stress
        # test of stable disease the rules refer for angiography only where the risk is high (ACC-AHA-SIHD-2012)
        return [
            _flag(
                F.ADVICE_AGAINST_FACTS,
                f"The text advises {urgent.group(0).lower()} {invasive.group(0)}; the rules give {facts.risk} risk"
                + (", with no ischemia or scar." if unischemic else "."),
                s,
                f"risk: {facts.risk}",
                warn=True,
            )
        ]
    treatment = kinds["treatment"].search(sentence)
    if treatment and _SET_AGAINST_ADVICE.search(sentence, 0, treatment.start()):
        treatment = None
    relieve = _TO_RELIEVE_ISCHEMIA.search(sentence)
    # ... and revascularization where the study has no ischemia and a normal LVEF, whatever purpose it names: no
    # ischemia to relieve and no dysfunctional myocardium whose function it could recover (ISCHEMIA-2020, STICH-2011)
    no_target = (
        not facts.ischemia
        and not facts.ischemia_markers
        and facts.mfr_global_category in (None, "normal")  # globally reduced flow may be balanced ischemia
        # ... nor with a reduced LVEF and no defect at all: no scar, so no hibernating myocardium either
        and (facts.lvef_category == LvefGrade.NORMAL or not (facts.defects or facts.equivocal))
        and treatment is not None
        and not _TREATMENT_NOT_ADVISED_BEFORE.search(sentence, max(0, treatment.start() - 40), treatment.start())
    )
    if (
        treatment
        and (relieve or no_target)
        and facts.ischemic_category in ("none", "minimal")
        and not any(_ADVICE_DENIED_BEFORE.search(sentence, 0, at) for at in (treatment.start(), said_at) if at >= 0)
    ):
        # revascularization to relieve ischemia where there is little or none (< 5 % of the LV, HACHAMOVITCH-2003):
        # no ischemia for it to relieve
        return [
            _flag(
                F.ADVICE_AGAINST_FACTS,
                f"The text advises {treatment.group(0)}{' ' + relieve.group(0) if relieve else ''}; the study's "
                f"ischemia is {facts.ischemic_category}"
                + (
                    "."
                    if relieve
                    else " and its LVEF normal."
                    if facts.lvef_category == LvefGrade.NORMAL
                    else " and it shows no defect."
                ),
                s,
                f"ischemic burden: {facts.ischemic_category}",
                warn=True,
            )
        ]
    normal = facts.perfusion_category in (PerfusionResult.NORMAL, PerfusionResult.PROBABLY_NORMAL)
    if invasive and facts.risk == RiskCategory.LOW and normal:
        return [
            _flag(
                F.ADVICE_AGAINST_FACTS,
                f"The text advises {invasive.group(0)}; the study is normal and low risk.",
                s,
                f"perfusion: {facts.perfusion_category}; risk: {facts.risk}",
                warn=True,
            )
        ]
    if _advice_supported(sentence, facts):
        # shown for information; verify(origin="model") still makes it an error (a model adds no advice)
        return [
            _flag(F.UNSUPPORTED_ADVICE, "The text advises what the study's facts support.", s).model_copy(
                update={"severity": FlagSeverity.INFO}
            )
        ]
    return [
        _flag(
            F.UNSUPPORTED_ADVICE, "The text advises or concludes beyond the study's facts (unverified).", s, warn=True
        )
    ]


_MEDICAL = re.compile(r"\bmedica|\bmedication", re.I)
# the secondary prevention of coronary disease among the therapies a text may stop (aspirin, another antiplatelet,
# a statin)
_SECONDARY_PREVENTION = re.compile(
    r"\b(?:aspirin|ASA|statins?|[a-z]+statin|antiplatelet\w*|clopidogrel|ticagrelor|prasugrel)\b", re.I
)
# a revascularization named as denied or as the patient's history ("no need for revascularization", "given the
# previous stent", "s/p PCI"), not advised
_TREATMENT_NOT_ADVISED_BEFORE = re.compile(
    r"(?:\b(?:no|not|without|nor|against|avoid\w*|prior|previous|old|known|history|s/p|status\s+post|after|given|"
    r"existing|patent)\b|n't)[^.;]{0,30}$",
    re.I,
)
# the purpose a revascularization is advised for: the ischemia ("stenting to relieve ischaemia")
_TO_RELIEVE_ISCHEMIA = re.compile(
    r"\b(?:to|and)\s+(?:relieve|treat|address|abolish|reduce|eliminate)\s+(?:the\s+|his\s+|her\s+|any\s+)?"
    r"(?:inducible\s+|residual\s+)?ischa?emi\w*",
    re.I,
)
# a pacemaker advised ("referred her for a permanent pacemaker", "PPM implantation"), and an AV block in a record
_PACEMAKER = re.compile(r"\b(?:permanent\s+)?pacemaker\b|\bPPM\b|\bpermanent\s+pacing\b", re.I)
_AV_BLOCK_RECORD = re.compile(
    r"\bA-?V\s*block|\b(?:heart|atrioventricular)\s+block|\bMobitz\b|\bWenckebach\b|\bCHB\b", re.I
)
# "no ICD is indicated", "ICD not indicated", "not a candidate for CRT": the device stood down, not advised
_DEVICE_DENIED_BEFORE = denial.before("device")
_DEVICE_DENIED_AFTER = re.compile(r"^\s*(?:[\w-]+\s+)?(?:(?:is|are|was)\s+)?not\b", re.I)


def _device_advised(sentence: str, device: re.Pattern[str]) -> str | None:
    """The device therapy (ICD, CRT) a sentence advises, unless it denies it."""
    for h in device.finditer(sentence):
        if not _DEVICE_DENIED_BEFORE.search(sentence, 0, h.start()) and not _DEVICE_DENIED_AFTER.match(
            sentence[h.end() :]
        ):
            return h.group(0)
    return None


# "she should not be discharged from follow-up": the standing down denied
_ADVICE_DENIED_BEFORE = re.compile(
    denial.before("advice").pattern
    # ... or a finding said not to mean one that needs the procedure ("this does not mean a narrowing that needs a
    # stent")
    + r"|(?:\b(?:not|never)|n't)\s+(?:mean|imply|indicate|signify)\b[^.;,]{0,60}$",
    re.I,
)


def _advice_supported(sentence: str, facts: Facts) -> bool:
    """Every kind of advice the sentence gives is one a fact supports (cues.json "advice_supported"): medical
    therapy always; invasive angiography where the risk is high and ischemia (above the SDS threshold, or a
    marker such as TID) makes it so (ACC-AHA-SIHD-2012). "No further testing", "can safely undergo surgery"
    stay unverified: no fact of a Study decides them; nor does one decide revascularization itself (that needs
    the coronary anatomy; the rules refer a high-risk study for angiography at most) or any urgency."""
    holds = {
        "always": True,
        "high_risk": facts.risk == RiskCategory.HIGH and bool(facts.ischemia_markers) and not facts.ischemia_marginal,
        "treatment": False,
        "urgent": False,
        # a viability study asks whether dysfunctional myocardium with a fixed defect is hibernating
        # (ASNC-PET-2016): with no fixed defect there is nothing for it to answer
        "viability": facts.scar,
        # a device needs more than the images give (symptoms, QRS, time since infarction: AHA-ACC-HRS-2017)
        "device": False,
        # "no further testing", "medical therapy alone": no fact decides that nothing more is needed, and the
        # medical therapy a fact supports does not make the standing down supported
        "stand_down": False,
        # stopping the medical therapy the "always" kind supports is no medical therapy
        "stop_therapy": False,
    }
    kinds = {when for when, rx in cues().advice_supported if rx.search(sentence)}
    if "stop_therapy" in kinds:
        kinds.discard("always")  # "stop his aspirin and statin": the drugs named are being stopped, not advised
    if "high_risk" in kinds:
        kinds.discard("treatment")  # "angiography with a view to revascularization": the referral's purpose
    return bool(kinds) and all(holds[k] for k in kinds)


# Grade words a text may use for each ischemic-burden category of the rules (ASNC: SDS/% myocardium bands);
# "mild" and "minimal" are both the low end.
_ISCHEMIA_WORDS = {
    "minimal": {"minimal", "mild"}, "mild": {"minimal", "mild"}, "moderate": {"moderate"},
    "severe": {"severe"},
}  # fmt: skip


# The bands of the ischemic burden (HACHAMOVITCH-2003) each size of "an area of ischaemia" may name: a size word
# spans two neighbouring bands ("a large area" of 12% or of 20%)
_AREA_SIZE_BANDS = {
    "small": {"minimal", "mild"}, "medium": {"mild", "moderate"}, "moderate": {"mild", "moderate"},
    "moderate-sized": {"mild", "moderate"}, "large": {"moderate", "severe"}, "extensive": {"moderate", "severe"},
    "sizeable": {"moderate", "severe"}, "sizable": {"moderate", "severe"},
    "tiny": {"minimal", "mild"}, "trivial": {"minimal", "mild"}, "minor": {"minimal", "mild"},
    "significant": {"mild", "moderate", "severe"}, "substantial": {"moderate", "severe"},
    "considerable": {"moderate", "severe"},
}  # fmt: skip


# a grade said of the amount of ischemia by name ("ischemic burden ... moderate", "moderate in extent", "8% (mild)")
_AMOUNT_NAMED = re.compile(r"\b(?:burden|load|extent|amount|myocardium)\b|%", re.I)


def _ischemia_grade(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    want = facts.ischemic_category
    if want is None or not (facts.ischemia or _ischemic_myocardium(facts)):
        return []
    form, _, said = (s.value or "").partition(":")
    if form == "size":
        if want in _AREA_SIZE_BANDS.get(said, {want}):
            return []
        return [
            _flag(
                F.SEVERITY,
                f"The text calls the area of ischemia {said}; the rules grade the ischemia {want}.",
                s,
                f"ischemic burden: {want}",
            )
        ]
    allowed = set(_ISCHEMIA_WORDS.get(want, {want}))
    if form == "any":  # "moderate ischemia" may be the grade of a moderate reversible defect (not of the stress
        # grade of a mostly fixed one: its ischemia is what reverses, "mild peri-infarct ischemia")
        allowed |= {w for d in facts.defects if d.reversibility == Reversibility.REVERSIBLE for w in d.severity_range}
    if said in allowed:
        return []
    # a grade next to the burden's band that a defect with ischemia has by its severity ("ischaemia of moderate
    # degree" for a moderate reversible defect whose ischemia is 8% of the LV, a mild burden): the rules' two
    # bands disagree, so the word is a reading (a warning); a grade two bands off stays an error
    order = ("minimal", "mild", "moderate", "severe")
    adjacent = said in order and want in order and abs(order.index(said) - order.index(want)) == 1
    graded = {
        w
        for d in facts.defects
        if d.reversibility in (Reversibility.REVERSIBLE, Reversibility.PARTIALLY_REVERSIBLE)
        for w in d.severity_range
    }
    return [
        _flag(
            F.SEVERITY,
            f"The text calls the ischemia {said}; the rules grade it {want}.",
            s,
            f"ischemic burden: {want}",
            warn=adjacent and said in graded and not _AMOUNT_NAMED.search(claims.sentence_text(s.sent)),
        )
    ]


def _ischemic_myocardium(facts: Facts) -> bool:
    """Ischemic myocardium the rules measure (a marker of it) in a defect they read as fixed: the peri-infarct
    ischemia of a mostly fixed defect, whose amount the text may still grade."""
    return any(m.startswith("ischemic myocardium") for m in facts.ischemia_markers)


# Grade words a text may use for each flow-reserve category of the rules (SNMMI-ASNC-PET-FLOW-2018: reduced
# below 2.0, severely reduced below 1.5): "mildly" or "moderately reduced" both name the middle band.
_MFR_WORDS = {
    "normal": {"normal"},
    "reduced": {"reduced", "mildly reduced", "moderately reduced"},
    "severely reduced": {"reduced", "severely reduced", "markedly reduced"},
}


def _mfr_grade(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    where, _, said = (s.value or "").partition(":")
    regional = set(facts.mfr_regional_categories.values())
    glob = {facts.mfr_global_category} if facts.mfr_global_category else set()
    known = glob if where == "global" else regional if where == "regional" and regional else glob | regional
    measured = {f.territory for f in facts.quantities.get("mfr", []) if f.territory and f.phase != "prior"}
    if where in measured:  # a territory's own grade (the rules list only the reduced ones)
        known = {facts.mfr_regional_categories.get(where, "normal")}
    if where == "any":  # "MFR 1.87 (normal)": the value the grade follows says whose reserve it is
        known = _graded_value(s, claims, facts) or known
    if not known:
        return []
    if any(said in _MFR_WORDS.get(k, {k}) for k in known):
        return []
    return [
        _flag(
            F.SEVERITY,
            f"The text calls the {'' if where == 'any' else where + ' '}flow reserve {said}; "
            f"the rules grade it {' or '.join(sorted(known))}.",
            s,
            f"MFR: {', '.join(sorted(known))}",
        )
    ]


def _stress_flow_grade(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """A territory's stress flow called normal where the rules grade its flow reserve reduced and its defect is
    reversible: two measurements of that territory's hyperaemic flow say it falls short (the rules grade no stress
    MBF of their own, so "reduced" is left unchecked)."""
    territory, _, said = (s.value or "").partition(":")
    reserve = facts.mfr_regional_categories.get(territory)
    ischemic = any(
        d.kind == "defect"
        and d.territory == territory
        and d.reversibility in (Reversibility.REVERSIBLE, Reversibility.PARTIALLY_REVERSIBLE)
        for d in facts.defects
    )
    if said != "normal" or reserve in (None, "normal") or not ischemic:
        return []
    return [
        _flag(
            F.SEVERITY,
            f"The text calls the {territory} stress flow normal; its flow reserve is {reserve} and its defect "
            "reversible.",
            s,
            f"{territory} MFR: {reserve}; reversible defect",
        )
    ]


def _flow_confined(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """A flow reduction confined to some territories, against the territories whose flow reserve is reduced."""
    reduced = {t for t, grade in facts.mfr_regional_categories.items() if grade != "normal"}
    if not s.value:
        # called focal with no place named: false where the flow reserve is reduced in every territory (a global
        # reduction, as in diffuse allograft vasculopathy or balanced disease)
        if len(facts.mfr_regional_categories) < 3 or reduced != set(facts.mfr_regional_categories):
            return []
        grades = ", ".join(f"{t} {g}" for t, g in sorted(facts.mfr_regional_categories.items()))
        return [_flag(F.TERRITORY, f"The text calls the flow reduction focal; the flow reserve is reduced in every "
                      f"territory ({', '.join(sorted(reduced))}).", s, f"regional MFR: {grades}")]  # fmt: skip
    named = set(s.value.split(","))
    outside = reduced - named
    if not facts.mfr_regional_categories or not outside:
        return []
    grades = ", ".join(f"{t} {g}" for t, g in sorted(facts.mfr_regional_categories.items()))
    return [
        _flag(
            F.TERRITORY,
            f"The text confines the reduced flow to {' and '.join(sorted(named))}; the flow reserve is reduced in "
            f"{', '.join(sorted(reduced))}.",
            s,
            f"regional MFR: {grades}",
        )
    ]


def _calcium_vessel(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """Calcium placed in (or denied in) a vessel, against that vessel's Agatston score where the study gives one."""
    cac = facts.quantities.get("cac", [])
    scores = {f.territory: float(f.value) for f in cac if f.territory and f.phase != "prior"}
    if s.value not in scores or (scores[s.value] > 0) == s.present:
        return []
    shown = ", ".join(f"{v} {_fmt(x)}" for v, x in scores.items())
    said = "places calcium in" if s.present else "denies calcium in"
    return [_flag(F.CALCIUM, f"The text {said} the {s.value}; its Agatston score is {_fmt(scores[s.value])}.", s,
                  f"calcium by vessel: {shown}")]  # fmt: skip


def _calcium_most(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """The vessel said to hold the most calcium, against the vessels' Agatston scores where the study gives them."""
    cac = facts.quantities.get("cac", [])
    scores = {f.territory: float(f.value) for f in cac if f.territory and f.phase != "prior"}
    if not scores or s.value not in scores or scores[s.value] >= max(scores.values()):
        return []
    shown = ", ".join(f"{v} {_fmt(x)}" for v, x in scores.items())
    return [_flag(F.CALCIUM, f"The text places the most calcium in the {s.value}; its Agatston score is "
                  f"{_fmt(scores[s.value])}.", s, f"calcium by vessel: {shown}")]  # fmt: skip


def _calcium_score_zero(facts: Facts) -> bool:
    """The study records a total Agatston score of 0 (this study's, not a prior's)."""
    totals = [f.value for f in facts.quantities.get("cac", []) if f.territory is None and f.phase != "prior"]
    return bool(totals) and all(isinstance(v, int | float) and v == 0 for v in totals)


def _obstructive_cad(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """A conclusion that obstructive (or multivessel) coronary disease is likely or unlikely, against what the
    study shows of it: ischemia above the SDS threshold (defects in several territories for multivessel disease)
    makes "unlikely" wrong; normal perfusion with no ischemia and no reduced flow makes "likely" wrong. A reduced
    flow reserve alone decides neither: balanced ischemia or microvascular disease (the rules' differential)."""
    reduced_flow = facts.mfr_global_category not in (None, "normal") or any(
        g != "normal" for g in facts.mfr_regional_categories.values()
    )
    multivessel = any(h.feature is HighRiskFeature.MULTIVESSEL_DEFECTS for h in facts.high_risk_features)
    ischemia = facts.ischemia and not facts.ischemia_marginal
    shown = multivessel if s.value == "multivessel" else ischemia
    normal = facts.perfusion_category in (PerfusionResult.NORMAL, PerfusionResult.PROBABLY_NORMAL)
    # ... unless no coronary calcium at all stands beside it (an Agatston score of 0): then the reduced reserve of
    # normal perfusion is the microvascular differential, and obstructive disease stated as present (not "possible",
    # not "cannot be excluded") is a conclusion against the study
    no_calcium = s.value != "multivessel" and not s.uncertain and _calcium_score_zero(facts)
    excluded = normal and not facts.ischemia and (not reduced_flow or no_calcium)
    evidence = (
        f"perfusion: {facts.perfusion_category}; ischemia: {'yes' if facts.ischemia else 'no'}; "
        + (f"global MFR: {facts.mfr_global_category}" if facts.mfr_global_category else "no flow data")
        + ("; CAC 0" if reduced_flow and no_calcium else "")
    )
    if s.present and excluded:
        shows = (
            "no ischemia, and a calcium score of 0 beside its reduced flow reserve"
            if reduced_flow
            else ("no ischemia or reduced flow")
        )
        return [_flag(F.FALSE_ISCHEMIA, f"The text concludes {s.value} coronary disease is likely; the study shows "
                      f"{shows}.", s, evidence)]  # fmt: skip
    if not s.present and shown:
        shows = "defects in several territories" if s.value == "multivessel" else "ischemia"
        return [_flag(F.NEGATION_FLIP, f"The text concludes {s.value} coronary disease is unlikely; the study shows "
                      f"{shows}.", s, evidence)]  # fmt: skip
    return []


def _restenosis(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """Restenosis of a stent stated where the study shows no ischemia and no reduced flow reserve in the stent's
    territory (any territory where the text names none): nothing there for a narrowing to cause."""
    if not s.present or s.uncertain:
        return []
    where = s.value or None
    ischemic = [d.territory for d in facts.defects if d.reversibility in ("reversible", "partially reversible")]
    shown = (where in ischemic or None in ischemic) if where else facts.ischemia
    reduced = (
        facts.mfr_regional_categories.get(where) not in (None, "normal")
        if where
        else facts.mfr_global_category not in (None, "normal")
        or any(g != "normal" for g in facts.mfr_regional_categories.values())
    )
    if shown or reduced:
        return []
    there = f" in the {where} territory" if where else ""
    return [_flag(F.FALSE_ISCHEMIA, f"The text states in-stent restenosis{there}; the study shows no ischemia or "
                  f"reduced flow there.", s, f"ischemia{there}: none")]  # fmt: skip


def _segment_score(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """A segment's stress/rest scores as the text lists them, against the study's scores of that segment."""
    number, _, scores = (s.value or "").partition(":")
    stress, _, rest = scores.partition("/")
    if not facts.segment_scores:
        return []
    # a segment the study does not list is unscored: normal
    known = facts.segment_scores.get(int(number), (0, frozenset({0})))
    if known[0] == int(stress) and (not known[1] or int(rest) in known[1]):
        return []
    name = SEGMENTS[int(number)].name
    shown = f"{known[0]}/{'/'.join(map(str, sorted(known[1]))) or '-'}"
    return [_flag(F.SEGMENT, f"The text scores the {name} segment ({number}) {scores}; the study scores it {shown}.",
                  s, f"segment {number}: {shown}")]  # fmt: skip


def _graded_value(s: Statement, claims: Claims, facts: Facts) -> set[str]:
    """The grade of the flow reserve whose value follows the statement's label: global where it is the global
    value, a territory's where it is that territory's (empty when the value is none of them)."""
    n = next(
        (n for n in claims.numbers if n.quantity == "mfr" and 0 <= n.span[0] - s.span[1] <= 6 and n.sent == s.sent),
        None,
    )
    if n is None:
        return set()
    out = set()
    for f in facts.quantities.get("mfr", []):
        if f.phase != "prior" and isinstance(f.value, float | int) and _matches(n, float(f.value)):
            grade = facts.mfr_regional_categories.get(f.territory) if f.territory else facts.mfr_global_category
            out |= {grade} if grade else set()
    return out


_CAC_WORDS = {"minimal": {"minimal", "mild"}, "mild": {"minimal", "mild"}}


def _cac_grade(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    want = facts.calcium_category
    if want is None or s.value in _CAC_WORDS.get(want, {want}):
        return []
    # the study's own visual grade beside its Agatston score (CAC-DRS-2018 and SCCT-STR-2016 give both scales; on a
    # non-gated attenuation-correction CT the visual grade is the one SCCT-STR-2016 recommends)
    visual = facts.calcium_visual_grade
    if visual is not None and s.value in _CAC_WORDS.get(visual, {visual}):
        return []
    seen = f" (visual grade {visual})" if visual is not None else ""
    return [
        _flag(
            F.SEVERITY,
            f"The text calls the coronary calcium {s.value}; the rules grade it {want}{seen}.",
            s,
            f"calcium: {want}{seen}",
        )
    ]


# The Agatston category of CAC-DRS 2018 (A0 zero, A1 1-99, A2 100-299, A3 >= 300) of each calcium band.
_CAC_DRS_OF_BAND = {"no identifiable coronary calcium": "0", "mild": "1", "moderate": "2", "severe": "3"}


def _cac_drs(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    want = _CAC_DRS_OF_BAND.get(facts.calcium_category or "")
    if want is None or s.value == want:
        return []
    return [
        _flag(
            F.CALCIUM,
            f"The text gives CAC-DRS A{s.value}; the Agatston score is CAC-DRS A{want} ({facts.calcium_category}).",
            s,
            f"calcium: {facts.calcium_category}",
        )
    ]


def _culprit(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """A diseased vessel named must be one with a defect or a reduced regional flow reserve."""
    known = {d.territory for d in facts.defects if d.certainty == Certainty.AFFIRMED and d.territory}
    known |= {t for t, grade in facts.mfr_regional_categories.items() if grade != "normal"}
    if s.value in known:
        return []
    return [
        _flag(
            F.TERRITORY,
            f"The text names {s.value} disease; the study shows no defect or reduced flow there.",
            s,
            f"defects: {', '.join(sorted(known)) or 'none'}",
        )
    ]


def _cardiomyopathy(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    # ischemic cardiomyopathy: reduced function explained by scar or ischemia; nonischemic: not
    ischemic = facts.scar or facts.ischemia
    if s.value == "ischemic" and not ischemic:
        return [
            _flag(
                F.FALSE_ISCHEMIA,
                "The text calls the cardiomyopathy ischemic; the study shows no scar or ischemia.",
                s,
                f"perfusion: {facts.perfusion_category}",
            )
        ]
    # a nonischemic process raised beside a scar ("a coexisting non-ischaemic cardiomyopathy should be
    # considered" where dysfunction exceeds the scar) is a reading; an ischemic one without scar or ischemia is not
    if s.value == "nonischemic" and facts.scar:
        return [
            _flag(
                F.NEGATION_FLIP,
                "The text calls the cardiomyopathy nonischemic; the study shows scar.",
                s,
                _describe(facts.defects),
                warn=s.uncertain,
            )
        ]
    return []


_PERFUSION_WORD = re.compile(r"\bperfusion\b", re.I)
# a perfusion score in the verdict's own parenthesis: "Normal SPECT (SSS 0)", "normal study (SSS/SDS 0)"
_PERFUSION_SCORE_AFTER = re.compile(r"[^.;()\n]{0,60}?\(\s*(?:SSS|SDS|SRS|TPD)\b", re.I)


# a verdict put as what a part of the findings would suggest ("on its own might suggest a normal study", "could be
# taken for a normal scan"), then overruled by a contrast ("; however, ...", ", but ..."): conceded, not the text's
_CONCEDED_BEFORE = re.compile(
    r"\b(?:might|would|could)\s+(?:otherwise\s+|easily\s+)?(?:suggest|indicate|imply|appear|look|seem|"
    r"be\s+(?:taken|read|mistaken|interpreted)\s+(?:for|as))\s+(?:(?:to\s+be\s+)?(?:a|an|the)\s+)?(?:[\w-]+\s+){0,2}$",
    re.I,
)
_OVERRULED_AFTER = re.compile(r"[^.;,]{0,30}?[,;]?\s*(?:however|but|yet)\b", re.I)


def _conceded_then_overruled(claims: Claims, s: Statement) -> bool:
    a = claims.sentences[s.sent][0]
    return bool(
        _CONCEDED_BEFORE.search(claims.text, max(a, s.span[0] - 60), s.span[0])
        and _OVERRULED_AFTER.match(claims.text, s.span[1])
    )


# a verdict reported as another reader's ("The software calls this a normal study", "the automated analysis labels it
# abnormal", "the referring letter describes a normal scan", "QPS reports the perfusion as normal"): the text quotes
# a call, it does not make it, unless it agrees ("..., and I agree")
_ANOTHER_READER = (
    r"(?:software|program(?:me)?|algorithm|computer|machine|QPS|QGS|4DM|Corridor|Emory|ECToolbox|Cedars|"
    r"(?:automated|automatic|quantitative|computer-?aided|AI)\s+(?:[\w-]+\s+)?(?:analysis|quantification|read(?:ing)?|"
    r"report|program|output|tool)|(?:referr\w+|outside|external|preliminary|original|first|other)\s+"
    r"(?:reader|report|letter|read(?:ing)?|physician|cardiologist|radiologist|doctor|clinician|team)|vendor)"
)
_ATTRIBUTED_BEFORE = re.compile(
    rf"\b{_ANOTHER_READER}\s+(?:[\w-]+\s+){{0,2}}?(?:calls?|called|labels?|label{{1,2}}ed|reads?|classif\w+|grades?|"
    r"graded|reports?|reported|scores?|scored|flags?|flagged|deems?|deemed|considers?|considered|says?|said|"
    r"interprets?|interpreted|describes?|described|terms?|termed|suggests?|suggested)\s+"
    r"(?:(?:it|(?:this|that|the)(?:\s+(?:study|scan|images?|perfusion))?)\s+)?"
    r"(?:as\s+)?(?:(?:an?|the)\s+)?['\"\u2018\u201c]?(?:[\w-]+\s+){0,1}$",
    re.I,
)
_AGREED_AFTER = re.compile(r"[^.;]{0,60}?\b(?:I|we)\s+(?:would\s+)?(?:agree|concur)\b", re.I)


def _attributed_to_another(claims: Claims, s: Statement) -> bool:
    """The verdict is quoted as another reader's (see _ATTRIBUTED_BEFORE) and the text does not take it up."""
    a = claims.sentences[s.sent][0]
    return bool(
        _ATTRIBUTED_BEFORE.search(claims.text, max(a, s.span[0] - 100), s.span[0])
        and not _AGREED_AFTER.match(claims.text, s.span[1])
    )


def _study_result(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """A verdict on the whole study ("Normal regadenoson SPECT", "Abnormal rubidium PET")."""
    # a verdict that names perfusion ("a normal perfusion study"), or quotes a perfusion score beside it ("Normal
    # SPECT (SSS 0)"), says nothing of LV size or function: a reduced LVEF without a perfusion sign, or a high risk
    # resting only on the LV's volume, does not make it wrong
    of_perfusion = bool(
        _PERFUSION_WORD.search(_said(claims, s)) or _PERFUSION_SCORE_AFTER.match(claims.text, s.span[1])
    )
    high = facts.risk == RiskCategory.HIGH and not (of_perfusion and facts.risk_high_by_volume_only)
    abnormal_signs = bool(
        high or facts.tid_abnormal or facts.features.get("balanced") or facts.features.get("lvef_drop")
        or (not of_perfusion and (facts.features.get("esv_high") or facts.lvef_category in _REDUCED))
    )  # fmt: skip
    study = facts.perfusion_category
    if s.value in ("normal", "probably normal") and _conceded_then_overruled(claims, s):
        return []  # "which alone might suggest a normal study; however, flow is severely reduced": not its verdict
    if _attributed_to_another(claims, s):
        return []  # "The software calls this a normal study": another reader's call, quoted
    if s.value in ("normal", "probably normal") and (study == PerfusionResult.ABNORMAL or abnormal_signs):
        return [
            _flag(
                F.NORMAL_ABNORMAL,
                f"The text calls the study {s.value}; it is not ({study} perfusion{', high risk' if high else ''}).",
                s,
                f"perfusion: {study}; risk: {facts.risk}",
            )
        ]
    if (
        s.value == "abnormal"
        and study in (PerfusionResult.NORMAL, PerfusionResult.PROBABLY_NORMAL)
        and not abnormal_signs
        # a stress test called positive by its ischemic ECG with normal images ("Positive test; normal perfusion")
        and not (facts.ecg_response == "ischemic" and _said(claims, s).lower().startswith("positive"))
    ):
        # (a region the rules leave open, facts.equivocal, read as abnormal: a reading, as in _perfusion_result)
        reading = study == PerfusionResult.PROBABLY_NORMAL and _open_ischemic_region(facts)
        return [
            _flag(
                F.NORMAL_ABNORMAL,
                f"The text calls the study abnormal; perfusion is {study}"
                + (" (a region the rules leave open: a reading)." if reading else "."),
                s,
                f"perfusion: {study}",
                warn=reading,
            )
        ]
    return []


def _artifact_after_ac(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """A reduction said to stay on the attenuation-corrected images where the study records that they resolved it."""
    if not facts.artifact_resolved_by_ac:
        return []
    msg = "The text says the reduction persists with attenuation correction; the study records it resolved there."
    return [_flag(F.FALSE_ARTIFACT, msg, s, "attenuation artifact resolved on AC images")]


def _artifact_resolved_by_ac(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """A reduction said to go away with attenuation correction (an attenuation artifact) where the study records a
    perfusion defect (or an equivocal reduction, scored on the corrected images) and no artifact: the defect called an
    artifact."""
    if facts.artifacts or facts.artifact_resolved_by_ac or not (facts.defects or facts.equivocal):
        return []
    msg = "The text says the reduction resolves with attenuation correction; the study records a defect, no artifact."
    return [_flag(F.FALSE_ARTIFACT, msg, s, "perfusion: defect; artifacts: none")]


def _infarct_history(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """An old infarct named where neither the clinical record (no prior MI) nor the images (no scar) give one."""
    if facts.scar or facts.history_mi:
        return []
    if any(st.concept == "scar" and st.present and st.sent == s.sent for st in claims.statements) or any(
        d.sent == s.sent and d.reversibility is not None and d.reversibility[0] == "fixed" for d in claims.defects
    ):
        return []  # "a fixed defect suggests prior infarction": the scar the sentence states is checked as scar
    return [_flag(F.FALSE_SCAR, "The text names an old infarct; the history records no infarction and the images "
                  "show no scar.", s, "clinical: no prior MI; perfusion: no fixed defect")]  # fmt: skip


def _hr_adequacy(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """A chronotropic stress called submaximal or adequate against the heart rate's target (ACC-AHA-EXERCISE-2002)."""
    if facts.hr_adequate is None or (s.value == "adequate") == facts.hr_adequate or claims.in_prior(s.span[0]):
        return []
    mphr = ", ".join(f"{_fmt(v)}%" for v in sorted(facts.bag.get("mphr%", set()))) or "n/a"
    said, shown = ("adequate", "submaximal") if s.value == "adequate" else ("submaximal", "adequate")
    return [_flag(F.NORMAL_ABNORMAL, f"The text calls the heart rate {said}; it was {shown}.", s,
                  f"peak heart rate {mphr} of the age-predicted maximum ({shown})")]  # fmt: skip


def _verdict_grade(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """The whole study graded ("mildly abnormal") against the rules' risk and ischemic burden: a high-risk study,
    or one whose ischemia is moderate or severe (ASNC-SPECT-2018 bands of % LV), is not mildly abnormal; a low-risk
    study with no more than mild ischemia and a normal LVEF is not markedly abnormal."""
    burden = facts.ischemic_category if facts.ischemia else None
    if s.value == "mild" and (facts.risk == RiskCategory.HIGH or burden in ("moderate", "severe")):
        return [
            _flag(
                F.SEVERITY,
                f"The text calls the study mildly abnormal; the rules give {facts.risk} risk"
                + (f" with {burden} ischemia." if burden else "."),
                s,
                f"risk: {facts.risk}; ischemic burden: {burden or 'n/a'}",
            )
        ]
    mild_at_most = burden in (None, "minimal", "mild")
    if s.value == "marked" and facts.risk == RiskCategory.LOW and mild_at_most and facts.lvef_category not in _REDUCED:
        return [_flag(F.SEVERITY, "The text calls the study markedly abnormal; the rules give low risk.", s,
                      f"risk: {facts.risk}; ischemic burden: {burden or 'none'}")]  # fmt: skip
    return []


def _feature(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    c = s.concept
    name = _FEATURE_NAME[c].format(esv_limit_ml=facts.esv_limit_ml)
    real = facts.features.get(c, False)
    if c == "wall_motion_abnormal" and s.present and not real and _motion_explained(claims, s.span, s.sent, facts):
        return []
    if s.present and not real and _read_from_measurements(c, s, claims, facts):
        return []
    if c == "lbbb_artifact" and _motion_attributed(claims, s):
        return []
    if c == "lbbb_artifact" and s.present and not real and _septal_artifact_said(claims, s, facts):
        return []
    if c == "lvef_drop" and s.present and not real and _fell_to_rest_since_prior(claims, s, facts):
        return []
    if s.present and not real and c in facts.undecided:
        return [_unrecorded(c, name, s, _FEATURE_CODE.get(c, F.FALSE_OTHER))]
    if c == "rv" and facts.rv_by_uptake_only and not _names_rv_uptake(claims, s):
        # the RV's uptake says nothing of its size or motion: "a dilated RV" beside normal uptake is unverified, not
        # contradicted, and "no RV enlargement" beside increased uptake is no denial of it
        return [_unrecorded("rv_size", name, s, F.FALSE_RV)] if s.present and not real else []
    if s.present and not real:
        # a finding the text names and doubts ("considered less likely") is a reader's hedge: shown, not an error
        verb = "raises" if s.uncertain else "states"
        code = _FEATURE_CODE.get(c, F.FALSE_OTHER)
        # (allograft vasculopathy named where flow is not globally reduced may be the screen's purpose, "CAV screen":
        # shown, not an error)
        # stunning read from a post-stress wall-motion abnormality where no rest function was measured (a
        # thallium rest without gating): the rest LVEF that would show the drop is missing, so a reading
        unmeasured = (
            c == "lvef_drop"
            and bool(facts.wall_motion)
            and not any(f.phase == "rest" for f in facts.quantities.get("lvef", []))
        )
        return [
            _flag(
                code,
                f"The text {verb} {name}; the study does not show it"
                + (" (no rest LVEF was measured)." if unmeasured else "."),
                s,
                # (a hypertensive response is graded against a sex's SBP limit: called where the pressure fell, an
                # error; elsewhere a reading near that limit, shown)
                warn=s.uncertain
                or unmeasured
                or c == "allograft_vasculopathy"
                or (c == "hypertensive_response" and not facts.features.get("hypotension")),
            )
        ]
    if not s.present and not real and c == "balanced" and c in facts.readings and not s.uncertain:
        # the SPECT markers of ischemia beyond the relative defects (TID, a post-stress LVEF drop, lung uptake) are
        # the signs of balanced ischemia that relative images hide: a reader may weigh them, not rule it out
        return [
            _flag(
                F.NEGATION_FLIP,
                "The text rules out balanced multivessel ischemia; the study shows its markers on the perfusion images "
                "(TID, a post-stress LVEF drop or increased lung uptake).",
                s,
                "markers of ischemia beyond the relative defects",
            )
        ]
    if not s.present and real:
        # globally reduced flow is balanced ischemia or microvascular disease (the rules' own differential): a
        # denial of the first is a reading, shown; a denial of any other feature contradicts the study
        # ... and an artifact reading a reader rejects is a reading too
        warn = c in ("balanced", "lbbb_artifact")
        return [_flag(F.NEGATION_FLIP, f"The text denies {name}; the study shows it.", s, name, warn=warn)]
    return []


# a statement of the LVEF itself ("drop in LVEF", "negative EF reserve"), which regional stunning does not support
_NAMES_LVEF = re.compile(r"\b(?:L?V?EF|ejection fraction)\b", re.I)


_MOTION_OR_PERFUSION = re.compile(
    r"\b(?P<motion>mov\w*|motion|dyssynchron\w*|paradox\w*|contract\w*|thicken\w*|ECG|EKG|QRS|ST)\b|"
    r"\b(?:defects?|uptake|counts?|perfusion|reduction|ischa?emi\w*|artefact|artifact|tracer)\b",
    re.I,
)


_SEPTAL_WALL_VALUES = frozenset({"septal", "anteroseptal", "inferoseptal"})


def _septal_artifact_said(claims: Claims, s: Statement, facts: Facts) -> bool:
    """The conduction artifact said of the septum ("septal defect: LBBB artefact") where a septal-only region stands
    beside other defects: the sentence names the septum and no other wall, so the artifact is the septal region's, and
    the others are read on their own (ASNC-SPECT-2018: the LBBB artifact is a septal reduction)."""
    if not facts.septal_artifact_possible:
        return False
    walls = {str(m.value) for m in claims.mentions if m.label == "WALL" and m.sent == s.sent and not m.negated}
    return bool(walls & _SEPTAL_WALL_VALUES) and walls <= _SEPTAL_WALL_VALUES


def _motion_attributed(claims: Claims, s: Statement) -> bool:
    """The conduction disorder is named as the cause of what the sentence said last: septal motion or the ECG
    ("the septum moves oddly but that is the LBBB"), not a perfusion reduction."""
    a = claims.sentences[s.sent][0]
    words = list(_MOTION_OR_PERFUSION.finditer(claims.text, a, s.span[0]))
    return bool(words) and words[-1].group("motion") is not None


# the value an LVEF is said to have fallen to ("the fall in LVEF to 44%")
_FALLEN_TO = re.compile(r"[^.;%]{0,30}?\bto\s+(\d+(?:\.\d+)?)\s*%", re.I)


def _fell_to_rest_since_prior(claims: Claims, s: Statement, facts: Facts) -> bool:
    """An LVEF said to have fallen to its rest value, below the prior study's: a change since the prior (the rest
    LVEF is the baseline of a post-stress drop, never its end)."""
    hit = _FALLEN_TO.match(claims.text, s.span[1])
    if hit is None:
        return False
    lvef = facts.quantities.get("lvef", [])
    to = float(hit.group(1))
    rest = any(q.phase == "rest" and isinstance(q.value, int | float) and abs(q.value - to) <= 1 for q in lvef)
    above = any(q.phase == "prior" and isinstance(q.value, int | float) and q.value > to + 1 for q in lvef)
    return rest and above


def _read_from_measurements(concept: str, s: Statement, claims: Claims, facts: Facts) -> bool:
    """A finding the study shows in its measurements though the rules grade no feature of it (facts.readings):
    exertional hypotension, apical thinning, and stunning said as such (a regional post-stress wall-motion
    abnormality over ischemia, not a fall in the LVEF, which stays the rules' post-stress LVEF drop)."""
    if concept == "lvef_drop":
        return "stunning" in facts.readings and not _NAMES_LVEF.search(claims.text, s.span[0], s.span[1])
    return concept in facts.readings


def _lv_size(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    if s.value == "dilated" and "lv_size" in facts.undecided:
        return [_unrecorded("lv_size", "LV dilation", s, F.FALSE_OTHER)]
    if s.value == "dilated" and not (facts.tid_abnormal or facts.features.get("esv_high")):
        # an end-diastolic volume above the reference limit, which no rule grades: the dilation is a reading, shown
        return [
            _flag(F.FALSE_OTHER, "The text states LV dilation; volumes and TID do not show it.", s)
            if not facts.edv_above_reference
            else _flag(
                F.FALSE_OTHER,
                "The text states LV dilation; the end-diastolic volume is above the reference limit, which the rules "
                "do not grade (a reading).",
                s,
                warn=True,
            )
        ]
    if s.value == "normal" and facts.features.get("esv_high"):  # "non-dilated LV" with a high post-stress ESV
        return [
            _flag(
                F.NEGATION_FLIP,
                f"The text calls the LV not dilated; its end-systolic volume is above {facts.esv_limit_ml:g} mL.",
                s,
                "esv above the high-risk limit",
            )
        ]
    return []


def _calcification(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    if s.present and facts.calcium_present is not True:
        return [
            _flag(
                F.FALSE_OTHER,
                "The text states coronary calcification; the study does not show it.",
                s,
                "calcium: none" if facts.calcium_present is False else NO_SUPPORT,
            )
        ]
    if not s.present and facts.calcium_present:
        return [
            _flag(
                F.NEGATION_FLIP,
                "The text denies coronary calcium; the study shows it.",
                s,
                "coronary artery calcium present",
            )
        ]
    return []


# a verdict on the rest images only: "rest perfusion is normal", "perfusion at rest is normal", the phase inside the
# verdict ("normal rest perfusion", "normal resting perfusion") or after it ("normal perfusion on the rest images");
# not one that names the stress images too ("normal rest and stress perfusion", "normal at rest and stress")
_REST_BEFORE = re.compile(r"\b(?:rest|resting)\s*$", re.I)
_REST_AFTER = re.compile(
    r"\s*(?:is\s+|was\s+)?(?:normal\s+)?(?:at\s+rest\b|(?:on|in)\s+(?:the\s+)?(?:rest|resting)\s+"
    r"(?:images?|imaging|scans?|study|acquisition)\b)"
    r"(?!\s*(?:and|or|/|&)\s*(?:(?:at|on|under|during|with|after)\s+)?(?:the\s+)?(?:stress|exercise|peak))",
    re.I,
)
_REST_INSIDE = re.compile(r"\b(?:rest|resting)\b", re.I)
_STRESS_INSIDE = re.compile(r"\b(?:stress|exercise|peak|regadenoson|adenosine|dipyridamole|dobutamine)\b", re.I)


def _rest_only(claims: Claims, s: Statement) -> bool:
    """The verdict is one on the rest images only (see _REST_BEFORE, _REST_AFTER, _REST_INSIDE)."""
    a, b = s.span
    said = claims.text[a:b]
    if _REST_INSIDE.search(said):
        return not _STRESS_INSIDE.search(said)
    return bool(_REST_BEFORE.search(claims.text[max(0, a - 12) : a]) or _REST_AFTER.match(claims.text, b))


def _open_ischemic_region(facts: Facts) -> bool:
    """The study's only departures from normal are score-1 regions the rules leave open (facts.equivocal), each
    improving at rest and counted as ischemic myocardium, with no artifact recorded: "abnormal" is a reading of them
    (not of a fixed region, which an artifact or a normal variant may explain)."""
    burden = any(isinstance(f.value, int | float) and f.value > 0 for f in facts.quantities.get("ischemic_percent", []))
    return (
        bool(facts.equivocal)
        and all(d.reversibility in ("reversible", "partially reversible") for d in facts.equivocal)
        and not facts.artifacts
        and burden
    )


def _perfusion_result(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    study, said = facts.perfusion_category, s.value
    if _rest_only(claims, s):
        # the rest images are abnormal where the study has scar (a defect at rest), normal otherwise
        rest = "abnormal" if facts.scar else "normal"
        if said in ("normal", "abnormal") and said != rest:
            return [
                _flag(
                    F.NORMAL_ABNORMAL,
                    f"The text calls rest perfusion {said}; it is {rest}.",
                    s,
                    f"perfusion at rest: {'fixed defect' if facts.scar else 'no fixed defect'}",
                )
            ]
        return []
    if study not in _COMPATIBLE or said not in _COMPATIBLE or study in _COMPATIBLE[PerfusionResult(said)]:
        return []
    if _attributed_to_another(claims, s):
        return []  # "QPS reports the perfusion as normal": another reader's call, quoted
    # perfusion called abnormal where the rules leave a region open (score-1 segments, facts.equivocal) and grade the
    # study probably normal: the reader's reading of that region, shown as a warning (as ischemia stated of it is)
    reading = said == "abnormal" and study == PerfusionResult.PROBABLY_NORMAL and _open_ischemic_region(facts)
    if said == "normal" and _except_named(claims, s):
        return []  # "normal perfusion otherwise": the myocardium outside the defect the text names
    if said == "normal" and _outside_defects(claims, s, facts):
        return []  # "septal perfusion is normal": a wall the study's defects do not reach
    return [
        _flag(
            F.NORMAL_ABNORMAL,
            f"The text calls perfusion {said}; the study is {study}"
            + (" (a region the rules leave open: a reading)." if reading else "."),
            s,
            f"perfusion: {study}",
            warn=reading,
        )
    ]


# a verdict scoped to the rest of the myocardium ("normal perfusion otherwise", "elsewhere normal", "in the
# remaining segments")
_EXCEPT_BEFORE = re.compile(r"\b(?:otherwise|elsewhere|remaining|remainder|rest of the)\b[^.;]{0,25}$", re.I)
_EXCEPT_AFTER = re.compile(
    r"^[^.;]{0,30}?\b(?:otherwise|elsewhere|in the remaining|in the remainder|in all other)\b", re.I
)


def _except_named(claims: Claims, s: Statement) -> bool:
    """A verdict on the myocardium outside a defect the text names (stated, not denied)."""
    a, b = s.span
    s0, s1 = claims.sentences[s.sent]
    scoped = _EXCEPT_BEFORE.search(claims.text[s0:a]) or _EXCEPT_AFTER.match(claims.text[b:s1])
    return bool(scoped) and any(d.kind == "perfusion" and d.certainty != "negated" for d in claims.defects)


def _outside_defects(claims: Claims, s: Statement, facts: Facts) -> bool:
    """A verdict on the walls or territories its own clause names ("septal perfusion is normal", "normal perfusion
    in the RCA territory"), none of which the study's defects reach: a regional verdict, true of those places."""
    a, b = _clause(claims, s)
    places: list[Mention] = []
    for m in claims.mentions:
        if m.sent != s.sent or m.start < a or m.label not in _LOCATIONS or m.negated:
            continue
        # a list of places goes on past the clause's comma ("normal in the LAD, LCx and RCA territories")
        if m.start >= b and not (places and _PLACE_LIST_GAP.fullmatch(claims.text, places[-1].end, m.start)):
            break
        places.append(m)
    if not places:
        return False
    pool = facts.defects + facts.equivocal
    walls = {w for d in pool for w in d.walls}
    segs = {n for d in pool for n in d.segments}
    territories = {d.territory for d in pool}
    return not any(_wall_ok(str(m.value), walls, segs) if m.label == "WALL" else m.value in territories for m in places)


_LOCATIONS = ("WALL", "TERRITORY")
_PLACE_LIST_GAP = re.compile(r"[\s,/&]*(?:(?:and|or|the)\b[\s,/&]*)*")


def _defect(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    has_defects = bool(facts.defects or facts.equivocal)
    if s.present and not has_defects and not facts.artifacts:
        return [
            _flag(
                F.FALSE_DEFECT,
                "The text states a perfusion defect; the study shows none.",
                s,
                "perfusion: no defect",
                warn=s.uncertain,
            )
        ]
    qualifier = _denied_defect_kind(claims, s)
    if qualifier and not s.present:  # "no fixed defect to suggest scar": denies only a defect of that kind
        kinds = _OF_KIND[qualifier]
        if not any(d.certainty == Certainty.AFFIRMED and d.reversibility in kinds for d in facts.defects):
            return []
    if not s.present and any(d.certainty == Certainty.AFFIRMED for d in facts.defects) and not _in_defect(claims, s):
        return [
            _flag(
                F.NEGATION_FLIP,
                "The text denies a perfusion defect; the study shows one.",
                s,
                _describe(facts.defects),
            )
        ]
    return []


_REVERSIBILITY_BEFORE = re.compile(r"\b(fixed|reversible)\s+(?:perfusion\s+)?$", re.I)
_PURELY_BEFORE = re.compile(
    r"\b(?:purely|entirely|completely|wholly|totally|solely|exclusively|simply)\s+(?:fixed|reversible)\s+(?:perfusion\s+)?$",
    re.I,
)
_KIND_AFTER_REACH = 2
_OF_KIND = {
    "fixed": {Reversibility.FIXED, Reversibility.PARTIALLY_REVERSIBLE},
    "reversible": {Reversibility.REVERSIBLE, Reversibility.PARTIALLY_REVERSIBLE},
    "purely fixed": {Reversibility.FIXED},
    "purely reversible": {Reversibility.REVERSIBLE},
}
# the kind said after the denied defect in plain words ("no area that is short of blood during stress"), within its
# clause
_KIND_AFTER_GAP = re.compile(r"[^.;:]{0,40}")


def _denied_defect_kind(claims: Claims, s: Statement) -> str | None:
    """The kind of defect a denial names ("fixed", "reversible"), before the defect or, in plain words, after it;
    None for any defect."""
    before = _REVERSIBILITY_BEFORE.search(claims.text[max(0, s.span[0] - 30) : s.span[0]])
    if before:
        # "not a purely fixed defect": denies a wholly fixed one only, not the partly reversible one the study shows
        pure = _PURELY_BEFORE.search(claims.text[max(0, s.span[0] - 45) : s.span[0]])
        return f"purely {before.group(1).lower()}" if pure else before.group(1).lower()
    for m in claims.mentions:
        if (
            m.sent == s.sent
            and m.label == "REVERSIBILITY"
            and m.value in _OF_KIND
            and m.start >= s.span[1]
            and (
                # right after it ("no sign of reduced blood supply on stress": a stress-induced reduction denied)
                (m.start - s.span[1] <= _KIND_AFTER_REACH and not claims.text[s.span[1] : m.start].strip(" "))
                or (m.negated and _KIND_AFTER_GAP.fullmatch(claims.text, s.span[1], m.start) is not None)
            )
        ):
            return str(m.value)
    return None


def _lvef_grade(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    if not s.present or _grades_its_value(s, claims, facts):
        return []
    if (
        s.value == "normal"
        and facts.lvef_category == "mildly reduced"
        and facts.lvef is not None
        and facts.lvef >= DEFAULT_THRESHOLDS.lvef_preserved_min
        and "preserved" in _said(claims, s).lower()
    ):
        # "preserved" in the heart-failure guidelines' sense (LVEF >= 50%): a reading of a mildly reduced LVEF
        msg = f"The text calls LV function preserved; LVEF {facts.lvef:g}% is mildly reduced by the ASE limits."
        return [_flag(F.NORMAL_ABNORMAL, msg, s, f"LVEF {facts.lvef:g}% (mildly reduced)", warn=True)]
    if (
        s.value == "severely reduced"
        and facts.lvef_category == "moderately reduced"
        and facts.lvef is not None
        and facts.lvef < DEFAULT_THRESHOLDS.high_risk_lvef_below
    ):
        # ACC-AHA-SIHD-2012 calls an LVEF < 35% "severe resting LV dysfunction" (a high-risk finding) where the
        # ASE-EACVI-2015 limits grade it moderately reduced down to 30%: a reading of the same value by another
        # guideline's word, shown, not an error
        msg = (
            f"The text calls LV function severely reduced; LVEF {facts.lvef:g}% is moderately reduced by the ASE "
            f"limits (severe below {DEFAULT_THRESHOLDS.lvef_severe_below:g}%), severe LV dysfunction by ACC/AHA "
            f"(below {DEFAULT_THRESHOLDS.high_risk_lvef_below:g}%)."
        )
        return [_flag(F.LVEF_CATEGORY, msg, s, f"LVEF {facts.lvef:g}% (moderately reduced)", warn=True)]
    return _lvef_category(s, facts)


def _grades_its_value(s: Statement, claims: Claims, facts: Facts) -> bool:
    """A grade written beside a measured LVEF of another phase that the grade fits ("mildly reduced LVEF 52%"
    for a peak-stress 52% where function is graded at rest): the grade of that value, by the same limits."""
    lower = facts.lvef_lower_normal
    if lower is None:
        return False
    t = DEFAULT_THRESHOLDS
    for n in claims.numbers:
        near = 0 <= n.span[0] - s.span[1] <= 15 or 0 <= s.span[0] - n.span[1] <= 15
        if n.quantity != "lvef" or n.sent != s.sent or not near:
            continue
        if not any(f.phase != "prior" and _matches(n, float(f.value)) for f in facts.quantities.get("lvef", [])):
            continue
        v = n.value
        grade = (
            "normal"
            if v >= lower
            else "mildly reduced"
            if v >= t.lvef_moderate_below
            else "moderately reduced"
            if v >= t.lvef_severe_below
            else "severely reduced"
        )
        return s.value in (grade, "reduced" if grade != "normal" else "normal")
    return False


def _ecg(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    said, known = _ECG_SAME.get(s.value or "", s.value), _ECG_SAME.get(facts.ecg_response or "", facts.ecg_response)
    if said == known:
        return []
    if (
        said == "nonischemic"
        and known in ("nondiagnostic", "equivocal")
        and any(o.concept == "ecg" and o.sent == s.sent and o.value == known for o in claims.statements)
    ):
        return []  # "no ischemic ST-segment changes, but at a submaximal heart rate the ECG is non-diagnostic"
    if said == "nonischemic" and known == "nondiagnostic" and _read_until_event(s, claims, facts):
        return []  # "no ST depression before the rate-related LBBB appeared": the tracing until it became unreadable
    ev = f"ECG response: {facts.ecg_response}" if facts.ecg_response else NO_SUPPORT
    # an ischemic response the study does not give, or a nonischemic one where it gives an ischemic one, is
    # a contradiction; "nondiagnostic" or "equivocal" for either is a reader's grading of the same tracing
    contradiction = known is not None and (
        (said == "ischemic" and known != "ischemic")
        or (known == "ischemic" and said == "nonischemic")
        # a tracing whose baseline rhythm leaves no ST segment to read (ACC-AHA-EXERCISE-2002: LBBB, ventricular
        # pacing, pre-excitation) is nondiagnostic by that fact, not by a reader's grading: "no ischaemia" reads it
        # (said plainly: not hedged, and not beside the text's own word that the tracing cannot be read)
        or (
            said == "nonischemic"
            and known == "nondiagnostic"
            and facts.baseline_ecg in _ST_UNREADABLE
            and not s.uncertain
            and not _ECG_UNREADABLE_SAID.search(claims.text)
        )
    )
    return [
        _flag(
            F.ECG_RESPONSE,
            f"The text calls the ECG response {s.value}; the study says {facts.ecg_response or 'nothing'}.",
            s,
            ev,
            warn=not contradiction,
        )
    ]


_ECG_SAME = {"normal": "nonischemic"}
_ST_UNREADABLE = frozenset({BaselineEcg.LBBB.value, BaselineEcg.PACED.value, BaselineEcg.WPW.value})
# the text's own word that the stress ECG cannot be read ("the ECG cannot be interpreted for ischemia", "non-diagnostic
# ECG", "ECG uninterpretable")
_ECG_UNREADABLE_SAID = re.compile(
    r"\b(?:ECG|EKG|electrocardiogra\w*|ST[- ]segments?)\b[^.;]{0,40}?\b(?:non-?diagnostic|nondx|uninterpretable|"
    r"unreadable|not\s+(?:interpretable|diagnostic|readable|reliable|assessable|evaluable)|(?:cannot|can't|could\s+not|"
    r"can\s+not)\s+be\s+(?:interpreted|used|read|assessed|evaluated|relied))"
    r"|\b(?:non-?diagnostic|uninterpretable|unreadable)\s+(?:[\w-]+\s+){0,2}?(?:ECG|EKG|electrocardiogra\w*)\b",
    re.I,
)
_UNTIL = re.compile(r"\b(?:before|until|till|prior\s+to|up\s+to)\b", re.I)


def _read_until_event(s: Statement, claims: Claims, facts: Facts) -> bool:
    """The ECG verdict is limited to the time before an ECG event the stress data record ("no ST depression until
    the LBBB developed"), the event that made the rest of the tracing nondiagnostic."""
    s1 = claims.sentences[s.sent][1]
    until = _UNTIL.search(claims.text, s.span[1], s1)
    if until is None:
        return False
    window = claims.text[until.end() : min(s1, until.end() + 60)]
    return any(rx.search(window) for key, rx in cues().ecg_events if key in _recorded_events(facts))


def _agent(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    if s.value == facts.agent:
        return []
    return [
        _flag(
            F.STRESS_AGENT,
            f"The text names {s.value}; the stress agent was {facts.agent or 'none (exercise only)'}.",
            s,
            f"stress agent: {facts.agent or 'none'}",
        )
    ]


_NON_SUSTAINED = re.compile(r"non-?\s?sustained|\bNSVT\b|self-?\s?terminat|self-?\s?limit", re.I)
_VT_RECORDED = re.compile(r"\bventricular\s+tachycardia\b|\bN?S?VT\b", re.I)
_FREQUENCY_WORD = re.compile(
    r"\b(?P<f>frequent|many|numerous|multiple|rare|isolated|occasional|infrequent|few|sporadic)\b", re.I
)
_ECTOPY_RECORDED = re.compile(r"\bPVCs?\b|\bVPCs?\b|ventricular\s+(?:ectop|extrasystol|premature)|ectop", re.I)


def _vt(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """Ventricular tachycardia called sustained where the stress data record it non-sustained, or the reverse."""
    recorded = [a for a in facts.arrhythmias if _VT_RECORDED.search(a)]
    if not s.present:
        # denied ("no VT", "no sustained VT"): false where the stress data record VT of that kind
        kinds = {"non-sustained" if _NON_SUSTAINED.search(a) else "sustained" for a in recorded}
        if not kinds or (s.value is not None and s.value not in kinds):
            return []
        return [
            _flag(
                F.FALSE_OTHER,
                "The text denies ventricular tachycardia; the stress data record it.",
                s,
                f"arrhythmias: {'; '.join(facts.arrhythmias)}",
            )
        ]
    if not recorded:
        # VT during this test that the stress data do not record (they list the arrhythmias seen, or none)
        return [
            _flag(
                F.FALSE_OTHER,
                "The text states ventricular tachycardia; the stress data record none.",
                s,
                f"arrhythmias: {'; '.join(facts.arrhythmias) or 'none'}",
            )
        ]
    kinds = {"non-sustained" if _NON_SUSTAINED.search(a) else "sustained" for a in recorded}
    if s.value is None or s.value in kinds:
        return []
    return [
        _flag(
            F.FALSE_OTHER,
            f"The text calls the ventricular tachycardia {s.value}; the stress data record {'; '.join(recorded)}.",
            s,
            f"arrhythmias: {'; '.join(facts.arrhythmias)}",
        )
    ]


_SVT_RECORDED = re.compile(
    r"\bP?SVT\b|\bAVN?RT\b|supraventricular|re-?entr|\batrial\s+(?:tachycardia|fibrillation|flutter)\b", re.I
)


def _svt(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """A supraventricular tachycardia during the test where the stress data record no arrhythmia at all (they list
    the arrhythmias seen, or none); where they record one of another kind, the stop-reason and ECG-event checks
    compare the two (one wrong fact, one flag)."""
    records = [r for r in (*facts.arrhythmias, *facts.stress_notes, facts.baseline_ecg) if r]
    if not s.present or facts.arrhythmias or any(_SVT_RECORDED.search(r) for r in records):
        return []
    return [
        _flag(
            F.FALSE_OTHER,
            "The text states a supraventricular tachycardia during the test; the stress data record none.",
            s,
            f"arrhythmias: {'; '.join(facts.arrhythmias) or 'none'}",
        )
    ]


def _recorded_events(facts: Facts) -> dict[str, list[str]]:
    """The ECG events (cues.json "ecg_events") the stress data record, each with the records that name it: the
    arrhythmias of the test and the resting ECG pattern."""
    records = [*facts.arrhythmias, facts.baseline_ecg]
    return {
        key: [r for r in records if rx.search(r)] for key, rx in cues().ecg_events if any(rx.search(r) for r in records)
    }


def _bundle_branch_block(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """A bundle branch block of one side where the stress data record one of the other side only."""
    events = _recorded_events(facts)
    recorded = {side for side, key in (("left", "lbbb"), ("right", "rbbb")) if key in events}
    if not recorded or s.value in recorded:
        return []
    said = "; ".join(r for key in ("lbbb", "rbbb") for r in events.get(key, ()))
    return [
        _flag(
            F.FALSE_OTHER,
            f"The text states a {s.value} bundle branch block; the stress data record {said}.",
            s,
            f"ECG: {said}",
        )
    ]


# the stress data's words for an event's course: gone ("transient", "resolved within 1 min", "self-limiting") or kept
_RECORD_RESOLVED = re.compile(
    r"\bresolv\w*|\bwent\s+away\b|\bdisappear\w*|\bnormali[sz]\w*|\btransient\w*|\bself-?\s?(?:limit|terminat)\w*|\bbrief\b",
    re.I,
)
_RECORD_PERSISTED = re.compile(r"\bpersist\w*|\b(?:did\s+not|never)\s+resolve\b|\bunresolved\b", re.I)


def _av_block_degree(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """An AV block of another degree than the one the stress data record ("complete heart block" for a transient
    Mobitz I); a block the data record with no degree is not checked."""
    records = [r for r in (*facts.arrhythmias, facts.baseline_ecg) if r]
    recorded = {av_block_degree(h) for r in records for h in AV_BLOCK_DEGREE.finditer(r)}
    if not recorded or s.value in recorded:
        return []
    shown = "; ".join(r for r in records if AV_BLOCK_DEGREE.search(r))
    return [
        _flag(
            F.FALSE_OTHER,
            f"The text states a {s.value}-degree AV block; the stress data record {shown}.",
            s,
            f"ECG: {shown}",
        )
    ]


def _ecg_event_course(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """An ECG event of the test said to persist where the stress data record it resolved, or the reverse (the
    polarity of its course reversed); or an event of a kind the data do not record, where they record the test's
    arrhythmias (the event replaced). A course the data do not record is not checked."""
    named, _, said = (s.value or "").rpartition(":")
    kinds = [rx for _, rx in cues().ecg_events if rx.search(named)]
    notes = (*facts.stress_notes, *facts.arrhythmias, facts.baseline_ecg)
    records = list(dict.fromkeys(r for r in notes if r and any(rx.search(r) for rx in kinds)))
    if not records:
        if not facts.arrhythmias:
            return []
        shown = "; ".join(facts.arrhythmias)
        return [_flag(F.FALSE_OTHER, f"The text names {named} during the test; the stress data record {shown}.", s,
                      f"arrhythmias: {shown}")]  # fmt: skip
    resolved = any(_RECORD_RESOLVED.search(r) for r in records)
    persisted = any(_RECORD_PERSISTED.search(r) for r in records)
    if resolved == persisted or (said == "resolved") == resolved:
        return []
    shown = "; ".join(records)
    return [_flag(F.NEGATION_FLIP, f"The text says the {named} {said}; the stress data record {shown}.", s,
                  f"stress: {shown}")]  # fmt: skip


def _exercise_capacity(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """An exercise capacity called poor at a workload the guideline calls good, or good at one it calls poor
    (ACC-AHA-EXERCISE-2002)."""
    mets = next((float(f.value) for f in facts.quantities.get("mets", []) if isinstance(f.value, float | int)), None)
    t = DEFAULT_THRESHOLDS
    if mets is None or not (
        (s.value == "poor" and mets >= t.good_capacity_mets) or (s.value == "good" and mets < t.poor_capacity_mets)
    ):
        return []
    return [_flag(F.EXERCISE, f"The text calls the exercise capacity {s.value}; the test reached {mets:g} METs.", s,
                  f"METs: {mets:g}")]  # fmt: skip


def _ectopy(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """Ventricular ectopics called frequent where the stress data record them as rare or occasional, or the
    reverse (a frequency the data give in words)."""
    recorded = [a for a in facts.arrhythmias if _ECTOPY_RECORDED.search(a) and not _VT_RECORDED.search(a)]
    if not s.present:
        # denied ("no PVCs"): false where the stress data record ventricular ectopics
        if not recorded:
            return []
        return [
            _flag(
                F.FALSE_OTHER,
                "The text denies ventricular ectopics; the stress data record them.",
                s,
                f"arrhythmias: {'; '.join(facts.arrhythmias)}",
            )
        ]
    said = {
        "infrequent" if m.group("f").lower() in INFREQUENT_ECTOPY_WORDS else "frequent"
        for a in recorded
        if (m := _FREQUENCY_WORD.search(a))
    }
    if not said or s.value in said:
        return []
    return [
        _flag(
            F.FALSE_OTHER,
            f"The text calls the ventricular ectopics {s.value}; the stress data record {'; '.join(recorded)}.",
            s,
            f"arrhythmias: {'; '.join(facts.arrhythmias)}",
        )
    ]


def _attenuation_correction(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """Images said to be without attenuation correction where the acquisition records one (CT or AI-based)."""
    if facts.attenuation_correction in (None, "none"):
        return []
    return [
        _flag(
            F.TRACER,
            f"The text says the images were read without attenuation correction; the study used "
            f"{facts.attenuation_correction} attenuation correction.",
            s,
            f"attenuation correction: {facts.attenuation_correction}",
        )
    ]


def _stress_course(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """A test said to have gone without complication ("uncomplicated", "uneventful") where the stress record names
    one (why it stopped, or its notes: a bronchospasm, a block, a reversal with aminophylline)."""
    complication = cues().complication
    noted = next((x for x in (facts.termination_reason, *facts.stress_notes) if complication.search(x)), None)
    if noted is None:
        return []
    return [
        _flag(
            F.NEGATION_FLIP,
            f"The text calls the stress test {s.value}; the stress data record a complication.",
            s,
            f"stress: {noted}",
        )
    ]


def _stop_reason(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """A test said to have ended for a reason other than chest pain ("because of leg fatigue") where limiting angina
    ended it (the Duke angina index, DUKE-1991) and the text names no chest pain: the limiting symptom replaced."""
    if not facts.angina_limiting or any(st.concept == "chest_pain" and st.present for st in claims.statements):
        return []
    return [
        _flag(
            F.FALSE_SYMPTOM,
            f"The text gives {s.value} as what ended the test; the stress data record limiting angina.",
            s,
            "stress: limiting angina (Duke angina index)",
        )
    ]


def _stress_type(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    if s.value == "pharmacologic" and not facts.pharmacologic:
        return [
            _flag(
                F.STRESS_TYPE,
                "The text states pharmacologic stress; the test was exercise only.",
                s,
                "stress: exercise",
            )
        ]
    if s.value == "exercise" and not facts.exercise:
        return [
            _flag(
                F.STRESS_TYPE,
                "The text states exercise; the test was pharmacologic only.",
                s,
                f"stress: pharmacologic ({facts.agent})",
            )
        ]
    return []


# the phase of a two-day protocol's first day, said after the protocol in its sentence ("two-day, rest day first",
# "rest-first", "day 1: stress", "first day rest")
_FIRST_DAY = re.compile(
    r"\b(?P<a>rest|stress)(?:[- ](?:day|study|images?|imaging|injection|scan|portion|phase))?[- ]+(?:day\s+)?first\b"
    r"|\b(?:first\s+day|day\s*(?:one|1))\s*[:=,]?\s*(?:was\s+|is\s+|the\s+)*(?P<b>rest|stress)\b"
    r"|\b(?P<c>rest|stress)\s+(?:was\s+)?on\s+(?:the\s+)?(?:first\s+day|day\s*(?:one|1))\b"
    # the day's number as the phase's label ("stress day 1 / rest day 2")
    r"|\b(?P<d>rest|stress)\s+day\s*(?:one|1)\b",
    re.I,
)


def _first_day_said(claims: Claims, s: Statement) -> str | None:
    """The phase the protocol's sentence puts on the first day, or None."""
    hit = _FIRST_DAY.search(claims.text, s.span[0], claims.sentences[s.sent][1])
    if hit is None:
        return None
    return (hit.group("a") or hit.group("b") or hit.group("c") or hit.group("d")).lower()


def _protocol(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """A stress-only acquisition said to have rest images, or one with rest images called stress-only (ASNC-PROTOCOLS-
    2016); the order of the phases (rest-stress against stress-rest, one day or two) is loosely worded and not judged,
    nor is a thallium study's redistribution (its rest images)."""
    if facts.protocol is None or facts.protocol == "stress-redistribution":
        return []
    one_day = _ONE_DAY.search(claims.text, max(claims.sentences[s.sent][0], s.span[0] - 12), s.span[1])
    if facts.protocol == "two-day" and one_day is not None:
        # the days are no loose wording: a two-day study (its phases on separate days) said to be a one-day one
        return [
            _flag(
                F.TRACER,
                f"The text states a {one_day.group(0)} protocol; the study was acquired over two days.",
                s,
                f"protocol: {facts.protocol}",
            )
        ]
    first = _first_day_said(claims, s) if facts.protocol == "two-day" and facts.first_day else None
    if first is not None and first != facts.first_day:
        # which day came first is no loose wording where the study records it (ASNC-PROTOCOLS-2016)
        return [
            _flag(
                F.TRACER,
                f"The text puts the {first} day first; the study's first day was {facts.first_day}.",
                s,
                f"two-day protocol, first day: {facts.first_day}",
            )
        ]
    said_only, is_only = s.value == "stress-only", facts.protocol == "stress-only"
    if said_only == is_only:
        return []
    return [
        _flag(
            F.TRACER,
            f"The text states a {s.value} protocol; the study was acquired {facts.protocol}"
            + (" (no rest images)." if is_only else " (with rest images)."),
            s,
            f"protocol: {facts.protocol}",
        )
    ]


# a one-day protocol named in its statement or just before it ("One-day, rest-stress", "same-day rest/stress")
_ONE_DAY = re.compile(r"\b(?:one|1|same|single)[- ]day\b", re.I)


# the phase a tracer is named with ("Tl-201 rest", "stress Tc-99m sestamibi"; not "sestamibi rest/stress")
_PHASE_AFTER = re.compile(r"\s*(?:at\s+)?(rest|stress)\b(?!\s*(?:[-/–&]|and)\s*(?:rest|stress))", re.I)
_PHASE_BEFORE = re.compile(r"(?<![-/–&]\s)(?<![-/–&])\b(rest|stress)\s+$", re.I)


def _tracer(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    if s.value in facts.tracers:
        a, b = s.span
        phase = _PHASE_AFTER.match(claims.text, b) or _PHASE_BEFORE.search(claims.text[max(0, a - 10) : a])
        if phase is None or len(set(facts.tracer_of_phase.values())) < 2:
            return []
        word = phase.group(1).lower()
        given = facts.tracer_of_phase.get(word)
        if given is None or given == s.value:
            return []
        return [
            _flag(
                F.TRACER,
                f"The text names {s.value} for {word}; that phase's tracer was {given}.",
                s,
                ", ".join(f"{k}: {v}" for k, v in facts.tracer_of_phase.items()),
            )
        ]
    return [
        _flag(
            F.TRACER,
            f"The text names {s.value}; the tracer was {', '.join(facts.tracers)}.",
            s,
            f"tracers: {', '.join(facts.tracers)}",
        )
    ]


# (also a comparison in any of its usual words: "unchanged vs 2024 SPECT", "c/w the 2022 PET", "as on the SPECT",
# "better than the 2021 SPECT")
_BOTH_STUDIES = re.compile(
    r"\b(?:compar\w*|between|both|two studies|prior|previous\w*|earlier|vs|versus|c/w|cf|unchanged|no change"
    r"|since|as (?:on|in) the|relative to|against|than)\b",
    re.I,
)


_EARLIER_STUDY = re.compile(r"\b(?:old|older|former|baseline|original|index|outside|initial)\s+$", re.I)


def _names_prior_study(text: str, span: tuple[int, int], prior_date: str | None) -> bool:
    """The modality word names the earlier study: an adjective of age before it, or the prior's year beside it."""
    before = text[max(0, span[0] - 30) : span[0]]
    if _EARLIER_STUDY.search(before):
        return True
    if prior_date:
        year = prior_date[:4]
        near = text[max(0, span[0] - 12) : span[1] + 12]
        return re.search(rf"\b{year}\b", near) is not None
    return False


def _modality(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    if s.value == facts.modality:
        return []
    # the prior's modality in a sentence about both studies ("differences between SPECT and PET when comparing")
    if s.value == facts.prior_modality and _BOTH_STUDIES.search(claims.sentence_text(s.sent)):
        return []
    # ... or the prior's modality named as the earlier study: an adjective of age or its year beside it ("the old
    # SPECT 2022 was equivocal", "her 2022 SPECT")
    if s.value == facts.prior_modality and _names_prior_study(claims.text, s.span, facts.prior_date):
        return []
    return [
        _flag(F.MODALITY, f"The text names {s.value}; the study is {facts.modality}.", s, f"modality: {facts.modality}")
    ]


#: The check of each statement concept the claim reader recognises, by concept name; a concept
#: not listed here is compared elsewhere (numbers, comparison, risk) or not at all.
FINDING_CHECKS: dict[str, StatementCheck] = {
    "ischemia": _ischemia,
    "scar": _scar,
    "tid": _tid_statement,
    "wall_motion": _wall_motion,
    "artifact": _artifact,
    **dict.fromkeys(_FEATURE_NAME, _feature),
    "lv_size": _lv_size,
    "calcification": _calcification,
    "perfusion_result": _perfusion_result,
    "defect": _defect,
    "segment_score": _segment_score,
    "lvef_category": _lvef_grade,
    "ecg": _ecg,
    "agent": _agent,
    "stress_type": _stress_type,
    "protocol": _protocol,
    "tracer": _tracer,
    "modality": _modality,
    "chest_pain": _chest_pain,
    "stress_course": _stress_course,
    "attenuation_correction": _attenuation_correction,
    "stop_reason": _stop_reason,
    "vt": _vt,
    "svt": _svt,
    "ectopy": _ectopy,
    "bundle_branch_block": _bundle_branch_block,
    "exercise_capacity": _exercise_capacity,
    "ecg_event_course": _ecg_event_course,
    "av_block_degree": _av_block_degree,
    "advice": _advice,
    "ischemia_grade": _ischemia_grade,
    "mfr_grade": _mfr_grade,
    "stress_flow_grade": _stress_flow_grade,
    "flow_confined": _flow_confined,
    "cac_grade": _cac_grade,
    "cac_drs": _cac_drs,
    "calcium_vessel": _calcium_vessel,
    "calcium_most": _calcium_most,
    "culprit": _culprit,
    "obstructive_cad": _obstructive_cad,
    "restenosis": _restenosis,
    "cardiomyopathy": _cardiomyopathy,
    "study_result": _study_result,
    "verdict_grade": _verdict_grade,
    "hr_adequacy": _hr_adequacy,
    "infarct_history": _infarct_history,
    "artifact_after_ac": _artifact_after_ac,
    "artifact_resolved_by_ac": _artifact_resolved_by_ac,
}


def check_findings(text: str, claims: Claims, facts: Facts) -> list[Flag]:
    """Findings stated present or absent, normal or abnormal, against the facts: each statement by
    the check of its concept in :data:`FINDING_CHECKS`; and why the text says the test stopped."""
    out: list[Flag] = []
    for s in claims.statements:
        check = FINDING_CHECKS.get(s.concept)
        if check is not None:
            out.extend(check(s, claims, facts))
    out.extend(_termination(claims, facts))
    out.extend(_beta_blocker_status(claims, facts))
    out.extend(_device_denied(claims, facts))
    out.extend(_st_direction(claims, facts))
    return out


# the direction of the stress ST shift said ("ST elevation in V3-V5", "1 mm horizontal ST-segment depression")
_ST_SHIFT_SAID = re.compile(r"\bST[- ]?(?:segments?\s+)?(depress|elevat)\w*", re.I)
# ... denied or set aside before it ("no ST elevation", "without ST depression", "no ST depression or ST elevation",
# "ST depression rather than elevation"), or after it ("ST elevation was absent", "ST elevation: none")
_ST_SHIFT_DENIED_BEFORE = re.compile(
    r"(?:\b(?:no|not|without|nor|never|absence\s+of|free\s+of|negative\s+for|rather\s+than|than|instead\s+of|or)"
    r"|n't)\s+(?:[\w/-]+\s+){0,4}$",
    re.I,
)
_ST_SHIFT_DENIED_AFTER = re.compile(
    r"\w*\s*(?:(?:was|were|is)\s+)?(?:absent|not\s+(?:seen|present|observed|noted)|:\s*(?:none|no|nil|absent))\b", re.I
)
# ... or not the stress shift: at baseline or at rest, an infarct's name ("ST-elevation MI"), or the reciprocal shift
# in aVR or V1 that accompanies widespread depression ("with ST elevation in aVR")
_ST_SHIFT_OTHER_BEFORE = re.compile(r"\b(?:baseline|resting|rest|pre-?existing|prior|previous|old|known)\s+$", re.I)
_ST_SHIFT_OTHER_AFTER = re.compile(
    r"\w*(?:[^.;]{0,30}?\baVR\b|[^.;]{0,12}?\bV1\b(?![-\u2013]))|\w*\s+(?:MI|myocardial\s+infarct\w*|infarct\w*|ACS)\b"
    r"|\w*\s+(?:at|on\s+the)\s+(?:baseline|rest)\b",
    re.I,
)


def _st_direction(claims: Claims, facts: Facts) -> list[Flag]:
    """An ST shift of stress said in the direction the study does not record: elevation where only depression was
    measured, or depression where only elevation was (the polarity of the ST response reversed)."""
    measured = {
        ("depress" if f.evidence.endswith("st_depression_mm") else "elevat")
        for f in facts.quantities.get("st_deviation", [])
        if isinstance(f.value, int | float) and f.value > 0
    }
    if len(measured) != 1:
        return []
    text = claims.text
    for hit in _ST_SHIFT_SAID.finditer(text):
        said = hit.group(1).lower()
        s0, s1 = claims.sentences[_sentence_of(claims, hit.start())]
        if (
            said in measured
            or claims.in_prior(hit.start())
            or _ST_SHIFT_DENIED_BEFORE.search(text, max(s0, hit.start() - 60), hit.start())
            or _ST_SHIFT_DENIED_AFTER.match(text, hit.end(), s1)
            or _ST_SHIFT_OTHER_BEFORE.search(text, max(s0, hit.start() - 20), hit.start())
            or _ST_SHIFT_OTHER_AFTER.match(text, hit.end(), s1)
        ):
            continue
        shown = "depression" if "depress" in measured else "elevation"
        return [
            make_flag(
                F.ECG_RESPONSE,
                f"The text states {hit.group(0)}; the stress data record ST {shown} only.",
                hit.span(),
                evidence=f"stress: ST {shown}",
            )
        ]
    return []


# a device said not to be there ("he does not have an ICD", "no pacemaker", "without a defibrillator"): only function
# words between the denial and the device; not a device denied as advice ("no ICD is indicated", "not a candidate
# for CRT"), which the advice check reads
_DEVICE_DENIAL_BEFORE = re.compile(
    r"(?:\b(?:no|not|never|without|nor)|n't)\s+(?:(?:have|has|had|got|carry|carries|carrying|an?|any|the|his|her|"
    r"implanted|existing|prior|previous)\s+)*$",
    re.I,
)
_DEVICE_AS_ADVICE_AFTER = re.compile(
    r"\s*(?:[\w-]+\s+){0,2}?(?:(?:is|was|are)\s+)?(?:indicated|needed|required|necessary|recommended|warranted|"
    r"candidate|implant\w*|referral|evaluation|work-?up|insertion|placement|upgrade|therapy|shocks?|discharges?|"
    # the device as the modifier of what is denied ("without ICD artefact", "no pacemaker spikes")
    r"leads?|wires?|artefacts?|artifacts?|interrogation|checks?|generator|battery|pocket|spikes?|firing|activity)\b",
    re.I,
)


def _device_denied(claims: Claims, facts: Facts) -> list[Flag]:
    """An implanted device the text denies (a pacemaker, an ICD, a CRT device) where the clinical record names one."""
    if not facts.devices:
        return []
    out = []
    for kind, pattern in DEVICE_KINDS.items():
        if kind not in facts.devices:
            continue
        for h in re.finditer(pattern, claims.text, re.I):
            a = claims.sentences[_sentence_of(claims, h.start())][0]
            if (
                _DEVICE_DENIAL_BEFORE.search(claims.text, max(a, h.start() - 40), h.start())
                and not _DEVICE_AS_ADVICE_AFTER.match(claims.text, h.end())
                and not claims.in_prior(h.start())
            ):
                out.append(
                    make_flag(
                        F.NEGATION_FLIP,
                        f"The text denies {h.group(0)}; the clinical record names one.",
                        h.span(),
                        evidence="clinical.indication",
                    )
                )
    return out


# The beta-blocker status on the day of the test as a text states it: held ("beta-blocker held", "BB: held", "off his
# bisoprolol"), taken ("on metoprolol", "beta-blocker taken", "despite beta-blockade"), or none prescribed ("not on a
# beta-blocker"); compared with clinical.beta_blocker (taken, held, not prescribed)
_BB_NAME = (
    r"(?:beta[\s_-]?block(?:ers?|ade|ing\s+agents?)|\bBB\b|metoprolol|carvedilol|bisoprolol|atenolol|nebivolol"
    r"|propranolol)"
)
_BB_HELD = re.compile(
    rf"{_BB_NAME}\s*(?:[:=]\s*|\((?=\w+\))|\s+(?:was\s+|were\s+|had\s+been\s+|been\s+)?)"
    r"(?:held|withheld|stopped|discontinued|omitted|paused)\b"
    rf"|\b(?:held|withheld|omitted|off)\s+(?:(?:his|her|their|the|a|any)\s+)?{_BB_NAME}",
    re.I,
)
_BB_TAKEN = re.compile(
    rf"{_BB_NAME}\s*(?:[:=]\s*|\((?=\w+\))|\s+(?:was\s+|were\s+)?)(?:taken|continued|on\s+board)\b"
    rf"|\b(?:on|despite|took|taking|takes)\s+(?:(?:his|her|their|a|the|regular|usual|oral|ongoing|current)\s+)*"
    rf"{_BB_NAME}",
    re.I,
)
_BB_NONE = re.compile(rf"\b(?:not\s+on|no|never\s+on)\s+(?:(?:a|any)\s+)?{_BB_NAME}", re.I)
# a plan for another test ("repeat off beta-blockers", "consider holding metoprolol next time"): not this day's status
_BB_PLAN = re.compile(r"\b(?:repeat\w*|consider\w*|recommend\w*|would|should|next\s+time|future|if\b)", re.I)


def _beta_blocker_status(claims: Claims, facts: Facts) -> list[Flag]:
    """A beta-blocker status on the day of the test that the clinical record contradicts: held or stopped where the
    patient took it or has none, taken where it was held or none is prescribed, none where it was taken."""
    if facts.beta_blocker is None:
        return []
    out = []
    for a, b in claims.sentences:
        sentence = claims.text[a:b]
        if not re.search(_BB_NAME, sentence, re.I) or _BB_PLAN.search(sentence) or claims.in_prior(a):
            continue
        held = list(_BB_HELD.finditer(sentence))
        none = [] if held else list(_BB_NONE.finditer(sentence))
        taken = [] if held or none else list(_BB_TAKEN.finditer(sentence))
        for hits, said, wrong in (
            (held, "held", ("taken", "not prescribed")),
            (taken, "taken", ("held", "not prescribed")),
            (none, "not prescribed", ("taken",)),
        ):
            if hits and facts.beta_blocker in wrong:
                out.append(
                    make_flag(
                        F.NEGATION_FLIP,
                        f"The text says the beta-blocker was {said}; the clinical record gives {facts.beta_blocker}.",
                        (a + hits[0].start(), a + hits[0].end()),
                        evidence=f"clinical.beta_blocker: {facts.beta_blocker}",
                    )
                )
    return out


# Why a test stopped, by kind: what the text gives after "stopped for", "terminated because of", "limited by", and
# what the stress data record (stress.termination_reason). Fatigue, breathlessness and leg symptoms are one kind,
# the symptom-limited end a reader words either way.
_STOP_KINDS = {
    "exhaustion": r"fatigue|exhaust\w*|tired\w*|dyspn\w*|breathless\w*|short(?:ness)?\s+of\s+breath|\bSOB\b"
    r"|\blegs?\b|claudication",
    "chest pain": r"angina\w*|chest\s+(?:pain|pressure|tightness|discomfort|heaviness)|\bCP\b",
    "arrhythmia": r"\bN?S?VT\b|tachycardia|arrhythmi\w*|fibrillation|\bAF\b|bigeminy|\bblock\b|ectop\w*|\bPVCs?\b"
    r"|extrasystol\w*",
    "target heart rate": r"\btarget\b|\bTHR\b|8[05]\s*%",
    "blood pressure": r"hypotens\w*|hypertens\w*|blood\s+pressure|\bS?BP\b",
    "end of protocol": r"protocol|\bmax(?:imal|imum)?\s+(?:\w+\s+)?dose",
    "ST change": r"\bST\b",
    "dizziness": r"dizz\w*|light-?\s?headed\w*|\bsyncop\w*|presyncop\w*",
    # the two sides of an arrhythmia, told apart where both the text and the record name one ("stopped for atrial
    # fibrillation" where a run of ventricular tachycardia stopped it); see _termination
    "atrial arrhythmia": r"\batrial\s+(?:fibrillation|flutter|tachycardia)|\bA-?fib\b|\bAF\b|\bAFL\b|\bSVT\b"
    r"|supraventricular",
    "ventricular arrhythmia": r"\b(?:NS)?VT\b|\bVF\b|\bPVCs?\b|bigeminy"
    r"|(?<!supra)ventricular\s+(?:tachycardia|fibrillation|ectop\w*|bigeminy|premature)",
}
_ARRHYTHMIA_SIDES = frozenset({"atrial arrhythmia", "ventricular arrhythmia"})
_STOP_KIND = {k: re.compile(v, re.I) for k, v in _STOP_KINDS.items()}
_STOPPED_FOR = re.compile(
    r"(?<!\bnot )(?<!n't )(?<!never )\b(?:stopped|terminated|ended|halted|discontinued|limited|stopping|terminating)"
    r"(?:\s+(?:early|prematurely|at\s+peak(?:\s+(?:exercise|stress))?|him|her|them|the\s+(?:test|patient|infusion)))*"
    r"(?:\s+(?:because\s+of|due\s+to|owing\s+to|on\s+account\s+of|secondary\s+to|for|by)\s+"
    # the reason after a colon, in a note's shorthand ("stopped: fatigue + SBP drop", "Stopped early: NSVT")
    r"|(?<!limited)\s*:\s*)(?P<reason>[^.;,()\n]{1,60})",
    re.I,
)
# the end of the reason given: a reason set against it or a new clause ("for fatigue rather than chest pain")
_REASON_END = re.compile(
    r"\b(?:rather|instead|not|but|with|without|at|after|while|when|which|who|and\s+(?:the|his|her|he|she))\b", re.I
)
# a kind the record denies ("target heart rate not reached", "no bronchospasm")
_KIND_DENIED = re.compile(r"\b(?:no|not|without)\s+(?:\w+\s+)?$|^\s*(?:\w+\s+){0,2}?(?:not|never)\b", re.I)


def _stop_kinds(words: str, *, record: bool = False) -> set[str]:
    out = set()
    for kind, rx in _STOP_KIND.items():
        for h in rx.finditer(words):
            if record and (_KIND_DENIED.search(words, 0, h.start()) or _KIND_DENIED.match(words[h.end() :])):
                continue
            out.add(kind)
    return out


def _termination(claims: Claims, facts: Facts) -> list[Flag]:
    """The reason the text gives for stopping the test where the stress data record another ("stopped for fatigue"
    where an 8-beat run of ventricular tachycardia stopped it). A reason the record leaves open is not checked."""
    recorded = _stop_kinds(facts.termination_reason, record=True)
    if not recorded:
        return []
    if facts.angina_limiting:
        recorded.add("chest pain")  # the Duke angina index calls the angina limiting: it stopped the test
    if facts.hr_adequate:
        recorded.add("target heart rate")
    if facts.arrhythmias:
        recorded.add("arrhythmia")
        recorded |= _stop_kinds("; ".join(facts.arrhythmias), record=True) & _ARRHYTHMIA_SIDES
    if facts.hypertensive_response:
        recorded.add("blood pressure")
    out = []
    for h in _STOPPED_FOR.finditer(claims.text):
        if claims.in_prior(h.start()):
            continue
        reason = h.group("reason")
        if cut := _REASON_END.search(reason):
            reason = reason[: cut.start()]
        said = _stop_kinds(reason)
        if not recorded & _ARRHYTHMIA_SIDES:
            said -= _ARRHYTHMIA_SIDES  # a record that names no side: either side is a reading of it
        wrong = sorted(said - recorded)
        if said and wrong:
            out.append(
                make_flag(
                    F.FALSE_SYMPTOM,
                    f"The text says the test stopped for {reason.strip()}; the stress data record "
                    f"{facts.termination_reason}.",
                    h.span("reason"),
                    evidence=f"stress.termination_reason: {facts.termination_reason}",
                )
            )
    return out


def _in_defect(claims: Claims, s: Statement) -> bool:
    return any(d.sent == s.sent and d.certainty == "negated" for d in claims.defects)


def _tid(facts: Facts) -> str:
    return ", ".join(_fmt(f.value) for f in facts.quantities.get("tid", [])) or "n/a"


def _lvef_category(s: Statement, facts: Facts) -> list[Flag]:
    got, want = s.value or "", facts.lvef_category
    if want is None:
        return [_flag(F.LVEF_CATEGORY, f"The text grades LV function {got}; no LVEF was measured.", s)]
    ev = f"LVEF {facts.lvef:g}% ({want})" if facts.lvef is not None else want
    if (got == "normal") != (want == "normal"):
        return [_flag(F.NORMAL_ABNORMAL, f"The text calls LV function {got}; it is {want}.", s, ev)]
    if got != "reduced" and got != want:
        return [_flag(F.LVEF_CATEGORY, f"The text calls LV function {got}; it is {want}.", s, ev)]
    return []


# --- comparison and risk ----------------------------------------------------------------------


def check_comparison(text: str, claims: Claims, facts: Facts) -> list[Flag]:
    """Comparison claims need a prior, and must agree with the rules' comparison."""
    out: list[Flag] = []
    denied_in: set[int] = set()
    for s in claims.statements:
        if s.concept == "no_prior" and facts.has_prior:
            out.append(
                _flag(
                    F.PRIOR_DENIED,
                    "The text says there is no prior study; one was provided.",
                    s,
                    f"prior study of {facts.prior_date or 'unknown date'}",
                )
            )
        elif (
            s.concept == "comparison_part"
            and facts.has_prior
            and s.value == "unchanged"
            and cues().changed.fullmatch(_said(claims, s))  # a change word read as unchanged: a denied change
        ):
            if s.sent not in denied_in:  # "no new or worsening defect": one denial
                denied_in.add(s.sent)
                out.extend(_denied_worsening(claims, s, facts))
        elif s.concept == "comparison_part" and facts.has_prior:
            truth = _direction_for(_clause_of(claims, s, _own_words(claims)), facts, subject_only=True)
            if truth is not None and (s.value == "changed") != (truth != "unchanged"):
                out.append(
                    _flag(
                        F.COMPARISON_CONTRADICTS_PRIOR,
                        f"The text says {s.value}; compared with the prior the rules find it {truth}.",
                        s,
                        f"comparison: {truth}",
                        warn=(s.value == "unchanged" and facts.comparison_marginal)
                        or _marginal_defect_change(claims, s, facts),
                    )
                )
        elif s.concept == "comparison":
            if not facts.has_prior:
                out.append(
                    _flag(F.COMPARISON_WITHOUT_PRIOR, "The text compares with a prior study; none was provided.", s)
                )
                continue
            out.extend(_trend(s, claims, facts))
            out.extend(_new_defect(s, claims, facts))
            if s.value is None:
                continue
            own = _own_words(claims)
            sentence = own[slice(*claims.sentences[s.sent])]
            clause = _clause_to_reference(claims, s, own)
            truth = _direction_for(clause, facts, subject_only=True)
            if truth is None and not _defects_named_mixed(clause, facts):
                truth = _direction_for(sentence, facts)
            elif truth is None:
                # "perfusion pattern similar (fixed LAD + LCx), but LVEF down": the clause's own defects, which
                # changed unlike each other, not the LVEF of the next clause
                truth = "changed"
            if truth is None:
                continue
            changed = truth not in ("unchanged",)
            if (s.value == "changed") != changed:
                out.append(
                    _flag(
                        F.COMPARISON_CONTRADICTS_PRIOR,
                        f"The text says {s.value}; compared with the prior the rules find it {truth}.",
                        s,
                        f"comparison: {truth}",
                        warn=(s.value == "unchanged" and facts.comparison_marginal)
                        or _marginal_defect_change(claims, s, facts)
                        or _slight_lvef_change(claims, s, facts),
                    )
                )
    return out + _lvef_direction(claims, facts)


_DEFECT_NOUN = re.compile(r"\b(?:defects?|infarct\w*|scar\w*|MI)\b", re.I)
_DEFECT_AFTER_NEW = re.compile(r"\s+(?:[\w/-]+\s+){0,4}?(?:defects?|infarct\w*|scar\w*)\b", re.I)
_NEW_WORD = re.compile(r"new(?:ly)?\b", re.I)
_NEW_DENIED_BEFORE = denial.before("new_defect")


def _new_defect(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """A defect called new whose territory the rules compare with a defect of the prior ("the anterior infarct is
    new since that study" when the prior report described it): "new" says the prior had none there."""
    text = claims.text
    if not _NEW_WORD.match(text, s.span[0]) or _NEW_DENIED_BEFORE.search(text, max(0, s.span[0] - 30), s.span[0]):
        return []
    # its subject: a defect named before it in its clause ("the anterior infarct is new"), or right after it
    # ("a new anterior defect"); not the reversibility of a known one ("..., and that is new")
    clause = _clause_of(claims, s)
    cut = clause.lower().rfind(text[s.span[0] : s.span[1]].lower())
    before, after = clause[: max(cut, 0)], text[s.span[1] : s.span[1] + 40]
    named = _DEFECT_NOUN.search(before)
    if named is None or _ISCHEMIA_SUBJECT.search(before):
        following = _DEFECT_AFTER_NEW.match(after)
        if following is None:
            return []
        before = following.group(0)
    truth = _defect_direction(before, facts)
    if truth is None or truth == "new":
        return []
    return [
        _flag(
            F.COMPARISON_CONTRADICTS_PRIOR,
            f"The text calls the defect new; the prior had it (compared with the prior the rules find it {truth}).",
            s,
            f"comparison: {truth}",
        )
    ]


def _defects_named_mixed(clause: str, facts: Facts) -> bool:
    """The clause names its perfusion as its subject (by its word or the defects' territories) and no LV function,
    and the defects it names changed unlike each other since the prior (one unchanged, one changed)."""
    if _LV_FUNCTION_SUBJECT.search(clause):
        return False
    d = {k[7:]: v for k, v in facts.comparison_directions.items() if k.startswith("defect:")}
    named = {t for t in d if re.search(rf"\b{re.escape(t)}\b", clause, re.I)}
    if not named and _PERFUSION_SUBJECT.search(clause):
        named = set(d)
    return len({d[t] for t in named}) > 1


def _marginal_defect_change(claims: Claims, s: Statement, facts: Facts) -> bool:
    """A defect stated unchanged whose only change is a reversal below a significant change in ischemic burden
    (see Facts.defect_change_marginal): a reading, shown as unverified."""
    if s.value != "unchanged" or not (facts.defect_change_marginal or facts.resolved_at_threshold):
        return False
    clause = _clause_of(claims, s)
    if _LVEF_WORD.search(clause):
        return False
    direction = _defect_direction(clause, facts)
    if direction is None and _defects_named_mixed(clause, facts):
        direction = "changed"  # "perfusion pattern similar" over an unchanged defect and one that changed
    # a prior defect the rules call resolved where mildly reduced (score-1) segments remain: "unchanged" reads the
    # same mild finding on the other side of the defect threshold (ASNC-SPECT-2018: score 1 is equivocal)
    return (direction == "changed" and facts.defect_change_marginal) or (
        direction == "resolved" and facts.resolved_at_threshold
    )


_SLIGHT_AFTER = re.compile(r"\s+(?:slightly|mildly|marginally|minimally|modestly|a little|a bit)\b", re.I)
_SLIGHT_BEFORE = re.compile(r"\b(?:slightly|mildly|marginally|minimally|minor|a little|a bit|modestly)\s+$", re.I)


def _said(claims: Claims, s: Statement) -> str:
    return claims.text[s.span[0] : s.span[1]]


_WORSE_DIRECTIONS = frozenset({"new", "increased", "worse", "more severe", "larger"})


# "no new defect in the other territories", "nothing new elsewhere": the places the text has not named before
_OTHER_PLACES = re.compile(
    r"\b(?:other|remaining)\s+(?:\w+\s+)?(?:territor\w*|walls?|segments?|regions?|vessels?|areas?)\b|\belsewhere\b",
    re.I,
)


def _elsewhere_direction(claims: Claims, s: Statement, facts: Facts) -> str | None:
    """The worst change since the prior among the defects of the territories the text has not named before ``s``;
    None when it has named none (then "the other territories" says nothing the rules can check)."""
    before = claims.text[: s.span[0]]
    named = {str(m.value) for m in claims.mentions if m.label == "TERRITORY" and m.start < s.span[0]} | {
        dx.territory
        for dx in facts.defects
        if dx.territory is not None and any(re.search(rf"\b{re.escape(w)}\b", before, re.I) for w in dx.walls)
    }
    if not named:
        return None
    rest = [v for k, v in facts.comparison_directions.items() if k.startswith("defect:") and k[7:] not in named]
    return next((v for v in rest if v in _WORSE_DIRECTIONS), None)


_WORSENING_WORD = re.compile(
    r"\b(?:wors\w*|progress\w*|increas\w*|larger|enlarg\w*|extend\w*|extension|deteriorat\w*|"
    r"more\s+(?:severe|extensive)|change[sd]?|changing)\b",
    re.I,
)


def _denied_worsening(claims: Claims, s: Statement, facts: Facts) -> list[Flag]:
    """A change the text denies ("no new or worsening ischemia", "no new defect"): wrong only where what its
    clause names got worse since the prior (ischemia that increased, a new or worse defect); a resolved or
    unchanged one is no new one."""
    start, end = _clause_span(claims, s)
    clause = claims.text[start:end]
    d = facts.comparison_directions
    territories = {str(m.value) for m in claims.mentions if m.label == "TERRITORY" and start <= m.start < end}
    if _OTHER_PLACES.search(clause):
        truth = _elsewhere_direction(claims, s, facts)
    elif territories:  # "no new defect in the LCx or RCA territories": those territories' defects only
        truth = next((v for t in territories if (v := d.get(f"defect:{t}")) in _WORSE_DIRECTIONS), None)
    elif _ISCHEMIA_SUBJECT.search(clause) and not _SCAR_SUBJECT.search(clause):
        truth = d.get("ischemia")
    else:
        truth = _defect_direction(clause, facts)
        if truth == "changed":
            # a known defect grown larger or more severe is worse, not new: "no new defect" denies a defect where the
            # prior had none, "no worsening" (or "no new or progressive defect") denies this one too
            worse = facts.prior_trend == "worse" and _WORSENING_WORD.search(clause) is not None
            truth = "worse" if worse else None
        if (
            truth is None
            and re.search(r"\bdefects?\b", clause, re.I)
            and not any(t in clause for t in ("LAD", "LCx", "RCA"))
        ):
            truth = "new" if any(k.startswith("defect:") and v == "new" for k, v in d.items()) else None
    if truth not in _WORSE_DIRECTIONS:
        return []
    return [
        _flag(
            F.COMPARISON_CONTRADICTS_PRIOR,
            f"The text denies a {_said(claims, s).lower()} finding; compared with the prior the rules find it {truth}.",
            s,
            f"comparison: {truth}",
        )
    ]


def _slight_lvef_change(claims: Claims, s: Statement, facts: Facts) -> bool:
    """An LVEF change the text itself calls slight ("slightly improved from 50%"), in the direction the values
    move, where the rules find it within the change threshold: a reading of a small difference (a warning),
    not a contradiction."""
    sentence_start = claims.sentences[s.sent][0]
    word = claims.text[s.span[0] : s.span[1]]
    clause = _clause_of(claims, s)
    sentence_end = claims.sentences[s.sent][1]
    if not (
        _SLIGHT_BEFORE.search(claims.text[max(sentence_start, s.span[0] - 15) : s.span[0]])
        or _SLIGHT_AFTER.match(claims.text[s.span[1] : sentence_end])  # "has improved slightly to 40%"
    ):
        return False
    sentence = claims.sentence_text(s.sent)
    lv = _LVEF_WORD.search(sentence) or _LV_FUNCTION_SUBJECT.search(sentence)  # "his pumping function"
    if facts.comparison_directions.get("lvef") != "unchanged" or not lv:
        return False
    values = facts.quantities.get("lvef", [])
    prior = [float(f.value) for f in values if f.phase == "prior" and isinstance(f.value, float | int)]
    now = [float(f.value) for f in values if f.phase in ("rest", None) and isinstance(f.value, float | int)]
    if not prior or not now or _SCAR_SUBJECT.search(clause) or _ISCHEMIA_SUBJECT.search(clause):
        return False
    up, down = _LVEF_UP.search(word), _LVEF_DOWN.search(word)
    return bool((up and now[0] > prior[0]) or (down and now[0] < prior[0]))


_LVEF_WORD = re.compile(r"\b(?:LVEF|EF|ejection fraction)\b", re.I)
_LVEF_UP = re.compile(r"\b(?:increased|improved|improving|rose|risen|rises|higher|better|recovered)\b", re.I)
_LVEF_DOWN = re.compile(r"\b(?:decreased|fell|fallen|falls|dropped|declined|lower|worse|worsened|deteriorated)\b", re.I)
_PHASE_WORD = re.compile(r"\b(?:rest|resting|stress|post-stress|peak|after stress)\b", re.I)
_VS_PRIOR_STUDY = re.compile(
    r"\b(?:than|since|compared\s+(?:with|to)|vs\.?|versus|relative\s+to)\b[^.;]{0,30}?"
    r"\b(?:prior|previous|earlier|baseline|before|previously|(?:19|20)\d\d)\b",
    re.I,
)


# a change of the LVEF said to be large ("much lower than on the previous scan"): not what an unchanged LVEF shows,
# which a plain "lower" (28% against 29%) may still be
_LVEF_MARKED_CHANGE = re.compile(
    r"\b(?:much|markedly|significantly|substantially|considerably|dramatically|far|sharply|strikingly)\s+"
    # (the comparatives and the verbs of a change, not a grade: "significantly reduced" grades the LVEF itself)
    r"(?:higher|lower|better|worse|improved|deteriorated|fallen|dropped|declined|risen)\b",
    re.I,
)
# the LVEF in plain words ("your heart's pumping strength")
_PUMP_WORDS = re.compile(r"\bpump(?:ing)?\s+(?:strength|power|action)\b", re.I)


def _lvef_direction(claims: Claims, facts: Facts) -> list[Flag]:
    """An LVEF said to have risen (or fallen) since the prior, where the rules find the opposite, or said to have
    changed much where the rules find it unchanged; a sentence with a phase word is read as a rest-to-stress change,
    not a comparison."""
    truth = facts.comparison_directions.get("lvef")
    if truth not in ("increased", "decreased", "unchanged"):
        return []
    out: list[Flag] = []
    for i in range(len(claims.sentences)):
        sentence = claims.sentence_text(i)
        if truth == "unchanged" and not _VS_PRIOR_STUDY.search(sentence):
            continue  # (a large change said against the prior study, not against the rest images or a limit)
        # the LVEF or the function it measures ("LV function has deteriorated since 2024")
        lvef = _LVEF_WORD.search(sentence) or _LV_FUNCTION_SUBJECT.search(sentence) or _PUMP_WORDS.search(sentence)
        phase = {w.group(0).lower() for w in _PHASE_WORD.finditer(sentence)}
        # ... unless the phase is rest alone, set against the prior ("resting LVEF is 9 points lower than in 2024")
        rest_vs_prior = phase <= {"rest", "resting"} and _VS_PRIOR_STUDY.search(sentence)
        if lvef is None or (phase and not rest_vs_prior) or claims.in_prior(claims.sentences[i][0] + lvef.start()):
            continue
        said = _LVEF_DOWN if truth == "increased" else _LVEF_UP if truth == "decreased" else _LVEF_MARKED_CHANGE
        hit = said.search(sentence, lvef.end(), lvef.end() + 30)
        if hit is not None:
            a = claims.sentences[i][0]
            out.append(
                make_flag(
                    F.COMPARISON_CONTRADICTS_PRIOR,
                    f"The text says the LVEF {hit.group(0).lower()}; compared with the prior the rules find it "
                    f"{truth}.",
                    (a + hit.start(), a + hit.end()),
                    evidence=f"comparison: LVEF {truth}",
                )
            )
    return out


def _trend(s: Statement, claims: Claims, facts: Facts) -> list[Flag]:
    """A defect said to be better (or worse) than on the prior, when the rules find the opposite."""
    if facts.prior_trend not in ("better", "worse"):
        return []
    a, b = claims.sentences[s.sent]
    # the clauses about this study (what the text says the prior showed is blanked out)
    own = "".join(" " if claims.in_prior(i) else ch for i, ch in enumerate(claims.text[a:b], start=a))
    if re.search(r"\b(?:LVEF|EF|ejection fraction)\b", own):
        return []  # a change of LVEF, compared by check_comparison
    c = cues()
    opposite = c.worse if facts.prior_trend == "better" else c.better
    wrong = next(
        (
            h
            for h in opposite.finditer(claims.text[a:b])
            if not NEGATED_CHANGE_BEFORE.search(claims.text[a : a + h.start()])  # "No new defect", "no new or worse"
        ),
        None,
    )
    if wrong is None:
        return []
    return [
        _flag(
            F.COMPARISON_CONTRADICTS_PRIOR,
            f"The text says {wrong.group(0)}; compared with the prior the rules find the defect {facts.prior_trend}.",
            s,
            f"comparison: {facts.prior_trend}",
        )
    ]


def _prior_test(concept: str, facts: Facts) -> str | None:
    return facts.prior_tracer if concept == "tracer" else facts.prior_agent


def _current_test(concept: str, facts: Facts) -> tuple[str, ...]:
    return facts.tracers if concept == "tracer" else (facts.agent,) if facts.agent else ()


def check_prior_claims(text: str, claims: Claims, facts: Facts) -> list[Flag]:
    """What the text says the prior showed, against the prior the study gives."""
    out: list[Flag] = []
    if not facts.has_prior:
        return out
    said_abnormal = [
        d
        for d in claims.prior_defects
        if d.kind == "perfusion"
        and (
            d.certainty == "affirmed"
            or (d.certainty == "negated" and not _denied_in_prior(claims, d))
            or _gone_since_prior(claims, d)
        )
    ]
    for st in claims.prior_statements:
        if st.concept in ("perfusion_result", "study_result") and facts.prior_result is not None:
            if (st.value == "normal") != (facts.prior_result == "normal"):
                out.append(
                    _flag(
                        F.COMPARISON_CONTRADICTS_PRIOR,
                        f"The text calls the prior study {st.value}; it was {facts.prior_result}.",
                        st,
                        f"prior: {facts.prior_result}",
                    )
                )
        elif st.concept in ("defect", "ischemia", "scar") and st.present and facts.prior_result == "normal":
            out.append(
                _flag(
                    F.COMPARISON_CONTRADICTS_PRIOR,
                    f"The text gives the prior study {st.concept}; the prior was normal.",
                    st,
                    "prior: normal",
                    # a prior with score-1 segments: "a small mild defect" is a reading of them
                    warn=st.concept == "defect" and bool(facts.prior_equivocal_walls),
                )
            )
        elif st.concept in ("tracer", "agent") and (given := _prior_test(st.concept, facts)) is not None:
            # the tracer or agent a prior clause names: that of either study (a comparison may name both)
            if st.value != given and st.value not in _current_test(st.concept, facts):
                out.append(
                    _flag(
                        F.TRACER if st.concept == "tracer" else F.STRESS_AGENT,
                        f"The text names {st.value} for the prior study; its {st.concept} was {given}.",
                        st,
                        f"prior {st.concept}: {given}",
                    )
                )
        elif st.concept == "ischemia" and st.present and facts.prior_ischemia is False:
            # "ischemia that was already evident on the 2023 study" where the prior's defects were fixed
            out.append(
                _flag(
                    F.COMPARISON_CONTRADICTS_PRIOR,
                    "The text gives the prior study ischemia; the prior showed none (its defects were fixed).",
                    st,
                    "prior: no ischemia",
                )
            )
    if facts.prior_ischemia is False:
        # "when the anterior defect was reported as reversible" of a prior whose defects were fixed
        for d in said_abnormal:
            if d.reversibility is not None and d.reversibility[0] == "reversible":
                out.append(
                    make_flag(
                        F.COMPARISON_CONTRADICTS_PRIOR,
                        "The text calls the prior's defect reversible; the prior showed no ischemia.",
                        d.reversibility[1:],
                        evidence="prior: no ischemia",
                    )
                )
    out.extend(_prior_reversibility(claims, facts, said_abnormal, {f.span for f in out}))
    if facts.prior_walls is not None:
        for d in said_abnormal:
            for w in d.walls:
                if not _wall_ok(w, _prior_wall_names(facts), set()):
                    known = ", ".join(sorted(facts.prior_walls)) or "none"
                    # a wall of the prior defect's own territory: the prior report may have named fewer walls
                    same_territory = bool(_WALL_TERRITORIES.get(w, set()) & (facts.prior_territories or set()))
                    out.append(
                        make_flag(
                            F.COMPARISON_CONTRADICTS_PRIOR,
                            f"The text places the prior's defect in the {w} wall; the prior's defects: {known}.",
                            _mention_span(claims, d.sent, "WALL", w),
                            evidence=f"prior defect walls: {known}",
                            severity=FlagSeverity.WARNING if same_territory else None,
                        )
                    )
    if facts.prior_territories is not None:
        for d in said_abnormal:
            for t in d.territories:
                if t not in facts.prior_territories:
                    known = ", ".join(sorted(facts.prior_territories)) or "none"
                    out.append(
                        make_flag(
                            F.COMPARISON_CONTRADICTS_PRIOR,
                            f"The text places the prior's defect in the {t} territory; the prior's defects: {known}.",
                            _mention_span(claims, d.sent, "TERRITORY", t),
                            evidence=f"prior defects: {known}",
                        )
                    )
        out.extend(_prior_shorthand_territories(claims, facts.prior_territories, said_abnormal))
    out.extend(_new_where_prior_had(claims, facts))
    if facts.prior_possible_walls:
        # a possible defect of the prior ("2022 small mild anterior defect, likely attenuation"): in the walls of
        # its scored segments, equivocal ones included
        possible = set(facts.prior_possible_walls) | set(facts.prior_walls or ())
        for d in claims.prior_defects:
            if d.kind != "perfusion" or d.certainty != "uncertain":
                continue
            for w in d.walls:
                if not _wall_ok(w, possible, set()):
                    out.append(
                        make_flag(
                            F.COMPARISON_CONTRADICTS_PRIOR,
                            f"The text places the prior's possible defect in the {w} wall; the prior's scored "
                            f"segments lie in the {', '.join(sorted(possible))}.",
                            _mention_span(claims, d.sent, "WALL", w),
                            evidence=f"prior segments scored >= 1: {', '.join(sorted(possible))}",
                        )
                    )
    return out


# the reversibility a text may give a prior defect of each reversibility (a partial reversal has a fixed part and
# a reversible part; "partially reversible" is a reading of either)
_PRIOR_REVERSIBILITY_FITS = {
    "reversible": {"reversible", "partially reversible"},
    "fixed": {"fixed", "partially reversible"},
    "partially reversible": {"reversible", "partially reversible", "fixed"},
}


def _prior_reversibility(
    claims: Claims, facts: Facts, said: list[DefectClaim], flagged: set[tuple[int, int] | None]
) -> list[Flag]:
    """The reversibility a text gives the prior's defect in a territory or wall ("the lateral defect that was fixed
    on the 2025 study", "prior inferior reversible defect"), against the prior's defect there."""
    out: list[Flag] = []
    for d in said:
        if d.reversibility is None or d.reversibility[1:] in flagged:
            continue
        there = [
            (t, rev)
            for t, (walls, rev) in facts.prior_reversibility.items()
            if t in d.territories or (not d.territories and any(_wall_ok(w, set(walls), set()) for w in d.walls))
        ]
        value = d.reversibility[0]
        if there and not any(rev in _PRIOR_REVERSIBILITY_FITS.get(value, {value}) for _, rev in there):
            shown = "; ".join(f"{t} {rev}" for t, rev in sorted(there))
            out.append(
                make_flag(
                    F.COMPARISON_CONTRADICTS_PRIOR,
                    f"The text calls the prior's defect {value}; the prior's defect there was {shown}.",
                    d.reversibility[1:],
                    evidence=f"prior defects: {shown}",
                )
            )
    return out


_NEW_WORD = re.compile(r"\b(?:new|newly|interval(?:\s+development)?|developed|de novo)\b", re.I)


def _new_where_prior_had(claims: Claims, facts: Facts) -> list[Flag]:
    """A fixed defect (scar) called new in a territory where the prior had a defect: new says it was absent then.
    (New ischemia in a territory of a prior scar is a change the text may state.)"""
    if not facts.prior_territories:
        return []
    out: list[Flag] = []
    for st in claims.statements:
        if st.concept != "comparison" or not _NEW_WORD.fullmatch(claims.text[st.span[0] : st.span[1]].strip()):
            continue
        for d in claims.defects:
            if d.sent != st.sent or d.certainty != "affirmed" or d.kind != "perfusion" or d.trigger == "ISCHEMIA":
                continue
            # the defect of another part of the sentence ("SCAR=RCA inferior, fixed | CHANGE=new lateral ischaemia")
            if not d.span[0] <= st.span[0] < d.span[1]:
                continue
            if d.reversibility is not None and d.reversibility[0] != "fixed":
                continue
            both = sorted(set(d.territories) & facts.prior_territories)
            if both:
                out.append(
                    _flag(
                        F.COMPARISON_CONTRADICTS_PRIOR,
                        f"The text calls the {', '.join(both)} defect new; the prior had a defect there.",
                        st,
                        f"prior defects: {', '.join(sorted(facts.prior_territories))}",
                    )
                )
                break
    return out


# a prior's defect in shorthand, with no defect noun ("vs 9/2023 rpt (lg sev fixed RCA, EF 38%)")
_DEFECT_WORD = re.compile(r"\b(?:fixed|reversible|rev|defects?|scar\w*|infarct\w*|isch\w*)\b", re.I)
_TERRITORY_DENIED_BEFORE = denial.before("territory")


# a defect the comparison says is gone now ("the lateral ischaemia has essentially disappeared"): the prior had it,
# whatever doubt the parser read in "disappeared"
_GONE_NOW = re.compile(r"\b(?:gone|resolved|disappeared|vanished|no longer (?:seen|present|visible|evident))\b", re.I)


def _gone_since_prior(claims: Claims, d: DefectClaim) -> bool:
    return d.certainty == "uncertain" and _GONE_NOW.search(claims.text, *d.span) is not None


def _prior_wall_names(facts: Facts) -> set[str]:
    """The walls of the prior's defects as its report names them; its "apical" defect is the text's "apex" too
    (a report given as words names no segments to tell the apical ring from the apex)."""
    walls = set(facts.prior_walls or ()) | set(facts.prior_equivocal_walls)
    return walls | {"apex"} if "apical" in walls else walls


def _prior_shorthand_territories(claims: Claims, territories: frozenset[str], said: list[DefectClaim]) -> list[Flag]:
    """Territories a prior clause gives a defect word but no defect claim reads: each must be the prior's."""
    out: list[Flag] = []
    read = {(d.sent, t) for d in said for t in d.territories}
    for a, b in claims.prior_regions:
        region = claims.text[a:b]
        if not _DEFECT_WORD.search(region):
            continue
        for m in claims.mentions:
            if m.label != "TERRITORY" or not a <= m.start < b or not m.value or m.value in territories:
                continue
            if (m.sent, m.value) in read or _TERRITORY_DENIED_BEFORE.search(claims.text, a, m.start):
                continue
            known = ", ".join(sorted(territories)) or "none"
            out.append(
                make_flag(
                    F.COMPARISON_CONTRADICTS_PRIOR,
                    f"The text places the prior's defect in the {m.value} territory; the prior's defects: {known}.",
                    (m.start, m.end),
                    evidence=f"prior defects: {known}",
                )
            )
    return out


def _denied_in_prior(claims: Claims, d: DefectClaim) -> bool:
    """A prior's defect read as negated is denied only by a negation inside what the text says of the prior: in
    "the previously described inferior ischaemia is no longer evident" the negation is the current study's, and
    the prior's defect is affirmed (its walls are checked against the prior's)."""
    a, b = claims.sentences[d.sent]
    regions = [(x, y) for x, y in claims.prior_regions if a <= x < b]
    return not regions or any(_NEGATION_WORD.search(claims.text, x, y) for x, y in regions)


_NEGATION_WORD = re.compile(r"\b(?:no|not|without|absen\w+|negative|free of|resolved|resolution)\b", re.I)


def _clause_of(claims: Claims, s: Statement, text: str | None = None) -> str:
    """The clause of a sentence that holds a statement (between commas or semicolons); ``text``: the claims' text
    with some words blanked (as :func:`_own_words` does), of the same length."""
    start, end = _clause_span(claims, s, text)
    return (text or claims.text)[start:end]


# the prior study a change is measured against, right after the change word ("new versus the normal 2022 study",
# "unchanged compared with the SPECT of May 2022"), and what may go on to name the change's place ("... in the LAD
# territory")
_PRIOR_REFERENCE = re.compile(
    r"\s+(?:versus|vs\.?|compared\s+(?:with|to)|relative\s+to|in\s+comparison\s+(?:with|to)|since|from|than)\s+"
    r"(?:(?:the|his|her|their|a|an)\s+)?(?:[\w/-]+\s+){0,4}?(?:study|studies|scan|exam(?:ination)?|SPECT|PET|MPI|test)\b"
    r"(?:\s+(?:of|from|in|dated)\s+(?:[\w/-]+\s+){0,2}?\d{4}\b)?",
    re.I,
)
_REFERENCE_GOES_ON = re.compile(r"\s+(?:in|at|of|on|within|involving|affecting|for)\b", re.I)


def _clause_to_reference(claims: Claims, s: Statement, text: str) -> str:
    """The clause of a comparison, ended where the prior study it is measured against has been named: in dictation
    without punctuation what follows is another statement ("this is new versus the normal 2022 study ejection fraction
    preserved at 56 percent": the LVEF is not what is new)."""
    start, end = _clause_span(claims, s, text)
    ref = _PRIOR_REFERENCE.match(text, s.span[1], end)
    if ref is not None and not _REFERENCE_GOES_ON.match(text, ref.end(), end):
        end = ref.end()
    return text[start:end]


def _clause_span(claims: Claims, s: Statement, text: str | None = None) -> tuple[int, int]:
    """Where the clause of :func:`_clause_of` stands in the text."""
    a, b = claims.sentences[s.sent]
    text = text or claims.text
    # "new LCx ischaemia while the inferior scar is unchanged"; "the perfusion pattern is unchanged but the
    # ejection fraction has declined"; "(prior: fixed defect; LVEF 41%): the infarct is unchanged"
    # ... and where "plus" adds a finding of its own ("... myocardium) plus a small fixed inferior defect (unchanged
    # from 2023)"), and at the bar between the fields of a registry line ("PRIOR=..., fixed defect | CHANGE=new ...")
    cut = r"[,;|]|:\s|\b(?:while|whereas|although|but|plus)\b"
    start = max((m.start() for m in re.finditer(cut, text[a : s.span[0]], re.I)), default=0)
    end = next((m.start() for m in re.finditer(cut, text[s.span[1] : b], re.I)), b - s.span[1])
    return a + start, s.span[1] + end


_ASIDE = re.compile(r"\([^()]*\)")
# the kind of a defect as a prior's aside gives it: the prior's state, not what changed since
_KIND_WORD = re.compile(r"\b(?:fixed|scar\w*|infarct\w*|MI|reversible|ischa?emi\w*|isch|inducible)\b", re.I)


def _own_words(claims: Claims) -> str:
    """The text with what each parenthesised aside on the prior says of the prior's state blanked (same length).
    An aside that sums the prior up in several values ("no change from 2022 (SSS 0, EF 57%)", "progression since May
    2024 (SSS 6, LVEF 53%)") names no subject of the change: the study as a whole is. In one that quotes one value
    or none, the defect's kind is the prior's state ("worse vs 05/2024 (then a fixed defect)": the defect, not its
    scar, changed), while the place or the score it names is the subject ("increased from 2024 (SDS 3)": the
    ischemia)."""
    text = claims.text
    for a, b in claims.prior_regions:
        for m in _ASIDE.finditer(text, a, b):
            summary = len(_VALUE.findall(m.group(0))) >= 2
            for k in [m] if summary else list(_KIND_WORD.finditer(text, m.start(), m.end())):
                text = text[: k.start()] + " " * (k.end() - k.start()) + text[k.end() :]
    return text


_VALUE = re.compile(r"\d+(?:\.\d+)?")


_PERFUSION_SUBJECT = re.compile(r"\b(?:perfusion|defects?|pattern)\b", re.I)
_SCAR_SUBJECT = re.compile(r"\b(?:fixed|scar\w*|infarct\w*|MI)\b", re.I)
_ISCHEMIA_SUBJECT = re.compile(r"\b(?:reversible|ischa?emi\w*|inducible)\b", re.I)


def _defect_direction(text: str, facts: Facts) -> str | None:
    """The change since the prior of the defect a text names by its territory, its walls or its kind (a fixed
    defect or scar against a reversible one), when the text names only defects that changed alike."""
    if _SCAR_SUBJECT.search(text) and not _ISCHEMIA_SUBJECT.search(text) and "scar" in facts.comparison_directions:
        return facts.comparison_directions["scar"]  # "the infarct is unchanged in size": its scar, not its ischemia
    d = {k[7:]: v for k, v in facts.comparison_directions.items() if k.startswith("defect:")}
    named = {t for t in d if re.search(rf"\b{re.escape(t)}\b", text, re.I)}
    if not named:
        named = {
            dx.territory
            # a mildly reduced (score-1) region is where a defect the prior named may have gone below the threshold
            for dx in (*facts.defects, *facts.equivocal)
            if dx.territory in d and any(_names_wall(text, w) for w in dx.walls)
        }
    if not named and _SCAR_SUBJECT.search(text) and not _ISCHEMIA_SUBJECT.search(text):
        named = {dx.territory for dx in facts.defects if dx.territory in d and dx.reversibility == "fixed"}
    if not named and _PERFUSION_SUBJECT.search(text) and not _LVEF_WORD.search(text):
        named = set(d)  # "the perfusion pattern is unchanged": every defect compared, where they changed alike
    values = {d[t] for t in named if t is not None}
    return values.pop() if len(values) == 1 else None


_SEPTUM_WORD = re.compile(r"\bsept(?:al|um)\b", re.I)


def _names_wall(text: str, wall: str) -> bool:
    """The text names the wall, or the septum where the wall is one of its parts ("the septal defect is unchanged"
    of an anteroseptal or inferoseptal region)."""
    return bool(re.search(rf"\b{re.escape(wall)}\b", text, re.I)) or (
        wall.endswith("septal") and _SEPTUM_WORD.search(text) is not None
    )


# the LV function a comparison may be said of: its LVEF, or the function in words ("left ventricular systolic function
# is mildly reduced and similar to the prior", "his pumping function ... as before")
_LV_FUNCTION_SUBJECT = re.compile(
    r"\b(?:LVEF|L?V?EF|ejection fraction|(?:LV|left ventricular|ventricular|systolic|pump(?:ing)?|contractile|global)"
    r"\s+(?:systolic\s+)?function)\b",
    re.I,
)


# ... or the study itself ("compared with the 2025 scan, which showed ..., the study has improved")
_OVERALL_SUBJECT = re.compile(
    r"\b(?:findings?|abnormalit(?:y|ies)|(?:the|this|today's|today\u2019s|current|present)\s+(?:study|scan|examination))\b",
    re.I,
)


def _direction_for(sentence: str, facts: Facts, *, subject_only: bool = False) -> str | None:
    d = facts.comparison_directions
    if _LV_FUNCTION_SUBJECT.search(sentence) and "lvef" in d:
        return d["lvef"]
    defect = _defect_direction(sentence, facts)
    if defect is not None:
        return defect
    # "..., increased from 2024 (SDS 3)": the score a change quotes names what changed (the summed difference score
    # the ischemia, the summed rest score the scar)
    if re.search(r"\bSDS\b|\bsummed difference\b", sentence, re.I) and "ischemia" in d:
        return d["ischemia"]
    if re.search(r"\bSRS\b|\bsummed rest\b", sentence, re.I) and "scar" in d:
        return d["scar"]
    if subject_only:
        # "compared to the normal SPECT of 2023 this is a new finding": the findings as a whole
        if _OVERALL_SUBJECT.search(sentence) and facts.comparison_changed is not None:
            return "changed" if facts.comparison_changed else "unchanged"
        return None
    for key, value in d.items():
        if key.startswith("defect:") and re.search(rf"\b{re.escape(key[7:])}\b", sentence, re.I):
            return value
    if re.search(r"\bischemi", sentence, re.I) and "ischemia" in d:
        return d["ischemia"]
    if facts.comparison_changed is None:
        return None
    return "changed" if facts.comparison_changed else "unchanged"


_RISK_RANGE_BEFORE = re.compile(r"\b(low|intermediate|moderate|high)(?:\s*-\s*|\s*-?to-?\s*|\s+or\s+|\s*/\s*)$", re.I)


_RISK_RANGE_AFTER = re.compile(r"(?:\s*-\s*|\s*-?to-?\s*|\s*/\s*)(low|intermediate|moderate|high)\b", re.I)
_RISK_LEVEL = re.compile(r"\b(low|intermediate|moderate|high)\b", re.I)


def _risk_range(text: str, s: Statement) -> set[str]:
    """The other end of a stated risk range ("low-intermediate risk"), before the statement or inside it where
    the extraction rules read the whole range as one phrase ("intermediate to high risk"). An option of a checkbox
    left unticked is no end of a range ("Risk: [ ] Low  [x] Intermediate" states intermediate alone)."""
    from extraction.pipeline import checkbox_view

    ticked, _ = checkbox_view(text)  # of the same length: the offsets hold
    words = {m.group(1).lower() for m in _RISK_LEVEL.finditer(ticked, s.span[0], s.span[1])}
    hit = _RISK_RANGE_BEFORE.search(text[max(0, s.span[0] - 20) : s.span[0]])
    if hit is not None:
        words.add(hit.group(1).lower())
    # ... or after it, where the statement holds only the first end ("risk is low to intermediate", "moderate-high")
    after = _RISK_RANGE_AFTER.match(text, s.span[1])
    if after is not None:
        words.add(after.group(1).lower())
    return {"intermediate" if word == "moderate" else word for word in words} - {s.value}


def _risk_word(word: str | None) -> str | None:
    """A risk level in the texts' words: the Duke "moderate" group (DUKE-1991) is the "intermediate" risk written."""
    return "intermediate" if word == "moderate" else word


# The kinds of high-risk finding a reader may deny one at a time ("no ischaemic high-risk features; prognosis driven
# by LV dysfunction"), grouped as ACC-AHA-SIHD-2012 (table of high-risk noninvasive findings) groups them: those
# induced by stress (ischemia), those of the perfusion images, those of LV function at rest or after stress, those of
# the stress ECG. A defect's size or number is ischemic where the study shows ischemia.
_DEFECT_FEATURES = frozenset({HighRiskFeature.MULTIVESSEL_DEFECTS, HighRiskFeature.LARGE_DEFECT})
_STRESS_INDUCED = frozenset(
    {
        HighRiskFeature.ISCHEMIC_BURDEN,
        HighRiskFeature.TRANSIENT_ISCHEMIC_DILATION,
        HighRiskFeature.POST_STRESS_LVEF_DROP,
        HighRiskFeature.LUNG_UPTAKE,
        HighRiskFeature.SEVERELY_REDUCED_MFR,
    }
)
_FEATURE_KINDS: tuple[tuple[re.Pattern[str], frozenset[HighRiskFeature]], ...] = (
    (re.compile(r"\b(?:ischa?emic|ischa?emia|inducible|stress-induced)\b", re.I), _STRESS_INDUCED),
    (
        re.compile(r"\b(?:perfusion|scintigraphic|imaging|scan)\b", re.I),
        (_STRESS_INDUCED - {HighRiskFeature.POST_STRESS_LVEF_DROP}) | _DEFECT_FEATURES,
    ),
    (
        re.compile(r"\b(?:ECG|EKG|electrocardiographic|treadmill|exercise)\b", re.I),
        frozenset({HighRiskFeature.DUKE_HIGH_RISK, HighRiskFeature.EXERCISE_HYPOTENSION}),
    ),
)
# the words of a denied high risk that may name its kind: "no ischaemic high-risk features", "no high-risk
# features of ischemia", "no high-risk perfusion findings"
_KIND_BEFORE = re.compile(r"\b(?:no|not|without|nor)\s+(?:(?:other|further|additional|definite)\s+)?([\w-]+)\s+$", re.I)
_KIND_AFTER = re.compile(
    r"\s*(?:-?\s*risks?\b\s*)?(?:(?:perfusion|scintigraphic|imaging|ischa?emic|ECG|EKG|treadmill|exercise)\s+)?"
    r"(?:features?|findings?|markers?|signs?)(?:\s+(?:of|for|on)\s+(?:the\s+)?(\w+))?",
    re.I,
)


def _denied_kind_holds(text: str, s: Statement, facts: Facts) -> bool:
    """A denied high risk that names the kind of its features holds where none of the rules' high-risk features is
    of that kind (the rules' high risk rests on another kind, which the text may state elsewhere)."""
    after = _KIND_AFTER.match(text, s.span[1])
    if after is None:
        return False
    before = _KIND_BEFORE.search(text[max(0, s.span[0] - 40) : s.span[0]])
    words = " ".join(w for w in (before.group(1) if before else None, after.group(0)) if w)
    kinds = [features for cue, features in _FEATURE_KINDS if cue.search(words)]
    if not kinds or not facts.high_risk_features:
        return False
    ischemic = _STRESS_INDUCED | (_DEFECT_FEATURES if facts.ischemia else frozenset())
    denied = frozenset().union(*kinds)
    if any(features is _STRESS_INDUCED for features in kinds):
        denied |= ischemic
    return not any(h.feature in denied for h in facts.high_risk_features)


def _conceded_risk_overruled(claims: Claims, s: Statement) -> bool:
    """A risk put as what a part of the findings would look like on its own ("which on their own would look low
    risk", "the perfusion alone might suggest low risk") where the text goes on to make another call of its own
    ("... Consensus: high risk"): a concession, not the text's risk. Without a later call of another category it is
    read as stated."""
    a = claims.sentences[s.sent][0]
    if not _CONCEDED_BEFORE.search(claims.text, max(a, s.span[0] - 60), s.span[0]):
        return False
    return any(
        o.concept == "risk" and o.present and o.value != s.value and o.span[0] > s.span[1] for o in claims.statements
    )


# the words that make a risk the exercise test's rather than the study's
_TEST_RISK_NEAR = re.compile(r"\b(?:treadmill|Duke|DTS|ECG|EKG|exercise)\b", re.I)


def check_risk(text: str, claims: Claims, facts: Facts) -> list[Flag]:
    """A stated risk category must be the rules' category (and a Duke risk the Duke category)."""
    out: list[Flag] = []
    for s in claims.statements:
        stated = {s.value} | _risk_range(text, s)
        if s.concept == "risk" and s.present and _conceded_risk_overruled(claims, s):
            continue  # "the perfusion alone would look low risk ... Consensus: high risk": conceded, not the call
        if s.concept == "risk" and not s.present:
            if s.value == RiskCategory.HIGH and _denied_kind_holds(text, s, facts):
                continue  # "no ischaemic high-risk features" of a study high risk by its LV function only
            if facts.risk is not None and facts.risk == s.value:  # "not high risk" of a high-risk study
                out.append(
                    _flag(
                        F.RISK,
                        f"The text denies {s.value} risk; the rules give {facts.risk} risk.",
                        s,
                        f"risk: {facts.risk}",
                        # "no high-risk markers ... intermediate risk": the denial of the reading the text grades
                        warn=(
                            facts.risk_intermediate_is_a_reading
                            and any(st.value == RiskCategory.INTERMEDIATE for st in claims.of("risk") if st.present)
                        )
                        # "not a low-risk study" where the rules' low is the perfusion's and a severe calcium score
                        # adds long-term risk (CAC-DRS-2018): the overall reading "intermediate risk" states too;
                        # not a denial of the treadmill's low risk ("not a low-risk treadmill result")
                        or (
                            facts.risk_raised_by_calcium
                            and s.value == RiskCategory.LOW
                            and not _TEST_RISK_NEAR.search(text, max(0, s.span[0] - 30), s.span[1] + 30)
                        ),
                    )
                )
        elif (
            s.concept == "risk"
            and facts.risk is not None
            and facts.risk in stated
            and facts.risk_table_ischemic is not None
            and _ischemic_risk(text, s)
            and not _table_supports(facts, {str(v) for v in stated}, ischemic=True)
        ):
            # "high risk for ischemic events" where the rules' high rests on an LV function the normal perfusion
            # shows no ischemic heart's: the table grades the risk of ischemic events apart, and lower
            lowest, highest, words = facts.risk_table_ischemic
            span = lowest if lowest == highest else f"{lowest} to {highest}"
            out.append(
                _flag(
                    F.RISK,
                    f"The text states {s.value} risk for ischemic events; with normal perfusion the ACC-AHA-SIHD-2012 "
                    f"table gives {span} risk for them (the rules' {facts.risk} risk rests on the LV function).",
                    s,
                    f"risk of ischemic events: {span}" + (f" ({words})" if words else ""),
                )
            )
        elif s.concept == "risk" and facts.risk is not None and facts.risk not in stated:
            # low risk by perfusion with a calcium score that adds long-term risk: "intermediate risk" is a
            # reading of both together, shown as unverified rather than wrong
            overall = (
                facts.risk_raised_by_calcium and facts.risk == RiskCategory.LOW and s.value == RiskCategory.INTERMEDIATE
            )
            # "low risk" where the rules' intermediate rests only on uncertain readings (attenuation or
            # ischemia, a borderline LVEF): a reading shown as unverified; "high risk" stays an error
            judged = facts.risk_low_is_a_reading and stated == {RiskCategory.LOW}
            # "intermediate risk" where the rules' high rests only on an ischemic extent at the edge of the band
            judged = judged or (facts.risk_intermediate_is_a_reading and stated == {RiskCategory.INTERMEDIATE})
            # "low risk" where the rules' high rests only on a dilated LV the text names: graded by perfusion
            judged = judged or (stated == {RiskCategory.LOW} and _low_by_perfusion_with_dilation_named(claims, facts))
            # a category the ACC-AHA-SIHD-2012 table itself gives the study's facts (the rules grade otherwise):
            # a reading shown as unverified, with the table's words; one the table does not give stays an error
            table = _table_supports(facts, {str(v) for v in stated}, ischemic=_ischemic_risk(text, s))
            out.append(
                _flag(
                    F.RISK,
                    f"The text states {s.value} risk; the rules give {facts.risk} risk"
                    + (" by perfusion, with a long-term risk added by the calcium score." if overall else "")
                    + (f"; the ACC-AHA-SIHD-2012 table supports {table}." if table else "."),
                    s,
                    f"risk: {facts.risk}"
                    + (
                        f" ({'; '.join(h.words for h in facts.high_risk_features)})" if facts.high_risk_features else ""
                    ),
                    warn=overall or judged or bool(table),
                )
            )
        elif s.concept == "duke_risk" and facts.duke_category is None and facts.duke_reading_category is not None:
            # the band of a Duke score the rules decline for the baseline ECG: a reading where it is the band of the
            # inputs' score, an error where it is another
            read = _risk_word(facts.duke_reading_category) in {_risk_word(v) for v in stated}
            out.append(
                _flag(
                    F.RISK,
                    f"The text gives a {s.value}-risk Duke score; the rules give none "
                    f"({_DUKE_NONE[facts.duke_reading_basis]}) and the inputs' score is {facts.duke_reading_category}"
                    + (": a reading, shown as unverified." if read else "."),
                    s,
                    f"Duke category of the inputs: {facts.duke_reading_category}",
                    warn=read,
                )
            )
        elif s.concept == "duke_risk" and _risk_word(facts.duke_category) not in {_risk_word(v) for v in stated}:
            out.append(
                _flag(
                    F.RISK,
                    f"The text gives a {s.value}-risk Duke score; the score is "
                    f"{facts.duke_category or 'not available'}.",
                    s,
                    f"Duke category: {facts.duke_category or NO_SUPPORT}",
                )
            )
    out.extend(_exclusion_at_submaximal_stress(text, facts))
    return out


def _low_by_perfusion_with_dilation_named(claims: Claims, facts: Facts) -> bool:
    """Whether the rules' high risk rests only on the LV's volume, and the text names the dilated LV."""
    return facts.risk_high_by_volume_only and any(
        st.concept == "lv_size" and st.value == "dilated" and st.present for st in claims.statements
    )


# a risk said of ischemic events only ("low risk for ischaemic events", "ischaemic risk is low", "from an ischemic
# point of view", "low risk for perioperative ischaemic events", "low risk ischemia-wise", "low risk for ischaemia"):
# not a risk an arrhythmia during stress raises
_ISCHEMIC_RISK = re.compile(
    r"\b(?:for|of)\s+(?:(?:future|further|major|adverse|perioperative|peri-operative|post-?operative|cardiac)\s+)"
    r"{0,2}(?:ischa?emic|coronary)\s+(?:cardiac\s+)?(?:events?|complications?)\b"
    r"|\bischa?emic\s+risk\b|\b(?:from\s+)?an?\s+ischa?emi[ca]\s+(?:point\s+of\s+view|standpoint|perspective)\b"
    r"|\bischa?emia[- ]wise\b|\b(?:for|of)\s+(?:(?:inducible|myocardial)\s+){0,2}ischa?emia\b(?!\s+(?:and|or)\b)",
    re.I,
)


def _ischemic_risk(text: str, s: Statement) -> bool:
    """Whether the stated risk is scoped to ischemic events: the words right around it, in its clause."""
    near = re.split(r"[.;]", text[s.span[1] : s.span[1] + 60], maxsplit=1)[0]
    before = re.split(r"[.;]", text[max(0, s.span[0] - 30) : s.span[0]])[-1]
    return bool(_ISCHEMIC_RISK.search(before + text[s.span[0] : s.span[1]] + near))


def _ischemic_risk_apart(text: str, s: Statement, facts: Facts) -> bool:
    """A risk said of ischemic events only, in a category the table gives them and the rules' overall risk is not
    ("low risk for ischemic events" of a nonischemic cardiomyopathy, high risk by its LVEF): not the overall risk."""
    return (
        facts.risk_table_ischemic is not None
        and facts.risk_table_ischemic != facts.risk_table
        and _ischemic_risk(text, s)
        and bool(_table_supports(facts, {str(s.value)}, ischemic=True))
        and s.value != facts.risk
    )


def _table_supports(facts: Facts, stated: set[str], ischemic: bool = False) -> str:
    """The words of the ACC-AHA-SIHD-2012 table's reading ("low to intermediate risk (...)") where every stated
    category is within it, else ''; ``ischemic``: the table read for the risk of ischemic events only."""
    table = facts.risk_table_ischemic if ischemic else facts.risk_table
    if table is None:
        return ""
    lowest, highest, words = table
    band = RISK_ORDER[RISK_ORDER.index(lowest) : RISK_ORDER.index(highest) + 1]
    if not stated or not stated <= set(band):
        return ""
    span = lowest if lowest == highest else f"{lowest} to {highest}"
    return f"{span} risk" + (f" ({words})" if words else "")


# A conclusion that coronary disease is excluded ("CAD excluded", "rules out significant coronary disease"), and
# the words that deny or scope it ("does not exclude", "nondiagnostic for excluding", "to exclude")
_EXCLUDES_CAD = re.compile(
    r"\b(?:CAD|coronary\s+(?:artery\s+)?disease|ischa?emia)\s+(?:(?:is|has\s+been|was|can\s+be|is\s+now)\s+)?"
    r"(?:(?:effectively|essentially|reliably|safely)\s+)?(?:excluded|ruled\s+out)\b"
    r"|\b(?:excludes?|excluding|rules?\s+out|ruling\s+out)\s+(?:(?:significant|obstructive|flow-limiting|any)\s+)?"
    r"(?:CAD|coronary\b|ischa?emia\b)",
    re.I,
)
_EXCLUSION_DENIED_BEFORE = re.compile(
    r"(?:\b(?:not|cannot|nor|unable|insufficient|fails?|to|for|without|never|no)|n't)\s+(?:[\w-]+\s+){0,3}$", re.I
)
# ... or asks it: an indirect question ("asked whether this scan rules out coronary disease") or a direct one ("Does
# the test rule out CAD?"), which the answer after it settles
_EXCLUSION_ASKED_BEFORE = re.compile(r"\b(?:whether|if)\s+(?:[\w-]+\s+){0,4}$", re.I)
_QUESTION_REST = re.compile(r"[^.!?\n]*\?")


def _exclusion_at_submaximal_stress(text: str, facts: Facts) -> list[Flag]:
    """Coronary disease called excluded after a chronotropic stress that stayed submaximal: the test's sensitivity
    is reduced (ASNC-REPORTING-2009; ACC-AHA-EXERCISE-2002: below 85% of the age-predicted maximum a normal test
    is not a negative one), so the facts say it cannot exclude disease. An error, as a wrong conclusion is."""
    if not facts.submaximal:
        return []
    for hit in _EXCLUDES_CAD.finditer(text):
        lead = text[max(0, hit.start() - 40) : hit.start()]
        if _EXCLUSION_DENIED_BEFORE.search(lead) or _NOT_EXCLUDED_AFTER.match(text, hit.end()):
            continue
        if _EXCLUSION_ASKED_BEFORE.search(lead) or _QUESTION_REST.match(text, hit.end()):
            continue
        return [
            make_flag(
                F.ADVICE_AGAINST_FACTS,
                f"The text says {hit.group(0)}; the heart rate stayed submaximal, which reduces the test's "
                "sensitivity.",
                hit.span(),
                evidence="peak heart rate below the target of the age-predicted maximum",
                severity=FlagSeverity.ERROR,
            )
        ]
    return []


_NOT_EXCLUDED_AFTER = re.compile(r"\s*(?:is|was|has been|can be)?\s*not\b|\s*(?:cannot|can't)\b", re.I)


# --- missing findings (impression scope) ------------------------------------------------------

# How an impression may mention each high-risk feature (read in the text, case-insensitive).
_HIGH_RISK_CUES: dict[HighRiskFeature, str] = {
    HighRiskFeature.ISCHEMIC_BURDEN: r"\bischa?emi\w*\b[^.]{0,40}\d|\d[^.]{0,40}\bischa?emi|\bSDS\b\W{0,3}\d",
    HighRiskFeature.MULTIVESSEL_DEFECTS: (
        r"multi\w*[- ]?vessel|multiple (?:vascular )?territor|(?:two|three|2|3)[- ](?:vessel|vascular territor)|"
        r"(?:LAD|LCx|RCA|circumflex|right coronary)\b.*\b(?:LAD|LCx|RCA|circumflex|right coronary)"
    ),
    HighRiskFeature.LARGE_DEFECT: r"\b(?:large|extensive|lg)\b",
    HighRiskFeature.TRANSIENT_ISCHEMIC_DILATION: r"transient ischa?emic dilat|\bTID\b|dilat\w*\s+transiently",
    HighRiskFeature.LOW_LVEF: (
        r"\bL?V?EF\b|ejection fraction|systolic function|LV (?:systolic )?(?:function|dysfunction|impairment)"
    ),
    HighRiskFeature.POST_STRESS_LVEF_DROP: (
        r"\b(?:drop|fall|falls|falling|fell|decline|blunted)\b|\bstunning\b|\bLVEF\b.*\blower\b"
        # the change as numbers ("EF 62→55%"), a negative reserve, or both phases' LVEF side by side
        r"|\b(?:LV)?EF\b[^.;]{0,15}\d\s*%?\s*(?:→|->)\s*\d|\bneg(?:ative|\.)?\s+(?:LVEF\s+|EF\s+)?reserve\b"
        # an abnormal LVEF reserve, or the reserve as a negative number ("Abnormal LVEF reserve (-6 points)")
        r"|\b(?:abnormal|impaired|blunted|absent|no)\s+(?:LVEF|EF|ejection fraction)\s+reserve\b"
        r"|\b(?:LVEF|EF)\s+reserve\b[^.;]{0,12}[-\u2212]\s*\d"
        r"|\d\s*%\s*(?:at\s+)?rest(?:\W{1,3}|\s+and\s+)\d+\s*%\s*(?:at\s+)?(?:peak\s+|post-)?stress"
        r"|\d\s*%\s*(?:at\s+)?(?:peak\s+|post-)?stress(?:\W{1,3}|\s+and\s+)\d+\s*%\s*(?:at\s+)?rest"
    ),
    HighRiskFeature.HIGH_ESV: r"\b(?:LV)?ESVi?\b|end[- ]systolic volume",
    HighRiskFeature.LUNG_UPTAKE: r"\b(?:lung|pulmonary)\b",
    HighRiskFeature.DUKE_HIGH_RISK: r"\bDuke\b",
    HighRiskFeature.EXERCISE_HYPOTENSION: r"hypotensi",
    HighRiskFeature.SEVERELY_REDUCED_MFR: r"flow reserve|\bMFR\b",
}


# the statements that say a high-risk feature in other words than its cues
_FEATURE_OF_CONCEPT: dict[str, HighRiskFeature] = {"lvef_drop": HighRiskFeature.POST_STRESS_LVEF_DROP}


def _impression_part(claims: Claims) -> str:
    """The impression of a text with findings sections before it (its summary is what must name each high-risk
    feature: a findings line "LVEF 58% rest, 52% stress" does not say it there); the whole text otherwise."""
    imp = {m.sent for m in claims.mentions if m.section == IMPRESSION}
    if not imp or not any(m.section not in (IMPRESSION, None) for m in claims.mentions):
        return claims.text
    return claims.text[claims.sentences[min(imp)][0] : claims.sentences[max(imp)][1]]


# how an impression may say that a stress fell short ("submaximal", "blunted heart-rate response", "75% MPHR",
# "reduced sensitivity", "nondiagnostic", "on beta-blocker")
_SUBMAXIMAL_MENTION = re.compile(
    r"sub-?max|\b(?:inadequate|suboptimal|blunted|limited|reduced|insufficient)\b[^.]{0,40}"
    r"(?:heart[- ]rate|\bHR\b|stress|chronotrop|sensitivity|workload)|(?:heart[- ]rate|\bHR\b)[^.]{0,40}"
    r"(?:inadequate|suboptimal|blunted|not (?:reach|achiev))|sensitivity|\d\s*%\s*(?:of\s+)?(?:the\s+)?"
    # (a beta-blocker named only as one to hold for a repeat test, or as one the patient is off, does not say
    # this test was limited: "consider repeat imaging off beta-blockade")
    # (a nondiagnostic ECG is a limit of the ECG, which an LBBB or paced rhythm also sets, not of the perfusion)
    r"(?:age[- ])?(?:predicted|MPHR|APMHR|max)|"
    r"(?<!ECG )(?<!EKG )(?<!ECG was )(?<!EKG was )(?<!ECG is )(?<!EKG is )(?:non-?diagnostic|nondx)(?!\s+(?:ECG|EKG))|"
    r"(?<!\bthe )(?<!\boff )(?<!\boff his )(?<!\boff her )(?<!\bwithout )(?<!\bholding )(?<!\bstopping )"
    r"beta[- ]?block\w*(?!\s+(?:held|withheld|stopped|discontinued))|\bBB\b"
    # the sensitivity as an adjective, the target as the heart rate's ("so her heart rate only reached 78% of target,
    # which makes the test less sensitive")
    r"|\b(?:less|reduced|lower)\s+sensitive\b|\d\s*%\s*of\s+(?:the\s+|her\s+|his\s+|their\s+)?target\b"
    # ... or in lay words: the share of the target as a fraction or in words, the sensitivity as what the test is
    # less able to find ("your heart rate only rose to about three-quarters of the usual target, so the test is a
    # little less able to pick up narrowed arteries")
    r"|\b(?:half|(?:two|three|four)[- ](?:thirds|quarters|fifths)|\d+\s*(?:per\s*cent|percent))\s+of\s+"
    r"(?:the\s+|her\s+|his\s+|their\s+|your\s+|its\s+)?(?:usual\s+|expected\s+|normal\s+|predicted\s+)?"
    r"(?:target|maximum|maximal|predicted)\b"
    r"|\bless\s+(?:able|likely)\s+to\s+(?:pick\s+up|detect|find|show|catch|spot)\b",
    re.I,
)
_ECG_STATED = re.compile(
    r"\b(?:ECG|EKG|electrocardiogra\w*|ST[- ]?(?:segment|depression|elevation|changes?|deviation|shift)\w*|STD)\b"
    r"|\bST\s*[↓↑]",
    re.I,
)
_ECG_MENTION = re.compile(
    r"\b(?:ECG|EKG|electrocardiogra\w*|ST[- ]?(?:segment|depression|elevation|changes?|deviation)\w*|STD|Duke|"
    r"treadmill|false[- ]positive)\b|\bST\s*[↓↑]",
    re.I,
)
_PERFUSION_MENTION = re.compile(
    # (uptake said of the right ventricle or the lungs is no statement of LV perfusion: "increased tracer uptake in
    # the right ventricle", "RV uptake is prominent", "lung uptake")
    # (the test's name is no statement of its result: "Ex-MPI, mod Bruce 16:00"; "MPI normal", "normal stress MPI" are)
    r"\bperfusion\b|\bdefects?\b|\bischa?emi|\binfarct"
    r"|\bMPI\b(?=\s*[:=-]?\s*(?:normal|abnormal|negative|positive|equivocal|unremarkable|nl|abnl|neg|pos|shows?|showed|"
    r"demonstrat\w*|reveal\w*|with|without|no)\b)"
    r"|\b(?:normal|abnormal|negative|positive|equivocal|unremarkable|nl|abnl)\s+(?:[\w-]+\s+){0,2}MPI\b"
    r"|(?<!\bRV )(?<!\blung )(?<!\bright ventricular )(?<!\bpulmonary )(?<!\bright ventricle )"
    r"(?<!\bRV tracer )(?<!\blung tracer )(?<!\bright ventricular tracer )(?<!\bpulmonary tracer )\buptake\b"
    r"(?!\s+(?:in|of|by|over)\s+(?:the\s+)?(?:right\s+ventric\w*|RV|lungs?|pulmonary)\b)",
    re.I,
)
# ("flow-limiting" grades a stenosis, not the measured flow)
_CALCIUM_MENTION = re.compile(r"calci|\bCAC\b|agatston", re.I)
_FLOW_MENTION = re.compile(r"flow reserve|\bMFR\b|\bMBF\b|blood flow|hyperemic flow|\bflow\b(?!-limiting)", re.I)


def _says_perfusion(claims: Claims) -> bool:
    """The text says something of the current study's perfusion (outside what it says of the prior)."""
    if any(
        st.concept in ("perfusion_result", "study_result", "defect", "ischemia", "scar")
        and not claims.in_prior(st.span[0])
        for st in claims.statements
    ):
        return True
    return any(not claims.in_prior(h.start()) for h in _PERFUSION_MENTION.finditer(claims.text))


_POSSIBLE_DEFECT_MENTION = re.compile(
    r"attenuat|artifact|artefact|\bdefects?\b|\bscar|\binfarct|probably\s+normal|equivocal|\bcounts?\b|\buptake\b",
    re.I,
)
_ARRHYTHMIA_MENTION = re.compile(
    r"\b(?:N?S?VT|ventricular\s+(?:tachy\w*|arrhythmi\w*)|arrhythmi\w*|tachyarrhythmi\w*)\b"
    # ... in a letter's plain words ("a short run of an abnormal fast rhythm from the lower chambers", "an irregular
    # heartbeat"; not "a heart-rhythm monitor", which names no rhythm of this test)
    r"|\b(?:abnormal|fast|rapid|irregular|racing|dangerous)[\s-]+(?:(?:and\s+)?(?:fast|rapid|abnormal|irregular|heart)"
    r"[\s-]+)*(?:rhythm|heart-?\s?beat)s?\b|\brhythm\s+(?:from|in|of)\s+(?:the\s+)?(?:lower|bottom)\s+chambers?\b",
    re.I,
)
_TID_MENTION = re.compile(
    r"\bTID\b|transient\s+(?:ischa?emic\s+)?(?:LV\s+|cavity\s+)?dilat|dilat\w*\s+transiently", re.I
)


def _prior_value_only(n: NumberClaim, facts: Facts) -> bool:
    """The number is the prior study's LVEF and none of this study's."""
    values = facts.quantities.get("lvef", [])
    now = [f for f in values if f.phase != "prior" and isinstance(f.value, float | int)]
    then = [f for f in values if f.phase == "prior" and isinstance(f.value, float | int)]
    return any(_matches(n, float(f.value)) for f in then) and not any(_matches(n, float(f.value)) for f in now)


def _lvef_value_in_lvef_sentence(claims: Claims, facts: Facts) -> bool:
    """A percentage bound to no quantity, after an LVEF label of its own sentence, that is this study's LVEF."""
    values = facts.quantities.get("lvef", [])
    now = [float(f.value) for f in values if f.phase != "prior" and isinstance(f.value, float | int)]
    labels = [m for m in claims.mentions if m.label == "LVEF" and not m.negated and not claims.in_prior(m.start)]
    return any(
        n.quantity is None
        and n.unit == "%"
        and not claims.in_prior(n.span[0])
        and any(m.sent == n.sent and m.end <= n.span[0] for m in labels)
        and any(_matches(n, v) for v in now)
        for n in claims.numbers
    )


def _minimal_ischemia_told(claims: Claims, facts: Facts) -> bool:
    """Minimal ischemia (< 5 % of the LV, HACHAMOVITCH-2003) told by its summed difference score or denied as
    significant ("without significant residual ischaemia (SDS 2)"): the reader's weighing of it, not an omission."""
    if facts.ischemic_category != "minimal":
        return False
    sds = any(n.quantity == "sds" and not claims.in_prior(n.span[0]) for n in claims.numbers)
    qualified = any(
        s.concept == "ischemia"
        and not s.present
        and _ISCHEMIA_NOUN.match(claims.text, s.span[0])
        and _SIGNIFICANT_AMOUNT.search(claims.text[max(claims.sentences[s.sent][0], s.span[0] - 40) : s.span[0]])
        for s in claims.statements
    )
    return sds or qualified


def _ischemia_amount_told(claims: Claims) -> bool:
    """Whether the text gives the amount or grade of this study's ischemia or defects: a summed score or share of
    the LV, a defect's severity or extent, a grade or size of the ischemia, a size or grade word of the test."""
    if any(
        (n.quantity in ("sss", "sds", "ischemic_percent") or n.unit == "lv%") and not claims.in_prior(n.span[0])
        for n in claims.numbers
    ):
        return True
    if any(d.kind == "perfusion" and d.certainty != "negated" and (d.severities or d.extent) for d in claims.defects):
        return True
    return any(s.present for s in claims.of("ischemia_grade")) or bool(
        re.search(
            r"\b(?:mild|moderate|severe|marked|small|medium|large|extensive|minimal|modest|significant)\w*\b"
            r"[^.;]{0,40}\b(?:ischa?emi|defect|reversib)",
            claims.text,
            re.I,
        )
    )


# the prior named at all ("than in 2024", "vs 9/2024", "the previous scan", "progression", "new"): a comparison said
_PRIOR_MENTION = re.compile(
    r"\b(?:prior|previous|previously|earlier|before|last\s+(?:study|scan|time)|progress\w*|regress\w*|"
    r"new|since|(?:19|20)\d\d)\b",
    re.I,
)


def _mild_ischemia_scored(claims: Claims, facts: Facts) -> bool:
    """Mild ischemia (< 10 % of the LV, HACHAMOVITCH-2003) given by this study's summed difference score beside a defect
    the text states ("the lateral defect is new ... SDS 6"): its amount without the word, a reader's emphasis shown
    as a warning; a larger amount left unnamed stays an error."""
    if facts.ischemic_category not in ("minimal", "mild"):
        return False
    own = {
        float(f.value)
        for f in facts.quantities.get("sds", [])
        if f.phase != "prior" and isinstance(f.value, int | float)
    }
    scored = any(
        n.quantity == "sds" and n.value > 0 and n.value in own and not claims.in_prior(n.span[0])
        for n in claims.numbers
    )
    defect = any(st.concept == "defect" and st.present and not claims.in_prior(st.span[0]) for st in claims.statements)
    return scored and defect


# a defect said to have resolved in a sentence: its reading of which defects are there now is in question
_RESOLVED_IN_SENTENCE = re.compile(r"\b(?:resolved|resolution|disappeared|no\s+longer)\b", re.I)


def _ischemic_reserve_told(claims: Claims, facts: Facts) -> bool:
    """The text states a reduced flow reserve of a territory that holds both a reduced regional flow reserve and a
    (partially) reversible defect of this study: the PET measure of the ischemia there (SNMMI-ASNC-PET-FLOW-2018)."""
    ischemic = {
        d.territory
        for d in facts.defects
        if d.kind == "defect"
        and d.territory
        and d.reversibility in (Reversibility.REVERSIBLE, Reversibility.PARTIALLY_REVERSIBLE)
        and facts.mfr_regional_categories.get(d.territory, "normal") != "normal"
    }
    return any(
        s.concept == "mfr_grade"
        and s.present
        and isinstance(s.value, str)
        and s.value.partition(":")[0] in ischemic
        and s.value.endswith("reduced")
        and not claims.in_prior(s.span[0])
        for s in claims.statements
    )


def _own_sds_stated(claims: Claims, facts: Facts) -> bool:
    """This study's own summed difference score, above zero, stated as such ("SDS 29"): the measure of its ischemia
    and of the reversible perfusion abnormality, named by its score rather than its word (not in a sentence that
    says a defect has resolved, whose reading of the current defects is in question)."""
    own = {
        float(f.value)
        for f in facts.quantities.get("sds", [])
        if f.phase != "prior" and isinstance(f.value, int | float) and f.value > 0
    }
    return any(
        n.quantity == "sds"
        and n.value in own
        and not claims.in_prior(n.span[0])
        and not _RESOLVED_IN_SENTENCE.search(claims.text, *claims.sentences[n.sent])
        for n in claims.numbers
    )


def _kept_since_prior(claims: Claims, pos: int) -> bool:
    """A finding the text quotes of the prior in the clause that calls it unchanged ("vs 06/2021: perfusion pattern
    similar (fixed LAD + LCx)"): the prior's finding, and this study's as well."""
    for st in claims.statements:
        same = st.sent == _sentence_of(claims, pos)
        if same and st.concept == "comparison" and st.value == "unchanged" and st.present:
            a, b = _clause_span(claims, st)
            if a <= pos < b:
                return True
    return False


def check_missing(text: str, claims: Claims, facts: Facts) -> list[Flag]:
    """Clinically significant facts an impression must state (run only with ``scope='impression'``)."""
    out: list[Flag] = []
    present = {s.concept for s in claims.statements if s.present}
    revs = {d.reversibility[0] for d in claims.defects if d.reversibility and d.certainty != "negated"}
    # a reversibility the text states of this study where no defect claim holds it ("the known lateral infarct ...
    # with some reversibility at its margins, ..., the septal motion abnormality is from the LBBB" reads as one
    # wall-motion statement)
    revs |= {
        str(m.value)
        for m in claims.mentions
        if m.label == "REVERSIBILITY"
        and not m.negated
        and m.value
        and (not claims.in_prior(m.start) or _kept_since_prior(claims, m.start))
    }
    if (
        facts.ischemia
        and "ischemia" not in present
        and not revs & {Reversibility.REVERSIBLE, Reversibility.PARTIALLY_REVERSIBLE}
    ):
        out.append(
            make_flag(
                F.MISSING_ISCHEMIA,
                "The impression does not mention ischemia.",
                None,
                evidence="; ".join(facts.ischemia_markers),
                severity=FlagSeverity.WARNING
                # ... or a mild amount given as this study's SDS beside its defect ("the lateral defect is new; SDS 6")
                if facts.ischemia_marginal
                or _minimal_ischemia_told(claims, facts)
                or _mild_ischemia_scored(claims, facts)
                # ... or any amount given as this study's own SDS ("SDS 29 make this high risk"): named by its measure
                or _own_sds_stated(claims, facts)
                # ... or named by its PET measure: a reduced flow reserve stated of the territory of its reversible
                # defect ("the flow reserve in that territory is reduced")
                or _ischemic_reserve_told(claims, facts)
                else None,
            )
        )
    elif (
        facts.ischemia
        and not facts.ischemia_marginal
        and not any(h.feature is HighRiskFeature.ISCHEMIC_BURDEN for h in facts.high_risk_features)  # G506 says it
        and not _ischemia_amount_told(claims)
    ):
        # ischemia named (say only as new since the prior) with neither its amount nor its grade: the impression
        # states the extent and severity of a perfusion abnormality (ASNC-REPORTING-2009)
        out.append(
            make_flag(
                F.MISSING_ISCHEMIA,
                "The impression names ischemia without its amount (SDS, share of the LV) or grade.",
                None,
                evidence="; ".join(facts.ischemia_markers),
                severity=FlagSeverity.WARNING,
            )
        )
    # "known circumflex infarct": an infarct named as history, with its place, is still named (not the
    # "myocardial infarction" of a risk sentence)
    located = {m.sent for m in claims.mentions if m.label in ("TERRITORY", "WALL")}
    infarct_named = any(
        m.label == "INFARCTION"
        and not m.negated
        and not claims.in_prior(m.start)
        and m.sent in located
        and not cues().risk.search(claims.sentence_text(m.sent))
        for m in claims.mentions
    )
    if (
        facts.scar
        and "scar" not in present
        and not infarct_named
        and not revs & {Reversibility.FIXED, Reversibility.PARTIALLY_REVERSIBLE}
    ):
        out.append(
            make_flag(
                F.MISSING_SCAR,
                "The impression does not mention scar.",
                None,
                evidence=_describe(d for d in facts.defects if d.reversibility != Reversibility.REVERSIBLE),
            )
        )
    # each stated risk, with the other end of a range ("intermediate to high risk")
    risks = {
        r
        for s in claims.of("risk")
        if s.present and not _ischemic_risk_apart(text, s, facts)
        for r in {s.value} | _risk_range(text, s)
    }
    # "intermediate risk" where the rules' high is a reading: G801 shows that reading as unverified, and a second
    # warning for the same category would say it twice
    missing_high = (
        facts.risk == RiskCategory.HIGH
        and RiskCategory.HIGH not in risks
        and not (facts.risk_intermediate_is_a_reading and risks == {RiskCategory.INTERMEDIATE})
        # "low risk" graded by perfusion beside the dilated LV it names: G801 shows that reading as unverified
        and not (risks == {RiskCategory.LOW} and _low_by_perfusion_with_dilation_named(claims, facts))
    )
    if missing_high:
        out.append(
            make_flag(
                F.MISSING_HIGH_RISK,
                "The impression does not state that the study is high risk.",
                None,
                evidence="; ".join(h.words for h in facts.high_risk_features),
                # an impression that grades no risk at all leaves it to the reader (a warning, in place of G507's);
                # one that grades it lower contradicts the rules (G801 as well)
                severity=FlagSeverity.WARNING if not risks else None,
            )
        )
    # a mildly reduced LVEF still "preserved" by the heart-failure guidelines (>= 50%, below the ASE-EACVI-2015
    # sex-specific normal limit): LV function said in any words covers it, and its omission is a reading (a warning,
    # as for a normal LVEF), not a hidden abnormality
    borderline = (
        facts.lvef_category == "mildly reduced"
        and facts.lvef is not None
        and facts.lvef >= DEFAULT_THRESHOLDS.lvef_preserved_min
    )
    if facts.lvef_category in _REDUCED:
        stated = (
            (
                borderline
                and (
                    any(s.concept == "lvef_category" for s in claims.statements)
                    or lv_function_said(text, claims, facts)
                )
            )
            or
            # a value of this study: the prior's, quoted beside it ("worse vs 2022 (EF 45%)"), does not say it
            # ("vs 06/2021: ..., LVEF down from 35% to 28%": the value a change reaches is this study's)
            any(
                n.quantity == "lvef" and not _of_prior(n, claims) and not _prior_value_only(n, facts)
                for n in claims.numbers
            )
            or any(s.concept == "lvef_category" and s.value != "normal" for s in claims.statements)
            # this study's LVEF value written after its label with more than filler between ("the pumping
            # function has fallen since May 2024 and is now 31%"): the value of the label its sentence names
            or _lvef_value_in_lvef_sentence(claims, facts)
            # "transient post-stress dysfunction", "stunning": the LVEF is reduced after stress only
            or (
                facts.lvef_reduced_after_stress_only
                and any(s.concept == "lvef_drop" and s.present for s in claims.statements)
            )
        )
        if not stated:
            out.append(
                make_flag(
                    F.MISSING_REDUCED_EF,
                    "The impression does not mention the reduced LVEF.",
                    None,
                    evidence=f"LVEF {facts.lvef:g}% ({facts.lvef_category})",
                    severity=FlagSeverity.WARNING if borderline else None,
                )
            )
    elif facts.lvef is not None and not (
        any(n.quantity == "lvef" and not _of_prior(n, claims) for n in claims.numbers)
        or any(s.concept in ("lvef_category", "lvef_drop") for s in claims.statements)
        or _lvef_value_in_lvef_sentence(claims, facts)
        or lv_function_said(text, claims, facts)
    ):
        # a normal LVEF left unsaid: LV function is an element of every gated study's impression
        # (ASNC-REPORTING-2009); a warning, as a normal value omitted hides no abnormal finding
        out.append(
            make_flag(
                F.MISSING_REDUCED_EF,
                "The impression does not state the LV function.",
                None,
                evidence=f"LVEF {facts.lvef:g}% ({facts.lvef_category})",
                severity=FlagSeverity.WARNING,
            )
        )
    # a right-ventricular finding the study records (in an artifact's note): the images show it, and the impression
    # is the one place the referrer reads it; a warning, as its weight is a reading
    if facts.features.get("rv") and not any(s.concept == "rv" for s in claims.statements):
        out.append(
            make_flag(
                F.MISSING_ABNORMAL_PERFUSION,
                "The impression does not mention the right-ventricular finding the study records.",
                None,
                evidence="study notes: a right-ventricular finding",
                severity=FlagSeverity.WARNING,
            )
        )
    if facts.perfusion_category == PerfusionResult.ABNORMAL:
        said = {s.value for s in claims.statements if s.concept == "perfusion_result"}
        stated_defect = (
            any(d.kind == "perfusion" for d in claims.defects)
            or any(st.concept == "defect" and st.present for st in claims.statements)
            or infarct_named
            # this study's ischemia or scar ("non-viable inferior myocardium", "two-vessel ischaemia of medium
            # extent") is a perfusion abnormality named by its kind
            or any(
                st.concept in ("ischemia", "scar") and st.present and not claims.in_prior(st.span[0])
                for st in claims.statements
            )
            # this study's own SDS above zero is a reversible perfusion abnormality by its score
            or _own_sds_stated(claims, facts)
        )  # "defects in all three coronary territories", "known LCx infarct" say perfusion is abnormal
        if not said & {PerfusionResult.ABNORMAL, PerfusionResult.EQUIVOCAL} and not stated_defect:
            out.append(
                make_flag(
                    F.MISSING_ABNORMAL_PERFUSION,
                    "The impression does not say perfusion is abnormal.",
                    None,
                    evidence=_describe(facts.defects),
                )
            )
    elif facts.perfusion_category in (PerfusionResult.NORMAL, PerfusionResult.PROBABLY_NORMAL) and not _says_perfusion(
        claims
    ):
        # a normal study whose impression says nothing of this study's perfusion, its primary result
        # (ASNC-REPORTING-2009): the prior's defect "not reproduced" is the prior's, not this study's verdict
        out.append(
            make_flag(
                F.MISSING_ABNORMAL_PERFUSION,
                "The impression says nothing of this study's perfusion.",
                None,
                evidence=f"perfusion: {facts.perfusion_category}",
                severity=FlagSeverity.WARNING,
            )
        )
    elif (
        facts.perfusion_category == PerfusionResult.EQUIVOCAL
        and not _PERFUSION_MENTION.search(text)
        and not any(
            st.concept in ("perfusion_result", "study_result", "defect", "ischemia", "scar") for st in claims.statements
        )
    ):
        # an equivocal study whose impression says nothing of perfusion, the study's primary result
        # (ASNC-REPORTING-2009); a warning, as the rules' equivocal is itself a reading
        out.append(
            make_flag(
                F.MISSING_ABNORMAL_PERFUSION,
                "The impression says nothing of perfusion; the study is equivocal.",
                None,
                evidence=_describe(facts.equivocal),
                severity=FlagSeverity.WARNING,
            )
        )
    out.extend(_undescribed_defects(claims, facts))
    possible = [d for d in facts.defects if d.kind == "defect" and d.certainty == "uncertain"]
    if possible and not _POSSIBLE_DEFECT_MENTION.search(text):
        # a defect the rules read as possible attenuation or scar: the reader names it and how it is read, or the
        # impression hides a finding that may be a scar; a warning, as it may be judged an artifact
        out.append(
            make_flag(
                F.MISSING_ABNORMAL_PERFUSION,
                "The impression does not mention the possible defect (attenuation or scar).",
                None,
                evidence=_describe(possible),
                severity=FlagSeverity.WARNING,
            )
        )
    summary = _impression_part(claims)
    # a feature the text states as a finding of its own concept ("an ejection fraction that fails to rise")
    s0 = claims.text.find(summary)
    said_as = {
        _FEATURE_OF_CONCEPT[st.concept]
        for st in claims.statements
        if st.concept in _FEATURE_OF_CONCEPT
        and st.present
        and not st.uncertain
        and s0 <= st.span[0] < s0 + len(summary)
        and not claims.in_prior(st.span[0])
    }
    for feature in facts.high_risk_features:
        if (
            feature.feature not in said_as
            and not re.search(_HIGH_RISK_CUES[feature.feature], summary, re.I)
            and not feature_said(feature, summary, s0, claims, facts)
        ):
            out.append(
                make_flag(
                    F.MISSING_HIGH_RISK_FEATURE,
                    f"The impression does not mention {feature.words}.",
                    None,
                    evidence=feature.words,
                )
            )
    vt = [a for a in facts.arrhythmias if _VT_RECORDED.search(a)]
    if vt and not _ARRHYTHMIA_MENTION.search(text):
        # ventricular tachycardia with stress is a high-risk stress ECG finding of the ACC-AHA-SIHD-2012 table; an
        # impression that leaves it out hides it from the referrer (a warning: the rules do not grade it alone)
        out.append(
            make_flag(
                F.MISSING_HIGH_RISK_FEATURE,
                "The impression does not mention the ventricular tachycardia during stress.",
                None,
                evidence="; ".join(vt),
                severity=FlagSeverity.WARNING,
            )
        )
    if facts.hypertensive_response and not _BP_RESPONSE_MENTION.search(text):
        # an exaggerated blood-pressure response to exercise predicts hypertension and cardiovascular events
        # (AHA-EXERCISE-STANDARDS-2013); left out of a normal study's impression it is its one abnormal finding
        out.append(
            make_flag(
                F.MISSING_HIGH_RISK_FEATURE,
                "The impression does not mention the hypertensive blood-pressure response to exercise.",
                None,
                evidence="stress: peak systolic blood pressure above the limit for the patient's sex",
                severity=FlagSeverity.WARNING,
            )
        )
    if facts.tid_borderline and not facts.tid_abnormal and not _TID_MENTION.search(text):
        # a TID ratio at its limit is a reader's call; left unsaid, the impression hides a possible high-risk sign
        out.append(
            make_flag(
                F.MISSING_HIGH_RISK_FEATURE,
                "The impression does not mention the TID ratio at the limit of normal.",
                None,
                evidence=f"TID ratio {_tid(facts)}",
                severity=FlagSeverity.WARNING,
            )
        )
    # no risk graded where G503 already says the high risk is not stated is one omission, said once; a risk denied
    # or given as a prognosis is a risk statement
    if facts.risk is not None and not risks and not missing_high and not risk_said(text, claims, facts):
        out.append(
            make_flag(F.MISSING_RISK, "The impression states no risk category.", None, evidence=f"risk: {facts.risk}")
        )
    normal = facts.perfusion_category in (PerfusionResult.NORMAL, PerfusionResult.PROBABLY_NORMAL)
    # with normal perfusion an ischemic ECG is the study's one abnormal (discordant) finding; beside abnormal
    # perfusion it adds little to the impression
    alone = set(facts.ischemia_markers) <= {"ischemic ECG response"}  # not balanced flow, TID, an LVEF drop
    # a defect stated where the study records an artifact, with no artifact said anywhere: the reader of the
    # impression takes the defect for a real one
    if facts.artifacts and "artifact" not in present:
        known = {w for a in facts.artifacts for w in a.walls}
        for d in claims.defects:
            if (
                d.kind == "perfusion"
                and d.certainty == "affirmed"
                and not claims.in_prior(d.span[0])
                and any(_wall_ok(w, known, set()) for w in d.walls)
            ):
                out.append(
                    make_flag(
                        F.FALSE_DEFECT,
                        "The impression states a defect where the study records an artifact "
                        f"({', '.join(sorted(known))}) without saying so.",
                        d.span,
                        evidence=f"artifact: {', '.join(sorted(known))}",
                        severity=FlagSeverity.WARNING,
                    )
                )
                break
    # beside abnormal perfusion the ischemic ECG of an exercise test is concordant evidence that the impression
    # still states (a Duke score or the treadmill named does not say it); of a pharmacologic test it adds little
    told = _ECG_MENTION.search(text) if normal and alone else _ECG_STATED.search(text)
    if facts.ecg_response == "ischemic" and ((normal and alone) or facts.exercise) and not told:
        out.append(
            make_flag(
                F.MISSING_ECG_RESPONSE,
                "The impression does not mention the ischemic stress ECG response.",
                None,
                evidence="stress ECG: ischemic response",
            )
        )
    # an ST change the stress notes record in recovery only, where the exercise-phase ECG has none: the one ECG finding
    # the study holds, which the impression owes to its reader, however it weighs it (a false positive, say)
    recovery_st = _recovery_st_noted(facts)
    if recovery_st and not _recovery_told(text):
        out.append(
            make_flag(
                F.MISSING_ECG_RESPONSE,
                "The impression does not mention the ST change in recovery.",
                None,
                evidence=f"stress: {recovery_st}",
                severity=FlagSeverity.WARNING,
            )
        )
    # a submaximal heart rate lowers the sensitivity for ischemia and may understate its extent (ACC-AHA-EXERCISE-2002;
    # ASNC-PROTOCOLS-2016): owed wherever the ischemia read may be too little, that is unless the study is already high
    # risk by its ischemic burden (a fixed scar with no ischemia, or ischemia below 10% of the LV, still owes it)
    burden_high = any(h.feature is HighRiskFeature.ISCHEMIC_BURDEN for h in facts.high_risk_features)
    if facts.submaximal and not burden_high and not _SUBMAXIMAL_MENTION.search(text):
        out.append(
            make_flag(
                F.MISSING_LIMITATION,
                "The impression calls perfusion normal without saying the heart rate was submaximal (reduced "
                "sensitivity)."
                if normal
                else "The impression does not say the heart rate was submaximal, which lowers the sensitivity for "
                "ischemia and may understate its extent.",
                None,
                evidence="peak heart rate below the target of the age-predicted maximum",
            )
        )
    compared = claims.prior_regions or any(
        s.concept in ("comparison", "comparison_part", "no_prior") for s in claims.statements
    )
    if facts.has_prior and facts.comparison_changed and not compared and not _PRIOR_MENTION.search(text):
        out.append(
            make_flag(
                F.MISSING_COMPARISON,
                "The impression does not say how the study compares with the prior study"
                + (f" of {facts.prior_date}" if facts.prior_date else "")
                + " (the rules find it changed).",
                None,
                evidence="; ".join(f"{k}: {v}" for k, v in facts.comparison_directions.items()),
            )
        )
    if facts.risk_raised_by_calcium and facts.risk != RiskCategory.HIGH and not _CALCIUM_MENTION.search(text):
        # a calcium score that raises long-term risk beside a low or intermediate perfusion risk (CAC-DRS-2018; CAC
        # > 400 is high risk in ACC-AHA-SIHD-2012) is an element of the impression of a study that measured it
        # (where the perfusion risk is high already, the ischemia decides the management)
        total = next((f.value for f in facts.quantities.get("cac", []) if f.territory is None), None)
        out.append(
            make_flag(
                F.MISSING_HIGH_RISK_FEATURE,
                "The impression does not mention the coronary calcium score"
                + (f" ({_fmt(float(total))}, {facts.calcium_category})." if total is not None else "."),
                None,
                evidence=f"calcium: {facts.calcium_category}",
            )
        )
    severe_feature = any(h.feature is HighRiskFeature.SEVERELY_REDUCED_MFR for h in facts.high_risk_features)
    if facts.mfr_global_category not in (None, "normal") and not severe_feature and not _FLOW_MENTION.search(text):
        # with near-normal relative perfusion a reduced flow reserve is the study's abnormal finding (G506 covers
        # a severely reduced one as a high-risk feature)
        out.append(
            make_flag(
                F.MISSING_REDUCED_FLOW,
                "The impression does not mention the reduced myocardial flow reserve.",
                None,
                evidence=f"global MFR: {facts.mfr_global_category}",
            )
        )
    reduced_regions = sorted(t for t, grade in facts.mfr_regional_categories.items() if grade != "normal")
    if (
        reduced_regions
        and facts.mfr_global_category in (None, "normal")
        and not severe_feature
        and not _FLOW_MENTION.search(text)
    ):
        # a flow reserve reduced in a territory (below 2.0, SNMMI-ASNC-PET-FLOW-2018) is the flow finding of a
        # study that measured flow; left unsaid, the impression hides whether flow confirms the defect's territory
        out.append(
            make_flag(
                F.MISSING_REDUCED_FLOW,
                f"The impression does not mention the reduced flow reserve in the {', '.join(reduced_regions)} "
                "territory.",
                None,
                evidence="; ".join(f"{t} MFR: {facts.mfr_regional_categories[t]}" for t in reduced_regions),
                severity=FlagSeverity.WARNING,
            )
        )
    out.extend(_unnamed_limitations(text, facts))
    out.extend(_missing_reversing_part(claims, facts, present, revs))
    out.extend(_missing_akinesis(text, claims, facts))
    return out


# an impression that states the study's technical limitations ("fair quality, limited by bowel activity"): it
# names each artifact the study records, as a reader weighs the result by all of them (ASNC-REPORTING-2009: image
# quality and artifacts belong to the report)
_LIMITATION_SAID = re.compile(
    r"\blimited\s+(?:by|because|owing|due)\b|\blimitations?\b|\btechnically\s+(?:limited|suboptimal|difficult)\b|"
    r"\bdegraded\s+by\b|\b(?:fair|poor|suboptimal|reduced|limited)\s+(?:image\s+|study\s+|technical\s+)?quality\b|"
    r"\bof\s+(?:fair|poor|suboptimal)\s+quality\b|\bquality\s*:\s*(?:fair|poor|suboptimal)\b",
    re.I,
)
_ARTIFACT_NAMED = {
    # (the patient's motion, not the wall motion of the function)
    "motion": re.compile(
        r"(?<!wall )(?<!wall-)\bmotion\b(?![- ]?(?:abnormal|is\b|normal))|\bmov(?:ed|ement|ing)\b", re.I
    ),
    "extracardiac activity": re.compile(
        r"\b(?:bowel|gut|intestin\w*|(?:sub|infra)-?diaphragmatic|extra-?cardiac|splanchnic|hepatic|liver|gastric|"
        r"stomach|GI|visceral|abdominal)\b",
        re.I,
    ),
    "attenuation": re.compile(r"\battenuat\w*|\bbreast\b|\bdiaphragm\w*|\bsoft[- ]tissue\b", re.I),
}


# the blood-pressure response said ("hypertensive response", "exaggerated BP response", "blood pressure rose to
# 232/104", "BP 148/90 to 232/104")
_BP_RESPONSE_MENTION = re.compile(
    r"\bhypertensi\w*|\bexaggerated\b[^.;]{0,30}\b(?:blood[- ]pressure|BP|pressor)"
    r"|\b(?:blood[- ]pressure|BP|SBP)\b[^.;]{0,60}?(?:\bris\w*|\brose\b|\bhigh\b|\btoo\s+much\b|\bexcessive\b|"
    r"\bexaggerated\b|\b\d{3}\s*/\s*\d{2,3}\b)",
    re.I,
)


def _unnamed_limitations(text: str, facts: Facts) -> list[Flag]:
    if not facts.artifacts or not _LIMITATION_SAID.search(text):
        return []
    kinds = {a.certainty for a in facts.artifacts}  # an artifact fact carries its kind as its certainty
    return [
        make_flag(
            F.MISSING_LIMITATION,
            f"The impression states the study's limitations without the {kind} the study records.",
            None,
            evidence=f"artifact: {kind}",
            severity=FlagSeverity.WARNING,
        )
        for kind in sorted(k for k in kinds if k in _ARTIFACT_NAMED)
        if not _ARTIFACT_NAMED[kind].search(text)
    ]


def _missing_reversing_part(claims: Claims, facts: Facts, present: set[str], revs: set[str]) -> list[Flag]:
    """Ischemic myocardium the rules measure in a defect they read as fixed (the peri-infarct ischemia of a mostly
    fixed defect), left unsaid: the impression names neither ischemia nor any reversibility of this study. A
    warning: the rules do not call it a reversible defect."""
    if facts.ischemia or not facts.scar or not _ischemic_myocardium(facts) or "ischemia" in present:
        return []
    if revs & {Reversibility.REVERSIBLE, Reversibility.PARTIALLY_REVERSIBLE}:
        return []
    return [
        make_flag(
            F.MISSING_ISCHEMIA,
            "The impression does not mention the ischemic myocardium of the (mostly fixed) defect.",
            None,
            evidence="; ".join(facts.ischemia_markers),
            severity=FlagSeverity.WARNING,
        )
    ]


_AKINESIS_SAID = re.compile(
    r"\b(?:a|dys)kines\w*|\b(?:a|dys)kinetic\b|(?-i:\b(?:AK|DK)\b)|\bwall[- ]motion\s+(?:abnormalit\w*|defect)|"
    r"\b(?:regional|segmental)\s+(?:wall[- ]motion\s+|contractile\s+)?(?:dysfunction|abnormalit\w*)|\baneurysm\w*|"
    r"\bnot?\s+(?:contract|thicken)\w*|\bhypokines\w*|\bhypokinetic\b|(?-i:\bHK\b)|"
    # hibernating myocardium is viable myocardium that does not contract (DILSIZIAN-BONOW-1993): regional dysfunction
    r"\bhibernat\w*",
    re.I,
)


def _missing_akinesis(text: str, claims: Claims, facts: Facts) -> list[Flag]:
    """Akinetic or dyskinetic segments are regional LV systolic dysfunction, a key finding of the function part of
    an impression (ASNC-REPORTING-2009: LV function, global and regional); a warning where the text says no wall
    motion abnormality of this study."""
    grades = {n: g for n, g in facts.segment_motion.items() if g in ("akinetic", "dyskinetic")}
    if not grades:
        return []
    said = [m for m in _AKINESIS_SAID.finditer(text) if not claims.in_prior(m.start())]
    if said or any(st.concept == "wall_motion" and st.value == "abnormal" and st.present for st in claims.statements):
        return []
    if septal_motion_said(text, sorted(grades)):
        return []
    worst = "dyskinetic" if "dyskinetic" in grades.values() else "akinetic"
    return [
        make_flag(
            F.MISSING_REDUCED_EF,
            f"The impression does not mention the regional wall motion abnormality ({worst} segments "
            f"{', '.join(str(n) for n in sorted(grades))}).",
            None,
            evidence=f"wall motion: {worst} segments {', '.join(str(n) for n in sorted(grades))}",
            severity=FlagSeverity.WARNING,
        )
    ]


def _describes(claim: DefectClaim, d: DefectFact) -> bool:
    """The text's defect names the study's defect: one of its walls (the apex only as the apex), segments, or,
    where it names no wall, its territory ("multivessel ischemia in the LAD and RCA territories" after a list of
    walls interprets those walls; it does not describe a defect of its own)."""
    if set(claim.segments) & set(d.segments):
        return True
    if claim.walls:
        return any(w in d.walls or _WALL_FAMILY.get(w, set()) & set(d.walls) for w in claim.walls)
    return d.territory in claim.territories


def _undescribed_defects(claims: Claims, facts: Facts) -> list[Flag]:
    """A defect of the study that an impression describing its defects by place leaves out ("a large anterior and
    apical defect, consistent with multivessel ischemia": the inferior defect is not described). A warning: the
    reader decides how much of a second defect an impression must say."""
    placed = [
        c
        for c in claims.defects
        if c.kind == "perfusion" and c.certainty != "negated" and (c.walls or c.territories or c.segments)
    ]
    affirmed = [d for d in facts.defects if d.kind == "defect" and d.certainty == "affirmed"]
    if not placed:
        named = any(m.label in ("WALL", "TERRITORY") and not claims.in_prior(m.start) for m in claims.mentions)
        if affirmed and not named:
            # "the defect appears larger" with no wall or territory anywhere: the impression states a perfusion
            # abnormality's location (ASNC-REPORTING-2009)
            return [
                make_flag(
                    F.MISSING_ABNORMAL_PERFUSION,
                    "The impression does not say where the defect lies.",
                    None,
                    evidence=_describe(affirmed),
                    severity=FlagSeverity.WARNING,
                )
            ]
        return []
    return [
        make_flag(
            F.MISSING_ABNORMAL_PERFUSION,
            f"The impression does not describe the {d.territory + ' ' if d.territory else ''}defect "
            f"({', '.join(d.walls)}).",
            None,
            evidence=d.describe(),
            severity=FlagSeverity.WARNING,
        )
        for d in facts.defects
        if d.kind == "defect" and d.certainty == "affirmed" and not any(_describes(c, d) for c in placed)
    ]


# --- one text against itself ------------------------------------------------------------------


def check_internal(text: str, claims: Claims, facts: Facts | None = None) -> list[Flag]:
    """The impression of a text against its own findings sections (needs section headers)."""
    imp = [s for s in claims.statements if s.section == IMPRESSION]
    body = [
        s for s in claims.statements if s.section not in (IMPRESSION, None, "indication", "comparison", "prior_study")
    ]
    if not imp or not (body or claims.defects):
        return []
    out: list[Flag] = []
    body_defects = [
        d
        for d in claims.defects
        if d.section not in (IMPRESSION, "indication") and d.kind == "perfusion" and d.trigger == "DEFECT"
    ]
    affirmed_body = [d for d in body_defects if d.certainty == "affirmed"]
    for s in imp:
        if s.concept == "perfusion_result" and s.value == "normal" and affirmed_body:
            d = affirmed_body[0]
            out.append(
                _flag(
                    F.IMPRESSION_VS_FINDINGS,
                    f"The impression calls perfusion {s.value}; the findings describe a perfusion defect.",
                    s,
                    text[d.span[0] : d.span[1]].strip(),
                )
            )
        if s.concept in ("ischemia", "scar"):
            defect_sents = {d.sent for d in body_defects}
            # a findings sentence whose reversible defect implies ischemia but whose own words, or those of the clause
            # after it, deny it ("reversible septal defect; pattern typical of LBBB rather than LAD ischemia"): its
            # verdict is the denial, not the reading
            denied_sents = {
                k
                for d in claims.defects
                if d.section not in (IMPRESSION, "indication") and d.trigger == "ISCHEMIA" and d.certainty == "negated"
                for k in (d.sent, d.sent - 1)
            }
            other = [
                b
                for b in body
                if b.concept == s.concept
                and (b.sent in defect_sents or not b.present)
                and not (b.present and s.concept == "ischemia" and b.sent in denied_sents)
            ]
            if other and all(b.present != s.present for b in other):
                b = other[0]
                out.append(
                    _flag(
                        F.IMPRESSION_VS_FINDINGS,
                        f"The impression {'states' if s.present else 'denies'} "
                        f"{s.concept}; the findings {'state' if b.present else 'deny'} it.",
                        s,
                        text[b.span[0] : b.span[1]],
                    )
                )
    imp_lvef = [n for n in claims.numbers if n.quantity == "lvef" and n.section == IMPRESSION]
    lvef_sents = {n.sent for n in claims.numbers if n.quantity == "lvef" and n.section not in (IMPRESSION, None)}
    body_lvef = [n for n in claims.numbers if n.sent in lvef_sents and n.unit == "%"]
    if imp_lvef and body_lvef:
        for n in imp_lvef:
            if not any(_matches(n, b.value) for b in body_lvef):
                out.append(
                    make_flag(
                        F.IMPRESSION_VS_FINDINGS,
                        f"The impression gives LVEF "
                        f"{text[n.span[0] : n.span[1]]}; the findings give "
                        f"{', '.join(text[b.span[0] : b.span[1]] for b in body_lvef)}.",
                        n.span,
                        evidence="findings LVEF",
                    )
                )
    body_territories = {t for d in affirmed_body for t in d.territories}
    for d in claims.defects:
        if d.section == IMPRESSION and d.kind == "perfusion" and d.certainty == "affirmed" and body_territories:
            for t in d.territories:
                if t not in body_territories:
                    out.append(
                        make_flag(
                            F.IMPRESSION_VS_FINDINGS,
                            f"The impression places a defect in the {t} territory; the findings do not.",
                            _mention_span(claims, d.sent, "TERRITORY", t),
                            evidence=f"findings territories: {', '.join(sorted(body_territories))}",
                        )
                    )
    return out


CHECKS: dict[str, Check] = {
    "guardrails.numbers.v1": check_numbers,
    "guardrails.location.v1": check_location,
    "guardrails.findings.v1": check_findings,
    "guardrails.comparison.v1": check_comparison,
    "guardrails.prior.v1": check_prior_claims,
    "guardrails.attribution.v1": check_attribution,
    "guardrails.risk.v1": check_risk,
    "guardrails.rest_only.v1": check_rest_only,
    "guardrails.internal.v1": check_internal,
}
MISSING_CHECK = "guardrails.missing.v1"
INTERNAL_CHECK = "guardrails.internal.v1"
CHECKS[MISSING_CHECK] = check_missing
