"""The console's lead file form over real HTTP: an upload declared far over the console's 1 MB
is answered with the form's page (413, how large it was and may be) and is never read; the API
keeps refusing the same with its JSON problem."""

from __future__ import annotations

import httpx

from server.body_limits import size_text
from server.console.sessions import COOKIE
from tests.server.console.console_forms import signed_in_token
from tests.server.hostile.hostile_http import Body, answer_before_the_body_ends

HUGE = 200 * 1024 * 1024
BOUNDARY = "hostileboundary"
FORM_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def test_a_huge_console_upload_gets_the_form_page_and_is_not_read(
    server: str, api_key: str, client: httpx.Client
) -> None:
    with httpx.Client(base_url=server, timeout=60) as browser:
        token = signed_in_token(browser, api_key)
        cookie = browser.cookies[COOKIE]
    # The head and the start of the form, never the rest: the page comes back all the same, so
    # the server answered without waiting for (or reading) the other 200 MB. (A client that
    # pushes the whole body before it reads anything, as httpx does, may see the connection
    # reset under the answer once the server stops reading: a browser reads as it sends.)
    head = (
        f"POST /console/runs HTTP/1.1\r\nHost: console\r\nAccept: text/html\r\n"
        f"Cookie: {COOKIE}={cookie}\r\nContent-Type: {FORM_TYPE}\r\n"
        f"Content-Length: {HUGE}\r\n\r\n"
    ).encode()
    start = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token}\r\n'
    answer = answer_before_the_body_ends(server, head, [start.encode(), b" " * 65536])
    status, _, rest = answer.partition(b"\r\n")
    assert status.startswith(b"HTTP/1.1 413"), answer[:300]
    page = rest.decode()
    assert "content-type: text/html" in page.lower()
    said = f"the upload is {size_text(HUGE)}; a lead file may be at most 900 kB"
    assert said in page and f'name="csrf" value="{token}"' in page

    body = Body(HUGE)
    api = client.post(
        "/api/v1/leads/import",
        content=body,
        headers={"Content-Type": FORM_TYPE, "Content-Length": str(HUGE)},
    )
    assert api.status_code == 413 and api.headers["content-type"] == "application/problem+json"
    assert body.cut_off()
