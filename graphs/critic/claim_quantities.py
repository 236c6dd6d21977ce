"""Amounts with their units: money, percentages and durations, in the four languages.

"$32M" and "32 million dollars" are the same amount; "$14M" is not "14 Millionen Euro";
"40 minutes" is "40 Minuten". A quantity a message states must be one a fact (or the
campaign) states, in value and in kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphs.critic.claim_lexicon import CURRENCIES, FRACTIONS, MULTIPLIERS, PERCENT_WORDS, UNITS

MONEY = frozenset({*CURRENCIES.values(), "amount"})
"""Quantity kinds that are sums of money (a bare "14 million" counts as one)."""
_NUM = r"\d{1,3}(?:[.,\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_MULT = "|".join(
    sorted((re.escape(m).replace(r"\ ", r"\s+") for m in MULTIPLIERS), key=len, reverse=True)
)
_CUR_WORDS = "|".join(sorted((re.escape(c) for c in CURRENCIES), key=len, reverse=True))
_PCT = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in PERCENT_WORDS)
_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
QUANTITY = re.compile(
    # Every quantity starts with a digit or a currency ("US$" too): the lookahead says so at
    # once, where the five alternatives each took their own try at every position.
    rf"(?<![\w$€£.,])(?=[\d$€£u])(?:"
    rf"(?P<cur1>US\$|\$|€|£)\s?(?P<num1>{_NUM})(?:\s?(?P<mult1>{_MULT})\.?)?(?![\w])"
    rf"|(?P<num2>{_NUM})(?:\s?(?P<mult2>{_MULT})\.?)?\s?(?:de\s+)?(?P<cur2>{_CUR_WORDS})(?![\w])"
    rf"|(?P<num3>{_NUM})\s?(?P<pct>{_PCT})(?![\w])"
    rf"|(?P<num4>{_NUM})\s?(?P<mult4>{_MULT})\.?(?![\w])"
    rf"|(?P<num5>{_NUM})[-\s]?(?P<unit>{_UNIT})(?![\w])"
    rf")",
    re.IGNORECASE,
)
"""A number with a currency, a multiplier, a percent sign or a unit of time."""
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Quantity:
    """An amount with what it counts."""

    amount: float
    kind: str
    """A currency code, "%", "amount" (a bare "14 million"), or a unit of time."""

    def same_family(self, other: Quantity) -> bool:
        """Whether two quantities measure the same sort of thing (money with money...)."""
        if self.kind in MONEY and other.kind in MONEY:
            return True
        return self.kind == other.kind

    def agrees(self, other: Quantity) -> bool:
        """Whether other states this quantity: same amount, same currency or unit.

        A bare amount ("14 million") is backed by the same amount in any currency.
        """
        if abs(self.amount - other.amount) > 1e-6 * max(1.0, abs(self.amount)):
            return False
        if self.kind == other.kind:
            return True
        return self.kind == "amount" and other.kind in CURRENCIES.values()


def parse_number(text: str) -> float | None:
    """Read "1,500", "1.5", "1,5", "1.000.000" or "14" (a separator before three digits groups
    thousands; otherwise it is a decimal point)."""
    digits = re.sub(r"[\u00a0\u202f]", "", text)
    groups = re.split(r"[.,]", digits)
    if len(groups) == 1:
        return float(digits)
    if all(len(g) == 3 for g in groups[1:]):
        return float("".join(groups))
    if len(groups) == 2:
        return float(f"{groups[0]}.{groups[1]}")
    return None


def read_quantity(match: re.Match[str]) -> Quantity | None:
    """Turn one QUANTITY match into a Quantity."""
    number = next(
        match.group(g) for g in ("num1", "num2", "num3", "num4", "num5") if match.group(g)
    )
    value = parse_number(number)
    if value is None:
        return None
    multiplier = match.group("mult1") or match.group("mult2") or match.group("mult4")
    if multiplier:
        value *= MULTIPLIERS[" ".join(multiplier.lower().rstrip(".").split())]
    currency = match.group("cur1") or match.group("cur2")
    if currency:
        return Quantity(value, CURRENCIES[currency.lower()])
    if match.group("pct"):
        return Quantity(value, "%")
    if match.group("unit"):
        return Quantity(value, UNITS[match.group("unit").lower()])
    return Quantity(value, "amount")


_FRACTION = re.compile(
    "|".join(
        rf"(?P<f{i}>(?<![\w-])(?:{pattern})(?![\w-]))" for i, (_, pattern) in enumerate(FRACTIONS)
    ),
    re.IGNORECASE,
)


def quantities_in(
    text: str, *, figures: bool = True, fractions: bool = True
) -> list[tuple[Quantity, int, int]]:
    """Return the quantities written in text, with their spans (fractions in words too).

    figures, fractions: whether to look for each (a text with no digit has no figure).
    """
    found: list[tuple[Quantity, int, int]] = []
    figures = figures and _DIGIT.search(text) is not None  # every figure has a digit
    for match in QUANTITY.finditer(text) if figures else ():
        quantity = read_quantity(match)
        if quantity is not None:
            found.append((quantity, match.start(), match.end()))
    for match in _FRACTION.finditer(text) if fractions else ():
        at = next(i for i in range(len(FRACTIONS)) if match.group(f"f{i}") is not None)
        found.append((Quantity(FRACTIONS[at][0], "fraction"), match.start(), match.end()))
    return sorted(found, key=lambda item: item[1])
