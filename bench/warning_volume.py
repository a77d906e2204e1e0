"""Warning volume: how many correct physician impressions carry each warning code, and the reason each names.

A warning does not block signing, but one that fires on many correct impressions teaches the reader to skip it
(issue 15). Every correct impression of every released physician set (``bench/data/physician_impressions*``,
loaded by ``bench/guardrail_corruptions.py``'s ``physician_set``) is verified as that bench does
(``verify(text, study, scope="impression")``). Per warning code it prints the number of correct impressions
carrying it in each set and pooled, then the reasons its flags name (the message, numbers masked as ``#``,
with the evidence where the message does not hold it: the high-risk feature of a G506, the risk of a G507),
grouped and counted (a reason counts once per impression). Figures only; nothing is asserted.

On the 719 correct impressions of 31 sets (2026-12-07): before branch warn40 G506 298, G507 223, G503 131, G504 85
impressions; after it 69, 87, 97, 77 (README, guardrails section).

    python bench/warning_volume.py                 # the counts
    python bench/warning_volume.py --show G506     # and each impression that carries G506, with its reasons
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from pathlib import Path

from bench.guardrail_corruptions import physician_set
from guardrails import verify
from guardrails.flags import Flag

DATA = Path(__file__).parent / "data"


def reason(flag: Flag) -> str:
    """What a warning names, numbers masked so that flags of one kind group together."""
    message = re.sub(r"\d+(?:\.\d+)?", "#", flag.message)
    evidence = re.sub(r"\d+(?:\.\d+)?", "#", flag.evidence)
    return message if evidence in message else f"{message} [{evidence}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="folder holding the physician_impressions* sets")
    parser.add_argument("--show", action="append", default=[], metavar="CODE", help="list the impressions of CODE")
    args = parser.parse_args()
    sets = sorted(p for p in args.data.glob("physician_impressions*") if p.is_dir())
    carried: dict[str, Counter[str]] = defaultdict(Counter)  # code -> set -> impressions carrying it
    reasons: dict[str, Counter[str]] = defaultdict(Counter)  # code -> reason -> impressions naming it
    sizes: Counter[str] = Counter()
    for folder in sets:
        clean, _ = physician_set(folder)
        name = folder.name.removeprefix("physician_impressions").lstrip("_") or "(first)"
        sizes[name] = len(clean)
        for w in clean:
            warnings = [f for f in verify(w.text, w.study, scope="impression") if f.severity.value == "warning"]
            by_code: dict[str, set[str]] = defaultdict(set)
            for f in warnings:
                by_code[f.code.value].add(reason(f))
            for code, said in sorted(by_code.items()):
                carried[code][name] += 1
                reasons[code].update(said)
                if code in args.show:
                    print(f"{code} {w.study_name}/{w.ident}: {sorted(said)}\n    {w.text!r}\n")
    total = sum(sizes.values())
    print(f"{total} correct impressions in {len(sets)} sets; impressions carrying each warning code:\n")
    names = list(sizes)
    print(f"{'code':6} {'pooled':>12}  " + " ".join(f"{n:>8}" for n in names))
    print(f"{'(n)':6} {total:12d}  " + " ".join(f"{sizes[n]:8d}" for n in names))
    for code in sorted(carried):
        pooled = sum(carried[code].values())
        row = " ".join(f"{carried[code][n]:8d}" for n in names)
        print(f"{code:6} {pooled:5d} {100 * pooled / total:5.1f} %  {row}")
    for code in sorted(carried):
        print(f"\n{code}: reasons (impressions naming each)")
        for named, n in reasons[code].most_common():
            print(f"  {n:4d}  {named}")


if __name__ == "__main__":
    main()
