"""Issue 16, fifth round (struct_dev5, written blind): one test per general mechanism.

The texts are written for these tests, in other words and layouts than the development reports;
each test names the mechanism it checks. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

from report_fields import span_at, value_at

# --- vendor exports: keys padded into a column, abbreviated keys, phase-pair keys -----------------

# A workstation export of another vendor than the development set's, keys aligned with spaces.
_PADDED_EXPORT = """\
*** NM CARDIAC EXPORT ***
Exam.Date     : 20251103
Tracer        : Tc99m-TETRO 10.5 mCi
Ex.Dur        : 7:20
HR Rest/Peak  : 72 / 151
BP.Rst        : 130/82
BP.Pk         : 176/84
Pct.Max       : 93
Duke.TS       : 5.5
ECG.Resp      : POS
TPD_Isch      : 6
LV WM         : normal
Artifact      : breast atten anterior wall
Impression    : Abnormal stress MPI. Mild ischemia. No infarct.
"""


def test_padded_key_is_a_section_header(structure: Any) -> None:
    """'Impression    : ...' opens the impression, as 'Impression: ...' does."""
    out = structure(_PADDED_EXPORT)
    assert value_at(out, "impression.overall") == "abnormal"
    assert value_at(out, "impression.ischemia") == "present"
    assert value_at(out, "impression.infarction") == "absent"


def test_padded_header_needs_a_known_header_word(structure: Any) -> None:
    """A padded key that is no header ('Tracer   :') opens no section: the text after it stays unheaded."""
    from extraction.pipeline import get_pipeline

    doc = get_pipeline()("Tracer        : sestamibi\nSummary       : Normal study.\n")
    assert [s.category for s in doc._.sections] == [None, "impression"]


def test_phase_pair_key_gives_rest_then_peak(structure: Any) -> None:
    out = structure(_PADDED_EXPORT)
    assert value_at(out, "stress_test.rest_hr_bpm") == 72
    assert value_at(out, "stress_test.peak_hr_bpm") == 151
    assert span_at(out, _PADDED_EXPORT, "stress_test.peak_hr_bpm") == "151"


def test_phase_pair_key_in_prose_order(structure: Any) -> None:
    text = "Stress data: HR (peak/rest): 140 / 66 bpm. Bruce protocol."
    out = structure(text)
    assert value_at(out, "stress_test.rest_hr_bpm") == 66
    assert value_at(out, "stress_test.peak_hr_bpm") == 140


def test_abbreviated_phase_in_a_key(structure: Any) -> None:
    out = structure(_PADDED_EXPORT)
    assert value_at(out, "stress_test.rest_bp") == "130/82"
    assert value_at(out, "stress_test.peak_bp") == "176/84"


def test_abbreviated_vendor_keys(structure: Any) -> None:
    out = structure(_PADDED_EXPORT)
    assert value_at(out, "study.study_date") == "2025-11-03"
    assert [t["value"] for t in out["study"]["tracers"]] == ["Tc-99m tetrofosmin"]
    assert value_at(out, "stress_test.exercise_duration_min") == 7.33
    assert value_at(out, "stress_test.percent_mphr") == 93
    assert value_at(out, "stress_test.duke_treadmill_score") == 5.5
    assert value_at(out, "stress_test.ecg_response") == "ischemic"
    assert value_at(out, "perfusion.ischemic_tpd_percent") == 6
    assert value_at(out, "function.wall_motion") == "normal"
    assert value_at(out, "perfusion.artifact") == "attenuation"


def test_negative_ecg_response_key(structure: Any) -> None:
    out = structure("EXERCISE: Bruce 9:00.\nECG.Resp : NEG\nIMPRESSION: Normal study.")
    assert value_at(out, "stress_test.ecg_response") == "nonischemic"


# --- an addendum that reclassifies the study ------------------------------------------------------

# A US-style report whose addendum reads the study again, in other words than struct_dev5 f07.
_RECLASSIFIED = """\
TECHNIQUE: Rest/stress Tc-99m sestamibi SPECT.
FINDINGS: Small area of mildly reduced uptake in the inferior wall, reversible.
IMPRESSION: Abnormal scan with mild inferior ischemia. Low risk.

