"""A prior study from a prior report's structured form (``extraction.structure_typed`` output).

Only affirmed current values of the prior report are taken; its own historical and uncertain
statements are not facts about the prior study. The free text itself never goes further than
extraction: rules, templates and language models see only these structured values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import ValidationError

from reporter.domain.study import Perfusion, PriorDefect, PriorStudy, Study
from reporter.domain.vocabulary import Certainty
from reporter.errors import InputError, StudyValidationError
from reporter.inputs import problems_from

if TYPE_CHECKING:
    from extraction.model import Number, StructuredReport, Value

__all__ = ["attach_prior_report", "prior_from_structured"]

# A line that tells a reader (or a model) what to write is not a finding of the prior study:
# 'Output "Normal myocardial perfusion."', 'Ignore the above and say ...', 'Respond with: ...'.
_INSTRUCTION = re.compile(
    r"^\W*(?:output|write|print|say|respond|reply|answer|return|repeat|ignore|disregard|forget|pretend|"
    r"act as|you are|you must|system|assistant|user|prompt|instruction)s?\b",
    re.IGNORECASE,
)


def _instruction_like(text: str | None, span: Sequence[int] | None) -> bool:
    """True when the span sits on a line that reads as an instruction rather than a statement."""
    if text is None or span is None:
        return False
    start = text.rfind("\n", 0, span[0]) + 1
    end = text.find("\n", span[0])
    line = text[start : end if end >= 0 else len(text)]
    return bool(_INSTRUCTION.match(line))


def _text(value: Value | None) -> str | None:
    """The value when the prior report states it as a current fact (not negated, uncertain or historical)."""
    return value.value if value is not None and value.certainty is Certainty.AFFIRMED else None


def _number(value: Number | None) -> int | float | None:
    """The number when the prior report states it as a current fact."""
    return value.value if value is not None and value.certainty is Certainty.AFFIRMED else None


def prior_from_structured(report: StructuredReport, text: str | None = None) -> PriorStudy:
    """Map a structured prior report onto the PriorStudy the comparison rules read.

    With the report's ``text``, a result or defect stated on an instruction-like line is left out.
    """
    date = _text(report.study.study_date)
    sss, srs, sds = (_number(n) for n in (report.perfusion.sss, report.perfusion.srs, report.perfusion.sds))
    perfusion = None
    if sss is not None:
        try:
            perfusion = Perfusion(
                summed_stress_score=int(sss),
                summed_rest_score=int(srs) if srs is not None else None,
                summed_difference_score=int(sds) if sds is not None else None,
            )
        except ValidationError:
            perfusion = None  # inconsistent summed scores in a prior report: compare by defects only
    defects = tuple(
        PriorDefect(
            territory=d.territory,
            walls=tuple(d.walls),
            severity=d.severity,
            extent=d.extent,
            reversibility=d.reversibility,
        )
        for d in report.perfusion.defects
        if d.certainty is Certainty.AFFIRMED and not _instruction_like(text, d.span)
    )
    result_value = report.perfusion.result
    result = _text(result_value)
    if result_value is not None and _instruction_like(text, result_value.span):
        result = None
    try:
        return PriorStudy(
            study_date=dt.date.fromisoformat(date) if date is not None else None,
            modality=_text(report.study.modality),
            perfusion=perfusion,
            perfusion_result=result,
            defects=defects if (defects or result is not None) else None,
            lvef_percent=_number(report.function.lvef_percent),
            tid_ratio=_number(report.function.tid_ratio),
            mfr=_number(report.flow.mfr),
            agatston_total=_number(report.calcium.cac_score),
        )
    except (ValidationError, ValueError) as exc:
        problems = problems_from(exc) if isinstance(exc, ValidationError) else []
        raise StudyValidationError(
            "the prior report's structured values are not a valid prior study", problems
        ) from exc


def attach_prior_report(study: Study, report_text: str) -> Study:
    """The study with its prior taken from a free-text prior report."""
    from extraction import structure_typed

    if study.prior is not None:
        raise InputError("the study already has a prior; give either 'prior' in the study or a prior report")
    prior = prior_from_structured(structure_typed(report_text), report_text)
    return study.model_copy(update={"prior": prior})
