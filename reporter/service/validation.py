"""Validation on a site's own data, before go-live: a report a department can sign.

Input: pairs matched by name, a study's quantitative input (Study) and the report a physician
signed for it (text). Pure computation over the pairs, no printing and no files:

    agreement      the signed report is structured (``extraction.structure_typed``), mapped onto the
                   same coded vocabulary as the rules' Findings (``reporter.domain.rules.evaluate``)
                   and compared element by element: counts, percent agreement and Cohen's kappa
                   (scikit-learn), every disagreement with both readings and its span in the signed
                   text, and which thresholds to look at.
    flags          the guardrails (``verify_text``) on each signed impression against its study:
                   flags per code per 100 reports, with examples; a site configuration may turn a
                   code into a warning (recorded).
    structuring    accuracy per field on a hand-labelled sample (``structured_report.schema.json``).
    qualification  a language-model backend drafts every study: shares passed / repaired / replaced,
                   latency p50/p95, tokens/s, failure types; not qualified above a site-set share replaced.
    record         input hashes, version, thresholds, model and weights hash, date, operator.

"Not stated": an element the signed report does not state is counted as ``not_stated`` and left
out of percent agreement and kappa (kappa compares two readings; a silent report is not a
reading). An element the report states but the study cannot give (e.g. a flow reserve without
PET flow input) is counted as ``rules_silent`` and also left out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from reporter.domain.finding import Finding, FindingCode
from reporter.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds
from reporter.domain.vocabulary import (
    SEGMENTS,
    Certainty,
    ChangeDirection,
    ComparisonChange,
    DefectChange,
    LvefGrade,
    MfrCategory,
    Territory,
    Wall,
)
from reporter.errors import ConfigError, FieldProblem, NcreportError

if TYPE_CHECKING:
    from extraction.model import StructuredReport
    from reporter.domain.study import Study
    from reporter.llm.backends import Backend

__all__ = [
    "DEFAULT_MAX_REPLACED",
    "ELEMENTS",
    "Disagreement",
    "ElementAgreement",
    "PairInput",
    "Reading",
    "SiteConfig",
    "compare_readings",
    "element_agreement",
    "find_impression",
    "match_pairs",
    "physician_readings",
    "qualify_backend",
    "qualify_llm",
    "record",
    "rules_readings",
    "structuring_accuracy",
    "validate_pairs",
    "validation_html",
]

#: Elements compared, in report order. ``defect.<territory>``: a defect in that territory (present /
#: absent); ``defect.extent|severity|reversibility``: one item per territory where both readings have one.
ELEMENTS = (
    "perfusion",
    "defect.LAD",
    "defect.LCx",
    "defect.RCA",
    "defect.extent",
    "defect.severity",
    "defect.reversibility",
    "ischemia",
    "scar",
    "lvef_grade",
    "tid",
    "flow",
    "cac_band",
    "risk",
    "comparison",
)

#: Site policy, not a guideline: a backend whose sentences are replaced by the rule-based text more
#: often than this share is not qualified. A site sets its own (``--max-replaced``).
DEFAULT_MAX_REPLACED = 0.2

#: The site thresholds behind each element (``ncreport schema thresholds``; ``--thresholds`` overrides them).
ELEMENT_THRESHOLDS: dict[str, tuple[str, ...]] = {
    "perfusion": ("defect_min_segment_score", "sss_bands"),
    "defect.LAD": ("defect_min_segment_score",),
    "defect.LCx": ("defect_min_segment_score",),
    "defect.RCA": ("defect_min_segment_score",),
    "defect.extent": ("extent_medium_min_segments", "extent_large_min_segments"),
    "defect.severity": (),  # segment grades are fixed by the 5-point score (ASNC-SPECT-2018)
    "defect.reversibility": ("ischemia_min_sds", "scar_min_srs"),
    "ischemia": ("ischemia_min_sds",),
    "scar": ("scar_min_srs",),
    "lvef_grade": ("lvef_lower_normal_male", "lvef_lower_normal_female", "lvef_moderate_below", "lvef_severe_below"),
    "tid": ("tid_limits",),
    "flow": ("mfr_reduced_below", "mfr_severe_below"),
    "cac_band": ("cac_bands",),
    "risk": ("high_risk_ischemic_percent", "high_risk_lvef_below", "high_risk_esv_ml", "cac_raises_risk_at"),
    "comparison": ("comparison_ischemia_change_percent", "comparison_lvef_change_points"),
}

# A measured LVEF this close (points) to a grade limit counts as "near the threshold".
_NEAR_LVEF_POINTS = 3.0

# How a signed report words the LVEF grade, read in the sentence that states the LVEF. The first
# pattern that matches wins, so the reduced grades come before the bare "normal".
_LVEF_GRADE_WORDS: tuple[tuple[re.Pattern[str], LvefGrade], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), grade)
    for pattern, grade in (
        (r"\bseverely\s+(?:reduced|depressed|decreased|impaired|abnormal)", LvefGrade.SEVERELY_REDUCED),
        (r"\bmoderately(?:\s+to\s+severely)?\s+(?:reduced|depressed|decreased|impaired)", LvefGrade.MODERATELY_REDUCED),
        (
            r"\bmild(?:ly)?\s+(?:reduced|depressed|decreased|impaired)|\bmild(?:ly)?\s+(?:global\s+)?hypokinesis",
            LvefGrade.MILDLY_REDUCED,
        ),
        (
            r"\b(?:normal|preserved)\s+(?:LV\s+|left\s+ventricular\s+)?(?:systolic\s+|global\s+)?"
            r"(?:function|ejection|EF\b)|\bnormal\s+left\s+ventricular\s+(?:regional\s+and\s+global\s+)?function",
            LvefGrade.NORMAL,
        ),
    )
)

_IMPRESSION_HEADING = re.compile(
    r"(?im)(?:^|(?<=[.:]\s)|(?<=\s{2}))[ \t]*(?:final\s+)?(?:impressions?|conclusions?)\s*:"
)


# --- inputs --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PairInput:
    """One study and the report signed for it, as read by the caller; ``error`` when either failed."""

    name: str
    study: Study | None = None
    text: str | None = None
    error: str | None = None
    study_sha256: str = ""
    report_sha256: str = ""
    warnings: tuple[str, ...] = ()  # what the reader could not place (e.g. a DICOM code not mapped)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """A site's validation settings: flag codes whose severity it lowers (e.g. ``{"G111": "warning"}``)."""

    flag_severity: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Any, what: str = "site configuration") -> SiteConfig:
        """Validated settings; an unknown key, flag code or severity is ConfigError naming the field."""
        from reporter.domain.flags import FlagCode, FlagSeverity

        if not isinstance(data, dict):
            raise ConfigError(f"{what} must be a JSON object")
        problems = [FieldProblem(k, "unknown key (allowed: flag_severity)") for k in data if k != "flag_severity"]
        severities = data.get("flag_severity", {})
        if not isinstance(severities, dict):
            problems.append(FieldProblem("flag_severity", "must be an object of code -> severity"))
            severities = {}
        known = {c.value for c in FlagCode}
        allowed = {s.value for s in FlagSeverity}
        for code, severity in severities.items():
            if code not in known:
                problems.append(FieldProblem(f"flag_severity.{code}", "unknown flag code", code))
            elif severity not in allowed:
                problems.append(
                    FieldProblem(f"flag_severity.{code}", f"severity must be one of {sorted(allowed)}", severity)
                )
        if problems:
            raise ConfigError(f"{what} is invalid", problems)
        return cls(flag_severity={str(k): str(v) for k, v in severities.items()})


