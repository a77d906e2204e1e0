"""Polarity flips in physicians' words: the battery of flipped claims (bench/negation_battery.py), and each mechanism
that reads a polarity on wordings written here, not the battery's nor the blind sets': the correct wording clean,
the flipped one flagged with its literal code.

- a verdict word that is the value of the topic named before it ("PERFUSION: abnormal", "Perf abnl", "LVEF
  reserve = normal", "MFR nl"), in the topics of ``guardrails/resources/cues.json`` (``topic_verdict``, ``lvef_drop``);
- a verb of reversal at rest and its denial ("recovers at rest", "does not recover on the delayed images":
  ``extraction/resources/wording.json``);
- a partially reversible defect hedged as mostly the part it is not ("predominantly reversible" for a mostly fixed
  one), or called wholly one part ("completely fixed");
- a judgement denied before the finding it names ("not consistent with infarction");
- plain words of a defect and their denial ("no region that is short of blood").

``errors``: the sorted error-severity codes of a text verified alone (scope "full").
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bench_modules import bench_module
from flag_codes import errors

from reporter.domain.study import Study

ROOT = Path(__file__).parents[2]
# normal perfusion on exercise SPECT; LVEF 68%, on metoprolol, submaximal heart rate
NORMAL_SUBMAXIMAL = "dev17_spect_exercise_metoprolol_submax_normal_nondiagnostic_ecg"
# N-13 PET: normal relative perfusion, global MFR 1.7 (reduced), LVEF 60% rest -> 66% stress (reserve +6), CAC 0
NORMAL_LOW_MFR = "dev17_pet_n13_adenosine_normal_perfusion_global_mfr17_cac0_woman"
# Rb-82 PET: normal perfusion, global MFR 1.61 (reduced), LVEF 60% rest -> 58% stress (a post-stress drop)
NORMAL_LOW_MFR_EF_DROP = "dev6_pet_rb82_normal_perfusion_low_global_mfr_cac845"
# moderate reversible lateral (LCx) defect on exercise SPECT
LCX_ISCHEMIA = "dev17_spect_mibi_bruce_lcx_moderate_ischemia_st15_duke_neg3_5"
# large severe inferior/inferoseptal (RCA) defect, mostly fixed (reversible part about 13 % of its stress grades)
INFERIOR_SCAR = "dev17_spect_regadenoson_large_inferior_scar_periinfarct_ischemia_ef33_tid_worse_2022"
# large severe apical/anterior (LAD) defect, partially reversible: a scar with peri-infarct ischemia
LAD_SCAR = "dev12_spect_adenosine_lad_scar_periinfarct_ischemia_ef36_prior_report"


def _edit_battery() -> object:
    return bench_module("edit_battery")


def test_the_battery_counts() -> None:
    """Every correct impression of the battery free of error flags; the flips it detects (those left of round 1: a
    TID named with its ratio, "and TID (1.06)"; an LV function in plain words; a direction against a mixed trend; a
    pronoun's reversibility; ischemia said where the study's is below the SDS threshold, a warning; of round 2 (neg44):
    an arrhythmia's resolution, the ECG in ST words or signs, plain-language findings, advice the rules do not judge,
    an opinion's hedge; guard57: an LV function graded by its denied verb, "does not pump normally"; negation58: the
    ECG by its sign or a lead group, a course after a bare "not", a pronoun's reversibility, plain-language scar,
    weak pumping and blockage, an LVEF fall said with a bare verb, a denial ended by "so ischaemia", "and some")."""
    battery = _edit_battery()
    path = ROOT / "bench" / "data" / "negation_battery.json"
    for round_, counts in ((1, (25, 25, 61, 57)), (2, (11, 11, 53, 48))):
        clean, passed, by_kind = battery.run(path, 0, round_=round_)  # type: ignore[attr-defined]
        hits = [h for kind in by_kind.values() for h in kind]
        assert (clean, passed, len(hits), sum(hits)) == counts


@pytest.mark.parametrize(
    ("right", "wrong", "code"),
    [
        ("SPECT: exercise. PERFUSION: normal. LVEF: 68%.", "SPECT: exercise. PERFUSION: abnormal. LVEF: 68%.", "G602"),
        ("Ex SPECT. Perf nl; EF 68%.", "Ex SPECT. Perf abnl; EF 68%.", "G602"),
        ("MPI = normal, EF 68%.", "MPI = abnormal, EF 68%.", "G602"),
    ],
)
def test_a_perfusion_verdict_that_is_its_topics_value(
    study_of: Callable[[str], Study], right: str, wrong: str, code: str
) -> None:
    study = study_of(NORMAL_SUBMAXIMAL)
    assert errors(right, study) == []
    assert code in errors(wrong, study)


@pytest.mark.parametrize(
    "said",
    [
        "Rest perfusion: normal.",  # the rest images only
        "Perfusion: normal at rest.",  # narrowed to a phase
        "Perfusion normal in the LAD territory.",  # narrowed to a place
    ],
)
def test_a_narrowed_normal_verdict_is_not_the_studys(study_of: Callable[[str], Study], said: str) -> None:
    """An ischemic study: "normal" said of the rest images or of one territory is no verdict on the study."""
    assert errors(said, study_of(LCX_ISCHEMIA)) == []


@pytest.mark.parametrize(
    ("right", "wrong", "code"),
    [
        ("EF reserve: +6 (normal).", "EF reserve: +6 (abnormal).", "G409"),
        ("LVEF 60% at rest, 66% with stress; ejection fraction reserve normal.",
         "LVEF 60% at rest, 66% with stress; ejection fraction reserve impaired.", "G409"),
        ("The ejection fraction rises with stress.", "The ejection fraction falls with stress.", "G409"),
    ],
)  # fmt: skip
def test_an_lvef_reserve_said_normal_or_abnormal(
    study_of: Callable[[str], Study], right: str, wrong: str, code: str
) -> None:
    study = study_of(NORMAL_LOW_MFR)
    assert errors(right, study) == []
    assert code in errors(wrong, study)


def test_a_blunted_lvef_reserve_said_normal(study_of: Callable[[str], Study]) -> None:
    """LVEF 60% -> 58%: "preserved reserve" after the LVEF denies the drop; the flow reserve's grade is another's."""
    study = study_of(NORMAL_LOW_MFR_EF_DROP)
    assert errors("EF 60 -> 58% (blunted reserve).", study) == []
    assert errors("EF 60 -> 58% (preserved reserve).", study) == ["G601"]
    assert "G409" not in errors("MFR 1.61 (impaired reserve).", study)


@pytest.mark.parametrize(
    ("right", "wrong", "code"),
    [
        ("Flow reserve abnl globally, 1.61.", "Flow reserve nl globally, 1.61.", "G301"),
        ("Global MFR 1.61, reduced overall.", "Global MFR 1.61, normal overall.", "G301"),
    ],
)
def test_a_flow_reserve_grade_in_shorthand_or_after_a_comma(
    study_of: Callable[[str], Study], right: str, wrong: str, code: str
) -> None:
    study = study_of(NORMAL_LOW_MFR_EF_DROP)
    assert errors(right, study) == []
    assert code in errors(wrong, study)


def test_a_grade_after_a_comma_belongs_to_the_next_item(study_of: Callable[[str], Study]) -> None:
    """In "MFR 1.61, normal LV size" the grade is the LV's, not the flow reserve's."""
    assert "G301" not in errors("Global MFR 1.61, normal LV size.", study_of(NORMAL_LOW_MFR_EF_DROP))


@pytest.mark.parametrize(
    ("right", "wrong", "code"),
    [
        ("A lateral defect on stress which recovers at rest.",
         "A lateral defect on stress which does not recover at rest.", "G303"),
        ("Lateral wall defect, recovering on the rest images.",
         "Lateral wall defect, no recovery on the rest images.", "G303"),
    ],
)  # fmt: skip
def test_recovery_at_rest_and_its_denial(study_of: Callable[[str], Study], right: str, wrong: str, code: str) -> None:
    study = study_of(LCX_ISCHEMIA)
    assert errors(right, study) == []
    assert code in errors(wrong, study)


def test_a_hedged_reversibility_names_the_part_that_dominates(study_of: Callable[[str], Study]) -> None:
    """Reversible part about 13 % of the defect's stress grades: mostly fixed."""
    study = study_of(INFERIOR_SCAR)
    assert errors("Large severe inferior and inferoseptal defect, mostly fixed.", study) == []
    assert errors("Large severe inferior and inferoseptal defect, mostly reversible.", study) == ["G303"]


