"""The shared input checks: one rule for currencies, countries, URLs and text lengths
wherever a feature takes them."""

from __future__ import annotations

import pytest

from resolvers.errors import Problems, UserErrorCode
from resolvers.validation import country, currency, is_currency, text, url


@pytest.mark.parametrize(("raw", "ok"), [("eur", True), (" USD ", True), ("ZZZ", False), ("EURO", False), ("", False)])
def test_currency_is_checked_against_iso_4217(raw: str, ok: bool) -> None:
    problems = Problems()
    currency(problems, raw, ("salary", "currency"), required=True)
    assert (not problems) == ok
    assert is_currency(raw) == ok
    if not ok:
        assert problems.errors[0].code == UserErrorCode.INVALID_CURRENCY
        assert problems.errors[0].field == ("salary", "currency")


def test_country_url_and_text_name_their_field() -> None:
    problems = Problems()
    assert country(problems, "de", "countryCode") == "DE"
    country(problems, "XX", "countryCode")
    url(problems, "javascript:alert(1)", ("terms", "link"))
    assert text(problems, "  x  ", "title", "Title", maximum=10) == "x"
    text(problems, "y" * 11, "title", "Title", maximum=10)
    text(problems, None, "name", "Name", maximum=10, required=True)
    assert [(e.code, e.field) for e in problems.errors] == [
        (UserErrorCode.INVALID_COUNTRY, ("countryCode",)),
        (UserErrorCode.INVALID_URL, ("terms", "link")),
        (UserErrorCode.TOO_LONG, ("title",)),
        (UserErrorCode.REQUIRED, ("name",)),
    ]
