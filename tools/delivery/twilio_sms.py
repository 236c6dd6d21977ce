"""Send text messages through Twilio's Messages API with the official `twilio` client.

The client runs on its own asyncio HTTP client (aiohttp), created in the running event loop on
the first send and closed by `aclose()`. Twilio's answers arrive as `TwilioRestException`
(status and Twilio error code); network failures as aiohttp errors. Both are mapped to
DeliveryRejected (SmsRejected) / DeliveryUnavailable. A `base_url` sends every request to a
stand-in for api.twilio.com (a test double), keeping the paths the client builds.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from twilio.base.exceptions import TwilioException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from tools.delivery.providers import DeliveryUnavailable, SentRecord
from tools.delivery.sms import OutgoingSms, SmsRejected, SuppressAs

PROVIDER = "Twilio"
OPTED_OUT = 21610
"""Twilio: "Attempt to send to unsubscribed recipient" (they texted STOP to our number)."""
UNREACHABLE = frozenset({30003, 30005, 30006, 21211, 21614})
"""Error codes that say the number cannot take texts: the message bounced."""
ERRORS = {
    20003: "authentication failed: check the account SID and auth token",
    21211: "invalid 'To' phone number",
    21408: "permission to send to this region is not enabled",
    21606: "the 'From' number is not a Twilio number of this account that can send SMS",
    21610: "the recipient has unsubscribed (replied STOP)",
    21614: "the 'To' number is not a mobile number",
    21617: "the message body is too long",
    30003: "unreachable destination handset",
    30004: "message blocked by the recipient or their carrier",
    30005: "unknown destination handset (the number does not exist)",
    30006: "landline or unreachable carrier",
    30007: "filtered by the carrier as spam",
    30008: "unknown error from the carrier",
    30034: "the sending number is not registered for A2P 10DLC",
}
"""What the codes this project meets mean, for people reading a delivery error."""
_TRANSIENT_STATUSES = {408, 429}


def error_text(code: int | None) -> str:
    """Return a short explanation of a Twilio error code (or the code alone)."""
    if code is None:
        return "no error code"
    return f"Twilio error {code}: {ERRORS.get(code, 'see twilio.com/docs/errors/' + str(code))}"


def suppression_for(code: int | None) -> SuppressAs | None:
    """Return how a Twilio error code suppresses the number, if it does."""
    if code == OPTED_OUT:
        return "unsubscribed"
    if code in UNREACHABLE:
        return "bounced"
    return None


def is_messaging_service(sender: str) -> bool:
    """Tell a Messaging Service SID (MG + 32 hex digits) from a phone number or sender id."""
    return len(sender) == 34 and sender.startswith("MG")


class RebasedHttpClient(AsyncTwilioHttpClient):
    """Twilio's asyncio HTTP client, with a timeout on every request and an optional base URL.

    The client builds https://api.twilio.com/2010-04-01/... URLs (edge and region settings
    only change the host's name); with `base_url`, the scheme and host become its own, so the
    same calls reach a stand-in such as http://127.0.0.1:PORT.
    """

    def __init__(self, *, base_url: str | None = None, timeout_s: float = 10.0) -> None:
        super().__init__(timeout=timeout_s)
        self._base = urlsplit(base_url.rstrip("/")) if base_url else None

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 (the client's own signature)
        allow_redirects: bool = False,
    ) -> Response:
        """Send the request to the base URL, if any, within the timeout."""
        if auth is not None:  # aiohttp deprecates its BasicAuth helper: send the header itself
            pair = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            headers = {**(headers or {}), "Authorization": f"Basic {pair}"}
        if self._base is not None:
            parts = urlsplit(url)
            path = self._base.path + parts.path
            url = urlunsplit((self._base.scheme, self._base.netloc, path, parts.query, ""))
        return await super().request(
            method,
            url,
            params=params,
            data=data,
            headers=headers,
            auth=None,
            # The parent passes None through to aiohttp, which then waits forever.
            timeout=timeout if timeout is not None else self.timeout,
            allow_redirects=allow_redirects,
        )


class TwilioSms:
    """An SmsProvider for Twilio; `base_url` points it at a stand-in (tests).

    `sender` is the E.164 number texts go from, or a Messaging Service SID (MG...), which lets
    Twilio pick a number from the service's pool.
    """

    name = "twilio"

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        sender: str,
        *,
        base_url: str | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        needed = {"an account SID": account_sid, "an auth token": auth_token, "a sender": sender}
        missing = [name for name, value in needed.items() if not value]
        if missing:
            # The client would silently fall back to $TWILIO_ACCOUNT_SID / $TWILIO_AUTH_TOKEN.
            raise ValueError(f"Twilio needs {' and '.join(missing)}")
        self.account_sid = account_sid
        self.sender = sender
        self._auth_token = auth_token
        self._base_url = base_url
        self._timeout_s = timeout_s
        self._client: Client | None = None
        self._http: RebasedHttpClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _client_here(self) -> Client:
        """Return the client of the running event loop (its HTTP session belongs to one).

        Use one provider from one event loop, and `aclose()` it there: a session left open in
        a loop that has ended cannot be closed any more.
        """
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._http = RebasedHttpClient(base_url=self._base_url, timeout_s=self._timeout_s)
            self._client = Client(
                self.account_sid, self._auth_token, self.account_sid, http_client=self._http
            )
            self._loop = loop
        return self._client

    async def send(self, sms: OutgoingSms) -> str:
        """Send the text; return Twilio's message SID (SM...), the id status callbacks name."""
        client = self._client_here()
        options: dict[str, Any] = {"to": sms.to, "body": sms.body}
        if is_messaging_service(self.sender):
            options["messaging_service_sid"] = self.sender
        else:
            options["from_"] = self.sender
        if sms.status_callback:
            options["status_callback"] = sms.status_callback
        try:
            message = await client.api.account.messages.create_async(**options)
        except TwilioException as error:
            raise _mapped(error) from error
        except aiohttp.InvalidURL as error:
            raise SmsRejected(PROVIDER, f"the API address is not a URL: {error}") from error
        except TimeoutError as error:  # aiohttp's connect and read timeouts are TimeoutErrors
            detail = f"no answer within {self._timeout_s:g} s"
            raise DeliveryUnavailable(PROVIDER, detail, unanswered=True) from error
        except aiohttp.ClientConnectorError as error:  # no connection: it never reached Twilio
            detail = str(error) or type(error).__name__
            raise DeliveryUnavailable(PROVIDER, f"cannot reach the API: {detail}") from error
        except (aiohttp.ClientError, OSError) as error:  # e.g. reset after the request went
            detail = f"no answer: {error or type(error).__name__}"
            raise DeliveryUnavailable(PROVIDER, detail, unanswered=True) from error
        except ValueError as error:  # a 2xx answer that is not JSON
            raise _no_sid(f"its answer was not JSON ({error})") from error
        if not message.sid:
            raise _no_sid("its answer named no message SID")
        return str(message.sid)

    can_look_up = True
    """Twilio lists an account's messages by recipient and sender as soon as it takes them."""

    async def find_sent(self, key: str, *, to: str, body: str, since: dt.datetime) -> SentRecord:
        """Look for a text with this body to `to` from our sender created since `since` (Twilio
        keeps no custom ids on a message, so its text and time identify it); any failure to
        ask reads as unknown."""
        options: dict[str, Any] = {"to": to, "limit": 50}
        if not is_messaging_service(self.sender):
            options["from_"] = self.sender
        try:
            listed = await self._client_here().api.account.messages.list_async(**options)
        except (TwilioException, aiohttp.ClientError, OSError, ValueError):
            return SentRecord("unknown")
        floor = since - dt.timedelta(minutes=1)  # our clock and Twilio's may differ a little
        for message in listed:
            created = message.date_created
            if message.body == body and (created is None or created >= floor):
                return SentRecord("found", str(message.sid))
        return SentRecord("absent")

    async def aclose(self) -> None:
        """Close the HTTP session (a new one opens on the next send)."""
        http, self._http, self._client = self._http, None, None
        if http is not None:
            await http.close()


def _no_sid(why: str) -> SmsRejected:
    # Twilio took the request, so the text may be on its way: retrying could send it twice.
    return SmsRejected(
        PROVIDER, f"Twilio accepted the request but {why}; the text may have gone, so it is not "
        "retried: check the Messages log in Twilio's console",
    )  # fmt: skip


def _mapped(error: TwilioException) -> SmsRejected | DeliveryUnavailable:
    """Return the delivery error for a Twilio API error (status and Twilio error code)."""
    status = getattr(error, "status", None)
    code = getattr(error, "code", None)
    status = status if isinstance(status, int) else None
    code = code if isinstance(code, int) and code != status else None
    said = str(getattr(error, "msg", None) or getattr(error, "detail", None) or "")[:300]
    detail = error_text(code) + (f" ({said})" if said else "")
    if status is not None and (status in _TRANSIENT_STATUSES or status >= 500):
        return DeliveryUnavailable(PROVIDER, detail, status=status)
    return SmsRejected(
        PROVIDER, detail, status=status, code=code, suppress_as=suppression_for(code)
    )
