"""Load what the critic reads at its first check, ahead of time.

The word frequency tables (tools/word_frequency.py) are built at the first lookup in each
language: about half a second of CPU a process. A worker pays it before it takes leads, so its
first leads are not the slow ones and a short batch spread over many workers does not pay it
inside each worker's first lead.
"""

from __future__ import annotations

from graphs.critic.claim_names import LANGUAGES
from tools.word_frequency import zipf_frequency


def preload_critic() -> None:
    """Build the critic's word tables now (idempotent, thread-safe)."""
    for language in LANGUAGES:
        zipf_frequency("the", language)
