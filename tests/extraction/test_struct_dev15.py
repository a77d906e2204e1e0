"""struct_dev15 round (struct22): one test per general mechanism, in wordings written for the test.

None of the reports below is the wording of the blind set; each test names the mechanism it checks, and most have a
control where the value must still be read (or must not be). Expected values are literal.
"""

from __future__ import annotations

from typing import Any

import pytest
from report_fields import span_at, value_at

_MPI = "Technique: Rest/stress Tc-99m sestamibi gated SPECT.\n"


def _defects(out: dict[str, Any]) -> list[tuple[list[str], str | None, str | None, str | None, str]]:
    return [
        (d["walls"], d["severity"], d["extent"], d["reversibility"], d["certainty"])
        for d in out["perfusion"]["defects"]
    ]


# --- a fill-in form: its blanks are layout, and a header alone at the margin opens its indented rows -------------


_FORM = (
    "CARDIAC IMAGING WORKSHEET\n"
    "Indication: ___Atypical chest pain, family history___\n"
    "Isotope: [x] Tc-99m tetrofosmin  [ ] Rb-82\n"
    "\n"
    "TREADMILL\n"
    "  Duration: __7__ min __30__ sec     Workload: __8.6__ METs\n"
    "  HR at rest: __64__ bpm   Max HR: __150__ bpm   __91__ % MPHR\n"
    "  BP at rest: __132/78__   Max BP: __170/84__\n"
    "\n"
    "PERFUSION\n"
    "  [ ] Normal   [x] Abnormal   [ ] Equivocal\n"
    "  SSS: __6__   SRS: __1__   SDS: __5__\n"
    "\n"
    "FUNCTION\n"
    "  Ejection fraction: __55__ %   TID: __1.08__\n"
    "\n"
    "IMPRESSION\n"
    "  [ ] Normal study   [x] Abnormal study\n"
    "  [ ] No ischemia   [x] No infarction\n"
)


def test_a_fill_in_blank_reads_as_blank_space(structure: Any) -> None:
    out = structure(_FORM)
    assert value_at(out, "stress_test.rest_hr_bpm") == 64
    assert value_at(out, "stress_test.peak_hr_bpm") == 150
    assert value_at(out, "stress_test.percent_mphr") == 91
    assert value_at(out, "stress_test.mets") == 8.6
    assert value_at(out, "perfusion.sss") == 6
    assert value_at(out, "perfusion.sds") == 5
    assert value_at(out, "function.lvef_percent") == 55
    assert value_at(out, "function.tid_ratio") == 1.08
    assert span_at(out, _FORM, "function.tid_ratio") == "1.08"
    # the blanks around the free text are no part of it
    assert value_at(out, "study.indication") == "Atypical chest pain, family history"


def test_a_header_alone_at_the_margin_opens_its_indented_rows(structure: Any) -> None:
    out = structure(_FORM)
    assert value_at(out, "perfusion.result") == "abnormal"
    assert value_at(out, "impression.overall") == "abnormal"
    assert value_at(out, "impression.infarction") == "absent"
    # the unchecked "No ischemia" states nothing
    assert value_at(out, "impression.ischemia") is None


def test_a_single_underscore_still_joins_an_export_key(structure: Any) -> None:
    """Control: one underscore is an identifier's, not a blank ('HR_Rest_bpm=70')."""
    out = structure("Tracer=Tc-99m sestamibi\nHR_Rest_bpm=70\nHR_Peak_bpm=141\n")
    assert value_at(out, "stress_test.rest_hr_bpm") == 70
    assert value_at(out, "stress_test.peak_hr_bpm") == 141


# --- an addendum that states the wall motion or LV size corrects the body -------------------------------------------


def test_an_addendum_restating_wall_motion_and_size_replaces_the_body(structure: Any) -> None:
    text = (
        _MPI
        + "Gated: LVEF 41%. Inferior hypokinesis. The LV is moderately dilated.\n"
        + "Impression: Normal perfusion. Reduced LVEF.\n"
        + "ADDENDUM: Reprocessed after an arrhythmia; gating was corrupted. LVEF is 60%. LV size is normal and wall "
        "motion is normal.\n"
    )
    out = structure(text)
    assert value_at(out, "function.wall_motion") == "normal"
    assert value_at(out, "function.lv_size") == "normal"
    assert span_at(out, text, "function.lv_size").lower().startswith("lv size")


