"""The model card: a markdown page rendered from the manifest (nothing in it is typed by hand)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files

from reporter.risk.explain import DISCLAIMER
from reporter.risk.features import get_task
from reporter.risk.manifest import EvaluationRecord, Manifest, MetricSet

__all__ = ["render_model_card"]

_TEMPLATE = "model_card.md.j2"


@dataclass(frozen=True, slots=True)
class _Evaluation:
    title: str
    record: EvaluationRecord

    @property
    def rows(self) -> list[tuple[str, MetricSet]]:
        rows = [("xgboost", self.record.xgboost)]
        if self.record.logistic is not None:
            rows.append(("logistic baseline", self.record.logistic))
        return rows


def _fmt_auc(ms: MetricSet) -> str:
    if ms.auc is None or ms.auc_ci_low is None or ms.auc_ci_high is None:
        return "n/a (one class)"
    return f"{ms.auc:.3f} ({ms.auc_ci_low:.3f}–{ms.auc_ci_high:.3f})"


def render_model_card(manifest: Manifest) -> str:
    """Markdown model card for a saved model: intended use, data, metrics, limits."""
    from jinja2 import Environment, StrictUndefined

    env = Environment(
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = env.from_string(files("reporter.risk").joinpath(_TEMPLATE).read_text(encoding="utf-8"))
    evaluations = [_Evaluation("cross-validation", manifest.cross_validation)]
    if manifest.holdout is not None:
        evaluations.append(_Evaluation("fixed test split", manifest.holdout))
    text = template.render(
        m=manifest,
        task=get_task(manifest.task),
        evaluations=evaluations,
        disclaimer=DISCLAIMER,
        fmt_auc=_fmt_auc,
    )
    # Collapse the blank lines Jinja leaves around blocks.
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip() or (lines and lines[-1].strip()):
            lines.append(line.rstrip())
    return "\n".join(lines).strip() + "\n"
