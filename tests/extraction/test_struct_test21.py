"""struct_test21 round (helper struct35): one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set (bench/data/struct_test21); each test names the
mechanism it checks, and each mechanism has a control. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

_MPI = "Technique: Same-day rest/stress Tc-99m tetrofosmin gated SPECT with adenosine.\n"


def _val(out: dict[str, Any], section: str, key: str) -> Any:
    found = out[section][key]
    return None if found is None else found["value"]


# --- OCR: a two-letter "N0" (zero for O) is the negation "No" -------------------------------------------------


def test_ocr_zero_in_a_short_negation_reads_as_no(structure: Any) -> None:
    text = (
        "EXAM: DIPYRlDAMOLE SPECT, Tc-99m TETR0F0SMlN\n"
        "STRESS: Heart rate 6l to 88 bpm. N0 angina during the infusi0n.\n"
        "FINDINGS: Small mild fixed apical defect, likely attenuati0n.\n"
        "IMPRESSION: N0 ischemia. LVEF 58%.\n"
    )
    out = structure(text)
    assert _val(out, "stress_test", "chest_pain") == "absent"
    assert _val(out, "impression", "ischemia") == "absent"
    start, end = out["stress_test"]["chest_pain"]["span"]
    assert "N0" in text[start - 3 : end] or "angina" in text[start:end]


def test_ocr_short_word_control_a_lead_name_stays_as_written(structure: Any) -> None:
    text = _MPI + "ECG: 1 mm ST depression in V1 and V2 during infusion.\nIMPRESSION: Reversible anterior ischemia.\n"
    out = structure(text)
    assert _val(out, "impression", "ischemia") == "present"


# --- a defect "somewhat better at rest" is partly reversible; plain reversal stays reversible ------------------


def test_a_defect_only_partly_better_at_rest_is_partially_reversible(structure: Any) -> None:
    text = _MPI + "Findings: Moderate inferolateral defect on stress, slightly better on the rest images.\n"
    out = structure(text)
    assert [d["reversibility"] for d in out["perfusion"]["defects"]] == ["partially reversible"]


def test_partly_better_control_a_full_reversal_is_reversible(structure: Any) -> None:
    text = _MPI + "Findings: Moderate inferolateral defect on stress which normalizes at rest.\n"
    out = structure(text)
    assert [d["reversibility"] for d in out["perfusion"]["defects"]] == ["reversible"]
