"""The offline writer's words by language: one module of data per language.

English only for now. Another language is one more module shaped like en.py (a Phrasebook
with the same slots) added to PHRASEBOOKS; until then a message in it uses English phrasings
around the campaign's own words in that language.
"""

from __future__ import annotations

from agent.offline.phrasebooks.base import Phrasebook
from agent.offline.phrasebooks.en import ENGLISH

PHRASEBOOKS: dict[str, Phrasebook] = {"en": ENGLISH}


def phrasebook(language: str) -> Phrasebook:
    """Return the phrasebook for a language code ("en", "es", …), English when it has none."""
    return PHRASEBOOKS.get(language, ENGLISH)


__all__ = ["PHRASEBOOKS", "Phrasebook", "phrasebook"]
