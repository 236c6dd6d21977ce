"""Delivery: the email providers, the ledgered outbox, the campaign dispatcher, its send schedule
and signed unsubscribe links.

May import settings, providers, campaigns/ (what a campaign says) and experiments/ (variant
allocation); not runs/, review/ or cli/.
"""