ADDENDUM 05/06/2025: Upright and prone images reviewed. The inferior finding persists on the rest images and is a
fixed defect due to diaphragmatic attenuation rather than ischemia. The scan is now read as normal.
"""


def test_addendum_bare_verdict_predicated_of_the_study(structure: Any) -> None:
    out = structure(_RECLASSIFIED)
    assert value_at(out, "impression.overall") == "normal"
    assert value_at(out, "perfusion.result") == "normal"
    assert span_at(out, _RECLASSIFIED, "impression.overall") == "normal"


def test_rather_than_denies_ischemia(structure: Any) -> None:
    out = structure(_RECLASSIFIED)
    assert value_at(out, "impression.ischemia") == "absent"


def test_bare_verdict_in_an_addendum_without_the_study_as_subject_is_no_verdict(structure: Any) -> None:
    text = "IMPRESSION: Abnormal study, mild apical ischemia.\nADDENDUM: LV size normal on review.\n"
    assert value_at(structure(text), "impression.overall") == "abnormal"


def test_probably_normal_with_a_fixed_defect_says_nothing_of_infarction(structure: Any) -> None:
    text = (
        "FINDINGS: Small, mild, fixed defect of the apex, most consistent with apical thinning.\n"
        "IMPRESSION: Probably normal study. No ischemia. Low risk."
    )
    out = structure(text)
    assert value_at(out, "impression.overall") == "probably normal"
    assert value_at(out, "impression.infarction") is None
    assert value_at(out, "impression.ischemia") == "absent"


def test_probably_normal_without_a_defect_still_makes_infarction_uncertainly_absent(structure: Any) -> None:
    out = structure("IMPRESSION: Probably normal myocardial perfusion study. Low risk.")
    assert out["impression"]["infarction"]["value"] == "absent"
    assert out["impression"]["infarction"]["certainty"] == "uncertain"


# --- chest pain: the test's own, and a denial after a complaint -----------------------------------


def test_chest_pain_of_the_test_before_the_patients_story(structure: Any) -> None:
    """A letter tells the patient's story first ('who has had chest tightness when walking the dog'), then
    quotes the test: the test's statement is the stress test's chest pain."""
    text = (
        "Dear Dr Amis,\n\nI saw Mrs Pole, who has had chest tightness when walking the dog.\n\n"
        "Her adenosine perfusion scan on 2 June 2025 reported: chest discomfort was absent during the infusion. "
        "Normal perfusion."
    )
    out = structure(text)
    assert value_at(out, "stress_test.chest_pain") == "absent"
    assert span_at(out, text, "stress_test.chest_pain") == "chest discomfort"


def test_chest_pain_told_only_of_the_patient_still_counts(structure: Any) -> None:
    text = "I saw Mr Rhee, who has had chest pain on hills.\nHis exercise test was stopped for fatigue."
    assert value_at(structure(text), "stress_test.chest_pain") == "present"


def test_denial_after_a_complaint_is_a_fact(structure: Any) -> None:
    text = "STRESS: Regadenoson 0.4 mg. The patient complained of flushing and nausea, no chest pain. HR 70 -> 96."
    out = structure(text)
    assert value_at(out, "stress_test.chest_pain") == "absent"
    assert span_at(out, text, "stress_test.chest_pain") == "no chest pain"


def test_complaint_without_a_denial_stays_hypothetical(structure: Any) -> None:
    text = "INDICATION: Complains of chest pain.\nSTRESS: Regadenoson 0.4 mg. HR 70 -> 96."
    assert value_at(structure(text), "stress_test.chest_pain") is None


# --- a flow table in text: the global row, never a territory's ------------------------------------

_N13_TABLE = """\
N-13 AMMONIA PET, regadenoson stress.
Quantitative flow (ml/min/g):
Region\tResting\tHyperemic\tReserve
RCA\t0.81\t1.90\t2.35
LCX\t0.77\t2.05\t2.66
Whole LV\t0.79\t1.98\t2.51
IMPRESSION: Normal perfusion and flow reserve.
"""


def test_flow_table_global_row(structure: Any) -> None:
    out = structure(_N13_TABLE)
    assert (value_at(out, "flow.rest_mbf"), value_at(out, "flow.stress_mbf"), value_at(out, "flow.mfr")) == (
        0.79,
        1.98,
        2.51,
    )
    assert span_at(out, _N13_TABLE, "flow.mfr") == "2.51"


def test_flow_table_without_a_global_row_gives_no_territory_value(structure: Any) -> None:
    text = _N13_TABLE.replace("Whole LV\t0.79\t1.98\t2.51\n", "")
    out = structure(text)
    assert (value_at(out, "flow.rest_mbf"), value_at(out, "flow.stress_mbf"), value_at(out, "flow.mfr")) == (
        None,
        None,
        None,
    )


def test_flow_in_prose_is_untouched_by_the_table_reader(structure: Any) -> None:
    out = structure("PET: Rb-82.\nGlobal MBF: rest 0.95, stress 2.40 mL/min/g. MFR 2.53.\n")
    assert (value_at(out, "flow.rest_mbf"), value_at(out, "flow.stress_mbf"), value_at(out, "flow.mfr")) == (
        0.95,
        2.4,
        2.53,
    )


# --- viability without stress; one defect part reversible, part fixed ----------------------------

# A rest / 24-hour thallium viability study in another hospital's words.
_VIABILITY = """\
STUDY: Rest and 24-hour delayed thallium-201 SPECT for viability. No stress test was done.
FINDINGS: Severe perfusion defect of the lateral wall and apex at rest. On the delayed images the lateral wall
fills in, whereas the apex stays severely reduced without redistribution.
IMPRESSION: Viable lateral wall; apical scar.
"""


def test_redistribution_without_stress_is_no_ischemia(structure: Any) -> None:
    out = structure(_VIABILITY)
    assert out["study"]["stress_type"] is None
    assert value_at(out, "impression.ischemia") is None
    assert value_at(out, "impression.infarction") == "present"


def test_defect_part_reversible_part_fixed_is_partially_reversible(structure: Any) -> None:
    defects = structure(_VIABILITY)["perfusion"]["defects"]
    assert [(d["walls"], d["reversibility"]) for d in defects] == [(["lateral", "apex"], "partially reversible")]


def test_reversible_defect_of_a_stress_study_still_means_ischemia(structure: Any) -> None:
    text = "Regadenoson stress Tc-99m sestamibi SPECT.\nFINDINGS: Moderate defect of the inferior wall, reversible."
    assert value_at(structure(text), "impression.ischemia") == "present"


def test_possibly_reversible_defect_makes_ischemia_uncertain(structure: Any) -> None:
    text = (
        "Regadenoson stress Rb-82 PET.\n"
        "IMPRESSION: Probably normal perfusion with a small, mild, possibly reversible apical abnormality."
    )
    out = structure(text)
    assert (out["impression"]["ischemia"]["value"], out["impression"]["ischemia"]["certainty"]) == (
        "present",
        "uncertain",
    )


def test_redistribution_images_name_no_reversal(structure: Any) -> None:
    """'redistribution views' names the images: with 'persists unchanged' the defect is fixed, not partial."""
    text = "Thallium SPECT. FINDINGS: Inferior defect, moderate, persists unchanged on the 4-hour redistribution views."
    assert [d["reversibility"] for d in structure(text)["perfusion"]["defects"]] == ["fixed"]


def test_fill_in_as_a_noun_after_the_rest_images(structure: Any) -> None:
    text = (
        "Thallium SPECT. FINDINGS: Moderate inferior defect at stress. On the redistribution images the inferior"
        " wall shows complete fill-in."
    )
    assert [d["reversibility"] for d in structure(text)["perfusion"]["defects"]] == ["reversible"]


# --- indication: a digit-word key; known history before the complaint -----------------------------


def test_digit_word_vendor_key_is_a_header(structure: Any) -> None:
    text = "Study.Date : 20250301\nReason4Study : exertional chest pressure\nTPD_Strs : 3\n"
    out = structure(text)
    assert value_at(out, "study.indication") == "exertional chest pressure"


def test_known_history_before_the_complaint_is_not_the_reason(structure: Any) -> None:
    text = (
        "Clinical history: H/o hypertension and smoking for 20 years. Complains of breathlessness on climbing"
        " stairs for 2 weeks. Referred for MPI.\nProcedure: Regadenoson Tc-99m sestamibi SPECT."
    )
    out = structure(text)
    assert value_at(out, "study.indication") == "breathlessness on climbing stairs for 2 weeks"
    assert span_at(out, text, "study.indication") == "breathlessness on climbing stairs for 2 weeks"


def test_history_sentence_without_a_complaint_after_it_stays(structure: Any) -> None:
    text = "Indication: History of CABG in 2015. Pre-operative assessment.\nProcedure: Regadenoson SPECT."
    assert value_at(structure(text), "study.indication") == "History of CABG in 2015"


def test_reason_that_names_a_symptom_first_is_unchanged(structure: Any) -> None:
    text = "Indication: Chest pain on exertion. K/c/o diabetes.\nProcedure: Regadenoson SPECT."
    assert value_at(structure(text), "study.indication") == "Chest pain on exertion"


# --- a negation of the clause before; the rate of a resting rhythm --------------------------------


def test_risk_after_a_negated_finding_in_a_comma_list(structure: Any) -> None:
    text = "IMPRESSION: Abnormal study with anterior ischemia and no evidence of scar, high risk."
    out = structure(text)
    assert value_at(out, "impression.risk") == "high"
    assert value_at(out, "impression.infarction") == "absent"


def test_denied_risk_is_still_no_risk(structure: Any) -> None:
    assert value_at(structure("IMPRESSION: Abnormal study, not high risk."), "impression.risk") is None


def test_rate_of_a_resting_rhythm_is_the_rest_heart_rate(structure: Any) -> None:
    text = "Resting ECG: normal sinus rhythm at 74 bpm, no ST changes.\nPeak heart rate 151 bpm."
    out = structure(text)
    assert (value_at(out, "stress_test.rest_hr_bpm"), value_at(out, "stress_test.peak_hr_bpm")) == (74, 151)
    assert span_at(out, text, "stress_test.rest_hr_bpm") == "74 bpm"


def test_rhythm_in_recovery_is_no_rest_rate(structure: Any) -> None:
    out = structure("Recovery: sinus tachycardia 112 bpm at 1 minute.")
    assert value_at(out, "stress_test.rest_hr_bpm") is None


def test_rhythm_without_a_rate_unit_gives_no_rate(structure: Any) -> None:
    out = structure("Baseline ECG: sinus rhythm, PR 180 ms, QRS 90 ms.")
    assert value_at(out, "stress_test.rest_hr_bpm") is None


# --- a letter: the study's date in prose; the protocol as "rest and stress on the same day" ------

_LETTER = """\
3 March 2025

