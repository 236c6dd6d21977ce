"""Word lists the critic uses: spam phrases, clichés, calls to action, placeholders."""

from __future__ import annotations

import re

# Phrases that trip spam filters or read as mass mail; each hit is a soft penalty.
SPAM_PHRASES = (
    "act now", "limited time", "100% free", "risk-free", "risk free", "guaranteed",
    "no obligation", "click here", "click below", "buy now", "order now", "call now",
    "apply now", "once in a lifetime", "double your", "earn money", "make money", "get paid",
    "cash bonus", "you have been selected", "winner", "urgent", "exclusive deal",
    "special promotion", "while supplies last", "don't miss out", "best price", "lowest price",
    "no cost", "no catch", "miracle", "dear friend", "this is not spam", "this isn't spam",
    "what are you waiting for", "increase sales", "amazing deal", "incredible deal",
    "as seen on", "100% satisfied", "free gift", "free money",
)  # fmt: skip

# Filler a strict editor strikes; softer than spam.
CLICHES = (
    "i hope this email finds you well", "i hope this finds you well", "i wanted to reach out",
    "just checking in", "touch base", "circle back", "synergy", "game-changer", "game changer",
    "revolutionary", "cutting-edge", "cutting edge", "best-in-class", "world-class",
    "low-hanging fruit", "move the needle", "paradigm shift", "leverage our",
)  # fmt: skip

CTA_PATTERNS = re.compile(
    r"\b(worth a|open to|would you|are you open|could we|can we|shall we|happy to|"
    r"interested in|up for|free for|time for|call|chat|meeting|meet|demo|reply|book|"
    r"calendar|connect(?:ing)?|walk-?through|intro)\b",
    re.IGNORECASE,
)
STATEMENT_CTA_PATTERNS = re.compile(
    r"\b(reply|book (?:a|some) time|grab (?:a )?(?:time|slot)|my calendar|calendar link|"
    r"happy to (?:share|show|send|walk))\b",
    re.IGNORECASE,
)
"""An ask made as a statement ("Happy to show you…"); a mere "call" in a statement is not one."""

# Register markers the tone check looks for. Each list holds phrases that clash with a tone.
FORMAL_MARKERS = (
    "please be advised", "kindly", "it has come to our attention", "with reference to",
    "reference is made", "reference is also made", "yours faithfully", "yours sincerely",
    "hereby", "herewith", "pursuant to", "it is further noted", "to whom it may concern",
    "dear sir", "dear madam", "for the purpose of", "please note that", "i am writing to inform",
    "i am writing with reference", "the undersigned",
)  # fmt: skip
SLANG_MARKERS = (
    "ngl", "lol", "tbh", "fr", "lowkey", "slaps", "straight fire", "chef's kiss", "big oof",
    "oof", "yo", "ur", "gonna", "wanna", "kinda", "sorta", "no-brainer", "totally", "dude",
    "omg", "legit", "wk",
)  # fmt: skip
HEDGE_MARKERS = (
    "i hope it is all right", "i hope it's ok", "if it is not too much", "imposition",
    "i may have misread", "perhaps", "possibly", "i wondered whether", "please do ignore",
    "sorry to bother", "if the timing is bad", "something you might consider", "i might be wrong",
    "just wondering if maybe",
)  # fmt: skip

PLACEHOLDER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("template variable", re.compile(r"\{\{[^}]*\}\}|\{[a-z_]+\}")),
    (
        "bracket placeholder",
        re.compile(r"\[(?:your|their|insert|first|last|company|name)[^\]]*\]", re.IGNORECASE),
    ),
    ("angle placeholder", re.compile(r"<(?:FIRST|LAST|COMPANY|NAME)[A-Z_]*>")),
    ("filler text", re.compile(r"(?=[lTX])\b(?:lorem ipsum|TODO|TBD|XXX+)\b")),
)  # fmt: skip

