"""struct_dev22 round (helper struct43): one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the development set (bench/data/struct_dev22); each test names the
mechanism it checks, and each mechanism has a control. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

from extraction.pipeline import dictation_view

_MPI = "Technique: Same-day rest/stress Tc-99m sestamibi gated SPECT with treadmill exercise.\n"


def _val(out: dict[str, Any], section: str, key: str) -> Any:
    found = out[section][key]
    return None if found is None else found["value"]


# --- recognition errors: a wall name split into words the recogniser knows ------------------------------------


def test_dictation_view_reads_a_split_wall_name_compound_first_and_keeps_the_length() -> None:
    text = "Reduced uptake of the in feral septal segments and the in ferior wall"
    view, changed, _ = dictation_view(text)
    assert len(view) == len(text)
    assert "inferoseptal segments" in view
    assert "the inferior  wall" in view  # a word written split keeps its first letter where it stands
    assert changed


def test_a_defect_in_misrecognised_walls_gets_the_walls_meant(structure: Any) -> None:
    text = (
        _MPI + "Findings: A small defect of mild severity involves the in ferro lateral and in feral walls, "
        "reversible at rest comma in the circumflex territory.\nImpression: Abnormal study.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [sorted(d["walls"]) for d in defects] == [["inferior", "inferolateral"]]


def test_the_word_feral_alone_is_no_wall(structure: Any) -> None:
    view, _, _ = dictation_view("Feral cats were not discussed; the anterior wall is normal.")
    assert "inferior" not in view


# --- a lung V/Q scan: its perfusion defects are the lung's, its history's heart study is not this study -------


def test_a_ventilation_perfusion_scan_lists_no_myocardial_defect_even_with_a_cardiac_history(structure: Any) -> None:
    text = (
        "ST. ALDRIC REGIONAL HOSPITAL\nNuclear Medicine\n\n"
        "Study: NM V/Q LUNG SCINTIGRAPHY\nDate of service: 03/14/2026\n"
        "Indication: Sudden dyspnoea, query pulmonary embolism.\n"
        "Past medical history: Ischaemic cardiomyopathy; prior myocardial perfusion imaging was normal in 2023.\n"
        "Technique: Tc-99m Technegas ventilation, then 4 mCi Tc-99m MAA perfusion, planar views.\n"
        "Findings: Two segmental perfusion defects in the posterior basal segment of the left lower lobe and the "
        "lateral segment of the middle lobe, both with normal ventilation.\n"
        "Impression: High probability of pulmonary embolism.\n"
    )
    out = structure(text)
    assert out["perfusion"]["defects"] == []
    assert out["perfusion"]["result"] is None


def test_a_myocardial_study_with_a_past_medical_history_still_lists_its_defect(structure: Any) -> None:
    text = (
        "Past medical history: COPD, prior V/Q scan negative.\n" + _MPI + "Findings: Moderate reversible "
        "defect of the anterior wall in the LAD territory.\nImpression: Abnormal myocardial perfusion.\n"
    )
    out = structure(text)
    assert [d["walls"] for d in out["perfusion"]["defects"]] == [["anterior"]]
    assert _val(out, "perfusion", "result") == "abnormal"


# --- a fixed-width table with a column per phase (and an earlier study's column) ----------------------------


_PHASE_TABLE = (
    "Rb-82 PET/CT, dipyridamole stress.\n\n"
    "MEASURE                 PREVIOUS     REST    STRESS\n"
    "=====================   ========   ======   =======\n"
    "Heart rate (bpm)              70       61        97\n"
    "BP (mmHg)                 126/70   150/88    131/79\n"
    "EF (%)                        63       62        57\n"
    "Global MBF (mL/min/g)       2.61     1.02      1.75\n"
    "  RCA MBF (mL/min/g)        2.70     1.10      2.90\n"
    "\nImpression: Mildly reduced global stress flow.\n"
)


def test_a_phase_column_table_gives_each_phase_its_column_and_not_the_earlier_study(structure: Any) -> None:
    out = structure(_PHASE_TABLE)
    assert _val(out, "stress_test", "rest_hr_bpm") == 61
    assert _val(out, "stress_test", "peak_hr_bpm") == 97
    assert _val(out, "stress_test", "rest_bp") == "150/88"
    assert _val(out, "stress_test", "peak_bp") == "131/79"
    assert _val(out, "function", "lvef_percent") == 57
    assert _val(out, "function", "rest_lvef_percent") == 62
    assert _val(out, "flow", "rest_mbf") == 1.02
    assert _val(out, "flow", "stress_mbf") == 1.75


def test_a_table_with_one_phase_column_only_is_no_phase_table(structure: Any) -> None:
    text = (
        "Rb-82 PET/CT, dipyridamole stress.\n\n"
        "MEASURE                 PREVIOUS    CURRENT\n"
        "Heart rate (bpm)              70         97\n"
        "\nImpression: Normal study.\n"
    )
    out = structure(text)
    assert _val(out, "stress_test", "rest_hr_bpm") != 70
    assert _val(out, "stress_test", "peak_hr_bpm") != 70
