"""`outreach demo`: bundled fictional leads through the whole pipeline, offline and on loopback.

May import every room but cli/ (the command itself lives in cli/).
"""
