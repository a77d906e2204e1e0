"""Derived numbers in physicians' words: false errors on correct statements and detection of a wrong one.

Physicians write numbers a study implies but does not store: a Duke score from its inputs, a share of the LV
from a summed score, the % of the age-predicted maximal heart rate and the target, a heart-rate or pressure
rise, the double product, an LVEF change in points or relative %, a flow reserve from its MBF values, an
activity in another unit, an exercise time as min:s, a count of segments, the years since the prior. The
battery (``bench/data/number_battery.json``) was written by the num30 helper after reading the guardrails'
code (development material, not an unseen measure): for 8 studies of ``bench/data/physician_studies``, correct
statements in varied styles, and single-edit corruptions (find/replace) that make one derived number wrong.

Each statement is verified alone (``scope="full"``) as a physician's text. A correct statement with any error
flag is a false error; a corruption is detected when it raises an error flag (any code) that the correct
statement does not raise.

Before the rules of guardrails.facts._derived (main at bf1e05b): 36 of 63 correct statements clean (57.1 %), 43 of
80 wrong numbers detected (0.537; none of the heart-rate or pressure changes, double products, target rates or
years, most of them because the correct statement was already flagged). After: 62 of 63 clean (98.4 %; left: an
LVEF "3 points lower" than the prior read as a post-stress drop, G409), 80 of 80 detected.

    PYTHONPATH=$PWD python bench/number_battery.py [--show-misses 20]
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from guardrails import verify
from reporter.domain.study import Study
from reporter.inputs import load_study

BATTERY = Path(__file__).parent / "data" / "number_battery.json"
ROOT = Path(__file__).parent.parent


def _errors(text: str, study: Study) -> dict[str, str]:
    return {f.code.value: f.message for f in verify(text, study, scope="full") if f.severity.value == "error"}


def run(path: Path, show: int) -> tuple[int, int, dict[str, list[bool]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    clean = passed = 0
    by_kind: dict[str, list[bool]] = defaultdict(list)
    misses: dict[str, list[str]] = defaultdict(list)
    for entry in data["studies"]:
        study = load_study(ROOT / entry["study"])
        name = Path(entry["study"]).stem[:40]
        texts = {s["id"]: s["text"] for s in entry["statements"]}
        own = {i: _errors(t, study) for i, t in texts.items()}
        for s in entry["statements"]:
            clean += 1
            passed += not own[s["id"]]
            if own[s["id"]]:
                print(f"  correct statement flagged: {name}/{s['id']} ({s['style']}): {own[s['id']]}")
        for c in entry["corruptions"]:
            text = texts[c["of"]]
            if text.count(c["find"]) != 1:
                raise ValueError(f"{name}/{c['of']}: {c['find']!r} is not in the statement exactly once")
            new = set(_errors(text.replace(c["find"], c["replace"]), study)) - set(own[c["of"]])
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--battery", type=Path, default=BATTERY)
    parser.add_argument("--show-misses", type=int, default=20)
    args = parser.parse_args()
    run(args.battery, args.show_misses)


if __name__ == "__main__":
    main()
