"""The facts a narrative may state: a comparable view of one Study and its Findings.

Built once per verification from the rule engine's Findings (never from prose), so a number is
interpreted in one place: the rules. Numbers are kept per quantity (with phase and territory)
and, for numbers that name no quantity, per unit class ("bag"), with the thresholds the rules
quote ("lower limit of normal 52%").
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

from reporter.domain.finding import Finding, FindingCode
from reporter.domain.rules import Defect, evaluate, myocardium_percent, prior_defects, tracer_family
from reporter.domain.study import AnginaIndex, PriorStudy, StressTest, Study
from reporter.domain.thresholds import AGE_PREDICTED_MAX_HR_BASE, DEFAULT_THRESHOLDS, MAX_SUMMED_SCORE
from reporter.domain.vocabulary import (
    ACTIVITY_MBQ_PER_MCI,
    SEGMENTS,
    BaselineEcg,
    Certainty,
    DukeCategory,
    HighRiskFeature,
    IschemicExtent,
    Level,
    Protocol,
    Reversibility,
    RvUptake,
    Severity,
    SeverityRange,
    Sex,
    SssCategory,
    StressType,
    WallMotion,
    walls_of,
)
from reporter.render import template_set

__all__ = [
    "BALANCED_FLOW_MARKER",
    "DEFECT_SHARE",
    "DefectFact",
    "Facts",
    "HighRiskFact",
    "QuantityFact",
    "clear_caches",
    "facts_of",
    "study_facts",
]

#: The ischemia marker of a globally reduced flow reserve with near-normal relative perfusion.
BALANCED_FLOW_MARKER = "globally reduced flow reserve"
#: The bag key of each defect's own share of the LV (its summed stress score / 68): a value a share "of the
#: myocardium" (unit lv%) may give, apart from the plain percentages a bare "28%" is read against.
DEFECT_SHARE = "defect_lv%"

C = FindingCode
# Numbers in free text a Finding carries from the input (the indication, a dose such as "0.4 mg").
_NUMBER_IN_STRING = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?")
# upper reference limits of the LV end-diastolic volume (ASE-EACVI-2015, 2D biplane: men
# 62-150 mL, women 46-106 mL)
_EDV_UPPER_MALE_ML = 150.0
_EDV_UPPER_FEMALE_ML = 106.0
_MG_IN_NOTE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*mg\b(?!\s*/)", re.I)
# Constants the rule phrasing quotes beside the facts: 17 segments, 68 = maximal summed score,
# the edges of the annual risk bands (ACC-AHA-SIHD-2012), age-predicted maximum 220 - age.
_CONSTANTS = (
    float(len(SEGMENTS)),
    float(MAX_SUMMED_SCORE),
    *(float(edge) for band in DEFAULT_THRESHOLDS.annual_risk_bands for edge in (band.upper,) if edge is not None),
    float(AGE_PREDICTED_MAX_HR_BASE),
)


@dataclass(frozen=True, slots=True)
class QuantityFact:
    quantity: str
    value: float | str
    phase: str | None = None
    territory: str | None = None
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class DefectFact:
    kind: str  # "defect", "equivocal", "wall_motion", "artifact"
    territory: str | None
    walls: tuple[str, ...]
    segments: tuple[int, ...]
    severity: SeverityRange | None
    extent: str | None
    reversibility: str | None
    certainty: str
    #: summed rest score of the defect's segments below the defect threshold (rest scores of 1): a mild
    #: residual that a reader may call "partially reversible" or "a small fixed component"
    residual_rest: int = 0
    #: the summed stress score of its segments (0 when not scored): the extent of defects described together
    summed_stress: int = 0
    #: the grade of each of its segments' stress scores (empty when no segment was scored)
    segment_grades: tuple[Severity, ...] = ()
    #: every extent word a reader may give it: the rules' grade by segment count, and the grade of its summed
    #: stress score as % of the LV (ASNC-SPECT-2018 gives both conventions; 3 segments at 7% are medium or small)
    extents: tuple[str, ...] = ()
    #: the grade of each of its segments' rest (or redistribution) scores above zero: what "a mild residual
    #: defect at rest" grades
    rest_grades: tuple[Severity, ...] = ()

    @property
    def severity_range(self) -> tuple[str, ...]:
        """Every grade a reader may give the defect as one word ("moderate"): the rules' grade (that of the
        predominant segment score), any grade above it up to the worst segment, and a grade held by as many
        segments as the predominant one (scores 3, 2, 3, 2: "moderate" or "severe"; 3, 3, 2, 1: not "mild")."""
        grades = set(self.severity.grades if self.severity else ())
        if self.segment_grades and self.severity is not None:
            order = list(Severity)
            top = max(order.index(g) for g in self.segment_grades)
            low = order.index(self.severity.low)
            grades |= set(order[low : top + 1])
            most = self.segment_grades.count(self.severity.low)
            grades |= {g for g in self.segment_grades if self.segment_grades.count(g) >= most}
        return tuple(g.value for g in Severity if g in grades)

    @property
    def severity_span(self) -> tuple[str, ...]:
        """The grades from the mildest to the worst segment: what a range ("mild to severe") may span."""
        grades = set(self.severity.grades if self.severity else ()) | set(self.segment_grades)
        order = [g for g in Severity if g in grades]
        if not order:
            return ()
        members = list(Severity)
        return tuple(g.value for g in members[members.index(order[0]) : members.index(order[-1]) + 1])

    def describe(self) -> str:
        parts = [self.extent or "", str(self.severity or ""), self.reversibility or ""]
        where = f"{self.territory} territory" if self.territory else "region"
        walls = ", ".join(self.walls)
        segs = ", ".join(map(str, self.segments))
        head = " ".join(p for p in parts if p)
        return f"{head} {self.kind} in the {where} ({walls}; segments {segs})".strip()


@dataclass(frozen=True, slots=True)
class HighRiskFact:
    """A high-risk feature the rules found: its code, and its words from ``phrases.j2`` for messages."""

    feature: HighRiskFeature
    words: str


@dataclass(slots=True)
class Facts:
    """What the study shows, in the terms the checks compare."""

    quantities: dict[str, list[QuantityFact]] = field(default_factory=dict)
    bag: dict[str, set[float]] = field(default_factory=dict)
    dates: set[str] = field(default_factory=set)
    defects: list[DefectFact] = field(default_factory=list)
    equivocal: list[DefectFact] = field(default_factory=list)
    wall_motion: list[DefectFact] = field(default_factory=list)
    wall_motion_known: bool = False
    #: each graded segment's worst wall motion, any phase ("hypokinetic", "akinetic", "dyskinetic", "normal")
    segment_motion: dict[int, str] = field(default_factory=dict)
    # abnormal wall motion the study explains without regional data: of the septum with LBBB, a paced
    # rhythm or septal dyssynchrony; global with a reduced LVEF
    septal_motion_expected: bool = False
    # LBBB or a paced rhythm with a reduction the septum alone holds beside others (a septal region and, say, a
    # lateral one): the septal one may be read as the conduction artifact, said of the septum (see lbbb_artifact)
    septal_artifact_possible: bool = False
    artifacts: list[DefectFact] = field(default_factory=list)
    perfusion_category: str | None = None
    ischemia: bool = False
    scar: bool = False
    ischemia_markers: tuple[str, ...] = ()
    # ischemia the defects show but the ischemic burden does not reach (SDS below the rules' ischemia
    # threshold, HACHAMOVITCH-2003): "no significant ischemia" and "fixed" are readings of it, not errors
    ischemia_marginal: bool = False
    # some ischemic myocardium, below the SDS threshold, and no defect the rules call ischemic
    ischemia_subthreshold: bool = False
    # the only change since the prior is such a marginal reversibility: "unchanged" is a reading too
    comparison_marginal: bool = False
    # every defect change since the prior is a gain in reversibility smaller than a significant change in
    # ischemic burden: a defect "unchanged" is a reading (see _defect_change_marginal)
    defect_change_marginal: bool = False
    # a prior defect the rules call resolved whose territory keeps mildly reduced (score-1, equivocal) segments in
    # its walls: "unchanged" is a reading of the same mild finding on the other side of the defect threshold
    resolved_at_threshold: bool = False
    tid_abnormal: bool | None = None
    # the TID ratio lies within the margin of its lab-specific limit: dilation stated or denied is a reading
    tid_borderline: bool = False
    lung_abnormal: bool | None = None
    lvef_category: str | None = None
    lvef: float | None = None
    # the LVEF is reduced only after stress (the rest LVEF is normal): the drop, or stunning, says so
    lvef_reduced_after_stress_only: bool = False
    features: dict[str, bool] = field(default_factory=dict)
    # findings a reader states from the measurements that the rules do not grade as high-risk features (so an
    # impression need not state them, and a denial is not checked against them): see _readings
    readings: frozenset[str] = frozenset()
    # findings the study cannot decide (it has no field for them, or the measurement that decides them is absent):
    # a text's claim of one is unverified, not contradicted (see _undecided)
    undecided: frozenset[str] = frozenset()
    # the RV is decided by the study's perfusion.rv_uptake alone (no artifact note names it): a claim of RV
    # uptake is checked against it; one of RV size or motion, which uptake does not show, stays unverified
    rv_by_uptake_only: bool = False
    agent: str | None = None
    exercise: bool = False
    pharmacologic: bool = False
    tracers: tuple[str, ...] = ()
    # the tracer of each phase ("rest", "stress"): a dual-isotope study gives each its own
    tracer_of_phase: dict[str, str] = field(default_factory=dict)
    # the acquisition protocol (reporter.domain.vocabulary.Protocol), e.g. "stress-only"
    protocol: str | None = None
    # the attenuation correction the acquisition records ("none", "CT", "AI-based")
    attenuation_correction: str | None = None
    # which phase a two-day protocol acquired on its first day ("rest", "stress"); None when not recorded
    first_day: str | None = None
    modality: str | None = None
    ecg_response: str | None = None
    lvef_lower_normal: float | None = None
    st_leads: tuple[str, ...] = ()  # the leads of the ST deviation ("II", "aVF", "V5")
    calcium_present: bool | None = None
    has_prior: bool = False
    prior_date: str | None = None
    comparison_changed: bool | None = None
    comparison_directions: dict[str, str] = field(default_factory=dict)
    risk: str | None = None
    # a calcium score the rules say adds long-term risk beyond the perfusion study (CAC-DRS-2018)
    risk_raised_by_calcium: bool = False
    # the rules' intermediate risk rests only on readings a physician may weigh otherwise (see _low_is_a_reading)
    risk_low_is_a_reading: bool = False
    # the rules' high risk rests only on an ischemic extent at the edge of the high-risk band (see
    # _intermediate_is_a_reading): "intermediate risk" is a reading shown as unverified, "low risk" stays an error
    risk_intermediate_is_a_reading: bool = False
    # the categories the ACC-AHA-SIHD-2012 table supports from the study's Findings, lowest and highest, with the
    # table's words (see _table_risk); None for non-diagnostic images
    risk_table: tuple[str, str, str] | None = None
    # ... read for the risk of ischemic events only ("low risk for ischaemic events"): without the arrhythmia criterion
    risk_table_ischemic: tuple[str, str, str] | None = None
    high_risk_features: tuple[HighRiskFact, ...] = ()
    # the rules' high risk rests only on the LV's post-stress volume (an end-systolic volume over the limit, not a
    # criterion of the ACC-AHA-SIHD-2012 table) with perfusion free of ischemia and scar: a reader who names the
    # dilated LV may grade the risk by perfusion ("low-risk perfusion; LV dilation -> echo"), a reading
    risk_high_by_volume_only: bool = False
    esv_limit_ml: float = DEFAULT_THRESHOLDS.high_risk_esv_ml
    # an end-diastolic volume above the upper reference limit for the patient's sex (ASE-EACVI-2015), which
    # no rule grades: a reader may call such an LV mildly dilated (athlete's heart), a reading
    edv_above_reference: bool = False
    duke_category: str | None = None
    # a Duke score the rules do not give because the baseline ECG forbids ST analysis (LVH with strain, LBBB, digoxin:
    # DUKE-1991 excluded them) but whose inputs the study holds: minutes - 5 x ST mm - 4 x angina index, and its band.
    # A reader may still quote it (a reading, shown as unverified); another value or band stays an error
    duke_reading: float | None = None
    duke_reading_category: str | None = None
    # why the rules give no score: "baseline ECG" (ST analysis not allowed) or "modified Bruce" (the score read on the
    # Bruce-equivalent time)
    duke_reading_basis: str = "baseline ECG"
    # stress symptoms: True when chest pain or angina occurred, False when the data say none, None unknown
    chest_pain: bool | None = None
    # angina that stopped the test (the Duke angina index "limiting", DUKE-1991) or not; None without angina
    angina_limiting: bool | None = None
    # the stress data grade the angina index "none" (a chest symptom such as a vasodilator's chest tightness may
    # still be recorded): a text's denial of angina, as distinct from chest pain, agrees with it
    angina_none: bool = False
    # the arrhythmias recorded during stress, as the stress data word them ("frequent PVCs")
    arrhythmias: tuple[str, ...] = ()
    # the stress record's free text (why the test stopped, the arrhythmias): what it says beyond its fields, such as
    # an ST change in recovery, which the exercise-phase ST measure (st_depression_mm, DUKE-1991) does not hold
    stress_notes: tuple[str, ...] = ()
    # why the test stopped, as the stress data word it ("fatigue", "nonsustained ventricular tachycardia (8 beats)")
    termination_reason: str = ""
    # the beta-blocker status on the day of the test ("taken", "held", "not prescribed"); None where not recorded
    beta_blocker: str | None = None
    # the implanted devices the clinical record names ("icd", "pacemaker", "crt"): what a text may not deny
    devices: frozenset[str] = frozenset()
    # the resting ECG pattern, as the stress data name it ("left bundle branch block")
    baseline_ecg: str = ""
    # an exaggerated (hypertensive) blood-pressure response to exercise: the peak systolic pressure above the limit
    # for the patient's sex (AHA-EXERCISE-STANDARDS-2013)
    hypertensive_response: bool = False
    # the heart rate fell short of the target of a chronotropic stress (ACC-AHA-EXERCISE-2002: 85% MPHR)
    submaximal: bool = False
    # the heart rate reached the target of a chronotropic stress: True, False (submaximal), None (not graded)
    hr_adequate: bool | None = None
    # the clinical record gives a myocardial infarction (prior_mi, or the indication names one)
    history_mi: bool = False
    artifact_resolved_by_ac: bool = False
    # the walls of the prior's scored segments, equivocal ones (score 1) included: where a possible defect of the
    # prior may lie (None: the prior gives no segment scores)
    prior_possible_walls: frozenset[str] | None = None
    # grades the rules give, as words: ischemic burden, global and regional MFR, calcium
    ischemic_category: str | None = None
    mfr_global_category: str | None = None
    mfr_regional_categories: dict[str, str] = field(default_factory=dict)
    calcium_category: str | None = None
    # the visual grade of the calcium where the study gives one beside the Agatston score (SCCT-STR-2016: none, mild,
    # moderate, severe on a non-gated CT): a text may grade the calcium by it
    calcium_visual_grade: str | None = None
    # the prior as the rules compare it: its result, the territories of its defects (None: unknown),
    # and whether its defects got better or worse ("better", "worse", "mixed")
    prior_result: str | None = None
    prior_modality: str | None = None
    prior_territories: frozenset[str] | None = None
    prior_walls: frozenset[str] | None = None
    # the walls of a prior's measured score-1 (equivocal) segments: a reader may call them a small mild defect
    # (or an attenuation), as of this study's equivocal regions (see checks._EQUIVOCAL_WORDS)
    prior_equivocal_walls: frozenset[str] = frozenset()
    prior_trend: str | None = None
    # the prior's tracer and stress agent, where it gives them
    prior_tracer: str | None = None
    prior_agent: str | None = None
    # whether the prior showed ischemia (a reversible defect, or its SDS at the ischemia threshold); None: unknown
    prior_ischemia: bool | None = None
    # each prior defect's walls and reversibility by territory, where the prior gives them (its segment scores as
    # the rules read them, or its report's words): what a text says the prior's defect in a wall was
    prior_reversibility: dict[str, tuple[frozenset[str], str]] = field(default_factory=dict)
    # whether the prior showed scar (a fixed or partially reversible defect, or its SRS at the scar threshold)
    prior_scar: bool | None = None
    #: a rest-redistribution (viability) study's walls whose segments stay abnormal on the redistribution images
    #: (score at the defect threshold): where a text may place scar; None for other protocols
    residual_walls: frozenset[str] | None = None
    #: each scored segment's (stress, rest or redistribution) scores, for a text that lists them ("mid anterior 2/0")
    segment_scores: dict[int, tuple[int, frozenset[int]]] = field(default_factory=dict)
    #: numbers the study implies but does not store, by the unit a text writes them in ("none": no unit), each with
    #: its kind ("change", "product", "target", "years", "gbq", "duke_term") and the quantity it is computed from
    #: (None: several): a text may state one where its words name that kind (``checks._derived_holds``)
    derived: dict[str, list[tuple[float, str, str | None]]] = field(default_factory=dict)

    def add(
        self,
        quantity: str,
        value: Any,
        phase: str | None = None,
        territory: str | None = None,
        evidence: str = "",
        unit: str | None = None,
    ) -> None:
        if value is None:
            return
        self.quantities.setdefault(quantity, []).append(QuantityFact(quantity, value, phase, territory, evidence))
        if unit is not None and isinstance(value, int | float):
            self.put(unit, value)

    def put(self, unit: str, *values: Any) -> None:
        for v in values:
            if isinstance(v, int | float) and not isinstance(v, bool):
                self.bag.setdefault(unit, set()).add(float(v))
                self.bag.setdefault("any", set()).add(float(v))


def _numbers_in(value: Any) -> Iterable[float]:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float):
        yield float(value)
    elif isinstance(value, str):
        for m in _NUMBER_IN_STRING.finditer(value):
            yield float(m.group(0))
    elif isinstance(value, tuple | list):
        for v in value:
            yield from _numbers_in(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _numbers_in(v)


def _bruce_equivalent_minutes(s: StressTest) -> float | None:
    """The minutes of a modified Bruce test less its lead-in stages (the Bruce-equivalent time a reader scores the
    Duke score on, ACC-AHA-EXERCISE-2002), where its ECG allows ST analysis and its ST deviation is recorded; None
    for any other test, or one that ended before Bruce stage 1."""
    protocol = re.sub(r"[\s-]+", " ", (s.exercise_protocol or "").lower()).strip()
    if not s.is_exercise or protocol not in ("modified bruce", "mod bruce") or s.exercise_duration_min is None:
        return None
    if not s.baseline_ecg.permits_st_analysis or (s.st_depression_mm is None and s.st_elevation_mm is None):
        return None
    minutes = s.exercise_duration_min - DEFAULT_THRESHOLDS.modified_bruce_lead_in_min
    return minutes if minutes > 0 else None


def _between_published_limits(study: Study, ratio: float) -> bool:
    """The TID ratio lies between the lowest and highest limits published for its acquisition (a Tc-99m
    vasodilator SPECT ratio of 1.31: above the 1.22 of most laboratories, below the 1.36 the rules apply):
    abnormal or normal is then the laboratory's convention, a reading either way (ASNC-SPECT-2018)."""
    p = study.procedure
    # the stress as the rules choose its TID limit (reporter.domain.rules: exercise alone, else pharmacologic)
    stress = "exercise" if study.stress_test.type is StressType.EXERCISE else "pharmacologic"
    lo, hi = DEFAULT_THRESHOLDS.tid_limit_span(
        p.modality.value, tracer_family(p.stress_tracer), p.protocol.value, stress
    )
    return lo < ratio <= hi


