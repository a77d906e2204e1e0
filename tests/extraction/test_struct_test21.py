"""struct_test21 round (helper struct35): one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set (bench/data/struct_test21); each test names the
mechanism it checks, and each mechanism has a control. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

_MPI = "Technique: Same-day rest/stress Tc-99m tetrofosmin gated SPECT with adenosine.\n"


def _val(out: dict[str, Any], section: str, key: str) -> Any:
    found = out[section][key]
    return None if found is None else found["value"]


# --- OCR: a two-letter "N0" (zero for O) is the negation "No" -------------------------------------------------


def test_ocr_zero_in_a_short_negation_reads_as_no(structure: Any) -> None:
    text = (
        "EXAM: DIPYRlDAMOLE SPECT, Tc-99m TETR0F0SMlN\n"
        "STRESS: Heart rate 6l to 88 bpm. N0 angina during the infusi0n.\n"
        "FINDINGS: Small mild fixed apical defect, likely attenuati0n.\n"
        "IMPRESSION: N0 ischemia. LVEF 58%.\n"
    )
    out = structure(text)
    assert _val(out, "stress_test", "chest_pain") == "absent"
    assert _val(out, "impression", "ischemia") == "absent"
    start, end = out["stress_test"]["chest_pain"]["span"]
    assert "N0" in text[start - 3 : end] or "angina" in text[start:end]


def test_ocr_short_word_control_a_lead_name_stays_as_written(structure: Any) -> None:
    text = _MPI + "ECG: 1 mm ST depression in V1 and V2 during infusion.\nIMPRESSION: Reversible anterior ischemia.\n"
    out = structure(text)
    assert _val(out, "impression", "ischemia") == "present"


# --- a defect "somewhat better at rest" is partly reversible; plain reversal stays reversible ------------------


def test_a_defect_only_partly_better_at_rest_is_partially_reversible(structure: Any) -> None:
    text = _MPI + "Findings: Moderate inferolateral defect on stress, slightly better on the rest images.\n"
    out = structure(text)
    assert [d["reversibility"] for d in out["perfusion"]["defects"]] == ["partially reversible"]


def test_partly_better_control_a_full_reversal_is_reversible(structure: Any) -> None:
    text = _MPI + "Findings: Moderate inferolateral defect on stress which normalizes at rest.\n"
    out = structure(text)
    assert [d["reversibility"] for d in out["perfusion"]["defects"]] == ["reversible"]


# --- translated wordings: "Duke index", an ECG "conclusive/diagnostic for ischemia", "Not previous studies" ----

_EX = "Technique: Same-day rest/stress Tc-99m sestamibi gated SPECT after a Bruce treadmill test.\n"


def test_a_duke_index_is_the_duke_treadmill_score(structure: Any) -> None:
    out = structure(_EX + "Exercise 5 minutes. Duke index of -6. No angina.\nImpression: Normal perfusion.\n")
    assert _val(out, "stress_test", "duke_treadmill_score") == -6


def test_an_ecg_conclusive_for_ischemia_is_ischemic(structure: Any) -> None:
    text = _EX + "Electrocardiogram: flat ST depression of 3 mm in the lateral leads, conclusive for ischemia.\n"
    assert _val(structure(text), "stress_test", "ecg_response") == "ischemic"


def test_ecg_wording_control_not_conclusive_is_equivocal(structure: Any) -> None:
    text = _EX + "Electrocardiogram: 1 mm upsloping ST depression in V5, not conclusive for ischemia.\n"
    assert _val(structure(text), "stress_test", "ecg_response") == "equivocal"


def test_a_statement_opening_not_previous_means_no_prior(structure: Any) -> None:
    text = _EX + "Conclusion:\n- Normal perfusion.\n- Not previous exams available for comparing.\n"
    assert _val(structure(text), "impression", "comparison") == "no prior"


def test_ecg_wording_control_a_perfusion_sentence_conclusive_for_ischemia_is_no_ecg_verdict(structure: Any) -> None:
    text = (
        _EX + "Findings: Moderate reversible anterior defect.\nImpression: Perfusion imaging conclusive for ischemia.\n"
    )
    assert _val(structure(text), "stress_test", "ecg_response") is None


def test_no_prior_control_a_verb_before_not_is_no_denial_of_a_prior(structure: Any) -> None:
    text = (
        _EX + "Impression: Normal perfusion. Versus the 2022 study, which was not previous to the bypass: unchanged.\n"
    )
    assert _val(structure(text), "impression", "comparison") != "no prior"


# --- a numbered checkbox form: item codes ("Q4 Ischemia:") do not hide the key; "Indication code:" header ------

_FORM = (
    "Q1 Modality:  [ ] PET  [x] SPECT\n"
    "Q2 Tracer:  [x] Tc-99m sestamibi  [ ] Rb-82\n"
    "Q3 Indication code: I25.10 - stable angina, follow-up\n"
    "Q4 Perfusion:  [ ] Normal  [x] Abnormal\n"
    "Q5 Overall:  [ ] Normal  [x] Abnormal\n"
    "Q6 Ischemia:  [x] Yes  [ ] No\n"
    "Q7 Infarction:  [ ] Yes  [x] No\n"
)


def test_numbered_form_items_are_read_by_their_keys(structure: Any) -> None:
    out = structure(_FORM)
    assert _val(out, "perfusion", "result") == "abnormal"
    assert _val(out, "impression", "overall") == "abnormal"
    assert _val(out, "impression", "ischemia") == "present"
    assert _val(out, "impression", "infarction") == "absent"
    assert _val(out, "study", "indication") == "I25.10 - stable angina, follow-up"


def test_form_code_view_blanks_codes_only_in_a_numbered_checkbox_form() -> None:
    from extraction.pipeline import form_code_view

    assert form_code_view("B1 Perfusion:  [x] Normal\nB2 Risk:  [x] Low\nB3 Ischemia:  [ ] Yes  [x] No\n") == (
        "   Perfusion:  [x] Normal\n   Risk:  [x] Low\n   Ischemia:  [ ] Yes  [x] No\n"
    )
    prose = "V1 and V2: 1 mm ST depression.\nV3 to V5: no change.\nV6 lead: normal.\n"
    assert form_code_view(prose) == prose


# --- "Rest and stress <study> was performed" with doses in the report: rest first --------------------------------


def test_rest_and_stress_study_performed_with_doses_is_rest_stress(structure: Any) -> None:
    text = (
        "Procedure: Rest and stress Rb-82 PET imaging was performed on a PET/CT camera. 40 mCi of Rb-82 at rest; "
        "dipyridamole stress then followed with a further 40 mCi.\nImpression: Normal perfusion.\n"
    )
    assert _val(structure(text), "study", "protocol") == "rest-stress"


def test_rest_and_stress_control_without_doses_names_no_order(structure: Any) -> None:
    text = (
        "Procedure: Rest and stress SPECT images were obtained on a dedicated camera.\nImpression: Normal perfusion.\n"
    )
    assert _val(structure(text), "study", "protocol") is None


# --- a wall-motion word broken in two by OCR ("hypo kinesis") is still the word --------------------------------


def test_a_wall_motion_word_split_by_a_blank_is_abnormal_wall_motion(structure: Any) -> None:
    text = _MPI + "Gated SPECT: dys kinesis of the apical segments. LVEF 41%.\n"
    assert _val(structure(text), "function", "wall_motion") == "abnormal"


def test_split_word_control_two_real_words_stay_apart(structure: Any) -> None:
    text = _MPI + "Gated SPECT: the kinetics of the walls look normal. LVEF 60%.\n"
    assert _val(structure(text), "function", "wall_motion") != "abnormal"


# --- OCR: a lone small "l" as a labelled value in a text whose numbers OCR garbled is the digit one -----------


def test_ocr_lone_l_after_a_label_is_one_in_a_garbled_text() -> None:
    from extraction.pipeline import ocr_view

    text = "HR 6l to 9O bpm. BP l32/8O.\nSSS 3, SRS 2, SDS l.\n"
    view, _ = ocr_view(text)
    assert view == "HR 61 to 90 bpm. BP 132/80.\nSSS 3, SRS 2, SDS 1.\n"


def test_ocr_lone_l_control_a_clean_text_and_a_litre_stay() -> None:
    from extraction.pipeline import ocr_view

    clean = "Oxygen 2 l by nasal cannula. SDS l.\n"
    assert ocr_view(clean)[0] == clean
    garbled = "HR 6l to 9O bpm. BP l32/8O. Oxygen 2 l by cannula.\n"
    assert ocr_view(garbled)[0] == "HR 61 to 90 bpm. BP 132/80. Oxygen 2 l by cannula.\n"


# --- an indication cue as the subject of its sentence: the reason starts after its verb -----------------------


def test_the_reason_said_after_the_verb_of_its_cue(structure: Any) -> None:
    text = (
        "Dear Dr Hale,\nWe saw your patient for a perfusion scan. The reason for referral was palpitations on "
        "exertion in a man with hypertension.\n" + _MPI + "Conclusion: Normal perfusion.\n"
    )
    assert _val(structure(text), "study", "indication") == "palpitations on exertion in a man with hypertension"


def test_reason_control_a_cue_without_a_verb_keeps_its_reason(structure: Any) -> None:
    text = "Dear Dr Hale,\nReferred for palpitations on exertion.\n" + _MPI + "Conclusion: Normal perfusion.\n"
    assert _val(structure(text), "study", "indication") == "palpitations on exertion"
