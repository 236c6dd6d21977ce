"""What people write back, in five languages: the intent and reason a sales rep would act on."""

from __future__ import annotations

import pytest

from tests.tools.replies.reply_cases import (
    NO_RULE_MATCHED,
    OUR_MESSAGE_QUOTED,
    assert_rules_ran,
    classify,
)
from tools.replies import Intent

CASES: list[tuple[str, Intent, str | None, str]] = [
    # interested
    ("This looks promising. Send me some more details?", Intent.INTERESTED, None, "en"),
    ("Yes please, I'd like to learn more about how it works.", Intent.INTERESTED, None, "en"),
    ("Sure, let's talk.", Intent.INTERESTED, None, "en"),
    ("Me interesa. ¿Me mandas más información?", Intent.INTERESTED, None, "es"),
    ("Suena interesante, cuéntame más.", Intent.INTERESTED, None, "es"),
    ("Ça m'intéresse, envoyez-moi de la documentation.", Intent.INTERESTED, None, "fr"),
    ("Klingt spannend, schicken Sie mir gerne Unterlagen.", Intent.INTERESTED, None, "de"),
    ("Tenho interesse, pode me mandar mais informações?", Intent.INTERESTED, None, "pt"),
    # meeting requests: a day, a time, slots, an invite or a booking link
    ("Can we do Wednesday at 3pm CET?", Intent.MEETING_REQUEST, None, "en"),
    ("Happy to chat, send me a calendar invite for next week.", Intent.MEETING_REQUEST, None, "en"),
    ("What does your availability look like on Thursday?", Intent.MEETING_REQUEST, None, "en"),
    ("¿Podemos agendar una llamada el martes a las 11:00?", Intent.MEETING_REQUEST, None, "es"),
    (
        "Je suis disponible jeudi 10h, envoyez-moi une invitation.",
        Intent.MEETING_REQUEST,
        None,
        "fr",
    ),
    ("Gerne, passt Ihnen Mittwoch um 14 Uhr?", Intent.MEETING_REQUEST, None, "de"),
    ("Vamos marcar uma reunião na quinta às 10h?", Intent.MEETING_REQUEST, None, "pt"),
    # a proposal to talk on a day is a meeting request, not a question
    ("Sounds relevant. Could we talk Thursday?", Intent.MEETING_REQUEST, None, "en"),
    ("Me interesa. ¿Podemos hablar el jueves?", Intent.MEETING_REQUEST, None, "es"),
    ("Ça m'intéresse. Pouvons-nous en parler jeudi ?", Intent.MEETING_REQUEST, None, "fr"),
    ("Klingt gut. Können wir Donnerstag telefonieren?", Intent.MEETING_REQUEST, None, "de"),
    ("Tenho interesse. Podemos conversar na quinta?", Intent.MEETING_REQUEST, None, "pt"),
    # questions
    ("Do you support GitLab self-managed?", Intent.QUESTION, None, "en"),
    ("How much does this cost for a team of 30?", Intent.QUESTION, None, "en"),
    ("¿Cuánto cuesta y funciona con Jenkins?", Intent.QUESTION, None, "es"),
    ("Combien ça coûte pour 20 développeurs ?", Intent.QUESTION, None, "fr"),
    ("Was kostet das pro Jahr?", Intent.QUESTION, None, "de"),
    ("Quanto custa para um time pequeno?", Intent.QUESTION, None, "pt"),
    # objections with a reason
    ("Not right now, ping me again next quarter.", Intent.OBJECTION, "timing", "en"),
    ("Try me in March, we're mid-migration.", Intent.OBJECTION, "timing", "en"),
    ("Ahora no es buen momento, escríbeme en abril.", Intent.OBJECTION, "timing", "es"),
    ("Pas pour le moment, recontactez-moi en septembre.", Intent.OBJECTION, "timing", "fr"),
    (
        "Im Moment leider nicht, melden Sie sich im nächsten Quartal.",
        Intent.OBJECTION,
        "timing",
        "de",
    ),
    ("Agora não, fala comigo de novo em março.", Intent.OBJECTION, "timing", "pt"),
    ("We don't have the budget for this in 2027.", Intent.OBJECTION, "budget", "en"),
    ("No tenemos presupuesto para esto este año.", Intent.OBJECTION, "budget", "es"),
    ("Trop cher pour nous, désolé.", Intent.OBJECTION, "budget", "fr"),
    ("Dafür haben wir kein Budget.", Intent.OBJECTION, "budget", "de"),
    ("Estamos sem orçamento este ano.", Intent.OBJECTION, "budget", "pt"),
    ("We already use CircleCI Insights for that.", Intent.OBJECTION, "has_solution", "en"),
    ("Ya trabajamos con otro proveedor para eso.", Intent.OBJECTION, "has_solution", "es"),
    ("Nous utilisons déjà un outil interne.", Intent.OBJECTION, "has_solution", "fr"),
    ("Wir setzen dafür schon Datadog ein.", Intent.OBJECTION, "has_solution", "de"),
    ("Já temos uma ferramenta para isso.", Intent.OBJECTION, "has_solution", "pt"),
    ("This isn't relevant to us, we're a hardware shop.", Intent.OBJECTION, "not_relevant", "en"),
    ("No aplica para nosotros.", Intent.OBJECTION, "not_relevant", "es"),
    ("Ça ne nous concerne pas.", Intent.OBJECTION, "not_relevant", "fr"),
    ("Das ist für uns nicht relevant.", Intent.OBJECTION, "not_relevant", "de"),
    ("Não se aplica ao nosso negócio.", Intent.OBJECTION, "not_relevant", "pt"),
    ("I'm not the right person for this.", Intent.OBJECTION, "no_authority", "en"),
    ("No soy la persona indicada para esto.", Intent.OBJECTION, "no_authority", "es"),
    ("Je ne suis pas la bonne personne.", Intent.OBJECTION, "no_authority", "fr"),
    ("Dafür bin ich leider nicht zuständig.", Intent.OBJECTION, "no_authority", "de"),
    ("Não sou a pessoa certa para isso.", Intent.OBJECTION, "no_authority", "pt"),
    # refusals, with the stated reason if any
    ("Not interested at all.", Intent.NOT_INTERESTED, None, "en"),
    ("Great, another cold email.", Intent.NOT_INTERESTED, "no_cold_outreach", "en"),
    (
        "Thanks but no thanks, we already have a vendor for this.",
        Intent.NOT_INTERESTED,
        "has_solution",
        "en",
    ),
    ("No, gracias. No lo necesitamos.", Intent.NOT_INTERESTED, "no_need", "es"),
    ("Non merci, pas intéressé.", Intent.NOT_INTERESTED, None, "fr"),
    ("Kein Interesse, wir haben schon eine Lösung.", Intent.NOT_INTERESTED, "has_solution", "de"),
    ("Não tenho interesse por enquanto.", Intent.NOT_INTERESTED, "timing", "pt"),
    # opt-outs, in any wording
    ("Please stop emailing me.", Intent.UNSUBSCRIBE, None, "en"),
    ("Take me off your list.", Intent.UNSUBSCRIBE, None, "en"),
    ("Por favor, quiero darme de baja.", Intent.UNSUBSCRIBE, None, "es"),
    ("Merci de ne plus me contacter.", Intent.UNSUBSCRIBE, None, "fr"),
    ("Bitte entfernen Sie mich aus Ihrem Verteiler.", Intent.UNSUBSCRIBE, None, "de"),
    ("Quero me descadastrar.", Intent.UNSUBSCRIBE, None, "pt"),
    # referrals
    ("Talk to Priya instead, she owns our CI.", Intent.REFERRAL, None, "en"),
    ("La persona indicada es Ana Ruiz (ana.ruiz@northwind.example).", Intent.REFERRAL, None, "es"),
    ("Contactez plutôt Hugo Martin, il gère ce sujet.", Intent.REFERRAL, None, "fr"),
    ("Sprechen Sie bitte mit Herrn Jonas Weber, er leitet die IT.", Intent.REFERRAL, None, "de"),
    ("Fale com a Mariana Lopes, ela cuida disso.", Intent.REFERRAL, None, "pt"),
    # the same intents, phrased less tidily
    (
        "Could be useful. Send a deck and I'll circulate it internally.",
        Intent.INTERESTED,
        None,
        "en",
    ),
    ("Yes - please loop me in on next steps.", Intent.INTERESTED, None, "en"),
    ("me parece muy interesante, mandame info porfa", Intent.INTERESTED, None, "es"),
    ("Bonjour, oui ça pourrait nous intéresser.", Intent.INTERESTED, None, "fr"),
    ("Hallo, ja, das könnte für uns interessant sein.", Intent.INTERESTED, None, "de"),
    ("opa, tenho interesse sim! manda o material", Intent.INTERESTED, None, "pt"),
    ("Let's chat. Free Thursday 11-12 or Friday after 2.", Intent.MEETING_REQUEST, None, "en"),
    (
        "Send me a couple of times for next week and I'll pick one.",
        Intent.MEETING_REQUEST,
        None,
        "en",
    ),
    (
        "Vale, hablamos el lunes a las 12. Mándame la invitación.",
        Intent.MEETING_REQUEST,
        None,
        "es",
    ),
    ("On peut se caler un créneau jeudi après-midi ?", Intent.MEETING_REQUEST, None, "fr"),
    ("Ich hätte am Freitag zwischen 10 und 12 Uhr Zeit.", Intent.MEETING_REQUEST, None, "de"),
    ("Bora! Tenho horário livre na sexta à tarde.", Intent.MEETING_REQUEST, None, "pt"),
    ("What's the pricing model - per user or per build minute?", Intent.QUESTION, None, "en"),
    ("Est-ce que l'outil fonctionne avec Azure ?", Intent.QUESTION, None, "fr"),
    (
        "Appreciate it but we're heads down until end of Q1. Ping me in April.",
        Intent.OBJECTION,
        "timing",
        "en",
    ),
    (
        "We'd need to find budget for this and that's not happening this year.",
        Intent.OBJECTION,
        "budget",
        "en",
    ),
    (
        "We're pretty happy with GitLab's built-in analytics.",
        Intent.OBJECTION,
        "has_solution",
        "en",
    ),
    (
        "You'd need to talk to procurement, I can't buy anything.",
        Intent.OBJECTION,
        "no_authority",
        "en",
    ),
    (
        "Ahora mismo estamos a tope. Vuelve a escribirme después del verano.",
        Intent.OBJECTION,
        "timing",
        "es",
    ),
    ("Nos budgets sont gelés jusqu'à nouvel ordre.", Intent.OBJECTION, "budget", "fr"),
    ("Wir sind mit unserer aktuellen Lösung zufrieden.", Intent.OBJECTION, "has_solution", "de"),
    (
        "Wir entwickeln keine eigene Software, daher passt das nicht.",
        Intent.OBJECTION,
        "not_relevant",
        "de",
    ),
    (
        "Agora não dá, estamos fechando o trimestre. Me chama em abril.",
        Intent.OBJECTION,
        "timing",
        "pt",
    ),
    ("no thx", Intent.NOT_INTERESTED, None, "en"),
    ("We don't buy from cold outreach. Pass.", Intent.NOT_INTERESTED, "no_cold_outreach", "en"),
    (
        "Not interested, we're locked into a 3 year contract with another vendor.",
        Intent.NOT_INTERESTED,
        "has_solution",
        "en",
    ),
    ("Try Ben Ortiz, he runs our infra team: ben.ortiz@acme.example", Intent.REFERRAL, None, "en"),
    ("Te paso el contacto de Marta Gil: marta.gil@acme.example", Intent.REFERRAL, None, "es"),
    (
        "Je vous mets en relation avec Paul Durand, notre responsable QA.",
        Intent.REFERRAL,
        None,
        "fr",
    ),
    ("Bitte wenden Sie sich an meinen Kollegen Stefan Braun.", Intent.REFERRAL, None, "de"),
    (
        "O responsável por isso é o Thiago Rocha (thiago.rocha@acme.example).",
        Intent.REFERRAL,
        None,
        "pt",
    ),
]


