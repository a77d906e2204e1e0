"""Fixtures for the drafting loop: scripted backends and a loopback OpenAI-compatible server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest

from reporter.llm.backends import Backend
from reporter.llm.fake import scripted_backend


@pytest.fixture
def scripted() -> Callable[..., Backend]:
    return scripted_backend


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def llamacpp_server() -> Iterator[str]:
    """llama.cpp's own OpenAI-compatible server on loopback, serving the embedded GGUF."""
    import importlib.util

    from reporter.llm.embedded import default_gguf

    # the [llamacpp] extra (scripts/bootstrap.sh installs it); not imported here: the server runs apart
    assert importlib.util.find_spec("llama_cpp") is not None, "llama-cpp-python is not installed"

    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(default_gguf()),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_threads",
            "2",
            "--model_alias",
            "smollm2-135m",
            "--verbose",
            "false",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_PROXY": "127.0.0.1"},
    )
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail("llama.cpp server exited at start")
            time.sleep(0.3)
    else:
        proc.kill()
        proc.wait(timeout=10)
        pytest.fail("llama.cpp server did not start within 60 s")
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
