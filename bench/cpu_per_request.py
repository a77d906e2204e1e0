"""CPU time per request of the reading-room workflow, per endpoint (one process, sequential, in-process).

    python bench/cpu_per_request.py [--workflows 24] [--profile draft|edit|sign|submit] [--database-url URL]

Runs ``--workflows`` submit -> draft (rules) -> edit -> sign workflows through the app in this
process (FastAPI's TestClient: the routes, validation, serialisation and the database, no network)
on a fresh SQLite file (or ``--database-url``), cycling through the example studies with the
patient's age varied per workflow, so no two workflows draft the same study. Reports the process
CPU time of each request (``time.process_time``: the server's work plus the thin in-process client,
and not the other programs on the machine, which is why it is the figure to compare on a shared
machine). Two warm-up workflows first (spaCy and the templates load on first use).
``--profile NAME``: cProfile of that endpoint's requests, top 25 by cumulative time.

Figures (CPU ms per request, mean of 24 workflows, SQLite; each line one process run of
``python bench/cpu_per_request.py --workflows 24``, base and branch alternated on the same shared 2-core
machine; process time still moves with the machine's load, so only side-by-side runs compare):

    2026-12-06, load average ~3         submit  draft   edit   sign   workflow
    f7fb6e7 (before the perf2 branch)     5.6    33.5   30.5    8.6     78.2   (80.0 in a second run)
    perf2 at cce1b8f (same rules)         5.2    25.2   24.1    6.5     61.1   (67.5)
    2026-12-06, load average ~7.5
    main 6372fec                          6.8    36.4   33.6   10.6     87.4   (99.3)
    perf2 81d023b (main 1bcff04 merged)   7.3    30.6   28.9    8.8     75.5   (74.9)

What perf2 changed: draft, edit and sign answer from the rows they wrote (statements per request draft
20 -> 13, edit 20 -> 14, sign 19 -> 12); the sectionizer without medspaCy's per-token loop, the concept
token Matcher only on runs of its words (pipeline ~7.6 -> ~3.5 ms a draft); the prefilter's requirement
looked up by identity (a compiled pattern's hash is recomputed from its code at every functools.cache
lookup); the prior-clause pattern tried only where a match can start; a draft verified against its own
Findings; the package version read once; audit entries written with a plain INSERT.
``bench/load.py --rounds 2`` on perf2 81d023b, the machine at load average 7.6-8.7 from other work: 39.6
requests/s, draft p50 539 / p95 2759 ms, 0 errors, every write found (not comparable with a quiet machine).

Full collections (perf57, 2026-12-07, load average ~10, each collection of the timed requests timed by
``gc.callbacks``, main 4697a67 against the branch): the process tracks some 220,000 objects after the warm-up (the
pipeline, cues, templates), and a full collection walks them all, ~110 ms inside one request: ``--workflows 48``,
one in a draft (max draft 161.7 ms, against 57.1 on the branch); ``--workflows 200`` (800 requests), one in an edit
(max edit 149.8 ms, 78.1 on the branch). ``reporter.api.main`` now freezes them (``gc.freeze()``) after the warm-up:
the full collections of the branch's 200-workflow run took 10 and 15 ms. Medians and means do not move (draft
median 43.9 / 45.2 ms, base / branch, within this machine's noise).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.load import studies  # noqa: E402  (the same varied studies as the load test)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workflows", type=int, default=24)
    parser.add_argument("--profile", choices=("submit", "draft", "edit", "sign"))
    parser.add_argument("--database-url")
    parser.add_argument("--sort", default="cumulative", help="--profile: cProfile sort key (cumulative, tottime)")
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from reporter.api.main import create_app
    from reporter.service.access import Role, create_user
    from reporter.settings import Settings
    from reporter.storage import make_engine, make_sessionmaker, upgrade

    folder = Path(tempfile.mkdtemp(prefix="ncreport-cpu-"))
    url = args.database_url or f"sqlite+pysqlite:///{folder / 'cpu.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        tokens = {role: create_user(session, f"cpu-{role.value}", role)[1] for role in Role}
    cpu: dict[str, list[float]] = defaultdict(list)
    profiler = cProfile.Profile()
    if args.profile:  # cProfile sees one thread: profile the use-case the route runs, in the route's thread
        import functools

        from reporter.service import reading_room as rr

        use_case = {"submit": "submit_study", "draft": "draft_now", "edit": "edit", "sign": "sign"}[args.profile]
        original = getattr(rr, use_case)

        @functools.wraps(original)
        def profiled(*a: Any, **k: Any) -> Any:
            return profiler.runcall(original, *a, **k)

        setattr(rr, use_case, profiled)
    try:
        with TestClient(create_app(Settings(), sessions), raise_server_exceptions=True) as client:

            def call(name: str, role: Role, url: str, body: Any = None, timed: bool = True) -> Any:
                headers = {"Authorization": f"Bearer {tokens[role]}"}
                started = time.process_time()
                answer = client.post(url, json=body, headers=headers)
                spent = time.process_time() - started
                assert answer.status_code < 400, (name, answer.status_code, answer.text[:300])
                if timed:
                    cpu[name].append(spent)
                return answer.json()

            def workflow(study: dict[str, Any], timed: bool = True) -> None:
                submitted = call("submit", Role.TECHNOLOGIST, "/api/studies", {"study": study}, timed)
                report = call("draft", Role.PHYSICIAN, f"/api/studies/{submitted['id']}/draft", None, timed)
                text = report["current"]["text"] + "\nReviewed by the reading physician."
                version = call(
                    "edit",
                    Role.PHYSICIAN,
                    f"/api/reports/{report['id']}/versions",
                    {"text": text, "base_version": 1},
                    timed,
                )
                call("sign", Role.PHYSICIAN, f"/api/reports/{report['id']}/sign", {"version": version["number"]}, timed)

            varied = studies(args.workflows + 2)
            for study in varied[:2]:
                workflow(study, timed=False)
            profiler = cProfile.Profile()  # the warm-up's loading is not what a request costs
            for study in varied[2:]:
                workflow(study)
    finally:
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"CPU ms per request ({args.workflows} workflows, {engine.dialect.name}):")
    print(f"  {'endpoint':<8} {'n':>4} {'mean':>7} {'median':>7} {'max':>7}")
    for name in ("submit", "draft", "edit", "sign"):
        values = [v * 1000 for v in cpu[name]]
        print(
            f"  {name:<8} {len(values):>4} {statistics.mean(values):>7.1f} {statistics.median(values):>7.1f} "
            f"{max(values):>7.1f}"
        )
    total = sum(statistics.mean(v) for v in cpu.values()) * 1000
    print(f"  workflow total (means) {total:.1f} ms")
    if args.profile:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(30)


if __name__ == "__main__":
    main()