@pytest.mark.parametrize(
    ("text", "intent", "reason", "language"), CASES, ids=[case[0][:40] for case in CASES]
)
def test_replies_get_the_intent_and_reason_a_rep_would_act_on(
    text: str, intent: Intent, reason: str | None, language: str
) -> None:
    verdict = classify(text)
    assert (verdict.intent, verdict.reason) == (intent, reason)
    assert verdict.language == language
    assert verdict.layer == "rules"
    assert verdict.evidence and verdict.evidence in text
    assert not verdict.needs_person


@pytest.mark.parametrize(
    ("text", "reason", "evidence"),
    [
        (
            "Great, another cold email. Just what I needed on a Monday.",
            "no_cold_outreach",
            "Great, another cold email.",
        ),
        ("Wow. Yet another AI-generated pitch.", "no_cold_outreach", "Yet another AI-generated"),
        ("I'm not interested, not even a little.", None, "I'm not interested"),
        ("Sounds great... not.", "no_cold_outreach", "Sounds great... not."),
    ],
)
def test_sarcasm_and_negation_never_read_as_interest(
    text: str, reason: str | None, evidence: str
) -> None:
    verdict = classify(text)
    assert verdict.intent not in (Intent.INTERESTED, Intent.MEETING_REQUEST)
    # A refusal the rules found, with its words: not the `other` a crashing classifier gives.
    assert (verdict.intent, verdict.reason, verdict.layer) == (
        Intent.NOT_INTERESTED,
        reason,
        "rules",
    )
    assert evidence in verdict.evidence
    assert_rules_ran(verdict)


