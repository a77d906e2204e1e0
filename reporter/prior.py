"""A prior study from a prior report's structured form (``extraction.structure`` output).

Only affirmed current values of the prior report are taken; its own historical and uncertain
statements are not facts about the prior study. The free text itself never goes further than
extraction: rules, templates and language models see only these structured values.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from reporter.domain.study import Perfusion, PriorDefect, PriorStudy, Study
from reporter.domain.vocabulary import Wall
from reporter.errors import InputError, StudyValidationError
from reporter.inputs import problems_from

__all__ = ["attach_prior_report", "prior_from_structured"]

_WALLS = {w.value for w in Wall}


def _value(obj: dict[str, Any] | None, *path: str) -> Any:
    node: Any = obj
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    if not isinstance(node, dict) or node.get("certainty", "affirmed") != "affirmed":
        return None
    return node.get("value")


def prior_from_structured(structured: dict[str, Any]) -> PriorStudy:
    """Map a structured prior report onto the PriorStudy the comparison rules read."""
    date = _value(structured, "study", "study_date")
    sss, srs, sds = (_value(structured, "perfusion", k) for k in ("sss", "srs", "sds"))
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
            territory=d.get("territory"),
            walls=tuple(w for w in d.get("walls") or () if w in _WALLS),
            severity=d.get("severity"),
            extent=d.get("extent"),
            reversibility=d.get("reversibility"),
        )
        for d in (structured.get("perfusion") or {}).get("defects") or ()
        if d.get("certainty", "affirmed") == "affirmed"
    )
    result = _value(structured, "perfusion", "result")
    try:
        return PriorStudy(
            study_date=dt.date.fromisoformat(date) if isinstance(date, str) else None,
            modality=_value(structured, "study", "modality"),
            perfusion=perfusion,
            perfusion_result=result,
            defects=defects if (defects or result is not None) else None,
            lvef_percent=_value(structured, "function", "lvef_percent"),
            tid_ratio=_value(structured, "function", "tid_ratio"),
            mfr=_value(structured, "flow", "mfr"),
            agatston_total=_value(structured, "calcium", "cac_score"),
        )
    except (ValidationError, ValueError) as exc:
        problems = problems_from(exc) if isinstance(exc, ValidationError) else []
        raise StudyValidationError("the prior report's structured values are not a valid prior study",
                                   problems) from exc


def attach_prior_report(study: Study, report_text: str) -> Study:
    """The study with its prior taken from a free-text prior report."""
    from extraction import structure

    if study.prior is not None:
        raise InputError("the study already has a prior; give either 'prior' in the study or a prior report")
    prior = prior_from_structured(structure(report_text))
    return study.model_copy(update={"prior": prior})
