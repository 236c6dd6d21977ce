"""Score the critic against the labelled calibration set: precision and recall per defect, per
check, per class and per language (the arithmetic is evals.calibration_scores)."""

from __future__ import annotations

import datetime as dt
import inspect
from dataclasses import dataclass, field
from typing import Any

from evals.calibration_scores import (
    CheckTally,
    Tally,
    by_check,
    by_class,
    by_language,
    gate_failures,
    tally,
)
from evals.calibration_set import DEFECTS, CalibrationCase
from evals.golden_set import GoldenLead, campaign_for
from graphs.context import CriticSettings, Thresholds
from graphs.critic.review import critique
from graphs.critic.thread_checks import Thread
from graphs.drafts import Variant
from graphs.lead import Campaign, Channel
from graphs.research import found_nothing
from graphs.sequence_turn import SequenceTurn, StepChannel
from graphs.sms_suffix import thread_sms_suffix

# The critic checks that are meant to catch each labelled defect.
CHECKS_FOR = {
    "hallucinated_hook": {"grounding"},
    "wrong_name": {"recipient_name", "grounding"},
    "no_cta": {"call_to_action"},
    "spammy": {"spam_phrases"},
    "too_long": {"length"},
    "placeholder_leak": {"placeholders"},
    "over_channel_limit": {"channel_limit"},
    "tone_mismatch": {"tone"},
    "copied_instructions": {"copied_instructions"},
    "repeated_hook": {"repeated_hook"},
    "repeated_sentence": {"repeated_sentence"},
    "longer_than_earlier": {"length_growing"},
    "two_ctas": {"calls_to_action"},
    "hallucinated_claim": {"grounding"},
    "broken_language": {"wording", "language"},
}
MUST_CATCH_ALL = (
    "hallucinated_hook", "hallucinated_claim", "placeholder_leak", "copied_instructions",
    "repeated_hook", "repeated_sentence",
)  # fmt: skip
"""Defects the critic's hard checks must catch every time (the gate): a follow-up that repeats
the thread's hook or one of its sentences reads as a form letter, so those gate too."""
_CRITIQUE_OPTIONS = set(inspect.signature(critique).parameters)
"""What this critic accepts: the message's language and send date are passed where it takes
them (while the critic that reads them lands; then always)."""


@dataclass
class DefectScore:
    """How the critic did on one defect type."""

    defect: str
    cases: int = 0
    caught: int = 0
    """Cases of this defect the critic failed."""
    flagged: int = 0
    """Cases (of any label) where this defect's checks fired."""
    flagged_correctly: int = 0

    @property
    def recall(self) -> float | None:
        """Caught share of this defect's cases."""
        return self.caught / self.cases if self.cases else None

    @property
    def precision(self) -> float | None:
        """Share of this defect's check firings that were on a case with this defect."""
        return self.flagged_correctly / self.flagged if self.flagged else None


@dataclass
class CalibrationReport:
    """Per-defect scores, every case's verdict, and the gate."""

    scores: dict[str, DefectScore] = field(default_factory=dict)
    cases: list[dict[str, Any]] = field(default_factory=list)

    @property
    def missed_must_catch(self) -> list[str]:
        """Ids of must-catch cases the critic passed."""
        return [
            case["id"]
            for case in self.cases
            if case["defect"] in MUST_CATCH_ALL and case["critic_passed"]
        ]

    @property
    def false_alarms(self) -> list[str]:
        """Ids of good messages the critic failed."""
        return [c["id"] for c in self.cases if c["defect"] == "none" and not c["critic_passed"]]

    @property
    def misses(self) -> list[str]:
        """Ids of defective messages the critic passed."""
        return [c["id"] for c in self.cases if c["defect"] != "none" and c["critic_passed"]]

    @property
    def overall(self) -> Tally:
        """The verdict counts over every case (a failed message is a positive)."""
        return tally(self.cases)

    @property
    def classes(self) -> dict[str, Tally]:
        """The verdict counts per class."""
        return by_class(self.cases)

    @property
    def languages(self) -> dict[str, Tally]:
        """The verdict counts per language."""
        return by_language(self.cases)

    @property
    def checks(self) -> dict[str, CheckTally]:
        """How each check fired, against the defects CHECKS_FOR says it is meant to catch."""
        return by_check(self.cases, CHECKS_FOR)

    @property
    def gate(self) -> list[str]:
        """Why the critic fails the gate (evals.calibration_scores.gate_failures); [] passes."""
        return gate_failures(self.cases, MUST_CATCH_ALL)

    def as_json(self) -> dict[str, Any]:
        """Return everything the report says, for calibration.json."""
        by_id = {case["id"]: case for case in self.cases}
        return {
            "overall": self.overall.as_dict(),
            "scores": {
                d: {**s.__dict__, "precision": s.precision, "recall": s.recall}
                for d, s in self.scores.items()
            },
            "checks": {name: row.as_dict() for name, row in self.checks.items()},
            "classes": {name: row.as_dict() for name, row in self.classes.items()},
            "languages": {name: row.as_dict() for name, row in self.languages.items()},
            "false_alarms": [
                {"id": i, "class": by_id[i]["class"], "issues": by_id[i]["issues"]}
                for i in self.false_alarms
            ],
            "misses": [
                {"id": i, "class": by_id[i]["class"], "defect": by_id[i]["defect"]}
                for i in self.misses
            ],
            "gate": {"passed": not self.gate, "failures": self.gate},
            "cases": self.cases,
        }


