"""Interviews (models/interviews.py): interviews, their interviewers' assignments and
bookings, interviewers' feedback; and the candidate's IANA time zone on the profile."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from models.interviews import InterviewKind, InterviewStatus, Recommendation
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields

class AddColumn(ops.AddField):
    """``AddField`` whose rollback drops the column in place (``ALTER TABLE … DROP COLUMN``,
    SQLite 3.35+ and PostgreSQL). Tortoise's rollback rebuilds the table on SQLite, and
    dropping ``profile`` breaks the search-index triggers that name it."""

    async def database_backward(self, app_label, old_state, new_state, state_editor=None):  # type: ignore[no-untyped-def]
        if state_editor is not None:
            model = old_state.apps.get_model(f"{app_label}.{self.model_name}")
            await ops.RunSQL(f'ALTER TABLE "{model._meta.db_table}" DROP COLUMN "{self.name}"').database_forward(
                app_label, old_state, new_state, state_editor
            )


class Migration(migrations.Migration):
    dependencies = [('models', '0009_hiring')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Interview',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('conversation', fields.ForeignKeyField('models.Conversation', source_field='conversation_id', db_index=True, db_constraint=True, to_field='id', related_name='interviews', on_delete=OnDelete.CASCADE)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_index=True, db_constraint=True, to_field='id', related_name='interviews', on_delete=OnDelete.CASCADE)),
                ('candidate', fields.ForeignKeyField('models.User', source_field='candidate_id', db_index=True, db_constraint=True, to_field='id', related_name='interviews', on_delete=OnDelete.CASCADE)),
                ('proposed_by', fields.ForeignKeyField('models.User', source_field='proposed_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='interviews_proposed', on_delete=OnDelete.SET_NULL)),
                ('role_id', fields.BigIntField(null=True, db_index=True)),
                ('kind', fields.CharEnumField(description='VIDEO: VIDEO\nPHONE: PHONE\nONSITE: ONSITE', enum_type=InterviewKind, max_length=8)),
                ('duration_minutes', fields.IntField()),
                ('location', fields.CharField(null=True, max_length=200)),
                ('url', fields.CharField(null=True, max_length=500)),
                ('status', fields.CharEnumField(default=InterviewStatus.PROPOSED, db_index=True, description='PROPOSED: PROPOSED\nSCHEDULED: SCHEDULED\nCANCELLED: CANCELLED\nEXPIRED: EXPIRED', enum_type=InterviewStatus, max_length=16)),
                ('version', fields.IntField(default=1)),
                ('slots', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('starts_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('cancel_reason', fields.CharField(null=True, max_length=1000)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'interview', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One interview between a company and the candidate of a conversation.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='InterviewAssignment',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('interview', fields.ForeignKeyField('models.Interview', source_field='interview_id', db_index=True, db_constraint=True, to_field='id', related_name='assignments', on_delete=OnDelete.CASCADE)),
                ('interviewer', fields.ForeignKeyField('models.User', source_field='interviewer_id', db_index=True, db_constraint=True, to_field='id', related_name='interview_assignments', on_delete=OnDelete.CASCADE)),
                ('starts_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'interview_assignment', 'app': 'models', 'unique_together': (('interview', 'interviewer'),), 'pk_attr': 'id', 'table_description': 'An interviewer of an interview, booked from starts_at to ends_at once it is scheduled.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='InterviewFeedback',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('interview', fields.ForeignKeyField('models.Interview', source_field='interview_id', db_index=True, db_constraint=True, to_field='id', related_name='feedback', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('models.User', source_field='author_id', db_index=True, db_constraint=True, to_field='id', related_name='interview_feedback', on_delete=OnDelete.CASCADE)),
                ('rating', fields.SmallIntField()),
                ('recommendation', fields.CharEnumField(description='STRONG_NO: STRONG_NO\nNO: NO\nYES: YES\nSTRONG_YES: STRONG_YES', enum_type=Recommendation, max_length=16)),
                ('notes', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'interview_feedback', 'app': 'models', 'unique_together': (('interview', 'author'),), 'pk_attr': 'id', 'table_description': "One interviewer's assessment: the company's data, never shown to the candidate."},
            bases=['Model'],
        ),
        AddColumn(
            model_name='Profile',
            name='time_zone',
            field=fields.CharField(null=True, max_length=64),
        ),
    ]
