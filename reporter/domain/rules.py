"""The rule engine: ``Study -> list[Finding]``.

Each rule is a pure function ``(Study, Thresholds) -> list[Finding]`` registered by name in
:data:`RULES`; :func:`evaluate` runs them in report order. Rules that summarise (high-risk
features, impression, risk) read the Findings of the rules before them, never the raw
numbers twice, so each number is interpreted in exactly one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from reporter.domain.finding import Finding, FindingCode, Section
from reporter.domain.study import ArtifactKind, LaterImages, Perfusion, PriorDefect, PriorStudy, RiskFactor, Study
from reporter.domain.thresholds import DEFAULT_THRESHOLDS, LATE_REDISTRIBUTION_MIN_H, MAX_SUMMED_SCORE, Thresholds
from reporter.domain.vocabulary import (
    SEGMENTS,
    BaselineEcg,
    CacVisualGrade,
    Certainty,
    ChangeDirection,
    ComparisonChange,
    DefectChange,
    DukeCategory,
    EcgResponse,
    Extent,
    HighRiskFeature,
    ImageQuality,
    LvefGrade,
    MfrCategory,
    Modality,
    PerfusionResult,
    Reversibility,
    RiskCategory,
    RiskQualifier,
    RiskReason,
    RvUptake,
    Severity,
    SeverityRange,
    SssCategory,
    StressAgent,
    StressType,
    Territory,
    Tracer,
    Wall,
    WallMotion,
    attenuation_source,
    walls_of,
)

__all__ = ["RULES", "Defect", "evaluate", "find_defects", "myocardium_percent", "prior_defects"]

C = FindingCode
S = Section


def myocardium_percent(summed_score: float) -> float:
    """Summed score as % of the LV myocardium (score / 68 x 100, ASNC-SPECT-2018)."""
    return round(100 * summed_score / MAX_SUMMED_SCORE, 1)


# --- perfusion defects ---------------------------------------------------------------------

_GRADE = {1: Severity.MILD, 2: Severity.MODERATE, 3: Severity.SEVERE, 4: Severity.SEVERE}


@dataclass(frozen=True, slots=True)
class Defect:
    """A perfusion defect: the abnormal segments of one coronary territory.

    ``abnormal_min`` is the segment score from which a segment is definitely abnormal
    (``Thresholds.defect_min_segment_score``): it decides reversibility as well, so a rest score of 1
    (within normal variation) is not scar (ASNC-SPECT-2018).
    """

    territory: Territory
    segments: tuple[int, ...]
    stress_scores: tuple[int, ...]
    rest_scores: tuple[int, ...] | None
    abnormal_min: int = 2
    ischemia_min_difference: int = 2

    @property
    def walls(self) -> tuple[Wall, ...]:
        return walls_of(self.segments)

    @property
    def severity(self) -> SeverityRange:
        """The grade of the predominant segment score (ties go to the more severe), as readers grade a defect."""
        grades = [_GRADE[s] for s in self.stress_scores if s > 0]
        order = list(Severity)
        predominant = max(set(grades), key=lambda g: (grades.count(g), order.index(g)))
        return SeverityRange(predominant, predominant)

    @property
    def summed_stress(self) -> int:
        return sum(self.stress_scores)

    @property
    def summed_difference(self) -> int | None:
        if self.rest_scores is None:
            return None
        return sum(max(s - r, 0) for s, r in zip(self.stress_scores, self.rest_scores, strict=True))

    @property
    def reversibility(self) -> Reversibility | None:
        """Read on the definitely abnormal segments only: a rest score below ``abnormal_min`` is normal at rest.

        A defect with a segment abnormal at rest whose summed difference stays below ``ischemia_min_difference``
        is fixed: a one-grade improvement in one segment (stress 2, rest 1) is within the variability of visual
        scoring, the same line under which the report says "no ischemia" (HACHAMOVITCH-2003: SDS >= 2).
        """
        if self.rest_scores is None:
            return None
        kinds = set()
        for s, r in zip(self.stress_scores, self.rest_scores, strict=True):
            if s < self.abnormal_min:
                continue
            if r < self.abnormal_min:
                kinds.add(Reversibility.REVERSIBLE)
            elif s <= r:
                kinds.add(Reversibility.FIXED)
            else:
                kinds.add(Reversibility.PARTIALLY_REVERSIBLE)
        if not kinds:
            return None
        scarred = kinds & {Reversibility.FIXED, Reversibility.PARTIALLY_REVERSIBLE}
        if scarred and (self.summed_difference or 0) < self.ischemia_min_difference:
            return Reversibility.FIXED
        return kinds.pop() if len(kinds) == 1 else Reversibility.PARTIALLY_REVERSIBLE

    def extent(self, t: Thresholds) -> Extent:
        return t.extent_by_segments(len(self.segments))


def _territory_map(overrides: dict[int, Territory]) -> dict[int, Territory]:
    return {n: overrides.get(n, seg.territory) for n, seg in SEGMENTS.items()}


def find_defects(
    perfusion: Perfusion, t: Thresholds, later: LaterImages | None = "rest"
) -> tuple[list[Defect], list[Defect]]:
    """Group scored segments into defects per territory.

    A territory holds a defect when one of its segments scores >= ``defect_min_segment_score``
    at stress (definitely abnormal); its mildly reduced (score 1) segments join that defect.
    A territory whose only reduced segments score 1 is returned separately as equivocal.
    ``later`` names the images reversibility is read on: rest, or Tl-201 redistribution (ASNC-PROTOCOLS-2016).
    """
    scores = perfusion.scores()
    if not scores:
        return [], []
    later_scores = perfusion.later_scores(later)
    territory_of = _territory_map(perfusion.territory_overrides)
    defects: list[Defect] = []
    equivocal: list[Defect] = []
    for territory in Territory:
        members = [n for n in sorted(scores) if territory_of[n] is territory and scores[n].initial > 0]
        if not members:
            continue
        defect = Defect(
            territory=territory,
            segments=tuple(members),
            stress_scores=tuple(scores[n].initial for n in members),
            rest_scores=tuple(later_scores[n] for n in members) if later_scores is not None else None,
            abnormal_min=t.defect_min_segment_score,
            ischemia_min_difference=t.ischemia_min_sds,
        )
        if max(defect.stress_scores) >= t.defect_min_segment_score:
            defects.append(defect)
        else:
            equivocal.append(defect)
    return defects, equivocal


#: Septal segments (AHA-17: anteroseptal 2, 8; inferoseptal 3, 9; apical septal 14) and the apex (17)
#: with the apical ring (13-16): an LBBB defect involves the former and spares the latter.
_SEPTAL_SEGMENTS = frozenset({2, 3, 8, 9, 14})
_APICAL_SEGMENTS = frozenset({13, 15, 16, 17})


def _attenuation_name(study: Study, d: Defect, recorded: dict[Wall, str | None]) -> str:
    """The attenuation a defect's walls suggest: the recorded artifact's source, else the usual site."""
    for wall in d.walls:
        if wall in recorded:
            return attenuation_source(recorded[wall])[0] or "soft-tissue"
    if study.patient.sex.value == "female" and {Wall.ANTERIOR, Wall.ANTEROLATERAL} & set(d.walls):
        return "breast"
    if {Wall.INFERIOR, Wall.INFEROSEPTAL} & set(d.walls):
        return "diaphragmatic"
    return "soft-tissue"  # worded "soft-tissue attenuation", never "attenuation attenuation"


def _defect_evidence(defect: Defect, later: LaterImages | None) -> tuple[str, ...]:
    paths = [f"perfusion.segments[{n}].stress" for n in defect.segments]
    if later is not None and defect.rest_scores is not None:
        paths += [f"perfusion.segments[{n}].{later}" for n in defect.segments]
    return tuple(paths)


def _defects(study: Study, t: Thresholds) -> tuple[list[Defect], list[Defect]]:
    """The study's defects, their reversibility read on the images its protocol compares with stress."""
    return find_defects(study.perfusion, t, study.procedure.later_images)


def _redistribution_scored(study: Study) -> dict[str, bool]:
    """``{"redistribution": True}`` where the summed "rest" score is the summed redistribution score."""
    return {"redistribution": True} if study.procedure.later_images == "redistribution" else {}


def _later_scored(study: Study) -> LaterImages | None:
    """The later images the study's segments are scored on (None: stress images only)."""
    later = study.procedure.later_images
    return later if study.perfusion.later_scores(later) is not None else None


# --- rules ---------------------------------------------------------------------------------


def _indication(study: Study, t: Thresholds) -> list[Finding]:
    c = study.clinical
    out = [
        Finding(
            code=C.INDICATION,
            section=S.INDICATION,
            values={"text": c.indication},
            evidence=("clinical.indication",),
            rule="indication",
        )
    ]
    history = [
        label
        for flag, label in (
            (c.known_cad, "known coronary artery disease"),
            (c.prior_mi, "prior myocardial infarction"),
            (c.prior_pci, "prior PCI"),
            (c.prior_cabg, "prior CABG"),
        )
        if flag
    ]
    # Age and sex always; the rest when given (ASNC-REPORTING-2009 reporting elements).
    out.append(
        Finding(
            code=C.HISTORY,
            section=S.INDICATION,
            values={
                "age_years": study.patient.age_years,
                "sex": study.patient.sex.value,
                "history": tuple(history),
                "risk_factors": tuple(r.value for r in c.risk_factors),
                "symptoms": c.symptoms,
                "chest_pain_type": c.chest_pain_type.value if c.chest_pain_type else None,
            },
            evidence=("patient.age_years", "patient.sex", "clinical"),
            rule="indication.history",
            guideline="ASNC-REPORTING-2009",
        )
    )
    pt = study.patient
    out.append(
        Finding(
            code=C.BODY_HABITUS,
            section=S.INDICATION,
            values={"height_cm": pt.height_cm, "weight_kg": pt.weight_kg, "bmi": pt.bmi_kg_m2},
            certainty=Certainty.AFFIRMED if pt.height_cm or pt.weight_kg else Certainty.UNCERTAIN,
            evidence=("patient.height_cm", "patient.weight_kg"),
            rule="indication.body_habitus",
            guideline="ASNC-SPECT-2018",
        )
    )
    out.append(
        Finding(
            code=C.MEDICATIONS,
            section=S.INDICATION,
            values={"medications": c.medications, "beta_blocker": c.beta_blocker.value if c.beta_blocker else None},
            certainty=Certainty.AFFIRMED if c.medications or c.beta_blocker else Certainty.UNCERTAIN,
            evidence=("clinical.medications", "clinical.beta_blocker"),
            rule="indication.medications",
            guideline="ASNC-REPORTING-2009",
        )
    )
    return out


