"""The clinical vocabulary of nuclear cardiology, in one place.

Rules, templates, extraction and guardrails all import these names; nothing here does I/O.
Segment names, walls and default territories follow the AHA 17-segment model
(Cerqueira MD et al., Circulation 2002;105:539-542). Coronary territory assignment varies
between patients, so a Study may override it per segment.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Self

__all__ = [
    "ACTIVITY_MBQ_PER_MCI",
    "ATTENUATION_SOURCES",
    "SEGMENTS",
    "SEGMENT_SCORE_MEANING",
    "TERRITORY_SEGMENTS",
    "AttenuationCorrection",
    "BaselineEcg",
    "CacBand",
    "CacVisualGrade",
    "Certainty",
    "ChangeDirection",
    "ComparisonChange",
    "DefectChange",
    "DukeCategory",
    "EcgResponse",
    "Extent",
    "HighRiskFeature",
    "ImageQuality",
    "IschemicExtent",
    "Level",
    "LvefGrade",
    "MfrCategory",
    "Modality",
    "PerfusionResult",
    "Protocol",
    "Reversibility",
    "RiskCategory",
    "RiskReason",
    "RvUptake",
    "Segment",
    "Severity",
    "SeverityRange",
    "Sex",
    "SssCategory",
    "StressAgent",
    "StressType",
    "Territory",
    "Tracer",
    "Wall",
    "WallMotion",
    "segment",
    "walls_of",
]


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class Modality(StrEnum):
    SPECT = "SPECT"
    PET = "PET"


class Tracer(StrEnum):
    """Radiopharmaceuticals, named as in the structured-report schema."""

    TC99M_SESTAMIBI = "Tc-99m sestamibi"
    TC99M_TETROFOSMIN = "Tc-99m tetrofosmin"
    TL201 = "Tl-201"
    RB82 = "Rb-82"
    N13_AMMONIA = "N-13 ammonia"
    F18_FLURPIRIDAZ = "F-18 flurpiridaz"
    F18_FDG = "F-18 FDG"
    TC99M_PYP = "Tc-99m PYP"

    @property
    def is_technetium(self) -> bool:
        return self.value.startswith("Tc-99m")


class Protocol(StrEnum):
    """The acquisition protocol. ``stress-redistribution`` is Tl-201's own: one injection at peak stress, stress
    images, then redistribution images hours later without a second dose; the redistribution images play the
    rest images' part (ASNC-PROTOCOLS-2016). ``rest-redistribution`` is the Tl-201 viability protocol: one injection
    at rest, initial rest images and redistribution images hours later, no stress at all; a defect that fills in on
    the redistribution images is viable (hibernating) myocardium, a severe fixed one scar (ASNC-PROTOCOLS-2016,
    ASNC-VIABILITY-2016)."""

    REST_STRESS = "rest-stress"
    STRESS_REST = "stress-rest"
    STRESS_ONLY = "stress-only"
    TWO_DAY = "two-day"
    DUAL_ISOTOPE = "dual-isotope"
    STRESS_REDISTRIBUTION = "stress-redistribution"
    REST_REDISTRIBUTION = "rest-redistribution"


class StressType(StrEnum):
    EXERCISE = "exercise"
    PHARMACOLOGIC = "pharmacologic"
    BOTH = "exercise+pharmacologic"


class StressAgent(StrEnum):
    REGADENOSON = "regadenoson"
    ADENOSINE = "adenosine"
    DIPYRIDAMOLE = "dipyridamole"
    DOBUTAMINE = "dobutamine"

    @property
    def is_vasodilator(self) -> bool:
        return self is not StressAgent.DOBUTAMINE


class AttenuationCorrection(StrEnum):
    NONE = "none"
    CT = "CT"
    AI = "AI-based"


class ImageQuality(StrEnum):
    EXCELLENT = "excellent"
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"
    NONDIAGNOSTIC = "non-diagnostic"


class BaselineEcg(StrEnum):
    """Resting ECG patterns; all but NORMAL, NONSPECIFIC and RBBB make ST analysis non-diagnostic.

    RBBB leaves exercise ST depression readable in the inferior and lateral leads; only in V1-V3 is it not
    interpretable (ACC-AHA-EXERCISE-2002).
    """

    NORMAL = "normal"
    NONSPECIFIC_ST_T = "nonspecific ST-T changes"
    LBBB = "left bundle branch block"
    PACED = "ventricular paced rhythm"
    LVH_STRAIN = "LVH with repolarization abnormality"
    WPW = "pre-excitation"
    DIGOXIN = "digoxin effect"
    RESTING_ST_DEPRESSION = "resting ST depression >= 1 mm"
    RBBB = "right bundle branch block"

    @property
    def permits_st_analysis(self) -> bool:
        return self in (BaselineEcg.NORMAL, BaselineEcg.NONSPECIFIC_ST_T, BaselineEcg.RBBB)


class RvUptake(StrEnum):
    """Right-ventricular tracer uptake as the reader sees it on the perfusion images (ASNC-SPECT-2018)."""

    NORMAL = "normal"
    INCREASED = "increased"  # RV hypertrophy or pressure overload, e.g. pulmonary hypertension


class EcgResponse(StrEnum):
    ISCHEMIC = "ischemic"
    NONISCHEMIC = "nonischemic"
    NONDIAGNOSTIC = "nondiagnostic"
    EQUIVOCAL = "equivocal"


class Territory(StrEnum):
    LAD = "LAD"
    LCX = "LCx"
    RCA = "RCA"


class Wall(StrEnum):
    ANTERIOR = "anterior"
    ANTEROSEPTAL = "anteroseptal"
    SEPTAL = "septal"
    INFEROSEPTAL = "inferoseptal"
    INFERIOR = "inferior"
    INFEROLATERAL = "inferolateral"
    LATERAL = "lateral"
    ANTEROLATERAL = "anterolateral"
    APEX = "apex"
    APICAL = "apical"  # "the apical segments" as reports say it; no AHA segment has this as its wall


class Level(StrEnum):
    BASAL = "basal"
    MID = "mid"
    APICAL = "apical"
    APEX = "apex"


class Severity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


@dataclass(frozen=True, slots=True)
class SeverityRange:
    """The severity of a defect as a range of grades, e.g. "moderate-to-severe" (low <= high).

    Written as one word when ``low`` is ``high`` ("moderate"), else "low-to-high", which is also
    how it reads and writes in JSON.
    """

    low: Severity
    high: Severity

    def __post_init__(self) -> None:
        order = list(Severity)
        if not isinstance(self.low, Severity) or not isinstance(self.high, Severity):
            raise ValueError(f"severity range needs two Severity members, got {self.low!r} and {self.high!r}")
        if order.index(self.low) > order.index(self.high):
            raise ValueError(f"severity range must ascend, got {self.low.value} to {self.high.value}")

    @classmethod
    def of(cls, grades: Any) -> Self:
        """The range spanned by some severities (at least one)."""
        order = list(Severity)
        ranked = sorted({Severity(g) for g in grades}, key=order.index)
        if not ranked:
            raise ValueError("severity range needs at least one grade")
        return cls(ranked[0], ranked[-1])

    @classmethod
    def parse(cls, text: str) -> Self:
        """The range written as "moderate" or "moderate-to-severe"; raises ValueError on anything else."""
        low, sep, high = text.partition("-to-")
        try:
            grades = Severity(low), Severity(high if sep else low)
        except ValueError:
            raise ValueError(f"severity must be a grade or 'low-to-high', got {text!r}") from None
        return cls(*grades)

    @property
    def grades(self) -> tuple[Severity, ...]:
        """Every grade from low to high."""
        order = list(Severity)
        return tuple(order[order.index(self.low) : order.index(self.high) + 1])

    def __str__(self) -> str:
        return self.low.value if self.low is self.high else f"{self.low.value}-to-{self.high.value}"


class Extent(StrEnum):
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class Reversibility(StrEnum):
    REVERSIBLE = "reversible"
    PARTIALLY_REVERSIBLE = "partially reversible"
    FIXED = "fixed"


class Certainty(StrEnum):
    AFFIRMED = "affirmed"
    NEGATED = "negated"
    UNCERTAIN = "uncertain"
    HISTORICAL = "historical"


class WallMotion(StrEnum):
    """Regional wall motion per segment (ASE/ASNC vocabulary)."""

    NORMAL = "normal"
    HYPOKINETIC = "hypokinetic"
    AKINETIC = "akinetic"
    DYSKINETIC = "dyskinetic"


class CacVisualGrade(StrEnum):
    """Visual coronary calcium grade on non-gated CT (SCCT/STR 2016, Hecht et al.)."""

    NONE = "none"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class PerfusionResult(StrEnum):
    """Overall interpretation of myocardial perfusion (ASNC-REPORTING-2009)."""

    NORMAL = "normal"
    PROBABLY_NORMAL = "probably normal"
    EQUIVOCAL = "equivocal"
    ABNORMAL = "abnormal"
    NONDIAGNOSTIC = "non-diagnostic"


class SssCategory(StrEnum):
    """Summed stress score bands (ASNC-SPECT-2018)."""

    NORMAL = "normal"
    MILDLY_ABNORMAL = "mildly abnormal"
    MODERATELY_ABNORMAL = "moderately abnormal"
    SEVERELY_ABNORMAL = "severely abnormal"


class IschemicExtent(StrEnum):
    """Ischemic myocardium as % of the LV (HACHAMOVITCH-2003 / ESC-CCS-2019)."""

    MINIMAL = "minimal"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class LvefGrade(StrEnum):
    """Grade of LV systolic function by LVEF (ASE-EACVI-2015)."""

    NORMAL = "normal"
    MILDLY_REDUCED = "mildly reduced"
    MODERATELY_REDUCED = "moderately reduced"
    SEVERELY_REDUCED = "severely reduced"


class MfrCategory(StrEnum):
    """Myocardial flow reserve (SNMMI-ASNC-PET-FLOW-2018)."""

    NORMAL = "normal"
    REDUCED = "reduced"
    SEVERELY_REDUCED = "severely reduced"


class DukeCategory(StrEnum):
    """Duke treadmill score risk group (DUKE-1991)."""

    HIGH = "high risk"
    MODERATE = "moderate risk"
    LOW = "low risk"

    @property
    def level(self) -> str:
        """The risk level alone ("high"), as a text states a Duke risk."""
        return self.value.removesuffix(" risk")


class CacBand(StrEnum):
    """Agatston score band (CAC-DRS-2018)."""

    NONE = "no identifiable coronary calcium"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class RiskCategory(StrEnum):
    """Annual risk of cardiac death or MI (ACC-AHA-SIHD-2012); indeterminate when images are non-diagnostic."""

    LOW = "low"
    INTERMEDIATE = "intermediate"
    HIGH = "high"
    INDETERMINATE = "indeterminate"


class HighRiskFeature(StrEnum):
    """The high-risk features of a stress MPI study the rules recognise (ACC-AHA-SIHD-2012 and others).

    A HIGH_RISK_FEATURE Finding holds ``{"feature": member, ...the numbers}``; the wording is
    ``templates/phrases.j2``'s ``high_risk_feature`` macro.
    """

    ISCHEMIC_BURDEN = "ischemic_burden"
    MULTIVESSEL_DEFECTS = "multivessel_defects"
    LARGE_DEFECT = "large_defect"
    TRANSIENT_ISCHEMIC_DILATION = "transient_ischemic_dilation"
    LOW_LVEF = "low_lvef"
    POST_STRESS_LVEF_DROP = "post_stress_lvef_drop"
    HIGH_ESV = "high_esv"
    LUNG_UPTAKE = "lung_uptake"
    DUKE_HIGH_RISK = "duke_high_risk"
    EXERCISE_HYPOTENSION = "exercise_hypotension"
    SEVERELY_REDUCED_MFR = "severely_reduced_mfr"


class CalciumAcquisition(StrEnum):
    """The CT a calcium score comes from (CAC-DRS-2018 applies to ECG-gated scans; SCCT-STR-2016 to the others)."""

    GATED = "ECG-gated calcium scan"
    ATTENUATION_CT = "attenuation-correction CT"
    CHEST_CT = "non-gated chest CT"


class BetaBlocker(StrEnum):
    """Beta-blocker status on the day of a stress test (it blunts the heart-rate response)."""

    TAKEN = "taken"
    HELD = "held"
    NOT_PRESCRIBED = "not prescribed"


class RiskQualifier(StrEnum):
    """A patient feature that raises the event rate of a risk category (HACHAMOVITCH-NORMAL-2003, HAKEEM-2008)."""

    PHARMACOLOGIC_STRESS = "pharmacologic stress"
    DIABETES = "diabetes"
    CKD = "chronic kidney disease"
    OLDER_AGE = "older age"
    KNOWN_CAD = "known coronary artery disease"


class RiskReason(StrEnum):
    """Why a study is not high risk: the items of a RISK Finding's ``reasons`` besides high-risk features.

    Each reason is ``{"reason": member, ...the values}``; ``phrases.j2``'s ``risk_reason`` words it.
    """

    NONDIAGNOSTIC_IMAGES = "nondiagnostic_images"
    PERFUSION = "perfusion"
    LVEF = "lvef"
    FLOW_RESERVE = "flow_reserve"
    CALCIUM = "calcium"
    DUKE_INTERMEDIATE = "duke_intermediate"
    NORMAL_LVEF = "normal_lvef"


class ChangeDirection(StrEnum):
    """Direction of a change since the prior study, beyond the reproducibility limit."""

    INCREASED = "increased"
    DECREASED = "decreased"
    UNCHANGED = "unchanged"


class DefectChange(StrEnum):
    """How one territory's defect differs from the prior's: items ``{"change": member, ...}``."""

    MORE_SEVERE = "more severe"
    LESS_SEVERE = "less severe"
    LARGER = "larger"
    SMALLER = "smaller"
    REVERSIBILITY = "reversibility"  # with "now" and "previously"


class ComparisonChange(StrEnum):
    """One change listed by COMPARISON_OVERALL: items ``{"change": member, ...}``."""

    NEW_DEFECT = "new_defect"
    RESOLVED_DEFECT = "resolved_defect"
    CHANGED_DEFECT = "changed_defect"  # with "territory" and "changes" (DefectChange items)
    ISCHEMIA = "ischemia"  # with "direction"
    LVEF = "lvef"  # with "direction"


# Semiquantitative 5-point segment score (ASNC imaging guidelines for SPECT, Dorbala et al.,
# J Nucl Cardiol 2018;25:1784-1846).
SEGMENT_SCORE_MEANING = MappingProxyType(
    {
        0: "normal uptake",
        1: "mildly reduced uptake (not definitely abnormal)",
        2: "moderately reduced uptake (definitely abnormal)",
        3: "severely reduced uptake",
        4: "absent uptake",
    }
)

# A unit constant, not a threshold: 1 mCi = 37 MBq exactly (definition of the curie).
ACTIVITY_MBQ_PER_MCI = 37.0


@dataclass(frozen=True, slots=True)
class Segment:
    """One of the AHA 17 myocardial segments."""

    number: int
    name: str
    level: Level
    wall: Wall
    territory: Territory

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 17:
            raise ValueError(f"segment number must be 1-17, got {self.number}")


_L, _X, _R = Territory.LAD, Territory.LCX, Territory.RCA
_SEGMENT_ROWS: tuple[tuple[int, str, Level, Wall, Territory], ...] = (
    (1, "basal anterior", Level.BASAL, Wall.ANTERIOR, _L),
    (2, "basal anteroseptal", Level.BASAL, Wall.ANTEROSEPTAL, _L),
    (3, "basal inferoseptal", Level.BASAL, Wall.INFEROSEPTAL, _R),
    (4, "basal inferior", Level.BASAL, Wall.INFERIOR, _R),
    (5, "basal inferolateral", Level.BASAL, Wall.INFEROLATERAL, _X),
    (6, "basal anterolateral", Level.BASAL, Wall.ANTEROLATERAL, _X),
    (7, "mid anterior", Level.MID, Wall.ANTERIOR, _L),
    (8, "mid anteroseptal", Level.MID, Wall.ANTEROSEPTAL, _L),
    (9, "mid inferoseptal", Level.MID, Wall.INFEROSEPTAL, _R),
    (10, "mid inferior", Level.MID, Wall.INFERIOR, _R),
    (11, "mid inferolateral", Level.MID, Wall.INFEROLATERAL, _X),
    (12, "mid anterolateral", Level.MID, Wall.ANTEROLATERAL, _X),
    (13, "apical anterior", Level.APICAL, Wall.ANTERIOR, _L),
    (14, "apical septal", Level.APICAL, Wall.SEPTAL, _L),
    (15, "apical inferior", Level.APICAL, Wall.INFERIOR, _R),
    (16, "apical lateral", Level.APICAL, Wall.LATERAL, _X),
    (17, "apex", Level.APEX, Wall.APEX, _L),
)

SEGMENTS: MappingProxyType[int, Segment] = MappingProxyType({row[0]: Segment(*row) for row in _SEGMENT_ROWS})

TERRITORY_SEGMENTS: MappingProxyType[Territory, tuple[int, ...]] = MappingProxyType(
    {t: tuple(n for n, s in SEGMENTS.items() if s.territory is t) for t in Territory}
)


def segment(number: int) -> Segment:
    """The AHA segment with this number; raises ValueError outside 1-17."""
    try:
        return SEGMENTS[number]
    except KeyError:
        raise ValueError(f"segment number must be 1-17, got {number}") from None


# The order in which walls are named in a sentence: anterior round to the apex.
_WALL_ORDER = tuple(Wall)


#: What attenuates, as an artifact note names it -> the adjective a report uses ("breast attenuation").
ATTENUATION_SOURCES: dict[str, str] = {
    "breast": "breast",
    "breasts": "breast",
    "breast tissue": "breast",
    "diaphragm": "diaphragmatic",
    "diaphragmatic": "diaphragmatic",
    "hemidiaphragm": "diaphragmatic",
    "soft tissue": "soft-tissue",
    "soft-tissue": "soft-tissue",
    "obesity": "soft-tissue",
    "body habitus": "soft-tissue",
    "arm": "arm",
    "lateral chest wall": "lateral chest wall",
}


def attenuation_source(note: str | None) -> tuple[str | None, str | None]:
    """An attenuation artifact's note split into its source and the rest.

    ``"breast; resolves on CT attenuation-corrected images"`` -> ``("breast", "resolves on CT ...")``;
    a note that names no known source is all detail: ``(None, note)``.
    """
    if not note:
        return None, None
    head, _, tail = note.replace(",", ";", 1).partition(";")
    source = ATTENUATION_SOURCES.get(head.strip().lower().removesuffix(" attenuation"))
    if source is None:
        return None, note.strip()
    return source, tail.strip() or None


def walls_of(segment_numbers: tuple[int, ...] | list[int]) -> tuple[Wall, ...]:
    """The walls the given segments lie in, each once, in anatomical order."""
    present = {segment(n).wall for n in segment_numbers}
    return tuple(w for w in _WALL_ORDER if w in present)
