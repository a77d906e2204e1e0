"""Issue 16, struct_test8 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the blind set; each test names the mechanism it checks, and each
mechanism has a control where the value must not be read or changed. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

from report_fields import span_at, value_at

from extraction.pipeline import ocr_view

# --- OCR: digits and letters confused by a fax's character recognition -------------------------------------------


def test_ocr_view_reads_garbled_numbers_and_rule_words_and_keeps_offsets() -> None:
    """A run of digits and l/I/O that reads as a number, ratio, time or date becomes it; a word with 1/0 among
    its letters becomes a word of the rule files. Controls: names and identifiers that mix letters and digits
    ("Tc99m", "V1", "HbA1c", "O2", "I131", "Tl201"), an identifier too long for a number and words that are no
    rule words ("we11", "qu1rk") stay as written."""
    text = (
        "C0NCLUSI0N: EF 5l%, HR 7O-l39, BP l4O/9O at O8:l5 on l2/O3/2O24; we11 tolerated, "
        "Tc99m V1 HbA1c O2 I131 Tl201 ZX-0O1234 qu1rk"
    )
    view, repairs = ocr_view(text)
    assert len(view) == len(text)
    assert view == (
        "CONCLUSION: EF 51%, HR 70-139, BP 140/90 at 08:15 on 12/03/2024; we11 tolerated, "
        "Tc99m V1 HbA1c O2 I131 Tl201 ZX-0O1234 qu1rk"
    )
    assert (1, "0") in repairs and (16, "l") in repairs
    assert ocr_view("No garbling here: LVEF 55%, V1-V3.") == ("No garbling here: LVEF 55%, V1-V3.", ())


def test_ocr_view_reads_a_capital_i_among_lower_case_letters_as_l() -> None:
    """OCR writes a capital I for an l: "normaI", "waIl" become rule words. Controls: names with a capital
    inside ("McIntosh", "iPhone") and capitals at the start of a word stay."""
    text = "normaI waIl motion, Ischemia absent; McIntosh, iPhone"
    view, repairs = ocr_view(text)
    assert view == "normal wall motion, Ischemia absent; McIntosh, iPhone"
    assert repairs == ((5, "I"), (9, "I"))


_FAXED = (
    "PAGE l OF l   TRANSMITTED 03/02/2026 22:10\n"
    "STRESS MYOCARDIAL PERFUSION REPORT  exam date O3/Ol/2O26\n"
    "Reason: exertional dyspnea, fami1y history of CAD.  Treadmill exercise, Bruce protocol, 8:l5 min, lO.2 METs,\n"
    "resting HR 7O, peak HR l5l, BP l3O/84 -> l7O/8O.  Tc-99m tetrofosmin.  Perfusion is norma1, no\n"
    "defect.  Gated EF 5l%, no wa11 motion abnorma1ity, TID O.98.  C0NCLUSI0N: norma1 study, 1ow risk.\n"
)


def test_a_faxed_report_is_read_through_its_ocr_confusions(structure: Any) -> None:
    """The numbers, the date and the verdict words of an OCR'd fax are read as meant, with spans on the garbled
    characters; the indication is quoted as written. Control: the transmission stamp is not the study date."""
    out = structure(_FAXED)
    assert value_at(out, "study.study_date") == "2026-03-01"
    assert value_at(out, "stress_test.exercise_duration_min") == 8.25
    assert value_at(out, "stress_test.mets") == 10.2
    assert value_at(out, "stress_test.rest_hr_bpm") == 70
    assert value_at(out, "stress_test.peak_hr_bpm") == 151
    assert value_at(out, "stress_test.rest_bp") == "130/84"
    assert value_at(out, "stress_test.peak_bp") == "170/80"
    assert value_at(out, "function.lvef_percent") == 51
    assert span_at(out, _FAXED, "function.lvef_percent") == "5l%"
    assert value_at(out, "function.tid_ratio") == 0.98
    assert value_at(out, "function.wall_motion") == "normal"
    assert value_at(out, "perfusion.result") == "normal"
    assert value_at(out, "impression.overall") == "normal"
    assert value_at(out, "impression.risk") == "low"
    assert value_at(out, "study.indication") == "exertional dyspnea, fami1y history of CAD"


# --- the reason after the patient's age and sex, in a report without an indication header -------------------------


def test_the_complaint_after_age_and_sex_is_the_indication(structure: Any) -> None:
    """ "<age> <sex> presenting with <complaint>" gives the reason of a report without an indication header."""
    text = (
        "Sestamibi treadmill SPECT 02/11/2026. 63 y/o male presenting with exertional chest tightness and fatigue, "
        "clearance before hip surgery. Perfusion is normal. LVEF 61%."
    )
    out = structure(text)
    assert value_at(out, "study.indication") == "exertional chest tightness and fatigue, clearance before hip surgery"


def test_known_history_after_age_and_sex_is_not_the_indication(structure: Any) -> None:
    """Controls: known history after the age and sex is not the reason, and a later cue of the sentence is."""
    history = "Rest/stress SPECT 02/11/2026. A 70-year-old woman with hypertension and high lipids, on statin. EF 58%."
    assert value_at(structure(history), "study.indication") is None
    referred = (
        "Rest/stress SPECT 02/11/2026. 59 yo M with diabetes and chest pain in 2019 who was referred for "
        "evaluation of new exertional dyspnea. LVEF 58%."
    )
    assert value_at(structure(referred), "study.indication") == "evaluation of new exertional dyspnea"
    known = "Treadmill SPECT 02/11/2026. A 66-year-old man with a history of gout admitted with chest pain. EF 58%."
    assert value_at(structure(known), "study.indication") is None


# --- a phase word between two values labels the next one --------------------------------------------------------


def test_a_phase_word_before_a_number_labels_that_number(structure: Any) -> None:
    """Dictation without commas: "pulse 64 maximum 139" is rest 64 and peak 139, not 64 at peak."""
    text = "Treadmill stress. Resting pulse 64 maximum 139 bpm and blood pressure 126/78 rest 168/82 peak. LVEF 60%."
    out = structure(text)
    assert value_at(out, "stress_test.rest_hr_bpm") == 64
    assert value_at(out, "stress_test.peak_hr_bpm") == 139
    assert value_at(out, "stress_test.rest_bp") == "126/78"
    assert value_at(out, "stress_test.peak_bp") == "168/82"


def test_a_phase_word_after_a_number_still_trails_it(structure: Any) -> None:
    """Control: a phase after a value and before a comma is that value's ("HR 88 at peak, 61 at rest")."""
    out = structure("Treadmill stress. HR 88 at peak, 61 at rest. LVEF 60%.")
    assert value_at(out, "stress_test.rest_hr_bpm") == 61
    assert value_at(out, "stress_test.peak_hr_bpm") == 88


