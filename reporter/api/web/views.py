"""What the page draws, computed from the use-cases' values: no clinical logic, only layout.

- :func:`marked_text`: a report's text cut into runs, each with the flags whose span covers it and
  whether a language model phrased it (so the template can highlight each flag on its characters).
- :func:`polar_maps`: the AHA 17-segment bull's-eye (Cerqueira et al., Circulation 2002;105:539) as
  SVG geometry, one map per score (stress, rest, difference), with the coronary territories outlined.
- :func:`bars`: a small bar chart's geometry.
- :func:`psi_grid`: the input drift as a grid, one row per model feature and one column per week,
  each cell the week's PSI, written and shaded by its alert level.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reporter.domain.vocabulary import SEGMENTS, Territory

__all__ = ["Bar", "PolarMap", "PsiGrid", "Run", "bars", "marked_text", "polar_maps", "psi_grid"]


# ---- the report's text with its flags ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    flags: tuple[Any, ...] = ()  # FlagView-like: .key .code .severity .message .evidence .decision
    model: bool = False

    @property
    def decided(self) -> bool:
        """Every flag on the run is decided (overridden or accepted): shown muted, still labelled."""
        return bool(self.flags) and all(f.decision is not None for f in self.flags)

    @property
    def severity(self) -> str | None:
        order = ("error", "warning", "info")
        open_ = [f for f in self.flags if f.decision is None] or list(self.flags)
        return min((f.severity for f in open_), key=lambda s: order.index(s) if s in order else 9, default=None)


def marked_text(text: str, flags: Iterable[Any], model_sentences: Iterable[str] = ()) -> list[Run]:
    """``text`` as runs; a run changes wherever a flag's span or a model sentence starts or ends."""
    spans: list[tuple[int, int, Any]] = [
        (f.span[0], f.span[1], f) for f in flags if f.span is not None and 0 <= f.span[0] < f.span[1] <= len(text)
    ]
    model: list[tuple[int, int]] = []
    for sentence in model_sentences:
        start = text.find(sentence)
        if start >= 0 and sentence:
            model.append((start, start + len(sentence)))
    cuts = sorted(
        {
            0,
            len(text),
            *(s for s, _, _ in spans),
            *(e for _, e, _ in spans),
            *(s for s, _ in model),
            *(e for _, e in model),
        }
    )
    runs = []
    for start, end in itertools.pairwise(cuts):
        covering = tuple(f for s, e, f in spans if s <= start and end <= e)
        runs.append(Run(text[start:end], covering, any(s <= start and end <= e for s, e in model)))
    return runs


# ---- the 17-segment polar map ------------------------------------------------------------------

# Ring radii (apex disc, apical, mid, basal) in map units; the map is drawn in a 2*OUTER+margin box.
_RADII = {"apex": (0.0, 1.0), "apical": (1.0, 2.0), "mid": (2.0, 3.0), "basal": (3.0, 4.0)}
OUTER = 4.0
SCALE = 22.0  # pixels per unit
# Display convention (ASNC/AHA): anterior at the top, septum on the left, lateral on the right;
# each ring's segments run counter-clockwise from the anterior one. Centres in degrees (0 = right).
_CENTRES = {
    "basal": dict(zip(range(1, 7), (90, 150, 210, 270, 330, 30), strict=True)),
    "mid": dict(zip(range(7, 13), (90, 150, 210, 270, 330, 30), strict=True)),
    "apical": dict(zip(range(13, 17), (90, 180, 270, 0), strict=True)),
}
_WIDTH = {"basal": 60, "mid": 60, "apical": 90}


@dataclass(frozen=True, slots=True)
class Cell:
    segment: int
    name: str
    score: int | None
    path: str
    label_x: float
    label_y: float
    territory: str


@dataclass(frozen=True, slots=True)
class PolarMap:
    title: str
    cells: tuple[Cell, ...]
    outlines: tuple[str, ...]  # path data of the borders between two territories
    labels: tuple[tuple[str, float, float], ...]  # territory name at (x, y)
    total: int | None
    size: float = field(default=2 * (OUTER + 1.2) * SCALE)


def _xy(r: float, degrees: float) -> tuple[float, float]:
    c = (OUTER + 1.2) * SCALE
    a = math.radians(degrees)
    return round(c + r * SCALE * math.cos(a), 2), round(c - r * SCALE * math.sin(a), 2)


