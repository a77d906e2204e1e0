"""Latency of the rule path: draft every example many times, print p50/p95 per study and studies/s.

    python bench/draft.py [--repeat 200]

Measures validation + rules + phrasing + text layout, in one process, one thread. The first
draft (template compilation) is reported separately as the cold start.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from reporter.inputs import parse_study
from reporter.render import template_set
from reporter.report import draft_report

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    raw = {p.stem: p.read_bytes() for p in sorted(EXAMPLES.glob("*.json"))}

    start = time.perf_counter()
    tset = template_set()
    draft_report(parse_study(next(iter(raw.values()))), templates=tset)
    cold_ms = (time.perf_counter() - start) * 1000

    print(f"cold start (template compile + first draft): {cold_ms:.1f} ms")
    print(f"{'study':42s} {'p50 ms':>8s} {'p95 ms':>8s}")
    all_ms: list[float] = []
    for stem, data in raw.items():
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            tset.render(draft_report(parse_study(data), templates=tset), "text")
            times.append((time.perf_counter() - t0) * 1000)
        all_ms.extend(times)
        q = statistics.quantiles(times, n=20)
        print(f"{stem:42s} {statistics.median(times):8.2f} {q[18]:8.2f}")
    q = statistics.quantiles(all_ms, n=20)
    total_s = sum(all_ms) / 1000
    print(f"{'all':42s} {statistics.median(all_ms):8.2f} {q[18]:8.2f}")
    print(f"throughput: {len(all_ms) / total_s:.0f} studies/s on one core ({len(all_ms)} drafts)")
    print("target: p50 <= 10 ms per study")


if __name__ == "__main__":
    main()
