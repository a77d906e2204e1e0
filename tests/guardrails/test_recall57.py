"""Recall on physician text (issue 15, helper recall57): a defect's rest course said in plain words after its stress
onset ("short of blood under stress, and it does not improve at rest"), or as "seen on both stress and rest images"
of the defect named before by "it"; images said to be read without AC where the study used it; a defect said to go
away with attenuation correction where the study records a defect and no artifact; a supraventricular tachycardia
during the test the stress data do not record; a flow reduction called focal where every territory's is reduced; a
place "already abnormal" on a normal prior; transplant listing as advice.

Each wrong sentence beside its correct twin, which stays clean. The expected value is the sorted list of error codes
(for advice, of warning codes).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from guardrails.claims import read_claims
from reporter.domain.study import Study

# dobutamine-atropine SPECT: mild small reversible inferior (RCA) defect, SDS 4; CT AC, no artifact
RCA = "test15_spect_dobutamine_atropine_copd_mild_rca_ischemia_rv_uptake"
# large fixed anteroapical scar with an aneurysm, no ischemia
SCAR = "test18_spect_regadenoson_anteroapical_scar_aneurysm_ef28_no_ischemia"
# exercise SPECT with CT AC: small mild reversible inferior (RCA) defect, no artifact
CTAC = "test16_spect_exercise_modbruce_small_mild_inferior_rca_duke_low"
# exercise SPECT without AC: small inferior (RCA) ischemia
NOAC = "test10_spect_exercise_small_inferior_rca_ischemia_duke_neg5p5"
# stress-only normal SPECT; breast attenuation recorded as resolved on the CT-corrected images
BREAST = "dev8_spect_exercise_stress_only_normal_woman_breast_atten_prior_meas_cac38_duke_pos10"
# treadmill test, 13 minutes, no arrhythmia recorded; normal perfusion
ATHLETE = "test19_spect_exercise_athlete_bradycardia_15mets_normal_duke13_mild_lv_dilation"
# N-13 ammonia PET: balanced, globally reduced flow reserve (1.3) in every territory
BALANCED = "test17_pet_n13_regadenoson_balanced_global_mfr13_neg_lvef_reserve_cac2500"
# N-13 ammonia PET: RCA ischemia with a flow reserve reduced in the RCA only
REGIONAL = "test9_pet_n13_regadenoson_rca_ischemia_low_regional_mfr_cac630"
# exercise SPECT: new RCA ischemia, the prior SPECT normal
NEW_RCA = "test7_spect_exercise_rca_ischemia_new_vs_normal_prior_duke_neg2p5"
# PET after heart transplant: globally reduced flow reserve 1.6
TRANSPLANT = "test16_pet_n13_regadenoson_transplant_cav_global_mfr16"

_RCA = "Small mild inferior defect in the RCA territory. "

CASES = [
    # the rest course in plain words after the stress onset decides; "it" takes up the defect named before
    (RCA, _RCA + "The bottom wall is short of blood under stress, and it does not improve at rest. EF 62%.", ["G303"]),
    (RCA, _RCA + "The bottom wall is short of blood under stress but improves at rest. EF 62%.", []),
    (RCA, _RCA + "It is seen on the rest as well as the stress images. EF 62%.", ["G303"]),
    (RCA, _RCA + "It is seen on the stress images only. EF 62%.", []),
    (SCAR, "Large severe anteroapical defect. It is present on both rest and stress images. EF 28%.", []),
    # read without AC: false where the study used CT AC
    (CTAC, "Small mild inferior RCA ischaemia, seen on the non-gated images read with no AC. Low risk.", ["G604"]),
    (NOAC, "Small inferior RCA ischaemia, seen on the images read with no AC.", []),
    # gone with attenuation correction: an artifact, false where the study records a defect and none
    (CTAC, "Small mild inferior RCA defect that disappears on the AC images, so probably attenuation. Low risk.",
     ["G406"]),
    (CTAC, "Small mild inferior RCA ischaemia, still seen after attenuation correction. Low risk.", []),
    (BREAST, "Normal perfusion; a mild anterior reduction resolves with attenuation correction (breast).", []),
    # a supraventricular tachycardia the stress data do not record; denied; the patient's history
    (ATHLETE, "Normal perfusion, LVEF 63%. A brief run of SVT occurred in recovery. Low risk.", ["G409"]),
    (ATHLETE, "Normal perfusion, LVEF 63%. No SVT or other arrhythmia. Low risk.", []),
    (ATHLETE, "Normal perfusion, LVEF 63%. Known AVNRT, none during the test. Low risk.", []),
    # focal flow reduction: false where every territory's reserve is reduced; true where one territory's is
    (BALANCED, "Balanced ischaemia: the flow reserve is regionally reduced (1.3).", ["G201"]),
    (REGIONAL, "Small RCA ischaemia with focally reduced MFR.", []),
    (REGIONAL, "Small RCA ischaemia, MFR globally reduced rather than focally reduced.", []),
    # "this region was already abnormal" of the finding just named: false on a normal prior
    (NEW_RCA, "Inferior ischaemia in the RCA territory. This region was already abnormal on the prior scan.", ["G702"]),
    (NEW_RCA, "Inferior ischaemia in the RCA territory. This region was normal on the prior scan.", []),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_recall57_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


@pytest.mark.parametrize(
    ("text", "advised"),
    [
        ("Globally reduced MFR 1.6 after transplant. We would list him for retransplantation.", ["G411"]),
        ("Globally reduced MFR 1.6 after transplant. Referral for transplant assessment.", ["G411"]),
        ("Globally reduced MFR 1.6 after transplant. Proceed to urgent re-transplant evaluation.", ["G411"]),
        ("Globally reduced MFR 1.6 in a transplanted heart.", []),
    ],
)
def test_transplant_listing_is_advice(study_of: Callable[[str], Study], text: str, advised: list[str]) -> None:
    flags = verify(text, study_of(TRANSPLANT), scope="impression")
    assert [f.code.value for f in flags if f.code.value == "G411" and f.severity.value == "warning"] == advised


def test_rest_course_after_the_stress_onset_decides_the_reversibility() -> None:
    fixed = read_claims("A large lateral area that is short of blood during exercise and does not recover at rest.")
    assert [d.reversibility[0] if d.reversibility else None for d in fixed.defects] == ["fixed"]
    reversed_ = read_claims("A large lateral area that is short of blood during exercise but recovers at rest.")
    assert [d.reversibility[0] if d.reversibility else None for d in reversed_.defects] == ["reversible"]


def test_it_takes_up_the_one_defect_before_and_not_two() -> None:
    one = read_claims("Small anterior defect. It is seen on both stress and rest images.")
    assert [d.reversibility[0] if d.reversibility else None for d in one.defects] == [None, "fixed"]
    two = read_claims("Small anterior defect and a small inferior defect. It is seen on both stress and rest images.")
    assert all(d.reversibility is None for d in two.defects)
