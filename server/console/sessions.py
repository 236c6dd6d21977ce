"""Console sessions: a signed, expiring cookie naming the API key that signed in.

The cookie holds the key's id and name, a CSRF token and an expiry, signed with HMAC-SHA256
(itsdangerous is not installed, and this is all of it that the console needs). The key is
looked up again on every request, so revoking it ends its console sessions too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from agent.settings import Settings
from tools.secret_files import stored_secret

COOKIE = "outreach_console"
SECRET_FILE = "console.secret"


@dataclass(frozen=True)
class ConsoleSession:
    """Who signed in (by API key), until when, and the token their forms must carry."""

    key_id: int
    key_name: str
    csrf: str
    expires: float

    @classmethod
    def start(cls, key_id: int, key_name: str, *, hours: float) -> ConsoleSession:
        """Open a session for a key that has just been checked."""
        return cls(key_id, key_name, secrets.token_urlsafe(32), time.time() + hours * 3600)


def console_secret(settings: Settings) -> bytes:
    """Return the signing secret: the setting, or one created once in the data directory."""
    if settings.console_secret is not None:
        return settings.console_secret.get_secret_value().encode()
    return stored_secret(Path(settings.data_dir) / SECRET_FILE)


def _sign(secret: bytes, payload: bytes) -> str:
    return hmac.new(secret, b"console-session:" + payload, hashlib.sha256).hexdigest()


def seal(secret: bytes, session: ConsoleSession) -> str:
    """Return the cookie value for a session."""
    body = json.dumps(
        {"k": session.key_id, "n": session.key_name, "c": session.csrf, "e": session.expires},
        separators=(",", ":"),
    ).encode()
    encoded = base64.urlsafe_b64encode(body).decode().rstrip("=")
    return f"{encoded}.{_sign(secret, encoded.encode())}"


def unseal(secret: bytes, value: str | None, *, now: float | None = None) -> ConsoleSession | None:
    """Return the session a cookie holds, or None when it is absent, forged or expired."""
    if not value or value.count(".") != 1:
        return None
    encoded, signature = value.split(".")
    # Bytes, not str: compare_digest refuses a str with non-ASCII characters (a 500).
    if not hmac.compare_digest(signature.encode(), _sign(secret, encoded.encode()).encode()):
        return None
    try:
        fields = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        session = ConsoleSession(
            int(fields["k"]), str(fields["n"]), str(fields["c"]), float(fields["e"])
        )
    except (ValueError, KeyError, TypeError):
        return None
    return session if session.expires > (time.time() if now is None else now) else None
