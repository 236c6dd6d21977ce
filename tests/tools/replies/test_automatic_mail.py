"""Mail a machine sent: automatic replies by header or subject, and bounces (delivery reports)."""

from __future__ import annotations

from email.message import Message

import pytest

from tests.tools.replies.reply_cases import classify
from tools.replies import Intent, ReplyText, automatic_mark, classify_by_rules

TICKET = "Thank you for your message. Our team will get back to you within two business days."


@pytest.mark.parametrize(
    ("headers", "evidence"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Auto-Submitted: auto-replied"),
        ({"auto-submitted": "auto-generated; owner-email=x@y"}, "Auto-Submitted: auto-generated"),
        ({"Precedence": "bulk"}, "Precedence: bulk"),
        ({"Precedence": "junk"}, "Precedence: junk"),
        ({"Precedence": "list"}, "Precedence: list"),
        ({"X-Autoreply": "yes"}, "X-Autoreply: yes"),
        ({"X-Autorespond": "1"}, "X-Autorespond: 1"),
        ({"X-Auto-Response-Suppress": "All"}, "X-Auto-Response-Suppress: All"),
    ],
)
def test_automatic_headers_make_an_auto_reply(headers: dict[str, str], evidence: str) -> None:
    verdict = classify(TICKET, headers=headers)
    assert verdict.intent is Intent.AUTO_REPLY
    assert verdict.layer == "headers"
    assert verdict.confidence >= 0.95
    assert verdict.evidence.startswith(evidence)
    assert not verdict.needs_person


def test_auto_submitted_no_is_a_person() -> None:
    verdict = classify("Sounds interesting, tell me more.", headers={"Auto-Submitted": "no"})
    assert verdict.intent is Intent.INTERESTED


@pytest.mark.parametrize(
    "subject",
    [
        "Automatic reply: Flaky CI at Northwind",
        "Auto-Reply: Flaky CI",
        "AUTO: Re: Flaky CI",
        "Réponse automatique : CI instable",
        "Respuesta automática: CI inestable",
        "Resposta automática: CI instável",
        "Automatische Antwort: Instabile CI",
    ],
)
def test_automatic_reply_subjects_in_five_languages(subject: str) -> None:
    verdict = classify("We have received your message.", subject=subject)
    assert verdict.intent is Intent.AUTO_REPLY
    assert verdict.layer == "headers"


def test_an_email_message_object_serves_as_headers() -> None:
    headers = Message()
    headers["Auto-Submitted"] = "auto-replied"
    reply = ReplyText(subject="Re: CI", text="Ticket 4411 opened.", headers=headers)  # type: ignore[arg-type]
    assert classify_by_rules(reply).intent is Intent.AUTO_REPLY


@pytest.mark.parametrize(
    "text",
    [
        "This is an automated message: your request (#48213) has been received.",
        "Hemos recibido su mensaje. Por favor, no responda a este correo.",
        "Nous avons bien reçu votre demande et vous répondrons rapidement.",
        "Wir haben Ihre Nachricht erhalten. Dies ist eine automatisch erstellte E-Mail.",
        "Recebemos sua mensagem. Esta é uma resposta automática.",
        "This mailbox is no longer monitored.",
        "I'm driving with Do Not Disturb While Driving turned on.",
    ],
)
def test_automatic_mail_without_headers_is_known_by_what_it_says(text: str) -> None:
    verdict = classify(text)
    assert verdict.intent is Intent.AUTO_REPLY
    assert verdict.layer == "rules"


def test_a_left_the_company_notice_naming_a_successor_is_a_referral() -> None:
    verdict = classify(
        "Jonas Berg has left Northwind. For anything platform-related please contact "
        "Ines Duarte (ines.duarte@northwind.example).",
        subject="Automatic reply: CI",
        headers={"Auto-Submitted": "auto-generated"},
    )
    assert verdict.intent is Intent.REFERRAL
    assert verdict.referral is not None
    assert verdict.referral.name == "Ines Duarte"
    assert verdict.referral.email == "ines.duarte@northwind.example"


