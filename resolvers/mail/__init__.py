"""Mail: an outbox written in the transaction of the change, and a sender that delivers
each row once.

- ``commands.enqueue_mail`` writes an ``OutboxMail`` row; call it inside the transaction
  of the change that causes the mail (a confirmation code, a join request …), so the mail
  exists if and only if the change committed.
- ``sender.MailSender`` claims due rows with a lease (a conditional UPDATE: one sender
  wins a row, on SQLite and PostgreSQL alike), hands them to a transport, and marks them
  sent. Failures retry with exponential backoff; a 5xx refusal or too many attempts marks
  the row failed. A sender killed mid-send leaves its rows claimed until the lease
  expires; another sender (or the same one restarted) takes them then.
- ``transports``: ``smtp://`` / ``smtps://`` (aiosmtplib), ``log://`` (the mail goes to
  the log: the default for a laptop) and ``file:///folder`` (one ``.eml`` file per mail).
"""

from resolvers.mail.commands import enqueue_mail
from resolvers.mail.sender import MailSender
from resolvers.mail.transports import MailMessage, PermanentMailError, Transport, transport_for

__all__ = ["MailMessage", "MailSender", "PermanentMailError", "Transport", "enqueue_mail", "transport_for"]