def _first(findings: Sequence[Finding], code: FindingCode) -> Finding | None:
    return next((f for f in findings if f.code is code), None)


def _all(findings: Sequence[Finding], code: FindingCode) -> list[Finding]:
    return [f for f in findings if f.code is code]


_RESOLVED_BY_AC = re.compile(
    r"\b(?:resolv\w*|disappear\w*|corrected|not\s+(?:seen|present|visible))\b[^.;]{0,40}\b(?:AC|CT|attenuation|corrected)\b"
    r"|\b(?:AC|CT-?AC|attenuation[- ]correct\w*)\b[^.;]{0,30}\b(?:resolv\w*|normal\w*|remov\w*)\b",
    re.I,
)
_NAMES_MI = re.compile(r"\b(?:N?STEMI|MI|IWMI|AWMI|infarct\w*)\b", re.I)


def facts_of(study: Study, findings: Sequence[Finding]) -> Facts:
    """The comparable facts of a study and its Findings."""
    fx = Facts()
    for f in findings:  # every number the rules produced may be quoted somewhere
        fx.put("any", *_numbers_in(f.values))
    fx.put("any", *_CONSTANTS, study.patient.age_years)
    fx.put("age", study.patient.age_years)
    fx.put("count", len(SEGMENTS))
    fx.history_mi = study.clinical.prior_mi or bool(_NAMES_MI.search(study.clinical.indication))
    fx.beta_blocker = study.clinical.beta_blocker.value if study.clinical.beta_blocker else None
    fx.devices = devices_named(study.clinical.indication)
    _procedure(study, findings, fx)
    _stress(study, findings, fx)
    _perfusion(study, findings, fx)
    _function(study, findings, fx)
    _flow_calcium(study, findings, fx)
    _comparison(study, findings, fx)
    _summary(study, findings, fx)
    _derived(study, fx)
    return fx


def _derived(study: Study, fx: Facts) -> None:
    """The numbers a reader computes from the study's values (exact: a text's rounding is the checker's matter).

    - the change of a value between rest and peak, or since the prior (same unit, signed and not): heart rate
      (bpm), systolic pressure (mmHg), LVEF (points or "%"), and the unitless ratios and scores (TID, MFR, SSS...);
      the heart-rate response in % of the resting rate ((peak - rest) / rest, the vasodilator heart-rate response)
      and an LVEF change in % of the earlier value (a "relative" fall);
    - the double (rate-pressure) product, heart rate x systolic pressure, at peak and at rest;
    - the target heart rate, 85 % of 220 - age (ACC-AHA-EXERCISE-2002);
    - the years between the prior and this study (exact and whole years elapsed);
    - each injected activity in GBq (MBq / 1000);
    - the terms of the Duke treadmill score as a text writes its formula, "6 - 5 x 2.5 - 4 x 2" (DUKE-1991: the
      weights 5 and 4, the angina index 0-2), and the score itself where the rules give none because the baseline
      ECG makes the ST response nondiagnostic (a Bruce test with its ST deviation and angina index recorded);
    - the number of segments of all defects together, and of the segments the rules call abnormal at stress (a
      score at the defect threshold), as counts ("10 of 17 segments"; ASNC-SPECT-2018 17-segment model).
    """

    def add(unit: str, kind: str, quantity: str | None, *values: float | None) -> None:
        for v in values:
            if v is not None:
                fx.derived.setdefault(unit, []).append((float(v), kind, quantity))

    s = study.stress
    if s is not None:  # a rest-redistribution study has no stress values
        for unit, quantity, rest, peak in (
            ("bpm", "hr", s.rest_hr_bpm, s.peak_hr_bpm),
            ("mmHg", "bp", s.rest_sbp_mmhg, s.peak_sbp_mmhg),
        ):
            if rest is not None and peak is not None:
                add(unit, "change", quantity, peak - rest, abs(peak - rest))
                if rest:
                    add("%", "change", quantity, 100 * (peak - rest) / rest, 100 * abs(peak - rest) / rest)
        for hr, sbp in ((s.peak_hr_bpm, s.peak_sbp_mmhg), (s.rest_hr_bpm, s.rest_sbp_mmhg)):
            if hr is not None and sbp is not None:
                add("none", "product", None, hr * sbp)
        if s.peak_hr_bpm is not None or s.is_exercise:
            add("bpm", "target", "hr", DEFAULT_THRESHOLDS.adequate_percent_mphr / 100 * study.age_predicted_max_hr_bpm)
    lvefs = {f.phase: float(f.value) for f in fx.quantities.get("lvef", []) if isinstance(f.value, int | float)}
    pairs = [("rest", "peak"), ("prior", "rest"), ("prior", "peak")]
    for before, after in pairs:
        if before in lvefs and after in lvefs:
            delta = lvefs[after] - lvefs[before]
            add("points", "change", "lvef", delta, abs(delta))
            add("%", "change", "lvef", delta, abs(delta))
            if lvefs[before]:
                add("%", "change", "lvef", 100 * abs(delta) / lvefs[before], -100 * abs(delta) / lvefs[before])
    for quantity in ("tid", "mfr", "sss", "srs", "sds", "edv", "esv", "cac", "stress_mbf", "rest_mbf"):
        facts = [f for f in fx.quantities.get(quantity, []) if f.territory is None and isinstance(f.value, int | float)]
        prior = [float(f.value) for f in facts if f.phase == "prior"]
        for now in (float(f.value) for f in facts if f.phase != "prior"):
            for then in prior:
                add("mL" if quantity in ("edv", "esv") else "none", "change", quantity, now - then, abs(now - then))
    # the global flow's rise from rest to stress in % of the rest flow ("only about 10% more blood under stress"):
    # the flow reserve less one, from the reserve or from the two flows
    fl = study.flow
    if fl is not None:
        rises = [100 * (fl.flow_reserve - 1)] if fl.flow_reserve is not None else []
        if fl.rest_mbf_ml_min_g and fl.stress_mbf_ml_min_g is not None:
            rises.append(100 * (fl.stress_mbf_ml_min_g / fl.rest_mbf_ml_min_g - 1))
        for quantity in ("mfr", "stress_mbf"):
            add("%", "change", quantity, *rises)
    if study.study_date is not None and study.prior is not None and study.prior.study_date is not None:
        years = (study.study_date - study.prior.study_date).days / 365.25
        if years > 0:
            add("age", "years", None, years, float(int(years)))
            # the interval in months ("18 months ago"), whole or begun
            months = (study.study_date - study.prior.study_date).days / (365.25 / 12)
            add("none", "months", None, months, float(int(months)))
    for d in study.procedure.tracers:
        if d.activity is not None:
            add("none", "gbq", "dose", d.activity.mbq / 1000)
    if s is None:
        pass  # a rest-redistribution study: no Duke score
    elif "duke" in fx.quantities and s.angina is not None:
        add("none", "duke_term", "duke", 5.0, 4.0, float(s.angina.points))
    elif (
        s.is_exercise
        and (s.exercise_protocol or "").lower() == "bruce"
        and s.exercise_duration_min is not None
        and s.angina is not None
        and (s.st_depression_mm is not None or s.st_elevation_mm is not None)
        and not s.baseline_ecg.permits_st_analysis
    ):
        # the rules give no Duke score where the baseline ECG makes the ST response nondiagnostic (LVH, LBBB, digoxin);
        # a reader may still compute it (DUKE-1991): the score itself is checked as a reading (Facts.duke_reading,
        # checks._duke_reading), its formula's terms are numbers a text may quote
        add("none", "duke_term", "duke", 5.0, 4.0, float(s.angina.points))
    defects = [d for d in fx.defects if d.kind == "defect"]
    if len(defects) > 1:
        fx.put("count", len({n for d in defects for n in d.segments}))
    low = DEFAULT_THRESHOLDS.defect_min_segment_score
    scores = study.perfusion.scores()
    if scores:
        fx.put("count", sum(1 for sc in scores.values() if sc.initial >= low))


