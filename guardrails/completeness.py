"""QA of finished reports: ASNC reporting elements present or missing, and internal consistency.

The elements, their tier (required / recommended / optional) and their condition ("required if
exercise stress", "if gated", "if a prior exists"...) live in ``resources/reporting_elements.json``
(validated on load, unknown keys rejected); a department may pass its own file. Each report is
read once with the extraction pipeline: ``structure_doc`` gives the structured fields (each with
its span), the guardrail claim reader gives the statements the consistency checks compare.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from guardrails.flags import Flag, FlagCode, make_flag
from reporter.errors import ConfigError

__all__ = [
    "ElementResult",
    "ReportQa",
    "ReportingElement",
    "batch_csv",
    "batch_html",
    "load_elements",
    "qa_report",
    "qa_texts",
]

Tier = Literal["required", "recommended", "optional"]
Condition = Literal[
    "always", "exercise", "pharmacologic", "gated", "abnormal_perfusion", "rest_imaging", "prior", "thallium"
]
_CONDITION_TEXT = {
    "always": "always", "exercise": "if exercise stress", "pharmacologic": "if pharmacologic stress",
    "gated": "if gated", "abnormal_perfusion": "if perfusion is abnormal", "rest_imaging": "if rest images",
    "prior": "if a prior study exists", "thallium": "if Tl-201",
}  # fmt: skip


class ReportingElement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    tier: Tier
    condition: Condition = "always"
    source: str = Field(min_length=1)
    fields: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()

    def model_post_init(self, __context: Any) -> None:
        if not self.fields and not self.patterns:
            raise ValueError(f"element {self.id}: give fields or patterns")
        for p in self.patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"element {self.id}: invalid pattern {p!r}: {exc}") from exc

    @property
    def condition_text(self) -> str:
        return _CONDITION_TEXT[self.condition]


class _ElementFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = ""
    elements: tuple[ReportingElement, ...] = Field(min_length=1)


def load_elements(path: Path | None = None) -> tuple[ReportingElement, ...]:
    """The reporting elements of a JSON file (default: the packaged ASNC list); raises ConfigError."""
    if path is None:
        return _packaged()
    return _parse(path.read_text(encoding="utf-8"), path.name)


@functools.cache
def _packaged() -> tuple[ReportingElement, ...]:
    text = (resources.files("guardrails") / "resources" / "reporting_elements.json").read_text(encoding="utf-8")
    return _parse(text, "reporting_elements.json")


def _parse(text: str, name: str) -> tuple[ReportingElement, ...]:
    try:
        data = _ElementFile.model_validate(json.loads(text))
    except (ValidationError, json.JSONDecodeError) as exc:
        raise ConfigError(f"reporting-element file {name} is invalid: {exc}") from exc
    ids = [e.id for e in data.elements]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(f"reporting-element file {name}: duplicate ids {dupes}")
    return data.elements


@dataclass(frozen=True, slots=True)
class ElementResult:
    element: ReportingElement
    applies: bool
    present: bool
    span: tuple[int, int] | None

    @property
    def status(self) -> str:
        if not self.applies:
            return "n/a"
        return "present" if self.present else "missing"


@dataclass(slots=True)
class ReportQa:
    name: str
    text: str
    elements: list[ElementResult] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    error: str | None = None

    def missing(self, tier: str = "required") -> list[ElementResult]:
        return [r for r in self.elements if r.applies and not r.present and r.element.tier == tier]

    @property
    def required_score(self) -> float | None:
        req = [r for r in self.elements if r.applies and r.element.tier == "required"]
        return sum(r.present for r in req) / len(req) if req else None


def _get(structured: dict[str, Any], path: str) -> tuple[bool, tuple[int, int] | None]:
    """Whether a structured field is filled, and its span ('a.b.c' over lists: every item has c)."""
    node: Any = structured
    parts = path.split(".")
    for i, part in enumerate(parts):
        if isinstance(node, list):
            if not node:
                return False, None
            vals = [item.get(part) for item in node if isinstance(item, dict)]
            ok = all(v not in (None, [], "") for v in vals)
            span = node[0].get("span")
            return ok, ((int(span[0]), int(span[1])) if span and ok else None)
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
        if i == len(parts) - 1:
            if node in (None, [], ""):
                return False, None
            if isinstance(node, dict) and node.get("value") in (None, ""):
                return False, None
            first = node[0] if isinstance(node, list) else node
            span = first.get("span") if isinstance(first, dict) else None
            return True, (int(span[0]), int(span[1])) if span else None
    return False, None


def _conditions(structured: dict[str, Any], text: str) -> dict[str, bool]:
    def value(path: str) -> Any:
        ok, _ = _get(structured, path)
        if not ok:
            return None
        node: Any = structured
        for part in path.split("."):
            node = node[part]
        return node.get("value") if isinstance(node, dict) else node

    stress = value("study.stress_type") or ""
    tracers = {t["value"] for t in structured["study"]["tracers"]}
    result = value("perfusion.result") or value("impression.overall") or ""
    defects = [d for d in structured["perfusion"]["defects"] if d.get("certainty") == "affirmed"]
    return {
        "always": True,
        "exercise": "exercise" in stress if stress else bool(re.search(r"\b(?:bruce|exercised)\b", text, re.I)),
        "pharmacologic": "pharmacologic" in stress,
        "gated": bool(re.search(r"\bgated\b|\bejection fraction\b|\bLVEF\b|\bwall motion\b", text, re.I)),
        "abnormal_perfusion": result in ("abnormal", "equivocal") or bool(defects),
        "rest_imaging": value("study.protocol") != "stress-only",
        "prior": bool(
            re.search(
                r"\b(?:prior|previous|last)\s+(?:\w+\s+){0,2}(?:study|studies|scan|stress test|"
                r"examination|exam|mpi|spect)\b|\bcompared (?:with|to)\b",
                text,
                re.I,
            )
        ),
        "thallium": "Tl-201" in tracers,
    }


def qa_report(text: str, name: str = "report", elements: Sequence[ReportingElement] | None = None) -> ReportQa:
    """The checklist and consistency flags of one finished report."""
    from extraction.assemble import structure_doc
    from extraction.pipeline import get_pipeline
    from guardrails.checks import check_internal
    from guardrails.claims import claims_of_doc

    elements = elements if elements is not None else load_elements()
    doc = get_pipeline()(text)
    structured = structure_doc(doc)
    claims = claims_of_doc(doc)
    conditions = _conditions(structured, text)
    out = ReportQa(name=name, text=text)
    for el in elements:
        present, span = False, None
        for path in el.fields:
            present, span = _get(structured, path)
            if present:
                break
        if not present:
            for p in el.patterns:
                m = re.search(p, text, re.I | re.M)
                if m:
                    present, span = True, (m.start(), m.end())
                    break
        out.elements.append(ElementResult(el, conditions[el.condition], present, span))
    out.flags = check_internal(text, claims) + _title_vs_body(claims)
    return out


def _title_vs_body(claims: Any) -> list[Flag]:
    """A stress agent named in the title / procedure line that differs from the one given in the body."""
    agents = [s for s in claims.statements if s.concept == "agent" and s.present]
    if len({s.value for s in agents}) < 2:
        return []
    text = claims.text
    dosed = [
        s for s in agents if re.match(r"[\s,]*\d+(?:\.\d+)?\s*(?:mg|mcg|µg)", text[s.span[1] : s.span[1] + 20], re.I)
    ]
    body = dosed[0] if dosed else agents[-1]
    out = []
    for s in agents:
        if s.value != body.value:
            out.append(
                make_flag(
                    FlagCode.TITLE_VS_BODY,
                    f"'{text[s.span[0] : s.span[1]]}' ({s.value}) contradicts '{text[body.span[0] : body.span[1]]}' "
                    f"({body.value}) given elsewhere in the report.",
                    s.span,
                    evidence=f"{text[body.span[0] : body.span[1] + 8].strip()} (body)",
                ).model_copy(update={"check": "guardrails.qa.title_body.v1"})
            )
    return out


def qa_texts(named: Iterable[tuple[str, str]], elements: Sequence[ReportingElement] | None = None) -> list[ReportQa]:
    return [qa_report(text, name, elements) for name, text in named]


# --- outputs ----------------------------------------------------------------------------------


def batch_csv(results: Sequence[ReportQa], elements: Sequence[ReportingElement]) -> str:
    """One row per report, one column per element (present / missing / n/a), then the scores."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["report", *(e.id for e in elements), "required_present_percent", "consistency_flags", "error"])
    for r in results:
        status = {er.element.id: er.status for er in r.elements}
        score = r.required_score
        w.writerow(
            [
                r.name,
                *(status.get(e.id, "") for e in elements),
                "" if score is None else f"{100 * score:.0f}",
                ";".join(f.code.value for f in r.flags),
                r.error or "",
            ]
        )
    return buf.getvalue()


def _compliance(results: Sequence[ReportQa], elements: Sequence[ReportingElement]) -> list[tuple[Any, int, int]]:
    rows = []
    ok = [r for r in results if r.error is None]
    for e in elements:
        applicable = [er for r in ok for er in r.elements if er.element.id == e.id and er.applies]
        rows.append((e, sum(er.present for er in applicable), len(applicable)))
    return rows


def batch_html(results: Sequence[ReportQa], elements: Sequence[ReportingElement]) -> str:
    """A self-contained page: department summary (table + inline SVG bar chart), then each checklist
    (``templates/qa.html.j2``)."""
    from reporter.render import template_set

    rows = _compliance(results, elements)
    flagged = sum(bool(r.flags) for r in results)
    return template_set().page("qa.html.j2", results=results, rows=rows, flagged=flagged)
