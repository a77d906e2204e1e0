"""How the pipeline is configured: the same tokens and matches as the plain spaCy/medspaCy set-up, faster."""

from __future__ import annotations

from typing import Any

import pytest

_TEXTS = [
    "PATIENT: TEST, ALPHA          MRN: ZZ0000001\nSTUDY DATE: 03/14/2023\n\nFINDINGS:\n\tLVEF 64%.",
    "Dr. Smith read the study.  Peak HR: 147 bpm (93% MPHR).\n\n\nIMPRESSION:\n1. Normal study.",
    "Ejection fraction 55-60 %; BP 142/74 mmHg — no chest pain :) can't\xa0exclude\r\nischemia.",
    "HEART CENTER—SPECT (E.G. C++) the patient’s ‘study’ '0.0' o_O ¯\\(ツ)/¯ D.C.—",
    " \n \t leading whitespace and trailing \n\n",
]


def _tokens(nlp: Any, text: str) -> list[tuple[str, str, str, int, bool]]:
    return [(t.text, t.norm_, t.lower_, t.idx, t.is_space) for t in nlp.make_doc(text)]


@pytest.mark.parametrize("text", _TEXTS)
def test_tokens_are_those_of_the_plain_english_tokenizer(text: str, plain_english: Any) -> None:
    """The same tokens as spaCy's English tokenizer gives the text as the pipeline reads it (its line endings as
    ``\\n``, a statement broken over two lines as one line: ``line_end_view``, ``layout_view``)."""
    from extraction.pipeline import get_pipeline, layout_view, line_end_view

    plain = plain_english
    nlp = get_pipeline()
    read = layout_view(line_end_view(text))
    # twice: the second time the words come from the tokenizer's cache
    assert _tokens(nlp, text) == _tokens(plain, read)
    assert _tokens(nlp, text) == _tokens(plain, read)


def test_dev_reports_tokenize_as_with_the_plain_english_tokenizer(
    dev_reports: list[tuple[str, str, Any]], plain_english: Any
) -> None:
    from extraction.pipeline import get_pipeline

    plain = plain_english
    nlp = get_pipeline()
    assert [_tokens(nlp, text) for _, text, _ in dev_reports] == [_tokens(plain, text) for _, text, _ in dev_reports]


def test_key_value_exports_split_into_words() -> None:
    from extraction.pipeline import get_pipeline

    words = [t.text for t in get_pipeline().make_doc("StudyDate=20250314\nHR_Rest_bpm=71")]
    assert words == ["Study", "Date", "=", "20250314", "\n", "HR", "_", "Rest", "_", "bpm", "=", "71"]


def test_special_cases_that_change_no_token_are_dropped() -> None:
    from extraction.pipeline import get_pipeline

    rules = get_pipeline().tokenizer.rules or {}
    dropped = ("\n", "\t", " ", "\u2014", "\u2019")
    kept = ("\xa0", "Dr.", "can't", ":)")  # a NORM, or a text the rules would split otherwise
    assert ([t in rules for t in dropped], [t in rules for t in kept]) == ([False] * 5, [True] * 4)


def test_a_pattern_of_word_lists_becomes_its_phrases() -> None:
    from extraction.pipeline import _finite_phrases, get_pipeline

    pattern = ({"LOWER": {"IN": ["perfusion", "perfussion"]}}, {"LOWER": "is"}, {"LOWER": {"IN": ["normal", "nl"]}})
    assert _finite_phrases(pattern, get_pipeline()) == [
        "perfusion is normal",
        "perfusion is nl",
        "perfussion is normal",
        "perfussion is nl",
    ]


@pytest.mark.parametrize(
    "pattern",
    [
        ({"LOWER": "normal"}, {"LOWER": {"IN": ["spect", "pet"]}, "OP": "*"}, {"LOWER": "study"}),
        ({"LOWER": "normal"}, {"IS_DIGIT": True}),
        ({"LOWER": {"IN": ["pet/ct", "spect"]}}, {"LOWER": "study"}),  # "pet/ct" is three tokens
        ({"LOWER": {"IN": [str(i) for i in range(20)]}}, {"LOWER": {"IN": [str(i) for i in range(20)]}}),
    ],
)
def test_a_pattern_that_is_not_a_short_phrase_list_stays_a_pattern(pattern: tuple[dict[str, Any], ...]) -> None:
    from extraction.pipeline import _finite_phrases, get_pipeline

    assert _finite_phrases(pattern, get_pipeline()) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Perfusion images were normal at rest and stress.", [("RESULT", "Perfusion images were normal")]),
        ("Myocardial perfusion is within normal limits.", [("RESULT", "perfusion is within normal limits")]),
        ("Normal LV myocardial perfusion.", [("RESULT", "Normal LV myocardial perfusion")]),
    ],
)
def test_result_phrases_and_patterns(text: str, expected: list[tuple[str, str]]) -> None:
    from extraction.pipeline import SPAN_GROUP, get_pipeline

    doc = get_pipeline()(text)
    assert [(s.label_, s.text) for s in doc.spans[SPAN_GROUP] if s.label_ == "RESULT"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A large moderate to severe fixed inferior defect.", ["moderate to severe"]),
        ("A moderate-to-severe inferior defect.", ["moderate-to-severe"]),
        ("A mild to moderate anterior defect.", ["mild to moderate"]),
    ],
)
def test_a_severity_range_is_one_severity(text: str, expected: list[str]) -> None:
    from extraction.pipeline import SPAN_GROUP, get_pipeline

    doc = get_pipeline()(text)
    assert [s.text for s in doc.spans[SPAN_GROUP] if s.label_ == "SEVERITY"] == expected


