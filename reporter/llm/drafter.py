"""The guarded drafting loop: the LLM phrases the impression (and comparison), the guardrails check it.

For each rule-based sentence of the impression (and of the comparison paragraph when a prior
exists) the model gets that sentence's Finding values and the reference sentence, and returns one
sentence. The sentence is verified against the study's facts with :func:`guardrails.verify` and
against its reference with :func:`guardrails.check_paraphrase` (nothing dropped, nothing added):

    generate -> verify -> (errors) one repair attempt with the flags as feedback -> verify
             -> still failing: the rule-based sentence stays, with an info flag naming the problems

A backend that fails or times out leaves the whole narrative rule-based, with a warning flag.
LLM text is never returned unverified: a sentence either passed verification or was replaced.
"""

from __future__ import annotations

import concurrent.futures
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reporter.domain.finding import Finding, Section
from reporter.domain.study import Study
from reporter.errors import BackendError, BackendTimeoutError, BackendUnavailableError
from reporter.llm.backends import Backend
from reporter.llm.settings import GenerationSettings
from reporter.render import template_set
from reporter.report import Report, ReportFlag, ReportSection, Sentence, no_llm_flag

__all__ = ["NARRATIVE_SECTIONS", "PROMPT_VERSION", "DraftStats", "draft_with_llm"]

PROMPT_VERSION = "rephrase.v1"
REPAIR_VERSION = "repair.v1"
NARRATIVE_SECTIONS = (Section.IMPRESSION, Section.COMPARISON)
# Impression statements whose facts are a list the model would have to copy whole: kept as rules.
_KEEP_RULE_BASED = {"RISK", "COMPARISON_OVERALL", "COMPARISON_NONE"}

# Flag codes of the drafting loop (the guardrails' own codes are G-codes).
N_REPAIRED = "N101"  # info: the first answer failed verification, the repaired one passed
N_REPLACED = "N102"  # info: the answer failed twice; the rule-based sentence was kept
# N103 (warning: the backend failed; the narrative is rule-based) is reporter.report.no_llm_flag.


@dataclass
class DraftStats:
    """What happened to each sentence the model was asked to phrase."""

    passed: int = 0
    repaired: int = 0
    replaced: int = 0
    unchanged: int = 0  # passed, and identical to the rule-based reference
    tokens: int = 0
    tokens_estimated: bool = False
    generate_seconds: float = 0.0
    calls: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"passed_first_time": self.passed, "repaired": self.repaired, "replaced": self.replaced,
                "identical_to_reference": self.unchanged, "model_calls": len(self.calls),
                "generated_tokens": self.tokens, "tokens_are_words": self.tokens_estimated,
                "generate_seconds": round(self.generate_seconds, 3)}


def _messages(payload: dict[str, Any], history: Sequence[tuple[str, str]] = ()) -> list[Any]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    out: list[Any] = [SystemMessage(content=payload["system"])]
    for example in payload["examples"]:
        out += [HumanMessage(content=example["user"]), AIMessage(content=example["assistant"])]
    out.append(HumanMessage(content=payload["user"]))
    for role, content in history:
        out.append(AIMessage(content=content) if role == "ai" else HumanMessage(content=content))
    return out


def _prompt(finding: Finding, reference: str) -> dict[str, Any]:
    template = template_set().prompt(PROMPT_VERSION)
    payload: dict[str, Any] = json.loads(template.render(finding=finding, reference=reference))
    return payload


def _repair(previous: str, problems: Sequence[str]) -> str:
    rendered = template_set().prompt(REPAIR_VERSION).render(previous=previous, problems=list(problems))
    return str(json.loads(rendered)["user"])


def _clean(answer: str) -> str:
    """One sentence: the first non-empty line, without quotes or a leading label."""
    line = next((ln.strip() for ln in answer.strip().splitlines() if ln.strip()), "")
    for label in ("Sentence:", "Answer:", "Rewritten:", "Impression:"):
        if line.lower().startswith(label.lower()):
            line = line[len(label):].strip()
    return line.strip('"“”\' ')


