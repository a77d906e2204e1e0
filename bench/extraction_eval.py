"""Score prior-report structuring against the gold files of the development set.

    python bench/extraction_eval.py [--gold DIR] [--verbose]

Prints per-field precision/recall/F1, field micro-F1, defect-level F1, certainty accuracy and
span accuracy, with the definitions used (printed with the figures). Then, on the real reports
without gold (``raw/mtsamples``): how many of the 12 negative controls get a perfusion result or
defects (must be 0), and how many of the 22 nuclear reports get a perfusion result, an LVEF and
an overall impression.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEFAULT_GOLD = REPO.parent / "shared" / "data" / "reports" / "dev"
MTSAMPLES = REPO.parent / "shared" / "data" / "raw" / "mtsamples"

DEFINITIONS = """\
Definitions
  field      every leaf of the schema except perfusion.defects (study.tracers: one field per tracer).
  TP         gold and prediction both non-null and their values equal (numbers within 0.01,
             strings exact; indication compared case- and whitespace-insensitively).
  FP / FN    a prediction that is not a TP is an FP; a gold value that is not a TP is an FN
             (a wrong value counts as both).
  certainty  accuracy of the certainty over TP fields and matched defects.
  span match a TP's predicted [start, end) overlaps the gold span by at least one character
             (lenient match as in i2b2/n2c2); 'exact' is also printed.
  defect     a predicted defect matches a gold defect of the same report when their wall sets
             are equal (one-to-one, in order); 'strict' also requires territory, severity,
             extent and reversibility to be equal. Defect F1 uses the wall-set match.
  indication by passage
             the same micro-F1 with an indication that differs from the gold's but overlaps its span
             counted as found: how far the indication runs (its first sentence, the reason only, or the
             whole paragraph with the history) is a convention the writers of the sets do not share
             (their NOTES.md say which they used), so this line separates finding the indication from
             agreeing on its extent. The first line stays the figure the goals are measured on.
"""


def _leaves(report: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for section, fields in report.items():
        if not isinstance(fields, dict):
            continue
        for name, value in fields.items():
            if name == "defects":
                continue
            if name == "tracers":
                for t in value or []:
                    out[f"study.tracers[{t['value']}]"] = t
                continue
            out[f"{section}.{name}"] = value
    return out


def _equal(path: str, a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) <= 0.01
    if path == "study.indication" and isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
    return bool(a == b)


def _overlap(a: list[int], b: list[int]) -> bool:
    return max(a[0], b[0]) < min(a[1], b[1])


def _quote(text: str, entry: dict[str, Any] | None, width: int = 70) -> str:
    """The text an entry's span points at, for the list of differences (' "..."' or '')."""
    if not entry or not entry.get("span"):
        return ""
    start, end = entry["span"]
    quoted = " ".join(text[start:end].split())
    if len(quoted) > width:
        quoted = quoted[: width - 3] + "..."
    return f' "{quoted}"'


def read_report(path: Path) -> str:
    """A report's text exactly as the product receives it: its bytes decoded as ``ncreport structure`` decodes
    them (:func:`reporter.inputs.decode_text`), so a Windows line ending stays the two characters ``\\r\\n``
    that the gold's spans count (``Path.read_text`` would turn it into ``\\n`` and shift every later span)."""
    from reporter.inputs import decode_text

    return decode_text(path.read_bytes())[0]


def _family(path: str) -> str:
    return "study.tracers" if path.startswith("study.tracers[") else path


