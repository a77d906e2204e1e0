"""Load test of the reading-room service: N concurrent clients submit, draft (rules), edit and sign.

    python bench/load.py [--clients 32] [--rounds 2] [--workers CORES] [--think-s 0] [--postgres | --database-url URL]

Starts ``ncreport serve`` (uvicorn, one process per core unless ``--workers``, 127.0.0.1, a free
port, no job worker) on a fresh database (a SQLite file in a temporary folder; ``--postgres``
starts a throwaway cluster with Debian's binaries, as the tests do), creates one user per role,
warms the server up with a few workflows (spaCy and the templates load on first use in each
process; not timed), then runs ``--clients`` clients at once, each doing ``--rounds`` workflows,
each on a study of its own (:func:`studies`). Prints requests/s, p50/p95 per endpoint, the error
count, the clients' own CPU time and the load average; then checks in the database that every
study, version, signature and audit entry is there and that the audit chain verifies. Exit 1 on any error or lost write.

``--think-s S``: each client pauses before each request for a time drawn from an exponential distribution
of mean S seconds (seeded), as users who read a draft before editing it do. The default, 0, is the
issue's measure: every client sends its next request as soon as the last is answered, so the server is
saturated and a request's latency is mostly its wait behind the others (32 in flight at all times).
The server inherits this process's environment (``NCREPORT_REQUEST_THREADS=4 python bench/load.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "examples").glob("*.json"))


def studies(n: int) -> list[dict[str, Any]]:
    """``n`` different studies: the example studies in turn, with the values of each varied every time.

    The patient's age and weight, the heart rates and peak blood pressure, the post-stress LVEF (by
    a point or two) and the stress TPD change, so the indication, stress, function and impression
    paragraphs of no two drafts are the same: a server that cached the work of identical inputs
    (or paragraphs) gains only on what repeats in a real department too (procedure, comparison).
    """
    out = []
    for i in range(n):
        study = json.loads(EXAMPLES[i % len(EXAMPLES)].read_text())
        turn = i // len(EXAMPLES)
        patient = study["patient"]
        patient["age_years"] += i % 15  # older only: a younger patient's peak heart rate may become submaximal
        if "weight_kg" in patient:
            patient["weight_kg"] = 55 + (patient["weight_kg"] + turn) % 60
        stress = study["stress"]
        for key, step in (("rest_hr_bpm", 7), ("peak_hr_bpm", 11), ("peak_sbp_mmhg", 13)):
            if key in stress:
                stress[key] += turn % step
        function = study.get("function", {})
        if "stress_lvef_percent" in function:
            function["stress_lvef_percent"] += turn % 3 - 1
        if "stress_tpd_percent" in study["perfusion"]:
            study["perfusion"]["stress_tpd_percent"] += turn % 5 * 0.5
        out.append(study)
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Postgres:
    """A throwaway cluster (as the test fixture): initdb + pg_ctl on a temporary folder, 127.0.0.1."""

    def __init__(self) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        if not bins:
            sys.exit("PostgreSQL binaries not found (apt-get install postgresql)")
        self.bin, self.port = bins[-1].parent, _free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ncreport-bench-pg-"))
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=120)

    def __enter__(self) -> str:
        data = str(self.dir / "data")
        self._run(str(self.bin / "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "--no-sync")
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            data,
            "-l",
            str(self.dir / "log"),
            "-w",
            "start",
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=200",
        )
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def __exit__(self, *_: object) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def _users(url: str) -> dict[str, str]:
    from reporter.service.access import Role, create_user
    from reporter.storage import make_engine, make_sessionmaker, upgrade

    engine = make_engine(url)
    upgrade(engine)
    with make_sessionmaker(engine)() as session:
        tokens = {role.value: create_user(session, f"bench-{role.value}", role)[1] for role in Role}
    engine.dispose()
    return tokens


class Client:
    def __init__(
        self,
        http: httpx.AsyncClient,
        tokens: dict[str, str],
        studies: list[dict[str, Any]],
        think_s: float = 0.0,
        seed: int = 0,
    ) -> None:
        self.http, self.tokens, self.studies = http, tokens, studies
        self.think_s, self.rng = think_s, random.Random(seed)
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    async def call(self, name: str, role: str, method: str, url: str, body: Any = None) -> Any:
        if self.think_s:
            await asyncio.sleep(self.rng.expovariate(1 / self.think_s))
        started = time.perf_counter()
        answer = await self.http.request(
            method, url, json=body, headers={"Authorization": f"Bearer {self.tokens[role]}"}
        )
        self.times[name].append(time.perf_counter() - started)
        if answer.status_code >= 400:
            self.errors.append(f"{name}: {answer.status_code} {answer.text[:200]}")
            return None
        return answer.json()

    async def workflow(self) -> bool:
        study = await self.call("submit", "technologist", "POST", "/api/studies", {"study": self.studies.pop()})
        if study is None:
            return False
        report = await self.call("draft", "physician", "POST", f"/api/studies/{study['id']}/draft")
        if report is None:
            return False
        text = report["current"]["text"] + "\nReviewed by the reading physician."
        version = await self.call(
            "edit", "physician", "POST", f"/api/reports/{report['id']}/versions", {"text": text, "base_version": 1}
        )
        if version is None:
            return False
        signed = await self.call(
            "sign", "physician", "POST", f"/api/reports/{report['id']}/sign", {"version": version["number"]}
        )
        return signed is not None


def _check_database(url: str, workflows: int) -> list[str]:
    """What must be in the database after ``workflows`` complete workflows; the problems found."""
    from sqlalchemy import func, select

    from reporter.service.audit_trail import check_chain
    from reporter.storage import make_engine, make_sessionmaker
    from reporter.storage.models import AuditEntry, Report, ReportVersion, Signature, StudyRow

    engine = make_engine(url)
    problems = []
    with make_sessionmaker(engine)() as session:

        def count(model: Any, *where: Any) -> int:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

        expected = {
            "studies": (count(StudyRow), workflows),
            "signed reports": (count(Report, Report.status == "signed"), workflows),
            "versions": (count(ReportVersion), 2 * workflows),
            "signatures": (count(Signature), workflows),
            "audit entries": (count(AuditEntry), 4 + 4 * workflows),  # 4 users, then 4 per workflow
        }
        for what, (found, wanted) in expected.items():
            print(f"  {what:<15} {found:>6} (expected {wanted})")
            if found != wanted:
                problems.append(f"{what}: {found}, expected {wanted}")
        chain = check_chain(session)
        print(f"  audit verify    {'ok' if chain.problem is None else chain.problem} ({chain.entries} entries)")
        if chain.problem is not None:
            problems.append(str(chain.problem))
    engine.dispose()
    return problems


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` and its descendants (Linux /proc; 0 elsewhere)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    tree, grown = {pid}, True
    while grown:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        grown, tree = bool(more), tree | more
    return sum(times.get(p, 0.0) for p in tree)


async def _run(
    base: str,
    tokens: dict[str, str],
    clients: int,
    rounds: int,
    warm_ups: int,
    think_s: float = 0.0,
    server_cpu: Callable[[], float] = lambda: 0.0,
) -> tuple[list[Client], float, float, float]:
    """The clients after their workflows, the wall time, this process's CPU time of the timed part and the
    server's (its processes together)."""
    limits = httpx.Limits(max_connections=clients + 4)
    varied = studies(warm_ups + clients * rounds)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as http:
        warm = [Client(http, tokens, [varied.pop()]) for _ in range(warm_ups)]  # at once: every process gets some
        if not all(await asyncio.gather(*(w.workflow() for w in warm))):
            sys.exit(f"warm-up failed: {[e for w in warm for e in w.errors]}")
        workers = [Client(http, tokens, [varied.pop() for _ in range(rounds)], think_s, seed=i) for i in range(clients)]

        async def loop(client: Client) -> None:
            for _ in range(rounds):
                await client.workflow()

        started, cpu, served = time.perf_counter(), time.process_time(), server_cpu()
        await asyncio.gather(*(loop(c) for c in workers))
        return workers, time.perf_counter() - started, time.process_time() - cpu, server_cpu() - served


