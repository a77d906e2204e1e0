"""Physician-written impressions of the blind set dev12 (issue 15): each cause of a former false error or miss,
checked on sentences written here in other words, beside a wrong sentence the same mechanism must still flag.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# dual-isotope exercise SPECT: reversible inferior/inferoseptal RCA defect (SDS 10, ~15%), one basal inferior
# segment with a rest score of 1; Duke -5.5; prior of 2024-09-12 given as measurements (SSS 4, SDS 4, LVEF 58%)
DUAL = "dev12_spect_dual_isotope_exercise_metoprolol_submax_rca_ischemia_worse_prior_meas_duke_neg5_5"
# adenosine SPECT: LAD scar with peri-infarct ischemia (partially reversible); prior report of 2024-03-18: a fixed
# anterior/apical LAD defect, LVEF 41%
MIXED = "dev12_spect_adenosine_lad_scar_periinfarct_ischemia_ef36_prior_report"
# LBBB regadenoson SPECT: mild fixed anteroseptal reduction (scores 1/1), no ischemia, no scar read; LVEF 46%
LBBB = "dev12_spect_lbbb_regadenoson_no_ischemia_septal_fixed_ef46"
# normal exercise SPECT, Duke +9 (low), CAC 1450
NORMAL = "dev12_spect_exercise_normal_cac1450_duke_pos9"

CASES = [
    # "an element of fixed defect", "a part of fixed defect": the fixed part of the defect; its size word sizes
    # that part (the rest scores below the defect threshold make it a reading: a warning, as "a fixed component")
    (DUAL, "Inducible inferior RCA ischaemia, with a small part of fixed defect basally.", []),
    (DUAL, "Reversible RCA-territory ischaemia with perhaps a small element of fixed defect near the base.", []),
    (DUAL, "A small fixed inferior defect.", ["G302", "G303"]),
    # a past "when" clause after the prior's date or name: what the prior showed, checked against the prior
    (MIXED, "Against the 2024 study, when the LAD defect was called fixed, there is now peri-infarct ischaemia.", []),
    (
        MIXED,
        "Against the 2024 study, when the LAD defect was described as reversible, there is now peri-infarct ischaemia.",
        ["G702"],
    ),
    (DUAL, "More ischaemia than on the previous scan, when only a small inferior defect was seen.", []),
    (DUAL, "More ischaemia than on the previous scan, when only a small anterior defect was seen.", ["G702"]),
    # a value dated month/year after it is the prior's
    (DUAL, "Ischaemia has grown: SDS 10, up from SSS 4 and SDS 4 in 9/2024.", []),
    (DUAL, "Ischaemia has grown: SDS 10, up from SSS 4 and SDS 7 in 9/2024.", ["G104"]),
    # a reference range named as one (a guideline's band, a score's category) grades the value before it
    (LBBB, "LVEF 46%, inside the 35 to 49% band of mildly reduced function.", []),
    (LBBB, "LVEF 46%, mildly reduced (range 35-49% per ACC/AHA).", []),
    (LBBB, "LVEF 46%, normal (range 50-70% per ACC/AHA).", ["G111", "G602"]),
    (DUAL, "Duke score -5.5, in the intermediate category (-10 to +4).", []),
    # a zero share before the ischemia denies it
    (NORMAL, "0 % inducible ischaemia on SPECT.", []),
    (NORMAL, "Zero ischemic myocardium; normal perfusion.", []),
    (NORMAL, "5% ischaemic myocardium.", ["G111", "G402"]),
    # an ischemic cause of the dysfunction, with its likelihood: a (non)ischemic cardiomyopathy reading
    (LBBB, "An ischemic basis for the reduced ejection fraction seems unlikely.", []),
    (LBBB, "An ischemic cause of the reduced LVEF is thus considered unlikely.", []),
    (LBBB, "An ischemic cause of the reduced LVEF is likely.", ["G402"]),
    # an arrow ends the clause a negation governs
    (NORMAL, "No chest pain and no ST change => low-risk treadmill result.", []),
    (NORMAL, "No chest pain and no ST change, not a low-risk treadmill result.", ["G801"]),
    # a sentence giving the prior's values ends with the verdict on the change
    (DUAL, "Previous (Sept 2024): SDS 4 - improvement.", ["G702"]),
    (DUAL, "Previous (Sept 2024): SDS 4 - deterioration.", []),
    # the down arrow of shorthand: reduced uptake, a defect placed by its wall
    (LBBB, "Mild fixed inferior \u2193 counts, LBBB.", ["G202"]),
    (LBBB, "Mild fixed anteroseptal \u2193 counts, LBBB.", []),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev12_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def test_an_impression_that_places_no_defect_warns(study_of: Callable[[str], Study]) -> None:
    study = study_of(DUAL)
    unplaced = "The defect is larger and more severe than in 2024; ischaemia may be underestimated. Duke -5.5."
    placed = unplaced.replace("The defect", "The inferior defect")

    def where(text: str) -> list[str]:
        return [f.severity.value for f in verify(text, study, scope="impression") if "where the defect" in f.message]

    assert where(unplaced) == ["warning"]
    assert where(placed) == []
