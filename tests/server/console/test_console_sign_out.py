"""Signing out ends the session on the server: a copied cookie stops working, others do not."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from server.console.ended_sessions import FOLDER, end_session, has_ended
from server.console.sessions import COOKIE, ConsoleSession
from tests.server.console.console_forms import PAGE, signed_in_token


def _cookie(client: TestClient) -> str:
    value = client.cookies.get(COOKIE, path="/console")
    assert value
    return value


def test_a_copied_cookie_is_refused_after_sign_out(
    browser_client: TestClient, api_key: str
) -> None:
    token = signed_in_token(browser_client, api_key)
    copied = _cookie(browser_client)
    out = browser_client.post("/console/sign-out", data={"csrf": token}, headers=PAGE)
    assert out.status_code == 303
    browser_client.cookies.clear()
    browser_client.cookies.set(COOKIE, copied, path="/console")
    page = browser_client.get("/console/review", headers=PAGE)
    assert page.status_code == 303 and page.headers["location"].endswith("/console/sign-in")
    assert browser_client.get("/console/review/1", headers={"Accept": "*/*"}).status_code == 401
    refused = browser_client.post("/console/sign-out", data={"csrf": token}, headers=PAGE)
    assert refused.status_code == 303 and refused.headers["location"].endswith("/sign-in")
    # The sign-in page asks for a key rather than sending the ended session back in.
    assert browser_client.get("/console/sign-in", headers=PAGE).status_code == 200


def test_signing_out_leaves_the_same_keys_other_sessions_signed_in(
    browser_client: TestClient, api_key: str
) -> None:
    first_token = signed_in_token(browser_client, api_key)
    first = _cookie(browser_client)
    browser_client.cookies.clear()
    second_token = signed_in_token(browser_client, api_key)
    second = _cookie(browser_client)
    assert second != first and second_token != first_token
    browser_client.cookies.clear()
    browser_client.cookies.set(COOKIE, first, path="/console")
    assert (
        browser_client.post(
            "/console/sign-out", data={"csrf": first_token}, headers=PAGE
        ).status_code
        == 303
    )
    browser_client.cookies.clear()
    browser_client.cookies.set(COOKIE, second, path="/console")
    assert browser_client.get("/console/review", headers=PAGE).status_code == 200
    browser_client.cookies.clear()
    browser_client.cookies.set(COOKIE, first, path="/console")
    assert browser_client.get("/console/review", headers=PAGE).status_code == 303


def test_ended_sessions_are_swept_once_they_would_have_expired(tmp_path: Path) -> None:
    old = ConsoleSession(1, "ops", "a" * 43, 1000.0)
    live = ConsoleSession(1, "ops", "b" * 43, 5000.0)
    end_session(tmp_path, old, now=900.0)
    end_session(tmp_path, old, now=900.0)  # twice (two tabs) is no error
    end_session(tmp_path, live, now=2000.0)  # the old one expired at 1000: its record goes
    assert has_ended(tmp_path, live) and not has_ended(tmp_path, old)
    (record,) = (tmp_path / FOLDER).iterdir()
    assert "b" * 43 not in record.name  # the token itself is not written down
