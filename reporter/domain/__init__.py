"""The domain: clinical vocabulary, input model, findings, thresholds and rules. No I/O here."""

__all__: list[str] = []
