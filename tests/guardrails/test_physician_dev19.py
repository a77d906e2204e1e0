"""Physician-written impressions of the blind set dev19 (round 15's development set): each cause of a former false
error or miss, checked on sentences written here in other words, beside a wrong sentence the same mechanism must
still flag; and the set itself scored as the bench scores it.

The expected value is the sorted list of error-severity codes (an empty list: no error flag); advice is checked by
its warning code.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors, score_physician_set

from guardrails import verify
from reporter.domain.study import Study

# treadmill, 11.2 METs, peak HR 152; rate-related LBBB from HR 138 to peak (resolved in recovery at 112); normal
LBBB = "dev19_spect_exercise_tetrofosmin_rate_related_lbbb_normal_duke10"
# regadenoson with low-level walking, 2.3 METs; mild fixed inferior reduction on supine images that prone resolves
PRONE = "dev19_spect_regadenoson_lowlevel_exercise_obese_prone_inferior_attenuation_normal"
# Tl-201: large, severe, reversible LAD ischaemia, lung/heart ratio 0.58 (increased); no prior study
THALLIUM = "dev19_spect_tl201_exercise_redistribution_anterior_ischemia_lhr058_duke_neg11_5"
# HCM, no ischaemia, a mild fixed apical reduction read as thinning; low risk
HCM = "dev19_spect_adenosine_hcm_asymmetric_septal_hypertrophy_no_ischemia_mild_fixed_apical_ef79"

CASES = [
    # a heart rate said of the ECG event the stress data record at that rate is the event's, not the peak's ...
    (LBBB, "Normal perfusion. A left bundle branch block came on at a heart rate of 138 and cleared in recovery.", []),
    (LBBB, "Normal perfusion. Conduction block from 138 bpm onwards; ST segments uninterpretable after that.", []),
    # ... but a rate given to the test's own phase, or one the record does not hold, is still checked
    (LBBB, "Normal perfusion. LBBB developed late in exercise; peak heart rate 138.", ["G108"]),
    (LBBB, "Normal perfusion. A left bundle branch block came on at a heart rate of 128.", ["G108"]),
    # the side of a conduction block against the one the stress data record
    (LBBB, "Normal perfusion; a right bundle branch block appeared near peak exercise.", ["G409"]),
    (LBBB, "Normal perfusion; no right bundle branch block, but a left one near peak exercise.", []),
    # the course of a recorded ECG event: it resolved in recovery
    (LBBB, "Normal perfusion; the LBBB seen at peak never resolved during recovery.", ["G601"]),
    (LBBB, "Normal perfusion; the LBBB seen at peak persisted into recovery.", ["G601"]),
    (LBBB, "Normal perfusion; the LBBB seen at peak had cleared by early recovery.", []),
    # a denied finding that would be the sign of an artifact denies the artifact too
    (LBBB, "Normal perfusion, with no septal reduction to indicate a conduction artefact.", []),
    (LBBB, "Normal perfusion apart from a septal LBBB artefact.", ["G406"]),
    # an ST verdict limited to the time before the recorded event that made the tracing unreadable
    (LBBB, "Normal perfusion. The ST segments were normal until the LBBB appeared.", []),
    # a count reduction the sentence reads as resolved on another view, or as overlying tissue, is no defect ...
    (PRONE, "Mild inferior count loss on supine views, gone on the prone acquisition. Perfusion normal.", []),
    (PRONE, "The early images hinted at a weak lower wall, which turned out to be due to overlying tissue.", []),
    # ... unless it is called real, not resolved, or graded against the artifact's note
    (PRONE, "Mild inferior count loss that resolves prone, but I think this is a true defect.", ["G401"]),
    (PRONE, "Mild inferior count loss on supine views, which fails to resolve on prone imaging.", ["G401"]),
    (PRONE, "Mild inferior count loss on supine views that only partly resolves on the prone acquisition.", ["G401"]),
    (PRONE, "Severe inferior count loss on supine views, gone on the prone acquisition.", ["G301"]),
    # a lung uptake graded with its phase, and denied
    (THALLIUM, "Large severe reversible LAD ischaemia; no abnormal post-exercise lung uptake.", ["G601"]),
    (THALLIUM, "Large severe reversible LAD ischaemia; abnormal post-exercise lung uptake.", []),
    # a prior stress test named where there is none
    (THALLIUM, "Large severe reversible LAD ischaemia, as on his previous stress test.", ["G701"]),
    # an exercise capacity graded against the METs reached (ACC-AHA-EXERCISE-2002)
    (LBBB, "Normal perfusion; poor exercise tolerance.", ["G109"]),
    (LBBB, "Normal perfusion; very good functional capacity.", []),
    (PRONE, "Normal perfusion; excellent exercise capacity.", ["G109"]),
    (PRONE, "Normal perfusion; limited exercise capacity.", []),
]  # fmt: skip


@pytest.mark.parametrize(("stem", "text", "expected"), CASES)
def test_dev19_mechanisms(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert errors(text, study_of(stem), "impression") == expected


def _advice_warnings(text: str, study: Study) -> list[str]:
    return [f.code.value for f in verify(text, study, scope="impression") if f.code.value == "G412"]


@pytest.mark.parametrize(
    ("stem", "text", "expected"),
    [
        # an invasive test set aside ("rather than proceed to ...") is not advised
        (HCM, "No ischaemia; I would keep her under cardiomyopathy review rather than proceed to catheterisation.",
         []),
        (HCM, "No ischaemia; I would proceed to catheterisation.", ["G412"]),
        # advice in telegraphic form ("X advised") is advice
        (PRONE, "Normal perfusion, low risk. Invasive angiography recommended.", ["G412"]),
    ],
)  # fmt: skip
def test_dev19_advice(study_of: Callable[[str], Study], stem: str, text: str, expected: list[str]) -> None:
    assert _advice_warnings(text, study_of(stem)) == expected


def test_dev19_set_scores_what_was_reached() -> None:
    """The set as the bench scores it: every correct impression free of error flags."""
    clean, flagged, corrupted, missed = score_physician_set("physician_impressions_dev19")
    assert (clean, flagged) == (21, [])
    assert corrupted == 69
    # left: an artifact's wall, two omitted explanations and a registry line's grade (a normal variant's grade:
    # sev46); a territory called normal where it holds a defect is read since recall55, a restenosis stated in a
    # normal territory since recall56
    assert len(missed) == 4