def _serve(url: str, port: int, log: Path, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NCREPORT_DATABASE_URL": url,
        "NCREPORT_SECRET": "b" * 40,
        "NCREPORT_WORKER_THREADS": "0",
        "PYTHONPATH": f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    }
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "reporter.cli", "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            sys.exit(f"the server exited: see {log}")
        time.sleep(0.1)
    server.kill()
    sys.exit("the server did not start in 30 s")


def bench(url: str, clients: int, rounds: int, workers: int = 1, think_s: float = 0.0) -> int:
    tokens = _users(url)
    port = _free_port()
    log_dir = Path(tempfile.mkdtemp(prefix="ncreport-bench-log-"))
    log = log_dir / "server.log"
    server = _serve(url, port, log, workers)
    try:
        warm_ups = 4 * workers
        load = os.getloadavg()
        done, seconds, client_cpu, server_cpu = asyncio.run(
            _run(f"http://127.0.0.1:{port}", tokens, clients, rounds, warm_ups, think_s, lambda: _tree_cpu(server.pid))
        )
        load_after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(30)
    times: dict[str, list[float]] = defaultdict(list)
    errors = [e for c in done for e in c.errors]
    for c in done:
        for name, values in c.times.items():
            times[name].extend(values)
    requests = sum(len(v) for v in times.values())
    threads = os.environ.get("NCREPORT_REQUEST_THREADS", "default")
    pace = f", think time mean {think_s:g} s" if think_s else ", no think time"
    print(
        f"{workers} server process(es) ({threads} request threads each), {clients} clients x {rounds} workflows"
        f"{pace}: {requests} requests in "
        f"{seconds:.1f} s = {requests / seconds:.1f} requests/s; errors: {len(errors)}"
    )
    print(
        f"  the clients' own CPU: {client_cpu:.1f} s ({client_cpu / seconds:.0%} of one core, "
        f"{client_cpu * 1000 / requests:.1f} ms per request); load average (1 min) before {load[0]:.2f}, "
        f"after {load_after[0]:.2f}"
    )
    print(
        f"  the server's CPU (its processes together): {server_cpu:.1f} s ({server_cpu / seconds:.0%} of one core, "
        f"{server_cpu * 1000 / requests:.1f} ms per request)"
    )
    print(f"  {'endpoint':<8} {'n':>5} {'p50 ms':>8} {'p95 ms':>8}")
    for name in ("submit", "draft", "edit", "sign"):
        values = sorted(times[name])
        p95 = statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]
        print(f"  {name:<8} {len(values):>5} {statistics.median(values) * 1000:>8.0f} {p95 * 1000:>8.0f}")
    for error in errors[:5]:
        print(f"  error: {error}")
    print("database after the run:")
    problems = _check_database(url, warm_ups + clients * rounds)
    if errors or problems:
        print(f"server log kept: {log}")
        return 1
    shutil.rmtree(log_dir, ignore_errors=True)
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2, help="workflows per client")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="server processes (ncreport serve --workers; default: one per core, as one Python "
        "process holds the GIL and so uses one core)",
    )
    parser.add_argument(
        "--think-s",
        type=float,
        default=0.0,
        help="mean pause before each request (exponential; default 0: the server saturated)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL cluster (Debian binaries)")
    where.add_argument("--database-url", help="an existing, empty database")
    args = parser.parse_args()
    if args.postgres:
        with Postgres() as url:
            print(f"PostgreSQL (throwaway cluster), {os.cpu_count()} CPUs")
            sys.exit(bench(url, args.clients, args.rounds, args.workers, args.think_s))
    if args.database_url:
        sys.exit(bench(args.database_url, args.clients, args.rounds, args.workers, args.think_s))
    folder = Path(tempfile.mkdtemp(prefix="ncreport-bench-"))
    try:
        print(f"SQLite ({folder}), {os.cpu_count()} CPUs")
        code = bench(
            f"sqlite+pysqlite:///{folder / 'bench.sqlite3'}", args.clients, args.rounds, args.workers, args.think_s
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
