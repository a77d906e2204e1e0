"""The validated input of one study: what imaging software and the stress lab produce.

Every number carries its unit in the field name (``_bpm``, ``_mmhg``, ``_percent``, ``_ml``,
``_ml_min_g``) or in its type (:class:`Activity`). Ranges are validated at construction, so a
``Study`` that exists is consistent; errors name the field, the value and the reason.
Identifiers (name, MRN, accession, birth date) are optional, are PHI, and never reach a log or
a language model.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationInfo, field_validator, model_validator

from reporter.domain.thresholds import AGE_PREDICTED_MAX_HR_BASE, MAX_SUMMED_SCORE
from reporter.domain.vocabulary import (
    ACTIVITY_MBQ_PER_MCI,
    AttenuationCorrection,
    BaselineEcg,
    BetaBlocker,
    CacVisualGrade,
    CalciumAcquisition,
    EcgResponse,
    Extent,
    ImageQuality,
    Modality,
    PerfusionResult,
    Protocol,
    Reversibility,
    RvUptake,
    Severity,
    Sex,
    StressAgent,
    StressType,
    Territory,
    Tracer,
    Wall,
    WallMotion,
)

__all__ = [
    "Activity",
    "AnginaIndex",
    "Artifact",
    "ArtifactKind",
    "Calcium",
    "ChestPainType",
    "Clinical",
    "GatedFunction",
    "LaterImages",
    "MeasurementSource",
    "Patient",
    "Perfusion",
    "PetFlow",
    "PriorDefect",
    "PriorStudy",
    "Procedure",
    "RiskFactor",
    "SegmentScore",
    "SegmentWallMotion",
    "StSlope",
    "StressTest",
    "Study",
    "TerritoryFlow",
    "TracerDose",
]


class _Model(BaseModel):
    """Strict input: unknown fields are errors, values are checked on assignment too."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


Percent = Annotated[float, Field(ge=0, le=100)]
Score = Annotated[int, Field(ge=0, le=4, description="semiquantitative segment score, 0 normal to 4 absent")]
SegmentNumber = Annotated[int, Field(ge=1, le=17, description="AHA 17-segment number")]
HeartRate = Annotated[float, Field(ge=20, le=260)]
SystolicBp = Annotated[float, Field(ge=40, le=300)]
DiastolicBp = Annotated[float, Field(ge=10, le=200)]
Mbf = Annotated[float, Field(ge=0, le=10, description="myocardial blood flow, mL/min/g")]


class MeasurementSource(_Model):
    """The software or model that produced a block of measurements; the report names it."""

    software: str = Field(min_length=1, max_length=200)
    version: str = Field(min_length=1, max_length=100)


# --- patient and clinical ------------------------------------------------------------------


class Patient(_Model):
    age_years: int = Field(ge=0, le=120)
    sex: Sex
    height_cm: float | None = Field(default=None, ge=40, le=250)
    weight_kg: float | None = Field(default=None, ge=2, le=400)
    # Identifiers: optional, PHI, excluded from repr, logs and model prompts.
    name: SecretStr | None = Field(default=None, repr=False)
    mrn: SecretStr | None = Field(default=None, repr=False)
    birth_date: dt.date | None = Field(default=None, repr=False)

    @property
    def bmi_kg_m2(self) -> float | None:
        if self.height_cm is None or self.weight_kg is None:
            return None
        return round(self.weight_kg / (self.height_cm / 100) ** 2, 1)


class ChestPainType(StrEnum):
    """Diamond-Forrester classification of chest pain."""

    TYPICAL = "typical angina"
    ATYPICAL = "atypical angina"
    NONANGINAL = "non-anginal pain"
    ASYMPTOMATIC = "asymptomatic"


class RiskFactor(StrEnum):
    HYPERTENSION = "hypertension"
    DIABETES = "diabetes"
    DYSLIPIDEMIA = "dyslipidemia"
    SMOKING = "smoking"
    FAMILY_HISTORY = "family history of premature CAD"
    OBESITY = "obesity"
    CKD = "chronic kidney disease"


