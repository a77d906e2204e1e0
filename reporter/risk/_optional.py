"""Optional heavy dependencies, imported on first use with an error that names the extra."""

from __future__ import annotations

import importlib
from types import ModuleType

from reporter.errors import ConfigError

__all__ = ["require"]


def require(module: str) -> ModuleType:
    """Import ``module`` or raise ConfigError telling the user to install the ``risk`` extra."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ConfigError(f"decision-support models need {module.split('.')[0]}: pip install 'ncreport[risk]'") from exc
