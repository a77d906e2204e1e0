"""FHIR out: a transaction Bundle with the Patient, the signing Practitioner, a DiagnosticReport and one
Observation per key measurement, validated by the ``fhir.resources`` models before it is written.

FHIR R4 (4.0.1) is the target. ``fhir.resources`` 8 ships the R4B (4.3) models, whose DiagnosticReport,
Observation, Patient, Practitioner and Bundle have the same elements as R4 for everything written here,
so they validate this output. The Bundle's ``signature`` records who signed, when and why (ASTM E1762
type); it carries no cryptographic signature data.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from typing import Any

from reporter.domain.codes import (
    DOCUMENT_TITLES,
    PERFUSION_RESULT_CODES,
    RISK_CODES,
    CodedConcept,
    Names,
)
from reporter.domain.finding import FindingCode, Section
from reporter.domain.study import Study
from reporter.domain.vocabulary import Modality
from reporter.interop._optional import require
from reporter.interop.export_common import ExportOptions, measured_values
from reporter.interop.signature import Attestation, ReportStatus, check_attestation, report_text
from reporter.report import Report

__all__ = ["build_bundle", "export_fhir"]

_V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074"
_OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
_SIGNATURE_TYPE = "urn:iso-astm:E1762-95:2013"


def _coding(concept: CodedConcept) -> dict[str, str]:
    return {"system": concept.fhir_system, "code": concept.value, "display": concept.meaning}


def _instant(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _report_code(study: Study) -> CodedConcept:
    """LOINC 49569-7 for SPECT MPI; a PET study is coded by its report title (CID 7000)."""
    return Names.SPECT_MPI if study.procedure.modality is Modality.SPECT else DOCUMENT_TITLES[Modality.PET]


def _patient(study: Study) -> dict[str, Any]:
    p = study.patient
    resource: dict[str, Any] = {"resourceType": "Patient", "gender": p.sex.value}
    if p.mrn is not None:
        resource["identifier"] = [
            {
                "type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
                "value": p.mrn.get_secret_value(),
            }
        ]
    if p.name is not None:
        resource["name"] = [{"text": p.name.get_secret_value().replace("^", " ").strip()}]
    if p.birth_date is not None:
        resource["birthDate"] = p.birth_date.isoformat()
    return resource


def _observations(study: Study, status: str, subject: str, effective: str | None) -> list[dict[str, Any]]:
    """One Observation per key measurement (segment scores stay in the DICOM SR)."""
    out = []
    for m, value in measured_values(study):
        if ".segments[" in m.field:
            continue
        label = m.concept.meaning + (f", {m.state.meaning.lower()}" if m.state else "")
        resource: dict[str, Any] = {
            "resourceType": "Observation",
            "status": status,
            "category": [{"coding": [{"system": _OBSERVATION_CATEGORY, "code": "imaging", "display": "Imaging"}]}],
            "code": {"coding": [_coding(m.concept)], "text": label},
            "subject": {"reference": subject},
            "valueQuantity": {"value": value, "unit": m.unit.value, "system": m.unit.fhir_system, "code": m.unit.value},
            "note": [{"text": f"Study field {m.field}"}],
        }
        if effective:
            resource["effectiveDateTime"] = effective
        if m.site is not None:
            resource["bodySite"] = {"coding": [_coding(m.site)]}
        if m.method is not None:
            resource["method"] = {"coding": [_coding(m.method)]}
        out.append(resource)
    return out


def build_bundle(report: Report, study: Study, attestation: Attestation, options: ExportOptions | None = None) -> Any:
    """The Bundle as a validated ``fhir.resources`` model (raises pydantic's ValidationError if invalid)."""
    require("FHIR export")
    from fhir.resources.R4B.bundle import Bundle

    options = options or ExportOptions()
    check_attestation(report, attestation)
    status = attestation.status.value
    observation_status = "preliminary" if attestation.status is ReportStatus.PRELIMINARY else "final"
    patient_url, practitioner_url, report_url = _urn(), _urn(), _urn()
    effective = study.study_date.isoformat() if study.study_date else None
    observations = _observations(study, observation_status, patient_url, effective)
    observation_urls = [_urn() for _ in observations]
    text = report_text(report)
    for addendum in attestation.addenda:
        text += (
            f"\nADDENDUM ({addendum.signature.signed_at.isoformat(timespec='minutes')}, "
            f"{addendum.signature.signer.display})\n{addendum.text}\n"
        )
    impression = report.section(Section.IMPRESSION)
    diagnostic: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "status": status,
        "category": [{"coding": [{"system": _V2_0074, "code": "NMS", "display": "Nuclear Medicine Scan"}]}],
        "code": {"coding": [_coding(_report_code(study))], "text": "Myocardial perfusion imaging"},
        "subject": {"reference": patient_url},
        "result": [{"reference": url} for url in observation_urls],
        "presentedForm": [
            {
                "contentType": "text/plain; charset=utf-8",
                "language": "en",
                "data": base64.b64encode(text.encode("utf-8")).decode("ascii"),
                "title": "Myocardial perfusion imaging report",
            }
        ],
    }
    if effective:
        diagnostic["effectiveDateTime"] = effective
    if impression is not None:
        diagnostic["conclusion"] = " ".join(s.text for s in impression.sentences)
    conclusion_codes = []
    for finding in report.findings:
        category = finding.values.get("category")
        if finding.code is FindingCode.IMPRESSION_PERFUSION and category in PERFUSION_RESULT_CODES:
            conclusion_codes.append({"coding": [_coding(PERFUSION_RESULT_CODES[str(category)])]})
        if finding.code is FindingCode.RISK and category in RISK_CODES:
            conclusion_codes.append({"coding": [_coding(RISK_CODES[str(category)])]})
    if conclusion_codes:
        diagnostic["conclusionCode"] = conclusion_codes
    entries = [(patient_url, _patient(study))]
    signature = attestation.signature
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "transaction",
        "timestamp": _instant(options.now or dt.datetime.now(dt.UTC)),
    }
    if signature is not None:
        signer = signature.signer
        practitioner: dict[str, Any] = {
            "resourceType": "Practitioner",
            "name": [
                {
                    "family": signer.family,
                    **({"given": [signer.given]} if signer.given else {}),
                    **({"prefix": [signer.prefix]} if signer.prefix else {}),
                    **({"suffix": [signer.suffix]} if signer.suffix else {}),
                    "text": signer.display,
                }
            ],
        }
        if signer.identifier:
            practitioner["identifier"] = [{"value": signer.identifier}]
        entries.append((practitioner_url, practitioner))
        diagnostic["resultsInterpreter"] = [{"reference": practitioner_url}]
        diagnostic["issued"] = _instant(signature.signed_at)
        bundle["signature"] = {
            "type": [
                {"system": _SIGNATURE_TYPE, "code": signature.meaning.astm_code, "display": signature.meaning.display}
            ],
            "when": _instant(signature.signed_at),
            "who": {"reference": practitioner_url},
        }
    entries.append((report_url, diagnostic))
    entries += list(zip(observation_urls, observations, strict=True))
    bundle["entry"] = [
        {"fullUrl": url, "resource": resource, "request": {"method": "POST", "url": resource["resourceType"]}}
        for url, resource in entries
    ]
    return Bundle.model_validate(bundle)


def export_fhir(report: Report, study: Study, attestation: Attestation, options: ExportOptions | None = None) -> bytes:
    """The Bundle as FHIR JSON (UTF-8)."""
    return build_bundle(report, study, attestation, options).model_dump_json(indent=2).encode("utf-8")
