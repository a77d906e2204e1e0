"""Recall on physician text (issue 15, helper recall56): a Duke treadmill score spelt out in words after its name;
a rest course said of "the defect" in a clause with no place of its own, bound to the defect stated just before it;
restenosis of a stent stated where the study shows no ischemia in its territory.

Each wrong sentence beside its correct twin, which stays clean. The expected value is the sorted list of error codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails.claims import read_claims
from reporter.domain.study import Study

# treadmill test, 13 minutes, no angina, no ST change: Duke +13; normal perfusion
ATHLETE = "test19_spect_exercise_athlete_bradycardia_15mets_normal_duke13_mild_lv_dilation"
# Rb-82 PET: severe reversible LAD and RCA defects; LCx stented, its perfusion and flow reserve (2.30) normal
STENT = "dev19_pet_rb82_regadenoson_lad_rca_ischemia_tid122_cac1420_lcx_stent_worse_vs_2023"
# dobutamine-atropine SPECT: mild small reversible inferior (RCA) defect, SDS 4
RCA = "test15_spect_dobutamine_atropine_copd_mild_rca_ischemia_rv_uptake"

_NORMAL = "Perfusion normal, LVEF 63%. "
_RCA = "Small mild inferior perfusion defect in the RCA territory, SDS 4"

CASES = [
    # a Duke score in words after its name, its sign in words before it
    (ATHLETE, _NORMAL + "His treadmill result corresponds to a Duke score of positive thirteen. Low risk.", []),
    (ATHLETE, _NORMAL + "His treadmill result corresponds to a Duke score of negative thirteen. Low risk.", []),
    (ATHLETE, _NORMAL + "The Duke treadmill score was minus thirteen, a low-risk study.", ["G109"]),
    (ATHLETE, _NORMAL + "The Duke treadmill score was thirteen, a low-risk study.", []),
    (ATHLETE, _NORMAL + "DTS of nine; low risk overall.", ["G109"]),
    # "the defect" of a later clause, its course said right after it: the defect stated before it
    (RCA, _RCA + "; attenuation is unlikely as the defect fills in on rest imaging. EF 62%.", []),
    (RCA, _RCA + "; attenuation is unlikely as the defect is fixed on rest imaging. EF 62%.", ["G303"]),
    (RCA, _RCA + ". The defect is fixed on rest imaging. EF 62%.", ["G303"]),
    (RCA, _RCA + ". The defect is reversible on rest imaging. EF 62%.", []),
    # restenosis of a stent: stated where its territory shows no ischemia; denied; stated where the ischemia is
    (STENT, "Severe reversible LAD and RCA ischaemia. High risk. The circumflex stent territory is normal, MFR 2.3, "
     "without restenosis.", []),
    (STENT, "Severe reversible LAD and RCA ischaemia. High risk. The circumflex stent territory is normal, MFR 2.3, "
     "in keeping with restenosis.", ["G402"]),
    (STENT, "Severe reversible LAD and RCA ischaemia. High risk. In-stent restenosis of the RCA is likely.", []),
    (STENT, "Severe reversible LAD and RCA ischaemia. High risk. Restenosis cannot be excluded in the LCx.", []),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_recall56_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def test_duke_score_in_words_is_read_with_its_sign() -> None:
    claims = read_claims("Exercise was stopped for fatigue, with a Duke score of minus four point five.")
    assert [(n.quantity, n.value) for n in claims.numbers if n.quantity == "duke"] == [("duke", -4.5)]
    claims = read_claims("Duke score plus eleven.")
    assert [(n.quantity, n.value) for n in claims.numbers if n.quantity == "duke"] == [("duke", 11.0)]


def test_anaphoric_defect_takes_the_place_of_the_one_before_and_not_of_two() -> None:
    one = read_claims("Mild anterior defect; the defect persists at rest.")
    assert [(d.walls, d.reversibility[0] if d.reversibility else None) for d in one.defects] == [
        (("anterior",), None),
        (("anterior",), "fixed"),
    ]
    # two defects before it: "the defect" is ambiguous, left unbound
    two = read_claims("Mild anterior defect and a small inferior defect. The defect persists at rest.")
    assert all(d.reversibility is None for d in two.defects)
