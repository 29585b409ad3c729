"""Notifications (models/notifications.py): the inbox, the events already notified, mail
preferences and schedules; saved searches remember when their matches were last viewed,
and matches recorded when a search was saved are told apart from later ones. (Also
catches up with the audit entry's table description, changed on main after 0006.)"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from models.notifications import MailFrequency, NotificationKind
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0010_interviews')]

    initial = False

    operations = [
        ops.CreateModel(
            name='MailSchedule',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.OneToOneField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='mail_schedule', on_delete=OnDelete.CASCADE)),
                ('time_zone', fields.CharField(null=True, max_length=64)),
                ('quiet_start', fields.SmallIntField(null=True)),
                ('quiet_end', fields.SmallIntField(null=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'mail_schedule', 'app': 'models', 'pk_attr': 'id', 'table_description': 'When a person may be mailed: an IANA time zone and quiet hours in it (absent: UTC, no quiet hours).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Notification',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_index=True, db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='CONTACT_REQUEST_RECEIVED: CONTACT_REQUEST_RECEIVED\nCONTACT_REQUEST_ACCEPTED: CONTACT_REQUEST_ACCEPTED\nCONTACT_REQUEST_DECLINED: CONTACT_REQUEST_DECLINED\nCONTACT_REQUEST_EXPIRED: CONTACT_REQUEST_EXPIRED\nNEW_MESSAGE: NEW_MESSAGE\nOFFER_EXTENDED: OFFER_EXTENDED\nOFFER_COUNTERED: OFFER_COUNTERED\nOFFER_REVISED: OFFER_REVISED\nOFFER_ACCEPTED: OFFER_ACCEPTED\nOFFER_DECLINED: OFFER_DECLINED\nOFFER_WITHDRAWN: OFFER_WITHDRAWN\nOFFER_EXPIRING: OFFER_EXPIRING\nINTERVIEW_PROPOSED: INTERVIEW_PROPOSED\nINTERVIEW_PICKED: INTERVIEW_PICKED\nINTERVIEW_RESCHEDULED: INTERVIEW_RESCHEDULED\nINTERVIEW_CANCELLED: INTERVIEW_CANCELLED\nSAVED_SEARCH_MATCHES: SAVED_SEARCH_MATCHES\nPROFILE_STALE_SOON: PROFILE_STALE_SOON\nREPORT_RESOLVED: REPORT_RESOLVED\nJOIN_REQUEST: JOIN_REQUEST\nMODERATION_ACTION: MODERATION_ACTION', enum_type=NotificationKind, max_length=40)),
                ('subject_type', fields.CharField(max_length=40)),
                ('subject_id', fields.BigIntField()),
                ('actor', fields.ForeignKeyField('models.User', source_field='actor_id', null=True, db_index=True, db_constraint=True, to_field='id', related_name='notifications_caused', on_delete=OnDelete.SET_NULL)),
                ('group_key', fields.CharField(null=True, max_length=200)),
                ('open_group', fields.CharField(null=True, max_length=200)),
                ('count', fields.IntField(default=1)),
                ('data', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('read_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('mail_due', fields.BooleanField(default=True, db_index=True)),
            ],
            options={'table': 'notification', 'app': 'models', 'unique_together': (('user', 'open_group'),), 'indexes': [Index(fields=['user_id', 'updated_at'])], 'pk_attr': 'id', 'table_description': 'One thing a person should learn, or one group of them (the messages of one conversation, the matches of one saved search) merged while unread. Written in the transaction of the event that causes it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NotificationEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('dedupe_key', fields.CharField(unique=True, max_length=200)),
                ('notification', fields.ForeignKeyField('models.Notification', source_field='notification_id', db_index=True, db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'notification_event', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An event already notified: its dedupe key is unique, so one event never makes two notifications.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NotificationPreference',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_index=True, db_constraint=True, to_field='id', related_name='notification_preferences', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='CONTACT_REQUEST_RECEIVED: CONTACT_REQUEST_RECEIVED\nCONTACT_REQUEST_ACCEPTED: CONTACT_REQUEST_ACCEPTED\nCONTACT_REQUEST_DECLINED: CONTACT_REQUEST_DECLINED\nCONTACT_REQUEST_EXPIRED: CONTACT_REQUEST_EXPIRED\nNEW_MESSAGE: NEW_MESSAGE\nOFFER_EXTENDED: OFFER_EXTENDED\nOFFER_COUNTERED: OFFER_COUNTERED\nOFFER_REVISED: OFFER_REVISED\nOFFER_ACCEPTED: OFFER_ACCEPTED\nOFFER_DECLINED: OFFER_DECLINED\nOFFER_WITHDRAWN: OFFER_WITHDRAWN\nOFFER_EXPIRING: OFFER_EXPIRING\nINTERVIEW_PROPOSED: INTERVIEW_PROPOSED\nINTERVIEW_PICKED: INTERVIEW_PICKED\nINTERVIEW_RESCHEDULED: INTERVIEW_RESCHEDULED\nINTERVIEW_CANCELLED: INTERVIEW_CANCELLED\nSAVED_SEARCH_MATCHES: SAVED_SEARCH_MATCHES\nPROFILE_STALE_SOON: PROFILE_STALE_SOON\nREPORT_RESOLVED: REPORT_RESOLVED\nJOIN_REQUEST: JOIN_REQUEST\nMODERATION_ACTION: MODERATION_ACTION', enum_type=NotificationKind, max_length=40)),
                ('frequency', fields.CharEnumField(description='INSTANT: INSTANT\nDAILY: DAILY\nWEEKLY: WEEKLY\nOFF: OFF', enum_type=MailFrequency, max_length=8)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'notification_preference', 'app': 'models', 'unique_together': (('user', 'kind'),), 'pk_attr': 'id', 'table_description': "A person's chosen mail frequency for one kind (absent: the kind's default)."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='SavedSearch',
            name='matches_viewed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='SavedSearchMatch',
            name='at_save',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
