"""Issue 16, struct_test9 round: one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the released set; each test names the mechanism it checks, and each
mechanism has a control where the value must still be read (or must not be). Expected values are literal.
"""

from __future__ import annotations

from typing import Any

from report_fields import value_at


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None, str | None]]:
    return [(d["walls"], d["territory"], d["reversibility"]) for d in out["perfusion"]["defects"]]


# --- a reduction of uptake named by its phase: 'reduced stress uptake' is a defect ---------------------------------


def test_a_reduction_of_uptake_qualified_by_its_phase_is_a_defect(structure: Any) -> None:
    """'diminished post-stress tracer uptake' (the phase between the verdict and the quantity) is a perfusion
    reduction like 'diminished tracer uptake': a defect, without the word 'defect'."""
    text = (
        "MYOCARDIAL PERFUSION SPECT\n"
        "Technique: Treadmill stress, 30 mCi Tc-99m sestamibi.\n"
        "Findings: A small zone of mildly diminished post-stress tracer uptake involves the inferior wall "
        "and fills in completely on the resting images. The remaining walls are normal.\n"
        "Impression: Abnormal study with mild inferior ischemia.\n"
    )
    out = structure(text)
    assert _defects(out) == [(["inferior"], None, "reversible")]


def test_a_phase_without_a_reduction_is_no_defect(structure: Any) -> None:
    """Control: the phase word with normal uptake makes no defect."""
    text = (
        "MYOCARDIAL PERFUSION SPECT\n"
        "Technique: Treadmill stress, 30 mCi Tc-99m sestamibi.\n"
        "Findings: Stress uptake is homogeneous in all walls and rest uptake is normal.\n"
        "Impression: Normal study.\n"
    )
    out = structure(text)
    assert _defects(out) == []
    assert value_at(out, "perfusion.result") == "normal"


# --- a flow table whose title names the column order, its numbers apart by slashes -----------------------------------

_FLOW_TABLE = (
    "CARDIAC PET/CT\n"
    "Technique: Rb-82 rest and dipyridamole stress PET/CT.\n"
    "Perfusion: Normal perfusion in all walls.\n"
    "\n"
    "Quantitative flow (ml/g/min): rest / stress / MFR\n"
    "  Anterior wall ....... 0.81 / 1.65 / 2.04\n"
    "  {row} ....... 0.90 / 2.10 / 2.33\n"
    "\n"
    "Impression: Normal study. MFR of the anterior wall 2.04.\n"
)


def test_a_flow_table_titled_with_its_column_order_gives_the_global_row(structure: Any) -> None:
    """The title names the columns after its colon, the rows separate their numbers with slashes after dot
    leaders: the whole ventricle's row gives the study's rest flow, stress flow and reserve, not a wall's."""
    out = structure(_FLOW_TABLE.format(row="Global"))
    assert value_at(out, "flow.rest_mbf") == 0.9
    assert value_at(out, "flow.stress_mbf") == 2.1
    assert value_at(out, "flow.mfr") == 2.33


def test_a_flow_table_without_a_global_row_gives_no_global_flow(structure: Any) -> None:
    """Control: with only territories' rows, no row is the whole ventricle's: no global stress or rest flow."""
    out = structure(_FLOW_TABLE.format(row="Inferior wall"))
    assert value_at(out, "flow.rest_mbf") is None
    assert value_at(out, "flow.stress_mbf") is None


# --- two phases' LVEF joined by a verb of change: the later phase is the post-stress value -------------------------


def test_lvef_values_joined_by_a_verb_of_change_keep_their_phases(structure: Any) -> None:
    """'48% at rest, increasing to 55% post-stress': the rest value, then the post-stress one (the main LVEF),
    as with a comma alone."""
    text = (
        "MYOCARDIAL PERFUSION PET\n"
        "Findings: Normal perfusion.\n"
        "Function: The gated ejection fraction was 48% at rest, increasing to 55% post-stress.\n"
        "Impression: Normal study.\n"
    )
    out = structure(text)
    assert value_at(out, "function.lvef_percent") == 55
    assert value_at(out, "function.rest_lvef_percent") == 48


