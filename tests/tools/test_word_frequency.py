"""The compact frequency tables answer exactly as wordfreq's own dictionaries do."""

from __future__ import annotations

import pytest
import wordfreq

from tools import word_frequency
from tools.word_frequency import CompactFrequencies, zipf_frequency


@pytest.mark.parametrize("language", ["en", "es", "fr", "de"])
def test_every_listed_word_has_wordfreqs_frequency_and_nothing_else_is_listed(
    language: str,
) -> None:
    original = word_frequency._original_dict(language)
    compact = CompactFrequencies(wordfreq.get_frequency_list(language))
    assert len(compact) == len(original)
    sample = list(original)[::97]  # every band, common words to the rarest
    assert all(compact[word] == original[word] for word in sample)
    for missing in ("okaforzz", "northwindrobotics", "qqqq", ""):
        assert missing not in compact and missing not in original
        with pytest.raises(KeyError):
            compact[missing]


def test_zipf_frequency_goes_through_the_compact_table() -> None:
    assert isinstance(wordfreq.get_frequency_dict("en"), CompactFrequencies)
    assert zipf_frequency("pipeline", "en") > 3.5  # an ordinary word
    assert zipf_frequency("Okafor", "en") < 3  # a name
    assert zipf_frequency("don't", "en") > 5  # tokenized as wordfreq does
