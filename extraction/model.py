"""The structured report as a typed model: what structuring returns for one free-text report.

Every value read from the text is a :class:`Value` (a string: a category, a date, a blood
pressure, free text) or a :class:`Number`, each with the ``[start, end)`` span of the text that
states it and its certainty. A field the report does not mention is None (or an empty list),
never guessed.

The model's JSON Schema is, in content, ``shared/schemas/structured_report.schema.json``
(``tests/extraction/test_structured_model.py`` compares them). Where the model is stricter than
that schema, or adds to it, the test names the difference:

- a :class:`Value`'s ``value`` is a string (the schema leaves it open);
- a tracer list holds no nulls (the schema's items may be null through its shared ``value``);
- a :class:`Number` read from a range ("55-60%") keeps the range's bounds in ``range`` (the
  schema's value objects admit further properties); it is left out of the JSON when absent.

``StructuredReport.as_json()`` is the JSON object ``extraction.structure`` returns.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, WithJsonSchema
from pydantic.json_schema import SkipJsonSchema

from reporter.domain.vocabulary import Certainty, Extent, Reversibility, Severity, Territory, Wall

__all__ = [
    "CalciumSection",
    "Defect",
    "FlowSection",
    "FunctionSection",
    "ImpressionSection",
    "Number",
    "PerfusionSection",
    "Span",
    "StressTestSection",
    "StructuredReport",
    "StudySection",
    "Value",
]

Span = Annotated[
    list[NonNegativeInt],
    Field(min_length=2, max_length=2, description="[start, end) character offsets into the input text"),
]
# An int stays an int ("64", not "64.0" in the JSON); the schema's "number" admits both.
NumberValue = Annotated[int | float, WithJsonSchema({"type": "number"})]


class _Node(BaseModel):
    model_config = ConfigDict(frozen=True)


class Value(_Node):
    """A value stated by the text as a string: a category, an ISO date, 'SYS/DIA', free text."""

    value: str
    span: Span
    certainty: Certainty = Certainty.AFFIRMED


class Number(_Node):
    """A number stated by the text; ``range`` holds the bounds when it was written as a range."""

    value: NumberValue
    span: Span
    certainty: Certainty = Certainty.AFFIRMED
    range: Annotated[list[float], Field(min_length=2, max_length=2)] | None = Field(
        default=None, exclude_if=lambda bounds: bounds is None, description="[low, high] of a written range"
    )


def _value(description: str | None = None) -> Any:
    return Field(default=None, description=description)


class StudySection(_Node):
    modality: Value | None = _value("SPECT | PET")
    study_date: Value | None = _value("ISO date YYYY-MM-DD")
    tracers: list[Value] = Field(
        default_factory=list,
        description="Tc-99m sestamibi | Tc-99m tetrofosmin | Tl-201 | Rb-82 | N-13 ammonia | F-18 flurpiridaz | "
        "F-18 FDG | Tc-99m PYP",
    )
    protocol: Value | None = _value("rest-stress | stress-rest | stress-only | two-day | dual-isotope")
    stress_type: Value | None = _value("exercise | pharmacologic | exercise+pharmacologic")
    stress_agent: Value | None = _value("regadenoson | adenosine | dipyridamole | dobutamine")
    indication: Value | None = _value("free text, as written")


class StressTestSection(_Node):
    exercise_duration_min: Number | None = _value()
    mets: Number | None = _value()
    rest_hr_bpm: Number | None = _value()
    peak_hr_bpm: Number | None = _value()
    percent_mphr: Number | None = _value("percent of age-predicted maximal heart rate")
    rest_bp: Value | None = _value("'SYS/DIA' mmHg")
    peak_bp: Value | None = _value("'SYS/DIA' mmHg")
    chest_pain: Value | None = _value("present | absent")
    ecg_response: Value | None = _value("ischemic | nonischemic | nondiagnostic | equivocal")
    duke_treadmill_score: Number | None = _value()


class Defect(_Node):
    """A perfusion defect as the text states it; its span is its clause."""

    span: Span
    territory: Territory | None = None
    walls: list[Wall] = Field(default_factory=list)
    severity: Severity | None = None
    extent: Extent | None = None
    reversibility: Reversibility | None = None
    certainty: Certainty = Certainty.AFFIRMED
    # Provenance of a defect an addendum changed ("ADDENDUM: the defect also involves the inferoseptum"): the
    # spans of those statements, while ``span`` stays its first description. Written only when there is one;
    # left out of the JSON schema, which is the shared schema (its defect items admit further keys).
    amended_by: SkipJsonSchema[list[Span] | None] = Field(default=None, exclude_if=lambda spans: not spans)


class PerfusionSection(_Node):
    result: Value | None = _value("normal | abnormal | equivocal | probably normal")
    defects: list[Defect] = Field(default_factory=list)
    sss: Number | None = _value()
    srs: Number | None = _value()
    sds: Number | None = _value()
    stress_tpd_percent: Number | None = _value()
    ischemic_tpd_percent: Number | None = _value()
    artifact: Value | None = _value("attenuation | motion | extracardiac activity | none")


class FunctionSection(_Node):
    lvef_percent: Number | None = _value(
        "the LVEF the report states as its main figure (post-stress gated unless only rest is given)"
    )
    rest_lvef_percent: Number | None = _value()
    edv_ml: Number | None = _value()
    esv_ml: Number | None = _value()
    tid_ratio: Number | None = _value()
    wall_motion: Value | None = _value("normal | abnormal")
    lv_size: Value | None = _value("normal | dilated")


class FlowSection(_Node):
    stress_mbf: Number | None = _value("global, mL/min/g")
    rest_mbf: Number | None = _value("global, mL/min/g")
    mfr: Number | None = _value("global myocardial flow reserve")


class CalciumSection(_Node):
    cac_score: Number | None = _value("Agatston")
    cac_present: Value | None = _value("present | absent (visual, when no score is given)")


class ImpressionSection(_Node):
    overall: Value | None = _value("normal | abnormal | equivocal | probably normal")
    ischemia: Value | None = _value("present | absent")
    infarction: Value | None = _value("present | absent")
    risk: Value | None = _value("low | intermediate | high")
    comparison: Value | None = _value("unchanged | improved | worsened | no prior")


class StructuredReport(_Node):
    """What prior-report structuring returns for one free-text report."""

    model_config = ConfigDict(title="Structured nuclear cardiology report")

    study: StudySection
    stress_test: StressTestSection
    perfusion: PerfusionSection
    function: FunctionSection
    flow: FlowSection
    calcium: CalciumSection
    impression: ImpressionSection

    @classmethod
    def empty(cls) -> StructuredReport:
        """The report of a text that states nothing: every field None, every list empty."""
        return cls(
            study=StudySection(),
            stress_test=StressTestSection(),
            perfusion=PerfusionSection(),
            function=FunctionSection(),
            flow=FlowSection(),
            calcium=CalciumSection(),
            impression=ImpressionSection(),
        )

    def as_json(self) -> dict[str, Any]:
        """The JSON object of ``structured_report.schema.json`` (nulls kept, an absent range left out)."""
        return self.model_dump(mode="json")
