"""The errors business logic raises. ``graph/errors.py`` explains how each reaches a client.

- ``UserErrors``: expected outcomes of a mutation (validation, business rules,
  conflicts). The mutation returns them in its payload's ``userErrors``; the transaction
  that raised them is rolled back, so a failed mutation changes nothing.
- ``ApiError`` and subclasses: the request as a whole is refused
  (``UNAUTHENTICATED``, ``FORBIDDEN``, ``BAD_USER_INPUT``, ``RATE_LIMITED``). They become
  GraphQL errors carrying ``extensions.code``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class UserErrorCode(str, Enum):
    """Machine-readable reason of a ``UserError``; the GraphQL enum mirrors it."""

    # Generic validation
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    TOO_SHORT = "TOO_SHORT"
    TOO_LONG = "TOO_LONG"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    TOO_MANY = "TOO_MANY"
    INVALID_URL = "INVALID_URL"
    INVALID_DATE_RANGE = "INVALID_DATE_RANGE"
    INVALID_COUNTRY = "INVALID_COUNTRY"
    INVALID_CURRENCY = "INVALID_CURRENCY"
    NOT_FOUND = "NOT_FOUND"
    DUPLICATE = "DUPLICATE"
    RATE_LIMITED = "RATE_LIMITED"
    # Accounts
    INVALID_EMAIL = "INVALID_EMAIL"
    EMAIL_TAKEN = "EMAIL_TAKEN"
    WEAK_PASSWORD = "WEAK_PASSWORD"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    INVALID_INVITATION = "INVALID_INVITATION"
    HANDLE_TAKEN = "HANDLE_TAKEN"
    WRONG_CONFIRMATION_CODE = "WRONG_CONFIRMATION_CODE"
    CONFIRMATION_EXPIRED = "CONFIRMATION_EXPIRED"
    ALREADY_CONFIRMED = "ALREADY_CONFIRMED"
    EMAIL_NOT_CONFIRMED = "EMAIL_NOT_CONFIRMED"
    LAST_ADMIN = "LAST_ADMIN"
    # Profiles
    SELF_ENDORSEMENT = "SELF_ENDORSEMENT"
    ALREADY_ENDORSED = "ALREADY_ENDORSED"
    ALREADY_BLOCKED = "ALREADY_BLOCKED"
    # Chat
    BELOW_CANDIDATE_FLOOR = "BELOW_CANDIDATE_FLOOR"
    NO_EXCHANGE_RATE = "NO_EXCHANGE_RATE"
    RANGE_TOO_WIDE = "RANGE_TOO_WIDE"
    CONTACT_QUOTA_EXCEEDED = "CONTACT_QUOTA_EXCEEDED"
    ALREADY_IN_CONVERSATION = "ALREADY_IN_CONVERSATION"
    CONVERSATION_NOT_ACCEPTED = "CONVERSATION_NOT_ACCEPTED"
    CONVERSATION_DECLINED = "CONVERSATION_DECLINED"
    ALREADY_RESPONDED = "ALREADY_RESPONDED"
    CONTACT_REQUEST_EXPIRED = "CONTACT_REQUEST_EXPIRED"
    CANDIDATE_HIRED = "CANDIDATE_HIRED"
    VERIFIED_COMPANIES_ONLY = "VERIFIED_COMPANIES_ONLY"
    # Offers
    INVALID_TRANSITION = "INVALID_TRANSITION"
    STALE_VERSION = "STALE_VERSION"
    OFFER_EXPIRED = "OFFER_EXPIRED"
    # Search
    INVALID_QUERY = "INVALID_QUERY"
    # Hiring
    STAGE_IN_USE = "STAGE_IN_USE"
    # Interviews
    INTERVIEW_NOT_OPEN = "INTERVIEW_NOT_OPEN"
    INTERVIEW_CHANGED = "INTERVIEW_CHANGED"
    INTERVIEW_EXPIRED = "INTERVIEW_EXPIRED"
    SLOT_NOT_OFFERED = "SLOT_NOT_OFFERED"
    INTERVIEWER_UNAVAILABLE = "INTERVIEWER_UNAVAILABLE"
    NOT_AN_INTERVIEWER = "NOT_AN_INTERVIEWER"
    INTERVIEW_NOT_STARTED = "INTERVIEW_NOT_STARTED"
    # Safety
    ACCOUNT_SUSPENDED = "ACCOUNT_SUSPENDED"
    ALREADY_RESOLVED = "ALREADY_RESOLVED"
    ALREADY_SUSPENDED = "ALREADY_SUSPENDED"
    NOT_SUSPENDED = "NOT_SUSPENDED"
    ACTION_NOT_APPLICABLE = "ACTION_NOT_APPLICABLE"


@dataclass(frozen=True)
class UserErrorData:
    code: UserErrorCode
    message: str
    field: tuple[str, ...] | None = None


class UserErrors(Exception):
    """One or more expected failures of a mutation; becomes the payload's ``userErrors``."""

    def __init__(self, errors: list[UserErrorData]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors

    @classmethod
    def single(
        cls, code: UserErrorCode, message: str, field: tuple[str, ...] | list[str] | None = None
    ) -> UserErrors:
        return cls([UserErrorData(code, message, tuple(field) if field else None)])


@dataclass
class Problems:
    """Collects validation problems; ``raise_if_any`` raises them all at once."""

    errors: list[UserErrorData] = field(default_factory=list)

    def add(self, code: UserErrorCode, message: str, *path: str) -> None:
        self.errors.append(UserErrorData(code, message, tuple(path) if path else None))

    def raise_if_any(self) -> None:
        if self.errors:
            raise UserErrors(list(self.errors))

    def __bool__(self) -> bool:
        return bool(self.errors)


class ApiError(Exception):
    """A refusal of the whole operation; ``code`` becomes ``extensions.code``."""

    code = "BAD_REQUEST"
    default_message = "The request was refused."

    def __init__(self, message: str | None = None, **extensions: object) -> None:
        super().__init__(message or self.default_message)
        self.message = message or self.default_message
        self.extensions = extensions


class Unauthenticated(ApiError):
    code = "UNAUTHENTICATED"
    default_message = "Sign in first: send 'Authorization: Bearer <token>'."


class Forbidden(ApiError):
    code = "FORBIDDEN"
    default_message = "You are not allowed to do this."


class NotFound(ApiError):
    code = "NOT_FOUND"
    default_message = "Not found."


class BadUserInput(ApiError):
    code = "BAD_USER_INPUT"
    default_message = "The input is not valid."


class RateLimited(ApiError):
    code = "RATE_LIMITED"
    default_message = "Too many requests; try again later."
