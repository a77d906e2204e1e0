"""The reading-room HTTP API (FastAPI): thin routes over :mod:`reporter.service`."""