def test_a_defect_called_wholly_fixed_is_not_the_fixed_part_of_a_partial_one(
    study_of: Callable[[str], Study],
) -> None:
    study = study_of(INFERIOR_SCAR)
    assert errors("Large severe fixed inferior defect with mild peri-infarct ischaemia.", study) == []
    wholly = "Large severe, completely fixed inferior defect with mild peri-infarct ischaemia."
    assert errors(wholly, study) == ["G303"]


@pytest.mark.parametrize(
    ("right", "wrong", "code"),
    [
        ("The anterior and apical defect is consistent with an old infarction.",
         "The anterior and apical defect is not consistent with an old infarction.", "G601"),
        ("Pattern typical of infarction in the LAD territory.",
         "Pattern not typical of infarction in the LAD territory.", "G601"),
    ],
)  # fmt: skip
def test_a_judgement_denied_before_its_finding(
    study_of: Callable[[str], Study], right: str, wrong: str, code: str
) -> None:
    study = study_of(LAD_SCAR)
    assert errors(right, study) == []
    assert code in errors(wrong, study)


def test_plain_words_of_a_region_short_of_blood(study_of: Callable[[str], Study]) -> None:
    study = study_of(NORMAL_SUBMAXIMAL)
    assert errors("The scan found no region of heart muscle that was short of blood.", study) == []
    assert errors("The scan found a region of heart muscle that was short of blood.", study) == ["G401"]


