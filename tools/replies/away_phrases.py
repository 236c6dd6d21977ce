"""How an absence notice words itself, beyond saying the sender is away, in five languages.

A person who mentions a trip ("I'm travelling until Friday, can we do Monday?") says they are
away too; what makes a text an absence notice is its boilerplate: no access to email, an
answer on return, whom to contact for urgent matters, a thank-you for the message.
"""

from __future__ import annotations

from tools.replies.phrase_search import rx

AWAY_NOTICE = rx(
    # English
    r"(?:limited|no|intermittent|restricted|little|without|sporadic|occasional) (?:access to "
    r"(?:my )?e-?mails?|e-?mail access)",
    r"(?:not|won't be|will not be|am not) (?:checking|reading|monitoring) (?:my )?e-?mails?",
    r"checking (?:my )?e-?mails? (?:sporadically|occasionally|intermittently|periodically)",
    r"(?:respond|reply|get back to you|answer|deal with|attend to|follow up|read)[^.\n]{0,60}"
    r"(?:when|upon|on|after) (?:i |my )?return",
    r"(?:for|in case of|if) (?:it's |this is |your (?:matter|request) is )?(?:anything |an? )?"
    r"(?:urgent|emergenc)\w*",
    r"(?:in|during) my absence",
    r"(?:e-?mails?|messages?) will not be (?:forwarded|read)",
    r"responses? will be delayed",
    r"delayed (?:response|reply)",
    r"^\s*thank you for your (?:e-?mail|message|note)",
    r"(?:i am|i'm) currently (?:out of (?:the )?office|away|on (?:leave|vacation|holiday))",
    # Spanish
    r"(?:acceso limitado|sin acceso|acceso restringido) (?:al|a mi|a) correo",
    r"(?:para|en caso de) (?:temas |asuntos |cualquier asunto |algo )?urgen\w*",
    r"(?:en|durante) mi ausencia",
    r"a mi (?:vuelta|regreso)",
    r"^\s*gracias por (?:su|tu) (?:mensaje|correo|e-?mail)",
    # French
    r"(?:acces limite|pas acces|pas d'acces|sans acces) (?:a mes|aux|a ma) (?:e-?mails|mails|"
    r"courriels|messagerie)",
    r"(?:en cas d'urgence|pour toute urgence|pour (?:les )?(?:demandes|questions|sujets) "
    r"urgent\w*)",
    r"(?:pendant|durant|en) mon absence",
    r"(?:a|des) mon retour",
    r"^\s*merci (?:pour|de) votre (?:message|e-?mail|courriel)",
    # German
    r"(?:in dringenden fallen|bei dringenden (?:anliegen|fragen)|in eiligen fallen)",
    r"(?:wahrend|in) meiner abwesenheit",
    r"nach meiner (?:ruckkehr|wiederkehr)",
    r"(?:eingeschrankt|keinen zugriff|keinen zugang)[^.\n]{0,30}(?:e-?mails|mails|postfach)",
    r"(?:ihre|die) (?:nachricht|e-?mail) wird nicht weitergeleitet",
    r"^\s*(?:vielen )?dank fur ihre (?:nachricht|e-?mail)",
    # Portuguese
    r"(?:acesso (?:limitado|restrito)|sem acesso) (?:ao|a|aos) (?:e-?mails?|email|correio)",
    r"em caso de urgencia",
    r"(?:durante|na) minha ausencia",
    r"(?:no meu|ao|apos o meu) retorno",
    r"quando (?:eu )?(?:voltar|retornar)",
    r"^\s*obrigad[oa] pela (?:sua )?mensagem",
)
"""An absence notice's own boilerplate (folded text)."""
