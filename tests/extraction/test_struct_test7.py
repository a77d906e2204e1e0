"""Issue 16, struct_test7 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the blind set; each test names the mechanism it checks, and each
mechanism has a control where the value must not be read (an ellipsis in prose, a denial, a hedge, a prior, a
list whose values are each their own). Expected values are literal.
"""

from __future__ import annotations

from typing import Any

from report_fields import span_at, value_at

from extraction.pipeline import layout_view


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None, str]]:
    return [(d["walls"], d["reversibility"], d["certainty"]) for d in out["perfusion"]["defects"]]


# --- export layout: dot leaders and bracketed titles -------------------------------------------------------------


def test_layout_view_blanks_leaders_and_keeps_offsets() -> None:
    """A leader before a separator goes blank; one without a separator gets a colon after its key; a bracketed
    title alone on its line reads as a header. Control: an ellipsis in prose, brackets inside a line and a checkbox
    mark alone on its line stay."""
    text = (
        "[ FINDINGS ]\n"
        "Ejection fraction ...... : 48 %\n"
        "TID.......... 1.12\n"
        "Dose (rest) . : 10 mCi\n"
        "She walked... then stopped [see note] for fatigue.\n"
        "[x]\n"
    )
    view = layout_view(text)
    assert len(view) == len(text)
    assert view.splitlines() == [
        "  FINDINGS :",
        "Ejection fraction        : 48 %",
        "TID:          1.12",
        "Dose (rest)   : 10 mCi",
        "She walked... then stopped [see note] for fatigue.",
        "[x]",
    ]
    assert layout_view("No leader here.") == "No leader here."


_LEADER_EXPORT = (
    "*** CARDIAC NUCLEAR RESULT FEED ***\n"
    "[STUDY]\n"
    "Exam date ......... : 07-MAR-2026\n"
    "Indication ........ : exertional breathlessness\n"
    "Stress ............ : treadmill, Bruce\n"
    "[DATA]\n"
    "Duration .......... : 7.5 min\n"
    "Rest/peak HR ...... : 66 / 149\n"
    "Gated EF........... 54%\n"
    "SRS/SSS/SDS ....... : 2 / 9 / 7\n"
    "EDV / ESV / TID ... : 110 / 51 / 1.05\n"
    "[CONCLUSION]\n"
    "Perfusion ......... : ABNORMAL\n"
    "Ischemia .......... : PRESENT\n"
    "Prior ............. : none on file\n"
)


def test_a_dot_leader_export_reads_each_key(structure: Any) -> None:
    """Keys joined to their values by dot leaders, sections in brackets: every key reads as a padded key."""
    out = structure(_LEADER_EXPORT)
    assert value_at(out, "study.study_date") == "2026-03-07"
    assert value_at(out, "stress_test.exercise_duration_min") == 7.5
    assert value_at(out, "stress_test.rest_hr_bpm") == 66
    assert value_at(out, "stress_test.peak_hr_bpm") == 149
    assert value_at(out, "function.lvef_percent") == 54
    assert value_at(out, "perfusion.result") == "abnormal"
    assert value_at(out, "impression.ischemia") == "present"
    assert value_at(out, "impression.comparison") == "no prior"


# --- a list of labels that shares its values, in order ------------------------------------------------------------


def test_a_label_list_gives_each_label_its_own_value(structure: Any) -> None:
    """'SRS/SSS/SDS : 2 / 9 / 7' (the order is the list's, not the usual one) and 'EDV / ESV / TID ... : 110 / 51 /
    1.05' in an export."""
    out = structure(_LEADER_EXPORT)
    assert value_at(out, "perfusion.srs") == 2
    assert value_at(out, "perfusion.sss") == 9
    assert value_at(out, "perfusion.sds") == 7
    assert value_at(out, "function.edv_ml") == 110
    assert value_at(out, "function.esv_ml") == 51
    assert value_at(out, "function.tid_ratio") == 1.05


