"""What the demo runs on: the bundled examples folder and the day the fictional sites are dated."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
# The fictional sites are dated around this day; the demo pretends it is today so that its
# recency judgements, and so its decisions, are the same whenever it runs.
DEMO_TODAY = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
