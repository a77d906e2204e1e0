"""Text -> structured findings: prior-report structuring (see issue: prior-report structuring).

``structure(text)`` returns one object valid against ``structured_report.schema.json`` and
``structure_typed(text)`` the same report as an :class:`extraction.model.StructuredReport`; the spaCy
pipeline is built on first use, so importing this package stays cheap.
"""

from extraction.api import DEFAULT_MAX_CHARS, structure, structure_many, structure_typed

__all__: list[str] = ["DEFAULT_MAX_CHARS", "structure", "structure_many", "structure_typed"]
