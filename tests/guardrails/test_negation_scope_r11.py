"""Issue 15, negation scope: a denial that ends its clause with its predicate ("is no longer seen", "has resolved",
"is not seen") stops at the clause opener after it (", while", ", whereas", ", and a/the/new ...", "; "), so the
next clause's finding is affirmed. The ConText TERMINATE cues of ``extraction/resources/context_rules.json``.

Wordings written for these tests; the wrong statements are still flagged with their literal codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from reporter.domain.study import Study

# prior report (03/2024): moderate reversible LAD defect; now that defect gone, a new mild reversible inferior
# (RCA) defect
LAD_GONE_NEW_RCA = "dev4_spect_followup_prior_report_lad_resolved_new_rca"


@pytest.mark.parametrize(
    "text",
    [
        "The anterior defect noted in March 2024 is no longer seen, while a new reversible inferior defect has "
        "appeared.",
        "The anterior defect noted in March 2024 is no longer seen, and a new reversible inferior defect has appeared.",
        "The anterior defect noted in March 2024 is no longer seen, but a new reversible inferior defect has appeared.",
        "The LAD defect of 2024 is no longer present, whereas there is now a reversible inferior defect.",
        "The anterior defect of March 2024 is no longer seen; a new reversible inferior defect is present.",
        "The anterior ischemia seen in March 2024 has resolved, and a new reversible inferior defect is seen.",
        "The anterior defect of March 2024 is not seen today, and the inferior wall now shows a new reversible defect.",
        "Previously seen anterior defect no longer evident, while new inferior ischemia is present.",
    ],
)
def test_a_denial_ending_its_clause_leaves_the_next_clauses_defect_affirmed(
    text: str, study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(LAD_GONE_NEW_RCA)) == []


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # the new defect in the wrong wall: the affirmed clause is still checked
        (
            "The anterior defect noted in March 2024 is no longer seen, while a new reversible anterior defect has "
            "appeared.",
            ["G202"],
        ),
        (
            "The anterior defect noted in March 2024 is no longer seen, while a new small reversible lateral defect "
            "has appeared.",
            ["G202"],
        ),
        # the new defect called fixed: its reversibility is read now that the denial no longer reaches it
        (
            "The anterior defect noted in March 2024 is no longer seen, and a new fixed inferior defect has appeared.",
            ["G303"],
        ),
        # the resolved defect said to persist
        (
            "The anterior defect noted in March 2024 persists, while a new reversible inferior defect has appeared.",
            ["G202"],
        ),
        # the new defect itself denied in its own clause
        (
            "The anterior defect noted in March 2024 is no longer seen, and a new reversible inferior defect is not "
            "seen.",
            ["G601"],
        ),
    ],
)
def test_wrong_statements_around_the_clause_boundary_are_still_flagged(
    text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(LAD_GONE_NEW_RCA)) == codes
