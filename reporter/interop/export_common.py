"""What every exporter shares: options, the source study's UIDs, and de-identification of text.

De-identification follows the DICOM PS3.15 Basic Application Confidentiality Profile for the
attributes ncreport writes (identifiers emptied, UIDs replaced, staff names replaced), with the
Clean Descriptors option for free text (every identifier of the input removed from the report
text), the Retain Patient Characteristics option (age and sex stay: the report states them) and the
Retain Longitudinal Temporal Information Full Dates option (study and signature dates stay; the
birth date goes). The exporters build their output from the Study and Report, so nothing else of a
source file can leak into it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reporter.domain.codes import MEASUREMENTS, Measurement, Names
from reporter.domain.study import Study

if TYPE_CHECKING:
    from reporter.interop.dicom_in import SourceInstance
    from reporter.interop.signature import Attestation

__all__ = [
    "DEIDENTIFIED",
    "DEID_METHOD",
    "DEID_METHOD_CODES",
    "DicomSource",
    "ExportOptions",
    "Scrubber",
    "UidMap",
    "dicom_file_bytes",
    "dicom_person_name",
    "mark_deidentified",
    "measured_values",
    "name_parts",
    "staff_identifiers",
]

DEIDENTIFIED = "[removed]"
# De-identification Method is LO (64 characters); the options are in the code sequence beside it.
DEID_METHOD = "DICOM PS3.15 Basic Profile with options (ncreport)"
DEID_METHOD_CODES = (
    Names.BASIC_PROFILE,
    Names.CLEAN_DESCRIPTORS,
    Names.RETAIN_PATIENT_CHARACTERISTICS,
    Names.RETAIN_FULL_DATES,
)


def mark_deidentified(ds: Any) -> None:
    """Record on a DICOM dataset that identity was removed, and by which profile and options."""
    from pydicom.dataset import Dataset

    ds.PatientIdentityRemoved = "YES"
    ds.DeidentificationMethod = DEID_METHOD
    items = []
    for concept in DEID_METHOD_CODES:
        item = Dataset()
        item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = concept.value, concept.scheme, concept.meaning
        items.append(item)
    ds.DeidentificationMethodCodeSequence = items


def name_parts(name: str) -> tuple[str, str]:
    """(family, given) of a DICOM-style "Family^Given" or a plain "Given Family" name."""
    if "^" in name:
        parts = name.split("^")
        return parts[0].strip(), parts[1].strip() if len(parts) > 1 else ""
    words = name.split()
    return (words[-1], " ".join(words[:-1])) if words else ("", "")


def dicom_person_name(name: str) -> str:
    """A study's patient name as a DICOM PN: kept when it has components, else "Given Family" -> "Family^Given"."""
    if "^" in name or not name.strip():
        return name.strip()
    family, given = name_parts(name)
    return f"{family}^{given}" if given else f"{family}^"


def dicom_file_bytes(ds: Any) -> bytes:
    """A dataset as the bytes of a DICOM Part 10 file."""
    import io

    from pydicom import dcmwrite

    buffer = io.BytesIO()
    dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class DicomSource:
    """The study a report is about, as the imaging system knows it: its UIDs and the instances read.

    ``instances`` are what :func:`reporter.interop.dicom_in.ingest` returns as ``sources``.
    """

    study_instance_uid: str | None = None
    study_id: str = ""
    instances: tuple[SourceInstance, ...] = ()

    @classmethod
    def from_instances(cls, instances: Sequence[SourceInstance]) -> DicomSource:
        uids = {i.study_instance_uid for i in instances if i.study_instance_uid}
        if len(uids) > 1:
            from reporter.errors import InputError

            raise InputError(f"the source instances belong to {len(uids)} studies; a report is about one")
        return cls(study_instance_uid=next(iter(uids), None), instances=tuple(instances))


@dataclass(frozen=True, slots=True)
class ExportOptions:
    source: DicomSource = field(default_factory=DicomSource)
    deidentify: bool = False
    institution: str = ""
    manufacturer: str = "ncreport"
    now: dt.datetime | None = None
    # The DICOM SR file an addendum adds to (the new SR references it as its predecessor).
    predecessor_sr: bytes | None = None
    # De-identified UIDs: with a secret salt the same source UID always maps to the same new UID (the SR
    # and PDF of a study stay in one de-identified study, across exports); without, each export is unlinkable.
    deid_salt: str | None = None


