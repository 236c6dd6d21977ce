"""Request-body limits before authentication and before parsing (issue 17, item 1), over HTTP.

Oversized bodies are refused with 413 by their Content-Length before any of them is read, or as
soon as a chunked body passes its route's limit; requests without an API key are refused with
401 before their body is read; the Event Webhook refuses unsigned requests unread.
"""

from __future__ import annotations

import json

import httpx
import pytest

from server.body_limits import (
    API_JSON_LIMIT,
    INBOUND_PARSE_LIMIT,
    LEAD_IMPORT_LIMIT,
    LEAD_UPLOAD_LIMIT,
    SENDGRID_EVENTS_LIMIT,
    UNSUBSCRIBE_LIMIT,
    size_text,
)
from server.routes.leads import MAX_UPLOAD_BYTES
from tests.fakes.sendgrid_fake import WebhookSigner
from tests.server.hostile.hostile_http import (
    CHUNK,
    Body,
    answer_before_the_body_ends,
    problem_detail,
)

EVENTS_URL = "/api/v1/webhooks/sendgrid"
INBOUND_URL = "/api/v1/webhooks/inbound"
HUGE = 200 * 1024 * 1024


@pytest.mark.parametrize("path", ["/api/v1/leads", "/api/v1/campaigns"])
def test_an_unauthenticated_huge_stream_is_refused_before_it_is_read(
    stranger: httpx.Client, path: str
) -> None:
    body = Body(HUGE)
    response = stranger.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code in (401, 413), response.text
    assert "API key" in problem_detail(response) or "larger than" in problem_detail(response)
    assert body.cut_off(), f"the server read {body.taken} of {body.total} bytes first"


def test_an_unauthenticated_request_is_refused_before_its_body_is_read(server: str) -> None:
    # Within the size limit, so only the missing key can refuse it, and it does not wait for it.
    head = (
        b"POST /api/v1/leads HTTP/1.1\r\nHost: api\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % LEAD_IMPORT_LIMIT
    )
    answer = answer_before_the_body_ends(server, head, [b'{"leads": ['])
    assert answer.startswith(b"HTTP/1.1 401"), answer[:300]
    assert b"API key" in answer


@pytest.mark.parametrize("path", ["/api/v1/leads", "/api/v1/campaigns"])
def test_a_declared_huge_body_is_refused_by_its_length(
    client: httpx.Client, stranger: httpx.Client, path: str
) -> None:
    for http in (client, stranger):
        body = Body(HUGE)
        response = http.post(
            path,
            content=body,
            headers={"Content-Type": "application/json", "Content-Length": str(HUGE)},
        )
        assert response.status_code == 413, response.text
        assert "larger than" in problem_detail(response)
        assert body.cut_off(), f"the server read {body.taken} of {body.total} bytes first"


@pytest.mark.parametrize("path", ["/api/v1/campaigns", "/api/v1/campaigns/1/send"])
def test_a_streamed_body_is_cut_off_once_it_passes_the_limit(
    client: httpx.Client, path: str
) -> None:
    body = Body(HUGE)  # chunked: no Content-Length to refuse it by
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413, response.text
    assert (
        problem_detail(response)
        == "the request body is larger than 1 MB, the limit for this endpoint"
    )
    assert body.cut_off(), f"the server read {body.taken} of {body.total} bytes first"


