"""What a comparison says of the prior study and of this one, clause by clause, against both studies' facts.

A clause that names a finding (ischemia, scar or a defect, by its territory or walls) and says how it stands
against the prior makes two claims at once:

- *it was there then*: "resolved", "no longer seen", "persists", "unchanged", "already present on the prior",
  "then seen", "described on the 2023 report", "the 2023 study, which showed ..." - the prior must have had a
  finding of that kind in that territory;
- *it is here now*: "new", "persists", "unchanged", "still" - this study must have it; "resolved", "gone",
  "no longer seen" - this study must not;
- *it was not there then*: "new", "not present in March 2024", "interval development" - the prior must not have
  had it there.

The relation is read from the clause's own words (a clause with two relations, "new ischemia in the same
territory", is left alone), the finding from its kind words and its territory or walls; each claim is checked
against the rules' comparison (``Facts.comparison_directions``), the prior's territories, and whether the prior
showed ischemia or scar. A contradiction is G702.
"""

from __future__ import annotations

import itertools
import re

from guardrails.claims import EARLIER_DATE, MONTH_WORD, WALL_TERRITORIES, Claims, cues
from guardrails.facts import DefectFact, Facts
from guardrails.flags import Flag, FlagCode, FlagSeverity, make_flag

__all__ = ["check_attribution"]

# a wall names a territory where it lies in one only (AHA 17-segment model)
_WALL_TERRITORY: dict[str, str] = {w: next(iter(t)) for w, t in WALL_TERRITORIES.items() if len(t) == 1}
# a GP letter's plain words for a wall ("the front of the heart", "the side wall", "the underside")
_PLAIN_WALLS = (
    (re.compile(r"\bfront\b(?=[^.;,]{0,25}\bheart\b)", re.I), "LAD"),
    (re.compile(r"\bside(?:\s+wall\b|\b(?=[^.;,]{0,25}\bheart\b))", re.I), "LCx"),
    (
        re.compile(r"\b(?:underside|bottom)\b(?=[^.;,]{0,25}\bheart\b)|\blower\s+wall\b|\bright-sided artery\b", re.I),
        "RCA",
    ),
)