class UidMap:
    """Source UID -> the UID an export writes: itself, or a replacement when de-identifying (PS3.15 "U")."""

    def __init__(self, options: ExportOptions) -> None:
        self._options = options
        self._made: dict[str, str] = {}

    def __call__(self, original: str) -> str:
        from pydicom.uid import generate_uid

        if not self._options.deidentify:
            return original
        if self._options.deid_salt:
            return str(generate_uid(entropy_srcs=[self._options.deid_salt, original]))
        return self._made.setdefault(original, str(generate_uid()))


class Scrubber:
    """Removes identifiers from text: the patient's (name parts, MRN, accession, birth date in common
    spellings) and the staff's and organization's given in ``others`` (signer names, institution).
    """

    def __init__(self, study: Study, active: bool, others: Sequence[str] = ()) -> None:
        self.active = active
        # Each of ``others`` is removed as a whole: "Heart Center" goes, "heart rate" stays.
        words: list[str] = [other.strip() for other in others if len(other.strip()) >= 2]
        patient = study.patient
        if patient.name is not None:
            words += [w for w in re.split(r"[\s^,]+", patient.name.get_secret_value()) if len(w) >= 2]
        for secret in (patient.mrn, study.accession):
            if secret is not None and secret.get_secret_value().strip():
                words.append(secret.get_secret_value().strip())
        if patient.birth_date is not None:
            b = patient.birth_date
            words += [
                b.isoformat(),
                b.strftime("%Y%m%d"),
                b.strftime("%m/%d/%Y"),
                b.strftime("%d.%m.%Y"),
                f"{b.month}/{b.day}/{b.year}",
                b.strftime("%d/%m/%Y"),
            ]
        words.sort(key=len, reverse=True)
        self._pattern = (
            re.compile("|".join(rf"(?<![\w]){re.escape(w)}(?![\w])" for w in words), re.IGNORECASE) if words else None
        )

    def __call__(self, text: str) -> str:
        if not self.active or self._pattern is None:
            return text
        return self._pattern.sub(DEIDENTIFIED, text)


def _field_value(data: dict[str, object], path: str) -> object:
    """The value at a MEASUREMENTS path in a Study's JSON (``[7]`` a segment, ``[LAD]`` a territory)."""
    node: object = data
    for part in re.findall(r"[^.\[\]]+|\[[^\]]+\]", path):
        if node is None:
            return None
        if part.startswith("["):
            key = part[1:-1]
            items = node if isinstance(node, list) else []
            node = next(
                (i for i in items if isinstance(i, dict) and str(i.get("segment", i.get("territory"))) == key), None
            )
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def measured_values(study: Study) -> list[tuple[Measurement, float]]:
    """Every numeric result the Study holds, with its row of the codes table, in table order.

    Summed scores and flow reserves the Study derives (from segment scores, from rest and stress MBF)
    are included: they are the numbers the report states.
    """
    data = study.model_dump(mode="json", exclude={"accession", "patient", "prior"})
    perfusion = data["perfusion"]
    perfusion.update(
        summed_stress_score=study.perfusion.sss,
        summed_rest_score=study.perfusion.srs,
        summed_difference_score=study.perfusion.sds,
    )
    if study.flow is not None:
        data["flow"]["mfr"] = study.flow.flow_reserve
        for item, territory in zip(data["flow"]["territories"], study.flow.territories, strict=True):
            item["mfr"] = territory.flow_reserve
    out = []
    for m in MEASUREMENTS:
        value = _field_value(data, m.field)
        if isinstance(value, int | float) and not isinstance(value, bool):
            out.append((m, float(value)))
    return out


def staff_identifiers(attestation: Attestation, options: ExportOptions) -> list[str]:
    """Names of the people and organizations an export mentions: PS3.15 removes them too."""
    signatures = [attestation.signature] if attestation.signature else []
    signatures += [a.signature for a in attestation.addenda]
    out = [part for s in signatures for part in (s.signer.family, s.signer.given, s.signer.identifier or "") if part]
    return out + [name for name in (attestation.organization, options.institution) if name]
