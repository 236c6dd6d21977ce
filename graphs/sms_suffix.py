"""What the sender adds to a text after the writer: a sequence's first SMS ends with the
opt-out line (tools/delivery/sms.py), so the writer leaves room for it and the critic counts it."""

from __future__ import annotations

from graphs.lead import Channel
from graphs.sequence_turn import SequenceTurn, StepChannel
from graphs.state import PipelineState
from tools.delivery.sms import opt_out_line


def thread_sms_suffix(turn: SequenceTurn | None, channel: Channel, language: str) -> str:
    """The line the sender will add to a text on this turn of a thread, or "" (no thread, not
    a text, or not the thread's first text)."""
    if turn is None or channel is not Channel.SMS:
        return ""
    first_text = not any(m.channel is StepChannel.SMS for m in turn.earlier)
    return opt_out_line(language) if first_text else ""


def sms_suffix(state: PipelineState, language: str) -> str:
    """The line the sender will add to this run's text, or ""."""
    return thread_sms_suffix(state.get("turn"), state["campaign"].channel, language)
