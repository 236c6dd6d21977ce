"""Edits read sentence by sentence: a phrasing is avoided only when at least two edits deleted
it and fewer kept it; a reworded sentence is not a deletion; odd review records are skipped."""

from __future__ import annotations

import datetime as dt

from agent.learning.phrasings import diff_edit, learned_style
from agent.offline.learned_style import preferred, without_avoided
from graphs.learned import LearnedStyle
from storage.learning import StoredEdit

HOPE = "I hope this note finds you well and not too busy."
ASK = "Would a 15-minute call next week be useful?"


def edit(before: str, after: str, n: int = 1) -> StoredEdit:
    return StoredEdit(n, "platform", "direct", None, before, None, after,
                      dt.datetime(2026, 12, 1, tzinfo=dt.UTC), n)  # fmt: skip


def test_a_deleted_sentence_a_kept_one_and_a_written_one_are_told_apart() -> None:
    before = f"Hi Ada,\n\n{HOPE} We make CI fast for teams like yours.\n\n{ASK}"
    after = (
        f"Hi Ada,\n\nWe make CI fast for teams like yours! Saw the Series B news today.\n\n{ASK}"
    )
    diff = diff_edit(before, after)
    assert list(diff.removed.values()) == [HOPE]
    assert "Saw the Series B news today." in diff.added.values()
    assert ASK in diff.kept.values()
    # "fast for teams like yours." became "...yours!": reworded, neither removed nor added.
    assert "We make CI fast for teams like yours." not in diff.removed.values()


def test_one_edit_is_not_a_rule_and_what_more_edits_kept_is_not_avoided() -> None:
    deleted = edit(f"Hi,\n\n{HOPE} We make CI fast.", "Hi,\n\nWe make CI fast.")
    kept = edit(f"Hi,\n\n{HOPE} We make CI fast.", f"Hi,\n\n{HOPE} We make CI faster.")
    assert learned_style([deleted]).avoid == []
    assert learned_style([deleted, deleted]).avoid == [HOPE]
    assert learned_style([deleted, deleted, kept, kept, kept]).avoid == []
    assert HOPE in learned_style([deleted, deleted, kept, kept, kept]).prefer


def test_the_offline_writer_drops_avoided_sentences_and_takes_the_ask_reviewers_kept() -> None:
    style = LearnedStyle(avoid=[HOPE.upper()], prefer=[ASK])
    body = f"Hi Ada,\n\n{HOPE}\n\nWe make CI fast. {HOPE}\n\nAny chance of a call?"
    assert without_avoided(body, style) == "Hi Ada,\n\nWe make CI fast.\n\nAny chance of a call?"
    assert preferred(["Any chance of a call?", ASK], style) == ASK
    assert preferred(["Any chance of a call?", ASK], None) == "Any chance of a call?"
    assert preferred([HOPE, "Any chance?"], LearnedStyle(avoid=[HOPE])) == "Any chance?"
