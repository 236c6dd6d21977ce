"""Sessions ended by signing out, kept in the data directory so every process refuses them.

Signing out ends this one session, not every session of the key (revoking the key does that).
A session is named by a hash of its CSRF token (random, 256 bits, one per sign-in), so the
files never hold a token a reader could put in a form. Each ended session is one file whose
name is that hash and whose text is the session's expiry: writing it is one exclusive create
(no read-modify-write of a shared list that two processes could race on), checking it is one
`exists`, and a file is swept once its session would have expired anyway.

The data directory is what API servers and workers of one installation already share (the
console's signing secret lives there too); servers on other machines need it on shared storage.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import time
from pathlib import Path

from server.console.sessions import ConsoleSession

FOLDER = "console-ended-sessions"


def session_name(session: ConsoleSession) -> str:
    """Return the name a session's end is filed under (a hash of its CSRF token)."""
    return hashlib.sha256(b"console-ended:" + session.csrf.encode()).hexdigest()


def end_session(data_dir: Path, session: ConsoleSession, *, now: float | None = None) -> None:
    """Record that a session has ended; sweep the records of sessions expired since."""
    folder = data_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    # Written aside and linked into place, so a sweep in another process never reads it
    # half-written (an empty or cut expiry would look long past and be swept).
    draft = folder / f".{os.getpid()}.{secrets.token_hex(4)}"
    draft.write_text(repr(session.expires))
    try:
        with contextlib.suppress(FileExistsError):  # ended twice (two tabs): already recorded
            os.link(draft, folder / session_name(session))
    finally:
        draft.unlink(missing_ok=True)
    _sweep(folder, time.time() if now is None else now)


def has_ended(data_dir: Path, session: ConsoleSession) -> bool:
    """Whether the session was signed out (in this process or any other on the directory)."""
    return (data_dir / FOLDER / session_name(session)).exists()


def _sweep(folder: Path, now: float) -> None:
    for record in folder.iterdir():
        if record.name.startswith("."):
            continue  # another process's draft
        try:
            expired = float(record.read_text()) < now
        except (OSError, ValueError):
            continue  # being written by another process, or not ours: left alone
        if expired:
            record.unlink(missing_ok=True)
