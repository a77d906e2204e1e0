"""Standard codes for the clinical vocabulary and the measurements of a Study: one table, pure data.

Every concept ncreport writes to (or reads from) DICOM SR, FHIR or HL7 v2 is looked up here, so a
code is declared once. Where a standard code exists it is used; the sources are the DICOM PS3.16
context groups (CID) named beside each block, as published in the DICOM standard and mirrored in
pydicom's ``pydicom.sr.codedict`` (the tests check every SCT/DCM/LOINC code below against it, where
pydicom carries it). Where no standard code exists (summed scores, TPD, MBF, extent, ...), the code
is in the local coding scheme :data:`LOCAL_SCHEME`; nothing is invented in a standard scheme.

Units are UCUM codes (``UCUM``), the unit system DICOM SR and FHIR both use.

Codes not in pydicom's dictionary, checked against public LOINC extracts instead: LOINC 10230-1
(Left ventricular Ejection fraction) and LOINC 49569-7 (the FHIR report code the issue names for
SPECT MPI; its LOINC name is the Tl-201/Tc-99m sestamibi study with wall motion).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from reporter.domain.vocabulary import (
    SEGMENTS,
    AttenuationCorrection,
    CacVisualGrade,
    Extent,
    ImageQuality,
    Modality,
    Protocol,
    Reversibility,
    Severity,
    StressAgent,
    StressType,
    Territory,
    Tracer,
    Wall,
    WallMotion,
)

__all__ = [
    "AGATSTON_METHOD",
    "COMPARISON_CODES",
    "CONCEPT_ALIASES",
    "DOCUMENT_TITLES",
    "FHIR_SYSTEMS",
    "GATED_PET",
    "GATED_SPECT",
    "LOCAL_SCHEME",
    "MEASUREMENTS",
    "PERFUSION_RESULT_CODES",
    "RISK_CODES",
    "SEGMENT_SITES",
    "SEVERITY_RANGE_CODES",
    "STRESS_IMAGING_SUMMARY_CODES",
    "UNIT_FACTORS",
    "VESSEL_SITES",
    "VOCABULARY",
    "CodedConcept",
    "Concepts",
    "Measurement",
    "Names",
    "Units",
    "artifact_code",
    "code_of",
    "concept_key",
    "member_of",
    "protocol_code",
    "unit_factor",
]

# The local coding scheme: DICOM reserves designators starting with "99" for private schemes
# (PS3.3 8.2); HL7 table 0396 does the same. A site may register its own and replace this one.
LOCAL_SCHEME = "99NCREPORT"

# Coding scheme designator -> FHIR code system URI (HL7 FHIR terminology pages). The local one is
# a URN of our own; a site publishing FHIR outside its walls should replace it with a URI it owns.
FHIR_SYSTEMS: Mapping[str, str] = MappingProxyType(
    {
        "SCT": "http://snomed.info/sct",
        "LN": "http://loinc.org",
        "DCM": "http://dicom.nema.org/resources/ontology/DCM",
        "UCUM": "http://unitsofmeasure.org",
        LOCAL_SCHEME: "urn:ncreport:codes",
    }
)


@dataclass(frozen=True, slots=True)
class CodedConcept:
    """A code in a coding scheme with its meaning, as DICOM (Code Sequence), FHIR (Coding) and HL7 v2 (CE) carry it.

    Two concepts are the same when scheme and value match; the meaning is display text.
    """

    scheme: str
    value: str
    meaning: str

    def __post_init__(self) -> None:
        if not self.scheme or not self.value or not self.meaning:
            raise ValueError(f"a coded concept needs scheme, value and meaning, got {self!r}")
        if len(self.scheme) > 16:  # DICOM Coding Scheme Designator is SH (16 characters)
            raise ValueError(f"coding scheme designator {self.scheme!r} is longer than 16 characters")
        if len(self.value) > 64:  # DICOM Code Value is SH; longer codes go in Long Code Value
            raise ValueError(f"code value {self.value!r} is longer than 64 characters")

    @property
    def key(self) -> tuple[str, str]:
        return (self.scheme, self.value)

    @property
    def fhir_system(self) -> str:
        return FHIR_SYSTEMS[self.scheme]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CodedConcept) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)


def concept_key(scheme: str, value: str) -> tuple[str, str]:
    """The lookup key of a code as read from a file (``SRT`` is the retired designator of SNOMED)."""
    return ("SCT" if scheme == "SRT" else scheme, value)


def _sct(value: str, meaning: str) -> CodedConcept:
    return CodedConcept("SCT", value, meaning)


def _dcm(value: str, meaning: str) -> CodedConcept:
    return CodedConcept("DCM", value, meaning)


def _ln(value: str, meaning: str) -> CodedConcept:
    return CodedConcept("LN", value, meaning)


def _local(value: str, meaning: str) -> CodedConcept:
    return CodedConcept(LOCAL_SCHEME, value, meaning)


def _ucum(value: str, meaning: str) -> CodedConcept:
    return CodedConcept("UCUM", value, meaning)


class Units:
    """UCUM units of the Study's quantities."""

    PERCENT = _ucum("%", "percent")
    ML = _ucum("mL", "milliliter")
    MBQ = _ucum("MBq", "megabecquerel")
    ML_MIN_G = _ucum("mL/min/g", "milliliter per minute per gram")
    RATIO = _ucum("{ratio}", "ratio")
    SCORE = _ucum("{score}", "score")
    AGATSTON = _ucum("1", "no units")  # an Agatston score is a pure number; highdicom writes "1" the same way
    BPM = _ucum("/min", "per minute")
    MMHG = _ucum("mm[Hg]", "millimeter of mercury")
    YEARS = _ucum("a", "year")


