"""The Redis a Redis broker's URL names, as the shared rate limits reach it (redis-py).

Celery's Redis URLs may carry what redis-py refuses: transport options in the query
(`?visibility_timeout=...`), TLS options spelled as Python constants
(`?ssl_cert_reqs=CERT_REQUIRED`), or several brokers for failover (`redis://a;redis://b`).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_CERT_REQS = {"CERT_REQUIRED": "required", "CERT_OPTIONAL": "optional", "CERT_NONE": "none"}
_TLS_OPTIONS = (
    "ssl_cert_reqs",
    "ssl_ca_certs",
    "ssl_certfile",
    "ssl_keyfile",
    "ssl_check_hostname",
)


def limits_url_of_broker(broker_url: str) -> str | None:
    """The broker's Redis as a redis-py URL, or None when the broker is not one Redis (RabbitMQ,
    Sentinel, a failover list): then OUTREACH_REDIS_URL names the limits' Redis."""
    if ";" in broker_url:
        return None
    parts = urlsplit(broker_url)
    if parts.scheme.lower() not in ("redis", "rediss"):
        return None
    query = [
        (key, _CERT_REQS.get(value, value) if key == "ssl_cert_reqs" else value)
        for key, value in parse_qsl(parts.query)
        if key in _TLS_OPTIONS
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))
