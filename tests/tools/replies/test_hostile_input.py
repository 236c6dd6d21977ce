"""Replies built to be slow or to hide words still get a sensible verdict (and never raise).

Each input here once took seconds to minutes: nested HTML, a closing on every line, a subject
of a megabyte, a thousand past absences. No test times anything (benchmarks/reply_rules.py
does); the inputs are as large as the suite can afford and the verdicts are what a person
reading the reply would expect.
"""

from __future__ import annotations

import pytest

from tests.tools.replies.reply_cases import OUR_MESSAGE_QUOTED, classify
from tools.replies import Intent, ReplyText, read_reply
from tools.replies.inbound_text import SCAN_CHARS, SUBJECT_CHARS, header_map

AUTO = {"Auto-Submitted": "auto-replied"}
ATTRIBUTION = "On Mon, Dec 21, 2026 at 9:14 AM Alex Rivera <alex@brightpath.example> wrote:"


def test_forty_thousand_nested_divs_are_no_words_for_a_person() -> None:
    verdict = classify("", html="<div>" * 40_000)
    assert verdict.intent is Intent.OTHER
    assert verdict.needs_person
    assert "HTML only" in verdict.evidence


def test_words_after_deeply_nested_html_are_still_read() -> None:
    html = "<div>" * 3_000 + "Hi" + "</div>" * 3_000 + "<p>Please remove me from your list.</p>"
    verdict = classify("", html=html)
    assert verdict.intent is Intent.UNSUBSCRIBE


def test_many_html_line_breaks_are_read_as_lines() -> None:
    html = "<p>Please remove me from your list.</p>" + "<p>x<br>" * 5_000
    verdict = classify("", html=html)
    assert verdict.intent is Intent.UNSUBSCRIBE


def test_html_after_the_quote_marker_is_not_read_however_long() -> None:
    old = "<div>Worth a call? Book a call here. Unsubscribe here.</div>" * 2_000
    html = f"<div>Kein Interesse, danke.</div><div id='divRplyFwdMsg'>Von: Alex</div>{old}"
    verdict = classify("", html=html)
    assert verdict.intent is Intent.NOT_INTERESTED


def test_five_megabytes_of_html_do_not_raise() -> None:
    verdict = classify("", html="<div>Hello there</div>" * 250_000)
    assert verdict.intent is Intent.OTHER
    assert verdict.needs_person


def test_a_closing_on_every_line_is_other() -> None:
    verdict = classify("Thanks\n" * 28_000)
    assert verdict.intent is Intent.OTHER
    assert verdict.needs_person


def test_a_closing_and_a_name_repeated_are_other() -> None:
    verdict = classify("Thanks,\nAna\n" * 4_000)
    assert verdict.intent is Intent.OTHER


def test_a_five_megabyte_body_does_not_raise() -> None:
    verdict = classify("Lorem ipsum dolor sit amet. " * 180_000)
    assert verdict.intent is Intent.OTHER
    assert verdict.needs_person


def test_a_five_megabyte_body_keeps_an_early_opt_out() -> None:
    verdict = classify("Please take me off your list.\n\n" + "Lorem ipsum.\n" * 400_000)
    assert verdict.intent is Intent.UNSUBSCRIBE


def test_only_the_scanned_share_of_own_words_is_read() -> None:
    words = read_reply(ReplyText(subject="Re: CI", text="Thanks a lot.\n" * 100_000))
    assert len(words.text) <= SCAN_CHARS
    assert words.text.startswith("Thanks a lot.")


def test_a_megabyte_subject_is_cut_to_one_mail_line() -> None:
    reply = ReplyText(subject="Out of office " * 75_000, text="Thanks", headers=AUTO)
    assert len(reply.subject) == SUBJECT_CHARS
    verdict = classify("Thanks", subject="Out of office " * 75_000, headers=AUTO)
    assert verdict.intent is Intent.OUT_OF_OFFICE


def test_a_megabyte_subject_on_a_person_reply_is_harmless() -> None:
    verdict = classify("Not interested, thanks.", subject="Re: " + "a" * 1_000_000)
    assert verdict.intent is Intent.NOT_INTERESTED


def test_megabyte_headers_are_cut() -> None:
    headers = {"X-Filler": "x" * 1_000_000, "Cc": "Dan <dan@greyhawk.example>, " * 40_000}
    assert all(len(value) <= 32_000 for value in header_map(headers).values())
    verdict = classify("Talk to Dan instead.", headers=headers)
    assert verdict.intent is Intent.REFERRAL
    assert verdict.referral is not None and verdict.referral.email == "dan@greyhawk.example"


def test_a_thousand_past_absences_are_no_absence() -> None:
    verdict = classify("I was out of office, " * 1_000)
    assert verdict.intent is not Intent.OUT_OF_OFFICE


def test_a_present_absence_after_many_past_ones_is_found() -> None:
    text = "I was out of office, " * 500 + "\nI am out of the office until Monday 4 January."
    verdict = classify(text)
    assert verdict.intent is Intent.OUT_OF_OFFICE
    assert verdict.evidence.startswith("I am out of the office until Monday 4 January")
    assert verdict.return_date is not None and verdict.return_date.isoformat() == "2027-01-04"


def test_hundreds_of_return_dates_give_the_first() -> None:
    dates = " ".join(f"Back on {day} February." for day in range(1, 29)) * 20
    verdict = classify(f"I am out of office. {dates}", subject="Automatic reply", headers=AUTO)
    assert verdict.intent is Intent.OUT_OF_OFFICE
    assert verdict.return_date is not None and verdict.return_date.isoformat() == "2027-02-01"


