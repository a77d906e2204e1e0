"""verify(): one behaviour per error type, with its literal code and span."""

from __future__ import annotations

import pytest

from guardrails import FlagCode, FlagSeverity, verify
from reporter.domain.study import Study

F = FlagCode


def _errors(text: str, study: Study, scope: str = "full") -> list[tuple[str, str | None]]:
    return [
        (f.code.value, text[f.span[0] : f.span[1]] if f.span else None)
        for f in verify(text, study, scope=scope)  # type: ignore[arg-type]
        if f.severity is FlagSeverity.ERROR
    ]


@pytest.mark.parametrize(
    ("text", "code", "shown"),
    [
        ("Post-stress LVEF is 45%.", "G101", "45%"),
        ("Post-stress end-diastolic volume 130 mL and end-systolic volume 50 mL.", "G102", "130 mL"),
        ("The TID ratio is 1.32.", "G103", "1.32"),
        ("Summed stress score 9.", "G104", "9"),
        ("Total perfusion deficit 12% at stress.", "G105", "12%"),
        ("Ischemic myocardium 12.4% of the left ventricle.", "G105", "12.4% of the left ventricle"),
        ("Heart rate rose from 72 bpm at rest to 118 bpm at peak stress.", "G108", "118 bpm"),
        ("Blood pressure was 162/84 mmHg at rest.", "G108", "162/84 mmHg"),
        ("Stress dose: Tc-99m tetrofosmin 925 MBq.", "G110", "925 MBq"),
        ("The left ventricle shows 42 abnormal findings.", "G111", "42"),
        ("The study was performed on 2026-05-09.", "G112", "2026-05-09"),
    ],
)
def test_wrong_number(lad: Study, text: str, code: str, shown: str) -> None:
    assert _errors(text, lad) == [(code, shown)]


def test_wrong_flow_reserve_and_calcium(example) -> None:  # type: ignore[no-untyped-def]
    pet = example("pet_rb82_balanced_ischemia")
    text = "Global myocardial flow reserve is 1.85. Coronary artery calcium score (Agatston) 712."
    assert _errors(text, pet) == [("G106", "1.85"), ("G107", "712")]


def test_wrong_exercise_duration(normal_exercise: Study) -> None:
    text = "The patient exercised for 11 minutes on a Bruce protocol, achieving 10.1 METs."
    assert _errors(text, normal_exercise) == [("G109", "11 minutes")]


@pytest.mark.parametrize(
    ("text", "code", "shown"),
    [
        ("Reversible defect in the RCA territory (anterior).", "G201", "RCA territory"),
        ("Reversible defect in the LAD territory (inferior).", "G202", "inferior"),
        (
            "There is a moderate reversible perfusion defect in the LAD territory involving the anterior wall "
            "(segments 1, 7, 9).",
            "G203",
            "9",
        ),
        (
            "There is a medium, severe reversible perfusion defect in the LAD territory involving the anterior wall.",
            "G301",
            "severe",
        ),
        (
            "There is a large, moderate reversible perfusion defect in the LAD territory involving the anterior wall.",
            "G302",
            "large",
        ),
        (
            "There is a medium, moderate fixed perfusion defect in the LAD territory involving the anterior wall.",
            "G303",
            "fixed",
        ),
    ],
)
def test_wrong_location_or_character(lad: Study, text: str, code: str, shown: str) -> None:
    assert _errors(text, lad) == [(code, shown)]


@pytest.mark.parametrize(
    ("text", "code", "shown"),
    [
        ("There is transient ischemic dilation.", "G404", "transient ischemic dilation"),
        (
            "Regional wall motion is abnormal (hypokinetic) in the anterior wall.",
            "G405",
            "Regional wall motion is abnormal (hypokinetic) in the anterior wall.",
        ),
        ("Breast attenuation artifact is noted.", "G406", "Breast attenuation"),
        ("Increased lung uptake is noted.", "G407", "Increased lung uptake"),
    ],
)
def test_false_finding(lad: Study, text: str, code: str, shown: str) -> None:
    assert (code, shown) in _errors(text, lad)