#: How many studies' facts :func:`study_facts` keeps (a reading room verifies a few reports at a time).
STUDY_FACTS_CACHED = 256
_FINDINGS_JSON = TypeAdapter(list[Finding])
_facts_cache: OrderedDict[bytes, Facts] = OrderedDict()
_facts_lock = threading.Lock()


def study_facts(study: Study, findings: Sequence[Finding] | None = None) -> Facts:
    """``facts_of(study, findings)`` (the findings default to ``evaluate(study)``), computed once per study.

    Every edit of a report is verified again against the same study, whose findings and facts do not change
    between the edits (the rules and ``facts_of`` took a fifth of a verification). The last
    :data:`STUDY_FACTS_CACHED` are kept (least recently used out), keyed by a digest of the study's JSON (its
    identifiers masked: no rule reads them) and of the findings given, so a study with any other value, or
    other findings (another site's thresholds), is computed anew; the cache keeps neither. The Facts are
    shared by the calls and threads that verify the same study: the checks only read them.
    """
    study_digest = hashlib.blake2b(study.model_dump_json().encode(), digest_size=32)

    def with_findings(given: Sequence[Finding]) -> bytes:
        digest = study_digest.copy()
        digest.update(b"\0findings")
        digest.update(_FINDINGS_JSON.dump_json(list(given)))
        return digest.digest()

    key = study_digest.digest() if findings is None else with_findings(findings)
    facts = _cached(key)
    if facts is not None:
        return facts
    if findings is None:
        # the facts of these findings if a caller gave them (a draft is verified against its own, the rules'
        # Findings; the edits after it give none): the same input, so the same facts
        findings = evaluate(study)
        facts = _cached(with_findings(findings))
    # computed outside the lock: two threads asking for a new study at once compute the same facts twice
    if facts is None:
        facts = facts_of(study, findings)
    with _facts_lock:
        _facts_cache[key] = facts
        while len(_facts_cache) > STUDY_FACTS_CACHED:
            _facts_cache.popitem(last=False)
    return facts


def _cached(key: bytes) -> Facts | None:
    """The facts cached under ``key``, marked as the most recently used; None where none are."""
    with _facts_lock:
        facts = _facts_cache.get(key)
        if facts is not None:
            _facts_cache.move_to_end(key)
        return facts


def clear_caches() -> None:
    """Forget every study's facts (benchmarks time a first verification with it)."""
    with _facts_lock:
        _facts_cache.clear()


def _procedure(study: Study, findings: Sequence[Finding], fx: Facts) -> None:
    p = study.procedure
    fx.modality = p.modality.value
    fx.tracers = tuple(dict.fromkeys(d.tracer.value for d in p.tracers))
    fx.tracer_of_phase = {d.phase: d.tracer.value for d in p.tracers}
    fx.protocol = p.protocol.value
    fx.attenuation_correction = p.attenuation_correction.value
    fx.first_day = p.first_day
    if study.study_date:
        fx.dates.add(study.study_date.isoformat())
    for d in p.tracers:
        if d.activity is not None:
            fx.add("dose_mbq", d.activity.mbq, d.phase, unit="MBq", evidence=f"{d.phase} activity")
            mci = round(d.activity.mbq / ACTIVITY_MBQ_PER_MCI, 1)
            fx.add(
                "dose_mci",
                d.activity.value if d.activity.unit == "mCi" else mci,
                d.phase,
                evidence=f"{d.phase} activity",
            )
            fx.put("mCi", round(d.activity.mbq / ACTIVITY_MBQ_PER_MCI, 1))
            fx.put("MBq" if d.activity.unit == "MBq" else "mCi", d.activity.value)


def _stress(study: Study, findings: Sequence[Finding], fx: Facts) -> None:
    s = study.stress
    if s is None:
        return  # a rest-redistribution study: no stress, no agent, no exercise
    fx.exercise = s.is_exercise
    fx.pharmacologic = s.agent is not None
    fx.agent = s.agent.value if s.agent else None
    if s.agent_dose:
        fx.put("mg", *_numbers_in(s.agent_dose))
    fx.put("mg", s.atropine_mg)  # atropine given with dobutamine ("with 0.5 mg atropine")
    fx.add("hr", s.rest_hr_bpm, "rest", unit="bpm", evidence="stress.rest_hr_bpm")
    fx.add("hr", s.peak_hr_bpm, "peak", unit="bpm", evidence="stress.peak_hr_bpm")
    fx.put("bpm", study.age_predicted_max_hr_bpm)
    for phase in ("rest", "peak"):
        sbp, dbp = getattr(s, f"{phase}_sbp_mmhg"), getattr(s, f"{phase}_dbp_mmhg")
        if sbp is not None:
            value = f"{sbp:g}/{dbp:g}" if dbp is not None else f"{sbp:g}"
            fx.add("bp", value, phase, evidence=f"stress.{phase}_sbp_mmhg/dbp")
            fx.put("mmHg", sbp, dbp)
    fx.add("duration", s.exercise_duration_min, unit="min", evidence="stress.exercise_duration_min")
    fx.add("mets", s.mets, unit="METs", evidence="stress.mets")
    fx.add("mphr", study.percent_mphr, unit="mphr%", evidence="stress.peak_hr_bpm / (220 - age)")
    fx.put("%", study.percent_mphr)
    fx.put("mm", s.st_depression_mm, s.st_elevation_mm)
    fx.stress_notes = tuple(x for x in (s.termination_reason, *s.arrhythmias) if x)
    fx.termination_reason = s.termination_reason or ""
    # a drug's dose the notes record ("aminophylline 125 mg IV given"): bound to its unit, never a bare number
    fx.put("mg", *(float(h.group(1)) for note in fx.stress_notes for h in _MG_IN_NOTE.finditer(note)))
    fx.add("st_deviation", s.st_depression_mm, evidence="stress.st_depression_mm")
    fx.add("st_deviation", s.st_elevation_mm, evidence="stress.st_elevation_mm")
    hr = _first(findings, C.STRESS_HEART_RATE)
    if hr is not None:
        fx.put("%", hr.values.get("target_percent"))
        fx.put("mphr%", hr.values.get("target_percent"))
        # a vasodilator with low-level exercise needs no heart-rate target: its sensitivity is not reduced
        fx.submaximal = hr.values.get("adequate") is False and not (s.agent is not None and s.agent.is_vasodilator)
        if hr.values.get("adequate") is not None and not (s.agent is not None and s.agent.is_vasodilator):
            fx.hr_adequate = bool(hr.values["adequate"])
    duke = _first(findings, C.DUKE_SCORE)
    if duke is not None:
        fx.add("duke", duke.values["score"], evidence="Duke treadmill score")
        fx.duke_category = DukeCategory(str(duke.values["category"])).level
    elif (
        s.is_exercise
        and (s.exercise_protocol or "").lower() == "bruce"
        and s.exercise_duration_min is not None
        and s.angina is not None
        and not s.baseline_ecg.permits_st_analysis
        and (s.st_depression_mm is not None or s.st_elevation_mm is not None)
    ):
        st = max(s.st_depression_mm or 0.0, s.st_elevation_mm or 0.0)
        fx.duke_reading = round(s.exercise_duration_min - 5 * st - 4 * s.angina.points, 1)
        fx.duke_reading_category = DEFAULT_THRESHOLDS.duke_category(fx.duke_reading).level
    elif (minutes := _bruce_equivalent_minutes(s)) is not None and s.angina is not None:
        # a modified Bruce test: the rules give no Duke score (DUKE-1991 scored the Bruce protocol), but a reader
        # scores its Bruce-equivalent time; the score and its band are a reading (shown as unverified)
        st = max(s.st_depression_mm or 0.0, s.st_elevation_mm or 0.0)
        fx.duke_reading = round(minutes - 5 * st - 4 * s.angina.points, 1)
        fx.duke_reading_category = DEFAULT_THRESHOLDS.duke_category(fx.duke_reading).level
        fx.duke_reading_basis = "modified Bruce"
    ecg = _first(findings, C.STRESS_ECG)
    fx.ecg_response = str(ecg.values["response"]) if ecg is not None else None
    fx.st_leads = tuple(str(x) for x in (ecg.values.get("leads") or ())) if ecg is not None else ()  # type: ignore[union-attr]
    bp = _first(findings, C.STRESS_BLOOD_PRESSURE)
    fx.features["hypotension"] = bool(bp and bp.values["hypotensive"])
    t = DEFAULT_THRESHOLDS
    limit = (
        t.hypertensive_response_sbp_female_mmhg
        if study.patient.sex == Sex.FEMALE
        else t.hypertensive_response_sbp_male_mmhg
    )
    fx.hypertensive_response = bool(s.is_exercise and s.peak_sbp_mmhg is not None and s.peak_sbp_mmhg > limit)
    fx.features["hypertensive_response"] = fx.hypertensive_response
    fx.arrhythmias = tuple(s.arrhythmias)
    fx.baseline_ecg = s.baseline_ecg.value
    chest = any(_CHEST_SYMPTOM.search(x) for x in s.symptoms)
    if s.angina is not None:
        fx.chest_pain = chest or s.angina.points > 0
        fx.angina_none = s.angina.points == 0
        if s.angina.points > 0:
            fx.angina_limiting = s.angina is AnginaIndex.LIMITING
    elif chest:
        fx.chest_pain = True
    elif s.symptoms:
        fx.chest_pain = False


# A stress symptom that is chest pain or its equivalent (the angina index of the Duke score).
_CHEST_SYMPTOM = re.compile(r"\b(?:chest|angina|anginal|substernal)\b", re.I)


# The grade of a segment's stress score on the 5-point scale (ASNC-SPECT-2018: 1 mildly, 2 moderately,
# 3 severely reduced uptake, 4 absent uptake).
_SCORE_GRADE = {1: Severity.MILD, 2: Severity.MODERATE, 3: Severity.SEVERE, 4: Severity.SEVERE}