def _procedure(study: Study, t: Thresholds) -> list[Finding]:
    p = study.procedure
    out = [
        Finding(
            code=C.PROCEDURE,
            section=S.PROCEDURE,
            values={
                "modality": p.modality.value,
                "protocol": p.protocol.value,
                "tracers": tuple(dict.fromkeys(d.tracer.value for d in p.tracers)),
                "gated": p.gated,
                "attenuation_correction": p.attenuation_correction.value,
                "first_day": p.first_day,
                **(
                    {"redistribution_delay_h": p.redistribution_delay_h} if p.redistribution_delay_h is not None else {}
                ),
                "study_date": study.study_date.isoformat() if study.study_date else None,
            },
            evidence=(
                "procedure.modality",
                "procedure.protocol",
                "procedure.tracers",
                "procedure.gated",
                "procedure.attenuation_correction",
                "study_date",
                *(("procedure.redistribution_delay_h",) if p.redistribution_delay_h is not None else ()),
            ),
            rule="procedure",
            guideline="ASNC-REPORTING-2009",
        )
    ]
    for i, dose in enumerate(p.tracers):
        if dose.activity is None:
            continue
        out.append(
            Finding(
                code=C.TRACER_DOSE,
                section=S.PROCEDURE,
                values={
                    "tracer": dose.tracer.value,
                    "phase": dose.phase,
                    "activity_mbq": dose.activity.mbq,
                    "activity_given": dose.activity.value,
                    "unit_given": dose.activity.unit,
                },
                evidence=(f"procedure.tracers[{i}].activity",),
                rule="procedure.dose",
            )
        )
    sources = [
        (block, getattr(getattr(study, block), "source", None))
        for block in ("perfusion", "function", "flow", "calcium")
        if getattr(study, block) is not None
    ]
    for block, source in sources:
        if source is not None:
            out.append(
                Finding(
                    code=C.MEASUREMENT_SOURCE,
                    section=S.PROCEDURE,
                    values={"block": block, "software": source.software, "version": source.version},
                    evidence=(f"{block}.source",),
                    rule="procedure.provenance",
                )
            )
    return out


def _stress(study: Study, t: Thresholds) -> list[Finding]:
    s = study.stress
    if s is None:
        return []  # a rest-redistribution study: no stress was performed
    out: list[Finding] = []
    if s.is_exercise:
        out.append(
            Finding(
                code=C.STRESS_EXERCISE,
                section=S.STRESS,
                values={
                    "protocol": s.exercise_protocol,
                    "duration_min": s.exercise_duration_min,
                    "mets": s.mets,
                    "with_agent": s.type is StressType.BOTH,
                },
                evidence=("stress.type", "stress.exercise_protocol", "stress.exercise_duration_min", "stress.mets"),
                rule="stress.exercise",
            )
        )
    if s.agent is not None:
        out.append(
            Finding(
                code=C.STRESS_PHARMACOLOGIC,
                section=S.STRESS,
                values={
                    "agent": s.agent.value,
                    "dose": s.agent_dose,
                    "vasodilator": s.agent.is_vasodilator,
                    "atropine_mg": s.atropine_mg,
                },
                evidence=("stress.agent", "stress.agent_dose", "stress.atropine_mg"),
                rule="stress.pharmacologic",
            )
        )
    pct = study.percent_mphr
    if s.rest_hr_bpm is not None or s.peak_hr_bpm is not None:
        adequate: bool | None = None
        # Exercise and dobutamine share the target of 85 % of the age-predicted maximum
        # (ACC-AHA-EXERCISE-2002; ASNC-SPECT-2018 for dobutamine); vasodilators have none.
        if _chronotropic(study) and pct is not None:
            adequate = pct >= t.adequate_percent_mphr
        out.append(
            Finding(
                code=C.STRESS_HEART_RATE,
                section=S.STRESS,
                values={
                    "rest_bpm": s.rest_hr_bpm,
                    "peak_bpm": s.peak_hr_bpm,
                    "percent_mphr": pct,
                    "dobutamine": s.agent is StressAgent.DOBUTAMINE and not s.is_exercise,
                    "mphr_bpm": study.age_predicted_max_hr_bpm,
                    "adequate": adequate,
                    "target_percent": t.adequate_percent_mphr,
                },
                evidence=("stress.rest_hr_bpm", "stress.peak_hr_bpm", "patient.age_years"),
                rule="stress.heart_rate",
                guideline="ACC-AHA-EXERCISE-2002",
            )
        )
    if s.rest_sbp_mmhg is not None or s.peak_sbp_mmhg is not None:
        hypotensive = (
            s.is_exercise
            and s.rest_sbp_mmhg is not None
            and s.peak_sbp_mmhg is not None
            and s.rest_sbp_mmhg - s.peak_sbp_mmhg > t.hypotension_sbp_drop_mmhg
        )
        out.append(
            Finding(
                code=C.STRESS_BLOOD_PRESSURE,
                section=S.STRESS,
                values={
                    "rest_sbp": s.rest_sbp_mmhg,
                    "rest_dbp": s.rest_dbp_mmhg,
                    "peak_sbp": s.peak_sbp_mmhg,
                    "peak_dbp": s.peak_dbp_mmhg,
                    "hypotensive": hypotensive,
                },
                evidence=(
                    "stress.rest_sbp_mmhg",
                    "stress.rest_dbp_mmhg",
                    "stress.peak_sbp_mmhg",
                    "stress.peak_dbp_mmhg",
                ),
                rule="stress.blood_pressure",
                guideline="ACC-AHA-EXERCISE-2002",
            )
        )
    if s.angina is not None or s.symptoms:
        out.append(
            Finding(
                code=C.STRESS_SYMPTOMS,
                section=S.STRESS,
                values={"angina": s.angina.value if s.angina else None, "symptoms": s.symptoms},
                certainty=Certainty.NEGATED
                if s.angina is not None and s.angina.points == 0 and not s.symptoms
                else Certainty.AFFIRMED,
                evidence=("stress.angina", "stress.symptoms"),
                rule="stress.symptoms",
            )
        )
    if s.termination_reason:
        out.append(
            Finding(
                code=C.STRESS_TERMINATION,
                section=S.STRESS,
                values={"reason": s.termination_reason},
                evidence=("stress.termination_reason",),
                rule="stress.termination",
            )
        )
    out.append(
        Finding(
            code=C.BASELINE_ECG,
            section=S.STRESS,
            values={"baseline": s.baseline_ecg.value},
            certainty=Certainty.NEGATED if s.baseline_ecg is BaselineEcg.NORMAL else Certainty.AFFIRMED,
            evidence=("stress.baseline_ecg",),
            rule="stress.baseline_ecg",
            # RBBB's sentence says which leads stay readable for ischemia: the exercise guideline's criterion
            guideline="ACC-AHA-EXERCISE-2002" if s.baseline_ecg is BaselineEcg.RBBB else "ASNC-REPORTING-2009",
        )
    )
    out.extend(_stress_ecg(study, t))
    if s.arrhythmias:
        out.append(
            Finding(
                code=C.STRESS_ARRHYTHMIA,
                section=S.STRESS,
                values={"arrhythmias": s.arrhythmias},
                evidence=("stress.arrhythmias",),
                rule="stress.arrhythmia",
            )
        )
    duke = study.duke_treadmill_score
    if duke is not None:
        category = t.duke_category(duke)
        # A low-risk score reassures only as far as the test went: at a submaximal heart rate (or with an ECG read
        # as non-diagnostic) its ST term is no negative test (ACC-AHA-EXERCISE-2002); a high score stays high.
        ecg = next((f for f in out if f.code is C.STRESS_ECG), None)
        limited = None
        if category is DukeCategory.LOW:
            if pct is not None and pct < t.adequate_percent_mphr:
                limited = "submaximal heart rate"
            elif ecg is not None and ecg.values["response"] == EcgResponse.NONDIAGNOSTIC:
                limited = "non-diagnostic ECG"
        out.append(
            Finding(
                code=C.DUKE_SCORE,
                section=S.STRESS,
                values={"score": duke, "category": category, "limited": limited},
                evidence=(
                    "stress.exercise_duration_min",
                    "stress.st_depression_mm",
                    "stress.st_elevation_mm",
                    "stress.angina",
                ),
                rule="stress.duke",
                guideline="DUKE-1991",
            )
        )
    return out


def _chronotropic(study: Study) -> bool:
    """Stress judged by the heart rate reached: exercise or dobutamine."""
    s = study.stress
    return s is not None and (s.is_exercise or s.agent is StressAgent.DOBUTAMINE)


def _stress_ecg(study: Study, t: Thresholds) -> list[Finding]:
    s = study.stress_test
    st_known = s.st_depression_mm is not None or s.st_elevation_mm is not None
    if not st_known and s.baseline_ecg.permits_st_analysis and s.ecg_response is None:
        return []
    depression = s.st_depression_mm or 0.0
    elevation = s.st_elevation_mm or 0.0
    significant = depression >= t.ischemic_st_depression_mm
    reason = None
    if not s.baseline_ecg.permits_st_analysis:
        response, reason = EcgResponse.NONDIAGNOSTIC, "baseline ECG"
    elif elevation >= t.ischemic_st_depression_mm or (
        significant and s.st_slope is not None and s.st_slope.value != "upsloping"
    ):
        response = EcgResponse.ISCHEMIC
    elif significant:
        response = EcgResponse.EQUIVOCAL
    elif _chronotropic(study) and study.percent_mphr is not None and study.percent_mphr < t.adequate_percent_mphr:
        # an unknown peak heart rate is not a submaximal one
        response, reason = EcgResponse.NONDIAGNOSTIC, "submaximal heart rate"
    else:
        response = EcgResponse.NONISCHEMIC
    if s.ecg_response is not None and s.baseline_ecg.permits_st_analysis:
        # The stress lab's own reading wins over the one computed from the ST numbers.
        response, reason = s.ecg_response, None
    return [
        Finding(
            code=C.STRESS_ECG,
            section=S.STRESS,
            values={
                "baseline": s.baseline_ecg.value,
                "st_depression_mm": s.st_depression_mm,
                "st_elevation_mm": s.st_elevation_mm,
                "st_slope": s.st_slope.value if s.st_slope else None,
                "leads": s.st_leads,
                "response": response.value,
                "reason": reason,
                "pharmacologic": not s.is_exercise,
            },
            evidence=(
                "stress.baseline_ecg",
                "stress.st_depression_mm",
                "stress.st_elevation_mm",
                "stress.st_slope",
                "stress.st_leads",
            ),
            rule="stress.ecg",
            guideline="ACC-AHA-EXERCISE-2002",
        )
    ]