def test_a_left_the_company_notice_without_a_successor_is_an_auto_reply() -> None:
    verdict = classify(
        "Jonas Berg is no longer with Northwind and this mailbox is not monitored.",
        headers={"Auto-Submitted": "auto-generated"},
    )
    assert verdict.intent is Intent.AUTO_REPLY
    assert verdict.referral is None


DSN_BODY = (
    "This is the mail system at host mx.northwind.example.\n\n"
    "I'm sorry to have to inform you that your message could not be delivered.\n\n"
    "Final-Recipient: rfc822; maya@northwind.example\nAction: failed\nStatus: 5.1.1\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <maya@northwind.example>: Recipient address rejected\n"
)


def test_a_delivery_report_is_a_permanent_bounce_with_its_status() -> None:
    headers = {
        "From": "MAILER-DAEMON@mx.northwind.example (Mail Delivery System)",
        "Content-Type": 'multipart/report; report-type=delivery-status; boundary="b1"',
        "Auto-Submitted": "auto-replied",
    }
    verdict = classify(DSN_BODY, subject="Undelivered Mail Returned to Sender", headers=headers)
    assert verdict.intent is Intent.BOUNCE
    assert verdict.layer == "dsn"
    assert verdict.confidence >= 0.95
    assert "5.1.1" in verdict.evidence and "permanent" in verdict.evidence


def test_a_delay_notice_is_a_transient_bounce() -> None:
    body = "Delivery to the following recipient has been delayed.\nStatus: 4.4.7\n"
    verdict = classify(body, subject="Delivery Status Notification (Delay)")
    assert verdict.intent is Intent.BOUNCE
    assert "4.4.7" in verdict.evidence and "transient" in verdict.evidence


@pytest.mark.parametrize(
    ("subject", "headers"),
    [
        ("Delivery Status Notification (Failure)", {}),
        ("Undeliverable: Flaky CI at Northwind", {}),
        ("Mail delivery failed: returning message to sender", {}),
        ("Unzustellbar: Instabile CI", {}),
        ("Non remis : CI instable", {}),
        ("No se puede entregar: CI inestable", {}),
        ("Re: CI", {"From": "Mail Delivery Subsystem <mailer-daemon@googlemail.com>"}),
        ("Re: CI", {"Return-Path": "<postmaster@northwind.example>"}),
    ],
)
def test_bounces_are_known_by_sender_or_subject(subject: str, headers: dict[str, str]) -> None:
    verdict = classify("The message could not be delivered.", subject=subject, headers=headers)
    assert verdict.intent is Intent.BOUNCE
    assert verdict.layer == "dsn"


def test_a_bounce_notice_without_headers_is_known_by_its_status_line() -> None:
    text = "Delivery has failed to these recipients or groups:\nmaya@northwind.example\n550 5.1.1 User unknown"
    assert classify(text).intent is Intent.BOUNCE


def test_a_read_receipt_is_an_auto_reply_not_a_bounce() -> None:
    headers = {"Content-Type": "multipart/report; report-type=disposition-notification"}
    verdict = classify(
        "Your message was read on Monday.", subject="Read: Flaky CI", headers=headers
    )
    assert verdict.intent is Intent.AUTO_REPLY


def test_automatic_mark_answers_for_any_header_casing() -> None:
    headers = Message()
    headers["AUTO-SUBMITTED"] = "auto-generated"
    assert automatic_mark(headers, "Re: CI") == "Auto-Submitted: auto-generated"
    assert automatic_mark({"precedence": "list"}, "Re: CI") == "Precedence: list"
    assert automatic_mark({}, "Abwesenheitsnotiz: CI") == "Subject: Abwesenheitsnotiz: CI"
    assert automatic_mark({"Auto-Submitted": "no"}, "Re: CI") is None
