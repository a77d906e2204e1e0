"""The scoring of a single-edit battery (``bench/prior_attribution_battery.py``, ``bench/number_battery.py``,
``bench/negation_battery.py``): correct statements and find/replace corruptions of them, each verified alone
(``scope="full"``) as a physician's text. A correct statement with any error flag is a false error; a corruption
is detected when it raises an error flag the correct statement does not raise (of the given code families, where
given).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from guardrails import verify
from reporter.domain.study import Study
from reporter.inputs import load_study

ROOT = Path(__file__).parent.parent
#: Corruption kinds whose flag is a warning on a physician's text (advice: as ``WARNING_COUNTS`` of
#: ``bench/guardrail_corruptions.py``); a new warning detects them.
WARNING_KINDS = frozenset({"advice"})


def errors(text: str, study: Study, severities: tuple[str, ...] = ("error",)) -> set[str]:
    """The codes of the error flags (or of the given severities) of one statement."""
    return {f.code.value for f in verify(text, study, scope="full") if f.severity.value in severities}


def run(
    path: Path, show: int, *, families: tuple[str, ...] | None = None, round_: int | None = None
) -> tuple[int, int, dict[str, list[bool]]]:
    """Score a battery file; prints the flagged correct statements and the recall per kind (with up to ``show``
    misses each); returns (correct statements, clean ones, detections per kind)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    studies = [e for e in data["studies"] if round_ is None or e.get("round", 1) == round_]
    clean = passed = 0
    by_kind: dict[str, list[bool]] = defaultdict(list)
    misses: dict[str, list[str]] = defaultdict(list)
    for entry in studies:
        study = load_study(ROOT / entry["study"])
        name = Path(entry["study"]).stem
        texts = {s["id"]: s["text"] for s in entry["statements"]}
        own = {i: errors(t, study) for i, t in texts.items()}
        for s in entry["statements"]:
            clean += 1
            passed += not own[s["id"]]
            if own[s["id"]]:
                print(f"  correct statement flagged: {name}/{s['id']} ({s['style']}): {sorted(own[s['id']])}")
        for c in entry["corruptions"]:
            text = texts[c["of"]]
            if text.count(c["find"]) != 1:
                raise ValueError(f"{name}/{c['of']}: {c['find']!r} is not in the statement exactly once")
            if c["kind"] in WARNING_KINDS:
                both = ("error", "warning")
                new = errors(text.replace(c["find"], c["replace"]), study, both) - errors(text, study, both)
            else:
                new = errors(text.replace(c["find"], c["replace"]), study) - own[c["of"]]
            if families is not None:
                new = {code for code in new if code.startswith(families)}
            by_kind[c["kind"]].append(bool(new))
            if not new and len(misses[c["kind"]]) < show:
                misses[c["kind"]].append(f"{name}/{c['of']}: {c['find']!r} -> {c['replace']!r}")
    print(f"\ncorrect statements: {clean}, with no error flag: {passed} ({100 * passed / clean:.1f} %)\n")
    print(f"{'kind':22} {'n':>4} {'detected':>9} {'recall':>7}")
    for kind, hits in sorted(by_kind.items()):
        print(f"{kind:22} {len(hits):4d} {sum(hits):9d} {sum(hits) / len(hits):7.3f}")
        for m in misses[kind]:
            print(f"    missed: {m}")
    total = [h for hits in by_kind.values() for h in hits]
    print(f"{'all':22} {len(total):4d} {sum(total):9d} {sum(total) / len(total):7.3f}")
    return clean, passed, by_kind


def main(default: Path, description: str) -> None:
    """The command line of a battery script: ``[--battery FILE] [--show-misses N]``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--battery", type=Path, default=default)
    parser.add_argument("--show-misses", type=int, default=20)
    args = parser.parse_args()
    run(args.battery, args.show_misses)
