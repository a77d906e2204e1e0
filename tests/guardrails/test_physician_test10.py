"""Physician-written impressions of the released sealed set test10 (issue 15): each cause of a former false error or
miss, checked on sentences written here in other words, beside a wrong sentence the same mechanism must still flag;
and the set itself, scored as ``bench/guardrail_corruptions.py`` scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag).
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

# N-13 ammonia PET, adenosine: reversible mid/distal LAD defect (SDS 11, 16.2%); MFR LAD 1.40 (stress 1.12, rest
# 0.80), LCx 2.62 (stress 2.20), RCA 2.59, global 2.10; CAC 386
PET = "test10_pet_n13_adenosine_mid_distal_lad_ischemia_low_regional_mfr_cac386"
# regadenoson SPECT: large severe fixed LAD infarct, LVEF 31% post-stress / 32% rest, EDV 205 mL; prior report of
# 12 March 2024: the same defect, LVEF 38% (perfusion unchanged, LVEF decreased)
SCAR = "test10_spect_regadenoson_large_fixed_lad_scar_ef31_worse_vs_prior_report"
# dobutamine-atropine SPECT on metoprolol: new reversible lateral LCx defect (SDS 12), TID 1.24, LVEF 56% -> 49%;
# prior SPECT of 10 May 2022 normal, LVEF 58%
DOBU = "test10_spect_dobutamine_atropine_bb_submax_lcx_ischemia_tid_new_vs_normal_prior"
# exercise SPECT: small reversible inferior RCA defect (SDS 4), non-limiting chest tightness, Duke -5.5
EXER = "test10_spect_exercise_small_inferior_rca_ischemia_duke_neg5p5"
# two-day dipyridamole SPECT: probably normal (mild fixed anterior breast attenuation), no ischemia, SDS 0
OBESE = "test10_spect_dipyridamole_two_day_probably_normal_breast_atten_obese"
# dobutamine-atropine SPECT of test9 with an LVEF of 40% (moderately reduced by every definition)
EF40 = "test9_spect_dobutamine_atropine_copd_inferior_scar_lcx_ischemia_ef40"

CASES = [
    # a value called regional in a sentence that names no place is of the place the sentence before names
    (PET, "Hyperaemic flow in the LAD territory is reduced (1.12 mL/min/g). The regional flow reserve is 1.40.", []),
    (
        PET,
        "Hyperaemic flow in the LAD territory is reduced (1.12 mL/min/g). The regional flow reserve is 2.10.",
        ["G106"],
    ),
    (PET, "Circumflex stress flow is normal at 2.20 mL/min/g. Regional MFR 2.62.", []),
    (PET, "Circumflex stress flow is normal at 2.20 mL/min/g. Regional MFR 1.40.", ["G106"]),
    (PET, "Global MFR is 2.10.", []),
    # a number's own time word decides whose it is ("38% then", "31% now"), whatever prior word stands before it
    (SCAR, "The LVEF has declined, 38% then and 31% now.", []),
    (SCAR, "EF, however, seems to have dropped from 38% previously to 31% at present.", []),
    (SCAR, "The LVEF has declined, 45% then and 31% now.", ["G101"]),
    (SCAR, "The LVEF has declined (38% then, 31% now).", []),
    (SCAR, "The LVEF has declined from 38% then to 36% now.", ["G101"]),
    # ... a word of this study between a prior cue and the number, or a change running on from "then", is this study's
    (SCAR, "The LVEF of 38% previously is now 31%.", []),
    (SCAR, "LVEF was 32% at rest then fell to 31% after stress.", []),
    (SCAR, "The LVEF of 45% previously is now 31%.", ["G101"]),
    (SCAR, "LVEF was 32% then fell to 25% after stress.", ["G101"]),
    # ... but a "now" that heads the next value is not the first value's
    (DOBU, "TID then 1.00, now 1.24.", []),
    (DOBU, "TID then 1.10, now 1.24.", ["G103"]),
    # a connective between a label and its value keeps the value the label's
    (SCAR, "The ejection fraction, however, is 31%.", []),
    (SCAR, "The ejection fraction, though, is 41%.", ["G101"]),
    # a negation with a degree adverb, or raised to a verb of opinion, denies the change, not the finding
    (SCAR, "Compared with March 2024, I do not believe the defect has significantly changed.", []),
    (SCAR, "Compared with March 2024, I do not think the infarct has changed.", []),
    (SCAR, "Compared with the 2024 study the scar hasn't materially changed.", []),
    (SCAR, "Compared with the 2024 report I don't think the infarct is any larger.", []),
    (SCAR, "Compared with the 2024 study the scar has materially changed.", ["G702"]),
    (SCAR, "Compared with the 2024 report I think the infarct is larger.", ["G702"]),
    # a change said with a verb of size ("has extended", "has grown") is a change
    (SCAR, "Compared with the prior, the infarct has clearly enlarged.", ["G702"]),
    (SCAR, "Compared with the prior study, the infarct has grown.", ["G702"]),
    # LV function named in words is the LVEF whose direction the rules compare
    (SCAR, "Since March 2024 systolic function has worsened.", []),
    (SCAR, "Left ventricular function is worse than in 2024.", []),
    (SCAR, "Since March 2024 systolic function has improved.", ["G702"]),
    (SCAR, "Left ventricular function is better than in 2024.", ["G702"]),
    # a prior study named by its day, month and year is the prior
    (DOBU, "The 10 May 2022 scan was normal.", []),
    (DOBU, "His May 2022 study showed normal perfusion.", []),
    (DOBU, "Unlike the May 2022 study, which showed normal perfusion, there is lateral ischaemia now.", []),
    (DOBU, "The May 2022 study showed a lateral defect.", ["G702"]),
    (DOBU, "The May 2022 study was abnormal.", ["G702"]),
    # a heading of the prior with its study word and date before a colon: what follows is the prior's
    (DOBU, "Prior scan 10 May 2022: normal perfusion, EF 58%.", []),
    (DOBU, "Previous MPI (10/05/2022): normal, EF 58%.", []),
    (SCAR, "Prior SPECT March 12, 2024: large fixed LAD defect, LVEF 38%.", []),
    (DOBU, "Prior scan 10 May 2022: reversible lateral ischaemia, EF 58%.", ["G702"]),
    (SCAR, "Prior SPECT March 12, 2024: large fixed LAD defect, LVEF 45%.", ["G101"]),
    (SCAR, "Prior SPECT March 12, 2024: large fixed RCA defect, LVEF 38%.", ["G702"]),
    # a sentence whose pronoun points back at the defect and names a territory places that defect
    (DOBU, "Reversible lateral defect. This lies in the circumflex territory.", []),
    (
        DOBU,
        "There is reversible lateral ischaemia, moderate to severe. These findings correspond to the circumflex "
        "territory.",
        [],
    ),
    (EXER, "Small reversible inferior defect. About 6% of the myocardium is ischemic. It maps to the RCA.", []),
    (DOBU, "Reversible lateral defect. It is a normal LAD territory otherwise.", []),
    (DOBU, "Reversible lateral defect. It lies in the LAD distribution.", ["G201"]),
    (
        DOBU,
        "There is reversible lateral ischaemia, moderate to severe. These findings correspond to the RCA territory.",
        ["G201"],
    ),
    (EXER, "Small reversible inferior defect. This is in the circumflex distribution.", ["G201"]),
    # "anti-anginal" names a drug class, not a symptom: the denial of symptoms beside it is read
    (EXER, "Non-limiting chest tightness at peak exercise; anti-anginal therapy should be intensified.", []),
    (EXER, "No chest symptoms during exercise; anti-anginal therapy should be intensified.", ["G601"]),
    (EXER, "The patient was asymptomatic on the treadmill; anti-anginal medication continues.", ["G601"]),
    (
        EXER,
        "Exercise was notable for mild chest tightness and 1.5 mm ST depression, so anti-anginal therapy is advised.",
        [],
    ),
    (
        EXER,
        "Exercise was notable for no chest symptoms and 1.5 mm ST depression, so anti-anginal therapy is advised.",
        ["G601"],
    ),
    (
        EXER,
        "Treadmill test without symptoms, with inferior ischemia for which anti-anginal medication is reasonable.",
        ["G601"],
    ),
    # an artifact named as the reading not chosen is not stated
    (EXER, "Small reversible inferior defect, which I favour as ischaemia over diaphragmatic attenuation.", []),
    (EXER, "More likely true ischaemia than attenuation in the inferior wall.", []),
    (EXER, "Inferior ischaemia rather than attenuation artefact.", []),
    (EXER, "Small reversible inferior defect due to diaphragmatic attenuation.", ["G406"]),
    # "can't" denies as "cannot" does
    (OBESE, "I can't see any ischaemia.", []),
    (OBESE, "I can\u2019t demonstrate reversible ischemia.", []),
    (OBESE, "The patient can't exercise, so dipyridamole was given.", []),
    (DOBU, "I can't see any ischaemia.", ["G601"]),
    # "severely reduced" below 35% is ACC/AHA's severe LV dysfunction (a warning, see below); above it, an error
    (SCAR, "Severely impaired LV systolic function, EF 31%.", []),
    (SCAR, "Severely reduced LV function.", []),
    (SCAR, "Mildly reduced LV function.", ["G304"]),
    (EF40, "Severely reduced LV function.", ["G304"]),
    (EF40, "Moderately reduced LV function.", []),
]


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_test10_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem)) == expected


def test_severe_below_acc_aha_limit_is_a_warning(study_of: Callable[[str], Study]) -> None:
    flags = verify("Severely reduced LV function.", study_of(SCAR), scope="full")
    assert [(f.code.value, f.severity.value) for f in flags] == [("G304", "warning")]


SET = Path(__file__).resolve().parents[2] / "bench" / "data" / "physician_impressions_test10"


def _codes(text: str, study: Study, severities: tuple[str, ...]) -> Counter[str]:
    flags = verify(text, study, scope="impression")
    return Counter(f.code.value for f in flags if f.severity.value in severities)


def test_set_scores_clean_and_full_recall(study_of: Callable[[str], Study]) -> None:
    """Every correct impression of the set free of error flags, every corruption raising a code its correct text
    does not (a warning counts for an omission or added advice), as bench/guardrail_corruptions.py counts."""
    flagged, missed, total = [], [], 0
    for path in sorted(SET.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        study = study_of(Path(data["study"]).stem)
        texts = {item["id"]: item["text"] for item in data["impressions"]}
        flagged += [f"{path.stem}/{i}" for i, text in texts.items() if _codes(text, study, ("error",))]
        for c in data["corruptions"]:
            total += 1
            severities = ("error", "warning") if c["type"] in ("omission", "unsupported_advice") else ("error",)
            text = texts[c["of"]]
            new = _codes(text.replace(c["find"], c["replace"]), study, severities) - _codes(text, study, severities)
            if not new:
                missed.append(f"{path.stem}/{c['of']}: {c['find']!r}")
    assert (flagged, missed, total) == ([], [], 67)
