"""Say one fact as a hook, in the message's language: its label and its sentences per tone.

Each builder reads what its fact says (a post's title and date, a careers page's counts, the
tools a site names …) and fills the language's frames (agent/offline/phrasebooks/hook_book.py)
with it, and nothing else; a fact that makes a poor hook (personal interests, a description that
runs long or is not in the message's language) gives None.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from agent.offline.name_case import lower_opening, name_led, reads_as
from agent.offline.phrasebooks.hook_book import HookBook
from agent.offline.triggers import TriggerType, classify, is_stale
from graphs.task_inputs import FactBrief
from tools.facts import FactKind

SHORT_TITLE_CHARS = 45
MAX_DESCRIPTION_WORDS = 14
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
"""The space after a sentence's end: split on it to get sentences."""
_ABBREVIATION = re.compile(
    r"(?:^|\s|\()(?:e\.g|i\.e|etc|vs|approx|incl|Inc|Ltd|Co|Corp|Dr|Mr|Mrs|Ms|St|No|Nr|"
    r"z\.\s?B|d\.\s?h|bzw|ca|usw|p\.\s?ej|Sr|Sra|Dra|M|Mme|cf)\.$",
)
"""Words whose full stop ends an abbreviation, not a sentence ("e.g.", "Inc.", "z. B.")."""


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, not at an abbreviation's full stop ("e.g. flaky tests",
    "Acme, Inc. builds …") nor before a word in lower case."""
    sentences: list[list[str]] = []
    for piece in SENTENCE_BREAK.split(text):
        previous = sentences[-1][-1] if sentences else ""
        if previous and (_ABBREVIATION.search(previous[-12:]) or piece[:1].islower()):
            sentences[-1].append(piece)
        else:
            sentences.append([piece])
    return [" ".join(pieces) for pieces in sentences]


_HIRING = re.compile(r"lists (\d+) open roles? \((\d+) ([^,)]+)")
_TECH = re.compile(r"mentions (.+) on its website")
_HEADLINE = re.compile(r"^[^:]+:\s*(.+)$|^.+? is (.+)\.$")
_REFERRAL = re.compile(r"^(.{2,80}?) suggested I reach out to .+\.$")
_ENGLISH_AT = re.compile(r"\s+(?:at|@)\s+\S.*$")
_CONGRATS = (TriggerType.FUNDING, TriggerType.PRODUCT_LAUNCH, TriggerType.EXPANSION)

Phrases = tuple[str, str, str, str, str, str, str, str]
"""hook label, professional, friendly, direct, short, and the three "next" forms."""


def spoken_list(items: list[str], and_word: str = "and") -> str:
    """Join items as a sentence says them: "Kubernetes, GitLab CI and Java"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {and_word} {items[-1]}"


_ELIDED_BEFORE = re.compile(r"\b([Dd]e|[Qq]ue) \{(company|who)\}")
_VOWEL = tuple("AEIOUYÉÈÊÀÂÎÔaeiouyéèêàâîô")


def _elide(frame: str, slots: dict[str, str]) -> str:
    """French elides "de"/"que" before a name opening with a vowel: "l'annonce d'Orniva".
    Only the frame's own words change; a quoted title is left as written."""

    def elided(match: re.Match[str]) -> str:
        word, slot = match.group(1), match.group(2)
        return f"{word[:-1]}'{{{slot}}}" if slots[slot].startswith(_VOWEL) else match.group(0)

    return _ELIDED_BEFORE.sub(elided, frame)


def _fill(frames: tuple[str, ...], language: str = "en", **slots: str) -> Phrases:
    if language == "fr":
        frames = tuple(_elide(frame, slots) for frame in frames)
    said = tuple(frame.format(**slots) for frame in frames)
    assert len(said) == 8, "a hook is said eight ways"
    return said


