"""Email confirmation: a six-digit code mailed at sign-up (and on ``resendConfirmation``)
that the user types back (``confirmEmail``).

- The code is mailed through the outbox in the transaction that creates it
  (``resolvers.mail.enqueue_mail``), so a sign-up and its mail commit together.
- Only a keyed digest of the code is stored; it expires after ``CODE_TTL`` and is spent
  by ``MAX_WRONG_TRIES`` wrong tries (counted with a conditional UPDATE before the code
  is compared, so parallel guesses cannot exceed it). A new code spends the old one.
- ``resendConfirmation`` sends at most one code per ``RESEND_INTERVAL`` and
  ``RESENDS_PER_HOUR`` per hour for one account (serialised on the user row).
- Confirming stamps ``User.email_confirmed_at`` and lets the company side follow
  (``resolvers.accounts.companies.after_email_confirmed``: verification, join requests)
  in the same transaction.

Until confirmed an employer cannot search or contact candidates
(``require_confirmed_employer``). A candidate may do everything before confirming: her
address is never shown to anyone and only carries mail to her.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.accounts import EmailConfirmation, User
from models.notifications import Notification
from resolvers import audit
from resolvers.accounts.access import utcnow
from resolvers.accounts.companies import after_email_confirmed
from resolvers.accounts.events import announce_viewers_changed
from resolvers.errors import Forbidden, UserErrorCode, UserErrors
from resolvers.events import Publisher
from resolvers.mail import enqueue_mail
from resolvers.notifications.events import publish_notifications

if TYPE_CHECKING:
    from graph.settings import Settings
    from resolvers.events import Publisher

CODE_DIGITS = 6
CODE_TTL = timedelta(hours=1)
MAX_WRONG_TRIES = 5
RESEND_INTERVAL = timedelta(seconds=60)
RESENDS_PER_HOUR = 5
CONFIRM_MAIL_KIND = "confirm_email"


def _digest(settings: Settings, user_id: int, code: str) -> str:
    message = f"email-confirmation:{user_id}:{code}".encode()
    return hmac.new(settings.secret_key.encode(), message, hashlib.sha256).hexdigest()


async def send_code(settings: Settings, user: User) -> None:
    """A new code for ``user``: older ones are spent, the mail goes to the outbox.
    Call inside the transaction of the change that asks for it."""
    now = utcnow()
    await EmailConfirmation.filter(user_id=user.pk, spent_at=None).update(spent_at=now)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    confirmation = await EmailConfirmation.create(
        user_id=user.pk, code_hash=_digest(settings, user.pk, code), expires_at=now + CODE_TTL
    )
    minutes = int(CODE_TTL.total_seconds() // 60)
    await enqueue_mail(
        kind=CONFIRM_MAIL_KIND,
        to_address=user.email,
        subject=f"Your OpenForWork confirmation code: {code}",
        body_text=(
            f"Hello {user.display_name},\n\nYour confirmation code is {code}.\n"
            f"Enter it in OpenForWork within {minutes} minutes to confirm this email address.\n\n"
            "If you did not sign up, ignore this mail."
        ),
        dedupe_key=f"{CONFIRM_MAIL_KIND}:{confirmation.pk}",
    )


def _refused(code: UserErrorCode, message: str) -> UserErrors:
    return UserErrors.single(code, message, ["code"])


async def confirm_email(settings: Settings, publisher: Publisher, user: User, code: str) -> User:
    """Check ``code`` against the user's live confirmation and, if it matches, confirm the
    email (and let the company side follow: a join request tells the company's admins,
    published through ``publisher``; the account's cached sessions are evicted on every
    worker). Confirming twice changes nothing."""
    if user.email_confirmed_at is not None:
        return user
    code = code.strip()
    now = utcnow()
    live = await EmailConfirmation.filter(user_id=user.pk, spent_at=None, expires_at__gt=now).order_by("-id").first()
    # Count the try before comparing: of N parallel guesses at most MAX_WRONG_TRIES are compared.
    if live is None or not await EmailConfirmation.filter(
        id=live.pk, spent_at=None, failed_attempts__lt=MAX_WRONG_TRIES
    ).update(failed_attempts=F("failed_attempts") + 1):
        raise _refused(
            UserErrorCode.CONFIRMATION_EXPIRED,
            "This code expired or was tried too often; ask for a new one with resendConfirmation.",
        )
    if len(code) > 20 or not hmac.compare_digest(live.code_hash, _digest(settings, user.pk, code)):
        left = MAX_WRONG_TRIES - live.failed_attempts - 1
        raise _refused(UserErrorCode.WRONG_CONFIRMATION_CODE, f"This code is not right; {max(left, 0)} tries left.")
    notified: list[Notification] = []
    async with in_transaction():
        locked = await User.select_for_update().get(id=user.pk)
        if locked.email_confirmed_at is None:
            await EmailConfirmation.filter(user_id=user.pk, spent_at=None).update(spent_at=now)
            locked.email_confirmed_at = now
            await locked.save(update_fields=["email_confirmed_at"])
            await audit.record("email.confirmed", actor_id=user.pk, target_type="User", target_id=user.pk,
                               company_id=locked.company_id)
            notified = await after_email_confirmed(locked)
    await publish_notifications(publisher, notified)
    await announce_viewers_changed(publisher, [user.pk])
    return await User.get(id=user.pk)


async def resend_confirmation(settings: Settings, user: User) -> None:
    """Mail a new code, within the resend limits; refused once the email is confirmed."""
    async with in_transaction():
        locked = await User.select_for_update().get(id=user.pk)
        if locked.email_confirmed_at is not None:
            raise UserErrors.single(UserErrorCode.ALREADY_CONFIRMED, "Your email is already confirmed.")
        now = utcnow()
        recent = await EmailConfirmation.filter(user_id=user.pk, created_at__gte=now - timedelta(hours=1)).order_by("-id")
        if len(recent) >= RESENDS_PER_HOUR + 1 or (recent and recent[0].created_at > now - RESEND_INTERVAL):
            raise UserErrors.single(
                UserErrorCode.RATE_LIMITED,
                f"A code was sent moments ago; you can ask for one every {int(RESEND_INTERVAL.total_seconds())} "
                f"seconds and {RESENDS_PER_HOUR} times an hour. Look for it in your mail.",
            )
        await send_code(settings, locked)


def require_confirmed_employer(user: User) -> None:
    """Employers search and contact only once their email is confirmed (FORBIDDEN with
    ``extensions.reason = EMAIL_NOT_CONFIRMED`` otherwise)."""
    if user.is_employer and user.email_confirmed_at is None:
        raise Forbidden(
            "Confirm your email first (confirmEmail with the code we mailed you): until then you cannot search or contact candidates.",
            reason="EMAIL_NOT_CONFIRMED",
        )
