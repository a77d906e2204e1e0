"""The draft use-case: prior report, rules, decision support, narrative, and the fallback flags.

``draft(study, options)`` is what the reading room asks for. Each step that can fail without
making the report wrong degrades instead of raising: a backend that cannot run leaves the
narrative rule-based with its N103 flag, and a risk model that does not apply to the study is
left out with a warning. Bad input (an invalid prior report, incomplete LLM settings) raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reporter.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds

if TYPE_CHECKING:
    from reporter.domain.study import Study
    from reporter.render import TemplateSet
    from reporter.report import Report, Sentence

__all__ = ["DraftOptions", "DraftResult", "draft", "llm_config", "render"]


@dataclass(frozen=True, slots=True)
class DraftOptions:
    """How to draft: site thresholds and templates, a prior report's text, a risk model, the LLM.

    ``llm`` holds the LLM settings (backend, URL, model) as given by the caller; fields left out
    come from the environment or the defaults of :class:`reporter.llm.settings.LLMConfig`.
    ``{"backend": "none"}`` keeps the narrative rule-based.
    """

    thresholds: Thresholds = DEFAULT_THRESHOLDS
    templates_dir: Path | None = None
    prior_report: str | None = None
    risk_model_dir: Path | None = None
    llm: dict[str, Any] = field(default_factory=lambda: {"backend": "none"})


@dataclass(frozen=True, slots=True)
class DraftResult:
    """The report, and what the caller should tell the user about how it was made."""

    report: Report
    warnings: tuple[str, ...] = ()


def llm_config(settings: dict[str, Any]) -> Any:
    """LLM settings from the caller's values over the environment and defaults; ConfigError if incomplete."""
    from pydantic import ValidationError

    from reporter.errors import ConfigError, FieldProblem
    from reporter.inputs import problems_from
    from reporter.llm.settings import LLMConfig

    try:
        return LLMConfig(**{k: v for k, v in settings.items() if v is not None})
    except ValidationError as exc:
        # values withheld: a URL or key may hold a secret
        problems = [FieldProblem(p.field, p.message) for p in problems_from(exc)]
        raise ConfigError("the LLM settings are incomplete or invalid", problems) from exc


def _decision_support(model_dir: Path, study: Study) -> tuple[tuple[Sentence, ...], tuple[str, ...]]:
    """The risk model's line for the report, or nothing and a warning when it does not apply."""
    from reporter.errors import InputError
    from reporter.report import Sentence
    from reporter.risk import RiskModel, explain_study

    model = RiskModel.load(model_dir)
    try:
        explanation = explain_study(model, study)
    except InputError as exc:
        return (), (f"decision-support line left out: {exc}",)
    if explanation.missing_inputs:
        # A missing input goes down the trees' default branch and can move the probability a lot (0.04 to
        # 0.69 seen): a report line must not rest on it.
        absent = ", ".join(f"{m.label} ({m.reason})" for m in explanation.missing_inputs)
        return (), (f"decision-support line left out: the model lacks {absent}",)
    sentence = Sentence(
        text=explanation.summary(),
        codes=("DECISION_SUPPORT",),
        evidence=tuple(f"model input: {c.description}" for c in explanation.top(3)),
        origin=f"risk model {explanation.model_name} {explanation.model_version}",
    )
    return (sentence,), ()


def _narrate(report: Report, study: Study, settings: dict[str, Any]) -> Report:
    """Phrase the narrative with the configured backend; a backend that cannot run leaves it rule-based, flagged."""
    from reporter.errors import BackendError
    from reporter.report import no_llm_flag

    if settings.get("backend") == "none":
        return report
    config = llm_config(settings)
    if config.backend == "none":
        return report
    try:
        from reporter.llm.backends import make_backend
        from reporter.llm.drafter import draft_with_llm
    except ImportError as exc:  # LangChain missing: the base install without [llm]
        return report.model_copy(update={"flags": (*report.flags, no_llm_flag(str(exc)))})
    try:
        backend = make_backend(config)
    except BackendError as exc:
        return report.model_copy(update={"flags": (*report.flags, no_llm_flag(f"{exc.code}: {exc.message}"))})
    return draft_with_llm(report, study, backend, config.generation)


def draft(study: Study, options: DraftOptions | None = None) -> DraftResult:
    """Draft one study's report: rules first, then the narrative phrased by the configured LLM."""
    from reporter.render import template_set
    from reporter.report import draft_report

    options = options or DraftOptions()
    if options.prior_report is not None:
        from reporter.prior import attach_prior_report

        study = attach_prior_report(study, options.prior_report)
    templates = template_set(options.templates_dir)
    support: tuple[Sentence, ...] = ()
    warnings: tuple[str, ...] = ()
    if options.risk_model_dir is not None:
        support, warnings = _decision_support(options.risk_model_dir, study)
    report = draft_report(study, options.thresholds, templates, decision_support=support)
    return DraftResult(report=_narrate(report, study, options.llm), warnings=warnings)


def render(report: Report, fmt: str, templates_dir: Path | None = None, mark_model_sentences: bool = False) -> str:
    """A report laid out as ``text``, ``html`` or ``json``.

    Drafting notes (the flags N1xx and the guardrails' G-codes) are in the JSON only: the text and HTML are
    what a physician signs. ``mark_model_sentences`` tags the sentences a language model phrased.
    """
    from reporter.render import template_set

    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    templates: TemplateSet = template_set(templates_dir)
    return templates.render(report, fmt, mark_model_sentences)