def test_a_change_from_a_prior_study_is_not_read_as_two_phases(structure: Any) -> None:
    """Control: 'risen from 45% to 52%' still gives the later value only, with no rest LVEF."""
    text = (
        "MYOCARDIAL PERFUSION SPECT\n"
        "Findings: Normal perfusion.\n"
        "Function: The LVEF has risen from 45% to 52% since the study of 2023.\n"
        "Impression: Normal study.\n"
    )
    out = structure(text)
    assert value_at(out, "function.lvef_percent") == 52
    assert value_at(out, "function.rest_lvef_percent") is None


# --- a field hard-wrapped by a record viewer: the indented next line goes on with the statement ---------------------


def _wrapped_ecg(wrap: str) -> str:
    return (
        "NUCLEAR STRESS TEST\n"
        "PROTOCOL: Same-day rest/stress SPECT with sestamibi, dipyridamole stress.\n"
        f"ECG: Sinus rhythm, LBBB. No additional ST changes with{wrap}dipyridamole; ECG nondiagnostic for ischemia "
        "given LBBB.\n"
        "FINDINGS: Normal perfusion.\n"
        "IMPRESSION: Normal study.\n"
    )


def test_an_indented_wrapped_line_continues_its_statement(structure: Any) -> None:
    """A line break mid-sentence with the next line indented is a viewer's wrap: the ECG verdict of the
    statement is the same as written on one line (nondiagnostic, given the LBBB)."""
    assert value_at(structure(_wrapped_ecg("\n ")), "stress_test.ecg_response") == "nondiagnostic"
    assert value_at(structure(_wrapped_ecg(" ")), "stress_test.ecg_response") == "nondiagnostic"


def test_a_lower_case_key_on_the_next_line_is_no_wrap(structure: Any) -> None:
    """Control: an indented lower-case line that is a key ('  findings: ...') still starts its own section."""
    text = (
        "MYOCARDIAL PERFUSION SPECT\n"
        "indication: chest pain on exertion\n"
        "  findings: large severe reversible defect of the anterior wall\n"
        "impression: abnormal study\n"
    )
    out = structure(text)
    assert value_at(out, "study.indication") == "chest pain on exertion"
    assert [d["walls"] for d in out["perfusion"]["defects"]] == [["anterior"]]


# --- a chest symptom whose two words a wrap or a blank run sets apart is still the symptom ---------------------------


def _symptom(said: str) -> str:
    return (
        "NUCLEAR STRESS TEST\n"
        "PROTOCOL: One-day rest/stress SPECT, Tc-99m tetrofosmin, adenosine stress.\n"
        f"SYMPTOMS: Warmth during the infusion. The patient reported no retrosternal{said}\n"
        "FINDINGS: Normal perfusion.\n"
        "IMPRESSION: Normal study.\n"
    )


def test_a_chest_symptom_wrapped_over_two_lines_is_denied(structure: Any) -> None:
    """'no retrosternal' then, on the next line, 'discomfort' (wrapped, or with the wrap's blanks left): the
    denied symptom is chest pain, absent."""
    assert value_at(structure(_symptom("\n  discomfort.")), "stress_test.chest_pain") == "absent"
    assert value_at(structure(_symptom("\ndiscomfort.")), "stress_test.chest_pain") == "absent"
    assert value_at(structure(_symptom("    discomfort.")), "stress_test.chest_pain") == "absent"


def test_a_chest_word_without_a_symptom_after_it_is_no_chest_pain(structure: Any) -> None:
    """Control: 'retrosternal' followed on the next line by another word names no chest symptom."""
    assert value_at(structure(_symptom("\n  warmth.")), "stress_test.chest_pain") is None


# --- wall motion called normal by its Greek-derived term ('normokinetic') ------------------------------------------


def _gated(said: str) -> str:
    return (
        "MYOCARDIAL PERFUSION SPECT\n"
        "Findings: Normal perfusion.\n"
        f"Gated SPECT: LVEF 61%. {said}\n"
        "Impression: Normal study.\n"
    )


def test_normokinetic_walls_are_normal_wall_motion(structure: Any) -> None:
    """'The walls are normokinetic' / 'normokinesia throughout': the wall motion is normal."""
    assert value_at(structure(_gated("The walls are normokinetic.")), "function.wall_motion") == "normal"
    assert value_at(structure(_gated("Normokinesia throughout.")), "function.wall_motion") == "normal"


def test_a_hypokinetic_wall_is_still_abnormal_wall_motion(structure: Any) -> None:
    """Control: the kinesis word of a reduced motion stays abnormal."""
    assert value_at(structure(_gated("The apex is hypokinetic.")), "function.wall_motion") == "abnormal"


