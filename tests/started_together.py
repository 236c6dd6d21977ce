"""Child processes that must overlap: each says "ready" once set up, then all are told "go"
together, and each must exit 0; a child still running when this ends is killed."""

from __future__ import annotations

import subprocess


def run_together(children: list[subprocess.Popen[str]], *, timeout: float = 120) -> None:
    """Wait for every child's "ready" line, send each "go", wait for each to exit 0."""
    try:
        for child in children:  # every child is set up before any starts its work
            assert child.stdout is not None and child.stdout.readline() == "ready\n"
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        for child in children:
            assert child.wait(timeout=timeout) == 0
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