Dear Dr Kaur,

Mrs Odum came back to clinic today. Her myocardial perfusion SPECT was performed on 24 February 2025, with
adenosine and sestamibi, stress and rest on the same day. The report reads: normal perfusion, LVEF 64%.

Yours sincerely,
"""


def test_study_date_in_prose_before_the_letter_date(structure: Any) -> None:
    out = structure(_LETTER)
    assert value_at(out, "study.study_date") == "2025-02-24"
    assert span_at(out, _LETTER, "study.study_date") == "24 February 2025"


def test_same_day_protocol_in_words(structure: Any) -> None:
    out = structure(_LETTER)
    assert value_at(out, "study.protocol") == "stress-rest"
    assert (
        value_at(structure("Regadenoson; rest and stress same day with tetrofosmin."), "study.protocol")
        == "rest-stress"
    )


def test_a_test_in_the_history_gives_no_study_date(structure: Any) -> None:
    text = "History: He had an exercise test on 05/06/2019 that was abnormal.\nTECHNIQUE: Regadenoson SPECT."
    assert value_at(structure(text), "study.study_date") is None


def test_letter_referral_gives_the_reason(structure: Any) -> None:
    text = (
        "Dear Dr Vance,\n\nMany thanks for referring Mr Joss Arden with breathlessness on exertion and a new LBBB."
        " His regadenoson SPECT was normal.\n"
    )
    out = structure(text)
    assert value_at(out, "study.indication") == "breathlessness on exertion and a new LBBB"


def test_letter_without_a_referral_sentence_gives_no_reason(structure: Any) -> None:
    text = "Dear Dr Vance,\n\nMr Arden's regadenoson SPECT was normal. I have reassured him.\n"
    assert value_at(structure(text), "study.indication") is None


# --- the month May is no hedge --------------------------------------------------------------------


def test_month_may_in_a_date_is_no_hedge(structure: Any) -> None:
    text = "Regadenoson sestamibi SPECT of 12 May: reversible inferior defect."
    (defect,) = structure(text)["perfusion"]["defects"]
    assert defect["certainty"] == "affirmed"


def test_may_as_a_word_is_still_a_hedge(structure: Any) -> None:
    text = "Regadenoson sestamibi SPECT. Mild inferior defect, which may represent diaphragmatic attenuation."
    out = structure(text)
    assert out["perfusion"]["artifact"]["certainty"] == "uncertain"


def test_labelled_rest_rate_before_a_rhythm_rate(structure: Any) -> None:
    text = "Baseline ECG: sinus rhythm 80 bpm.\nExercise: Bruce. Heart rate 76 at rest, 150 at peak."
    out = structure(text)
    assert span_at(out, text, "stress_test.rest_hr_bpm") == "76"