def _invoke(backend: Backend, messages: list[Any], settings: GenerationSettings, stats: DraftStats) -> str:
    start = time.perf_counter()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        future = pool.submit(backend.chat.invoke, messages)
        result = future.result(timeout=settings.timeout_s)
    except concurrent.futures.TimeoutError as exc:
        raise BackendTimeoutError(f"{backend.name} gave no answer within {settings.timeout_s:g} s") from exc
    except BackendError:
        raise
    except Exception as exc:  # a foreign backend error (HTTP, OS, library): translated here, at the edge
        raise BackendUnavailableError(f"{backend.name} failed: {type(exc).__name__}: {exc}") from exc
    finally:
        pool.shutdown(wait=False)
    elapsed = time.perf_counter() - start
    stats.calls.append(elapsed)
    stats.generate_seconds += elapsed
    usage = getattr(result, "usage_metadata", None) or {}
    if usage.get("output_tokens"):
        stats.tokens += int(usage["output_tokens"])
    elif backend.count_tokens is not None:
        stats.tokens += backend.count_tokens(str(result.content))
    else:
        stats.tokens_estimated = True
        stats.tokens += len(str(result.content).split())  # words: a lower bound of tokens, said so below
    return str(result.content)


def _problems(text: str, reference: str, study: Study, findings: Sequence[Finding]) -> list[str]:
    """Error flags of the model's sentence: against the study's facts, and against its reference."""
    from guardrails import check_paraphrase, verify

    flags = [*verify(text, study, findings), *check_paraphrase(reference, text)]
    return [f"{f.code}: {f.message}" for f in flags if f.severity == "error"]


def draft_with_llm(report: Report, study: Study, backend: Backend, settings: GenerationSettings) -> Report:
    """The report with its impression/comparison phrased by the model where the text verified."""
    if backend.chat is None:
        return report
    started = time.perf_counter()
    stats = DraftStats()
    flags: list[ReportFlag] = list(report.flags)
    sections: list[ReportSection] = []
    failed: BackendError | None = None
    for section in report.sections:
        if section.key not in NARRATIVE_SECTIONS or failed is not None:
            sections.append(section)
            continue
        sentences: list[Sentence] = []
        for i, sentence in enumerate(section.sentences):
            if failed is not None or sentence.finding is None or sentence.codes[0] in _KEEP_RULE_BASED:
                sentences.append(sentence)
                continue
            try:
                sentences.append(
                    _phrase(sentence, i, section.key, report.findings, study, backend, settings, stats, flags)
                )
            except BackendError as exc:
                failed = exc
                sentences.append(sentence)
        if failed is not None:  # keep the section wholly rule-based rather than half phrased
            sentences = list(section.sentences)
        sections.append(section.model_copy(update={"sentences": tuple(sentences)}))
    if failed is not None:
        flags.append(no_llm_flag(f"{failed.code}: {failed.message}"))
    llm = {
        "backend": backend.name, "model": backend.model, "weights_sha256": backend.weights_sha256,
        "prompt_template": PROMPT_VERSION, "repair_template": REPAIR_VERSION,
        "generation": settings.model_dump(), "load_seconds": backend.load_seconds,
        "draft_seconds": round(time.perf_counter() - started, 3), **stats.as_dict(), **backend.details,
    }
    narrative = "rule-based" if failed is not None else f"{backend.name} ({backend.model}), verified"
    provenance = report.provenance.model_copy(update={"narrative": narrative, "llm": llm})
    return report.model_copy(update={"sections": tuple(sections), "flags": tuple(flags), "provenance": provenance})


def _phrase(
    sentence: Sentence,
    index: int,
    section: Section,
    findings: Sequence[Finding],
    study: Study,
    backend: Backend,
    settings: GenerationSettings,
    stats: DraftStats,
    flags: list[ReportFlag],
) -> Sentence:
    assert sentence.finding is not None
    finding = findings[sentence.finding]
    payload = _prompt(finding, sentence.text)
    messages = _messages(payload)
    first = _clean(_invoke(backend, messages, settings, stats))
    problems = _problems(first, sentence.text, study, findings) if first else ["empty answer"]
    if not problems:
        stats.passed += 1
        stats.unchanged += first == sentence.text
        return sentence.model_copy(update={"text": first, "origin": backend.name})
    history = [("ai", first), ("human", _repair(first, problems))]
    second = _clean(_invoke(backend, _messages(payload, history), settings, stats))
    second_problems = _problems(second, sentence.text, study, findings) if second else ["empty answer"]
    if not second_problems:
        stats.repaired += 1
        flags.append(ReportFlag(code=N_REPAIRED, severity="info", section=section, sentence=index,
                                message=f"Model text was repaired after: {'; '.join(problems)}."))
        return sentence.model_copy(update={"text": second, "origin": backend.name})
    stats.replaced += 1
    flags.append(ReportFlag(code=N_REPLACED, severity="info", section=section, sentence=index,
                            message="Model text failed verification twice and was replaced by the rule-based "
                                    f"sentence ({'; '.join(second_problems)})."))
    return sentence
