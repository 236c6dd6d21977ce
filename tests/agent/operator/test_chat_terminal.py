"""`outreach chat` end to end in a pseudo-terminal: the real program, as a person sees it.

The installed `outreach` script runs offline (no model endpoint) against a fresh SQLite
database; the test types commands and reads the screen: the banner, tables, the confirmation
before a deletion, multi-line input, leaving with /quit and Ctrl-D, and resuming a session.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path

import pexpect
import pytest

REPO = Path(__file__).resolve().parents[3]
LEADS_CSV = REPO / "examples" / "leads.csv"
CAMPAIGN_YAML = REPO / "examples" / "campaign.yaml"
OUTREACH = Path(sys.executable).parent / "outreach"
PROMPT = "you> "
MORE = "...> "
GO_AHEAD = "Go ahead? [y/N] "
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
SESSION_LINE = re.compile(r"^Session ([0-9a-f]+) · /help for help · /quit to leave$", re.M)

pytestmark = pytest.mark.skipif(
    not os.access(OUTREACH, os.X_OK),
    reason=f"the `outreach` script is not installed next to {sys.executable} "
    "(pip install -e . in this virtualenv)",
)


def screen(text: str) -> str:
    """What a person reads: no escape sequences, no carriage returns."""
    return ANSI.sub("", text).replace("\r", "")


def table_row(*cells: str) -> re.Pattern[str]:
    """A table row (or the header, drawn with heavier lines) holding these cells in this order;
    other cells may sit in between, and the last one may be the start of a longer cell."""
    bar = "[│┃]"
    between = rf"\s*{bar}(?:[^\n]*{bar})?\s*"
    return re.compile(rf"{bar}\s*" + between.join(map(re.escape, cells)) + rf"[^\n]*{bar}")


class Terminal:
    """`outreach chat` in a pseudo-terminal, with the whole screen kept for failure messages."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.transcript = io.StringIO()
        self.child = pexpect.spawn(
            str(OUTREACH),
            ["chat", *args],
            env=env,
            cwd=str(cwd),
            encoding="utf-8",
            timeout=60,
            dimensions=(50, 160),
        )
        self.child.logfile_read = self.transcript

    def shown(self) -> str:
        return screen(self.transcript.getvalue())

    def wait_for(self, text: str) -> str:
        """Wait until `text` is printed; return what came before it (since the last wait)."""
        try:
            self.child.expect_exact(text)
        except (pexpect.TIMEOUT, pexpect.EOF) as exc:
            raise AssertionError(
                f"never saw {text!r} ({type(exc).__name__}); last output:\n"
                f"{screen(str(self.child.before))}\n--- whole screen ---\n{self.shown()}"
            ) from None
        return screen(str(self.child.before))

    def type(self, line: str, *, until: str = PROMPT) -> str:
        """Type a line; return what the program printed before `until` (the next prompt)."""
        self.child.sendline(line)
        return self.wait_for(until)

    def exits(self) -> str:
        """Wait for the program to end; return its last output; it must exit with status 0."""
        try:
            self.child.expect(pexpect.EOF)
        except pexpect.TIMEOUT:
            raise AssertionError(f"did not exit; screen:\n{self.shown()}") from None
        last = screen(str(self.child.before))
        self.child.close()
        assert (self.child.exitstatus, self.child.signalstatus) == (0, None), (
            f"exit status {self.child.exitstatus}, signal {self.child.signalstatus}; "
            f"screen:\n{self.shown()}"
        )
        return last

    def kill(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


def expect_in(pattern: str | re.Pattern[str], output: str, what: str) -> re.Match[str]:
    match = re.search(pattern, output, re.M) if isinstance(pattern, str) else pattern.search(output)
    assert match is not None, f"{what}: {pattern!r} not shown in:\n{output}"
    return match


@pytest.fixture
def chat_env(tmp_path: Path, demo_resolve: dict[str, str]) -> dict[str, str]:
    """The environment of a person with no model endpoint, a fresh database and no colours;
    research goes to the loopback demo web."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("OUTREACH_", "OPENAI_")) and name != "FORCE_COLOR"
    }
    env.update(
        NO_COLOR="1",
        TERM="xterm",
        COLUMNS="160",
        LINES="50",
        OUTREACH_LLM_PROVIDER="offline",
        OUTREACH_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'outreach.db'}",
        OUTREACH_DATA_DIR=str(tmp_path / "data"),
        OUTREACH_CONFIG_FILE=str(tmp_path / "no-config.toml"),
        OUTREACH_RESOLVE=json.dumps(demo_resolve),
        OUTREACH_ALLOW_PRIVATE_NETWORKS="true",
    )
    return env


def first_visit(env: dict[str, str], cwd: Path) -> str:
    """Look around, import leads, decline a deletion, quit; return the session id."""
    term = Terminal([], env, cwd)
    try:
        banner = term.wait_for(PROMPT)
        expect_in(r"^Outreach Architect operator chat$", banner, "banner")
        expect_in(r"Offline command console", banner, "offline notice")
        expect_in(r"OUTREACH_LLM_PROVIDER=openai", banner, "offline notice")
        session_id = expect_in(SESSION_LINE, banner, "session line").group(1)
        assert "Resumed:" not in banner, banner

        shown = term.type("help")
        for usage in ("campaigns", "import", "approve 12 variant 2", "delete lead 5", "/quit"):
            expect_in(re.escape(usage), shown, "help")

        shown = term.type("campaigns")
        expect_in(r"No campaigns yet", shown, "campaigns on an empty database")

        shown = term.type(f'import "{LEADS_CSV}"')
        expect_in(r"Imported 7 lead\(s\) from leads\.csv", shown, "import")
        expect_in(r"lead ids: 1, 2, 3, 4, 5, 6, 7", shown, "import")
        expect_in(table_row("row", "field", "problem"), shown, "refused rows table header")
        # Chris Doyle, spreadsheet row 9 (the header is row 1), has no domain in his address.
        expect_in(table_row("9", "email", "'chris.doyle@' is not a valid email"), shown, "import")

        shown = term.type("leads")
        for lead_id, name in (("1", "Maya Okafor"), ("2", "Daniel Brandt"), ("7", "Alex Moreno")):
            expect_in(table_row(lead_id, name), shown, "leads after the import")
        assert "Chris Doyle" not in shown, shown

        shown = term.type(f'new campaign "{CAMPAIGN_YAML}" as Q1')
        expect_in(r"^Campaign Q1 created \(id 1\)$", shown, "new campaign")
        expect_in(r"^next: `run LEAD IDS in Q1`", shown, "new campaign")

        # A run reports each lead as it finishes, then shows the whole table.
        shown = term.type("run 1 2 in Q1")
        # (the bar redraws itself with cursor moves, so its last frame may precede a line)
        done = re.findall(r"\b([12])/2 (Maya Okafor|Daniel Brandt) — (\w+)$", shown, re.M)
        assert [d[0] for d in done] == ["1", "2"], shown
        for _, name, status in done:
            expect_in(table_row(name, status), shown, "run table")

        term.type("lead \\", until=MORE)
        shown = term.type("1")
        expect_in(r"Lead 1", shown, "lead 1 through a continued line")
        expect_in(r"Maya Okafor · VP Engineering · Northwind Robotics", shown, "lead 1")

        shown = term.type("delete lead 2", until=GO_AHEAD)
        expect_in(r"Confirm — this has effects outside the chat:", shown, "confirmation")
        expect_in(r"• Erase lead 2\b", shown, "confirmation")
        shown = term.type("n")
        expect_in(r"Not confirmed: nothing was done\.", shown, "declined deletion")
        assert "erased" not in shown, shown

        shown = term.type("leads")
        expect_in(table_row("2", "Daniel Brandt"), shown, "lead 2 after a declined deletion")

        shown = term.type("how are we doing")
        expect_in(r"did not understand", shown, "free text offline")
        expect_in(r"OUTREACH_LLM_PROVIDER", shown, "free text offline")

        shown = term.type("/session")
        expect_in(rf"^Session {session_id}$", shown.replace("/session", ""), "/session")

        term.child.sendline("/quit")
        last = term.exits()
        expect_in(rf"Bye\. Resume with: outreach chat --session {session_id}\b", last, "/quit")
        return session_id
    finally:
        term.kill()


def resume(env: dict[str, str], cwd: Path, session_id: str) -> None:
    """Resume the session, confirm a deletion, leave with Ctrl-D."""
    term = Terminal(["--session", session_id], env, cwd)
    try:
        banner = term.wait_for(PROMPT)
        assert expect_in(SESSION_LINE, banner, "session line").group(1) == session_id, banner
        expect_in(r"Resumed: \d+ earlier message\(s\)\.", banner, "resumed session")

        shown = term.type("delete lead 2", until=GO_AHEAD)
        expect_in(r"• Erase lead 2\b", shown, "confirmation")
        shown = term.type("y")
        expect_in(r"Lead 2 erased", shown, "confirmed deletion")

        shown = term.type("leads")
        expect_in(table_row("1", "Maya Okafor"), shown, "leads after the deletion")
        assert "Daniel Brandt" not in shown, shown

        term.child.sendeof()
        last = term.exits()
        expect_in(rf"Bye\. Resume with: outreach chat --session {session_id}\b", last, "Ctrl-D")
    finally:
        term.kill()


def test_chat_in_a_terminal_first_visit_then_resume(
    chat_env: dict[str, str], tmp_path: Path
) -> None:
    session_id = first_visit(chat_env, tmp_path)
    resume(chat_env, tmp_path, session_id)
