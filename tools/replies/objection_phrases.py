"""Objections by reason: no authority, an existing solution, budget, no fit (timing: its own).

An objection gives a reason and leaves the door open; said with an explicit refusal ("not
interested, we already use X") it becomes that refusal's reason instead.
"""

from __future__ import annotations

from tools.replies.phrase_rules import Rule, rule
from tools.replies.timing_phrases import TIMING_RULES
from tools.replies.verdict import Intent, ObjectionReason

BUDGET = ObjectionReason.BUDGET.value
HAS_SOLUTION = ObjectionReason.HAS_SOLUTION.value
NOT_RELEVANT = ObjectionReason.NOT_RELEVANT.value
NO_AUTHORITY = ObjectionReason.NO_AUTHORITY.value

_STRENGTH = {NOT_RELEVANT: 0.75}
"""How sure a reason's phrases make us; "not relevant" is said of many things."""


def _objection(reason: str, language: str, *phrases: str, unless_before: str | None = None) -> Rule:
    strength = _STRENGTH.get(reason, 0.8)
    return rule(
        Intent.OBJECTION, strength, language, *phrases, reason=reason, unless_before=unless_before
    )


NO_AUTHORITY_RULES = (
    _objection(
        NO_AUTHORITY,
        "en",
        r"(?:wrong|different) (?:person|department|team|contact)",
        unless_before=r"(?:sent|went|mailed|addressed|forwarded)(?: this| it)? to (?:the )?",
    ),
    _objection(
        NO_AUTHORITY,
        "en",
        r"(?:not|no longer) (?:involved|responsible|in charge) (?:in|with|for|of) (?:\w+ )?"
        r"(?:tooling|purchasing|buying|vendor|procurement|decisions|this|that|these)",
        r"(?:i'm|i am|im) not (?:the |a |really the )?(?:right|best|correct|appropriate|relevant|"
        r"proper|decision|ideal)(?: person| contact| one| maker| point of contact| guy| fit)?",
        r"not (?:the )?(?:right|best|correct|appropriate) (?:person|contact|one)",
        r"(?:not|isn't|is not|wasn't) my (?:area|department|call|decision|responsibility|remit|"
        r"domain|"
        r"team|wheelhouse|budget|field)",
        r"not sure who (?:handles|owns|decides|is responsible|to ask|looks after|deals with)",
        r"(?:i'm|i am) (?:just |only )?(?:an? )?(?:intern|assistant|contractor|junior)\b",
        r"i only work on",
        r"(?:that|this|it) (?:sits|lies|rests) with",
        r"(?:i|we) (?:don't|do not) (?:handle|make (?:the )?decisions?|decide|own|manage|oversee|"
        r"look after|deal with|run) (?:on |about )?(?:this|that|these|it|purchasing|procurement|"
        r"vendor|tooling|that area|those)",
        r"(?:above|beyond) my pay ?grade",
        r"(?:i|we) (?:don't|do not) have (?:the )?(?:authority|say)",
        r"(?:no longer|not) (?:with|at) (?:the company|this company|[a-z]+ anymore)",
        r"no longer work(?:s|ing)? (?:at|for|here)",
        r"(?:i've|i have) (?:left|moved on from)",
        r"(?:i )?(?:can't|cannot|can not|don't|do not) (?:buy|purchase|sign off on|approve|sign)\b",
        r"(?:talk|speak|go) (?:to|through) (?:procurement|purchasing|legal|finance|my boss|"
        r"my manager)",
        r"(?:i|i'm|i am) (?:just|only|mainly|mostly) (?:handle|do|cover|work on|look after|run|in "
        r"charge of|responsible for) (?!this|that|it\b)\w+",
        r"(?:someone else|somebody else|another team|another department|a different team|my boss|"
        r"my manager|management|leadership|our cto|our ceo|the cto|the ceo) (?:handles|owns|"
        r"decides|"
        r"manages|makes|is responsible|takes care|would decide|has to decide|signs off)",
        r"(?:decision|decisions|budget) (?:is|are|sits?|lies|rests) with",
        r"(?:someone else|another team|another department|a different team) (?:handles|owns|"
        r"decides|manages|is responsible)",
    ),
    _objection(
        NO_AUTHORITY,
        "es",
        r"no soy (?:la persona|el|la|el contacto) ?(?:indicad[oa]|adecuad[oa]|correct[oa]|"
        r"responsable|apropiad[oa])",
        r"no soy (?:yo )?(?:quien|el que|la que) (?:decide|lleva|gestiona)",
        r"no (?:es|esta (?:en|dentro de)) (?:de )?mi (?:area|competencia|decision|responsabilidad|"
        r"departamento)",
        r"no (?:lo |la )?(?:decido|tengo (?:poder de )?decision)",
        r"ya no (?:trabajo|estoy) en",
    ),
    _objection(
        NO_AUTHORITY,
        "fr",
        r"(?:je ne suis pas|pas) (?:la bonne personne|le bon interlocuteur|la personne (?:adequate|"
        r"indiquee|concernee|en charge))",
        r"pas (?:mon|de mon) (?:domaine|ressort|perimetre|role)",
        r"(?:ce n'est|c'est) pas moi qui (?:gere|decide|m'occupe|s'occupe|choisi)",
        r"ne releve pas de (?:moi|mon|ma)",
        r"je ne (?:decide|suis pas decisionnaire)",
        r"(?:je ne travaille plus|ne fais plus partie)",
    ),
    _objection(
        NO_AUTHORITY,
        "de",
        r"(?:falsche|falscher|falschen) (?:ansprechpartner\w*|person|kontakt|adresse)",
        r"(?:ich bin|bin) (?:dafur |hierfur )?(?:leider )?nicht (?:der|die) (?:richtige|zustandige|"
        r"passende)",
        r"(?:dafur |hierfur )?nicht zustandig",
        r"nicht (?:mein|meine) (?:bereich|zustandigkeit|entscheidung|abteilung)",
        r"(?:entscheide|treffe) (?:ich |das )?(?:die entscheidung )?nicht",
        r"(?:nicht mehr|nicht langer) (?:bei|im unternehmen|in der firma)",
    ),
    _objection(
        NO_AUTHORITY,
        "pt",
        r"nao sou (?:a pessoa|o|a) ?(?:certa|indicad[oa]|responsavel|adequad[oa]|corret[oa])",
        r"nao (?:e|esta) (?:na |da )?minha (?:area|responsabilidade|alcada|decisao)",
        r"nao (?:decido|sou (?:eu )?quem decide)",
        r"(?:ja )?nao trabalho mais",
    ),
)

