"""The console's lead file form over real HTTP: an upload declared far over the console's 1 MB
is answered with the form's page (413, how large it was and may be) and is never read; the API
keeps refusing the same with its JSON problem."""

from __future__ import annotations

import httpx

from server.body_limits import size_text
from tests.server.console.console_forms import PAGE, signed_in_token
from tests.server.hostile.hostile_http import Body

HUGE = 200 * 1024 * 1024
BOUNDARY = "hostileboundary"
FORM_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def test_a_huge_console_upload_gets_the_form_page_and_is_not_read(
    server: str, api_key: str, client: httpx.Client
) -> None:
    with httpx.Client(base_url=server, timeout=60) as browser:
        token = signed_in_token(browser, api_key)
        body = Body(HUGE)
        answer = browser.post(
            "/console/runs",
            content=body,
            headers={**PAGE, "Content-Type": FORM_TYPE, "Content-Length": str(HUGE)},
        )
        assert answer.status_code == 413 and answer.headers["content-type"].startswith("text/")
        said = f"the upload is {size_text(HUGE)}; a lead file may be at most 900 kB"
        assert said in answer.text and f'name="csrf" value="{token}"' in answer.text
        assert body.cut_off(), f"the server read {body.taken} of {body.total} bytes first"

    body = Body(HUGE)
    api = client.post(
        "/api/v1/leads/import",
        content=body,
        headers={"Content-Type": FORM_TYPE, "Content-Length": str(HUGE)},
    )
    assert api.status_code == 413 and api.headers["content-type"] == "application/problem+json"
    assert body.cut_off()