def match_pairs(study_names: Iterable[str], report_names: Iterable[str]) -> tuple[list[str], list[str], list[str]]:
    """Stems found on both sides, studies without a report, reports without a study (each sorted)."""
    studies, reports = set(study_names), set(report_names)
    return sorted(studies & reports), sorted(studies - reports), sorted(reports - studies)


# --- readings ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reading:
    """One element as a reading states it: a coded label, the span behind it, how it was derived."""

    label: str
    span: tuple[int, int] | None = None
    basis: str = ""


Key = tuple[str, str]  # (element, item): item is "" or a territory for the per-defect elements


def _first(findings: Sequence[Finding], code: FindingCode) -> Finding | None:
    return next((f for f in findings if f.code is code), None)


def _yes(flag: object) -> str:
    return "present" if flag else "absent"


def _comparison_label(findings: Sequence[Finding]) -> str | None:
    """The rules' comparison with the prior in the report's words: no prior, unchanged, improved, worsened, mixed."""
    if _first(findings, FindingCode.COMPARISON_NONE):
        return "no prior"
    overall = _first(findings, FindingCode.COMPARISON_OVERALL)
    if overall is None or overall.values["changed"] is None:
        return None
    if not overall.values["changed"]:
        return "unchanged"
    worse = better = False
    changes: Any = overall.values["changes"] or ()
    for item in changes:
        change = item["change"]
        direction = item.get("direction")
        if change is ComparisonChange.NEW_DEFECT:
            worse = True
        elif change is ComparisonChange.RESOLVED_DEFECT:
            better = True
        elif change is ComparisonChange.ISCHEMIA:
            worse |= direction is ChangeDirection.INCREASED
            better |= direction is ChangeDirection.DECREASED
        elif change is ComparisonChange.LVEF:
            worse |= direction is ChangeDirection.DECREASED
            better |= direction is ChangeDirection.INCREASED
        else:
            for sub in item.get("changes", ()):
                worse |= sub["change"] in (DefectChange.MORE_SEVERE, DefectChange.LARGER)
                better |= sub["change"] in (DefectChange.LESS_SEVERE, DefectChange.SMALLER)
    if worse and better:
        return "mixed"
    return "worsened" if worse else "improved" if better else "unchanged"


