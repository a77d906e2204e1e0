"""The word lists built from the rule files are built once per process.

``ocr_view`` and ``bilingual_view`` consult them for every text; a merge once dropped the cache of
``_rule_vocabulary`` (a decorator stacked on the function inserted above it), and verification of one physician
impression went from about 10 ms to about 50 ms with every flag unchanged. Identity is the cache's observable effect.
"""

from extraction.pipeline import _rule_phrases, _rule_vocabulary


def test_rule_vocabulary_is_built_once():
    assert _rule_vocabulary() is _rule_vocabulary()
    assert "ischemia" in _rule_vocabulary()


def test_rule_phrases_are_built_once():
    assert _rule_phrases() is _rule_phrases()
