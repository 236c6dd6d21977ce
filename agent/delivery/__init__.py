"""Delivery: the one way a message leaves (`ledgered_send`), the pipeline's outbox and the
campaign dispatcher that both go through it, the email providers, the send schedule and signed
unsubscribe links.

May import settings, providers, campaigns/ (what a campaign says) and experiments/ (variant
allocation); not runs/, review/ or cli/.
"""