# Rb-82 PET: reversible LAD and RCA defects, MFR LAD 1.20 and RCA 1.45 (severely reduced), LCx 2.54 (normal)
LAD_RCA_PET = "dev17_pet_rb82_regadenoson_lad_rca_ischemia_tid_neg_lvef_reserve"


@pytest.mark.parametrize(
    ("right", "wrong"),
    [
        ("Reversible anterior defect with reduced stress flow in the LAD.",
         "Reversible anterior defect with normal stress flow in the LAD."),
        ("Ischaemia of the LAD and RCA territories, hyperaemic flow reduced in each.",
         "Ischaemia of the LAD and RCA territories, with preserved hyperaemic flow in each."),
        ("Hyperemic MBF in the RCA is low.", "Hyperemic MBF in the RCA is normal."),
    ],
)  # fmt: skip
def test_a_territorys_stress_flow_called_normal(study_of: Callable[[str], Study], right: str, wrong: str) -> None:
    """Normal stress flow where the territory's flow reserve is reduced and its defect reversible."""
    study = study_of(LAD_RCA_PET)
    assert errors(right, study) == []
    assert errors(wrong, study) == ["G301"]


def test_a_normal_stress_flow_where_the_territory_is_normal(study_of: Callable[[str], Study]) -> None:
    """The LCx: normal flow reserve and no defect; a stress flow not placed in a territory is left unread."""
    study = study_of(LAD_RCA_PET)
    assert errors("Normal stress flow in the circumflex territory.", study) == []
    assert errors("Stress flow is normal.", study) == []
