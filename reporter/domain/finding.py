"""A Finding: one clinical statement with its values and the evidence it rests on.

Rules produce Findings from a Study; extraction produces them from text; guardrails compare
Findings with Findings; templates phrase them. A Finding never holds prose, so the same
statement can be rendered by a site's template, phrased by a language model, or checked.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator, WithJsonSchema, field_validator

from reporter.domain.thresholds import GUIDELINES
from reporter.domain.vocabulary import Certainty, Extent, Reversibility, SeverityRange, Territory, Wall

__all__ = ["Finding", "FindingCode", "Section"]


class Section(StrEnum):
    """Report sections, in the ASNC reporting order."""

    INDICATION = "indication"
    PROCEDURE = "procedure"
    STRESS = "stress"
    PERFUSION = "perfusion"
    FUNCTION = "function"
    FLOW = "flow"
    ANCILLARY = "ancillary"
    COMPARISON = "comparison"
    IMPRESSION = "impression"
    DECISION_SUPPORT = "decision_support"

    @property
    def heading(self) -> str:
        return {
            "indication": "Indication",
            "procedure": "Procedure",
            "stress": "Stress test",
            "perfusion": "Myocardial perfusion",
            "function": "Gated left ventricular function",
            "flow": "Myocardial blood flow",
            "ancillary": "Ancillary findings",
            "comparison": "Comparison",
            "impression": "Impression",
            "decision_support": "Decision support (model output, not a diagnosis)",
        }[self.value]


class FindingCode(StrEnum):
    """Stable codes of the statements rules can make. Never renumber; add new codes at the end."""

    # section: indication / procedure
    INDICATION = "INDICATION"
    HISTORY = "HISTORY"
    PROCEDURE = "PROCEDURE"
    TRACER_DOSE = "TRACER_DOSE"
    MEASUREMENT_SOURCE = "MEASUREMENT_SOURCE"
    # stress
    STRESS_EXERCISE = "STRESS_EXERCISE"
    STRESS_PHARMACOLOGIC = "STRESS_PHARMACOLOGIC"
    STRESS_HEART_RATE = "STRESS_HEART_RATE"
    STRESS_BLOOD_PRESSURE = "STRESS_BLOOD_PRESSURE"
    STRESS_SYMPTOMS = "STRESS_SYMPTOMS"
    STRESS_TERMINATION = "STRESS_TERMINATION"
    STRESS_ECG = "STRESS_ECG"
    STRESS_ARRHYTHMIA = "STRESS_ARRHYTHMIA"
    DUKE_SCORE = "DUKE_SCORE"
    # perfusion
    IMAGE_QUALITY = "IMAGE_QUALITY"
    ARTIFACT = "ARTIFACT"
    PERFUSION_NORMAL = "PERFUSION_NORMAL"
    PERFUSION_DEFECT = "PERFUSION_DEFECT"
    PERFUSION_EQUIVOCAL_REGION = "PERFUSION_EQUIVOCAL_REGION"
    SUMMED_SCORES = "SUMMED_SCORES"
    TOTAL_PERFUSION_DEFICIT = "TOTAL_PERFUSION_DEFICIT"
    ISCHEMIC_BURDEN = "ISCHEMIC_BURDEN"
    # function
    LVEF = "LVEF"
    LV_VOLUMES = "LV_VOLUMES"
    WALL_MOTION = "WALL_MOTION"
    POST_STRESS_LVEF_DROP = "POST_STRESS_LVEF_DROP"
    TID = "TID"
    LUNG_HEART_RATIO = "LUNG_HEART_RATIO"
    # PET flow
    FLOW_GLOBAL = "FLOW_GLOBAL"
    FLOW_REGIONAL = "FLOW_REGIONAL"
    FLOW_BALANCED_REDUCTION = "FLOW_BALANCED_REDUCTION"
    # calcium
    CALCIUM = "CALCIUM"
    # comparison
    COMPARISON_NONE = "COMPARISON_NONE"
    COMPARISON_DEFECT_NEW = "COMPARISON_DEFECT_NEW"
    COMPARISON_DEFECT_RESOLVED = "COMPARISON_DEFECT_RESOLVED"
    COMPARISON_DEFECT_CHANGED = "COMPARISON_DEFECT_CHANGED"
    COMPARISON_DEFECT_UNCHANGED = "COMPARISON_DEFECT_UNCHANGED"
    COMPARISON_ISCHEMIA = "COMPARISON_ISCHEMIA"
    COMPARISON_LVEF = "COMPARISON_LVEF"
    COMPARISON_OVERALL = "COMPARISON_OVERALL"
    # impression
    HIGH_RISK_FEATURE = "HIGH_RISK_FEATURE"
    IMPRESSION_PERFUSION = "IMPRESSION_PERFUSION"
    IMPRESSION_FUNCTION = "IMPRESSION_FUNCTION"
    IMPRESSION_FLOW = "IMPRESSION_FLOW"
    IMPRESSION_CALCIUM = "IMPRESSION_CALCIUM"
    IMPRESSION_STRESS = "IMPRESSION_STRESS"
    RISK = "RISK"
    # added after v1 (kept at the end: codes are never renumbered)
    COMPARISON_LOCATION_UNKNOWN = "COMPARISON_LOCATION_UNKNOWN"
    BODY_HABITUS = "BODY_HABITUS"
    MEDICATIONS = "MEDICATIONS"
    BASELINE_ECG = "BASELINE_ECG"
    # Tl-201 rest-redistribution (viability): no stress, so no ischemia; redistribution means viable myocardium
    VIABILITY_REGION = "VIABILITY_REGION"
    VIABILITY_SCORES = "VIABILITY_SCORES"
    IMPRESSION_VIABILITY = "IMPRESSION_VIABILITY"
    RV_UPTAKE = "RV_UPTAKE"


Value = str | int | float | bool | None | tuple[Any, ...]


def _severity_range(value: Any) -> SeverityRange:
    if isinstance(value, SeverityRange):
        return value
    if isinstance(value, str):
        return SeverityRange.parse(value)
    raise ValueError(f"severity must be a SeverityRange or a string such as 'moderate-to-severe', got {value!r}")


#: A SeverityRange that reads and writes as its words ("moderate", "moderate-to-severe").
SeverityField = Annotated[
    SeverityRange,
    PlainValidator(_severity_range),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": "^(mild|moderate|severe)(-to-(mild|moderate|severe))?$"}),
]


class Finding(BaseModel):
    """One clinical statement. ``evidence`` lists the input fields it rests on (dotted paths)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: FindingCode
    section: Section
    values: dict[str, Value] = Field(default_factory=dict)
    territory: Territory | None = None
    segments: tuple[int, ...] = ()
    walls: tuple[Wall, ...] = ()
    severity: SeverityField | None = None
    extent: Extent | None = None
    reversibility: Reversibility | None = None
    certainty: Certainty = Certainty.AFFIRMED
    evidence: tuple[str, ...] = Field(min_length=1)
    rule: str = Field(min_length=1, description="the rule that made it, e.g. 'perfusion.defects'")
    guideline: str | None = Field(default=None, description="id in reporter.domain.thresholds.GUIDELINES")

    @field_validator("segments")
    @classmethod
    def _segments_in_range(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        bad = [n for n in value if not 1 <= n <= 17]
        if bad:
            raise ValueError(f"segment numbers must be 1-17, got {bad}")
        return value

    @field_validator("guideline")
    @classmethod
    def _known_guideline(cls, value: str | None) -> str | None:
        if value is not None and value not in GUIDELINES:
            raise ValueError(f"unknown guideline id {value!r}")
        return value
