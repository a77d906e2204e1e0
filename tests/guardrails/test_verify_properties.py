"""verify() never raises on arbitrary text, and every span lies inside the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guardrails import verify
from reporter.domain.study import Study

_WORDS = st.sampled_from(
    [
        "LVEF",
        "55%",
        "no",
        "ischemia",
        "defect",
        "LAD",
        "RCA",
        "territory",
        "anterior",
        "wall",
        "fixed",
        "reversible",
        "TID",
        "1.3",
        "severe",
        "mild",
        "prior",
        "compared",
        "unchanged",
        "high risk",
        "SSS",
        "12",
        "mL",
        "/",
        "(",
        ")",
        "segments",
        "3,",
        "17",
        ";",
        ".",
        "\n",
        "IMPRESSION:",
        "FINDINGS:",
        "adenosine",
        "Rb-82",
        "2024-08-27",
        "bpm",
    ]
)
_TEXT = st.one_of(st.text(max_size=200), st.lists(_WORDS, max_size=40).map(" ".join))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXT)
def test_verify_never_raises_and_spans_are_inside(lad: Study, text: str) -> None:
    for scope in ("full", "impression"):
        for flag in verify(text, lad, scope=scope):  # type: ignore[arg-type]
            if flag.span is not None:
                assert 0 <= flag.span[0] <= flag.span[1] <= len(text)
