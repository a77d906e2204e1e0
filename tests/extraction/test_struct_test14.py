"""struct_test14 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set; each test names the mechanism it checks, and most
have a control where the value must still be read. Expected values are literal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bench_modules import bench_module

REPO = Path(__file__).resolve().parents[2]

# The technique line of a myocardial perfusion study: the reports below are perfusion studies unless said otherwise.
_MPI = "Technique: Rest/stress Tc-99m sestamibi gated SPECT.\n"


def _value(out: dict[str, Any], section: str, field: str) -> Any:
    item = out[section][field]
    return None if item is None else item["value"]


# --- a quoted earlier report is that report's, headers inside the quotes included ------------------------------------

_QUOTED = (
    "Indication: Chest pain, prior stenting.\n"
    "History: Seen in 2019 at another hospital, where the nuclear study report stated: "
    '"Moderate reversible inferior perfusion defect. SSS 14. Gated LVEF 41%, the left ventricle is dilated. '
    'IMPRESSION: High risk." He had a stent to the RCA afterwards.\n'
    + _MPI
    + "Findings: Normal perfusion. SSS 1. Gated LVEF 62%. Normal LV size.\n"
    "Impression: Normal study. Low risk.\n"
)


def test_the_values_of_a_quoted_report_are_not_this_studys(structure: Any) -> None:
    out = structure(_QUOTED)
    assert _value(out, "function", "lvef_percent") == 62
    assert _value(out, "perfusion", "sss") == 1
    assert _value(out, "function", "lv_size") == "normal"
    assert _value(out, "impression", "risk") == "low"


def test_a_defect_of_a_quoted_report_is_historical(structure: Any) -> None:
    out = structure(_QUOTED)
    assert [(d["walls"], d["certainty"]) for d in out["perfusion"]["defects"]] == [(["inferior"], "historical")]


def test_a_header_inside_the_quotes_opens_no_impression(structure: Any) -> None:
    """The 'IMPRESSION:' inside the quotes does not make the history after the quote an impression."""
    out = structure(
        "History: The outside report read: "
        '"Small fixed apical defect, probably attenuation. IMPRESSION: Probably normal study." '
        "Since then he has had a large anterior infarct with heart failure.\n"
        + _MPI
        + "Findings: Severe fixed anterior and apical defect. LVEF 35%.\n"
    )
    assert _value(out, "impression", "overall") != "probably normal"
    assert _value(out, "impression", "risk") is None


def test_words_quoted_without_a_report_lead_are_the_studys(structure: Any) -> None:
    """Control: the patient's own words in quotes, with no report named as their source, stay this test's."""
    out = structure(
        _MPI + "Stress: Regadenoson 0.4 mg. The patient said "
        '"my chest pain is just like the one I get walking uphill" one minute after the injection.\n'
        "Impression: Normal study.\n"
    )
    assert _value(out, "stress_test", "chest_pain") == "present"


# --- a clinic letter without headers: the verdict predicated of the study, the reason it was arranged for -------------

_LETTER = (
    "Dear Colleague, thank you for seeing Mr Orm again. The regadenoson PET we organised in May for his "
    "intermittent chest tightness when climbing stairs turned out to be entirely normal. The study was performed "
    "on 05/20/2025 with Rb-82; he had no chest pain during the infusion. Gated LVEF was 61%. Low risk overall. "
    "Yours sincerely, Dr Penhaligon\n"
)


def test_a_letters_verdict_predicated_of_the_study(structure: Any) -> None:
    out = structure(_LETTER)
    assert _value(out, "impression", "overall") == "normal"
    assert _value(out, "impression", "ischemia") == "absent"
    assert _value(out, "impression", "infarction") == "absent"


def test_a_letters_reason_for_the_study_ends_at_its_verdict(structure: Any) -> None:
    out = structure(_LETTER)
    assert _value(out, "study", "indication") == "intermittent chest tightness when climbing stairs"


def test_the_complaint_in_the_reason_is_not_the_tests_chest_pain(structure: Any) -> None:
    assert _value(structure(_LETTER), "stress_test", "chest_pain") == "absent"


def test_a_reason_read_on_into_the_test_keeps_the_tests_chest_pain(structure: Any) -> None:
    """Control: an unpunctuated dictation whose reason runs on into the test: its denial is still the test's."""
    out = structure(
        "nuclear stress dictation the indication is dyspnea on exertion the patient received regadenoson with "
        "sestamibi and had no chest pain during the infusion the spect images are normal"
    )
    assert _value(out, "stress_test", "chest_pain") == "absent"


