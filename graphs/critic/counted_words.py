"""What a counted noun of another language is in English, for ranks said in a message's
language about facts research recorded in English ("zweiten Büro" for "second office").

A short list of what ranks usually count (offices, rounds, products, places…); a noun not in
it cannot be matched across languages, and its rank is checked as written.
"""

from __future__ import annotations

_COUNTED_TRANSLATIONS: dict[str, tuple[str, ...]] = {
    "office": ("büro", "oficina", "bureau", "sede"),
    "location": ("standort", "ubicación", "sede", "site", "implantation"),
    "round": ("runde", "finanzierungsrunde", "ronda", "tour", "levée"),
    "product": ("produkt", "producto", "produit"),
    "market": ("markt", "mercado", "marché"),
    "country": ("land", "país", "pays"),
    "city": ("stadt", "ciudad", "ville"),
    "year": ("jahr", "año", "année", "an"),
    "quarter": ("quartal", "trimestre"),
    "hire": ("einstellung", "contratación", "recrutement"),
    "customer": ("kunde", "kunden", "cliente", "client"),
    "acquisition": ("übernahme", "adquisición", "acquisition", "rachat"),
    "place": ("platz", "puesto", "lugar", "place", "rang"),
    "team": ("team", "equipo", "équipe"),
}
_ENGLISH_OF: dict[str, tuple[str, ...]] = {}
for _english, _words in _COUNTED_TRANSLATIONS.items():
    for _word in _words:
        _ENGLISH_OF[_word] = (*_ENGLISH_OF.get(_word, ()), _english)


def counted_in_english(word: str | None) -> tuple[str, ...]:
    """The English words a counted noun of another language translates ("Büros" → office);
    () for a word not listed, which then cannot be checked against English facts."""
    if not word:
        return ()
    lowered = word.casefold()
    for form in (lowered, lowered.rstrip("s"), lowered.removesuffix("es"), lowered.rstrip("n")):
        if form in _ENGLISH_OF:
            return _ENGLISH_OF[form]
    return ()
