"""Issue 16, eighth round (struct_test5, after its two sealed scorings): one test per general mechanism.

Each report below is a paraphrase written for the test, not the wording of the blind report; the test names
the mechanism it checks. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import span_at, value_at

# --- the study date: a study "performed <date>", a letter's typing date, the order of an ambiguous date ---------


def test_a_study_performed_on_a_date_without_on_and_a_typing_date(structure: Any) -> None:
    """'Date typed:' is the letter's date, not the study's; 'scintigraphy performed 04/02/2025' labels the study
    date (wording.json DATE target; extraction.assemble._date)."""
    text = (
        "Cardiac Imaging Unit\nDate typed: 19/02/2025\n\nDear Dr Brown,\n"
        "Re: Mr John SMITH  DOB 03/08/1950\nStress perfusion scintigraphy performed 04/02/2025\n\n"
        "He walked for seven minutes. Perfusion was normal with an ejection fraction of 61%.\n"
    )
    out = structure(text)
    assert value_at(out, "study.study_date") == "2025-02-04"
    assert span_at(out, text, "study.study_date") == "04/02/2025"
    assert out["study"]["study_date"]["certainty"] == "affirmed"


def test_done_some_hours_later_is_no_date_label(structure: Any) -> None:
    text = "Rest imaging done 4 hours later.\nStudy date: 11/21/2024\nNormal perfusion.\n"
    out = structure(text)
    assert value_at(out, "study.study_date") == "2024-11-21"


@pytest.mark.parametrize(
    ("writing", "iso", "certainty"),
    [
        ("400 MBq of Tc-99m tetrofosmin at rest.", "2025-04-08", "affirmed"),  # MBq: day first
        ("No inducible ischaemia.", "2025-04-08", "affirmed"),  # a British spelling: day first
        ("10 mCi of Tc-99m sestamibi at rest.", "2025-08-04", "affirmed"),  # mCi alone: US, month first
        ("370 MBq (10 mCi) of sestamibi at rest.", "2025-08-04", "uncertain"),  # both: left open
        ("Sestamibi at rest.", "2025-08-04", "uncertain"),  # neither
        ("New England Heart Institute.", "2025-08-04", "uncertain"),  # a US region, not the country
        ("Royal Infirmary, England.", "2025-04-08", "affirmed"),
    ],
)
def test_the_writing_of_a_report_orders_an_ambiguous_date(
    structure: Any, writing: str, iso: str, certainty: str
) -> None:
    """Without a date that settles it, the units, spellings and country words of the report order '08/04/2025'
    (wording.json date_order_words; extraction.assemble._day_first)."""
    text = f"Study date: 08/04/2025\n{writing} Normal perfusion.\n"
    out = structure(text)
    assert value_at(out, "study.study_date") == iso
    assert out["study"]["study_date"]["certainty"] == certainty


def test_an_unambiguous_date_wins_over_the_writing(structure: Any) -> None:
    """'Signed 11/25/2025' is month first whatever the spelling: dates settle the order before words do."""
    text = "Study date: 08/04/2025\nNo ischaemia. Normal perfusion.\nSigned 11/25/2025\n"
    out = structure(text)
    assert value_at(out, "study.study_date") == "2025-08-04"
    assert out["study"]["study_date"]["certainty"] == "affirmed"


def test_a_result_time_stamp_yields_to_the_exam_date(structure: Any) -> None:
    text = "Resulted: 05/13/2025 17:02   Status: Final\n\nExam date: 05/12/2025\nNormal myocardial perfusion.\n"
    out = structure(text)
    assert value_at(out, "study.study_date") == "2025-05-12"
    assert span_at(out, text, "study.study_date") == "05/12/2025"


def test_a_date_verb_written_as_a_key_stays_a_key(structure: Any) -> None:
    text = "Patient: Doe, Jane   Acquired: 2024/10/30\nHistory: chest pain.\nNormal perfusion, EF 58%.\n"
    assert value_at(structure(text), "study.study_date") == "2024-10-30"


# --- values after a label split from them by the sentence splitter --------------------------------------------


@pytest.mark.parametrize(
    ("line", "minutes", "quote"),
    [
        ("Treadmill data:\nEx. time - 08:45 mins, stage III, METS 10.1", 8.75, "08:45 mins"),
        ("Exercise: 7 min 30 sec on the Bruce protocol, 8.9 METs.", 7.5, "7 min 30 sec"),
    ],
)
def test_a_duration_after_a_label_the_sentence_splitter_cut(
    structure: Any, line: str, minutes: float, quote: str
) -> None:
    """'Ex.' ends a sentence inside its label, 'Exercise:' ends one at its colon: the values are still the
    label's (extraction.assemble._Ctx.label_sentence_end)."""
    text = f"{line}\nChest pain resolved in recovery by 2 mins.\nNormal perfusion.\n"
    out = structure(text)
    assert value_at(out, "stress_test.exercise_duration_min") == minutes
    assert span_at(out, text, "stress_test.exercise_duration_min") == quote


# --- an addendum that corrects a value in its next sentence ----------------------------------------------------


