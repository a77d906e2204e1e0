"""The guarded drafting loop: the LLM phrases the impression (and comparison), the guardrails check it.

For each rule-based sentence of the impression (and of the comparison paragraph when a prior
exists) the model gets that sentence's Finding values and the reference sentence, and returns one
sentence. The sentence is verified against the study's facts with :func:`guardrails.verify` and
against its reference with :func:`guardrails.check_paraphrase` (nothing dropped, nothing added):

    generate -> verify -> (errors) one repair attempt with the flags as feedback -> verify
             -> still failing: the rule-based sentence stays, with an info flag naming the problems

The sentences of a draft go to the model together (one ``batch`` per round: the embedded model
decodes them as one batch, an OpenAI-compatible server answers them concurrently), so a draft
costs two model rounds at most, whatever its number of sentences.

A backend that fails or times out leaves the whole narrative rule-based, with a warning flag.
LLM text is never returned unverified: a sentence either passed verification or was replaced.
"""

from __future__ import annotations

import concurrent.futures
import functools
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reporter.domain.finding import Finding, FindingCode, Section
from reporter.domain.flags import FlagCode
from reporter.domain.study import Study
from reporter.errors import BackendError, BackendTimeoutError, BackendUnavailableError
from reporter.llm.backends import CANCEL_KEY, Backend
from reporter.llm.settings import GenerationSettings
from reporter.render import packaged_dir, template_set
from reporter.report import Report, ReportFlag, Sentence, catalogued_flag, no_llm_flag

__all__ = ["NARRATIVE_SECTIONS", "PROMPT_VERSION", "DraftStats", "draft_with_llm"]

PROMPT_VERSION = "rephrase.v4"
REPAIR_VERSION = "repair.v3"
NARRATIVE_SECTIONS = (Section.IMPRESSION, Section.COMPARISON)
# Impression statements whose facts are a list the model would have to copy whole: kept as rules.
_KEEP_RULE_BASED = {"RISK", "COMPARISON_OVERALL", "COMPARISON_NONE"}


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
    calls: int = 0  # conversations answered by the model
    rounds: int = 0  # batches sent: the first answers, then the repairs

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed_first_time": self.passed,
            "repaired": self.repaired,
            "replaced": self.replaced,
            "identical_to_reference": self.unchanged,
            "model_calls": self.calls,
            "model_rounds": self.rounds,
            "generated_tokens": self.tokens,
            "tokens_are_words": self.tokens_estimated,
            "generate_seconds": round(self.generate_seconds, 3),
        }


@dataclass
class _Ask:
    """One rule-based sentence the model is asked to phrase, and what came back."""

    section: Section
    index: int
    sentence: Sentence
    finding: Finding
    answers: list[str] = field(default_factory=list)
    problems: list[list[str]] = field(default_factory=list)

    @functools.cached_property
    def payload(self) -> dict[str, Any]:
        return _prompt(self.finding, self.sentence.text)


def _messages(payload: dict[str, Any], preamble: str = "") -> list[Any]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    out: list[Any] = [SystemMessage(content=payload["system"])]
    for example in payload["examples"]:
        out += [HumanMessage(content=example["user"]), AIMessage(content=example["assistant"])]
    out.append(HumanMessage(content=(f"{preamble}\n" if preamble else "") + payload["user"]))
    return out


def _prompt(finding: Finding, reference: str) -> dict[str, Any]:
    template = template_set().prompt(PROMPT_VERSION)
    shot = shot_for(finding)
    payload: dict[str, Any] = json.loads(template.render(finding=finding, reference=reference, shot=shot))
    return payload


@dataclass(frozen=True)
class Shot:
    """A worked example for one Finding code: its Finding, the rule sentence, a verified answer,
    and a rejected answer with the problems the guardrails find in it (the repair's example)."""

    finding: Finding
    reference: str
    answer: str
    study: str  # the file under prompts/shots/ the Finding comes from
    rejected: str
    rejected_problems: tuple[str, ...]


def shot_dir() -> Path:
    """Where the few-shot studies and their answers live (``templates/prompts/shots/``)."""
    return packaged_dir() / "prompts" / "shots"


@functools.cache
def shots() -> dict[FindingCode, tuple[Shot, ...]]:
    """The few-shot examples of ``prompts/shots/answers.json``, phrased by the rules from their studies."""
    from reporter.inputs import load_study
    from reporter.report import draft_report

    folder = shot_dir()
    out: dict[FindingCode, tuple[Shot, ...]] = {}
    for spec in json.loads((folder / "answers.json").read_text(encoding="utf-8"))["shots"]:
        study = load_study(folder / spec["study"])
        report = draft_report(study)
        code = FindingCode(spec["code"])
        sentence = next(
            s for section in report.sections for s in section.sentences if s.codes[0] == code and s.finding is not None
        )
        assert sentence.finding is not None
        problems = tuple(_problems(spec["rejected"], sentence.text, study, report.findings))
        shot = Shot(
            report.findings[sentence.finding], sentence.text, spec["answer"], spec["study"], spec["rejected"], problems
        )
        out[code] = (*out.get(code, ()), shot)
    return out


