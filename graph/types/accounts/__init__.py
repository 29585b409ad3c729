"""Accounts in GraphQL: ``User``, ``Company``, ``JoinRequest``; sign-up, sign-in, email
confirmation and company governance.

- ``types``: ``User``, ``Company``, ``JoinRequest``, their enums and ``node`` resolvers;
- ``inputs``: the mutations' inputs and payloads;
- ``operations``: the ``AccountsQuery``, ``AccountsMutation`` and ``CompanyMutation`` roots.

``_identity_is_plain`` is the old name of ``identity_is_plain``, kept for the profiles
types that import it.
"""

from graph.types.accounts.inputs import AuthPayload, LogInInput, LogOutInput, LogOutPayload, SignUpInput
from graph.types.accounts.operations import AccountsMutation, AccountsQuery, CompanyMutation
from graph.types.accounts.types import (
    IDENTITY_ATTR,
    Company,
    CompanyRole,
    JoinRequest,
    JoinRequestStatus,
    Role,
    User,
    VerificationMethod,
    identity_is_plain,
)
from graph.types.accounts.types import identity_is_plain as _identity_is_plain

__all__ = [
    "IDENTITY_ATTR",
    "AccountsMutation",
    "AccountsQuery",
    "AuthPayload",
    "Company",
    "CompanyMutation",
    "CompanyRole",
    "JoinRequest",
    "JoinRequestStatus",
    "LogInInput",
    "LogOutInput",
    "LogOutPayload",
    "Role",
    "SignUpInput",
    "User",
    "VerificationMethod",
    "_identity_is_plain",
    "identity_is_plain",
]
