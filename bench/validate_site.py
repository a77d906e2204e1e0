"""Speed of ``validate-site`` without a model: 200 study/report pairs, pairs/s and time per step.

    python bench/validate_site.py [--pairs 200] [--edited 0.2] [--cli] [--dicom]

Pairs are made by varying the examples (age, sex, LVEF, volumes, TID) and drafting each with the
rules: the rule-based report text stands for the "signed" report; a share of them (``--edited``) is
edited the way a physician might (LVEF number changed, a reversible defect called fixed, "normal"
perfusion written over an abnormal study), so the run has disagreements to list. Timed: the agreement
run of ``reporter.service.validation`` (structuring, rules, comparison, guardrails) in one process,
after a warm-up pair (the spaCy pipeline build is reported apart); ``--cli`` also times the whole
command on files (reading, hashing, HTML and JSON); ``--dicom`` times it with each study as DICOM: its
rule draft exported as a Comprehensive SR (``NAME.dcm``, read back by the ingest use-case) with a
``NAME.json`` of the blocks the SR does not carry (clinical, stress, procedure).
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from reporter.domain.study import Study
from reporter.domain.vocabulary import Sex
from reporter.inputs import parse_study
from reporter.service.drafting import draft, render
from reporter.service.validation import PairInput, validate_pairs

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _vary(study: Study, rng: random.Random) -> Study:
    update: dict[str, Any] = {
        "patient": study.patient.model_copy(update={"age_years": rng.randint(40, 85), "sex": rng.choice(list(Sex))})
    }
    fn = study.function
    if fn is not None:
        change: dict[str, Any] = {}
        if fn.stress_lvef_percent is not None:
            change["stress_lvef_percent"] = float(min(80, max(20, fn.stress_lvef_percent + rng.randint(-12, 12))))
        if fn.rest_lvef_percent is not None:
            change["rest_lvef_percent"] = float(min(80, max(20, fn.rest_lvef_percent + rng.randint(-8, 8))))
        if fn.tid_ratio is not None:
            change["tid_ratio"] = round(min(1.6, max(0.8, fn.tid_ratio + rng.uniform(-0.2, 0.2))), 2)
        update["function"] = fn.model_copy(update=change)
    return Study.model_validate(
        {**study.model_dump(mode="python"), **{k: v.model_dump(mode="python") for k, v in update.items()}}
    )


_EDITS = (
    (re.compile(r"(ejection fraction|LVEF) (?:is |of )?(\d+)"), lambda m: f"{m.group(1)} {int(m.group(2)) + 9}"),
    (re.compile(r"\breversible\b"), lambda m: "fixed"),
    (re.compile(r"\b(Abnormal|Probably normal|Equivocal)\b"), lambda m: "Normal"),
)


def _edit(text: str, rng: random.Random) -> str:
    pattern, replace = rng.choice(_EDITS)
    return pattern.sub(replace, text, count=1)


def make_pairs(n: int, edited: float, seed: int = 0) -> list[PairInput]:
    rng = random.Random(seed)
    bases = [parse_study(p.read_bytes(), what=p.name) for p in sorted(EXAMPLES.glob("*.json"))]
    pairs = []
    for i in range(n):
        study = _vary(bases[i % len(bases)], rng)
        text = render(draft(study).report, "text")
        if rng.random() < edited:
            text = _edit(text, rng)
        pairs.append(PairInput(name=f"pair{i:03d}", study=study, text=text))
    return pairs


def _write(pairs: list[PairInput], root: Path) -> None:
    (root / "studies").mkdir()
    (root / "reports").mkdir()
    for p in pairs:
        assert p.study is not None and p.text is not None
        (root / "studies" / f"{p.name}.json").write_text(p.study.model_dump_json(), encoding="utf-8")
        (root / "reports" / f"{p.name}.txt").write_text(p.text, encoding="utf-8")


def _write_dicom(pairs: list[PairInput], root: Path) -> None:
    """Each study as the SR of its rule draft (NAME.dcm) and NAME.json with the blocks ingest does not read."""
    import json

    from reporter.interop.dicom_in import ingest
    from reporter.interop.dicom_sr import export_dicom_sr
    from reporter.interop.signature import Attestation, ReportStatus, text_sha256
    from reporter.report import draft_report

    (root / "studies").mkdir()
    (root / "reports").mkdir()
    for p in pairs:
        assert p.study is not None and p.text is not None
        report = draft_report(p.study)
        sr = root / "studies" / f"{p.name}.dcm"
        sr.write_bytes(
            export_dicom_sr(report, p.study, Attestation(ReportStatus("preliminary"), text_sha256(report), None, ()))
        )
        read = set(ingest([sr]).study_dict)
        study = json.loads(p.study.model_dump_json(exclude_none=True))
        (root / "studies" / f"{p.name}.json").write_text(
            json.dumps({k: v for k, v in study.items() if k not in read}), encoding="utf-8"
        )
        (root / "reports" / f"{p.name}.txt").write_text(p.text, encoding="utf-8")


def _time_command(root: Path, what: str) -> None:
    from typer.testing import CliRunner

    from reporter.cli import app

    t0 = time.perf_counter()
    run = CliRunner().invoke(
        app,
        [
            "validate-site",
            "--studies",
            str(root / "studies"),
            "--reports",
            str(root / "reports"),
            "-o",
            str(root / "v.html"),
        ],
    )
    print(
        f"whole command on {what}: {time.perf_counter() - t0:.2f} s (exit {run.exit_code}); "
        + next((line for line in run.output.splitlines() if "pairs compared" in line), run.output[-300:])
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--edited", type=float, default=0.2)
    parser.add_argument("--cli", action="store_true", help="also time the whole command on files")
    parser.add_argument("--dicom", action="store_true", help="also time it with the studies as DICOM SR files")
    args = parser.parse_args()

    t0 = time.perf_counter()
    pairs = make_pairs(args.pairs, args.edited)
    print(f"made {len(pairs)} pairs in {time.perf_counter() - t0:.1f} s (drafting, not part of the validation)")
    t0 = time.perf_counter()
    validate_pairs(pairs[:1])
    print(f"warm-up (spaCy pipeline build, first pair): {time.perf_counter() - t0:.2f} s")

    t0 = time.perf_counter()
    result = validate_pairs(pairs)
    seconds = time.perf_counter() - t0
    print(
        f"validated {result['compared_pairs']} pairs in {seconds:.2f} s: {len(pairs) / seconds:.0f} pairs/s; "
        f"{len(result['disagreements'])} disagreements, {len(result['errors'])} errors"
    )
    for step, spent in result["timing_seconds"].items():
        print(f"  {step:11s} {spent:6.2f} s  {1000 * spent / len(pairs):6.2f} ms/pair")
    worst = sorted(result["agreement"], key=lambda a: a["percent"] if a["percent"] is not None else 101)[:4]
    print("lowest agreement: " + ", ".join(f"{a['element']} {a['percent']}%" for a in worst))
    if args.cli:
        with tempfile.TemporaryDirectory() as tmp:
            _write(pairs, Path(tmp))
            _time_command(Path(tmp), "Study JSON files")
    if args.dicom:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            _write_dicom(pairs, Path(tmp))
            print(f"wrote {len(pairs)} DICOM SR studies in {time.perf_counter() - t0:.1f} s (not timed below)")
            _time_command(Path(tmp), "DICOM SR files")


if __name__ == "__main__":
    main()
