"""The phrase-rule layer: read a person's own words and decide what they want.

Every rule that matches is a candidate; one intent wins by the precedence a sales rep acts on:
an opt-out over everything, then a named colleague, a scheduling detail, a specific question,
interest, an objection, a refusal. Two refinements: interest followed by "but <objection>" is
the objection ("looks neat, but budget is frozen"), and an explicit refusal that also states
an objection is a refusal with that reason ("not interested, we already use X").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from tools.replies.interest_phrases import (
    GREETING_QUESTION,
    INTERESTED_RULES,
    QUESTION_RULES,
    SHORT_YES,
)
from tools.replies.meeting_phrases import MEETING_RULES
from tools.replies.objection_phrases import OBJECTION_RULES
from tools.replies.opt_out_phrases import find_opt_outs
from tools.replies.phrase_rules import Rule, RuleHit, rule, rule_hits
from tools.replies.phrase_search import PhraseHit, rx, sentence_at
from tools.replies.referral_names import find_referral
from tools.replies.refusal_phrases import (
    REASON_HINTS,
    REFUSAL_RULES,
    SARCASM_RULES,
    TIMING_WORDS,
)
from tools.replies.verdict import Intent, ObjectionReason, Referral

REFERRAL_CONFIDENCE = 0.85
QUESTION_MARK_CONFIDENCE = 0.65
CONFLICT_PENALTY = 0.1
"""Taken off the winner's confidence when the reply also says the opposite."""
SHORT_REPLY_WORDS = 6
"""A "yes" reply is this short once greeting and closing are gone."""
_NOT_A_REFUSAL_REASON = frozenset({ObjectionReason.NO_AUTHORITY.value})
_WANTS = frozenset({Intent.INTERESTED, Intent.MEETING_REQUEST, Intent.QUESTION})
"""Intents that ask something of us: they outrank a complaint about our mail."""

_SLOT = MEETING_RULES[0]
"""A day and a time of day ("Tuesday the 5th at 10am"): a slot, whenever it is."""
_QUESTION_MARK = rule(Intent.QUESTION, QUESTION_MARK_CONFIDENCE, "", r"\?")
_GREETING_QUESTION = rx(GREETING_QUESTION)
_QUESTION_CLAUSE = re.compile(r"[:;]|\bbut\b|\bpero\b|\baber\b| - ")
"""Where the clause that holds a question starts within its sentence."""
_CONTRAST = re.compile(
    r"(?<!\w)(?:but|though|however|pero|aunque|mais|cependant|aber|jedoch|mas|porem)(?!\w)"
)
_GREETING = re.compile(
    r"^(?:hi|hello|hey|dear|hola|buenos dias|buenas|bonjour|salut|hallo|guten tag|liebe[rs]?|"
    r"ola|oi|bom dia|boa tarde)\b[^\n]{0,30}$"
)
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_REFUSING = (*SARCASM_RULES, *REFUSAL_RULES)
_ALWAYS = frozenset({"", "en"})
"""Rules read whatever the reply's language: neutral ones, and English, which people mix in."""
_BY_LANGUAGE: dict[tuple[int, str], tuple[Rule, ...]] = {}


@dataclass(frozen=True)
class RuleDecision:
    """What the rule layer decided from a reply's own words."""

    intent: Intent
    confidence: float
    evidence: str
    language: str | None
    reason: str | None = None
    referral: Referral | None = None
    weak: bool = False
    """Decided by a bare '?' or a short "yes": cues a notice's boilerplate produces too."""
    positive: bool = False
    """Interest or a scheduling detail was seen, even if an objection decided ("later")."""


def _question_hits(text: str, folded: str, explaining: list[Rule]) -> list[RuleHit]:
    """Return the first real question asked with '?' (not a greeting, not another rule's)."""
    for match in re.finditer(r"\?", text):
        sentence = sentence_at(text, match.start(), match.end())
        if len(_WORD.findall(sentence)) < 2:
            continue
        start = max(0, text.rfind(sentence, 0, match.end()))
        if _GREETING_QUESTION.search(folded, start, match.end()):
            continue
        clause = start
        for mark in _QUESTION_CLAUSE.finditer(folded, start, match.end()):
            clause = mark.end()  # "I'm away until the 4th but quick question: does it…?"
        if any(rule_.pattern.search(folded, clause, match.end()) for rule_ in explaining):
            continue  # "Circle back then?", "Does Tuesday work?": another rule's sentence
        return [RuleHit(_QUESTION_MARK, PhraseHit(match.start(), match.end(), sentence))]
    return []


