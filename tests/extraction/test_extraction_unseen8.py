"""Issue 16, eighth round (struct_dev7, reports h02-h08): one test per general mechanism.

Each report below is a paraphrase written for the test, not the wording of the blind report; the test names
the mechanism it checks. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import span_at, value_at

# --- a flow table whose row-label column has no head ------------------------------------------------------


def test_flow_table_without_a_row_label_head_is_read_from_its_global_row(structure: Any) -> None:
    text = (
        "N-13 ammonia PET, adenosine stress.\n"
        "Myocardial blood flow (ml/min/g):\n"
        "              Rest    Stress    Reserve\n"
        "  LAD         0.71    1.52      2.14\n"
        "  RCA         0.75    2.01      2.68\n"
        "  Global      0.74    1.80      2.43\n"
        "\nImpression: Normal perfusion.\n"
    )
    out = structure(text)
    assert (value_at(out, "flow.rest_mbf"), value_at(out, "flow.stress_mbf"), value_at(out, "flow.mfr")) == (
        0.74,
        1.80,
        2.43,
    )
    assert span_at(out, text, "flow.mfr") == "2.43"


# --- a later addendum about an outside prior: its findings are the prior's, its "new since" a comparison --


_BODY = (
    "Tc-99m tetrofosmin SPECT, adenosine stress.\n"
    "FINDINGS: Moderately reduced tracer uptake in the mid and apical anterior wall at stress, normal at rest.\n"
    "IMPRESSION: Abnormal study. Reversible anterior defect (LAD). No prior imaging for comparison.\n\n"
)


def test_an_addendum_quoting_a_normal_prior_keeps_the_abnormal_verdict_and_says_worsened(structure: Any) -> None:
    text = (
        _BODY + "ADDENDUM (3 days later): The images of an exercise SPECT done elsewhere in 2023 are now available. "
        "That scan showed normal perfusion and an ejection fraction of 61%. The anterior defect is thus new since "
        "that examination.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.overall") == "abnormal"
    assert value_at(out, "perfusion.result") == "abnormal"
    assert value_at(out, "impression.comparison") == "worsened"
    assert span_at(out, text, "impression.comparison") == "new since"


@pytest.mark.parametrize(
    ("walls_text", "walls"),
    [
        ("in the mid and apical anterior wall", ["anterior"]),
        ("in the mid-ventricular and apical inferior wall", ["inferior"]),
        ("from basal to apical inferior segments", ["inferior"]),
        ("in the apical inferior segment", ["inferior", "apical"]),
    ],
)
def test_apical_as_one_of_a_range_of_levels_is_no_wall(structure: Any, walls_text: str, walls: list[str]) -> None:
    text = f"Tc-99m sestamibi SPECT.\nFINDINGS: Moderately reduced uptake {walls_text} at stress, reversible.\n"
    defects = structure(text)["perfusion"]["defects"]
    assert [d["walls"] for d in defects] == [walls]


# --- a probably normal verdict over a fixed finding called artifact ---------------------------------------


def test_probably_normal_over_an_attenuation_finding_infers_no_infarction(structure: Any) -> None:
    text = (
        "Tc-99m sestamibi SPECT, exercise.\n"
        "FINDINGS: Mildly decreased counts in the inferior wall, fixed, better on prone views and in keeping with "
        "diaphragmatic attenuation. No reversible defect.\n"
        "IMPRESSION: Probably normal perfusion study. No inducible ischemia.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.overall") == "probably normal"
    assert value_at(out, "impression.infarction") is None
    assert value_at(out, "impression.ischemia") == "absent"


def test_probably_normal_over_an_attenuation_finding_takes_the_findings_denial(structure: Any) -> None:
    text = (
        "Tc-99m sestamibi SPECT, exercise.\n"
        "FINDINGS: Mild fixed inferior defect supine only, resolving upright, likely diaphragmatic attenuation. "
        "No ischemia or infarct is seen.\n"
        "IMPRESSION: Probably normal perfusion.\n"
    )
    infarction = structure(text)["impression"]["infarction"]
    assert (infarction["value"], infarction["certainty"]) == ("absent", "affirmed")


# --- Duke score under a vendor key; the verdict of a treadmill ECG test ---------------------------------


@pytest.mark.parametrize("key", ["DUKE_TMS", "Duke_Score", "DUKE_TS"])
def test_duke_score_under_a_vendor_key(structure: Any, key: str) -> None:
    text = f"EXAM: EXERCISE MPI\nTRACER: Tc-99m sestamibi\nMETS: 10.1\n{key}: 7\nIMPRESSION: Normal study.\n"
    out = structure(text)
    assert value_at(out, "stress_test.duke_treadmill_score") == 7


def test_a_treadmill_ecg_report_has_its_overall_verdict(structure: Any) -> None:
    text = (
        "TREADMILL EXERCISE TEST\nIndication: chest pain on exertion.\n"
        "Bruce protocol, 10 min 30 s, 12.1 METs. No ST changes. No chest pain.\n"
        "Summary: Normal treadmill ECG test, good effort tolerance. No imaging was done.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.overall") == "normal"
    assert value_at(out, "impression.ischemia") is None


def test_in_a_perfusion_study_an_ecg_test_verdict_is_not_the_overall_one(structure: Any) -> None:
    text = (
        "Tc-99m sestamibi SPECT, exercise.\n"
        "FINDINGS: Severely reduced uptake in the inferior wall, fixed.\n"
        "IMPRESSION: Normal exercise ECG test. Fixed inferior defect (RCA).\n"
    )
    assert value_at(structure(text), "impression.overall") != "normal"


# --- a hedge on the cause of wall motion does not hedge the defect ----------------------------------------


def test_stunning_named_for_wall_motion_leaves_the_defect_affirmed(structure: Any) -> None:
    text = (
        "Tc-99m tetrofosmin SPECT, regadenoson stress.\n"
        "IMPRESSION: Reversible anterior defect of severe intensity (LAD territory). Anterior hypokinesis after "
        "stress, probably post-ischemic stunning.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["certainty"]) for d in defects] == [(["anterior"], "affirmed")]


# --- indication extent: history then complaint; a clause on the choice of stress ---------------------------


@pytest.mark.parametrize(
    ("section", "indication"),
    [
        (
            "Indication: Anterior MI in 2019 with LAD stenting. Now new exertional chest pressure. Assess ischemia.",
            "Anterior MI in 2019 with LAD stenting. Now new exertional chest pressure. Assess ischemia",
        ),
        (
            "Indication: Exertional breathlessness; severe hip arthritis precludes exercise.",
            "Exertional breathlessness; severe hip arthritis precludes exercise",
        ),
        (
            "Indication: Exertional chest pain; PET chosen because of large body habitus.",
            "Exertional chest pain",
        ),
        ("Indication: Exertional chest pain. Ex-smoker, hypertension.", "Exertional chest pain"),
    ],
)
def test_where_the_indication_ends(structure: Any, section: str, indication: str) -> None:
    text = f"Tc-99m sestamibi SPECT.\n\n{section}\n\nFindings: Normal perfusion.\n"
    assert value_at(structure(text), "study.indication") == indication


# --- a resting ECG under its own label is not the stress ECG's response ----------------------------------


def test_a_resting_ecg_label_gives_no_stress_response(structure: Any) -> None:
    text = (
        "EXERCISE TREADMILL REPORT\n\n"
        "Resting ECG: sinus rhythm 64/min, left axis, no ST-T abnormality.\n"
        "Bruce protocol.\n"
        "Exercise 8 min. HR 64 -> 150 bpm. Stopped for leg fatigue. 2 mm horizontal ST depression in V4-V6 at peak, "
        "ischaemic.\n"
    )
    out = structure(text)
    assert value_at(out, "stress_test.ecg_response") == "ischemic"
    assert span_at(out, text, "stress_test.ecg_response") == "ischaemic"
