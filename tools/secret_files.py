"""A signing secret kept in a file of the data directory, created once, whole or not at all.

Several processes (API servers, workers) may start at once on one data directory. The secret
is written to a file of its own first and then linked into place, which fails if another
process got there first: so no process ever reads a half-written (or empty) secret and signs
with it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

MIN_CHARS = 32
"""The shortest secret accepted (hex characters: 128 bits)."""


class WeakSecret(RuntimeError):
    """A stored secret too short to sign with: the file was changed by hand."""


def stored_secret(path: Path) -> bytes:
    """Return the secret in `path`, creating it (64 hex characters, mode 0600) if missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32))
            with contextlib.suppress(FileExistsError):  # another process made it first
                os.link(draft, path)  # atomic, and never replaces a secret already there
        finally:
            draft.unlink(missing_ok=True)
    secret = path.read_text().strip()
    if len(secret) < MIN_CHARS:
        raise WeakSecret(
            f"{path} holds a secret of {len(secret)} characters, under {MIN_CHARS}: delete the "
            "file to have a new one made (signed links and sessions made with it stop working)"
        )
    return secret.encode()
