"""The labelled reply set (issue 20) and its scorer: per-intent precision and recall.

Sets are JSON lines under `evals/replies/` (conventions in its README.md): `labelled.jsonl`
to tune on, `holdout.jsonl` to measure generalisation. A classifier is any callable taking
(subject, text, headers, received) and returning an object or mapping with `intent`,
`reason`, `return_date`, `referral` (name, email; or None), `confidence` and `evidence`
(for `score_async`, or an awaitable of one).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import inspect
import json
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from evals.stats import wilson

REPLIES_DIR = Path(__file__).resolve().parent / "replies"
LABELLED = REPLIES_DIR / "labelled.jsonl"
HOLDOUT = REPLIES_DIR / "holdout.jsonl"

INTENTS = (
    "interested", "meeting_request", "question", "objection", "referral", "not_interested",
    "unsubscribe", "out_of_office", "auto_reply", "bounce", "other",
)  # fmt: skip
OBJECTION_REASONS = ("timing", "budget", "has_solution", "not_relevant", "no_authority")
REASONED = ("objection", "not_interested")
"""The intents that carry a reason; any other intent's reason must be null."""
MUST_RECALL = ("unsubscribe", "out_of_office")
"""Intents whose recall must be 1.0 with the rules alone (issue 20)."""
_REASON = re.compile(r"^[a-z][a-z_]*$")


class ReplySetError(Exception):
    """A reply set has malformed lines; the message names the file, line and field."""


class Referral(BaseModel):
    """Someone else the reply says to contact."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ReplyCase(BaseModel):
    """One labelled inbound reply."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    subject: str
    text: str
    """The whole body as received: quoted thread, signature and all."""
    headers: dict[str, str] = Field(default_factory=dict)
    received: AwareDatetime
    language: Literal["en", "es", "fr", "de", "pt"]
    channel: Literal["email", "sms"] = "email"
    intent: str
    reason: str | None = None
    return_date: dt.date | None = None
    referral: Referral | None = None
    note: str = ""
    """Why the label is what it is, for the ambiguous ones."""


def label_problems(case: ReplyCase) -> list[tuple[str, str]]:
    """Return (field, problem) for each way the labels contradict each other or the text."""
    problems: list[tuple[str, str]] = []
    if case.intent not in INTENTS:
        return [("intent", f"unknown intent {case.intent!r}; one of {', '.join(INTENTS)}")]
    if case.intent == "objection" and case.reason not in OBJECTION_REASONS:
        problems.append(("reason", f"an objection needs one of {', '.join(OBJECTION_REASONS)}"))
    elif case.intent == "not_interested" and case.reason and not _REASON.match(case.reason):
        problems.append(("reason", f"{case.reason!r} is not a short snake_case reason"))
    elif case.intent not in REASONED and case.reason is not None:
        problems.append(("reason", f"{case.intent} has no reason; use null"))
    if case.received.utcoffset():
        problems.append(("received", "give the time in UTC, e.g. 2027-01-04T09:30:00Z"))
    if case.return_date is not None and case.intent != "out_of_office":
        problems.append(("return_date", f"{case.intent} has no return date; use null"))
    elif case.return_date is not None and case.return_date < case.received.date():
        problems.append(("return_date", f"{case.return_date} is before received"))
    if case.referral is not None and not (case.referral.name or case.referral.email):
        problems.append(("referral", "give a name or an email, or null"))
    if case.intent == "referral" and case.referral is None:
        problems.append(("referral", "a referral names the person to contact"))
    return problems