def _same_kind(shot: Finding, finding: Finding) -> bool:
    """Whether a worked example shows the same kind of Finding: both normal or both not, and the same
    yes/no features (a normal study is not shown an abnormal example, a pharmacologic test not an exercise one:
    a small model copies what its example says)."""
    features = [k for k, v in finding.values.items() if isinstance(v, bool)]
    normal = [f.values.get("category") == "normal" for f in (shot, finding)]
    return normal[0] == normal[1] and all(shot.values.get(k, False) == finding.values[k] for k in features)


def shot_for(finding: Finding) -> Shot | None:
    """The worked example for a Finding: of its code and kind, the one sharing most of its values (first
    on ties); none when no example is of its kind."""
    return max(
        (shot for shot in shots().get(finding.code, ()) if _same_kind(shot.finding, finding)),
        default=None,
        key=lambda shot: sum(shot.finding.values.get(k) == v for k, v in finding.values.items()),
    )


def _repair(previous: str, problems: Sequence[str]) -> str:
    """What precedes the question the second time; the model sees each problem's message, not its code."""
    messages = [p.split(": ", 1)[-1] for p in problems]
    rendered = template_set().prompt(REPAIR_VERSION).render(previous=previous, problems=messages)
    return str(json.loads(rendered)["preamble"])


def _clean(answer: str) -> str:
    """One sentence: the first non-empty line, without quotes or a leading label."""
    line = next((ln.strip() for ln in answer.strip().splitlines() if ln.strip()), "")
    for label in ("Sentence:", "Answer:", "Rewritten:", "Impression:"):
        if line.lower().startswith(label.lower()):
            line = line[len(label) :].strip()
    return line.strip("\"“”' ")


#: Seconds a repair round needs at least to be worth starting (one short batch on a small CPU model).
_MIN_REPAIR_S = 2.0


def _ask(
    backend: Backend,
    conversations: list[list[Any]],
    settings: GenerationSettings,
    stats: DraftStats,
    budget_s: float | None = None,
) -> list[str]:
    """One round: every conversation sent at once (``batch``), answered within the time left or not at all.

    On a timeout the work is cancelled (the in-process engine stops at its next decoding step or prefill
    chunk), so neither the CPU nor the exit of the process waits for an answer nobody will read.
    """
    if not conversations:
        return []
    limit = settings.timeout_s if budget_s is None else budget_s
    start = time.perf_counter()
    cancel = threading.Event()
    config = {"max_concurrency": backend.max_concurrency, "configurable": {CANCEL_KEY: cancel}}
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        future = pool.submit(backend.chat.batch, conversations, config)
        results = future.result(timeout=max(limit, 0.0))
    except concurrent.futures.TimeoutError as exc:
        cancel.set()
        raise BackendTimeoutError(f"{backend.name} gave no answer within {settings.timeout_s:g} s") from exc
    except BackendError:
        raise
    except Exception as exc:  # a foreign backend error (HTTP, OS, library): translated here, at the edge
        raise BackendUnavailableError(f"{backend.name} failed: {type(exc).__name__}: {exc}") from exc
    finally:
        pool.shutdown(wait=False)
    stats.generate_seconds += time.perf_counter() - start
    stats.rounds += 1
    stats.calls += len(results)
    for result in results:
        usage = getattr(result, "usage_metadata", None) or {}
        if usage.get("output_tokens"):
            stats.tokens += int(usage["output_tokens"])
        else:
            stats.tokens_estimated = True
            stats.tokens += len(str(result.content).split())  # words: a lower bound of tokens, said so
    return [str(result.content) for result in results]


def _problems(text: str, reference: str, study: Study, findings: Sequence[Finding]) -> list[str]:
    """Error flags of the model's sentence: against the study's facts, and against its reference."""
    from guardrails import check_paraphrase, verify
    from reporter.llm.quality import problems as worse_than_reference

    if not text:
        return ["empty answer"]
    flags = [*verify(text, study, findings, origin="model"), *check_paraphrase(reference, text)]
    errors = [f"{f.code}: {f.message}" for f in flags if f.severity == "error"]
    # a verified sentence that is still worse than the rule sentence (a rule fragment pasted in, a phrase the
    # reference does not repeat said twice): not worth a physician's time, repaired or replaced like a false one
    return errors or worse_than_reference(text, reference)


