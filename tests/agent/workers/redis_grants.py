"""Watch the slots a shared rate limit grants, on the Redis server's own clock.

The limiter's script records each grant with ZADD <key> <µs on Redis' clock> <id>; MONITOR
shows the commands scripts run, so the grants are read exactly as the limiter counted them,
whatever delay lay between a grant and the request it allowed.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager
from typing import Any

from redis import Redis


class RedisGrants(AbstractContextManager["RedisGrants"]):
    """Collect, while open, the grant times (µs) recorded under keys containing `key_part`."""

    def __init__(self, url: str, key_part: str) -> None:
        self._url = url
        self._key_part = key_part
        self._redis = Redis.from_url(url)
        self._stopping = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="RedisGrants", daemon=True)
        self.grants: dict[str, list[int]] = {}

    def __enter__(self) -> RedisGrants:
        self._thread.start()
        if not self._ready.wait(timeout=10):
            raise RuntimeError(f"could not watch {self._url} with MONITOR")
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        # MONITOR shows commands in the order Redis ran them: every grant made before this
        # PING is read before the watcher sees the PING and stops.
        self._redis.ping()
        self._thread.join(timeout=10)
        self._redis.close()
        if self._thread.is_alive():
            raise RuntimeError("the MONITOR watcher did not see its closing PING")

    def _watch(self) -> None:
        # No read timeout: a quiet spell is no error; the PING at exit ends the wait.
        with Redis.from_url(self._url, socket_timeout=None).monitor() as monitor:
            self._ready.set()
            while True:
                command = monitor.next_command()
                if self._stopping.is_set() and str(command.get("command")) == "PING":
                    return
                self._record(command)

    def _record(self, command: dict[str, Any]) -> None:
        words = str(command.get("command", "")).split()
        if command.get("client_type") != "lua" or len(words) != 4 or words[0] != "ZADD":
            return
        key, score = words[1], words[2]
        if self._key_part in key:
            self.grants.setdefault(key, []).append(int(score))
