"""One segment rule: conditions over a lead's fields and facts, compiled once into checks.

A rule is a mapping of field to values; every field must hold (and), any value of a list may
(or). `exclude:` holds fields that must not hold:

    {title: [CTO, VP Engineering], company_size: 50-500, trigger: funding, within_days: 90,
     exclude: {industry: [agency]}}

Each compiled check returns what matched, in words ("title contains 'vp engineering'"), or
None, so a placement says which rule put the lead where it is. A field this module does not
know is a `RuleError` naming it, with the fields that exist.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from agent.planning.prospects import Prospect, parse_company_size
from agent.planning.seniority import SENIORITIES
from agent.planning.signals import TRIGGERS, canonical_trigger

Check = Callable[[Prospect], str | None]
MAX_VALUES = 200
"""Values one field of a rule may list."""
MAX_VALUE_CHARS = 200
MAX_WITHIN_DAYS = 3650
DEFAULT_WITHIN_DAYS = 365
"""A trigger older than a year is no reason to write now, unless a rule says otherwise."""

FIELDS: dict[str, str] = {
    "title": "keywords in the job title",
    "seniority": f"levels: {', '.join(SENIORITIES)}",
    "industry": "keywords in the industry (the lead's, else what research found)",
    "company": "keywords in the company name",
    "company_size": "employees: a range like 50-500, 1000+, or {min, max}",
    "country": "countries as the lead's country column writes them (DE, Germany, ...)",
    "language": "languages: en, es, fr, de",
    "keywords": "keywords in the lead's researched facts",
    "trigger": f"trigger events among the facts: {', '.join(TRIGGERS)}",
    "within_days": f"with trigger: only events at most this many days old ({DEFAULT_WITHIN_DAYS})",
    "column.NAME": "values of one of the lead file's other columns",
    "exclude": "a mapping of the same fields that must not hold",
}
"""The fields a rule may name, and what each takes (shown when a rule names another)."""
ALIASES = {
    "titles": "title", "industries": "industry", "countries": "country", "facts": "keywords",
    "facts_mention": "keywords", "triggers": "trigger", "size": "company_size",
    "employees": "company_size", "seniorities": "seniority", "languages": "language",
}  # fmt: skip


class RuleError(ValueError):
    """A rule that cannot be checked; `field` names the field at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(f"field {field!r}: {message}")
        self.field = field


@dataclass(frozen=True, slots=True)
class Rule:
    """A compiled rule: every check must say what matched, and no exclusion may."""

    number: int
    checks: tuple[Check, ...]
    exclusions: tuple[Check, ...]
    text: str
    """The rule as written, for reports ("title: CTO, VP Engineering; trigger: funding")."""

    def match(self, prospect: Prospect) -> str | None:
        """Return what placed the prospect ("title contains 'cto'; funding 12 days ago")."""
        reasons = []
        for check in self.checks:
            found = check(prospect)
            if found is None:
                return None
            reasons.append(found)
        for check in self.exclusions:
            if check(prospect) is not None:
                return None
        return "; ".join(reasons) if reasons else "every lead (the rule has no conditions)"


