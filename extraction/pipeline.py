"""The spaCy pipeline: blank English + medspaCy sectionizer + line-aware sentences + target matcher + ConText.

Built once per process on first use (``get_pipeline``); importing this module does not import spaCy.

Components, in order:
0. spaCy's English tokenizer, without the special cases that change no token (see
   ``_needed_special_cases``: same tokens, cached), keeping the text on the Doc.
1. ``medspacy_sectionizer`` with our own header rules (``resources/sections.json``), at the start of
   a line or after the end of a sentence.
2. ``ncreport_line_sentencizer``: sentences end at ``. ! ? ;`` and at line breaks that start a
   new statement (blank line, bullet, number, capital, or a line that ended with punctuation), and
   each section header is a sentence of its own, so ConText scopes never cross a header.
   Reports are line-structured: spaCy's ``sentencizer`` would glue "Exercise duration: 9:00 min"
   to the next line, and PyRuSH costs about 5 ms per document.
3. ``medspacy_target_matcher`` with the concepts of ``resources/concepts.json`` (longest match wins).
3b. ``ncreport_wording_targets``: concepts found by the regular expressions of ``wording.json``
   ("targets": wording families too open for phrases), added to the same span group where no
   span of the same label (or an IGNORE span) already covers them.
4. ``medspacy_context`` with our own ConText rules (``resources/context_rules.json``).

``doc_text(doc)`` is the text of a processed Doc, kept by the tokenizer (spaCy's ``Doc.text`` joins
the text of every token, a Token object each, every time it is read: ~0.15 ms a report).

Speed (``bench/structure_throughput.py``): rules are phrases wherever they can be (spaCy's
PhraseMatcher looks a phrase up in one pass whatever the number of phrases), because every token
pattern makes spaCy's Matcher try it at every token of every report.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import itertools
import math
import re
import sys
import threading
import types
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

from extraction.lexicon import NUMBER_RE
from extraction.regex_gate import gated
from extraction.rules import (
    ContextConfig,
    load_concepts,
    load_context,
    load_key_suffixes,
    load_sections,
    load_wording,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "IDENTIFIER_KEY",
    "KEY_VALUE_INFIXES",
    "MAX_DOC_CHARS",
    "SPAN_GROUP",
    "as_written",
    "checkbox_view",
    "checkboxes",
    "comparison_view",
    "current_column_tables",
    "dictation_view",
    "doc_text",
    "export_row",
    "export_row_view",
    "form_code_view",
    "get_pipeline",
    "hl7_view",
    "hyphen_joins",
    "hyphen_view",
    "layout_view",
    "line_end_view",
    "mail_thread_view",
    "ocr_view",
    "with_key_value_breaks",
]

SPAN_GROUP = "ncreport_concepts"
# The Doc extension where the tokenizer keeps the text (extraction._tokenizer; see doc_text).
TEXT_EXTENSION = "ncreport_text"
# The Doc extension with the checkboxes of a checkbox template (see checkbox_view).
BOXES_EXTENSION = "ncreport_checkboxes"
# The Doc extension with a delimited export's values by column (see export_row_view).
EXPORT_ROW_EXTENSION = "ncreport_export_row"
# The Doc extension with the offsets where a line break inside a statement reads as a blank (see layout_view).
JOINS_EXTENSION = "ncreport_joined_lines"
# The Doc extension with the characters ocr_view repaired, as written (see as_written).
OCR_EXTENSION = "ncreport_ocr_repairs"
# The Doc extension with the offsets where a clause of an unpunctuated dictation starts (see dictation_view).
DICTATION_EXTENSION = "ncreport_dictation_breaks"
# Headers that may carry a parenthesis before their colon: "PRIOR STUDY (02/11/2020):".
_PAREN_CATEGORIES = {"prior_study", "addendum", "function", "flow", "comparison", "perfusion", "impression"}

# A header starts a line, or follows the end of a sentence ("... normal study. IMPRESSION: ...", as in
# transcriptions that lost their line breaks) or a run of spaces (column layouts). medspaCy tests
# this pattern on the text (with its trailing whitespace) of the token before the header.
_HEADER_START = r"(?:[\n\r]+\s*|[.!?;]\s+|^\s+)$"
# spaCy refuses a text longer than nlp.max_length (E088, 1,000,000 by default) to bound the memory of its
# parser and entity recogniser (about 1 GB per 100,000 characters); this pipeline has neither, and its
# memory grows with the tokens only (~1 GB for 10 million characters), which is the ceiling here.
# extraction.api refuses a longer text with E103 before it reaches spaCy.
MAX_DOC_CHARS = 10_000_000
# A token pattern is turned into phrases when it stands for at most this many (see _finite_phrases).
_MAX_PATTERN_PHRASES = 200
# Numbered addenda ("ADDENDUM #2:") are recognised up to this number.
_MAX_ADDENDUM_NUMBER = 20
_LOCK = threading.Lock()
_NEW_STATEMENT_START = set("-•*·–—>#")
# Word breaks that spaCy's English infixes lack, for vendor key=value exports ("HR_Rest_bpm=71",
# "StudyDate=20250314", "LVSize = Normal", "PctMPHR = 77", "TPD.Ischemic = 10 %"): an underscore, an equals
# sign, a lower-case letter followed by a capitalised word, a capital letter followed by a capitalised
# word, a lower-case word followed by an acronym (all zero width), and a dot between two words. The words
# of a key then match the concepts of prose ("HR", "rest", "study date", "LV size"). (An all-lower-case
# "a.b" is taken by spaCy's URL match first; dotted phrases get a variant in _dotted_key.) A "+" between two words
# joins them in shorthand ("LAD+RCA ischaemia"): each word is a concept of its own. A unit in brackets right after a
# key's last word ("TPD_Ischemic(%): 8", "Dose_Rest(mCi)") is a token of its own: the word stays the concept's.
KEY_VALUE_INFIXES = (
    r"[_=]",
    r"(?<=[A-Za-z]):(?=\d)",
    r"(?<=[a-z])(?=[A-Z][a-z])",
    r"(?<=[A-Z])(?=[A-Z][a-z]{2})",
    r"(?<=[a-z]{2})(?=[A-Z]{2})",
    r"(?<=[A-Z]{2})(?=(?:Ml|Mm|Cm)(?![a-z]))",
    r"(?<=[A-Za-z]{2})\.(?=[A-Za-z]{2}|\d)",
    r"(?<=[A-Za-z]{2})\+(?=[A-Za-z]{2})",
    r"(?<=[A-Za-z]{2})\((?=(?:%|[A-Za-z]{2}[A-Za-z/%]{0,6})(?:\)|$))",
)
_ABBREVIATIONS = {"dr.", "mr.", "mrs.", "ms.", "vs.", "pt.", "no.", "e.g.", "i.e.", "approx.", "st.", "fig."}


_NEWLINE_RUN = re.compile(r"\n[ \t\r\f\v\n]*(?=\S)")
# The spaces after ". ! ? ;" (group "space"), or a ";" right before a word. Starting at the punctuation
# lets the regex engine skip to candidate characters (a leading look-behind is tried at every one).
_PUNCT_END = re.compile(r"[.!?;](?P<space>[ \t]+)(?=\S)|;(?=\S)")
# A vendor key=value line, up to its "=" (a key of words, dots, underscores, brackets and digits).
# A key padded before its colon ("Defect 1        : LAD; anterior; severe", an export's column) is one too.
# A key written as an identifier, its words joined by underscores or capitals ("Perf_Defect_1", "WallMotion"), is
# an export's key before its colon too: prose never writes one.
IDENTIFIER_KEY = r"(?:[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+|[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+)[ \t]*:"
# A numbered finding written as words ("Defect 1: mild; Walls: inferior, apical; Territory: RCA", "Perfusion
# defect #2 - ..."): its key:value items are one finding's, one statement as the identifier form's are.
NUMBERED_FINDING_KEY = (
    r"(?:perfusion[ \t]+)?(?:defects?|lesions?|abnormalit(?:y|ies)|findings?)[ \t]*(?:#|no\.?)?[ \t]*\d{1,2}[ \t]*[:=-]"
)
_KEY_LINE = re.compile(
    r"[ \t]*(?:[A-Za-z](?:[\w.\[\]-]{0,40}[ \t]*=[^=\n]*|[\w .\[\]/-]{0,40}?[ \t]{2,}:[^\n]*)"
    rf"|{IDENTIFIER_KEY}[^\n]*|(?i:{NUMBERED_FINDING_KEY})[^\n]*)$"
)
_LIST_NUMBER = re.compile(r"(?:^|\n)[ \t]*\(?\d{1,2}[.)]$")
_WORD_BEFORE = re.compile(r"(\S+)$")


# A line this long is a paragraph: a text that holds one is not wrapped at a width (see _boundaries).
_PARAGRAPH_LINE = 240
_LONG_LINE = re.compile(rf"(?m)^[^\n]{{{_PARAGRAPH_LINE}}}")
# A word that cannot end a statement: a line that ends with one goes on in the next ("no evidence of ischemia or",
# "defect in the" then "LAD territory"). "peak" qualifies the label after it ("given; peak" then "HR 94, BP 140/82").
_DANGLING_WORD = re.compile(
    r"(?<![\w-])(?:and|or|nor|of|with|without|the|a|an|to|in|for|no|not|by|at|on|from|as|is|are|was|were|but|than"
    r"|peak)[ \t]*$",
    re.I,
)


# The start of a line that is a key ("Infarction: No", "LVEF = 55 %") or a list number ("2. Normal").
_LINE_KEY = re.compile(r"[A-Za-z][\w./&()-]*(?:[ \t][\w./&()-]+){0,3}[ \t]*[:=]|\(?\d{1,2}[.)](?:\s|$)")


def _boundaries(text: str) -> list[int]:
    """Character offsets where a new sentence starts (see module docstring).

    A text with a line of ``_PARAGRAPH_LINE`` characters or more writes each paragraph on one line (dictation,
    a paste from an electronic record): its line breaks are never a wrap, and each ends a statement even
    without punctuation ("... no evidence of ischemia or infarction" then "low risk" on its own line), unless the
    line ends with a word that cannot end one ("... ischemia or" then "infarction").
    """
    out = [0]
    unwrapped = _LONG_LINE.search(text) is not None
    for m in _NEWLINE_RUN.finditer(text):
        pos = m.end()
        first = text[pos]
        i = m.start() - 1
        while i >= 0 and text[i].isspace():  # the last character before the line break
            i -= 1
        # (a key or a list number on the next line starts its own statement: "Ischemia: No" then "Infarction: No")
        dangling = _DANGLING_WORD.search(text, max(0, i - 8), i + 1) is not None and not _LINE_KEY.match(text, pos)
        if (
            (unwrapped and not dangling)
            or m.group(0).count("\n") >= 2
            # a capital or a digit after a word that cannot end a statement goes on with it ("in the" then "LAD")
            or ((first.isupper() or first.isdigit()) and not dangling)
            or first in _NEW_STATEMENT_START
            or (i >= 0 and text[i] in ".:;!?)")
        ):
            out.append(pos)
    for m in _PUNCT_END.finditer(text):
        pos = m.end()
        start = m.start("space") if m.lastgroup else m.start()
        if text[m.start()] == ";" and _KEY_LINE.match(text, text.rfind("\n", 0, m.start()) + 1, m.start()):
            continue  # "Defect.1 = Anterior, apical; LAD; severe; reversible": one key's value is one statement
        head = text[max(0, start - 12) : start]
        if text[m.start()] == "?" and m.start() > 0 and text[m.start() - 1] in " \t,;(":
            continue  # "chest tightness, ? angina": a query mark before its word, not the end of a question
        if head.endswith("."):
            if _LIST_NUMBER.search(head):
                continue  # "1. Normal study": a list number is not a sentence of its own
            word = _WORD_BEFORE.search(head)
            # "(St. Brigid's Hospital)", "(e.g. LBBB)": an abbreviation after an opening bracket or quote
            if word and word.group(1).lower().lstrip("([{\"'") in _ABBREVIATIONS:
                continue
        out.append(pos)
    return out


_KEY_VALUE_BREAK = re.compile("|".join(KEY_VALUE_INFIXES))


def with_key_value_breaks(finditer: Callable[[str], Iterable[re.Match[str]]]) -> Callable[[str], list[re.Match[str]]]:
    """spaCy's infix finder with the word breaks of ``KEY_VALUE_INFIXES`` added (where no infix of its own is).

    The two are merged rather than compiled into one regular expression: spaCy's infix pattern takes
    about 0.25 s to compile, once more at every cold start.
    """

    def find(text: str) -> list[re.Match[str]]:
        found = list(finditer(text))
        extra = list(_KEY_VALUE_BREAK.finditer(text))
        if not extra:
            return found
        merged: list[re.Match[str]] = []
        for m in sorted([*found, *extra], key=lambda m: (m.start(), -m.end())):
            if merged and m.start() < merged[-1].end():
                continue
            merged.append(m)
        return merged

    return find


def _line_sentencizer(doc: Doc) -> Doc:
    """Set sentence starts from punctuation, line structure and section headers, in one go.

    Runs after the sectionizer: a header and the text after it each start a sentence. (The
    sectionizer's ``apply_sentence_boundary`` sets the same starts token by token, and spaCy scans
    the whole Doc for a parse at each of them.)
    """
    text = doc_text(doc)
    n = len(doc)
    if n == 0:
        return doc
    import numpy
    from spacy.attrs import IDX, SENT_START

    idx = doc.to_array([IDX]).ravel()
    _end_export_values(doc, text, idx)
    starts = numpy.full(n, -1, dtype="int32")
    clauses = getattr(doc._, DICTATION_EXTENSION) if doc.has_extension(DICTATION_EXTENSION) else None
    bounds = sorted(set(_boundaries(text)).union(clauses or ()))
    positions = numpy.searchsorted(idx, numpy.array(bounds, dtype=idx.dtype))
    positions = positions[positions < n]
    starts[positions] = 1
    for section in doc._.sections:
        starts[section.title_start] = 1
        if section.title_end < n:
            starts[section.title_end] = 1
    starts[0] = 1
    doc.from_array([SENT_START], cast(Any, starts.reshape(-1, 1).astype("uint64")))
    return doc


# Sections that hold no finding of this study (a history, a prior study, the patient's details).
_NOT_FINDINGS = frozenset({"indication", "patient", "signature", "medical_history", "comparison", "prior_study"})
# A line of a key/value export: a short key, a colon or equals sign, then a value on the same line.
_EXPORT_LINE = re.compile(r"[ \t]*[A-Za-z][\w./&-]*(?:[ \t][\w./&-]+){0,2}[ \t]*[:=][ \t]*\S")


def _end_export_values(doc: Doc, text: str, idx: Any) -> None:
    """In a key/value export a header's value is its own line: "COMPARISON: 03/15/2022 normal; ..." then
    "RISK: Intermediate". A header that holds no finding (comparison, indication, ...) with its value on its
    line, followed by another key's line, ends at its line, so the keys after it are not a prior study's or
    the history's (they are unheaded, read as the study's own)."""
    import numpy

    for section in doc._.sections:
        if section.category not in _NOT_FINDINGS or section.body_start >= section.body_end:
            continue
        start = int(idx[section.body_start])
        value = len(text) - len(text[start:].lstrip())
        if value >= len(text) or "\n" in text[start:value]:
            continue  # the header stands alone on its line: its section is the lines below
        eol = text.find("\n", value)
        if eol < 0 or (_EXPORT_LINE.match(text, eol + 1) is None and not _comparison_table_next(text, eol + 1)):
            continue
        end = int(numpy.searchsorted(idx, eol))
        if end < section.body_end:
            section.body_end = end


def _comparison_table_next(text: str, start: int) -> bool:
    """Whether the first line with text from ``start`` on heads a comparison table: a row whose later cell is a
    current column's head (``wording.json`` "current_column_heads"; ``comparison_view`` has read the earlier study's
    column as blank space). Its rows are the study's own ("Prior exam: ..., 11/15/2023." then "Parameter | Current
    (03/02/2026) | Prior (11/15/2023)"), not the prior study the header before it names."""
    current = load_wording().current_column_head
    m = re.compile(r"(?:[ \t]*\n)*([^\n]*)").match(text, start)
    if current is None or m is None:
        return False
    cells = _line_cells(text, m.start(1), m.end(1))
    return len(cells) >= 2 and any(current.match(text, c0) is not None for c0, _ in cells[1:])