HAS_SOLUTION_RULES = (
    _objection(
        HAS_SOLUTION,
        "en",
        r"(?:we're|we are|i'm|i am) (?:pretty |quite |very |really |perfectly |"
        r"more than )?(?:happy|"
        r"satisfied|content|fine) with",
        r"(?:we|i) (?:have|'ve got|got|built|use) (?:an? |our own |our )?(?:internal|in-house|"
        r"homegrown|"
        r"home-grown|own|custom)\b",
        r"(?:we've|we have) been using \w+",
        r"(?:we|i) (?:already|currently) (?:use|have|work with|partner with|rely on|pay for|run|"
        r"license|got|outsource)",
        r"we(?:'re| are) (?:already|currently|quite) (?:using|working with|partnered with|covered|"
        r"set|locked in|under contract|signed|in a contract|happy with|tied)",
        r"(?:already|currently) (?:using|have|has) (?:a|an|our|something|someone)",
        r"(?:happy|satisfied|content|locked in|under contract|sticking) with (?:our|the|a) "
        r"(?:current|existing)? ?(?:vendor|provider|solution|tool|partner|setup|supplier|platform|"
        r"agency|stack)",
        r"(?:have|built|use|got) (?:our own|an in-house|an internal|in-house|internal) "
        r"(?:solution|tool|team|system|platform|process)",
        r"(?:built|build|do|handle) (?:it|our own|this|that) (?:in-house|internally)",
        r"already (?:have|got) (?:a|an|someone|something|this|that|one|it) ?(?:covered|for that|"
        r"vendor|provider|solution|tool|partner|in place)?",
        r"(?:have|got) (?:this|that|it) covered",
        r"(?:just|recently) (?:signed|renewed|chose|selected|bought|purchased|went with|"
        r"switched to)",
        r"(?:have|has) a contract with",
        r"locked (?:in|into)",
        r"under contract",
        r"(?:contract|agreement) with (?:another|a different|our current|an existing)",
        r"already (?:covered|sorted|handled|taken care of|solved|in place|got (?:it|that|"
        r"this) covered)",
        r"(?:signed|went|go|going|gone) with (?:a |another |one of your )?(?:competitor|vendor|"
        r"provider|"
        r"different (?:vendor|provider|tool))",
        r"(?:we|our team) (?:use|are using|run|rely on)\b[^.!?\n]{0,60}\balready\b",
        r"(?:we're|we are|i'm|i am) already (?:a |an )?(?:\w+ ){0,2}(?:customer|client|user)s?",
        r"(?:happy|satisfied|fine) with what we (?:have|use|got)",
        r"in-house",
        r"(?:rolled|built|wrote|developed|made) our own",
        r"in house",
        r"home-?grown",
    ),
    _objection(
        HAS_SOLUTION,
        "es",
        r"(?:usamos|utilizamos|trabajamos con) [^.!?\n]{1,40}(?:desde hace|hace anos|y estamos "
        r"content|y funciona)",
        r"ya (?:usamos|utilizamos|tenemos|trabajamos con|contamos con|disponemos de|"
        r"hemos contratado|"
        r"estamos usando|estamos trabajando)",
        r"(?:estamos|estoy) (?:content[oa]s?|satisfech[oa]s?) con (?:nuestr|el|la|los|las|su)",
        r"(?:solucion|herramienta|equipo) (?:propia|propio|interna|interno)",
        r"lo (?:hacemos|desarrollamos|gestionamos) internamente",
    ),
    _objection(
        HAS_SOLUTION,
        "fr",
        r"(?:nous|on) (?:utilisons|avons|travaillons|utilise|a|travaille) (?:deja|actuellement)",
        r"deja (?:tout )?(?:une solution|un prestataire|un outil|un fournisseur|equipes?|"
        r"ce qu'il faut)",
        r"(?:satisfaits?|contents?) (?:de|avec) (?:notre|nos|l'outil|la solution)",
        r"(?:solution|outil) (?:interne|maison)",
        r"en interne",
    ),
    _objection(
        HAS_SOLUTION,
        "de",
        r"(?:sind|bin) (?:sehr |ganz |recht |durchaus )?(?:zufrieden|glucklich) mit",
        r"mit (?:unserer|unserem|der|dem|unseren) [^.!?\n]{0,40}zufrieden",
        r"(?:nutzen|verwenden|haben) [^.!?\n]{1,30}(?:seit jahren|und sind zufrieden|schon lange)",
        r"(?:wir|ich) (?:nutzen|verwenden|haben|arbeiten|setzen)(?: \w+)? (?:bereits|schon|aktuell|"
        r"derzeit)",
        r"(?:bereits|schon) (?:einen|eine|ein) (?:anbieter|losung|tool|dienstleister|partner|"
        r"system)",
        r"(?:bereits|schon) (?:gut )?(?:versorgt|abgedeckt|ausgestattet)",
        r"(?:sehr )?zufrieden mit (?:unserem|unserer|dem|der|unseren)",
        r"(?:eigene|interne|hauseigene|eigenes|internes) (?:losung|entwicklung|tool|team)",
        r"(?:machen|erledigen|losen|decken|regeln|nutzen|haben) wir (?:das |dafur )?(?:bereits|"
        r"schon|intern)",
        r"(?:bereits|schon) (?:mit|uber) (?:einem|einer|unserem|unserer) (?:internen |eigenen )?"
        r"(?:tool|losung|anbieter|system|dienstleister)",
        r"(?:intern|inhouse) (?:gelost|entwickelt|abgedeckt)",
    ),
    _objection(
        HAS_SOLUTION,
        "pt",
        r"ja (?:usamos|utilizamos|temos|trabalhamos com|contamos com|possuimos|estamos usando|"
        r"contratamos|usa|tem|uso|tenho)",
        r"(?:estamos|estou) (?:satisfeit[oa]s?|content[ea]s?) com",
        r"(?:solucao|ferramenta|equipe) (?:propria|interna|proprio|interno)",
        r"(?:fazemos|desenvolvemos) (?:isso )?internamente",
    ),
)

