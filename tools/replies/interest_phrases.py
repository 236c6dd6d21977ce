"""Phrases that open a door: showing interest, asking a question, saying yes.

"Let's talk" without a day, a time, slots or a link is interest (see meeting_phrases.py).
"""

from __future__ import annotations

from tools.replies.phrase_rules import rule
from tools.replies.verdict import Intent

YES = Intent.INTERESTED
Q = Intent.QUESTION

INTERESTED_RULES = (
    rule(
        YES,
        0.75,
        "en",
        r"(?:i'm|i am|we're|we are|i'd be|we'd be|very|definitely|quite|certainly|genuinely|really|"
        r"yes|yep|sure)[,!]? (?:very |definitely |quite |certainly |potentially |possibly |"
        r"genuinely |actually |really |pretty |somewhat |also )?interested",
        r"^\s*interested\b",
        r"(?<=[.!] )interested\b",
        r"^\s*(?:interesting|intriguing)[.!]",
        r"(?:sounds|looks|seems) (?:really |very |pretty |quite )?(?:interesting|intriguing|"
        r"promising|great|good|useful|relevant|compelling|cool|neat)",
        r"(?:tell|show) (?:me|us) more",
        r"(?:send|share|forward) (?:me |us |over )*(?:some |more |a |the |your )?(?:more )?(?:info|"
        r"information|details|deck|one-pager|case stud(?:y|ies)|brochure|materials?|overview|"
        r"pricing|"
        r"examples?|docs|documentation|whitepaper)",
        r"(?:send|share|forward) (?:me |us )?(?:over )?(?:whatever|what) you (?:have|got)",
        r"(?:i'd|i would|we'd|we would) (?:like|love) to (?:learn|know|hear|see|"
        r"understand) (?:more|about|how)",
        r"(?:keen|eager|curious|happy) to (?:learn|hear|see|know|understand|explore|try)",
        r"(?:this is|that's|that is|this looks|looks) (?:actually |very |really |quite |super )?"
        r"(?:timely|relevant|exactly|interesting|great timing|good timing|perfect timing)",
        r"count (?:me|us) in",
        r"(?:we've|we have) been (?:looking|thinking|meaning)",
        r"open to (?:it|this|learning|a conversation|hearing|exploring|the idea|a call|a chat)",
        r"worth (?:a look|exploring|a conversation|discussing)",
        r"(?:good|great|perfect|nice|funny) timing",
        r"(?:i'd|we'd) be (?:happy|glad|keen|open) to (?:explore|learn|hear|try|look)",
        r"(?:would|could) (?:be|help) (?:useful|helpful|valuable|great) for us",
        r"(?:love|like) (?:the idea|what you)",
        r"you (?:got|have) my attention",
        r"(?:let's|lets) (?:talk|chat|connect|speak|catch up|discuss|do it|hop on a call)",
        r"(?:happy|glad|keen|open) to (?:chat|talk|meet|connect|speak|hop on|jump on)",
        r"(?:a|the) (?:call|chat|conversation) (?:makes sense|sounds good|would be good)",
        r"how (?:do|can|should) (?:we|i) (?:get started|start|proceed|sign up|move forward|try it)",
        r"what(?:'s| is| are| would be) (?:the )?next steps?",
        r"(?:on|about|with) (?:the )?next steps",
        r"loop me in",
        r"what do you need from (?:me|us)",
        r"(?:could|might|may|would) be (?:really |very |quite )?(?:interesting|useful|helpful|"
        r"valuable)",
        r"(?:can|could|would) you (?:send|share|forward) (?:me |us )?(?:over )?(?:some |more |a |"
        r"an |"
        r"the |your )?(?:more )?(?:info|information|details|deck|one-pager|case stud(?:y|ies)|"
        r"brochure|"
        r"overview|examples?|docs|documentation|whitepaper|presentation|demo video)",
        r"(?:give me|give us) a (?:call|ring)",
        r"(?:send|share|forward|shoot)\b[^.!?\n]{0,30}\b(?:deck|info|information|details|"
        r"materials?|"
        r"presentation|demo video|video|overview|case stud(?:y|ies)|one-pager|docs|documentation|"
        r"brochure|whitepaper)",
        r"(?:i'd|i would|we'd|we would) (?:love|like) to (?:see|get|have|watch) (?:a |the |your |"
        r"some )?"
        r"(?:demo|video|deck|overview|walkthrough|example|trial)",
        r"(?:relevant|timely|useful|interesting|valuable) (?:to|for) (?:us|me|our team)",
        r"(?:makes|would make) (?:a lot of )?sense (?:for us|to us|for our)",
        r"(?:i'm|we're|i am|we are) (?:definitely |actually |quite )?(?:keen|curious|intrigued)",
        negatable=True,
    ),
    rule(
        YES,
        0.75,
        "es",
        r"(?:me|nos) interesa(?:ria)?",
        r"(?:estoy|estamos|estaria|estariamos) (?:muy )?interesad[oa]s?",
        r"(?:suena|parece|me parece|nos parece) (?:muy )?(?:bien|interesante|util|prometedor|"
        r"genial)",
        r"(?:cuentame|cuenteme|cuentanos|cuentenos|explicame|expliqueme) (?:mas|un poco mas)",
        r"(?:enviame|envieme|mandame|mandeme|comparteme|envianos|envienos|mandanos) (?:mas )?"
        r"(?:informacion|info|detalles|documentacion|una presentacion|el deck|precios)",
        r"me (?:gustaria|encantaria) (?:saber|conocer|ver|entender) (?:mas|como)",
        r"(?:podria|puede|podrian) (?:ser|resultar|sernos) (?:muy )?(?:interesante|util)",
        r"(?:nos|me) (?:podria|puede|podrian) interesar",
        r"(?:cuales|que) (?:son|serian) (?:los )?(?:siguientes|proximos) pasos",
        r"(?:me|nos) (?:mandas|envias|mandan|envian|pasas|pasan|puedes mandar|puedes enviar|"
        r"podrias mandar|podrias enviar|puede enviar|podria enviar)\w* (?:mas )?(?:informacion|"
        r"info|"
        r"detalles|documentacion|una presentacion)",
        r"(?:claro|por supuesto|si),? (?:me interesa|adelante|encantad)",
        r"(?:encantad[oa]|feliz) de (?:hablar|conversar|charlar)",
        r"hablemos",
        r"(?:podemos|podriamos) hablar",
        r"nos vendria bien",
        r"(?:enviame|envieme|mandame|mandeme|manda|envia|comparte|pasame|pasa)\b[^.!?\n]{0,30}\b"
        r"(?:info|informacion|detalles|material|presentacion|demo|video|documentacion|precios|"
        r"deck)",
        r"(?:justo|precisamente) (?:estamos|estabamos) (?:buscando|mirando|pensando)",
        r"(?:es|seria|resulta) (?:muy )?(?:relevante|util|interesante) para nosotros",
        r"(?:quiero|quisiera|queremos) (?:saber|entender|conocer|ver) (?:mas|como|mejor)",
        negatable=True,
    ),
    rule(
        YES,
        0.75,
        "fr",
        r"(?:ca|cela|ceci) (?:m'|nous )?interesse",
        r"(?:je suis|nous sommes|je serais|nous serions) "
        r"(?:tres |plutot |vraiment )?interesse(?:e|s|es)?",
        r"^\s*interesse(?:e|s|es)?\b",
        r"(?:ca|cela) (?:a l'air|semble|parait) (?:tres |plutot )?(?:interessant|prometteur|utile|"
        r"bien)",
        r"(?:dites|dis)[- ](?:m'en|nous-en|m en) plus",
        r"(?:m'en|nous en) dire plus",
        r"(?:pouvez-vous|pourriez-vous|vous pouvez|tu peux|tu pourrais) (?:m'|nous |"
        r"me )?(?:envoyer|"
        r"transmettre|partager)\b[^.!?\n]{0,30}\b(?:infos?|informations|details|presentation|"
        r"documentation|plaquette|demo|video|tarifs)",
        r"pourrai(?:t|ent) (?:nous |m')?(?:interesser|etre (?:interessant|utile))",
        r"(?:quelles sont|quelles seraient) les prochaines etapes",
        r"en savoir (?:plus|davantage)",
        r"(?:envoyez|envoie|transmettez)[- ](?:moi|nous) (?:plus d')?(?:informations|infos|details|"
        r"une presentation|la documentation|une plaquette|les tarifs|de la documentation)",
        r"(?:pourquoi pas|volontiers|avec plaisir)",
        r"(?:tres|plutot) interessant",
        r"bon timing",
        r"je veux bien",
        r"(?:ok|d'accord) pour un (?:echange|appel)",
        r"(?:echangeons|parlons-en|discutons-en)",
        r"(?:envoyez|envoie|transmettez|partagez)[- ](?:moi|nous)\b[^.!?\n]{0,30}\b(?:infos?|"
        r"informations|details|presentation|documentation|plaquette|demo|video|tarifs)",
        r"(?:je suis|nous sommes) preneu(?:r|se|rs)",
        r"c'est (?:un|notre) sujet",
        r"(?:ca|cela) (?:tombe bien|pourrait nous (?:aider|interesser)|nous parle)",
        r"(?:je veux|j'aimerais|je voudrais) (?:bien )?(?:en savoir|comprendre|voir)",
        negatable=True,
    ),
    rule(
        YES,
        0.75,
        "de",
        r"(?:klingt|hort sich|liest sich|wirkt) (?:sehr |durchaus |ganz |wirklich )?(?:interessant|"
        r"gut|"
        r"spannend|vielversprechend|nutzlich)",
        r"(?:ich bin|wir sind|bin|sind|waren|ware|grundsatzlich|prinzipiell|sehr) interessiert",
        r"^\s*interessiert\b",
        r"(?:das )?interessiert (?:mich|uns)",
        r"(?:schicken|senden|schick) (?:sie )?(?:mir |uns )?(?:gerne |bitte )?(?:mehr |weitere )?"
        r"(?:infos|informationen|unterlagen|details|material|eine prasentation|preise)",
        r"(?:erzahlen|sagen) sie (?:mir |uns )?mehr",
        r"(?:gerne|gern) mehr (?:erfahren|wissen|horen)",
        r"(?:mochte|wurde gerne|mochten) (?:gerne )?mehr (?:erfahren|wissen|horen)",
        r"(?:grundsatzlich|prinzipiell) (?:ja|interesse)",
        r"(?:was|welche) (?:waren|sind) (?:die )?nachsten schritte",
        r"(?:konnen|konnten) sie (?:mir |uns )?(?:mehr |weitere )?(?:infos|informationen|"
        r"unterlagen|"
        r"details)",
        r"(?:lassen sie uns|gerne) (?:telefonieren|sprechen)",
        r"sehr aktuell",
        r"(?:schicken|senden|schick|lassen) sie (?:mir |uns )?[^.!?\n]{0,30}\b(?:infos?|"
        r"informationen|unterlagen|details|material|prasentation|demo|video|preise|zukommen)",
        r"(?:konnte|durfte|ware|konnten) (?:fur uns |fur mich |bei uns )?(?:sehr |durchaus |ganz |"
        r"recht )?(?:interessant|spannend|relevant|nutzlich|hilfreich)",
        r"(?:ist|sind|ware) (?:bei uns |fur uns )?(?:tatsachlich |durchaus |sehr |"
        r"gerade )?(?:relevant|"
        r"interessant|aktuell|ein thema)",
        r"(?:mochte|wurde|mochten|wurden) (?:gerne |gern )?(?:mehr )?(?:erfahren|verstehen|sehen)",
        negatable=True,
    ),
    rule(
        YES,
        0.75,
        "pt",
        r"(?:tenho|temos|teria|teriamos) (?:muito )?interesse",
        r"(?:me|nos) interessa",
        r"(?:estou|estamos|estaria|estariamos) (?:muito )?interessad[oa]s?",
        r"(?:parece|soa|achei) (?:muito )?(?:interessante|bom|otimo|util|promissor)",
        r"(?:me |nos )?(?:conte|conta|fale|fala|explique|explica) (?:mais|um pouco mais)",
        r"(?:pode|poderia|podes|consegue) (?:me |nos )?(?:mandar|enviar|passar) (?:mais )?(?:uma |"
        r"um |"
        r"a |o )?(?:informacoes|info|detalhes|material|apresentacao|proposta)",
        r"(?:quais|qual) (?:sao |seriam |e |seria )?(?:os )?proximos passos",
        r"(?:me |nos )?(?:envie|mande|envia|manda|compartilhe)(?:-me)? (?:mais )?(?:informacoes|"
        r"info|"
        r"detalhes|material|uma apresentacao|precos|a apresentacao)",
        r"gostaria de (?:saber|entender|conhecer|ver) (?:mais|como)",
        r"(?:claro|com certeza|sim),? (?:tenho interesse|pode|vamos)",
        r"(?:bora|vamos) (?:conversar|falar|bater um papo)",
        r"(?:manda|mande|envia|envie|compartilha|compartilhe|passa)\b[^.!?\n]{0,30}\b(?:material|"
        r"info|informacoes|detalhes|apresentacao|demo|video|precos|proposta|deck)",
        r"faz (?:muito )?sentido (?:pra|para) (?:a gente|nos|nossa|nosso)",
        r"(?:pode|poderia) (?:ser )?(?:muito )?(?:interessante|util|nos ajudar|ajudar a gente)",
        r"(?:quero|queria|gostaria de) (?:entender|saber|conhecer|ver) (?:melhor|mais|como)",
        r"(?:opa|oba|show|boa),? (?:tenho|temos|bora|vamos|quero)",
        negatable=True,
    ),
)
"""Interest without a scheduling detail (negations skipped: "not interested" is no interest)."""

