"""Physician-written impressions of the released blind set test11 (issue 15): each cause of a former false error or
miss, checked on sentences written here in other words, beside a wrong sentence the same mechanism must still flag.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); the omissions, which
are warnings in a physician's text, are checked by their warning codes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from flag_codes import errors

from guardrails import verify
from reporter.domain.study import Study
from reporter.domain.thresholds import DEFAULT_THRESHOLDS

# Rb-82 PET: new reversible inferior/inferoseptal RCA defect (SDS 12), RCA MFR 1.25; prior SPECT of 2023 normal
PET = "test11_pet_rb82_adenosine_new_rca_ischemia_low_regional_mfr_prior_normal_spect"
# dobutamine-atropine SPECT on bisoprolol, 81% MPHR (submaximal): fixed anteroapical LAD scar (SSS 12 = SRS 12),
# LVEF 41%; prior report of 2024-06-12: fixed severe medium LAD (anterior, apex) defect, LVEF 44%
DOBUTAMINE = "test11_spect_dobutamine_atropine_bisoprolol_submax_fixed_lad_scar_ef41_prior_report"
# dual-isotope exercise SPECT, 89% MPHR: reversible lateral LCx defect (SDS 11), TID 1.24 (limit 1.22), stunning
DUAL = "test11_spect_dual_isotope_exercise_lcx_ischemia_tid_stunning_duke_neg12"
# exercise SPECT on metoprolol, 78% MPHR (submaximal): inferior scar with peri-infarct ischaemia (SDS 5, 7%); prior
# measurements of 2024-05-20: fixed inferior defect, SSS 6 = SRS 6, LVEF 53%
INFERIOR = "test11_spect_exercise_metoprolol_submax_inferior_scar_new_periinfarct_ischemia_prior_meas_duke_neg2"
# regadenoson SPECT with LBBB: normal perfusion, LVEF 55%; Agatston 380 (LAD 250, LCx 40, RCA 90), visual grade
# moderate, on the attenuation-correction CT; prior measurements of 2022-09-14: SSS 0, LVEF 57%
LBBB = "test11_spect_lbbb_regadenoson_normal_ac_ct_cac380_stable_prior_meas"

CASES = [
    # a parenthesised aside on the prior says what the prior showed: the comparison's subject is named outside it
    (INFERIOR, "Worse than 05/2024 (then a fixed defect, SSS 6).", []),
    (INFERIOR, "Deterioration vs 05/2024 (fixed, SSS 6, no isch).", []),
    (INFERIOR, "Unchanged vs 05/2024 (fixed, SSS 6).", ["G702"]),
    (LBBB, "Worse vs 09/2022 (normal, EF 57%).", ["G702"]),
    # ... while the one score an aside quotes names what changed
    (INFERIOR, "Peri-infarct ischaemia, SDS 5, increased from 2024 (SDS 0).", []),
    (INFERIOR, "Inferior scar, SRS 6, unchanged from 2024 (SRS 6).", []),
    (INFERIOR, "Inferior scar, SRS 6, worse than 2024 (SRS 6).", ["G702"]),
    # a comparison whose subject is the findings as a whole (and the prior's modality named in it)
    (PET, "Relative to the normal 2023 SPECT, these findings are new.", []),
    (PET, "LVEF 58% at rest; against the 2023 SPECT the abnormality is new.", []),
    (LBBB, "EF 55%; compared with 2022 the findings are new.", ["G702"]),
    # "no new defect" denies a defect where the prior had none, not the growth of a known one
    (DOBUTAMINE, "No new perfusion defect since June 2024.", []),
    (DOBUTAMINE, "The known LAD infarct is seen again; no new defect compared with the prior.", []),
    (DOBUTAMINE, "No worsening of the defect compared with June 2024.", ["G702"]),
    (DOBUTAMINE, "Defect not worse than in June 2024.", ["G702"]),
    (PET, "No new defect compared with 2023.", ["G702"]),
    # an aside after a change noun and a date is the prior's ("no change from 2022 (SSS 0, EF 57%)")
    (LBBB, "No change from 2022 (SSS 0, LVEF 57%).", []),
    (LBBB, "No interval change since 09/2022 (LVEF 57%, TID 1.00).", []),
    (INFERIOR, "Progression since May 2024 (SSS 6, LVEF 53%).", []),
    (INFERIOR, "Progression since May 2024 (SSS 8, LVEF 53%).", ["G104"]),
    (LBBB, "No change from 2022 (EF now 57%).", ["G101"]),
    # the study's visual calcium grade beside its Agatston score (SCCT-STR-2016) is a grade the text may use
    (LBBB, "Moderate coronary calcification (Agatston 380).", []),
    (LBBB, "Severe coronary calcification, Agatston 380.", []),
    (LBBB, "Mild coronary calcium on the CT.", ["G301"]),
    (LBBB, "Minimal coronary artery calcification.", ["G301"]),
    # a TID ratio above the exercise limit: the vasodilator limit (1.36) is no limit of an exercise study
    (DUAL, "TID 1.24, within normal limits.", ["G602"]),
    (DUAL, "Normal TID ratio of 1.24.", ["G602"]),
    (DUAL, "TID ratio normal (1.24).", ["G602"]),
    # ... and a reference range after the ratio is no grade of it
    (DUAL, "TID ratio 1.24 (normal < 1.22).", []),
    (DUAL, "TID 1.24 (normal limit 1.22).", []),
    (DUAL, "TID 1.24, normal LVEF at rest (56%).", []),
    (DUAL, "No transient ischaemic dilation.", ["G602"]),
    (DUAL, "Transient ischaemic dilation (ratio 1.24).", []),
    # a list whose items each carry their own negation: an item without one is stated
    (LBBB, "No perfusion defect, reversible ischaemia, no scar.", ["G402"]),
    (LBBB, "No defect, no ischaemia, no scar.", []),
    (LBBB, "No defect, ischaemia or scar.", []),
    (PET, "No angina, inferior ischaemia, no ST changes.", []),
    (PET, "No angina, no ischaemia, no ST changes.", ["G601"]),
    # the vessel with the most calcium named right after the distribution word
    (LBBB, "CAC 380, predominantly LAD.", []),
    (LBBB, "CAC 380, mostly RCA.", ["G107"]),
    (LBBB, "Calcium score 380, mainly the LCx.", ["G107"]),
    # the plural of the calcification noun
    (LBBB, "No coronary calcifications.", ["G601"]),
    (LBBB, "Coronary artery calcifications (Agatston 380).", []),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test11_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def _warnings(text: str, study: Study) -> list[str]:
    return sorted(f.code.value for f in verify(text, study, scope="impression") if f.severity.value == "warning")


@pytest.mark.parametrize(
    ("stem", "text", "expected"),
    [
        # a submaximal heart rate is owed where the ischemia read may be too little: none seen beside a scar...
        (DOBUTAMINE, "Fixed anterior and apical LAD scar without ischaemia. LVEF 41%. Intermediate risk.", ["G509"]),
        (
            DOBUTAMINE,
            "Fixed anterior and apical LAD scar without ischaemia, at a heart rate of only 81% of predicted. LVEF 41%.",
            [],
        ),
        # ... or ischemia below the high-risk burden
        (INFERIOR, "Inferior scar with mild peri-infarct ischaemia (SDS 5). LVEF 51%. Intermediate risk.", ["G509"]),
        (INFERIOR, "Inferior scar with mild peri-infarct ischaemia (SDS 5); submaximal on metoprolol. LVEF 51%.", []),
        # a maximal test owes none
        (DUAL, "Lateral ischaemia (SDS 11), TID 1.24, post-stress LVEF 49% from 56%. High risk.", []),
    ],
)
def test_test11_submaximal_caveat(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert [c for c in _warnings(text, study_of(stem)) if c == "G509"] == expected


@pytest.mark.parametrize(
    ("stress", "span"), [("exercise", (1.22, 1.22)), ("pharmacologic", (1.22, 1.36)), (None, (1.22, 1.36))]
)
def test_tid_limits_published_for_the_stress(stress: str | None, span: tuple[float, float]) -> None:
    assert DEFAULT_THRESHOLDS.tid_limit_span("SPECT", "Tc-99m", "dual-isotope", stress) == span


SET = Path(__file__).parents[2] / "bench" / "data" / "physician_impressions_test11"
# corruption types whose codes are warnings in a physician's text (bench/guardrail_corruptions.py WARNING_COUNTS)
_WARNING_COUNTS = frozenset({"omission", "unsupported_advice"})


def _codes(text: str, study: Study, severities: tuple[str, ...]) -> Counter[str]:
    return Counter(f.code.value for f in verify(text, study, scope="impression") if f.severity.value in severities)


def test_the_test11_set_scores_every_impression_clean_and_every_corruption_detected(
    study_of: Callable[[str], Study],
) -> None:
    clean, detected, corruptions, impressions = 0, 0, 0, 0
    for path in sorted(SET.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        study = study_of(Path(data["study"]).stem)
        texts = {item["id"]: item["text"] for item in data["impressions"]}
        for text in texts.values():
            impressions += 1
            clean += not _codes(text, study, ("error",))
        for c in data["corruptions"]:
            corruptions += 1
            severities = ("error", "warning") if c["type"] in _WARNING_COUNTS else ("error",)
            text = texts[c["of"]]
            bad = text.replace(c["find"], c["replace"])
            detected += bool(_codes(bad, study, severities) - _codes(text, study, severities))
    assert (clean, impressions, detected, corruptions) == (21, 21, 69, 69)
