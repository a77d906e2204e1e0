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


def test_checkbox_view_keeps_the_last_text_only_for_that_text():
    """A verification asks ``checkbox_view`` once per statement of one text; the last text's view is kept, and a
    different text (of the same length too) is read anew."""
    from extraction.pipeline import checkbox_view

    ticked = "Risk: [ ] Low  [x] Intermediate  [ ] High"
    plain = "Risk: intermediate, no box in this text....."[: len(ticked)]
    first = checkbox_view(ticked)
    assert checkbox_view(ticked) is first  # the same text: the view kept
    assert first == ("Risk:              Intermediate          ", ((6, 13, False), (15, 18, True), (33, 41, False)))
    assert checkbox_view(plain) == (plain, ())
    assert checkbox_view(ticked) == first


def test_wording_target_anchors_are_built_once():
    from extraction.pipeline import _target_anchors

    assert _target_anchors() is _target_anchors()
    assert all(a == a.lower() and a for a in _target_anchors())