# clauses: commas, semicolons, a colon, and the conjunctions that turn to another finding
_CUT = re.compile(
    r"[,;]|:\s|\b(?:but|while|whereas|although|leaving)\b|\band\b(?=\s+(?:the|there|this|perfusion|it)\b)", re.I
)
_NEG = r"(?<!\bno\s)(?<!\bnot\s)(?<!\bnor\s)(?<!\bwithout\s)(?<!\bnothing\s)(?<!\bany\s)"
_PRIOR_NAMED = (
    r"(?:(?:the|that|his|her|their|this)\s+)?(?:(?:prior|previous|earlier|last|first|[\w/]+)\s+){0,3}?"
    r"(?:study|scan|report|SPECT|PET|images?|test|exam\w*|occasion|time)\b"
    rf"|{EARLIER_DATE}"
    r"|\d{1,2}/(?:\d{1,2}/)?\d{2,4}\b|before\b|previously\b|then\b|last\s+(?:time|year)\b"
)
# the relation a clause states between its finding and the prior
_NEW = re.compile(
    rf"{_NEG}\bnew(?:ly)?\b(?!-onset)|\binterval\s+(?:development|appearance)\b|\bhas\s+(?:developed|appeared|emerged)\b"
    rf"|\b(?:was|were|is|are)?\s*(?:not|never)\s+(?:(?:present|seen|there|evident|visible|shown|described|a\s+feature)\s+)"
    rf"(?:(?:on|in|at|of)\s+)?(?:{_PRIOR_NAMED})"
    # ... or said absent there ("the pattern was absent on the 2023 study")
    rf"|\b(?:absent|lacking|missing)\s+(?:(?:on|in|at|from)\s+)(?:{_PRIOR_NAMED})",
    re.I,
)
_PARTLY_GONE = re.compile(
    r"\b(?:largely|partially|partly|mostly|almost|nearly|substantially)\s+(?:resolved|gone|normali[sz]ed)\b", re.I
)
_NEW_DENIED = re.compile(r"\b(?:no|not|without|nor|any|free of)\b(?:\s+[\w-]+){0,3}\s*$", re.I)
_GONE = re.compile(
    r"(?<!largely )(?<!partially )(?<!partly )(?<!mostly )(?<!almost )(?<!nearly )(?<!substantially )"
    r"\b(?:resolved|resolution|no\s+longer|gone|disappeared|vanished|normali[sz]ed|cleared)\b"
    r"|\b(?:has|have)\s*,?(?:\s+\w+,)?\s+not\s+(?:recurred|returned|reappeared)\b",
    re.I,
)
_BOTH = re.compile(
    rf"{_NEG}\b(?:unchanged|stable|persist\w*|persistence|still|again|recurred|returned|reappeared|no\s+change|no\s+different"
    rf"|(?:the\s+)?same\b|as\s+(?:it\s+)?(?:did|was|before)\b|much\s+as\b|similar)\b"
    rf"|\balready\b|\bas\s+well\b|\b(?:then\s+)?too\b|\balso\s+(?:seen|present|evident|there|noted|visible)\b",
    re.I,
)
# a finding the clause places on the prior only ("the ischaemia then seen", "described on the 2023 report", "the
# 2023 study, which showed ...", "of March 2025")
_PRIOR_ONLY = re.compile(
    rf"\b(?:then\s+seen|seen\s+then|(?:seen|described|documented|reported|shown|noted|demonstrated)\s+"
    rf"(?:(?:on|in|at)\s+)?(?:{_PRIOR_NAMED}))"
    r"|^\s*(?:which|that)\s+(?:showed|demonstrated|had|revealed)\b"
    rf"|\bof\s+(?:{MONTH_WORD}\s+)?(?:19|20)\d\d\b"
    r"|\b(?:on|in)\s+(?:the\s+)?prior\b",
    re.I,
)
_ANY_FINDING = re.compile(r"\b(?:isch\w*|reversib\w*|rev|inducible|scar\w*|infarct\w*|fixed|defects?)\b", re.I)
_NOW = re.compile(r"\b(?:now|currently|today|at present|this (?:study|time))\b", re.I)
# what a change is compared with: the finding named after it is the prior's ("that is new compared with the May
# 2023 study which described the lateral defect as fixed")
_COMPARED_WITH = re.compile(r"\b(?:compared\s+(?:with|to)|than|since|vs\.?|versus|relative\s+to)\b", re.I)
_ISCHEMIA = re.compile(r"\b(?:isch\w*|reversib\w*|rev|inducible|strain|short of (?:blood|oxygen))\b", re.I)
_SCAR = re.compile(r"\b(?:scar\w*|infarct\w*|fixed|heart attack)\b", re.I)
_DEFECT = re.compile(r"\b(?:defects?|narrowing|blockage|area of reduced|reduced blood (?:flow|supply))\b", re.I)
# not a finding's relation: a normal study, the LV function, the symptoms, the ECG, this test's own values
_OFF = re.compile(
    r"\b(?:normal\w*|LVEF|EF|ejection|function\w*|pain|symptom\w*|dyspn\w*|ECG|ST|heart rate|blood pressure|"
    r"sensitivity|attenuation|artefact|artifact|risk|calcium|calcification|MFR|MBF|flow reserve|TID)\b",
    re.I,
)
_PERI_INFARCT = re.compile(r"\bperi-?infarct\b", re.I)
# a part of a defect named after it ("with a mild reversible component", "with a small fixed portion")
_WITH_PART = re.compile(
    r"\b(?:with|and)\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}?(?:reversib\w*|ischa?emic|inducible|peri-?infarct|fixed)\s+"
    r"(?:component|portion|part|element)\b",
    re.I,
)
_DENIED = re.compile(r"\b(?:no|not|without|nor|free of)\b.*$", re.I | re.S)
# a sentence's subject that takes up the finding named before it ("This area ...", "The same region ...", "It ...")
_TAKES_UP = re.compile(
    # ... also as the answer to a question on it ("Is it new? No, it was already there in 2022")
    r"\s*(?:(?:yes|no)\b\s*[,:;.\u2013\u2014-]?\s*)?(?:(?:this|that|the\s+same|these|those)\s+(?:[\w-]+\s+)?(?:area|region|zone|territory|defect|abnormality"
    r"|finding|segments?|wall)s?|it|they)\s+(?:was|were|is|are|had|has|have)\b",
    re.I,
)
# a question on the finding named before it ("Is it new?", "Was this present in 2023?"): no claim itself; its answer,
# in the next sentence, speaks of that finding
_QUESTION_TAKES_UP = re.compile(
    r"\s*(?:is|was|are|were|has|had|have|does|did)\s+(?:it|this|that|they|these|those)\b[^.?!]*\?", re.I
)


