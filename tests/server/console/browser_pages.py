"""A Chromium page for the console's browser tests, with every script dialog recorded.

Untrusted text (lead names, replies, facts) holds markup such as `<img src=x onerror=alert(1)>`;
if the console ever ran it, `alert` would open a dialog. Each test asserts the list of
dialogs stays empty.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from tests.conftest import ROOT

if TYPE_CHECKING:
    from playwright.sync_api import Dialog, Page

SCREENSHOTS = ROOT / "out" / "console-screenshots"
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


@contextmanager
def watched_page(chromium: str) -> Iterator[tuple[Page, list[str]]]:
    """Launch Debian's Chromium and yield a 1100×800 page and the dialogs any script opened
    (each dismissed); the browser is closed after."""
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    dialogs: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=LAUNCH_ARGS)
        context = browser.new_context(viewport={"width": 1100, "height": 800})

        def record(dialog: Dialog) -> None:  # a script ran: alert(1) opens a dialog
            dialogs.append(dialog.message)
            dialog.dismiss()

        context.on("dialog", record)
        try:
            yield context.new_page(), dialogs
        finally:
            browser.close()
