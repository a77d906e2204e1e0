"""What an export needs to know about a report's sign-off: who signed, when, meaning, status, text hash.

The reading-room service owns signing; these value objects are how it hands a signed (or
preliminary) report to the exporters. They check themselves on construction, so an attestation
that says "final" without a signature cannot exist, and an exporter refuses a report whose text is
not the text that was signed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from enum import StrEnum

from reporter.errors import InputError
from reporter.report import Report

__all__ = [
    "Addendum",
    "Attestation",
    "ReportStatus",
    "Signature",
    "SignatureMeaning",
    "Signer",
    "check_attestation",
    "report_text",
    "text_sha256",
]


class ReportStatus(StrEnum):
    """The report's status, as FHIR DiagnosticReport.status names it (HL7 v2: P / F / C)."""

    PRELIMINARY = "preliminary"
    FINAL = "final"
    APPENDED = "appended"

    @property
    def hl7(self) -> str:
        """HL7 v2 result status (table 0123): P preliminary, F final, C corrected (an addendum was appended)."""
        return {"preliminary": "P", "final": "F", "appended": "C"}[self.value]


class SignatureMeaning(StrEnum):
    """Why the signer signed (ASTM E1762 signature types, as FHIR's Signature.type uses them)."""

    AUTHOR = "author"
    VERIFICATION = "verification"
    APPROVAL = "approval"

    @property
    def astm_code(self) -> str:
        return {
            "author": "1.2.840.10065.1.12.1.1",
            "verification": "1.2.840.10065.1.12.1.5",
            "approval": "1.2.840.10065.1.12.1.4",
        }[self.value]

    @property
    def display(self) -> str:
        return {
            "author": "Author's Signature",
            "verification": "Verification Signature",
            "approval": "Approval Signature",
        }[self.value]


@dataclass(frozen=True, slots=True)
class Signer:
    """The physician who signs: name parts (DICOM PN, FHIR HumanName and HL7 XCN all want them apart)."""

    family: str
    given: str = ""
    prefix: str = ""
    suffix: str = ""
    identifier: str | None = None

    def __post_init__(self) -> None:
        parts = (self.family, self.given, self.prefix, self.suffix, self.identifier or "")
        if not self.family.strip():
            raise ValueError("a signer needs a family name")
        if any(c in part for part in parts for c in "^=\\|&~\r\n"):
            raise ValueError("a signer's name may not contain the DICOM/HL7 delimiters ^ = \\ | & ~ or line breaks")

    @property
    def display(self) -> str:
        name = " ".join(p for p in (self.prefix, self.given, self.family) if p)
        return f"{name}, {self.suffix}" if self.suffix else name

    @property
    def dicom_pn(self) -> str:
        name = "^".join((self.family, self.given, "", self.prefix, self.suffix)).rstrip("^")
        return name if "^" in name else name + "^"  # a trailing caret marks a family-name-only PN


@dataclass(frozen=True, slots=True)
class Signature:
    signer: Signer
    signed_at: dt.datetime
    meaning: SignatureMeaning = SignatureMeaning.APPROVAL

    def __post_init__(self) -> None:
        if self.signed_at.tzinfo is None:
            raise ValueError("signed_at must carry its time zone")


@dataclass(frozen=True, slots=True)
class Addendum:
    """Text added after the report was signed, with its own signature."""

    text: str
    signature: Signature

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("an addendum needs text")


@dataclass(frozen=True, slots=True)
class Attestation:
    """The status of a report and the signature bound to the sha256 of its text (:func:`report_text`)."""

    status: ReportStatus
    text_sha256: str
    signature: Signature | None = None
    addenda: tuple[Addendum, ...] = ()
    organization: str = ""
    # The sha256 the signature itself is bound to, where the signer signed the text in another layout than
    # report_text (the reading room signs its rendered text); the PDF shows this one. None: text_sha256.
    signed_text_sha256: str | None = None

    def __post_init__(self) -> None:
        if self.status is not ReportStatus.PRELIMINARY and self.signature is None:
            raise ValueError(f"a {self.status.value} report must be signed; only a preliminary one exports unsigned")
        if self.status is ReportStatus.APPENDED and not self.addenda:
            raise ValueError("an appended report needs at least one addendum")
        if self.status is not ReportStatus.APPENDED and self.addenda:
            raise ValueError(f"a {self.status.value} report has no addenda; its status is 'appended'")
        for digest in (self.text_sha256, self.signed_text_sha256 or self.text_sha256):
            if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
                raise ValueError("text_sha256 and signed_text_sha256 must be 64 lower-case hex digits")


def report_text(report: Report) -> str:
    """The text a physician signs: every section's title and sentences, in report order."""
    blocks = [
        section.title.upper() + "\n" + "\n".join(s.text for s in section.sentences) for section in report.sections
    ]
    return "\n\n".join(blocks) + "\n"


def text_sha256(report: Report) -> str:
    return hashlib.sha256(report_text(report).encode("utf-8")).hexdigest()


def check_attestation(report: Report, attestation: Attestation) -> None:
    """Refuse to export a report whose text is not the text the attestation was made for."""
    if attestation.text_sha256 != text_sha256(report):
        raise InputError(
            "the report text differs from the text that was signed (sha256 mismatch); "
            "sign the current text before exporting"
        )