BUDGET_RULES = (
    _objection(
        BUDGET,
        "en",
        r"(?:budget|funding|funds|money)\b[^.!?\n]{0,50}(?:not|n't|no|never|frozen|cut|tight|"
        r"gone|spent)",
        r"(?:no|not|n't|without|lack of|find|need to find|have to find|would need)\b[^.!?\n]{0,30}"
        r"\b(?:budget|funding)",
        r"no budget",
        r"(?:don't|do not|doesn't|does not) have (?:the |any |a |enough )?budget",
        r"(?:budget|budgets) (?:is|are|was|were|has been|have been) (?:already )?(?:tight|frozen|"
        r"spent|allocated|cut|used up|exhausted|locked|committed|limited|gone)",
        r"budget (?:freeze|constraints?|cuts?)",
        r"budget(?:'s| has| have| was| is)? (?:been )?(?:cut|frozen|slashed|reduced|spent|"
        r"allocated|"
        r"exhausted|gone|tight)",
        r"(?:too|very|quite|rather) (?:expensive|pricey|costly)",
        r"(?:can't|cannot|can not) afford",
        r"(?:out of|outside (?:of )?|over) (?:our |the )?budget",
        r"(?:cost|price|pricing) is (?:too )?(?:high|steep)",
        r"(?:no|zero) (?:money|funds|funding) for",
        r"cost[- ]cutting",
        r"spending freeze",
        r"(?:not|isn't) in (?:the|our|this year's) budget",
    ),
    _objection(
        BUDGET,
        "es",
        r"presupuesto\b[^.!?\n]{0,50}(?:no|agotado|congelado|recortado|cerrado)",
        r"(?:no|sin|falta)\b[^.!?\n]{0,30}\bpresupuesto",
        r"(?:sin|no (?:tenemos|hay|contamos con|tengo)) (?:el |un |suficiente )?presupuesto",
        r"presupuesto (?:esta |es )?(?:agotado|congelado|cerrado|limitado|ajustado|asignado)",
        r"(?:demasiado|muy|bastante) car[oa]",
        r"no (?:nos lo )?podemos permitir",
        r"recortes? (?:de|en el) presupuesto",
        r"fuera de(?:l| nuestro)? presupuesto",
        r"(?:recortado|recortaron|reducido|congelado) (?:el|nuestro) presupuesto",
        r"no (?:podemos|puedo) (?:asumir|pagar|costear)\w*",
    ),
    _objection(
        BUDGET,
        "fr",
        r"budget\b[^.!?\n]{0,50}(?:pas|plus|gele|epuise|boucle|serre)",
        r"(?:pas|plus|sans|manque)\b[^.!?\n]{0,30}\bbudget",
        r"pas (?:de|le) budget",
        r"(?:aucun|sans) budget",
        r"budgets? (?:est |sont )?(?:serres?|geles?|epuises?|boucles?|limites?|alloues?)",
        r"(?:trop|tres) cher",
        r"(?:hors|au-dela) (?:de )?(?:notre )?budget",
        r"pas les moyens",
    ),
    _objection(
        BUDGET,
        "de",
        r"budget\b[^.!?\n]{0,50}(?:nicht|kein|fehlt|knapp)",
        r"(?:kein\w*|fehlt\w*|nicht)\b[^.!?\n]{0,30}\bbudget",
        r"kein(?:e)? (?:budget|mittel|geld)",
        r"budget[^.!?\n]{0,30}(?:verplant|aufgebraucht|erschopft|ausgeschopft|gekurzt|eingefroren)",
        r"budget (?:ist |sind )?(?:bereits )?(?:erschopft|"
        r"aufgebraucht|eingefroren|knapp|verplant|gekurzt|ausgeschopft)",
        r"(?:zu|sehr|viel zu) teuer",
        r"(?:nicht|kein) im budget",
        r"sparma(?:ß|ss)nahmen",
        r"budgetsperre",
        r"budgetstopp",
        r"nicht leisten",
    ),
    _objection(
        BUDGET,
        "pt",
        r"(?:orcamento|verba)\b[^.!?\n]{0,50}(?:nao|sem|apertad|congelad|esgotad)",
        r"(?:nao|sem|falta)\b[^.!?\n]{0,30}\b(?:orcamento|verba)",
        r"(?:sem|nao (?:temos|ha|tem|tenho)) (?:o |um |verba|orcamento)(?: orcamento)?",
        r"(?:sem|nao (?:temos|ha|tem|tenho)) verba",
        r"orcamento (?:esta |e )?(?:apertado|congelado|esgotado|limitado|fechado|comprometido)",
        r"(?:muito|bastante) car[oa]",
        r"caro demais",
        r"(?:fora do|acima do) (?:nosso )?orcamento",
        r"nao (?:podemos|conseguimos) pagar",
        r"corte(?:s)? de (?:custos|orcamento)",
    ),
)

