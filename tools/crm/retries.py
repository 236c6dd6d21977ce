"""Calls to HubSpot with bounded retries: 429 and 5xx wait (Retry-After when given) and go again.

The official client is synchronous (urllib3), so each call runs in a worker thread. Errors come
back as `CrmError` with what failed and HubSpot's own message, never a client traceback.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import urllib3

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]
MESSAGE_CHARS = 300


class CrmError(Exception):
    """HubSpot did not do what was asked; the message says what and why."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        """The HTTP status HubSpot answered with (None when no answer came)."""


class CrmNotFound(CrmError):
    """HubSpot has no such object (HTTP 404)."""


class CrmConflict(CrmError):
    """HubSpot already has that object (HTTP 409), e.g. a contact with this email."""


class CrmAuthError(CrmError):
    """HubSpot refused the access token (HTTP 401 or 403): no call will succeed."""


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try before a call counts as failed."""

    attempts: int = 4
    """Calls in all, the first included."""
    backoff_s: float = 0.5
    """The first wait when HubSpot gives no Retry-After; it doubles each time."""
    max_wait_s: float = 30.0
    """A longer Retry-After ends the attempts: the next sync picks up from there."""
    timeout_s: float = 30.0
    """How long one call may take."""


def _status(exc: BaseException) -> int | None:
    """Return the HTTP status of an exception the HubSpot client raised, or None."""
    if not type(exc).__module__.startswith("hubspot."):
        return None
    status = getattr(exc, "status", None)
    return status if isinstance(status, int) else None


def _header(exc: BaseException, name: str) -> str | None:
    headers = getattr(exc, "headers", None)
    value = headers.get(name) if headers is not None else None
    return str(value) if value is not None else None


def retry_after_s(exc: BaseException) -> float | None:
    """Return a Retry-After header in seconds; an HTTP-date form is ignored (backoff applies)."""
    try:
        seconds = float((_header(exc, "Retry-After") or "").strip())
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def hubspot_message(exc: BaseException) -> str:
    """Return HubSpot's explanation from an error answer's JSON body, or ''."""
    body: Any = getattr(exc, "body", None)
    try:
        data = json.loads(body) if isinstance(body, str | bytes) else None
    except ValueError:
        return ""
    message = data.get("message") if isinstance(data, dict) else None
    return " ".join(message.split())[:MESSAGE_CHARS] if isinstance(message, str) else ""


def _failure(what: str, status: int, exc: BaseException) -> CrmError:
    said = hubspot_message(exc)
    detail = f"HTTP {status}" + (f": {said}" if said else "")
    if status in (401, 403):
        return CrmAuthError(
            f"{what}: HubSpot refused the access token ({detail}); check "
            "OUTREACH_HUBSPOT_ACCESS_TOKEN and the private app's CRM scopes",
            status=status,
        )
    kind = {404: CrmNotFound, 409: CrmConflict}.get(status, CrmError)
    return kind(f"{what}: {detail}", status=status)


async def call_hubspot(
    call: Callable[[], T], *, what: str, policy: RetryPolicy, sleep: Sleep = asyncio.sleep
) -> T:
    """Run one client call, retrying 429, 5xx and lost connections; raise CrmError when it fails.

    `what` names the call in errors ("create the contact"); it goes to logs, so it names
    HubSpot ids, never a person's address.
    """
    problem, last_status = "no attempt made", None
    for attempt in range(max(policy.attempts, 1)):
        wait = policy.backoff_s * 2**attempt
        try:
            return await asyncio.to_thread(call)
        except urllib3.exceptions.HTTPError as exc:
            problem, last_status = f"could not reach HubSpot ({type(exc).__name__})", None
        except ValueError as exc:  # the client could not read the answer into its model
            raise CrmError(
                f"{what}: the HubSpot client refused the request or its answer ({exc})"
            ) from exc
        except Exception as exc:
            status = _status(exc)
            if status is None:
                raise
            if status != 429 and status < 500:
                raise _failure(what, status, exc) from exc
            last_status = status
            problem = "rate limited (HTTP 429)" if status == 429 else f"HTTP {status}"
            said = hubspot_message(exc)
            problem += f": {said}" if said else ""
            asked = retry_after_s(exc)
            if asked is not None:
                if asked > policy.max_wait_s:
                    raise CrmError(
                        f"{what}: {problem}; HubSpot asked to wait {asked:g} s, over our "
                        f"{policy.max_wait_s:g} s limit: run the sync again later",
                        status=status,
                    ) from exc
                wait = asked
        if attempt < policy.attempts - 1:
            await sleep(wait)
    tries = "1 attempt" if policy.attempts <= 1 else f"{policy.attempts} attempts"
    raise CrmError(f"{what}: {problem} after {tries}", status=last_status)
