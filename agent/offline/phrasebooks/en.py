"""The offline writer's English words (see base.py for the slots)."""

from __future__ import annotations

from agent.offline.phrasebooks.base import Phrasebook
from agent.offline.phrasebooks.en_hooks import ENGLISH_HOOKS
from graphs.drafts import Tone

P, F, D = Tone.PROFESSIONAL, Tone.FRIENDLY, Tone.DIRECT

_NEWS_BRIDGES = (
    "Moves like that usually add more work on {topic}.",
    "That kind of change tends to put more weight on {topic}.",
    "Changes like that usually show up on the {topic} side sooner or later.",
    "A step like that tends to bring more work on {topic} with it.",
)
_NEWS_PLAIN = (
    "Changes like that usually ripple through the whole team.",
    "Moves like that tend to keep a team busy.",
    "A step like that tends to change how a team works.",
)

ENGLISH = Phrasebook(
    language="en",
    and_word="and",
    greetings={P: "Hi {first_name},", F: "Hi {first_name},", D: "{first_name},"},
    sign_offs={
        P: "Best regards,\n{sender_name}\n{signature_line}",
        F: "Cheers,\n{sender_first}",
        D: "{sender_name}, {sender_company}",
    },
    note_greetings={P: "Hi {first_name},", F: "Hi {first_name}!", D: "{first_name} —"},
    note_short_hooks={P: "I came across {short}.", F: "Enjoyed {short}.", D: "Saw {short}."},
    text_intros={
        P: (
            "Hi {first_name}, {sender_first} from {sender_company}.",
            "Hi {first_name}, {sender_first} here.",
        ),
        F: (
            "Hi {first_name}, {sender_first} at {sender_company} here.",
            "Hi {first_name}, {sender_first} here.",
        ),
        D: (
            "{first_name}, {sender_first} ({sender_company}).",
            "{first_name}, {sender_first} here.",
        ),
    },
    text_hooks={P: "I saw {short}.", F: "Enjoyed {short}.", D: "Re {short}:"},
    pronoun="It",
    pitch_after_bridge={
        P: (
            "That is the problem {company} was built for: it {rest}.",
            "{company} was built for exactly that: it {rest}.",
            "{company} {rest}.",
            "This is where {company} comes in: it {rest}.",
            "That is what {company} is for: it {rest}.",
            "{company} exists for exactly that: it {rest}.",
        ),
        F: (
            "That is exactly why we built {company}: it {rest}.",
            "This is where {company} comes in: it {rest}.",
            "{company} {rest}.",
            "That is the problem {company} was built for: it {rest}.",
            "We built {company} for teams in that spot: it {rest}.",
            "{company} was made for that: it {rest}.",
        ),
        D: (
            "{company} is built for that: it {rest}.",
            "{company} {rest}.",
            "That is what {company} is for: it {rest}.",
            "That is the problem {company} was built for: it {rest}.",
            "Here is what {company} does: it {rest}.",
            "{company} exists for that: it {rest}.",
        ),
    },
    pitch_plain={
        P: (
            "{company} {rest}.",
            "Here is what {company} does: it {rest}.",
            "In short, {company} {rest}.",
            "A quick word on {company}: it {rest}.",
        ),
        F: (
            "{company} {rest}.",
            "In short, {company} {rest}.",
            "Here is what {company} does: it {rest}.",
            "A quick word on what we do: {company} {rest}.",
        ),
        D: (
            "{company} {rest}.",
            "Here is what {company} does: it {rest}.",
            "In short, {company} {rest}.",
            "Briefly, {company} {rest}.",
        ),
    },
    pitch_sentence={
        P: (
            "{Sentence}",
            "In practice, {sentence}",
            "For context, {sentence}",
            "To give you an idea, {sentence}",
            "In our experience, {sentence}",
            "As a reference point, {sentence}",
        ),
        F: (
            "{Sentence}",
            "In practice, {sentence}",
            "And {sentence}",
            "To give you an idea, {sentence}",
            "The nice part: {sentence}",
            "Good to know: {sentence}",
        ),
        D: (
            "{Sentence}",
            "In practice, {sentence}",
            "Worth knowing: {sentence}",
            "Key point: {sentence}",
            "Bottom line: {sentence}",
            "For reference, {sentence}",
        ),
    },
    pitch_pronoun={
        P: ("{Pronoun} {rest}.", "{company} {rest}.", "On top of that, it {rest_without_also}."),
        F: ("{Pronoun} {rest}.", "And it {rest}.", "{company} {rest}."),
        D: ("{Pronoun} {rest}.", "{company} {rest}.", "Plus, it {rest_without_also}."),
    },
    pitch_merges=("{first}, and {second}", "{first}; {second}"),
    asks={
        P: (
            "Would you be open to {meeting}{when}{purpose}?",
            "Would {meeting}{when} be useful{purpose_after_comma}?",
            "Could we set up {meeting}{when}{purpose}?",
            "Would you have time for {meeting}{when}{purpose}?",
            "Would it help to have {meeting}{when}{purpose}?",
            "Are you open to {meeting}{when}{purpose}?",
        ),
        F: (
            "Up for {meeting}{when}{purpose}?",
            "How about {meeting}{when}{purpose}?",
            "Would {meeting}{when} work for you{purpose_after_comma}?",
            "Fancy {meeting}{when}{purpose}?",
            "Free for {meeting}{when}{purpose}?",
            "Any chance of {meeting}{when}{purpose}?",
        ),
        D: (
            "Worth {meeting}{when}{purpose}?",
            "Can we do {meeting}{when}{purpose}?",
            "Interested in {meeting}{when}{purpose}?",
            "Open to {meeting}{when}{purpose}?",
            "Shall we book {meeting}{when}{purpose}?",
            "Time for {meeting}{when}{purpose}?",
        ),
    },
    asks_in_minutes={
        P: ("Could we find {minutes} minutes{when}{for_noun}{purpose}?",),
        F: ("Do you have {minutes} minutes{when} for a {noun}{purpose}?",),
        D: ("Could you spare {minutes} minutes{when}{for_noun}{purpose}?",),
    },
    text_asks={
        P: ("Open to {meeting}{when}?", "Would {meeting}{when} work?"),
        F: ("Up for {meeting}{when}?", "Free for {meeting}{when}?"),
        D: ("Worth {meeting}{when}?", "Can we do {meeting}{when}?"),
    },
    short_text_asks=("{Meeting}{when}?", "{Noun}{when}?"),
    fallback_text_asks=("Open to a quick call this week?", "Quick call this week?"),
    connect_asks={
        P: ("Open to connecting?", "Would you be open to connecting?", "Shall we connect?"),
        F: ("Open to connecting?", "Would you like to connect?", "Up for connecting here?"),
        D: ("Open to connecting?", "Shall we connect?", "Could we connect here?"),
    },
    bridges={
        "public_content": (
            "It sounds like you have spent real time on {topic}.",
            "It is clear you have thought hard about {topic}.",
            "You clearly know the {topic} problem from the inside.",
            "That is a lot of hard-won experience with {topic}.",
        ),
        "funding": (
            "A new round usually means a bigger team, and more work on {topic} with it.",
            "Growth after a round tends to put more weight on {topic}.",
            "After a round, teams tend to grow fast, and the {topic} side usually feels it.",
        ),
        "hiring_surge": (
            "Adding that many people usually means more work on {topic}.",
            "A team growing that fast tends to feel it on the {topic} side.",
            "More hires usually bring more pressure on {topic}.",
        ),
        "hiring": (
            "Each new hire usually adds a little more work on {topic}.",
            "A growing team tends to put more weight on {topic}.",
            "Every new role tends to add to the work on {topic}.",
        ),
        "expansion": _NEWS_BRIDGES,
        "product_launch": (
            "Launches like that usually mean more pressure on {topic}.",
            *_NEWS_BRIDGES,
        ),
        "acquisition": _NEWS_BRIDGES,
        "partnership": _NEWS_BRIDGES,
        "news": _NEWS_BRIDGES,
        "leadership_change": (
            "A change at the top is often a good moment to look again at {topic}.",
            "New leadership is often when teams take a fresh look at {topic}.",
            "Fresh leadership tends to bring a new look at {topic}.",
        ),
        "technology": (
            "Running all of that usually means steady work on {topic}.",
            "On a stack like that, the work on {topic} can pile up fast.",
            "A setup like that usually keeps someone busy with {topic}.",
        ),
        "profile": (
            "That likely puts {topic} on your desk.",
            "That probably makes {topic} part of your job.",
            "I imagine the work on {topic} lands on your desk.",
        ),
        "company": (
            "Building that usually takes steady work on {topic} behind the scenes.",
            "A product like that usually depends on solid work on {topic}.",
            "Teams building products like that tend to lean hard on {topic}.",
        ),
    },
    plain_bridges={
        "public_content": (
            "It made me want to write to you.",
            "That is what made me think of you.",
            "It got me thinking about how your team works.",
        ),
        "funding": (
            "A new round usually means the team will grow fast.",
            "Growth after a round tends to come quickly.",
        ),
        "hiring_surge": (
            "Adding that many people usually changes how a team works.",
            "A team growing that fast tends to feel it everywhere.",
        ),
        "hiring": ("A growing team tends to change how work gets done.",),
        "expansion": _NEWS_PLAIN,
        "product_launch": _NEWS_PLAIN,
        "acquisition": _NEWS_PLAIN,
        "partnership": _NEWS_PLAIN,
        "news": _NEWS_PLAIN,
        "leadership_change": (
            "A change at the top is often a good moment to look at how work runs.",
        ),
        "technology": ("A stack like that takes real care to keep healthy.",),
        "profile": (
            "That is why I wanted to write to you.",
            "It seemed worth a short note.",
        ),
        "company": ("That is why I thought of you.", "It made me want to write to you."),
        "referral": ("So I wanted to write to you directly.", "So here is a short note from me."),
    },
    subjects={
        "post": {
            P: ("Your {noun} on {post_topic}", "About your {noun} “{full_title}”"),
            F: ("“{full_title}”", "A thought on your {noun}"),
            D: ("{title}", "{Topic} at {company}"),
        },
        "news": {
            P: ("{title}", "{company} and {topic}"),
            F: ("After “{full_title}”", "An idea on {topic}"),
            D: ("{Topic} at {company}", "{title}"),
        },
        "hiring": {
            P: ("{total} open roles at {company}", "{company} and {topic}"),
            F: ("{department} hiring at {company}", "An idea on {topic}"),
            D: ("{total} open roles at {company}", "{Topic} at {company}"),
        },
        "technology": {
            P: ("{company} and {topic}", "{tech} at {company}"),
            F: ("Your {tech} setup", "An idea on {topic}"),
            D: ("{Topic} on {tech}", "{tech} at {company}"),
        },
        "referral": {
            P: ("{who} suggested I reach out",),
            F: ("{who} suggested I reach out",),
            D: ("{who} suggested I reach out",),
        },
    },
    fallback_subjects={
        P: ("{company} and {topic}", "A question for {company}", "A quick question"),
        F: ("An idea on {topic}", "An idea for {company}", "A quick idea"),
        D: ("{Topic} at {company}", "{company}: a quick question", "A quick question"),
    },
    hooks=ENGLISH_HOOKS,
)