@dataclass(frozen=True)
class LineError:
    """One malformed line: where it is and what is wrong."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


@dataclass
class LoadedReplies:
    """The cases that loaded and the lines that did not."""

    cases: list[ReplyCase]
    errors: list[LineError]

    def raise_for_errors(self) -> list[ReplyCase]:
        """Return the cases, or raise ReplySetError listing every bad line."""
        if self.errors:
            raise ReplySetError("\n".join(str(error) for error in self.errors))
        return self.cases


def _message(error: Any) -> str:
    given = "" if error["type"] == "missing" else f" (got {error['input']!r})"
    return f"{error['msg']}{given}"


def _parse_line(raw: str) -> tuple[ReplyCase | None, list[tuple[str, str]]]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return None, [("json", f"not valid JSON: {exc.msg} at column {exc.colno}")]
    if not isinstance(data, dict):
        return None, [("json", f"expected a JSON object, got {type(data).__name__}")]
    try:
        case = ReplyCase.model_validate(data)
    except ValidationError as exc:
        return None, [(".".join(map(str, e["loc"])) or "line", _message(e)) for e in exc.errors()]
    return case, label_problems(case)


def load_replies(path: Path) -> LoadedReplies:
    """Load every good line of a set; each bad line is reported and the rest still load."""
    cases: list[ReplyCase] = []
    errors: list[LineError] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        case, problems = _parse_line(raw)
        if case is not None and case.id in seen:
            problems.append(("id", f"{case.id} is already used on line {seen[case.id]}"))
        if problems or case is None:
            errors.extend(LineError(path.name, number, where, msg) for where, msg in problems)
            continue
        seen[case.id] = number
        cases.append(case)
    return LoadedReplies(cases, errors)


def load_reply_set(path: Path = LABELLED) -> list[ReplyCase]:
    """Load a set strictly: any malformed line raises ReplySetError."""
    return load_replies(path).raise_for_errors()


Classify = Callable[[str, str, dict[str, str], dt.datetime], Any]
AsyncClassify = Callable[[str, str, dict[str, str], dt.datetime], Awaitable[Any] | Any]


def _get(verdict: Any, name: str) -> Any:
    return verdict.get(name) if isinstance(verdict, Mapping) else getattr(verdict, name, None)


def _label(value: Any) -> str | None:
    """Return an intent or reason (a str, an enum or its value) as lower snake_case."""
    text = str(getattr(value, "value", value)).strip().lower() if value is not None else ""
    return re.sub(r"[\s-]+", "_", text) or None


def _clean(value: Any) -> str | None:
    """Return a name or address with its spacing and case folded, None for nothing."""
    return " ".join(str(value).split()).casefold() or None if value else None


@dataclass(frozen=True)
class Prediction:
    """A classifier's answer, normalised for comparison."""

    intent: str
    reason: str | None = None
    return_date: str | None = None
    referral_name: str | None = None
    referral_email: str | None = None
    confidence: float | None = None
    evidence: str = ""

    @classmethod
    def of(cls, verdict: Any) -> Prediction:
        referral = _get(verdict, "referral") or {}
        confidence = _get(verdict, "confidence")
        evidence = _get(verdict, "evidence")
        returns = _get(verdict, "return_date")  # a date, a datetime or an ISO string
        return cls(
            intent=_label(_get(verdict, "intent")) or "none",
            reason=_label(_get(verdict, "reason")),
            return_date=str(returns)[:10] if returns else None,
            referral_name=_clean(_get(referral, "name")),
            referral_email=_clean(_get(referral, "email")),
            confidence=float(confidence) if confidence is not None else None,
            evidence=" ".join(str(evidence).split()) if evidence else "",
        )


@dataclass
class Rate:
    """Hits over trials, with a Wilson interval."""

    hits: int = 0
    trials: int = 0

    @property
    def rate(self) -> float | None:
        return self.hits / self.trials if self.trials else None

    def count(self, hit: bool) -> bool:
        self.hits, self.trials = self.hits + hit, self.trials + 1
        return hit

    def to_dict(self) -> dict[str, Any]:
        low, high = wilson(self.hits, self.trials)
        return {"hits": self.hits, "trials": self.trials, "rate": self.rate, "ci95": [low, high]}

    def __str__(self) -> str:
        if not self.trials:
            return "n/a (0 cases)"
        low, high = wilson(self.hits, self.trials)
        return f"{self.hits}/{self.trials} = {self.rate:.1%} (95% CI {low:.0%}–{high:.0%})"


