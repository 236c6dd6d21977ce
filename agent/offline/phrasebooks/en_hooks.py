"""The offline writer's English hooks and lead-row lines (see hook_book.py for the slots)."""

from __future__ import annotations

from agent.offline.phrasebooks.hook_book import HookBook
from graphs.drafts import Tone

P, F, D = Tone.PROFESSIONAL, Tone.FRIENDLY, Tone.DIRECT
_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _post(seen: str) -> tuple[str, str, str, str, str, str, str, str]:
    return (
        "your {noun} “{title}”{when}",
        f"I {seen} your {{noun}} “{{title}}”{{on}}.",
        "Your {noun} “{title}” stuck with me.",
        "Saw your {noun} “{title}”{when}.",
        "your {noun}",
        f"I also {seen} your {{noun}} “{{title}}”{{on}}.",
        "I enjoyed your {noun} “{title}” too.",
        "I also saw your {noun} “{title}”{when}.",
    )


def _news(friendly: str, friendly_next: str) -> tuple[str, str, str, str, str, str, str, str]:
    return (
        "{company_s} news “{title}”{when}",
        "I saw {company_s} news{on}: “{title}”.",
        friendly,
        "Saw “{title}”{when}.",
        "{company_s} news",
        "I also saw {company_s} news{on}: “{title}”.",
        friendly_next,
        "I also saw “{title}”{when}.",
    )


_SAID_AS_IS = (
    "{sentence}",
    "I noticed {sentence}.",
    "I noticed {sentence}.",
    "{sentence}.",
    "what {company} publishes",
    "I also noticed {sentence}.",
    "And I noticed {sentence}.",
    "I also noticed {sentence}.",
)

ENGLISH_HOOKS = HookBook(
    months=tuple(_MONTHS),
    short_months=tuple(m[:3] for m in _MONTHS),
    long_date="{month} {day}",
    short_date="{month} {day}",
    month_year="{month} {year}",
    short_month_year="{month} {year}",
    possessive=("'", "'s"),
    nouns={"post": "post", "talk": "talk"},
    when=" ({date})",
    on=" from {date}",
    frames={
        "post": _post("read"),
        "talk": _post("came across"),
        "news": _news("I saw “{title}”.", "I also saw “{title}”."),
        "news_congrats": _news("Congrats on “{title}”.", "Congrats on “{title}” too."),
        "hiring": (
            "{total} open roles at {company} ({first} in {department})",
            "I noticed {company} lists {total} open roles, {first} of them in {department}.",
            "Looks like {company} is hiring: {total} open roles, {first} in {department}.",
            "{company} has {total} open roles, {first} in {department}.",
            "{company_s} {total} open roles",
            "I also noticed {company} lists {total} open roles, {first} of them in {department}.",
            "Looks like {company} is hiring too: {total} open roles, {first} in {department}.",
            "And {company} has {total} open roles, {first} in {department}.",
        ),
        "technology": (
            "{company_s} stack ({listed})",
            "I noticed {company} mentions {techs} on its website.",
            "I noticed {company} runs on {techs}.",
            "{company} mentions {techs} on its site.",
            "your {first_tech} setup",
            "I also noticed {company} mentions {techs} on its website.",
            "And I noticed {company} runs on {techs}.",
            "{company} also mentions {techs} on its site.",
        ),
        "profile": (
            "your role as {role}",
            "I am writing to you as {role}.",
            "As {role}, you seemed like the right person to ask.",
            "You are {role}.",
            "your role as {role}",
            "As {role}, you are the right person to ask.",
            "And as {role}, you seemed like the right person to ask.",
            "You are {role}, which is why I am writing.",
        ),
        "referral": (
            "{who} suggested I reach out",
            "{who} suggested I reach out to you.",
            "{who} suggested I reach out to you, so here I am.",
            "{who} suggested I reach out to you.",
            "{who} suggested I reach out to you.",
            "{who} suggested I reach out to you earlier.",
            "{who} suggested I reach out to you earlier.",
            "{who} suggested I reach out to you earlier.",
        ),
        "company": (
            "what {company} makes ({what})",
            "I see {company} makes {what}.",
            "I like what {company} is building: {what}.",
            "{company} makes {what}.",
            "what {company} builds",
            "I also see {company} makes {what}.",
            "And I like what {company} is building: {what}.",
            "{company} makes {what}.",
        ),
        "company_sentence": _SAID_AS_IS,
    },
    shorts={
        "post_titled": 'your {noun} "{title}"',
        "post_dated": "your {date} {noun}",
        "untitled": "your latest {noun}",
        "news_titled": '"{title}"',
        "news_dated": "{company_s} {date} news",
    },
    row_roles=("as {title} at {company}", "at {company}"),
    row_lines={
        P: "I am writing to you {role}.",
        F: "I'm reaching out to you {role}, so I'll keep this short.",
        D: "This is a short note for you {role}.",
    },
    short_intros={
        P: "Hi {first}, {sender} from {sender_company}, writing to you at {company}.",
        F: "Hi {first}, {sender} at {sender_company} here, reaching out to you at {company}.",
        D: "{first} at {company}: {sender} from {sender_company}.",
    },
    withheld_intro="Hi there, {sender} from {sender_company}, writing to you at {company}.",
    lower_after_greeting=("As ", "Your ", "Looks ", "Saw "),
)
