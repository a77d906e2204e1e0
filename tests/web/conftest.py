"""A real server (``ncreport serve --demo`` on loopback, a temporary SQLite) and Debian's chromium for the page.

The browser is the system's chromium driven by Playwright (never ``playwright install``: nothing is
downloaded). Without /usr/bin/chromium the browser tests are skipped here and fail in CI (CI=true).
Screenshots of each step go to tests/web/_screenshots/ (git-ignored).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).parent / "_screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "ncreport-demo"


@dataclass(frozen=True)
class Server:
    url: str
    tokens: dict[str, str]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, pretest_model_dir: Path) -> Iterator[Server]:
    """``ncreport serve --demo`` on 127.0.0.1 and a free port, its data in a temporary folder, with a risk model."""
    data = tmp_path_factory.mktemp("serve")
    port = _free_port()
    env = {
        **os.environ,
        "NCREPORT_DATA_DIR": str(data),
        "NCREPORT_WORKER_THREADS": "0",
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("NCREPORT_DATABASE_URL", None)
    log = (data / "serve.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reporter.cli",
            "serve",
            "--demo",
            "--port",
            str(port),
            "--examples",
            str(REPO / "examples"),
            "--risk-model",
            str(pretest_model_dir),
        ],
        cwd=data,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"ncreport serve did not start: {(data / 'serve.log').read_text()[-2000:]}")
            time.sleep(0.3)
        assert proc.stdout is not None
        os.set_blocking(proc.stdout.fileno(), False)  # serving: everything it prints at start is in the pipe
        printed = (proc.stdout.read() or b"").decode()
        tokens = dict(re.findall(r"^\s+(demo-\w+)\s+(\S+)$", printed, re.M))
        assert set(tokens) == {"demo-technologist", "demo-physician", "demo-qa", "demo-admin"}, printed
        yield Server(url, tokens)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("/usr/bin/chromium is missing: .ci/run installs it (apt-get install chromium)")
        pytest.skip("/usr/bin/chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # two shared cores: a draft and its checks take seconds
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context(base_url=server.url, viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


class Shots:
    """Screenshots of the steps of one flow: ``shots("02-worklist")`` -> _screenshots/<flow>-02-worklist.png."""

    def __init__(self, page: Any, flow: str) -> None:
        self.page, self.flow, self.taken = page, flow, []
        SHOTS.mkdir(exist_ok=True)

    def __call__(self, step: str) -> Path:
        path = SHOTS / f"{self.flow}-{step}.png"
        path.unlink(missing_ok=True)
        self.page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path


@pytest.fixture
def shots(page: Any, request: pytest.FixtureRequest) -> Shots:
    return Shots(page, request.node.name.removeprefix("test_"))


@pytest.fixture
def log_in(page: Any) -> Any:
    """``log_in("demo-physician")``: the log-in form filled and sent, waiting for the first page after it."""

    def go(name: str) -> None:
        page.goto("/login")
        page.get_by_label("User name").fill(name)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("button", name="Log out").wait_for()

    return go


# ---- the page in process (TestClient) and its use-cases, on the shared test databases --------------


@pytest.fixture
def high_risk_study(examples_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((examples_dir / "spect_multivessel_high_risk.json").read_text())
    return data


@pytest.fixture
def drafted_high_risk(session: Any, users: dict[Any, Any], high_risk_study: dict[str, Any]) -> Any:
    """The high-risk example submitted and drafted (rule-based): a report view, version 1."""
    from reporter.service import reading_room as rr
    from reporter.service.access import Role

    row = rr.submit_study(session, users[Role.TECHNOLOGIST], high_risk_study)
    return rr.draft_now(session, users[Role.PHYSICIAN], row.id)


@pytest.fixture
def page_client(sessions: Any) -> Iterator[Any]:
    """The whole app in process over a test database; users ``<role>1`` with the password PASSWORD."""
    from fastapi.testclient import TestClient

    from reporter.api.main import create_app
    from reporter.service.access import Role, create_user, set_password
    from reporter.settings import Settings

    with sessions() as session:
        for role in Role:
            create_user(session, f"{role.value}1", role)
            set_password(session, f"{role.value}1", PASSWORD)
    # http://testserver: a Secure cookie would not be sent back (NCREPORT_COOKIE_SECURE=false, as on a plain-http lab)
    with TestClient(create_app(Settings(cookie_secure=False), sessions), raise_server_exceptions=False) as client:
        yield client


PASSWORD = "correct-horse-battery"


@pytest.fixture
def login(page_client: Any) -> Any:
    """``login("physician1")`` -> the CSRF token of the new session (the client keeps its cookie)."""

    def go(name: str, password: str = PASSWORD) -> str:
        answer = page_client.post("/login", data={"name": name, "password": password}, follow_redirects=True)
        assert answer.status_code == 200, answer.text
        match = re.search(r'name="csrf" value="([^"]+)"', answer.text)
        assert match is not None
        return match.group(1)

    return go


@pytest.fixture
def down_pacs_port() -> int:
    """A loopback port where no PACS listens."""
    return _free_port()


@pytest.fixture
def page_client_with_pacs(sessions: Any, down_pacs_port: int) -> Iterator[Any]:
    """As page_client, with a PACS configured at an address where none answers."""
    from fastapi.testclient import TestClient

    from reporter.api.main import create_app
    from reporter.service.access import Role, create_user, set_password
    from reporter.settings import Settings

    with sessions() as session:
        for role in Role:
            create_user(session, f"{role.value}1", role)
            set_password(session, f"{role.value}1", PASSWORD)
    settings = Settings(cookie_secure=False, pacs_host="127.0.0.1", pacs_port=down_pacs_port, pacs_ae_title="DOWNPACS")
    with TestClient(create_app(settings, sessions), raise_server_exceptions=False) as client:
        yield client
