"""Load what the first draft, edit or structuring of a process would otherwise load while a user waits.

A server process builds the spaCy/medspaCy pipeline, compiles the guardrails' cues and the rules' wording,
and loads the report templates on first use: about 1.5-2 s of CPU. A process that meets its first request
cold makes that request, and every request queued behind it in the process's few request threads, wait
that long. ``ncreport serve`` runs :func:`warm_up` in each process before it accepts requests.
"""

from __future__ import annotations

import time
from typing import Any

__all__ = ["warm_up"]

# A made-up normal stress-only exercise study (no patient), drafted and verified once.
_STUDY: dict[str, Any] = {
    "study_date": "2026-01-01",
    "patient": {"age_years": 60, "sex": "female"},
    "clinical": {"indication": "Atypical chest pain."},
    "procedure": {
        "modality": "SPECT",
        "protocol": "stress-only",
        "tracers": [{"tracer": "Tc-99m sestamibi", "phase": "stress", "activity": {"value": 11, "unit": "mCi"}}],
        "gated": True,
    },
    "stress": {
        "type": "exercise", "exercise_protocol": "Bruce", "exercise_duration_min": 8.0, "mets": 10.1,
        "rest_hr_bpm": 74, "peak_hr_bpm": 150, "rest_sbp_mmhg": 118, "rest_dbp_mmhg": 72, "peak_sbp_mmhg": 158,
        "peak_dbp_mmhg": 74, "angina": "none", "termination_reason": "fatigue", "baseline_ecg": "normal",
        "st_depression_mm": 0.0,
    },
    "perfusion": {"segments": [{"segment": n, "stress": 0} for n in range(1, 18)]},
    "function": {"stress_lvef_percent": 64},
}  # fmt: skip
_PRIOR = "IMPRESSION: Normal myocardial perfusion. LVEF 62%. No prior study for comparison."


def warm_up() -> dict[str, float]:
    """Draft the made-up study as a reading-room draft is made (rules, layout, verification) and structure a
    one-line prior report; the milliseconds each took (the first call in a process is the slow one)."""
    from extraction import structure
    from reporter.domain.study import Study
    from reporter.service.reading_room import draft_study

    started = time.perf_counter()
    draft_study(Study.model_validate(_STUDY), {"backend": "none"})
    took = {"draft": (time.perf_counter() - started) * 1000}
    started = time.perf_counter()
    structure(_PRIOR)
    took["structure"] = (time.perf_counter() - started) * 1000
    return took
