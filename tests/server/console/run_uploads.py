"""Lead files the console's run tests upload: a few demo leads and one with a hostile name."""

from __future__ import annotations

import csv
import io

from tests.conftest import EXAMPLES
from tests.server.console.seeding import HOSTILE_NAME

DEMO_LEADS_SHOWN = 3


def demo_lead_file() -> tuple[bytes, list[str]]:
    """The first demo leads of examples/leads.csv plus a lead named like markup; the names."""
    rows = list(csv.DictReader(io.StringIO((EXAMPLES / "leads.csv").read_text())))
    hostile = {**rows[DEMO_LEADS_SHOWN], "name": HOSTILE_NAME}
    kept = [*rows[:DEMO_LEADS_SHOWN], hostile]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(kept)
    return out.getvalue().encode(), [row["name"] for row in kept]
