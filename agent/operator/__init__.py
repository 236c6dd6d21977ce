"""The operator chat (`outreach chat`): an agent that drives Outreach Architect by tool calls.

May import every room but cli/; the command that starts it lives in cli/.
"""