def rules_readings(study: Study, findings: Sequence[Finding]) -> dict[Key, Reading]:
    """The rule-based reading of a study, element by element, in the labels the comparison uses."""
    C = FindingCode
    out: dict[Key, Reading] = {}
    impression = _first(findings, C.IMPRESSION_PERFUSION)
    scores = _first(findings, C.SUMMED_SCORES)
    summed = (
        f"SSS {scores.values['sss']}, SRS {scores.values['srs']}, SDS {scores.values['sds']}"
        if scores is not None
        else "no summed scores"
    )
    if impression is not None:
        out["perfusion", ""] = Reading(str(impression.values["category"]), basis=summed)
        for element in ("ischemia", "scar"):
            if impression.values[element] is not None:
                out[element, ""] = Reading(_yes(impression.values[element]), basis=summed)
    if study.perfusion.segments and not (impression and impression.values["category"] == "non-diagnostic"):
        defects = {
            f.territory: f
            for f in findings
            if f.code is C.PERFUSION_DEFECT and f.certainty is Certainty.AFFIRMED and f.territory
        }
        for territory in Territory:
            d = defects.get(territory)
            where = (
                f"segments {', '.join(map(str, d.segments))}"
                if d is not None
                else f"no segment of {territory.value} scored >= the defect threshold"
            )
            out[f"defect.{territory.value}", ""] = Reading(_yes(d), basis=where)
            if d is None:
                continue
            if d.extent:
                out["defect.extent", territory.value] = Reading(d.extent.value, basis=where)
            if d.severity:
                out["defect.severity", territory.value] = Reading(str(d.severity), basis=where)
            if d.reversibility:
                out["defect.reversibility", territory.value] = Reading(d.reversibility.value, basis=where)
    lvef = _first(findings, C.LVEF)
    if lvef is not None:
        out["lvef_grade", ""] = Reading(str(lvef.values["category"]), basis=f"LVEF {lvef.values['lvef']:g}%")
    tid = _first(findings, C.TID)
    if tid is not None:
        out["tid", ""] = Reading(
            "abnormal" if tid.values["abnormal"] else "normal",
            basis=f"TID {tid.values['ratio']:g}, limit {tid.values['upper_normal']:g}",
        )
    flow = _first(findings, C.FLOW_GLOBAL)
    if flow is not None:
        out["flow", ""] = Reading(str(flow.values["category"]), basis=f"MFR {flow.values['mfr']:g}")
    calcium = _first(findings, C.CALCIUM)
    if calcium is not None:
        out["cac_band", ""] = Reading(str(calcium.values["category"]), basis=f"Agatston {calcium.values['agatston']}")
    risk = _first(findings, C.RISK)
    if risk is not None:
        out["risk", ""] = Reading(str(risk.values["category"]), basis="ACC/AHA risk rules")
    comparison = _comparison_label(findings)
    if comparison is not None:
        out["comparison", ""] = Reading(comparison, basis="changes beyond the comparison thresholds")
    return out


# The territory a wall lies in by the AHA 17-segment default (the first segment of that wall);
# "apical", which names no segment's wall, is the apex's territory.
_WALL_TERRITORY: dict[Wall, Territory] = {}
for _segment in SEGMENTS.values():
    _WALL_TERRITORY.setdefault(_segment.wall, _segment.territory)
_WALL_TERRITORY[Wall.APICAL] = SEGMENTS[17].territory


def _defect_territory(territory: Territory | None, walls: Sequence[Wall]) -> Territory | None:
    if territory is not None:
        return territory
    named: list[Wall] = [w for w in walls if w not in (Wall.APEX, Wall.APICAL)] or list(walls)
    return _WALL_TERRITORY.get(named[0]) if named else None


def _lvef_grade(lvef: float, study: Study, t: Thresholds) -> LvefGrade:
    """The grade of an LVEF by the site's limits, as ``rules._function`` grades it (ASE-EACVI-2015)."""
    lower = t.lvef_lower_normal_male if study.patient.sex.value == "male" else t.lvef_lower_normal_female
    if lvef >= lower:
        return LvefGrade.NORMAL
    if lvef >= t.lvef_moderate_below:
        return LvefGrade.MILDLY_REDUCED
    return LvefGrade.MODERATELY_REDUCED if lvef >= t.lvef_severe_below else LvefGrade.SEVERELY_REDUCED


def _mfr_grade(mfr: float, t: Thresholds) -> MfrCategory:
    """The category of a flow reserve by the site's limits, as ``rules._flow`` grades it (SNMMI-ASNC-PET-FLOW-2018)."""
    if mfr < t.mfr_severe_below:
        return MfrCategory.SEVERELY_REDUCED
    return MfrCategory.REDUCED if mfr < t.mfr_reduced_below else MfrCategory.NORMAL