# Accepted spellings of each canonical unit and the factor to the canonical value (value x factor).
UNIT_FACTORS: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        "%": MappingProxyType({"%": 1.0, "1": 100.0, "{ratio}": 100.0}),
        "mL": MappingProxyType({"mL": 1.0, "ml": 1.0, "cm3": 1.0, "L": 1000.0, "l": 1000.0}),
        "MBq": MappingProxyType({"MBq": 1.0, "mCi": 37.0, "GBq": 1000.0, "kBq": 0.001, "Bq": 1e-6}),
        "mL/min/g": MappingProxyType(
            {
                "mL/min/g": 1.0,
                "ml/min/g": 1.0,
                "mL/(min.g)": 1.0,
                "ml/(min.g)": 1.0,
                "mL/g/min": 1.0,
                "ml/g/min": 1.0,
                "mL/min/100g": 0.01,
                "ml/min/100g": 0.01,
                "mL/(min.100.g)": 0.01,
            }
        ),
        "{ratio}": MappingProxyType({"{ratio}": 1.0, "1": 1.0, "{ratio}/1": 1.0}),
        "{score}": MappingProxyType({"{score}": 1.0, "1": 1.0, "{points}": 1.0, "{Agatston}": 1.0}),
        "1": MappingProxyType({"1": 1.0, "{score}": 1.0, "{Agatston}": 1.0, "{AgatstonScore}": 1.0}),
        "/min": MappingProxyType({"/min": 1.0, "{beats}/min": 1.0, "{H.B.}/min": 1.0, "1/min": 1.0}),
        "mm[Hg]": MappingProxyType({"mm[Hg]": 1.0, "mmHg": 1.0}),
    }
)


def unit_factor(canonical: CodedConcept, unit_code: str) -> float | None:
    """The factor from ``unit_code`` to the canonical unit, or None when the unit does not fit."""
    return UNIT_FACTORS.get(canonical.value, {}).get(unit_code)


