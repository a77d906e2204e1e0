"""The flag codes a text gets, as the guardrail tests compare them: sorted, of one severity; and a physician set
scored as the bench scores it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench_modules import bench_module

from guardrails import verify
from reporter.domain.study import Study


def errors(text: str, study: Study, scope: str = "full") -> list[str]:
    """The sorted codes of the error flags of ``text`` verified against ``study`` (an empty list: none)."""
    flags = verify(text, study, scope=scope)  # type: ignore[arg-type]
    return sorted(f.code.value for f in flags if f.severity.value == "error")


def score_physician_set(name: str) -> tuple[int, list[str], int, list[str]]:
    """A physician-written set of ``bench/data`` as ``bench/guardrail_corruptions.py`` scores it: the number of
    correct impressions, those with an error flag ("study/id"), the number of corruptions, and those not detected
    ("study/id:kind"; an omission or advice counts when it raises a new warning too)."""
    bench = _guardrail_corruptions()
    clean, corrupted = bench.physician_set(_ROOT / "bench" / "data" / name)
    flagged = [f"{w.study_name}/{w.ident}" for w in clean if errors(w.text, w.study, "impression")]
    missed = []
    for w, kind, text in corrupted:
        severities = ("error", "warning") if kind in bench.WARNING_COUNTS else ("error",)
        if not bench._codes(text, w.study, severities) - bench._codes(w.text, w.study, severities):
            missed.append(f"{w.study_name}/{w.ident}:{kind}")
    return len(clean), flagged, len(corrupted), missed


_ROOT = Path(__file__).resolve().parents[2]


def _guardrail_corruptions() -> Any:
    return bench_module("guardrail_corruptions")
