"""Mail a machine sent: automatic replies by header or subject, and bounces (delivery reports)."""

from __future__ import annotations

from email.message import Message

import pytest

from tests.tools.replies.reply_cases import OUR_MESSAGE_QUOTED, classify
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


def test_a_bounce_notice_without_headers_is_known_by_its_subject_and_status_line() -> None:
    text = "Delivery has failed to these recipients or groups:\nmaya@northwind.example\n550 5.1.1 User unknown"
    verdict = classify(text, subject="Undeliverable: Flaky CI at Northwind")
    assert (verdict.intent, verdict.layer) == (Intent.BOUNCE, "dsn")
    assert "5.1.1" in verdict.evidence and "permanent" in verdict.evidence


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


# What only looks automatic: a subject that mentions absences, a request header, a list's
# header on a person's reply, a person's words about a bounce.


@pytest.mark.parametrize(
    ("subject", "text", "intent"),
    [
        (
            "Re: out of office policy question",
            "Quick question: do you support GitLab?",
            Intent.QUESTION,
        ),
        (
            "Re: Automatic reply handling for support teams",
            "Sounds interesting, send more details.",
            Intent.INTERESTED,
        ),
        ("RE: Your auto-reply strategy", "Yes, interested.", Intent.INTERESTED),
        (
            "AW: Abwesenheitsnotiz im Team?",
            "Bitte nehmen Sie mich aus dem Verteiler.",
            Intent.UNSUBSCRIBE,
        ),
        ("Out of office policy templates", "Not interested, thanks.", Intent.NOT_INTERESTED),
        ("Fwd: Respuesta automática para soporte", "Me interesa, cuéntame más.", Intent.INTERESTED),
    ],
)
def test_a_person_s_subject_that_mentions_absences_is_not_an_automatic_mark(
    subject: str, text: str, intent: Intent
) -> None:
    verdict = classify(text, subject=subject)
    assert (verdict.intent, verdict.layer) == (intent, "rules")
    assert automatic_mark({}, subject) is None


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: Flaky CI",
        "[EXTERNAL] Automatic reply: Flaky CI",
        "Out of office until 4 January",
        "OOO - back Monday",
        "Abwesenheitsnotiz",
        "Respuesta automática: RE: CI inestable",
    ],
)
def test_automatic_subjects_put_their_marker_first(subject: str) -> None:
    assert automatic_mark({}, subject) == f"Subject: {subject}"


def test_x_auto_response_suppress_is_a_request_header_not_a_mark() -> None:
    suppress = {"X-Auto-Response-Suppress": "DR, OOF, AutoReply"}
    assert automatic_mark(suppress, "Re: CI") is None
    assert classify("Sounds interesting, let's talk.", headers=suppress).intent is Intent.INTERESTED
    verdict = classify("Please remove me from your list.", headers=suppress)
    assert (verdict.intent, verdict.layer) == (Intent.UNSUBSCRIBE, "rules")


@pytest.mark.parametrize("precedence", ["list", "bulk", "junk"])
def test_a_list_precedence_gives_way_to_the_person_s_words(precedence: str) -> None:
    headers = {"Precedence": precedence}
    verdict = classify("Please remove me from your list.", headers=headers)
    assert (verdict.intent, verdict.layer) == (Intent.UNSUBSCRIBE, "rules")
    assert classify("Can we do Thursday at 3pm?", headers=headers).intent is Intent.MEETING_REQUEST
    assert classify(TICKET, headers=headers).intent is Intent.AUTO_REPLY  # nothing asked of us


@pytest.mark.parametrize(
    "headers",
    [{"Auto-Submitted": "auto-generated"}, {"X-Autoreply": "yes"}, {"Precedence": "auto_reply"}],
)
def test_marked_mail_whose_own_words_opt_out_is_an_unsubscribe(headers: dict[str, str]) -> None:
    verdict = classify(
        "Please remove me from your mailing list, I don't want these.", headers=headers
    )
    assert (verdict.intent, verdict.layer) == (Intent.UNSUBSCRIBE, "rules")
    assert "remove me" in verdict.evidence


