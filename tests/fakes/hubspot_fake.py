"""A loopback stand-in for the HubSpot CRM API calls the sync makes, through the official client.

Served as HubSpot serves them, with its JSON shapes (so the client's models read the answers):
- `GET /crm/v3/objects/contacts/{id or email}?idProperty=email&properties=...` (404 when none),
- `POST /crm/v3/objects/contacts` (409 for an email it already has), `PATCH .../contacts/{id}`
  (400 for a lifecycle stage that moves backwards, as HubSpot refuses it),
- `POST /crm/v3/objects/companies/search` (filter `domain EQ ...`), `POST .../companies`,
- `PUT /crm/v4/objects/contacts/{id}/associations/default/companies/{id}`,
- `POST /crm/v3/objects/emails` and `.../notes` with their association to a contact.

It checks the bearer token, records every object and every write, and scripts faults:
`fail_next` answers the next requests with a status (and Retry-After), `break_contact` answers
every request about one contact's record with a status until `mend_contact`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakes.loopback_server import LoopbackServer, ServedFake, answer_json

DEFAULT_TOKEN = "pat-na1-test-token"
STAGES = (
    "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity",
    "customer", "evangelist", "other",
)  # fmt: skip
ENGAGEMENT_TYPES = {"emails": 198, "notes": 202}
"""The association type id each engagement object must name to be on a contact."""
CONTACT_TO_COMPANY = 279


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _error(message: str, category: str) -> dict[str, Any]:
    return {"status": "error", "message": message, "correlationId": "fake", "category": category}


@dataclass
class CrmObject:
    """One object the fake holds: a contact, company, email or note."""

    id: str
    properties: dict[str, str]
    associations: list[str] = field(default_factory=list)
    """Ids of the contacts (for an engagement) or companies (for a contact) it is linked to."""
    created_at: str = field(default_factory=_now)

    def answer(self, wanted: list[str] | None = None) -> dict[str, Any]:
        """Return HubSpot's SimplePublicObject JSON (only the asked-for properties, if asked)."""
        properties: dict[str, str | None] = {"hs_object_id": self.id}
        if wanted:
            properties.update({name: self.properties.get(name) for name in wanted})
        else:
            properties.update(self.properties)
        return {
            "id": self.id,
            "properties": properties,
            "createdAt": self.created_at,
            "updatedAt": _now(),
            "archived": False,
        }


@dataclass(frozen=True)
class Fault:
    """A scripted error answer."""

    status: int
    retry_after: str | None = None


