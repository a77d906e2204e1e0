"""A risk category where two guidelines grade the same study differently is a reading, shown as a warning; a
category no guideline gives stays an error (issue 15).

The rules call a post-stress ESV above 70 mL high risk (SHARIR-1999). The ACC-AHA-SIHD-2012 table has no volume
criterion and grades an LVEF of 35-49 % intermediate, so "intermediate risk" for a dilated ventricle with a
moderately reduced LVEF is how many physicians read it; "low risk" is not, and neither is "intermediate" once
the LVEF is below 35 % (a high-risk feature of its own).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study

# fixed inferior RCA scar after a known MI, LVEF 39 %, post-stress ESV 102 mL: the rules' high risk is the ESV only
DILATED_SCAR = "dev8_spect_lbbb_adenosine_fixed_inferior_scar_dominant_rca_stable_prior_report"
# large LAD scar after a known MI, LVEF 33 %, ESV above the limit: high risk by the LVEF too
LOW_EF_SCAR = "dev10_spect_regadenoson_lad_scar_ef33_worse_prior_report"

SCAR_FINDINGS = "Fixed inferior and inferolateral defect, severe, consistent with the old infarct. LVEF 39%."


@pytest.mark.parametrize(
    ("stem", "text", "expected"),
    [
        (DILATED_SCAR, f"{SCAR_FINDINGS} Intermediate-risk result given the LV dysfunction.", []),
        (DILATED_SCAR, f"{SCAR_FINDINGS} Moderate risk overall.", []),
        (DILATED_SCAR, f"{SCAR_FINDINGS} High risk on account of the dilated ventricle.", []),
        (DILATED_SCAR, f"{SCAR_FINDINGS} A low-risk study.", ["G503", "G801"]),
        (
            LOW_EF_SCAR,
            "Large severe anterior and apical scar with minimal peri-infarct reversibility. LVEF 33%. "
            "Intermediate risk.",
            ["G503", "G801"],
        ),
    ],
)
def test_a_risk_category_is_an_error_only_where_no_guideline_gives_it(
    study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]
) -> None:
    assert errors(text, study_of(stem), scope="impression") == expected


def test_the_reading_is_shown_as_a_warning_naming_the_volume(study_of: Callable[[str], Study]) -> None:
    study = study_of(DILATED_SCAR)
    flags = verify(f"{SCAR_FINDINGS} Intermediate risk.", study, scope="impression")
    risk = [f for f in flags if f.code == "G801"]
    # G801 alone shows the reading (G503 does not repeat it), with the volume in its evidence
    assert [(str(f.severity), "102" in (f.evidence or "")) for f in risk] == [("warning", True)]
    assert [f for f in flags if f.code == "G503"] == []
