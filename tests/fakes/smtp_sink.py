"""A loopback SMTP server (aiosmtpd) that keeps every message it accepts, for a with-block.

`refuse(address, reply)` scripts the answer to RCPT TO for one address, e.g. a permanent
'550 5.1.1 No such user' or a transient '421 4.3.2 Try again later'.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from types import TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


@dataclass(frozen=True)
class ReceivedMail:
    """One accepted message: the envelope, the raw bytes and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    message: EmailMessage


class _LoopbackController(Controller):
    """Binds port 0 and learns the port the OS picked before the start-up self-test uses it."""

    def _trigger_server(self) -> None:
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpSink:
    """Accept mail on 127.0.0.1:`port` while the with-block runs; see `messages`."""

    host = HOST

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[ReceivedMail] = []
        self._refusals: dict[str, str] = {}
        # A fixed server name: the default would look up this machine's FQDN.
        self._controller = _LoopbackController(
            self, hostname=HOST, port=0, server_hostname="sink.localhost"
        )
        self.stall_after_data = False
        """Keep the message but never answer its DATA (a reply lost after delivery)."""

    @property
    def port(self) -> int:
        """Return the port listened on (known once the with-block has started)."""
        return int(self._controller.port)

    @property
    def messages(self) -> list[ReceivedMail]:
        """Return a copy of the accepted messages, oldest first."""
        with self._lock:
            return list(self._messages)

    def refuse(self, address: str, reply: str = "550 5.1.1 No such user") -> None:
        """Answer RCPT TO for address (any case) with this SMTP reply line."""
        with self._lock:
            self._refusals[address.lower()] = reply

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        """Refuse scripted addresses, accept the rest."""
        with self._lock:
            reply = self._refusals.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message, raw and parsed."""
        data = bytes(envelope.original_content or envelope.content)
        message = BytesParser(policy=policy.default).parsebytes(data)
        mail = ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), data, message)
        with self._lock:
            self._messages.append(mail)
        if self.stall_after_data:  # took it; the reply is lost (the client gives up first)
            await asyncio.sleep(5)
        return "250 Message accepted for delivery"

    def __enter__(self) -> Self:
        self._controller.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._controller.stop()
