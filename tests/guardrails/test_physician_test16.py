"""Physician-written impressions of the blind set test16 (round 13's second sealed set, released in round 14): each
cause of a former false error or miss, checked on sentences written here in other words, beside a wrong sentence the
same mechanism must still flag; and the set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); readings, advice and
omissions are checked by their warning codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from guardrails import verify
from reporter.domain.study import Study

# N-13 ammonia PET after heart transplant: normal relative perfusion, global MFR 1.6 (reduced in all territories)
TX = "test16_pet_n13_regadenoson_transplant_cav_global_mfr16"
# Rb-82 PET: large severe fixed LAD scar, no ischemia, LVEF 30%; LAD MFR 1.6, LCx and RCA 2.5
SCAR = "test16_pet_rb82_dipyridamole_lad_scar_ef30_unchanged_vs_2020"
# modified Bruce 16:00, 1 mm ST depression, no angina: Duke on the Bruce-equivalent time +5 (low); small, mild,
# reversible inferior defect (score 1, equivocal by the rules)
DUKE = "test16_spect_exercise_modbruce_small_mild_inferior_rca_duke_low"
# LBBB: mild septal reduction (score 1), no artifact recorded; LVEF 48%
LBBB = "test16_spect_tetrofosmin_regadenoson_copd_lbbb_septal_artifact_ef48"
# two-day protocol, rest day first; moderate reversible lateral (LCx) defect; no artifact recorded
OBESE = "test16_spect_twoday_restfirst_obese_bmi45_lcx_moderate_ischemia_tid"

CASES = [
    # "Not seen/found X" opening its clause denies what follows (a non-native order); "X not seen" still denies before
    (SCAR, "Not found any ischaemia on the stress images.", []),
    (OBESE, "Not found any ischaemia on the stress images.", ["G601"]),
    # "we did not see any part ... that is short of blood during stress": the verb of finding reaches its object's
    # relative clause, and the plain-words "during stress" makes it a denial of ischemia only
    (SCAR, "We did not see any part of the heart muscle that is short of blood during stress.", []),
    (OBESE, "We did not see any part of the heart muscle that is short of blood during stress.", ["G601"]),
    # "pumping strength" is the LVEF's label
    (SCAR, "Pumping strength stays low at 30%.", []),
    (SCAR, "Pumping strength stays low at 45%.", ["G101"]),
    # a modified Bruce test: the Duke band of its Bruce-equivalent time is a reading, another band an error
    (DUKE, "Duke score in the low-risk range.", []),
    (DUKE, "Duke score in the high-risk range.", ["G801"]),
    # a denied kind before a denied defect is that defect's, not the kind of the one stated after the exception
    (LBBB, "No fixed or reversible defects, except a faint septal reduction from the LBBB.", []),
    (OBESE, "No reversible or fixed defect apart from a moderate fixed lateral defect.", ["G303"]),
    # a verdict that names perfusion says nothing of LV function; a verdict on the whole study does
    (LBBB, "Probably a normal perfusion scan; EF mildly reduced at 48%.", []),
    (LBBB, "Normal scan.", ["G602"]),
    # an artifact named as a difficulty of the acquisition is not one found in the images
    (OBESE, "Given the attenuation problems expected at this body size, CT-corrected images were read.", []),
    (OBESE, "Lateral attenuation artefact.", ["G406"]),
    # "and" before a grade opens a graded finding of its own: the denial before it does not reach it
    (TX, "No regional defect and normal LV function.", []),
    (TX, "No regional defect and moderately reduced LV function.", ["G602"]),
    # a flow-reserve grade after a comma still ends its item when a parenthesis follows it
    (TX, "Global flow reserve 1.6, normal (rest 1.25, stress 2.00).", ["G301"]),
    (TX, "Global flow reserve 1.6, reduced (rest 1.25, stress 2.00).", []),
    # "remaining territories" without an article, after a territory named a few sentences back
    (SCAR, "Fixed LAD scar. No ischemia. EF 30%. MFR in remaining territories is preserved.", []),
    (SCAR, "Fixed LAD scar. No ischemia. EF 30%. MFR in remaining territories is also reduced.", ["G301"]),
    # an LVEF in "percent" graded after a comma
    (SCAR, "EF 30 percent, mildly reduced.", ["G304"]),
    (SCAR, "EF 30 percent, moderately reduced.", []),
    # "It is <grade>" grades the one defect of the sentence before
    (DUKE, "Small reversible inferior defect. It is mild and small.", []),
    (DUKE, "Small reversible inferior defect. It is severe and large.", ["G301", "G302"]),
    # allograft vasculopathy is a globally reduced flow reserve; excluded, it is denied; "not excluded" is no denial
    (TX, "These results exclude allograft vasculopathy.", ["G601"]),
    (TX, "The results do not exclude transplant vasculopathy.", []),
    # a flow reduction confined by "only" after its territory
    (TX, "Flow reserve reduced (RCA territory only).", ["G201"]),
    (SCAR, "Flow reserve reduced (LAD territory only).", []),
    # the first day of a two-day protocol, where the study records it
    (OBESE, "Two-day protocol with the stress day first.", ["G604"]),
    (OBESE, "Two-day protocol, rest-first.", []),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test16_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def _codes(text: str, study: Study, severity: str, scope: str = "impression") -> list[str]:
    flags = verify(text, study, scope=scope)  # type: ignore[arg-type]
    return sorted(f.code.value for f in flags if f.severity.value == severity)


@pytest.mark.parametrize(
    ("stem", "text", "code", "expected"),
    [
        # the low band of the Bruce-equivalent Duke score: a reading, shown
        (DUKE, "Duke score in the low-risk range.", "G801", ["G801"]),
        # the Bruce-equivalent score itself (16 - 6 - 5 x 1 = +5) is a reading; the raw minutes' +11 is an error
        (DUKE, "Duke +5, low risk.", "G111", ["G111"]),
        # an angiogram set aside ("instead of") is not advised; urgent angiography at low risk is against the facts
        (DUKE, "Small mild reversible inferior defect, EF 62%. Low risk; continue medical treatment instead of an "
         "angiogram.", "G412", []),
        (DUKE, "Small mild reversible inferior defect, EF 62%. Low risk; I suggest urgent angiography.", "G412",
         ["G412"]),
        # the test's name ("MPI") is no statement of its perfusion
        (DUKE, "Treadmill MPI on a modified Bruce protocol, 16 minutes; EF 62%; low risk.", "G505", ["G505"]),
        (DUKE, "Treadmill MPI on a modified Bruce protocol, 16 minutes; small mild reversible inferior defect; EF 62%; "
         "low risk.", "G505", []),
    ],
)  # fmt: skip
def test_test16_warnings(
    study_of: Callable[[str], Study], stem: str, text: str, code: str, expected: list[str]
) -> None:
    assert [c for c in _codes(text, study_of(stem), "warning") if c == code] == expected


def test_test16_raw_minutes_duke_is_an_error(study_of: Callable[[str], Study]) -> None:
    """DUKE-1991 scored Bruce minutes: the modified Bruce's raw minutes (16 - 5 = +11) overstate the score."""
    assert errors("Duke +11, low risk.", study_of(DUKE), "impression") == ["G111"]


def test_test16_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: every correct impression free of error flags; the misses left are listed."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_test16")
    assert (clean, flagged) == (20, [])
    assert corrupted == 70
    # left: "septal ischemia, not LBBB artifact" on a score-1 septal region the study records no artifact for (a
    # reading, warned), and a TID of 1.30 called normal, between the published limits for a Tc-99m vasodilator SPECT
    # (a reading either way)
    assert sorted(missed) == sorted([f"{LBBB}/a:negation", f"{OBESE}/d:negation"])
