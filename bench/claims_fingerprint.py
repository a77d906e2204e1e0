"""A fingerprint of every guardrail flag and structured output over the project's texts.

    python bench/claims_fingerprint.py [--dump out.json]

Proof that a performance change of claim reading (``guardrails.claims``, ``extraction.pipeline``)
changes no output: record the printed hash on main before the change; after each optimisation the
hash must be identical (``--dump`` writes the JSON itself, to diff when it is not).

It runs ``guardrails.verify`` with ``scope="impression"`` and ``scope="full"`` on
- every impression of ``bench/data/physician_impressions*/`` and each of their corrupted forms
  (every find/replace applied), against the impression's study;
- the rule draft (``reporter.report.draft_report``) of each ``examples/*.json``, as the text a
  physician signs (``reporter.interop.signature.report_text``), against its study;
- every report text of ``/work/shared/data/reports/dev/*.txt`` and ``bench/data/struct_*/*.txt``,
  against each example study in turn (claims of a foreign report exercise the mismatch paths);
and structures each of those report texts with ``extraction.api.structure`` (what ``ncreport
structure`` runs through ``reporter.service.structuring``). Flags are dumped with code, severity,
span and message; the dump is stable JSON (sorted keys), its SHA-256 is printed.

Main at 904f9d7 (before the claim-reading speed-ups of the ``perf`` branch): sha256 0f9eab6d4bd6e2ba...
(0f9eab6d4bd6e2ba69ee4bd4ca4f4325c9a5ae518e8626894770047244551de3); each commit of that branch gives
the same. The hash changes whenever a rule, cue or data file changes the output: record it on the
base before a speed-up, compare after.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SHARED = REPO.parent / "shared" / "data"


def _flags(text: str, study: Any) -> dict[str, list[list[Any]]]:
    from guardrails import verify

    return {
        scope: [[f.code.value, f.severity.value, list(f.span) if f.span else None, f.message]
                for f in verify(text, study, scope=scope)]  # type: ignore[arg-type]
        for scope in ("impression", "full")
    }  # fmt: skip


def fingerprint() -> dict[str, Any]:
    import datetime as dt

    from extraction.api import structure
    from reporter.inputs import load_study
    from reporter.interop.signature import report_text
    from reporter.report import draft_report

    out: dict[str, Any] = {"impressions": {}, "drafts": {}, "reports": {}, "structured": {}}
    for folder in sorted((REPO / "bench" / "data").glob("physician_impressions*")):
        for path in sorted(folder.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            study = load_study(REPO / data["study"])
            texts = {item["id"]: item["text"] for item in data["impressions"]}
            for ident, text in texts.items():
                out["impressions"][f"{folder.name}/{path.stem}/{ident}"] = _flags(text, study)
            for i, c in enumerate(data.get("corruptions", [])):
                text = texts[c["of"]].replace(c["find"], c["replace"])
                out["impressions"][f"{folder.name}/{path.stem}/{c['of']}/corrupt{i}"] = _flags(text, study)
    examples = {p.stem: load_study(p) for p in sorted((REPO / "examples").glob("*.json"))}
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for name, study in examples.items():
        text = report_text(draft_report(study, now=now))
        out["drafts"][name] = {"text": text, "flags": _flags(text, study)}
    reports = sorted((SHARED / "reports" / "dev").glob("*.txt"))
    reports += sorted((REPO / "bench" / "data").glob("struct_*/*.txt"))
    for path in reports:
        key = f"{path.parent.name}/{path.name}"
        text = path.read_text(encoding="utf-8")
        out["reports"][key] = {name: _flags(text, study) for name, study in examples.items()}
        out["structured"][key] = structure(text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, help="write the JSON dump here")
    args = parser.parse_args()
    t0 = time.perf_counter()
    data = fingerprint()
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1)
    if args.dump:
        args.dump.write_text(blob, encoding="utf-8")
    counts = {k: len(v) for k, v in data.items()}
    print(f"{counts} in {time.perf_counter() - t0:.1f} s")
    print(f"sha256 {hashlib.sha256(blob.encode('utf-8')).hexdigest()}")


if __name__ == "__main__":
    main()