class Names:
    """Concept names of the SR tree, the sections and the qualifiers (CIDs given per group)."""

    # Document titles (CID 7000 Diagnostic Imaging Report Document Title).
    NUCLEAR_MEDICINE_REPORT = _ln("49118-3", "Nuclear Medicine Report")
    PET_SCAN_REPORT = _ln("44136-0", "PET Scan Report")
    # FHIR DiagnosticReport.code for SPECT myocardial perfusion, as the issue names it. Its LOINC long name
    # (as an HL7 Europe FHIR example and a LOINC table extract spell it) is the dual-isotope study; a
    # site whose order codes differ should map its own.
    SPECT_MPI = _ln(
        "49569-7",
        "SPECT Heart perfusion and wall motion at rest and W stress and W Tl-201 IV and W Tc-99m Sestamibi IV",
    )
    # Sections (CID 7001 Diagnostic Imaging Report Heading), in the order of TID 3300.
    CURRENT_PROCEDURE = _ln("55111-9", "Current Procedure Descriptions")
    HISTORY = _ln("11329-0", "History")
    INDICATIONS = _ln("18785-6", "Indications for Procedure")
    FINDINGS = _ln("59776-5", "Findings")
    SUMMARY = _ln("55112-7", "Summary")
    CONCLUSIONS = _ln("55110-1", "Conclusions")
    IMPRESSIONS = _ln("19005-8", "Impressions")
    ADDENDUM = _ln("55107-7", "Addendum")
    # Items.
    PROCEDURE_REPORTED = _dcm("121058", "Procedure reported")
    STRESS_PROTOCOL = _dcm("109056", "Stress Protocol")
    IMAGING_MEASUREMENTS = _dcm("126010", "Imaging Measurements")
    MEASUREMENT_GROUP = _dcm("125007", "Measurement Group")
    FINDING = _dcm("121071", "Finding")
    PROCEDURE_DESCRIPTION = _dcm("121065", "Procedure Description")  # CID 7002
    ADDENDUM_TEXT = _dcm("121078", "Addendum")
    QUALITY_ISSUE = _dcm("113010", "Quality Issue")
    CONCLUSION = _dcm("121077", "Conclusion")
    COMPARISON = _dcm("111424", "Comparison to previous studies")
    OVERALL_STUDY_QUALITY = _dcm("122739", "Overall study quality")
    RADIOPHARMACEUTICAL = _dcm("123001", "Radiopharmaceutical")
    RADIONUCLIDE_TOTAL_DOSE = _dcm("123006", "Radionuclide Total Dose")
    TRACKING_IDENTIFIER = _dcm("112039", "Tracking Identifier")
    # Qualifiers (HAS CONCEPT MOD / HAS PROPERTIES).
    PATIENT_STATE = _dcm("109054", "Patient State")
    MEASUREMENT_METHOD = _sct("370129005", "Measurement Method")
    FINDING_SITE = _sct("363698007", "Finding Site")
    SEVERITY = _sct("246112005", "Severity")
    EXTENT = _sct("260858005", "Extent")
    MYOCARDIAL_PERFUSION = _sct("251053005", "Myocardial perfusion")
    LV_WALL_MOTION = _sct("250909007", "Left ventricular wall motion")
    # Patient states (CID 3101 Cardiac Procedural State Values).
    REST = _sct("128975004", "Resting State")
    STRESS = _sct("432655005", "Cardiac Stress State")
    STRESS_DCM = _dcm("109091", "Cardiac Stress State")  # CID 3102: read as STRESS
    PEAK_STRESS = _sct("434161005", "Peak cardiac stress state")  # CID 3207: read as STRESS
    # Stress imaging summary (CID 3209) and level of risk (CID 3118) have their own item names here.
    STRESS_IMAGING_SUMMARY = _local("STRESS-IMAGING-SUMMARY", "Stress imaging summary")
    LEVEL_OF_RISK = _local("LEVEL-OF-RISK", "Level of risk")
    DEFECT_TYPE = _local("PERFUSION-DEFECT-TYPE", "Perfusion defect type")
    STRESS_TEST = _local("STRESS-TEST", "Stress test procedure")  # value from CID 3200
    STRESS_AGENT = _local("STRESS-AGENT", "Stress agent")  # value from CID 3204
    DECISION_SUPPORT = _local("DECISION-SUPPORT", "Decision support (model output, not a diagnosis)")
    SIGNATURE_MEANING = _local("SIGNATURE-MEANING", "Meaning of the signature")
    SIGNED_AT = _local("SIGNED-AT", "Date and time of signature")
    PERSON_OBSERVER_NAME = _dcm("121008", "Person Observer Name")
    # De-identification method (CID 7050), PS3.15 Annex E.
    BASIC_PROFILE = _dcm("113100", "Basic Application Confidentiality Profile")
    CLEAN_DESCRIPTORS = _dcm("113105", "Clean Descriptors Option")
    RETAIN_PATIENT_CHARACTERISTICS = _dcm("113108", "Retain Patient Characteristics Option")
    RETAIN_FULL_DATES = _dcm("113106", "Retain Longitudinal Temporal Information Full Dates Option")