def test_a_long_run_of_letters_before_a_referral() -> None:
    verdict = classify("a" * 19_000 + " talk to Ana Ruiz")
    assert verdict.intent is Intent.REFERRAL
    assert verdict.referral is not None and verdict.referral.name == "Ana Ruiz"


def test_a_referrals_address_in_the_next_sentence_is_still_found() -> None:
    text = (
        "I'm not the right person, talk to Ana Ruiz. She runs our data platform team and signs "
        "off on tooling; her address is ana.ruiz@northwind.example."
    )
    verdict = classify(text)
    assert verdict.intent is Intent.REFERRAL
    assert verdict.referral is not None and verdict.referral.email == "ana.ruiz@northwind.example"


def test_an_address_far_from_the_referral_is_not_taken_for_it() -> None:
    text = "Talk to Ana Ruiz.\n\n" + "We rebuilt our CI last year.\n" * 40 + "ana@other.example"
    verdict = classify(text)
    assert verdict.intent is Intent.REFERRAL
    assert verdict.referral is not None and verdict.referral.email is None


@pytest.mark.parametrize(
    "text",
    [
        "-" * 39_999 + "x",
        "x" * 5_000_000,
        "On 1 Monday\n" * 4_000,
        "From: a\n" * 5_000,
        "> x\n" * 50_000,
        "\n" * 200_000,
        "? " * 10_000,
        "ana.ruiz@" * 4_000,
    ],
    ids=["dashes", "one-line", "attributions", "headers", "quoted", "blank", "questions", "at"],
)
def test_degenerate_bodies_go_to_a_person(text: str) -> None:
    verdict = classify(text)
    assert verdict.intent is Intent.OTHER
    assert verdict.needs_person


def test_a_quote_of_many_lines_after_a_short_answer_is_not_read() -> None:
    quote = OUR_MESSAGE_QUOTED * 2_000
    verdict = classify(f"Not interested, thanks.\n\n{ATTRIBUTION}\n{quote}")
    assert verdict.intent is Intent.NOT_INTERESTED


# What a person writes after their sign-off is theirs; our quoted message never is.

POSTSCRIPT_OPT_OUTS = {
    "en": "Thanks,\nAna\n\nP.S. please remove me from your list",
    "en-ps": "Best regards,\nAna Ruiz\nVP Data | Northwind\n\nPS: stop emailing me",
    "es": "Saludos,\nAna\n\nPD: por favor, darme de baja de esta lista",
    "fr": "Cordialement,\nAnne\n\nP.S. merci de me désinscrire",
    "de": "Viele Grüße\nAnja\n\nPS: Bitte nehmen Sie mich aus Ihrem Verteiler.",
    "pt": "Obrigado,\nAna\n\nP.S. por favor, me descadastre",
    "below-delimiter": "Sounds good.\n-- \nAna Ruiz\nCEO\n\nP.S. please remove me from your list",
}


@pytest.mark.parametrize("text", POSTSCRIPT_OPT_OUTS.values(), ids=POSTSCRIPT_OPT_OUTS.keys())
def test_an_opt_out_in_a_postscript_is_an_unsubscribe(text: str) -> None:
    assert classify(text).intent is Intent.UNSUBSCRIBE


def test_an_opt_out_word_after_a_closing_is_an_unsubscribe() -> None:
    verdict = classify("Thanks\nUnsubscribe")
    assert verdict.intent is Intent.UNSUBSCRIBE
    assert "Unsubscribe" in verdict.evidence


def test_our_quoted_footer_after_a_postscript_is_not_read() -> None:
    text = f"Thanks,\nAna\n\nP.S. we use Jenkins.\n\n{ATTRIBUTION}\n{OUR_MESSAGE_QUOTED}"
    verdict = classify(text)
    assert verdict.intent is not Intent.UNSUBSCRIBE
    assert verdict.intent is not Intent.MEETING_REQUEST
    assert "Unsubscribe" not in verdict.evidence


def test_our_quoted_footer_below_a_signature_is_not_read() -> None:
    text = f"Thanks,\nAna Ruiz\nVP Data\n\n{ATTRIBUTION}\n{OUR_MESSAGE_QUOTED}"
    verdict = classify(text)
    assert verdict.intent is Intent.OTHER
    assert "Unsubscribe" not in verdict.evidence


def test_our_outlook_quoted_footer_after_an_opt_out_word_is_not_what_decides() -> None:
    text = (
        "Thanks\nUnsubscribe\n\nFrom: Alex Rivera <alex@brightpath.example>\n"
        "Sent: Monday, December 21, 2026 9:14 AM\nSubject: Flaky CI\n\n"
        "Worth a call? Book a call here. Unsubscribe here."
    )
    verdict = classify(text)
    assert verdict.intent is Intent.UNSUBSCRIBE
    assert "here" not in verdict.evidence


def test_a_pasted_bounce_address_does_not_beat_the_named_colleague() -> None:
    text = (
        "FYI your mail to my colleague bounced with '550 5.1.1 <j.doe@vantor.example>: User "
        "unknown' - he left. Please talk to Lena Fischer (lena.fischer@vantor.example) instead."
    )
    verdict = classify(text)
    assert verdict.intent is Intent.REFERRAL
    assert verdict.referral is not None
    assert verdict.referral.name == "Lena Fischer"
    assert verdict.referral.email == "lena.fischer@vantor.example"