def test_a_label_list_in_prose_and_in_a_parenthesis(structure: Any) -> None:
    """'The SSS, SRS and SDS were 11, 4 and 7', 'volumes (EDV/ESV) 140/72 mL'."""
    text = (
        "Findings: Reversible inferior defect. The SSS, SRS and SDS were 11, 4 and 7. "
        "Gated volumes (EDV/ESV) 140/72 mL."
    )
    out = structure(text)
    assert value_at(out, "perfusion.sss") == 11
    assert value_at(out, "perfusion.srs") == 4
    assert value_at(out, "perfusion.sds") == 7
    assert value_at(out, "function.edv_ml") == 140
    assert value_at(out, "function.esv_ml") == 72
    assert span_at(out, text, "function.esv_ml") == "72 mL"


def test_a_vitals_list_takes_its_phase_from_before_its_first_label(structure: Any) -> None:
    """'Resting HR / BP: 62 bpm / 150/88 mmHg' then 'Max HR / BP: ...': a heart rate and a pressure per line."""
    text = "Regadenoson stress.\nResting HR / BP: 62 bpm / 150/88 mmHg\nMax HR / BP: 91 bpm / 136/80 mmHg\n"
    out = structure(text)
    assert value_at(out, "stress_test.rest_hr_bpm") == 62
    assert value_at(out, "stress_test.rest_bp") == "150/88"
    assert value_at(out, "stress_test.peak_hr_bpm") == 91
    assert value_at(out, "stress_test.peak_bp") == "136/80"


def test_labels_joined_by_a_comma_keep_their_own_values(structure: Any) -> None:
    """Control: '9.4 METs, HR rose from 70 to 150' is no list (the METs value stands before its label, the rate after
    its own); a slash compound with one value ('SSS/SDS 12') gives that value to neither label."""
    out = structure("Exercise: 8 min, 9.4 METs, HR rose from 70 to 150 bpm, BP 130/80 to 170/84. SSS/SDS 12.")
    assert value_at(out, "stress_test.mets") == 9.4
    assert value_at(out, "stress_test.rest_hr_bpm") == 70
    assert value_at(out, "stress_test.peak_hr_bpm") == 150
    assert value_at(out, "stress_test.peak_bp") == "170/84"
    assert value_at(out, "perfusion.sss") is None
    assert value_at(out, "perfusion.sds") is None


# --- a padded key's semicolon list is one statement -----------------------------------------------------------


def test_a_padded_defect_key_with_a_semicolon_list_is_one_defect(structure: Any) -> None:
    """'Defect A     : RCA; inferior, inferoseptal; moderate; medium; fixed' is one defect with all its properties."""
    text = (
        "Tracer       : Tc-99m sestamibi\n"
        "Perfusion    : abnormal\n"
        "Defect A     : RCA; inferior, inferoseptal; moderate; medium; fixed\n"
    )
    out = structure(text)
    assert [
        (d["walls"], d["territory"], d["severity"], d["extent"], d["reversibility"])
        for d in out["perfusion"]["defects"]
    ] == [(["inferior", "inferoseptal"], "RCA", "moderate", "medium", "fixed")]


def test_a_prose_semicolon_still_ends_a_statement(structure: Any) -> None:
    """Control: in prose (no padded key) a semicolon ends a clause: the denial after it is not the defect's."""
    out = structure(
        "Tc-99m sestamibi SPECT.\nFindings: Fixed inferior defect; no reversible defect in the anterior wall."
    )
    assert _defects(out) == [(["inferior"], "fixed", "affirmed")]


# --- a date-time key -------------------------------------------------------------------------------------------


def test_a_date_time_key_is_no_treadmill(structure: Any) -> None:
    """'Study Dt/Tm: 12-JAN-2026 10:40' is a date and a clock time, not a treadmill time."""
    out = structure("Study Dt/Tm: 12-JAN-2026 10:40\nAdenosine infusion. Normal perfusion.")
    assert value_at(out, "study.study_date") == "2026-01-12"
    assert value_at(out, "stress_test.exercise_duration_min") is None
    assert value_at(out, "study.stress_type") == "pharmacologic"


