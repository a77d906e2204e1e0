"""A script of ``bench/`` loaded as a module, once per process: the tests that score a set as the bench scores it
call the bench's own functions instead of copying them."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def bench_module(name: str) -> Any:
    """``bench/<name>.py`` as a module (registered under ``name``: its dataclasses resolve their module by name)."""
    spec = importlib.util.spec_from_file_location(name, _ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
