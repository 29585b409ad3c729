"""Trust and safety (models/safety.py): reports and their filings, suspensions, red flags on
first-contact messages; ``suspended_at`` on users and companies and the MODERATOR role.

The role's new value changes only the field's description: the column stays a VARCHAR(16),
so that operation is state-only (as in 0003: Tortoise's ``AlterField`` on SQLite rebuilds
the ``user`` table and loses its foreign-key indexes).
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from models.accounts import Role
from models.safety import ModerationAction, ReportReason, ReportStatus, ReportTargetKind
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class AlterFieldState(ops.AlterField):
    """``AlterField`` for the migration state only: no statement reaches the database."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None) -> None:
        return None

    async def database_backward(self, app_label, old_state, new_state, state_editor=None) -> None:
        return None


class Migration(migrations.Migration):
    dependencies = [('models', '0007_trust_identity')]

    initial = False

    operations = [
        ops.CreateModel(
            name='MessageRedFlag',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('message', fields.OneToOneField('models.Message', source_field='message_id', db_constraint=True, to_field='id', related_name='red_flag', on_delete=OnDelete.CASCADE)),
                ('kinds', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'message_red_flag', 'app': 'models', 'pk_attr': 'id', 'table_description': "Red flags found in a company's message to a candidate who had not replied yet (resolvers/data/red_flags.json): shown to the candidate with the message."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Report',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('target_kind', fields.CharEnumField(description='PROFILE: PROFILE\nCOMPANY: COMPANY\nCONVERSATION: CONVERSATION\nMESSAGE: MESSAGE\nOFFER: OFFER', enum_type=ReportTargetKind, max_length=16)),
                ('target_id', fields.BigIntField()),
                ('open_key', fields.CharField(null=True, unique=True, max_length=40)),
                ('subject_user_id', fields.BigIntField(null=True, db_index=True)),
                ('subject_company_id', fields.BigIntField(null=True, db_index=True)),
                ('snapshot', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('status', fields.CharEnumField(default=ReportStatus.OPEN, db_index=True, description='OPEN: OPEN\nDISMISSED: DISMISSED\nACTION_TAKEN: ACTION_TAKEN', enum_type=ReportStatus, max_length=16)),
                ('filing_count', fields.IntField(default=1)),
                ('first_reported_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('last_reported_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('resolved_by_id', fields.BigIntField(null=True)),
                ('action', fields.CharEnumField(null=True, description='DISMISS: DISMISS\nWARN: WARN\nREMOVE_MESSAGE: REMOVE_MESSAGE\nSUSPEND_USER: SUSPEND_USER\nSUSPEND_COMPANY: SUSPEND_COMPANY', enum_type=ModerationAction, max_length=20)),
                ('note', fields.CharField(null=True, max_length=1000)),
            ],
            options={'table': 'report', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One case about one piece of content: every filing on the same target merges into the open case (``open_key`` is unique while the case is open and null once resolved).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReportFiling',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('report', fields.ForeignKeyField('models.Report', source_field='report_id', db_index=True, db_constraint=True, to_field='id', related_name='filings', on_delete=OnDelete.CASCADE)),
                ('reporter', fields.ForeignKeyField('models.User', source_field='reporter_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='report_filings', on_delete=OnDelete.SET_NULL)),
                ('reason', fields.CharEnumField(db_index=True, description='SCAM: SCAM\nSPAM: SPAM\nHARASSMENT: HARASSMENT\nDISCRIMINATION: DISCRIMINATION\nFAKE_IDENTITY: FAKE_IDENTITY\nOTHER: OTHER', enum_type=ReportReason, max_length=20)),
                ('comment', fields.CharField(null=True, max_length=1000)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'report_filing', 'app': 'models', 'unique_together': (('report', 'reporter'),), 'pk_attr': 'id', 'table_description': "One user's report of a case's target: the reason and comment they gave. The reporter is never shown to the reported party."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Suspension',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='suspensions', on_delete=OnDelete.CASCADE)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='suspensions', on_delete=OnDelete.CASCADE)),
                ('report', fields.ForeignKeyField('models.Report', source_field='report_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='suspensions', on_delete=OnDelete.SET_NULL)),
                ('moderator_id', fields.BigIntField(null=True)),
                ('note', fields.CharField(null=True, max_length=1000)),
                ('hidden', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('lifted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('lifted_by_id', fields.BigIntField(null=True)),
            ],
            options={'table': 'suspension', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A moderator suspended an account or a company. While ``lifted_at`` is null the suspension holds, and it remembers what it hid so lifting restores it.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Company',
            name='suspended_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        AlterFieldState(
            model_name='User',
            name='role',
            field=fields.CharEnumField(description='CANDIDATE: CANDIDATE\nEMPLOYER: EMPLOYER\nMODERATOR: MODERATOR', enum_type=Role, max_length=16),
        ),
        ops.AddField(
            model_name='User',
            name='suspended_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