def test_tm_alone_is_still_a_treadmill(structure: Any) -> None:
    """Control: 'TM' without a date before it is the treadmill."""
    out = structure("Stress: TM 8:30 min, Bruce. Normal perfusion.")
    assert value_at(out, "stress_test.exercise_duration_min") == 8.5
    assert value_at(out, "study.stress_type") == "exercise"


# --- a comparison key answered "none" ---------------------------------------------------------------------------


def test_a_comparison_key_answered_none_is_no_prior(structure: Any) -> None:
    out = structure("Impression: Normal study.\nPrior studies = N/A\n")
    assert value_at(out, "impression.comparison") == "no prior"
    out = structure("Impression: Normal study.\nComparison:    not available in PACS\n")
    assert value_at(out, "impression.comparison") == "no prior"


def test_none_of_after_a_prior_key_is_no_answer(structure: Any) -> None:
    """Control: 'Prior: none of the segments ...' is a statement about segments, not a missing prior."""
    out = structure("Impression: Normal study.\nPrior: none of the segments were abnormal then either.\n")
    assert value_at(out, "impression.comparison") is None


# --- an addendum above the report -------------------------------------------------------------------------------


_ADDENDUM_FIRST = (
    "ADDENDUM (02/11/2026):\n"
    "Attenuation-corrected images are now available. The anterior count reduction noted below is uniform after "
    "correction, in keeping with breast attenuation. Final reading: normal perfusion.\n\n"
    "ORIGINAL REPORT:\n"
    "Tc-99m sestamibi SPECT.\n"
    "Findings: There is a small, mild fixed anterior defect, possibly breast attenuation.\n"
    "Impression: Probably normal.\n"
)


def test_an_addendum_above_the_report_takes_back_its_defect(structure: Any) -> None:
    """The addendum is the final reading wherever it is pasted: it puts the body's anterior defect down to
    attenuation, so there is no defect."""
    out = structure(_ADDENDUM_FIRST)
    assert _defects(out) == []
    assert value_at(out, "perfusion.artifact") == "attenuation"


def test_an_addendum_above_the_report_that_widens_the_defect_keeps_it(structure: Any) -> None:
    """Control: an addendum above the report that says the defect also takes in another wall keeps the defect."""
    text = (
        "ADDENDUM:\nOn review the defect described below also involves the apex.\n\n"
        "REPORT:\nTc-99m sestamibi SPECT.\n"
        "Findings: Severe reversible anterior defect.\nImpression: Abnormal study, LAD ischemia.\n"
    )
    out = structure(text)
    assert _defects(out) == [(["anterior", "apex"], "reversible", "affirmed")]


# --- a count reduction the reader probably puts down to an artifact ---------------------------------------------


def test_a_count_reduction_probably_due_to_artifact_is_no_defect(structure: Any) -> None:
    """'mildly decreased counts ... With normal thickening there, this is most likely diaphragmatic attenuation':
    a reduction of counts (not called a defect), put down to an artifact with a probable hedge."""
    text = (
        "Tc-99m sestamibi SPECT.\n"
        "Findings: There are mildly decreased counts in the basal inferior wall on stress and rest. With normal "
        "thickening there, this is most likely diaphragmatic attenuation. No reversible defect.\n"
        "Impression: Probably normal study. Inferior count deficit, probably attenuation.\n"
    )
    out = structure(text)
    assert _defects(out) == []
    assert value_at(out, "perfusion.artifact") == "attenuation"


def test_a_defect_that_may_be_artifact_stays_an_uncertain_defect(structure: Any) -> None:
    """Controls: a finding called a defect, or one that only may be an artifact, stays an uncertain defect."""
    out = structure(
        "Tc-99m sestamibi SPECT.\n"
        "Findings: Small fixed inferior defect, most likely attenuation; scar cannot be excluded."
    )
    assert _defects(out) == [(["inferior"], "fixed", "uncertain")]
    out = structure(
        "Tc-99m sestamibi SPECT.\n"
        "Findings: Mildly decreased counts in the inferior wall. This may represent attenuation."
    )
    assert _defects(out) == [(["inferior"], None, "uncertain")]


# --- chest pain coordinated with another site ------------------------------------------------------------------