class Clinical(_Model):
    indication: str = Field(min_length=1, max_length=2000)
    symptoms: tuple[str, ...] = ()
    chest_pain_type: ChestPainType | None = None
    known_cad: bool = False
    prior_mi: bool = False
    prior_pci: bool = False
    prior_cabg: bool = False
    risk_factors: tuple[RiskFactor, ...] = ()
    total_cholesterol_mg_dl: float | None = Field(default=None, ge=50, le=1000)
    fasting_glucose_mg_dl: float | None = Field(default=None, ge=20, le=1000)
    medications: tuple[Annotated[str, Field(min_length=1, max_length=100)], ...] = Field(
        default=(), max_length=50, description="current cardiac medications, as given"
    )
    beta_blocker: BetaBlocker | None = Field(default=None, description="status on the day of the test")
    resting_ecg: BaselineEcg | None = Field(
        default=None,
        description="rest-redistribution only: the resting ECG of a study without a stress test (a stress test "
        "gives it as stress.baseline_ecg)",
    )


# --- procedure -----------------------------------------------------------------------------


class Activity(_Model):
    """An injected activity with its unit; ``mbq`` is the canonical value."""

    value: float = Field(gt=0)
    unit: Literal["MBq", "mCi"]

    @property
    def mbq(self) -> float:
        return round(self.value * ACTIVITY_MBQ_PER_MCI, 1) if self.unit == "mCi" else self.value

    @model_validator(mode="after")
    def _plausible(self) -> Self:
        if self.mbq > 5000:
            raise ValueError(f"activity {self.value} {self.unit} is above 5000 MBq; check the unit")
        return self


class TracerDose(_Model):
    tracer: Tracer
    phase: Literal["rest", "stress"]
    activity: Activity | None = None


#: The images a stress defect is compared with: rest images, or Tl-201's redistribution images.
LaterImages = Literal["rest", "redistribution"]


