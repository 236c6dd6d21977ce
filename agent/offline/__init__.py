"""The offline provider: a deterministic, fact-grounded analyst and writer.

May import graphs/ (its types), tools/ and prompts/; no other room of agent/.
"""
