"""The audit log (models/audit.py): append-only record of moderation, membership and
verification actions."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_mail_outbox')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('actor_id', fields.BigIntField(null=True, db_index=True)),
                ('action', fields.CharField(db_index=True, max_length=60)),
                ('target_type', fields.CharField(max_length=40)),
                ('target_id', fields.BigIntField()),
                ('company_id', fields.BigIntField(null=True, db_index=True)),
                ('details', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'audit_entry', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One action taken on the platform, by whom and on what. Never updated or deleted: the model refuses save and delete of a stored entry, and no code issues a bulk update or delete on this table.'},
            bases=['Model'],
        ),
    ]