DOCUMENT_TITLES: Mapping[Modality, CodedConcept] = MappingProxyType(
    {Modality.SPECT: Names.NUCLEAR_MEDICINE_REPORT, Modality.PET: Names.PET_SCAN_REPORT}
)

# Measurement methods: no standard code for "gated SPECT" / "gated PET" was found in PS3.16.
GATED_SPECT = _local("GATED-SPECT", "Gated SPECT")
GATED_PET = _local("GATED-PET", "Gated PET")
AGATSTON_METHOD = _dcm("112055", "Agatston scoring method")  # CID 6140

# --- anatomy -------------------------------------------------------------------------------------

# CID 3717 Left Ventricle Myocardial Wall 17 Segment Model (SNOMED CT), by AHA segment number.
SEGMENT_SITES: Mapping[int, CodedConcept] = MappingProxyType(
    {
        1: _sct("264850008", "left ventricle basal anterior segment"),
        2: _sct("396482007", "left ventricle basal anteroseptal segment"),
        3: _sct("396646008", "left ventricle basal inferoseptal segment"),
        4: _sct("264846001", "left ventricle basal inferior segment"),
        5: _sct("396652009", "left ventricle basal inferolateral segment"),
        6: _sct("396654005", "left ventricle basal anterolateral segment"),
        7: _sct("264848000", "left ventricle mid anterior segment"),
        8: _sct("396647004", "left ventricle mid anteroseptal segment"),
        9: _sct("396649001", "left ventricle mid inferoseptal segment"),
        10: _sct("264847005", "left ventricle mid inferior segment"),
        11: _sct("396655006", "left ventricle mid inferolateral segment"),
        12: _sct("396656007", "left ventricle mid anterolateral segment"),
        13: _sct("264844003", "left ventricle apical anterior segment"),
        14: _sct("264845002", "left ventricle apical septal segment"),
        15: _sct("264849008", "left ventricle apical inferior segment"),
        16: _sct("264853005", "left ventricle apical lateral segment"),
        17: _sct("128564006", "Apex of left ventricle"),
    }
)
if set(SEGMENT_SITES) != set(SEGMENTS):
    raise ValueError("SEGMENT_SITES must code every AHA segment")

# CID 3016 Major Coronary Artery; "LM" is the key calcium per vessel uses.
VESSEL_SITES: Mapping[str, CodedConcept] = MappingProxyType(
    {
        "LM": _sct("3227004", "Left Main Coronary Artery"),
        "LAD": _sct("59438005", "Left Anterior Descending Coronary Artery"),
        "LCx": _sct("57396003", "Circumflex Coronary Artery"),
        "RCA": _sct("13647002", "Right Coronary Artery"),
    }
)

# --- vocabulary members -> codes ----------------------------------------------------------------

