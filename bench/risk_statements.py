"""Every risk category the guardrails read in the correct impressions of the physician sets, against the rules'
category and the ACC-AHA-SIHD-2012 table's reading of the same study: the verdict of check_risk (pass, warning,
error) and the rules' reasons, to see which rule drives each disagreement.

    python bench/risk_statements.py                  # every risk statement, then the counts
    python bench/risk_statements.py --disagreements  # only those whose category is not the rules'
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

from bench.guardrail_corruptions import physician_set
from guardrails import verify
from guardrails.claims import read_claims
from guardrails.facts import facts_of
from reporter.domain.finding import FindingCode
from reporter.domain.rules import evaluate

DATA = Path(__file__).parent / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--disagreements", action="store_true", help="only statements whose category differs")
    args = parser.parse_args()
    verdicts: Counter[str] = Counter()
    for folder in sorted(DATA.glob("physician_impressions*")):
        clean, _ = physician_set(folder)
        for w in clean:
            found = evaluate(w.study)
            risk = next(f for f in found if f.code is FindingCode.RISK)
            table = facts_of(w.study, found).risk_table
            flags = [f for f in verify(w.text, w.study, scope="impression") if f.code == "G801" and f.span]
            for s in read_claims(w.text).of("risk"):
                hit = [f for f in flags if f.span[0] <= s.span[0] < f.span[1]]  # type: ignore[index]
                verdict = str(hit[0].severity) if hit else "pass"
                stated = ("" if s.present else "not ") + str(s.value)
                differs = s.present and str(s.value) != str(risk.values["category"])
                verdicts[f"{'differs' if differs else 'same'} {verdict}"] += 1
                if args.disagreements and not differs:
                    continue
                items: Any = risk.values["reasons"]
                reasons = "; ".join(
                    str(r.get("feature") or r.get("reason")) + (f" {r['category']}" if "category" in r else "")
                    for r in items
                )
                print(
                    f"{folder.name.removeprefix('physician_impressions') or '(first)'}/{w.study_name[:48]}/{w.ident}: "
                    f"{w.text[s.span[0] : s.span[1]]!r} = {stated}; rules {risk.values['category']} ({reasons}); "
                    f"table {table[0] + '..' + table[1] if table else '-'}: {verdict}"
                )
    print(", ".join(f"{k}: {v}" for k, v in sorted(verdicts.items())))


if __name__ == "__main__":
    main()
