"""How fast lead files are read: UTF-8, an Excel export in Windows-1252, one oversized cell."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from agent.leads.files import read_leads

NAMES = ["Zoë Müller", "José Peña", "François Lefèvre", "Åsa Öberg", "Maya Okafor"]
COMPANIES = ["Café Crème GmbH", "Acmé S.L.", "Société Générale Tech", "Nordström AB", "Northwind"]


def _rows(count: int, separator: str) -> list[str]:
    rows = [separator.join(["name", "email", "company", "title", "notes"])]
    for i in range(count):
        name, company = NAMES[i % len(NAMES)], COMPANIES[i % len(COMPANIES)]
        notes = f"Met at the trade fair – “follow up” in Q{i % 4 + 1}, budget €{i % 90 + 10}k"
        rows.append(
            separator.join([name, f"lead{i}@example.com", company, "Head of Engineering", notes])
        )
    return rows


def _time(path: Path, repeat: int = 3) -> tuple[float, int, int, str | None]:
    timings, leads, errors, encoding = [], 0, 0, None
    for _ in range(repeat):
        started = time.perf_counter()
        parsed = read_leads(path)
        timings.append(time.perf_counter() - started)
        leads, errors, encoding = len(parsed.leads), len(parsed.errors), parsed.encoding
    return statistics.median(timings), leads, errors, encoding


def main(rows: int = 20_000) -> None:
    """Write three lead files of `rows` rows and print how long each takes to read."""
    with tempfile.TemporaryDirectory() as tmp:
        files = {
            "UTF-8, comma-separated": ("\n".join(_rows(rows, ",")), "utf-8"),
            "Excel export: Windows-1252, semicolons, CRLF": (
                "\r\n".join(_rows(rows, ";")),
                "cp1252",
            ),
        }
        oversized = _rows(rows, ",")
        oversized[5] = oversized[5] + "x" * 200_000  # one 200 kB cell in row 6
        files["UTF-8 with one 200 kB cell"] = ("\n".join(oversized), "utf-8")
        for label, (text, encoding) in files.items():
            path = Path(tmp) / "leads.csv"
            path.write_bytes(text.encode(encoding))
            seconds, leads, errors, read_as = _time(path)
            size_mb = path.stat().st_size / 1e6
            print(
                f"lead file, {label}: {rows:,} rows ({size_mb:.1f} MB) read in {seconds:.2f} s "
                f"= {rows / seconds:,.0f} rows/s; {leads:,} leads, {errors} row(s) refused, "
                f"read as {read_as}"
            )


if __name__ == "__main__":
    main()
