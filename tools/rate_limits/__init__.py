"""Rate limits kept in this process (the embedded default) or in Redis, shared by every worker.

A limit is one or more `Rate`s on a key ("mailbox:ana@brightpath.io", "model:openai",
"host:example.com"): a request goes only when every rate has room, so four workers sharing one
Redis never send faster than one mailbox's cap between them.
"""

from tools.rate_limits.local_limiter import LocalRateLimiter
from tools.rate_limits.rates import Rate, RateLimiter, acquire

__all__ = ["LocalRateLimiter", "Rate", "RateLimiter", "acquire"]
