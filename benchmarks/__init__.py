"""Measured figures for the README and issue notes: run with `bash tasks.sh bench`."""
