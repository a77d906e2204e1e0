"""Issue 16, third round: mechanisms found by the struct_test3 reports, one test each, literal values.

The texts are written for these tests (not copied from any dev or test report).
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import value_at

# --- vendor exports with dotted and camel-case keys --------------------------------------------

_DOTTED_EXPORT = (
    "[Patient]\nBirthDate = 19580203\n[Study]\nStudyDate = 20240917\nAcquisition = Stress/Rest\n"
    "Radiopharm.Stress = Tc-99m Sestamibi 10 mCi\nHR.Rest = 64\nHR.Peak = 138\nBP.Rest = 132/78\n"
    "BP.Peak = 168/80\nExTime_min = 7.5\nTPD.Stress = 9 %\nTPD.Ischemic = 6 %\nEF.Stress = 55\nEF.Rest = 62\n"
    "LVSize = Normal\nPerfusion = Abnormal\n"
)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("study.study_date", "2024-09-17"),
        ("stress_test.rest_hr_bpm", 64),
        ("stress_test.peak_hr_bpm", 138),
        ("stress_test.rest_bp", "132/78"),
        ("stress_test.peak_bp", "168/80"),
        ("stress_test.exercise_duration_min", 7.5),
        ("perfusion.stress_tpd_percent", 9),
        ("perfusion.ischemic_tpd_percent", 6),
        ("function.lvef_percent", 55),
        ("function.rest_lvef_percent", 62),
        ("function.lv_size", "normal"),
    ],
)
def test_a_dotted_key_export_is_read_key_by_key(structure: Any, path: str, value: Any) -> None:
    assert value_at(structure(_DOTTED_EXPORT), path) == value


def test_a_birth_date_key_is_never_the_study_date(structure: Any) -> None:
    text = "BirthDate = 19500101\nExamDate = 20230405\nModality = SPECT\n"
    assert value_at(structure(text), "study.study_date") == "2023-04-05"


# --- LV size in either order, in prose or as a key ------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "size"),
    [
        ("LV CAVITY NORMAL SIZE.", "normal"),
        ("Gated: LVEF 58%, normal wall motion, normal volumes.", "normal"),
        ("The left ventricular size is within normal limits.", "normal"),
        ("LV size: moderately dilated.", "dilated"),
    ],
)
def test_lv_size_is_read_in_either_order(structure: Any, sentence: str, size: str) -> None:
    text = f"Tc-99m sestamibi SPECT.\nFindings: {sentence}\n"
    assert value_at(structure(text), "function.lv_size") == size


# --- an addendum header with its date or author before the colon ----------------------------------

_DATED_ADDENDUM = (
    "Tc-99m sestamibi SPECT.\nFindings: Small reversible defect of the anterior wall. SSS 4, SRS 0, SDS 4. "
    "TID 1.05.\nImpression: Abnormal study. Low risk.\n\n"
    "Addendum by Dr Q. Lindgren 12/02/2025: on review the defect also involves the anteroseptal wall. "
    "Revised SSS 8, SRS 1, SDS 7 and TID 1.25. The study should be regarded as high risk.\n"
)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("perfusion.sss", 8),
        ("perfusion.sds", 7),
        ("function.tid_ratio", 1.25),
        ("impression.risk", "high"),
    ],
)
def test_a_dated_addendum_amends_the_report(structure: Any, path: str, value: Any) -> None:
    assert value_at(structure(_DATED_ADDENDUM), path) == value


def test_a_dated_addendum_widens_the_defect_it_speaks_of(structure: Any) -> None:
    defects = structure(_DATED_ADDENDUM)["perfusion"]["defects"]
    assert [d["walls"] for d in defects] == [["anterior", "anteroseptal"]]


def test_a_line_about_attenuation_correction_is_no_addendum(structure: Any) -> None:
    text = (
        "Sestamibi SPECT.\nCorrection for attenuation was applied with CT: yes.\nFindings: SSS 3.\n"
        "Impression: Normal study, low risk.\n"
    )
    assert value_at(structure(text), "impression.risk") == "low"
    assert value_at(structure(text), "perfusion.sss") == 3


# --- a scan of another organ is no myocardial perfusion study ------------------------------------


def test_a_lung_perfusion_scan_has_no_myocardial_perfusion_findings(structure: Any) -> None:
    text = (
        "VENTILATION-PERFUSION LUNG SCAN\nDate: 03/04/2025\n\n"
        "Indication: Dyspnoea; history of myocardial infarction.\n\n"
        "Technique: Tc-99m MAA 120 MBq, planar views.\n\n"
        "Findings: Two segmental perfusion defects in the left lower lobe (lateral and posterior basal segments), "
        "mismatched.\n\nImpression: High probability of pulmonary embolism.\n"
    )
    r = structure(text)
    assert r["perfusion"]["defects"] == []
    assert value_at(r, "perfusion.result") is None
    assert value_at(r, "impression.infarction") is None


def test_a_myocardial_study_that_mentions_the_lungs_keeps_its_defect(structure: Any) -> None:
    text = (
        "Tc-99m sestamibi myocardial perfusion SPECT with lung uptake measurement\n\n"
        "Findings: Lung/heart ratio 0.35. Moderate reversible defect of the inferior wall. LVEF 58%.\n"
    )
    r = structure(text)
    assert [d["walls"] for d in r["perfusion"]["defects"]] == [["inferior"]]
    assert value_at(r, "perfusion.result") == "abnormal"


# --- a prior defect and the statement of its resolution are one defect --------------------------


def test_a_resolved_prior_defect_is_listed_once_as_historical(structure: Any) -> None:
    text = (
        "Sestamibi SPECT.\nFindings: Normal perfusion. SSS 0.\n\n"
        "Comparison: The prior study of 2022 showed a moderate reversible defect of the anterior and "
        "anteroseptal walls in the LAD territory.\n\n"
        "Impression: Normal study. The previously seen anterior/anteroseptal ischemia has resolved.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["certainty"], d["territory"]) for d in defects] == [
        (["anterior", "anteroseptal"], "historical", "LAD")
    ]


def test_an_indexed_defect_key_is_one_defect_with_its_listed_properties(structure: Any) -> None:
    text = (
        "[Study]\nTracer = Tc-99m sestamibi\n[QPS]\nSSS = 10\n"
        "Defect.1 = Inferior, inferolateral; RCA; moderate; medium; fixed\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["territory"], d["severity"], d["extent"], d["reversibility"]) for d in defects] == [
        (["inferior", "inferolateral"], "RCA", "moderate", "medium", "fixed")
    ]


# --- where the indication ends ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "indication"),
    [
        ("Clinical notes: Exertional chest tightness. Hypertension, dyslipidaemia.", "Exertional chest tightness"),
        (
            "Indication: Atypical chest pain; SPECT chosen because of a pacemaker. Smoker.",
            "Atypical chest pain",
        ),
        (
            # the choice of stress stays in the reason's sentence (shared dev gold dev19, dev31; struct_dev7 README)
            "Indication: New dyspnoea on exertion; treadmill contraindicated (aortic stenosis).",
            "New dyspnoea on exertion; treadmill contraindicated (aortic stenosis)",
        ),
        (
            "Indication: New dyspnoea on exertion; CT angiography contraindicated (renal failure).",
            "New dyspnoea on exertion",
        ),
        ('Indication = "Dyspnea on exertion, abnormal ECG"', "Dyspnea on exertion, abnormal ECG"),
        ("CLINICAL INFO: SOB ON EXERTION, R/O ISCHEMIA.", "SOB ON EXERTION, R/O ISCHEMIA"),
    ],
)
def test_the_indication_is_the_reason_for_the_study(structure: Any, section: str, indication: str) -> None:
    text = f"Tc-99m sestamibi SPECT.\n\n{section}\n\nFindings: Normal perfusion.\n"
    assert value_at(structure(text), "study.indication") == indication


def test_an_indication_header_is_read_before_a_history_header(structure: Any) -> None:
    text = (
        "Sestamibi SPECT.\n\nHistory: Anterior STEMI in 2019 with a stent to the LAD.\n"
        "Indication: Recurrent exertional chest pressure.\n\nFindings: Normal perfusion.\n"
    )
    assert value_at(structure(text), "study.indication") == "Recurrent exertional chest pressure"


def test_a_referral_that_names_the_referrer_gives_the_indication(structure: Any) -> None:
    text = (
        "Exercise sestamibi SPECT, 3 Mar 2024. Ms. A. Berg, 58, was referred by Dr. Okafor for assessment of "
        "exertional dyspnoea; she is a smoker. Homogeneous tracer uptake.\n"
    )
    assert value_at(structure(text), "study.indication") == "assessment of exertional dyspnoea"


def test_a_concluding_sentence_about_perfusion_gives_the_verdict_of_an_unheaded_report(structure: Any) -> None:
    text = (
        "Regadenoson tetrofosmin SPECT, 5 May 2024. Homogeneous uptake at stress and rest, LVEF 62%. "
        "In conclusion, myocardial perfusion is within normal limits with no evidence of inducible ischaemia.\n"
    )
    r = structure(text)
    assert (value_at(r, "impression.overall"), value_at(r, "impression.ischemia")) == ("normal", "absent")


def test_a_flow_header_labels_the_values_after_it_in_either_unit_order(structure: Any) -> None:
    text = (
        "Rb-82 PET/CT with regadenoson.\n\nMyocardial blood flow (global): rest 0.88 mL/g/min, "
        "stress 2.40 mL/g/min; myocardial flow reserve 2.73.\n"
    )
    r = structure(text)
    assert (value_at(r, "flow.rest_mbf"), value_at(r, "flow.stress_mbf"), value_at(r, "flow.mfr")) == (0.88, 2.4, 2.73)


@pytest.mark.parametrize(
    ("sentence", "artifact"),
    [
        ("Attenuation correction applied; no significant artifact.", "none"),
        (
            "Mild extracardiac (hepatic) activity near the inferior wall, not affecting interpretation.",
            "extracardiac activity",
        ),
        ("Images of good quality; the artifact review was done by the technologist.", None),
    ],
)
def test_an_artifact_of_no_named_type_counts_only_when_denied(
    structure: Any, sentence: str, artifact: str | None
) -> None:
    text = f"Tc-99m tetrofosmin SPECT.\nFindings: Normal perfusion. {sentence}\n"
    assert value_at(structure(text), "perfusion.artifact") == artifact


def test_a_finding_not_assessed_is_unknown_not_present(structure: Any) -> None:
    text = "N-13 ammonia PET/CT.\nResults: Normal perfusion. Coronary calcium was not assessed (CT not gated).\n"
    r = structure(text)
    assert (value_at(r, "calcium.cac_present"), value_at(r, "calcium.cac_score")) == (None, None)


def test_a_stress_finding_absent_on_the_rest_images_is_reversible(structure: Any) -> None:
    text = (
        "Sestamibi SPECT.\nFindings: Stress images show relative photopenia of the inferior wall, "
        "of mild severity, not seen on the rest images.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["reversibility"], d["certainty"]) for d in defects] == [
        (["inferior"], "reversible", "affirmed")
    ]


def test_a_clause_of_the_indication_about_an_outside_test_stays_in_the_indication(structure: Any) -> None:
    text = (
        "Rb-82 PET/CT.\n\nIndication: Atypical chest pain; treadmill ECG positive at another hospital.\n\n"
        "Stress: Regadenoson 0.4 mg. No ST changes.\n\nFindings: Normal perfusion.\n"
    )
    r = structure(text)
    assert value_at(r, "study.indication") == "Atypical chest pain; treadmill ECG positive at another hospital"
    assert value_at(r, "stress_test.ecg_response") == "nonischemic"


@pytest.mark.parametrize(("sentence", "tid"), [("No TID (0.99).", 0.99), ("No TID; gating failed.", None)])
def test_a_denied_finding_keeps_the_value_measured_for_it(structure: Any, sentence: str, tid: float | None) -> None:
    text = f"Sestamibi SPECT.\nFindings: Normal perfusion. {sentence}\n"
    assert value_at(structure(text), "function.tid_ratio") == tid


# --- certainty in all-caps reports ---------------------------------------------------------------


def test_all_caps_hedges_and_an_uncertain_age_read_as_in_lower_case(structure: Any) -> None:
    text = (
        "MYOCARDIAL PERFUSION SPECT, TC-99M SESTAMIBI\nFINDINGS: FIXED INFERIOR DEFECT.\n"
        "IMPRESSION: FIXED INFERIOR DEFECT C/W MYOCARDIAL INFARCTION OF UNCERTAIN AGE. "
        "MILD PERI-INFARCT ISCHEMIA CANNOT BE EXCLUDED.\n"
    )
    r = structure(text)
    assert (r["impression"]["infarction"]["value"], r["impression"]["infarction"]["certainty"]) == (
        "present",
        "affirmed",
    )
    assert (r["impression"]["ischemia"]["value"], r["impression"]["ischemia"]["certainty"]) == ("present", "uncertain")


# --- LVEF: a dated prior value, and a MUGA's resting figure ---------------------------------------


def test_a_muga_lvef_is_the_rest_lvef_and_a_dated_baseline_is_a_prior_value(structure: Any) -> None:
    text = (
        "GATED BLOOD POOL (MUGA) SCAN, 05/20/2025. Red cells labelled with 20 mCi Tc-99m. LVEF 58%. "
        "Baseline LVEF was 66% on 01/14/2025.\n"
    )
    r = structure(text)
    assert (value_at(r, "function.lvef_percent"), value_at(r, "function.rest_lvef_percent")) == (58, 58)


def test_a_value_dated_to_the_study_day_is_current(structure: Any) -> None:
    text = "Sestamibi SPECT, 03/11/2025.\nFindings: Rest LVEF 52% on 03/11/2025; post-stress LVEF 55%.\n"
    r = structure(text)
    assert (value_at(r, "function.lvef_percent"), value_at(r, "function.rest_lvef_percent")) == (55, 52)