def _image_quality(p: Perfusion) -> Finding:
    """The image quality, the first sentence of the perfusion section of every protocol."""
    return Finding(
        code=C.IMAGE_QUALITY,
        section=S.PERFUSION,
        values={"quality": p.image_quality.value},
        evidence=("perfusion.image_quality",),
        rule="perfusion.quality",
    )


def _perfusion(study: Study, t: Thresholds) -> list[Finding]:
    p = study.perfusion
    out = [_image_quality(p)]
    for i, artifact in enumerate(p.artifacts):
        source, detail = (
            attenuation_source(artifact.note) if artifact.kind is ArtifactKind.ATTENUATION else (None, artifact.note)
        )
        out.append(
            Finding(
                code=C.ARTIFACT,
                section=S.PERFUSION,
                values={"kind": artifact.kind.value, "note": artifact.note, "source": source, "detail": detail},
                walls=(artifact.wall,) if artifact.wall else (),
                evidence=(f"perfusion.artifacts[{i}]",),
                rule="perfusion.artifact",
            )
        )
    if p.image_quality is ImageQuality.NONDIAGNOSTIC:
        return out
    defects, equivocal = _defects(study, t)
    later = _later_scored(study)
    delay = study.procedure.redistribution_delay_h
    # Tl-201 stress-redistribution only (other studies' values unchanged): the images reversibility is read on,
    # and whether they are late (18-24 h) redistribution images, the viability images (ASNC-PROTOCOLS-2016)
    redistribution = (
        {"later_images": later, "late_redistribution": delay is not None and delay >= LATE_REDISTRIBUTION_MIN_H}
        if later == "redistribution"
        else {}
    )
    motion = {w.segment: w.motion for w in study.function.wall_motion} if study.function else {}
    attenuation = {a.wall: a.note for a in p.artifacts if a.kind is ArtifactKind.ATTENUATION and a.wall}
    lbbb = (study.stress is not None and study.stress.baseline_ecg in (BaselineEcg.LBBB, BaselineEcg.PACED)) or bool(
        study.function and study.function.septal_dyssynchrony
    )
    for d in defects:
        reversibility = d.reversibility
        certainty = Certainty.AFFIRMED
        pattern = None
        normal_motion = bool(motion) and all(motion.get(n) is WallMotion.NORMAL for n in d.segments)
        attenuation_walls = [w for w in d.walls if w in attenuation]
        if (
            reversibility is Reversibility.FIXED
            and normal_motion
            and (attenuation_walls or d.severity.high is Severity.MILD)
        ):
            # A fixed defect with normal wall motion and thickening is attenuation rather than scar
            # (ASNC-SPECT-2018: gated images separate the two); named by the artifact recorded or by
            # the usual site: breast (anterior, women) or diaphragm (inferior, men).
            certainty, pattern = Certainty.UNCERTAIN, "attenuation"
        elif lbbb and set(d.segments) <= _SEPTAL_SEGMENTS and not set(d.segments) & _APICAL_SEGMENTS:
            # LBBB: a septal defect that spares the apex is the conduction pattern, not specific for
            # LAD ischemia (ASNC-SPECT-2018, stress with a vasodilator in LBBB).
            certainty, pattern = Certainty.UNCERTAIN, "lbbb"
        attenuation_note = (
            _attenuation_name(study, d, attenuation)
            if pattern == "attenuation" or (attenuation_walls and not normal_motion and motion)
            else None
        )
        out.append(
            Finding(
                code=C.PERFUSION_DEFECT,
                section=S.PERFUSION,
                values={
                    "n_segments": len(d.segments),
                    "summed_stress": d.summed_stress,
                    "summed_difference": d.summed_difference,
                    "severity_max": d.severity.high,
                    "ischemia": reversibility in (Reversibility.REVERSIBLE, Reversibility.PARTIALLY_REVERSIBLE)
                    and certainty is Certainty.AFFIRMED,
                    "scar": reversibility in (Reversibility.FIXED, Reversibility.PARTIALLY_REVERSIBLE)
                    and certainty is Certainty.AFFIRMED,
                    "possible_attenuation": pattern == "attenuation",
                    "pattern": pattern,
                    "attenuation": attenuation_note,
                    "wall_motion_abnormal": bool(motion) and not normal_motion,
                    **redistribution,
                },
                territory=d.territory,
                segments=d.segments,
                walls=d.walls,
                severity=d.severity,
                extent=d.extent(t),
                reversibility=reversibility,
                certainty=certainty,
                evidence=_defect_evidence(d, later),
                rule="perfusion.defects",
                guideline="ASNC-SPECT-2018",
            )
        )
    for d in equivocal:
        # Mildly reduced (score 1) segments that are the same at rest, move and thicken normally and lie
        # under a recorded attenuation artifact (or the usual site) are that attenuation (ASNC-SPECT-2018).
        fixed = d.rest_scores is not None and d.rest_scores == d.stress_scores
        normal_motion = bool(motion) and all(motion.get(n) is WallMotion.NORMAL for n in d.segments)
        out.append(
            Finding(
                code=C.PERFUSION_EQUIVOCAL_REGION,
                section=S.PERFUSION,
                values={
                    "n_segments": len(d.segments),
                    "attenuation": _attenuation_name(study, d, attenuation) if fixed and normal_motion else None,
                },
                territory=d.territory,
                segments=d.segments,
                reversibility=Reversibility.FIXED if fixed else None,
                walls=d.walls,
                severity=SeverityRange(Severity.MILD, Severity.MILD),
                certainty=Certainty.UNCERTAIN,
                evidence=_defect_evidence(d, later),
                rule="perfusion.defects",
                guideline="ASNC-SPECT-2018",
            )
        )
    if not defects and not equivocal and p.segments:
        out.append(
            Finding(
                code=C.PERFUSION_NORMAL,
                section=S.PERFUSION,
                values={},
                certainty=Certainty.NEGATED,
                evidence=("perfusion.segments",),
                rule="perfusion.defects",
                guideline="ASNC-SPECT-2018",
            )
        )
    sss, srs, sds = p.sss, p.srs, p.sds
    if sss is not None:
        out.append(
            Finding(
                code=C.SUMMED_SCORES,
                section=S.PERFUSION,
                values={
                    "sss": sss,
                    "srs": srs,
                    "sds": sds,
                    "sss_category": t.sss_category(sss),
                    **_redistribution_scored(study),
                },
                evidence=(
                    "perfusion.summed_stress_score",
                    "perfusion.summed_rest_score",
                    "perfusion.summed_difference_score",
                    "perfusion.segments",
                ),
                rule="perfusion.summed_scores",
                guideline="ASNC-SPECT-2018",
            )
        )
    if p.stress_tpd_percent is not None:
        out.append(
            Finding(
                code=C.TOTAL_PERFUSION_DEFICIT,
                section=S.PERFUSION,
                values={
                    "stress": p.stress_tpd_percent,
                    "rest": p.rest_tpd_percent,
                    "ischemic": p.ischemic_tpd_percent,
                    "abnormal": p.stress_tpd_percent >= t.tpd_abnormal_percent,
                    "abnormal_percent": t.tpd_abnormal_percent,
                },
                evidence=(
                    "perfusion.stress_tpd_percent",
                    "perfusion.rest_tpd_percent",
                    "perfusion.ischemic_tpd_percent",
                ),
                rule="perfusion.tpd",
                guideline="SLOMKA-2005",
            )
        )
    if p.rv_uptake is RvUptake.INCREASED:
        # increased RV uptake: RV hypertrophy or pressure overload (pulmonary hypertension), a finding of its own
        out.append(
            Finding(
                code=C.RV_UPTAKE,
                section=S.ANCILLARY,
                values={"uptake": p.rv_uptake.value},
                evidence=("perfusion.rv_uptake",),
                rule="perfusion.rv_uptake",
                guideline="ASNC-SPECT-2018",
            )
        )
    out.extend(_ischemic_burden(study, t))
    return out


def _ischemic_burden(study: Study, t: Thresholds) -> list[Finding]:
    """The one "% of the LV" the report gives: ischemic myocardium = SDS / 68 (or ischemic TPD).

    HACHAMOVITCH-2003 defines the ischemic burden as the summed difference score over the maximum
    summed score of 68 (17 segments x 4); scar, where a defect has a fixed component, as SRS / 68.
    ``ischemia`` is False below ``ischemia_min_sds`` (the report then says "no ischemia").
    """
    p = study.perfusion
    sds = p.sds
    if p.ischemic_tpd_percent is not None:
        percent, basis = p.ischemic_tpd_percent, "ischemic TPD"
        evidence: tuple[str, ...] = ("perfusion.ischemic_tpd_percent",)
        ischemia = percent >= t.tpd_abnormal_percent if sds is None else sds >= t.ischemia_min_sds
    elif sds is not None:
        percent, basis = myocardium_percent(max(sds, 0)), "SDS"
        evidence = ("perfusion.summed_difference_score", "perfusion.segments")
        ischemia = sds >= t.ischemia_min_sds
    else:
        return []
    defects, _ = _defects(study, t)
    fixed_component = any(
        d.reversibility in (Reversibility.FIXED, Reversibility.PARTIALLY_REVERSIBLE) for d in defects
    ) or (not p.segments and (p.srs or 0) >= t.scar_min_srs)
    scar = myocardium_percent(p.srs) if p.srs is not None and fixed_component else None
    return [
        Finding(
            code=C.ISCHEMIC_BURDEN,
            section=S.PERFUSION,
            values={
                "ischemic_percent": percent,
                "basis": basis,
                "category": t.ischemic_category(percent),
                "scar_percent": scar,
                "ischemia": ischemia,
                "sds": sds,
                "srs": p.srs,
                "max_score": MAX_SUMMED_SCORE,
                **_redistribution_scored(study),
            },
            evidence=evidence,
            rule="perfusion.ischemic_burden",
            guideline="HACHAMOVITCH-2003",
        )
    ]


