"""How one language says a hook and who a message is for: the phrasebook's part built on facts.

A hook is said eight ways (agent/offline/hook_phrases.py): its label for the reviewer, the
opening sentence per tone, a few words for a text or a note, and the sentence per tone when it
is a message's second point. Each kind of fact has its eight frames here, filled only with what
the fact says:

- post, talk: {noun} ("post"/"talk" in the language), {title}, {when} (" (November 5)" or ""),
  {on} (" from November 5" or "");
- news, news_congrats (funding, a launch, an expansion): {company}, {company_s} (the company's
  possessive, "Acme's"), {title}, {when}, {on};
- hiring: {company}, {company_s}, {total}, {first} and {department} ("9 open roles, 6 in
  Engineering");
- technology: {company}, {company_s}, {listed} (as the site lists them), {techs} (said as a
  list, with the language's "and");
- profile: {role}; referral: {who}; company: {company}, {what} (its own one-line
  description); company_sentence: {sentence} (a sentence about the company, as written).

Dates are the language's own ("5 de noviembre", "5. November"), from its month names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from graphs.drafts import Tone

HOOK_KINDS = (
    "post",
    "talk",
    "news",
    "news_congrats",
    "hiring",
    "technology",
    "profile",
    "referral",
    "company",
    "company_sentence",
)
SHORT_FORMS = ("post_titled", "post_dated", "untitled", "news_titled", "news_dated")


@dataclass(frozen=True)
class HookBook:
    """A language's hook frames, dates and lead-row lines."""

    months: tuple[str, ...]
    """January … December, as a date says them ("noviembre", "November")."""
    short_months: tuple[str, ...]
    """The same, short, for a text's few words ("nov.", "Nov")."""
    long_date: str
    """{day} and {month}: "{month} {day}" → "November 5"."""
    short_date: str
    """The same with a short month: "Nov 5"."""
    month_year: str
    """{month} and {year}, for an old post: "November 2024"."""
    short_month_year: str
    possessive: tuple[str, str]
    """What follows a name for its possessive: after a final s, and otherwise ("'", "'s")."""
    nouns: Mapping[str, str]
    """"post" and "talk" in the language."""
    when: str
    """A date in brackets after a title: " ({date})"."""
    on: str
    """A date said after a title: " from {date}"."""
    frames: Mapping[str, tuple[str, str, str, str, str, str, str, str]]
    """By kind (HOOK_KINDS): label, professional, friendly, direct, short, and the three
    tones' second-point sentences."""
    shorts: Mapping[str, str]
    """A text's few words when the fact allows better than the frame's (SHORT_FORMS):
    post_titled {noun} {title}; post_dated {noun} {date}; untitled {noun} (a title for a post
    that has none); news_titled {title}; news_dated {company_s} {date}."""
    row_roles: tuple[str, str]
    """Who an unpersonalized message is for: with a title ({title}, {company}), without."""
    row_lines: Mapping[Tone, str]
    """An unpersonalized email's line about its reader: {role}."""
    short_intros: Mapping[Tone, str]
    """An unpersonalized text or note's opening: {first}, {company}, {sender},
    {sender_company}."""
    withheld_intro: str
    """The same when the lead's name was withheld: {company}, {sender}, {sender_company}."""
    lower_after_greeting: tuple[str, ...]
    """Hook openings lowered after "Hi Elena, " in a note ("As CTO …" → "as CTO …")."""
    first_day: str = ""
    """How a date says the first of a month when not as a number ("1er" in French)."""

    def long(self, day: date) -> str:
        """A date as a sentence says it: "November 5"."""
        number = self.first_day if day.day == 1 and self.first_day else day.day
        return self.long_date.format(day=number, month=self.months[day.month - 1])

    def brief_date(self, day: date) -> str:
        """A date in a text's few words: "Nov 5"."""
        return self.short_date.format(day=day.day, month=self.short_months[day.month - 1])

    def month(self, day: date, *, short: bool = False) -> str:
        """A month and its year, for an old post: "November 2024", "Nov 2024"."""
        names, frame = (
            (self.short_months, self.short_month_year) if short else (self.months, self.month_year)
        )
        return frame.format(month=names[day.month - 1], year=day.year)

    def possessive_of(self, name: str) -> str:
        """ "Acme's", or "Northwind Robotics'" (in English)."""
        after_s, otherwise = self.possessive
        return f"{name}{after_s if name.endswith('s') else otherwise}"