def _sector(r0: float, r1: float, a0: float, a1: float) -> str:
    (x0, y0), (x1, y1) = _xy(r1, a0), _xy(r1, a1)
    (x2, y2), (x3, y3) = _xy(r0, a1), _xy(r0, a0)
    big = 1 if a1 - a0 > 180 else 0
    # counter-clockwise in the picture is sweep-flag 0 in SVG (y grows downwards)
    return (
        f"M{x0},{y0} A{r1 * SCALE},{r1 * SCALE} 0 {big} 0 {x1},{y1} L{x2},{y2} "
        f"A{r0 * SCALE},{r0 * SCALE} 0 {big} 1 {x3},{y3} Z"
    )


def _arc(r: float, a0: float, a1: float) -> str:
    (x0, y0), (x1, y1) = _xy(r, a0), _xy(r, a1)
    return f"M{x0},{y0} A{r * SCALE},{r * SCALE} 0 0 0 {x1},{y1}"


def _ring_of(segment: int) -> str:
    return "apex" if segment == 17 else next(k for k, v in _CENTRES.items() if segment in v)


def _at(ring: str, degrees: float) -> int:
    """The segment of ``ring`` under the angle ``degrees``."""
    if ring == "apex":
        return 17
    half = _WIDTH[ring] / 2
    return next(n for n, c in _CENTRES[ring].items() if (degrees - c + half) % 360 < _WIDTH[ring])


def _edges(ring: str) -> list[float]:
    return [] if ring == "apex" else sorted((c - _WIDTH[ring] / 2) % 360 for c in _CENTRES[ring].values())


def _map(title: str, scores: dict[int, int | None], territory: dict[int, Territory]) -> PolarMap:
    cells = []
    for n, seg in SEGMENTS.items():
        ring = _ring_of(n)
        r0, r1 = _RADII[ring]
        if ring == "apex":
            c = (OUTER + 1.2) * SCALE
            path = f"M{c - SCALE},{c} a{SCALE},{SCALE} 0 1 0 {2 * SCALE},0 a{SCALE},{SCALE} 0 1 0 {-2 * SCALE},0 Z"
            lx, ly = c, c
        else:
            centre, half = _CENTRES[ring][n], _WIDTH[ring] / 2
            path = _sector(r0, r1, centre - half, centre + half)
            lx, ly = _xy((r0 + r1) / 2, centre)
        cells.append(Cell(n, seg.name, scores.get(n), path, lx, ly, territory[n].value))
    outlines = []
    rings = ("apex", "apical", "mid", "basal")
    for ring in rings[1:]:  # radial borders inside a ring
        r0, r1 = _RADII[ring]
        for edge in _edges(ring):
            if territory[_at(ring, edge - 1)] != territory[_at(ring, edge + 1)]:
                (x0, y0), (x1, y1) = _xy(r0, edge), _xy(r1, edge)
                outlines.append(f"M{x0},{y0} L{x1},{y1}")
    for inner, outer in itertools.pairwise(rings):  # circular borders between rings
        radius = _RADII[outer][0]
        cuts = sorted(set(_edges(inner)) | set(_edges(outer))) or [0.0]
        for a0, a1 in zip(cuts, [*cuts[1:], cuts[0] + 360], strict=True):
            mid = (a0 + a1) / 2
            if territory[_at(inner, mid % 360)] != territory[_at(outer, mid % 360)]:
                outlines.append(_arc(radius, a0, a1))
    labels = []
    for t in Territory:
        angles = [_CENTRES["basal"][n] for n in range(1, 7) if territory[n] is t]
        if angles:
            x = sum(math.cos(math.radians(a)) for a in angles)
            y = sum(math.sin(math.radians(a)) for a in angles)
            lx, ly = _xy(OUTER + 0.6, math.degrees(math.atan2(y, x)))
            labels.append((t.value, lx, ly))
    known = [s for s in scores.values() if s is not None]
    return PolarMap(title, tuple(cells), tuple(outlines), tuple(labels), sum(known) if known else None)