def _sentence_around(text: str, span: Sequence[int]) -> tuple[int, int]:
    """The sentence (or line) holding ``span``."""
    start = max(text.rfind(". ", 0, span[0]), text.rfind("\n", 0, span[0])) + 1
    ends = [i for i in (text.find(". ", span[1]), text.find("\n", span[1])) if i >= 0]
    return start, min(ends) if ends else len(text)


def _stated_grade(text: str, span: Sequence[int]) -> tuple[LvefGrade, tuple[int, int]] | None:
    start, end = _sentence_around(text, span)
    sentence = text[start:end]
    for pattern, grade in _LVEF_GRADE_WORDS:
        m = pattern.search(sentence)
        if m:
            return grade, (start + m.start(), start + m.end())
    return None


def _affirmed(value: Any) -> bool:
    return value is not None and value.certainty in (Certainty.AFFIRMED, Certainty.NEGATED)


def _span(value: Any) -> tuple[int, int]:
    """The ``[start, end)`` of a structured value, defect or number."""
    return int(value.span[0]), int(value.span[1])


def physician_readings(
    text: str, report: StructuredReport, study: Study, findings: Sequence[Finding], t: Thresholds
) -> dict[Key, Reading]:
    """The signed report's reading, element by element, mapped onto the rules' labels (spans into ``text``)."""
    out: dict[Key, Reading] = {}
    p, imp, fn = report.perfusion, report.impression, report.function
    result = imp.overall if _affirmed(imp.overall) else p.result if _affirmed(p.result) else None
    if result is not None:
        out["perfusion", ""] = Reading(result.value, _span(result), "stated")
    defects: dict[Territory, Any] = {}
    for d in p.defects:
        if d.certainty is not Certainty.AFFIRMED:  # negated, or "most likely attenuation": not a defect
            continue
        territory = _defect_territory(d.territory, d.walls)
        if territory is not None:
            defects.setdefault(territory, d)
    # a territory's defect is absent where the report lists its defects, or calls the study normal; an abnormal
    # verdict whose defect the structuring could not place ("small reversible perfusion defect ... in the LAD
    # territory", named by no wall) says nothing of any one territory, so no territory reads absent from it
    if defects or (result is not None and result.value in ("normal", "probably normal")):
        for territory in Territory:
            found = defects.get(territory)
            span = _span(found) if found is not None else _span(result) if result is not None else None
            out[f"defect.{territory.value}", ""] = Reading(_yes(found), span, "stated")
            if found is None:
                continue
            for element, value in (
                ("extent", found.extent),
                ("severity", found.severity),
                ("reversibility", found.reversibility),
            ):
                if value is not None:
                    out[f"defect.{element}", territory.value] = Reading(value.value, _span(found), "stated")
    for element, stated, kinds in (
        ("ischemia", imp.ischemia, ("reversible", "partially reversible")),
        ("scar", imp.infarction, ("fixed", "partially reversible")),
    ):
        if stated is not None and _affirmed(stated):
            out[element, ""] = Reading(stated.value, _span(stated), "stated")
        elif defects:
            hit = next((d for d in defects.values() if d.reversibility and d.reversibility.value in kinds), None)
            if hit is not None:
                out[element, ""] = Reading("present", _span(hit), "inferred from the defects")
        elif result is not None and result.value == "normal":
            out[element, ""] = Reading("absent", _span(result), "inferred from a normal result")
    lvef = fn.lvef_percent
    if lvef is not None and _affirmed(lvef):
        words = _stated_grade(text, lvef.span)
        if words is not None:
            out["lvef_grade", ""] = Reading(words[0].value, words[1], f"stated words (LVEF {lvef.value:g}%)")
        else:
            grade = _lvef_grade(float(lvef.value), study, t)
            out["lvef_grade", ""] = Reading(grade.value, _span(lvef), f"graded from the stated LVEF {lvef.value:g}%")
    tid = _first(findings, FindingCode.TID)
    if fn.tid_ratio is not None and _affirmed(fn.tid_ratio) and tid is not None:
        limit = float(tid.values["upper_normal"])  # type: ignore[arg-type]
        label = "abnormal" if fn.tid_ratio.value > limit else "normal"
        out["tid", ""] = Reading(label, _span(fn.tid_ratio), f"stated TID {fn.tid_ratio.value:g}, limit {limit:g}")
    mfr = report.flow.mfr
    if mfr is not None and _affirmed(mfr):
        out["flow", ""] = Reading(_mfr_grade(float(mfr.value), t).value, _span(mfr), f"stated MFR {mfr.value:g}")
    score, present = report.calcium.cac_score, report.calcium.cac_present
    if score is not None and _affirmed(score):
        band = t.cac_category(float(score.value)).value
        out["cac_band", ""] = Reading(band, _span(score), f"stated Agatston {score.value:g}")
    elif present is not None and _affirmed(present) and present.value == "absent":
        out["cac_band", ""] = Reading(t.cac_category(0).value, _span(present), "stated: no calcium")
    for element, said in (("risk", imp.risk), ("comparison", imp.comparison)):
        if said is not None and _affirmed(said):
            out[element, ""] = Reading(said.value, _span(said), "stated")
    return out


