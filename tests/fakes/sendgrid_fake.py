"""A loopback stand-in for SendGrid's `POST /v3/mail/send` and its Email Activity search
(`GET /v3/messages?query=...`), and a signer for Event Webhook tests.

The fake checks the bearer key and the minimal shape of the JSON body, records accepted bodies
and answers 202 with a unique `X-Message-Id`, as SendGrid does; `fail_next` scripts errors.
The activity search understands the queries this project makes (`to_email="..."`,
`unique_args['name']="..."`, joined by AND) and answers 403 as for an account without the
add-on when `activity_api` is off.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.fakes.loopback_server import LoopbackServer, ServedFake, answer_json

SEND_PATH = "/v3/mail/send"
ACTIVITY_PATH = "/v3/messages"
_CLAUSE = re.compile(r"""\s*(to_email|unique_args\['([^']+)'\])\s*=\s*"([^"]*)"\s*""")
_REASONS = {
    400: "Bad Request",
    401: "The provided authorization grant is invalid, expired, or revoked",
    403: "access forbidden",
    413: "Payload Too Large",
    429: "too many requests",
    500: "internal server error",
    503: "service unavailable",
}


def _errors(*errors: tuple[str, str | None]) -> bytes:
    """Return a SendGrid-style error body: {"errors": [{"message", "field", "help"}]}."""
    return json.dumps(
        {"errors": [{"message": m, "field": f, "help": None} for m, f in errors]}
    ).encode()


def _problems(body: Any) -> list[tuple[str, str | None]]:
    """Return what SendGrid would complain about in a mail/send body (a minimal check)."""
    if not isinstance(body, dict):
        return [("Bad Request", None)]
    problems: list[tuple[str, str | None]] = []
    people = body.get("personalizations")
    people = people if isinstance(people, list) else []
    if not people or not all(isinstance(p, dict) and p.get("to") for p in people):
        message = "The personalizations field is required and must have at least one recipient."
        problems.append((message, "personalizations"))
    sender = body.get("from")
    if not isinstance(sender, dict) or not sender.get("email"):
        message = "The from object must be provided for every email send."
        problems.append((message, "from.email"))
    if not body.get("subject") and not (people and all(p.get("subject") for p in people)):
        problems.append(("The subject is required.", "subject"))
    content = body.get("content")
    if not isinstance(content, list) or not any(
        isinstance(c, dict) and c.get("value") for c in content
    ):
        message = "Unless a valid template_id is provided, the content parameter is required."
        problems.append((message, "content"))
    return problems


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        fake = self.server.fake
        url = urlsplit(self.path)
        status = fake.next_fault()
        if status is not None:
            self._send(status, _errors((_REASONS.get(status, "error"), None)))
        elif url.path != ACTIVITY_PATH:
            self._send(404, _errors(("not found", None)))
        elif self.headers.get("Authorization") != f"Bearer {fake.api_key}":
            self._send(401, _errors((_REASONS[401], None)))
        elif not fake.activity_api:
            self._send(403, _errors((_REASONS[403], None)))
        else:
            query = parse_qs(url.query).get("query", [""])[0]
            clauses = [_CLAUSE.fullmatch(part) for part in re.split(r"\s+AND\s+", query)]
            if not query or not all(clauses):
                self._send(400, _errors(("invalid query", "query")))
                return
            found = fake.activity([(m[2] or "to_email", m[3]) for m in clauses if m])
            self._send(200, json.dumps({"messages": found}).encode())

    def do_POST(self) -> None:
        fake = self.server.fake
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status = fake.next_fault()
        if status is not None:
            self._send(status, _errors((_REASONS.get(status, "error"), None)))
        elif self.path != SEND_PATH:
            self._send(404, _errors(("not found", None)))
        elif self.headers.get("Authorization") != f"Bearer {fake.api_key}":
            self._send(401, _errors((_REASONS[401], None)))
        else:
            try:
                body = json.loads(raw)
            except ValueError:
                self._send(400, _errors(("Bad Request", None)))
                return
            problems = _problems(body)
            if problems:
                self._send(400, _errors(*problems))
            else:
                if fake.delay_s:
                    time.sleep(fake.delay_s)  # a slow provider: sends overlap a kill
                hang = fake.hang_now()
                message_id = fake.accept(body) if hang != "lose" else None
                if hang is not None:  # no answer until the fake stops (the caller dies first)
                    fake.hung.set()
                    self.server.stopping.wait()
                    return
                self._send(202, b"", {"X-Message-Id": message_id or ""})

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        answer_json(self, status, body, headers)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""


class _Server(LoopbackServer):
    def __init__(self, fake: SendGridFake) -> None:
        super().__init__(_Handler)
        self.fake = fake


