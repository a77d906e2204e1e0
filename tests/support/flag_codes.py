"""The flag codes a text gets, as the guardrail tests compare them: sorted, of one severity."""

from __future__ import annotations

from guardrails import verify
from reporter.domain.study import Study


def errors(text: str, study: Study, scope: str = "full") -> list[str]:
    """The sorted codes of the error flags of ``text`` verified against ``study`` (an empty list: none)."""
    flags = verify(text, study, scope=scope)  # type: ignore[arg-type]
    return sorted(f.code.value for f in flags if f.severity.value == "error")
