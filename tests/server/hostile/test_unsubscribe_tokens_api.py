"""Unsubscribe links that do not verify are a 404, never a 500 (issue 17, item 2), over HTTP."""

from __future__ import annotations

from urllib.parse import quote

import httpx

from agent.delivery.unsubscribe_links import UnsubscribeLinks
from agent.settings import Settings

HOSTILE_TOKENS = [
    "1.%C3%A9",  # the case: non-ASCII signature
    "1." + quote("é" * 24),
    quote("١") + ".abc",  # an Arabic-Indic digit
    quote("１") + ".abc",  # a fullwidth digit
    "%00",
    "1.%00",
    "%2E",
    "%2E%2E",
    "1.",
    ".abc",
    "1",
    "-1.abc",
    "+1.abc",
    "0.abc",
    "%201.abc",
    "99999999999.abc",
    "1" * 5000 + ".abc",  # more digits than int() reads
    "1." + "a" * 4000,
    "x" * 6000,
    "1.abc.def",
    "1.%E2%80%AE",
]


def test_an_unsubscribe_token_that_does_not_verify_is_a_404(stranger: httpx.Client) -> None:
    answers = {
        (method, token[:40]): stranger.request(method, f"/u/{token}").status_code
        for token in HOSTILE_TOKENS
        for method in ("GET", "POST")
    }
    assert {k: v for k, v in answers.items() if v != 404} == {}


def test_a_genuine_unsubscribe_token_still_works_and_near_misses_do_not(
    stranger: httpx.Client, server_settings: Settings
) -> None:
    links = UnsubscribeLinks.from_settings(server_settings)
    token = links.token(7)
    number, _, signature = token.partition(".")
    page = stranger.get(f"/u/{token}")
    assert page.status_code == 200 and f'action="/u/{token}"' in page.text
    near_misses = [
        f"0{token}",  # the same number, written another way
        f"{number}.{signature.upper()}",
        f"{number}.{signature[:-1]}",
        f"{token}0",
        f"{number}.{signature[:-1]}{quote('é')}",
        f"{int(number) + 1}.{signature}",
    ]
    for near in near_misses:
        assert stranger.get(f"/u/{near}").status_code == 404, near
    done = stranger.post(f"/u/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "You are unsubscribed" in done.text
