"""Accounts in GraphQL: ``User``, ``Company``, ``signUp``, ``logIn``, ``logOut`` and ``viewer``.

- ``types``: ``User``, ``Company``, ``Role`` and their ``node`` resolvers;
- ``inputs``: the mutations' inputs and payloads;
- ``operations``: the ``AccountsQuery`` and ``AccountsMutation`` roots.

``_identity_is_plain`` is the old name of ``identity_is_plain``, kept for the profiles
types that import it.
"""

from graph.types.accounts.inputs import AuthPayload, LogInInput, LogOutInput, LogOutPayload, SignUpInput
from graph.types.accounts.operations import AccountsMutation, AccountsQuery
from graph.types.accounts.types import (
    IDENTITY_ATTR,
    Company,
    Role,
    User,
    identity_is_plain,
)
from graph.types.accounts.types import identity_is_plain as _identity_is_plain

__all__ = [
    "IDENTITY_ATTR",
    "AccountsMutation",
    "AccountsQuery",
    "AuthPayload",
    "Company",
    "LogInInput",
    "LogOutInput",
    "LogOutPayload",
    "Role",
    "SignUpInput",
    "User",
    "_identity_is_plain",
    "identity_is_plain",
]