class Procedure(_Model):
    modality: Modality
    protocol: Protocol
    tracers: tuple[TracerDose, ...] = Field(min_length=1)
    attenuation_correction: AttenuationCorrection = AttenuationCorrection.NONE
    gated: bool = True
    first_day: Literal["rest", "stress"] | None = Field(
        default=None, description="two-day protocol only: which study came first"
    )
    redistribution_delay_h: float | None = Field(
        default=None,
        gt=0,
        le=48,
        description="stress- or rest-redistribution only: hours from the Tl-201 injection to the redistribution "
        "images (3-4 usual, 24 for late redistribution; ASNC-PROTOCOLS-2016)",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        phases = {d.phase for d in self.tracers}
        if self.protocol is Protocol.STRESS_ONLY and "rest" in phases:
            raise ValueError("protocol is stress-only but a rest tracer dose is given")
        if self.first_day is not None and self.protocol is not Protocol.TWO_DAY:
            raise ValueError(f"first_day is given for a {self.protocol.value} protocol; it applies to two-day only")
        if self.redistribution_delay_h is not None and not self.is_redistribution:
            raise ValueError(
                f"redistribution_delay_h is given for a {self.protocol.value} protocol; it applies to "
                "stress-redistribution and rest-redistribution only"
            )
        if self.protocol is Protocol.STRESS_REDISTRIBUTION:
            self._check_redistribution_doses()
        elif self.protocol is Protocol.REST_REDISTRIBUTION:
            self._check_rest_redistribution_doses()
        elif self.protocol is not Protocol.STRESS_ONLY and phases != {"rest", "stress"}:
            raise ValueError(f"protocol {self.protocol.value} needs a rest and a stress tracer dose")
        pet_tracers = {Tracer.RB82, Tracer.N13_AMMONIA, Tracer.F18_FLURPIRIDAZ, Tracer.F18_FDG}
        for dose in self.tracers:
            if (dose.tracer in pet_tracers) != (self.modality is Modality.PET):
                raise ValueError(f"tracer {dose.tracer.value} does not fit modality {self.modality.value}")
        return self

    def _check_redistribution_doses(self) -> None:
        """Tl-201 stress-redistribution: one stress injection, whose redistribution images need no second dose
        (ASNC-PROTOCOLS-2016). A reinjection is not modelled here: it stays a stress-rest Tl-201 study."""
        rest = [d for d in self.tracers if d.phase == "rest"]
        if rest:
            raise ValueError(
                "protocol stress-redistribution takes no rest tracer dose (its redistribution images "
                "follow the one stress injection); tracers give a rest dose of " + rest[0].tracer.value
            )
        stress = [d.tracer.value for d in self.tracers]
        if stress != [Tracer.TL201.value]:
            raise ValueError(
                "protocol stress-redistribution needs one Tl-201 stress dose; tracers give " + ", ".join(stress)
            )

    def _check_rest_redistribution_doses(self) -> None:
        """Tl-201 rest-redistribution (viability): one rest injection, no stress (ASNC-PROTOCOLS-2016)."""
        given = [f"{d.tracer.value} ({d.phase})" for d in self.tracers]
        if [(d.tracer, d.phase) for d in self.tracers] != [(Tracer.TL201, "rest")]:
            raise ValueError(
                "protocol rest-redistribution needs one Tl-201 rest dose and no stress dose; tracers give "
                + ", ".join(given)
            )

    @property
    def is_redistribution(self) -> bool:
        """A Tl-201 protocol with redistribution images (after a stress or a rest injection)."""
        return self.protocol in (Protocol.STRESS_REDISTRIBUTION, Protocol.REST_REDISTRIBUTION)

    @property
    def is_rest_only(self) -> bool:
        """A rest-only (viability) protocol: no stress was performed."""
        return self.protocol is Protocol.REST_REDISTRIBUTION

    @property
    def stress_tracer(self) -> Tracer:
        """The tracer of the stress images; of a rest-redistribution study (no stress), its one Tl-201 dose, so the
        procedure is coded by its tracer (a local code: DICOM CID 3110 has no rest-only thallium procedure)."""
        return next((d.tracer for d in self.tracers if d.phase == "stress"), self.tracers[0].tracer)

    @property
    def later_images(self) -> LaterImages | None:
        """The images stress defects are compared with: Tl-201 redistribution images on a stress-redistribution
        protocol, none on a stress-only or a rest-redistribution one (it has no stress defects), rest images on the
        others."""
        if self.protocol in (Protocol.STRESS_ONLY, Protocol.REST_REDISTRIBUTION):
            return None
        return "redistribution" if self.protocol is Protocol.STRESS_REDISTRIBUTION else "rest"


# --- stress test ---------------------------------------------------------------------------


class AnginaIndex(StrEnum):
    """Treadmill angina index of the Duke score (Mark DB et al., NEJM 1991;325:849)."""

    NONE = "none"
    NON_LIMITING = "non-limiting"
    LIMITING = "limiting"

    @property
    def points(self) -> int:
        return {"none": 0, "non-limiting": 1, "limiting": 2}[self.value]


class StSlope(StrEnum):
    UPSLOPING = "upsloping"
    HORIZONTAL = "horizontal"
    DOWNSLOPING = "downsloping"


class StressTest(_Model):
    type: StressType
    agent: StressAgent | None = None
    agent_dose: str | None = Field(default=None, max_length=100, description="as given, e.g. '0.4 mg IV'")
    atropine_mg: float | None = Field(default=None, gt=0, le=3, description="atropine given with dobutamine")
    exercise_protocol: str | None = Field(default=None, max_length=100, description="e.g. 'Bruce'")
    exercise_duration_min: float | None = Field(default=None, ge=0, le=60)
    mets: float | None = Field(default=None, ge=0.5, le=30)
    rest_hr_bpm: HeartRate | None = None
    peak_hr_bpm: HeartRate | None = None
    rest_sbp_mmhg: SystolicBp | None = None
    rest_dbp_mmhg: DiastolicBp | None = None
    peak_sbp_mmhg: SystolicBp | None = None
    peak_dbp_mmhg: DiastolicBp | None = None
    symptoms: tuple[str, ...] = ()
    angina: AnginaIndex | None = None
    termination_reason: str | None = Field(default=None, max_length=200)
    baseline_ecg: BaselineEcg = BaselineEcg.NORMAL
    st_depression_mm: float | None = Field(default=None, ge=0, le=10)
    st_elevation_mm: float | None = Field(default=None, ge=0, le=10)
    st_slope: StSlope | None = None
    st_leads: tuple[str, ...] = ()
    arrhythmias: tuple[str, ...] = ()
    ecg_response: EcgResponse | None = Field(
        default=None, description="the stress lab's reading of the ECG response; overrides the computed one"
    )

    @field_validator("peak_hr_bpm")
    @classmethod
    def _peak_not_inverted(cls, peak: float | None, info: ValidationInfo) -> float | None:
        # A field validator, so the error names stress.peak_hr_bpm rather than the whole study.
        rest = info.data.get("rest_hr_bpm")
        if rest is not None and peak is not None and peak < rest - 30:
            raise ValueError(f"more than 30 bpm below rest HR {rest:g}; check the values")
        return peak

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.atropine_mg is not None and self.agent is not StressAgent.DOBUTAMINE:
            raise ValueError("atropine_mg is given without dobutamine stress")
        needs_agent = self.type in (StressType.PHARMACOLOGIC, StressType.BOTH)
        if needs_agent and self.agent is None:
            raise ValueError(f"stress type {self.type.value} needs an agent")
        if self.type is StressType.EXERCISE and self.agent is not None:
            raise ValueError("an agent is given for an exercise-only test; use type 'exercise+pharmacologic'")
        for phase in ("rest", "peak"):
            sbp, dbp = getattr(self, f"{phase}_sbp_mmhg"), getattr(self, f"{phase}_dbp_mmhg")
            if sbp is not None and dbp is not None and dbp >= sbp:
                raise ValueError(f"{phase} diastolic BP {dbp} is not below systolic {sbp}")
        if self.st_slope is not None and self.st_depression_mm is None:
            raise ValueError("st_slope is given without st_depression_mm")
        return self

    @property
    def is_exercise(self) -> bool:
        return self.type in (StressType.EXERCISE, StressType.BOTH)


# --- perfusion -----------------------------------------------------------------------------


class SegmentScore(_Model):
    segment: SegmentNumber
    stress: Score | None = Field(
        default=None, description="required except on a rest-redistribution protocol, which has no stress images"
    )
    rest: Score | None = Field(
        default=None, description="rest score; on a rest-redistribution protocol, the initial rest (Tl-201) score"
    )
    redistribution: Score | None = Field(
        default=None,
        description="Tl-201 delayed (redistribution) score; on a stress-redistribution protocol it "
        "takes the rest score's part, on a rest-redistribution one it is compared with the initial rest score",
    )

    @model_validator(mode="after")
    def _scored(self) -> Self:
        if self.stress is None and (self.rest is None or self.redistribution is None):
            raise ValueError(
                f"segment {self.segment} has no stress score; only a rest-redistribution study omits it, "
                "and then gives the initial rest and the redistribution score"
            )
        return self

    @property
    def initial(self) -> int:
        """The score of the first images: stress, or the initial rest images of a rest-redistribution study."""
        return self.stress if self.stress is not None else self.rest or 0


class ArtifactKind(StrEnum):
    ATTENUATION = "attenuation"
    MOTION = "motion"
    EXTRACARDIAC = "extracardiac activity"


class Artifact(_Model):
    kind: ArtifactKind
    wall: Wall | None = None
    note: str | None = Field(default=None, max_length=200, description="e.g. 'diaphragmatic', 'breast'")


class Perfusion(_Model):
    segments: tuple[SegmentScore, ...] = ()
    summed_stress_score: int | None = Field(default=None, ge=0, le=MAX_SUMMED_SCORE)
    summed_rest_score: int | None = Field(
        default=None,
        ge=0,
        le=MAX_SUMMED_SCORE,
        description="SRS; for a Tl-201 study scored on redistribution images (no rest scores), the summed "
        "redistribution score",
    )
    summed_difference_score: int | None = Field(default=None, ge=-MAX_SUMMED_SCORE, le=MAX_SUMMED_SCORE)
    summed_redistribution_score: int | None = Field(
        default=None,
        ge=0,
        le=MAX_SUMMED_SCORE,
        description="rest-redistribution only: the summed score of the redistribution images (summed_rest_score is "
        "then the initial rest images')",
    )
    stress_tpd_percent: Percent | None = None
    rest_tpd_percent: Percent | None = None
    ischemic_tpd_percent: Percent | None = None
    image_quality: ImageQuality = ImageQuality.GOOD
    artifacts: tuple[Artifact, ...] = ()
    rv_uptake: RvUptake | None = Field(
        default=None,
        description="right-ventricular tracer uptake as read on the perfusion images: 'normal', or 'increased' (RV "
        "hypertrophy or pressure overload, e.g. pulmonary hypertension); omitted when not read",
    )
    territory_overrides: dict[SegmentNumber, Territory] = Field(
        default_factory=dict, description="segment -> coronary territory, where this patient differs"
    )
    source: MeasurementSource | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        numbers = [s.segment for s in self.segments]
        if len(numbers) != len(set(numbers)):
            dupes = sorted({n for n in numbers if numbers.count(n) > 1})
            raise ValueError(f"segments {dupes} are scored more than once")
        if self.segments and len(self.segments) != 17:
            missing = sorted(set(range(1, 18)) - set(numbers))
            raise ValueError(f"segment scores must cover all 17 segments; missing {missing}")
        has_rest = [s.rest is not None for s in self.segments]
        if any(has_rest) and not all(has_rest):
            raise ValueError("rest scores must be given for all segments or for none")
        has_stress = [s.stress is not None for s in self.segments]
        if any(has_stress) and not all(has_stress):
            raise ValueError("stress scores must be given for all segments or for none")
        if self.summed_redistribution_score is not None and self.has_redistribution:
            seg_redist = sum(s.redistribution or 0 for s in self.segments)
            if self.summed_redistribution_score != seg_redist:
                raise ValueError(
                    f"summed redistribution score {self.summed_redistribution_score} differs from the sum of the "
                    f"segment redistribution scores {seg_redist}"
                )
        sss, srs, sds = self.summed_stress_score, self.summed_rest_score, self.summed_difference_score
        if sss is not None and srs is not None and sds is not None and sds != sss - srs:
            raise ValueError(f"SDS {sds} must equal SSS - SRS = {sss} - {srs} = {sss - srs}")
        if self.segments and self.has_stress:
            seg_sss = sum(s.stress or 0 for s in self.segments)
            if sss is not None and sss != seg_sss:
                raise ValueError(f"SSS {sss} differs from the sum of the segment stress scores {seg_sss}")
            if all(has_rest) and self.segments:
                seg_srs = sum(s.rest or 0 for s in self.segments)
                if srs is not None and srs != seg_srs:
                    raise ValueError(f"SRS {srs} differs from the sum of the segment rest scores {seg_srs}")
            elif self.has_redistribution and self.has_stress:
                seg_srs = sum(s.redistribution or 0 for s in self.segments)
                if srs is not None and srs != seg_srs:
                    raise ValueError(f"SRS {srs} differs from the sum of the segment redistribution scores {seg_srs}")
        no_scores = not self.segments and sss is None and self.stress_tpd_percent is None
        if no_scores and self.image_quality is not ImageQuality.NONDIAGNOSTIC:
            raise ValueError("give segment scores, summed scores or TPD (or image_quality non-diagnostic)")
        return self

    @property
    def has_rest(self) -> bool:
        if self.segments:
            return self.segments[0].rest is not None
        return self.summed_rest_score is not None

    @property
    def has_stress(self) -> bool:
        """Whether the segments carry stress scores (all but a rest-redistribution study's do)."""
        return bool(self.segments) and self.segments[0].stress is not None

    @property
    def has_redistribution(self) -> bool:
        """Whether every segment has a Tl-201 redistribution score (a stress-redistribution study needs them all)."""
        return bool(self.segments) and all(s.redistribution is not None for s in self.segments)

    def scores(self) -> dict[int, SegmentScore]:
        return {s.segment: s for s in self.segments}

    def later_scores(self, images: LaterImages | None) -> dict[int, int] | None:
        """Each segment's score on the later images (rest or redistribution); None where they are not scored."""
        if images == "rest" and self.segments and self.has_rest:
            return {s.segment: s.rest or 0 for s in self.segments}
        if images == "redistribution" and self.has_redistribution:
            return {s.segment: s.redistribution or 0 for s in self.segments}
        return None

    @property
    def sss(self) -> int | None:
        """Summed stress score, given or summed from segments."""
        if self.summed_stress_score is not None:
            return self.summed_stress_score
        return sum(s.stress or 0 for s in self.segments) if self.has_stress else None

    @property
    def srs(self) -> int | None:
        """Summed rest score, given or summed from segments; of a Tl-201 study without rest scores, the summed
        redistribution score (its later images; ASNC-PROTOCOLS-2016)."""
        if self.summed_rest_score is not None:
            return self.summed_rest_score
        if self.segments and self.has_rest:
            return sum(s.rest or 0 for s in self.segments)
        if self.has_redistribution and self.has_stress:
            return sum(s.redistribution or 0 for s in self.segments)
        return None

    @property
    def sds(self) -> int | None:
        if self.summed_difference_score is not None:
            return self.summed_difference_score
        sss, srs = self.sss, self.srs
        return None if sss is None or srs is None else sss - srs


# --- gated function ------------------------------------------------------------------------


class SegmentWallMotion(_Model):
    segment: SegmentNumber
    motion: WallMotion
    thickening_reduced: bool | None = None
    phase: Literal["post-stress", "peak-stress", "rest"] | None = Field(
        default=None, description="the gated acquisition the motion was read on"
    )


class GatedFunction(_Model):
    stress_lvef_percent: Percent | None = None
    rest_lvef_percent: Percent | None = None
    stress_edv_ml: float | None = Field(default=None, gt=0, le=1000)
    stress_esv_ml: float | None = Field(default=None, ge=0, le=1000)
    rest_edv_ml: float | None = Field(default=None, gt=0, le=1000)
    rest_esv_ml: float | None = Field(default=None, ge=0, le=1000)
    tid_ratio: float | None = Field(default=None, ge=0.5, le=3.0)
    wall_motion: tuple[SegmentWallMotion, ...] = ()
    lung_heart_ratio: float | None = Field(default=None, ge=0, le=2.0, description="Tl-201 only")
    septal_dyssynchrony: bool | None = Field(
        default=None, description="septal motion abnormal from conduction (LBBB, paced rhythm), not ischemia"
    )
    source: MeasurementSource | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        for phase in ("stress", "rest"):
            edv, esv = getattr(self, f"{phase}_edv_ml"), getattr(self, f"{phase}_esv_ml")
            if edv is not None and esv is not None and esv >= edv:
                raise ValueError(f"{phase} ESV {esv} mL must be below EDV {edv} mL")
        numbers = [w.segment for w in self.wall_motion]
        if len(numbers) != len(set(numbers)):
            raise ValueError("a segment's wall motion is given more than once")
        return self

    @property
    def lvef_percent(self) -> float | None:
        """The headline LVEF: post-stress gated unless only rest is given."""
        return self.stress_lvef_percent if self.stress_lvef_percent is not None else self.rest_lvef_percent


# --- PET flow ------------------------------------------------------------------------------


def _mfr(rest: float | None, stress: float | None) -> float | None:
    if rest is None or stress is None or rest == 0:
        return None
    return round(stress / rest, 2)


class TerritoryFlow(_Model):
    territory: Territory
    rest_mbf_ml_min_g: Mbf | None = None
    stress_mbf_ml_min_g: Mbf | None = None
    mfr: float | None = Field(default=None, ge=0, le=10)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _check_mfr(self.rest_mbf_ml_min_g, self.stress_mbf_ml_min_g, self.mfr, f"{self.territory.value} MFR")
        return self

    @property
    def flow_reserve(self) -> float | None:
        return self.mfr if self.mfr is not None else _mfr(self.rest_mbf_ml_min_g, self.stress_mbf_ml_min_g)


def _check_mfr(rest: float | None, stress: float | None, mfr: float | None, label: str) -> None:
    computed = _mfr(rest, stress)
    if mfr is not None and computed is not None and abs(mfr - computed) > 0.1:
        raise ValueError(f"{label} {mfr} differs from stress/rest MBF = {computed}")


class PetFlow(_Model):
    rest_mbf_ml_min_g: Mbf | None = None
    stress_mbf_ml_min_g: Mbf | None = None
    mfr: float | None = Field(default=None, ge=0, le=10, description="global myocardial flow reserve")
    territories: tuple[TerritoryFlow, ...] = ()
    source: MeasurementSource | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _check_mfr(self.rest_mbf_ml_min_g, self.stress_mbf_ml_min_g, self.mfr, "global MFR")
        if self.flow_reserve is None and not self.territories:
            raise ValueError("give global MFR (or rest and stress MBF) or per-territory flow")
        return self

    @property
    def flow_reserve(self) -> float | None:
        return self.mfr if self.mfr is not None else _mfr(self.rest_mbf_ml_min_g, self.stress_mbf_ml_min_g)


# --- calcium -------------------------------------------------------------------------------


class Calcium(_Model):
    agatston_total: float | None = Field(default=None, ge=0, le=20000)
    agatston_by_vessel: dict[Literal["LM", "LAD", "LCx", "RCA"], float] = Field(default_factory=dict)
    visual_grade: CacVisualGrade | None = None
    acquisition: CalciumAcquisition | None = Field(default=None, description="the CT the score comes from")
    source: MeasurementSource | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.agatston_total is None and self.visual_grade is None:
            raise ValueError("give an Agatston score or a visual grade")
        if any(v < 0 for v in self.agatston_by_vessel.values()):
            raise ValueError("per-vessel Agatston scores must be >= 0")
        if self.agatston_by_vessel and self.agatston_total is not None:
            vessel_sum = sum(self.agatston_by_vessel.values())
            if vessel_sum > self.agatston_total + 1:
                raise ValueError(f"per-vessel scores sum to {vessel_sum}, above the total {self.agatston_total}")
        return self


# --- prior ---------------------------------------------------------------------------------


class PriorDefect(_Model):
    """A defect as a prior report states it (the structured form of a prior report)."""

    territory: Territory | None = None
    walls: tuple[Wall, ...] = ()
    severity: Severity | None = None
    extent: Extent | None = None
    reversibility: Reversibility | None = None


class PriorStudy(_Model):
    """The previous study: either its measurements (same shape as a Study) or a structured report."""

    study_date: dt.date | None = None
    modality: Modality | None = None
    perfusion: Perfusion | None = None
    # A prior report states one of these (a non-diagnostic prior has no result to compare).
    perfusion_result: (
        Literal[
            PerfusionResult.NORMAL, PerfusionResult.ABNORMAL, PerfusionResult.EQUIVOCAL, PerfusionResult.PROBABLY_NORMAL
        ]
        | None
    ) = None
    defects: tuple[PriorDefect, ...] | None = Field(
        default=None, description="as stated by a prior report; derived from perfusion.segments when absent"
    )
    lvef_percent: Percent | None = None
    tid_ratio: float | None = Field(default=None, ge=0.5, le=3.0)
    mfr: float | None = Field(default=None, ge=0, le=10)
    agatston_total: float | None = Field(default=None, ge=0, le=20000)
    stress_type: StressType | None = None
    stress_agent: StressAgent | None = None
    tracer: Tracer | None = None
    edv_ml: float | None = Field(default=None, gt=0, le=1000)
    esv_ml: float | None = Field(default=None, ge=0, le=1000)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.edv_ml is not None and self.esv_ml is not None and self.esv_ml >= self.edv_ml:
            raise ValueError(f"prior ESV {self.esv_ml} mL must be below EDV {self.edv_ml} mL")
        if self.stress_type is StressType.EXERCISE and self.stress_agent is not None:
            raise ValueError("prior stress_agent is given for an exercise-only prior test")
        return self


# --- the study -----------------------------------------------------------------------------


def _rest_redistribution_scored(perfusion: Perfusion) -> Perfusion:
    """A Tl-201 rest-redistribution study is scored on its initial rest and its redistribution images only."""
    if perfusion.segments and perfusion.has_stress:
        raise ValueError(
            "stress scores are given for a rest-redistribution protocol; give the initial rest images' scores as "
            "rest and the delayed images' as redistribution"
        )
    if perfusion.segments and not (perfusion.has_rest and perfusion.has_redistribution):
        raise ValueError("a rest-redistribution protocol needs each segment's rest and redistribution score")
    stress_only = {
        "summed_stress_score": perfusion.summed_stress_score,
        "summed_difference_score": perfusion.summed_difference_score,
        "stress_tpd_percent": perfusion.stress_tpd_percent,
        "ischemic_tpd_percent": perfusion.ischemic_tpd_percent,
    }
    given = [name for name, value in stress_only.items() if value is not None]
    if given:
        raise ValueError(f"{', '.join(given)} describe stress images, which a rest-redistribution protocol has not")
    if not perfusion.segments:
        raise ValueError("a rest-redistribution protocol needs segment scores (initial rest and redistribution)")
    return perfusion


#: In the exported JSON Schema: stress is required on every protocol but rest-redistribution, and absent there.
_STRESS_BY_PROTOCOL: dict[str, Any] = {
    "if": {
        "properties": {"procedure": {"properties": {"protocol": {"const": Protocol.REST_REDISTRIBUTION.value}}}},
        "required": ["procedure"],
    },
    "then": {"not": {"required": ["stress"]}},
    "else": {"required": ["stress"]},
}


class Study(_Model):
    """One myocardial perfusion study as handed over by the imaging pipeline and the stress lab."""

    model_config = ConfigDict(json_schema_extra=_STRESS_BY_PROTOCOL)

    schema_version: Literal["1"] = "1"
    accession: SecretStr | None = Field(default=None, repr=False, description="identifier (PHI)")
    study_date: dt.date | None = None
    patient: Patient
    clinical: Clinical
    procedure: Procedure
    stress: StressTest | None = Field(
        default=None,
        validate_default=True,
        description="required except on a rest-redistribution protocol (Tl-201 viability), where no stress is "
        "performed and none may be given",
    )
    perfusion: Perfusion
    function: GatedFunction | None = None
    flow: PetFlow | None = None
    calcium: Calcium | None = None
    prior: PriorStudy | None = None

    @field_validator("stress")
    @classmethod
    def _stress_as_the_protocol_has(cls, stress: StressTest | None, info: ValidationInfo) -> StressTest | None:
        # A field validator, so the error names stress rather than the whole study.
        procedure = info.data.get("procedure")
        if procedure is None:
            return stress
        if procedure.is_rest_only and stress is not None:
            raise ValueError("a rest-redistribution protocol has no stress; leave stress out")
        if not procedure.is_rest_only and stress is None:
            raise ValueError(
                f"a {procedure.protocol.value} protocol needs the stress test; only rest-redistribution omits it"
            )
        return stress

    @field_validator("perfusion")
    @classmethod
    def _scored_as_the_protocol_images(cls, perfusion: Perfusion, info: ValidationInfo) -> Perfusion:
        # A field validator, so the error names perfusion rather than the whole study.
        procedure = info.data.get("procedure")
        if procedure is None:
            return perfusion
        if procedure.is_rest_only:
            return _rest_redistribution_scored(perfusion)
        if perfusion.segments and not perfusion.has_stress:
            raise ValueError(f"a {procedure.protocol.value} protocol needs each segment's stress score")
        if perfusion.summed_redistribution_score is not None:
            raise ValueError("summed_redistribution_score applies to a rest-redistribution protocol only")
        if procedure.protocol is not Protocol.STRESS_REDISTRIBUTION:
            return perfusion
        if perfusion.segments and perfusion.has_rest:
            raise ValueError(
                "rest scores are given for a stress-redistribution protocol; give the delayed Tl-201 "
                "images' scores as redistribution"
            )
        if perfusion.segments and not perfusion.has_redistribution:
            raise ValueError("a stress-redistribution protocol needs each segment's redistribution score")
        return perfusion

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.flow is not None and self.procedure.modality is not Modality.PET:
            raise ValueError("flow (MBF/MFR) is given for a non-PET study")
        if self.function is not None and not self.procedure.gated:
            raise ValueError("gated function is given but procedure.gated is false")
        if self.clinical.resting_ecg is not None and self.stress is not None:
            raise ValueError("clinical.resting_ecg is given beside a stress test; give it as stress.baseline_ecg")
        if self.procedure.protocol is Protocol.STRESS_ONLY and self.perfusion.has_rest:
            raise ValueError("rest perfusion scores are given for a stress-only protocol")
        if (
            self.prior is not None
            and self.prior.study_date is not None
            and self.study_date is not None
            and self.prior.study_date >= self.study_date
        ):
            raise ValueError(f"prior study date {self.prior.study_date} is not before {self.study_date}")
        thallium = any(d.tracer is Tracer.TL201 for d in self.procedure.tracers)
        if not thallium and any(seg.redistribution is not None for seg in self.perfusion.segments):
            raise ValueError("redistribution scores are given but no Tl-201 dose is")
        return self

    @property
    def is_rest_only(self) -> bool:
        """A rest-only viability study (Tl-201 rest-redistribution): nothing about stress may be reported."""
        return self.procedure.is_rest_only

    @property
    def stress_test(self) -> StressTest:
        """The stress test, for rules about stress; a rest-only study has none (check ``is_rest_only`` first)."""
        if self.stress is None:
            raise ValueError("a rest-redistribution study has no stress test")
        return self.stress

    @property
    def age_predicted_max_hr_bpm(self) -> int:
        """220 - age (Fox formula), as used for the 85 % adequacy criterion."""
        return AGE_PREDICTED_MAX_HR_BASE - self.patient.age_years

    @property
    def percent_mphr(self) -> float | None:
        if self.stress is None or self.stress.peak_hr_bpm is None:
            return None
        return round(100 * self.stress.peak_hr_bpm / self.age_predicted_max_hr_bpm, 1)

    @property
    def duke_treadmill_score(self) -> float | None:
        """Duke treadmill score = minutes - 5 x ST deviation (mm) - 4 x angina index.

        Defined for the Bruce protocol only (Mark DB et al., NEJM 1991;325:849-853); None when
        any input is missing or the baseline ECG makes ST analysis non-diagnostic.
        """
        s = self.stress
        if s is None or not s.is_exercise or s.exercise_protocol is None or s.exercise_protocol.lower() != "bruce":
            return None
        if s.exercise_duration_min is None or s.angina is None or not s.baseline_ecg.permits_st_analysis:
            return None
        if s.st_depression_mm is None and s.st_elevation_mm is None:
            return None  # ST deviation not reported: do not assume 0
        st = max(s.st_depression_mm or 0.0, s.st_elevation_mm or 0.0)
        return round(s.exercise_duration_min - 5 * st - 4 * s.angina.points, 1)
