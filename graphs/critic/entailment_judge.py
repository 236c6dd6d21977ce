"""The model judge for claims the deterministic grounding cannot decide (openai provider).

The deterministic layer checks what it can read exactly: numbers, dates, months, names. A
sentence such as "your platform team is growing faster than your build farm" carries no such
token, yet says something about the recipient a fact must back. Those sentences, and the name
claims the deterministic layer refused (a paraphrased name may still be right), go to a model
with the facts; its verdicts are merged into the grounding check:

- a sentence the judge finds contradicted or not in the facts fails grounding, with its reason
  and the fact it names;
- a refused name the judge finds supported by a fact it names is lifted;
- numbers, dates, months, weekdays, ordinals, quantities and relative times are never lifted:
  what the deterministic layer refused there stays refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from graphs.critic.compliance import blank_compliance
from graphs.critic.grounding_check import describe
from graphs.drafts import CheckResult, ClaimFinding, Critique, Variant
from graphs.lead import Campaign, Lead
from tools.facts import Fact

NEVER_LIFTED = frozenset(
    {"number", "date", "month", "weekday", "ordinal", "quantity", "relative_time"}
)
"""Finding kinds the judge may never overrule towards "supported"."""
LIFTABLE = frozenset({"name", "superlative"})
"""Finding kinds a supported verdict, citing a real fact, may lift."""
MAX_SENTENCES = 6
"""Undecided sentences judged per draft; the first ones (the hook) matter most."""
COVERED = 0.8
"""Share of a sentence's content words the evidence holds for it to count as decided."""

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_ABOUT_THEM = re.compile(
    r"\b(?:you|your|yours|you're|you've|tu|tus|su|sus|usted|ustedes|vous|votre|vos|sie|ihr|"
    r"ihre|ihren|ihrem|ihrer|du|dein|deine)\b",
    re.IGNORECASE,
)
_GREETING = re.compile(r"^\s*(?:hi|hello|hey|dear|hola|estimad[oa]|bonjour|cher|ch[eè]re|"
                       r"hallo|liebe[r]?|guten tag|sehr geehrte[r]?)\b", re.IGNORECASE)  # fmt: skip
_STOPWORDS = frozenset(
    """the a an and or of to in on at for with your you our we is are was were it its this that
    from by as be about into after before their they them his her have has had been will would
    could should can may might just also very more most some any what which when where how who
    there here then than like these those such much many""".split()
)
# How a message frames what it read ("I read your post", "saw the news"): words about the
# reading, not claims about the lead.
_FRAMING = frozenset(
    """read post posts news article talk blog noticed seen wrote written came across enjoyed
    liked loved congrats congratulations really great interesting announcement recent
    recently share shared sharing caught note leí vi artículo noticia charla enhorabuena
    felicidades lu vu article nouvelle conférence félicitations gelesen gesehen beitrag
    artikel nachricht vortrag glückwunsch""".split()
)


class ClaimVerdict(BaseModel):
    """The judge's verdict on one numbered claim."""

    claim: int = Field(description="The claim's number, as listed.")
    verdict: Literal["supported", "contradicted", "not_in_facts", "no_claim"]
    """no_claim: the sentence states nothing about the recipient to check (an opinion, a
    pleasantry, what the sender does); it never lifts a refused name."""
    fact_id: str | None = Field(default=None, description="The fact the verdict rests on.")
    reason: str = Field(default="", max_length=400)


class ClaimVerdicts(BaseModel):
    """Every verdict of one judge call; an unknown claim number is ignored."""

    verdicts: list[ClaimVerdict] = Field(default_factory=list)


@dataclass(frozen=True)
class JudgedClaim:
    """A claim put to the judge: a sentence of a draft, or a name the checks refused."""

    tone: str
    text: str
    finding: ClaimFinding | None = None
    """The deterministic finding this claim could lift (None: an undecided sentence)."""