def _wording_targets(doc: Doc) -> Doc:
    """Add the matches of the ``wording.json`` targets to the concept spans (see module docstring)."""
    _misspelt_targets(doc)
    _misspelt_phrases(doc)
    targets = load_wording().targets
    if not targets or len(doc) == 0:
        return doc
    from spacy.tokens import Span

    text = doc_text(doc)
    group = doc.spans[SPAN_GROUP]
    taken: dict[str, list[tuple[int, int]]] | None = None  # the spans already there, read at the first match
    rules = _wording_target_rules()
    lower = text.lower()
    added: list[Span] = []
    replaced: set[tuple[int, int, str]] = set()
    found: dict[str, list[int]] = {}
    # the anchors the text holds, tested once each: most targets have none of theirs in a text, and are skipped
    present = {a for a in _target_anchors() if a in lower}
    for target, rule in zip(targets, rules, strict=True):
        if present.isdisjoint(target.anchors):
            continue  # _anchored_matches finds no window, hence no match
        for m in _anchored_matches(target.pattern, text, lower, target.anchors, found):
            s, e = m.span("t") if "t" in target.pattern.groupindex and m.group("t") is not None else m.span()
            if taken is None:
                taken = {}
                for span in group:
                    taken.setdefault(span.label_, []).append((span.start_char, span.end_char))
            same = taken.get(target.label, [])
            inside = [(a, b) for a, b in same if s <= a and b <= e and (a, b) != (s, e)]
            # the longer match wins, as between phrases: "unchanged on the redistribution images" (fixed) over
            # its word "redistribution" (reversible); a match that only overlaps one already there is dropped
            if any(a < e and s < b for a, b in taken.get("IGNORE", [])) or any(
                a < e and s < b and (a, b) not in inside for a, b in same
            ):
                continue
            span = doc.char_span(s, e, label=target.label, alignment_mode="expand")
            if span is None:
                continue
            span._.target_rule = rule
            added.append(span)
            if inside:
                replaced.update((a, b, target.label) for a, b in inside)
                taken[target.label] = [x for x in same if x not in inside]
            taken.setdefault(target.label, []).append((s, e))
    if replaced:
        doc.spans[SPAN_GROUP] = [sp for sp in group if (sp.start_char, sp.end_char, sp.label_) not in replaced]
        group = doc.spans[SPAN_GROUP]
    if added:
        group.extend(added)
    return doc


@functools.cache
def _misspellable_names() -> tuple[tuple[str, Any], ...]:
    """(name, rule) for each one-word phrase of the labels of ``wording.json`` "misspelt_names"."""
    from medspacy.target_matcher import TargetRule

    conf = load_wording().misspelt_names
    if conf is None:
        return ()
    out: list[tuple[str, Any]] = []
    for concept in load_concepts():
        if concept.label not in conf.labels:
            continue
        for phrase in concept.phrases:
            if phrase.isalpha() and len(phrase) >= conf.min_length:
                meta = {"value": concept.value} if concept.value else None
                out.append((phrase.lower(), TargetRule(phrase, concept.label, metadata=meta)))
    return tuple(out)


def _misspelt_targets(doc: Doc) -> None:
    """A word within a small edit distance of a long drug or tracer name is that name ("Regadenosen",
    "tetrofosmine"): spaCy's bounded Levenshtein distance, only for words of at least the configured length,
    only where no concept already covers the word; a word that is itself a name is left to the phrases."""
    conf = load_wording().misspelt_names
    names = _misspellable_names()
    if conf is None or not names or len(doc) == 0:
        return
    from spacy.attrs import IS_ALPHA, LOWER

    group = doc.spans[SPAN_GROUP]
    covered: set[int] = set()
    for span in group:
        covered.update(range(span.start, span.end))
    added = []
    strings = doc.vocab.strings
    shortest = conf.min_length - conf.max_edits
    # the lower-case forms and alphabetic flags as two plain lists: a Token object per word was most of the time
    lowers, alphas = doc.to_array([LOWER, IS_ALPHA]).T.tolist()
    for i, (key, alpha) in enumerate(zip(lowers, alphas, strict=True)):
        if not alpha or i in covered:
            continue
        word = strings[key]
        if len(word) < shortest:
            continue
        rule = _misspelt_rule(word)
        if rule is not None:
            span = doc[i : i + 1]
            span.label_ = rule.category
            span._.target_rule = rule
            added.append(span)
            covered.add(i)
    # a name that dictation split in two words ("tetra fosmin", "regadeno son", "sesta mibi"): the two words
    # joined are the name, or within the edit distance of it; found in the text (one scan for the names' first
    # letters), as a word per token would cost a look-up for every word of every report
    text = doc_text(doc)
    lower = text.lower()
    for start, end, joined in _split_name_pairs(lower):
        if len(joined) < shortest:
            continue
        span = doc.char_span(start, end)
        if span is None or len(span) != 2 or span.start in covered or span.start + 1 in covered:
            continue
        rule = _named_rule(joined) or _misspelt_rule(joined) or _sound_alike_split(*lower[start:end].split(" "))
        if rule is not None:
            span.label_ = rule.category
            span._.target_rule = rule
            added.append(span)
            covered.update((span.start, span.start + 1))
    if added:
        group.extend(added)


@functools.cache
def _misspellable_words() -> dict[str, tuple[tuple[tuple[str, ...], int, Any], ...]]:
    """For each word of at least the configured length in a phrase of the labels of ``wording.json``
    "misspelt_words": (the phrase's words, the word's place in them, the phrase's rule), longest phrase first."""
    from medspacy.target_matcher import TargetRule

    conf = load_wording().misspelt_words
    if conf is None:
        return {}
    out: dict[str, list[tuple[tuple[str, ...], int, Any]]] = {}
    for concept in load_concepts():
        if concept.label not in conf.labels:
            continue
        meta = {"value": concept.value} if concept.value else None
        for phrase in concept.phrases:
            words = tuple(phrase.lower().split())
            if not all(w.isalpha() for w in words):
                continue
            rule = TargetRule(phrase, concept.label, metadata=meta)
            for k, w in enumerate(words):
                if len(w) >= conf.min_length and (not conf.words or w in conf.words):
                    out.setdefault(w, []).append((words, k, rule))
    return {w: tuple(sorted(v, key=lambda x: -len(x[0]))) for w, v in out.items()}


@functools.lru_cache(maxsize=1 << 16)
def _corrected_word(word: str) -> str | None:
    """The phrase word (``_misspellable_words``) within the configured edit distance of ``word``, or None; a word
    of the rule files is a word of its own, never a misspelling."""
    from spacy.matcher.levenshtein import levenshtein

    conf = load_wording().misspelt_words
    if conf is None or word in _rule_vocabulary():
        return None
    for name in _misspellable_words():
        if abs(len(name) - len(word)) <= conf.max_edits and levenshtein(word, name, conf.max_edits) <= conf.max_edits:
            return name
    return None


def _misspelt_phrases(doc: Doc) -> None:
    """A word within a small edit distance of a word of a reversibility, artifact or ischemia phrase, with the
    rest of that phrase's words around it, is that phrase ("partial redistrubution", "reversable defect",
    "ischmia", "attentuation artifact"): the longest such phrase, where no concept covers the misspelt word; the
    concepts inside the phrase's words give way to it."""
    conf = load_wording().misspelt_words
    if conf is None or len(doc) == 0:
        return
    words = _misspellable_words()
    if not words:
        return
    group = doc.spans[SPAN_GROUP]
    covered: set[int] = set()
    for span in group:
        covered.update(range(span.start, span.end))
    shortest = conf.min_length - conf.max_edits
    added: list[Any] = []
    taken: set[int] = set()
    for i, token in enumerate(doc):
        if i in covered or i in taken or not token.is_alpha:
            continue
        fixed = _corrected_word(token.lower_) if len(token.text) >= shortest else None
        width = 1
        if fixed is None and token.whitespace_ == " " and i + 1 < len(doc) and doc[i + 1].is_alpha:
            # a word that OCR or a line broke in two ("chest tight ness", "reversi ble defect"): its two parts
            # joined are exactly the phrase word (no edit besides the blank)
            joined = token.lower_ + doc[i + 1].lower_
            if joined in words and i + 1 not in covered:
                fixed, width = joined, 2
        if fixed is None:
            continue
        for phrase, k, rule in words[fixed]:
            a, b = i - k, i - k + len(phrase) + width - 1
            if a < 0 or b > len(doc) or any(t in taken for t in range(a, b)):
                continue
            if all(doc[a + j + (width - 1 if j > k else 0)].lower_ == w for j, w in enumerate(phrase) if j != k):
                span = doc[a:b]
                span.label_ = rule.category
                span._.target_rule = rule
                added.append(span)
                taken.update(range(a, b))
                break
    if added:
        inside = [sp for sp in group if any(s.start <= sp.start and sp.end <= s.end for s in added)]
        if inside:
            doc.spans[SPAN_GROUP] = [sp for sp in group if sp not in inside]
            group = doc.spans[SPAN_GROUP]
        group.extend(added)


@functools.cache
def _split_name_starts() -> tuple[str, ...]:
    """The first three letters of the long names (see ``_misspelt_targets``): the first word of a split name
    starts with them. Not four: the recogniser mishears the split name's head too ("sess tamibi" for sestamibi,
    within one edit when joined), and the joined words must still come within the edit distance of a name."""
    return tuple(sorted({name[:3] for name, _ in _misspellable_names()}))


def _split_name_pairs(lower: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, the two words joined) for each two words joined by one space whose first starts with the
    first letters of a long name, in the lower-case text (``str.find`` per start: most reports hold none)."""
    for prefix in _split_name_starts():
        i = lower.find(prefix)
        while i >= 0:
            if i == 0 or not lower[i - 1].isalpha():
                m = _TWO_WORDS.match(lower, i)
                if m is not None:
                    yield m.start(), m.end(), m.group(1) + m.group(2)
            i = lower.find(prefix, i + 1)


_TWO_WORDS = re.compile(r"([a-z]+) ([a-z]+)(?![a-z])")


def _named_rule(word: str) -> Any:
    """The rule of the long name that ``word`` (lower case) is, or None."""
    return next((rule for name, rule in _misspellable_names() if name == word), None)


# A split name's first word that is the name's own start (see _sound_alike_split): this many letters at least.
_SPLIT_HEAD = 5


def _sound_alike_split(head: str, tail: str) -> Any:
    """The rule of the one long name whose start ``head`` is, of five letters or more, when ``tail`` sounds like
    its rest: the same first letter and as long within one ("sesta maybe" for sestamibi, "tetro fausman" is not:
    one letter longer at most). Speech recognition writes the rest of a split name as a word it knows."""
    if len(head) < _SPLIT_HEAD:
        return None
    found = [
        rule
        for name, rule in _misspellable_names()
        if name.startswith(head)
        and len(name[len(head) :]) >= 3
        and name[len(head)] == tail[0]
        and abs(len(tail) - len(name) + len(head)) <= 1
    ]
    # one concept (its spellings are names of their own: "sestamibi", "sestamibe")
    meant = {(rule.category, repr(rule.metadata)) for rule in found}
    return found[0] if len(meant) == 1 else None


@functools.lru_cache(maxsize=1 << 16)
def _misspelt_rule(word: str) -> Any:
    """The rule of the first long name within the configured edit distance of ``word`` (lower case), or None
    (a word that is itself a name is left to the phrases). Remembered per word: a report's words are mostly
    those of the last one, and comparing each with every name was a fifth of the pipeline's time."""
    from spacy.matcher.levenshtein import levenshtein

    conf = load_wording().misspelt_names
    names = _misspellable_names()
    if conf is None or any(word == name for name, _ in names):
        return None
    for name, rule in names:
        if abs(len(name) - len(word)) <= conf.max_edits and levenshtein(word, name, conf.max_edits) <= conf.max_edits:
            return rule
    return None


# How far around an anchor a wording target's match may reach (characters).
_ANCHOR_REACH = 120


def _anchored_matches(
    pattern: re.Pattern[str],
    text: str,
    lower: str,
    anchors: tuple[str, ...],
    found: dict[str, list[int]] | None = None,
) -> Iterator[re.Match[str]]:
    """The matches of ``pattern`` in windows around the anchors' occurrences, in order, without repeats.

    A regular expression that opens with word alternatives is tried at every position of the text
    (about 0.4 ms a report); looking for the anchors first (``str.find``) and trying it only near them
    finds the same matches (each match contains an anchor and is shorter than ``_ANCHOR_REACH``).
    ``found``: the occurrences of each anchor in ``lower`` looked up so far, shared by the targets of one text
    (a third of the anchors serve several targets).
    """
    windows: list[tuple[int, int]] = []
    for anchor in anchors:
        places = None if found is None else found.get(anchor)
        if places is None:
            places = []
            i = lower.find(anchor)
            while i >= 0:
                places.append(i)
                i = lower.find(anchor, i + 1)
            if found is not None:
                found[anchor] = places
        for i in places:
            windows.append((max(0, i - _ANCHOR_REACH), min(len(text), i + len(anchor) + _ANCHOR_REACH)))
    if not windows:
        return
    windows.sort()
    merged = [windows[0]]
    for a, b in windows[1:]:
        if a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    last_end = -1
    scan = gated(pattern)  # the same matches, tried only where one may start (extraction.regex_gate)
    for a, b in merged:
        for m in scan.finditer(text, a, b):
            if m.start() >= last_end:
                last_end = m.end()
                yield m


@functools.cache
def _target_anchors() -> frozenset[str]:
    """Every anchor of the ``wording.json`` targets (about 240 distinct strings for some 90 targets)."""
    return frozenset(a for t in load_wording().targets for a in t.anchors)


@functools.cache
def _wording_target_rules() -> tuple[Any, ...]:
    from medspacy.target_matcher import TargetRule

    return tuple(
        TargetRule(t.pattern.pattern, t.label, metadata={"value": t.value} if t.value else None)
        for t in load_wording().targets
    )


# What ends the item of an unchecked box, besides the next box: two spaces or a tab, a comma or semicolon,
# a line break, a table rule; and a word followed by a colon, which labels the next list.
_ITEM_END = re.compile(r"[ ]{2,}|[\t,;|\n\r]|(?<![^\s])[A-Za-z][\w#/-]*[ \t]*:")
# What starts the item of a box written after its label ("Normal [ ]  Abnormal [x]"), looking back from it.
_ITEM_START = re.compile(r"[ ]{2,}|[\t,;|:]")


# The code a case report form numbers an item with, at the start of a line before the item's key: "C1 Perfusion:",
# "D2 Ischemia:", "A10) Tracer:", "Q3. Symptoms:" (a letter or two and a number; the key ends with a colon).
_FORM_ITEM_CODE = re.compile(r"(?m)^([ \t]*)([A-Z]{1,2}\d{1,2}[a-z]?[.)]?)[ \t]+(?=[A-Za-z][A-Za-z /()&-]{0,40}:)")
# The fewest numbered items that make a checkbox text a numbered form.
_FORM_MIN_CODES = 3


# A content item of a DICOM Structured Report as a viewer dumps it: its depth in the tree as ">" marks, its value type
# (PS3.3 C.17.3.2.1), a colon, then "Concept name = value" (a container's title alone): "> > NUM: LVEF = 48 %".
_SR_CONTENT_ITEM = re.compile(
    r"(?m)^[ \t]*((?:>[ \t]*)*(?:CONTAINER|TEXT|CODE|NUM|DATE|TIME|DATETIME|PNAME|UIDREF|COMPOSITE|IMAGE|WAVEFORM|"
    r"SCOORD3?D?|TCOORD)[ \t]*:)[ \t]*(?=\S)"
)
# The fewest content items that make a text an SR dump (a line of prose that opens with "Code:" is none).
_SR_MIN_ITEMS = 3


def sr_dump_view(text: str) -> str:
    """A dumped DICOM Structured Report with each content item's depth marks and value type read as blank space (same
    length): "> > TEXT: Indication = Preoperative risk" reads "            Indication = Preoperative risk", a key and
    its value, and "> CONTAINER: Impression" a header alone on its line, so a container's items are its section's.
    Only in a text of at least _SR_MIN_ITEMS such lines; any other text is returned as is."""
    if ": " not in text:
        return text
    items = list(_SR_CONTENT_ITEM.finditer(text))
    if len(items) < _SR_MIN_ITEMS:
        return text
    chars = list(text)
    for m in items:
        chars[m.start(1) : m.end(1)] = " " * (m.end(1) - m.start(1))
    return "".join(chars)


# A line quoted in an e-mail reply or forward: its quote marks ("> ", "> > ") at the start of the line.
_QUOTE_MARKS = re.compile(r"(?m)^(?:>[ \t]?)+")
# A header line of an e-mail message ("From: ...", "Sent: ...", "Subject: RE: ...").
_MAIL_HEADER = re.compile(r"(?mi)^[ \t]*(?:from|sent|to|cc|subject|date)[ \t]*:[ \t]*\S")
# The fewest quoted lines that hold a report, and the fewest e-mail header lines that make a thread of its wrapper.
_MAIL_MIN_QUOTED = 8
_MAIL_MIN_HEADERS = 3


def mail_thread_view(text: str) -> str:
    """A report quoted in an e-mail thread (a reply or forward whose quoted lines, "> FINDINGS: ...", hold it) read
    as the quoted report alone (same length): the quote marks are blank space, and every line outside the quoted
    block (the messages of the thread, their headers, questions and signatures) is blank, so a question asked in
    the reply ("is there anything viable at the apex?") or the date it was sent is no finding of the report. Only in
    a text with at least _MAIL_MIN_HEADERS e-mail header lines outside the quotes and _MAIL_MIN_QUOTED quoted lines;
    any other text is returned as is."""
    if ">" not in text:
        return text
    quoted = list(_QUOTE_MARKS.finditer(text))
    if len(quoted) < _MAIL_MIN_QUOTED:
        return text
    inside = {m.start() for m in quoted}
    headers = [h for h in _MAIL_HEADER.finditer(text) if text.rfind("\n", 0, h.start()) + 1 not in inside]
    if len(headers) < _MAIL_MIN_HEADERS:
        return text
    chars = list(text)
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if pos in inside:
            mark = _QUOTE_MARKS.match(text, pos)
            stop = mark.end() if mark is not None else pos
            chars[pos:stop] = " " * (stop - pos)
        else:
            chars[pos:end] = " " * (end - pos)
        pos = end + 1
    return "".join(chars)