# --- comparison ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Disagreement:
    pair: str
    element: str
    item: str
    rules: str
    physician: str
    span: tuple[int, int] | None
    excerpt: str
    basis: str


@dataclass(frozen=True, slots=True)
class Compared:
    """One element of one pair: both labels (None where a side is silent)."""

    pair: str
    element: str
    item: str
    rules: str | None
    physician: str | None


def compare_readings(
    pair: str, text: str, rules: dict[Key, Reading], physician: dict[Key, Reading]
) -> tuple[list[Compared], list[Disagreement]]:
    """Every element either side states, and the disagreements with both readings and the signed span."""
    rows: list[Compared] = []
    disagreements: list[Disagreement] = []
    for key in sorted(set(rules) | set(physician), key=lambda k: (ELEMENTS.index(k[0]), k[1])):
        r, p = rules.get(key), physician.get(key)
        if key[0] == "defect.severity" and r is not None and p is not None:
            from reporter.domain.vocabulary import SeverityRange

            # a grade within the rules' range ("moderate" for "moderate-to-severe") agrees with it
            if p.label in {g.value for g in SeverityRange.parse(r.label).grades}:
                r = Reading(p.label, r.span, r.basis)
        rows.append(Compared(pair, key[0], key[1], r.label if r else None, p.label if p else None))
        if r is not None and p is not None and r.label != p.label:
            excerpt = text[p.span[0] : p.span[1]] if p.span else ""
            disagreements.append(
                Disagreement(
                    pair, key[0], key[1], r.label, p.label, p.span, excerpt, f"rules: {r.basis}; report: {p.basis}"
                )
            )
    return rows, disagreements


@dataclass(frozen=True, slots=True)
class ElementAgreement:
    element: str
    compared: int
    agree: int
    percent: float | None
    kappa: float | None
    not_stated: int
    rules_silent: int
    labels: tuple[str, ...]


def element_agreement(element: str, rows: Sequence[Compared]) -> ElementAgreement:
    """Counts, percent agreement and Cohen's kappa (scikit-learn) over the rows both readings state.

    Kappa is None where it is undefined: nothing compared, or a single category on both sides
    (no chance-corrected agreement can be computed from one category).
    """
    from sklearn.metrics import cohen_kappa_score

    mine = [r for r in rows if r.element == element]
    both = [r for r in mine if r.rules is not None and r.physician is not None]
    a = [str(r.rules) for r in both]
    b = [str(r.physician) for r in both]
    labels = tuple(sorted(set(a) | set(b)))
    agree = sum(x == y for x, y in zip(a, b, strict=True))
    kappa = float(cohen_kappa_score(a, b, labels=list(labels))) if len(labels) > 1 else None
    return ElementAgreement(
        element=element,
        compared=len(both),
        agree=agree,
        percent=round(100 * agree / len(both), 1) if both else None,
        kappa=round(kappa, 3) if kappa is not None else None,
        not_stated=sum(r.rules is not None and r.physician is None for r in mine),
        rules_silent=sum(r.rules is None and r.physician is not None for r in mine),
        labels=labels,
    )


def _threshold_advice(
    disagreements: Sequence[Disagreement], studies: dict[str, Study], t: Thresholds
) -> list[dict[str, Any]]:
    """Which site thresholds to look at, from where the readings differ; LVEF grades near a limit named."""
    by_element: dict[str, list[Disagreement]] = defaultdict(list)
    for d in disagreements:
        by_element[d.element].append(d)
    advice: list[dict[str, Any]] = []
    for element in ELEMENTS:
        found = by_element.get(element)
        if not found:
            continue
        item: dict[str, Any] = {
            "element": element,
            "disagreements": len(found),
            "thresholds": list(ELEMENT_THRESHOLDS[element]),
            "current": {name: _threshold_value(t, name) for name in ELEMENT_THRESHOLDS[element]},
        }
        if element == "lvef_grade":
            item["near_threshold"] = _lvef_near(found, studies, t)
        advice.append(item)
    return advice


def _threshold_value(t: Thresholds, name: str) -> Any:
    """A threshold as a site would write it: a number, or its bands/limits as short lines."""
    value = getattr(t, name)
    if isinstance(value, tuple):
        return [
            "; ".join(
                f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}"
                for k, v in item.model_dump(mode="json").items()
                if v is not None
            )
            for item in value
        ]
    return value


