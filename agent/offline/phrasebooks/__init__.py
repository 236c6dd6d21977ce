"""The offline writer's words by language: one module of data per language.

Each language is a Phrasebook (base.py: asks, pitch frames, bridges, subjects, greetings) with
its HookBook (hook_book.py: how each kind of fact is said, dates, the lead row), in <code>.py
and <code>_hooks.py. A language is written by the offline writer once it is in PHRASEBOOKS.
"""

from __future__ import annotations

from agent.offline.phrasebooks.base import Phrasebook
from agent.offline.phrasebooks.de import GERMAN
from agent.offline.phrasebooks.en import ENGLISH
from agent.offline.phrasebooks.es import SPANISH
from agent.offline.phrasebooks.fr import FRENCH

PHRASEBOOKS: dict[str, Phrasebook] = {"en": ENGLISH, "es": SPANISH, "fr": FRENCH, "de": GERMAN}


def phrasebook(language: str) -> Phrasebook:
    """Return the phrasebook for a language code ("en", "es", …), English when it has none."""
    return PHRASEBOOKS.get(language, ENGLISH)


__all__ = ["PHRASEBOOKS", "Phrasebook", "phrasebook"]