# A key with its translation after a slash, at the start of a line: "DATE OF STUDY / FECHA DEL ESTUDIO: 03/09/2026".
# Group "tr" is the slash, blanks on both sides ("HR rest/peak:" is one key of two phases), and the translation.
_TRANSLATED_KEY = re.compile(r"(?m)^[ \t]*[A-Za-z][^\n:=/|]{0,40}?(?P<tr>[ \t]+/[ \t]+[^\W\d_][^\n:=/|]{0,40}?)[ \t]*:")
# The fewest translated keys that make a report bilingual (one "Rest / Stress:" is two phases, not a translation).
_BILINGUAL_MIN_KEYS = 3


def bilingual_view(text: str) -> str:
    """A bilingual report's keys read without their translation (same length): "COMPARISON / COMPARACIÓN: None"
    reads "COMPARISON               : None", so the key and the header are the English one. A translation is a slash
    part of a key that is no phrase of the rule files (``_rule_phrases``: "Rest / Stress:" and "HR / BP:" name two
    measures); only in a text with at least _BILINGUAL_MIN_KEYS such keys; any other text is returned as is. (The
    sectionizer reads a header in two languages on its own: ``_PaddedHeaders._bilingual_keys``; this view serves the
    readers of a key's value.)"""
    if " / " not in text and "/" not in text:
        return text
    phrases = _rule_phrases()
    found = [
        m
        for m in _TRANSLATED_KEY.finditer(text)
        if " ".join(m.group("tr").lstrip(" \t/").lower().split()) not in phrases
    ]
    if len(found) < _BILINGUAL_MIN_KEYS:
        return text
    chars = list(text)
    for m in found:
        chars[m.start("tr") : m.end("tr")] = " " * (m.end("tr") - m.start("tr"))
    return "".join(chars)


def form_code_view(text: str) -> str:
    """A checkbox form with its item codes read as blank space (same length): "C1 Perfusion:  [X] Normal" reads
    "   Perfusion:  [X] Normal", so an item's key is the key or header it names. Only in a text with checkboxes
    (``wording.json`` "checkboxes") and at least _FORM_MIN_CODES numbered items; any other text is returned as is
    (a lead name opening a line of prose, "V1 and V2: ...", stays)."""
    boxes = load_wording().checkboxes
    if boxes is None or boxes.box.search(text) is None:
        return text
    codes = list(_FORM_ITEM_CODE.finditer(text))
    if len(codes) < _FORM_MIN_CODES:
        return text
    chars = list(text)
    for m in codes:
        chars[m.start(2) : m.end(2)] = " " * (m.end(2) - m.start(2))
    return "".join(chars)


def checkbox_view(text: str) -> tuple[str, tuple[tuple[int, int, bool], ...]]:
    """The text as its checked boxes state it, of the same length, and its boxes: ``(start, end, checked)``, the
    marker of a checked box, an unchecked box with its item.

    In a checkbox template ("Risk: [ ] Low  [x] Intermediate  [ ] High") a checked box's marker becomes
    blank space and an unchecked box with its item becomes blank space ("Risk:     Intermediate"), so the
    readers of "Key: value" wording read the checked answer. Offsets do not move. The unchecked items' ranges
    (box included) tell ``extraction.assemble`` which concepts of the tokens, made from the text itself, are
    no statement (``wording.json`` "checkboxes"). A line whose last box ends it writes each box after its
    item ("Normal [ ]  Abnormal [x]"). A text without a box is returned as it is.

    The last text's view is kept (``_LAST_CHECKBOX_VIEW``): a verification asks it once per statement of the same
    text (``guardrails.checks._risk_range``), and each ask searched the whole text for a box.
    """
    global _LAST_CHECKBOX_VIEW
    boxes = load_wording().checkboxes
    last = _LAST_CHECKBOX_VIEW
    if last is not None and last[0] is boxes and last[1] == text:
        return last[2]
    view = _checkbox_view(text, boxes)
    _LAST_CHECKBOX_VIEW = (boxes, text, view)  # one tuple, swapped at once (thread-safe)
    return view


# The last text checkbox_view read, with the wording's checkboxes it read it by, and its view.
_LAST_CHECKBOX_VIEW: tuple[Any, str, tuple[str, tuple[tuple[int, int, bool], ...]]] | None = None


def _checkbox_view(text: str, boxes: Any) -> tuple[str, tuple[tuple[int, int, bool], ...]]:
    if boxes is None or boxes.box.search(text) is None:
        return text, ()
    chars = list(text)
    out: list[tuple[int, int, bool]] = []
    found = list(boxes.box.finditer(text))
    for i, m in enumerate(found):
        if m.group("checked") is not None:
            chars[m.start() : m.end()] = " " * (m.end() - m.start())
            out.append((m.start(), m.end(), True))
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        on_line = [b for b in found if line_start <= b.start() < line_end]
        if not text[on_line[-1].end() : line_end].strip():  # the boxes follow their items
            before = [b.end() for b in on_line if b.end() <= m.start()]
            lo = before[-1] if before else line_start
            item = text[lo : m.start()].rstrip()
            gaps = list(_ITEM_START.finditer(item))
            start = lo + (gaps[-1].end() if gaps else 0)
            start += len(text[start : m.start()]) - len(text[start : m.start()].lstrip())
            chars[start : m.end()] = " " * (m.end() - start)
            out.append((start, m.end(), False))
            continue
        limit = found[i + 1].start() if i + 1 < len(found) else len(text)
        pos = m.end() + len(text[m.end() : limit]) - len(text[m.end() : limit].lstrip(" \t"))
        stop = _ITEM_END.search(text, pos, limit)
        end = stop.start() if stop is not None else limit
        end = m.end() + len(text[m.end() : end].rstrip())
        chars[m.start() : end] = " " * (end - m.start())
        out.append((m.start(), end, False))
    return "".join(chars), tuple(out)


# A dot leader between a key at the start of a line and its value ("Reason for Exam .. : SOB", "LVEF.......... 55%",
# "Dose Stress/Rest . : 29.7"): dots (spaced or not) after the key, then the key's separator or, for a leader of
# four dots or more, the value itself. Group "lead" is the leader, "sep" the separator when one is written. A key may
# open with a sign that is a word of it ("% MPHR ...... 93%", "# vessels ...... 2").
_LEADER = re.compile(
    r"(?m)^[ \t]*(?:[%#][ \t]?)?[A-Za-z][^\n.:=]{0,40}?(?P<lead>[ \t]*(?:\.[ \t]?)+?)"
    r"(?:(?P<sep>[:=])|(?<=\.\.\.)|(?<=\.[ \t]\.[ \t]\.))(?=[ \t]*[^\s.:=])"
)
# Leaders of four dots or more on this many lines make the text a dot-leader export: a key that fills its column
# leaves room for a shorter leader there ("LVEF (post-stress) ... 51 %", three dots), which is no ellipsis.
_LEADER_EXPORT_LINES = 3
_LONG_LEADER = 4
_LOWER = re.compile(r"[a-z]")
# What splits a table's row into cells (see layout_view: a row is no wrapped line of prose).
_TABLE_CELL_MARK = re.compile(r"[|\t]")
# A carriage return that ends a line on its own (an old Macintosh text; see line_end_view).
_LONE_CR = re.compile(r"\r(?!\n)")
# A line break inside a statement: a word or a comma before it, a lower-case word (no key) or a comma
# after it, the next line indented or not (see layout_view). Blanks may end the line before the break (a trailing
# space, or a "\r\n" as line_end_view reads it).
_WRAPPED_FIELD = re.compile(r"(?<=[A-Za-z,])[ \t]*(?P<br>\n)(?=[ \t]*(?:[a-z](?![\w/-]*[ \t]*[:=])|,))")
# A section title in square brackets alone on its line ("[RESULTS]", "[ IMPRESSION ]"), as exports write them.
# Three letters at least: a checkbox's mark alone on its line ("[x]") is no title.
_BRACKET_TITLE = re.compile(r"(?m)^[ \t]*(?P<open>\[)[ \t]*[A-Za-z][A-Za-z &/-]{2,40}?[ \t]*(?P<close>\])[ \t]*$")
# A line of a tab-separated export: a key of at most four words at the start of the line, a tab, and one value
# with no tab in it ("WallMotion<TAB>Normal", "Reason<TAB>Pre-op evaluation"). Group "tab" is the separator.
_TAB_KEY_LINE = re.compile(r"(?m)^[ ]*[A-Za-z][\w./()&%-]*(?: [\w./()&%-]+){0,3}(?P<tab>\t)\t*[^\s\t][^\t\n]*$")
# Two-column lines that make a report a tab-separated export (a tab in one line of prose is no layout).
_TAB_EXPORT_LINES = 3
# The blank of a fill-in form, a run of two underscores or more ("Peak HR: __161__ bpm", "Reason: __Chest pain____"):
# layout, not a word (a single underscore joins the words of an export's key, "HR_Rest_bpm").
_FILL_IN_BLANK = re.compile(r"_{2,}")
# Markdown's strong emphasis around a key with its colon ("**Indication:** chest pain", "**Study date:** ..."): the
# asterisks are layout, the key is a header of its own. A title in emphasis alone on its line ("**Indication**")
# is read as such already and keeps its marks.
_STRONG_MARKS = re.compile(r"\*\*(?=[^*\n]{1,40}:\*\*)|(?<=:)\*\*")
# A template's picklist value left in its brackets inside a line, then the prose it qualifies ("[Low] risk",
# "[Abnormal] myocardial perfusion study"): one capitalised word, never a checkbox's mark ("[x] Yes", "[ ] No") nor
# an aside in prose ("stopped [see note] for fatigue").
_PICKLIST_VALUE = re.compile(r"(?<![\w\]])(?P<open>\[)[A-Z][A-Za-z]{1,20}(?P<close>\])(?=[ \t]+[a-z])")
# A template's menu of options left in its brackets, the options apart by slashes ("[normal/abnormal] abnormal",
# "[Tc-99m sestamibi/Tc-99m tetrofosmin] Tc-99m sestamibi", "[is/is not] is reversible"), or its blank ("[__] 1.22"):
# none of its options is the one chosen (that one follows it, or none was), so it reads as blank space. Each option
# begins with a letter or is a blank, so a date or a ratio in brackets ("[03/12/2026]", "[2/17]") is no menu.
_PICKLIST_MENU = re.compile(
    r"\[(?:[ \t]*(?:[A-Za-z][\w .,'%+-]{0,30}?|_*)[ \t]*/){1,8}[ \t]*(?:[A-Za-z][\w .,'%+-]{0,30}?|_*)[ \t]*\]"
    r"|\[[ \t]*_+[ \t]*\](?:%(?=[ \t]*\d))?"  # a blank with its unit before the value filled in ("[__]% 94%")
    # a placeholder that names the field, right after its key's colon ("Indication: [indication] chest pain")
    r"|(?<=:)[ \t]*\[[a-z][a-z ]{2,30}\](?=[ \t]+\S)"
)


def _line_end(text: str, pos: int) -> int:
    """Where the line that holds ``pos`` ends (its line break, or the end of the text)."""
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def line_end_view(text: str) -> str:
    """The text with every line ending read as ``\\n``, of the same length (offsets do not move).

    An export from a hospital information system or a Windows editor ends its lines with ``\\r\\n``, an old
    Macintosh one with a lone ``\\r``: the rules of the pipeline know a line by its ``\\n``. A ``\\r\\n`` reads as a
    blank before the line break (as a trailing space, it ends nothing) and a lone ``\\r`` as the line break. The
    text given back to the caller, and so every span, stays the text as received.
    """
    if "\r" not in text:
        return text  # most reports
    return _LONE_CR.sub("\n", text.replace("\r\n", " \n"))


# A segment of an HL7 v2 message alone on its line ("OBX|3|NM|LVEF^LVEF||58|%|...", "NTE|1||Findings: ..."): a
# segment name of three capitals or digits, then the field separator "|" (see hl7_view).
_HL7_SEGMENT = re.compile(r"(?m)^(?P<name>[A-Z][A-Z0-9]{2})\|")
# Segment lines that make a text an HL7 v2 message: a message header, or results and notes.
_HL7_MIN_SEGMENTS = 3
# OBX value types coded as "code^text^system" (HL7 v2 table 0125): the text component states the value.
_HL7_CODED_TYPES = frozenset({"CE", "CWE", "CNE", "CF", "IS", "ID"})
# OBX value types of free text (TX, FT): the value is a line of the report itself, with its own headers
# ("OBX|17|TX|REPORT^Report text||INDICATION: ..."), not the value of the observation's name.
_HL7_TEXT_TYPES = frozenset({"TX", "FT"})
# The label hl7_view writes before an order's observation date/time (OBR-7), the date the study was done.
_HL7_DATE_LABEL = "Exam date: "


def _hl7_fields(line: str) -> list[tuple[int, str]]:
    """The fields of a segment line with their offsets in the line: ``(start, text)``, the segment name first."""
    out: list[tuple[int, str]] = []
    pos = 0
    for field in line.split("|"):
        out.append((pos, field))
        pos += len(field) + 1
    return out


def _hl7_name(field: str) -> str:
    """The name of an observation (OBX-3): its alternate text where the identifier has one, else its text, else its
    code. A message may code two observations with one standard code whose text is generic and tell them apart by a
    local alternate ("8867-4^Heart rate^LN^HR.PEAK^Peak heart rate^L"): the alternate text is the one that names it."""
    parts = field.split("^")
    if len(parts) > 4 and parts[4].strip():
        return parts[4].strip()
    return _hl7_component(field, True)[1].strip()


# The start of a free-text value that carries its own header ("INDICATION: ...", "Impression - ...").
_HL7_OWN_HEADER = re.compile(r"\s*[A-Za-z][A-Za-z /&]{1,40}(?::|\s-\s)")


def _hl7_component(field: str, coded: bool) -> tuple[int, str]:
    """The part of a field that states it, with its offset in the field: a coded field's text component ("N^No" ->
    "No"), else its first component ("/min", "132/80"); a coded field without a text gives its code."""
    parts = field.split("^")
    if coded and len(parts) > 1 and parts[1].strip():
        return len(parts[0]) + 1, parts[1]
    return 0, parts[0]


def hl7_view(text: str) -> str:
    """An HL7 v2 result message (ORU) read as the key/value report it carries, of the same length (offsets do not move).

    A result (OBX) line reads as its observation's name, a colon, its value and its unit ("OBX|7|NM|HR^Heart rate
    rest||70|/min|||||F" as "  Heart rate rest: 70 /min"): the value keeps its offsets, a coded value reads as its
    text ("N^No" as "  No"), and the name (OBX-3's text, else its code) stands right before it; the other
    fields (reference range, flags, status) are blank. A note (NTE) line reads as its comment, so the free text of a
    wrapped note runs on from line to line. An order (OBR) line reads as its service's name and its observation
    date/time (OBR-7, when the study was done) after a date label; the message header, the patient (PID, with the
    date of birth) and every other segment are blank: none is a statement of the study. Lines that are no segment
    stay as they are. A text with fewer than three segment lines is returned as it is.
    """
    if "|" not in text:
        return text  # most reports
    segments = list(_HL7_SEGMENT.finditer(text))
    if len(segments) < _HL7_MIN_SEGMENTS or not any(m.group("name") in {"OBX", "NTE"} for m in segments):
        return text
    chars = list(text)
    header = text[segments[0].start() : _line_end(text, segments[0].start())]
    # the repetition separator (MSH-2's second character, "~" by default) parts the lines of a free-text value
    repeat = header[5] if header.startswith("MSH|") and len(header) > 5 and header[5] not in "|\n" else "~"
    # a free-text observation whose name recurs carries the report line by line ("REPORT^Report text"): its name is
    # no header; one that occurs once is a named field ("NM.INDICATION^Indication||Chest pain")
    text_ids: dict[str, int] = {}
    for m in segments:
        f = _hl7_fields(text[m.start() : _line_end(text, m.start())])
        if m.group("name") == "OBX" and len(f) > 5 and f[2][1].strip().upper() in _HL7_TEXT_TYPES:
            text_ids[f[3][1].strip()] = text_ids.get(f[3][1].strip(), 0) + 1
    for m in segments:
        start = m.start()
        end = _line_end(text, start)
        line = text[start:end]
        name = m.group("name")
        blank = [" "] * len(line)
        fields = _hl7_fields(line)
        if name == "NTE" and len(fields) > 3:
            at = fields[3][0]
            blank[at:] = line[at:]
        elif name == "OBX" and len(fields) > 5:
            coded = fields[2][1].strip().upper() in _HL7_CODED_TYPES
            key = _hl7_name(fields[3][1])
            for (f_at, field), is_coded in ((fields[5], coded or "^" in fields[5][1]), (fields[6], False))[
                : 2 if len(fields) > 6 else 1
            ]:
                off, part = _hl7_component(field, is_coded)
                blank[f_at + off : f_at + off + len(part)] = part
            at = fields[5][0] + _hl7_component(fields[5][1], coded or "^" in fields[5][1])[0] - len(key) - 2
            if fields[2][1].strip().upper() not in _HL7_TEXT_TYPES:
                if key and at >= 0:
                    blank[at : at + len(key) + 1] = key + ":"  # the name right before its value ("Chest pain: No")
            else:
                f_at, value = fields[5]
                for i, ch in enumerate(value):
                    if ch == repeat:
                        blank[f_at + i] = "\n"  # "1. Normal study.~2. Low risk.": one line each
                own = _HL7_OWN_HEADER.match(value)
                if key and at >= 0 and text_ids.get(fields[3][1].strip(), 0) == 1 and own is None:
                    blank[at : at + len(key) + 1] = key + ":"  # "Indication: Chest pain" (a named free-text field)
        elif name == "OBR" and len(fields) > 7:
            part = _hl7_component(fields[4][1], True)[1].strip()
            blank[: len(part)] = part  # the service's name, as an exam line's ("MPI SPECT MULTIPLE")
            d_at, stamp = fields[7]
            label_at = d_at - len(_HL7_DATE_LABEL)
            if stamp.strip() and label_at >= len(part) + 1:
                blank[label_at:d_at] = _HL7_DATE_LABEL
                blank[d_at : d_at + len(stamp)] = stamp
        chars[start:end] = blank
    return "".join(chars)


