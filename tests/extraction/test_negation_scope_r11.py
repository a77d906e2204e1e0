"""Issue 16, negation scope: a denial that ends its clause with its predicate ("is no longer seen", "has resolved",
"is not seen") does not reach past the clause opener after it (", while", ", whereas", ", but", ", and a/the/new
...", "; "): the defect the next clause names is affirmed and described on its own, the denied one stays denied.

Wordings written for these tests. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest

_MPI = "Technique: Rest/stress Tc-99m sestamibi gated SPECT.\n"


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None, str | None, str]]:
    return [(d["walls"], d["severity"], d["reversibility"], d["certainty"]) for d in out["perfusion"]["defects"]]


def _affirmed(out: dict[str, Any]) -> list[tuple[list[str], str | None, str | None, str]]:
    return [d for d in _defects(out) if d[3] == "affirmed"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The anterior defect seen on the prior study is no longer seen, while a new reversible inferior defect has "
        "appeared.",
        "The anterior defect seen on the prior study is no longer seen, and a new reversible inferior defect has "
        "appeared.",
        "The anterior defect seen on the prior study is no longer seen, but a new reversible inferior defect has "
        "appeared.",
        "The anterior defect is no longer seen, and the inferior wall shows a new reversible defect.",
    ],
)
def test_the_new_defect_after_a_denial_is_affirmed_and_the_old_one_denied(structure: Any, sentence: str) -> None:
    out = structure(_MPI + "Findings: " + sentence + "\n")
    assert _affirmed(out) == [(["inferior"], None, "reversible", "affirmed")]
    assert all(d[0] != ["anterior", "inferior"] for d in _defects(out))
    assert [d for d in _defects(out) if "anterior" in d[0]] in ([], [(["anterior"], None, None, "negated")])


def test_a_defect_denied_in_its_wall_before_a_while_clause(structure: Any) -> None:
    out = structure(
        _MPI + "Findings: No defect is seen in the anterior wall, while the inferior wall shows a mild fixed defect.\n"
    )
    assert _defects(out) == [(["inferior"], "mild", "fixed", "affirmed")]


def test_a_resolved_defect_before_whereas(structure: Any) -> None:
    out = structure(
        _MPI + "Findings: The apical defect has resolved, whereas a moderate reversible defect is now seen in the "
        "lateral wall.\n"
    )
    assert _defects(out) == [(["lateral"], "moderate", "reversible", "affirmed")]


def test_a_not_seen_defect_before_and_a_new_one(structure: Any) -> None:
    out = structure(_MPI + "Findings: The lateral defect is not seen, and a new mild fixed apical defect is present.\n")
    assert _defects(out) == [(["apex"], "mild", "fixed", "affirmed")]


@pytest.mark.parametrize(
    "sentence",
    [
        # no clause opener: the denial runs on into the grades, and no defect of a denied grade ("fixed") is read
        "No perfusion defect in the lateral wall and a severe reversible defect of the inferior wall.",
        # a serial list under one denial stays denied
        "No defect in the anterior, anterolateral, inferolateral, inferior, and apical walls to suggest ischemia.",
        # a denied defect alone
        "The anterior defect is no longer seen.",
    ],
)
def test_a_denial_without_a_clause_opener_affirms_nothing(structure: Any, sentence: str) -> None:
    out = structure(_MPI + "Findings: " + sentence + "\n")
    assert _affirmed(out) == []
