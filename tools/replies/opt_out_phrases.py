"""Opt-outs in words, in the five languages: any request to stop contacting or to erase.

They are honoured at once, like the one-click link, wherever they stand in a reply; the word
"unsubscribe" only talked about ("I almost hit unsubscribe") is not one.
"""

from __future__ import annotations

from tools.replies.phrase_rules import rule
from tools.replies.verdict import Intent

U = Intent.UNSUBSCRIBE

_KEYWORDS = (
    r"stop|stopall|stop all|unsubscribe|cancel|end|quit|remove|baja|alta no|desuscribir|"
    r"desinscription|desinscrire|abmelden|stopp|austragen|descadastrar|sair|parar|remover|"
    r"cancelar"
)
_HYPOTHETICAL = (
    r"(?:almost|nearly|about to|going to|was going to|thought about|tempted to|before i|"
    r"(?:hit|click|clicked|press|pressed|use|used|found|see|saw)(?: the| your| that| an?)?)"
)
"""Words that make "unsubscribe" a thing talked about, not a request."""

UNSUBSCRIBE_RULES = (
    rule(U, 0.95, "en", r"unsubscribe[ds]?", r"un-subscribe", unless_before=_HYPOTHETICAL),
    rule(
        U,
        0.95,
        "",
        rf"^\s*(?:please |pls |plz |kindly )?(?:{_KEYWORDS})(?: me| us)?(?: please| pls| thanks)?"
        r"\s*[.!]*\s*$",
        r"^\s*(?:remove|unsubscribe|stop|baja|abmelden)\s*[.!]",
    ),
    rule(
        U,
        0.95,
        "en",
        r"remove (?:me|us|my (?:e-?mail|email address|address|name|details|contact|info|data))",
        r"take (?:me|us|my (?:name|e-?mail|address|details)) off",
        r"(?:stop|quit|cease) (?:e-?mailing|contacting|messaging|texting|writing to|spamming|"
        r"bothering|pestering|harassing|calling|emailing) (?:me|us)",
        r"stop sending (?:me|us|these|this|emails?|messages?)",
        r"(?:rather|prefer to|prefer) not (?:to )?(?:receive|get) (?:these|your|any|such|more|"
        r"further)",
        r"(?:do not|don't|dont|never) (?:ever )?(?:contact|e-?mail|message|text|write to|"
        r"reach out to|call|spam) (?:me|us)",
        r"opt(?:-| )?(?:me |us )?out",
        r"no more (?:e-?mails|messages|emails)",
        r"(?:delete|erase|remove) (?:all )?(?:of )?(?:my|our) (?:personal )?(?:data|details|"
        r"information|e-?mail|contact)",
        r"(?:erasure|deletion) of (?:my|our|all my) (?:personal )?(?:data|details|information)",
        r"right to (?:be forgotten|erasure)",
        r"never consented to (?:be contacted|receive)",
        r"off (?:your|the|this) (?:mailing |e-?mail |distribution |contact )?list",
        r"(?:please )?(?:don't|do not) (?:reach out|follow up|write|email) (?:again|anymore|"
        r"any more)",
        r"(?:i|we) (?:do not|don't) (?:want|wish) to (?:receive|get|hear) (?:any )?(?:more|further|"
        r"these|your)",
        r"(?:don't|do not) send (?:me|us) (?:any )?(?:more|further|anything)",
        r"(?:be|get|been|being) (?:removed|taken off|unsubscribed|deleted|excluded|"
        r"dropped) (?:from|off)",
        r"(?:still|keep|keeps|continue to) (?:get|getting|receive|receiving|gets) (?:these|your|"
        r"this|"
        r"emails|e-mails|messages)",
        r"no (?:further|more) (?:contact|communication|outreach|follow-?ups?|messages|emails)",
        r"stop (?:these|the|your|all) (?:e-?mails|messages|sequence|outreach|follow-?ups)",
        r"(?:take|get|remove) (?:me|us) (?:out|off) of",
    ),
    rule(U, 0.8, "en", r"leave (?:me|us) alone", r"(?:lose|forget) my (?:e-?mail|address|number)"),
    rule(
        U,
        0.95,
        "es",
        r"dar(?:me|nos|se)? de baja",
        r"sigo recibiendo",
        r"(?:quiero|quisiera|deseo|queremos) (?:que me |que nos )?(?:eliminen|borren|saquen|quiten|"
        r"den de baja|excluyan)",
        r"no (?:quiero|queremos|deseo) (?:que me (?:escriban|contacten)|recibir)",
        r"(?:me|nos) (?:doy|dan|den|de|des) de baja",
        r"(?:me|nos) (?:elimin|borr|quit|sac|retir)\w* de (?:su|tu|la|sus|vuestra|esta|vuestras|"
        r"tus) (?:lista|base|listado|listas|envios|registros)",
        r"(?:eliminar|eliminen|elimine|borrar|borren|borre|quitar|quiten|quite|sacar|saquen|"
        r"saque)(?:me|nos)? de (?:su|tu|la|sus|vuestra|esta|vuestras) (?:lista|base de datos|"
        r"listado|listas)",
        r"(?:eliminarme|borrarme|quitarme|sacarme|eliminenme|borrenme|quitenme|sacenme|"
        r"eliminame|borrame|quitame|sacame)",
        r"no (?:me|nos) (?:vuelva|vuelvan|vuelvas) a (?:escribir|contactar|enviar|mandar|llamar)",
        r"(?:deje|dejen|deja|dejad) de (?:escribir|enviar|mandar|contactar|llamar)(?:me|nos)?",
        r"no (?:quiero|queremos|deseo|deseamos) recibir (?:mas|ningun)",
        r"prefiero (?:que )?no (?:me )?(?:lleguen|recibir|escriban|envien)",
        r"no (?:me|nos) (?:escriba|escriban|escribas|contacte|contacten|contactes|envie|envien|"
        r"envies|mande|manden|mandes|lleguen) (?:nunca )?mas",
        r"(?:cancelar|anular) (?:la |mi )?suscripcion",
        r"desuscrib\w*",
        r"desinscrib\w*",
        r"ya no (?:me|nos) (?:envien|manden|escriban|contacten)",
        r"(?:supresion|borrado|eliminacion) de (?:mis|todos mis) datos",
        r"(?:elimin|borr|quit|sac|retir)\w* (?:mi|mis) (?:correo|email|e-mail|direccion|datos|"
        r"contacto)",
    ),
    rule(
        U,
        0.95,
        "fr",
        r"(?:me )?desinscri\w*",
        r"desabonn\w*",
        r"(?:retirez|supprimez|enlevez|rayez|otez|effacez)[- ](?:moi|nous)",
        r"(?:retirer|supprimer|enlever|effacer|rayer|retirez|supprimez|enlevez|effacez|rayez) "
        r"(?:mon adresse|mes coordonnees|mes donnees|mon e-?mail|mon nom|moi)",
        r"ne (?:me|nous) (?:contactez|ecrivez|envoyez|sollicitez|relancez|contacte[rz]?) plus",
        r"(?:merci de|veuillez|je vous prie de|priere de) ne plus (?:me|nous) (?:contacter|ecrire|"
        r"envoyer|solliciter|relancer)",
        r"(?:arretez|cessez|arrete) de (?:me |m'|nous )(?:contacter|ecrire|envoyer|solliciter|"
        r"relancer|spammer)",
        r"ne (?:souhaite|veux|desire|voulons|souhaitons) plus (?:rien )?recevoir",
        r"ne plus recevoir",
        r"ne plus (?:me |m'|nous )(?:contacter|ecrire|envoyer|solliciter|relancer|spammer)",
        r"(?:je continue a recevoir|je recois toujours|je recois encore)",
        r"(?:me|nous) (?:retirer|supprimer|enlever|effacer|rayer|desinscrire|desabonner) (?:de|des|"
        r"du)",
        r"(?:je souhaite|je veux|je voudrais|merci de) (?:etre )?(?:retire|retiree|desinscrit|"
        r"desinscrite|supprime|supprimee)",
        r"stop(?:pez)? (?:les|vos) (?:e-?mails|mails|messages|envois)",
        r"suppression de (?:mes|toutes mes) donnees",
        r"(?:supprim|retir|effac|enlev)\w* (?:mon|mes) (?:adresse|e-?mail|donnees|coordonnees|"
        r"contact)",
    ),
    rule(
        U,
        0.95,
        "de",
        r"abmelden",
        r"(?:bekomme|erhalte|bekommen|erhalten) (?:immer noch|weiterhin|trotzdem)",
        r"(?:mochte|will|wunsche|mochten) (?:keine|nicht mehr)\b[^.!?\n]{0,40}(?:e-?mails|mails|"
        r"nachrichten|erhalten|kontaktiert|angeschrieben)",
        r"abmeldung",
        r"abbestellen",
        r"austragen",
        r"tragen sie (?:mich|uns)\b[^.\n]{0,50}\baus",
        r"(?:entfernen|loschen|streichen) sie (?:bitte )?(?:mich|uns|meine (?:e-?mail-?adresse|"
        r"adresse|"
        r"daten|kontaktdaten))",
        r"(?:mich|meine (?:e-?mail-?adresse|adresse|daten|kontaktdaten)) (?:bitte )?(?:aus "
        r"(?:ihrem|ihrer|dem|der) (?:verteiler|liste|datenbank|kartei|mailingliste) )?(?:zu )?"
        r"(?:entfernen|loschen|streichen)",
        r"nehmen sie mich (?:bitte )?(?:aus|von)",
        r"keine (?:weiteren |weitere )?(?:e-?mails|mails|nachrichten|zusendungen|werbung|"
        r"kontaktaufnahmen?|anfragen) mehr",
        r"keine weiteren (?:e-?mails|mails|nachrichten|zusendungen|kontaktaufnahmen?)",
        r"(?:kontaktieren|schreiben|anschreiben|mailen|belastigen) sie (?:mich|uns) (?:bitte )?"
        r"(?:nicht mehr|nie wieder|kein\w* (?:weiteres )?mal)",
        r"(?:bitte )?nicht mehr (?:kontaktieren|anschreiben|schreiben|mailen|belastigen)",
        r"nicht (?:mehr|weiter) (?:zu )?\w{0,4}(?:zu)?(?:kontaktieren|schreiben|mailen|belastigen|"
        r"behelligen)",
        r"horen sie auf,? mir zu (?:schreiben|mailen)",
        r"(?:widerspreche|widersprechen) (?:der|jeder) (?:nutzung|verarbeitung|verwendung)",
        r"(?:bitte um|verlange|fordere) (?:die )?loschung",
        r"(?:losch|entfern|streich)\w* (?:sie )?(?:bitte )?meine (?:e-?mail|adresse|daten|"
        r"kontaktdaten)",
        r"loschung (?:meiner|der|aller) daten",
    ),
    rule(
        U,
        0.95,
        "pt",
        r"descadastr\w*",
        r"(?:continuo|sigo) recebendo",
        r"(?:cancelar|cancele) (?:a |minha )?(?:inscricao|assinatura)",
        r"(?:remova|removam|remover|retire|retirem|tire|tirem|exclua|excluam|excluir|apague|"
        r"apaguem)(?:-me)? (?:o )?(?:meu (?:e-?mail|email|contato|nome|endereco)|meus dados|"
        r"da (?:sua |vossa )?(?:lista|base))",
        r"(?:remova|removam|retire|retirem|tire|tirem|exclua|excluam)-me",
        r"me (?:remova|removam|retire|retirem|tire|tirem|exclua|excluam|tirar|remover|excluir|tira|"
        r"remove|exclui)",
        r"nao (?:me )?(?:envie|envies|enviem|mande|mandem|contate|contatem|contacte|escreva|"
        r"escrevam|procure|procurem) (?:nunca )?mais",
        r"(?:parem|pare|para|deixe|deixem) de (?:me )?(?:enviar|mandar|escrever|contatar|"
        r"contactar|ligar)",
        r"nao (?:quero|queremos|desejo|desejamos) (?:mais )?receber",
        r"(?:quero|gostaria de|desejo) (?:ser )?(?:removid[oa]|descadastrad[oa]|excluid[oa]|"
        r"retirad[oa])",
        r"nao (?:quero|desejo) (?:mais )?ser (?:contatad|contactad|procurad)[oa]",
        r"sair da (?:sua )?lista",
        r"exclusao (?:dos|de) (?:meus )?dados",
        r"(?:remov|exclu|apag|tir|retir)\w* (?:o )?(?:meu|meus|minha) (?:e-?mail|dados|contato|"
        r"endereco)",
    ),
)
"""Opt-outs in words: honoured at once, whatever else the reply says (also deep in it)."""