def score_grade(score: int) -> str | None:
    """The grade word of a segment score (None for 0, normal uptake)."""
    grade = _SCORE_GRADE.get(score)
    return grade.value if grade is not None else None


def _segment_grades(study: Study, segments: Sequence[int]) -> tuple[Severity, ...]:
    scores = study.perfusion.scores()
    return tuple(_SCORE_GRADE[scores[n].initial] for n in segments if n in scores and scores[n].initial > 0)


def _rest_grades(study: Study, segments: Sequence[int]) -> tuple[Severity, ...]:
    scores = study.perfusion.scores()
    rest = [scores[n].rest if scores[n].rest is not None else scores[n].redistribution for n in segments if n in scores]
    return tuple(_SCORE_GRADE[r] for r in rest if r)


def _score_reversibility(study: Study, segments: Sequence[int]) -> str | None:
    """How the scores of an equivocal (score-1) region change from stress to rest (or Tl-201 redistribution), read
    as a reader reads them: the rules leave its reversibility open (below the defect threshold), a reader may call
    a 1/1 region fixed."""
    scores = study.perfusion.scores()
    pairs = [
        (scores[n].initial, scores[n].rest if scores[n].rest is not None else scores[n].redistribution)
        for n in segments
        if n in scores and scores[n].initial > 0
    ]
    if not pairs or any(r is None for _, r in pairs):
        return None
    kinds = {"reversible" if not r else "fixed" if r >= s else "partially reversible" for s, r in pairs}
    return kinds.pop() if len(kinds) == 1 else "partially reversible"


def _redistribution_reversibility(study: Study, segments: Sequence[int]) -> str | None:
    """A Tl-201 defect's reversibility read from its delayed (redistribution) images, as the rules read rest
    images: a segment whose delayed score falls below the defect threshold has redistributed (reversible),
    one that keeps its stress score is fixed (ASNC-SPECT-2018: redistribution is thallium's reversibility).
    The rules read redistribution scores on a stress-redistribution protocol only; a Tl-201 study entered under
    another protocol (stress-only) with redistribution scores reaches the guardrails without it."""
    scores = study.perfusion.scores()
    pairs = [(scores[n].initial, scores[n].redistribution) for n in segments if n in scores]
    if not pairs or any(r is None for _, r in pairs):
        return None
    low = DEFAULT_THRESHOLDS.defect_min_segment_score
    kinds = {
        "reversible" if r < low else "fixed" if r >= s else "partially reversible"
        for s, r in ((s, r or 0) for s, r in pairs)
        if s >= low
    }
    if not kinds:
        return None
    return kinds.pop() if len(kinds) == 1 else "partially reversible"


def _defect_fact(f: Finding, kind: str, study: Study | None = None) -> DefectFact:
    reversibility = f.reversibility.value if f.reversibility else None
    if reversibility is None and kind == "defect" and study is not None:
        reversibility = _redistribution_reversibility(study, f.segments)
    if reversibility is None and kind == "equivocal" and study is not None:
        reversibility = _score_reversibility(study, f.segments)
    return DefectFact(
        kind=kind,
        territory=f.territory.value if f.territory else None,
        walls=tuple(w.value for w in f.walls),
        summed_stress=_summed_stress(f),
        segments=f.segments,
        severity=f.severity,
        extent=f.extent.value if f.extent else None,
        reversibility=reversibility,
        certainty=f.certainty.value,
        residual_rest=_residual_rest(f),
        segment_grades=_segment_grades(study, f.segments) if study is not None else (),
        rest_grades=_rest_grades(study, f.segments) if study is not None else (),
        extents=_extents(f),
    )


def _extents(f: Finding) -> tuple[str, ...]:
    """The defect's extent by segment count and by % of the LV (summed stress score / 68), as words."""
    words = [f.extent.value] if f.extent else []
    summed = f.values.get("summed_stress")
    if isinstance(summed, int) and summed > 0:
        words.append(DEFAULT_THRESHOLDS.extent_by_percent(100 * summed / MAX_SUMMED_SCORE).value)
    return tuple(dict.fromkeys(words))


def _residual_rest(f: Finding) -> int:
    """The rest scores left in a defect the rules call reversible (each below the defect threshold)."""
    stress, difference = f.values.get("summed_stress"), f.values.get("summed_difference")
    if f.reversibility is not Reversibility.REVERSIBLE or not (isinstance(stress, int) and isinstance(difference, int)):
        return 0
    return max(stress - difference, 0)


def _summed_stress(f: Finding) -> int:
    summed = f.values.get("summed_stress")
    return summed if isinstance(summed, int) else 0


def _viability(study: Study, findings: Sequence[Finding], fx: Facts) -> None:
    """A rest-redistribution study's regions as defects (ASNC-PROTOCOLS-2016, DILSIZIAN-BONOW-1993): its viable part
    (redistribution: "reversible", never ischemia, as there was no stress) and its scar (a severe defect without
    redistribution: "fixed"), each with its own walls, grade and extent, as a reader describes them."""
    initial = {sc.segment: sc.initial for sc in study.perfusion.segments}
    late = {sc.segment: sc.redistribution or 0 for sc in study.perfusion.segments}
    for f in _all(findings, C.VIABILITY_REGION):
        viable = tuple(int(n) for n in f.values["viable_segments"])  # type: ignore[union-attr]
        scar = tuple(int(n) for n in f.values["scar_segments"])  # type: ignore[union-attr]
        redistributes = bool(f.values["redistribution_segments"])
        parts = ((viable, "reversible" if redistributes else "fixed"), (scar, "fixed"))
        for segments, reversibility in parts:
            if not segments or f.territory is None:
                continue
            part = Defect(f.territory, segments, tuple(initial[n] for n in segments), None)
            summed = part.summed_stress
            extent = DEFAULT_THRESHOLDS.extent_by_segments(len(segments)).value
            fx.defects.append(
                DefectFact(
                    kind="defect",
                    territory=f.territory.value,
                    walls=tuple(w.value for w in part.walls),
                    segments=segments,
                    severity=part.severity,
                    extent=extent,
                    reversibility=reversibility,
                    certainty=f.certainty.value,
                    # the scores a viable region keeps on the redistribution images (3 -> 1): it fills in partly
                    residual_rest=sum(late.get(n, 0) for n in segments) if reversibility == "reversible" else 0,
                    summed_stress=summed,
                    segment_grades=_segment_grades(study, segments),
                    extents=tuple(
                        dict.fromkeys([extent, DEFAULT_THRESHOLDS.extent_by_percent(myocardium_percent(summed)).value])
                    ),
                )
            )
        fx.scar = fx.scar or bool(scar)
        fx.put("count", f.values.get("n_segments"), len(viable), len(scar))
    if study.is_rest_only:
        low = DEFAULT_THRESHOLDS.defect_min_segment_score
        residual = [sc.segment for sc in study.perfusion.segments if (sc.redistribution or 0) >= low]
        fx.residual_walls = frozenset(w.value for w in walls_of(residual))
    scores = _first(findings, C.VIABILITY_SCORES)
    if scores is not None:
        fx.perfusion_category = "abnormal" if fx.defects else "normal"
        fx.add("srs", scores.values["summed_redistribution"], phase="redistribution", evidence="summed redistribution")
        fx.put("none", scores.values["difference"])
        # the myocardium that fills in on the redistribution images, as % of the LV (difference / 68, as the SDS):
        # the viable (hibernating) share a reader quotes
        difference, most = scores.values["difference"], scores.values.get("max_score")
        if isinstance(difference, int) and isinstance(most, int) and most:
            fx.put("%", round(100 * difference / most, 1))
            fx.put("lv%", round(100 * difference / most, 1))


def _perfusion(study: Study, findings: Sequence[Finding], fx: Facts) -> None:
    _viability(study, findings, fx)
    for f in _all(findings, C.PERFUSION_DEFECT):
        fx.defects.append(_defect_fact(f, "defect", study))
        fx.put("lv%", f.values.get("percent_lv"))
        fx.put("%", f.values.get("percent_lv"))
        # one defect's own share (its summed stress score / 68, the share its extent is graded by, _extents): the
        # extent a reader quotes of one territory where the total holds a region read as artifact ("the LCx scar,
        # about 18% of the myocardium" beside a paced septum)
        # (kept apart from the bag's plain percentages: a share said "of the myocardium" only, not any "28%")
        if (summed := f.values.get("summed_stress")) and isinstance(summed, int):
            fx.bag.setdefault(DEFECT_SHARE, set()).add(round(100 * summed / MAX_SUMMED_SCORE, 1))
        fx.put("count", f.values.get("n_segments"))
    for f in _all(findings, C.PERFUSION_EQUIVOCAL_REGION):
        fx.equivocal.append(_defect_fact(f, "equivocal", study))
    for f in _all(findings, C.ARTIFACT):
        fx.artifacts.append(
            DefectFact("artifact", None, tuple(w.value for w in f.walls), (), None, None, None, str(f.values["kind"]))
        )
    # an attenuation artifact the study records as gone on the attenuation-corrected images
    fx.artifact_resolved_by_ac = any(
        a.kind.value == "attenuation" and a.note is not None and _RESOLVED_BY_AC.search(a.note)
        for a in study.perfusion.artifacts
    )
    p = study.perfusion
    for sc in p.segments:
        later = frozenset(int(v) for v in (sc.rest, sc.redistribution) if v is not None)
        fx.segment_scores[int(sc.segment)] = (sc.initial, later)
    # the grades the segments hold ("absent (score 4)"): a segment score named without its segment
    for grade in sorted({g for stress, later in fx.segment_scores.values() for g in (stress, *later)}):
        fx.add("segment_score", grade, evidence="a segment score of the study (0-4)")
    for summed in (p.sss, p.srs):  # the defect size at stress and at rest as % of the LV (score / 68)
        if summed:
            fx.put("lv%", round(100 * summed / MAX_SUMMED_SCORE, 1))
    fx.add("sss", p.sss, evidence="perfusion SSS")
    fx.add("srs", p.srs, evidence="perfusion SRS")
    fx.add("sds", p.sds, evidence="perfusion SDS")
    # each summed score as a share of the LV ("28% of the LV abnormal at stress, 22% fixed": SSS and SRS / 68)
    fx.put("lv%", *(myocardium_percent(v) for v in (p.sss, p.srs, p.sds) if v is not None and v >= 0))
    fx.put("%", *(myocardium_percent(v) for v in (p.sss, p.srs, p.sds) if v is not None and v >= 0))
    for name, value in (
        ("stress_tpd", p.stress_tpd_percent),
        ("rest_tpd", p.rest_tpd_percent),
        ("ischemic_tpd", p.ischemic_tpd_percent),
    ):
        fx.add(name, value, unit="%", evidence=f"perfusion.{name}_percent")
    burden = _first(findings, C.ISCHEMIC_BURDEN)
    if burden is not None:
        fx.add("ischemic_percent", burden.values["ischemic_percent"], unit="lv%", evidence="ischemic myocardium")
        fx.add("scar_percent", burden.values.get("scar_percent"), unit="lv%", evidence="scar % of the LV")
        fx.ischemic_category = str(burden.values["category"])
        fx.put("%", burden.values["ischemic_percent"], burden.values.get("scar_percent"))
    tpd = _first(findings, C.TOTAL_PERFUSION_DEFICIT)
    if tpd is not None:
        fx.put("%", tpd.values["abnormal_percent"])


