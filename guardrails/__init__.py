"""Checks of narrative text against facts, and completeness QA of finished reports.

``verify(text, study)`` reads a narrative back with the extraction pipeline and returns a
:class:`Flag` for every claim the study's facts do not support. ``guardrails.completeness``
audits finished reports against the ASNC reporting elements. spaCy loads on first use.
"""

from guardrails.flags import CATALOGUE, Flag, FlagCode, FlagSeverity
from guardrails.paraphrase import check_paraphrase
from guardrails.verify import verify

__all__: list[str] = ["CATALOGUE", "Flag", "FlagCode", "FlagSeverity", "check_paraphrase", "verify"]
