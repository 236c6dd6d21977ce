"""Turn token counts into dollars with a configurable price table."""

from __future__ import annotations

from collections.abc import Mapping


class PriceTable:
    """USD per million tokens, matched on the longest model-name prefix."""

    def __init__(self, prices: Mapping[str, tuple[float, float]]) -> None:
        self._prices = sorted(prices.items(), key=lambda item: len(item[0]), reverse=True)

    def price_of(self, model: str) -> tuple[float, float] | None:
        """Return (input, output) prices for a model, or None when unknown."""
        for name, price in self._prices:
            if model == name or model.startswith(f"{name}-"):
                return price
        return None

    def cost_of(self, model: str, input_tokens: int, output_tokens: int) -> float:
        """Return the USD cost of one call; unknown models cost zero."""
        price = self.price_of(model)
        if price is None:
            return 0.0
        return round((input_tokens * price[0] + output_tokens * price[1]) / 1_000_000, 8)
