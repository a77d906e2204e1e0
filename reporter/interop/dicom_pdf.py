"""The report as a PDF (fpdf2) and as a DICOM Encapsulated PDF instance.

The PDF itself shows the status and the signature: who signed, when (with the time zone) and the
meaning of the signature; a preliminary report says in its header that it is not signed. The PDF
uses the core Helvetica font (no font file to ship): text is written in Windows-1252, and the few
characters outside it are replaced by ASCII look-alikes (">=" for "≥").
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from reporter.domain.codes import DOCUMENT_TITLES
from reporter.domain.finding import Section
from reporter.domain.study import Study
from reporter.interop._optional import require
from reporter.interop.export_common import (
    DEIDENTIFIED,
    ExportOptions,
    Scrubber,
    UidMap,
    dicom_file_bytes,
    dicom_person_name,
    mark_deidentified,
    staff_identifiers,
)
from reporter.interop.signature import Attestation, ReportStatus, Signature, check_attestation
from reporter.report import Report

__all__ = ["ENCAPSULATED_PDF", "export_dicom_pdf", "render_pdf"]

ENCAPSULATED_PDF = "1.2.840.10008.5.1.4.1.1.104.1"
TITLE = "Myocardial Perfusion Imaging Report"
_LOOKALIKES = {"≥": ">=", "≤": "<=", "−": "-", "→": "->", "≈": "~", "×": "x", "\u2009": " ", "\u202f": " "}
_STATUS_LINE = {
    ReportStatus.PRELIMINARY: "PRELIMINARY REPORT - not signed; subject to change",
    ReportStatus.FINAL: "FINAL REPORT",
    ReportStatus.APPENDED: "FINAL REPORT WITH ADDENDUM",
}


def _latin(text: str) -> str:
    """Text the core PDF fonts can draw (Windows-1252)."""
    out = []
    for char in text:
        char = _LOOKALIKES.get(char, char)
        try:
            char.encode("cp1252")
        except UnicodeEncodeError:
            char = unicodedata.normalize("NFKD", char).encode("cp1252", "ignore").decode("cp1252") or "?"
        out.append(char)
    return "".join(out)


def _when(signature: Signature) -> str:
    return signature.signed_at.strftime("%Y-%m-%d %H:%M %Z").strip() or signature.signed_at.isoformat()


def _signature_line(signature: Signature, deidentify: bool) -> str:
    who = DEIDENTIFIED if deidentify else signature.signer.display
    return f"{signature.meaning.display}: {who}, signed {_when(signature)}"


def render_pdf(report: Report, study: Study, attestation: Attestation, options: ExportOptions | None = None) -> bytes:
    """A PDF of the report: patient and study block, sections, addenda, then the signature block."""
    require("Encapsulated PDF export")
    from fpdf import FPDF

    options = options or ExportOptions()
    check_attestation(report, attestation)
    scrub = Scrubber(study, options.deidentify, staff_identifiers(attestation, options))
    pdf = FPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_title(TITLE)
    pdf.set_creator("ncreport")
    created = options.now or (attestation.signature.signed_at if attestation.signature else dt.datetime.now(dt.UTC))
    pdf.set_creation_date(created)
    pdf.add_page()
    width = pdf.epw

    def line(text: str, size: float = 10, style: str = "", gap: float = 1.5) -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.multi_cell(width, size * 0.5, _latin(text), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    line(TITLE, size=15, style="B")
    line(_STATUS_LINE[attestation.status], size=11, style="B", gap=3)
    p = study.patient
    if options.deidentify:
        line(f"Patient: {DEIDENTIFIED} (de-identified, DICOM PS3.15 basic profile)", size=9)
    else:
        name = p.name.get_secret_value() if p.name else "-"
        mrn = p.mrn.get_secret_value() if p.mrn else "-"
        birth = p.birth_date.isoformat() if p.birth_date else "-"
        accession = study.accession.get_secret_value() if study.accession else "-"
        line(f"Patient: {name}    MRN: {mrn}    Date of birth: {birth}    Accession: {accession}", size=9)
    study_date = study.study_date.isoformat() if study.study_date else "-"
    line(
        f"Study date: {study_date}    Age: {p.age_years} years    Sex: {p.sex.value}    "
        f"Modality: {study.procedure.modality.value}",
        size=9,
        gap=4,
    )
    for section in report.sections:
        line(section.title.upper(), size=11, style="B", gap=1)
        for index, sentence in enumerate(section.sentences, start=1):
            prefix = f"{index}. " if section.key is Section.IMPRESSION else ""
            line(prefix + scrub(sentence.text))
        pdf.ln(2)
    for addendum in attestation.addenda:
        line("ADDENDUM", size=11, style="B", gap=1)
        line(scrub(addendum.text))
        line(_signature_line(addendum.signature, options.deidentify), size=9, style="I", gap=3)
    pdf.ln(2)
    line("SIGNATURE", size=11, style="B", gap=1)
    if attestation.signature is None:
        line("Not signed: preliminary report, not for clinical decisions.", style="B")
    else:
        line(_signature_line(attestation.signature, options.deidentify), style="B")
        organization = DEIDENTIFIED if options.deidentify else attestation.organization
        if organization:
            line(f"Organization: {organization}", size=9)
    line(f"Signed text sha256: {attestation.signed_text_sha256 or attestation.text_sha256}", size=7)
    return bytes(pdf.output())


def _dicom_date(value: dt.date | None) -> str:
    return value.strftime("%Y%m%d") if value else ""


def build_encapsulated_pdf(
    report: Report, study: Study, attestation: Attestation, options: ExportOptions | None = None
) -> Any:
    """The PDF in an Encapsulated PDF Storage dataset of the source study (new UIDs when de-identified)."""
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import UID, ExplicitVRLittleEndian, generate_uid

    options = options or ExportOptions()
    document = render_pdf(report, study, attestation, options)
    deid = options.deidentify
    source_uid = options.source.study_instance_uid
    now = options.now or dt.datetime.now(dt.UTC)
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = UID(ENCAPSULATED_PDF)
    ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SpecificCharacterSet = "ISO_IR 192"
    ds.SOPClassUID, ds.SOPInstanceUID = ENCAPSULATED_PDF, ds.file_meta.MediaStorageSOPInstanceUID
    ds.InstanceCreationDate, ds.InstanceCreationTime = now.strftime("%Y%m%d"), now.strftime("%H%M%S")
    p = study.patient
    ds.PatientName = "" if deid or p.name is None else dicom_person_name(p.name.get_secret_value())
    ds.PatientID = "" if deid or p.mrn is None else p.mrn.get_secret_value()
    ds.PatientBirthDate = "" if deid else _dicom_date(p.birth_date)
    ds.PatientSex = {"male": "M", "female": "F"}[p.sex.value]
    ds.PatientAge = f"{p.age_years:03d}Y"  # kept when de-identified: Retain Patient Characteristics
    ds.StudyInstanceUID = UidMap(options)(source_uid) if source_uid else generate_uid()
    ds.StudyDate, ds.StudyTime = _dicom_date(study.study_date), ""
    ds.ReferringPhysicianName = ""
    ds.StudyID = "" if deid else options.source.study_id
    ds.AccessionNumber = "" if deid or study.accession is None else study.accession.get_secret_value()
    ds.Modality = "DOC"
    ds.SeriesInstanceUID, ds.SeriesNumber = generate_uid(), 901
    ds.SeriesDescription = "ncreport report (PDF)"
    ds.Manufacturer = options.manufacturer
    if options.institution and not deid:
        ds.InstitutionName = options.institution
    ds.ConversionType = "SYN"
    ds.InstanceNumber = 1
    when = attestation.signature.signed_at if attestation.signature else now
    ds.ContentDate, ds.ContentTime = when.strftime("%Y%m%d"), when.strftime("%H%M%S")
    ds.AcquisitionDateTime = ""
    ds.BurnedInAnnotation = "NO" if deid else "YES"
    ds.DocumentTitle = TITLE
    title = DOCUMENT_TITLES[study.procedure.modality]
    code = Dataset()
    code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = title.value, title.scheme, title.meaning
    ds.ConceptNameCodeSequence = [code]
    ds.MIMETypeOfEncapsulatedDocument = "application/pdf"
    ds.EncapsulatedDocument = document
    ds.EncapsulatedDocumentLength = len(document)
    if deid:
        mark_deidentified(ds)
    return ds


def export_dicom_pdf(
    report: Report, study: Study, attestation: Attestation, options: ExportOptions | None = None
) -> bytes:
    """The Encapsulated PDF instance as the bytes of a DICOM file."""
    return dicom_file_bytes(build_encapsulated_pdf(report, study, attestation, options))
