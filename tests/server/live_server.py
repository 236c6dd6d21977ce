"""The real API served by uvicorn on a loopback port, in a background thread, for HTTP tests."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from fastapi import FastAPI

from tests.fakes.loopback_server import ServedFake


class _UvicornThread:
    """uvicorn on a free 127.0.0.1 port, run in a thread; start() returns once it serves."""

    def __init__(self, app: FastAPI) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        config = uvicorn.Config(
            app, log_level="warning", lifespan="on", timeout_graceful_shutdown=5
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    @property
    def address(self) -> str:
        host, port = self._socket.getsockname()[:2]
        return f"{host}:{port}"

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the API server did not start (see its log above)")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._socket.close()


class LiveServer(ServedFake):
    """Serve an ASGI app over real HTTP on 127.0.0.1 while the with-block runs."""

    def __init__(self, app: FastAPI) -> None:
        self._server = _UvicornThread(app)
