"""Who gets into the console: a signed-in key, forms with their CSRF token, strict cookies."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from server.console.sessions import COOKIE, ConsoleSession, seal, unseal
from storage.api_keys import revoke_key
from storage.database import Database
from tests.server.console.console_forms import PAGE, csrf_of, sign_in, signed_in_token


def test_pages_need_a_session_and_fragments_get_401(browser_client: TestClient) -> None:
    page = browser_client.get("/console/review", headers=PAGE)
    assert page.status_code == 303
    assert page.headers["location"].endswith("/console/sign-in")
    fragment = browser_client.get("/console/review/1", headers={"Accept": "*/*"})
    assert fragment.status_code == 401
    assert "Maya" not in fragment.text
    browser_client.cookies.set(COOKIE, "forged.0000", path="/console")
    assert browser_client.get("/console/review", headers=PAGE).status_code == 303
    # The API key is for the API: it does not open console pages.
    with_key = browser_client.get(
        "/console/review", headers={**PAGE, "Authorization": "Bearer anything"}
    )
    assert with_key.status_code == 303


def test_sign_in_sets_a_strict_http_only_cookie(browser_client: TestClient, api_key: str) -> None:
    answer = sign_in(browser_client, api_key)
    assert answer.status_code == 303
    assert answer.headers["location"].endswith("/console/review")
    cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith(f"{COOKIE}=")
    ).lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/console" in cookie
    assert "secure" not in cookie  # plain HTTP here: a Secure cookie would never come back
    queue = browser_client.get("/console/review", headers=PAGE)
    assert queue.status_code == 200 and "Review queue" in queue.text
    assert "Signed in as tests" in queue.text
    assert "script-src 'self'" in queue.headers["content-security-policy"]


def test_the_cookie_is_secure_over_tls(browser_client: TestClient, api_key: str) -> None:
    answer = sign_in(browser_client, api_key, base="https://testserver")
    assert answer.status_code == 303
    cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith(f"{COOKIE}=")
    ).lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie


def test_a_wrong_key_is_refused_with_two_words(browser_client: TestClient, api_key: str) -> None:
    for wrong in ("oa_not-a-key", "", api_key + "x"):
        answer = sign_in(browser_client, wrong)
        assert answer.status_code == 401
        assert "wrong key" in answer.text
        assert "revoked" not in answer.text and "unknown" not in answer.text
        assert not any(c.startswith(f"{COOKIE}=") for c in answer.headers.get_list("set-cookie"))
    assert browser_client.get("/console/review", headers=PAGE).status_code == 303


def test_forms_without_their_csrf_token_are_refused(
    browser_client: TestClient, api_key: str
) -> None:
    token = signed_in_token(browser_client, api_key)
    for data in ({"expected_version": "1", "reason": "x"}, {"csrf": "guess", "reason": "x"}):
        refused = browser_client.post("/console/review/1/reject", data=data, headers=PAGE)
        assert refused.status_code == 403 and "CSRF" in refused.text
    assert browser_client.post("/console/sign-out", data={}, headers=PAGE).status_code == 403
    assert browser_client.get("/console/review", headers=PAGE).status_code == 200  # still in
    # The sign-in form has its own token, tied to a cookie set with the form.
    browser_client.cookies.clear()
    assert (
        browser_client.post("/console/sign-in", data={"key": api_key}, headers=PAGE).status_code
        == 403
    )
    assert token  # the session's token was on the page all along


def test_sign_out_ends_the_session(browser_client: TestClient, api_key: str) -> None:
    token = signed_in_token(browser_client, api_key)
    out = browser_client.post("/console/sign-out", data={"csrf": token}, headers=PAGE)
    assert out.status_code == 303 and out.headers["location"].endswith("/console/sign-in")
    assert browser_client.get("/console/review", headers=PAGE).status_code == 303


async def test_revoking_the_key_ends_its_console_sessions(
    browser_client: TestClient, api_key: str, database_url: str
) -> None:
    signed_in_token(browser_client, api_key)
    async with await Database.connect(database_url) as db, db.sessions.begin() as session:
        assert await revoke_key(session, key_id=1)
    gone = browser_client.get("/console/review", headers=PAGE)
    assert gone.status_code == 303 and gone.headers["location"].endswith("/console/sign-in")
    # The sign-in page then asks for a key (it does not send the dead session back in a loop).
    again = browser_client.get("/console/sign-in", headers=PAGE)
    assert again.status_code == 200 and "API key" in again.text


def test_a_tampered_or_expired_session_is_not_accepted() -> None:
    secret = b"s" * 32
    session = ConsoleSession.start(7, "ops", hours=1)
    value = seal(secret, session)
    assert unseal(secret, value) == session
    body, signature = value.split(".")
    forged = seal(b"other", ConsoleSession(1, "admin", session.csrf, session.expires))
    assert unseal(secret, forged) is None
    assert unseal(secret, body + "." + signature[::-1]) is None
    assert unseal(secret, value, now=time.time() + 2 * 3600) is None
    assert csrf_of(f'<input name="csrf" value="{session.csrf}">') == session.csrf


def test_an_unknown_draft_is_a_plain_not_found_page(
    browser_client: TestClient, api_key: str
) -> None:
    signed_in_token(browser_client, api_key)
    missing = browser_client.get("/console/review/999", headers=PAGE)
    assert missing.status_code == 404 and "there is no message 999" in missing.text
    assert browser_client.get("/console/static/console.css").status_code == 200


def test_non_ascii_cookies_and_tokens_are_refused_not_a_500(
    browser_client: TestClient, api_key: str
) -> None:
    # A cookie whose signature holds a non-ASCII character is no session.
    forged = browser_client.get(
        "/console/review",
        headers={
            b"Accept": b"text/html",
            b"Cookie": f"{COOKIE}=abc.\u00ff\u00ff".encode("latin-1"),
        },
    )
    assert forged.status_code == 303
    browser_client.cookies.clear()
    token = signed_in_token(browser_client, api_key)
    for sent in ("\u00e9" * len(token), token[:-1] + "\u00e9"):
        answer = browser_client.post("/console/sign-out", data={"csrf": sent}, headers=PAGE)
        assert answer.status_code == 403
    assert browser_client.get("/console/review", headers=PAGE).status_code == 200
