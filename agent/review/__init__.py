"""The human review queue: list, show and act on paused leads, and on leads held after an error.

May import runs/, campaigns/ and settings; not cli/ or operator/.
"""