def _lvef_category(lvef: float, lower_normal: float, t: Thresholds) -> LvefGrade:
    if lvef >= lower_normal:
        return LvefGrade.NORMAL
    if lvef >= t.lvef_moderate_below:
        return LvefGrade.MILDLY_REDUCED
    return LvefGrade.MODERATELY_REDUCED if lvef >= t.lvef_severe_below else LvefGrade.SEVERELY_REDUCED


def _function(study: Study, t: Thresholds) -> list[Finding]:
    f = study.function
    if f is None:
        return []
    out: list[Finding] = []
    lower = t.lvef_lower_normal_male if study.patient.sex.value == "male" else t.lvef_lower_normal_female
    pet = study.procedure.modality is Modality.PET
    if f.lvef_percent is not None:
        # PET (Rb-82) gates at peak stress: function is graded on the rest LVEF and the peak-stress
        # LVEF is read as the LVEF reserve (SNMMI-ASNC-PET-FLOW-2018, DORBALA-2007); SPECT gates after
        # stress and grades the post-stress LVEF (ASNC-SPECT-2018), unless it is >= lvef_drop_points
        # below the rest LVEF: then the post-stress LVEF shows post-ischemic stunning, not the resting
        # function (JOHNSON-1997), and function is graded on the rest LVEF.
        stunned = (
            not pet
            and f.stress_lvef_percent is not None
            and f.rest_lvef_percent is not None
            and f.rest_lvef_percent - f.stress_lvef_percent >= t.lvef_drop_points
        )
        if (pet or stunned) and f.rest_lvef_percent is not None:
            main, main_phase, other = f.rest_lvef_percent, "rest", f.stress_lvef_percent
        else:
            main = f.lvef_percent
            main_phase = ("peak-stress" if pet else "post-stress") if f.stress_lvef_percent is not None else "rest"
            other = f.rest_lvef_percent if main_phase != "rest" else None
        values: dict[str, object] = {
            "lvef": main,
            "phase": main_phase,
            "category": _lvef_category(main, lower, t),
            "lower_normal": lower,
            "rest_lvef": other if main_phase != "rest" else None,
            "stress_lvef": other if main_phase == "rest" else None,
            "stress_phase": "peak-stress" if pet else "post-stress",
            "lvef_reserve": round(f.stress_lvef_percent - f.rest_lvef_percent, 1)
            if pet and f.stress_lvef_percent is not None and f.rest_lvef_percent is not None
            else None,
        }
        out.append(
            Finding(
                code=C.LVEF,
                section=S.FUNCTION,
                values=values,
                evidence=("function.stress_lvef_percent", "function.rest_lvef_percent", "patient.sex"),
                rule="function.lvef",
                guideline="ASE-EACVI-2015",
            )
        )
        if f.stress_lvef_percent is not None and f.rest_lvef_percent is not None:
            drop = round(f.rest_lvef_percent - f.stress_lvef_percent, 1)
            if pet and -drop < t.pet_lvef_reserve_normal_min:
                # DORBALA-2007: a falling LVEF marks extensive ischemia, most often left-main or multivessel
                # disease; where the flow reserve is reduced in one territory only, the sentence does not
                # suggest disease the flow data do not show.
                reduced_flow = {
                    tf.territory
                    for tf in (study.flow.territories if study.flow else ())
                    if tf.flow_reserve is not None and tf.flow_reserve < t.mfr_reduced_below
                }
                out.append(
                    Finding(
                        code=C.POST_STRESS_LVEF_DROP,
                        section=S.FUNCTION,
                        values={
                            "drop_points": drop,
                            "rest": f.rest_lvef_percent,
                            "stress": f.stress_lvef_percent,
                            "pet": True,
                            "reserve": round(-drop, 1),
                            "single_territory": len(reduced_flow) == 1,
                            # smaller than the drop that means stunning on gated images (JOHNSON-1997)
                            "minor": drop < t.lvef_drop_points,
                            "abnormal": True,
                        },
                        evidence=("function.stress_lvef_percent", "function.rest_lvef_percent"),
                        rule="function.lvef_reserve",
                        guideline="DORBALA-2007",
                    )
                )
            elif not pet and drop >= t.lvef_drop_points:
                out.append(
                    Finding(
                        code=C.POST_STRESS_LVEF_DROP,
                        section=S.FUNCTION,
                        values={
                            "drop_points": drop,
                            "rest": f.rest_lvef_percent,
                            "stress": f.stress_lvef_percent,
                            "pet": False,
                            "reserve": None,
                            "abnormal": True,
                        },
                        evidence=("function.stress_lvef_percent", "function.rest_lvef_percent"),
                        rule="function.lvef_drop",
                        guideline="JOHNSON-1997",
                    )
                )
    edv, esv = (f.stress_edv_ml, f.stress_esv_ml) if f.stress_edv_ml is not None else (f.rest_edv_ml, f.rest_esv_ml)
    if edv is not None or esv is not None:
        phase = "post-stress" if f.stress_edv_ml is not None or f.stress_esv_ml is not None else "rest"
        out.append(
            Finding(
                code=C.LV_VOLUMES,
                section=S.FUNCTION,
                values={
                    "edv_ml": edv,
                    "esv_ml": esv,
                    "phase": phase,
                    # SHARIR-1999 measured post-stress ESV on gated SPECT; PET gates at peak stress, where
                    # the threshold was never set
                    "esv_high_risk": phase == "post-stress"
                    and not pet
                    and esv is not None
                    and esv > t.high_risk_esv_ml,
                    "esv_limit_ml": t.high_risk_esv_ml,
                },
                evidence=(
                    f"function.{'stress' if phase == 'post-stress' else 'rest'}_edv_ml",
                    f"function.{'stress' if phase == 'post-stress' else 'rest'}_esv_ml",
                ),
                rule="function.volumes",
                guideline="SHARIR-1999",
            )
        )
    if not f.wall_motion:
        out.append(
            Finding(
                code=C.WALL_MOTION,
                section=S.FUNCTION,
                values={"not_assessed": True, "motion": None, "matches_defects": False, "outside_defects": ()},
                certainty=Certainty.UNCERTAIN,
                evidence=("function.wall_motion",),
                rule="function.wall_motion",
                guideline="ASNC-REPORTING-2009",
            )
        )
    if f.wall_motion:
        abnormal = tuple(sorted(w.segment for w in f.wall_motion if w.motion is not WallMotion.NORMAL))
        defect_segments = {n for d in _defects(study, t)[0] for n in d.segments}
        worst = max((w.motion for w in f.wall_motion), key=list(WallMotion).index)
        out.append(
            Finding(
                code=C.WALL_MOTION,
                section=S.FUNCTION,
                values={
                    "not_assessed": False,
                    "motion": worst.value,
                    "matches_defects": bool(abnormal) and set(abnormal) <= defect_segments,
                    "outside_defects": tuple(n for n in abnormal if n not in defect_segments),
                },
                segments=abnormal,
                walls=walls_of(abnormal),
                certainty=Certainty.AFFIRMED if abnormal else Certainty.NEGATED,
                evidence=("function.wall_motion",),
                rule="function.wall_motion",
            )
        )
    if f.tid_ratio is not None:
        limit = t.tid_limit(
            study.procedure.modality.value,
            tracer_family(study.procedure.stress_tracer),
            study.procedure.protocol.value,
            "exercise" if study.stress_test.type is StressType.EXERCISE else "pharmacologic",
        )
        out.append(
            Finding(
                code=C.TID,
                section=S.FUNCTION,
                values={
                    "ratio": f.tid_ratio,
                    "upper_normal": limit.upper_normal,
                    "abnormal": f.tid_ratio > limit.upper_normal,
                    "limit_source": limit.source,
                },
                certainty=Certainty.AFFIRMED if f.tid_ratio > limit.upper_normal else Certainty.NEGATED,
                evidence=("function.tid_ratio", "procedure", "stress.type"),
                rule="function.tid",
                guideline="TID-ABIDOV-2003",
            )
        )
    if f.lung_heart_ratio is not None:
        out.append(
            Finding(
                code=C.LUNG_HEART_RATIO,
                section=S.ANCILLARY,
                values={
                    "ratio": f.lung_heart_ratio,
                    "upper_normal": t.lung_heart_ratio_upper,
                    "abnormal": f.lung_heart_ratio > t.lung_heart_ratio_upper,
                },
                evidence=("function.lung_heart_ratio",),
                rule="function.lung_uptake",
                guideline="LUNG-HEART-TL201",
            )
        )
    return out


def tracer_family(tracer: Tracer) -> str:
    """The tracer family a TID limit row names ('Tc-99m', 'Tl-201', 'Rb-82', 'N-13', 'F-18')."""
    return {"Tc": "Tc-99m", "Tl": "Tl-201", "Rb": "Rb-82", "N-": "N-13", "F-": "F-18"}[tracer.value[:2]]


def _mfr_category(mfr: float, t: Thresholds) -> MfrCategory:
    if mfr < t.mfr_severe_below:
        return MfrCategory.SEVERELY_REDUCED
    return MfrCategory.REDUCED if mfr < t.mfr_reduced_below else MfrCategory.NORMAL


