"""struct_dev19 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the development set; each test names the mechanism it checks, and most
have a control where the value must still be read (or must not be). Expected values are literal.
"""

from __future__ import annotations

from typing import Any

_MPI = "Technique: Rest/stress Tc-99m sestamibi gated SPECT.\n"


def _value(out: dict[str, Any], section: str, field: str) -> Any:
    item = out[section][field]
    return None if item is None else item["value"]


# --- a one-paragraph dictation, commas its only marks -----------------------------------------------------------------

# No header, no full stop: only commas join the clauses; "in summary" opens the closing statement, and the reason
# for the study ends at the last clause joint before the test is told.
_RUN_ON = (
    "Lakeland heart clinic nuclear dictation patient Jane Roe date of study 05/06/2026 this is a 59 year old woman "
    "referred for exertional chest tightness and palpitations who cannot exercise because of a recent ankle fracture "
    "so a same day rest stress Tc-99m sestamibi SPECT was done using adenosine 140 mcg/kg/min, her heart rate went "
    "from 70 to 88 bpm, she had mild nausea and a headache but no chest pain, the stress and rest images show a small "
    "sized severe intensity defect of the basal inferior wall which fills in on the rest images consistent with "
    "ischemia in the right coronary artery territory, the other walls are normal, summed stress score 5 summed rest "
    "score 1 summed difference score 4, the gated images show an ejection fraction of 61% with normal wall motion "
    "so in summary this is an abnormal adenosine perfusion study with inferior ischemia, no infarction, low risk, "
    "dictated by John Doe MD"
)


def test_the_reason_of_a_run_on_sentence_ends_before_the_test_is_told(structure: Any) -> None:
    out = structure(_RUN_ON)
    assert _value(out, "study", "indication") == "exertional chest tightness and palpitations"


def test_a_concept_of_the_test_inside_the_reasons_clause_cuts_nothing(structure: Any) -> None:
    text = (
        "Ms Poe is a 61 year old woman referred for exercise treadmill imaging for new palpitations.\n"
        + _MPI
        + "Findings: normal perfusion.\nImpression: Normal study.\n"
    )
    out = structure(text)
    assert _value(out, "study", "indication") == "exercise treadmill imaging for new palpitations"


def test_a_summary_clause_is_the_dictations_impression(structure: Any) -> None:
    out = structure(_RUN_ON)
    assert _value(out, "impression", "overall") == "abnormal"
    assert _value(out, "impression", "infarction") == "absent"
    assert _value(out, "impression", "risk") == "low"


# --- a vendor export whose symptoms key names the stress phase --------------------------------------------------------


def test_a_symptoms_key_of_the_stress_phase_denies_chest_pain(structure: Any) -> None:
    text = (
        "Study_Date: 20260311\nModality: SPECT\nHR_Peak_bpm: 151\nSymptoms_Exercise: none\nPerfusion_Summary: Normal\n"
    )
    out = structure(text)
    assert _value(out, "stress_test", "chest_pain") == "absent"


def test_a_symptoms_key_that_names_chest_pain_is_not_a_denial(structure: Any) -> None:
    text = "Study_Date: 20260311\nModality: SPECT\nSymptoms_Stress: chest pressure\nPerfusion_Summary: Normal\n"
    out = structure(text)
    assert _value(out, "stress_test", "chest_pain") == "present"


# --- a misspelt label of a pressure said in words -------------------------------------------------------------------


def test_a_misspelt_blood_pressure_label_still_reads_its_spoken_values(structure: Any) -> None:
    text = (
        _MPI + "Procedure: The patient walked for seven minutes. Blood pressur one twenty six over seventy at rest and "
        "one fifty eight over seventy four at peak.\nImpression: Normal study.\n"
    )
    out = structure(text)
    assert _value(out, "stress_test", "rest_bp") == "126/70"
    assert _value(out, "stress_test", "peak_bp") == "158/74"


# --- an addendum that opens its second correction with "Also," ------------------------------------------------------


def test_an_addendums_further_correction_moves_the_defects_vessel(structure: Any) -> None:
    text = (
        _MPI + "Findings: There is a small, moderate, fixed defect of the basal inferolateral wall in the RCA "
        "territory.\nImpression: Abnormal study with a small inferolateral scar. No ischemia.\n"
        "ADDENDUM (06/02/2026): The LVEF is 52%, not 42%. Also, given a left dominant system at angiography, the "
        "inferolateral defect lies in the LCx territory, not the RCA territory.\n"
    )
    out = structure(text)
    defects = out["perfusion"]["defects"]
    assert len(defects) == 1
    assert defects[0]["territory"] == "LCx"
    assert defects[0]["walls"] == ["inferolateral"]


def test_an_addendum_that_widens_the_defect_keeps_its_vessel(structure: Any) -> None:
    text = (
        _MPI + "Findings: There is a small, moderate, fixed defect of the basal inferior wall in the RCA territory.\n"
        "Impression: Abnormal study with a small inferior scar. No ischemia.\n"
        "ADDENDUM: On review the inferior defect also extends into the inferoseptum.\n"
    )
    out = structure(text)
    defects = out["perfusion"]["defects"]
    assert len(defects) == 1
    assert defects[0]["territory"] == "RCA"


# --- a prior study's vessel is not lent to an apical defect of this one -----------------------------------------------


def test_the_priors_vessel_is_not_lent_through_the_apex_alone(structure: Any) -> None:
    text = (
        "Comparison: The SPECT of 02/03/2024 showed a large severe reversible defect of the anterior wall, septum and "
        "apex in the LAD territory.\n" + _MPI + "Findings: There is a small mild reversible defect of the apex.\n"
        "Impression: Abnormal study with mild apical ischemia. Improved compared with 02/03/2024.\n"
    )
    out = structure(text)
    current = [d for d in out["perfusion"]["defects"] if d["certainty"] == "affirmed"]
    assert len(current) == 1
    assert current[0]["walls"] == ["apex"]
    assert current[0]["territory"] is None


def test_the_priors_vessel_is_lent_through_a_wall_it_supplies(structure: Any) -> None:
    text = (
        "Comparison: The SPECT of 02/03/2024 showed a medium fixed defect of the inferior wall in the RCA territory.\n"
        + _MPI
        + "Findings: There is again a medium fixed defect of the inferior wall.\n"
        "Impression: Abnormal study with an inferior scar, unchanged from 02/03/2024.\n"
    )
    out = structure(text)
    current = [d for d in out["perfusion"]["defects"] if d["certainty"] == "affirmed"]
    assert len(current) == 1
    assert current[0]["territory"] == "RCA"
