"""Issue 16, second round: one test per general mechanism, with literal expected values.

The texts are written for these tests (not copied from any dev or held-out report); each states
the family it checks in its name.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import span_at, value_at


def _walls(report: dict[str, Any]) -> list[list[str]]:
    return [d["walls"] for d in report["perfusion"]["defects"]]


# --- defects described without a defect word (wording.json targets) ------------------------------


@pytest.mark.parametrize(
    ("finding", "walls", "reversibility"),
    [
        (
            "Tracer uptake is moderately diminished in the lateral wall and normalises at rest.",
            ["lateral"],
            "reversible",
        ),
        ("Reduced counts inferolaterally that normalize on the resting images.", ["inferolateral"], "reversible"),
        ("There is lower radiotracer activity in the septum, which does not change at rest.", ["septal"], "fixed"),
        (
            "Perfusion is mildly decreased at the apex and partially fills in on rest images.",
            ["apex"],
            "partially reversible",
        ),
        (
            "A region of moderate-to-severe intensity reduction in the inferior wall, reversing on redistribution.",
            ["inferior"],
            "reversible",
        ),
    ],
)
def test_a_reduction_of_uptake_is_a_defect(structure: Any, finding: str, walls: list[str], reversibility: str) -> None:
    text = f"Tc-99m sestamibi SPECT.\nFindings: {finding}\n"
    r = structure(text)
    assert _walls(r) == [walls]
    assert r["perfusion"]["defects"][0]["reversibility"] == reversibility
    assert r["perfusion"]["defects"][0]["certainty"] == "affirmed"
    assert value_at(r, "perfusion.result") == "abnormal"


def test_a_denied_reduction_is_no_defect_as_any_denied_defect(structure: Any) -> None:
    text = "Tc-99m sestamibi SPECT.\nFindings: No reduced tracer uptake in the anterior wall.\n"
    r = structure(text)
    assert r["perfusion"]["defects"] == []
    assert value_at(r, "perfusion.result") is None


def test_a_wall_abnormality_is_a_defect_but_a_wall_motion_abnormality_is_not(structure: Any) -> None:
    text = (
        "Tetrofosmin SPECT.\nFindings: There is an inferior abnormality on the short axis views. "
        "Anterior wall motion abnormality.\n"
    )
    assert _walls(structure(text)) == [["inferior"]]


def test_a_cue_inside_the_wording_does_not_negate_it(structure: Any) -> None:
    text = "Sestamibi SPECT.\nFindings: Reduced uptake in the inferior wall that does not reverse.\n"
    r = structure(text)
    assert r["perfusion"]["defects"][0]["reversibility"] == "fixed"


def test_two_defect_phrases_with_their_own_walls_are_two_defects(structure: Any) -> None:
    text = (
        "Myoview SPECT.\nFindings: There is a large area of severe intensity reduction in the lateral wall "
        "and a small area of mild reduced uptake at the apex and inferoapical wall.\n"
    )
    assert _walls(structure(text)) == [["lateral"], ["apex", "inferior"]]


# --- normal verdicts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "No diagnostic abnormality on the rest and stress myocardial perfusion imaging.",
        "Stress-only perfusion SPECT with no significant abnormality.",
        "No significant perfusion abnormality.",
    ],
)
def test_a_denied_perfusion_abnormality_is_a_normal_verdict(structure: Any, sentence: str) -> None:
    r = structure(f"Tc-99m tetrofosmin SPECT.\nImpression: {sentence}\n")
    assert value_at(r, "perfusion.result") == "normal"
    assert value_at(r, "impression.overall") == "normal"
    assert value_at(r, "impression.ischemia") == "absent"


def test_a_reversible_defect_denied_is_not_a_normal_verdict(structure: Any) -> None:
    r = structure("Sestamibi SPECT.\nImpression: No perfusion defect to suggest ischemia.\n")
    assert value_at(r, "impression.overall") is None


# --- the verdict of a report without an impression section ---------------------------------------


def test_the_closing_verdict_of_a_one_paragraph_report_is_its_impression(structure: Any) -> None:
    text = (
        "Exercise sestamibi. Walked 9:00 on Bruce, no CP, ECG negative. Normal perfusion, no defects. "
        "EF 61%. Normal study, low risk."
    )
    r = structure(text)
    assert value_at(r, "impression.overall") == "normal"
    assert span_at(r, text, "impression.overall") == "Normal study"
    assert value_at(r, "impression.ischemia") == "absent"
    assert value_at(r, "impression.risk") == "low"


def test_a_closing_paragraph_without_header_gives_the_impression(structure: Any) -> None:
    text = (
        "Regadenoson tetrofosmin SPECT.\n\nThere is reduced uptake in the inferior wall which reverses at rest.\n\n"
        "In summary this is an abnormal myocardial perfusion study with inferior ischemia. No infarct.\n"
    )
    r = structure(text)
    assert value_at(r, "impression.overall") == "abnormal"
    assert value_at(r, "impression.ischemia") == "present"
    assert value_at(r, "impression.infarction") == "absent"


def test_a_concluding_interpretation_section_is_the_impression(structure: Any) -> None:
    text = (
        "Tc-99m tetrofosmin SPECT, stress only.\nRESULTS: Homogeneous tracer distribution.\n"
        "INTERPRETATION:\n1. Stress-only myocardial perfusion SPECT with no diagnostic abnormality.\n"
        "2. Low annual risk of cardiac death or MI.\n"
    )
    r = structure(text)
    assert value_at(r, "impression.overall") == "normal"
    assert value_at(r, "impression.infarction") == "absent"  # from the normal verdict, not "MI" as a risk outcome
    assert span_at(r, text, "impression.infarction") != "MI"


# --- "myocardial infarction" as a risk outcome or in the reason for the study --------------------


def test_an_infarction_named_as_a_risk_is_no_finding(structure: Any) -> None:
    text = "Sestamibi SPECT.\nImpression: Abnormal study. High risk of myocardial infarction.\n"
    r = structure(text)
    assert value_at(r, "impression.infarction") is None


# --- dates: day or month first by the report's own evidence --------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "certainty"),
    [
        ("Study date: 02/03/2025\nSestamibi SPECT.", "2025-02-03", "uncertain"),  # no evidence: US order, uncertain
        ("Study date: 02/03/2025\nPrior study 21/06/2021.", "2025-03-02", "affirmed"),  # 21/06 is day first
        ("Study date: 02/03/2025\nPrior study 06/21/2021.", "2025-02-03", "affirmed"),  # 06/21 is month first
        ("DATE OF STUDY 09.10.2024\nTetrofosmin SPECT.", "2024-10-09", "affirmed"),  # a dotted date is day first
        ("Study date: 21/03/2025", "2025-03-21", "affirmed"),  # the date itself is unambiguous
        ("Rubidium PET/CT, 2025-02-03\nIndication: dyspnoea.", "2025-02-03", "affirmed"),  # first line, no label
    ],
)
def test_the_study_date_order_is_read_from_unambiguous_evidence(
    structure: Any, text: str, value: str, certainty: str
) -> None:
    date = structure(text)["study"]["study_date"]
    assert (date["value"], date["certainty"]) == (value, certainty)


def test_a_date_of_birth_on_the_first_line_is_not_the_study_date(structure: Any) -> None:
    assert structure("Name: DOE, J  DOB: 9/14/1951\nSestamibi SPECT.")["study"]["study_date"] is None


# --- an addendum updates the defect it speaks of -------------------------------------------------


def test_an_addendum_widens_its_defect_and_keeps_provenance(structure: Any, structure_typed: Any) -> None:
    text = (
        "Thallium-201 SPECT.\nFINDINGS: There is a large fixed defect of the inferior wall.\n"
        "IMPRESSION: Inferior infarct.\nADDENDUM: The defect also involves the basal inferolateral wall.\n"
    )
    r = structure(text)
    (defect,) = r["perfusion"]["defects"]
    assert defect["walls"] == ["inferior", "inferolateral"]
    assert text[defect["span"][0] : defect["span"][1]] == "a large fixed defect of the inferior wall"
    (amended,) = defect["amended_by"]
    assert text[amended[0] : amended[1]] == "The defect also involves the basal inferolateral wall"
    assert structure_typed(text).perfusion.defects[0].amended_by == [amended]


def test_a_defect_without_addendum_has_no_amended_by(structure: Any) -> None:
    r = structure("Sestamibi SPECT.\nFINDINGS: Small fixed inferior defect.\n")
    assert "amended_by" not in r["perfusion"]["defects"][0]


def test_an_addendum_verdict_replaces_the_impression(structure: Any) -> None:
    text = (
        "Sestamibi SPECT.\n"
        "Findings: Small area of mildly decreased activity at the apex, which may represent thinning.\n"
        "Impression: Probably normal study. Ischemia is considered unlikely.\n"
        "ADDENDUM: Re-read with prone images: small area of reversible ischemia at the apex. "
        "The impression is amended to: mildly abnormal study.\n"
    )
    r = structure(text)
    assert value_at(r, "impression.overall") == "abnormal"
    assert value_at(r, "perfusion.result") == "abnormal"
    assert value_at(r, "impression.ischemia") == "present"
    assert _walls(r) == [["apex"]]


# --- prior defects, artifacts, apex ---------------------------------------------------------------


def test_a_prior_study_defect_is_historical_never_current(structure: Any) -> None:
    text = (
        "Sestamibi SPECT.\nFINDINGS: Normal perfusion.\nCOMPARISON: Prior MPI of 2022 showed a fixed inferior defect.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["certainty"]) for d in defects] == [(["inferior"], "historical")]


def test_a_finding_stated_to_be_artifact_is_no_defect(structure: Any) -> None:
    text = (
        "Sestamibi SPECT.\nFINDINGS: Mildly reduced counts in the anterior wall which improve on prone imaging; "
        "this is in keeping with breast attenuation.\n"
    )
    r = structure(text)
    assert r["perfusion"]["defects"] == []
    assert value_at(r, "perfusion.artifact") == "attenuation"


def test_a_finding_that_may_be_artifact_stays_an_uncertain_defect(structure: Any) -> None:
    text = "Sestamibi SPECT.\nFINDINGS: Mild inferior defect; this may represent diaphragmatic attenuation.\n"
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["certainty"]) for d in defects] == [(["inferior"], "uncertain")]


def test_apex_and_apical_are_one_wall_and_apical_alone_is_the_apex(structure: Any) -> None:
    r = structure("Sestamibi SPECT.\nFINDINGS: Large fixed anterior and apical defect at the apex.\n")
    assert _walls(r) == [["anterior", "apex"]]


# --- stress test wording -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The ECG showed no ST segment deviation, which is nondiagnostic for ischemia.", "nondiagnostic"),
        ("ECG_STRESS=No ST changes; nondiagnostic (pharmacologic)", "nondiagnostic"),
        ("ECG: upsloping 1 mm J-point depression at peak, a normal response.", "nonischemic"),
        ("1.5 mm upsloping ST depression, not diagnostic of ischemia.", "nonischemic"),
    ],
)
def test_ecg_verdicts(structure: Any, sentence: str, value: str) -> None:
    assert value_at(structure(f"Exercise sestamibi SPECT.\n{sentence}\n"), "stress_test.ecg_response") == value


def test_asymptomatic_exercise_is_no_chest_pain(structure: Any) -> None:
    text = (
        "History: chest discomfort in the waiting room, resolved.\n"
        "Stress: Bruce protocol. Asymptomatic throughout exercise and recovery.\n"
    )
    assert value_at(structure(text), "stress_test.chest_pain") == "absent"


def test_a_lowest_blood_pressure_is_no_peak(structure: Any) -> None:
    r = structure("Dipyridamole stress. Blood pressure 148/84 at baseline, lowest 130/76.")
    assert (value_at(r, "stress_test.rest_bp"), value_at(r, "stress_test.peak_bp")) == ("148/84", None)


def test_the_indication_is_the_reason_and_the_request_after_it(structure: Any) -> None:
    text = (
        "Indication: Exertional chest pain; intermediate pretest probability. Non-smoker. Resting ECG normal.\n"
        "Clinical history: 70 y/o woman, prior MI, new dyspnea. Assess viability and ischemia.\n"
    )
    assert value_at(structure(text), "study.indication") == "Exertional chest pain; intermediate pretest probability"
    second = "Clinical history: 70 y/o woman, prior MI, new dyspnea. Assess viability and ischemia.\n"
    assert (
        value_at(structure(second), "study.indication")
        == "70 y/o woman, prior MI, new dyspnea. Assess viability and ischemia"
    )


# --- speed: the anchored search finds what a full search finds ------------------------------------


def test_anchored_target_search_finds_every_match_of_a_full_search(
    dev_reports: list[tuple[str, str, Any]], struct_dev2_reports: list[tuple[str, str, Any]]
) -> None:
    from extraction.pipeline import _anchored_matches
    from extraction.rules import load_wording

    texts = [text for _, text, _ in dev_reports + struct_dev2_reports]
    assert len(texts) == 42
    for target in load_wording().targets:
        for text in texts:
            full = [m.span() for m in target.pattern.finditer(text)]
            anchored = [m.span() for m in _anchored_matches(target.pattern, text, text.lower(), target.anchors)]
            assert anchored == full, (target.label, target.value)


def test_struct_dev2_defects_and_verdicts(structure: Any, struct_dev2_reports: list[tuple[str, str, Any]]) -> None:
    """The blind writer's set (a development set since its first run): every defect's walls and every verdict."""
    for name, text, gold in struct_dev2_reports:
        r = structure(text)
        got = sorted(sorted(d["walls"]) for d in r["perfusion"]["defects"])
        want = sorted(sorted(d["walls"]) for d in gold["perfusion"]["defects"])
        assert got == want, name
        for path in ("perfusion.result", "impression.overall", "impression.ischemia", "impression.infarction"):
            section, field = path.split(".")
            want_value = gold[section][field] and gold[section][field]["value"]
            assert value_at(r, path) == want_value, (name, path)


def test_a_heart_rate_of_is_no_risk_cue(structure: Any) -> None:
    r = structure("INTERPRETATION: Resting heart rate of 67, blood pressure of 129/86. Peak heart rate was 83.")
    assert (value_at(r, "stress_test.rest_hr_bpm"), value_at(r, "stress_test.rest_bp")) == (67, "129/86")


@pytest.mark.parametrize(
    "text",
    [
        "68 yo man with prior inferior MI, referred for chest pain. Sestamibi SPECT. Normal perfusion. Normal study.",
        "A 70-year-old woman with a history of anterior myocardial infarction was referred for evaluation of "
        "ischemia. Exercise sestamibi SPECT. Normal perfusion.",
    ],
)
def test_an_infarction_in_the_patient_description_is_no_defect(structure: Any, text: str) -> None:
    r = structure(text)
    assert r["perfusion"]["defects"] == []
    assert value_at(r, "perfusion.result") == "normal"


def test_a_defect_word_in_a_patient_sentence_still_counts(structure: Any) -> None:
    text = "Sestamibi SPECT in a 70-year-old man: there is a large fixed anterior defect."
    assert _walls(structure(text)) == [["anterior"]]


def test_perfusion_unremarkable_is_a_perfusion_verdict_not_the_overall_one(structure: Any) -> None:
    r = structure("Sestamibi SPECT. Perfusion unremarkable. EF 60%.")
    assert (value_at(r, "perfusion.result"), value_at(r, "impression.overall")) == ("normal", None)


def test_a_conclusion_after_a_dash_is_the_closing_verdict(structure: Any) -> None:
    r = structure("Rest/stress tetrofosmin SPECT. Conclusion - normal scan, low risk.")
    assert (value_at(r, "impression.overall"), value_at(r, "impression.risk")) == ("normal", "low")


def test_an_addendum_that_extends_a_wall_adds_the_new_wall(structure: Any) -> None:
    text = (
        "Tetrofosmin SPECT.\nFINDINGS: Moderate reversible inferior defect.\n"
        "ADDENDUM: On review, the inferior defect extends into the inferolateral wall.\n"
    )
    (defect,) = structure(text)["perfusion"]["defects"]
    assert (defect["walls"], defect["severity"], defect["reversibility"]) == (
        ["inferior", "inferolateral"],
        "moderate",
        "reversible",
    )


@pytest.mark.parametrize(
    ("findings", "reversibility"),
    [
        ("There is a mild decrease in counts in the inferior wall. This normalizes on the rest images.", "reversible"),
        ("Moderate inferior defect. The defect is not reversible.", "fixed"),
        ("Severely reduced thallium uptake in the inferolateral segments without redistribution.", "fixed"),
        ("Photopenic area at the apex on stress, improving at rest.", "reversible"),
    ],
)
def test_reversibility_said_next_or_denied(structure: Any, findings: str, reversibility: str) -> None:
    (defect,) = structure(f"Sestamibi SPECT.\nFindings: {findings}\n")["perfusion"]["defects"]
    assert defect["reversibility"] == reversibility


@pytest.mark.parametrize(
    ("text", "overall"),
    [
        ("Exercise Cardiolite SPECT, 10 METs. Perfusion normal, EF 65%. The study is normal.", "normal"),
        ("Sestamibi SPECT.\nImpression: This study is abnormal due to a fixed inferior defect.\n", "abnormal"),
    ],
)
def test_a_verdict_stated_as_a_predicate(structure: Any, text: str, overall: str) -> None:
    assert value_at(structure(text), "impression.overall") == overall


def test_a_stated_number_under_a_running_negation_is_affirmed(structure: Any) -> None:
    r = structure("Sestamibi SPECT.\nFindings: There is no transient ischemic dilation (TID 1.04).\n")
    assert (r["function"]["tid_ratio"]["value"], r["function"]["tid_ratio"]["certainty"]) == (1.04, "affirmed")


def test_an_addendum_that_confirms_a_hedged_defect_makes_it_affirmed(structure: Any) -> None:
    text = (
        "Sestamibi SPECT.\nFINDINGS: Small mild inferior defect, possibly diaphragmatic attenuation.\n"
        "ADDENDUM: On prone images the inferior defect persists and is judged a true perfusion defect.\n"
    )
    (defect,) = structure(text)["perfusion"]["defects"]
    assert (defect["walls"], defect["certainty"], len(defect["amended_by"])) == (["inferior"], "affirmed", 1)