def _lvef_near(found: Sequence[Disagreement], studies: dict[str, Study], t: Thresholds) -> list[dict[str, Any]]:
    """LVEF grade disagreements whose measured LVEF lies within a few points of a grade limit."""
    out = []
    for d in found:
        study = studies.get(d.pair)
        fn = study.function if study else None
        if study is None or fn is None or fn.lvef_percent is None:
            continue
        lower = t.lvef_lower_normal_male if study.patient.sex.value == "male" else t.lvef_lower_normal_female
        name = "lvef_lower_normal_male" if study.patient.sex.value == "male" else "lvef_lower_normal_female"
        limits = {name: lower, "lvef_moderate_below": t.lvef_moderate_below, "lvef_severe_below": t.lvef_severe_below}
        nearest = min(limits, key=lambda k: abs(limits[k] - float(fn.lvef_percent)))  # type: ignore[arg-type]
        if abs(limits[nearest] - float(fn.lvef_percent)) <= _NEAR_LVEF_POINTS:
            grades = [g.value for g in LvefGrade]  # best first
            better = d.physician in grades and grades.index(d.physician) < grades.index(d.rules)
            # the physician grades it better than the rules: the limit would have to be at or below the measured LVEF
            agrees_if = f"{nearest} {'<=' if better else '>'} {fn.lvef_percent:g}"
            out.append(
                {
                    "pair": d.pair,
                    "measured_lvef": fn.lvef_percent,
                    "threshold": nearest,
                    "value": limits[nearest],
                    "rules": d.rules,
                    "physician": d.physician,
                    "agrees_if": agrees_if,
                }
            )
    return out


# --- guardrails on the signed impression ---------------------------------------------------


def find_impression(text: str) -> tuple[int, int] | None:
    """The ``[start, end)`` of the signed report's impression (the last IMPRESSION/CONCLUSION heading on)."""
    matches = list(_IMPRESSION_HEADING.finditer(text))
    if not matches:
        return None
    start = matches[-1].end()
    return (start, len(text)) if text[start:].strip() else None


def _flags_of(pair: PairInput, config: SiteConfig, thresholds: Thresholds) -> list[dict[str, Any]]:
    from reporter.service.checking import verify_text

    assert pair.text is not None and pair.study is not None
    where = find_impression(pair.text)
    start, end = where if where else (0, len(pair.text))
    flags = verify_text(
        pair.text[start:end], pair.study, scope="impression" if where else "full", thresholds=thresholds
    )
    out = []
    for f in flags:
        span = (f.span[0] + start, f.span[1] + start) if f.span else None
        severity = config.flag_severity.get(f.code.value, f.severity.value)
        out.append(
            {
                "pair": pair.name,
                "code": f.code.value,
                "title": f.title,
                "severity": severity,
                "default_severity": f.severity.value,
                "message": f.message,
                "span": span,
                "excerpt": pair.text[span[0] : span[1]] if span else "",
                "scope": "impression" if where else "full",
            }
        )
    return out


def _flag_summary(flags: Sequence[dict[str, Any]], checked: int, examples: int = 3) -> list[dict[str, Any]]:
    by_code: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in flags:
        by_code[f["code"]].append(f)
    rows = []
    for code in sorted(by_code):
        items = by_code[code]
        rows.append(
            {
                "code": code,
                "title": items[0]["title"],
                "severity": items[0]["severity"],
                "default_severity": items[0]["default_severity"],
                "count": len(items),
                "reports": len({f["pair"] for f in items}),
                "per_100_reports": round(100 * len(items) / checked, 1) if checked else None,
                "examples": [{k: f[k] for k in ("pair", "excerpt", "message", "span")} for f in items[:examples]],
            }
        )
    return sorted(rows, key=lambda r: -r["count"])


# --- the agreement run ---------------------------------------------------------------------

Progress = Callable[[str], None]


