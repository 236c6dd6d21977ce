"""Finding the JSON object in what a model actually replies."""

from __future__ import annotations

import pytest

from graphs.structured_output import parse_json_object


@pytest.mark.parametrize(
    "reply",
    [
        '{"a": 1}',
        'Here you go:\n```json\n{"a": 1}\n```\nHope this helps!',
        'First some code:\n```\nprint("x")\n```\nThen the answer:\n```json\n{"a": 1}\n```',
        '{"a": 1}\n\nHope this helps! {see above}',
        '<think>maybe {"a": 2} is wrong</think>\n{"a": 1}',
        '{"a": 1',  # truncated: repaired
    ],
)
def test_finds_the_object(reply: str) -> None:
    assert parse_json_object(reply) == {"a": 1}


@pytest.mark.parametrize("reply", ["I cannot help with that.", "{}", "[1, 2]"])
def test_no_usable_object_is_an_error(reply: str) -> None:
    with pytest.raises(ValueError, match="JSON"):
        parse_json_object(reply)
