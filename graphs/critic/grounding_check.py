"""The grounding check, claim by claim: every checkable detail of a draft must be in a fact.

Each unsupported claim is reported with its span in "subject\\nbody", its text and kind, why it
fails ("the facts say September") and the fact nearest to it, so the rewrite loop and a
reviewer see what to change and what the fact says instead. Compliance lines (opt-out,
postal address, signature) are blanked first: they are no claims.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from graphs.analysis import Hook
from graphs.critic.claim_evidence import Entry, index_for
from graphs.critic.claim_support import ClaimJudge
from graphs.critic.claims import extract
from graphs.critic.grounding import Evidence, hook_problems, research_claims
from graphs.critic.message_text import read_compliance
from graphs.drafts import CheckResult, ClaimFinding, Variant
from graphs.lead import Campaign, Lead
from tools.facts import Fact

EXCERPT_CHARS = 120
"""How much of the nearest fact a finding quotes."""


def checked_text(variant: Variant) -> str:
    """The text whose spans findings give: the subject, a newline, then the body."""
    return f"{variant.subject or ''}\n{variant.body}"


def _excerpt(entry: Entry | None) -> str | None:
    if entry is None or entry.fact is None:
        return None
    text = " ".join((entry.fact.title or entry.fact.text).split())
    if len(text) > EXCERPT_CHARS:
        text = text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"
    return text


def claim_findings(
    text: str,
    evidence: Evidence,
    facts: dict[str, Fact] | None = None,
    *,
    campaign: Campaign | None = None,
    today: date | None = None,
    language: str = "en",
    subject_end: int = 0,
) -> list[ClaimFinding]:
    """Return the claims in text that the evidence does not back, first occurrence each.

    today: the send date relative times count back from (None: the newest fact's retrieval).
    """
    # The links and placeholder checks blank this very text too: one reading serves all three.
    blanked, _ = read_compliance(text, campaign)
    index = index_for(evidence, (facts or {}).values())
    judge = ClaimJudge(index, today, language)
    findings: list[ClaimFinding] = []
    seen: set[tuple[str, str]] = set()
    for claim in extract(blanked, language, subject_end):
        key = (claim.kind, claim.text.casefold())
        if key in seen:
            continue
        seen.add(key)
        verdict = judge.verdict(claim, blanked)
        if verdict is None:
            continue
        nearest = verdict.nearest
        findings.append(
            ClaimFinding(
                kind=claim.kind,
                text=text[claim.start : claim.end],
                start=claim.start,
                end=claim.end,
                reason=verdict.reason,
                fact_id=nearest.fact.id if nearest is not None and nearest.fact else None,
                fact_excerpt=_excerpt(nearest),
            )
        )
    return findings


def describe(finding: ClaimFinding) -> str:
    """One finding as a line for the detail and the writer's fix (never holding a ";")."""
    kind = finding.kind.replace("_", " ")
    where = f"characters {finding.start}-{finding.end}"
    if finding.fact_id:
        where += f", nearest fact {finding.fact_id}: “{finding.fact_excerpt}”"
    line = f"{kind} {finding.text!r} is not supported by any fact: {finding.reason} ({where})"
    return line.replace(";", ",")


_HookKey = tuple[object, ...]
_HOOK_PROBLEMS: dict[_HookKey, tuple[str, ...]] = {}
_HOOK_CACHE_SIZE = 1024


def _hook_key(hook: Hook, lead: Lead, facts: Mapping[str, Fact], language: str) -> _HookKey:
    """Everything hook_problems reads: the hook, the lead's names, the language, and what
    each fact it cites says and when (None for a fact not among facts)."""
    cited = tuple(
        (fact.title, fact.text, fact.published, fact.retrieved_at)
        if (fact := facts.get(fact_id)) is not None
        else None
        for fact_id in hook.fact_ids
    )
    return (hook.text, tuple(hook.fact_ids), cited, lead.name, lead.company, language)


def _hook_problems(
    hook: Hook, lead: Lead, facts: Mapping[str, Fact], language: str
) -> tuple[str, ...]:
    """hook_problems, worked out once per hook and facts: a lead's three drafts and its
    rewrites carry the same hooks, and judging one took a tenth of the critic's time."""
    key = _hook_key(hook, lead, facts, language)
    found = _HOOK_PROBLEMS.get(key)
    if found is None:
        if len(_HOOK_PROBLEMS) >= _HOOK_CACHE_SIZE:
            _HOOK_PROBLEMS.clear()
        found = _HOOK_PROBLEMS[key] = tuple(hook_problems(hook, lead, facts, language))
    return found


def check_grounding(
    variant: Variant,
    lead: Lead,
    facts: dict[str, Fact],
    evidence: Evidence,
    unpersonalized: bool = False,
    *,
    campaign: Campaign | None = None,
    today: date | None = None,
    language: str = "en",
) -> CheckResult:
    """Fail any claim or hook that no fact (or lead field, the campaign, the sender) supports.

    Claims are checked one by one: numbers in digits and words, quantities, ordinals, dates,
    months, weekdays, relative times (against the send date `today`), superlatives and
    names. An unpersonalized draft also fails for saying what only research could tell ("I
    noticed", "your recent post", "hiring"): research found nothing about its lead.
    """
    problems: list[str] = []
    for hook in variant.hooks:
        problems += [
            problem.replace(";", ",") for problem in _hook_problems(hook, lead, facts, language)
        ]
    text = checked_text(variant)
    findings = claim_findings(
        text,
        evidence,
        facts,
        campaign=campaign,
        today=today,
        language=language,
        subject_end=len(variant.subject or ""),
    )
    problems += [describe(finding) for finding in findings]
    if unpersonalized:
        blanked, _ = read_compliance(text, campaign)
        problems += [
            f"says {said!r}, but research found nothing about this lead".replace(";", ",")
            for said in research_claims(blanked, evidence)
        ]
    if not problems:
        return CheckResult(
            name="grounding", passed=True, score=1.0, hard=True, detail="all claims supported"
        )
    return CheckResult(
        name="grounding",
        passed=False,
        score=0.0,
        hard=True,
        detail="; ".join(problems),
        fix="Remove or correct every detail that is not in the facts: " + "; ".join(problems),
        findings=findings,
    )
