"""Runs over HTTP: behind the session, an upload needs its CSRF token and a bounded size, and a
run started from a lead file finishes with each lead's decision on its page."""

from __future__ import annotations

import re
import time
from typing import Any

from fastapi.testclient import TestClient

from server.body_limits import size_text
from tests.server.api_helpers import DEMO_AUDIENCE
from tests.server.console.console_forms import PAGE, signed_in_token
from tests.server.console.run_uploads import demo_lead_file
from tests.server.console.seeding import HOSTILE_NAME


def _campaign(client: TestClient, api_key: str) -> dict[str, Any]:
    created = client.post(
        "/api/v1/campaigns",
        json={"name": "Console runs", "channel": "email", "target_audience": DEMO_AUDIENCE},
        headers={"Authorization": f"Bearer {api_key}"},
    )
    assert created.status_code == 201, created.text
    return dict(created.json())


def test_run_pages_and_the_stream_need_a_session(browser_client: TestClient) -> None:
    for path in ("/console/runs", "/console/runs/new", "/console/runs/abc", "/console/messages/1"):
        page = browser_client.get(path, headers=PAGE)
        assert page.status_code == 303 and page.headers["location"].endswith("/sign-in")
    stream = browser_client.get("/console/runs/abc/events", headers={"Accept": "text/event-stream"})
    assert stream.status_code == 401
    upload = browser_client.post(
        "/console/runs", data={"campaign": "1"}, files={"leads": ("l.csv", b"name\n")}
    )
    assert upload.status_code == 401


def test_an_upload_without_its_token_or_too_large_is_refused(
    browser_client: TestClient, api_key: str
) -> None:
    campaign = _campaign(browser_client, api_key)
    token = signed_in_token(browser_client, api_key)
    data, _ = demo_lead_file()
    forged = browser_client.post(
        "/console/runs",
        data={"campaign": str(campaign["id"])},
        files={"leads": ("leads.csv", data, "text/csv")},
        headers=PAGE,
    )
    assert forged.status_code == 403 and "CSRF" in forged.text
    too_large = browser_client.post(
        "/console/runs",
        data={"campaign": str(campaign["id"]), "csrf": token},
        files={"leads": ("leads.csv", data * 2000, "text/csv")},
        headers=PAGE,
    )
    assert too_large.status_code == 413
    assert re.search(r"the upload is [\d.]+ MB; a lead file may be at most 900 kB", too_large.text)
    not_leads = browser_client.post(
        "/console/runs",
        data={"campaign": str(campaign["id"]), "csrf": token},
        files={"leads": ("leads.csv", b"colour,size\nred,9\n", "text/csv")},
        headers=PAGE,
    )
    assert not_leads.status_code == 422 and "The run was not started" in not_leads.text
    listing = browser_client.get("/console/runs", headers=PAGE)
    assert "No runs yet." in listing.text


