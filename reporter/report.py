"""A report: Findings phrased as sentences, grouped in ASNC section order, with provenance.

Every sentence names the Finding codes, input fields and guidelines it rests on, so a reader
(or the guardrails) can trace it back to a number or a rule.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reporter.domain.finding import Finding, FindingCode, Section
from reporter.domain.flags import CATALOGUE, FlagCode
from reporter.domain.rules import RULES, SUMMARY_RULES, evaluate
from reporter.domain.study import Study
from reporter.domain.thresholds import DEFAULT_THRESHOLDS, GUIDELINES, Thresholds
from reporter.render import TemplateSet, template_set

__all__ = [
    "Identification",
    "Provenance",
    "Report",
    "ReportFlag",
    "ReportSection",
    "Sentence",
    "catalogued_flag",
    "draft_report",
    "no_llm_flag",
]

# Order of the impression statements (the rules emit them in evaluation order).
_IMPRESSION_ORDER = (
    FindingCode.IMPRESSION_PERFUSION,
    FindingCode.IMPRESSION_FUNCTION,
    FindingCode.IMPRESSION_FLOW,
    FindingCode.IMPRESSION_CALCIUM,
    FindingCode.IMPRESSION_STRESS,
    FindingCode.COMPARISON_OVERALL,
    FindingCode.RISK,
)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Sentence(_Out):
    text: str
    codes: tuple[str, ...]
    evidence: tuple[str, ...]
    guidelines: tuple[str, ...] = ()
    origin: str = Field("rules", description="'rules', or the LLM backend that phrased it")
    finding: int | None = Field(None, description="index of the Finding it phrases in Report.findings")


class ReportFlag(_Out):
    """Something the reader must know about how a sentence was produced (e.g. an LLM sentence replaced)."""

    code: str
    severity: str
    message: str
    section: Section | None = None
    sentence: int | None = Field(None, description="index of the sentence within its section")


class ReportSection(_Out):
    key: Section
    title: str
    sentences: tuple[Sentence, ...]


def catalogued_flag(
    code: FlagCode, section: Section | None = None, sentence: int | None = None, **fields: object
) -> ReportFlag:
    """A report flag with the catalogue's severity and message template (see reporter.domain.flags)."""
    spec = CATALOGUE[code]
    return ReportFlag(
        code=code.value,
        severity=spec.severity.value,
        message=spec.message(**fields),
        section=section,
        sentence=sentence,
    )


def no_llm_flag(reason: str) -> ReportFlag:
    """The warning (N103) a report carries when its narrative is rule-based because the model could not run."""
    return catalogued_flag(FlagCode.NO_LLM, reason=reason)


class Provenance(_Out):
    generator: str = "ncreport"
    version: str
    generated_at: dt.datetime
    input_sha256: str = Field(description="hash of the validated study (identifiers included), not the study")
    thresholds_sha256: str
    rules: tuple[str, ...]
    templates: str
    narrative: str = "rule-based"
    llm: dict[str, Any] | None = Field(None, description="backend, model, weights hash, prompt, settings, timing")
    measurement_sources: tuple[str, ...] = ()
    guidelines: dict[str, str] = Field(default_factory=dict)


class Identification(_Out):
    """Who and what the report is about, as the study gave it (PHI: printed in the text and HTML a physician
    signs, never in repr, logs, prompts or the JSON of the report)."""

    patient_name: str | None = None
    mrn: str | None = None
    birth_date: str | None = None
    accession: str | None = None
    study_date: str | None = None

    @classmethod
    def of(cls, study: Study) -> Identification:
        p = study.patient
        return cls(
            patient_name=p.name.get_secret_value() if p.name else None,
            mrn=p.mrn.get_secret_value() if p.mrn else None,
            birth_date=p.birth_date.isoformat() if p.birth_date else None,
            accession=study.accession.get_secret_value() if study.accession else None,
            study_date=study.study_date.isoformat() if study.study_date else None,
        )


class Report(_Out):
    sections: tuple[ReportSection, ...]
    findings: tuple[Finding, ...]
    provenance: Provenance
    flags: tuple[ReportFlag, ...] = ()
    identification: Identification = Field(default_factory=Identification, repr=False, exclude=True)

    def section(self, key: Section) -> ReportSection | None:
        return next((s for s in self.sections if s.key is key), None)

    def text_of(self, key: Section) -> str:
        section = self.section(key)
        return " ".join(s.text for s in section.sentences) if section else ""


@functools.cache  # importlib.metadata scans the installed distributions at each call (~1 ms a draft)
def _package_version() -> str:
    try:
        return version("ncreport")
    except PackageNotFoundError:  # running from a source tree without install
        return "0+unknown"


def _sha256(data: str) -> str:
    return hashlib.sha256(data.encode()).hexdigest()


def _ordered(findings: list[Finding]) -> list[int]:
    """Indexes of the findings in report order (sorting is stable within a section)."""
    rank = {code: i for i, code in enumerate(_IMPRESSION_ORDER)}
    sections = list(Section)

    def key(i: int) -> tuple[int, int]:
        f = findings[i]
        if f.section is not Section.IMPRESSION:
            return sections.index(f.section), 0
        # A severely reduced flow reserve with near-normal relative perfusion leads the impression:
        # it is the finding that carries the risk (possible balanced multivessel or left-main disease).
        leads = f.code is FindingCode.IMPRESSION_FLOW and f.values.get("leads") is True
        return sections.index(f.section), -1 if leads else rank.get(f.code, -1)

    return sorted(range(len(findings)), key=key)


def draft_report(
    study: Study,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    templates: TemplateSet | None = None,
    now: dt.datetime | None = None,
    decision_support: tuple[Sentence, ...] = (),
) -> Report:
    """Run the rules on a study and phrase the Findings with the templates.

    ``decision_support`` sentences (from a configured risk model) form their own, clearly
    labelled section after the impression; they never feed the rules or the impression.
    """
    templates = templates or template_set()
    findings = evaluate(study, thresholds)
    grouped: dict[Section, list[Sentence]] = {}
    for index in _ordered(findings):
        finding = findings[index]
        text = templates.phrase(finding)
        if text is None:
            continue
        grouped.setdefault(finding.section, []).append(
            Sentence(
                text=text,
                codes=(finding.code.value,),
                evidence=finding.evidence,
                guidelines=(finding.guideline,) if finding.guideline else (),
                finding=index,
            )
        )
    if decision_support:
        grouped[Section.DECISION_SUPPORT] = list(decision_support)
    sections = tuple(
        ReportSection(key=key, title=key.heading, sentences=tuple(grouped[key])) for key in Section if key in grouped
    )
    used = sorted({g for f in findings if f.guideline for g in (f.guideline,)})
    sources = tuple(
        f"{f.values['block']}: {f.values['software']} {f.values['version']}"
        for f in findings
        if f.code is FindingCode.MEASUREMENT_SOURCE
    )
    provenance = Provenance(
        version=_package_version(),
        generated_at=now or dt.datetime.now(dt.UTC),
        input_sha256=_sha256(study.model_dump_json(exclude={"accession"})),
        thresholds_sha256=_sha256(thresholds.model_dump_json()),
        rules=(*RULES, *SUMMARY_RULES),
        templates=str(templates.site_dir) if templates.site_dir else "packaged",
        measurement_sources=sources,
        guidelines={g: GUIDELINES[g] for g in used},
    )
    return Report(
        sections=sections, findings=tuple(findings), provenance=provenance, identification=Identification.of(study)
    )
