"""Garbled text through the API: refused by name or listed as not read, never a server error (issue 17)."""

from __future__ import annotations

from reporter.service.access import Role
from tests.api.conftest import As

# what schemathesis posted: control characters (extraction's UnreadableTextWarning became a 500 in the tests)
GARBLED = (bytes(range(1, 32)) * 8).decode("ascii") + " LVEF 64% " + (bytes(range(31, 0, -1)) * 8).decode("ascii")


def test_garbled_text_is_refused_by_structure_naming_the_field(as_: As) -> None:
    answer = as_[Role.PHYSICIAN].post("/api/structure", json={"text": GARBLED})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert (error["code"], error["fields"][0]["field"]) == ("E102", "text")
    assert error["message"] == "text looks like binary or garbled content; nothing was read from it"


def test_garbled_text_in_a_qa_batch_is_listed_as_not_read_and_the_rest_is_scored(as_: As) -> None:
    answer = as_[Role.QA].post(
        "/api/qa",
        json={
            "reports": [
                {"name": "garbled.txt", "text": GARBLED},
                {"name": "ok.txt", "text": "IMPRESSION: Normal myocardial perfusion. LVEF 64%."},
            ]
        },
    )
    assert answer.status_code == 200, answer.text
    body = answer.text
    assert "garbled.txt looks like binary or garbled content; nothing was read from it" in body
    assert "ok.txt" in body
