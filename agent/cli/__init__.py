"""The `outreach` command line: `app` holds the Typer app, each other module one command group.

May import every other room of agent/ and, for `outreach eval` and `outreach calibrate` alone,
evals/. It starts the REST API by its import string, never by importing server/.
"""