def _content_words(text: str) -> set[str]:
    words = (w.lower().replace("’", "'") for w in _WORD.findall(text))
    return {
        w.rstrip("s") for w in words if len(w) > 3 and w not in _STOPWORDS and w not in _FRAMING
    }


class EvidenceWords:
    """The content words of everything a message may draw on, for a quick coverage test."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._words: set[str] = set()
        for text in texts:
            self._words |= _content_words(text)

    def coverage(self, sentence: str) -> float:
        """Share of the sentence's content words that the evidence holds (1.0 when none)."""
        words = _content_words(sentence)
        return len(words & self._words) / len(words) if words else 1.0


def evidence_words(lead: Lead, campaign: Campaign, facts: Iterable[Fact]) -> EvidenceWords:
    """Build the coverage index for one lead's drafts."""
    sender = campaign.sender
    texts = [lead.name, lead.company, lead.title or "", lead.industry or ""]
    texts += [campaign.value_proposition, campaign.short_pitch or "", campaign.call_to_action]
    texts += [campaign.emphasis or ""]
    texts += [sender.name, sender.company, sender.title or "", sender.signature or ""]
    for copy in campaign.translations.values():
        texts += [copy.value_proposition, copy.short_pitch or "", copy.call_to_action or ""]
    texts += [f"{fact.title or ''} {fact.text}" for fact in facts]
    return EvidenceWords(texts)


def undecided_sentences(
    variant: Variant, lead: Lead, campaign: Campaign, words: EvidenceWords
) -> list[str]:
    """Sentences about the recipient that carry words no evidence holds and no exact claim.

    Questions (the ask), the greeting, compliance lines and sentences the evidence covers are
    decided already; so is any sentence the deterministic grounding reported.
    """
    body = blank_compliance(variant.body, campaign)
    text = f"{variant.subject or ''}\n{body}"
    names = [n for n in (lead.company, lead.first_name) if n]
    found: list[str] = []
    for match in _SENTENCE.finditer(text):
        sentence = " ".join(match.group(0).split())
        if len(sentence.split()) < 4 or sentence.endswith("?") or _GREETING.match(sentence):
            continue
        about_them = _ABOUT_THEM.search(sentence) or any(n in sentence for n in names)
        if about_them and words.coverage(sentence) < COVERED:
            found.append(sentence)
    return list(dict.fromkeys(found))[:MAX_SENTENCES]


def claims_to_judge(
    critiques: Sequence[Critique],
    variants: Sequence[Variant],
    lead: Lead,
    campaign: Campaign,
    words: EvidenceWords,
) -> list[JudgedClaim]:
    """Return the claims of a lead's drafts the judge should see, numbered by position."""
    claims: list[JudgedClaim] = []
    by_tone = {critique.tone: critique for critique in critiques}
    for variant in variants:
        critique = by_tone.get(variant.tone)
        grounding = _grounding(critique) if critique is not None else None
        reported = [f for f in (grounding.findings if grounding else []) if f.kind in LIFTABLE]
        claims += [JudgedClaim(variant.tone, f.text, f) for f in reported]
        taken = {f.text for f in (grounding.findings if grounding else [])}
        for sentence in undecided_sentences(variant, lead, campaign, words):
            if not any(t and t in sentence for t in taken):
                claims.append(JudgedClaim(variant.tone, sentence))
    return claims


def judge_payload(
    claims: Sequence[JudgedClaim],
    facts: Sequence[Fact],
    campaign: Campaign,
    send_date: date | None = None,
) -> str:
    """The judge's input: numbered facts (and the campaign's own words), numbered claims, and
    the day the message goes out (what "last week" in a claim counts back from)."""
    data = {
        "send_date": send_date.isoformat() if send_date else None,
        "facts": [
            {
                "id": fact.id,
                "text": fact.text,
                "title": fact.title,
                "published": fact.published.isoformat() if fact.published else None,
            }
            for fact in facts
        ],
        "campaign": {
            "id": "campaign",
            "text": " ".join(filter(None, [campaign.emphasis, campaign.value_proposition])),
            "sender": f"{campaign.sender.name}, {campaign.sender.company}",
        },
        "claims": [{"claim": index, "text": claim.text} for index, claim in enumerate(claims)],
    }
    # Facts and drafts carry text from web pages and lead files: "<" is escaped so that none of
    # it can close the <task_input> block the prompt puts it in.
    return json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")


