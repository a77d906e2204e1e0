"""HL7 v2.5.1 ORU^R01 export, parsed back with hl7apy."""

from __future__ import annotations

import json

import pytest
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message

from reporter.errors import InputError
from reporter.interop.hl7_out import export_hl7


def _parse(data: bytes):
    return parse_message(data.decode("utf-8"), validation_level=VALIDATION_LEVEL.STRICT, find_groups=True)


def _order(message):
    return message.oru_r01_patient_result.oru_r01_order_observation


@pytest.fixture(scope="module")
def final_message(drafted, identified_study, attest) -> bytes:
    return export_hl7(drafted, identified_study, attest())


def test_the_message_parses_back_and_validates(final_message):
    message = _parse(final_message)
    assert message.validate() is True
    assert message.msh.msh_9.to_er7() == "ORU^R01^ORU_R01"
    assert message.msh.msh_12.to_er7() == "2.5.1"
    pid = message.oru_r01_patient_result.oru_r01_patient.pid
    assert (pid.pid_3.to_er7(), pid.pid_5.to_er7(), pid.pid_7.to_er7(), pid.pid_8.to_er7()) == (
        "MRN-4711-0815^^^^MR",
        "Doe^Jane",
        "19590317",
        "M",
    )


def test_the_report_text_is_in_obx_with_the_final_status(final_message, drafted):
    order = _order(_parse(final_message))
    assert order.obr.obr_25.to_er7() == "F"
    assert order.obr.obr_4.to_er7().startswith("49569-7^")
    assert order.obr.obr_32.to_er7() == "NPI-1234567890&Smith&Anna&&MD"
    observations = [o.obx for o in order.oru_r01_observation]
    text = [
        o
        for o in observations
        if o.obx_2.to_er7() == "TX"
        and o.obx_3.to_er7().split("^")[2] == "99NCREPORT"
        and o.obx_3.to_er7().split("^")[0] != "SIGNATURE-MEANING"
    ]
    assert len(text) == sum(len(s.sentences) for s in drafted.sections)
    assert text[0].obx_3.to_er7() == "INDICATION^Indication^99NCREPORT"
    assert text[-1].obx_5.to_er7().startswith("Intermediate risk of cardiac events")
    assert {o.obx_11.to_er7() for o in observations} == {"F"}
    signature = next(o for o in observations if o.obx_3.to_er7().startswith("SIGNATURE-MEANING^"))
    assert signature.obx_5.to_er7() == "Approval Signature: Anna Smith, MD, signed 2026-05-02T14:30+02:00"


def test_key_measurements_are_numeric_obx_with_ucum_units(final_message):
    observations = [o.obx for o in _order(_parse(final_message)).oru_r01_observation if o.obx.obx_2.to_er7() == "NM"]
    rows = [(o.obx_3.to_er7().split("^")[0], o.obx_5.to_er7(), o.obx_6.to_er7()) for o in observations]
    assert rows[:3] == [("10230-1", "55", "%^^UCUM"), ("10230-1", "58", "%^^UCUM"), ("8821-1", "110", "mL^^UCUM")]
    assert len(rows) == 9


@pytest.mark.parametrize(("status", "code"), [("preliminary", "P"), ("appended", "C")])
def test_the_result_status_is_p_f_or_c(drafted, identified_study, attest, status, code):
    addendum = "Angiography: LAD 80% stenosis." if status == "appended" else None
    order = _order(_parse(export_hl7(drafted, identified_study, attest(status, addendum))))
    assert order.obr.obr_25.to_er7() == code
    assert {o.obx.obx_11.to_er7() for o in order.oru_r01_observation} == {code}


def test_delimiters_in_text_are_escaped(drafted, identified_study, attest):
    data = export_hl7(drafted, identified_study, attest("appended", "Cath: LAD|LCx 80%^90% & RCA ~ ok \\ done"))
    message = _parse(data)
    addendum = next(o.obx for o in _order(message).oru_r01_observation if o.obx.obx_3.to_er7().startswith("55107-7"))
    assert addendum.obx_5.to_er7().startswith(r"Cath: LAD\F\LCx 80%\S\90% \T\ RCA \R\ ok \E\ done")
    assert len(data.decode().split("\r")[-2].split("|")) == len(data.decode().split("\r")[-3].split("|"))


def test_a_patient_without_identifier_cannot_be_filed(drafted, identified_study, attest):
    from reporter.domain.study import Study

    data = json.loads(identified_study.model_dump_json())
    data["patient"]["mrn"] = None
    data["patient"]["name"] = None
    data["accession"] = None
    study = Study.model_validate(data)
    with pytest.raises(InputError, match=r"needs the patient's identifier \(patient.mrn\)"):
        export_hl7(drafted, study, attest())
