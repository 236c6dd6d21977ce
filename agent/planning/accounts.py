"""Accounts: the leads at one company, by the domain of their email address.

Several contacts at one account are worked together: the plan staggers their first touches
(never two on one day) and takes at most `max_contacts_per_account` of them, the best by
priority. A free-mail address (gmail.com, outlook.com, ...) says nothing about the company, so
such a lead is an account of its own; so is a lead without an address.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from agent.planning.prospects import Prospect

FREE_MAIL_DOMAINS = frozenset(
    """
    gmail.com googlemail.com yahoo.com yahoo.co.uk yahoo.fr yahoo.de yahoo.es ymail.com
    hotmail.com hotmail.co.uk hotmail.fr hotmail.de outlook.com outlook.de live.com live.co.uk
    msn.com icloud.com me.com mac.com aol.com proton.me protonmail.com pm.me gmx.de gmx.net
    gmx.com web.de t-online.de freenet.de orange.fr free.fr laposte.net sfr.fr wanadoo.fr
    libero.it virgilio.it mail.ru yandex.ru yandex.com qq.com 163.com 126.com naver.com
    zoho.com mail.com fastmail.com hey.com tutanota.com seznam.cz wp.pl o2.pl
    """.split()
)
"""Mail providers anyone can sign up to: their domain is no company."""
HUGE_ACCOUNT = 100
"""Contacts at one domain past which the plan warns that it may be no company at all (a
university, an internet provider, a list of one company's staff)."""


def company_domain(email: str | None) -> str | None:
    """Return the company an address is at (its domain), None for free mail and no address."""
    address = (email or "").strip().lower()
    domain = address.rpartition("@")[2]
    if not domain or not address.count("@") or domain in FREE_MAIL_DOMAINS:
        return None
    return domain


def account_of(prospect: Prospect) -> str:
    """Return the lead's account: its email domain, or the lead alone for free mail and none."""
    domain = company_domain(prospect.email)
    if domain is None:
        return f"lead:{(prospect.email or '').strip().lower() or prospect.label}"
    return domain


def is_company_account(account: str) -> bool:
    """Return whether the account is a company's domain (not a lead of its own)."""
    return not account.startswith("lead:")


@dataclass(frozen=True, slots=True)
class AccountCut:
    """An account with more contacts than the campaign takes: the best are planned."""

    account: str
    contacts: int
    kept: int

    @property
    def huge(self) -> bool:
        """Return whether the account has so many contacts it may be no company at all."""
        return self.contacts >= HUGE_ACCOUNT


@dataclass
class AccountGroups:
    """Leads grouped by account: who is planned, who is left over, and which accounts were cut."""

    account: list[str]
    """Each lead's account, by its index in the order given."""
    over_limit: set[int]
    """Indexes of leads past their account's `max_contacts`."""
    cuts: list[AccountCut]
    """Accounts over the limit, largest first."""
    multi_contact: int
    """Accounts with more than one contact among the leads."""


def group_accounts(ranked: Sequence[Prospect], max_contacts: int) -> AccountGroups:
    """Group leads (best first) by account; past `max_contacts` an account's leads are left over."""
    accounts = [account_of(p) for p in ranked]
    members: dict[str, list[int]] = defaultdict(list)
    for index, account in enumerate(accounts):
        members[account].append(index)
    over: set[int] = set()
    cuts = []
    for account, indexes in members.items():
        if len(indexes) > max_contacts:
            over.update(indexes[max_contacts:])
            cuts.append(AccountCut(account, len(indexes), max_contacts))
    cuts.sort(key=lambda cut: (-cut.contacts, cut.account))
    multi = sum(1 for a, idx in members.items() if len(idx) > 1 and is_company_account(a))
    return AccountGroups(accounts, over, cuts, multi)