def _flow(study: Study, t: Thresholds) -> list[Finding]:
    fl = study.flow
    if fl is None:
        return []
    out: list[Finding] = []
    global_mfr = fl.flow_reserve
    if global_mfr is not None:
        out.append(
            Finding(
                code=C.FLOW_GLOBAL,
                section=S.FLOW,
                values={
                    "rest_mbf": fl.rest_mbf_ml_min_g,
                    "stress_mbf": fl.stress_mbf_ml_min_g,
                    "mfr": global_mfr,
                    "category": _mfr_category(global_mfr, t),
                },
                evidence=("flow.rest_mbf_ml_min_g", "flow.stress_mbf_ml_min_g", "flow.mfr"),
                rule="flow.global",
                guideline="SNMMI-ASNC-PET-FLOW-2018",
            )
        )
    reduced = []
    for i, tf in enumerate(fl.territories):
        mfr = tf.flow_reserve
        if mfr is None:
            continue
        category = _mfr_category(mfr, t)
        if category is not MfrCategory.NORMAL:
            reduced.append(tf.territory)
        out.append(
            Finding(
                code=C.FLOW_REGIONAL,
                section=S.FLOW,
                territory=tf.territory,
                values={
                    "rest_mbf": tf.rest_mbf_ml_min_g,
                    "stress_mbf": tf.stress_mbf_ml_min_g,
                    "mfr": mfr,
                    "category": category,
                },
                evidence=(f"flow.territories[{i}]",),
                rule="flow.regional",
                guideline="SNMMI-ASNC-PET-FLOW-2018",
            )
        )
    defects, _ = _defects(study, t)
    sss = study.perfusion.sss
    perfusion_near_normal = not defects and (sss is None or t.sss_category(sss) is SssCategory.NORMAL)
    all_reduced = (global_mfr is not None and global_mfr < t.mfr_reduced_below) and (
        not fl.territories or len(set(reduced)) == len(fl.territories)
    )
    if all_reduced and perfusion_near_normal:
        _, equivocal = _defects(study, t)
        ca = study.calcium
        out.append(
            Finding(
                code=C.FLOW_BALANCED_REDUCTION,
                section=S.FLOW,
                values={
                    "mfr": global_mfr,
                    "territories": tuple(tf.territory.value for tf in fl.territories),
                    "perfusion_normal": not equivocal and not sss,
                    # A globally reduced flow reserve with no coronary calcium favours diffuse microvascular
                    # dysfunction over balanced obstructive disease (SNMMI-ASNC-PET-FLOW-2018).
                    "calcium_absent": ca is not None
                    and (
                        ca.agatston_total == 0
                        if ca.agatston_total is not None
                        else ca.visual_grade is CacVisualGrade.NONE
                    ),
                },
                certainty=Certainty.UNCERTAIN,
                evidence=("flow", "perfusion"),
                rule="flow.balanced",
                guideline="SNMMI-ASNC-PET-FLOW-2018",
            )
        )
    return out


def _calcium(study: Study, t: Thresholds) -> list[Finding]:
    ca = study.calcium
    if ca is None:
        return []
    if ca.agatston_total is not None:
        values: dict[str, object] = {
            "agatston": ca.agatston_total,
            "category": t.cac_category(ca.agatston_total),
            "by_vessel": tuple(sorted(ca.agatston_by_vessel.items())),
            "visual": None,
            "acquisition": ca.acquisition.value if ca.acquisition else None,
        }
        evidence: tuple[str, ...] = ("calcium.agatston_total", "calcium.agatston_by_vessel")
        guideline = "CAC-DRS-2018"
    else:
        assert ca.visual_grade is not None
        values = {
            "agatston": None,
            "category": ca.visual_grade.value,
            "by_vessel": (),
            "visual": True,
            "acquisition": ca.acquisition.value if ca.acquisition else None,
        }
        evidence, guideline = ("calcium.visual_grade",), "SCCT-STR-2016"
    return [
        Finding(
            code=C.CALCIUM,
            section=S.ANCILLARY,
            values=values,
            certainty=Certainty.NEGATED if values["category"] in ("none", t.cac_bands[0].label) else Certainty.AFFIRMED,
            evidence=evidence,
            rule="calcium",
            guideline=guideline,
        )
    ]


# --- comparison with a prior study ---------------------------------------------------------

_WALL_TERRITORY: dict[Wall, Territory] = {}
for _seg in SEGMENTS.values():
    _WALL_TERRITORY.setdefault(_seg.wall, _seg.territory)


def prior_defects(prior: PriorStudy, t: Thresholds) -> dict[Territory, PriorDefect] | None:
    """The prior's defects by territory, derived from its segment scores when it has them."""
    if prior.perfusion is not None and prior.perfusion.segments:
        # a prior has no protocol: its rest scores, else its Tl-201 redistribution scores, are its later images
        found, _ = find_defects(prior.perfusion, t, "rest" if prior.perfusion.has_rest else "redistribution")
        return {
            d.territory: PriorDefect(
                territory=d.territory,
                walls=d.walls,
                severity=d.severity.high,
                extent=d.extent(t),
                reversibility=d.reversibility,
            )
            for d in found
        }
    if prior.defects is not None:
        out: dict[Territory, PriorDefect] = {}
        for d in prior.defects:
            territory = d.territory or next((_WALL_TERRITORY[w] for w in d.walls), None)
            if territory is not None:
                out.setdefault(territory, d)
        return out
    if prior.perfusion_result == PerfusionResult.NORMAL:
        return {}
    return None


def _comparison(study: Study, t: Thresholds) -> list[Finding]:
    prior = study.prior
    if prior is None:
        return [
            Finding(
                code=C.COMPARISON_NONE,
                section=S.COMPARISON,
                values={},
                certainty=Certainty.NEGATED,
                evidence=("prior",),
                rule="comparison",
            )
        ]
    out: list[Finding] = []
    date = prior.study_date.isoformat() if prior.study_date else None
    before = prior_defects(prior, t)
    now = {d.territory: d for d in _defects(study, t)[0]}
    # A prior reported abnormal with no defect location cannot be compared territory by territory:
    # say so rather than call every current defect new (ASNC-REPORTING-2009: compare like with like).
    unlocated = (
        prior.perfusion_result in (PerfusionResult.ABNORMAL, PerfusionResult.EQUIVOCAL)
        and not (prior.perfusion is not None and prior.perfusion.segments)
        and not before
    )
    if unlocated:
        out.append(
            Finding(
                code=C.COMPARISON_LOCATION_UNKNOWN,
                section=S.COMPARISON,
                values={"prior_date": date, "prior_result": prior.perfusion_result, "current_defects": len(now)},
                certainty=Certainty.UNCERTAIN,
                evidence=("prior.perfusion_result", "prior.defects"),
                rule="comparison.defects",
                guideline="ASNC-REPORTING-2009",
            )
        )
        before = None
    if before is not None:
        for territory in Territory:
            cur, old = now.get(territory), before.get(territory)
            if cur is None and old is None:
                continue
            evidence = ("prior.perfusion", "prior.defects", "perfusion.segments")
            changes: tuple[dict[str, object], ...] = ()
            if old is None and cur is not None:
                code = C.COMPARISON_DEFECT_NEW
            elif cur is None or old is None:
                code = C.COMPARISON_DEFECT_RESOLVED
            else:
                changes = _defect_changes(cur, old, t)
                code = C.COMPARISON_DEFECT_CHANGED if changes else C.COMPARISON_DEFECT_UNCHANGED
            out.append(
                Finding(
                    code=code,
                    section=S.COMPARISON,
                    territory=territory,
                    walls=cur.walls if cur else old.walls if old else (),
                    reversibility=cur.reversibility if cur else old.reversibility if old else None,
                    values={"prior_date": date, "changes": changes},
                    evidence=evidence,
                    rule="comparison.defects",
                    guideline="ASNC-SPECT-2018",
                )
            )
    cur_burden = _ischemic_burden(study, t)
    prior_burden = None
    if prior.perfusion is not None and prior.perfusion.sds is not None:
        prior_burden = myocardium_percent(max(prior.perfusion.sds, 0))
    if cur_burden and prior_burden is not None:
        now_pct = float(cur_burden[0].values["ischemic_percent"])  # type: ignore[arg-type]
        delta = round(now_pct - prior_burden, 1)
        out.append(
            Finding(
                code=C.COMPARISON_ISCHEMIA,
                section=S.COMPARISON,
                values={
                    "prior_percent": prior_burden,
                    "current_percent": now_pct,
                    "delta": delta,
                    "direction": _direction(delta, t.comparison_ischemia_change_percent),
                    "threshold": t.comparison_ischemia_change_percent,
                },
                evidence=("prior.perfusion", "perfusion"),
                rule="comparison.ischemia",
                guideline="ASNC-SPECT-2018",
            )
        )
    f = study.function
    lvef_now = f.lvef_percent if f else None
    if f is not None and lvef_now is not None and prior.lvef_percent is not None:
        delta = round(lvef_now - prior.lvef_percent, 1)
        direction = _direction(delta, t.comparison_lvef_change_points)
        # A post-stress LVEF lowered by stunning (JOHNSON-1997) beside a rest LVEF within reproducibility of
        # the prior is not a lower resting function: the sentence says which it is.
        stunning_rest = (
            f.rest_lvef_percent
            if (
                study.procedure.modality is not Modality.PET
                and direction is ChangeDirection.DECREASED
                and f.stress_lvef_percent is not None
                and f.rest_lvef_percent is not None
                and f.rest_lvef_percent - f.stress_lvef_percent >= t.lvef_drop_points
                and abs(f.rest_lvef_percent - prior.lvef_percent) < t.comparison_lvef_change_points
            )
            else None
        )
        out.append(
            Finding(
                code=C.COMPARISON_LVEF,
                section=S.COMPARISON,
                values={
                    "prior": prior.lvef_percent,
                    "current": lvef_now,
                    "delta": delta,
                    "direction": direction,
                    "stunning_rest": stunning_rest,
                    "threshold": t.comparison_lvef_change_points,
                },
                evidence=("prior.lvef_percent", "function"),
                rule="comparison.lvef",
                guideline="ASNC-SPECT-2018",
            )
        )
    changed = [
        f
        for f in out
        if f.code in (C.COMPARISON_DEFECT_NEW, C.COMPARISON_DEFECT_RESOLVED, C.COMPARISON_DEFECT_CHANGED)
        or f.values.get("direction") in (ChangeDirection.INCREASED, ChangeDirection.DECREASED)
    ]
    if out:
        out.append(
            Finding(
                code=C.COMPARISON_OVERALL,
                section=S.IMPRESSION,
                values={
                    "changed": bool(changed) if changed or not unlocated else None,
                    "prior_date": date,
                    "changes": tuple(_change_summary(f) for f in changed),
                    "prior_unlocated": unlocated,
                },
                evidence=("prior",),
                rule="comparison",
            )
        )
    else:
        out.append(
            Finding(
                code=C.COMPARISON_OVERALL,
                section=S.IMPRESSION,
                values={"changed": None, "prior_date": date, "changes": (), "prior_unlocated": False},
                certainty=Certainty.UNCERTAIN,
                evidence=("prior",),
                rule="comparison",
            )
        )
    return out


