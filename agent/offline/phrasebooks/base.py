"""What a phrasebook holds: the offline writer's words in one language, as data.

Every list is a set of interchangeable phrasings; the writer picks one per lead with
agent/offline/stable_choice.py. Slots are str.format fields:

- {company}: the sender's company; {rest}: what the campaign's pitch says it does, from its
  verb on ("shows engineering teams which builds …"); {sentence}: a pitch sentence as the
  campaign wrote it, its first letter lowered unless it opens with a name;
- {topic}: a campaign keyword the lead's facts raise ("CI", "SOC 2");
- {meeting}: the campaign's ask with its article ("a 15-minute call"), {noun} ("call"),
  {minutes} ("15"), {for_noun} ("" for a call, " for a walkthrough" otherwise), {when}
  (" next week", with its space, or ""), {purpose} (" to see it on your pipeline", or ""),
  {purpose_after_comma} (", to see it on your pipeline", or "").

Nothing here may state a fact: no number, name, date or claim about the lead or the product
beyond the slots, which carry the campaign's and the facts' own words.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields

from agent.offline.phrasebooks.hook_book import HookBook
from graphs.drafts import Tone

ByTone = Mapping[Tone, tuple[str, ...]]


@dataclass(frozen=True)
class Phrasebook:
    """The offline writer's words in one language."""

    language: str
    and_word: str
    """Joins the last item of a list: "Kubernetes, GitLab CI and Java"."""
    greetings: Mapping[Tone, str]
    """The email's first line, with {first_name}."""
    sign_offs: Mapping[Tone, str]
    """The lines after the ask, with {sender_name}, {sender_first} and {signature_line} (the
    sender's title and company, or their company alone)."""
    note_greetings: Mapping[Tone, str]
    """A LinkedIn message's opening, with {first_name}; the hook sentence follows it."""
    note_short_hooks: Mapping[Tone, str]
    """A LinkedIn note's hook when the full sentence does not fit: {short} ("your post …")."""
    text_intros: ByTone
    """A text's opening, who writes to whom, longest first: {first_name}, {sender_first},
    {sender_company}."""
    text_hooks: Mapping[Tone, str]
    """A text's hook: {short}, in straight quotes (one GSM-7 segment)."""
    pronoun: str
    """How a pitch sentence refers back to the product ("It connects to …")."""
    pitch_after_bridge: ByTone
    """The pitch's first sentence after a bridge, which named the problem: {company}, {rest}."""
    pitch_plain: ByTone
    """The pitch's first sentence with nothing before it to refer back to."""
    pitch_sentence: ByTone
    """A later pitch sentence of another kind ("Teams using it usually cut …"): {sentence}."""
    pitch_pronoun: ByTone
    """A later pitch sentence about the product ("It also drafts …"): {company}, {rest}."""
    pitch_merges: tuple[str, str]
    """Two pitch sentences made one: {first} (without its full stop), {second} (lowered); the
    second form when the first sentence already joins two clauses with "and"."""
    asks: ByTone
    """Email asks built from the campaign's (its meeting, time and purpose kept)."""
    asks_in_minutes: ByTone
    """Asks for an ask counted in minutes ("a 15-minute call"): {minutes}, {noun} …"""
    text_asks: ByTone
    """A text's ask, without the purpose, longest first per tone."""
    short_text_asks: tuple[str, ...]
    """What a text asks when nothing longer fits, longest first."""
    fallback_text_asks: tuple[str, ...]
    """A text's ask when the campaign's ask cannot be read into its parts."""
    connect_asks: ByTone
    """A LinkedIn connection note's ask."""
    bridges: Mapping[str, tuple[str, ...]]
    """From a hook to the problem the product solves, by trigger or fact kind: {topic}."""
    plain_bridges: Mapping[str, tuple[str, ...]]
    """The same without a topic the facts raise."""
    subjects: Mapping[str, ByTone]
    """Email subjects by the first hook's kind: {company}, {topic}, {Topic} (capitalised),
    {post_topic} (a topic the post itself raised), {noun} ("post"/"talk"), {title} (the title
    or its first clause), {full_title} (the whole title, to quote), {total} and {department}
    (open roles), {tech} (the first tool listed), {who} (who referred)."""
    fallback_subjects: ByTone
    """Subjects when the hook gives nothing shorter than 45 characters: {company}, {topic};
    the last of each tone has no slot, for a company name too long for any other."""
    hooks: HookBook
    """How the language says each kind of fact as a hook, its dates, and the lead row."""

    def texts(self) -> Iterator[str]:
        """Every phrasing in the book, for checks that none states a fact of its own."""

        def walk(value: object) -> Iterator[str]:
            if isinstance(value, str):
                yield value
            elif isinstance(value, Mapping):
                for item in value.values():
                    yield from walk(item)
            elif isinstance(value, tuple):
                for item in value:
                    yield from walk(item)
            elif isinstance(value, HookBook):
                for name in ("frames", "shorts", "row_roles", "row_lines", "short_intros"):
                    yield from walk(getattr(value, name))
                yield value.withheld_intro

        for field in fields(self):
            if field.name not in ("language", "and_word", "pronoun"):
                yield from walk(getattr(self, field.name))