def polar_maps(study: Any) -> list[PolarMap]:
    """Stress, rest (or Tl-201 redistribution) and difference maps of a Study's segment scores (none without segment
    scores)."""
    perfusion = getattr(study, "perfusion", None)
    if perfusion is None or not perfusion.segments:
        return []
    territory = {n: perfusion.territory_overrides.get(n, s.territory) for n, s in SEGMENTS.items()}
    scores = perfusion.scores()
    if not perfusion.has_stress:
        # a Tl-201 rest-redistribution (viability) study: initial rest, redistribution, and the improvement
        return [
            _map("Initial rest", {n: s.rest for n, s in scores.items()}, territory),
            _map("Redistribution", {n: s.redistribution for n, s in scores.items()}, territory),
            _map(
                "Improvement on redistribution",
                {n: max((s.rest or 0) - (s.redistribution or 0), 0) for n, s in scores.items()},
                territory,
            ),
        ]
    maps = [_map("Stress (SSS)", {n: s.stress for n, s in scores.items()}, territory)]
    # a Tl-201 study without rest scores is compared with its redistribution images (ASNC-PROTOCOLS-2016)
    later, title = (
        ("rest", "Rest (SRS)")
        if perfusion.has_rest
        else ("redistribution", "Redistribution (SRS)")
        if perfusion.has_redistribution
        else (None, None)
    )
    if later is not None and title is not None:
        maps.append(_map(title, {n: getattr(s, later) for n, s in scores.items()}, territory))
        maps.append(
            _map(
                "Difference (SDS)",
                {n: max(s.stress - (getattr(s, later) or 0), 0) for n, s in scores.items()},
                territory,
            )
        )
    return maps


# ---- bar charts --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    width: float  # pixels
    text: str


def bars(
    rows: Sequence[tuple[str, float | None]], width: float = 260, fmt: str = "{:g}", top: float | None = None
) -> list[Bar]:
    """Horizontal bars scaled to ``top`` (a share: 100), else to the largest value; a missing value is drawn empty
    and written 'n/a'."""
    top = top or max((v for _, v in rows if v is not None), default=0) or 1
    return [
        Bar(label, v or 0, 0 if v is None else width * v / top, "n/a" if v is None else fmt.format(v))
        for label, v in rows
    ]


# ---- input drift: PSI per feature and week --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PsiCell:
    x: float
    y: float
    level: str  # stable | moderate | major | none (no study that week)
    text: str
    title: str


@dataclass(frozen=True, slots=True)
class PsiGrid:
    width: float
    height: float
    rows: tuple[tuple[str, float], ...]  # feature label at y
    columns: tuple[tuple[str, str, float], ...]  # week ("W49"), studies ("n=3"), at x
    cells: tuple[PsiCell, ...]
    cell_w: float = 58
    cell_h: float = 24


def psi_grid(
    drift: Any, label_w: float = 210, cell_w: float = 58, cell_h: float = 24, head: float = 40
) -> PsiGrid | None:
    """The drift grid of an ``InputDrift`` (None when it has no week with studies)."""
    features = drift.features
    if not features:
        return None
    columns, cells = [], []
    for j, week in enumerate(drift.weeks):
        x = label_w + j * cell_w
        columns.append((week.week.split("-")[-1], f"n={week.studies}", x))
        psi = {f.feature: f for f in week.features}
        for i, (name, label) in enumerate(features):
            y = head + i * cell_h
            f = psi.get(name)
            if f is None:
                cells.append(PsiCell(x, y, "none", "—", f"{label}, {week.week}: no study submitted"))
            else:
                cells.append(
                    PsiCell(
                        x,
                        y,
                        f.level.value,
                        f"{f.psi:.2f}",
                        f"{label}, {week.week}: PSI {f.psi:.4f} ({f.level.value}); missing "
                        f"{100 * f.missing_share:.0f} % "
                        f"(training {100 * f.training_missing_share:.0f} %)",
                    )
                )
    rows = tuple((label, head + i * cell_h) for i, (_, label) in enumerate(features))
    return PsiGrid(
        label_w + len(columns) * cell_w + 4,
        head + len(features) * cell_h + 4,
        rows,
        tuple(columns),
        tuple(cells),
        cell_w,
        cell_h,
    )


# ---- the prior study beside the current one ----------------------------------------------------


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        value = f"{value:g}"
    return f"{value}{unit}"


