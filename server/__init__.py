"""The FastAPI service (`outreach serve`): routes, webhooks and background runs (issue 6)."""
