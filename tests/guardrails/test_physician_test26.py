"""Physician-written impressions of the blind set test26 (round 19): each cause of a former false error, checked on
sentences written here in other words, beside a wrong sentence the same mechanism must still flag; and the set itself
scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); readings are checked by
their warning codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from guardrails import verify
from reporter.domain.study import Study

# Rb-82 dipyridamole PET after heart transplant: normal relative perfusion (SSS 0), global and regional MFR 1.5,
# LVEF 58 % rest / 56 % stress; prior PET 2025-11-12 normal, MFR 2.4, LVEF 60 %
OHT = "test26_pet_rb82_dipyridamole_heart_transplant_cav_globally_reduced_mfr"
# ventricular paced: mild-moderate septal reduction (segments 2, 3, 8, 9; read as pacing artefact) plus a medium
# severe fixed LCx scar (segments 5, 6, 11, 12, 16; stress sum 12 = 17.6 % of the LV); SSS 17 (25 %), LVEF 40 %
PACED = "test26_spect_adenosine_ventricular_paced_septal_artifact_plus_true_lcx_scar_ef40"
# regadenoson, woman: segments 1, 7, 13 score 1 at stress, 0 at rest (SDS 3, 4.4 %); the rules leave the region open
# (equivocal) and grade perfusion probably normal; no artifact recorded
WOMAN = "test26_spect_regadenoson_woman_small_mild_anterior_reversible_true_ischemia_ctac"

OHT_CORE = "Normal relative perfusion, SSS 0; global flow reserve reduced at 1.5 in every territory; LVEF 58% to 56%"
PACED_CORE = "Septal reduction from pacing; fixed severe LCx scar, no ischaemia (SDS 1); LVEF 40%"
WOMAN_CORE = "Small mild reversible anterior defect (LAD), SDS 3; LVEF 70%; low risk"

CASES = [
    # a year after "of <month>" in a sentence that gives a flow in mL/min/g is the date of the study compared with,
    # not a flow value; a year that is no date of either study is still wrong
    (OHT, f"Against the Rb-82 study of Nov 2025, stress flow is now only 1.65 mL/min/g. {OHT_CORE}.", []),
    (OHT, f"Against the Rb-82 study of Nov 2025, stress flow is now only 2.65 mL/min/g. {OHT_CORE}.", ["G106"]),
    # a prior cue keeps the prior's date between it and the value ("previous (12/11/2025) reserve 2.4")
    (OHT, f"{OHT_CORE}. Previously (12/11/2025) flow reserve 2.4.", []),
    (OHT, f"{OHT_CORE}. Prior study 2025-11-12: LVEF 60%.", []),
    (OHT, f"{OHT_CORE}. Previously (12/11/2025) flow reserve 3.4.", ["G106"]),
    # a grade before "but" or "whereas" is the clause's own noun's, not the flow reserve's after it
    (OHT, "Preserved LVEF at 58%, whereas globally depressed flow reserve (1.5); SSS 0.", []),
    (OHT, "Unremarkable perfusion, yet a globally reduced MFR of 1.5 throughout; LVEF 58%.", []),
    (OHT, "Reduced relative perfusion but normal MFR of 1.5; LVEF 58%.", ["G301", "G401"]),
    # one defect's own share of the LV (its summed stress score / 68), where the total holds a region read as
    # artefact; a share no defect and no summed score gives is still wrong
    (PACED, f"{PACED_CORE}; the lateral scar alone involves some 18% of the left ventricle.", []),
    (PACED, f"{PACED_CORE}; the lateral scar alone involves some 12% of the left ventricle.", ["G105"]),
    # ... but not a share the text calls a total, nor one of a sentence naming several territories
    (PACED, f"{PACED_CORE}; septal and lateral defects together some 18% of the left ventricle.", ["G105"]),
    # a finding as the subject of a hypothetical or a generic statement: reasoning, not a finding of this study
    (WOMAN, f"{WOMAN_CORE}. Breast artefact would not normalise at rest, so this is true ischaemia.", []),
    (WOMAN, f"{WOMAN_CORE}. If this were soft-tissue attenuation it would persist on the rest images.", []),
    (WOMAN, f"{WOMAN_CORE}. An attenuation artefact is typically fixed; this defect is not.", []),
    (WOMAN, f"{WOMAN_CORE}. There is also breast attenuation over the anterior wall.", ["G406"]),
    # a verdict quoted as the software's or another reader's is not the text's; one it agrees with is
    (OHT, f"The automated analysis reports the study as normal; I do not accept that. {OHT_CORE}; high risk.", []),
    (OHT, f"QPS labels it a normal scan, and I agree. {OHT_CORE}; high risk.", ["G602"]),
    (OHT, f"Normal study. {OHT_CORE}; high risk.", ["G602"]),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test26_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def _codes(text: str, study: Study, severity: str) -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope="impression") if f.severity.value == severity)


def test_test26_abnormal_perfusion_of_an_open_region_is_a_reading(study_of: Callable[[str], Study]) -> None:
    """Perfusion called abnormal where the rules grade it probably normal for a score-1 region they leave open: G602
    as a warning; of a study with no such region (the transplant PET: normal perfusion), still an error."""
    text = f"Myocardial perfusion abnormal. {WOMAN_CORE}."
    assert "G602" not in _codes(text, study_of(WOMAN), "error")
    assert "G602" in _codes(text, study_of(WOMAN), "warning")
    assert "G602" in _codes(f"Myocardial perfusion abnormal. {OHT_CORE}.", study_of(OHT), "error")


def test_test26_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: no correct impression is flagged."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_test26")
    assert clean == 22
    assert flagged == []
    assert corrupted == 70
    assert len(missed) <= 9
