"""Physician-written impressions of the released set test8 (issue 15): each cause of a former false error or miss,
checked on sentences written here in other words, beside a wrong sentence the same mechanism must still flag.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# Rb-82 PET: reversible LCx defect (segments 5, 11, 12), SDS 6 (8.8%); flow (stress/rest, MFR) LAD 2.40/0.88, 2.73;
# LCx 1.18/0.84, 1.40; RCA 2.25/0.85, 2.65; global MFR 2.35 (preserved); intermediate risk
PET = "test8_pet_rb82_dipyridamole_lcx_ischemia_flow_cac"
# dobutamine SPECT: large severe LAD defect, partially reversible (SRS 14, SDS 5), LVEF 33%; no prior
DOBU = "test8_spect_dobutamine_atropine_asthma_lad_scar_ef33"
# submaximal exercise SPECT on metoprolol: severe reversible RCA defect, SDS 8, rest scores 1 in segments 4 and 10;
# prior (measurements) of 2024-09-18: SDS 3; worse
SUBMAX = "test8_spect_exercise_metoprolol_submax_rca_worse_prior_meas_duke_neg3"
# normal exercise SPECT: Bruce 9 min, 10.1 METs, 94% MPHR, SSS 0
NORMAL = "test8_spect_exercise_normal_woman_duke_pos9"
# LBBB, regadenoson: new moderate reversible LAD defect (anterior, apical, apical septal), score-1 fixed inferior
# segments 4 and 10; prior report of 2023-06-12: small mild fixed inferior defect, LVEF 52% (now 44%)
LBBB = "test8_spect_lbbb_regadenoson_new_lad_ischemia_prior_report"
# LBBB, regadenoson: only score-1 fixed anteroseptal and inferoseptal segments (the conduction pattern)
SEPTAL = "dev5_spect_lbbb_regadenoson_septal_fixed"


def codes(text: str, study: Study, severity: str, scope: str = "impression") -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope=scope) if f.severity.value == severity)  # type: ignore[arg-type]


CASES = [
    # a relative clause right after places grades them: the places are called normal, not placed in the defect
    (
        PET,
        "Reversible circumflex defect, its reserve low (1.40) beside the LAD and RCA territories, both of which are "
        "preserved.",
        [],
    ),
    (PET, "Reversible defect in the circumflex and RCA territories, which are both ischaemic.", ["G201"]),
    # a legend before a colon names the columns of the rows after it, in its order
    (
        PET,
        "Flow by vessel (stress MBF / rest MBF, mL/min/g; flow reserve): LAD 2.40/0.88, 2.73; LCx 1.18/0.84, 1.40.",
        [],
    ),
    (
        PET,
        "Flow by vessel (stress MBF / rest MBF, mL/min/g; flow reserve): LAD 2.40/0.88, 2.73; LCx 1.18/0.84, 1.95.",
        ["G106"],
    ),
    # ... rows separated by commas, and a bare phase pair ordering the flow named before the legend
    (PET, "Flow (stress/rest MBF; MFR): LAD 2.40/0.88, 2.73, LCx 1.18/0.84, 1.40.", []),
    (PET, "Flow (stress/rest MBF; MFR): LAD 2.40/0.88, 2.73, LCx 1.18/0.84, 2.40.", ["G106"]),
    (PET, "Myocardial blood flow (rest/stress, mL/min/g): LAD 0.88/2.40, LCx 0.84/1.18.", []),
    (PET, "Myocardial blood flow (rest/stress, mL/min/g): LAD 0.88/2.40, LCx 0.84/2.18.", ["G106"]),
    # an artifact weighed in a differential is a possibility, shown as a warning
    (PET, "Lateral ischaemia; the differential includes a motion artefact, which the flow data make unlikely.", []),
    (PET, "Lateral count reduction caused by patient motion artefact.", ["G406"]),
    # a finding word naming the subject of a judgement is no finding
    (NORMAL, "Nothing more to do here from an ischaemic standpoint.", []),
    (NORMAL, "Nothing more to do here; apical ischaemia is present.", ["G401", "G402"]),
    # a test a clause proposes ("could help") is not this study's
    (DOBU, "Should surgery be contemplated, an FDG PET viability scan could help.", []),
    (DOBU, "This FDG PET viability scan shows a large LAD scar.", ["G604", "G606"]),
    # "unchanged on the rest images" compares this study's rest with its stress images, not with a prior
    (DOBU, "Severe anterior and apical defect, essentially unchanged on the rest images: infarction.", []),
    (DOBU, "Severe anterior and apical defect, similar to the previous scan.", ["G701"]),
    # a fixed defect with its reversible part in the clause a semicolon joins to it names both parts
    (DOBU, "Large severe fixed LAD defect; a mild reversible peri-infarct component.", []),
    (DOBU, "Large severe fixed LAD defect; no reversible component.", ["G303", "G601"]),
    # the later value of a change written with an arrow in a comparison's parenthesis is this study's
    (SUBMAX, "Progressed versus 2024 (SDS 3 -> 8).", []),
    (SUBMAX, "Progressed versus 2024 (SDS 3 -> 6).", ["G104"]),
    # a subjectless change clause quoting a score is about what that score measures (SDS: the ischemia), not about
    # the LVEF the sentence also gives
    (SUBMAX, "Severe reversible RCA defect (SDS 8), larger than in 2024 (SDS 3), LVEF 56%.", []),
    (SUBMAX, "Severe reversible RCA defect (SDS 8), unchanged from 2024 (SDS 3), LVEF 56%.", ["G702"]),
    # a defect described at rest is graded by the rest images
    (SUBMAX, "Severe reversible inferior defect; a mild residual defect at rest in the inferior wall.", []),
    (SUBMAX, "Mild reversible inferior defect.", ["G301"]),
    # "plus" adds a defect of its own: its grade words are not the first defect's
    (LBBB, "Moderate reversible anterior and apical defect (LAD) plus a small mild fixed inferior defect.", []),
    (LBBB, "Mild reversible anterior and apical defect (LAD) plus a small mild fixed inferior defect.", ["G301"]),
    # LVEF in dictation, and the value a change starts from is the prior's
    (LBBB, "The EF's down to 44 now.", []),
    (LBBB, "The EF's down to 54 now.", ["G101"]),
    (LBBB, "Ejection fraction 44%, down from 52%.", []),
    (LBBB, "Ejection fraction 44%, down from 58%.", ["G111"]),
    # territories a flow sentence names, then graded, are graded for their flow reserve
    (PET, "Circumflex flow reserve 1.40 (reduced); LAD and RCA preserved.", []),
    (PET, "Circumflex flow reserve 1.40 (reduced); LAD and RCA likewise reduced.", ["G301", "G301"]),
    # values listed with slashes, each with its own unit, are each read
    (NORMAL, "Bruce 9 min/10.1 METs/94% MPHR.", []),
    (NORMAL, "Bruce 9 min/11.6 METs/94% MPHR.", ["G109"]),
    # diffuse or microvascular disease is the globally reduced flow reserve
    (PET, "Global reserve preserved, without diffuse microvascular dysfunction.", []),
    (PET, "The flow pattern indicates coronary microvascular dysfunction.", ["G409"]),
    # a conduction (LBBB) artifact is a septal reading: not of a defect reaching the anterior wall and apex
    (LBBB, "Anterior and apical ischaemia; I don't believe this is the LBBB.", []),
    (LBBB, "Anterior and apical defect; I reckon this is just the LBBB.", ["G406"]),
    (LBBB, "The differential includes an LBBB artifact, though true ischaemia is favoured.", []),
    (LBBB, "The septal wall contracts late, which is the LBBB; anterior ischaemia.", []),
    (SEPTAL, "Mild fixed septal reduction, in keeping with a bundle branch block artefact.", []),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test8_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def test_a_present_clause_after_a_prior_clause_speaks_of_this_study(study_of: Callable[[str], Study]) -> None:
    study = study_of(SUBMAX)
    text = (
        "Relative to the 2024 scan, when there was just a small mild inferior defect (SDS 3), the defect is now "
        "severe and medium in size, mostly reversible, SDS 8 (12%), RCA; high risk."
    )
    assert errors(text, study, "impression") == []
    assert errors(text.replace("is now severe", "is now mild"), study, "impression") == ["G301"]


def test_a_prior_reports_mild_defect_kept_as_score_1_segments_may_be_called_unchanged(
    study_of: Callable[[str], Study],
) -> None:
    study = study_of(LBBB)
    text = "New LAD ischaemia; the small mild fixed inferior defect of the 2023 report is unchanged."
    # the rules call it resolved (its segments now score 1, below the defect threshold): a reading, shown
    assert errors(text, study) == []
    assert "G702" in codes(text, study, "warning", "full")
    assert errors("New LAD ischaemia; the inferior defect of the 2023 report is new.", study) == ["G702"]


def test_a_changed_study_whose_impression_makes_no_comparison_warns(study_of: Callable[[str], Study]) -> None:
    study = study_of(SUBMAX)
    silent = "Severe reversible RCA defect, SDS 8 (12%). LVEF 56%. High risk; angiography advised."
    assert "G511" in codes(silent, study, "warning")
    assert "G511" not in codes(silent, study, "error")
    for told in ("Worse than 2024.", "Progression since the previous study.", "SDS 3 before, now 8."):
        assert "G511" not in codes(f"{silent} {told}", study, "warning"), told


def test_a_dictated_lvef_states_the_reduced_function(study_of: Callable[[str], Study]) -> None:
    study = study_of(LBBB)
    text = "New anterior and apical ischaemia, LAD, moderate, about 15%. The EF's down to 44 from 52. High risk."
    assert "G504" not in codes(text, study, "error")
    assert "G504" in codes(text.replace("The EF's down to 44 from 52. ", ""), study, "error")