# --- a drug or tracer name split in two words by speech recognition ----------------------------------------------


def test_a_name_split_in_two_words_is_the_name(structure: Any) -> None:
    """Speech recognition writes long names as two words: "rega denoson", "tetro fosmin" are the agent and
    the tracer. Control: two words that join into no name ("tetra cycline") name no tracer."""
    text = "Pharmacologic stress with rega denoson 0.4 mg; rest and stress images with tetro fosmin. LVEF 58%."
    out = structure(text)
    assert value_at(out, "study.stress_agent") == "regadenoson"
    assert [t["value"] for t in out["study"]["tracers"]] == ["Tc-99m tetrofosmin"]
    control = structure("Treadmill exercise stress; on tetra cycline for acne. LVEF 58%.")
    assert control["study"]["tracers"] == []


# --- line breaks of a text written one paragraph a line -----------------------------------------------------------

_DICTATED = (
    "FINDINGS the patient walked on the treadmill for seven minutes reaching eight point five mets the heart rate "
    "response was appropriate there was no chest discomfort and the electrocardiogram was without ischemic change "
    "the stress and rest images show homogeneous tracer uptake throughout the left ventricle with normal motion\n\n"
    "CONCLUSION\n"
    "no perfusion defect to suggest ischemia or scar\n"
    "intermediate risk given the treadmill findings\n"
)


