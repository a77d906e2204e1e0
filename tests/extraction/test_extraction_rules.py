"""Rule files are data, validated on load: unknown keys and values outside the vocabulary fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction.rules import load_concepts, load_context, load_sections, load_wording
from reporter.errors import ConfigError


def test_packaged_rule_files_load() -> None:
    assert load_concepts()
    assert load_sections()
    assert load_context().rules
    assert load_wording().ecg_verdicts


@pytest.mark.parametrize(
    "rules",
    [
        {"rules": [{"label": "TRACER", "value": "Tc-99m sestamibi", "phrases": ["mibi"], "colour": "red"}]},
        {"rules": [{"label": "TRACER", "value": "Tc-99m unobtainium", "phrases": ["x"]}]},
        {"rules": [{"label": "NOT_A_LABEL", "phrases": ["x"]}]},
        {"rules": [{"label": "SSS"}]},
        {"rules": [], "extra": 1},
    ],
)
def test_invalid_concept_files_are_refused(tmp_path: Path, rules: dict[str, object]) -> None:
    path = tmp_path / "concepts.json"
    path.write_text(json.dumps(rules), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_concepts(path)
    assert info.value.code == "E104"


def test_invalid_context_rule_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "context.json"
    path.write_text(json.dumps({"context_rules": [{"literal": "no", "category": "X", "scope": 3}]}))
    with pytest.raises(ConfigError):
        load_context(path)


_WORDING = {
    "ecg_cues": ["ecg"],
    "ecg_verdicts": {"nonischemic": ["negative"]},
    "title_verdicts": {"normal": ["normal"]},
    "study_nouns": ["study"],
    "title_max_words": 3,
    "title_stop_words": ["no"],
}


@pytest.mark.parametrize(
    "change",
    [
        {"ecg_verdicts": {"reassuring": ["fine"]}},  # not an ECG response of the vocabulary
        {"title_verdicts": {"great": ["great"]}},  # not a result
        {"protocol_order": {"rest-first": ["rest"]}},  # not a protocol
        {"ecg_cues": ["ecg("]},  # not a regular expression
        {"title_max_words": 40},
        {"colour": "red"},
        {"targets": [{"label": "DEFECT", "patterns": ["reduced uptake"]}]},  # no anchors
        {"targets": [{"label": "DEFECT", "patterns": ["reduced uptake"], "anchors": ["Reduc"]}]},  # not lower-case
        {"targets": [{"label": "REVERSIBILITY", "value": "gone", "patterns": ["x"], "anchors": ["x"]}]},
        {"targets": [{"label": "DEFECT", "value": "big", "patterns": ["x"], "anchors": ["x"]}]},  # DEFECT has none
        {"targets": [{"label": "IGNORE", "patterns": ["x"], "anchors": ["x"]}]},
        {"targets": [{"label": "DEFECT", "patterns": ["(x"], "anchors": ["x"]}]},
        {"date_day_first": ["(\\d"]},
        {"closing_headers": [""]},
        {"patient_cues": ["(referred"]},
    ],
)
def test_invalid_wording_files_are_refused(tmp_path: Path, change: dict[str, object]) -> None:
    path = tmp_path / "wording.json"
    path.write_text(json.dumps({**_WORDING, **change}), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_wording(path)
    assert info.value.code == "E104"


def test_importing_extraction_does_not_import_spacy() -> None:
    import subprocess
    import sys

    code = "import sys, extraction; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_no_phrase_belongs_to_two_concepts() -> None:
    # Two rules with the same phrase tie on length, and which one wins then depends on the matcher's order.
    from extraction.rules import load_concepts

    owner: dict[str, tuple[str, str | None]] = {}
    clashes = []
    for concept in load_concepts():
        for phrase in concept.phrases:
            key = phrase.lower()
            if owner.setdefault(key, (concept.label, concept.value)) != (concept.label, concept.value):
                clashes.append(phrase)
    assert clashes == []


def test_building_the_pipeline_imports_no_unused_package() -> None:
    # QuickUMLS (and through it NLTK, scikit-learn, SciPy) and PyTorch were half of the CLI's cold start.
    import subprocess
    import sys

    code = (
        "import sys; from extraction.pipeline import get_pipeline; get_pipeline(); "
        "print(sorted(m for m in ('quickumls', 'nltk', 'sklearn', 'scipy', 'torch', 'spacy.cli', 'weasel')"
        " if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_wording_targets_load_with_their_values() -> None:
    wording = load_wording()
    by_value = {(t.label, t.value) for t in wording.targets}
    assert ("DEFECT", None) in by_value
    assert ("REVERSIBILITY", "fixed") in by_value
    assert ("RESULT", "normal") in by_value
    assert "interpretation" in wording.closing_headers
    assert wording.date_day_first is not None and wording.date_day_first.search("09.10.2024")