def test_the_413_arrives_while_the_client_is_still_sending(server: str, api_key: str) -> None:
    """A chunked body one chunk past the limit, never finished: the answer comes anyway."""
    head = (
        b"POST /api/v1/campaigns HTTP/1.1\r\nHost: api\r\n"
        b"Authorization: Bearer " + api_key.encode() + b"\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b" " * CHUNK
    chunks = [b"%x\r\n%s\r\n" % (len(chunk), chunk)] * (API_JSON_LIMIT // CHUNK + 1)
    answer = answer_before_the_body_ends(server, head, chunks)  # no last chunk (`0\r\n\r\n`)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
    assert b"connection: close" in answer.lower()


@pytest.mark.parametrize(
    ("path", "limit", "files"),
    [
        ("/api/v1/campaigns", API_JSON_LIMIT, False),
        ("/api/v1/leads", LEAD_IMPORT_LIMIT, False),
        ("/api/v1/leads/import", LEAD_UPLOAD_LIMIT, True),
        (EVENTS_URL, SENDGRID_EVENTS_LIMIT, False),
        (INBOUND_URL, INBOUND_PARSE_LIMIT, True),
        ("/u/1.abc", UNSUBSCRIBE_LIMIT, False),
    ],
)
def test_each_route_has_a_limit_that_fits_its_use(
    client: httpx.Client, signer: WebhookSigner, path: str, limit: int, files: bool
) -> None:
    body = Body(limit + 1)
    headers = {"Content-Length": str(body.total)}
    headers["Content-Type"] = "multipart/form-data; boundary=x" if files else "application/json"
    if path == EVENTS_URL:
        headers |= signer.headers(b"[]")  # signed as far as the headers go
    response = client.post(path, content=body, headers=headers)
    assert response.status_code == 413, response.text
    assert f"larger than {size_text(limit)}," in problem_detail(response)
    if limit <= SENDGRID_EVENTS_LIMIT:  # a body of exactly the limit is read as usual
        headers["Content-Length"] = str(limit)
        at_limit = client.post(path, content=Body(limit), headers=headers)
        assert at_limit.status_code in (403, 404, 422), at_limit.text


def test_the_limits_are_sized_for_their_routes() -> None:
    assert API_JSON_LIMIT == 1_000_000
    assert LEAD_IMPORT_LIMIT == LEAD_UPLOAD_LIMIT - 100_000 == MAX_UPLOAD_BYTES
    assert 1_000_000 < SENDGRID_EVENTS_LIMIT <= 10_000_000  # SendGrid batches are well below
    assert INBOUND_PARSE_LIMIT > 30 * 1024 * 1024  # SendGrid parses mail up to 30 MB
    assert UNSUBSCRIBE_LIMIT < API_JSON_LIMIT


def test_the_lead_upload_still_reaches_its_own_20_mb_check(client: httpx.Client) -> None:
    row = b"Ada Lovelace,ada@analytical.example,Analytical Engines\n"
    csv = b"name,email,company\n" + row * (MAX_UPLOAD_BYTES // len(row) + 1)
    assert len(csv) > MAX_UPLOAD_BYTES
    response = client.post("/api/v1/leads/import", files={"file": ("big.csv", csv, "text/csv")})
    assert response.status_code == 413, response.text
    assert problem_detail(response) == "the file is larger than 20 MB"


def test_a_large_json_import_under_its_limit_is_imported(client: httpx.Client) -> None:
    note = "x" * 700
    leads = [
        {"name": f"Lead {n}", "email": f"lead{n}@example.com", "company": "Acme", "notes": note}
        for n in range(2_000)
    ]
    payload = json.dumps({"leads": leads}).encode()
    assert API_JSON_LIMIT < len(payload) < LEAD_IMPORT_LIMIT
    response = client.post(
        "/api/v1/leads", content=payload, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text[:500]
    assert response.json()["imported"] == 2_000


def test_an_unsigned_webhook_body_is_refused_before_it_is_read(stranger: httpx.Client) -> None:
    body = Body(64 * 1024 * 1024)
    response = stranger.post(EVENTS_URL, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 403, response.text
    assert "not signed" in problem_detail(response)
    assert body.cut_off(), f"the server read {body.taken} of {body.total} bytes first"


def test_a_signed_webhook_batch_past_its_limit_is_refused(
    stranger: httpx.Client, signer: WebhookSigner
) -> None:
    body = Body(HUGE)
    headers = {"Content-Type": "application/json", **signer.headers(b"[]")}
    response = stranger.post(EVENTS_URL, content=body, headers=headers)
    assert response.status_code == 413, response.text
    assert "larger than 5 MB" in problem_detail(response)
    assert body.cut_off()