def _short_yes(text: str, folded: str) -> list[RuleHit]:
    lines = [line.strip() for line in folded.split("\n") if line.strip()]
    core = [line for line in lines if not _GREETING.match(line)]
    if not core or sum(len(_WORD.findall(line)) for line in core) > SHORT_REPLY_WORDS:
        return []
    first = core[0]
    offset = folded.find(first)
    for candidate in SHORT_YES:
        match = candidate.pattern.match(first)
        if match is not None:
            start = offset + match.start()
            hit = PhraseHit(start, start + len(match.group()), sentence_at(text, start, start + 1))
            return [RuleHit(candidate, hit)]
    return []


def _first(found: list[RuleHit]) -> RuleHit:
    return min(found, key=lambda hit: (-hit.rule.confidence, hit.hit.start))


def _contrasted(folded: str, positive: RuleHit, objections: list[RuleHit]) -> RuleHit | None:
    """Return an objection that follows the interest after a "but", if any."""
    for objection in sorted(objections, key=lambda hit: hit.hit.start):
        between = folded[positive.hit.end : objection.hit.start]
        if objection.hit.start > positive.hit.end and _CONTRAST.search(between):
            return objection
    return None


def _refusal_reason(refusals: list[RuleHit], hints: list[RuleHit], objections: list[RuleHit],
                    timing: list[RuleHit]) -> str | None:  # fmt: skip
    """Return a refusal's reason: its own, a hint, an objection's, or that it is for now."""
    for hit in sorted(refusals, key=lambda hit: hit.hit.start):
        if hit.rule.reason:
            return hit.rule.reason
    for hit in sorted(hints, key=lambda hit: hit.hit.start):
        return hit.rule.reason
    for hit in sorted(objections, key=lambda hit: hit.hit.start):
        if hit.rule.reason not in _NOT_A_REFUSAL_REASON:
            return hit.rule.reason
    return timing[0].rule.reason if timing else None


def _only(rules: tuple[Rule, ...], language: str | None) -> tuple[Rule, ...]:
    """Return the rules worth running on a reply known to be in `language` (None: all)."""
    if language is None:
        return rules
    key = (id(rules), language)
    chosen = _BY_LANGUAGE.get(key)
    if chosen is None:
        chosen = tuple(r for r in rules if r.language in _ALWAYS or r.language == language)
        _BY_LANGUAGE[key] = chosen
    return chosen


class _Hits:
    """The rule groups' matches on one reply, each run only when the decision needs it."""

    def __init__(self, text: str, folded: str, language: str | None) -> None:
        self.text, self.folded, self.language = text, folded, language
        self._found: dict[str, list[RuleHit]] = {}

    def _group(self, name: str, rules: tuple[Rule, ...]) -> list[RuleHit]:
        if name not in self._found:
            self._found[name] = rule_hits(_only(rules, self.language), self.text, self.folded)
        return self._found[name]

    def seen(self, name: str) -> list[RuleHit]:
        """Return a group's matches if it was run, else nothing (never runs it)."""
        return self._found.get(name, [])

    @property
    def refusals(self) -> list[RuleHit]:
        return self._group("refusals", _REFUSING)

    @property
    def meeting(self) -> list[RuleHit]:
        return self._group("meeting", MEETING_RULES)

    @property
    def interest(self) -> list[RuleHit]:
        if any(hit.rule in SARCASM_RULES for hit in self.refusals):
            return []  # "great, another cold email" is no interest
        return self._group("interest", INTERESTED_RULES)

    @property
    def objections(self) -> list[RuleHit]:
        return self._group("objections", OBJECTION_RULES)

    @property
    def hints(self) -> list[RuleHit]:
        return self._group("hints", REASON_HINTS)

    @property
    def timing(self) -> list[RuleHit]:
        return self._group("timing", TIMING_WORDS)

    @property
    def questions(self) -> list[RuleHit]:
        asked = self._group("questions", QUESTION_RULES)
        if asked or "?" not in self.text:
            return asked
        # A rule that matched the reply may explain its '?' sentence ("Circle back then?").
        groups = (self.meeting, self.interest, self.objections, self.refusals, self.hints)
        matched = [hit.rule for group in groups for hit in group]
        return _question_hits(self.text, self.folded, matched)


