"""Single-edit corruptions of physician-written impressions that passed (issue 15, the remaining misses).

Each mechanism with the corrupted sentence (its literal error codes) and a correct paraphrase that must stay
clean: the expected value is the sorted list of error-severity codes, or of every severity where a warning
is the point (a physician's omission or advice).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

CABG = "test_spect_post_cabg_worse_lcx_lad_ischemia_tid"
LAD_SCAR = "test_spect_lad_scar_peri_infarct_low_ef"


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # an activity with its phase is that phase's injected activity, in MBq or mCi
        (LAD_SCAR, "One-day Tc-99m sestamibi (10 mCi rest / 370 MBq stress).", ["G110"]),
        (LAD_SCAR, "One-day Tc-99m sestamibi (30 mCi rest / 1110 MBq stress).", ["G110"]),
        (LAD_SCAR, "One-day Tc-99m sestamibi (10 mCi rest / 1110 MBq stress).", []),
        (LAD_SCAR, "Sestamibi 370 MBq at rest and 30 mCi at stress.", []),
        # a value whose label is left out in a list by phase or study: "rest 56% (prior 53%)" is LVEF too
        (CABG, "TID 1.45; post-stress LVEF 45%, rest 56% (prior 53%).", ["G101", "G101"]),
        (CABG, "TID 1.45; post-stress LVEF 45%, rest 53% (prior 56%).", []),
        (CABG, "LVEF 45% after stress, rest 53%, prior 56%.", []),
        # a share of the LV is a summed score over 68, or the ischemic burden; not any number of the study
        (CABG, "SDS 12 (~8% LV).", ["G105"]),
        (CABG, "SDS 12 (~18% LV).", []),
        (LAD_SCAR, "28% of LV abnormal at stress, 22% fixed.", []),
    ],
)
def test_numbers_bind_to_their_phase_and_unit(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


def advice(text: str, study: Study) -> list[str]:
    return [
        f"{f.code.value} {f.severity.value}" for f in verify(text, study, scope="full") if f.code.value[:3] == "G41"
    ]


@pytest.mark.parametrize(
    ("stem", "text", "flags"),
    [
        # a referral for angiography is what a high risk from ischemia supports (shown for information) ...
        (CABG, "High risk; coronary angiography with a view to revascularization is recommended.", ["G411 info"]),
        # ... revascularization itself needs the coronary anatomy, and no fact of a study gives an urgency
        (CABG, "High risk; LAD and circumflex revascularization is recommended.", ["G411 warning"]),
        (CABG, "High risk; urgent coronary angiography is recommended.", ["G411 warning"]),
        (
            LAD_SCAR,
            "Risk: high, driven by LV dysfunction; urgent LAD revascularization is recommended.",
            ["G411 warning"],
        ),
    ],
)
def test_which_facts_support_which_advice(
    stem: str, text: str, flags: list[str], study_of: Callable[[str], Study]
) -> None:
    assert advice(text, study_of(stem)) == flags


N13_CMD = "dev_pet_n13_normal_perfusion_reduced_mfr_cac0"
RB82_LAD = "dev_pet_rb82_lad_ischemia_flow"
RB82_BALANCED = "test_pet_rb82_dipyridamole_balanced_ischemia"


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # flow graded as a whole is graded as the rules grade the flow reserve (SNMMI-ASNC-PET-FLOW-2018 bands)
        (RB82_BALANCED, "Absolute flow: mildly reduced globally; MFR 1.17.", ["G301"]),
        (RB82_BALANCED, "Absolute flow: severely reduced globally; MFR 1.17.", []),
        (RB82_BALANCED, "Flow is markedly reduced in all territories (MFR 1.17).", []),
        # "the remaining territories": those the sentence has not placed the defect in, with the polarity said
        (
            RB82_LAD,
            "A reversible anterior and apical defect with a regional reduction in flow reserve (1.31), whereas "
            "flow in the remaining territories is not preserved.",
            ["G301"],
        ),
        (
            RB82_LAD,
            "A reversible anterior and apical defect with a regional reduction in flow reserve (1.31), whereas "
            "flow in the remaining territories is preserved.",
            [],
        ),
        (RB82_LAD, "Reduced LAD flow reserve (1.31); flow in the other territories is normal.", []),
        (RB82_LAD, "Reduced LAD flow reserve (1.31). Normal flow reserve in the remaining territories.", []),
        (RB82_LAD, "Reduced LAD flow reserve (1.31). Reduced flow reserve in the remaining territories.", ["G301"]),
        (RB82_LAD, "Reduced LAD flow reserve (1.31), with flow in the remaining territories also reduced.", ["G301"]),
        # a flow reduction confined to some territories, against the territories whose flow reserve is reduced
        (N13_CMD, "Globally reduced flow reserve (1.70), confined to the LAD territory.", ["G201"]),
        (N13_CMD, "Globally reduced flow reserve (1.70), homogeneous in all territories.", []),
        (RB82_LAD, "Flow reserve reduced only in the LAD territory (1.31).", []),
    ],
)
def test_flow_grade_scope_and_polarity(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


CAC145 = "test_spect_stress_only_normal_cac145"  # Agatston 145: LM 0, LAD 120, LCx 0, RCA 25


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # which vessels carry calcium, against each vessel's own Agatston score
        ("The calcium score is 145 with calcium in the left main and circumflex arteries.", ["G107", "G107"]),
        ("The calcium score is 145 with calcium in the LAD and right coronary arteries.", []),
        ("LAD and RCA calcification (Agatston 145, LAD 120, RCA 25).", []),
        ("No left main calcium; calcification of the LAD and RCA.", []),
        ("No calcium in the LAD.", ["G107"]),
    ],
)
def test_the_vessels_calcium_is_placed_in(text: str, codes: list[str], study_of: Callable[[str], Study]) -> None:
    assert errors(text, study_of(CAC145)) == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # a segment named by level and wall (or number) with its stress/rest scores: the study's scores of it
        ("Reversible (stress/rest): basal anterolateral 3/0, mid inferolateral 3/0, apical lateral 2/0.", ["G203"]),
        ("Reversible (stress/rest): basal anterolateral 3/0, mid anterolateral 3/0, apical lateral 2/0.", []),
        ("Fixed: basal inferior 2/2, mid inferior 2/2.", []),
        ("Fixed: basal inferior 2/0.", ["G203"]),
        ("Mid anterolateral segment (3/0) and segment 16: 2/0; apex 0/0.", []),
        # the prior's list is the prior's
        ("Prior (09/2023): basal inferior 2/2, mid inferolateral 3/0.", []),
    ],
)
def test_a_segment_listed_with_its_scores(text: str, codes: list[str], study_of: Callable[[str], Study]) -> None:
    assert errors(text, study_of(CABG)) == codes


NORMAL_CAC = "test_spect_normal_regadenoson_lowlevel_ex_severe_cac_nongated"


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # a conclusion about obstructive coronary disease, with its polarity, against ischemia and flow
        (NORMAL_CAC, "Absence of a perfusion abnormality makes flow-limiting coronary disease likely.", ["G402"]),
        (NORMAL_CAC, "Absence of a perfusion abnormality makes flow-limiting coronary disease unlikely.", []),
        (NORMAL_CAC, "No evidence of obstructive coronary disease, despite severe calcification.", []),
        (RB82_LAD, "Flow-limiting LAD disease is unlikely.", ["G601"]),
        (RB82_LAD, "Findings are most consistent with a flow-limiting stenosis of the LAD.", []),
        (RB82_LAD, "Nothing to suggest flow-limiting coronary disease.", ["G601"]),
        (RB82_LAD, "Low likelihood of obstructive coronary disease.", ["G601"]),
        (NORMAL_CAC, "Nothing to suggest flow-limiting coronary disease despite severe calcification.", []),
        (NORMAL_CAC, "High likelihood of obstructive coronary disease.", ["G402"]),
        # a reduced flow reserve with normal relative perfusion decides neither (balanced ischemia or microvascular)
        (N13_CMD, "Suggestive of microvascular dysfunction rather than obstructive epicardial disease.", []),
        (N13_CMD, "Balanced three-vessel disease is possible and should be considered.", []),
    ],
)
def test_a_conclusion_about_obstructive_disease(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


BREAST = "dev_spect_exercise_normal_breast_atten"  # exercise, no chest pain, nonischemic ECG


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # "no" takes the first item of "A and B" where B says its own value; "or" keeps it for both
        ("Nine minutes of Bruce exercise with no chest pain and ischemic ST changes.", ["G607"]),
        ("Nine minutes of Bruce exercise with no chest pain and no ST changes.", []),
        ("Nine minutes of Bruce exercise with no chest pain or ischemic ST changes.", []),
        ("Nine minutes of Bruce exercise without chest pain and with a nonischemic ECG.", []),
    ],
)
def test_a_negation_and_a_coordinated_value(text: str, codes: list[str], study_of: Callable[[str], Study]) -> None:
    assert errors(text, study_of(BREAST)) == codes


RCA_WORSE = "dev_spect_followup_worse_rca_exercise"  # inferior defect 3/1 in one segment: SRS 1, no scar


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # rest scores below the defect threshold may be read as a small or partial scar (a warning), not as an
        # unqualified fixed defect or infarct
        ("Although a fixed defect is present to suggest infarction, the patient is at high risk.", ["G403", "G403"]),
        ("Although no fixed defect is present to suggest infarction, the patient is at high risk.", []),
        ("Reversible inferior defect with a small fixed component.", []),
        ("Reversible inferior defect; minimal residual scar cannot be excluded.", []),
    ],
)
def test_an_unqualified_scar_on_residual_rest_scores(
    text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(RCA_WORSE)) == codes


MULTI = "dev_spect_dobutamine_lad_rca_multivessel"  # LAD (anterior, septal, apex) and RCA (inferior) defects


def missing(text: str, study: Study) -> list[str]:
    return [
        f"{f.code.value} {f.severity.value}" for f in verify(text, study, scope="impression") if f.code.value == "G505"
    ]


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        # an impression that describes its defects by place and leaves one of the study's out
        (
            "Large reversible defect of the anterior wall, the apex and apical septum, consistent with multivessel "
            "ischemia in the LAD and right coronary territories. High risk.",
            ["G505 warning"],
        ),
        (
            "Large reversible defect of the anterior wall, the apex and apical septum and a second reversible defect "
            "in the inferior wall, consistent with multivessel ischemia in the LAD and right coronary territories. "
            "High risk.",
            [],
        ),
        ("Reversible LAD and RCA territory defects (multivessel ischemia). High risk.", []),
        ("Reversible anterior, apical and inferior defects. High risk.", []),
    ],
)
def test_a_defect_the_impression_leaves_out(text: str, flags: list[str], study_of: Callable[[str], Study]) -> None:
    assert missing(text, study_of(MULTI)) == flags


@pytest.mark.parametrize(
    ("stem", "text"),
    [
        # values listed by phase in order are not the phase written after the last one
        (LAD_SCAR, "Tc-99m sestamibi 10 and 30 mCi at rest and stress."),
        (LAD_SCAR, "Tc-99m sestamibi 10/30 mCi rest/stress."),
        # relative flow is relative perfusion, not the flow reserve
        (N13_CMD, "Relative flow is normal, with globally reduced flow reserve (1.70)."),
        # a defect, not the flow, confined to a wall
        (
            RB82_BALANCED,
            "Reduced flow reserve (1.17) in all territories, with a small, mild reversible defect confined to the "
            "inferolateral wall.",
        ),
        (CAC145, "Calcification of the proximal LAD."),
        # a hedged or known disease is no verdict of this study
        (NORMAL_CAC, "A hemodynamically significant stenosis cannot be excluded given the severe calcification."),
        (NORMAL_CAC, "Normal perfusion; findings consistent with known obstructive coronary disease are absent."),
    ],
)
def test_paraphrases_that_stay_clean(stem: str, text: str, study_of: Callable[[str], Study]) -> None:
    assert errors(text, study_of(stem)) == []


def test_calcium_in_the_proximal_vessel_is_that_vessels(study_of: Callable[[str], Study]) -> None:
    assert errors("Calcification of the proximal circumflex.", study_of(CAC145)) == ["G107"]
