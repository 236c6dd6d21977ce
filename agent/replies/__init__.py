"""Replies (next: issue 20): classify intent, pause for out-of-office, follow referrals, opt-outs.

May import delivery/, campaigns/, sequences/ and settings.
"""