def _change_summary(f: Finding) -> dict[str, object]:
    """One item of COMPARISON_OVERALL's ``changes``: a ComparisonChange with its particulars."""
    territory = f.territory.value if f.territory else None
    if f.code is C.COMPARISON_DEFECT_NEW:
        return {"change": ComparisonChange.NEW_DEFECT, "territory": territory}
    if f.code is C.COMPARISON_DEFECT_RESOLVED:
        return {"change": ComparisonChange.RESOLVED_DEFECT, "territory": territory}
    if f.code is C.COMPARISON_DEFECT_CHANGED:
        return {"change": ComparisonChange.CHANGED_DEFECT, "territory": territory, "changes": f.values["changes"]}
    if f.code is C.COMPARISON_ISCHEMIA:
        return {"change": ComparisonChange.ISCHEMIA, "direction": f.values["direction"]}
    return {
        "change": ComparisonChange.LVEF,
        "direction": f.values["direction"],
        "stunning": f.values.get("stunning_rest") is not None,
    }


def _direction(delta: float, threshold: float) -> ChangeDirection:
    if delta >= threshold:
        return ChangeDirection.INCREASED
    return ChangeDirection.DECREASED if delta <= -threshold else ChangeDirection.UNCHANGED


def _defect_changes(cur: Defect, old: PriorDefect, t: Thresholds) -> tuple[dict[str, object], ...]:
    """How a territory's defect differs from the prior's: DefectChange items, in a fixed order."""
    changes: list[dict[str, object]] = []
    order = list(Severity)
    if old.severity is not None and cur.severity.high is not old.severity:
        worse = order.index(cur.severity.high) > order.index(old.severity)
        changes.append({"change": DefectChange.MORE_SEVERE if worse else DefectChange.LESS_SEVERE})
    extents = list(Extent)
    if old.extent is not None and cur.extent(t) is not old.extent:
        larger = extents.index(cur.extent(t)) > extents.index(old.extent)
        changes.append({"change": DefectChange.LARGER if larger else DefectChange.SMALLER})
    if old.reversibility is not None and cur.reversibility is not None and cur.reversibility is not old.reversibility:
        changes.append(
            {"change": DefectChange.REVERSIBILITY, "now": cur.reversibility, "previously": old.reversibility}
        )
    return tuple(changes)


# --- summary rules: read the findings above ------------------------------------------------


def _first(findings: Sequence[Finding], code: FindingCode) -> Finding | None:
    return next((f for f in findings if f.code is code), None)


def _all(findings: Sequence[Finding], code: FindingCode) -> list[Finding]:
    return [f for f in findings if f.code is code]


def _high_risk(study: Study, t: Thresholds, found: Sequence[Finding]) -> list[Finding]:
    """One HIGH_RISK_FEATURE per feature present: ``{"feature": HighRiskFeature, ...its numbers}``."""
    H = HighRiskFeature
    features: list[tuple[dict[str, object], tuple[str, ...], str]] = []
    burden = _first(found, C.ISCHEMIC_BURDEN)
    if burden and float(burden.values["ischemic_percent"]) >= t.high_risk_ischemic_percent:  # type: ignore[arg-type]
        features.append(
            (
                {
                    "feature": H.ISCHEMIC_BURDEN,
                    "ischemic_percent": burden.values["ischemic_percent"],
                    "threshold": t.high_risk_ischemic_percent,
                },
                burden.evidence,
                "ESC-CCS-2019",
            )
        )
    defects = [d for d in _all(found, C.PERFUSION_DEFECT) if d.certainty is Certainty.AFFIRMED]
    # ACC-AHA-SIHD-2012 grades *stress-induced* abnormalities in several territories as high risk and a resting
    # abnormality only "in patients without prior history or evidence of MI": with a known MI, its fixed defect
    # is the infarct's resting abnormality: one territory of ischemia beside it stays intermediate, and a large
    # infarct alone is graded by the LV function it leaves (LVEF 35-49 % intermediate, < 35 % high)
    beyond_infarct = [d for d in defects if not (study.clinical.prior_mi and d.reversibility is Reversibility.FIXED)]
    if len({d.territory for d in beyond_infarct}) >= 2:
        features.append(
            (
                {
                    "feature": H.MULTIVESSEL_DEFECTS,
                    "territories": tuple(d.territory.value for d in beyond_infarct if d.territory),
                },
                tuple(e for d in beyond_infarct for e in d.evidence[:1]),
                "ACC-AHA-SIHD-2012",
            )
        )
    for d in beyond_infarct:
        if d.extent is Extent.LARGE:
            features.append(
                (
                    {"feature": H.LARGE_DEFECT, "territory": d.territory.value if d.territory else None},
                    d.evidence[:1],
                    "ACC-AHA-SIHD-2012",
                )
            )
    tid = _first(found, C.TID)
    if tid and tid.values["abnormal"]:
        features.append(
            ({"feature": H.TRANSIENT_ISCHEMIC_DILATION, "ratio": tid.values["ratio"]}, tid.evidence, "TID-ABIDOV-2003")
        )
    lvef = _first(found, C.LVEF)
    if lvef:
        # SPECT: the post-stress LVEF counts even where function is graded on the rest LVEF (stunning):
        # severe stress-induced LV dysfunction is high risk too (ACC-AHA-SIHD-2012, SHARIR-1999).
        stress_lvef = lvef.values.get("stress_lvef") if lvef.values.get("stress_phase") == "post-stress" else None
        candidates = [
            (lvef.values["lvef"], lvef.values["phase"]),
            (lvef.values.get("rest_lvef"), "rest"),
            (stress_lvef, "post-stress"),
        ]
        worst, worst_phase = min(
            ((float(v), ph) for v, ph in candidates if v is not None),  # type: ignore[arg-type]
            key=lambda c: c[0],
        )
        if worst < t.high_risk_lvef_below:
            features.append(
                (
                    {
                        "feature": H.LOW_LVEF,
                        "lvef": worst,
                        "threshold": t.high_risk_lvef_below,
                        "phase": worst_phase if stress_lvef is not None else None,
                    },
                    lvef.evidence,
                    "ACC-AHA-SIHD-2012",
                )
            )
    drop = _first(found, C.POST_STRESS_LVEF_DROP)
    # A PET LVEF that falls at peak stress marks left-main or multivessel disease (DORBALA-2007). A fall smaller
    # than the drop that means stunning on gated images (JOHNSON-1997, lvef_drop_points), where the flow reserve
    # is reduced in one territory only, is within the measurement's variability and the flow data show no
    # multivessel disease: a finding, not a high-risk feature.
    if drop and not (drop.values["pet"] and drop.values.get("single_territory") and drop.values.get("minor")):
        features.append(
            (
                {
                    "feature": H.POST_STRESS_LVEF_DROP,
                    "drop_points": drop.values["drop_points"],
                    "pet": drop.values["pet"],
                },
                drop.evidence,
                "JOHNSON-1997",
            )
        )
    volumes = _first(found, C.LV_VOLUMES)
    if volumes and volumes.values["esv_high_risk"]:
        features.append(
            (
                {"feature": H.HIGH_ESV, "esv_ml": volumes.values["esv_ml"], "threshold": t.high_risk_esv_ml},
                volumes.evidence,
                "SHARIR-1999",
            )
        )
    lung = _first(found, C.LUNG_HEART_RATIO)
    if lung and lung.values["abnormal"]:
        features.append(({"feature": H.LUNG_UPTAKE, "ratio": lung.values["ratio"]}, lung.evidence, "LUNG-HEART-TL201"))
    duke = _first(found, C.DUKE_SCORE)
    if duke and duke.values["category"] == DukeCategory.HIGH:
        features.append(({"feature": H.DUKE_HIGH_RISK, "score": duke.values["score"]}, duke.evidence, "DUKE-1991"))
    bp = _first(found, C.STRESS_BLOOD_PRESSURE)
    if bp and bp.values["hypotensive"]:
        features.append(({"feature": H.EXERCISE_HYPOTENSION}, bp.evidence, "ACC-AHA-EXERCISE-2002"))
    flow = _first(found, C.FLOW_GLOBAL)
    if flow and flow.values["category"] == MfrCategory.SEVERELY_REDUCED:
        features.append(
            ({"feature": H.SEVERELY_REDUCED_MFR, "mfr": flow.values["mfr"]}, flow.evidence, "SNMMI-ASNC-PET-FLOW-2018")
        )
    return [
        Finding(
            code=C.HIGH_RISK_FEATURE,
            section=S.IMPRESSION,
            values=values,
            evidence=evidence,
            rule="risk.high_risk_features",
            guideline=guideline,
        )
        for values, evidence, guideline in features
    ]


def _perfusion_category(study: Study, t: Thresholds, found: Sequence[Finding]) -> PerfusionResult:
    R = PerfusionResult
    p = study.perfusion
    if p.image_quality is ImageQuality.NONDIAGNOSTIC:
        return R.NONDIAGNOSTIC
    defects = _all(found, C.PERFUSION_DEFECT)
    sss = p.sss
    sss_abnormal = sss is not None and t.sss_category(sss) is not SssCategory.NORMAL
    tpd = _first(found, C.TOTAL_PERFUSION_DEFICIT)
    if any(d.certainty is Certainty.AFFIRMED for d in defects):
        return R.ABNORMAL if sss is None or sss_abnormal else R.EQUIVOCAL
    if defects:  # only defects that may be attenuation
        return R.EQUIVOCAL if sss_abnormal else R.PROBABLY_NORMAL
    if not p.segments and (sss_abnormal or (tpd is not None and tpd.values["abnormal"])):
        return R.ABNORMAL
    if _all(found, C.PERFUSION_EQUIVOCAL_REGION):
        return R.EQUIVOCAL if sss_abnormal else R.PROBABLY_NORMAL
    # An attenuation artifact that leaves every segment normal costs the study nothing (the scores are
    # normal); motion or extracardiac activity may hide a defect, and so may attenuation on poor images.
    uncertain = any(a.kind is not ArtifactKind.ATTENUATION for a in p.artifacts) or (
        bool(p.artifacts) and p.image_quality is ImageQuality.POOR
    )
    return R.PROBABLY_NORMAL if uncertain else R.NORMAL


