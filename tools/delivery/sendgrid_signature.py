"""Check that an Event Webhook request really comes from SendGrid (and is not a replay).

SendGrid signs `timestamp + raw body` with ECDSA P-256 / SHA-256 and sends the base64 DER
signature and the timestamp in `X-Twilio-Email-Event-Webhook-Signature` / `-Timestamp`. The
verification key is the base64 DER SubjectPublicKeyInfo shown in SendGrid's settings. The
official `EventWebhook` helper does the cryptography (with `cryptography`, not `ecdsa`).
"""

from __future__ import annotations

import binascii
import math
import time

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec
from sendgrid.helpers.eventwebhook import EventWebhook

SIGNATURE_HEADER = "X-Twilio-Email-Event-Webhook-Signature"
TIMESTAMP_HEADER = "X-Twilio-Email-Event-Webhook-Timestamp"


def verify_sendgrid_signature(
    public_key: str,
    payload: bytes,
    signature: str,
    timestamp: str,
    *,
    max_age_s: float | None = 600,
    now: float | None = None,
) -> bool:
    """Return True only for a valid signature over `timestamp + payload` by public_key.

    Never raises: a malformed key, signature, timestamp or body gives False. With max_age_s set,
    timestamps further than that from `now` (default: the clock), either way, give False.
    """
    try:
        sent_at = float(timestamp)
    except ValueError:
        return False
    if not math.isfinite(sent_at):
        return False
    if max_age_s is not None and abs((time.time() if now is None else now) - sent_at) > max_age_s:
        return False
    try:
        webhook = EventWebhook(public_key.strip())
        key = webhook.public_key
        if not (isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"):
            return False  # an RSA key would make verify() raise; other curves are not SendGrid's
        # The helper takes text and verifies (timestamp + payload).encode("utf-8"): byte-exact
        # for a UTF-8 body, and SendGrid's JSON is UTF-8.
        return bool(webhook.verify_signature(payload.decode("utf-8"), signature, timestamp))
    except (ValueError, TypeError, binascii.Error, UnsupportedAlgorithm):
        return False
