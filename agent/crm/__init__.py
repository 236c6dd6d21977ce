"""CRM sync: our leads, sent messages and replies, written to HubSpot; its customers held.

`outreach crm sync` and `sync_crm_if_on` (for a worker) run `CrmSync`; `crm_blocks` tells the
sending path whether HubSpot holds an address. Off unless OUTREACH_HUBSPOT_ACCESS_TOKEN is
set; a failed sync never blocks sending. May import storage/, tools/ and settings.
"""
