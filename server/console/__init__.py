"""The web console (next: issue 24): pages for the people who review and run campaigns.

Templates and static assets live beside it; it may import agent/ and the server's own modules.
"""
