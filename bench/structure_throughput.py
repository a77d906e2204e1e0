"""Reports per second of prior-report structuring on one process.

    python bench/structure_throughput.py [--n 1000] [--batch-size 32] [--repeat 3] [--profile]

The batch is the development reports and the real MTSamples reports, repeated to ``--n``
documents, streamed through ``nlp.pipe`` and ``structure_doc`` as ``ncreport structure`` does.
Pipeline build time is reported apart. Each of the ``--repeat`` runs is timed on the wall clock
and in CPU time of this process (the two part when another process competes for the core); the
best run is the figure, the median is printed beside it. Then the time of each step on a sample
says what dominates; ``--profile`` adds the top functions (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "data"


def corpus() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "reports" / "dev").glob("*.txt"))]
    mts = SHARED / "raw" / "mtsamples" / "nuclear_cardiology_reports.jsonl"
    if mts.exists():
        texts += [json.loads(line)["transcription"] for line in mts.read_text(encoding="utf-8").splitlines()]
    if not texts:
        raise SystemExit(f"no reports under {SHARED}")
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs over the batch (best is reported)")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    from extraction.assemble import structure_doc
    from extraction.pipeline import get_pipeline

    t0 = time.perf_counter()
    nlp = get_pipeline()
    build = time.perf_counter() - t0
    base = corpus()
    texts = [base[i % len(base)] for i in range(args.n)]
    chars = sum(map(len, texts))
    for doc in nlp.pipe(texts[: len(base)]):  # warm-up: the tokenizer's cache and lazy imports
        structure_doc(doc)

    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(max(1, args.repeat)):
        w0, c0 = time.perf_counter(), time.process_time()
        for doc in nlp.pipe(texts, batch_size=args.batch_size):
            structure_doc(doc)
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    print(f"pipeline build: {build:.2f} s (once per process)")
    print(f"{args.n} reports ({chars / args.n:.0f} chars mean), batch {args.batch_size}, {len(wall)} run(s)")
    print(
        f"throughput: {args.n / min(wall):.0f} reports/s on one process "
        f"(best run; median {args.n / statistics.median(wall):.0f}/s; "
        f"CPU time of this process: {args.n / min(cpu):.0f}/s)"
    )

    # Time per step on a sample: what dominates.
    sample = texts[: min(300, args.n)]
    per: dict[str, float] = {"tokenizer": 0.0}
    per.update({name: 0.0 for name in nlp.pipe_names})
    per["structure_doc (assembly)"] = 0.0
    for text in sample:
        a = time.perf_counter()
        doc = nlp.make_doc(text)
        per["tokenizer"] += time.perf_counter() - a
        for name, proc in nlp.pipeline:
            a = time.perf_counter()
            doc = proc(doc)
            per[name] += time.perf_counter() - a
        a = time.perf_counter()
        structure_doc(doc)
        per["structure_doc (assembly)"] += time.perf_counter() - a
    total = sum(per.values())
    print(f"\ntime per step ({len(sample)} reports, {1000 * total / len(sample):.2f} ms/report in all):")
    for name, t in sorted(per.items(), key=lambda kv: -kv[1]):
        print(f"  {name:28s} {1000 * t / len(sample):6.2f} ms/report  {100 * t / total:5.1f} %")
    top = max(per, key=per.__getitem__)
    print(f"dominant step: {top} ({100 * per[top] / total:.0f} % of the time)")

    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for doc in nlp.pipe(sample, batch_size=args.batch_size):
            structure_doc(doc)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
