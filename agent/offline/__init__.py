"""The offline provider: a deterministic, fact-grounded analyst and writer."""
