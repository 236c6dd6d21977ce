"""Decode a lead file's bytes (byte-order mark, UTF-8, else detected) and name the encoding."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from agent.leads.read_errors import LeadFileError

# Byte-order marks, tried before anything else. UTF-32 LE first: its mark starts like UTF-16 LE's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# The preferred reading of a file that is not UTF-8: what Excel writes on Western-European
# Windows. Detectors cannot tell it from its neighbours (cp1250, cp437) in a few names.
_EXCEL_ANSI = "cp1252"
_UNICODE = ("utf-8", "utf-8-sig", "utf-16", "utf-32")  # read as such, not guessed


def encoding_label(encoding: str) -> str:
    """The name people know an encoding by: 'Windows-1252' for cp1252, 'UTF-8', ..."""
    name = codecs.lookup(encoding).name
    if name in ("utf-8-sig", "utf-16", "utf-32"):
        return f"{'UTF-8' if name == 'utf-8-sig' else name.upper()} (byte-order mark)"
    if match := re.fullmatch(r"cp(125\d)", name):
        return f"Windows-{match[1]}"
    if match := re.fullmatch(r"iso8859-(\d+)", name):
        return f"ISO-8859-{match[1]}"
    return name.upper()


def was_detected(encoding: str) -> bool:
    """Whether the codec was guessed from the bytes, not read as UTF-8, -16 or -32."""
    return codecs.lookup(encoding).name not in _UNICODE


def _undecodable(exc: UnicodeDecodeError, data: bytes) -> str:
    offset = exc.start + len(data) - len(exc.object)  # utf-8-sig reports past its mark
    if exc.reason in ("unexpected end of data", "truncated data"):
        return f"it ends part-way through a character (offset {offset})"
    return f"byte 0x{exc.object[exc.start]:02x} at offset {offset} cannot be decoded"


def _detected(data: bytes) -> tuple[str, str] | None:
    """Decode with charset-normalizer's reading, preferring Windows-1252 when it is one."""
    matches = list(charset_normalizer.from_bytes(data))  # best first; none for binary data
    plausible = [m.encoding for m in matches]
    if any(m.encoding == _EXCEL_ANSI or _EXCEL_ANSI in m.could_be_from_charset for m in matches):
        plausible.insert(0, _EXCEL_ANSI)
    for encoding in plausible:
        try:
            return data.decode(encoding), encoding  # the whole file, not just the sampled parts
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def decode_lead_bytes(data: bytes, label: str) -> tuple[str, str]:
    """Decode a lead file's bytes: a byte-order mark's encoding, else UTF-8, else the
    encoding charset-normalizer detects. Returns the text and the codec used."""
    for bom, encoding, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise LeadFileError(
                    f"{label} starts with a {name} byte-order mark but is not {name}: "
                    f"{_undecodable(exc, data)}"
                ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        detected = _detected(data)
        if detected is None:
            raise LeadFileError(
                f"{label} is not text: it is not UTF-8 ({_undecodable(exc, data)}) and no "
                "other text encoding reads it; if it is a spreadsheet, save it as CSV and try again"
            ) from None
        return detected
    # Valid UTF-8 but a quarter or more NUL bytes: UTF-16 (or 32) without its mark, where every
    # ASCII character brings one or more NULs. A stray NUL stays UTF-8 (and is refused later).
    if data.count(0) * 4 >= len(data) > 0:
        detected = _detected(data)
        if detected is not None and detected[1].startswith(("utf_16", "utf_32")):
            return detected
    return text, "utf-8"
