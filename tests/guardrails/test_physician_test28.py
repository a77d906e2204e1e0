"""Physician-written impressions of the blind set test28 (round 20): each cause of a former false error, checked on
sentences written here in other words, beside a wrong sentence the same mechanism must still flag; and the set itself
scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from reporter.domain.study import Study

# adenosine Rb-82 PET: normal relative perfusion (SSS 0), LAD flow reserve 1.5 (stress 1.29 mL/min/g), LCx 2.7, RCA
# 2.6, global 2.2; LVEF 58 % rest / 63 % stress; CAC 240
PET = "test28_pet_rb82_adenosine_isolated_lad_low_mfr15_cac_moderate"
# treadmill sestamibi, complete RBBB (secondary ST-T changes in V1-V3), hypertensive response, normal perfusion
RBBB = "test28_spect_exercise_rbbb_hypertensive_response_normal_duke_low"
# regadenoson tetrofosmin, pulmonary arterial hypertension: normal LV perfusion, LVEF 60 % / 62 %, TID 0.98
PAH = "test28_spect_pulmonary_hypertension_rv_uptake_septal_flattening_normal_lv"
# regadenoson sestamibi after CABG (LIMA-LAD, SVG-RCA, SVG-OM): new moderate reversible inferior (RCA) defect, SDS 6;
# LVEF 55 % / 56 %; prior 2022-05-10 normal, LVEF 58 %
CABG = "test28_spect_regadenoson_post_cabg_new_inferior_ischemia_vein_graft"

PET_CORE = "Normal relative perfusion (SSS 0); LAD flow reserve 1.5 with LCx and RCA normal; LVEF 58%"
CABG_CORE = "New moderate reversible inferior defect (RCA), SDS 6, compared with the normal 2022 SPECT"

CASES = [
    # a territory's flow reserve below 2.0 that the relative images do not show raises the risk to intermediate, as a
    # global reduction does; low risk stays an error, and so does high risk
    (PET, f"{PET_CORE}. Moderate risk given the regional flow deficit.", []),
    (PET, f"{PET_CORE}. Not a low-risk study.", []),
    (PET, f"{PET_CORE}. Low risk.", ["G801"]),
    (PET, f"{PET_CORE}. High-risk scan.", ["G801"]),
    # leads called clean, normal or negative deny an ST change there; leads given the change are still checked
    (RBBB, "Known RBBB with its V1-V3 ST-T changes; the inferior and lateral leads were normal. ECG negative.", []),
    (RBBB, "RBBB; inferior leads: negative for ischaemia. Normal perfusion.", []),
    (RBBB, "RBBB; ST depression in the inferior leads with exercise.", ["G202"]),
    # a hedge graded by an adverb of certainty is a possibility, as the plain hedge is; the finding stated stays wrong
    (PAH, "Normal LV perfusion; multivessel balanced ischaemia cannot be reliably ruled out on relative images.", []),
    (PAH, "Normal LV perfusion; relative imaging can't confidently exclude balanced disease.", []),
    (PAH, "Normal LV perfusion, but balanced ischaemia is present.", ["G402", "G409"]),
    # a denial reaches transient dilation in words across an "or" list; dilation joined by "and" or "but" is stated
    (PAH, "Normal perfusion; LVEF 62%, with no wall-motion abnormality or transient LV dilatation.", []),
    (PAH, "Normal perfusion; LVEF 62%, no regional dysfunction but transient dilation.", ["G404"]),
    # a change said to be next to none is unchanged; "a little" is a change, checked as one
    (CABG, f"{CABG_CORE}. LVEF 55%, barely changed since the 2022 scan.", []),
    (CABG, f"{CABG_CORE}. LVEF 55%, a little changed from 58% in 2022.", ["G702"]),
    (CABG, f"{CABG_CORE}. The defect is hardly changed from 2022.", ["G702", "G702"]),
    # a vessel listed after a graft's target is grafted too, not the place of a defect; a defect placed there is
    (CABG, f"After CABG (LIMA to the LAD, saphenous vein grafts to the PDA and OM). {CABG_CORE}. LVEF 55%.", []),
    (CABG, f"Grafts to the RCA and OM. {CABG_CORE}, and a second defect in the OM territory. LVEF 55%.", ["G201"]),
    # a comparison's clause ends where its prior has been named: in dictation without punctuation the next statement
    # is not its subject; a change word about the defect is still checked against the defect
    (
        CABG,
        "regadenoson study moderate reversible inferior defect sds 6 with normal rest images this is new compared "
        "with the 2022 scan ejection fraction 55 percent normal wall motion",
        [],
    ),
    (
        CABG,
        "regadenoson study moderate reversible inferior defect sds 6 this is unchanged compared with the 2022 scan "
        "ejection fraction 55 percent",
        ["G702"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test28_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def test_test28_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: no correct impression is flagged."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_test28")
    assert clean == 22
    assert flagged == []
    assert corrupted == 70
    assert len(missed) <= 9
