"""Time-based reminders, driven by the scheduler with a moved clock: a profile about to go
stale gets one notification (and its mail) per staleness period; an offer expiring within
48 h one warning per version. Both are read back through the inbox."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from graph.settings import Settings
from models.mail import OutboxMail
from resolvers.scheduler import Scheduler, default_jobs
from tests.conftest import base_settings
from tests.factories.accounts import make_candidate
from tests.factories.notifications import inbox, nodes
from tests.factories.offers import make_offer_scene
from tests.graphql import GraphQLClient


@pytest.fixture
def settings(database_url: str) -> Settings:
    return base_settings(database_url, scheduler="off", mail_sender="off", availability_ttl_days=60)


async def test_a_profile_about_to_go_stale_gets_one_reminder_per_period(app, gql: GraphQLClient, settings: Settings) -> None:
    # given: a newcomer who never confirmed her availability
    candidate = await make_candidate(gql)
    scheduler = Scheduler(default_jobs(), settings, app.state.broker)
    now = datetime.now(timezone.utc)
    # when: the clock moves to 52 days (nothing yet), then 54 and 55 days (7 days before day 60)
    await scheduler.run_due(now + timedelta(days=52))
    assert nodes(await inbox(gql, candidate, kinds=["PROFILE_STALE_SOON"])) == []
    await scheduler.run_due(now + timedelta(days=54))
    await scheduler.run_due(now + timedelta(days=55))
    # then: one notification for this period, about her own profile
    [told] = nodes(await inbox(gql, candidate, kinds=["PROFILE_STALE_SOON"]))
    assert told["subject"]["__typename"] == "Profile" and told["readAt"] is None
    # and: one mail (INSTANT by default), written at the mail job's turn
    [mail] = await OutboxMail.filter(kind="notification_instant")
    assert mail.to_address == candidate.email and "drops out of search soon" in mail.subject
    assert "stops appearing in employers' searches" in mail.body_text
    # and: once stale, no more reminders
    await scheduler.run_due(now + timedelta(days=61))
    assert len(nodes(await inbox(gql, candidate, kinds=["PROFILE_STALE_SOON"]))) == 1
    assert await OutboxMail.filter(kind="notification_instant").count() == 1


async def test_an_offer_expiring_within_48_hours_warns_the_candidate_once(app, gql: GraphQLClient, settings: Settings) -> None:
    # given: an offer expiring in 7 days (the factory's default)
    scene = await make_offer_scene(gql)
    scheduler = Scheduler(default_jobs(), settings, app.state.broker)
    now = datetime.now(timezone.utc)
    # when: the clock moves to 4 days, 5.5 days and 6 days
    await scheduler.run_due(now + timedelta(days=4))
    assert nodes(await inbox(gql, scene.candidate, kinds=["OFFER_EXPIRING"])) == []
    await scheduler.run_due(now + timedelta(days=5, hours=12))
    await scheduler.run_due(now + timedelta(days=6))
    # then: one warning, to the candidate, about the offer (the company is told nothing)
    [told] = nodes(await inbox(gql, scene.candidate, kinds=["OFFER_EXPIRING"]))
    assert told["subject"] == {"__typename": "Offer", "id": scene.offer_id}
    assert nodes(await inbox(gql, scene.employer, kinds=["OFFER_EXPIRING"])) == []
    [mail] = await OutboxMail.filter(kind="notification_instant", subject__contains="expires soon")
    assert mail.to_address == scene.candidate.email