def _impression(study: Study, t: Thresholds, found: Sequence[Finding]) -> list[Finding]:
    out: list[Finding] = []
    category = _perfusion_category(study, t, found)
    defects = _all(found, C.PERFUSION_DEFECT)
    burden = _first(found, C.ISCHEMIC_BURDEN)
    ischemia = any(d.values["ischemia"] for d in defects) or (
        not study.perfusion.segments and burden is not None and (study.perfusion.sds or 0) >= t.ischemia_min_sds
    )
    scar = any(d.values["scar"] for d in defects) or (
        not study.perfusion.segments and (study.perfusion.srs or 0) >= t.scar_min_srs
    )
    out.append(
        Finding(
            code=C.IMPRESSION_PERFUSION,
            section=S.IMPRESSION,
            values={
                "category": category,
                "ischemia": ischemia if category is not PerfusionResult.NONDIAGNOSTIC else None,
                "scar": scar if category is not PerfusionResult.NONDIAGNOSTIC else None,
                "defects": tuple(_defect_summary(d) for d in defects if d.certainty is Certainty.AFFIRMED),
                "possible_attenuation": tuple(
                    d.territory.value for d in defects if d.values["pattern"] == "attenuation" and d.territory
                ),
                "attenuation": tuple(
                    dict.fromkeys(str(d.values["attenuation"]) for d in defects if d.values["pattern"] == "attenuation")
                ),
                "lbbb_pattern": any(d.values["pattern"] == "lbbb" for d in defects),
                "equivocal_attenuation": tuple(
                    {"walls": tuple(w.value for w in e.walls), "attenuation": e.values["attenuation"]}
                    for e in _all(found, C.PERFUSION_EQUIVOCAL_REGION)
                    if e.values.get("attenuation")
                ),
                "quality_limited": study.perfusion.image_quality is ImageQuality.POOR,
                # Stress-only images with a defect cannot tell ischemia from scar (ASNC-SPECT-2018).
                "stress_only": bool(study.perfusion.segments) and _later_scored(study) is None,
                "balanced_flow": _first(found, C.FLOW_BALANCED_REDUCTION) is not None,
                "ischemic_percent": burden.values["ischemic_percent"] if burden and ischemia else None,
                "ischemic_category": burden.values["category"] if burden and ischemia else None,
            },
            certainty=Certainty.AFFIRMED
            if category in (PerfusionResult.ABNORMAL, PerfusionResult.EQUIVOCAL)
            else Certainty.NEGATED,
            evidence=tuple(dict.fromkeys(e for f in [*defects, *([burden] if burden else [])] for e in f.evidence))
            or ("perfusion",),
            rule="impression.perfusion",
            guideline="ASNC-REPORTING-2009",
        )
    )
    lvef = _first(found, C.LVEF)
    if lvef:
        out.append(
            Finding(
                code=C.IMPRESSION_FUNCTION,
                section=S.IMPRESSION,
                values={
                    "lvef": lvef.values["lvef"],
                    "category": lvef.values["category"],
                    "tid_abnormal": bool((tid := _first(found, C.TID)) and tid.values["abnormal"]),
                    "lvef_drop": _first(found, C.POST_STRESS_LVEF_DROP) is not None,
                    # SPECT graded on the rest LVEF because of stunning: the post-stress LVEF it fell to
                    "stunned_lvef": lvef.values.get("stress_lvef")
                    if lvef.values.get("stress_phase") == "post-stress"
                    else None,
                    # PET only: its function is graded on the rest LVEF, and the sentence says so
                    **({"phase": lvef.values["phase"]} if study.procedure.modality is Modality.PET else {}),
                },
                evidence=lvef.evidence,
                rule="impression.function",
                guideline="ASE-EACVI-2015",
            )
        )
    flow = _first(found, C.FLOW_GLOBAL)
    drop = _first(found, C.POST_STRESS_LVEF_DROP)
    if flow:
        balanced_finding = _first(found, C.FLOW_BALANCED_REDUCTION)
        balanced = balanced_finding is not None
        regional = [f for f in _all(found, C.FLOW_REGIONAL) if f.values["category"] != MfrCategory.NORMAL]
        defect_territories = {d.territory for d in _all(found, C.PERFUSION_DEFECT) if d.certainty is Certainty.AFFIRMED}
        out.append(
            Finding(
                code=C.IMPRESSION_FLOW,
                section=S.IMPRESSION,
                values={
                    "mfr": flow.values["mfr"],
                    "category": flow.values["category"],
                    "reduced_territories": tuple(f.territory.value for f in regional if f.territory),
                    # Each reduced territory with its flow reserve and whether the relative images show
                    # a defect there: a regional reduction matching a defect is its flow correlate.
                    "regional": tuple(
                        {
                            "territory": f.territory.value,
                            "mfr": f.values["mfr"],
                            "category": f.values["category"],
                            "matches_defect": f.territory in defect_territories,
                        }
                        for f in regional
                        if f.territory
                    ),
                    "balanced": balanced,
                    "perfusion_normal": bool(balanced_finding and balanced_finding.values["perfusion_normal"]),
                    "calcium_absent": bool(balanced_finding and balanced_finding.values["calcium_absent"]),
                    "leads": balanced and flow.values["category"] == MfrCategory.SEVERELY_REDUCED,
                    "lvef_reserve_fall": bool(drop and drop.values["pet"]),
                    "tid_abnormal": bool((tid := _first(found, C.TID)) and tid.values["abnormal"]),
                },
                evidence=flow.evidence,
                rule="impression.flow",
                guideline="SNMMI-ASNC-PET-FLOW-2018",
            )
        )
    calcium = _first(found, C.CALCIUM)
    if calcium:
        out.append(
            Finding(
                code=C.IMPRESSION_CALCIUM,
                section=S.IMPRESSION,
                values=dict(calcium.values),
                certainty=calcium.certainty,
                evidence=calcium.evidence,
                rule="impression.calcium",
                guideline=calcium.guideline,
            )
        )
    ecg = _first(found, C.STRESS_ECG)
    hr = _first(found, C.STRESS_HEART_RATE)
    if ecg or (hr and hr.values["adequate"] is not None):
        out.append(
            Finding(
                code=C.IMPRESSION_STRESS,
                section=S.IMPRESSION,
                values={
                    "ecg_response": ecg.values["response"] if ecg else None,
                    "adequate": hr.values["adequate"] if hr else None,
                    "percent_mphr": hr.values["percent_mphr"] if hr else None,
                    "pharmacologic": not study.stress_test.is_exercise,
                    "dobutamine": bool(hr and hr.values["dobutamine"]),
                },
                evidence=(ecg.evidence if ecg else ()) + (hr.evidence if hr else ()),
                rule="impression.stress",
                guideline="ACC-AHA-EXERCISE-2002",
            )
        )
    return out


def _defect_summary(d: Finding) -> dict[str, object]:
    """A PERFUSION_DEFECT as the impression lists it (worded by phrases.j2's ``defect_summary``)."""
    return {
        "extent": d.extent,
        "severity": str(d.severity) if d.severity else None,
        "reversibility": d.reversibility,
        "territory": d.territory.value if d.territory else None,
        "walls": tuple(w.value for w in d.walls),
    }


def _unmatched_regional_flow(found: Sequence[Finding]) -> list[dict[str, object]]:
    """The territories whose flow reserve is reduced where the relative images show no defect, as risk reasons.

    A regional reduction of the flow reserve (and of the stress flow it comes from) in one coronary territory marks
    flow-limiting disease there that relative imaging misses, the more so where the other territories are normal
    and the relative perfusion looks normal (SNMMI-ASNC-PET-FLOW-2018; ASNC-SNMMI-PET-MBF-2021): it raises the risk as
    a reduced global reserve does. A reduction that matches a defect is that defect's flow correlate, which the
    perfusion already grades; a global reduction is graded as such.
    """
    R = RiskReason
    defects = {d.territory for d in _all(found, C.PERFUSION_DEFECT) if d.certainty is Certainty.AFFIRMED}
    return [
        {
            "reason": R.FLOW_RESERVE,
            "category": f.values["category"],
            "mfr": f.values["mfr"],
            "territory": f.territory.value,
        }
        for f in _all(found, C.FLOW_REGIONAL)
        if f.territory is not None and f.values["category"] != MfrCategory.NORMAL and f.territory not in defects
    ]


def _risk(study: Study, t: Thresholds, found: Sequence[Finding]) -> list[Finding]:
    """Annual risk of cardiac death or MI (ACC-AHA-SIHD-2012), with its reasons as coded items.

    Each reason is a high-risk feature's values (``{"feature": ...}``) or ``{"reason": RiskReason, ...}``.
    """
    R = RiskReason
    impression = _first(found, C.IMPRESSION_PERFUSION)
    assert impression is not None
    result = impression.values["category"]
    high = _all(found, C.HIGH_RISK_FEATURE)
    reasons: list[dict[str, object]] = []
    if result == PerfusionResult.NONDIAGNOSTIC:
        category = RiskCategory.INDETERMINATE
        reasons.append({"reason": R.NONDIAGNOSTIC_IMAGES})
    elif high:
        category = RiskCategory.HIGH
        reasons.extend(dict(f.values) for f in high)
    else:
        if result in (PerfusionResult.ABNORMAL, PerfusionResult.EQUIVOCAL):
            reasons.append({"reason": R.PERFUSION, "category": result})
        lvef = _first(found, C.LVEF)
        if lvef and lvef.values["category"] != LvefGrade.NORMAL:
            reasons.append({"reason": R.LVEF, "category": lvef.values["category"], "lvef": lvef.values["lvef"]})
        flow = _first(found, C.FLOW_GLOBAL)
        if flow and flow.values["category"] != MfrCategory.NORMAL:
            reasons.append({"reason": R.FLOW_RESERVE, "category": flow.values["category"], "mfr": flow.values["mfr"]})
        else:
            reasons.extend(_unmatched_regional_flow(found))
        duke = _first(found, C.DUKE_SCORE)
        if duke and duke.values["category"] == DukeCategory.MODERATE and result != PerfusionResult.NORMAL:
            reasons.append({"reason": R.DUKE_INTERMEDIATE, "score": duke.values["score"]})
        category = RiskCategory.INTERMEDIATE if reasons else RiskCategory.LOW
        if not reasons:
            reasons.append({"reason": R.PERFUSION, "category": result})
            if lvef:
                reasons.append({"reason": R.NORMAL_LVEF})
    band = t.annual_risk(category)
    # The event rates of ACC-AHA-SIHD-2012 are those of an average population; they are higher with
    # pharmacologic stress, diabetes, older age and known CAD (HACHAMOVITCH-NORMAL-2003) and with chronic
    # kidney disease (HAKEEM-2008): the sentence names this patient's features instead of a bare rate.
    qualifiers: list[RiskQualifier] = []
    if category in (RiskCategory.LOW, RiskCategory.INTERMEDIATE):
        c = study.clinical
        if not study.stress_test.is_exercise:
            qualifiers.append(RiskQualifier.PHARMACOLOGIC_STRESS)
        if RiskFactor.DIABETES in c.risk_factors:
            qualifiers.append(RiskQualifier.DIABETES)
        if RiskFactor.CKD in c.risk_factors:
            qualifiers.append(RiskQualifier.CKD)
        if study.patient.age_years >= t.risk_older_age_years:
            qualifiers.append(RiskQualifier.OLDER_AGE)
        if c.known_cad or c.prior_mi or c.prior_pci or c.prior_cabg:
            qualifiers.append(RiskQualifier.KNOWN_CAD)
    # Calcium is a separate, long-term risk beside the perfusion risk (CAC-DRS-2018), not a reason of it.
    calcium = _first(found, C.CALCIUM)
    agatston = calcium.values["agatston"] if calcium else None
    calcium_high = agatston is not None and float(agatston) >= t.cac_raises_risk_at  # type: ignore[arg-type]
    return [
        Finding(
            code=C.RISK,
            section=S.IMPRESSION,
            values={
                "category": category,
                "reasons": tuple(reasons),
                "annual_rate_lower": band.lower if band else None,
                "annual_rate_upper": band.upper if band else None,
                "qualifiers": tuple(q.value for q in qualifiers),
                "age_years": study.patient.age_years,
                # Poor images lower the negative predictive value a low or intermediate estimate rests on.
                "quality_limited": category in (RiskCategory.LOW, RiskCategory.INTERMEDIATE)
                and study.perfusion.image_quality is ImageQuality.POOR,
                "calcium_long_term": agatston if calcium_high else None,
                "calcium_threshold": t.cac_raises_risk_at,
            },
            evidence=tuple(dict.fromkeys(e for f in [impression, *high] for e in f.evidence)),
            rule="risk.category",
            guideline="ACC-AHA-SIHD-2012",
        )
    ]