def _function(study: Study, findings: Sequence[Finding], fx: Facts) -> None:
    f = study.function
    lvef = _first(findings, C.LVEF)
    if lvef is not None:
        fx.lvef_category = str(lvef.values["category"])
        fx.lvef = float(lvef.values["lvef"])  # type: ignore[arg-type]
        fx.put("%", lvef.values.get("lower_normal"))
        fx.add("normal_limit", lvef.values.get("lower_normal"), evidence="lower limit of normal LVEF")
        fx.lvef_lower_normal = float(lvef.values["lower_normal"])  # type: ignore[arg-type]
    if f is not None:
        fx.add("lvef", f.stress_lvef_percent, "peak", unit="%", evidence="function.stress_lvef_percent")
        fx.add("lvef", f.rest_lvef_percent, "rest", unit="%", evidence="function.rest_lvef_percent")
        fx.add("edv", f.stress_edv_ml, "peak", unit="mL", evidence="function.stress_edv_ml")
        fx.add("edv", f.rest_edv_ml, "rest", unit="mL", evidence="function.rest_edv_ml")
        edv_limit = _EDV_UPPER_FEMALE_ML if study.patient.sex == Sex.FEMALE else _EDV_UPPER_MALE_ML
        fx.edv_above_reference = any(v is not None and v > edv_limit for v in (f.stress_edv_ml, f.rest_edv_ml))
        fx.add("esv", f.stress_esv_ml, "peak", unit="mL", evidence="function.stress_esv_ml")
        fx.add("esv", f.rest_esv_ml, "rest", unit="mL", evidence="function.rest_esv_ml")
        fx.add("tid", f.tid_ratio, evidence="function.tid_ratio")
        fx.add("lung_heart_ratio", f.lung_heart_ratio, evidence="function.lung_heart_ratio")
        fx.wall_motion_known = bool(f.wall_motion)
        order = ("normal", "hypokinetic", "akinetic", "dyskinetic")
        for m in f.wall_motion:
            now = fx.segment_motion.get(int(m.segment), "normal")
            fx.segment_motion[int(m.segment)] = max(now, str(m.motion.value), key=order.index)
    drop = _first(findings, C.POST_STRESS_LVEF_DROP)
    fx.features["lvef_drop"] = drop is not None
    rest, lower = (lvef.values.get("rest_lvef"), lvef.values.get("lower_normal")) if lvef is not None else (None, None)
    fx.lvef_reduced_after_stress_only = bool(
        fx.lvef_category not in (None, "normal")
        and isinstance(rest, int | float)
        and isinstance(lower, int | float)
        and rest >= lower
        and drop is not None
    )
    if drop is not None:
        fx.add("lvef_drop", drop.values["drop_points"], unit="points", evidence="rest - post-stress LVEF")
        fx.put("points", -float(drop.values["drop_points"]))  # type: ignore[arg-type]  # "reserve -7 points"
    if f is not None and f.stress_lvef_percent is not None and f.rest_lvef_percent is not None:
        # the change from rest to stress as readers write it, in points or in "%" (percentage points), signed or
        # not: "LVEF reserve -6%", "a 6% fall", "+5 points"; whether it is a drop the rules weigh is their matter
        change = float(f.stress_lvef_percent) - float(f.rest_lvef_percent)
        fx.put("%", change, abs(change))
        fx.put("points", change, abs(change))
    volumes = _first(findings, C.LV_VOLUMES)
    fx.features["esv_high"] = bool(volumes and volumes.values["esv_high_risk"])
    if volumes is not None:
        fx.esv_limit_ml = float(volumes.values["esv_limit_ml"])  # type: ignore[arg-type]
        fx.put("mL", fx.esv_limit_ml)
    wm = _first(findings, C.WALL_MOTION)
    if wm is not None and wm.segments:
        fx.wall_motion.append(
            DefectFact("wall_motion", None, tuple(w.value for w in wm.walls), wm.segments, None, None, None, "affirmed")
        )
    fx.features["wall_motion_abnormal"] = bool(fx.wall_motion)
    baseline = study.stress.baseline_ecg if study.stress is not None else None
    fx.septal_motion_expected = baseline in (BaselineEcg.LBBB, BaselineEcg.PACED) or bool(
        f is not None and f.septal_dyssynchrony
    )
    fx.features["septal_dyssynchrony"] = bool(f is not None and f.septal_dyssynchrony)
    # a reduction read as the artifact of LBBB or a paced rhythm: one the septum alone holds (ASNC-SPECT-2018: the
    # conduction artifact is a septal, often reversible, reduction; a defect reaching the anterior wall or the apex
    # is not it)
    regions = [*fx.defects, *fx.equivocal]
    fx.features["lbbb_artifact"] = (
        baseline in (BaselineEcg.LBBB, BaselineEcg.PACED)
        and bool(regions)
        and all(set(d.walls) <= _SEPTAL_WALLS for d in regions)
    )
    fx.septal_artifact_possible = baseline in (BaselineEcg.LBBB, BaselineEcg.PACED) and any(
        d.walls and set(d.walls) <= _SEPTAL_WALLS for d in regions
    )
    tid = _first(findings, C.TID)
    if tid is not None:
        fx.add("normal_limit", tid.values["upper_normal"], evidence=str(tid.values["limit_source"]))
    lhr = _first(findings, C.LUNG_HEART_RATIO)
    if lhr is not None:
        fx.add("normal_limit", lhr.values["upper_normal"], evidence="lung/heart ratio upper limit")
    fx.tid_abnormal = bool(tid.values["abnormal"]) if tid is not None else None
    fx.tid_borderline = tid is not None and (
        abs(float(tid.values["ratio"]) - float(tid.values["upper_normal"]))  # type: ignore[arg-type]
        <= DEFAULT_THRESHOLDS.tid_borderline_margin + 1e-9
        or _between_published_limits(study, float(tid.values["ratio"]))  # type: ignore[arg-type]
    )
    lung = _first(findings, C.LUNG_HEART_RATIO)
    fx.lung_abnormal = bool(lung.values["abnormal"]) if lung is not None else None
    fx.features["lung_uptake"] = bool(fx.lung_abnormal)
    # a Study has no field for RV size or motion, apical thinning, an LV aneurysm or thrombus: one is
    # supported only where the study's own artifact notes record it ("increased right ventricular tracer uptake",
    # "apical thinning, normal variant"), read with the cue phrases that read the text
    noted = _noted_features(study)
    # ... or, for the right ventricle, its recorded tracer uptake (perfusion.rv_uptake)
    fx.features["rv"] = "rv" in noted or study.perfusion.rv_uptake is RvUptake.INCREASED
    fx.rv_by_uptake_only = study.perfusion.rv_uptake is not None and not _rv_noted(study)
    fx.features["apical_thinning"] = "apical_thinning" in noted
    fx.features["aneurysm"] = "aneurysm" in noted
    fx.features["thrombus"] = "thrombus" in noted  # perfusion images do not show one: only a note can
    fx.readings = _readings(study) | _balanced_on_spect(study, fx)
    fx.undecided = _undecided(study, fx)


def _noted_features(study: Study) -> frozenset[str]:
    """The features (keys of ``cues.json``'s ``features``) that a note of the study's perfusion artifacts states."""
    from guardrails.claims import cues  # the claim reader's cue phrases (claims imports no facts)

    notes = [a.note for a in study.perfusion.artifacts if a.note]
    return frozenset(key for key, patterns in cues().features for n in notes if any(p.search(n) for p in patterns))


# a note that names the right ventricle at all (normal or not): the study records it
_NAMES_RV = re.compile(r"\b(?:RV|right[\s-]+ventric\w*|right[\s-]+heart)\b", re.I)


def _rv_noted(study: Study) -> bool:
    """An artifact note of the study names the right ventricle."""
    return any(a.note and _NAMES_RV.search(a.note) for a in study.perfusion.artifacts)


# protocols with images of one phase only: no TID ratio, no rest (or no stress) scores, whatever the text says
_ONE_PHASE = (Protocol.STRESS_ONLY, Protocol.REST_REDISTRIBUTION)
#: quantities a protocol of one phase cannot have: a text's value of one is contradicted, not unverified
PROTOCOL_EXCLUDES: dict[str, frozenset[str]] = {
    Protocol.STRESS_ONLY.value: frozenset({"tid", "srs", "sds"}),
    Protocol.REST_REDISTRIBUTION.value: frozenset({"tid", "duke", "mets", "duration", "mphr"}),
}


def _undecided(study: Study, fx: Facts) -> frozenset[str]:
    """The findings whose deciding input the study lacks, so that nothing in it contradicts a text that states one:

    - ``rv``: neither the study's RV uptake (perfusion.rv_uptake) nor an artifact note names the right ventricle;
    - ``aneurysm``, ``thrombus``, ``wall_motion_abnormal``: no gated function was recorded (a thrombus is read
      beside the wall motion it forms on; perfusion images alone do not show one);
    - ``apical_thinning``: no segment was scored, or a moderate (score 2) fixed reduction confined to the apical
      segments moves normally: thinning or a small apical scar, which perfusion scores do not tell apart (recorded
      normal apical scores contradict it, and so do a severe or reversible apical defect or abnormal apical motion;
      a mild fixed apical reduction is its reading, see _readings);
    - ``tid``: no TID ratio where the protocol has stress and rest images (a stress-only protocol has no TID: a
      claim of one is contradicted); ``lv_size``: neither a volume nor a TID ratio.

    Not here: increased lung uptake without a lung/heart ratio (a Tc-99m study records none) stays an error, as the
    recall floors require.
    """
    f = study.function
    out: set[str] = set()
    if study.perfusion.rv_uptake is None and not _rv_noted(study):
        out.add("rv")
    if f is None:  # (a gated study with no regional entry records normal motion: not undecided)
        out |= {"aneurysm", "thrombus", "wall_motion_abnormal"}
    if not study.perfusion.segments or _apical_fixed_reduction(study, max_score=2):
        out.add("apical_thinning")
    if f is None or f.tid_ratio is None:
        if study.procedure.protocol not in _ONE_PHASE:
            out.add("tid")
        volumes = () if f is None else (f.stress_edv_ml, f.stress_esv_ml, f.rest_edv_ml, f.rest_esv_ml)
        if all(v is None for v in volumes):
            out.add("lv_size")
    return frozenset(out)


def _balanced_on_spect(study: Study, fx: Facts) -> frozenset[str]:
    """``balanced`` read without flow: a study with no flow measurement whose images show a marker of ischemia more
    extensive than its relative defects (an abnormal TID ratio, a post-stress LVEF drop, increased lung uptake), the
    signs by which balanced multivessel ischemia shows on relative perfusion images (ASNC-SPECT-2018, TID-ABIDOV-2003,
    SHARIR-1999): a reader's reading of them, never the rules' (which name balanced flow only from PET flow)."""
    if study.flow is not None:
        return frozenset()
    markers = fx.tid_abnormal or fx.features.get("lvef_drop") or fx.lung_abnormal
    return frozenset({"balanced"}) if markers else frozenset()


# The apical ring and the apex (AHA 17-segment model: segments 13-17).
_APICAL = frozenset(n for n, seg in SEGMENTS.items() if seg.level in (Level.APICAL, Level.APEX))
_ABNORMAL_MOTION = frozenset({WallMotion.HYPOKINETIC, WallMotion.AKINETIC, WallMotion.DYSKINETIC})
# the findings a reader names from a segment's wall-motion grade, beyond the grade itself
_MOTION_SHOWS: dict[WallMotion, frozenset[str]] = {WallMotion.DYSKINETIC: frozenset({"aneurysm"})}


def _apical_fixed_reduction(study: Study, max_score: int) -> bool:
    """Whether the study's only reduced segments are apical ones, each fixed (the same score at rest or
    redistribution) and scored at most ``max_score``, none with abnormal wall motion: the pattern apical thinning
    shows (ASNC-SPECT-2018); a reversible or severe apical defect, or abnormal apical motion, is not thinning."""
    scores = {
        n: (sc.initial, sc.rest if sc.rest is not None else sc.redistribution)
        for n, sc in study.perfusion.scores().items()
    }
    motion = study.function.wall_motion if study.function is not None else ()
    reduced = {n for n, (stress, _) in scores.items() if stress > 0}
    moving = {m.segment for m in motion if m.motion in _ABNORMAL_MOTION}
    return (
        bool(reduced)
        and reduced <= _APICAL
        and all(scores[n][1] == scores[n][0] <= max_score for n in reduced)
        and not reduced & moving
    )