NOT_RELEVANT_RULES = (
    _objection(
        NOT_RELEVANT,
        "en",
        r"not relevant",
        r"(?:isn't|is not|not) (?:really )?(?:relevant|applicable|a (?:good )?fit|"
        r"a match|for our (?:business|industry|company))",
        r"(?:doesn't|does not|don't|do not) (?:really )?(?:apply|fit|make sense) (?:to|for) (?:us|"
        r"our)",
        r"(?:we|i) (?:don't|do not) (?:really |even |actually )?(?:have|run|use|do|build|ship|"
        r"work with|deal with|sell|write) (?:any |a |an )?"
        r"(?!budget|the budget|a budget|time|the time|bandwidth|the bandwidth)\w+",
        r"(?:we're|we are) not (?:a|an) (?:\w+ ){0,2}(?:company|business|shop|team)",
        r"wrong (?:company|industry|fit|audience|target)",
        r"(?:don't|do not) (?:have|face) (?:that|this|this kind of|that kind of) (?:problem|issue|"
        r"challenge|need)",
        r"not (?:something|what|a problem) (?:we|that we) (?:need|have|face)",
        r"not applicable",
        r"(?:no|not a) use case",
        r"(?:doesn't|does not) (?:apply|fit)",
    ),
    _objection(
        NOT_RELEVANT,
        "es",
        r"(?:no|ni) (?:tenemos|desarrollamos|hacemos|usamos) (?!presupuesto|tiempo|interes)"
        r"(?:ningun |ninguna )?\w+ (?:propio|propia|interno|interna)",
        r"no (?:es|resulta) (?:relevante|aplicable|pertinente)",
        r"no (?:aplica|nos aplica|encaja|nos encaja|tiene sentido para nosotros)",
        r"no (?:es|son) (?:nuestro|nuestra) (?:sector|caso|perfil)",
    ),
    _objection(
        NOT_RELEVANT,
        "fr",
        r"pas (?:pertinent|concerne|adapte|applicable)",
        r"ne (?:nous )?concerne pas",
        r"ne (?:correspond|s'applique) pas",
        r"(?:hors|pas dans notre) (?:sujet|perimetre|cible)",
        r"(?:ne sommes pas|ne suis pas|pas) concerne(?:e|s|es)?",
    ),
    _objection(
        NOT_RELEVANT,
        "de",
        r"(?:das|es) passt (?:fur uns |bei uns |leider )?nicht",
        r"passt (?:das|es) (?:fur uns |bei uns |leider )?nicht",
        r"(?:wir|ich) (?:haben|entwickeln|betreiben|machen|bauen|schreiben) (?:gar |uberhaupt )?"
        r"kein(?:e|en)? (?!budget|zeit|interesse|bedarf)\w+",
        r"nicht relevant",
        r"(?:trifft|passt) (?:auf uns |fur uns |bei uns )?nicht(?: zu)?",
        r"(?:nicht|kein) (?:unser|unsere) (?:thema|bereich|zielgruppe)",
        r"(?:fur|bei) uns nicht (?:relevant|sinnvoll|anwendbar)",
    ),
    _objection(
        NOT_RELEVANT,
        "pt",
        r"nao (?:e|se) (?:relevante|aplica|aplicavel)",
        r"nao se aplica",
        r"nao faz sentido (?:para|pra) (?:nos|a gente|o nosso|a nossa|nosso|nossa)",
        r"nao (?:e|faz parte) (?:do nosso|da nossa) (?:setor|area|foco)",
    ),
)

OBJECTION_RULES = (
    *NO_AUTHORITY_RULES,
    *HAS_SOLUTION_RULES,
    *BUDGET_RULES,
    *TIMING_RULES,
    *NOT_RELEVANT_RULES,
)
"""Pushback that leaves the door open, most specific reasons first."""
