"""Decide whether the evidence backs one claim, and if not, say why and which fact was nearest.

A paraphrase of a fact is backed; a changed detail is not. Numbers must be stated with what
they count, quantities in the same currency or unit, dates, months and weekdays must be the
dates of the facts the sentence draws on, and a relative time ("last week") must hold such a
date counted back from the send date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import cast

from graphs.critic.claim_counts import number_verdict, quantity_verdict, stem
from graphs.critic.claim_dates import RECENT_DAYS, DayOfYear, window
from graphs.critic.claim_evidence import (
    ClaimEvidence,
    Entry,
    Verdict,
    Words,
    clause_words,
    content_words,
)
from graphs.critic.claim_kinds import kinds_near
from graphs.critic.claim_lexicon import MONTHS, ORDINAL_LABELS, SUPERLATIVE_SUPPORT, WEEKDAYS
from graphs.critic.claim_names import place_names
from graphs.critic.claims import Claim
from graphs.critic.counted_words import counted_in_english
from graphs.critic.grounding import normalize

WEEKDAY_DAYS = 13
"""How far back a bare weekday reaches ("Tuesday's announcement" is from the last two weeks)."""


__all__ = ["ClaimJudge", "Verdict"]

_stem = stem


def _cased(word: str, language: str) -> str:
    # English and German write months and weekdays capitalized, Spanish and French do not.
    return word.capitalize() if language in ("en", "de") else word


def _label_month(month: int, language: str) -> str:
    return _cased(MONTHS.get(language, MONTHS["en"])[month - 1], language)


def _label_weekday(day: int, language: str) -> str:
    return _cased(WEEKDAYS.get(language, WEEKDAYS["en"])[day], language)


def _label_ordinal(number: int, language: str) -> str:
    labels = ORDINAL_LABELS.get(language, ORDINAL_LABELS["en"])
    return labels[number - 1] if 1 <= number <= len(labels) else f"#{number}"


_THEIRS = re.compile(
    r"\b(?:(?i:your|yours|tu|tus|votre|vos|dein|deine)|Ihr|Ihre|Ihren|Ihrem|Ihrer)\b"
)
"""A clause about the recipient's own doings ("your post", "tu post", "Ihr Beitrag"). The
German polite "Ihr" is capitalised (small "ihre" is "their"); Spanish "su" is also "their",
so it does not count."""
_OURS = re.compile(
    r"\b(?:we|our|us|nosotros|nuestro|nuestra|nuestros|nous|notre|nos|wir|unser|unsere)\b",
    re.IGNORECASE,
)
"""A clause about the sender's product, which the campaign's pitch may back."""
_GENERIC_SUBJECT = re.compile(
    r"\b(?:most|many|some|plenty of)\s+(?:\w+\s+)?(?:teams|companies|engineers|people|"
    r"organi[sz]ations|orgs|buyers|leaders)\b|"
    r"\b(?:la mayoría de|muchos|muchas)\s+(?:los\s+|las\s+)?(?:equipos|empresas)\b|"
    r"\b(?:la plupart des|beaucoup d['’])\s*(?:équipes|entreprises)\b|"
    r"\b(?:die meisten|viele)\s+(?:Teams|Unternehmen|Firmen)\b",
    re.IGNORECASE,
)
"""A clause about teams in general ("Most teams see this in March"): its month is no claim
about the lead."""
_CAPITALIZED = re.compile(r"\b[A-ZÁÉÍÓÚÑÄÖÜÀÂÇÈÊÎÔÛ][\w'’-]*")
_SENDER_FIRST = re.compile(
    r"\W*(?:"
    r"(?:I|we)\s+(?:(?:also|just|briefly)\s+)?(?:wrote|sent|emailed|reached out|messaged|"
    r"followed up)\b"
    r"|(?:I|we)\s+(?:spoke|talked|met)\s+(?:with|to)\s+(?:a few|some|several|many|other|"
    r"dozens of|\d+)\b"
    r"|(?:my|our)\s+(?:earlier\s+|last\s+)?(?:note|email|message|letter)\b"
    r"|(?:(?:yo\s+)?(?:te|le|les)\s+escribí|(?:mi|nuestro)\s+(?:mensaje|correo))\b"
    r"|(?:je\s+vous\s+ai\s+écrit|mon\s+(?:message|e-mail))\b"
    r"|(?:ich\s+habe\s+Ihnen\b[^.!?]*\bgeschrieben|meine\s+(?:Nachricht|E-Mail))\b"
    r")",
    re.IGNORECASE,
)
"""A clause about the sender writing to the lead or talking with other teams ("I wrote to you
last week", "my note from last week", "we spoke with a few teams last month"): its time is
when the sender acted, not a claim about the lead. A meeting or call with the lead ("We met
at ShipConf last week") is a claim, checked like any other."""


class ClaimJudge:
    """Checks the claims of one message against a lead's indexed evidence."""

    def __init__(self, index: ClaimEvidence, today: date | None, language: str) -> None:
        self.index = index
        self.today = today or index.newest
        self.language = language
        self._clause = ""
        self._text = ""

    def verdict(self, claim: Claim, text: str) -> Verdict | None:
        """Return why the claim is not backed, or None when the evidence backs it.

        text: the checked text. The words of the claim's clause, the nearest weighing most,
        say which fact it draws on.
        """
        words = clause_words(text, claim.clause, (claim.start, claim.end))
        self._clause = text[claim.clause[0] : claim.clause[1]]
        self._text = text
        check = getattr(self, f"_{claim.kind}")
        result: Verdict | None = check(claim, words)
        return result

    # --- one method per kind -------------------------------------------------------------
    def _number(self, claim: Claim, words: Words) -> Verdict | None:
        return number_verdict(self.index, claim, words, self._text, self.language)

    def _quantity(self, claim: Claim, words: Words) -> Verdict | None:
        # What their post or company did must come from a fact: "your post on cutting CI time
        # by a third" is not backed by our own pitch promising a third.
        theirs = bool(_THEIRS.search(self._clause)) and not _OURS.search(self._clause)
        if theirs:
            # "Brightpath can cut your pipeline time by a third": the pitch's own sentence
            # speaks of the product, however it addresses the reader.
            said = normalize(self._clause)
            theirs = not said or not self.index.any(
                lambda e: e.fact is None and f" {said} " in e.reading.normalized
            )
        return quantity_verdict(self.index, claim, words, self._text, theirs)

    def _ordinal(self, claim: Claim, words: Words) -> Verdict | None:
        number = claim.value
        assert isinstance(number, int)
        context = _stem(claim.context) if claim.context else None
        if self.index.answer(
            ("ordinal", number, context),
            lambda: self.index.any(lambda e: number in e.reading.ordinals and _has(e, context)),
        ):
            return None
        nearest = self.index.nearest(words)
        related = self.index.related(words)
        if (
            context is not None
            and not any(_has(e, context) for e in related)
            and any(number in e.reading.ordinals for e in related)
        ):
            return None
        # "zweiten Büro" for a fact's "second office": in another language than the facts the
        # counted word is a translation no evidence holds; a fact must rank the same thing.
        english = counted_in_english(claim.context) if self.language != "en" else None
        if english and self.index.any(
            lambda e: number in e.reading.ordinals and any(_has(e, w) for w in english)
        ):
            return None
        ranked = self.index.nearest(words, lambda e: bool(e.reading.ordinals - {1}))
        if ranked is not None and nearest is ranked:
            ranks = sorted(ranked.reading.ordinals - {1})  # "first" is said of anything
            said = ", ".join(_label_ordinal(n, self.language) for n in ranks)
            return Verdict(f"the facts say {said!r}, not {claim.text!r}", ranked)
        return Verdict(f"no fact says {claim.text!r}", nearest)

    def _date(self, claim: Claim, words: Words) -> Verdict | None:
        day = claim.value
        assert isinstance(day, DayOfYear)
        if self.index.answer(
            ("date", day),
            lambda: self.index.any(
                lambda e: any(day.matches(d) for d in e.dates) or _same_day(day, e.reading.days)
            ),
        ):
            return None
        nearest = self.index.nearest(words, lambda e: bool(e.dates)) or self.index.nearest(words)
        if nearest is not None and nearest.dates:
            said = nearest.dates[0]
            return Verdict(
                f"the facts date it {_label_month(said.month, self.language)} {said.day}, "
                f"{said.year}",
                nearest,
            )
        return Verdict(f"no fact gives the date {claim.text!r}", nearest)

    def _month(self, claim: Claim, words: Words) -> Verdict | None:
        month, year = cast(tuple[int, "int | None"], claim.value)
        if self._about_teams_in_general(claim):
            return None  # "Most teams see this in March": about teams in general, not the lead

        def dated(entry: Entry) -> bool:
            return month in entry.reading.months or any(
                d.month == month and year in (None, d.year) for d in entry.dates
            )

        if any(month in e.reading.months for e in self.index.others):
            return None
        # "Your September post …, and your talk on …": the month dates the post the clause
        # names beside it, whichever fact the rest of the clause draws on most.
        kinds = kinds_near(self._text, claim.start, claim.end)
        if any(dated(e) for e in self.index.candidates(words)) or any(
            e.fact is not None and e.fact.kind in kinds and dated(e) for e in self.index.facts
        ):
            return None
        nearest = self.index.nearest(words, lambda e: bool(e.dates))
        if nearest is not None:
            said = _label_month(nearest.dates[0].month, self.language)
            return Verdict(f"the facts say {said}", nearest)
        return Verdict(
            f"no fact is dated in {_label_month(month, self.language)}", self.index.nearest(words)
        )

    def _about_teams_in_general(self, claim: Claim) -> bool:
        """Whether the claim's clause speaks of teams in general and names no one: not "your",
        no name ("Most teams at Tramalia …" names the lead's company)."""
        clause = self._clause
        if self.language == "de" or _THEIRS.search(clause) or not _GENERIC_SUBJECT.search(clause):
            return False
        capitals = _CAPITALIZED.findall(clause[1:].replace(claim.text, ""))
        return not [word for word in capitals if word != "I"]

    def _weekday(self, claim: Claim, words: Words) -> Verdict | None:
        weekday, dated = cast(tuple[int, "DayOfYear | None"], claim.value)
        if dated is not None:
            return self._weekday_of(weekday, dated, words)
        candidates = self.index.candidates(words)
        if any(weekday in e.reading.weekdays for e in self.index.others + tuple(candidates)):
            return None
        earliest = self.today - timedelta(days=WEEKDAY_DAYS) if self.today else None

        def fits(day: date) -> bool:
            recent = earliest is None or self.today is None or earliest <= day <= self.today
            return day.weekday() == weekday and recent

        kinds = kinds_near(self._text, claim.start, claim.end)
        named = [e for e in self.index.facts if e.fact is not None and e.fact.kind in kinds]
        if any(fits(d) for e in (*candidates, *named) for d in e.dates):
            return None  # "your Tuesday post": a post dated that Tuesday
        nearest = self.index.nearest(words, lambda e: bool(e.dates))
        if nearest is not None:
            said = nearest.dates[0]
            return Verdict(
                f"the facts date it {_label_weekday(said.weekday(), self.language)} "
                f"{said.isoformat()}",
                nearest,
            )
        return Verdict("no fact gives a date for it", self.index.nearest(words))

    def _weekday_of(self, weekday: int, dated: DayOfYear, words: Words) -> Verdict | None:
        """A weekday written with its date ("Tuesday, October 27") must be that date's."""
        known = [d for e in self.index.facts for d in e.dates if dated.matches(d)]
        if known:
            day = known[0]
        elif dated.year is not None or self.today is not None:
            year = dated.year or self.today.year  # type: ignore[union-attr]
            try:
                day = date(year, dated.month, dated.day)
            except ValueError:
                return None
            if dated.year is None and self.today is not None and day > self.today:
                day = day.replace(year=year - 1)
        else:
            return None
        if day.weekday() == weekday:
            return None
        said = _label_weekday(day.weekday(), self.language)
        nearest = self.index.nearest(words, lambda e: day in e.dates) or next(
            (e for e in self.index.facts if day in e.dates), None
        )
        return Verdict(f"{day.isoformat()} was a {said}", nearest)

    def _relative_time(self, claim: Claim, words: Words) -> Verdict | None:
        kind, count, season = cast(tuple[str, "str | None", "str | None"], claim.value)
        if _SENDER_FIRST.match(self._clause) and not _THEIRS.search(self._clause):
            return None  # "I wrote to you last week": when the sender did something
        phrase = normalize(claim.text)
        candidates = self.index.candidates(words)
        # The campaign's own words ("flags flaky tests in recent builds") or a fact that says
        # the same ("spoke last week") back it as written.
        if any(e.holds(phrase) for e in (*self.index.others, *candidates)):
            return None
        if self.today is None:
            return Verdict("no fact gives a date for it", self.index.nearest(words))
        span = window(kind, self.today, count, season)
        if span is None:
            return None  # a season still to come: a plan, not a claim
        dated = [e for e in candidates if e.dates]
        # "your post last month": the time dates the post it names, not any fact of then.
        kinds = kinds_near(self._text, claim.start, claim.end)
        named = [e for e in self.index.facts if e.fact is not None and e.fact.kind in kinds]
        if any(e.dates for e in named):
            dated = [e for e in named if e.dates]
        if any(span.holds(d) for e in dated for d in e.dates):
            return None
        if not dated:
            return Verdict("no fact gives a date for it", self.index.nearest(words))
        what = f"within {RECENT_DAYS} days" if kind == "recent" else span.describe()
        nearest = self.index.nearest(words, lambda e: bool(e.dates))
        if nearest is None:
            return Verdict(f"{claim.text!r} means {what}, but no fact is dated then", None)
        said = max(nearest.dates)
        age = (self.today - said).days
        return Verdict(
            f"{claim.text!r} means {what}, but the fact is dated {said.isoformat()} "
            f"({age} days before the send date)",
            nearest,
        )

    def _superlative(self, claim: Claim, words: Words) -> Verdict | None:
        key = str(claim.value)
        phrases = [normalize(p) for p in SUPERLATIVE_SUPPORT[key]]
        ranked = content_words(claim.text) - _SUPERLATIVE_WORDS
        if claim.context:
            ranked |= content_words(claim.context)
        # A fact must rank the same thing ("the largest maker", not "the largest round"),
        # unless no evidence names it at all (a translation: "fabricante" for "maker").
        named = {w for w in ranked if self.index.holds_word(w)}

        def ranks_it(entry: Entry) -> bool:
            said = any(entry.holds(p) for p in phrases)
            return said and (not named or any(_has(entry, w) for w in named))

        if self.index.any(ranks_it):
            return None
        return Verdict(f"no fact says {claim.text!r}", self.index.nearest(words))

    def _name(self, claim: Claim, words: Words) -> Verdict | None:
        name = str(claim.value)
        if _supported_name(name, self.index) or (
            claim.droppable_first and _supported_name(name.split(" ", 1)[1], self.index)
        ):
            return None
        return Verdict(f"no fact names {name!r}", self.index.nearest(words))


_SUPERLATIVE_WORDS = frozenset(
    w for words in SUPERLATIVE_SUPPORT.values() for phrase in words for w in content_words(phrase)
) | {"growing", "ever", "world", "crecimiento", "crece", "croissance", "croît", "grandit"}


def _has(entry: Entry, stem: str | None) -> bool:
    return entry.has_word(stem)


def _same_day(day: DayOfYear, days: tuple[DayOfYear, ...]) -> bool:
    return any(
        (d.month, d.day) == (day.month, day.day)
        and (day.year is None or d.year in (None, day.year))
        for d in days
    )


def _supported_name(name: str, index: ClaimEvidence) -> bool:
    """Whether the evidence backs a name (worked out once per lead: its drafts and rewrites
    name the same people, companies and places)."""
    return index.answer(("name", name), lambda: _backed_name(name, index))


def _backed_name(name: str, index: ClaimEvidence) -> bool:
    # Split a run of capitalized words into the longest phrases the evidence holds, so
    # "Northwind Robotics Series B" is fine when both names are known, while "Series C" is
    # not rescued by "Series" alone: a one-letter word must belong to a known phrase.
    tokens = name.split()
    start = 0
    while start < len(tokens):
        for end in range(len(tokens), start, -1):
            phrase = " ".join(tokens[start:end])
            if (end - start > 1 or len(phrase) > 1) and _holds_phrase(index, phrase):
                start = end
                break
        else:
            return False
    return True


def _holds_phrase(index: ClaimEvidence, phrase: str) -> bool:
    """Whether any evidence says the phrase, or its singular or plural."""
    norm = normalize(phrase)
    if not norm:
        return False
    first, _, rest = norm.partition(" ")
    # "Serie B" is "Series B": either word may carry the plural.
    variants = {norm, _stem(norm), f"{norm}s", f"{_stem(first)} {rest}", f"{first}s {rest}"}
    if any(index.holds(v.strip()) for v in variants):
        return True
    if any(index.holds_unaccented(v.strip()) for v in variants):
        return True  # "Krakow" for "Kraków", "Series B" for "série B": accents left out
    # "Polonia" and "Pologne" are "Poland": a place may be named in another language.
    return any(index.holds(normalize(alias)) for alias in place_names(phrase))