def _kind(text: str) -> str | None:
    """The finding's kind: "ischemia", "scar", "defect" (no kind word), or None (no finding named)."""
    text = _DENIED.sub("", text)  # "persists without peri-infarct ischaemia": a denied finding is not the subject
    ischemia, scar = _ISCHEMIA.search(text), _SCAR.search(text)
    if ischemia and (not scar or _PERI_INFARCT.search(text)):
        return "ischemia"
    if scar and not ischemia:
        return "scar"
    if ischemia or scar:
        return "mixed"
    return "defect" if _DEFECT.search(text) else None


def _territories(claims: Claims, a: int, b: int, text: str) -> set[str]:
    """The territories a clause names (``text``: the clause, with what it says of the prior blanked where that is
    not its subject), by name, by a wall of one territory, or in plain words."""
    named = [m for m in claims.mentions if a <= m.start < b and text[m.start - a] != " "]
    out = {str(m.value) for m in named if m.label == "TERRITORY" and m.value}
    out |= {_WALL_TERRITORY[str(m.value)] for m in named if m.label == "WALL" and str(m.value) in _WALL_TERRITORY}
    out |= {t for pattern, t in _PLAIN_WALLS if pattern.search(text)}
    return out


def _relation(clause: str, in_prior: bool) -> tuple[str, re.Match[str]] | None:
    """The one relation a clause states (new, gone, both, prior), with the words that state it; a clause inside
    what the text says of the prior ("when the defect was fixed", "vs 5/23 (fixed LCx)") is the prior's."""
    found = [(name, m) for name, p in (("new", _NEW), ("gone", _GONE), ("both", _BOTH)) if (m := p.search(clause))]
    # "no sign of new strain", "without any new defect": a change denied is no relation
    found = [(name, m) for name, m in found if not (name == "new" and _NEW_DENIED.search(clause, 0, m.start()))]
    if len(found) == 1:
        return found[0]
    # "has largely resolved, leaving a small fixed defect": there then, in part now
    if not found and (m := _PRIOR_ONLY.search(clause) or _PARTLY_GONE.search(clause)):
        return "prior", m
    if not found and in_prior and not _NOW.search(clause) and (m := _ANY_FINDING.search(clause)):
        return "prior", m
    return None


def _clauses(text: str, a: int, b: int) -> list[tuple[int, int]]:
    cuts = [a] + [a + m.end() for m in _CUT.finditer(text[a:b])] + [b]
    return [(x, y) for x, y in itertools.pairwise(cuts) if text[x:y].strip()]


#: the start of a contradiction that is a reading of a threshold (shown as a warning)
_READING = "a reading: "


def _named_by(defect: DefectFact) -> set[str]:
    """The territories a text may name a defect of this study by: the rules' (by the dominant artery) and those of its
    walls (a dominant RCA's defect in the inferolateral wall is "inferolateral", which names the LCx)."""
    walls = {_WALL_TERRITORY[w] for w in defect.walls if w in _WALL_TERRITORY}
    return walls | ({defect.territory} if defect.territory else set())


def _contradiction(relation: str, kind: str, territories: set[str], facts: Facts) -> str | None:
    """Why the relation is wrong for a finding of ``kind`` in ``territories``, or None."""
    d = facts.comparison_directions
    now = {t: d.get(f"defect:{t}") for t in territories}
    prior_terr = facts.prior_territories
    if relation in ("gone", "both", "prior"):  # it was there then
        if facts.prior_result == "normal" and not facts.prior_equivocal_walls:
            return "the prior study was normal"
        # (a prior's score-1 segments: a reader may call them a small mild defect, see Facts.prior_equivocal_walls)
        equivocal = {t for w in facts.prior_equivocal_walls for t in WALL_TERRITORIES.get(w, ())}
        if territories and prior_terr is not None and not territories & (prior_terr | equivocal):
            return f"the prior's defects lay in {', '.join(sorted(prior_terr)) or 'no territory'}"
        if kind == "ischemia" and facts.prior_ischemia is False:
            return "the prior showed no ischemia"
        if kind == "scar" and facts.prior_scar is False:
            return "the prior showed no scar"
    # (a prior defect the rules call resolved where score-1 segments remain: "as before" is a reading, see
    # Facts.resolved_at_threshold)
    if relation == "both" and territories and all(v == "resolved" for v in now.values()):
        if facts.resolved_at_threshold:
            return _READING + "the rules call the prior's defect there resolved, with score-1 segments left"
        return "the prior's defect there has resolved"
    if relation == "gone" and territories:
        ischemic_now = {t for dx in facts.defects if dx.reversibility != "fixed" for t in _named_by(dx)}
        scarred_now = {t for dx in facts.defects if dx.reversibility != "reversible" for t in _named_by(dx)}
        if all(v == "unchanged" for v in now.values()):
            return "the defect there is unchanged"
        if kind == "ischemia" and territories <= ischemic_now:
            return "this study shows ischemia there"
        if kind == "scar" and territories <= scarred_now:
            return "this study shows scar there"
    if relation == "new" and territories:
        if all(v in ("unchanged", "resolved") for v in now.values()) and all(v is not None for v in now.values()):
            return "the prior had the defect there"
        if kind in ("scar", "defect") and all(v == "changed" for v in now.values()):
            return "the prior had the defect there"
        if kind == "ischemia" and facts.prior_ischemia and all(v == "changed" for v in now.values()):
            return "the prior had ischemia there"
    return None


