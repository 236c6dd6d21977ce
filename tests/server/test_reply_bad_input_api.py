"""Replies nobody can read, through SendGrid Inbound Parse: no text, an unknown charset, a
20 MB attachment, HTML only, a language the rules do not read. Each is recorded as a reply
with intent `other` and `needs_person` and a reason a person can read; none is dropped, none is
a 5xx, and each still stops the lead's sequence (somebody answered)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from agent.settings import Settings
from tests.server.test_reply_actions_api import INBOUND_URL, PEOPLE, REPLIED, _seed, lead_state

MAYA_NAME, MAYA, _ = PEOPLE["maya"]


@pytest.fixture
def people(database_url: str, server_settings: Settings) -> dict[str, int]:
    return asyncio.run(_seed(database_url, server_settings))


def headers(reply_id: str) -> str:
    return (
        f"Message-ID: <{reply_id}@mail.example>\nFrom: {MAYA_NAME} <{MAYA}>\n"
        f"To: replies@brightpath.example\nSubject: Re: CI\nDate: {REPLIED}\n"
        "In-Reply-To: <first-maya@brightpath.example>\n"
    )


def parsed(reply_id: str, **fields: Any) -> dict[str, Any]:
    form = {"headers": (None, headers(reply_id)), "from": (None, MAYA), "subject": (None, "Re: CI")}
    return form | {name: value for name, value in fields.items()}


def raw(reply_id: str, body: str) -> dict[str, Any]:
    """SendGrid's raw mode: the whole MIME message in `email`."""
    return {"email": (None, headers(reply_id) + body), "from": (None, MAYA)}


UNKNOWN_CHARSET = (
    'MIME-Version: 1.0\nContent-Type: text/plain; charset="x-no-such-charset"\n'
    "Content-Transfer-Encoding: quoted-printable\n\nGr=FC=DFe, =E4=F6=FC=DF=E4=F6=FC\n"
)
HTML_ONLY = (
    'MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="b"\n\n--b\n'
    'Content-Type: text/html; charset="utf-8"\n\n<p>&nbsp;</p><img src="cid:logo">\n--b--\n'
)


CASES = {
    "no text": lambda: parsed("empty", text=(None, "")),
    "unknown charset": lambda: raw("charset", UNKNOWN_CHARSET),
    "20 MB attachment": lambda: parsed(
        "attached",
        text=(None, "See attached."),
        attachment1=("dump.bin", b"\0" * 20_000_000, "application/octet-stream"),
    ),
    "HTML only": lambda: raw("html", HTML_ONLY),
    "a language the rules do not read": lambda: parsed(
        "fi", text=(None, "Kiitos viestistä, palaan asiaan ensi viikolla kollegani kanssa.")
    ),
}


WHY = {
    "no text": "no text of its own",
    "unknown charset": "charset we could not decode",
    "20 MB attachment": "See attached.",
    "HTML only": "HTML only",
    "a language the rules do not read": "no rule matched",
}
"""What the person reading the queue is told about each."""


@pytest.mark.parametrize("case", list(CASES))
def test_an_unreadable_reply_is_kept_for_a_person(
    client: httpx.Client, database_url: str, people: dict[str, int], case: str
) -> None:
    response = client.post(INBOUND_URL, files=CASES[case]())
    assert response.status_code == 200, response.text
    assert response.json()["recorded"] == "replied"
    maya = lead_state(database_url, people["maya"])
    [(kind, payload)] = maya["events"]
    assert (kind, payload["intent"], payload["needs_person"]) == ("replied", "other", True)
    assert payload["evidence"] and payload["layer"] == "rules"
    assert WHY[case] in payload["evidence"]
    assert maya["steps"][2][0] == "stopped"  # somebody answered: the sequence stops
    assert maya["suppressed"] is None
