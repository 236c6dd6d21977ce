"""How fast the rules layer classifies replies, on one core (target: 2,000 replies/s).

A mix like a real inbox: people's replies in five languages with quoted threads and signatures,
out-of-office notices (half with a return date, which needs dateparser), automatic replies,
bounces and HTML-only mail. dateparser's first call per language loads its data (slow), so
the first pass is timed apart from the steady state.

Then hostile replies, each timed on its own: shapes that once took the rules from
milliseconds to minutes (forty thousand nested <div>s, a signature closing on every line, a
megabyte subject, a thousand past-tense absences). The worst of them is printed as well: a
webhook classifies one of these within that time, not within a minute.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from tools.replies import ReplyText, classify_by_rules
from tools.replies.return_date import forget_parsed_dates

RECEIVED = dt.datetime(2026, 12, 28, 9, 30, tzinfo=dt.UTC)
QUOTE = (
    "\n\nOn Mon, Dec 21, 2026 at 9:14 AM Alex Rivera <alex@brightpath.example> wrote:\n"
    "> Hi there,\n>\n> Brightpath finds slow and flaky CI builds before they cost you a day.\n"
    "> Worth a 15-minute call next week? Book a call: https://cal.example/alex\n>\n"
    "> Not interested? Unsubscribe here: https://brightpath.example/u/1\n"
)
OUTLOOK = (
    "\n\n________________________________\nFrom: Alex Rivera <alex@brightpath.example>\n"
    "Sent: Monday, December 21, 2026 9:14 AM\nTo: Maya\nSubject: Flaky CI\n\n"
    "Hi Maya, worth a call? Book a call here. Unsubscribe here.\n"
)
SIGNATURE = "\n\nBest regards,\nMaya Okafor\nVP Engineering | Northwind\n+1 555 0100\n"
PERSON = [
    "Sounds interesting, can you send me more details?",
    "Can we do Thursday at 3pm CET? Send me an invite.",
    "How much does it cost for 40 engineers, and do you support GitLab?",
    "Not right now, we're mid-migration. Try me again in March.",
    "We already use Buildkite Test Analytics for this.",
    "No budget for new tools until July, sorry.",
    "I'm not the right person - talk to Priya Shah (priya.shah@northwind.example) instead.",
    "Not interested, thanks.",
    "Please remove me from your list.",
    "Great, another cold email.",
    "Me interesa, ¿podemos hablar el martes a las 11:00?",
    "Ahora no es buen momento, escríbeme en febrero.",
    "Ça m'intéresse, envoyez-moi une présentation.",
    "Pas pour le moment, merci.",
    "Klingt interessant, schicken Sie mir gerne mehr Infos.",
    "Kein Interesse, wir nutzen bereits Datadog.",
    "Tenho interesse! Pode ser quinta às 10h?",
    "Não tenho interesse, obrigado.",
    "Thanks",
    "Hi Alex,\n\nThanks for the long note. We rebuilt our CI last year and it is mostly fine, "
    "though flaky tests are still a thing. I'll share this with the team. Please take me off "
    "your mailing list though, I get too many of these.",
]
AWAY = [
    "I am out of the office with limited access to email.",
    "Estoy fuera de la oficina. Para urgencias, contacte con Lucía Ferrer.",
    "Je suis absent du bureau et vous répondrai à mon retour.",
    "I'm out of the office until Monday {day} {month_en}. For urgent matters contact Ana Ruiz.",
    "Estoy de vacaciones, de vuelta el {day} de {month_es}.",
    "Ich bin im Urlaub und ab dem {day:02d}.{month:02d}. wieder im Büro.",
    "Je suis en congés, de retour le {day} {month_fr}.",
    "Estou de férias, retorno em {day} de {month_pt}.",
]
"""Absence notices; the dates vary so that no cache makes dateparser look cheaper than it is."""
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
    "dezembro",
}
AUTOMATIC = [
    "Thank you for contacting Acme Support. Your request (#48213) has been received.",
    "Hemos recibido su mensaje. Por favor, no responda a este correo.",
]
BOUNCE = (
    "Delivery has failed to these recipients or groups:\nmaya@northwind.example\n"
    "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n"
)
HTML = (
    "<html><body><div>Yes, let's talk Tuesday at 10am.</div><div class='gmail_quote'>"
    "<blockquote>Book a call here. <a href='#'>Unsubscribe</a></blockquote></div></body></html>"
)


AUTO = {"Auto-Submitted": "auto-replied"}
HOSTILE_REPLIES: dict[str, ReplyText] = {
    "nested <div> ×40,000 (HTML)": ReplyText(subject="Re: CI", text="", html="<div>" * 40_000),
    "<p>x<br> ×62,500 (500 kB HTML)": ReplyText(
        subject="Re: CI", text="", html="<p>x<br>" * 62_500
    ),
    "5 MB of HTML paragraphs": ReplyText(
        subject="Re: CI", text="", html="<div>Hello there</div>" * 250_000
    ),
    '"Thanks" on 28,000 lines': ReplyText(subject="Re: CI", text="Thanks\n" * 28_000),
    '"Thanks," then "Ana" ×16,000': ReplyText(subject="Re: CI", text="Thanks,\nAna\n" * 16_000),
    '"I was out of office" ×1,000': ReplyText(
        subject="Re: CI", text="I was out of office, " * 1_000
    ),
    "1 MB subject, automatic": ReplyText(
        subject="Out of office " * 75_000, text="Thanks", headers=AUTO
    ),
    "20,000 letters then a referral": ReplyText(
        subject="Re: CI", text="a" * 19_000 + " talk to Ana Ruiz"
    ),
    "5 MB body": ReplyText(subject="Re: CI", text="Lorem ipsum dolor sit amet. " * 180_000),
    "200 kB of '-' on one line": ReplyText(subject="Re: CI", text="-" * 199_999 + "x"),
    '"On 1 Monday" on 16,000 lines': ReplyText(subject="Re: CI", text="On 1 Monday\n" * 16_000),
    '"From: a" on 25,000 lines': ReplyText(subject="Re: CI", text="From: a\n" * 25_000),
    "700 return dates, automatic": ReplyText(
        subject="Automatic reply",
        headers=AUTO,
        text="I am out of office. "
        + " ".join(
            f"Back on {day} {month}." for month in MONTHS["en"].split() for day in range(1, 29)
        )
        * 2,
    ),
}
"""Replies built to be slow: each once cost seconds to minutes (the HTML ones over a minute)."""


def replies(count: int, seed: int = 20) -> list[ReplyText]:
    """Return `count` varied replies: 70 % people, 15 % away, 7 % automatic, 4 % each else."""
    chance = random.Random(seed)
    made: list[ReplyText] = []
    for _ in range(count):
        roll = chance.random()
        if roll < 0.70:
            words = chance.choice(PERSON)
            tail = chance.choice([QUOTE, OUTLOOK, SIGNATURE + QUOTE, ""])
            made.append(ReplyText(subject="Re: Flaky CI", text=words + tail))
        elif roll < 0.85:
            day, month = chance.randint(1, 28), chance.randint(1, 12)
            names = {f"month_{code}": MONTHS[code].split()[month - 1] for code in MONTHS}
            text = chance.choice(AWAY).format(day=day, month=month, **names)
            made.append(
                ReplyText(
                    subject="Automatic reply: Flaky CI",
                    text=text,
                    headers={"Auto-Submitted": "auto-replied"},
                )
            )
        elif roll < 0.92:
            made.append(ReplyText(subject="Re: Flaky CI", text=chance.choice(AUTOMATIC)))
        elif roll < 0.96:
            made.append(ReplyText(subject="Undeliverable: Flaky CI", text=BOUNCE))
        else:
            made.append(ReplyText(subject="Re: Flaky CI", text="", html=HTML))
    return made


def _counting_dateparser() -> tuple[list[float], Callable[[], None]]:
    """Count and time dateparser.parse calls; return the timings and an undo function."""
    import dateparser

    original = dateparser.parse
    timings: list[float] = []

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timings.append(time.perf_counter() - started)

    dateparser.parse = timed

    def undo() -> None:
        dateparser.parse = original

    return timings, undo


def _run(batch: list[ReplyText]) -> float:
    forget_parsed_dates()  # each round a fresh stream: only repeats within it hit the cache
    started = time.perf_counter()
    for reply in batch:
        classify_by_rules(reply, received=RECEIVED)
    return time.perf_counter() - started


def hostile(rounds: int = 3) -> dict[str, float]:
    """Return the median of `rounds` classifications of each hostile reply, in seconds."""
    classify_by_rules(HOSTILE_REPLIES["700 return dates, automatic"], received=RECEIVED)  # warm up
    timed: dict[str, float] = {}
    for name, reply in HOSTILE_REPLIES.items():
        times = []
        for _ in range(rounds):
            forget_parsed_dates()
            started = time.perf_counter()
            classify_by_rules(reply, received=RECEIVED)
            times.append(time.perf_counter() - started)
        timed[name] = statistics.median(times)
    return timed


def main(count: int = 4_000, rounds: int = 3) -> None:
    """Classify `count` varied replies several times on one core and print replies per second,
    then each hostile reply, and the worst time one of them takes."""
    batch = replies(count)
    parse_times, undo = _counting_dateparser()
    try:
        cold = _run(batch[:200])
        cold_parses = list(parse_times)
        parse_times.clear()
        steady = [_run(batch) for _ in range(rounds)]
        warm_parses = len(parse_times) / rounds
    finally:
        undo()
    seconds = statistics.median(steady)
    dated = sum(seconds_ for seconds_ in parse_times) / max(1, len(parse_times))
    print(f"reply rules: {count:,} varied replies (5 languages, quotes, OOO, DSN, HTML), one core")
    print(
        f"  {count / seconds:,.0f} replies/s ({seconds / count * 1e6:.0f} µs a reply, "
        f"median of {rounds} rounds; target 2,000/s)"
    )
    print(
        f"  dateparser: {warm_parses / count:.1%} of replies call it (repeats within a round are "
        f"cached), {dated * 1e3:.2f} ms a call when warm; first pass of 200 replies "
        f"{cold * 1e3:.0f} ms "
        f"({len(cold_parses)} calls, {sum(cold_parses) * 1e3:.0f} ms of them in dateparser "
        f"loading its languages)"
    )
    slowest = hostile()
    print(f"  hostile replies ({len(slowest)}), median of 3 runs each:")
    for name, seconds_ in slowest.items():
        print(f"    {seconds_ * 1e3:8.1f} ms  {name}")
    name, seconds_ = max(slowest.items(), key=lambda item: item[1])
    print(f"  worst case: {seconds_ * 1e3:.0f} ms for one hostile reply ({name})")


if __name__ == "__main__":
    main()
