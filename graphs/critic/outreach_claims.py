"""The earlier_outreach check: a draft may say we already wrote to someone at the lead's
company only when our own records say so (a fact of kind earlier_outreach), about that one
colleague, and never that a colleague answered.

"I reached out to your colleague", "as I mentioned to Maya", "following up on my note to Sam",
"I also wrote to Maya Okafor" claim an earlier contact; so does a first touch's "following up
on my last email" (there was none). Wording checked: English, as the offline writer and the
prompts' example phrasings are; a claim in another language is left to the grounding check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graphs.drafts import CheckResult, Variant
from tools.facts import Fact, FactKind

CHECK = "earlier_outreach"
_CONTACTED = (
    r"(?:reached out|wrote|written|e-?mailed|messaged|spoke|spoken|talked|contacted|"
    r"connected|chatted|been in touch|got in touch|sent (?:a|my) (?:note|message|e-?mail))"
)
_ADVERB = r"(?:also |already |recently |just |previously |earlier |first )?"
_COLLEAGUE = re.compile(
    rf"\b(?:your|a|one of your) (?:colleagues?|teammates?|team ?mates?|co-?workers?)\b"
    rf"[^.!?]*\b{_CONTACTED}\b|\b{_CONTACTED}\b[^.!?]*\b(?:your|a|one of your) "
    r"(?:colleagues?|teammates?|team ?mates?|co-?workers?)\b",
    re.IGNORECASE,
)
# Said to the lead themselves ("as I mentioned to you", "my note to you") is no colleague.
_NOT_YOU = r"(?!\s+(?:you|yourself)\b)"
_MENTIONED_TO = re.compile(
    rf"\bas I (?:mentioned|said|told|wrote|explained|noted)(?: it)? to\b{_NOT_YOU}",
    re.IGNORECASE,
)
_NOTE_TO = re.compile(
    r"\bfollow(?:ing)?[- ]?up on my (?:earlier |last |previous |recent )?"
    rf"(?:note|e-?mail|message|conversation|call|chat) (?:to|with)\b{_NOT_YOU}",
    re.IGNORECASE,
)
# "I also wrote to Maya", "I've spoken with Sam Lee", "I emailed Maya": a capitalized name
# after the verb. Only verbs whose object is a person may go without "to"/"with": "I wrote
# Terraform modules" or "I spoke German" claim no contact.
_TO_SOMEONE = (
    r"(?:(?:reached out|wrote|written|spoke|spoken|talked|connected|chatted|been in touch|"
    r"got in touch|sent (?:a|my) (?:note|message|e-?mail)) (?:to|with)|"
    r"(?:e-?mailed|messaged|contacted)(?: with)?)"
)
_NAMED = re.compile(
    rf"\bI(?:'ve| have| had)? (?i:{_ADVERB}{_TO_SOMEONE}) "
    r"(?!(?i:you|your|the|a|an|this|that)\b)([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)"
)
_TO_YOU_BEFORE = re.compile(
    r"\b(?:following up on|as I (?:mentioned|said|wrote) in|further to) my "
    r"(?:last|previous|earlier|recent) (?:note|e-?mail|message)\b"
    rf"|\bI(?:'ve| have)? {_ADVERB}(?:wrote|written|e-?mailed|reached out|messaged) to you "
    r"(?:last|earlier|before|a few|recently|a while)",
    re.IGNORECASE,
)
_ANSWERED = re.compile(
    r"\b(?:replied|responded|answered|got back to me|told me|wrote back|agreed|suggested|"
    r"recommended|pointed me|referred me|introduced)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
# Every claim pattern above needs one of these words: a draft without any (most drafts) is
# passed over in one search instead of each pattern on each sentence.
_ANY_CLAIM_WORD = re.compile(
    # (The lookahead names the letters those words start with: it fails at once elsewhere.)
    r"(?=[cefmnrstw])\b(?:reached|wrote|written|e-?mailed|messaged|spoke|spoken|talked|contacted|connected|"
    r"chatted|touch|sent|mentioned|said|told|explained|noted|follow(?:ing)?[- ]?up|further)\b",
    re.IGNORECASE,
)
_NAME_NEXT = re.compile(r"\s*((?!(?:I|The|A|An|This|That|Your)\b)[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)")


def _name_after(sentence: str, match: re.Match[str] | None) -> str | None:
    """Return the capitalized name right after a match ("as I mentioned to Maya")."""
    if match is None:
        return None
    name = _NAME_NEXT.match(sentence, match.end())
    return name.group(1) if name else None


def _claims(text: str, first_touch: bool) -> tuple[list[tuple[str, str | None]], list[str]]:
    """Return the sentences claiming an earlier contact with a colleague (with the name each
    gives, if any), and those a first touch claims an earlier message to the lead with."""
    colleague: list[tuple[str, str | None]] = []
    to_lead: list[str] = []
    if _ANY_CLAIM_WORD.search(text) is None:
        return colleague, to_lead
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0).strip()
        named = _NAMED.search(sentence)
        told, noted = _MENTIONED_TO.search(sentence), _NOTE_TO.search(sentence)
        if named or told or noted or _COLLEAGUE.search(sentence):
            name = named.group(1) if named else _name_after(sentence, told or noted)
            colleague.append((sentence, name))
        elif first_touch and _TO_YOU_BEFORE.search(sentence):
            to_lead.append(sentence)
    return colleague, to_lead


def _passed(detail: str) -> CheckResult:
    return CheckResult(name=CHECK, passed=True, score=1.0, hard=True, detail=detail)


def _failed(detail: str, fix: str) -> CheckResult:
    return CheckResult(name=CHECK, passed=False, score=0.0, hard=True, detail=detail, fix=fix)


def check_earlier_outreach(
    variant: Variant, facts: Iterable[Fact], *, first_touch: bool
) -> CheckResult | None:
    """Fail a draft claiming an earlier contact no earlier_outreach fact supports (None: the
    draft claims none and the lead has no such fact, so there is nothing to check)."""
    facts = list(facts)
    records = [f for f in facts if f.kind is FactKind.EARLIER_OUTREACH]
    claims, to_lead = _claims(f"{variant.subject or ''}\n{variant.body}", first_touch)
    if to_lead:
        return _failed(
            f"a first message claims an earlier one to the lead: {to_lead[0]!r}",
            "Remove the claim: this is the first message to this person.",
        )
    if not claims:
        return _passed("no earlier contact claimed") if records else None
    sentence, _ = claims[0]
    if not records:
        return _failed(
            f"claims an earlier contact our records do not show: {sentence!r}",
            "Remove the claim: no message went to anyone at this company in this campaign.",
        )
    referred = any(f.kind is FactKind.REFERRAL for f in facts)
    for sentence, name in claims:
        if _ANSWERED.search(sentence) and not referred:
            return _failed(
                f"says a colleague answered, which our records do not say: {sentence!r}",
                "Say only that you wrote to them, as the earlier_outreach fact does.",
            )
        if name is not None and not any(
            name.split()[0].casefold() in f.text.casefold() for f in records
        ):
            return _failed(
                f"names {name!r} as contacted, but we wrote to "
                f"{records[0].attributes.get('colleague', 'someone else')}: {sentence!r}",
                "Mention only the colleague the earlier_outreach fact names, or nobody.",
            )
    names = {n.split()[0].casefold() for _, n in claims if n is not None}
    if len(names) > 1:
        return _failed(
            f"mentions {len(names)} colleagues as contacted; at most one may be mentioned",
            "Mention one colleague at most.",
        )
    return _passed("the earlier contact it mentions is in our records")