def validate_pairs(
    pairs: Sequence[PairInput],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    config: SiteConfig | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Agreement, disagreements, threshold advice and guardrail flags over the pairs (JSON-ready).

    A pair that could not be read, structured or ruled keeps its error and the run goes on.
    """
    from extraction import structure_typed
    from reporter.domain.rules import evaluate

    config = config or SiteConfig()
    timing: Counter[str] = Counter()
    rows: list[Compared] = []
    disagreements: list[Disagreement] = []
    flags: list[dict[str, Any]] = []
    errors: list[dict[str, str]] = []
    studies: dict[str, Study] = {}
    checked = 0
    for pair in pairs:
        if pair.error or pair.study is None or pair.text is None:
            errors.append({"pair": pair.name, "error": pair.error or "missing study or report"})
            if progress:
                progress(pair.name)
            continue
        try:
            t0 = time.perf_counter()
            structured = structure_typed(pair.text)
            t1 = time.perf_counter()
            findings = evaluate(pair.study, thresholds)
            t2 = time.perf_counter()
            rules = rules_readings(pair.study, findings)
            physician = physician_readings(pair.text, structured, pair.study, findings, thresholds)
            pair_rows, pair_disagreements = compare_readings(pair.name, pair.text, rules, physician)
            t3 = time.perf_counter()
            pair_flags = _flags_of(pair, config, thresholds)
            t4 = time.perf_counter()
        except NcreportError as exc:
            errors.append({"pair": pair.name, "error": str(exc)})
        except Exception as exc:  # a bug on one pair must not stop a department's validation: listed, not hidden
            errors.append({"pair": pair.name, "error": f"[E900] could not be compared ({type(exc).__name__})"})
        else:
            timing.update({"structure": t1 - t0, "rules": t2 - t1, "compare": t3 - t2, "guardrails": t4 - t3})
            rows.extend(pair_rows)
            disagreements.extend(pair_disagreements)
            flags.extend(pair_flags)
            studies[pair.name] = pair.study
            checked += 1
        if progress:
            progress(pair.name)
    agreement = [element_agreement(e, rows) for e in ELEMENTS]
    return {
        "pairs": len(pairs),
        "compared_pairs": checked,
        "errors": errors,
        "agreement": [asdict(a) for a in agreement],
        "disagreements": [asdict(d) for d in disagreements],
        "threshold_advice": _threshold_advice(disagreements, studies, thresholds),
        "flags": {
            "reports_checked": checked,
            "site_flag_severity": dict(config.flag_severity),
            "by_code": _flag_summary(flags, checked),
            "reports_with_error": len({f["pair"] for f in flags if f["severity"] == "error"}),
        },
        "timing_seconds": {k: round(v, 4) for k, v in timing.items()},
    }


# --- structuring accuracy on a labelled sample ---------------------------------------------

_SECTIONS = ("study", "stress_test", "perfusion", "function", "flow", "calcium", "impression")


def _leaves(report: dict[str, Any]) -> dict[str, Any]:
    """Every scalar field of a structured report by dotted path (value only), tracers as a set, defects as a list."""
    out: dict[str, Any] = {}
    for section in _SECTIONS:
        for name, value in (report.get(section) or {}).items():
            path = f"{section}.{name}"
            if name == "tracers":
                out[path] = frozenset(v["value"] for v in value or () if v) or None
            elif name == "defects":
                out[path] = (
                    sorted(
                        (
                            _defect_territory(
                                Territory(d["territory"]) if d.get("territory") else None,
                                [Wall(w) for w in d.get("walls") or ()],
                            )
                            or "",
                            d.get("reversibility") or "",
                        )
                        for d in value or ()
                        if d.get("certainty", "affirmed") == "affirmed"
                    )
                    or None
                )
            else:
                out[path] = value["value"] if isinstance(value, dict) else None
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-6
    return bool(a == b)


def structuring_accuracy(labelled: Sequence[tuple[str, str, dict[str, Any]]]) -> dict[str, Any]:
    """Per field over (name, text, gold): how often each side states it and how often they agree.

    ``accuracy`` = reports where gold and prediction agree (both silent excluded) / reports where
    either states the field; ``recall`` = correct / gold stated; ``precision`` = correct / predicted stated.
    """
    from extraction import structure

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    errors = []
    for name, text, gold in labelled:
        try:
            predicted = _leaves(structure(text))
        except NcreportError as exc:
            errors.append({"report": name, "error": str(exc)})
            continue
        truth = _leaves(gold)
        for path in sorted(set(truth) | set(predicted)):
            g, p = truth.get(path), predicted.get(path)
            c = counts[path]
            c["gold"] += g is not None
            c["predicted"] += p is not None
            c["either"] += g is not None or p is not None
            c["correct"] += g is not None and p is not None and _same(g, p)
    fields = []
    for path, c in sorted(counts.items()):
        if not c["either"]:
            continue
        fields.append(
            {
                "field": path,
                "gold": c["gold"],
                "predicted": c["predicted"],
                "correct": c["correct"],
                "accuracy": round(c["correct"] / c["either"], 3),
                "precision": round(c["correct"] / c["predicted"], 3) if c["predicted"] else None,
                "recall": round(c["correct"] / c["gold"], 3) if c["gold"] else None,
            }
        )
    correct = sum(c["correct"] for c in counts.values())
    either = sum(c["either"] for c in counts.values())
    return {
        "reports": len(labelled) - len(errors),
        "errors": errors,
        "fields": fields,
        "overall_accuracy": round(correct / either, 3) if either else None,
    }


# --- language-model qualification ----------------------------------------------------------

_CODE = re.compile(r"\b[GN]\d{3}\b")
_ERROR = re.compile(r"\bE\d{3}\b")


def qualify_backend(
    studies: Sequence[tuple[str, Study]],
    backend: Backend,
    generation: Any,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    max_replaced: float = DEFAULT_MAX_REPLACED,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Draft every study with ``backend``: shares, latency, tokens/s, failure types, and the verdict.

    Not qualified when the share of sentences replaced by the rule-based text exceeds
    ``max_replaced``, or when the backend failed to answer for any study (N103).
    """
    import numpy as np

    from reporter.llm.drafter import draft_with_llm
    from reporter.render import template_set
    from reporter.report import draft_report

    templates = template_set()
    latencies: list[float] = []
    totals: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    generate_seconds = 0.0
    estimated = False
    failed = 0
    for name, study in studies:
        report = draft_report(study, thresholds, templates)
        start = time.perf_counter()
        drafted = draft_with_llm(report, study, backend, generation)
        latencies.append(time.perf_counter() - start)
        llm = drafted.provenance.llm or {}
        for key in ("passed_first_time", "repaired", "replaced", "generated_tokens"):
            totals[key] += int(llm.get(key, 0))
        generate_seconds += float(llm.get("generate_seconds", 0.0))
        estimated |= bool(llm.get("tokens_are_words"))
        for flag in drafted.flags:
            if flag.code == "N103":  # the draft stayed rule-based: the backend timed out (E302) or failed (E301)
                failed += 1
                error = _ERROR.search(flag.message)
                failures[f"N103 backend failed ({error.group(0)})" if error else "N103 backend failed"] += 1
            elif flag.code in ("N101", "N102"):
                # the guardrail codes that rejected an answer (N102: the repair's, N101: the first answer's)
                failures.update(set(_CODE.findall(flag.message)) - {flag.code})
        if progress:
            progress(name)
    sentences = totals["passed_first_time"] + totals["repaired"] + totals["replaced"]

    def share(key: str) -> float | None:
        return round(totals[key] / sentences, 3) if sentences else None

    replaced = share("replaced")
    reasons = []
    if failed:
        reasons.append(f"the backend failed on {failed} of {len(studies)} studies")
    if replaced is not None and replaced > max_replaced:
        reasons.append(f"{100 * replaced:.0f}% of sentences replaced (site limit {100 * max_replaced:.0f}%)")
    if not sentences:
        reasons.append("no sentence was phrased by the model")
    return {
        "backend": backend.name,
        "model": backend.model,
        "weights_sha256": backend.weights_sha256,
        "url": backend.details.get("url"),
        "studies": len(studies),
        "sentences": sentences,
        "passed_first_time": share("passed_first_time"),
        "repaired": share("repaired"),
        "replaced": replaced,
        "latency_p50_s": round(float(np.percentile(latencies, 50)), 3) if latencies else None,
        "latency_p95_s": round(float(np.percentile(latencies, 95)), 3) if latencies else None,
        "tokens_per_s": round(totals["generated_tokens"] / generate_seconds, 1) if generate_seconds > 0 else None,
        "tokens_are_words": estimated,
        "failure_types": dict(failures.most_common()),
        "max_replaced": max_replaced,
        "qualified": not reasons,
        "not_qualified_because": reasons,
    }


# What the record keeps of each qualification: the backend's identity (reporter.llm.identity) and the verdict;
# the service stores these (reporter.service.validation_records) and looks them up before an LLM draft.
_RECORDED_QUALIFICATION = (
    "backend",
    "model",
    "weights_sha256",
    "url",
    "qualified",
    "replaced",
    "max_replaced",
    "studies",
    "sentences",
    "not_qualified_because",
)


def record(
    pairs: Sequence[PairInput],
    thresholds: Thresholds,
    operator: str,
    config: SiteConfig,
    models: Sequence[dict[str, Any]] = (),
    labelled_sha256: Sequence[tuple[str, str]] = (),
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """What a department files with the validation: inputs by hash, versions, settings, models, who and when.

    Filed with the service by ``ncreport validations add`` or ``POST /api/validations``
    (:mod:`reporter.service.validation_records` validates it).
    """
    from importlib.metadata import PackageNotFoundError, version

    def ver(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "0+unknown"

    inputs = [{"pair": p.name, "study_sha256": p.study_sha256, "report_sha256": p.report_sha256} for p in pairs]
    digest = hashlib.sha256("".join(f"{i['pair']}{i['study_sha256']}{i['report_sha256']}" for i in inputs).encode())
    dumped = thresholds.model_dump(mode="json")
    return {
        "date": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "operator": operator,
        "ncreport_version": ver("ncreport"),
        "scikit_learn_version": ver("scikit-learn"),
        "inputs": inputs,
        "inputs_sha256": digest.hexdigest(),
        "labelled": [{"report": n, "sha256": h} for n, h in labelled_sha256],
        "thresholds": dumped,
        "thresholds_sha256": hashlib.sha256(thresholds.model_dump_json().encode()).hexdigest(),
        "site_config": {"flag_severity": dict(config.flag_severity)},
        "models": [{k: m.get(k) for k in _RECORDED_QUALIFICATION} for m in models],
    }


def qualify_llm(
    studies: Sequence[tuple[str, Study]],
    settings: dict[str, Any],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    max_replaced: float = DEFAULT_MAX_REPLACED,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """:func:`qualify_backend` for the backend the LLM settings name (``{"backend": "openai", "url": ...}``)."""
    from reporter.llm.backends import make_backend
    from reporter.service.drafting import llm_config

    config = llm_config(settings)
    return qualify_backend(studies, make_backend(config), config.generation, thresholds, max_replaced, progress)


def validation_html(result: dict[str, Any], templates_dir: Any = None) -> str:
    """The validation as a self-contained page (``templates/validation.html.j2``: tables and inline SVG charts)."""
    from reporter.render import template_set

    return template_set(templates_dir).page("validation.html.j2", v=result)
