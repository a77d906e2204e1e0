"""Drafting with a language model on the examples: load time, latency, tokens/s, verification outcomes.

    python bench/draft_llm.py [--backend embedded|llamacpp|openai] [--repeat 1] [--url URL --model NAME] [--cold]
                              [--timeout S]

Each draft = rules + the model phrasing every impression/comparison sentence + guardrails verification
(+ one repair, + fallback). Prints the load time (the converted-cache load when warm), p50/p95 draft
latency, generated tokens per second, and the share of model sentences that passed first time, after
repair, or were replaced by the rule-based sentence; and, of the model sentences kept in the report,
the share identical to the reference, differing only by word order, worse (a duplicated phrase, a
tautology, a pasted rule fragment) and better (none of those, and shorter), by the rule of
``reporter.llm.quality``.
The embedded model keeps the key/value cache of prompt prefixes between drafts, as a service does;
``--cold`` empties it before each draft (what a single draft in a fresh process gets).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from pathlib import Path

from reporter.inputs import load_study
from reporter.llm.backends import make_backend
from reporter.llm.drafter import draft_with_llm
from reporter.llm.quality import Comparison, compare, problems
from reporter.llm.settings import LLMConfig
from reporter.report import draft_report

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="embedded")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--url")
    parser.add_argument("--model")
    parser.add_argument("--cold", action="store_true", help="empty the prefix caches before each draft")
    parser.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="time budget of a draft's narrative in s (default: the product's, 30 s); a larger "
        "one measures the shares on a machine too busy to answer within the default",
    )
    args = parser.parse_args()
    config = LLMConfig(backend=args.backend, url=args.url, model=args.model)
    if args.timeout is not None:
        config = config.model_copy(
            update={"generation": config.generation.model_copy(update={"timeout_s": args.timeout})}
        )

    start = time.perf_counter()
    backend = make_backend(config)
    print(
        f"backend {backend.name} model {backend.model}: load {time.perf_counter() - start:.2f} s "
        f"({backend.details.get('source', 'n/a')})"
    )
    from guardrails import verify

    verify("Warm-up.", load_study(next(EXAMPLES.glob("*.json"))))  # load the spaCy pipeline outside the timing

    latencies: list[float] = []
    totals = {
        "passed_first_time": 0,
        "repaired": 0,
        "replaced": 0,
        "identical_to_reference": 0,
        "generated_tokens": 0,
        "generate_seconds": 0.0,
        "model_rounds": 0,
        "model_calls": 0,
    }
    backend_failures = 0
    kept: Counter[Comparison] = Counter()
    worse_examples: list[str] = []
    for _ in range(args.repeat):
        for path in sorted(EXAMPLES.glob("*.json")):
            study = load_study(path)
            if args.cold and hasattr(backend.chat, "forget_prefixes"):
                backend.chat.forget_prefixes()
            t0 = time.perf_counter()
            rules = draft_report(study)
            report = draft_with_llm(rules, study, backend, config.generation)
            latencies.append(time.perf_counter() - t0)
            for section, reference in zip(report.sections, rules.sections, strict=True):
                for sentence, ref in zip(section.sentences, reference.sentences, strict=True):
                    if sentence.origin != "rules":
                        kept[compare(sentence.text, ref.text)] += 1
                        if (found := problems(sentence.text, ref.text)) and len(worse_examples) < 5:
                            worse_examples.append(f"{sentence.text!r}: {'; '.join(found)}")
            llm = report.provenance.llm or {}
            backend_failures += any(f.code == "N103" for f in report.flags)
            for key in totals:
                totals[key] += llm.get(key, 0)
            print(
                f"  {path.stem:40s} {latencies[-1]:6.2f} s  rounds {llm.get('model_rounds', 0)} "
                f"passed {llm.get('passed_first_time', 0)} repaired {llm.get('repaired', 0)} "
                f"replaced {llm.get('replaced', 0)}"
            )
    asked = totals["passed_first_time"] + totals["repaired"] + totals["replaced"]
    q = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else latencies * 19
    print(
        f"drafts: {len(latencies)}; p50 {statistics.median(latencies):.2f} s, p95 {q[18]:.2f} s per draft "
        f"(target p50 <= 5 s)"
    )
    if totals["generate_seconds"]:
        print(
            f"generation: {totals['generated_tokens'] / totals['generate_seconds']:.1f} generated tokens/s "
            "(all rows of a round together, prompt prefill included); "
            f"{totals['model_rounds'] / len(latencies):.1f} rounds and {totals['model_calls'] / len(latencies):.1f} "
            f"questions per draft; {totals['generate_seconds'] / sum(latencies):.0%} of draft time in the model"
        )
    if asked:
        print(
            f"model sentences: {asked}; passed first time {totals['passed_first_time'] / asked:.0%}, "
            f"after repair {totals['repaired'] / asked:.0%}, replaced by rules {totals['replaced'] / asked:.0%}; "
            f"identical to the rule-based reference {totals['identical_to_reference'] / asked:.0%}"
        )
    n_kept = sum(kept.values())
    if n_kept:
        print(
            f"model sentences kept in the reports: {n_kept}; "
            + ", ".join(f"{c.value} {kept[c] / n_kept:.0%}" for c in Comparison)
        )
        for example in worse_examples:
            print(f"  worse: {example}")
    print(f"drafts whose backend failed (rule-based, flagged): {backend_failures}")


if __name__ == "__main__":
    main()
