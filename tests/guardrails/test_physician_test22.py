"""Physician-written impressions of the blind set test22 (round 16's second sealed set, released at the start of
round 17): each cause of a former false error or miss, checked on sentences written here in other words, beside a
wrong sentence the same mechanism must still flag; and the set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); readings are checked by
their warning codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from guardrails import verify
from reporter.domain.study import Study

# Rb-82 regadenoson PET: new moderate reversible LCx defect (11.8 % of the LV), LCx MFR 1.3 (the only reduced
# territory), LVEF 58 % at rest and 53 % at peak stress (a 5-point fall); prior normal SPECT of 2023
PET = "test22_pet_rb82_regadenoson_lcx_ischemia_low_lcx_mfr_negative_ef_reserve"
# treadmill: normal perfusion, 2 mm ischaemic ST depression, Duke 0, LVEF 65 %
EXE = "test22_spect_exercise_normal_perfusion_ischemic_st_2mm_duke_0"
# dipyridamole Tl-201: large severe reversible LAD defect, TID 1.32, LVEF 52 % -> 41 % post-stress
TL = "test22_spect_tl201_dipyridamole_large_severe_lad_ischemia_tid_lung_uptake_ef_drop"
# adenosine in a V-paced patient: severe inferolateral scar with mild peri-infarct ischaemia (SDS 3), LVEF 42 %,
# unchanged since the adenosine sestamibi SPECT of 2021-06-15
PACE = "test22_spect_adenosine_paced_inferolateral_scar_mild_periinfarct_ischemia_ef42_unchanged_2021"

TAIL = " EF 42%, no change since 2021."

CASES = [
    # a PET LVEF falling by less than the table's severe stress-induced dysfunction (10 points) where one territory
    # only has a reduced flow reserve: "intermediate" is a reading of the rules' high (shown), "low" stays an error
    (PET, "New reversible lateral defect confined to the circumflex, whose flow reserve is low (1.3); EF 58% at rest "
     "and 53% at peak. Overall intermediate risk.", []),
    (PET, "New reversible lateral defect confined to the circumflex, whose flow reserve is low (1.3); EF 58% at rest "
     "and 53% at peak. Overall low risk.", ["G503", "G801"]),
    # ischemia as the object of what the ECG cannot be used (or relied on) to do is neither stated nor denied
    (PACE, "The paced rhythm means the stress ECG could not be used to assess ischaemia. Old inferolateral scar with a "
     "little peri-infarct ischaemia," + TAIL, []),
    (PACE, "With ventricular pacing the ST segments are not reliable for detecting ischemia. Old inferolateral scar "
     "with a little peri-infarct ischaemia," + TAIL, []),
    (PACE, "No ischaemia on the images. Old inferolateral scar," + TAIL, ["G501", "G601"]),
    # a wall's motion ascribed to a cause and not to ischemia: the cause of the motion is denied, not the ischemia
    (PACE, "Septal wall motion is abnormal because of the pacing, not ischaemia. Old inferolateral scar with mild "
     "peri-infarct ischaemia," + TAIL, []),
    (PACE, "Septal hypokinesis from the paced rhythm, not ischaemia. Old inferolateral scar with mild peri-infarct "
     "ischaemia," + TAIL, []),
    # ... but a scar "not ischaemia" (no motion, no cause) and a "nor" after a motion still deny it
    (PACE, "Old inferolateral scar, not ischaemia." + TAIL, ["G501", "G601"]),
    (PACE, "No wall motion abnormality elsewhere, nor ischaemia. Old inferolateral scar," + TAIL,
     ["G501", "G601", "G601", "G602"]),
    # "reversible" said of the ischemia at the rim of a scar named before it: the defect reverses in part, and the
    # size of the rim is the ischemia's
    (PACE, "The old inferolateral infarct has a small rim of reversible ischaemia at its edge." + TAIL, []),
    (PACE, "The old inferolateral infarct has a large rim of reversible ischaemia at its edge." + TAIL, ["G301"]),
    (PACE, "Reversible inferolateral ischaemia, no scar." + TAIL, ["G303", "G502", "G601"]),
    # a grade before "reversible ischaemia" (British spelling, a longer tail) grades the ischemia, not the defect
    (PACE, "Inferolateral scar with mild reversible ischaemia at its border (SDS 3)." + TAIL, []),
    (PACE, "Inferolateral scar with severe reversible ischaemia at its border (SDS 3)." + TAIL, ["G301", "G301"]),
    # a bound on the LVEF written without its percent sign, as the LVEF itself was
    (PACE, "Inferolateral scar with mild ischaemia; LVEF 42 (LVEF under 45): intermediate risk. No change since "
     "2021.", []),
    (PACE, "Inferolateral scar with mild ischaemia; LVEF 42 (LVEF under 40): intermediate risk. No change since "
     "2021.", ["G111"]),
    (PACE, "Inferolateral scar with mild ischaemia; LVEF 42 (LVEF over 50): intermediate risk. No change since "
     "2021.", ["G111"]),
    # a finding left open after its noun ("... cannot be fully ruled out") is raised, not stated
    (EXE, "Perfusion normal, EF 65%; multivessel balanced ischaemia cannot be fully ruled out. Positive ECG, Duke 0.",
     []),
    (EXE, "Perfusion normal, EF 65%; balanced ischaemia is not excluded. Positive ECG, Duke 0.", []),
    (EXE, "Perfusion normal with balanced ischaemia, EF 65%. Positive ECG, Duke 0.", ["G402", "G409"]),
    # a comparison with a prior named by several words before its modality ("the gated adenosine sestamibi SPECT")
    (PACE, "Perfusion is no different from the adenosine sestamibi SPECT of June 2021. Inferolateral scar with mild "
     "peri-infarct ischaemia, EF 42%.", []),
    (PACE, "Better than the gated adenosine sestamibi SPECT of 2021. Inferolateral scar with mild peri-infarct "
     "ischaemia, EF 42%.", ["G702"]),
    # the rest course a defect's own relative clause states decides over the onset word before it; beside an infarct
    # or peri-infarct ischemia, both words stay a partial reversal
    (TL, "Dipyridamole: large severe stress-induced hypoperfusion of the anterior wall and apex that resolves at rest; "
     "TID 1.32; EF 52 to 41%. High risk.", []),
    (TL, "Dipyridamole: large severe stress-induced hypoperfusion of the anterior wall and apex that persists at rest; "
     "TID 1.32; EF 52 to 41%. High risk.", ["G303"]),
    (PACE, "Stress-induced inferolateral hypoperfusion that persists at rest, in keeping with the old infarct, with "
     "mild peri-infarct ischaemia." + TAIL, []),
    # a paced rhythm leaves no ST segment to read: an ECG called negative for ischemia contradicts that fact; the
    # tracing called non-diagnostic (in the same sentence as "no ST changes") does not
    (PACE, "Stress ECG negative for ischaemia. Old inferolateral scar with mild peri-infarct ischaemia," + TAIL,
     ["G607"]),
    (PACE, "No ischaemic ST changes, although the paced ECG is non-diagnostic. Old inferolateral scar with mild "
     "peri-infarct ischaemia," + TAIL, []),
    # ... nor where the text says elsewhere that the tracing cannot be read (a reader's mixed grading, shown)
    (PACE, "The ECG cannot be interpreted with ventricular pacing. No ischaemic ST changes. Old inferolateral scar "
     "with mild peri-infarct ischaemia," + TAIL, []),
    # "a part of the wall" sizes the defect that part is (not a part of a defect)
    (TL, "A large area of the anterior wall is short of blood on stress and it recovers at rest; TID 1.32; EF 52 to "
     "41%. High risk, angiogram advised.", []),
    (TL, "Only a small part of the anterior wall is short of blood on stress and it recovers at rest; TID 1.32; EF 52 "
     "to 41%. High risk, angiogram advised.", ["G302"]),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test22_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def _codes(text: str, study: Study, severity: str) -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope="impression") if f.severity.value == severity)


def _pet(study: Study, *, stress_lvef: int | None = None, rca_mfr: float | None = None) -> Study:
    """The PET study with its peak-stress LVEF lowered (its ESV to match), or its RCA flow reserve reduced."""
    data = study.model_dump(mode="json")
    if stress_lvef is not None:
        f = data["function"]
        f["stress_lvef_percent"] = stress_lvef
        f["stress_esv_ml"] = round(f["stress_edv_ml"] * (100 - stress_lvef) / 100)
    if rca_mfr is not None:
        for t in data["flow"]["territories"]:
            if t["territory"] == "RCA":
                t["stress_mbf_ml_min_g"] = round(t["rest_mbf_ml_min_g"] * rca_mfr, 2)
                t["mfr"] = rca_mfr
    return Study.model_validate(data)


READ = "Reversible lateral defect, circumflex flow reserve 1.3. Intermediate risk."


def test_test22_small_pet_fall_in_one_territory_leaves_intermediate_a_reading(
    study_of: Callable[[str], Study],
) -> None:
    study = study_of(PET)
    assert "G801" not in _codes(READ, study, "error")
    assert "G801" in _codes(READ, study, "warning")


@pytest.mark.parametrize(
    ("stress_lvef", "rca_mfr"), [(47, None), (None, 1.4)], ids=["fall-of-11-points", "two-reduced-territories"]
)
def test_test22_larger_fall_or_second_territory_keeps_intermediate_wrong(
    study_of: Callable[[str], Study], stress_lvef: int | None, rca_mfr: float | None
) -> None:
    study = _pet(study_of(PET), stress_lvef=stress_lvef, rca_mfr=rca_mfr)
    assert "G801" in _codes(READ, study, "error")


def test_test22_nonischemic_ecg_on_a_readable_baseline_stays_a_grading(study_of: Callable[[str], Study]) -> None:
    """The same nondiagnostic response on a baseline ECG that permits ST analysis: "negative" is a reader's grading
    of the tracing (a warning), as before."""
    data = study_of(PACE).model_dump(mode="json")
    data["stress"]["baseline_ecg"] = "normal"
    study = Study.model_validate(data)
    text = "Stress ECG negative for ischaemia. Old inferolateral scar with mild peri-infarct ischaemia." + TAIL
    assert "G607" not in _codes(text, study, "error")
    assert "G607" in _codes(text, study, "warning")


def test_test22_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: no correct impression is flagged."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_test22")
    assert clean == 20
    assert flagged == []
    assert corrupted == 70
    # left: two omissions, of an ischaemic ECG a Duke score still names, and of a defect the study reads as attenuation
    # in a "probably normal" result (warnings)
    assert missed == [
        "test22_spect_exercise_normal_perfusion_ischemic_st_2mm_duke_0/d:omission",
        "test22_spect_regadenoson_esrd_transplant_small_fixed_inferior_atten_tid_borderline/d:omission",
    ]
