"""HubSpot, through its official client: contacts by email, companies by domain, engagements.

`HubSpotCrm` wraps the CRM v3 objects API with bounded retries on 429 and 5xx (honouring
Retry-After); `lifecycle` says which stage a lead's status earns and which contacts are off
limits. Nothing here reads our database: agent/crm/ decides what to sync.
"""
