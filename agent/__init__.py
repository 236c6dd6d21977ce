"""The composition root: it builds models, providers and services from settings and wires them.

Top level: `settings` (every OUTREACH_* setting, the database URL included), `providers` (the
chat models a run uses), `pricing` (tokens to dollars). The rooms:

- `cli/`: the `outreach` command, one module per command group;
- `runs/`: batch runs of leads through the pipeline, durable and in the background;
- `leads/`: lead files and leads kept or erased as a whole;
- `campaigns/`: campaign files, stored campaigns and their report;
- `delivery/`: sending: email providers, the ledgered outbox, the dispatcher and its schedule;
- `experiments/`: A/B statistics and variant allocation;
- `review/`: the human review queue and held leads;
- `operator/`: the operator chat (`outreach chat`);
- `offline/`: the offline provider (a deterministic analyst and writer);
- `demo/`: `outreach demo` and its fictional websites;
- next: `sequences/`, `replies/`, `planning/`, `workers/`.

agent/ may import graphs/, tools/, prompts/, storage/ and (from `cli/` alone) evals/; nothing
below imports agent/, and agent/ never imports server/ (checked by import-linter in CI).
"""