class Answer(Exception):
    """Raised inside a handler to answer with a status and body."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def _serve(self, method: str) -> None:
        fake = self.server.fake
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        url = urlsplit(self.path)
        try:
            fake.check(method, url.path, raw, self.headers.get("Authorization"))
            body = json.loads(raw) if raw else {}
            status, answer = fake.route(method, url.path, parse_qs(url.query), body)
        except Answer as answer_:
            payload = json.dumps(answer_.body).encode()
            answer_json(self, answer_.status, payload, answer_.headers)
            return
        except ValueError:
            answer_json(
                self, 400, json.dumps(_error("Invalid input JSON", "VALIDATION_ERROR")).encode()
            )
            return
        answer_json(self, status, json.dumps(answer).encode())

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""


class _Server(LoopbackServer):
    def __init__(self, fake: HubSpotFake) -> None:
        super().__init__(_Handler)
        self.fake = fake


class HubSpotFake(ServedFake):
    """Serve HubSpot's CRM API on 127.0.0.1 for a with-block; pass `base_url` as the host."""

    def __init__(self, *, token: str = DEFAULT_TOKEN) -> None:
        self.token = token
        self._lock = threading.RLock()
        self._ids = itertools.count(1001)
        self._objects: dict[str, dict[str, CrmObject]] = {
            "contacts": {}, "companies": {}, "emails": {}, "notes": {}
        }  # fmt: skip
        self._faults: deque[Fault] = deque()
        self._broken: dict[str, int] = {}
        self.writes: list[tuple[str, str]] = []
        """Every write HubSpot accepted (method, path), oldest first."""
        self.faults_answered: list[int] = []
        """The status of every scripted fault answered, in order."""
        self._server = _Server(self)

    # -- scripting ---------------------------------------------------------------------------

    def add_contact(self, email: str, **properties: str) -> str:
        """Put a contact in the account (as sales would have) and return its id."""
        with self._lock:
            return self._create("contacts", {"email": email, **properties}).id

    def fail_next(self, status: int, times: int = 1, *, retry_after: str | None = None) -> None:
        """Answer the next `times` requests with this status (and a Retry-After header)."""
        with self._lock:
            self._faults.extend([Fault(status, retry_after)] * times)

    def break_contact(self, email: str, status: int = 500) -> None:
        """Answer every request about this contact's record with `status`."""
        with self._lock:
            self._broken[email.lower()] = status

    def mend_contact(self, email: str) -> None:
        """Serve requests about this contact normally again."""
        with self._lock:
            self._broken.pop(email.lower(), None)

    # -- what a test looks at ----------------------------------------------------------------

    def contact(self, email: str) -> dict[str, str] | None:
        """Return the properties of the contact with this email, or None."""
        with self._lock:
            found = self._contact_by_email(email)
            return dict(found.properties) if found else None

    def contacts(self) -> list[dict[str, str]]:
        """Return every contact's properties, oldest first."""
        with self._lock:
            return [dict(o.properties) for o in self._objects["contacts"].values()]

    def companies(self) -> list[dict[str, str]]:
        """Return every company's properties, oldest first."""
        with self._lock:
            return [dict(o.properties) for o in self._objects["companies"].values()]

    def companies_of(self, email: str) -> list[str]:
        """Return the domains of the companies the contact is associated with."""
        with self._lock:
            found = self._contact_by_email(email)
            companies = self._objects["companies"]
            ids = found.associations if found else []
            return [companies[i].properties.get("domain", "") for i in ids if i in companies]

    def engagements(self, kind: str, email: str) -> list[dict[str, str]]:
        """Return the properties of the emails or notes on this contact, oldest first."""
        with self._lock:
            found = self._contact_by_email(email)
            if found is None:
                return []
            return [
                dict(o.properties)
                for o in self._objects[kind].values()
                if found.id in o.associations
            ]

    # -- serving -----------------------------------------------------------------------------

    def check(self, method: str, path: str, raw: bytes, authorization: str | None) -> None:
        """Answer a scripted fault, a broken contact's status or 401 before routing."""
        with self._lock:
            fault = self._faults.popleft() if self._faults else None
            if fault is not None:
                self.faults_answered.append(fault.status)
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                raise Answer(fault.status, _error("scripted fault", "RATE_LIMITS"), headers)
            if authorization != f"Bearer {self.token}":
                raise Answer(
                    401, _error("Authentication credentials not found.", "INVALID_AUTHENTICATION")
                )
            about = self._about(path, raw)
            if about in self._broken:
                status = self._broken[about]
                self.faults_answered.append(status)
                raise Answer(status, _error("internal error", "INTERNAL_ERROR"))

    def _about(self, path: str, raw: bytes) -> str | None:
        """Return the email of the contact a request concerns, if any."""
        parts = [unquote(p) for p in path.strip("/").split("/")]
        contacts = self._objects["contacts"]
        for part in parts:
            if "@" in part:
                return part.lower()
            if part in contacts:
                return contacts[part].properties.get("email", "").lower()
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return None
        if not isinstance(body, dict):
            return None
        properties = body.get("properties")
        email = properties.get("email") if isinstance(properties, dict) else None
        if isinstance(email, str):
            return email.lower()
        for association in body.get("associations") or []:
            to = str((association.get("to") or {}).get("id"))
            if to in contacts:
                return contacts[to].properties.get("email", "").lower()
        return None

    def route(
        self, method: str, path: str, query: dict[str, list[str]], body: Any
    ) -> tuple[int, dict[str, Any]]:
        """Serve one request; return the status and JSON answer (or raise Answer)."""
        parts = path.strip("/").split("/")
        with self._lock:
            if parts[:3] == ["crm", "v3", "objects"] and len(parts) >= 4:
                kind, rest = parts[3], parts[4:]
                if kind == "contacts" and method == "GET" and len(rest) == 1:
                    return 200, self._read_contact(unquote(rest[0]), query)
                if kind == "contacts" and method == "PATCH" and len(rest) == 1:
                    return 200, self._update_contact(rest[0], body)
                if kind == "companies" and method == "POST" and rest == ["search"]:
                    return 200, self._search_companies(body)
                if kind in self._objects and method == "POST" and not rest:
                    return 201, self._create_object(kind, path, body)
            if parts[:3] == ["crm", "v4", "objects"] and method == "PUT" and len(parts) == 9:
                return 200, self._associate(parts, path)
        raise Answer(404, _error(f"no route for {method} {path}", "OBJECT_NOT_FOUND"))

    def _contact_by_email(self, email: str) -> CrmObject | None:
        wanted = email.strip().lower()
        for contact in self._objects["contacts"].values():
            if contact.properties.get("email", "").lower() == wanted:
                return contact
        return None

    def _create(self, kind: str, properties: dict[str, str]) -> CrmObject:
        made = CrmObject(id=str(next(self._ids)), properties=dict(properties))
        self._objects[kind][made.id] = made
        return made

    def _read_contact(self, key: str, query: dict[str, list[str]]) -> dict[str, Any]:
        if query.get("idProperty", [""])[0] == "email":
            found = self._contact_by_email(key)
        else:
            found = self._objects["contacts"].get(key)
        if found is None:
            raise Answer(404, _error("resource not found", "OBJECT_NOT_FOUND"))
        wanted = [n for value in query.get("properties", []) for n in value.split(",") if n]
        return found.answer(wanted)

    def _check_stage(self, properties: dict[str, str], current: str | None) -> None:
        stage = properties.get("lifecyclestage")
        if stage is None:
            return
        if stage not in STAGES:
            raise Answer(
                400, _error(f"{stage!r} is not a valid lifecycle stage", "VALIDATION_ERROR")
            )
        if current in STAGES and STAGES.index(stage) < STAGES.index(current):
            message = f"lifecycle stage cannot move backwards from {current} to {stage}"
            raise Answer(400, _error(message, "VALIDATION_ERROR"))

    def _update_contact(self, contact_id: str, body: dict[str, Any]) -> dict[str, Any]:
        found = self._objects["contacts"].get(contact_id)
        if found is None:
            raise Answer(404, _error("resource not found", "OBJECT_NOT_FOUND"))
        properties = {str(k): str(v) for k, v in (body.get("properties") or {}).items()}
        self._check_stage(properties, found.properties.get("lifecyclestage"))
        found.properties.update(properties)
        self.writes.append(("PATCH", f"/crm/v3/objects/contacts/{contact_id}"))
        return found.answer()

    def _search_companies(self, body: dict[str, Any]) -> dict[str, Any]:
        filters = [f for g in body.get("filterGroups") or [] for f in g.get("filters") or []]
        if (
            len(filters) != 1
            or filters[0].get("propertyName") != "domain"
            or filters[0].get("operator") != "EQ"
        ):
            raise Answer(
                400, _error("the fake searches companies by domain EQ only", "VALIDATION_ERROR")
            )
        domain = str(filters[0].get("value", "")).lower()
        found = [
            c for c in self._objects["companies"].values() if c.properties.get("domain") == domain
        ]
        return {
            "total": len(found),
            "results": [c.answer() for c in found[: body.get("limit") or 10]],
        }

    def _create_object(self, kind: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        properties = {str(k): str(v) for k, v in (body.get("properties") or {}).items()}
        linked: list[str] = []
        if kind == "contacts":
            email = properties.get("email", "")
            existing = self._contact_by_email(email) if email else None
            if existing is not None:
                message = f"Contact already exists. Existing ID: {existing.id}"
                raise Answer(409, _error(message, "CONFLICT"))
            self._check_stage(properties, None)
        if kind in ENGAGEMENT_TYPES:
            if not properties.get("hs_timestamp"):
                raise Answer(400, _error("hs_timestamp is required", "VALIDATION_ERROR"))
            for association in body.get("associations") or []:
                to = str((association.get("to") or {}).get("id"))
                types = [t.get("associationTypeId") for t in association.get("types") or []]
                if to not in self._objects["contacts"] or ENGAGEMENT_TYPES[kind] not in types:
                    raise Answer(400, _error(f"bad association {association}", "VALIDATION_ERROR"))
                linked.append(to)
        made = self._create(kind, properties)
        made.associations = linked
        self.writes.append(("POST", path))
        return made.answer()

    def _associate(self, parts: list[str], path: str) -> dict[str, Any]:
        _, _, _, from_type, from_id, _, default, to_type, to_id = parts
        contact = self._objects["contacts"].get(from_id)
        company = self._objects["companies"].get(to_id)
        valid = (from_type, default, to_type) == ("contacts", "default", "companies")
        if not valid or contact is None or company is None:
            raise Answer(404, _error(f"cannot associate {path}", "OBJECT_NOT_FOUND"))
        if to_id not in contact.associations:
            contact.associations.append(to_id)
        self.writes.append(("PUT", path))
        now = _now()
        spec = {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": CONTACT_TO_COMPANY}
        result = {"from": {"id": from_id}, "to": {"id": to_id}, "associationSpec": spec}
        return {"status": "COMPLETE", "results": [result], "startedAt": now, "completedAt": now}


class Waits:
    """Stands in for asyncio.sleep in the client's retries: records the waits, waits for none."""

    def __init__(self) -> None:
        self.asked: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