def prior_comparison(study: Any) -> list[tuple[str, str, str]]:
    """(measure, prior, current) rows, when the study has a structured prior; empty otherwise."""
    prior = getattr(study, "prior", None)
    if prior is None:
        return []
    perfusion, function = study.perfusion, study.function
    flow, calcium = study.flow, study.calcium
    prior_perfusion = prior.perfusion
    rows = [
        ("Study date", _fmt(prior.study_date), _fmt(study.study_date)),
        ("Modality", _fmt(prior.modality and prior.modality.value), _fmt(study.procedure.modality.value)),
        ("SSS", _fmt(prior_perfusion and prior_perfusion.sss), _fmt(perfusion.sss)),
        ("SDS", _fmt(prior_perfusion and prior_perfusion.sds), _fmt(perfusion.sds)),
        ("LVEF", _fmt(prior.lvef_percent, " %"), _fmt(function and function.lvef_percent, " %")),
        ("TID ratio", _fmt(prior.tid_ratio), _fmt(function and function.tid_ratio)),
        ("MFR", _fmt(prior.mfr), _fmt(flow and flow.flow_reserve)),
        ("Agatston", _fmt(prior.agatston_total), _fmt(calcium and calcium.agatston_total)),
    ]
    if prior.perfusion_result:
        rows.insert(2, ("Perfusion", prior.perfusion_result, "see the report"))
    defects = prior.defects or ()
    if defects:
        stated = "; ".join(
            " ".join(str(v) for v in (d.severity, d.extent, d.reversibility) if v is not None)
            + (f" {d.territory.value}" if d.territory else "")
            for d in defects
        )
        rows.append(("Prior defects", stated, "see the report"))
    return [r for r in rows if r[1] != "—" or r[2] != "—"]


_WORDS = {
    "lvef": "LVEF",
    "edv": "EDV",
    "esv": "ESV",
    "hr": "HR",
    "sbp": "SBP",
    "dbp": "DBP",
    "ecg": "ECG",
    "st": "ST",
    "tid": "TID",
    "mets": "METs",
    "mbf": "MBF",
    "mfr": "MFR",
    "cac": "CAC",
    "ml": "mL",
}
_UNITS = {"percent": "%", "mmhg": "mmHg", "bpm": "bpm", "ml": "mL", "min": "min", "mm": "mm", "ml_min_g": "mL/min/g"}


def label(key: str) -> str:
    """A field name as a reader writes it: ``rest_sbp_mmhg`` -> ``Rest SBP (mmHg)``."""
    unit = None
    for suffix, name in sorted(_UNITS.items(), key=lambda kv: -len(kv[0])):  # longest first: _ml_min_g before _ml
        if key.endswith(f"_{suffix}"):
            key, unit = key[: -len(suffix) - 1], name
            break
    words = [_WORDS.get(w, w) for w in key.split("_")]
    text = " ".join(words)
    text = text[:1].upper() + text[1:]
    return f"{text} ({unit})" if unit else text


def facts(
    section: dict[str, Any] | None,
    first: Sequence[str] = (),
    skip: Iterable[str] = ("source", "wall_motion", "segments"),
) -> list[tuple[str, str]]:
    """A submitted section of the study as (label, value) rows, the ``first`` keys first."""
    if not section:
        return []
    rows = []
    keys = [k for k in first if k in section] + [k for k in section if k not in first]
    for key in keys:
        value = section[key]
        if key in skip or value in (None, [], {}):
            continue
        if isinstance(value, list):
            value = ", ".join(
                str(v) if not isinstance(v, dict) else " ".join(f"{k} {w}" for k, w in v.items()) for v in value
            )
        elif isinstance(value, dict):
            value = ", ".join(f"{k} {w}" for k, w in value.items())
        rows.append((label(key), str(value)))
    return rows


def who(study: dict[str, Any]) -> tuple[str, str]:
    """(patient, indication) for a worklist row: the name only where the role sees identifiers."""
    patient = study.get("patient", {})
    described = " ".join(str(p) for p in (f"{patient.get('age_years', '?')} y", patient.get("sex", "")) if p)
    name = patient.get("name")
    indication = str(study.get("clinical", {}).get("indication", ""))
    return (f"{name}, {described}" if name else described), (
        indication[:80] + "…" if len(indication) > 80 else indication
    )
