"""People Data Labs: enrich a lead through /v5/person/enrich into citable facts."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Mapping
from datetime import datetime
from types import TracebackType
from typing import Any

import httpx

from tools.enrichment_api import PersonQuery
from tools.facts import Fact, FactKind, ResearchError, ResearchResult, make_fact, utc_now
from tools.page_fetch import DEFAULT_USER_AGENT
from tools.tls_context import shared_tls_context

Clock = Callable[[], datetime]

PDL_BASE_URL = "https://api.peopledatalabs.com"
PDL_ENRICH_PATH = "/v5/person/enrich"
PDL_SOURCE_LABEL = "People Data Labs"
# PDL scores matches 1-10 (logarithmic); below 6 the record is too often someone else, and a
# wrong person's job title in an email is worse than no enrichment.
MIN_LIKELIHOOD = 6
MAX_TECHNOLOGIES = 8
_MESSAGE_CHARS = 200
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# PDL skills are free text ("leadership", "python", "saas"); only these count as technologies,
# mapped to the spelling a seller would write.
_TECHNOLOGY_SKILLS: dict[str, str] = {
    "python": "Python", "java": "Java", "javascript": "JavaScript", "typescript": "TypeScript",
    "go": "Go", "golang": "Go", "rust": "Rust", "kotlin": "Kotlin", "swift": "Swift",
    "scala": "Scala", "c++": "C++", "c#": "C#", "ruby": "Ruby", "ruby on rails": "Ruby on Rails",
    "elixir": "Elixir", "react": "React", "node.js": "Node.js", "nodejs": "Node.js",
    "kubernetes": "Kubernetes", "docker": "Docker", "terraform": "Terraform",
    "aws": "AWS", "amazon web services": "AWS", "amazon web services (aws)": "AWS",
    "google cloud": "Google Cloud", "google cloud platform": "Google Cloud", "gcp": "Google Cloud",
    "azure": "Azure", "microsoft azure": "Azure", "linux": "Linux",
    "postgresql": "PostgreSQL", "postgres": "PostgreSQL", "mysql": "MySQL",
    "kafka": "Kafka", "apache kafka": "Kafka", "spark": "Spark", "apache spark": "Spark",
    "snowflake": "Snowflake", "github actions": "GitHub Actions", "gitlab": "GitLab",
    "jenkins": "Jenkins", "circleci": "CircleCI", "bazel": "Bazel",
    "salesforce": "Salesforce", "hubspot": "HubSpot",
}  # fmt: skip


class PeopleDataLabsProvider:
    """Enrich people through People Data Labs' /v5/person/enrich endpoint."""

    name: str = "peopledatalabs"

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str = PDL_BASE_URL,
        client: httpx.AsyncClient | None = None,
        timeout_s: float = 10.0,
        max_retries: int = 2,
        backoff_s: float = 0.5,
        max_retry_after_s: float = 30.0,
        clock: Clock = utc_now,
    ) -> None:
        """Configure the provider; the HTTP client is created on first use unless given."""
        if not api_key.strip():
            raise ValueError("People Data Labs needs an API key")
        endpoint = httpx.URL(base_url.rstrip("/") + PDL_ENRICH_PATH)
        if endpoint.scheme not in ("http", "https") or not endpoint.host:
            raise ValueError(f"People Data Labs base_url must be an http(s) URL, not {base_url!r}")
        if max_retries < 0:
            raise ValueError("max_retries cannot be negative")
        self._api_key = api_key.strip()
        self._endpoint = endpoint
        self._client = client
        self._owns_client = client is None
        self._timeout_s = timeout_s
        self._max_retries = max_retries
        self._backoff_s = backoff_s
        self._max_retry_after_s = max_retry_after_s
        self._clock = clock

    @property
    def tool(self) -> str:
        """Return the tool name stamped on facts and errors."""
        return f"enrichment:{self.name}"

    def request_url(self, query: PersonQuery) -> str:
        """Return the request URL for a query; the key travels in a header, never in it."""
        return str(self._endpoint.copy_merge_params(self._params(query)))

    async def enrich_person(self, query: PersonQuery) -> ResearchResult:
        """Look the person up and return facts; HTTP problems come back as errors."""
        url = self.request_url(query)
        outcome = await self._get(url)
        if isinstance(outcome, str):
            return self._failure(url, outcome)
        status = outcome.status_code
        if status == 404:
            # No match (or none at MIN_LIKELIHOOD): an empty result, not an error, because an
            # unknown person is a normal outcome and nothing was charged or went wrong.
            return ResearchResult()
        if status in (401, 403):
            return self._failure(url, f"API key rejected (HTTP {status}{_detail(outcome)})")
        if status == 402:
            return self._failure(url, f"credits exhausted (HTTP 402{_detail(outcome)})")
        if status != 200:
            return self._failure(url, f"refused the query (HTTP {status}{_detail(outcome)})")
        try:
            body = outcome.json()
        except ValueError:
            # Not retried: a 200 is a billed match, and asking again could pay for it twice.
            return self._failure(url, "answered with malformed JSON")
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            return self._failure(url, "answered without a person record")
        likelihood = body.get("likelihood")
        facts = _person_facts(
            data,
            query=query,
            likelihood=likelihood if isinstance(likelihood, int) else None,
            source_url=url,
            tool=self.tool,
            retrieved_at=self._clock(),
        )
        return ResearchResult(facts=facts)

    async def aclose(self) -> None:
        """Close the HTTP client if this provider created it."""
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    async def __aenter__(self) -> PeopleDataLabsProvider:
        """Return the provider; its client is closed on exit."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the client this provider created."""
        await self.aclose()

    def _params(self, query: PersonQuery) -> tuple[tuple[str, str], ...]:
        # Fixed order, so the same query always yields the same URL and the same fact ids.
        params: list[tuple[str, str]] = []
        if query.email:
            params.append(("email", query.email))
        if query.linkedin_url:
            params.append(("profile", query.linkedin_url))
        if query.name:
            params.append(("name", query.name))
        if query.company:
            params.append(("company", query.company))
        params.append(("min_likelihood", str(MIN_LIKELIHOOD)))
        # PDL lower-cases every string unless asked; fact text is quoted back to the lead.
        params.append(("titlecase", "true"))
        return tuple(params)

    def _get_client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self._timeout_s, verify=shared_tls_context())
        return self._client

    async def _get(self, url: str) -> httpx.Response | str:
        """Return the first response worth interpreting, or why none came."""
        client = self._get_client()
        headers = {
            "X-Api-Key": self._api_key,
            "Accept": "application/json",
            "User-Agent": DEFAULT_USER_AGENT,
        }
        attempts = self._max_retries + 1
        problem = "no answer"
        for attempt in range(attempts):
            wait = self._backoff_s * 2**attempt
            try:
                response = await client.get(url, headers=headers, timeout=self._timeout_s)
            except httpx.TimeoutException:
                problem = f"no answer within {self._timeout_s:g} s"
            except httpx.ConnectError as exc:
                problem = f"could not connect ({exc})"
            except httpx.TransportError as exc:
                problem = f"connection failed ({type(exc).__name__}: {exc})"
            except httpx.HTTPError as exc:
                return f"unreadable answer ({type(exc).__name__}: {exc})"
            else:
                status = response.status_code
                if status != 429 and status < 500:
                    return response
                # 429 and 5xx are not charged (PDL bills per match), so retrying costs nothing.
                problem = "rate limited (HTTP 429)" if status == 429 else f"HTTP {status}"
                retry_after = _retry_after_s(response)
                if retry_after is not None:
                    if retry_after > self._max_retry_after_s:
                        limit = f"{self._max_retry_after_s:g} s"
                        return f"{problem}; asked to wait {retry_after:g} s, over our {limit} limit"
                    wait = retry_after
            if attempt < attempts - 1:
                await asyncio.sleep(wait)
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        return f"{problem} after {tries}"

    def _failure(self, url: str, message: str) -> ResearchResult:
        error = ResearchError(tool=self.tool, url=url, message=f"{PDL_SOURCE_LABEL}: {message}")
        return ResearchResult(errors=[error])


