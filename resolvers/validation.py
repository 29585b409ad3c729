"""Input checks every feature shares: text lengths, http(s) URLs, number ranges, and
ISO 3166 country / ISO 4217 currency codes (checked against the lists in
``resolvers/iso_codes.py``, not just their shape).

Each check adds a problem naming the input ``field`` (a name, or a path such as
``("terms", "salary", "currency")``) and returns the cleaned value, so a resolver
collects every problem of a request before raising them together.
"""

from __future__ import annotations

import re

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
