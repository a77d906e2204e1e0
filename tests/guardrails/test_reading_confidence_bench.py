"""The reading-confidence experiment (bench/guardrail_reading_confidence.py): its stored flags reproduce each
blind set's first, unseen scoring, and its features and scoring behave as documented."""

from __future__ import annotations

import pytest
from bench_modules import bench_module

rc = bench_module("guardrail_reading_confidence")


@pytest.fixture(scope="module")
def scorings() -> dict[str, object]:
    return {s.name: s for s in rc.load_scorings()}


# each set's README: correct impressions with no error flag, and corruptions detected, at its first scoring
@pytest.mark.parametrize(
    ("name", "clean", "impressions", "detected"),
    [
        ("dev4@904f9d7", 14, 25, 51),
        ("test4@904f9d7", 11, 21, 52),
        ("dev5@5097981", 12, 25, 51),
        ("dev6@f7fb6e7", 11, 25, 61),
        ("test5@f7fb6e7", 10, 20, 48),
        ("test6@5f5de61", 14, 21, 62),
        ("dev7@1bcff04", 11, 21, 61),
        ("dev8@0d768c6", 14, 21, 55),
        ("dev9@e7f1c17", 17, 22, 54),
    ],
)
def test_stored_flags_reproduce_the_first_unseen_scoring(
    scorings: dict, name: str, clean: int, impressions: int, detected: int
) -> None:
    o = rc.outcome(scorings[name])
    assert (o.clean_before, o.impressions, o.detections_before) == (clean, impressions, detected)


def test_a_number_far_from_its_label_is_a_weak_reading() -> None:
    text = "LAD MFR 1.10, while the circumflex and right coronary territories are preserved at 2.60 and 2.42."
    start = text.index("2.60")
    assert rc.label_distance(text, (start, start + 4), "G106") == (76, False)
    assert rc.features(text, (start, start + 4), "G106") == {"far_label>20", "far_label>40"}


def test_another_quantity_label_between_the_label_and_the_number() -> None:
    text = "Post-stress LVEF 48%, EDV 140 mL."
    start = text.index("140")
    assert rc.label_distance(text, (start, start + 3), "G101") == (10, True)


def test_a_scar_named_in_a_differential() -> None:
    text = "Small, mild fixed defect at the apex, possibly apical thinning or a small area of scar."
    start = text.index("scar")
    assert rc.features(text, (start, start + 4), "G403") == {"hedge_strict", "hedge_broad", "no_verb", "or_list"}


def test_a_clause_that_names_a_dated_prior_study() -> None:
    text = "Compared with the SPECT of 20 February 2025 (anterior ischemia, SDS 9), perfusion is normal."
    start = text.index("ischemia")
    assert rc.features(text, (start, start + 8), "G402") == {"prior_strict", "prior_broad"}


def test_a_missing_finding_has_no_reading_to_grade() -> None:
    assert rc.features("Normal perfusion.", None, "G501") == frozenset()


def _scoring(correct: list[tuple[str, str]], corrupted: list[tuple[str, str]], warnings_count: bool) -> object:
    flags = [rc.Flag(code, severity, frozenset()) for code, severity in correct + corrupted]
    ids = list(range(len(flags)))
    return rc.Scoring("x", flags, [ids[: len(correct)]], [(ids[len(correct) :], ids[: len(correct)], warnings_count)])


def test_a_downgraded_flag_clears_a_false_error_or_loses_a_detection() -> None:
    # the correct text's G302 (flag 0) is a false error; the corruption adds G101 (flag 2) beside its G302 (flag 1)
    s = _scoring([("G302", "error")], [("G302", "error"), ("G101", "error")], warnings_count=False)
    assert rc.outcome(s) == rc.Outcome(1, 0, 0, 0, 1, 1, 1)
    assert rc.outcome(s, {0}) == rc.Outcome(1, 1, 0, 1, 1, 1, 1)
    assert rc.outcome(s, {2}) == rc.Outcome(1, 0, 0, 0, 1, 1, 0)


def test_a_downgraded_flag_still_detects_where_warnings_count_but_an_info_never_does() -> None:
    assert rc.outcome(_scoring([], [("G411", "error")], warnings_count=True), {0}).detections_after == 1
    assert rc.outcome(_scoring([], [("G906", "info")], warnings_count=True)).detections_before == 0
