"""Rule files of the extraction pipeline: loaded from JSON, validated strictly, never code.

Four files live in ``extraction/resources/``:

- ``sections.json``: section categories and their headers (expanded into medspaCy SectionRules);
- ``concepts.json``: concepts (label, normalised value, phrases and/or spaCy token patterns);
- ``context_rules.json``: ConText modifiers in medspaCy's ConTextRule format;
- ``wording.json``: wording families read from a whole sentence (ECG verdicts, title-like verdicts,
  the protocol from the order of the doses), as regular expressions.

Unknown keys, unknown labels and values outside the shared vocabulary raise ``ConfigError``
(E104) with the offending path, so a typo in a rule file fails at load, not silently.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from reporter.domain.vocabulary import (
    EcgResponse,
    Extent,
    Modality,
    PerfusionResult,
    Protocol,
    Reversibility,
    Severity,
    StressAgent,
    StressType,
    Territory,
    Tracer,
    Wall,
)
from reporter.errors import ConfigError, FieldProblem

__all__ = [
    "LABEL_VALUES",
    "SCHEMA_WALLS",
    "ConceptRule",
    "ContextConfig",
    "OcrConfusions",
    "SectionSpec",
    "Wording",
    "WordingTarget",
    "load_concepts",
    "load_context",
    "load_key_suffixes",
    "load_sections",
    "load_wording",
    "resource_path",
]

# The schema's wall list is exactly the vocabulary's walls.
SCHEMA_WALLS: tuple[str, ...] = tuple(w.value for w in Wall)

# The protocols the structured-report schema describes (rest-stress | stress-rest | stress-only | two-day |
# dual-isotope): it has no stress-redistribution, so a Tl-201 stress/redistribution report is read as stress-rest
# (stress first), as the gold sets annotate it (bench/data/struct_test4, struct_dev6); the Study has the protocol.
# Nor has it the Study's rest-redistribution (Tl-201 viability) protocol, so the schema's list stays as it is.
SCHEMA_PROTOCOLS: tuple[str, ...] = tuple(
    p.value for p in Protocol if p not in (Protocol.STRESS_REDISTRIBUTION, Protocol.REST_REDISTRIBUTION)
)

# The perfusion results the structured-report schema describes (normal | abnormal | equivocal | probably normal).
_R = PerfusionResult
_RESULTS = tuple(r.value for r in (_R.NORMAL, _R.ABNORMAL, _R.EQUIVOCAL, _R.PROBABLY_NORMAL))

# label -> allowed normalised values (None: the label carries no value, a value is refused).
LABEL_VALUES: dict[str, tuple[str, ...] | None] = {
    "IGNORE": None,
    "MODALITY": tuple(m.value for m in Modality),
    "TRACER": tuple(t.value for t in Tracer),
    "PROTOCOL": SCHEMA_PROTOCOLS,
    "EXERCISE": (StressType.EXERCISE.value,),
    "PHARM_STRESS": (StressType.PHARMACOLOGIC.value,),
    "AGENT": tuple(a.value for a in StressAgent),
    "DATE": None,
    "INDICATION_CUE": None,
    "DURATION": None,
    "METS": None,
    "HR": None,
    "BP": None,
    "MPHR": None,
    "CHEST_PAIN": None,
    "ECG_RESULT": tuple(e.value for e in EcgResponse),
    "ST_DEPRESSION": (EcgResponse.ISCHEMIC.value,),
    "DUKE": None,
    "RESULT": _RESULTS,
    "RESULT_BARE": _RESULTS,
    "DEFECT": None,
    "ISCHEMIA": None,
    "INFARCTION": None,
    "WALL": SCHEMA_WALLS,
    "TERRITORY": tuple(t.value for t in Territory),
    "SEVERITY": tuple(s.value for s in Severity),
    "EXTENT": tuple(e.value for e in Extent),
    "REVERSIBILITY": tuple(r.value for r in Reversibility),
    "SSS": None,
    "SRS": None,
    "SDS": None,
    "STRESS_TPD": None,
    "REST_TPD": None,
    "ISCHEMIC_TPD": None,
    "ARTIFACT": ("attenuation", "motion", "extracardiac activity"),
    "ARTIFACT_WORD": None,  # "artifact" of no named type: its denial says none
    "LVEF": None,
    "EDV": None,
    "ESV": None,
    "TID": None,
    "WALL_MOTION": ("normal", "abnormal"),
    "LV_SIZE": ("normal", "dilated"),
    "STRESS_MBF": None,
    "REST_MBF": None,
    "MBF": None,
    "MFR": None,
    "CAC_SCORE": None,
    "CAC_VISUAL": ("present", "absent"),
    # calcium seen in a named coronary artery ("calcification of the LAD"): coronary calcium present where affirmed;
    # its denial speaks of that vessel only, never of the coronary arteries as a whole
    "CAC_VESSEL": ("present",),
    "RISK": ("low", "intermediate", "high"),
    "COMPARISON": ("unchanged", "improved", "worsened", "no prior"),
    "COMPARISON_CUE": None,
}

_CONTEXT_RULE_KEYS = {
    "literal",
    "direction",
    "pattern",
    "category",
    "metadata",
    "allowed_types",
    "excluded_types",
    "max_targets",
    "max_scope",
}
_CONTEXT_DIRECTIONS = {"FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"}


@dataclass(frozen=True, slots=True)
class ConceptRule:
    """One concept: a label, an optional normalised value, phrases and token patterns."""

    label: str
    value: str | None
    phrases: tuple[str, ...]
    patterns: tuple[tuple[dict[str, Any], ...], ...]


@dataclass(frozen=True, slots=True)
class SectionSpec:
    """A section category and the header phrases that open it."""

    category: str
    headers: tuple[str, ...]
    max_scope: int | None = None


@dataclass(frozen=True, slots=True)
class ContextConfig:
    """ConText rules (medspaCy dicts, validated) and which categories end which scopes."""

    rules: tuple[dict[str, Any], ...]
    terminating_types: dict[str, tuple[str, ...]]


def resource_path(name: str) -> Path:
    """The path of a packaged rule file."""
    return Path(str(resources.files("extraction") / "resources" / name))


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"rule file {path.name} not found") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"rule file {path.name} is not valid JSON: {exc}") from exc


def _check_keys(obj: Any, allowed: set[str], required: set[str], where: str) -> None:
    if not isinstance(obj, dict):
        raise ConfigError("invalid rule file", [FieldProblem(where, "must be an object", type(obj).__name__)])
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise ConfigError("invalid rule file", [FieldProblem(where, "unknown keys", unknown)])
    missing = sorted(required - set(obj))
    if missing:
        raise ConfigError("invalid rule file", [FieldProblem(where, "missing keys", missing)])


def _str_list(obj: Any, where: str) -> tuple[str, ...]:
    if not isinstance(obj, list) or not all(isinstance(x, str) and x.strip() for x in obj):
        raise ConfigError("invalid rule file", [FieldProblem(where, "must be a list of non-empty strings")])
    return tuple(obj)


def _token_patterns(obj: Any, where: str) -> tuple[tuple[dict[str, Any], ...], ...]:
    if not isinstance(obj, list) or not obj:
        raise ConfigError("invalid rule file", [FieldProblem(where, "must be a non-empty list of patterns")])
    out = []
    for i, pattern in enumerate(obj):
        if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) for t in pattern):
            raise ConfigError("invalid rule file", [FieldProblem(f"{where}[{i}]", "must be a list of token dicts")])
        out.append(tuple(pattern))
    return tuple(out)


def load_sections(path: Path | None = None) -> tuple[SectionSpec, ...]:
    """Section categories and headers from ``sections.json``."""
    data = _read(path or resource_path("sections.json"))
    _check_keys(data, {"description", "sections", "key_suffixes"}, {"sections"}, "$")
    specs = []
    for i, item in enumerate(data["sections"]):
        where = f"sections[{i}]"
        _check_keys(item, {"category", "headers", "max_scope", "comment"}, {"category", "headers"}, where)
        if not isinstance(item["category"], str) or not item["category"]:
            raise ConfigError("invalid rule file", [FieldProblem(f"{where}.category", "must be a string")])
        max_scope = item.get("max_scope")
        if max_scope is not None and (not isinstance(max_scope, int) or max_scope < 1):
            raise ConfigError(
                "invalid rule file", [FieldProblem(f"{where}.max_scope", "must be a positive integer", max_scope)]
            )
        headers = _str_list(item["headers"], f"{where}.headers")
        specs.append(SectionSpec(item["category"], headers, max_scope))
    return tuple(specs)


def load_key_suffixes(path: Path | None = None) -> tuple[str, ...]:
    """The words a vendor key adds after a header word (``sections.json`` "key_suffixes": "Impression_Text")."""
    data = _read(path or resource_path("sections.json"))
    obj = data.get("key_suffixes") if isinstance(data, dict) else None
    if obj is None:
        return ()
    _check_keys(obj, {"comment", "words"}, {"words"}, "key_suffixes")
    words = _str_list(obj["words"], "key_suffixes.words")
    if any(not w.isalpha() or w != w.lower() for w in words):
        raise ConfigError("invalid rule file", [FieldProblem("key_suffixes.words", "must be lower-case words", words)])
    return words


def load_concepts(path: Path | None = None) -> tuple[ConceptRule, ...]:
    """Concept rules from ``concepts.json``, each value checked against the shared vocabulary."""
    data = _read(path or resource_path("concepts.json"))
    _check_keys(data, {"description", "rules"}, {"rules"}, "$")
    out = []
    for i, item in enumerate(data["rules"]):
        where = f"rules[{i}]"
        _check_keys(item, {"label", "value", "phrases", "patterns", "comment"}, {"label"}, where)
        label = item["label"]
        if label not in LABEL_VALUES:
            raise ConfigError("invalid rule file", [FieldProblem(f"{where}.label", "unknown label", label)])
        allowed = LABEL_VALUES[label]
        value = item.get("value")
        if allowed is None and value is not None:
            raise ConfigError("invalid rule file", [FieldProblem(f"{where}.value", f"{label} takes no value", value)])
        if allowed is not None and value not in allowed:
            raise ConfigError(
                "invalid rule file",
                [FieldProblem(f"{where}.value", f"must be one of {list(allowed)}", value)],
            )
        phrases = _str_list(item["phrases"], f"{where}.phrases") if "phrases" in item else ()
        patterns = _token_patterns(item["patterns"], f"{where}.patterns") if "patterns" in item else ()
        if not phrases and not patterns:
            raise ConfigError("invalid rule file", [FieldProblem(where, "needs phrases or patterns")])
        out.append(ConceptRule(label, value, phrases, patterns))
    return tuple(out)


def load_context(path: Path | None = None) -> ContextConfig:
    """ConText modifier rules from ``context_rules.json``."""
    data = _read(path or resource_path("context_rules.json"))
    _check_keys(data, {"description", "context_rules", "terminating_types"}, {"context_rules"}, "$")
    rules = []
    for i, item in enumerate(data["context_rules"]):
        where = f"context_rules[{i}]"
        _check_keys(item, _CONTEXT_RULE_KEYS, {"literal", "category"}, where)
        direction = item.get("direction", "BIDIRECTIONAL")
        if direction not in _CONTEXT_DIRECTIONS:
            raise ConfigError("invalid rule file", [FieldProblem(f"{where}.direction", "unknown direction", direction)])
        for key in ("allowed_types", "excluded_types"):
            if key in item:
                for label in _str_list(item[key], f"{where}.{key}"):
                    if label not in LABEL_VALUES:
                        raise ConfigError("invalid rule file", [FieldProblem(f"{where}.{key}", "unknown label", label)])
        rules.append(dict(item))
    terminating: dict[str, tuple[str, ...]] = {}
    raw_terminating = data.get("terminating_types", {})
    if not isinstance(raw_terminating, dict):
        raise ConfigError("invalid rule file", [FieldProblem("terminating_types", "must be an object")])
    for category, by in raw_terminating.items():
        terminating[category] = _str_list(by, f"terminating_types.{category}")
    return ContextConfig(tuple(rules), terminating)


@dataclass(frozen=True, slots=True)
class Wording:
    """Sentence-level wording families (see ``wording.json``), compiled."""

    ecg_cue: re.Pattern[str]
    ecg_verdicts: tuple[tuple[str, re.Pattern[str]], ...]
    title_verdict: re.Pattern[str]
    title_values: dict[str, str]
    protocol_order: tuple[tuple[str, re.Pattern[str]], ...]
    targets: tuple[WordingTarget, ...] = ()
    elided_labels: tuple[ElidedLabels, ...] = ()
    # the study nouns of another imaging test ("echocardiogram"): never the verdict of a perfusion study
    other_test_noun: re.Pattern[str] | None = None
    date_day_first: re.Pattern[str] | None = None
    # the writing of a report that says how it orders numeric dates: (day first, month first)
    date_order_words: tuple[re.Pattern[str] | None, re.Pattern[str] | None] = (None, None)
    # the spellings and places among the day-first words: they outweigh an activity in mCi (see _day_first)
    date_day_first_writing: re.Pattern[str] | None = None
    closing_headers: frozenset[str] = frozenset()
    patient_cue: re.Pattern[str] | None = None
    test_cue: re.Pattern[str] | None = None
    pretest_cue: re.Pattern[str] | None = None
    history_lead: re.Pattern[str] | None = None
    complaint_lead: re.Pattern[str] | None = None
    other_organ_study: re.Pattern[str] | None = None
    # a diagnostic CT of another purpose ("CT chest (PE protocol)", "CTPA"): its incidental coronary calcium is not the
    # study's own calcium
    other_ct_study: re.Pattern[str] | None = None
    cardiac_word: re.Pattern[str] | None = None
    # the parts of another organ that a defect is placed in ("the right lower lobe"): the study is of that organ
    other_organ_anatomy: re.Pattern[str] | None = None
    indication_symptom: re.Pattern[str] | None = None
    indication_rationale: re.Pattern[str] | None = None
    indication_narration: re.Pattern[str] | None = None
    indication_stress_choice: re.Pattern[str] | None = None
    # the study named as the subject of a verdict, up to it ("The study is therefore reclassified as ")
    predicated_verdict: re.Pattern[str] | None = None
    # the study named as the subject of a sentence's verdict, however long the subject ("the exercise SPECT we
    # arranged for her breathlessness was "): a letter's verdict, with no header for an impression
    study_subject: re.Pattern[str] | None = None
    not_a_defect: re.Pattern[str] | None = None
    # a hedged attribution of a defect to a cause other than coronary disease ("likely related to LBBB")
    non_coronary_cause: re.Pattern[str] | None = None
    no_perfusion_imaging: re.Pattern[str] | None = None
    # a time before the test told with a symptom ("last month", "two weeks ago", "which has since resolved")
    past_episode_cue: re.Pattern[str] | None = None
    # a lead before a passage in double quotes that quotes another report ("That report read, in part:")
    quoted_report_lead: re.Pattern[str] | None = None
    # the title of a trainee's preliminary read, which a later read of the report may supersede
    preliminary_read: re.Pattern[str] | None = None
    # the title of the final read that replaces a preliminary one ("FINAL REPORT", "Final interpretation")
    final_read: re.Pattern[str] | None = None
    # a gap a transcriptionist marks where the audio could not be resolved ("[inaudible]", "[unintelligible]")
    dictation_gap: re.Pattern[str] | None = None
    # the column names of a table of defects, one a row: where the defect lies, and what grades it
    defect_table_place: re.Pattern[str] | None = None
    defect_table_grade: re.Pattern[str] | None = None
    # a cell of such a table that grades no abnormality ("normal", "-"): a row of only these lists no defect
    defect_table_normal_cell: re.Pattern[str] | None = None
    checkboxes: Checkboxes | None = None
    # the head of a table's column of an earlier study's values, and of the current study's ("Prior 03/16/2021",
    # "Current"): a table of both side by side gives the study's values in the current column only
    prior_column_head: re.Pattern[str] | None = None
    current_column_head: re.Pattern[str] | None = None
    # a template field's answer that it was not done or does not apply ("N/A", "Not performed"): the key's words
    # state nothing ("Pharmacologic agent ..... N/A" names no agent)
    unanswered_value: re.Pattern[str] | None = None
    misspelt_names: MisspeltNames | None = None
    misspelt_words: MisspeltNames | None = None
    ocr_confusions: OcrConfusions | None = None
    dictation: Dictation | None = None
    # a table of the test's vital signs with a column per measure and a row per phase ("HR (bpm)  BP (mmHg)" over
    # "Rest  68  132/76"): the heads of its heart-rate and pressure columns, and the labels of its rest and peak rows
    vitals_table_hr_head: re.Pattern[str] | None = None
    vitals_table_bp_head: re.Pattern[str] | None = None
    vitals_table_rest_row: re.Pattern[str] | None = None
    vitals_table_peak_row: re.Pattern[str] | None = None
    # a table of the study's measures with a column per phase ("PARAMETER  STRESS  REST  PRIOR" over "LVEF (%)  55
    # 59  60"): the labels of its rows of an LVEF and of a global flow, besides the heart-rate and pressure heads
    phase_table_lvef_row: re.Pattern[str] | None = None
    phase_table_mbf_row: re.Pattern[str] | None = None
    # a table of segmental scores with a stress and a rest column ("Seg  Location  Stress  Rest"): the label of its
    # row of sums ("SUMMED SCORE  7  1") and the heads of its stress, rest and difference columns
    score_table_sum_row: re.Pattern[str] | None = None
    score_table_stress_head: re.Pattern[str] | None = None
    score_table_rest_head: re.Pattern[str] | None = None
    score_table_difference_head: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class Dictation:
    """An unpunctuated speech-recognition dictation and the homophones speech recognition writes (``wording.json``
    "dictation"; ``extraction.pipeline.dictation_view``)."""

    min_words: int
    max_marks_per_100_words: int
    spoken_marks: tuple[tuple[str, re.Pattern[str]], ...]  # (the mark, the words said for it)
    clause_start: re.Pattern[str]
    headers: frozenset[str]
    not_a_mark_before: frozenset[str] = frozenset()
    not_a_header_after: frozenset[str] = frozenset()
    not_a_header_before: frozenset[str] = frozenset()
    # the first words of an introductory clause, whose main clause goes on in the same statement
    introductory_openers: frozenset[str] = frozenset()
    # (the word meant, the word written for it, words after which it stays, words before which it stays)
    homophones: tuple[tuple[str, str, frozenset[str], frozenset[str]], ...] = ()
    # a spoken self-correction in any text ("seven minutes, correction, eight minutes"): the words said to retract
    # what came before, set off by a comma before them
    self_correction: re.Pattern[str] | None = None


def _homophones(obj: Any, where: str) -> tuple[tuple[str, str, frozenset[str], frozenset[str]], ...]:
    if not isinstance(obj, dict):
        raise ConfigError("invalid rule file", [FieldProblem(where, "must be an object")])
    out = []
    for meant, item in obj.items():
        if meant == "comment":
            continue
        if not isinstance(item, dict):
            raise ConfigError("invalid rule file", [FieldProblem(f"{where}.{meant}", "must be an object")])
        _check_keys(item, {"written", "not_after", "not_before"}, {"written"}, f"{where}.{meant}")
        for written in _str_list(item["written"], f"{where}.{meant}.written"):
            if len(written) < len(meant):
                problem = FieldProblem(
                    f"{where}.{meant}.written", "must be as long as the word meant or longer", written
                )
                raise ConfigError("invalid rule file", [problem])
            out.append(
                (
                    meant,
                    written.lower(),
                    _word_set(item.get("not_after", []), f"{where}.{meant}.not_after"),
                    _word_set(item.get("not_before", []), f"{where}.{meant}.not_before"),
                )
            )
    return tuple(out)


def _word_set(obj: Any, where: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _str_list(obj, where))


def _dictation(obj: Any) -> Dictation | None:
    if obj is None:
        return None
    where = "dictation"
    if not isinstance(obj, dict):
        raise ConfigError("invalid rule file", [FieldProblem(where, "must be an object")])
    required = {"min_words", "max_marks_per_100_words", "spoken_marks", "clause_starts", "headers"}
    optional = {"comment", "not_a_mark_before", "not_a_header_after", "not_a_header_before", "homophones"}
    optional |= {"introductory_openers", "self_corrections"}
    _check_keys(obj, required | optional, required, where)
    numbers = []
    for key, low, high in (("min_words", 10, 1000), ("max_marks_per_100_words", 0, 20)):
        n = obj[key]
        if not isinstance(n, int) or isinstance(n, bool) or not low <= n <= high:
            problem = FieldProblem(f"{where}.{key}", f"must be an integer {low}-{high}", n)
            raise ConfigError("invalid rule file", [problem])
        numbers.append(n)
    marks = obj["spoken_marks"]
    if not isinstance(marks, dict) or not marks:
        raise ConfigError("invalid rule file", [FieldProblem(f"{where}.spoken_marks", "must be a non-empty object")])
    spoken = []
    for mark, patterns in marks.items():
        if mark not in {".", ";", ",", "\n", "\n\n"}:
            raise ConfigError("invalid rule file", [FieldProblem(f"{where}.spoken_marks", "unknown mark", mark)])
        alt = _alternation(_str_list(patterns, f"{where}.spoken_marks.{mark}"), f"{where}.spoken_marks")
        # a mark is said after a word (or a comma the recogniser wrote), as a word of its own
        spoken.append((mark, _regex(rf"(?<=[\w,] )(?:{alt})(?![\w-])", f"{where}.spoken_marks")))
    starts = _alternation(_str_list(obj["clause_starts"], f"{where}.clause_starts"), f"{where}.clause_starts")
    return Dictation(
        numbers[0],
        numbers[1],
        tuple(spoken),
        _regex(rf"(?<=\w )(?:{starts})", f"{where}.clause_starts"),
        _word_set(obj["headers"], f"{where}.headers"),
        _word_set(obj.get("not_a_mark_before", []), f"{where}.not_a_mark_before"),
        _word_set(obj.get("not_a_header_after", []), f"{where}.not_a_header_after"),
        _word_set(obj.get("not_a_header_before", []), f"{where}.not_a_header_before"),
        _word_set(obj.get("introductory_openers", []), f"{where}.introductory_openers"),
        _homophones(obj.get("homophones", {}), f"{where}.homophones"),
        _self_correction(obj.get("self_corrections"), f"{where}.self_corrections"),
    )


def _self_correction(obj: Any, where: str) -> re.Pattern[str] | None:
    """The words of a spoken self-correction, said after a comma and followed by a comma or a blank (group "cue")."""
    if obj is None:
        return None
    alt = _alternation(_str_list(obj, where), where)
    return _regex(rf"(?<=\w),[ \t]+(?P<cue>(?:{alt}))(?![\w-])[ \t]*,?[ \t]*(?=\w)", where)


@dataclass(frozen=True, slots=True)
class MisspeltNames:
    """Misspellings of drug and tracer names (``wording.json`` "misspelt_names"): a word of at least
    ``min_length`` letters within ``max_edits`` edits of a one-word phrase of one of ``labels``."""

    labels: frozenset[str]
    min_length: int
    max_edits: int
    words: frozenset[str] = frozenset()  # only these words of the phrases are corrected (all, when empty)


def _misspelt_names(obj: Any, where: str = "misspelt_names") -> MisspeltNames | None:
    if obj is None:
        return None
    if not isinstance(obj, dict):
        raise ConfigError("invalid rule file", [FieldProblem(where, "must be an object")])
    required = {"labels", "min_length", "max_edits"}
    _check_keys(obj, required | {"comment", "words"}, required, where)
    labels = _str_list(obj["labels"], f"{where}.labels")
    for label in labels:
        if label not in LABEL_VALUES:
            raise ConfigError("invalid rule file", [FieldProblem(f"{where}.labels", "unknown label", label)])
    min_length, max_edits = obj["min_length"], obj["max_edits"]
    if not isinstance(min_length, int) or isinstance(min_length, bool) or not 6 <= min_length <= 20:
        problem = FieldProblem(f"{where}.min_length", "must be an integer 6-20", min_length)
        raise ConfigError("invalid rule file", [problem])
    if not isinstance(max_edits, int) or isinstance(max_edits, bool) or not 1 <= max_edits <= 2:
        raise ConfigError("invalid rule file", [FieldProblem(f"{where}.max_edits", "must be 1 or 2", max_edits)])
    words = frozenset(w.lower() for w in _str_list(obj.get("words", []), f"{where}.words"))
    return MisspeltNames(frozenset(labels), min_length, max_edits, words)


@dataclass(frozen=True, slots=True)
class OcrConfusions:
    """Digits and letters that OCR confuses (``wording.json`` "ocr_confusions"; ``extraction.pipeline.ocr_view``)."""

    in_numbers: dict[str, str]  # a letter written where its digit was meant ("l" -> "1")
    in_words: dict[str, str]  # a digit (or a capital) written where one of its letters was meant ("1" -> "li")
    min_word_length: int
    words: frozenset[str]  # words repaired besides those of the rule files' own vocabulary
    # letters (one or two) that OCR writes for a letter of a header ("lndication", "Findinqs", "Technlque")
    in_headers: tuple[tuple[str, str], ...] = ()
    # words shorter than min_word_length repaired all the same ("N0" -> "No"): only these, a negation's own
    short_words: frozenset[str] = frozenset()
    # words a scan may split with a hyphen at the end of a line ("infarc-\ntion"), besides the rule files' own
    hyphen_words: frozenset[str] = frozenset()


def _single_chars(obj: Any, where: str, keys_are: str, values_are: str) -> dict[str, str]:
    if not isinstance(obj, dict) or not obj:
        raise ConfigError("invalid rule file", [FieldProblem(where, "must be a non-empty object")])
    for key, value in obj.items():
        ok = len(key) == 1 and getattr(key, keys_are)() and isinstance(value, str) and value
        if not ok or not all(getattr(c, values_are)() for c in value):
            what = f"must map one {keys_are[2:]} character to {values_are[2:]}"
            problem = FieldProblem(f"{where}.{key}", what, value)
            raise ConfigError("invalid rule file", [problem])
    return dict(obj)


def _ocr_confusions(obj: Any) -> OcrConfusions | None:
    if obj is None:
        return None
    where = "ocr_confusions"
    keys = {"comment", "in_numbers", "in_words", "min_word_length", "words", "in_headers", "short_words"}
    _check_keys(obj, keys | {"hyphen_words"}, {"in_numbers", "in_words", "min_word_length"}, where)
    in_numbers = _single_chars(obj["in_numbers"], f"{where}.in_numbers", "isalpha", "isdigit")
    in_words = _single_chars(obj["in_words"], f"{where}.in_words", "isalnum", "isalpha")
    length = obj["min_word_length"]
    if not isinstance(length, int) or isinstance(length, bool) or not 3 <= length <= 12:
        raise ConfigError("invalid rule file", [FieldProblem(f"{where}.min_word_length", "must be 3-12", length)])
    words = _str_list(obj.get("words", []), f"{where}.words") if obj.get("words") else ()
    in_headers = _header_confusions(obj.get("in_headers", {}), f"{where}.in_headers")
    short = _str_list(obj.get("short_words", []), f"{where}.short_words") if obj.get("short_words") else ()
    lowered = frozenset(w.lower() for w in words)
    hyphen = _word_set(obj.get("hyphen_words", []), f"{where}.hyphen_words")
    return OcrConfusions(in_numbers, in_words, length, lowered, in_headers, frozenset(w.lower() for w in short), hyphen)


def _header_confusions(obj: Any, where: str) -> tuple[tuple[str, str], ...]:
    """The pairs (as OCR writes it, as meant) of "in_headers", the longer written forms first (read in that
    order: "rn" before "r")."""
    if not isinstance(obj, dict):
        raise ConfigError("invalid rule file", [FieldProblem(where, "must be an object")])
    for key, value in obj.items():
        meant = isinstance(value, str) and len(value) == 1 and value.isalpha()
        if not (1 <= len(key) <= 2 and key.isalnum() and meant):
            problem = FieldProblem(f"{where}.{key}", "must map one or two letters or digits to one letter", value)
            raise ConfigError("invalid rule file", [problem])
    return tuple(sorted(((k.lower(), v.lower()) for k, v in obj.items()), key=lambda kv: -len(kv[0])))


@dataclass(frozen=True, slots=True)
class Checkboxes:
    """Checkbox templates (``wording.json`` "checkboxes"): the box marker decides whether its item is a statement."""

    box: re.Pattern[str]  # any box marker; group "checked" when it is checked
    polarity_labels: frozenset[str]  # concepts that an unchecked box denies rather than leaves unsaid
    free_text_label: re.Pattern[str] | None  # "Other:" after a list: the writer's own answer follows


@dataclass(frozen=True, slots=True)
class WordingTarget:
    """A concept found by a regular expression over the text (``wording.json`` "targets").

    For families of wording too open for phrases ("uptake is moderately reduced", "normalises at
    rest"): the pipeline adds each match to the concept spans before ConText, so negation and
    uncertainty apply as to any concept. The span is the match's group "t" when it has one.
    """

    label: str
    value: str | None
    pattern: re.Pattern[str]
    anchors: tuple[str, ...] = ()  # lower-case strings one of which every match contains


@dataclass(frozen=True, slots=True)
class ElidedLabels:
    """Measures named by their qualifiers around one head they share (``wording.json`` "elided_labels"): "summed
    stress, rest, and difference scores" names the SSS, the SRS and the SDS, in that order. ``pattern``'s group "q"
    is the run of qualifiers; ``qualifiers`` gives each qualifier's label."""

    pattern: re.Pattern[str]
    qualifiers: Mapping[str, str]


# What joins the qualifiers of an elided list: a comma (with "and" after it or not), a slash, "&" or "and".
_ELIDED_JOIN = r"\s*(?:,\s*(?:and\s+|&\s*)?|/|&|\band\b)\s*"


def _elided_labels(obj: Any) -> tuple[ElidedLabels, ...]:
    if not isinstance(obj, list):
        raise ConfigError("invalid rule file", [FieldProblem("elided_labels", "must be a list")])
    out = []
    for i, item in enumerate(obj):
        where = f"elided_labels[{i}]"
        _check_keys(item, {"pattern", "qualifiers", "comment"}, {"pattern", "qualifiers"}, where)
        qualifiers = item["qualifiers"]
        if not isinstance(qualifiers, dict) or not qualifiers:
            raise ConfigError("invalid rule file", [FieldProblem(f"{where}.qualifiers", "must be a non-empty object")])
        for word, label in qualifiers.items():
            if label not in LABEL_VALUES or LABEL_VALUES[label] is not None or word != word.lower():
                raise ConfigError(
                    "invalid rule file", [FieldProblem(f"{where}.qualifiers", "a lower-case word to a measure", word)]
                )
        pattern = item["pattern"]
        if not isinstance(pattern, str) or pattern.count("{q}") != 1:
            raise ConfigError("invalid rule file", [FieldProblem(f"{where}.pattern", "must hold {q} once", pattern)])
        word = "(?:" + "|".join(re.escape(w) for w in sorted(qualifiers, key=len, reverse=True)) + ")"
        run = rf"(?P<q>{word}(?:{_ELIDED_JOIN}{word}){{1,{len(qualifiers) - 1}}})"
        compiled = _regex(r"(?<![\w-])" + pattern.replace("{q}", run) + r"(?![\w])", f"{where}.pattern")
        out.append(ElidedLabels(compiled, dict(qualifiers)))
    return tuple(out)


def _regex(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ConfigError("invalid rule file", [FieldProblem(where, f"invalid regular expression: {exc}")]) from exc


def _alternation(patterns: tuple[str, ...], where: str) -> str:
    for i, p in enumerate(patterns):
        _regex(p, f"{where}[{i}]")
    return "|".join(f"(?:{p})" for p in patterns)


def _value_patterns(obj: Any, allowed: tuple[str, ...], where: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    if not isinstance(obj, dict):
        raise ConfigError("invalid rule file", [FieldProblem(where, "must be an object")])
    out = []
    for value, patterns in obj.items():
        if value not in allowed:
            raise ConfigError("invalid rule file", [FieldProblem(where, f"must be one of {list(allowed)}", value)])
        alt = _alternation(_str_list(patterns, f"{where}.{value}"), f"{where}.{value}")
        out.append((value, _regex(rf"(?<![\w-])(?:{alt})(?![\w])", f"{where}.{value}")))
    return tuple(out)


@functools.cache
def load_wording(path: Path | None = None) -> Wording:
    """Sentence-level wording families from ``wording.json``, values checked against the vocabulary."""
    data = _read(path or resource_path("wording.json"))
    keys = {"ecg_cues", "ecg_verdicts", "title_verdicts", "study_nouns", "title_max_words", "title_stop_words"}
    _check_keys(
        data,
        keys
        | {"description", "protocol_order", "targets", "date_day_first", "closing_headers", "patient_cues"}
        | {"other_organ_studies", "cardiac_words", "indication_symptoms", "indication_rationale", "test_cues"}
        | {"indication_stress_choice", "indication_narration"}
        | {"other_test_nouns"}
        | {"history_leads", "complaint_leads", "title_leads", "title_openers", "not_a_defect", "no_perfusion_imaging"}
        | {"non_coronary_causes", "other_ct_studies", "other_organ_anatomy"}
        | {"title_qualifiers"}
        | {"checkboxes", "date_order_words", "pretest_cues", "misspelt_names", "misspelt_words", "ocr_confusions"}
        | {"defect_table_places", "defect_table_grades", "past_episode_cues", "quoted_report_leads"}
        | {"defect_table_normal_cells", "preliminary_reads", "elided_labels", "final_reads"}
        | {"dictation_gaps"}
        | {"dictation", "prior_column_heads", "current_column_heads", "unanswered_values"}
        | {"vitals_table_hr_heads", "vitals_table_bp_heads", "vitals_table_rest_rows", "vitals_table_peak_rows"}
        | {"phase_table_lvef_rows", "phase_table_mbf_rows"}
        | {"score_table_sum_rows", "score_table_stress_heads", "score_table_rest_heads"}
        | {"score_table_difference_heads"},
        keys,
        "$",
    )
    cue = _alternation(_str_list(data["ecg_cues"], "ecg_cues"), "ecg_cues")
    max_words = data["title_max_words"]
    if not isinstance(max_words, int) or not 0 <= max_words <= 12:
        raise ConfigError("invalid rule file", [FieldProblem("title_max_words", "must be an integer 0-12", max_words)])
    title_values: dict[str, str] = {}
    verdicts = data["title_verdicts"]
    if not isinstance(verdicts, dict):
        raise ConfigError("invalid rule file", [FieldProblem("title_verdicts", "must be an object")])
    groups = []
    for i, (value, patterns) in enumerate(verdicts.items()):
        if value not in _RESULTS:
            raise ConfigError(
                "invalid rule file", [FieldProblem("title_verdicts", f"must be one of {list(_RESULTS)}", value)]
            )
        groups.append(
            f"(?P<v{i}>{_alternation(_str_list(patterns, f'title_verdicts.{value}'), f'title_verdicts.{value}')})"
        )
        title_values[f"v{i}"] = value
    nouns = _alternation(_str_list(data["study_nouns"], "study_nouns"), "study_nouns")
    other_tests = _str_list(data.get("other_test_nouns", []), "other_test_nouns")
    title_nouns = f"{nouns}|{_alternation(other_tests, 'other_test_nouns')}" if other_tests else nouns
    stops = _alternation(
        tuple(re.escape(w) for w in _str_list(data["title_stop_words"], "title_stop_words")), "title_stop_words"
    )
    # words that may stand before the verdict of a title ("High-risk abnormal ... MPI")
    leads = _str_list(data.get("title_leads", []), "title_leads")
    lead = rf"(?:(?:{_alternation(leads, 'title_leads')})\s+)?" if leads else ""
    # a comparison that may qualify the verdict before its study noun ("Abnormal but stable myocardial perfusion study")
    qualifiers = _str_list(data.get("title_qualifiers", []), "title_qualifiers")
    qualifier = rf"(?:,?\s+(?:{_alternation(qualifiers, 'title_qualifiers')}))?" if qualifiers else ""
    # words that may open a summing-up sentence before its verdict ("In summary a pathological finding")
    openers = _str_list(data.get("title_openers", []), "title_openers")
    opener = rf"(?:(?:{_alternation(openers, 'title_openers')})[\s,:]+)?" if openers else ""
    # A verdict opening a sentence (after a list number or "This is a"), words that are no stop word, a study noun.
    title = (
        r"^[\s\W]*(?:\d{1,2}[.)]\s*)?"
        + opener
        + r"(?:(?:this|it)\s+(?:is|was)\s+)?(?:an?\s+|the\s+)?"
        + lead
        + r"(?:(?:mildly|moderately|severely|markedly|minimally|slightly|strongly|weakly|clearly|definitely)\s+)?"
        rf"(?:{'|'.join(groups)})(?![\w])"
        + qualifier
        + rf"(?:[\s,/-]+(?!(?:{stops})(?![\w]))[\w+/()-]+){{0,{max_words}}}?[\s,/-]+(?:{title_nouns})(?![\w])"
    )
    protocol = _value_patterns(data.get("protocol_order", {}), SCHEMA_PROTOCOLS, "protocol_order")
    return Wording(
        # an underscore separates the words of a vendor key ("ECG_Response: NEGATIVE")
        # and a capital the words of an identifier key ("StressEcgResult: Negative")
        ecg_cue=_regex(
            rf"(?:(?<![^\W_])(?<!-)|(?-i:(?<=[a-z])(?=[A-Z])))(?:{cue})(?:(?![^\W_])|(?-i:(?<=[a-z])(?=[A-Z])))",
            "ecg_cues",
        ),
        ecg_verdicts=_value_patterns(data["ecg_verdicts"], tuple(e.value for e in EcgResponse), "ecg_verdicts"),
        title_verdict=_regex(title, "title_verdicts"),
        title_values=title_values,
        other_test_noun=_optional_alternation(data.get("other_test_nouns"), "other_test_nouns"),
        protocol_order=protocol,
        targets=_targets(data.get("targets", [])),
        elided_labels=_elided_labels(data.get("elided_labels", [])),
        misspelt_names=_misspelt_names(data.get("misspelt_names")),
        misspelt_words=_misspelt_names(data.get("misspelt_words"), "misspelt_words"),
        ocr_confusions=_ocr_confusions(data.get("ocr_confusions")),
        dictation=_dictation(data.get("dictation")),
        date_day_first=_optional_regex(data.get("date_day_first"), "date_day_first"),
        date_order_words=_date_order_words(data.get("date_order_words")),
        date_day_first_writing=_optional_alternation(
            (data.get("date_order_words") or {}).get("day_first_writing"), "date_order_words.day_first_writing"
        ),
        patient_cue=_optional_alternation(data.get("patient_cues"), "patient_cues"),
        test_cue=_optional_alternation(data.get("test_cues"), "test_cues"),
        pretest_cue=_optional_alternation(data.get("pretest_cues"), "pretest_cues"),
        history_lead=_optional_alternation(data.get("history_leads"), "history_leads"),
        complaint_lead=_optional_alternation(data.get("complaint_leads"), "complaint_leads"),
        other_organ_study=_optional_alternation(data.get("other_organ_studies"), "other_organ_studies"),
        other_ct_study=_optional_alternation(data.get("other_ct_studies"), "other_ct_studies"),
        cardiac_word=_optional_alternation(data.get("cardiac_words"), "cardiac_words"),
        other_organ_anatomy=_optional_alternation(data.get("other_organ_anatomy"), "other_organ_anatomy"),
        indication_symptom=_optional_alternation(data.get("indication_symptoms"), "indication_symptoms"),
        indication_rationale=_optional_alternation(data.get("indication_rationale"), "indication_rationale"),
        indication_narration=_optional_alternation(data.get("indication_narration"), "indication_narration"),
        indication_stress_choice=_optional_alternation(
            data.get("indication_stress_choice"), "indication_stress_choice"
        ),
        not_a_defect=_optional_alternation(data.get("not_a_defect"), "not_a_defect"),
        non_coronary_cause=_optional_alternation(data.get("non_coronary_causes"), "non_coronary_causes"),
        no_perfusion_imaging=_optional_alternation(data.get("no_perfusion_imaging"), "no_perfusion_imaging"),
        past_episode_cue=_optional_alternation(data.get("past_episode_cues"), "past_episode_cues"),
        quoted_report_lead=_optional_alternation(data.get("quoted_report_leads"), "quoted_report_leads"),
        preliminary_read=_optional_alternation(data.get("preliminary_reads"), "preliminary_reads"),
        final_read=_optional_alternation(data.get("final_reads"), "final_reads"),
        dictation_gap=_optional_regex(data.get("dictation_gaps"), "dictation_gaps"),
        defect_table_place=_optional_alternation(data.get("defect_table_places"), "defect_table_places"),
        defect_table_grade=_optional_alternation(data.get("defect_table_grades"), "defect_table_grades"),
        defect_table_normal_cell=_optional_alternation(
            data.get("defect_table_normal_cells"), "defect_table_normal_cells"
        ),
        closing_headers=frozenset(h.lower() for h in _str_list(data.get("closing_headers", ["-"]), "closing_headers")),
        predicated_verdict=_regex(
            rf"\b(?:{nouns}|impression|interpretation|conclusion)\b[^.;]{{0,60}}?\b(?:is|was|be|as|to)\s+$",
            "study_nouns",
        ),
        study_subject=_regex(
            # "Overall, the result is mildly abnormal": a letter names the study by its result too
            rf"\b(?:{nouns}|result|results)\b(?P<rest>[^.;:!?\n]{{0,160}}?)\b(?P<verb>is|was|were|are|came\s+back|proved|"
            r"turned\s+out|"
            # "the images were read by Dr. Lee as normal": a reader's verdict on the study, named by the reading
            r"(?:read|interpreted|reported)(?:\s+by\s+[^;:!?\n]{1,60}?)?\s+as)"
            r"(?:\s+to\s+be)?\s+(?:(?:entirely|completely|totally|quite|fully|perfectly|mildly|slightly|minimally|"
            r"moderately|markedly|severely|clearly|definitely)\s+)?$",
            "study_nouns",
        ),
        checkboxes=_checkboxes(data.get("checkboxes")),
        prior_column_head=_optional_alternation(data.get("prior_column_heads"), "prior_column_heads"),
        current_column_head=_optional_alternation(data.get("current_column_heads"), "current_column_heads"),
        unanswered_value=_optional_alternation(data.get("unanswered_values"), "unanswered_values"),
        vitals_table_hr_head=_optional_alternation(data.get("vitals_table_hr_heads"), "vitals_table_hr_heads"),
        vitals_table_bp_head=_optional_alternation(data.get("vitals_table_bp_heads"), "vitals_table_bp_heads"),
        vitals_table_rest_row=_optional_alternation(data.get("vitals_table_rest_rows"), "vitals_table_rest_rows"),
        vitals_table_peak_row=_optional_alternation(data.get("vitals_table_peak_rows"), "vitals_table_peak_rows"),
        phase_table_lvef_row=_optional_alternation(data.get("phase_table_lvef_rows"), "phase_table_lvef_rows"),
        phase_table_mbf_row=_optional_alternation(data.get("phase_table_mbf_rows"), "phase_table_mbf_rows"),
        score_table_sum_row=_optional_alternation(data.get("score_table_sum_rows"), "score_table_sum_rows"),
        score_table_stress_head=_optional_alternation(data.get("score_table_stress_heads"), "score_table_stress_heads"),
        score_table_rest_head=_optional_alternation(data.get("score_table_rest_heads"), "score_table_rest_heads"),
        score_table_difference_head=_optional_alternation(
            data.get("score_table_difference_heads"), "score_table_difference_heads"
        ),
    )


def _checkboxes(obj: Any) -> Checkboxes | None:
    if obj is None:
        return None
    keys = {"comment", "checked", "unchecked", "polarity_labels", "free_text_labels"}
    _check_keys(obj, keys, {"checked", "unchecked"}, "checkboxes")
    checked = _alternation(_str_list(obj["checked"], "checkboxes.checked"), "checkboxes.checked")
    unchecked = _alternation(_str_list(obj["unchecked"], "checkboxes.unchecked"), "checkboxes.unchecked")
    labels = _str_list(obj.get("polarity_labels", []), "checkboxes.polarity_labels")
    for label in labels:
        if label not in LABEL_VALUES:
            raise ConfigError("invalid rule file", [FieldProblem("checkboxes.polarity_labels", "unknown label", label)])
    free = obj.get("free_text_labels")
    return Checkboxes(
        box=_regex(f"(?P<checked>{checked})|(?:{unchecked})", "checkboxes"),
        polarity_labels=frozenset(labels),
        free_text_label=None
        if free is None
        else _regex(
            rf"(?<![\w-])(?:{_alternation(_str_list(free, 'checkboxes.free_text_labels'), 'checkboxes')})[ \t]*:",
            "checkboxes.free_text_labels",
        ),
    )


def _optional_alternation(obj: Any, where: str) -> re.Pattern[str] | None:
    if obj is None:
        return None
    return _regex(rf"(?<![\w-])(?:{_alternation(_str_list(obj, where), where)})(?![\w])", where)


def _optional_regex(obj: Any, where: str) -> re.Pattern[str] | None:
    """An alternation of regular expressions matched as written, no word boundaries added (a dictation gap mark is
    bracketed; the day-first dates carry their own)."""
    if obj is None:
        return None
    return _regex(_alternation(_str_list(obj, where), where), where)


def _date_order_words(obj: Any) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    if obj is None:
        return None, None
    _check_keys(obj, {"comment", "day_first", "day_first_writing", "month_first"}, set(), "date_order_words")
    day = [*_str_list(obj.get("day_first", []), "date_order_words.day_first")]
    day += _str_list(obj.get("day_first_writing", []), "date_order_words.day_first_writing")
    return (
        _optional_alternation(day or None, "date_order_words.day_first"),
        _optional_alternation(obj.get("month_first"), "date_order_words.month_first"),
    )


def _targets(obj: Any) -> tuple[WordingTarget, ...]:
    if not isinstance(obj, list):
        raise ConfigError("invalid rule file", [FieldProblem("targets", "must be a list")])
    out = []
    for i, item in enumerate(obj):
        where = f"targets[{i}]"
        _check_keys(item, {"label", "value", "patterns", "anchors", "comment"}, {"label", "patterns", "anchors"}, where)
        label, value = item["label"], item.get("value")
        if label not in LABEL_VALUES or label == "IGNORE":
            raise ConfigError("invalid rule file", [FieldProblem(f"{where}.label", "unknown label", label)])
        allowed = LABEL_VALUES[label]
        if (allowed is None) != (value is None) or (allowed is not None and value not in allowed):
            raise ConfigError(
                "invalid rule file",
                [FieldProblem(f"{where}.value", f"must be one of {list(allowed or ())}", value)],
            )
        alt = _alternation(_str_list(item["patterns"], f"{where}.patterns"), f"{where}.patterns")
        anchors = _str_list(item["anchors"], f"{where}.anchors")
        if any(a != a.lower() for a in anchors):
            raise ConfigError("invalid rule file", [FieldProblem(f"{where}.anchors", "must be lower-case", anchors)])
        # a match may open after an underscore: the words of a vendor key after its record name ("QGS_LVSize")
        pattern = _regex(rf"(?<![^\W_])(?<!-)(?:{alt})(?![\w])", f"{where}.patterns")
        out.append(WordingTarget(label, value, pattern, anchors))
    return tuple(out)
