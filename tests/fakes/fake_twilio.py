"""A loopback stand-in for Twilio's Messages API, and Twilio's side of its webhooks.

The fake serves `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` as Twilio does (and
`GET` of it: the account's messages, newest first, filtered by To and From): basic
auth with the account SID and auth token, a form with To, From or MessagingServiceSid, Body
and StatusCallback, and a 201 JSON answer with a new `SM...` SID. It records every message it
accepts; `fail_next` scripts Twilio error answers, and numbers in `unsubscribed` are refused
with 21610 as Twilio refuses recipients who texted STOP.

It also plays Twilio calling us: `post_status` posts a signed status callback to the URL a
message was sent with, `post_inbound` a signed incoming text, each signed for the public URL
(what Twilio was given) while the request goes to the loopback server behind it.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
from collections import deque
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit, urlunsplit

import httpx
from twilio.request_validator import RequestValidator

from tests.fakes.loopback_server import LoopbackServer, ServedFake, answer_json

API_VERSION = "2010-04-01"
DEFAULT_SID = "AC" + "0123456789abcdef" * 2
DEFAULT_TOKEN = "twilio-test-auth-token"
SIGNATURE_HEADER = "X-Twilio-Signature"
_ERRORS = {
    400: (21211, "The 'To' number is not a valid phone number."),
    401: (20003, "Authenticate"),
    404: (20404, "The requested resource was not found"),
    429: (20429, "Too Many Requests"),
    500: (20500, "Internal Server Error"),
    503: (20503, "Service Unavailable"),
}


def new_sid(prefix: str = "SM") -> str:
    """Return a Twilio-shaped SID: two letters and 32 hex digits."""
    return prefix + secrets.token_hex(16)


def error_body(status: int, code: int | None = None, message: str | None = None) -> bytes:
    """Return Twilio's error JSON: code, message, more_info, status."""
    default_code, default_message = _ERRORS.get(status, (status, "Error"))
    code = code if code is not None else default_code
    return json.dumps(
        {
            "code": code,
            "message": message or default_message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        }
    ).encode()


@dataclass(frozen=True)
class Fault:
    """A scripted error answer."""

    status: int
    """The HTTP status; 0: never answer (until the fake stops), as a stuck API would."""
    code: int | None = None
    message: str | None = None


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        fake = self.server.fake
        path, _, query = self.path.partition("?")
        if path != f"/{API_VERSION}/Accounts/{fake.account_sid}/Messages.json":
            self._send(404, error_body(404))
        elif self.headers.get("Authorization") != fake.authorization:
            self._send(401, error_body(401))
        else:
            wanted = {k: v[0] for k, v in parse_qs(query).items()}
            self._send(200, json.dumps(fake.listing(wanted)).encode())

    def do_POST(self) -> None:
        fake = self.server.fake
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        fault = fake.next_fault()
        if fault is not None and fault.status == 0:
            self.server.stopping.wait()
            return
        if fault is not None:
            self._send(fault.status, error_body(fault.status, fault.code, fault.message))
            return
        prefix = f"/{API_VERSION}/Accounts/"
        account, _, rest = self.path.removeprefix(prefix).partition("/")
        if not self.path.startswith(prefix) or rest != "Messages.json":
            self._send(404, error_body(404))
        elif self.headers.get("Authorization") != fake.authorization or account != fake.account_sid:
            self._send(401, error_body(401))
        else:
            form = dict(parse_qsl(raw.decode("ascii"), keep_blank_values=True))
            status, answer = fake.accept(form)
            self._send(status, json.dumps(answer).encode())

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        answer_json(self, status, body, headers)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""


class _Server(LoopbackServer):
    def __init__(self, fake: FakeTwilio) -> None:
        super().__init__(_Handler)
        self.fake = fake


