"""Shared fixtures: the example studies, a builder for minimal valid studies, the service's databases."""

from __future__ import annotations

import copy
import itertools
import json
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from reporter.domain.study import Study
from reporter.service.access import Actor, Role, create_user
from reporter.storage import make_engine, make_sessionmaker, upgrade

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"


def _segments(stress: dict[int, int], rest: dict[int, int] | None) -> list[dict[str, int]]:
    out = []
    for n in range(1, 18):
        row = {"segment": n, "stress": stress.get(n, 0)}
        if rest is not None:
            row["rest"] = rest.get(n, 0)
        out.append(row)
    return out


_BASE: dict[str, Any] = {
    "patient": {"age_years": 60, "sex": "male"},
    "clinical": {"indication": "Chest pain."},
    "procedure": {
        "modality": "SPECT",
        "protocol": "rest-stress",
        "tracers": [
            {"tracer": "Tc-99m sestamibi", "phase": "rest", "activity": {"value": 10, "unit": "mCi"}},
            {"tracer": "Tc-99m sestamibi", "phase": "stress", "activity": {"value": 30, "unit": "mCi"}},
        ],
    },
    "stress": {"type": "pharmacologic", "agent": "regadenoson", "agent_dose": "0.4 mg IV"},
    "perfusion": {"segments": _segments({}, {})},
}


@pytest.fixture
def study_dict() -> Callable[..., dict[str, Any]]:
    """A minimal valid study as a dict; keyword arguments replace top-level blocks."""

    def make(stress_scores: dict[int, int] | None = None, rest_scores: dict[int, int] | None = None,
             **blocks: Any) -> dict[str, Any]:
        data = copy.deepcopy(_BASE)
        if stress_scores is not None or rest_scores is not None:
            data["perfusion"] = {"segments": _segments(stress_scores or {}, rest_scores if rest_scores is not None
                                                       else {})}
        for key, value in blocks.items():
            data[key] = value
        return data

    return make


@pytest.fixture
def make_study(study_dict: Callable[..., dict[str, Any]]) -> Callable[..., Study]:
    def make(*args: Any, **kwargs: Any) -> Study:
        return Study.model_validate(study_dict(*args, **kwargs))

    return make


@pytest.fixture
def example() -> Callable[[str], Study]:
    def load(stem: str) -> Study:
        return Study.model_validate(json.loads((EXAMPLES / f"{stem}.json").read_text()))

    return load


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


# ---- databases for the reading-room service (tests/service, tests/api) ----------------------------
# Every test that asks for `db_url` runs on SQLite and on a real PostgreSQL: a throwaway cluster
# made with Debian's binaries (initdb and pg_ctl of /usr/lib/postgresql/*/bin) in a temporary
# folder, on 127.0.0.1 and a free port, started once per session and stopped at its end; each test
# gets a database of its own. As root the cluster runs as the `postgres` user (PostgreSQL refuses
# to run as root). Without the binaries the PostgreSQL cases are skipped, except under CI=true,
# where that is a failure.

_PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
_counter = itertools.count()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Cluster:
    def __init__(self, bin_dir: Path) -> None:
        self.bin, self.port = bin_dir, _free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="ncreport-pg-"))
        self.data = self.dir / "data"
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self._as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as_user, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"),
                  "-w", "start")

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[_Cluster]:
    if not _PG_BIN:
        message = "PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI=true requires the PostgreSQL cases to run")
        pytest.skip(message)
    cluster = _Cluster(_PG_BIN[-1].parent)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new database in the PostgreSQL cluster."""
    if request.param == "sqlite":
        yield f"sqlite+pysqlite:///{tmp_path / 'ncreport.sqlite3'}"
        return
    cluster: _Cluster = request.getfixturevalue("pg_cluster")
    name = f"t{os.getpid()}_{next(_counter)}"
    admin = create_engine(cluster.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield cluster.url(name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session:
        yield session


@pytest.fixture
def users(session: Session) -> dict[Role, Actor]:
    """One user per role."""
    return {role: create_user(session, f"{role.value}1", role)[0] for role in Role}


@pytest.fixture
def lad_study(examples_dir: Path) -> dict[str, Any]:
    """The LAD ischemia example with a patient name and MRN added (identifiers the service must keep to itself)."""
    study: dict[str, Any] = json.loads((examples_dir / "spect_lad_ischemia.json").read_text())
    study["patient"] = {**study["patient"], "name": "Zebediah Quuxworth", "mrn": "MRN-93817264"}
    return study


@pytest.fixture
def site_templates(tmp_path: Path) -> Path:
    """A site's template directory: one phrase in German and its own signed layout (the rest packaged)."""
    site = tmp_path / "site_templates"
    site.mkdir()
    phrases = (REPO / "templates" / "phrases.j2").read_text(encoding="utf-8")
    (site / "phrases.j2").write_text(phrases.replace("No prior study was provided for comparison.",
                                                     "Keine Voruntersuchung vorhanden."), encoding="utf-8")
    (site / "signed.txt.j2").write_text(
        "BEFUND: MYOKARDSZINTIGRAPHIE\n\n{{ body }}\n\nElektronisch signiert: {{ signature.signer }} "
        "({{ signature.role }})\n", encoding="utf-8")
    return site


@pytest.fixture(scope="session")
def pretest_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small pre-test risk model trained on UCI Cleveland (its reference bins are Cleveland's, whatever the trees)."""
    from reporter.risk.training import train_and_save

    data = SHARED / "data" / "raw" / "uci_heart_disease_cleveland" / "processed.cleveland.data"
    out = tmp_path_factory.mktemp("risk") / "pretest"
    return train_and_save("pretest-abnormal-perfusion", data, out, folds=2, model_params={"n_estimators": 5}).directory
