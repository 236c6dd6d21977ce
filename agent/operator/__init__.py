"""The operator chat: an agent that drives Outreach Architect by tool calls."""
