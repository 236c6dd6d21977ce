"""Versioned prompt files and the loader that validates them."""
