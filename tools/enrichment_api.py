"""The paid-enrichment tool: a person query, the provider protocol, and the tool the model calls.

The provider itself (People Data Labs) is tools/people_data_labs.py.
"""

from __future__ import annotations

from typing import Any, Protocol

from langchain_core.tools import BaseTool
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tools.async_tools import async_tool
from tools.facts import ResearchError, ResearchResult

TOOL_NAME = "enrich_person_via_api"


class PersonQuery(BaseModel):
    """Who to look up: an email, a LinkedIn URL, or a name together with a company."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    email: str | None = None
    linkedin_url: str | None = None
    name: str | None = None
    company: str | None = None

    @field_validator("email", "linkedin_url", "name", "company", mode="before")
    @classmethod
    def _blank_is_missing(cls, value: object) -> object:
        # Models fill optional tool arguments with "" as often as they omit them.
        if isinstance(value, str):
            return " ".join(value.split()) or None
        return value

    @field_validator("email")
    @classmethod
    def _plausible_email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if "@" not in value or " " in value:
            raise ValueError(f"{value!r} is not an email address")
        # Lower-cased so one address gives one request URL, hence the same fact ids.
        return value.lower()

    @model_validator(mode="after")
    def _identifies_someone(self) -> PersonQuery:
        if self.email or self.linkedin_url or (self.name and self.company):
            return self
        raise ValueError(
            "give an email, a linkedin_url, or both name and company to identify the person"
        )


class EnrichmentProvider(Protocol):
    """A paid people-data API that turns a person query into facts."""

    name: str

    async def enrich_person(self, query: PersonQuery) -> ResearchResult:
        """Return facts about the person; HTTP problems come back as errors, never raised."""
        ...


class EnrichPersonArgs(BaseModel):
    """Arguments of enrich_person_via_api."""

    email: str | None = Field(default=None, description="The person's work email address.")
    linkedin_url: str | None = Field(
        default=None, description="The person's LinkedIn profile URL, e.g. linkedin.com/in/jdoe."
    )
    name: str | None = Field(
        default=None, description="The person's full name; only identifies them with company."
    )
    company: str | None = Field(
        default=None, description="The person's employer (name or website); use with name."
    )


def build_enrichment_tool(provider: EnrichmentProvider) -> BaseTool:
    """Return the enrich_person_via_api tool bound to one provider."""

    async def enrich_person_via_api(
        email: str | None = None,
        linkedin_url: str | None = None,
        name: str | None = None,
        company: str | None = None,
    ) -> dict[str, Any]:
        try:
            query = PersonQuery(email=email, linkedin_url=linkedin_url, name=name, company=company)
        except ValidationError as exc:
            # Returned, not raised, so the model reads what to fix and the lead carries on.
            error = ResearchError(
                tool=f"enrichment:{provider.name}", url=TOOL_NAME, message=_explain(exc)
            )
            return ResearchResult(errors=[error]).model_dump(mode="json")
        result = await provider.enrich_person(query)
        return result.model_dump(mode="json")

    return async_tool(
        enrich_person_via_api,
        name=TOOL_NAME,
        description=(
            "Look a person up in a paid people-data API by work email, LinkedIn URL, or name "
            "plus company, and return facts: current title and employer, when they started the "
            "role, where they are based, the company's industry and size, and technologies "
            "among their skills. Each call costs API credits: call it at most once per person, "
            "with every identifier you have, and only when the profile and company pages did "
            "not already give the person's role. Each fact has an id and source; cite fact ids "
            "for anything you say about the person. Returns {facts: [...], errors: [...]}; no "
            "facts and no errors means the person was not found."
        ),
        args_schema=EnrichPersonArgs,
    )


def _explain(exc: ValidationError) -> str:
    """Return a validation failure as one readable sentence."""
    return "; ".join(str(error["msg"]).removeprefix("Value error, ") for error in exc.errors())