# Words allowed capitalized anywhere without being a claim: greetings, sign-offs, days,
# months without a day, holidays, and generic industry terms that say nothing about a lead.
NEUTRAL_CAPITALIZED = frozenset(
    """i i'm i've i'd i'll hi hello hey dear thanks thank best cheers regards sincerely warmly
    ps p.s. ok re fwd monday tuesday wednesday thursday friday saturday sunday
    mon tue wed thu fri january february march april may june july august september october
    november december jan feb mar apr jun jul aug sep sept oct nov dec thanksgiving christmas
    easter ai ml llm api apis saas b2b b2c ci cd ci/cd devops devex sre qa ux ui it hr crm erp
    seo roi kpi kpis okr okrs cto ceo cfo coo cmo cio ciso vp svp evp zoom slack email linkedin
    sms pdf faq q1 q2 q3 q4 mr ms mrs dr prof""".split()
)

# Ordinary words that open sentences. A capitalized sentence opener outside this list (and not
# an -ing/-ed/-ly word) is checked as a name: "Amazon runs ..." must be in the facts.
SENTENCE_OPENERS = frozenset(
    """a about after again all also although an and another any anyone anything are as at
    based be because been before being best both but by came can cheers congrats
    congratulations consider could curious did do does during each either enjoyed even ever
    every everyone everything feel few following for free from get given glad good got great
    guess had happy has have he her here hey hi his hope how however i if imagine in instead
    interested is it its just keen kind last less let let's like looks love loved made makes
    many may maybe me meanwhile might mind more most much must my new next nice no none not
    noticed nothing now of on once one only open or other otherwise our out over perhaps please
    plus probably quick quickly read really recently saw seeing shall she should since small
    so some someone something sorry sounds spotted still such take teams thank thanks that the
    their then there these they think this those though through to today tomorrow too two
    under unlike up via wanted was we well were what whatever when whenever where whether which
    while who why will with without wondering worth would yes you your""".split()
)

MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip

# Words that are written twice on purpose ("what that that means", "he had had", "bye bye",
# French reflexives "nous nous connections", "vous vous êtes", German "die die"): the
# doubled-phrase check lets a single one of these repeat.
INTENDED_REPEATS = frozenset(
    """that had very really bye no yes ha well knock nous vous die der das""".split()
)

# What only a researched message may say: having seen, read or heard of something about the
# lead, and the events research reports (funding, hiring, launches...). A draft for a lead
# research found nothing about that says one of these invents it, unless the lead row or the
# campaign says it too.
RESEARCH_CLAIM_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # "we see teams lose a day to flaky tests" is a pitch, "I saw your post" is not.
        r"\b(?:i|we)(?:'ve|’ve| have|'d|’d| had)?\s+(?:just\s+|also\s+|recently\s+)?"
        r"(?:noticed|saw|seen|read|came across|spotted|enjoyed|loved|liked|caught|watched|"
        r"followed)\b",
        r"\bi(?:'ve|’ve| have)?\s+heard\b",
        r"(?:^|(?<=[.!?:]\s)|(?<=\n))(?:saw|seen|noticed|spotted|read|enjoyed|loved|caught)\b",
        r"\bcongrat\w*",
        r"\byour (?:recent|latest|new|last)\b",
        r"\byour (?:posts?|talks?|articles?|blog|podcast|interview|keynote|webinar|newsletter|"
        r"announcement|tweet|thread|write-?up|paper|presentation)\b",
        r"\b(?:stuck with me|caught my eye|on my radar|impressed by)\b",
        # What they use or did: "you run Snowflake", "your team moved to dbt".
        r"\b(?:you|your team)(?:'re|’re| are)?\s+(?:use|uses|using|run|runs|running|"
        r"rely on|relies on|relying on|moved to|migrated to|switched to|adopted)\b",
        r"\brecent(?:ly)?\b",
        r"\b(?:raised|raises|raising|funding|seed round|ipo|valuation)\b",
        r"\b(?:acquir\w*|acquisition|merger)\b",
        r"\b(?:appointed|promoted|new role|joined as)\b",
        r"\b(?:partnered|partnership)\b",
        r"\b(?:expan(?:d|ds|ded|ding|sion)|new office|new market)\b",
        r"\b(?:launch\w*|unveil\w*|announc\w*|released|new release)\b",
        r"\b(?:hiring|hired|open roles?|headcount)\b",
        r"\b(?:award|awarded|won(?!['’]))\b",
    )
)
