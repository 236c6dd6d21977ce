"""How deeply a JSON body may nest, measured on its raw bytes before anything parses it.

Python's json module recurses once per level, and so does any walk over what it returns: a body
nested a few thousand levels deep raises RecursionError instead of being read (a 500). Real
bodies nest a handful of levels (a lead import: object, list, object), so anything deeper than
MAX_JSON_DEPTH is refused with 422 before it is parsed.
"""

from __future__ import annotations

import email.message
import json
from itertools import accumulate

from server.problems import Problem

MAX_JSON_DEPTH = 64

_NOT_STRUCTURE = bytes(sorted(set(range(256)) - set(b'"[]{}')))
_STEP = [0] * 256
for _open, _close in (b"[]", b"{}"):
    _STEP[_open], _STEP[_close] = 1, -1


def json_depth(raw: bytes | str) -> int:
    """Return how many levels arrays and objects nest in raw JSON (0 for a lone number or text).

    Linear and without recursion: escapes are cut out, then strings (a bracket in text does not
    count), then the brackets left are summed, each step in C. Malformed input gets a number
    too (its parse fails later); for every prefix json.loads accepts the count is exact, so
    json.loads never recurses deeper than this says.
    """
    if isinstance(raw, str):
        data = raw.encode("utf-8", "surrogatepass")
    else:
        encoding = json.detect_encoding(raw)  # what json.loads will read the bytes as
        if encoding.startswith("utf-8"):
            data = raw  # no ASCII byte is ever part of a multi-byte UTF-8 character
        else:
            try:
                data = raw.decode(encoding, "surrogatepass").encode("utf-8", "surrogatepass")
            except UnicodeDecodeError:
                return 0  # json.loads fails the same way before it parses anything
    # A string holds no quote once its escaped backslashes and quotes are gone (in that order,
    # so that `\\"` still ends one); what is left alternates outside and inside strings.
    unescaped = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    # Only quotes and brackets matter; two quotes side by side (text without brackets) can go
    # without changing which brackets are inside strings.
    structure = unescaped.translate(None, _NOT_STRUCTURE).replace(b'""', b"")
    brackets = b"".join(structure.split(b'"')[::2])
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def too_deep(depth: int, where: str = "body") -> Problem:
    """The 422 for JSON nested `depth` levels deep."""
    message = f"the JSON is nested {depth} levels deep; at most {MAX_JSON_DEPTH} are accepted"
    return Problem(422, f"{where}: {message}", errors=[{"field": where, "message": message}])


def check_json_depth(raw: bytes | str, where: str = "body") -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH (422), before anything parses it."""
    depth = json_depth(raw)
    if depth > MAX_JSON_DEPTH:
        raise too_deep(depth, where)


def is_json_media_type(content_type: str | None) -> bool:
    """Whether FastAPI reads a body with this Content-Type as JSON (application/json, */*+json).

    Without a Content-Type FastAPI does not parse the body (its strict content type default).
    """
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )
