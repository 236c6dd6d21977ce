"""The campaign's pitch, framed a different way per lead without changing what it claims.

The value proposition is the campaign's own text, and the critic fails any number or name it
does not find there, so every phrasing keeps each claim in the campaign's words. What varies is
the frame around them: "That is the problem Brightpath was built for: it shows …" for
"Brightpath shows …", which sentence comes first, two sentences joined into one, and a short
lead-in to a later sentence ("In practice, teams using it …").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from agent.offline.hook_phrases import split_sentences
from agent.offline.hooks import lower_opening, name_led
from agent.offline.phrasebooks import Phrasebook
from agent.offline.stable_choice import pick
from graphs.drafts import Tone
from graphs.lead import Campaign

_NOT_VERBS = frozenset("and or & plus with together y e o con et ou avec und oder mit".split())
"""Words after a company's name that make it part of a longer subject, not its verb."""
MAX_MERGED_WORDS = 40
"""Two pitch sentences are joined into one only if the result stays this short."""
_MERGE = "merge"
_REORDER = "reorder"
EMPHASIS_FRAME = "The one thing I would lead with: {emphasis}"
"""How an email's pitch opens with the lead's segment emphasis (graphs/segment_angle.py)."""


def emphasis_sentence(campaign: Campaign, book: Phrasebook) -> str | None:
    """Return the sentence that opens the pitch with the segment's emphasis, if the lead has
    one. The emphasis is the operator's English, so only an English message quotes it."""
    emphasis = " ".join((campaign.emphasis or "").split())
    if not emphasis or book.language != "en":
        return None
    sentence = EMPHASIS_FRAME.format(emphasis=emphasis)
    return sentence if sentence.endswith((".", "!", "?")) else f"{sentence}."


@dataclass(frozen=True)
class PitchSentence:
    """One sentence of the pitch and how it opens."""

    text: str
    kind: str
    """"company": opens with the sender's company and a verb ("Brightpath shows …");
    "pronoun": opens with "It" ("It connects to …"); "other": anything else."""
    rest: str = ""
    """For "company" and "pronoun": the words after the opening, without the full stop."""

    @property
    def bare(self) -> str:
        """The sentence without its closing full stop."""
        return self.text[:-1] if self.text.endswith(".") else self.text


def read_pitch(text: str, company: str, pronoun: str = "It") -> list[PitchSentence]:
    """Split a pitch into sentences and note which open with the company or a pronoun."""
    found = []
    for raw in split_sentences(" ".join(text.split())):
        sentence = raw.strip()
        if not sentence:
            continue
        bare = sentence[:-1] if sentence.endswith(".") else sentence
        led = name_led(bare, company)
        words = bare[len(company) :].split() if led is not None else []
        # "Brightpath shows …" opens with the company and its verb; "Brightpath and its CLI
        # show …" has a longer subject, which a frame ("it …") would cut in two.
        verb_next = bool(words) and words[0][:1].islower() and words[0] not in _NOT_VERBS
        if led is not None and verb_next and bare.startswith(company):
            found.append(PitchSentence(sentence, "company", " ".join(words)))
        elif bare.startswith(f"{pronoun} ") and bare[len(pronoun) + 1 : len(pronoun) + 2].islower():
            found.append(PitchSentence(sentence, "pronoun", bare[len(pronoun) + 1 :]))
        else:
            found.append(PitchSentence(sentence, "other"))
    return found


_LEAD_IN = re.compile(r"^([^,:;]{1,30}?)[,:]\s")


def _lead_in(sentence: str) -> str | None:
    """The words a frame puts before a pitch sentence ("On top of that", "Good to know")."""
    match = _LEAD_IN.match(sentence)
    return match.group(1).casefold() if match and len(match.group(1).split()) <= 4 else None


_ALSO = re.compile(r"\b(?:also|aussi|también|auch|außerdem|además|en outre|de plus)\b", re.I)
"""Words by which a pitch sentence adds to the one before ("It also drafts …", "Il rédige
aussi …"): such a sentence cannot open the pitch."""


def _without_also(rest: str) -> str:
    return rest[5:] if rest.startswith("also ") else rest


def _opening(
    sentence: PitchSentence,
    company: str,
    frames: Sequence[str],
    key: Sequence[str],
    after: str | None = None,
) -> str:
    """Say the pitch's first sentence in one of its frames (as written if it has none).

    after: the sentence before it; a frame opening with the same word ("That is … That is
    what …") is passed over.
    """
    if sentence.kind != "company":
        return sentence.text
    first = after.split()[0] if after and after.split() else None
    usable = [f for f in frames if f.split()[0] != first] or list(frames)
    return pick(usable, "pitch-opening", *key).format(company=company, rest=sentence.rest)


