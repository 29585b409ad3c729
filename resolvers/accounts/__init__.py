"""Accounts: sign-up, sign-in, opaque bearer tokens, companies and invitations.

- ``access``: tokens and sessions (who is signed in), and who may see an account's
  fields (``node``, email, invitation code);
- ``identity``: whose name a viewer may see (a candidate's profile privacy, applied to
  her account wherever it is reached);
- ``passwords``: the password policy and argon2 hashing;
- ``commands``: sign up, log in, log out;
- ``confirmation``: email confirmation codes (``confirmEmail``, ``resendConfirmation``)
  and the rule that employers search and contact only once confirmed;
- ``domains``: which email domains can stand for an employer (the free-mail and
  disposable lists in ``resolvers/data/``) and parent domains;
- ``companies``: company verification by work email, one company per verified domain,
  join requests;
- ``members``: governance — roles, removal, leaving, the invitation code, settings;
- ``queries``: users, companies and a candidate's profile row, batched;
- ``events``: revoked tokens, announced after commit;
- ``loaders``: the batch functions (``users_by_id``, ``companies_by_id``).
"""

from resolvers.accounts.access import (
    _TOKEN_WITH_USER,
    TOKEN_PREFIX,
    Session,
    authenticate,
    can_see_user,
    is_token_active,
    issue_token,
    token_digest,
)
from resolvers.accounts.commands import (
    COMPANY_NAME_MAX_LENGTH,
    DISPLAY_NAME_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    log_in,
    log_out,
    normalise_email,
    revoke_all_tokens,
    sign_up,
)
from resolvers.accounts.confirmation import confirm_email, require_confirmed_employer, resend_confirmation
from resolvers.accounts.domains import FREE_MAIL_DOMAINS, can_verify_company, parent_domains
from resolvers.accounts.events import announce_revoked_tokens
from resolvers.accounts.identity import ANONYMOUS_NAME, IDENTITY_ATTR, identity_is_plain, identity_visible
from resolvers.accounts.passwords import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    hash_password,
    password_hasher,
    verify_password,
)

# ``_TOKEN_WITH_USER`` (the compiled token statement per dialect) stays reachable here
# for ``/debug/memory``'s cache sizes (``graph/debug.py``).
__all__ = [
    "_TOKEN_WITH_USER",
    "ANONYMOUS_NAME",
    "COMPANY_NAME_MAX_LENGTH",
    "DISPLAY_NAME_MAX_LENGTH",
    "EMAIL_MAX_LENGTH",
    "FREE_MAIL_DOMAINS",
    "IDENTITY_ATTR",
    "PASSWORD_MAX_LENGTH",
    "PASSWORD_MIN_LENGTH",
    "TOKEN_PREFIX",
    "Session",
    "announce_revoked_tokens",
    "authenticate",
    "can_verify_company",
    "confirm_email",
    "parent_domains",
    "require_confirmed_employer",
    "resend_confirmation",
    "can_see_user",
    "hash_password",
    "identity_is_plain",
    "identity_visible",
    "is_token_active",
    "issue_token",
    "log_in",
    "log_out",
    "normalise_email",
    "password_hasher",
    "revoke_all_tokens",
    "sign_up",
    "token_digest",
    "verify_password",
]