def _readings(study: Study) -> frozenset[str]:
    """Findings a reader states that a Study carries only as measurements, derived from them:

    - ``hypotension``: exercise-induced hypotension, a peak systolic pressure below the resting one
      (ACC-AHA-EXERCISE-2002); the rules grade only a fall of more than 10 mmHg as a high-risk feature;
    - ``stunning``: a regional wall-motion abnormality read on the post-stress images (and not at rest) in
      segments whose perfusion improves at rest: post-ischemic stunning (ASNC-SPECT-2018), whatever the LVEF does;
    - ``apical_thinning``: a mild (score 1) fixed reduction confined to the apical segments with no abnormal wall
      motion there, the normal variant a reader may call apical thinning (ASNC-SPECT-2018);
    - ``balanced``: a flow reserve reduced globally and in every measured territory (MFR below
      ``mfr_reduced_below``, SNMMI-ASNC-PET-FLOW-2018) beside a relative defect: the rules name the balanced
      pattern only where relative perfusion is near normal, but "balanced (three-vessel) disease" is a reader's
      reading of flow reduced everywhere whatever the relative images show;
    - ``aneurysm``: a dyskinetic segment, the outward systolic bulge that defines a ventricular aneurysm
      (ASE-CHAMBER-2015); an akinetic segment alone does not show one.
    """
    out: set[str] = set()
    s = study.stress
    if (
        s is not None
        and s.is_exercise
        and s.rest_sbp_mmhg is not None
        and s.peak_sbp_mmhg is not None
        and s.peak_sbp_mmhg < s.rest_sbp_mmhg
    ):
        out.add("hypotension")
    # each scored segment's (stress, rest or redistribution) score
    scores = {
        n: (sc.initial, sc.rest if sc.rest is not None else sc.redistribution)
        for n, sc in study.perfusion.scores().items()
    }
    motion = study.function.wall_motion if study.function is not None else ()
    at_rest = {m.segment for m in motion if m.phase == "rest" and m.motion in _ABNORMAL_MOTION}
    if any(
        m.phase in ("post-stress", "peak-stress")
        and m.motion in _ABNORMAL_MOTION
        and m.segment not in at_rest
        and (later := scores.get(m.segment, (0, None))[1]) is not None
        and scores[m.segment][0] > later
        for m in motion
    ):
        out.add("stunning")
    out.update(f for m in motion for f in _MOTION_SHOWS.get(m.motion, ()))
    if _apical_fixed_reduction(study, max_score=1):
        out.add("apical_thinning")
    fl, limit = study.flow, DEFAULT_THRESHOLDS.mfr_reduced_below
    if (
        fl is not None
        and (global_mfr := fl.flow_reserve) is not None
        and global_mfr < limit
        and all((mfr := tf.flow_reserve) is not None and mfr < limit for tf in fl.territories)
    ):
        out.add("balanced")
    return frozenset(out)


def _flow_calcium(study: Study, findings: Sequence[Finding], fx: Facts) -> None:
    fl = study.flow
    if fl is not None:
        fx.add("rest_mbf", fl.rest_mbf_ml_min_g, "rest", unit="flow", evidence="flow.rest_mbf_ml_min_g")
        fx.add("stress_mbf", fl.stress_mbf_ml_min_g, "peak", unit="flow", evidence="flow.stress_mbf_ml_min_g")
        fx.add("mfr", fl.flow_reserve, evidence="global flow reserve")
        for tf in fl.territories:
            t = tf.territory.value
            fx.add("rest_mbf", tf.rest_mbf_ml_min_g, "rest", t, unit="flow", evidence=f"{t} rest MBF")
            fx.add("stress_mbf", tf.stress_mbf_ml_min_g, "peak", t, unit="flow", evidence=f"{t} stress MBF")
            fx.add("mfr", tf.flow_reserve, None, t, evidence=f"{t} flow reserve")
    fx.features["balanced"] = _first(findings, C.FLOW_BALANCED_REDUCTION) is not None
    # cardiac allograft vasculopathy is diffuse (epicardial and microvascular) disease: on PET a globally reduced flow
    # reserve (SNMMI-ASNC-PET-FLOW-2018), whichever of the two it is
    fx.features["allograft_vasculopathy"] = fx.features["balanced"]
    flow = _first(findings, C.FLOW_GLOBAL)
    fx.mfr_global_category = str(flow.values["category"]) if flow is not None else None
    for f in _all(findings, C.FLOW_REGIONAL):
        if f.territory is not None:
            fx.mfr_regional_categories[f.territory.value] = str(f.values["category"])
    ca = study.calcium
    if ca is not None:
        fx.add("cac", ca.agatston_total, evidence="calcium.agatston_total")
        for vessel, score in ca.agatston_by_vessel.items():
            fx.add("cac", score, None, vessel, evidence=f"calcium {vessel}")
        calcium = _first(findings, C.CALCIUM)
        fx.calcium_present = calcium is not None and calcium.certainty is not Certainty.NEGATED
        fx.calcium_category = str(calcium.values["category"]) if calcium is not None else None
        fx.calcium_visual_grade = ca.visual_grade.value if ca.visual_grade is not None else None


_SEPTAL_WALLS = frozenset({"septal", "anteroseptal", "inferoseptal"})


def _comparison(study: Study, findings: Sequence[Finding], fx: Facts) -> None:
    prior = study.prior
    fx.has_prior = prior is not None
    if prior is None:
        return
    fx.prior_modality = prior.modality.value if prior.modality else None
    if prior.study_date:
        fx.prior_date = prior.study_date.isoformat()
        fx.dates.add(fx.prior_date)
    overall = _first(findings, C.COMPARISON_OVERALL)
    fx.comparison_changed = overall.values["changed"] if overall is not None else None  # type: ignore[assignment]
    for f in _all(findings, C.COMPARISON_ISCHEMIA):
        fx.comparison_directions["ischemia"] = str(f.values["direction"])
        fx.put("lv%", f.values["prior_percent"], f.values["current_percent"], abs(float(f.values["delta"])))  # type: ignore[arg-type]
        fx.put("%", f.values["prior_percent"], f.values["current_percent"], f.values["threshold"])
    for f in _all(findings, C.COMPARISON_LVEF):
        fx.comparison_directions["lvef"] = str(f.values["direction"])
        fx.add("lvef", f.values["prior"], "prior", unit="%", evidence="prior.lvef_percent")
        fx.put("points", abs(float(f.values["delta"])), f.values["threshold"])  # type: ignore[arg-type]
        fx.put("%", float(f.values["delta"]), abs(float(f.values["delta"])))  # type: ignore[arg-type]  # "EF down 21%"
    before: set[str] = set()
    trends: set[str] = set()
    for code, word in (
        (C.COMPARISON_DEFECT_NEW, "new"),
        (C.COMPARISON_DEFECT_RESOLVED, "resolved"),
        (C.COMPARISON_DEFECT_CHANGED, "changed"),
        (C.COMPARISON_DEFECT_UNCHANGED, "unchanged"),
    ):
        for f in _all(findings, code):
            if f.territory is not None:
                fx.comparison_directions[f"defect:{f.territory.value}"] = word
                if code is not C.COMPARISON_DEFECT_NEW:
                    before.add(f.territory.value)
            items: Any = f.values.get("changes") or ()
            changes = {str(c["change"]) for c in items}
            # a reversibility change: ischemia appearing in a scar, or a scar where ischemia was, is worse;
            # ischemia gone from a partially reversible defect is better
            changes |= {
                _REVERSIBILITY_TREND.get((str(c.get("previously")), str(c.get("now"))), "")
                for c in items
                if str(c["change"]) == "reversibility"
            }
            if code is C.COMPARISON_DEFECT_RESOLVED or changes & _BETTER:
                trends.add("better")
            if code is C.COMPARISON_DEFECT_NEW or changes & _WORSE:
                trends.add("worse")
    if trends:
        fx.prior_trend = trends.pop() if len(trends) == 1 else "mixed"
    # only a prior report's mild defect: a scored prior's defect has scores of 2 or more, and 1 now is a real change
    mild_walls = {w.value for d in prior.defects or () if d.severity in (Severity.MILD, None) for w in d.walls}
    fx.resolved_at_threshold = any(
        fx.comparison_directions.get(f"defect:{e.territory}") == "resolved" and set(e.walls) & mild_walls
        for e in fx.equivocal
    )
    defects_compared = any(_all(findings, code) for code in _DEFECT_COMPARISONS)
    if prior.perfusion_result is not None:
        fx.prior_result = prior.perfusion_result.value
    elif defects_compared or prior.perfusion is not None:
        fx.prior_result = "abnormal" if before else "normal"
    if prior.defects is not None or prior.perfusion is not None or prior.perfusion_result is not None:
        fx.prior_territories = frozenset(before)
    fx.prior_walls = _prior_walls(prior)
    if prior.perfusion is not None and prior.perfusion.segments:
        fx.prior_possible_walls = frozenset(
            w.value for w in walls_of([sc.segment for sc in prior.perfusion.segments if sc.initial >= 1])
        )
    if prior.defects is None and prior.perfusion is not None:
        low = DEFAULT_THRESHOLDS.defect_min_segment_score
        fx.prior_equivocal_walls = frozenset(
            w.value for w in walls_of([s.segment for s in prior.perfusion.segments if 0 < s.initial < low])
        )
    fx.prior_ischemia = _prior_ischemia(prior, fx.prior_result)
    fx.prior_reversibility = {
        territory.value: (frozenset(w.value for w in d.walls), d.reversibility.value)
        for territory, d in (prior_defects(prior, DEFAULT_THRESHOLDS) or {}).items()
        if d.reversibility is not None and d.walls
    }
    fx.prior_scar = _prior_scar(prior, fx.prior_result)
    fx.prior_tracer = prior.tracer.value if prior.tracer else None
    fx.prior_agent = prior.stress_agent.value if prior.stress_agent else None
    if prior.lvef_percent is not None:
        fx.put("%", prior.lvef_percent)
    # the prior's own values, which a comparison quotes ("SDS 14 vs 4 in 11/2024", "LVEF then 58%")
    pp = prior.perfusion
    now = study.perfusion
    if pp is not None and pp.srs is not None and now is not None and now.srs is not None:
        # the scar's own change: a defect that gained ischemia around an unchanged infarct ("scar unchanged,
        # ischemia increased"), measured as the ischemic burden is (% of the LV, ASNC-SPECT-2018)
        delta = myocardium_percent(now.srs) - myocardium_percent(pp.srs)
        limit = DEFAULT_THRESHOLDS.comparison_ischemia_change_percent
        fx.comparison_directions["scar"] = (
            "unchanged" if abs(delta) < limit else ("increased" if delta > 0 else "decreased")
        )
    for quantity, value in (
        ("sss", pp.sss if pp else None),
        ("srs", pp.srs if pp else None),
        ("sds", pp.sds if pp else None),
        ("tid", prior.tid_ratio),
        ("mfr", prior.mfr),
        ("cac", prior.agatston_total),
        ("edv", prior.edv_ml),
        ("esv", prior.esv_ml),
    ):
        fx.add(quantity, value, "prior", evidence=f"prior {quantity}")
    if prior.lvef_percent is not None and not any(f.phase == "prior" for f in fx.quantities.get("lvef", [])):
        fx.add("lvef", prior.lvef_percent, "prior", unit="%", evidence="prior.lvef_percent")


def _prior_ischemia(prior: PriorStudy, result: str | None) -> bool | None:
    """Whether the prior showed ischemia: a defect its report calls (partially) reversible, else its measured SDS
    at the ischemia threshold (HACHAMOVITCH-2003: SDS >= 2); None where neither says (a defect of unknown
    reversibility)."""
    sds = prior.perfusion.sds if prior.perfusion is not None else None
    return _prior_shows(prior, result, Reversibility.FIXED, sds, DEFAULT_THRESHOLDS.ischemia_min_sds)


def _prior_scar(prior: PriorStudy, result: str | None) -> bool | None:
    """Whether the prior showed scar: a defect its report calls fixed or partially reversible, else its measured
    SRS at the scar threshold (ASNC-SPECT-2018: SRS >= 2); a normal prior showed none; None: unknown."""
    srs = prior.perfusion.srs if prior.perfusion is not None else None
    return _prior_shows(prior, result, Reversibility.REVERSIBLE, srs, DEFAULT_THRESHOLDS.scar_min_srs)


def _prior_shows(
    prior: PriorStudy, result: str | None, other: Reversibility, score: int | None, threshold: int
) -> bool | None:
    """Whether the prior showed a kind of defect: one of its report's defects of any reversibility but ``other``,
    else its measured summed ``score`` at ``threshold``; a normal prior showed none; None: unknown (a defect of
    unknown reversibility, or nothing said)."""
    if prior.defects is not None:
        if any(d.reversibility is None for d in prior.defects):
            return None
        return any(d.reversibility is not other for d in prior.defects)
    if score is not None:
        return score >= threshold
    return False if result == "normal" else None


def _prior_walls(prior: PriorStudy) -> frozenset[str] | None:
    """The walls of the prior's defects: as its report states them, else of its abnormal segments (scores at
    the defect threshold); None where a stated defect names no wall."""
    if prior.defects is not None:
        if any(not d.walls for d in prior.defects):
            return None
        return frozenset(w.value for d in prior.defects for w in d.walls)
    if prior.perfusion is not None and prior.perfusion.segments:
        low = DEFAULT_THRESHOLDS.defect_min_segment_score
        return frozenset(w.value for w in walls_of([s.segment for s in prior.perfusion.segments if s.initial >= low]))
    return None


