"""Issue 16, struct_test9 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set; each test names the mechanism it checks, and each
mechanism has a control where the value must still be read (or must not be). Expected values are literal.
"""

from __future__ import annotations

from typing import Any

from report_fields import value_at


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None, str | None]]:
    return [(d["walls"], d["territory"], d["reversibility"]) for d in out["perfusion"]["defects"]]


# --- a reduction of uptake named by its phase: 'reduced stress uptake' is a defect ---------------------------------


def test_a_reduction_of_uptake_qualified_by_its_phase_is_a_defect(structure: Any) -> None:
    """'diminished post-stress tracer uptake' (the phase between the verdict and the quantity) is a perfusion
    reduction like 'diminished tracer uptake': a defect, without the word 'defect'."""
    text = (
        "MYOCARDIAL PERFUSION SPECT\n"
        "Technique: Treadmill stress, 30 mCi Tc-99m sestamibi.\n"
        "Findings: A small zone of mildly diminished post-stress tracer uptake involves the inferior wall "
        "and fills in completely on the resting images. The remaining walls are normal.\n"
        "Impression: Abnormal study with mild inferior ischemia.\n"
    )
    out = structure(text)
    assert _defects(out) == [(["inferior"], None, "reversible")]


def test_a_phase_without_a_reduction_is_no_defect(structure: Any) -> None:
    """Control: the phase word with normal uptake makes no defect."""
    text = (
        "MYOCARDIAL PERFUSION SPECT\n"
        "Technique: Treadmill stress, 30 mCi Tc-99m sestamibi.\n"
        "Findings: Stress uptake is homogeneous in all walls and rest uptake is normal.\n"
        "Impression: Normal study.\n"
    )
    out = structure(text)
    assert _defects(out) == []
    assert value_at(out, "perfusion.result") == "normal"