def draft_with_llm(report: Report, study: Study, backend: Backend, settings: GenerationSettings) -> Report:
    """The report with its impression/comparison phrased by the model where the text verified.

    The model is asked only about sentences of a kind it has a worked example for (``shot_for``): measured
    on the examples, SmolLM2-135M copied the wrong kind's example into its answer ("ischemic myocardium
    13.2%" in a normal study) and got 1 of 8 sentences of uncovered kinds right; those keep the rule text.
    Two rounds at most, each one batch: every sentence is asked at once, then every sentence whose
    answer failed verification is asked once more with the problems as feedback. ``settings.timeout_s``
    bounds both rounds together: a repair that has no time left keeps the rule sentence (flagged N102).
    """
    if backend.chat is None:
        return report
    started = time.perf_counter()
    stats = DraftStats()
    asks = [
        _Ask(section.key, i, sentence, report.findings[sentence.finding])
        for section in report.sections
        if section.key in NARRATIVE_SECTIONS
        for i, sentence in enumerate(section.sentences)
        if sentence.finding is not None
        and sentence.codes[0] not in _KEEP_RULE_BASED
        and shot_for(report.findings[sentence.finding]) is not None  # a kind it was shown how to phrase
    ]
    flags: list[ReportFlag] = list(report.flags)
    sections = list(report.sections)
    deadline = started + settings.timeout_s
    try:
        _round(asks, lambda a: _messages(a.payload), report, study, backend, settings, stats, deadline)
        retry = [a for a in asks if a.problems[0]]
        if deadline - time.perf_counter() < _MIN_REPAIR_S:
            for ask in retry:
                ask.answers.append("")
                ask.problems.append([f"no time left for a repair within {settings.timeout_s:g} s"])
        else:
            _round(retry, _repair_messages, report, study, backend, settings, stats, deadline)
    except BackendError as exc:  # the whole narrative stays rule-based rather than half phrased
        flags.append(no_llm_flag(f"{exc.code}: {exc.message}"))
        narrative = "rule-based"
    else:
        phrased = {(a.section, a.index): _outcome(a, backend.name, stats, flags) for a in asks}
        sections = [
            s.model_copy(update={"sentences": tuple(phrased.get((s.key, i), x) for i, x in enumerate(s.sentences))})
            for s in sections
        ]
        narrative = f"{backend.name} ({backend.model}), verified"
    llm = {
        "backend": backend.name,
        "model": backend.model,
        "weights_sha256": backend.weights_sha256,
        "prompt_template": PROMPT_VERSION,
        "repair_template": REPAIR_VERSION,
        "generation": settings.model_dump(),
        "load_seconds": backend.load_seconds,
        "draft_seconds": round(time.perf_counter() - started, 3),
        **stats.as_dict(),
        **backend.details,
    }
    provenance = report.provenance.model_copy(update={"narrative": narrative, "llm": llm})
    return report.model_copy(update={"sections": tuple(sections), "flags": tuple(flags), "provenance": provenance})


def _repair_messages(ask: _Ask) -> list[Any]:
    """The question again after the rejected answer and its problems; the worked example of its code
    is shown the same way: its rejected answer, the problems the guardrails found, the right answer."""
    payload = ask.payload
    shot = shot_for(ask.finding)  # the worked example _prompt put last in the payload
    if shot is not None:
        demo = payload["examples"][-1]
        demo = {**demo, "user": f"{_repair(shot.rejected, shot.rejected_problems)}\n{demo['user']}"}
        payload = {**payload, "examples": [*payload["examples"][:-1], demo]}
    return _messages(payload, _repair(ask.answers[0], ask.problems[0]))


def _round(
    asks: list[_Ask],
    conversation: Callable[[_Ask], list[Any]],
    report: Report,
    study: Study,
    backend: Backend,
    settings: GenerationSettings,
    stats: DraftStats,
    deadline: float,
) -> None:
    """Ask the model about every sentence at once; verify and record each answer."""
    answers = _ask(backend, [conversation(a) for a in asks], settings, stats, deadline - time.perf_counter())
    for ask, answer in zip(asks, answers, strict=True):
        text = _clean(answer)
        ask.answers.append(text)
        ask.problems.append(_problems(text, ask.sentence.text, study, report.findings))


def _outcome(ask: _Ask, origin: str, stats: DraftStats, flags: list[ReportFlag]) -> Sentence:
    """The sentence that goes into the report: the first verified answer, or the rule-based one, flagged."""
    if not ask.problems[0]:
        stats.passed += 1
        stats.unchanged += ask.answers[0] == ask.sentence.text
        return ask.sentence.model_copy(update={"text": ask.answers[0], "origin": origin})
    if not ask.problems[1]:
        stats.repaired += 1
        flags.append(
            catalogued_flag(FlagCode.MODEL_TEXT_REPAIRED, ask.section, ask.index, problems="; ".join(ask.problems[0]))
        )
        return ask.sentence.model_copy(update={"text": ask.answers[1], "origin": origin})
    stats.replaced += 1
    flags.append(
        catalogued_flag(FlagCode.MODEL_TEXT_REPLACED, ask.section, ask.index, problems="; ".join(ask.problems[1]))
    )
    return ask.sentence