def _defect_change_marginal(overall: Finding | None, burden: Finding | None, study: Study) -> bool:
    """Whether each defect change since the prior is its reversibility only, with a current ischemic burden below
    a significant change (< 5 % of the LV, ASNC-SPECT-2018): a prior "fixed" defect that now shows trivial
    peri-infarct reversal (SDS 2) is the same defect to a reader comparing the two. A grade word that changed only
    by the rules' convention, where the defect still fits the prior report's word by another's (see _grading_only:
    "medium" by % of the LV, "large" by segment count), is no change either."""
    if overall is None or burden is None:
        return False
    items: Any = overall.values.get("changes") or ()
    defects = [i for i in items if str(i.get("change")) != "lvef"]
    percent = burden.values.get("ischemic_percent")
    return (
        bool(defects)
        and all(str(i.get("change")) == "changed_defect" and _reversal_or_grading(i, study) for i in defects)
        and isinstance(percent, int | float)
        and percent < DEFAULT_THRESHOLDS.comparison_ischemia_change_percent
    )


def _reversal_or_grading(item: Any, study: Study) -> bool:
    """A defect change made of a reversibility change, with or beside grade words that fit by another convention."""
    inner = item.get("changes") if isinstance(item, dict) else None
    if not isinstance(inner, tuple | list) or not inner:
        return False
    reversal = [c for c in inner if str(c.get("change")) == "reversibility"]
    grading = [c for c in inner if str(c.get("change")) != "reversibility"]
    return bool(reversal) and (not grading or _grading_only({**item, "changes": tuple(grading)}, study))


def _is_reversibility_change(item: Any) -> bool:
    """A change since the prior that is a defect's reversibility only ("now partially reversible")."""
    inner = item.get("changes") if isinstance(item, dict) else None
    return (
        isinstance(inner, tuple | list) and bool(inner) and all(str(c.get("change")) == "reversibility" for c in inner)
    )


_GRADE_CHANGES = frozenset({"more severe", "less severe", "larger", "smaller"})


def _grading_only(item: Any, study: Study) -> bool:
    """A defect change since a prior *report* that is only a grade word, where the current defect also fits the
    report's word by another reader's convention: severity by any definitely abnormal segment (not the predominant
    one), extent by % of the LV (score / 68, ASNC-SPECT-2018) rather than by segment count. Two readers' grading,
    not a change of the defect: "unchanged" is a reading too."""
    inner = item.get("changes") if isinstance(item, dict) else None
    prior, now = study.prior, study.perfusion
    if not inner or prior is None or prior.defects is None or prior.perfusion is not None or now is None:
        return False
    if not all(str(c.get("change")) in _GRADE_CHANGES for c in inner):
        return False
    old = next(
        (d for d in prior.defects if d.territory is not None and d.territory.value == item.get("territory")), None
    )
    if old is None:
        return False
    territory_of = {n: now.territory_overrides.get(n, seg.territory) for n, seg in SEGMENTS.items()}
    stress = [s.initial for n, s in now.scores().items() if territory_of[n] is old.territory and s.initial]
    t = DEFAULT_THRESHOLDS
    kinds = {str(c.get("change")) for c in inner}
    grades = {_SCORE_GRADE[s] for s in stress if s >= t.defect_min_segment_score}
    severity_fits = old.severity is None or not kinds & {"more severe", "less severe"} or old.severity in grades
    extent_fits = (
        old.extent is None
        or not kinds & {"larger", "smaller"}
        or old.extent is t.extent_by_percent(myocardium_percent(sum(stress)))
    )
    return severity_fits and extent_fits


_REVERSIBILITY_TREND = {
    ("fixed", "partially reversible"): "more severe",
    ("fixed", "reversible"): "more severe",
    ("reversible", "partially reversible"): "more severe",
    ("reversible", "fixed"): "more severe",
    ("partially reversible", "fixed"): "less severe",
}
_BETTER = {"less severe", "smaller", "less extensive", "more reversible"}
_WORSE = {"more severe", "larger", "more extensive", "less reversible"}
_DEFECT_COMPARISONS = (
    C.COMPARISON_DEFECT_NEW, C.COMPARISON_DEFECT_RESOLVED, C.COMPARISON_DEFECT_CHANGED, C.COMPARISON_DEFECT_UNCHANGED,
)  # fmt: skip


def _summary(study: Study, findings: Sequence[Finding], fx: Facts) -> None:
    imp = _first(findings, C.IMPRESSION_PERFUSION)
    if imp is not None:
        fx.perfusion_category = str(imp.values["category"])
        fx.ischemia = bool(imp.values["ischemia"])
        fx.scar = bool(imp.values["scar"])
    burden = _first(findings, C.ISCHEMIC_BURDEN)
    markers = []
    if fx.ischemia:
        markers.append("ischemic perfusion defect")
    if burden is not None and float(burden.values["ischemic_percent"]) > 0:  # type: ignore[arg-type]
        if burden.values.get("ischemia") is False and not fx.ischemia:
            # a burden below the SDS threshold in a defect the rules read as fixed: no marker of ischemia
            fx.ischemia_subthreshold = True
        else:
            markers.append(f"ischemic myocardium {burden.values['ischemic_percent']}%")
    if fx.tid_abnormal:
        markers.append("abnormal TID ratio")
    if fx.features.get("lvef_drop"):
        markers.append("post-stress LVEF drop")
    if fx.features.get("balanced"):
        markers.append(BALANCED_FLOW_MARKER)
    if fx.ecg_response == "ischemic":
        markers.append("ischemic ECG response")
    fx.ischemia_markers = tuple(markers)
    fx.ischemia_marginal = fx.ischemia and burden is not None and burden.values.get("ischemia") is False
    overall = _first(findings, C.COMPARISON_OVERALL)
    items: Any = overall.values.get("changes") or () if overall is not None else ()
    fx.comparison_marginal = (
        overall is not None
        and (
            (fx.ischemia_marginal and all(_is_reversibility_change(item) for item in items))
            or all(_grading_only(item, study) for item in items)
        )
        and all(
            str(f.values.get("direction")) == "unchanged"
            for code in (C.COMPARISON_ISCHEMIA, C.COMPARISON_LVEF)
            for f in _all(findings, code)
        )
    )
    fx.defect_change_marginal = _defect_change_marginal(overall, burden, study)
    risk = _first(findings, C.RISK)
    fx.risk = str(risk.values["category"]) if risk is not None else None
    fx.risk_raised_by_calcium = risk is not None and risk.values.get("calcium_long_term") is not None
    fx.risk_low_is_a_reading = risk is not None and _low_is_a_reading(risk, _first(findings, C.ISCHEMIC_BURDEN))
    # the summed stress score's band grades the risk only where the perfusion images are the one evidence of ischemia
    # (no ischemic ECG response, TID, post-stress LVEF drop or globally reduced flow beside them)
    images_alone = all(m == "ischemic perfusion defect" or m.startswith("ischemic myocardium") for m in markers)
    fx.risk_intermediate_is_a_reading = risk is not None and _intermediate_is_a_reading(
        risk,
        fx.defects,
        history_mi=fx.history_mi,
        sss=study.perfusion.sss if images_alone else None,
        drop=_first(findings, C.POST_STRESS_LVEF_DROP),
    )
    fx.risk_table = _table_risk(findings, history_mi=fx.history_mi) if risk is not None else None
    fx.risk_table_ischemic = (
        _table_risk(findings, history_mi=fx.history_mi, ischemic_only=True) if risk is not None else None
    )
    if risk is not None:  # the edges of the annual event-rate band the risk sentence quotes
        for edge in (risk.values.get("annual_rate_lower"), risk.values.get("annual_rate_upper")):
            fx.add("risk_band", edge, evidence=f"{fx.risk} risk: annual rate of cardiac death or MI")
    words = template_set().words
    fx.high_risk_features = tuple(
        HighRiskFact(HighRiskFeature(str(f.values["feature"])), words("high_risk_feature", f.values))
        for f in _all(findings, C.HIGH_RISK_FEATURE)
    )
    fx.risk_high_by_volume_only = (
        fx.risk == "high"
        and bool(fx.high_risk_features)
        and all(h.feature is HighRiskFeature.HIGH_ESV for h in fx.high_risk_features)
        and not fx.ischemia
        and not fx.scar
    )
    fx.put("%", *(n for f in _all(findings, C.HIGH_RISK_FEATURE) for n in _numbers_in(f.values)))
    # a volume or a share of the LV may quote its own feature's value or threshold only (not a TID ratio or the
    # points of an LVEF drop: "~8% LV" for an ischemic burden of 17.6% is wrong)
    for unit, feature in (("mL", HighRiskFeature.HIGH_ESV), ("lv%", HighRiskFeature.ISCHEMIC_BURDEN)):
        own = [f for f in _all(findings, C.HIGH_RISK_FEATURE) if f.values["feature"] == feature]
        fx.put(unit, *(n for f in own for n in _numbers_in(f.values)))


def _intermediate_is_a_reading(
    risk: Finding,
    defects: Sequence[DefectFact],
    *,
    history_mi: bool = False,
    sss: int | None = None,
    drop: Finding | None = None,
) -> bool:
    """Whether "intermediate risk" for the rules' high risk is a reading of the study rather than a contradiction.

    It is where every reason the rules give is the extent of ischemia at the edge of the high-risk band: an
    ischemic burden of 10 % of the LV up to the edge where the benefit of revascularization appears (12.5 %,
    HACHAMOVITCH-2003), or up to the end of the rules' own "moderate" band (10-14.9 %) where no ischemic defect is
    more than moderate in intensity (moderate ischemia by amount and by grade, which readers grade intermediate as
    often as high; a severe defect may mark a severe stenosis) or whose whole stress abnormality is no more than
    moderately abnormal (a summed stress score below 14, ASNC-SPECT-2018: the band whose annual rate of cardiac
    death, 2-3 %, is the 1-3 % of intermediate risk, HACHAMOVITCH-1998; ``sss`` is given only where the images are
    the one evidence of ischemia, an ischemic ECG response beside them keeps the rules' high), or a defect "large"
    by its segment count (>= 5, ASNC-SPECT-2018) but medium by its share of the LV (< 20 %, ASNC-REPORTING-2009),
    where the two conventions disagree; or a post-stress ESV above its limit (SHARIR-1999) with no other feature: the
    ACC-AHA-SIHD-2012 table has no volume criterion and grades an LVEF of 35-49 % intermediate (an LVEF below 35 %
    is a feature of its own). Several territories count as one where, after a known myocardial infarction, all
    but one of them hold the infarct's partially reversible defect: ACC-AHA-SIHD-2012 grades a resting abnormality
    with a prior MI as the infarct's, and whether the ischemia at its margin (peri-infarct) makes a second
    stress-induced territory is the reader's call. A PET LVEF that falls at peak stress by less than the table's
    severe stress-induced dysfunction (``table_lvef_drop_high_points``), where the flow reserve is reduced in one
    territory only, marks no multivessel disease the flow data show (DORBALA-2007): the rules' high-risk feature, the
    reader's to weigh. Never for TID, a low LVEF, a post-stress (gated SPECT) drop, ischemia in several territories
    beyond an infarct, flow or a Duke score.
    """
    if risk.values.get("category") != "high":
        return False
    reasons: Any = risk.values.get("reasons") or ()
    for r in reasons:
        feature = str(r.get("feature"))
        edge = DEFAULT_THRESHOLDS.high_risk_ischemic_edge_percent
        if feature == "ischemic_burden" and float(r["ischemic_percent"]) < edge:
            continue
        if (
            feature == "ischemic_burden"
            and DEFAULT_THRESHOLDS.ischemic_category(float(r["ischemic_percent"])) is IschemicExtent.MODERATE
            and sss is not None
            and DEFAULT_THRESHOLDS.sss_category(sss) in _AT_MOST_MODERATELY_ABNORMAL
        ):
            continue
        if (
            feature == "ischemic_burden"
            and DEFAULT_THRESHOLDS.ischemic_category(float(r["ischemic_percent"])) is IschemicExtent.MODERATE
            and not any(
                Severity.SEVERE in (*d.segment_grades, *((d.severity.high,) if d.severity is not None else ()))
                for d in defects
                if d.kind == "defect" and d.reversibility != Reversibility.FIXED
            )
        ):
            continue
        if feature == "high_esv":
            continue
        if (
            feature == "post_stress_lvef_drop"
            and drop is not None
            and drop.values.get("pet")
            and drop.values.get("single_territory")
            and float(drop.values["drop_points"]) < DEFAULT_THRESHOLDS.table_lvef_drop_high_points  # type: ignore[arg-type]
        ):
            continue
        if feature == "multivessel_defects" and history_mi:
            infarct = {
                d.territory
                for d in defects
                if d.kind == "defect" and d.reversibility == Reversibility.PARTIALLY_REVERSIBLE
            }
            if len(infarct) == 1 and len(set(r.get("territories") or ()) - infarct) <= 1:
                continue
        if feature == "large_defect" and any(
            d.territory == r.get("territory") and d.extent == "large" and len(d.extents) > 1 for d in defects
        ):
            continue
        return False
    return bool(reasons)


