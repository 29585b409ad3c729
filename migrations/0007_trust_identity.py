"""Employer identity and company governance (issue 14, items 1–4): email confirmation
codes, join requests, member roles, how a company was verified and the domain it claims,
and a candidate's ``acceptContactFrom``.

Existing rows: every member of a company becomes MEMBER and its earliest member ADMIN;
companies that were "verified" by assertion (an email domain typed at sign-up) are
verified no longer: an admin verifies them again by confirming a work email
(``resendConfirmation`` then ``confirmEmail``). Existing accounts start unconfirmed.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from models.accounts import CompanyRole, JoinRequestStatus, VerificationMethod
from models.profiles import ContactPolicy
from tortoise.fields.base import OnDelete
from tortoise import fields

_EXISTING_ROWS = """
UPDATE "user" SET company_role = 'MEMBER' WHERE company_id IS NOT NULL;
UPDATE "user" SET company_role = 'ADMIN'
    WHERE id IN (SELECT MIN(id) FROM "user" WHERE company_id IS NOT NULL GROUP BY company_id);
UPDATE company SET verified = FALSE WHERE verified;
"""


async def _existing_rows(apps, schema_editor) -> None:
    await schema_editor.client.execute_script(_EXISTING_ROWS)


async def _nothing(apps, schema_editor) -> None:
    return None



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
    dependencies = [('models', '0006_audit_log')]

    initial = False

    operations = [
        ops.CreateModel(
            name='EmailConfirmation',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_index=True, db_constraint=True, to_field='id', related_name='email_confirmations', on_delete=OnDelete.CASCADE)),
                ('code_hash', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('failed_attempts', fields.IntField(default=0)),
                ('spent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'email_confirmation', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A code sent to a user to confirm their email. Only its keyed digest is stored, it expires, and a fixed number of wrong tries spends it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='JoinRequest',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_index=True, db_constraint=True, to_field='id', related_name='join_requests', on_delete=OnDelete.CASCADE)),
                ('company', fields.ForeignKeyField('models.Company', source_field='company_id', db_index=True, db_constraint=True, to_field='id', related_name='join_requests', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(default=JoinRequestStatus.PENDING, description='PENDING: PENDING\nACCEPTED: ACCEPTED\nREFUSED: REFUSED', enum_type=JoinRequestStatus, max_length=16)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('decided_by_id', fields.BigIntField(null=True)),
            ],
            options={'table': 'join_request', 'app': 'models', 'pk_attr': 'id', 'table_description': "A confirmed sign-up at a company's verified domain asking to join it, decided by the company's admins."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Company',
            name='auto_accept_domain_members',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='Company',
            name='claimed_domain',
            field=fields.CharField(null=True, unique=True, max_length=253),
        ),
        ops.AddField(
            model_name='Company',
            name='includes_subdomains',
            field=fields.BooleanField(default=True),
        ),
        ops.AddField(
            model_name='Company',
            name='verification_method',
            field=fields.CharEnumField(null=True, description='WORK_EMAIL: WORK_EMAIL', enum_type=VerificationMethod, max_length=16),
        ),
        ops.AddField(
            model_name='Company',
            name='verified_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        AddColumn(
            model_name='Profile',
            name='accept_contact_from',
            field=fields.CharEnumField(default=ContactPolicy.VERIFIED_COMPANIES, description='VERIFIED_COMPANIES: VERIFIED_COMPANIES\nANY_COMPANY: ANY_COMPANY', enum_type=ContactPolicy, max_length=20),
        ),
        ops.AddField(
            model_name='User',
            name='company_role',
            field=fields.CharEnumField(null=True, description='ADMIN: ADMIN\nMEMBER: MEMBER', enum_type=CompanyRole, max_length=16),
        ),
        ops.AddField(
            model_name='User',
            name='email_confirmed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.RunPython(_existing_rows, _nothing),
    ]
