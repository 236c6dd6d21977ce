"""The `outreach` command line: one Typer app, each command group in a module of its own."""

from __future__ import annotations

import typer

from agent.cli import (
    chat,
    evaluate,
    export,
    inspection,
    planning,
    report,
    run,
    simulate,
    week_plan,
    worker,
)
from agent.cli.crm import crm_app
from agent.cli.db import db_app
from agent.cli.garbage_collection import pace_garbage_collection
from agent.cli.leads import leads_app
from agent.cli.learning import learning_app
from agent.cli.replies import replies_app
from agent.cli.review import review_app
from agent.cli.sequence import sequence_app
from agent.cli.serve import keys_app, serve
from agent.cli.tasks import tasks_app

app = typer.Typer(
    help="Outreach Architect: research leads, write grounded personalized messages, "
    "critique them, and send or queue them for review.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db_app, name="db")
app.add_typer(review_app, name="review")
app.add_typer(keys_app, name="api-key")
app.add_typer(tasks_app, name="tasks")
app.add_typer(sequence_app, name="sequence")
app.add_typer(replies_app, name="replies")
app.add_typer(crm_app, name="crm")
app.add_typer(leads_app, name="leads")
app.add_typer(learning_app, name="learning")
app.command()(serve)
app.command()(run.demo)
app.command()(run.run)
app.command("eval")(evaluate.eval_command)
app.command()(evaluate.calibrate)
app.command()(inspection.graph)
app.command()(inspection.prompts)
app.command()(inspection.config)
app.command()(export.export)
app.command()(chat.chat)
app.command()(simulate.simulate)
app.command()(report.report)
app.command()(worker.worker)
app.command("segment")(planning.segment_command)
app.command("prioritize")(planning.prioritize_command)
app.command("plan-week")(week_plan.plan_week_command)


def main() -> None:
    """Entry point of the `outreach` script."""
    pace_garbage_collection()  # batches, workers and the server all allocate heavily
    app()
