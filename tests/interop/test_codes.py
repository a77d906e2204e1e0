"""The codes table: every standard code checked against pydicom's copy of the DICOM code dictionary."""

from __future__ import annotations

import pytest

from reporter.domain import codes
from reporter.domain.codes import (
    LOCAL_SCHEME,
    MEASUREMENTS,
    VOCABULARY,
    CodedConcept,
    Names,
    artifact_code,
    code_of,
    member_of,
    protocol_code,
)
from reporter.domain.vocabulary import (
    Modality,
    Protocol,
    Reversibility,
    Severity,
    StressAgent,
    Territory,
    Tracer,
    WallMotion,
)


def _all_concepts() -> set[CodedConcept]:
    found: set[CodedConcept] = set()
    for members in VOCABULARY.values():
        found.update(members.values())
    for table in (
        codes.SEGMENT_SITES,
        codes.VESSEL_SITES,
        codes.SEVERITY_RANGE_CODES,
        codes.PERFUSION_RESULT_CODES,
        codes.STRESS_IMAGING_SUMMARY_CODES,
        codes.RISK_CODES,
        codes.COMPARISON_CODES,
        codes.DOCUMENT_TITLES,
    ):
        found.update(table.values())
    found.update(v for v in vars(Names).values() if isinstance(v, CodedConcept))
    found.update(v for v in vars(codes.Concepts).values() if isinstance(v, CodedConcept))
    for m in MEASUREMENTS:
        found.update(c for c in (m.concept, m.state, m.site, m.method) if c is not None)
    for modality in Modality:
        for protocol in Protocol:
            for tracer in (Tracer.TC99M_SESTAMIBI, Tracer.TL201, Tracer.RB82):
                found.add(protocol_code(modality, protocol, tracer))
    for kind, note in (
        ("attenuation", "breast"),
        ("attenuation", "diaphragmatic"),
        ("attenuation", "body habitus"),
        ("motion", None),
        ("extracardiac activity", "subdiaphragmatic"),
    ):
        found.add(artifact_code(kind, note))
    return found


def _normal(meaning: str) -> str:
    return meaning.lower().replace("^", "").split(" (")[0].strip()


def test_every_standard_code_is_in_the_dicom_dictionary_with_its_meaning(pydicom_code_index):
    standard = {c for c in _all_concepts() if c.scheme in ("SCT", "DCM", "LN")}
    missing = sorted(c.key for c in standard if c.key not in pydicom_code_index)
    # Used on the authority: LVEF (LOINC) and the FHIR SPECT MPI report code; pydicom lists neither.
    assert missing == [("LN", "10230-1"), ("LN", "49569-7")]
    wrong = [
        (c.key, c.meaning, pydicom_code_index[c.key])
        for c in standard
        if c.key in pydicom_code_index and _normal(c.meaning) not in {_normal(m) for m in pydicom_code_index[c.key]}
    ]
    assert wrong == []


def test_every_vocabulary_member_has_a_code():
    for kind, members in VOCABULARY.items():
        assert set(members) == set(kind), kind.__name__


def test_local_codes_are_only_where_no_standard_code_exists():
    local = sorted(c.value for members in VOCABULARY.values() for c in members.values() if c.scheme == LOCAL_SCHEME)
    assert local == sorted(
        [
            "AC-AI",
            "IQ-FAIR",
            *(
                f"WALL-{w}"
                for w in (
                    "ANTERIOR",
                    "ANTEROSEPTAL",
                    "SEPTAL",
                    "INFEROSEPTAL",
                    "INFERIOR",
                    "INFEROLATERAL",
                    "LATERAL",
                    "ANTEROLATERAL",
                    "APEX",
                    "APICAL",
                )
            ),
            "EXTENT-SMALL",
            "EXTENT-MEDIUM",
            "EXTENT-LARGE",
        ]
    )


@pytest.mark.parametrize(
    ("member", "scheme", "value"),
    [
        (Tracer.TC99M_TETROFOSMIN, "SCT", "424118002"),
        (Tracer.RB82, "SCT", "129503007"),
        (StressAgent.REGADENOSON, "SCT", "432062000"),
        (Reversibility.FIXED, "SCT", "251057006"),
        (Severity.MODERATE, "SCT", "6736007"),
        (Territory.LCX, "SCT", "57396003"),
        (WallMotion.AKINETIC, "SCT", "195675009"),
    ],
)
def test_code_of_and_back(member, scheme, value):
    assert code_of(member).key == (scheme, value)
    assert member_of(type(member), scheme, value) is member


def test_second_context_group_codes_read_as_the_same_tracer():
    assert member_of(Tracer, "SCT", "79197006") is Tracer.RB82  # CID 3107 ^82^Rubidium
    assert member_of(Tracer, "SRT", "424299003") is Tracer.TC99M_SESTAMIBI  # retired SNOMED designator
    assert member_of(Tracer, "SCT", "79197006") is not None
    assert member_of(Severity, "SCT", "79197006") is None


def test_protocol_codes_follow_cid_3110_and_3106():
    assert protocol_code(Modality.SPECT, Protocol.REST_STRESS, Tracer.TC99M_SESTAMIBI).key == ("DCM", "122782")
    assert protocol_code(Modality.SPECT, Protocol.DUAL_ISOTOPE, Tracer.TC99M_SESTAMIBI).key == ("DCM", "122781")
    assert protocol_code(Modality.PET, Protocol.STRESS_ONLY, Tracer.RB82).key == ("DCM", "122792")
    assert protocol_code(Modality.SPECT, Protocol.STRESS_ONLY, Tracer.TC99M_SESTAMIBI).key == (
        LOCAL_SCHEME,
        "PROTOCOL-SPECT-STRESS_ONLY",
    )


def test_artifact_code_is_specific_only_when_the_note_says_where():
    assert artifact_code("attenuation", "Diaphragmatic").key == ("DCM", "122745")
    assert artifact_code("attenuation", None).key == (LOCAL_SCHEME, "ARTIFACT-ATTENUATION")
    assert artifact_code("motion", "patient moved").key == ("DCM", "111210")


def test_measurement_table_covers_every_numeric_result_once():
    assert len(MEASUREMENTS) == 18 + 3 * 3 + 4 + 17 * 2
    fields = {m.field for m in MEASUREMENTS}
    assert {
        "function.stress_lvef_percent",
        "perfusion.summed_difference_score",
        "flow.territories[LAD].mfr",
        "calcium.agatston_by_vessel.LM",
        "perfusion.segments[17].rest",
    } <= fields
    lvef = next(m for m in MEASUREMENTS if m.field == "function.rest_lvef_percent")
    assert (lvef.concept.key, lvef.unit.value, lvef.state) == (("LN", "10230-1"), "%", Names.REST)


def test_a_coded_concept_refuses_what_dicom_cannot_carry():
    with pytest.raises(ValueError, match="longer than 16"):
        CodedConcept("A" * 17, "1", "x")
    with pytest.raises(ValueError, match="needs scheme, value and meaning"):
        CodedConcept("SCT", "", "x")
    assert CodedConcept("SCT", "1", "a") == CodedConcept("SCT", "1", "b")
