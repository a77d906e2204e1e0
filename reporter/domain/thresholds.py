"""Every clinical threshold ncreport applies, with its guideline source beside the number.

The defaults are data: a site overrides any of them with a JSON file
(``ncreport draft --thresholds site.json``); unknown keys are rejected. Rules receive a
:class:`Thresholds` and never hard-code a number.
"""

from __future__ import annotations

import itertools
from enum import StrEnum
from types import MappingProxyType
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reporter.domain.vocabulary import CacBand, DukeCategory, Extent, IschemicExtent, RiskCategory, SssCategory

__all__ = [
    "AGE_PREDICTED_MAX_HR_BASE",
    "DEFAULT_THRESHOLDS",
    "GUIDELINES",
    "LATE_REDISTRIBUTION_MIN_H",
    "MAX_SUMMED_SCORE",
    "Band",
    "Thresholds",
    "TidLimit",
]

# Fixed by definition, not by a site: a site cannot override these.
#: Summed score of 17 segments scored 0-4 at most (17 x 4; ASNC-SPECT-2018): % of the LV = score / 68.
MAX_SUMMED_SCORE = 68
#: Age-predicted maximal heart rate = 220 - age (ACC-AHA-EXERCISE-2002).
AGE_PREDICTED_MAX_HR_BASE = 220
#: Tl-201 redistribution images this many hours or more after the stress injection are late (18-24 hour)
#: redistribution images, the viability images (ASNC-PROTOCOLS-2016).
LATE_REDISTRIBUTION_MIN_H = 18

