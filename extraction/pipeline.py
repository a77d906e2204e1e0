"""The spaCy pipeline: blank English + line-aware sentences + medspaCy sectionizer, target matcher, ConText.

Built once per process on first use (``get_pipeline``); importing this module does not import spaCy.

Components, in order:
1. ``ncreport_line_sentencizer``: sentences end at ``. ! ? ;`` and at line breaks that start a
   new statement (blank line, bullet, number, capital, or a line that ended with punctuation).
   Reports are line-structured: spaCy's ``sentencizer`` would glue "Exercise duration: 9:00 min"
   to the next line, and PyRuSH costs about 5 ms per document.
2. ``medspacy_sectionizer`` with our own header rules (``resources/sections.json``); each header is
   its own sentence, so ConText scopes never cross a header.
3. ``medspacy_target_matcher`` with the concepts of ``resources/concepts.json`` (longest match wins).
4. ``medspacy_context`` with our own ConText rules (``resources/context_rules.json``).
"""

from __future__ import annotations

import functools
import re
import threading
from typing import TYPE_CHECKING, Any, cast

from extraction.rules import ContextConfig, load_concepts, load_context, load_sections

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["SPAN_GROUP", "get_pipeline"]

SPAN_GROUP = "ncreport_concepts"
# Headers that may carry a parenthesis before their colon: "PRIOR STUDY (02/11/2020):".
_PAREN_CATEGORIES = {"prior_study", "addendum", "function", "flow", "comparison", "perfusion"}

_LOCK = threading.Lock()
_NEW_STATEMENT_START = set("-•*·–—>#")
_ABBREVIATIONS = {"dr.", "mr.", "mrs.", "ms.", "vs.", "pt.", "no.", "e.g.", "i.e.", "approx.", "st.", "fig."}


_NEWLINE_RUN = re.compile(r"\n[ \t\r\f\v\n]*(?=\S)")
_PUNCT_END = re.compile(r"(?:(?<=[.!?])|(?<=;))[ \t]+(?=\S)|;(?=\S)")
_LIST_NUMBER = re.compile(r"(?:^|\n)[ \t]*\(?\d{1,2}[.)]$")
_WORD_BEFORE = re.compile(r"(\S+)$")


def _boundaries(text: str) -> list[int]:
    """Character offsets where a new sentence starts (see module docstring)."""
    out = [0]
    for m in _NEWLINE_RUN.finditer(text):
        pos = m.end()
        first = text[pos]
        before = text[: m.start()].rstrip()
        if (
            m.group(0).count("\n") >= 2
            or first.isupper()
            or first.isdigit()
            or first in _NEW_STATEMENT_START
            or (before != "" and before[-1] in ".:;!?)")
        ):
            out.append(pos)
    for m in _PUNCT_END.finditer(text):
        pos = m.end()
        head = text[max(0, m.start() - 12) : m.start()]
        if head.endswith("."):
            if _LIST_NUMBER.search(head):
                continue  # "1. Normal study": a list number is not a sentence of its own
            word = _WORD_BEFORE.search(head)
            if word and word.group(1).lower() in _ABBREVIATIONS:
                continue
        out.append(pos)
    return out


def _line_sentencizer(doc: Doc) -> Doc:
    """Set sentence starts from punctuation and line structure (computed on the text, set in one go)."""
    n = len(doc)
    if n == 0:
        return doc
    import numpy
    from spacy.attrs import IDX, SENT_START

    idx = doc.to_array([IDX]).ravel()
    starts = numpy.full(n, -1, dtype="int32")
    positions = numpy.searchsorted(idx, numpy.array(sorted(set(_boundaries(doc.text))), dtype=idx.dtype))
    positions = positions[positions < n]
    starts[positions] = 1
    starts[0] = 1
    doc.from_array([SENT_START], cast(Any, starts.reshape(-1, 1).astype("uint64")))
    return doc


def _section_rules() -> list[Any]:
    from medspacy.section_detection import SectionRule

    # Phrase rules only (PhraseMatcher): one token pattern with a quantifier costs ~5 ms/report.
    rules: list[Any] = []
    for spec in load_sections():
        for header in spec.headers:
            # "HEADER:", and HEADER alone on its line (all-caps legacy reports)
            rules.append(SectionRule(f"{header}:", spec.category, max_scope=spec.max_scope))
            rules.append(SectionRule(f"{header}\n", spec.category, max_scope=spec.max_scope))
            if spec.category in _PAREN_CATEGORIES:
                # "PRIOR STUDY (02/11/2020):" -- the parenthesis stays in the section body.
                rules.append(SectionRule(f"{header} (", spec.category, max_scope=spec.max_scope))
            if spec.category == "addendum":
                # "ADDENDUM #2:" / "Addendum 1:" (the one token pattern: cheap, no quantifier)
                rules.append(
                    SectionRule(
                        header,
                        spec.category,
                        pattern=[
                            *({"LOWER": w} for w in header.split()),
                            {"TEXT": {"REGEX": r"^#?\d{1,2}$"}},
                            {"ORTH": ":"},
                        ],
                    )
                )
    return rules


def _target_rules() -> list[Any]:
    from medspacy.target_matcher import TargetRule

    rules: list[Any] = []
    for concept in load_concepts():
        meta = {"value": concept.value}
        for phrase in concept.phrases:
            rules.append(TargetRule(phrase, concept.label, metadata=meta))
        for pattern in concept.patterns:
            rules.append(TargetRule(concept.label.lower(), concept.label, pattern=list(pattern), metadata=meta))
    return rules


def _context_rules(config: ContextConfig) -> list[Any]:
    from medspacy.context import ConTextRule

    return [ConTextRule(**rule) for rule in config.rules]


def _build() -> Language:
    import spacy
    from loguru import logger
    from spacy.language import Language

    logger.disable("PyRuSH")
    import medspacy  # noqa: F401  (registers the medspacy_* factories)

    if "ncreport_line_sentencizer" not in Language.factories:
        Language.component("ncreport_line_sentencizer")(_line_sentencizer)

    nlp = spacy.blank("en")
    nlp.add_pipe("ncreport_line_sentencizer")
    sectionizer: Any = nlp.add_pipe(
        "medspacy_sectionizer",
        config={
            "rules": None,
            "require_start_line": True,
            "span_attrs": None,
            "apply_sentence_boundary": True,
        },
    )
    sectionizer.add(_section_rules())
    # Spans go to a span group: medspaCy adds doc.ents one span at a time (quadratic), a group is cheap.
    matcher: Any = nlp.add_pipe(
        "medspacy_target_matcher", config={"result_type": "group", "span_group_name": SPAN_GROUP}
    )
    matcher.add(_target_rules())
    context_config = load_context()
    context: Any = nlp.add_pipe(
        "medspacy_context",
        config={
            "rules": None,
            "input_span_type": "group",
            "span_group_name": SPAN_GROUP,
            "terminating_types": {k: list(v) for k, v in context_config.terminating_types.items()},
        },
    )
    context.add(_context_rules(context_config))
    return nlp


@functools.cache
def _cached() -> Language:
    return _build()


def get_pipeline() -> Language:
    """The shared pipeline, built on first call (thread-safe)."""
    with _LOCK:
        return _cached()
