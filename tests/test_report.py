"""Report assembly and rendering: literal sentences, traceability, escaping, site templates."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reporter.domain.finding import Section
from reporter.domain.study import Study
from reporter.render import Signing, TemplateSet, template_set
from reporter.report import draft_report

NOW = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)


def test_lad_ischemia_perfusion_and_impression_text(example: Callable[[str], Study]) -> None:
    report = draft_report(example("spect_lad_ischemia"), now=NOW)
    assert report.text_of(Section.PERFUSION) == (
        "Image quality is good. "
        "There is a medium-sized reversible perfusion defect with moderately reduced uptake in the LAD territory "
        "involving the anterior wall (segments 1, 7, 13; 3 of 17 segments), consistent with ischemia. "
        "Summed stress score 6, summed rest score 0, summed difference score 6 (SSS mildly abnormal). "
        "Total perfusion deficit 9% at stress (abnormal stress TPD). "
        "Ischemic myocardium: 8.8% of the left ventricle (mild), the summed difference score of 6 as a share of "
        "the maximum score of 68."
    )
    assert [s.text for s in report.section(Section.IMPRESSION).sentences] == [  # type: ignore[union-attr]
        "Abnormal myocardial perfusion: medium-sized reversible defect with moderately reduced uptake in the LAD "
        "territory (anterior), consistent with ischemia; ischemic myocardium 8.8% of the left ventricle (mild).",
        "Normal left ventricular systolic function (LVEF 55%).",
        "Nonischemic ECG response to pharmacologic stress.",
        "Intermediate risk of cardiac events, based on abnormal myocardial perfusion; the annual rate of cardiac "
        "death or myocardial infarction, 1-3% for such findings in general, is higher with this patient's "
        "pharmacologic stress and diabetes.",
    ]


def test_normal_exercise_impression(example: Callable[[str], Study]) -> None:
    report = draft_report(example("spect_normal_exercise"), now=NOW)
    assert report.text_of(Section.IMPRESSION) == (
        "Normal myocardial perfusion, without evidence of ischemia or infarction. "
        "Normal left ventricular systolic function (LVEF 64%). "
        "Adequate exercise test (95% of age-predicted maximal heart rate) with a nonischemic ECG response. "
        "Low risk of cardiac events (expected annual rate of cardiac death or myocardial infarction < 1%), "
        "based on normal myocardial perfusion and normal LVEF."
    )


def test_follow_up_comparison_text(example: Callable[[str], Study]) -> None:
    report = draft_report(example("spect_followup_new_lateral_ischemia"), now=NOW)
    assert report.text_of(Section.COMPARISON) == (
        "Compared with the prior study of 2024-08-27, the reversible defect in the LCx territory "
        "(inferolateral, lateral and anterolateral walls) is new. "
        "Ischemic myocardium increased from 0% to 14.7% of the left ventricle, a change of at least 5% that "
        "exceeds the reproducibility of the measurement. "
        "LVEF is unchanged (60% then, 56% now), within the 5-point reproducibility of gated LVEF."
    )
    assert "Changed since the prior study of 2024-08-27: new LCx-territory defect; ischemia increased." in (
        report.text_of(Section.IMPRESSION)
    )


def test_section_order_follows_asnc(example: Callable[[str], Study]) -> None:
    report = draft_report(example("pet_rb82_balanced_ischemia"), now=NOW)
    assert [s.key.value for s in report.sections] == [
        "indication",
        "procedure",
        "stress",
        "perfusion",
        "function",
        "flow",
        "ancillary",
        "comparison",
        "impression",
    ]


def test_every_sentence_traces_to_inputs_and_codes(example: Callable[[str], Study]) -> None:
    report = draft_report(example("spect_multivessel_high_risk"), now=NOW)
    sentences = [s for section in report.sections for s in section.sentences]
    assert len(sentences) == 33  # with body habitus, medications and the baseline ECG
    assert all(s.codes and s.evidence for s in sentences)
    tid = next(s for s in sentences if s.codes == ("TID",))
    assert tid.evidence == ("function.tid_ratio", "procedure", "stress.type")
    assert tid.guidelines == ("TID-ABIDOV-2003",)


def test_provenance_names_measurement_software_and_hashes(example: Callable[[str], Study]) -> None:
    report = draft_report(example("spect_lad_ischemia"), now=NOW)
    p = report.provenance
    assert p.measurement_sources == (
        "perfusion: ncmodels-perfusion (deep-learning segmentation) 1.4.2",
        "function: QPS/QGS (Cedars-Sinai) 2017.1",
    )
    assert len(p.input_sha256) == 64 and len(p.thresholds_sha256) == 64
    assert p.narrative == "rule-based"
    assert "perfusion.v1" in p.rules


def test_text_layout_numbers_the_impression(example: Callable[[str], Study]) -> None:
    report = draft_report(example("spect_normal_exercise"), now=NOW)
    text = template_set().render(report, "text")
    assert text.startswith("MYOCARDIAL PERFUSION IMAGING REPORT (DRAFT: requires physician review and signature)\n")
    assert "\nIMPRESSION\n1. Normal myocardial perfusion, without evidence of ischemia or infarction.\n2. " in text
    assert "Drafted by ncreport" in text and "at 2026-11-21 09:30 UTC." in text


def test_text_names_rbbb_and_increased_rv_uptake(study_dict: Callable[..., dict[str, Any]]) -> None:
    data = study_dict(stress={"type": "exercise", "baseline_ecg": "right bundle branch block"})
    data["perfusion"]["rv_uptake"] = "increased"
    text = " ".join(template_set().render(draft_report(Study.model_validate(data), now=NOW), "text").split())
    assert (
        "The resting ECG shows right bundle branch block: ST-segment depression in leads V1-V3 cannot be "
        "interpreted for ischemia, but in the inferior and lateral leads it can."
    ) in text
    assert (
        "Right ventricular tracer uptake is increased, as seen with right ventricular hypertrophy or pressure "
        "overload (for example, pulmonary hypertension)."
    ) in text


def test_html_escapes_input_text(make_study: Callable[..., Study]) -> None:
    study = make_study(clinical={"indication": "<script>alert(1)</script> chest pain"})
    html = template_set().render(draft_report(study, now=NOW), "html")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; chest pain" in html
    assert 'data-codes="INDICATION"' in html


def test_site_template_overrides_one_phrase(tmp_path: Path, make_study: Callable[..., Study]) -> None:
    packaged = (Path(__file__).resolve().parents[1] / "templates" / "phrases.j2").read_text()
    site = packaged.replace("No prior study was provided for comparison.", "Keine Voruntersuchung vorhanden.")
    (tmp_path / "phrases.j2").write_text(site)
    report = draft_report(make_study(), templates=TemplateSet(tmp_path), now=NOW)
    assert report.text_of(Section.COMPARISON) == "Keine Voruntersuchung vorhanden."
    assert report.provenance.templates == str(tmp_path)


def test_json_output_has_stable_fields(example: Callable[[str], Study]) -> None:
    data = json.loads(draft_report(example("spect_lad_ischemia"), now=NOW).model_dump_json())
    assert sorted(data) == ["findings", "flags", "provenance", "sections"]
    defect = next(f for f in data["findings"] if f["code"] == "PERFUSION_DEFECT")
    assert (defect["territory"], defect["segments"], defect["reversibility"]) == ("LAD", [1, 7, 13], "reversible")


def test_the_packaged_templates_are_the_top_level_folder_inside_the_reporter_package(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from reporter.render import packaged_dir

    repo = Path(__file__).resolve().parents[1]
    assert packaged_dir().resolve() == (repo / "templates").resolve()
    code = "import importlib.util; print(importlib.util.find_spec('templates'))"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # a source checkout on the path would have it
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path, env=env
    )
    assert out.stdout == "None\n"  # ncreport claims no global 'templates' module


def test_text_report_opens_with_identification_and_ends_with_the_signature_line(
    make_study: Callable[..., Study],
) -> None:
    study = make_study(
        patient={"age_years": 60, "sex": "male", "name": "DOE^JANE", "mrn": "12345"}, study_date="2026-05-02"
    )
    report = draft_report(study, now=NOW)
    text = template_set().render(report, "text")
    assert text.startswith(
        "MYOCARDIAL PERFUSION IMAGING REPORT (DRAFT: requires physician review and signature)\n\n"
        "Patient: DOE^JANE\nMRN: 12345\nStudy date: 2026-05-02\n"
    )
    assert "\nInterpreting physician: ______________________ (not yet signed)\n" in text
    # identifiers are report text, not data: never in the JSON of the report nor its repr
    assert "DOE" not in report.model_dump_json() and "DOE" not in repr(report)


def test_without_identifiers_the_header_says_so(example: Callable[[str], Study]) -> None:
    text = template_set().render(draft_report(example("spect_lad_ischemia"), now=NOW), "text")
    assert "\nPatient: not given in the study input\nStudy date: 2026-05-02\n" in text


def test_the_one_shot_draft_is_the_body_between_its_banner_and_the_unsigned_line(
    make_study: Callable[..., Study],
) -> None:
    study = make_study(
        patient={"age_years": 60, "sex": "male", "name": "DOE^JANE", "mrn": "12345"}, study_date="2026-05-02"
    )
    report = draft_report(study, now=NOW)
    body = template_set().body(report)
    assert body.startswith("Patient: DOE^JANE\nMRN: 12345\nStudy date: 2026-05-02\n\nINDICATION\nChest pain.\n")
    assert "DRAFT" not in body and "not yet signed" not in body
    assert template_set().render(report, "text") == (
        "MYOCARDIAL PERFUSION IMAGING REPORT (DRAFT: requires physician review and signature)\n\n"
        + body
        + "\nInterpreting physician: ______________________ (not yet signed)\n"
    )


SIGNING = Signing("dr.lee", "physician", dt.datetime(2026, 11, 21, 10, 5, 7, tzinfo=dt.UTC), "I approve this report.")


def test_the_signed_report_has_the_plain_title_and_the_electronic_signature() -> None:
    assert template_set().signed("Patient: DOE^JANE\n\nIMPRESSION\n1. Normal.\n", SIGNING) == (
        "MYOCARDIAL PERFUSION IMAGING REPORT\n\n"
        "Patient: DOE^JANE\n\nIMPRESSION\n1. Normal.\n\n"
        "Electronically signed by dr.lee (physician) on 2026-11-21 10:05:07 UTC.\n"
        "Meaning of this signature: I approve this report.\n"
    )


def test_a_signed_addendum_names_the_report_it_adds_to() -> None:
    later = Signing("dr.kim", "physician", dt.datetime(2026, 11, 22, 8, tzinfo=dt.UTC), "I approve this addendum.")
    assert template_set().signed_addendum("Echo LVEF 35% confirmed.", later, 2, SIGNING) == (
        "ADDENDUM 2 TO THE MYOCARDIAL PERFUSION IMAGING REPORT\n"
        "(report signed by dr.lee on 2026-11-21 10:05 UTC)\n\n"
        "Echo LVEF 35% confirmed.\n\n"
        "Electronically signed by dr.kim (physician) on 2026-11-22 08:00:00 UTC.\n"
        "Meaning of this signature: I approve this addendum.\n"
    )