# Sources cited by rules and thresholds, by short id. A Finding names the id it applies.
GUIDELINES = MappingProxyType(
    {
        "AHA-17": "Cerqueira MD et al. Standardized myocardial segmentation and nomenclature for "
        "tomographic imaging of the heart. Circulation 2002;105:539-542.",
        "ASNC-SPECT-2018": "Dorbala S et al. SNMMI/ASNC/SCCT guideline for cardiac SPECT/CT and PET/CT "
        "1.0; and Dorbala S et al. ASNC imaging guidelines for SPECT nuclear cardiology procedures. "
        "J Nucl Cardiol 2018;25:1784-1846.",
        "ASNC-PROTOCOLS-2016": "Henzlova MJ et al. ASNC imaging guidelines for SPECT nuclear cardiology "
        "procedures: stress, protocols, and tracers. J Nucl Cardiol 2016;23:606-639 (Tl-201 stress-redistribution: "
        "one injection at peak stress, redistribution images 3-4 hours later; reinjection or 24-hour late "
        "redistribution images for viability).",
        "DILSIZIAN-BONOW-1993": "Dilsizian V, Bonow RO. Current diagnostic techniques of assessing myocardial "
        "viability in patients with hibernating and stunned myocardium. Circulation 1993;87:1-20 (Tl-201 "
        "rest-redistribution: a defect that redistributes, or keeps uptake of 50% or more, is viable; a severe "
        "fixed defect is scar).",
        "ASNC-REPORTING-2009": "Tilkemeier PL et al. ASNC imaging guidelines for nuclear cardiology "
        "procedures: standardized reporting of myocardial perfusion images. J Nucl Cardiol 2009;16:165.",
        "HACHAMOVITCH-2003": "Hachamovitch R et al. Comparison of the short-term survival benefit "
        "associated with revascularization compared with medical therapy in patients with no prior "
        "CAD undergoing stress myocardial perfusion SPECT. Circulation 2003;107:2900-2907.",
        "ASE-EACVI-2015": "Lang RM et al. Recommendations for cardiac chamber quantification by "
        "echocardiography in adults. J Am Soc Echocardiogr 2015;28:1-39 (LVEF ranges by sex).",
        "AHA-ACC-HRS-2017": "Al-Khatib SM et al. 2017 AHA/ACC/HRS guideline for management of patients with "
        "ventricular arrhythmias and the prevention of sudden cardiac death. Circulation 2018;138:e272 "
        "(primary-prevention ICD at LVEF <= 35%; CRT at LVEF <= 35% with LBBB, ACC-AHA-HF-2022 likewise).",
        "ACC-AHA-SIHD-2012": "Fihn SD et al. 2012 ACCF/AHA/ACP/AATS/PCNA/SCAI/STS guideline for the "
        "diagnosis and management of patients with stable ischemic heart disease. Circulation "
        "2012;126:e354 (noninvasive risk stratification, Table 5).",
        "ESC-CCS-2019": "Knuuti J et al. 2019 ESC guidelines for the diagnosis and management of "
        "chronic coronary syndromes. Eur Heart J 2020;41:407 (high-risk: ischaemia >=10% of LV).",
        "ACC-AHA-EXERCISE-2002": "Gibbons RJ et al. ACC/AHA 2002 guideline update for exercise "
        "testing. Circulation 2002;106:1883 (85% of age-predicted maximal HR; ST criteria; "
        "exercise hypotension).",
        "DUKE-1991": "Mark DB et al. Prognostic value of a treadmill exercise score in outpatients "
        "with suspected coronary artery disease. N Engl J Med 1991;325:849-853.",
        "SNMMI-ASNC-PET-FLOW-2018": "Murthy VL et al. Clinical quantitation of myocardial blood "
        "flow using PET: joint position paper of the SNMMI cardiovascular council and ASNC. "
        "J Nucl Med 2018;59:273-293.",
        "ASNC-SNMMI-PET-MBF-2021": "Bateman TM et al. Practical guide for interpreting and reporting cardiac PET "
        "measurements of myocardial blood flow: an information statement from the American Society of Nuclear "
        "Cardiology, and the Society of Nuclear Medicine and Molecular Imaging. J Nucl Med 2021;62:1599-1615 "
        "(regional stress flow and flow reserve read with the relative images).",
        "CAC-DRS-2018": "Hecht HS et al. CAC-DRS: Coronary Artery Calcium Data and Reporting "
        "System. J Cardiovasc Comput Tomogr 2018;12:185-191.",
        "SCCT-STR-2016": "Hecht HS et al. 2016 SCCT/STR guidelines for coronary artery calcium "
        "scoring of noncontrast noncardiac chest CT scans. J Cardiovasc Comput Tomogr 2017;11:74.",
        "TID-ABIDOV-2003": "Abidov A et al. Transient ischemic dilation ratio of the left ventricle "
        "is a significant predictor of future cardiac events in patients with otherwise normal "
        "myocardial perfusion SPECT. J Am Coll Cardiol 2003;42:1818-1825.",
        "SHARIR-1999": "Sharir T et al. Incremental prognostic value of post-stress left "
        "ventricular ejection fraction and volume by gated myocardial perfusion SPECT. "
        "Circulation 1999;100:1035-1042 (post-stress ESV > 70 mL).",
        "JOHNSON-1997": "Johnson LL et al. Postischemic stunning can affect left ventricular "
        "ejection fraction and regional wall motion on post-stress gated sestamibi tomograms. "
        "J Am Coll Cardiol 1997;30:1641-1648 (post-stress LVEF drop >= 5 points).",
        "DORBALA-2007": "Dorbala S et al. Value of vasodilator left ventricular ejection fraction reserve "
        "in evaluating the magnitude of myocardium at risk and the extent of angiographic coronary artery "
        "disease: a 82Rb PET/CT study. J Nucl Med 2007;48:349-358 (LVEF reserve = peak-stress minus rest).",
        "HACHAMOVITCH-NORMAL-2003": "Hachamovitch R et al. Determinants of risk and its temporal variation "
        "in patients with normal stress myocardial perfusion scans: what is the warranty period of a normal "
        "scan? J Am Coll Cardiol 2003;41:1329-1340 (higher rates with pharmacologic stress, diabetes, age, "
        "known CAD).",
        "HAKEEM-2008": "Hakeem A et al. Predictive value of myocardial perfusion single-photon emission computed "
        "tomography and the impact of renal function on cardiac death. Circulation 2008;118:2540-2549.",
        "SLOMKA-2005": "Slomka PJ et al. Automated quantification of myocardial perfusion SPECT "
        "using simplified normal limits. J Nucl Cardiol 2005;12:66-77 (stress TPD >= 5% abnormal).",
        "LUNG-HEART-TL201": "Gill JB et al. Prognostic importance of thallium uptake by the lungs "
        "during exercise in coronary artery disease. N Engl J Med 1987;317:1485 (lung/heart > 0.5).",
    }
)


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Band(_Data):
    """A labelled half-open band [lower, upper) of a score."""

    label: str
    lower: float | None = None  # inclusive; None = no lower bound
    upper: float | None = None  # exclusive; None = no upper bound

    def contains(self, value: float) -> bool:
        return (self.lower is None or value >= self.lower) and (self.upper is None or value < self.upper)


def _band_of(bands: tuple[Band, ...], value: float) -> str:
    for band in bands:
        if band.contains(value):
            return band.label
    raise ValueError(f"value {value} falls in no band")


