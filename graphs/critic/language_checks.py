"""The language check: sentences a careful writer would not send.

Three slips a template join or a hurried model leaves, each named with its text:

- a declarative sentence of four or more words with no verb ("And your post “…” too."), or an
  English one that drops its subject after "Also"/"And" ("Also saw “…” (October 21).");
- a list of three or more short items whose last is not joined by "and"/"or" ("mentions
  Kubernetes, GitLab CI, Java on its site");
- the same sentence said twice in one message;
- a message meant for Spanish, French or German that reads as another of the four languages
  (an English fallback sent to a Spanish lead).

Doubled phrases and mis-cased names are the wording check's (copy_checks.check_wording).
Tuned for precision: a false alarm blocks a good message, so greetings, sign-offs, the
signature, compliance lines, quoted titles, bullets, labels ("Worth adding: …") and verbless
formulas ("Congrats on the round.", "Good luck with the audit.") are left alone, and a word
that may be a verb counts as one (graphs/critic/verb_lexicon.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from graphs.critic.list_checks import unjoined_lists
from graphs.critic.main_clauses import verbless_main_clause
from graphs.critic.message_text import (
    TITLE,
    Sentence,
    is_sign_off,
    mask_titles,
    read_compliance,
    sentences,
    signature_start,
    strip_bullet,
    strip_greeting,
)
from graphs.critic.pattern_prefix import starts_with
from graphs.critic.sentence_words import mask_addresses, sentence_words
from graphs.critic.verb_lexicon import RULES, VerbRules
from graphs.critic.verbs import has_verb, verb_rules
from graphs.drafts import CheckResult, Variant
from graphs.lead import Campaign, Lead
from tools.page_language import detect_language

MIN_VERBLESS_WORDS = 4
"""Shorter fragments ("Alex from Brightpath.", "Talk soon.") are how people write."""
_FORMULA = re.compile(
    r"^(?:congrats|congratulations|good luck|best of luck|thanks|thank you|many thanks|cheers|"
    r"all the best|best wishes|happy \w+|no worries|no pressure|no rush|kudos|hats off|"
    r"great (?:work|post|talk|piece|write-?up|question|news|read)|nice (?:work|post|talk|piece)|"
    r"well done|more soon|(?:a |one )?(?:quick|short|brief) (?:question|note|one|update)|"
    r"one (?:more |last )?(?:question|thing|idea)|"
    r"just a (?:thought|quick note|note)|fingers crossed|sorry for|apologies for|"
    r"welcome (?:to|back)|same here|"
    r"felicidades|enhorabuena|gracias|muchas gracias|un saludo|saludos|buena suerte|"
    r"mucha suerte|un abrazo|feliz \w+|(?:una )?pregunta rápida|sin prisa|un placer|"
    r"encantad[oa] de|bienvenid[oa]|félicitations|bravo|merci|(?:un )?grand merci|"
    r"mille mercis|bonne (?:chance|journée|semaine|"
    r"fin de semaine|continuation)|belle journée|bien à vous|cordialement|au plaisir|"
    r"(?:une )?petite question|pas de souci|bienvenue|(?:herzlichen )?glückwunsch|gratulation|"
    r"danke|vielen dank|besten dank|viel erfolg|(?:viele|beste|liebe|schöne|herzliche) grüße|"
    r"mit freundlichen grüßen|freundliche grüße|schönen tag|schönes wochenende|"
    r"(?:eine )?kurze frage|kein stress|alles gute|willkommen)\b",
    re.IGNORECASE,
)
"""Verbless sentences that are idioms in their language, not fragments."""
_CONNECTIVE = re.compile(
    r"^(?:also|and|but|so|plus|oh|ps|p\.s\.|y|pero|et|mais|und|aber|auch)\b[,:]?\s*", re.I
)
"""A connective before a formula ("Also, congratulations on the round.") keeps it one."""
_PARALLEL = re.compile(r"^(no|sin|sans|pas de|kein\w*|ohne)\b[^,]*,\s*(?:\w+\s+)?\1\b", re.I)
"""Parallel fragments read as one idiom: "No install, no agent.", "Sin instalación, sin agente"."""
_IDIOM_TAIL = re.compile(
    r"(?=[mnrt])\b(?:nothing more|no more|that['’]s all|nada más|rien de plus|mehr nicht)\W*$", re.I
)
"""How an idiomatic fragment ends: "A short conversation, nothing more."."""
_SUBJECTLESS = re.compile(r"^(?:also|and|plus)\s+(\w+)\b", re.IGNORECASE)
_EN_PAST = frozenset(
    """saw read noticed loved liked enjoyed spotted caught heard found came wrote met watched
    followed learned learnt thought""".split()
)
"""What "Also saw …" drops the subject of: a past tense right after the connective."""
_CONJUNCTION = {"es": "y", "fr": "et", "de": "und"}


@dataclass(frozen=True)
class LanguageProblem:
    """One slip: what kind, and the text as written."""

    kind: str
    text: str

    def describe(self) -> str:
        """Name the slip with its text."""
        return f"{self.kind}: {self.text!r}"


def _mentions(text: str, names: Iterable[str]) -> bool:
    folded = text.casefold()
    return any(_mention(n.casefold()).search(folded) for n in names if n)


@lru_cache(maxsize=256)
def _mention(folded_name: str) -> re.Pattern[str]:
    return re.compile(rf"{starts_with([folded_name])}(?<!\w){re.escape(folded_name)}(?!\w)")


def _is_formula(text: str) -> bool:
    """A verbless idiom ("Congrats on the round.", "No install, no agent."), a sign-off, or a
    label ("Worth adding: our free health check.")."""
    opening = _CONNECTIVE.sub("", text)
    idiom = _FORMULA.match(opening) or _IDIOM_TAIL.search(opening) or _PARALLEL.match(opening)
    head, colon, _ = text.partition(": ")
    return bool(idiom) or is_sign_off(text) or bool(colon and len(head.split()) <= 3)


def _verb_problem(part: str, language: str, rules: VerbRules) -> str | None:
    """Return the kind of verb slip a declarative sentence has, if any."""
    stripped, bulleted = strip_bullet(part)
    if bulleted or _is_formula(stripped):
        return None
    words = sentence_words(stripped, language, rules)
    counted = [w for w in words if w.text != TITLE]
    if language == "en":
        subjectless = _SUBJECTLESS.match(stripped)
        if subjectless and (
            subjectless.group(1).casefold() in _EN_PAST
            or subjectless.group(1).casefold().endswith("ed")
        ):
            return "no subject"
    if len(counted) < MIN_VERBLESS_WORDS:
        return None
    if not has_verb(words, rules):
        return "no verb"
    main = verbless_main_clause(stripped, language, rules)
    return "no verb in its main clause" if main and not _is_formula(main) else None


def language_problems(
    body: str,
    *,
    language: str = "en",
    campaign: Campaign | None = None,
    lead_names: Iterable[str] = (),
) -> list[LanguageProblem]:
    """Return the verbless sentences, unjoined lists and repeated sentences of a body."""
    rules = verb_rules(language if language in RULES else "unknown")
    blanked, _ = read_compliance(body, campaign)
    masked = mask_addresses(mask_titles(blanked))
    names = [n for n in lead_names if n]
    sender = campaign.sender if campaign else None
    own = [sender.name, sender.name.split()[0] if sender.name.split() else ""] if sender else []
    end = min(signature_start(masked), _name_line(masked, own))
    problems: list[LanguageProblem] = []
    prose: list[str] = []
    said: set[str] = set()
    repeated: set[str] = set()
    for sentence in sentences(blanked, masked):
        if sentence.start >= end:
            break
        part = strip_greeting(sentence.masked, names)
        offset = sentence.end - len(part)
        original = body[offset : sentence.end]
        if not part.strip():
            continue
        if not _mentions(part, own):
            kind = _verb_problem(part, language, rules) if _declarative(sentence) else None
            if kind:
                problems.append(LanguageProblem(f"sentence with {kind}", original))
            if part.count(", ") >= 2:  # a list needs three items
                for listed in unjoined_lists(part, original, language, rules):
                    problems.append(LanguageProblem("list without a conjunction", listed))
        # The same words in any case, spacing or punctuation; each repeat is named once.
        key = " ".join(_WORDS.findall(original.casefold()))
        if len(key.split()) >= 3 and key in said and key not in repeated:
            problems.append(LanguageProblem("sentence said twice", original))
            repeated.add(key)
        said.add(key)
        prose.append(TITLE_GAP.sub(" ", part))
    wrong = _written_in_another_language(" ".join(prose), language)
    if wrong:
        problems.append(
            LanguageProblem(f"written in {wrong}, not {_NAMES[language]}", body.strip())
        )
    return problems


_WORDS = re.compile(r"[^\W_]+")
TITLE_GAP = re.compile(re.escape(TITLE) + r"\s*")
_NAMES = {"en": "English", "es": "Spanish", "fr": "French", "de": "German"}


def _written_in_another_language(prose: str, language: str) -> str | None:
    """The language (named) a message meant for es, fr or de reads as, when it is clearly
    another of the four: a draft in English for a Spanish lead. English messages are not read
    (they quote titles and names in any language); short texts tell too little."""
    if language not in ("es", "fr", "de"):
        return None
    found = detect_language(prose)
    return _NAMES[found] if found in _NAMES and found != language else None


def _name_line(text: str, own: list[str]) -> int:
    """Where a line holding only the sender's name ("Alex Rivera", "Alex, Brightpath") starts
    among the last six lines: the signature block below it is no prose."""
    names = [re.escape(name) for name in own if name]
    if not names:
        return len(text)
    pattern = re.compile(rf"^\s*(?:{'|'.join(names)})\s*(?:[,|—–-].*)?$", re.IGNORECASE)
    lines = text.split("\n")
    start = len(text) - len(lines[-1])
    found = len(text)
    for index in range(len(lines) - 1, max(-1, len(lines) - 7), -1):
        if pattern.match(lines[index]) and len(lines[index].split()) <= 6:
            found = start
        if index:
            start -= len(lines[index - 1]) + 1
    return found


def _declarative(sentence: Sentence) -> bool:
    return sentence.mark == "."


def check_language(
    variant: Variant,
    lead: Lead | None = None,
    campaign: Campaign | None = None,
    language: str = "en",
) -> CheckResult:
    """Fail a sentence without a verb, a list without "and" before its last item, or a
    sentence said twice; the detail names each with its text."""
    names = [lead.first_name, lead.name] if lead is not None else []
    problems = language_problems(
        variant.body, language=language, campaign=campaign, lead_names=names
    )
    if not problems:
        return CheckResult(name="language", passed=True, score=1.0, detail="reads as sentences")
    fixes = []
    kinds = {p.kind for p in problems}
    if "sentence with no verb" in kinds:
        fixes.append("give each sentence a verb, or join the fragment to the sentence before")
    if "sentence with no verb in its main clause" in kinds:
        fixes.append("give the main clause its verb, not only the clause after the comma")
    if "sentence with no subject" in kinds:
        fixes.append('say who did it ("I also saw …")')
    if "list without a conjunction" in kinds:
        fixes.append(f'join the last item of a list with "{_CONJUNCTION.get(language, "and")}"')
    if "sentence said twice" in kinds:
        fixes.append("say each sentence once")
    detail = "; ".join(p.describe() for p in problems)
    return CheckResult(
        name="language", passed=False, score=max(0.0, 1.0 - 0.34 * len(problems)),
        detail=detail, fix=f"{'; '.join(fixes).capitalize()}: {detail}.",
    )  # fmt: skip
