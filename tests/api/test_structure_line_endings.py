"""A report posted to the service with Windows line endings: its spans index the text as received (issue 16)."""

from __future__ import annotations

from reporter.service.access import Role
from tests.api.conftest import As

_REPORT = "EXAM: Sestamibi SPECT\r\nFINDINGS: LVEF 58%. No ST\r\nchanges.\r\nIMPRESSION: Normal study.\r\n"


def test_structure_spans_index_the_posted_text_with_its_crlf(as_: As) -> None:
    answer = as_[Role.PHYSICIAN].post("/api/structure", json={"text": _REPORT})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    start, end = body["function"]["lvef_percent"]["span"]
    assert (_REPORT[start:end], body["stress_test"]["ecg_response"]["value"]) == ("58%", "nonischemic")
