"""Composition root: settings, model providers, usage accounting, the CLI."""