@pytest.mark.parametrize(
    ("text", "headers"),
    [
        ("Exercise 9 min. IMPRESSION: Normal study.", [("impression", "IMPRESSION:")]),
        ("MRN: 1          DOB: 01/01/1961", [("patient", "MRN:"), ("patient", "DOB:")]),
        ("The findings were reviewed with the referring physician.", []),
        ("Normal study, impression: low risk.", []),
        (
            "FINDINGS: x\nADDENDUM #2: y\nAddendum 3\nz",
            [("findings", "FINDINGS:"), ("addendum", "ADDENDUM #2:"), ("addendum", "Addendum 3\n")],
        ),
    ],
)
def test_section_headers_start_a_line_or_follow_a_sentence(text: str, headers: list[tuple[str, str]]) -> None:
    from extraction.pipeline import get_pipeline

    doc = get_pipeline()(text)
    found = [(s.category, doc[s.title_start : s.title_end].text) for s in doc._.sections if s.category]
    assert found == headers


@pytest.mark.parametrize("text", _TEXTS)
def test_the_tokenizer_keeps_the_text_of_the_doc(text: str) -> None:
    """The Doc keeps the text as the pipeline reads it, of the given text's length (so every offset is the
    given text's)."""
    from extraction.pipeline import doc_text, get_pipeline, layout_view, line_end_view

    doc = get_pipeline()(text)
    read = layout_view(line_end_view(text))
    assert (doc._.ncreport_text, doc_text(doc), len(read)) == (read, doc.text, len(text))


def test_sentences_start_after_punctuation_but_not_after_an_abbreviation() -> None:
    from extraction.pipeline import _boundaries

    text = "Normal study.  No ischemia;mild defect, vs. prior; see Dr. Smith.\n1. Low risk"
    assert sorted(_boundaries(text)) == [0, 15, 27, 51, 66]


def test_a_section_header_is_a_sentence_of_its_own() -> None:
    from extraction.pipeline import get_pipeline

    doc = get_pipeline()("Exercise 9 min. IMPRESSION: Normal study; no ischemia.")
    assert [s.text for s in doc.sents] == ["Exercise 9 min.", "IMPRESSION:", "Normal study;", "no ischemia."]


def test_a_token_is_in_the_section_that_covers_it() -> None:
    from extraction.pipeline import get_pipeline

    doc = get_pipeline()("Stress test.\nFINDINGS: LVEF 64%.")
    assert [(t.text, t._.section_category) for t in doc] == [
        ("Stress", None),
        ("test", None),
        (".", None),
        ("\n", None),
        ("FINDINGS", "findings"),
        (":", "findings"),
        ("LVEF", "findings"),
        ("64", "findings"),
        ("%", "findings"),
        (".", "findings"),
    ]


def test_a_label_whose_concepts_share_one_value_needs_no_rule_look_up() -> None:
    from extraction.assemble import _label_value

    values = _label_value()
    shared = (values["LVEF"], values["EXERCISE"], "WALL" in values, "RESULT" in values)
    assert shared == (None, "exercise", False, False)


def test_context_edges_are_those_of_medspacys_graph(dev_reports: list[tuple[str, str, Any]]) -> None:
    from medspacy.context.context_graph import ConTextGraph

    from extraction.pipeline import get_pipeline

    nlp = get_pipeline()
    compared = 0
    for _, text, _ in dev_reports:
        doc = nlp(text)  # kept: the graph's targets are spans of the Doc's span group
        swept = doc._.context_graph
        assert type(swept).__name__ == "SweptContextGraph"
        plain = ConTextGraph(targets=swept.targets, modifiers=swept.modifiers)
        for modifier in plain.modifiers:  # the scopes as ConText left them; the targets found again
            modifier._targets, modifier._num_targets = [], 0
        plain.apply_modifiers()
        key = [((t.start, t.end, t.label_), (m.modifier_span, m.category)) for t, m in swept.edges]
        assert key == [((t.start, t.end, t.label_), (m.modifier_span, m.category)) for t, m in plain.edges]
        compared += len(key)
    assert compared > 100