def test_an_unsubscribe_buried_in_a_long_friendly_reply_is_honoured() -> None:
    text = (
        "Hi Alex,\n\nThanks for the thoughtful note, and congrats on the launch. We looked at "
        "CI tooling last spring and ended up building a few scripts of our own, which work fine "
        "for a team our size. I'd also mention that our platform lead is on parental leave, so "
        "nothing will move before summer anyway. That said, I get a lot of these, so please "
        "remove me from your mailing list going forward. Best of luck with Brightpath, it looks "
        "like a solid product.\n\nCheers,\nMaya"
    )
    verdict = classify(text)
    assert verdict.intent is Intent.UNSUBSCRIBE
    assert "remove me from your mailing list" in verdict.evidence


def test_talking_about_the_unsubscribe_link_is_not_a_request() -> None:
    verdict = classify("I almost hit unsubscribe, but do you integrate with Bitbucket?")
    assert verdict.intent is Intent.QUESTION


def test_not_the_right_person_but_naming_someone_is_a_referral() -> None:
    verdict = classify(
        "I'm not the right person - you should reach out to Ana Ruiz (ana@northwind.example)."
    )
    assert verdict.intent is Intent.REFERRAL
    assert verdict.referral is not None
    assert (verdict.referral.name, verdict.referral.email) == ("Ana Ruiz", "ana@northwind.example")