def test_an_addendum_silent_on_wall_motion_leaves_the_body(structure: Any) -> None:
    """Control: an addendum about something else keeps the body's wall motion."""
    text = (
        _MPI
        + "Gated: LVEF 44%. Anterior hypokinesis. Normal LV size.\n"
        + "Impression: Abnormal study.\n"
        + "ADDENDUM: The referring physician was informed by phone.\n"
    )
    out = structure(text)
    assert value_at(out, "function.wall_motion") == "abnormal"
    assert value_at(out, "function.lv_size") == "normal"


# --- a stress echocardiogram that says no nuclear imaging was done is no perfusion study ------------------------------


@pytest.mark.parametrize(
    "denial",
    ["No nuclear imaging was performed.", "No radionuclide images were obtained.", "No isotope scan was done."],
)
def test_a_denied_nuclear_imaging_makes_no_perfusion_findings(structure: Any, denial: str) -> None:
    text = (
        "EXERCISE STRESS ECHOCARDIOGRAPHY\n"
        f"Protocol: Bruce treadmill. {denial}\n"
        "Rest: LVEF 58%, normal wall motion.\n"
        "Peak: new akinesis of the apical and anterior walls.\n"
        "Conclusion: Abnormal stress echo with inducible ischemia in the anterior wall and apex.\n"
    )
    out = structure(text)
    assert value_at(out, "perfusion.result") is None
    assert out["perfusion"]["defects"] == []


def test_nuclear_imaging_stated_still_makes_a_perfusion_study(structure: Any) -> None:
    """Control: a stress test with nuclear images of the ventricle stays a nuclear study."""
    text = (
        "Dobutamine stress. Nuclear imaging was performed after the infusion.\n"
        "Ejection fraction 52%. Reversible defect of the inferior wall.\n"
    )
    out = structure(text)
    assert [d["walls"] for d in out["perfusion"]["defects"]] == [["inferior"]]


# --- a one-paragraph dictation: a capitals header after a comma, and a new clause that ends a denial -----------------


_RUN_ON = (
    _MPI + "FINDINGS: regadenoson given, HR 70 to 95 bpm, no chest pain, EKG negative for ischemia, the stress images "
    "demonstrate a large severe defect in the anterior wall that reverses at rest, SSS 12 SRS 2 SDS 10, LVEF 55%, "
    "IMPRESSION abnormal regadenoson perfusion study with anterior ischemia, no infarct, high risk.\n"
)


def test_a_capitals_header_spliced_after_a_comma_opens_the_impression(structure: Any) -> None:
    out = structure(_RUN_ON)
    assert value_at(out, "impression.overall") == "abnormal"
    assert value_at(out, "impression.infarction") == "absent"
    assert value_at(out, "impression.risk") == "high"


def test_a_clause_of_the_images_showing_ends_a_denial(structure: Any) -> None:
    out = structure(_RUN_ON)
    assert _defects(out) == [(["anterior"], "severe", "large", "reversible", "affirmed")]


def test_a_denial_before_the_images_is_still_a_denial(structure: Any) -> None:
    """Control: a denial inside the images' own clause still denies ('the stress images show no defect')."""
    text = _MPI + "Findings: no ST changes, the stress images show no defect in the inferior wall, LVEF 60%.\n"
    out = structure(text)
    assert out["perfusion"]["defects"] == []


# --- a flow table with a column per region: the global column -------------------------------------------------------


@pytest.mark.parametrize("ruled", [True, False])
def test_a_flow_table_by_region_columns_reads_the_global_column(structure: Any, ruled: bool) -> None:
    if ruled:
        table = (
            "+-----------+------+------+------+-------+\n"
            "|           | LAD  | LCx  | RCA  | Total |\n"
            "+-----------+------+------+------+-------+\n"
            "| Rest      | 0.71 | 0.80 | 0.75 | 0.76  |\n"
            "| Stress    | 2.02 | 1.48 | 2.30 | 1.95  |\n"
            "| Reserve   | 2.85 | 1.85 | 3.07 | 2.57  |\n"
            "+-----------+------+------+------+-------+\n"
        )
    else:
        table = (
            "              LAD     LCx     RCA     Global\n"
            "Rest MBF      0.71    0.80    0.75    0.76\n"
            "Stress MBF    2.02    1.48    2.30    1.95\n"
            "MFR           2.85    1.85    3.07    2.57\n"
        )
    text = "Rb-82 PET rest and regadenoson stress.\nMyocardial blood flow (mL/min/g):\n" + table
    out = structure(text)
    assert value_at(out, "flow.rest_mbf") == 0.76
    assert value_at(out, "flow.stress_mbf") == 1.95
    assert value_at(out, "flow.mfr") == 2.57
    assert span_at(out, text, "flow.mfr") == "2.57"