def evaluate(gold_dir: Path, verbose: bool = False) -> dict[str, float]:
    from extraction import structure

    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    cert_ok = cert_n = span_ok = span_exact = span_n = 0
    d_tp = d_fp = d_fn = d_strict = 0
    passage = 0  # indications that differ from the gold's in extent only (their spans overlap)
    problems: list[str] = []
    files = sorted(gold_dir.glob("*.json"))
    if not files:
        raise SystemExit(f"no gold files in {gold_dir}")
    for gold_path in files:
        text = read_report(gold_path.with_suffix(".txt"))
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        pred = structure(text)
        g, p = _leaves(gold), _leaves(pred)
        for path in sorted(set(g) | set(p)):
            gv, pv = g.get(path), p.get(path)
            fam = _family(path)
            if gv is not None and pv is not None and _equal(path, gv["value"], pv["value"]):
                tp[fam] += 1
                cert_n += 1
                cert_ok += gv.get("certainty", "affirmed") == pv.get("certainty", "affirmed")
                span_n += 1
                span_ok += _overlap(gv["span"], pv["span"])
                span_exact += gv["span"] == pv["span"]
                if verbose and not _overlap(gv["span"], pv["span"]):
                    problems.append(f"{gold_path.stem} {path}: span {pv['span']} vs gold {gv['span']}")
                if verbose and gv.get("certainty", "affirmed") != pv.get("certainty", "affirmed"):
                    problems.append(
                        f"{gold_path.stem} {path}: certainty {pv.get('certainty')} vs {gv.get('certainty')}"
                    )
                continue
            if path == "study.indication" and gv is not None and pv is not None and _overlap(gv["span"], pv["span"]):
                passage += 1
            if pv is not None:
                fp[fam] += 1
            if gv is not None:
                fn[fam] += 1
            if verbose and (gv is not None or pv is not None):
                problems.append(
                    f"{gold_path.stem} {path}: predicted {None if pv is None else pv['value']!r}"
                    f"{_quote(text, pv)} gold {None if gv is None else gv['value']!r}{_quote(text, gv)}"
                )
        gd = list(gold["perfusion"]["defects"])
        pd = list(pred["perfusion"]["defects"])
        used: set[int] = set()
        for d in pd:
            hit = next((i for i, x in enumerate(gd) if i not in used and set(x["walls"]) == set(d["walls"])), None)
            if hit is None:
                d_fp += 1
                if verbose:
                    problems.append(f"{gold_path.stem} defect FP {d}{_quote(text, d)}")
                continue
            used.add(hit)
            d_tp += 1
            x = gd[hit]
            keys = ("territory", "severity", "extent", "reversibility")
            d_strict += all(x.get(k) == d.get(k) for k in keys)
            cert_n += 1
            cert_ok += x.get("certainty", "affirmed") == d.get("certainty", "affirmed")
            span_n += 1
            span_ok += _overlap(x["span"], d["span"])
            span_exact += x["span"] == d["span"]
            if verbose:
                for k in (*keys, "certainty"):
                    if x.get(k) != d.get(k):
                        problems.append(f"{gold_path.stem} defect {d['walls']} {k}: {d.get(k)!r} vs gold {x.get(k)!r}")
        for i, x in enumerate(gd):
            if i not in used:
                d_fn += 1
                if verbose:
                    problems.append(f"{gold_path.stem} defect FN {x}{_quote(text, x)}")

    def prf(t: int, f_p: int, f_n: int) -> tuple[float, float, float]:
        p = t / (t + f_p) if t + f_p else 1.0
        r = t / (t + f_n) if t + f_n else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    print(f"gold: {gold_dir} ({len(files)} reports)\n")
    print(f"{'field':40s} {'TP':>4s} {'FP':>4s} {'FN':>4s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    for fam in sorted(set(tp) | set(fp) | set(fn)):
        p, r, f = prf(tp[fam], fp[fam], fn[fam])
        print(f"{fam:40s} {tp[fam]:4d} {fp[fam]:4d} {fn[fam]:4d} {p:6.3f} {r:6.3f} {f:6.3f}")
    mp, mr, mf = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    _, _, pf = prf(sum(tp.values()) + passage, sum(fp.values()) - passage, sum(fn.values()) - passage)
    dp, dr, df = prf(d_tp, d_fp, d_fn)
    _, _, dsf = prf(d_strict, d_tp + d_fp - d_strict, d_tp + d_fn - d_strict)
    results = {
        "field_micro_p": mp,
        "field_micro_r": mr,
        "field_micro_f1": mf,
        "field_micro_f1_indication_by_passage": pf,
        "defect_f1": df,
        "defect_strict_f1": dsf,
        "certainty_accuracy": cert_ok / cert_n if cert_n else 1.0,
        "span_accuracy": span_ok / span_n if span_n else 1.0,
        "span_exact": span_exact / span_n if span_n else 1.0,
    }
    print()
    print(f"field micro   P {mp:.3f}  R {mr:.3f}  F1 {mf:.3f}")
    print(f"  with the indication by passage  F1 {pf:.3f}  ({passage} indication(s) differing in extent only)")
    print(f"defects       P {dp:.3f}  R {dr:.3f}  F1 {df:.3f}  (strict F1 {dsf:.3f}; TP {d_tp} FP {d_fp} FN {d_fn})")
    print(f"certainty accuracy {results['certainty_accuracy']:.3f}  ({cert_ok}/{cert_n})")
    print(f"span accuracy      {results['span_accuracy']:.3f}  ({span_ok}/{span_n}; exact {results['span_exact']:.3f})")
    print()
    print(DEFINITIONS)
    if verbose and problems:
        print("Differences")
        for line in problems:
            print("  " + line)
    return results


def _transcriptions(path: Path) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(r["id"], r["transcription"]) for r in rows]


def real_reports(folder: Path, verbose: bool = False) -> dict[str, int]:
    """Counts on the real reports without gold: negative controls and nuclear reports."""
    from extraction import structure

    controls = folder / "negative_controls.jsonl"
    nuclear = folder / "nuclear_cardiology_reports.jsonl"
    if not controls.exists() or not nuclear.exists():
        print(f"real reports: not found under {folder}")
        return {}
    out: dict[str, int] = {"controls": 0, "controls_with_perfusion": 0}
    for ident, text in _transcriptions(controls):
        r = structure(text)["perfusion"]
        out["controls"] += 1
        if r["result"] is not None or r["defects"]:
            out["controls_with_perfusion"] += 1
            print(f"  negative control {ident}: perfusion result {r['result']}, {len(r['defects'])} defect(s)")
    counts = Counter()
    missing: list[str] = []
    for ident, text in _transcriptions(nuclear):
        r = structure(text)
        counts["reports"] += 1
        counts["perfusion_result"] += r["perfusion"]["result"] is not None
        counts["lvef"] += r["function"]["lvef_percent"] is not None
        counts["overall"] += r["impression"]["overall"] is not None
        if r["perfusion"]["result"] is None:
            missing.append(ident)
    out.update(counts)
    print(
        f"negative controls  {out['controls_with_perfusion']} of {out['controls']} with a perfusion result or defects"
    )
    print(
        f"MTSamples nuclear  {counts['perfusion_result']} of {counts['reports']} with a perfusion result, "
        f"{counts['lvef']} with an LVEF, {counts['overall']} with an overall impression"
    )
    if verbose and missing:
        print("  no perfusion result: " + ", ".join(missing))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="folder of NN.txt + NN.json")
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="list every difference, per report, with the text it quotes"
    )
    args = parser.parse_args()
    evaluate(args.gold, args.verbose)
    real_reports(MTSAMPLES, args.verbose)


if __name__ == "__main__":
    main()