def _check_bands(bands: tuple[Band, ...], name: str, vocabulary: type[StrEnum]) -> None:
    for a, b in itertools.pairwise(bands):
        if a.upper is None or b.lower != a.upper:
            raise ValueError(f"{name}: bands must be contiguous and ascending ({a.label} -> {b.label})")
    words = {m.value for m in vocabulary}
    unknown = [band.label for band in bands if band.label not in words]
    if unknown:
        raise ValueError(f"{name}: labels {unknown} are not among {sorted(words)}")


class TidLimit(_Data):
    """Upper limit of normal of the TID ratio for one acquisition setting.

    ``modality``, ``tracer_family`` and ``stress`` select the row; None matches anything.
    The first matching row of :attr:`Thresholds.tid_limits` applies.
    """

    modality: str | None = None
    tracer_family: str | None = Field(default=None, description="'Tc-99m', 'Tl-201', 'Rb-82', 'N-13', 'F-18'")
    protocol: str | None = None
    stress: str | None = Field(default=None, description="'exercise' or 'pharmacologic'")
    upper_normal: float = Field(gt=1.0, lt=2.0)
    source: str


class Thresholds(_Data):
    """All thresholds the rules apply. Each field's description is its source.

    Each number has a plausible range (``ge``/``le``): a site file with ``lvef_lower_normal_male: 200`` is
    refused with the field named, never applied.
    """

    # Perfusion
    defect_min_segment_score: int = Field(
        2, ge=1, le=4, description="ASNC-SPECT-2018: a segment score >= 2 is definitely abnormal"
    )
    sss_bands: tuple[Band, ...] = Field(
        (
            Band(label="normal", upper=4),
            Band(label="mildly abnormal", lower=4, upper=9),
            Band(label="moderately abnormal", lower=9, upper=14),
            Band(label="severely abnormal", lower=14),
        ),
        description="ASNC-SPECT-2018: SSS <4 normal, 4-8 mild, 9-13 moderate, >13 severe",
    )
    ischemia_min_sds: int = Field(2, ge=1, le=20, description="HACHAMOVITCH-2003: SDS >= 2 indicates ischemia")
    scar_min_srs: int = Field(2, ge=1, le=20, description="ASNC-SPECT-2018: a fixed defect of SRS >= 2 indicates scar")
    viability_scar_min_score: int = Field(
        3,
        ge=2,
        le=4,
        description="ASNC-PROTOCOLS-2016 / DILSIZIAN-BONOW-1993: on Tl-201 rest-redistribution images a segment whose "
        "defect does not redistribute and stays severely reduced or absent (score >= 3, uptake below about 50% of "
        "peak) is non-viable scar; one that redistributes, or keeps more uptake, is viable",
    )
    ischemic_myocardium_bands: tuple[Band, ...] = Field(
        (
            Band(label="minimal", upper=5),
            Band(label="mild", lower=5, upper=10),
            Band(label="moderate", lower=10, upper=15),
            Band(label="severe", lower=15),
        ),
        description="HACHAMOVITCH-2003 / ESC-CCS-2019: % ischemic LV <5, 5-9.9, 10-14.9, >=15",
    )
    tpd_abnormal_percent: float = Field(5.0, ge=1, le=30, description="SLOMKA-2005: stress TPD >= 5% is abnormal")
    high_risk_ischemic_percent: float = Field(
        10.0, ge=1, le=50, description="ESC-CCS-2019 / HACHAMOVITCH-2003: ischemia >= 10% of the LV is high risk"
    )
    high_risk_ischemic_edge_percent: float = Field(
        12.5,
        ge=1,
        le=50,
        description="HACHAMOVITCH-2003: the survival benefit of revascularization over medical therapy appears "
        "between 10 and 12.5% ischemic myocardium; below 12.5% a reader's 'intermediate risk' is a reading (a "
        "warning of the guardrails), not a contradiction",
    )
    extent_medium_min_segments: int = Field(3, ge=1, le=17, description="ASNC-SPECT-2018: small 1-2 segments")
    extent_large_min_segments: int = Field(
        5, ge=1, le=17, description="ASNC-SPECT-2018: medium 3-4, large >= 5 segments"
    )
    extent_percent_bands: tuple[Band, ...] = Field(
        (
            Band(label="small", upper=10),
            Band(label="medium", lower=10, upper=20),
            Band(label="large", lower=20),
        ),
        description="ASNC-SPECT-2018 / ASNC-REPORTING-2009: a defect's extent as % of the LV (its summed stress "
        "score / 68): small < 10%, medium 10-19%, large >= 20%; the other convention beside the segment count",
    )
    # Function
    lvef_lower_normal_male: float = Field(52.0, ge=30, le=80, description="ASE-EACVI-2015: normal LVEF >= 52% in men")
    lvef_lower_normal_female: float = Field(
        54.0, ge=30, le=80, description="ASE-EACVI-2015: normal LVEF >= 54% in women"
    )
    lvef_preserved_min: float = Field(
        50.0,
        ge=30,
        le=80,
        description="ACC-AHA-HFSA-2022 / ESC-HF-2021: an LVEF >= 50% is 'preserved' (HFpEF) in the heart-failure "
        "guidelines, below the ASE-EACVI-2015 normal limits; 'preserved' for a mildly reduced LVEF of 50% or more "
        "is that convention, a reading (a warning of the guardrails), where 'normal' is not",
    )
    lvef_moderate_below: float = Field(41.0, ge=20, le=70, description="ASE-EACVI-2015: 41-51/53 mildly reduced")
    lvef_severe_below: float = Field(
        30.0, ge=10, le=60, description="ASE-EACVI-2015: 30-40 moderately, <30 severely reduced"
    )
    high_risk_lvef_below: float = Field(35.0, ge=10, le=60, description="ACC-AHA-SIHD-2012: LVEF < 35% is high risk")
    device_lvef_max: float = Field(
        35.0,
        ge=10,
        le=60,
        description="AHA-ACC-HRS-2017: a primary-prevention ICD or CRT is considered only at LVEF <= 35%",
    )
    lvef_drop_points: float = Field(
        5.0, ge=1, le=20, description="JOHNSON-1997: post-stress LVEF >= 5 points below rest suggests stunning"
    )
    pet_lvef_reserve_normal_min: float = Field(
        0.0,
        ge=-20,
        le=20,
        description="DORBALA-2007: on Rb-82 PET the LVEF rises from rest to peak vasodilator stress; a fall "
        "(reserve < 0 points) marks severe left-main or multivessel disease",
    )
    high_risk_esv_ml: float = Field(70.0, ge=20, le=300, description="SHARIR-1999: post-stress ESV > 70 mL")
    # the bands of the ACC-AHA-SIHD-2012 table of noninvasive risk stratification, beside high_risk_lvef_below and
    # high_risk_ischemic_percent: what a reader's category may rest on where the rules grade otherwise
    table_perfusion_low_below_percent: float = Field(
        5.0,
        ge=1,
        le=20,
        description="ACC-AHA-SIHD-2012: a perfusion defect < 5% of the myocardium is low risk, 5-9.9% intermediate",
    )
    table_lvef_intermediate_below: float = Field(
        50.0, ge=30, le=80, description="ACC-AHA-SIHD-2012: LVEF 35-49% is intermediate risk, >= 50% not a reason"
    )
    table_lvef_drop_high_points: float = Field(
        10.0,
        ge=1,
        le=30,
        description="ACC-AHA-SIHD-2012: severe stress-induced LV dysfunction, an LVEF drop >= 10 points, is high risk",
    )
    table_low_workload_mets: float = Field(
        5.0,
        ge=1,
        le=15,
        description="ACC-AHA-SIHD-2012 / ACC-AHA-EXERCISE-2002: ST depression >= 2 mm at a low workload (< 5 METs) is "
        "high risk",
    )
    # the exercise capacity a text may call poor only below, or good only from (ACC-AHA-EXERCISE-2002: < 5 METs
    # carries a poor prognosis, >= 10 METs an excellent one, whatever the perfusion)
    poor_capacity_mets: float = Field(5.0, ge=1, le=15, description="ACC-AHA-EXERCISE-2002: < 5 METs is poor")
    good_capacity_mets: float = Field(10.0, ge=1, le=20, description="ACC-AHA-EXERCISE-2002: >= 10 METs is good")
    lung_heart_ratio_upper: float = Field(0.5, ge=0.2, le=1.0, description="LUNG-HEART-TL201: Tl-201 lung/heart > 0.5")
    tid_limits: tuple[TidLimit, ...] = Field(
        (
            TidLimit(
                modality="PET",
                tracer_family="Rb-82",
                upper_normal=1.13,
                source="ASNC-SPECT-2018 (PET Rb-82 vasodilator; lab-specific, verify locally)",
            ),
            TidLimit(modality="PET", upper_normal=1.13, source="ASNC-SPECT-2018 (PET; lab-specific, verify locally)"),
            TidLimit(
                modality="SPECT",
                protocol="dual-isotope",
                upper_normal=1.22,
                source="TID-ABIDOV-2003 (dual-isotope SPECT)",
            ),
            TidLimit(
                modality="SPECT",
                tracer_family="Tc-99m",
                stress="pharmacologic",
                upper_normal=1.36,
                source="ASNC-SPECT-2018 (Tc-99m vasodilator SPECT; lab-specific, verify locally)",
            ),
            TidLimit(
                modality="SPECT",
                tracer_family="Tc-99m",
                upper_normal=1.22,
                source="ASNC-SPECT-2018 (Tc-99m exercise SPECT; lab-specific, verify locally)",
            ),
            TidLimit(upper_normal=1.22, source="ASNC-SPECT-2018 (default when no row matches)"),
        ),
        description="first matching row applies",
    )
    tid_borderline_margin: float = Field(
        0.01,
        ge=0,
        le=0.2,
        description="ASNC-SPECT-2018: TID limits are laboratory- and protocol-specific ('verify locally') and "
        "whether the limit itself is abnormal is a laboratory convention; a ratio within this margin of the limit "
        "is at the limit, a reading either way",
    )
    # Stress test
    adequate_percent_mphr: float = Field(85.0, ge=50, le=100, description="ACC-AHA-EXERCISE-2002: >= 85% of 220-age")
    ischemic_st_depression_mm: float = Field(
        1.0, ge=0.5, le=5, description="ACC-AHA-EXERCISE-2002: >= 1 mm horizontal/downsloping ST depression"
    )
    hypotension_sbp_drop_mmhg: float = Field(
        10.0, ge=0, le=60, description="ACC-AHA-EXERCISE-2002: SBP fall > 10 mmHg with exercise is high risk"
    )
    hypertensive_response_sbp_male_mmhg: float = Field(
        210.0, ge=150, le=300, description="AHA-EXERCISE-STANDARDS-2013: peak SBP > 210 mmHg in men is exaggerated"
    )
    hypertensive_response_sbp_female_mmhg: float = Field(
        190.0, ge=150, le=300, description="AHA-EXERCISE-STANDARDS-2013: peak SBP > 190 mmHg in women is exaggerated"
    )
    duke_bands: tuple[Band, ...] = Field(
        (
            Band(label="high risk", upper=-10),
            Band(label="moderate risk", lower=-10, upper=5),
            Band(label="low risk", lower=5),
        ),
        description="DUKE-1991: <= -11 high, -10 to +4 moderate, >= +5 low",
    )
    modified_bruce_lead_in_min: float = Field(
        6.0,
        ge=0,
        le=12,
        description="ACC-AHA-EXERCISE-2002: the modified Bruce protocol adds two 3-minute stages (1.7 mph at 0 % and "
        "5 %) before Bruce stage 1; its minutes less these are the Bruce-equivalent time the Duke score (DUKE-1991) "
        "takes",
    )
    # PET flow
    mfr_reduced_below: float = Field(2.0, ge=1, le=4, description="SNMMI-ASNC-PET-FLOW-2018: MFR < 2.0 reduced")
    mfr_severe_below: float = Field(
        1.5, ge=0.5, le=3, description="SNMMI-ASNC-PET-FLOW-2018: MFR < 1.5 severely reduced"
    )
    # Calcium
    cac_bands: tuple[Band, ...] = Field(
        (
            Band(label="no identifiable coronary calcium", upper=1),
            Band(label="mild", lower=1, upper=100),
            Band(label="moderate", lower=100, upper=300),
            Band(label="severe", lower=300),
        ),
        description="CAC-DRS-2018: 0 (CAC-DRS 0), 1-99 mild (A1), 100-299 moderate (A2), >= 300 severe (A3)",
    )
    cac_raises_risk_at: float = Field(
        300.0,
        ge=1,
        le=5000,
        description="CAC-DRS-2018: CAC >= 300 (A3, severe) carries a higher long-term risk, stated beside the "
        "perfusion risk",
    )
    # Risk
    annual_risk_bands: tuple[Band, ...] = Field(
        (
            Band(label="low", upper=1),
            Band(label="intermediate", lower=1, upper=3),
            Band(label="high", lower=3),
        ),
        description="ACC-AHA-SIHD-2012: annual rate of cardiac death or MI < 1% low, 1-3% intermediate, "
        "> 3% high (%/year)",
    )
    risk_older_age_years: int = Field(
        75,
        ge=40,
        le=100,
        description="HACHAMOVITCH-NORMAL-2003: the event rate after a normal scan rises with age (>= 75 years)",
    )
    # Comparison with a prior study
    comparison_ischemia_change_percent: float = Field(
        5.0, ge=1, le=30, description="ASNC-SPECT-2018: a change of >= 5% of the LV in ischemic burden is significant"
    )
    comparison_lvef_change_points: float = Field(
        5.0, ge=1, le=20, description="ASNC-SPECT-2018: gated SPECT LVEF reproducibility is about +/- 5 points"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        _check_bands(self.sss_bands, "sss_bands", SssCategory)
        _check_bands(self.ischemic_myocardium_bands, "ischemic_myocardium_bands", IschemicExtent)
        _check_bands(self.duke_bands, "duke_bands", DukeCategory)
        _check_bands(self.cac_bands, "cac_bands", CacBand)
        _check_bands(self.extent_percent_bands, "extent_percent_bands", Extent)
        _check_bands(self.annual_risk_bands, "annual_risk_bands", RiskCategory)
        if self.mfr_severe_below >= self.mfr_reduced_below:
            raise ValueError("mfr_severe_below must be below mfr_reduced_below")
        if (
            not self.lvef_severe_below
            < self.lvef_moderate_below
            < min(self.lvef_lower_normal_male, self.lvef_lower_normal_female)
        ):
            raise ValueError("LVEF limits must ascend: severe < moderate < lower normal")
        if self.extent_large_min_segments <= self.extent_medium_min_segments:
            raise ValueError("extent_large_min_segments must exceed extent_medium_min_segments")
        if self.high_risk_ischemic_edge_percent < self.high_risk_ischemic_percent:
            raise ValueError("high_risk_ischemic_edge_percent must not be below high_risk_ischemic_percent")
        return self

    def sss_category(self, sss: float) -> SssCategory:
        return SssCategory(_band_of(self.sss_bands, sss))

    def ischemic_category(self, percent: float) -> IschemicExtent:
        return IschemicExtent(_band_of(self.ischemic_myocardium_bands, percent))

    def extent_by_percent(self, percent_lv: float) -> Extent:
        return Extent(_band_of(self.extent_percent_bands, percent_lv))

    def extent_by_segments(self, segments: int) -> Extent:
        """A defect's extent by how many of the 17 segments it holds (ASNC-SPECT-2018)."""
        if segments >= self.extent_large_min_segments:
            return Extent.LARGE
        return Extent.MEDIUM if segments >= self.extent_medium_min_segments else Extent.SMALL

    def duke_category(self, score: float) -> DukeCategory:
        return DukeCategory(_band_of(self.duke_bands, score))

    def cac_category(self, agatston: float) -> CacBand:
        return CacBand(_band_of(self.cac_bands, agatston))

    def annual_risk(self, category: RiskCategory) -> Band | None:
        """The annual event-rate band of a risk category (None for indeterminate)."""
        return next((b for b in self.annual_risk_bands if b.label == category.value), None)

    def _tid_rows(self, wanted: dict[str, str]) -> list[TidLimit]:
        """The TID rows that fit ``wanted`` (a row's None fits any value), in table order (most specific first)."""
        return [r for r in self.tid_limits if all(getattr(r, key) in (None, value) for key, value in wanted.items())]

    def tid_limit(self, modality: str, tracer_family: str, protocol: str, stress: str) -> TidLimit:
        wanted = {"modality": modality, "tracer_family": tracer_family, "protocol": protocol, "stress": stress}
        rows = self._tid_rows(wanted)
        if not rows:
            raise ValueError(f"no TID limit matches {wanted}; add a catch-all row")
        return rows[0]

    def tid_limit_span(
        self, modality: str, tracer_family: str, protocol: str, stress: str | None = None
    ) -> tuple[float, float]:
        """The lowest and highest upper limits of normal published for this acquisition (and this stress, where
        given: a vasodilator's limit is no limit of an exercise study) (ASNC-SPECT-2018: TID limits are
        laboratory-specific; a ratio between them is abnormal by one laboratory's limit and normal by another's)."""
        wanted = {"modality": modality, "tracer_family": tracer_family, "protocol": protocol}
        rows = self._tid_rows(wanted | ({"stress": stress} if stress is not None else {}))
        limits = [r.upper_normal for r in rows if r.modality is not None] or [r.upper_normal for r in rows]
        return min(limits), max(limits)


DEFAULT_THRESHOLDS = Thresholds()
