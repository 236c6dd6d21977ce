"""Delivery providers: where chosen messages go."""