def _concept_token_matcher() -> Any:
    from extraction.pipeline import get_pipeline

    return get_pipeline().get_pipe("medspacy_target_matcher")._TargetMatcher__matcher._MedspacyMatcher__matcher


def test_the_concept_token_matcher_runs_on_the_runs_of_pattern_words_only() -> None:
    from extraction.pipeline import _WindowedMatcher, get_pipeline

    windowed = _concept_token_matcher()
    assert isinstance(windowed, _WindowedMatcher) and windowed._windowed
    doc = get_pipeline().make_doc(
        "Impression: mildly abnormal, gated SPECT study. Otherwise normal.\nProbably normal stress perfusion scan."
    )
    assert [doc[a:b].text for _, a, b in windowed(doc)] == [
        "mildly abnormal, gated SPECT", "abnormal, gated SPECT", "mildly abnormal, gated SPECT study",
        "abnormal, gated SPECT study", "Probably normal stress perfusion", "normal stress perfusion",
        "Probably normal stress perfusion scan", "normal stress perfusion scan",
    ]  # fmt: skip
    assert windowed(get_pipeline().make_doc("LVEF 55%. No defect.")) == []  # no word a pattern starts with


def test_the_concept_token_matcher_finds_what_spacys_matcher_finds_in_the_whole_doc(
    dev_reports: list[tuple[str, str, Any]],
) -> None:
    from extraction.pipeline import get_pipeline

    nlp, windowed = get_pipeline(), _concept_token_matcher()
    docs = [nlp.make_doc(text) for _, text, _ in dev_reports]
    assert sum(len(windowed(doc)) for doc in docs) > 20
    assert [windowed(doc) for doc in docs] == [list(windowed._matcher(doc)) for doc in docs]


def _context_cue_doc(text: str) -> Any:
    """``text`` through the pipeline up to ConText (sentence starts set: a cue may ask for one)."""
    from extraction.pipeline import get_pipeline

    nlp = get_pipeline()
    names = [name for name, _ in nlp.pipeline]
    with nlp.select_pipes(enable=names[: names.index("medspacy_context")]):
        return nlp(text)


def test_contexts_cue_matcher_runs_on_the_runs_of_cue_words_with_a_comma_a_sentence_start_and_an_optional_word() -> (
    None
):
    from extraction.pipeline import _WindowedMatcher, get_pipeline

    cues = get_pipeline().get_pipe("medspacy_context")._ConText__matcher._MedspacyMatcher__matcher
    assert isinstance(cues, _WindowedMatcher) and cues._windowed
    doc = _context_cue_doc(
        "Not identified on this study: any ischemia. The inferior wall is thin, and the severity of the defect is mild."
    )
    assert [doc[a:b].text for _, a, b in cues(doc)] == ["Not identified", ", and the", "and the severity of"]
    doc = _context_cue_doc(
        "Small apical scar, representing prior infarction, so this is a low risk study. Anterior defect not free of"
        " artifact."
    )
    assert [doc[a:b].text for _, a, b in cues(doc)] == [", representing", "so this is", "not free", "not free of"]
    assert cues(doc) == list(cues._matcher(doc))


def test_contexts_cue_matcher_finds_what_spacys_matcher_finds_in_the_whole_doc(
    dev_reports: list[tuple[str, str, Any]],
) -> None:
    from extraction.pipeline import get_pipeline

    cues = get_pipeline().get_pipe("medspacy_context")._ConText__matcher._MedspacyMatcher__matcher
    docs = [_context_cue_doc(text) for _, text, _ in dev_reports]
    assert sum(len(cues(doc)) for doc in docs) >= 5  # the cues are rare: five in these reports
    assert [cues(doc) for doc in docs] == [list(cues._matcher(doc)) for doc in docs]


def test_the_sections_are_those_of_medspacys_sectionizer(dev_reports: list[tuple[str, str, Any]]) -> None:
    from medspacy.section_detection import Sectionizer

    from extraction.pipeline import get_pipeline

    nlp = get_pipeline()
    sectionizer = nlp.get_pipe("medspacy_sectionizer")
    assert type(sectionizer) is not Sectionizer  # without medspaCy's assignment to every token

    def sections(doc: Any) -> list[tuple[Any, ...]]:
        return [
            (s.category, s.title_start, s.title_end, s.body_start, s.body_end, s.parent, s.rule) for s in doc._.sections
        ]

    texts = [text for _, text, _ in dev_reports] + [*_TEXTS, "", "no header at all"]
    ours = [sections(sectionizer(nlp.make_doc(text))) for text in texts]
    assert sum(len(s) for s in ours) > 100
    assert ours == [sections(Sectionizer.__call__(sectionizer, nlp.make_doc(text))) for text in texts]
