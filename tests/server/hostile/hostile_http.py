"""What the hostile-request tests share: a body that counts what the server took, a raw socket
client that never finishes its request, and the detail of a problem answer."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx

CHUNK = 64 * 1024


class Body:
    """A request body of `total` bytes made while the client sends it; counts what was taken.

    If the server cuts the request off, the client stops being asked for more: `taken` stays far
    below `total`. A server that reads the body to its end takes all of it.
    """

    def __init__(self, total: int, fill: bytes = b" ") -> None:
        self.total = total
        self.taken = 0
        self._block = fill * CHUNK

    def __iter__(self) -> Iterator[bytes]:
        while self.taken < self.total:
            block = self._block[: self.total - self.taken]
            self.taken += len(block)
            yield block

    def cut_off(self) -> bool:
        """Whether the client was stopped well before the end (socket buffers hold some MB)."""
        return self.taken < self.total // 2


def answer_before_the_body_ends(server: str, head: bytes, parts: list[bytes]) -> bytes:
    """Send a request's head and the start of its body, never the rest; return the answer."""
    url = urlsplit(server)
    with socket.create_connection((url.hostname, url.port)) as sock:
        sock.settimeout(30)  # only so that a server waiting for the rest fails instead of hanging
        sock.sendall(head)
        for part in parts:
            sock.sendall(part)
        answer = b""
        while not _complete(answer):
            data = sock.recv(65536)
            assert data, f"the server closed the connection without a whole answer: {answer!r}"
            answer += data
    return answer


def _complete(answer: bytes) -> bool:
    head, found, body = answer.partition(b"\r\n\r\n")
    if not found:
        return False
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return length is not None and len(body) >= int(length.group(1))


def problem_detail(response: httpx.Response) -> str:
    assert response.headers["content-type"].startswith("application/problem+json"), response.text
    return str(response.json()["detail"])
