"""Find the day an out-of-office sender is back, in English, Spanish, French, German, Portuguese.

Dates are found with patterns, then read: numeric ones ("12.01.", "4/1/2027") here, because
dateparser takes "12.01." for a time, and written ones ("lunes 4 de enero", "5 janv.") by
dateparser in the reply's language, relative to when the reply was received. dateparser is
slow (about 0.1 s to load a language, then about a millisecond a phrase), so it only runs on
a date phrase already found next to a return cue, and its answers are cached: a day's absence
notices repeat the same few dates.

The date is the day the sender is back: a return cue ("back on", "de retour le", "wieder im
Büro ab") wins over an "until" date; an inclusive "until" ("bis einschließlich 8.1.", "jusqu'au
8 janvier inclus") means the day after. The next business day is the caller's business.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Literal

from tools.replies.phrase_search import sentence_at

_WEEKDAYS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"lunes|martes|miercoles|jueves|viernes|sabado|domingo|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"segunda(?:-feira)?|terca(?:-feira)?|quarta(?:-feira)?|quinta(?:-feira)?|sexta(?:-feira)?"
)
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
    r"noviembre|diciembre|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|"
    r"octobre|novembre|decembre|januar|februar|marz|maerz|juni|juli|oktober|dezember|"
    r"janeiro|fevereiro|marco|maio|junho|julho|setembro|outubro|novembro|dezembro|"
    r"jan|feb|febr|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|ene|abr|ago|dic|janv|fevr|avr|"
    r"juil|okt|dez|mrz|fev|set|out"
)
_ORDINAL = r"(?:st|nd|rd|th|º|°|o|a|er|re|eme|\.)?"
_DATE = re.compile(
    r"(?<!\w)(?:"
    rf"(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<numeric>\d{{1,2}}[./]\d{{1,2}}(?:[./](?:\d{{4}}|\d{{2}}))?\.?)(?![\d/])"
    rf"|(?P<dm>\d{{1,2}}{_ORDINAL}\s?(?:of |de |del )?(?:{_MONTHS})\.?(?:,? (?:de |del )?\d{{4}})?)"
    rf"|(?P<md>(?:{_MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?)(?!\d)"
    rf"|(?P<weekday_day>(?:{_WEEKDAYS}),? (?:the |den |el |le |o dia |dia )?\d{{1,2}}"
    rf"(?:st|nd|rd|th|er|º|°|\.)?)(?![\d/:]|\.\d|\.?\s?(?:of |de |del )?(?:{_MONTHS})\b)"
    rf"|(?P<weekday>{_WEEKDAYS})"
    r"|(?P<day>(?:the )?\d{1,2}(?:st|nd|rd|th)|(?:(?<=el )|(?<=le )|(?<=au )|(?<=dia )|(?<=zum )"
    r"|(?<=am )|(?<=ao )|(?<=a )|(?<=o )|(?<=der ))\d{1,2}(?:er|º|°|o)?\.?)"
    rf"(?![\d/:]|\.\d|\s?(?:h|am|pm|uhr)\b|\.?\s?(?:of |de |del )?(?:{_MONTHS})\b)"
    r"|(?P<tomorrow>tomorrow|manana|demain|morgen|amanha)"
    r")(?!\w)"
)
"""A date written in any of the five languages (folded text: no accents, lower case)."""

_BACK_CUE = re.compile(
    r"(?:\bback|\breturn(?:ing|s)?|\bin the office|\bin office|available again|reachable again|"
    r"\bresum(?:e|ing)|\bde vuelta|\bde regreso|\bvuelvo|\bvolvere|\bregres(?:o|are)|"
    r"\breincorpor\w*|\bretom(?:o|are)|de nuevo en la oficina|\bde retour|\bje reviens|"
    r"retour prevu|\breprendrai|\breprends|\breprise|\brentre(?:rai)?\b|\bzuruck|\bwieder\b|"
    r"\bretorn(?:o|arei|ando)|"
    r"\bvolto|\bvoltarei|\bregress(?:o|arei)|\breopen\w*|\breabr\w*|\brouvr\w*|"
    r"wieder geoffnet|get back to you|\breply\b|\brespond\b|see your message|\brespondo\b|"
    r"\bte respondo|\bresponderei|je vous repondrai)"
)
_UNTIL_CUE = re.compile(
    r"(?:\buntil|\btill|\btil|\bthrough|\bthru|\bup to|\bhasta|\bjusqu'|\bbis\b|\bate\b|"
    r"(?<=\w )(?:to|al|au|a)(?= )|(?<=\w\. )(?:to|al|au|a)(?= )|(?<=\w )-(?= )|(?<=\w\. )-(?= ))"
)
_FROM_CUE = re.compile(
    r"(?:\bfrom|\bdesde|\bdel\b|\bdu\b|\bvom\b|\bde\b|\bstarting|\bbetween|\bentre)"
)
_INCLUSIVE = re.compile(
    r"^[\s,(]*(?:inclusive|inclusivo|incluido|inclus|inclusivement|einschlie(?:ß|ss)lich|"
    r"inkl\.?|incluso|included)"
)
_INCLUSIVE_BEFORE = re.compile(r"(?:einschlie(?:ß|ss)lich|inkl\.?|including|through|thru)\s*$")
_BACK_AFTER = re.compile(
    r"[\s,]*(?:bin ich |sind wir )?(?:wieder|i(?:'ll| will) be back|je serai de retour|"
    r"estare de vuelta|estarei de volta)"
)
"""A return said after its date: "ab dem 12.01. wieder im Büro"."""
_AFTER_WEEKDAY = re.compile(rf"[,\s]+(?:the |den |el |le |o dia |dia )?(?:\d|(?:{_MONTHS})\b)")
CUE_CHARS = 45
PLAUSIBLE_DAYS = (-7, 400)
"""A return date this far around the day received is believable; others are typos or stale."""
DATES_READ = 12
"""Read at most this many dates next to a cue (dateparser takes about a millisecond each)."""

Cue = Literal["back", "until", "from", "none"]


@dataclass(frozen=True)
class ReturnDate:
    """The day the sender is back, and the sentence that says so."""

    day: dt.date
    sentence: str


def _cue(folded: str, start: int, end: int) -> tuple[Cue, bool]:
    """Return what the words just before (or after) a date say it is, and if it is inclusive."""
    head = folded[max(0, start - CUE_CHARS) : start]
    for stop in ".!?\n":
        head = head.rsplit(stop, 1)[-1]
    found: list[tuple[int, Cue]] = []
    cues: tuple[tuple[re.Pattern[str], Cue], ...] = (
        (_BACK_CUE, "back"),
        (_UNTIL_CUE, "until"),
        (_FROM_CUE, "from"),
    )
    for pattern, cue in cues:
        matches = list(pattern.finditer(head))
        if matches:
            found.append((matches[-1].end(), cue))
    inclusive = bool(_INCLUSIVE.match(folded[end : end + 20])) or bool(
        _INCLUSIVE_BEFORE.search(head)
    )
    if found:
        last = max(found)[1]
        # "de retour à partir du 5", "back from the 4th": the return cue governs.
        if last == "from" and any(cue == "back" for _, cue in found):
            return "back", inclusive
        return last, inclusive
    if _BACK_AFTER.match(folded, end):
        return "back", False
    return "none", inclusive


def _numeric(text: str, received: dt.date) -> dt.date | None:
    parts = [int(part) for part in re.findall(r"\d+", text)]
    if len(parts) < 2:
        return None
    first, second = parts[0], parts[1]
    year = parts[2] if len(parts) > 2 else None
    if year is not None and year < 100:
        year += 2000
    candidates = []
    for day, month in ((first, second), (second, first)):
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        for option in [year] if year else [received.year, received.year + 1]:
            try:
                candidates.append(dt.date(option, month, day))
            except ValueError:
                continue
        if candidates and first > 12:  # day first, no doubt left
            break
    ahead = [day for day in candidates if day >= received]
    if ahead:
        return min(ahead)
    return max(candidates) if candidates else None


def _day_of_month(text: str, received: dt.date) -> dt.date | None:
    """Return the next day with this day of the month, on or after received ("the 15th")."""
    number = int(re.findall(r"\d+", text)[0])
    year, month = received.year, received.month
    for _ in range(3):
        try:
            day = dt.date(year, month, number)
        except ValueError:
            day = None
        if day is not None and day >= received:
            return day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _clean_phrase(phrase: str) -> str:
    phrase = re.sub(r"(?<=\d)(?:º|°|ª)", "", phrase)
    phrase = re.sub(r"(?<=\d)(?:o|a|eme|re)(?=\s)", "", phrase)
    return phrase.strip(" .,")


@functools.lru_cache(maxsize=1024)
def _written(phrase: str, language: str | None, received: dt.date) -> dt.date | None:
    import dateparser  # slow to import and to start; only replies with a date phrase need it

    base = dt.datetime.combine(received, dt.time(9, 0))
    languages = [language] if language in ("en", "es", "fr", "de", "pt") else None
    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": base,
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "PARSERS": [
            "relative-time",
            "absolute-time",
        ],  # the others cost time and read no phrase of ours
    }
    try:
        parsed = dateparser.parse(_clean_phrase(phrase), languages=languages, settings=settings)
        if parsed is None and languages is not None:
            parsed = dateparser.parse(
                _clean_phrase(phrase), languages=["en", "es", "fr", "de", "pt"], settings=settings
            )
    except Exception:  # dateparser raises on odd input now and then; no date is the answer
        return None
    return parsed.date() if parsed else None


def _read(kind: str, phrase: str, language: str | None, received: dt.date) -> dt.date | None:
    if kind == "iso":
        try:
            return dt.date.fromisoformat(phrase)
        except ValueError:
            return None
    if kind == "numeric":
        return _numeric(phrase, received)
    if kind in ("day", "weekday_day"):
        return _day_of_month(phrase, received)
    day = _written(phrase, language, received)
    if day is None:
        return None
    has_year = re.search(r"\d{4}", phrase) is not None
    if not has_year and day < received:
        try:
            day = day.replace(year=day.year + 1)
        except ValueError:
            return None
    return day


def forget_parsed_dates() -> None:
    """Empty the cache of dates dateparser has read (benchmarks measure it cold)."""
    _written.cache_clear()


def _plausible(day: dt.date, received: dt.date) -> bool:
    low, high = PLAUSIBLE_DAYS
    return received + dt.timedelta(days=low) <= day <= received + dt.timedelta(days=high)


def find_return_date(
    text: str, folded: str, *, language: str | None, received: dt.date
) -> ReturnDate | None:
    """Return the day an out-of-office reply says its sender is back, or None.

    The first date after a return cue wins, else the first "until" date; at most DATES_READ
    dates are read, so a text listing hundreds of them costs no more than a real notice."""
    best: tuple[int, dt.date, str] | None = None
    read = 0
    for match in _DATE.finditer(folded):
        if read >= DATES_READ:
            break
        kind = match.lastgroup or ""
        if kind == "weekday" and _AFTER_WEEKDAY.match(folded, match.end()) is not None:
            continue  # "Monday 4 January": the date that follows says more
        cue, inclusive = _cue(folded, match.start(), match.end())
        if cue in ("from", "none"):
            continue
        phrase = text[match.start() : match.end()]
        read += 1
        day = _read(kind, phrase, language, received)
        if day is None or not _plausible(day, received):
            continue
        if cue == "until" and inclusive:
            day += dt.timedelta(days=1)
        rank = 0 if cue == "back" else 1
        if best is None or rank < best[0]:
            best = (rank, day, sentence_at(text, match.start(), match.end()))
        if rank == 0:
            break  # nothing later can win over the first return date
    if best is None:
        return None
    return ReturnDate(best[1], best[2])