def test_a_referral_takes_the_full_name_and_address_from_the_cc_header() -> None:
    verdict = classify(
        "Looping in Dan (cc), who runs our build infrastructure.",
        headers={"Cc": "Dan Whitaker <dan.whitaker@northwind.example>"},
    )
    assert verdict.intent is Intent.REFERRAL
    assert verdict.referral is not None
    assert verdict.referral.name == "Dan Whitaker"
    assert verdict.referral.email == "dan.whitaker@northwind.example"


def test_the_senders_own_next_step_is_not_a_referral() -> None:
    verdict = classify("Interesting. I'll talk to Priya on our side and get back to you.")
    assert verdict.intent is Intent.INTERESTED
    assert verdict.referral is None


def test_interest_followed_by_but_and_an_objection_is_the_objection() -> None:
    verdict = classify("Looks neat, but our budget is frozen until July.")
    assert (verdict.intent, verdict.reason) == (Intent.OBJECTION, "budget")


def test_a_later_meeting_is_a_timing_objection() -> None:
    verdict = classify("Let's set up a call in March, after our audit.")
    assert (verdict.intent, verdict.reason) == (Intent.OBJECTION, "timing")


def test_a_greeting_question_is_not_a_question() -> None:
    verdict = classify("Oi Alex, tudo bem? Achei interessante, manda mais detalhes.")
    assert verdict.intent is Intent.INTERESTED


def test_a_bare_yes_to_our_ask_is_interest() -> None:
    verdict = classify(f"Yes!\n\nOn Mon, Dec 21, 2026 at 9:14 AM Alex wrote:\n{OUR_MESSAGE_QUOTED}")
    assert verdict.intent is Intent.INTERESTED


@pytest.mark.parametrize("text", ["Thanks", "Merci.", "Recibido.", "?", "lol", "🤷"])
def test_acknowledgements_go_to_a_person_as_other(text: str) -> None:
    verdict = classify(text)
    assert verdict.intent is Intent.OTHER
    assert verdict.needs_person
    assert verdict.confidence < 0.6
    assert_rules_ran(verdict)
    assert verdict.evidence == f"{NO_RULE_MATCHED}: “{text}”"