def test_chest_coordinated_with_another_site_is_chest_pain(structure: Any) -> None:
    out = structure("Stress: At 5 minutes she reported chest/left arm heaviness, which eased in recovery.")
    assert value_at(out, "stress_test.chest_pain") == "present"
    out = structure("Stress: Adenosine infusion. He denied chest or neck pain throughout the infusion.")
    assert value_at(out, "stress_test.chest_pain") == "absent"


def test_chest_and_jaw_pain_in_the_history_is_not_the_tests(structure: Any) -> None:
    """Control: the symptom in the indication is the reason for the test, not the test's symptom."""
    out = structure("Indication: chest and jaw pressure on exertion.\nStress: Regadenoson. Normal perfusion.")
    assert value_at(out, "stress_test.chest_pain") is None


# --- LV size denied to be dilated ---------------------------------------------------------------------------------


def test_an_lv_cavity_said_not_dilated_is_normal_size(structure: Any) -> None:
    out = structure("Gated: LVEF 60%. LV chamber is not enlarged. Normal wall motion.")
    assert value_at(out, "function.lv_size") == "normal"


def test_another_chamber_not_dilated_gives_no_lv_size(structure: Any) -> None:
    """Control: the RV said not dilated says nothing of the LV size."""
    out = structure("Gated: LVEF 60%. RV not dilated. Normal wall motion.")
    assert value_at(out, "function.lv_size") is None


# --- an impression that states a walled defect without a verdict -------------------------------------------------


def test_an_impression_stating_a_walled_defect_is_abnormal(structure: Any) -> None:
    text = (
        "FINDINGS: Moderate reversible lateral defect.\n"
        "IMPRESSION:\n1. ISCHEMIC ECG RESPONSE.\n2. MODERATE REVERSIBLE LATERAL PERFUSION DEFECT, LCX TERRITORY.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.overall") == "abnormal"


def test_an_impression_with_a_hedged_or_prior_defect_has_no_verdict(structure: Any) -> None:
    """Controls: a possible defect, and a defect of the prior study, give the impression no verdict."""
    out = structure("IMPRESSION:\n1. Possible small apical defect.\n2. EF 58%.\n")
    assert value_at(out, "impression.overall") is None
    out = structure("IMPRESSION:\n1. The prior inferior defect is no longer seen.\n2. EF 58%.\n")
    assert value_at(out, "impression.overall") is None


# --- a phase legend after the values -----------------------------------------------------------------------------


def test_a_phase_legend_after_arrowed_values_names_them_in_order(structure: Any) -> None:
    """'BP 150/84 => 138/72 mmHg (rest => peak)': the parenthesis lists the phases in order; it is not the phase
    of the last value."""
    out = structure("Vitals: HR 70 => 92 bpm, BP 150/84 => 138/72 mmHg (rest => peak). No symptoms.")
    assert value_at(out, "stress_test.rest_bp") == "150/84"
    assert value_at(out, "stress_test.peak_bp") == "138/72"
    assert value_at(out, "stress_test.peak_hr_bpm") == 92


def test_a_single_phase_in_parentheses_is_its_values_phase(structure: Any) -> None:
    """Control: '(rest)' alone after a value is that value's phase."""
    out = structure("Vitals: BP 118/70 (rest) and 160/82 (peak).")
    assert value_at(out, "stress_test.rest_bp") == "118/70"
    assert value_at(out, "stress_test.peak_bp") == "160/82"


# --- a one-paragraph summary: the date after the camera, the reason before the test's narration ------------------


_ONE_PARAGRAPH = (
    "Mrs Q, a 58-year-old referred for exertional breathlessness, underwent adenosine stress imaging on the "
    "department's CZT camera on 14 October 2025 with Tc-99m tetrofosmin. Perfusion was normal. Low risk."
)


def test_a_date_after_the_camera_is_the_study_date(structure: Any) -> None:
    out = structure(_ONE_PARAGRAPH)
    assert value_at(out, "study.study_date") == "2025-10-14"