def test_each_line_of_an_unwrapped_text_is_a_statement(structure: Any) -> None:
    """A text written one paragraph a line (a dictation without punctuation) ends a statement at each line
    break: the denial on one line does not reach the risk on the next."""
    out = structure(_DICTATED)
    assert value_at(out, "impression.risk") == "intermediate"
    assert value_at(out, "impression.ischemia") == "absent"


def test_a_line_of_an_unwrapped_text_that_ends_on_a_dangling_word_goes_on(structure: Any) -> None:
    """Control: in the same text, a line that ends with "or" goes on in the next line, its denial with it."""
    out = structure(_DICTATED.replace("ischemia or scar\n", "ischemia or\nscar\n"))
    assert value_at(out, "impression.infarction") == "absent"
    assert value_at(out, "impression.risk") == "intermediate"


def test_a_wrapped_sentence_keeps_its_denial_across_the_line_break(structure: Any) -> None:
    """Control: in a text wrapped at a width, a line that goes on in lower case is the same sentence."""
    text = "IMPRESSION:\nNormal myocardial perfusion. No evidence of ischemia or\ninfarction. Low risk.\n"
    out = structure(text)
    assert value_at(out, "impression.infarction") == "absent"
    assert value_at(out, "impression.risk") == "low"


# --- a dictation's headers without a colon -------------------------------------------------------------------------


def test_a_capitalised_header_before_lower_case_prose_opens_its_section(structure: Any) -> None:
    """Dictation drops the colon after a header: "HISTORY exertional chest pressure ..." is the indication section,
    and "TECHNIQUE ..." ends it."""
    text = (
        "HISTORY exertional chest pressure for two months in a smoker\n\n"
        "TECHNIQUE treadmill stress with tetrofosmin the resting heart rate was 70 and the peak 150\n\n"
        "IMPRESSION normal perfusion low risk\n"
    )
    out = structure(text)
    assert value_at(out, "study.indication") == "exertional chest pressure for two months in a smoker"
    assert value_at(out, "impression.overall") == "normal"


def test_a_capitalised_word_inside_a_paragraph_opens_no_section(structure: Any) -> None:
    """Control: "SPECT images show ..." on the line after "IMPRESSION:" is the impression, not a findings header."""
    text = "Treadmill sestamibi study.\n\nIMPRESSION:\nSPECT images show a small reversible apical defect.\nLow risk.\n"
    assert value_at(structure(text), "impression.overall") == "abnormal"


# --- a vendor key that adds a free-text word to a header ----------------------------------------------------------


def test_a_header_key_with_a_free_text_suffix_is_that_header(structure: Any) -> None:
    """ "ConclusionNarrative:", "Indication_Note:" are the conclusion and the indication. Control: a suffixed key
    whose head is no header ("Technologist_Note: Abnormal.") gives no verdict."""
    text = (
        "StudyDate: 20260114\n"
        "Indication_Note: exertional dyspnea\n"
        "Procedure_Text: Tc-99m sestamibi rest/stress SPECT, treadmill\n"
        "LV_EF: 57 %\n"
        "ConclusionNarrative: Abnormal. Reversible inferior defect.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.overall") == "abnormal"
    assert span_at(out, text, "impression.overall") == "Abnormal"
    assert value_at(out, "study.indication") == "exertional dyspnea"
    control = text.replace("ConclusionNarrative", "Technologist_Note").replace(" Reversible inferior defect.", "")
    assert value_at(structure(control), "impression.overall") is None


# --- an addendum that corrects the study date ----------------------------------------------------------------------

_DATED_BODY = (
    "Date of service: 02/10/2026\nIndication: chest pain.\nTreadmill sestamibi SPECT. Normal perfusion. LVEF 62%.\n\n"
)