def test_a_run_from_an_upload_shows_each_leads_decision(
    browser_client: TestClient, api_key: str
) -> None:
    campaign = _campaign(browser_client, api_key)
    token = signed_in_token(browser_client, api_key)
    data, names = demo_lead_file()
    form = browser_client.get(f"/console/runs/new?campaign={campaign['id']}", headers=PAGE)
    assert f'<option value="{campaign["id"]}" selected>' in form.text
    started = browser_client.post(
        "/console/runs",
        data={"campaign": str(campaign["id"]), "csrf": token},
        files={"leads": ("leads.csv", data, "text/csv")},
        headers=PAGE,
    )
    assert started.status_code == 303, started.text
    run_path = started.headers["location"].removeprefix("http://testserver")
    run_id = run_path.rsplit("/", 1)[1]
    key = {"Authorization": f"Bearer {api_key}"}
    deadline = time.monotonic() + 300
    while browser_client.get(f"/api/v1/runs/{run_id}", headers=key).json()["status"] == "running":
        assert time.monotonic() < deadline, "the run never ended"
        time.sleep(0.2)
    page = browser_client.get(run_path, headers=PAGE)
    assert page.status_code == 200
    assert re.search(r'id="run-status">completed<', page.text)
    assert f'id="run-processed">{len(names)}<' in page.text
    for name in names[:-1]:
        assert name in page.text
    assert HOSTILE_NAME not in page.text and "&lt;img src=x onerror=alert(1)&gt;" in page.text
    stored = browser_client.get(f"/api/v1/messages?run_id={run_id}", headers=key).json()
    assert len(stored["items"]) == len(names)
    for message in stored["items"]:
        assert f">{message['status']}</td>" in page.text
        # Each decision opens its message: the decision, the reason and every draft.
        assert f'href="/console/messages/{message["id"]}"' in page.text
        opened = browser_client.get(f"/console/messages/{message['id']}", headers=PAGE)
        assert opened.status_code == 200
        assert f'class="decision-status">{message["status"]}<' in opened.text
        assert HOSTILE_NAME not in opened.text
        for variant in message["variants"]:
            assert f"{variant['tone']} draft" in opened.text
    assert browser_client.get("/console/messages/999999", headers=PAGE).status_code == 404
    listing = browser_client.get("/console/runs", headers=PAGE)
    assert f'href="/console/runs/{run_id}"' in listing.text and "Console runs" in listing.text
    # The API's event stream, for the session: every lead's message, then the end.
    with browser_client.stream(
        "GET", f"{run_path}/events", headers={"Accept": "text/event-stream"}
    ) as stream:
        text = "".join(stream.iter_text())
    assert text.count("event: message") == len(names) and "event: end" in text


def test_an_upload_over_the_bound_gets_the_form_back_saying_how_large(
    browser_client: TestClient, api_key: str
) -> None:
    campaign = _campaign(browser_client, api_key)
    form = {"campaign": str(campaign["id"])}
    over_1_mb = {"leads": ("leads.csv", b"name,email\n" + b"x" * 1_200_000, "text/csv")}
    assert browser_client.post("/console/runs", data=form, files=over_1_mb).status_code == 401
    token = signed_in_token(browser_client, api_key)
    form["csrf"] = token

    # Over the file's own 900 kB, within the console's 1 MB bodies: read, then refused.
    over_900_kb = {"leads": ("leads.csv", b"name,email\n" + b"x" * 950_000, "text/csv")}
    own = browser_client.post("/console/runs", data=form, files=over_900_kb, headers=PAGE)
    assert own.status_code == 413 and own.headers["content-type"].startswith("text/html")
    assert "leads.csv: the file is 950 kB; a lead file may be at most 900 kB" in own.text

    # Over 1 MB by its Content-Length: refused unread, with the same page.
    request = browser_client.build_request(
        "POST", "/console/runs", data=form, files=over_1_mb, headers=PAGE
    )
    declared = int(request.headers["content-length"])
    big = browser_client.send(request)
    assert big.status_code == 413 and big.headers["content-type"].startswith("text/html")
    assert big.headers["connection"] == "close"
    assert f"the upload is {size_text(declared)}; a lead file may be at most 900 kB" in big.text
    assert "<h1>Start a run</h1>" in big.text and f'name="csrf" value="{token}"' in big.text
    assert f'<option value="{campaign["id"]}"' in big.text  # the form, ready for a smaller file

    # Over 1 MB in chunks, so no length to say: only that it is over.
    body = request.read()
    chunked = browser_client.post(
        "/console/runs",
        content=(body[i : i + 65_536] for i in range(0, len(body), 65_536)),
        headers={**PAGE, "content-type": request.headers["content-type"]},
    )
    assert chunked.status_code == 413
    assert "the upload is over 1 MB; a lead file may be at most 900 kB" in chunked.text
    assert "No runs yet." in browser_client.get("/console/runs", headers=PAGE).text

    # The API keeps its JSON problem for the same size.
    api = browser_client.post(
        "/api/v1/campaigns",
        content=b" " * 1_200_000,
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
    )
    assert api.status_code == 413 and api.headers["content-type"] == "application/problem+json"
    assert (
        api.json()["detail"] == "the request body is larger than 1 MB, the limit for this endpoint"
    )