def test_another_tests_verdict_in_a_letter_is_not_the_studys(structure: Any) -> None:
    """Control: 'her echocardiogram was normal' in a letter is the echo's verdict, not the perfusion study's."""
    out = structure(
        "Dear Dr Lunn, her echocardiogram was normal last year. The stress SPECT with Tc-99m sestamibi showed a "
        "moderate reversible anterior defect in the LAD territory. I will arrange angiography. Kind regards\n"
    )
    assert _value(out, "impression", "overall") != "normal"


# --- a planned protocol is not the one performed ---------------------------------------------------------------------


def test_the_protocol_performed_is_read_before_the_one_planned(structure: Any) -> None:
    out = structure(
        "Protocol: a stress-only study was initially scheduled; the stress images showed a defect, so a rest "
        "acquisition was added the same day (stress/rest).\nTracer: Tc-99m tetrofosmin.\nImpression: Abnormal study.\n"
    )
    assert _value(out, "study", "protocol") == "stress-rest"


def test_a_stress_only_protocol_not_said_to_be_planned_is_kept(structure: Any) -> None:
    """Control: one stress-only statement, no plan."""
    out = structure(
        "Protocol: Stress-only Tc-99m tetrofosmin SPECT; rest imaging was not needed.\nImpression: Normal study.\n"
    )
    assert _value(out, "study", "protocol") == "stress-only"


# --- a test converted from exercise to a pharmacologic stress is a combined test --------------------------------------


def test_exercise_converted_to_a_vasodilator_is_a_combined_stress(structure: Any) -> None:
    out = structure(
        _MPI + "Stress: The patient exercised for 3 minutes on the Bruce protocol and could not continue. The study "
        "was switched to regadenoson 0.4 mg IV.\nImpression: Normal study.\n"
    )
    assert _value(out, "study", "stress_type") == "exercise+pharmacologic"
    assert _value(out, "study", "stress_agent") == "regadenoson"


def test_a_vasodilator_alone_is_a_pharmacologic_stress(structure: Any) -> None:
    """Control: no exercise before the agent."""
    out = structure(_MPI + "Stress: Regadenoson 0.4 mg IV was given at rest.\nImpression: Normal study.\n")
    assert _value(out, "study", "stress_type") == "pharmacologic"


# --- a phase word before the next label is that label's, even with no comma between ----------------------------------


def test_rest_and_peak_values_run_together_without_punctuation(structure: Any) -> None:
    out = structure(
        _MPI + "Stress: resting heart rate 66 peak heart rate 139 bpm resting blood pressure 130/70 peak blood "
        "pressure 170/78\nImpression: Normal study.\n"
    )
    assert _value(out, "stress_test", "rest_hr_bpm") == 66
    assert _value(out, "stress_test", "peak_hr_bpm") == 139
    assert _value(out, "stress_test", "rest_bp") == "130/70"
    assert _value(out, "stress_test", "peak_bp") == "170/78"


def test_a_phase_written_after_a_value_is_still_its_own(structure: Any) -> None:
    """Control: '72 at rest' keeps its trailing phase."""
    out = structure(_MPI + "Stress: heart rate 72 at rest and 131 at peak.\nImpression: Normal study.\n")
    assert _value(out, "stress_test", "rest_hr_bpm") == 72
    assert _value(out, "stress_test", "peak_hr_bpm") == 131


# --- a wall named after its normal motion -----------------------------------------------------------------------------


def test_normal_motion_of_a_named_wall_is_normal_wall_motion(structure: Any) -> None:
    out = structure(
        _MPI + "Findings: a small fixed inferior defect due to diaphragmatic attenuation; gated images show normal "
        "motion and thickening of the inferior wall.\nImpression: Normal study.\n"
    )
    assert _value(out, "function", "wall_motion") == "normal"


def test_abnormal_motion_of_another_wall_still_wins(structure: Any) -> None:
    """Control: one wall's normal motion does not hide another's hypokinesis."""
    out = structure(
        _MPI + "Findings: normal motion of the septal wall; hypokinesis of the lateral wall.\nImpression: Abnormal.\n"
    )
    assert _value(out, "function", "wall_motion") == "abnormal"