def test_a_person_s_reply_marked_automatic_that_says_away_and_opts_out_is_an_unsubscribe() -> None:
    text = (
        "I'm on leave until March, but please remove me from your list.\n\n"
        f"On Mon, Dec 21, 2026 at 9:14 AM Alex <alex@x.example> wrote:\n{OUR_MESSAGE_QUOTED}"
    )
    verdict = classify(text, headers={"Auto-Submitted": "auto-generated"})
    assert verdict.intent is Intent.UNSUBSCRIBE


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        (
            "I am out of the office until 4 January. If you'd rather not receive our "
            "newsletter, please remove yourself at the link below.",
            Intent.OUT_OF_OFFICE,
        ),
        (
            "Thank you for your message. Your request (#48213) has been received. To unsubscribe "
            "from ticket notifications, click here.",
            Intent.AUTO_REPLY,
        ),
        ("We received your message.\n\nManage preferences\nUnsubscribe", Intent.AUTO_REPLY),
        (
            "I'm on leave until 4 January. Please remove me from any urgent threads; contact "
            "the service desk instead.",
            Intent.OUT_OF_OFFICE,
        ),
    ],
)
def test_a_machine_s_own_opt_out_wording_does_not_unsubscribe(text: str, intent: Intent) -> None:
    """An absence notice quoting nothing keeps its verdict whatever its words; a ticket's
    instructions and a footer's "Unsubscribe" link text are not the sender asking."""
    verdict = classify(
        text, subject="Automatic reply: CI", headers={"Auto-Submitted": "auto-replied"}
    )
    assert (verdict.intent, verdict.layer) == (intent, "headers")


# Bounces need a bounce's shape: a delivery report, or a mailer's sender or subject with a
# notice's lines. A person who writes about a bounce, or pastes one, wrote a reply.


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        (
            "Your last email bounced from my old address, use this one. Interested though!",
            Intent.INTERESTED,
        ),
        (
            "FYI your emails to my colleague fail with '550 5.1.1 user unknown - mailbox "
            "unavailable'. Delivery has failed for months. Can we do Tuesday at 10 instead?",
            Intent.MEETING_REQUEST,
        ),
        (
            "Your message could not be delivered to Ana, she left. Talk to Priya Shah instead.",
            Intent.REFERRAL,
        ),
        ("Mailbox full on my side, sorry. Not interested anyway.", Intent.NOT_INTERESTED),
    ],
)
def test_a_person_who_writes_about_a_bounce_is_not_a_bounce(text: str, intent: Intent) -> None:
    verdict = classify(text, headers={"From": "Maya Okafor <maya@northwind.example>"})
    assert (verdict.intent, verdict.layer) == (intent, "rules")


def test_a_notice_subject_without_a_notice_s_lines_is_not_a_bounce() -> None:
    verdict = classify(
        "Sounds interesting, tell me more.", subject="Undeliverable items in our warehouse"
    )
    assert verdict.intent is Intent.INTERESTED


def test_a_mailer_s_sender_with_a_notice_subject_is_a_bounce_whatever_the_body() -> None:
    verdict = classify(
        "See the attached report.",
        subject="Mail delivery failed: returning message to sender",
        headers={"From": "Mail Delivery System <MAILER-DAEMON@mx.example>"},
    )
    assert (verdict.intent, verdict.layer) == (Intent.BOUNCE, "dsn")


def test_huge_content_type_and_subject_headers_are_read_in_bounded_time() -> None:
    import time

    headers = {
        "Content-Type": "multipart/report;" + " multipart/report x" * 10_000,
        "From": "<" * 10_000,
        "Auto-Submitted": "no",
    }
    started = time.perf_counter()
    verdict = classify(
        "Sounds interesting.", subject="Re: " + "out of office " * 10_000, headers=headers
    )
    assert time.perf_counter() - started < 0.5
    assert verdict.intent is Intent.INTERESTED
