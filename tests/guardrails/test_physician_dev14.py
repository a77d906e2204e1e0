"""Physician-written impressions of the blind set dev14 (issue 15): each cause of a former false error or miss,
checked on sentences written here in other words, beside a wrong sentence the same mechanism must still flag.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); the omissions and
the advice, which are warnings in a physician's text, are checked by their warning codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# exercise SPECT five months after an LAD stent: small mild reversible apical defect (SSS 2, SDS 2, 2.9%); prior of
# 2026-05-26 given as measurements (SSS 12, SDS 11, anterior/anteroseptal/apical LAD ischaemia, LVEF 52%)
POST_PCI = "dev14_spect_exercise_post_lad_pci_improved_prior_meas_duke_pos9"
# Rb-82 PET: reversible LAD and RCA defects (SDS 13, 19%), rest normal, global MFR 1.29, CAC 2100; high risk
PET = "dev14_pet_rb82_regadenoson_lad_rca_multivessel_low_mfr_cac2100"
# regadenoson SPECT: mostly fixed inferior/inferolateral defect, segments 5 and 15 improving at rest (SDS 2, 2.9%),
# basal/mid inferior akinesis (segments 4, 10), LVEF 41%
SCAR = "dev14_spect_regadenoson_inferolateral_scar_periinfarct_ef41"
# exercise SPECT of a woman: normal perfusion, 1 mm ST depression (the one marker of ischemia is the ECG), low risk
WOMAN = "dev14_spect_exercise_woman_normal_borderline_tid119_st1mm_duke_pos2"
# adenosine SPECT, fair quality: bowel activity by the inferior wall and rest motion (corrected); probably normal
ADENOSINE = "dev14_spect_adenosine_elderly_probably_normal_gut_activity_motion"
# LBBB regadenoson SPECT of dev12: a mild fixed anteroseptal reduction (scores 1/1), nothing reverses
LBBB = "dev12_spect_lbbb_regadenoson_no_ischemia_septal_fixed_ef46"

CASES = [
    # the rest phase inside the verdict ("normal rest perfusion") judges the rest images only
    (PET, "Stress defects in the LAD and RCA territories with normal resting perfusion.", []),
    (PET, "Reversible LAD and RCA defects; normal rest images.", []),
    (PET, "Normal perfusion throughout.", ["G602"]),
    (SCAR, "Inferior defect at stress; normal rest perfusion.", ["G602"]),
    # ischemia said of the images where the study's one marker of ischemia is its stress ECG
    (WOMAN, "Perfusion images: evidence of inducible ischemia.", ["G402"]),
    (WOMAN, "SPECT positive for ischaemia.", ["G402"]),
    (WOMAN, "ECG positive for ischemia; perfusion normal.", []),
    (WOMAN, "Ischaemic ST response despite normal perfusion images.", []),
    (WOMAN, "Electrically positive for ischaemia with a normal scan.", []),
    # a reversible component of a defect the rules read as fixed, where a part of it does improve at rest
    (SCAR, "Fixed inferior scar with a small reversible component at its inferolateral margin.", []),
    (SCAR, "Inferolateral infarct, peri-infarct reversible defect in the basal inferolateral segment.", []),
    (LBBB, "Mild anteroseptal defect with a reversible component.", ["G303", "G402"]),
    # the size of the reversible part is the amount of ischemia
    (SCAR, "The ischaemic component is small.", []),
    (SCAR, "Mostly fixed inferior defect with a large reversible component.", ["G301"]),
    (SCAR, "The reversible portion appears sizeable.", ["G301"]),
    (PET, "The reversible component is large.", []),
    # a share of the LV listed after this study's summed score is that score's share, not the prior's or the change
    (POST_PCI, "Residual apical defect, SDS 2 (~3% LV).", []),
    (POST_PCI, "Residual apical defect, SDS 2, about 16% of the myocardium.", ["G105"]),
    (POST_PCI, "Apical defect: SSS 2 / SDS 2 / 13% of LV.", ["G105"]),
    # a defect a comparison says is gone is the prior's: its walls and scores are checked against the prior's
    (POST_PCI, "Versus May 2026 the anterior and anteroseptal ischaemia has essentially disappeared.", []),
    (POST_PCI, "Versus May 2026 the lateral ischaemia has essentially disappeared.", ["G702"]),
    (POST_PCI, "Compared with May, the inferior defect is now gone.", ["G702"]),
    (POST_PCI, "After stenting, the anteroseptal ischemia (SDS 11) has resolved; small apical defect, SDS 2.", []),
    (POST_PCI, "Since the pre-PCI scan of May, the LAD defect (SDS 11) is no longer seen.", []),
    (POST_PCI, "Since the pre-PCI scan of May, the LAD defect (SDS 9) is no longer seen.", ["G104"]),
    # a defect that fills in at rest is this study's reversibility, not a prior's defect
    (POST_PCI, "Small apical defect that resolves at rest.", []),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev14_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def _warnings(text: str, study: Study, scope: str = "full") -> list[str]:
    flags = verify(text, study, scope=scope)  # type: ignore[arg-type]
    return sorted(f.code.value for f in flags if f.severity.value == "warning")


@pytest.mark.parametrize(
    ("stem", "text", "expected"),
    [
        # an imperative referral is advice: against a normal low-risk study it is advice against the facts
        (WOMAN, "Low risk; go straight to cath.", ["G412"]),
        (WOMAN, "Normal scan. Consider invasive angiography.", ["G412"]),
        (WOMAN, "Normal perfusion; proceed to coronary angiography.", ["G412"]),
        (WOMAN, "Normal perfusion, low risk.", []),
    ],
)
def test_dev14_imperative_advice(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert _warnings(text, study_of(stem)) == expected


def test_imperative_referral_of_a_high_risk_study_is_supported(study_of: Callable[[str], Study]) -> None:
    flags = verify("High risk: proceed to coronary angiography.", study_of(PET))
    assert [(f.code.value, f.severity.value) for f in flags] == [("G411", "info")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an impression that states the limitations names each artifact the study records (motion here)
        ("Fair-quality study limited by gut uptake near the inferior wall. No ischaemia. LVEF 66%.", ["G509"]),
        ("Technically limited by subdiaphragmatic activity and patient movement. No ischaemia. LVEF 66%.", []),
        # no limitation stated at all: the impression leaves image quality to the findings
        ("No ischaemia; probably normal study, bowel-related inferior artefact. LVEF 66%. Low risk.", []),
    ],
)
def test_dev14_limitations_named(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert [c for c in _warnings(text, study_of(ADENOSINE), "impression") if c == "G509"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the ischemic myocardium of a mostly fixed defect left unsaid
        ("Fixed inferior and inferolateral scar. LVEF 41%, inferior akinesis. Intermediate risk.", ["G501"]),
        ("Fixed inferior and inferolateral scar with minimal peri-infarct ischaemia. LVEF 41%, inferior AK.", []),
        # the akinetic segments left unsaid
        ("Inferior and inferolateral scar with minor peri-infarct ischaemia; LVEF 41%. Intermediate risk.", ["G504"]),
        ("Inferior scar with minor peri-infarct ischaemia; the inferior wall does not contract; LVEF 41%.", []),
        ("Inferior scar, minor peri-infarct ischaemia; regional dysfunction of the infarct zone; LVEF 41%.", []),
    ],
)
def test_dev14_key_findings_left_out(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert [c for c in _warnings(text, study_of(SCAR), "impression") if c in ("G501", "G504")] == expected
