"""Issue 16, sixth round (struct_test4, unsealed): one test per general mechanism.

Each test gives the wording of the blind report (literal) and a paraphrase of it written for the test,
and names the mechanism it checks. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import value_at

# --- polarity: a finding said not to be suggested, seen or identified is denied ----------------------


@pytest.mark.parametrize(
    "text",
    [
        "IMPRESSION: Mildly abnormal study with a small area of LCx ischemia. Prior MI is not suggested.",
        "IMPRESSION: Abnormal perfusion study with mild anterior ischemia. An infarct is not identified.",
    ],
)
def test_finding_not_suggested_is_denied(structure: Any, text: str) -> None:
    """'X is not suggested / not identified' negates X backwards (context_rules.json, NEGATED_EXISTENCE)."""
    out = structure(text)
    assert value_at(out, "impression.infarction") == "absent"
    assert value_at(out, "impression.ischemia") == "present"


# --- attribution: an agent named with exercise in one line, its dose in another ---------------------


@pytest.mark.parametrize(
    "text",
    [
        "STRESS_MODE: REGADENOSON + LOW LEVEL EXERCISE\nSTRESS_AGENT: REGADENOSON 0.4 MG\nPERF_RESULT: NORMAL\n",
        "Stress: adenosine with low-level treadmill exercise.\nAgent: adenosine 140 mcg/kg/min for 6 minutes.\n"
        "Impression: Normal perfusion study.\n",
    ],
)
def test_agent_with_exercise_in_another_line_is_combined(structure: Any, text: str) -> None:
    """Exercise named in the same sentence as any mention of the agent makes the test combined
    (extraction.assemble._stress), not only the mention that carries the dose."""
    out = structure(text)
    assert value_at(out, "study.stress_type") == "exercise+pharmacologic"


# --- attribution: a prior study's finding quoted in a relative clause --------------------------------


@pytest.mark.parametrize(
    ("text", "current", "prior"),
    [
        (
            "FINDINGS: A small, mild defect of the distal anterior wall and apex completely fills in on the "
            "redistribution images (LAD).\nIMPRESSION: Small area of apical/distal anterior ischemia. Compared "
            "with the thallium study of 3/2017, which showed a fixed inferior defect only and EF 50%, the anterior "
            "ischemia is new and EF has declined.",
            ["anterior", "apex"],
            ["inferior"],
        ),
        (
            "FINDINGS: Moderate reversible perfusion defect of the lateral wall.\nCOMPARISON: Relative to the MPI of "
            "06/2021, that demonstrated a small fixed septal defect, the lateral ischemia is new.",
            ["lateral"],
            ["septal"],
        ),
    ],
)
def test_prior_finding_in_relative_clause_is_historical(
    structure: Any, text: str, current: list[str], prior: list[str]
) -> None:
    """', which showed ...' after a named prior study quotes that study up to the next comma
    (extraction.assemble._prior_quote): a historical defect with the quote's walls only, even though the
    sentence goes on to call another finding new."""
    out = structure(text)
    defects = [(d["walls"], d["certainty"]) for d in out["perfusion"]["defects"]]
    assert defects == [(current, "affirmed"), (prior, "historical")]


# --- wording: the risk named after its label ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        (
            "IMPRESSION: Mildly abnormal study with a small area of LCx ischemia. Overall risk intermediate given "
            "reduced MFR.",
            "intermediate",
        ),
        ("IMPRESSION: Abnormal perfusion study, mild inferior ischemia.\nRisk category: high.", "high"),
        ("INDICATION: Pretest risk intermediate.\nIMPRESSION: Normal perfusion study.", None),
    ],
)
def test_risk_after_its_label(structure: Any, text: str, risk: str | None) -> None:
    """'Overall risk intermediate', 'Risk category: high' (wording.json targets RISK); a pre-test risk is
    no result."""
    assert value_at(structure(text), "impression.risk") == risk


# --- scope: in a key/value export, a comparison key's value is its own line --------------------------


@pytest.mark.parametrize(
    "text",
    [
        "PERF_RESULT: ABNORMAL\nCOMPARISON: 03/15/2022 (outside) normal; LAD ischemia is new\nRISK: Intermediate\n",
        "Perfusion = Abnormal\nPrior study = 2021 MPI, normal\nRisk = intermediate\n",
    ],
)
def test_export_comparison_key_scopes_its_line(structure: Any, text: str) -> None:
    """A comparison header with its value on its line, followed by another key, ends at that line
    (extraction.pipeline._end_export_values): the risk key after it is the study's, not the prior's."""
    out = structure(text)
    assert value_at(out, "impression.risk") == "intermediate"
    assert out["impression"]["risk"]["certainty"] == "affirmed"


# --- wording: LV size as an underscored key, or in prose with a verb of seeming -----------------------


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("PERF_RESULT: NORMAL\nLV_SIZE: Normal\n", "normal"),
        ("PERF_RESULT: ABNORMAL\nLV_CAVITY_SIZE: Dilated\n", "dilated"),
        (
            "FINDINGS: Large reversible anterior perfusion defect. LV cavity appears dilated on stress images.",
            "dilated",
        ),
        ("FINDINGS: Normal perfusion. The left ventricular cavity looks mildly enlarged.", "dilated"),
    ],
)
def test_lv_size_key_and_seeming_verb(structure: Any, text: str, size: str) -> None:
    """'LV_SIZE: Normal' and 'LV cavity appears dilated' (wording.json targets LV_SIZE)."""
    assert value_at(structure(text), "function.lv_size") == size


# --- scope: an export's key for a conclusion states it outside an impression section -------------------


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        (
            "PERF_RESULT: ABNORMAL\nLV_SIZE: Normal\nINFARCT: None\nRISK: Intermediate\n",
            "impression.infarction",
            "absent",
        ),
        ("Perfusion = abnormal\nIschemia = present\nScar = none\n", "impression.ischemia", "present"),
        ("Perfusion = abnormal\nIschemia = present\nScar = none\n", "impression.infarction", "absent"),
    ],
)
def test_export_key_states_a_conclusion(structure: Any, text: str, path: str, value: str) -> None:
    """A concept that is the whole key of its line ('INFARCT: None') is the report's statement of it
    (extraction.assemble._impression_flag, _is_export_key), after any impression or addendum."""
    assert value_at(structure(text), path) == value


def test_history_key_states_no_conclusion(structure: Any) -> None:
    """A key inside the history is no conclusion: 'HISTORY: ...' then its own lines."""
    out = structure("HISTORY:\nPrior MI: yes\nIMPRESSION: Normal perfusion study.\n")
    assert value_at(out, "impression.infarction") == "absent"


# --- wording: a risk named before a title's verdict ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "overall"),
    [
        (
            "IMPRESSION: High-risk abnormal adenosine dual-isotope MPI - large area of severe reversible ischemia "
            "in the LAD territory. No infarct.",
            "abnormal",
        ),
        ("IMPRESSION:\n1. High risk, abnormal two-day CZT perfusion study with TID.\n2. LVEF 38%.", "abnormal"),
    ],
)
def test_risk_before_title_verdict(structure: Any, text: str, overall: str) -> None:
    """'High-risk abnormal ... MPI' is a title verdict (wording.json title_leads)."""
    assert value_at(structure(text), "impression.overall") == overall


# --- wording: 'Study:' and 'Scan:' as date labels -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        (
            "Name: Abernathy-Solis, Renata   MRN: KRC-55120   DOB: 1/30/1964   Study: 8/14/2025\n"
            "IMPRESSION: Normal perfusion study.",
            "2025-08-14",
        ),
        ("Patient: Doe, J   DOB: 02/03/1950   Scan: 11/20/2024\nIMPRESSION: Normal perfusion study.", "2024-11-20"),
    ],
)
def test_study_label_dates_the_study(structure: Any, text: str, date: str) -> None:
    """'Study: <date>' labels the study's date, not the birth date before it (concepts.json DATE)."""
    assert value_at(structure(text), "study.study_date") == date