# --- a bracketed aside between a phase and its LVEF label ----------------------------------------------------------


def test_a_bracketed_aside_between_the_phase_and_the_lvef_label_keeps_the_phase(structure: Any) -> None:
    """'resting (second visit) LVEF 60%': the aside in brackets stands between the phase and the label; the
    value is still the rest LVEF, the gated post-stress one the main LVEF."""
    text = (
        "MYOCARDIAL PERFUSION SCINTIGRAPHY\n"
        "Technique: Two-day stress/rest sestamibi.\n"
        "Findings: Normal perfusion. Post-stress EF 55% with normal wall motion; resting (visit 2) EF 60%.\n"
        "Conclusion: Normal study.\n"
    )
    out = structure(text)
    assert value_at(out, "function.lvef_percent") == 55
    assert value_at(out, "function.rest_lvef_percent") == 60


# --- a one-day protocol abbreviated to its phases' initials ('1-day S/R') -------------------------------------------


def _terse(protocol: str) -> str:
    return f"NUC STRESS\nTetrofosmin, {protocol} gated SPECT, treadmill.\nPerf: nml.\nIMP: Normal MPI.\n"


def test_a_one_day_protocol_by_its_initials_gives_the_order(structure: Any) -> None:
    """'one-day S/R' is stress then rest, 'same day R/S' rest then stress: the initials in the order written."""
    assert value_at(structure(_terse("one-day S/R")), "study.protocol") == "stress-rest"
    assert value_at(structure(_terse("same day R/S")), "study.protocol") == "rest-stress"


def test_initials_without_a_one_day_qualifier_give_no_protocol(structure: Any) -> None:
    """Control: 'R/S' alone (no 'one day') is too ambiguous to be read as a protocol."""
    assert value_at(structure(_terse("R/S")), "study.protocol") is None


# --- thallium redistribution images with their delay after them -----------------------------------------------------


def _thallium(images: str) -> str:
    return (
        "THALLIUM MYOCARDIAL PERFUSION STUDY\n"
        f"Procedure: Dipyridamole infusion, 3 mCi Tl-201 at 7 minutes. Stress SPECT at once, {images}.\n"
        "Findings: A mild fixed defect of the apex; otherwise normal perfusion.\n"
        "Impression: Abnormal study, small apical scar.\n"
    )


def test_redistribution_images_with_the_delay_after_them_give_stress_rest(structure: Any) -> None:
    """'redistribution images obtained after 3 h': stress imaging, then the redistribution hours later."""
    out = structure(_thallium("redistribution images obtained after 3 h"))
    assert value_at(out, "study.protocol") == "stress-rest"
    assert [d["reversibility"] for d in out["perfusion"]["defects"]] == ["fixed"]


def test_a_delay_that_is_not_of_the_redistribution_images_gives_no_protocol(structure: Any) -> None:
    """Control: a delay said of something else ('the patient left after 3 hours') is no protocol."""
    out = structure(_thallium("and the patient left after 3 hours"))
    assert value_at(out, "study.protocol") is None


# --- a finding that only 'suggests' a diagnosis hedges it ------------------------------------------------------------


def _conclusion(said: str) -> str:
    return (
        "MYOCARDIAL PERFUSION SPECT\n"
        "Technique: Exercise stress/rest sestamibi.\n"
        "Findings: Mild fixed defect of the basal inferolateral wall.\n"
        f"Conclusion: Abnormal study. {said}\n"
    )


def test_a_finding_that_suggests_an_infarct_makes_it_uncertain(structure: Any) -> None:
    """'a fixed defect which suggests a small old infarct': the infarction is stated as likely, not as certain."""
    out = structure(_conclusion("Fixed inferolateral defect which suggests a small old infarct."))
    assert value_at(out, "impression.infarction") == "present"
    assert out["impression"]["infarction"]["certainty"] == "uncertain"


def test_a_plainly_stated_infarct_stays_affirmed(structure: Any) -> None:
    """Control: 'consistent with a small old infarct' states it."""
    out = structure(_conclusion("Fixed inferolateral defect consistent with a small old infarct."))
    assert value_at(out, "impression.infarction") == "present"
    assert out["impression"]["infarction"]["certainty"] == "affirmed"