# The delimiters of a delimited export's rows (comma, semicolon, tab, vertical bar), the likeliest first.
_ROW_DELIMITERS = (",", ";", "\t", "|")
# A column name of a delimited export's header line: an identifier or a short label ("rest_hr", "LVEF rest (%)").
_COLUMN_NAME = re.compile(r"[A-Za-z][\w .%/()#-]{0,39}")
# A header line names this many columns at least (fewer is a sentence with commas, not an export).
_MIN_COLUMNS = 5


def _delimited_cells(line: str, delimiter: str) -> list[tuple[int, int]]:
    """The cells of one delimited line as ``(start, end)`` offsets in the line, a cell in double quotes without its
    quotes (``"OKONKWO, BEATRICE"`` is one cell), surrounding blanks left out."""
    cells: list[tuple[int, int]] = []
    pos, n = 0, len(line)
    while pos <= n:
        start = pos
        while start < n and line[start] in " \t" and line[start] != delimiter:
            start += 1
        if start < n and line[start] == '"':
            close = line.find('"', start + 1)
            if close < 0:
                return []
            cells.append((start + 1, close))
            pos = line.find(delimiter, close + 1)
            if pos < 0 and line[close + 1 :].strip():
                return []
        else:
            pos = line.find(delimiter, start)
            end = n if pos < 0 else pos
            while end > start and line[end - 1] in " \t":
                end -= 1
            cells.append((start, end))
        if pos < 0:
            break
        pos += 1
    return cells


def export_row(text: str) -> tuple[tuple[int, int], tuple[tuple[str, int, int], ...]] | None:
    """A delimited export's one record: a header line of column names, then one line of values, the same number of
    cells split by the same delimiter ("study_id,exam_date,...,lvef_rest" then "CVI-01,2026-02-18,...,67").

    Gives the block's ``(start, end)`` and, for each non-empty value, its column's name and the value's offsets in
    the text. A value is bound to its column by position, never by the text beside it (the name stands a line
    above). A header followed by several value rows (a list of studies) binds no value: which row is this study's
    is not said. A line of prose is no header: every cell of a header is a short name that starts with a letter.
    """
    if "," not in text and ";" not in text and "\t" not in text and "|" not in text:
        return None
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    for i, (h0, h1) in enumerate(lines[:-1]):
        header = text[h0:h1]
        for delimiter in _ROW_DELIMITERS:
            if header.count(delimiter) < _MIN_COLUMNS - 1:
                continue
            names = _delimited_cells(header, delimiter)
            if len(names) < _MIN_COLUMNS or not all(_COLUMN_NAME.fullmatch(header[a:b]) for a, b in names):
                continue
            r0, r1 = lines[i + 1]
            if text[h1:r0].count("\n") != 1:
                continue  # the values stand on the next line
            row = text[r0:r1]
            cells = _delimited_cells(row, delimiter)
            if len(cells) != len(names):
                continue
            if i + 2 < len(lines) and text[r1 : lines[i + 2][0]].count("\n") == 1:
                nxt = text[lines[i + 2][0] : lines[i + 2][1]]
                if len(_delimited_cells(nxt, delimiter)) == len(names):
                    return None  # several records: none is bound to this study
            bound = tuple((header[a:b], r0 + c, r0 + d) for (a, b), (c, d) in zip(names, cells, strict=True) if d > c)
            measured = sum(any(ch.isdigit() for ch in text[c:d]) for _, c, d in bound)
            if 2 * len(bound) < len(names) or 3 * measured < len(bound):
                continue  # a record fills half its columns at least, a third of them with numbers, dates or codes
            return (h0, r1), bound
    return None


def export_row_view(text: str) -> tuple[str, tuple[tuple[str, str, int, int], ...]]:
    """The text with a delimited export's header and value row blank, of the same length (offsets do not move), and
    the row's values with their column names: ``(name, value, start, end)`` (see ``export_row``).

    A value a line below its name is read by its column (``extraction.assemble``), not by the words around it in the
    text: read as prose, "...,tid,cac" then "CVI-26-00418,..." would give the calcium score the accession number.
    """
    found = export_row(text)
    if found is None:
        return text, ()
    (b0, b1), bound = found
    blank = "".join(c if c == "\n" else " " for c in text[b0:b1])
    return text[:b0] + blank + text[b1:], tuple((name, text[a:b], a, b) for name, a, b in bound)


# A line of an export with no leader and no separator: words at the margin, one blank, then the value.
_UNLED_LINE = re.compile(r"(?m)^[A-Za-z][^\n.:=|\t]*$")


def _full_column_keys(text: str, leaders: list[re.Match[str]]) -> list[int]:
    """The blanks between a key that fills its column and its value in a dot-leader export ("Defect 1 reversibility
    Fixed" among "Modality ............. SPECT" rows): where the value starts at the column where the leaders' values
    start (on most of the export's lines), the one blank before it is the key's separator."""
    columns: dict[int, int] = {}
    for m in leaders:
        if m.group("sep"):
            continue
        line = text.rfind("\n", 0, m.start("lead")) + 1
        value = m.end("lead") + len(text[m.end("lead") :]) - len(text[m.end("lead") :].lstrip(" \t"))
        columns[value - line] = columns.get(value - line, 0) + 1
    if not columns:
        return []
    column, count = max(columns.items(), key=lambda kv: kv[1])
    if count < _LEADER_EXPORT_LINES:
        return []
    out = []
    for m in _UNLED_LINE.finditer(text):
        row = m.group()
        key = row[: column - 1]
        # the key is two words at least ("Defect 1 reversibility"): one word alone may be a value's first word
        blank_then_value = row[column - 1 : column] == " " and row[column : column + 1].strip() != ""
        if blank_then_value and key == key.strip() and len(key.split()) >= 2:
            out.append(m.start() + column - 1)
    return out


def layout_view(text: str) -> str:
    """The text with an export's layout marks made plain, of the same length (offsets do not move).

    Vendor and worklist exports join a key to its value with a dot leader ("Perf Result ...... : ABNORMAL"):
    blank, the key reads as a padded key ("Perf Result        : ABNORMAL", see ``_PaddedHeaders``), and a leader
    without a separator ("LVEF....... 55%") gets a colon right after its key ("LVEF:       55%"). Dots inside a
    line (an ellipsis in prose) are no leader. A section title in brackets alone on its line ("[IMPRESSION]")
    reads as a header (" IMPRESSION:"). In a tab-separated export (three lines or more of a key, a tab and one
    value) the tab after each key reads as its colon ("Impression<TAB>Normal study" as "Impression:Normal study").
    A form's fill-in blank (two underscores or more) reads as blank space ("Peak HR: __161__ bpm"), and so do the
    brackets of a template's picklist value in a line of prose ("[Abnormal] myocardial perfusion study"), and a
    template's menu of options in brackets before the one chosen ("[normal/abnormal] abnormal") with all it holds.
    """
    leader = "..." in text or ". :" in text or ". =" in text
    tabbed = "\t" in text
    # a field hard-wrapped by a record viewer, or a line broken mid-phrase by an export, goes on on the next line
    # ("Patient denies chest\n pain.", "No ST\nchanges.", "in the LCx territory\n, small in extent."): that line
    # break reads as a blank, so a phrase split by it ("chest pain") is still one phrase. Only where it is no
    # sentence boundary anyway: mid-sentence (a word or a comma before it, a lower-case word that is no
    # key or a comma after it), after a line of prose (a lower-case letter in it: a title in capitals is no
    # phrase), and in a text wrapped at a width (no paragraph on one line; see _boundaries). A row of a table (cells
    # split at a vertical bar or tabs) is a line of its own, however it ends or begins ("Location | Extent\nlateral |
    # small").
    wraps = (
        []
        if _LONG_LINE.search(text)
        else [
            m.start("br")
            for m in _WRAPPED_FIELD.finditer(text)
            if _LOWER.search(text, text.rfind("\n", 0, m.start()) + 1, m.start())
            and not _TABLE_CELL_MARK.search(text, text.rfind("\n", 0, m.start()) + 1, _line_end(text, m.end()))
        ]
    )
    blanks = list(_FILL_IN_BLANK.finditer(text)) if "__" in text else []
    blanks += list(_STRONG_MARKS.finditer(text)) if "**" in text else []
    if not leader and not tabbed and "[" not in text and not wraps and not blanks:
        return text  # most reports: nothing to do
    chars: list[str] | None = list(text) if wraps or blanks else None
    for pos in wraps:
        chars[pos] = " "  # type: ignore[index]
    for m in blanks:  # a fill-in blank, an emphasis's asterisks read as blank space ("__72__ bpm" as "  72   bpm")
        chars[m.start() : m.end()] = " " * (m.end() - m.start())  # type: ignore[index]
    keys = [m.start("tab") for m in _TAB_KEY_LINE.finditer(text)] if tabbed else []
    if len(keys) >= _TAB_EXPORT_LINES:
        # a tab-separated export ("LVSize<TAB>Normal"): the tab after each key reads as the key's colon
        chars = list(text)
        for tab in keys:
            chars[tab] = ":"
    leaders = list(_LEADER.finditer(text)) if leader else []
    export = sum(m.group("lead").count(".") >= _LONG_LEADER for m in leaders) >= _LEADER_EXPORT_LINES
    full = _full_column_keys(text, leaders) if export else []
    if full:
        chars = chars if chars is not None else list(text)
        for pos in full:
            chars[pos] = ":"  # "Defect 1 reversibility Fixed" as "Defect 1 reversibility:Fixed"
    for m in leaders:
        lead = m.group("lead")
        if lead.count(".") < (1 if m.group("sep") else 3 if export else _LONG_LEADER):
            continue
        chars = chars if chars is not None else list(text)
        start, end = m.span("lead")
        chars[start:end] = " " * (end - start)
        if not m.group("sep"):
            chars[start] = ":"
    for m in _BRACKET_TITLE.finditer(text):
        chars = chars if chars is not None else list(text)
        chars[m.start("open")] = " "
        chars[m.start("close")] = ":"
    for m in _PICKLIST_VALUE.finditer(text) if "[" in text else ():
        chars = chars if chars is not None else list(text)
        chars[m.start("open")] = " "  # "[Abnormal] myocardial perfusion" reads as " Abnormal  myocardial perfusion"
        chars[m.start("close")] = " "
    for m in _PICKLIST_MENU.finditer(text) if "[" in text else ():
        chars = chars if chars is not None else list(text)
        chars[m.start() : m.end()] = " " * (m.end() - m.start())  # "[normal/abnormal] abnormal": "...  abnormal"
    return text if chars is None else "".join(chars)


# A cell of a table's line: text with single blanks inside, apart from the next by a bar, a tab or two blanks or more.
_TABLE_LINE_CELL = re.compile(r"[^\s|](?:[^\S\n\t|]?[^\s|])*")
# A line that only rules a table ("------  ------", "|---|---|", "+====+").
_RULING_LINE = re.compile(r"[ \t|+:=-]*[-=][ \t|+:=-]*")


# How far a comparison table's head row stands from the margin when it heads no label column of its own.
_HEADLESS_INDENT = 8


def _line_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in _TABLE_LINE_CELL.finditer(text, start, end)]


def _head_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The cells of a line read as a table's head row: a head row over a blank label column ("            Today
    2024") gets an empty first cell at the margin, where the rows' labels stand (an unbarred line only)."""
    cells = _line_cells(text, start, end)
    if cells and "|" not in text[start:end] and cells[0][0] - start >= _HEADLESS_INDENT:
        return [(start, start), *cells]
    return cells


def comparison_view(text: str) -> str:
    """The text with a comparison table read by its current column, of the same length (offsets do not move).

    A follow-up report may set an earlier study's values beside the current one's ("Parameter  Prior 03/16/2021
    Current 03/24/2026", then "METs  10.8  7.9"): each row's cell under the earlier study's head (``wording.json``
    "prior_column_heads") reads as blank space, and the head too, so no reader takes the earlier study's value for
    the study's own. Where the earlier column stands between the row's label and the current column, the label is
    read right before the current cell ("METs   ...   7.9" as "...   METs  7.9"), so the label stays in reach of its
    value. A table without both a prior and a current head (``current_column_heads``) is read as written.
    """
    wording = load_wording()
    prior, current = wording.prior_column_head, wording.current_column_head
    if prior is None or current is None or prior.search(text) is None:
        return text
    chars: list[str] | None = None
    lines = [(m.start(), m.end()) for m in re.finditer(r"(?m)^[^\n]*", text)]
    i = 0
    while i < len(lines):
        l0, l1 = lines[i]
        i += 1
        cells = _head_cells(text, l0, l1)
        barred = "|" in text[l0:l1]
        heads = [k for k, (c0, _) in enumerate(cells) if k > 0 and prior.match(text, c0) is not None]
        nows = [k for k, (c0, _) in enumerate(cells) if k > 0 and current.match(text, c0) is not None]
        if len(heads) != 1 or len(nows) != 1 or len(cells) < 3:
            continue
        p_head = cells[heads[0]]
        chars = chars if chars is not None else list(text)
        chars[p_head[0] : p_head[1]] = " " * (p_head[1] - p_head[0])
        starts = [c0 for c0, _ in cells]
        while i < len(lines):
            r0, r1 = lines[i]
            if not text[r0:r1].strip():
                break  # a blank line ends the table
            i += 1
            if _RULING_LINE.fullmatch(text, r0, r1):
                continue
            row = _line_cells(text, r0, r1)
            if barred:
                cols = list(range(len(row))) if len(row) == len(cells) else []
            else:  # a padded table: a cell is in the column whose head starts nearest to it
                cols = [min(range(len(starts)), key=lambda k: abs(starts[k] - l0 - (c0 - r0))) for c0, _ in row]
            if not cols:
                continue
            label = [cell for cell, col in zip(row, cols, strict=True) if col == 0]
            now = [cell for cell, col in zip(row, cols, strict=True) if col == nows[0]]
            for (c0, c1), col in zip(row, cols, strict=True):
                if col == heads[0]:
                    chars[c0:c1] = " " * (c1 - c0)
            if barred or len(label) != 1 or len(now) != 1 or heads[0] > nows[0]:
                continue
            (a0, a1), n0 = label[0], now[0][0]
            at = n0 - 2 - (a1 - a0)
            if at > a1:  # the label moves up to its current cell ("METs  7.9")
                moved = text[a0:a1]
                chars[a0:a1] = " " * (a1 - a0)
                chars[at : at + len(moved)] = list(moved)
    return text if chars is None else "".join(chars)


