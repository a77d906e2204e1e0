"""The coded vocabulary: enum members and their words, SeverityRange, thresholds' labels, flag codes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from reporter.domain.finding import Finding, FindingCode, Section
from reporter.domain.flags import CATALOGUE, FlagCode, FlagSeverity
from reporter.domain.thresholds import AGE_PREDICTED_MAX_HR_BASE, MAX_SUMMED_SCORE, Band, Thresholds
from reporter.domain.vocabulary import (
    BaselineEcg,
    CacBand,
    DukeCategory,
    HighRiskFeature,
    IschemicExtent,
    LvefGrade,
    MfrCategory,
    PerfusionResult,
    RiskCategory,
    RvUptake,
    Severity,
    SeverityRange,
)


@pytest.mark.parametrize(
    ("enum", "words"),
    [
        (PerfusionResult, ["normal", "probably normal", "equivocal", "abnormal", "non-diagnostic"]),
        (LvefGrade, ["normal", "mildly reduced", "moderately reduced", "severely reduced"]),
        (RiskCategory, ["low", "intermediate", "high", "indeterminate"]),
        (MfrCategory, ["normal", "reduced", "severely reduced"]),
        (DukeCategory, ["high risk", "moderate risk", "low risk"]),
        (CacBand, ["no identifiable coronary calcium", "mild", "moderate", "severe"]),
        (IschemicExtent, ["minimal", "mild", "moderate", "severe"]),
        (
            HighRiskFeature,
            [
                "ischemic_burden",
                "multivessel_defects",
                "large_defect",
                "transient_ischemic_dilation",
                "low_lvef",
                "post_stress_lvef_drop",
                "high_esv",
                "lung_uptake",
                "duke_high_risk",
                "exercise_hypotension",
                "severely_reduced_mfr",
            ],
        ),
    ],
)
def test_enum_members_keep_the_words_of_the_json_output(enum: type, words: list[str]) -> None:
    assert [m.value for m in enum] == words


@pytest.mark.parametrize(
    ("baseline", "permits"),
    [
        ("right bundle branch block", True),  # V1-V3 aside, exercise ST depression stays readable
        ("left bundle branch block", False),
        ("normal", True),
        ("digoxin effect", False),
    ],
)
def test_baseline_ecg_permits_st_analysis(baseline: str, permits: bool) -> None:
    assert BaselineEcg(baseline).permits_st_analysis is permits


def test_rv_uptake_words() -> None:
    assert [m.value for m in RvUptake] == ["normal", "increased"]


def test_duke_category_level_is_the_risk_word_alone() -> None:
    assert [c.level for c in DukeCategory] == ["high", "moderate", "low"]


@pytest.mark.parametrize(
    ("low", "high", "text", "grades"),
    [
        (Severity.MODERATE, Severity.MODERATE, "moderate", ("moderate",)),
        (Severity.MODERATE, Severity.SEVERE, "moderate-to-severe", ("moderate", "severe")),
        (Severity.MILD, Severity.SEVERE, "mild-to-severe", ("mild", "moderate", "severe")),
    ],
)
def test_severity_range_words_and_grades(low: Severity, high: Severity, text: str, grades: tuple[str, ...]) -> None:
    rng = SeverityRange(low, high)
    assert str(rng) == text
    assert rng.grades == grades
    assert SeverityRange.parse(text) == rng


def test_severity_range_of_grades_spans_lowest_to_highest() -> None:
    assert SeverityRange.of([Severity.SEVERE, Severity.MILD, Severity.SEVERE]) == SeverityRange(
        Severity.MILD, Severity.SEVERE
    )


def test_inverted_severity_range_cannot_be_built() -> None:
    with pytest.raises(ValueError, match="severity range must ascend, got severe to mild"):
        SeverityRange(Severity.SEVERE, Severity.MILD)


@pytest.mark.parametrize("text", ["severe-to-mild", "huge", "moderate-to-", ""])
def test_severity_range_parse_rejects_other_words(text: str) -> None:
    with pytest.raises(ValueError):
        SeverityRange.parse(text)


def test_finding_severity_reads_and_writes_its_words() -> None:
    f = Finding(
        code=FindingCode.PERFUSION_DEFECT,
        section=Section.PERFUSION,
        severity="moderate-to-severe",
        evidence=("perfusion",),
        rule="test",
    )
    assert f.severity == SeverityRange(Severity.MODERATE, Severity.SEVERE)
    assert f.model_dump(mode="json")["severity"] == "moderate-to-severe"
    with pytest.raises(ValidationError, match="severity range must ascend"):
        Finding(
            code=FindingCode.PERFUSION_DEFECT,
            section=Section.PERFUSION,
            severity="severe-to-mild",
            evidence=("perfusion",),
            rule="test",
        )


def test_threshold_band_labels_must_be_vocabulary_words() -> None:
    with pytest.raises(ValidationError, match=r"duke_bands: labels \['very high'\] are not among"):
        Thresholds(
            duke_bands=(
                Band(label="very high", upper=-10),
                Band(label="moderate risk", lower=-10, upper=5),
                Band(label="low risk", lower=5),
            )
        )


def test_thresholds_return_vocabulary_members() -> None:
    t = Thresholds()
    assert t.duke_category(-12) is DukeCategory.HIGH
    assert t.cac_category(0) is CacBand.NONE
    assert t.ischemic_category(12.0) is IschemicExtent.MODERATE
    assert t.annual_risk(RiskCategory.INTERMEDIATE) == Band(label="intermediate", lower=1, upper=3)
    assert t.annual_risk(RiskCategory.INDETERMINATE) is None
    assert (MAX_SUMMED_SCORE, AGE_PREDICTED_MAX_HR_BASE) == (68, 220)


@pytest.mark.parametrize(
    ("code", "value", "severity", "fields", "message"),
    [
        (
            FlagCode.MODEL_TEXT_REPAIRED,
            "N101",
            FlagSeverity.INFO,
            {"problems": "G101: LVEF differs"},
            "Model text was repaired after: G101: LVEF differs.",
        ),
        (
            FlagCode.MODEL_TEXT_REPLACED,
            "N102",
            FlagSeverity.INFO,
            {"problems": "G201: wrong territory"},
            "Model text failed verification twice and was replaced by the rule-based sentence (G201: wrong territory).",
        ),
        (
            FlagCode.NO_LLM,
            "N103",
            FlagSeverity.WARNING,
            {"reason": "E301: timeout"},
            "The language model was not used (E301: timeout); the narrative is the rule-based text.",
        ),
    ],
)
def test_n_codes_are_in_the_one_catalogue(
    code: FlagCode, value: str, severity: FlagSeverity, fields: dict[str, str], message: str
) -> None:
    assert code.value == value
    assert CATALOGUE[code].severity is severity
    assert CATALOGUE[code].message(**fields) == message


def test_g_codes_word_their_own_messages() -> None:
    with pytest.raises(ValueError, match="has no message template"):
        CATALOGUE[FlagCode.LVEF].message()