# --- a key with an aside before its separator ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Coronary calcium (CT attenuation scan) = Absent", "absent"),
        ("CAC (visual): present, mild, RCA", "present"),
    ],
)
def test_a_calcium_key_with_an_aside_is_answered(structure: Any, line: str, expected: str) -> None:
    out = structure("Modality = PET/CT\nTracer = Rb-82\n" + line + "\nConclusion = Normal study\n")
    assert _value(out, "calcium", "cac_present") == expected


# --- volumes of the main ejection fraction's phase -------------------------------------------------------------------


def test_the_volumes_follow_the_stress_ejection_fraction(structure: Any) -> None:
    out = structure(
        "Modality = PET/CT\nTracer = Rb-82\nLVEF Rest = 50 %\nLVEF Stress = 56 %\n"
        "EDV Rest = 120 mL\nESV Rest = 60 mL\nEDV Stress = 115 mL\nESV Stress = 51 mL\nConclusion = Normal study\n"
    )
    assert _value(out, "function", "lvef_percent") == 56
    assert _value(out, "function", "edv_ml") == 115
    assert _value(out, "function", "esv_ml") == 51


def test_a_rest_volume_alone_is_still_read(structure: Any) -> None:
    """Control: with only rest volumes given, they are the volumes."""
    out = structure(
        "Modality = PET/CT\nTracer = Rb-82\nLVEF Rest = 50 %\nLVEF Stress = 56 %\nEDV Rest = 120 mL\n"
        "Conclusion = Normal study\n"
    )
    assert _value(out, "function", "edv_ml") == 120


# --- a summed score with an aside between its words ------------------------------------------------------------------


def test_a_summed_score_named_with_an_aside(structure: Any) -> None:
    out = structure(
        "Technique: Tl-201 exercise/redistribution SPECT.\n"
        "Findings: summed stress score 9, summed rest (4-hour) score 5, summed difference score 4.\n"
        "Impression: Abnormal study.\n"
    )
    assert (_value(out, "perfusion", "sss"), _value(out, "perfusion", "srs"), _value(out, "perfusion", "sds")) == (
        9,
        5,
        4,
    )


# --- a study with neither stress nor perfusion imaging ---------------------------------------------------------------


_CT = (
    "CARDIAC CT ANGIOGRAPHY\nTechnique: ECG-gated CT angiography after ivabradine; heart rate during the scan 61 bpm.\n"
    "Findings: Agatston score 12. LV normal in size, LVEF 63% (CT).\n"
    "Impression: Minimal nonobstructive plaque. Consider stress testing (e.g. perfusion imaging) if symptoms persist.\n"
)


def test_a_ct_angiograms_ejection_fraction_is_a_resting_one(structure: Any) -> None:
    out = structure(_CT)
    assert (_value(out, "function", "lvef_percent"), _value(out, "function", "rest_lvef_percent")) == (63, 63)


def test_a_heart_rate_during_a_ct_scan_is_no_peak(structure: Any) -> None:
    """'during the scan' is the image acquisition, not a stress phase."""
    assert _value(structure(_CT), "stress_test", "peak_hr_bpm") is None


def test_a_recommendation_with_an_abbreviation_is_no_perfusion_study(structure: Any) -> None:
    out = structure(_CT)
    assert out["perfusion"]["result"] is None
    assert out["study"]["modality"] is None


def test_a_stress_studys_peak_heart_rate_is_kept(structure: Any) -> None:
    """Control: a perfusion study's peak heart rate is read as before."""
    out = structure(_MPI + "Stress: regadenoson; heart rate 64 at rest and 92 at peak.\nImpression: Normal study.\n")
    assert _value(out, "stress_test", "peak_hr_bpm") == 92


# --- the set ----------------------------------------------------------------------------------------------------------


def test_struct_test14_scores_what_this_round_reached() -> None:
    """main before this round: field micro-F1 0.905, defect F1 1.000 (strict 1.000)."""
    result = bench_module("extraction_eval").evaluate(REPO / "bench" / "data" / "struct_test14")
    assert round(result["field_micro_f1"], 3) >= 0.998  # 0.905 before
    assert result["defect_f1"] == 1.0
    assert result["defect_strict_f1"] == 1.0
