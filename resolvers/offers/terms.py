"""An offer's terms: what each version says, how they are validated, which changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from enum import Enum
from typing import Any

from models.offers import OfferVersion
from models.profiles import RemotePreference, SalaryPeriod
from resolvers.errors import Problems, UserErrorCode
from resolvers.validation import currency as currency_code
from resolvers.validation import optional_text, text

TITLE_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 10_000
EQUITY_MAX_LENGTH = 200
LOCATION_MAX_LENGTH = 200
AMOUNT_MAX = 1_000_000_000


class OfferTerm(str, Enum):
    """One term of an offer; ``OfferVersion.changed_fields`` lists these names."""

    TITLE = "TITLE"
    DESCRIPTION = "DESCRIPTION"
    SALARY_AMOUNT = "SALARY_AMOUNT"
    SALARY_CURRENCY = "SALARY_CURRENCY"
    SALARY_PERIOD = "SALARY_PERIOD"
    EQUITY = "EQUITY"
    LOCATION = "LOCATION"
    REMOTE_PREFERENCE = "REMOTE_PREFERENCE"
    START_DATE = "START_DATE"
    EXPIRES_AT = "EXPIRES_AT"

    @property
    def attribute(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Terms:
    """The terms of one version. Field names match ``OfferVersion`` columns."""

    title: str
    salary_amount: int
    salary_currency: str
    salary_period: SalaryPeriod
    description: str = ""
    equity: str | None = None
    location: str | None = None
    remote_preference: RemotePreference | None = None
    start_date: date | None = None
    expires_at: datetime | None = None

    @classmethod
    def of(cls, version: OfferVersion) -> Terms:
        return cls(**{f.name: getattr(version, f.name) for f in fields(cls)})

    def changed_from(self, before: Terms) -> list[OfferTerm]:
        return [term for term in OfferTerm if getattr(self, term.attribute) != getattr(before, term.attribute)]

    def columns(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def check_terms(problems: Problems, terms: Terms, given: Iterable[str], now: datetime, *path: str) -> Terms:
    """Validate ``terms``; date rules apply to the terms in ``given`` (the ones this request sets)."""
    given = set(given)
    title = text(problems, terms.title, (*path, "title"), "Title", maximum=TITLE_MAX_LENGTH, required=True)
    description = text(problems, terms.description, (*path, "description"), "Description", maximum=DESCRIPTION_MAX_LENGTH)
    equity = optional_text(problems, terms.equity, (*path, "equity"), "Equity", maximum=EQUITY_MAX_LENGTH)
    location = optional_text(problems, terms.location, (*path, "location"), "Location", maximum=LOCATION_MAX_LENGTH)
    if not 0 < terms.salary_amount <= AMOUNT_MAX:
        problems.add(
            UserErrorCode.OUT_OF_RANGE, f"Salary amount must be between 1 and {AMOUNT_MAX:,}.", *path, "salary", "amount"
        )
    currency = currency_code(problems, terms.salary_currency, (*path, "salary", "currency"), required=True) or ""
    if "start_date" in given and terms.start_date is not None and terms.start_date < now.date():
        problems.add(UserErrorCode.INVALID, "The start date must be today or later.", *path, "startDate")
    if "expires_at" in given and terms.expires_at is not None:
        if terms.expires_at.tzinfo is None:
            problems.add(UserErrorCode.INVALID, "expiresAt needs a time zone (such as 2030-01-31T18:00:00Z).", *path, "expiresAt")
        elif terms.expires_at <= now:
            problems.add(UserErrorCode.INVALID, "The offer must expire in the future.", *path, "expiresAt")
    return replace(
        terms, title=title, description=description, equity=equity, location=location, salary_currency=currency
    )
