"""Which lifecycle stage a lead earns and when it may be written, and what a lead looks like as
HubSpot properties: all pure, no HubSpot needed."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tools.crm.hubspot_records import (
    ActivityNote,
    ContactFields,
    CrmContact,
    SentEmail,
    company_domain,
)
from tools.crm.lifecycle import forward_stage, off_limits, stage_for_status

SENT = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("status", "stage"),
    [
        ("new", "lead"),
        ("sent", "lead"),
        ("replied", "lead"),
        ("interested", "salesqualifiedlead"),
        ("meeting_booked", "salesqualifiedlead"),
        ("won", "salesqualifiedlead"),
        ("unsubscribed", None),
        ("bounced", None),
        ("lost", None),
    ],
)
def test_a_lead_status_earns_at_most_sales_qualified(status: str, stage: str | None) -> None:
    assert stage_for_status(status) == stage


def test_the_stage_moves_only_forward_and_never_into_sales_stages() -> None:
    assert forward_stage(None, "lead") == "lead"
    assert forward_stage("subscriber", "salesqualifiedlead") == "salesqualifiedlead"
    assert forward_stage("salesqualifiedlead", "lead") is None  # backwards: leave it
    assert forward_stage("lead", "lead") is None  # nothing to change
    assert forward_stage("lead", "customer") is None  # never ours to set
    assert forward_stage("opportunity", "salesqualifiedlead") is None
    assert forward_stage("1234567", "lead") is None  # a custom stage: its place is unknown
    assert forward_stage("lead", None) is None
    assert [s for s in ("lead", "opportunity", "customer", "evangelist") if off_limits(s)] == [
        "opportunity",
        "customer",
        "evangelist",
    ]


def test_a_lead_becomes_contact_properties_and_blanks_are_the_only_ones_filled() -> None:
    fields = ContactFields(
        email=" maya.okafor@northwind-robotics.example ",
        name="Maya  van der Okafor",
        company="Northwind Robotics",
        website="https://www.northwind-robotics.example",
        job_title=" ",
    ).properties()
    assert fields == {
        "email": "maya.okafor@northwind-robotics.example",
        "firstname": "Maya",
        "lastname": "van der Okafor",
        "company": "Northwind Robotics",
        "website": "https://www.northwind-robotics.example",
    }
    existing = CrmContact(id="1", properties={"firstname": "Maya (HubSpot)", "lastname": None})
    assert existing.missing(fields) == {
        "email": "maya.okafor@northwind-robotics.example",
        "lastname": "van der Okafor",
        "company": "Northwind Robotics",
        "website": "https://www.northwind-robotics.example",
    }


def test_the_company_domain_comes_from_the_website_else_a_work_email() -> None:
    assert company_domain("https://www.Northwind-Robotics.example/about", None) == (
        "northwind-robotics.example"
    )
    assert company_domain("quietpeak.example", "x@other.example") == "quietpeak.example"
    assert company_domain(None, "jonas@Quietpeak.example") == "quietpeak.example"
    assert company_domain(None, "someone@gmail.com") is None  # a mailbox provider, not a company
    assert company_domain("not a url", None) is None
    # A company's LinkedIn page is not its domain: many companies share that host.
    linkedin = "https://www.linkedin.com/company/acme-logistics"
    assert company_domain(linkedin, "ana@acme-logistics.example") == "acme-logistics.example"


def test_engagements_carry_the_time_the_text_and_escaped_html() -> None:
    email = SentEmail(
        sent_at=SENT,
        to_address="maya@northwind.example",
        body="Hi Maya,\nworth a call?",
        subject="Northwind and CI",
        from_address="alex@outreach.example",
    ).properties()
    assert email["hs_timestamp"] == "2026-11-22T12:00:00.000Z"
    assert (email["hs_email_direction"], email["hs_email_status"]) == ("EMAIL", "SENT")
    assert email["hs_email_subject"] == "Northwind and CI"
    assert email["hs_email_text"] == "Hi Maya,\nworth a call?"
    assert json.loads(email["hs_email_headers"])["to"] == [{"email": "maya@northwind.example"}]
    note = ActivityNote(occurred_at=SENT, headline="Replied <b>", quote="<script>x</script>")
    assert note.properties()["hs_note_body"] == (
        "<p>Replied &lt;b&gt;</p><blockquote>&lt;script&gt;x&lt;/script&gt;</blockquote>"
    )
