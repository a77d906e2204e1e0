"""The typed structured report (extraction.model): its schema is the shared schema, in content."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest

from extraction.model import Number, StructuredReport, Value

# Keys that only document a schema; two schemas that differ only in these say the same.
_DOC_KEYS = {"title", "description", "$schema", "$id", "$comment", "examples"}


def _canonical(node: Any, defs: dict[str, Any]) -> Any:
    """A schema node with $refs inlined, allOf merged and null-ability written one way.

    The two schemas spell the same content differently: the shared one writes a nullable object
    as ``"type": ["object", "null"]`` and a nullable enum with ``null`` among its members; pydantic
    writes ``anyOf: [X, {"type": "null"}]`` and an enum as a ``$ref`` to a named definition with
    ``"type": "string"``. Here both become ``{"types": {...}}`` / ``{"enum": {...}}`` with null
    inside, and the definitions' names disappear with the refs.
    """
    if isinstance(node, list):
        return [_canonical(n, defs) for n in node]
    if not isinstance(node, dict):
        return node
    node = dict(node)
    if "$ref" in node:
        target = defs[node.pop("$ref").removeprefix("#/$defs/")]
        node = {**target, **node}
    parts = node.pop("allOf", [])
    for part in parts:
        resolved = _canonical(part, defs)
        for key, value in resolved.items():
            if key == "properties":
                node["properties"] = {**value, **node.get("properties", {})}
            else:
                node.setdefault(key, value)
    if "anyOf" in node:
        options = [o for o in node.pop("anyOf") if o != {"type": "null"}]
        assert len(options) == 1, options
        inner = _canonical({**options[0], **node}, defs)
        if "enum" in inner:
            inner["enum"] = inner["enum"] | {None}
        else:
            inner["types"] = inner["types"] | {"null"}
        return inner
    out: dict[str, Any] = {}
    types = node.get("type")
    if isinstance(types, str):
        types = [types]
    if "enum" in node:
        members = set(node["enum"])
        if types and "null" in types:
            members.add(None)
        out["enum"] = frozenset(members)  # an enum's members say its type
    elif types is not None:
        out["types"] = frozenset(types)
    for key, value in node.items():
        if key in _DOC_KEYS or key in ("type", "enum", "$defs"):
            continue
        if key == "default" and value is None:
            continue  # "not mentioned is null" is the schema's rule; pydantic writes it per field
        if key == "properties":
            out[key] = {name: _canonical(v, defs) for name, v in value.items()}
        elif key == "required":
            out[key] = frozenset(value)
        else:
            out[key] = _canonical(value, defs)
    out.setdefault("additionalProperties", True)
    if out.get("types") and "object" not in out["types"]:
        out.pop("additionalProperties")
    return out


def _canonical_schema(schema: dict[str, Any]) -> Any:
    return _canonical(schema, schema.get("$defs", {}))


def _shared_with_documented_differences(shared: dict[str, Any]) -> Any:
    """The shared schema with the three differences extraction/model.py documents applied."""
    out = _canonical_schema(shared)
    for section in out["properties"].values():
        for field in section["properties"].values():
            items = field.get("items")
            if isinstance(items, dict) and "properties" in items and "value" in items["properties"]:
                items["types"] = frozenset({"object"})  # a tracer list holds no nulls
                field = items
            props = field.get("properties")
            if props is None or "value" not in props:
                continue
            if props["value"] == {"additionalProperties": True}:  # the open "value"
                props["value"] = {"types": frozenset({"string"})}  # a Value's value is a string
            else:  # a number: it may keep the bounds of a written range
                props["range"] = {
                    "types": frozenset({"array", "null"}),
                    "items": {"types": frozenset({"number"})},
                    "minItems": 2,
                    "maxItems": 2,
                }
    return out


def test_generated_schema_equals_the_shared_schema_in_content(schema: dict[str, Any]) -> None:
    generated = _canonical_schema(StructuredReport.model_json_schema())
    assert generated == _shared_with_documented_differences(schema)


def test_the_comparison_sees_a_changed_enum(schema: dict[str, Any]) -> None:
    changed = copy.deepcopy(schema)
    changed["properties"]["perfusion"]["properties"]["defects"]["items"]["properties"]["extent"]["enum"].remove("large")
    assert _canonical_schema(StructuredReport.model_json_schema()) != _shared_with_documented_differences(changed)


def test_the_comparison_sees_a_required_field(schema: dict[str, Any]) -> None:
    changed = copy.deepcopy(schema)
    changed["properties"]["flow"]["required"] = ["mfr"]
    assert _canonical_schema(StructuredReport.model_json_schema()) != _shared_with_documented_differences(changed)


def test_the_shared_schema_admits_the_range_the_model_adds(schema: dict[str, Any]) -> None:
    report = StructuredReport.empty().model_copy(
        update={
            "function": StructuredReport.empty().function.model_copy(
                update={"lvef_percent": Number(value=57.5, span=[5, 11], range=[55.0, 60.0])}
            )
        }
    )
    jsonschema.Draft202012Validator(schema).validate(report.as_json())


def test_empty_report_json() -> None:
    empty = StructuredReport.empty().as_json()
    assert empty["study"] == {
        "modality": None,
        "study_date": None,
        "tracers": [],
        "protocol": None,
        "stress_type": None,
        "stress_agent": None,
        "indication": None,
    }
    assert empty["flow"] == {"stress_mbf": None, "rest_mbf": None, "mfr": None}
    assert list(empty) == ["study", "stress_test", "perfusion", "function", "flow", "calcium", "impression"]


TEXT = """STUDY DATE: 08/27/2024
PROCEDURE: One-day rest/stress Tc-99m sestamibi gated SPECT.
FINDINGS: There is a medium-sized, moderate, reversible defect in the anterior wall in the LAD territory.
SSS 6, SRS 0, SDS 6. Post-stress LVEF 55-60%. TID 1.05.
IMPRESSION: Abnormal study.
"""


def test_typed_report_of_a_text(structure_typed: Any) -> None:
    report = structure_typed(TEXT)
    assert isinstance(report, StructuredReport)
    assert report.study.study_date == Value(value="2024-08-27", span=[12, 22])
    assert report.function.lvef_percent == Number(value=57.5, span=[228, 234], range=[55.0, 60.0])
    assert report.perfusion.sss is not None and report.perfusion.sss.value == 6
    (defect,) = report.perfusion.defects
    assert (defect.territory, defect.walls, defect.severity, defect.extent, defect.reversibility) == (
        "LAD",
        ["anterior"],
        "moderate",
        "medium",
        "reversible",
    )


def test_json_round_trip_is_exact(structure: Any, structure_typed: Any) -> None:
    as_json = structure(TEXT)
    assert as_json["function"]["lvef_percent"] == {
        "value": 57.5,
        "span": [228, 234],
        "certainty": "affirmed",
        "range": [55.0, 60.0],
    }
    assert as_json["function"]["tid_ratio"] == {"value": 1.05, "span": [240, 244], "certainty": "affirmed"}
    assert as_json["perfusion"]["sss"] == {"value": 6, "span": [194, 195], "certainty": "affirmed"}
    again = StructuredReport.model_validate_json(json.dumps(as_json))
    assert again == structure_typed(TEXT)
    assert json.dumps(again.as_json()) == json.dumps(as_json)


@pytest.mark.parametrize(
    "bad",
    [
        {"value": None, "span": [0, 1]},
        {"value": "SPECT", "span": [0]},
        {"value": "SPECT", "span": [0, 1], "certainty": "maybe"},
    ],
)
def test_an_invalid_value_cannot_be_built(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="Value"):
        Value.model_validate(bad)