def _person_facts(
    data: Mapping[str, Any],
    *,
    query: PersonQuery,
    likelihood: int | None,
    source_url: str,
    tool: str,
    retrieved_at: datetime,
) -> list[Fact]:
    """Turn one PDL person record into facts."""
    base: dict[str, str | int | list[str]] = (
        {} if likelihood is None else {"likelihood": likelihood}
    )
    name = _prefer_query(query.name, _text(data, "full_name")) or "This person"
    company = _prefer_query(query.company, _text(data, "job_company_name"))
    title = _text(data, "job_title")
    start = _text(data, "job_start_date")
    location = _text(data, "location_name")
    industry = _text(data, "job_company_industry")
    size = _text(data, "job_company_size")
    website = _text(data, "job_company_website")
    linkedin = _text(data, "linkedin_url")
    at_company = f" at {company}" if company else ""

    facts: list[Fact] = []

    def add(kind: FactKind, text: str, **attributes: str | list[str] | None) -> None:
        extra = {key: value for key, value in attributes.items() if value}
        facts.append(
            make_fact(
                kind=kind,
                text=text,
                source_url=source_url,
                tool=tool,
                retrieved_at=retrieved_at,
                attributes={**base, **extra},
            )
        )

    if title:
        add(
            FactKind.PROFILE,
            f"{name} is {title}{at_company} ({PDL_SOURCE_LABEL})",
            job_title=title,
            company=company,
            job_start_date=start,
            linkedin_url=linkedin,
        )
        started = _month_year(start)
        # Its own fact because models see fact text, not attributes: a date they may quote
        # must be in a text they can cite.
        if started:
            add(
                FactKind.PROFILE,
                f"{name} started as {title}{at_company} in {started} ({PDL_SOURCE_LABEL})",
                job_title=title,
                company=company,
                job_start_date=start,
            )
    if location:
        add(
            FactKind.PROFILE,
            f"{name} is based in {location} ({PDL_SOURCE_LABEL})",
            location=location,
        )
    if company and (industry or size):
        parts = [f"industry {industry}" if industry else "", f"{size} employees" if size else ""]
        add(
            FactKind.COMPANY,
            f"{company}: {', '.join(p for p in parts if p)}",
            company=company,
            industry=industry,
            size=size,
            website=website,
        )
    technologies = _technologies(data.get("skills"))
    if technologies:
        add(
            FactKind.TECHNOLOGY,
            f"{name} lists {', '.join(technologies)} among their skills ({PDL_SOURCE_LABEL})",
            technologies=technologies,
        )
    return facts


