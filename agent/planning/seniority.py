"""How senior a lead is: from a `seniority` column (Apollo, HubSpot) or read from the title."""

from __future__ import annotations

import re

SENIORITIES = ("owner", "c_level", "vp", "head", "director", "manager", "senior", "entry")
"""Levels, most senior first, as segment rules and the report name them."""
DECISION_MAKERS = frozenset({"owner", "c_level", "vp", "head", "director"})

_COLUMN_VALUES = {
    "owner": "owner", "founder": "owner", "co_founder": "owner", "partner": "owner",
    "c_suite": "c_level", "c_level": "c_level", "cxo": "c_level", "executive": "c_level",
    "vp": "vp", "vice_president": "vp", "head": "head", "director": "director",
    "manager": "manager", "senior": "senior", "entry": "entry", "intern": "entry",
    "junior": "entry", "individual_contributor": "senior",
}  # fmt: skip
"""Values export tools write in a seniority column, normalized ('C-Suite' -> c_suite)."""

# Checked in order: "VP of Engineering Manager Relations" is a VP, "Head of" beats "Manager".
_TITLE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (level, re.compile(pattern, re.IGNORECASE))
    for level, pattern in (
        ("owner", r"\b(?:co-?)?founder\b|\bowner\b|\bmanaging partner\b|\bgründer\b|\bfundador"),
        (
            "c_level",
            r"\bc[etoifmprs]o\b|\bchief\b|\bpresident\b|\bgeschäftsführer\b|"
            r"\bdirecteur général\b|\bdirector general\b|\bmanaging director\b",
        ),
        ("vp", r"\bvp\b|\bsvp\b|\bevp\b|\bvice[- ]president\b|\bvicepresidente?\b"),
        ("head", r"\bhead of\b|\bhead\b|\bleiter\b|\bresponsable\b|\bjefe\b"),
        ("director", r"\bdirector\b|\bdirecteur\b|\bdirektor\b|\bdirectora\b"),
        ("manager", r"\bmanager\b|\blead\b|\bteam ?lead\b|\bsupervisor\b|\bgerente\b"),
        ("senior", r"\bsenior\b|\bsr\.?\b|\bprincipal\b|\bstaff\b|\barchitect\b"),
        ("entry", r"\bjunior\b|\bjr\.?\b|\bintern\b|\btrainee\b|\bassociate\b|\bassistant\b"),
    )
)


def seniority_of(title: str | None, column: str | None = None) -> str | None:
    """Return the lead's level: the column's value when it names one, else read from the title;
    None when neither says (an engineer with no level in the title, say)."""
    if column:
        key = re.sub(r"[^a-z]+", "_", column.lower()).strip("_")
        if key in _COLUMN_VALUES:
            return _COLUMN_VALUES[key]
    if not title:
        return None
    for level, pattern in _TITLE_RULES:
        if pattern.search(title):
            return level
    return None
