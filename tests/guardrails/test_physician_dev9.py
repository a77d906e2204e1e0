"""False errors of the blind set dev9 (issue 15): each cause, checked on sentences written here in other words,
beside a wrong sentence the same reading must still flag.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# Rb-82 PET: small reversible lateral defect (scores 2, 1, 2; SSS 5); global MBF 1.32 stress / 0.88 rest, MFR 1.50;
# MFR below 2.0 in every territory (LAD 1.61, LCx 1.24, RCA 1.59)
PET = "dev9_pet_rb82_regadenoson_small_lcx_low_global_mfr_cac1240"
# N-13 PET whose LAD and RCA flow reserve is normal
PET_REGIONAL = "dev7_pet_n13_regadenoson_lcx_flow_lvef_reserve"
# Tl-201: reversible RCA defect, 13.2% ischemic myocardium
TL = "dev9_spect_tl201_exercise_rca_reversible_duke_neg5"
# normal perfusion on a submaximal test (beta-blocker)
SUBMAX = "dev9_spect_exercise_metoprolol_submax_normal_breast_atten_prior_meas_duke_pos7"
# LAD and LCx ischemia, SRS 2 (two rest scores of 1), no scar
DOBUT = "dev9_spect_dobutamine_atropine_copd_lad_lcx_ischemia_tid"
# fixed LAD scar (SDS 1), unchanged from a prior report of September 2023
SCAR = "dev9_spect_lbbb_regadenoson_lad_fixed_scar_unchanged_prior_report"
# new lateral ischemia since its prior
NEW = "spect_followup_new_lateral_ischemia"
# LCx ischemia of February 2025 resolved; the inferior scar unchanged
RESOLVED = "test4_spect_followup_lcx_resolved_inferior_scar"


CASES = [
    # a phase word nearer than a flow label names the number's own phase
    (PET, "Stress MBF 1.32 vs rest 0.88 mL/min/g.", []),
    (PET, "Hyperemic MBF 1.32 versus resting 0.88 mL/min/g.", []),
    (PET, "Stress MBF 1.32 vs rest 0.95 mL/min/g.", ["G106"]),
    (PET, "Rest MBF 0.88 vs stress 1.45 mL/min/g.", ["G106"]),
    (PET, "Rest/stress MBF 0.88/1.32 mL/min/g.", []),
    (PET, "Rest/stress MBF 0.88/1.45 mL/min/g.", ["G106"]),
    # a share of the LV in a risk sentence is the ischemic extent, not an annual event rate
    (TL, "High risk (ischaemic burden above 10% of the LV).", []),
    (TL, "Risk: high, as the ischemia exceeds 10% of the myocardium.", []),
    (TL, "Risk: high (ischaemia >20% of LV).", ["G105"]),
    (TL, "Risk: high, annual event rate >10%.", ["G111"]),
    # ischemia a test may miss, mask or underestimate is not stated
    (SUBMAX, "The submaximal heart rate may have masked ischaemia.", []),
    (SUBMAX, "On metoprolol the test could underestimate ischemia.", []),
    (SUBMAX, "A submaximal test that failed to provoke ischaemia.", []),
    (SUBMAX, "Inferior ischemia, missed on the ECG.", ["G202", "G402"]),
    # "little if any infarction", "negligible scar": an amount next to none (a warning where there is none)
    (DOBUT, "Rest images near normal, so little if any infarction.", []),
    (DOBUT, "Negligible scar on the rest images.", []),
    (DOBUT, "The rest images show an established infarction.", ["G403"]),
    # a grade held by one of the segments and by the summed stress score (SSS 4-8: mild, ASNC-SPECT-2018)
    (PET, "Small mild reversible lateral defect.", []),
    (PET, "A mild, small area of lateral ischemia in the circumflex territory.", []),
    (PET, "Small severe reversible lateral defect.", ["G301"]),
    # flow reserve below 2.0 globally and in every territory: "balanced disease" is a reading of it
    (PET, "Flow reserve is reduced in every territory, raising concern for balanced three-vessel CAD.", []),
    (PET, "Likely balanced multivessel disease.", []),
    (PET_REGIONAL, "Likely balanced multivessel disease.", ["G409"]),
    # a change the text denies ("no new or worsening") says unchanged, and neither states nor denies the finding
    (SCAR, "No new or worsening ischemia compared with 2023.", []),
    (SCAR, "Nothing new: no new or progressive ischaemia relative to 2023.", []),
    (SUBMAX, "No new ischemia compared with March 2022.", []),
    # (a new defect denied is also a present finding denied, since "no new" denies what follows: struct10b)
    (NEW, "No new or worsening perfusion defect since the prior study.", ["G601", "G702"]),
    (NEW, "No new ischemia compared with the prior.", ["G702"]),
    # ... and says nothing of the study as a whole: a defect that resolved since is no new defect
    (RESOLVED, "No new defect since 2/2025.", []),
    (RESOLVED, "The inferolateral ischemia seen in 2025 has resolved, and there is no new ischaemia.", []),
    # a denial of one kind of defect (scar or ischemia) contradicts only a defect of that kind
    (SCAR, "Anterior scar; no ischemia in the LAD territory.", []),
    (DOBUT, "Reversible anterior and lateral defects, with no scar in the LAD or LCx territory.", []),
    (SCAR, "Anterior scar; no fixed defect in the LAD territory.", ["G601"]),
    (DOBUT, "Reversible anterior defect, with no ischemia in the LCx territory.", ["G601", "G601"]),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev9_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a defect that stress induces is reversible: ischemia in other words
        ("Stress-induced hypoperfusion of the anterior and lateral walls; high risk.", []),
        ("Inducible perfusion defects in the LAD and LCx territories; high risk.", []),
        ("Hypoperfusion of the anterior and lateral walls; high risk.", ["G501"]),
    ],
)
def test_inducible_defect_mentions_ischemia(study_of: Callable[[str], Study], text: str, expected: list[str]) -> None:
    assert errors(text, study_of(DOBUT), scope="impression") == expected


def test_scant_scar_is_still_shown(study_of: Callable[[str], Study]) -> None:
    flags = verify("Negligible scar on the rest images.", study_of(DOBUT), scope="full")
    assert [f.code.value for f in flags if f.severity.value == "warning"] == ["G403"]
