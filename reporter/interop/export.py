"""The exporters, one registry chosen by name: ``dicom-sr``, ``dicom-pdf``, ``fhir``, ``hl7``.

Each takes the report, its study, the attestation (status, signature, text hash) and options, and
returns the bytes to write or send. An unsigned report exports only when it is marked preliminary
(:class:`~reporter.interop.signature.Attestation` cannot say otherwise), and only the text that was
signed exports (its sha256 is checked).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from reporter.domain.study import Study
from reporter.errors import InputError
from reporter.interop.dicom_pdf import export_dicom_pdf
from reporter.interop.dicom_sr import export_dicom_sr
from reporter.interop.export_common import ExportOptions
from reporter.interop.fhir_out import export_fhir
from reporter.interop.hl7_out import export_hl7
from reporter.interop.signature import Attestation
from reporter.report import Report

__all__ = ["DEIDENTIFIABLE", "EXPORTERS", "Exporter", "export"]

Exporter = Callable[[Report, Study, Attestation, ExportOptions | None], bytes]

EXPORTERS: Mapping[str, Exporter] = MappingProxyType(
    {"dicom-sr": export_dicom_sr, "dicom-pdf": export_dicom_pdf, "fhir": export_fhir, "hl7": export_hl7}
)
# Research export (PS3.15 de-identification) is for the DICOM objects; FHIR and HL7 go to the EHR.
DEIDENTIFIABLE = frozenset({"dicom-sr", "dicom-pdf"})


def export(
    fmt: str, report: Report, study: Study, attestation: Attestation, options: ExportOptions | None = None
) -> bytes:
    """The report in format ``fmt``; raises InputError for an unknown format or an option it does not support."""
    if fmt not in EXPORTERS:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORTERS)}")
    options = options or ExportOptions()
    if options.deidentify and fmt not in DEIDENTIFIABLE:
        raise InputError(f"de-identification is offered for {' and '.join(sorted(DEIDENTIFIABLE))} only, not {fmt}")
    return EXPORTERS[fmt](report, study, attestation, options)
