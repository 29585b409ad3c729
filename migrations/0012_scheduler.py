"""The scheduler's table (models/scheduler.py: one row per periodic job, with its next
run and its lease) and conversation status EXPIRED (an unanswered contact request the
scheduler closed, resolvers/chat/expiry.py).

EXPIRED changes only the status field's description (its list of values); the column
stays a plain VARCHAR(16), so that operation is state-only, as in 0003: Tortoise's
``AlterField`` on SQLite would rebuild the ``conversation`` table.
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from models.chat import ConversationStatus


class AlterFieldState(ops.AlterField):
    """``AlterField`` for the migration state only: no statement reaches the database."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None) -> None:
        return None

    async def database_backward(self, app_label, old_state, new_state, state_editor=None) -> None:
        return None


class Migration(migrations.Migration):
    dependencies = [('models', '0011_notifications')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ScheduledJob',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=60)),
                ('next_run_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('claimed_by', fields.CharField(null=True, max_length=64)),
                ('claimed_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_result', fields.IntField(null=True)),
                ('last_error', fields.CharField(null=True, max_length=500)),
                ('runs', fields.IntField(default=0)),
                ('failures', fields.IntField(default=0)),
            ],
            options={'table': 'scheduled_job', 'app': 'models', 'pk_attr': 'id', 'table_description': "A periodic job's schedule and its last run. A worker claims a due row with a conditional UPDATE (a lease), runs the job, then moves ``next_run_at`` on and frees the lease."},
            bases=['Model'],
        ),
        AlterFieldState(
            model_name='Conversation',
            name='status',
            field=fields.CharEnumField(default=ConversationStatus.REQUESTED, description='REQUESTED: REQUESTED\nACCEPTED: ACCEPTED\nDECLINED: DECLINED\nEXPIRED: EXPIRED', enum_type=ConversationStatus, max_length=16),
        ),
    ]
