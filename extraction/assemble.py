"""From a processed spaCy Doc to the structured report (:class:`extraction.model.StructuredReport`).

Every value carries the ``[start, end)`` character span of the text that states it and a certainty.
Only values of the current study are reported: a value in a prior-study or comparison section, or
under a ConText HISTORICAL modifier ("prior EF was 45%"), is never a current value. Hypothetical
statements ("referred for evaluation of chest pain", "if ...") are not findings.

Span rule: a number's span covers the number and its unit when one is written ("64%", "82 mL",
"9:00 min"); a present/absent or normal/abnormal statement's span runs from a preceding negation
or uncertainty cue to the concept ("No chest pain", "this may represent attenuation artifact");
a defect's span is its clause ("a small, mild defect in the basal inferior wall which is partially
reversible").
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from extraction.lexicon import WORD_NUMBER, unit_pattern
from extraction.model import StructuredReport
from extraction.pipeline import (
    EXPORT_ROW_EXTENSION,
    IDENTIFIER_KEY,
    NUMBERED_FINDING_KEY,
    SPAN_GROUP,
    as_written,
    checkboxes,
    current_column_tables,
    doc_text,
    hyphen_joins,
)
from extraction.plausible import PLAUSIBLE, Bounds
from extraction.rules import load_concepts, load_sections, load_wording
from extraction.values import Found, find_bp, find_date, find_duration, find_number, parse_number_token
from reporter.domain.vocabulary import SEGMENTS, Certainty, StressType

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["UnreadableTextWarning", "empty_report", "structure_doc", "structure_doc_typed", "unreadable"]

_HISTORICAL_SECTIONS = {"prior_study", "comparison"}
_NON_FINDING_SECTIONS = {"indication", "patient", "signature", "medical_history"}
# Sections about the patient rather than the study, whose scope the text itself can end (see _Ctx._limit_scope).
_SCOPE_LIMITED = {"indication", "medical_history"}
# Concepts that only a report of the study states (a tracer given, a value measured, a verdict): a sentence
# with one of them, current, is about the study wherever it stands.
_STUDY_EVIDENCE = {
    "TRACER", "AGENT", "PHARM_STRESS", "MODALITY", "PROTOCOL", "RESULT", "DEFECT", "LVEF", "HR", "BP", "MPHR",
    "METS", "DURATION", "SSS", "SRS", "SDS", "STRESS_TPD", "ISCHEMIC_TPD", "TID", "EDV", "ESV", "WALL_MOTION",
    "LV_SIZE", "ECG_RESULT", "ST_DEPRESSION", "STRESS_MBF", "REST_MBF", "MFR", "DUKE",
}  # fmt: skip
_IMPRESSION = {"impression"}
# A verdict on perfusion only ("normal perfusion"), not on the whole study ("abnormal myocardial perfusion study").
_PERFUSION_ONLY = re.compile(
    r"(?:perfus|distribution)(?!.*\b(?:study|scan|exam|examination|test|imaging|spect|pet|mpi|mps|scintigraphy)\s*$)",
    re.I | re.S,
)
# The label of the verdict on the whole study, right before it ("Overall interpretation: ", "Overall impression -").
_OVERALL_LABEL = re.compile(
    r"(?:^|\n)[ \t]*overall(?:[ \t]+(?:interpretation|impression|assessment|result|conclusion|study))?"
    r"[ \t]*[:=-][ \t]*\Z",
    re.I,
)
# What may open a sentence before its verdict: a list number, "In summary", "this is a".
# A sentence that says it concludes ("In conclusion, myocardial perfusion is within normal limits"): its
# verdict is the report's even when it speaks of perfusion alone.
_CONCLUSION_MARK = re.compile(
    r"[\s\W\d]*(?:in\s+(?:summary|conclusion)|to\s+(?:summari[sz]e|conclude)|overall)\b", re.I
)
# A finding said to be seen on this study too, in a comparison with a prior one.
_SEEN_AGAIN = re.compile(
    r"\b(?:again|still|persists?|persisting|persistent|remains?|continues?\s+to|once\s+more|unchanged|stable)\b", re.I
)
# The words of a defect's description (see _Ctx._seen_again).
_DEFECT_WORDS = {"DEFECT", "WALL", "TERRITORY", "SEVERITY", "EXTENT", "REVERSIBILITY", "ISCHEMIA", "INFARCTION"}
# A sentence that opens by naming the study it compares with ("Compared with the prior study", "Relative to ...").
_COMPARED_OPENING = re.compile(
    r"[\s\W]*(?:(?:when|as|if)\s+)?(?:compared\s+(?:with|to)|in\s+comparison\s+(?:with|to)|relative\s+to|versus|vs\.?)\b",
    re.I,
)
# A sentence of a dictation that says it gives the impression, with no header for it ("...; impression is a large
# fixed anterior infarct ...", "My conclusion was that ..."): the conclusion starts there.
_SAID_IMPRESSION = re.compile(
    r"[\s\W\d]*(?:(?:the|my|our|final)\s+)?(?:impression|conclusion|interpretation|assessment)\s+(?:is|was|being)\b",
    re.I,
)
_VERDICT_LEAD = re.compile(
    r"[\s\W\d]*(?:(?:in\s+)?(?:summary|conclusion|short)|overall|finally)?[\s,:;.\-–—]*"
    r"(?:(?:this|it)\s+(?:is|was)\s+)?(?:an?\s+|the\s+)?",
    re.I,
)
# A passage in double quotes within a paragraph, long enough to quote a report's statements (see
# _Ctx._quoted_reports); straight or curly quotes.
_QUOTATION = re.compile(r'["\u201c](?P<q>(?:[^"\u201c\u201d\n]|\n(?![ \t]*\n)){40,2000}?)["\u201d]')
# What may stand between a quotation's lead and its opening quote: "That report read, in part: "...""
_QUOTE_LEAD_GAP = re.compile(r"[ \t]*[,:]?[ \t]*(?:in\s+part|as\s+follows|verbatim)?[ \t]*[,:]?[ \t]*\Z", re.I)
# The blank line that ends a paragraph.
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
# Sections that may follow a closing verdict (see _Ctx._closing_impression); a line on the comparison after the
# interpretation ("INTERPRETATION: 1. ... Comparison: none.") does not make the interpretation a finding section.
_AFTER_CLOSING = {"signature", "addendum", "patient", None, "comparison", "prior_study"}
# Headers that label a numbered item of an impression rather than start a section of their own.
_IMPRESSION_ITEM_LABELS = {"perfusion", "function", "flow", "calcium"}
_PERFUSION_TRACERS = {
    "Tc-99m sestamibi",
    "Tc-99m tetrofosmin",
    "Tl-201",
    "Rb-82",
    "N-13 ammonia",
    "F-18 flurpiridaz",
}
# Which walls each coronary territory supplies (AHA 17-segment default assignment).
_WALL_TERRITORIES: dict[str, set[str]] = {}
for _seg in SEGMENTS.values():
    _WALL_TERRITORIES.setdefault(_seg.wall.value, set()).add(_seg.territory.value)
_WALL_TERRITORIES["apical"] = {"LAD", "LCx", "RCA"}

_NUMERIC_LABELS = {
    "SSS", "SRS", "SDS", "STRESS_TPD", "REST_TPD", "ISCHEMIC_TPD", "LVEF", "EDV", "ESV", "TID",
    "STRESS_MBF", "REST_MBF", "MBF", "MFR", "CAC_SCORE", "DUKE", "METS", "HR", "BP", "MPHR", "DURATION", "DATE",
}  # fmt: skip
# Units by their lexicon names (extraction.lexicon.UNITS).
_PCT = ("%",)
_ML = ("mL",)
_FLOW = ("flow",)
_REST_WORDS = re.compile(r"\b(rest|resting|baseline|pre-?stress|pre-?exercise|pre-?test|supine)\b", re.I)
_PEAK_WORDS = re.compile(
    r"\b(peak|peaked|max|maximum|maximal|maximally|stress|post|after|achieved|achieving|reached|rose|increased|exercise|"
    r"immediate post)\b",
    re.I,
)
# A phase word right before a measure's label is that label's phase, not the value's before it: "Post-stress
# LVEF 67% (rest LVEF 64%)", "HR 64 at rest, peak HR 141".
_NEXT_LABEL = r"(?![ \t]*(?:lv)?ef\b|[ \t]*ejection|[ \t]*hr\b|[ \t]*heart\s+rate|[ \t]*bp\b|[ \t]*blood\s+pressure)"
_TRAIL_REST = re.compile(rf"^\s*(?:\(?\s*)?(?:at rest|at baseline|rest|resting|on rest)\b{_NEXT_LABEL}", re.I)
_TRAIL_PEAK = re.compile(
    r"^\s*(?:\(?\s*)?(?:at peak(?: stress)?|at stress|post[- ]?stress|during stress|with stress|on stress|"
    rf"post[- ]?exercise|at peak exercise|(?:after|following) (?:the )?(?:stress|exercise)|stress)\b{_NEXT_LABEL}",
    re.I,
)
_PAIR_LINK = re.compile(
    rf"^\s*{unit_pattern('bpm', 'mmHg')}?\s*(?:at rest|at baseline)?\s*,?\s*"
    r"(?:->|-->|→|⇒|=>|>|to|and rose to|rose to|rising to|increased to|and increased to|up to|and then)\s*",
    re.I,
)
_FROM = re.compile(r"\bfrom\b", re.I)
_DOSE = re.compile(rf"\d+(?:\.\d+)?\s*{unit_pattern('mg')}", re.I)
_ANY = Bounds()
# "85% of" / "85 percent" just before an "MPHR" label.
_MPHR_BEFORE = re.compile(
    rf"(?<![\w.])(\d{{2,3}}(?:\.\d+)?|{WORD_NUMBER})\s*({unit_pattern('%')})?\s*"
    r"(?:of\s*(?:(?:his|her|their|its|the|the\s+patient's|the\s+patients)\s+)?)?$",
    re.I,
)
_PRONOUN = re.compile(r"\b(this|these|it|which|that)\b", re.I)
_RISK_IN_TEXT = re.compile(r"\b(low|intermediate|moderate|high)[\s-]+risk\b", re.I)
_PERFUSION_WORD = re.compile(r"\bperfus", re.I)
_LEADING_FILLER = re.compile(r"^(?:there\s+(?:is|are|was|were)\s+|also\s+)", re.I)


@dataclass(slots=True)
class Mention:
    """A concept found in the text, with its place and its ConText certainty."""

    label: str
    value: str | None
    start: int  # char offsets
    end: int
    tok_start: int
    tok_end: int
    sent: int
    section: str | None
    negated: bool
    uncertain: bool
    historical: bool
    hypothetical: bool
    remainder: bool
    cue_start: int | None  # start of a negation/uncertainty cue before the concept, same sentence
    preamble: bool = False  # unheaded text before the first section header
    prior_cue: bool = False  # a HISTORICAL cue, even under a negation ("the previously seen defect is gone")
    superseded: bool = False  # a preliminary read's statement that a later read of the report restates

    @property
    def current(self) -> bool:
        return not self.historical and not self.hypothetical and not self.superseded

    @property
    def certainty(self) -> str:
        if self.historical:
            return Certainty.HISTORICAL.value
        if self.negated:
            return Certainty.NEGATED.value
        if self.uncertain:
            return Certainty.UNCERTAIN.value
        return Certainty.AFFIRMED.value

    @property
    def value_certainty(self) -> str:
        """The certainty of a value measured at this label: a stated number is not negated by a negation whose
        scope runs over its label ("There is no transient ischemic dilation (TID 1.04)"); a label negated close
        by gives no value at all (``_number_negated``)."""
        return Certainty.AFFIRMED.value if self.certainty == Certainty.NEGATED.value else self.certainty

    @property
    def cue_span(self) -> tuple[int, int]:
        return (self.cue_start if self.cue_start is not None else self.start, self.end)


@dataclass(slots=True)
class _Defect:
    walls: list[str]
    territory: str | None
    severity: str | None
    extent: str | None
    reversibility: str | None
    certainty: str
    span: tuple[int, int]
    sent: int
    has_artifact: bool = False
    merged_uncertain: bool = False
    extra_territories: list[str] = field(default_factory=list)
    amended_by: list[tuple[int, int]] = field(default_factory=list)  # spans of addendum statements that changed it


@functools.cache
def _label_value() -> dict[str, str | None]:
    """The value of each label whose concepts all carry the same one (None for most), from concepts.json.

    A mention of such a label needs no look-up of its TargetRule (a spaCy extension read per span).
    """
    values: dict[str, set[str | None]] = {}
    for concept in load_concepts():
        values.setdefault(concept.label, set()).add(concept.value)
    return {label: next(iter(v)) for label, v in values.items() if len(v) == 1}


_MOST = re.compile(r"(?<![\w-])most[ \t]+\Z", re.I)
# A hedge right before a normal verdict ("Probably normal", "most likely normal", "Likely normal study").
_HEDGED_NORMAL = re.compile(r"(?<![\w-])(?:most\s+)?(?:probably|likely|presumably|possibly|presumed)[ \t]+\Z", re.I)


class _Ctx:
    """The document and its mentions, with the lookups the field extractors need."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        sents = list(doc.sents)
        self.sent_bounds = [(s.start_char, s.end_char) for s in sents]
        self.sent_tok = [(s.start, s.end) for s in sents]
        tok_sent = [0] * len(doc)
        for i, (start, end) in enumerate(self.sent_tok):
            tok_sent[start:end] = [i] * (end - start)
        self.tok_sent = tok_sent
        # The section category of each token, read from doc._.sections in the order the sectionizer
        # assigns them (the same values as token._.section_category, without a Token and two
        # extension look-ups per mention).
        tok_section: list[str | None] = [None] * len(doc)
        previous: str | None = None
        parent: str | None = None  # the category of a header that stands alone on its line, at the margin
        for section in doc._.sections:
            start, end = section.section_span
            category = section.category
            if previous in _IMPRESSION and category in _IMPRESSION_ITEM_LABELS and _after_list_number(doc, start):
                category = previous  # "IMPRESSION: 1. ... 2. Function: normal, LVEF 60%" -- an item of the impression
            title = section.title_start
            indent = _header_indent(self.text, doc[title].idx) if category and title < len(doc) else None
            if indent is None or not indent:
                parent = category if category in _TEMPLATE_PARENTS and _header_alone(doc, self.text, section) else None
            elif parent is not None and category in _TEMPLATE_ITEM_LABELS:
                category = parent  # "IMPRESSION:" then "  Study: [x] Abnormal": a row of the template's block
            if category == "findings" and _corrects_the_template(doc, self.text, section):
                category = "addendum"
            tok_section[start:end] = [category] * (end - start)
            previous = category
        self.tok_section = tok_section
        self._pasted_prior_blocks()
        self._current_column_tables()
        self._quoted_reports()
        self._tok_idx: list[int] | None = None
        self._latest_year: int | None = None  # the latest year the text writes (_in_older_history_test)
        self._latest_date = ""  # the latest whole date it writes, as ISO text (_in_older_history_test)
        # sentence -> where the statement of an earlier study that the sentence tells ends (_dated_priors)
        self.prior_told: dict[int, int] = {}
        # reversibility of the findings _defects set aside as artifact or normal variant (h05's "fixed ... c/w
        # diaphragmatic attenuation"): a "probably normal" verdict may hedge them (_impression_flag)
        self.explained: list[str | None] = []
        spans = doc.spans.get(SPAN_GROUP, [])
        # Each concept's ConText modifiers, from the edges of the graph (the same modifiers, in the same
        # order, as span._.modifiers, without an extension look-up per span).
        graph = doc._.context_graph
        modifiers: dict[tuple[int, int], list[Any]] = {}
        for target, modifier in graph.edges if graph is not None else ():
            modifiers.setdefault((target.start, target.end), []).append(modifier)
        label_value = _label_value()
        self.boxes = checkboxes(doc)
        self._unchecked = tuple((a, b) for a, b, checked in self.boxes if not checked)
        self.mentions: list[Mention] = sorted(
            (self._mention(e, tok_sent, modifiers.get((e.start, e.end), ()), label_value) for e in spans),
            key=lambda m: m.start,
        )
        if self._unchecked:
            self._read_checkboxes()
        self._read_unanswered_keys()
        self._limit_scope()
        self._dated_addenda()
        self._prior_lists()
        self._closing_impression()
        self._superseded_preliminary()
        self._seen_again()
        self._elided_labels()
        first_header = min((sec.title_start for sec in doc._.sections if sec.category is not None), default=None)
        if first_header:
            for m in self.mentions:
                m.preamble = m.section is None and m.tok_start < first_header
        self._numeric = [m for m in self.mentions if m.label in _NUMERIC_LABELS]
        self._numeric_starts = [m.start for m in self._numeric]
        self.by_label: dict[str, list[Mention]] = {}
        for m in self.mentions:
            self.by_label.setdefault(m.label, []).append(m)
        self._dated_priors()

    def _mention(
        self, ent: Span, tok_sent: list[int], modifiers: Iterable[Any], label_value: dict[str, str | None]
    ) -> Mention:
        label = ent.label_
        start = ent.start
        section = self.tok_section[start]
        start_char = ent.start_char
        hedge = None
        if label in ("RESULT", "RESULT_BARE") and ent.text.split(" ", 1)[0].lower() in ("normal", "likely", "probably"):
            # "Probably normal thallium study", "Most likely normal ...": a hedged normal verdict is the schema's
            # "probably normal", its hedge part of its wording
            rx = _HEDGED_NORMAL if ent.text[:6].lower() == "normal" else _MOST
            hedge = rx.search(self.text, max(0, start_char - 24), start_char)
            if hedge is not None:
                start_char = hedge.start()
        cats: set[str] = set()
        cue: int | None = None
        hypothetical_at = negated_at = -1  # the last cue of each before the concept
        for mod in modifiers:
            cat = mod.category
            m_start, m_end = mod.modifier_span
            if self._unchecked and self._unchecked_at(self.doc[m_start].idx) is not None:
                continue  # the "No" of "[ ] No": an unchecked box says nothing
            if cat == "NEGATED_EXISTENCE" and m_end <= start and self._colon_between(m_end, start):
                continue  # "no arrhythmia: ischemic ST depression" -- a negation ends at its colon
            if start <= m_start and m_end <= ent.end:
                continue  # a cue inside the concept is part of its wording ("does not change at rest": fixed)
            if hedge is not None and self.doc[m_start].idx >= start_char:
                continue  # the hedge of "probably normal"
            if cat == "POSSIBLE_EXISTENCE" and self._month_may(m_start, m_end):
                continue  # "on 12 May 2025": the month, not a hedge
            cats.add(cat)
            if m_start < start and cat == "HYPOTHETICAL":
                hypothetical_at = max(hypothetical_at, m_start)
            elif m_start < start and cat == "NEGATED_EXISTENCE":
                negated_at = max(negated_at, m_start)
            if cat in ("NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE") and m_start < start:
                c = self.doc[m_start].idx
                if tok_sent[m_start] == tok_sent[start] and (cue is None or c < cue):
                    cue = c
        if label in label_value:
            value = label_value[label]
        else:
            rule = ent._.target_rule
            value = rule.metadata.get("value") if rule is not None and rule.metadata else None
        if hedge is not None and value == "normal":
            value = "probably normal"
        return Mention(
            label=label,
            value=value,
            start=start_char,
            end=ent.end_char,
            tok_start=start,
            tok_end=ent.end,
            sent=tok_sent[start],
            section=section,
            negated="NEGATED_EXISTENCE" in cats,
            uncertain="POSSIBLE_EXISTENCE" in cats,
            # "the previously seen defect is no longer present": the negation is about now.
            historical=section in _HISTORICAL_SECTIONS or ("HISTORICAL" in cats and "NEGATED_EXISTENCE" not in cats),
            # "complained of headache, no angina": a denial nearer the concept than the hypothetical cue is a fact
            hypothetical="HYPOTHETICAL" in cats and not (0 <= hypothetical_at < negated_at),
            remainder="REMAINDER" in cats,
            cue_start=cue,
            prior_cue="HISTORICAL" in cats,
        )

    def _unchecked_at(self, pos: int) -> tuple[int, int] | None:
        """The unchecked checkbox item (box included) at character ``pos``, if any."""
        i = bisect.bisect_right(self._unchecked, (pos, len(self.text))) - 1
        if i >= 0 and self._unchecked[i][0] <= pos < self._unchecked[i][1]:
            return self._unchecked[i]
        return None

    def _read_checkboxes(self) -> None:
        """An unchecked box's item is no statement: its concepts give no value, except a concept of polarity,
        which the empty box denies ("Symptoms: [ ] Chest pain  [x] Dyspnea"; ``wording.json`` "checkboxes")."""
        boxes = load_wording().checkboxes
        polarity = boxes.polarity_labels if boxes is not None else frozenset()
        kept: list[Mention] = []
        for m in self.mentions:
            item = self._unchecked_at(m.start)
            if item is None:
                kept.append(m)
            elif m.label in polarity:
                if self._item_denies(item[0], m.tok_start):
                    continue  # "[ ] No ischemia  [x] Ischemia": an empty box over a denial denies nothing
                m.negated, m.uncertain, m.hypothetical, m.cue_start = True, False, False, item[0]
                kept.append(m)
        self.mentions = kept

    def _read_unanswered_keys(self) -> None:
        """A template's key answered as not done or not applicable (``wording.json`` "unanswered_values": "Pharmacologic
        agent ..... N/A", "CORONARY CALCIUM: Not performed", "TID: N/A (stress-only)") states nothing: the concepts
        of its key give no value (no agent, no calcium), and the answer denies nothing (N/A is not "none")."""
        unanswered = load_wording().unanswered_value
        if unanswered is None or unanswered.search(self.text) is None:
            return
        keys: list[tuple[int, int]] = []
        for line in _KEYED_LINE.finditer(self.text):
            answer = _ASIDE_AFTER.sub("", line.group("answer"))
            if unanswered.fullmatch(answer.strip()):
                keys.append(line.span("key"))
        if keys:
            self.mentions = [m for m in self.mentions if not any(a <= m.start and m.end <= b for a, b in keys)]

    def _item_denies(self, item_start: int, tok: int) -> bool:
        """The words of a checkbox item before its concept's token deny it ("[ ] No infarction"), as written (the
        text of the view blanks an unchecked item)."""
        t = tok - 1
        while t >= 0 and self.doc[t].idx >= item_start:
            if self.doc[t].lower_ in ITEM_DENIALS:
                return True
            t -= 1
        return False

    def _month_may(self, tok0: int, tok1: int) -> bool:
        """The cue is the month May of a date ("12 May 2025", "May 3, 2024"): a capital and a number beside it."""
        doc = self.doc
        if tok1 - tok0 != 1 or doc[tok0].text != "May":
            return False
        return (tok0 > 0 and doc[tok0 - 1].like_num) or (tok1 < len(doc) and doc[tok1].like_num)

    def _limit_scope(self) -> None:
        """End an indication or history section where the text stops speaking of the patient.

        A header scopes everything up to the next header, but reports go on with the study under an
        "Indication:" (one-paragraph dictations, an unknown header such as "ETT:" after it): the
        section ends at its first blank line, or at its first sentence after the first that states a
        current study concept (``_STUDY_EVIDENCE``); what follows is unheaded text.
        """
        doc, tok_section, tok_sent, text = self.doc, self.tok_section, self.tok_sent, self.text
        evidence: set[int] | None = None
        changed = False
        for section in doc._.sections:
            b0, b1 = section.body_start, section.body_end
            if b0 < b1 and tok_section[b0] == "patient":
                # a patient-identification header covers its line ("ORDERING PHYSICIAN: Dr X"), not the
                # next line that its token scope reaches ("EXAMINATION: One-day rest/stress ...")
                first = next((t for t in range(b0, b1) if not doc[t].is_space), b0)
                line_end = text.find("\n", doc[first].idx)
                if line_end != -1 and line_end < doc[b1 - 1].idx:
                    end = next(t for t in range(b0, b1) if doc[t].idx > line_end)
                    tok_section[end:b1] = [None] * (b1 - end)
                    changed = True
                continue
            if b0 >= b1 or tok_section[b0] not in _SCOPE_LIMITED:
                continue
            if evidence is None:
                evidence = {
                    m.sent
                    for m in self.mentions
                    if m.current
                    and m.label in _STUDY_EVIDENCE
                    and not self._in_older_history_test(m)
                    and not self._of_another_test(m)
                }
            end = b1
            first_sent: int | None = None
            for sent in range(tok_sent[b0], tok_sent[b1 - 1] + 1):
                s0, s1 = self.sent_bounds[sent]
                if first_sent is None:
                    if text[max(s0, doc[b0].idx) : s1].strip():
                        first_sent = sent
                    continue
                j = s0
                while j > 0 and text[j - 1].isspace():
                    j -= 1
                # a clause after a semicolon on the same line goes on with the reason ("Dyspnea; exercise ECG
                # equivocal at an outside facility"): only a new sentence that states the study ends it
                clause = j > 0 and text[j - 1] == ";" and "\n" not in text[j:s0]
                if text.count("\n", j, s0) >= 2 or (sent in evidence and not clause):  # a blank line, or the study
                    end = max(self.sent_tok[sent][0], b0)
                    break
            if end < b1:
                tok_section[end:b1] = [None] * (b1 - end)
                changed = True
        if changed:
            for m in self.mentions:
                m.section = tok_section[m.tok_start]

    def _of_another_test(self, m: Mention) -> bool:
        """The mention, in an indication or history, is a value of another imaging test named before it in its
        sentence ("Echo LVEF 30%", "on echocardiography the EF was 35%"): the history goes on, not the study."""
        rx = load_wording().other_test_noun
        if rx is None or self.tok_section[m.tok_start] not in _SCOPE_LIMITED:
            return False
        return rx.search(self.text, self.sent_bounds[m.sent][0], m.start) is not None

    def _in_older_history_test(self, m: Mention) -> bool:
        """The mention, in an indication or history, lies in the clause of a test dated in a year before the
        latest the report writes ("History: Diabetes. Normal adenosine sestamibi stress test 2021."): the history
        goes on with an earlier test, not with this study (its date is not read yet; _dated_history_tests)."""
        if self.tok_section[m.tok_start] not in _SCOPE_LIMITED:
            return False
        if self._latest_year is None:
            self._latest_year = max((int(y) for y in _ANY_YEAR.findall(self.text)), default=0)
            # the latest whole date the text writes: a test dated months before it in the same year is older too
            # ("Echocardiogram 09/2025 showed ..." in a report of 11/2025)
            whole, pos = [], 0
            while (found := find_date(self.text, pos)) is not None:
                whole.append(str(found.value))
                pos = found.end
            self._latest_date = max(whole, default="")
        latest = self._latest_year
        s0, s1 = self.sent_bounds[m.sent]
        for start, end, dated in _dated_test_clauses(self.text, s0, s1):
            if not ((_year_of(dated) or latest) < latest or _earlier_than(dated, self._latest_date)):
                continue
            if start <= m.start < end:
                return True
            # a test whose clause goes on to tell what it showed ("a regadenoson SPECT dated 03/22/2025 was
            # interpreted as showing a reversible defect ..., with SSS 9 and an LVEF of 48%"): the findings it
            # lists, to the end of the sentence, are that test's
            if start <= m.start and _TEST_SHOWED.search(self.text, start, m.start) is not None:
                return True
        return False

    def _dated_addenda(self) -> None:
        """An addendum header that carries its date or author before the colon ("ADDENDUM 20/05/2025 (Dr X):",
        "Addendum by Dr Y on 3 May:") opens an addendum section: its statements amend the report.

        The sectionizer's phrase rules know the header with a colon, a parenthesis or a number right after
        it; the line's own words are read here, up to the next header (or the end of the report).
        """
        if _ADDENDUM_WORD.search(self.text) is None:
            return
        doc, tok_section = self.doc, self.tok_section
        changed = False
        for m in _dated_addendum_header().finditer(self.text):
            tok = self.section_tok(m.start("h"))
            if tok is None or tok_section[tok] == "addendum":
                continue
            end = next((sec.title_start for sec in doc._.sections if sec.title_start > tok), len(doc))
            tok_section[tok:end] = ["addendum"] * (end - tok)
            changed = True
        if changed:
            for mention in self.mentions:
                mention.section = tok_section[mention.tok_start]

    def _prior_lists(self) -> None:
        """A sentence that names a prior study and ends with a colon introduces what that study showed ("Outside
        MPI from 03/2021 has since been received:" then "normal perfusion, LVEF 61 %."): the statement after the
        colon is the prior's, though the sentencizer starts a new sentence at the line break."""
        text, bounds = self.text, self.sent_bounds
        titles = {sec.title_start for sec in self.doc._.sections}
        starts = [b[0] for b in bounds]
        quoted: set[int] = set()
        for colon in _COLON_AT_LINE_END.finditer(text):
            i = bisect.bisect_right(starts, colon.start()) - 1
            if i < 0 or i + 1 >= len(bounds) or text[colon.end() : bounds[i][1]].strip():
                continue  # the colon ends its sentence
            s0, s1 = bounds[i]
            said = text[s0:s1].rstrip()
            if "\n\n" in text[s1 : bounds[i + 1][0]] or self.sent_tok[i][0] in titles:
                continue  # a header of its own ("PRIOR STUDY:"), whose section says whose findings follow
            if _PRIOR_WORD.search(said) and _STUDY_NOUN.search(said) and not _COMPARED.search(said):
                quoted.add(i + 1)
        if not quoted:
            return
        for m in self.mentions:
            if m.sent in quoted:
                m.historical = m.prior_cue = True

    def _dated_priors(self) -> None:
        """Statements of a study dated before this one (its date read by ``_date``). A sentence whose subject is
        such a study, told in the past ("The study of March 2019, done before his stent, showed a moderate
        reversible defect", "The 2022 scan was normal"), speaks of that study up to a word of now ("..., which is
        now resolved"); a finding "seen in 2019" or "noted on the prior scan" is that study's. A study of this
        study's own date ("Her perfusion scan on 2 June 2025 reported: ...") is this one."""
        text, bounds = self.text, self.sent_bounds
        told: dict[int, int] = {}  # sentence -> where its prior study's statement ends
        seen_then: list[int] = []
        study_date: str | None = None
        for sent, (s0, s1) in enumerate(bounds):
            if _SUBJECT_OPENING.match(text, s0) is None:
                continue
            subject = _DATED_STUDY_SUBJECT.match(text, s0, s1)  # the study is the sentence's subject
            dated = subject.group("d1") or subject.group("d2") if subject is not None else None
            if subject is None or not dated:
                continue
            study_date = study_date or _study_date_iso(self)
            if not _earlier_than(dated, study_date):
                continue
            now = _NOW.search(text, subject.end(), s1)
            told[sent] = now.start() if now is not None else s1
        for sent, (s0, s1) in enumerate(bounds):
            if sent == 0 or sent in told or _PRONOUN_STUDY_SUBJECT.match(text, s0, s1) is None:
                continue
            # "An outside perfusion study dated 09/18/2022 was imported. It showed a small reversible defect": the
            # pronoun subject is the earlier study the sentence before names with its date
            p0, p1 = bounds[sent - 1]
            named = sent - 1 in told or any(
                _earlier_than(d.group("d"), study_date or _study_date_iso(self))
                for d in _NAMED_DATED_STUDY.finditer(text, p0, p1)
            )
            if named:
                now = _NOW.search(text, s0, s1)
                told[sent] = now.start() if now is not None else s1
        for sent, (s0, s1) in enumerate(bounds):
            that = _FROM_THAT_TEST.search(text, s0, s1) if sent not in told else None
            if that is not None:
                # "Coronary calcium score from that CTCA was 412": a value of the test named before, not of this one
                now = _NOW.search(text, that.end(), s1)
                told[sent] = now.start() if now is not None else s1
        for seen in _SEEN_THEN.finditer(text):
            if seen.group("d") is not None:
                study_date = study_date or _study_date_iso(self)
                if not _earlier_than(seen.group("d"), study_date):
                    continue
            seen_then.append(seen.start())
        self.prior_told = told
        history = self._dated_history_tests()
        if not told and not seen_then and not history:
            return
        for m in self.mentions:
            if any(a <= m.start < b for a, b in history) or (m.sent in told and m.start < told[m.sent]):
                m.historical = m.prior_cue = True
            elif any(m.end <= a and _CLAUSE_TAIL.fullmatch(text, m.end, a) for a in seen_then):
                # "the inferolateral ischemia seen in 2019 has not recurred": the finding of that study
                m.prior_cue = True
                m.historical = not m.negated

    def _dated_history_tests(self) -> list[tuple[int, int]]:
        """Clauses of an indication or history that name a test with its date, earlier than this study ("Remote
        MI; normal exercise thallium scan 2021", "abnormal SPECT (03/2022) with apical ischemia"): the test is a
        prior one, and what the clause says of it (its tracer, agent, verdict, findings) is that test's. Without
        a date of this study, a dated test in the patient's history is a prior one too."""
        out: list[tuple[int, int]] = []
        study_date: str | None = None
        for sent in range(len(self.sent_bounds)):
            if self.tok_section[self.sent_tok[sent][0]] not in _SCOPE_LIMITED:
                continue
            for start, end, dated in _dated_test_clauses(self.text, *self.sent_bounds[sent]):
                study_date = study_date if study_date is not None else _study_date_iso(self)
                if not study_date or _earlier_than(dated, study_date):
                    out.append((start, end))
        return out

    def section_tok(self, pos: int) -> int | None:
        """The token that starts at character ``pos`` (None if none does)."""
        if self._tok_idx is None:
            self._tok_idx = self.doc.to_array("IDX").tolist()
        tok = bisect.bisect_left(self._tok_idx, pos)
        return tok if tok < len(self._tok_idx) and self._tok_idx[tok] == pos else None

    def _closing_impression(self) -> None:
        """A report without an impression section ends with its verdict: that closing part is its impression.

        Reports whose last section has a concluding header that is not an impression header
        ("INTERPRETATION: 1. ... no diagnostic abnormality. 2. ...", "REPORT: Abnormal scan ...";
        ``wording.json`` closing_headers) conclude in it. Else, one-paragraph dictations ("... normal WM.
        Normal study, low risk.") and closing paragraphs without a header ("In summary this is an
        abnormal myocardial perfusion study ...") open their conclusion with a verdict on the whole study:
        from the last sentence that opens with one (a RESULT concept not on perfusion alone, unless the
        sentence says it concludes: "In conclusion, myocardial perfusion is within normal limits") to the end
        of the report, when no finding section starts after it, is read as the impression; a sentence that
        says it gives the impression ("...; impression is a large fixed anterior infarct") opens it first.
        """
        doc = self.doc
        sections = list(doc._.sections)
        if any(sec.category in _IMPRESSION for sec in sections):
            return
        text = self.text
        findings = [sec for sec in sections if sec.category not in _AFTER_CLOSING]
        if findings:
            last = findings[-1]
            title = text[doc[last.title_start].idx : doc[last.title_end - 1].idx + len(doc[last.title_end - 1])]
            if _header_words(title) in load_wording().closing_headers and last.body_start < last.body_end:
                self._relabel(last.body_start, last.body_end)
                return
        verdicts = [
            m
            for m in self.mentions
            if m.label == "RESULT"
            and m.current
            and not m.negated
            and m.section not in _NON_FINDING_SECTIONS
            and (
                (
                    _VERDICT_LEAD.fullmatch(text[self.sent_bounds[m.sent][0] : m.start])
                    and not _PERFUSION_ONLY.search(text[m.start : m.end])
                )
                or _CONCLUSION_MARK.match(text, self.sent_bounds[m.sent][0], m.start)
            )
        ]
        said = [i for i, (s0, s1) in enumerate(self.sent_bounds) if _SAID_IMPRESSION.match(text, s0, s1)]
        if not verdicts and not said:
            return
        start_tok = self.sent_tok[said[-1] if said else verdicts[-1].sent][0]
        if any(sec.title_start > start_tok and sec.category not in _AFTER_CLOSING for sec in sections):
            return
        end = next((sec.title_start for sec in sections if sec.title_start > start_tok), len(doc))
        # an addendum after it (a dated header read by _dated_addenda) stays the addendum
        end = next((t for t in range(start_tok, end) if self.tok_section[t] == "addendum"), end)
        self._relabel(start_tok, end)

    def _seen_again(self) -> None:
        """A comparison paragraph that says a finding is seen on this study as well ("Compared with the prior study
        ..., there is again a small fixed inferior defect", "the inferior defect persists") describes this study's
        finding: it is not historical, though its section is the comparison. A mention that a cue of its own puts
        in the past ("at that time", "previously seen") stays the prior's, unless the sentence opens by naming the
        prior it compares with ("Relative to the prior exam the ... defect persists"). Measures (an LVEF "at that
        time") stay the prior's: only a defect's words are read again."""
        for m in self.mentions:
            if m.section != "comparison" or not m.historical or m.label not in _DEFECT_WORDS:
                continue
            s0, s1 = self.sent_bounds[m.sent]
            if m.prior_cue and not _COMPARED_OPENING.match(self.text, s0, s1):
                continue  # "previously seen", "at that time": the prior's, unless the prior is what it is compared with
            if _SEEN_AGAIN.search(self.text, s0, s1):
                m.historical = False

    def _elided_labels(self) -> None:
        """Measures named by their qualifiers around a head they share (``wording.json`` elided_labels: "summed
        stress, rest, and difference scores of 12, 2, and 10"): each qualifier is a mention of its measure, the last
        one running to the end of the head, so the values after it are read as a list, one a label
        (``_listed_number``). The concepts found inside the phrase give way to them."""
        rules = load_wording().elided_labels
        if not rules:
            return
        text, doc = self.text, self.doc
        added: list[Mention] = []
        for rule in rules:
            for hit in rule.pattern.finditer(text):
                words = list(re.finditer("|".join(re.escape(w) for w in rule.qualifiers), hit.group("q"), re.I))
                labels = [rule.qualifiers[w.group(0).lower()] for w in words]
                if len(set(labels)) != len(labels):
                    continue  # "stress and stress": no list of measures
                q0 = hit.start("q")
                for k, w in enumerate(words):
                    start = q0 + w.start()
                    end = hit.end() if k == len(words) - 1 else q0 + w.end()
                    span = doc.char_span(start, end, alignment_mode="expand")
                    if span is None:
                        break
                    section = self.tok_section[span.start]
                    added.append(
                        Mention(
                            label=labels[k],
                            value=None,
                            start=start,
                            end=end,
                            tok_start=span.start,
                            tok_end=span.end,
                            sent=self.tok_sent[span.start],
                            section=section,
                            negated=False,
                            uncertain=False,
                            historical=section in _HISTORICAL_SECTIONS,
                            hypothetical=False,
                            remainder=False,
                            cue_start=None,
                        )
                    )
        if not added:
            return
        covered = [(m.start, m.end) for m in added]
        kept = [
            m
            for m in self.mentions
            if not (m.label in _NUMERIC_LABELS and any(a <= m.start < b or a < m.end <= b for a, b in covered))
        ]
        self.mentions = sorted([*kept, *added], key=lambda m: m.start)

    def _superseded_preliminary(self) -> None:
        """A trainee's preliminary read (``wording.json`` preliminary_reads: "PRELIMINARY INTERPRETATION (resident):")
        followed by a later read of the same study (an attestation or addendum, a final impression): where the later
        read states a verdict, a risk, an artifact, ischemia or infarction itself, the preliminary statement of the
        same is superseded, the attending's word being the report's. What the later read does not restate (the
        LVEF, wall motion, a read it agrees with) stays the preliminary read's."""
        wording = load_wording()
        rx = wording.preliminary_read
        if rx is None:
            return
        text = self.text
        for title in rx.finditer(text):
            line_start = text.rfind("\n", 0, title.start()) + 1
            line_end = _eol(text, title.end())
            banner = _banner_title(text, line_start, title.start(), line_end)
            if not banner and (text[line_start : title.start()].strip() or ":" not in text[title.end() : line_end]):
                continue  # the title of a block, at the start of its line, its colon after it (or a banner line)
            later = [
                self.doc[sec.title_start].idx
                for sec in self.doc._.sections
                if sec.category in _FINAL_READS
                and self.doc[sec.title_start].idx > line_end
                and not rx.search(text, self.doc[sec.title_start].idx, _eol(text, self.doc[sec.title_start].idx))
            ]
            # the title of the final read, at the start of its line or in a banner ("=== FINAL REPORT ===")
            final = wording.final_read
            for f in final.finditer(text, line_end) if final is not None else ():
                f_start = text.rfind("\n", 0, f.start()) + 1
                if (
                    _banner_title(text, f_start, f.start(), _eol(text, f.end()))
                    or not text[f_start : f.start()].strip()
                ):
                    later.append(f.start())
                    break
            later.sort()
            if not later:
                continue  # the preliminary read is the only one
            block = (title.start(), later[0])
            restated = {
                _SUPERSEDED_FAMILY[m.label]
                for m in self.mentions
                if m.start >= block[1] and m.label in _SUPERSEDED_FAMILY and not m.historical and not m.hypothetical
            }
            for m in self.mentions:
                if block[0] <= m.start < block[1] and _SUPERSEDED_FAMILY.get(m.label) in restated:
                    m.superseded = True
            return

    def _pasted_prior_blocks(self) -> None:
        """A prior study's header line that ends with a colon ("Previous Result (06/14/2022) NM MPI SPECT:") titles
        a pasted prior report: the sections under it up to the paragraph's end ("IMPRESSION: Abnormal. Medium fixed
        inferior defect ...") are the prior's, not this study's."""
        doc, text = self.doc, self.text
        for section in doc._.sections:
            if section.category != "prior_study" or section.body_start >= len(doc):
                continue
            line_end = text.find("\n", doc[section.body_start].idx)
            if line_end < 0 or not text[:line_end].rstrip().endswith(":"):
                continue
            block_end = _PARAGRAPH_END.search(text, line_end)
            end_char = block_end.start() if block_end is not None else len(text)
            t = section.body_end
            while t < len(doc) and doc[t].idx < end_char:
                self.tok_section[t] = "prior_study"
                t += 1

    def _current_column_tables(self) -> None:
        """A table read by its current column (``extraction.pipeline.current_column_tables``: "CURRENT (11/03/2026)"
        over "SSS / SRS / SDS   1 / 0 / 1", the earlier study's column read as blank space) tells the study's own
        values, though it stands under a "COMPARISON:" header: its tokens are in no section of an earlier study."""
        if not any(section in _HISTORICAL_SECTIONS for section in self.tok_section):
            return
        doc, tok_section = self.doc, self.tok_section
        for start, end in current_column_tables(self.text):
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            for t in range(span.start, span.end):
                if tok_section[t] in _HISTORICAL_SECTIONS:
                    tok_section[t] = "findings"

    def _quoted_reports(self) -> None:
        """A passage in double quotes after a lead that says it quotes another report ("That report read, in part:
        "There is a large ... defect. IMPRESSION: High-risk study."", ``wording.json`` quoted_report_leads) is that
        report's: its tokens are the prior study's, and a header inside the quotes opens no section of this report,
        so the text after the closing quote goes on in the section the quotation stood in."""
        lead = load_wording().quoted_report_lead
        if lead is None or ('"' not in self.text and "\u201c" not in self.text):
            return
        doc, text, tok_section = self.doc, self.text, self.tok_section
        for q in _QUOTATION.finditer(text):
            before = _QUOTE_LEAD_GAP.search(text, max(0, q.start() - 80), q.start())
            gap_start = before.start() if before is not None else q.start()
            said = [m for m in lead.finditer(text, max(0, q.start() - 80), gap_start) if m.end() == gap_start]
            if not said:
                continue
            inner = doc.char_span(q.start("q"), q.end("q"), alignment_mode="expand")
            if inner is None or inner.start == 0:
                continue
            t0, t1 = inner.start, inner.end
            outer = tok_section[t0 - 1]
            headed = any(t0 <= sec.title_start < t1 for sec in doc._.sections)
            tok_section[t0:t1] = ["prior_study"] * (t1 - t0)
            if headed:
                nxt = min((sec.title_start for sec in doc._.sections if sec.title_start >= t1), default=len(doc))
                tok_section[t1:nxt] = [outer] * (nxt - t1)

    def _relabel(self, tok0: int, tok1: int) -> None:
        self.tok_section[tok0:tok1] = ["impression"] * (tok1 - tok0)
        for m in self.mentions:
            m.section = self.tok_section[m.tok_start]

    def _colon_between(self, tok0: int, tok1: int) -> bool:
        doc = self.doc
        return any(doc[t].text == ":" for t in range(tok0, tok1))

    def section_at(self, pos: int) -> str | None:
        """The section category of the token at character ``pos``."""
        if self._tok_idx is None:
            self._tok_idx = self.doc.to_array("IDX").tolist()  # the start of each token, without a Token each
        tok = bisect.bisect_right(self._tok_idx, pos) - 1
        return self.tok_section[tok] if tok >= 0 else None

    def get(self, *labels: str) -> list[Mention]:
        if len(labels) == 1:
            return self.by_label.get(labels[0], [])
        out = [m for label in labels for m in self.by_label.get(label, [])]
        out.sort(key=lambda m: m.start)
        return out

    def window_after(self, m: Mention, limit: int = 60) -> tuple[int, int]:
        """Text after a label, up to the next numeric label, the end of its sentence, or ``limit``.

        A label that ends its sentence, as a header does ("Myocardial blood flow (global): rest 1.05 ..."),
        labels the next sentence's values."""
        end = min(self.label_sentence_end(m), m.end + limit)
        i = bisect.bisect_left(self._numeric_starts, m.end)
        if i < len(self._numeric) and self._numeric[i].start < end:
            end = self._numeric[i].start
        return m.end, end

    def label_sentence_end(self, m: Mention) -> int:
        """The end of the sentence that a label's values stand in: its own, or the next one when the label
        closes its sentence ("Exercise: | 6 min 15 sec") or the sentence ends inside it ("Ex. | time - 07:15")."""
        i, bounds = m.sent, self.sent_bounds
        while i + 1 < len(bounds) and bounds[i][1] < m.end:
            i += 1
        sent_end = bounds[i][1]
        if i + 1 < len(bounds) and _LABEL_ENDS_SENTENCE.fullmatch(self.text, m.end, sent_end):
            sent_end = bounds[i + 1][1]
        return sent_end

    def window_before(self, m: Mention, limit: int = 25) -> tuple[int, int]:
        start = max(self.sent_bounds[m.sent][0], m.start - limit)
        i = bisect.bisect_left(self._numeric_starts, m.start) - 1
        while i >= 0 and self._numeric[i].end > m.start:
            i -= 1
        if i >= 0 and self._numeric[i].end > start:
            start = self._numeric[i].end
        return start, m.start


def _eol(text: str, pos: int) -> int:
    """Where the line that holds ``pos`` ends (its line break, or the end of the text)."""
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


# The sections of a later read that may supersede a preliminary one (_Ctx._superseded_preliminary), and the families
# of statements it supersedes: a verdict, a risk, an artifact, ischemia, infarction.
_FINAL_READS = frozenset({"addendum", "impression"})
_SUPERSEDED_FAMILY = {
    "RESULT": "verdict",
    "RESULT_BARE": "verdict",
    "RISK": "risk",
    "ARTIFACT": "artifact",
    "ARTIFACT_WORD": "artifact",
    "ISCHEMIA": "ischemia",
    "INFARCTION": "infarction",
    # a measure the final read states again ("LVEF 51% (recalculated)"): its value is the final read's
    "LVEF": "lvef",
    "EDV": "edv",
    "ESV": "esv",
    "TID": "tid",
    "SSS": "sss",
    "SRS": "srs",
    "SDS": "sds",
    "WALL_MOTION": "wall_motion",
    "LV_SIZE": "lv_size",
}
# Decoration around a title that stands in a banner line ("=== PRELIMINARY READ (overnight) ===", "*** FINAL ***").
_BANNER_MARKS = re.compile(r"[=*#~_-]{2,}[ \t]*")


def _banner_title(text: str, line_start: int, title_start: int, line_end: int) -> bool:
    """Whether a title stands in a banner line: only decoration before it, and the line ends in decoration."""
    before = text[line_start:title_start]
    return (
        bool(before.strip())
        and _BANNER_MARKS.fullmatch(before.lstrip()) is not None
        and bool(re.search(r"[=*#~_-]{2,}[ \t]*$", text[title_start:line_end]))
    )


# What may follow a label that closes its sentence: a parenthesis ("(global)") and a colon.
_LABEL_ENDS_SENTENCE = re.compile(r"\s*(?:\([^()\n]{0,30}\))?\s*[:=]?\s*")
_ADDENDUM_WORD = re.compile(r"addend|amend|correct", re.I)


# A denial inside a checkbox item, before its concept ("[ ] No infarction", "[ ] Without chest pain").
ITEM_DENIALS = frozenset({"no", "not", "without", "none", "negative", "absent", "denies"})


@functools.cache
def _dated_addendum_header() -> re.Pattern[str]:
    """An addendum header at the start of a line, then at most 60 characters with a date or an author (a digit,
    a parenthesis, "by" or "Dr", or the label of its date: "ADDENDUM      Date/Time: 10/16/2025"), then a colon."""
    headers = sorted(
        (h for spec in load_sections() if spec.category == "addendum" for h in spec.headers), key=len, reverse=True
    )
    words = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in headers)
    return re.compile(
        rf"(?m)^[ \t]*(?P<h>(?:{words}))\b(?=[^:\n]{{0,60}}?(?:\d|\(|\bby\b|\bdr\b|\bdate\b|\btime\b))"
        r"[^:\n]{1,60}:",
        re.I,
    )


# A checkbox template's block ("IMPRESSION:" alone at the margin, its rows indented below it: "  Study: [x]
# Abnormal", "  Overall: [ ] Normal [x] Abnormal") labels its rows with generic words that are headers of their own
# (study: technique, overall: impression): such a row belongs to the block it is indented under.
_TEMPLATE_PARENTS = {"impression", "perfusion", "function", "findings", "stress", "flow", "calcium"}
_TEMPLATE_ITEM_LABELS = {"technique", "impression", "findings"}


def _header_indent(text: str, pos: int) -> str | None:
    """The blank space that opens the line of a header at ``pos``; None when the header does not open its line."""
    line_start = text.rfind("\n", 0, pos) + 1
    lead = text[line_start:pos]
    return lead if not lead.strip() else None


def _header_alone(doc: Doc, text: str, section: Any) -> bool:
    """The header is all its line holds ("PERFUSION:"), its rows below it."""
    if section.title_end >= len(doc):
        return False
    end = doc[section.title_end - 1].idx + len(doc[section.title_end - 1])
    line_end = text.find("\n", end)
    return line_end >= 0 and not text[end:line_end].strip()


# The title of a comment under a template ("FREE-TEXT COMMENT", "Comments"): its body may correct what the rows say.
_COMMENT_TITLE = re.compile(r"\bcomments?\b", re.I)


def _corrects_the_template(doc: Doc, text: str, section: Any) -> bool:
    """A comment section that says it corrects the report ('the "Fixed" entry above is a template selection error;
    it is reversible'): the physician's final reading, an addendum to the rows above it (c03's addendum wins, and so
    does this). A comment that corrects nothing stays a findings section."""
    t0, t1 = section.title_start, section.title_end
    s1 = section.section_span[1]
    if t0 >= len(doc) or s1 <= t1 or not _COMMENT_TITLE.search(text, doc[t0].idx, doc[t1 - 1].idx + len(doc[t1 - 1])):
        return False
    return _CORRECTS.search(text, doc[t1].idx, doc[s1 - 1].idx + len(doc[s1 - 1])) is not None


def _header_words(title: str) -> str:
    """A section title as its lower-case words ("INTERPRETATION:" -> "interpretation")."""
    return " ".join(re.findall(r"[a-z]+", title.lower()))


def _after_list_number(doc: Doc, tok: int) -> bool:
    """The token follows an item number ("2. ", "(3) ", "4)  ")."""
    t = tok - 1
    if t >= 0 and doc[t].is_space:
        t -= 1
    if t < 1 or doc[t].text not in (".", ")"):
        return False
    number = doc[t - 1].text
    return number.isdigit() and len(number) <= 2


def _value(value: Any, span: tuple[int, int], certainty: str = "affirmed", **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"value": value, "span": [int(span[0]), int(span[1])], "certainty": certainty}
    out.update({k: v for k, v in extra.items() if v is not None})
    return out


def empty_report() -> dict[str, Any]:
    """The object for a report that states nothing: every field null, every list empty."""
    return StructuredReport.empty().as_json()


def _ordered(mentions: Iterable[Mention]) -> list[Mention]:
    """Addendum mentions first (an addendum corrects the body), unheaded preamble text last, then document order."""
    return sorted(mentions, key=lambda m: (m.section != "addendum", m.preamble, m.start))


def _findings(mentions: Iterable[Mention]) -> list[Mention]:
    return [m for m in mentions if m.current and m.section not in _NON_FINDING_SECTIONS]


_METHOD_SECTIONS = {"technique", "stress"}


def _method_first(mentions: Iterable[Mention]) -> list[Mention]:
    """Mentions in the technique/stress sections first (a title restates what they say)."""
    return sorted(mentions, key=lambda m: (m.section not in _METHOD_SECTIONS, m.start))


# --------------------------------------------------------------------------- numbers


def _number_negated(ctx: _Ctx, m: Mention) -> bool:
    """A measured value's label is negated only by a cue close before it ("no gated EF") or after it ("EF not
    calculated"), not by a "no" further back whose scope ran on ("no ischemia or infarct and an LVEF of 70%")."""
    if not m.negated:
        return False
    if _MEASURED_AFTER.match(ctx.text, m.end):
        return False  # "No TID (0.99)": the finding is denied, its measured value is given
    if m.cue_start is None or m.cue_start >= m.start:
        return True
    if any(
        m.cue_start < o.start and o.end <= m.start and _CLAUSE_BREAK.search(ctx.text, o.end, m.start)
        for o in ctx.mentions
        if o.sent == m.sent
    ):
        return False  # "negative for ischemia, Duke treadmill score of 8": the denial is the concept's before it
    text = ctx.text
    if ")" in text[m.cue_start : m.start] and text.rfind("(", 0, m.cue_start) > text.rfind(")", 0, m.cue_start):
        return False  # "LVEF 51% (not 58%), EDV 112 mL": a denial inside a parenthesis ends with it
    if _DENIED_THEN_MEASURES.fullmatch(text, m.cue_start, m.start) and _VALUE_NEXT.match(text, m.end):
        return False  # "Left ventricle not dilated (EDV 118 ml, ...)": the measures that bear out the denial
    return len(text[m.cue_start : m.start].split()) <= 3


# A denial of a finding, then a parenthesis opened on the measure's label: "not dilated (EDV", "no enlargement (".
_DENIED_THEN_MEASURES = re.compile(r"\w+[ \t]+[^()\s][^()\n]*?\([ \t]*")
# The label's number right after it ("EDV 118 ml", "EDV: 118", "EDV = 118").
_VALUE_NEXT = re.compile(r"[ \t]*[:=]?[ \t]*\d")


_CLAUSE_BREAK = re.compile(r"[,;]")


# A number (digits or words: "10.1 METs", "ten point one METs", with a decimal comma "10,1 METs") right before its
# label.
_NUMBER_BEFORE_LABEL = re.compile(rf"(?<![\w.,])([-−]?\d+(?:[.,]\d+)?|{WORD_NUMBER})\s*(?:%\s*)?$", re.I)
# A value in parentheses right after a label: "No TID (0.99)", "no transient dilation (TID 1.02)".
_MEASURED_AFTER = re.compile(r"\s*\(\s*(?:[A-Za-z]{2,6}\s*(?:ratio\s*)?[:=]?\s*)?\d+(?:\.\d+)?\s*%?\s*\)")


def _phase_before(ctx: _Ctx, m: Mention, limit: int = 60) -> str | None:
    start = max(ctx.sent_bounds[m.sent][0], m.start - limit)
    before = ctx.text[start : m.start]
    best: tuple[int, str] | None = None
    for rx, phase in ((_REST_WORDS, "rest"), (_PEAK_WORDS, "peak")):
        for hit in rx.finditer(before):
            if best is None or hit.start() > best[0]:
                best = (hit.start(), phase)
    # a stress agent named before the label is its phase ("With adenosine, HR 86"), unless it is still to come
    # ("prior to regadenoson, HR 64")
    for agent in ctx.get("AGENT"):
        if start <= agent.start < m.start and (best is None or agent.start - start > best[0]):
            phase = "rest" if _BEFORE_AGENT.search(ctx.text, max(0, agent.start - 12), agent.start) else "peak"
            best = (agent.start - start, phase)
    return best[1] if best else None


_BEFORE_AGENT = re.compile(r"\b(?:before|prior\s+to|pre-?)\s*$", re.I)


# A bracket that opens with a phase and its own value ("54% (rest 61%)"): the phase is that value's.
_PAREN_PHASE_VALUE = re.compile(
    r"\s*\(\s*(?:at\s+)?(?:rest|resting|baseline|stress|peak|post[- ]?stress)\b\s*[:=]?\s*\d", re.I
)


def _phase_after(text: str) -> str | None:
    if _PAREN_PHASE_VALUE.match(text):
        return None
    if _TRAIL_PEAK.match(text):
        return "peak"
    if _TRAIL_REST.match(text):
        return "rest"
    return None


# What joins the labels of a list that shares its values ("SSS/SRS/SDS", "EDV, ESV and TID", "HR / BP"), and the values.
# (a serial comma before "and" joins as "and" does: "12, 2, and 10")
_LIST_JOIN = r"[ \t]*(?:[/&]|,(?:[ \t]*(?:and\b|&))?|\band\b)[ \t]*"
_LIST_JOIN_RE = re.compile(_LIST_JOIN + "$", re.I)
# After the last label of a list: a parenthesis ("(mL)"), a separator (a table's bar: "EDV / ESV | 165 / 97") or a
# verb, then the values.
_LIST_VALUES_LEAD = r"[ \t]*\)?[ \t]*(?:\([^()\n]{0,20}\))?[ \t]*(?:[:=|]|\b(?:were|are|of|was|is)\b)?[ \t]*"
_LIST_VALUE = r"-?\d+(?:\.\d+)?(?:[ \t]?(?:%|mL|ml|mls|bpm)(?![A-Za-z]))?"
_LIST_BP_VALUE = r"\d{2,3}/\d{2,3}(?:[ \t]?mm[ \t]?Hg)?"


@functools.cache
def _list_values(pressures: tuple[bool, ...]) -> re.Pattern[str]:
    """One value per label of a list (a blood pressure where ``pressures`` says so), joined as the labels are, and
    nothing more of the list after them."""
    # a value not given ("0 / N/A / N/A": a stress-only study's SSS alone) holds its place in the list
    unanswered = load_wording().unanswered_value
    blank = "" if unanswered is None else f"|{unanswered.pattern}"
    values = _LIST_JOIN.join(
        f"(?P<v{i}>{_LIST_BP_VALUE if bp else _LIST_VALUE}{blank})" for i, bp in enumerate(pressures)
    )
    return re.compile(_LIST_VALUES_LEAD + values + r"(?![ \t]*(?:[/,]|and\b)?[ \t]*\d)(?!\.?\d)", re.I)


def _joined(ctx: _Ctx, a: Mention, b: Mention, labels: set[str]) -> bool:
    """Whether ``a`` and ``b`` are next to each other in a list of different measures (see ``_listed_number``)."""
    other = b if a.label in labels else a
    if a.end > b.start or other.label in labels or not _LIST_JOIN_RE.match(ctx.text[a.end : b.start]):
        return False
    labels.add(other.label)
    return True


def _listed_number(ctx: _Ctx, m: Mention) -> tuple[Found | None, Mention | None]:
    """The value of ``m`` when it is one of a list of measures that share their values, in order: "SSS/SRS/SDS :
    19 / 3 / 16", "EDV / ESV: 162 / 100 mL", "SSS, SRS and SDS were 8, 2 and 6", "Baseline HR / BP: 71 bpm / 134/78".
    Returns (value, first label of the list); a label of a slash-joined list whose values are not written that
    way gives (None, first label), and one outside a list (None, None). The labels are the numeric concepts
    themselves, next to each other with only a join between them."""
    numeric, starts = ctx._numeric, ctx._numeric_starts
    i = bisect.bisect_left(starts, m.start)
    while i < len(numeric) and numeric[i] is not m:
        i += 1
    if i == len(numeric):
        return None, None
    first = last = i
    labels = {m.label}
    while first > 0 and _joined(ctx, numeric[first - 1], numeric[first], labels):
        first -= 1
    while last + 1 < len(numeric) and _joined(ctx, numeric[last], numeric[last + 1], labels):
        last += 1
    if first == last:
        return None, None
    line_end = ctx.text.find("\n", numeric[last].end)
    pressures = tuple(numeric[j].label == "BP" for j in range(first, last + 1))
    hit = _list_values(pressures).match(ctx.text, numeric[last].end, len(ctx.text) if line_end < 0 else line_end)
    if hit is None:
        # labels joined by slashes are one compound label ("SSS/SDS 12"), whose first value is no one label's;
        # labels after a comma or "and" may each have their own value ("10.1 METs, HR went from 81 to 162")
        slashed = all("/" in ctx.text[numeric[j].end : numeric[j + 1].start] for j in range(first, last))
        return None, numeric[first] if slashed else None
    k = i - first
    at = hit.start(f"v{k}")
    f = find_bp(hit.group(f"v{k}")) if pressures[k] else find_number(hit.group(f"v{k}"), ("%", "mL", "bpm"))
    if f is None:
        return None, numeric[first]
    return Found(f.value, at + f.start, at + f.end), numeric[first]


# The rest of an arithmetic formula after its first term, up to its result: " - (5 x 2) - (4 x 1) = -5.5".
_TERM = r"\(?[ \t]*[-\u2212\u2013]?\d+(?:\.\d+)?(?:[ \t]*[x\u00d7*/][ \t]*\d+(?:\.\d+)?)*[ \t]*\)?"
_FORMULA_RESULT = re.compile(
    rf"(?:[ \t]*[-+\u2212\u2013x\u00d7*/][ \t]*{_TERM})+[ \t]*=[ \t]*(?P<v>[-\u2212\u2013]?\d+(?:\.\d+)?)(?![\d/])"
)


# A table pasted from a word processor: its cells are separated by tabs, one row a line. A line of column heads holds
# no digit outside a bracket ("Stage<TAB>Time<TAB>HR (bpm)<TAB>BP (mmHg)", "Scores<TAB>SSS<TAB>SRS<TAB>SDS"); its rows
# follow it up to a blank line, each with its cells in the heads' order (an empty first cell included).
_HEAD_CELL_DIGIT = re.compile(r"\d(?![^()]*\))")
_PEAK_ROW = re.compile(r"\b(?:peak|max|maximum|maximal)\b", re.I)


def _tab_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of the line ``text[start:end]`` split at its tabs, empty ones kept, in report offsets."""
    edges = [start - 1, *(i for i in range(start, end) if text[i] == "\t"), end]
    return [(a + 1, b) for a, b in itertools.pairwise(edges)]


def _tab_column(ctx: _Ctx, m: Mention) -> tuple[int, list[list[tuple[int, int]]]] | None:
    """Where ``m`` is a column head of a tab-separated table: (its column, the rows under the heads, each a list of
    cells); None where its line is no line of heads (a key and its value on one line: "LVEF<TAB>56%")."""
    text = ctx.text
    start = text.rfind("\n", 0, m.start) + 1
    end = _eol(text, m.end)
    if text.count("\t", start, end) < 2:
        return None
    heads = _tab_cells(text, start, end)
    if any(_HEAD_CELL_DIGIT.search(text, a, b) for a, b in heads):
        return None
    column = next((i for i, (a, b) in enumerate(heads) if a <= m.start and m.end <= b), None)
    if column is None or text[heads[column][0] : m.start].strip(" \t("):
        return None  # the label opens its cell ("HR (bpm)"), not a word inside a longer one
    rows: list[list[tuple[int, int]]] = []
    pos = end + 1
    while pos < len(text):
        line_end = _eol(text, pos)
        if not text[pos:line_end].strip() or "\t" not in text[pos:line_end]:
            break
        rows.append(_tab_cells(text, pos, line_end))
        pos = line_end + 1
    return column, rows


def _in_tab_rows(ctx: _Ctx, m: Mention) -> bool:
    """``m`` stands in a row under the heads of a tab-separated table ("Bruce 2<TAB>6:00<TAB>128"): a stage's name,
    whose row gives that stage's values, not the test's."""
    text = ctx.text
    start = text.rfind("\n", 0, m.start) + 1
    if text.count("\t", start, _eol(text, m.end)) < 2:
        return False
    top = start
    while top > 0:
        above = text.rfind("\n", 0, top - 1) + 1
        line = text[above : top - 1]
        if line.count("\t") < 2:
            break
        if not any(_HEAD_CELL_DIGIT.search(text, a, b) for a, b in _tab_cells(text, above, top - 1)):
            return True
        top = above
    return False


def _tab_cell_text(ctx: _Ctx, row: list[tuple[int, int]], column: int) -> tuple[int, int] | None:
    """The cell of ``row`` in ``column`` without its blanks, in report offsets; None where the row has no such cell."""
    if column >= len(row):
        return None
    a, b = row[column]
    cell = ctx.text[a:b]
    if not cell.strip():
        return None
    a += len(cell) - len(cell.lstrip())
    return a, a + len(cell.strip())


def _simple_number(
    ctx: _Ctx,
    labels: tuple[str, ...],
    units: tuple[str, ...] = (),
    bounds: Bounds = _ANY,
    *,
    before: bool = False,
    limit: int = 45,
    unit_required: bool = False,
    skip: Callable[[_Ctx, Mention], bool] | None = None,
) -> dict[str, Any] | None:
    for m in _ordered(_findings(ctx.get(*labels))):
        if _number_negated(ctx, m) or (skip is not None and skip(ctx, m)):
            continue
        tabled = _tab_column(ctx, m)
        if tabled is not None:
            # "Scores<TAB>SSS<TAB>SRS<TAB>SDS" over "<TAB>7<TAB>1<TAB>6": a head's value is its column's cell in the
            # one row under it (a table of several rows names their phases, which this label does not)
            column, rows = tabled
            cell = _tab_cell_text(ctx, rows[0], column) if len(rows) == 1 else None
            f = find_number(ctx.text[cell[0] : cell[1]], units) if cell is not None else None
            if cell is None or f is None or f.start != 0 or not isinstance(f.value, (int, float)):
                continue
            if f.value in bounds:
                return _value(f.value, (cell[0] + f.start, cell[0] + f.end), m.value_certainty)
            continue
        # a label of a list ("SSS/SRS/SDS") whose values are not one list reads none: the first value is not its own
        found, head = _listed_number(ctx, m)
        listed = head is not None
        if before and found is None:
            b0, b1 = ctx.window_before(m)
            chunk = ctx.text[b0:b1]
            hit = _NUMBER_BEFORE_LABEL.search(chunk)
            num = parse_number_token(hit.group(1)) if hit else None
            if hit and num is not None:
                found = Found(int(num) if num.is_integer() else num, b0 + hit.start(1), m.end)
        if found is None and not listed:
            w0, w1 = ctx.window_after(m, limit)
            chunk = ctx.text[w0:w1]
            f = find_number(chunk, units)
            if f is not None:
                tail = chunk[f.end : f.end + 2]
                if tail.startswith("/") or (unit_required and f.end == _end_without_unit(chunk, f)):
                    continue
                found = Found(f.value, w0 + f.start, w0 + f.end, f.low, f.high)
                result = _FORMULA_RESULT.match(ctx.text, found.end)
                if result is not None and f.low is None:
                    # "Duke score: 8.5 - (5 x 2) - (4 x 1) = -5.5": the first term of a formula; its result is the value
                    r = float(re.sub("[\u2212\u2013]", "-", result.group("v")))
                    found = Found(int(r) if r.is_integer() else r, result.start("v"), result.end("v"))
        if found is None and m.section == "addendum":
            found = _corrected_value(ctx, m, units)
        if found is None or not isinstance(found.value, (int, float)):
            continue
        if found.value not in bounds:
            continue
        rng = [found.low, found.high] if found.low is not None else None
        return _value(found.value, (found.start, found.end), m.value_certainty, range=rng)
    return None


def _prior_number(
    ctx: _Ctx, labels: tuple[str, ...], units: tuple[str, ...] = (), bounds: Bounds = _ANY
) -> dict[str, Any] | None:
    """A value stated only for a prior study ("Prior thallium ... reported LVEF 45%"), with certainty historical.

    Asked for only when the report states no current value of the field: the annotation convention of
    every gold set (a prior value is not given where the current study states the field). Only a value under a
    prior-study or comparison header, or in a sentence that tells an earlier study (``_Ctx._dated_priors``), is
    read: a prior value in the indication or history is the patient's history, and a "previous" elsewhere may not
    be a study at all ("ignore previous instructions ... 99%")."""
    for m in ctx.get(*labels):
        # a sentence that tells an earlier study ("Coronary calcium score from that CTCA was 412") is read too
        told = m.historical and m.start < ctx.prior_told.get(m.sent, -1) and m.section not in _NON_FINDING_SECTIONS
        if (m.section not in _HISTORICAL_SECTIONS and not told) or m.hypothetical or m.negated:
            continue
        w0, w1 = ctx.window_after(m, 45)
        f = find_number(ctx.text[w0:w1], units)
        # a told value may name its source before it ("score from that CT angiogram was 250")
        reach = 40 if told else 20
        if f is None or not isinstance(f.value, (int, float)) or f.value not in bounds or f.start > reach:
            continue
        if ctx.text[w0 + f.end : w0 + f.end + 1] == "/":
            continue
        return _value(f.value, (w0 + f.start, w0 + f.end), Certainty.HISTORICAL.value)
    return None


def _end_without_unit(chunk: str, f: Found) -> int:
    g = find_number(chunk, ())
    return g.end if g is not None else f.end


# A phase word, as a whole word even inside a vendor key ("HR_Rest_bpm"): group "rest" or "peak".
# The stress agent, or the stress itself, as the event a phase is told against ("BP after regadenoson 138/80": peak;
# "HR before the dipyridamole 64": rest).
_STRESS_EVENT = (
    r"(?:the\s+)?(?:stress|exercise|infusion|injection|bolus|test|regadenoson|lexiscan|adenosine|dipyridamole"
    r"|persantine|dobutamine|vasodilator)"
)
_PHASE_WORD = re.compile(
    r"(?<![A-Za-z])(?:(?P<rest>rest|rst|resting|baseline|pre-?stress|pre-?exercise|pre-?test|pre-?infusion|supine"
    rf"|(?:before|prior\s+to)\s+{_STRESS_EVENT})"
    # "during" the test, not during the image acquisition ("heart rate during acquisition 58 bpm", on a CT scan)
    r"|(?P<peak>peak|peaked|peaking|pk|max|maximum|maximal|stress|strs|post|post-?stress|post-?exercise|achieved|"
    r"achieving|reached|rose|climbed|"
    r"during(?![ \t]+(?:the[ \t]+)?(?:image[ \t]+)?(?:acquisition|scan|scanning|imaging|gating))|"
    rf"increased|increasing|rising|exercise|infusion|recovery|(?:after|following|with|on)\s+{_STRESS_EVENT})"
    r"|(?P<low>lowest|minimum|nadir))(?![A-Za-z])",
    re.I,
)
# A phase written right after a value ("124/76 resting", "89 at peak", "70 (rest)"), before any comma.
_TRAIL_PHASE = re.compile(
    rf"(?:[ ]?{unit_pattern('bpm', 'mmHg')})?[ ]?\(?[ ]?(?:(?:at|during|with|on|in)\s+)?(?:the\s+)?"
    r"(?:(?P<rest>rest|resting|baseline)|(?P<peak>peak|stress|max|maximum|maximal|peak\s+stress|peak\s+exercise))"
    r"(?![A-Za-z])(?!\s*(?:hr|bp|heart|blood|pressure|rate)\b)"
    # "resting heart rate 72 peak 151": a phase word right before a number is that number's label, not a trail
    r"(?![ \t]*[:=]?[ \t]*\d)"
    # "142/70 -> 128/66 mmHg (rest -> peak)": a legend of the phases in order, not the last value's phase
    r"(?!\s*(?:->|-->|→|=>|/|,|to\b|then\b|and\b)\s*(?:rest|resting|baseline|peak|stress|max)\b)",
    re.I,
)
# A word of the lowest value right before a label ("lowest blood pressure", "nadir BP").
_LOW_LABEL = re.compile(r"(?<![A-Za-z])(?:lowest|minimum|nadir)[ \t]+(?:systolic[ \t]+)?\Z", re.I)
# What may stand between two values of one label: links and phase words, no digits, no sentence end.
_VALUE_GAP = re.compile(r"[^\d.;:]{0,32}")
_FROM_WORD = re.compile(r"(?<![A-Za-z])from(?![A-Za-z])", re.I)


def _gap_phase(gap: str) -> str | None:
    """The last phase word of the text before a value, unless a "from" follows it ("rose from 64 to 92")."""
    last = None
    for hit in _PHASE_WORD.finditer(gap):
        last = hit
    if last is None or _FROM_WORD.search(gap, last.end()):
        return None
    if last.group("low"):
        return "low"  # "148/84 at baseline, lowest 130/76": the lowest value is neither rest nor peak
    return "rest" if last.group("rest") else "peak"


def _vitals(ctx: _Ctx, label: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(rest, peak) heart rate or blood pressure.

    Each value after a label gets the phase written right after it ("150/70 at peak"), else the last
    phase word between it and the previous value or the label ("rest HR 58, peak 97"; "BP during the
    infusion was 118/66"), else the label's ("Resting HR 66"); two values linked without phase words
    ("HR 72->151", "from 70 to 95", "156/94 and 148/88") are rest then peak.
    """

    def parse(chunk: str, skip: int = 0) -> Found | None:
        if label == "BP":
            return find_bp(chunk, skip)
        f = find_number(chunk, ("bpm",), allow_range=False, skip=skip)
        if f is None or not isinstance(f.value, (int, float)):
            return None
        nxt = chunk[f.end : f.end + 2].lstrip()
        if nxt.startswith(("%", "mg", "mcg", "mm")) or f.value not in PLAUSIBLE["heart_rate_bpm"]:
            return None
        if _SLASH_NUMBER.match(chunk, f.end):
            return None  # "120/80": a pressure or a fraction; "rest 74 / peak 103" is two rates
        return None if not float(f.value).is_integer() else f

    return _rest_peak(ctx, label, parse)


# The cells of a table's line: runs of words split at a tab, a bar or two blanks.
_LINE_CELL = re.compile(r"[^\s|]+(?: [^\s|]+)*")
# A column head's unit after its name ("HR (bpm)", "BP [mmHg]"), or none.
_HEAD_UNIT = re.compile(r"[ \t]*(?:[(\[][^()\[\]\n]{0,12}[)\]])?[ \t]*")
_TABLE_BP = re.compile(r"\d{2,3}[ \t]*/[ \t]*\d{2,3}")


def _vitals_table(ctx: _Ctx, st: dict[str, Any]) -> None:
    """Fill the heart rates and pressures that no labelled statement gave from a table with a column per measure
    and a row per phase ("            HR (bpm)   BP (mmHg)" over "  Rest   68   132/76" and "  Stress   94
    118/70"; ``wording.json`` vitals_table_*): a cell is the value of its row's phase and its column's measure. A
    row of a stage ("Bruce 2") names no phase and is passed over, and so is a table of an earlier study."""
    wording = load_wording()
    heads = {"HR": wording.vitals_table_hr_head, "BP": wording.vitals_table_bp_head}
    phases = {"rest": wording.vitals_table_rest_row, "peak": wording.vitals_table_peak_row}
    if any(p is None for p in (*heads.values(), *phases.values())) or "\n" not in ctx.text:
        return
    keys = {("HR", "rest"): "rest_hr_bpm", ("HR", "peak"): "peak_hr_bpm", ("BP", "rest"): "rest_bp"}
    keys[("BP", "peak")] = "peak_bp"
    if all(st[k] is not None for k in keys.values()):
        return
    text = ctx.text
    lines = [(m.start(), m.group()) for m in re.finditer(r"(?m)^[^\n]*", text)]
    for i, (start, line) in enumerate(lines):
        if any(ch.isdigit() for ch in line) or ctx.section_at(start) in _HISTORICAL_SECTIONS:
            continue
        cells = list(_LINE_CELL.finditer(line))
        if len(cells) < 2:
            continue
        columns: dict[int, str] = {}
        for j, cell in enumerate(cells):
            for name, head in heads.items():
                found = head.match(cell.group()) if head is not None else None
                if found is not None and _HEAD_UNIT.fullmatch(cell.group(), found.end()):
                    columns[j] = name
        if not columns:
            continue
        # no head over the row labels ("      HR (bpm)   BP (mmHg)"): a row's cells are one further on
        shift = 1 if 0 in columns else 0
        for row_start, row in lines[i + 1 :]:
            row_cells = list(_LINE_CELL.finditer(row))
            if not row_cells or not any(ch.isdigit() for ch in row):
                break
            label = row_cells[0].group().strip(" :")
            phase = next((ph for ph, rx in phases.items() if rx is not None and rx.fullmatch(label)), None)
            if phase is None:
                continue
            for j, name in columns.items():
                if j + shift >= len(row_cells) or st[keys[(name, phase)]] is not None:
                    continue
                cell = row_cells[j + shift]
                span = (row_start + cell.start(), row_start + cell.end())
                if name == "BP" and _TABLE_BP.fullmatch(cell.group()):
                    st[keys[(name, phase)]] = _value(re.sub(r"[ \t]", "", cell.group()), span)
                elif name == "HR" and cell.group().isdigit() and int(cell.group()) in PLAUSIBLE["heart_rate_bpm"]:
                    st[keys[(name, phase)]] = _value(int(cell.group()), span)


def _phase_column_table(ctx: _Ctx, out: dict[str, Any]) -> None:
    """Fill values from a table of the study's measures with a column per phase and a row per measure ("PARAMETER
    STRESS  REST  PRIOR(STR)" over "HR (bpm)  88  64  83"; ``wording.json`` phase_table_*, vitals_table_*): a cell
    is the value of its row's measure in the phase of the head it stands under (the nearest head by position, as a
    padded export aligns its numbers to the right). A column of no phase (an earlier study's, a reference) gives
    nothing, nor does a regional row ("LAD MBF"). Heart rates, pressures and LVEFs fill what no statement gave, as
    a vital-signs table does (``_vitals_table``); the global flows of the table win over those read elsewhere, as a
    flow table's do (``_flow_table``): a column says its phase, a sentence's reference range ("stress MBF >2.0")
    or the label read with the wrong cell does not."""
    wording = load_wording()
    phases = {"rest": wording.vitals_table_rest_row, "peak": wording.vitals_table_peak_row}
    rows = {
        "HR": wording.vitals_table_hr_head,
        "BP": wording.vitals_table_bp_head,
        "LVEF": wording.phase_table_lvef_row,
        "MBF": wording.phase_table_mbf_row,
    }
    if any(p is None for p in phases.values()) or "\n" not in ctx.text:
        return
    text = ctx.text
    st, fn, flow = out["stress_test"], out["function"], out["flow"]
    targets: dict[tuple[str, str], tuple[dict[str, Any], str, bool]] = {
        ("HR", "rest"): (st, "rest_hr_bpm", False),
        ("HR", "peak"): (st, "peak_hr_bpm", False),
        ("BP", "rest"): (st, "rest_bp", False),
        ("BP", "peak"): (st, "peak_bp", False),
        ("LVEF", "rest"): (fn, "rest_lvef_percent", False),
        ("LVEF", "peak"): (fn, "lvef_percent", False),
        ("MBF", "rest"): (flow, "rest_mbf", True),
        ("MBF", "peak"): (flow, "stress_mbf", True),
    }
    lines = [(m.start(), m.group()) for m in re.finditer(r"(?m)^[^\n]*", text)]
    for i, (start, line) in enumerate(lines):
        if any(ch.isdigit() for ch in line) or ctx.section_at(start) in _HISTORICAL_SECTIONS:
            continue
        cells = list(_LINE_CELL.finditer(line))
        heads: list[tuple[float, str | None]] = []
        for j, cell in enumerate(cells):
            phase = next((ph for ph, rx in phases.items() if rx is not None and rx.fullmatch(cell.group())), None)
            if j > 0 or phase is not None:
                heads.append(((cell.start() + cell.end()) / 2, phase))
        named = {ph for _, ph in heads}
        if "rest" not in named or "peak" not in named:
            continue
        table = (lines[i + 1][0] if i + 1 < len(lines) else len(text), len(text))
        for row_start, row in lines[i + 1 :]:
            if not row.strip():
                table = (table[0], row_start)
                break  # a blank line ends the table
            row_cells = list(_LINE_CELL.finditer(row))
            if _RULE_LINE.fullmatch(row) or len(row_cells) < 2:
                continue
            label = row_cells[0].group()
            kind = None
            for name, rx in rows.items():
                found = rx.match(label) if rx is not None else None
                if found is not None and _HEAD_UNIT.fullmatch(label, found.end()):
                    kind = name
                    break
            if kind is None:
                continue
            for cell in row_cells[1:]:
                centre = (cell.start() + cell.end()) / 2
                phase = min(heads, key=lambda h: abs(h[0] - centre))[1]
                if phase is None:
                    continue
                section, key, wins = targets[(kind, phase)]
                told = section[key]
                if told is not None and not wins and not table[0] <= told["span"][0] < table[1]:
                    continue  # a value told outside the table stands; one read from its row without its column not
                raw, span = cell.group(), (row_start + cell.start(), row_start + cell.end())
                if kind == "BP":
                    if _TABLE_BP.fullmatch(raw):
                        section[key] = _value(re.sub(r"[ \t]", "", raw), span)
                    continue
                if not re.fullmatch(r"\d{1,3}(?:\.\d+)?", raw):
                    continue
                number = float(raw)
                bounds = {"HR": PLAUSIBLE["heart_rate_bpm"], "LVEF": PLAUSIBLE["lvef_percent"]}.get(kind)
                if kind == "MBF":
                    bounds = PLAUSIBLE["rest_mbf" if phase == "rest" else "stress_mbf"]
                if bounds is None or number not in bounds:
                    continue
                section[key] = _value(number if kind == "MBF" else int(number), span)


# A cell of bare digits in a table row; a column head and the number told after it in the row's trailing text
# ("(Difference 6)", "diff = 6").
_BARE_CELL = re.compile(r"\d{1,3}")
# A bracket at the end of a row's label ("Summed score (17-seg)"), and a line of rules only ("|------|:----:|").
_BRACKET_TAIL = re.compile(r"\s*\([^()]*\)\s*$")
_RULE_LINE = re.compile(r"[\s|+:=_-]*[-=_][\s|+:=_-]*")
_NUMBER_AFTER_HEAD = re.compile(r"[ \t]*[:=]?[ \t]*(\d{1,3})(?![\d.])")


def _score_table(ctx: _Ctx, perf: dict[str, Any]) -> None:
    """Fill the summed scores that no labelled statement gave from a table of segmental scores ("Seg  Location
    Stress  Rest" over one row a segment, ``wording.json`` score_table_*): the row of sums under it ("SUMMED SCORE
    7  1") gives a cell per score column, in the heads' order (the stress column's is the SSS, the rest column's
    the SRS, a difference column's the SDS), and a difference named in the row after its cells ("(Difference 6)")
    the SDS. The segments' own scores are no field; a table of an earlier study is passed over."""
    wording = load_wording()
    sums = wording.score_table_sum_row
    heads = {
        "sss": wording.score_table_stress_head,
        "srs": wording.score_table_rest_head,
        "sds": wording.score_table_difference_head,
    }
    if sums is None or any(h is None for h in heads.values()) or "\n" not in ctx.text:
        return
    if all(perf[k] is not None for k in heads):
        return
    text = ctx.text
    lines = [(m.start(), m.group()) for m in re.finditer(r"(?m)^[^\n]*", text)]
    for i, (row_start, row) in enumerate(lines):
        cells = list(_LINE_CELL.finditer(row))
        # the sum row's label may name its segment model in brackets ("Summed score (17-seg)")
        if len(cells) < 2 or sums.fullmatch(_BRACKET_TAIL.sub("", cells[0].group()).strip(" :")) is None:
            continue
        if ctx.section_at(row_start + cells[0].start()) in _HISTORICAL_SECTIONS:
            continue
        # the head row: the nearest line above whose cells hold no digit, over rows that all hold one
        columns: list[str] = []
        for _, line in reversed(lines[:i]):
            if not line.strip() or _RULE_LINE.fullmatch(line):
                continue  # a blank line, or a ruled line under the heads ("|-----|------|")
            if any(ch.isdigit() for ch in line):
                continue
            for cell in _LINE_CELL.finditer(line):
                key = next((k for k, h in heads.items() if h is not None and h.fullmatch(cell.group())), None)
                if key is not None and key not in columns:
                    columns.append(key)
            break
        if "sss" not in columns or "srs" not in columns:
            continue
        values = []
        for cell in cells[1:]:
            if _BARE_CELL.fullmatch(cell.group()) is None:
                break
            values.append(cell)
        if len(values) != len(columns):
            continue
        found: dict[str, tuple[int, int, int]] = {}
        for key, cell in zip(columns, values, strict=True):
            found[key] = (int(cell.group()), row_start + cell.start(), row_start + cell.end())
        difference = heads["sds"]
        if "sds" not in found and difference is not None:
            named = difference.search(row, values[-1].end())
            after = _NUMBER_AFTER_HEAD.match(row, named.end()) if named is not None else None
            if after is not None:
                found["sds"] = (int(after.group(1)), row_start + after.start(1), row_start + after.end(1))
        for key, (value, start, end) in found.items():
            if perf[key] is None and value in PLAUSIBLE[key]:
                perf[key] = _value(value, (start, end))
        return


# A slash and a number right after a value ("120/80", "3 / 4").
_SLASH_NUMBER = re.compile(r"\s?/\s*\d")


# How far after a label its phased values are read: numbers in digits, and numbers spelled out in words.
_PHASED_WINDOW = 90
_PHASED_WINDOW_WORDS = 140
_SPELLED = re.compile(r"\b(?:hundred|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b", re.I)


def _rest_peak(
    ctx: _Ctx,
    label: str,
    parse: Callable[[str, int], Found | None],
    phased: Mapping[str, str] | None = None,
    skip: Callable[[_Ctx, Mention], bool] | None = None,
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(rest, peak) values after the mentions of ``label``, each value with its phase (see ``_vitals``).

    ``phased`` names labels of one phase ({"REST_MBF": "rest"}) whose mentions are read too: their first value is
    of that phase, and a value after it of the other phase shares the label ("global rest MBF 0.94, stress 2.11").
    """
    rest: dict[str, Any] | None = None
    peak: dict[str, Any] | None = None
    phased = phased or {}
    # a rhythm's rate ("Resting ECG: sinus rhythm 78 bpm") only where no label of the rate gives it
    mentions = sorted(
        _ordered(_findings(ctx.get(label, *phased))),
        key=lambda m: _RHYTHM.fullmatch(ctx.text, m.start, m.end) is not None,
    )
    for m in mentions:
        if _number_negated(ctx, m) or (skip is not None and skip(ctx, m)):
            continue
        tabled = _tab_column(ctx, m)
        if tabled is not None:
            # a stage table's column ("Stage<TAB>HR (bpm)<TAB>BP (mmHg)"): the row named rest gives the rest value, a
            # row that says peak (or maximum) the peak one; a stage or recovery row gives neither
            column, rows = tabled
            for row in rows:
                cell = _tab_cell_text(ctx, row, column)
                if cell is None:
                    continue
                if _REST_WORDS.search(ctx.text, *row[0]):
                    row_phase = "rest"
                elif any(_PEAK_ROW.search(ctx.text, a, b) for a, b in row):
                    row_phase = "peak"
                else:
                    continue
                f = parse(ctx.text[cell[0] : cell[1]], 0)
                if f is None or f.start != 0:
                    continue
                val = _value(f.value, (cell[0] + f.start, cell[0] + f.end), m.value_certainty)
                if row_phase == "rest" and rest is None:
                    rest = val
                elif row_phase == "peak" and peak is None:
                    peak = val
            continue
        # "HR_Rest / HR_Peak: 77 / 104": a phase-pair key whose label is written again is no list of labels, and its
        # values lie after the label's second writing, up to the end of the line
        pair_key = _PHASE_PAIR_KEY.match(ctx.text, m.end)
        listed, head = (None, None) if pair_key else _listed_number(ctx, m)
        if head is not None:
            # "Baseline HR / BP: 71 bpm / 134/78 mmHg": the list's phase is written before its first label
            if listed is not None:
                list_phase = _label_only_phase(ctx, head) or _phase_before(ctx, head)
                val = _value(listed.value, (listed.start, listed.end), m.value_certainty)
                if list_phase == "rest" and rest is None:
                    rest = val
                elif list_phase == "peak" and peak is None:
                    peak = val
            continue
        w0, w1 = ctx.window_after(m, _PHASED_WINDOW)
        if pair_key is not None or _LABEL_AGAIN_AFTER.match(ctx.text, m.end) is not None:
            line_end = ctx.text.find("\n", m.end)
            w1 = max(w1, min(len(ctx.text) if line_end < 0 else line_end, m.end + _PHASED_WINDOW))
        chunk = ctx.text[w0:w1]
        if _SPELLED.search(chunk):  # "from one hundred thirty-eight over eighty-four at rest to one hundred ..."
            w0, w1 = ctx.window_after(m, _PHASED_WINDOW_WORDS)
            chunk = ctx.text[w0:w1]
        paired = _paired_key_values(chunk, parse)
        if paired is None:
            before = _pair_before_label(ctx, m)
            paired = _paired_key_values(chunk, parse, before) if before is not None else None
        if paired is not None:
            for found, key_phase in paired:
                if key_phase == "rest" and rest is None:
                    rest = _value(found.value, (w0 + found.start, w0 + found.end), m.value_certainty)
                elif key_phase == "peak" and peak is None:
                    peak = _value(found.value, (w0 + found.start, w0 + found.end), m.value_certainty)
            if rest is not None and peak is not None:
                break
            continue
        values: list[tuple[Found, str | None]] = []
        pos = 0
        while len(values) < 4:
            f = parse(chunk, pos)
            if f is None:
                break
            gap = chunk[pos : f.start]
            if values and not _VALUE_GAP.fullmatch(gap):
                break
            if not values and f.start > 30:
                break
            # read on the whole text: the window ends at the next label, whose phase word ("78 peak heart rate 150")
            # must be seen as that label's, not this value's
            trail = _TRAIL_PHASE.match(ctx.text, w0 + f.end)
            if trail:
                phase: str | None = "rest" if trail.group("rest") else "peak"
                pos = trail.end() - w0
            else:
                phase = _gap_phase(gap)
                if not values and _LOW_LABEL.search(ctx.text, max(0, m.start - 20), m.start):
                    phase = "low"  # "lowest blood pressure during infusion 124/70": neither rest nor peak
                pos = f.end
            values.append((f, phase))
        if not values:
            continue
        if values[0][1] is None and m.label in phased:
            values[0] = (values[0][0], phased[m.label])
        if values[0][1] is None:
            label_phase = _phase_before(ctx, m) if len(values) == 1 else _label_only_phase(ctx, m)
            if label_phase is None and len(values) == 1:
                label_phase = _rhythm_phase(ctx, m)
            values[0] = (values[0][0], label_phase or ("rest" if len(values) > 1 else None))
        for i in range(1, len(values)):
            if values[i][1] is None:
                values[i] = (values[i][0], "peak" if values[i - 1][1] == "rest" else None)
        for f, phase in values:
            val = _value(f.value, (w0 + f.start, w0 + f.end), m.value_certainty)
            if phase == "rest" and rest is None:
                rest = val
            elif phase == "peak" and peak is None:
                peak = val
        if rest is not None and peak is not None:
            break
    return rest, peak


# A key that names two phases joined by a slash, then its separator: "HR.Rst/Pk : 66 / 162",
# "HR rest/peak: 64/92", "BP (rest / stress) = 124/78 / 172/80", "BP_Rest / BP_Peak: 120/80 / 150/82". The values,
# joined by a slash, go to the phases in the key's order.
# The phases may also be joined as a sequence ("HR rest -> peak   64 -> 88 bpm", "Heart rate (rest to peak): 58 to
# 131"), and a table's gap of blanks before a number may stand for the separator.
_PHASE_PAIR_KEY = re.compile(
    r"[\s._(]*(?P<a>rest|rst|resting|baseline|peak|pk|max|stress|strs)[ \t]*(?:/|-->|->|→|=>|[ \t]to[ \t])[ \t]*"
    r"(?:[A-Za-z]{2,5}[_. ])?"  # the label written again before the second phase: "HR_Rest / HR_Peak: 77 / 104"
    r"(?P<b>rest|rst|resting|baseline|peak|pk|max|stress|strs)[ \t)]*(?:\(?[a-z]{2,5}\)?)?"
    r"(?:[ \t]*[:=][ \t]*|[ \t]{2,}(?=\d)|\t[ \t]*(?=\d))",
    re.I,
)
_SLASH_JOIN = re.compile(r"[ \t]*/[ \t]*")
# Two values written as a sequence ("64 -> 88 bpm", "128/76 -> 134/70", "58 to 131"): the join, tried before a slash.
_SEQUENCE_JOIN = re.compile(r"[ \t]*(?:-->|->|→|=>)[ \t]*|[ \t]+to[ \t]+")
_REST_KEY_WORDS = {"rest", "rst", "resting", "baseline"}


# The same pair written before the label ("Rest/peak HR: 66 / 149", "Baseline / max BP = 128/80 / 166/84"): the pair
# at the end of the text before the label, and the separator right after the label.
_PHASE_PAIR_BEFORE = re.compile(
    r"(?<![A-Za-z])(?P<a>rest|rst|resting|baseline|peak|pk|max|stress|strs)[ \t]*/[ \t]*"
    r"(?P<b>rest|rst|resting|baseline|peak|pk|max|stress|strs)[ \t]+$",
    re.I,
)
_KEY_SEPARATOR_AFTER = re.compile(r"[ \t]*(?:\(?[a-z]{2,5}\)?)?[ \t]*[:=][ \t]*", re.I)
# The pair written as two keys, each phase before the label ("Rest HR / peak HR (bpm): 76 / 136", a table's row
# "Rest BP / peak BP    134/82 / 168/78"): one phase word right before the label, and after it the second phase with
# the label again, then the separator or a table's gap of blanks.
_ONE_PHASE_BEFORE = re.compile(r"(?<![A-Za-z])(?P<a>rest|rst|resting|baseline|peak|pk|max|stress|strs)[ \t]+$", re.I)
_LABEL_AGAIN_AFTER = re.compile(
    r"[ \t]*/[ \t]*(?P<b>rest|rst|resting|baseline|peak|pk|max|stress|strs)[ \t]+[A-Za-z]{2,5}"
    r"(?:[ \t]*\([a-z]{2,5}\))?(?:[ \t]*[:=][ \t]*|[ \t]{2,}|\t[ \t]*)(?=[\d])",
    re.I,
)


def _pair_before_label(ctx: _Ctx, m: Mention) -> tuple[str, str] | None:
    """The phase pair written before a label that its separator follows ("Rest/peak HR:"), else None."""
    line_start = ctx.text.rfind("\n", 0, m.start) + 1
    again = _LABEL_AGAIN_AFTER.match(ctx.text, m.end)
    if again is not None:
        one = _ONE_PHASE_BEFORE.search(ctx.text, line_start, m.start)
        return None if one is None else (one.group("a"), again.group("b"))
    pair = _PHASE_PAIR_BEFORE.search(ctx.text, line_start, m.start)
    if pair is None or _KEY_SEPARATOR_AFTER.match(ctx.text, m.end) is None:
        return None
    return pair.group("a"), pair.group("b")


def _paired_key_values(
    chunk: str, parse: Callable[[str, int], Found | None], before: tuple[str, str] | None = None
) -> list[tuple[Found, str]] | None:
    """The two values of a phase-pair key (``_PHASE_PAIR_KEY``, or the pair ``before`` the label with the separator
    opening ``chunk``), with their phases; None for another chunk."""
    key = (
        _PHASE_PAIR_KEY.match(chunk)
        if before is None
        else _LABEL_AGAIN_AFTER.match(chunk) or _KEY_SEPARATOR_AFTER.match(chunk)
    )
    if key is None:
        return None
    words = [key.group(g) for g in ("a", "b")] if before is None else list(before)
    phases = ["rest" if w.lower() in _REST_KEY_WORDS else "peak" for w in words]
    if phases[0] == phases[1]:
        return None
    # each value alone: "66 / 162" is two rates here, not one fraction
    line_end = chunk.find("\n", key.end())
    sequence = _SEQUENCE_JOIN.search(chunk, key.end(), len(chunk) if line_end < 0 else line_end)
    first_end = sequence or _SLASH_JOIN.search(chunk, key.end())
    if first_end is None:
        return None
    head = chunk[: first_end.start()] if parse(chunk[: first_end.start()], key.end()) is not None else None
    if head is None:
        # a pressure holds its own slash ("124/78 / 172/80"): the join is the next slash with spaces
        join = re.compile(r"[ \t]+/[ \t]*|[ \t]*/[ \t]+").search(chunk, key.end())
        if join is None:
            return None
        head = chunk[: join.start()]
        first_end = join
    a = parse(head, key.end())
    b = parse(chunk, first_end.end())
    if a is None or b is None or b.start != first_end.end():
        return None
    return [(a, phases[0]), (b, phases[1])]


def _parse_flow(chunk: str, skip: int = 0) -> Found | None:
    f = find_number(chunk, _FLOW, allow_range=False, skip=skip)
    if f is None or f.value not in PLAUSIBLE["stress_mbf"] or f.value not in PLAUSIBLE["rest_mbf"]:
        return None
    return f


_RHYTHM = re.compile(r"(?:normal\s+)?sinus\s+(?:rhythm|bradycardia|tachycardia)", re.I)


def _rhythm_phase(ctx: _Ctx, m: Mention) -> str | None:
    """The phase of a rhythm's rate: rest where its line says so ("Baseline ECG: sinus rhythm 68 bpm")."""
    if not _RHYTHM.fullmatch(ctx.text, m.start, m.end):
        return None
    line = ctx.text[ctx.text.rfind("\n", 0, m.start) + 1 : m.start]
    return "rest" if _REST_WORDS.search(line) and not _PEAK_WORDS.search(line) else None


def _label_only_phase(ctx: _Ctx, m: Mention) -> str | None:
    """The phase word right before a label ("Resting HR", "peak heart rate"), none further back."""
    before = ctx.text[max(ctx.sent_bounds[m.sent][0], m.start - 14) : m.start]
    hit = re.search(r"(?<![A-Za-z])(rest|resting|baseline|peak|max|maximum|maximal|stress)\s*$", before, re.I)
    if hit is None:
        return None
    return "rest" if hit.group(1).lower() in ("rest", "resting", "baseline") else "peak"


# A parenthesis that holds only the unit of the value ("LVEF (%)", "EF (in %)").
_UNIT_PAREN = re.compile(r"\(\s*(?:in\s+)?%\s*\)")


# A rest phase written right after a label, as a vendor key writes it ("EDV_Rest", "ESV (rest)").
_REST_AFTER_LABEL = re.compile(r"[_.\s]*\(?\s*(?:rest|resting|rst)\b", re.I)


def _rest_labelled(ctx: _Ctx, m: Mention) -> bool:
    """The label names the rest phase ("Rest EDV", "EDV_Rest"), not the stress one."""
    return _label_only_phase(ctx, m) == "rest" or _REST_AFTER_LABEL.match(ctx.text, m.end) is not None


# Words of this study's own imaging in a sentence: a sentence with one of them speaks of the study, whatever other
# test it names too ("gated SPECT LVEF 55%, as on the echocardiogram").
_OWN_IMAGING = re.compile(r"\b(?:gated|spect|pet|perfusion|nuclear|post[- ]?stress|scan|scintigra\w*|mpi)\b", re.I)


def _of_another_imaging_test(ctx: _Ctx, m: Mention) -> bool:
    """The mention is in a sentence that names another imaging test before it (``wording.json`` other_test_nouns)
    and no word of this study's imaging."""
    rx = load_wording().other_test_noun
    s0, s1 = ctx.sent_bounds[m.sent]
    if rx is None or rx.search(ctx.text, s0, m.start) is None:
        return False
    return _OWN_IMAGING.search(ctx.text, s0, s1) is None


def _lvef(ctx: _Ctx) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(main LVEF: post-stress unless only rest is given, rest LVEF)."""
    main: dict[str, Any] | None = None
    rest: dict[str, Any] | None = None
    rest_from_label: dict[str, Any] | None = None
    # a sentence that gives another test's fraction ("her echocardiogram showed an ejection fraction of 55%") comes
    # after every other: the study's own fraction stands before it however late the report writes it
    mentions = sorted(_ordered(_findings(ctx.get("LVEF"))), key=lambda m: _of_another_imaging_test(ctx, m))
    for m in mentions:
        if _number_negated(ctx, m):
            continue
        w0, w1 = ctx.window_after(m, 60)
        after = _PHASE_CLAUSE_AFTER.match(ctx.text, w1) if ctx.text[w1 - 1 : w1] == ";" else None
        if after is not None:
            w1 = after.end()  # "LVEF 52% after stress; at rest 54%": the clause after the semicolon names its phase
        chunk = ctx.text[w0:w1]
        aside = (
            _ASIDE_THEN_PHASE_VALUE.match(ctx.text, w0 + len(chunk.rstrip()) - 1)
            if chunk.rstrip()[-1:] == "("
            else None
        )
        if aside is not None:
            # "LVEF 52 % after stress (EDV 96 ml, ESV 46 ml), 58 % at rest": the window ends at the volumes' label in
            # an aside; the fraction of the other phase after it is the label's own (the aside reads as blank space)
            w1 = aside.end()
            chunk = (
                ctx.text[w0 : aside.start()]
                + " " * (aside.end("aside") - aside.start())
                + ctx.text[aside.end("aside") : w1]
            )
        paired = _lvef_phase_pair(ctx, m, chunk)
        if paired is None:
            celled = _column_phases(ctx, m)
            paired = [(ph, (a - w0, b - w0)) for ph, (a, b) in celled] if celled else None
        if paired is not None:
            for pair_phase, (a, b) in paired:
                value = float(ctx.text[w0 + a : w0 + b].rstrip("% \t").replace(",", "."))
                if value not in PLAUSIBLE["lvef_percent"]:
                    continue
                val = _value(int(value) if value.is_integer() else value, (w0 + a, w0 + b), m.value_certainty)
                if pair_phase == "rest" and rest is None:
                    rest = val
                elif pair_phase == "peak" and main is None:
                    main = val
            if main is not None and rest is not None:
                break
            continue
        label_phase = _label_phase(ctx, m)
        pos = 0
        values: list[tuple[Found, str | None]] = []
        for _ in range(3):
            f = find_number(chunk, _PCT, skip=pos)
            if f is None or not isinstance(f.value, (int, float)):
                break
            gap = chunk[pos : f.start]
            if values and not _LVEF_GAP.fullmatch(gap):
                break
            # a parenthesis before the first value is an aside ("EF (by echo 45%)"), unless it names a phase
            # ("Stress LVEF (%) | 41": a parenthesis that names the unit of a table's column is no aside)
            bare = _METHOD_TAG_PAREN.sub("", _UNIT_PAREN.sub("", gap))
            bracketed = "(" in bare and ")" in bare and not _PHASE_ONLY_PAREN.search(gap)
            if not values and (f.start > 35 or bracketed):
                break
            if chunk[f.end : f.end + 1] == "/":
                break
            # the phase written after the value, else one written before it ("LVEF rest 52%, stress 57%")
            # read past the window, which ends at the next label: "67% (rest LVEF 64%)" names the next one's phase
            values.append((f, _phase_after(ctx.text[w0 + f.end : w1 + 24]) or _gap_phase(gap)))
            trail = re.match(
                r"\s*(?:\(?\s*(?:at rest|at baseline|at peak(?: stress)?|post[- ]?stress|at stress|"
                r"during stress|with stress|on stress|(?:after|following) (?:the )?(?:stress|exercise)|"
                r"rest|stress)\)?)?",
                chunk[f.end :],
                re.I,
            )
            # "47% (rest 52%)": the bracket's phase is the next value's
            pos = f.end + (trail.end() if trail and not _PAREN_PHASE_VALUE.match(chunk, f.end) else 0)
        if not values and m.section == "addendum":
            corrected = _corrected_value(ctx, m)
            if corrected is not None:
                w0, chunk, values = 0, ctx.text, [(corrected, None)]
        if not values:
            continue
        from_to = bool(_FROM.search(chunk[: values[0][0].start])) and len(values) >= 2
        for idx, (f, phase) in enumerate(values):
            if f.value not in PLAUSIBLE["lvef_percent"]:
                continue
            if from_to and idx == 0:
                continue  # "from 45% to 57%": the first is the prior value
            if _dated_elsewhere(ctx, chunk, f.end):
                continue  # "Baseline LVEF was 64% on 01/09/2025": a prior study's value
            rng = [f.low, f.high] if f.low is not None else None
            val = _value(f.value, (w0 + f.start, w0 + f.end), m.value_certainty, range=rng)
            ph = phase or (label_phase if len(values) == 1 or idx == 0 else None)
            if ph == "rest":
                if rest is None:
                    rest = val
            elif main is None:
                main = val
        if main is not None and rest is not None:
            break
        if rest_from_label is None and rest is not None:
            rest_from_label = rest
    if main is None and rest is not None:
        main = dict(rest)
    return main, rest


# A clause after a semicolon that is only a phase and an ejection fraction ("; at rest 54,0 %", "; rest 49%").
_PHASE_CLAUSE_AFTER = re.compile(
    r"[ \t]*(?:and[ \t]+)?(?:(?:at|on|with|after|post)[ \t]+)?"
    r"(?:rest|resting|stress|post-?stress|peak(?:[ \t]+stress)?)[ \t]*[:=]?[ \t]*\d{1,2}(?:[.,]\d+)?[ \t]*%",
    re.I,
)


# An aside in brackets after an ejection fraction, then a comma or semicolon and the fraction of another phase, its
# phase before or after it ("(EDV 96 ml, ESV 46 ml), 58 % at rest", "(TID 1.02); rest 54%"). Group "aside" is the
# bracket.
_ASIDE_THEN_PHASE_VALUE = re.compile(
    r"(?P<aside>\([^()\n]*\))[ \t]*[,;][ \t]*(?:and[ \t]+)?(?:"
    r"(?:(?:at|on|with|after|post)[ \t]+)?(?:rest|resting|stress|post-?stress|peak(?:[ \t]+stress)?)[ \t]*[:=]?[ \t]*"
    r"\d{1,2}(?:[.,]\d+)?[ \t]*%"
    r"|\d{1,2}(?:[.,]\d+)?[ \t]*%[ \t]*(?:(?:at|on|with|after|during)[ \t]+)?"
    r"(?:rest|resting|post-?stress|stress|peak)\b)",
    re.I,
)


# Two ejection fractions joined by a slash with their phases joined the same way, before the values ("LVEF
# rest/stress 61/66%", "EF (stress / rest): 58 / 52 %") or after them ("EF 61/66% rest/stress"): the values go
# to the phases in order. A single fraction written with a slash ("EF 55/100") has no phase pair.
_EF_PHASE = r"rest|resting|baseline|stress|post[- ]?stress|peak|gated"
_EF_PAIR_VALUES = r"(?P<va>\d{1,2}(?:\.\d)?)(?:[ \t]*%)?[ \t]*/[ \t]*(?P<vb>\d{1,2}(?:\.\d)?(?:[ \t]*%)?)(?![\d/])"
_EF_PAIR_FIRST = re.compile(
    rf"[ \t._(]*(?:at[ \t]+)?(?P<a>{_EF_PHASE})[ \t]*/[ \t]*(?P<b>{_EF_PHASE})[ \t)]*(?:[:=]|\b(?:was|is|of)\b)?[ \t]*"
    + _EF_PAIR_VALUES,
    re.I,
)
_EF_PAIR_AFTER = re.compile(
    rf"[ \t]*(?:[:=]|\b(?:was|is|of)\b)?[ \t]*{_EF_PAIR_VALUES}[ \t]*\(?[ \t]*(?:at[ \t]+)?"
    rf"(?P<a>{_EF_PHASE})[ \t]*/[ \t]*(?P<b>{_EF_PHASE})\b",
    re.I,
)

# The second phase and its value both in brackets ("LVEF stress (rest)    62% (64%)", "EF post-stress (rest): 55%
# (60%)"): the bracketed value is the bracketed phase's.
_EF_PAIR_BRACKETED = re.compile(
    rf"[ \t]*(?P<a>{_EF_PHASE})[ \t]*\([ \t]*(?P<b>{_EF_PHASE})[ \t]*\)[ \t]*(?:[:=][ \t]*)?"
    r"(?P<va>\d{1,2}(?:\.\d)?)(?:[ \t]*%)?[ \t]*\([ \t]*(?P<vb>\d{1,2}(?:\.\d)?(?:[ \t]*%)?)[ \t]*\)",
    re.I,
)


def _lvef_phase_pair(ctx: _Ctx, m: Mention, chunk: str) -> list[tuple[str, tuple[int, int]]] | None:
    """The two values of an LVEF written as a phase pair (``_EF_PAIR_FIRST``, ``_EF_PAIR_AFTER``, or the pair
    before the label: "Rest/stress LVEF: 61/66%"), each with its phase and its span in ``chunk``."""
    pair = _EF_PAIR_FIRST.match(chunk) or _EF_PAIR_AFTER.match(chunk) or _EF_PAIR_BRACKETED.match(chunk)
    if pair is not None:
        words = (pair.group("a"), pair.group("b"))
    else:
        before = _pair_before_label(ctx, m)
        pair = re.compile(rf"[ \t]*(?:[:=][ \t]*)?{_EF_PAIR_VALUES}").match(chunk) if before is not None else None
        if pair is None or before is None:
            return None
        words = before
    phases = ["rest" if _REST_WORDS.fullmatch(w) else "peak" for w in words]
    if phases[0] == phases[1]:
        return None
    return [(phases[0], pair.span("va")), (phases[1], pair.span("vb"))]


# A ruled table's line (bars and dashes, colons of alignment: "|---|:--:|") and a number alone in its cell.
_RULE_LINE = re.compile(r"[|+:\- \t]*-[|+:\- \t]*")
_CELL_NUMBER = re.compile(r"\d+(?:[.,]\d+)?(?=[ \t]*%?[ \t]*\Z)")


def _bar_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of a line of a table ruled with bars, as character ranges; the outer bars ("| a | b |") open and
    close the row, not an empty cell."""
    edges = [start - 1, *(i for i in range(start, end) if text[i] == "|"), end]
    spans = [(a + 1, b) for a, b in itertools.pairwise(edges)]
    if len(spans) > 1 and not text[spans[0][0] : spans[0][1]].strip():
        spans = spans[1:]
    if len(spans) > 1 and not text[spans[-1][0] : spans[-1][1]].strip():
        spans = spans[:-1]
    return spans


def _column_phases(ctx: _Ctx, m: Mention) -> list[tuple[str, tuple[int, int]]]:
    """The numbers of the row of a table ruled with bars whose first cell is the label ("| LVEF (%) | 52 | 57 |"),
    each with the phase the head of its column names ("| Measure | Rest | Stress |": the top line of the table),
    in report offsets; none where the label is not in such a row or a column's head names no single phase."""
    text = ctx.text
    start = text.rfind("\n", 0, m.start) + 1
    end = text.find("\n", m.end)
    end = len(text) if end < 0 else end
    if text[start:end].count("|") < 2:
        return []
    head: tuple[int, int] | None = None
    top = start
    while top > 0:
        above = text.rfind("\n", 0, top - 1) + 1
        line = text[above : top - 1]
        if line.count("|") < 2:
            break
        if not _RULE_LINE.fullmatch(line):
            head = (above, top - 1)
        top = above
    if head is None:
        return []
    row, heads = _bar_cells(text, start, end), _bar_cells(text, *head)
    if len(row) != len(heads) or not (row[0][0] <= m.start < row[0][1]):
        return []
    out: list[tuple[str, tuple[int, int]]] = []
    for (h0, h1), (c0, c1) in zip(heads[1:], row[1:], strict=True):
        words = text[h0:h1]
        phases = {"rest" for _ in _REST_WORDS.finditer(words)} | {"peak" for _ in _PEAK_WORDS.finditer(words)}
        cell = text[c0:c1].strip()
        number = _CELL_NUMBER.match(cell)
        if len(phases) != 1 or number is None:
            continue
        at = c0 + text[c0:c1].index(cell)
        out.append((phases.pop(), (at + number.start(), at + number.end())))
    return out


# An addendum's correction of a value named earlier in its sentence: "the LVEF above was transcribed
# incorrectly; the correct value is 53%", "EF should read 62%".
_CORRECTION = re.compile(
    r"\b(?:correct(?:ed)?\s+(?:value|figure|number|result)?|should\s+(?:read|be|have\s+been)|amended\s+to|"
    r"corrected\s+to)\b[^.;\d]{0,20}",
    re.I,
)


_STATEMENT_END = re.compile(r"\.(?:\s|$)|\n")


# How far into the next statement its correction cue may stand ("The correct value is 1.02").
_NEXT_STATEMENT_LEAD = 16


def _corrected_value(ctx: _Ctx, m: Mention, units: tuple[str, ...] = _PCT) -> Found | None:
    """The value after a correction cue in the rest of an addendum label's statement (its clauses up to a full
    stop or the end of its line: "...; the correct value is 53%"), or at the start of the next statement ("TID
    ratio was transcribed incorrectly above. The correct value is 1.02."), in report offsets."""
    start = m.end
    for lead in (len(ctx.text), _NEXT_STATEMENT_LEAD):
        stop = _STATEMENT_END.search(ctx.text, start, min(len(ctx.text), start + 160))
        end = stop.start() if stop else min(len(ctx.text), start + 160)
        cue = _CORRECTION.search(ctx.text, start, end)
        if cue is not None and cue.start() - start <= lead:
            f = find_number(ctx.text[cue.end() : end], units)
            if f is None or f.start > 4:
                return None
            return Found(f.value, cue.end() + f.start, cue.end() + f.end, f.low, f.high)
        if stop is None:
            return None
        start = stop.end()
    return None


# A date right after a value ("64% on 01/09/2025", "58% (March 2024)").
_DATED_AFTER = re.compile(r"\s*(?:on|in|from|dated|\()\s*(?=\d|[A-Z][a-z]{2})")


def _dated_elsewhere(ctx: _Ctx, chunk: str, end: int) -> bool:
    """The value that ends at ``end`` of ``chunk`` is dated right after it, to another day than the study."""
    after = _DATED_AFTER.match(chunk, end)
    if after is None:
        return False
    found = find_date(chunk[after.end() : after.end() + 30])
    if found is None or found.start != 0:
        return False
    study = _date(ctx)
    return study is None or study["value"] != found.value


# "LVEF (post stress) = 49 %": a parenthesis that only names the phase.
# Two phase words may stand together ("(post-stress gated)", "(gated, stress)"); a slash is a phase pair instead.
_EF_PAREN_PHASE = r"(?:rest|resting|stress|peak|post[- ]?stress|gated)"
_PHASE_ONLY_PAREN = re.compile(rf"\(\s*(?:at\s+)?{_EF_PAREN_PHASE}(?:[\s,]+{_EF_PAREN_PHASE})?\s*\)", re.I)
# What may stand between two LVEF values: a link, and the phase of the next one ("52%, stress 57%"); the link
# may be a verb of change before "to" ("48% at rest, increasing to 55% after stress", "57% at rest and rose to 61%
# at peak"); the other value may stand in brackets ("54% (61% at rest)").
_LVEF_GAP = re.compile(
    r"\s*\(?\s*(?:,|and|;|(?:,?\s*(?:and\s+)?(?:ris|rose|increas|climb|improv|fall|fell|dropp|decreas|declin)\w*\s+)?to|/|->|→)?\s*(?:and)?\s*(?:(?:at\s+|with\s+|on\s+)?(?:rest|resting|stress|peak|post-?stress)\s*[:=]?\s*)?",
    re.I,
)


_PAREN_ASIDE = re.compile(r"\([^()\n]{0,12}\)")
# A parenthesis that names only the view or the method of the measurement, in capitals ("LVEF (LAO): 49%",
# "EF (QGS) 58%"), not another test ("EF (TTE) 55%", "EF (ECHO)"): no aside that holds another value.
# A parenthesis of method words says the same ("LVEF (biplane Simpson) 38%", "EF (modified Simpson's, 3D) 41%").
_METHOD_TAG_PAREN = re.compile(
    r"\(\s*(?!(?:TTE|TEE|ECHO|MRI|CMR|CT|CATH|LHC)\s*\))[A-Z][A-Z0-9]{1,5}\s*\)"
    r"|\((?:[ \t,]*(?i:biplane|bi-plane|single[- ]plane|simpson(?:'?s)?|modified|method|teichholz|2d|3d|automated|"
    r"auto|quantitative|calculated))+[ \t]*\)"
)


# The edges of a word, also inside a vendor key whose words are joined by underscores or capitals
# ("QGS_StressEFPct", "EF_Rest"): to be compiled case-insensitively, the capital stays a capital.
_KEY_WORD_START = r"(?:(?<![^\W_])|(?-i:(?<=[a-z])(?=[A-Z])))"
_KEY_WORD_END = r"(?:(?![^\W_])|(?-i:(?<=[a-z])(?=[A-Z])))"


def _label_phase(ctx: _Ctx, m: Mention) -> str | None:
    start = max(ctx.sent_bounds[m.sent][0], m.start - 18)
    before = ctx.text[start : m.start]
    # an aside in brackets between the phase and the label ("rest (day 2) LVEF", "stress (CZT) EF") is skipped:
    # its digits end no earlier value
    before = _PAREN_ASIDE.sub(" ", before)
    before = re.split(r"\d", before)[-1]
    best: tuple[int, str] | None = None
    for rx, phase in (
        (re.compile(rf"{_KEY_WORD_START}(rest|resting|baseline){_KEY_WORD_END}", re.I), "rest"),
        (re.compile(rf"{_KEY_WORD_START}(stress|post|peak|exercise){_KEY_WORD_END}", re.I), "peak"),
    ):
        for hit in rx.finditer(before):
            if best is None or hit.start() > best[0]:
                best = (hit.start(), phase)
    return best[1] if best else None


# A vendor key whose suffix is the unit, then its value: "ExTime_min = 4.0", "Exercise_Duration_min: 7.5".
# How far a duration that starts in the window after its label may run past that window.
_DURATION_TAIL = 40
_MINUTES_KEY = re.compile(r"[_.\s]?(?:min|mins|minutes)\s*[=:]\s*(?P<n>\d{1,2}(?:\.\d+)?)(?![\d:.])", re.I)
# A duration's label that ends with its unit ("ex min", "exercise minutes"), and the number its key gives.
_MINUTES_LABEL = re.compile(r"(?<![a-z])(?:min|mins|minutes)$", re.I)
_KEYED_NUMBER = re.compile(r"\s*[=:]\s*(?P<n>\d{1,2}(?:\.\d+)?)(?![\d:.])")


# A label that a semicolon closes at once, in a run of semicolon facts ("Bruce; 7:30 min; 8.9 METs").
_CLAUSE_CLOSED = re.compile(r"[ \t]*;")
# ... and that opens its clause, after its key at most ("Stress: Bruce;"), not the end of a sentence of prose
# ("injected at peak exercise; stress SPECT at 10 minutes").
_CLAUSE_OPENED = re.compile(r"[ \t]*(?:[A-Za-z][\w ./-]{0,30}:[ \t]*)?(?:modified[ \t]+|standard[ \t]+)?")


# A bare duration label ("duration", "total time") named after what else lasted: an infusion, an injection, the images.
_BARE_DURATION = re.compile(r"(?:total[ \t]+)?(?:duration|time)", re.I)
_OTHER_DURATION_BEFORE = re.compile(
    r"\b(?:infusion|infused|injection|acquisition|imaging|scan|recovery|procedure|fluoroscopy|adenosine|regadenoson|"
    r"dipyridamole|dobutamine)[ \t_.]*\Z",
    re.I,
)


# A date right before a clock time ("01/22/2026 08:05", "2026-01-22 08:05").
_DATE_BEFORE_CLOCK = re.compile(r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2})[ \t,]*(?:at[ \t]+)?\Z")


def _duration(ctx: _Ctx) -> dict[str, Any] | None:
    for m in _ordered(_findings(ctx.get("DURATION", "EXERCISE"))):
        if _number_negated(ctx, m) or _tab_column(ctx, m) is not None or _in_tab_rows(ctx, m):
            continue  # a stage table's "Time" column and its "Bruce 2" row hold a stage's time, not the test's
        if _OTHER_DURATION_BEFORE.search(ctx.text, max(0, m.start - 30), m.start) and _BARE_DURATION.fullmatch(
            ctx.text, m.start, m.end
        ):
            continue  # "Adenosine infusion duration = 6 min", "Acquisition time: 12 min": no exercise's time
        # a duration must start within 40 characters of its label, and may run past the 70 read for it
        # ("... exercised for seven minutes and fifteen seconds")
        end = ctx.label_sentence_end(m)
        if (
            _CLAUSE_CLOSED.match(ctx.text, m.end)
            and _CLAUSE_OPENED.fullmatch(ctx.text, ctx.sent_bounds[m.sent][0], m.start)
            and m.sent + 1 < len(ctx.sent_bounds)
        ):
            end = ctx.sent_bounds[m.sent + 1][1]  # "Bruce; 7:30 min; 8.9 METs": the next clause holds its time
        w0, w1 = m.end, min(end, m.end + 70 + _DURATION_TAIL)
        chunk = ctx.text[w0:w1]
        keyed = _MINUTES_KEY.match(chunk)  # "ExTime_min = 4.0": the unit is the key's suffix
        if keyed is None and _MINUTES_LABEL.search(ctx.text, m.start, m.end):
            keyed = _KEYED_NUMBER.match(chunk)  # "Exercise minutes: 9.5": the unit is the label's last word
        if keyed is not None and float(keyed.group("n")) in PLAUSIBLE["exercise_duration_min"]:
            value = float(keyed.group("n"))
            return _value(
                int(value) if value.is_integer() else value,
                (w0 + keyed.start("n"), w0 + keyed.end("n")),
                m.value_certainty,
            )
        f = find_duration(chunk)
        if f is not None and _DATE_BEFORE_CLOCK.search(chunk, 0, f.start):
            f = None  # "W EXERCISE  Exam date 01/22/2026 08:05": the time of day of a date, no duration
        if f is not None and (f.start < 40) and f.value in PLAUSIBLE["exercise_duration_min"]:
            return _value(f.value, (w0 + f.start, w0 + f.end), m.value_certainty)
        b0 = max(ctx.sent_bounds[m.sent][0], m.start - 40)
        before = ctx.text[b0 : m.start]
        hit = None
        for g in re.finditer(r"(?=\S)", before):
            cand = find_duration(before, g.start())
            if cand is None:
                break
            tail = before[cand.end :]
            if re.fullmatch(r"\s*(?:of|on|into)?\s*(?:the\s+)?(?:standard\s+|modified\s+|a\s+)?", tail, re.I):
                hit = cand
                break
        if hit is not None and hit.value in PLAUSIBLE["exercise_duration_min"]:
            return _value(hit.value, (b0 + hit.start, b0 + hit.end), m.value_certainty)
    return None


def _mphr(ctx: _Ctx) -> dict[str, Any] | None:
    for m in _ordered(_findings(ctx.get("MPHR"))):
        b0, b1 = ctx.window_before(m, 40)  # "ninety four percent of maximum predicted"
        hit = _MPHR_BEFORE.search(ctx.text[b0:b1])
        label_text = ctx.text[m.start : m.end].lower()
        v = parse_number_token(hit.group(1)) if hit else None
        unit_in_label = "percent" if label_text.startswith("percent") else "%" if label_text.startswith("%") else ""
        if hit and v is not None and (hit.group(2) or unit_in_label) and v in PLAUSIBLE["percent_mphr"]:
            end = b0 + hit.end(2) if hit.group(2) else m.start + len(unit_in_label)
            return _value(int(v) if v.is_integer() else v, (b0 + hit.start(), end), m.value_certainty)
        w0, w1 = ctx.window_after(m, 30)
        f = find_number(ctx.text[w0:w1], _PCT, allow_range=False)
        # near the label, a run of blanks counting as one (a padded form, a picklist's blank read as blank space)
        near = f is not None and len(re.sub(r"[ \t]{2,}", " ", ctx.text[w0 : w0 + f.start])) < 12
        if f is not None and f.value in PLAUSIBLE["percent_mphr"] and near:
            return _value(f.value, (w0 + f.start, w0 + f.end), m.value_certainty)
    return None


_BIRTH = re.compile(r"\b(?:dob|d\.o\.b|birth|born|naissance|nacimiento|geburtsdatum|geboren)\b", re.I)
# A date label that is part of a birth-date key ("BirthDate", "Birth_Date", "Patient Birth Date").
# A date label of another event than the study: the visit, admission or dictation ("Visit date:"), the clinic's
# note that quotes the result ("DATE OF NOTE:", "ENTRY DATE:"), or the transmission stamp of a faxed copy ("FAX
# 17.11.2024 15:42 FROM: ..."), or a workstation's export stamp ("Export_DateTime: 2026-01-14T09:02:11"), or the
# creation of a DICOM document ("ContentDate: 20260213", "InstanceCreationDate"), not of the study it reports.
_OTHER_EVENT = (
    r"\b(?:visit|encounter|appointment|clinic|consult|consultation|admission|admit|discharge|dictation|dictated|transcription|"
    r"transcribed|typed|printed|fax|faxed|telefax|note|entry|export|exported|content|creation|created)[\s_.]*"
)
# on the label's own line: "Referring physician: ..., Cardiology outpatient clinic" above "Date of examination:" names
# no event of that date
_NOT_STUDY_DATE = re.compile(rf"(?=[^\n]*\Z){_OTHER_EVENT}\Z", re.I)
_NOT_STUDY_DATE_LABEL = re.compile(rf"{_OTHER_EVENT}(?:date|dt)?[\s:=]*$", re.I)  # the whole label, before its date
# the label's translation after a slash is the same label ("Date of birth / Date de naissance : 14 July 1957")
_BIRTH_LABEL = re.compile(r"birth[\s_./]*$", re.I)
# A date label that names another event after it ("Date typed: 16/03/2026", "Date of dictation").
_OTHER_EVENT_AFTER = re.compile(rf"[\s_.]*(?:of[\s_]+)?{_OTHER_EVENT}", re.I)


# A key that goes on after a date label's word with the name of another item ("Study.UID", "Exam_Code") is no
# date label: only a date, time or day word may follow the dot or underscore ("Study.Date", "Exam_DateTime").
_OTHER_KEY_AFTER = re.compile(r"[._](?!date|dt\b|day|time|tm\b|of\b)[A-Za-z]", re.I)
# A date label in prose: a study said to have been done "on" a date (wording.json DATE target).
_PROSE_DATE_LABEL = re.compile(r"\b(?:on|performed|done|acquired|out)$", re.I)
_RESULT_LABEL = re.compile(r"result", re.I)
_KEY_SEPARATOR = re.compile(r"[ \t]*[:=]")


def _date(ctx: _Ctx) -> dict[str, Any] | None:
    """The study date: the first date after a current date label on its line ("Exam: Rb-82 PET/CT, 14 Jan 2025"),
    else a date on the report's first line ("Rubidium PET/CT, 02/03/2025"); never a date of birth.

    A numeric date whose first two numbers could each be the month ("09.10.2024", "02/03/2025") is read
    by the evidence of the report (``_day_first``); without evidence it is read month first (US) and
    its certainty is "uncertain".
    """
    text = ctx.text
    # a result's time stamp ("Resulted: 03/04/2026 16:40") only where no label names the study's own date; an
    # addendum that corrects the report ("the exam date was entered wrongly; the study was done on ...") first
    letter = _SALUTATION.search(text) is not None
    labels = sorted(
        ctx.get("DATE"),
        key=lambda m: (not _correcting_addendum(ctx, m), _RESULT_LABEL.search(text, m.start, m.end) is not None),
    )
    for m in labels:
        if not m.current or _BIRTH_LABEL.search(text, max(0, m.start - 12), m.start):
            continue  # "BirthDate = 19630415", "Date of birth" is read by _date_in
        if _NOT_STUDY_DATE.search(text, max(0, m.start - 16), m.start):
            continue  # "Visit date: 04/27/2026": the clinic visit that reviews the study, not the study
        if _OTHER_EVENT_AFTER.match(text, m.end):
            continue  # "Date typed: 16/03/2026": the letter's typing, not the study
        if _OTHER_KEY_AFTER.match(text, m.end):
            continue  # "Study.UID: 1.2.840...", "Exam_Description:": a key of another item that opens with the word
        if letter and _BARE_DATE_LABEL.fullmatch(text, m.start, m.end):
            continue  # a letter's "Date: 20 August 2026" is the letter's own date
        if _compared_study(ctx, m):
            continue  # "compared with the study of 5/3/2021", "the prior scan on ...": the other study's date
        if (
            m.section in _NON_FINDING_SECTIONS
            and _PROSE_DATE_LABEL.search(text, m.start, m.end)
            and not _KEY_SEPARATOR.match(text, m.end)  # "Acquired: 2025/04/22" is a key
        ):
            continue  # "had a stress test on 3/4/2019 that was abnormal": the patient's history
        line_end = text.find("\n", m.end)
        w0, w1 = m.end, min(len(text) if line_end < 0 else line_end, m.end + 80)
        found = _date_in(ctx, w0, w1)
        if found is not None:
            return found
    for named in _STUDY_NAMED_DATE.finditer(text) if letter else ():
        if _PRIOR_WORD.search(named.group()) is None:  # "MPS 2 wk ago (05/08/2026)", not "her previous SPECT (...)"
            found = _date_in(ctx, named.end(), min(len(text), named.end() + 20))
            if found is not None:
                return found
    first = re.search(r"\S", text)
    if first is not None and (ctx.section_at(first.start()) is None or not ctx.doc._.sections):
        line_end = text.find("\n", first.start())
        found = _date_in(ctx, first.start(), len(text) if line_end < 0 else line_end, compact=False)
        if (
            found is not None
            and not _NOT_STUDY_DATE_LABEL.search(text, first.start(), int(found["span"][0]))
            and not _compared_before(ctx, int(found["span"][0]))  # a one-line dictation's "compared with ... 2/9/2022"
        ):
            return found
    return None


# A letter's salutation on a line of its own ("Dear Fiona,", "Dear Dr Kettering"): the text is a letter, and its
# bare "Date:" is the day it was written, not the study's.
_SALUTATION = re.compile(r"(?m)^[ \t]*Dear[ \t]+[A-Z][^\n]{0,50}$")
_BARE_DATE_LABEL = re.compile(r"date", re.I)
# In a letter, the study named with its date right after it ("MPS 2 wk ago (05/08/2026):", "the SPECT on 3/2/2026",
# "myocardial perfusion scan dated 12.01.2026"): the study's date.
_STUDY_NAMED_DATE = re.compile(
    r"\b(?:MPS|MPI|SPECT|PET(?:/CT)?|(?:myocardial\s+)?perfusion\s+(?:scan|study|imaging)|nuclear\s+(?:stress\s+)?"
    r"(?:test|scan|study))\b[^\n.:;()]{0,20}?(?:\(|\b(?:on|dated|of)\b)[ \t]*(?=\d)",
    re.I,
)


# An addendum that says it corrects an error of the report above it.
_CORRECTS = re.compile(
    r"\b(?:correct(?:s|ed|ion)|incorrect(?:ly)?|errors?|erroneous(?:ly)?|mistyped|mis-?typed|wrong(?:ly)?|"
    r"should\s+(?:read|be|have\s+been)|amend(?:s|ed)?)\b",
    re.I,
)


def _correcting_addendum(ctx: _Ctx, m: Mention) -> bool:
    """Whether ``m`` stands in an addendum that says it corrects the report ("This addendum corrects ...")."""
    if m.section != "addendum":
        return False
    sections = ctx.tok_section
    a = m.tok_start
    while a > 0 and sections[a - 1] == "addendum":
        a -= 1
    b = m.tok_end
    while b < len(sections) and sections[b] == "addendum":
        b += 1
    doc = ctx.doc
    return _CORRECTS.search(ctx.text, doc[a].idx, doc[b - 1].idx + len(doc[b - 1])) is not None


def _date_in(ctx: _Ctx, w0: int, w1: int, *, compact: bool = True) -> dict[str, Any] | None:
    f = find_date(ctx.text[w0:w1], compact=compact)
    if f is None or _BIRTH.search(ctx.text[w0 : w0 + f.start]):
        return None
    start, end = w0 + f.start, w0 + f.end
    numeric = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}", ctx.text[start:end])
    if numeric is None:
        return _value(f.value, (start, end))
    a, b = int(numeric.group(1)), int(numeric.group(2))
    if a > 12 or b > 12 or a == b:
        return _value(f.value, (start, end))
    order = _day_first(ctx, start)
    if order is None:
        return _value(f.value, (start, end), "uncertain")
    if order:
        year, month, day = str(f.value).split("-")
        return _value(f"{year}-{day}-{month}", (start, end))
    return _value(f.value, (start, end))


# A numeric date "a/b/yyyy" (its start is checked apart: a regular expression that opens with a digit lets
# the engine skip to digits, a leading look-behind is tried at every character).
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](?:\d{4}|\d{2})(?![\d/-])")
_DATE_JOIN = set("0123456789/.-")


def _day_first(ctx: _Ctx, at: int) -> bool | None:
    """Whether the report writes numeric dates day first: True, False, or None without evidence.

    Evidence is unambiguous only: another numeric date of the report whose first number cannot be a
    month ("21/03/2023": day first) or whose second cannot ("03/21/2023": month first), or a writing that
    only day-first dates use (``wording.json`` date_day_first: "09.10.2024"). Without such a date, the
    writing of the report decides (``wording.json`` date_order_words: "400 MBq", "ischaemia", "10 mCi").
    """
    day_first = month_first = False
    text = ctx.text
    for m in _NUMERIC_DATE.finditer(text):
        if m.start() == at or (m.start() > 0 and text[m.start() - 1] in _DATE_JOIN):
            continue
        a, b = int(m.group(1)), int(m.group(2))
        if 12 < a <= 31 and 1 <= b <= 12:
            day_first = True
        elif 12 < b <= 31 and 1 <= a <= 12:
            month_first = True
    wording = load_wording()
    evidence = wording.date_day_first
    if evidence is not None and any(
        m.start() == 0 or text[m.start() - 1] not in _DATE_JOIN for m in evidence.finditer(text)
    ):
        day_first = True
    if day_first == month_first and not day_first:
        # no date settles it: the writing of the report does ("400 MBq", "ischaemia": day first; "10 mCi": US)
        day_words, month_words = wording.date_order_words
        day_first = day_words is not None and day_words.search(text) is not None
        month_first = month_words is not None and month_words.search(text) is not None
        if day_first and month_first and wording.date_day_first_writing is not None:
            # "ischaemia" or a country that writes dates day first outweighs "25 mCi", which such countries use too
            month_first = wording.date_day_first_writing.search(text) is None
    if day_first == month_first:
        return None
    return day_first


# Between a comparison cue and the study it names: an article or a word for an earlier study ("compared with the
# most recent study of", "the prior scan").
_COMPARED_GAP = re.compile(
    r"\s*(?:(?:the|a|an|his|her|their|that|this|patient's|prior|previous|earlier|last|most\s+recent|outside|old)\s+)*",
    re.I,
)


def _compared_study(ctx: _Ctx, m: Mention) -> bool:
    """The date label names the study this one is compared with: a comparison cue of its sentence just before it."""
    for cue in ctx.get("COMPARISON_CUE"):
        if cue.sent == m.sent and cue.end <= m.start and _COMPARED_GAP.fullmatch(ctx.text, cue.end, m.start):
            return True
    return False


def _compared_before(ctx: _Ctx, pos: int) -> bool:
    """A comparison cue earlier in the sentence of ``pos``: a date there is the compared study's."""
    sent = bisect.bisect_right(ctx.sent_bounds, (pos, len(ctx.text))) - 1
    return any(c.sent == sent and c.end <= pos for c in ctx.get("COMPARISON_CUE"))


# --------------------------------------------------------------------------- categorical


def _first(
    mentions: Iterable[Mention],
    value_of: Callable[[Mention], str | None],
    *,
    span_with_cue: bool = True,
    certainty_of: Callable[[Mention], str] | None = None,
) -> dict[str, Any] | None:
    for m in mentions:
        v = value_of(m)
        if v is None:
            continue
        span = m.cue_span if span_with_cue else (m.start, m.end)
        cert = certainty_of(m) if certainty_of else ("uncertain" if m.uncertain and not m.negated else "affirmed")
        return _value(v, span, cert)
    return None


def _present_absent(m: Mention) -> str | None:
    return "absent" if m.negated else "present"


_SYMPTOM_FREE = re.compile(r"a-?symptomatic|symptom[- ]free|(?:chest[ \t]+)?pain[- ]free", re.I)


# A symptoms key: the wording target matches it only when its value is a denial ("Symptoms: NONE",
# "Symptoms_Stress: None", or a table's row "| Symptoms | - | none |").
_SYMPTOMS_KEY = re.compile(
    r"(?:[a-z]+_|[a-z]+(?=symptom))*symptoms?(?:_(?:during_)?(?:stress|exercise|peak|test|infusion))?"
    r"\s*(?:[:=]|\|(?:[ \t]*(?:-+|–|—|n/?a)?[ \t]*\|)*)\s*\w+",
    re.I,
)


# The value of a key:value line after a concept ("Chest_Pain=No", "Angina: yes"), up to the end of its line or
# the gap before the next key of a row ("Infarct: [x] Yes   Ischemia: [x] No", read with the boxes blank); a key
# may name its concept twice ("Infarct/scar: [ ] Yes  [x] No").
_KEY_ANSWER = re.compile(
    r"(?:[ \t]*/[ \t]*[A-Za-z][\w-]*|[._][A-Za-z][\w-]*){0,2}"
    r"(?:[ \t]*\([^()\n]{1,30}\))?"  # the key's aside before its separator: "CAC (visual) = Present"
    # the key's time or setting, a phrase of one or two words after a preposition: "Angina with exercise: yes"
    r"(?:[ \t]+(?:during|with|at|on|after|upon|in)(?:[ \t]+[A-Za-z][\w-]*){1,2}"
    # or in an identifier key, its words joined by capitals: "ChestPainDuringStress: No"
    r"|(?-i:(?<=[a-z])(?:During|With|At|On|After|Upon|In)(?:[A-Z][a-z]+){1,2}))?"
    r"[ \t]*[:=][ \t]*(?:(?P<no>no|none|nil|negative|denied|absent|not[ \t]+(?:seen|present)|n)"
    r"|(?P<yes>yes|present|positive|seen|y))"
    r"(?:[ \t]*(?:[.;,(]|$)|[ \t]{2,})",  # an answer ends the line, a clause, or opens its own aside ("Yes (LAD)")
    re.I | re.M,
)


def _key_answer(ctx: _Ctx, m: Mention) -> tuple[str, tuple[int, int]] | None:
    """The yes/no answer of a key:value line whose key is ``m`` ("Ischemia: No"): present or absent, and the
    answer's span (a key's value is its span, as the value of any export key)."""
    answer = _KEY_ANSWER.match(ctx.text, m.end)
    if answer is None:
        return None
    said = "no" if answer.group("no") else "yes"
    return ("absent" if said == "no" else "present"), answer.span(said)


def _cac_key_answer(ctx: _Ctx) -> dict[str, Any] | None:
    """Calcium present or absent from a calcium key answered without a score ("CAC.Visual: ABSENT",
    "Coronary_Calcium = Yes"): the key's answer, its span the answer."""
    for m in _ordered(_findings([*ctx.get("CAC_SCORE"), *ctx.get("CAC_VISUAL")])):
        answer = _key_answer(ctx, m)
        if answer is not None:
            return _value(answer[0], answer[1])
    return None


def _chest_pain(ctx: _Ctx, m: Mention) -> str | None:
    """Chest pain present or absent; "asymptomatic throughout exercise" says absent (and "not asymptomatic" present)."""
    if _SYMPTOMS_KEY.fullmatch(ctx.text[m.start : m.end]):
        return "absent"  # "Symptoms: NONE" (whether or not ConText reads the denial after the colon)
    answer = _KEY_ANSWER.match(ctx.text, m.end)
    if answer is not None:
        return "absent" if answer.group("no") else "present"  # "Chest_Pain=No": the key's answer, not ConText's
    if _SYMPTOM_FREE.fullmatch(ctx.text[m.start : m.end]):
        return "present" if m.negated else "absent"
    if not m.negated and _past_episode(ctx, m):
        return None  # "chest pressure last month which has since resolved": the patient's story, not the test's
    if not m.negated and _patients_story(ctx, m):
        return None  # "72F presented with chest pressure at rest": the patient's story, not the test's
    if _ANY_SYMPTOM.fullmatch(ctx.text[m.start : m.end]):
        # "No symptoms were noted" (a wording.json target matches only a denial): no chest pain during the test,
        # but a denial of the patient's symptoms in the history says nothing of the test
        if any(o.sent == m.sent and o.start != m.start for o in ctx.get("CHEST_PAIN")):
            return None  # "no symptoms apart from brief chest tightness": the symptom named decides
        return "absent" if _said_of_the_test(ctx, m.sent) else None
    return _present_absent(m)


# The past-tense complaint cue that ConText reads as a reason for the study ("complained of", a hypothetical
# cue with "complains of", "presents with").
_COMPLAINED_OF = re.compile(r"\bcomplained\s+of\b", re.I)


def _complained_during_the_test(ctx: _Ctx, m: Mention) -> bool:
    """A symptom the patient complained of in a sentence of the test ("complained of mild chest pressure during the
    infusion", "complained of chest tightness at peak exercise"): it happened, whatever the complaint cue reads as
    in a history ("complained of chest pain for two weeks" has no test in its sentence)."""
    if not m.hypothetical or m.historical:
        return False
    s0 = ctx.sent_bounds[m.sent][0]
    return (
        _COMPLAINED_OF.search(ctx.text, s0, m.start) is not None
        and _during_the_test(ctx, m.sent)
        and not _before_the_test(ctx, m.sent)
        and not _past_episode(ctx, m)
    )


def _past_episode(ctx: _Ctx, m: Mention) -> bool:
    """The clause of the mention dates it before the test (``wording.json`` past_episode_cues) and names nothing
    of the test (test_cues)."""
    rx = load_wording().past_episode_cue
    if rx is None:
        return False
    s0, s1 = ctx.sent_bounds[m.sent]
    c0 = max((ctx.text.rfind(mark, s0, m.start) for mark in ",;"), default=-1)
    c0 = s0 if c0 < 0 else c0 + 1
    ends = [i for i in (ctx.text.find(mark, m.end, s1) for mark in ",;") if i >= 0]
    subject = _NEW_SUBJECT.search(ctx.text, m.end, s1)  # "... which had settled before the test and she remained"
    if subject is not None:
        ends.append(subject.start())
    c1 = min(ends, default=s1)
    past = rx.search(ctx.text, c0, c1)
    if past is None:
        return False
    test = load_wording().test_cue  # "chest pain at peak exercise which has since resolved": the test's
    # the cue's own words ("settled before the stress") name the test only to date the symptom before it
    return test is None or (
        test.search(ctx.text, c0, past.start()) is None and test.search(ctx.text, past.end(), c1) is None
    )


def _patients_story(ctx: _Ctx, m: Mention) -> bool:
    """The mention stands in a sentence about the patient (``wording.json`` patient_cues) that names nothing of the
    test, outside the test's own sections, and not right after a sentence of the test in its paragraph ("Peak BP
    120/70. The patient referred chest oppression." tells the test's symptom in a second language's verb)."""
    sent = m.sent
    if m.section in ("stress", "technique", "findings") or not _about_the_patient(ctx, sent):
        return False
    if _during_the_test(ctx, sent):
        return False
    bounds = ctx.sent_bounds
    joined = sent > 0 and not _PARAGRAPH_BREAK.search(ctx.text[bounds[sent - 1][0] : bounds[sent][0]])
    return not (joined and _during_the_test(ctx, sent - 1))


# A clause of another subject joined to the sentence ("... and she remained pain free throughout exercise").
_NEW_SUBJECT = re.compile(r"[ \t]+(?:and|but|while|whereas)[ \t]+(?:she|he|they|the[ \t]+patient|patient)\b", re.I)


# The concept of a denial of any symptom (wording.json targets): the word "symptom(s)" alone.
_ANY_SYMPTOM = re.compile(r"symptoms?", re.I)
# A blank line at the end of the text between two sentences: a new paragraph.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*$")


def _said_of_the_test(ctx: _Ctx, sent: int) -> bool:
    """The sentence speaks of the test, or follows one that does in its paragraph with no sentence about the
    patient between ("Peak heart rate 105 after regadenoson. ECG unchanged. No symptoms were noted.")."""
    bounds = ctx.sent_bounds
    for k in range(sent, -1, -1):
        if _about_the_patient(ctx, k):
            return False
        if _during_the_test(ctx, k):
            return True
        if k == 0 or _PARAGRAPH_BREAK.search(ctx.text[bounds[k - 1][0] : bounds[k][0]]):
            return False
    return False


# An indication header that names the reason ("Indication:", "Reason for study:") is read before one that
# names the history ("History:", "Clinical notes:") when a report has both.
_REASON_HEADER = re.compile(r"indica|reason|referr|question", re.I)


# Concepts of what a study found (its verdict, a defect, a measured function).
_RESULT_LABELS = ("RESULT", "RESULT_BARE", "DEFECT", "LVEF", "WALL_MOTION", "SSS")


def _indication(ctx: _Ctx) -> dict[str, Any] | None:
    doc = ctx.doc
    sections = [sec for sec in doc._.sections if sec.category == "indication"]
    bodies = {id(sec): (sec.body_start, sec.body_end) for sec in sections}
    for first, second in itertools.pairwise(list(sections)):
        if _inline_sublabel(ctx, first, second):
            # "Clinical information: Typical angina, hypercholesterolaemia. Question: ischaemia?": a label inside
            # the paragraph of the indication asks its question; the paragraph is the indication
            bodies[id(first)] = (first.body_start, second.body_end)
            sections.remove(second)
    if len(sections) > 1:
        sections.sort(key=lambda sec: _REASON_HEADER.search(doc[sec.title_start : sec.title_end].text) is None)
    for section in sections:
        b0, b1 = bodies[id(section)]
        while b1 > b0 and ctx.tok_section[b1 - 1] != "indication":
            b1 -= 1  # the scope the text itself ended (_Ctx._limit_scope)
        if b1 <= b0:
            continue
        start = doc[b0].idx
        end = doc[b1 - 1].idx + len(doc[b1 - 1].text)
        body = ctx.text[start:end]
        cut = re.search(r"\n\s*\n", body)
        if cut:
            body = body[: cut.start()]
        end = start + len(body)
        start = _reason_start(ctx, _free_text_answer(ctx, start, end), end)
        found = _trimmed_text(ctx.text, start, _reason_end(ctx, start, end))
        if found is not None and any(found["span"][0] <= a < found["span"][1] for a, _, _ in ctx.boxes):
            # the checked items of a list, read with their boxes blank: "Known CAD, Preop evaluation"
            found["value"] = _BOX_GAP.sub(", ", found["value"])
        if found is not None and not _WORDED.search(found["value"]):
            continue  # "Nr. History: 2026-118834" in a header column: a record number, not the reason for the study
        if found is not None:
            return found
    # a prior study's findings told in the history ("That study showed a medium-sized, severe, reversible defect ...
    # He is now referred for surveillance after PCI") are no results of this study, which the reason comes before
    results_at = min((m.start for m in ctx.get(*_RESULT_LABELS) if not m.historical), default=len(ctx.text))
    cues = ctx.get("INDICATION_CUE")
    for i, m in enumerate(cues):
        if m.section in _IMPRESSION or m.start > results_at:
            # "Assessment: the patient presents with a neuropathy", a cue after the results: a conclusion, not the
            # reason for the study, which a report gives before what the study found
            continue
        # "referring this lady with a six-month history of ...": the reason is the noun phrase, not its article
        # "The reason for referral was chest pain": a cue said as the subject, its verb before the reason
        copula = _CUE_COPULA.match(ctx.text, m.end)
        article = _ARTICLE.match(ctx.text, copula.end() if copula else m.end)
        cue_end = article.end() if article else copula.end() if copula else m.end
        sent_end = ctx.sent_bounds[m.sent][1]
        # "55 yo F with hypertension, ...": after an age and "with", known history may come before the complaint; a
        # referral's "for" ("56 year old male referred for preoperative risk assessment") names the reason itself
        referral = _REFERRED_FOR.search(ctx.text, m.start, m.end) is not None
        if (
            _AGE_LEAD.match(ctx.text, m.start)
            and not referral
            and not _complaint_first(ctx, cue_end, sent_end, cues[i + 1 :])
        ):
            continue
        # "the SPECT we arranged for her breathlessness was normal": the verdict of the study ends its reason
        verdicts = (r.start for r in ctx.get(*_RESULT_LABELS) if cue_end < r.start < sent_end)
        copula = next((c for c in (_COPULA_BEFORE.search(ctx.text, cue_end, v) for v in verdicts) if c), None)
        sent_end = copula.start() if copula is not None else sent_end
        narration = _narration_clause()
        told = narration.search(ctx.text, cue_end, sent_end) if narration is not None else None
        reason_end = _before_the_test_begins(ctx, cue_end, told.start() if told is not None else sent_end)
        found = _trimmed_text(ctx.text, cue_end, reason_end)
        if found is not None:
            return found
    return None


# The verb after an indication cue that is the subject of its sentence ("The reason for referral was ...").
_CUE_COPULA = re.compile(r"[ \t]+(?:was|is|were|are)(?=[ \t]+\w)", re.I)


# What the test itself is made of: a sentence that names one after the reason goes on to the test, not its reason.
_TEST_LABELS = frozenset({"AGENT", "PHARM_STRESS", "EXERCISE", "TRACER", "PROTOCOL", "MODALITY", "HR", "BP", "DEFECT"})
# Where a clause of its own starts in a run-on sentence: after a comma or semicolon, or at a relative clause or "so".
_CLAUSE_JOINT = re.compile(r"\s*[,;]\s*|\s+(?=(?:who|which|so|whereupon)\s)", re.I)


def _before_the_test_begins(ctx: _Ctx, start: int, end: int) -> int:
    """The end of a reason told in a sentence that runs on to the test ("referred for dyspnea and an abnormal ECG
    who cannot walk on a treadmill so a regadenoson SPECT was done, ..."): the last clause joint before the first
    concept of the test (its stress, tracer, protocol, camera, vitals or a defect) ends the reason; a concept in the
    reason's own clause ("referred for exercise testing for palpitations") cuts nothing."""
    first = min((m.start for m in ctx.mentions if start <= m.start < end and m.label in _TEST_LABELS), default=None)
    if first is None:
        return end
    joints = [j.start() for j in _CLAUSE_JOINT.finditer(ctx.text, start, first)]
    return joints[-1] if joints else end


# A word of two letters or more: the reason for a study is said in words, never in digits and marks alone.
_WORDED = re.compile(r"[^\W\d_]{2}")
# The longest reason for the study whose symptoms are taken for the patient's complaint only (see _assemble).
_MAX_REASON_CHARS = 200
# The verb that predicates a verdict of the study, before it ("... was entirely normal").
_COPULA_BEFORE = re.compile(
    r"\s+(?:is|was|were|are|came\s+back|(?:turned\s+out|proved)(?:\s+to\s+be)?)(?:\s+\w+ly)?\s*\Z", re.I
)


def _inline_sublabel(ctx: _Ctx, first: Any, second: Any) -> bool:
    """The second indication header stands inside the first's paragraph, on the line of its text after a sentence
    ("Clinical information: typical angina, family history. Question: ischaemia?"), not at the start of a line of
    its own, and asks a question (a question header, or a question mark) that names no symptom of the patient where
    the first names one: the complaint is the first's text ("History: 60M, HTN. Indication: chest pain" and
    "History: angina. Reason: pre-operative assessment" are indications of their own)."""
    doc = ctx.doc
    symptom = load_wording().indication_symptom
    if symptom is None or second.title_start != first.body_end or first.body_end <= first.body_start:
        return False
    between = ctx.text[doc[first.body_start].idx : doc[second.title_start].idx]
    if "\n" in between or not between.strip() or not symptom.search(between):
        return False
    asked = doc[second.body_start : second.body_end].text.split("\n", 1)[0]
    question = _QUESTION_HEADER.search(doc[second.title_start : second.title_end].text) or asked.rstrip().endswith("?")
    return bool(question) and symptom.search(asked) is None


# A header that asks the study's question ("Question:", "Clinical question:", "Fragestellung:").
_QUESTION_HEADER = re.compile(r"question|fragestellung", re.I)


_ARTICLE = re.compile(r"\s*(?:an?|the)\s+(?=\w)", re.I)
# The patient introduced by age ("55 yo F with ...", "A 70-year-old man presenting with ..."): wording.json's cue.
_REFERRED_FOR = re.compile(r"\b(?:referred|sent|presents|presented|presenting)\s+for\s*\Z", re.I)
_AGE_LEAD = re.compile(r"\d{1,3}[ -]?(?:yo|y/o|y\.o|yrs?|years?|year)\b", re.I)
_CLAUSE_END = re.compile(r"[,;]|\s+(?:who|and\s+(?:was|is|has))\b", re.I)


def _complaint_first(ctx: _Ctx, start: int, end: int, later: list[Mention]) -> bool:
    """Whether the words after a patient's age and sex are the complaint that brings them ("55 yo F with
    palpitations and atypical chest pain"), not their known history ("with hypertension and diabetes, ..."), and
    no later cue of the sentence names the reason ("... who was referred for evaluation of ...")."""
    if any(c.start < end for c in later):
        return False
    history = _leads().history
    if history is not None and history.match(ctx.text, start):
        return False  # "with a history of rheumatoid arthritis admitted with chest pain": history first
    symptom = load_wording().indication_symptom
    stop = _CLAUSE_END.search(ctx.text, start, end)
    return symptom is not None and symptom.search(ctx.text, start, stop.start() if stop else end) is not None


# The end of a sentence of an indication: a full stop before a space, or a line break.
# A question mark ends a sentence after its last word ("ischaemia?"); one before a word (", ? ischaemia") asks about it.
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\bDr)(?<!\bvs)(?:[.!]|(?<![\s,;(])\?)(?=\s)\s*|\n\s*")
_MIN_REASON_WORDS = 4
# A sentence that goes on with the request ("Assess viability and ischemia", "R/O ischemia").
# a request after the reason, "?" included as the query of a clinical note ("?ischemia prior to hernia repair")
# ("? cardiac involvement", "?IHD": the question mark of a request is no word, so no word boundary after it)
_REQUEST = re.compile(
    r"\s*(?:to\s+)?(?:\?[ \t]*(?=\w)|(?:assess|evaluate|eval|r/o|rule\s+out|exclude|question|query|please)\b"
    # a question of a few words ("Progression? Vitality?", "Ischaemia?"): what the study is asked
    r"|[A-Za-z][\w/-]*(?:[ \t]+[\w/-]+){0,3}\?(?!\S))",
    re.I,
)


# A sentence of the indication that states what the study is asked to do ("interval LV function assessment",
# "evaluate for ischemia", "pre-operative risk stratification", "surveillance of cardiotoxicity"): the reason itself,
# even where it names no symptom and a symptom follows in the history.
_ASKS = re.compile(
    r"\b(?:assess(?:ment|ing)?|evaluat\w*|eval|r/o|rule\s+out|exclude|screening|surveillance|monitoring|"
    r"risk\s+stratification|work-?up)\b",
    re.I,
)


# The blank left between two checked items of a list (see extraction.pipeline.checkbox_view).
_BOX_GAP = re.compile(r"[ \t]{2,}")


def _free_text_answer(ctx: _Ctx, start: int, end: int) -> int:
    """Where the writer's own answer starts after a checkbox list ("Reason: [x] Known CAD  Other: s/p MI 2019",
    ``wording.json`` "checkboxes" free_text_labels): the boxes name categories, the free text the reason."""
    boxes = load_wording().checkboxes
    listed = [a for a, _, _ in ctx.boxes if start <= a < end]
    if boxes is None or boxes.free_text_label is None or not listed:
        return start
    label = boxes.free_text_label.search(ctx.text, min(listed), end)
    if label is None or not ctx.text[label.end() : end].strip():
        return start
    return label.end()


# A sentence that only describes the patient by age and sex ("74 y.o. male.", "61-year-old woman.", "58 YO F.").
_DEMOGRAPHIC_SENTENCE = re.compile(
    r"\s*\d{1,3}[ -]?(?:y\.?\s?o\.?|y/o|yrs?\.?(?:[ -]old)?|years?[ -]old|year)[ ,]*"
    r"(?:(?:male|female|man|woman|gentleman|lady|patient|pt|m|f)\.?)?\s*[.;]\s+",
    re.I,
)


# What may open a description of the patient before its age: "This is a", "The patient is an".
_DESCRIPTION_OPENER = r"(?:(?:this|the\s+patient|patient|she|he)\s+is\s+)?(?:an?\s+)?"


def _reason_start(ctx: _Ctx, start: int, end: int) -> int:
    """Where the reason for the study starts: after a sentence that only describes the patient ("74 y.o. male."),
    after a first sentence of known history that names no symptom ("K/c/o DM, HTN since 10 yrs.") when the next
    names one, and after that sentence's complaint lead ("C/o")."""
    text = ctx.text
    alone = _DEMOGRAPHIC_SENTENCE.match(text, start, end)
    if alone is not None and text[alone.end() : end].strip():
        start = alone.end()  # "74 y.o. male. Preop evaluation ...": the patient described, then the reason
    leads, symptom = _leads(), load_wording().indication_symptom
    if leads.described is None or leads.said is None or leads.opening is None or symptom is None:
        return start
    if leads.described.match(text, start) is None:
        return start
    first_end = _SENTENCE_END.search(text, start, end)
    told = leads.said.search(text, start, first_end.start() if first_end else end)
    if (
        told is not None
        and not symptom.search(text, start, told.start())  # "with chest pain who presents with dyspnea": both
        and symptom.search(text, told.end(), first_end.start() if first_end else end)
    ):
        # "This is a 52-year-old woman with hyperlipidemia who complains of exertional chest heaviness": the patient
        # described, then the complaint of the same sentence
        return told.end()
    if first_end is None or symptom.search(text, start, first_end.start()):
        return start
    if _ASKS.search(text, start, first_end.start()):
        return start  # "... on doxorubicin; interval LV function assessment": the first sentence asks the question
    nxt = first_end.end()
    second_end = _SENTENCE_END.search(text, nxt, end)
    if not symptom.search(text, nxt, second_end.start() if second_end else end):
        return start
    opening = leads.opening.match(text, nxt)
    return opening.end() if opening else nxt


class _Leads(NamedTuple):
    """The wording.json leads of an indication, as patterns read where a clause starts (None where not given)."""

    history: re.Pattern[str] | None  # "with a history of ..."
    described: re.Pattern[str] | None  # "This is a 52-year-old woman with hyperlipidemia ..."
    said: re.Pattern[str] | None  # "..., who complains of ..."
    opening: re.Pattern[str] | None  # "Complains of ..." opening a sentence


@functools.cache
def _leads() -> _Leads:
    """The indication's history and complaint leads, compiled once (``wording.json`` history_lead, complaint_lead)."""
    wording = load_wording()
    history, complaint = wording.history_lead, wording.complaint_lead

    def lead(rx: re.Pattern[str] | None, before: str, after: str) -> re.Pattern[str] | None:
        return None if rx is None else re.compile(rf"{before}(?:{rx.pattern}){after}", re.I)

    return _Leads(
        history=lead(history, r"\s*", ""),
        described=lead(history, rf"\s*{_DESCRIPTION_OPENER}", r"(?![\w])"),
        said=lead(complaint, r"(?:,\s*|\s+(?:who|and)\s+)", r"(?![\w])\s*"),
        opening=lead(complaint, r"\s*", r"(?![\w])\s*"),
    )


@functools.cache
def _narration_clause() -> re.Pattern[str] | None:
    """A comma clause, or one joined by "and", that narrates the test (``wording.json`` indication_narration), its
    subject optional ("presents with chest pain and was studied on ...")."""
    rx = load_wording().indication_narration
    if rx is None:
        return None
    return re.compile(rf"(?:,\s*|\s+(?=and\s))(?:(?:and|who|she|he|they|then)\s+)*{rx.pattern}", re.I)


# The most words of a short sentence that names what the study is asked to do ("Viability assessment before
# possible CABG.", "Cardiotoxicity surveillance.").
_MAX_ASKED_WORDS = 8


def _asked_sentence(text: str, start: int, end: int) -> bool:
    """The sentence at ``start`` is a short one that names what the study is asked to do by its noun (``_ASKS``:
    "Risk stratification for primary-prevention ICD.", "Serial LVEF monitoring per protocol."): a request, as
    "Evaluate for ischemia" is one, which goes on with the reason before it."""
    stop = _SENTENCE_END.search(text, start, end)
    sentence = text[start : stop.start() if stop is not None else end]
    return len(sentence.split()) <= _MAX_ASKED_WORDS and _ASKS.search(sentence) is not None


def _reason_end(ctx: _Ctx, start: int, end: int) -> int:
    """Where the reason for the study ends: after its first sentence, and the requests that follow it.

    The sentences after the reason add other facts ("Non-smoker. Resting ECG normal", "Risk factors: ...",
    "Serum free light chains ... negative", "Known knee arthritis - modified Bruce chosen", "Age=66"), which
    are not the indication; clauses after a semicolon are part of it, and so is what follows a fragment of
    fewer than ``_MIN_REASON_WORDS`` words that names no symptom ("RCA stent 2021. Recurrent chest pain").
    A clause that says why this test was chosen ends it (``wording.json`` indication_rationale), unless it says why
    this stress was chosen (indication_stress_choice: "; vasodilators contraindicated", "; knee OA precludes
    exercise"), which the reason's own sentence keeps.
    """
    text = ctx.text
    wording = load_wording()
    symptom = wording.indication_symptom
    # a reason that opens with the patient's known history ("History of CABG in 2015. Pre-operative assessment.")
    # keeps its first sentence alone; a diagnosis the study is asked about goes on with the request noun after it
    history = _leads().history
    asks = history is None or history.match(text, start) is None
    for m in _SENTENCE_END.finditer(text, start, end):
        nxt = m.end()
        if nxt < end and not _REQUEST.match(text, nxt) and not (asks and _asked_sentence(text, nxt, end)):
            reason = text[start:nxt]
            if (
                symptom is not None
                and not symptom.search(reason)
                and not _ASKS.search(reason)
                and symptom.search(text, nxt, end)
            ):
                continue  # known history first, the complaint in a later sentence: the reason runs to the complaint
            if len(reason.split()) >= _MIN_REASON_WORDS or (symptom is not None and symptom.search(reason)):
                end = nxt
                break
    narration = _narration_clause()
    told = narration.search(text, start, end) if narration is not None else None
    if told is not None:
        end = told.start()  # "referred for palpitations, underwent treadmill imaging on ...": the test narrated
    if wording.indication_rationale is not None:
        stress_choice = wording.indication_stress_choice
        for clause in re.finditer(r";\s*([^;]*)", text[start:end]):
            if wording.indication_rationale.search(clause.group(1)) and not (
                stress_choice is not None and stress_choice.search(clause.group(1))
            ):
                return start + clause.start()  # "; PET chosen because of body habitus": the protocol's reason
    return end


# A list item's bullet before its words: a dash, a dot or a star, then blank space.
_BULLET = re.compile(r"[-\u2022*\u00b7\u2013\u2014][ \t]+(?=\S)")


def _trimmed_text(text: str, start: int, end: int) -> dict[str, Any] | None:
    """text[start:end] without surrounding whitespace and trailing punctuation, as a value; None if empty."""
    segment = text[start:end]
    stripped = segment.strip()
    if len(stripped) > 1 and stripped[0] == stripped[-1] and stripped[0] in "\"'":
        stripped = stripped[1:-1].strip()  # a quoted export value: Indication = "Chest pain"
    if not stripped:
        return None
    s = start + segment.index(stripped)
    e = s + len(stripped)
    bullet = _BULLET.match(text, s, e)
    if bullet is not None:
        s = bullet.end()  # "- New exertional dyspnea": a list's bullet is no part of the value
    # an unfilled placeholder of a template or record ("dyspnea ***", "chest pain ___") is no part of the value
    while e > s and text[e - 1] in ".;, \t\n*_":
        e -= 1
    return _value(text[s:e], (s, e)) if e > s else None


_SLASH_PAIR = re.compile(r"(?:stress\s*/\s*rest|rest\s*/\s*stress)", re.I)
_STRESS_NAMES = ("AGENT", "EXERCISE", "PHARM_STRESS")
# A kind of stress right before the pair, whose own mention the longer pair took over ("PHARMACOLOGIC STRESS / REST
# MYOCARDIAL PERFUSION SPECT", "Vasodilator stress/rest PET").
_STRESS_KIND_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:pharmacologic(?:al)?|vasodilator|exercise|treadmill|bicycle)[ \t]+\Z", re.I
)


def _stress_named_pair(ctx: _Ctx, m: Mention) -> bool:
    """Whether a protocol written as a slash pair opens with the stress of a named agent, exercise or kind of stress
    ("Regadenoson stress / rest", "Treadmill stress/rest", "Pharmacologic stress / rest"): the pair then names the
    images more than their order."""
    if not _SLASH_PAIR.fullmatch(ctx.text, m.start, m.end):
        return False
    if _STRESS_KIND_BEFORE.search(ctx.text, max(0, m.start - 40), m.start) is not None:
        return True
    return any(n.end <= m.start and not ctx.text[n.end : m.start].strip() for n in ctx.get(*_STRESS_NAMES))


# The later images of a thallium study, named where the protocol is read from them (wording.json protocol_order).
_LATER_IMAGES = re.compile(r"(?:redistribution|delayed)\b", re.I)


# A parenthesis after a table's scores or columns, whose phase pair names the order of the columns.
_COLUMN_LEGEND = re.compile(r"\b(?:scores?|scoring|columns?|values?|counts?)[ \t]*\([ \t]*\Z", re.I)


def _protocol_from_dose_order(ctx: _Ctx) -> dict[str, Any] | None:
    """The protocol from the order of the phases given their doses ("rest and stress images after 11 and 33 mCi")."""
    # the dose order needs doses; the order of the phases named with the stress agent does not ("rest and
    # regadenoson stress myocardial perfusion study"), and is then the span
    doses = "mci" in ctx.text.lower() or "mbq" in ctx.text.lower()
    wording = load_wording()
    for i in _finding_sentences(ctx):
        s0, s1 = ctx.sent_bounds[i]
        sentence = ctx.text[s0:s1]
        for value, rx in wording.protocol_order:
            m = rx.search(sentence)
            if m is None:
                continue
            named = _AGENT_NAMED_PHASES.match(sentence, m.start())
            if named is not None:
                return _value(value, (s0 + named.start(), s0 + named.end()))
            if doses:
                return _value(value, (s0 + m.start(), s0 + m.end()))
    # without doses, the phases named before the study's tracer ("Rest and stress N-13 ammonia PET/CT", "rest and
    # stress Rb-82 images"): the tracer's injections, rest named first against the usual stress-over-rest display
    # order, are the order of acquisition; the phases of the images or the camera ("stress and rest images", "Rest
    # and stress SPECT images were obtained") say nothing of it
    for word in _findings(ctx.get("TRACER")):
        w0 = max(ctx.sent_bounds[word.sent][0], word.start - 60)
        phases = _PHASES_BEFORE_STUDY.search(ctx.text, w0, word.start)
        if phases is not None:
            return _value("rest-stress", (phases.start(), phases.end("pair")))
    return None


# The phase pair "rest and stress" right before a tracer, at most two words between ("myocardial perfusion").
_PHASES_BEFORE_STUDY = re.compile(
    r"(?<![\w-])(?P<pair>rest(?:ing)?\s+and\s+stress)\s+(?:(?!images?\b|imaging\b)[\w/-]+\s+){0,2}\Z", re.I
)


# The phases of a protocol named with its stress agent between them ("rest and regadenoson stress").
_AGENT_NAMED_PHASES = re.compile(
    r"rest(?:ing)?(?:\s+and\s+|\s*/\s*)(?:regadenoson|adenosine|dipyridamole|dobutamine|lexiscan|persantine|exercise|"
    r"treadmill|pharmacologic(?:al)?|vasodilator)\s+stress\b",
    re.I,
)


_EXERCISE_NAMED = re.compile(r"\bex(?:ercise)?\b", re.I)
# A protocol said to be the plan ("A stress-only protocol was planned", "originally scheduled as a two-day study"):
# the one performed, said elsewhere ("so the final protocol is stress/rest"), is the study's.
_PLANNED_AFTER = re.compile(
    r"[^.;\n]{0,80}?\b(?:was|were|had\s+been|has\s+been|is)\s+(?:initially\s+|originally\s+)?"
    r"(?:planned|intended|scheduled|booked|requested|ordered)\b",
    re.I,
)
_PLANNED_BEFORE = re.compile(r"\b(?:planned|intended|scheduled|booked|originally|initially)\b[^.;\n]{0,40}\Z", re.I)
# A test converted from exercise to a pharmacologic stress ("was converted to pharmacologic stress", "switched to
# regadenoson"): exercise, then the agent, a combined test.
_CONVERTED_TO = re.compile(
    r"\b(?:converted|switched|changed|crossed\s+over)\s+(?:over\s+)?to\s+(?:an?\s+|the\s+)?\Z", re.I
)


def _planned_protocol(ctx: _Ctx, m: Mention) -> bool:
    s0, s1 = ctx.sent_bounds[m.sent]
    return bool(_PLANNED_AFTER.match(ctx.text, m.end, s1) or _PLANNED_BEFORE.search(ctx.text, s0, m.start))


def _converted_to(ctx: _Ctx, m: Mention, exercise: list[Mention]) -> int | None:
    """Where the conversion to a pharmacologic stress starts, when exercise was done before it."""
    if not any(e.start < m.start for e in exercise):
        return None
    hit = _CONVERTED_TO.search(ctx.text, max(ctx.sent_bounds[m.sent][0], m.start - 40), m.start)
    return hit.start() if hit is not None else None


def _stress(ctx: _Ctx) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    agents = [m for m in _findings(ctx.get("AGENT")) if not m.negated]
    agent = None
    for m in agents:
        after = ctx.text[m.end : min(ctx.sent_bounds[m.sent][1], m.end + 40)]
        if _DOSE.search(after):
            agent = m
            break
    if agent is None and agents:
        agent = agents[0]
    pharm = [m for m in _findings(ctx.get("PHARM_STRESS")) if not m.negated]
    exercise = _method_first(m for m in _findings(ctx.get("EXERCISE")) if not m.negated)
    stress_agent = _value(agent.value, (agent.start, agent.end)) if agent else None
    stress_type = None
    if agent is not None or pharm:
        # "STRESS_MODE: REGADENOSON + LOW LEVEL EXERCISE" then "STRESS_AGENT: REGADENOSON 0.4 MG": the agent and
        # the exercise named together make a combined test, whichever mention of the agent carries the dose
        together = [a for a in agents if any(e.sent == a.sent for e in exercise)]
        # "STRESS_MODE=EX+PHARM": a pharmacologic stress that names exercise with it
        named_both = any(_EXERCISE_NAMED.search(ctx.text, m.start, m.end) for m in pharm)
        combined = (agent is not None and bool(together)) or named_both
        src = pharm[0] if pharm else (together[0] if together else agent)
        assert src is not None
        start = src.start
        converted = next(
            (c for c in (_converted_to(ctx, p, exercise) for p in (*pharm, *agents)) if c is not None), None
        )
        if converted is not None and not combined:
            # "walked 4 minutes ... The test was converted to pharmacologic stress": exercise, then the agent
            combined, start = True, converted
            src = next(p for p in (*pharm, *agents) if _converted_to(ctx, p, exercise) == converted)
        value = StressType.BOTH.value if combined else StressType.PHARMACOLOGIC.value
        stress_type = _value(value, (start, src.end))
    elif exercise:
        stress_type = _value(StressType.EXERCISE.value, (exercise[0].start, exercise[0].end))
    return stress_type, stress_agent


_BASELINE_ECG = re.compile(
    r"\b(?:baseline|resting|rest|pre-?existing|pre-?stress)\s+(?:ecg|ekg|electrocardiogra|rhythm)", re.I
)


def _sentence_section(ctx: _Ctx, sent: int) -> str | None:
    return ctx.tok_section[ctx.sent_tok[sent][0]]


def _sentences_matching(ctx: _Ctx, rx: re.Pattern[str]) -> list[int]:
    """The finding sentences (see ``_finding_sentences``) in which ``rx`` matches, in order; one search of the text."""
    excluded = _NON_FINDING_SECTIONS | _HISTORICAL_SECTIONS
    starts = [b[0] for b in ctx.sent_bounds]
    out: list[int] = []
    for m in rx.finditer(ctx.text):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and (not out or out[-1] != i) and _sentence_section(ctx, i) not in excluded:
            out.append(i)
    return out


def _finding_sentences(ctx: _Ctx) -> Iterable[int]:
    """Sentences outside indication, history, signature and prior-study sections, in document order."""
    excluded = _NON_FINDING_SECTIONS | _HISTORICAL_SECTIONS
    return (i for i in range(len(ctx.sent_bounds)) if _sentence_section(ctx, i) not in excluded)


def _ecg_verdict(ctx: _Ctx) -> tuple[int, str, tuple[int, int]] | None:
    """The first verdict written in a sentence about the stress ECG (``wording.json``), as (start, value, span).

    In such a sentence the earliest verdict ("negative for ischemia despite 0.5 mm ST depression",
    "ST depression in V5-V6, equivocal") is the ECG response, before any ST keyword.
    """
    wording = load_wording()
    text = ctx.text
    resting_statement = -1  # the sentence after a "Resting ECG:" label: the ECG before stress, whatever its cues
    for i in _sentences_matching(ctx, wording.ecg_cue):
        if i == resting_statement:
            continue
        s0, s1 = ctx.sent_bounds[i]
        header_baseline = False
        if _HEADER_ONLY.fullmatch(text, s0, s1) and i + 1 < len(ctx.sent_bounds):
            # "ECG:" on its own: its statement is the next sentence ("Resting ECG:" on its own: the ECG before stress)
            header_baseline = _BASELINE_ECG.search(text, s0, s1) is not None
            s0, s1 = ctx.sent_bounds[i + 1]
        if header_baseline:
            resting_statement = i + 1
            continue
        sentence = text[s0:s1]
        hits = [(m.start(), m.start() - m.end(), v, m) for v, rx in wording.ecg_verdicts for m in rx.finditer(sentence)]
        if not hits:
            closing = _closing_clause(ctx, s1)
            if closing is not None:
                return closing  # "ECG: 1 mm ST depression at peak, resolving in recovery; equivocal."
            continue
        baseline = _BASELINE_ECG.search(sentence)
        # "no ST deviation, which is nondiagnostic for ischemia", "No ST changes; nondiagnostic (pharmacologic)": a
        # test said to be nondiagnostic says nothing by its ST segments, so that verdict wins in its statement
        # (the sentence and a clause after a semicolon on its line)
        # the same holds for a test called equivocal ("1 mm ST depression at peak ...; equivocal"): the reader's
        # verdict on the ST segments, not the ST segments themselves
        nondiagnostic = [h for h in hits if h[2] == "nondiagnostic"] or [h for h in hits if h[2] == "equivocal"]
        if not nondiagnostic:
            closing = _closing_clause(ctx, s1)
            if closing is not None:
                return closing
        start, _, value, m = min(nondiagnostic or hits, key=lambda h: (h[0], h[1]))
        if baseline is not None and baseline.start() < start:
            continue  # "Resting ECG: normal sinus rhythm" -- the ECG before stress
        concluded = _concluding_verdict(ctx, s1, value)
        if concluded is not None:
            return concluded  # "no ST changes during infusion; nonischemic": the reader's word on what was described
        if value == "nonischemic" and i + 1 < len(ctx.sent_bounds):
            later = _closing_sentence(ctx, i + 1)
            if later is not None:
                return later  # "no further ST deviation with exercise. The ECG response is non-diagnostic ..."
        return s0 + start, value, (s0 + m.start(), s0 + m.end())
    return None


def _concluding_verdict(ctx: _Ctx, end: int, value: str) -> tuple[int, str, tuple[int, int]] | None:
    """The clause after a semicolon that ends the sentence at ``end`` (same line) when it is nothing but a verdict of
    the same ``value`` ("...; nonischemic.", "...; negative for ischemia"): the verdict the statement concludes with."""
    n0, n1 = _clause_after(ctx, end)
    if n0 >= n1:
        return None
    text = ctx.text
    for v, rx in load_wording().ecg_verdicts:
        hit = rx.search(text, n0, n1) if v == value else None
        if hit is not None and not text[n0 : hit.start()].strip() and not text[hit.end() : n1].strip(" \t.,"):
            return hit.start(), value, (hit.start(), hit.end())
    return None


def _closing_sentence(ctx: _Ctx, i: int) -> tuple[int, str, tuple[int, int]] | None:
    """A closing verdict (nondiagnostic, equivocal) of sentence ``i`` when it speaks of the ECG and follows on the
    line of the sentence before it: the reader's verdict on a test whose ST segments were just described."""
    n0, n1 = ctx.sent_bounds[i]
    if "\n" in ctx.text[ctx.sent_bounds[i - 1][1] : n0] or load_wording().ecg_cue.search(ctx.text, n0, n1) is None:
        return None
    return _closing_verdict_in(ctx, n0, n1)


# Verdicts that close an ECG statement whatever its ST segments show.
_CLOSING_VERDICTS = ("nondiagnostic", "equivocal")


def _closing_clause(ctx: _Ctx, end: int) -> tuple[int, str, tuple[int, int]] | None:
    """A closing verdict in the clause after a semicolon that ends a sentence at ``end`` (same line)."""
    n0, n1 = _clause_after(ctx, end)
    if n0 >= n1:
        return None
    return _closing_verdict_in(ctx, n0, n1)


def _closing_verdict_in(ctx: _Ctx, n0: int, n1: int) -> tuple[int, str, tuple[int, int]] | None:
    """The first closing verdict (nondiagnostic before equivocal) in ``ctx.text[n0:n1]``."""
    verdicts = dict(load_wording().ecg_verdicts)
    for closing in _CLOSING_VERDICTS:
        m = verdicts[closing].search(ctx.text, n0, n1)
        if m is not None:
            return m.start(), closing, (m.start(), m.end())
    return None


# A sentence that is only a label ("ECG:", "ECG_STRESS=").
_HEADER_ONLY = re.compile(r"\s*[\w /()-]{1,30}[:=]\s*")


def _clause_after(ctx: _Ctx, end: int) -> tuple[int, int]:
    """The clause after a semicolon that ends a sentence at ``end``, on the same line; (0, 0) if none."""
    text = ctx.text
    k = end
    while k > 0 and text[k - 1] in " \t":
        k -= 1
    semicolon = text.rfind(";", max(0, k - 2), k + 2)
    if semicolon < 0:
        return 0, 0
    line_end = text.find("\n", semicolon)
    line_end = len(text) if line_end < 0 else line_end
    nxt = text.find(".", semicolon + 1, line_end)
    return semicolon + 1, line_end if nxt < 0 else nxt


def _ecg(ctx: _Ctx) -> dict[str, Any] | None:
    found: tuple[int, str, tuple[int, int]] | None = None
    for m in _findings(ctx.get("ECG_RESULT")):
        value = m.value
        if m.negated:
            value = "nonischemic" if value == "ischemic" else None
        if value:
            found = (m.start, value, m.cue_span)
            break
    verdict = _ecg_verdict(ctx)
    # the earlier statement wins, and at the same place the longer ("ischemic ST depression" over "ischemic");
    # a nondiagnostic verdict wins in its statement (same line, no full stop between)
    same_statement = (
        verdict is not None
        and found is not None
        and "\n" not in ctx.text[min(verdict[0], found[0]) : max(verdict[0], found[0])]
        and "." not in ctx.text[min(verdict[0], found[0]) : max(verdict[0], found[0])]
    )
    if (
        verdict is not None
        and (
            found is None
            or (verdict[1] in _CLOSING_VERDICTS and same_statement)
            # the same verdict concluding the statement after a semicolon ("no ST changes; nonischemic")
            or (same_statement and verdict[1] == found[1] and ";" in ctx.text[found[0] : verdict[0]])
            or (verdict[0], verdict[2][0] - verdict[2][1]) <= (found[0], found[2][0] - found[2][1])
        )
    ):
        found = verdict
    if found is not None:
        return _value(found[1], found[2])
    for m in _findings(ctx.get("ST_DEPRESSION")):
        before = ctx.text[ctx.sent_bounds[m.sent][0] : m.start]
        if re.search(r"\b(baseline|resting|at rest|pre-?existing)\b", before, re.I):
            continue
        return _value("nonischemic" if m.negated else "ischemic", m.cue_span)
    return None


# An addendum that says it does not share the reading above it ("I disagree with the perfusion read", "the
# preliminary interpretation is revised", "I do not agree that this is attenuation").
_DISAGREES = re.compile(
    r"\b(?:disagree\w*|(?:do|does|did)\s+not\s+agree|don't\s+agree|not\s+in\s+agreement|revis(?:e|ed|es|ing)|"
    r"overrul\w*|amend(?:s|ed|ing)?|supersed\w*|(?:is|are|was)\s+reversed)\b",
    re.I,
)


def _addendum_overrules_the_read(ctx: _Ctx) -> bool:
    """An addendum disagrees with the reading above it and finds a defect of its own: the artifact that the reading
    blamed is no longer the report's (the final read calls the finding a defect)."""
    said = [m for m in ctx.get("DEFECT", "ISCHEMIA") if m.section == "addendum" and not m.negated]
    if not said:
        return False
    return any(
        _sentence_section(ctx, i) == "addendum" and _DISAGREES.search(ctx.text, s0, s1)
        for i, (s0, s1) in enumerate(ctx.sent_bounds)
    )


def _artifact(ctx: _Ctx) -> dict[str, Any] | None:
    """The artifact the findings name; "none" only when no artifact is named, only denied: a denial of one kind
    ("No significant subdiaphragmatic activity") says nothing of another ("consistent with diaphragmatic
    attenuation")."""
    denial: dict[str, Any] | None = None
    named = _ordered(_findings(ctx.get("ARTIFACT", "ARTIFACT_WORD")))
    # an addendum that calls the finding a defect and not an artifact ("consistent with scar rather than attenuation",
    # after the rest images) settles the question the reading above it left open ("... versus attenuation")
    overruled = _addendum_overrules_the_read(ctx) or any(
        m.section == "addendum" and m.negated and _finding_called_no_artifact(ctx, m) for m in named
    )
    # a read that named no artifact, only denied one ("No significant attenuation artifact"), keeps its denial: the
    # addendum that revises its defect ("... is therefore partially reversible") blames no artifact it overrules
    denied = {id(m) for m in named if m.negated and not _opening_adjunct_denial(ctx, m)}
    blamed = overruled and any(m.section != "addendum" and id(m) not in denied for m in named)
    for m in named:
        if overruled and m.section != "addendum" and (blamed or id(m) not in denied):
            continue  # the preliminary read's "likely attenuation", which the attending's defect replaces
        answered = _key_answer(ctx, m) if m.label == "ARTIFACT_WORD" else None
        if answered is not None and answered[0] == "absent":
            denial = denial or _value("none", answered[1])  # "Artifact: None", "ARTIFACT=none": the key's value
        elif m.negated and not _opening_adjunct_denial(ctx, m):
            if m.value == "extracardiac activity" and m.label == "ARTIFACT":
                # "No significant extracardiac activity": a note of image quality, as the golds read it, not the
                # reader's verdict that the images have no artifact (struct_test7 w02, struct_test23 m01)
                continue
            set_aside = any(o.sent == m.sent and o.end <= m.start and _considered_and_set_aside(ctx, o) for o in named)
            if not _finding_called_no_artifact(ctx, m) and not set_aside:  # (set aside: the denial is of that one)
                denial = denial or _value("none", m.cue_span)
        elif _CORRECTED_AFTER.match(ctx.text, m.end, ctx.sent_bounds[m.sent][1]) and any(
            o.negated and o.sent != m.sent for o in _findings(ctx.get("ARTIFACT", "ARTIFACT_WORD"))
        ):
            # "Patient motion ... was corrected with software", "... did not interfere", and a sentence of its own that
            # denies any artifact ("No significant artifact on the final images"): the reader's verdict is none (a
            # corrected motion with no such verdict stays the study's motion, struct_dev9 k03)
            continue
        elif _considered_and_set_aside(ctx, m):
            continue  # "breast attenuation was considered but ... not attributed to artifact": neither found nor denied
        elif m.label != "ARTIFACT_WORD":  # an artifact of no named type ("no significant artifact"): only its denial
            return _value(m.value, m.cue_span, "uncertain" if m.uncertain else "affirmed")
    return denial


# An artifact the reader says was weighed and then set aside, in the rest of its sentence: "Mild breast attenuation
# anteriorly considered but the defect is reversible ..., so not attributed to artifact", "diaphragmatic attenuation
# was considered and excluded on prone imaging", "attenuation was considered, but felt unlikely".
_CONSIDERED_SET_ASIDE = re.compile(
    r"[^.;\n]{0,40}?\b(?:was\s+|were\s+)?(?:considered|entertained|raised|queried)\b[ \t,]*(?:but|and|however)\b"
    r"[^.;]{0,160}?\b(?:not|excluded|ruled\s+out|unlikely|discounted|dismissed|rejected)\b",
    re.I,
)


def _considered_and_set_aside(ctx: _Ctx, m: Mention) -> bool:
    """The artifact was considered as the cause and set aside (``_CONSIDERED_SET_ASIDE``): no artifact of the study,
    and no doubt cast on the defect beside it; nor is it the reader's plain "no artifact" (the field stays open)."""
    return not m.negated and _CONSIDERED_SET_ASIDE.match(ctx.text, m.end, ctx.sent_bounds[m.sent][1]) is not None


# An artifact that its own clause says was corrected ("motion ... was identified and was corrected with
# motion-correction software", "motion, successfully corrected"): it does not remain on the final images.
_CORRECTED_AFTER = re.compile(
    r"[^.;]{0,120}?\b(?:(?:(?:was|were|has\s+been|have\s+been|been)\s+(?:\w+\s+){0,2}?|successfully\s+)corrected\b|"
    # or that it did not bear on the reading ("Subdiaphragmatic activity was minimal and did not interfere")
    r"(?:did|does|do)\s+not\s+interfere\b)",
    re.I,
)


# A denial predicated of a finding named before it: "the inferior abnormality is not attenuation", "the defect was
# not due to motion", "the reduction does not represent attenuation".
_NOT_OF_A_FINDING = re.compile(
    r"[^.;:]{0,60}?\b(?:(?:is|are|was|were)\s+not|(?:does|do|did)\s+not\s+(?:represent|reflect|indicate))\s+"
    r"(?:an?\s+|the\s+result\s+of\s+|(?:due|related|secondary)\s+to\s+|caused\s+by\s+|from\s+)?\Z",
    re.I,
)


def _opening_adjunct_denial(ctx: _Ctx, m: Mention) -> bool:
    """A sentence that opens with a "without" phrase set off by a comma ("Without rest images, ischemia versus
    infarct versus diaphragmatic attenuation cannot be distinguished"): the phrase says what the reader lacks, and
    denies nothing of the clause after its comma."""
    if m.cue_start is None or m.cue_start >= m.start:
        return False
    opening = ctx.text[ctx.sent_bounds[m.sent][0] : m.cue_start].strip(" \t\n-*:")
    adjunct = _WITHOUT_ADJUNCT.match(ctx.text, m.cue_start, m.start)
    # a clause of its own after the comma, with its verb ("... cannot be distinguished"), not the rest of a list the
    # denial runs through ("Without significant motion, attenuation or other artifact.")
    return (
        not opening
        and adjunct is not None
        and _CLAUSE_VERB.search(ctx.text, adjunct.end(), ctx.sent_bounds[m.sent][1]) is not None
    )


_WITHOUT_ADJUNCT = re.compile(r"without\b[^,;.\n]{1,60},", re.I)
_CLAUSE_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|can|cannot|could|may|might|will|would|shows?|showed|appears?|seen|noted)\b", re.I
)


# A denial that sets an artifact aside as the explanation not chosen: "rather than", "as opposed to", "instead of".
_ALTERNATIVE_SET_ASIDE = re.compile(r"(?:rather\s+than|as\s+opposed\s+to|instead\s+of)\b", re.I)


def _finding_called_no_artifact(ctx: _Ctx, m: Mention) -> bool:
    """A denial of an artifact said of one finding ("the inferior abnormality is not attenuation: there is a ...
    defect"): the finding is a defect, which says nothing of whether the study has an artifact. So is one set aside as
    the other explanation of a finding ("a fixed inferior defect, consistent with scar rather than attenuation")."""
    cue = ctx.text[m.cue_span[0] : m.cue_span[1]] if m.cue_span else ""
    if _ALTERNATIVE_SET_ASIDE.match(cue) and any(
        d.sent == m.sent and d.end <= m.start for d in ctx.get("DEFECT", "INFARCTION", "ISCHEMIA")
    ):
        return True
    return any(
        d.sent == m.sent and d.end <= m.start and _NOT_OF_A_FINDING.fullmatch(ctx.text, d.end, m.start) is not None
        for d in ctx.get("DEFECT")
    )


def _negated_here(ctx: _Ctx, m: Mention) -> bool:
    """Negated by a cue of its own clause: a negation before a comma ("LV not dilated, wall motion normal") is
    another statement's."""
    if not m.negated:
        return False
    return m.cue_start is None or m.cue_start >= m.start or "," not in ctx.text[m.cue_start : m.start]


_NEW_WORD = re.compile(r"\bnew\b", re.I)


def _addendum_first_said(mentions: list[Mention]) -> list[Mention]:
    """An addendum's own statements where it states the finding (it corrects the report above it: "wall motion is
    normal on the reprocessed images"), else every statement."""
    amended = [m for m in mentions if m.section == "addendum"]
    return amended or mentions


def _wall_motion(ctx: _Ctx) -> dict[str, Any] | None:
    mentions = [m for m in _addendum_first_said(_findings(ctx.get("WALL_MOTION"))) if not _vessel_aneurysm(ctx, m)]
    for m in mentions:
        if m.value == "abnormal" and not _negated_here(ctx, m):
            return _value("abnormal", m.cue_span, "uncertain" if m.uncertain else "affirmed")
    for m in mentions:
        negated = _negated_here(ctx, m)
        if negated and m.cue_start is not None and _NEW_WORD.search(ctx.text, m.cue_start, m.start):
            continue  # "no new wall motion abnormality": an old one may remain, so the motion is not called normal
        if (m.value == "normal" and not negated) or (m.value == "abnormal" and negated):
            span = m.cue_span if negated else (m.start, m.end)
            return _value("normal", span)
    return _normal_wall_named(ctx)


# An aneurysm of a vessel, not of the ventricle's wall: "giant aneurysm of the proximal LAD", "coronary artery
# aneurysms", "abdominal aortic aneurysm repair".
_VESSEL = (
    r"(?:coronary|arter(?:y|ies|ial)|aort(?:a|ic)|abdominal|thoracic|cerebral|intracranial|iliac|popliteal|femoral|"
    r"lad|rca|lcx|lmca|left\s+main|circumflex|descending|diagonal|obtuse\s+marginal|ventricular\s+septal|septal\s+sinus|"
    r"sinus\s+of\s+valsalva|atrial\s+septal|graft)"
)
_VESSEL_BEFORE_ANEURYSM = re.compile(rf"\b{_VESSEL}\b[^.;:,\n]{{0,25}}\Z", re.I)
_VESSEL_AFTER_ANEURYSM = re.compile(
    rf"s?\s+(?:of|in|involving)\s+(?:the\s+)?(?:(?:proximal|mid|distal|ostial|ascending|descending|left|right)\s+)*{_VESSEL}\b"
    r"(?!\s+(?:territory|distribution|vascular))",  # "apical aneurysm in the LAD territory" is the ventricle's
    re.I,
)


def _vessel_aneurysm(ctx: _Ctx, m: Mention) -> bool:
    """The wall-motion word is an aneurysm of a vessel (a coronary artery, the aorta), not of the left ventricle."""
    if "aneurysm" not in ctx.text[m.start : m.end].lower():
        return False
    return (
        _VESSEL_BEFORE_ANEURYSM.search(ctx.text, max(0, m.start - 40), m.start) is not None
        or _VESSEL_AFTER_ANEURYSM.match(ctx.text, m.end) is not None
    )


_MOTION_WALL = (
    r"(?:inferolateral|inferoseptal|anterolateral|anteroseptal|inferior|anterior|lateral|septal|apical|posterior)"
)
# A wall's motion called normal, as a reader argues from it ("Gated images show normal inferior wall motion and
# thickening"). Read here, for the study's own wall motion, not as a concept: a claim checker must not take one
# wall's normal motion for a statement on the whole ventricle.
# The wall may follow its motion ("normal motion and thickening of the anterior wall").
_WALL_NORMAL_MOTION = re.compile(
    rf"(?<![\w-])normal\s+(?:(?:basal|mid|apical|distal)\s+)?{_MOTION_WALL}(?:\s*(?:,|and|&|/)\s*{_MOTION_WALL})*"
    r"\s+(?:wall\s+)?motion\b"
    r"|(?<![\w-])normal\s+(?:wall\s+)?motion(?:\s+(?:and|&)\s+(?:systolic\s+)?thickening)?\s+(?:of|in)\s+the\s+"
    rf"(?:(?:basal|mid|apical|distal)\s+)?{_MOTION_WALL}(?:\s*(?:,|and|&|/)\s*{_MOTION_WALL})*\s+(?:wall|walls|segments?)\b",
    re.I,
)


def _normal_wall_named(ctx: _Ctx) -> dict[str, Any] | None:
    """With no statement on the wall motion, a wall's normal motion in the findings is normal wall motion (one
    abnormal wall stated anywhere is read first, by ``_wall_motion``)."""
    for i, (s0, s1) in enumerate(ctx.sent_bounds):
        if _sentence_section(ctx, i) in _NON_FINDING_SECTIONS | _HISTORICAL_SECTIONS:
            continue
        m = _WALL_NORMAL_MOTION.search(ctx.text, s0, s1)
        if m is not None:
            return _value("normal", (m.start(), m.end()))
    return None


def _lv_size(ctx: _Ctx) -> dict[str, Any] | None:
    # a denial is the size's only where it is close before it, not one of an item listed before ("No TID, LV not
    # dilated": the "No" is the TID's; _number_negated)
    # nor the size another imaging test gave ("Echo (June 2026): LVEF 58%, LV normal size", a letter's list of tests)
    sizes = [
        m for m in _findings(ctx.get("LV_SIZE")) if not _number_negated(ctx, m) and not _of_another_imaging_test(ctx, m)
    ]
    for m in _addendum_first_said(sizes):
        return _value(m.value, (m.start, m.end))
    return None


def _result_mentions(ctx: _Ctx) -> list[Mention]:
    return [m for m in _findings(ctx.get("RESULT")) if not m.remainder and not m.negated]


def _addendum_verdicts(ctx: _Ctx) -> list[Mention]:
    """An addendum's verdicts on the study: its RESULT concepts, then bare verdicts that the addendum predicates
    of the study ("The study is therefore reclassified as probably normal")."""
    out = [m for m in _result_mentions(ctx) if m.section == "addendum"]
    rx = load_wording().predicated_verdict
    for m in _findings(ctx.get("RESULT_BARE")):
        if rx is None or m.section != "addendum" or m.negated or m.remainder:
            continue
        if rx.search(ctx.text, ctx.sent_bounds[m.sent][0], m.start):
            out.append(m)
    return out


def _overall(ctx: _Ctx, is_mpi: bool) -> dict[str, Any] | None:
    """The verdict of the impression; an addendum's verdict ("The impression is amended to: mildly abnormal
    study") replaces it."""
    for m in _addendum_verdicts(ctx):
        return _value(m.value, (m.start, m.end))
    for m in _findings(ctx.get("RESULT_BARE", "RESULT")):
        # "Overall interpretation: abnormal, because of the reduced flow reserve": the verdict labelled as the whole
        # study's, over a verdict on relative perfusion alone in the items above it
        if (
            m.section in _IMPRESSION
            and not m.negated
            and not m.uncertain
            and _OVERALL_LABEL.search(ctx.text, max(0, m.start - 40), m.start)
        ):
            return _value(m.value, (m.start, m.end))
    verdicts = [m for m in _result_mentions(ctx) if m.section in _IMPRESSION]
    # a verdict on the study before one on perfusion alone ("Normal relative perfusion ... Abnormal study because
    # of globally reduced flow")
    for m in sorted(verdicts, key=lambda m: _PERFUSION_ONLY.search(ctx.text, m.start, m.end) is not None):
        return _value(m.value, (m.start, m.end))
    for m in _findings(ctx.get("RESULT_BARE")):
        # "Impression: Normal." / "Impression=Abnormal: small area of ..." -- the verdict opens the section
        if m.section in _IMPRESSION and not m.negated and not m.remainder:
            sec_start = _section_body_start(ctx, m.tok_start)
            after = ctx.text[m.end : m.end + 2]
            line_end = ctx.text.find("\n", m.end)
            if _verdict_alone(ctx, m):
                return _value(m.value, (m.start, m.end))
            if (
                sec_start is not None
                and ctx.text[sec_start : m.start].strip() == ""
                # "Study:  [x] Normal  [ ] Abnormal" reads "Study:      Normal" with the boxes blank
                and (after[:1] in ("", ".", ":", ";", ",", "\n") or not ctx.text[m.end : line_end].strip())
            ):
                return _value(m.value, (m.start, m.end))
    return (
        _title_verdict(ctx, is_mpi)
        or _impression_defect(ctx, is_mpi)
        or _letter_verdict(ctx, is_mpi)
        or _embedded_verdict(ctx)
    )


# The sections that read a study's results under their own header: a note without any tells the study in its prose.
_RESULT_SECTIONS = frozenset({"impression", "findings", "perfusion", "addendum"})


def _embedded_verdict(ctx: _Ctx) -> dict[str, Any] | None:
    """The verdict of a study told inside another document that has no findings or impression header of its own (a
    consult note's paragraph "... Final read: abnormal study; ...", a discharge summary quoting the outside report
    "Normal myocardial perfusion."): its verdict phrase, said of this study and not denied, hedged or of a prior; a
    verdict on perfusion alone only where it opens the quoted report's conclusion."""
    if any(sec.category in _RESULT_SECTIONS for sec in ctx.doc._.sections):
        return None
    for m in _findings(ctx.get("RESULT")):
        if m.negated or m.uncertain or m.remainder or m.prior_cue:
            continue
        opens_a_quote = ctx.text[: m.start].rstrip().endswith(('"', "\u201c"))
        if _PERFUSION_ONLY.search(ctx.text, m.start, m.end) and not opens_a_quote:
            continue  # "Perfusion unremarkable.": a verdict on perfusion alone, unless it opens a quoted conclusion
        return _value(m.value, (m.start, m.end))
    return None


def _letter_verdict(ctx: _Ctx, is_mpi: bool) -> dict[str, Any] | None:
    """The verdict of a report without any header (a clinic letter's paragraph) that a sentence predicates of the
    study, however long its subject ("the exercise SPECT we arranged last month for her breathlessness was
    normal"); the subject's study is this one, not another test's ("her echocardiogram was normal", "the treadmill
    ECG was normal") nor an earlier one. A note with headers of its own but none of a study's results (a discharge
    summary's "Hospital course:", "Medications:") tells the study in its prose, as a letter does."""
    if any(sec.category in _RESULT_SECTIONS for sec in ctx.doc._.sections):
        return None
    wording = load_wording()
    rx = wording.study_subject
    if rx is None:
        return None
    for m in _findings(ctx.get("RESULT_BARE")):
        if m.negated or m.remainder or m.uncertain or m.prior_cue:
            continue
        s0 = ctx.sent_bounds[m.sent][0]
        said = rx.search(ctx.text[s0 : m.start])
        if said is None:
            continue
        subject = ctx.text[max(s0, s0 + said.start() - 40) : s0 + said.start("rest")]
        if is_mpi and (
            wording.ecg_cue.search(subject)
            or (wording.other_test_noun is not None and wording.other_test_noun.search(subject))
            or _LETTER_OTHER_TEST.search(subject)
        ):
            continue
        return _value(m.value, (s0 + said.start("verb"), m.end))
    return None


# Words before a study noun that name a test other than the imaging ("the treadmill test", "an earlier scan").
_LETTER_OTHER_TEST = re.compile(
    r"\b(?:treadmill|exercise\s+tolerance|prior|previous|earlier|outside|old)\s+\S*\Z", re.I
)


_ITEM_MARK = re.compile(r"(?:\(?\d{1,2}[.)]|[-*\u2022])?")


def _verdict_alone(ctx: _Ctx, m: Mention) -> bool:
    """A bare verdict that is a sentence of its own, wherever it stands in the impression ("Two-vessel ischemia.
    High risk. Abnormal."), not the value of a label before it on its line ("LV size: Normal.")."""
    s0, s1 = ctx.sent_bounds[m.sent]
    # "1. Abnormal." / "- Abnormal.": the item mark of a list is no text before the verdict
    if not _ITEM_MARK.fullmatch(ctx.text[s0 : m.start].strip()) or ctx.text[m.end : s1].strip() not in ("", "."):
        return False
    line = ctx.text[ctx.text.rfind("\n", 0, s0) + 1 : s0].rstrip()
    return not line.endswith((":", "="))


def _impression_defect(ctx: _Ctx, is_mpi: bool) -> dict[str, Any] | None:
    """An impression without a verdict that states a perfusion defect of this study (or the ischemia or infarct it
    shows), affirmed and placed on a wall or a vessel's territory ("2. MODERATE REVERSIBLE INFEROLATERAL PERFUSION
    ABNORMALITY C/W ISCHEMIA", "Mild ischemia in the LCx territory"): the study is abnormal. A hedged,
    denied or prior defect, or one its sentence puts down to an artifact, says nothing of the kind."""
    if not is_mpi:
        return None
    walled = {m.sent for m in ctx.get("WALL", "TERRITORY") if m.section in _IMPRESSION and not m.negated}
    explained = {m.sent for m in ctx.get("ARTIFACT")}
    # the ischemia or infarct a defect shows, placed as well ("Small basal inferior infarct with mild peri-infarct
    # ischemia", "Mild ischemia in the LCx territory"), says the same; a hedged one does not, and one put down to a
    # cause in the next sentence ("Mild septal ischemia. Likely due to the left bundle-branch block") still reports a
    # perfusion abnormality
    for m in sorted((*ctx.get("DEFECT"), *ctx.get("ISCHEMIA"), *ctx.get("INFARCTION")), key=lambda m: m.start):
        if (
            m.section in _IMPRESSION
            and m.current
            and not m.remainder
            and m.certainty == Certainty.AFFIRMED.value
            and m.sent in walled
            and m.sent not in explained
            # "History of inferior infarct in 2019": the patient's infarct, told as history, is no finding
            and not (m.label == "INFARCTION" and _TOLD_AS_HISTORY.search(ctx.text, ctx.sent_bounds[m.sent][0], m.start))
        ):
            return _value("abnormal", (m.start, m.end))
    return None


# A history cue before an infarct in its sentence ("History of inferior MI", "s/p inferior infarct").
_TOLD_AS_HISTORY = re.compile(r"\b(?:history|hx|h/o|s/p|status\s+post)\b", re.I)


def _title_verdict(ctx: _Ctx, is_mpi: bool) -> dict[str, Any] | None:
    """The verdict of a title-like impression sentence ("Normal stress-only CZT perfusion study"); a perfusion
    study's "Normal exercise ECG test" is the verdict of its ECG part, not of the study."""
    wording = load_wording()
    for i in range(len(ctx.sent_bounds)):
        if _sentence_section(ctx, i) not in _IMPRESSION:
            continue
        s0, s1 = ctx.sent_bounds[i]
        m = wording.title_verdict.search(ctx.text[s0:s1])
        if m is None:
            continue
        group = next(g for g, v in m.groupdict().items() if v is not None)
        if is_mpi and wording.ecg_cue.search(m.group(), m.end(group)):
            continue
        if is_mpi and wording.other_test_noun is not None and wording.other_test_noun.search(m.group(), m.end(group)):
            continue  # "Normal resting echocardiogram" in a perfusion study's impression: another test's verdict
        if m.group(group).lower() == "negative" and (
            is_mpi
            or any(s0 + m.start() <= t.start < s0 + m.end() for t in ctx.get("EXERCISE", "AGENT", "PHARM_STRESS"))
        ):
            # "Negative stress test", "Negative exercise treadmill test": the stress ECG's verdict, of a perfusion
            # study or of a treadmill test alone; a scan read on its own ("Negative Tc-99m PYP scan") is normal
            continue
        start = s0 + m.start(group)
        return _value(wording.title_values[group], (start, s0 + m.end()))
    return None


# A key of its own line that names perfusion, up to its value ("PERF_RESULT=", "Perfusion result:").
_PERFUSION_KEY = re.compile(r"(?:^|\n)[ \t]*(?:[a-z]+[_ ])*perf(?:usion)?(?:[_ ][a-z]+)*[ \t]*[:=][ \t]*\Z", re.I)


def _perfusion_result(ctx: _Ctx, overall: dict[str, Any] | None, is_mpi: bool) -> dict[str, Any] | None:
    if not is_mpi:
        return None
    amended = _addendum_verdicts(ctx)
    if amended:  # an addendum's verdict replaces the body's
        return _value(amended[0].value, (amended[0].start, amended[0].end))
    candidates: list[Mention] = []
    for m in _result_mentions(ctx):
        if m.section in _IMPRESSION or _said_of_a_wall(ctx, m) or _said_of_rest(ctx, m):
            continue
        low = ctx.text[m.start : m.end].lower()
        if "perfus" in low or "distribution" in low or "uptake" in low or m.section == "perfusion":
            candidates.append(m)
    for m in _findings(ctx.get("RESULT_BARE")):
        if not m.negated and _PERFUSION_KEY.search(ctx.text, max(0, m.start - 40), m.start):
            candidates.append(m)  # "PERF_RESULT=NORMAL", "Perfusion result: abnormal": the perfusion field's own key
        elif m.section == "perfusion" and not m.negated and not m.remainder:
            # "Perfusion: Normal." -- the first word of a perfusion section
            sec_start = _section_body_start(ctx, m.tok_start)
            if sec_start is not None and ctx.text[sec_start : m.start].strip() == "":
                candidates.append(m)
    if candidates:
        best = min(candidates, key=lambda m: m.start)
        return _value(best.value, (best.start, best.end))
    for m in _result_mentions(ctx):
        # the impression's verdict on perfusion alone before its verdict on the study ("1. Normal relative
        # myocardial perfusion ... 2. Abnormal study because of globally reduced stress flow")
        if m.section in _IMPRESSION and _PERFUSION_ONLY.search(ctx.text, m.start, m.end):
            return _value(m.value, (m.start, m.end))
    if overall is not None:
        return dict(overall)
    return None


# The verdicts that a statement about one wall can give the study only by mistake.
_NORMAL_VERDICTS = {"normal", "probably normal"}


def _said_of_a_wall(ctx: _Ctx, m: Mention) -> bool:
    """A normal verdict in a sentence that names a wall ("Septal perfusion is normal", "Normal perfusion of the
    lateral wall", "The inferior wall shows normal perfusion"): a regional statement, not the study's perfusion
    result. (An abnormal verdict of one wall is the study's: one abnormal wall makes the study abnormal.)"""
    if m.value not in _NORMAL_VERDICTS:
        return False
    return any(
        w.sent == m.sent and not w.negated and not w.remainder and not _ALL_WALLS.search(ctx.text, m.end, w.start)
        for w in ctx.get("WALL")
    )


# A normal verdict told of the rest images alone ("Normal perfusion at rest", "normal resting perfusion"), not of
# rest and stress ("normal perfusion at rest and stress").
_AT_REST = re.compile(
    r"[ \t,]*(?:at|on|in|during|with)\s+(?:the\s+)?(?:rest|resting|baseline)\b(?:\s+(?:images?|imaging|scan|study))?"
    r"(?![ \t]*(?:and|&|/|as\s+well|or)\b)",
    re.I,
)
_REST_WORD = re.compile(r"\b(?:rest|resting)\b(?!\s*(?:and|&|/|-)\s*stress)", re.I)


def _said_of_rest(ctx: _Ctx, m: Mention) -> bool:
    """A normal verdict of the rest images alone (a reversible defect's stress images are abnormal and its rest images
    normal: "medium reversible anterior defect. Normal perfusion at rest."): not the study's perfusion result."""
    if m.value not in _NORMAL_VERDICTS:
        return False
    return _AT_REST.match(ctx.text, m.end) is not None or (
        _REST_WORD.search(ctx.text, m.start, m.end) is not None and "stress" not in ctx.text[m.start : m.end].lower()
    )


# Every wall named before the wall that is then listed ("normal perfusion in all walls including the apex", "of
# every segment, the apex included"): the wall is part of the whole ventricle's statement.
_ALL_WALLS = re.compile(
    r"\b(?:all|every|each)\s+(?:\w+\s+)?(?:walls?|segments?|regions?|territories|myocardial\s+segments?)\b", re.I
)


def _section_body_start(ctx: _Ctx, tok: int) -> int | None:
    for section in ctx.doc._.sections:
        if section.body_start <= tok < section.body_end:
            return int(ctx.doc[section.body_start].idx) if section.body_start < len(ctx.doc) else None
    return None


# A risk key with its grade alone as the value ("Risk: Intermediate", "Impression_Risk=HIGH", "Risk category:
# low"): the export's own field. Not a pre-test or surgical risk, which is the patient's, not the study's.
_RISK_KEY = re.compile(
    r"(?im)^[ \t]*(?P<key>(?:[A-Za-z]+[_ ]){0,2}risk(?:[_ ](?:category|level|class|group|stratum))?)[ \t]*[:=][ \t]*"
    r"(?P<v>low|intermediate|moderate|high)[ \t]*\.?[ \t]*$"
)
_NOT_THE_STUDYS_RISK = re.compile(
    r"(?:^|[_ ])(?:pre|peri|surgical|operative|framingham|ascvd|bleed|cardiovascular)", re.I
)


def _risk_keys(ctx: _Ctx) -> list[tuple[int, str, tuple[int, int]]]:
    out = []
    for k in _RISK_KEY.finditer(ctx.text):
        section = ctx.section_at(k.start("v"))
        if _NOT_THE_STUDYS_RISK.search(k.group("key")) or section in _HISTORICAL_SECTIONS | _NON_FINDING_SECTIONS:
            continue
        v = k.group("v").lower()
        out.append((k.start("v"), "intermediate" if v == "moderate" else v, k.span("v")))
    return out


# The yes/no value of a calcium key, its kind of reading after the key's name ("CAC_Visual: Present (LAD)",
# "Coronary calcium = absent", "CAC: yes"); a number after the key is a score, read as one.
def _risk(ctx: _Ctx) -> dict[str, Any] | None:
    cands: list[tuple[int, str, tuple[int, int]]] = []
    if "isk" in ctx.text:
        cands += [c for c in _risk_keys(ctx) if not any(m.start <= c[0] < m.end for m in ctx.get("RISK"))]
    for m in _findings(ctx.get("RISK")):
        # "without evidence of infarction, intermediate risk": the negation is the infarction's
        if not _negated_here(ctx, m):
            cands.append((m.start, m.value or "", (m.start, m.end)))
    for m in _findings(ctx.get("RESULT")):
        hit = _RISK_IN_TEXT.search(ctx.text[m.start : m.end])
        if hit:
            v = hit.group(1).lower()
            v = "intermediate" if v == "moderate" else v
            cands.append((m.start + hit.start(), v, (m.start + hit.start(), m.start + hit.end())))
    if not cands:
        return None
    amended = [c for c in cands if ctx.section_at(c[0]) == "addendum"]  # an addendum's risk is the final one
    imp = [c for c in cands if ctx.section_at(c[0]) in _IMPRESSION]
    best = min(amended or imp or cands, key=lambda c: c[0])
    return _value(best[1], best[2])


# A change word that names what it is measured against: "worse than the February study", "not significantly
# changed from January 2025", "unchanged since 03/2021".
_AGAINST_EARLIER = re.compile(
    r"\s*,?\s*(?:from|than|since|versus|vs\.?)\s+"
    # the earlier study's own value before its date or name ("decreased from 58% on 11/18/2025"; not "at rest")
    r"(?:\d{1,3}(?:\.\d+)?\s*%?\s+(?:on|in|of|at|at\s+the|by|per)\s+)?"
    r"(?:(?:the|that|a|an|her|his|their|last|prior|previous|earlier|outside|most\s+recent)\s+)*(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d{1,2}[/.-]\d{1,4}"
    r"|(?:19|20)\d\d\b|(?:study|studies|exam|examination|scan|mpi|spect|pet|muga|test|one)\b"
    # "a 6-point decrease from baseline;": the surveillance series' baseline study, named alone (not "from baseline
    # 72 bpm", "at baseline", a phase of this test)
    r"|(?P<baseline>baseline)(?P<named>\s+(?:study|scan|exam|examination|muga|mpi|spect|pet|echo\w*))?[ \t]*"
    # "a decline of 13 points from baseline to below 50%": to a value of now, not to a phase of the test ("to peak")
    r"(?=[;,.)\n]|\Z|to\s+(?!(?:peak|stress|post|exercise|recovery|max\w*|the\s+end)\b)))",
    re.I,
)
# What a bare "baseline" is within a stress test itself: "Stress EKG showed no change from baseline" compares the
# stress ECG (or heart rate, blood pressure) with its own resting tracing, not this study with an earlier one.
_WITHIN_TEST_MEASURE = re.compile(
    r"\b(?:ECG|EKG|electrocardiogra\w*|ST(?:[- ]segments?)?|T[- ]waves?|heart\s+rate|HR|blood\s+pressure|BP|rhythm)\b",
    re.I,
)


def _against_earlier(ctx: _Ctx, m: Mention) -> bool:
    """Whether the change word ``m`` names an earlier study right after it ("unchanged since 03/2021"); a bare
    "from baseline" does so only where the sentence is not about a measure the test takes at its own baseline."""
    hit = _AGAINST_EARLIER.match(ctx.text, m.end)
    if hit is None:
        return False
    if hit.group("baseline") and not hit.group("named"):
        return _WITHIN_TEST_MEASURE.search(ctx.text, *ctx.sent_bounds[m.sent]) is None
    return True


# A denial right before a change phrase that opens with its own word of change ("no new perfusion defect").
_DENIED_JUST_BEFORE = re.compile(r"\b(?:no|without|not)\s+\Z", re.I)


# A change phrase that holds its own comparison cue ("new since", "new compared with"): the cue is inside the
# concept, so no COMPARISON_CUE of its own marks the sentence; so does a finding of the earlier study said to be gone,
# named as seen before ("resolution of the ischemia seen on 10/29/2024", "the previously noted defect is no longer
# present").
_CUE_INSIDE = re.compile(
    r"\b(?:(?:since|compared|relative|comparison|previously|formerly)\b"
    r"|(?:seen|noted|shown|demonstrated|described|reported|present)\s+(?:on|in)\s+(?:the\s+)?"
    r"(?:(?:prior|previous|earlier|outside|baseline|index)\b|\d))",
    re.I,
)


# An earlier imaging study named in the sentence of a change word: "the outside SPECT of 03/12/2022 has now been
# reviewed: perfusion was normal then and the current study is unchanged" (not an earlier ECG or history).
_EARLIER_STUDY = re.compile(
    r"\b(?:prior|previous|earlier|outside|old|last|preceding)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:study|studies|exam|examination|scan|mpi|mps|spect|pet|muga|perfusion\s+imaging|imaging)\b",
    re.I,
)


# A change word said of this study as a whole ("The present study is unchanged", "the current scan appears
# improved"): a comparison in itself, with an earlier study named or not.
_THIS_STUDY_IS = re.compile(
    r"\b(?:current|present|this|today's|new)\s+(?:study|scan|exam|examination|mpi|spect|pet|images)\s+"
    r"(?:is|are|was|appears?|remains?|looks?)\s+(?:essentially\s+|overall\s+|largely\s+)?\Z",
    re.I,
)


def _denies_a_past_finding(ctx: _Ctx, m: Mention) -> bool:
    """Whether a "no prior" phrase's object is a finding ("No prior infarction", "no previous inferior MI"), not a
    study: a finding concept follows it in its clause with only words (a wall, a grade) between."""
    for f in ctx.get("INFARCTION", "ISCHEMIA", "DEFECT"):
        if f.start >= m.end and f.sent == m.sent and _WORDS_ONLY.fullmatch(ctx.text, m.end, f.start):
            return True
    return False


_WORDS_ONLY = re.compile(r"(?:\s+[A-Za-z-]+){0,3}\s+")


def _comparison(ctx: _Ctx) -> dict[str, Any] | None:
    cue_sents = {m.sent for m in ctx.get("COMPARISON_CUE")}
    cands = []
    for m in ctx.get("COMPARISON"):
        if m.hypothetical or m.section in _NON_FINDING_SECTIONS:
            continue
        in_comparison = (
            m.sent in cue_sents
            or m.section in _HISTORICAL_SECTIONS
            or _against_earlier(ctx, m)
            or bool(_CUE_INSIDE.search(ctx.text, m.start, m.end))
            or _EARLIER_STUDY.search(ctx.text, *ctx.sent_bounds[m.sent]) is not None
            or _THIS_STUDY_IS.search(ctx.text, max(0, m.start - 50), m.start) is not None
        )
        denied = _DENIED_JUST_BEFORE.search(ctx.text, max(0, m.start - 12), m.start) is not None
        if m.value == "no prior" and _denies_a_past_finding(ctx, m):
            continue  # "no prior infarction": a denial of the finding's history, not of a prior study
        if m.value != "no prior" and (m.negated or denied or not in_comparison):
            continue  # "no new perfusion defect": a change denied is no change found
        if _PATIENTS_CHANGE.search(ctx.text, max(ctx.sent_bounds[m.sent][0], m.start - 50), m.start):
            continue  # "his symptoms have improved since the bisoprolol": the patient's course, not the images'
        cands.append(m)
    if not cands:
        return _prior_key_denied(ctx)
    # an addendum revises the report ("an outside MPI has since been reviewed: unchanged"), then the impression
    amended = [m for m in cands if m.section == "addendum"]
    imp = [m for m in cands if m.section in _IMPRESSION]
    pool = amended or imp or cands
    # "Overall unchanged from 2023": the verdict on the whole study, over one finding's likeness or change
    overall = [
        m for m in pool if m.value == "unchanged" and _OVERALL_BEFORE.search(ctx.text, max(0, m.start - 40), m.start)
    ]
    if overall:
        return _value("unchanged", (overall[0].start, overall[0].end))
    best = min(pool, key=lambda m: m.start)
    changed = [m for m in pool if m.value in ("worsened", "improved") and not m.negated and not _dismissed(ctx, m)]
    if best.value == "unchanged" and changed:
        # "1. Infarct unchanged from 2019. 2. New lateral ischemia; compared with both priors this is worse": one
        # finding the same and another changed is a study that changed; the comparison is the change
        first = min(changed, key=lambda m: m.start)
        return _value(first.value, (first.start, first.end))
    if best.value == "unchanged":
        # "the infarct size is unchanged but the LVEF has fallen" (or "...; however ..."): a change set against what
        # is unchanged is the comparison's news; the study is not the same as the prior
        for m in ctx.get("COMPARISON"):
            if m.negated or m.hypothetical or m.value not in ("worsened", "improved") or _dismissed(ctx, m):
                continue
            if _DENIED_JUST_BEFORE.search(ctx.text, max(0, m.start - 12), m.start) is not None:
                continue  # "... is unchanged; no new defect is seen": a change denied is none
            near = m.sent in (best.sent, best.sent + 1) and m.start > best.end
            # "the scar is unchanged; the inferolateral ischaemia is new": a change set beside it in the next clause
            gap = ctx.text[best.end : m.start]
            beside = _NEXT_CLAUSE.search(gap) is not None and "." not in gap
            if near and (beside or _CONTRAST.search(ctx.text, best.end, m.start)):
                return _value(m.value, (m.start, m.end))
    return _value(best.value, (best.start, best.end))


# The patient or the patient's symptoms as the subject of a change ("symptoms have improved", "her angina is
# much better", "he has improved clinically"): a letter's account of the patient, not a comparison of the studies.
_PATIENTS_CHANGE = re.compile(
    r"\b(?:symptoms?|angina|breathlessness|dyspno?ea|exercise\s+tolerance|chest\s+pain|he|she|they|the\s+patient)"
    r"(?:'s)?\s+(?:has|have|had|is|are|was|were)\s+(?:(?:much|markedly|greatly|slightly|somewhat|clinically|since|"
    r"considerably|significantly|also)\s+)?\Z",
    re.I,
)


# The key of an export line that names the prior study ("Prior_Study", "Previous Exam", "Comparison_Study").
_PRIOR_STUDY_KEY = re.compile(
    r"(?:prior|previous|comparison)(?:[ \t_.]*(?:study|studies|exams?|examinations?|imaging|mpi|scans?|spect|pet))?\b",
    re.I,
)


def _prior_key_denied(ctx: _Ctx) -> dict[str, Any] | None:
    """No prior from an export key that names the prior study answered with a denial of ``_KEY_ANSWER``
    ("Prior_Study: None", "Previous Exam = no"), the answer its span. A key of a past finding ("Prior_MI: No")
    names no study and is passed over."""
    for m in ctx.get("COMPARISON_CUE"):
        if m.hypothetical or m.section in _NON_FINDING_SECTIONS:
            continue
        answer = _KEY_ANSWER.match(ctx.text, m.end)
        if answer is None or not answer.group("no"):
            continue
        key = _PRIOR_STUDY_KEY.match(ctx.text, m.start)
        if key is None or _KEY_SEPARATOR.match(ctx.text, key.end()) is None:
            continue
        return _value("no prior", answer.span("no"))
    return None


_CONTRAST = re.compile(r"\b(?:but|however|although|though|whereas|while|yet)\b", re.I)
# A comparison qualified as the verdict on the whole study ("Overall unchanged from 2023", "On the whole, stable").
_OVERALL_BEFORE = re.compile(
    r"\b(?:overall|on\s+the\s+whole|in\s+sum(?:mary)?|all\s+in\s+all|globally)\b[\s,:]*"
    r"(?:(?:the\s+)?(?:study|scan|findings?|appearances?|perfusion|it|this)\s+)?(?:(?:is|are|was|were|remains?|appears?)\s+)?\Z",
    re.I,
)
# A change the reader puts down to the method's scatter ("the LVEF is slightly lower, within the variability of the
# method", "within measurement error"): no change of the study.
_WITHIN_VARIABILITY = re.compile(
    r"\bwithin\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:variability|variation|error|reproducibility|test[- ]retest)\b", re.I
)


def _dismissed(ctx: _Ctx, m: Mention) -> bool:
    """A change said, in the rest of its sentence, to be within the method's variability."""
    return _WITHIN_VARIABILITY.search(ctx.text, m.end, ctx.sent_bounds[m.sent][1]) is not None


# The start of another clause of the sentence: a semicolon, or a comma then "and" ("..., and there is a new ...").
_NEXT_CLAUSE = re.compile(r";|,\s*and\b", re.I)


# Sections where the perfusion findings are stated (the stress section's "no ischemic changes" is the ECG's).
_PERFUSION_FINDINGS = {"findings", "perfusion", None}


# A denial by unlikelihood after the concept ("infarct is felt unlikely", "ischemia is less likely"): hedged.
_UNLIKELY_AFTER = re.compile(
    r"\s+(?:is|was|are|were|seems?|appears?)?\s*(?:(?:felt|thought|considered|deemed|judged)\s+)?(?:to\s+be\s+)?"
    r"(?:unlikely|less\s+likely|improbable)\b",
    re.I,
)


def _impression_flag(
    ctx: _Ctx, label: str, overall: dict[str, Any] | None, defects: list[_Defect], is_mpi: bool = True
) -> dict[str, Any] | None:
    """Ischemia or infarction as the impression (or an addendum to it) states it; else "absent" when a perfusion
    study's impression calls it normal (the schema's rule; a normal treadmill ECG test says nothing of either)."""

    # an addendum's statement first (it amends the impression), then the impression's
    # then an export's key of its own ("INFARCT: None", "ISCHEMIA = present"), a conclusion wherever it stands
    def rank(m: Mention) -> int:
        if m.section == "addendum":
            return 0
        return 1 if m.section in _IMPRESSION else 2

    stated_ms = [
        m
        for m in sorted(ctx.get(label), key=rank)
        if (
            m.section in _IMPRESSION | {"addendum"}
            or (m.section not in _NON_FINDING_SECTIONS | _HISTORICAL_SECTIONS and _is_export_key(ctx, m))
        )
        and not (m.hypothetical or m.historical or m.remainder)
    ]
    # a denial of one place or kind ("infarct without peri-infarct ischemia", "no inferior ischemia", "no ischemia in
    # the LAD territory", "no other ischemia") leaves the study's own statement ("mild peri-infarct ischemia")
    # standing: it answers only where no other statement does
    partial: list[Mention] = []
    for m in stated_ms:
        if _not_assessed(ctx, m) or _unanswered_key(ctx, m):
            continue  # "Scar cannot be assessed without perfusion imaging", "Infarction ..... ___": left open
        if not is_mpi and _the_ecg_tests_verdict(ctx, m.sent):
            continue  # "Negative exercise treadmill test for ischemia" without imaging: the ECG's verdict only
        if _in_the_ecgs_verdict(ctx, m):
            continue  # "The stress ECG was positive for ischemia with normal perfusion": the ECG's, not the images'
        if m.negated and _partial_denial(ctx, m):
            partial.append(m)
            continue
        return _stated_flag(ctx, m)
    if partial:
        return _stated_flag(ctx, partial[0])
    if overall is not None and overall["value"] == "normal" and is_mpi:
        return _value("absent", tuple(overall["span"]))
    if overall is not None and overall["value"] == "probably normal" and is_mpi:
        # the hedged verdict says less than the findings' own denial ("... most consistent with diaphragmatic
        # attenuation. No ischemia or infarction identified." then "PROBABLY NORMAL perfusion")
        for m in _findings(ctx.get(label)):
            if (
                m.negated
                and not (m.uncertain or m.remainder)
                and m.section in _PERFUSION_FINDINGS
                and not _about_the_ecg(ctx, m.sent)
            ):
                return _value("absent", m.cue_span)
        if not _defect_shows(label, defects, ctx.explained):
            return _value("absent", tuple(overall["span"]), "uncertain")  # "Probably normal myocardial perfusion"
    shown = _defect_infarction(ctx, defects) if label == "INFARCTION" else _defect_ischemia(defects)
    return shown if shown is not None or not is_mpi else _findings_denial(ctx, label)


def _findings_denial(ctx: _Ctx, label: str) -> dict[str, Any] | None:
    """The findings' own denial where no impression speaks of it and no defect shows it ("... a reversible anterior
    defect, with no fixed defect to suggest infarction"): absent, as the reader states it of this study."""
    for m in _findings(ctx.get(label)):
        if (
            m.negated
            and not (m.uncertain or m.hypothetical or m.historical or m.remainder)
            and m.section not in _NON_FINDING_SECTIONS | _HISTORICAL_SECTIONS
            and not _about_the_ecg(ctx, m.sent)
            and not _partial_denial(ctx, m)
            and not _not_assessed(ctx, m)  # "Unable to assess for infarct": left open, not denied
        ):
            return _value("absent", m.cue_span)
    return None


# A finding the report says it could not judge: "scar cannot be assessed", "ischemia could not be evaluated", "infarct
# is not assessable", "unable to assess for ischemia". Not "cannot be excluded", which says it is possible.
_NOT_ASSESSED_AFTER = re.compile(
    r"[ \t]+(?:(?:is|was|are|were)[ \t]+)?(?:(?:cannot|can[ \t]*not|could[ \t]+not|can't|couldn't|not)[ \t]+"
    r"(?:be[ \t]+|been[ \t]+)?(?:reliably[ \t]+|adequately[ \t]+|properly[ \t]+)?"
    r"(?:assess|evaluat|determin|judg|interpret|quantif|characteri[sz])\w*|(?:not[ \t]+|un)(?:assessable|evaluable))\b",
    re.I,
)
_NOT_ASSESSED_BEFORE = re.compile(
    r"\b(?:unable|not\s+possible|impossible|not\s+able)\s+to\s+(?:reliably\s+)?(?:assess|evaluate|determine|judge)"
    r"(?:\s+(?:for|the|any))?\s+\Z",
    re.I,
)


def _not_assessed(ctx: _Ctx, m: Mention) -> bool:
    return bool(
        _NOT_ASSESSED_AFTER.match(ctx.text, m.end)
        or _NOT_ASSESSED_BEFORE.search(ctx.text[max(0, m.start - 60) : m.start])
    )


# A finding denied as the reading not preferred ("... rather than infarction"), and a hedge on the preferred one
# before it in its sentence ("most likely attenuation", "favoured to represent artefact").
_RATHER_THAN_BEFORE = re.compile(r"\b(?:rather\s+than|instead\s+of|as\s+opposed\s+to)\s+(?:\w+\s+){0,2}\Z", re.I)
_PREFERENCE_HEDGE = re.compile(
    r"\b(?:favou?r(?:ed|s)?|most\s+likely|likely|probabl[ey]|presumabl[ey]|presumed|felt\s+to|thought\s+to|"
    r"suspected|more\s+suggestive|suggest(?:s|ive)?)\b",
    re.I,
)


def _hedged_preference(ctx: _Ctx, m: Mention) -> bool:
    """The mention is the reading set aside for another ("X rather than infarction"), and that other is only the
    likelier one: the denial is hedged as the preference is."""
    s0 = ctx.sent_bounds[m.sent][0]
    rather = _RATHER_THAN_BEFORE.search(ctx.text, s0, m.start)
    return rather is not None and _PREFERENCE_HEDGE.search(ctx.text, s0, rather.start()) is not None


def _stated_flag(ctx: _Ctx, m: Mention) -> dict[str, Any]:
    """Ischemia or infarction as one statement gives it: an export key's answer, else present or absent by ConText."""
    answered = _key_answer(ctx, m)
    if answered is not None:
        return _value(answered[0], answered[1])  # "Ischemia: No", the key's answer, not ConText's
    cert = "uncertain" if m.uncertain and not m.negated else "affirmed"
    if m.negated and _UNLIKELY_AFTER.match(ctx.text, m.end):
        cert = "uncertain"  # "infarct is felt unlikely": a denial, hedged
    if m.negated and _hedged_preference(ctx, m):
        cert = "uncertain"  # "favoured to be attenuation rather than infarction": denied only as the likelier reading
    return _value(_present_absent(m), m.cue_span, cert)


def _in_the_ecgs_verdict(ctx: _Ctx, m: Mention) -> bool:
    """The mention is a word of an ECG verdict (``wording.json`` ecg_verdicts: "positive for ischemia", "negative for
    ischemia") in a sentence about the stress ECG: the ECG response, not the study's ischemia."""
    if not _about_the_ecg(ctx, m.sent):
        return False
    s0, s1 = ctx.sent_bounds[m.sent]
    # a verdict may open at any word before the mention ("ECG was positive for ischemia": "ECG was positive" is a
    # verdict too, and a scan for matches that do not overlap would stop there)
    starts = [w.start() for w in re.finditer(r"\b\w", ctx.text[s0 : m.start])]
    for _, rx in load_wording().ecg_verdicts:
        for a in starts:
            v = rx.match(ctx.text, s0 + a, s1)
            if v is not None and m.end <= v.end():
                return True
    return False


def _the_ecg_tests_verdict(ctx: _Ctx, sent: int) -> bool:
    """A sentence of a report without perfusion imaging that speaks of the ECG or the exercise test and of no other
    imaging test: its ischemia is the ECG response (every gold set: impression.ischemia null for a treadmill ECG
    test; a stress echocardiogram's "no inducible ischemia" is that test's finding)."""
    wording = load_wording()
    s0, s1 = ctx.sent_bounds[sent]
    if wording.other_test_noun is not None and wording.other_test_noun.search(ctx.text, s0, s1):
        return False
    return _about_the_ecg(ctx, sent) or (
        wording.test_cue is not None and wording.test_cue.search(ctx.text, s0, s1) is not None
    )


# A qualifier between a denial and its concept that limits it to one place or kind: "without peri-infarct ischemia",
# "no additional ischemia", "no other ischemia".
_PARTIAL_QUALIFIER = re.compile(
    r"\b(?:peri-?\s*infarct\w*|peri-?\s*infarction|additional|other|further|remote|residual|separate|new)\b", re.I
)


# The same limit said after the concept: "elsewhere", "in the remaining myocardium", "outside the scar".
_PARTIAL_AFTER = re.compile(
    r"[ \t]*(?:(?:is|was|are|were)\s+)?(?:(?:seen|noted|identified|present)\s+)?"
    r"(?:elsewhere|in\s+(?:the\s+)?(?:remaining|other|remote|rest\s+of\s+the)\b|outside\b)",
    re.I,
)


def _partial_denial(ctx: _Ctx, m: Mention) -> bool:
    """A denial that speaks of one place or kind only: a qualifier between its cue and its concept or right after
    it, or a wall or vessel named in its clause ("no ischemia in the LAD territory")."""
    if m.cue_start is not None and _PARTIAL_QUALIFIER.search(ctx.text, m.cue_start, m.start):
        return True
    if _PARTIAL_AFTER.match(ctx.text, m.end):
        return True  # "no ischemia elsewhere", "no ischemia in the remaining myocardium"
    return _said_of_a_region(ctx, m)


# What may stand between a wall or vessel and the finding it places before it ("no inferior ischemia", "no inferior
# or lateral ischaemia"): no clause break.
_REGION_GAP = re.compile(r"[^,;.:]{0,20}")


def _said_of_a_region(ctx: _Ctx, m: Mention) -> bool:
    """Whether the finding is placed on a wall or a vessel's territory in its own phrase: the wall before it ("no
    inferior ischemia") or in its clause after it ("no ischemia in the LAD territory"), not said of the whole
    heart."""
    end = min(ctx.sent_bounds[m.sent][1], m.end + 40)
    stop = next((i for i in range(m.end, end) if ctx.text[i] in ",;("), end)
    for r in ctx.get("WALL", "TERRITORY"):
        if r.sent != m.sent:
            continue
        if r.end <= m.start and m.start - r.end <= 20 and _REGION_GAP.fullmatch(ctx.text, r.end, m.start):
            return True
        if m.end <= r.start < stop:
            return True
    return False


def _defect_infarction(ctx: _Ctx, defects: list[_Defect]) -> dict[str, Any] | None:
    """Infarction shown by a fixed (or partly fixed) defect that its own description calls a scar or infarct
    ("a severe inferior defect with no redistribution, consistent with his known RCA-territory scar"): the scar
    is seen on this study, however old ("known", "old", "prior") the infarction is."""
    for d in defects:
        if d.certainty != "affirmed" or d.reversibility not in _SHOWN_BY["INFARCTION"]:
            continue
        for m in ctx.get("INFARCTION"):
            if d.span[0] <= m.start and m.end <= d.span[1] and not (m.negated or m.uncertain or m.hypothetical):
                return _value("present", (m.cue_start if m.cue_start is not None else m.start, m.end))
    return None


def _defect_ischemia(defects: list[_Defect]) -> dict[str, Any] | None:
    """Ischemia shown by a reversible defect, as certain as the defect."""
    for d in defects:
        if d.certainty == "affirmed" and d.reversibility in ("reversible", "partially reversible"):
            return _value("present", d.span)
    for d in defects:
        # "a small, possibly reversible apical abnormality": ischemia, as uncertain as its defect
        if d.certainty == "uncertain" and d.reversibility in ("reversible", "partially reversible"):
            return _value("present", d.span, "uncertain")
    return None


# A concept that is the whole key of its line: "INFARCT: None", "  Ischemia = present".
_LINE_START = re.compile(r"(?:^|\n)[ \t]*\Z")
_KEY_END = re.compile(r"[ \t]*[:=]")


# What a template's row holds when its field was left empty (its fill-in blank reads as blanks: layout_view).
_EMPTY_ANSWER = re.compile(r"[ \t]*(?:-{1,3}|_+|\.{1,3})?[ \t]*(?=\n|\Z)")


def _unanswered_key(ctx: _Ctx, m: Mention) -> bool:
    """A template row whose key is the concept and whose answer is empty ("Infarction ........... ___", "Ischemia:
    --"): it states nothing, neither present nor absent, however another part of the report reads."""
    if not _is_export_key(ctx, m):
        return False
    sep = _KEY_END.match(ctx.text, m.end)
    return sep is not None and _EMPTY_ANSWER.match(ctx.text, sep.end()) is not None


def _is_export_key(ctx: _Ctx, m: Mention) -> bool:
    return _LINE_START.search(ctx.text, max(0, m.start - 40), m.start) is not None and bool(
        _KEY_END.match(ctx.text, m.end)
    )


# What a defect's reversibility shows: a fixed part is what a scar would show, a reversible part ischemia.
_SHOWN_BY = {"INFARCTION": ("fixed", "partially reversible"), "ISCHEMIA": ("reversible", "partially reversible")}


def _defect_shows(label: str, defects: list[_Defect], explained: list[str | None]) -> bool:
    """Whether a current defect, or a finding explained away as artifact or normal variant, has the reversibility
    that ``label`` would show: a "probably normal" study with a fixed defect ("apical thinning") or a fixed
    count reduction called attenuation says nothing of infarction, so its absence is not inferred."""
    shown = _SHOWN_BY.get(label, ())
    return any(d.reversibility in shown for d in defects) or any(r in shown for r in explained)


# A flow table in text: a line of column labels (a row-label column, which may have no head, then at least two
# of rest, stress and reserve), then rows of a label and one number per column ("Global   0.91   2.02   2.22").
_TABLE_HEAD = re.compile(r"(?im)^[ \t]*(?P<cols>(?:[A-Za-z][\w/()-]*[ \t]+){1,3}[A-Za-z][\w/()-]*)[ \t]*$")
# A table's title may instead name its columns in order after a comma or colon, with slashes between them
# ("Myocardial blood flow (mL/min/g), stress / rest / reserve:"); its rows then separate their numbers the same way.
_TABLE_TITLE_HEAD = re.compile(
    r"(?im)^[^\n]*?[,:)][ \t]*(?P<cols>[A-Za-z]+(?:[ \t]*/[ \t]*[A-Za-z]+){1,3})[ \t]*:?[ \t]*$"
)
# A title, then its columns' heads apart by runs of blanks, on one line ("Quantitative flow (mL/min/g)    Rest
# Stress    Reserve"): the heads after the title. A head may be two or three words apart by one blank ("Territory
# Rest MBF   Stress MBF   MFR").
_TABLE_PADDED_HEAD = re.compile(
    r"(?im)^[ \t]*[^\n]*?\S(?P<cols>(?:[ \t]{2,}[A-Za-z][\w/()-]*(?: [A-Za-z][\w/()-]*){0,2}){2,4})[ \t]*$"
)
_BLANKS = re.compile(r"[ \t]{2,}")
# A row: its label (dot leaders or a colon after it allowed: "Whole LV ......"), then one number per column, apart
# by blanks or by a slash or bar ("1.71 / 0.80 / 2.14").
_TABLE_ROW = re.compile(
    r"(?m)^[ \t]*(?P<label>[A-Za-z][\w ()/.-]{0,30}?)(?:[ \t]*:)?[ \t]+"
    r"(?P<nums>\d+(?:\.\d+)?(?:(?:[ \t]*[/|][ \t]*|[ \t]+)\d+(?:\.\d+)?)+)[ \t]*$"
)
_FLOW_COLUMNS = (
    ("rest_mbf", re.compile(r"rest(?:ing)?(?:[-_ ]?mbf)?", re.I)),
    ("stress_mbf", re.compile(r"(?:stress|peak|hyper[a]?emi[ac]|hyperaemia)(?:[-_ ]?mbf)?", re.I)),
    ("mfr", re.compile(r"mfr|cfr|reserve|mbfr", re.I)),
)
# The row of the whole ventricle, not of one territory or segment.
_GLOBAL_ROW = re.compile(r"global|total|whole(?:\s+lv)?|lv|overall|all", re.I)


# A word that makes a flow value the whole ventricle's ("for the left ventricle as a whole", "global", "overall").
_WHOLE_VENTRICLE = re.compile(
    r"\b(?:global(?:ly)?|whole|overall|total|entire|average|mean|left\s+ventricle|lv)\b", re.I
)
# A word right before a flow label that makes its value a region's ("regional stress MBF", "segmental MFR").
_REGIONAL_BEFORE = re.compile(r"\b(?:regional|segmental|territorial|focal)[ \t]+(?:[A-Za-z]+[ \t]+)?\Z", re.I)
# How far before a flow label a vessel's territory may name the region its value is of.
_REGION_REACH = 80


def _regional_flow(ctx: _Ctx, m: Mention) -> bool:
    """A flow label in a clause that names a vessel's territory before it ("In the LCx territory rest flow was
    0.88 and stress flow 2.14", "LAD: stress MBF 1.21"), with no word of the whole ventricle between them or in
    the label: the value is that region's, not the study's global flow."""
    s0 = max(ctx.sent_bounds[m.sent][0], m.start - _REGION_REACH)
    if _REGIONAL_BEFORE.search(ctx.text, max(s0, m.start - 30), m.start):
        return True  # "regional stress MBF 1.41", "segmental MFR 1.5": the label names a region's value itself
    for t in ctx.get("TERRITORY"):
        if t.sent != m.sent or not s0 <= t.start or t.end > m.start or t.negated:
            continue
        between = ctx.text[t.end : m.end]
        if ";" not in between and _WHOLE_VENTRICLE.search(between) is None:
            return True
    return False


# A table's cell: the text between bars, or between runs of two blanks or more (a ruled ASCII table: "| Rest MBF |
# 0.92 |  0.89 |"); group "cell".
_FLOW_CELL = re.compile(r"(?P<cell>[^\s|](?:[^|\n]*?[^\s|])?)(?=[ \t]{2,}|[ \t]*\||[ \t]*$)")
# A ruling line of an ASCII table ("+------+-------+", "|=====|").
_RULE_LINE = re.compile(r"[ \t]*[+|=-][+|=\- \t]*")
_NUMBER_CELL = re.compile(r"\d+(?:\.\d+)?")


def _line_cells(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """The cells of the line ``text[start:end]``: (start, end, text), in report offsets."""
    return [(m.start("cell"), m.end("cell"), m.group("cell")) for m in _FLOW_CELL.finditer(text, start, end)]


def _flow_by_region_columns(ctx: _Ctx) -> dict[str, dict[str, Any]]:
    """A flow table that gives each region a column and each measure a row (a head row "LAD  LCx  RCA  Global", then
    "Rest MBF  0.92  0.88  0.85  0.89"; ruled with bars or not): the values of its global column, by field. The
    territories' columns are theirs, not the study's."""
    text = ctx.text
    found: dict[str, dict[str, Any]] = {}
    column: int | None = None
    heads = 0
    end = -1
    for line in text.split("\n"):
        start, end = end + 1, end + 1 + len(line)
        if _RULE_LINE.fullmatch(text, start, end):
            continue  # a ruling line inside the table
        cells = _line_cells(text, start, end)
        if not cells:
            column = None  # a blank line ends the table
            continue
        names = [c[2] for c in cells]
        globals_ = [i for i, name in enumerate(names) if _GLOBAL_ROW.fullmatch(name.strip(" \t.:"))]
        if len(cells) >= 3 and len(globals_) == 1 and not any(_NUMBER_CELL.fullmatch(n) for n in names):
            column, heads = globals_[0], len(cells)  # the head row: the regions, the whole ventricle's among them
            continue
        if column is None:
            continue
        field_name = next((name for name, rx in _FLOW_COLUMNS if rx.fullmatch(names[0].strip(" \t.:"))), None)
        nums = cells[1:]
        if not all(_NUMBER_CELL.fullmatch(n[2]) for n in nums) or len(nums) != heads:
            column = None if field_name is None and nums else column
            continue
        if field_name is not None and field_name not in found:
            c0, c1, value_text = nums[column]
            value = float(value_text)
            if value in PLAUSIBLE[field_name]:
                found[field_name] = _value(value, (c0, c1))
    return found


def _flow_table(ctx: _Ctx, flow: dict[str, Any]) -> None:
    """Read a flow table's global row into ``flow``; a value read from inside a table elsewhere (a label in its
    header row read with the first territory's number) is dropped: only the global row is the study's. A table
    with a column per region gives the global column (``_flow_by_region_columns``)."""
    if "\n" not in ctx.text or not ctx.get("MFR", "MBF", "STRESS_MBF", "REST_MBF"):
        return
    by_column = _flow_by_region_columns(ctx)
    if by_column:
        flow.update(by_column)
        return
    heads = [(h, h.group("cols").split()) for h in _TABLE_HEAD.finditer(ctx.text)]
    heads += [(h, re.split(r"[ \t]*/[ \t]*", h.group("cols"))) for h in _TABLE_TITLE_HEAD.finditer(ctx.text)]
    heads += [(h, _BLANKS.split(h.group("cols").strip())) for h in _TABLE_PADDED_HEAD.finditer(ctx.text)]
    for head, words in sorted(heads, key=lambda hw: hw[0].start()):
        columns: list[str | None] = [next((name for name, rx in _FLOW_COLUMNS if rx.fullmatch(w)), None) for w in words]
        if columns[0] is None:
            columns = columns[1:]  # the row-label column's own head ("Territory  Rest  Stress  MFR")
        # else no head over the row labels ("         Rest   Stress   MFR"): every word names a column
        if sum(c is not None for c in columns) < 2:
            continue
        table_end = head.end()
        found: dict[str, dict[str, Any]] = {}
        pos = head.end() + 1
        while pos < len(ctx.text):
            row = _TABLE_ROW.match(ctx.text, pos)
            if row is None:
                break
            table_end = row.end()
            nums = list(re.finditer(r"\d+(?:\.\d+)?", row.group("nums")))
            if _GLOBAL_ROW.fullmatch(row.group("label").strip(" \t.:")) and len(nums) == len(columns):
                base = row.start("nums")
                for name, num in zip(columns, nums, strict=True):
                    value = float(num.group())
                    if name is not None and value in PLAUSIBLE[name]:
                        found[name] = _value(value, (base + num.start(), base + num.end()))
            pos = row.end() + 1
        for name in ("rest_mbf", "stress_mbf", "mfr"):
            if name in found:
                flow[name] = found[name]
            elif flow[name] is not None and head.start() <= flow[name]["span"][0] < table_end:
                flow[name] = None
        return


# --------------------------------------------------------------------------- defects


@dataclass(slots=True)
class _DefectMention:
    walls: list[str]
    territories: list[str]
    severity: str | None
    extent: str | None
    reversibility: str | None
    certainty: str
    historical: bool
    span: tuple[int, int]
    sent: int
    artifact: bool
    has_trigger: bool
    addendum: bool = False
    sentence: str = ""
    split: bool = False  # a second defect phrase of its sentence (see _split_at_second_defect)
    gone: bool = False  # a denial of a defect seen before ("the previously seen defect is no longer present")
    quoted: bool = False  # quoted from a named prior study, in a parenthesis or relative clause (_quoted_from_prior)
    hedged: bool = False  # its trigger is itself uncertain ("possible defect"), not only by the artifact named with it
    named_defect: bool = False  # its trigger calls it a defect ("fixed defect"), not a reduction of counts or uptake


def _clauses(ctx: _Ctx, sent: int) -> list[tuple[int, int]]:
    """Token ranges of the clauses of a sentence, split at ';'. A vendor key's value is one clause with the items
    it lists after its semicolons ("Defect.1 = Anterior, apical; LAD; severe; reversible", "Defect 1     : LAD;
    anterior, apex; severe"), not with a part that states something of its own ("; the anterior wall is normally
    perfused", "; normal anterior wall motion")."""
    s0, s1 = ctx.sent_tok[sent]
    b0, b1 = ctx.sent_bounds[sent]
    out = []
    start = s0
    for t in range(s0, s1):
        if ctx.doc[t].text == ";":
            out.append((start, t))
            start = t + 1
    out.append((start, s1))
    if len(out) > 1 and _KEY_VALUE_LINE.match(ctx.text, b0, b1):
        merged = out[:1]
        for c0, c1 in out[1:]:
            if _states_on_its_own(ctx, sent, c0, c1):
                merged.append((c0, c1))
            else:
                merged[-1] = (merged[-1][0], c1)
        out = merged
    return out


# A verb that makes a part of a key's value a statement of its own (not an item of the key's list).
_CLAUSE_VERBS = frozenset({
    "is", "are", "was", "were", "be", "been", "shows", "show", "showed", "shown", "demonstrates", "demonstrated",
    "appears", "appear", "appeared", "has", "have", "had", "remains", "remain", "seen", "noted",
})  # fmt: skip
# Findings that a part of a key's value states on its own ("; normal anterior wall motion").
_OWN_FINDINGS = ("WALL_MOTION", "RESULT", "RESULT_BARE", "LV_SIZE", "LVEF")


def _states_on_its_own(ctx: _Ctx, sent: int, c0: int, c1: int) -> bool:
    if any(ctx.doc[t].lower_ in _CLAUSE_VERBS for t in range(c0, c1)):
        return True
    return any(m.sent == sent and c0 <= m.tok_start < c1 for m in ctx.get(*_OWN_FINDINGS))


# A key and its separator: "Defect.1 =", or a key padded before its colon as an export's column ("Defect 1    :").
# A key written as an identifier ("Perf_Defect_1: Large, moderate, reversible; anterior (LAD)") is one as well,
# and so is a numbered finding in words ("Defect 2: Severity: mild; Walls: inferior; Territory: RCA").
_KEY_VALUE_LINE = re.compile(
    rf"[ \t]*(?:[A-Za-z](?:[\w.\[\]-]{{0,40}}[ \t]*=(?!=)|[\w .\[\]/-]{{0,40}}?[ \t]{{2,}}:)|{IDENTIFIER_KEY}"
    rf"|(?i:{NUMBERED_FINDING_KEY}))"
)
_COORDINATORS = {"and", ",", "while", "whereas", "plus", "also"}


# The words that open a described defect: a defect word, or a finding of another kind than the one before it ("Old
# inferior infarction (RCA territory), with small reversible ischaemia inferolateral": a scar and an ischemia).
_SPLIT_TRIGGERS = frozenset({"DEFECT", "ISCHEMIA", "INFARCTION"})


def _split_at_second_defect(ctx: _Ctx, ms: list[Mention], clauses: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Clauses, one described defect each: a clause naming walls, then another defect phrase with walls of its
    own ("a large area of moderate-to-severe intensity in the inferior wall and small-to-medium area of severe
    intensity at the apex"), is split at the last coordinator ("and", a comma) before the second phrase."""
    out: list[tuple[int, int]] = []
    for c0, c1 in clauses:
        start = c0
        cut = _after_denied_defect(ctx, ms, c0, c1)
        if cut is not None:
            out.append((start, cut))
            start = cut + 1
        triggers = [m for m in ms if start <= m.tok_start < c1 and m.label in ("DEFECT", "ISCHEMIA") and not m.negated]
        walls = [m for m in ms if c0 <= m.tok_start < c1 and m.label == "WALL"]
        for first, second in itertools.pairwise(triggers):
            if first.label != "DEFECT":
                continue
            between = [w for w in walls if first.tok_end <= w.tok_start < second.tok_start]
            after = [w for w in walls if w.tok_start >= second.tok_end]
            # the first phrase's walls before its defect word ("a large inferior and inferolateral defect with no
            # redistribution, and a smaller defect of the anteroseptal wall"): cut before the second phrase
            own = [w for w in walls if start <= w.tok_start < first.tok_start]
            if second.label == "ISCHEMIA" and (between or not own or {w.value for w in own} & {w.value for w in after}):
                continue  # ischemia of the defect's own walls ("... with peri-infarct ischemia of the inferior wall")
            # "fixed inferior defect with mild peri-infarct ischemia in the inferolateral wall": ischemia of other
            # walls is a second defect, cut at its "with"
            if own and not between and after:
                between = [first]
            elif own and between and not after and first.tok_start >= start:
                # "a severe inferior defect ..., and a moderate anteroseptal defect": the first phrase's walls before
                # its defect word, the second's before its own; cut at the coordinator before the second's walls
                cut = _coordinator_before(ctx, between[-1].tok_start - 1, first.tok_end, {w.tok_start for w in walls})
                if cut is not None:
                    out.append((start, cut))
                    start = cut + 1
                continue
            elif not own and between and not after and first.tok_start >= start:
                # "a moderate defect of the inferior wall (RCA territory) and a small fixed inferoseptal defect":
                # the first phrase's walls after its defect word, the second's before its own; cut at the
                # coordinator that opens the second phrase, with walls on both sides of it
                cut = _second_phrase_opening(ctx, ms, between, first, second, {w.tok_start for w in walls})
                if cut is not None:
                    out.append((start, cut))
                    start = cut + 1
                continue
            if not between or not after or first.tok_start < start:
                continue
            span = range(second.tok_start - 1, between[-1].tok_end - 1, -1)
            # a word ("and") before a comma: "..., and a medium-sized, moderate defect" is cut before "and", not
            # at the comma between the second phrase's own adjectives
            joins = _COORDINATORS | {"with"} if second.label == "ISCHEMIA" else _COORDINATORS
            cut = next((t for t in span if ctx.doc[t].lower_ in joins and ctx.doc[t].text != ","), None)
            if cut is None:
                cut = next((t for t in span if ctx.doc[t].text == ","), None)
            if cut is not None:
                out.append((start, cut))
                start = cut + 1
        if start == c0:
            cut = _cut_at_another_kind(ctx, ms, walls, c0, c1)
            if cut is not None:
                out.append((start, cut))
                start = cut + 1
        out.append((start, c1))
    return out


# The words that open a clause of its own after a denial (the ConText TERMINATE cues of context_rules.json that
# join two statements): "is no longer seen, while ...", ", whereas ...", ", but ...".
_CLAUSE_OPENERS = frozenset({"while", "whereas", "but", "however", "although", "though"})
# After ", and" a new statement opens with an article or "new" (", and a new reversible inferior defect").
_AND_OPENERS = frozenset({"a", "an", "the", "new", "newly"})


def _after_denied_defect(ctx: _Ctx, ms: list[Mention], c0: int, c1: int) -> int | None:
    """Where a clause that denies a defect ("the anterior defect is no longer seen", "no defect is seen in the
    anterior wall") ends before a defect the sentence goes on to affirm: the token of the clause opener (", while",
    ", whereas", ", but", ", and a/the/new") between the denied defect and the first affirmed word of the other.

    The denial's ConText scope ends at that opener (a TERMINATE cue), so the two defects are described apart. None
    where the clause has no denied defect first, no affirmed one after it, or no opener between them (a denial
    whose scope runs on without one, "no defect in the lateral wall and a severe reversible defect", is left as it
    was)."""
    found = [m for m in ms if c0 <= m.tok_start < c1 and m.label in ("DEFECT", "ISCHEMIA")]
    if not found or not found[0].negated or found[0].label != "DEFECT":
        return None
    denied = found[0]
    if not any(not m.negated for m in found[1:]):
        return None
    nxt = next(
        (m for m in ms if denied.tok_end <= m.tok_start < c1 and m.label in _DEFECT_WORDS and not m.negated), None
    )
    if nxt is None:
        return None
    doc = ctx.doc
    for t in range(nxt.tok_start - 1, denied.tok_end, -1):
        word = doc[t].lower_
        if word in _CLAUSE_OPENERS and doc[t - 1].text == ",":
            return t
        if word == "and" and doc[t - 1].text == "," and t + 1 < c1 and doc[t + 1].lower_ in _AND_OPENERS:
            return t
    return None


def _coordinator_before(ctx: _Ctx, last: int, first: int, wall_starts: set[int]) -> int | None:
    """The last coordinator word ("and") from token ``last`` back to ``first``, else the last comma there, that
    does not join two walls ("inferior and inferolateral"): the words of the phrase between it and ``last`` (its
    article and grades) stay with the phrase."""
    doc = ctx.doc

    def joins_walls(t: int) -> bool:
        nxt = t + 1
        while nxt <= last and (doc[nxt].is_space or doc[nxt].lower_ in ("the", "and")):
            nxt += 1
        return nxt in wall_starts

    span = [t for t in range(last, first - 1, -1) if not joins_walls(t)]
    cut = next((t for t in span if doc[t].lower_ in _COORDINATORS and doc[t].text != ","), None)
    return cut if cut is not None else next((t for t in span if doc[t].text == ","), None)


def _second_phrase_opening(
    ctx: _Ctx, ms: list[Mention], between: list[Mention], first: Mention, second: Mention, wall_starts: set[int]
) -> int | None:
    """The coordinator ("and", a comma) that opens a second defect phrase whose walls stand before its defect word,
    after a first phrase whose walls follow its own ("a defect of the inferior wall and a small fixed inferoseptal
    defect"): walls on both sides of it, and the second phrase opened by an article, "new", or a grade of the
    defect. None where the words after it only go on listing the first's walls ("a defect of the inferior and
    inferolateral walls, a fixed defect")."""
    cut = _coordinator_before(ctx, between[-1].tok_start - 1, first.tok_end, wall_starts)
    if cut is None or not any(w.tok_start < cut for w in between) or not any(w.tok_start > cut for w in between):
        return None
    nxt = cut + 1
    while nxt < second.tok_start and (ctx.doc[nxt].is_space or ctx.doc[nxt].lower_ == "and"):
        nxt += 1
    graded = any(m.tok_start == nxt and m.label in _DEFECT_PROPERTIES for m in ms)
    return cut if graded or ctx.doc[nxt].lower_ in _AND_OPENERS else None


def _cut_at_another_kind(ctx: _Ctx, ms: list[Mention], walls: list[Mention], c0: int, c1: int) -> int | None:
    """Where a clause with no second defect word turns to a finding of another kind with walls of its own ("Old
    inferior infarction (RCA territory), with small reversible ischaemia inferolateral"): the comma or coordinator
    before it. The first finding's walls come before it, none between the two, and the second's after it, the last
    finding of the clause ("an inferior defect, consistent with scar, and an anteroseptal defect" is not cut at the
    scar)."""
    kinds = [m for m in ms if c0 <= m.tok_start < c1 and m.label in _SPLIT_TRIGGERS and not m.negated]
    for i, (first, second) in enumerate(itertools.pairwise(kinds)):
        if first.label == second.label:
            continue
        if i + 2 < len(kinds):
            continue  # a further finding follows: the walls after the second may be its own
        own = any(w.tok_end <= first.tok_start for w in walls)
        between = any(first.tok_end <= w.tok_start < second.tok_start for w in walls)
        after = any(second.tok_end <= w.tok_start for w in walls)
        if not own or between or not after:
            continue
        span = range(second.tok_start - 1, first.tok_end - 1, -1)
        cut = next((t for t in span if ctx.doc[t].lower_ in _COORDINATORS and ctx.doc[t].text != ","), None)
        if cut is None:
            cut = next((t for t in span if ctx.doc[t].text == ","), None)
        if cut is not None:
            return cut
    return None


def _split_parts(ctx: _Ctx, ms: list[Mention], sent: int) -> list[tuple[int, int, bool]]:
    """The clauses of a sentence (``_split_at_second_defect``), each with whether it follows a split."""
    clauses = _clauses(ctx, sent)
    parts = _split_at_second_defect(ctx, ms, clauses)
    starts = {c0 for c0, _ in clauses}
    return [(p0, p1, p0 not in starts) for p0, p1 in parts]


def _trim_span(ctx: _Ctx, tok0: int, tok1: int) -> tuple[int, int]:
    doc = ctx.doc
    while tok0 < tok1 and (doc[tok0].is_space or doc[tok0].is_punct):
        tok0 += 1
    while tok1 > tok0 and (doc[tok1 - 1].is_space or doc[tok1 - 1].text in {".", ",", ";", ":"}):
        tok1 -= 1
    if tok1 <= tok0:
        return (doc[tok0].idx, doc[tok0].idx) if tok0 < len(doc) else (len(ctx.text), len(ctx.text))
    s = doc[tok0].idx
    e = doc[tok1 - 1].idx + len(doc[tok1 - 1].text)
    lead = _LEADING_FILLER.match(ctx.text[s:e])
    if lead:
        s += lead.end()
    return s, e


def _about_the_patient(ctx: _Ctx, sent: int) -> bool:
    """The sentence describes the patient or the reason for the study (``wording.json`` patient_cues)."""
    rx = load_wording().patient_cue
    s0, s1 = ctx.sent_bounds[sent]
    return rx is not None and rx.search(ctx.text, s0, s1) is not None


# Concepts of the stress test itself: a sentence with one speaks of what happened during the test.
_TEST_CONCEPTS = {
    "AGENT", "PHARM_STRESS", "EXERCISE", "HR", "BP", "MPHR", "METS", "DURATION", "ECG_RESULT", "ST_DEPRESSION",
}  # fmt: skip


def _during_the_test(ctx: _Ctx, sent: int) -> bool:
    """The sentence speaks of the stress test (a concept of the test, or ``wording.json`` test_cues)."""
    if any(m.sent == sent for label in _TEST_CONCEPTS for m in ctx.get(label)):
        return True
    rx = load_wording().test_cue
    s0, s1 = ctx.sent_bounds[sent]
    return rx is not None and rx.search(ctx.text, s0, s1) is not None


def _before_the_test(ctx: _Ctx, sent: int) -> bool:
    """The sentence speaks of the time before the test (``wording.json`` pretest_cues: "on arrival")."""
    rx = load_wording().pretest_cue
    s0, s1 = ctx.sent_bounds[sent]
    return rx is not None and rx.search(ctx.text, s0, s1) is not None


def _about_the_ecg(ctx: _Ctx, sent: int) -> bool:
    s0, s1 = ctx.sent_bounds[sent]
    return load_wording().ecg_cue.search(ctx.text, s0, s1) is not None


# Another level of the wall coordinated before "apical" ("mid and apical inferior", "basal to apical anterior",
# "mid-to-apical"): the defect spans the wall's levels, so "apical" names no wall of its own.
_LEVEL_RANGE = re.compile(
    r"\b(?:basal|base|mid|middle|distal)(?:[- ]?ventricular)?\s*(?:,|and|to|through|-)\s*\Z", re.I
)


# The cells of a table's row: split at a vertical bar or at tabs.
_TABLE_CELLS = re.compile(r"[ \t]*\|[ \t]*|\t+")


def _table_cells(line: str) -> list[str]:
    return [c.strip().lower() for c in _TABLE_CELLS.split(line.strip().strip("|"))]


def _defect_table_rows(ctx: _Ctx) -> list[tuple[int, int]]:
    """The character ranges of the rows of a table of defects (``wording.json`` defect_table_places and
    defect_table_grades): under a header row with a column of the defect's place and two of its grades, every
    line split into as many cells, up to the first line that is not."""
    wording = load_wording()
    place, grade = wording.defect_table_place, wording.defect_table_grade
    if place is None or grade is None or ("|" not in ctx.text and "\t" not in ctx.text):
        return []
    rows: list[tuple[int, int]] = []
    width = 0
    pos = 0
    for line in ctx.text.splitlines(keepends=True):
        cells = _table_cells(line) if "|" in line or "\t" in line.strip() else []
        if width and len(cells) == width:
            rows.append((pos, pos + len(line.rstrip())))
        elif (
            len(cells) >= 3
            and any(place.fullmatch(c) for c in cells)
            and sum(1 for c in cells if grade.fullmatch(c)) >= 2
        ):
            width = len(cells)
        elif not set(line.strip()) <= set("-=|+: \t"):  # a rule under the header row goes on with the table
            width = 0
        pos += len(line)
    return rows


# A footnote mark at the end of a table's cell ("fixed *", "mild decrease†"), and a footnote line that opens with one.
_FOOTNOTE_MARK = re.compile(r"(?:\*{1,3}|[\u2020\u2021\u00a7\u00b9\u00b2\u00b3]|\([a-z1-9]\))\Z")


def _normal_table_row(ctx: _Ctx, cells: list[str], ms: list[Mention]) -> bool:
    """A row of a table of defects that grades no abnormality: every cell but the one naming its place, its vessel or
    its segment number is empty or says normal (``wording.json`` defect_table_normal_cells: "normal", "-")."""
    normal = load_wording().defect_table_normal_cell
    if normal is None:
        return False
    named = [ctx.text[m.start : m.end].lower() for m in ms if m.label in ("WALL", "TERRITORY")]
    grades = [c for c in cells if not c.isdigit() and not any(n in c for n in named)]
    return bool(grades) and all(not c or normal.fullmatch(c) for c in grades)


def _footnoted_away(ctx: _Ctx, cells: list[str], row_end: int) -> bool:
    """A cell of the row carries a footnote mark ("fixed *") whose footnote, a line under the table opening with the
    same mark, says the finding is no defect or puts it down to an artifact, unhedged ("* inferior count reduction
    with normal thickening = diaphragmatic attenuation, not a true defect")."""
    wording = load_wording()
    for cell in cells:
        mark = _FOOTNOTE_MARK.search(cell)
        if mark is None:
            continue
        note = re.compile(r"^[ \t]*" + re.escape(mark.group()) + r"(?!\*)[ \t]*(.+)$", re.M).search(ctx.text, row_end)
        if note is None:
            continue
        n0, n1 = note.start(1), note.end(1)
        if _HEDGED.search(ctx.text, n0, n1):
            continue
        if wording.not_a_defect is not None and wording.not_a_defect.search(ctx.text, n0, n1):
            return True
        if any(n0 <= m.start < n1 and not m.negated and not m.uncertain for m in ctx.get("ARTIFACT")):
            return True
    return False


def _table_defects(ctx: _Ctx, rows: list[tuple[int, int]], mentions: list[Mention]) -> list[_DefectMention]:
    """One defect for each row of a table of defects that names a wall, its grades from its cells; a row that grades
    no abnormality, or whose footnote takes the finding back, lists none."""
    out = []
    for r0, r1 in rows:
        ms = [m for m in mentions if r0 <= m.start < r1]
        walls = _walls_named(ctx, [m for m in ms if m.label == "WALL" and not m.negated])
        if not walls:
            continue
        cells = _table_cells(ctx.text[r0:r1])
        if _normal_table_row(ctx, cells, ms) or _footnoted_away(ctx, cells, r1):
            continue
        territories = list(dict.fromkeys(m.value for m in ms if m.label == "TERRITORY" and m.value))
        tok0 = ctx.doc.char_span(r0, r1, alignment_mode="expand")
        if tok0 is None:
            continue
        out.append(_mention_from(ctx, walls, territories, ms, None, (tok0.start, tok0.end), ms[0].sent, True))
    return out


def _walls_named(ctx: _Ctx, wall_ms: list[Mention]) -> list[str]:
    """The walls of one described defect, from its WALL mentions in order: "apical" is a level of the wall named
    with it, or the apex."""
    walls: list[str] = []
    for i, w in enumerate(wall_ms):
        v = w.value or ""
        text = ctx.text[w.start : w.end].lower()
        if text == "apical":
            nxt = wall_ms[i + 1] if i + 1 < len(wall_ms) else None
            if nxt is not None and nxt.tok_start == w.tok_end:
                continue  # "apical anterolateral": a level of the next wall
            segments = _SEGMENTS_AFTER.match(ctx.text, w.end)
            if (
                segments is not None
                and any(o.value != "apex" for o in wall_ms)
                # a level of walls named before it or after it with "of"; "in the apical segments and in the
                # anterior wall" names a place of its own
                and (i > 0 or _OF_AFTER.match(ctx.text, segments.end()) is not None)
            ):
                continue  # "anterior wall and anteroseptum (mid and apical segments)": their level
            prev = wall_ms[i - 1] if i > 0 else None
            listed = prev is not None and _WALL_LIST_JOIN.fullmatch(ctx.text, prev.end, w.start) is not None
            # "the inferior, lateral and apical walls", "Walls: septal, apical; Territory: LAD": a wall name of its
            # own in a list of walls that qualifies no finding noun names the apical walls, as the list does;
            # "anterior and apical defect", "a small apical reduction": the finding lies at the apex; "the apical
            # segments" in the plural are the apical ring (AHA 17-segment model: segments 13-16 apical, 17 the apex)
            ring = (listed and _LIST_ENDS_AFTER.match(ctx.text, w.end)) or _PLURAL_AFTER.match(ctx.text, w.end)
            v = "apical" if ring else "apex"
        # "apical inferior segment", "inferoapical": the wall and its apical level (dev gold: inferior + apical)
        levels = [v, "apical"] if v != "apex" and "apic" in text else [v]
        if len(levels) > 1 and (
            _LEVEL_RANGE.search(ctx.text, max(0, w.start - 30), w.start)
            or _LEVEL_RANGE.search(text, 0, max(0, text.lower().find("apic")))
        ):
            levels = [v]  # "the mid and apical inferior wall": the wall over a range of levels, not its apex
        for v in levels:
            if v == "apex" and "apical" in walls and "apex" in text:
                # "the apical anterior wall and the apex": the apex itself, named, is the wall
                walls[walls.index("apical")] = "apex"
            elif v and not _wall_keys([v]) & _wall_keys(walls):  # "at the apex ... apical thinning": one place
                walls.append(v)
    return walls


def _defect_mentions(ctx: _Ctx) -> list[_DefectMention]:
    rows = _defect_table_rows(ctx)
    by_sent: dict[int, list[Mention]] = {}
    in_rows: list[Mention] = []
    for m in ctx.mentions:
        if m.section in _NON_FINDING_SECTIONS:
            continue
        if any(r0 <= m.start < r1 for r0, r1 in rows):
            in_rows.append(m)  # a row of a table of defects: one defect, its walls and grades in its cells
            continue
        by_sent.setdefault(m.sent, []).append(m)
    out: list[_DefectMention] = _table_defects(ctx, rows, in_rows) if rows else []
    for sent in sorted(by_sent):
        ms = by_sent[sent]
        if not any(m.label in ("DEFECT", "ISCHEMIA", "INFARCTION", "TERRITORY") for m in ms) and not (
            any(m.label == "WALL" for m in ms) and any(m.label == "ARTIFACT" and not m.negated for m in ms)
        ):
            continue  # (a wall's finding put down to an artifact may take a defect back: see below)
        if not any(m.label == "DEFECT" for m in ms) and (
            (_about_the_ecg(ctx, sent) and not _perfusion_finding_first(ctx, ms, sent)) or _about_the_patient(ctx, sent)
        ):
            # "Resting EKG shows an anteroseptal infarction": the ECG's finding, not a perfusion defect;
            # "68 yo man with prior inferior MI, referred for chest pain": the reason for the study
            continue
        for c0, c1, split in _split_parts(ctx, ms, sent):
            cm = [m for m in ms if c0 <= m.tok_start < c1]
            triggers = [m for m in cm if m.label in ("DEFECT", "ISCHEMIA", "INFARCTION")]
            # "peri-infarct ischemia": the ischemia is the finding, the infarct only where it lies
            triggers = [m for m in triggers if not _PERI.search(ctx.text, 0, m.start)] or triggers
            quote = _prior_quote(ctx, triggers[0]) if triggers else None
            if quote is not None:
                # the prior's finding has the walls of its quote, not those the sentence goes on to name as new
                cm = [m for m in cm if quote[0] <= m.start < quote[1]]
            affirmed_trigger = bool(triggers) and not triggers[0].negated
            # "defect of the inferior wall sparing the apex": a wall negated under an affirmed defect is spared
            wall_ms = [m for m in cm if m.label == "WALL" and not (m.negated and affirmed_trigger)]
            walls = _walls_named(ctx, _without_motion_walls(ctx, cm, wall_ms, triggers))
            territories = []
            for t in cm:
                if t.negated and affirmed_trigger:
                    continue  # "lies in the LCx territory, not the RCA territory": a vessel denied is not its own
                if t.label == "TERRITORY" and t.value and t.value not in territories:
                    territories.append(t.value)
            if _either_territory(ctx, [t for t in cm if t.label == "TERRITORY"]):
                territories = []  # "(RCA/LCx)": the text leaves the vessel open, so no territory
            if not triggers or _denied_after_artifact(cm, triggers):
                if walls and any(m.label == "ARTIFACT" and not m.negated for m in cm):
                    # "the inferior finding resolves and is attributed to diaphragmatic attenuation": a finding of
                    # a wall, named by no defect word, put down to an artifact takes back a defect of that wall
                    back = _mention_from(ctx, walls, territories, cm, None, (c0, c1), sent, True)
                    if _explained_as_artifact(ctx, back):
                        out.append(back)
                        continue
                if triggers:
                    continue  # "... is due to motion artifact and does not represent ischemia": no defect of its own
                denied = any(t.negated for t in cm if t.label == "TERRITORY")  # "It is not in the LAD territory"
                if territories and not walls and not denied and out and out[-1].sent == sent - 1:
                    clause_text = ctx.text[ctx.doc[c0].idx : ctx.doc[c1 - 1].idx + 1]
                    if _PRONOUN.match(clause_text.strip()):
                        out.append(_mention_from(ctx, [], territories, cm, None, (c0, c1), sent, False))
                continue
            if not walls and not territories and not _grades_the_defect_above(ctx, cm, triggers[0], (c0, c1)):
                continue
            trigger = triggers[0]
            if trigger.hypothetical:
                continue
            out.append(_mention_from(ctx, walls, territories, cm, trigger, (c0, c1), sent, True))
            out[-1].split = split
            if (
                out[-1].reversibility is None
                and _SCAR_WORD.fullmatch(ctx.text, trigger.start, trigger.end)
                and not any(o.label in ("REVERSIBILITY", "ISCHEMIA") for o in ms)
            ):
                # "the same inferior scar": a scar is what a fixed defect shows; a sentence that also speaks of
                # ischemia or a reversal ("scar with reversible ischemia at its border") says more
                out[-1].reversibility = "fixed"
    _numbered_rows(ctx, out)
    _reversibility_said_next(ctx, by_sent, out)
    _territory_said_next(ctx, by_sent, out)
    return out


# The key of a numbered finding's row in a template, up to its number ("Defect 1 location", "Lesion #2 size").
_NUMBERED_ROW = re.compile(
    r"[ \t]*(?P<key>(?:perfusion[ \t]+)?(?:defect|lesion|abnormality|finding)[ \t]*(?:#|no\.?)?[ \t]*\d{1,2})"
    r"[ \t]+[A-Za-z]",
    re.I,
)
_ROW_PROPERTIES = ("SEVERITY", "EXTENT", "REVERSIBILITY", "TERRITORY")


def _numbered_rows(ctx: _Ctx, out: list[_DefectMention]) -> None:
    """A template's numbered finding, one row per property ("Defect 1 location .... Inferior", "Defect 1 size ....
    Medium", "Defect 1 reversibility Fixed", "Defect 1 territory ... RCA"): the rows under the row that places it,
    with the same key up to its number, grade that defect. A row of another number is another finding's."""
    text = ctx.text
    for dm in out:
        line = text.rfind("\n", 0, dm.span[0]) + 1
        head = _NUMBERED_ROW.match(text, line)
        if head is None or dm.historical:
            continue
        key = " ".join(head.group("key").lower().split())
        pos = _eol(text, line) + 1
        while pos < len(text):
            row = _NUMBERED_ROW.match(text, pos)
            if row is None or " ".join(row.group("key").lower().split()) != key:
                break
            end = _eol(text, pos)
            for m in ctx.get(*_ROW_PROPERTIES):
                if not pos <= m.start < end or m.negated or not m.value:
                    continue
                if _KEY_END.match(text, m.end) and _PROPERTY_NAME.search(text, m.start, m.end):
                    continue  # "reversibility:" names the row's property, not its value
                if m.label == "SEVERITY":
                    dm.severity = dm.severity or m.value
                elif m.label == "EXTENT":
                    dm.extent = dm.extent or m.value
                elif m.label == "REVERSIBILITY":
                    dm.reversibility = dm.reversibility or _reversibility_value(m, False)
                elif m.value not in dm.territories:
                    dm.territories.append(m.value)
            pos = end + 1


def _denied_after_artifact(cm: list[Mention], triggers: list[Mention]) -> bool:
    """A clause that puts a wall's finding down to an artifact and then denies it is a finding ("the inferior finding
    is due to motion artifact and does not represent ischemia"): its every finding word is denied, after an artifact
    named with a wall before it. It reads as a finding of that wall named by no finding word."""
    if not all(t.negated for t in triggers):
        return False
    first = min(t.start for t in triggers)
    artifacts = [m for m in cm if m.label == "ARTIFACT" and not m.negated and m.end <= first]
    return any(w.label == "WALL" and any(w.end <= a.start for a in artifacts) for w in cm)


# What may stand between a wall and the motion said of it: "inferior akinesis", "septal wall hypokinesis",
# "hypokinesis of the inferior wall", "akinetic inferior segments".
_WALL_MOTION_LINK = re.compile(r"[ \t]*(?:(?:walls?|segments?)[ \t]*)?", re.I)
_MOTION_OF_WALL = re.compile(r"[ \t]+(?:of|in|involving)[ \t]+(?:the[ \t]+)?", re.I)


def _without_motion_walls(
    ctx: _Ctx, cm: list[Mention], wall_ms: list[Mention], triggers: list[Mention]
) -> list[Mention]:
    """The walls of a clause less those it names, after its finding, as the place of a wall motion ("a large
    inferior defect ..., anterior akinesis and septal hypokinesis", "hypokinesis of the lateral wall"): where the
    motion is abnormal is no wall of the defect. Kept where the defect would be left with no wall of its own."""
    if not triggers:
        return wall_ms
    motions = [m for m in cm if m.label == "WALL_MOTION" and m.start > triggers[0].end]
    if not motions:
        return wall_ms
    text = ctx.text

    def of_motion(w: Mention) -> bool:
        for mo in motions:
            if w.end <= mo.start and _WALL_MOTION_LINK.fullmatch(text, w.end, mo.start):
                return True
            link = _MOTION_OF_WALL.match(text, mo.end)
            if w.start >= mo.end and link is not None and link.end() == w.start:
                return True
        return False

    kept = [w for w in wall_ms if w.start < triggers[0].end or not of_motion(w)]
    return kept if any(w.value for w in kept) else wall_ms


def _perfusion_finding_first(ctx: _Ctx, ms: list[Mention], sent: int) -> bool:
    """A sentence that gives the perfusion study's verdict and its finding before it speaks of the ECG ("Abnormal
    perfusion study showing inferior ischemia in the RCA territory, with an ischemic ECG"): its ischemia or
    infarction is the images', not the ECG's (no ECG cue before the finding)."""
    trigger = next((m for m in ms if m.label in ("ISCHEMIA", "INFARCTION") and not m.negated), None)
    if trigger is None or not any(m.label == "RESULT" and not m.negated and m.end <= trigger.start for m in ms):
        return False
    return load_wording().ecg_cue.search(ctx.text, ctx.sent_bounds[sent][0], trigger.start) is None


def _grades_the_defect_above(ctx: _Ctx, cm: list[Mention], trigger: Mention, clause: tuple[int, int]) -> bool:
    """Whether an addendum clause grades a defect already described, naming no wall ("on my review the defect is
    medium rather than small"): a defect trigger that refers back, and a grade of its own."""
    if trigger.section != "addendum" or trigger.negated or trigger.label != "DEFECT":
        return False
    if not any(m.label in _DEFECT_PROPERTIES and not m.negated for m in cm):
        return False
    last = ctx.doc[clause[1] - 1]
    return _REFERS_BACK.search(ctx.text, ctx.doc[clause[0]].idx, last.idx + len(last)) is not None


# A trigger that names a scar itself (not an infarction, which may be a history): its defect is fixed.
_SCAR_WORD = re.compile(r"scars?|scarring|(?:myocardial\s+)?scar\s+tissue", re.I)


# "apical segments": the apical level of the walls a defect names, not the apex (segment 17) as a wall.
_SEGMENTS_AFTER = re.compile(r"\s+segments?\b", re.I)
_OF_AFTER = re.compile(r"\s+of\b", re.I)
# "apical segments", "apical walls": more than one segment of the apical level, the ring and not the apex
_PLURAL_AFTER = re.compile(r"\s+(?:segments|walls)\b", re.I)

# A wall coordinated with the one before it in a list ("anterior, anteroseptal and apical", "septal & apical").
_WALL_LIST_JOIN = re.compile(r"(?:\s+walls?)?\s*(?:,\s*(?:and\s+)?|\s(?:and|&)\s+|/\s*)", re.I)
# A list of walls that ends as walls ("... and apical walls") or as an item ("...; LAD", a line's or text's end).
_LIST_ENDS_AFTER = re.compile(r"\s+walls\b|[ \t]*(?:[;|]|\r?\n|\Z)", re.I)


# Two vessels given as alternatives: "RCA/LCx", "RCA or LCx", "LAD and/or diagonal".
_EITHER = re.compile(r"\s*(?:/|or|and\s*/\s*or|-)\s*(?:the\s+)?", re.I)


def _either_territory(ctx: _Ctx, territories: list[Mention]) -> bool:
    return any(
        a.value != b.value and _EITHER.fullmatch(ctx.text, a.end, b.start) for a, b in itertools.pairwise(territories)
    )


# A sentence that goes on about the defect just described: "This normalizes on the rest images."
_BACK_REFERENCE = re.compile(
    r"\s*(?:this|these|it|they|which|the\s+(?:defect|abnormality|finding|area)|both|all|each|"
    r"the\s+(?:two|three|four)\s+(?:defects|abnormalities|findings|areas))\b",
    re.I,
)


_DEFECT_REFERENCE = re.compile(
    r"\b(?:the|this|these|both|that)\s+(?:(?:perfusion|stress)\s+)?(?:defects?|abnormalit(?:y|ies))\b", re.I
)


# At most two words before a sentence's reversibility ("Significant redistribution on the 4-hour images"): the
# sentence opens with it, so it speaks of the defect just described.
_OPENING_WORDS = re.compile(r"\s*(?:\d{1,2}[.)]\s*)?(?:[\w-]+\s+){0,2}")


def _names_a_finding(ms: list[Mention]) -> bool:
    return any(m.label in ("DEFECT", "ISCHEMIA", "INFARCTION") for m in ms)


def _reversibility_said_next(ctx: _Ctx, by_sent: dict[int, list[Mention]], out: list[_DefectMention]) -> None:
    """Reversibility stated in the next sentence, about the defect just described, without a wall of its own."""
    for dm in out:
        if dm.reversibility is not None or dm.historical:
            continue
        nxt = by_sent.get(dm.sent + 1, [])
        walls = {m.value for m in nxt if m.label == "WALL"}
        if not nxt:
            continue
        rev = next((m for m in nxt if m.label == "REVERSIBILITY"), None)
        s0 = ctx.sent_bounds[dm.sent + 1][0]
        if walls:
            # "On the delayed images the lateral wall fills in, whereas the apex stays reduced": the walls of the
            # defect just described, each with its own course
            if not walls <= set(dm.walls) or any(m.label == "DEFECT" for m in nxt):
                continue
        elif (
            not _BACK_REFERENCE.match(ctx.text, s0)
            and (rev is None or _DEFECT_REFERENCE.search(ctx.text, s0, rev.start) is None)
            and (rev is None or not _OPENING_WORDS.fullmatch(ctx.text, s0, rev.start) or _names_a_finding(nxt))
        ):
            # "This normalizes at rest", or the defect named before its reversibility: "On the rest thallium images
            # the defect is partially reversible"
            continue
        values = [_reversibility_value(m, False) for m in nxt if m.label == "REVERSIBILITY"]
        named = [_reversibility_value(m, False) for m in nxt if m.label == "REVERSIBILITY" and not _image_name(ctx, m)]
        if ("reversible" in named and "fixed" in named) or "partially reversible" in named:
            # "Significant redistribution on the 4-hour images ... (partially reversible)": the partial one says more
            dm.reversibility = "partially reversible"
        else:
            dm.reversibility = next((v for v in values if v is not None), None)
        vessels = {m.value for m in nxt if m.label == "TERRITORY" and m.value and not m.negated}
        if not dm.territories and len(vessels) == 1 and not walls:
            dm.territories = sorted(vessels)  # "..., consistent with hibernating myocardium in the LAD territory"


def _territory_said_next(ctx: _Ctx, by_sent: dict[int, list[Mention]], out: list[_DefectMention]) -> None:
    """The vessel named in the next sentence, which speaks of the defect just described by a back reference ("The
    area looked normal again at rest ... a narrowing in the artery that supplies the front of the heart (the LAD)"):
    the defect's territory, where that sentence names one vessel and no finding of its own, and the vessel may
    supply the defect's walls (the apex, any vessel's). Walls named there must be the vessel's own (the region the
    artery supplies), not another defect's place."""
    for dm in out:
        if dm.territories or dm.historical or dm.sent + 1 >= len(ctx.sent_bounds):
            continue
        nxt = by_sent.get(dm.sent + 1, [])
        if not nxt or _names_a_finding(nxt) or not _BACK_REFERENCE.match(ctx.text, ctx.sent_bounds[dm.sent + 1][0]):
            continue
        named = [m for m in nxt if m.label == "TERRITORY" and m.value]
        vessels = {str(m.value) for m in named}
        if len(vessels) != 1 or any(m.negated or m.historical or m.prior_cue or m.hypothetical for m in named):
            continue  # "... unlike the prior study's RCA defect", "not in the LAD territory": no vessel of this defect
        vessel = next(iter(vessels))
        fits = _wall_territories(dm.walls)
        walls = {m.value for m in nxt if m.label == "WALL" and m.value}
        if (fits and vessel not in fits) or any(vessel not in _WALL_TERRITORIES.get(w, {vessel}) for w in walls):
            continue
        dm.territories = [vessel]


# "redistribution images": the name of the later images, not a statement that a defect redistributes.
_IMAGE_NOUN = re.compile(r"\s+(?:images?|imaging|views?|scans?|study|studies)\b", re.I)


def _image_name(ctx: _Ctx, m: Mention) -> bool:
    """The word "redistribution" as the name of the later images ("on the redistribution images"), or of a phase
    in the protocol it belongs to ("images at peak stress and 4-hour redistribution show ..."): no reversal."""
    if ctx.text[m.start : m.end].lower() != "redistribution":
        return False
    if _IMAGE_NOUN.match(ctx.text, m.end) is not None:
        return True
    return any(p.start <= m.start and m.end <= p.end for p in ctx.get("PROTOCOL"))


def _reversibility_value(m: Mention, negated_trigger: bool) -> str | None:
    """A reversibility as stated; a denied reversal ("without redistribution", "not reversible") is fixed."""
    if m.negated and not negated_trigger:
        return "fixed" if m.value in ("reversible", "partially reversible") else None
    return m.value


_DEFECT_PROPERTIES = {"REVERSIBILITY", "SEVERITY", "EXTENT"}
# A line of a key and its one answer: the key (no separator in it), then a colon, an equals sign, a table's bar or a
# run of blanks (a dot leader reads as blanks and a colon: extraction.pipeline.layout_view), then the answer.
_KEYED_LINE = re.compile(
    r"(?m)^[ \t|]*(?P<key>[^\s:=|](?:[^\n:=|\t ]|[ ](?=[^\s:=|]))*)(?:[ \t]*[:=|][ \t]*|[ \t]{2,}|\t[ \t]*)"
    r"(?P<answer>[^\n:=|]*?)[ \t.|]*$"
)
# An aside after an answer ("N/A (stress-only)").
_ASIDE_AFTER = re.compile(r"[ \t]*\([^()\n]*\)[ \t]*\Z")
# The noun that names a defect's property (a key's word), not one of its values: "Reversibility", "Severity", "size".
_PROPERTY_NAME = re.compile(r"\b(?:reversibility|severity|extent|size|intensity)\Z", re.I)


def _mention_from(
    ctx: _Ctx,
    walls: list[str],
    territories: list[str],
    cm: list[Mention],
    trigger: Mention | None,
    clause: tuple[int, int],
    sent: int,
    has_trigger: bool,
) -> _DefectMention:
    negated_trigger = trigger is not None and trigger.negated
    # a property's name as the key of its value ("Reversibility: [x] Fixed") is no value of it; a value word before a
    # colon is the value of the places it leads to ("Large, severe, reversible: anterior and apex")
    cm = [
        m
        for m in cm
        if m.label not in _DEFECT_PROPERTIES
        or not _KEY_END.match(ctx.text, m.end)
        or not _PROPERTY_NAME.search(ctx.text, m.start, m.end)
    ]

    # "inferior infarction with mild peri-infarct ischemia": beside the scar or defect of its clause, the grade of the
    # ischemia at its border (or left over) grades that part only, not the defect (struct_dev13 r07, dev16 l03)
    # (one with a wall of its own after it, "with mild peri-infarct ischemia in the inferolateral wall", is a defect of
    # its own, graded by it: struct_dev14 a06)
    scarred = any(m.label in ("INFARCTION", "DEFECT") for m in cm)
    cm_graded = [
        m
        for m in cm
        if not (
            scarred
            and m.label == "SEVERITY"
            and _COMPONENT_ISCHEMIA.match(ctx.text, m.end)
            and not any(w.label == "WALL" and w.start > m.end for w in cm)
        )
    ]

    def first(label: str) -> str | None:
        for m in cm if label != "SEVERITY" else cm_graded:
            if m.label == label == "REVERSIBILITY" and m.value:
                if _image_name(ctx, m):
                    continue  # "the redistribution images": no reversal
                value = _reversibility_value(m, negated_trigger)
                if value is not None:
                    return value
            elif m.label == label and (negated_trigger or not m.negated) and m.value:
                return m.value
        return None

    def reversibility() -> str | None:
        # "the mid anterior wall fills in, while the apex remains reduced without redistribution": one defect,
        # part reversible and part fixed, is partially reversible
        values = {
            _reversibility_value(m, negated_trigger)
            for m in cm
            if m.label == "REVERSIBILITY" and m.value and not _image_name(ctx, m)
        }
        # "predominantly fixed, with partial reversibility": a fixed defect with a reversible part, partially
        # reversible; "marked redistribution (partially reversible)": a partial reversal named beside a reversal word
        # qualifies it
        if "partially reversible" in values or ("fixed" in values and "reversible" in values):
            return "partially reversible"
        stated = first("REVERSIBILITY")
        ischemia = trigger is not None and trigger.label == "ISCHEMIA" and not trigger.negated
        # "mild ischemia in the inferolateral wall": ischemia is a reversible defect; a scar or defect named in the
        # clause makes it another reading ("peri-infarct" only places the ischemia)
        other = any(m.label in ("INFARCTION", "DEFECT") and not _PERI.search(ctx.text, 0, m.start) for m in cm)
        return "reversible" if stated is None and ischemia and not other else stated

    artifact = any(m.label == "ARTIFACT" and not m.negated and not _considered_and_set_aside(ctx, m) for m in cm)
    quoted = trigger is not None and _quoted_from_prior(ctx, trigger)
    certainty = trigger.certainty if trigger is not None else "affirmed"
    # "Small fixed apical defect, probably artifact": an artifact of no schema kind, named with a hedge, hedges it too
    hedged_artifact = any(m.label == "ARTIFACT_WORD" and m.uncertain and not m.negated for m in cm)
    if certainty == "affirmed" and (artifact or hedged_artifact):
        certainty = "uncertain"
    return _DefectMention(
        walls=walls,
        territories=territories,
        severity=first("SEVERITY"),
        extent=first("EXTENT"),
        reversibility=reversibility(),
        certainty=certainty,
        historical=trigger is not None and (trigger.historical or quoted),
        span=_trim_span(ctx, *clause),
        sent=sent,
        artifact=artifact,
        has_trigger=has_trigger,
        addendum=ctx.tok_section[clause[0]] == "addendum" or any(m.section == "addendum" for m in cm),
        sentence=ctx.text[ctx.sent_bounds[sent][0] : ctx.sent_bounds[sent][1]],
        gone=negated_trigger and trigger is not None and trigger.prior_cue,
        quoted=quoted,
        hedged=trigger is not None and trigger.certainty == "uncertain",
        named_defect=trigger is not None and _DEFECT_NOUN.search(ctx.text, trigger.start, trigger.end) is not None,
    )


_DEFECT_NOUN = re.compile(r"defect", re.I)
_PERI = re.compile(r"peri[- ]?\Z", re.I)
# The ischemia of a part of a scar or defect, after its grade: "(mild) peri-infarct ischemia", "residual ischaemia".
_COMPONENT_ISCHEMIA = re.compile(
    r"\s+(?:peri[- ]?infarct(?:ion)?(?:al)?|peri[- ]?scar|residual|superimposed)\s+ischa?emi", re.I
)


# What names the prior study before a parenthesis: a date, a year or a word for an earlier study.
_PRIOR_NAMED = re.compile(
    r"\b(?:prior|previous|earlier|outside|old|(?:19|20)\d\d)\b|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}", re.I
)


# A relative clause that tells what a prior study showed: ", which showed", ", that demonstrated".
_PRIOR_CLAUSE = re.compile(
    r",\s*(?:which|that)\s+(?:had\s+)?(?:showed|shown|demonstrated|revealed|described|reported|was\s+(?:read|reported)\s+as)\b",
    re.I,
)


# A date in a sentence's subject: numeric, a year, a month and year, a year in words ("twenty nineteen").
_YEAR_WORDS = (
    r"(?:nineteen|twenty)[\s-]+(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|"
    r"nine))?|o[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))|two\s+thousand(?:\s+and)?(?:[\s-]+"
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    r"eighteen|nineteen|twenty|thirty))*"
)
_SUBJECT_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}[/.-](?:19|20)\d\d|(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|"
    rf"aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:\d{{1,2}},?\s+)?(?:(?:19|20)\d\d|{_YEAR_WORDS})|(?:19|20)\d\d|{_YEAR_WORDS})"
)
# The subject of a sentence that is a study of a date ("The study of March 2019", "The 2022 SPECT", "A scan dated
# 3/4/2021"), then a verb in the past before the sentence ends ("showed", "was normal").
# The subject may follow a lead of one or two words and a comma ("For reference, a SPECT in 2021 reported ...",
# "Of note, the 2019 scan was ...") and name where the study was done before its date ("a Tc-99m SPECT at another
# facility in 2021", "a scan performed elsewhere in 03/2020").
_SUBJECT_LEAD = r"(?:[A-Za-z]+(?:\s+[A-Za-z]+)?,\s+)?"
_SUBJECT_OPENING = re.compile(_SUBJECT_LEAD + r"(?:the|an?|his|her|their)\s", re.I)
_DONE_ELSEWHERE = (
    r"(?:\s+(?:(?:performed|done|obtained|acquired)\s+)?(?:at|in|from)\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:facility|hospital|centre|center|institution|clinic|practice|site|department|lab|laboratory)"
    r"|\s+(?:(?:performed|done|obtained|acquired)\s+)?elsewhere)?"
)
_DATED_STUDY_SUBJECT = re.compile(
    rf"{_SUBJECT_LEAD}(?:the|an?|his|her|their)\s+(?:(?P<d1>{_SUBJECT_DATE})\s+)?(?:[\w/-]+\s+){{0,2}}?"
    r"(?:study|scan|mpi|mps|spect|pet|test|exam|examination|imaging|scintigraphy)\b"
    + _DONE_ELSEWHERE
    + rf"(?:,?\s+(?:of|from|in|on|dated|done\s+(?:in|on))\s+(?P<d2>{_SUBJECT_DATE}))?"
    r"(?=[^.;\n]*?\b(?:showed|demonstrated|revealed|was|were|had\s+shown|reported|described|documented)\b)",
    re.I,
)
# A sentence whose subject is a pronoun or a demonstrative for a study, told in the past ("It showed ...", "That
# scan demonstrated ..."): it speaks of the study the sentence before it names (_Ctx._dated_priors).
_PRONOUN_STUDY_SUBJECT = re.compile(
    r"\s*(?:it|that(?:\s+(?:study|scan|test|exam|examination))?)\s+(?:showed|demonstrated|revealed|reported|"
    r"described|documented|had\s+shown)\b",
    re.I,
)
# A study named with its date after it ("an outside perfusion study from Lakeview dated 09/18/2022").
_NAMED_DATED_STUDY = re.compile(
    r"\b(?:stud(?:y|ies)|scan|mpi|mps|spect|pet|test|exam|examination|imaging|scintigraphy)\b[^.;\n]{0,60}?"
    rf"\b(?:of|from|in|on|dated)\s+(?P<d>{_SUBJECT_DATE})",
    re.I,
)
# A value or finding taken from a test named earlier by a demonstrative ("the calcium score from that CTCA was 412",
# "the LVEF on that echo was 40%"): that test's, never this study's ("this study" names the report's own).
_FROM_THAT_TEST = re.compile(
    r"\b(?:from|on|of|by|at)\s+that\s+(?:[\w/-]+\s+){0,2}?(?:stud(?:y|ies)|scans?|mpi|mps|spect|pet|tests?|exams?|"
    r"examination|imaging|scintigraphy|ctca|ccta|cta|ct|angiogra(?:m|phy)|echo(?:cardiogram)?|catheteri[sz]ation|cath|"
    r"reports?)\b",
    re.I,
)
# A participle that dates a finding to an earlier study ("seen in 2019", "noted on the March 2022 scan").
_SEEN_THEN = re.compile(
    rf"\b(?:seen|noted|shown|described|demonstrated|reported)\s+(?:on|in)\s+(?:the\s+|an?\s+)?(?:(?P<d>{_SUBJECT_DATE})"
    r"|(?:prior|previous|earlier|outside|old)\s+(?:study|scan|mpi|mps|spect|pet|test|exam|examination|imaging))\b",
    re.I,
)
# A test named with its date after it, in the patient's history ("normal regadenoson sestamibi stress test 2024",
# "SPECT (03/2022)", "exercise MPI from 11/2019", "Echo 09/2025 showed"): at most four words before the test's noun.
_DATED_TEST = re.compile(
    r"(?<![\w-])(?:[\w/-]+\s+){0,4}?(?:stud(?:y|ies)|scans?|mpi|mps|spect|pet|tests?|exams?|examination|imaging|"
    r"scintigraphy|echocardiograms?|echocardiography|echo|angiograms?|angiography|catheteri[sz]ation)\b"
    r"[ \t]*[(,]?[ \t]*(?:(?:of|from|in|on|dated|done\s+(?:in|on))\s+)?"
    rf"(?P<d>{_SUBJECT_DATE})\b",
    re.I,
)
# A verb that goes on from a test named in a history to what it showed ("was interpreted as showing", "reported").
_TEST_SHOWED = re.compile(
    r"\b(?:show(?:s|ed|ing|n)?|demonstrat(?:es|ed|ing)|reveal(?:s|ed|ing)|reported|interpreted\s+as|read\s+as)\b",
    re.I,
)
# What ends a clause of a history: a comma, a semicolon, a colon, a full stop, a line break.
_CLAUSE_MARKS = (",", ";", ":", ". ", "\n")
_ANY_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _dated_test_clauses(text: str, s0: int, s1: int) -> list[tuple[int, int, str]]:
    """The clauses of the sentence ``text[s0:s1]`` that name a dated test (``_DATED_TEST``), with the date."""
    out: list[tuple[int, int, str]] = []
    for test in _DATED_TEST.finditer(text, s0, s1):
        start = max((text.rfind(c, s0, test.start()) + 1 for c in _CLAUSE_MARKS), default=s0)
        ends = [i for i in (text.find(c, test.end(), s1) for c in _CLAUSE_MARKS) if i != -1]
        out.append((max(start, s0), min(ends, default=s1), test.group("d")))
    return out


# The rest of a finding's clause up to such a participle: no comma, semicolon or sentence end.
_CLAUSE_TAIL = re.compile(r"[^,;.\n]{0,40}")
# A colon that ends its line.
_COLON_AT_LINE_END = re.compile(r":[ \t]*(?=\n)")
# A word that says a study is not this one.
_PRIOR_WORD = re.compile(r"\b(?:prior|previous|earlier|outside|old|older|last)\b", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _study_date_iso(ctx: _Ctx) -> str:
    """This study's date as ISO text ("" when the report gives none)."""
    found = _date(ctx)
    return str(found["value"]) if found is not None else ""


def _year_of(dated: str) -> int | None:
    """The year of a date as a subject writes it: digits, or words ("twenty nineteen", "two thousand nineteen")."""
    digits = _YEAR.search(dated)
    if digits is not None:
        return int(digits.group())
    words = [w for w in re.split(r"[\s-]+", dated.lower()) if w and w != "and" and w[:3] not in _MONTHS]
    if words[:2] == ["two", "thousand"]:
        rest = parse_number_token(" ".join(words[2:])) if words[2:] else 0.0
        return None if rest is None else 2000 + int(rest)
    if words and words[0] in ("nineteen", "twenty"):
        tail = words[1:] if words[1:2] != ["o"] else words[2:]
        rest = parse_number_token(" ".join(tail)) if tail else None
        return None if rest is None else (1900 if words[0] == "nineteen" else 2000) + int(rest)
    return None


_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](?:19|20)\d\d")


def _earlier_than(dated: str, study_iso: str) -> bool:
    """The date a subject names is before this study's: by the whole date where both are whole, else by the year
    and month. Without this study's date nothing is earlier."""
    if not study_iso:
        return False
    whole = find_date(dated)
    if whole is not None:
        return str(whole.value) < study_iso
    year = _year_of(dated)
    if year is None:
        return False
    month = next((i + 1 for i, name in enumerate(_MONTHS) if re.search(rf"\b{name}", dated, re.I)), None)
    numeric = _MONTH_YEAR.fullmatch(dated.strip())
    if month is None and numeric is not None and 1 <= int(numeric.group(1)) <= 12:
        month = int(numeric.group(1))  # "09/2025": a month and its year
    study_year, study_month = int(study_iso[:4]), int(study_iso[5:7])
    return (year, month or 0) < (study_year, study_month if month else 0)


# A noun that names a study ("the outside MPI", "a previous scan"), and a sentence that compares with it.
_STUDY_NOUN = re.compile(
    r"\b(?:stud(?:y|ies)|scans?|mpi|mps|spect|pet|exams?|examination|tests?|imaging|reports?)\b", re.I
)
_COMPARED = re.compile(r"\b(?:compar\w*|versus|vs)\b", re.I)


_NAME_TAIL = re.compile(r"[ \t]*(?:[A-Za-z0-9/-]+[ \t]*){0,2}?(?:,[ \t]*)?", re.I)


def _quoted_from_prior(ctx: _Ctx, m: Mention) -> bool:
    """A finding in a parenthesis right after the prior study it summarises, in a comparison sentence ("Compared
    with the SPECT of 14.05.2021 (small reversible apical defect, SDS 3), ..."): the prior's, not this study's."""
    return _prior_quote(ctx, m) is not None


def _prior_quote(ctx: _Ctx, m: Mention) -> tuple[int, int] | None:
    """The characters of the quote from a prior study that holds the mention (see _quoted_from_prior): a
    parenthesis, or a relative clause after the prior's name up to the next comma ("Compared with the thallium
    study of 3/2017, which showed a fixed inferior defect only and EF 50%, the anterior ischemia is new")."""
    s0, s1 = ctx.sent_bounds[m.sent]
    opening = ctx.text.rfind("(", s0, m.start)
    if opening >= 0 and ")" not in ctx.text[opening : m.start]:
        close = ctx.text.find(")", m.end, s1)
    else:
        clause = next(reversed(list(_PRIOR_CLAUSE.finditer(ctx.text, s0, m.start))), None)
        if clause is None or "," in ctx.text[clause.end() : m.start]:
            return None
        opening = clause.start()
        close = ctx.text.find(",", m.end, s1)
    # a cue of comparison, or a change said against the prior ("Worse than 2021-03-09 (then: small fixed inferior
    # defect)"): a change needs the earlier study's findings beside it
    if not any(c.sent == m.sent for c in ctx.get("COMPARISON_CUE")) and not any(
        c.sent == m.sent and c.value in ("worsened", "improved") and not c.negated for c in ctx.get("COMPARISON")
    ):
        return None
    named = next(reversed(list(_PRIOR_NAMED.finditer(ctx.text, max(s0, opening - 40), opening))), None)
    # the quote follows the prior's name ("the SPECT of 14.05.2021 (", "the 2019 MPI ("), not a finding
    # of this study named after it ("Compared to 2019, there is a new defect (")
    if named is None or _NAME_TAIL.fullmatch(ctx.text, named.end(), opening) is None:
        return None
    return opening, close if close >= 0 else s1


def _artifact_follows(ctx: _Ctx, sent: int) -> bool:
    """The next sentence says the defect may be artifact ("this may represent attenuation")."""
    nxt = sent + 1
    if nxt >= len(ctx.sent_bounds):
        return False
    if any(w.sent == nxt for w in ctx.get("WALL")):
        return False  # "There is also mild fixed reduction of the apex, likely attenuation": its own finding's hedge
    for m in ctx.get("ARTIFACT"):
        if m.sent == nxt and not m.negated:
            before = ctx.text[ctx.sent_bounds[nxt][0] : m.start]
            if _PRONOUN.search(before) or m.uncertain:
                return True
    return False


def _hedged_other_cause(ctx: _Ctx, dm: _DefectMention) -> bool:
    """The defect is put down, with a hedge, to a cause other than coronary disease ("a mild fixed septal defect,
    likely related to LBBB"; ``wording.json`` non_coronary_causes) after it in its sentence, or in the next one
    opened with a pronoun ("This probably reflects ventricular pacing"): it may not be a perfusion defect."""
    rx = load_wording().non_coronary_cause
    if rx is None:
        return False
    spans = [(dm.span[0], ctx.sent_bounds[dm.sent][1])]
    if dm.sent + 1 < len(ctx.sent_bounds):
        n0, n1 = ctx.sent_bounds[dm.sent + 1]
        if _PRONOUN.match(ctx.text, n0 + len(ctx.text[n0:n1]) - len(ctx.text[n0:n1].lstrip())):
            spans.append((n0, n1))
    for a, b in spans:
        for hit in rx.finditer(ctx.text, a, b):
            if _HEDGED_CAUSE.search(ctx.text[max(a, hit.start() - 60) : hit.start()]):
                return True
    return False


# A hedge and a word of cause just before the cause named ("likely related to", "probably due to", "may reflect").
_HEDGED_CAUSE = re.compile(
    r"\b(?:likely|probabl[ey]|possibl[ey]|presumabl[ey]|presumed|may|might|could|suspected|felt\s+to|thought\s+to)"
    r"\s+(?:\w+\s+){0,2}?(?:related\s+to|due\s+to|secondary\s+to|caused\s+by|attributable\s+to|from|reflects?|"
    r"represents?|be|an?\s+effect\s+of|in\s+the\s+setting\s+of|because\s+of)\s+(?:(?:the|a|an|her|his|known|"
    r"underlying|baseline)\s+)*$",
    re.I,
)


_NOW = re.compile(r"\b(?:new|now|current|currently|today|this\s+study)\b", re.I)
# A statement that the finding IS an artifact ("this is in keeping with breast attenuation"), not that it may be.
_ARTIFACT_ATTRIBUTION = re.compile(
    # "attributed to", "that we attribute to", "which the reader ascribes to": the cause, by whoever is the subject
    r"\b(?:in\s+keeping\s+with|consistent\s+with|compatible\s+with|c/w|"
    r"(?:attribut(?:e|es|ed|able)|ascrib(?:e|es|ed|able))\s+(?:(?:it|this|them|these|that)\s+)?to|"
    r"due\s+to|secondary\s+to|caused\s+by|represents?|is(?:\s+an?)?|reflects?|from"
    # what the finding behaves as ("which behaves like diaphragmatic attenuation", "typical of breast attenuation")
    r"|behav(?:es|ing)\s+(?:like|as)|typical\s+of|characteristic\s+of"
    r"|ha(?:s|ving)\s+the\s+(?:appearance|pattern|behaviou?r|features?)\s+of)\b[^.;]*$"
    r"|,\s*(?:most\s+)?(?:likely|probably)\s+(?:\w+\s+){0,2}$"  # ", likely attenuation artifact": an apposition
    r"|\(\s*(?:\w+\s+)?$",  # "... corrected on upright images (diaphragmatic attenuation)": named in parentheses
    re.I,
)


def _explained_as_artifact(ctx: _Ctx, dm: _DefectMention, *, prior: bool = False) -> bool:
    """The report says the finding is an artifact, without a hedge: it is not a defect (the artifact field keeps it).

    The statement follows the finding in its sentence ("... which improves on prone imaging; this is in keeping
    with soft tissue attenuation") or opens the next one with a pronoun. A hedged one ("this may represent
    attenuation") leaves an uncertain defect (``_artifact_follows``).
    """
    # a finding made uncertain only by the artifact its clause names ("a mild fixed decrease ... consistent with
    # diaphragmatic attenuation") is explained as well as one whose artifact follows it
    # a prior study's finding put down to an artifact ("a small fixed inferior defect that was attributed to
    # diaphragmatic attenuation") is no prior defect either (``prior``)
    certainties = ("affirmed", "uncertain", "historical") if prior else ("affirmed", "uncertain")
    if dm.certainty not in certainties or dm.hedged or not dm.has_trigger:
        return False
    start = dm.span[0]
    nxt = dm.sent + 1
    for m in ctx.get("ARTIFACT"):
        if m.negated or m.start < start:
            continue
        if m.sent == dm.sent:
            before = ctx.text[start : m.start]
        elif m.sent == nxt:
            before = ctx.text[ctx.sent_bounds[nxt][0] : m.start]
            # "Given normal wall thickening, this most likely represents attenuation": a premise, then the pronoun
            if not _PRONOUN.match(_PREMISE.sub("", before.strip(), count=1)):
                continue
        else:
            continue
        if m.uncertain and (dm.named_defect or not _PROBABLE.search(before) or _POSSIBLE.search(before)):
            # a reduction of counts the reader probably puts down to an artifact ("most likely represents
            # diaphragmatic attenuation") is that artifact; a finding called a defect, or one that only may be an
            # artifact, stays an uncertain defect (_artifact_follows)
            continue
        if _ARTIFACT_ATTRIBUTION.search(before):
            return True
    return False


# A premise clause that opens a sentence before its subject: "Given normal wall thickening, this ...".
_PREMISE = re.compile(r"^(?:given|in\s+view\s+of|because\s+of|considering|with)\b[^,;.]{0,80},\s*", re.I)
# A probable attribution ("most likely represents", "probably due to", ", likely attenuation"), and a merely possible
# one ("may represent", "could be", "possibly").
_PROBABLE = re.compile(r"\b(?:likely|probabl[ey]|favou?red|presumabl[ey]|presumed|felt\s+to|thought\s+to)\b", re.I)
_POSSIBLE = re.compile(r"\b(?:may|might|could|possibl[ey]|cannot|can\s*not)\b", re.I)


# A hedge between a finding and what it is said to be ("which may represent normal apical thinning").
_HEDGED = re.compile(r"\b(?:may|might|could|possibl[ey]|probabl[ey]|likely|perhaps|suspect\w*|questionabl[ey])\b", re.I)


def _said_no_defect(ctx: _Ctx, dm: _DefectMention) -> bool:
    """Its sentence goes on to say the finding is no defect ("Mildly reduced counts at the apex are in keeping with
    normal apical thinning and are not considered a perfusion defect"; ``wording.json`` not_a_defect), unhedged."""
    rx = load_wording().not_a_defect
    if rx is None or dm.hedged or dm.certainty == "negated" or not dm.has_trigger:
        return False
    end = ctx.sent_bounds[dm.sent][1]
    hit = rx.search(ctx.text, dm.span[0], end)
    return hit is not None and _HEDGED.search(ctx.text, dm.span[0], hit.start()) is None


def _wall_keys(walls: Iterable[str]) -> set[str]:
    """Walls for telling whether two statements speak of one defect: "apical" and "apex" are one place."""
    return {"apex" if w == "apical" else w for w in walls}


# An addendum statement that speaks of a defect already described: "The defect also involves the inferoseptum".
_REFERS_BACK = re.compile(
    r"\b(?:the|this|that|said|above)\s+(?:[\w-]+\s+){0,3}?(?:defect|abnormality|finding|area)\b"
    r"|\b(?:also|extends?|extending|extension|further)\b",
    re.I,
)


def _amended_defect(ctx: _Ctx, dm: _DefectMention, defects: list[_Defect]) -> _Defect | None:
    """The body defect an addendum statement widens: the only one described, or the only one of its territory."""
    if not _REFERS_BACK.search(ctx.text[dm.span[0] : dm.span[1]]):
        return None
    body = [d for d in defects if not d.amended_by and (d.certainty == "negated") == (dm.certainty == "negated")]
    if len(body) == 1:
        return body[0]
    territories = set(dm.territories) | _wall_territories(dm.walls)
    near = [d for d in body if (d.territory in territories) or _wall_territories(d.walls) & territories]
    return near[0] if len(near) == 1 else None


# An addendum statement that moves a defect described above rather than widening it: it states where the defect
# is, or denies where the report put it ("the defect described above lies in the lateral wall, not the anterior
# wall as first reported", "should read inferolateral"). A word of widening ("also", "extends") makes it none.
_RELOCATES = re.compile(
    r"\b(?:(?:is|are)\s+(?:actually\s+|in\s+fact\s+|rather\s+|correctly\s+)?(?:located|situated|localized|localised|"
    r"cent(?:er|re)d|positioned)|lies|lie|rather\s+than|instead\s+of|should\s+(?:read|be|have\s+been)|"
    r"as\s+(?:originally|previously|initially|first|erroneously|incorrectly)\s+(?:dictated|stated|reported|described|"
    r"read|transcribed|written|called)|(?:re-?)?(?:localized|localised|assigned|attributed)\s+to|"
    r"not\s+(?:in\s+)?the\s+(?:[\w-]+\s+){0,2}?(?:wall|walls|territory|segments?|region))\b",
    re.I,
)
_WIDENS = re.compile(
    r"\b(?:also|additionally|in\s+addition|as\s+well|extends?|extending|extension|further|more\s+extensive|"
    r"larger|bigger)\b",
    re.I,
)


# A connective that opens an addendum's next correction ("Also, on review ... the defect is in the LCx territory, not
# the RCA territory"): it adds a correction to the one before, not an extent to the defect.
_ANOTHER_CORRECTION = re.compile(r"\s*(?:also|additionally|in\s+addition|further(?:more)?)\s*,", re.I)


# The place an addendum says the defect is not in: "rather than the anterior wall", "not the RCA territory".
_DENIED_PLACE = re.compile(r"\b(?:rather\s+than|instead\s+of|not)\s+(?:in\s+)?(?:the\s+)?[^,.;:()\n]{0,40}", re.I)


def _relocation(ctx: _Ctx, dm: _DefectMention) -> tuple[list[str], list[str]] | None:
    """The walls and vessels an addendum statement moves the defect described above to, in place of where the
    report put it (``_RELOCATES``); those it names only to deny ("rather than the anterior wall") left out.
    None when the statement does not move the defect."""
    s0, s1 = dm.span
    said = ctx.text[s0:s1]
    opening = _ANOTHER_CORRECTION.match(said)
    widens = _WIDENS.search(said, opening.end() if opening else 0)
    if not dm.walls or _RELOCATES.search(said) is None or widens is not None:
        return None
    denied = [(s0 + m.start(), s0 + m.end()) for m in _DENIED_PLACE.finditer(said)]

    def named(label: str) -> set[str]:
        return {
            m.value or "" for m in ctx.get(label) if s0 <= m.start < s1 and not any(a <= m.start < b for a, b in denied)
        }

    walls, vessels = named("WALL"), named("TERRITORY")
    kept = [w for w in dm.walls if w in walls or (w == "apex" and "apical" in walls)]
    return (kept, [t for t in dm.territories if t in vessels]) if kept else None


def _territory_of_the_same_walls(ctx: _Ctx, d: _Defect) -> str | None:
    """The one vessel an impression sentence names for exactly the defect's walls, though it does not call them a
    defect ("Viable, hibernating myocardium of the anterior wall and anteroseptum (LAD territory)"): the reader's
    vessel for that region. None where the sentence names two vessels or one that supplies none of the walls."""
    fits = _wall_territories(d.walls)
    for i in sorted({m.sent for m in ctx.get("TERRITORY") if m.section in _IMPRESSION}):
        ms = [m for m in ctx.mentions if m.sent == i and not (m.negated or m.historical or m.remainder)]
        if any(m.label in ("DEFECT", "ISCHEMIA", "INFARCTION") for m in ms):
            continue  # a defect's own statement was read as one (and an addendum may have taken its vessel back)
        walls = {m.value for m in ms if m.label == "WALL"}
        vessels = {m.value for m in ms if m.label == "TERRITORY"}
        if walls == set(d.walls) and len(vessels) == 1 and (not fits or vessels <= fits):
            return str(next(iter(vessels)))
    return None


def _wall_territories(walls: Iterable[str]) -> set[str]:
    """The territories of walls, the apex left out (it belongs to all three)."""
    return {t for w in walls if w not in ("apex", "apical") for t in _WALL_TERRITORIES.get(w, set())}


def _amend(d: _Defect, dm: _DefectMention, moved: tuple[list[str], list[str]] | None = None) -> None:
    """An addendum corrects the defect it speaks of: its walls are added, its stated properties replace the body's.

    The defect keeps the span of its first description; the addendum's span is kept in ``amended_by``. An
    addendum that moves the defect (``_relocation``: its walls and vessels) gives it those in place of the body's,
    and its span: the body's description no longer says where the defect is.
    """
    if moved is not None:
        walls, vessels = moved
        d.territory = vessels[0] if vessels else (d.territory if d.territory in _wall_territories(walls) else None)
        d.walls = list(walls)
        d.span = dm.span
    for w in dm.walls if moved is None else ():
        if not _wall_keys([w]) & _wall_keys(d.walls):
            d.walls.append(w)
    d.severity = dm.severity or d.severity
    d.extent = dm.extent or d.extent
    d.reversibility = dm.reversibility or d.reversibility
    d.territory = d.territory or (dm.territories[0] if dm.territories else None)
    if dm.certainty in ("affirmed", "uncertain"):  # the addendum's reading is the final one
        d.certainty = dm.certainty
        d.merged_uncertain = False
    d.amended_by.append(dm.span)


def _defects(ctx: _Ctx) -> list[_Defect]:
    mentions = _defect_mentions(ctx)
    defects: list[_Defect] = []
    historical = [dm for dm in mentions if dm.historical]
    # an addendum is the final reading wherever it stands: one pasted above the report ("ADDENDUM: ... the
    # inferior count reduction described below is attenuation") amends the defects the body goes on to describe
    for dm in sorted(mentions, key=lambda dm: dm.addendum):
        if dm.historical:
            continue
        if not dm.walls:
            if dm.certainty == "negated":
                # "No perfusion abnormality in the LAD territory" after a defect: a territory denied is none of its
                continue
            if dm.addendum and (dm.severity or dm.extent or dm.reversibility):
                # "on my review the defect is medium rather than small in extent": an addendum grades the defect
                # described, with no wall of its own
                target = _amended_defect(ctx, dm, defects)
                if target is not None:
                    _amend(target, dm)
                    continue
            # a territory named for an already described defect
            for d in defects:
                for terr in dm.territories:
                    if d.territory is None and any(terr in _WALL_TERRITORIES.get(w, set()) for w in d.walls):
                        d.territory = terr
                same_territory = any(t in _WALL_TERRITORIES.get(w, set()) for t in dm.territories for w in d.walls)
                if dm.certainty == "uncertain" and d.certainty == "affirmed" and dm.has_trigger and same_territory:
                    d.merged_uncertain = True
            continue
        target = None
        overlap = 0
        for d in defects:
            if dm.split and d.sent == dm.sent:
                continue  # "... in the inferior wall and ... at the apex and inferoapical wall": two defects
            shared = len(_wall_keys(d.walls) & _wall_keys(dm.walls))
            if shared > overlap and (d.certainty == "negated") == (dm.certainty == "negated"):
                if not _wall_keys(dm.walls) <= _wall_keys(d.walls) and _unlike_defects(d, dm):
                    continue  # a second defect beside the first ("a large fixed anterior defect ... in the basal
                    # anterior and anterolateral segments a medium defect that partially reverses")
                target, overlap = d, shared
                if set(d.walls) == set(dm.walls):
                    break
        if dm.addendum:
            target = target or _amended_defect(ctx, dm, defects)
            if target is not None and (_explained_as_artifact(ctx, dm) or _said_no_defect(ctx, dm)):
                # "on prone images the inferior defect resolves, consistent with diaphragmatic attenuation": the
                # addendum takes the body's defect back as an artifact
                ctx.explained.append(target.reversibility)
                defects.remove(target)
                continue
            if target is not None:
                _amend(target, dm, _relocation(ctx, dm))
                continue
        if (_explained_as_artifact(ctx, dm) or _said_no_defect(ctx, dm)) and (
            target is None or (_sentence_section(ctx, dm.sent) in _IMPRESSION and not dm.named_defect)
        ):
            # "Impression: Anterior count reduction due to breast attenuation": the impression's final reading of
            # the findings' defect (one it still calls a defect, "the fixed inferior defect is attributed to
            # attenuation", stays a defect: dev29)
            if target is not None and target in defects:
                defects.remove(target)
            ctx.explained.append(dm.reversibility)
            continue
        if target is None and dm.certainty == "negated" and not dm.gone:
            # a denial is no defect entry ("no regional defect, including in the septum", "the apex is spared"):
            # only a denial of a defect seen before states something, that defect's resolution
            continue
        if target is None:
            cert = dm.certainty
            if cert == "affirmed" and (_artifact_follows(ctx, dm.sent) or _hedged_other_cause(ctx, dm)):
                cert = "uncertain"
            defects.append(
                _Defect(
                    walls=list(dm.walls),
                    territory=dm.territories[0] if dm.territories else None,
                    severity=dm.severity,
                    extent=dm.extent,
                    reversibility=dm.reversibility,
                    certainty=cert,
                    span=dm.span,
                    sent=dm.sent,
                    has_artifact=dm.artifact,
                )
            )
            continue
        if target.territory is None:
            # a territory from another mention of this defect, where it fits one of its walls: "ischemia in the LAD
            # territory and in the inferior/inferolateral territory" names no vessel for the inferior defect
            fits = _wall_territories(target.walls)  # empty for the apex alone, which any vessel may supply
            target.territory = next((t for t in dm.territories if not fits or t in fits), None)
        target.severity = target.severity or dm.severity
        target.extent = target.extent or dm.extent
        if _impression_rereads(ctx, target, dm):
            # "Findings: ... defect of the basal inferior wall, fixed." then "Impression: ... infarct with mild
            # peri-infarct ischemia, partially reversible on review of the rest images": the final reading wins
            target.reversibility = dm.reversibility
        target.reversibility = target.reversibility or dm.reversibility
        if dm.certainty == "uncertain" and target.certainty == "affirmed":
            target.merged_uncertain = True
    for d in defects:
        if d.merged_uncertain and d.certainty == "affirmed":
            d.certainty = "uncertain"
        if d.territory is None:
            for h in historical:
                # the prior's vessel where it supplies a wall both share: the apex alone, which any vessel may
                # supply, names none ("a large anterior, septal and apical defect (LAD)" before, "apical" now)
                if h.territories and h.territories[0] in _wall_territories(set(h.walls) & set(d.walls)):
                    d.territory = h.territories[0]
                    break
        if d.territory is None:
            d.territory = _territory_of_the_same_walls(ctx, d)
    for d in [d for d in defects if _called_artifact_in_impression(ctx, d)]:
        ctx.explained.append(d.reversibility)
        defects.remove(d)
    defects = [d for d in defects if not _wall_called_normal_later(ctx, d)]
    prior = _historical_defects(
        [h for h in historical if not _same_as_now(ctx, h, defects) and not _explained_as_artifact(ctx, h, prior=True)]
    )
    # in the order the report describes them: a comparison that tells the prior study's defects before the
    # current findings lists them first, as it does in prose
    return sorted([d for d in defects if not _resolution_of(d, prior)] + prior, key=lambda d: d.span[0])


# A wall called normal as a whole, in a sentence of its own ("The inferior wall itself is normal", "the septum
# remains normal").
_WALL_IS_NORMAL = re.compile(
    r"(?:[ \t]+(?:wall|walls|segments?))?(?:[ \t]+itself|[ \t]+themselves)?[ \t]+(?:is|are|was|were|remains?|appears?)"
    r"[ \t]+(?:entirely[ \t]+|completely[ \t]+|otherwise[ \t]+)?normal\b"
    r"(?![ \t]+(?:in[ \t]+)?(?:size|thickness|motion))",
    re.I,
)


def _wall_called_normal_later(ctx: _Ctx, d: _Defect) -> bool:
    """A finding with no grade of a defect (no size, severity or reversibility: "the inferior count reduction does
    not represent attenuation") whose every wall a later sentence calls normal ("The inferior wall itself is
    normal"): the reader names the wall to say it has no defect; the finding is no defect of it."""
    if d.certainty != "affirmed" or d.severity or d.extent or d.reversibility or not d.walls:
        return False
    normal = {
        key
        for w in ctx.get("WALL")
        if w.sent > d.sent and not w.negated and _WALL_IS_NORMAL.match(ctx.text, w.end)
        for key in _wall_keys([w.value or ""])
    }
    return bool(normal) and _wall_keys(d.walls) <= normal


def _called_artifact_in_impression(ctx: _Ctx, d: _Defect) -> bool:
    """The impression's final reading of a finding described before it: a sentence of the impression that names
    one of its walls, then puts it down to an artifact without a hedge and without a defect of its own ("The
    inferior finding is attributed to diaphragmatic attenuation", "the septal reduction represents LBBB
    artifact"): the finding is the artifact, not a defect (the artifact field keeps it)."""
    for m in ctx.get("ARTIFACT"):
        if m.section not in _IMPRESSION or m.sent == d.sent or not m.current or m.negated or m.uncertain:
            continue
        if any(t.sent == m.sent and not t.negated for t in ctx.get("DEFECT")):
            continue  # "Small fixed inferior defect, consistent with attenuation": its own finding (_defects)
        if _artifact_placed_at(ctx, m, d) and not _abnormal_in_impression(ctx, d):
            return True
        walls = [w for w in ctx.get("WALL") if w.sent == m.sent and w.end <= m.start and not w.negated]
        if not walls or not _wall_keys(w.value or "" for w in walls) & _wall_keys(d.walls):
            continue
        between = ctx.text[walls[0].end : m.start]
        if _ARTIFACT_ATTRIBUTION.search(between) and not _HEDGED.search(between):
            return True
    return False


# A wall that places an artifact, right after its noun ("soft tissue attenuation anteriorly", "attenuation of the
# inferior wall", "diaphragmatic attenuation over the inferior segments") or right before it ("anterior breast
# attenuation", "inferior wall attenuation artifact").
_PLACE_AFTER = re.compile(r"\s*(?:artifacts?\s*)?(?:(?:of|in|over|at|involving|affecting)\s+(?:the\s+)?)?\Z", re.I)
_PLACE_BEFORE = re.compile(r"\s*(?:wall\s+|segments?\s+|region\s+)?(?:[\w-]+\s+){0,2}\Z", re.I)


def _artifact_placed_at(ctx: _Ctx, m: Mention, d: _Defect) -> bool:
    """The impression names an artifact at one of the defect's walls, the wall part of the artifact's own phrase
    ("3. Soft tissue attenuation anteriorly", "Inferior diaphragmatic attenuation"), unhedged: the finding of
    that wall is the artifact."""
    for w in ctx.get("WALL"):
        if w.sent != m.sent or w.negated or not _wall_keys([w.value or ""]) & _wall_keys(d.walls):
            continue
        gap = ctx.text[m.end : w.start] if w.start >= m.end else ctx.text[w.end : m.start]
        placed = _PLACE_AFTER.fullmatch(gap) if w.start >= m.end else _PLACE_BEFORE.fullmatch(gap)
        if placed is not None and not _HEDGED.search(gap):
            return True
    return False


def _abnormal_in_impression(ctx: _Ctx, d: _Defect) -> bool:
    """The impression also calls a wall of the defect abnormal (a defect, ischemia or an infarct said of it):
    an artifact named there beside it does not take the defect back."""
    for m in ctx.get("DEFECT", "ISCHEMIA", "INFARCTION"):
        if m.section not in _IMPRESSION or m.negated:
            continue
        walls = [w for w in ctx.get("WALL") if w.sent == m.sent and not w.negated]
        if _wall_keys(w.value or "" for w in walls) & _wall_keys(d.walls):
            return True
    return False


def _impression_rereads(ctx: _Ctx, d: _Defect, dm: _DefectMention) -> bool:
    """The impression states another reversibility for a defect of the findings, in words of reversibility, of
    all its walls and unhedged: the impression is the reader's final reading. ("Viable lateral wall; apical scar"
    speaks of a part of the defect.)"""
    return (
        dm.reversibility is not None
        and _wall_keys(dm.walls) >= _wall_keys(d.walls)
        and any(dm.span[0] <= m.start < dm.span[1] for m in ctx.get("REVERSIBILITY"))
        and d.reversibility is not None
        and dm.reversibility != d.reversibility
        and dm.certainty == "affirmed"
        and _sentence_section(ctx, dm.sent) in _IMPRESSION
        and _sentence_section(ctx, d.sent) not in _IMPRESSION
    )


def _same_as_now(ctx: _Ctx, h: _DefectMention, defects: list[_Defect]) -> bool:
    """A comparison that calls a defect of this study unchanged ("COMPARISON: ... The anterior and apical scar is
    unchanged"): the defect is the current one, listed already, not a quote of what the prior study showed."""
    if not any(_wall_keys(d.walls) & _wall_keys(h.walls) for d in defects if d.certainty != "negated"):
        return False
    tail = _SAME_TAIL.match(ctx.text, h.span[1])
    end = h.span[1] + (len(tail.group()) if tail is not None else 0)
    return any(
        m.value == "unchanged"
        and h.span[0] <= m.start
        and m.end <= end
        and not m.negated
        and _PREDICATE_BEFORE.search(ctx.text, h.span[0], m.start) is not None
        for m in ctx.get("COMPARISON")
    )


# What may close a defect's clause after its span, up to the comparison said of it ("..., is unchanged").
_SAME_TAIL = re.compile(r"[^.;,\n]{0,30}")
# The comparison is said of the defect, as its predicate ("the scar is unchanged", "remains essentially stable"),
# not an attribute of a prior's defect ("the prior study showed a similar fixed defect").
_PREDICATE_BEFORE = re.compile(r"\b(?:is|are|remains?|appears?|looks?)\s+(?:\w+\s+)?\Z", re.I)


def _unlike_defects(d: _Defect, dm: _DefectMention) -> bool:
    """A defect mention that shares a wall with a defect, names a wall it has not, and states properties it cannot
    have: the other kind of reversibility (fixed against reversible), or both another severity and another size.
    (A part of the defect's walls is the same defect told in detail: "the lateral wall fills in, whereas the apex
    stays reduced".)"""
    fixed = {d.reversibility == "fixed", dm.reversibility == "fixed"}
    if d.reversibility and dm.reversibility and len(fixed) == 2:
        return True
    return bool(
        d.severity and dm.severity and d.severity != dm.severity and d.extent and dm.extent and d.extent != dm.extent
    )


def _resolution_of(d: _Defect, prior: list[_Defect]) -> bool:
    """A denied defect with the walls of a prior study's defect ("the previously seen inferior/inferolateral
    ischemia has resolved") states that prior defect's resolution: the prior defect is listed once, as
    historical (the current verdict says the rest); the denial is no defect of its own. A denial may name only
    part of the prior defect's walls ("medium inferior and inferoseptal defect" then "the inferior ischemia seen in
    2024 has resolved"): the writer's shorthand for the same defect."""
    if d.certainty != "negated":
        return False
    keys = _wall_keys(d.walls)
    for h in prior:
        if keys and keys <= _wall_keys(h.walls):
            h.territory = h.territory or d.territory
            return True
    return False


def _historical_defects(historical: list[_DefectMention]) -> list[_Defect]:
    """Defects a prior study showed, as the report quotes them ("PRIOR MPI ... SHOWED A SIMILAR LARGE FIXED
    ANTERIOR AND APICAL (LAD) DEFECT"), with certainty "historical": one per place, never a current finding.
    A statement that also speaks of now ("the anterior defect is new") is about the current study."""
    out: list[_Defect] = []
    for h in historical:
        # a finding quoted from the prior ("..., which showed a fixed inferior defect only, the anterior ischemia is
        # new") is the prior's even where the rest of its sentence speaks of now
        if not h.walls or not h.has_trigger or h.certainty == "negated" or (not h.quoted and _NOW.search(h.sentence)):
            continue
        same = next((d for d in out if _wall_keys(d.walls) & _wall_keys(h.walls)), None)
        if same is not None:
            same.territory = same.territory or (h.territories[0] if h.territories else None)
            continue
        out.append(
            _Defect(
                walls=list(h.walls),
                territory=h.territories[0] if h.territories else None,
                severity=h.severity,
                extent=h.extent,
                reversibility=h.reversibility,
                certainty="historical",
                span=h.span,
                sent=h.sent,
            )
        )
    return out


# --------------------------------------------------------------------------- assembly


def _perfusion_imaging_reported(ctx: _Ctx) -> bool:
    """The report speaks of perfusion outside its indication, history and prior-study sections, other than to say
    that no perfusion imaging was done (``wording.json`` no_perfusion_imaging: an amyloid scan)."""
    denied = load_wording().no_perfusion_imaging
    spans = [(d.start(), d.end()) for d in denied.finditer(ctx.text)] if denied is not None else []
    for hit in _PERFUSION_WORD.finditer(ctx.text):
        section = ctx.section_at(hit.start())
        if any(a <= hit.start() < b for a, b in spans):
            continue
        if section not in _NON_FINDING_SECTIONS and section not in _HISTORICAL_SECTIONS:
            return True
    return False


_NUCLEAR = re.compile(r"\b(?:radio)?isotopes?\b|\bradiotracer\b|\bnuclear\s+(?:scan|imaging|images|study)\b", re.I)


def _nuclear_stress_imaging(ctx: _Ctx, study: dict[str, Any]) -> bool:
    """A stress test with nuclear imaging of the left ventricle that names neither tracer nor perfusion
    ("Dobutrex was infused ... Uptake of radioisotope was adequate ... Ejection fraction: 72%"): a stress,
    an isotope or nuclear scan, and the ventricle's function, all stated for this study."""
    if study["stress_type"] is None or (not ctx.get("LVEF") and not ctx.get("WALL_MOTION")):
        return False
    denied = load_wording().no_perfusion_imaging
    for hit in _NUCLEAR.finditer(ctx.text):
        if denied is not None and any(d.start() <= hit.start() < d.end() for d in denied.finditer(ctx.text)):
            continue  # "No nuclear imaging was performed" (a stress echocardiogram)
        section = ctx.section_at(hit.start())
        if section not in _NON_FINDING_SECTIONS and section not in _HISTORICAL_SECTIONS:
            return True
    return False


_VENTRICULOGRAPHY = re.compile(r"\bmuga\b|ventriculogra|blood[- ]pool|\bradionuclide\s+angiogra", re.I)


def _resting_ventriculography(ctx: _Ctx, study: dict[str, Any]) -> bool:
    """A gated blood-pool study (MUGA) without stress: its ejection fraction is measured at rest."""
    return study["stress_type"] is None and _VENTRICULOGRAPHY.search(ctx.text) is not None


# The words of the calcium's assessment as a procedure ("CT used for attenuation correction and coronary calcium
# assessment"): what the technique measured, not what it found (a key's answer after it is read by _cac_key_answer).
_CALCIUM_PROCEDURE_AFTER = re.compile(
    r"[ \t]+(?:assessment|scoring|evaluation|quantification|quantitation|screening|analysis)\b(?![ \t]*[:=])", re.I
)


def _on_another_ct(ctx: _Ctx, m: Mention) -> bool:
    """The calcium is told of a diagnostic CT of another purpose named before it on its line, with no full stop
    between ("CT chest (PE protocol): no PE; 4 mm nodule; coronary artery calcification noted", ``wording.json``
    other_ct_studies): an incidental finding of that test, not the study's own calcium (a SPECT/CT's or a PET/CT's
    "CT of the chest" is the study's own)."""
    rx = load_wording().other_ct_study
    if rx is None:
        return False
    line_start = ctx.text.rfind("\n", 0, m.start) + 1
    ends = [named.end() for named in rx.finditer(ctx.text, line_start, m.start)]
    return bool(ends) and _STATEMENT_END.search(ctx.text, ends[-1], m.start) is None


def _other_organ_study(ctx: _Ctx) -> bool:
    """A scan of another organ ("LUNG VENTILATION / PERFUSION SCINTIGRAPHY", "Technique: ... Tc-99m MAA"):
    its title lines (``_title_block``) or technique name the organ or its tracer (``wording.json``
    other_organ_studies), and no sentence outside the indication, history and prior-study sections speaks of
    the heart (cardiac_words). Its "segmental perfusion defects" are the lung's, never a myocardial perfusion
    finding."""
    wording = load_wording()
    if wording.other_organ_study is None or wording.cardiac_word is None:
        return False
    text = ctx.text
    named = wording.other_organ_study.search(_title_block(ctx)) is not None
    if not named:
        for section in ctx.doc._.sections:
            if section.category == "technique" and section.body_start < section.body_end:
                last = ctx.doc[section.body_end - 1]
                body = text[ctx.doc[section.body_start].idx : last.idx + len(last)]
                if wording.other_organ_study.search(body):
                    named = True
                    break
    if not named:
        return False
    # a header's whole body counts here, not only the scope that a value is read from: the patient's story
    # under "CLINICAL INFORMATION:" goes on past a sentence of vitals ("HR 112, BP 118/72") that ends the
    # indication's scope ("Bedside echo: normal LVEF about 60%, dilated right ventricle" is still the history)
    told: list[tuple[int, int]] = []
    for section in ctx.doc._.sections:
        if section.category in _NON_FINDING_SECTIONS or section.category in _HISTORICAL_SECTIONS:
            start, end = section.section_span
            if start < end:
                told.append((ctx.doc[start].idx, ctx.doc[end - 1].idx + len(ctx.doc[end - 1])))
    for hit in wording.cardiac_word.finditer(text):
        section = ctx.section_at(hit.start())
        if section in _NON_FINDING_SECTIONS or section in _HISTORICAL_SECTIONS:
            continue
        if not any(a <= hit.start() < b for a, b in told):
            return False
    return True


def _defects_in_other_organ(ctx: _Ctx) -> bool:
    """A study titled for another organ (``_other_organ_study``'s naming) whose finding places a perfusion defect in
    that organ's parts (wording.json other_organ_anatomy: "a large defect in ... the right lower lobe"): its defects
    and perfusion verdict are the organ's, though another finding mentions the heart in passing ("the myocardium is
    faintly seen, as expected"); a cardiac measure it states (an incidental gated LVEF) is still read."""
    wording = load_wording()
    if wording.other_organ_study is None or wording.cardiac_word is None:
        return False
    if wording.other_organ_study.search(_title_block(ctx)) is None and not any(
        section.category == "technique"
        and section.body_start < section.body_end
        and wording.other_organ_study.search(
            ctx.text[
                ctx.doc[section.body_start].idx : ctx.doc[section.body_end - 1].idx + len(ctx.doc[section.body_end - 1])
            ]
        )
        for section in ctx.doc._.sections
    ):
        return False
    # a finding that places a defect in the organ's own parts ("a large defect in ... the right lower lobe") settles
    # it, though another finding mentions the heart in passing ("the myocardium is faintly seen, as expected")
    # ("MYOCARDIAL PERFUSION SPECT" whose technique measures a lung/heart ratio is the heart's whatever its lungs show)
    if wording.other_organ_anatomy is not None and wording.cardiac_word.search(_title_block(ctx)) is None:
        defect_starts = [m.start for m in ctx.get("DEFECT")]
        for i in _sentences_matching(ctx, wording.other_organ_anatomy):
            a, b = ctx.sent_bounds[i]
            if any(a <= d < b for d in defect_starts):
                return True
    return False


_TITLE_LINES = 3


def _title_block(ctx: _Ctx) -> str:
    """The first line of a report, and the lines after it up to the first header or blank line (at most
    ``_TITLE_LINES`` in all): the institution and the title of the examination ("NORTHSIDE HOSPITAL - NUCLEAR
    MEDICINE" then "RENAL SCINTIGRAPHY WITH MAG3")."""
    text = ctx.text
    start = len(text) - len(text.lstrip())
    header = next((sec.title_start for sec in ctx.doc._.sections if sec.category is not None), None)
    stop = ctx.doc[header].idx if header is not None and header < len(ctx.doc) else len(text)
    lines = text[start:].split("\n", _TITLE_LINES)[:_TITLE_LINES]
    block, pos = [lines[0]], start + len(lines[0]) + 1
    for line in lines[1:]:
        if not line.strip() or pos >= stop:
            break
        block.append(line[: max(0, stop - pos)])
        pos += len(line) + 1
    return "\n".join(block)


def structure_doc(doc: Doc) -> dict[str, Any]:
    """The structured report of one processed Doc, as the JSON object of the schema."""
    return structure_doc_typed(doc).as_json()


class UnreadableTextWarning(UserWarning):
    """The text is binary or garbled content, not a report: no value is read from it."""


# Control characters (not tab, line feed, carriage return, form feed) and U+FFFD, the replacement character
# a decoder puts for bytes that are not text.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
# Above this share of the visible characters, a text is not a report (a report has none; a binary file
# decoded with replacement has about a third).
_MAX_NOT_TEXT_SHARE = 0.02
_MIN_NOT_TEXT = 8
_SPACE = re.compile(r"\s+")


def unreadable(text: str) -> bool:
    """The text is binary or garbled: too many control or replacement characters to be a report."""
    not_text = len(_NOT_TEXT.findall(text))
    # a few stray characters (a form feed, one byte decoded with replacement) are still a report
    if not_text <= _MIN_NOT_TEXT:
        return False
    visible = len(_SPACE.sub("", text))
    return not_text > _MAX_NOT_TEXT_SHARE * visible


def structure_doc_typed(doc: Doc) -> StructuredReport:
    """The structured report of one processed Doc (empty, with an UnreadableTextWarning, for garbled text)."""
    text = doc_text(doc)
    if unreadable(text):
        warnings.warn(
            UnreadableTextWarning("text looks like binary or garbled content; no values were read from it"),
            stacklevel=2,
        )
        return StructuredReport.empty()
    return StructuredReport.model_validate(_assemble(doc))


# A department named by its modality in a letterhead ("DEPT. OF NUCLEAR MEDICINE & PET-CT", "PET/CT Department",
# "Division of Nuclear Medicine and PET"): the department's name, not the study's modality.
# Words between the department and the modality: after "of" any ("Department of nuclear medicine and PET"), else
# capitalised ones, as a letterhead writes them ("DEPT. NUCLEAR MEDICINE / PET"), not prose ("the unit using PET").
_DEPARTMENT_BEFORE = re.compile(
    r"\b(?i:dept\.?|department|division|unit|centre|center|institute|service|section|suite)[ \t]+"
    r"(?:(?i:of)[ \t]+(?:[\w-]+[ \t]*(?:&|and|,|/)?[ \t]*){0,4}|(?:[A-Z][\w-]*[ \t]*(?:&|and|,|/)?[ \t]*){0,4})\Z"
)
_DEPARTMENT_AFTER = re.compile(
    r"[ \t]*(?:dept\b\.?|department|division|unit|centre|center|suite|section|service)\b", re.I
)


def _names_a_department(ctx: _Ctx, m: Mention) -> bool:
    line_start = ctx.text.rfind("\n", 0, m.start) + 1
    return (
        _DEPARTMENT_BEFORE.search(ctx.text, max(line_start, m.start - 60), m.start) is not None
        or _DEPARTMENT_AFTER.match(ctx.text, m.end) is not None
    )


def _assemble(doc: Doc) -> dict[str, Any]:
    ctx = _Ctx(doc)
    out = empty_report()
    study = out["study"]

    # a modality named outright ("MPI SPECT") before one implied by its camera ("CZT"), then the technique's first
    study["modality"] = _first(
        sorted(
            _method_first(
                m for m in _findings(ctx.get("MODALITY")) if not m.negated and not _names_a_department(ctx, m)
            ),
            key=lambda m: (m.value or "").lower() not in ctx.text[m.start : m.end].lower(),
        ),
        lambda m: m.value,
        span_with_cue=False,
    )
    study["study_date"] = _date(ctx)
    tracers: dict[str, dict[str, Any]] = {}
    denied = load_wording().no_perfusion_imaging
    # every wording of the family that may hold a tracer names perfusion: most reports need no scan for it
    scan = denied is not None and ctx.get("TRACER") and _PERFUSION_WORD.search(ctx.text) is not None
    not_done = [d.span() for d in denied.finditer(ctx.text)] if scan and denied is not None else []
    for m in _method_first(ctx.get("TRACER")):
        if any(a <= m.start < b for a, b in not_done):
            continue  # "Rest perfusion imaging (Rb-82) could not be performed": the tracer of a study not done
        if m.current and not m.negated and m.value and m.value not in tracers:
            tracers[m.value] = _value(m.value, (m.start, m.end))
    study["tracers"] = sorted(tracers.values(), key=lambda t: int(t["span"][0]))
    protocols = [m for m in _findings(ctx.get("PROTOCOL")) if not m.negated]
    rank = {"dual-isotope": 0, "two-day": 1, "stress-only": 2}
    if protocols:
        # the technique's own statement ("PROTOCOL=stress-only") before a title's ("EXAM_DESC=MPI SPECT STRESS ONLY")
        # "Regadenoson stress / rest SPECT (rest-stress)": the stress of "regadenoson stress" names the stress, so
        # the slash pair it opens says less of the order than another statement of it
        best = min(
            protocols,
            key=lambda m: (
                # "SEGMENTAL SCORES (stress / rest)": the order of a table's columns, not of the acquisitions
                _COLUMN_LEGEND.search(ctx.text, max(0, m.start - 30), m.start) is not None,
                _planned_protocol(ctx, m),  # "a stress-only protocol was planned", then rest images were added
                rank.get(m.value or "", 3),
                _stress_named_pair(ctx, m),
                m.section not in _METHOD_SECTIONS,
                m.start,
            ),
        )
        study["protocol"] = _value(best.value, (best.start, best.end))
    else:
        study["protocol"] = _protocol_from_dose_order(ctx)
    study["stress_type"], study["stress_agent"] = _stress(ctx)
    # redistribution images say stress first only where there was a stress (not a rest-redistribution study)
    later = study["protocol"] is not None and _LATER_IMAGES.match(ctx.text, study["protocol"]["span"][0])
    if later and study["stress_type"] is None and study["stress_agent"] is None:
        study["protocol"] = None
    indication = _indication(ctx)
    if indication is not None:  # free text is quoted as written, OCR's confusions included
        s, e = indication["span"]
        # a reason broken over lines reads as one line ("nondiagnostic prior SPECT due\r\n to attenuation")
        indication["value"] = " ".join(as_written(ctx.doc, s, e, indication["value"]).split())
    study["indication"] = indication

    st = out["stress_test"]
    st["exercise_duration_min"] = _duration(ctx)
    st["mets"] = _simple_number(ctx, ("METS",), ("METs",), PLAUSIBLE["mets"], before=True)
    st["rest_hr_bpm"], st["peak_hr_bpm"] = _vitals(ctx, "HR")
    st["rest_bp"], st["peak_bp"] = _vitals(ctx, "BP")
    _vitals_table(ctx, st)
    st["percent_mphr"] = _mphr(ctx)
    # the complaint that the reason for the study names is the patient's, not the test's (a letter's "the SPECT we
    # arranged for her chest discomfort"; an indication header's section is no finding already)
    reason = tuple(indication["span"]) if indication is not None else (0, 0)
    test_cue = load_wording().test_cue
    if reason[1] - reason[0] > _MAX_REASON_CHARS or (test_cue is not None and test_cue.search(ctx.text, *reason)):
        reason = (0, 0)  # a reason read on into the test itself (an unpunctuated dictation) is not only the reason
    chest = [
        m
        for m in ctx.get("CHEST_PAIN")
        if (m.current or _complained_during_the_test(ctx, m))
        and m.section not in _NON_FINDING_SECTIONS
        and not reason[0] <= m.start < reason[1]
    ]
    # the test's own statement before one told of the patient elsewhere
    chest.sort(
        key=lambda m: (
            m.preamble,
            m.section not in ("stress", "findings", "technique", None),  # "Protocol: ... No chest pain during infusion"
            _before_the_test(ctx, m.sent),  # "He denied chest pain on arrival", then the infusion's symptom
            not _during_the_test(ctx, m.sent),
            not _said_of_the_test(ctx, m.sent),  # "He has no current chest pain" (history), "He denied chest pain
            # throughout" in the paragraph of the exercise data
            m.start,
        )
    )
    st["chest_pain"] = _first(chest, lambda m: _chest_pain(ctx, m))
    keyed = next((m for m in chest if _chest_pain(ctx, m) is not None), None) if st["chest_pain"] else None
    answered = _key_answer(ctx, keyed) if keyed is not None else None
    if st["chest_pain"] is not None and answered is not None:
        st["chest_pain"]["span"] = list(answered[1])  # "ChestPain: None": a key's value is its span
    st["ecg_response"] = _ecg(ctx)
    st["duke_treadmill_score"] = _simple_number(ctx, ("DUKE",), (), PLAUSIBLE["duke_treadmill_score"])

    # "No perfusion defect assessment is applicable" (a MUGA): a perfusion word inside a statement that no perfusion
    # imaging was done makes no perfusion study (wording.json no_perfusion_imaging)
    not_imaged = [d.span() for d in denied.finditer(ctx.text)] if denied is not None else []
    other_organ = _other_organ_study(ctx)
    is_mpi = (
        not other_organ
        and not _defects_in_other_organ(ctx)
        and bool(
            {t["value"] for t in study["tracers"]} & _PERFUSION_TRACERS
            or any(
                "perfus" in ctx.text[m.start : m.end].lower() and not any(a <= m.start < b for a, b in not_imaged)
                for m in ctx.get("RESULT", "DEFECT")
            )
            or ctx.get("SSS")
            or ctx.get("SDS")
            or _perfusion_imaging_reported(ctx)
            or _nuclear_stress_imaging(ctx, study)
        )
    )
    overall = _overall(ctx, is_mpi)
    perf = out["perfusion"]
    defects = _defects(ctx) if is_mpi else []
    perf["defects"] = [
        {
            "span": [d.span[0], d.span[1]],
            "territory": d.territory,
            "walls": d.walls,
            "severity": d.severity,
            "extent": d.extent,
            "reversibility": d.reversibility,
            "certainty": d.certainty,
            **({"amended_by": [[a, b] for a, b in d.amended_by]} if d.amended_by else {}),
        }
        for d in defects
    ]
    perf["result"] = _perfusion_result(ctx, overall, is_mpi)
    affirmed = [d for d in defects if d.certainty == "affirmed"] if is_mpi else []
    named_by_infarct = perf["result"] is not None and any(
        m.start == perf["result"]["span"][0] for m in ctx.get("INFARCTION")
    )
    if affirmed and (perf["result"] is None or named_by_infarct):
        # no verdict of perfusion, or the impression's infarct standing for one ("Small basal inferior infarct"):
        # the result is what the described defect shows, where it is described
        perf["result"] = _value("abnormal", affirmed[0].span)
    perf["sss"] = _simple_number(ctx, ("SSS",), (), PLAUSIBLE["sss"])
    perf["srs"] = _simple_number(ctx, ("SRS",), (), PLAUSIBLE["srs"])
    perf["sds"] = _simple_number(ctx, ("SDS",), (), PLAUSIBLE["sds"])
    if is_mpi:
        _score_table(ctx, perf)
    perf["stress_tpd_percent"] = _simple_number(ctx, ("STRESS_TPD",), _PCT, PLAUSIBLE["stress_tpd_percent"])
    perf["ischemic_tpd_percent"] = _simple_number(ctx, ("ISCHEMIC_TPD",), _PCT, PLAUSIBLE["ischemic_tpd_percent"])
    perf["artifact"] = _artifact(ctx) if is_mpi else None

    fn = out["function"]
    fn["lvef_percent"], fn["rest_lvef_percent"] = _lvef(ctx)
    if fn["lvef_percent"] is None:
        fn["lvef_percent"] = _prior_number(ctx, ("LVEF",), _PCT, PLAUSIBLE["lvef_percent"])
    unstressed = study["stress_type"] is None and study["stress_agent"] is None
    if unstressed and not is_mpi and denied is not None and denied.search(ctx.text) is not None:
        # a study with neither a stress nor perfusion imaging, that says none was done (an innervation scan's "No
        # stress testing or perfusion imaging was performed"), has no stress test: a heart rate or pressure it
        # writes is the acquisition's ("10 mCi I-123 MIBG at rest, heart rate 68 bpm")
        for key in ("rest_hr_bpm", "peak_hr_bpm", "rest_bp", "peak_bp"):
            st[key] = None
    if (
        fn["rest_lvef_percent"] is None
        and fn["lvef_percent"] is not None
        and (_resting_ventriculography(ctx, study) or (unstressed and not is_mpi))
    ):
        # a MUGA's one LVEF is a resting one, and so is that of any study with neither stress nor perfusion imaging
        # (a coronary CT angiogram's, a resting echocardiogram's)
        fn["rest_lvef_percent"] = dict(fn["lvef_percent"])
    # the volumes of the main LVEF's phase: with a rest LVEF beside it, the main one is the stress (gated
    # post-stress) value, and a rest-labelled volume ("Rest EDV = 100 mL" before "Stress EDV = 98 mL") is the rest's
    stress_main = fn["rest_lvef_percent"] is not None and fn["lvef_percent"] is not None
    for key, label, bounds in (("edv_ml", "EDV", PLAUSIBLE["edv_ml"]), ("esv_ml", "ESV", PLAUSIBLE["esv_ml"])):
        fn[key] = (_simple_number(ctx, (label,), _ML, bounds, skip=_rest_labelled) if stress_main else None) or (
            _simple_number(ctx, (label,), _ML, bounds)
        )
    fn["tid_ratio"] = _simple_number(ctx, ("TID",), (), PLAUSIBLE["tid_ratio"])
    fn["wall_motion"] = _wall_motion(ctx)
    fn["lv_size"] = _lv_size(ctx)
    if other_organ:
        # a scan of another organ measures no ventricle: a fraction or volume it writes is told of the patient
        # ("Bedside echo in ED: LVEF about 60%"), since none of its findings speaks of the heart (_other_organ_study)
        for key in fn:
            fn[key] = None

    flow = out["flow"]
    # the flow of the whole ventricle: a value told of one vessel's territory is regional (_regional_flow)
    flow["stress_mbf"] = _simple_number(ctx, ("STRESS_MBF",), _FLOW, PLAUSIBLE["stress_mbf"], skip=_regional_flow)
    flow["rest_mbf"] = _simple_number(ctx, ("REST_MBF",), _FLOW, PLAUSIBLE["rest_mbf"], skip=_regional_flow)
    if flow["stress_mbf"] is None or flow["rest_mbf"] is None:
        # "Global MBF: rest 0.92, stress 1.29 mL/min/g", "MBF_Stress=2.45": one label, phases at the values
        rest_mbf, stress_mbf = _rest_peak(
            ctx, "MBF", _parse_flow, {"REST_MBF": "rest", "STRESS_MBF": "peak"}, skip=_regional_flow
        )
        flow["stress_mbf"] = flow["stress_mbf"] or stress_mbf
        flow["rest_mbf"] = flow["rest_mbf"] or rest_mbf
    flow["mfr"] = _simple_number(ctx, ("MFR",), (), PLAUSIBLE["mfr"], skip=_regional_flow)
    _flow_table(ctx, flow)
    _phase_column_table(ctx, out)

    cal = out["calcium"]
    cal["cac_score"] = _simple_number(ctx, ("CAC_SCORE",), (), PLAUSIBLE["cac_score"])
    if cal["cac_score"] is None:
        # a key's own answer first ("Coronary calcium = absent"), then the words' polarity
        cal["cac_present"] = _cac_key_answer(ctx) or _first(
            [
                m
                for m in _findings(ctx.get("CAC_VISUAL"))
                if not _on_another_ct(ctx, m) and not _CALCIUM_PROCEDURE_AFTER.match(ctx.text, m.end)
            ],
            _present_absent,
        )
    if cal["cac_score"] is None and cal["cac_present"] is None:
        # "dense calcification of the LAD and RCA": calcium seen in the named arteries (a denial names one vessel)
        seen = [
            m
            for m in _findings(ctx.get("CAC_VESSEL"))
            if not m.negated and m.current and not m.hypothetical and not _on_another_ct(ctx, m)
        ]
        cal["cac_present"] = _first(seen, lambda m: "present")
    if cal["cac_score"] is None and cal["cac_present"] is None:
        cal["cac_score"] = _prior_number(ctx, ("CAC_SCORE",), (), PLAUSIBLE["cac_score"])

    imp = out["impression"]
    imp["overall"] = overall
    # a rest-redistribution study has no stress: the redistribution of its defects shows viability, not ischemia
    stressed = study["stress_type"] is not None or study["stress_agent"] is not None
    imp["ischemia"] = _impression_flag(ctx, "ISCHEMIA", overall, defects if stressed else [], is_mpi)
    imp["infarction"] = _impression_flag(ctx, "INFARCTION", overall, defects, is_mpi)
    # the impression's risk is the perfusion study's: a study that says no perfusion imaging was done (an innervation
    # scan's "high-risk category for arrhythmic events") grades another risk
    denied = load_wording().no_perfusion_imaging
    no_mpi = not is_mpi and not stressed and denied is not None and denied.search(ctx.text) is not None
    imp["risk"] = None if no_mpi else _risk(ctx)
    imp["comparison"] = _comparison(ctx)
    row = getattr(doc._, EXPORT_ROW_EXTENSION) if doc.has_extension(EXPORT_ROW_EXTENSION) else None
    if row:
        _bind_export_row(out, row)
    _refuse_cut_values(ctx, out)
    _whole_split_words(out, hyphen_joins(doc))
    return out


def _whole_split_words(node: Any, joins: tuple[tuple[int, int], ...]) -> None:
    """A span that ends inside a word hyphen_view read whole ("Wall motion is nor-\nm") ends where the word ends as
    written ("nor-\nmal")."""
    if not joins:
        return
    if isinstance(node, list):
        for item in node:
            _whole_split_words(item, joins)
        return
    if not isinstance(node, dict):
        return
    span = node.get("span")
    if isinstance(span, (list, tuple)) and len(span) == 2 and all(isinstance(v, int) for v in span):
        end = next((j1 for j0, j1 in joins if j0 < span[1] < j1), None)
        if end is not None:
            node["span"] = [span[0], end] if isinstance(span, list) else (span[0], end)
    for key, value in node.items():
        if key != "span":
            _whole_split_words(value, joins)


# The sections whose numbers a dictation gap may cut.
_MEASURE_SECTIONS = ("stress_test", "function", "perfusion", "flow", "calcium")
# How a value may run on into a gap: a decimal word or mark, a pressure's "over" or slash ("one point [inaudible]",
# "minus four point [inaudible]", "138 over [inaudible]"), or nothing but blanks.
_RUNS_ON = re.compile(r"[ \t]*(?:(?:point|dot|decimal|over|and)[ \t]+|[.,/][ \t]*)?", re.I)
_RUNS_INTO = re.compile(r"(?:[ \t]+(?:point|dot|decimal|over|and))?[ \t]*[.,/]?[ \t]*\Z", re.I)
_ENDS_IN_NUMBER = re.compile(rf"(?:\d|\b(?:{WORD_NUMBER}))\Z", re.I)


def _refuse_cut_values(ctx: _Ctx, out: dict[str, Any]) -> None:
    """A number that a transcriptionist's gap interrupts (``wording.json`` dictation_gaps: "TID ratio one point
    [inaudible]", "peak blood pressure [inaudible] over eighty") is not stated in full: the field is refused (null)
    rather than filled with the part that was heard. A value closed by its unit ("61 percent [inaudible]") is whole."""
    gap = load_wording().dictation_gap
    if gap is None or gap.search(ctx.text) is None:
        return
    text = ctx.text
    for section in _MEASURE_SECTIONS:
        fields = out.get(section)
        if not isinstance(fields, dict):
            continue
        for key, found in fields.items():
            if not isinstance(found, dict) or not isinstance(found.get("value"), (int, float, str)):
                continue
            if isinstance(found["value"], str) and not re.search(r"\d", found["value"]):
                continue  # an enum ("present", "ischemic"), not a number
            a, b = found["span"]
            line_start, line_end = text.rfind("\n", 0, a) + 1, _eol(text, b)
            after = _RUNS_ON.match(text, b, line_end)
            cut_after = (
                _ENDS_IN_NUMBER.search(text, a, b) is not None
                and after is not None
                and gap.match(text, after.end(), line_end) is not None
            )
            cut_before = any(
                _RUNS_INTO.fullmatch(text, g.end(), a) is not None
                for g in gap.finditer(text, max(line_start, a - 40), a)
            )
            if cut_after or cut_before:
                fields[key] = None


def _bind_export_row(out: dict[str, Any], row: tuple[tuple[str, str, int, int], ...]) -> None:
    """Read a delimited export's values by their columns (``extraction.pipeline.export_row_view``): each value with its
    column's name, one "name: value" statement a paragraph, structured as a key/value report; a value read there is
    the study's, its span the value's cell, and it stands before one read from the prose (the export states it by
    name); the prose fills the fields the row has no column for (wall motion, the impression)."""
    from extraction.pipeline import get_pipeline

    parts: list[str] = []
    cells: list[tuple[int, int, int, int]] = []  # (start, end) in the rendering -> (start, end) in the text
    pos = 0
    for name, value, start, end in row:
        key = " ".join(name.replace("_", " ").split())  # "rest_hr" reads as the words of its key, "rest hr"
        line = f"{key}: {value}"
        cells.append((pos, pos + len(line), start, end))
        parts.append(line)
        pos += len(line) + 2
    rendered = "\n\n".join(parts)
    starts = [c[0] for c in cells]

    def mapped(span: list[int]) -> list[int]:
        i = max(0, bisect.bisect_right(starts, span[0]) - 1)
        _, line1, start, end = cells[i]
        value_at = line1 - (end - start)
        if span[0] < value_at or span[1] > line1:
            return [start, end]  # a span on the column's name: the value's cell
        return [start + span[0] - value_at, start + span[1] - value_at]

    bound = _assemble(get_pipeline()(rendered))
    for section, fields in bound.items():
        for key, found in fields.items():
            if isinstance(found, dict) and found.get("value") is not None:
                out[section][key] = {**found, "span": mapped(found["span"])}
            elif key == "tracers" and found:
                named = {t["value"] for t in found}
                prose = [t for t in out[section][key] if t["value"] not in named]
                out[section][key] = [{**t, "span": mapped(t["span"])} for t in found] + prose