def _choose(hits: _Hits) -> tuple[RuleHit, str | None] | None:
    """Return the deciding hit and its reason, by the precedence a rep acts on."""
    if hits.meeting:
        meeting = _first(hits.meeting)
        later = [
            hit
            for hit in hits.objections
            if hit.rule.reason == ObjectionReason.TIMING.value
            and hit.hit.sentence == meeting.hit.sentence
        ]
        slot = any(hit.rule is _SLOT for hit in hits.meeting)
        if later and not slot:  # "let's talk in March": later, not now
            return later[0], later[0].rule.reason
        return meeting, None
    if hits.questions:
        return _first(hits.questions), None
    if hits.interest:
        interest = _first(hits.interest)
        objection = _contrasted(hits.folded, interest, hits.objections)
        if objection is not None:
            return objection, objection.rule.reason
        return interest, None
    if hits.refusals:
        refusal = min(hits.refusals, key=lambda hit: hit.hit.start)
        return refusal, _refusal_reason(hits.refusals, hits.hints, hits.objections, hits.timing)
    if hits.objections:
        objection = min(hits.objections, key=lambda hit: hit.hit.start)
        return objection, objection.rule.reason
    if hits.hints:
        hint = hits.hints[0]
        return hint, hint.rule.reason
    return None


def decide_by_rules(text: str, folded: str, *, language: str | None = None) -> RuleDecision | None:
    """Return the rule layer's decision on a person's own words (None when no rule fired).

    With a language known for sure, only its rules, English and neutral ones run; opt-outs
    are always read in every language. An opt-out request wins; an opt-out mention (a
    complaint, someone else's list) wins unless the reply wants something from us."""
    opt_outs = find_opt_outs(text, folded)
    if opt_outs.requests:
        first = opt_outs.requests[0]
        return _decision(first, first.rule.confidence, None)
    decision, wants = _decide_person(text, folded, language)
    if opt_outs.mentions and not wants:
        first = opt_outs.mentions[0]
        return _decision(first, first.rule.confidence, None)
    return decision


def _decide_person(
    text: str, folded: str, language: str | None
) -> tuple[RuleDecision | None, bool]:
    """Return the decision on everything but opt-outs, and whether it asks something of us."""
    hits = _Hits(text, folded, language)
    referral = find_referral(text, folded)
    if referral is not None:
        return RuleDecision(
            Intent.REFERRAL, REFERRAL_CONFIDENCE, referral.sentence, None,
            referral=referral.referral, positive=bool(hits.meeting or hits.interest),
        ), True  # fmt: skip
    chosen = _choose(hits)
    if chosen is None:
        short = _short_yes(text, folded)
        if not short:
            return None, False
        return _decision(short[0], short[0].rule.confidence, None, weak=True), True
    winner, reason = chosen
    confidence = winner.rule.confidence
    positive = bool(hits.seen("meeting") or hits.seen("interest"))
    negative = bool(hits.seen("refusals") or hits.seen("objections"))
    if positive and negative:
        confidence -= CONFLICT_PENALTY
    bare = winner.rule is _QUESTION_MARK
    wants = (winner.rule.intent in _WANTS and not bare) or positive
    decision = _decision(winner, confidence, reason, weak=bare)
    return replace(decision, positive=positive), wants


def _decision(
    winner: RuleHit, confidence: float, reason: str | None, *, weak: bool = False
) -> RuleDecision:
    chosen: Rule = winner.rule
    return RuleDecision(
        chosen.intent,
        round(confidence, 2),
        winner.hit.sentence,
        chosen.language or None,
        reason=reason if chosen.intent in (Intent.OBJECTION, Intent.NOT_INTERESTED) else None,
        weak=weak,
    )
