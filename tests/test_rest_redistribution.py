"""A Tl-201 rest-redistribution viability study (ASNC-PROTOCOLS-2016, DILSIZIAN-BONOW-1993): a Study with no stress,
a report of viable and scarred myocardium that never states ischemia or a stress test, and guardrails that hold a
text about it to that."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from guardrails import FlagSeverity, verify
from reporter.cli import app
from reporter.domain.finding import FindingCode, Section
from reporter.domain.rules import evaluate
from reporter.domain.study import Study
from reporter.errors import StudyValidationError
from reporter.inputs import parse_study
from reporter.report import draft_report

NOW = dt.datetime(2026, 9, 15, 8, 0, tzinfo=dt.UTC)
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "spect_tl201_rest_redistribution.json"
runner = CliRunner()


def _problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(StudyValidationError) as caught:
        parse_study(json.dumps(data).encode(), what="study.json")
    assert caught.value.code == "E101"
    return [(p.field, p.message) for p in caught.value.problems]


# --- the Study ------------------------------------------------------------------------------------------------------


def test_a_rest_redistribution_study_loads_without_a_stress_test(rest_redistribution: Study) -> None:
    p = rest_redistribution.perfusion
    assert (rest_redistribution.stress, rest_redistribution.is_rest_only) == (None, True)
    assert (p.sss, p.srs, p.summed_redistribution_score, p.has_stress) == (None, 12, 8, False)


def test_every_other_protocol_still_needs_the_stress_test(study_dict: Any) -> None:
    data = study_dict()
    del data["stress"]
    assert _problems(data) == [
        ("stress", "a rest-stress protocol needs the stress test; only rest-redistribution omits it")
    ]


def test_a_stress_test_given_with_a_rest_redistribution_protocol_is_refused(
    rest_redistribution_dict: dict[str, Any],
) -> None:
    rest_redistribution_dict["stress"] = {"type": "pharmacologic", "agent": "regadenoson"}
    rest_redistribution_dict["clinical"].pop("resting_ecg")
    assert _problems(rest_redistribution_dict) == [
        ("stress", "a rest-redistribution protocol has no stress; leave stress out")
    ]


def test_stress_scores_on_a_rest_redistribution_study_are_refused(rest_redistribution_dict: dict[str, Any]) -> None:
    for segment in rest_redistribution_dict["perfusion"]["segments"]:
        segment["stress"] = segment.pop("rest")
    rest_redistribution_dict["perfusion"].pop("summed_rest_score")
    assert _problems(rest_redistribution_dict) == [
        (
            "perfusion",
            "stress scores are given for a rest-redistribution protocol; give the initial rest images' "
            "scores as rest and the delayed images' as redistribution",
        )
    ]


def test_a_segment_without_its_redistribution_score_is_named(rest_redistribution_dict: dict[str, Any]) -> None:
    del rest_redistribution_dict["perfusion"]["segments"][3]["redistribution"]
    assert _problems(rest_redistribution_dict) == [
        (
            "perfusion.segments[3]",
            "segment 4 has no stress score; only a rest-redistribution study omits it, and then gives "
            "the initial rest and the redistribution score",
        )
    ]


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("summed_stress_score", 12, "summed_stress_score"),
        ("summed_difference_score", 4, "summed_difference_score"),
    ],
)
def test_stress_summed_scores_are_refused(
    rest_redistribution_dict: dict[str, Any], field: str, value: int, named: str
) -> None:
    rest_redistribution_dict["perfusion"][field] = value
    assert _problems(rest_redistribution_dict) == [
        (
            "perfusion",
            f"{named} describe stress images, which a rest-redistribution protocol has not",
        )
    ]


def test_a_wrong_summed_redistribution_score_is_refused(rest_redistribution_dict: dict[str, Any]) -> None:
    rest_redistribution_dict["perfusion"]["summed_redistribution_score"] = 6
    assert _problems(rest_redistribution_dict) == [
        (
            "perfusion",
            "summed redistribution score 6 differs from the sum of the segment redistribution scores 8",
        )
    ]


def test_a_stress_dose_is_refused_on_a_rest_redistribution_protocol(rest_redistribution_dict: dict[str, Any]) -> None:
    rest_redistribution_dict["procedure"]["tracers"][0]["phase"] = "stress"
    assert _problems(rest_redistribution_dict) == [
        (
            "procedure",
            "protocol rest-redistribution needs one Tl-201 rest dose and no stress dose; tracers give Tl-201 (stress)",
        )
    ]


def test_the_json_schema_requires_stress_except_for_rest_redistribution() -> None:
    schema = Study.model_json_schema()
    assert "stress" not in schema["required"]
    assert schema["if"]["properties"]["procedure"]["properties"]["protocol"] == {"const": "rest-redistribution"}
    assert (schema["then"], schema["else"]) == ({"not": {"required": ["stress"]}}, {"required": ["stress"]})


# --- rules and report -----------------------------------------------------------------------------------------------


def test_the_rules_make_no_stress_ischemia_or_risk_finding(rest_redistribution: Study) -> None:
    codes = {f.code for f in evaluate(rest_redistribution)}
    stress_codes = {
        FindingCode.STRESS_EXERCISE,
        FindingCode.STRESS_PHARMACOLOGIC,
        FindingCode.DUKE_SCORE,
        FindingCode.PERFUSION_DEFECT,
        FindingCode.ISCHEMIC_BURDEN,
        FindingCode.SUMMED_SCORES,
        FindingCode.HIGH_RISK_FEATURE,
        FindingCode.IMPRESSION_PERFUSION,
        FindingCode.IMPRESSION_STRESS,
        FindingCode.RISK,
    }
    assert codes & stress_codes == set()
    assert {FindingCode.VIABILITY_REGION, FindingCode.VIABILITY_SCORES, FindingCode.IMPRESSION_VIABILITY} <= codes


def test_redistributing_segments_are_viable_and_a_severe_fixed_one_is_scar(rest_redistribution: Study) -> None:
    region = next(f for f in evaluate(rest_redistribution) if f.code is FindingCode.VIABILITY_REGION)
    assert (region.territory, region.segments, region.guideline) == ("RCA", (3, 4, 10, 15), "DILSIZIAN-BONOW-1993")
    assert region.values["redistribution_segments"] == (4, 10)
    assert region.values["viable_segments"] == (3, 4, 10)
    assert region.values["scar_segments"] == (15,)
    assert region.values["hibernating"] is True


def test_the_procedure_says_rest_injection_and_no_stress(rest_redistribution: Study) -> None:
    report = draft_report(rest_redistribution, now=NOW)
    assert report.text_of(Section.PROCEDURE) == (
        "Rest-redistribution gated SPECT myocardial perfusion imaging with Tl-201, without attenuation correction, "
        "performed on 2026-09-14 for myocardial viability: Tl-201 injected at rest, no stress performed, with initial "
        "rest images and redistribution images 4 hours later. "
        "Rest dose: Tl-201 148 MBq (4 mCi)."
    )
    assert report.section(Section.STRESS) is None


def test_the_perfusion_section_reads_viability(rest_redistribution: Study) -> None:
    report = draft_report(rest_redistribution, now=NOW)
    assert report.text_of(Section.PERFUSION) == (
        "Image quality is good. "
        "On the initial rest images there is a medium-sized defect with severely reduced uptake in the RCA territory "
        "involving the inferoseptal and inferior walls (segments 3, 4, 10, 15; summed rest score 12), with "
        "redistribution on the 4-hour images (segments 4, 10; summed redistribution score 8). "
        "The inferoseptal and inferior walls (segments 3, 4, 10) are viable, consistent with hibernating myocardium "
        "where the wall moves abnormally. "
        "The inferior wall (segment 15) shows a severe defect without redistribution, consistent with non-viable "
        "scar (small). "
        "Summed rest score 12 (17.6% of the left ventricle, the score as a share of the maximum of 68), summed "
        "redistribution score 8, an improvement of 4 on the redistribution images."
    )


def test_the_impression_states_viability_and_function_only(rest_redistribution: Study) -> None:
    report = draft_report(rest_redistribution, now=NOW)
    assert [s.text for s in report.section(Section.IMPRESSION).sentences] == [  # type: ignore[union-attr]
        "Viable (hibernating) myocardium in the RCA territory (inferoseptal and inferior walls), with redistribution "
        "of the medium rest defect; small non-viable scar of the inferior wall.",
        "Moderately reduced left ventricular systolic function (LVEF 38%).",
    ]


def test_the_resting_ecg_is_reported_in_the_indication(rest_redistribution: Study) -> None:
    report = draft_report(rest_redistribution, now=NOW)
    assert report.section(Section.INDICATION).sentences[-1].text == "The resting ECG is normal."  # type: ignore[union-attr]


def test_a_defect_without_redistribution_is_scar_only(rest_redistribution_dict: dict[str, Any]) -> None:
    data = copy.deepcopy(rest_redistribution_dict)
    for segment in data["perfusion"]["segments"]:
        if segment["segment"] in (4, 10):
            segment["redistribution"] = 3
            segment["rest"] = 3
    data["perfusion"]["summed_redistribution_score"] = 12
    report = draft_report(Study.model_validate(data), now=NOW)
    assert report.section(Section.IMPRESSION).sentences[0].text == (  # type: ignore[union-attr]
        "Viable myocardium in the RCA territory (inferoseptal wall); medium non-viable scar of the inferior wall."
    )


def test_the_drafted_report_verifies_without_an_error(rest_redistribution: Study) -> None:
    report = draft_report(rest_redistribution, now=NOW)
    assert [f.code for f in report.flags if f.severity is FlagSeverity.ERROR] == []


def test_ncreport_draft_prints_the_viability_report() -> None:
    result = runner.invoke(app, ["draft", str(FIXTURE), "--llm", "none"])
    assert result.exit_code == 0
    assert "1. Viable (hibernating) myocardium in the RCA territory" in result.stdout
    assert "STRESS" not in result.stdout.upper().replace("NO STRESS PERFORMED", "")


# --- guardrails -----------------------------------------------------------------------------------------------------


def _errors(text: str, study: Study) -> list[str]:
    return [f.code.value for f in verify(text, study) if f.severity is FlagSeverity.ERROR]


def test_a_correct_viability_impression_is_clean(rest_redistribution: Study) -> None:
    text = (
        "Thallium rest and 4-hour redistribution images: a medium RCA defect redistributes, so the inferior wall is "
        "viable (hibernating); small fixed scar at the inferior apex. LVEF 38%."
    )
    assert _errors(text, rest_redistribution) == []


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Reversible inferior defect, consistent with inducible ischemia in the RCA territory.", ["G402", "G402"]),
        ("Dipyridamole stress thallium imaging shows a viable inferior wall.", ["G603"]),
        ("The treadmill test was stopped for fatigue; the inferior wall is viable.", ["G605"]),
        ("Viable inferior wall; low-risk study overall.", ["G801"]),
        ("Viable inferior wall. Duke treadmill score of 5.", ["G111", "G605"]),
        ("Viable inferior wall with an ischemic ECG response.", ["G605"]),
        ("Extensive anterior scar. LVEF 38%.", ["G403", "G202"]),
        ("The basal inferior wall is viable; a dense scar involves the inferoseptal wall.", []),
        ("Hibernating inferior wall with redistribution. Transmural anterolateral infarct.", ["G403", "G202"]),
        ("Viable inferior wall. LVEF 58%.", ["G101"]),
    ],
)
def test_claims_of_stress_ischemia_or_other_facts_are_errors(
    rest_redistribution: Study, text: str, codes: list[str]
) -> None:
    assert _errors(text, rest_redistribution) == codes


def test_the_rest_only_check_leaves_a_stress_study_alone(tl201_redistribution: Study) -> None:
    flags = verify("Low-risk study.", tl201_redistribution, checks=["guardrails.rest_only.v1"])
    assert flags == []


def test_the_reading_room_maps_are_initial_rest_redistribution_and_improvement(rest_redistribution: Study) -> None:
    from reporter.api.web import views

    maps = views.polar_maps(rest_redistribution)
    assert [(m.title, m.total) for m in maps] == [
        ("Initial rest", 12),
        ("Redistribution", 8),
        ("Improvement on redistribution", 4),
    ]


def test_the_study_exports_to_fhir_and_dicom_sr_without_a_stress_test(rest_redistribution: Study) -> None:
    from reporter.interop.dicom_sr import build_sr
    from reporter.interop.fhir_out import export_fhir
    from reporter.interop.signature import Attestation, ReportStatus, text_sha256

    report = draft_report(rest_redistribution, now=NOW)
    attestation = Attestation(ReportStatus("preliminary"), text_sha256(report), None, (), organization="Heart Center")
    bundle = json.loads(export_fhir(report, rest_redistribution, attestation))
    assert bundle["resourceType"] == "Bundle"
    assert "Stress" not in json.dumps(bundle)
    assert build_sr(report, rest_redistribution, attestation).SOPClassUID == "1.2.840.10008.5.1.4.1.1.88.33"


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Viable inferior wall with redistribution; small inferior scar. LVEF 38%.", ["G504"]),
        ("Hibernating inferior wall with redistribution; small inferior scar. LVEF 38%.", []),
    ],
)
def test_hibernating_myocardium_states_the_regional_dysfunction(
    rest_redistribution: Study, text: str, codes: list[str]
) -> None:
    assert [f.code.value for f in verify(text, rest_redistribution, scope="impression")] == codes