class SendGridFake(ServedFake):
    """Serve SendGrid's mail/send on 127.0.0.1 for a with-block; pass `base_url` as the host."""

    def __init__(self, *, api_key: str = "SG.test-key") -> None:
        self.api_key = api_key
        self._lock = threading.Lock()
        self._sent: list[dict[str, Any]] = []
        self._message_ids: list[str] = []
        self._accepted_at: list[float] = []
        self._faults: deque[int] = deque()
        self.delay_s = 0.0
        """How long each accepted request takes to answer."""
        self.activity_api = True
        """Whether the account has the Email Activity API (else its search answers 403)."""
        self._hang: tuple[int, str] | None = None
        self.hung = threading.Event()
        """Set when a request is being left without an answer (see `hang_on`)."""
        self._server = _Server(self)

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Return a copy of the accepted request bodies, oldest first."""
        with self._lock:
            return list(self._sent)

    @property
    def accepted_at(self) -> list[float]:
        """Return when each accepted body arrived (time.monotonic()), in the same order."""
        with self._lock:
            return list(self._accepted_at)

    @property
    def message_ids(self) -> list[str]:
        """Return the X-Message-Id answered for each accepted body, in the same order."""
        with self._lock:
            return list(self._message_ids)

    def fail_next(self, status: int, times: int = 1) -> None:
        """Answer the next `times` requests with this status and a SendGrid-style error body."""
        with self._lock:
            self._faults.extend([status] * times)

    def next_fault(self) -> int | None:
        """Return (and consume) the status scripted for the current request, if any."""
        with self._lock:
            return self._faults.popleft() if self._faults else None

    def hang_on(self, request: int, *, took_it: bool) -> None:
        """Leave the `request`-th accepted send (1-based, counting from now) without an answer:
        taken (recorded, as when SendGrid took it and the answer was lost) or not."""
        with self._lock:
            self._hang = (len(self._sent) + request, "take" if took_it else "lose")

    def hang_now(self) -> str | None:
        """Whether this request is the one to leave unanswered ("take" or "lose")."""
        with self._lock:
            if self._hang is None or len(self._sent) + 1 != self._hang[0]:
                return None
            how, self._hang = self._hang[1], None
            return how

    def activity(self, wanted: list[tuple[str, str]]) -> list[dict[str, Any]]:
        """The accepted emails matching every (field, value) as the activity search lists
        them: one entry per recipient, newest first; `msg_id` is `<X-Message-Id>.filter…`."""
        with self._lock:
            sent = list(zip(self._sent, self._message_ids, strict=True))
        found = []
        for body, message_id in reversed(sent):
            args = {k: str(v) for k, v in (body.get("custom_args") or {}).items()}
            for personalization in body.get("personalizations", []):
                for to in personalization.get("to", []):
                    fields = {**args, "to_email": str(to.get("email", ""))}
                    if all(fields.get(name) == value for name, value in wanted):
                        found.append({
                            "msg_id": f"{message_id}.filter0001p1mdw1-1-0-0",
                            "from_email": body["from"]["email"], "to_email": fields["to_email"],
                            "subject": body.get("subject", ""), "status": "delivered",
                            "opens_count": 0, "clicks_count": 0,
                        })  # fmt: skip
        return found

    def accept(self, body: dict[str, Any]) -> str:
        """Record an accepted body and return its new message id."""
        message_id = secrets.token_urlsafe(16)
        with self._lock:
            self._sent.append(body)
            self._message_ids.append(message_id)
            self._accepted_at.append(time.monotonic())
        return message_id


class WebhookSigner:
    """Sign Event Webhook requests as SendGrid does, with a fresh P-256 key pair."""

    def __init__(self) -> None:
        self._key = ec.generate_private_key(ec.SECP256R1())
        der = self._key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.public_key = base64.b64encode(der).decode()
        """The verification key in SendGrid's format: base64 DER SubjectPublicKeyInfo."""

    def sign(self, payload: bytes, timestamp: str) -> str:
        """Return the base64 DER ECDSA/SHA-256 signature of timestamp + payload."""
        signature = self._key.sign(timestamp.encode() + payload, ec.ECDSA(hashes.SHA256()))
        return base64.b64encode(signature).decode()

    def headers(self, payload: bytes, timestamp: str | None = None) -> dict[str, str]:
        """Return the signature and timestamp headers for payload (timestamp defaults to now)."""
        stamp = timestamp if timestamp is not None else str(int(time.time()))
        return {
            "X-Twilio-Email-Event-Webhook-Signature": self.sign(payload, stamp),
            "X-Twilio-Email-Event-Webhook-Timestamp": stamp,
        }
