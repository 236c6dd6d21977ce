"""What the sender adds to a text after the writer: a sequence's first SMS ends with the
opt-out line (tools/delivery/sms.py), so the writer leaves room for it and the critic counts it."""

from __future__ import annotations

from graphs.lead import Channel
from graphs.sequence_turn import StepChannel
from graphs.state import PipelineState
from tools.delivery.sms import opt_out_line


def sms_suffix(state: PipelineState, language: str) -> str:
    """The line the sender will add to this run's text, or "" (not a sequence's first SMS)."""
    turn = state.get("turn")
    first_text = turn is not None and not any(m.channel is StepChannel.SMS for m in turn.earlier)
    if not first_text or state["campaign"].channel is not Channel.SMS:
        return ""
    return opt_out_line(language)
