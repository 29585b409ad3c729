"""Input checks every feature shares: text lengths, http(s) URLs, number ranges, and
ISO 3166 country / ISO 4217 currency codes (checked against the lists in
``resolvers/iso_codes.py``, not just their shape), IANA time zone names.

**One rule for all text** (``bad_character``): NUL, other control characters (C0 except
tab and line feed, a carriage return only before a line feed, DEL, C1) and lone UTF-16
surrogates are refused in every String input of every operation, before any resolver runs
(``graph/text_input.py`` applies it to variables and literals alike, so a new field cannot
forget it). Names and handles (``name``, ``normalise_handle``) also refuse line breaks,
tabs, bidirectional overrides/isolates and zero-width or invisible characters, which let a
name pose as another ("‮nimda" displays as "admin").

Each check adds a problem naming the input ``field`` (a name, or a path such as
``("terms", "salary", "currency")``) and returns the cleaned value, so a resolver
collects every problem of a request before raising them together.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from resolvers.errors import Problems, UserErrorCode
from resolvers.iso_codes import COUNTRY_CODES, CURRENCY_CODES

URL_MAX_LENGTH = 500
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)

Field = str | tuple[str, ...]


def _path(field: Field) -> tuple[str, ...]:
    return (field,) if isinstance(field, str) else field


def text(
    problems: Problems, value: str | None, field: Field, label: str, *, maximum: int, required: bool = False
) -> str:
    """Stripped text of at most ``maximum`` characters ("" when absent and optional)."""
    value = (value or "").strip()
    if required and not value:
        problems.add(UserErrorCode.REQUIRED, f"{label} is required.", *_path(field))
    elif len(value) > maximum:
        problems.add(UserErrorCode.TOO_LONG, f"{label} must be at most {maximum} characters.", *_path(field))
    return value


def optional_text(problems: Problems, value: str | None, field: Field, label: str, *, maximum: int) -> str | None:
    return text(problems, value, field, label, maximum=maximum) or None


def url(problems: Problems, value: str | None, field: Field, label: str = "URL", *, required: bool = False) -> str | None:
    """An http:// or https:// address of at most 500 characters; None when absent."""
    value = (value or "").strip()
    if not value:
        if required:
            problems.add(UserErrorCode.REQUIRED, f"{label} is required.", *_path(field))
        return None
    if len(value) > URL_MAX_LENGTH:
        problems.add(UserErrorCode.TOO_LONG, f"{label} must be at most {URL_MAX_LENGTH} characters.", *_path(field))
    elif not _URL_RE.match(value):
        problems.add(UserErrorCode.INVALID_URL, f"{label} must be an http:// or https:// address.", *_path(field))
    return value


def integer(
    problems: Problems, value: int | None, field: Field, label: str, *, minimum: int, maximum: int
) -> int | None:
    if value is not None and not minimum <= value <= maximum:
        problems.add(UserErrorCode.OUT_OF_RANGE, f"{label} must be between {minimum} and {maximum}.", *_path(field))
    return value


def country(problems: Problems, value: str | None, field: Field) -> str | None:
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if code not in COUNTRY_CODES:
        problems.add(
            UserErrorCode.INVALID_COUNTRY, f"{value[:10]!r} is not an ISO 3166-1 alpha-2 country code.", *_path(field)
        )
    return code


def is_currency(value: str) -> bool:
    return value.strip().upper() in CURRENCY_CODES


def currency(problems: Problems, value: str | None, field: Field, *, required: bool = False) -> str | None:
    """An ISO 4217 code, upper-cased; None when absent and optional."""
    if value is None or not value.strip():
        if required:
            problems.add(UserErrorCode.INVALID_CURRENCY, "Currency is required: an ISO 4217 code such as EUR.", *_path(field))
        return None
    code = value.strip().upper()
    if code not in CURRENCY_CODES:
        problems.add(
            UserErrorCode.INVALID_CURRENCY, f"{value[:10]!r} is not an ISO 4217 currency code (such as EUR).", *_path(field)
        )
    return code


# --- Hostile characters ----------------------------------------------------------------

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")
# Bidi embeddings/overrides/isolates and marks, zero-width and invisible formatting characters.
_INVISIBLE_RE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff]"
)
RESERVED_HANDLES_FILE = Path(__file__).resolve().parent / "data" / "reserved_handles.txt"


def bad_character(value: str) -> str | None:
    """A description of the first character no text input may hold, or None."""
    found = _CONTROL_RE.search(value)
    if found is None:
        return None
    char = found.group()
    return "a NUL character" if char == "\x00" else f"the control character U+{ord(char[0]):04X}"


def name(
    problems: Problems, value: str | None, field: Field, label: str, *, maximum: int, required: bool = False
) -> str:
    """Single-line text a person or company is known by: ``text`` plus no line breaks,
    tabs, bidi controls or invisible characters; NFC-normalised."""
    cleaned = text(problems, unicodedata.normalize("NFC", value or ""), field, label, maximum=maximum, required=required)
    if "\n" in cleaned or "\t" in cleaned or "\r" in cleaned:
        problems.add(UserErrorCode.INVALID, f"{label} must be one line, without tabs.", *_path(field))
    elif (found := _INVISIBLE_RE.search(cleaned)) is not None:
        problems.add(
            UserErrorCode.INVALID,
            f"{label} must not contain invisible or text-direction characters (U+{ord(found.group()):04X}).",
            *_path(field),
        )
    return cleaned


def normalise_handle(value: str) -> str:
    """The form handles are stored, looked up and compared in: NFKC, case-folded, stripped
    ("ＡＤＭＩＮ" and "Admin" are "admin")."""
    return unicodedata.normalize("NFKC", value).casefold().strip()


@lru_cache(maxsize=1)
def reserved_handles() -> frozenset[str]:
    """The reserved-handle list (``resolvers/data/reserved_handles.txt``), read once."""
    lines = RESERVED_HANDLES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(normalise_handle(line) for line in lines if line.strip() and not line.startswith("#"))


def valid_time_zone(name: str) -> bool:
    """An IANA time zone name this server's zoneinfo knows (``Europe/Berlin``, ``UTC``)."""
    if name not in available_timezones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