_AT_MOST_MODERATELY_ABNORMAL = frozenset(
    {SssCategory.NORMAL, SssCategory.MILDLY_ABNORMAL, SssCategory.MODERATELY_ABNORMAL}
)
#: The risk categories in order of the ACC-AHA-SIHD-2012 bands (< 1, 1-3, > 3 % a year).
RISK_ORDER = ("low", "intermediate", "high")
# High-risk features of the rules that the ACC-AHA-SIHD-2012 table has no criterion for (SHARIR-1999, LUNG-HEART-TL201,
# ACC-AHA-EXERCISE-2002, SNMMI-ASNC-PET-FLOW-2018): a reader may weigh them below high, never as low risk
_OFF_TABLE_FEATURES = frozenset(
    {HighRiskFeature.HIGH_ESV, HighRiskFeature.LUNG_UPTAKE, HighRiskFeature.EXERCISE_HYPOTENSION,
     HighRiskFeature.SEVERELY_REDUCED_MFR}
)  # fmt: skip


# an implanted device by kind ("primary-prevention ICD", "dual-chamber pacemaker", "CRT-D"), and words before it that
# say it is not there or only planned ("no ICD", "for ICD evaluation", "considering CRT")
DEVICE_KINDS = {
    "icd": r"\bICD\b|\bCRT-?D\b|defibrillator",
    "pacemaker": r"\bpacemaker\b|\bPPM\b|\bCRT-?P\b",
    "crt": r"\bCRT(?:-?[DP])?\b|resynchroni[sz]ation|\bbiventricular\s+(?:pacemaker|pacing|device)",
}
_DEVICE_NOT_THERE = re.compile(
    r"(?:\b(?:no|not|never|without|nor|for|consider\w*|planned|awaiting|candidate)|n't)\s+(?:[\w/-]+\s+){0,2}$", re.I
)


def devices_named(record: str) -> frozenset[str]:
    """The device kinds a clinical text names as implanted (not denied, planned or considered)."""
    out = set()
    for kind, pattern in DEVICE_KINDS.items():
        for h in re.finditer(pattern, record, re.I):
            if not _DEVICE_NOT_THERE.search(record, max(0, h.start() - 40), h.start()):
                out.add(kind)
    return frozenset(out)


def _table_risk(
    findings: Sequence[Finding], *, history_mi: bool, ischemic_only: bool = False
) -> tuple[str, str, str] | None:
    """The risk categories the ACC-AHA-SIHD-2012 table of noninvasive risk stratification supports from the
    study's Findings: the lowest and the highest reading, and the table's words for each criterion used.

    Each criterion of the table grades low (0), intermediate (1) or high (2), as a lowest and a highest reading where
    the Findings allow two: LVEF < 35% high, 35-49% intermediate (the rest LVEF or the graded one, whichever is
    higher, for the lowest reading; the lowest measured for the highest); a stress perfusion abnormality
    >= 10% of the myocardium high, 5-9.9% intermediate, < 5% low (the lowest reading counts only the defects the
    rules call ischaemia, not an LBBB pattern or possible attenuation; the highest the whole SDS), a resting
    abnormality graded the same without a myocardial infarction; without scores a defect's extent (small: low or
    intermediate; medium: intermediate or high; large: high); equivocal perfusion low or intermediate; several
    territories, stress-induced dilation, a high-risk treadmill score or an LVEF drop >= 10 points high; a
    moderate treadmill score low or intermediate. The rules' high-risk features without a criterion in the table
    (an end-systolic volume, lung uptake, exercise hypotension, severely reduced flow reserve, a smaller LVEF drop)
    and a reduced flow reserve keep at least intermediate. Calcium stays the separate long-term risk it is in the
    rules (CAC-DRS-2018). The category is the highest criterion's; None for non-diagnostic images.
    """
    t = DEFAULT_THRESHOLDS
    impression = _first(findings, C.IMPRESSION_PERFUSION)
    if impression is None or str(impression.values.get("category")) == "non-diagnostic":
        return None
    lo = hi = 0
    words: list[str] = []

    def grade(low: int, high: int, word: str) -> None:
        nonlocal lo, hi
        lo, hi = max(lo, low), max(hi, high)
        words.append(word)

    def band(percent: float) -> int:
        return 2 if percent >= t.high_risk_ischemic_percent else int(percent >= t.table_perfusion_low_below_percent)

    def lvef_band(v: float) -> int:
        return 2 if v < t.high_risk_lvef_below else int(v < t.table_lvef_intermediate_below)

    H = HighRiskFeature
    result = str(impression.values["category"])
    # the risk of ischemic events of a study with normal perfusion: a reduced LV function there is no ischemic
    # heart's (a nonischemic cardiomyopathy), a risk of its own the table's LV criteria grade, not of ischemic events
    lv_apart = ischemic_only and result == "normal"
    for f in _all(findings, C.HIGH_RISK_FEATURE):
        feature = HighRiskFeature(str(f.values["feature"]))
        if lv_apart and feature in (H.LOW_LVEF, H.HIGH_ESV):
            continue
        if feature is H.LOW_LVEF:
            grade(2, 2, f"LVEF < {t.high_risk_lvef_below:g}%")
        elif feature is H.TRANSIENT_ISCHEMIC_DILATION:
            grade(2, 2, "stress-induced LV dilation")
        elif feature is H.MULTIVESSEL_DEFECTS:
            grade(2, 2, "perfusion abnormalities in several vascular territories")
        elif feature is H.DUKE_HIGH_RISK:
            grade(2, 2, "a high-risk treadmill score")
        elif feature is H.POST_STRESS_LVEF_DROP and float(f.values["drop_points"]) >= t.table_lvef_drop_high_points:  # type: ignore[arg-type]
            grade(2, 2, f"an LVEF drop >= {t.table_lvef_drop_high_points:g} points with stress")
        elif feature in _OFF_TABLE_FEATURES or feature is H.POST_STRESS_LVEF_DROP:
            grade(1, 2, f"{feature.value.replace('_', ' ')} (not a criterion of the table)")
    burden = _first(findings, C.ISCHEMIC_BURDEN)
    defects = [d for d in _all(findings, C.PERFUSION_DEFECT) if d.certainty is Certainty.AFFIRMED]
    if burden is not None and burden.values.get("ischemic_percent") is not None:
        whole = float(burden.values["ischemic_percent"])  # type: ignore[arg-type]
        scored = bool(defects) and all(d.values.get("summed_difference") is not None for d in defects)
        ischemic: list[Any] = [
            d.values["summed_difference"]
            for d in defects
            if d.values.get("ischemia") and not d.values.get("possible_attenuation")
        ]
        maximum: Any = burden.values.get("max_score") or MAX_SUMMED_SCORE
        own = 100.0 * sum(float(v) for v in ischemic) / float(maximum) if scored else whole
        least = 0 if result == "equivocal" else band(min(own, whole))
        share = f"{whole:.1f}" if min(own, whole) == whole else f"{min(own, whole):.1f}-{whole:.1f}"
        grade(least, band(whole), f"stress-induced perfusion abnormality {share}% of the myocardium")
        scar = burden.values.get("scar_percent")
        if scar is not None and not history_mi:
            grade(band(float(scar)), band(float(scar)), f"resting perfusion abnormality {float(scar):.1f}% without MI")  # type: ignore[arg-type]
    elif result == "equivocal":
        grade(0, 1, "equivocal perfusion")
    elif result == "abnormal":
        beyond = [d for d in defects if not (history_mi and d.reversibility is Reversibility.FIXED)]
        extent = {"small": (0, 1), "medium": (1, 2), "large": (2, 2)}
        for d in beyond:
            low, high = extent.get(str(d.extent), (1, 1))
            grade(low, high, f"a {d.extent or 'perfusion'} defect")
        if not beyond and not defects:
            grade(1, 1, "abnormal perfusion")
    lvef = None if lv_apart else _first(findings, C.LVEF)
    if lvef is not None:
        values = [float(v) for k in ("lvef", "rest_lvef", "stress_lvef") if (v := lvef.values.get(k)) is not None]  # type: ignore[arg-type]
        reading = max(float(v) for k in ("lvef", "rest_lvef") if (v := lvef.values.get(k)) is not None)  # type: ignore[arg-type]
        shown = f"{min(values):g}" if reading == min(values) else f"{min(values):g}-{reading:g}"
        grade(lvef_band(reading), lvef_band(min(values)), f"LVEF {shown}%")
    duke = _first(findings, C.DUKE_SCORE)
    if duke is not None and duke.values.get("category") == DukeCategory.MODERATE:
        grade(0, 1, "an intermediate treadmill score")
    # the stress ECG criteria, as the highest reading only (the table grades the treadmill test, the rules the images):
    # ST elevation, or ST depression >= 2 mm at a low workload (whether it persisted into recovery is not recorded)
    ecg = _first(findings, C.STRESS_ECG)
    exercise = _first(findings, C.STRESS_EXERCISE)
    mets: Any = exercise.values.get("mets") if exercise is not None else None
    if ecg is not None and ecg.values.get("response") != "non-diagnostic":
        depression, elevation = (float(ecg.values.get(k) or 0.0) for k in ("st_depression_mm", "st_elevation_mm"))  # type: ignore[arg-type]
        if elevation >= t.ischemic_st_depression_mm:
            grade(0, 2, f"ST elevation {elevation:g} mm with stress")
        elif depression >= 2 * t.ischemic_st_depression_mm and mets is not None and mets < t.table_low_workload_mets:
            grade(0, 2, f"ST depression {depression:g} mm at {mets:g} METs")
    arrhythmia = None if ischemic_only else _first(findings, C.STRESS_ARRHYTHMIA)
    if arrhythmia is not None and re.search(
        r"\bventricular\s+(?:tachycardia|fibrillation)|\bV[TF]\b",
        " ".join(arrhythmia.values.get("arrhythmias") or ()),  # type: ignore[arg-type]
    ):
        grade(0, 2, "ventricular tachycardia or fibrillation with stress")
    flow = _first(findings, C.FLOW_GLOBAL)
    if flow is not None and str(flow.values.get("category")) == "reduced":
        grade(1, 1, "reduced flow reserve (not a criterion of the table)")
    else:
        # a territory's reduced flow reserve the relative images do not show: the rules' reason, kept as the global
        # one is (rules._unmatched_regional_flow)
        risk = _first(findings, C.RISK)
        reasons: Any = risk.values.get("reasons") or () if risk is not None else ()
        for r in reasons:
            if str(r.get("reason")) == "flow_reserve" and r.get("territory"):
                grade(1, 1, f"reduced {r['territory']} flow reserve (not a criterion of the table)")
    return RISK_ORDER[lo], RISK_ORDER[hi], "; ".join(words)


def _low_is_a_reading(risk: Finding, burden: Finding | None) -> bool:
    """Whether "low risk" for the rules' intermediate risk is a reading of the study rather than a contradiction.

    It is where every reason the rules give is itself uncertain: equivocal perfusion, a defect with no scar and
    at most minimal ischemia (< 5% of the myocardium, HACHAMOVITCH-2003: low risk below it) that the reader may
    call attenuation, or an LVEF graded mildly reduced within the measurement's reproducibility of the lower
    limit of normal (+/- 5 points, ASNC-SPECT-2018). Never for high-risk features, a Duke score or flow.
    """
    if risk.values.get("category") != "intermediate":
        return False
    reasons: Any = risk.values.get("reasons") or ()
    small = (
        burden is not None
        and burden.values.get("category") in ("none", "minimal")
        and not burden.values.get("scar_percent")
    )
    limit = DEFAULT_THRESHOLDS.lvef_lower_normal_male, DEFAULT_THRESHOLDS.lvef_lower_normal_female
    for r in reasons:
        kind, category = str(r.get("reason")), str(r.get("category"))
        if kind == "perfusion" and (category == "equivocal" or (category == "abnormal" and small)):
            continue
        if (
            kind == "lvef"
            and category == "mildly reduced"
            and float(r["lvef"]) >= min(limit) - DEFAULT_THRESHOLDS.comparison_lvef_change_points
        ):
            continue
        return False
    return bool(reasons)
