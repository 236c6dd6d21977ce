"""What did not fit in a week's plan, counted by reason, in words a sales team reads:
"42 leads wait for next week: mailbox caps"."""

from __future__ import annotations

from collections import Counter

from agent.planning.week_days import Leftover

_MESSAGES = {
    "mailbox_caps": "{leads} {wait} for next week: mailbox caps",
    "account_same_day": "{leads} {wait}: their account already had a first touch on the day "
    "they could go (one first touch per account a day)",
    "account_limit": "{leads} {wait}: their account already has {max} contacts in this plan "
    "(max_contacts_per_account)",
    "held_back": "{leads} held back: their segment has no share of the week",
    "enrolled": "{leads} {are} already in the campaign's sequence",
    "suppressed": "{leads} {are} on the suppression list: never written to",
    "no_address": "{leads} {have} no address on the campaign's channel",
    "invalid_email": "{leads} {have} an email marked invalid",
}
_ORDER = list(_MESSAGES)


def _words(count: int) -> dict[str, str]:
    """Return "1 lead waits" or "3 leads wait", as the count asks."""
    one = count == 1
    return {
        "leads": f"{count:,} lead{'' if one else 's'}",
        "wait": "waits" if one else "wait",
        "are": "is" if one else "are",
        "have": "has" if one else "have",
    }


def count_leftovers(
    skipped: Counter[tuple[str, str]],
    waiting: Counter[tuple[str, str]],
    slipped: int,
    max_contacts: int,
) -> list[Leftover]:
    """Count what did not fit by reason (and by segment for held-back leads)."""
    totals: Counter[str] = Counter()
    for (reason, _), count in (*skipped.items(), *waiting.items()):
        totals[reason] += count
    found = []
    for reason in sorted(totals, key=_ORDER.index):
        if reason == "held_back":
            for (why, segment), count in sorted(skipped.items()):
                if why == reason:
                    text = (
                        f"{_words(count)['leads']} held back: segment {segment!r} has no share "
                        "of the week"
                    )
                    found.append(Leftover(reason, count, text, segment))
            continue
        text = _MESSAGES[reason].format(**_words(totals[reason]), max=max_contacts)
        found.append(Leftover(reason, totals[reason], text))
    if slipped:
        many = slipped != 1
        text = (
            f"{slipped:,} follow-up{'s' if many else ''} due this week slip{'' if many else 's'} "
            "to next week: mailbox caps"
        )
        found.append(Leftover("follow_ups_slipped", slipped, text))
    return found