def current_column_tables(text: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` of each table read by its current column in ``text`` as comparison_view leaves it: a
    head line with one current study's head (``wording.json`` "current_column_heads", "CURRENT (11/03/2026)") and
    no earlier study's head left, through the rows under it up to a blank line, no row with more cells than heads.
    Its values are the study's own, though the table stands under a "COMPARISON:" header (the earlier column has
    been read as blank space); a line that still has an earlier study's head (two of them, a barred table) is no
    such table."""
    wording = load_wording()
    prior, current = wording.prior_column_head, wording.current_column_head
    if prior is None or current is None or current.search(text) is None:
        return []
    found: list[tuple[int, int]] = []
    lines = [(m.start(), m.end()) for m in re.finditer(r"(?m)^[^\n]*", text)]
    i = 0
    while i < len(lines):
        l0, l1 = lines[i]
        i += 1
        cells = _head_cells(text, l0, l1)
        if "|" in text[l0:l1] or not cells:
            continue
        nows = [k for k, (c0, _) in enumerate(cells) if k > 0 and current.match(text, c0) is not None]
        if len(nows) != 1 or any(prior.match(text, c0) is not None for c0, _ in cells[1:]):
            continue
        end, widest = l1, 0
        while i < len(lines) and text[lines[i][0] : lines[i][1]].strip():
            end = lines[i][1]
            widest = max(widest, len(_line_cells(text, *lines[i])))
            i += 1
        if end > l1 and widest <= len(cells):  # a row with more cells than heads has a column of no current head
            found.append((l0, end))
    return found


# A word a scan split with a hyphen at the end of its line ("infarc-\ntion", "ISCH-\nEMIA"): its head, the hyphen, the
# line break (blanks around it), its tail.
_LINE_END_HYPHEN = re.compile(r"(?<![\w-])(?P<head>[A-Za-z]{2,})-[ \t]*\n[ \t]*(?P<tail>[A-Za-z]{2,})(?![\w-])")


def hyphen_view(text: str) -> tuple[str, tuple[tuple[int, str], ...]]:
    """The text with each word a scan or a typesetter split across a line break with a hyphen read whole, of the same
    length, and the characters changed (``(offset, character as written)``, as ocr_view's repairs).

    An outside report pasted through OCR keeps the line breaks of its page, and the words hyphenated at them ("Wall
    motion is nor-\nmal", "No evidence of prior infarc-\ntion"): the head and the tail are no words of any rule. Where
    they join into a word of the rule files (``_rule_vocabulary``) or of ``wording.json`` "ocr_confusions"
    hyphen_words, written in one case ("isch-\nemia", "ISCH-\nEMIA"), the tail moves up to the head and the hyphen
    and the line break read as blank space after the word ("normal  "). A compound hyphenated anyway ("stress-\nonly")
    joins into no such word and stays as written."""
    if "-\n" not in text and "- \n" not in text:
        return text, ()
    conf = load_wording().ocr_confusions
    words = _rule_vocabulary() | (conf.hyphen_words if conf is not None else frozenset())
    chars: list[str] | None = None
    for m in _LINE_END_HYPHEN.finditer(text):
        head, tail = m.group("head"), m.group("tail")
        if not (tail.islower() or (head.isupper() and tail.isupper())):
            continue
        if (head + tail).lower() not in words:
            continue
        chars = chars if chars is not None else list(text)
        gap = m.start("tail") - m.end("head")
        chars[m.end("head") : m.end()] = list(tail) + [" "] * gap
    return _changed(text, chars)


def hyphen_joins(doc: Doc) -> tuple[tuple[int, int], ...]:
    """The words of a Doc that hyphen_view read whole: ``(start, end)`` of each as written, hyphen and line break
    included ("nor-\nmal"), so that a value quoted up to the word ends where its tail ends."""
    view = doc_text(doc)
    if (
        "-\n" not in view
        and "- \n" not in view
        and not (doc.has_extension(OCR_EXTENSION) and getattr(doc._, OCR_EXTENSION))
    ):
        return ()
    text = as_written(doc, 0, len(view), view)
    if text == view:
        return ()
    out = []
    for m in _LINE_END_HYPHEN.finditer(text):
        tail = m.group("tail")
        if (
            view[m.end("head") : m.end("head") + len(tail)] == tail
            and view[m.start() : m.start() + 1] == text[m.start()]
        ):
            out.append((m.start(), m.end()))
    return tuple(out)


# A run of ocr_view: letters and digits, with the separators of numbers, dates and times inside it.
# A capital letter after a lower-case one, as OCR writes "I" for "l" in "normaI", "waIl motion".
_OCR_CAPITAL_INSIDE = re.compile(r"[a-z][A-Z]")
_OCR_RUN = re.compile(r"(?<![\w.,/:])[A-Za-z0-9](?:[A-Za-z0-9]|[.,/:](?=[A-Za-z0-9]))*(?![\w])")
# What a run must read as once its letters are digits: a number, a decimal, a ratio, a time or a date.
_OCR_NUMBER = re.compile(r"\d{1,4}(?:[.,:/]\d{1,4}){0,2}")
# A capital letter before digits alone is the shape of a name, not of a garbled number: "O2", "I131", "V1".
_OCR_NAME_SHAPE = re.compile(r"[A-Z]\d+")
# The most letter readings of one word tried (each confusable digit of it doubles them).
_OCR_MAX_READINGS = 16


@functools.cache
def _rule_phrases() -> frozenset[str]:
    """The concept phrases and section headers of the rule files, lower-case, blanks folded."""
    phrases = {" ".join(p.lower().split()) for concept in load_concepts() for p in concept.phrases}
    phrases.update(" ".join(h.lower().split()) for spec in load_sections() for h in spec.headers)
    return frozenset(phrases)


@functools.cache
def _rule_vocabulary() -> frozenset[str]:
    """The lower-case words of the rule files (concept phrases and pattern words, section headers, ConText cues)
    and of ``ocr_confusions`` "words": the words ocr_view may repair a word into."""
    words: set[str] = set()
    for concept in load_concepts():
        for phrase in concept.phrases:
            words.update(re.findall(r"[a-z]+", phrase.lower()))
        for pattern in concept.patterns:
            for token in pattern:
                for w in _lower_words(token) or ():
                    words.update(re.findall(r"[a-z]+", w))
    for spec in load_sections():
        for header in spec.headers:
            words.update(re.findall(r"[a-z]+", header.lower()))
    for rule in load_context().rules:
        words.update(re.findall(r"[a-z]+", str(rule["literal"]).lower()))
    conf = load_wording().ocr_confusions
    if conf is not None:
        words |= conf.words
    return frozenset(words)


def ocr_view(text: str) -> tuple[str, tuple[tuple[int, str], ...]]:
    """The text with the digit/letter confusions of OCR repaired, of the same length, and the repairs made:
    ``(offset, character as written)``.

    Faxed and scanned reports write "6O%", "l42", "ll8/76", "O9/l7/2025", "norma1 wa11 motion". A run that mixes
    digits with the letters of ``wording.json`` "ocr_confusions" in_numbers and holds a true digit becomes a
    number where each of those letters read as its digit makes one (a number, a decimal, a ratio, a time, a
    date); a run of letters with confusable digits among them becomes a word only where a
    reading of each digit as one of its in_words letters is a word of the rule files (``_rule_vocabulary``), so
    "Tc99m", "V1", "HbA1c" and identifiers stay as written. A text that mixes no digit with a letter is
    returned as it is.
    """
    conf = load_wording().ocr_confusions
    if conf is None:
        return text, ()
    hits = sorted({hit.start() for candidates in _ocr_candidates() for hit in candidates.finditer(text)})
    if not hits:
        return text, ()
    chars: list[str] | None = None
    repairs: list[tuple[int, str]] = []
    done = -1
    for at in hits:
        if at < done:
            continue  # inside the run already read
        s = at
        while s > 0 and text[s - 1] in _RUN_CHARS:
            s -= 1
        m = _OCR_RUN.match(text, s)
        while m is not None and m.end() <= at:
            m = _OCR_RUN.search(text, m.end(), at + 2)  # "5/l.": a separator run before the hit's own
        if m is None or m.start() > at:
            continue
        done = m.end()
        repaired = _ocr_repaired(m.group(), conf)
        if repaired is not None:
            chars = chars if chars is not None else list(text)
            _repair(chars, repairs, m.start(), m.group(), repaired)
    if chars is not None and sum(1 for _, was in repairs if was in conf.in_numbers) >= _OCR_MIN_NUMBER_REPAIRS:
        # a text OCR garbled numbers in: a lone small "l" as a label's value ("SDS l.") is the digit one
        for lone in _OCR_LONE_ONE.finditer(text):
            _repair(chars, repairs, lone.start(1), "l", "1")
        repairs.sort()
    return (text, ()) if chars is None else ("".join(chars), tuple(repairs))


# A lone small "l" after a label in capitals ("SDS l.", "SRS: l,"), the whole value: in a text whose numbers OCR
# garbled elsewhere (at least _OCR_MIN_NUMBER_REPAIRS letters read as digits), the digit one. Never after a number
# ("2 l" is a litre) nor inside a word.
_OCR_LONE_ONE = re.compile(r"(?m)(?<![\w])[A-Z]{2,6}[ \t]*[:=]?[ \t]*(l)(?=[ \t]*(?:[.,;)]|$))")
_OCR_MIN_NUMBER_REPAIRS = 3


# The characters of a run of ocr_view (letters, digits and the separators inside numbers).
_RUN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.,/:")


@functools.cache
def _ocr_candidates() -> tuple[re.Pattern[str], ...]:
    """Where a confusion may stand: a confusable letter beside a digit (a separator between them or not), a
    confusable digit beside a letter, a confusable capital after a lower-case letter. Most reports hold none.
    One pattern each, opening with its rarer character: the regular expression engine scans for a pattern's
    first character set quickly, and not for an alternation's."""
    conf = load_wording().ocr_confusions
    if conf is None:
        return ()
    letters = "".join(re.escape(c) for c in conf.in_numbers)
    digits = "".join(re.escape(c) for c in conf.in_words if c.isdigit())
    capitals = "".join(re.escape(c) for c in conf.in_words if c.isupper())
    parts = [f"[0-9][.,:/]?[{letters}]", f"[{letters}][.,:/]?[0-9]"] if letters else []
    if digits:
        parts += [f"[{digits}](?<=[A-Za-z][{digits}])", f"[{digits}][A-Za-z]"]
    if capitals:
        parts.append(f"[{capitals}](?<=[a-z][{capitals}])")
    lowers = "".join(re.escape(c) for c in conf.in_words if c.islower())
    if lowers:
        # "SESTAMlBl", "lMPRESSlON": a lower-case letter written for a capital inside a word in capitals
        parts += [f"[{lowers}](?<=[A-Z][{lowers}])", f"[{lowers}][A-Z]"]
    return tuple(re.compile(p) for p in parts)


def _lower_in_capitals(run: str, conf: Any) -> bool:
    """A word in capitals with confusable lower-case letters of in_words among them ("TlD", "MYOCARDlAL")."""
    others = [c for c in run if c.isalpha() and not (c.islower() and c in conf.in_words)]
    return len(others) >= 2 and len(others) < len(run) and all(c.isupper() for c in others)


def _ocr_repaired(run: str, conf: Any) -> str | None:
    """The run as meant (see ocr_view), or None when it stays as written."""
    vocabulary = _rule_vocabulary()
    if not any(c.isdigit() for c in run):
        # "normaI": a capital among lower-case letters, read as the letter it stands for
        if _OCR_CAPITAL_INSIDE.search(run) and run.lower() not in vocabulary:
            return _ocr_word(run, conf, vocabulary)
        if _lower_in_capitals(run, conf):
            return _ocr_word(run, conf, vocabulary)
        return None
    if not any(c.isalpha() for c in run):
        return None
    as_number = "".join(conf.in_numbers.get(c, c) for c in run)
    if _OCR_NUMBER.fullmatch(as_number) and not _OCR_NAME_SHAPE.fullmatch(run):
        return as_number
    return _ocr_word(run, conf, vocabulary)


def _repair(chars: list[str], repairs: list[tuple[int, str]], start: int, run: str, repaired: str) -> None:
    for i, (was, now) in enumerate(zip(run, repaired, strict=True)):
        if was != now:
            chars[start + i] = now
            repairs.append((start + i, was))


def _ocr_word(run: str, conf: Any, vocabulary: frozenset[str]) -> str | None:
    """``run`` with each confusable character read as a letter, when one reading is a word of ``vocabulary``: a
    digit as one of its letters, a capital of in_words after a lower-case letter as its own or as its letters."""
    if not all(c.isalpha() or c in conf.in_words for c in run):
        return None
    if len(run) < conf.min_word_length:
        # a short word ("N0 chest pain") only into one of "short_words" (a negation), never into the vocabulary
        if not conf.short_words or len(run) < 2 or not any(c.isalpha() for c in run):
            return None
        vocabulary = conf.short_words
    letters = [c for c in run if c.isalpha()]
    upper = len(letters) > 1 and all(c.isupper() for c in letters)
    in_capitals = _lower_in_capitals(run, conf)
    options = []
    for i, c in enumerate(run):
        if c.isdigit():
            options.append(conf.in_words.get(c, c))
        elif c in conf.in_words and c.isupper() and i and run[i - 1].islower():
            options.append(c + conf.in_words[c])  # "normaI": the capital, or the letter it may stand for
        elif c in conf.in_words and c.islower() and in_capitals:
            options.append(c + conf.in_words[c])  # "SESTAMlBl": the small letter, or the capital it stands for
        else:
            options.append(c)
    if math.prod(len(o) for o in options) > _OCR_MAX_READINGS:
        return None
    for reading in itertools.product(*options):
        word = "".join(reading)
        if word.lower() in vocabulary:
            return word.upper() if upper else word
    return None


# A word of a dictation (see dictation_view); a sentence mark that ends a statement.
_DICTATED_WORD = re.compile(r"[A-Za-z][\w'-]*")
_SENTENCE_MARK = re.compile(r"[.!?;:](?=\s|$)")
_WORD_BEFORE_AT = re.compile(r"([A-Za-z][\w'-]*)\s+$")


def _unpunctuated(text: str, conf: Any) -> bool:
    """Whether ``text`` is a dictation no one punctuated (``wording.json`` "dictation")."""
    words = sum(1 for _ in _DICTATED_WORD.finditer(text))
    if words < conf.min_words:
        return False
    return len(_SENTENCE_MARK.findall(text)) * 100 < words * conf.max_marks_per_100_words


def _word_before(text: str, pos: int) -> str:
    m = _WORD_BEFORE_AT.search(text, max(0, pos - 40), pos)
    return m.group(1).lower() if m else ""


def dictation_view(text: str) -> tuple[str, tuple[tuple[int, str], ...], tuple[int, ...]]:
    """An unpunctuated speech-recognition dictation read as punctuated, of the same length: the text, the characters
    changed (``(offset, character as written)``, as ocr_view's repairs) and the offsets where a clause starts.

    A recogniser writes what was said: the punctuation its speaker dictated as words ("... changes period new
    paragraph the images show ...") and no mark where none was said, so one statement would run from the first word
    to the last and a denial ("know chest pain", the homophone of "no") would reach the next clause's finding. In a
    text of ``wording.json`` "dictation" min_words words or more with almost no sentence mark, the words said for a
    mark read as the mark, a clause that opens with its own subject and verb ("there is", "the left ventricle is")
    starts a statement, and a header word that opens a passage ("... perfusion study impression normal study", or at a
    line's start, "indication chest pressure ...") reads as a header ("impression:"). Any other text is returned as
    it is.
    """
    conf = load_wording().dictation
    if conf is None:
        return text, (), ()
    chars = _homophones_read(text, conf)
    chars = _self_corrections_read(text, conf, chars)
    if not _unpunctuated(text, conf):
        return (*_changed(text, _sentence_headers(text, conf, _marks_said_and_written(text, conf, chars))), ())
    chars = chars if chars is not None else list(text)
    breaks: list[int] = []
    for mark, pattern in conf.spoken_marks:
        for m in pattern.finditer(text):
            if _word_before(text, m.start()) in conf.not_a_mark_before:
                continue  # "the recovery period", "a new line of ...": a word of the statement
            filled = (mark + " " * (m.end() - m.start()))[: m.end() - m.start()]
            chars[m.start() : m.end()] = list(filled)
            breaks.append(m.end())
    for m in _DICTATED_WORD.finditer(text):
        word = m.group().lower()
        if word not in conf.headers or m.start() < 2 or text[m.start() - 1] not in " \n":
            continue  # a header word said at a line's start opens its passage as one said after a blank does
        if text[m.end() : m.end() + 1] != " ":
            continue
        after = _DICTATED_WORD.match(text, m.end() + 1)
        if after is None or not after.group()[0].islower() or after.group().lower() in conf.not_a_header_before:
            continue  # "impression is ...", "findings of ...": a word of the sentence, not a header
        if _word_before(text, m.start()) in conf.not_a_header_after:
            continue  # "the impression", "clinical indication" as a word of the sentence
        chars[m.start() - 1] = "\n"
        chars[m.end()] = ":"
        breaks.append(m.start())
    breaks += _clause_breaks(text, "".join(chars), conf, breaks)
    return (*_changed(text, chars), tuple(sorted(set(breaks))))


# What a sentence starts after (for a self-correction's reach): a sentence mark before a blank, or a line break.
_SENTENCE_START_BEFORE = re.compile(r"[.!?;:](?=\s)|\n")
_CLAUSE_COMMA = re.compile(r",[ \t]*")
# A run of numbers as digits or words ("fifty four", "8.5", "seven"), with what joins number words ("and", "point").
_NUMBER_RUN = re.compile(rf"(?:{NUMBER_RE.pattern})(?:[ \t-]+(?:and|point|oh|{NUMBER_RE.pattern}))*", re.IGNORECASE)


def _self_corrections_read(text: str, conf: Any, chars: list[str] | None) -> list[str] | None:
    """The characters of ``text`` with each spoken self-correction read as its correction (``wording.json``
    "dictation" self_corrections, in any text: a recogniser writes what was said, a typist may too): "for seven
    minutes, correction, eight minutes" reads as "for   ...   eight minutes", "in the inferior wall, scratch that, the
    inferolateral wall" as "in   ...   the inferolateral wall". What is retracted runs back from the cue to what the
    correction replaces, in the same sentence: a number (digits or words) where the correction opens with a
    number, else the last word before the cue that the correction opens with ("low risk, correction, low to
    intermediate risk"), or where none does what was said since the last comma ("high risk, correction, intermediate
    risk")."""
    pattern = conf.self_correction
    if pattern is None:
        return chars
    for m in pattern.finditer(text):
        opener = _DICTATED_WORD.match(text, m.end()) or _NUMBER_RUN.match(text, m.end())
        if opener is None:
            continue
        sentence = max((b.end() for b in _SENTENCE_START_BEFORE.finditer(text, 0, m.start())), default=0)
        start = m.start()
        if _NUMBER_RUN.match(text, m.end()) is not None:
            runs = list(_NUMBER_RUN.finditer(text, sentence, m.start()))
            start = runs[-1].start() if runs else start
        else:
            word = re.compile(rf"(?<![\w-]){re.escape(opener.group())}(?![\w-])", re.IGNORECASE)
            same = list(word.finditer(text, sentence, m.start()))
            # else what was said since the last comma ("high risk, correction, intermediate risk")
            clause = max((c.end() for c in _CLAUSE_COMMA.finditer(text, sentence, m.start())), default=sentence)
            start = same[-1].start() if same else clause
        chars = chars if chars is not None else list(text)
        chars[start : m.end()] = " " * (m.end() - start)
    return chars


def _marks_said_and_written(text: str, conf: Any, chars: list[str] | None) -> list[str] | None:
    """A punctuated dictation that also writes the mark its speaker said ("chest discomfort, period. Paragraph."): the
    word said for a mark after a comma and right before a written mark (or the end of the line) reads as blank space,
    so no value quoted before it takes it in."""
    for _mark, pattern in conf.spoken_marks:
        for m in pattern.finditer(text):
            if text[max(0, m.start() - 2) : m.start()] != ", " or not _MARK_AFTER.match(text, m.end()):
                continue
            chars = chars if chars is not None else list(text)
            chars[m.start() : m.end()] = " " * (m.end() - m.start())
    return chars


_MARK_AFTER = re.compile(r"[ \t]*(?:[.!?;]|\n|$)")


def _sentence_headers(text: str, conf: Any, chars: list[str] | None) -> list[str] | None:
    """A punctuated dictation without headers ("... ratio is 1.06. Impression normal regadenoson study with ..."): a
    header word written with a capital right after a sentence mark, then a word of the passage it opens, reads as
    its header ("impression:"), where the report writes no header of that word with a colon (a dictation's
    headers are said, not typed): not in a report that types a header at the start of a line, nor in a text shorter
    than a dictation (``min_words``: a physician's impression of a few sentences)."""
    if _TYPED_HEADER.search(text) or sum(1 for _ in _DICTATED_WORD.finditer(text)) < conf.min_words:
        return chars
    for m in _DICTATED_WORD.finditer(text):
        word = m.group().lower()
        if word not in conf.headers or not m.group()[0].isupper() or m.start() < 2:
            continue
        # the header said as a sentence of its own, its mark written by the recogniser ("... 1.01. Impression. Number
        # one, mildly abnormal study"), or said before the passage it opens
        alone = text[m.end() : m.end() + 2] == ". "
        if text[m.start() - 1] not in " \n" or (text[m.end() : m.end() + 1] != " " and not alone):
            continue
        if text[m.start() - 1] == "\n" and not alone:
            continue  # a line that opens with the word goes on with its sentence ("Findings show ...")
        if text[m.start() - 1] == " " and not _SENTENCE_BEFORE.search(text, max(0, m.start() - 4), m.start()):
            continue
        after = _DICTATED_WORD.match(text, m.end() + (2 if alone else 1))
        if after is None or after.group().lower() in conf.not_a_header_before:
            continue  # "Impression is ...", "Findings of ...": a word of the sentence
        if re.search(rf"\b{word}\s*:", text, re.I):
            continue  # the report types its headers: a word that opens a sentence is a word of it
        chars = chars if chars is not None else list(text)
        chars[m.start() - 1] = "\n"
        chars[m.end()] = ":"
    return chars


_SENTENCE_BEFORE = re.compile(r"[.!?][ \t]+\Z")
_TYPED_HEADER = re.compile(r"^[ \t]*[A-Za-z][A-Za-z /&()-]{1,40}:", re.M)


# Where a statement of a dictation's view ends for sure: a line break or a sentence mark.
_STATEMENT_END = re.compile(r"\n|[.!?;:](?=\s)")


def _clause_breaks(text: str, view: str, conf: Any, bounds: list[int]) -> list[int]:
    """The starts of the clauses of ``conf.clause_start`` that start a statement of their own: not after a word that
    cannot end one ("of the patient"), nor as the main clause after an introductory one that opens its statement
    ("compared to the prior study there is no change": the comparison is that clause's)."""
    out: list[int] = []
    hard = sorted({*bounds, *(m.end() for m in _STATEMENT_END.finditer(view))})
    last = 0
    for m in conf.clause_start.finditer(text):
        at = m.start()
        if _DANGLING_WORD.search(text, max(0, at - 8), at):
            continue
        i = bisect.bisect_right(hard, at)
        start = max(last, hard[i - 1] if i else 0)
        opener = _DICTATED_WORD.search(view, start, at)
        last = at
        if opener is not None and opener.group().lower() in conf.introductory_openers:
            continue
        out.append(at)
    return out


def _changed(text: str, chars: list[str] | None) -> tuple[str, tuple[tuple[int, str], ...]]:
    if chars is None:
        return text, ()
    view = "".join(chars)
    return view, tuple((i, c) for i, c in enumerate(text) if view[i] != c)


def _homophones_read(text: str, conf: Any) -> list[str] | None:
    """The characters of ``text`` with each homophone of ``wording.json`` "dictation" read as the word meant ("there
    are know prior studies" as "there are   no prior studies"), or None when none is."""
    chars: list[str] | None = None
    lower = text.lower()
    for meant, written, not_after, not_before in conf.homophones:
        at = lower.find(written)
        while at >= 0:
            end = at + len(written)
            whole = (at == 0 or not lower[at - 1].isalnum()) and (end == len(text) or not lower[end].isalnum())
            after = _DICTATED_WORD.match(lower, end + 1) if lower[end : end + 1] == " " else None
            verb = _word_before(lower, at) in not_after or (after is not None and after.group() in not_before)
            if whole and not verb:
                chars = chars if chars is not None else list(text)
                pad = len(written) - len(meant)
                cased = meant.upper() if text[at:end].isupper() else meant
                # a word written split ("L V" for "LV") keeps its first letter where it stands: the blanks go after it
                split = written.replace(" ", "") == meant.lower()
                chars[at:end] = list(cased + " " * pad if split else " " * pad + cased)
            at = lower.find(written, end)
    return chars


def as_written(doc: Doc, start: int, end: int, text: str) -> str:
    """``text``, the Doc's text from ``start`` to ``end``, with the characters ocr_view repaired there as written:
    free text is quoted, never corrected."""
    repairs = getattr(doc._, OCR_EXTENSION) if doc.has_extension(OCR_EXTENSION) else None
    if not repairs:
        return text
    chars = list(text)
    for pos, was in repairs:
        if start <= pos < end:
            chars[pos - start] = was
    return "".join(chars)


def checkboxes(doc: Doc) -> tuple[tuple[int, int, bool], ...]:
    """The checkboxes of a Doc made by the pipeline: ``(start, end, checked)`` (see checkbox_view)."""
    found = getattr(doc._, BOXES_EXTENSION) if doc.has_extension(BOXES_EXTENSION) else None
    return found or ()


def doc_text(doc: Doc) -> str:
    """The text of a Doc made by the pipeline's tokenizer (kept on the Doc; ``doc.text`` otherwise)."""
    text = getattr(doc._, TEXT_EXTENSION) if doc.has_extension(TEXT_EXTENSION) else None
    return text if text is not None else doc.text


def _token_section(token: Any) -> Any:
    """The section of a token, read from ``doc._.sections`` (what medspaCy's ``Token._.section`` holds)."""
    found = None
    i = token.i
    for section in token.doc._.sections:
        if section.title_start <= i < section.body_end:
            found = section
    return found


def _derive_token_sections() -> None:
    """Make medspaCy's ``Token._.section`` a getter over ``doc._.sections``.

    The sectionizer assigns ``token._.section`` to every token of every section, each assignment an
    entry in ``doc.user_data`` (about 0.15 ms a report); the getter gives the same section on
    demand, so the sectionizer's assignments are dropped.
    """
    from spacy.tokens import Token

    Token.set_extension("section", getter=_token_section, setter=lambda token, value: None, force=True)


def _section_rules() -> list[Any]:
    from medspacy.section_detection import SectionRule

    # Phrase rules only (PhraseMatcher): a token pattern makes spaCy's Matcher visit every token.
    rules: list[Any] = []
    for spec in load_sections():
        for header in spec.headers:
            # "HEADER:", and HEADER alone on its line (all-caps legacy reports)
            rules.append(SectionRule(f"{header}:", spec.category, max_scope=spec.max_scope))
            rules.append(SectionRule(f"{header}=", spec.category, max_scope=spec.max_scope))
            rules.append(SectionRule(f"{header}\n", spec.category, max_scope=spec.max_scope))
            if spec.category in _PAREN_CATEGORIES:
                # "PRIOR STUDY (02/11/2020):" -- the parenthesis stays in the section body.
                rules.append(SectionRule(f"{header} (", spec.category, max_scope=spec.max_scope))
            if spec.category == "addendum":
                # "ADDENDUM #2:" / "Addendum 1:" as phrases: the tokenizer splits "#2" into "#" and "2",
                # and one token pattern would run spaCy's Matcher over every token of every report.
                for n in range(1, _MAX_ADDENDUM_NUMBER + 1):
                    for numbered in (f"{header} #{n}", f"{header} {n}"):
                        rules.append(SectionRule(f"{numbered}:", spec.category, max_scope=spec.max_scope))
                        rules.append(SectionRule(f"{numbered}\n", spec.category, max_scope=spec.max_scope))
    return rules


# The item number of a vendor key written once per item ("Impression_1", "Conclusion 2"): the item belongs to the
# section its bare key names.
_KEY_ITEM_NUMBER = re.compile(r"(?<=[A-Za-z])[_ \t]\d{1,2}$")
_NUMBERED_KEY = re.compile(r"[A-Za-z][_ \t]\d{1,2}[ \t]*[:=]")


# A key padded with spaces before its colon or equals sign, at the start of a line: vendor exports align
# their keys in a column ("Summary     : Normal study", "Reason  = chest pain"). The spaces are a token of
# their own, so the phrase "summary:" does not match them. A key may also write a word as a digit between
# its camel-case words ("Reason4Test : ...": reason for test).
_PADDED_KEY = re.compile(r"(?m)^[ \t]*(?P<key>[A-Za-z][\w ./&-]{0,40}?)(?P<pad>[ \t]*)(?P<sep>[:=])")
# Inside a vendor key: a digit that stands for a word between two words ("Reason4Test": reason for test).
_KEY_DIGIT_WORD = re.compile(r"(?<=[a-z])(?P<d>[42])(?=[A-Z])")
_DIGIT_WORDS = {"4": " for ", "2": " to "}
_PADDED_OR_DIGIT_KEY = re.compile(r"(?m)[ \t]{2}[:=]|[a-z][42][A-Z]|^[ \t]*[A-Za-z]+_[A-Za-z_]+[ \t]*[:=]")
# A key written as an identifier, its words joined by underscores ("REASON_FOR_EXAM=", "Clinical_History:"): the
# header its words name.
_UNDERSCORE_KEY = re.compile(r"[A-Za-z]+(?:_[A-Za-z]+)+")
# A heading marked as a pasted markdown or wiki heading ("## Impression", "### Findings:").
_HASH_KEY = re.compile(r"(?m)^[ \t]*(?P<rule>#{1,6})[ \t]+(?P<key>[A-Za-z][A-Za-z /&']{1,40}?)[ \t]*:?[ \t]*(?=\n)")
# The sections an identifier key opens: those whose value is free text (the reason, the reader's comment). A key
# of a measured or graded item ("ECG_Response: NEGATIVE") stays with its value in one statement.
_FREE_TEXT_KEYS = frozenset({"indication", "medical_history", "impression", "comparison", "patient", "addendum"})
# The sections whose items an export writes as keys of their own after the header's words ("Impression_Risk:").
_VERDICT_BLOCKS = frozenset({"impression"})
# A header alone on its line between rules or in brackets, as exports and templates set off a block
# ("--- READER COMMENT ---", "=== IMPRESSION ===", "[Findings]"): the header its words name.
_RULED_KEY = re.compile(
    r"(?m)^[ \t]*(?P<rule>[-=*#~]{2,}|\[)[ \t]*(?P<key>[A-Za-z][A-Za-z /&']{1,40}?)"
    r"(?:[ \t]*[-=*#~]{2,}|[ \t]*\])[ \t]*$"
)
# A header in capitals at the start of a paragraph, then prose in lower case on the same line, without a colon: a
# dictation's "HISTORY sixty one year old ...", "FINDINGS there is ...". Four letters at least: an acronym
# opening a sentence ("ECG was normal") is no header; and a line inside a paragraph ("IMPRESSION:" then "SPECT
# images show ...") goes on with its section. A one-paragraph note opens its verdict the same way after a clause of
# prose in lower case ("... so the rest dose was not given; IMPRESSION normal study"), or after a comma where a
# dictation splices its paragraphs into one ("..., TID 1.02, IMPRESSION normal study").
_CAPS_KEY = re.compile(
    r"(?:\A|\n[ \t]*\n|(?<=[a-z0-9)%][.;,])[ \t]+)[ \t]*(?P<key>[A-Z]{4,}(?:[ /&][A-Z]+){0,3})[ \t](?=[a-z])"
)

# A header alone on its line at the margin, its rows indented below it (a form's "PERFUSION" then "  [x] Normal"): the
# line break and the indent are one token, so the phrase rule "perfusion\n" does not match it.
_ALONE_KEY = re.compile(r"(?m)^(?P<key>[A-Za-z][A-Za-z /&]{1,40}?)[ \t]*(?=\n[ \t]+\S)")

# The headers of _CAPS_KEY that follow a comma: medspaCy's start-of-line filter (_HEADER_START) drops them, the
# sectionizer keeps them (see _unassigning_sectionizer).
_SPLICED_CAPS_KEY = re.compile(r"(?<=[a-z0-9)%],)[ \t]+(?P<key>[A-Z]{4,}(?:[ /&][A-Z]+){0,3})[ \t](?=[a-z])")


# A header in two languages at the start of a line, a slash between its names, then its colon or the end of the line.
_BILINGUAL_KEY = re.compile(
    r"(?m)^[ \t]*(?P<key>[A-Za-z][A-Za-z' ]{1,30}?)[ \t]+/[ \t]+(?P<other>[^\W\d_](?:[^\W\d_]|[ '’-]){0,30}?)"
    r"(?:[ \t]*:|[ \t]*$)"
)


class _PaddedHeaders:
    """The sectionizer's matcher, with the section headers of ``_PADDED_KEY`` lines added to its matches.

    A padded line is a header when its key (spaces folded) and separator form the literal of a header
    rule ("summary:"); the match then covers the key, the spaces and the separator, as "Summary:" would.
    """

    def __init__(self, matcher: Any) -> None:
        self._matcher = matcher
        self._by_literal = {
            " ".join(rule.literal.lower().split()): rule_id
            for rule_id, rule in matcher.rule_map.items()
            if rule.literal.endswith((":", "="))
        }
        self._ocr_by_reading: dict[str, str] | None = None

    @property
    def rule_map(self) -> Any:
        return self._matcher.rule_map

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        matches: list[tuple[int, int, int]] = self._matcher(doc)
        text = doc_text(doc)
        added = self._add_caps_keys(doc, text, matches)
        if _PADDED_OR_DIGIT_KEY.search(text) is None and _NUMBERED_KEY.search(text) is None:
            if added:
                matches.sort(key=lambda x: (x[1], x[2]))
            return matches  # most reports: no padded, digit-word or numbered key, two quick scans
        for m in _PADDED_KEY.finditer(text):
            key = m.group("key")
            numbered = _KEY_ITEM_NUMBER.search(key)
            if numbered is not None:
                key = key[: numbered.start()]  # "Impression_2:" is an item of "Impression:"
            elif len(m.group("pad")) < 2 and _UNDERSCORE_KEY.fullmatch(key) is not None:
                key = key.replace("_", " ")
                rule_id = self._by_literal.get(" ".join(key.lower().split()) + m.group("sep"))
                if rule_id is None:
                    key, rule_id = self._item_of_the_verdict(key, m.group("sep"))
                if rule_id is None or self.rule_map[rule_id].category not in _FREE_TEXT_KEYS:
                    continue  # "ECG_Response: NEGATIVE": a value's key, read with its value
            elif len(m.group("pad")) < 2:
                if _KEY_DIGIT_WORD.search(key) is None:
                    continue  # "Summary: ..." and "Summary :" are the phrase rules' own
                key = _KEY_DIGIT_WORD.sub(lambda d: _DIGIT_WORDS[d.group("d")], key)
                key = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", key)
            rule_id = self._by_literal.get(" ".join(key.lower().split()) + m.group("sep"))
            if rule_id is None:
                continue
            span = doc.char_span(m.start("key"), m.end(), alignment_mode="expand")
            if span is None:
                continue
            overlapping = [x for x in matches if x[1] < span.end and span.start < x[2]]
            if any(not (span.start <= s and e <= span.end) for _, s, e in overlapping):
                continue
            for x in overlapping:
                matches.remove(x)  # the whole key wins over a header word inside it ("NAME=" in "PATIENT_NAME=")
            matches.append((doc.vocab.strings[rule_id], span.start, span.end))
            added = True
        if added:
            matches.sort(key=lambda x: (x[1], x[2]))
        return matches

    def _item_of_the_verdict(self, key: str, sep: str) -> tuple[str, Any]:
        """The impression an identifier key names by its first words, the item after them ("Impression_Risk:",
        "CONCLUSION_ISCHEMIA="): an export writes each item of its verdict block as a key of its own, and each
        is read as the impression's. Only the impression: "Stress_Agent" and "Perfusion_Result" name values."""
        words = key.lower().split()
        for n in range(len(words) - 1, 0, -1):
            rule_id = self._by_literal.get(" ".join(words[:n]) + sep)
            if rule_id is not None and self.rule_map[rule_id].category in _VERDICT_BLOCKS:
                return " ".join(words[:n]), rule_id  # the header's words; the key's span stays the whole key
        return key, None

    def _add_caps_keys(self, doc: Doc, text: str, matches: list[tuple[int, int, int]]) -> bool:
        """Add the headers of ``_CAPS_KEY`` lines whose words form a header ("HISTORY" as "history:"), and of
        vendor keys that add a word of ``sections.json`` "key_suffixes" to a header ("Impression_Text:")."""
        added = False
        found = [(m.start("key"), m.group("key"), ":", m.end("key")) for m in _CAPS_KEY.finditer(text)]
        # a ruled header starts the line with its rule, where medspaCy looks for a header's start
        found += [(m.start("rule"), m.group("key"), ":", m.end()) for m in _RULED_KEY.finditer(text)]
        # its line break with it: the phrase rule "impression\n" inside the heading gives way to the whole line
        found += [(m.start("rule"), m.group("key"), ":", m.end() + 1) for m in _HASH_KEY.finditer(text)]
        found += [(m.start("key"), m.group("key"), ":", m.end("key")) for m in _ALONE_KEY.finditer(text)]
        suffixed = _suffixed_key()
        if suffixed is not None:
            found += [(m.start("key"), m.group("key"), m.group("sep"), m.end()) for m in suffixed.finditer(text)]
        found += self._prefixed_keys(text)
        found += self._joined_keys(text)
        found += self._ocr_keys(text)
        found += self._bilingual_keys(text)
        for start, key, sep, end in found:
            rule_id = self._by_literal.get(" ".join(key.lower().split()) + sep)
            if rule_id is None:
                continue
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            overlapping = [x for x in matches if x[1] < span.end and span.start < x[2]]
            if any(not (span.start <= s and e <= span.end) for _, s, e in overlapping):
                continue
            # the whole key wins over a header word inside it ("ConclusionNarrative:" over "Narrative:")
            for x in overlapping:
                matches.remove(x)
            matches.append((doc.vocab.strings[rule_id], span.start, span.end))
            added = True
        return added

    def _prefixed_keys(self, text: str) -> list[tuple[int, str, str, int]]:
        """The vendor keys whose last words, after a record name and a dot or underscore, are a free-text
        header ("Order.Reason:", "Read.Summary:", "Exam_Clinical_History ="): (start, header words, separator,
        end), the whole key the header's match."""
        found: list[tuple[int, str, str, int]] = []
        for m in _PREFIXED_KEY.finditer(text):
            words = _KEY_JOINS.split(m.group("key"))
            for n in range(min(3, len(words) - 1), 0, -1):
                key = " ".join(words[-n:])
                rule_id = self._by_literal.get(key.lower() + m.group("sep"))
                if rule_id is not None and self.rule_map[rule_id].category in _PREFIXED_KEY_SECTIONS:
                    found.append((m.start("key"), key, m.group("sep"), m.end()))
                    break
        return found

    def _bilingual_keys(self, text: str) -> list[tuple[int, str, str, int]]:
        """The headers written in two languages, a slash between ("INDICATION / INDICATION", "Date of birth / Date de
        naissance :", "FINDINGS / RÉSULTATS"): the first name that is a header (the second where the first is none),
        the whole line's key its match. Two names that are headers of different sections ("Rest / Stress:") are no
        such header."""
        if " / " not in text and "\t/" not in text:
            return []
        found: list[tuple[int, str, str, int]] = []
        for m in _BILINGUAL_KEY.finditer(text):
            ids = [self._by_literal.get(" ".join(m.group(g).lower().split()) + ":") for g in ("key", "other")]
            named = [i for i in ids if i is not None]
            if not named or len({self.rule_map[i].category for i in named}) > 1:
                continue
            key = m.group("key") if ids[0] is not None else m.group("other")
            # a header alone on its line takes its line break, as the phrase rule "indication\n" inside it does
            end = m.end() + 1 if text.startswith("\n", m.end()) else m.end()
            found.append((m.start("key"), key, ":", end))
        return found

    def _ocr_keys(self, text: str) -> list[tuple[int, str, str, int]]:
        """The keys at the start of a line that are a header once read with the letters OCR confuses
        (``wording.json`` ocr_confusions "in_headers": "lndication:", "Findinqs:"): (start, header, ":", end)."""
        conf = load_wording().ocr_confusions
        if conf is None or not conf.in_headers:
            return []
        found: list[tuple[int, str, str, int]] = []
        for m in _LINE_HEADER_KEY.finditer(text):
            key = " ".join(m.group("key").lower().split())
            if key + ":" in self._by_literal:
                continue  # a header as written: the phrase rules' own
            literal = self._ocr_literals(conf.in_headers).get(_ocr_read(key, conf.in_headers))
            if literal is not None:
                found.append((m.start("key"), literal[:-1], ":", m.end()))
        return found

    def _ocr_literals(self, pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
        """The colon headers by their OCR reading (``_ocr_read``), the first header of a reading kept."""
        if self._ocr_by_reading is None:
            readings: dict[str, str] = {}
            for literal in self._by_literal:
                if literal.endswith(":"):
                    readings.setdefault(_ocr_read(literal[:-1], pairs), literal)
            self._ocr_by_reading = readings
        return self._ocr_by_reading

    def _joined_keys(self, text: str) -> list[tuple[int, str, str, int]]:
        """The lines opened by two headers joined with a slash, "&" or "and" ("History / Indication:"): the
        first header's section, the whole key its match (so neither part opens a section of its own)."""
        found: list[tuple[int, str, str, int]] = []
        for m in _JOINED_KEY.finditer(text):
            first = self._by_literal.get(" ".join(m.group("a").lower().split()) + ":")
            second = self._by_literal.get(" ".join(m.group("b").lower().split()) + ":")
            if first is not None and second is not None:
                found.append((m.start("a"), m.group("a"), ":", m.end()))
        return found


# A key of one to three words at the start of a line, then its colon ("Findinqs:", "lndication :").
_LINE_HEADER_KEY = re.compile(r"(?m)^[ \t]*(?P<key>[A-Za-z0-9][A-Za-z0-9]{2,20}(?:[ \t][A-Za-z0-9]{2,20}){0,2})[ \t]*:")


def _ocr_read(key: str, pairs: tuple[tuple[str, str], ...]) -> str:
    """``key`` (lower case) with each group OCR confuses replaced by the letter meant, the longer groups first."""
    for written, meant in pairs:
        key = key.replace(written, meant)
    return key


# Two headers joined into one at the start of a line ("History / Indication:", "Clinical history and indication:",
# "Indication & reason:"): each part must be a header.
_JOINED_KEY = re.compile(
    r"(?m)^[ \t]*(?P<a>[A-Za-z][A-Za-z ]{1,30}?)[ \t]*(?:/|&|\band\b)[ \t]*"
    r"(?P<b>[A-Za-z][A-Za-z ]{1,30}?)[ \t]*(?P<sep>:)"
)


# A vendor key of dotted or underscored words at the start of a line ("Order.Reason:", "Read.Summary ="): a record
# name, then the item's name.
_PREFIXED_KEY = re.compile(r"(?m)^[ \t]*(?P<key>[A-Za-z]+(?:[._][A-Za-z]+)+)[ \t]*(?P<sep>[:=])")
_KEY_JOINS = re.compile(r"[._]")
# The sections whose header a record's key may end with: those whose value is free text, without the patient's
# identifiers ("Patient.Name", "Patient.DOB" are values of the patient line, not a block).
_PREFIXED_KEY_SECTIONS = _FREE_TEXT_KEYS - {"patient"}


@functools.cache
def _suffixed_key() -> re.Pattern[str] | None:
    """A vendor key at the start of a line: header words, a word of ``sections.json`` "key_suffixes" after an
    underscore, a dot, a space or a capital ("Impression_Text:", "FindingsNarrative ="), its separator."""
    words = load_key_suffixes()
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(
        rf"(?m)^[ \t]*(?P<key>[A-Za-z][A-Za-z ]{{1,40}}?)(?:[_. ]|(?<=[a-z])(?=[A-Z]))"
        rf"(?i:{alternatives})[ \t]*(?P<sep>[:=])"
    )


class _WindowedMatcher:
    """spaCy's token ``Matcher`` of the target matcher, run only on the stretches of a Doc where a match can lie.

    Every token pattern left after ``_finite_phrases`` is a sequence of LOWER words (a word or an IN list,
    some repeated with ``*`` or ``+`` or optional with ``?``; ConText's cues also a TEXT word, and IS_SENT_START,
    which reads the Doc's own sentence starts on a span too), so a match is a run of tokens whose lower-case
    forms are all words of the patterns, starting with a word its pattern may start with. The Matcher tries each
    pattern at every token of a report (most of the target matcher's time); here it runs on each maximal run of
    pattern words that holds a possible first word, and the matches are the same (a pattern looks at nothing
    outside its tokens; the Matcher's positions on a span are relative to the span, shifted back here), in the same
    order (runs are disjoint and in text order). A pattern of another form runs the Matcher on the whole Doc.
    """

    def __init__(self, matcher: Any, patterns: list[list[dict[str, Any]]], vocab: Any) -> None:
        self._matcher = matcher
        words: set[str] = set()
        firsts: set[str] = set()
        self._windowed = bool(patterns)
        for pattern in patterns:
            for i, token in enumerate(pattern):
                options = _token_words(token)
                if options is None or token.get("OP", "1") not in ("1", "+", "*", "?") or (i == 0 and "OP" in token):
                    self._windowed = False  # another attribute or operator: the Matcher sees the whole Doc
                    return
                words |= options
                if i == 0:
                    firsts |= options
        strings = vocab.strings
        # hash sets: numpy.isin sorts both arrays at every call, several times the cost of a set look-up per token
        self._words = frozenset(strings.add(w) for w in words)
        self._firsts = frozenset(strings.add(w) for w in firsts)

    def __len__(self) -> int:
        return len(self._matcher)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        if not self._windowed:
            return list(self._matcher(doc))
        if len(doc) == 0:
            return []
        from spacy.attrs import LOWER

        lower = doc.to_array(LOWER).tolist()
        firsts, words = self._firsts, self._words
        starts = [i for i, key in enumerate(lower) if key in firsts]
        if not starts:
            return []
        # a match never holds a token that is no pattern word
        breaks = [i for i, key in enumerate(lower) if key not in words]
        matches: list[tuple[int, int, int]] = []
        end = -1
        for start in starts:
            if start < end:
                continue  # inside the run already matched
            k = bisect.bisect_left(breaks, start)
            begin = breaks[k - 1] + 1 if k > 0 else 0
            end = breaks[k] if k < len(breaks) else len(doc)
            matches.extend((key, a + begin, b + begin) for key, a, b in self._matcher(doc[begin:end]))
        return matches


class _JoinedLineMatcher:
    """The target matcher's matcher, blind to the blanks where a line break inside a statement reads as a blank.

    ``layout_view`` reads such a break as a blank ("No ST\\r\\nchanges" as "No ST  changes"), but the text keeps
    its length, so two characters stand between the words and spaCy makes the second a token of its own: a
    phrase would not match across it. Where a Doc has such breaks (``doc._.ncreport_joined_lines``), the
    concepts are matched on the same words without those blank tokens, and each match is mapped back to the
    Doc's tokens (it then holds the blank). Everything else is the wrapped matcher's (``rule_map``, ...).
    """

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        joins = getattr(doc._, JOINS_EXTENSION)
        if not joins:
            return list(self._inner(doc))
        import bisect

        from spacy.tokens import Doc as SpacyDoc

        starts = [t.idx for t in doc]
        dropped: set[int] = set()
        for pos in joins:
            # the token the blank belongs to (its trailing space) and the blank token after it, if any
            i = bisect.bisect_right(starts, pos) - 1
            for t in (i, i + 1):
                if 0 <= t < len(doc) and doc[t].is_space and "\n" not in doc[t].text:
                    dropped.add(t)
        if not dropped:
            return list(self._inner(doc))
        kept = [t.i for t in doc if t.i not in dropped]
        words = [doc[i].text for i in kept]
        spaces = [bool(doc[i].whitespace_) or (i + 1 in dropped) for i in kept]
        compact = SpacyDoc(doc.vocab, words=words, spaces=spaces)
        return [(key, kept[a], kept[b - 1] + 1) for key, a, b in self._inner(compact)]


def _token_words(token: dict[str, Any]) -> set[str] | None:
    """The lower-case words a token spec of LOWER or TEXT (a word or an IN list, with an optional OP, and an optional
    IS_SENT_START, which only narrows it) accepts; None for any other spec. A token whose TEXT is a word has that
    word in lower case as its LOWER."""
    if set(token) - {"LOWER", "TEXT", "OP", "IS_SENT_START"} or len({"LOWER", "TEXT"} & set(token)) != 1:
        return None
    if "LOWER" in token:
        return _lower_words({"LOWER": token["LOWER"]})
    words = _lower_words({"LOWER": token["TEXT"]})
    return None if words is None else {w.lower() for w in words}


def _lower_words(token: dict[str, Any]) -> set[str] | None:
    """The lower-case words a token spec of LOWER (a word or an IN list, with an optional OP) accepts; None for
    any other spec."""
    if set(token) - {"LOWER", "OP"} or "LOWER" not in token:
        return None
    spec = token["LOWER"]
    if isinstance(spec, str):
        return {spec}
    if isinstance(spec, dict) and set(spec) == {"IN"} and all(isinstance(w, str) for w in spec["IN"]):
        return set(spec["IN"])
    return None


def _target_rules(nlp: Language) -> list[Any]:
    from medspacy.target_matcher import TargetRule

    rules: list[Any] = []
    for concept in load_concepts():
        meta = {"value": concept.value}
        listed = set(concept.phrases)
        for phrase in concept.phrases:
            rules.append(TargetRule(phrase, concept.label, metadata=meta))
            rules.extend(TargetRule(v, concept.label, metadata=meta) for v in _article_variants(phrase) - listed)
            # an IGNORE phrase is prose, never a vendor key: dotted, "attenuation image" would swallow the
            # artifact of "... diaphragmatic attenuation. Image quality is fair"
            dotted = _dotted_key(phrase) if concept.label != "IGNORE" else None
            if dotted is not None:
                rules.append(TargetRule(dotted, concept.label, metadata=meta))
            underscored = _underscore_key(phrase)
            if underscored is not None:
                rules.append(TargetRule(underscored, concept.label, metadata=meta))
        for pattern in concept.patterns:
            phrases = _finite_phrases(pattern, nlp)
            if phrases is not None:
                rules.extend(TargetRule(p, concept.label, metadata=meta) for p in phrases)
            else:
                rules.append(TargetRule(concept.label.lower(), concept.label, pattern=list(pattern), metadata=meta))
    return rules


# Determiners a phrase that opens with "of" may have or lack: "93 percent of the age predicted maximum",
# "85% of his maximum predicted heart rate", "88% of age-predicted maximum".
_OF_DETERMINERS = ("the", "his", "her", "their", "the patient's")


def _article_variants(phrase: str) -> set[str]:
    """The same phrase with each determiner after its opening "of", or without one ("of the age-predicted maximum"
    <-> "of age-predicted maximum"): a phrase list names one of them, a report writes any."""
    if not phrase.startswith("of "):
        return set()
    rest = phrase[3:]
    for det in _OF_DETERMINERS:
        if rest.startswith(det + " "):
            rest = rest[len(det) + 1 :]
            break
    return {f"of {rest}"} | {f"of {det} {rest}" for det in _OF_DETERMINERS}


def _dotted_key(phrase: str) -> str | None:
    """The two words of ``phrase`` as a dotted vendor key ("tpd ischemic" -> "tpd . ischemic", matching
    "TPD.Ischemic = 10 %"), or None when the phrase is not two plain words. The tokenizer splits such a key
    at its dot (``KEY_VALUE_INFIXES``), so the phrase matches with the dot as a token between its words."""
    words = phrase.split()
    if len(words) != 2 or not all(w.isalpha() and len(w) > 1 for w in words):
        return None
    return " . ".join(words)


def _underscore_key(phrase: str) -> str | None:
    """The words of ``phrase`` as an underscored vendor key ("summed stress score" -> "summed _ stress _ score",
    matching "Summed_Stress_Score=0", "Chest_Pain=No"), or None when the phrase is not two to four plain words.
    The tokenizer splits such a key at its underscores."""
    words = phrase.split()
    if not 2 <= len(words) <= 4 or not all(w.isalpha() and len(w) > 1 for w in words):
        return None
    return " _ ".join(words)


def _finite_phrases(pattern: tuple[dict[str, Any], ...], nlp: Language) -> list[str] | None:
    """The phrases a token pattern matches, when they are few: every token a LOWER string or list, no operator.

    spaCy's Matcher tries each of its patterns at every token (and a list predicate costs a Python
    call per token), while the PhraseMatcher looks phrases up in one pass: a pattern like
    "perfusion (is|was) (normal|unremarkable)" matches the same spans as its phrases. None when the
    pattern has an operator or another attribute, when a word is not one token on its own, or when
    there would be more than ``_MAX_PATTERN_PHRASES`` phrases.
    """
    choices: list[list[str]] = []
    for token in pattern:
        if set(token) != {"LOWER"}:
            return None
        spec = token["LOWER"]
        if isinstance(spec, str):
            choices.append([spec])
        elif isinstance(spec, dict) and set(spec) == {"IN"} and all(isinstance(w, str) for w in spec["IN"]):
            choices.append(list(dict.fromkeys(spec["IN"])))
        else:
            return None
    if math.prod(len(c) for c in choices) > _MAX_PATTERN_PHRASES:
        return None
    phrases = [" ".join(words) for words in itertools.product(*choices)]
    for phrase in phrases:
        words = phrase.split(" ")
        if any(w != w.lower() for w in words) or [t.text for t in nlp.make_doc(phrase)] != words:
            return None
    return phrases


def _context_rules(config: ContextConfig) -> list[Any]:
    """The ConText rules, and for each backward cue its twin after a relative "which".

    "which" ends a scope (a TERMINATE cue: "no defect, which ..."), but a backward cue right after it speaks of
    the noun before it ("a small inferior scar, which cannot be excluded", "the apical defect, which has
    resolved"): the twin's longer match takes the place of the two shorter ones in medspaCy's matcher, so the
    cue reaches back past the pronoun.
    """
    from medspacy.context import ConTextRule

    twins = [
        {**rule, "literal": f"which {rule['literal']}"}
        for rule in config.rules
        if rule.get("direction") == "BACKWARD" and "pattern" not in rule
    ]
    return [ConTextRule(**rule) for rule in (*config.rules, *twins)]


def _spans_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two half-open spans ``(start, end)`` share a token (either may contain the other)."""
    return a[0] < b[1] and b[0] < a[1]


def _prune_overlapping_matches(
    matches: list[tuple[int, int, int]], strategy: str = "longest"
) -> list[tuple[int, int, int]]:
    """medspaCy's ``prune_overlapping_matches`` (the longest of two overlapping matches stays), the same passes
    without its costs: it took the matches off the front of a list one by one (``list.pop(0)``) and called two
    functions per pair, and it ran once per matcher of every component (about 0.4 ms a report)."""
    if strategy != "longest":
        raise NotImplementedError(strategy)
    while matches:
        ordered = sorted(matches, key=lambda x: (x[1], x[2]))
        pruned: list[tuple[int, int, int]] = []
        n, k = len(ordered), 1
        current = ordered[0]
        while True:
            if k == n:
                pruned.append(current)
                break
            following = ordered[k]
            k += 1
            a0, a1, b0, b1 = current[1], current[2], following[1], following[2]
            if a0 <= b0 < a1 or a0 < b1 <= a1:  # medspaCy's own overlap test (medspacy.util.tuple_overlaps)
                pruned.append(following if b1 - b0 > a1 - a0 else current)  # max() keeps the first of equals
                if k == n:
                    break
                current = ordered[k]
                k += 1
            else:
                pruned.append(current)
                current = following
        if len(pruned) == len(matches):
            return pruned
        matches = pruned
    return matches


def _swept_context_graph() -> type:
    """medspaCy's ConTextGraph, whose ``apply_modifiers`` asks only the modifiers whose scope may reach a target.

    ``ConTextModifier.modifies(target)`` is true only where the modifier's scope overlaps the target
    (``medspacy.util.tuple_overlaps``); medspaCy still asks every modifier about every target (about 2,000
    pairs a report, most of ConText's time). Here the modifiers are sorted by scope start, and a target
    asks only those whose scope starts before its end and no further before its start than the longest
    scope, in the original order: the same ``modifies`` calls that can be true, the same edges.
    """
    import bisect

    from medspacy.context.context_graph import ConTextGraph

    class SweptContextGraph(ConTextGraph):
        def update_scopes(self) -> None:
            # medspaCy lets every pair of modifiers limit each other's scope (about 650 pairs a report); a pair
            # whose scopes do not overlap is left as it is (``limit_scope`` returns at its overlap test), and
            # scopes only shrink, so only the pairs whose first scopes overlap are asked, in medspaCy's order
            scopes = [m.scope_span for m in self.modifiers]
            order = sorted(range(len(scopes)), key=lambda i: scopes[i][0])
            starts = [scopes[i][0] for i in order]
            longest = max((b - a for a, b in scopes), default=0)
            for i, (a, b) in enumerate(scopes):
                lo = bisect.bisect_left(starts, a + 1 - longest)
                hi = bisect.bisect_left(starts, b)
                later = sorted(j for j in order[lo:hi] if j > i and _spans_overlap((a, b), scopes[j]))
                modifier1 = self.modifiers[i]
                for j in later:
                    modifier2 = self.modifiers[j]
                    modifier1.limit_scope(modifier2)
                    modifier2.limit_scope(modifier1)

        def apply_modifiers(self) -> None:
            if self.prune_on_modifier_overlap:  # not configured here: medspaCy's own loop
                super().apply_modifiers()
                return
            scopes = [m.scope_span for m in self.modifiers]
            order = sorted(range(len(scopes)), key=lambda i: scopes[i][0])
            starts = [scopes[i][0] for i in order]
            longest = max((b - a for a, b in scopes), default=0)
            for target in self.targets:
                lo = bisect.bisect_left(starts, target.start + 1 - longest)
                hi = bisect.bisect_left(starts, target.end)
                for i in sorted(order[lo:hi]):
                    modifier = self.modifiers[i]
                    if modifier.modifies(target):
                        modifier.modify(target)
            edges = []
            for modifier in self.modifiers:
                modifier.reduce_targets()
                for target in modifier._targets:
                    edges.append((target, modifier))
            self.edges = edges

    return SweptContextGraph


def _unassigning_sectionizer() -> type:
    """medspaCy's Sectionizer, without its assignment of ``token._.section`` to every token of every section.

    ``Token._.section`` is a getter over ``doc._.sections`` here (``_derive_token_sections``), so each of those
    assignments goes to a setter that drops it; the loop itself (a Token and an Underscore object per token of
    the report) was two thirds of the sectionizer's time. The sections are medspaCy's, made by its own steps
    (its matcher, its start-of-line filter, its scope rule for ``max_scope`` and ``max_section_length``); a
    configuration this pipeline does not use (parent sections, end of line required, sentence boundaries set by
    the sectionizer, span attributes) runs medspaCy's own ``__call__``.
    """
    from medspacy.section_detection import Sectionizer
    from medspacy.section_detection.section import Section

    class UnassigningSectionizer(Sectionizer):
        def __call__(self, doc: Doc) -> Doc:
            if (
                not self.require_start_line
                or self.require_end_line
                or self._parent_sections
                or self._apply_sentence_boundary
                or self.assertion_attributes_mapping
            ):
                return cast(Doc, super().__call__(doc))
            matcher = self._Sectionizer__matcher
            found = matcher(doc)
            matches = self.filter_start_lines(doc, found)
            if len(matches) < len(found) and "," in doc_text(doc):
                # a capitals header spliced into a dictation's paragraph after a comma ("..., IMPRESSION normal
                # study"; see _CAPS_KEY): a header there, though no line or sentence starts at it
                spliced = {m.start("key") for m in _SPLICED_CAPS_KEY.finditer(doc_text(doc))}
                kept = set(matches)
                matches = [m for m in found if m in kept or doc[m[1]].idx in spliced]
            sections: list[Any] = []
            doc._.sections = sections
            if not matches:
                sections.append(Section(None, 0, 0, 0, len(doc)))
                return doc
            if matches[0][1] != 0:
                sections.append(Section(None, 0, 0, 0, matches[0][1]))
            strings = self.nlp.vocab.strings
            for i, (match_id, start, end) in enumerate(matches):
                rule = matcher.rule_map[strings[match_id]]
                limit = len(doc) if i == len(matches) - 1 else matches[i + 1][1]
                scope = rule.max_scope if rule.max_scope is not None else self.max_section_length
                body_end = limit if scope is None else min(end + scope, limit)
                sections.append(Section(rule.category, start, end, end, body_end, None, rule))
            return doc

    return UnassigningSectionizer


def _needed_special_cases(tokenizer: Any) -> dict[str, Any]:
    """The tokenizer's special cases, without those that change nothing but the caching of a report's words.

    spaCy's tokenizer stops caching the words of a document once it has met a special case
    (``Tokenizer._save_cached``: "See #1250"), and a line break, a run of spaces and an em dash
    are special cases: a line-structured report was tokenized almost word by word through the
    affix regexes (~1.3 ms of a 1.4 ms tokenizer call). A special case that only sets ORTH to its
    own text, for a text that the rules split no further, gives the same token without it, so it
    goes; the others ("Dr.", "can't", ":)") stay. ``tests/extraction/test_extraction_pipeline.py``
    compares the tokens with spaCy's own English tokenizer.
    """
    from spacy.attrs import ORTH

    from extraction._tokenizer import TextKeepingTokenizer

    bare = TextKeepingTokenizer.like(tokenizer, rules={})
    rules = {
        text: tokens
        for text, tokens in (tokenizer.rules or {}).items()
        if not (tokens == [{ORTH: text}] and [t.text for t in bare(text)] == [text])
    }
    # All-caps reports: "CANNOT BE EXCLUDED", "DOESN'T" split as "cannot" and "doesn't" do, so the ConText
    # cues written in lower case ("cannot be excluded") match them (spaCy has "Cannot", not "CANNOT").
    for text, tokens in list(rules.items()):
        if len(tokens) > 1 and _LOWER_WORD.fullmatch(text) and text.upper() not in rules:
            rules[text.upper()] = [{**t, ORTH: t[ORTH].upper()} for t in tokens]
    return rules


_LOWER_WORD = re.compile(r"cannot|[a-z]+['’][a-z]+")


@contextlib.contextmanager
def _without_unused_imports() -> Iterator[None]:
    """Import spaCy and medspaCy without the packages they import for features this pipeline never uses.

    Most of the cold start of ``ncreport structure`` went there (about 2.5 s of 4.4 s of CPU):

    - ``medspacy/util.py`` imports ``quickumls.spacy_component`` unconditionally, only to register the
      QuickUMLS component; QuickUMLS imports NLTK and through it scikit-learn, SciPy and pandas. While
      medspaCy is imported, an empty stand-in module answers that import.
    - thinc (under spaCy) imports PyTorch when it is installed, for its PyTorch layers; this pipeline
      has no trained layer. While spaCy is imported, ``import torch`` fails as if it were not installed,
      so thinc records that it has no PyTorch (as on a machine without it).

    - spaCy's ``__init__`` imports its command line (for ``spacy.info``), and with it weasel, httpx and
      requests; ``spacy.info`` stays available and imports the command line when called.

    All are undone afterwards: a later ``import quickumls`` or ``import torch`` in the same process
    (the embedded language model) loads the real package. A package already imported is left alone.
    """
    installed: dict[str, types.ModuleType | None] = {}
    if "quickumls" not in sys.modules:
        stand_in = types.ModuleType("quickumls")
        component = types.ModuleType("quickumls.spacy_component")
        stand_in.spacy_component = component  # type: ignore[attr-defined]
        installed["quickumls"], installed["quickumls.spacy_component"] = stand_in, component
    if "torch" not in sys.modules and "thinc" not in sys.modules:
        installed["torch"] = None  # None in sys.modules: "import torch" raises ImportError
    if "spacy" not in sys.modules:
        cli = types.ModuleType("spacy.cli")
        cli_info = types.ModuleType("spacy.cli.info")
        cli_info.info = _spacy_info  # type: ignore[attr-defined]
        cli.info = cli_info  # type: ignore[attr-defined]
        installed["spacy.cli"], installed["spacy.cli.info"] = cli, cli_info
    sys.modules.update(installed)  # type: ignore[arg-type]
    try:
        yield
    finally:
        for name, module in installed.items():
            if name in sys.modules and sys.modules[name] is module:
                del sys.modules[name]
        spacy = sys.modules.get("spacy")
        if spacy is not None and getattr(spacy, "cli", None) is installed.get("spacy.cli"):
            del spacy.cli  # a later "import spacy.cli" imports the real one


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, which spaCy imports from its command line (see ``_without_unused_imports``)."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _build() -> Language:
    from loguru import logger

    with _without_unused_imports():
        import spacy
        from spacy.language import Language

        logger.disable("PyRuSH")
        import medspacy  # registers the medspacy_* factories
        import medspacy.context.context

    # The ConText component builds its graph from this module name (see _swept_context_graph).
    medspacy.context.context.ConTextGraph = _swept_context_graph()
    # medspaCy 1.3.1's span overlap test misses a span that contains the other, so a TERMINATE cue ("but"),
    # whose scope is its whole sentence, never ended a cue whose scope is capped by max_scope: "no chest pain,
    # but 2 mm ST depression" read the ST depression as denied. Its modules look the test up by this name.
    import medspacy.context.context_modifier

    medspacy.context.context_modifier.tuple_overlaps = _spans_overlap
    # the matchers of the sectionizer, the target matcher and ConText prune their matches with this name
    import medspacy.common.medspacy_matcher

    medspacy.common.medspacy_matcher.prune_overlapping_matches = _prune_overlapping_matches

    from extraction._tokenizer import TextKeepingTokenizer

    # medspaCy runs its token Matcher on every document even when it holds no pattern (section headers
    # and ConText cues are all phrases here), and spaCy then warns W036 at each call: expected, so
    # ignored the way spaCy's documentation shows (pyproject.toml does the same for the tests).
    warnings.filterwarnings("ignore", message=r"\[W036\]", category=UserWarning)

    if "ncreport_line_sentencizer" not in Language.factories:
        Language.component("ncreport_line_sentencizer")(_line_sentencizer)
    if "ncreport_wording_targets" not in Language.factories:
        Language.component("ncreport_wording_targets")(_wording_targets)
    _derive_token_sections()

    nlp = spacy.blank("en")
    nlp.max_length = MAX_DOC_CHARS
    tokenizer = cast(Any, nlp.tokenizer)
    tokenizer.infix_finditer = with_key_value_breaks(tokenizer.infix_finditer)
    nlp.tokenizer = TextKeepingTokenizer.like(tokenizer, rules=_needed_special_cases(tokenizer))
    sectionizer: Any = nlp.add_pipe(
        "medspacy_sectionizer",
        config={
            "rules": None,
            "require_start_line": True,
            "newline_pattern": _HEADER_START,
            "span_attrs": None,
            # the sentencizer after it makes each header a sentence of its own
            "apply_sentence_boundary": False,
        },
    )
    sectionizer.add(_section_rules())
    sectionizer.__class__ = _unassigning_sectionizer()  # the same sections, without the per-token loop
    # the Sectionizer keeps its matcher private; headers padded before their colon are added to its matches
    sectionizer._Sectionizer__matcher = _PaddedHeaders(sectionizer._Sectionizer__matcher)
    nlp.add_pipe("ncreport_line_sentencizer")
    # Spans go to a span group: medspaCy adds doc.ents one span at a time (quadratic), a group is cheap.
    matcher: Any = nlp.add_pipe(
        "medspacy_target_matcher", config={"result_type": "group", "span_group_name": SPAN_GROUP}
    )
    rules = _target_rules(nlp)
    matcher.add(rules)
    # the target matcher keeps its MedspacyMatcher private, which keeps its token Matcher private
    concepts = matcher._TargetMatcher__matcher
    token_rules = [r for r in rules if isinstance(r.pattern, list)]
    if not any(r.on_match for r in token_rules):  # a callback sees the matches of the whole Doc
        concepts._MedspacyMatcher__matcher = _WindowedMatcher(
            concepts._MedspacyMatcher__matcher, [r.pattern for r in token_rules], nlp.vocab
        )
    matcher._TargetMatcher__matcher = _JoinedLineMatcher(concepts)
    nlp.add_pipe("ncreport_wording_targets")
    context_config = load_context()
    context: Any = nlp.add_pipe(
        "medspacy_context",
        config={
            "rules": None,
            "input_span_type": "group",
            "span_group_name": SPAN_GROUP,
            # span._.modifiers is what we read; no span._.is_negated etc. set per edge
            "span_attrs": None,
            "terminating_types": {k: list(v) for k, v in context_config.terminating_types.items()},
        },
    )
    context_rules = _context_rules(context_config)
    context.add(context_rules)
    # ConText's token cues are word sequences too (a comma, "and", "not" at a sentence start...): its Matcher (most
    # of ConText's time) runs on the stretches of a Doc where a cue can lie, as the target matcher's
    cue_rules = [r for r in context_rules if isinstance(r.pattern, list)]
    if not any(r.on_match for r in cue_rules):
        cues = context._ConText__matcher
        cues._MedspacyMatcher__matcher = _WindowedMatcher(
            cues._MedspacyMatcher__matcher, [r.pattern for r in cue_rules], nlp.vocab
        )
    return nlp


@functools.cache
def _cached() -> Language:
    return _build()


def get_pipeline() -> Language:
    """The shared pipeline, built on first call (thread-safe)."""
    with _LOCK:
        return _cached()
