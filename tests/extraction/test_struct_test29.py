"""Issue 16, struct_test29 (released after its sealed scoring): one test per general mechanism.

Each report below is another writer's wording of the layout or phrasing, not the blind report's; controls show what
each mechanism leaves alone. Expected values are literal.
"""

from __future__ import annotations

from typing import Any

from report_fields import value_at

from extraction.pipeline import mail_thread_view

# --- a lung scan whose defects lie in lobes, though a finding mentions the heart in passing ----------------------


def test_defects_placed_in_lobes_are_a_lung_scans_though_the_heart_is_mentioned(structure: Any) -> None:
    """A study titled for another organ whose finding places its defects in that organ's parts ("lingula", "left
    lower lobe") is no myocardial perfusion study, even where another finding mentions the heart
    (wording.json other_organ_anatomy; extraction.assemble._other_organ_study)."""
    out = structure(
        "PULMONARY PERFUSION SCINTIGRAPHY (Q SCAN)\n"
        "Indication: Suspected PE.\n"
        "Technique: 4 mCi Tc-99m macroaggregated albumin, six planar views.\n"
        "Findings: Two segmental perfusion defects, one in the lingula and one in the posterior basal segment of the "
        "left lower lobe. Myocardial activity is faintly visible, a normal finding.\n"
        "IMPRESSION: Abnormal. Intermediate probability for pulmonary embolism.\n"
    )
    assert out["perfusion"]["defects"] == []
    assert value_at(out, "perfusion.result") is None


def test_a_cardiac_study_mentioning_the_lungs_keeps_its_myocardial_defect(structure: Any) -> None:
    out = structure(
        "MYOCARDIAL PERFUSION SPECT\n"
        "Technique: Tc-99m sestamibi rest/stress; lung/heart ratio measured.\n"
        "Findings: Moderate reversible perfusion defect of the inferior wall. Lung uptake is normal; no defect "
        "projects over the lower lobe region.\n"
        "IMPRESSION: Abnormal perfusion with inferior ischemia.\n"
    )
    walls = [d["walls"] for d in out["perfusion"]["defects"]]
    assert ["inferior"] in walls
    assert value_at(out, "perfusion.result") == "abnormal"


# --- a report quoted in an e-mail reply: the thread around it is no part of the report ----------------------------

_THREAD = (
    "From: Dr. Petra Lindgren\n"
    "Sent: Monday, March 2, 2026 9:14 AM\n"
    "To: Nuclear Cardiology Reading Room\n"
    "Subject: RE: stress test for Mr. Abara\n"
    "\n"
    "Is the inferior wall definitely scar, or could there be some ischemia there too? Thanks, Petra\n"
    "\n"
    "---- Original message ----\n"
    "> MYOCARDIAL PERFUSION IMAGING\n"
    "> Date of study: 02/27/2026\n"
    "> Indication: Exertional dyspnea.\n"
    "> Protocol: Regadenoson rest/stress Tc-99m tetrofosmin SPECT.\n"
    ">\n"
    "> Findings: Small, mild, reversible defect of the basal anterolateral wall.\n"
    "> LVEF 58%.\n"
    ">\n"
    "> IMPRESSION: Mildly abnormal study with a small area of anterolateral ischemia.\n"
)


def test_a_report_quoted_in_a_mail_thread_is_read_without_the_thread(structure: Any) -> None:
    """The reply's question ("Is the inferior wall definitely scar") is no finding and its sent date is no study date
    (extraction.pipeline.mail_thread_view)."""
    view = mail_thread_view(_THREAD)
    assert len(view) == len(_THREAD) and "Petra" not in view and ">" not in view
    assert "MYOCARDIAL PERFUSION IMAGING" in view
    out = structure(_THREAD)
    assert [d["walls"] for d in out["perfusion"]["defects"]] == [["anterolateral"]]
    assert value_at(out, "study.study_date") == "2026-02-27"
    assert value_at(out, "function.lvef_percent") == 58


def test_quoted_lines_without_mail_headers_are_read_as_written() -> None:
    text = "> Findings: normal perfusion.\n" * 9
    assert mail_thread_view(text) == text
    plain = "From: clinic\nTo: lab\nSubject: MPI\nFindings: normal perfusion.\n"
    assert mail_thread_view(plain) == plain


# --- an earlier test in the history whose findings the sentence goes on to list -----------------------------------


def test_findings_an_earlier_test_showed_are_that_tests_not_the_studys(structure: Any) -> None:
    """A test of the history dated before the study, whose clause goes on to tell what it showed ("that
    demonstrated ..."), owns the findings its sentence lists after it, across commas (extraction.assemble
    _Ctx._in_older_history_test): the history goes on, and today's values are read from today's findings."""
    out = structure(
        "Date of exam: 11/09/2026\n"
        "History: 72-year-old man with palpitations. An outside dipyridamole thallium scan done on 05/14/2024 "
        "demonstrated a small anterior ischemic defect, with a summed stress score of 11, SDS 5, and a gated EF of "
        "41%. He has been medically managed since then.\n"
        "\n"
        "Exercise stress with Tc-99m sestamibi, Bruce protocol, 9 minutes.\n"
        "Perfusion: normal. SSS 1, SRS 1, SDS 0.\n"
        "Gated: LVEF 57%.\n"
        "Impression: Normal study.\n"
    )
    assert value_at(out, "perfusion.sss") == 1
    assert value_at(out, "perfusion.sds") == 0
    assert value_at(out, "function.lvef_percent") == 57
    assert value_at(out, "study.stress_type") == "exercise"


def test_an_earlier_test_named_without_what_it_showed_leaves_the_report_going_on(structure: Any) -> None:
    """Control: a dated test named with no verb of what it showed ("cath 06/2023, RCA stent") owns only its clause;
    today's values in the findings are read."""
    out = structure(
        "Date of exam: 11/09/2026\n"
        "History: Chest pain; cath 06/2023, RCA stent.\n"
        "\n"
        "Regadenoson Tc-99m sestamibi SPECT. SSS 4, SRS 4, SDS 0. LVEF 52%.\n"
        "Impression: Small fixed defect.\n"
    )
    assert value_at(out, "perfusion.sss") == 4
    assert value_at(out, "function.lvef_percent") == 52