def _later(
    sentence: PitchSentence,
    company: str,
    tone: Tone,
    book: Phrasebook,
    names: tuple[str, ...],
    *,
    after_company: bool,
) -> list[str]:
    """The ways to say a later pitch sentence on its own."""
    lowered = lower_opening(sentence.text, names, book.language)
    if sentence.kind == "pronoun":
        frames = [
            f
            for f in book.pitch_pronoun[tone]
            # "Pipewell watches … Pipewell connects …": the name once is enough.
            if not (after_company and f.startswith("{company}"))
        ]
        return [
            f.format(
                Pronoun=book.pronoun,
                company=company,
                rest=sentence.rest,
                rest_without_also=_without_also(sentence.rest),
            )
            for f in frames
        ]
    return [f.format(Sentence=sentence.text, sentence=lowered) for f in book.pitch_sentence[tone]]


def _merged(first: str, second: PitchSentence, book: Phrasebook, names: tuple[str, ...]) -> str:
    """Join a sentence onto the one before it ("…; teams using it …"), or "" if too long."""
    bare = first[:-1] if first.endswith(".") else first
    if len(bare.split()) + len(second.text.split()) > MAX_MERGED_WORDS:
        return ""
    if bare.endswith(("?", "!")) or second.text.endswith(("?", "!")):
        return ""  # "… in minutes?, and …": a question or an exclamation stays whole
    # "…, and flags flaky tests…, and teams using it…" runs on: a semicolon joins it instead.
    merge = book.pitch_merges[1] if ", and " in bare else book.pitch_merges[0]
    return merge.format(first=bare, second=lower_opening(second.text, names, book.language))


def _reordered(
    first: PitchSentence, second: PitchSentence, company: str, book: Phrasebook
) -> list[str]:
    """Say a two-sentence pitch the other way round: the result first, naming the product,
    then what it does ("Teams using Brightpath usually cut … It shows …"); [] if it cannot."""
    if first.kind != "company" or _ALSO.search(second.rest or second.text):
        return []
    if second.kind == "pronoun":
        opening = f"{company} {second.rest}."
    elif second.kind == "other" and len(re.findall(r"\bit\b", second.text)) == 1:
        opening = re.sub(r"\bit\b", company, second.text)
    else:
        return []
    return [opening, f"{book.pronoun} {first.rest}."]


def pitch_text(
    campaign: Campaign,
    tone: Tone,
    key: Sequence[str],
    book: Phrasebook,
    *,
    after: str | None = None,
    compact: bool = False,
) -> str:
    """Say the campaign's value proposition for one lead and tone, every claim kept.

    after: the bridge just before, which named the problem, so the pitch may refer back to it
    ("That is the problem … was built for"); None when nothing comes before it to refer to.
    compact: the first sentence only.
    """
    company = campaign.sender.company
    names = (company, *campaign.target.keywords)
    sentences = read_pitch(campaign.value_proposition, company, book.pronoun)
    lead = emphasis_sentence(campaign, book)
    if not sentences:
        return " ".join(filter(None, [lead, campaign.value_proposition]))
    if compact:
        sentences = sentences[:1]
    if lead is not None:
        after = None  # the emphasis comes between the bridge and the pitch: nothing to refer to
    frames = (book.pitch_plain if after is None else book.pitch_after_bridge)[tone]
    said = [_opening(sentences[0], company, frames, (tone, *key), after)]
    for index, sentence in enumerate(sentences[1:], start=1):
        after_company = said[-1].startswith(company)
        options = _later(sentence, company, tone, book, names, after_company=after_company)
        # "On top of that, … On top of that, …": a lead-in is used once per pitch.
        used = {_lead_in(text) for text in said} - {None}
        options = [o for o in options if _lead_in(o) not in used] or options[:1]
        merged = _merged(said[-1], sentence, book, names)
        reordered = _reordered(sentences[0], sentence, company, book) if index == 1 else []
        choices = options + [_MERGE] * bool(merged) + [_REORDER] * bool(reordered)
        choice = pick(choices, "pitch-sentence", str(index), tone, *key)
        if choice == _MERGE:
            said[-1] = merged
        elif choice == _REORDER:
            said = reordered
        else:
            said.append(choice)
    return " ".join(filter(None, [lead, *said]))


def short_pitches(
    campaign: Campaign,
    tone: Tone,
    key: Sequence[str],
    book: Phrasebook,
    *,
    after: str | None = None,
) -> list[str]:
    """The one-line pitch for a text or a LinkedIn note: this lead's framing first, then the
    campaign's words as written (shorter), for when the framed one does not fit."""
    company = campaign.sender.company
    text = campaign.short_pitch or campaign.value_proposition
    first = read_pitch(text, company, book.pronoun)[:1]
    if not first:
        return []
    frames = (book.pitch_plain if after is None else book.pitch_after_bridge)[tone]
    framed = _opening(first[0], company, frames, (tone, *key), after)
    return list(dict.fromkeys([framed, first[0].text]))
