"""Offer status CLOSED (an open offer whose candidate deleted their account).

Only the field's description (its list of values) changes; the column stays a plain
VARCHAR(16), so the database needs nothing. The operation is state-only on purpose:
Tortoise's ``AlterField`` on SQLite rebuilds the whole ``offer`` table and loses its
foreign-key indexes on the way (``tests/graph/test_database.py`` caught it).
"""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from models.offers import OfferStatus


class AlterFieldState(ops.AlterField):
    """``AlterField`` for the migration state only: no statement reaches the database."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None) -> None:
        return None

    async def database_backward(self, app_label, old_state, new_state, state_editor=None) -> None:
        return None


class Migration(migrations.Migration):
    dependencies = [('models', '0002_search_index')]

    initial = False

    operations = [
        AlterFieldState(
            model_name='Offer',
            name='status',
            field=fields.CharEnumField(default=OfferStatus.SENT, db_index=True, description='SENT: SENT\nACCEPTED: ACCEPTED\nDECLINED: DECLINED\nCOUNTERED: COUNTERED\nWITHDRAWN: WITHDRAWN\nEXPIRED: EXPIRED\nCLOSED: CLOSED', enum_type=OfferStatus, max_length=16),
        ),
    ]
