"""Verification latency per physician impression: p50/p95 and impressions per second.

    python bench/verify_latency.py [--rounds 3] [--against TREE ...] [--profile [tottime]]

Every correct impression of ``bench/data/physician_impressions_*/`` is verified (``guardrails.verify``,
``scope="impression"``) against its study, the impressions of one study one after the other, as the
reading room re-verifies each edit of a report. One verification of an example study (not in the list)
warms the process up first (spaCy and the vocabularies load on first use). Each verification is timed on
the wall clock and in CPU time of its thread (``time.thread_time``: on a shared machine the wall clock
counts the other programs' turns on the core, the CPU time does not).

Two ratios:
- in the same process, the same list verified "cold": the process's caches of study facts
  (``guardrails.facts.clear_caches``) emptied before every verification, as for a study seen the first
  time. The ratio cold/warm is what the caches save; each study's first impression pays that cost anyway.
- ``--against TREE``: the same impressions (this tree's data) verified by the code of another checkout
  (a detached worktree of an older commit: ``git worktree add --detach ../old COMMIT``). Each round runs
  one fresh process per tree, back to back, so both see the same load; the medians of the rounds' p50 and
  p95 are printed with the ratio TREE/this.

``--profile``: cProfile of one pass over the list (this tree), the top 30 functions.

Figures, 2026-12-07 00:05-00:23, 2 cores shared with other work (load average 10-14), 521 impressions of 24 sets,
``python bench/verify_latency.py --rounds 5 --against ../wt-perf4-base --against ../wt-perf4-old``; CPU ms per
impression, medians of the 5 rounds' p50 / p95 (the wall clock, 47-56 ms at p50, is mostly the wait for a core):

    c5c0a81 (CI stop 25, where department.md measured p50 3.84 ms on 224 impressions)   6.88 / 20.01   112/s
    eff87ff (main before the facts cache)                                                7.63 / 12.35   124/s
    perf4 78ea720 (study_facts cache)                                                    6.20 / 11.49   148/s

2026-12-07 19:41-19:44, load average 10-12, 925 impressions of 42 sets, ``--rounds 3 --against`` a detached worktree of
main 4697a67 (the same verification code as this tree then: the two rows differ by this machine's noise alone):

    4697a67 (main, round 18)                                                     6.31-6.65 / 12.19-12.86   137-143/s

2026-12-08 01:48-02:10, load average 15-25 (other helpers' floors and mypy), 1034 impressions, ``--rounds 3 --against``
a detached worktree of main 5c40281; perf60 (checkbox_view kept per text, wording targets without an anchor in the text
skipped, an empty prior-region list answered at once), every flag of 6094 texts byte-identical to 5c40281:

    5c40281 (main, round 20)                                                     9.15 / 16.94   97/s
    perf60 86020cd                                                               8.40 / 15.46   106/s   (x1.09 / x1.10)

(x/s: impressions per CPU second.) CPU time grows with the load too (the cores' caches and clock are shared):
compare only rows run side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def impressions(root: Path) -> list[tuple[str, Path]]:
    """(text, study path) of every correct impression of ``root``'s physician sets, study by study."""
    items = []
    for path in sorted(root.glob("bench/data/physician_impressions_*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        items += [(i["text"], root / data["study"]) for i in data["impressions"]]
    if not items:
        raise SystemExit(f"no impressions under {root / 'bench' / 'data'}")
    return items


def measure(root: Path, cold: bool = False, profile: str | None = None) -> dict[str, list[float]]:
    """Wall and CPU ms of each verification of ``root``'s impressions, by the code on ``sys.path``."""
    from guardrails import verify
    from reporter.inputs import load_study

    studies: dict[Path, Any] = {}
    items = []
    for text, path in impressions(root):
        if path not in studies:
            studies[path] = load_study(path)
        items.append((text, studies[path]))
    warm = sorted((root / "examples").glob("*.json"))[0]
    verify("Normal myocardial perfusion. Normal LV function.", load_study(warm), scope="impression")
    clear: Callable[[], None] | None = None
    if cold:  # only this tree has the caches (an older checkout of --against is measured warm)
        from guardrails.facts import clear_caches

        clear = clear_caches
    wall: list[float] = []
    cpu: list[float] = []
    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    for text, study in items:
        if clear is not None:
            clear()
        w0, c0 = time.perf_counter(), time.thread_time()
        verify(text, study, scope="impression")
        cpu.append(1000 * (time.thread_time() - c0))
        wall.append(1000 * (time.perf_counter() - w0))
    if profiler is not None and profile is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats(profile).print_stats(30)
    return {"wall": wall, "cpu": cpu}


def p50_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def summary(name: str, runs: list[dict[str, list[float]]]) -> dict[str, float]:
    """The medians over the runs of each run's p50 and p95 (wall and CPU ms), and impressions per second."""
    out: dict[str, float] = {}
    for clock in ("wall", "cpu"):
        pairs = [p50_p95(r[clock]) for r in runs]
        out[f"{clock}_p50"] = statistics.median(p for p, _ in pairs)
        out[f"{clock}_p95"] = statistics.median(q for _, q in pairs)
        out[f"{clock}_per_s"] = statistics.median(len(r[clock]) / (sum(r[clock]) / 1000) for r in runs)
    n = len(runs[0]["wall"])
    print(
        f"{name:<28} n={n:<4} runs={len(runs)}  wall p50 {out['wall_p50']:6.2f} p95 {out['wall_p95']:6.2f} ms"
        f" ({out['wall_per_s']:5.0f}/s)   CPU p50 {out['cpu_p50']:6.2f} p95 {out['cpu_p95']:6.2f} ms"
        f" ({out['cpu_per_s']:5.0f}/s)"
    )
    return out


def ratio(name: str, a: dict[str, float], b: dict[str, float]) -> None:
    print(
        f"{name:<28} wall p50 x{a['wall_p50'] / b['wall_p50']:.2f} p95 x{a['wall_p95'] / b['wall_p95']:.2f}"
        f"   CPU p50 x{a['cpu_p50'] / b['cpu_p50']:.2f} p95 x{a['cpu_p95'] / b['cpu_p95']:.2f}"
    )


def in_worker(tree: Path) -> dict[str, list[float]]:
    """One pass of this tree's impressions through ``tree``'s code, in a fresh process."""
    answer = subprocess.run(
        [sys.executable, __file__, "--worker", str(tree)],
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, list[float]] = json.loads(answer.stdout.splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the list (each tree: one process each)")
    parser.add_argument("--against", type=Path, action="append", default=[], help="another checkout's root")
    parser.add_argument("--profile", nargs="?", const="cumulative", help="cProfile sort key (cumulative, tottime)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker is not None:  # a child of --against: the code on PYTHONPATH, this tree's impressions
        sys.path.insert(0, str(args.worker.resolve()))
        import guardrails

        assert Path(guardrails.__file__).resolve().is_relative_to(args.worker.resolve()), guardrails.__file__
        print(json.dumps(measure(REPO)))
        return
    sys.path.insert(0, str(REPO))
    if args.profile:
        measure(REPO, profile=args.profile)
        return
    if args.against:
        trees = [REPO, *(t.resolve() for t in args.against)]
        runs: dict[Path, list[dict[str, list[float]]]] = {t: [] for t in trees}
        for _ in range(max(1, args.rounds)):
            for tree in trees:
                runs[tree].append(in_worker(tree))
        this = summary(f"this tree ({REPO.name})", runs[REPO])
        for tree in trees[1:]:
            ratio(f"  {tree.name} / this", summary(tree.name, runs[tree]), this)
        return
    warm_runs, cold_runs = [], []
    for _ in range(max(1, args.rounds)):
        warm_runs.append(measure(REPO))
        cold_runs.append(measure(REPO, cold=True))
    warm = summary("warm (facts cached)", warm_runs)
    ratio("  cold / warm", summary("cold (caches emptied)", cold_runs), warm)


if __name__ == "__main__":
    main()
