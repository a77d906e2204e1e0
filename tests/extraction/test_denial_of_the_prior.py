"""A denial qualified by an earlier study ("not seen on the prior study") says the finding is new: it denies the
prior, not the finding. Read backwards as "not seen", it dropped a new defect from the structure and made the
guardrails call a correct impression a negation flip."""

from __future__ import annotations

from typing import Any

import pytest

_MPI = "Technique: Tc-99m tetrofosmin gated SPECT, regadenoson stress.\n"


@pytest.mark.parametrize(
    ("findings", "walls"),
    [
        ("Moderate reversible inferolateral defect, not seen on the prior study.", ["inferolateral"]),
        ("A small fixed inferior defect, absent on the previous scan.", ["inferior"]),
        ("Mild reversible anterior defect that was never demonstrated in her earlier study.", ["anterior"]),
        ("Moderate reversible inferolateral defect, not present at the comparison exam.", ["inferolateral"]),
    ],
)
def test_a_defect_denied_on_the_prior_is_a_new_defect(structure: Any, findings: str, walls: list[str]) -> None:
    out = structure(_MPI + "Findings: " + findings + "\nImpression: Abnormal study.\n")
    assert [(d["walls"], d["certainty"]) for d in out["perfusion"]["defects"]] == [(walls, "affirmed")]


@pytest.mark.parametrize(
    "findings",
    [
        "Moderate reversible inferolateral defect, not seen.",  # the denial of the finding itself
        "No inferolateral defect is seen on the current images.",
    ],
)
def test_a_denial_of_the_finding_still_denies_it(structure: Any, findings: str) -> None:
    out = structure(_MPI + "Findings: " + findings + "\nImpression: Normal study.\n")
    assert [d for d in out["perfusion"]["defects"] if d["certainty"] == "affirmed"] == []