class FakeTwilio(ServedFake):
    """Serve Twilio's Messages API on 127.0.0.1 for a with-block; pass `base_url` to the client."""

    def __init__(self, *, account_sid: str = DEFAULT_SID, auth_token: str = DEFAULT_TOKEN) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        credentials = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self.authorization = f"Basic {credentials}"
        self.unsubscribed: set[str] = set()
        """Recipients refused with 21610, as Twilio refuses numbers that texted STOP."""
        self._lock = threading.Lock()
        self._sent: list[dict[str, str]] = []
        self._resources: list[dict[str, Any]] = []
        self._faults: deque[Fault] = deque()
        self._server = _Server(self)

    @property
    def sent(self) -> list[dict[str, str]]:
        """Return the accepted messages' form fields (plus their `Sid`), oldest first."""
        with self._lock:
            return [dict(message) for message in self._sent]

    def fail_next(
        self, status: int, times: int = 1, *, code: int | None = None, message: str | None = None
    ) -> None:
        """Answer the next `times` requests with this status and Twilio's error JSON."""
        with self._lock:
            self._faults.extend([Fault(status, code, message)] * times)

    def hang_next(self, times: int = 1) -> None:
        """Never answer the next `times` requests (the client's timeout has to end them)."""
        with self._lock:
            self._faults.extend([Fault(0)] * times)

    def next_fault(self) -> Fault | None:
        """Return (and consume) the fault scripted for the current request, if any."""
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def accept(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Check a Messages.json form as Twilio would; record it; return status and answer."""
        to = form.get("To", "")
        sender = form.get("From", "")
        service = form.get("MessagingServiceSid", "")
        if not to:
            return 400, json.loads(error_body(400, 21604, "A 'To' phone number is required."))
        if not (to.startswith("+") and to[1:].isdigit() and 8 <= len(to) <= 16):
            message = f"The 'To' number {to} is not a valid phone number."
            return 400, json.loads(error_body(400, 21211, message))
        if not sender and not service:
            return 400, json.loads(error_body(400, 21603, "A 'From' phone number is required."))
        if not form.get("Body"):
            return 400, json.loads(error_body(400, 21602, "Message body is required."))
        if to in self.unsubscribed:
            message = "Attempt to send to unsubscribed recipient"
            return 400, json.loads(error_body(400, 21610, message))
        sid = new_sid()
        now = formatdate(usegmt=True)
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}.json"
        resource = {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": form["Body"],
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": sender or None,
            "messaging_service_sid": service or None,
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "accepted" if service else "queued",
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
            "to": to,
            "uri": uri,
        }
        with self._lock:
            self._sent.append({**form, "Sid": sid})
            self._resources.append(resource)
        return 201, resource

    def listing(self, wanted: dict[str, str]) -> dict[str, Any]:
        """One page of the account's messages, newest first, as Twilio lists them."""
        with self._lock:
            found = [
                m
                for m in reversed(self._resources)
                if wanted.get("To", m["to"]) == m["to"]
                and wanted.get("From", m["from"]) == m["from"]
            ][: int(wanted.get("PageSize", 50))]
        return {
            "messages": found,
            "page": 0,
            "page_size": len(found),
            "first_page_uri": f"/{API_VERSION}/Accounts/{self.account_sid}/Messages.json",
            "next_page_uri": None,
            "previous_page_uri": None,
            "uri": f"/{API_VERSION}/Accounts/{self.account_sid}/Messages.json",
        }

    # --- Twilio calling us ---------------------------------------------------------------------

    def signature(self, url: str, params: dict[str, str], *, token: str | None = None) -> str:
        """Return X-Twilio-Signature for a POST of `params` to `url` (another token forges it)."""
        return str(RequestValidator(token or self.auth_token).compute_signature(url, params))

    def post_webhook(
        self,
        url: str,
        params: dict[str, str],
        *,
        reach: str,
        signature: str | None = None,
        forge: bool = False,
    ) -> httpx.Response:
        """POST a form signed for `url` (the public address) to the server at `reach`.

        `reach` (http://127.0.0.1:PORT) replaces the URL's scheme and host, as a reverse
        proxy in front of the server would. `forge` signs with a wrong token; `signature`
        sends that header value instead (empty: no header).
        """
        if signature is None:
            signature = self.signature(url, params, token="not-the-token" if forge else None)
        headers = {SIGNATURE_HEADER: signature} if signature else {}
        target = urlsplit(reach)
        parts = urlsplit(url)
        internal = urlunsplit((target.scheme, target.netloc, parts.path, parts.query, ""))
        with httpx.Client(timeout=30) as http:
            return http.post(internal, data=params, headers=headers)

    def status_params(
        self, sid: str, status: str, *, error_code: int | None = None
    ) -> tuple[str, dict[str, str]]:
        """Return the StatusCallback URL a message was sent with and the form Twilio posts."""
        message = next((m for m in self.sent if m["Sid"] == sid), None)
        assert message is not None, f"the fake sent no message {sid}"
        assert message.get("StatusCallback"), f"message {sid} was sent without a StatusCallback"
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": API_VERSION,
            "From": message.get("From", "+15005550006"),
            "MessageSid": sid,
            "MessageStatus": status,
            "SmsSid": sid,
            "SmsStatus": status,
            "To": message["To"],
        }
        if error_code is not None:
            params["ErrorCode"] = str(error_code)
        return message["StatusCallback"], params

    def post_status(
        self,
        sid: str,
        status: str,
        *,
        reach: str,
        error_code: int | None = None,
        forge: bool = False,
    ) -> httpx.Response:
        """Post the signed status callback Twilio sends about a message it accepted."""
        url, params = self.status_params(sid, status, error_code=error_code)
        return self.post_webhook(url, params, reach=reach, forge=forge)

    def inbound_params(
        self, sender: str, body: str, *, to: str = "+15005550006", sid: str | None = None
    ) -> dict[str, str]:
        """Return the form Twilio posts for an incoming text."""
        message_sid = sid or new_sid()
        return {
            "AccountSid": self.account_sid,
            "ApiVersion": API_VERSION,
            "Body": body,
            "From": sender,
            "FromCountry": "US",
            "MessageSid": message_sid,
            "NumMedia": "0",
            "NumSegments": "1",
            "SmsMessageSid": message_sid,
            "SmsSid": message_sid,
            "SmsStatus": "received",
            "To": to,
        }

    def post_inbound(
        self,
        url: str,
        sender: str,
        body: str,
        *,
        reach: str,
        sid: str | None = None,
        forge: bool = False,
    ) -> httpx.Response:
        """Post a signed incoming text to our messaging webhook (`url`: its public address)."""
        params = self.inbound_params(sender, body, sid=sid)
        return self.post_webhook(url, params, reach=reach, forge=forge)