def test_right_ventricle_the_study_does_not_record_is_an_error_only_in_a_model_text(lad: Study) -> None:
    # a Study has no RV field: the claim is unverified (a warning for a physician), never contradicted
    text = "The right ventricle is dilated."
    assert "G408" not in {code for code, _ in _errors(text, lad)}
    model = [(f.code.value, f.severity) for f in verify(text, lad, origin="model")]
    assert ("G408", FlagSeverity.ERROR) in model


def test_false_defect_ischemia_and_scar_in_a_normal_study(normal_exercise: Study) -> None:
    text = "There is a small defect in the RCA territory involving the inferior wall, consistent with infarction."
    codes = {code for code, _ in _errors(text, normal_exercise)}
    assert {"G401", "G403"} <= codes
    assert _errors("Findings consistent with ischemia.", normal_exercise) == [("G402", "ischemia")]


def test_missing_findings_only_in_impression_scope(lad: Study) -> None:
    text = "Normal left ventricular systolic function (LVEF 55%).\nIntermediate risk of cardiac events."
    assert _errors(text, lad, scope="impression") == [("G501", None), ("G505", None)]
    assert _errors(text, lad, scope="full") == []


def test_missing_high_risk_and_reduced_ef(example) -> None:  # type: ignore[no-untyped-def]
    multivessel = example("spect_multivessel_high_risk")
    # a lower risk stated is an error; no risk graded at all leaves the high risk unstated (G503 as a warning)
    text = "Abnormal myocardial perfusion, consistent with ischemia. Intermediate risk."
    assert [code for code, _ in _errors(text, multivessel, scope="impression")] == ["G801", "G503", "G504"]
    text = "Abnormal myocardial perfusion, consistent with ischemia."
    assert _errors(text, multivessel, scope="impression") == [("G504", None)]
    flags = verify(text, multivessel, scope="impression")
    assert [(f.code.value, f.severity.value) for f in flags if f.code.value == "G503"] == [("G503", "warning")]


@pytest.mark.parametrize(
    ("text", "code", "shown"),
    [
        ("There is no ischemia.", "G601", "ischemia"),
        ("Normal myocardial perfusion.", "G602", "Normal myocardial perfusion"),
        ("Pharmacologic stress with adenosine.", "G603", "adenosine"),
        ("Imaging with Tl-201.", "G604", "Tl-201"),
        ("Ischemic ECG response.", "G607", "Ischemic ECG response"),
        ("Compared with the prior study, perfusion is unchanged.", "G701", "unchanged"),
        ("High risk of cardiac events.", "G801", "High risk"),
    ],
)
def test_contradiction(lad: Study, text: str, code: str, shown: str) -> None:
    assert _errors(text, lad) == [(code, shown)]


def test_stress_type_contradiction(normal_exercise: Study) -> None:
    assert _errors("Pharmacologic stress was performed.", normal_exercise) == [("G605", "Pharmacologic stress")]


def test_comparison_with_a_prior(followup: Study) -> None:
    assert _errors("No prior study was provided for comparison.", followup) == [("G703", "No prior study was provided")]
    text = "Compared with the prior study of 2024-08-27, the defect in the LCx territory is unchanged."
    assert ("G702", "unchanged") in _errors(text, followup)


def test_impression_contradicting_its_findings(lad: Study) -> None:
    text = (
        "FINDINGS: There is a medium, moderate reversible perfusion defect in the LAD territory involving the "
        "anterior wall.\n\nIMPRESSION: Normal myocardial perfusion.\n"
    )
    codes = [code for code, _ in _errors(text, lad)]
    assert F.IMPRESSION_VS_FINDINGS.value in codes


def test_flag_carries_evidence_and_check(lad: Study) -> None:
    (flag,) = verify("Post-stress LVEF is 45%.", lad)
    assert flag.code is F.LVEF
    assert flag.span == (20, 23)
    assert flag.evidence == "LVEF: 55 (peak)"
    assert flag.check == "guardrails.numbers.v1"
