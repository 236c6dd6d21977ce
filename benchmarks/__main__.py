"""Run every benchmark and print its figures."""

from __future__ import annotations

import argparse

from benchmarks import (
    chat_turns,
    console_campaign_page,
    console_review_queue,
    cpu_per_lead,
    critic_speed,
    durable_runs,
    enrichment_throughput,
    lead_file_reading,
    offline_writer_variety,
    pipeline_throughput,
    reply_rules,
    request_gate,
    segment_metrics,
    segment_scoring,
    sequence_scheduler,
    storage_throughput,
    webhook_ingest,
    week_plan,
)


def main() -> None:
    """Run the benchmarks."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--leads", type=int, default=120, help="leads per pipeline run")
    parser.add_argument("--concurrency", default="1,8,32", help="comma-separated levels")
    args = parser.parse_args()
    levels = [int(level) for level in args.concurrency.split(",")]
    critic_speed.main()
    offline_writer_variety.main()
    lead_file_reading.main()
    storage_throughput.main()
    webhook_ingest.main()
    reply_rules.main()
    request_gate.main()
    sequence_scheduler.main()
    segment_scoring.main()
    segment_metrics.main()
    week_plan.main()
    chat_turns.main()
    console_review_queue.main()
    console_campaign_page.main()
    enrichment_throughput.main()
    pipeline_throughput.main(leads=args.leads, levels=levels)
    durable_runs.main(leads=args.leads)
    cpu_per_lead.main(leads=args.leads)


if __name__ == "__main__":
    main()
