"""Monitoring of the drafting assistant, per ISO week, from the reading room's own rows.

drafts               draft versions made (rule-based and by a model)
passed/repaired/replaced   the model's sentences: passed verification first time, passed after a
                     repair, replaced by the rule-based sentence (``Provenance.llm`` of each draft)
flags per code       flags raised on every version (drafts and the physicians' edits)
changed share        of the drafted sentences of reports signed that week, the share not found
                     word for word in the signed text (the physician changed them)
latency              median seconds from a draft job queued to done, and the model's own time
input drift          when a risk model is configured: PSI per feature of the studies submitted each
                     week against the model's training distribution (:func:`input_drift`)
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from reporter.service.access import Actor, Permission, require
from reporter.storage.models import Job, Report, ReportVersion, Signature, StudyRow

if TYPE_CHECKING:
    from reporter.risk.drift import FeatureDrift
    from reporter.risk.manifest import FeatureReference

__all__ = ["DriftWeek", "InputDrift", "Week", "input_drift", "psi_by_week", "weekly"]


@dataclass
class Week:
    week: str  # ISO year-week, e.g. 2026-W49
    drafts: int = 0
    model_drafts: int = 0
    passed: int = 0
    repaired: int = 0
    replaced: int = 0
    flags: Counter[str] = field(default_factory=Counter)
    drafted_sentences_signed: int = 0
    changed_sentences: int = 0
    job_seconds: list[float] = field(default_factory=list)
    model_seconds: list[float] = field(default_factory=list)

    @property
    def changed_share(self) -> float | None:
        return self.changed_sentences / self.drafted_sentences_signed if self.drafted_sentences_signed else None

    @property
    def median_job_s(self) -> float | None:
        return statistics.median(self.job_seconds) if self.job_seconds else None

    @property
    def median_model_s(self) -> float | None:
        return statistics.median(self.model_seconds) if self.model_seconds else None


def _week(at: dt.datetime) -> str:
    year, week, _ = at.isocalendar()
    return f"{year}-W{week:02d}"


def _sentences(report_json: str | None) -> list[str]:
    if not report_json:
        return []
    return [s["text"] for section in json.loads(report_json).get("sections", []) for s in section["sentences"]]


def weekly(session: Session, actor: Actor, weeks: int = 12, now: dt.datetime | None = None) -> list[Week]:
    """The last ``weeks`` ISO weeks, oldest first (weeks without activity included)."""
    require(actor, Permission.READ_MONITORING)
    now = now or dt.datetime.now(dt.UTC)
    since = now - dt.timedelta(weeks=weeks)
    out: dict[str, Week] = {}
    for n in range(weeks, -1, -1):
        label = _week(now - dt.timedelta(weeks=n))
        out.setdefault(label, Week(label))

    def at(moment: dt.datetime) -> Week:
        label = _week(moment)
        return out.setdefault(label, Week(label))

    for version in session.scalars(select(ReportVersion).where(ReportVersion.created_at >= since)):
        week = at(version.created_at)
        week.flags.update(f["code"] for f in version.flags)
        if not version.origin.startswith("draft:"):
            continue
        week.drafts += 1
        llm = json.loads(version.report_json or "{}").get("provenance", {}).get("llm") or {}
        if llm:
            week.model_drafts += 1
            week.passed += int(llm.get("passed_first_time", 0))
            week.repaired += int(llm.get("repaired", 0))
            week.replaced += int(llm.get("replaced", 0))
            if llm.get("draft_seconds") is not None:
                week.model_seconds.append(float(llm["draft_seconds"]))
    for job in session.scalars(select(Job).where(Job.kind == "draft", Job.state == "done", Job.created_at >= since)):
        if job.finished_at is not None:
            at(job.finished_at).job_seconds.append((job.finished_at - job.created_at).total_seconds())
    signed = session.execute(
        select(Report.id, ReportVersion.text, Signature.signed_at)
        .join(ReportVersion, ReportVersion.report_id == Report.id)
        .join(Signature, Signature.version_id == ReportVersion.id)
        .where(Signature.signed_at >= since)
    )
    for report_id, text, signed_at in signed:
        first_draft = session.scalar(
            select(ReportVersion.report_json)
            .where(ReportVersion.report_id == report_id, ReportVersion.report_json.is_not(None))
            .order_by(ReportVersion.number)
            .limit(1)
        )
        drafted = _sentences(first_draft)
        week = at(signed_at)
        week.drafted_sentences_signed += len(drafted)
        week.changed_sentences += sum(sentence not in text for sentence in drafted)
    return [out[k] for k in sorted(out)]


# ---- input drift of the submitted studies ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DriftWeek:
    """One week's submitted studies against the training distribution; no features when none was submitted."""

    week: str
    studies: int
    features: tuple[FeatureDrift, ...] = ()


