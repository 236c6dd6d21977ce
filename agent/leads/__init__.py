"""Leads: reading lead files (CSV, JSONL, any encoding Excel writes) and keeping or erasing leads.

May import settings and the storage/ and graphs/ types; no other room of agent/.
"""
