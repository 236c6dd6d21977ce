"""A loopback stand-in for People Data Labs' person enrichment API, with scriptable faults."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.loopback_server import LoopbackServer, ServedFake

ENRICH_PATH = "/v5/person/enrich"
JSON = "application/json"


def _error_body(status: int, kind: str, message: str) -> bytes:
    return json.dumps({"status": status, "error": {"type": kind, "message": message}}).encode()


@dataclass(frozen=True)
class Fault:
    """How the server misbehaves for one request."""

    status: int = 500
    body: bytes = _error_body(500, "internal_error", "Internal server error")
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    # After the delay, answer as if nothing happened (a slow server rather than a broken one).
    then_answer: bool = False

    @classmethod
    def rate_limited(cls, retry_after: str | None = "0") -> Fault:
        """Answer 429, with Retry-After when given."""
        headers = {} if retry_after is None else {"Retry-After": retry_after}
        body = _error_body(429, "rate_limit_error", "Rate limit exceeded")
        return cls(status=429, body=body, headers=headers)

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        """Answer a 5xx."""
        return cls(status=status, body=_error_body(status, "internal_error", "Server error"))

    @classmethod
    def error(cls, status: int, kind: str, message: str) -> Fault:
        """Answer any status with a PDL-shaped error body."""
        return cls(status=status, body=_error_body(status, kind, message))

    @classmethod
    def slow(cls, delay_s: float) -> Fault:
        """Answer normally, but only after delay_s."""
        return cls(delay_s=delay_s, then_answer=True)

    @classmethod
    def malformed(cls) -> Fault:
        """Answer 200 with a truncated JSON body."""
        return cls(status=200, body=b'{"status": 200, "likelihood": 9, "data": {"full_na')


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it (header names lower-cased)."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]


def normalize_key(value: str) -> str:
    """Return an email or LinkedIn URL in the form used to key people."""
    key = value.strip().lower()
    for prefix in ("https://", "http://", "www."):
        key = key.removeprefix(prefix)
    return key.rstrip("/")


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        headers = {k.lower(): v for k, v in self.headers.items()}
        fault = self.server.fake.record(RecordedRequest(parts.path, query, headers))
        if fault is not None:
            self._wait(fault.delay_s)
            if not fault.then_answer:
                self._send(fault.status, fault.body, fault.content_type, fault.headers)
                return
        if parts.path != ENRICH_PATH:
            self._send(404, _error_body(404, "not_found", "No such endpoint"))
            return
        if headers.get("x-api-key") != self.server.fake.api_key:
            self._send(401, _error_body(401, "authentication_error", "Invalid API key"))
            return
        status, body = self.server.fake.answer(query)
        self._send(status, json.dumps(body).encode())

    def _wait(self, delay_s: float) -> None:
        # Sliced so that closing the server does not wait for a long scripted delay.
        deadline = time.monotonic() + delay_s
        while time.monotonic() < deadline and not self.server.stopping.is_set():
            time.sleep(0.01)

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str = JSON,
        headers: dict[str, str] | None = None,
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test); nothing to answer

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""


class _Server(LoopbackServer):
    def __init__(self, fake: EnrichmentApiFake) -> None:
        super().__init__(_Handler)
        self.fake = fake


class EnrichmentApiFake(ServedFake):
    """Serve /v5/person/enrich on 127.0.0.1 from in-memory people for a with-block.

    people maps an email or LinkedIn URL to the PDL `data` record; lookups by name and company
    match a record's full_name and job_company_name, ignoring case.
    """

    def __init__(
        self,
        people: dict[str, dict[str, Any]] | None = None,
        *,
        api_key: str = "test-key",
        likelihood: int = 9,
    ) -> None:
        self.api_key = api_key
        self.likelihood = likelihood
        self._people = {normalize_key(k): v for k, v in (people or {}).items()}
        self._lock = threading.Lock()
        self._faults: deque[Fault] = deque()
        self._requests: list[RecordedRequest] = []
        self._server = _Server(self)

    @property
    def requests(self) -> list[RecordedRequest]:
        """Return a copy of the requests received so far."""
        with self._lock:
            return list(self._requests)

    def fail_next(self, fault: Fault, times: int = 1) -> None:
        """Answer the next `times` requests with fault (queued after earlier faults)."""
        with self._lock:
            self._faults.extend([fault] * times)

    def record(self, request: RecordedRequest) -> Fault | None:
        """Record a request and return the fault scripted for it, if any."""
        with self._lock:
            self._requests.append(request)
            return self._faults.popleft() if self._faults else None

    def answer(self, query: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Return the status and JSON body PDL would send for these parameters."""
        record = self._find(query)
        min_likelihood = int(query.get("min_likelihood") or 0)
        if record is None or self.likelihood < min_likelihood:
            message = "No records were found matching your request"
            return 404, {"status": 404, "error": {"type": "not_found", "message": message}}
        return 200, {"status": 200, "likelihood": self.likelihood, "data": record}

    def _find(self, query: dict[str, str]) -> dict[str, Any] | None:
        for param in ("email", "profile"):
            if query.get(param) and normalize_key(query[param]) in self._people:
                return self._people[normalize_key(query[param])]
        name, company = query.get("name", "").casefold(), query.get("company", "").casefold()
        if name and company:
            for record in self._people.values():
                if (
                    str(record.get("full_name", "")).casefold() == name
                    and str(record.get("job_company_name", "")).casefold() == company
                ):
                    return record
        return None
