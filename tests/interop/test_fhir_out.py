"""FHIR R4 export: a transaction Bundle validated by fhir.resources, one Observation per key measurement."""

from __future__ import annotations

import base64
import json

import pytest
from fhir.resources.R4B.bundle import Bundle

from reporter.interop.fhir_out import export_fhir
from reporter.interop.signature import report_text


def _resources(data: bytes) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for entry in json.loads(data)["entry"]:
        out.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    return out


@pytest.fixture(scope="module")
def final_bundle(drafted, identified_study, attest) -> bytes:
    return export_fhir(drafted, identified_study, attest())


def test_the_bundle_validates_as_fhir(final_bundle):
    bundle = Bundle.model_validate_json(final_bundle)
    assert bundle.type == "transaction"
    assert [e.resource.get_resource_type() for e in bundle.entry] == [
        "Patient",
        "Practitioner",
        "DiagnosticReport",
        *["Observation"] * 9,
    ]
    assert {e.request.method for e in bundle.entry} == {"POST"}


def test_the_diagnostic_report_is_final_spect_mpi_with_its_conclusion(final_bundle, drafted):
    report = _resources(final_bundle)["DiagnosticReport"][0]
    assert report["status"] == "final"
    display = "SPECT Heart perfusion and wall motion at rest and W stress and W Tl-201 IV and W Tc-99m Sestamibi IV"
    assert report["code"]["coding"] == [{"system": "http://loinc.org", "code": "49569-7", "display": display}]
    assert report["issued"] == "2026-05-02T14:30:00+02:00"
    assert report["effectiveDateTime"] == "2026-05-02"
    assert report["conclusion"].startswith(
        "Abnormal myocardial perfusion: medium-sized reversible defect with moderately reduced uptake"
    )
    assert [c["coding"][0]["code"] for c in report["conclusionCode"]] == ["263654008", "25594002"]
    form = report["presentedForm"][0]
    assert base64.b64decode(form["data"]).decode("utf-8") == report_text(drafted)
    assert len(report["result"]) == 9


def test_each_key_measurement_is_an_observation(final_bundle):
    observations = _resources(final_bundle)["Observation"]
    summary = [
        (o["code"]["coding"][0]["code"], o["code"]["text"], o["valueQuantity"]["value"], o["valueQuantity"]["code"])
        for o in observations
    ]
    assert summary == [
        ("10230-1", "Left ventricular Ejection fraction, cardiac stress state", 55.0, "%"),
        ("10230-1", "Left ventricular Ejection fraction, resting state", 58.0, "%"),
        ("8821-1", "Left Ventricular ED Volume, cardiac stress state", 110.0, "mL"),
        ("8823-7", "Left Ventricular ES Volume, cardiac stress state", 50.0, "mL"),
        ("428832008", "Transient ischemic dilatation ratio of left ventricular cavity", 1.12, "{ratio}"),
        ("SSS", "Summed stress score", 6.0, "{score}"),
        ("SRS", "Summed rest score", 0.0, "{score}"),
        ("SDS", "Summed difference score", 6.0, "{score}"),
        ("TPD", "Total perfusion deficit, cardiac stress state", 9.0, "%"),
    ]
    assert {o["status"] for o in observations} == {"final"}
    assert observations[5]["code"]["coding"][0]["system"] == "urn:ncreport:codes"
    assert observations[0]["valueQuantity"]["system"] == "http://unitsofmeasure.org"


def test_the_signature_names_who_when_and_why(final_bundle):
    data = json.loads(final_bundle)
    practitioner = _resources(final_bundle)["Practitioner"][0]
    assert practitioner["name"][0] == {"family": "Smith", "given": ["Anna"], "suffix": ["MD"], "text": "Anna Smith, MD"}
    assert data["signature"]["when"] == "2026-05-02T14:30:00+02:00"
    assert data["signature"]["type"][0]["code"] == "1.2.840.10065.1.12.1.4"
    practitioner_url = next(e["fullUrl"] for e in data["entry"] if e["resource"]["resourceType"] == "Practitioner")
    assert data["signature"]["who"]["reference"] == practitioner_url


@pytest.mark.parametrize(("status", "observation_status"), [("preliminary", "preliminary"), ("appended", "final")])
def test_status_follows_the_attestation(drafted, identified_study, attest, status, observation_status):
    addendum = "Angiography: LAD 80% stenosis." if status == "appended" else None
    data = export_fhir(drafted, identified_study, attest(status, addendum))
    Bundle.model_validate_json(data)
    resources = _resources(data)
    assert resources["DiagnosticReport"][0]["status"] == status
    assert {o["status"] for o in resources["Observation"]} == {observation_status}
    if status == "preliminary":
        assert "signature" not in json.loads(data) and "Practitioner" not in resources
    else:
        text = base64.b64decode(resources["DiagnosticReport"][0]["presentedForm"][0]["data"]).decode()
        assert text.endswith("ADDENDUM (2026-05-03T14:30+02:00, Anna Smith, MD)\nAngiography: LAD 80% stenosis.\n")


def test_the_patient_carries_mrn_name_and_birth_date(final_bundle):
    patient = _resources(final_bundle)["Patient"][0]
    assert patient["identifier"][0]["value"] == "MRN-4711-0815"
    assert patient["name"] == [{"text": "Doe Jane Q"}]
    assert (patient["birthDate"], patient["gender"]) == ("1959-03-17", "male")
