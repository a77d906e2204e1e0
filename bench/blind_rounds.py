"""Does the product get better on text no fixer has seen? The blind sets' first scorings, pooled by round.

Every blind set (issues 15 and 16) was scored once before anyone read it, with the code of its day; that
first scoring is the only unseen figure it gives. One set of 20-25 impressions (or 8 reports) moves by ten
points when two impressions change, so a sealed set scored before and after one round of fixes cannot show a
gain of a few points. Pooling the first scorings of the sets scored after the same number of rounds of fixes
can: this prints, per band of rounds, the pooled clean rate and recall of the guardrails (impressions and
corruptions summed over the band's sets) and the mean field and defect F1 of the structuring (per-set F1, as
the set READMEs give it).

The figures are kept in ``bench/data/blind_rounds.json`` (one entry per set: the number of rounds of fixes
the code had when the set was first scored, whether it was a sealed test set, and the first scoring as the
set's README and the README's blind-round tables give it, and for the sets from dev8 on the recall per
corruption type printed by that first scoring; the impression and corruption counts of every set now in
``bench/data`` are checked against its files by ``tests/test_blind_rounds.py``). Then, per band, the recall
per corruption type pooled over the band's sets that have it, weakest first.

    python bench/blind_rounds.py [--bands 1-3,4-5,6-7,8-9,10-11,12-13,14-15,16-17,18-19]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

RECORD = Path(__file__).resolve().parent / "data" / "blind_rounds.json"


def bands_of(spec: str) -> list[tuple[int, int]]:
    """``"1-3,4-5,6"`` -> ``[(1, 3), (4, 5), (6, 6)]``."""
    out = []
    for part in spec.split(","):
        low, _, high = part.strip().partition("-")
        out.append((int(low), int(high or low)))
    return out


def pooled(record: dict[str, Any], band: tuple[int, int]) -> dict[str, Any]:
    """The band's sets and their pooled figures (None where the band has no set of that kind)."""
    low, high = band
    guard = [s for s in record["guardrails"] if low <= s["rounds_of_fixes"] <= high]
    struct = [s for s in record["structuring"] if low <= s["rounds_of_fixes"] <= high]
    impressions = sum(s["impressions"] for s in guard)
    corruptions = sum(s["corruptions"] for s in guard)
    return {
        "guard_sets": len(guard),
        "impressions": impressions,
        "clean": sum(s["clean"] for s in guard),
        "clean_rate": sum(s["clean"] for s in guard) / impressions if impressions else None,
        "corruptions": corruptions,
        "detected": sum(s["detected"] for s in guard),
        "recall": sum(s["detected"] for s in guard) / corruptions if corruptions else None,
        "struct_sets": len(struct),
        "field_f1": sum(s["field_f1"] for s in struct) / len(struct) if struct else None,
        "defect_f1": sum(s["defect_f1"] for s in struct) / len(struct) if struct else None,
    }


def recall_by_type(record: dict[str, Any], band: tuple[int, int]) -> tuple[int, dict[str, tuple[int, int]]]:
    """How many of the band's guardrail sets have their recall per type, and (corruptions, detected) per type
    summed over those sets."""
    low, high = band
    sets = [s for s in record["guardrails"] if low <= s["rounds_of_fixes"] <= high and "by_type" in s]
    out: dict[str, tuple[int, int]] = {}
    for s in sets:
        for kind, (n, detected) in s["by_type"].items():
            total, found = out.get(kind, (0, 0))
            out[kind] = (total + n, found + detected)
    return len(sets), out


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bands",
        default="1-3,4-5,6-7,8-9,10-11,12-13,14-15,16-17,18-19",
        help="bands of rounds of fixes, e.g. 1-3,4-5",
    )
    args = parser.parse_args()
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    print("first scorings of the blind sets, pooled by the rounds of fixes the code had when each was scored")
    print(f"{'rounds':8} {'guard sets':>10} {'clean':>16} {'recall':>17}", end=" ")
    print(f"{'struct sets':>12} {'field F1':>9} {'defect F1':>10}")
    for band in bands_of(args.bands):
        p = pooled(record, band)
        name = f"{band[0]}-{band[1]}" if band[0] != band[1] else str(band[0])
        rate = None if p["clean_rate"] is None else 100 * p["clean_rate"]
        clean = f"{p['clean']}/{p['impressions']} {_fmt(rate, '5.1f')} %"
        recall = f"{p['detected']}/{p['corruptions']} {_fmt(p['recall'], '.3f')}"
        print(
            f"{name:8} {p['guard_sets']:>10} {clean:>16} {recall:>17} {p['struct_sets']:>12} "
            f"{_fmt(p['field_f1'], '.3f'):>9} {_fmt(p['defect_f1'], '.3f'):>10}"
        )
    for band in bands_of(args.bands):
        n, by_type = recall_by_type(record, band)
        if not n:
            continue
        ranked = sorted(by_type.items(), key=lambda kv: (kv[1][1] / kv[1][0], kv[0]))
        print(f"\nrounds {band[0]}-{band[1]}, recall per corruption type ({n} sets with it):")
        for kind, (total, found) in ranked:
            print(f"  {kind:20} {found:4d}/{total:<4d} {found / total:.3f}")
    print("\ngoals (issues 15, 16): clean 95 %, recall 0.98 per corruption type; field F1 0.95, defect F1 0.90")


if __name__ == "__main__":
    main()