_VOCABULARY: dict[type[StrEnum], dict[StrEnum, CodedConcept]] = {
    # CID 3111 Nuclear Cardiology Radiopharmaceutical (SPECT), CID 4021 PET Radiopharmaceutical,
    # CID 25 Radiopharmaceutical (PYP).
    Tracer: {
        Tracer.TC99M_SESTAMIBI: _sct("424299003", "Tc-99m sestamibi"),
        Tracer.TC99M_TETROFOSMIN: _sct("424118002", "Tc-99m tetrofosmin"),
        Tracer.TL201: _sct("353842007", "Thallium-201"),
        Tracer.RB82: _sct("129503007", "Rubidium chloride Rb^82^"),
        Tracer.N13_AMMONIA: _sct("129508003", "Ammonia N^13^"),
        Tracer.F18_FLURPIRIDAZ: _dcm("126718", "Flurpiridaz F^18^"),
        Tracer.F18_FDG: _sct("35321007", "Fluorodeoxyglucose F^18^"),
        Tracer.TC99M_PYP: _sct("764821009", "Technetium Tc^99m^ pyrophosphate"),
    },
    # CID 3204 Stress Agent. No regadenoson-specific code is in the CID: the standard lists the class
    # "Adenosine A2 receptor agonist", which is what regadenoson is.
    StressAgent: {
        StressAgent.REGADENOSON: _sct("432062000", "Adenosine A2 receptor agonist"),
        StressAgent.ADENOSINE: _sct("108502004", "Adenosine"),
        StressAgent.DIPYRIDAMOLE: _sct("66859009", "Dipyridamole"),
        StressAgent.DOBUTAMINE: _sct("26523005", "Dobutamine"),
    },
    # CID 3200 Stress Test Procedure.
    StressType: {
        StressType.EXERCISE: _sct("165079009", "Exercise stress test"),
        StressType.PHARMACOLOGIC: _sct("424064009", "Pharmacologic stress test"),
        StressType.BOTH: _sct("428813002", "Pharmacologic and exercise stress test"),
    },
    # CID 3112 Attenuation Correction; AI-based correction has no code of its own.
    AttenuationCorrection: {
        AttenuationCorrection.NONE: _dcm("122729", "No Attenuation Correction"),
        AttenuationCorrection.CT: _dcm("122728", "CT-based Attenuation Correction"),
        AttenuationCorrection.AI: _local("AC-AI", "AI-based attenuation correction"),
    },
    # CID 3114 Study Quality; "fair" has no code, "non-diagnostic" is the unusable-quality code.
    ImageQuality: {
        ImageQuality.EXCELLENT: _dcm("122740", "Excellent image quality"),
        ImageQuality.GOOD: _dcm("122741", "Good image quality"),
        ImageQuality.FAIR: _local("IQ-FAIR", "Fair image quality"),
        ImageQuality.POOR: _dcm("122742", "Poor image quality"),
        ImageQuality.NONDIAGNOSTIC: _dcm("111235", "Unusable - Quality renders image unusable"),
    },
    # CID 3016 Major Coronary Artery.
    Territory: {
        Territory.LAD: VESSEL_SITES["LAD"],
        Territory.LCX: VESSEL_SITES["LCx"],
        Territory.RCA: VESSEL_SITES["RCA"],
    },
    # No SNOMED CT wall concepts are in the DICOM cardiac CIDs (segments are, in CID 3717): local.
    Wall: {w: _local(f"WALL-{w.name}", f"{w.value} wall of left ventricle") for w in Wall},
    # CID 3716 Severity.
    Severity: {
        Severity.MILD: _sct("255604002", "Mild"),
        Severity.MODERATE: _sct("6736007", "Moderate"),
        Severity.SEVERE: _sct("24484000", "Severe"),
    },
    # Defect extent (small/medium/large by segment count) has no standard code.
    Extent: {e: _local(f"EXTENT-{e.name}", f"{e.value} extent") for e in Extent},
    # CID 3113 Perfusion Defect Type.
    Reversibility: {
        Reversibility.REVERSIBLE: _sct("251055003", "Reversible myocardial perfusion defect"),
        Reversibility.PARTIALLY_REVERSIBLE: _sct("251056002", "Partially Reversible myocardial perfusion defect"),
        Reversibility.FIXED: _sct("251057006", "Fixed myocardial perfusion defect"),
    },
    # CID 3703 Wall Motion.
    WallMotion: {
        WallMotion.NORMAL: _sct("373122000", "Normal wall motion"),
        WallMotion.HYPOKINETIC: _sct("37706002", "Hypokinesis"),
        WallMotion.AKINETIC: _sct("195675009", "Akinesis"),
        WallMotion.DYSKINETIC: _sct("25437005", "Dyskinesis"),
    },
    # CID 3716 Severity serves the visual calcium grade too; "none" is CID 3716's "None".
    CacVisualGrade: {
        CacVisualGrade.NONE: _sct("260413007", "None"),
        CacVisualGrade.MILD: _sct("255604002", "Mild"),
        CacVisualGrade.MODERATE: _sct("6736007", "Moderate"),
        CacVisualGrade.SEVERE: _sct("24484000", "Severe"),
    },
}
VOCABULARY: Mapping[type[StrEnum], Mapping[StrEnum, CodedConcept]] = MappingProxyType(
    {kind: MappingProxyType(members) for kind, members in _VOCABULARY.items()}
)


def code_of(member: StrEnum) -> CodedConcept:
    """The code of a vocabulary member (members of different enums may share a value, so look up by type)."""
    try:
        return VOCABULARY[type(member)][member]
    except KeyError:
        raise KeyError(f"no code for {type(member).__name__}.{member.name}") from None


# Codes that read as a member though the member writes another one (the same concept in a
# second context group), e.g. Tl-201 as CID 25 "Thallous chloride" or Rb-82 as CID 3107 "82Rubidium".
_READ_ALIASES: Mapping[tuple[str, str], StrEnum] = MappingProxyType(
    {
        ("SCT", "73685002"): Tracer.TL201,  # CID 25 Thallous chloride Tl^201^
        ("SCT", "79197006"): Tracer.RB82,  # CID 3107 ^82^Rubidium
        ("SCT", "21576001"): Tracer.N13_AMMONIA,  # CID 3107 ^13^Nitrogen
    }
)


def member_of(kind: type[StrEnum], scheme: str, value: str) -> StrEnum | None:
    """The member of ``kind`` a code stands for, or None when the code is not one of its codes."""
    key = concept_key(scheme, value)
    for member, concept in VOCABULARY[kind].items():
        if concept.key == key:
            return member
    alias = _READ_ALIASES.get(key)
    return alias if isinstance(alias, kind) else None


# Defect severity as the rules state it: a grade or a range of two grades (CID 3716).
SEVERITY_RANGE_CODES: Mapping[str, CodedConcept] = MappingProxyType(
    {
        "mild": _sct("255604002", "Mild"),
        "moderate": _sct("6736007", "Moderate"),
        "severe": _sct("24484000", "Severe"),
        "mild-to-moderate": _sct("371923003", "Mild to Moderate"),
        "moderate-to-severe": _sct("371924009", "Moderate to Severe"),
        "mild-to-severe": _local("SEVERITY-MILD-TO-SEVERE", "Mild to severe"),
    }
)

# Overall perfusion result (CID 3120 Perfusion Finding); the categories without a code are local.
PERFUSION_RESULT_CODES: Mapping[str, CodedConcept] = MappingProxyType(
    {
        "normal": _sct("301121007", "Myocardial perfusion normal"),
        "abnormal": _sct("263654008", "Abnormal"),
        "equivocal": _sct("42425007", "Equivocal"),
        "probably normal": _local("PERFUSION-PROBABLY-NORMAL", "Myocardial perfusion probably normal"),
        "non-diagnostic": _local("PERFUSION-NONDIAGNOSTIC", "Myocardial perfusion non-diagnostic"),
    }
)

# Stress imaging summary (CID 3209), from the same categories.
STRESS_IMAGING_SUMMARY_CODES: Mapping[str, CodedConcept] = MappingProxyType(
    {
        "normal": _sct("408573005", "Imaging result normal"),
        "probably normal": _sct("408573005", "Imaging result normal"),
        "abnormal": _sct("408574004", "Imaging result abnormal"),
        "equivocal": _sct("408379005", "Imaging result equivocal"),
        "non-diagnostic": _sct("408379005", "Imaging result equivocal"),
    }
)

# Risk category (CID 3118 Level of Risk). ncreport's "intermediate" (1-3 %/year) is CID 3118's
# "Moderate risk"; "indeterminate" is "Uncertain risk".
RISK_CODES: Mapping[str, CodedConcept] = MappingProxyType(
    {
        "low": _sct("75976002", "Low risk"),
        "intermediate": _sct("25594002", "Moderate risk"),
        "high": _sct("15508007", "High risk"),
        "indeterminate": _sct("64957009", "Uncertain risk"),
    }
)

# Comparison with the prior (CID 3235 Perfusion Comparison Finding).
COMPARISON_CODES: Mapping[str, CodedConcept] = MappingProxyType(
    {
        "new ischemia": _sct("428927006", "New ischemia"),
        "more ischemia": _sct("429477006", "More ischemia"),
        "less ischemia": _sct("429232006", "Less ischemia"),
        "resolution of ischemia": _sct("428824000", "Resolution of ischemia"),
        "new infarction": _sct("429391004", "New infarction"),
        "no change": _sct("260388006", "No change"),
    }
)

# CID 3115 Stress Imaging Quality Issue; attenuation is specific only when the note says where.
_ARTIFACTS: Mapping[tuple[str, str | None], CodedConcept] = MappingProxyType(
    {
        ("attenuation", "breast"): _dcm("122744", "Breast attenuation"),
        ("attenuation", "diaphragmatic"): _dcm("122745", "Diaphragmatic attenuation"),
        ("attenuation", "body habitus"): _dcm("122743", "Body habitus attenuation"),
        ("attenuation", None): _local("ARTIFACT-ATTENUATION", "Attenuation artifact"),
        ("motion", None): _dcm("111210", "Motion blur"),
        ("extracardiac activity", "subdiaphragmatic"): _sct("429382003", "Subdiaphragmatic uptake"),
        ("extracardiac activity", None): _local("ARTIFACT-EXTRACARDIAC", "Extracardiac activity"),
    }
)


def artifact_code(kind: str, note: str | None) -> CodedConcept:
    """The code of an imaging artifact: the specific CID 3115 code when the note names one."""
    for (k, where), concept in _ARTIFACTS.items():
        if k == kind and where is not None and note and where in note.lower():
            return concept
    return _ARTIFACTS[(kind, None)]


# CID 3110 Nuclear Cardiology Protocol (SPECT, by tracer) and CID 3106 PET Cardiology Protocol.
_SPECT_PROTOCOLS: Mapping[Protocol, CodedConcept] = MappingProxyType(
    {
        Protocol.REST_STRESS: _dcm("122782", "Rest technetium/stress technetium 1 day procedure"),
        Protocol.STRESS_REST: _dcm("122784", "Stress technetium/rest technetium 1 day procedure"),
        Protocol.TWO_DAY: _dcm("122783", "Rest technetium/stress technetium 2 day procedure"),
        Protocol.DUAL_ISOTOPE: _dcm("122781", "Rest thallium/stress technetium procedure"),
    }
)
_PET_PROTOCOLS: Mapping[Protocol, CodedConcept] = MappingProxyType(
    {
        Protocol.REST_STRESS: _dcm("122793", "PET Myocardial Perfusion, Rest and Stress"),
        Protocol.STRESS_REST: _dcm("122793", "PET Myocardial Perfusion, Rest and Stress"),
        Protocol.STRESS_ONLY: _dcm("122792", "PET Myocardial Perfusion, Stress only"),
    }
)


def protocol_code(modality: Modality, protocol: Protocol, stress_tracer: Tracer) -> CodedConcept:
    """The procedure code of a study: CID 3110/3106 where one fits, else a local code."""
    if modality is Modality.PET and protocol in _PET_PROTOCOLS:
        return _PET_PROTOCOLS[protocol]
    if modality is Modality.SPECT:
        # CID 3110 has one thallium stress code: a stress-only or a stress-redistribution Tl-201 study.
        if protocol in (Protocol.STRESS_ONLY, Protocol.STRESS_REDISTRIBUTION) and stress_tracer is Tracer.TL201:
            return _sct("431511008", "Stress thallium procedure")
        if protocol is Protocol.DUAL_ISOTOPE or (protocol in _SPECT_PROTOCOLS and stress_tracer.is_technetium):
            return _SPECT_PROTOCOLS[protocol]
    return _local(f"PROTOCOL-{modality.value}-{protocol.name}", f"{modality.value} MPI, {protocol.value} protocol")


# --- measurements: concept code <-> Study field --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Measurement:
    """One numeric Study field and how DICOM SR / FHIR code it.

    ``field`` is a dotted path into the Study JSON; ``[LAD]`` selects the list item of that territory,
    ``[7]`` the segment. A NUM item matches when its concept, patient state and finding site match.
    """

    field: str
    concept: CodedConcept
    unit: CodedConcept
    state: CodedConcept | None = None
    site: CodedConcept | None = None
    method: CodedConcept | None = None

    @property
    def match_key(self) -> tuple[tuple[str, str], tuple[str, str] | None, tuple[str, str] | None]:
        return (self.concept.key, self.state.key if self.state else None, self.site.key if self.site else None)


class Concepts:
    """The measured quantities."""

    LVEF = _ln("10230-1", "Left ventricular Ejection fraction")
    LV_EDV = _ln("8821-1", "Left Ventricular ED Volume")  # CID 3835
    LV_ESV = _ln("8823-7", "Left Ventricular ES Volume")  # CID 3835
    TID = _sct("428832008", "Transient ischemic dilatation ratio of left ventricular cavity")
    SSS = _local("SSS", "Summed stress score")
    SRS = _local("SRS", "Summed rest score")
    SDS = _local("SDS", "Summed difference score")
    TPD = _local("TPD", "Total perfusion deficit")
    ISCHEMIC_TPD = _local("ISCHEMIC-TPD", "Ischemic total perfusion deficit")
    SEGMENT_SCORE = _local("SEGMENT-SCORE", "Segmental perfusion score (0-4)")
    MBF = _local("MBF", "Myocardial blood flow")
    MFR = _dcm("122217", "Coronary Flow reserve")  # CID 3620
    AGATSTON = _dcm("112058", "Calcium score")
    LUNG_HEART_RATIO = _local("LHR", "Lung-to-heart ratio")


# Codes read as another concept: a generic ejection fraction is the LVEF in a cardiac NM report.
CONCEPT_ALIASES: Mapping[tuple[str, str], CodedConcept] = MappingProxyType(
    {("SCT", "70822001"): Concepts.LVEF}  # Cardiac ejection fraction
)


def _measurements() -> tuple[Measurement, ...]:
    rest, stress = Names.REST, Names.STRESS
    rows: list[Measurement] = [
        Measurement("function.stress_lvef_percent", Concepts.LVEF, Units.PERCENT, stress),
        Measurement("function.rest_lvef_percent", Concepts.LVEF, Units.PERCENT, rest),
        Measurement("function.stress_edv_ml", Concepts.LV_EDV, Units.ML, stress),
        Measurement("function.stress_esv_ml", Concepts.LV_ESV, Units.ML, stress),
        Measurement("function.rest_edv_ml", Concepts.LV_EDV, Units.ML, rest),
        Measurement("function.rest_esv_ml", Concepts.LV_ESV, Units.ML, rest),
        Measurement("function.tid_ratio", Concepts.TID, Units.RATIO),
        Measurement("function.lung_heart_ratio", Concepts.LUNG_HEART_RATIO, Units.RATIO),
        Measurement("perfusion.summed_stress_score", Concepts.SSS, Units.SCORE),
        Measurement("perfusion.summed_rest_score", Concepts.SRS, Units.SCORE),
        Measurement("perfusion.summed_difference_score", Concepts.SDS, Units.SCORE),
        Measurement("perfusion.stress_tpd_percent", Concepts.TPD, Units.PERCENT, stress),
        Measurement("perfusion.rest_tpd_percent", Concepts.TPD, Units.PERCENT, rest),
        Measurement("perfusion.ischemic_tpd_percent", Concepts.ISCHEMIC_TPD, Units.PERCENT),
        Measurement("flow.rest_mbf_ml_min_g", Concepts.MBF, Units.ML_MIN_G, rest),
        Measurement("flow.stress_mbf_ml_min_g", Concepts.MBF, Units.ML_MIN_G, stress),
        Measurement("flow.mfr", Concepts.MFR, Units.RATIO),
        Measurement("calcium.agatston_total", Concepts.AGATSTON, Units.AGATSTON, method=AGATSTON_METHOD),
    ]
    for territory in Territory:
        site = VESSEL_SITES[territory.value]
        base = f"flow.territories[{territory.value}]"
        rows += [
            Measurement(f"{base}.rest_mbf_ml_min_g", Concepts.MBF, Units.ML_MIN_G, rest, site),
            Measurement(f"{base}.stress_mbf_ml_min_g", Concepts.MBF, Units.ML_MIN_G, stress, site),
            Measurement(f"{base}.mfr", Concepts.MFR, Units.RATIO, site=site),
        ]
    for vessel, site in VESSEL_SITES.items():
        rows.append(
            Measurement(
                f"calcium.agatston_by_vessel.{vessel}",
                Concepts.AGATSTON,
                Units.AGATSTON,
                site=site,
                method=AGATSTON_METHOD,
            )
        )
    for number, site in SEGMENT_SITES.items():
        rows += [
            Measurement(f"perfusion.segments[{number}].stress", Concepts.SEGMENT_SCORE, Units.SCORE, stress, site),
            Measurement(f"perfusion.segments[{number}].rest", Concepts.SEGMENT_SCORE, Units.SCORE, rest, site),
        ]
    return tuple(rows)


MEASUREMENTS: tuple[Measurement, ...] = _measurements()
# A code (with its state and site) must name one field, and a field must have one code: ingest and
# export both rely on the table being a one-to-one map.
if len({m.match_key for m in MEASUREMENTS}) != len(MEASUREMENTS) or len({m.field for m in MEASUREMENTS}) != len(
    MEASUREMENTS
):
    raise ValueError("the measurement table is not one-to-one between codes and Study fields")