QUESTION_RULES = (
    rule(
        Q,
        0.7,
        "en",
        r"how much (?:is|does|do|would|will)",
        r"what(?:'s| is| are) (?:the |your )?(?:price|cost|pricing|fee)s?",
        r"(?:do|does) (?:you|it|this|your (?:tool|product|platform)) (?:support|integrate|"
        r"work with|offer|handle|"
        r"have)",
        r"(?:does|will|would|can) (?:this|it) (?:work|run|integrate) (?:with|on|for)",
        r"how (?:do|does|would|can) (?:you|it|this|your \w+) (?:decide|work|compare|integrate|"
        r"handle|"
        r"detect|price|charge)",
        r"(?:is there|do you have) an? (?:api|dpa|self-hosted|on-prem|free|trial)",
        r"where (?:is|are|do you store) (?:our |the )?data",
        r"(?:is|are) (?:pricing|prices?) (?:per|by)",
        r"(?:can|could) you (?:explain|clarify|tell me how)",
        r"i (?:have|had) a (?:quick )?question",
        r"(?:quick|one) (?:question|q)\b",
        r"how did you (?:get|find) (?:my|this|our)",
        r"is this (?:an? )?(?:automated|automatic|ai|bot|mass|real)",
        r"are you (?:a bot|an ai|a real person|human)",
    ),
    rule(
        Q,
        0.7,
        "es",
        r"cuanto (?:cuesta|vale|cobran|cobrais)",
        r"como funciona",
        r"que (?:precio|costo|coste) tiene",
        r"(?:se integra|funciona) con",
        r"tengo una (?:pregunta|duda)",
        r"una (?:pregunta|duda)",
        r"(?:teneis|tienen|tienes) (?:precio|plan|version|integracion)",
    ),
    rule(
        Q,
        0.7,
        "fr",
        r"combien (?:ca coute|coute|couterait)",
        r"comment (?:ca|cela) fonctionne",
        r"quel (?:est le )?(?:prix|tarif)",
        r"(?:proposez|avez|gerez|integrez)-vous",
        r"j'ai une question",
        r"une question",
        r"est-ce (?:compatible|que)",
        r"(?:sont|est)-(?:elles|ils|elle|il) (?:hebergee?s?|stockee?s?)",
    ),
    rule(
        Q,
        0.7,
        "de",
        r"was kostet",
        r"wie (?:funktioniert|viel kostet)",
        r"(?:unterstutzt|bietet|integriert) (?:ihr|ihre) (?:tool|losung|produkt)",
        r"ich habe eine frage",
        r"eine (?:kurze )?frage",
        r"funktioniert (?:das|es) (?:auch )?mit",
        r"wo liegen die daten",
        r"(?:ist|sind) (?:das|die daten) (?:dsgvo|gdpr)",
    ),
    rule(
        Q,
        0.7,
        "pt",
        r"quanto custa",
        r"como funciona",
        r"qual (?:e )?o (?:preco|valor|custo)",
        r"funciona com",
        r"(?:voces )?(?:oferecem|suportam|integram)",
        r"(?:voces )?tem (?:plano|integracao|versao)",
        r"tenho uma (?:pergunta|duvida)",
        r"uma (?:pergunta|duvida)",
    ),
)
"""Asking about the offer in words; a sentence ending in '?' is a question too (see the layer)."""