@dataclass(frozen=True)
class IntentScore:
    """Precision and recall of one intent."""

    support: int
    predicted: int
    true_positives: int

    @property
    def precision(self) -> float | None:
        return self.true_positives / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.true_positives / self.support if self.support else None


@dataclass(frozen=True)
class Miss:
    """One case where a field came out wrong."""

    id: str
    field: str
    expected: str | None
    got: str | None
    evidence: str = ""
    confidence: float | None = None


@dataclass
class ReplyReport:
    """How a classifier did on a labelled set; `score` fills it case by case."""

    total: int = 0
    confusion: dict[str, Counter[str]] = field(
        default_factory=lambda: {name: Counter() for name in INTENTS}
    )
    """expected intent -> predicted intent -> count."""
    reasons: dict[str, Rate] = field(default_factory=lambda: {n: Rate() for n in REASONED})
    """Reason accuracy per reasoned intent, over the cases whose intent was right."""
    return_dates: Rate = field(default_factory=Rate)
    """Exact return dates over the out-of-office cases that give one."""
    referral_emails: Rate = field(default_factory=Rate)
    referral_names: Rate = field(default_factory=Rate)
    spurious_referrals: int = 0
    """Replies naming no one to contact for which the classifier named someone."""
    errors: int = 0
    """Cases on which the classifier raised (scored as intent "error")."""
    misses: list[Miss] = field(default_factory=list)

    @property
    def per_intent(self) -> dict[str, IntentScore]:
        predicted = Counter(got for row in self.confusion.values() for got in row.elements())
        return {
            name: IntentScore(sum(row.values()), predicted[name], row[name])
            for name, row in ((name, self.confusion[name]) for name in INTENTS)
        }

    @property
    def accuracy(self) -> Rate:
        return Rate(sum(self.confusion[name][name] for name in INTENTS), self.total)

    def gates(self) -> dict[str, bool]:
        """Return the issue's must-haves: full recall where it matters, exact return dates."""
        checks = {f"{name} recall 1.0": self.per_intent[name].recall == 1.0 for name in MUST_RECALL}
        checks["return dates exact"] = self.return_dates.hits == self.return_dates.trials
        return checks

    def add(self, case: ReplyCase, got: Prediction) -> None:
        """Compare one prediction with its labels."""

        def check(rate: Rate, name: str, want: str | None, have: str | None) -> None:
            if not rate.count(have == want):
                self.misses.append(Miss(case.id, name, want, have, got.evidence, got.confidence))

        self.total += 1
        self.errors += got.intent == "error"
        self.confusion[case.intent][got.intent] += 1
        if got.intent != case.intent:
            check(Rate(), "intent", case.intent, got.intent)
        elif case.intent in REASONED and case.reason is not None:
            check(self.reasons[case.intent], "reason", case.reason, got.reason)
        if case.return_date is not None:
            check(self.return_dates, "return_date", case.return_date.isoformat(), got.return_date)
        elif case.intent == "out_of_office" and got.return_date is not None:
            check(Rate(), "return_date", None, got.return_date)
        if case.referral is None and (got.referral_email or got.referral_name):
            self.spurious_referrals += 1
            check(Rate(), "referral", None, got.referral_email or got.referral_name)
        want = case.referral or Referral()
        if want.email:
            check(self.referral_emails, "referral.email", _clean(want.email), got.referral_email)
        if want.name:
            check(self.referral_names, "referral.name", _clean(want.name), got.referral_name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "accuracy": self.accuracy.to_dict(),
            "per_intent": {
                name: {**asdict(score), "precision": score.precision, "recall": score.recall}
                for name, score in self.per_intent.items()
            },
            "confusion": {name: dict(row) for name, row in self.confusion.items()},
            "reasons": {name: rate.to_dict() for name, rate in self.reasons.items()},
            "return_dates": self.return_dates.to_dict(),
            "referral_emails": self.referral_emails.to_dict(),
            "referral_names": self.referral_names.to_dict(),
            "spurious_referrals": self.spurious_referrals,
            "errors": self.errors,
            "gates": self.gates(),
            "misses": [asdict(miss) for miss in self.misses],
        }

    def to_markdown(self, max_misses: int = 60) -> str:
        lines = ["| intent | support | predicted | precision | recall | recall 95% CI |"]
        lines.append("|---|---:|---:|---:|---:|---|")
        for name, s in self.per_intent.items():
            cells = ["–" if v is None else f"{v:.2f}" for v in (s.precision, s.recall)]
            low, high = wilson(s.true_positives, s.support)
            lines.append(f"| {name} | {s.support} | {s.predicted} | {' | '.join(cells)} "
                         f"| {low:.2f}–{high:.2f} |")  # fmt: skip
        gates = ", ".join(f"{name} {'✓' if ok else '✗'}" for name, ok in self.gates().items())
        lines += [
            "",
            f"- Intent accuracy: {self.accuracy}",
            *(f"- Reason accuracy ({name}): {rate}" for name, rate in self.reasons.items()),
            f"- Return dates exact (out_of_office with a date): {self.return_dates}",
            f"- Referral email exact: {self.referral_emails}; name exact: {self.referral_names}",
            f"- Spurious referrals: {self.spurious_referrals}; classifier errors: {self.errors}",
            f"- Gates: {gates}",
        ]
        wrong = [(n, w, g) for w, row in self.confusion.items() for g, n in row.items() if w != g]
        pairs = [f"{w} → {g} ×{n}" for n, w, g in sorted(wrong, key=lambda t: -t[0])]
        if pairs:
            lines += ["", "Confusions (expected → got): " + ", ".join(pairs)]
        if self.misses:
            lines += ["", "| id | field | expected | got | evidence |", "|---|---|---|---|---|"]
            for m in self.misses[:max_misses]:
                evidence = m.evidence[:80].replace("|", "\\|")
                lines.append(f"| {m.id} | {m.field} | {m.expected} | {m.got} | {evidence} |")
            if len(self.misses) > max_misses:
                lines.append(f"\n… and {len(self.misses) - max_misses} more misses")
        return "\n".join(lines) + "\n"


