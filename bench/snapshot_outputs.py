"""Write every user-visible output of the CLI to a folder, so two versions of the code can be diffed.

    python bench/snapshot_outputs.py OUT_DIR
    diff -r before/ after/           # empty when a refactoring changed no output

Runs the CLI in process (one spaCy pipeline for all of it): ``draft`` of every example as text,
HTML and JSON (rules only; the JSON's generation time is removed), ``structure`` of the dev
reports and the MTSamples reports, ``verify`` of every example's own impression and full text,
and ``qa`` of the drafted reports and the MTSamples reports. Exit codes are written beside
each output.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from reporter.cli import app

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared" / "data"


def _run(runner: CliRunner, args: list[str]) -> tuple[int, str]:
    result = runner.invoke(app, args)
    return result.exit_code, result.stdout


def _write(path: Path, rc: int, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "<drafted at>", text)  # the time of drafting
    path.write_text(f"exit {rc}\n{text}", encoding="utf-8")


def main() -> None:
    out = Path(sys.argv[1])
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for study in sorted(EXAMPLES.glob("*.json")):
            stem = study.stem
            for fmt in ("text", "html"):
                rc, text = _run(runner, ["draft", str(study), "--llm", "none", "--format", fmt])
                _write(out / "draft" / f"{stem}.{fmt}", rc, text)
            rc, text = _run(runner, ["draft", str(study), "--llm", "none", "--format", "json"])
            report = json.loads(text)
            report["provenance"].pop("generated_at")
            _write(out / "draft" / f"{stem}.json", rc, json.dumps(report, indent=1, sort_keys=True))
            impression = " ".join(
                s["text"] for sec in report["sections"] if sec["key"] == "impression" for s in sec["sentences"]
            )
            (tmp / f"{stem}.impression.txt").write_text(impression, encoding="utf-8")
            (tmp / "reports").mkdir(exist_ok=True)
            _, full = _run(runner, ["draft", str(study), "--llm", "none"])
            (tmp / "reports" / f"{stem}.txt").write_text(full, encoding="utf-8")
            texts = (("impression", tmp / f"{stem}.impression.txt"), ("full", tmp / "reports" / f"{stem}.txt"))
            for scope, path in texts:
                rc, text = _run(
                    runner, ["verify", "--study", str(study), "--text", str(path), "--json", "--scope", scope]
                )
                _write(out / "verify" / f"{stem}.{scope}.json", rc, text)

        mts = tmp / "mts"
        mts.mkdir()
        for name in ("nuclear_cardiology_reports.jsonl", "negative_controls.jsonl"):
            for i, line in enumerate((SHARED / "raw" / "mtsamples" / name).read_text().splitlines()):
                record = json.loads(line)
                (mts / f"{name.split('.')[0]}_{i:02d}.txt").write_text(record["transcription"], encoding="utf-8")
        for label, folder in (("dev", SHARED / "reports" / "dev"), ("mts", mts)):
            rc, text = _run(runner, ["structure", str(folder), "--format", "jsonl"])
            _write(out / "structure" / f"{label}.jsonl", rc, text)
        for label, folder in (("drafts", tmp / "reports"), ("mts", mts)):
            target = tmp / f"qa_{label}.json"
            rc, _ = _run(runner, ["qa", str(folder), "--out", str(target)])
            _write(out / "qa" / f"{label}.json", rc, target.read_text(encoding="utf-8"))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
