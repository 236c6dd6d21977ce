"""Reply classification: what a prospect's reply means, from headers, bounces and phrase rules.

`classify_by_rules(ReplyText(...))` returns a `ReplyVerdict` (intent, reason, confidence,
evidence, return date, referral); `own_words` and `automatic_mark` serve callers that only need
the sender's words or whether a machine sent the reply.
"""

from tools.replies.automatic_mail import automatic_mark
from tools.replies.classify import classify_by_rules
from tools.replies.inbound_text import ReplyText, read_reply
from tools.replies.quoted_text import own_words
from tools.replies.verdict import Intent, ObjectionReason, Referral, ReplyVerdict

__all__ = [
    "Intent",
    "ObjectionReason",
    "Referral",
    "ReplyText",
    "ReplyVerdict",
    "automatic_mark",
    "classify_by_rules",
    "own_words",
    "read_reply",
]