def _grounding(critique: Critique) -> CheckResult | None:
    return next((check for check in critique.checks if check.name == "grounding"), None)


def merged_grounding(
    grounding: CheckResult,
    tone: str,
    claims: Sequence[JudgedClaim],
    verdicts: ClaimVerdicts,
    facts: dict[str, Fact],
) -> CheckResult:
    """Return the grounding check of one draft with the judge's verdicts applied."""
    lifted: set[int] = set()
    added: list[ClaimFinding] = []
    seen: set[int] = set()
    for verdict in verdicts.verdicts:
        if not 0 <= verdict.claim < len(claims) or claims[verdict.claim].tone != tone:
            continue
        if verdict.claim in seen:
            continue  # one verdict per claim: the first stands
        seen.add(verdict.claim)
        claim = claims[verdict.claim]
        cited = facts.get(verdict.fact_id or "")
        if claim.finding is not None:
            finding = claim.finding
            if (
                verdict.verdict == "supported"
                and cited is not None
                and finding.kind in LIFTABLE
                and finding.kind not in NEVER_LIFTED
            ):
                lifted.add(id(finding))
            continue
        if verdict.verdict in ("supported", "no_claim"):
            continue
        said = "contradicts" if verdict.verdict == "contradicted" else "is not in"
        added.append(
            ClaimFinding(
                kind="judged",
                text=claim.text,
                start=0,
                end=0,
                reason=f"the claim judge says it {said} the facts: {verdict.reason}".strip(),
                fact_id=cited.id if cited else None,
                fact_excerpt=(cited.title or cited.text)[:160] if cited else None,
            )
        )
    kept = [f for f in grounding.findings if id(f) not in lifted]
    if not lifted and not added:
        return grounding
    # Problems that are no claim finding (a hook its fact does not back, what only research
    # could tell) stand whatever the judge says.
    described = {describe(f) for f in grounding.findings}
    others = [p for p in grounding.detail.split("; ") if p and p not in described]
    if grounding.passed:
        others = []
    findings = kept + added
    problems = others + [describe(f) if f.kind != "judged" else _judged(f) for f in findings]
    if not problems:
        return grounding.model_copy(
            update={
                "passed": True,
                "score": 1.0,
                "detail": "all claims supported (names confirmed by the claim judge)",
                "fix": None,
                "findings": [],
            }
        )
    return grounding.model_copy(
        update={
            "passed": False,
            "score": 0.0,
            "detail": "; ".join(problems),
            "fix": "Remove or correct every detail that is not in the facts: "
            + "; ".join(problems),
            "findings": findings,
        }
    )


def _judged(finding: ClaimFinding) -> str:
    """A sentence the judge refused, as a line of the detail."""
    return f"{finding.text!r}: {finding.reason}".replace(";", ",")


def rescored(critique: Critique, check: CheckResult, pass_score: float) -> Critique:
    """Return the critique with one check replaced, scored and decided as review.critique does."""
    from graphs.critic.review import HARD_FAILURE_CAP, WEIGHTS

    checks = [check if c.name == check.name else c for c in critique.checks]
    total = sum(WEIGHTS[c.name] for c in checks)
    score = sum(WEIGHTS[c.name] * c.score for c in checks) / total
    if any(c.hard and not c.passed for c in checks):
        score = min(score, HARD_FAILURE_CAP)
    passed = all(c.passed for c in checks) and score >= pass_score
    return critique.model_copy(
        update={"checks": checks, "score": round(score, 3), "passed": passed}
    )
