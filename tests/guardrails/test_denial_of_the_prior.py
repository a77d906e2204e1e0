"""A denial qualified by an earlier study ("not seen on the prior study") denies the prior, not the finding. The
guardrails' claims read it so before the structuring did (tests/extraction/test_denial_of_the_prior.py); both read
the shared ConText rules, so this keeps them agreeing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from reporter.domain.study import Study

# regadenoson sestamibi in AF: moderate reversible LCx ischemia, new since a normal 2022 study
LCX = "dev18_spect_regadenoson_afib_lcx_moderate_ischemia_ef48_new_vs_2022"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Moderate reversible inferolateral ischemia (LCx), not seen on the prior study of 2022. "
            "LVEF 48%, mildly reduced.",
            [],
        ),
        (
            "Moderate reversible inferolateral defect, absent on the previous scan: new LCx ischemia. "
            "LVEF mildly reduced at 48%.",
            [],
        ),
        ("Moderate reversible inferolateral defect, not seen. LVEF 48%, mildly reduced.", ["G501", "G601"]),
    ],
)
def test_the_guardrails_read_the_denial_of_the_prior_alike(
    study_of: Callable[[str], Study], text: str, expected: list[str]
) -> None:
    assert errors(text, study_of(LCX), "impression") == expected
