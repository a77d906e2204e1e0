"""A Tl-201 stress-redistribution study exports in every format: CID 3110's stress thallium procedure, its one
stress injection, and its summed redistribution score as the SRS (Berman's "summed rest or redistribution score")."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from pydicom import dcmread

from reporter.domain.codes import protocol_code
from reporter.domain.study import Study
from reporter.domain.vocabulary import Modality, Protocol, Tracer
from reporter.interop.export import EXPORTERS, export
from reporter.report import draft_report


def test_the_protocol_code_is_cid_3110_stress_thallium() -> None:
    code = protocol_code(Modality.SPECT, Protocol.STRESS_REDISTRIBUTION, Tracer.TL201)
    assert (code.scheme, code.value, code.meaning) == ("SCT", "431511008", "Stress thallium procedure")


@pytest.fixture
def exported(tl201_redistribution_dict: dict[str, Any], signer: Any) -> dict[str, bytes]:
    from reporter.interop.signature import Attestation, ReportStatus, Signature, text_sha256

    tl201_redistribution_dict["patient"].update(name="Test^Thallium", mrn="MRN-TL-0001")  # HL7 v2 files by MRN
    study = Study.model_validate(tl201_redistribution_dict)
    report = draft_report(study, now=dt.datetime(2026, 11, 21, tzinfo=dt.UTC))
    attestation = Attestation(
        ReportStatus.FINAL, text_sha256(report), Signature(signer, dt.datetime(2026, 11, 21, 15, 0, tzinfo=dt.UTC))
    )
    return {fmt: export(fmt, report, study, attestation) for fmt in EXPORTERS}


def test_the_sr_codes_the_procedure_and_its_one_stress_injection(exported: dict[str, bytes]) -> None:
    ds = dcmread(io.BytesIO(exported["dicom-sr"]))

    def meaning(item: Any) -> str:
        return str(item.ConceptNameCodeSequence[0].CodeMeaning)

    procedure = next(c for c in ds.ContentSequence if meaning(c) == "Current Procedure Descriptions")
    coded = [
        (meaning(c), c.ConceptCodeSequence[0].CodeValue) for c in procedure.ContentSequence if c.ValueType == "CODE"
    ]
    assert coded == [("Procedure reported", "431511008"), ("Radiopharmaceutical", "353842007")]
    dose = procedure.ContentSequence[1]
    assert [c.ConceptCodeSequence[0].CodeMeaning for c in dose.ContentSequence if c.ValueType == "CODE"] == [
        "Cardiac Stress State"
    ]


def test_the_fhir_bundle_gives_the_summed_redistribution_score_as_the_srs(exported: dict[str, bytes]) -> None:
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate_json(exported["fhir"])
    observations = {
        e["resource"]["code"]["text"]: e["resource"].get("valueQuantity", {}).get("value")
        for e in json.loads(exported["fhir"])["entry"]
        if e["resource"]["resourceType"] == "Observation"
    }
    # the coded SRS concept carries the summed redistribution score: no separate code exists for it
    assert {k: v for k, v in observations.items() if k.startswith("Summed")} == {
        "Summed stress score": 8.0,
        "Summed rest score": 2.0,
        "Summed difference score": 6.0,
    }
