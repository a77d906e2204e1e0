"""Every route of the app requires a token, and each role gets exactly what it may (403 otherwise).

The table below is written out by hand, independent of the code's role table: a new route that is
not in it fails the walk, and so does a route that grants more or less than listed here.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from reporter.service.access import Role

T, P, Q, A = Role.TECHNOLOGIST, Role.PHYSICIAN, Role.QA, Role.ADMIN

EXPECTED: dict[tuple[str, str], set[Role]] = {
    ("GET", "/api/session"): {T, P, Q, A},
    ("POST", "/api/studies"): {T},
    ("GET", "/api/studies"): {T, P, Q},
    ("GET", "/api/studies/{study_id}"): {T, P, Q},
    ("POST", "/api/studies/{study_id}/draft"): {P},
    ("POST", "/api/studies/{study_id}/draft-jobs"): {P},
    ("POST", "/api/studies/{study_id}/assign"): {P, A},  # a physician to themselves, an admin to a physician
    ("GET", "/api/reports/{report_id}"): {P, Q},
    ("GET", "/api/reports/{report_id}/versions/{number}"): {P, Q},
    ("POST", "/api/reports/{report_id}/versions"): {P},
    ("POST", "/api/reports/{report_id}/flags/{flag_key}"): {P},
    ("POST", "/api/reports/{report_id}/sign"): {P},
    ("POST", "/api/reports/{report_id}/addenda"): {P},
    ("POST", "/api/reports/{report_id}/addenda/{addendum_id}/sign"): {P},
    ("GET", "/api/reports/{report_id}/export.txt"): {P, Q},
    ("GET", "/api/reports/{report_id}/export/{fmt}"): {P, Q},
    ("POST", "/api/reports/{report_id}/send"): {P, A},
    ("GET", "/api/jobs/{job_id}"): {P, Q},  # draft jobs for physicians, QA jobs for qa (checked per job)
    ("GET", "/api/jobs/{job_id}/events"): {P, Q},
    ("POST", "/api/verify"): {P, Q},
    ("POST", "/api/structure"): {P, Q},
    ("POST", "/api/verify-jobs"): {P, Q},
    ("POST", "/api/structure-jobs"): {P, Q},
    ("POST", "/api/qa"): {Q},
    ("POST", "/api/qa-jobs"): {Q},
    ("GET", "/api/users"): {A},
    ("POST", "/api/users"): {A},
    ("GET", "/api/audit"): {A},
    ("GET", "/api/audit/verify"): {A},
    ("POST", "/api/validations"): {A},
    ("GET", "/api/validations"): {A, Q},
}
PUBLIC = {
    ("GET", "/api/health"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
    ("POST", "/api/session/login"),
    ("POST", "/api/session/logout"),
}


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) the app answers (routes of included routers too); HEAD goes with GET."""
    return sorted(
        {
            (method, str(route.path))
            for route in iter_route_contexts(app.routes)
            for method in route.methods or ()
            if method != "HEAD"
        }
    )


def _concrete(path: str) -> str:
    path = path.replace("{flag_key}", "0123456789abcdef").replace("{fmt}", "fhir")
    return (
        path.replace("{", "")
        .replace("}", "")
        .replace("study_id", "1")
        .replace("report_id", "1")
        .replace("addendum_id", "1")
        .replace("job_id", "1")
        .replace("number", "1")
    )


def test_every_route_is_in_the_table(app: FastAPI) -> None:
    assert set(_routes(app)) == set(EXPECTED) | PUBLIC


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_each_route_requires_a_token_and_each_role_gets_exactly_what_it_may(
    app: FastAPI, client: TestClient, tokens: dict[Role, str]
) -> None:
    for method, path in _routes(app):
        url = _concrete(path)
        body = {} if method == "POST" else None
        client.headers.pop("Authorization", None)
        anonymous = client.request(method, url, json=body)
        if (method, path) in PUBLIC:
            assert anonymous.status_code in (200, 204, 422), (method, path)  # 422: the login's empty body
            continue
        assert anonymous.status_code == 401, (method, path)
        assert anonymous.json()["error"]["code"] == "E501"
        assert anonymous.headers["www-authenticate"] == "Bearer"
        client.headers["Authorization"] = "Bearer not-a-token"
        assert client.request(method, url, json=body).status_code == 401, (method, path)
        for role, token in tokens.items():
            client.headers["Authorization"] = f"Bearer {token}"
            answer = client.request(method, url, json=body)
            if role in EXPECTED[(method, path)]:
                assert answer.status_code not in (401, 403), (method, path, role, answer.text)
                assert answer.status_code < 500, (method, path, role, answer.text)
            else:
                assert answer.status_code == 403, (method, path, role, answer.text)
                assert answer.json()["error"]["code"] == "E502"