# --- attribution: a value said to be from an outside study is historical ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "S: Hx HTN, DM2. Coronary calcium score 0 on outside CT (2023).\nResults: Rb-82 PET/CT. Perfusion: no "
        "defects. No coronary calcification seen on the low-dose attenuation CT. IMPRESSION: Normal PET perfusion.",
        "FINDINGS: Agatston score 150 from an outside calcium scan in 2022. Normal perfusion. "
        "The attenuation CT shows no coronary artery calcification.\nIMPRESSION: Normal perfusion study.",
    ],
)
def test_outside_study_value_is_not_current(structure: Any, text: str) -> None:
    """'score 0 on outside CT' is historical (context_rules.json: 'on/from (an) outside' HISTORICAL backward),
    so it neither stands as this study's score nor hides what this study's CT shows."""
    out = structure(text)
    assert out["calcium"]["cac_score"] is None
    assert value_at(out, "calcium.cac_present") == "absent"


# --- scope: an indication that opens with the patient's description, the reason in the next sentence ----
# struct_dev2 convention (its README): the indication is the reason alone, not the patient description
# before it. struct_test4's writer kept the description (its NOTES); the project's convention is followed.


@pytest.mark.parametrize(
    ("text", "indication"),
    [
        (
            "CLINICAL: 59M, DM, CKD3, s/p PCI RCA 2019. New exertional angina x2 wks. Eval for ischemia.\n"
            "IMPRESSION: Normal perfusion study.",
            "New exertional angina x2 wks. Eval for ischemia",
        ),
        (
            "Hx: 78 yo M w/ CAD, s/p inferior MI (1998), CABG x3 (2004), severe COPD, cannot walk on treadmill. "
            "Worsening DOE. ?ischemia prior to hernia repair.\nIMPRESSION: Normal perfusion study.",
            "Worsening DOE. ?ischemia prior to hernia repair",
        ),
        (
            "INDICATION: 64 year old woman, hypertension, hyperlipidemia. Chest tightness on stairs. R/O CAD.\n"
            "IMPRESSION: Normal perfusion study.",
            "Chest tightness on stairs. R/O CAD",
        ),
    ],
)
def test_indication_after_patient_description(structure: Any, text: str, indication: str) -> None:
    """A first sentence that describes the patient (age and sex: wording.json history_leads) and names no
    symptom is not the reason; the next sentence with a symptom is, with a request after it ('?ischemia')."""
    assert value_at(structure(text), "study.indication") == indication


# --- wording: thallium stress-redistribution is stress first -------------------------------------------


@pytest.mark.parametrize(
    ("text", "protocol"),
    [
        (
            "Technique: Dipyridamole 0.56 mg/kg infused IV over four minutes. 3.4 mCi of Tl-201 was injected and "
            "stress SPECT images obtained. Redistribution images were obtained four hours later.\n"
            "IMPRESSION: Normal perfusion study.",
            "stress-rest",
        ),
        (
            "Exercise treadmill stress with 3.0 mCi thallium-201 at peak. Delayed imaging was acquired 4 hours "
            "later.\nIMPRESSION: Normal perfusion study.",
            "stress-rest",
        ),
        (
            "Viability study: 3.5 mCi Tl-201 at rest. Redistribution images were obtained four hours later.\n"
            "IMPRESSION: Viable myocardium in the anterior wall.",
            None,
        ),
    ],
)
def test_redistribution_later_is_stress_first(structure: Any, text: str, protocol: str | None) -> None:
    """Redistribution images taken hours later (wording.json protocol_order) make a stress study stress-rest;
    a rest-redistribution study has no stress and gets no protocol from them."""
    assert value_at(structure(text), "study.protocol") == protocol