def test_addendum_gives_the_corrected_value_in_the_next_sentence(structure: Any) -> None:
    text = (
        "FINDINGS: Normal perfusion. SSS 0. TID 1.25.\n\nIMPRESSION: Normal study.\n\n"
        "ADDENDUM: The TID ratio above is a typing error. The correct value is 0.98.\n"
    )
    out = structure(text)
    assert value_at(out, "function.tid_ratio") == 0.98
    assert span_at(out, text, "function.tid_ratio") == "0.98"


def test_addendum_sentence_without_a_correction_changes_nothing(structure: Any) -> None:
    text = (
        "FINDINGS: Normal perfusion. TID 1.25.\n\nIMPRESSION: Normal study.\n\n"
        "ADDENDUM: TID was discussed with the referrer. Follow-up in 12 months.\n"
    )
    assert value_at(structure(text), "function.tid_ratio") == 1.25


# --- the phase of a rate or pressure from the stress agent named before it -------------------------------------


def test_agent_named_before_the_labels_gives_the_peak(structure: Any) -> None:
    text = (
        "Stress: Baseline HR 70, BP 130/76. Following regadenoson, HR 95, BP 122/70. No chest pain.\n"
        "Normal perfusion.\n"
    )
    out = structure(text)
    assert value_at(out, "stress_test.rest_hr_bpm") == 70
    assert value_at(out, "stress_test.peak_hr_bpm") == 95
    assert value_at(out, "stress_test.rest_bp") == "130/76"
    assert value_at(out, "stress_test.peak_bp") == "122/70"


def test_agent_still_to_come_is_no_peak(structure: Any) -> None:
    text = "Stress: Prior to adenosine, HR 66. Normal perfusion.\n"
    out = structure(text)
    assert value_at(out, "stress_test.rest_hr_bpm") == 66
    assert value_at(out, "stress_test.peak_hr_bpm") is None


# --- a symptom during the test wins over a denial told of the time before it -----------------------------------


def test_symptom_after_the_bolus_wins_over_a_denial_on_arrival(structure: Any) -> None:
    text = (
        "PROCEDURE: Rest images were acquired. She had no chest pain on arrival. Regadenoson 0.4 mg was given. "
        "She reported chest tightness and nausea shortly after the bolus, both gone within two minutes.\n\n"
        "IMPRESSION: Normal perfusion.\n"
    )
    out = structure(text)
    assert value_at(out, "stress_test.chest_pain") == "present"
    assert span_at(out, text, "stress_test.chest_pain") == "chest tightness"


def test_a_denial_on_arrival_alone_still_says_absent(structure: Any) -> None:
    text = "PROCEDURE: She had no chest pain on arrival. Regadenoson was given.\n\nIMPRESSION: Normal perfusion.\n"
    assert value_at(structure(text), "stress_test.chest_pain") == "absent"


# --- "apical segments" of named walls are their level, not the apex ---------------------------------------------


def test_apical_segments_of_named_walls_are_no_apex(structure: Any) -> None:
    text = (
        "Technique: Tc-99m sestamibi gated SPECT.\n"
        "Findings: Stress images show a mild reduction of uptake in the inferior wall and inferoseptum "
        "(basal and apical segments), which improves at rest.\n\nImpression: Abnormal study, RCA ischaemia.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [d["walls"] for d in defects] == [["inferior", "inferoseptal"]]


def test_apical_segments_alone_are_the_apical_ring_and_the_apical_segment_the_apex(structure: Any) -> None:
    """AHA 17-segment model: segments 13-16 are the apical ring, segment 17 the apex. Two blind writers
    (struct_test15, struct_dev17) read "the apical segments" alone as the apical walls; so does this convention."""
    text = (
        "Technique: Tc-99m sestamibi gated SPECT.\n"
        "Findings: Small reversible defect in the apical segments.\n\nImpression: Abnormal study.\n"
    )
    defects = structure(text)["perfusion"]["defects"]
    assert [d["walls"] for d in defects] == [["apical"]]
    defects = structure(text.replace("apical segments", "apical segment"))["perfusion"]["defects"]
    assert [d["walls"] for d in defects] == [["apex"]]
    defects = structure(text.replace("in the apical segments", "at the apex"))["perfusion"]["defects"]
    assert [d["walls"] for d in defects] == [["apex"]]


# --- under a "probably normal" verdict the findings' denial is the affirmed statement --------------------------


def test_probably_normal_with_a_stated_denial(structure: Any) -> None:
    text = (
        "Reader notes: Mild fixed inferior reduction on supine images only, in keeping with attenuation. "
        "No evidence of ischemia or scar.\nIMPRESSION: Probably normal myocardial perfusion.\n"
    )
    out = structure(text)
    for field in ("impression.ischemia", "impression.infarction"):
        assert value_at(out, field) == "absent"
        section, name = field.split(".")
        assert out[section][name]["certainty"] == "affirmed"
    assert span_at(out, text, "impression.ischemia") == "No evidence of ischemia"


def test_probably_normal_without_a_denial_stays_uncertain(structure: Any) -> None:
    text = "Reader notes: Mild inferior attenuation.\nIMPRESSION: Probably normal myocardial perfusion.\n"
    out = structure(text)
    assert value_at(out, "impression.ischemia") == "absent"
    assert out["impression"]["ischemia"]["certainty"] == "uncertain"
