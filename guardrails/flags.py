"""Flags: what a guardrail check reports, and the one catalogue of flag codes.

Every flag has a stable code (``G101``), a severity, a message a physician understands, the
``[start, end)`` span of the text it concerns (None for something missing from the text) and
the evidence: the fact it contradicts, or "no supporting fact". Tests assert codes, never the
wording. Never renumber a code; add new ones at the end of their block.

    G1xx  wrong number                G5xx  missing finding (scope="impression")
    G2xx  wrong location              G6xx  contradiction (negation flip, normal/abnormal, agent, tracer)
    G3xx  wrong severity / extent /   G7xx  comparison with a prior
          reversibility               G8xx  risk statement
    G4xx  finding not in the facts    G9xx  internal consistency of one text (QA), and of a rephrased
                                            sentence with its reference (G904, G905)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["CATALOGUE", "NO_SUPPORT", "CodeSpec", "Flag", "FlagCode", "FlagSeverity", "make_flag"]

NO_SUPPORT = "no supporting fact"


class FlagSeverity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class FlagCode(StrEnum):
    # wrong number
    LVEF = "G101"
    LV_VOLUME = "G102"
    TID_RATIO = "G103"
    SUMMED_SCORE = "G104"
    PERFUSION_PERCENT = "G105"
    FLOW = "G106"
    CALCIUM = "G107"
    HEMODYNAMICS = "G108"
    EXERCISE = "G109"
    DOSE = "G110"
    UNSUPPORTED_NUMBER = "G111"
    DATE = "G112"
    # wrong location
    TERRITORY = "G201"
    WALL = "G202"
    SEGMENT = "G203"
    # wrong character of a defect
    SEVERITY = "G301"
    EXTENT = "G302"
    REVERSIBILITY = "G303"
    LVEF_CATEGORY = "G304"
    # finding not in the facts
    FALSE_DEFECT = "G401"
    FALSE_ISCHEMIA = "G402"
    FALSE_SCAR = "G403"
    FALSE_TID = "G404"
    FALSE_WALL_MOTION = "G405"
    FALSE_ARTIFACT = "G406"
    FALSE_LUNG_UPTAKE = "G407"
    FALSE_RV = "G408"
    FALSE_OTHER = "G409"
    # missing finding
    MISSING_ISCHEMIA = "G501"
    MISSING_SCAR = "G502"
    MISSING_HIGH_RISK = "G503"
    MISSING_REDUCED_EF = "G504"
    MISSING_ABNORMAL_PERFUSION = "G505"
    MISSING_HIGH_RISK_FEATURE = "G506"
    MISSING_RISK = "G507"
    # contradictions
    NEGATION_FLIP = "G601"
    NORMAL_ABNORMAL = "G602"
    STRESS_AGENT = "G603"
    TRACER = "G604"
    STRESS_TYPE = "G605"
    MODALITY = "G606"
    ECG_RESPONSE = "G607"
    # comparison
    COMPARISON_WITHOUT_PRIOR = "G701"
    COMPARISON_CONTRADICTS_PRIOR = "G702"
    PRIOR_DENIED = "G703"
    # risk
    RISK = "G801"
    # internal consistency of one text
    IMPRESSION_VS_FINDINGS = "G901"
    TITLE_VS_BODY = "G902"
    INCONSISTENT_VALUES = "G903"
    PARAPHRASE_DROPS = "G904"
    PARAPHRASE_ADDS = "G905"


@dataclass(frozen=True, slots=True)
class CodeSpec:
    severity: FlagSeverity
    title: str


_E, _W, _I = FlagSeverity.ERROR, FlagSeverity.WARNING, FlagSeverity.INFO
C = FlagCode

#: Default severity and a one-line title of every code (the message adds the particulars).
CATALOGUE: MappingProxyType[FlagCode, CodeSpec] = MappingProxyType(
    {
        C.LVEF: CodeSpec(_E, "reported LVEF differs from the measured value"),
        C.LV_VOLUME: CodeSpec(_E, "reported LV volume (EDV/ESV) differs from the measured value"),
        C.TID_RATIO: CodeSpec(_E, "reported TID ratio differs from the measured value"),
        C.SUMMED_SCORE: CodeSpec(_E, "reported summed score (SSS/SRS/SDS) differs from the measured value"),
        C.PERFUSION_PERCENT: CodeSpec(_E, "reported TPD or % of the left ventricle differs from the measured value"),
        C.FLOW: CodeSpec(_E, "reported myocardial blood flow or flow reserve differs from the measured value"),
        C.CALCIUM: CodeSpec(_E, "reported calcium score differs from the measured value"),
        C.HEMODYNAMICS: CodeSpec(_E, "reported heart rate or blood pressure differs from the stress data"),
        C.EXERCISE: CodeSpec(_E, "reported exercise data (duration, METs, %MPHR, Duke score) differ"),
        C.DOSE: CodeSpec(_E, "reported dose or activity differs from the procedure data"),
        C.UNSUPPORTED_NUMBER: CodeSpec(_E, "number with no supporting fact"),
        C.DATE: CodeSpec(_E, "date differs from the study or prior-study date"),
        C.TERRITORY: CodeSpec(_E, "wrong coronary territory"),
        C.WALL: CodeSpec(_E, "wrong wall"),
        C.SEGMENT: CodeSpec(_E, "wrong segment"),
        C.SEVERITY: CodeSpec(_E, "wrong defect severity"),
        C.EXTENT: CodeSpec(_E, "wrong defect extent"),
        C.REVERSIBILITY: CodeSpec(_E, "wrong reversibility (reversible / partially reversible / fixed)"),
        C.LVEF_CATEGORY: CodeSpec(_E, "wrong grade of LV systolic function"),
        C.FALSE_DEFECT: CodeSpec(_E, "perfusion defect not in the facts"),
        C.FALSE_ISCHEMIA: CodeSpec(_E, "ischemia not in the facts"),
        C.FALSE_SCAR: CodeSpec(_E, "scar or infarction not in the facts"),
        C.FALSE_TID: CodeSpec(_E, "transient ischemic dilation not in the facts"),
        C.FALSE_WALL_MOTION: CodeSpec(_E, "wall-motion statement not in the facts"),
        C.FALSE_ARTIFACT: CodeSpec(_E, "artifact not in the facts"),
        C.FALSE_LUNG_UPTAKE: CodeSpec(_E, "increased lung uptake not in the facts"),
        C.FALSE_RV: CodeSpec(_E, "right-ventricular finding not in the facts"),
        C.FALSE_OTHER: CodeSpec(_E, "finding not in the facts"),
        C.MISSING_ISCHEMIA: CodeSpec(_E, "ischemia is not mentioned"),
        C.MISSING_SCAR: CodeSpec(_E, "scar is not mentioned"),
        C.MISSING_HIGH_RISK: CodeSpec(_E, "high-risk result is not stated"),
        C.MISSING_REDUCED_EF: CodeSpec(_E, "reduced LV systolic function is not mentioned"),
        C.MISSING_ABNORMAL_PERFUSION: CodeSpec(_E, "abnormal perfusion is not mentioned"),
        C.MISSING_HIGH_RISK_FEATURE: CodeSpec(_W, "a high-risk feature is not mentioned"),
        C.MISSING_RISK: CodeSpec(_W, "no risk statement"),
        C.NEGATION_FLIP: CodeSpec(_E, "the text negates a finding the facts show (or affirms one they exclude)"),
        C.NORMAL_ABNORMAL: CodeSpec(_E, "normal/abnormal contradicts the facts"),
        C.STRESS_AGENT: CodeSpec(_E, "wrong stress agent"),
        C.TRACER: CodeSpec(_E, "wrong tracer"),
        C.STRESS_TYPE: CodeSpec(_E, "wrong type of stress (exercise / pharmacologic)"),
        C.MODALITY: CodeSpec(_E, "wrong modality (SPECT / PET)"),
        C.ECG_RESPONSE: CodeSpec(_E, "wrong ECG response"),
        C.COMPARISON_WITHOUT_PRIOR: CodeSpec(_E, "comparison with a prior study, but no prior was provided"),
        C.COMPARISON_CONTRADICTS_PRIOR: CodeSpec(_E, "comparison contradicts the prior study"),
        C.PRIOR_DENIED: CodeSpec(_E, "text says there is no prior study, but one was provided"),
        C.RISK: CodeSpec(_E, "risk statement contradicts the rules"),
        C.IMPRESSION_VS_FINDINGS: CodeSpec(_E, "impression contradicts the findings of the same text"),
        C.TITLE_VS_BODY: CodeSpec(_E, "title or procedure line contradicts the body of the report"),
        C.INCONSISTENT_VALUES: CodeSpec(_W, "the same quantity is stated with different values"),
        C.PARAPHRASE_DROPS: CodeSpec(_E, "a rephrased sentence leaves out a fact of the sentence it rephrases"),
        C.PARAPHRASE_ADDS: CodeSpec(_E, "a rephrased sentence states something the sentence it rephrases does not"),
    }
)


class Flag(BaseModel):
    """One problem found in a text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: FlagCode
    severity: FlagSeverity
    message: str = Field(min_length=1)
    span: tuple[int, int] | None = Field(description="[start, end) into the text; None for a missing finding")
    evidence: str = Field(min_length=1, description="the fact it contradicts, or 'no supporting fact'")
    check: str = Field(default="", description="the registered check that raised it")

    @model_validator(mode="after")
    def _span_ordered(self) -> Flag:
        if self.span is not None and not 0 <= self.span[0] <= self.span[1]:
            raise ValueError(f"span must satisfy 0 <= start <= end, got {self.span}")
        return self

    @property
    def title(self) -> str:
        return CATALOGUE[self.code].title


def make_flag(
    code: FlagCode,
    message: str,
    span: tuple[int, int] | None,
    evidence: str = NO_SUPPORT,
    severity: FlagSeverity | None = None,
) -> Flag:
    """A flag with the catalogue's default severity unless one is given."""
    return Flag(
        code=code,
        severity=severity or CATALOGUE[code].severity,
        message=message,
        span=span,
        evidence=evidence,
    )