def test_a_flow_table_by_region_rows_still_reads_its_global_row(structure: Any) -> None:
    """Control: the other orientation (a row per region) is read as before."""
    text = (
        "N-13 ammonia PET. Myocardial blood flow (mL/min/g):\n"
        "Territory   Rest   Stress   Reserve\n"
        "LAD         0.66   1.50     2.27\n"
        "Global      0.70   1.90     2.71\n"
    )
    out = structure(text)
    assert value_at(out, "flow.mfr") == 2.71
    assert value_at(out, "flow.stress_mbf") == 1.9


# --- the comparison: an overall verdict, and a change within the method's variability ------------------------------


def test_an_overall_unchanged_verdict_is_the_comparison(structure: Any) -> None:
    text = (
        _MPI
        + "Findings: Small fixed inferior defect.\n"
        + "Comparison: Against the scan of 2022, overall the study is unchanged; the EF is mildly decreased.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.comparison") == "unchanged"


def test_a_change_within_the_variability_of_the_method_is_no_change(structure: Any) -> None:
    text = (
        _MPI
        + "Findings: Normal perfusion.\n"
        + "Comparison: Perfusion unchanged from 2021; the ejection fraction has decreased, within test-retest "
        "variability.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.comparison") == "unchanged"


def test_a_change_set_against_what_is_unchanged_is_still_the_news(structure: Any) -> None:
    """Control: without 'overall' or a dismissal the change beside the unchanged finding is the comparison."""
    text = (
        _MPI
        + "Findings: Inferior scar.\n"
        + "Comparison: The scar is unchanged from 2020, but the ejection fraction has decreased.\n"
    )
    out = structure(text)
    assert value_at(out, "impression.comparison") == "worsened"


# --- hedges: an artifact of no schema kind, and 'is a consideration' -----------------------------------------------


def test_a_defect_named_with_a_hedged_artifact_is_uncertain(structure: Any) -> None:
    text = _MPI + "Impression: Mild fixed septal defect, likely artifact. Otherwise normal.\n"
    out = structure(text)
    assert [(d["walls"], d["certainty"]) for d in out["perfusion"]["defects"]] == [(["septal"], "uncertain")]


def test_a_defect_with_an_unhedged_artifact_word_elsewhere_stays_affirmed(structure: Any) -> None:
    """Control: a defect whose clause names no hedged artifact keeps its certainty."""
    text = _MPI + "Impression: Moderate reversible lateral defect. No motion artifact.\n"
    out = structure(text)
    assert [(d["walls"], d["certainty"]) for d in out["perfusion"]["defects"]] == [(["lateral"], "affirmed")]


def test_an_artifact_said_to_be_a_consideration_is_uncertain(structure: Any) -> None:
    text = _MPI + "Findings: Mild fixed anterior defect; breast attenuation is a consideration.\n"
    out = structure(text)
    assert value_at(out, "perfusion.artifact") == "attenuation"
    assert out["perfusion"]["artifact"]["certainty"] == "uncertain"


# --- a bulleted free-text value ------------------------------------------------------------------------------------


def test_a_bullet_is_no_part_of_the_indication(structure: Any) -> None:
    text = _MPI + "Indication:\n- Exertional dyspnea, prior CABG\n"
    out = structure(text)
    assert value_at(out, "study.indication") == "Exertional dyspnea, prior CABG"


def test_a_leading_minus_without_a_blank_stays(structure: Any) -> None:
    """Control: a dash joined to its word is no bullet."""
    text = _MPI + "Indication: -ve treadmill, ongoing chest pain\n"
    out = structure(text)
    assert value_at(out, "study.indication") == "-ve treadmill, ongoing chest pain"
