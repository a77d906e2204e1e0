"""Physician-written impressions of the blind set test29: each cause of a former false error, checked on sentences
written here in other words, beside a wrong sentence the same mechanism must still flag.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from reporter.domain.study import Study

# regadenoson sestamibi SPECT of a man on haemodialysis with LVH: normal perfusion (SSS 0), LVEF 45 % with global
# hypokinesis, post-stress ESV 93 mL: the rules' risk is high by the LV alone, the risk of ischaemic events low
HD = "test29_spect_regadenoson_haemodialysis_lvh_normal_perfusion_ef45_global_hypokinesis_listing"

HD_CORE = "Normal perfusion, SSS 0. LVEF 45%, global hypokinesis"
# regadenoson sestamibi SPECT after an anterior MI: large severe fixed anterior/apical defect (SDS 0), LVEF 28 %
SCAR = "test29_spect_regadenoson_large_fixed_anterior_apical_scar_aneurysm_ef28_no_ischemia_icd"
SCAR_CORE = "Large severe fixed anterior and apical defect, SDS 0. LVEF 28%"

CASES = [
    # a risk scoped to what it is a risk of (ischaemic events, peri-operative ischaemic complications, ischaemia) is
    # the table's risk of ischaemic events, not the overall risk; an unqualified low risk stays an error, and so does
    # a scoped risk the table does not give
    (HD, f"{HD_CORE}. Low risk for peri-operative ischemic complications.", []),
    (HD, f"{HD_CORE}. Risk of myocardial ischaemia: low.", []),
    (HD, f"{HD_CORE}; low risk of inducible ischemia.", []),
    (HD, f"{HD_CORE}. Low risk.", ["G503", "G801"]),
    (HD, f"{HD_CORE}. High risk for ischaemic events.", ["G801"]),
    # ischaemia named as the subject a judgement is made of ("in terms of ischaemia", "with regard to ischemia",
    # "ischaemia-wise") is no ischaemia stated; ischaemia stated after the subject is still read
    (HD, f"{HD_CORE}. In terms of ischaemia, nothing to act on; low risk ischaemia-wise.", []),
    (HD, f"{HD_CORE}. With regard to ischemia he can be listed: low risk for ischemic events.", []),
    (HD, f"As far as ischaemia is concerned, there is mild inferior ischaemia. {HD_CORE}.", ["G401", "G402"]),
    (HD, f"Ischemia-wise: mild reversible inferior ischemia. {HD_CORE}.", ["G401", "G402"]),
    # ischaemia set against the ground of a risk grade ("high risk owing to the low EF, not ischaemia") is neither
    # stated nor denied; ischaemia stated as the ground is still read
    (SCAR, f"{SCAR_CORE}. High risk owing to the low EF and not to ischemia.", []),
    (SCAR, f"{SCAR_CORE}. Risk is high because of the LV function, not ischaemia.", []),
    (SCAR, f"{SCAR_CORE}. High risk because of inducible ischaemia.", ["G402"]),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test29_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected
