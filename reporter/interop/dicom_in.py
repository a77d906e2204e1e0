"""DICOM in: measurement SRs and NM/PT image headers become the fields of a Study.

Read tolerantly, fail clearly. Every NUM content item of an SR (TID 1500 style: measurement groups
holding coded NUMs with UCUM units, qualified by Patient State and Finding Site) is looked up in
:data:`reporter.domain.codes.MEASUREMENTS`; a code ncreport does not map is reported in the warnings,
never dropped silently. NM and PET image headers give age, sex, study date, modality, tracer and
injected activity. A file that is not DICOM, is truncated, or whose pixel data do not decode raises
:class:`~reporter.errors.InputFormatError` naming the file. Identifiers are copied into the Study's
PHI fields but never into a warning or an error.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from reporter.domain.codes import (
    CONCEPT_ALIASES,
    MEASUREMENTS,
    CodedConcept,
    Measurement,
    Names,
    concept_key,
    member_of,
    unit_factor,
)
from reporter.domain.study import Calcium, GatedFunction, Patient, Perfusion, PetFlow
from reporter.domain.vocabulary import Modality, Tracer
from reporter.errors import (
    FieldProblem,
    InputFormatError,
    InputTooLargeError,
    NotFoundError,
    StudyValidationError,
)
from reporter.inputs import problems_from
from reporter.interop._optional import require

__all__ = ["MAX_DICOM_BYTES", "IngestResult", "SourceInstance", "ingest"]

MAX_DICOM_BYTES = 2 * 1024**3  # a dynamic PET series file can reach hundreds of MB; 2 GiB bounds it

# SOP classes whose headers describe the MPI acquisition itself (NM, PET, Enhanced PET). A
# Secondary Capture labelled NM (e.g. a bone scan screenshot) does not tell the procedure.
_IMAGE_SOP_CLASSES = {
    "1.2.840.10008.5.1.4.1.1.20": Modality.SPECT,  # NM Image Storage
    "1.2.840.10008.5.1.4.1.1.128": Modality.PET,  # Positron Emission Tomography Image Storage
    "1.2.840.10008.5.1.4.1.1.130": Modality.PET,  # Enhanced PET Image Storage
}
_SR_VALUE_TYPE = "ValueType"
_STATE_READ_AS = {
    Names.REST.key: Names.REST,
    Names.STRESS.key: Names.STRESS,
    Names.STRESS_DCM.key: Names.STRESS,
    Names.PEAK_STRESS.key: Names.STRESS,
}
_QUALIFIER_RELATIONSHIPS = {"HAS CONCEPT MOD", "HAS PROPERTIES", "HAS OBS CONTEXT"}
_MEASUREMENT_RELATIONSHIPS = {"CONTAINS", "HAS PROPERTIES", "INFERRED FROM"}
_BY_KEY = {m.match_key: m for m in MEASUREMENTS}
_KNOWN_CONCEPTS = {m.concept.key for m in MEASUREMENTS}
# Integer-valued fields: summed and segment scores.
_INTEGER_FIELD = re.compile(r"(summed_\w+_score|segments\[\d+\]\.(stress|rest))$")
_PHASE_WORDS = {
    "stress": re.compile(r"\b(stress|str|peak|post[- ]?stress)\b", re.I),
    "rest": re.compile(r"\b(rest|rst|redistribution)\b", re.I),
}


@dataclass(frozen=True, slots=True)
class SourceInstance:
    """One DICOM instance that was read: what it is and the UIDs an export refers back to."""

    file: str
    sop_class_uid: str
    sop_instance_uid: str
    study_instance_uid: str | None
    series_instance_uid: str | None
    modality: str | None


@dataclass(frozen=True, slots=True)
class IngestResult:
    """A (partial) Study as JSON-ready dict, what the reader could not place, and the files it came from."""

    study_dict: dict[str, Any]
    warnings: tuple[str, ...]
    sources: tuple[SourceInstance, ...]


@dataclass(frozen=True, slots=True)
class _Num:
    concept: CodedConcept
    value: float
    unit: str
    state: CodedConcept | None
    site: CodedConcept | None


@dataclass(frozen=True, slots=True)
class _Dose:
    tracer: Tracer
    phase: str
    mbq: float | None
    start: dt.datetime | None
    file: str


@dataclass
class _Merged:
    """What the files said so far; values remember the file they came from, to name both in a conflict."""

    values: dict[str, tuple[float, str]] = field(default_factory=dict)
    header: dict[str, tuple[Any, str]] = field(default_factory=dict)
    doses: list[_Dose] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sources: list[SourceInstance] = field(default_factory=list)
    study_dates: set[dt.date] = field(default_factory=set)


# --- reading one file --------------------------------------------------------------------------


def _read(path: Path) -> tuple[Any, int]:
    """The dataset of a DICOM file, fully parsed, and how many non-conformant values pydicom met.

    Anything malformed becomes InputFormatError naming the file.
    """
    from pydicom import dcmread
    from pydicom.errors import InvalidDicomError

    if not path.is_file():
        raise NotFoundError(f"{path} does not exist or is not a file")
    size = path.stat().st_size
    if size > MAX_DICOM_BYTES:
        raise InputTooLargeError(f"{path.name} is {size} bytes; the limit is {MAX_DICOM_BYTES} bytes")
    if size == 0:
        raise InputFormatError(f"{path.name} is empty")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            ds = dcmread(path)
            _check_complete(ds, path.name)
        except InvalidDicomError as exc:
            raise InputFormatError(f"{path.name} is not a DICOM file (no DICM preamble)") from exc
        except InputFormatError:
            raise
        except Exception as exc:  # pydicom raises OSError, EOFError, ValueError, struct.error on bad data
            raise InputFormatError(f"{path.name} is not a readable DICOM file: {type(exc).__name__}") from exc
    for warning in caught:
        if "End of file" in str(warning.message):
            raise InputFormatError(f"{path.name} is truncated (the file ends inside a data element)")
    for keyword in ("SOPClassUID", "SOPInstanceUID"):
        if not ds.get(keyword):
            raise InputFormatError(f"{path.name} has no {keyword}: not a DICOM instance")
    # pydicom's messages can quote element values (names, IDs): count them, never show them.
    return ds, len(caught)


def _check_complete(ds: Any, name: str) -> None:
    """Raise when a defined-length element holds fewer bytes than it declares (a truncated file).

    pydicom parses sequences lazily and reads a short final value without complaint, so the check
    walks every element, raw lengths first.
    """
    from pydicom.dataelem import RawDataElement

    for tag in list(ds.keys()):
        raw = ds.get_item(tag)
        defined = isinstance(raw, RawDataElement) and raw.value is not None and raw.length != 0xFFFFFFFF
        if defined and len(raw.value) < raw.length:
            raise InputFormatError(f"{name} is truncated (element {tag} is cut short)")
        element = ds[tag]
        if element.VR == "SQ":
            for item in element.value:
                _check_complete(item, name)


def _check_pixels(ds: Any, name: str) -> None:
    """Decode the first frame: a corrupt or truncated image stream is a malformed file."""
    from pydicom.pixels import pixel_array

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pixel_array(ds, index=0)
    except Exception as exc:  # the decoders raise RuntimeError, ValueError, NotImplementedError
        # pydicom lists each decoder's complaint on its own line after a heading line.
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        reason = "; ".join(lines[1:] if len(lines) > 1 else lines) or type(exc).__name__
        raise InputFormatError(f"{name}: the pixel data cannot be decoded ({reason[:300]})") from exc


# --- SR content tree ---------------------------------------------------------------------------


def _code(seq: Any) -> CodedConcept | None:
    if not seq:
        return None
    item = seq[0]
    value = item.get("CodeValue") or item.get("LongCodeValue") or item.get("URNCodeValue")
    scheme = item.get("CodingSchemeDesignator") or ("URN" if item.get("URNCodeValue") else None)
    if not value or not scheme:
        return None
    key = concept_key(str(scheme), str(value))
    return CodedConcept(key[0], key[1], str(item.get("CodeMeaning") or value))


@dataclass(frozen=True, slots=True)
class _Context:
    state: CodedConcept | None = None
    site: CodedConcept | None = None


def _qualified(items: Sequence[Any], ctx: _Context) -> _Context:
    """The context narrowed by the Patient State / Finding Site qualifiers among ``items``."""
    state, site = ctx.state, ctx.site
    for item in items:
        if item.get("RelationshipType") not in _QUALIFIER_RELATIONSHIPS or item.get(_SR_VALUE_TYPE) != "CODE":
            continue
        name, value = _code(item.get("ConceptNameCodeSequence")), _code(item.get("ConceptCodeSequence"))
        if name is None or value is None:
            continue
        if name == Names.PATIENT_STATE:
            state = _STATE_READ_AS.get(value.key, value)
        elif name == Names.FINDING_SITE:
            site = value
    return _Context(state, site)


def _nums(items: Sequence[Any], ctx: _Context, name: str, where: str = "") -> Iterator[_Num | CodedConcept]:
    """Every measurement NUM below ``items`` with the qualifiers in force where it sits, and the concept
    name of every coded statement (CODE item) met on the way, which no Study field takes.
    """
    ctx = _qualified(items, ctx)
    for index, item in enumerate(items, start=1):
        position = f"{where}.{index}" if where else str(index)
        value_type = item.get(_SR_VALUE_TYPE)
        if value_type is None:
            raise InputFormatError(f"{name}: SR content item {position} has no value type")
        children = item.get("ContentSequence") or []
        if value_type == "CONTAINER":
            yield from _nums(children, ctx, name, position)
        elif value_type == "CODE" and item.get("RelationshipType") == "CONTAINS":
            concept = _code(item.get("ConceptNameCodeSequence"))
            if concept is not None:
                yield concept
        elif value_type == "NUM" and item.get("RelationshipType", "CONTAINS") in _MEASUREMENT_RELATIONSHIPS:
            concept = _code(item.get("ConceptNameCodeSequence"))
            measured = item.get("MeasuredValueSequence")
            if concept is None or not measured:
                continue  # a NUM with no value (Numeric Value Qualifier) states nothing to place
            unit = _code(measured[0].get("MeasurementUnitsCodeSequence"))
            try:
                number = float(measured[0].NumericValue)
            except (AttributeError, TypeError, ValueError) as exc:
                raise InputFormatError(f"{name}: SR content item {position} has no readable numeric value") from exc
            own = _qualified(children, ctx)
            yield _Num(
                CONCEPT_ALIASES.get(concept.key, concept), number, unit.value if unit else "", own.state, own.site
            )


def _place(num: _Num) -> Measurement | None:
    state = num.state.key if num.state else None
    site = num.site.key if num.site else None
    return _BY_KEY.get((num.concept.key, state, site))


def _read_sr(ds: Any, name: str, merged: _Merged) -> int:
    """Place the measurements of one SR; the number placed."""
    placed = 0
    unknown: dict[str, int] = {}
    coded: dict[str, int] = {}
    for num in _nums(ds.get("ContentSequence") or [], _Context(), name):
        if isinstance(num, CodedConcept):
            label = f"{num.meaning} ({num.value}, {num.scheme})"
            coded[label] = coded.get(label, 0) + 1
            continue
        target = _place(num)
        label = f"{num.concept.meaning} ({num.concept.value}, {num.concept.scheme})"
        if target is None:
            if num.concept.key in _KNOWN_CONCEPTS:
                qualifiers = ", ".join(q.meaning for q in (num.state, num.site) if q) or "no state or site"
                merged.warnings.append(f"{name}: {label} with {qualifiers} matches no Study field; not used")
            else:
                unknown[label] = unknown.get(label, 0) + 1
            continue
        factor = unit_factor(target.unit, num.unit)
        if factor is None:
            merged.warnings.append(
                f"{name}: {label} is in unit {num.unit or '(none)'!r}, which does not convert to "
                f"{target.unit.value!r}; {target.field} not used"
            )
            continue
        value = round(num.value * factor, 4)
        if _INTEGER_FIELD.search(target.field):
            if value != int(value):
                raise InputFormatError(f"{name}: {target.field} must be a whole number, got {value}")
            value = int(value)
        _put(merged.values, target.field, value, name)
        placed += 1
    for label, count in sorted(unknown.items()):
        times = f" x{count}" if count > 1 else ""
        merged.warnings.append(f"{name}: measurement code not mapped to a Study field: {label}{times}")
    if coded:
        listed = ", ".join(f"{label}{f' x{n}' if n > 1 else ''}" for label, n in sorted(coded.items()))
        merged.warnings.append(f"{name}: coded statements not read into the Study: {listed}")
    return placed


def _put(store: dict[str, tuple[Any, str]], key: str, value: Any, name: str) -> None:
    if key in store and store[key][0] != value:
        raise InputFormatError(f"{key} differs between {store[key][1]} and {name}")
    store.setdefault(key, (value, name))


# --- image headers -----------------------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    text = str(value or "").strip()
    try:
        return dt.datetime.strptime(text[:8], "%Y%m%d").date() if len(text) >= 8 else None
    except ValueError:
        return None


def _datetime(value: Any, date: dt.date | None = None) -> dt.datetime | None:
    text = str(value or "").strip().split("+")[0].split("-")[0]
    if date is not None and len(text) <= 13:  # a TM value: combine with the date
        text = date.strftime("%Y%m%d") + text
    digits = text.split(".")[0]
    for fmt in ("%Y%m%d%H%M%S", "%Y%m%d%H%M", "%Y%m%d%H"):
        try:
            return dt.datetime.strptime(digits, fmt)
        except ValueError:
            continue
    return None


def _age_years(ds: Any, study_date: dt.date | None) -> int | None:
    age = str(ds.get("PatientAge") or "").strip()
    match = re.fullmatch(r"(\d{1,3})([DWMY])", age)
    if match:
        number, unit = int(match.group(1)), match.group(2)
        return {"Y": number, "M": number // 12, "W": number // 52, "D": number // 365}[unit]
    birth = _date(ds.get("PatientBirthDate"))
    if birth and study_date:
        return study_date.year - birth.year - ((study_date.month, study_date.day) < (birth.month, birth.day))
    return None


def _read_header(ds: Any, name: str, merged: _Merged) -> None:
    """Patient and study facts every instance carries."""
    study_date = _date(ds.get("StudyDate"))
    if study_date:
        merged.study_dates.add(study_date)
    age = _age_years(ds, study_date)
    if age is not None:
        _put(merged.header, "patient.age_years", age, name)
    sex = {"M": "male", "F": "female"}.get(str(ds.get("PatientSex") or "").strip().upper())
    if sex:
        _put(merged.header, "patient.sex", sex, name)
    identifiers = {
        "patient.name": str(ds.get("PatientName") or "").strip(),
        "patient.mrn": str(ds.get("PatientID") or "").strip(),
        "patient.birth_date": (b.isoformat() if (b := _date(ds.get("PatientBirthDate"))) else ""),
        "accession": str(ds.get("AccessionNumber") or "").strip(),
    }
    for key, value in identifiers.items():
        if not value:
            continue
        if key in merged.header and merged.header[key][0] != value:
            # Never echo an identifier: say which one differs and where.
            raise InputFormatError(
                f"{key} differs between {merged.header[key][1]} and {name}: the files are not of one patient and study"
            )
        merged.header.setdefault(key, (value, name))


def _phase(ds: Any) -> str | None:
    text = " ".join(str(ds.get(k) or "") for k in ("SeriesDescription", "ProtocolName", "StudyDescription"))
    found = [phase for phase, pattern in _PHASE_WORDS.items() if pattern.search(text)]
    return found[0] if len(found) == 1 else None


def _tracer(item: Any) -> Tracer | None:
    code = _code(item.get("RadiopharmaceuticalCodeSequence"))
    if code is not None:
        member = member_of(Tracer, code.scheme, code.value)
        if isinstance(member, Tracer):
            return member
    text = re.sub(r"[^a-z0-9]", "", str(item.get("Radiopharmaceutical") or "").lower())
    for tracer in Tracer:
        words = re.sub(r"[^a-z0-9]", "", tracer.value.lower())
        if words and words in text:
            return tracer
    hints = {
        "sestamibi": Tracer.TC99M_SESTAMIBI,
        "mibi": Tracer.TC99M_SESTAMIBI,
        "cardiolite": Tracer.TC99M_SESTAMIBI,
        "tetrofosmin": Tracer.TC99M_TETROFOSMIN,
        "myoview": Tracer.TC99M_TETROFOSMIN,
        "thallium": Tracer.TL201,
        "rubidium": Tracer.RB82,
        "ammonia": Tracer.N13_AMMONIA,
        "flurpiridaz": Tracer.F18_FLURPIRIDAZ,
        "fdg": Tracer.F18_FDG,
        "fluorodeoxyglucose": Tracer.F18_FDG,
    }
    return next((t for word, t in hints.items() if word in text), None)


def _read_image(ds: Any, name: str, modality: Modality, merged: _Merged) -> None:
    _put(merged.header, "procedure.modality", modality.value, name)
    phase = _phase(ds)
    study_date = _date(ds.get("StudyDate"))
    for item in ds.get("RadiopharmaceuticalInformationSequence") or []:
        tracer = _tracer(item)
        if tracer is None:
            merged.warnings.append(f"{name}: radiopharmaceutical not recognised; no tracer recorded")
            continue
        dose = item.get("RadionuclideTotalDose")
        mbq: float | None = None
        if dose not in (None, ""):
            # NM Isotope Module: MBq; PET Isotope Module: Bq (PS3.3 C.8.4.10, C.8.9.2).
            mbq = round(float(dose) / (1e6 if modality is Modality.PET else 1.0), 1)
        start = _datetime(item.get("RadiopharmaceuticalStartDateTime")) or _datetime(
            item.get("RadiopharmaceuticalStartTime"), study_date
        )
        if phase is None:
            merged.warnings.append(
                f"{name}: rest or stress is not stated in the series description; the {tracer.value} dose is not used"
            )
            continue
        merged.doses.append(_Dose(tracer, phase, mbq, start, name))


# --- assembling the Study ------------------------------------------------------------------------


def _nested(flat: dict[str, Any]) -> dict[str, Any]:
    """Dotted paths (with ``[N]`` segment and ``[LAD]`` territory selectors) -> the Study JSON shape."""
    out: dict[str, Any] = {}
    segments: dict[int, dict[str, Any]] = {}
    territories: dict[str, dict[str, Any]] = {}
    for path, value in flat.items():
        if match := re.fullmatch(r"perfusion\.segments\[(\d+)\]\.(\w+)", path):
            segments.setdefault(int(match.group(1)), {"segment": int(match.group(1))})[match.group(2)] = value
            continue
        if match := re.fullmatch(r"flow\.territories\[(\w+)\]\.(\w+)", path):
            territories.setdefault(match.group(1), {"territory": match.group(1)})[match.group(2)] = value
            continue
        node = out
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    if segments:
        out.setdefault("perfusion", {})["segments"] = [segments[n] for n in sorted(segments)]
    if territories:
        out.setdefault("flow", {})["territories"] = [territories[t] for t in sorted(territories)]
    return out


def _tracers(merged: _Merged) -> tuple[list[dict[str, Any]], str | None]:
    """One dose per phase, and the protocol the injection order implies (None when it cannot tell)."""
    by_phase: dict[str, _Dose] = {}
    for dose in merged.doses:
        seen = by_phase.get(dose.phase)
        if seen is not None and (seen.tracer, seen.mbq) != (dose.tracer, dose.mbq):
            raise InputFormatError(f"the {dose.phase} dose differs between {seen.file} and {dose.file}")
        by_phase.setdefault(dose.phase, dose)
    tracers = []
    for phase in ("rest", "stress"):
        if phase in by_phase:
            d = by_phase[phase]
            entry: dict[str, Any] = {"tracer": d.tracer.value, "phase": phase}
            if d.mbq is not None:
                entry["activity"] = {"value": d.mbq, "unit": "MBq"}
            tracers.append(entry)
    rest, stress = by_phase.get("rest"), by_phase.get("stress")
    if rest is None or stress is None:
        return tracers, None
    if rest.tracer is stress.tracer is Tracer.TL201 and rest.start is not None and rest.start == stress.start:
        # One Tl-201 injection seen in the stress and the redistribution series (named "rest" by _PHASE_WORDS):
        # thallium stress-redistribution, which has no rest dose (ASNC-PROTOCOLS-2016).
        return [t for t in tracers if t["phase"] == "stress"], "stress-redistribution"
    if rest.tracer is Tracer.TL201 and stress.tracer.is_technetium:
        return tracers, "dual-isotope"
    if rest.start is None or stress.start is None:
        return tracers, None
    if rest.start.date() != stress.start.date():
        return tracers, "two-day"
    return tracers, "rest-stress" if rest.start < stress.start else "stress-rest"


def _validate(study: dict[str, Any]) -> None:
    """Check each block DICOM can fill with the Study's own models (identifiers are never echoed)."""
    blocks: dict[str, type[BaseModel]] = {
        "perfusion": Perfusion,
        "function": GatedFunction,
        "flow": PetFlow,
        "calcium": Calcium,
    }
    if {"age_years", "sex"} <= set(study.get("patient", {})):
        blocks["patient"] = Patient
    problems: list[FieldProblem] = []
    for key, model in blocks.items():
        if key not in study:
            continue
        try:
            model.model_validate(study[key])
        except ValidationError as exc:
            problems += [
                FieldProblem(f"{key}.{p.field}" if p.field != "(root)" else key, p.message, p.value)
                for p in problems_from(exc)
            ]
    if problems:
        raise StudyValidationError(f"the DICOM values do not form a valid study ({len(problems)} problem(s))", problems)


def ingest(paths: Sequence[Path]) -> IngestResult:
    """Read DICOM files (SR measurement reports, NM/PT images) and merge them into one Study dict."""
    require("DICOM ingest")
    if not paths:
        raise InputFormatError("no DICOM file given")
    merged = _Merged()
    for path in paths:
        ds, nonconformant = _read(path)
        name = path.name
        sop_class = str(ds.SOPClassUID)
        twin = next((s.file for s in merged.sources if s.sop_instance_uid == str(ds.SOPInstanceUID)), None)
        if twin is not None:
            merged.warnings.append(f"{name} is the same instance as {twin} (same SOP Instance UID); read once")
            continue
        merged.sources.append(
            SourceInstance(
                file=name,
                sop_class_uid=sop_class,
                sop_instance_uid=str(ds.SOPInstanceUID),
                study_instance_uid=str(ds.get("StudyInstanceUID") or "") or None,
                series_instance_uid=str(ds.get("SeriesInstanceUID") or "") or None,
                modality=str(ds.get("Modality") or "") or None,
            )
        )
        if "PixelData" in ds:
            _check_pixels(ds, name)
        _read_header(ds, name, merged)
        placed = _read_sr(ds, name, merged) if "ContentSequence" in ds else 0
        if sop_class in _IMAGE_SOP_CLASSES:
            _read_image(ds, name, _IMAGE_SOP_CLASSES[sop_class], merged)
        elif placed == 0:
            kind = getattr(ds.SOPClassUID, "name", sop_class)
            merged.warnings.append(f"{name}: no cardiac values ({kind}, modality {ds.get('Modality') or 'none'})")
        if nonconformant:
            merged.warnings.append(
                f"{name}: {nonconformant} non-conformant value(s) read as found "
                "(details withheld: they may hold identifiers)"
            )
    flat: dict[str, Any] = {k: v for k, (v, _) in merged.header.items()}
    flat.update({k: v for k, (v, _) in merged.values.items()})
    if merged.study_dates:
        flat["study_date"] = max(merged.study_dates).isoformat()
        if len(merged.study_dates) > 1:
            merged.warnings.append(f"the files span {len(merged.study_dates)} study dates; the latest is used")
    study = _nested(flat)
    tracers, protocol = _tracers(merged)
    if tracers:
        study.setdefault("procedure", {})["tracers"] = tracers
    if protocol:
        study.setdefault("procedure", {})["protocol"] = protocol
    segments = study.get("perfusion", {}).get("segments", [])
    if protocol == "stress-redistribution" and any("rest" in s for s in segments):
        # SR has no redistribution state: the later images' scores come as rest scores
        for s in segments:
            if "rest" in s:
                s["redistribution"] = s.pop("rest")
        merged.warnings.append(
            "a stress-redistribution study: its rest segment scores are read as redistribution scores"
        )
    _validate(study)
    missing = [k for k in ("patient", "clinical", "procedure", "stress", "perfusion") if k not in study]
    for block, keys in (("patient", ("age_years", "sex")), ("procedure", ("modality", "protocol", "tracers"))):
        missing += [f"{block}.{k}" for k in keys if block in study and k not in study[block]]
    if missing:
        merged.warnings.append(f"not in the DICOM files, to add before drafting: {', '.join(missing)}")
    order = [
        "schema_version",
        "study_date",
        "accession",
        "patient",
        "clinical",
        "procedure",
        "stress",
        "perfusion",
        "function",
        "flow",
        "calcium",
    ]
    ordered = {k: study[k] for k in order if k in study}
    return IngestResult(study_dict=ordered, warnings=tuple(merged.warnings), sources=tuple(merged.sources))