def for_step(campaign: Campaign, turn: SequenceTurn | None) -> Campaign:
    """Return the campaign as a sequence step writes for it (agent.sequences does the same): a
    LinkedIn connect step writes a connection note, a LinkedIn message step a message."""
    if turn is None or turn.channel.message_channel is not Channel.LINKEDIN:
        return campaign
    note = turn.channel is StepChannel.LINKEDIN_CONNECT
    return campaign.model_copy(update={"linkedin_format": "connection_note" if note else "message"})


def language_options(language: str, today: dt.date) -> dict[str, Any]:
    """Return the message's language and send date as keyword arguments of critique(), for
    the ones this critic takes."""
    options: dict[str, Any] = {"language": language, "today": today}
    return {name: value for name, value in options.items() if name in _CRITIQUE_OPTIONS}


def calibrate(
    cases: list[CalibrationCase],
    goldens: dict[str, GoldenLead],
    campaigns: dict[str, Campaign],
    *,
    settings: CriticSettings | None = None,
    thresholds: Thresholds | None = None,
) -> CalibrationReport:
    """Run the critic on every labelled message and score it per defect type."""
    report = CalibrationReport(scores={d: DefectScore(d) for d in DEFECTS})
    for case in cases:
        golden = goldens[case.golden]
        # The campaign as a message in the case's language uses it: its pitch and ask in that
        # language where it has a translation (every translation stays evidence).
        campaign = campaign_for(golden, campaigns).in_language(case.language)
        today = case.today or golden.today
        if case.message_channel is not None:
            campaign = campaign.model_copy(update={"channel": case.message_channel})
        variant = Variant(tone=case.tone, subject=case.subject, body=case.body, hooks=case.hooks)
        turn = case.sequence_turn
        campaign = for_step(campaign, turn)
        verdict = critique(
            variant,
            lead=golden.lead,
            campaign=campaign,
            facts=golden.facts,
            settings=settings or CriticSettings(),
            thresholds=thresholds or Thresholds(),
            # As in the pipeline: a golden lead research found nothing about is unpersonalized.
            unpersonalized=found_nothing(golden.facts),
            # A follow-up is judged against its thread. No analysis comes with a case, so a new
            # angle is not told which unused hooks it could have cited.
            thread=Thread.of(turn, campaign.channel, None),
            sms_suffix=thread_sms_suffix(turn, campaign.channel, case.language),
            **language_options(case.language, today),
        )
        failed = {check.name for check in verdict.checks if not check.passed}
        score = report.scores[case.defect]
        score.cases += 1
        score.caught += int(not verdict.passed)
        for defect, checks in CHECKS_FOR.items():
            if checks & failed:
                report.scores[defect].flagged += 1
                report.scores[defect].flagged_correctly += int(defect == case.defect)
        report.cases.append(
            {
                "id": case.id,
                "defect": case.defect,
                "class": case.case_class,
                "language": case.language,
                "today": today.isoformat(),
                "channel": campaign.channel.value,
                "turn": None if turn is None else {"step": turn.step, "kind": turn.kind.value},
                "critic_passed": verdict.passed,
                "score": verdict.score,
                "failed_checks": sorted(failed),
                "issues": verdict.issues,
                "note": case.note,
            }
        )
    return report
