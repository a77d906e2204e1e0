"""Checks of narrative text against facts, and completeness QA of finished reports."""

__all__: list[str] = []
