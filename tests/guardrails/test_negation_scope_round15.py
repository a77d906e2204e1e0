"""Issue 15, round 15: one denial mechanism for every topic the guardrails read with their own patterns.

The denial cues live in ``guardrails/resources/denial.json`` (one vocabulary, a reach per topic); a denial denied
affirms ("not free of"); a denied arrhythmia is checked against the stress data as a stated one is; transient
dilation said with a verb ("the cavity dilates after stress") or graded beside its ratio ("TID 1.04, not dilated")
has its polarity; the ECG's verb of showing carries the ECG's polarity, not the perfusion's.

Wordings written for these tests, on the released physician studies; literal flag codes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flag_codes import errors

from guardrails import denial, verify
from reporter.domain.study import Study

# adenosine stopped early for transient Mobitz I block; small RCA ischaemia; no angina; non-ischaemic ECG
AV_BLOCK = "test18_spect_adenosine_stopped_av_block_small_rca_ischemia_ef60"
# dobutamine stopped for an 8-beat run of NSVT, frequent PVCs; moderate lateral ischaemia; TID 1.04
NSVT = "test17_spect_dobutamine_atropine_nsvt_stopped_moderate_lateral_ischemia"
# Bruce exercise, normal perfusion, frequent unifocal PVCs in recovery, no VT
PVCS = "dev18_spect_exercise_tetrofosmin_bruce_normal_hypertensive_response_pvcs_duke6"
# regadenoson, severe RCA ischaemia, chest pressure during the infusion, 1 mm ischaemic ST depression
RCA_ANGINA = "dev18_spect_twoday_stress_first_severe_rca_ischemia_tid125_ef_drop_prior_lad_pci"
# Bruce exercise, normal perfusion, no arrhythmia
NORMAL = "test18_spect_exercise_mibi_young_woman_normal_duke11_recovery_std"


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        # a contraction denies as "not" does
        (AV_BLOCK, "She didn't experience any chest pain with the adenosine.", []),
        (RCA_ANGINA, "He didn't experience any chest pain with the regadenoson.", ["G601"]),
        # a denial denied affirms
        (RCA_ANGINA, "He was not free of chest pressure during the regadenoson infusion.", []),
        (AV_BLOCK, "She was not free of chest pain during the adenosine infusion.", ["G410"]),
        (AV_BLOCK, "She was free of chest pain during the adenosine infusion.", []),
    ],
)
def test_a_stress_symptom_denied_or_affirmed(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        (NSVT, "There was no ventricular tachycardia during dobutamine.", ["G409"]),
        (NSVT, "No PVCs during the dobutamine infusion.", ["G409"]),
        (PVCS, "Ventricular ectopy was not seen.", ["G409"]),
        # the kind denied is not the kind recorded; a history is no denial of this test
        (NSVT, "No sustained VT; an 8-beat run of NSVT ended the test.", []),
        (NSVT, "No history of VT.", []),
        (PVCS, "No ventricular tachycardia during exercise.", []),
        (PVCS, "Frequent PVCs in recovery, without ventricular tachycardia.", []),
        (NORMAL, "There were no PVCs and no VT on the treadmill.", []),
        # a frequency denied is not the ectopics denied
        (NSVT, "No sustained VT, and no rare or occasional PVCs either.", []),
    ],
)
def test_an_arrhythmia_denied_is_checked_against_the_stress_data(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("The LV cavity dilates after stress.", ["G404"]),
        ("The LV cavity does not dilate after stress.", []),
        ("TID 1.04, not dilated.", []),
        ("TID 1.04, dilated.", ["G404"]),
    ],
)
def test_transient_dilation_in_a_verb_or_beside_its_ratio(
    text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(NSVT)) == codes


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        (AV_BLOCK, "The stress ECG did not show ischaemia.", []),
        (AV_BLOCK, "The stress ECG showed ischaemia.", ["G607"]),
        (RCA_ANGINA, "The ECG did not show any ischemia.", ["G607"]),
        (RCA_ANGINA, "The ECG showed ischemia in the inferior leads.", []),
    ],
)
def test_the_ecgs_verb_of_showing_carries_the_ecgs_polarity(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("topic", "before", "denied"),
    [
        ("arrhythmia", "there were no ", True),
        ("arrhythmia", "she didn't have any ", True),
        ("arrhythmia", "he was never without ", False),
        ("stress_symptom", "was not free of ", False),
        ("stress_symptom", "was free of ", True),
        ("calcium", "zero ", True),
        ("advice", "she cannot ", True),
        ("device", "we advise against an ", True),
    ],
)
def test_one_vocabulary_of_denial_cues_for_every_topic(topic: denial.Topic, before: str, denied: bool) -> None:
    assert bool(denial.before(topic).search(before)) is denied


def test_every_topic_of_the_denial_file_compiles() -> None:
    assert denial.topics() == (
        "arrhythmia", "stress_symptom", "new_defect", "feature_in_words", "calcium", "obstructive_disease", "device",
        "advice", "territory", "ecg_leads", "normal_feature",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # a run-on: the denial of the symptom before the ECG does not reach the ECG's own predicate
        ("no angina with adenosine the ECG showed ischaemic changes", ["G607"]),
        ("no angina with adenosine the ECG showed no ischaemic changes", []),
    ],
)
def test_a_denial_before_the_ecg_as_subject_does_not_reach_its_predicate(
    text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(AV_BLOCK)) == codes


@pytest.mark.parametrize(
    ("stem", "text", "codes"),
    [
        (NSVT, "The ejection fraction does not fall after stress.", []),
        (NSVT, "The ejection fraction falls after stress.", ["G409"]),
        (RCA_ANGINA, "The ejection fraction does not fall after stress.", ["G601"]),
    ],
)
def test_a_feature_whose_verb_is_denied_inside_its_phrase(
    stem: str, text: str, codes: list[str], study_of: Callable[[str], Study]
) -> None:
    assert errors(text, study_of(stem)) == codes


@pytest.mark.parametrize(
    ("stem", "text", "warnings"),
    [
        # an invasive test denied after it is standing down: against the rules' high risk
        (RCA_ANGINA, "High-risk study; catheterization not recommended.", ["G412"]),
        (RCA_ANGINA, "High-risk study; catheterization recommended.", []),
    ],
)
def test_an_invasive_test_denied_after_it_stands_down(
    stem: str, text: str, warnings: list[str], study_of: Callable[[str], Study]
) -> None:
    flags = verify(text, study_of(stem), scope="full")
    assert sorted(f.code.value for f in flags if f.severity.value == "warning") == warnings