GREETING_QUESTION = (
    r"how are you|how's it going|how are things|hope you're well|tudo bem|tudo bom|como vai|"
    r"que tal|como estas|como esta|ca va|comment allez-vous|wie geht'?s|wie geht es ihnen|all good"
)
"""Questions that are only greetings ("tudo bem?"): no answer needed."""

SHORT_YES = (
    rule(
        YES,
        0.65,
        "en",
        r"yes(?: please)?",
        r"yep",
        r"yeah",
        r"sure",
        r"ok(?:ay)?[.!]*$",
        r"sounds good",
        r"great",
        r"perfect",
        r"absolutely",
        r"definitely",
        r"why not",
        r"go ahead",
        r"👍",
    ),
    rule(
        YES,
        0.65,
        "es",
        r"si(?:,? claro)?",
        r"claro",
        r"vale",
        r"perfecto",
        r"de acuerdo",
        r"adelante",
    ),
    rule(YES, 0.65, "fr", r"oui", r"d'accord", r"parfait", r"volontiers", r"bien sur"),
    rule(
        YES,
        0.65,
        "de",
        r"ja(?:,? gerne)?",
        r"gerne",
        r"gern",
        r"klar",
        r"perfekt",
        r"einverstanden",
    ),
    rule(
        YES, 0.65, "pt", r"sim", r"com certeza", r"perfeito", r"pode ser", r"beleza", r"combinado"
    ),
)
"""A reply that is only "yes" (after greeting and sign-off): a yes to our ask."""
