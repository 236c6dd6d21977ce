"""sequences: enrolments, their steps, and tasks for a person

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")
DUE = "status = 'scheduled'"
CLAIMED = "status = 'claimed'"
WAITING = "status = 'waiting'"
TO_ADVANCE = "status IN ('sent', 'done', 'skipped') AND advanced = false"


def upgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sending_until", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("step", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "sequence_enrollments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("campaign_id", sa.Integer(), sa.ForeignKey("campaigns.id"), nullable=False),
        sa.Column(
            "lead_id", sa.Integer(), sa.ForeignKey("leads.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("current_step", sa.Integer(), nullable=False),
        sa.Column("stop_reason", sa.Text()),
        sa.Column("timezone", sa.String(64)),
        sa.Column("country", sa.String(8)),
        sa.Column(
            "started_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.UniqueConstraint("campaign_id", "lead_id"),
    )
    op.create_index("ix_sequence_enrollments_campaign_id", "sequence_enrollments", ["campaign_id"])
    op.create_index("ix_sequence_enrollments_lead_id", "sequence_enrollments", ["lead_id"])
    op.create_table(
        "sequence_steps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "enrollment_id",
            sa.Integer(),
            sa.ForeignKey("sequence_enrollments.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("claimed_by", sa.String(120)),
        sa.Column("claim_expires_at", sa.DateTime(timezone=True)),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), sa.ForeignKey("messages.id")),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("advanced", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("enrollment_id", "step"),
    )
    op.create_index(
        "ix_sequence_steps_due",
        "sequence_steps",
        ["due_at"],
        sqlite_where=sa.text(DUE),
        postgresql_where=sa.text(DUE),
    )
    op.create_index(
        "ix_sequence_steps_claimed",
        "sequence_steps",
        ["claim_expires_at"],
        sqlite_where=sa.text(CLAIMED),
        postgresql_where=sa.text(CLAIMED),
    )
    for name, where in (("waiting", WAITING), ("to_advance", TO_ADVANCE)):
        op.create_index(
            f"ix_sequence_steps_{name}",
            "sequence_steps",
            ["id"],
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )
    op.create_index("ix_sequence_steps_message_id", "sequence_steps", ["message_id"])
    op.create_index("ix_sequence_steps_lead_status", "sequence_steps", ["lead_id", "status"])
    op.create_index(
        "ix_sequence_steps_campaign_status", "sequence_steps", ["campaign_id", "status"]
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("campaign_id", sa.Integer(), sa.ForeignKey("campaigns.id"), nullable=False),
        sa.Column(
            "lead_id", sa.Integer(), sa.ForeignKey("leads.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "step_id",
            sa.Integer(),
            sa.ForeignKey("sequence_steps.id", ondelete="SET NULL"),
            unique=True,
        ),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("script", Json, nullable=False),
        sa.Column("link", sa.Text()),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
        sa.Column("note", sa.Text()),
    )
    op.create_index("ix_tasks_campaign_id", "tasks", ["campaign_id"])
    op.create_index("ix_tasks_lead_id", "tasks", ["lead_id"])
    op.create_index("ix_tasks_status_due", "tasks", ["status", "due_at"])


def downgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("sending_until")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("step")
    op.drop_table("tasks")
    op.drop_table("sequence_steps")
    op.drop_table("sequence_enrollments")