def _text(data: Mapping[str, Any], key: str) -> str | None:
    """Return a field as clean text, or None when missing."""
    value = data.get(key)
    # Fields outside the account's plan come back as `true` ("we have it"): not text.
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _prefer_query(asked: str | None, found: str | None) -> str | None:
    """Return the caller's spelling when it names the same thing as the API's, unless lower-case."""
    # A lead file's "IBM" beats the API's title-cased "Ibm"; a model's "maya okafor" does not.
    if asked and found and asked.casefold() == found.casefold() and asked != asked.lower():
        return asked
    return found or asked


def _month_year(value: str | None) -> str | None:
    """Return 'March 2024' for '2024-03' or '2024-03-15', '2024' for '2024', else None."""
    if not value:
        return None
    parts = value.split("-")
    if not parts[0].isdigit() or len(parts[0]) != 4:
        return None
    if len(parts) == 1:
        return parts[0]
    if parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return None


def _technologies(skills: object) -> list[str]:
    """Return the skills that are technologies, in the API's order, without repeats."""
    if not isinstance(skills, list):
        return []
    found: list[str] = []
    for skill in skills:
        if isinstance(skill, str):
            tech = _TECHNOLOGY_SKILLS.get(" ".join(skill.lower().split()))
            if tech and tech not in found:
                found.append(tech)
    return found[:MAX_TECHNOLOGIES]


def _retry_after_s(response: httpx.Response) -> float | None:
    """Return Retry-After in seconds; an HTTP-date form is ignored (backoff applies)."""
    value = response.headers.get("retry-after", "").strip()
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _detail(response: httpx.Response) -> str:
    """Return ': <PDL error message>' when the body carries one, else ''."""
    try:
        body = response.json()
    except ValueError:
        return ""
    error = body.get("error") if isinstance(body, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    if not isinstance(message, str) or not message.strip():
        return ""
    return f": {' '.join(message.split())[:_MESSAGE_CHARS]}"