# a change of size or severity since the prior ("RCA isch ↑", "somewhat more extensive than in 2024", "no more
# extensive than"): of the ischemia where the clause names ischemia, else of the defects the rules compared
_UP = re.compile(
    r"↑|⇑|\b(?:increased|worse(?:ned)?|larger|bigger|more\s+(?:extensive|severe)|progress\w*|deteriorat\w*"
    r"|ha(?:s|ve)\s+(?:extended|spread|grown))\b"
    r"(?!\s+(?:uptake|perfusion|counts?|tracer|activity|flow|lung))",
    re.I,
)
_DOWN = re.compile(
    r"↓|⇓|\b(?:decreased|improv\w*|smaller|less\s+(?:extensive|severe)|regress\w*|better"
    r"|ha(?:s|ve)\s+(?:receded|shrunk|diminished))\b"
    r"(?!\s+(?:uptake|perfusion|counts?|tracer|activity|flow|seen|appreciated|visuali[sz]ed))",
    re.I,
)
_NOT_UP = re.compile(r"\b(?:no|not)\s+(?:more\s+(?:extensive|severe)|larger|worse|bigger)\b", re.I)


def _size_change(clause: str, kind: str, facts: Facts) -> tuple[re.Match[str], str] | None:
    """A change of size or severity the clause states against the one the rules find, with why it is wrong."""
    ischemia = facts.comparison_directions.get("ischemia")
    up = ischemia == "increased" if kind == "ischemia" and ischemia else facts.prior_trend == "worse"
    down = ischemia == "decreased" if kind == "ischemia" and ischemia else facts.prior_trend == "better"
    if (m := _NOT_UP.search(clause)) and up:
        return m, "the rules find it larger or more severe"
    said_up = next((h for h in _UP.finditer(clause) if not _NOT_UP.search(clause, 0, h.end())), None)
    said_down = _DOWN.search(clause)
    if said_up and not said_down and down and not up:
        return said_up, "the rules find it smaller or less severe"
    if said_down and not said_up and up and not down:
        return said_down, "the rules find it larger or more severe"
    return None


_LVEF_CHANGED = re.compile(
    r"\b(?P<w>higher|lower|rising|falling|improved|better|worse)\s+(?:LV\s+)?(?:LVEF|EF|ejection fraction)\b", re.I
)
_PHASE = re.compile(r"\b(?:rest|resting|stress|post-stress|peak)\b", re.I)


def _lvef_said_changed(claims: Claims, facts: Facts) -> list[Flag]:
    """An LVEF called lower (or higher) in a sentence that compares with the prior, where the rules find it rose
    (or fell): "with a lower LVEF (38% -> 31%)"."""
    truth = facts.comparison_directions.get("lvef")
    if truth not in ("increased", "decreased"):
        return []
    out = []
    for i, (a, b) in enumerate(claims.sentences):
        compares = any(st.sent == i and st.concept == "comparison" for st in claims.statements)
        if not compares and not cues().comparison_context.search(claims.text, a, b):
            continue
        for m in _LVEF_CHANGED.finditer(claims.text, a, b):
            said_up = m.group("w").lower() in ("higher", "rising", "improved", "better")
            if said_up != (truth == "increased") and not _PHASE.search(claims.text, a, b):
                out.append(
                    make_flag(
                        FlagCode.COMPARISON_CONTRADICTS_PRIOR,
                        f"The text says {m.group(0)!r}; compared with the prior the rules find the LVEF {truth}.",
                        m.span("w"),
                        evidence=f"comparison: LVEF {truth}",
                    )
                )
    return out


