"""The mail outbox (resolvers/mail): mails written with the change that causes them,
claimed and sent by the mail sender."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0004_search_scale')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OutboxMail',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(db_index=True, max_length=40)),
                ('dedupe_key', fields.CharField(null=True, unique=True, max_length=200)),
                ('to_address', fields.CharField(max_length=254)),
                ('subject', fields.CharField(max_length=300)),
                ('body_text', fields.TextField(unique=False)),
                ('body_html', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('send_after', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('attempts', fields.IntField(default=0)),
                ('last_error', fields.CharField(null=True, max_length=500)),
                ('claimed_by', fields.CharField(null=True, max_length=64)),
                ('claimed_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('failed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'mail_outbox', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One email to send. Written with the change that causes it, sent later by the mail sender, which claims a row with a lease before sending and marks it sent after the SMTP server accepted it.'},
            bases=['Model'],
        ),
    ]