def _crashed(exc: Exception) -> Prediction:
    """A crash on one reply is a miss, reported, not an abort."""
    return Prediction(intent="error", evidence=f"{type(exc).__name__}: {exc}")


def _predict(classify: Classify, case: ReplyCase) -> Prediction:
    try:
        return Prediction.of(classify(case.subject, case.text, dict(case.headers), case.received))
    except Exception as exc:
        return _crashed(exc)


def score(cases: Iterable[ReplyCase], classify: Classify) -> ReplyReport:
    """Run `classify` on every case and compare each answer with its labels."""
    report = ReplyReport()
    for case in cases:
        report.add(case, _predict(classify, case))
    return report


async def score_async(
    cases: Iterable[ReplyCase], classify: AsyncClassify, *, concurrency: int = 8
) -> ReplyReport:
    """`score` for a classifier that may return an awaitable (the rules plus a model): a few
    cases at once, compared in the set's order all the same."""
    listed, gate = list(cases), asyncio.Semaphore(max(1, concurrency))

    async def predict(case: ReplyCase) -> Prediction:
        async with gate:
            try:
                got = classify(case.subject, case.text, dict(case.headers), case.received)
                return Prediction.of(await got if inspect.isawaitable(got) else got)
            except Exception as exc:
                return _crashed(exc)

    report = ReplyReport()
    for case, got in zip(listed, await asyncio.gather(*map(predict, listed)), strict=True):
        report.add(case, got)
    return report
