"""Text -> structured findings: prior-report structuring (see issue: prior-report structuring).

``structure(text)`` returns one object valid against ``structured_report.schema.json``; the spaCy
pipeline is built on first use, so importing this package stays cheap.
"""

from extraction.api import DEFAULT_MAX_CHARS, structure, structure_many

__all__: list[str] = ["DEFAULT_MAX_CHARS", "structure", "structure_many"]
