"""The strict editor: named, deterministic checks of a draft."""