def _size_flag(clause: str, x: int, kind: str | None, facts: Facts) -> list[Flag]:
    size = None if kind in (None, "mixed") or _OFF.search(clause) else _size_change(clause, str(kind), facts)
    if size is None:
        return []
    words, why = size
    return [
        make_flag(
            FlagCode.COMPARISON_CONTRADICTS_PRIOR,
            f"The text says {words.group(0)!r} of the finding; {why}.",
            (x + words.start(), x + words.end()),
            evidence=f"comparison: {why}",
        )
    ]


def check_attribution(text: str, claims: Claims, facts: Facts) -> list[Flag]:
    """Each clause's finding, said to be new, persisting, resolved or the prior's, against both studies."""
    if not facts.has_prior:
        return []
    out: list[Flag] = []
    said = {"new": "new", "gone": "gone", "both": "there on the prior and now", "prior": "the prior's"}
    last: tuple[str, set[str]] | None = None
    for a, b in claims.sentences:
        asked = _QUESTION_TAKES_UP.match(text, a, b) if last else None
        if asked and not text[asked.end() : b].strip():
            continue  # "Is it new?": the finding just named stays the one the answer (the next sentence) speaks of
        # "This area was already abnormal on his scan in 2025": a sentence whose subject takes up the finding of the
        # sentence before speaks of its place (a defect there, of no kind the anaphor names)
        taken = last and (asked or _TAKES_UP.match(text, a, b))
        previous: tuple[str, set[str]] | None = ("defect", last[1]) if last and taken else None
        for x, y in _clauses(text, a, b):
            if asked and x < asked.end():
                continue  # the question itself states nothing ("Is it new? No, ..."): its answer does
            clause = text[x:y]
            # "The inferior ischaemia is, I am afraid, no more extensive than in 2024": of the finding just named
            out.extend(_size_flag(clause, x, _kind(clause) or (previous[0] if previous else None), facts))
            found = _relation(clause, claims.in_prior(x + len(clause) - len(clause.lstrip())))
            if found is not None and found[0] == "prior" and found[1].start() > 0 and _PRIOR_ONLY.search(clause):
                y = x + found[1].end()  # "the mild inferior scar then seen has progressed to ...": the prior's words
                clause = text[x:y]
            if found is not None and found[0] in ("new", "both") and not claims.in_prior(x + found[1].start()):
                # the subject of a change: the clause up to what it is compared with, without the prior's words
                after = _COMPARED_WITH.search(clause, found[1].end())
                y = x + after.start() if after else y
                clause = "".join(" " if claims.in_prior(x + i) else ch for i, ch in enumerate(text[x:y]))
            kind, territories = _kind(clause), _territories(claims, x, y, clause)
            if found is not None and found[0] == "both" and kind is None and not territories:
                # "the small fixed inferior defect of June 2023 persists": the prior's finding, blanked as the prior's
                # words, is itself what is said to persist
                clause = text[x:y]
                kind, territories = _kind(clause), _territories(claims, x, y, clause)
            if found is not None and found[0] == "both" and (part := _WITH_PART.search(clause, found[1].end())):
                # "the LAD defect is again mostly fixed with a mild reversible component": what is there again is the
                # defect as the words before the component say; the component is this study's
                kind = _kind(clause[: part.start()]) or kind
            if kind is None and not territories and previous is not None and not _DENIED.search(clause):
                kind, territories = previous  # ", not present in March 2024, ..." of the finding just named
            # the finding a clause without one speaks of: the last one named, unless a clause on something else (an
            # artifact, the LVEF) came between
            if _OFF.search(clause):
                previous = None
            elif kind is not None:
                previous = (kind, territories)
            if found is None or kind in (None, "mixed") or _OFF.search(clause):
                continue
            relation, words = found
            why = _contradiction(relation, str(kind), territories, facts)
            if why is not None:
                out.append(
                    make_flag(
                        FlagCode.COMPARISON_CONTRADICTS_PRIOR,
                        f"The text says the {kind} is {said[relation]} ({words.group(0).strip()!r}); {why}.",
                        (x + words.start(), x + words.end()),
                        evidence=f"comparison: {why.removeprefix(_READING)}",
                        severity=FlagSeverity.WARNING if why.startswith(_READING) else None,
                    )
                )
        last = previous
    return out + _lvef_said_changed(claims, facts)
