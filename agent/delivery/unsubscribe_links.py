"""Signed unsubscribe links: a message id and an HMAC, so nobody can opt out someone else.

The secret comes from settings, or is created once in the data directory (mode 0600) so links
in mail already sent keep working across restarts.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from pathlib import Path

from agent.settings import Settings
from storage.models import MAX_ROW_ID
from tools.secret_files import stored_secret

SECRET_FILE = "unsubscribe.secret"
SIGNATURE_LENGTH = 24
TOKEN_SHAPE = re.compile(
    rf"(?P<id>[1-9][0-9]{{0,9}})\.(?P<signature>[0-9a-f]{{{SIGNATURE_LENGTH}}})"
)
"""What `UnsubscribeLinks.token` writes: a message id, a dot, the hex signature (ASCII only)."""


def _secret(settings: Settings) -> bytes:
    if settings.unsubscribe_secret is not None:
        return settings.unsubscribe_secret.get_secret_value().encode()
    return stored_secret(Path(settings.data_dir) / SECRET_FILE)


@dataclass(frozen=True)
class UnsubscribeLinks:
    """Make and check the links in every email's footer and List-Unsubscribe header."""

    secret: bytes
    base_url: str

    @classmethod
    def from_settings(cls, settings: Settings) -> UnsubscribeLinks:
        """Use the configured (or stored) secret and the server's public address."""
        return cls(_secret(settings), settings.public_base_url.rstrip("/"))

    def _signature(self, message_id: int) -> str:
        digest = hmac.new(self.secret, f"unsubscribe:{message_id}".encode(), hashlib.sha256)
        return digest.hexdigest()[:SIGNATURE_LENGTH]

    def header_id(self, key: str) -> str:
        """Return the left side of the Message-ID for the message with this send-ledger key:
        the same for every attempt at it, and unguessable without the secret (a reply naming
        it in In-Reply-To is trusted to answer that message)."""
        digest = hmac.new(self.secret, f"message-id:{key}".encode(), hashlib.sha256)
        return digest.hexdigest()[:40]

    def token(self, message_id: int) -> str:
        """Return the token for a message."""
        return f"{message_id}.{self._signature(message_id)}"

    def url(self, message_id: int) -> str:
        """Return the one-click unsubscribe URL for a message."""
        return f"{self.base_url}/u/{self.token(message_id)}"

    def message_of(self, token: str) -> int | None:
        """Return the message id a token was made for, or None if it is not genuine.

        Only a token shaped as `token` writes them verifies (an id without leading zeros, a dot,
        lowercase hex): anything else (other digits, signs, non-ASCII text, any length) is None
        before a number is read or a signature compared, and the comparison is of bytes.
        """
        shape = TOKEN_SHAPE.fullmatch(token)
        if shape is None:
            return None
        number = int(shape["id"])
        if number > MAX_ROW_ID:
            return None  # no message has such an id (and a query would overflow)
        expected = self._signature(number).encode("ascii")
        return number if hmac.compare_digest(shape["signature"].encode("ascii"), expected) else None
