"""``serve`` runs the scheduler in-process by default (``SCHEDULER=in-process``): the
app's lifespan registers every job and runs the due ones; ``/readyz`` shows the lag.
``SCHEDULER=off`` leaves that to ``openforwork worker``."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from graph.background import background_jobs
from graph.settings import Settings, SettingsError
from models.scheduler import ScheduledJob
from resolvers.mail import MailSender
from resolvers.scheduler import Scheduler, default_jobs
from subscriptions.broker import Broker
from tests.conftest import base_settings


async def test_the_app_runs_every_job_once_at_start(app: object, http: httpx.AsyncClient) -> None:
    names = {job.name for job in default_jobs()}
    for _ in range(200):  # the first pass runs right after start-up
        rows = await ScheduledJob.all()
        if {row.name for row in rows} == names and all(row.runs == 1 for row in rows):
            break
        await asyncio.sleep(0.05)
    assert sorted((row.name, row.runs, row.last_error) for row in rows) == [(name, 1, None) for name in sorted(names)]
    ready = (await http.get("/readyz")).json()
    assert ready["status"] == "ready" and ready["schedulerLagSeconds"] == 0


def test_scheduler_off_leaves_it_to_the_worker() -> None:
    broker = Broker("memory://")
    settings = base_settings("sqlite://x.sqlite3")
    assert [type(job) for job in background_jobs(settings, broker)] == [MailSender, Scheduler]
    assert background_jobs(settings.replace(scheduler="off", mail_sender="off"), broker) == []
    assert Settings.from_env({"SCHEDULER": "off"}).scheduler == "off"
    with pytest.raises(SettingsError, match="SCHEDULER"):
        Settings.from_env({"SCHEDULER": "sometimes"})
    assert Settings.from_env({"CONTACT_REQUEST_EXPIRY_DAYS": "3"}).contact_request_expiry_days == 3
