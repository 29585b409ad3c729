"""Offers' input types, and the one payload shape of the six offer mutations.

Each input maps itself to what ``resolvers.offers`` takes (``OfferTermsInput.as_terms``,
``OfferTermsChangeInput.changes``); the rules decide from there.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import copy
from datetime import date, datetime
from typing import Any, TypeVar

import strawberry
from strawberry.types.field import StrawberryField

from graph.types.common import UserError
from graph.types.offers.types import Offer
from graph.types.profiles.types import RemotePreference, SalaryPeriod
from resolvers import offers as rules


@strawberry.input(description="Pay: an amount in one currency per period.")
class OfferSalaryInput:
    amount: int = strawberry.field(
        description=(
            "1–1,000,000,000, in whole units of the currency. An offer or revision below the candidate's desired "
            "minimum (compared per year and across currencies with the shipped ECB reference rates) is refused "
            "with BELOW_CANDIDATE_FLOOR; NO_EXCHANGE_RATE when a currency has no rate."
        )
    )
    currency: str = strawberry.field(description="ISO 4217 code such as EUR (any case).")
    period: SalaryPeriod = strawberry.field(description="What the amount is paid for.")  # type: ignore[valid-type]  # profiles' describe_enum value used as a type


@strawberry.input(description="The terms of a new offer.")
class OfferTermsInput:
    title: str = strawberry.field(description="Job title, 1–120 characters.")
    salary: OfferSalaryInput = strawberry.field(description="Pay offered.")
    description: str = strawberry.field(default="", description="At most 10,000 characters.")
    equity: str | None = strawberry.field(default=None, description="Equity in words, at most 200 characters.")
    location: str | None = strawberry.field(default=None, description="Place of work, at most 200 characters.")
    remote_preference: RemotePreference | None = strawberry.field(default=None, description="On site, hybrid or remote.")  # type: ignore[valid-type]  # profiles' describe_enum value used as a type
    start_date: date | None = strawberry.field(default=None, description="First working day: today or later.")
    expires_at: datetime | None = strawberry.field(default=None, description="Deadline to answer, with a time zone, in the future; omit for none.")

    def as_terms(self) -> rules.Terms:
        return rules.Terms(
            title=self.title, description=self.description, salary_amount=self.salary.amount,
            salary_currency=self.salary.currency, salary_period=self.salary.period, equity=self.equity,
            location=self.location, remote_preference=self.remote_preference, start_date=self.start_date,
            expires_at=self.expires_at,
        )


_OPTIONAL_TERMS = ("title", "description", "equity", "location", "remote_preference", "start_date", "expires_at")


@strawberry.input(description="Changed terms: only the fields given change; null clears an optional term.")
class OfferTermsChangeInput:
    title: str | None = strawberry.field(default=strawberry.UNSET, description="Job title, 1–120 characters (not null).")
    salary: OfferSalaryInput | None = strawberry.field(default=strawberry.UNSET, description="Pay (not null).")
    description: str | None = strawberry.field(default=strawberry.UNSET, description="At most 10,000 characters; null empties it.")
    equity: str | None = strawberry.field(default=strawberry.UNSET, description="At most 200 characters; null clears it.")
    location: str | None = strawberry.field(default=strawberry.UNSET, description="At most 200 characters; null clears it.")
    remote_preference: RemotePreference | None = strawberry.field(default=strawberry.UNSET, description="On site, hybrid or remote; null clears it.")  # type: ignore[valid-type]  # profiles' describe_enum value used as a type
    start_date: date | None = strawberry.field(default=strawberry.UNSET, description="Today or later; null clears it.")
    expires_at: datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Company only (reviseOffer): new deadline in the future; null for none. Kept when omitted."
    )

    def changes(self) -> dict[str, Any]:
        """The terms given, by ``Terms`` field name. A null title or salary is passed on
        as a value the rules refuse (REQUIRED, OUT_OF_RANGE), not dropped."""
        changes: dict[str, Any] = {}
        for name in _OPTIONAL_TERMS:
            value = getattr(self, name)
            if value is not strawberry.UNSET:
                changes[name] = value
        if "description" in changes and changes["description"] is None:
            changes["description"] = ""
        if "title" in changes and changes["title"] is None:
            changes["title"] = ""  # reported as REQUIRED
        if self.salary is not strawberry.UNSET and self.salary is not None:
            changes.update(
                salary_amount=self.salary.amount, salary_currency=self.salary.currency, salary_period=self.salary.period
            )
        elif self.salary is None:
            changes["salary_amount"] = 0  # reported as OUT_OF_RANGE
        return changes


@strawberry.input(description="A new offer in a conversation the candidate accepted.")
class ExtendOfferInput:
    conversation_id: strawberry.ID = strawberry.field(description="The conversation (a `Conversation` ID).")
    terms: OfferTermsInput = strawberry.field(description="The terms (version 1).")
    role_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="One of your company's roles (a `HiringRole` ID): an empty `terms.title` becomes the role's, and the candidate's entry on the role moves to OFFER (added if she is not on it); accepting the offer hires her for that role. NOT_FOUND for another company's role.",
    )


@strawberry.input(description="Accept the current version of an offer.")
class AcceptOfferInput:
    offer_id: strawberry.ID = strawberry.field(description="The offer.")
    version_number: int = strawberry.field(description="The version you accept; it must be the current one, else STALE_VERSION.")


@strawberry.input(description="Decline an offer.")
class DeclineOfferInput:
    offer_id: strawberry.ID = strawberry.field(description="The offer.")
    reason: str | None = strawberry.field(default=None, description="Why, at most 1,000 characters; the company sees it.")
    version_number: int | None = strawberry.field(default=None, description="If given, the version you answer; STALE_VERSION when it is not the current one.")


@strawberry.input(description="The candidate proposes other terms.")
class CounterOfferInput:
    offer_id: strawberry.ID = strawberry.field(description="The offer.")
    terms: OfferTermsChangeInput = strawberry.field(description="The terms you want changed (not expiresAt); at least one must differ.")
    version_number: int | None = strawberry.field(default=None, description="If given, the version you answer; STALE_VERSION when it is not the current one.")


@strawberry.input(description="The company changes the terms (answering a counter, or of a SENT offer).")
class ReviseOfferInput:
    offer_id: strawberry.ID = strawberry.field(description="The offer.")
    terms: OfferTermsChangeInput = strawberry.field(description="The terms to change; at least one must differ.")
    version_number: int | None = strawberry.field(default=None, description="If given, the version you answer; STALE_VERSION when it is not the current one.")


@strawberry.input(description="The company withdraws an open offer.")
class WithdrawOfferInput:
    offer_id: strawberry.ID = strawberry.field(description="The offer.")
    version_number: int | None = strawberry.field(default=None, description="If given, the version you withdraw; STALE_VERSION when it is not the current one.")


# --- Payloads: one shape, six names -------------------------------------------------

@strawberry.type(description="Result of an offer mutation. Not in the schema itself: each mutation has its named subclass.")
class OfferPayload:
    offer: Offer | None = strawberry.field(description="The offer; null when `userErrors` is not empty.")
    user_errors: list[UserError] = strawberry.field(description="Why nothing happened; empty on success.")


P = TypeVar("P", bound=OfferPayload)


def _result_of(mutation: str, done: str) -> Callable[[type[P]], type[P]]:
    """Declare an ``OfferPayload`` subclass as the GraphQL type named after the class,
    described as "Result of `<mutation>`.", its ``offer`` as "The offer <done>; …"."""

    def declare(cls: type[P]) -> type[P]:
        payload = strawberry.type(cls, description=f"Result of `{mutation}`.")
        definition = payload.__strawberry_definition__  # type: ignore[attr-defined]  # set by @strawberry.type
        definition.fields = [_described(field, done) if field.python_name == "offer" else field for field in definition.fields]
        return payload

    return declare


def _described(field: StrawberryField, done: str) -> StrawberryField:
    """A copy of the inherited ``offer`` field (shared with every sibling) with its own description."""
    described = copy(field)
    described.description = f"The offer {done}; null when `userErrors` is not empty."
    return described


@_result_of("extendOffer", "extended")
class ExtendOfferPayload(OfferPayload): ...


@_result_of("acceptOffer", "accepted")
class AcceptOfferPayload(OfferPayload): ...


@_result_of("declineOffer", "declined")
class DeclineOfferPayload(OfferPayload): ...


@_result_of("counterOffer", "countered")
class CounterOfferPayload(OfferPayload): ...


@_result_of("reviseOffer", "revised")
class ReviseOfferPayload(OfferPayload): ...


@_result_of("withdrawOffer", "withdrawn")
class WithdrawOfferPayload(OfferPayload): ...
