"""Hiring (models/hiring.py): roles and their teams, company pipeline stages, pipeline
entries with their move history, notes, tags and ratings; ``offer.role_id`` names the
role an offer is for."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from models.hiring import PipelineStage, Recommendation, RoleStatus
from models.profiles import RemotePreference, SalaryPeriod
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


# SQLite's ALTER TABLE … ADD COLUMN creates no index for the new foreign key (every
# foreign-key column has one: tests/graph/test_database.py).
def _offer_role_index(forward: bool):
    async def run(apps, schema_editor) -> None:
        if schema_editor.client.capabilities.dialect != "sqlite":
            return
        sql = "CREATE INDEX IF NOT EXISTS idx_offer_role_id ON offer (role_id)" if forward else "DROP INDEX IF EXISTS idx_offer_role_id"
        await schema_editor.client.execute_script(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [('models', '0008_safety')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CustomStage',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_index=True, db_constraint=True, to_field='id', related_name='custom_stages', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=60)),
                ('position', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'hiring_custom_stage', 'app': 'models', 'unique_together': (('company', 'name'),), 'pk_attr': 'id', 'table_description': "A pipeline stage of one company, between INTERVIEWING and OFFER (ordered by position)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PipelineTag',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_index=True, db_constraint=True, to_field='id', related_name='pipeline_tags', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=40)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'hiring_pipeline_tag', 'app': 'models', 'unique_together': (('company', 'name'),), 'pk_attr': 'id', 'table_description': 'A label a company defines for its pipelines.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Role',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_index=True, db_constraint=True, to_field='id', related_name='roles', on_delete=OnDelete.CASCADE)),
                ('owner', fields.ForeignKeyField('models.User', source_field='owner_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='owned_roles', on_delete=OnDelete.SET_NULL)),
                ('title', fields.CharField(max_length=120)),
                ('description', fields.TextField(default='', unique=False)),
                ('location', fields.CharField(null=True, max_length=200)),
                ('remote_preference', fields.CharEnumField(null=True, description='ONSITE: ONSITE\nHYBRID: HYBRID\nREMOTE: REMOTE', enum_type=RemotePreference, max_length=16)),
                ('salary_min', fields.IntField()),
                ('salary_max', fields.IntField()),
                ('salary_currency', fields.CharField(max_length=3)),
                ('salary_period', fields.CharEnumField(description='HOUR: HOUR\nMONTH: MONTH\nYEAR: YEAR', enum_type=SalaryPeriod, max_length=8)),
                ('headcount', fields.IntField(default=1)),
                ('filled_count', fields.IntField(default=0)),
                ('status', fields.CharEnumField(default=RoleStatus.OPEN, db_index=True, description='OPEN: OPEN\nPAUSED: PAUSED\nFILLED: FILLED\nARCHIVED: ARCHIVED', enum_type=RoleStatus, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'hiring_role', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A position a company hires for.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PipelineEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('role', fields.ForeignKeyField('models.Role', source_field='role_id', db_index=True, db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.CASCADE)),
                ('company_id', fields.BigIntField(db_index=True)),
                ('candidate', fields.ForeignKeyField('models.User', source_field='candidate_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='pipeline_entries', on_delete=OnDelete.SET_NULL)),
                ('stage', fields.CharEnumField(default=PipelineStage.SOURCED, description='SOURCED: SOURCED\nCONTACTED: CONTACTED\nREPLIED: REPLIED\nINTERVIEWING: INTERVIEWING\nCUSTOM: CUSTOM\nOFFER: OFFER\nHIRED: HIRED\nREJECTED: REJECTED\nWITHDRAWN: WITHDRAWN', enum_type=PipelineStage, max_length=16)),
                ('custom_stage', fields.ForeignKeyField('models.CustomStage', source_field='custom_stage_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.RESTRICT)),
                ('stage_reason', fields.CharField(null=True, max_length=500)),
                ('version', fields.IntField(default=1)),
                ('added_by', fields.ForeignKeyField('models.User', source_field='added_by_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='pipeline_entries_added', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('stage_changed_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'hiring_pipeline_entry', 'app': 'models', 'unique_together': (('role', 'candidate'),), 'indexes': [Index(fields=['role_id', 'stage', 'id'])], 'pk_attr': 'id', 'table_description': 'One candidate on one role. ``candidate`` is emptied when she blocks the company,'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PipelineEntryTag',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('entry', fields.ForeignKeyField('models.PipelineEntry', source_field='entry_id', db_index=True, db_constraint=True, to_field='id', related_name='entry_tags', on_delete=OnDelete.CASCADE)),
                ('tag', fields.ForeignKeyField('models.PipelineTag', source_field='tag_id', db_index=True, db_constraint=True, to_field='id', related_name='entry_tags', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'hiring_pipeline_entry_tag', 'app': 'models', 'unique_together': (('entry', 'tag'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PipelineMove',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('entry', fields.ForeignKeyField('models.PipelineEntry', source_field='entry_id', db_index=True, db_constraint=True, to_field='id', related_name='moves', on_delete=OnDelete.CASCADE)),
                ('from_stage', fields.CharEnumField(null=True, description='SOURCED: SOURCED\nCONTACTED: CONTACTED\nREPLIED: REPLIED\nINTERVIEWING: INTERVIEWING\nCUSTOM: CUSTOM\nOFFER: OFFER\nHIRED: HIRED\nREJECTED: REJECTED\nWITHDRAWN: WITHDRAWN', enum_type=PipelineStage, max_length=16)),
                ('from_custom_stage_id', fields.BigIntField(null=True)),
                ('to_stage', fields.CharEnumField(description='SOURCED: SOURCED\nCONTACTED: CONTACTED\nREPLIED: REPLIED\nINTERVIEWING: INTERVIEWING\nCUSTOM: CUSTOM\nOFFER: OFFER\nHIRED: HIRED\nREJECTED: REJECTED\nWITHDRAWN: WITHDRAWN', enum_type=PipelineStage, max_length=16)),
                ('to_custom_stage_id', fields.BigIntField(null=True)),
                ('actor', fields.ForeignKeyField('models.User', source_field='actor_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='pipeline_moves', on_delete=OnDelete.SET_NULL)),
                ('trigger', fields.CharField(null=True, max_length=32)),
                ('reason', fields.CharField(null=True, max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'hiring_pipeline_move', 'app': 'models', 'indexes': [Index(fields=['entry_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'One move of an entry (its creation included: ``from_stage`` null).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PipelineNote',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('entry', fields.ForeignKeyField('models.PipelineEntry', source_field='entry_id', db_index=True, db_constraint=True, to_field='id', related_name='notes', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('models.User', source_field='author_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='pipeline_notes', on_delete=OnDelete.SET_NULL)),
                ('body', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'hiring_pipeline_note', 'app': 'models', 'pk_attr': 'id', 'table_description': "A markdown note of a colleague on an entry. The data of the company, never of the candidate."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PipelineRating',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('entry', fields.ForeignKeyField('models.PipelineEntry', source_field='entry_id', db_index=True, db_constraint=True, to_field='id', related_name='ratings', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('models.User', source_field='author_id', db_index=True, db_constraint=True, to_field='id', related_name='pipeline_ratings', on_delete=OnDelete.CASCADE)),
                ('score', fields.SmallIntField()),
                ('recommendation', fields.CharEnumField(description='STRONG_YES: STRONG_YES\nYES: YES\nNO: NO\nSTRONG_NO: STRONG_NO', enum_type=Recommendation, max_length=16)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'hiring_pipeline_rating', 'app': 'models', 'unique_together': (('entry', 'author'),), 'pk_attr': 'id', 'table_description': "The rating of an entry by one colleague (one each, changed in place)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RoleMember',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('role', fields.ForeignKeyField('models.Role', source_field='role_id', db_index=True, db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_index=True, db_constraint=True, to_field='id', related_name='role_memberships', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'hiring_role_member', 'app': 'models', 'unique_together': (('role', 'user'),), 'pk_attr': 'id', 'table_description': "A colleague on the hiring team of a role (the owner is one too)."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Offer',
            name='role',
            field=fields.ForeignKeyField('models.Role', source_field='role_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='offers', on_delete=OnDelete.SET_NULL),
        ),
        ops.RunPython(_offer_role_index(True), _offer_role_index(False)),
    ]