@dataclass(frozen=True, slots=True)
class InputDrift:
    """PSI per feature per week, or why there is none (``note``: no model configured, inputs not in a study)."""

    model: str | None = None  # name and version of the configured model
    weeks: tuple[DriftWeek, ...] = ()
    note: str | None = None
    # the PSI alert levels and the sample below which PSI is noisy (declared in reporter.risk.drift)
    moderate: float | None = None
    major: float | None = None
    small_sample: int | None = None

    @property
    def features(self) -> list[tuple[str, str]]:
        """(feature, label) in the model's order, from the first week that has studies."""
        first = next((w for w in self.weeks if w.features), None)
        return [] if first is None else [(f.feature, f.label) for f in first.features]


def psi_by_week(
    rows: Iterable[tuple[str, Mapping[str, float | None]]],
    reference: Sequence[FeatureReference],
    labels: Mapping[str, str],
    weeks: Sequence[str],
) -> tuple[DriftWeek, ...]:
    """PSI per feature of each week's rows (week, feature values; None is missing) against ``reference``."""
    import pandas as pd

    from reporter.risk.drift import drift_report

    by_week: dict[str, list[Mapping[str, float | None]]] = {w: [] for w in weeks}
    for week, values in rows:
        by_week.setdefault(week, []).append(values)
    names = [ref.name for ref in reference]
    out = []
    for week in sorted(by_week):
        studies = by_week[week]
        if not studies:
            out.append(DriftWeek(week, 0))
            continue
        table = pd.DataFrame([[v.get(n) for n in names] for v in studies], columns=names, dtype=float)
        report = drift_report(table, reference, dict(labels), model_name="", model_version="", data_source=week)
        out.append(DriftWeek(week, len(studies), report.features))
    return tuple(out)


def input_drift(
    session: Session, actor: Actor, model_dir: Path | None, weeks: int = 12, now: dt.datetime | None = None
) -> InputDrift:
    """PSI per feature per ISO week of the studies submitted, against the configured risk model's training data."""
    require(actor, Permission.READ_MONITORING)
    if model_dir is None:
        return InputDrift(note="no risk model configured")
    from reporter.inputs import parse_study
    from reporter.risk.drift import PSI_MAJOR, PSI_MODERATE, SMALL_SAMPLE_ROWS
    from reporter.risk.features import study_features
    from reporter.risk.model import RiskModel

    model = RiskModel.load(model_dir)
    task, manifest = model.task_spec, model.manifest_
    name = f"{manifest.name} {manifest.version}"
    if not task.from_study:
        return InputDrift(model=name, note=f"the model's inputs ({task.data}) are not fields of a submitted study")
    now = now or dt.datetime.now(dt.UTC)
    since = now - dt.timedelta(weeks=weeks)
    labels = [_week(now - dt.timedelta(weeks=n)) for n in range(weeks, -1, -1)]
    rows = []
    for created_at, raw in session.execute(
        select(StudyRow.created_at, StudyRow.study_json).where(StudyRow.created_at >= since)
    ):
        study = parse_study(raw.encode(), what="study")  # validated when it was submitted
        rows.append((_week(created_at), dict(study_features(task, study).values)))
    session.commit()
    drifts = psi_by_week(rows, model.reference_, {f.name: f.label for f in task.features}, labels)
    return InputDrift(model=name, weeks=drifts, moderate=PSI_MODERATE, major=PSI_MAJOR, small_sample=SMALL_SAMPLE_ROWS)
