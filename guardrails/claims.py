"""Reading a text back into claims: what it states, with the span that states it.

The text goes through the extraction pipeline (``extraction.pipeline.get_pipeline``): its sentence
splitting, its concept rules (``extraction/resources/concepts.json``), its ConText certainty and its
section detection; numbers, units, blood pressures and dates are read with structuring's own
lexicon (``extraction.lexicon``). On top of that this module reads, per sentence:

- every number, with its unit class, the quantity it is attached to (the concept label just
  before it, or a cue of ``resources/cues.json``), its phase (rest/peak) and territory;
- every defect or wall-motion statement: territories, walls, segments, severity, extent,
  reversibility and certainty;
- every statement of a finding with its polarity (ischemia, scar, TID, artifact, agent, tracer,
  risk, comparison...).

Claims are plain frozen dataclasses; checks compare them with :mod:`guardrails.facts`.

Speed: most cue patterns find nothing in most sentences; they are searched through
:mod:`guardrails.prefilter`, which skips a search when the sentence lacks every word a match needs
(the same matches). ``bench/claims_fingerprint.py`` hashes every flag and structured output, to show
that a speed-up changes none.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import chain, pairwise
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from extraction.lexicon import (
    BP_RE,
    DATE_RE,
    DURATION_RE,
    WORD_NUMBER,
    WRITTEN_NUMBER_RE,
    bp_plausible,
    parse_number_token,
    parse_written_number,
    read_unit,
    unit_pattern,
    units_re,
    words_to_number,
)
from extraction.rules import load_wording
from guardrails import denial
from guardrails.prefilter import finditer, first, gated, haystack, may_match, may_match_any, search
from reporter.domain.vocabulary import SEGMENTS
from reporter.errors import ConfigError

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["WALL_TERRITORIES", "Claims", "DefectClaim", "Mention", "NumberClaim", "Statement", "cues", "read_claims"]

IMPRESSION = "impression"

# Concept labels whose following number is that quantity.
_LABEL_QUANTITY = {
    "LVEF": "lvef", "EDV": "edv", "ESV": "esv", "TID": "tid", "SSS": "sss", "SRS": "srs", "SDS": "sds",
    "STRESS_TPD": "stress_tpd", "REST_TPD": "rest_tpd", "ISCHEMIC_TPD": "ischemic_tpd",
    "STRESS_MBF": "stress_mbf", "REST_MBF": "rest_mbf", "MFR": "mfr", "CAC_SCORE": "cac", "DUKE": "duke",
    "HR": "hr", "DURATION": "duration", "METS": "mets",
}  # fmt: skip
# What may stand between a label and its number ("LVEF is 55%", "TID ratio of 1.12", "score (Agatston) 612").
# ... and the first value of a change ("ejection fraction drops from 52% at rest to 41%": 41 is LVEF too)
_GAP = re.compile(
    r"[\s:=(),~+?]*(?:(?:(?:is|was|of|at|measured|calculated|estimated|approximately|approx|about|rose|rises|from|"
    r"ratio|score|index|value|agatston|the|a|an|with|post-stress|stress|rest|mildly|moderately|severely|reduced|"
    r"depressed|impaired|preserved|normal|low|now|currently|then|previously|has|had|remains|remained|stays|stayed|"
    r"still|drop|drops|dropped|fall|falls|"
    r"fell|falling|fallen|risen|rise|rising|dropping|declining|decreasing|increasing|amounts?|amounting|totals?|"
    r"totall?ing|totall?ed|equals|comes|came|stands|measures|"
    r"decline|declines|declined|decrease|decreases|decreased|increase|increases|increased|"
    r"improved|improves|markedly|marked|significantly|slightly|globally|regionally|in|territory|LAD|LCx|RCA|"
    # a grade said of the value in plain words ("the pumping function remains poor at 34%", "the end-systolic volume
    # is enlarged at 131 mL")
    r"poor|poorly|enlarged|dilated|elevated|raised|"
    # the sign said in words before the value in parentheses ("Duke score negative (-1)", "positive (+5)")
    r"positive|negative|"
    r"circumflex|right coronary|left anterior descending|minus|plus|"
    # a stability or hedge said of the value ("the LVEF is essentially stable at 44%", "EF unchanged at 52%"; not
    # "unchanged (60% then, 56% now)", whose first value is the prior's)
    r"essentially|virtually|largely|(?:stable|unchanged|steady|similar)(?=\s+at\b)|"
    # the category said before the value ("LVEF at the lower limit of normal (52%)", "borderline at 50%")
    r"lower|upper|limits?|borderline|within|range|to|"
    # an emphasis on the value ("a flow reserve of only 1.25", "an EF of just 30%")
    r"only|just|merely|barely|"
    # dictation ("EF is down to 44 from 52", "EF's fine at 56", "EF of roughly 40%")
    r"'s|\u2019s|down|up|fine|good|okay|around|roughly|nearly|almost|"
    # a hedge said of the value ("LVEF seems to be about 52%", "EF appears moderately reduced at 40%")
    r"seems?|seemed|appears?|appeared|looks?|looked|be|would|may|might|probably|likely|perhaps|possibly|"
    # a connective set off between the label and its verb ("the ejection fraction, however, appears to have fallen
    # to 31%", "EF, though, is 45%")
    r"however|though|nonetheless|nevertheless|unfortunately|also|have)\b"
    r"|\d+(?:\.\d+)?\s*%?\s*(?:\(?(?:at\s+)?(?:rest|stress|peak|post-stress)\)?\s*)?"
    r"(?:to|from|vs\.?|versus|->|→|,?\s*(?:previously|then|formerly))(?=[\s\d]))"
    r"[\s:=(),~+]*)*",
    re.I,
)
_VERSION = re.compile(r"\b(?:version|v\.?|release)\s*\d+(?:\.\d+)*[a-z0-9.]*", re.I)
# a list item's number: at the start of a line, or after the end of a sentence or a heading's colon
# ("... TID 1.12. 4) Peak HR 98 bpm", "IMPRESSION: 1) ...")
_LIST_NUMBER = re.compile(r"(?m)(?:^[ \t]*|(?<=[.;:][ \t])|(?<=[.;:][ \t]{2}))\(?\d{1,2}[.)](?=\s)")
_SEGMENT_LIST = re.compile(r"\bsegments?\s+(?:\d+\s*(?:,|and|&)?\s*)*$", re.I)
_TRAIL_PHASE = re.compile(
    rf"\s*{unit_pattern('flow', 'bpm', 'mmHg', '%', 'mL', 'MBq', 'mCi')}?"
    r"\s*(?:\(\s*)?(?:at\s+)?(rest|baseline|peak|stress|post-stress)\b(?!\s*(?:LVEF|EF)?\s*:?\s*\d)"
    # "10 and 30 mCi at rest and stress", "10/30 mCi rest/stress": values listed by phase in order, not this phase
    r"(?!\s*(?:/|&|\band\b|,)\s*(?:at\s+)?(?:rest|baseline|peak|stress|post-stress)\b)",
    re.I,
)
_LEAD_PHASE = re.compile(
    r"\b(rest|resting|baseline|peak|stress|post-stress|hyperemic)\s*(?:LVEF|EF|MBF|flow)?\s*"
    r"(?:is|was|of|:)?\s*$",
    re.I,
)
_FLOW_UNIT = re.compile(unit_pattern("flow"), re.I)
# a number in Agatston units is the calcium score wherever its label stands
_AGATSTON_AFTER = re.compile(r"\s*(?:Agatston\b|AU\b)", re.I)
_TOTAL_SCORE_BEFORE = re.compile(r"\btotal\s+(?:\w+\s+)?score\s+(?:of\s+|is\s+|=\s*|:\s*)?$", re.I)
_NOT_FLOW_RESERVE = re.compile(r"MBF|mL/min/g|blood flow|agatston|calcium|calcif|\bCAC\b", re.I)
# a vessel right before a number, by abbreviation or in words ("LAD 2.87 circumflex 2.80 and RCA 2.69")
_VESSEL = re.compile(
    r"\b(LM|LAD|LCx|RCA|left\s+main|left\s+anterior\s+descending|(?:left\s+)?circumflex|right\s+coronary)"
    r"\s*[:(]?\s*$",
    re.I,
)
_VESSEL_WORDS = (("main", "LM"), ("anterior", "LAD"), ("circumflex", "LCx"), ("right", "RCA"))


# a vessel alone in parentheses right after a value labels that value ("RCA MFR 1.50 vs 3.0 (LAD) and 2.8 (LCx)":
# 3.0 is the LAD's, whatever territory the sentence named first)
_VESSEL_AFTER = re.compile(
    r"\s*(?:mL/min/g\s*)?\(\s*(?:in\s+)?(?:the\s+)?"
    r"(LM|LAD|LCx|RCA|left\s+main|left\s+anterior\s+descending|(?:left\s+)?circumflex|right\s+coronary)"
    r"(?:\s+(?:artery|territory))?\s*\)",
    re.I,
)
# ... or "in the <vessel>" right after it, where no second vessel is coordinated with the first ("regional MFR 1.30 in
# the LAD and 1.20 in the LCx": 1.30 is the LAD's, though "global" stood before it; not "1.30 in the LAD and LCx")
_VESSEL_IN_AFTER = re.compile(
    r"\s*(?:mL/min/g\s*)?in\s+the\s+"
    r"(LM|LAD|LCx|RCA|left\s+main|left\s+anterior\s+descending|(?:left\s+)?circumflex|right\s+coronary)"
    r"(?:\s+(?:artery|territory))?\b(?!\s*(?:,|/|&|\band\b|\bor\b)\s*(?:the\s+)?"
    r"(?:LM\b|LAD\b|LCx\b|RCA\b|left\s+(?:main|anterior|circumflex)|circumflex|right\s+coronary))",
    re.I,
)


# a vessel and its calcium's noun before the number ("heavy LAD burden (620)", "RCA calcium score 380")
_VESSEL_CALCIUM = re.compile(
    r"\b(LM|LAD|LCx|RCA|left\s+main|left\s+anterior\s+descending|(?:left\s+)?circumflex|right\s+coronary)"
    r"\s+(?:(?:calcium|calcific|CAC|Agatston)\s+)?(?:burden|score|load)\s*[:(]?\s*$",
    re.I,
)


def _vessel_code(hit: re.Match[str]) -> str:
    """The territory code of a vessel :data:`_VESSEL` found, whether abbreviated or in words."""
    low = hit.group(1).lower()
    return next((c for key, c in _VESSEL_WORDS if key in low), hit.group(1).upper().replace("LCX", "LCx"))


# calcium and flow cues: a number after a vessel is of the label nearest before it in its clause ("MFR 2.8 LAD
# 2.87 ... coronary calcium score zero": a flow reserve, however far the dictation runs on)
_CALCIUM_CUE = re.compile(r"agatston|calcium|calcif|\bCAC\b", re.I)
_FLOW_CUE = re.compile(r"\bflow reserve\b|\bMFR\b|\bMBF\b|mL/min/g|blood flow", re.I)
_CLAUSE_END = re.compile(r"[.!?;](?=\s)|\n")
_CLOSED_PARENTHESIS = re.compile(r"\([^()]*\)")


def _last_label(text: str, pos: int, ours: re.Pattern[str], theirs: re.Pattern[str]) -> bool | None:
    """Whether the label nearest before ``pos`` in its clause is one of ``ours`` (True) or of ``theirs`` (False);
    None when neither stands before it there."""
    ends = [m.end() for m in _CLAUSE_END.finditer(text, 0, pos)]
    # a label inside a parenthesis that closes before the number labels that parenthesis's value only
    # ("LAD 1.15 mL/min/g (MFR 1.25), LCx 1.45": the 1.45 is the LCx's flow, as the LAD's 1.15 is)
    lead = _CLOSED_PARENTHESIS.sub(lambda m: " " * len(m.group()), text[ends[-1] if ends else 0 : pos])
    mine = max((m.end() for m in ours.finditer(lead)), default=-1)
    other = max((m.end() for m in theirs.finditer(lead)), default=-1)
    return None if mine == other == -1 else mine > other


def _calcium_nearer(text: str, pos: int, sentence: str) -> bool:
    """A vessel's number is a calcium score: the nearest label before it in its clause is a calcium word, or
    (with neither before it) the sentence speaks of calcium."""
    last = _last_label(text, pos, _CALCIUM_CUE, _FLOW_CUE)
    return bool(_CALCIUM_CUE.search(sentence)) if last is None else last


_SEVERITY_WORDS = re.compile(r"\b(mild|mildly|minimal|moderate|moderately|severe|severely|marked|markedly)\b", re.I)
_SEV_VALUE = {
    "mild": "mild",
    "mildly": "mild",
    "minimal": "mild",
    "moderate": "moderate",
    "moderately": "moderate",
    "severe": "severe",
    "severely": "severe",
    "marked": "severe",
    "markedly": "severe",
}
# the second grade of a range written with a dash, slash or "to" or shortened ("mild–mod", "mild/moderate"):
# the range is one concept, as "mild-to-moderate" is
_RANGE_GRADE_AFTER = re.compile(
    r"\s*(?:-|–|—|/|\bto\b)\s*(mild(?:ly)?|minimal|mod(?:erate(?:ly)?)?|sev(?:ere(?:ly)?)?|marked(?:ly)?)\b\.?",
    re.I,
)
_SEV_SHORT = {"mod": "moderate", "sev": "severe"}


def grade_of(words: str) -> str | None:
    """The grade the first grade word of ``words`` names ("minimal residual" -> "mild"), None without one."""
    hit = _SEVERITY_WORDS.search(words)
    return _SEV_VALUE[hit.group(1).lower()] if hit is not None else None


_SPOKEN_MINUS = re.compile(r"\bminus\s*$", re.I)
# a category judged and denied in one clause: "would not, on its own, be regarded as high risk", "does not
# place the patient in a high-risk group" (the negation is too far from the category for ConText's scope)
_JUDGEMENT_DENIED_BEFORE = re.compile(
    r"\b(?:not|n't|never)\b(?:\s*,[^,.;]{0,30},)?(?:\s+(?:be|been|by|itself|on|its|own|in|isolation|necessarily"
    r"|usually|generally|alone))*\s+(?:regarded|considered|deemed|classified|categori[sz]ed|judged|viewed"
    r"|interpreted|meets?|place[sd]?|puts?|confers?|constitutes?|qualif(?:y|ies))\b[^.;:,]{0,30}$",
    re.I,
)
# a grade set against the one stated ("intermediate rather than low risk", "high instead of intermediate"): the grade
# after it is the one the reader rejects
_SET_AGAINST_BEFORE = re.compile(r"\b(?:rather\s+than|instead\s+of|as\s+opposed\s+to)\s+$", re.I)
_LEVEL_SET_AGAINST = re.compile(
    r"\b(low|intermediate|moderate|high)(?:[- ]risk)?\s+(?:rather\s+than|instead\s+of|as\s+opposed\s+to)\s+$", re.I
)
# the ground of a risk grade set against another finding ("high risk because of the dysfunction, not the ischaemia",
# "risk driven by the LV rather than by ischemia"): the finding is denied as the ground, not as present
_GROUND_SET_AGAINST = re.compile(
    r"\brisk\b[^.;]{0,40}?\b(?:because\s+of|due\s+to|driven\s+by|owing\s+to|caused\s+by|explained\s+by|rests?\s+on"
    r"|based\s+on|comes?\s+from|from)\b[^.;]{1,60}?,?\s+(?:and\s+|but\s+)?not\s+(?:because\s+of\s+|due\s+to\s+|by\s+"
    r"|from\s+|on\s+)?(?:the\s+|any\s+|its\s+|his\s+|her\s+)?(?:[\w-]+\s+){0,4}$",
    re.I,
)
_ABNORMAL_AFTER = re.compile(r"^(?:[^.;]|\.\d){0,40}?\b(abnormal|increased|elevated|present|marker)\b", re.I)
# the TID (its ratio, perhaps with its value) as the evidence of disease ("the TID ratio (1.30) suggests balanced
# multivessel ischaemia", "TID of 1.3 points to severe disease"): the finding called present; not where the verb is
# denied or argues the other way ("argues against", "does not suggest", "suggests no ...")
_TID_INDICATES = re.compile(
    r"^\s*(?:ratio|index)?\s*(?:\([^()]{0,20}\)\s*|(?:of|is|was|[:=])?\s*\d+(?:\.\d+)?\s*)?,?\s*(?:which\s+|that\s+)?"
    r"(?:suggests?|suggesting|indicat(?:es?|ing)|(?:is|was)\s+(?:consistent|compatible)\s+with|points?\s+to"
    r"|raises?\s+(?:concern|suspicion)\s+(?:for|of)|implies|implying)\b"
    r"(?!\s+(?:no|not|neither|nothing|against|absence|the\s+absence)\b)",
    re.I,
)
_NOT_ABNORMAL_AFTER = re.compile(
    r"^(?:[^.;]|\.\d){0,40}?\b(?:not|non-?|no)\s*(?:abnormal|increased|elevated|present|significant)\b", re.I
)  # "TID 1.09, not elevated"
# (not the reference range: "TID 1.24 (normal < 1.22)", "(normal limit 1.22)")
_NORMAL_AFTER = re.compile(
    r"^(?:[^.;]|\.\d){0,30}?(?:\(|\bis\s+)(?:\d+(?:\.\d+)?\s*)?\(?normal\b"
    r"(?!\s*(?:[<>≤≥]|=<|up to|upper|limits?\b|range|values?\b|cut-?off|is\s+[<>≤≥]))",
    re.I,
)
# the grade right after the label or its value ("TID ratio normal", "TID 1.24, normal", "TID within normal limits"),
# ending its item (not "TID 1.24, normal LVEF": the next item's grade)
_NORMAL_NEXT = re.compile(
    r"\s*(?:ratio|index)?\s*(?:[:=]?\s*\d+(?:\.\d+)?\s*)?,?\s*(?:is\s+|was\s+)?"
    r"(?:normal|within normal limits|WNL)\b(?=\s*(?:[.,;)(]|$))",
    re.I,
)
# ... or dilation graded in the same place ("TID 0.99, not dilated", "TID ratio 1.31 - dilated")
_DILATED_NEXT = re.compile(
    r"\s*(?:ratio|index)?\s*(?:[:=]?\s*\d+(?:\.\d+)?\s*)?[,\u2013\u2014-]?\s*(?:is\s+|was\s+)?(?P<neg>not\s+|non-?)?"
    r"dilated\b(?=\s*(?:[.,;)(]|$))",
    re.I,
)
_NOT_CURRENT_DEFECT = re.compile(r"\b(?:has resolved|resolved|previously (?:seen|noted|described))\b", re.I)
_RESIDUAL = re.compile(r"\b(?:residual|leaving|remaining|persist\w*)\b", re.I)
# "% MPHR", "% of age-predicted maximum": the number is the heart-rate percentage, whatever label precedes it
_MPHR_AFTER = re.compile(
    r"\s*%\s*(?:of\s+(?:the\s+)?)?(?:MPHR|APMHR|(?:age[- ])?predicted\s+max|max(?:imal|imum)?\s+(?:age[- ])?predicted)",
    re.I,
)
# Quantities that are never a percentage: a "%" number after their label belongs to another label.
# The units a quantity is written with (a number in another unit after its label is not that quantity:
# "7 METs with 2 mm ST depression").
_QUANTITY_UNITS = {
    "edv": ("mL",), "esv": ("mL",), "hr": ("bpm",), "mets": ("METs",), "duration": ("min", "s"),
    "stress_mbf": ("flow",), "rest_mbf": ("flow",), "st_deviation": ("mm",), "dose_mbq": ("MBq",),
    "dose_mci": ("mCi",),
    "mfr": (),  # a ratio: "(1.06 mL/min/g; MFR 1.10)" -- the flow value is not the reserve
}  # fmt: skip
_NOT_PERCENT = frozenset(
    {"mets", "duration", "tid", "mfr", "sss", "srs", "sds", "duke", "cac", "stress_mbf", "rest_mbf", "hr"}
)
# A territory followed by its value ("LAD 1.33", "LCx: 122", "RCA (2.42)") labels a number, not a defect's location
# (not a defect's size: "RCA territory (21% of the LV)").
_LABELS_NUMBER = re.compile(r"\s*(?:territory)?\s*(?:[:=]?\s*\d|\(\s*\d+(?:\.\d+)?\s*\))")
# An extent or grade word that qualifies the scar part of a defect, not the defect ("a small fixed component").
_QUALIFIES_PART = re.compile(
    r"[^.;,()]{0,25}?\b(?:component|element|scar|infarct\w*|amount of|degree of"
    # (not the part of a wall or of the heart the defect is: "a large part of the front wall of the heart does not get
    # enough blood" sizes the defect)
    r"|(?:area|part|portion) of(?!\s+(?:the\s+|your\s+|his\s+|her\s+|their\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:walls?|heart|myocardium|muscle|ventricle|apex|septum)\b)"
    # the border of the defect that holds its ischemia ("a small rim of reversible ischaemia around the scar")
    r"|(?:rim|margin|border|fringe|rind|halo|crescent|sliver|shell|edge) of"
    r"|(?:residual|peri-?infarct)\s+ischa?emi)",  # "a small amount of residual ischemia": the ischemic part
    re.I,
)
# What a grade word grades when it is not the defect's intensity: "moderate in extent" the ischemia's extent,
# "marked improvement" a change, "mild reversibility" the reversal, "mild inducible ischaemia" the amount of
# ischemia (checked as an ischemia grade)
_NOT_A_GRADE = re.compile(
    r"\s+(?:(?:in\s+)?(?:extent|amount)|improvement|change|progression|worsening|deterioration|increase|decrease"
    # "a mild reduction in counts" grades the defect; "a mild reduction in ischemia" a change
    # ("a severe regional reduction in the RCA territory (stress MBF 1.02)" grades the flow)
    r"|(?:(?:regional|global|relative)\s+)?(?:reduction|decrease)"
    r"(?!\s+(?:in|of)\s+(?:[\w-]+\s+)?(?:counts?|uptake|tracer|activity|perfusion)\b)"
    r"|reversibility|redistribution|(?:(?!ECG\b)[\w-]+\s+)?ischa?emia)\b",
    re.I,
)
# a grade word of another measure in a defect's clause ("moderate defect with markedly reduced regional flow
# reserve", "mildly impaired LV function")
_GRADES_OTHER = re.compile(
    r"[\s-]*(?:reduced|decreased|impaired|depressed|blunted|abnormal|diminished|low)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:LV|left|ventric\w*|function|EF|LVEF|ejection|wall|flow|MBF|MFR|reserve|motion|thickening)\b",
    re.I,
)
# a size or grade word of the patient, the body or an organ outside the heart ("he is a large man", "large body
# habitus", "severe obesity", "a large hiatus hernia"): no grade of a defect
_QUALIFIES_BODY = re.compile(
    r"[\s,-]+(?:(?!(?:defect|ischa?emi|infarct|scar|perfusion|reduction|uptake|area|region)\w*)[\w-]+\s+){0,2}?"
    r"(?:m[ae]n|wom[ae]n|lady|gentleman|patient|person|male|female|build|frame"
    r"|habitus|body|breasts?|bowel|gut|stomach|hernia|effusion|abdomen|liver|obes\w*|asthma|COPD|arthritis)\b",
    re.I,
)
# a finding a tracer name qualifies ("lung thallium uptake", "sestamibi redistribution"): denying it names the tracer
_TRACER_OF_FINDING = re.compile(r"\s+(?:uptake|activity|redistribution|washout|retention)\b", re.I)
_FINDING_OF_TRACER = re.compile(r"\b(?:uptake|activity|redistribution|washout|retention)\s+of\s+(?:the\s+)?$", re.I)
# a superlative grade says where a defect is worst, not how severe it is ("a mild defect, most marked in the basal
# segments"; "maximally severe at the apex")
# the label of a defect's worst grade, before the grade ("maximal severity absent uptake", "worst grade: moderate")
MAX_SEVERITY_LABEL = re.compile(
    r"\b(?:max(?:imal|imum)?|worst|peak|greatest)\s+(?:severity|grade|intensity)\s*(?:[:=]\s*|of\s+|is\s+)?$", re.I
)
_SUPERLATIVE_BEFORE = re.compile(r"\b(?:most|maximally)\s+$", re.I)
# a grade denied right before it ("moderate, nothing severe", "mild and not severe", "none of it severe"): the grade
# the defect is not, so not one of its grades
_DENIED_GRADE_BEFORE = re.compile(
    r"\b(?:not|nothing|none(?:\s+of\s+(?:it|them))?|never|no)\s+(?:(?:as|so|very|particularly|really)\s+)?$", re.I
)
_GRADE_ALONE = re.compile(r"\(?\s*[\w-]+(?:\s+to\s+[\w-]+)?\s*\)?")
_AFTER_TERRITORY = re.compile(r"\s*(?:territory\s*)?\(?", re.I)
# the grades of the defect's segments listed in parentheses right after the defect ("the inferior defect (basal
# inferior moderate, mid inferior mild)", "defect (apex severe; anterior mild)"): each is one of the defect's grades
_SEGMENT_GRADES_BOX = re.compile(
    r"\(\s*(?:(?:basal|mid|mid-?ventricular|apical|apex|distal|proximal|inferior|anterior|lateral|septal|septum|"
    r"inferolateral|inferoseptal|anterolateral|anteroseptal|posterior|posterolateral|wall|segments?|and|severe|"
    r"severely|moderate|moderately|mild|mildly|reduced)\b[\s,;/-]*)+\)",
    re.I,
)
# A stress agent or tracer named as the modifier of the noun after it ("no increased lung sestamibi uptake", "no
# dobutamine-induced ST change", "without adenosine side effects", "no defect on the thallium images"): a denial
# of that noun reaches the name too, but denies only the noun; the name stays the agent or tracer used
_NAME_MODIFIES_AFTER = re.compile(
    r"(?:-|\s+)(?:induced|related|provoked|associated|lung|pulmonary|uptake|activity|counts?|images?|imaging|"
    r"scans?|study|SPECT|PET|MPI|perfusion|distribution|redistribution|defects?|washout|infusion|injection|bolus|"
    r"dose|administration|side[- ]effects?|symptoms?|stress|tracer)\b",
    re.I,
)
_PERI_INFARCT_BEFORE = re.compile(r"\bperi-?infarct(?:ion)?\s+$", re.I)
# an infarct or scar named as the place of (denied) ischemia ("no ischaemia around the scar", "no residual ischemia
# at the margins of the old infarct"): where the ischemia is, not a finding of its own
_PLACE_OF_ISCHEMIA_BEFORE = re.compile(
    r"\bischa?emi\w*\s+(?:(?:is|was)\s+(?:seen|present|noted)\s+)?(?:around|surrounding|adjacent\s+to|bordering|"
    r"within|in|at|near)\s+(?:the\s+)?(?:(?:borders?|margins?|edges?|rim|periphery|border\s+zone)\s+of\s+"
    r"(?:the\s+|this\s+|that\s+)?)?(?:(?:known|old|prior|previous|inferior|anterior|lateral|septal|apical|fixed)\s+)*$",
    re.I,
)
# a grade of "an area of ischaemia" (where no infarct shares the clause, the area is the whole defect)
_AREA_OF_ISCHEMIA = re.compile(r"\s+(?:area|region|zone)\s+of\s+(?:[\w-]+\s+){0,2}?ischa?emi", re.I)
# an extent's noun, then the defect's own words ("a large area of severe reversible hypoperfusion")
_AREA_OF_DEFECT = re.compile(r"\s+(?:area|region|zone)\s+of\s+(?:[\w-]+\s+){0,3}?", re.I)
_MOSTLY = re.compile(r"(?:predominantly|mostly|largely|mainly|partly)\b", re.I)
_MOSTLY_BEFORE = re.compile(r"\b(?:predominantly|mostly|largely|mainly|partly)[\s,-]+$", re.I)
_GRADE = r"(minimal|mild|moderate|severe|extensive|marked|large)"
# the label of another measure right before a grade word ("lv_function: mildly reduced", "LVEF moderately
# reduced", "RV function is mildly reduced"): the grade is that measure's, not the defect's
_OTHER_LABEL_BEFORE = re.compile(
    r"\b(?:lv[_ ]?function|(?:LV|left\s+ventricular|RV|right\s+ventricular)\s+(?:systolic\s+)?function"
    r"|systolic\s+function|LVEF|ejection\s+fraction|wall[_ ]motion|contractility)\s*(?:[:=]\s*|\s(?:is|was)\s+)?$",
    re.I,
)
_ISCHEMIA_GRADE = (
    # ... and its telegraphic abbreviation, one of the lexicon's words for ischemia ("mod peri-infarct isch")
    re.compile(rf"\b{_GRADE},?\s+(?:(?!ECG\b)[\w-]+\s+)?(?:ischa?emia|isch|ischa?emic burden)\b", re.I),
    re.compile(rf"\bischa?emi(?:a|c burden|c myocardium)\b(?:[^.;]|\.\d){{0,25}}?\(\s*{_GRADE}\s*\)", re.I),
    re.compile(
        rf"\bischa?emi\w*(?:[^.;]|\.\d){{0,40}}?\b(?:of\s+)?{_GRADE}\s+(?:in\s+)?(?:extent|degree|amount)\b", re.I
    ),
    # the burden graded by a predicate ("the ischaemic burden is mild"; "... 16% of the LV, a burden that would
    # generally be regarded as moderate"): the statement "moderate ischemic burden" makes, read the same way
    re.compile(
        rf"\b(?:ischa?emic\s+(?:burden|load|myocardium)|(?:a|this|that|which|the)\s+burden)\b(?:[^.;]|\.\d){{0,60}}?"
        r"\b(?:is|was|appears?|seems?|looks?|(?:regarded|considered|classed|classified|graded|judged|deemed|rated)"
        r"(?:\s+as)?|counts?\s+as)\s+(?:(?:generally|usually|conventionally|best|only|quite|relatively|rather|"
        rf"fairly|at\s+most)\s+)?{_GRADE}\b(?!\s+(?:area|region|zone|defect|reduction|uptake))",
        re.I,
    ),
)
_GRADE_WORD = {"extensive": "severe", "marked": "severe", "large": "severe"}
# the size of "an area of ischaemia" (the amount of ischemia, checked against the ischemic burden's band)
_ISCHEMIC_AREA_SIZE = re.compile(
    r"\b(small|large|extensive|medium|moderate(?:-sized)?|sizeable|sizable|tiny|trivial|minor|significant|"
    r"substantial|considerable)\s+"
    r"(?:area|region|zone|amount|rim|margin|border|fringe|rind|halo|crescent|sliver|shell|edge)\s+of\s+"
    # ... or the plain words, then the term in parentheses ("an area of reduced blood supply (ischaemia)")
    r"(?:(?:[\w-]+\s+){0,2}?|(?:[\w-]+\s+){1,3}\()ischa?emi(?:a|c\s+myocardium)\b",
    re.I,
)
# the size of the reversible part of a defect, which is the amount of ischemia ("the reversible component is
# small", "a large ischaemic component"), after its name or before it
_PART = r"(?:reversib\w*|ischa?emic|inducible|peri-?infarct)\s+(?:component|portion|part|element|fraction)"
_PART_SIZE = r"(small|large|extensive|medium|moderate(?:-sized)?|sizeable|sizable)"
_PART_THEN_SIZE = re.compile(
    rf"\b{_PART}\s+(?:is|was|appears|seems|remains|looks)\s+(?:(?:very|quite|relatively|rather|only|fairly)\s+)?"
    rf"{_PART_SIZE}\b",
    re.I,
)
_SIZE_THEN_PART = re.compile(rf"\b{_PART_SIZE}\s+{_PART}\b", re.I)


def _reversible_part_size(sentence: str) -> tuple[int, int] | None:
    """The span of the size word of a defect's reversible part, if the sentence gives one."""
    hit = _PART_THEN_SIZE.search(sentence) or _SIZE_THEN_PART.search(sentence)
    return hit.span(1) if hit else None


_MFR = re.compile(r"\bflow reserve\b|\bMFR\b", re.I)
# A flow reserve, or flow graded as a whole ("Absolute flow: severely reduced globally"; not "stress flow",
# "blood flow" or "MBF", which the rules do not grade, nor "flow-limiting"): graded as the rules grade the MFR
_MFR_OR_FLOW = re.compile(
    r"\bflow reserve\b|\bMFR\b|(?<!blood )(?<!stress )(?<!hyperemic )(?<!rest )(?<!resting )(?<!peak )"
    r"(?<!MBF )(?<!relative )(?<!coronary )(?<!blood-)\bflows?\b(?!\s+reserve)(?!-)",
    re.I,
)
# a contrast word that opens a clause of its own, wherever it stands
_CONTRAST_WORD = re.compile(r"\b(?:but|however|whereas|while|though|although|yet)\b", re.I)
_MFR_GRADE_BEFORE = re.compile(r"\b(?P<g>normal|preserved|mildly|moderately|severely|markedly|reduced)\b", re.I)
_MFR_GRADE_AFTER = re.compile(
    r"^(?:\s*(?:of|at|=|:|is|was)?\s*\d+(?:\.\d+)?)?"
    r"(?:\s+in\s+(?:the\s+)?(?:(?:LAD|LCx|RCA|circumflex|right coronary|left anterior descending)"
    r"(?:\s+territory)?|(?P<rest>remaining|other)\s+(?:two\s+)?(?:territor(?:y|ies)|vessels?|regions?)"
    # a territory named before, taken up by an anaphor ("the flow reserve in that territory is reduced")
    r"|(?P<that>that|this|the\s+same|the\s+affected)\s+(?:territory|vessel|region|artery)))?"
    r"\s*(?:\([^)]*\)\s*)?:?\s*(?:,?\s*(?:however|though|by contrast|in contrast),?\s+)?"
    # the grade set after the value by a comma ("MFR 1.61, reduced globally"), as an item of its own (_ITEM_GRADE)
    r"(?P<comma>,\s*)?"
    r"(?:(?:is|was|are|were|remains?|looks?|appears?)\s+)?(?:(?:also|likewise|similarly|still)\s+)?"
    # ... or given by a verb of judgement ("would generally be regarded as normal", "is considered mildly reduced")
    r"(?:(?:(?:would|could|might|may|should|can|will)\s+)?(?:(?:generally|usually|typically|normally)\s+)?(?:be\s+)?"
    r"(?:regarded|considered|read|interpreted|classed|viewed|judged)\s+(?:as\s+)?)?"
    r"\(?\s*(?P<neg>not\s+)?"
    # the grade in plain words: "the flows are fine everywhere" (normal), "... are poor" (reduced); in shorthand
    # ("Global MFR nl", "MFR abnl 1.61")
    r"(?P<g>normal|preserved|mildly|moderately|severely|markedly|reduced|fine|good|satisfactory|unremarkable|"
    r"poor|bad|impaired|abnormal|nl|abnl|abn)\b",
    re.I,
)
# a flow grade, denied or not, at the end of a pattern that names what it grades
_FLOW_GRADE = r"(?P<neg>not\s+)?(?P<g>normal|preserved|mildly|moderately|severely|markedly|reduced)\b"
_OTHER_TERRITORIES_GRADE = re.compile(
    r"\b(?:the\s+)?(?:other|remaining)\s+(?:two\s+)?(?:coronary\s+)?(?:territor(?:y|ies)|vessels?|regions?)\s*:?\s*"
    r"(?:(?:is|are|was|were|remains?)\s+)?(?:(?:also|likewise|similarly|still|all)\s+)?" + _FLOW_GRADE,
    re.I,
)
_TERRITORY_NAME = r"(?:LAD|LCx|RCA|circumflex|right coronary|left anterior descending)"
# a pronoun that takes up the flow named before it, then its grade ("..., and it is preserved in the LAD")
_FLOW_TAKEN_UP = re.compile(
    r"\b(?:it|which)\s+(?:is|was|remains?)\s+(?:(?:also|still|uniformly|globally|diffusely|evenly)\s+)?" + _FLOW_GRADE,
    re.I,
)
# a measure other than the flow, between the flow and a pronoun that would take it up
_OTHER_MEASURE = re.compile(
    r"\b(?:L?VEF|EF|ejection|function|perfusion|TID|dilat\w*|calcium|CAC|uptake|wall|motion)\b", re.I
)
# the end of a clause, not a comma inside a list of territories
_CLAUSE_BREAK_NOT_LIST = re.compile(r"[;.:]|,\s+(?!(?:and\s+)?(?:the\s+)?(?:LAD|LCx|RCA|circumflex|right))", re.I)
_NAMED_TERRITORIES_GRADE = re.compile(
    rf"(?:^|(?<=[,;:]\s))\s*(?:the\s+)?{_TERRITORY_NAME}(?:\s*(?:,|and|&|/)\s*(?:the\s+)?{_TERRITORY_NAME})*"
    r"(?:\s+territor(?:y|ies))?\s*:?\s*(?:(?:is|are|was|were|remains?)\s+)?(?:(?:also|likewise|similarly|still|"
    rf"both|all)\s+)?{_FLOW_GRADE}(?!\s+(?:uptake|perfusion|wall|motion))",
    re.I,
)
# ventricular tachycardia said sustained or not: before it ("non-sustained VT"), after it ("VT, not sustained",
# "ventricular tachycardia sustained, needing cardioversion", "a run of VT, self-terminating"), or "NSVT"
_VT_NAME = r"(?:VT|ventricular\s+tachycardia)"
_VT_SUSTAINED = re.compile(
    rf"(?-i:\b(?P<nsvt>NSVT)\b)|\b(?P<non>non-?\s?|not\s+)?sustained\s+(?:(?:run|episode|burst)s?\s+of\s+)?{_VT_NAME}\b"
    rf"|\b{_VT_NAME}\b\s*,?\s+(?:(?:that\s+)?(?:was|is|were)\s+)?(?:(?P<non2>not\s+sustained|non-?\s?sustained"
    r"|self-?\s?terminating|self-?\s?limit(?:ed|ing))|sustained\b)",
    re.I,
)
# ventricular tachycardia stated without its kind ("a run of ventricular tachycardia", "VT at peak stress")
_VT_STATED = re.compile(rf"\b(?:(?:run|episode|burst|salvo|beats?)s?\s+of\s+)?{_VT_NAME}\b", re.I)
_VT_HISTORY_BEFORE = re.compile(
    r"\b(?:history|known|prior|previous|h/o|hx|ICD|defibrillator|referred|indication|for)\b[^.;,]{0,30}$", re.I
)
# ... denied after it ("VT was not seen", "ventricular tachycardia did not occur", "VT absent")
_VT_DENIED_AFTER = re.compile(
    r"\s*,?\s*(?:(?:was|were|is|are|did|does|has|had)\s+(?:not|never)\b|(?:wasn't|weren't|didn't)\b"
    r"|(?:(?:was|were|is|are)\s+)?(?:absent|excluded|none)\b|not\s+(?:seen|present|observed|induced|recorded)\b)",
    re.I,
)
# a supraventricular tachycardia during the test ("orthodromic AV re-entrant tachycardia at peak stress", "a run of
# SVT in recovery"); atrial fibrillation and flutter, often the patient's own rhythm, are not among them
_SVT_STATED = re.compile(
    r"\b(?:(?:run|episode|burst|bout)s?\s+of\s+)?(?:P?SVT|AVN?RT|supraventricular\s+tachy\w*"
    r"|(?:A-?V|atrioventricular)\s+(?:nodal\s+)?re-?entr\w*\s+tachycardia|(?:orthodromic|antidromic)\s+(?:[\w-]+\s+){0,3}?"
    r"tachycardia|re-?entr(?:ant|y)\s+tachycardia|atrial\s+tachycardia)\b",
    re.I,
)
# the names of ventricular ectopics, but the abbreviation "VE(s)", which each pattern below takes its own way
_ECTOPY_NAMES = (
    r"PVCs?|VPCs?|ventricular\s+(?:extrasystoles?|ectopics?|ectopy|ectopic\s+beats|premature\s+(?:beats|contractions"
    r"|complexes))|premature\s+ventricular\s+(?:beats|contractions|complexes)|ectopy|ectopic\s+beats|ectopics"
)
# how often ventricular ectopics occurred ("frequent PVCs", "rare isolated ventricular extrasystoles", "many VEs")
_ECTOPY_FREQUENCY = re.compile(
    r"\b(?P<f>frequent|many|numerous|multiple|copious|rare|isolated|occasional|infrequent|few|sporadic|single)"
    r"(?:\s+(?:isolated|unifocal|multifocal|monomorphic|polymorphic|and\s+\w+))?\s+"
    rf"(?:VEs?|{_ECTOPY_NAMES})\b",
    re.I,
)
# ventricular ectopics named, of any frequency (a lone "VE" is not read as one)
_ECTOPY_NAMED = re.compile(rf"\b(?:VEs|{_ECTOPY_NAMES})\b", re.I)
_ARRHYTHMIA_DENIED_BEFORE = denial.before("arrhythmia")
# the course of an ECG event of the test (cues.json "ecg_events"), said after it: kept ("did not go away", "persisted
# into recovery", "required temporary pacing") or gone ("resolved", "transient", "self-limiting"); a course word
# denied ("not transient", "did not persist") says the other
_EVENT_COURSE = re.compile(
    # (a bare "not" as a non-native writer drops the auxiliary: "it not disappear", "the block not resolve")
    r"(?P<persisted>\b(?:did\s+not|didn't|does\s+not|doesn't|has\s+not|hasn't|never|failed\s+to|not)\s+"
    r"(?:go(?:ne)?\s+away|resolved?|settled?|disappear(?:ed)?|cleared?|normali[sz]ed?|revert(?:ed)?)\b"
    r"|\bpersist\w*|\bstill\s+present\b"
    r"|\b(?:need\w*|requir\w*|warrant\w*)\s+(?:a\s+|an\s+)?(?:temporary\s+|permanent\s+)?(?:pac(?:ing|emaker)|PPM)\b)"
    r"|(?P<resolved>\bresolv\w*|\bwent\s+away\b|\bgone\b|\bdisappear(?:ed|s)?\b|\bsettled\b|\bcleared\b|\bnormali[sz]ed\b"
    r"|\btransient\w*|\bself-?\s?(?:limit|terminat)\w*|\bwore\s+off\b)",
    re.I,
)
_COURSE_DENIED_BEFORE = re.compile(r"\b(?:not|never|no\s+longer)\s+(?:\w+\s+)?$", re.I)
# how far before its course word the ECG event is named
_EVENT_COURSE_REACH = 100
# the frequency words of ventricular ectopy that mean few of them (also how guardrails.checks grades the stress data)
INFREQUENT_ECTOPY_WORDS = frozenset({"rare", "isolated", "occasional", "infrequent", "few", "sporadic", "single"})
# the reason a test ended when it is no chest symptom ("stopped the treadmill after 4 minutes because of leg fatigue")
_STOPPED_FOR = re.compile(
    r"\b(?:stop(?:ped|s)?|terminated|ended|halted)\b[^.;]{0,50}?\b(?:because\s+of|due\s+to|owing\s+to|for|with)\s+"
    r"(?:(?:his|her|their|marked|severe|general(?:i[sz]ed)?|limiting)\s+)?(?P<why>(?:leg\s+|general\s+)?(?:fatigue|tiredness)"
    r"|exhaustion|breathlessness|dyspn(?:o)?ea|shortness\s+of\s+breath|leg\s+(?:pain|discomfort)|claudication"
    r"|hip\s+pain|knee\s+pain)\b",
    re.I,
)
# a grade, then the territories it grades, as a clause of a flow sentence ("...; reduced in the RCA territory only")
_GRADE_IN_TERRITORIES = re.compile(
    r"(?:^|(?<=[,;:]\s))\s*(?:(?:and|but)\s+)?(?P<neg>not\s+)?"
    r"(?P<g>normal|preserved|mildly|moderately|severely|markedly|reduced)(?:\s+reduced)?\s+(?:only\s+)?(?:in|of|over)\s+"
    rf"(?:the\s+)?(?P<t>{_TERRITORY_NAME}(?:\s*(?:,|and|&|/)\s*(?:the\s+)?{_TERRITORY_NAME})*)\b",
    re.I,
)
# a clause that takes up a flow sentence's subject by ellipsis, its territories first ("reserve of flow in RCA is
# reduced, but in LAD and circumflex is conserved"; "..., and in the LAD and LCx it is normal")
_ELIDED_TERRITORY_GRADE = re.compile(
    r"(?:^|(?<=[,;:)]\s)|(?<=\s))(?:and|but|while|whereas)\s+(?:in|of)\s+"
    rf"(?:the\s+)?(?P<t>{_TERRITORY_NAME}(?:\s*(?:,|and|&|/)\s*(?:the\s+)?{_TERRITORY_NAME})*)"
    r"(?:\s+territor(?:y|ies))?\s*,?\s*(?:(?:it|they)\s+)?(?:is|are|was|were|remains?)\s+"
    r"(?:(?:also|likewise|similarly|still|both|all)\s+)?(?P<neg>not\s+)?"
    r"(?P<g>normal|preserved|conserved|mildly|moderately|severely|markedly|reduced)\b"
    r"(?!\s+(?:uptake|perfusion|wall|motion|counts?|activity))",
    re.I,
)
_REST_SCOPE_AFTER = re.compile(
    r"\s+(?:in|of)\s+the\s+(?:remaining|other)\s+(?:two\s+)?(?:territor|vessel|region)", re.I
)
_MFR_SCOPE = re.compile(r"\b(global|globally|regional|regionally|everywhere|throughout)\b", re.I)
_PLAIN_GRADE = {"fine": "normal", "good": "normal", "satisfactory": "normal", "unremarkable": "normal",
                "poor": "reduced", "bad": "reduced", "impaired": "reduced", "abnormal": "reduced",
                "nl": "normal", "abnl": "reduced", "abn": "reduced"}  # fmt: skip
# a grade after a comma ends its item, or scopes the whole ("MFR 1.61, reduced globally"; not "MFR 2.4, normal LV
# function", the next item's grade); an aside in parentheses after it is the item's ("MFR 1.6, reduced (stress MBF
# 2.0 ...)")
_ITEM_GRADE_END = re.compile(
    # (an adverb's own participle after it: "MFR 1.2, mildly reduced globally")
    r"(?:\s+(?:reduced|impaired|decreased|depressed))?"
    r"(?:\s+(?:globally|overall|throughout|everywhere|in\s+all\s+\w+\s+territories))?\s*(?:[.;,)(]|$)",
    re.I,
)
# the hyperaemic flow of a territory graded in words ("normal stress flow in the LAD", "with regionally reduced stress
# flow in both", "stress MBF in the RCA is preserved"): the rules grade no stress MBF, so the word is checked against
# the territory's flow reserve and defect (checks._stress_flow_grade)
_STRESS_FLOW = re.compile(
    r"\b(?:stress|hyperaemic|hyperemic|peak)\s+(?:myocardial\s+)?(?:blood\s+)?(?:flows?|MBF)\b(?!\s+reserve)", re.I
)
_STRESS_FLOW_GRADE_BEFORE = re.compile(
    r"(?<!\bnot\s)\b(normal|preserved|reduced|low|diminished|impaired|decreased)\s+$", re.I
)
_STRESS_FLOW_GRADE_AFTER = re.compile(
    r"\s+(?:in\s+(?:the\s+)?(?:[\w-]+\s+){1,3}?)?(?:is|was|are|were|remains?)\s+(?:also\s+)?"
    r"(normal|preserved|reduced|low|diminished|impaired|decreased)\b",
    re.I,
)
# where the graded stress flow is: in territories named right after it, or in "both"/"each" of those named before
_IN_EACH_AFTER = re.compile(r"\s+(?:in|of)\s+(?:the\s+)?(?:both|each|either|all)\b", re.I)
_IN_PLACE_AFTER = re.compile(r"\s+(?:in|of)\s+(?:the\s+)?", re.I)


def _stress_flow_grade(sentence: str, hit: re.Match[str]) -> str | None:
    """'normal' or 'reduced': the grade word right before the stress flow or predicated of it; None without one."""
    word = _STRESS_FLOW_GRADE_BEFORE.search(sentence, max(0, hit.start() - 25), hit.start())
    word = word or _STRESS_FLOW_GRADE_AFTER.match(sentence, hit.end())
    if word is None:
        return None
    return "normal" if word.group(1).lower() in ("normal", "preserved") else "reduced"


def _stress_flow_territories(claims: Claims, i: int, s0: int, sentence: str, hit: re.Match[str]) -> list[str]:
    """The territories a graded stress flow is placed in (none: not placed, left unread)."""
    named = [m for m in claims.mentions if m.sent == i and m.label == "TERRITORY" and m.value]
    if _IN_EACH_AFTER.match(sentence, hit.end()):
        return sorted({str(m.value) for m in named if m.start < s0 + hit.start()})
    place = _IN_PLACE_AFTER.match(sentence, hit.end())
    if place is None:
        return []
    return sorted({str(m.value) for m in named if s0 + place.end() <= m.start <= s0 + place.end() + 30})


# a calcium score as written before its grade: "1240", "Agatston 1240 AU", "1240 (LAD 610, RCA 430)"
_CAC_SCORE = r"(?:Agatston\s+)?\d[\d,.]*(?:\s*(?:AU|Agatston(?:\s+units)?))?(?:\s*\([^()]*\))?"
# a grade before the calcium ("extensive coronary calcification") or after its label ("Calcium: Extensive (...)")
# the amount of coronary calcium in plain words: a small amount (group 1) or a large one (group 2)
_CAC_AMOUNT = re.compile(
    r"\b(?:an?\s+)?(?:(?:very\s+)?(?P<small>tiny|small|little|slight|minimal|trace)\s+amount|(?P<large>lot|great\s+deal"
    r"|(?:very\s+)?large\s+amount|huge\s+amount))\s+of\s+(?:coronary\s+)?(?:artery\s+)?calci(?:um|fication)\b",
    re.I,
)
_CAC_GRADE = re.compile(
    r"\b(minimal|mild|moderate|severe|extensive|heavy|dense)\s+(?:coronary\s+)?(?:artery\s+)?(?:calcium|calcification|CAC"
    # the plaque burden a calcium score grades, in a sentence on the calcium ("the score of 220 means mild
    # atherosclerosis", CAC-DRS-2018)
    r"|atherosclero(?:sis|tic\s+(?:disease|burden|plaque)))\b"
    r"|\b(?:calcium|calcification|CAC)(?:\s+score)?"
    # its score may stand between the label and the grade ("CAC 1240 (severe, LM + 3 vessels)", "Calcium: Agatston
    # 1240 (LAD 610, RCA 430) - severe")
    rf"(?:\s*:?\s*{_CAC_SCORE})?"
    r"\s*[:\u2013(,-]\s*(minimal|mild|moderate|severe|extensive|heavy|dense)\b",
    re.I,
)
_CAC_LABEL = re.compile(r"\s*(?:coronary\s+)?(?:artery\s+)?(?:calcium|calcification|CAC)(?:\s+score)?\s*:\s*", re.I)
_GRADE_FIRST = re.compile(
    # the grade first, or after the score ("Agatston 1240 (LAD 610, RCA 430) - severe")
    rf"\s*(?:{_CAC_SCORE}\s*[:\u2013(,-]\s*)?"
    r"()(minimal|mild|moderate|severe|extensive|heavy|dense)\b",
    re.I,
)
_CAC_DRS = re.compile(r"\bCAC-?DRS\s*(?:category\s*)?A?([0-3])\b|\bA([0-3])\s*/\s*N[0-4]\b", re.I)
# "no ST changes, and only minimal coronary calcium": a later clause that grades an amount of calcium has its own
# (affirmative) reading; the negation before it ran over the conjunction, it does not deny the calcium
_OWN_AMOUNT_BEFORE = re.compile(
    r"(?:[,;]|\b(?:and|with|but|plus)\b)\s+(?:(?:only|just|some|a)\s+)?(?:minimal|mild|moderate|severe|extensive|"
    r"dense|heavy|scattered|trace|small amounts? of|little)\s+(?:\w+\s+)?$",
    re.I,
)
# what a negation denies when a change stands between it and a finding ("no interval change in the ... defect",
# "without significant progression of the scar")
_CHANGE_OF = re.compile(
    r"\s+(?:\w+\s+){0,2}?(?:change|difference|progression|worsening|deterioration|improvement|increase|decrease)s?"
    r"\s+(?:in|of)\b",
    re.I,
)
# a change the text denies ("no new or worsening", "no increase in", "without interval progression of"): it says the
# finding after it is unchanged, and neither states nor denies the finding itself
_CHANGE_WORD = r"(?:new|newly|worse|worsened|worsening|increase[ds]?|increasing|progress\w*|larger|deteriorat\w*)"
NEGATED_CHANGE_BEFORE = re.compile(
    r"(?:\b(?:no|not|without|nor|nothing)|n't|n\u2019t)\s+"
    # ... and a degree said of the change ("has not materially changed", "hasn't significantly worsened")
    r"(?:(?:significant|definite|interval|evidence\s+of|further|any|\w+ly)\s+)*"
    rf"(?:{_CHANGE_WORD}\s+(?:or|and|/)\s+)?$"
    # ... and "nothing" as the subject of the change ("nothing has changed", "nothing much has changed since")
    r"|\bnothing\s+(?:(?:much|significant|important|material|really|\w+ly|has|have|had)\s+)+$"
    # ... and a change said to be next to none ("little changed from 58%", "barely changed"; not "a little worse")
    r"|(?<!\ba\s)(?<!\bvery\sa\s)\b(?:very\s+)?(?:little|barely|hardly|scarcely)\s+$"
    # a negation raised to a verb of opinion denies the change of the clause it governs ("I don't think the
    # perfusion pattern has materially changed", "I do not believe the defect is any larger")
    r"|(?:\b(?:do|does|did)\s+not|n't|n\u2019t)\s+(?:think|believe|feel|consider)\b[^.;:]{0,60}?"
    r"\b(?:has|have|had|is|are|was|were)\s+(?:(?:any|significantly|materially|substantially|really|much|\w+ly)\s+)*$",
    re.I,
)
_DENIED_CHANGE_OF = re.compile(
    r"\b(?:no|not|without|nor)\s+(?:(?:significant|definite|interval|evidence\s+of|further|any)\s+)*"
    rf"(?:{_CHANGE_WORD}|change)(?:\s+(?:or|and|/)\s+{_CHANGE_WORD})?(?:\s+(?:in|of))?\s+(?:(?:the|any)\s+)?"
    r"(?:[\w-]+\s+){0,2}$",
    re.I,
)
_SCANT_BEFORE = re.compile(
    r"(?<!\ba )\b(?:little|negligible|scant|hardly any|barely any)\s+(?:(?:if any|or no|established|significant|"
    r"definite|residual|inducible|myocardial)\s+){0,2}$",
    re.I,
)
_CAC_ABSENT_BEFORE = re.compile(r"\b(?:zero|no identifiable|no detectable|absence of|absent|nil)\s+(?:\w+\s+)?$", re.I)
# "ischaemic ECG", "ischemic ST changes", "no ischemic changes" (changes and responses are the ECG's words)
_ECG_AFTER = re.compile(
    r"\s*(?:exercise\s+|stress\s+|treadmill\s+)?(?:ECG|EKG|electrocardiogra\w*|ST[- ]|(?:changes?|response)\b)", re.I
)
# a clause headed by the ECG ("ECG: no ischaemic changes"; "Stress ECG - negative for ischemia")
_ECG_LED = re.compile(r"^[\s/\d.)-]*(?:(?:stress|exercise|rest)\s+)?(?:ECG|EKG)\b[^;:]{0,12}[:-][^;]*$", re.I)
# ischemic said of the ECG ("the 0.5 mm upsloping ST depression is not ischaemic", "the ECG was ischemic")
_ECG_PREDICATE = re.compile(
    r"\b(?:ECG|EKG|electrocardiogram|ST[- ](?:segment\s+)?(?:depression|elevation|changes?|deviation)|ST[- ]segments?"
    r"|tracing)\b[^.;,]{0,25}?\b(?:is|was|were|are|appears?|looks?)\s+(?:not\s+|felt\s+to\s+be\s+|non-?)?$"
    # the ECG called positive or negative for it ("ECG +ve for isch", "exercise ECG positive for ischaemia")
    r"|\b(?:ECG|EKG|electrocardiogram)\b[^.;,]{0,12}?(?:positive|pos\.?|\+\s*ve|negative|neg\.?|-\s*ve)\s+for\s+"
    r"(?:inducible\s+)?$"
    # ... or the object of the ECG's verb of showing, stated or denied ("the ECG showed ischaemia", "ECG did not
    # demonstrate any ischemia", "ECG not show ischemia")
    r"|\b(?:ECG|EKG|electrocardiogram|tracing)\b[^.;,]{0,12}?\b(?:(?:does|did|do)\s+not\s+|(?:doesn|didn|don)['\u2019]t\s+"
    r"|not\s+|never\s+)?(?:show\w*|demonstrat\w*|reveal\w*|display\w*)\s+(?:any\s+|no\s+)?"
    r"(?:(?:signs?|evidence)\s+of\s+)?(?:inducible\s+)?$",
    re.I,
)
_ECG_PREDICATE_DENIED = re.compile(r"\b(?:no|not|never|without|negative|neg|non)\b|n['\u2019]t\b|-\s*ve\b", re.I)
_ECG_BEFORE = re.compile(r"\b(?:ECG|EKG|ST[- ]segment|electrocardiographic)\s+$", re.I)  # "no ECG ischemia"
_STUDY_WORD = re.compile(r"\b(?:SPECT|PET|study|scan|test|examination)\s*$", re.I)
_STUDY_VERDICT = re.compile(
    r"^\W*(?:\d+[.)]\s*)?(normal|abnormal|markedly abnormal|probably normal|essentially normal|equivocal)\s+"
    r"(?:[\w-]+\s+){0,4}?(?:SPECT|PET|study|scan|test)\b",
    re.I,
)
_VERDICT_VALUE = {"markedly abnormal": "abnormal", "essentially normal": "probably normal"}
# a stress study called positive or negative as a whole ("Strongly positive test", "Negative study"): abnormal or
# normal; a test named by its ECG part ("positive exercise ECG test", "negative treadmill test", "positive by ECG
# criteria") is the ECG's verdict, not the study's
_SIGNED_VERDICT = re.compile(
    r"^\W*(?:\d+[.)]\s*)?(?:(?:strongly|clearly|frankly|definitely|unequivocally)\s+)?(positive|negative)\s+"
    r"(?:(?!(?:ECG|EKG|exercise|treadmill|stress|electrocardiograph\w*|ETT)\b)[\w-]+\s+){0,3}?"
    r"(?:SPECT|PET|MPI|study|scan|test)\b(?!\s+(?:by|on|for)\s+(?:[\w-]+\s+)?(?:ECG|EKG|electrocardiograph\w*|ST)\b)",
    re.I,
)
_SIGNED_VALUE = {"positive": "abnormal", "negative": "normal"}
# the heart rate of a chronotropic stress said to fall short of its target or to reach it (ACC-AHA-EXERCISE-2002:
# 85% of the age-predicted maximum): "a submaximal test", "target heart rate reached", "an adequate heart rate"
_HR_ADEQUACY = re.compile(
    r"(?P<short>\bsub-?max(?:imal)?\b|\b(?:inadequate|insufficient)\s+(?:[\w-]+\s+)?(?:heart[- ]rate|HR|chronotropic|"
    r"stress|exercise|workload)|\b(?:did\s+not|didn't|failed\s+to|unable\s+to)\s+(?:reach|achieve|attain)\s+(?:the\s+|his\s+"
    r"|her\s+)?(?:target|THR|85\s*%)"
    # the heart rate's rise called blunted ("blunted heart-rate response", "a poor chronotropic response",
    # "chronotropic incompetence"; not its recovery after exercise)
    r"|\b(?:blunted|poor|attenuated|impaired|reduced|diminished|inadequate|insufficient)\s+(?:[\w-]+\s+)?"
    r"(?:heart[- ]rate|HR|chronotropic)\s+(?:response|rise|increase|reserve)\b"
    r"|\bchronotropic(?:ally)?\s+(?:incompeten\w*|insufficien\w*))"
    r"|\b(?:adequate|diagnostic)\s+(?:[\w-]+\s+)?(?:heart[- ]rate|HR|chronotropic|workload)\b"
    # a maximal test or stress ("maximal stress", "(88% MPHR, maximal)"; not "submaximal", "maximal heart rate"), and
    # the sensitivity an adequate stress keeps, said full ("normal perfusion, full sensitivity")
    r"|(?<![\w-])maximal\s+(?:stress|test|study|exercise|effort)\b"
    r"|\b(?:MPHR|APMHR|PMHR|THR)\b\s*[,;:=]?\s*maximal\b"
    r"|\b(?:full|unimpaired|undiminished|preserved|unreduced)\s+(?:diagnostic\s+)?sensitivity\b"
    r"|\b(?:target|THR)\s+(?:heart[- ]rate\s+|HR\s+)?(?:was\s+|not\s+|wasn't\s+)*(?:reached|achieved|attained|met)\b"
    # the participle too, and the target called full or predicted ("despite reaching his full target heart rate")
    r"|\b(?:reach(?:ed|ing)|achiev(?:ed|ing)|attain(?:ed|ing))\s+(?:the\s+|his\s+|her\s+)?(?:full\s+|predicted\s+)?"
    r"(?:target|THR)\b",
    re.I,
)
_HR_DENIED_BEFORE = re.compile(
    r"(?:\b(?:not|never|without|before|short\s+of|fail(?:ed|ing)\s+to)\s+(?:\w+\s+)?|n't\s+"
    r"|\bno\s+(?:(?:evidence|signs?)\s+of\s+)?"  # "no chronotropic incompetence"
    # the heart rate as the subject of a reaching cut short ("stopped before her heart rate reached the target")
    r"|\bbefore\s+(?:(?:the|his|her|their|its|patient's)\s+)?(?:heart[- ]rate|HR|pulse)\s+(?:had\s+|could\s+)?)$",
    re.I,
)
_HR_DENIED_WITHIN = re.compile(r"\b(?:not|wasn't)\s+(?:reached|achieved|attained|met)\b", re.I)

# the LV's size said with a verb ("the left ventricle appears dilated", "the LV cavity is not enlarged"); dilated
# on the stress images only is TID, read elsewhere; a bare "ventricle" that the right one ("the right ventricle is
# dilated") is not the LV's
_LV_SIZE_SAID = re.compile(
    r"(?:\b(?:LV|left ventricle|left ventricular cavity|LV cavity|(?<!right )(?<!right-)(?:ventricle|cavity)"
    r"|(?:your|the|his|her)\s+heart)\s+"
    r"(?:is|was|appears?|looks?|seems?)\s+(?:to be\s+)?(?P<not>not\s+)?"
    r"(?:mildly\s+|moderately\s+|severely\s+|markedly\s+|slightly\s+|somewhat\s+|a\s+little\s+)?"
    # the patient's words: "your heart is somewhat larger than normal"
    r"(?:dilated|enlarged|larger\s+than\s+(?:normal|usual|expected))\b"
    # ... or the grade before the cavity, which in a perfusion report is the LV's unless named otherwise ("ESV 12 mL:
    # dilated cavity"; not "dilated RV cavity", "a dilated right ventricular cavity")
    r"|(?<!right )(?<!RV )\b(?:dilated|enlarged)\s+(?:(?:LV|left\s+ventricular)\s+)?cavity\b)"
    r"(?!\s+(?:on|after|with|at|during)\s+(?:the\s+)?(?:post-?)?stress|\s+transiently)",
    re.I,
)

# a count reduction said to stay on the attenuation-corrected images ("persists despite attenuation correction")
_KEPT_AFTER_AC = re.compile(
    r"\b(?:persist\w*|remain\w*|still\s+(?:seen|present|visible|evident))\s+(?:despite|after|with|on)\s+(?:the\s+)?"
    r"(?:CT[- ]?)?(?:attenuation[- ]correct\w*|AC\b|corrected\b)"
    r"|\b(?:not|never)\s+(?:resolved|corrected|removed)\s+(?:by|with|on)\s+(?:the\s+)?(?:CT[- ]?)?(?:AC\b|attenuation)",
    re.I,
)

# ... or said to go away on them ("resolves after attenuation correction", "disappears with CTAC"): an attenuation
# artifact, not a defect
_GONE_AFTER_AC = re.compile(
    r"\b(?:resolv\w*|disappear\w*|normali[sz]\w*|vanish\w*|(?:is|was|are|were)\s+(?:no\s+longer\s+(?:seen|present|visible)"
    r"|corrected|eliminated|abolished))\s+(?:completely\s+|entirely\s+|fully\s+)?(?:after|with|on)\s+(?:the\s+)?"
    r"(?:CT[- ]?)?(?:attenuation[- ]correct\w*|(?-i:AC|CTAC)\b|corrected\s+images)",
    re.I,
)
_COURSE_DENIED_BEFORE = re.compile(r"(?:\b(?:not|never)|n't|\bfail(?:s|ed)?\s+to)\s+(?:\w+\s+)?$", re.I)


# the whole study graded by an adverb ("the study is mildly abnormal", "Markedly abnormal rubidium PET")
_VERDICT_ADVERB = r"(mildly|minimally|slightly|marginally|borderline|markedly|severely|grossly|highly|strongly)"
_GRADED_VERDICT = re.compile(
    rf"\b(?:study|scan|test|SPECT|PET|MPI|examination|result)\s+(?:is|was|appears|looks|seems)\s+(?:only\s+)?"
    rf"(?P<a>{_VERDICT_ADVERB[1:-1]})\s+abnormal\b"
    rf"|^\W*(?:\d+[.)]\s*)?(?:(?:this|the|a)\s+)?(?P<b>{_VERDICT_ADVERB[1:-1]})\s+abnormal\s+(?:[\w-]+\s+){{0,4}}?"
    r"(?:SPECT|PET|MPI|study|scan|test)\b",
    re.I,
)
_MILD_VERDICT = frozenset({"mildly", "minimally", "slightly", "marginally", "borderline"})
_CARDIOMYOPATHY = re.compile(r"\b(non-?ischa?emic|ischa?emic)\s+(?:dilated\s+)?cardiomyopathy\b", re.I)
_LUNG_NORMAL = re.compile(
    r"\b(?:normal|no (?:increased|abnormal))\s+(?:pulmonary|lung)\s+(?:thallium\s+|tracer\s+)?(?:uptake|activity)", re.I
)
# Tracer words that the extraction leaves inside another concept ("Abnormal Rb-82 PET", "thallium study")
_TRACER_WORD = re.compile(r"\b(rubidium|Rb-82|N-13|ammonia|thallium|Tl-201|sestamibi|MIBI|tetrofosmin)\b", re.I)
# Stress agents that the extraction leaves inside another concept ("Abnormal adenosine SPECT")
_AGENT_WORD = re.compile(r"\b(adenosine|regadenoson|dipyridamole|dobutamine)\b", re.I)
_TRACER_VALUE = {
    "rubidium": "Rb-82", "rb-82": "Rb-82", "n-13": "N-13 ammonia", "ammonia": "N-13 ammonia",
    "thallium": "Tl-201", "tl-201": "Tl-201", "sestamibi": "Tc-99m sestamibi", "mibi": "Tc-99m sestamibi",
    "tetrofosmin": "Tc-99m tetrofosmin",
}  # fmt: skip
_RISK_WORDS = re.compile(
    r"\b(low|intermediate|moderate|high)[\s-]+(?:annual\s+)?(?:cardiac\s+)?(?:event\s+)?risk\b"
    # ... or the risk of the events it predicts as the subject ("the annual risk of cardiac death or MI is low")
    r"|\brisk(?:\s+of\s+(?:(?:a|an|major|adverse|future|hard|cardiac|coronary|death|myocardial|infarction|MI|"
    r"events?|mortality|or|and|non-?fatal|fatal|MACE)\b\s*){1,8})?"
    # (a key's value set off by a dash, as by a colon: "Risk \u2013 low", "Risk - high")
    r"(?:\s+(?:category|level|group|overall|is|was|appears|remains|considered))*\s*(?:[:=\u2013\u2014]|-(?=\s))?\s*"
    r"(low|intermediate|moderate|high)\b(?![- ](?:grade|dose|output|likelihood|probability))",
    re.I,
)
# the risk asked as a question of its own, answered by the next sentence ("Q: Risk? A: Low - ...", "What is the
# overall risk? High, because ..."): the answer's level is the risk, as a key's value is ("Risk: low")
_RISK_QUESTION = re.compile(
    r"\s*(?:Q\s*[:.)]\s*)?(?:what(?:\s+is|'s|\u2019s)\s+)?(?:the\s+)?(?:overall\s+|cardiac\s+)?risk"
    r"(?:\s+(?:category|level|group|class))?\s*\?\s*",
    re.I,
)
_RISK_ANSWER = re.compile(
    r"\s*(?:A\s*[:.)]\s*)?(low|intermediate|moderate|high)\b(?![- ](?:grade|dose|output|likelihood|probability))",
    re.I,
)
# a sentence that opens with the grounds of its verdict ("Combined with a maximal test and a Duke score of +10, the
# risk ... is low", "Given ..., "): a Duke score there is one ground of the overall risk, not the treadmill's risk
_GROUNDS_LEAD = re.compile(
    r"\s*(?:(?:combined|together|taken\s+together|along|coupled)\s+with|given|in\s+(?:view|light)\s+of|considering)\b"
    r"[^.;]*,",
    re.I,
)
_NOT_PERFUSION_AFTER = re.compile(
    r"\s*(?:[\w-]+\s+){0,2}?(?:LV|left|ventric\w*|function|EF|LVEF|ejection|wall|ECG|EKG|size|volumes?|TID|"
    r"sinus|rhythm|blood|BP|heart|flow|MBF|MFR|reserve|exercise|capacity|response|calcium)\b",
    re.I,
)
_CULPRIT_AFTER = re.compile(
    r"\s*(?:coronary\s+)?(?:artery\s+|arterial\s+)?(?:territory\s+)?(?:disease|stenosis|stenoses|lesion|occlusion|obstruction)\b",
    re.I,
)
_CULPRIT_BEFORE = re.compile(
    r"\b(?:disease|stenosis|lesion|occlusion|obstruction)\s+(?:of|in)\s+(?:the\s+)?(?:proximal\s+|mid\s+|distal\s+)?$",
    re.I,
)
_CULPRIT_DOUBT = re.compile(
    # a vessel argued against or set in a differential ("arguing against LAD disease", "attenuation versus
    # LAD disease") is not named as diseased
    r"\b(?:unlikely|no|not|without|rather than|exclude\w*|rule out|prior|previous|known|history|against|"
    r"doubtful|less likely|versus|vs|"
    r"stent\w*|PCI|CABG|graft)\b",
    re.I,
)


# the vessels coordinated with it before the disease word ("LAD and RCA disease"), or the vessels a count of
# diseased vessels lists in parentheses ("two-vessel (LAD and LCx) obstructive CAD")
_CULPRIT_LIST = re.compile(
    r"(?:\s*(?:,|and|&|/|\+)\s*(?:the\s+)?(?:LAD|LCx|RCA|LM|circumflex|right\s+coronary|left\s+anterior\s+descending)"
    r"\b)*",
    re.I,
)
_VESSEL_COUNT_OPEN = re.compile(r"\b(?:single|one|two|three|double|triple|multi|[123])[- ]vessel\s*\([^()]*$", re.I)
_COUNTED_DISEASE_AFTER = re.compile(r"\s*\)\s*(?:[\w-]+\s+){0,2}?(?:CAD|disease|stenos[ie]s|obstruction)\b", re.I)


def _is_culprit(text: str, m: Mention, s0: int, s1: int) -> bool:
    """The territory names the vessel the text says is diseased ("flow-limiting stenosis of the LAD")."""
    listed = _CULPRIT_LIST.match(text, m.end, s1)
    end = listed.end() if listed else m.end
    counted = _VESSEL_COUNT_OPEN.search(text[max(s0, m.start - 40) : m.start]) and _COUNTED_DISEASE_AFTER.match(
        text, end, s1
    )
    if not (
        _CULPRIT_AFTER.match(text, end, s1) or counted or _CULPRIT_BEFORE.search(text[max(s0, m.start - 40) : m.start])
    ):
        return False
    return not _CULPRIT_DOUBT.search(text, s0, s1)


_SPECIFIC_MOTION = re.compile(r"aneurysm|dyskines|dyskinetic|akines|akinetic", re.I)
_REVERSIBLE_BEFORE = re.compile(
    # (not "non-reversible": fixed)
    r"(?<!\bno )(?<!\bnot )(?<!\bnon-)(?<!\bnon )\b(?:partially |completely |fully )?reversible\s+(?:\w+\s+){0,2}$",
    re.I,
)
_FIXED_BEFORE = re.compile(r"(?<!\bno )(?<!\bnot )(?<!\bpartially )\bfixed\s+(?:perfusion\s+)?$", re.I)


def _read_ecg_verdict(sentence: str, add: Callable[[str, str | None, bool, int, int], None]) -> None:
    """The stress ECG's verdict in the clause that names the ECG ("the exercise ECG is positive", "ECG was
    negative"), read with structuring's ECG wording (``extraction/resources/wording.json``) when no concept
    of the extraction has given it: the earliest (then longest) verdict of the clause."""
    wording = load_wording()
    cue = wording.ecg_cue.search(sentence) or _ECG_LEADS_NAMED.search(sentence)
    if cue is None or _BASELINE_ECG_BEFORE.search(sentence, max(0, cue.start() - 12), cue.start()):
        return
    breaks = [b for b in _CLAUSE_BREAK.finditer(sentence) if b.group(0) not in "()"]
    k0 = max((b.end() for b in breaks if b.end() <= cue.start()), default=0)
    k1 = next((b.start() for b in breaks if b.start() >= cue.end()), len(sentence))
    clause = sentence[k0:k1]
    hits = [(m.start(), m.start() - m.end(), v, m) for v, rx in wording.ecg_verdicts for m in rx.finditer(clause)]
    if hits:
        _, _, value, m = min(hits, key=lambda h: (h[0], h[1]))
        add("ecg", value, True, k0 + m.start(), k0 + m.end())


# the ST segment's diagnostic shift names the stress ECG without the word ECG ("there was a diagnostic ST shift",
# "no diagnostic ST change"): its clause gives the ECG's verdict as one that names the ECG does
# (its grade named: a bare "no ST-segment change" beside a submaximal test is left to the ECG's own sentence)
_ST_SHIFT_NAMED = re.compile(r"(?<![\w-])diagnostic\s+ST[- ]?(?:segments?\s+)?(?:shifts?|changes?|deviations?)\b", re.I)
_ST_CHANGE_WORDS = re.compile(r"\b(?:ST[- ]?(?:segments?\s+)?(?:depress\w*|elevat\w*)|STD|STE)\b", re.I)
# ... as does its lead group ("the inferior leads did not change")
_ECG_LEADS_NAMED = re.compile(
    r"\b(?:inferior|lateral|inferolateral|anterior|anterolateral|anteroseptal|septal|precordial|limb)\s+leads\b", re.I
)
_BASELINE_ECG_BEFORE = re.compile(r"\b(?:rest(?:ing)?|baseline)\s+$", re.I)


# the words that give an artifact as the reading of a finding just named ("consistent with breast attenuation",
# "probably attenuation", "likely due to diaphragmatic attenuation", "attenuation favoured")
_ARTIFACT_READING_BEFORE = re.compile(
    r"(?:\b(?:consistent|compatible|in\s+keeping)\s+with|\b(?:likely|probably|probable|presumably|presumed|most\s+likely|"
    r"possibly)|\b(?:due|secondary|attributable|attributed|related|owing)\s+to|\brepresent\w*|\breflect\w*|"
    # (a word in parentheses is one of the words between: "attributable to soft-tissue (breast) attenuation")
    r"\bfavou?r\w*|\bsuggestive\s+of|\bfrom|,"
    # a reading given by a verb of judgement or an equals sign ("is considered apical thinning", "read as
    # attenuation", "on the uncorrected images only = attenuation")
    r"|\bconsidered(?:\s+to\s+be)?|\b(?:read|interpreted|regarded)\s+as|=)\s+(?:[\w-]+\s+|\([\w\s-]*\)\s+){0,3}$",
    re.I,
)
# ... or by a copula, the artifact named straight after it ("the inferior defect was diaphragmatic attenuation", "is
# simply breast attenuation"); a word more between ("is seen despite attenuation") gives no reading
_ARTIFACT_IS_BEFORE = re.compile(
    r"\b(?:is|was|are|were)\s+(?:(?:a|an|just|simply|merely|only|all|actually|in\s+fact)\s+)?(?:[\w-]+\s+)?$", re.I
)
_ARTIFACT_READING_AFTER = re.compile(r"\s+(?:(?:is|was)\s+)?(?:favou?red|suspected|likely|probable)\b", re.I)
_OTHER_FINDING_BETWEEN = re.compile(
    r"\b(?:but|however|although|whereas|while|and\s+(?:a|an|the)|with\s+(?:a|an|the)|separate|also)\b|;", re.I
)


# a reduction the sentence goes on to call real ("so this is a true defect and not attenuation"), not denied so
_TRUE_DEFECT_STATED = re.compile(
    r"(?<!\bnot\s)(?<!\bnot\sa\s)(?<!\bthan\s)(?<!\bthan\sa\s)(?<!\bno\s)"
    r"\b(?:true|real|genuine)\s+(?:perfusion\s+)?(?:defect|abnormalit\w*|reduction|isch(?:a)?emi\w*|scar|infarct\w*)",
    re.I,
)
# a resolution or an artifact reading denied or only partial ("not resolved on prone images", "only partly corrects")
_READING_DENIED_BEFORE = re.compile(
    r"(?:\b(?:not|never|no|without|fail\w*\s+to|partial\w*|partly|incomplete\w*)|n't)\s+(?:[\w-]+\s+){0,2}$", re.I
)
_NEGATED_VARIANT = re.compile(r"\b(?:not|no|rather\s+than|than)\s+(?:\w+\s+){0,2}$", re.I)
# a normal variant a reader may name as the reading of a count reduction (ASNC-SPECT-2018: apical thinning)
_NORMAL_VARIANT = re.compile(r"\b(?:apical\s+thinning|(?:a\s+)?normal\s+variant)\b", re.I)


def _blames_artifact(text: str, ms: list[Mention], trigger: Mention) -> bool:
    """The sentence reads the defect it names as an artifact or a normal variant: an affirmed artifact after the
    defect, given as its reading ("mild anterior count reduction ..., most consistent with breast attenuation rather
    than a true defect", "small fixed inferior defect, probably attenuation", "..., attenuation favoured", "a faint
    apical reduction, read as apical thinning")."""
    end = text.find(".", trigger.end)
    variants = [
        m
        for m in _NORMAL_VARIANT.finditer(text, trigger.end, len(text) if end < 0 else end)
        if not _NEGATED_VARIANT.search(text, max(trigger.end, m.start() - 20), m.start())
    ]
    lead = variants[0].start() if variants else 0
    if variants and _ARTIFACT_READING_BEFORE.search(text, max(trigger.end, lead - 50), lead):
        return True
    stop = len(text) if end < 0 else end
    if not _TRUE_DEFECT_STATED.search(text[trigger.end : stop]) and any(
        not _READING_DENIED_BEFORE.search(text, max(trigger.end, hit.start() - 30), hit.start())
        for rx in cues().artifact_reading
        for hit in rx.finditer(text, trigger.end, stop)
    ):
        return True  # "..., which disappears on prone images", "... was due to overlying tissue"
    for m in ms:
        if m.label != "ARTIFACT" or m.negated or m.start < trigger.end:
            continue
        if _OTHER_FINDING_BETWEEN.search(text, trigger.end, m.start):
            continue  # "inferior defect and a separate anterior attenuation artifact": another finding
        if (
            _ARTIFACT_READING_BEFORE.search(text, max(trigger.end, m.start - 50), m.start)
            or _ARTIFACT_IS_BEFORE.search(text, max(trigger.end, m.start - 40), m.start)
            or _ARTIFACT_READING_AFTER.match(text, m.end)
        ):
            return True
    return False


# the alternative a reader weighs a reading against ("more likely reflects attenuation than a small area of
# infarction", "attenuation is favoured over scar"): named as the less likely reading, not stated
_LESS_LIKELY_ALTERNATIVE = re.compile(
    r"(?:\b(?:more|most)\s+(?:likely|probabl\w*|consistent|suggestive|in\s+keeping)\b[^.;]{0,80}?\bthan"
    r"|\b(?:favou?r\w*|prefer\w*)\b[^.;]{0,60}?\bover)\s+(?:[\w-]+\s+){0,4}$",
    re.I,
)


# the adverbs that grade how surely a finding cannot be excluded ("cannot be formally excluded", "cannot be reliably
# ruled out"): the same hedge as "cannot be excluded" (the ConText rule "cannot be formally excluded" likewise)
_CERTAINLY = (
    r"(?:entirely|fully|completely|totally|definitely|definitively|formally|reliably|confidently|absolutely"
    r"|conclusively|safely|firmly|categorically|securely)"
)
# words that set a diagnosis in a differential or a possibility rather than state it
_DIFFERENTIAL = re.compile(
    r"\b(?:possib\w*|may|might|could|cannot\s+be|can't\s+be|not\s+(?:be\s+)?(?:entirely\s+)?(?:excluded|ruled\s+out)|"
    r"(?:should|must|would|could)\s+be\s+considered|consider(?:ed|ation)?|differential|question\s+of|speculative|"
    r"versus|vs\.?|suspect\w*|query|uncertain)\b|\?",
    re.I,
)
# a finding named as the object of a possibility or a suspicion a few words before it ("raises the possibility of
# diffuse or balanced disease", "suspicion of multivessel ischaemia"): weighed, not stated
_POSSIBILITY_OF_BEFORE = re.compile(
    r"\b(?:possibility|suspicion|question|concern)\s+(?:of|for)\s+(?:(?:a|an|the|some)\s+)?(?:[\w-]+\s+){0,3}$", re.I
)
# "a small fixed component", "a mild reversible peri-infarct component": the part of a defect
_COMPONENT_AFTER = re.compile(r"\s+(?:peri-?infarct\s+)?(?:component|element)\b", re.I)
# a finding word that names the subject a judgement is made from ("from an ischaemia point of view", "from an
# ischaemic standpoint"), not a finding
_TOPIC_AFTER = re.compile(
    r"[\s-]*(?:point\s+of\s+view|stand-?point|perspective|viewpoint|wise\b|(?:is\s+)?concerned\b)\b", re.I
)
# ... or named before it ("from the point of view of inducible ischaemia, yes", "as far as ischaemia goes", "in terms
# of ischaemia"): the subject a judgement is made of, not a finding
_TOPIC_BEFORE = re.compile(
    r"\b(?:(?:from\s+the\s+)?(?:point\s+of\s+view|stand-?point|perspective|viewpoint)\s+of|as\s+far\s+as"
    r"|in\s+terms\s+of|with\s+(?:regard|respect)\s+to|as\s+regards)\s+(?:(?:the|any|inducible|myocardial)\s+){0,3}$",
    re.I,
)
# a finding a further test is to look for ("echo to exclude LV thrombus", "r/o thrombus", "CMR to assess for
# aneurysm"): sought, neither stated nor denied
_SOUGHT_BEFORE = re.compile(
    r"(?:\bto\s+(?:exclude|rule\s+out|assess\s+for|evaluate\s+for|look\s+for|screen\s+for)"
    r"|(?<![\w/])r/o|\b(?:evaluation|assessment|screening)\s+for)\s+"
    r"(?:(?:a|an|the|any|possible|(?:an\s+)?underlying)\s+)?(?:[\w-]+\s+){0,2}$",
    re.I,
)
# a differential named before a finding: the finding is weighed, not stated
_IN_DIFFERENTIAL = re.compile(
    r"\b(?:differential|(?:cannot|can't|could\s+not)\s+(?:be\s+)?(?:" + _CERTAINLY + r"\s+)?(?:exclude|rule\s+out)|"
    r"(?:would|could|might|may)\s+include)\b",
    re.I,
)
_CARDIOMYOPATHY_AFTER = re.compile(r"\s*(?:dilated\s+)?cardiomyopathy\b", re.I)
# an ischemic cause ("ischaemic aetiology", "an ischemic basis for the dysfunction") and its likelihood denied after it
_CAUSE_AFTER = re.compile(r"\s+(?:a?etiology|aetiology|cause|origin|basis)\b", re.I)
_CAUSE_DOUBTED = re.compile(
    r"[^.;]{0,90}?\b(?:is|are|was|were|seems?|appears?|remains?)\s+"
    r"(?:(?:therefore|thus|hence|considered|thought|felt|deemed|very|highly)\s+){0,2}(?:to\s+be\s+)?"
    r"(?:less\s+likely|unlikely|improbable|excluded|not\s+(?:likely|supported|suggested|favou?red))\b",
    re.I,
)
# the sensitivity caveat told after the finding ("a small area of ischaemia could be missed", "ischemia may not be
# entirely excluded"): what the test may fail to show, neither stated nor denied (the "scope" cue reads it before)
_UNSEEN_AFTER = re.compile(
    r"(?:(?![.;]|\bbut\b)[^\d]){0,40}?\b(?:"
    r"(?:could|may|might|can|would)\s+(?:well\s+|easily\s+|still\s+)?(?:have\s+)?be(?:en)?\s+"
    r"(?:missed|overlooked|masked|underestimated|undetected|under-?called)"
    r"|(?:(?:could|may|might|can)\s*not|cannot|can't)\s+(?:yet\s+)?be\s+(?:" + _CERTAINLY + r"\s+)?"
    r"(?:excluded|ruled\s+out))\b",
    re.I,
)
# a finding as the subject of a hypothetical or a generic statement: what it would look like or typically does
# ("attenuation would be expected to be fixed", "true ischaemia would not normalise on the rest images", "an infarct is
# typically fixed"), or after a counterfactual "if" ("if this were attenuation, ..."): reasoning about the finding,
# neither stated nor denied of this study
_HYPOTHETICAL_AFTER = re.compile(
    r"(?:\s+(?:artefacts?|artifacts?|defects?|pattern))?\s+(?:"
    r"would(?:\s+not|n't)?\s+(?:(?:typically|usually|normally|generally|classically|also|instead|rather)\s+)*"
    r"(?:(?:tend\s+to|be\s+expected\s+to)\s+\w+"
    # ... a property it would have (not "would be the likely explanation": a hedged reading)
    r"|(?:have\s+)?be(?:en)?\s+(?:(?:typically|usually|generally|equally|also|more|less|expected\s+to\s+be)\s+)*"
    r"(?:fixed|reversible|present|seen|visible|expected|corrected|resolved|absent|similar|the\s+same|unchanged|"
    r"stable|matched|apparent|evident|worse|better)"
    r"|appear|look|show|produce|cause|persist|resolve|improve|fill|normali[sz]e|move|behave|involve|spare|lie)"
    r"|(?:is|are|tends?\s+to\s+be)\s+(?:typically|usually|classically|characteristically|generally|normally|"
    r"expected\s+to)\b)\b",
    re.I,
)
_COUNTERFACTUAL_BEFORE = re.compile(
    r"(?:\bif\s+(?:this|it|the\s+(?:defect|finding|reduction|abnormality))\s+(?:were|was)|\bwere\s+(?:this|it))\s+"
    r"(?:(?:due\s+to|from|caused\s+by|simply|merely|just|an?|the)\s+)*(?:[\w-]+\s+){0,2}$",
    re.I,
)


def _hypothetical(text: str, m: Mention, s0: int, s1: int) -> bool:
    """The finding at ``m`` is the subject of a hypothetical or a generic statement (see _HYPOTHETICAL_AFTER)."""
    return bool(
        _HYPOTHETICAL_AFTER.match(text, m.end, s1)
        or _COUNTERFACTUAL_BEFORE.search(text, max(s0, m.start - 60), m.start)
    )


# an artifact named as a difficulty the acquisition faces or a risk it runs ("the attenuation challenges of a high
# BMI", "potential for soft-tissue attenuation"), not as one found in the images (unless a wall places it)
_DIFFICULTY_AFTER = re.compile(
    r"[\s-]+(?:challenges?|challenging|problems?|difficult(?:y|ies)|issues?|concerns?|limitations?|risks?|"
    r"potential|propensity)\b",
    re.I,
)
_DIFFICULTY_BEFORE = re.compile(
    r"\b(?:potential|propensity|risk|likelihood|tendency|prone|susceptib\w+)\s+(?:for|of|to)\s+"
    r"(?:(?:more|increased|significant|soft[- ]tissue|the)\s+)*$",
    re.I,
)
_REVERSIBILITY_BEFORE = re.compile(r"\b(fixed|reversible)\s+(?:perfusion\s+)?$", re.I)


# --- cue resources ----------------------------------------------------------------------------


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Feature(_Rules):
    key: str
    patterns: tuple[str, ...]
    # the feature stated absent in the words of its normal ("the LVEF augments normally with stress")
    normal: tuple[str, ...] = ()


class _Valued(_Rules):
    value: str
    patterns: tuple[str, ...]


class _NotAClaim(_Rules):
    history: str
    risk: str
    agent_not_given: str
    scope: str
    # ... and after the agent ("asthma makes adenosine-type drugs unsuitable", "regadenoson was contraindicated")
    agent_not_given_after: str = ""
    contrast: str
    modifier: str
    suggestion: str
    # a count reduction the text itself reads as an artifact: gone on another acquisition ("resolves on prone
    # imaging", "disappears on the attenuation-corrected images") or put down to overlying tissue in plain words
    artifact_reading: tuple[str, ...] = ()


class _Comparison(_Rules):
    context: str
    changed: str
    unchanged: str
    claim: str
    no_prior: str
    prior_clause: str
    better: str
    worse: str


class _StressSymptom(_Rules):
    chest_pain: str
    none: str
    history: str
    reported: str
    context: str
    exertional: str
    # "the chest pain is unlikely to come from the arteries": a statement of its cause, not of the symptom
    cause: str
    # the test said to have gone without complication ("the infusion was uncomplicated"), and what in the stress
    # record is one (a bronchospasm, a block, a reversal with aminophylline)
    uneventful: str
    complication: str


class _AdviceSupported(_Rules):
    always: str
    high_risk: str
    treatment: str
    urgent: str
    viability: str
    device: str
    stand_down: str
    # medical therapy advised to stop ("stop his aspirin and statin"): no fact of a study supports that
    stop_therapy: str


class CueFile(_Rules):
    description: str = ""
    features: tuple[_Feature, ...]
    lvef_category: tuple[_Valued, ...]
    quantities: tuple[_Feature, ...]
    not_a_claim: _NotAClaim
    comparison: _Comparison
    stress_symptom: _StressSymptom
    advice: str
    advice_supported: _AdviceSupported
    all_territories: str
    # a verdict word bound to the topic named right before it, as a field and its value ("PERFUSION=abnormal",
    # "Perf abnl", "Perfusion: normal"): the concept each topic's verdict states, and the topic's words
    topic_verdict: dict[str, str] = {}
    # the ECG events of a stress test (a conduction block, an arrhythmia) by name, as a record or a text words them
    ecg_events: dict[str, str] = {}
    # an exercise capacity graded in words ("excellent exercise tolerance", "functional capacity was poor"), by grade
    exercise_capacity: dict[str, str] = {}


@dataclass(frozen=True, slots=True)
class Cues:
    features: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    feature_normal: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    lvef_category: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    quantities: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    history: re.Pattern[str]
    risk: re.Pattern[str]
    agent_not_given: re.Pattern[str]
    agent_not_given_after: re.Pattern[str]
    scope: re.Pattern[str]
    contrast: re.Pattern[str]
    modifier: re.Pattern[str]
    suggestion: re.Pattern[str]
    prior_clause: re.Pattern[str]
    better: re.Pattern[str]
    worse: re.Pattern[str]
    chest_pain: re.Pattern[str]
    no_symptoms: re.Pattern[str]
    symptom_history: re.Pattern[str]
    symptom_reported: re.Pattern[str]
    symptom_context: re.Pattern[str]
    symptom_exertional: re.Pattern[str]
    symptom_cause: re.Pattern[str]
    uneventful: re.Pattern[str]
    complication: re.Pattern[str]
    advice: re.Pattern[str]
    advice_supported: tuple[tuple[str, re.Pattern[str]], ...]
    all_territories: re.Pattern[str]
    comparison_context: re.Pattern[str]
    changed: re.Pattern[str]
    unchanged: re.Pattern[str]
    comparison_claim: re.Pattern[str]
    no_prior: re.Pattern[str]
    topic_verdict: tuple[tuple[str, re.Pattern[str]], ...] = ()
    artifact_reading: tuple[re.Pattern[str], ...] = ()
    ecg_events: tuple[tuple[str, re.Pattern[str]], ...] = ()
    exercise_capacity: tuple[tuple[str, re.Pattern[str]], ...] = ()


def _compile(rx: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(rx, re.I)
    except re.error as exc:
        raise ConfigError(f"cues.json: {where}: invalid regular expression: {exc}") from exc


@functools.cache
def cues() -> Cues:
    """The cue phrases of ``guardrails/resources/cues.json``, validated and compiled once."""
    path = resources.files("guardrails") / "resources" / "cues.json"
    try:
        data = CueFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValidationError, json.JSONDecodeError) as exc:
        raise ConfigError(f"guardrails cue file is invalid: {exc}") from exc

    def group(items: tuple[Any, ...], attr: str) -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
        return tuple(
            (getattr(i, attr), tuple(_compile(p, f"{attr}={getattr(i, attr)}") for p in i.patterns)) for i in items
        )

    c = data.comparison
    return Cues(
        features=group(data.features, "key"),
        feature_normal=tuple(
            (f.key, tuple(_compile(p, f"{f.key}.normal") for p in f.normal)) for f in data.features if f.normal
        ),
        lvef_category=group(data.lvef_category, "value"),
        quantities=group(data.quantities, "key"),
        history=_compile(data.not_a_claim.history, "history"),
        risk=_compile(data.not_a_claim.risk, "risk"),
        agent_not_given=_compile(data.not_a_claim.agent_not_given, "agent_not_given"),
        agent_not_given_after=_compile(data.not_a_claim.agent_not_given_after or r"(?!)", "agent_not_given_after"),
        scope=_compile(data.not_a_claim.scope, "scope"),
        contrast=_compile(data.not_a_claim.contrast, "contrast"),
        modifier=_compile(data.not_a_claim.modifier, "modifier"),
        suggestion=_compile(data.not_a_claim.suggestion, "suggestion"),
        prior_clause=_compile(c.prior_clause, "comparison.prior_clause"),
        better=_compile(c.better, "comparison.better"),
        worse=_compile(c.worse, "comparison.worse"),
        chest_pain=_compile(data.stress_symptom.chest_pain, "stress_symptom.chest_pain"),
        no_symptoms=_compile(data.stress_symptom.none, "stress_symptom.none"),
        symptom_history=_compile(data.stress_symptom.history, "stress_symptom.history"),
        symptom_reported=_compile(data.stress_symptom.reported, "stress_symptom.reported"),
        symptom_context=_compile(data.stress_symptom.context, "stress_symptom.context"),
        symptom_exertional=_compile(data.stress_symptom.exertional, "stress_symptom.exertional"),
        symptom_cause=_compile(data.stress_symptom.cause, "stress_symptom.cause"),
        uneventful=_compile(data.stress_symptom.uneventful, "stress_symptom.uneventful"),
        complication=_compile(data.stress_symptom.complication, "stress_symptom.complication"),
        advice=_compile(data.advice, "advice"),
        advice_supported=tuple(
            (when, _compile(rx, f"advice_supported.{when}")) for when, rx in data.advice_supported.model_dump().items()
        ),
        all_territories=_compile(data.all_territories, "all_territories"),
        comparison_context=_compile(c.context, "comparison.context"),
        changed=_compile(c.changed, "comparison.changed"),
        unchanged=_compile(c.unchanged, "comparison.unchanged"),
        comparison_claim=_compile(c.claim, "comparison.claim"),
        no_prior=_compile(c.no_prior, "comparison.no_prior"),
        topic_verdict=tuple((k, _compile(rx, f"topic_verdict.{k}")) for k, rx in data.topic_verdict.items()),
        artifact_reading=tuple(
            _compile(rx, "not_a_claim.artifact_reading") for rx in data.not_a_claim.artifact_reading
        ),
        ecg_events=tuple((k, _compile(rx, f"ecg_events.{k}")) for k, rx in data.ecg_events.items()),
        exercise_capacity=tuple(
            (k, _compile(rx, f"exercise_capacity.{k}")) for k, rx in data.exercise_capacity.items()
        ),
    )


# --- claims -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mention:
    """A concept of the extraction rules found in the text."""

    label: str
    value: str | None
    start: int
    end: int
    sent: int
    section: str | None
    negated: bool
    uncertain: bool


def _deny_disjuncts(text: str, mentions: list[Mention]) -> list[Mention]:
    """Each finding joined by "or" right after a denied finding of the same sentence, denied as well."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: m.start):
        before = out[-1] if out else None
        if (
            before is not None
            and m.label in _DENIED_DISJUNCT
            and before.label in _DENIED_DISJUNCT
            and before.negated
            and not m.negated
            and before.sent == m.sent
            and _OR_BETWEEN.fullmatch(text, before.end, m.start)
        ):
            m = dataclasses.replace(m, negated=True)
        out.append(m)
    return out


@dataclass(frozen=True, slots=True)
class NumberClaim:
    value: float
    decimals: int
    span: tuple[int, int]
    unit: str | None
    quantity: str | None
    phase: str | None
    territory: str | None
    sent: int
    section: str | None
    text_value: str = ""


@dataclass(frozen=True, slots=True)
class DefectClaim:
    """A perfusion defect (``kind='perfusion'``) or regional wall-motion abnormality (``'wall_motion'``)."""

    kind: str
    span: tuple[int, int]
    territories: tuple[str, ...]
    walls: tuple[str, ...]
    segments: tuple[int, ...]
    severities: tuple[str, ...]
    severity_spans: tuple[tuple[int, int], ...]
    extent: tuple[str, int, int] | None
    reversibility: tuple[str, int, int] | None
    certainty: str
    sent: int
    section: str | None
    trigger: str = "DEFECT"
    with_wall_motion: bool = False  # the sentence also states abnormal wall motion


@dataclass(frozen=True, slots=True)
class Statement:
    """A finding stated present or absent: ``concept`` (e.g. 'ischemia') with an optional value."""

    concept: str
    value: str | None
    present: bool
    uncertain: bool
    span: tuple[int, int]
    sent: int
    section: str | None


@dataclass(slots=True)
class Claims:
    text: str
    sentences: list[tuple[int, int]]
    mentions: list[Mention]
    numbers: list[NumberClaim] = field(default_factory=list)
    dates: list[tuple[str, tuple[int, int]]] = field(default_factory=list)
    defects: list[DefectClaim] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    has_sections: bool = False
    # what the text says the prior study showed ("compared with the normal study of ...", "the prior
    # showed an LVEF of 60%"): those claims are compared with the prior, not with this study
    prior_regions: list[tuple[int, int]] = field(default_factory=list)
    prior_defects: list[DefectClaim] = field(default_factory=list)
    prior_statements: list[Statement] = field(default_factory=list)

    def of(self, concept: str) -> list[Statement]:
        return [s for s in self.statements if s.concept == concept]

    def in_prior(self, pos: int) -> bool:
        # asked about a hundred times a text, most of which cites no prior: no generator for an empty list
        return bool(self.prior_regions) and any(a <= pos < b for a, b in self.prior_regions)

    def sentence_text(self, sent: int) -> str:
        a, b = self.sentences[sent]
        return self.text[a:b]


def _sent_index(bounds: list[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(bounds) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if bounds[mid][0] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return max(lo, 0)


def _section_at(doc: Doc, sections: list[tuple[int, int, str]], pos: int) -> str | None:
    for a, b, cat in sections:
        if a <= pos < b:
            return cat
    return None


def read_claims(text: str) -> Claims:
    """The claims of one text, read at once (the spaCy pipeline is built on first use).

    A report is read whole. Reading it section by section and remembering each section's claims (so
    that an edit re-reads only what it changed) was tried and dropped: a section's claims can depend
    on the text before it (in dev19 and dev29 a defect read in the whole report is not read in its
    section alone), and a verification must not depend on how the text was cut.
    """
    from extraction.pipeline import get_pipeline

    # a question that is only a field's label ("Risk? High.", "Calcium? Severe"): its answer is the field's value,
    # read as after a colon (a character of the same length keeps every span)
    text = _LABEL_ASKED.sub(r"\g<label>:", text) if "?" in text else text
    # registry keys ("GLOBAL_MFR=2.4", "LVEF_REST=62", "LVEF_rest=30"): the underscore joins the words of one label,
    # which the cue patterns' word boundaries would not see; a space of the same length keeps every span
    return claims_of_doc(get_pipeline()(_KEY_JOINER.sub(" ", text)))


# the question mark of a label question of a question-and-answer layout, at the start of a line or sentence, with its
# answer after it on the same line; not a question that asks with a verb ("Is the LV worse?", "Any ischaemia?")
_LABEL_ASKED = re.compile(
    r"(?P<label>(?:^|(?<=[.!])[ \t]+)[ \t]*"
    r"(?!(?:is|are|was|were|has|have|had|does|do|did|any|what|which|how|why|where|when|who|can|could|should|would|"
    r"will|need|needs|worse|better|changed?|new|same|prior|previous)\b)"
    # (an answer "Yes" or "No" keeps its question mark: "Progressed since 2024? No, stable" denies the question)
    r"[A-Za-z][\w/%-]*(?:[ \t]+[\w/%-]+){0,2})\?(?=[ \t]+(?!(?:yes|no|none|nil|negative)\b)\S)",
    re.I | re.M,
)


# (not before a vessel: "CAC_LAD: 160" keeps its territory as one key, which a label read alone would lose)
_KEY_JOINER = re.compile(r"(?<=[A-Za-z0-9])_(?=[A-Za-z])(?!(?:LAD|LCX|LCx|RCA|LM|LMCA|OM\d?|D\d|PDA|RI)\b)")


# a parenthesis right after what names the prior study, or after its date, is an aside on the prior ("compared
# with the SPECT of 20 March 2024 (inferior ischemia, SDS 7)", "the prior lateral scar (SRS 12)"), unless it
# speaks of this study ("the previously seen defect (SDS 2 now)")
_PRIOR_ASIDE = re.compile(
    r"(?:\s+(?:of|from|dated)\s+[^,;.()]{0,30}?)?\s*"
    # ... nor an aside that marks its prior value itself ("(SDS 14, previously 4)"): the unmarked value is this study's;
    # an aside that opens with the word of the past is the prior's whole ("(then a fixed defect, SSS 6)")
    r"\((?:\s*(?:then|previously|formerly|earlier|at that time)\b[^()]*"
    r"|(?![^()]*\b(?:now|current\w*|today|presently|at present|previously|formerly|then|before|earlier)\b)[^()]*)\)",
    re.I,
)


# a "when" clause in the past tense after the prior study or its date is what that study showed ("compared with
# March 2024, when the defect was reported as fixed, ..."; "worse than in 2023, when only a small defect was
# present"): up to the comma where the sentence comes back to this study
_WHEN_PRIOR = re.compile(
    r"\b(?:(?:19|20)\d\d|prior|previous|earlier|last)\b[^.;,]{0,30},\s*"
    r"(?P<clause>when\s+(?![^.;,]*\b(?:now|currently|today|at present)\b)[^.;,]*?\b(?:was|were|had)\b[^.;,]*)",
    re.I,
)


def _prior_regions(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` that say what the prior study showed: clauses that cite it (cut where a dated comparison's
    colon turns to what is new now), defects said to be gone, findings said to have gone since, and what a clause
    hanging on the prior ("..., which showed ...", "then seen") says."""
    said = _ended_clauses(text) + _prior_relative_clauses(text) + _on_earlier_study_clauses(text)
    gone = _gone_defects(text) if _GONE_HINT.search(text) else []  # "after stenting, the LAD ischaemia has resolved"
    if not gated(_MAY_CITE_PRIOR).search(text):  # the clause patterns are costly; most texts name no prior
        return gone + said
    out = []
    for m in finditer(cues().prior_clause, text, haystack(text)):  # only the alternatives whose words the text holds
        aside = _PRIOR_ASIDE.match(text, m.end())
        end = aside.end() if aside else m.end()
        # "when there was only a small defect (SDS 3), the defect is now larger": a clause in the present after a
        # comma speaks of this study again
        present = _PRESENT_CLAUSE.search(text, m.start(), end)
        out.append((m.start(), present.start() if present else end))
    out += [m.span("clause") for m in _WHEN_PRIOR.finditer(text)]
    out += gone
    return _current_after_colon(text, out) + said


# a finding said to have gone since the prior ("the lateral ischaemia seen then has quietly gone", "the ischaemia of
# March 2025 has, happily, not recurred"): it is what the prior showed, not a finding of this study (the words
# ConText negates, "resolved" and "no longer", are read there)
_GONE_SINCE_PRIOR = re.compile(
    r"\b(?:has|have|is|are)\s*(?:,\s*[\w ]{1,20},\s*|\s+\w+ly\s+)?"
    r"(?:gone|disappeared|cleared|vanished|not\s+(?:recurred|returned|reappeared))\b",
    re.I,
)
_ENDED_CLAUSE_START = re.compile(
    r".*(?:[.;:!?\n]|,\s+(?:and|but|while|whereas|although)\b|\b(?:but|while|whereas)\b)", re.I | re.S
)


def _ended_clauses(text: str) -> list[tuple[int, int]]:
    """The clauses whose finding the text says has gone since the prior, up to the words that say it."""
    out = []
    for m in _GONE_SINCE_PRIOR.finditer(text):
        lead = _ENDED_CLAUSE_START.match(text, max(0, m.start() - 200), m.start())
        out.append((lead.end() if lead else max(0, m.start() - 200), m.start()))
    return out


# a month's name or its abbreviation, with its full stop ("Mar.", "March")
MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# what the prior showed in a clause that hangs on it: "Unlike the 2023 study, which showed only a small fixed
# inferior defect, ...", "the mild inferior ischaemia then seen has progressed ..."
_WHICH_SHOWED = re.compile(
    r"\b(?:(?:the|that|his|her)\s+)(?:(?:prior|previous|earlier|last|first|(?:(?:\d{1,2}\s+)?"
    + MONTH_WORD
    + r",?\s+(?:\d{1,2},?\s+)?)?(?:19|20)\d\d"
    r"|\d{1,2}/\d{2,4})\s+)"
    r"(?:[\w-]+\s+){0,2}?(?:study|scan|SPECT|PET|report|test)\b[^,;.]{0,30}?,?\s*"
    r"(?P<clause>(?:which|that)\s+(?:showed|demonstrated|revealed|had|described)\b[^,;.]*)",
    re.I,
)
# the date of an earlier study, or that study named ("March 2024", "3/24", "the prior scan", "the 2023 SPECT")
EARLIER_DATE = rf"(?:(?:\d{{1,2}}\s+)?{MONTH_WORD}\s+)?(?:19|20)\d\d\b"
_EARLIER_STUDY = (
    rf"(?:{EARLIER_DATE}|\d{{1,2}}/(?:\d{{1,2}}/)?\d{{2,4}}\b"
    rf"|(?:(?:the|that|his|her)\s+)?(?:prior|previous|earlier|last|first|index|baseline|{EARLIER_DATE})\s+"
    r"(?:[\w-]+\s+)?(?:study|scan|SPECT|PET|report|test|images?)\b)"
)
# a finding's noun in a report's words or in a letter's plain words, as the claim reader takes them (wording.json:
# "the narrowing", "the area of reduced blood flow")
_FINDING_NOUN = (
    r"(?:defects?|isch\w*|scar|infarct\w*|abnormalit\w*|narrowing|blockage"
    r"|(?:area|region|patch)\s+of\s+(?:reduced|decreased|poor|poorer)\s+blood\s+(?:flow|supply))"
)
_THEN_SEEN = re.compile(
    rf"\b(?:the|an?)\s+(?:[\w/-]+\s+){{0,5}}?{_FINDING_NOUN}\s+"
    r"(?:then\s+(?:seen|noted|shown|present|described|reported)\b"
    # ... or dated ("the small apical ischaemia of October 2024 has extended")
    rf"|of\s+{EARLIER_DATE})",
    re.I,
)
# the place a finding lay in, after its noun ("at the front of the heart", "in the inferior wall"), and the words
# that date it to an earlier study ("seen in March 2024", "described on the prior scan", "then seen")
_PLACE = (
    r"(?:in|at|on|of|over|along)\s+(?:the\s+)?(?:[\w-]+\s+){0,4}?"
    r"(?:walls?|territory|territories|apex|septum|heart|segments?|LAD|LCx|RCA)\b"
)
_SHOWN_THEN = (
    r"(?:then\s+)?(?:seen|noted|shown|present|described|reported|documented|demonstrated)\s+"
    rf"(?:(?:on|in|at)\s+{_EARLIER_STUDY}|previously\b|then\b|last\s+(?:time|year)\b)"
)
# a relative clause in the past tense that dates itself to an earlier study ("..., which was small last year, has
# become larger", "..., which was then confined to the apex, ..."): what that study showed, up to its comma; not one
# that says the finding is there now as well, or was not there then ("which was already evident on 03/12/2024",
# "which was not seen on the prior scan": the comparison's claim)
_WHICH_WAS = re.compile(
    r",\s*(?P<clause>(?:which|that)\s+(?:was|were|had\s+been)\b"
    rf"(?=[^,;.]*\b(?:then|previously|before|at\s+that\s+time|last\s+(?:time|year)|(?:on|in|at)\s+{_EARLIER_STUDY}))"
    r"(?![^,;.]*\b(?:now|currently|today|at\s+present|already|also|still|again|too|not|never)\b)[^,;.]*)",
    re.I,
)
# "The 2023 study was normal": what a dated study showed
_DATED_STUDY_WAS = re.compile(
    # the date by its year, or a month and year ("The May 2022 study was normal", "the 10 May 2022 scan showed")
    r"\b(?:the|that|his|her)\s+(?:(?:\d{1,2}\s+)?" + MONTH_WORD + r",?\s+"
    r"(?:\d{1,2},?\s+)?)?(?:(?:19|20)\d\d|\d{1,2}/\d{2,4})\s+(?:study|scan|SPECT|PET|report|test)\s+"
    # ... and the patient or place it was of, between the study and its verb ("the 2023 PET in this patient had")
    r"(?:(?:in|of|on|for|at)\s+(?:this|that|the|his|her|our|an?)\s+[\w/-]+(?:\s+[\w/-]+){0,2}?\s+)?"
    r"(?:was|showed|demonstrated|had|revealed)\b[^.;,]*",
    re.I,
)

# a finding placed on an earlier study by where it was seen ("Normal perfusion on the November 2024 study, so ...",
# "perfusion was normal on the previous scan", "a small fixed defect in the 2023 SPECT"): the clause up to the study
# says what that study showed; not where it says something of now ("new ischaemia, not seen on the 2024 study") or
# denies something
_ON_EARLIER_STUDY = re.compile(
    rf"\b(?:on|in|at)\s+(?:the|that|his|her|their|your)\s+(?:prior|previous|earlier|last|first|index|baseline"
    rf"|{EARLIER_DATE}|\d{{1,2}}/(?:\d{{1,2}}/)?\d{{2,4}})\s+(?:[\w-]+\s+)?(?:study|scan|SPECT|PET|MPI|test|images?)\b"
    rf"(?:\s+(?:of|from|dated|in)\s+{EARLIER_DATE})?",
    re.I,
)
_ON_EARLIER_CLAUSE_START = re.compile(
    r".*(?:[.;:!?\n(,]|\b(?:but|while|whereas|and)\b"
    r"|^\s*\(?\d{1,2}[.)])",
    re.I | re.S,
)
_NOT_OF_EARLIER = re.compile(
    r"\b(?:new|newly|now|currently|today|present|still|again|not|no\s+longer|never|unlike|compared|versus|vs|than"
    r"|since|seen|noted|shown|described|reported|documented|demonstrated|is|are|has|have|remains?|persist\w*|this"
    r"|current|there|as|like|similar|same|unchanged|also|both|either|already|evident|visible|apparent"
    # (nor a denial, which the negation reader scopes to the earlier study itself: "the defect was absent on the 2023
    # study")
    r"|no|absent|absence|without|none|nor|free)\b",
    re.I,
)


def _on_earlier_study_clauses(text: str) -> list[tuple[int, int]]:
    """The clauses that place a finding on an earlier study, from the clause's start to the study that shows it."""
    out = []
    for m in _ON_EARLIER_STUDY.finditer(text):
        lead = _ON_EARLIER_CLAUSE_START.match(text, max(0, m.start() - 120), m.start())
        start = lead.end() if lead else max(0, m.start() - 120)
        clause = text[start : m.start()]
        if clause.strip() and not _NOT_OF_EARLIER.search(clause):
            out.append((start, m.end()))
    return out


# a defect said to be gone now ("the reversible anterior defect (SDS 11) is now almost gone", "the LAD ischaemia
# has largely resolved"): the prior study's defect, which this study no longer shows (not one that fills in at
# rest, nor an artifact gone on other images)
_GONE_DEFECT = re.compile(
    r"(?P<subject>\b(?:the|a|an|its)\s+(?:(?!(?:is|are|was|were|has|have|but|while|whereas|persists?|remains?)\b)"
    rf"[\w/,-]+\s+){{0,6}}?(?:{_FINDING_NOUN})\b(?:\s*\([^()]*\))?"
    # ... with the place it lay in and the study that showed it after it ("the narrowing at the front of the heart
    # seen in March 2024 no longer shows")
    rf"(?:\s+{_PLACE})?(?:\s+{_SHOWN_THEN})?)\s+"
    r"(?:(?:is|are|has|have)\s+)?(?:now\s+)?(?:(?:almost|nearly|largely|essentially|virtually|practically|"
    r"completely|entirely|all but|mostly|since)\s+)?"
    r"(?:gone|resolved|disappeared|vanished|no longer (?:seen|present|visible|evident|shows?|appears?))\b"
    r"(?!\s+(?:at|on|with|in|after|by)\s+(?:the\s+)?(?:rest|redistribution|attenuation|prone|AC|delayed|upright)\b)",
    re.I,
)
_GONE_HINT = re.compile(r"gone|resolved|disappeared|vanished|no longer", re.I)
_GONE_SINCE = re.compile(
    r"\b(?:compar\w*|prior|previous\w*|earlier|since|before|now|no longer|after|versus|vs|relative to|against|than|"
    r"baseline|pre-?\w+|(?:19|20)\d\d|has|have|PCI|stent\w*|revasculari[sz]\w*|CABG)\b",
    re.I,
)


def _gone_defects(text: str) -> list[tuple[int, int]]:
    """The spans of defects a comparison says are gone (their sentence compares with a prior, or "now" says so): the
    defect as the prior showed it, not the words saying it is gone (this study's)."""
    out = []
    for m in _GONE_DEFECT.finditer(text):
        start = max(text.rfind(ch, 0, m.start()) for ch in ".\n") + 1
        if _GONE_SINCE.search(text, start, m.end()):
            out.append(m.span("subject"))
    return out


def _prior_relative_clauses(text: str) -> list[tuple[int, int]]:
    """What a relative clause on the prior study ("..., which showed ...") or a finding "then seen" says."""
    low = text.lower()
    if not any(w in low for w in ("which", "that", "then", "19", "20")):  # most texts: none of these
        return []
    return (
        [m.span("clause") for m in _WHICH_SHOWED.finditer(text)]
        + [m.span() for m in _THEN_SEEN.finditer(text)]
        + [m.span("clause") for m in _WHICH_WAS.finditer(text)]
        + [m.span() for m in _DATED_STUDY_WAS.finditer(text)]
    )


# "Compared with 08/2024: new lateral ischaemia (LCx)": after the colon of a dated comparison, a finding called new
# (or "now", "interval") is this study's, not what the prior showed
_COLON_LEAD = re.compile(r"(?:vs\.?|versus|compared\s+(?:with|to)|cf\.?)\b[^:.;]*:\s*", re.I)
_CURRENT_AFTER = re.compile(r"(?:(?:a|an|the|there\s+is|there\s+are)\s+)?(?:new|newly|now|interval)\b", re.I)


def _current_after_colon(text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Prior regions cut at the colon of a dated comparison whose next words say what is new now."""
    out = []
    for a, b in regions:
        lead = _COLON_LEAD.match(text, a, b)
        if lead and _CURRENT_AFTER.match(text, lead.end(), b):
            b = lead.end()
        # ... and at a listed item that says it is new ("COMPARISON: May 2023 study, inferior scar unchanged, new LAD
        # defect"): a new finding is this study's, not the prior's
        elif item := _NEW_ITEM.search(text, a, b):
            b = item.start()
        # ... and at the end of its line where the prior is one field of a keyed list ("PRIOR 2022-10-27: fixed
        # inferior\nCHANGE: new LCx ischaemia\nRISK: high"): the next key is a field of this study (a key whose value
        # begins on the next line, "PRIOR:\n...", keeps its block)
        line_end = text.find("\n", a, b)
        if line_end != -1 and _VALUE_ON_LINE.search(text, a, line_end) and _KEY_LINE.match(text, line_end):
            b = line_end
        out.append((a, b))
    return out


_VALUE_ON_LINE = re.compile(r"[:=][ \t]*[^\s:=]")
_KEY_LINE = re.compile(r"\n[ \t]*[A-Za-z][\w /().-]{0,30}?[ \t]*[:=]")


_NEW_ITEM = re.compile(
    r"[,;]\s*(?:(?:and|with|plus)\s+)?(?:(?:a|an|the|there\s+is|there\s+are)\s+)?(?:new|newly)\b", re.I
)


_PRESENT_CLAUSE = re.compile(
    r",\s+(?:and\s+|but\s+|while\s+|whereas\s+)?(?:the|there|this|these|it|he|she|they)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:is|are|shows?|has|have|demonstrates|reveals|now|currently|today)\b"
    # ... or whose subject is this study by its day ("..., today's PET clarifies ...", ", the current study ...")
    r"|,\s+(?:and\s+|but\s+|while\s+|whereas\s+)?(?:today['\u2019]s|the\s+current|this\s+(?:study|scan|test|PET|SPECT))\b",
    re.I,
)


def _join_in_parentheses(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences rejoined where the parser cut inside parentheses ("(1.06 mL/min/g; MFR 1.10)" is one aside of
    its sentence: its values keep the sentence's territory); a parenthesis left open joins nothing."""
    if "(" not in text:
        return bounds
    out = [bounds[0]]
    for a, b in bounds[1:]:
        depth = text.count("(", out[-1][0], a) - text.count(")", out[-1][0], a)
        if depth > 0 and ")" in text[a:b]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


# a field of a defect's record after a semicolon ("DEFECT 1: RCA; walls inferior; severity severe; extent large;
# reversibility fixed"): the same defect, which the parser cut into sentences at each semicolon
_RECORD_FIELD = re.compile(
    r"[ \t]*(?:walls?|locations?|territor(?:y|ies)|segments?|severity|grade|extent|size|reversib\w*|type)\b"
    r"[ \t]*:?[ \t]*[\w-]",
    re.I,
)


# the name of a record's field, not its value ("reversibility fixed", "Reversibility: partial")
_FIELD_NAME_REVERSIBILITY = re.compile(r"reversibility", re.I)
_FIELD_VALUE_AFTER = re.compile(
    r"[ \t]*:?[ \t]*(?:fixed|reversible|partial\w*|complete\w*|none|mixed|full\w*|absent|present)\b", re.I
)


_RECORD_HEAD = re.compile(r"\s*(?:\d{1,2}[.)]\s*)?[A-Za-z][\w /-]{0,30}:", re.I)
_FIELD_DENIED = re.compile(r"\b(?:not|no|none|unknown|n/a)\b", re.I)


def _join_record_fields(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences rejoined where the parser cut a one-line defect record at its semicolons (see _RECORD_FIELD)."""
    if ";" not in text:
        return bounds
    out = [bounds[0]]
    for a, b in bounds[1:]:
        gap = text[out[-1][0] : a].rstrip()
        if (
            gap.endswith(";")
            and "\n" not in text[out[-1][1] : a]
            and _RECORD_HEAD.match(text, out[-1][0], out[-1][1])  # "DEFECT 1: RCA;", not a sentence of prose
            and _RECORD_FIELD.match(text, a, b)
            and not _FIELD_DENIED.search(text, a, b)  # "; reversibility not assessed": a remark of its own
        ):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _join_key_values(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences rejoined where the parser cut a registry field at its equals sign ("ECG_RESPONSE=" | "ischemic"):
    the value is read with its key."""
    if "=" not in text:
        return bounds
    out = [bounds[0]]
    for a, b in bounds[1:]:
        if text[out[-1][0] : a].rstrip().endswith("=") and "\n" not in text[out[-1][1] : a]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


# a question that is only a field's label ("Scar?", "LVEF?", "Stress adequate?", "Worse than 2024?"): its answer
# follows as a sentence of its own
_LABEL_QUESTION = re.compile(r"\s*(?:[\w/%-]+\s+){0,3}[\w/%-]+\?\s*")


# an answer "Yes" that goes on to state its finding in words of its own ("Yes - a reversible lateral defect, already
# present in 2024"): a sentence of its own, whose words are not the question's (a comparison word of each is read),
_YES_AND_MORE = re.compile(r"\s*yes\b\s*(?:[-\u2013\u2014:,;]\s*)?(?=\w)", re.I)
# ... after a question asked with a verb ("Is there new ischaemia?"), not a field's label ("Reversible ischaemia?"),
# whose answer goes on with the label's subject
_ASKED_WITH_VERB = re.compile(r"\s*(?:is|are|was|were|has|have|had|does|do|did)\b", re.I)


def _join_label_questions(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences rejoined where a question and answer layout puts a label and its value apart ("LVEF?" | "50% at
    rest"): the answer is read with its label, as after a colon."""
    if "?" not in text:
        return bounds
    out = [bounds[0]]
    for a, b in bounds[1:]:
        p0, p1 = out[-1]
        if (
            _LABEL_QUESTION.fullmatch(text, p0, a)
            and "\n" not in text[p1:a]
            and not (_ASKED_WITH_VERB.match(text, p0) and _YES_AND_MORE.match(text, a, b))
        ):
            out[-1] = (p0, b)
        else:
            out.append((a, b))
    return out


# a clause with its own subject and verb after a comma, where a run-on sentence goes on to another finding
_NEW_CLAUSE = re.compile(
    r",\s+(?:and\s+|but\s+|while\s+|whereas\s+)?(?:the|there|this|these|it|he|she|they)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:is|are|was|were|shows?|showed|demonstrat\w*|reveal\w*|has|have|had)\b",
    re.I,
)


# a rhythm or conduction event of the test ("atrial fibrillation", "NSVT", "a transient LBBB")
_RHYTHM_EVENT = (
    r"atrial\s+(?:fibrillation|flutter)|\bA-?fib\b|\bAFL?\b|arrhythmi\w*|tachycardia|\b(?:NS|S)?VT\b|ectop\w*|"
    r"\b[PV]VCs?\b|\bVPBs?\b|bigeminy|(?:bundle[- ]branch|AV|atrio-?ventricular|heart)\s+block|\b[LR]BBB\b"
)
# a change word of the patient's symptoms ("progressive dyspnea", "worsening chest pain", "new symptoms"), or of a
# rhythm or conduction event ("new-onset atrial fibrillation", "a new LBBB during the infusion"): the history or this
# test's own events, not a comparison of studies
_SYMPTOM_AFTER = re.compile(
    r"(?:\s+|-)(?:[\w-]+\s+){0,2}?(?:dyspn\w*|symptoms?|angina\w*|chest (?:pain|pressure|tightness|discomfort)|"
    rf"shortness of breath|breathlessness|fatigue|claudication|palpitations?|{_RHYTHM_EVENT})\b",
    re.I,
)
# ... the event as the subject of the change word ("the AF, which had resolved before imaging")
_RHYTHM_EVENT_BEFORE = re.compile(
    rf"(?:{_RHYTHM_EVENT})\s*,?\s+(?:(?:which|that|had|has|have|then|quickly|spontaneously|\w+ly)\s+){{0,3}}$", re.I
)


# the ECG during this test ("ECG unchanged", "no change in the ST segments"): not a comparison of studies
_ECG_SUBJECT_BEFORE = re.compile(
    # ... or a heading's field ("ST: no change", "ECG - unchanged")
    r"\b(?:ECG|EKG|electrocardiogram|ST[- ]segments?|ST|tracing|leads)(?:\s+|\s*[:=\u2013-]\s*)"
    r"(?:was\s+|were\s+|is\s+|remained\s+|stayed\s+)?$",
    re.I,
)
_ECG_SUBJECT_AFTER = re.compile(
    r"\s+(?:in|on|of)\s+(?:the\s+)?(?:ECG|EKG|ST\b|electrocardiogram|(?:[\w-]+\s+){0,2}?leads\b)", re.I
)
# ... or a later item of the ECG's heading field ("ECG: baseline NS ST-T, no change", "ECG - LBBB, unchanged"), where
# no earlier study follows the change word ("no change from 2023"; "from baseline" is this test's own)
_ECG_FIELD_ITEM_BEFORE = re.compile(
    r"(?:^|[\n|;.])\s*(?:ECG|EKG|ST(?:[- ]segments?)?)\s*[:=\u2013-]\s*[^.:;|\n]{1,60}?,\s*"
    r"(?:and\s+|but\s+|otherwise\s+)?$",
    re.I,
)
_FIELD_HEADING_ONLY = re.compile(r"[A-Za-z][\w /-]{0,20}[:=]")
_EARLIER_STUDY_AFTER = re.compile(
    r"\s+(?:from|since|vs\.?|versus|compared|relative|as\s+(?:on|in|before))\b(?!\s+(?:the\s+|his\s+|her\s+)?baseline\b)",
    re.I,
)


# a change within this test: of its blood pressure or heart rate ("his blood pressure dropped from 146 to 138"),
# or from its rest images to its stress images ("the ejection fraction falls from 54% at rest to 46%")
_TEST_SUBJECT_BEFORE = re.compile(
    r"\b(?:blood pressure|BP|SBP|DBP|systolic(?:\s+(?:blood\s+)?pressure)?|heart rate|HR|pulse)\s+(?:\w+\s+)?$", re.I
)
_FROM_REST_AFTER = re.compile(r"\s*\d+(?:\.\d+)?\s*%?\s*(?:at\s+)?(?:rest|baseline)\b", re.I)


def _not_of_studies(sentence: str, h: re.Match[str], heading: str = "") -> bool:
    """A change word of the symptoms, of this test's ECG, rhythm or haemodynamics, or from this study's rest images to
    its stress images: not of this study against a prior. ``heading``: the field heading the sentencizer cut off
    before the sentence ("ECG:" | "baseline NS ST-T, no change."), read with it."""
    field = heading + " " + sentence[: h.start()] if heading else sentence[: h.start()]
    return bool(
        _SYMPTOM_AFTER.match(sentence, h.end())
        or _RHYTHM_EVENT_BEFORE.search(sentence, max(0, h.start() - 60), h.start())
        or _ECG_SUBJECT_BEFORE.search(sentence, 0, h.start())
        or _ECG_SUBJECT_AFTER.match(sentence, h.end())
        or (_ECG_FIELD_ITEM_BEFORE.search(field) and not _EARLIER_STUDY_AFTER.match(sentence, h.end()))
        or _TEST_SUBJECT_BEFORE.search(sentence, max(0, h.start() - 40), h.start())
        or (h.group(0).lower().endswith("from") and _FROM_REST_AFTER.match(sentence, h.end()))
        or _ON_REST_IMAGES_AFTER.match(sentence, h.end())
    )


# "a defect largely unchanged at rest", "similar on the redistribution images": this study's rest images against
# its stress images (a fixed defect), not a comparison with a prior study
_ON_REST_IMAGES_AFTER = re.compile(
    r"\s+(?:(?:at|on|in|with)\s+(?:the\s+)?(?:rest|resting|redistribution|delayed)\b(?!\s+(?:ECG|EKG|heart|HR|BP))|"
    r"(?:between|from)\s+(?:the\s+)?stress\s+(?:images?\s+)?(?:and|to)\s+(?:the\s+)?rest\b)",
    re.I,
)


# "vs"/"versus" before a study's date: a comparison, not the "X vs Y" of a differential
_VS_DATE = re.compile(
    r"(?:vs\.?|versus)\s+(?:the\s+)?(?:prior\s+|previous\s+)?(?:study\s+|scan\s+|SPECT\s+|PET\s+)?(?:of\s+)?\(?"
    r"(?:\d{1,2}/(?:\d{1,2}/)?\d{2,4}|(?:19|20)\d\d\b|[A-Z][a-z]+\s+(?:19|20)\d\d\b)",
    re.I,
)
# what joins the items of a denied list ("no ischemia, infarction or TID")
_LIST_JOINER = re.compile(r"[,;/&]|\b(?:or|nor|and|neither|either)\b", re.I)
# a value a concept states for itself in run-on dictation ("calcium score zero", "TID 1.00")
_OWN_VALUE_GAP = re.compile(
    r"\s*(?:\d+(?:\.\d+)?\s*%?|zero|none|nil|normal|negative|positive|wnl|preserved|absent)\s*", re.I
)


# a list whose items each carry their own negation ("no defect, no ischaemia, no necrosis"): the negation's own item
# ends at the next comma, and the item after the one read says "no" again
_OWN_NEGATION_ITEMS = re.compile(
    r"[^,;.:]*,\s*(?:(?!(?:no|not|nor|without|neither|or|and|free|absent|negative)\b)[\w/-]+\s+){0,3}", re.I
)
_NEXT_ITEM_NEGATED = re.compile(r"[^,;.:]{0,40}?,\s*(?:and\s+|but\s+)?(?:no|without|nor)\b", re.I)


# an arrow of shorthand ("no ST changes -> low risk"): "leads to", "so", a clause of its own
_ARROW = re.compile(r"->|=>|\u2192|\u21d2")


# A negation set off from what it denies by an aside in commas ("Not, in my view, a high-risk result"; "no, to my
# eye, reversible defect"), which the ConText scope stops at
# "negative for" abbreviated in shorthand notes ("ECG -ve for ischaemia", "stress ECG neg. for ischemia")
# a name warned against: a prohibition, then a verb of naming or reading with the study as its object ("do not let
# the EF talk anyone into calling this ischemic", "never read this as scar", "don't label it an infarct")
_NAMING_FORBIDDEN_BEFORE = re.compile(
    r"(?:\b(?:do\s+not|never|nobody|no\s+one|no\s+reason\s+to|avoid)\b|\bdon'?t\b|n't\b)[^.;:]{0,60}?"
    r"\b(?:call(?:ing)?|label(?:l?ing)?|read(?:ing)?|interpret(?:ing)?|diagnos(?:e|ing)|classify(?:ing)?)\s+"
    r"(?:this|it|the\s+(?:study|scan|images?|cardiomyopathy|defect|finding))\s+(?:as\s+)?(?:an?\s+)?$",
    re.I,
)
# a reading offered only to be argued with ("it is tempting to call the defect attenuation; I disagree", "some would
# read this as artefact, but that is wrong"): denied by the reader's answer right after it (the reading offered is
# the word the answer follows, not the finding it was offered for)
_CALL_OFFERED_BEFORE = re.compile(
    r"\b(?:tempting|easy|possible|one\s+(?:might|could|may)|some\s+(?:might|would|may|could)|others?\s+(?:might|would|"
    r"may|could|have))\s+(?:[\w-]+\s+){0,2}?(?:call|label|read|dismiss|attribute|put\s+down|write\s+off|report)\b"
    r"[^.;:?!]{0,60}$",
    re.I,
)
_CALL_REJECTED_AFTER = re.compile(
    r"\s*[;,.:\u2013\u2014-]?\s*(?:but\s+|however,?\s+)?(?:(?:I|we)\s+(?:(?:would|strongly)\s+)?"
    r"(?:disagree|do\s+not\s+agree|don'?t\s+agree)|(?:that|this|it)\s+(?:is|would\s+be)\s+(?:wrong|incorrect|a\s+mistake"
    r"|an?\s+error))\b",
    re.I,
)
# an artifact denied as the cause of a finding ("apical hypokinesis, which attenuation does not cause", "attenuation
# cannot explain the wall motion")
_CAUSE_DENIED_AFTER = re.compile(
    r"\s+(?:(?:does|do|did|would|could|can|will)\s+not|doesn'?t|don'?t|didn'?t|wouldn'?t|couldn'?t|cannot|can'?t|won'?t)"
    r"\s+(?:[\w-]+\s+)?(?:cause|explain|produce|account\s+for|create|give|mimic)\b",
    re.I,
)
# an AV block named with its degree: complete (third), second (Mobitz I or II, Wenckebach) or first
AV_BLOCK_DEGREE = re.compile(
    r"\b(?:(?P<third>complete|third[- ]degree|3rd[- ]degree)\s+(?:A-?V\s+|atrioventricular\s+|heart\s+)?block\b|CHB\b)"
    r"|\b(?:(?P<second>second[- ]degree|2nd[- ]degree)\s+(?:A-?V\s+|atrioventricular\s+|heart\s+)?block\b|Mobitz\b"
    r"|Wenckebach\b)"
    r"|\b(?P<first>first[- ]degree|1st[- ]degree)\s+(?:A-?V\s+|atrioventricular\s+|heart\s+)?block\b",
    re.I,
)


def av_block_degree(hit: re.Match[str]) -> str:
    """The degree an :data:`AV_BLOCK_DEGREE` match names."""
    if hit.group("third") or hit.group(0).upper() == "CHB":
        return "third"
    return "first" if hit.group("first") else "second"


# the marker of an answer in a question-and-answer layout ("Q: Scar? A: None"), which the answer's words follow
_ANSWER_MARK = r"(?:(?:A|Ans(?:wer)?)[ \t]*[:.)\u2013-][ \t]*)?"
# a field's label answered by a denial alone ("Scar: none.", "Infarct? No (SRS 0)", "Ischaemia - nil;",
# "Scar? A: None;", "Infarct? Not seen.")
_FIELD_ANSWERED_NO = re.compile(
    rf"[ \t]*(?:[:?=]|[ \t][\u2013\u2014-])[ \t]*{_ANSWER_MARK}"
    r"(?:no|none|nil|absent|negative|neg|not[ \t]+(?:seen|present))\b\.?(?=[ \t]*(?:[.,;()\n]|$))",
    re.I,
)
# ... or the label's question answered "No" ("Worse than 2024? No, unchanged": the answer denies the question's words)
_QUESTION_ANSWERED_NO = re.compile(rf"[^.?!;:\n]{{0,40}}\?[ \t]*{_ANSWER_MARK}(?:no|none|nil|negative)\b", re.I)
# the answer "No" of a question, set off by its punctuation ("? No, ...")
_ANSWER_NO = re.compile(rf"\?[ \t]*{_ANSWER_MARK}no[ \t]*[,;:.]", re.I)


def _answers_question(text: str, at: int) -> bool:
    """The word "No" at ``at`` is the answer of the question right before it ("? No,", "? A: No.")."""
    q = text.rfind("?", max(0, at - 12), at)
    hit = _ANSWER_NO.match(text, q) if q >= 0 else None
    return hit is not None and hit.end() > at


_SHORTHAND_NEGATIVE = re.compile(r"(?:(?<![\w+])-\s?ve\b|\bneg\b\.?)\s*(?:for|re|wrt)\s+(?:[\w-]+\s+){0,2}$", re.I)
# ECG lead groups named together ("inferior and lateral leads", "inferior/lateral ECG leads"; AHA-ECG-2009)
_LEAD_GROUP_WORD = (
    r"(?:inferior|lateral|high\s+lateral|septal|anterior|anteroseptal|anterolateral|inferolateral|precordial|limb)"
)
_ECG_LEAD_GROUPS = re.compile(
    rf"\b{_LEAD_GROUP_WORD}(?:\s*(?:,|/|&|\band\b|\bor\b)\s*{_LEAD_GROUP_WORD})+\s+(?:ECG\s+|EKG\s+)?leads\b",
    re.I,
)
# a wall word that places an ST deviation names its ECG leads, not a wall of the LV: "ST depression laterally",
# "1 mm of ST depression inferolaterally", "lateral ST depression" (AHA-ECG-2009 names lead groups by wall)
_ST_DEVIATION = r"ST(?:[\s-]+segment)?\s+(?:depressions?|elevations?|deviations?|changes?|shifts?)"
_ST_PLACED_BY_WALL = re.compile(
    rf"\b(?P<before>{_LEAD_GROUP_WORD})\s+{_ST_DEVIATION}\b|\b{_ST_DEVIATION}\s+(?P<after>[a-z]+ly)\b", re.I
)
# a finding joined by "or" to a denied one is denied with it: "no areas that are short of blood or scarred", "no
# ischaemia or infarction" (a denial distributes over a disjunction), where the ConText scope stops short of it
_DENIED_DISJUNCT = frozenset({"DEFECT", "ISCHEMIA", "INFARCTION"})
_OR_BETWEEN = re.compile(r"\s*,?\s*(?:or|nor)\s+(?:(?:any|a|an)\s+)?", re.I)
_NEGATED_THROUGH_ASIDE = re.compile(
    r"\b(?:not|no)\s*,\s*(?:[\w'’]+\s+){0,4}[\w'’]+\s*,\s*(?:(?:a|an|the|this|that|any)\s+)?$", re.I
)


def _box_reading(doc: Doc, span: Span, unchecked: list[tuple[int, int]], denied: set[int]) -> bool:
    """Whether a concept is read where checkbox items stand: outside an unchecked item yes; inside one only a concept of
    polarity, which the empty box denies (its start added to ``denied``), unless the item's words deny it already
    ("[ ] No ischemia  [x] Ischemia": an empty box over a denial denies nothing)."""
    from extraction.assemble import ITEM_DENIALS
    from extraction.pipeline import load_wording

    item = next(((a, b) for a, b in unchecked if a <= span.start_char < b), None)
    if item is None:
        return True
    boxes = load_wording().checkboxes
    if boxes is None or span.label_ not in boxes.polarity_labels:
        return False
    t = span.start - 1
    while t >= 0 and doc[t].idx >= item[0]:
        if doc[t].lower_ in ITEM_DENIALS:
            return False
        t -= 1
    denied.add(span.start_char)
    return True


def claims_of_doc(doc: Doc, prior_regions: list[tuple[int, int]] | None = None) -> Claims:
    """The claims of a Doc processed by the extraction pipeline (``prior_regions``: given, else found here)."""
    from extraction.pipeline import SPAN_GROUP, checkboxes, doc_text

    text = doc_text(doc)  # kept by the tokenizer; Doc.text joins every token's text on each read
    bounds = _join_in_parentheses(text, [(s.start_char, s.end_char) for s in doc.sents] or [(0, len(text))])
    bounds = _join_record_fields(text, bounds)
    bounds = _join_key_values(text, bounds)
    bounds = _join_label_questions(text, bounds)
    sections: list[tuple[int, int, str]] = []
    for sec in doc._.sections:
        if sec.body_end > sec.body_start or sec.title_start is not None:
            a = doc[sec.title_start].idx if sec.title_start is not None else doc[sec.body_start].idx
            b = doc[sec.body_end - 1].idx + len(doc[sec.body_end - 1]) if sec.body_end > 0 else len(text)
            if sec.category:
                sections.append((a, b, str(sec.category)))
    mentions: list[Mention] = []
    spans = list(doc.spans.get(SPAN_GROUP, []))
    # a checkbox template states what its checked boxes say: an unchecked box's item ("[ ] Exercise") states nothing,
    # but a concept of polarity its empty box denies ("[ ] Ischaemia": no ischaemia), as the structuring reads it
    # (extraction.pipeline.checkbox_view, extraction.assemble; the text read here has the item blank already, the
    # concepts made from the tokens not)
    denied_by_box: set[int] = set()
    if unchecked := [(a, b) for a, b, checked in checkboxes(doc) if not checked]:
        spans = [sp for sp in spans if _box_reading(doc, sp, unchecked, denied_by_box)]
    finding_starts = [sp.start for sp in spans if sp.label_ not in _TEST_LABELS]
    for span in spans:
        cats = set()
        ext = span._  # one Underscore object per span (each "span._" makes a new one)
        for mod in ext.modifiers:
            a, b = mod.modifier_span
            lo, hi = (b, span.start) if b <= span.start else (span.end, a)
            if mod.category == "NEGATED_EXISTENCE" and any(t.text in (":", ";") for t in doc[lo:hi]):
                continue  # "no ischemic ST changes: a nonischemic response" -- a negation ends at its clause
            if (
                mod.category == "NEGATED_EXISTENCE"
                and b <= span.start
                and b - a == 1
                and a > 0
                and _answers_question(text, doc[a].idx)
            ):
                # "Worse than 2024? No, unchanged", "Q: Infarct? A: No.": the "No" answers the question before it
                continue
            if (
                mod.category == "NEGATED_EXISTENCE"
                and lo < hi
                and _ARROW.search(text, doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1]))
            ):
                continue  # "no CP, no ST changes -> DTS +9 (low risk)": an arrow ("leads to") ends the negated clause
            if (
                mod.category == "NEGATED_EXISTENCE"
                and span.label_ in _VALUED_LABELS
                and b <= span.start
                and any(t.text == "," for t in doc[lo:hi])
            ):
                continue  # "no angina, ECG positive for ischemia": a list item that states its own value
            if (
                mod.category == "NEGATED_EXISTENCE"
                and span.label_ in _VALUED_LABELS
                and b <= span.start
                and any(t.lower_ == "and" for t in doc[lo:hi])
                and _OWN_VALUE_WORD.fullmatch(span[0].text)
            ):
                continue  # "no chest pain and ischemic ST changes": "no" takes the first item; the second has a value
            if (
                mod.category == "NEGATED_EXISTENCE"
                and b <= span.start
                and _NEW_CLAUSE.search(text, doc[b - 1].idx + len(doc[b - 1]), span.start_char)
            ):
                continue  # "no diagnostic ECG changes, the images show a large defect": a comma-spliced clause
            if (
                mod.category == "NEGATED_EXISTENCE"
                and span.label_ in _TEST_LABELS
                and b <= span.start
                and any(b <= x < span.start for x in finding_starts)
            ):
                continue  # "no ischemia on exercise Tl-201 imaging": the negation denies the finding, not the test
            if (
                mod.category == "NEGATED_EXISTENCE"
                and b <= span.start
                and _CHANGE_OF.match(text, doc[b - 1].idx + len(doc[b - 1]), span.start_char)
            ):
                continue  # "no interval change in the fixed RCA defect": the negation denies the change, not the defect
            if (
                mod.category == "NEGATED_EXISTENCE"
                and b <= span.start
                and _OWN_NEGATION_ITEMS.fullmatch(text, doc[b - 1].idx + len(doc[b - 1]), span.start_char)
                and _NEXT_ITEM_NEGATED.match(text, span.end_char)
            ):
                continue  # "no perfusion defect, reversible ischaemia, no necrosis": where the items around it each
                # carry their own negation, an item without one is stated, not denied
            if mod.category == "POSSIBLE_EXISTENCE" and _VS_DATE.match(text, doc[a].idx):
                continue  # "vs 9/2025: large LAD ischemia": a comparison with a dated study, not a differential
            if (
                mod.category == "NEGATED_EXISTENCE"
                and b <= span.start
                and (between := [sp for sp in spans if sp.start >= b and sp.end <= span.start])
                and not _LIST_JOINER.search(text, doc[b - 1].idx, span.start_char)
                and _OWN_VALUE_GAP.fullmatch(text, max(sp.end_char for sp in between), span.start_char)
            ):
                continue  # "no TID coronary calcium score zero low risk": in dictation without punctuation a
                # negation ends at a concept followed by its own value; the next concept is not in its list
            if (
                mod.category == "NEGATED_EXISTENCE"
                and a >= span.end
                and (on_prior := _ON_PRIOR_AFTER.match(text, span.end_char)) is not None
                and doc[a].idx < on_prior.end()
            ):
                continue  # "ischemia that was not seen on the prior study": the relative clause denies it of the prior
            if (
                mod.category == "NEGATED_EXISTENCE"
                and a >= span.end
                and _PRIOR_STUDY_NEXT.match(text, doc[b - 1].idx + len(doc[b - 1]))
            ):
                continue  # "the lateral defect was absent on the 2023 study": the denial's scope is the prior study
            if (
                mod.category == "NEGATED_EXISTENCE"
                and a >= span.end
                and _UNLIKELY_CUE.fullmatch(text, doc[a].idx, doc[b - 1].idx + len(doc[b - 1]))
                and _TO_DO_NEXT.match(text, doc[b - 1].idx + len(doc[b - 1]))
            ):
                continue  # "the wall is scarred and is unlikely to recover": the doubt is of what it will do, not of it
            cats.add(mod.category)
        lead = text[max(0, span.start_char - 80) : span.start_char]
        # prefiltered and gated (prefilter.search): the same matches; these run for every mention of every text
        lead_hay = haystack(lead)
        if span.label_ == "RISK" and (
            search(_JUDGEMENT_DENIED_BEFORE, lead, lead_hay) or search(_SET_AGAINST_BEFORE, lead, lead_hay)
        ):
            cats.add("NEGATED_EXISTENCE")
        if span.label_ not in _TEST_LABELS and search(_NEGATED_THROUGH_ASIDE, lead, lead_hay):
            cats.add("NEGATED_EXISTENCE")
        if search(_SHORTHAND_NEGATIVE, lead, lead_hay):
            cats.add("NEGATED_EXISTENCE")  # "ECG -ve for ischaemia", "neg for ischemia": negative, abbreviated
        if span.label_ not in _TEST_LABELS and search(_NAMING_FORBIDDEN_BEFORE, lead, lead_hay):
            cats.add("NEGATED_EXISTENCE")  # "don't let the low EF talk anyone into calling this ischemic"
        if span.label_ not in _TEST_LABELS and (
            (
                gated(_CALL_OFFERED_BEFORE).search(text, max(0, span.start_char - 80), span.start_char)
                and _CALL_REJECTED_AFTER.match(text, span.end_char)
            )
            or (span.label_ == "ARTIFACT" and _CAUSE_DENIED_AFTER.match(text, span.end_char))
        ):
            # "it is tempting to call the count loss attenuation; I disagree": a reading offered to be rejected;
            # "hypokinesis, which attenuation does not cause": the artifact denied as the cause
            cats.discard("POSSIBLE_EXISTENCE")
            cats.add("NEGATED_EXISTENCE")
        if span.label_ not in _TEST_LABELS and (
            _FIELD_ANSWERED_NO.match(text, span.end_char) or _QUESTION_ANSWERED_NO.match(text, span.end_char)
        ):
            cats.add("NEGATED_EXISTENCE")  # "Scar? No (SRS 0)", "Infarct: none.": the field's answer denies it
        if gated(_GROUND_SET_AGAINST).search(text, max(0, span.start_char - 160), span.start_char):
            cats.discard("NEGATED_EXISTENCE")  # "high risk because of the LV, not the ischemia": denied as the ground
        if span.start_char in denied_by_box:
            cats = {"NEGATED_EXISTENCE"}  # "[ ] Infarct": the empty box denies it, whatever cue its item holds
        rule = ext.target_rule
        value = rule.metadata.get("value") if rule is not None and rule.metadata else None
        mentions.append(
            Mention(
                label=span.label_,
                value=value,
                start=span.start_char,
                end=span.end_char,
                sent=_sent_index(bounds, span.start_char),
                section=_section_at(doc, sections, span.start_char),
                negated="NEGATED_EXISTENCE" in cats,
                uncertain="POSSIBLE_EXISTENCE" in cats or "HYPOTHETICAL" in cats,
            )
        )
    mentions.extend(_reduction_mentions(text, bounds, mentions))
    mentions.extend(_failing_graft_mentions(text, bounds, mentions))
    mentions.extend(_swallowed_ischemia(text, mentions))
    mentions.extend(_wall_dyssynchrony(text, mentions))
    mentions.extend(_transient_dilation(text, bounds, mentions))
    mentions.extend(_abbreviated_reversibility(text, mentions))
    # every date-shaped string, found once for the mentions and the numbers (gated: a pattern that opens with a
    # look-behind and an alternation is otherwise tried branch by branch at every character)
    date_matches = list(gated(DATE_RE).finditer(text))
    dates = [(d.start(), d.end()) for d in date_matches]
    if dates:  # a month inside a date is no concept ("14 Sept 2023" names no septal wall)
        mentions = [m for m in mentions if not _inside(m.start, dates)]
    # a wall word of a coordinated ECG lead group ("the inferior and lateral leads") names leads, not a wall
    leads = [(g.start(), g.end()) for g in _ECG_LEAD_GROUPS.finditer(text)]
    leads += [g.span(g.lastgroup) for g in _ST_PLACED_BY_WALL.finditer(text) if g.lastgroup]
    if leads:
        mentions = [m for m in mentions if not (m.label == "WALL" and _inside(m.start, leads))]
    # "septal motion from pacing, not ischaemic": the denied cause of a wall's motion, not a denial of ischemia
    mentions = [m for m in mentions if not (m.label == "ISCHEMIA" and _motion_cause_denied(text, bounds, m))]
    mentions = _deny_disjuncts(text, mentions)
    mentions.sort(key=lambda m: m.start)
    claims = Claims(text=text, sentences=bounds, mentions=mentions, has_sections=bool(sections))
    if prior_regions is None:
        prior_regions = _prior_regions(text)
    claims.prior_regions = prior_regions
    _read_numbers(claims, sections, doc, date_matches)
    _read_defects(claims)
    _read_statements(claims)
    return claims


# --- numbers ----------------------------------------------------------------------------------


# "inferior uptake reduction", "reduction of inferior counts": a defect in words the extraction rules
# leave out (unless the sentence blames an artifact for it)
_REDUCTION = re.compile(
    r"\b(?:uptake|count|counts|tracer|activity)\s+reduction\b|\breduction\s+(?:of|in)\s+(?:\w+\s+)?(?:uptake|counts)\b"
    # a reduction named by its wall or its reversibility ("a mild fixed basal anterior reduction ... attributed to
    # breast attenuation")
    r"|\b(?:fixed|reversible|anterior|inferior|lateral|septal|apical|basal)\s+(?:wall\s+)?(?P<named>reduction)\b"
    # the down arrow of shorthand for "reduced" ("mild fixed anteroseptal \u2193 uptake")
    r"|\u2193\s*(?:tracer\s+)?(?:uptake|counts|activity|perfusion)\b",
    re.I,
)


# a normal variant a finding may be put down to (ASNC-SPECT-2018: apical thinning), named in its sentence
_NORMAL_VARIANT = re.compile(r"\b(?:apical\s+thinning|normal\s+(?:anatomic(?:al)?\s+)?variant)\b", re.I)


def _reduction_mentions(text: str, bounds: list[tuple[int, int]], mentions: list[Mention]) -> list[Mention]:
    out = []
    for hit in gated(_REDUCTION).finditer(text):
        sent = _sent_index(bounds, hit.start())
        same = [m for m in mentions if m.sent == sent]
        if any(m.label == "DEFECT" for m in same):
            continue
        section = same[0].section if same else None
        # a reduction the sentence reads as an artifact ("mild inferior count reduction, diaphragmatic attenuation")
        # is a possible defect: its place is still checked, its presence is not claimed
        artifact = any(m.label == "ARTIFACT" for m in same)
        # ... and so is one it reads as a normal variant ("a small, mild, fixed apical reduction, apical thinning
        # rather than scar"): its grades are still the study's to check
        artifact = artifact or bool(_NORMAL_VARIANT.search(text, *bounds[sent]))
        if hit.group("named") and not artifact:
            continue  # a reduction named by its wall alone is read only where the sentence weighs an artifact
        a = hit.start("named") if hit.group("named") else hit.start()
        out.append(Mention("DEFECT", None, a, hit.end(), sent, section, negated=False, uncertain=artifact))
    return out


# a bypass graft said to fail ("the pattern points to a failing LIMA graft to the LAD", "an occluded SVG to the OM is
# the likely cause"), not the patient's history ("known occluded SVG to the OM", "prior graft failure"): the culprit of
# the finding the sentence takes up, so the graft's target vessel is that finding's place (see _names_device)
_FAILING_GRAFT = re.compile(
    r"\b(?:failing|failed|failure\s+of|occluded|occlusion\s+of|stenosed|diseased|disease\s+(?:of|in)|thrombosed|"
    r"degenerated)\s+(?:(?:the|a|an|his|her|their)\s+)?(?:[\w-]+\s+){0,2}?(?:grafts?|SVGs?|LIMA|RIMA|LITA|RITA|conduits?)\b",
    re.I,
)
_GRAFT_HISTORY_BEFORE = re.compile(
    r"\b(?:known|prior|previous\w*|history|chronic\w*|old|s/p|status\s+post|since|in\s+(?:19|20)\d\d)\b[^.;]{0,30}$",
    re.I,
)


def _failing_graft_mentions(text: str, bounds: list[tuple[int, int]], mentions: list[Mention]) -> list[Mention]:
    out = []
    for hit in _FAILING_GRAFT.finditer(text):
        sent = _sent_index(bounds, hit.start())
        same = [m for m in mentions if m.sent == sent]
        if any(m.label in _TRIGGERS for m in same) or _GRAFT_HISTORY_BEFORE.search(
            text, max(bounds[sent][0], hit.start() - 40), hit.start()
        ):
            continue
        section = same[0].section if same else None
        if section in ("indication", "history"):
            continue
        # a possible defect: its place is checked, its presence is not claimed
        out.append(Mention("DEFECT", None, hit.start(), hit.end(), sent, section, negated=False, uncertain=True))
    return out


# a wall's dyssynchrony ("lateral wall dyssynchrony", "septal dyssynchrony"): abnormal motion of that wall, which a
# conduction abnormality explains only in the septum
_DYSSYNCHRONY = re.compile(r"\s*(?:wall\s+)?(dyssynchron\w*)\b", re.I)
_DENIED_BEFORE = denial.before("feature_in_words")


def _wall_dyssynchrony(text: str, mentions: list[Mention]) -> list[Mention]:
    out = []
    for m in mentions:
        hit = _DYSSYNCHRONY.match(text, m.end) if m.label == "WALL" else None
        if hit is None or any(x.label == "WALL_MOTION" and x.start <= hit.start(1) < x.end for x in mentions):
            continue
        denied = bool(_DENIED_BEFORE.search(text, max(0, m.start - 40), m.start))
        out.append(Mention("WALL_MOTION", "abnormal", hit.start(1), hit.end(1), m.sent, m.section, denied, False))
    return out


# an ischemic cause denied to a wall's motion ("septal motion abnormal from pacing, not ischaemic", "do not read the
# septal motion as ischemic"): the adjective ends its clause, and the clause names a motion and a denial
_MOTION_CAUSE = re.compile(
    r"\b(?:motion|movement|dyssynchron\w*|thickening|contraction|(?:hypo|a|dys)kine(?:sis|tic)|wall\s+motion)\b", re.I
)
_CAUSE_DENIED = re.compile(r"\b(?:not|never|neither|nor)\b|n't\b", re.I)
_ADJECTIVE_ENDS_CLAUSE = re.compile(r"ischa?emic(?:\s+in\s+(?:origin|nature))?\s*(?:[.;:,)]|$)", re.I)
# ... or the noun, set against the cause the clause names ("septal motion abnormal due to pacing, not ischaemia"):
# a cause, then "not" (a "nor" after a motion may deny ischemia as a finding of its own: "no motion abnormality,
# nor ischaemia")
_NOUN_ENDS_CLAUSE = re.compile(r"ischa?emia(?:\s*(?:[.;:,)]|$)|[ \t]*\n)", re.I)
_CAUSE_THEN_NOT = re.compile(
    r"\b(?:due\s+to|owing\s+to|secondary\s+to|attributable\s+to|related\s+to|caused\s+by|because\s+of|from|"
    r"explained\s+by|reflects?|reflecting)\s+[^,;]{1,40}?,?\s+(?:and\s+|but\s+)?not\s+(?:to\s+|by\s+|from\s+)?$",
    re.I,
)


def _motion_cause_denied(text: str, bounds: list[tuple[int, int]], m: Mention) -> bool:
    adjective = bool(_ADJECTIVE_ENDS_CLAUSE.match(text, m.start))
    if not adjective and not _NOUN_ENDS_CLAUSE.match(text, m.start):
        return False
    s0 = bounds[m.sent][0]
    clause = re.split(r"[.;:]", text[max(s0, m.start - 120) : m.start])[-1]
    if not adjective:
        return bool(_MOTION_CAUSE.search(clause) and _CAUSE_THEN_NOT.search(clause))
    return bool(_MOTION_CAUSE.search(clause) and _CAUSE_DENIED.search(clause))


# "transient dilatation", "transient LV cavity dilation": transient ischemic dilation named without "ischemic"
_TRANSIENT_DILATION = re.compile(
    r"\btransient\s+(?:(?:LV|left ventricular|ventricular|cavity|cavitary)\s+){0,2}dilat(?:at)?ion\b"
    # ... or in lay words, the ventricle said to enlarge with the stress ("the heart also dilates abnormally under
    # stress", "the left ventricle got bigger with exercise")
    r"|\b(?P<lay>heart|(?:left\s+)?ventricle|LV|cavity|pumping\s+chamber)\s+(?:also\s+|then\s+)?"
    r"(?:dilates|dilated|enlarges|enlarged|gets\s+bigger|got\s+bigger|becomes\s+larger|became\s+larger|grows|grew)\s+"
    r"(?:(?:abnormally|transiently|slightly|significantly|markedly)\s+)?(?:under|with|during|after)\s+(?:the\s+)?"
    r"(?:stress|exercise|exertion)\b",
    re.I,
)


# ... the lay words denied a few words before ("no sign that the heart dilates under stress")
_LAY_DILATION_DENIED = re.compile(r"(?:\b(?:no|not|nor|never|without)\b|n't)\s+(?:[\w-]+\s+){0,4}$", re.I)


def _transient_dilation(text: str, bounds: list[tuple[int, int]], mentions: list[Mention]) -> list[Mention]:
    out = []
    for hit in _TRANSIENT_DILATION.finditer(text):
        # (the lay words hold other concepts' words, "stress", "abnormally": only a TID already read overlaps them)
        if any(
            m.start < hit.end() and hit.start() < m.end and (m.label == "TID" or not hit.group("lay")) for m in mentions
        ):
            continue
        sent = _sent_index(bounds, hit.start())
        section = next((m.section for m in mentions if m.sent == sent), None)
        denied = bool(
            _DENIED_BEFORE.search(text, max(bounds[sent][0], hit.start() - 40), hit.start())
            or (
                hit.group("lay")
                and _LAY_DILATION_DENIED.search(text, max(bounds[sent][0], hit.start() - 50), hit.start())
            )
            # ... or a denial that reaches it across an "or" list, as it does a feature's words ("without regional
            # dysfunction or transient dilation", "no wall motion abnormality or transient LV dilatation")
            or re.search(_DENIED_BEFORE_FEATURE, text[max(bounds[sent][0], hit.start() - 110) : hit.start()], re.I)
        )
        out.append(Mention("TID", None, hit.start(), hit.end(), sent, section, denied, False))
    return out


# "completely reversible ischemia": the longer grade ("completely reversible") wins the overlap with "reversible
# ischemia" in the concept matcher, and the ischemia it grades is lost; the word right after a reversibility is read
_ISCHEMIA_AFTER = re.compile(r"\s+(ischa?emi(?:a|c))\b(?!\s+dilat)", re.I)


def _swallowed_ischemia(text: str, mentions: list[Mention]) -> list[Mention]:
    out = []
    for m in mentions:
        hit = _ISCHEMIA_AFTER.match(text, m.end) if m.label == "REVERSIBILITY" else None
        if hit is not None and not any(x.start <= hit.start(1) < x.end for x in mentions):
            out.append(Mention("ISCHEMIA", None, hit.start(1), hit.end(1), m.sent, m.section, m.negated, m.uncertain))
    return out


# "Lg rev defects", "fixed/rev perf defect": the telegraphic abbreviations of a reversibility right before the
# defect (or perfusion or ischemia) word it grades
_ABBREVIATED_REVERSIBILITY = re.compile(
    r"\b(rev|revers)\.?(?=\s+(?:perf\w*\s+)?(?:defects?|perf\w*|isch\w*)\b)"
    # "inducible hypoperfusion", "stress-induced perfusion defect": a defect that stress provokes is reversible
    r"|\b(inducible|(?:stress|exercise|dobutamine|vasodilator)[- ]induced|provok(?:ed|able))"
    # (its place or grade may stand between: "inducible anterior/anteroseptal perfusion defect")
    r"(?=\s+(?:(?!(?:isch|scar|infarct|fixed|no\b|not\b|without\b))[\w/-]+,?\s+(?:and\s+)?){0,3}"
    r"(?:hypoperfusion|(?:perfusion\s+)?defects?|perfusion\s+abnormalit\w*)\b)",
    re.I,
)


def _abbreviated_reversibility(text: str, mentions: list[Mention]) -> list[Mention]:
    out = []
    for hit in _ABBREVIATED_REVERSIBILITY.finditer(text):
        graded = next((m for m in mentions if m.start > hit.end()), None)
        if graded is None or any(m.start <= hit.start() < m.end for m in mentions):
            continue
        negated, uncertain = graded.negated, graded.uncertain
        group = 1 if hit.group(1) else 2
        out.append(Mention("REVERSIBILITY", "reversible", hit.start(group), hit.end(group), graded.sent,
                           graded.section, negated, uncertain))  # fmt: skip
    return out


# A dose of a medication that is not a stress agent ("aspirin 81 mg", "atorvastatin 40 mg daily"): advice or
# history, not a value of the study
_DRUG = (
    r"(?:aspirin|ASA|clopidogrel|ticagrelor|prasugrel|\w+statin|\w+olol|\w+pril|\w+sartan|\w+dipine|"
    r"nitroglycerin|isosorbide\s+\w+|ranolazine|ivabradine|diltiazem|verapamil|furosemide)"
)
_MEDICATION_DOSE = re.compile(
    rf"\b{_DRUG}\s+\d+(?:\.\d+)?\s*mg\b|\b\d+(?:\.\d+)?\s*mg\s+(?:(?:of|daily|once|twice)\s+)?{_DRUG}\b", re.I
)


_SECONDARY_TO = re.compile(
    r"(?<![\d/.])2/2(?=\s+(?!(?:at|and|or|in|on|with|fixed|reversible|rest|stress|respectively)\b)[A-Za-z])"
)


# leads ("V5-6"), the age formula, names with numbers, times of day, month/year
_NOT_A_VALUE = re.compile(
    r"\b\d+-lead\b|\bV\d\s*(?:-|\u2013|to|through)\s*V?\d\b|\b220\s*-\s*age\b|[A-Za-z]-\d+|\b\d{1,2}:\d{2}\b|\b(?:0?[1-9]|1[0-2])/(?:19|20)\d{2}\b"
    # the length of a plan or an instruction ("holding the beta-blocker for 48 hours", "repeat in 2 years", "within 6
    # weeks"): no measurement of the study; a time back to an earlier event ("2 years ago") is not one of them
    r"|\b(?:for|in|within|after|every|over)\s+(?:the\s+next\s+|another\s+|at\s+least\s+|about\s+|around\s+)?"
    r"\d+(?:\.\d+)?\s*(?:-\s*)?(?:hours?|hrs?|h|days?|weeks?|wks?|months?|mos?|years?|yrs?)\b"
    r"(?!\s+(?:ago|earlier|before|previously|prior)\b)"
    # the time since an event of the history ("8 years after CABG", "three months post-PCI", "2 yrs s/p stenting"):
    # how long ago it was, no measurement of the study
    r"|\b\d+(?:\.\d+)?\s*(?:-\s*)?(?:days?|weeks?|wks?|months?|mos?|years?|yrs?)\s+"
    r"(?:after|post(?:-|\s+)|since|following|status\s+post|s/p|out\s+from)"
    # where the patient lies ("Mr H (bed 12)", "room 4B", "bay 3, bed 2", "ward 7"): a place, no measurement
    r"|\b(?:bed|room|bay|ward|cubicle|side\s+room|trolley)\s*(?:no\.?\s*|number\s+|#\s*)?\d+[A-Za-z]?\b",
    re.I,
)

# an item's label numbered at the head of a line or list item ("Defect 2: LCx, inferolateral", "- Finding 1 -
# ..."): the number orders the items, it measures nothing
_ITEM_LABEL = re.compile(
    r"(?m)(?:^|(?<=[\u2022*\-|;]\s))[ \t]*(?:defect|finding|lesion|abnormality|problem|item|point|region|area)"
    r"[ \t]+#?(\d{1,2})(?=[ \t]*[:)\u2013\u2014-])",
    re.I,
)

# a year (1990-2039) after the words that date something ("the scar of 2023", "unchanged since 2021", "in March
# 2024", "dated 2022") or before a study's noun ("the 2023 scan"): a date, not a value, wherever it stands; after
# "of" or "from" a quantity whose values reach that far keeps it ("a calcium score of 2010", "CAC from 2010 to 2400")
_YEAR = re.compile(r"(?:199\d|20[0-3]\d)")
_DATING_BEFORE = re.compile(
    r"\b(?:(?P<weak>of|from)|in|since|dated|during|until|" + MONTH_WORD + r")"
    r"\s+(?:(?:early|late|mid)[- ]?\s*)?$",
    re.I,
)
_STUDY_AFTER = re.compile(r"\s+(?:[\w-]+\s+)?(?:study|scan|SPECT|PET|MPI|report|exam\w*|test|images?)\b", re.I)
# the quantities whose plausible values include a year's number (extraction.plausible: the Agatston score)
_YEAR_SIZED = frozenset({"cac"})
_RANGE_ON = re.compile(r"\s*(?:to|->|\u2192)\s*\d")


def _dated_year(text: str, start: int, end: int, unit: str | None, quantity: str | None) -> bool:
    """Whether the number at ``start:end`` is a year that dates something (:data:`_YEAR`)."""
    if unit is not None or not _YEAR.fullmatch(text, start, end):
        return False
    if _STUDY_AFTER.match(text, end):
        return True
    cue = _DATING_BEFORE.search(text, max(0, start - 20), start)
    if cue is None:
        return False
    # "a calcium score of 2010", "from 2010 to 2400": label-adjacent, the score
    weak = cue.group("weak")
    return not (weak and quantity in _YEAR_SIZED and (weak.lower() == "of" or _RANGE_ON.match(text, end)))


def _excluded_spans(claims: Claims) -> list[tuple[int, int]]:
    text = claims.text
    hay = haystack(text)
    spans = [(m.start, m.end) for m in claims.mentions if m.label in ("TRACER", "MODALITY")]
    # gated(): the same matches, the pattern tried only where one can start (guardrails.prefilter.gated)
    spans += [(m.start(), m.end()) for m in gated(_VERSION).finditer(text)]
    spans += [(m.start(), m.end()) for m in _LIST_NUMBER.finditer(text)]
    dosed = may_match(_MEDICATION_DOSE, hay)
    spans += [(m.start(), m.end()) for m in (gated(_MEDICATION_DOSE).finditer(text) if dosed else ())]
    spans += [(m.start(), m.end()) for m in gated(_NOT_A_VALUE).finditer(text)]
    # "nondiagnostic 2/2 LBBB": the shorthand for "secondary to" before a condition is no score or value
    # (a stress/rest score pair goes on with a phase or reversibility word)
    spans += [(m.start(), m.end()) for m in gated(_SECONDARY_TO).finditer(text)]
    spans += [(m.start(1), m.end(1)) for m in _ITEM_LABEL.finditer(text) if m.group(1)]
    return spans


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return bool(spans) and any(a <= pos < b for a, b in spans)


def _unit(after: str, before: str) -> str | None:
    if _SEGMENT_LIST.search(before):
        return "segment"
    found = read_unit(after)
    if found is None and re.match(r"-[a-z]", after, re.I):  # "a 6-point drop", "a 9-minute Bruce test"
        found = read_unit(after[1:])
    if found is not None:
        return found[0].name
    if re.match(r"\s*(?:of\s+17\s+)?segments?\b|\s+of\s+17\b", after, re.I) or (
        re.search(r"\bof\s*$", before) and re.match(r"\s*segments", after, re.I)
    ):
        return "count"
    return None


def _label_before(claims: Claims, pos: int, sent: int, labels: list[Mention]) -> tuple[str | None, Mention | None]:
    """The quantity named just before ``pos`` in the same sentence, if only filler stands between (``labels``: the
    sentence's mentions of a quantity, in text order)."""
    text = claims.text
    s0 = claims.sentences[sent][0]
    best: Mention | None = None
    for m in labels:  # the last label before the number; grade or place words may stand between
        if m.start >= pos:
            break
        if m.end <= pos:
            best = m
    if best is not None:
        gap = text[best.end : pos]
        if _GAP.fullmatch(gap):
            return _LABEL_QUANTITY[best.label], best
    before = text[max(s0, pos - 60) : pos]
    hay = haystack(before)
    quantities = cues().quantities
    for key, patterns in quantities if may_match_any(quantities, hay) else ():  # most numbers: none of their words
        if first(patterns, before, hay):
            return key, None
    return None, None


def _phase(claims: Claims, start: int, end: int, sent: int) -> str | None:
    s0, s1 = claims.sentences[sent]
    after = claims.text[end : min(s1, end + 30)]
    m = _TRAIL_PHASE.match(after)
    if m:
        word = m.group(1).lower()
        return "rest" if word in ("rest", "baseline") else "peak"
    before = claims.text[max(s0, start - 30) : start]
    m = _LEAD_PHASE.search(before)
    if m:
        word = m.group(1).lower()
        return "rest" if word in ("rest", "resting", "baseline") else "peak"
    return None


_REGIONAL = re.compile(r"\bregional(?:ly)?\b|\bcorrespond\w*\b|\bin that (?:territory|region)\b", re.I)
# The territories each wall lies in (AHA 17-segment model): a wall value -> its territory values.
WALL_TERRITORIES: dict[str, set[str]] = {}
for _seg in SEGMENTS.values():
    WALL_TERRITORIES.setdefault(_seg.wall.value, set()).add(_seg.territory.value)
_COORDINATED = re.compile(r"\s*(?:,|/|&|\band\b|\bor\b)?\s*(?:(?:the|and)\s+)?", re.I)


_FLOW_QUANTITIES = ("mfr", "stress_mbf", "rest_mbf")


def _listed_under(claims: Claims, pos: int) -> str | None:
    """The flow quantity of the labelled value just before the parenthesis ``pos`` lies in, if any."""
    text = claims.text
    opening = text.rfind("(", 0, pos)
    if opening < 0 or ")" in text[opening:pos]:
        return None
    head = next((n for n in reversed(claims.numbers) if n.span[1] <= opening), None)
    if head is None or head.quantity not in _FLOW_QUANTITIES or text[head.span[1] : opening].strip():
        return None
    return head.quantity


def _territory_near(claims: Claims, sent: int, pos: int) -> str | None:
    """The territory named in the sentence before ``pos`` (else after it); none where "global"
    stands between ("in the LCx territory ...; global MFR 2.47")."""
    s0, s1 = claims.sentences[sent]
    # a territory inside a list of values in parentheses that closes before the number does not reach it
    # ("global MFR 1.70 (LAD 1.73, RCA 1.68), stress MBF 1.60"); a label in parentheses ("defect (LCx)") does
    sentence = claims.text[s0:s1]
    closed = [
        (a + s0, b + s0)
        for a, b in _paren_depth_spans(sentence)
        if b + s0 <= pos and any(ch.isdigit() for ch in sentence[a:b])
    ]
    before = [
        m
        for m in claims.mentions
        if m.sent == sent and m.label == "TERRITORY" and m.end <= pos and not _inside(m.start, closed)
    ]
    start = before[-1].end if before else s0
    if re.search(r"\bglobal(?:ly)?\b", claims.text[start:pos], re.I):
        return None
    # a wall of one territory named after the territory and before the number places it ("ischemia in the LAD and
    # circumflex territories, with reduced flow in the anterior wall (1.15 mL/min/g)": the LAD's)
    nearer = [
        WALL_TERRITORIES.get(m.value or "", set())
        for m in claims.mentions
        if m.sent == sent and m.label == "WALL" and start <= m.start and m.end <= pos and not _inside(m.start, closed)
    ]
    if before and nearer and len(nearer[-1]) == 1:
        return next(iter(nearer[-1]))
    if before:
        # "LAD and RCA flow normal (2.6 and 2.4 mL/min/g)": coordinated territories take the values that
        # follow them in order, as "respectively" says
        group = [before[-1]]
        for m in reversed(before[:-1]):
            if not _COORDINATED.fullmatch(claims.text[m.end : group[0].start]):
                break
            group.insert(0, m)
        if len(group) == 1:
            return before[-1].value
        k = sum(1 for n in claims.numbers if n.sent == sent and group[-1].end <= n.span[0] < pos)
        return group[k % len(group)].value
    # a territory after the number that labels a value of its own ("MFR 2.79, RCA 2.57"; "MFR 1.17 (LAD 1.20)";
    # "MFR_LAD=1.6"), or one in a later field of a registry line ("REST_MBF=0.85 | ... | MFR_LAD=1.6"), is not the
    # number's
    after = [
        m
        for m in claims.mentions
        if m.sent == sent
        and m.label == "TERRITORY"
        and m.start >= pos
        and not re.match(r"\s*(?:territory\s*)?[:(=]?\s*\d", claims.text[m.end : m.end + 16], re.I)
        and "|" not in claims.text[pos : m.start]
    ]
    if after:
        # "(0.90 to 0.99 mL/min/g) ... reduced in the LAD, LCx and RCA beds": a value before a list of territories
        # is none of them alone, unless "respectively" deals the values out
        nxt = [m for m in claims.mentions if m.sent == sent and m.label == "TERRITORY" and m.start > after[0].start]
        if (
            nxt
            and _COORDINATED.fullmatch(claims.text[after[0].end : nxt[0].start])
            # (not "flow reserve 1.30 in the LAD and LCx territories": a value placed right in the list is each's)
            and re.search(r"[,;)]", claims.text[pos : after[0].start])
            and not re.search(r"\brespectively\b", claims.text[s0:s1], re.I)
        ):
            return None
        return after[0].value
    # "an anterior and apical defect, which corresponds to a regional reduction in flow (1.05 mL/min/g)": the
    # territory of the walls the sentence names, where it calls the value regional
    if not _REGIONAL.search(claims.text, s0, pos):
        return None
    walls = {m.value for m in claims.mentions if m.sent == sent and m.label == "WALL" and m.end <= pos and m.value}
    if not walls and sent > 0:
        # "Stress flow in the LAD territory is reduced at 1.12 mL/min/g. Regional flow reserve is 1.40.": a value
        # called regional in a sentence that names no place is of the place the sentence before it names last
        return _place_named_last(claims, sent - 1)
    territories = {t for w in walls for t in WALL_TERRITORIES.get(w, ())}
    return territories.pop() if len(territories) == 1 else None


def _place_named_last(claims: Claims, sent: int) -> str | None:
    """The one territory the sentence names, or that of the walls it names where they lie in one territory (none
    where it names several: "LCx and RCA flow is normal. Regional MFR 1.40." says not which)."""
    named = {m.value for m in claims.mentions if m.sent == sent and m.label == "TERRITORY" and m.value}
    if named:
        return named.pop() if len(named) == 1 else None
    walls = {m.value for m in claims.mentions if m.sent == sent and m.label == "WALL" and m.value}
    territories = {t for w in walls for t in WALL_TERRITORIES.get(w, ())}
    return territories.pop() if len(territories) == 1 else None


# A value whose label is left out in a list of the same quantity by phase or study ("post-stress LVEF 45%,
# rest 53% (prior 56%)", "EDV 136 mL at stress and 122 mL at rest"): only a phase or prior word between them
_ELIDED_GAP = re.compile(
    # the first value's own phase may stand before the next one ("EDV 182 mL at rest, previously 170 mL")
    r"(?:\s*(?:at\s+)?(?:rest|stress|post-stress|peak(?:\s+stress)?)\b)?"
    r"\s*(?:,|;|/|\(|\band\b|\bvs\.?|\bversus\b)?\s*(?:at\s+)?"
    r"(rest|resting|baseline|stress|post-stress|peak|prior|previously|then)\s*:?\s*(?:of\s+)?",
    re.I,
)
_ELIDED_QUANTITIES = frozenset({"lvef", "edv", "esv", "hr", "stress_mbf", "rest_mbf"})


def _elided_label(claims: Claims, start: int, sent: int, unit: str) -> tuple[str | None, str | None]:
    """The quantity and phase of a number written after a phase word in a list headed by a labelled value of the
    same unit; (None, None) otherwise. A prior word gives no phase: the number is the prior's (see checks)."""
    before = [n for n in claims.numbers if n.sent == sent and n.span[1] <= start]
    prev = max(before, key=lambda n: n.span[1], default=None)
    if prev is None or prev.quantity not in _ELIDED_QUANTITIES or prev.unit != unit:
        return None, None
    gap = _ELIDED_GAP.fullmatch(claims.text, prev.span[1], start)
    if gap is None:
        return None, None
    word = gap.group(1).lower()
    if word in ("prior", "previously", "then"):
        return prev.quantity, None
    if prev.quantity in ("stress_mbf", "rest_mbf"):
        return ("rest_mbf" if word in ("rest", "resting", "baseline") else "stress_mbf"), None
    return prev.quantity, "rest" if word in ("rest", "resting", "baseline") else "peak"


# values joined by slashes ("57/50%", "0.88/1.32 mL/min/g", "13/13/0") after their label or labels
_SLASH_RUN = re.compile(r"(?<![\w.,/])\d+(?:\.\d+)?(?:\s*/\s*\d+(?:\.\d+)?){1,2}(?![\w/]|\.\d)")
_SLASH_VALUE = re.compile(r"\d+(?:\.\d+)?")
_PAIR_GAP = re.compile(
    r"[\s:=(]*(?:(?:rest|stress|post-stress|peak)\s*/\s*(?:rest|stress|post-stress|peak)[\s:=)]*)?(?:(?:is|was|of)\s*)?",
    re.I,
)
_PHASED = frozenset({"lvef", "edv", "esv", "hr"})  # measured at rest and after stress: "EDV 165/160 mL"
_PHASE_OF = {"rest": "rest", "stress": "peak", "post-stress": "peak", "peak": "peak"}
_PHASE_PAIR = re.compile(r"\b(rest|stress|post-stress|peak)\s*/\s*(rest|stress|post-stress|peak)\b", re.I)


# a quantity measured per territory, with its territories joined by slashes before values joined by slashes ("MFR
# LAD/LCx/RCA: 2.40/1.30/1.91", "LAD/LCx/RCA stress MBF 2.1/1.2/1.9"): each value is the quantity's in the territory
# in the same place of the list
_PER_TERRITORY = frozenset({"mfr", "stress_mbf", "rest_mbf", "cac"})
_COLUMN_GAP = re.compile(r"[\s:=(]*")
_SLASH_GAP = re.compile(r"\s*/\s*")


def _territory_value(
    doc: Doc, sections: list[tuple[int, int, str]], v: re.Match[str], quantity: str, territory: str | None, sent: int
) -> NumberClaim:
    """A value read as ``quantity`` in ``territory`` (None: global) from a column of a slash run or a flow table's row;
    the quantity gives its unit (flow) and its phase (stress or rest flow)."""
    raw = v.group(0)
    return NumberClaim(
        value=float(raw),
        decimals=len(raw.split(".")[1]) if "." in raw else 0,
        span=(v.start(), v.end()),
        unit="flow" if quantity in ("stress_mbf", "rest_mbf") else None,
        quantity=quantity,
        phase={"stress_mbf": "peak", "rest_mbf": "rest"}.get(quantity),
        territory=territory,
        sent=sent,
        section=_section_at(doc, sections, v.start()),
        text_value=raw,
    )


def _territory_columns(
    claims: Claims, sections: list[tuple[int, int, str]], doc: Doc, run: re.Match[str], before: list[Mention]
) -> bool:
    """Read a slash run as one value per territory of a slash-joined territory list before it (see
    :data:`_PER_TERRITORY`); False where the run is not one."""
    text = claims.text
    at = run.start()
    rest = list(reversed(before))
    label: Mention | None = None
    if rest and rest[0].label in _LABEL_QUANTITY and _COLUMN_GAP.fullmatch(text, rest[0].end, at):
        label, at, rest = rest[0], rest[0].start, rest[1:]  # "LAD/LCx/RCA MFR 2.40/1.30/1.91"
    places: list[Mention] = []
    for m in rest:
        if m.label != "TERRITORY":
            break
        gap = _SLASH_GAP if places else _COLUMN_GAP
        if not gap.fullmatch(text, m.end, places[0].start if places else at):
            break
        places.insert(0, m)
    values = list(_SLASH_VALUE.finditer(text, run.start(), run.end()))
    if len(places) != len(values) or len(places) < 2:
        return False
    if label is None:
        head = rest[len(places)] if len(rest) > len(places) else None
        if head is None or head.label not in _LABEL_QUANTITY:
            return False
        if not _COLUMN_GAP.fullmatch(text, head.end, places[0].start):
            return False
        label = head
    quantity = _LABEL_QUANTITY[label.label]
    if quantity not in _PER_TERRITORY:
        return False
    sent = _sent_index(claims.sentences, run.start())
    for v, place in zip(values, places, strict=True):
        claims.numbers.append(_territory_value(doc, sections, v, quantity, place.value, sent))
    return True


def _after_slashed_labels(claims: Claims, pos: int) -> bool:
    """Whether quantity labels joined by slashes stand just before ``pos`` ("SSS/SRS/SDS=", "SSS/SDS:")."""
    text = claims.text
    labels = [x for x in claims.mentions if x.label in _LABEL_QUANTITY and x.end <= pos]
    if not labels or not re.fullmatch(r"\s*[:=]?\s*", text[labels[-1].end : pos]):
        return False
    return len(labels) > 1 and bool(re.fullmatch(r"\s*/\s*", text[labels[-2].end : labels[-1].start]))


def _read_slash_runs(
    claims: Claims,
    sections: list[tuple[int, int, str]],
    doc: Doc,
    taken: list[tuple[int, int]],
    excluded: list[tuple[int, int]],
    sentence_labels: dict[int, list[Mention]],
) -> None:
    """Values joined by slashes after a label ("LVEF 57/50%", "Rest/stress MBF 0.88/1.32", "SSS/SRS/SDS
    13/13/0"): each value is its label's (one label per value when the labels are joined by slashes too), in the
    order of a phase pair written beside them ("rest/stress"), else of either phase; not a blood pressure."""
    text = claims.text
    for run in _SLASH_RUN.finditer(text):
        if _inside(run.start(), taken) or _inside(run.start(), excluded):
            continue
        sent = _sent_index(claims.sentences, run.start())
        s0, s1 = claims.sentences[sent]
        before = [x for x in claims.mentions if x.sent == sent and x.end <= run.start()]
        if _territory_columns(claims, sections, doc, run, before):
            taken.append((run.start(), run.end()))
            continue
        label = (
            next(
                (
                    x
                    for x in reversed(before)
                    if (x.label in _LABEL_QUANTITY or x.label == "MBF")
                    and _PAIR_GAP.fullmatch(text, x.end, run.start())
                ),
                None,
            )
            or _label_before(claims, run.start(), sent, sentence_labels.get(sent, []))[1]
        )
        if label is None:
            continue
        labels = [label]
        for m in reversed([x for x in claims.mentions if x.sent == sent and x.end <= labels[0].start]):
            if m.label in _LABEL_QUANTITY and re.fullmatch(r"\s*/\s*", text[m.end : labels[0].start]):
                labels.insert(0, m)
            elif m.end <= labels[0].start:
                break
        values = list(_SLASH_VALUE.finditer(text, run.start(), run.end()))
        after = text[run.end() : min(s1, run.end() + 40)]
        unit = _unit(after, text[max(s0, run.start() - 60) : run.start()])
        named: list[tuple[str, str | None]]
        if len(labels) == len(values) and len(labels) > 1:
            named = [(_LABEL_QUANTITY[x.label], None) for x in labels]
        elif len(labels) == 1:
            pair = _PHASE_PAIR.search(text, max(s0, labels[0].start - 20), min(s1, run.end() + 25))
            phases: list[str | None] = (
                [w.lower() for w in pair.groups()] if pair is not None and len(values) == 2 else [None] * len(values)
            )
            quantity = _LABEL_QUANTITY.get(labels[0].label)
            if quantity is None or quantity in ("stress_mbf", "rest_mbf"):  # "MBF": its phases say which
                if phases[0] is None:
                    continue
                named = [("rest_mbf" if ph == "rest" else "stress_mbf", ph and _PHASE_OF[ph]) for ph in phases]
            elif phases[0] is None and quantity not in _PHASED:
                continue  # "SDS 11/16%": a score and its share of the LV, not two phases of one quantity
            else:
                named = [(quantity, ph and _PHASE_OF[ph]) for ph in phases]
        else:
            continue
        for v, (quantity, phase) in zip(values, named, strict=True):
            raw = v.group(0)
            claims.numbers.append(
                NumberClaim(
                    value=float(raw),
                    decimals=len(raw.split(".")[1]) if "." in raw else 0,
                    span=(v.start(), v.end()),
                    unit=unit if unit in ("%", "mL", "flow") else None,
                    quantity=quantity,
                    phase=phase,
                    territory=None,
                    sent=sent,
                    section=_section_at(doc, sections, v.start()),
                    text_value=raw,
                )
            )
        taken.append((run.start(), run.end()))


# a legend in parentheses before a colon names the columns of the rows after it ("Regional flow (stress/rest
# MBF, mL/min/g; MFR): LAD 2.40/0.88, 2.73; LCx 1.18/0.84, 1.40; global 2.02/0.86"): each row's values are the
# legend's quantities in the legend's order, of the row's territory (none: global)
_LEGEND = re.compile(r"\(([^()]{3,80})\)\s*:", re.I)
_LEGEND_ITEM = re.compile(r"[,;]")
_LEGEND_UNIT = re.compile(r"\s*(?:mL/min/g|ml/g/min|mL/min|%|mL|bpm|units?)\s*", re.I)
_LEGEND_PAIR = re.compile(
    r"\s*(rest|stress|peak)\s*/\s*(rest|stress|peak)\s+(?:MBF|myocardial\s+blood\s+flow|flow)\s*", re.I
)
_PHASE_PAIR_ALONE = re.compile(r"\s*(rest|stress|peak)\s*/\s*(rest|stress|peak)\s*", re.I)
_ROW_VALUES = re.compile(r"\s*:?\s*(\d+(?:\.\d+)?(?:\s*[/,]\s*\d+(?:\.\d+)?)*)(?![\d/]|\.\d)")
_ROW_GLOBAL = re.compile(r"\s*(?:and\s+)?(global(?:ly)?|whole[- ]heart|overall)\b", re.I)
_ROW_END = re.compile(r"\s*(?:[;.,]|$|-+>|\u2192|\()")


def _legend_columns(claims: Claims, a: int, b: int) -> list[str] | None:
    """The quantities a legend names, in order; None where an item of it is neither a quantity nor a unit. A bare
    phase pair ("MBF (rest/stress, mL/min/g): ...") orders the flow named just before the legend."""
    flow_head = any(m.label in ("MBF", "STRESS_MBF", "REST_MBF") and 0 <= a - 1 - m.end <= 2 for m in claims.mentions)
    columns: list[str] = []
    starts = [a] + [x.end() for x in _LEGEND_ITEM.finditer(claims.text, a, b)]
    for i, start in enumerate(starts):
        end = starts[i + 1] - 1 if i + 1 < len(starts) else b
        if _LEGEND_UNIT.fullmatch(claims.text, start, end):
            continue
        pair = _LEGEND_PAIR.fullmatch(claims.text, start, end) or (
            _PHASE_PAIR_ALONE.fullmatch(claims.text, start, end) if flow_head else None
        )
        if pair is not None:
            columns += ["rest_mbf" if w.lower() == "rest" else "stress_mbf" for w in pair.groups()]
            continue
        named = [m for m in claims.mentions if start <= m.start < end and m.label in _LABEL_QUANTITY]
        # one quantity, or several joined by slashes ("stress MBF / rest MBF")
        if not named or any(not re.fullmatch(r"\s*/\s*", claims.text[x.end : y.start]) for x, y in pairwise(named)):
            return None
        columns += [_LABEL_QUANTITY[m.label] for m in named]
    return columns if len(columns) >= 2 else None


def _read_legend_rows(
    claims: Claims,
    sections: list[tuple[int, int, str]],
    doc: Doc,
    taken: list[tuple[int, int]],
    excluded: list[tuple[int, int]],
) -> None:
    text = claims.text
    if "):" not in text and ") :" not in text:
        return
    for legend in _LEGEND.finditer(text):
        columns = _legend_columns(claims, legend.start(1), legend.end(1))
        if columns is None:
            continue
        pos = legend.end()
        places = {m.start: m for m in claims.mentions if m.label == "TERRITORY" and m.start >= pos}
        while True:
            rest = text[pos:]
            at = pos + len(rest) - len(rest.lstrip(" \t\n;,"))
            territory: str | None
            if at in places:
                territory, pos = places[at].value, places[at].end
            elif g := _ROW_GLOBAL.match(text, at):
                territory, pos = None, g.end()
            else:
                break
            row = _ROW_VALUES.match(text, pos)
            if row is None or not _ROW_END.match(text, row.end()):
                break
            values = list(_SLASH_VALUE.finditer(text, row.start(1), row.end(1)))
            if len(values) > len(columns) or any(_inside(v.start(), taken + excluded) for v in values):
                break
            for v, quantity in zip(values, columns, strict=False):
                sent = _sent_index(claims.sentences, v.start())
                claims.numbers.append(_territory_value(doc, sections, v, quantity, territory, sent))
            taken.append((row.start(1), row.end(1)))
            pos = row.end()
            if not re.match(r"\s*[;,]", text[pos:]):
                break


# a value after a slash that follows another value's unit ("Bruce 9 min/10.1 METs/94% MPHR"): a list written with
# slashes, each value with its own unit (not a fraction, which the number pattern leaves out)
_SLASHED_AFTER_UNIT = re.compile(r"(?<=[A-Za-z%]/)(\d+(?:\.\d+)?)(?=\s*(?:%|(?:METs?|min|bpm|mL|mmHg)\b))", re.I)
# a percentage dictated in words ("ejection fraction twenty eight percent"): read as its digits would be; only
# before "percent", where a number word can be nothing but a value ("one", "three" elsewhere count vessels, defects)
_SPELLED_PERCENT = re.compile(rf"(?<![\w-])({WORD_NUMBER})(?=\s+per\s?cent\b)", re.I)
# ... and METs in words, a unit no other count shares ("twelve point four METs")
_SPELLED_METS = re.compile(rf"(?<![\w-])({WORD_NUMBER})(?=\s+METs?\b)", re.I)
# ... and a Duke treadmill score in words right after its name, its sign said before it ("a Duke score of plus
# thirteen", "DTS minus four point five"): the score's name, as "per cent" and "METs", says what the number is
_SPELLED_DUKE = re.compile(
    rf"\b(?:Duke|DTS)\b(?:\s+treadmill)?(?:\s+score)?(?:\s+(?:of|was|is|at|=|:))?\s+(?:plus\s+|positive\s+)?"
    rf"({WORD_NUMBER})(?![\w-])",
    re.I,
)


# a sentence about the exercise test, where a time in minutes and seconds is its duration
_EXERCISE_TIME_CUE = re.compile(r"\b(?:exercis\w*|treadmill|Bruce|ETT|walk\w*|stage)\b", re.I)


def _read_exercise_times(
    claims: Claims, sections: list[tuple[int, int, str]], doc: Doc, taken: list[tuple[int, int]]
) -> None:
    """An exercise time in minutes and seconds ("Bruce 6:30", "6 min 30 s", "7'15\""): the exercise duration in
    decimal minutes, stated to the second (checked to +/- 3 s, decimals 1), in a sentence about the exercise test
    (elsewhere "10:30" is a time of day, no value). A time in minutes alone is read with the other numbers."""
    text = claims.text
    if not any(c in text for c in ":'\u2032") and not re.search(r"\d\s*(?:s|sec\w*)\b", text, re.I):
        return  # most texts: no time written to the second
    for m in gated(DURATION_RE).finditer(text):  # gated: the same matches; the number words made it ~1.5 ms a text
        if m.group("mm") is not None:
            minutes, seconds = float(m.group("mm")), float(m.group("ss"))
        elif m.group("pm") is not None:
            minutes, seconds = float(m.group("pm")), float(m.group("ps"))
        elif m.group("sec") is not None:
            mins, secs = parse_number_token(m.group("min")), parse_number_token(m.group("sec"))
            if mins is None or secs is None:
                continue
            minutes, seconds = mins, secs
        else:
            continue
        if seconds >= 60 or _inside(m.start(), taken):
            continue
        sent = _sent_index(claims.sentences, m.start())
        s0, s1 = claims.sentences[sent]
        if not _EXERCISE_TIME_CUE.search(text, s0, s1):
            continue
        claims.numbers.append(
            NumberClaim(
                value=round(minutes + seconds / 60, 3),
                decimals=1,
                span=(m.start(), m.end()),
                unit="min",
                quantity="duration",
                phase=None,
                territory=None,
                sent=sent,
                section=_section_at(doc, sections, m.start()),
                text_value=m.group(0),
            )
        )
        taken.append((m.start(), m.end()))


# a list of segment numbers in parentheses right after a finding or a place ("fixed inferior scar (4,10,15)",
# "ischaemia of the lateral wall (6, 12, 16)"): each a segment of the 17-segment model, not a value
_SEGMENT_PARENS = re.compile(r"[ \t]*\(\s*(\d{1,2}(?:\s*,\s*\d{1,2})+)\s*\)")
_SEGMENT_LIST_HEADS = frozenset({"DEFECT", "ISCHEMIA", "INFARCTION", "WALL", "TERRITORY", "WALL_MOTION"})


def _read_segment_lists(
    claims: Claims, sections: list[tuple[int, int, str]], doc: Doc, taken: list[tuple[int, int]]
) -> None:
    text = claims.text
    if "(" not in text:
        return
    for head in claims.mentions:
        if head.label not in _SEGMENT_LIST_HEADS or not (m := _SEGMENT_PARENS.match(text, head.end)):
            continue
        numbers = list(re.finditer(r"\d+", m.group(1)))
        if any(not 1 <= int(n.group(0)) <= 17 for n in numbers) or _inside(m.start(1), taken):
            continue
        for n in numbers:
            a, b = m.start(1) + n.start(), m.start(1) + n.end()
            claims.numbers.append(
                NumberClaim(
                    value=float(n.group(0)),
                    decimals=0,
                    span=(a, b),
                    unit="segment",
                    quantity=None,
                    phase=None,
                    territory=None,
                    sent=_sent_index(claims.sentences, a),
                    section=_section_at(doc, sections, a),
                    text_value=n.group(0),
                )
            )
        taken.append((m.start(1), m.end(1)))


def _read_numbers(
    claims: Claims, sections: list[tuple[int, int, str]], doc: Doc, date_matches: list[re.Match[str]]
) -> None:
    """The numbers of the text (``date_matches``: the text's ``iter_dates``)."""
    text = claims.text
    excluded = _excluded_spans(claims)
    # each sentence's mentions of a quantity, in text order: a number looks back among its own sentence's only
    labels: dict[int, list[Mention]] = {}
    for mention in claims.mentions:
        if mention.label in _LABEL_QUANTITY:
            labels.setdefault(mention.sent, []).append(mention)
    taken: list[tuple[int, int]] = []
    for m in date_matches:
        if re.match(r"\s+\d{1,2}:\d{2}", text[m.end() : m.end() + 7]):
            taken.append((m.start(), m.end() + 6))
            continue  # a timestamp (when a report was drafted or signed), not a study date
        if _after_slashed_labels(claims, m.start()):
            continue  # "SSS/SRS/SDS=19/1/18": one value per label (_read_slash_runs), not a date
        claims.dates.append((m.group(0), (m.start(), m.end())))
        taken.append((m.start(), m.end()))
    _read_exercise_times(claims, sections, doc, taken)
    _read_segment_lists(claims, sections, doc, taken)
    _read_legend_rows(claims, sections, doc, taken, excluded)
    _read_slash_runs(claims, sections, doc, taken, excluded, labels)
    for m in gated(BP_RE).finditer(text):  # gated: the same matches, tried only where one can start
        if _inside(m.start(), taken) or _inside(m.start(), excluded):
            continue
        sys_, dia = int(m.group(1)), int(m.group(2))
        if not bp_plausible(sys_, dia):
            continue
        sent = _sent_index(claims.sentences, m.start())
        claims.numbers.append(
            NumberClaim(
                value=float(sys_),
                decimals=0,
                span=(m.start(), m.end()),
                unit="mmHg",
                quantity="bp",
                phase=_phase(claims, m.start(), m.end(), sent),
                territory=None,
                sent=sent,
                section=_section_at(doc, sections, m.start()),
                text_value=f"{sys_}/{dia}",
            )
        )
        taken.append((m.start(), m.end()))
    spelled = _SPELLED_PERCENT.finditer(text) if "per" in text else ()
    spelled_mets = _SPELLED_METS.finditer(text) if "met" in text.lower() else ()
    spelled_duke = _SPELLED_DUKE.finditer(text) if re.search(r"duke|dts", text, re.I) else ()
    for m in chain(
        gated(WRITTEN_NUMBER_RE).finditer(text), _SLASHED_AFTER_UNIT.finditer(text), spelled, spelled_mets, spelled_duke
    ):
        start, end = m.span(1)
        if _inside(start, taken) or _inside(start, excluded):
            continue
        if m.re is _SPELLED_PERCENT or m.re is _SPELLED_METS or m.re is _SPELLED_DUKE:
            if (in_words := words_to_number(m.group(1))) is None:
                continue
            point = re.search(r"\bpoint\b(.*)", m.group(1), re.I)
            value, decimals = in_words, len(point.group(1).split()) if point else 0
        else:
            value, decimals = parse_written_number(m.group(1))
        first = start
        if value > 0 and (minus := _SPOKEN_MINUS.search(text, max(0, start - 12), start)):
            value, first = -value, minus.start()  # "Duke treadmill score minus 4.5": the sign in words
        sent = _sent_index(claims.sentences, start)
        s0, s1 = claims.sentences[sent]
        after = text[end : min(len(text), end + 40)]
        before = text[max(s0, start - 60) : start]
        unit = _unit(after, before)
        unit_m = units_re(unit).match(after) if unit not in (None, "segment") else None
        span_end = end + unit_m.end() if unit_m else end
        quantity, label = _label_before(claims, start, sent, labels.get(sent, []))
        territory = None
        sentence = text[s0:s1]
        if unit == "mphr%" or (unit == "%" and _MPHR_AFTER.match(text[end : end + 60])):
            quantity = "mphr"
        if unit == "segment":
            quantity = None
        elif quantity in _NOT_PERCENT and unit in ("%", "lv%"):
            quantity = None  # "(8.4 METs, 88%)": the % is not METs
        elif quantity == "risk_band" and unit == "lv%":
            quantity = None  # "Risk: high (ischaemia >10% of LV)": a share of the myocardium, not an event rate
        elif quantity == "lvef" and unit == "points":
            quantity = "lvef_drop"
        elif (
            quantity is not None
            and unit in ("mL", "bpm", "mmHg", "MBq", "mCi", "mg", "mm", "min", "s", "METs", "flow")
            and unit not in _QUANTITY_UNITS.get(quantity, (unit,))
        ):
            quantity = None  # a label followed by a number of another kind ("EF ... 110 mL"): not that quantity
        if (
            quantity is None
            and unit is None
            and (
                _AGATSTON_AFTER.match(after)
                or (
                    _TOTAL_SCORE_BEFORE.search(before) and re.search(r"agatston|calcium|calcif|\bCAC\b", sentence, re.I)
                )
            )
        ):
            quantity = "cac"  # "elevated at 1240 Agatston units"; "calcification with a total score of 1240"
        vessel = _VESSEL.search(before) or _VESSEL_CALCIUM.search(before)
        if quantity is None and unit is None and vessel and _calcium_nearer(text, start, sentence):
            quantity, territory = "cac", _vessel_code(vessel)
        listed = _listed_under(claims, start) if quantity is None and _VESSEL.search(before) else None
        if listed is not None and (unit is None or unit == "flow"):
            # "MFR 1.17 (LAD 1.20, LCx 1.11)": values by territory in parentheses after a labelled value are
            # that quantity's, each of the territory before it
            quantity = listed
            territory = _vessel_code(_VESSEL.search(before))  # type: ignore[arg-type]
        if (
            quantity is None
            and unit is None
            and _VESSEL.search(before)
            and _MFR.search(_full_sentence(text, start))
            and _flow_reserve_nearest(text, start)
        ):  # "flow reserve 1.35 (LAD 1.33, LCx 1.38)": a number right after a territory is its flow reserve
            quantity = "mfr"
            territory = _vessel_code(_VESSEL.search(before))  # type: ignore[arg-type]
        if (
            quantity in ("mfr", "stress_mbf", "rest_mbf")
            or unit == "flow"
            # (not a year that dates something: "the PET of November 2025, ... 1.65 mL/min/g")
            or (
                quantity is None
                and unit is None
                and _FLOW_UNIT.search(sentence)
                and not _dated_year(text, start, end, unit, quantity)
            )
        ) and territory is None:
            own_vessel = _VESSEL_AFTER.match(text, end) or _VESSEL_IN_AFTER.match(text, end)
            territory = _vessel_code(own_vessel) if own_vessel else _territory_near(claims, sent, start)
            if quantity is None:
                unit = "flow"
        if quantity == "cac" and territory is None and label is not None:
            territory = None
        phase = (
            _phase(claims, start, end, sent)
            if (
                quantity in ("lvef", "hr", "edv", "esv", "stress_mbf", "rest_mbf")
                or unit in ("bpm", "flow", "mL", "MBq", "mCi")
            )
            else None
        )
        if (
            quantity in ("stress_mbf", "rest_mbf")
            and label is not None
            and (own := _LEAD_PHASE.search(text, label.end, start))
        ):
            # "stress MBF 1.32 vs rest 0.88": a phase word nearer than the label names the number's own phase
            quantity = "rest_mbf" if own.group(1).lower() in ("rest", "resting", "baseline") else "stress_mbf"
        elif (
            quantity == "stress_mbf"
            and label is not None
            and _RISES_FROM.search(text[label.end : start])
            and re.match(r"\s*(?:mL/min/g\s*)?(?:to|->|→)\s*\d", text[end : end + 24], re.I)
        ):
            # "stress MBF barely rises (0.90 to 0.99 mL/min/g)": the value it rises from is the rest flow
            quantity, phase = "rest_mbf", "rest"
        if quantity is None and unit == "flow" and phase is not None:
            # "LAD territory: rest 1.05 and stress 1.4 mL/min/g": a phase makes it that phase's MBF
            quantity = "rest_mbf" if phase == "rest" else "stress_mbf"
        elif quantity is None and unit == "bpm" and phase is not None:
            quantity = "hr"  # "to 98 bpm at peak stress"
        elif quantity is None and unit in ("MBq", "mCi") and phase is not None:
            # "10 mCi rest / 1110 MBq stress": an activity with its phase is that phase's injected activity
            quantity = "dose_mbq" if unit == "MBq" else "dose_mci"
            phase = "stress" if phase == "peak" else phase
        if quantity is None and unit is not None and phase is None:
            quantity, phase = _elided_label(claims, start, sent, unit)
        if quantity == "lvef" and label is not None:
            lead = text[max(s0, label.start - 14) : label.start].lower()
            if re.search(r"\b(?:drop|fall|fell|falling|decrease|decreased|from)\b", text[label.end : start], re.I):
                phase = None  # "post-stress LVEF drop (58% to 52%)": the numbers are of both phases
            elif re.search(r"\d", text[label.end : start]):
                pass  # a second value ("post-stress LVEF 47% versus 56% at rest"): its own phase words decide
            elif re.search(r"\brest(?:ing)?\s*$", lead):
                phase = "rest"
            elif re.search(r"stress\s*$", lead):
                phase = "peak"
        if _dated_year(text, start, end, unit, quantity):
            continue  # "the inferior scar of 2023": the year it was seen, not its extent
        claims.numbers.append(
            NumberClaim(
                value=value,
                decimals=decimals,
                span=(first, span_end),
                unit=unit,
                quantity=quantity,
                phase=phase,
                territory=territory,
                sent=sent,
                section=_section_at(doc, sections, start),
                text_value=m.group(1),
            )
        )


# --- defects ----------------------------------------------------------------------------------

_TRIGGERS = ("DEFECT", "ISCHEMIA", "INFARCTION")
# Concepts whose words carry their own value ("ECG positive", "abnormal perfusion"): a negation before a comma
# does not reach them.
_VALUED_LABELS = frozenset({"ECG_RESULT", "RESULT", "WALL_MOTION", "LV_SIZE", "RISK"})
# the concepts that name the test itself (how the heart was stressed and imaged); a negation before a finding
# named first ("no ischemia on regadenoson SPECT") governs that finding, not the test named after it
_TEST_LABELS = frozenset({"AGENT", "TRACER", "MODALITY", "PHARM_STRESS", "EXERCISE"})
# The first word of such a concept when it is the concept's value ("ischemic ST changes", "abnormal perfusion")
_OWN_VALUE_WORD = re.compile(
    r"isch(?:a)?emic|abnormal|positive|diagnostic|significant|horizontal|downsloping|upsloping|normal|"
    r"non-?(?:specific|diagnostic|ischa?emic)|equivocal|dilated|enlarged|akinetic|dyskinetic|hypokinetic",
    re.I,
)
_THREE_TERRITORIES = ("LAD", "LCx", "RCA")


def _segments_in(text: str, offset: int) -> tuple[int, ...]:
    out: list[int] = []
    for m in re.finditer(r"\bsegments?\s+((?:\d+\s*(?:,|and|&)?\s*)+)", text, re.I):
        out.extend(int(n) for n in re.findall(r"\d+", m.group(1)) if 1 <= int(n) <= 17)
    return tuple(dict.fromkeys(out))


_PARENTHESIS = re.compile(r"[()]")


def _paren_depth_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    depth, start = 0, 0
    if "(" not in text:
        return spans  # most sentences: no parenthesis, no loop over their characters
    for m in _PARENTHESIS.finditer(text):  # the parentheses only, not every character
        i, ch = m.start(), m.group()
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def _read_defects(claims: Claims) -> None:
    current = [m for m in claims.mentions if not claims.in_prior(m.start)]
    claims.defects.extend(_defects_of(claims, current, prior=False))
    claims.defects.extend(_placed_by_anaphor(claims, current, claims.defects))
    claims.defects.extend(_graded_by_anaphor(claims, current, claims.defects))
    claims.defects.extend(_coursed_by_anaphor(claims, current, claims.defects))
    earlier = [m for m in claims.mentions if claims.in_prior(m.start)]
    claims.prior_defects.extend(_defects_of(claims, earlier, prior=True))


_CLAUSE_BREAK = re.compile(r"[,;:()]|\b(?:while|whereas|but|although)\b", re.I)
# ... in the words of dictation too ("the septum looks fine", "the apex perfuses normally")
_NORMAL_WORDS = re.compile(
    r"\b(?:normal|normally|preserved|intact|spared|unremarkable|unaffected|fine|okay|healthy)\b|(?-i:\bOK\b)"
    # ... and the verb that leaves places out of a finding ("..., sparing the apex", "as it spares the apex")
    r"|\bspar(?:es|ing)\b",
    re.I,
)


def _normal_clause(text: str, s0: int, s1: int, pos: int, trigger_at: list[int]) -> bool:
    """``pos`` lies in a clause that calls something normal and holds no defect, ischemia or scar word."""
    breaks = [s0] + [b.end() for b in _CLAUSE_BREAK.finditer(text, s0, s1)] + [s1]  # finditer's are absolute
    i = max(k for k, x in enumerate(breaks) if x <= pos)
    a, b = breaks[i], min((x for x in breaks if x > pos), default=s1)
    # a list of places, or a value in parentheses, continues the clause before it ("normal flow reserve globally
    # (2.8) and in the LAD, LCx and RCA territories")
    while i > 0 and not _NORMAL_WORDS.search(text, a, b) and _PLACE_LIST.fullmatch(text, a, b):
        i -= 1
        a = breaks[i]
    if any(a <= t < b for t in trigger_at):
        return False
    if _NORMAL_WORDS.search(text, a, b):
        return True
    # a relative clause right after the places grades them ("compared with the LAD and RCA territories, which are
    # both normal"): the places are called normal there
    c = min((x for x in breaks if x > b), default=s1)
    return (
        b < s1
        and text[b - 1] == ","
        and bool(_RELATIVE_NORMAL.match(text, b, c))
        and not any(b <= t < c for t in trigger_at)
    )


# a relative clause that grades what it follows as normal ("..., which are both normal", "..., both of which look
# fine")
_RELATIVE_NORMAL = re.compile(
    r"\s*(?:which|that|(?:both|all|each|neither)\s+of\s+which)\s+(?:are|is|were|was|remain\w*|look\w*|appear\w*|"
    r"seem\w*)\s+(?:both\s+|all\s+|each\s+|still\s+|entirely\s+|quite\s+)?"
    r"(?:normal|preserved|intact|spared|unremarkable|unaffected|fine)\b",
    re.I,
)


_PLACE_LIST = re.compile(
    r"[\s,;:()]*(?:(?:and|or|in|of|the|both|all|three|two|&|/|\d+(?:\.\d+)?|LAD|LCx|RCA|LM|left|anterior|descending|"
    r"circumflex|right|coronary|inferior|lateral|septal|septum|apex|apical|anteroseptal|inferoseptal|anterolateral|"
    r"inferolateral|basal|mid|territor(?:y|ies)|walls?|segments?|distributions?|regions?"
    # ... and a place's value with its label ("preserved LAD (MFR 2.60) and LCx (MFR 2.33) reserve")
    r"|MFR|MBF|CFR|mL/min/g|stress|rest|peak"
    # ... said in words ("LAD stress flow 2.05 mL/min/g with a reserve of 2.70")
    r"|flow|reserve|hypera?emic|with|a|an)\b[\s,;:()/&]*)*",
    re.I,
)


def _list_graded_after(text: str, s0: int, s1: int, pos: int, trigger_at: list[int]) -> bool:
    """``pos`` lies in a list of places (each perhaps with its value) that the clause after it grades normal as its
    subject ("..., while LCx (MFR 2.33) and LAD (MFR 2.60) reserve stay normal"; not "... and RCA, with normal wall
    motion"), and no defect, ischemia or scar word stands between."""
    breaks = [s0] + [b.end() for b in _CLAUSE_BREAK.finditer(text, s0, s1)] + [s1]
    i = max(k for k, x in enumerate(breaks) if x <= pos)
    j = i + 1
    if j >= len(breaks) or not _PLACE_LIST.fullmatch(text, breaks[i], breaks[j]):
        return False
    while j + 1 < len(breaks) and _PLACE_LIST.fullmatch(text, breaks[i], breaks[j]):
        j += 1
    a, b = breaks[i], breaks[j]
    graded = _LIST_PREDICATE.match(text, breaks[j - 1], b) and _NORMAL_WORDS.search(text, breaks[j - 1], b)
    return bool(graded) and not any(a <= t < b for t in trigger_at)


_LIST_PREDICATE = re.compile(
    r"[\s)]*(?:[\w/-]+\s+){0,3}?(?:is|are|was|were|stays?|remains?|looks?|appears?|seems?)\b", re.I
)


_LOCATIONS = ("WALL", "TERRITORY")
_NAMES_DEFECT = re.compile(r"ischa?emi|defect|scar|infarct", re.I)
_READS_BEFORE = re.compile(
    r"\s*(?:(?:most\s+)?(?:consistent|compatible|in keeping|likely|probably|suggest\w*|represent\w*|reflect\w*|"
    r"due to|indicat\w*|which|that|from|attribut\w*|related))\b",
    re.I,
)


# an article and its adjectives, each before a comma, at the end of a clause: a noun phrase the next clause ends
# (an adjective may carry its adverb: "a small, probably silent, inferior infarct")
_OPEN_NOUN_PHRASE = re.compile(r"\b(?:a|an)\s+(?:(?:[a-z]+ly\s+)?[a-z-]+\s*,\s*)+$", re.I)


_RISES_FROM = re.compile(r"\b(?:rises?|rising|rose|increases?|increasing|increased|goes\s+up|from)\b", re.I)
_NAMES_LATE_IMAGES = re.compile(r"\s+(?:study|studies|imaging|images?|scans?|protocol|views?|acquisition)\b", re.I)
_CONTRAST_OPENS = re.compile(r"\s*(?:but|however|whereas|while|though|although|yet)\b", re.I)
_FLOW_LABELS = frozenset({"MBF", "STRESS_MBF", "REST_MBF", "MFR"})


def _defect_units(text: str, s0: int, s1: int, ms: list[Mention]) -> list[tuple[int, int, list[Mention]]]:
    """The parts of a sentence that each describe one defect: a run-on sentence whose later clause names a
    defect of its own, with its own place, after one already placed ("new reversible ischemia in the anterolateral
    wall, ..., the small fixed inferior defect is unchanged, ...") describes two; other sentences are one part."""
    parens = [(a + s0, b + s0) for a, b in _paren_depth_spans(text[s0:s1])]

    # a clause also begins at a contrasting conjunction ("new LCx ischaemia while the inferior scar is unchanged"),
    # or where "plus" (or "+" in shorthand) or an additive preposition adds a finding ("... anterior defect (LAD) plus
    # a small fixed inferior defect", "old inf MI + LCx ischaemia", "LCx ischaemia on top of an old anterior scar",
    # "in addition to the known inferior infarct"); a "+" only after a finding's noun: between places ("LAD + RCA
    # ischemia", "ant/apical + basal-mid inf defects") it joins the places of one finding
    def finding_before(at: int) -> bool:
        last = max((m for m in ms if m.end <= at), key=lambda m: m.end, default=None)
        return last is not None and last.label in _TRIGGERS

    breaks = [
        s0 + (b.end() if b.group() in ",;|" else b.start())
        for b in re.finditer(
            # ... or at a conjunction that opens a denial ("fixed inferior scar and no ischemia elsewhere"), or at the
            # bar between the fields of a registry line ("SCAR=RCA inferior, fixed | ISCHEMIA=LCx lateral, reversible")
            r"[,;|]|\b(?:while|whereas|although|plus|on\s+top\s+of|in\s+addition\s+to|as\s+well\s+as|alongside)\b"
            r"|(?<=\s)\+(?=\s)"
            r"|\b(?:and|but)\s+(?=(?:there\s+(?:is|was|are)\s+)?(?:no|without)\b)",
            text[s0:s1],
            re.I,
        )
        if not _inside(s0 + b.start(), parens) and (b.group() != "+" or finding_before(s0 + b.start()))
    ]
    bounds = [s0, *sorted(set(breaks)), s1]
    cuts = [s0]
    trigger = located = False
    for a, b in pairwise(bounds):
        clause = [m for m in ms if a <= m.start < b]
        # "..., with a small fixed inferior scar": a scar or ischemia with its own place is a defect of its own,
        # unless the clause reads the defect before it ("..., consistent with an old RCA infarction")
        has_defect = any(m.label == "DEFECT" and not m.negated for m in clause) or (
            any(m.label in _TRIGGERS and not m.negated for m in clause) and not _READS_BEFORE.match(text, a, b)
        )
        has_place = any(m.label in _LOCATIONS for m in clause)
        # "..., and there's no ischaemia anywhere, septum included": a denial after a placed defect is a claim
        # of its own, and the places after it are what it denies, not more places of the defect before it
        denial = any(m.label in _TRIGGERS for m in clause) and all(
            m.negated for m in clause if m.label in _TRIGGERS or m.label == "DEFECT"
        )
        # "... apical defect (SSS 2), but the absolute flow tells another story: stress MBF 0.99, ... reduced in the
        # LAD, LCx and RCA beds": a clause about the measured flow set against the defect, naming no finding, opens a
        # part of its own; the places after it are where the flow is low, not more places of the defect before it
        flow_clause = (
            any(m.label in _FLOW_LABELS for m in clause)
            and not any(m.label in _TRIGGERS for m in clause)
            and _CONTRAST_OPENS.match(text, a) is not None
        )
        if ((has_defect and has_place) or denial or flow_clause) and trigger and located:
            # "..., and there may also be a moderate, largely reversible inferolateral defect": a comma between
            # the adjectives of one noun phrase; its article and the adjectives before the comma open the new part
            open_np = _OPEN_NOUN_PHRASE.search(text, max(s0, a - 50), a)
            cuts.append(open_np.start() if open_np is not None and open_np.start() > cuts[-1] else a)
            trigger = located = False
        trigger = trigger or any(  # "new ischemia in the LCx": a change that names a defect names one
            m.label in _TRIGGERS or (m.label == "COMPARISON" and _NAMES_DEFECT.search(text, m.start, m.end))
            for m in clause
        )
        located = located or has_place
    cuts.append(s1)
    return [(a, b, [m for m in ms if a <= m.start < b]) for a, b in pairwise(cuts)]


_FLOW_WORDS = re.compile(r"\bflow\b|\bMFR\b|\bMBF\b", re.I)
# a vessel named as the site of a device or procedure ("a prior LAD stent", "PCI to the LAD", "LIMA to LAD"): the
# patient's history, not the place of a defect; "the stented LAD territory" still names a territory
_DEVICE_AFTER = re.compile(
    r"\s*(?:stents?|stenting|PCI|DES|BMS|grafts?|grafting|angioplasty|CABG|bypass)\b"
    r"(?!\s*(?:territor(?:y|ies)|distributions?|regions?)\b)",
    re.I,
)
_DEVICE_BEFORE = re.compile(
    r"\b(?:stent(?:s|ed|ing)?|PCI|DES|BMS|angioplasty|graft(?:s|ed|ing)?|LIMA|RIMA|SVG)\s+(?:(?:to|in|of|into|on)\s+)?"
    r"(?:the\s+)?(?:(?:proximal|mid|distal)\s+)?$",
    re.I,
)
_PLACE_OF_BEFORE = re.compile(
    r"\b(?:territor(?:y|ies)|distributions?|regions?|supply|bed)\s+(?:of|from|subtended\s+by)\s+(?:the\s+|an?\s+)?$",
    re.I,
)
_PLACE_NOUN_AFTER = re.compile(r"\s*(?:territor(?:y|ies)|distributions?|regions?|supply)\b", re.I)


# the joint of a list of vessels ("grafts to the RCA and OM", "SVG to LAD, D1 and OM")
_VESSEL_LIST_JOINT = re.compile(r"\s*(?:,|&|/|\band\b|\bor\b)\s*(?:(?:and|the)\s+)?", re.I)

# a device or graft said to fail ("a failing LIMA graft to the LAD", "occlusion of the SVG to the OM", "the LAD
# stent has restenosed"): the culprit of a finding, so its vessel names the finding's place
_FAILING_BEFORE = re.compile(
    r"\b(?:failing|failed|failure\s+of|occluded|occlusion\s+of|stenosed|stenotic|stenosis\s+(?:of|in)|diseased|"
    r"disease\s+(?:of|in)|thrombosed|thrombosis\s+of|degenerated|obstructed|narrowed|narrowing\s+(?:of|in))\s+"
    r"(?:(?:the|a|an|his|her|their)\s+)?(?:[\w-]+\s+){0,2}?$",
    re.I,
)
_FAILING_AFTER = re.compile(
    r"\s*(?:stents?|grafts?|PCI|CABG|bypass)\s+(?:(?:has|have|had|is|are|was|were)\s+)?(?:failure|failed|failing|"
    r"occlu\w*|stenos\w*|restenos\w*|thrombos\w*|disease|narrowing)\b",
    re.I,
)


def _names_device(text: str, m: Mention, mentions: Sequence[Mention] = ()) -> bool:
    """The territory mention ``m`` names the vessel of a device or procedure, not a defect's place: right after the
    device ("SVG to RCA"), or a later vessel of the same list ("vein grafts to RCA and OM": the OM is grafted too)."""
    if _FAILING_AFTER.match(text, m.end):
        return False  # "LAD graft failure": the failing graft's vessel is the place of the finding
    if _DEVICE_AFTER.match(text, m.end):
        return True
    before = [x for x in mentions if x.label == "TERRITORY" and x.end <= m.start]
    if (
        before
        and _VESSEL_LIST_JOINT.fullmatch(text, before[-1].end, m.start)
        and _names_device(text, before[-1], before)
    ):
        return True
    device = _DEVICE_BEFORE.search(text, max(0, m.start - 30), m.start)
    if device and _PLACE_OF_BEFORE.search(text, max(0, device.start() - 40), device.start()):
        return False  # "in the territory of the LIMA to the LAD": the graft's target vessel names the place
    if device and _FAILING_BEFORE.search(text, max(0, device.start() - 40), device.start()):
        return False  # "a failing LIMA graft to the LAD": the failing graft's target names the place
    return bool(device) and not _PLACE_NOUN_AFTER.match(text, m.end)


def _all_territories(sentence: str) -> bool:
    """The sentence places something in all territories, and its clause is not about flow ("flow reserve 1.17
    in all three territories" grades the flow, not a defect)."""
    for hit in cues().all_territories.finditer(sentence):
        start = max((b.end() for b in _CLAUSE_BREAK.finditer(sentence, 0, hit.start())), default=0)
        if not _FLOW_WORDS.search(sentence, start, hit.end()):
            return True
    return False


# between a grade word and the finding it grades: other adjectives, commas ("medium-sized, severe scar", "mild fixed
# inferior scar")
_GRADE_GAP = re.compile(r"[\s,-]*(?:[\w-]+[\s,]+){0,3}?", re.I)
_POSTNOMINAL_GAP = re.compile(r"[ \t]+")


def _defects_of(claims: Claims, mentions: list[Mention], *, prior: bool) -> list[DefectClaim]:
    text = claims.text
    out: list[DefectClaim] = []
    by_sent: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sent.setdefault(m.sent, []).append(m)
    units = [
        (sent, *unit)
        for sent, sent_ms in sorted(by_sent.items())
        if any(m.label in _TRIGGERS or m.label == "WALL_MOTION" for m in sent_ms)  # else no unit is read below
        for unit in _defect_units(text, *claims.sentences[sent], sent_ms)
    ]
    for sent, s0, s1, ms in units:
        sentence = text[s0:s1]
        wall_motion = [m for m in ms if m.label == "WALL_MOTION" and m.value == "abnormal" and not m.negated]
        triggers = [m for m in ms if m.label in _TRIGGERS]
        if not wall_motion and not triggers:
            continue
        if not prior and _NOT_CURRENT_DEFECT.search(sentence) and not _RESIDUAL.search(sentence):
            continue
        trigger_at = [m.start for m in triggers] + [m.start for m in wall_motion]
        # a clause that calls its territories or walls normal and states no defect does not locate one
        # ("..., while the circumflex and right coronary territories have normal flow reserve, ...")
        ms = [
            m
            for m in ms
            if m.label not in ("WALL", "TERRITORY")
            or not (
                _normal_clause(text, s0, s1, m.start, trigger_at)
                or _list_graded_after(text, s0, s1, m.start, trigger_at)
            )
        ]
        walls: list[str] = []
        wall_ms = [m for m in ms if m.label == "WALL"]
        for i, w in enumerate(wall_ms):
            value = w.value or ""
            if text[w.start : w.end].lower() == "apical":
                nxt = wall_ms[i + 1] if i + 1 < len(wall_ms) else None
                if nxt is not None and text[w.end : nxt.start].strip() == "":
                    continue  # "apical anterior": a level, not a wall
            if value and value not in walls:
                walls.append(value)
        territories = tuple(
            dict.fromkeys(
                m.value
                for m in ms
                if m.label == "TERRITORY"
                and m.value
                and not _LABELS_NUMBER.match(text[m.end : m.end + 12])
                and not _names_device(text, m, ms)
            )
        )
        if _all_territories(sentence):  # "defects in all three coronary territories"
            territories = tuple(dict.fromkeys((*_THREE_TERRITORIES, *territories)))
        segments = _segments_in(sentence, s0)
        if not walls and not territories and not segments:
            continue
        live = [t for t in triggers if prior or not _historical(claims, t) or _graded_old_scar(claims, t, ms)]
        # a sentence with a defect and a wall-motion abnormality is about the defect ("fixed inferior
        # defect with akinesis of the inferior wall"); its walls may be those of either
        # ... and so is one whose scar or ischemia has a grade of its own ("a medium-sized, severe scar with basal
        # inferior akinesis": the scar's grades, not the wall motion's)
        graded = any(
            t.label != "DEFECT"
            and not t.negated
            and (
                any(
                    g.label in ("SEVERITY", "EXTENT")
                    and g.end <= t.start
                    and _GRADE_GAP.fullmatch(text, g.end, t.start)
                    # ("severe inferior hypokinesis with scar": the grade of the motion)
                    and not any(w.start < t.start and g.end <= w.start for w in wall_motion)
                    for g in ms
                )
                # ... or a grade right after it, as Romance word order puts it ("necrosis extensive of the anterior
                # wall with apical aneurysm"), unless the grade goes on to the motion ("scar severe hypokinesis")
                or any(
                    g.label in ("SEVERITY", "EXTENT")
                    and _POSTNOMINAL_GAP.fullmatch(text, t.end, g.start)
                    and not any(_POSTNOMINAL_GAP.fullmatch(text, g.end, w.start) for w in wall_motion)
                    for g in ms
                )
            )
            for t in live
        )
        about_motion = wall_motion and not graded and not any(t.label == "DEFECT" for t in live)
        kind = "wall_motion" if about_motion else "perfusion"
        trigger_label = "WALL_MOTION"
        if kind == "perfusion":
            if not live:
                continue
            # an affirmed finding decides the claim: "reversible inferior ischaemia ..., with no fixed defect to
            # suggest infarction" denies only a kind of defect (see the "defect" statement)
            affirmed = [t for t in live if not t.negated]
            trigger = (
                next((t for t in affirmed if t.label == "DEFECT"), None)
                or next((t for t in live if t.label == "DEFECT" and not affirmed), None)
                or (affirmed or live)[0]
            )
            trigger_label = trigger.label
            certainty = "negated" if trigger.negated else "uncertain" if trigger.uncertain else "affirmed"
            if certainty == "affirmed" and _blames_artifact(text, ms, trigger):
                certainty = "uncertain"  # "... most consistent with breast attenuation": a possible defect
        else:
            # (the wall-motion claim's own mention: every reading of the trigger below is a perfusion claim's, but
            # labels_defect binds it as a default, so it must be bound on this path too)
            trigger = wall_motion[0]
            certainty = "uncertain" if trigger.uncertain else "affirmed"
        parens = [(a + s0, b + s0) for a, b in _paren_depth_spans(sentence)]

        # the scar or infarct the claim is of: a grade before it grades the defect ("a medium-sized, severe scar"),
        # not a part of it as it would another defect's ("a moderate defect with mild scar")
        # (not where the sentence names ischemia too: "ischemia ..., with a small inferior scar" grades the scar part
        # of one partly reversible defect; nor a "peri-infarct" finding, named after the scar it surrounds)
        own_scar = (
            trigger.start
            if kind == "perfusion"
            and trigger_label == "INFARCTION"
            and not re.search(r"peri-?\s?$", text[max(s0, trigger.start - 6) : trigger.start], re.I)
            and not any(
                x.sent == sent
                and not x.negated
                and (x.label == "ISCHEMIA" or (x.label == "REVERSIBILITY" and x.value != "fixed"))
                for x in claims.mentions
            )
            else -1
        )

        # a defect said as one phrase ("an area of severely reduced blood flow"): its opening "area of" is the
        # defect's own (the size before it, "a large area of ...", grades the defect, not a part of it), and so is
        # the grade inside it (of the defect, not of a flow)
        phrase = (trigger.start, trigger.end) if kind == "perfusion" and trigger_label == "DEFECT" else (-1, -1)

        def of_defect(
            m: Mention,
            parens: list[tuple[int, int]] = parens,
            own_scar: int = own_scar,
            phrase: tuple[int, int] = phrase,
        ) -> bool:
            part = _QUALIFIES_PART.match(text[m.end : m.end + 30])
            return (
                not _inside(m.start, parens)
                and (
                    part is None
                    or m.end <= own_scar < m.end + part.end()
                    or (m.end <= phrase[0] and not text[m.end : phrase[0]].strip() and m.end + part.end() <= phrase[1])
                )
                and not _QUALIFIES_BODY.match(text[m.end : m.end + 40])
            )

        def labels_defect(
            m: Mention,
            parens: list[tuple[int, int]] = parens,
            ms: list[Mention] = ms,
            kind: str = kind,
            trigger_label: str = trigger_label,
            trigger: Mention = trigger,
        ) -> bool:
            """A grade in parentheses beside the defect's territory and no number ("(LCx, severe)")."""
            box = next(((a, b) for a, b in parens if a <= m.start < b), None)
            if box is None or re.search(r"\d", text[box[0] : box[1]]):
                return False
            if (
                kind == "perfusion"
                and trigger_label == "DEFECT"
                and not text[trigger.end : box[0]].strip()
                and _SEGMENT_GRADES_BOX.fullmatch(text, box[0], box[1])
            ):
                return True  # "the inferior defect (basal inferior moderate, mid inferior mild)": its segments' grades
            # ... or the grade alone in parentheses right after the territory it grades ("the LAD (moderate)")
            return any(x.label == "TERRITORY" and box[0] <= x.start < box[1] for x in ms) or (
                _GRADE_ALONE.fullmatch(text, box[0], box[1]) is not None
                and any(x.label == "TERRITORY" and _AFTER_TERRITORY.fullmatch(text, x.end, box[0]) for x in ms)
            )

        def grades_ischemic_area(
            m: Mention, parens: list[tuple[int, int]] = parens, live: list[Mention] = live
        ) -> bool:
            """ "a severe area of reversible ischaemia" in a clause naming no infarct: the defect's own grade."""
            return (
                not _inside(m.start, parens)
                and bool(_AREA_OF_ISCHEMIA.match(text, m.end))
                and not any(t.label == "INFARCTION" and not t.negated for t in live)
            )

        sev_ms = [
            m
            for m in ms
            if m.label == "SEVERITY"
            and (
                of_defect(m)
                or labels_defect(m)
                or grades_ischemic_area(m)
                # "(maximal severity mildly reduced uptake in the apex)": the defect's worst grade, by its label
                or MAX_SEVERITY_LABEL.search(text, max(s0, m.start - 30), m.start) is not None
            )
            and not _NOT_A_GRADE.match(text[m.end : m.end + 40])
            and (not _GRADES_OTHER.match(text[m.end : m.end + 60]) or phrase[0] <= m.start < phrase[1])
            and not _SUPERLATIVE_BEFORE.search(text, max(s0, m.start - 12), m.start)
            and not _DENIED_GRADE_BEFORE.search(text, max(s0, m.start - 25), m.start)
            and not _OTHER_LABEL_BEFORE.search(text, max(s0, m.start - 40), m.start)
        ]
        severities: list[str] = []
        sev_spans: list[tuple[int, int]] = []
        if kind == "perfusion":
            for m in sev_ms:
                # "moderate-to-severe" is one concept: read every grade word in it
                for word in _SEVERITY_WORDS.finditer(text[m.start : m.end]):
                    severities.append(_SEV_VALUE[word.group(1).lower()])
                end = m.end
                if second := _RANGE_GRADE_AFTER.match(text, m.end):
                    word_ = second.group(1).lower()
                    severities.append(_SEV_SHORT.get(word_) or _SEV_VALUE[word_])
                    end = second.end(1)
                sev_spans.append((m.start, end))
        extent = next(
            (
                (m.value or "", m.start, m.end)
                for m in ms
                if m.label == "EXTENT"
                and (
                    of_defect(m)
                    # "a large area of severe reversible hypoperfusion": the area is the defect itself, not a part
                    or (
                        kind == "perfusion"
                        # ... or "a large area of old scarring", where the scar is the claim's own finding
                        and (trigger_label == "DEFECT" or own_scar == trigger.start)
                        and not _inside(m.start, parens)
                        and _AREA_OF_DEFECT.fullmatch(text, m.end, trigger.start) is not None
                    )
                )
            ),
            None,
        )
        rev_ms = [
            m
            for m in ms
            if m.label == "REVERSIBILITY"
            and not _inside(m.start, parens)
            and not (  # "reversibility fixed": the field's name, its value after it
                _FIELD_NAME_REVERSIBILITY.fullmatch(text, m.start, m.end) and _FIELD_VALUE_AFTER.match(text, m.end)
            )
            # "a stress and four-hour redistribution study showing ...": the name of the protocol's late images, not
            # the course of a defect
            and not _NAMES_LATE_IMAGES.match(text, m.end)
            # "no reversible or fixed defect apart from a mild septal abnormality": the kind of the denied defect it
            # qualifies, not of the one stated after the exception
            and not (certainty == "affirmed" and m.negated and _qualifies_denied_defect(text, m, ms))
        ]
        rev = (_reversibility(text, rev_ms[0]), rev_ms[0].start, rev_ms[0].end) if rev_ms else None
        if (
            rev is not None
            and rev[0] == "reversible"
            and rev_ms[0].negated
            and certainty == "affirmed"
            and _REVERSAL_DENIED.search(text, max(0, rev_ms[0].start - 25), rev_ms[0].end)
        ):
            # "the inferior scar shows no redistribution", "a defect without reversibility": a stated defect whose
            # reversal is denied is fixed
            rev = ("fixed", rev[1], rev[2])
        elif rev is not None and (held := _rest_course_of_defect(text, rev_ms, ms)) is not None:
            # "stress-induced hypoperfusion of the LAD territory that does not redistribute": the course the rest
            # images show, said of the defect in its own relative clause, decides over the word of its onset
            rev = ("fixed", held.start, held.end)
        elif rev is not None and len({_reversibility(text, m) for m in rev_ms if _stated_course(text, m, ms)}) > 1:
            # "a fixed defect with mild reversibility at its margins": both at once is a partial reversal
            rev = ("partially reversible", rev[1], rev[2])
        elif (
            rev is not None
            and rev[0] == "reversible"
            and text[rev[1] : rev[2]].lower().endswith("reversibility")
            and any(t.label == "INFARCTION" and not t.negated and t.start < rev[1] for t in live)
        ):
            # "an infarct with mild reversibility at its margins": the reversibility an infarct has is a partial one
            # (not "a reversible defect with a scar", two findings)
            rev = ("partially reversible", rev[1], rev[2])
        elif (
            rev is not None
            and rev[0] == "reversible"
            and any(
                t.label == "INFARCTION"
                and not t.negated
                and any(x.label in ("DEFECT", "ISCHEMIA") and not x.negated and t.end <= x.start < rev[1] for x in live)
                for t in live
            )
        ):
            # "the front wall is scarred, with a little muscle that is short of blood during stress": a scar, then
            # the reduction that reverses beside it, is a defect that reverses in part
            rev = ("partially reversible", rev[1], rev[2])
        elif (
            rev is not None
            and rev[0] == "reversible"
            and _ISCHEMIA_AFTER.match(text, rev[2])
            and any(t.label == "INFARCTION" and not t.negated and t.end <= rev[1] for t in ms)
        ):
            # "the old scar, with a small rim of reversible ischaemia around it": the word qualifies the ischemia
            # beside the scar named before it (ischemia reverses by definition), not the whole defect: one that
            # reverses in part
            rev = ("partially reversible", rev[1], rev[2])
        if (
            rev is None
            and kind == "perfusion"
            and any(t.label == "INFARCTION" and not t.negated for t in live)
            and (
                peri := next(
                    (
                        m
                        for m in ms
                        if m.label == "ISCHEMIA"
                        and not m.negated
                        and _PERI_INFARCT_BEFORE.search(text, max(0, m.start - 15), m.start)
                    ),
                    None,
                )
            )
        ):
            # "the inferior infarct with peri-infarct ischaemia around it": the infarct's defect reverses in part
            rev = ("partially reversible", peri.start, peri.end)
        if kind == "wall_motion":
            extent = rev = None
        out.append(
            DefectClaim(
                kind=kind,
                span=(s0, s1),
                territories=territories,
                walls=tuple(walls),
                segments=segments,
                severities=tuple(dict.fromkeys(severities)),
                severity_spans=tuple(sev_spans),
                extent=extent,
                reversibility=rev,
                certainty=certainty,
                sent=sent,
                section=ms[0].section,
                trigger=trigger_label,
                with_wall_motion=bool(wall_motion),
            )
        )
    return out


# a sentence whose subject points back at the finding before it and says where it lies ("This is the circumflex
# territory.", "It lies in the RCA distribution.", "These correspond to the LAD territory.")
_ANAPHOR_PLACES = re.compile(
    r"\s*(?:this|it|these|they)(?:\s+(?:findings?|appearances?|pattern))?\s+"
    r"(?:is|are|lies|lie|sits|sit|maps?|corresponds?|localises|localizes|localise|localize|fits?)\b(?:\s+(?:to|in|with|within|on))?\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:territor(?:y|ies)|distributions?|supply|LAD|LCx|RCA|circumflex|right coronary|left anterior descending)\b",
    re.I,
)


_SPARED = re.compile(r"\b(?:normal\w*|spar\w*|preserved|intact|unaffected|no|not|without|nor)\b|n't", re.I)


def _placed_by_anaphor(claims: Claims, mentions: list[Mention], found: list[DefectClaim]) -> list[DefectClaim]:
    """The place a sentence with no finding of its own gives, by a pronoun, to the defect of the sentence before
    it: a claim of that defect with the new sentence's territories (checked like the defect's own)."""
    out: list[DefectClaim] = []
    for sent, (s0, s1) in enumerate(claims.sentences):
        if sent == 0 or not _ANAPHOR_PLACES.match(claims.text, s0, s1) or _SPARED.search(claims.text, s0, s1):
            continue  # (not "It is a normal LCx territory", "These spare the RCA territory")
        ms = [m for m in mentions if m.sent == sent]
        if any(m.label in _TRIGGERS or m.label == "WALL_MOTION" for m in ms):
            continue  # a finding of its own: read by _defects_of
        # the finding placed last, a few sentences back at most ("There is a reversible lateral defect. About 18%
        # of the myocardium is ischaemic. This is the circumflex territory.")
        last = max((d.sent for d in found if sent - 3 <= d.sent < sent), default=None)
        before = [d for d in found if d.sent == last and d.kind == "perfusion"]
        territories = tuple(dict.fromkeys(m.value for m in ms if m.label == "TERRITORY" and m.value))
        if len(before) != 1 or not territories:
            continue
        out.append(
            dataclasses.replace(
                before[0],
                span=(s0, s1),
                territories=territories,
                walls=(),
                segments=(),
                severities=(),
                severity_spans=(),
                extent=None,
                reversibility=None,
                sent=sent,
            )
        )
    return out


# a sentence that grades, by a pronoun, the defect of the sentence before it ("It is mild and small, however",
# "It's severe and extensive"): its grade words up to the clause's end
_ANAPHOR_GRADES = re.compile(
    r"\s*(?:\d{1,2}[.)]\s*)?(?:(?:because|since|as|although|though|given\s+that)\s+)?"
    # ... or by a noun of the defect ("Because the area involved is small, ..."): it may be a few sentences back
    r"(?:this|it|the\s+(?P<noun>defect|reduction|abnormality|(?:(?:affected|involved|abnormal)\s+)?(?:area|region|zone)"
    r"(?:\s+(?:involved|affected))?))(?:\s+is|'s|\u2019s|\s+was|\s+appears|\s+looks|"
    r"\s+seems)\s+(?:(?:however|though|also|only|both|quite|rather|fairly|very|relatively)\s+)?"
    r"(?P<grades>(?:(?:mild|mildly|minimal|moderate|severe|marked|small|medium|medium-sized|large|extensive|limited)"
    r"(?:\s*(?:,|and|&|/|but)\s*)?)+)",
    re.I,
)


def _graded_by_anaphor(claims: Claims, mentions: list[Mention], found: list[DefectClaim]) -> list[DefectClaim]:
    """The grade a sentence with no finding of its own gives, by a pronoun, to the one perfusion defect of the
    sentence before it: a claim of that defect, in its place, with the new sentence's severity and extent."""
    out: list[DefectClaim] = []
    for sent, (s0, s1) in enumerate(claims.sentences):
        hit = _ANAPHOR_GRADES.match(claims.text, s0, s1) if sent else None
        if hit is None:
            continue
        ms = [m for m in mentions if m.sent == sent and hit.start("grades") <= m.start < hit.end("grades")]
        if any(
            m.label in _TRIGGERS or m.label in ("WALL", "TERRITORY", "WALL_MOTION") for m in mentions if m.sent == sent
        ):
            continue  # a finding or a place of its own: read by _defects_of
        stated = [d for d in found if d.kind == "perfusion" and d.certainty == "affirmed"]
        # a pronoun grades the defect of the sentence right before it; a noun, the one stated last, a few sentences back
        last = (
            sent - 1
            if hit.group("noun") is None
            else max((d.sent for d in stated if sent - 4 <= d.sent < sent), default=None)
        )
        before = [d for d in stated if d.sent == last]
        sev = [m for m in ms if m.label == "SEVERITY" and not m.negated]
        ext = next(((m.value or "", m.start, m.end) for m in ms if m.label == "EXTENT" and not m.negated), None)
        if len(before) != 1 or not (sev or ext) or not (before[0].walls or before[0].territories):
            continue
        severities = tuple(
            dict.fromkeys(
                _SEV_VALUE[w.group(1).lower()]
                for m in sev
                for w in _SEVERITY_WORDS.finditer(claims.text[m.start : m.end])
            )
        )
        out.append(
            dataclasses.replace(
                before[0],
                span=(s0, s1),
                severities=severities,
                severity_spans=tuple((m.start, m.end) for m in sev),
                extent=ext,
                reversibility=None,
                sent=sent,
            )
        )
    return out


# a defect named again by its noun after a determiner, its rest course said right after it ("... and the defect
# persists at rest", "this abnormality is fixed"): the defect stated before, not a new one
_ANAPHOR_DEFECT_BEFORE = re.compile(r"\b(?:the|this|that|such\s+a)\s+$", re.I)
# the pronoun of a clause whose verb gives a rest course ("and it is present on both stress and rest images")
_ANAPHOR_PRONOUN_BEFORE = re.compile(
    r"(?:(?:^|(?<=[.!?,;:]))\s*|\b(?:and|but|yet|as|since|because)\s+)(?P<p>it)\s+"
    r"(?:(?:is|was|appears|appeared|seems|looks|remains|remained)\s+)?"
    r"(?:(?:still|also|clearly|then|largely|completely|fully|again)\s+)?$",
    re.I,
)
_ANAPHOR_COURSE_GAP = re.compile(
    r"\s+(?:(?:is|was|appears|appeared|seems|looks|remains|remained)\s+)?"
    r"(?:(?:still|also|clearly|then|now|largely|completely|fully|again)\s+)?"
)
# ... or by a pronoun that opens the sentence ("It remains fixed", "This is now reversible")
_ANAPHOR_PRONOUN = re.compile(r"\s*(it|this)\b(?=\s+(?:is|was|appears|appeared|seems|looks|remains|remained)\b)", re.I)


def _coursed_by_anaphor(claims: Claims, mentions: list[Mention], found: list[DefectClaim]) -> list[DefectClaim]:
    """The rest course a clause with no place of its own gives, by "the defect", to the one perfusion defect
    stated just before it (its sentence's earlier clause or the sentence before): a claim of that defect, in its
    place, with the new clause's course (checked like the defect's own)."""
    out: list[DefectClaim] = []
    text = claims.text
    for sent in range(1, len(claims.sentences)):
        ms = [m for m in mentions if m.sent == sent]
        nouns = [m for m in ms if m.label in _TRIGGERS]
        courses = [m for m in ms if m.label == "REVERSIBILITY"]
        # "... and it is present on both stress and rest images", "It is seen at rest as well": the pronoun that
        # opens the course's clause takes up the defect too, where the sentence names no finding of its own (or only
        # "the defect" again): the one course said right after the pronoun
        after_pronoun = [m for m in courses if _ANAPHOR_PRONOUN_BEFORE.search(text, max(0, m.start - 60), m.start)]
        pronoun = (
            _ANAPHOR_PRONOUN_BEFORE.search(text, max(0, after_pronoun[0].start - 60), after_pronoun[0].start)
            if len(after_pronoun) == 1
            and all(
                n.label == "DEFECT" and _ANAPHOR_DEFECT_BEFORE.search(text, max(0, n.start - 9), n.start) for n in nouns
            )
            else None
        )
        # ... or a pronoun that opens the sentence ("It remains fixed.", "This is now reversible."), where the
        # sentence states no finding of its own ("It remains fixed, with no peri-infarct ischemia")
        s0 = claims.sentences[sent][0]
        stated_nouns = [m for m in nouns if not m.negated]
        opening = (
            _ANAPHOR_PRONOUN.match(text, s0) if pronoun is None and not stated_nouns and len(courses) == 1 else None
        )
        if opening is not None:
            nouns = [Mention("DEFECT", None, opening.start(1), opening.end(1), sent, None, False, False)]
        if pronoun is not None:
            course, start = after_pronoun[0], pronoun.start("p")
        elif len(nouns) != 1 or len(courses) != 1 or nouns[0].label != "DEFECT" or nouns[0].negated:
            continue
        else:
            noun, course, start = nouns[0], courses[0], nouns[0].start
        if (
            course.negated
            or any(m.label in ("WALL", "TERRITORY", "SEGMENT", "WALL_MOTION") for m in ms)
            or (
                pronoun is None
                and not (
                    (opening is not None or _ANAPHOR_DEFECT_BEFORE.search(text, max(0, noun.start - 9), noun.start))
                    and _ANAPHOR_COURSE_GAP.fullmatch(text, noun.end, course.start)
                )
            )
            or (value := _reversibility(text, course)) not in ("fixed", "reversible")
        ):
            continue
        stated = [d for d in found if d.kind == "perfusion" and d.certainty == "affirmed" and d.sent in (sent - 1,)]
        if len(stated) != 1 or not (stated[0].walls or stated[0].territories):
            continue
        before = [m for m in mentions if m.sent == sent - 1 and m.label == "DEFECT" and not m.negated]
        # (not the prior's defect, nor a gloss in parentheses: "severe (absent uptake in the basal segments)")
        s_prev = claims.sentences[sent - 1][0]
        before = [
            m
            for m in before
            if not claims.in_prior(m.start) and text.count("(", s_prev, m.start) <= text.count(")", s_prev, m.start)
        ]
        if len(before) > 1:
            continue  # "an anterior defect and a small inferior defect. The defect ...": which one is not said
        out.append(
            dataclasses.replace(
                stated[0],
                span=(start, course.end),
                severities=(),
                severity_spans=(),
                extent=None,
                reversibility=(value, course.start, course.end),
                sent=sent,
            )
        )
    return out


# a denial inside a defect said in plain words ("does not get enough blood", "isn't getting enough blood")
_OWN_DENIAL = re.compile(r"\b(?:not|never)\b|n't", re.I)


def _stated_course(text: str, m: Mention, ms: list[Mention]) -> bool:
    """A reversibility the text states: not denied, or denied only by the denial that is part of the plain-words
    defect just before it ("does not get enough blood when the heart is stressed": the course of that defect)."""
    if not m.negated:
        return True
    return any(
        x.label == "DEFECT"
        and not x.negated
        and 0 <= m.start - x.end <= 30
        and _OWN_DENIAL.search(text, x.start, x.end)
        and not _OWN_DENIAL.search(text, x.end, m.start)
        for x in ms
    )


# "an element of fixed defect", "a degree of fixed defect": the fixed part of a defect, the rest of it reversible
_PART_OF_BEFORE = re.compile(r"\b(?:component|element|part|portion|degree)\s+of\s+(?:a\s+|the\s+)?$", re.I)


_BEFORE_ITS_DEFECT = re.compile(r"[\s,/]*(?:(?:or|and|nor)\s+)?(?:[\w-]+\s+){0,3}", re.I)


def _qualifies_denied_defect(text: str, m: Mention, ms: list[Mention]) -> bool:
    """A denied reversibility ("no reversible or fixed defect") that stands before a denied defect of its own."""
    return any(
        x.label == "DEFECT" and x.negated and x.start >= m.end and _BEFORE_ITS_DEFECT.fullmatch(text, m.end, x.start)
        for x in ms
    )


# the reversal itself denied by its noun ("no redistribution", "without reversibility"), not a lay phrase of
# ischemia under a denial ("not getting enough blood under stress")
# a relative clause of the defect that opens right before its rest course ("... that does not redistribute")
_RELATIVE_BEFORE = re.compile(r"\b(?:that|which)\s+$", re.I)
_ONSET_GAP = re.compile(r"[\s-]*")


def _rest_course_of_defect(text: str, rev_ms: list[Mention], ms: list[Mention]) -> Mention | None:
    """The fixed course a defect's relative clause states ("... that persists at rest") where every other
    reversibility word is the onset adjective of that defect ("stress-induced hypoperfusion") and the clause names no
    ischemia or infarct (a part of the defect whose course would be its own); else None."""
    fixed = [
        m
        for m in rev_ms
        if not m.negated
        and _reversibility(text, m) == "fixed"
        and _RELATIVE_BEFORE.search(text, max(0, m.start - 8), m.start)
    ]
    if len(fixed) != 1 or any(x.label in ("ISCHEMIA", "INFARCTION") and not x.negated for x in ms):
        return None
    defects = [x for x in ms if x.label == "DEFECT" and not x.negated]
    onsets = [m for m in rev_ms if m is not fixed[0]]
    if not onsets or not all(
        not m.negated
        and _reversibility(text, m) == "reversible"
        and m.end <= fixed[0].start
        and any(_ONSET_GAP.fullmatch(text, m.end, d.start) for d in defects)
        for m in onsets
    ):
        return None
    return fixed[0]


_REVERSAL_DENIED = re.compile(
    r"\b(?:no|without|absent|lacks?|lacking|none\s+of\s+(?:it|them|these|those))\s+(?:[\w-]+\s+)?"
    r"(?:redistribut|reversib|fill(?:ing|s)?[- ]in)\w*$",
    re.I,
)


def _reversibility(text: str, m: Mention) -> str:
    """The reversibility a mention states: "predominantly reversible" and "a fixed component" are partial."""
    value = m.value or ""
    if (
        _MOSTLY.match(text[m.start : m.end])
        or _MOSTLY_BEFORE.search(text[max(0, m.start - 20) : m.start])
        or (value == "fixed" and re.match(r"\s+(?:component|element)", text[m.end :]))
        or (value == "fixed" and _PART_OF_BEFORE.search(text[max(0, m.start - 30) : m.start]))
    ):
        return "partially reversible"
    return value


_KIND_OF_ISCHEMIA = re.compile(
    r"\b(?:balanced|global|globally|diffuse|multi-?vessel|three-vessel|triple-vessel)\s+(?:[\w-]+\s+)?$", re.I
)
# a Duke score's band: after its name within the clause ("Duke -4.5 (moderate risk)"), or as an apposition right
# after its value and a comma ("Duke: -6.5, intermediate risk"; HEADING-style lines)
_DUKE_BEFORE = re.compile(r"\bDuke\b(?:(?:[^.;,]|[.,]\d)*|(?:[^.;,]|[.,]\d)*?[-+\u2212]?\d+(?:\.\d+)?\s*,\s*)$", re.I)
# a bare risk band right after a Duke score's value ("DTS +13 -> low", "Duke -12, high"); with its noun ("low risk")
# it is a risk mention of the extraction rules
_DUKE_BAND = re.compile(
    r"\b(?:Duke|DTS)\b(?:\s+(?:treadmill\s+)?score)?\s*(?:of\s+|[:=]\s*)?[-+\u2212]?\d+(?:\.\d+)?\s*"
    r"(?:\u2192|->|=>|,|\(|:|=)\s*(low|intermediate|moderate|high)\b(?!\s*(?:-|\s)\s*(?:risk|likelihood|probability))",
    re.I,
)
_PERFUSION_NOT = re.compile(r"\bperfusion\b(?:\s+[\w-]+){0,2}\s+(?:is|are|was|were)\s+not\s+(?:entirely\s+)?$", re.I)


# how far from a test's name a proposal cue reaches ("PET would be a reasonable next step", "consider vasodilator
# MPI"): in run-on dictation a "recommend catheterization" at the end proposes nothing named at the start
_PROPOSAL_REACH = 60


def _proposed(suggestion: re.Pattern[str], sentence: str, a: int, b: int) -> bool:
    """The test named at ``a:b`` of the sentence is one a nearby cue of its clause proposes, not this study's."""
    clause = _clause_around(sentence, a)
    k = sentence.find(clause)
    lo, hi = max(k, a - _PROPOSAL_REACH), min(k + len(clause), b + _PROPOSAL_REACH)
    return bool(suggestion.search(sentence, lo, hi))


def _clause_around(sentence: str, pos: int) -> str:
    """The clause of a run-on sentence that holds ``pos`` (cut where a comma starts a clause of its own)."""
    a, b = 0, len(sentence)
    for h in _NEW_CLAUSE.finditer(sentence):
        if h.start() < pos:
            a = h.start() + 1
        else:
            b = h.start()
            break
    return sentence[a:b]


# the age of a scar between its grade and its noun ("a small old LCx scar", "large, remote inferior infarction")
# ("a large area of old scarring": the area's grade, the scar its own finding)
_SCAR_AGE = re.compile(
    r"[\s,]*(?:(?:area|region|zone)\s+of\s+)?(?:old|remote|healed|chronic)\s+(?:[\w-]+\s+){0,2}$", re.I
)


# the age of a scar before the images' reading of it ("an old fixed anterior scar", "remote, fixed inferior infarct")
_AGE_BEFORE = re.compile(r"\b(?:old|remote|healed|chronic)[\s,]+$", re.I)
_NOUN_GAP = re.compile(r"[\s,]+(?:[\w/-]+\s+){0,2}")
# ... or the images' fixed reading led on to the old scar by a word of inference ("defect severe, fixed -> old
# inferior MI scar", "fixed, consistent with an old infarct", "non-reversible, i.e. a healed infarction")
_FIXED_LEADS_TO_OLD = re.compile(
    r"[\s,;:]*(?:->|=>|\u2192|(?:(?:most\s+)?(?:consistent|compatible|in\s+keeping)\s+with|i\.?e\.?,?|in\s+other\s+words"
    r"|representing|indicating|suggesting|so|hence|therefore|thus|=)\s*)\s*(?:an?\s+|the\s+)?"
    r"(?:old|remote|healed|chronic)\s+(?:[\w/-]+\s+){0,3}$",
    re.I,
)


def _graded_old_scar(claims: Claims, m: Mention, ms: list[Mention]) -> bool:
    """An old scar with a grade of its own ("a small old LCx scar") or with the images' reading of it ("an old fixed
    anterior scar") is a finding of this study, aged, not the patient's history: its grade and place are the images'
    and are checked (a history of infarct is told without them)."""
    text = claims.text
    return m.label == "INFARCTION" and any(
        g.end <= m.start
        and (
            (g.label in ("SEVERITY", "EXTENT") and _SCAR_AGE.fullmatch(text, g.end, m.start))
            or (
                g.label == "REVERSIBILITY"
                and g.value == "fixed"
                and _AGE_BEFORE.search(text, max(0, g.start - 12), g.start) is not None
                and _NOUN_GAP.fullmatch(text, g.end, m.start) is not None
            )
            or (
                g.label == "REVERSIBILITY"
                and g.value == "fixed"
                and _FIXED_LEADS_TO_OLD.fullmatch(text, g.end, m.start)
            )
        )
        for g in ms
    )


def _historical(claims: Claims, m: Mention) -> bool:
    s0, s1 = claims.sentences[m.sent]
    before = claims.text[max(s0, m.start - 40) : m.start]
    # "the prior LAD ischemia is still present", "... persists": a finding of the prior that goes on in this study
    return bool(cues().history.search(before)) and not _GOES_ON.match(claims.text, m.end, s1)


# a study or its perfusion, then a copula denied, right before "normal" (not "not entirely normal", a lesser doubt)
_VERDICT_DENIED_BEFORE = re.compile(
    # ("the perfusion images do not look normal": the perfusion's)
    # ("the stress images were not normal", "the SPECT pictures are not normal": the images are the perfusion's)
    r"\b(?:(?:stress|perfusion|scan|MPI|SPECT|PET)\s+(?:images?|pictures?)|(?P<study>study|scan|exam|examination|test"
    r"|MPI|SPECT|PET)|perfusion)\s+"
    r"(?:(?:is|was|are|were)\s+not|isn't|wasn't|aren't|weren't|(?:does|did|do)\s+not\s+(?:look|appear|seem)"
    r"|(?:doesn't|didn't|don't)\s+(?:look|appear|seem))\s+$",
    re.I,
)


def _test_not_given(c: Cues, text: str, m: Mention, s0: int, s1: int) -> bool:
    """A stress agent, test or modality named as the one the patient could not have ("allergic to adenosine", "a
    treadmill test and standard SPECT were less suitable"): not the test done."""
    return bool(
        c.agent_not_given.search(text[max(s0, m.start - 40) : m.start])
        or c.agent_not_given_after.match(text, m.end, s1)
    )


_GOES_ON = re.compile(
    r"[^.;]{0,40}?\b(?:still|persist\w*|unchanged|again\s+(?:seen|noted|present)"
    r"|(?:is|are|remains?)\s+(?:still\s+)?(?:present|seen|evident|visible))\b",
    re.I,
)


# "abnormal stress-only myocardial perfusion": a result word and the perfusion it grades with a protocol word
# between (not a phase of its own: "normal rest perfusion" grades the rest images, read elsewhere)
_BARE_PERFUSION_AFTER = re.compile(
    r"\s+(?:(?!(?:and|or|but|with|normal|abnormal|rest|resting|redistribution|delayed)\b)[\w-]+\s+){1,3}?"
    r"perfusion\b(?!\s+(?:at\s+rest|defects?|abnormalit))",
    re.I,
)


# a normal verdict narrowed after it to a phase or a place ("Perfusion: normal at rest", "perfusion normal in the LCx
# territory", "perfusion normal apart from the apex"): not the study's verdict
_VERDICT_NARROWED_AFTER = re.compile(
    r"\s*,?\s*(?:at\s+rest|on\s+(?:the\s+)?rest|in\s+(?:the\s+)?(?:LAD|LCx|RCA|circumflex|right|left|remaining|other|rest)\b"
    r"|(?:except|apart|other\s+than|save|aside|elsewhere|but|outside)\b)",
    re.I,
)
# the topic's words reach back this far from the verdict word
_TOPIC_REACH = 40


def _verdict_topic(c: Cues, text: str, s1: int, m: Mention) -> str | None:
    """The concept a bare verdict word states where it is the value of the topic named right before it (the
    ``topic_verdict`` cues: "PERFUSION=abnormal", "Perf nl"); None where no topic leads it, or where a normal
    verdict is narrowed after it to a phase or a place."""
    # the topic may stand before the sentence the parser cut at a heading's colon or equals sign ("PERFUSION=")
    lead = re.split(r"[.;!?\n]", text[max(0, m.start - _TOPIC_REACH) : m.start])[-1]
    concept = next((k for k, rx in c.topic_verdict if rx.search(lead)), None)
    if concept is None and m.value == "abnormal" and _PERFUSION_LOOKS.search(lead):
        # "the LV perfusion pattern appears moderately abnormal": an abnormal verdict after a verb of appearance (a
        # normal one so said may be a region's: "the LCx, where the relative perfusion looks normal")
        concept = "perfusion_result"
    if concept is not None and m.value != "abnormal" and _VERDICT_NARROWED_AFTER.match(text, m.end, s1):
        return None
    return concept


_PERFUSION_LOOKS = re.compile(
    r"(?<![\w-])(?<!rest )(?<!resting )(?<!redistribution )(?:perf(?:usion)?|MPI|MPS)"
    r"(?:[\s_]+(?:images?|imaging|scans?|study|pattern))?\s+(?:appears?|appeared|seems?|seemed|looks?|looked)\s+"
    r"(?:(?:mildly|moderately|severely|markedly|slightly|minimally)\s+)?$",
    re.I,
)


# --- statements -------------------------------------------------------------------------------


def _add(claims: Claims, concept: str, value: str | None, present: bool, m: Mention, uncertain: bool = False) -> None:
    claims.statements.append(
        Statement(concept, value, present, uncertain or m.uncertain, (m.start, m.end), m.sent, m.section)
    )


# a reduction said to occur on stress ("reduced blood supply on stress", "... when the heart is working hard"): the
# plain words of a reversible defect (extraction's REVERSIBILITY of wording.json), which state ischemia
_ON_STRESS = re.compile(r"(?:only\s+)?(?:on|during|with|under|at|when)\b", re.I)


def _on_stress_only(claims: Claims, m: Mention) -> bool:
    return any(
        x.label == "REVERSIBILITY"
        and x.value == "reversible"
        and x.sent == m.sent
        and 0 <= x.start - m.end <= 60
        and _ON_STRESS.match(claims.text, x.start, x.end)
        for x in claims.mentions
    )


# a negation raised to a verb of opinion before a finding whose change its clause states ("I don't think the defect
# has materially changed", "I do not believe the scar is any larger"): the change is denied, the finding is there
# a judgement denied right before the finding it names ("appearances are not in keeping with an established infarct",
# "not consistent with ischaemia"): the finding denied, though the judgement words end the negation's scope for
# extraction's ConText ("consistent with" terminates it); not a hedge ("not entirely typical of")
_JUDGEMENT_NOT_BEFORE = re.compile(
    r"(?:\bnot|n't|n\u2019t)\s+(?:in\s+keeping|consistent|compatible|typical|suggestive|indicative|diagnostic)\s+"
    r"(?:with|of)\s+(?:an?\s+|the\s+|any\s+)?(?:[\w-]+\s+){0,2}$",
    re.I,
)
# ... and an infarct the images are said not to show, named with a history word ("no evidence of the known infarct",
# "not consistent with an old infarction"): the scar denied in this study, not the patient's history
_IMAGES_DENY_BEFORE = re.compile(
    r"(?:(?:\bnot|n't|n\u2019t)\s+(?:in\s+keeping|consistent|compatible|typical|suggestive|indicative|diagnostic)\s+"
    r"(?:with|of)|\bno\s+(?:\w+\s+)?(?:signs?|evidence|trace)\s+of)\s+(?:an?\s+|the\s+|any\s+|his\s+|her\s+)?"
    r"(?:[\w-]+\s+){0,2}$",
    re.I,
)
_OPINION_DENIED_BEFORE = re.compile(
    r"(?:\b(?:do|does|did)\s+not|n't|n\u2019t)\s+(?:think|believe|feel|consider)\s+(?:that\s+)?"
    r"(?:(?:the|this|that|his|her|its)\s+)?(?:[\w/-]+\s+){0,4}$",
    re.I,
)
_CHANGE_AFTER = re.compile(
    r"(?:\s+[\w/-]+){0,4}?\s+(?:has|have|had|is|are|was|were)\s+(?:(?:any|really|\w+ly)\s+)*"
    rf"(?:changed|different|{_CHANGE_WORD}|smaller|better|improved|altered)\b",
    re.I,
)


# ... or the value of a protocol field ("PROTOCOL: one-day, rest first")
_PROTOCOL_KEY_BEFORE = re.compile(r"\bprotocol\s*[:=]\s*(?:[\w-]+,?\s+){0,2}$", re.I)
# an acquisition said to be without attenuation correction ("prone imaging without attenuation correction", "no
# attenuation correction was applied"); a text that names corrected images too reads both sets (":_WITH_AC")
_WITHOUT_AC = re.compile(
    r"\b(?:without|no)\s+(?:any\s+)?(?:CT[- ]?(?:based\s+)?)?(?:attenuation[- ]correction\b|(?-i:AC)\b(?!-))"
    r"|\battenuation[- ]correction\s+(?:was|were)\s+not\s+(?:performed|applied|used|available|done)\b",
    re.I,
)
_WITH_AC = re.compile(
    r"\b(?:with|after|on|using|and)\s+(?:the\s+)?(?:CT[- ]?(?:based\s+)?)?attenuation[- ]correct\w*"
    r"|(?<!non-)(?<!non )(?<!un)\battenuation[- ]corrected\b|\b(?-i:CTAC|CT-AC|AC)\b|\bcorrected\s+images\b",
    re.I,
)


def _corrected_images_named(text: str) -> bool:
    """Corrected images the text names anywhere ("on the AC images", "CTAC"), not the "AC" of a denial of them
    ("read without AC")."""
    denied = [m.span() for m in _WITHOUT_AC.finditer(text)]
    return any(not any(a <= m.start() < b for a, b in denied) for m in _WITH_AC.finditer(text))


# reversibility as what the images showed ("... and showed reversibility", "there was reversibility"); the noun
_SHOWN_REVERSIBILITY = re.compile(
    r"\b(?:show(?:s|ed|ing|n)?|demonstrat\w*|reveal\w*|there\s+(?:is|was)|evidence\s+of)\s+(?:[\w-]+\s+){0,2}?"
    r"reversibility\b",
    re.I,
)
# rest images said to have been acquired ("rest imaging was therefore performed", "rest images were required"): a
# protocol with rest images (not "was not required", "was deferred")
_REST_ACQUIRED = re.compile(
    r"\brest\s+(?:imaging|images|study|scan|acquisition|injection|portion)\s+(?:was|were)\s+"
    r"(?:then\s+|therefore\s+|subsequently\s+|also\s+)?(?:required|performed|acquired|obtained|done|needed)\b",
    re.I,
)
_PROTOCOL_NOUN_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+){0,3}?(?:protocol|study|imaging|images|SPECT|PET|MPI|scan|acquisition)\b", re.I
)
# a wall whose motion is denied in plain words, then named by its grade ("which does not move (akinetic)", "the apex
# doesn't contract, i.e. akinesis"): the negation is the abnormality said in words, not a normal wall
_MOTION_DENIED_BEFORE = re.compile(
    r"(?:\b(?:does|do|did|is|are|was|were)\s+not|n't|n\u2019t|\bno\s+longer)\s+"
    r"(?:mov(?:e|es|ing)|contract(?:s|ing)?|thicken(?:s|ing)?)\b\s*(?:at\s+all\s*)?"
    r"(?:\(\s*|[,:\u2013\u2014-]\s*(?:i\.e\.,?\s*|that\s+is,?\s*)?)$",
    re.I,
)


def _read_statements(claims: Claims) -> None:
    text = claims.text
    c = cues()
    for m in claims.mentions:
        s0, s1 = claims.sentences[m.sent]
        sentence = text[s0:s1]
        label = m.label
        if label in ("AGENT", "TRACER") and m.negated and _NAME_MODIFIES_AFTER.match(text, m.end, s1):
            m = dataclasses.replace(m, negated=False)  # "no increased lung sestamibi uptake": the uptake denied
        if m.negated and _OPINION_DENIED_BEFORE.search(text, s0, m.start) and _CHANGE_AFTER.match(text, m.end, s1):
            m = dataclasses.replace(m, negated=False)  # "I don't think the defect has changed": the change denied
        if (
            label in ("ISCHEMIA", "INFARCTION")
            and not m.negated
            and _JUDGEMENT_NOT_BEFORE.search(text, max(s0, m.start - 60), m.start)
        ):
            m = dataclasses.replace(m, negated=True)  # "not in keeping with an established infarct": denied
        if label == "WALL_MOTION" and m.negated and _MOTION_DENIED_BEFORE.search(text, s0, m.start):
            m = dataclasses.replace(m, negated=False)  # "which does not move (akinetic)": the lost motion is stated
        if label in ("ISCHEMIA", "INFARCTION", "ECG_RESULT") and _CARDIOMYOPATHY_AFTER.match(text[m.end : s1]):
            continue  # "(non)ischemic cardiomyopathy": read per sentence (_read_sentence_grades)
        if label == "ISCHEMIA" and _CAUSE_AFTER.match(text, m.end, s1):
            # "an ischaemic aetiology for the dysfunction is unlikely": the cause of the ventricle's dysfunction, a
            # (non)ischemic cardiomyopathy in other words, not ischemia seen; the likelihood after it says which
            doubted = m.negated or bool(_CAUSE_DOUBTED.match(text, m.end, s1))
            lead = text[max(s0, m.start - 6) : m.start]
            non = bool(re.match(r"non", text[m.start : m.end], re.I) or c.modifier.search(lead))
            _add(claims, "cardiomyopathy", "ischemic" if non == doubted else "nonischemic", True, m, doubted)
            continue
        if label in ("ISCHEMIA", "INFARCTION"):
            if label == "INFARCTION" and m.negated and _PLACE_OF_ISCHEMIA_BEFORE.search(text, s0, m.start):
                continue  # "no residual ischaemia around the scar": the scar places the denied ischemia
            if label == "INFARCTION" and not m.negated and _historical(claims, m) and not claims.in_prior(m.start):
                # "an old inferior infarct": the patient's history, which the clinical record or the images must give
                _add(claims, "infarct_history", None, True, m)
            denied_seen = (
                label == "INFARCTION" and m.negated and _IMAGES_DENY_BEFORE.search(text, max(s0, m.start - 60), m.start)
            )
            if (_historical(claims, m) and not denied_seen) or (
                label == "INFARCTION" and search(c.risk, sentence, haystack(sentence))
            ):
                continue
            if re.match(r"\s+(?:cardiac\s+)?(?:events?|outcomes?|risk)\b", text[m.end : s1], re.I):
                continue  # "low risk for ischaemic events": a prognosis, not a finding
            if _TOPIC_AFTER.match(text, m.end, s1) or _TOPIC_BEFORE.search(text, max(s0, m.start - 60), m.start):
                continue  # "nothing to chase from an ischaemia point of view": the subject named, not a finding
            if _GROUND_SET_AGAINST.search(text, max(s0, m.start - 160), m.start):
                continue  # "high risk, driven by the LV, not ischaemia": the ground denied: neither stated nor denied
            if _hypothetical(text, m, s0, s1):
                continue  # "an infarct would be fixed": what the finding would look like, not a finding
            before = text[max(s0, m.start - 60) : m.start]
            if (
                c.scope.search(before)
                or c.contrast.search(before)
                or _LESS_LIKELY_ALTERNATIVE.search(text, max(s0, m.start - 110), m.start)
                or (not m.negated and _UNSEEN_AFTER.match(text, m.end, s1))
            ):
                continue  # "reduces sensitivity for ischemia", "attenuation rather than infarction", "could be missed"
            modified = bool(c.modifier.search(text[max(s0, m.start - 6) : m.start]))
            predicate = _ECG_PREDICATE.search(text, max(s0, m.start - 60), m.start) if label == "ISCHEMIA" else None
            if label == "ISCHEMIA" and (
                _ECG_AFTER.match(text[m.end : s1])
                or _ECG_BEFORE.search(text[max(s0, m.start - 12) : m.start])
                or _ECG_LED.match(text[s0 : m.start])
                or predicate
            ):
                # the ECG as the subject of its own predicate ("... but no chest pain ECG showed ischemic changes"):
                # a denial before the subject does not reach its predicate
                negated = m.negated and not (predicate and not _ECG_PREDICATE_DENIED.search(predicate.group(0)))
                _add(claims, "ecg", "nonischemic" if modified or negated else "ischemic", True, m)
                continue  # "non-ischaemic ECG": the ECG response, not myocardial ischemia
            if modified:
                continue  # "no peri-infarct ischemia" denies ischemia, not the infarct
            if _DENIED_CHANGE_OF.search(text, max(s0, m.start - 80), m.start):
                continue  # "no new or worsening ischemia": a comparison (checked as one), not a finding
            if m.negated and _KIND_OF_ISCHEMIA.search(text[max(s0, m.start - 30) : m.start]):
                continue  # "no balanced (multivessel) ischaemia" denies that kind only, not the regional ischemia
            zero = (
                re.match(r"(?:(?!from)[^.;\d]){0,30}?(?<![\d.])0(?:\.0+)?\s*%(?!\s*to\b)", text[m.end : s1])
                or re.search(  # "ischemic myocardium 0%"; "0% ischaemic myocardium", "zero inducible ischemia"
                    r"(?:(?<![\d.])0(?:\.0+)?\s*%|\bzero)\s+(?:[a-z-]+\s+)?$",
                    text[max(s0, m.start - 30) : m.start],
                    re.I,
                )
            )
            # "suggesting little established infarction": an amount next to none, neither stated nor denied
            scant = not m.negated and bool(_SCANT_BEFORE.search(text, max(s0, m.start - 40), m.start))
            _add(claims, "ischemia" if label == "ISCHEMIA" else "scar", None, not m.negated and not zero, m, scant)
        elif (
            label == "REVERSIBILITY"
            and not m.negated
            and re.match(r"\s*(?:\([^)]{0,20}\))?\s*:", text[m.end : m.end + 30])
            and any(x.label in ("WALL", "TERRITORY") and x.sent == m.sent and x.start > m.end for x in claims.mentions)
        ):
            # a list headed by its reversibility ("Reversible (stress/rest): basal anterolateral 3/0, ...")
            _add(claims, "scar" if m.value == "fixed" else "ischemia", None, True, m)
            _add(claims, "defect", None, True, m)
        elif (
            label == "REVERSIBILITY"
            and m.value == "reversible"
            and not m.negated
            and not claims.in_prior(m.start)
            and _SHOWN_REVERSIBILITY.search(text, max(s0, m.start - 40), m.end)
            and not any(x.label in _TRIGGERS and x.sent == m.sent for x in claims.mentions)
        ):
            # reversibility shown, with no defect named ("rest images were acquired and showed reversibility"):
            # ischemia stated in other words
            _add(claims, "ischemia", None, True, m)
        elif label == "REVERSIBILITY" and _COMPONENT_AFTER.match(text, m.end, s1):
            # "no reversible component" denies ischemia; "a small fixed component" states scar
            concept = "scar" if m.value == "fixed" else "ischemia"
            _add(claims, concept, None, not m.negated, m)
        elif label == "DEFECT":
            if c.contrast.search(text, max(s0, m.start - 60), m.start):
                continue  # "a right-heart finding rather than an LV perfusion abnormality": the reading set aside
            if not _historical(claims, m) and not _NOT_CURRENT_DEFECT.search(sentence):
                _add(claims, "defect", None, not m.negated, m)
                if not m.negated and (
                    _REVERSIBLE_BEFORE.search(text[max(s0, m.start - 30) : m.start]) or _on_stress_only(claims, m)
                ):
                    _add(claims, "ischemia", None, True, m)  # "a small reversible defect" states ischemia
                placed = any(x.sent == m.sent and x.label in ("WALL", "TERRITORY") for x in claims.mentions)
                if not m.negated and not placed and _FIXED_BEFORE.search(text[max(s0, m.start - 30) : m.start]):
                    # "a fixed defect suggests prior infarction" states scar (a placed one is checked as a defect)
                    _add(claims, "scar", None, True, m)
        elif label == "TID":
            after = text[m.end : s1]
            dilated = _DILATED_NEXT.match(after)
            if (
                m.negated
                or (dilated and dilated.group("neg"))
                or _NORMAL_AFTER.match(after)
                or _NOT_ABNORMAL_AFTER.match(after)
                or _NORMAL_NEXT.match(after)
                or re.search(r"\bnormal\s+$", text[max(s0, m.start - 8) : m.start], re.I)
            ):
                _add(claims, "tid", "normal", True, m)
            elif (
                _ABNORMAL_AFTER.match(after)
                or dilated
                # "transient (ischaemic) dilatation" as the concept matcher reads it, or the lay words
                or text[m.start : m.end].lower().startswith("transient")
                or _TRANSIENT_DILATION.fullmatch(text, m.start, m.end) is not None
                or _TID_INDICATES.match(after)
                or re.search(
                    r"\b(?:abnormal|increased|elevated|significant)\s+$", text[max(s0, m.start - 14) : m.start], re.I
                )
                or (  # "with TID", "there is TID": the finding named without a value is the finding present
                    re.search(
                        r"\b(?:with|plus|shows?|showing|demonstrat\w+|evidence of|there is)\s+$",
                        text[max(s0, m.start - 16) : m.start],
                        re.I,
                    )
                    and not re.match(r"\s*(?:ratio|index)?\s*(?:of|is|was|[:=(])?\s*\d", after, re.I)
                )
            ):
                _add(claims, "tid", "abnormal", True, m)
        elif label == "WALL_MOTION":
            value = m.value if not m.negated else ("normal" if m.value == "abnormal" else None)
            if m.negated and _SPECIFIC_MOTION.search(text[m.start : m.end]):
                value = None  # "no aneurysm", "no dyskinesis" deny that abnormality, not every one
            if value:
                _add(claims, "wall_motion", value, True, m)
        elif label == "ARTIFACT":
            if re.match(r"[- ]correct", text[m.end : m.end + 9], re.I):
                continue  # "attenuation-correction" is a method, not an artifact
            if c.contrast.search(text, max(s0, m.start - 60), m.start) or _LESS_LIKELY_ALTERNATIVE.search(
                text, max(s0, m.start - 110), m.start
            ):
                continue  # "I'd favour true ischaemia over diaphragmatic attenuation": the reading not chosen
            if _hypothetical(text, m, s0, s1):
                continue  # "attenuation would be expected to be fixed": reasoning against the artifact, not one found
            live_walls = [x for x in claims.mentions if x.label == "WALL"]
            difficulty = _DIFFICULTY_AFTER.match(text, m.end) or _DIFFICULTY_BEFORE.search(
                text, max(s0, m.start - 40), m.start
            )
            placed = any(x.label == "WALL" and x.sent == m.sent and abs(x.start - m.start) < 40 for x in live_walls)
            if difficulty and not placed:
                continue  # "despite the attenuation challenges of a BMI of 45": a difficulty of the acquisition
            # "the differential includes motion artefact", "could be attenuation": a possibility weighed, not stated
            weighed = bool(_DIFFERENTIAL.search(text, s0, m.start))
            _add(claims, "artifact", m.value, not m.negated, m, weighed)
        elif label == "RESULT_BARE" and not m.negated and claims.in_prior(m.start):
            # "the previous scan was normal", "(prior abnormal)": the prior's result, unless the word
            # grades something else ("the prior showed normal LV function")
            if not _NOT_PERFUSION_AFTER.match(text[m.end : m.end + 40]):
                _add(claims, "perfusion_result", m.value, True, m)
        elif (
            label == "RESULT_BARE"
            and not m.negated
            and (topic := _verdict_topic(c, text, s1, m)) is not None
            and not any(x.label == "RESULT" and x.start <= m.start < x.end for x in claims.mentions)
        ):
            _add(claims, topic, m.value, True, m)  # "PERFUSION=abnormal", "Perf abnl": the topic's field and value
        elif (
            label == "RESULT_BARE"
            and not m.negated
            and _BARE_PERFUSION_AFTER.match(text, m.end, s1)
            and not any(x.label == "RESULT" and x.start <= m.start < x.end for x in claims.mentions)
        ):
            _add(claims, "perfusion_result", m.value, True, m)  # "Abnormal stress-only myocardial perfusion"
        elif (
            label == "RESULT_BARE"
            and m.negated
            and m.value == "normal"
            and (verdict_denied := _VERDICT_DENIED_BEFORE.search(text, max(s0, m.start - 40), m.start))
        ):
            # "your heart scan was not normal", "perfusion is not normal": the normal verdict denied is an abnormal one
            concept = "study_result" if verdict_denied.group("study") else "perfusion_result"
            _add(claims, concept, "abnormal", True, m)
        elif label == "RESULT" and not m.negated:
            verdict = _STUDY_WORD.search(text[m.start : m.end])  # "Abnormal rubidium PET": the study's verdict
            _add(claims, "study_result" if verdict else "perfusion_result", m.value, True, m)
        elif label == "ECG_RESULT":
            value = m.value
            if m.negated:
                value = "nonischemic" if value == "ischemic" else None
            if value:
                _add(claims, "ecg", value, True, m)
        elif label in ("AGENT", "TRACER", "MODALITY", "PHARM_STRESS", "EXERCISE") and _proposed(
            c.suggestion, sentence, m.start - s0, m.end - s0
        ):
            continue  # "PET would be a reasonable next step", "consider vasodilator MPI": a proposed test, not this one
        elif label == "AGENT" and not m.negated:
            if _test_not_given(c, text, m, s0, s1):
                continue  # "allergic to adenosine", "adenosine-type drugs unsuitable": not the agent given
            _add(claims, "agent", m.value, True, m)
        elif label in ("PHARM_STRESS", "EXERCISE") and not m.negated:
            if label == "EXERCISE" and re.match(r"-induced|\s+hypotension", text[m.end : m.end + 12], re.I):
                continue
            if _test_not_given(c, text, m, s0, s1):
                continue  # "knee arthritis made a treadmill test less suitable": the test not done
            _add(claims, "stress_type", m.value, True, m)
        elif label == "TRACER" and (
            not m.negated
            or _TRACER_OF_FINDING.match(text, m.end, s1)
            or _FINDING_OF_TRACER.search(text, max(s0, m.start - 30), m.start)
        ):
            # the negation of "no increased lung sestamibi uptake" denies the uptake, not the tracer that shows it
            _add(claims, "tracer", m.value, True, m)
        elif label == "MODALITY" and not m.negated:
            if _test_not_given(c, text, m, s0, s1):
                continue  # "habitus made standard SPECT less suitable": the modality not used
            _add(claims, "modality", m.value, True, m)
        elif label == "PROTOCOL" and m.value and not m.negated and not claims.in_prior(m.start):
            # "stress-only", "one-day rest/stress", "stress only SPECT"; not two words of run-on dictation ("with
            # stress only flushing")
            if (
                re.search(r"[-_/]|\bday\b|\bprotocol\b", text[m.start : m.end], re.I)
                or _PROTOCOL_NOUN_AFTER.match(text, m.end)
                or _PROTOCOL_KEY_BEFORE.search(text, max(text.rfind("\n", 0, m.start) + 1, m.start - 40), m.start)
            ):
                _add(claims, "protocol", m.value, True, m)
        elif label == "RISK" and not m.negated:
            duke = any(
                x.label == "DUKE" and x.sent == m.sent and 0 <= m.start - x.end <= 40 for x in claims.mentions
            ) or bool(_DUKE_BEFORE.search(text, max(s0, m.start - 40), m.start))  # "Duke -4.5 (moderate risk)"
            _add(claims, "duke_risk" if duke else "risk", m.value, True, m)
        elif label == "TERRITORY" and m.value and not m.negated and _is_culprit(text, m, s0, s1):
            _add(claims, "culprit", m.value, True, m)  # "stenosis of the LAD", "right coronary artery disease"
        elif label == "CAC_VISUAL":
            absent = (m.negated and not _OWN_AMOUNT_BEFORE.search(text, max(s0, m.start - 60), m.start)) or bool(
                _CAC_ABSENT_BEFORE.search(text[max(s0, m.start - 30) : m.start])
            )
            _add(claims, "calcification", None, not absent, m)
        elif label == "LV_SIZE" and not m.negated:
            if c.modifier.search(text[max(s0, m.start - 6) : m.start]):  # "non-dilated LV"
                if m.value == "dilated":
                    _add(claims, "lv_size", "normal", True, m)
                continue
            _add(claims, "lv_size", m.value, True, m)
        elif label == "RESULT_BARE" and m.negated and _PERFUSION_NOT.search(text[s0 : m.start]):
            # "the perfusion images are not normal": a verdict on perfusion
            _add(claims, "perfusion_result", "abnormal" if m.value == "normal" else None, True, m)
    first_sections: dict[int, str | None] = {}  # the section of each sentence's first mention
    for m in claims.mentions:
        first_sections.setdefault(m.sent, m.section)
    for i, (s0, s1) in enumerate(claims.sentences):
        sentence = text[s0:s1]
        section = first_sections.get(i)

        def add_match(
            concept: str,
            value: str | None,
            hit: re.Match[str],
            i: int = i,
            s0: int = s0,
            s1: int = s1,
            section: str | None = section,
        ) -> None:
            a, b = s0 + hit.start(), s0 + hit.end()
            negated = bool(
                # "I don't see evidence of balanced disease", "free of", "argues against"
                re.search(_DENIED_BEFORE_FEATURE, text[max(s0, a - 110) : a], re.I)
                # ... or weighed as the less likely reading ("favouring a focal lesion over diffuse microvascular
                # disease", "more likely focal than balanced disease")
                or _LESS_LIKELY_ALTERNATIVE.search(text, max(s0, a - 110), a)
                # ... or the finding that would show it is denied ("no septal defect to suggest an LBBB artifact")
                or _DENIED_EVIDENCE_OF.search(text, max(s0, a - 110), a)
            ) and not _MOTION_DENIED_BEFORE.search(text, s0, a)  # "which does not move (akinetic)": stated
            # "no regional defect and severely reduced LV function": "and" before a grade opens a finding of its own
            # (the ConText rule "and normal" of context_rules.json)
            negated = negated and not (_AND_BEFORE.search(text, max(s0, a - 6), a) and _GRADE_OPENS.match(text, a))
            # ... or its verb denied inside the phrase ("the EF does not fall with stress", "the cavity does not
            # dilate after stress")
            # (an LV function graded by its denied verb, "the heart does not pump normally", is its grade: reduced)
            negated = negated or bool(concept != "lvef_category" and _VERB_DENIED_WITHIN.search(hit.group(0)))
            # ... or set in a differential ("the differential would include an LBBB-related artefact")
            doubted = bool(
                _DOUBTED_AFTER.match(text, b, s1)
                or _IN_DIFFERENTIAL.search(text, s0, a)
                or _POSSIBILITY_OF_BEFORE.search(text, max(s0, a - 60), a)
                or _SOUGHT_BEFORE.search(text, max(s0, a - 40), a)
            )
            claims.statements.append(Statement(concept, value, not negated, doubted, (a, b), i, section))

        hay = haystack(sentence)
        # one test of every feature's words first: most sentences hold none of them
        for key, patterns in c.features if may_match_any(c.features, hay) else ():
            hit = first(patterns, sentence, hay)
            if hit and key == "tid":
                # dilation said in other words ("the ventricle dilates transiently"): the TID ratio graded abnormal,
                # or normal where denied ("does not dilate transiently"); a TID label of the sentence states it
                if not any(st.concept == "tid" and st.sent == i for st in claims.statements):
                    add_match(key, None, hit)
                    st = claims.statements.pop()
                    tid_denied = not st.present or _NORMAL_DENIED_WITHIN.search(hit.group(0))
                    value = "normal" if tid_denied else "abnormal"
                    claims.statements.append(dataclasses.replace(st, value=value, present=True))
            elif hit and key == "lvef_drop" and _lvef_change_vs_prior(sentence, hit):
                continue  # "resting LVEF is 3 points lower than in 2023": a change against the prior, not stress's
            elif hit:
                add_match(key, None, hit)
        for key, patterns in c.feature_normal:
            hit = first(patterns, sentence, hay)
            if hit and not any(st.concept == key and st.sent == i for st in claims.statements):
                a, b = s0 + hit.start(), s0 + hit.end()
                # "failure of the normal rise in ejection fraction": the normal denied states the feature
                present = bool(
                    _NORMAL_DENIED_BEFORE.search(text, max(s0, a - 30), a) or _NORMAL_DENIED_WITHIN.search(hit.group(0))
                )
                claims.statements.append(Statement(key, None, present, False, (a, b), i, section))
        low = sentence.lower()
        for value, patterns in c.lvef_category if any(w in low for w in _LVEF_WORDS) else ():
            hit = first(patterns, sentence, hay)  # the first pattern's match, patterns without their words skipped
            if hit:
                add_match("lvef_category", value, hit)
                break
        _read_sentence_grades(claims, i, s0, sentence, section)
        hit = search(c.no_prior, sentence, hay)
        if hit:
            claims.statements.append(
                Statement("no_prior", None, True, False, (s0 + hit.start(), s0 + hit.end()), i, section)
            )
            continue
        hit = search(c.comparison_claim, sentence, hay)
        # a field heading cut off as a sentence of its own ("ECG:" | "baseline NS ST-T, no change.")
        heading = claims.sentence_text(i - 1).strip() if i > 0 else ""
        heading = heading if _FIELD_HEADING_ONLY.fullmatch(heading) else ""
        if hit and _not_of_studies(sentence, hit, heading):  # "ECG unchanged": the next claim word, if any
            hit = next(
                (h for h in c.comparison_claim.finditer(sentence) if not _not_of_studies(sentence, h, heading)), None
            )
        # a heading's ECG field that the parser cut from its label ("ECG:" | "no change"): the ECG's, not the studies'
        if hit and not sentence[: hit.start()].strip() and _ECG_SUBJECT_BEFORE.search(text, max(0, s0 - 16), s0):
            hit = None
        context = search(c.comparison_context, sentence, hay)
        if context and _not_of_studies(sentence, context, heading):  # "blood pressure dropped from": the next, if any
            context = next(
                (h for h in c.comparison_context.finditer(sentence) if not _not_of_studies(sentence, h, heading)), None
            )
        # a sentence giving the prior's findings ("Prior (2024-09-12): SSS 4, SDS 4 - progression") compares too
        if hit or context or any(s0 <= pa < s1 for pa, _ in claims.prior_regions):
            anchor = hit or context
            changes = [h for h in c.changed.finditer(sentence) if not _not_of_studies(sentence, h, heading)]
            steady = [h for h in c.unchanged.finditer(sentence) if not _not_of_studies(sentence, h, heading)]
            # "no new or worsening ischemia": a change denied says its own subject is unchanged (checked against
            # what its clause names, as a part), not that the whole study is ("No new defect" after a resolved one)
            # ... or a change asked and answered "No" ("Worse than 2024? No, unchanged")
            denied = [
                h
                for h in changes
                if NEGATED_CHANGE_BEFORE.search(sentence, 0, h.start())
                or _QUESTION_ANSWERED_NO.match(sentence, h.end())
            ]
            changes = [h for h in changes if h not in denied]
            if changes:
                # "the inferior defect, which was already present on the previous scan, has grown": "already
                # present" says the finding existed then (guardrails.attribution reads that), not that it is
                # unchanged; the change word the sentence states is its comparison
                steady = [h for h in steady if not _ALREADY.match(h.group(0))]
            for h in denied:
                claims.statements.append(
                    Statement("comparison_part", "unchanged", True, False, (s0 + h.start(), s0 + h.end()), i, section)
                )
            changed = changes[0] if changes else None
            unchanged = steady[0] if steady else None
            if changed and unchanged:  # the first word says what the sentence claims
                value = "changed" if changed.start() < unchanged.start() else "unchanged"
            else:
                value = "changed" if changed else "unchanged" if unchanged else None
            # the statement sits on the word that gave its value ("inferior scar unchanged, new LAD defect": the
            # sentence's "unchanged" is read in its own clause; "new" is a part of its own)
            where = (unchanged if value == "unchanged" else changed) or anchor
            if (hit or value) and where is not None:
                claims.statements.append(
                    Statement("comparison", value, True, False, (s0 + where.start(), s0 + where.end()), i, section)
                )
                # each further change word, checked only against what its own clause names ("new ischemia in
                # the LCx territory, the old inferior infarct is unchanged")
                parts = [(h, "changed") for h in changes] + [(h, "unchanged") for h in steady]
                for h, part in parts:
                    if h.start() != where.start():
                        claims.statements.append(
                            Statement("comparison_part", part, True, False, (s0 + h.start(), s0 + h.end()), i, section)
                        )
    claims.statements = [_denied_after(claims, st) for st in claims.statements]
    claims.prior_statements.extend(_also_on_prior(claims))
    # what the text says of the prior is compared with the prior, not with this study
    prior = [
        st
        for st in claims.statements
        if st.concept not in ("comparison", "comparison_part") and claims.in_prior(st.span[0])
    ]
    if prior:
        claims.prior_statements.extend(prior)
        claims.statements = [st for st in claims.statements if st not in prior]
        claims.statements.extend(_continued(claims, prior))


_ALREADY = re.compile(r"already\b", re.I)


# a negation of a feature's normal ("no normal rise", "fails to show a normal rise", "failure of the normal rise")
_NORMAL_DENIED_BEFORE = denial.before("normal_feature")
_VERB_DENIED_WITHIN = re.compile(r"\b(?:does|do|did)\s+not\b|\b(?:does|do|did)n['\u2019]t\b|\bnever\b", re.I)
_NORMAL_DENIED_WITHIN = re.compile(r"\b(?:not|never|fail\w*)\b|n't\b", re.I)  # "EF does not rise normally"


# a finding of this study that its own relative clause places on the prior too ("ischemia that was already
# evident on the 2023 study"; "... not described on the prior report": new since then)
_PRIOR_STUDY = (
    r"(?:(?:on|in)\s+(?:the|that|his|her|their)\s+(?!(?:current|present|today|this)\b)(?:[\w'-]+\s+){0,3}?"
    r"(?:study|scan|exam\w*|SPECT|PET|report|images?)\b"
    # ... or by its date alone ("not present in March 2024", "seen on 3/12/2024", "absent in 2021")
    r"|(?:on|in)\s+(?:(?:\d{1,2}\s+)?" + MONTH_WORD + r"\s+(?:\d{1,2},?\s+)?"
    r"(?:19|20)\d\d|\d{1,2}/(?:\d{1,2}/)?(?:19|20)?\d\d|(?:19|20)\d\d)\b)"
)
_ATTRIBUTED = r"(?:evident|seen|present|noted|described|shown|demonstrated|visible|apparent|reported)"
# a likelihood denied after a finding, of a verb that follows it ("unlikely to recover", "not likely to improve"): the
# finding's future, not its presence ("unlikely to be significant" still doubts the finding)
_UNLIKELY_CUE = re.compile(r"(?:un|not\s+|less\s+)likely|improbable|not\s+expected", re.I)
_TO_DO_NEXT = re.compile(r"\s+to\s+(?!be\b|represent\b|reflect\b|indicate\b)[a-z]+", re.I)
# a denial's cue followed at once by the prior study it speaks of ("absent on the 2023 study", "not seen in May 2023")
_PRIOR_STUDY_NEXT = re.compile(rf"\s*(?:(?:previously|then|before)\s+)?(?:{_PRIOR_STUDY})", re.I)
_ON_PRIOR_AFTER = re.compile(
    # (the finding's place, and a parenthesis after it, stand between: "ischemia in the basal and mid lateral walls
    # (LCx, 7%), which was ...")
    r"(?:\s+(?:in|of|at|within|involving)\s+(?:the\s+)?(?:[\w/-]+\s+){0,8}?"
    r"(?:walls?|territor(?:y|ies)|segments?|regions?|distribution|apex|septum)\b)?"
    r"(?:[^.;()]|\([^().;]*\)){0,30}?(?:"
    # "that was (not) already evident on the 2023 study", "which had been seen previously", "not seen before"
    rf"\b(?:that|which)\s+(?:was|were|had\s+been|has\s+been)\s+(?P<neg>not\s+)?"
    rf"(?:already\s+|also\s+|previously\s+|likewise\s+)?{_ATTRIBUTED}\s+(?:{_PRIOR_STUDY}|(?:previously|before|earlier)\b)"
    # ", (not) seen on the prior study", ", also present previously"
    rf"|,\s*(?P<neg2>not\s+)?(?:already\s+|also\s+|previously\s+)?{_ATTRIBUTED}\s+(?:{_PRIOR_STUDY}|(?:previously|before|earlier)\b)"
    # ", as on the prior study", "as previously described on the 2021 SPECT"
    rf"|,?\s*\bas\s+(?:(?:previously|before)\s+)?(?:{_ATTRIBUTED}\s+)?{_PRIOR_STUDY}"
    # ", again seen (compared with the prior)": it was there before
    r"|,\s*(?:again|still)\s+(?:seen|present|evident|noted|visible)\b(?=[^.;]{0,40}\b(?:prior|previous|earlier)\b)"
    # ", neither of which was present on his 2019 scan", ", both of which were seen before": said of every finding
    rf"|,?\s*(?:(?P<neg3>neither|none)|both|all|each)\s+of\s+(?:which|these|them|those)\s+(?:was|were|had\s+been|has\s+been)"
    rf"\s+(?:already\s+|also\s+|previously\s+)?{_ATTRIBUTED}\s+(?:{_PRIOR_STUDY}|(?:previously|before|earlier)\b)"
    r")",
    re.I,
)
# a sentence that opens by placing its findings on the prior ("As on that study, ...", "As in 2022, ...", "As
# before, ...", "As previously, ...")
_ON_PRIOR_LEAD = re.compile(
    r"\s*\bas\s+(?:(?:on|in|at|with)\s+(?:(?:that|the|this)\s+(?:[\w'-]+\s+){0,3}?(?:study|scan|exam\w*|SPECT|PET"
    r"|report|images?)\b|\d{4}\b)|previously\b|before\b)\s*,",
    re.I,
)
_NEW_BEFORE = re.compile(r"\b(?:new|newly|interval|developed|development of)\b[^.;,]{0,25}$", re.I)
_FINDINGS = frozenset({"ischemia", "scar", "defect"})


def _also_on_prior(claims: Claims) -> list[Statement]:
    """What a finding's relative clause says of the prior: the finding stated of the prior too (or denied there)."""
    out = []
    for st in claims.statements:
        if st.concept not in _FINDINGS or not st.present or claims.in_prior(st.span[0]):
            continue  # (a finding inside a clause about the prior is the prior's already)
        s0, s1 = claims.sentences[st.sent]
        lead = _ON_PRIOR_LEAD.match(claims.text, s0, st.span[0])
        if lead is not None and not _NEW_BEFORE.search(claims.text, max(s0, st.span[0] - 30), st.span[0]):
            out.append(st)  # "As on that study, there is a reversible defect ...": there then too
            continue
        hit = _ON_PRIOR_AFTER.match(claims.text, st.span[1], s1)
        if hit is None or _NEW_BEFORE.search(claims.text, max(s0, st.span[0] - 30), st.span[0]):
            continue
        if any(x.concept in _FINDINGS and st.span[1] <= x.span[0] < hit.end() for x in claims.statements):
            continue  # the clause belongs to the finding named nearer it
        out.append(dataclasses.replace(st, present=not (hit.group("neg") or hit.group("neg2") or hit.group("neg3"))))
    return out


# A finding denied after it, in the same clause ("TID and a post-stress LVEF drop are absent")
_DENIED_AFTER = re.compile(
    r"(?:(?![,;:]|\b(?:but|while|whereas|although|with)\b)[^.])"
    r"{0,60}?\b(?:(?:is|are|was|were)\s+(?:absent|excluded|ruled out|not\s+(?:present|seen|identified|evident))"
    # ... or said to be open to exclusion ("balanced ischaemia can be excluded"; not "cannot be excluded")
    r"|(?:can|could|may)\s+(?:safely\s+|confidently\s+|reasonably\s+)?be\s+(?:excluded|ruled out)"
    # the same denial hedged ("TID does not appear to be present", "a drop in EF seems absent")
    r"|(?:(?:does|do|did)\s+not|doesn't|don't|didn't)\s+(?:appear|seem)\s+to\s+be\s+(?:present|seen|evident)"
    r"|(?:appears?|seems?|appeared|seemed)\s+(?:to\s+be\s+)?(?:absent|excluded))\b",
    re.I,
)
_DENIABLE_AFTER = frozenset(
    {"tid", "ischemia", "scar", "defect", "wall_motion", "wall_motion_abnormal", "lung_uptake", "rv", "lvef_drop"}
    | {"hypotension", "hypertensive_response", "esv_high", "aneurysm", "apical_thinning", "balanced"}
)


# an LVEF said lower at rest (a post-stress drop is the post-stress LVEF below the rest one), or lower than the prior
# study's ("than in March 2024", "compared with the prior study", "since 2023")
_REST_LVEF_BEFORE = re.compile(r"\b(?:rest|resting)\s+(?:gated\s+)?$", re.I)
_THAN_PRIOR_AFTER = re.compile(
    r"[\s,]*(?:than|since|from|compared\s+(?:with|to)|relative\s+to|versus|vs\.?)\s+(?:(?:on|in|at|with)\s+)?"
    rf"(?:{_EARLIER_STUDY}|before\b|previously\b|(?:the\s+)?prior\b)",
    re.I,
)


def _lvef_change_vs_prior(sentence: str, hit: re.Match[str]) -> bool:
    """A cue of a post-stress LVEF drop that speaks of the rest LVEF or of a change since the prior study."""
    return bool(_REST_LVEF_BEFORE.search(sentence, 0, hit.start()) or _THAN_PRIOR_AFTER.match(sentence, hit.end()))


# ... or left open after it ("balanced ischaemia cannot be entirely excluded", "TID is not excluded"): raised as a
# possibility, as "cannot exclude balanced ischaemia" is before it
_OPEN_AFTER = re.compile(
    r"(?:(?![,;:]|\b(?:but|while|whereas|although|and)\b)[^.]){0,40}?\b(?:"
    r"(?:(?:could|may|might|can)\s*not|cannot|can't|couldn't)\s+(?:yet\s+)?be\s+"
    r"(?:" + _CERTAINLY + r"\s+)?(?:excluded|ruled\s+out)"
    r"|(?:is|are|was|were)\s+not\s+(?:" + _CERTAINLY + r"\s+)?(?:excluded|ruled\s+out))\b",
    re.I,
)


def _denied_after(claims: Claims, st: Statement) -> Statement:
    """A statement denied after its noun ("TID and a post-stress fall in ejection fraction are absent"), or left
    open there ("... cannot be excluded": uncertain)."""
    if not st.present or st.concept not in _DENIABLE_AFTER:
        return st
    s1 = claims.sentences[st.sent][1]
    if not st.uncertain and _OPEN_AFTER.match(claims.text, st.span[1], s1):
        return dataclasses.replace(st, uncertain=True)
    denial = _DENIED_AFTER.match(claims.text, st.span[1], s1)
    if not denial or _ON_PRIOR_AFTER.match(claims.text, st.span[1], s1):
        return st  # "ischemia that was not seen on the prior study" denies it of the prior only
    if _PRIOR_STUDY_NEXT.match(claims.text, denial.end(), s1):
        return st  # "the lateral defect was absent on the 2023 study": the denial's scope is the prior study
    if st.concept == "tid":  # TID is stated by its value ("no TID": normal)
        return dataclasses.replace(st, value="normal") if st.value == "abnormal" else st
    return dataclasses.replace(st, present=False)


# a negation before a feature, reaching across an "or"/"nor" list of alternatives denied together ("argues
# against diffuse microvascular disease or balanced multivessel disease", "no lung uptake, TID or stunning"); "and"
# does not carry it
_AND_BEFORE = re.compile(r"\band\s+$", re.I)
_GRADE_OPENS = re.compile(
    r"(?:normal|preserved|abnormal|reduced|impaired|depressed|mildly|moderately|severely|markedly|mild|moderate|"
    r"severe)\b",
    re.I,
)
_DENIED_BEFORE_FEATURE = (
    # ... or excluded by the findings ("findings exclude CAV"; not "do not exclude", "cannot rule out", "to exclude")
    r"(?:\b(?:no|without|absence of|free of|negative for|against)\b|(?:\bnot|n't)\b(?!\s+(?:be\s+)?(?:exclud|rul))|"
    r"(?<!\bnot\s)(?<!\bto\s)(?<!n't\s)(?<!cannot\s)\b(?:exclude[sd]?|excluding|rul(?:e|es|ed|ing)\s+out)\b)"
    r"(?:[^.;]{0,70}?\b(?:or|nor)\s+)?[^.;,]{0,25}$"
)
# a denied finding that would be the sign of the one named after it: the denial reaches that one too
_DENIED_EVIDENCE_OF = re.compile(
    r"\b(?:no|without|absence\s+of)\b[^.;,]{0,40}?\b(?:to\s+(?:suggest|indicate|imply)|suggest(?:ive|ing)\s+of|"
    r"indicat(?:ive|ing)\s+of|(?:consistent|compatible)\s+with)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}$",
    re.I,
)
# A finding named, then doubted: "apical thinning is considered less likely", "... is felt to be unlikely"
_DOUBTED_AFTER = re.compile(
    r"[^.;,]{0,20}?\b(?:is|are|was|were|seems?|appears?)\s+(?:(?:considered|thought|felt|deemed)\s+)?(?:to\s+be\s+)?"
    r"(?:less\s+likely|unlikely|not\s+(?:likely|favou?red|thought|felt))\b",
    re.I,
)


# "previously large, severe LAD ischemia, now small and mild": the prior's finding goes on in this study
# (its place may come between: "the previously seen ischemia in the basal inferolateral wall persists")
_CONTINUED = re.compile(
    r"^[\s,;:-]*(?:(?:in|of|at|within|involving)\s+(?:the\s+)?(?:[\w/()-]+\s+){0,6}?)?"
    r"(?:but\s+|and\s+)?(?:is\s+|are\s+)?(?:now|still|remains?|persist\w*)\b",
    re.I,
)
_ENDED = re.compile(r"\b(?:resolved|no longer|normali[sz]ed|disappeared|gone)\b", re.I)


def _continued(claims: Claims, prior: list[Statement]) -> list[Statement]:
    """Findings the text names in a prior clause and then says go on ("..., now smaller"): stated of this
    study too, where they are present and the rest of the sentence does not say they ended."""
    out = []
    for st in prior:
        if st.concept not in ("ischemia", "scar", "defect") or not st.present:
            continue
        end = next((b for a, b in claims.prior_regions if a <= st.span[0] < b), None)
        s1 = claims.sentences[st.sent][1]
        rest = claims.text[end:s1] if end is not None else ""
        if _CONTINUED.match(rest) and not _ENDED.search(rest):
            out.append(st)
        elif _GOES_ON_BEFORE.search(claims.text, max(claims.sentences[st.sent][0], st.span[0] - 40), st.span[0]):
            out.append(st)  # "persistence of the inferior ischemia seen on the prior PET"
        elif (
            (go := _GOES_ON_IN_CLAUSE.match(claims.text, st.span[1], s1))
            and not _ENDED.search(claims.text, st.span[1], s1)
            and not _NOT_BEFORE.search(claims.text, max(0, go.start(1) - 12), go.start(1))
        ):
            # "Comparison: the apical ischemia on the 2025 study persists": the clause itself says it goes on
            out.append(st)
    return out


_GOES_ON_BEFORE = re.compile(
    r"(?<!\bno\s)(?<!\bnot\s)\b(?:persistence\s+of|persistent|persisting|ongoing|continued|residual)\s+"
    r"(?:(?:the|an?|its|of)\s+)?(?:[\w/-]+\s+){0,4}$",
    re.I,
)
_NOT_BEFORE = re.compile(r"(?:\b(?:not|never)|n't)\s+$", re.I)
# a prior's finding said, inside its own clause, to go on in this study ("the ischemia on the prior
# persists", "... is still present", "... is again seen on the current study")
_GOES_ON_IN_CLAUSE = re.compile(
    r"[^.;]{0,60}?\b(still|persist\w*|unchanged|again\s+(?:seen|noted|present|evident)|remains?\s+(?:present|visible|evident)"
    r"|(?:is|are)\s+(?:present|seen|evident|visible)\s+(?:on|in)\s+(?:the\s+)?(?:current|present|today|this|new)\b)",
    re.I,
)


# words without which no LV-function grade cue can match
_LVEF_WORDS = ("function", "impair", "ef", "ejection", "pump")
_MAY_CITE_PRIOR = re.compile(
    r"prior|previous|earlier|preceding|compar|\bwhen\b|\blast\b|\bvs\b|\bversus\b"
    r"|\b(?:seen|noted|shown|demonstrated|described) (?:on|in) the\b"
    r"|\b(?:that|which) (?:had been|was|were|appeared|seemed|looked)\b"
    r"|\b(?:unchanged|no change|similar|identical|stable|same as|changes?|changed|different|difference|departure"
    r"|since)\b"
    r"|\b(?:formerly|originally|initially)\b"  # "formerly described as moderate"
    # a change word before a date ("worse than 05/2024 (...)", "progression from May 2024 (...)")
    r"|\b(?:than|from)\s+(?:\d{1,2}/(?:\d{1,2}/)?\d{2,4}|(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d\b)",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


def _flow_reserve_nearest(text: str, pos: int) -> bool:
    """A vessel's number is its flow reserve: the nearest label before it in its clause is the flow reserve
    ("MFR 2.8 LAD 2.87 ... calcium score zero" in run-on dictation), or (with no label before it there) the
    sentence names no MBF or calcium ("flow reserve 1.35 (LAD 1.33, LCx 1.38)")."""
    last = _last_label(text, pos, _MFR, _NOT_FLOW_RESERVE)
    return not _NOT_FLOW_RESERVE.search(_full_sentence(text, pos)) if last is None else last


def _full_sentence(text: str, pos: int) -> str:
    """The text between the sentence ends around ``pos`` (a period, not a semicolon, ends it)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, pos)]
    nxt = _SENTENCE_END.search(text, pos)
    return text[ends[-1] if ends else 0 : nxt.start() if nxt else len(text)]


# The vessels a calcium sentence places calcium in ("calcium in the LAD and right coronary arteries", "LAD and
# RCA calcification"): each vessel's own Agatston score then says whether it holds any
_CA_VESSEL = (
    r"(?:left\s+main(?:\s+coronary)?|LM|left\s+anterior\s+descending|LAD|(?:left\s+)?circumflex|LCx|"
    r"right\s+coronary|RCA)"
)
_CA_VESSELS = rf"{_CA_VESSEL}(?:\s*(?:,|/|&|\band\b|\bor\b)\s*(?:the\s+)?{_CA_VESSEL})*"
_CA_WORD = r"(?:calcium|calcification|calcified\s+plaque|CAC)"
_CALCIUM_IN = re.compile(
    rf"(?P<no>\b(?:no|without|absence\s+of|absent|zero|nil)\s+(?:\w+\s+){{0,2}}?)?\b{_CA_WORD}\s+(?:is\s+|was\s+)?"
    rf"(?:(?:seen|present|noted|predominantly|mainly|mostly|only|confined|limited)\s+)*"
    rf"(?:in|of|involving|within|along|throughout|to)\s+(?:the\s+)?(?:(?:proximal|mid|distal|ostial)\s+)?"
    rf"(?P<list>{_CA_VESSELS})"
    rf"|(?P<list2>{_CA_VESSELS})\s+(?:(?:coronary\s+)?arter(?:y|ies)\s+|vessels?\s+)?{_CA_WORD}"
    # "the calcium score of 620 indicates extensive atherosclerosis, predominantly in the LAD": the distribution
    # a calcium clause ends with
    rf"|\b{_CA_WORD}\b[^.;]{{0,80}}?,\s*(?:predominantly|mainly|mostly|chiefly|largely)\s+(?:in|of|within|involving)\s+"
    rf"(?:the\s+)?(?P<list3>{_CA_VESSELS})",
    re.I,
)
# the vessel said to hold the most calcium ("the largest burden being in the LAD", "calcium predominantly in the
# RCA", "most of the calcium is in the LAD", "the LAD carries the heaviest burden")
_CALCIUM_MOST = re.compile(
    rf"\b(?:largest|greatest|heaviest|highest|most|predominantly|mainly|mostly|chiefly|largely)\s+"
    rf"(?:[\w-]+\s+){{0,3}}?(?:being\s+|is\s+|lies\s+|was\s+)?(?:in|within|of|involving)\s+(?:the\s+)?"
    # the vessel in plain words, then by its name ("mostly in the front artery, the LAD")
    rf"(?:(?:[\w-]+\s+){{0,2}}?arter(?:y|ies)\s*(?:,|\(|\u2013|-)\s*(?:the\s+|i\.e\.,?\s+)?)?"
    rf"(?:(?:proximal|mid|distal|ostial)\s+)?(?P<v>{_CA_VESSEL})"
    rf"|(?P<v2>{_CA_VESSEL})\s+(?:has|having|carries|carrying|holds|holding|contains|containing|bears|bearing|with)\s+(?:the\s+)?(?:largest|greatest|heaviest|highest|most)\b"
    # all of it in one vessel ("38 (all LAD)", "Agatston 38, LAD only", "confined to the RCA")
    rf"|\b(?:all|entirely|exclusively|solely|only|confined\s+to)\s+(?:(?:in|within|to)\s+)?(?:the\s+)?(?P<v3>{_CA_VESSEL})\b"
    rf"|(?P<v4>{_CA_VESSEL})\s+only\b"
    # the distribution word set right before the vessel, without its preposition ("score 380, predominantly LAD")
    rf"|\b(?:predominantly|mainly|mostly|chiefly|largely)\s+(?:the\s+)?(?P<v5>{_CA_VESSEL})\b",
    re.I,
)
_CA_DENIED_BEFORE = denial.before("calcium")
_CA_VESSEL_CODE = (("left main", "LM"), ("lm", "LM"), ("anterior descending", "LAD"), ("lad", "LAD"),
                   ("circumflex", "LCx"), ("lcx", "LCx"), ("right coronary", "RCA"), ("rca", "RCA"))  # fmt: skip


def _calcium_most(sentence: str) -> list[tuple[str, int, int]]:
    """(vessel, start, end) of each vessel a calcium sentence names as holding the most calcium."""
    out = []
    for hit in _CALCIUM_MOST.finditer(sentence):
        g = next(g for g in ("v", "v2", "v3", "v4", "v5") if hit.group(g))
        low = re.sub(r"\s+", " ", hit.group(g).lower())
        out.append((next(c for key, c in _CA_VESSEL_CODE if key in low), hit.start(g), hit.end(g)))
    return out


def _calcium_vessels(sentence: str) -> list[tuple[str, bool, int, int]]:
    """(vessel, calcium stated present, start, end) for each vessel a sentence places calcium in or denies it in;
    a vessel followed by its own score ("LAD 120") is a value, read as a number."""
    out = []
    for hit in _CALCIUM_IN.finditer(sentence):
        group = next(g for g in ("list", "list2", "list3") if hit.group(g))
        denied = hit.group("no") if group == "list" else _CA_DENIED_BEFORE.search(sentence, 0, hit.start())
        present = not denied
        for v in re.finditer(_CA_VESSEL, hit.group(group), re.I):
            a, b = hit.start(group) + v.start(), hit.start(group) + v.end()
            if re.match(r"\s*[:=(]?\s*\d", sentence[b : b + 6]):
                continue
            low = re.sub(r"\s+", " ", v.group(0).lower())
            code = next(c for key, c in _CA_VESSEL_CODE if key in low)
            out.append((code, present, a, b))
    return out


# A segment named by its level and wall (AHA 17-segment names) or number, with its stress/rest scores beside it
# ("basal anterolateral 3/0", "apex (4/4)", "segment 11: 2/1")
_LEVEL_WORD = {"basal": "basal", "basilar": "basal", "base": "basal", "mid": "mid", "mid-ventricular": "mid",
               "midventricular": "mid", "apical": "apical"}  # fmt: skip
_SEGMENT_BY_NAME = {seg.name: n for n, seg in SEGMENTS.items()}
_SCORED_SEGMENT = re.compile(
    r"\b(?:(?P<level>basal|basilar|base|mid|mid-ventricular|midventricular|apical)[\s-]+"
    r"(?P<wall>anterior|anteroseptal|inferoseptal|inferior|inferolateral|anterolateral|septal|septum|lateral)"
    r"|(?P<apex>apex)|seg(?:ment)?\.?\s*(?P<num>\d{1,2}))"
    r"(?:\s+(?:segment|wall))?\s*[:(]?\s*(?P<s>[0-4])\s*/\s*(?P<r>[0-4])(?!\d|\.\d|\s*[/%])",
    re.I,
)


def segment_named(level: str, wall: str) -> int | None:
    """The AHA segment a level word and a wall word name ("basilar", "inferior": 4; "mid-ventricular", "septum": 9),
    or None where the pair names none."""
    lv = _LEVEL_WORD.get(level.lower())
    return _SEGMENT_BY_NAME.get(f"{lv} {wall.lower().replace('septum', 'septal')}") if lv else None


def _scored_segments(sentence: str) -> list[tuple[int, int, int, int, int]]:
    """(segment number, stress score, rest score, start, end) of each segment a sentence scores."""
    out = []
    for hit in _SCORED_SEGMENT.finditer(sentence):
        if hit.group("num"):
            number: int | None = int(hit.group("num")) if 1 <= int(hit.group("num")) <= 17 else None
        elif hit.group("apex"):
            number = 17
        else:
            number = segment_named(hit.group("level"), hit.group("wall"))
        if number is not None:
            out.append((number, int(hit.group("s")), int(hit.group("r")), hit.start(), hit.end()))
    return out


# A conclusion about obstructive coronary disease, with its polarity: "makes flow-limiting coronary disease
# unlikely", "consistent with a flow-limiting stenosis", "rather than obstructive epicardial disease"
_OBSTRUCTIVE = re.compile(
    r"\b(?P<kind>obstructive|flow[- ]limiting|hemodynamically\s+significant|significant|critical|"
    r"multi-?vessel|three-vessel|3-vessel|left\s+main)\s+(?:epicardial\s+)?"
    r"(?:(?:LAD|LCx|RCA|left\s+anterior\s+descending|(?:left\s+)?circumflex|right)\s+)?(?:coronary\s+)?(?:artery\s+)?"
    r"(?:disease|CAD|stenos[ie]s)\b"
    # ... or in plain words, for a patient ("a sign of a blockage", "no sign of a blocked artery", "narrowed
    # arteries", "narrowing of the coronary arteries")
    r"|\b(?P<plain>blockages?|blocked\s+(?:coronary\s+|heart\s+)?arter(?:y|ies))\b"
    r"|\b(?:narrow(?:ed|ing)|clogged|furred(?:[- ]up)?)\s+(?:(?:heart|coronary)\s+)?arter(?:y|ies)\b"
    r"|\bnarrowings?\s+(?:of|in)\s+(?:(?:the|your|his|her|a|one)\s+)?(?:heart|coronary)\s+"
    r"arter(?:y|ies)\b",
    re.I,
)
# what states a plain-words blockage: the sign or evidence of it ("with a sign of a blockage")
_PLAIN_SIGN_BEFORE = re.compile(r"\b(?:signs?|evidence|suggestion)\s+of\s+(?:an?\s+|any\s+)?$", re.I)
_OBSTRUCTIVE_DENIED_BEFORE = denial.before("obstructive_disease")
_VERDICT_AFTER = re.compile(
    r"^(?:\s+(?:is|are|was|appears?|seems?|remains?|being|to\s+be|very|highly|most|much|less|more))*\s+"
    r"(?P<neg>unlikely|improbable|excluded|ruled\s+out|"
    r"not\s+(?:likely|probable|present|suggested|seen|evident|supported|expected|favou?red))?"
    r"(?P<pos>likely|probable|present|suspected)?\b",
    re.I,
)
_VERDICT_BEFORE = re.compile(
    r"(?P<neg>\bargu\w*\s+against|\brather\s+than|\bexclud\w*|\bunlikely|\bagainst|"
    r"\blow\s+(?:likelihood|probability)\s+of)"
    # ("evidence of coexistent obstructive CAD", "signs of narrowed arteries"; "no evidence of": the negator before)
    r"|(?P<pos>\b(?:evidence|signs?|features?)\s+of|\bconsistent\s+with|\bsuggest\w*|\bindicat\w*|\bfavou?r\w*|\bin\s+keeping\s+with|\bmakes?|"
    r"\bdue\s+to|\bcompatible\s+with|\bcaused\s+by|\bprobable|\blikely|\bhigh\s+(?:likelihood|probability)\s+of)",
    re.I,
)
_HEDGED_OR_KNOWN = re.compile(
    r"\b(?:possib\w*|may|might|could|cannot|can't|not\s+(?:be\s+)?excluded|uncertain|equivocal|known|history|"
    r"prior|previous\w*|status\s+post|s/p|treated|revasculari[sz]\w*|stented|grafted)\b",
    re.I,
)
_NEGATOR = re.compile(r"\b(?:no|not|nothing|without|neither|nor|absence)\b|n't\b", re.I)
_OBSTRUCTIVE_HINT = re.compile(r"disease|cad|stenos|arter|blockage|blocked")
_OTHER_TERRITORIES = re.compile(r"\b(?:other|remaining|remote)\s+(?:\w+\s+)?(?:territor|vessel|region)", re.I)


def _obstructive_conclusions(sentence: str) -> list[tuple[str, bool, int, int]]:
    """(kind, stated likely, start, end) of each conclusion about obstructive coronary disease whose polarity the
    clause says; kind is "multivessel" or "obstructive". A conclusion limited to other territories is skipped."""
    out = []
    for hit in _OBSTRUCTIVE.finditer(sentence):
        breaks = [b for b in _CLAUSE_BREAK.finditer(sentence) if b.group(0) not in "()"]
        a = max((b.end() for b in breaks if b.end() <= hit.start()), default=0)
        end = next((b.start() for b in breaks if b.start() >= hit.end()), len(sentence))
        if _OTHER_TERRITORIES.search(sentence, hit.end(), end) or _HEDGED_OR_KNOWN.search(sentence, a, end):
            continue  # "in the other territories"; "cannot be excluded", "known multivessel CAD": no verdict
        after = _VERDICT_AFTER.match(sentence[hit.end() : end])
        before = list(_VERDICT_BEFORE.finditer(sentence, a, hit.start()))
        if _OBSTRUCTIVE_DENIED_BEFORE.search(sentence, a, hit.start()):
            likely = False
        elif after is not None and (after.group("neg") or after.group("pos")):
            likely = not after.group("neg")
        elif hit.group("plain") and (sign := _PLAIN_SIGN_BEFORE.search(sentence, a, hit.start())):
            likely = not _NEGATOR.search(sentence, a, sign.start())
        elif before:
            cue = before[-1]  # "nothing to suggest", "does not indicate": the cue's own negation
            # a likelihood denied over the cue ("is unlikely to be due to", "argues against it being caused by")
            denied = any(b.group("neg") for b in before)
            likely = not denied and not _NEGATOR.search(sentence, a, cue.start())
        else:
            continue
        kind = "multivessel" if re.match(r"multi|three|3|left", hit.group("kind") or "", re.I) else "obstructive"
        out.append((kind, likely, hit.start(), hit.end()))
    return out


_RESTENOSIS = re.compile(r"\b(?:in[- ]?stent\s+)?re-?stenosis\b", re.I)


def _restenosis_claims(claims: Claims, i: int, s0: int, sentence: str) -> list[tuple[str, bool, int, int]]:
    """(territory or "", stated, start, end) of each restenosis of a stent the sentence states or denies, not
    hedged or told as history ("cannot exclude", "prior restenosis"); its territory is the one named last before it
    in the sentence ("LCx stent: ... no in-stent restenosis"), or right after it ("restenosis of the RCA stent")."""
    out = []
    for hit in _RESTENOSIS.finditer(sentence):
        breaks = [b for b in _CLAUSE_BREAK.finditer(sentence) if b.group(0) not in "()"]
        a = max((b.end() for b in breaks if b.end() <= hit.start()), default=0)
        end = next((b.start() for b in breaks if b.start() >= hit.end()), len(sentence))
        if _HEDGED_OR_KNOWN.search(sentence, a, end):
            continue
        stated = not _OBSTRUCTIVE_DENIED_BEFORE.search(sentence, a, hit.start())
        places = [m for m in claims.mentions if m.sent == i and m.label == "TERRITORY" and m.value]
        after = [m for m in places if s0 + hit.end() <= m.start <= s0 + hit.end() + 25]
        before = [m for m in places if m.end <= s0 + hit.start()]
        place = after[0] if after else (before[-1] if before else None)
        out.append((str(place.value) if place else "", stated, hit.start(), hit.end()))
    return out


_CONFINED = re.compile(
    r"\b(?:confined|limited|restricted|isolated|locali[sz]ed)\s+to\b|\b(?:only|solely|exclusively)\s+in\b", re.I
)


def _confined_flow(claims: Claims, i: int, s0: int, sentence: str, section: str | None) -> Statement | None:
    """A flow reduction the sentence confines to some territories ("reduced flow reserve, confined to the LAD
    territory"): the territories named (or walls of one territory) in the clause after the restricting word."""
    hit = _CONFINED.search(sentence)
    if hit is None:
        return _flow_only_in(claims, i, s0, sentence, section) or _focal_flow(claims, i, s0, sentence, section)
    flows = list(_FLOW_WORDS.finditer(sentence, 0, hit.start()))
    if not flows:
        return None
    if any(
        m.sent == i and m.label in _TRIGGERS and s0 + flows[-1].end() <= m.start < s0 + hit.start()
        for m in claims.mentions
    ):
        return None  # "reduced LAD flow reserve and a defect confined to the apex": the defect is confined
    end = s0 + next((m.start() for m in _CLAUSE_BREAK.finditer(sentence, hit.end())), len(sentence))
    named: set[str] = set()
    last = s0 + hit.end()
    for m in claims.mentions:
        if m.sent == i and s0 + hit.end() <= m.start < end and m.value:
            if m.label == "TERRITORY":
                named.add(m.value)
            elif m.label == "WALL" and len(WALL_TERRITORIES.get(m.value, ())) == 1:
                named |= WALL_TERRITORIES[m.value]
            else:
                continue
            last = max(last, m.end)
    if not named:
        return None
    span = (s0 + hit.start(), last)
    return Statement("flow_confined", ",".join(sorted(named)), True, False, span, i, section)


# "only" after the territories it confines a reduction to ("reduced, focal (LAD territory only)")
_ONLY_AFTER = re.compile(r"\s*(?:territor(?:y|ies)|distributions?|vessels?)?\s*only\b", re.I)


def _flow_only_in(claims: Claims, i: int, s0: int, sentence: str, section: str | None) -> Statement | None:
    """A flow reduction confined by an "only" after the territories ("MFR reduced, focal (LAD territory only)"):
    the territories of the clause that "only" ends, after a flow word of the sentence."""
    for m in claims.mentions:
        if m.sent != i or m.label != "TERRITORY" or not m.value:
            continue
        only = _ONLY_AFTER.match(claims.text, m.end)
        if only is None or not _FLOW_WORDS.search(sentence, 0, m.start - s0):
            continue
        breaks = [b.end() for b in _CLAUSE_BREAK.finditer(sentence, 0, m.start - s0)]
        a = s0 + (breaks[-1] if breaks else 0)
        named = {
            x.value
            for x in claims.mentions
            if x.sent == i and x.label == "TERRITORY" and x.value and a <= x.start <= m.start
        }
        if any(x.sent == i and x.label in _TRIGGERS and a <= x.start < m.start for x in claims.mentions):
            return None  # "a defect in the LAD territory only": the defect is confined
        return Statement("flow_confined", ",".join(sorted(named)), True, False, (a, only.end()), i, section)
    return None


# a flow reduction called regional in kind, with no territory named ("mildly and focally reduced MFR", "the flow
# reserve is regionally reduced"): one confined to a part of the heart; not one denied ("no focal reduction",
# "rather than focal", "non-focal")
_FOCAL_FLOW = re.compile(
    r"(?<!non-)(?<!non)\b(?P<w>focal(?:ly)?|regional(?:ly)?|segmental(?:ly)?|locali[sz]ed)\s+"
    r"(?:(?:and|but)\s+\w+\s+|\w+ly\s+)?(?:reduced|decreased|impaired|diminished|blunted|abnormal|low)\s+"
    r"(?:(?:global|myocardial|coronary|stress|hyperaemic|hyperemic)\s+)?(?:MFR|MBF|CFR|(?:myocardial\s+)?(?:blood\s+)?flow)\b"
    r"|\b(?:MFR|MBF|CFR|flow\s+reserve)\s+(?:(?:is|was|are|were)\s+)?(?P<w2>focally|regionally|segmentally)\s+"
    r"(?:reduced|decreased|impaired|diminished|blunted|abnormal|low)\b",
    re.I,
)
_FOCAL_DENIED_BEFORE = re.compile(r"(?:\b(?:no|not|nor|without|rather\s+than|instead\s+of)|n't)\s+(?:\w+\s+)?$", re.I)


def _focal_flow(claims: Claims, i: int, s0: int, sentence: str, section: str | None) -> Statement | None:
    """A flow reduction the sentence calls focal (regional, segmental) without naming where: a "flow_confined"
    statement of no territory (checked against a reduction the study records in every territory)."""
    for hit in _FOCAL_FLOW.finditer(sentence):
        at = hit.start("w") if hit.group("w") else hit.start("w2")
        if _FOCAL_DENIED_BEFORE.search(sentence, max(0, at - 25), at) or claims.in_prior(s0 + at):
            continue
        # a territory named in the same clause is the place of the focal reduction, checked by its own reading
        breaks = [b for b in _CLAUSE_BREAK.finditer(sentence) if b.group(0) not in "()"]
        a = s0 + max((b.end() for b in breaks if b.end() <= at), default=0)
        z = s0 + next((b.start() for b in breaks if b.start() >= hit.end()), len(sentence))
        if any(m.sent == i and m.label in ("TERRITORY", "WALL") and a <= m.start < z for m in claims.mentions):
            continue
        return Statement("flow_confined", "", True, False, (s0 + hit.start(), s0 + hit.end()), i, section)
    return None


def _remaining_territories(claims: Claims, sent: int, pos: int) -> tuple[str, ...]:
    """The territories a sentence (else the nearest of the three sentences before it that names one) has not named
    before ``pos``, by name or by a wall that lies in one territory only ("an anterior and apical defect ..., whereas
    flow in the remaining territories"; "... LAD territory, old infarction. No ischemia. LVEF 30%. Flow reserve in
    other territories is preserved."); none if none names one."""
    for k in range(sent, max(-1, sent - 4), -1):
        named: set[str] = set()
        for m in claims.mentions:
            if m.sent != k or m.start >= pos or not m.value:
                continue
            if m.label == "TERRITORY":
                named.add(m.value)
            elif m.label == "WALL" and len(WALL_TERRITORIES.get(m.value, ())) == 1:
                named |= WALL_TERRITORIES[m.value]
        if named:
            return tuple(t for t in _THREE_TERRITORIES if t not in named)
    return ()


def _territory_taken_up(claims: Claims, sent: int, pos: int) -> str | None:
    """The territory an anaphor ("in that territory") takes up: the one territory the sentence names before ``pos``,
    else the nearest of the two sentences before it that names one; None where that sentence names several."""
    for k in range(sent, max(-1, sent - 3), -1):
        named = {
            m.value for m in claims.mentions if m.sent == k and m.start < pos and m.label == "TERRITORY" and m.value
        }
        if named:
            return named.pop() if len(named) == 1 else None
    return None


_PHRASE_BREAK = re.compile(r"[,;]|\b(?:though|but|while|whereas|and|who|which)\b", re.I)


def _told_as_history(words: str, hay: str | None) -> bool:
    """The words tell the patient's history, not a symptom of this test: a history cue ("referred for", "history
    of"), or "reported" where nothing names the stress ("reported typical chest pain for months"; but "stress was
    with dobutamine, and the patient reported chest pain" is the test's symptom)."""
    c = cues()
    return bool(
        search(c.symptom_history, words, hay)
        or (search(c.symptom_reported, words, hay) and not c.symptom_context.search(words))
    )


# the patient's symptom as the condition of a plan ("if your chest discomfort continues", "should the angina recur",
# "further tests if chest pain persists"): a symptom of daily life that may go on, not one of this test
_SYMPTOM_GOES_ON_AFTER = re.compile(
    r"\s+(?:(?:still\s+)?(?:continues?|continuing|persists?|persisting|recurs?|recurring|returns?|worsens?|"
    r"progress(?:es)?|comes?\s+back|gets?\s+worse|carr(?:y|ies)\s+on)|(?:does|do|should|were\s+to)\s+"
    r"(?:continue|persist|recur|return|worsen|progress|come\s+back|get\s+worse))\b",
    re.I,
)
_CONDITION_BEFORE = re.compile(
    r"\b(?:if|should|unless|whenever|in\s+case|in\s+the\s+event\s+(?:that|of))\s+(?:(?:his|her|your|their|the|any|"
    r"such|this|that|these)\s+)?(?:[\w-]+\s+)?$",
    re.I,
)
# a heading's field whose value denies it ("angina: none", "chest pain - nil", "CP: no")
_FIELD_NONE_AFTER = re.compile(r"\s*(?:[:=\u2013-]|\s)\s*(?:none|nil|no|absent|denied|negative)\b(?!\s+\w)", re.I)


# a new item after a comma that grades the symptom ("No ECG changes, typical chest pain during stress"): the denial
# before the comma does not reach it (a list of denied items names them bare: "no ST change, arrhythmia or angina")
_GRADED_ITEM = re.compile(
    r"\s*(?:(?:some|mild|moderate|severe|marked|typical|atypical|(?:non-?\s?)?limiting|exertional)\s+)+", re.I
)


def _read_stress_symptom(
    claims: Claims, i: int, s0: int, sentence: str, section: str | None, *, run_on: bool, lead: bool = False
) -> None:
    """Chest pain during stress, stated or denied, in one sentence (or one clause of a run-on sentence)."""
    c = cues()

    def add(concept: str, value: str | None, present: bool, a: int, b: int) -> None:
        claims.statements.append(Statement(concept, value, present, False, (s0 + a, s0 + b), i, section))

    hay = haystack(sentence)
    if section not in ("indication", "history") and not _told_as_history(sentence, hay):
        hit = search(c.chest_pain, sentence, hay)
        if hit and c.symptom_cause.match(sentence, hit.end()):
            return
        if (
            hit
            and _SYMPTOM_GOES_ON_AFTER.match(sentence, hit.end())
            and _CONDITION_BEFORE.search(sentence, max(0, hit.start() - 40), hit.start())
        ):
            return
        if hit:
            before = sentence[: hit.start()]
            # ("negative treadmill test despite limiting angina": the denial ends at the contrast)
            clause = re.split(r"\b(?:but|with|while|despite|in spite of)\b|[;,]", before)[-1]
            # the negation cues of the extraction rules ("w/o angina") deny it as well as this reader's own
            present = (
                not denial.before("stress_symptom").search(clause)
                and not _FIELD_NONE_AFTER.match(sentence, hit.end())
                and (
                    not any(
                        m.label == "CHEST_PAIN" and m.negated and m.start == s0 + hit.start() for m in claims.mentions
                    )
                    or _GRADED_ITEM.fullmatch(clause) is not None
                )
            )
            # chest pain is a stress symptom where its clause says so ("angina during the infusion");
            # elsewhere it is the reason for the test ("exertional chest pressure; unable to exercise")
            a = sentence.rfind(";", 0, hit.start()) + 1
            b = sentence.find(";", hit.end())
            clause = sentence[a : b if b >= 0 else len(sentence)]
            whole = sentence if run_on else _full_sentence(claims.text, s0 + hit.start())  # spaCy may cut at ";"
            if run_on and lead:
                # the first clause of a run-on keeps what its written sentence said before a ";" that spaCy cut at
                # ("He had a regadenoson stress; he felt flushed but had chest pain, and the ECG was ...")
                start = max((m.end() for m in _SENTENCE_END.finditer(claims.text, 0, s0)), default=0)
                whole = claims.text[start:s0] + sentence
            if not present or (c.symptom_context.search(whole) and not c.symptom_exertional.search(clause)):
                add("chest_pain", None, present, hit.start(), hit.end())
                return
            # the first was the reason for the test ("a woman with atypical chest pain ..."): a later one in its own
            # phrase may be the stress symptom ("... on the Bruce with typical chest pain and no ST changes")
            for later in c.chest_pain.finditer(sentence, hit.end()):
                a = max((h.end() for h in _PHRASE_BREAK.finditer(sentence, 0, later.start())), default=0)
                b = next((h.start() for h in _PHRASE_BREAK.finditer(sentence, later.end())), len(sentence))
                phrase = sentence[a:b]
                denied = denial.before("stress_symptom").search(sentence[a : later.start()])
                if denied or c.symptom_exertional.search(phrase):
                    continue
                if c.symptom_context.search(whole) and not _told_as_history(phrase, None):
                    add("chest_pain", None, True, later.start(), later.end())
                    return
        else:
            hit = search(c.no_symptoms, sentence, hay)
            if hit:
                add("chest_pain", None, False, hit.start(), hit.end())


def _told_flow_grade(hit: re.Match[str]) -> str | None:
    """The flow-reserve grade a matched grade word (group "g", its denial group "neg") tells: "markedly" reads as
    "severely", "preserved" and "conserved" as normal, a degree as that degree reduced; a denied normal is reduced,
    and a denied reduction tells no grade (None)."""
    word = hit.group("g").lower()
    word = {"markedly": "severely", "conserved": "preserved"}.get(word, word)
    grade = word if word in ("normal", "reduced") else "normal" if word == "preserved" else f"{word} reduced"
    if hit.group("neg"):
        return "reduced" if grade == "normal" else None
    return grade


def _read_sentence_grades(claims: Claims, i: int, s0: int, sentence: str, section: str | None) -> None:
    """Per sentence: chest pain during stress, advice, and the grade words of ischemia, flow reserve
    and calcium (each compared with the rules' grade, not with a defect's severity)."""
    c = cues()

    def add(concept: str, value: str | None, present: bool, a: int, b: int) -> None:
        claims.statements.append(Statement(concept, value, present, False, (s0 + a, s0 + b), i, section))

    hay = haystack(sentence)
    # a run-on sentence is read clause by clause ("... who now has progressive dyspnea and chest pressure, he had
    # no symptoms during the infusion, ..."): the history of one clause is not the stress of the next
    cuts = [0] + [h.start() + 1 for h in _NEW_CLAUSE.finditer(sentence)] + [len(sentence)]
    for k0, k1 in pairwise(cuts):
        _read_stress_symptom(claims, i, s0 + k0, sentence[k0:k1], section, run_on=len(cuts) > 2, lead=k0 == 0)
    # images said to have been read without attenuation correction, where the text names no corrected images
    no_ac = _WITHOUT_AC.search(sentence) if "attenuation" in sentence.lower() or "AC" in sentence else None
    if no_ac and not _corrected_images_named(claims.text) and not claims.in_prior(s0 + no_ac.start()):
        add("attenuation_correction", "none", True, no_ac.start(), no_ac.end())
    rest_images = _REST_ACQUIRED.search(sentence) if "rest" in sentence.lower() else None
    if rest_images and not claims.in_prior(s0 + rest_images.start()):
        add("protocol", "rest-stress", True, rest_images.start(), rest_images.end())
    # the test said to have gone without complication, in a sentence about the test (not "an uncomplicated MI")
    if (
        section not in ("indication", "history")
        and (calm := search(c.uneventful, sentence, hay))
        and c.symptom_context.search(sentence)
        and not _told_as_history(sentence, hay)
    ):
        add("stress_course", "uneventful", True, calm.start(), calm.end())
    verdict = _STUDY_VERDICT.match(sentence)
    if verdict and not any(
        st.concept in ("study_result", "perfusion_result") and st.sent == i for st in claims.statements
    ):
        word = verdict.group(1).lower()
        add("study_result", _VERDICT_VALUE.get(word, word), True, verdict.start(1), verdict.end())
    signed = _SIGNED_VERDICT.match(sentence) if "tive" in sentence[:40].lower() else None
    if signed and not any(
        st.concept in ("study_result", "perfusion_result") and st.sent == i for st in claims.statements
    ):
        add("study_result", _SIGNED_VALUE[signed.group(1).lower()], True, signed.start(1), signed.end())
    first_rate = search(_HR_ADEQUACY, sentence, hay)
    # each adequacy the sentence states ("submaximal stress - normal perfusion, full sensitivity": two, at odds)
    for rate in _HR_ADEQUACY.finditer(sentence, first_rate.start()) if first_rate else ():
        short = bool(rate.group("short"))
        denied = bool(_HR_DENIED_BEFORE.search(sentence, 0, rate.start()) or _HR_DENIED_WITHIN.search(rate.group(0)))
        add("hr_adequacy", "submaximal" if short != denied else "adequate", True, rate.start(), rate.end())
    lowered = sentence.lower()
    size = _LV_SIZE_SAID.search(sentence) if "dilat" in lowered or "enlarg" in lowered or "larger" in lowered else None
    if size and not any(st.concept == "lv_size" and st.sent == i for st in claims.statements):
        add("lv_size", "normal" if size.group("not") else "dilated", True, size.start(), size.end())
    kept = _KEPT_AFTER_AC.search(sentence) if "correct" in lowered or "ac" in lowered else None
    if kept:
        add("artifact_after_ac", None, True, kept.start(), kept.end())
    gone = _GONE_AFTER_AC.search(sentence) if "correct" in lowered or "ac" in lowered else None
    if gone and not _COURSE_DENIED_BEFORE.search(sentence, max(0, gone.start() - 25), gone.start()):
        add("artifact_resolved_by_ac", None, True, gone.start(), gone.end())
    graded = search(_GRADED_VERDICT, sentence, hay)
    if graded:
        word = (graded.group("a") or graded.group("b")).lower()
        add("verdict_grade", "mild" if word in _MILD_VERDICT else "marked", True, graded.start(), graded.end())
    hit = search(c.advice, sentence, hay)
    while hit:
        add("advice", None, True, hit.start(), hit.end())
        # advice in a later clause is advice of its own ("..., low risk, but I would still refer him for
        # angiography"; "..., and she should be started on ...")
        nxt = _CLAUSE_BREAK.search(sentence, hit.end())
        hit = c.advice.search(sentence, nxt.end()) if nxt else None
    low = sentence.lower()  # cheap word tests first: most sentences state none of these
    for n, rx in enumerate(_ISCHEMIA_GRADE if "isch" in low else ()):
        hit = rx.search(sentence)
        if hit:
            word = hit.group(1).lower()
            # "mild ischemia" may be the defect's grade; "ischemic burden 14.7% (moderate)" is the burden's
            form = "any" if n in (0, 3) else "burden"
            add("ischemia_grade", f"{form}:{_GRADE_WORD.get(word, word)}", True, hit.start(1), hit.end(1))
            break
    size = _ISCHEMIC_AREA_SIZE.search(sentence) if "isch" in low else None
    if size is not None:
        add("ischemia_grade", f"size:{size.group(1).lower()}", True, size.start(1), size.end(1))
    part = _reversible_part_size(sentence) if size is None and ("revers" in low or "isch" in low) else None
    if part is not None:
        add("ischemia_grade", f"size:{sentence[part[0] : part[1]].lower()}", True, *part)
    for hit in _MFR_OR_FLOW.finditer(sentence) if "flow" in low or "mfr" in low else ():
        # the grade of this flow reserve: right after it ("MFR severely reduced at 1.35"), else before it
        # in its own clause ("severely reduced global MFR"; not "perfusion probably normal, but global MFR")
        clause_start = max(max(sentence.rfind(ch, 0, hit.start()) for ch in ";.,:") + 1, 0)
        # ... and after a contrast that opens a clause of its own ("Normal perfusion but globally reduced MFR": the
        # grade before "but" is the perfusion's)
        contrast = list(_CONTRAST_WORD.finditer(sentence, clause_start, hit.start()))
        clause_start = contrast[-1].end() if contrast else clause_start
        before = sentence[max(clause_start, hit.start() - 45) : hit.start()]
        grades = list(_MFR_GRADE_BEFORE.finditer(before))
        after = _MFR_GRADE_AFTER.match(sentence[hit.end() :])
        if (
            after is not None
            and after.group("comma")
            # a grade before the flow reserve is its own ("a severely reduced MFR of 1.35, reduced in all three
            # territories"): the grade after the comma then says where, not how much
            and (grades or not _ITEM_GRADE_END.match(sentence, hit.end() + after.end()))
        ):
            after = None
        if hit.group(0).lower() == "flow" and after is None:
            continue  # flow graded only by a word before it may be another's ("reduced perfusion and flow")
        adverbs = [g for g in grades if g.group("g").lower() != "reduced"]
        best = after or (adverbs[-1] if adverbs else grades[-1] if grades else None)
        word = best.group("g").lower() if best else None
        if word is None:
            continue
        word = _PLAIN_GRADE.get(word, word)
        if after is not None and after.group("neg"):  # "is not preserved": reduced
            if word not in ("normal", "preserved"):
                continue
            word = "reduced"
        rest_scope = after.group("rest") if after is not None else _REST_SCOPE_AFTER.match(sentence, hit.end())
        if rest_scope:
            # "flow in the remaining territories is preserved": each territory the sentence has not placed a
            # defect or a reduction in
            # (an adverb alone grades a reduction: "... is also severely reduced")
            word = "severely" if word == "markedly" else word
            told = "normal" if word == "preserved" else f"{word} reduced" if word.endswith("ly") else word
            for t in _remaining_territories(claims, i, s0 + hit.start()):
                add("mfr_grade", f"{t}:{told}", True, hit.start(), hit.end())
            continue
        scope = _MFR_SCOPE.search(before + sentence[hit.end() : hit.end() + 12])
        where = "any" if scope is None else "regional"
        if scope and scope.group(1).lower().startswith(("global", "everywhere", "throughout")):
            where = "global"
        if where != "global":  # "flow reserve in the LAD territory is markedly reduced": that territory's grade
            # named between the grade and the flow reserve, just before it, or right after it
            window = max(clause_start, hit.start() - 45)
            grade_before = best is not None and best is not after
            lo = s0 + (window + best.start() if grade_before and best else max(clause_start, hit.start() - 12))
            hi = s0 + hit.end() + (after.end() if after else 0)
            following = re.match(r"\s+(?:in|of)\s+the\s+", sentence[hit.end() :])
            hi = max(hi, s0 + hit.end() + following.end() + 1) if following else hi
            named = {m.value for m in claims.mentions if m.label == "TERRITORY" and lo <= m.start < hi and m.value}
            several = sorted(named) if len(named) > 1 else []
            where = named.pop() if len(named) == 1 else where
            if after is not None and after.group("that"):
                where = _territory_taken_up(claims, i, s0 + hit.start()) or where
        else:
            several = []
        word = "severely" if word == "markedly" else word
        grade = {"preserved": "normal", "reduced": "reduced"}.get(word, f"{word} reduced" if word != "normal" else word)
        # "LAD and RCA flow reserve are normal": the grade of each territory named
        for place in several or [where]:
            add("mfr_grade", f"{place}:{grade}", True, hit.start(), hit.end())
    for hit in _FLOW_TAKEN_UP.finditer(sentence) if "flow" in low or "mfr" in low else ():
        # "a global flow reserve of 1.1, and it is preserved in the LAD, LCx and RCA beds": the pronoun takes up the
        # flow reserve named last before it, where no other measure stands between; the grade is of the territories
        # named after it, else of the flow reserve as a whole
        last = list(_MFR_OR_FLOW.finditer(sentence, 0, hit.start()))
        if not last or _OTHER_MEASURE.search(sentence, last[-1].end(), hit.start()):
            continue
        if (told := _told_flow_grade(hit)) is None:
            continue
        stop = _CLAUSE_BREAK_NOT_LIST.search(sentence, hit.end())
        upto = s0 + (stop.start() if stop else len(sentence))
        places = {
            m.value for m in claims.mentions if m.label == "TERRITORY" and m.value and s0 + hit.end() <= m.start < upto
        }
        for t in sorted(places) or ["any"]:
            add("mfr_grade", f"{t}:{told}", True, hit.start("g"), hit.end("g"))
    before = claims.sentence_text(i - 1).lower() if i > 0 else ""
    if any(w in low or w in before for w in ("flow", "mfr", "reserve")) and not any(
        st.concept == "mfr_grade" and st.sent == i for st in claims.statements
    ):
        # "LCx reserve 1.45, reduced; other territories normal": in a sentence (or after one) about flow, a grade
        # of the territories it has not named
        for hit in _OTHER_TERRITORIES_GRADE.finditer(sentence):
            if (grade := _told_flow_grade(hit)) is None:
                continue
            for t in _remaining_territories(claims, i, s0 + hit.start()):
                add("mfr_grade", f"{t}:{grade}", True, hit.start(), hit.end())
        # "...; LAD and RCA normal": the territories a flow sentence's clause names, then their grade
        for hit in _NAMED_TERRITORIES_GRADE.finditer(sentence):
            if (grade := _told_flow_grade(hit)) is None:
                continue
            for m in claims.mentions:
                if m.label == "TERRITORY" and m.value and s0 + hit.start() <= m.start < s0 + hit.end("g"):
                    add("mfr_grade", f"{m.value}:{grade}", True, m.start - s0, m.end - s0)
    if any(w in low or w in before for w in ("flow", "mfr", "reserve")):
        # "MFR 2.6 (normal); reduced in the RCA territory only": a clause of a flow sentence that grades the
        # territories it names after the grade (a clause with a flow word of its own is read above)
        elided = _ELIDED_TERRITORY_GRADE.finditer(sentence) if _FLOW_WORDS.search(sentence) else ()
        for hit in (*_GRADE_IN_TERRITORIES.finditer(sentence), *elided):
            if _FLOW_WORDS.search(hit.group(0)):
                continue
            if (grade := _told_flow_grade(hit)) is None:
                continue
            for m in claims.mentions:
                if m.label == "TERRITORY" and m.value and s0 + hit.start("t") <= m.start < s0 + hit.end("t"):
                    add("mfr_grade", f"{m.value}:{grade}", True, m.start - s0, m.end - s0)
    for hit in _STRESS_FLOW.finditer(sentence) if "flow" in low or "mbf" in low else ():
        grade = _stress_flow_grade(sentence, hit)
        for t in _stress_flow_territories(claims, i, s0, sentence, hit) if grade else ():
            add("stress_flow_grade", f"{t}:{grade}", True, hit.start(), hit.end())
    confined = _confined_flow(claims, i, s0, sentence, section) if "flow" in low or "mfr" in low else None
    if confined is not None:
        claims.statements.append(confined)
    if (
        "ecg" in low
        or "ekg" in low
        or "electrocardiogra" in low
        or _ST_SHIFT_NAMED.search(sentence)
        # a lead group that did not change speaks for the whole ECG only where the text places no ST change in
        # other leads ("1 mm ST depression in V5-V6. The inferior leads did not change.")
        or (_ECG_LEADS_NAMED.search(sentence) and not _ST_CHANGE_WORDS.search(claims.text))
    ) and not any(st.concept == "ecg" and st.sent == i for st in claims.statements):
        _read_ecg_verdict(sentence, add)
    hit = _CARDIOMYOPATHY.search(sentence) if "cardiomyopathy" in low else None
    if hit:
        value = "nonischemic" if hit.group(1).lower().startswith("non") else "ischemic"
        # set in a differential ("a coexisting non-ischaemic cardiomyopathy ... should be considered", "cannot be
        # excluded", "possible"): a reading the physician raises, not a diagnosis stated
        breaks = list(_CLAUSE_BREAK.finditer(sentence))
        k0 = max((b.end() for b in breaks if b.end() <= hit.start() and b.group(0) not in "()"), default=0)
        k1 = next((b.start() for b in breaks if b.start() >= hit.end() and b.group(0) not in "()"), len(sentence))
        hedged = bool(_DIFFERENTIAL.search(sentence, k0, k1))
        claims.statements.append(
            Statement("cardiomyopathy", value, True, hedged, (s0 + hit.start(), s0 + hit.end()), i, section)
        )
    if "tachycardia" in low or "vt" in low:
        for hit in _VT_SUSTAINED.finditer(sentence):
            # "non-sustained VT", "a run of VT, self-terminating"; "sustained VT needing cardioversion"; not "no
            # sustained VT", a denial of that kind
            non = bool(hit.group("non") or hit.group("non2") or hit.group("nsvt"))
            if _ARRHYTHMIA_DENIED_BEFORE.search(sentence, max(0, hit.start() - 30), hit.start()):
                if not _VT_HISTORY_BEFORE.search(sentence, max(0, hit.start() - 40), hit.start()):
                    add("vt", "non-sustained" if non else "sustained", False, hit.start(), hit.end())
                continue
            add("vt", "non-sustained" if non else "sustained", True, hit.start(), hit.end())
        vt_spans = [(h.start(), h.end()) for h in _VT_SUSTAINED.finditer(sentence)]
        for hit in _VT_STATED.finditer(sentence) if section not in ("indication", "history") else ():
            # "a run of ventricular tachycardia in recovery": VT during this test, of no stated kind; not one
            # graded above, or told as the patient's history ("known VT", "an ICD for VT"); one denied ("no VT",
            # "VT was not seen") is read as denied, of no stated kind
            if any(a <= hit.start() < b for a, b in vt_spans) or _VT_HISTORY_BEFORE.search(
                sentence, max(0, hit.start() - 40), hit.start()
            ):
                continue
            vt_denied = _ARRHYTHMIA_DENIED_BEFORE.search(sentence, max(0, hit.start() - 30), hit.start())
            add("vt", None, not (vt_denied or _VT_DENIED_AFTER.match(sentence, hit.end())), hit.start(), hit.end())
    for hit in _SVT_STATED.finditer(sentence) if section not in ("indication", "history") else ():
        # a supraventricular tachycardia during this test, not the patient's history ("known SVT", "referred for
        # AVNRT"); one denied ("no SVT", "SVT was not induced") is read as denied
        if _VT_HISTORY_BEFORE.search(sentence, max(0, hit.start() - 40), hit.start()):
            continue
        svt_denied = _ARRHYTHMIA_DENIED_BEFORE.search(sentence, max(0, hit.start() - 30), hit.start())
        add("svt", None, not (svt_denied or _VT_DENIED_AFTER.match(sentence, hit.end())), hit.start(), hit.end())
    for grade, rx in c.exercise_capacity if ("capacity" in low or "tolerance" in low) else ():
        for hit in rx.finditer(sentence):
            if not _ARRHYTHMIA_DENIED_BEFORE.search(sentence, max(0, hit.start() - 30), hit.start()):
                add("exercise_capacity", grade, True, hit.start(), hit.end())
    coursed: set[int] = set()
    for hit in _EVENT_COURSE.finditer(sentence) if section not in ("indication", "history") else ():
        # "a left bundle branch block, which did not go away in recovery", "Wenckebach block, which settled": the
        # course of the ECG event named just before it (not one denied: "no AV block"), the first said of it
        lo = max(0, hit.start() - _EVENT_COURSE_REACH)
        events = [e for _, rx in c.ecg_events for e in rx.finditer(sentence, lo, hit.start())]
        event = max(events, key=lambda e: e.end(), default=None)
        if event is None or event.end() in coursed:
            continue
        coursed.add(event.end())
        if _ARRHYTHMIA_DENIED_BEFORE.search(sentence, max(0, event.start() - 30), event.start()):
            continue
        persisted = hit.group("persisted") is not None
        if _COURSE_DENIED_BEFORE.search(sentence, max(0, hit.start() - 20), hit.start()):
            persisted = not persisted
        add("ecg_event_course", f"{event.group(0)}:{'persisted' if persisted else 'resolved'}", True, *hit.span())
    if ("block" in low or "mobitz" in low or "wenckebach" in low or "chb" in low) and section not in (
        "indication",
        "history",
    ):
        # the degree of an AV block of this test ("complete heart block", "Mobitz I"); not one denied, nor history
        for hit in AV_BLOCK_DEGREE.finditer(sentence):
            if _ARRHYTHMIA_DENIED_BEFORE.search(sentence, max(0, hit.start() - 30), hit.start()):
                continue
            if _VT_HISTORY_BEFORE.search(sentence, max(0, hit.start() - 40), hit.start()):
                continue
            add("av_block_degree", av_block_degree(hit), True, hit.start(), hit.end())
    if ("bundle" in low or "bbb" in low) and section not in ("indication", "history"):
        # "rate-related LBBB at peak", "a right bundle branch block": the side of a conduction block of this test;
        # not one denied, nor told as history
        for side, key in (("left", "lbbb"), ("right", "rbbb")):
            block = dict(c.ecg_events).get(key)
            for hit in block.finditer(sentence) if block is not None else ():
                if _ARRHYTHMIA_DENIED_BEFORE.search(sentence, max(0, hit.start() - 30), hit.start()):
                    continue
                if _VT_HISTORY_BEFORE.search(sentence, max(0, hit.start() - 40), hit.start()):
                    continue
                add("bundle_branch_block", side, True, hit.start(), hit.end())
    if any(w in low for w in ("pvc", "vpc", "ectop", "extrasystol", "premature")):
        for hit in _ECTOPY_FREQUENCY.finditer(sentence):
            if _ARRHYTHMIA_DENIED_BEFORE.search(sentence, max(0, hit.start() - 30), hit.start()):
                continue  # "no frequent ectopy": a denial, not a frequency
            word = hit.group("f").lower()
            frequency = "infrequent" if word in INFREQUENT_ECTOPY_WORDS else "frequent"
            add("ectopy", frequency, True, hit.start("f"), hit.end("f"))
        frequency_spans = [(h.start(), h.end()) for h in _ECTOPY_FREQUENCY.finditer(sentence)]
        for hit in _ECTOPY_NAMED.finditer(sentence):
            # ventricular ectopics denied ("no PVCs", "without ventricular ectopy", "PVCs were not seen"); not a
            # frequency denied ("no frequent ectopy": rare ones may have occurred)
            if any(a < hit.end() and hit.start() < b for a, b in frequency_spans):
                continue
            ectopy_denied = _ARRHYTHMIA_DENIED_BEFORE.search(sentence, max(0, hit.start() - 30), hit.start())
            if (ectopy_denied or _VT_DENIED_AFTER.match(sentence, hit.end())) and not _VT_HISTORY_BEFORE.search(
                sentence, max(0, hit.start() - 40), hit.start()
            ):
                add("ectopy", None, False, hit.start(), hit.end())
    hit = _STOPPED_FOR.search(sentence) if "stop" in low or "terminat" in low or "ended" in low else None
    if hit:  # "had to stop the treadmill because of leg fatigue": the reason the test ended
        add("stop_reason", hit.group("why").lower(), True, hit.start("why"), hit.end("why"))
    hit = _LUNG_NORMAL.search(sentence) if "lung" in low or "pulmonary" in low else None
    if hit:
        add("lung_uptake", None, False, hit.start(), hit.end())
    for hit in _TRACER_WORD.finditer(sentence) if may_match(_TRACER_WORD, hay) else ():
        a, b = s0 + hit.start(), s0 + hit.end()
        if not _proposed(c.suggestion, sentence, hit.start(), hit.end()) and not any(
            m.label in ("TRACER", "AGENT") and m.start < b and a < m.end for m in claims.mentions if m.sent == i
        ):
            add("tracer", _TRACER_VALUE[hit.group(1).lower()], True, hit.start(), hit.end())
    for hit in _AGENT_WORD.finditer(sentence) if may_match(_AGENT_WORD, hay) else ():
        a, b = s0 + hit.start(), s0 + hit.end()
        if (
            _proposed(c.suggestion, sentence, hit.start(), hit.end())
            or c.agent_not_given.search(claims.text[max(s0, a - 40) : a])
            or c.agent_not_given_after.match(claims.text, b, s0 + len(sentence))
            or any(m.label in ("AGENT", "TRACER") and m.start < b and a < m.end for m in claims.mentions if m.sent == i)
        ):
            continue
        add("agent", hit.group(1).lower(), True, hit.start(), hit.end())
    band = _DUKE_BAND.search(sentence) if "duke" in low or "dts" in low else None
    if band and not any(st.concept == "duke_risk" and st.sent == i for st in claims.statements):
        # "DTS +13 -> low", "Duke score -12, high": the band word after the score grades the treadmill score
        add("duke_risk", "intermediate" if band.group(1).lower() == "moderate" else band.group(1).lower(), True,
            *band.span(1))  # fmt: skip
    if may_match(_RISK_WORDS, hay) and not any(  # first: most sentences name no risk
        st.concept in ("risk", "duke_risk") and st.sent == i for st in claims.statements
    ):
        hit = search(_RISK_WORDS, sentence, hay)
        # a Duke score before the word grades the treadmill risk ("Duke +6.5, low risk"); after it, a ground
        # of the overall risk ("Risk: low by perfusion and Duke")
        if (
            hit
            and not c.risk.search(sentence[: hit.start()])
            and not (re.search(r"\bDuke\b", sentence[: hit.start()]) and not _GROUNDS_LEAD.match(sentence))
        ):
            group = 1 if hit.group(1) else 2
            word = hit.group(group).lower()
            # "Not high risk": a risk level denied (a negated risk mention where the words are)
            denied = any(
                m.label == "RISK" and m.negated and m.sent == i and m.start <= s0 + hit.start(group) < m.end
                for m in claims.mentions
            )
            add("risk", "intermediate" if word == "moderate" else word, not denied, hit.start(group), hit.end(group))
            chosen = _LEVEL_SET_AGAINST.search(sentence, 0, hit.start(group)) if denied else None
            if chosen:  # "intermediate rather than low risk": the level chosen over the one set against it
                level = chosen.group(1).lower()
                add("risk", "intermediate" if level == "moderate" else level, True, chosen.start(1), chosen.end(1))
    answer = (
        _RISK_ANSWER.match(sentence)
        if i > 0
        and _RISK_QUESTION.fullmatch(claims.sentence_text(i - 1))
        and not any(st.concept in ("risk", "duke_risk") and st.sent == i for st in claims.statements)
        else None
    )
    if answer:  # "Q: Risk? A: Low - ischaemia over 10%": the question's answer
        word = answer.group(1).lower()
        add("risk", "intermediate" if word == "moderate" else word, True, answer.start(1), answer.end(1))
    hit = _CAC_DRS.search(sentence) if "cac" in low or "/n" in low else None
    if hit:  # "CAC-DRS A3/N3", "A2/N1": the Agatston category of CAC-DRS 2018
        add("cac_drs", hit.group(1) or hit.group(2), True, hit.start(), hit.end())
    for kind, likely, a, b in _obstructive_conclusions(sentence) if _OBSTRUCTIVE_HINT.search(low) else ():
        add("obstructive_cad", kind, likely, a, b)
    for vessel, present, a, b in _restenosis_claims(claims, i, s0, sentence) if "stenosis" in low else ():
        if not claims.in_prior(s0 + a):
            add("restenosis", vessel, present, a, b)
    for number, stress, rest, a, b in _scored_segments(sentence) if "/" in sentence else ():
        if not claims.in_prior(s0 + a):
            add("segment_score", f"{number}:{stress}/{rest}", True, a, b)
    for vessel, present, a, b in _calcium_vessels(sentence) if "calc" in low or "cac" in low else ():
        add("calcium_vessel", vessel, present, a, b)
    for vessel, a, b in _calcium_most(sentence) if "calc" in low or "cac" in low else ():
        add("calcium_most", vessel, True, a, b)
    hit = _CAC_GRADE.search(sentence) if "calc" in low or "cac" in low else None
    if hit is None and i > 0 and _CAC_LABEL.fullmatch(claims.sentence_text(i - 1)):
        hit = _GRADE_FIRST.match(sentence)  # "Calcium:" split off as a sentence of its own, then "Extensive (...)"
    if hit:
        g = 1 if hit.group(1) else 2
        word = hit.group(g).lower()
        add("cac_grade", {"extensive": "severe", "heavy": "severe", "dense": "severe"}.get(word, word), True,
            hit.start(g), hit.end(g))  # fmt: skip
    elif (amount := _CAC_AMOUNT.search(sentence) if "calc" in low else None) is not None:
        # the amount in a letter's plain words ("a lot of calcium", "a tiny amount of calcification")
        add("cac_grade", "severe" if amount.group(2) else "minimal", True, amount.start(), amount.end())
