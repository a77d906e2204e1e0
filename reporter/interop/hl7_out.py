"""HL7 v2.5.1 ORU^R01 of a report, built with hl7apy (strict validation of the message structure).

The report text goes in TX OBX segments, one per line, under the section it belongs to; key
measurements follow as NM OBX segments with UCUM units. The result status is P (preliminary), F
(final) or C (corrected: an addendum was appended) in OBR-25 and in every OBX-11. Field values are
escaped by hl7apy's TX/ST data types, so a "|" or "^" in a sentence cannot break the message.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from reporter.domain.codes import LOCAL_SCHEME, CodedConcept, Names
from reporter.domain.study import Study
from reporter.domain.vocabulary import Modality
from reporter.errors import InputError
from reporter.interop._optional import require
from reporter.interop.export_common import ExportOptions, measured_values, name_parts
from reporter.interop.signature import Attestation, check_attestation
from reporter.report import Report

__all__ = ["build_oru", "export_hl7"]

_SENDING_APPLICATION = "NCREPORT"
_SECTION_SCHEME = LOCAL_SCHEME


def _ts(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y%m%d%H%M%S") + value.strftime("%z")
    return value.strftime("%Y%m%d")


def _escaped(value: str, kind: str = "TX") -> str:
    from hl7apy import base_datatypes

    return str(getattr(base_datatypes, kind)(value).to_er7())


def _wrapped(escaped: str, width: int = 199) -> list[str]:
    """Escaped text in lines of at most ``width`` characters, broken at spaces (escape sequences hold none)."""
    import textwrap

    return textwrap.wrap(escaped, width, break_long_words=False, break_on_hyphens=False) or [escaped]


def _ce(concept: CodedConcept) -> str:
    return "^".join((_escaped(concept.value, "ST"), _escaped(concept.meaning, "ST"), concept.scheme))


def _report_code(study: Study) -> CodedConcept:
    from reporter.domain.codes import DOCUMENT_TITLES

    return Names.SPECT_MPI if study.procedure.modality is Modality.SPECT else DOCUMENT_TITLES[Modality.PET]


def build_oru(report: Report, study: Study, attestation: Attestation, options: ExportOptions | None = None) -> Any:
    """The ORU^R01 message as an hl7apy ``Message``."""
    require("HL7 v2 export")
    from hl7apy.consts import VALIDATION_LEVEL
    from hl7apy.core import Message

    options = options or ExportOptions()
    check_attestation(report, attestation)
    status = attestation.status.hl7
    now = options.now or dt.datetime.now(dt.UTC)
    message = Message("ORU_R01", version="2.5.1", validation_level=VALIDATION_LEVEL.STRICT)
    message.msh.msh_3 = _SENDING_APPLICATION
    if options.institution:
        message.msh.msh_4 = _escaped(options.institution, "ST")
    message.msh.msh_7 = _ts(now)
    message.msh.msh_9 = "ORU^R01^ORU_R01"
    message.msh.msh_10 = uuid.uuid4().hex[:20]
    message.msh.msh_11 = "P"
    message.msh.msh_12 = "2.5.1"
    message.msh.msh_18 = "UNICODE UTF-8"

    result = message.add_group("ORU_R01_PATIENT_RESULT")
    pid = result.add_group("ORU_R01_PATIENT").pid
    p = study.patient
    pid.pid_1 = "1"
    if p.mrn is None or not p.mrn.get_secret_value().strip():
        raise InputError("an HL7 v2 result needs the patient's identifier (patient.mrn) to be filed")
    pid.pid_3 = _escaped(p.mrn.get_secret_value().strip(), "ST") + "^^^^MR"
    family, given = name_parts(p.name.get_secret_value() if p.name else "")
    pid.pid_5 = f"{_escaped(family, 'ST')}^{_escaped(given, 'ST')}" if family else '""'  # "" : known to be empty
    if p.birth_date is not None:
        pid.pid_7 = _ts(p.birth_date)
    pid.pid_8 = {"male": "M", "female": "F"}[p.sex.value]

    order = result.add_group("ORU_R01_ORDER_OBSERVATION")
    obr = order.obr
    obr.obr_1 = "1"
    if study.accession is not None:
        obr.obr_3 = _escaped(study.accession.get_secret_value(), "ST")
    obr.obr_4 = _ce(_report_code(study))
    if study.study_date is not None:
        obr.obr_7 = _ts(study.study_date)
    signature = attestation.signature
    obr.obr_22 = _ts(signature.signed_at if signature else now)
    obr.obr_24 = "NMS"
    obr.obr_25 = status
    if signature is not None:
        s = signature.signer
        obr.obr_32 = "&".join(
            (
                _escaped(s.identifier or "", "ST"),
                _escaped(s.family, "ST"),
                _escaped(s.given, "ST"),
                "",
                _escaped(s.suffix, "ST"),
                _escaped(s.prefix, "ST"),
            )
        )

    set_id = 0

    def obx(value_type: str, identifier: str, value: str, units: str = "", sub_id: str = "") -> None:
        nonlocal set_id
        set_id += 1
        segment = order.add_group("ORU_R01_OBSERVATION").obx
        segment.obx_1 = str(set_id)
        segment.obx_2 = value_type
        segment.obx_3 = identifier
        if sub_id:
            segment.obx_4 = sub_id
        # hl7apy checks a 'varies' OBX-5 against ST's 199 characters: a longer sentence goes in TX
        # repetitions, wrapped at spaces (a receiver shows each repetition as a line of the same text)
        lines = _wrapped(value) if value_type == "TX" else [value]
        segment.obx_5 = lines[0]
        for line in lines[1:]:
            segment.add_field("obx_5").value = line
        if units:
            segment.obx_6 = units
        segment.obx_11 = status
        if signature is not None:
            segment.obx_14 = _ts(signature.signed_at)

    for section in report.sections:
        identifier = f"{section.key.value.upper()}^{_escaped(section.title, 'ST')}^{_SECTION_SCHEME}"
        for index, sentence in enumerate(section.sentences, start=1):
            obx("TX", identifier, _escaped(sentence.text), sub_id=str(index))
    for index, addendum in enumerate(attestation.addenda, start=1):
        text = (
            f"{addendum.text} ({addendum.signature.meaning.display}: {addendum.signature.signer.display}, "
            f"{addendum.signature.signed_at.isoformat(timespec='minutes')})"
        )
        obx("TX", _ce(Names.ADDENDUM), _escaped(text), sub_id=str(index))
    if signature is not None:
        line = (
            f"{signature.meaning.display}: {signature.signer.display}, "
            f"signed {signature.signed_at.isoformat(timespec='minutes')}"
        )
        obx("TX", _ce(Names.SIGNATURE_MEANING), _escaped(line))
    for m, value in measured_values(study):
        if ".segments[" in m.field:
            continue
        state = f" ({m.state.meaning})" if m.state else ""
        site = f" [{m.site.meaning}]" if m.site else ""
        concept = CodedConcept(m.concept.scheme, m.concept.value, m.concept.meaning + state + site)
        obx("NM", _ce(concept), f"{value:g}", units=f"{_escaped(m.unit.value, 'ST')}^^UCUM")
    message.validate()  # hl7apy's structure and datatype check; a failure here is a bug, not bad input
    return message


def export_hl7(report: Report, study: Study, attestation: Attestation, options: ExportOptions | None = None) -> bytes:
    """The ORU^R01 message in ER7 encoding, segments ending in carriage returns (UTF-8)."""
    message = build_oru(report, study, attestation, options)
    return (message.to_er7() + "\r").encode("utf-8")
