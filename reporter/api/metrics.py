"""Prometheus metrics of one app (its own registry, so several apps in one process do not clash).

ncreport_http_request_seconds{method,route,status}   request latency per route
ncreport_draft_seconds{backend}                      draft latency per backend (rules at once, LLM in jobs)
ncreport_flags_raised_total{code}                    flags raised on drafts and edits
ncreport_report_edits_total                          physician edits (versions after the draft)
ncreport_llm_sentences_total{outcome}                model sentences passed first time, repaired, replaced
ncreport_jobs{state}                                 jobs per state, read from the database at scrape time
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

__all__ = ["CONTENT_TYPE", "Metrics"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class _JobCollector(Collector):
    def __init__(self, count_jobs: Callable[[], dict[str, int]]) -> None:
        self._count = count_jobs

    def collect(self) -> Iterator[Metric]:
        gauge = GaugeMetricFamily("ncreport_jobs", "Jobs per state", labels=["state"])
        for state, n in sorted(self._count().items()):
            gauge.add_metric([state], n)
        yield gauge


class Metrics:
    def __init__(self, count_jobs: Callable[[], dict[str, int]] | None = None) -> None:
        self.registry = CollectorRegistry()
        self._requests = Histogram(
            "ncreport_http_request_seconds", "Request latency", ["method", "route", "status"], registry=self.registry
        )
        self._drafts = Histogram("ncreport_draft_seconds", "Draft latency", ["backend"], registry=self.registry)
        self._flags = Counter("ncreport_flags_raised_total", "Flags raised", ["code"], registry=self.registry)
        self._edits = Counter("ncreport_report_edits_total", "Physician edits", registry=self.registry)
        self._sentences = Counter(
            "ncreport_llm_sentences_total", "Model sentences by outcome", ["outcome"], registry=self.registry
        )
        if count_jobs is not None:
            self.registry.register(_JobCollector(count_jobs))

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self._requests.labels(method, route, str(status)).observe(seconds)

    def observe_draft(self, backend: str, seconds: float, codes: Iterable[str]) -> None:
        self._drafts.labels(backend).observe(seconds)
        self.count_flags(codes)

    def observe_llm_draft(self, backend: str, seconds: float, llm: dict[str, Any], codes: Iterable[str]) -> None:
        self.observe_draft(backend, seconds, codes)
        for outcome, key in (("passed", "passed_first_time"), ("repaired", "repaired"), ("replaced", "replaced")):
            self._sentences.labels(outcome).inc(int(llm.get(key, 0)))

    def observe_edit(self, codes: Iterable[str]) -> None:
        self._edits.inc()
        self.count_flags(codes)

    def count_flags(self, codes: Iterable[str]) -> None:
        for code in codes:
            self._flags.labels(code).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
