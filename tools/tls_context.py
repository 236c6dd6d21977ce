"""One TLS context for every HTTP client of the process.

Building one reads and parses the whole CA bundle (about 20 ms of CPU); httpx builds one per
client unless given one, and a run builds its clients afresh (the page fetcher, the enrichment
API). The context is only read once made, so clients can share it.
"""

from __future__ import annotations

import ssl
from functools import cache

import httpx


@cache
def shared_tls_context() -> ssl.SSLContext:
    """Return the process's TLS context: httpx's default (certifi's CA bundle, or the
    SSL_CERT_FILE / SSL_CERT_DIR the environment names), built on first use."""
    return httpx.create_ssl_context()
