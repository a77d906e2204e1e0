"""Issue 16, seventh round (struct_dev6, reports g01, g02, g06 and g08): one test per general mechanism.

Each report below is a paraphrase written for the test, not the wording of the blind report; the test names
the mechanism it checks. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import span_at, value_at

from extraction.lexicon import NUMBER_RE
from extraction.values import find_bp, find_number, words_to_number

# --- dictated numbers: spoken hundreds, "oh" for zero, "and" only between number words -------------------


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("one twenty-six", 126),
        ("one sixty four", 164),
        ("one fifteen", 115),
        ("one oh five", 105),
        ("one hundred forty eight", 148),
        ("seventy one", 71),
        ("one point oh two", 1.02),
        ("zero point oh five", 0.05),
        ("nine and a half", 9.5),
    ],
)
def test_dictated_number_words(words: str, value: float) -> None:
    """A digit word before a tens or teens word is that many hundreds, as pressures and rates are dictated;
    'oh' is a zero inside a number (extraction.lexicon._whole_words)."""
    assert words_to_number(words) == value


def test_oh_alone_or_last_is_no_number() -> None:
    assert words_to_number("oh") is None
    assert words_to_number("one oh") is None


def test_a_number_in_words_does_not_end_with_and() -> None:
    """'seventy one and the peak ...': the number stops before 'and' (extraction.lexicon.WORD_NUMBER)."""
    m = NUMBER_RE.search("rate was seventy one and the peak rate was higher")
    assert m is not None and m.group(0) == "seventy one"
    m = NUMBER_RE.search("for nine and a half minutes")
    assert m is not None and m.group(0) == "nine and a half"


@pytest.mark.parametrize(
    ("text", "value", "quote"),
    [
        ("pressure one twenty-six over seventy-eight at rest", "126/78", "one twenty-six over seventy-eight"),
        ("BP 126 over 78 mmHg seated", "126/78", "126 over 78 mmHg"),
        ("pressure one forty slash ninety", "140/90", "one forty slash ninety"),
    ],
)
def test_spoken_blood_pressure(text: str, value: str, quote: str) -> None:
    """'X over Y', in words or digits, is a pressure (extraction.lexicon.SPOKEN_BP_RE, values.find_bp)."""
    found = find_bp(text)
    assert found is not None
    assert found.value == value
    assert text[found.start : found.end] == quote


def test_a_range_in_words_is_read_as_its_midpoint() -> None:
    """'fifty five to sixty percent' as '55 to 60 %' (extraction.lexicon.RANGE_END_RE)."""
    found = find_number("ejection fraction fifty five to sixty percent", ("%",))
    assert found is not None
    assert (found.value, found.low, found.high) == (57.5, 55.0, 60.0)


def test_spoken_small_numbers_over_each_other_are_no_pressure() -> None:
    assert find_bp("graded three over four") is None


_DICTATED = (
    "FINDINGS: After technetium sestamibi injection the patient exercised on a modified Bruce protocol for a total "
    "of nine minutes and forty five seconds, achieving eleven point two METs. Heart rate went from seventy one at "
    "rest to one hundred forty eight at peak, ninety one percent of age-predicted maximum. Blood pressure was one "
    "twenty-six over seventy-eight at baseline and one sixty-four over eighty-two at peak. Transient ischemic "
    "dilation ratio one point oh two. Ejection fraction sixty one percent.\n"
    "IMPRESSION: Normal myocardial perfusion. Low risk.\n"
)


def test_dictated_stress_values(structure: Any) -> None:
    """A voice-recognition report with every number in words: rates, pressures, %MPHR, a duration in minutes
    and seconds and a decimal ratio are read with their spans on the words."""
    out = structure(_DICTATED)
    assert value_at(out, "stress_test.exercise_duration_min") == 9.75
    assert span_at(out, _DICTATED, "stress_test.exercise_duration_min") == "nine minutes and forty five seconds"
    assert value_at(out, "stress_test.rest_hr_bpm") == 71
    assert value_at(out, "stress_test.peak_hr_bpm") == 148
    assert value_at(out, "stress_test.percent_mphr") == 91
    assert span_at(out, _DICTATED, "stress_test.percent_mphr") == "ninety one percent"
    assert value_at(out, "stress_test.rest_bp") == "126/78"
    assert value_at(out, "stress_test.peak_bp") == "164/82"
    assert span_at(out, _DICTATED, "stress_test.peak_bp") == "one sixty-four over eighty-two"
    assert value_at(out, "function.tid_ratio") == 1.02
    assert value_at(out, "function.lvef_percent") == 61


def test_a_rate_followed_by_and_the_peak_is_the_resting_one(structure: Any) -> None:
    """'resting heart rate was seventy one and the peak heart rate ...': 'the peak' after 'and' opens the next
    clause, it is not the phase of the value before it (extraction.assemble._rest_peak)."""
    text = (
        "PROCEDURE: Treadmill exercise with Tc-99m tetrofosmin. The resting heart rate was seventy one and the peak "
        "heart rate one hundred forty eight.\nIMPRESSION: Normal perfusion study.\n"
    )
    out = structure(text)
    assert value_at(out, "stress_test.rest_hr_bpm") == 71
    assert value_at(out, "stress_test.peak_hr_bpm") == 148


def test_pressures_spelled_out_in_full_are_both_read(structure: Any) -> None:
    """Two pressures in full words are longer than the window read after a label for digits; a window with
    number words is read further (extraction.assemble._rest_peak)."""
    text = (
        "PROCEDURE: Tc-99m tetrofosmin treadmill test. Blood pressure rose from one hundred twenty-four over "
        "seventy-six at rest to one hundred seventy-two over eighty-four at peak exercise.\n"
        "IMPRESSION: Normal perfusion study.\n"
    )
    out = structure(text)
    assert value_at(out, "stress_test.rest_bp") == "124/76"
    assert value_at(out, "stress_test.peak_bp") == "172/84"
    assert span_at(out, text, "stress_test.peak_bp") == "one hundred seventy-two over eighty-four"


def test_a_duration_that_runs_past_the_window_of_its_label(structure: Any) -> None:
    """A duration that starts near the label ('Bruce protocol ... exercised for') is read whole, seconds
    included, even when it ends past the 70 characters read for the label (extraction.assemble._duration)."""
    text = (
        "PROCEDURE: Tc-99m sestamibi. Treadmill test on a Bruce protocol, with the patient going on hard for seven "
        "minutes and seventeen seconds.\nIMPRESSION: Normal perfusion study.\n"
    )
    out = structure(text)
    assert value_at(out, "stress_test.exercise_duration_min") == 7.28
    assert span_at(out, text, "stress_test.exercise_duration_min") == "seven minutes and seventeen seconds"


# --- a finding explained as an artifact in its own clause is no defect ---------------------------------------


def test_finding_explained_as_artifact_in_its_clause_is_no_defect(structure: Any) -> None:
    """'Mildly reduced anterior uptake that improves after attenuation correction is compatible with breast
    attenuation': the artifact its clause names explains it, unhedged, so it is recorded only as the artifact
    (extraction.assemble._explained_as_artifact)."""
    text = (
        "FINDINGS: Tc-99m sestamibi SPECT. Mildly reduced uptake in the anterior wall that improves after "
        "attenuation correction is compatible with breast attenuation. No reversible defect.\n"
        "IMPRESSION: Normal myocardial perfusion.\n"
    )
    out = structure(text)
    assert out["perfusion"]["defects"] == []
    assert value_at(out, "perfusion.artifact") == "attenuation"


# --- a finding said to be no defect, or a normal variant, is no defect ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "FINDINGS: Tc-99m tetrofosmin SPECT. Slightly decreased uptake in the apex reflects normal apical thinning. "
        "IMPRESSION: Normal myocardial perfusion.",
        "FINDINGS: Tc-99m tetrofosmin SPECT. A mild reduction of septal tracer uptake is felt not to represent a true "
        "perfusion defect. IMPRESSION: Normal myocardial perfusion.",
        "FINDINGS: Tc-99m tetrofosmin SPECT. Minimally decreased counts in the inferior wall are not considered a "
        "significant abnormality. IMPRESSION: Normal myocardial perfusion.",
    ],
)
def test_finding_said_to_be_no_defect(structure: Any, text: str) -> None:
    """wording.json not_a_defect (extraction.assemble._said_no_defect)."""
    out = structure(text)
    assert out["perfusion"]["defects"] == []
    assert value_at(out, "perfusion.result") == "normal"


def test_finding_hedged_as_a_normal_variant_stays_a_defect(structure: Any) -> None:
    """'may represent normal apical thinning' is a hedge, not a statement that the finding is no defect: it stays."""
    text = (
        "FINDINGS: Tc-99m tetrofosmin SPECT. Mildly reduced uptake at the apex may represent normal apical thinning.\n"
        "IMPRESSION: Probably normal perfusion study.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["severity"]) for d in defects] == [(["apex"], "mild")]


def test_a_fixed_defect_only_attributed_to_apical_thinning_stays(structure: Any) -> None:
    """'a small fixed apical defect, most consistent with apical thinning' is still called a defect."""
    text = (
        "FINDINGS: Tc-99m tetrofosmin SPECT. There is a small fixed apical defect, most consistent with apical "
        "thinning.\nIMPRESSION: Probably normal perfusion study.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["reversibility"]) for d in defects] == [(["apex"], "fixed")]


# --- walls: the apex named beside an apical level -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "walls"),
    [
        (
            "FINDINGS: Rb-82 PET. A large region of severely decreased perfusion involves the apical inferior wall "
            "and the apex at stress and fills in at rest. IMPRESSION: Abnormal study.",
            ["inferior", "apex"],
        ),
        (
            "FINDINGS: Rb-82 PET. Mild reduction in uptake in the apical anterior segments at stress with normal "
            "rest uptake. IMPRESSION: Abnormal study.",
            ["anterior", "apical"],
        ),
    ],
)
def test_apex_named_beside_an_apical_level(structure: Any, text: str, walls: list[str]) -> None:
    """'the apical inferior wall and the apex': the apex itself is the wall; 'apical anterior segments' alone
    keep the apical level (extraction.assemble._defect_mentions)."""
    defects = structure(text)["perfusion"]["defects"]
    assert [d["walls"] for d in defects] == [walls]


# --- attribution: one flow label for two phases ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "stress", "rest"),
    [
        (
            "FINDINGS: Rb-82 PET. Myocardial blood flow: global stress MBF 2.40, rest 1.05. Perfusion is normal.",
            2.4,
            1.05,
        ),
        ("FINDINGS: Rb-82 PET. Rest MBF 0.88, stress 1.95 mL/min/g. Perfusion is normal.", 1.95, 0.88),
    ],
)
def test_flow_label_of_one_phase_shared_by_the_next_value(
    structure: Any, text: str, stress: float, rest: float
) -> None:
    """'rest MBF 0.88, stress 1.95': the value after the other phase word shares the phase label
    (extraction.assemble._rest_peak with phased labels)."""
    out = structure(text)
    assert value_at(out, "flow.stress_mbf") == stress
    assert value_at(out, "flow.rest_mbf") == rest


# --- protocol: the stress agent between the phases ---------------------------------------------------------------


def test_rest_slash_agent_stress_is_rest_stress(structure: Any) -> None:
    """'rest/adenosine stress' (wording.json protocol_order)."""
    text = (
        "Study: N-13 ammonia PET, rest/adenosine stress, 10 mCi each.\nFINDINGS: Perfusion is normal.\n"
        "IMPRESSION: Normal study.\n"
    )
    out = structure(text)
    assert value_at(out, "study.protocol") == "rest-stress"
    assert span_at(out, text, "study.protocol") == "rest/adenosine stress"


# --- a study that says it did no perfusion imaging has no perfusion result ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Exam: Tc-99m pyrophosphate cardiac scan.\nTechnique: planar and SPECT images at 3 hours. Myocardial "
        "perfusion imaging was not performed.\nImpression: Abnormal study, grade 2 myocardial uptake.\n",
        "Exam: Tc-99m PYP amyloid scan.\nPerfusion imaging: not performed.\nImpression: Abnormal study.\n",
        "Exam: Tc-99m PYP amyloid scan. This is not a myocardial perfusion study.\nImpression: Abnormal study.\n",
    ],
)
def test_no_perfusion_imaging_means_no_perfusion_result(structure: Any, text: str) -> None:
    """A report that says no perfusion imaging was done (a PYP amyloid scan): its verdict is the study's, not a
    perfusion result (wording.json no_perfusion_imaging)."""
    out = structure(text)
    assert value_at(out, "impression.overall") == "abnormal"
    assert out["perfusion"]["result"] is None
    assert out["perfusion"]["defects"] == []
