"""HubSpot's CRM v3 objects API through the official client (hubspot-api-client).

Contacts are read and created by email (HubSpot keeps email unique), companies found by
domain, and engagements created as email and note objects associated with the contact in the
same call. Every call goes through `call_hubspot`: bounded retries on 429 and 5xx.
"""

from __future__ import annotations

import asyncio
from typing import Any

import hubspot
from hubspot.crm import companies, contacts
from hubspot.crm.objects import emails, notes
from urllib3.util.retry import Retry

from tools.crm.hubspot_records import (
    CONTACT_PROPERTIES,
    ActivityNote,
    CrmContact,
    SentEmail,
)
from tools.crm.retries import CrmConflict, CrmNotFound, RetryPolicy, Sleep, call_hubspot

EMAIL_TO_CONTACT = 198
"""HubSpot's association type id for an email object on a contact."""
NOTE_TO_CONTACT = 202
"""HubSpot's association type id for a note on a contact."""


class HubSpotCrm:
    """One HubSpot account (a private app's access token), with retries on every call."""

    def __init__(
        self,
        access_token: str,
        *,
        base_url: str | None = None,
        policy: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        """Configure the client; `base_url` only points it at a test double."""
        if not access_token.strip():
            raise ValueError("HubSpot needs a private app's access token")
        # urllib3 would otherwise sleep through a Retry-After itself, unbounded and blocking:
        # every retry is call_hubspot's, so its limits hold.
        no_retries = Retry(total=0, redirect=False, respect_retry_after_header=False)
        options: dict[str, Any] = {"access_token": access_token.strip(), "retry": no_retries}
        if base_url:
            options["host"] = base_url.rstrip("/")
        self._client = hubspot.Client.create(**options)
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self._apis: dict[str, Any] = {}

    def _api(self, name: str) -> Any:
        """Return one of the client's API objects, built once (each build opens a pool)."""
        if name not in self._apis:
            crm = self._client.crm
            self._apis[name] = {
                "contacts": lambda: crm.contacts.basic_api,
                "companies": lambda: crm.companies.basic_api,
                "company_search": lambda: crm.companies.search_api,
                "associations": lambda: crm.associations.v4.basic_api,
                "emails": lambda: crm.objects.emails.basic_api,
                "notes": lambda: crm.objects.notes.basic_api,
            }[name]()
        return self._apis[name]

    def close(self) -> None:
        """Close the client's connections."""
        for api in self._apis.values():
            api.api_client.rest_client.pool_manager.clear()
        self._apis.clear()

    async def _call(self, what: str, call: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["_request_timeout"] = self._policy.timeout_s
        return await call_hubspot(
            lambda: call(*args, **kwargs), what=what, policy=self._policy, sleep=self._sleep
        )

    async def find_contact(self, email: str) -> CrmContact | None:
        """Return the contact with this email address, or None if HubSpot has none."""
        try:
            found = await self._call(
                "read the contact by email",
                self._api("contacts").get_by_id,
                email,
                id_property="email",
                properties=list(CONTACT_PROPERTIES),
            )
        except CrmNotFound:
            return None
        return CrmContact(id=str(found.id), properties=dict(found.properties or {}))

    async def create_contact(self, properties: dict[str, str]) -> CrmContact:
        """Create a contact; if one with the email appeared meanwhile, return that one."""
        email = properties["email"]
        body = contacts.SimplePublicObjectInputForCreate(properties=properties, associations=[])
        try:
            made = await self._call("create the contact", self._api("contacts").create, body)
        except CrmConflict:
            existing = await self.find_contact(email)
            if existing is None:
                raise
            return existing
        return CrmContact(id=str(made.id), properties=dict(made.properties or {}))

    async def update_contact(self, contact_id: str, properties: dict[str, str]) -> None:
        """Set these properties on the contact."""
        body = contacts.SimplePublicObjectInput(properties=properties)
        await self._call(
            f"update the contact {contact_id}",
            self._api("contacts").update,
            contact_id,
            body,
        )

    async def find_company(self, domain: str) -> str | None:
        """Return the id of the (oldest) company with this domain, or None."""
        search = companies.PublicObjectSearchRequest(
            filter_groups=[
                companies.FilterGroup(
                    filters=[companies.Filter(property_name="domain", operator="EQ", value=domain)]
                )
            ],
            properties=["domain", "name"],
            sorts=["createdate"],
            limit=1,
        )
        found = await self._call(
            f"look up the company {domain}", self._api("company_search").do_search, search
        )
        results = found.results or []
        return str(results[0].id) if results else None

    async def create_company(self, domain: str, name: str | None) -> str:
        """Create a company for this domain and return its id."""
        properties = {"domain": domain, **({"name": name.strip()} if name and name.strip() else {})}
        body = companies.SimplePublicObjectInputForCreate(properties=properties, associations=[])
        made = await self._call(f"create the company {domain}", self._api("companies").create, body)
        return str(made.id)

    async def link_contact_to_company(self, contact_id: str, company_id: str) -> None:
        """Associate the contact with the company (HubSpot's default association)."""
        await self._call(
            f"associate the contact {contact_id} with the company {company_id}",
            self._api("associations").create_default,
            "contacts",
            contact_id,
            "companies",
            company_id,
        )

    async def log_email(self, contact_id: str, email: SentEmail) -> str:
        """Log a sent email on the contact's timeline and return the email object's id."""
        return await self._log("emails", emails, EMAIL_TO_CONTACT, contact_id, email.properties())

    async def log_note(self, contact_id: str, note: ActivityNote) -> str:
        """Log a note on the contact's timeline and return the note's id."""
        return await self._log("notes", notes, NOTE_TO_CONTACT, contact_id, note.properties())

    async def _log(
        self, kind: str, api: Any, association_type: int, contact_id: str, properties: Any
    ) -> str:
        """Create an engagement object (`emails` or `notes`, with its API module's models)
        associated with the contact; return its id."""
        association = api.PublicAssociationsForObject(
            to=api.PublicObjectId(id=contact_id),
            types=[
                api.AssociationSpec(
                    association_category="HUBSPOT_DEFINED", association_type_id=association_type
                )
            ],
        )
        body = api.SimplePublicObjectInputForCreate(
            properties=properties, associations=[association]
        )
        made = await self._call(
            f"log {'an email' if kind == 'emails' else 'a note'} on the contact {contact_id}",
            self._api(kind).create,
            body,
        )
        return str(made.id)