def _values(field: str, raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise RuleError(field, "lists no values")
    if len(items) > MAX_VALUES:
        raise RuleError(field, f"lists {len(items)} values, at most {MAX_VALUES}")
    values = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise RuleError(field, f"{shown(item)} is not a word or a number")
        text = str(item).strip()
        if not text:
            raise RuleError(field, "has an empty value")
        if len(text) > MAX_VALUE_CHARS:
            raise RuleError(field, f"a value is {len(text)} characters, at most {MAX_VALUE_CHARS}")
        values.append(text)
    return values


def shown(value: Any) -> str:
    """Return a value as a message repeats it: its repr, cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _words(values: Sequence[str]) -> re.Pattern[str]:
    """One pattern for any of the values as whole words, case-insensitively ('CI' not in
    'social')."""
    alternatives = "|".join(re.escape(v.lower()) for v in sorted(values, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _contains(label: str, values: Sequence[str], read: Callable[[Prospect], str]) -> Check:
    pattern = _words(values)

    def check(prospect: Prospect) -> str | None:
        found = pattern.search(read(prospect))
        return f"{label} contains {found.group(0)!r}" if found else None

    return check


def _one_of(label: str, values: Sequence[str], read: Callable[[Prospect], str | None]) -> Check:
    wanted = {v.lower() for v in values}

    def check(prospect: Prospect) -> str | None:
        value = read(prospect)
        return f"{label} is {value}" if value is not None and value in wanted else None

    return check


def _seniority(values: Sequence[str]) -> Check:
    levels = []
    for value in values:
        level = value.lower().replace("-", "_").replace(" ", "_")
        if level not in SENIORITIES:
            raise RuleError(
                "seniority", f"{shown(value)} is no level; levels: {', '.join(SENIORITIES)}"
            )
        levels.append(level)
    return _one_of("seniority", levels, lambda p: p.seniority)


def _country(values: Sequence[str]) -> Check:
    pattern = _words(values)
    written = {v.lower(): v for v in values}

    def check(prospect: Prospect) -> str | None:
        found = pattern.search(prospect.country) if prospect.country else None
        return f"country is {written[found.group(0)]}" if found else None

    return check


def _size_range(raw: Any) -> tuple[int, int | None]:
    if isinstance(raw, Mapping):
        unknown = set(raw) - {"min", "max"}
        if unknown:
            raise RuleError(
                "company_size", f"takes min and max, not {', '.join(map(str, unknown))}"
            )
        low, high = raw.get("min") or 0, raw.get("max")
        for bound in (low, high):
            if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int)):
                raise RuleError("company_size", f"{shown(bound)} is not a whole number")
        if high is not None and high < low:
            raise RuleError("company_size", f"max {high} is below min {low}")
        return int(low), high
    if isinstance(raw, str) and raw.strip().startswith("<"):
        size = parse_company_size(raw.strip()[1:])
        if size is not None:
            return 0, size.low - 1
    size = parse_company_size(raw) if isinstance(raw, str | int) else None
    if size is None:
        raise RuleError("company_size", f"{shown(raw)} is not a size like 50-500 or 1000+")
    return size.low, size.high


def _company_size(raw: Any) -> Check:
    low, high = _size_range(raw)
    shown = f"{low}+" if high is None else f"{low}-{high}"

    def check(prospect: Prospect) -> str | None:
        size = prospect.company_size
        if size is None:
            return None
        estimate = size.estimate
        if estimate >= low and (high is None or estimate <= high):
            return f"company size {size.label} within {shown}"
        return None

    return check


def _trigger(values: Sequence[str], within_days: int) -> Check:
    kinds: set[str] = set()
    for value in values:
        kind = canonical_trigger(value)
        if kind is None and value.strip().lower() not in ("any", "news"):
            raise RuleError(
                "trigger", f"{shown(value)} is no trigger; triggers: {', '.join(TRIGGERS)}"
            )
        kinds.update(TRIGGERS if kind is None or kind == "any" else (kind,))

    def check(prospect: Prospect) -> str | None:
        for signal in prospect.signals:  # freshest first
            if signal.kind in kinds and (signal.age_days or 0) <= within_days:
                return f"{signal.kind.replace('_', ' ')} {signal.age_text()}"
        return None

    return check


def _within_days(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= MAX_WITHIN_DAYS:
        raise RuleError(
            "within_days", f"{shown(raw)} is not a number of days (0-{MAX_WITHIN_DAYS})"
        )
    return raw


def _column(name: str, values: Sequence[str]) -> Check:
    key = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    wanted = {v.lower() for v in values}

    def check(prospect: Prospect) -> str | None:
        value = prospect.columns.get(key)
        return f"{key} is {value}" if value is not None and value in wanted else None

    return check


def suggestion(name: str) -> str:
    """Return ' (did you mean ...?)' for a misspelt field name, or ''."""
    close = difflib.get_close_matches(name, [*FIELDS, *ALIASES], n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _field_order(item: tuple[Any, Any]) -> tuple[int, str]:
    """Checks in one order whatever order the mapping came in (PostgreSQL's JSON reorders
    keys), so a placement reads the same on every database."""
    key = str(item[0])
    field = ALIASES.get(key, key)
    names = list(FIELDS)
    return (names.index(field) if field in names else len(names), key)


def compile_checks(raw: Mapping[str, Any], *, allow_exclude: bool = True) -> list[Check]:
    """Compile a mapping of fields into checks; RuleError names the first field at fault."""
    checks: list[Check] = []
    within = DEFAULT_WITHIN_DAYS
    if "within_days" in raw:
        if not any(ALIASES.get(k, k) == "trigger" for k in raw):
            raise RuleError("within_days", "needs a trigger field beside it")
        within = _within_days(raw["within_days"])
    for key, value in sorted(raw.items(), key=_field_order):
        if not isinstance(key, str):
            raise RuleError(str(key), "is not a field name")
        field = ALIASES.get(key, key)
        if field in ("within_days", "exclude"):
            continue
        if field.startswith("column."):
            checks.append(_column(field.removeprefix("column."), _values(field, value)))
        elif field == "title":
            checks.append(_contains("title", _values(field, value), lambda p: p.title_words))
        elif field == "industry":
            checks.append(_contains("industry", _values(field, value), lambda p: p.industry))
        elif field == "company":
            checks.append(_contains("company", _values(field, value), lambda p: p.company.lower()))
        elif field == "keywords":
            checks.append(_contains("facts", _values(field, value), lambda p: p.fact_text))
        elif field == "seniority":
            checks.append(_seniority(_values(field, value)))
        elif field == "country":
            checks.append(_country(_values(field, value)))
        elif field == "language":
            checks.append(_one_of("language", _values(field, value), lambda p: p.language))
        elif field == "company_size":
            checks.append(_company_size(value))
        elif field == "trigger":
            checks.append(_trigger(_values(field, value), within))
        else:
            known = ", ".join(FIELDS)
            raise RuleError(
                key[:80], f"is not a field a rule can use{suggestion(key[:80])}; fields: {known}"
            )
    if "exclude" in raw and not allow_exclude:
        raise RuleError("exclude", "cannot be nested inside exclude")
    return checks


def compile_rule(number: int, raw: Any) -> Rule:
    """Compile one rule (a mapping of fields); RuleError names the field at fault."""
    if not isinstance(raw, Mapping):
        raise RuleError("match", f"{shown(raw)} is not a mapping of fields to values")
    checks = compile_checks(raw)
    excluded = raw.get("exclude") or {}
    if not isinstance(excluded, Mapping):
        raise RuleError("exclude", "must be a mapping of fields to values")
    try:
        exclusions = compile_checks(excluded, allow_exclude=False)
    except RuleError as exc:
        raise RuleError(f"exclude.{exc.field}", str(exc).split(": ", 1)[1]) from None
    return Rule(number, tuple(checks), tuple(exclusions), rule_text(raw))


def rule_text(raw: Mapping[str, Any]) -> str:
    """Return a rule as one line: "title: CTO, VP Engineering; trigger: funding"."""

    def written(value: Any) -> str:
        if isinstance(value, list):
            return ", ".join(map(str, value))
        if isinstance(value, Mapping):
            return "{" + rule_text(value) + "}"
        return str(value)

    items = sorted(raw.items(), key=_field_order)
    return "; ".join(f"{key}: {written(value)}" for key, value in items) or "(any lead)"
