"""Recognise and remove what a page shows only until its JavaScript runs: never a fact."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

# Whole messages, written as they read once punctuation, ellipses, digits (a "42%" progress)
# and spinner glyphs are gone and the text is lowercased.
_LOADING = (
    r"loading(?: (?:the )?(?:page|content|profile|app|application|data|site|website))?",
    r"cargando", r"chargement(?: en cours)?", r"en cours de chargement", r"wird geladen",
    r"lädt", r"carregando", r"a carregar", r"caricamento(?: in corso)?", r"bezig met laden",
    r"ładowanie", r"загрузка", r"読み込み中", r"加载中", r"載入中",
)  # fmt: skip
_WAITING = (
    r"please wait", r"one moment(?: please)?", r"just a moment", r"wait a moment",
    r"espere(?: por favor)?", r"por favor (?:espere|aguarde)", r"un momento", r"aguarde",
    r"veuillez patienter", r"un instant", r"bitte warten", r"einen moment(?: bitte)?",
    r"attendere(?: prego)?", r"even geduld",
)  # fmt: skip
_PHRASE = "(?:" + "|".join((*_LOADING, *_WAITING)) + ")"
_LOADING_MESSAGE = re.compile(rf"{_PHRASE}(?: {_PHRASE})*")
_JS = r"(?:javascript|js)"
# What may follow "enable JavaScript" in the same message ("... to run this app", "... in
# your browser"); anything else ("enable JavaScript source maps") is a sentence about code.
_AFTER = (
    r"(?:$| (?:to|in|on|for|and|or|then|um|und|oder|im|pour|dans|et|ou|para|en|y|o|per|e"
    r"|nel|no|na|com)\b.*$)"
)
_ENABLE = (
    r"enable|turn on|switch on|activate|allow|aktivieren|activer|activez|habilita|habilite"
    r"|habilitar|activa|active|activar|ative|ativar|attiva|attivare|abilita|abilitare"
)
_REQUIRED = (
    r"required|needed|disabled|turned off|not enabled|erforderlich|deaktiviert|requis"
    r"|nécessaire|désactivé|requerido|necesario|necessário|desactivado|desativado"
    r"|deshabilitado|richiesto|disabilitato"
)
_NEEDS_JAVASCRIPT = re.compile(
    rf"\b(?:{_ENABLE})(?: \w+){{0,2}} {_JS}{_AFTER}"
    rf"|\b{_JS} (?:(?:is|must be|ist|muss|est|es|è|é) )?(?:{_REQUIRED}){_AFTER}"
    rf"|\b(?:requires|require|needs|need) {_JS}{_AFTER}"
)
_NOT_WORDS = re.compile(r"[\W\d_]+")
# Placeholders are a line at most; longer text is content even if it mentions loading.
_MAX_PLACEHOLDER_CHARS = 200
_BUSY_CLASS = re.compile(r"(?:^|[-_])(?:spinner|loader|loading|preloader|spin)(?:$|[-_])")
# A spinner's label is a few words; a container marked busy while more loads may already
# hold real content, and that is kept.
_MAX_BUSY_TEXT_CHARS = 80
_PAGE_LEVEL = frozenset({"html", "head", "body", "[document]"})
_INLINE = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
})  # fmt: skip


def is_placeholder(text: str) -> bool:
    """Tell whether text only says the page is loading, to wait, or to enable JavaScript."""
    if len(text) > _MAX_PLACEHOLDER_CHARS:
        return False
    normal = " ".join(_NOT_WORDS.sub(" ", text).lower().split())
    if not normal:
        return False
    return bool(_LOADING_MESSAGE.fullmatch(normal) or _NEEDS_JAVASCRIPT.search(normal))


def _is_busy_marker(tag: Tag) -> bool:
    """Tell whether an element is a spinner, progress bar or loading indicator."""
    if tag.name in _PAGE_LEVEL:
        return False  # <body class="is-loading"> still holds the whole page
    classes: list[str] = tag.get_attribute_list("class") or []
    marked = (
        tag.get("aria-busy") == "true"
        or tag.get("role") == "progressbar"
        or any(_BUSY_CLASS.search(str(name).lower()) for name in classes)
    )
    return marked and len(tag.get_text(" ", strip=True)) <= _MAX_BUSY_TEXT_CHARS


def _is_placeholder_string(text: object) -> bool:
    # Exactly NavigableString: comments, script and style text are other subclasses.
    return type(text) is NavigableString and is_placeholder(text)


def _is_blank(node: object) -> bool:
    """Tell whether a node is whitespace, a comment or nothing a reader sees."""
    if not isinstance(node, NavigableString):
        return False
    return type(node) is not NavigableString or not node.strip()


def _in_running_text(node: Tag | NavigableString) -> bool:
    """Tell whether a node sits inside a sentence ("Container <em>loading</em> is slow")."""
    for step in ("previous_sibling", "next_sibling"):
        sibling = getattr(node, step)
        while _is_blank(sibling):
            sibling = getattr(sibling, step)
        if isinstance(sibling, NavigableString):
            return True
        if isinstance(sibling, Tag) and sibling.name in _INLINE and sibling.get_text(strip=True):
            return True
    return False


def drop_placeholders(soup: BeautifulSoup) -> None:
    """Remove noscript content, spinners and loading or enable-JavaScript messages, in place."""
    # Only a visitor without JavaScript sees <noscript>; we either ran the scripts or report
    # that we could not, so its "please enable JavaScript" is never what the page says.
    for tag in soup.find_all(["noscript", _is_busy_marker]):
        if not tag.decomposed:
            tag.decompose()
    for string in soup.find_all(string=_is_placeholder_string):
        if string.parent is None:
            continue  # already removed with an enclosing placeholder
        # Remove the largest element that says nothing else ("<div id=app><p>Loading…"),
        # so no empty wrapper is left to look like content.
        target: Tag | NavigableString = string
        parent = string.parent
        while parent.name not in _PAGE_LEVEL and is_placeholder(parent.get_text(" ")):
            target = parent
            if parent.parent is None:
                break
            parent = parent.parent
        # The same words inside a sentence are the sentence's, not a loading message.
        if not _in_running_text(target):
            target.extract()
