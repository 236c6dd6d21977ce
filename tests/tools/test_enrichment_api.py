"""Paid enrichment: facts with their source, and every HTTP problem as a readable error."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.conftest import NOW
from tests.fakes.enrichment_api_fake import EnrichmentApiFake, Fault
from tools.enrichment_api import EnrichmentProvider, PersonQuery, build_enrichment_tool
from tools.facts import FactKind, ResearchResult
from tools.people_data_labs import PeopleDataLabsProvider

KEY = "pdl-test-key-0123456789"
EMAIL = "maya.okafor@northwind-robotics.example"
LINKEDIN = "https://www.linkedin.com/in/maya-okafor-example"
MAYA: dict[str, Any] = {
    "full_name": "Maya Okafor",
    "job_title": "VP Engineering",
    "job_company_name": "Northwind Robotics",
    "job_company_website": "northwind-robotics.example",
    "job_company_industry": "computer software",
    "job_company_size": "51-200",
    "job_start_date": "2024-03",
    "location_name": "Oakland, California, United States",
    "linkedin_url": "linkedin.com/in/maya-okafor-example",
    "skills": ["leadership", "python", "Kubernetes", "team building", "amazon web services", "go"],
    "experience": [
        {"company": {"name": "Northwind Robotics"}, "title": {"name": "VP Engineering"}}
    ],
}


@pytest.fixture
def api() -> Iterator[EnrichmentApiFake]:
    with EnrichmentApiFake({EMAIL: MAYA, LINKEDIN: MAYA}, api_key=KEY) as fake:
        yield fake


def make_provider(api: EnrichmentApiFake, **overrides: Any) -> PeopleDataLabsProvider:
    options: dict[str, Any] = {
        "api_key": KEY,
        "base_url": api.base_url,
        "timeout_s": 2.0,
        "max_retries": 2,
        "backoff_s": 0.0,
        "clock": lambda: NOW,
    }
    return PeopleDataLabsProvider(**{**options, **overrides})


@pytest.fixture
async def provider(api: EnrichmentApiFake) -> AsyncIterator[PeopleDataLabsProvider]:
    async with make_provider(api) as provider:
        yield provider


async def enrich(provider: PeopleDataLabsProvider, **query: str) -> ResearchResult:
    return await provider.enrich_person(PersonQuery(**query))


async def test_a_match_becomes_sourced_profile_company_and_technology_facts(
    api: EnrichmentApiFake, provider: PeopleDataLabsProvider
) -> None:
    result = await enrich(provider, email=EMAIL)

    assert result.errors == []
    assert [(f.kind, f.text) for f in result.facts] == [
        (
            FactKind.PROFILE,
            "Maya Okafor is VP Engineering at Northwind Robotics (People Data Labs)",
        ),
        (
            FactKind.PROFILE,
            "Maya Okafor started as VP Engineering at Northwind Robotics in March 2024 (People Data Labs)",
        ),
        (
            FactKind.PROFILE,
            "Maya Okafor is based in Oakland, California, United States (People Data Labs)",
        ),
        (FactKind.COMPANY, "Northwind Robotics: industry computer software, 51-200 employees"),
        (
            FactKind.TECHNOLOGY,
            "Maya Okafor lists Python, Kubernetes, AWS, Go among their skills (People Data Labs)",
        ),
    ]
    role, _, _, company, tech = result.facts
    assert role.attributes == {
        "likelihood": 9,
        "job_title": "VP Engineering",
        "company": "Northwind Robotics",
        "job_start_date": "2024-03",
        "linkedin_url": "linkedin.com/in/maya-okafor-example",
    }
    assert company.attributes["size"] == "51-200"
    assert company.attributes["website"] == "northwind-robotics.example"
    assert tech.attributes["technologies"] == ["Python", "Kubernetes", "AWS", "Go"]

    source = f"{api.base_url}/v5/person/enrich?email=maya.okafor%40northwind-robotics.example"
    for fact in result.facts:
        assert fact.tool == "enrichment:peopledatalabs"
        assert fact.source_url.startswith(source)
        assert KEY not in fact.source_url
        assert fact.retrieved_at == NOW
        assert fact.attributes["likelihood"] == 9

    (request,) = api.requests
    assert request.path == "/v5/person/enrich"
    assert request.query == {
        "email": EMAIL,
        "min_likelihood": "6",
        "titlecase": "true",
    }
    assert request.headers["x-api-key"] == KEY
    assert "api_key" not in request.query


async def test_fact_ids_are_stable_across_calls_and_days(api: EnrichmentApiFake) -> None:
    ids: list[list[str]] = []
    for day in (NOW, NOW + timedelta(days=3)):
        async with make_provider(api, clock=lambda d=day: d) as provider:
            # The address's case must not mint new ids either.
            result = await enrich(provider, email=EMAIL.upper() if ids else EMAIL)
        ids.append([fact.id for fact in result.facts])
    assert ids[0] == ids[1]
    assert len(set(ids[0])) == 5 and all(i.startswith("f_") for i in ids[0])


async def test_looks_up_by_linkedin_url_or_name_and_company(
    api: EnrichmentApiFake, provider: PeopleDataLabsProvider
) -> None:
    by_profile = await enrich(provider, linkedin_url=LINKEDIN)
    by_name = await enrich(provider, name="maya okafor", company="Northwind Robotics")
    assert len(by_profile.facts) == len(by_name.facts) == 5
    assert api.requests[0].query["profile"] == LINKEDIN
    assert api.requests[1].query["name"] == "maya okafor"
    # The API's spelling wins over a differently-cased query.
    assert by_name.facts[0].text.startswith("Maya Okafor is VP Engineering")


async def test_no_match_is_an_empty_result_not_an_error(
    api: EnrichmentApiFake, provider: PeopleDataLabsProvider
) -> None:
    result = await enrich(provider, email="nobody@unknown.example")
    assert result == ResearchResult()
    assert len(api.requests) == 1


async def test_a_low_likelihood_match_is_treated_as_no_match() -> None:
    with EnrichmentApiFake({EMAIL: MAYA}, api_key=KEY, likelihood=4) as api:
        async with make_provider(api) as provider:
            assert await enrich(provider, email=EMAIL) == ResearchResult()


async def test_a_rejected_key_is_reported_once_without_retries(api: EnrichmentApiFake) -> None:
    async with make_provider(api, api_key="wrong-key") as provider:
        result = await enrich(provider, email=EMAIL)
    assert result.facts == []
    (error,) = result.errors
    assert error.message == "People Data Labs: API key rejected (HTTP 401: Invalid API key)"
    assert error.tool == "enrichment:peopledatalabs"
    assert error.url.startswith(f"{api.base_url}/v5/person/enrich?email=")
    assert "wrong-key" not in error.url
    assert len(api.requests) == 1


async def test_a_forbidden_key_is_also_a_rejected_key(
    api: EnrichmentApiFake, provider: PeopleDataLabsProvider
) -> None:
    api.fail_next(Fault.error(403, "forbidden", "Key lacks access to this endpoint"))
    (error,) = (await enrich(provider, email=EMAIL)).errors
    assert "API key rejected (HTTP 403: Key lacks access" in error.message


async def test_exhausted_credits_say_so(
    api: EnrichmentApiFake, provider: PeopleDataLabsProvider
) -> None:
    api.fail_next(Fault.error(402, "payment_required", "You have hit your account maximum"))
    (error,) = (await enrich(provider, email=EMAIL)).errors
    assert error.message == (
        "People Data Labs: credits exhausted (HTTP 402: You have hit your account maximum)"
    )
    assert len(api.requests) == 1


async def test_a_refused_query_is_reported_without_retries(
    api: EnrichmentApiFake, provider: PeopleDataLabsProvider
) -> None:
    api.fail_next(Fault.error(400, "invalid_request_error", "Bad profile value"))
    (error,) = (await enrich(provider, linkedin_url="not a profile")).errors
    assert error.message == "People Data Labs: refused the query (HTTP 400: Bad profile value)"
    assert len(api.requests) == 1


async def test_rate_limit_is_retried_after_retry_after(
    api: EnrichmentApiFake, provider: PeopleDataLabsProvider
) -> None:
    api.fail_next(Fault.rate_limited(retry_after="0"))
    result = await enrich(provider, email=EMAIL)
    assert result.errors == [] and len(result.facts) == 5
    assert len(api.requests) == 2


async def test_a_persistent_rate_limit_ends_in_an_error(
    api: EnrichmentApiFake, provider: PeopleDataLabsProvider
) -> None:
    api.fail_next(Fault.rate_limited(retry_after=None), times=3)
    (error,) = (await enrich(provider, email=EMAIL)).errors
    assert error.message == "People Data Labs: rate limited (HTTP 429) after 3 attempts"
    assert len(api.requests) == 3


async def test_a_retry_after_beyond_the_limit_is_not_waited_for(api: EnrichmentApiFake) -> None:
    api.fail_next(Fault.rate_limited(retry_after="3600"))
    async with make_provider(api, max_retry_after_s=5) as provider:
        (error,) = (await enrich(provider, email=EMAIL)).errors
    assert error.message == (
        "People Data Labs: rate limited (HTTP 429); asked to wait 3600 s, over our 5 s limit"
    )
    assert len(api.requests) == 1


async def test_server_errors_are_retried_then_reported(
    api: EnrichmentApiFake, provider: PeopleDataLabsProvider
) -> None:
    api.fail_next(Fault.server_error(500), times=10)
    result = await enrich(provider, email=EMAIL)
    assert result.facts == []
    assert [e.message for e in result.errors] == ["People Data Labs: HTTP 500 after 3 attempts"]
    assert len(api.requests) == 3


async def test_a_passing_server_error_is_retried_away(
    api: EnrichmentApiFake, provider: PeopleDataLabsProvider
) -> None:
    api.fail_next(Fault.server_error(503), times=2)
    result = await enrich(provider, email=EMAIL)
    assert result.errors == [] and len(result.facts) == 5
    assert len(api.requests) == 3


async def test_a_slow_answer_times_out_into_an_error(api: EnrichmentApiFake) -> None:
    api.fail_next(Fault.slow(2.0), times=2)
    async with make_provider(api, timeout_s=0.2, max_retries=1) as provider:
        (error,) = (await enrich(provider, email=EMAIL)).errors
    assert error.message == "People Data Labs: no answer within 0.2 s after 2 attempts"
    assert len(api.requests) == 2


async def test_a_timeout_is_retried(api: EnrichmentApiFake) -> None:
    # The retry must be answered within the same budget, so the budget is not a tight one.
    api.fail_next(Fault.slow(10.0))
    async with make_provider(api, timeout_s=1.0, max_retries=1) as provider:
        result = await enrich(provider, email=EMAIL)
    assert result.errors == [] and len(result.facts) == 5
    assert len(api.requests) == 2


async def test_a_closed_port_is_a_connection_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider = PeopleDataLabsProvider(
        api_key=KEY, base_url=f"http://127.0.0.1:{port}", max_retries=1, backoff_s=0.0
    )
    async with provider:
        (error,) = (await enrich(provider, email=EMAIL)).errors
    assert error.message.startswith("People Data Labs: could not connect (")
    assert error.message.endswith("after 2 attempts")


async def test_malformed_json_is_an_error(
    api: EnrichmentApiFake, provider: PeopleDataLabsProvider
) -> None:
    api.fail_next(Fault.malformed())
    (error,) = (await enrich(provider, email=EMAIL)).errors
    assert error.message == "People Data Labs: answered with malformed JSON"
    assert len(api.requests) == 1


async def test_json_without_a_record_is_an_error(
    api: EnrichmentApiFake, provider: PeopleDataLabsProvider
) -> None:
    api.fail_next(Fault(status=200, body=b'{"status": 200, "likelihood": 8, "data": null}'))
    (error,) = (await enrich(provider, email=EMAIL)).errors
    assert error.message == "People Data Labs: answered without a person record"


async def test_fields_hidden_by_the_plan_or_missing_make_no_facts() -> None:
    # PDL answers `true` for fields the plan does not include; they are not text.
    sparse = {"full_name": "Ada Lin", "job_title": True, "location_name": None, "skills": True}
    with EnrichmentApiFake({"ada@example.test": sparse}, api_key=KEY) as api:
        async with make_provider(api) as provider:
            assert await enrich(provider, email="ada@example.test") == ResearchResult()


async def test_concurrent_leads_share_one_provider(
    api: EnrichmentApiFake, provider: PeopleDataLabsProvider
) -> None:
    results = await asyncio.gather(*(enrich(provider, email=EMAIL) for _ in range(20)))
    assert all(len(r.facts) == 5 for r in results)
    assert len(api.requests) == 20


async def test_a_given_client_is_used_and_left_open(api: EnrichmentApiFake) -> None:
    async with httpx.AsyncClient() as client:
        async with make_provider(api, client=client) as provider:
            assert len((await enrich(provider, email=EMAIL)).facts) == 5
        assert not client.is_closed


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"api_key": "  "}, "needs an API key"),
        ({"base_url": "api.peopledatalabs.com"}, "must be an http(s) URL"),
        ({"max_retries": -1}, "cannot be negative"),
    ],
)
def test_misconfiguration_fails_at_construction(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        PeopleDataLabsProvider(**{"api_key": KEY, **options})


def test_the_provider_satisfies_the_protocol() -> None:
    provider: EnrichmentProvider = PeopleDataLabsProvider(api_key=KEY)
    assert provider.name == "peopledatalabs"


async def test_the_tool_exposes_optional_identifiers_and_returns_json(
    api: EnrichmentApiFake, provider: PeopleDataLabsProvider
) -> None:
    tool = build_enrichment_tool(provider)
    assert tool.name == "enrich_person_via_api"
    assert set(tool.args) == {"email", "linkedin_url", "name", "company"}
    assert tool.get_input_jsonschema().get("required", []) == []
    assert "credits" in tool.description and "cite fact ids" in tool.description

    output = await tool.ainvoke({"email": EMAIL, "linkedin_url": "", "name": ""})
    assert output["errors"] == []
    assert output["facts"][0]["kind"] == "profile"
    assert output["facts"][0]["retrieved_at"] == NOW.isoformat().replace("+00:00", "Z")
    assert output["facts"][0]["tool"] == "enrichment:peopledatalabs"
    assert output == ResearchResult.model_validate(output).model_dump(mode="json")
    assert "profile" not in api.requests[0].query  # blank arguments are not sent


async def test_the_tool_explains_missing_identifiers_without_calling_the_api(
    api: EnrichmentApiFake, provider: PeopleDataLabsProvider
) -> None:
    tool = build_enrichment_tool(provider)
    output = await tool.ainvoke({"name": "Maya Okafor"})
    assert output["facts"] == []
    assert output["errors"] == [
        {
            "tool": "enrichment:peopledatalabs",
            "url": "enrich_person_via_api",
            "message": "give an email, a linkedin_url, or both name and company to identify "
            "the person",
        }
    ]
    assert api.requests == []


async def test_the_tool_reports_http_errors_as_output(api: EnrichmentApiFake) -> None:
    api.fail_next(Fault.error(402, "payment_required", "Out of credits"))
    async with make_provider(api) as provider:
        output = await build_enrichment_tool(provider).ainvoke({"email": EMAIL})
    assert "credits exhausted" in output["errors"][0]["message"]


@pytest.mark.parametrize(
    "fields",
    [
        {"email": "Maya@Example.TEST"},
        {"linkedin_url": "linkedin.com/in/maya"},
        {"name": "Maya Okafor", "company": "Northwind Robotics"},
        {"email": "maya@example.test", "name": "Maya Okafor"},
    ],
)
def test_person_query_accepts_identifying_combinations(fields: dict[str, str]) -> None:
    query = PersonQuery(**fields)
    if query.email:
        assert query.email == query.email.lower()


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"name": "Maya Okafor"},
        {"company": "Northwind Robotics"},
        {"email": "   ", "linkedin_url": "", "name": "Maya Okafor", "company": " "},
    ],
)
def test_person_query_needs_enough_to_identify_someone(fields: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="give an email, a linkedin_url, or both name and company"):
        PersonQuery(**fields)


def test_person_query_rejects_something_that_is_not_an_email() -> None:
    with pytest.raises(ValueError, match="'maya at example' is not an email address"):
        PersonQuery(email="maya at example")
