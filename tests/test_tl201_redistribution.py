"""A Tl-201 stress-redistribution study (ASNC-PROTOCOLS-2016): its redistribution images play the rest images' part
in the rules, the drafted report says so, and the draft verifies without an error flag."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from guardrails import FlagSeverity, verify
from reporter.domain.finding import FindingCode, Section
from reporter.domain.study import Study
from reporter.domain.vocabulary import Reversibility
from reporter.report import draft_report

NOW = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)


def _redistributing(data: dict[str, Any], scores: dict[int, int], delay_h: float | None = 4) -> Study:
    """The fixture study with other redistribution scores (segments 4, 10, 15 stay 3, 3, 2 at stress)."""
    for s in data["perfusion"]["segments"]:
        s["redistribution"] = scores.get(s["segment"], 0)
    for key in ("summed_rest_score", "summed_difference_score"):
        del data["perfusion"][key]
    data["procedure"]["redistribution_delay_h"] = delay_h
    data["function"]["wall_motion"] = [
        {"segment": n, "motion": "hypokinetic" if n in (4, 10, 15) else "normal", "phase": "post-stress"}
        for n in range(1, 18)
    ]
    return Study.model_validate(data)


def test_the_procedure_names_the_injection_at_peak_stress_and_the_redistribution_images(
    tl201_redistribution: Study,
) -> None:
    report = draft_report(tl201_redistribution, now=NOW)
    assert report.text_of(Section.PROCEDURE) == (
        "Stress-redistribution gated SPECT myocardial perfusion imaging with Tl-201, without attenuation correction, "
        "performed on 2026-11-18: Tl-201 injected at peak stress, with stress images and redistribution images "
        "4 hours later. "
        "Stress dose: Tl-201 129.5 MBq (3.5 mCi). "
        "Perfusion quantification: QPS/QGS (Cedars-Sinai), version 2017.1."
    )


def test_without_a_delay_the_redistribution_images_are_later(tl201_redistribution_dict: dict[str, Any]) -> None:
    del tl201_redistribution_dict["procedure"]["redistribution_delay_h"]
    report = draft_report(Study.model_validate(tl201_redistribution_dict), now=NOW)
    sentences = report.section(Section.PROCEDURE).sentences  # type: ignore[union-attr]
    assert sentences[0].text.endswith(
        ": Tl-201 injected at peak stress, with stress images and later redistribution images."
    )


def test_perfusion_is_read_on_the_redistribution_images(tl201_redistribution: Study) -> None:
    report = draft_report(tl201_redistribution, now=NOW)
    assert report.text_of(Section.PERFUSION) == (
        "Image quality is good. "
        "There is a medium-sized perfusion defect with severely reduced uptake in the RCA territory involving the "
        "inferior wall (segments 4, 10, 15; 3 of 17 segments), reversible on the redistribution images, consistent "
        "with ischemia. "
        "Summed stress score 8, summed redistribution score 2, summed difference score 6 (SSS mildly abnormal). "
        "Ischemic myocardium: 8.8% of the left ventricle (mild), the summed difference score of 6 as a share of the "
        "maximum score of 68."
    )
    assert report.section(Section.IMPRESSION).sentences[0].text == (  # type: ignore[union-attr]
        "Abnormal myocardial perfusion: medium-sized reversible defect with severely reduced uptake in the RCA "
        "territory (inferior), consistent with ischemia; ischemic myocardium 8.8% of the left ventricle (mild)."
    )


def test_the_defect_cites_the_redistribution_scores(tl201_redistribution: Study) -> None:
    defect = next(
        f for f in draft_report(tl201_redistribution, now=NOW).findings if f.code is FindingCode.PERFUSION_DEFECT
    )
    assert (defect.reversibility, defect.values["summed_difference"]) == (Reversibility.REVERSIBLE, 6)
    assert defect.evidence == (
        "perfusion.segments[4].stress",
        "perfusion.segments[10].stress",
        "perfusion.segments[15].stress",
        "perfusion.segments[4].redistribution",
        "perfusion.segments[10].redistribution",
        "perfusion.segments[15].redistribution",
    )


@pytest.mark.parametrize(
    ("scores", "delay_h", "sentence"),
    [
        (
            {4: 3, 10: 3, 15: 2},
            4,
            "There is a medium-sized perfusion defect with severely reduced uptake in the RCA territory involving the "
            "inferior wall (segments 4, 10, 15; 3 of 17 segments), fixed without redistribution, consistent with scar "
            "(infarction); reinjection or late redistribution images can show viable myocardium that has not yet "
            "redistributed.",
        ),
        (
            {4: 3, 10: 1},
            4,
            "There is a medium-sized perfusion defect with severely reduced uptake in the RCA territory involving the "
            "inferior wall (segments 4, 10, 15; 3 of 17 segments), partially reversible on the redistribution images, "
            "consistent with ischemia and a component of scar; reinjection or late redistribution images can show "
            "viable myocardium that has not yet redistributed.",
        ),
        # 24-hour images are the late redistribution images themselves (ASNC-PROTOCOLS-2016)
        (
            {4: 3, 10: 3, 15: 2},
            24,
            "There is a medium-sized perfusion defect with severely reduced uptake in the RCA territory involving the "
            "inferior wall (segments 4, 10, 15; 3 of 17 segments), fixed without redistribution, consistent with scar "
            "(infarction).",
        ),
    ],
)
def test_a_defect_without_full_redistribution(
    tl201_redistribution_dict: dict[str, Any], scores: dict[int, int], delay_h: float, sentence: str
) -> None:
    report = draft_report(_redistributing(tl201_redistribution_dict, scores, delay_h), now=NOW)
    assert report.section(Section.PERFUSION).sentences[1].text == sentence  # type: ignore[union-attr]


def test_scar_is_the_summed_redistribution_score(tl201_redistribution_dict: dict[str, Any]) -> None:
    report = draft_report(_redistributing(tl201_redistribution_dict, {4: 3, 10: 3, 15: 2}), now=NOW)
    assert report.section(Section.PERFUSION).sentences[3].text == (  # type: ignore[union-attr]
        "No ischemia (summed difference score 0); scar: 11.8% of the left ventricle (summed redistribution score 8 "
        "of 68)."
    )


@pytest.mark.parametrize("scores", [{4: 1, 10: 1}, {4: 3, 10: 3, 15: 2}, {4: 3, 10: 1}])
def test_the_draft_verifies_without_an_error_flag(
    tl201_redistribution_dict: dict[str, Any], scores: dict[int, int]
) -> None:
    from reporter.render import template_set
    from reporter.service.drafting import DraftOptions, draft

    study = _redistributing(tl201_redistribution_dict, scores)
    for section in draft_report(study, now=NOW).sections:
        text = "\n".join(s.text for s in section.sentences)
        scope = "impression" if section.key is Section.IMPRESSION else "full"
        assert [f.code for f in verify(text, study, scope=scope) if f.severity is FlagSeverity.ERROR] == [], section.key
    body = template_set(None).body(draft(study, DraftOptions(llm={"backend": "none"})).report)
    assert [(f.code, f.message) for f in verify(body, study) if f.severity is FlagSeverity.ERROR] == []


def test_a_stress_only_thallium_study_keeps_its_reading(tl201_redistribution_dict: dict[str, Any]) -> None:
    # backward compatible: redistribution scores on a stress-only protocol are not read by the rules
    tl201_redistribution_dict["procedure"].update(protocol="stress-only", redistribution_delay_h=None)
    report = draft_report(Study.model_validate(tl201_redistribution_dict), now=NOW)
    assert (
        report.section(Section.PERFUSION)
        .sentences[1]
        .text.endswith(  # type: ignore[union-attr]
            "(segments 4, 10, 15; 3 of 17 segments); reversibility cannot be assessed on stress-only images."
        )
    )


def test_the_guardrails_read_a_score_1_region_on_its_redistribution_images(
    tl201_redistribution_dict: dict[str, Any],
) -> None:
    from guardrails.facts import facts_of
    from reporter.domain.rules import evaluate

    # the apex scored 1 at stress and 0 on the redistribution images: below the defect threshold, read as a reader
    tl201_redistribution_dict["perfusion"]["segments"][16]["stress"] = 1
    tl201_redistribution_dict["perfusion"].update(summed_stress_score=9, summed_difference_score=7)
    study = Study.model_validate(tl201_redistribution_dict)
    fx = facts_of(study, evaluate(study))
    assert [(e.walls, e.reversibility) for e in fx.equivocal] == [(("apex",), "reversible")]
    assert [(d.territory, d.reversibility) for d in fx.defects] == [("RCA", "reversible")]