# --- the engine ----------------------------------------------------------------------------

StudyRule = Callable[[Study, Thresholds], list[Finding]]
SummaryRule = Callable[[Study, Thresholds, Sequence[Finding]], list[Finding]]

# --- Tl-201 rest-redistribution (viability) ---------------------------------------------------


def _viability_state(initial: int, later: int, t: Thresholds) -> str:
    """A segment of a rest-redistribution study: "redistribution" (viable, the defect fills in), "scar" (a severe
    defect that stays), or "preserved" (mild or moderate uptake that stays: viable) (DILSIZIAN-BONOW-1993)."""
    if initial >= t.defect_min_segment_score and later < initial:
        return "redistribution"
    if later >= t.viability_scar_min_score:
        return "scar"
    return "preserved"


def _viability(study: Study, t: Thresholds) -> list[Finding]:
    """The defects of the initial rest images, read for viability on the redistribution images.

    No stress was performed, so no statement of ischemia is made: redistribution is viable (hibernating where the
    wall moves abnormally) myocardium, a severe defect without redistribution is scar (ASNC-PROTOCOLS-2016,
    DILSIZIAN-BONOW-1993).
    """
    p = study.perfusion
    out = [_image_quality(p)]
    if p.image_quality is ImageQuality.NONDIAGNOSTIC:
        return out
    scores = p.scores()
    initial = {n: s.rest or 0 for n, s in scores.items()}
    later = {n: s.redistribution or 0 for n, s in scores.items()}
    defects, _ = find_defects(p, t, later=None)  # grouped on the initial rest scores (SegmentScore.initial)
    motion = {w.segment: w.motion for w in study.function.wall_motion} if study.function else {}
    for d in defects:
        state = {n: _viability_state(initial[n], later[n], t) for n in d.segments}
        viable = tuple(n for n in d.segments if state[n] != "scar")
        scar = tuple(n for n in d.segments if state[n] == "scar")
        redistributing = tuple(n for n in d.segments if state[n] == "redistribution")
        dysfunctional = {WallMotion.HYPOKINETIC, WallMotion.AKINETIC, WallMotion.DYSKINETIC}
        out.append(
            Finding(
                code=C.VIABILITY_REGION,
                section=S.PERFUSION,
                values={
                    "n_segments": len(d.segments),
                    "summed_rest": sum(initial[n] for n in d.segments),
                    "summed_redistribution": sum(later[n] for n in d.segments),
                    "redistribution_segments": redistributing,
                    "viable_segments": viable,
                    "scar_segments": scar,
                    "viable_walls": tuple(w.value for w in walls_of(viable)),
                    "scar_walls": tuple(w.value for w in walls_of(scar)),
                    "scar_extent": t.extent_by_segments(len(scar)).value if scar else None,
                    "hibernating": any(motion.get(n) in dysfunctional for n in redistributing),
                    "delay_h": study.procedure.redistribution_delay_h,
                },
                territory=d.territory,
                segments=d.segments,
                walls=d.walls,
                severity=d.severity,
                extent=d.extent(t),
                evidence=tuple(
                    f"perfusion.segments[{n}].{images}" for images in ("rest", "redistribution") for n in d.segments
                ),
                rule="perfusion.viability",
                guideline="DILSIZIAN-BONOW-1993",
            )
        )
    rest_sum, later_sum = sum(initial.values()), sum(later.values())
    out.append(
        Finding(
            code=C.VIABILITY_SCORES,
            section=S.PERFUSION,
            values={
                "summed_rest": rest_sum,
                "summed_redistribution": later_sum,
                "difference": rest_sum - later_sum,
                "rest_percent": myocardium_percent(rest_sum),
                "max_score": MAX_SUMMED_SCORE,
            },
            evidence=("perfusion.segments",),
            rule="perfusion.viability_scores",
            guideline="ASNC-PROTOCOLS-2016",
        )
    )
    return out


def _resting_ecg(study: Study, t: Thresholds) -> list[Finding]:
    """The resting ECG of a study without a stress test (ASNC-REPORTING-2009 names the baseline ECG)."""
    ecg = study.clinical.resting_ecg
    if ecg is None:
        return []
    return [
        Finding(
            code=C.BASELINE_ECG,
            section=S.INDICATION,
            values={"baseline": ecg.value, "rest_only": True},
            certainty=Certainty.NEGATED if ecg is BaselineEcg.NORMAL else Certainty.AFFIRMED,
            evidence=("clinical.resting_ecg",),
            rule="indication.resting_ecg",
            guideline="ASNC-REPORTING-2009",
        )
    ]


def _viability_impression(study: Study, t: Thresholds, found: Sequence[Finding]) -> list[Finding]:
    """The impression of a viability study: viable and scarred territories, and LV function; no ischemia, no stress
    and no stress-test risk category (the ACC-AHA-SIHD-2012 table grades stress results)."""
    regions = _all(found, C.VIABILITY_REGION)
    out: list[Finding] = []
    if _first(found, C.IMAGE_QUALITY) is not None:
        out.append(
            Finding(
                code=C.IMPRESSION_VIABILITY,
                section=S.IMPRESSION,
                values={
                    "regions": tuple(
                        {
                            "territory": r.territory.value if r.territory else None,
                            "extent": r.extent.value if r.extent else None,
                            "severity": str(r.severity) if r.severity else None,
                            "walls": tuple(w.value for w in r.walls),
                            "viable_walls": r.values["viable_walls"],
                            "scar_walls": r.values["scar_walls"],
                            "scar_extent": r.values["scar_extent"],
                            "redistribution": bool(r.values["redistribution_segments"]),
                            "hibernating": r.values["hibernating"],
                        }
                        for r in regions
                    ),
                    "nondiagnostic": study.perfusion.image_quality is ImageQuality.NONDIAGNOSTIC,
                },
                evidence=tuple(e for r in regions for e in r.evidence) or ("perfusion.image_quality",),
                rule="impression.viability",
                guideline="DILSIZIAN-BONOW-1993",
            )
        )
    lvef = _first(found, C.LVEF)
    if lvef is not None:
        out.append(
            Finding(
                code=C.IMPRESSION_FUNCTION,
                section=S.IMPRESSION,
                values={
                    "lvef": lvef.values["lvef"],
                    "category": lvef.values["category"],
                    "tid_abnormal": False,
                    "lvef_drop": False,
                    "stunned_lvef": None,
                },
                evidence=lvef.evidence,
                rule="impression.function",
                guideline=lvef.guideline,
            )
        )
    return out


#: The rules of a Tl-201 rest-redistribution (viability) study, which has no stress: its report names no stress
#: test, no ischemia and no stress-test risk category.
REST_ONLY_RULES: dict[str, StudyRule] = {
    "indication.v1": _indication,
    "resting_ecg.v1": _resting_ecg,
    "procedure.v1": _procedure,
    "viability.v1": _viability,
    "function.v1": _function,
    "calcium.v1": _calcium,
}
REST_ONLY_SUMMARY_RULES: dict[str, SummaryRule] = {"impression.viability.v1": _viability_impression}


#: Rules that read the Study, in report order, by stable name.
RULES: dict[str, StudyRule] = {
    "indication.v1": _indication,
    "procedure.v1": _procedure,
    "stress.v1": _stress,
    "perfusion.v1": _perfusion,
    "function.v1": _function,
    "flow.v1": _flow,
    "calcium.v1": _calcium,
    "comparison.v1": _comparison,
}

#: Rules that summarise the Findings above (high-risk features, impression, risk), in order.
SUMMARY_RULES: dict[str, SummaryRule] = {
    "high_risk.v1": _high_risk,
    "impression.v1": _impression,
    "risk.v1": _risk,
}


def evaluate(study: Study, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[Finding]:
    """All Findings for a study, in report order."""
    found: list[Finding] = []
    rules, summaries = (REST_ONLY_RULES, REST_ONLY_SUMMARY_RULES) if study.is_rest_only else (RULES, SUMMARY_RULES)
    for rule in rules.values():
        found.extend(rule(study, thresholds))
    for summary in summaries.values():
        found.extend(summary(study, thresholds, found))
    return found


def codes(findings: Iterable[Finding]) -> list[str]:
    """The codes of the findings, in order (handy in tests and logs: no PHI)."""
    return [f.code.value for f in findings]