def test_an_addendum_that_corrects_the_date_gives_the_study_date(structure: Any) -> None:
    """An addendum that says the report's date was wrong gives the study's date, with its span."""
    text = _DATED_BODY + "ADDENDUM: the date of service above is in error; the scan was done on 02/09/2026.\n"
    out = structure(text)
    assert value_at(out, "study.study_date") == "2026-02-09"
    assert span_at(out, text, "study.study_date") == "02/09/2026"


def test_an_addendum_that_corrects_nothing_leaves_the_study_date(structure: Any) -> None:
    """Control: an addendum that only records a call, with its own date, does not move the study date."""
    text = _DATED_BODY + "ADDENDUM: results phoned to the referring office, date 02/11/2026.\n"
    assert value_at(structure(text), "study.study_date") == "2026-02-10"


# --- a slash pair after a named stress says less of the protocol's order -------------------------------------------


def test_a_stated_order_beats_the_slash_pair_after_a_named_stress(structure: Any) -> None:
    """ "Dipyridamole stress/rest SPECT, one-day rest-stress protocol": the stress of "dipyridamole stress" names the
    stress; the protocol is the order stated. Control: the same slash pair alone is the protocol."""
    text = "Dipyridamole stress/rest tetrofosmin SPECT, one-day rest-stress protocol. Normal perfusion. LVEF 59%."
    out = structure(text)
    assert value_at(out, "study.protocol") == "rest-stress"
    assert span_at(out, text, "study.protocol") == "one-day rest-stress"
    alone = structure("Dipyridamole stress/rest tetrofosmin SPECT. Normal perfusion. LVEF 59%.")
    assert value_at(alone, "study.protocol") == "stress-rest"


# --- an attending's attestation that regrades the defect -----------------------------------------------------------

_FELLOW_DRAFT = (
    "Rest/stress sestamibi SPECT.\nFINDINGS: A mild reversible defect of the anterior wall and apex. LVEF 60%.\n"
    "IMPRESSION: Abnormal study with anterior ischemia.\n\n"
)


def test_an_attestation_that_regrades_the_defect_amends_it(structure: Any) -> None:
    """An attending's attestation is an addendum: "the defect is moderate as opposed to mild" regrades the defect
    described, without a wall of its own and without a second defect."""
    text = _FELLOW_DRAFT + (
        "TEACHING PHYSICIAN ATTESTATION: I reviewed the images with the fellow; on review the defect is moderate "
        "as opposed to mild in severity. Otherwise I agree.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["severity"], d["reversibility"]) for d in defects] == [
        (["anterior", "apex"], "moderate", "reversible")
    ]


def test_an_attestation_that_agrees_leaves_the_defect(structure: Any) -> None:
    """Control: an attestation that agrees with the draft changes no grade."""
    text = _FELLOW_DRAFT + "ATTESTATION: I reviewed the images and agree with the findings above.\n"
    defects = structure(text)["perfusion"]["defects"]
    assert [(d["walls"], d["severity"]) for d in defects] == [(["anterior", "apex"], "mild")]


# --- speech recognition's homophone of "no" ------------------------------------------------------------------------


def test_know_written_for_no_denies(structure: Any) -> None:
    """Speech recognition writes "no" as "know": "know chest pain", "know significant ST changes", "know evidence
    of ischemia" are denials, read as such rather than as findings."""
    text = (
        "PROCEDURE treadmill exercise with sestamibi the patient had know chest pain and the EKG showed know "
        "significant ST changes\n\nIMPRESSION\nabnormal perfusion know evidence of ischemia small fixed apical defect\n"
    )
    out = structure(text)
    assert value_at(out, "stress_test.chest_pain") == "absent"
    assert value_at(out, "stress_test.ecg_response") == "nonischemic"
    assert value_at(out, "impression.ischemia") == "absent"


def test_know_in_its_own_phrases_denies_nothing(structure: Any) -> None:
    """Control: "wanted to know whether chest pain ..." is the verb, and denies nothing."""
    text = (
        "Treadmill sestamibi SPECT. The referring doctor wanted to know whether chest pain would recur; the "
        "patient had chest pain at peak exercise. Normal perfusion."
    )
    assert value_at(structure(text), "stress_test.chest_pain") == "present"
