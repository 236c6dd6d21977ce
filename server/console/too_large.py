"""A console upload over the body limit, answered as a page: the run form again, saying how large
the upload was and how large a lead file may be (413). The API's clients keep their JSON problem.

The request gate leaves an oversized POST /console/runs to the app (server/request_gate.py) and
refuses its body when the form is read; a chunked body is cut off at the limit the same way.
Either way nothing past the limit is read, and the answer closes the connection.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from server.body_limits import BodyTooLarge
from server.console.guard import live_session, wants_page
from server.console.lead_upload import too_large_text
from server.console.run_pages import new_run_form, start_run
from server.console.templating import render
from server.problems import problem


async def body_too_large(request: Request, exc: BodyTooLarge) -> Response:
    """Answer a body over its limit: a console page for the console, else the JSON problem."""
    headers = dict(exc.headers or {})
    endpoint = request.scope.get("endpoint")
    if not getattr(endpoint, "__module__", "").startswith(f"{__package__}."):
        return problem(exc.status_code, str(exc.detail), headers=headers)
    session = await live_session(request)
    if session is None:
        if wants_page(request):
            return RedirectResponse(request.url_for("sign_in_page"), 303, headers=headers)
        return problem(401, "sign in to the console first", headers=headers)
    if endpoint is start_run:
        said = too_large_text(exc.size, limit=exc.limit, what="the upload")
        return await new_run_form(
            request, session, problems=[said], status_code=413, headers=headers
        )
    said = f"the form sent is larger than the {exc.limit // 1000} kB this page takes"
    return render(
        request, "missing.html", session=session, heading="Too large", problem=said,
        status_code=413, headers=headers,
    )  # fmt: skip
