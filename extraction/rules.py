"""Rule files of the extraction pipeline: loaded from JSON, validated strictly, never code.

Three files live in ``extraction/resources/``:

- ``sections.json``: section categories and their headers (expanded into medspaCy SectionRules);
- ``concepts.json``: concepts (label, normalised value, phrases and/or spaCy token patterns);
- ``context_rules.json``: ConText modifiers in medspaCy's ConTextRule format.

Unknown keys, unknown labels and values outside the shared vocabulary raise ``ConfigError``
(E104) with the offending path, so a typo in a rule file fails at load, not silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from reporter.domain.vocabulary import (
    EcgResponse,
    Extent,
    Modality,
    PerfusionResult,
    Protocol,
    Reversibility,
    Severity,
    StressAgent,
    StressType,
    Territory,
    Tracer,
    Wall,
)
from reporter.errors import ConfigError, FieldProblem

__all__ = [
    "LABEL_VALUES",
    "SCHEMA_WALLS",
    "ConceptRule",
    "ContextConfig",
    "SectionSpec",
    "load_concepts",
    "load_context",
    "load_sections",
    "resource_path",
]

# The schema's wall list is exactly the vocabulary's walls.
SCHEMA_WALLS: tuple[str, ...] = tuple(w.value for w in Wall)

# The perfusion results the structured-report schema describes (normal | abnormal | equivocal | probably normal).
_R = PerfusionResult
_RESULTS = tuple(r.value for r in (_R.NORMAL, _R.ABNORMAL, _R.EQUIVOCAL, _R.PROBABLY_NORMAL))

# label -> allowed normalised values (None: the label carries no value, a value is refused).
LABEL_VALUES: dict[str, tuple[str, ...] | None] = {
    "IGNORE": None,
    "MODALITY": tuple(m.value for m in Modality),
    "TRACER": tuple(t.value for t in Tracer),
    "PROTOCOL": tuple(p.value for p in Protocol),
    "EXERCISE": (StressType.EXERCISE.value,),
    "PHARM_STRESS": (StressType.PHARMACOLOGIC.value,),
    "AGENT": tuple(a.value for a in StressAgent),
    "DATE": None,
    "INDICATION_CUE": None,
    "DURATION": None,
    "METS": None,
    "HR": None,
    "BP": None,
    "MPHR": None,
    "CHEST_PAIN": None,
    "ECG_RESULT": tuple(e.value for e in EcgResponse),
    "ST_DEPRESSION": (EcgResponse.ISCHEMIC.value,),
    "DUKE": None,
    "RESULT": _RESULTS,
    "RESULT_BARE": _RESULTS,
    "DEFECT": None,
    "ISCHEMIA": None,
    "INFARCTION": None,
    "WALL": SCHEMA_WALLS,
    "TERRITORY": tuple(t.value for t in Territory),
    "SEVERITY": tuple(s.value for s in Severity),
    "EXTENT": tuple(e.value for e in Extent),
    "REVERSIBILITY": tuple(r.value for r in Reversibility),
    "SSS": None,
    "SRS": None,
    "SDS": None,
    "STRESS_TPD": None,
    "REST_TPD": None,
    "ISCHEMIC_TPD": None,
    "ARTIFACT": ("attenuation", "motion", "extracardiac activity"),
    "LVEF": None,
    "EDV": None,
    "ESV": None,
    "TID": None,
    "WALL_MOTION": ("normal", "abnormal"),
    "LV_SIZE": ("normal", "dilated"),
    "STRESS_MBF": None,
    "REST_MBF": None,
    "MFR": None,
    "CAC_SCORE": None,
    "CAC_VISUAL": ("present", "absent"),
    "RISK": ("low", "intermediate", "high"),
    "COMPARISON": ("unchanged", "improved", "worsened", "no prior"),
    "COMPARISON_CUE": None,
}

_CONTEXT_RULE_KEYS = {
    "literal",
    "direction",
    "pattern",
    "category",
    "metadata",
    "allowed_types",
    "excluded_types",
    "max_targets",
    "max_scope",
}
_CONTEXT_DIRECTIONS = {"FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"}


@dataclass(frozen=True, slots=True)
class ConceptRule:
    """One concept: a label, an optional normalised value, phrases and token patterns."""

    label: str
    value: str | None
    phrases: tuple[str, ...]
    patterns: tuple[tuple[dict[str, Any], ...], ...]


@dataclass(frozen=True, slots=True)
class SectionSpec:
    """A section category and the header phrases that open it."""

    category: str
    headers: tuple[str, ...]
    max_scope: int | None = None


@dataclass(frozen=True, slots=True)
class ContextConfig:
    """ConText rules (medspaCy dicts, validated) and which categories end which scopes."""

    rules: tuple[dict[str, Any], ...]
    terminating_types: dict[str, tuple[str, ...]]


def resource_path(name: str) -> Path:
    """The path of a packaged rule file."""
    return Path(str(resources.files("extraction") / "resources" / name))


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"rule file {path.name} not found") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"rule file {path.name} is not valid JSON: {exc}") from exc


def _check_keys(obj: Any, allowed: set[str], required: set[str], where: str) -> None:
    if not isinstance(obj, dict):
        raise ConfigError("invalid rule file", [FieldProblem(where, "must be an object", type(obj).__name__)])
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise ConfigError("invalid rule file", [FieldProblem(where, "unknown keys", unknown)])
    missing = sorted(required - set(obj))
    if missing:
        raise ConfigError("invalid rule file", [FieldProblem(where, "missing keys", missing)])


def _str_list(obj: Any, where: str) -> tuple[str, ...]:
    if not isinstance(obj, list) or not all(isinstance(x, str) and x.strip() for x in obj):
        raise ConfigError("invalid rule file", [FieldProblem(where, "must be a list of non-empty strings")])
    return tuple(obj)


def _token_patterns(obj: Any, where: str) -> tuple[tuple[dict[str, Any], ...], ...]:
    if not isinstance(obj, list) or not obj:
        raise ConfigError("invalid rule file", [FieldProblem(where, "must be a non-empty list of patterns")])
    out = []
    for i, pattern in enumerate(obj):
        if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) for t in pattern):
            raise ConfigError(
                "invalid rule file", [FieldProblem(f"{where}[{i}]", "must be a list of token dicts")]
            )
        out.append(tuple(pattern))
    return tuple(out)


def load_sections(path: Path | None = None) -> tuple[SectionSpec, ...]:
    """Section categories and headers from ``sections.json``."""
    data = _read(path or resource_path("sections.json"))
    _check_keys(data, {"description", "sections"}, {"sections"}, "$")
    specs = []
    for i, item in enumerate(data["sections"]):
        where = f"sections[{i}]"
        _check_keys(item, {"category", "headers", "max_scope", "comment"}, {"category", "headers"}, where)
        if not isinstance(item["category"], str) or not item["category"]:
            raise ConfigError("invalid rule file", [FieldProblem(f"{where}.category", "must be a string")])
        max_scope = item.get("max_scope")
        if max_scope is not None and (not isinstance(max_scope, int) or max_scope < 1):
            raise ConfigError(
                "invalid rule file", [FieldProblem(f"{where}.max_scope", "must be a positive integer", max_scope)]
            )
        headers = _str_list(item["headers"], f"{where}.headers")
        specs.append(SectionSpec(item["category"], headers, max_scope))
    return tuple(specs)


def load_concepts(path: Path | None = None) -> tuple[ConceptRule, ...]:
    """Concept rules from ``concepts.json``, each value checked against the shared vocabulary."""
    data = _read(path or resource_path("concepts.json"))
    _check_keys(data, {"description", "rules"}, {"rules"}, "$")
    out = []
    for i, item in enumerate(data["rules"]):
        where = f"rules[{i}]"
        _check_keys(item, {"label", "value", "phrases", "patterns", "comment"}, {"label"}, where)
        label = item["label"]
        if label not in LABEL_VALUES:
            raise ConfigError("invalid rule file", [FieldProblem(f"{where}.label", "unknown label", label)])
        allowed = LABEL_VALUES[label]
        value = item.get("value")
        if allowed is None and value is not None:
            raise ConfigError(
                "invalid rule file", [FieldProblem(f"{where}.value", f"{label} takes no value", value)]
            )
        if allowed is not None and value not in allowed:
            raise ConfigError(
                "invalid rule file",
                [FieldProblem(f"{where}.value", f"must be one of {list(allowed)}", value)],
            )
        phrases = _str_list(item["phrases"], f"{where}.phrases") if "phrases" in item else ()
        patterns = _token_patterns(item["patterns"], f"{where}.patterns") if "patterns" in item else ()
        if not phrases and not patterns:
            raise ConfigError("invalid rule file", [FieldProblem(where, "needs phrases or patterns")])
        out.append(ConceptRule(label, value, phrases, patterns))
    return tuple(out)


def load_context(path: Path | None = None) -> ContextConfig:
    """ConText modifier rules from ``context_rules.json``."""
    data = _read(path or resource_path("context_rules.json"))
    _check_keys(data, {"description", "context_rules", "terminating_types"}, {"context_rules"}, "$")
    rules = []
    for i, item in enumerate(data["context_rules"]):
        where = f"context_rules[{i}]"
        _check_keys(item, _CONTEXT_RULE_KEYS, {"literal", "category"}, where)
        direction = item.get("direction", "BIDIRECTIONAL")
        if direction not in _CONTEXT_DIRECTIONS:
            raise ConfigError(
                "invalid rule file", [FieldProblem(f"{where}.direction", "unknown direction", direction)]
            )
        for key in ("allowed_types", "excluded_types"):
            if key in item:
                for label in _str_list(item[key], f"{where}.{key}"):
                    if label not in LABEL_VALUES:
                        raise ConfigError(
                            "invalid rule file", [FieldProblem(f"{where}.{key}", "unknown label", label)]
                        )
        rules.append(dict(item))
    terminating: dict[str, tuple[str, ...]] = {}
    raw_terminating = data.get("terminating_types", {})
    if not isinstance(raw_terminating, dict):
        raise ConfigError("invalid rule file", [FieldProblem("terminating_types", "must be an object")])
    for category, by in raw_terminating.items():
        terminating[category] = _str_list(by, f"terminating_types.{category}")
    return ContextConfig(tuple(rules), terminating)
