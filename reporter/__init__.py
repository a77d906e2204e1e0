"""ncreport: reporting and language-model assistant for nuclear cardiology.

The domain (``reporter.domain``: vocabulary, Study, Finding, thresholds, rules) has no I/O;
``reporter.report`` and ``reporter.render`` phrase and lay out reports; the CLI and other
adapters sit at the edge.
"""

from reporter.domain.finding import Finding, FindingCode, Section
from reporter.domain.rules import evaluate
from reporter.domain.study import Study
from reporter.domain.thresholds import DEFAULT_THRESHOLDS, Thresholds

__all__ = ["DEFAULT_THRESHOLDS", "Finding", "FindingCode", "Section", "Study", "Thresholds", "evaluate"]
