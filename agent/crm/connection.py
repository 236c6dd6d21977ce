"""The HubSpot connection from settings: on with an access token, off (and saying so) without."""

from __future__ import annotations

import asyncio

from agent.settings import Settings
from tools.crm.hubspot_client import HubSpotCrm
from tools.crm.retries import RetryPolicy, Sleep

CRM_OFF = (
    "HubSpot sync is off: set OUTREACH_HUBSPOT_ACCESS_TOKEN (in the environment, .env or "
    "outreach.toml as hubspot_access_token) to the access token of a HubSpot private app with "
    "the scopes crm.objects.contacts.read/write and crm.objects.companies.read/write"
)
"""What to tell a user who asks for a sync without a token."""


class CrmOff(Exception):
    """The CRM sync is not configured; the message says how to turn it on."""

    def __init__(self) -> None:
        super().__init__(CRM_OFF)


def crm_is_on(settings: Settings) -> bool:
    """Tell whether a HubSpot access token is configured."""
    token = settings.hubspot_access_token
    return token is not None and bool(token.get_secret_value().strip())


def crm_from_settings(
    settings: Settings, *, policy: RetryPolicy | None = None, sleep: Sleep = asyncio.sleep
) -> HubSpotCrm:
    """Return the HubSpot client the settings configure; raise CrmOff without a token."""
    if not crm_is_on(settings):
        raise CrmOff()
    assert settings.hubspot_access_token is not None
    return HubSpotCrm(
        settings.hubspot_access_token.get_secret_value(),
        base_url=settings.hubspot_base_url or None,
        policy=policy,
        sleep=sleep,
    )
