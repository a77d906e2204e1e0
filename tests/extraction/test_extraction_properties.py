"""Property: arbitrary text never raises, and every span lies inside the text."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

_WORDS = st.sampled_from(
    ["No", "no", "LVEF", "EF", "55-60%", "SSS", "4", "defect", "inferior", "reversible", "prior", "BP",
     "142/74", "HR", "9:00", "min", "IMPRESSION:", "\n", "\n\n", ";", ".", "(", ")", "Lexiscan", "normal",
     "perfusion", "study", "risk", "low", "ischemia", "—", "−12", "zero", "ADDENDUM", "1."]
)  # fmt: skip


# Random characters are sometimes garbled enough to be refused with an UnreadableTextWarning (as they should):
# that warning is the expected answer here, not an error.
@pytest.mark.filterwarnings("ignore::extraction.assemble.UnreadableTextWarning")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=300), st.lists(_WORDS, max_size=60).map(" ".join)))
def test_arbitrary_text_never_raises_and_spans_are_inside(structure: Any, text: str) -> None:
    report = structure(text)
    for section in report.values():
        for value in section.values():
            items = value if isinstance(value, list) else [value]
            for item in items:
                if item is not None:
                    s, e = item["span"]
                    assert 0 <= s <= e <= len(text)
