"""Optional dependencies of the interop layer, checked on first use with an error that names the extra."""

from __future__ import annotations

import importlib

from reporter.errors import ConfigError

__all__ = ["require"]

# feature -> (modules it imports, the extra that installs them)
_FEATURES = {
    "DICOM ingest": (("pydicom",), "dicom"),
    "DICOM SR export": (("pydicom", "highdicom"), "dicom"),
    "Encapsulated PDF export": (("pydicom", "fpdf"), "interop"),
    "FHIR export": (("fhir.resources",), "interop"),
    "HL7 v2 export": (("hl7apy",), "interop"),
    "DICOM send": (("pydicom", "pynetdicom"), "interop"),
}


def require(feature: str) -> None:
    """Raise ConfigError (exit 2) telling the user which extra to install when ``feature`` cannot import."""
    modules, extra = _FEATURES[feature]
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise ConfigError(f"{feature} needs {module}: pip install 'ncreport[{extra}]'") from exc
