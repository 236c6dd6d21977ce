"""Signing in and posting console forms the way a browser does, for the HTTP tests."""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi.testclient import TestClient

PAGE = {"Accept": "text/html"}
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """Return the CSRF token the page's forms carry."""
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: httpx.Client | TestClient, key: str, *, base: str = "") -> Any:
    """Open the sign-in page and post the key with its token; return the answer to the post."""
    page = client.get(f"{base}/console/sign-in", headers=PAGE)
    assert page.status_code == 200, page.text
    return client.post(
        f"{base}/console/sign-in", data={"key": key, "csrf": csrf_of(page.text)}, headers=PAGE
    )


def signed_in_token(client: httpx.Client | TestClient, key: str) -> str:
    """Sign in; return the session's CSRF token (from the queue page)."""
    assert sign_in(client, key).status_code == 303
    queue = client.get("/console/review", headers=PAGE)
    assert queue.status_code == 200, queue.text
    return csrf_of(queue.text)
