"""Attestation value objects, and every exporter refusing what was not signed."""

from __future__ import annotations

import datetime as dt

import pytest

from reporter.errors import InputError
from reporter.interop.export import EXPORTERS, export
from reporter.interop.export_common import ExportOptions
from reporter.interop.signature import Attestation, ReportStatus, Signature, Signer, report_text, text_sha256

HASH = "0" * 64


def test_a_final_report_cannot_be_unsigned():
    with pytest.raises(ValueError, match="a final report must be signed; only a preliminary one exports unsigned"):
        Attestation(ReportStatus.FINAL, HASH)


def test_a_preliminary_report_may_be_unsigned():
    assert Attestation(ReportStatus.PRELIMINARY, HASH).signature is None


def test_an_appended_report_needs_an_addendum(signer):
    signature = Signature(signer, dt.datetime(2026, 5, 2, 14, 30, tzinfo=dt.UTC))
    with pytest.raises(ValueError, match="an appended report needs at least one addendum"):
        Attestation(ReportStatus.APPENDED, HASH, signature)


def test_a_signature_time_needs_its_zone(signer):
    with pytest.raises(ValueError, match="time zone"):
        Signature(signer, dt.datetime(2026, 5, 2, 14, 30))


def test_a_signer_name_cannot_carry_delimiters():
    with pytest.raises(ValueError, match="delimiters"):
        Signer(family="Smith^Anna")
    assert Signer("Smith", "Anna", prefix="Dr", suffix="MD").dicom_pn == "Smith^Anna^^Dr^MD"
    assert Signer("Smith", "Anna", prefix="Dr", suffix="MD").display == "Dr Anna Smith, MD"
    assert Signer("Smith").dicom_pn == "Smith^"


@pytest.mark.parametrize(("status", "hl7"), [("preliminary", "P"), ("final", "F"), ("appended", "C")])
def test_hl7_result_status(status, hl7):
    assert ReportStatus(status).hl7 == hl7


def test_the_signed_text_is_every_section_in_order(drafted):
    text = report_text(drafted)
    assert text.startswith("INDICATION\nExertional chest pressure (chart MRN-4711-0815); unable to exercise.\n")
    assert "\n\nIMPRESSION\n1. " not in text  # numbering is layout, not signed text
    assert text.endswith("is higher with this patient's pharmacologic stress and diabetes.\n")
    assert len(text_sha256(drafted)) == 64


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_exporter_refuses_text_other_than_the_signed_text(fmt, drafted, identified_study, signer):
    signature = Signature(signer, dt.datetime(2026, 5, 2, 14, 30, tzinfo=dt.UTC))
    other = Attestation(ReportStatus.FINAL, "f" * 64, signature)
    with pytest.raises(InputError, match="differs from the text that was signed"):
        export(fmt, drafted, identified_study, other)


@pytest.mark.parametrize("fmt", ["fhir", "hl7"])
def test_deidentification_is_for_the_dicom_exports_only(fmt, drafted, identified_study, attest):
    with pytest.raises(InputError, match="de-identification is offered for dicom-pdf and dicom-sr only"):
        export(fmt, drafted, identified_study, attest(), ExportOptions(deidentify=True))


def test_an_unknown_format_is_refused(drafted, identified_study, attest):
    with pytest.raises(InputError, match="unknown export format 'docx'"):
        export("docx", drafted, identified_study, attest())


def test_a_missing_optional_library_names_the_extra(drafted, identified_study, attest, monkeypatch):
    import sys

    from reporter.errors import ConfigError

    monkeypatch.setitem(sys.modules, "hl7apy", None)  # as if the interop extra were not installed
    with pytest.raises(ConfigError, match=r"HL7 v2 export needs hl7apy: pip install 'ncreport\[interop\]'"):
        export("hl7", drafted, identified_study, attest())
