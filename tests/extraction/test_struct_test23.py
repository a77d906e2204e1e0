"""struct_test23 round (helper struct38): one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set (bench/data/struct_test23); each test names the
mechanism it checks, and most mechanisms have a control. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

_MPI = "Technique: Same-day rest/stress Tc-99m sestamibi gated SPECT after a Bruce treadmill test.\n"


def _val(out: dict[str, Any], section: str, key: str) -> Any:
    found = out[section][key]
    return None if found is None else found["value"]


# --- a lung scan whose patient story (past the vitals that end the indication's scope) names the heart ------------

_LUNG = (
    "ST. ELSEWHERE NUCLEAR MEDICINE\n\n"
    "STUDY: PULMONARY VENTILATION AND PERFUSION SCAN\n"
    "DATE OF EXAM: 04/11/2026\n\n"
    "HISTORY: Sudden breathlessness after knee surgery. Pulse 118, BP 104/66. Echo last week: LVEF 55%, "
    "normal right ventricular size.\n\n"
    "TECHNIQUE: Krypton ventilation, then 4 mCi Tc-99m MAA.\n\n"
    "FINDINGS: Two segmental perfusion defects in the left lower lobe, anterior and lateral basal segments, "
    "with preserved ventilation.\n\n"
    "IMPRESSION: High probability of pulmonary embolism.\n"
)


def test_lung_scan_heart_words_in_its_history_make_no_myocardial_defects(structure: Any) -> None:
    out = structure(_LUNG)
    assert out["perfusion"]["defects"] == []
    assert out["perfusion"]["result"] is None


def test_lung_scan_echo_fraction_in_its_history_is_no_lvef(structure: Any) -> None:
    out = structure(_LUNG)
    assert _val(out, "function", "lvef_percent") is None
    assert _val(out, "function", "rest_lvef_percent") is None


def test_lung_scan_control_a_myocardial_finding_keeps_the_heart_study(structure: Any) -> None:
    text = _LUNG.replace("IMPRESSION:", "Incidental gated myocardial images: LVEF 62%.\n\nIMPRESSION:")
    out = structure(text)
    assert _val(out, "function", "lvef_percent") == 62


# --- a wall named as the border of the defect is no wall of it ---------------------------------------------------


def test_defect_border_walls_are_not_added_to_the_defect(structure: Any) -> None:
    text = _MPI + (
        "Perfusion: Large severe fixed defect of the mid and basal anterolateral wall with slight fill-in along its "
        "anterior and lateral margins (LCx).\nImpression: Abnormal study.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [d["walls"] for d in defects] == [["anterolateral"]]


def test_defect_border_control_two_walls_named_as_walls_stay(structure: Any) -> None:
    text = _MPI + (
        "Perfusion: Moderate reversible defect of the inferior and lateral walls (LCx).\nImpression: Abnormal study.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert len(defects) == 1
    assert sorted(defects[0]["walls"]) == ["inferior", "lateral"]


# --- a birth-date label followed by its translation ---------------------------------------------------------------


def test_translated_birth_date_label_gives_no_study_date(structure: Any) -> None:
    text = (
        "Date of birth / Geburtsdatum : 2 May 1949\n"
        "Exam date / Untersuchungsdatum : 17 February 2026\n" + _MPI + "Impression: Normal perfusion.\n"
    )
    assert _val(structure(text), "study", "study_date") == "2026-02-17"


# --- a summed-score row of a segmental score table ---------------------------------------------------------------

_SEGMENTS = (
    "SEGMENT SCORES (0 normal - 4 absent)\n"
    "No.  Segment              Stress   Rest\n"
    " 1   Basal anterior         2       0\n"
    " 7   Mid anterior           3       1\n"
    "13   Apical anterior        2       0\n"
    "     TOTAL                  7       1\n"
)


def test_score_table_sum_row_gives_sss_and_srs_by_column(structure: Any) -> None:
    out = structure(_MPI + _SEGMENTS + "\nImpression: Anterior ischemia.\n")
    assert (_val(out, "perfusion", "sss"), _val(out, "perfusion", "srs")) == (7, 1)
    assert _val(out, "perfusion", "sds") is None


def test_score_table_difference_named_after_the_sum_row_is_the_sds(structure: Any) -> None:
    table = _SEGMENTS.replace("TOTAL                  7       1", "TOTAL                  7       1    diff = 6")
    out = structure(_MPI + table + "\nImpression: Anterior ischemia.\n")
    assert _val(out, "perfusion", "sds") == 6


def test_score_table_rest_column_first_is_read_in_its_order(structure: Any) -> None:
    table = _SEGMENTS.replace("Stress   Rest", "Rest   Stress")
    out = structure(_MPI + table + "\nImpression: Anterior ischemia.\n")
    assert (_val(out, "perfusion", "sss"), _val(out, "perfusion", "srs")) == (1, 7)


def test_score_table_control_stated_scores_win_over_the_table(structure: Any) -> None:
    out = structure(_MPI + _SEGMENTS + "\nSSS 9, SRS 2, SDS 7.\nImpression: Anterior ischemia.\n")
    assert (_val(out, "perfusion", "sss"), _val(out, "perfusion", "srs")) == (9, 2)


# --- shorthand conclusions ------------------------------------------------------------------------------------------


def test_neg_for_denies_the_ischemia(structure: Any) -> None:
    out = structure(_MPI + "IMPRESSION:\n- normal perfusion\n- neg for ischemia\n")
    assert _val(out, "impression", "ischemia") == "absent"


def test_impression_header_with_an_aside_before_its_colon(structure: Any) -> None:
    out = structure(_MPI + "Images: homogeneous uptake.\n\nSUMMARY (phoned to Dr. Ng):\n- normal perfusion\n")
    assert _val(out, "impression", "overall") == "normal"


# --- a unit in brackets after a key's last word ----------------------------------------------------------------------


def test_bracketed_unit_after_key_word_reads_the_ischemic_tpd(structure: Any) -> None:
    text = _MPI + "TPD_Stress(%): 12\nTPD_Ischemic(%): 9\nSSS: 6\n"
    out = structure(text)
    assert _val(out, "perfusion", "ischemic_tpd_percent") == 9
    assert _val(out, "perfusion", "stress_tpd_percent") == 12


# --- an export's time stamp, and a prior-study key answered with a denial -------------------------------------------


def test_export_stamp_is_no_study_date(structure: Any) -> None:
    text = "Exported_On: 2026-03-02T10:15:00\nAcquisition_Date: 2026-02-27\n" + _MPI
    assert _val(structure(text), "study", "study_date") == "2026-02-27"


def test_prior_exam_key_answered_none_is_no_prior(structure: Any) -> None:
    out = structure(_MPI + "Previous_Exam: None\nConclusion: Normal perfusion.\n")
    assert _val(out, "impression", "comparison") == "no prior"


def test_prior_key_control_a_past_finding_key_is_no_comparison(structure: Any) -> None:
    out = structure(_MPI + "Prior_MI: No\nConclusion: Normal perfusion.\n")
    assert _val(out, "impression", "comparison") is None


# --- a list's earlier item's denial does not reach the LV size ------------------------------------------------------


def test_lv_size_after_a_denied_list_item_is_read_as_stated(structure: Any) -> None:
    out = structure(_MPI + "Gated: No TID, LV not dilated, EF 58%.\nImpression: Normal perfusion.\n")
    assert _val(out, "function", "lv_size") == "normal"


def test_lv_size_control_a_denial_right_before_it_still_denies(structure: Any) -> None:
    out = structure(_MPI + "Gated: EF 58%, no TID or LV enlargement.\nImpression: Normal perfusion.\n")
    assert _val(out, "function", "lv_size") is None


# --- extracardiac activity denied: image quality, not an artifact verdict -------------------------------------------


def test_denied_extracardiac_activity_gives_no_artifact_value(structure: Any) -> None:
    out = structure(_MPI + "Image quality: adequate, no significant extracardiac activity.\nImpression: Normal.\n")
    assert out["perfusion"]["artifact"] is None


def test_artifact_control_denied_attenuation_is_none(structure: Any) -> None:
    out = structure(_MPI + "No significant attenuation artifact.\nImpression: Normal perfusion.\n")
    assert _val(out, "perfusion", "artifact") == "none"


# --- headers in two languages ----------------------------------------------------------------------------------------


def test_bilingual_header_alone_on_its_line_opens_its_section(structure: Any) -> None:
    text = (
        "REASON FOR STUDY / MOTIF DE L'EXAMEN\n"
        "Atypical chest pain with exertion.\n\n" + _MPI + "\nIMPRESSION / CONCLUSION\nNormal perfusion study.\n"
    )
    out = structure(text)
    assert _val(out, "study", "indication") == "Atypical chest pain with exertion"
    assert _val(out, "impression", "overall") == "normal"


def test_bilingual_header_control_two_different_headers_open_nothing_new(structure: Any) -> None:
    text = _MPI + "Rest / Stress: 10 / 30 mCi\nImpression: Normal perfusion.\n"
    out = structure(text)
    assert _val(out, "study", "indication") is None
    assert _val(out, "impression", "overall") == "normal"