class HookSayer:
    """Build a fact's hook phrases in one language."""

    def __init__(self, book: HookBook, and_word: str, language: str) -> None:
        self.book = book
        self.and_word = and_word
        self.language = language

    def post(self, fact: FactBrief, company: str, today: date | None) -> Phrases:
        book = self.book
        kind = "talk" if "gave the talk" in fact.text else "post"
        noun = book.nouns[kind]
        title = fact.title or book.shorts["untitled"].format(noun=noun)
        day = fact.published
        # An old post is dated with its year, so nobody reads "February 20" as this February.
        dated = day is not None and today is not None and is_stale(day, today)
        spoken = (book.month(day) if dated else book.long(day)) if day else ""
        when = book.when.format(date=spoken) if day else ""
        on = book.on.format(date=spoken) if day else ""
        said = list(
            _fill(book.frames[kind], self.language, noun=noun, title=title, when=when, on=on)
        )
        if len(title) <= SHORT_TITLE_CHARS:
            said[4] = book.shorts["post_titled"].format(noun=noun, title=title)
        elif day is not None:
            brief = book.month(day, short=True) if dated else book.brief_date(day)
            said[4] = book.shorts["post_dated"].format(noun=noun, date=brief)
        return tuple(said)  # type: ignore[return-value]

    def news(self, fact: FactBrief, company: str, today: date | None) -> Phrases:
        book = self.book
        title = fact.title or fact.text
        day = fact.published
        when = book.when.format(date=book.long(day)) if day else ""
        on = book.on.format(date=book.long(day)) if day else ""
        kind = "news_congrats" if classify(fact) in _CONGRATS else "news"
        owner = book.possessive_of(company)
        said = list(
            _fill(
                book.frames[kind],
                self.language,
                company=company,
                company_s=owner,
                title=title,
                when=when,
                on=on,
            )
        )
        if len(title) <= SHORT_TITLE_CHARS:
            said[4] = book.shorts["news_titled"].format(title=title)
        elif day is not None:
            said[4] = book.shorts["news_dated"].format(company_s=owner, date=book.brief_date(day))
        return tuple(said)  # type: ignore[return-value]

    def hiring(self, fact: FactBrief, company: str, today: date | None) -> Phrases | None:
        match = _HIRING.search(fact.text)
        if not match:
            return None
        return _fill(
            self.book.frames["hiring"],
            self.language,
            company=company,
            company_s=self.book.possessive_of(company),
            total=match.group(1),
            first=match.group(2),
            department=match.group(3).strip(),
        )

    def technology(self, fact: FactBrief, company: str, today: date | None) -> Phrases | None:
        match = _TECH.search(fact.text)
        if not match:
            return None
        listed = match.group(1)
        tools = [t.strip() for t in listed.split(",") if t.strip()]
        return _fill(
            self.book.frames["technology"],
            self.language,
            company=company,
            company_s=self.book.possessive_of(company),
            listed=listed,
            techs=spoken_list(tools, self.and_word),
            first_tech=listed.split(", ")[0],
        )

    def profile(self, fact: FactBrief, company: str, today: date | None) -> Phrases | None:
        if "'s interests:" in fact.text:
            return None  # personal interests make poor cold-outreach openers; not a role
        match = _HEADLINE.match(fact.text)
        role = (match.group(1) or match.group(2)) if match else None
        if role and self.language != "en":
            # A headline as LinkedIn shows it ("Head of Engineering at Kranich Logistik") keeps
            # its title; its English "at …" is left out of a message in another language.
            role = _ENGLISH_AT.sub("", role)
        if not role or len(role.split()) > 12:
            return None
        return _fill(self.book.frames["profile"], self.language, role=role)

    def referral(self, fact: FactBrief, company: str, today: date | None) -> Phrases | None:
        """A colleague's suggestion opens best, in the words the fact records."""
        match = _REFERRAL.match(fact.text)
        if match is None:
            return None
        return _fill(self.book.frames["referral"], self.language, who=match.group(1))

    def company(
        self, fact: FactBrief, company: str, today: date | None, names: tuple[str, ...] = ()
    ) -> Phrases | None:
        """What the company does, from its own one-line description ("Acme: payroll for X.")."""
        first = SENTENCE_BREAK.split(fact.text.strip(), maxsplit=1)[0].rstrip(".")
        name, colon, description = first.partition(":")
        if colon and name.strip().casefold() == company.casefold():
            what = description.strip()
            # "Acme: Acme makes payroll software.": the description names the company itself,
            # so the frame does not say "Acme makes" a second time.
            led = name_led(what, company)
            makes = f"{company} makes "
            if led is not None and led.startswith(makes) and self.language == "en":
                what = led[len(makes) :].strip()
            elif led is not None:
                about = led[len(company) :]
                said = self._said_as_is(led, company, about, len(about.split()))
                if said is None:
                    return None
                builds = self.book.frames["company"][4].format(company=company, what="")
                return (*said[:4], builds, *said[5:])
            words = len(what.split())
            if not what or words > MAX_DESCRIPTION_WORDS or not reads_as(what, self.language):
                return None
            what = lower_opening(what, (company, *names), self.language)
            return _fill(self.book.frames["company"], self.language, company=company, what=what)
        # "Acme publishes a trust page describing …": a sentence about the company, as is.
        led = name_led(first, company)
        if led is None:
            return None
        return self._said_as_is(led, company, led, len(led.split()) - 4)

    def _said_as_is(self, sentence: str, company: str, read: str, words: int) -> Phrases | None:
        """A sentence about the company said as is, if it is short and in the language."""
        if words > MAX_DESCRIPTION_WORDS or not reads_as(read, self.language):
            return None
        return _fill(
            self.book.frames["company_sentence"], self.language, sentence=sentence, company=company
        )

    def builder(
        self, kind: FactKind, names: tuple[str, ...]
    ) -> Callable[[FactBrief, str, date | None], Phrases | None] | None:
        """The builder for a kind of fact, or None for a kind that makes no hook."""
        builders: dict[FactKind, Callable[[FactBrief, str, date | None], Phrases | None]] = {
            FactKind.REFERRAL: self.referral,
            FactKind.POST: self.post,
            FactKind.NEWS: self.news,
            FactKind.HIRING: self.hiring,
            FactKind.TECHNOLOGY: self.technology,
            FactKind.PROFILE: self.profile,
            FactKind.COMPANY: lambda f, c, t: self.company(f, c, t, names),
        }
        return builders.get(kind)
