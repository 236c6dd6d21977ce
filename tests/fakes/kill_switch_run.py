"""Run the `outreach` CLI with a kill switch in its checkpoint saver (for crash tests).

    python -m tests.fakes.kill_switch_run WHERE N outreach-args...

WHERE is "after-writes" (SIGKILL right after the Nth batch of a node's writes is saved, so
before the checkpoint of its step), "before-checkpoint" (SIGKILL just before the Nth
checkpoint is saved) or "never". The kill is the process's own, so it lands exactly there.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from storage.threaded_checkpoints import ThreadedPostgresSaver, ThreadedSqliteSaver


def arm(where: str, n: int) -> None:
    """Patch both savers so the Nth save of the chosen kind kills this process."""
    seen = 0
    method = {"after-writes": "aput_writes", "before-checkpoint": "aput"}.get(where)
    if method is None:
        return

    def countdown() -> None:
        nonlocal seen
        seen += 1
        if seen == n:
            os.kill(os.getpid(), signal.SIGKILL)

    for saver in (ThreadedSqliteSaver, ThreadedPostgresSaver):
        original = getattr(saver, method)

        async def patched(self: Any, *args: Any, _original: Any = original, **kw: Any) -> Any:
            if method == "aput":
                countdown()
                return await _original(self, *args, **kw)
            result = await _original(self, *args, **kw)
            countdown()
            return result

        setattr(saver, method, patched)


def main() -> None:
    where, n, *args = sys.argv[1:]
    arm(where, int(n))
    from agent.cli.app import app

    sys.argv = ["outreach", *args]
    app()


if __name__ == "__main__":
    main()
