"""Issue 16, fourth round (unseen reports written blind): one test per general mechanism.

The texts are written for these tests, in other words than the development reports; each test
names the mechanism it checks. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import span_at, value_at

# --- numbers in words: a sign and spoken decimals -------------------------------------------------


@pytest.mark.parametrize(
    ("words", "value"),
    [("minus two", -2), ("minus eleven", -11), ("ten point one", 10.1), ("seven point two five", 7.25)],
)
def test_signed_and_decimal_number_words(words: str, value: float) -> None:
    from extraction.lexicon import words_to_number

    assert words_to_number(words) == value


def test_point_without_a_digit_word_is_no_number() -> None:
    from extraction.lexicon import words_to_number

    assert words_to_number("ten point") is None
    assert words_to_number("minus") is None


@pytest.mark.parametrize(
    ("text", "mets", "duke", "mets_span"),
    [
        (
            "PROCEDURE: He exercised for nine minutes, achieving ten point one METs. Duke treadmill score was"
            " minus two.",
            10.1,
            -2,
            "ten point one METs",
        ),
        (
            "Stress: treadmill 8 minutes, eleven point four METs reached; Duke score minus four.",
            11.4,
            -4,
            "eleven point four METs",
        ),
    ],
)
def test_dictated_numbers_in_words_before_and_after_their_label(
    structure: Any, text: str, mets: float, duke: float, mets_span: str
) -> None:
    r = structure(text)
    assert value_at(r, "stress_test.mets") == mets
    assert span_at(r, text, "stress_test.mets") == mets_span
    assert value_at(r, "stress_test.duke_treadmill_score") == duke


# --- a patient-identification header covers its line ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ORDERING PHYSICIAN: Jane Roe, MD\n\nEXAMINATION: One-day rest/stress myocardial perfusion SPECT.\n",
        "Referring: Dr A. Banerjee\nType: same-day rest/stress Tc-99m tetrofosmin SPECT with regadenoson.\n",
    ],
)
def test_patient_header_does_not_swallow_the_next_line(structure: Any, text: str) -> None:
    assert value_at(structure(text), "study.protocol") == "rest-stress"


# --- a denial is no defect entry; a prior defect's resolution is -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "PET: Perfusion is normal, with uniform uptake and no regional defect, including in the septum.",
        "SPECT findings: no perfusion abnormality anywhere, in particular none at the inferior wall or apex.",
    ],
)
def test_a_denial_naming_a_wall_gives_no_defect(structure: Any, text: str) -> None:
    assert structure(text)["perfusion"]["defects"] == []


def test_a_previously_seen_defect_now_gone_stays_negated(structure: Any) -> None:
    text = "Perfusion: the previously noted fixed inferior defect is no longer present."
    r = structure(text)
    assert [(d["walls"], d["certainty"]) for d in r["perfusion"]["defects"]] == [(["inferior"], "negated")]


# --- the attenuation images of a PET/CT or SPECT/CT are no attenuation artifact ----------------------


@pytest.mark.parametrize(
    "text",
    [
        "Rb-82 PET/CT. Perfusion is normal. The CT attenuation images show dense coronary calcification.",
        "Tc-99m sestamibi SPECT/CT. Perfusion is normal. Coronary calcium is visible on the attenuation map.",
    ],
)
def test_attenuation_images_are_no_artifact(structure: Any, text: str) -> None:
    r = structure(text)
    assert value_at(r, "perfusion.result") == "normal"
    assert r["perfusion"]["artifact"] is None


def test_attenuation_as_a_finding_is_still_an_artifact(structure: Any) -> None:
    r = structure("Sestamibi SPECT. Findings: Mild breast attenuation anteriorly. Normal perfusion.")
    assert value_at(r, "perfusion.artifact") == "attenuation"


# --- vendor key:value exports: a denied symptoms key, an ECG response key, a prior not at hand -------


@pytest.mark.parametrize(
    ("text", "chest_pain", "ecg"),
    [
        ("Symptoms: NONE\nECG_Response: NEGATIVE\nPerfusion: NORMAL\n", "absent", "nonischemic"),
        (
            "StressType: TREADMILL\nSYMPTOMS=nil\nStress_ECG_Response = Positive\nPerfusion: NORMAL\n",
            "absent",
            "ischemic",
        ),
        ("Symptoms: none.\nEKG.Response: negative\nSPECT perfusion: normal.\n", "absent", "nonischemic"),
    ],
)
def test_export_symptom_and_ecg_keys(structure: Any, text: str, chest_pain: str, ecg: str) -> None:
    r = structure(text)
    assert value_at(r, "stress_test.chest_pain") == chest_pain
    assert value_at(r, "stress_test.ecg_response") == ecg


def test_a_symptoms_key_with_a_symptom_says_nothing_of_chest_pain(structure: Any) -> None:
    r = structure("Symptoms: dyspnea\nECG_Response: NEGATIVE\nPerfusion: NORMAL\n")
    assert r["stress_test"]["chest_pain"] is None


@pytest.mark.parametrize(
    "text",
    [
        "Perfusion: NORMAL\nComparison: PRIOR 2019 MPI (OUTSIDE) NOT AVAILABLE\n",
        "Sestamibi SPECT: normal perfusion. The previous study from another hospital is unavailable for review.",
    ],
)
def test_a_prior_not_at_hand_is_no_prior(structure: Any, text: str) -> None:
    assert value_at(structure(text), "impression.comparison") == "no prior"


# --- the longer wording wins: "unchanged on the redistribution images" is fixed ----------------------


@pytest.mark.parametrize(
    "text",
    [
        "Tl-201 SPECT. Findings: A large inferior defect that is essentially unchanged on the 4-hour redistribution"
        " images, consistent with scar.",
        "Thallium SPECT. Findings: A moderate anterior defect persists unchanged on the delayed redistribution views.",
    ],
)
def test_unchanged_on_redistribution_images_is_fixed(structure: Any, text: str) -> None:
    (defect,) = structure(text)["perfusion"]["defects"]
    assert defect["reversibility"] == "fixed"


def test_redistribution_alone_still_reads_reversible(structure: Any) -> None:
    r = structure("Thallium SPECT. Findings: Moderate inferior defect with redistribution on delayed images.")
    assert [d["reversibility"] for d in r["perfusion"]["defects"]] == ["reversible"]


# --- a wall word that places a point on a defect's edge is no wall of its own ------------------------


@pytest.mark.parametrize(
    ("text", "walls"),
    [
        (
            "Tl-201 SPECT. Findings: At the lateral edge of the defect (basal inferolateral wall) there is a small"
            " area of mild partial redistribution.",
            ["inferolateral"],
        ),
        (
            "Sestamibi SPECT. Findings: Along the anterior border of this scar, in the anteroseptal wall, a small"
            " mild reversible defect is seen.",
            ["anteroseptal"],
        ),
    ],
)
def test_edge_of_a_defect_is_no_wall(structure: Any, text: str, walls: list[str]) -> None:
    assert [d["walls"] for d in structure(text)["perfusion"]["defects"]] == [walls]


# --- a thallium stress/redistribution study is stress first ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Thallium Stress/Redistribution Study\nProcedure: dipyridamole infusion, Tl-201 3.2 mCi.",
        "Tl-201 exercise stress-redistribution SPECT with 4-hour delayed images.",
    ],
)
def test_stress_redistribution_is_stress_rest(structure: Any, text: str) -> None:
    assert value_at(structure(text), "study.protocol") == "stress-rest"


# --- two heart rates under one label, split by a slash -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "rest", "peak"),
    [
        ("Technique: regadenoson SPECT. HR rest 74 / peak 103. BP rest 150/92, peak 144/88.", 74, 103),
        ("Stress data: heart rate at rest 61 / at peak 118 bpm.", 61, 118),
    ],
)
def test_rest_and_peak_rates_split_by_a_slash(structure: Any, text: str, rest: int, peak: int) -> None:
    r = structure(text)
    assert (value_at(r, "stress_test.rest_hr_bpm"), value_at(r, "stress_test.peak_hr_bpm")) == (rest, peak)


# --- a value given only for the prior study, under a comparison header, is historical -----------------


def test_prior_lvef_under_a_comparison_header_is_historical_when_no_current_one(structure: Any) -> None:
    text = (
        "Tl-201 SPECT. Findings: large fixed inferior defect. Ungated study; LVEF not measured.\n\n"
        "Comparison: Prior study on 3/2/2022 showed a fixed inferior defect, reported LVEF 45%.\n"
    )
    lvef = structure(text)["function"]["lvef_percent"]
    assert (lvef["value"], lvef["certainty"]) == (45, "historical")


def test_prior_lvef_is_not_reported_when_the_current_study_states_one(structure: Any) -> None:
    text = (
        "Sestamibi SPECT. Findings: normal perfusion. Gated LVEF 58%.\n\n"
        "Comparison: The earlier MPI from 2021 had an EF of 61%.\n"
    )
    lvef = structure(text)["function"]["lvef_percent"]
    assert (lvef["value"], lvef["certainty"]) == (58, "affirmed")


# --- an addendum revises: its corrected value and its comparison win ----------------------------------


@pytest.mark.parametrize(
    ("text", "lvef"),
    [
        (
            "Sestamibi SPECT. Findings: normal perfusion. Gated LVEF 35%.\nADDENDUM 02/02/2026: The LVEF stated"
            " above was transcribed incorrectly; the correct value is 53%.",
            53,
        ),
        (
            "Sestamibi SPECT. Findings: normal perfusion. Post-stress EF 71%.\nAddendum: the ejection fraction in"
            " the findings should read 61% (typing error).",
            61,
        ),
    ],
)
def test_an_addendum_correction_replaces_the_value(structure: Any, text: str, lvef: int) -> None:
    assert value_at(structure(text), "function.lvef_percent") == lvef


def test_an_addendum_comparison_replaces_no_prior(structure: Any) -> None:
    text = (
        "Sestamibi SPECT. Findings: normal perfusion.\nImpression: Normal study. No prior for comparison.\n"
        "ADDENDUM 03/01/2026: an outside MPI from 2023 has since been obtained; compared with it, perfusion is"
        " unchanged."
    )
    assert value_at(structure(text), "impression.comparison") == "unchanged"


# --- two defects in one sentence: each with its own grades, vessel and a shared reversibility ----------


def _defects(r: dict[str, Any]) -> list[tuple[Any, ...]]:
    keys = ("walls", "territory", "severity", "extent", "reversibility")
    return [tuple(d[k] for k in keys) for d in r["perfusion"]["defects"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "N-13 ammonia PET. Results: Stress images show a large, severe perfusion defect of the anterior wall and"
            " apex (LAD territory), and a medium-sized, moderate defect in the inferior and inferolateral walls"
            " (RCA/LCx). Both defects normalise almost completely at rest.",
            [
                (["anterior", "apex"], "LAD", "severe", "large", "reversible"),
                (["inferior", "inferolateral"], None, "moderate", "medium", "reversible"),
            ],
        ),
        (
            "Rb-82 PET. Findings: There is a small, mild defect of the lateral wall (LCx), and a large, severe"
            " defect of the inferoseptal wall (RCA or LAD). The two defects reverse at rest.",
            [
                (["lateral"], "LCx", "mild", "small", "reversible"),
                (["inferoseptal"], None, "severe", "large", "reversible"),
            ],
        ),
    ],
)
def test_two_defects_in_one_sentence(structure: Any, text: str, expected: list[tuple[Any, ...]]) -> None:
    assert _defects(structure(text)) == expected


def test_a_territory_of_another_defect_is_not_attached(structure: Any) -> None:
    text = (
        "Sestamibi SPECT. Findings: Moderate reversible defect of the anterior wall. Moderate reversible defect of"
        " the inferolateral wall.\nImpression: Ischemia in the LAD territory and in the inferolateral wall."
    )
    # the impression's sentence names the LAD next to the inferolateral wall: not that wall's vessel
    assert [(d["walls"], d["territory"]) for d in structure(text)["perfusion"]["defects"]] == [
        (["anterior"], None),
        (["inferolateral"], None),
    ]


# --- a shared volume label, a "Question:" header, a comparison by the burden's growth -----------------


@pytest.mark.parametrize(
    ("text", "edv", "esv"),
    [
        ("Rb-82 PET. Results: LV end-diastolic volume 168 ml, end-systolic 99 ml (rest).", 168, 99),
        ("Sestamibi SPECT. Gated: end-diastolic 120 mL and end systolic 48 mL.", 120, 48),
    ],
)
def test_volumes_sharing_the_word_volume(structure: Any, text: str, edv: int, esv: int) -> None:
    r = structure(text)
    assert (value_at(r, "function.edv_ml"), value_at(r, "function.esv_ml")) == (edv, esv)


@pytest.mark.parametrize(
    ("text", "indication"),
    [
        (
            "Question: known CAD, recurrent angina despite therapy - extent of ischaemia?\n\nProtocol: rest-stress"
            " Rb-82 PET.",
            "known CAD, recurrent angina despite therapy - extent of ischaemia?",
        ),
        (
            "QUESTION: exertional dyspnoea in a diabetic patient, ischaemia?\nPROCEDURE: regadenoson SPECT.",
            "exertional dyspnoea in a diabetic patient, ischaemia?",
        ),
    ],
)
def test_question_header_is_the_indication(structure: Any, text: str, indication: str) -> None:
    assert value_at(structure(text), "study.indication") == indication


@pytest.mark.parametrize(
    ("text", "comparison"),
    [
        ("Rb-82 PET. Compared with the SPECT of 2021, the ischaemic burden has clearly increased.", "worsened"),
        ("Sestamibi SPECT. Compared to the prior study, the inferior defect is now smaller.", "improved"),
    ],
)
def test_comparison_by_growth_or_shrinking(structure: Any, text: str, comparison: str) -> None:
    assert value_at(structure(text), "impression.comparison") == comparison


# --- a finding in parentheses after the prior study it summarises is the prior's ---------------------


@pytest.mark.parametrize(
    ("text", "prior_walls"),
    [
        (
            "Rb-82 PET. Results: large severe reversible defect of the anterior wall and apex.\nAssessment: Compared"
            " with the SPECT of 14.05.2021 (small reversible apical defect, SDS 3), the ischaemic burden has clearly"
            " increased.",
            ["apex"],
        ),
        (
            "Sestamibi SPECT. Findings: moderate reversible inferior defect.\nImpression: Compared to the outside"
            " study from 2019 (mild fixed lateral defect), the findings are worse.",
            ["lateral"],
        ),
    ],
)
def test_a_parenthesis_after_a_prior_study_is_historical(structure: Any, text: str, prior_walls: list[str]) -> None:
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["certainty"]) for d in defects][-1] == (prior_walls, "historical")
    assert [d["certainty"] for d in defects[:-1]] == ["affirmed"]


def test_a_parenthesis_without_a_prior_study_is_current(structure: Any) -> None:
    text = "Sestamibi SPECT. Findings: two areas of ischemia (moderate reversible inferior defect) compared with rest."
    assert [(d["walls"], d["certainty"]) for d in structure(text)["perfusion"]["defects"]] == [
        (["inferior"], "affirmed")
    ]


# --- the study's date: not the clinic visit's; a pasted result's date; a two-day study's first day -----


@pytest.mark.parametrize(
    ("text", "date"),
    [
        (
            "Cardiology Clinic Follow-up\nVisit date: 04/27/2026\nResults (pasted):\nNM MYOCARDIAL PERFUSION SPECT"
            " - Final result (04/21/2026 10:02)\nNarrative\nNormal myocardial perfusion.",
            "2026-04-21",
        ),
        (
            "Office note\nEncounter date: 09/30/2025\nStress test result date: 09/12/2025\nSestamibi SPECT: normal.",
            "2025-09-12",
        ),
        ("Two-day SPECT MPI\nDay 1 (stress): 01/13/2026   Day 2 (rest): 01/14/2026\nPerfusion normal.", "2026-01-13"),
        ("Two-day protocol.\nDay one: 03/02/2025, day two: 03/03/2025.\nSestamibi SPECT: normal.", "2025-03-02"),
    ],
)
def test_the_study_date_among_other_dates(structure: Any, text: str, date: str) -> None:
    assert value_at(structure(text), "study.study_date") == date


def test_a_visit_date_alone_is_no_study_date(structure: Any) -> None:
    assert structure("Visit date: 04/27/2026\nShe had a normal stress test last month.")["study"]["study_date"] is None


# --- protocol order with the agent between; a change word measured against an earlier study -----------


@pytest.mark.parametrize(
    "text",
    [
        "N-13 AMMONIA PET/CT MYOCARDIAL PERFUSION - REST AND ADENOSINE STRESS\nDose: 740 MBq per acquisition.\n"
        "Findings: normal perfusion.",
        "Rubidium PET: resting and regadenoson stress acquisitions.\nRb-82 30 mCi each. Perfusion normal.",
    ],
)
def test_rest_and_agent_stress_is_rest_first(structure: Any, text: str) -> None:
    assert value_at(structure(text), "study.protocol") == "rest-stress"


@pytest.mark.parametrize(
    ("text", "comparison"),
    [
        ("MUGA. Impression: LVEF 61%, not significantly changed from January 2025.", "unchanged"),
        ("Sestamibi SPECT. Impression: 1. LVEF 54%, worse than the February study.", "worsened"),
        ("Tetrofosmin SPECT. Impression: inferior ischemia, improved since 2022.", "improved"),
    ],
)
def test_a_change_word_against_an_earlier_date_is_a_comparison(structure: Any, text: str, comparison: str) -> None:
    assert value_at(structure(text), "impression.comparison") == comparison


def test_a_change_word_without_a_referent_is_no_comparison(structure: Any) -> None:
    text = "Sestamibi SPECT. Impression: chest pain worse with exertion. Normal perfusion."
    assert structure(text)["impression"]["comparison"] is None


def test_a_defect_larger_at_stress_than_at_rest_is_no_comparison(structure: Any) -> None:
    text = "Sestamibi SPECT. Findings: The anterior defect is larger on stress compared with rest images."
    assert structure(text)["impression"]["comparison"] is None


def test_a_parenthesis_after_a_current_finding_in_a_comparison_sentence_is_current(structure: Any) -> None:
    text = "Sestamibi SPECT. Impression: Compared to 2019, there is a new defect (moderate reversible anterior defect)."
    assert [(d["walls"], d["certainty"]) for d in structure(text)["perfusion"]["defects"]] == [
        (["anterior"], "affirmed")
    ]


# --- "earlier the same morning" is this study, not a prior one ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Regadenoson SPECT. The resting images had been obtained earlier the same morning after 10 mCi"
        " (rest-stress protocol). Gated LVEF 63%.",
        "Tetrofosmin SPECT; rest imaging was done earlier that day (rest-stress protocol). Gated LVEF 63%.",
    ],
)
def test_earlier_the_same_day_is_the_current_study(structure: Any, text: str) -> None:
    r = structure(text)
    assert (value_at(r, "study.protocol"), value_at(r, "function.lvef_percent")) == ("rest-stress", 63)


# --- a test called equivocal after its ST description is equivocal -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Exercise: Bruce 9 min.\nECG: 1 mm horizontal ST depression in V5-V6 at peak, resolving by 2 minutes of"
        " recovery; equivocal.\nTl-201 SPECT: normal perfusion.",
        "Stress ECG: 1.0 mm upsloping ST depression in the inferior leads, which is borderline. Sestamibi SPECT.",
    ],
)
def test_an_equivocal_verdict_wins_over_its_st_description(structure: Any, text: str) -> None:
    assert value_at(structure(text), "stress_test.ecg_response") == "equivocal"


def test_st_depression_alone_is_still_ischemic(structure: Any) -> None:
    text = "ECG: 2 mm horizontal ST depression in V4-V6 at peak.\nSestamibi SPECT: normal perfusion."
    assert value_at(structure(text), "stress_test.ecg_response") == "ischemic"


# --- reversibility in the next sentence that names the defect before it ------------------------------


@pytest.mark.parametrize(
    ("text", "reversibility"),
    [
        (
            "Tl-201 SPECT. Findings: large, severe defect of the inferior wall extending from base to apex. On the"
            " rest thallium images the defect is partially reversible.",
            "partially reversible",
        ),
        (
            "Sestamibi SPECT. Findings: moderate defect of the anterior wall. In the resting views that abnormality"
            " reverses completely.",
            "reversible",
        ),
    ],
)
def test_reversibility_of_the_named_defect_in_the_next_sentence(structure: Any, text: str, reversibility: str) -> None:
    assert [d["reversibility"] for d in structure(text)["perfusion"]["defects"]] == [reversibility]


# --- a hedge about the next sentence's own finding is not the previous defect's -----------------------


def test_a_next_sentence_hedging_its_own_wall_leaves_the_defect_affirmed(structure: Any) -> None:
    text = (
        "Sestamibi SPECT. Imaging: medium-sized area of moderately reduced uptake in the inferior wall at stress,"
        " which fills in on the resting images. There is also mild fixed reduction of the apex, likely attenuation."
    )
    r = structure(text)
    assert [(d["walls"], d["certainty"]) for d in r["perfusion"]["defects"]] == [(["inferior"], "affirmed")]
    assert r["perfusion"]["artifact"]["value"] == "attenuation"


def test_a_next_sentence_that_explains_the_defect_still_hedges_it(structure: Any) -> None:
    text = "Sestamibi SPECT. Findings: mild fixed inferior defect. This may represent diaphragmatic attenuation."
    assert [d["certainty"] for d in structure(text)["perfusion"]["defects"]] == ["uncertain"]


@pytest.mark.parametrize(
    "text",
    [
        "Rb-82 PET. Conclusion: Normal perfusion. Low risk. No previous imaging for comparison.",
        "Sestamibi SPECT. Impression: normal study; without earlier nuclear studies to compare.",
    ],
)
def test_no_earlier_study_of_any_name_is_no_prior(structure: Any, text: str) -> None:
    assert value_at(structure(text), "impression.comparison") == "no prior"


# --- underscored vendor keys and their yes/no answers -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "chest_pain", "sss"),
    [
        ("Exam_Type=SPECT MPI\nChest_Pain=No\nSummed_Stress_Score=0\nImpression=Normal perfusion.\n", "absent", 0),
        ("Exam_Type=SPECT MPI\nChest_Pain=Yes\nSummed_Stress_Score=7\nImpression=Abnormal perfusion.\n", "present", 7),
        ("Exam_Type=SPECT MPI\nStress_Symptoms=None\nSUMMED_STRESS_SCORE: 2\nImpression: normal.\n", "absent", 2),
    ],
)
def test_underscored_keys_and_their_answers(structure: Any, text: str, chest_pain: str, sss: int) -> None:
    r = structure(text)
    assert (value_at(r, "stress_test.chest_pain"), value_at(r, "perfusion.sss")) == (chest_pain, sss)


# --- a plan's "ischemic work-up" is no finding; a probably normal impression denies ischemia, hedged ----


@pytest.mark.parametrize(
    "text",
    [
        "Sestamibi SPECT.\nImpression: Probably normal myocardial perfusion; no infarct.\n"
        "Assessment/Plan: continue aspirin; no further ischemic work-up for now.",
        "Tetrofosmin SPECT.\nIMPRESSION: Probably normal perfusion study.\nPLAN: ischemia evaluation not needed.",
    ],
)
def test_probably_normal_denies_ischemia_with_a_hedge(structure: Any, text: str) -> None:
    ischemia = structure(text)["impression"]["ischemia"]
    assert (ischemia["value"], ischemia["certainty"]) == ("absent", "uncertain")
