"""Mail: the outbox every outgoing email is written to, in the transaction of the change
that causes it (``resolvers/mail``)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class OutboxMail(Model):
    """One email to send. Written with the change that causes it, sent later by the mail sender, which claims a row with a lease before sending and marks it sent after the SMTP server accepted it."""

    id = fields.BigIntField(primary_key=True)
    # What the mail is for (confirm_email, join_request …): for logs, metrics and retention.
    kind = fields.CharField(max_length=40, db_index=True)
    # Set when one event must never produce two mails (unique): a retried mutation or a
    # second scheduler run writes nothing new.
    dedupe_key = fields.CharField(max_length=200, null=True, unique=True)
    to_address = fields.CharField(max_length=254)
    subject = fields.CharField(max_length=300)
    body_text = fields.TextField()
    body_html = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # Not before this moment (retries move it forward with backoff).
    send_after = fields.DatetimeField(db_index=True)
    attempts = fields.IntField(default=0)
    last_error = fields.CharField(max_length=500, null=True)
    # The sender holding the row and until when; another sender may take it after that.
    claimed_by = fields.CharField(max_length=64, null=True)
    claimed_until = fields.DatetimeField(null=True)
    sent_at = fields.DatetimeField(null=True, db_index=True)
    # Set when the sender gave up (permanent SMTP refusal or too many attempts).
    failed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "mail_outbox"
