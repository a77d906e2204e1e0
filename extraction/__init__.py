"""Text -> structured findings: prior-report structuring (see issue: prior-report structuring)."""

__all__: list[str] = []