def test_the_reason_ends_where_the_test_is_narrated(structure: Any) -> None:
    out = structure(_ONE_PARAGRAPH)
    assert value_at(out, "study.indication") == "exertional breathlessness"


def test_a_reason_with_its_own_commas_is_kept_whole(structure: Any) -> None:
    """Control: commas inside the reason that do not narrate the test do not end it."""
    out = structure("Indication: dyspnea, palpitations, and an abnormal ECG.\nStress: regadenoson. Normal perfusion.")
    assert value_at(out, "study.indication") == "dyspnea, palpitations, and an abnormal ECG"


def test_a_sentence_that_only_describes_the_patient_is_not_the_reason(structure: Any) -> None:
    """'History: 66 yo female. Dyspnea on exertion ...': the age and sex stand in a sentence of their own."""
    out = structure("History: 66 yo female. Dyspnea on exertion, DM2.\nStress: regadenoson. Normal perfusion.")
    assert value_at(out, "study.indication") == "Dyspnea on exertion, DM2"


def test_an_age_joined_to_its_reason_is_kept(structure: Any) -> None:
    """Control: the age and sex joined to the reason by 'with' are one statement (the convention of most sets)."""
    out = structure("Indication: 66-year-old woman with dyspnea on exertion.\nStress: regadenoson. Normal perfusion.")
    assert value_at(out, "study.indication") == "66-year-old woman with dyspnea on exertion"


# --- a fixed defect with a reversible part ----------------------------------------------------------------------


def test_a_mostly_fixed_defect_with_partial_reversal_is_partially_reversible(structure: Any) -> None:
    out = structure(
        "Tc-99m sestamibi SPECT.\n"
        "Findings: Large severe anterior defect. The defect is mainly fixed, with partial reversibility at the base."
    )
    assert _defects(out) == [(["anterior"], "partially reversible", "affirmed")]


def test_a_fixed_defect_without_reversal_stays_fixed(structure: Any) -> None:
    """Control: a fixed defect whose reversal is denied is fixed."""
    out = structure("Tc-99m sestamibi SPECT.\nFindings: Large severe anterior defect. The defect is fixed.")
    assert _defects(out) == [(["anterior"], "fixed", "affirmed")]


# --- a denial by unlikelihood is hedged -----------------------------------------------------------------------------


def test_a_finding_called_unlikely_is_absent_and_uncertain(structure: Any) -> None:
    out = structure("Tc-99m sestamibi SPECT.\nImpression: Normal perfusion. Scar is considered unlikely. No ischemia.")
    infarction = out["impression"]["infarction"]
    assert (infarction["value"], infarction["certainty"]) == ("absent", "uncertain")


def test_a_plain_denial_is_absent_and_affirmed(structure: Any) -> None:
    """Control: 'No infarct.' is a denial without a hedge."""
    out = structure("Tc-99m sestamibi SPECT.\nImpression: Normal perfusion. No infarct. No ischemia.")
    infarction = out["impression"]["infarction"]
    assert (infarction["value"], infarction["certainty"]) == ("absent", "affirmed")


# --- a phase pair written before its label --------------------------------------------------------------------------


def test_a_phase_pair_before_the_label_gives_the_values_their_phases(structure: Any) -> None:
    """'Rest/peak HR ..... : 64 / 151' and 'Baseline / max BP = 124/78 / 170/82': the pair stands before the label."""
    out = structure("Rest/peak HR ..... : 64 / 151\nBaseline / max BP = 124/78 / 170/82\n")
    assert value_at(out, "stress_test.rest_hr_bpm") == 64
    assert value_at(out, "stress_test.peak_hr_bpm") == 151
    assert value_at(out, "stress_test.rest_bp") == "124/78"
    assert value_at(out, "stress_test.peak_bp") == "170/82"


def test_a_phase_pair_in_prose_before_the_label_is_no_key(structure: Any) -> None:
    """Control: 'rest/stress' in prose, the label's value not after its separator, is not read as a pair."""
    out = structure("The rest/stress HR response was blunted, 72 bpm throughout.")
    assert value_at(out, "stress_test.rest_hr_bpm") is None
