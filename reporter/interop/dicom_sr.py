"""DICOM Comprehensive SR of a report, built with highdicom content items.

There is no nuclear-cardiology SR template; the tree follows the structure of TID 3300 (Stress
Testing Report): procedure, stress phase, imaging measurements, findings, summary, conclusions.
Coded items use :mod:`reporter.domain.codes`; the measurement groups have the TID 1500 shape (NUMs
qualified by Patient State and Finding Site), so :func:`reporter.interop.dicom_in.ingest` reads an
exported SR back into the same Study fields. An addendum is a new SR instance holding the original
content plus an Addendum container, whose Predecessor Documents Sequence references the original.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from typing import Any

from reporter.domain.codes import (
    AGATSTON_METHOD,
    DOCUMENT_TITLES,
    GATED_PET,
    GATED_SPECT,
    LOCAL_SCHEME,
    PERFUSION_RESULT_CODES,
    RISK_CODES,
    SEGMENT_SITES,
    SEVERITY_RANGE_CODES,
    STRESS_IMAGING_SUMMARY_CODES,
    CodedConcept,
    Measurement,
    Names,
    artifact_code,
    code_of,
    protocol_code,
)
from reporter.domain.finding import Finding, FindingCode, Section
from reporter.domain.study import Study
from reporter.domain.vocabulary import Certainty, Modality
from reporter.errors import InputError
from reporter.interop._optional import require
from reporter.interop.export_common import (
    DEIDENTIFIED,
    ExportOptions,
    Scrubber,
    UidMap,
    dicom_file_bytes,
    dicom_person_name,
    mark_deidentified,
    measured_values,
    staff_identifiers,
)
from reporter.interop.signature import Attestation, ReportStatus, check_attestation
from reporter.report import Report

__all__ = ["build_sr", "export_dicom_sr"]

COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33"
NM_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.20"
_ANONYMOUS_PN = "DEIDENTIFIED^"  # PS3.15 dummy value; the caret makes it a valid one-component PN
# Section -> (container heading, concept name of each sentence). Headings: CID 7001; elements: CID 7002.
_SECTIONS: dict[Section, tuple[CodedConcept, CodedConcept]] = {
    Section.INDICATION: (Names.INDICATIONS, Names.FINDING),
    Section.PROCEDURE: (Names.CURRENT_PROCEDURE, Names.PROCEDURE_DESCRIPTION),
    Section.STRESS: (Names.STRESS_PROTOCOL, Names.FINDING),
    Section.PERFUSION: (Names.FINDINGS, Names.FINDING),
    Section.FUNCTION: (Names.FINDINGS, Names.FINDING),
    Section.FLOW: (Names.FINDINGS, Names.FINDING),
    Section.ANCILLARY: (Names.FINDINGS, Names.FINDING),
    Section.COMPARISON: (Names.FINDINGS, Names.COMPARISON),
    Section.DECISION_SUPPORT: (Names.FINDINGS, Names.DECISION_SUPPORT),
    Section.IMPRESSION: (Names.CONCLUSIONS, Names.CONCLUSION),
}
_GROUPS = {
    "perfusion": "Myocardial perfusion",
    "function": "Gated left ventricular function",
    "flow": "Myocardial blood flow",
    "calcium": "Coronary artery calcium",
}


def _hd(concept: CodedConcept) -> Any:
    import highdicom as hd

    return hd.sr.CodedConcept(value=concept.value, scheme_designator=concept.scheme, meaning=concept.meaning)


def _rel(name: str) -> Any:
    import highdicom as hd

    return getattr(hd.sr.RelationshipTypeValues, name)


def _container(name: CodedConcept, items: Sequence[Any], relationship: str = "CONTAINS") -> Any:
    import highdicom as hd

    item = hd.sr.ContainerContentItem(name=_hd(name), relationship_type=_rel(relationship))
    item.ContentSequence = hd.sr.ContentSequence(list(items))
    return item


def _code(name: CodedConcept, value: CodedConcept, relationship: str = "CONTAINS", children: Sequence[Any] = ()) -> Any:
    import highdicom as hd

    item = hd.sr.CodeContentItem(name=_hd(name), value=_hd(value), relationship_type=_rel(relationship))
    if children:
        item.ContentSequence = hd.sr.ContentSequence(list(children))
    return item


def _text(name: CodedConcept, value: str) -> Any:
    import highdicom as hd

    return hd.sr.TextContentItem(name=_hd(name), value=value, relationship_type=_rel("CONTAINS"))


def _measurement(m: Measurement, value: float, modality: Modality) -> Any:
    import highdicom as hd

    method = m.method
    if method is None and m.field.startswith("function.") and "ratio" not in m.field:
        method = GATED_PET if modality is Modality.PET else GATED_SPECT
    sites = [hd.sr.FindingSite(anatomic_location=_hd(m.site))] if m.site else None
    measurement = hd.sr.Measurement(
        name=_hd(m.concept),
        value=value,
        unit=_hd(m.unit),
        finding_sites=sites,
        method=_hd(method) if method is not AGATSTON_METHOD and method else None,
    )
    num = measurement[0]
    extra = []
    if m.state is not None:
        extra.append(_code(Names.PATIENT_STATE, m.state, "HAS_CONCEPT_MOD"))
    if method is AGATSTON_METHOD:
        extra.append(_code(Names.MEASUREMENT_METHOD, AGATSTON_METHOD, "HAS_CONCEPT_MOD"))
    if extra:
        if "ContentSequence" in num:
            num.ContentSequence.extend(extra)
        else:
            num.ContentSequence = hd.sr.ContentSequence(extra)
    return measurement


def _imaging_measurements(study: Study, uid: Callable[[], str]) -> Any | None:
    import highdicom as hd

    by_block: dict[str, list[Any]] = {}
    for m, value in measured_values(study):
        by_block.setdefault(m.field.split(".")[0], []).append(_measurement(m, value, study.procedure.modality))
    if not by_block:
        return None
    groups = [
        hd.sr.MeasurementsAndQualitativeEvaluations(
            tracking_identifier=hd.sr.TrackingIdentifier(uid=uid(), identifier=_GROUPS[block]),
            measurements=measurements,
        )
        for block, measurements in by_block.items()
    ]
    items = [item for group in groups for item in group]
    return _container(Names.IMAGING_MEASUREMENTS, items)


def _first(findings: Sequence[Finding], code: FindingCode) -> Finding | None:
    return next((f for f in findings if f.code is code), None)


def _coded_findings(report: Report, study: Study) -> list[Any]:
    """CODE items of the findings: study quality, artifacts, perfusion result, each defect (CID 3113)."""
    items = [_code(Names.OVERALL_STUDY_QUALITY, code_of(study.perfusion.image_quality))]
    items += [_code(Names.QUALITY_ISSUE, artifact_code(a.kind.value, a.note)) for a in study.perfusion.artifacts]
    impression = _first(report.findings, FindingCode.IMPRESSION_PERFUSION)
    category = impression.values.get("category") if impression else None
    if isinstance(category, str) and category in PERFUSION_RESULT_CODES:
        items.append(_code(Names.MYOCARDIAL_PERFUSION, PERFUSION_RESULT_CODES[category]))
    for defect in report.findings:
        if defect.code is not FindingCode.PERFUSION_DEFECT or defect.certainty is not Certainty.AFFIRMED:
            continue
        if defect.reversibility is None:
            continue
        modifiers = (
            [_code(Names.FINDING_SITE, code_of(defect.territory), "HAS_CONCEPT_MOD")] if defect.territory else []
        )
        modifiers += [_code(Names.FINDING_SITE, SEGMENT_SITES[n], "HAS_CONCEPT_MOD") for n in defect.segments]
        severity = SEVERITY_RANGE_CODES.get(str(defect.severity) if defect.severity else "")
        if severity is not None:
            modifiers.append(_code(Names.SEVERITY, severity, "HAS_CONCEPT_MOD"))
        if defect.extent is not None:
            modifiers.append(_code(Names.EXTENT, code_of(defect.extent), "HAS_CONCEPT_MOD"))
        items.append(_code(Names.FINDING, code_of(defect.reversibility), children=modifiers))
    return items


def _summary(report: Report) -> list[Any]:
    items = []
    impression = _first(report.findings, FindingCode.IMPRESSION_PERFUSION)
    category = impression.values.get("category") if impression else None
    if isinstance(category, str) and category in STRESS_IMAGING_SUMMARY_CODES:
        items.append(_code(Names.STRESS_IMAGING_SUMMARY, STRESS_IMAGING_SUMMARY_CODES[category]))
    risk = _first(report.findings, FindingCode.RISK)
    level = risk.values.get("category") if risk else None
    if isinstance(level, str) and level in RISK_CODES:
        items.append(_code(Names.LEVEL_OF_RISK, RISK_CODES[level]))
    return items


def _procedure_items(study: Study) -> list[Any]:
    import highdicom as hd

    items = [
        _code(
            Names.PROCEDURE_REPORTED,
            protocol_code(study.procedure.modality, study.procedure.protocol, study.procedure.stress_tracer),
        )
    ]
    for dose in study.procedure.tracers:
        state = Names.REST if dose.phase == "rest" else Names.STRESS
        children = [_code(Names.PATIENT_STATE, state, "HAS_CONCEPT_MOD")]
        if dose.activity is not None:
            children.append(
                hd.sr.NumContentItem(
                    name=_hd(Names.RADIONUCLIDE_TOTAL_DOSE),
                    value=dose.activity.mbq,
                    unit=hd.sr.CodedConcept("MBq", "UCUM", "megabecquerel"),
                    relationship_type=_rel("HAS_PROPERTIES"),
                )
            )
        items.append(_code(Names.RADIOPHARMACEUTICAL, code_of(dose.tracer), children=children))
    return items


def _stress_items(study: Study) -> list[Any]:
    if study.stress is None:
        return []  # a rest-redistribution study: no stress was performed
    items = [_code(Names.STRESS_TEST, code_of(study.stress.type))]
    if study.stress.agent is not None:
        items.append(_code(Names.STRESS_AGENT, code_of(study.stress.agent)))
    return items


def _content_datetime(value: dt.datetime) -> dt.datetime:
    """A DATETIME item's value: a UTC time goes without its offset (the instance's Timezone Offset From UTC
    says +0000): dcmtk's dsrdump refuses a content item DT ending in "+0000", though PS3.5 allows it.
    """
    return value.replace(tzinfo=None) if value.utcoffset() == dt.timedelta(0) else value


def _content(
    report: Report, study: Study, attestation: Attestation, scrub: Scrubber, deidentify: bool, uid: Callable[[], str]
) -> Any:
    import highdicom as hd

    root = hd.sr.ContainerContentItem(name=_hd(DOCUMENT_TITLES[study.procedure.modality]))
    items: list[Any] = [
        hd.sr.LanguageOfContentItemAndDescendants(
            language=hd.sr.CodedConcept("en-US", "RFC5646", "English (United States)")
        )[0]
    ]
    device = hd.sr.ObserverContext(
        observer_type=hd.sr.CodedConcept("121007", "DCM", "Device"),
        observer_identifying_attributes=hd.sr.DeviceObserverIdentifyingAttributes(uid=uid(), name="ncreport"),
    )
    items += list(device)
    if attestation.signature is not None:
        name = _ANONYMOUS_PN if deidentify else attestation.signature.signer.dicom_pn
        person = hd.sr.ObserverContext(
            observer_type=hd.sr.CodedConcept("121006", "DCM", "Person"),
            observer_identifying_attributes=hd.sr.PersonObserverIdentifyingAttributes(name=name),
        )
        items += list(person)
    items.append(
        _code(
            Names.PROCEDURE_REPORTED,
            protocol_code(study.procedure.modality, study.procedure.protocol, study.procedure.stress_tracer),
            "HAS_CONCEPT_MOD",
        )
    )
    containers: dict[CodedConcept, list[Any]] = {}
    containers[Names.INDICATIONS] = []
    containers[Names.CURRENT_PROCEDURE] = _procedure_items(study)
    containers[Names.STRESS_PROTOCOL] = _stress_items(study)
    containers[Names.IMAGING_MEASUREMENTS] = []
    containers[Names.FINDINGS] = _coded_findings(report, study)
    containers[Names.SUMMARY] = _summary(report)
    containers[Names.CONCLUSIONS] = []
    for section in report.sections:
        heading, element = _SECTIONS[section.key]
        containers[heading] += [_text(element, scrub(s.text)) for s in section.sentences]
    for heading, content in containers.items():
        if heading == Names.IMAGING_MEASUREMENTS:
            measurements = _imaging_measurements(study, uid)
            if measurements is not None:
                items.append(measurements)
        elif content:
            items.append(_container(heading, content))
    for addendum in attestation.addenda:
        signer = _ANONYMOUS_PN if deidentify else addendum.signature.signer.dicom_pn
        items.append(
            _container(
                Names.ADDENDUM,
                [
                    _text(Names.ADDENDUM_TEXT, scrub(addendum.text)),
                    hd.sr.PnameContentItem(
                        name=_hd(Names.PERSON_OBSERVER_NAME), value=signer, relationship_type=_rel("CONTAINS")
                    ),
                    hd.sr.DateTimeContentItem(
                        name=_hd(Names.SIGNED_AT),
                        value=_content_datetime(addendum.signature.signed_at),
                        relationship_type=_rel("CONTAINS"),
                    ),
                ],
            )
        )
    root.ContentSequence = hd.sr.ContentSequence(items)
    return root


def _evidence(
    study: Study, options: ExportOptions, study_uid: str | None, uid_of: Callable[[str], str]
) -> tuple[list[Any], bool]:
    """Datasets describing the source instances (highdicom copies patient and study from the first).

    Returns the datasets and whether they are a placeholder (no source instance was given).
    """
    from pydicom.dataset import Dataset
    from pydicom.uid import generate_uid

    source = options.source
    study_uid = uid_of(study_uid) if study_uid else generate_uid()
    p = study.patient
    deid = options.deidentify

    def base() -> Any:
        ds = Dataset()
        ds.SpecificCharacterSet = "ISO_IR 192"
        ds.StudyInstanceUID = study_uid
        ds.PatientName = "" if deid or p.name is None else dicom_person_name(p.name.get_secret_value())
        ds.PatientID = "" if deid or p.mrn is None else p.mrn.get_secret_value()
        ds.PatientBirthDate = "" if deid or p.birth_date is None else p.birth_date.strftime("%Y%m%d")
        ds.PatientSex = {"male": "M", "female": "F"}[p.sex.value]
        ds.AccessionNumber = "" if deid or study.accession is None else study.accession.get_secret_value()
        ds.StudyID = "" if deid else source.study_id
        ds.StudyDate = study.study_date.strftime("%Y%m%d") if study.study_date else ""
        ds.StudyTime = ""
        ds.ReferringPhysicianName = ""
        return ds

    evidence = []
    for instance in source.instances:
        ds = base()
        ds.SeriesInstanceUID = uid_of(instance.series_instance_uid or generate_uid())
        ds.SOPClassUID = instance.sop_class_uid
        ds.SOPInstanceUID = uid_of(instance.sop_instance_uid)
        evidence.append(ds)
    if evidence:
        return evidence, False
    ds = base()
    ds.SeriesInstanceUID, ds.SOPClassUID, ds.SOPInstanceUID = generate_uid(), NM_IMAGE_STORAGE, generate_uid()
    return [ds], True


def _local_scheme() -> Any:
    """The Coding Scheme Identification item that declares the private scheme (PS3.3 C.12.1.1.6)."""
    from pydicom.dataset import Dataset

    item = Dataset()
    item.CodingSchemeDesignator = LOCAL_SCHEME
    item.CodingSchemeName = "ncreport local codes"
    item.CodingSchemeResponsibleOrganization = "ncreport project"
    return item


def _dicom_dt(value: dt.datetime) -> str:
    return value.strftime("%Y%m%d%H%M%S") + value.strftime("%z")


def _predecessor(data: bytes | None) -> Any | None:
    if data is None:
        return None
    from pydicom import dcmread
    from pydicom.errors import InvalidDicomError

    try:
        ds = dcmread(io.BytesIO(data))
        if str(ds.SOPClassUID) != COMPREHENSIVE_SR:
            raise InputError("the report an addendum adds to must be a Comprehensive SR")
        return ds
    except (InvalidDicomError, OSError, AttributeError, ValueError) as exc:
        raise InputError("the report an addendum adds to is not a readable DICOM SR") from exc


def build_sr(report: Report, study: Study, attestation: Attestation, options: ExportOptions | None = None) -> Any:
    """The report as a Comprehensive SR dataset (highdicom ``ComprehensiveSR``).

    For an appended report ``options.predecessor_sr`` is the SR it adds to: the new instance holds
    the whole report plus its addenda and references that one in the Predecessor Documents Sequence.
    """
    require("DICOM SR export")
    import highdicom as hd
    from pydicom.uid import generate_uid
    from pydicom.valuerep import DA, TM

    options = options or ExportOptions()
    check_attestation(report, attestation)
    previous = _predecessor(options.predecessor_sr)
    if attestation.status is ReportStatus.APPENDED and previous is None:
        raise InputError("an appended report is exported as a new SR that references the original: give the original")
    uid_of = UidMap(options)

    # An addendum stays in the study of the report it adds to.
    study_uid = str(previous.StudyInstanceUID) if previous is not None else options.source.study_instance_uid
    evidence, placeholder = _evidence(study, options, study_uid, uid_of)
    scrub = Scrubber(study, options.deidentify, staff_identifiers(attestation, options))
    signature = attestation.signature
    final = attestation.status is not ReportStatus.PRELIMINARY
    verifier = None
    if final and signature is not None:
        verifier = _ANONYMOUS_PN if options.deidentify else signature.signer.dicom_pn
    organization = DEIDENTIFIED if options.deidentify else (attestation.organization or options.institution or "-")
    predecessors = None
    if previous is not None:
        predecessors = [previous]
        if options.deidentify:
            from pydicom.dataset import Dataset

            ref = Dataset()
            ref.StudyInstanceUID = uid_of(str(previous.StudyInstanceUID))
            ref.SeriesInstanceUID = uid_of(str(previous.SeriesInstanceUID))
            ref.SOPClassUID = previous.SOPClassUID
            ref.SOPInstanceUID = uid_of(str(previous.SOPInstanceUID))
            predecessors = [ref]
    sr = hd.sr.ComprehensiveSR(
        evidence=evidence,
        content=_content(report, study, attestation, scrub, options.deidentify, generate_uid),
        series_instance_uid=generate_uid(),
        series_number=900,
        sop_instance_uid=generate_uid(),
        instance_number=1,
        manufacturer=options.manufacturer,
        is_complete=final,
        is_final=final,
        is_verified=verifier is not None,
        institution_name=None if options.deidentify or not options.institution else options.institution,
        verifying_observer_name=verifier,
        verifying_organization=organization if verifier else None,
        previous_versions=predecessors,
    )
    if placeholder:
        del sr.CurrentRequestedProcedureEvidenceSequence
    when = options.now or (signature.signed_at if signature else dt.datetime.now(dt.UTC))
    sr.ContentDate, sr.ContentTime = DA(when.date()), TM(when.time().replace(microsecond=0))
    if verifier is not None and signature is not None:
        sr.VerifyingObserverSequence[0].VerificationDateTime = _dicom_dt(signature.signed_at)
    sr.SeriesDescription = "ncreport structured report"
    sr.PatientAge = f"{study.patient.age_years:03d}Y"  # kept when de-identified: Retain Patient Characteristics
    sr.CodingSchemeIdentificationSequence = [_local_scheme()]
    if any(a.signature.signed_at.utcoffset() == dt.timedelta(0) for a in attestation.addenda):
        sr.TimezoneOffsetFromUTC = "+0000"  # the addenda's UTC times are written without an offset
    if options.deidentify:
        mark_deidentified(sr)
    return sr


def export_dicom_sr(
    report: Report, study: Study, attestation: Attestation, options: ExportOptions | None = None
) -> bytes:
    """The Comprehensive SR as the bytes of a DICOM file (Part 10, Explicit VR Little Endian)."""
    return dicom_file_bytes(build_sr(report, study, attestation, options))
